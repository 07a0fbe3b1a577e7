"""The queries of deliverables (issue 6): their reviews, comments, files, results and surveys."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.store.models import (
    Attachment,
    Deliverable,
    DeliverableReview,
    PlanLink,
    PlanResult,
    ReviewComment,
    Submission,
)

_ORDER = (Deliverable.sort_order, Deliverable.created_at, Deliverable.id)


def deliverables_of(session: Session, assistance_id: str) -> Sequence[Deliverable]:
    return session.scalars(
        select(Deliverable)
        .where(Deliverable.assistance_id == assistance_id, Deliverable.deleted.is_(False))
        .order_by(*_ORDER)
    ).all()


def all_deliverables(session: Session) -> Sequence[Deliverable]:
    return session.scalars(
        select(Deliverable)
        .where(Deliverable.deleted.is_(False))
        .order_by(Deliverable.assistance_id, *_ORDER)
    ).all()


def reviews_of(session: Session, deliverable_ids: Sequence[str]) -> Sequence[DeliverableReview]:
    """Oldest submission first."""
    if not deliverable_ids:
        return []
    return session.scalars(
        select(DeliverableReview)
        .where(
            DeliverableReview.deliverable_id.in_(deliverable_ids),
            DeliverableReview.deleted.is_(False),
        )
        .order_by(
            DeliverableReview.deliverable_id,
            DeliverableReview.number,
            DeliverableReview.submitted_at,
            DeliverableReview.id,
        )
    ).all()


def comments_of(session: Session, review_ids: Sequence[str]) -> Sequence[ReviewComment]:
    if not review_ids:
        return []
    return session.scalars(
        select(ReviewComment)
        .where(ReviewComment.review_id.in_(review_ids), ReviewComment.deleted.is_(False))
        .order_by(ReviewComment.sort_order, ReviewComment.created_at, ReviewComment.id)
    ).all()


def files_of(session: Session, deliverable_ids: Sequence[str]) -> Sequence[Attachment]:
    if not deliverable_ids:
        return []
    return session.scalars(
        select(Attachment)
        .where(
            Attachment.owner_entity == "deliverable",
            Attachment.owner_id.in_(deliverable_ids),
            Attachment.deleted.is_(False),
        )
        .order_by(Attachment.created_at, Attachment.id)
    ).all()


def result_links(session: Session, deliverable_ids: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    if not deliverable_ids:
        return out
    # A result removed from the plan (on this laptop or another) is no longer served.
    for source, target in session.execute(
        select(PlanLink.source_id, PlanLink.target_id)
        .join(PlanResult, PlanResult.id == PlanLink.target_id)
        .where(
            PlanLink.kind == "deliverable_result",
            PlanLink.source_id.in_(deliverable_ids),
            PlanLink.deleted.is_(False),
            PlanResult.deleted.is_(False),
        )
    ):
        out[source].append(target)
    return out


def surveys_of(session: Session, deliverable_ids: Sequence[str]) -> dict[str, str]:
    """Each deliverable's satisfaction survey (the first one started)."""
    out: dict[str, str] = {}
    if not deliverable_ids:
        return out
    for subject, submission in session.execute(
        select(Submission.subject_id, Submission.id)
        .where(
            Submission.kind == "survey",
            Submission.subject_id.in_(deliverable_ids),
            Submission.deleted.is_(False),
        )
        .order_by(Submission.started_at.desc(), Submission.id.desc())
    ):
        out[subject] = submission
    return out
