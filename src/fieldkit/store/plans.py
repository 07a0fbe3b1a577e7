"""The queries of action plans (issue 5): one plan with everything under it, and the figures of
every plan at once for lists and reports (on the fast reader)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.store.models import (
    ActionPlan,
    Activity,
    Attachment,
    Finding,
    FollowUp,
    PlanLink,
    PlanResult,
    PlanVersion,
    Submission,
)
from fieldkit.store.reader import Reader

Rows = list[sqlite3.Row]


def plan_of(session: Session, assistance_id: str) -> ActionPlan | None:
    """The assistance's plan (the oldest, should two laptops each have started one)."""
    return session.scalars(
        select(ActionPlan)
        .where(ActionPlan.assistance_id == assistance_id, ActionPlan.deleted.is_(False))
        .order_by(ActionPlan.created_at, ActionPlan.id)
    ).first()


def results_of(session: Session, plan_id: str) -> Sequence[PlanResult]:
    return session.scalars(
        select(PlanResult)
        .where(PlanResult.plan_id == plan_id, PlanResult.deleted.is_(False))
        .order_by(PlanResult.sort_order, PlanResult.created_at, PlanResult.id)
    ).all()


def activities_of(session: Session, plan_id: str) -> Sequence[Activity]:
    return session.scalars(
        select(Activity)
        .where(Activity.plan_id == plan_id, Activity.deleted.is_(False))
        .order_by(Activity.sort_order, Activity.created_at, Activity.id)
    ).all()


def follow_ups_of(session: Session, plan_id: str) -> Sequence[FollowUp]:
    """Oldest first: by date, then by when they were written."""
    return session.scalars(
        select(FollowUp)
        .where(FollowUp.plan_id == plan_id, FollowUp.deleted.is_(False))
        .order_by(FollowUp.recorded_on, FollowUp.created_at, FollowUp.id)
    ).all()


def versions_of(session: Session, plan_id: str) -> Sequence[PlanVersion]:
    return session.scalars(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan_id, PlanVersion.deleted.is_(False))
        .order_by(PlanVersion.number, PlanVersion.submitted_at, PlanVersion.id)
    ).all()


def links_of(session: Session, plan_id: str) -> Sequence[PlanLink]:
    return session.scalars(
        select(PlanLink).where(PlanLink.plan_id == plan_id, PlanLink.deleted.is_(False))
    ).all()


def findings_of(session: Session, assistance_id: str) -> Sequence[Finding]:
    return session.scalars(
        select(Finding)
        .where(Finding.assistance_id == assistance_id, Finding.deleted.is_(False))
        .order_by(Finding.sort_order, Finding.created_at, Finding.id)
    ).all()


def removed_submissions(session: Session, ids: Sequence[str]) -> set[str]:
    """Which of these submissions (visits linked to activities) were removed."""
    if not ids:
        return set()
    return set(
        session.scalars(
            select(Submission.id).where(Submission.id.in_(ids), Submission.deleted.is_(True))
        )
    )


def attachments_of(
    session: Session, owner_entity: str, owner_ids: Sequence[str]
) -> Sequence[Attachment]:
    if not owner_ids:
        return []
    return session.scalars(
        select(Attachment)
        .where(
            Attachment.owner_entity == owner_entity,
            Attachment.owner_id.in_(owner_ids),
            Attachment.deleted.is_(False),
        )
        .order_by(Attachment.created_at, Attachment.id)
    ).all()


# Every plan at once (reader) ------------------------------------------------------------------


def all_plans(reader: Reader) -> Rows:
    return reader.rows(
        "SELECT p.id, p.assistance_id, p.version, p.state,"
        " (SELECT v.version FROM plan_versions v WHERE v.plan_id = p.id AND v.deleted = 0"
        "  ORDER BY v.number DESC, v.submitted_at DESC LIMIT 1) AS last_version,"
        " (SELECT v.decision FROM plan_versions v WHERE v.plan_id = p.id AND v.deleted = 0"
        "  ORDER BY v.number DESC, v.submitted_at DESC LIMIT 1) AS last_decision,"
        " (SELECT a.state FROM assistances a WHERE a.id = p.assistance_id) AS assistance_state"
        " FROM action_plans p WHERE p.deleted = 0 ORDER BY p.created_at, p.id"
    )


def all_results(reader: Reader) -> Rows:
    return reader.rows(
        "SELECT id, plan_id, statement, baseline, target, direction, due_on FROM plan_results"
        " WHERE deleted = 0 ORDER BY sort_order, created_at, id"
    )


def all_activities(reader: Reader) -> Rows:
    return reader.rows(
        "SELECT a.id, a.plan_id, a.result_id, a.description, a.responsible, a.responsible_name,"
        " a.start_on, a.end_on FROM activities a"
        " LEFT JOIN plan_results r ON r.id = a.result_id"
        " WHERE a.deleted = 0 ORDER BY r.sort_order, a.sort_order, a.created_at, a.id"
    )


def all_follow_ups(reader: Reader) -> Rows:
    """Oldest first, so the last one seen per activity or result is its current figure."""
    return reader.rows(
        "SELECT activity_id, result_id, recorded_on, progress, state, value FROM follow_ups"
        " WHERE deleted = 0 ORDER BY recorded_on, created_at, id"
    )
