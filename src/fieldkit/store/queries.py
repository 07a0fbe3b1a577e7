"""Read queries the services need; the only place besides the store internals that builds SQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.store.models import (
    Assistance,
    AssistanceMember,
    Counterpart,
    Directorate,
    IndicatorValue,
    MunicipalCategory,
    Municipality,
    Person,
    StateChange,
    ThematicLine,
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


def thematic_lines(session: Session) -> Sequence[ThematicLine]:
    return session.scalars(
        select(ThematicLine)
        .where(ThematicLine.deleted.is_(False))
        .order_by(ThematicLine.sort_order, ThematicLine.name)
    ).all()


def categories(session: Session) -> Sequence[MunicipalCategory]:
    return session.scalars(
        select(MunicipalCategory)
        .where(MunicipalCategory.deleted.is_(False))
        .order_by(MunicipalCategory.sort_order)
    ).all()


def persons(session: Session) -> Sequence[Person]:
    return session.scalars(
        select(Person).where(Person.deleted.is_(False)).order_by(Person.name)
    ).all()


def indicator_values(session: Session, municipality_id: str) -> Sequence[IndicatorValue]:
    return session.scalars(
        select(IndicatorValue)
        .where(IndicatorValue.municipality_id == municipality_id, IndicatorValue.deleted.is_(False))
        .order_by(IndicatorValue.indicator, IndicatorValue.year)
    ).all()


def assistances(session: Session, municipality_id: str | None = None) -> Sequence[Assistance]:
    stmt = select(Assistance).where(Assistance.deleted.is_(False))
    if municipality_id:
        stmt = stmt.where(Assistance.municipality_id == municipality_id)
    return session.scalars(stmt.order_by(Assistance.code)).all()


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


def counterpart_counts(session: Session) -> dict[str, int]:
    counts: dict[str, int] = {}
    for (aid,) in session.execute(
        select(Counterpart.assistance_id).where(Counterpart.deleted.is_(False))
    ):
        counts[aid] = counts.get(aid, 0) + 1
    return counts


def state_changes(session: Session, assistance_id: str) -> Sequence[StateChange]:
    return session.scalars(
        select(StateChange)
        .where(StateChange.assistance_id == assistance_id, StateChange.deleted.is_(False))
        .order_by(StateChange.created_at, StateChange.id)
    ).all()
