"""Bundles from unknown senders waiting in ``<profile>/cuarentena/``: what a coordinator sees
before accepting a sender (sync.accept_quarantined) or throwing its bundle away."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from fieldkit.domain.errors import ValidationError
from fieldkit.i18n import N_
from fieldkit.services.profile import Profile, require_coordinator
from fieldkit.services.sync import QUARANTINE, PeerRow, Quarantined, list_peers, list_quarantine


class Waiting(NamedTuple):
    """A quarantined bundle, and its sender's enrolment if it was accepted since (another
    bundle of the same sender): then accepting again only imports, with that role and scope."""

    bundle: Quarantined
    peer: PeerRow | None


def waiting(profile: Profile) -> list[Waiting]:
    peers = {p.device_id: p for p in list_peers(profile)}
    return [Waiting(q, peers.get(q.device_id)) for q in list_quarantine(profile)]


def discard_quarantined(profile: Profile, file: str) -> Path:
    """Coordinator: delete a quarantined bundle without applying it; returns the path deleted.

    Only a file directly in the quarantine folder: a name with folders in it is refused, so a
    caller cannot delete anything else.
    """
    require_coordinator(profile, N_("descartar paquetes en cuarentena"))
    folder = profile.data_dir / QUARANTINE
    path = folder / Path(file).name
    if Path(file).name != file or not path.is_file() or path.suffix.lower() != ".fkb":
        raise ValidationError("No hay un paquete «{file}» en cuarentena.", file=file)
    path.unlink()
    return path
