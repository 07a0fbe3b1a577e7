"""ORM lookups the services need inside write transactions (lists and screens use reader.py)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.store.models import (
    Answer,
    Assistance,
    AssistanceMember,
    Counterpart,
    Directorate,
    FormVersion,
    Municipality,
    Submission,
)

LIVE_MUNICIPALITY = Municipality.deleted.is_(False)


def municipalities(session: Session) -> Sequence[Municipality]:
    return session.scalars(
        select(Municipality).where(LIVE_MUNICIPALITY).order_by(Municipality.code)
    ).all()


def municipality_by_code(session: Session, code: str) -> Municipality | None:
    return session.scalars(
        select(Municipality).where(Municipality.code == code, LIVE_MUNICIPALITY)
    ).first()


def directorates(session: Session) -> Sequence[Directorate]:
    return session.scalars(
        select(Directorate).where(Directorate.deleted.is_(False)).order_by(Directorate.code)
    ).all()


def directorate_by_code(session: Session, code: str) -> Directorate | None:
    return session.scalars(
        select(Directorate).where(Directorate.code == code, Directorate.deleted.is_(False))
    ).first()


def assistance_by_code_or_id(session: Session, key: str) -> Assistance | None:
    found = session.get(Assistance, key)
    if found is None:
        found = session.scalars(
            select(Assistance).where(
                Assistance.code == key.strip().upper(), Assistance.deleted.is_(False)
            )
        ).first()
    return found if found is not None and not found.deleted else None


def members(
    session: Session, assistance_ids: Sequence[str] | None = None
) -> Sequence[AssistanceMember]:
    stmt = select(AssistanceMember).where(AssistanceMember.deleted.is_(False))
    if assistance_ids is not None:
        stmt = stmt.where(AssistanceMember.assistance_id.in_(assistance_ids))
    return session.scalars(stmt).all()


def counterparts(session: Session, assistance_id: str) -> Sequence[Counterpart]:
    return session.scalars(
        select(Counterpart)
        .where(Counterpart.assistance_id == assistance_id, Counterpart.deleted.is_(False))
        .order_by(Counterpart.sort_order, Counterpart.created_at, Counterpart.id)
    ).all()


def published_forms(session: Session) -> Sequence[FormVersion]:
    return session.scalars(
        select(FormVersion)
        .where(FormVersion.deleted.is_(False))
        .order_by(FormVersion.form_id, FormVersion.version)
    ).all()


def submissions_of(
    session: Session, assistance_id: str, kind: str | None = None
) -> Sequence[Submission]:
    query = select(Submission).where(
        Submission.assistance_id == assistance_id, Submission.deleted.is_(False)
    )
    if kind is not None:
        query = query.where(Submission.kind == kind)
    return session.scalars(query.order_by(Submission.started_at, Submission.id)).all()


def answers_of(session: Session, submission_id: str) -> Sequence[Answer]:
    return session.scalars(
        select(Answer).where(Answer.submission_id == submission_id, Answer.deleted.is_(False))
    ).all()
