"""Trusted devices (local, filled by enrolment): keys, role, scope, and what each holds."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.store.models import Peer


def get(session: Session, device_id: str) -> Peer | None:
    return session.get(Peer, device_id)


def all_peers(session: Session) -> Sequence[Peer]:
    return session.scalars(select(Peer).order_by(Peer.relation, Peer.name)).all()


def coordinator(session: Session) -> Peer | None:
    return session.scalars(select(Peer).where(Peer.relation == "coordinator")).first()


def save(
    session: Session,
    *,
    device_id: str,
    name: str,
    keys: str,
    relation: str,
    role: str,
    directorates: Sequence[str] = (),
    municipalities: Sequence[str] = (),
) -> Peer:
    peer = session.get(Peer, device_id) or Peer(device_id=device_id)
    peer.name = name
    peer.keys = keys
    peer.relation = relation
    peer.role = role
    peer.directorates = ";".join(directorates) or None
    peer.municipalities = ";".join(municipalities) or None
    peer.accepted_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    session.add(peer)
    return peer


def remember_vector(session: Session, device_id: str, vector: dict[str, int]) -> None:
    """What the peer said it holds; the next export to it sends only what it lacks."""
    peer = session.get(Peer, device_id)
    if peer is not None:
        peer.vector = json.dumps(vector, sort_keys=True)
