"""Tables. Synced entities share `SyncedMixin`; `ENTITIES` maps each entity name to its class.

Every column of a synced entity except the derived `updated_at` is a *field* that the change log
records. Columns are nullable at the database level because a record may be rebuilt field by field
from operations; the services enforce what is required.

Rows are a function of the operations (uow.materialize): a migration that adds a synced field and
fills it for existing records must also write deterministic operations for those values (as
services/catalog.py seeds the catalogs), or the next operation on a record resets the field.
Unique constraints are avoided on synced tables: two devices that never talked may create the
same code, and a merge must not fail on it; the services check uniqueness instead.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_id() -> str:
    return str(uuid.uuid4())


def _fk(target: str) -> ForeignKey:
    # Deferred so a merge can write a child before its parent inside one transaction.
    return ForeignKey(target, deferrable=True, initially="DEFERRED")


class Base(DeclarativeBase):
    pass


class SyncedMixin:
    """Columns every synced record has (DESIGN §4)."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    __entity__: str = ""


class Municipality(SyncedMixin, Base):
    __tablename__ = "municipalities"
    __entity__ = "municipality"
    code: Mapped[str | None] = mapped_column(String(5), index=True)
    name: Mapped[str | None] = mapped_column(String(120))
    official_name: Mapped[str | None] = mapped_column(String(120))
    department_code: Mapped[str | None] = mapped_column(String(2), index=True)
    department: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str | None] = mapped_column(String(30))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    pdet_subregion: Mapped[str | None] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(10))


class Directorate(SyncedMixin, Base):
    __tablename__ = "directorates"
    __entity__ = "directorate"
    code: Mapped[str | None] = mapped_column(String(20), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    departments: Mapped[str | None] = mapped_column(Text)  # department codes, comma-separated
    is_example: Mapped[bool | None] = mapped_column(Boolean)


class MunicipalCategory(SyncedMixin, Base):
    __tablename__ = "municipal_categories"
    __entity__ = "municipal_category"
    code: Mapped[str | None] = mapped_column(String(10), index=True)
    name: Mapped[str | None] = mapped_column(String(100))
    sort_order: Mapped[int | None] = mapped_column(Integer)


class ThematicLine(SyncedMixin, Base):
    __tablename__ = "thematic_lines"
    __entity__ = "thematic_line"
    code: Mapped[str | None] = mapped_column(String(30), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool | None] = mapped_column(Boolean)
    sort_order: Mapped[int | None] = mapped_column(Integer)


class IndicatorValue(SyncedMixin, Base):
    __tablename__ = "indicator_values"
    __entity__ = "indicator_value"
    municipality_id: Mapped[str | None] = mapped_column(_fk("municipalities.id"), index=True)
    indicator: Mapped[str | None] = mapped_column(String(30))
    year: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(String(200))


class Person(SyncedMixin, Base):
    __tablename__ = "persons"
    __entity__ = "person"
    name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(30))
    directorate_code: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    active: Mapped[bool | None] = mapped_column(Boolean)


class Assistance(SyncedMixin, Base):
    __tablename__ = "assistances"
    __entity__ = "assistance"
    code: Mapped[str | None] = mapped_column(String(30), index=True)
    municipality_id: Mapped[str | None] = mapped_column(_fk("municipalities.id"), index=True)
    thematic_line_id: Mapped[str | None] = mapped_column(_fk("thematic_lines.id"))
    state: Mapped[str | None] = mapped_column(String(20), index=True)
    requested_on: Mapped[dt.date | None] = mapped_column(Date)
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    cancel_reason: Mapped[str | None] = mapped_column(Text)


class AssistanceMember(SyncedMixin, Base):
    __tablename__ = "assistance_members"
    __entity__ = "assistance_member"
    assistance_id: Mapped[str | None] = mapped_column(_fk("assistances.id"), index=True)
    person_id: Mapped[str | None] = mapped_column(_fk("persons.id"), index=True)
    team_role: Mapped[str | None] = mapped_column(String(30))


class Counterpart(SyncedMixin, Base):
    __tablename__ = "counterparts"
    __entity__ = "counterpart"
    assistance_id: Mapped[str | None] = mapped_column(_fk("assistances.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    sort_order: Mapped[int | None] = mapped_column(Integer)  # as the team entered them


class StateChange(SyncedMixin, Base):
    __tablename__ = "state_changes"
    __entity__ = "state_change"
    assistance_id: Mapped[str | None] = mapped_column(_fk("assistances.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    changed_by: Mapped[str | None] = mapped_column(String(200))


class Attachment(SyncedMixin, Base):
    """A file (photo, scanned act, document) attached to a record; the bytes live in the
    content-addressed store under `sha256` and travel in bundles beside the operations."""

    __tablename__ = "attachments"
    __entity__ = "attachment"
    owner_entity: Mapped[str | None] = mapped_column(String(40))
    owner_id: Mapped[str | None] = mapped_column(String(36), index=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)
    caption: Mapped[str | None] = mapped_column(Text)
    # What the file is to its owner: "product" (a deliverable's file), "photo", "signed_act"
    # (the scanned signed delivery act); empty for answers and evidence.
    purpose: Mapped[str | None] = mapped_column(String(20))


class FormVersion(SyncedMixin, Base):
    """A published XLSForm version (coordinators publish; devices receive it in bundles). The
    spreadsheet itself is a blob; the instruments that ship with fieldkit need no record."""

    __tablename__ = "forms"
    __entity__ = "form"
    form_id: Mapped[str | None] = mapped_column(String(80), index=True)
    version: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str | None] = mapped_column(String(30))  # diagnostic, module, visit, survey
    thematic_line_code: Mapped[str | None] = mapped_column(String(30))
    sha256: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))


class Submission(SyncedMixin, Base):
    """One filling of a form for an assistance: a diagnostic, a visit log, a survey."""

    __tablename__ = "submissions"
    __entity__ = "submission"
    assistance_id: Mapped[str | None] = mapped_column(_fk("assistances.id"), index=True)
    kind: Mapped[str | None] = mapped_column(String(30))
    form_id: Mapped[str | None] = mapped_column(String(80))
    form_version: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[str | None] = mapped_column(String(36))  # e.g. the deliverable surveyed
    status: Mapped[str | None] = mapped_column(String(20))  # draft, complete
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Answer(SyncedMixin, Base):
    """One answered question (flat key, see fieldkit.forms.keys). Its id is derived from the
    submission and the key, so two laptops answering the same question write the same record
    (a conflict if the values differ) and different questions merge cleanly."""

    __tablename__ = "answers"
    __entity__ = "answer"
    submission_id: Mapped[str | None] = mapped_column(_fk("submissions.id"), index=True)
    key: Mapped[str | None] = mapped_column(String(400))
    value: Mapped[str | None] = mapped_column(Text)  # JSON text


# Municipal Action Plan (issue 5) --------------------------------------------------------------


class Finding(SyncedMixin, Base):
    """A finding or prioritized need of the diagnostic, which results of the plan address."""

    __tablename__ = "findings"
    __entity__ = "finding"
    assistance_id: Mapped[str | None] = mapped_column(_fk("assistances.id"), index=True)
    statement: Mapped[str | None] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(String(200))
    priority: Mapped[int | None] = mapped_column(Integer)  # 1 high, 2 medium, 3 low
    submission_id: Mapped[str | None] = mapped_column(String(36))  # the diagnostic it came from
    sort_order: Mapped[int | None] = mapped_column(Integer)


class ActionPlan(SyncedMixin, Base):
    """The Plan de Acción Municipal of an assistance. `state` is the team's (draft, submitted);
    the reviewer's decision lives on the submitted version (PlanVersion), which only reviewers
    and coordinators may write; the plan's shown state combines both (domain.plans)."""

    __tablename__ = "action_plans"
    __entity__ = "plan"
    assistance_id: Mapped[str | None] = mapped_column(_fk("assistances.id"), index=True)
    version: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str | None] = mapped_column(String(20))
    problem: Mapped[str | None] = mapped_column(Text)
    objective: Mapped[str | None] = mapped_column(Text)
    alternative: Mapped[str | None] = mapped_column(Text)


class PlanVersion(SyncedMixin, Base):
    """One submission of a plan: a frozen copy of what was submitted, and the review decision."""

    __tablename__ = "plan_versions"
    __entity__ = "plan_version"
    plan_id: Mapped[str | None] = mapped_column(_fk("action_plans.id"), index=True)
    version: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[int | None] = mapped_column(Integer)  # submissions of the plan, 1, 2, …
    snapshot: Mapped[str | None] = mapped_column(Text)  # JSON: plan, results, activities
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(200))
    decision: Mapped[str | None] = mapped_column(String(20))  # approved, returned
    comments: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str | None] = mapped_column(String(200))


class PlanResult(SyncedMixin, Base):
    """An expected result of a plan and its indicator."""

    __tablename__ = "plan_results"
    __entity__ = "result"
    plan_id: Mapped[str | None] = mapped_column(_fk("action_plans.id"), index=True)
    sort_order: Mapped[int | None] = mapped_column(Integer)
    statement: Mapped[str | None] = mapped_column(Text)
    indicator_name: Mapped[str | None] = mapped_column(String(300))
    indicator_type: Mapped[str | None] = mapped_column(String(20))  # product, result, impact
    unit: Mapped[str | None] = mapped_column(String(60))
    baseline: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[str | None] = mapped_column(String(20))  # increase, decrease
    verification: Mapped[str | None] = mapped_column(Text)  # means of verification
    due_on: Mapped[dt.date | None] = mapped_column(Date)


class Activity(SyncedMixin, Base):
    """An activity under a result of a plan; its progress is its latest follow-up."""

    __tablename__ = "activities"
    __entity__ = "activity"
    plan_id: Mapped[str | None] = mapped_column(_fk("action_plans.id"), index=True)
    result_id: Mapped[str | None] = mapped_column(_fk("plan_results.id"), index=True)
    sort_order: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(String(20))  # team, municipality
    responsible_name: Mapped[str | None] = mapped_column(String(200))
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)


class FollowUp(SyncedMixin, Base):
    """Follow-up of an activity (progress and state) or of a result (a measured value)."""

    __tablename__ = "follow_ups"
    __entity__ = "follow_up"
    plan_id: Mapped[str | None] = mapped_column(_fk("action_plans.id"), index=True)
    activity_id: Mapped[str | None] = mapped_column(String(36), index=True)
    result_id: Mapped[str | None] = mapped_column(String(36), index=True)
    recorded_on: Mapped[dt.date | None] = mapped_column(Date)
    progress: Mapped[float | None] = mapped_column(Float)  # percent, activities
    state: Mapped[str | None] = mapped_column(String(20))  # activities
    value: Mapped[float | None] = mapped_column(Float)  # measured indicator value, results
    verification: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(200))


class PlanLink(SyncedMixin, Base):
    """A link inside a plan: a finding to the result that addresses it ("finding_result"), a
    visit of the visit log to an activity it advanced ("visit_activity"). Its id is derived from
    the pair, so two laptops making the same link write the same record."""

    __tablename__ = "plan_links"
    __entity__ = "plan_link"
    plan_id: Mapped[str | None] = mapped_column(_fk("action_plans.id"), index=True)
    kind: Mapped[str | None] = mapped_column(String(30))
    source_id: Mapped[str | None] = mapped_column(String(36), index=True)
    target_id: Mapped[str | None] = mapped_column(String(36), index=True)


# Deliverables (issue 6) -----------------------------------------------------------------------


class Deliverable(SyncedMixin, Base):
    """A product delivered to the mayor's office. `state` is the team's (draft, submitted,
    delivered); the review decision lives on each submission (DeliverableReview), which only
    reviewers and coordinators write; the shown state combines both (domain.deliverables)."""

    __tablename__ = "deliverables"
    __entity__ = "deliverable"
    assistance_id: Mapped[str | None] = mapped_column(_fk("assistances.id"), index=True)
    kind: Mapped[str | None] = mapped_column(String(30))
    title: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    sort_order: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str | None] = mapped_column(String(20))
    delivered_on: Mapped[dt.date | None] = mapped_column(Date)
    delivery_place: Mapped[str | None] = mapped_column(String(300))
    received_by: Mapped[str | None] = mapped_column(String(200))
    received_position: Mapped[str | None] = mapped_column(String(200))
    received_entity: Mapped[str | None] = mapped_column(String(200))
    team_present: Mapped[str | None] = mapped_column(Text)  # JSON list of names
    delivered_by: Mapped[str | None] = mapped_column(String(200))


class DeliverableReview(SyncedMixin, Base):
    """One submission of a deliverable to quality review, and the reviewer's decision."""

    __tablename__ = "deliverable_reviews"
    __entity__ = "deliverable_review"
    deliverable_id: Mapped[str | None] = mapped_column(_fk("deliverables.id"), index=True)
    number: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)  # the team's note to the reviewer
    decision: Mapped[str | None] = mapped_column(String(20))  # approved, returned
    comments: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str | None] = mapped_column(String(200))


class ReviewComment(SyncedMixin, Base):
    """A reviewer's comment on one item of a deliverable (a file, a section); the team marks it
    addressed when it corrects."""

    __tablename__ = "review_comments"
    __entity__ = "review_comment"
    review_id: Mapped[str | None] = mapped_column(_fk("deliverable_reviews.id"), index=True)
    item: Mapped[str | None] = mapped_column(String(300))
    comment: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int | None] = mapped_column(Integer)
    addressed: Mapped[bool | None] = mapped_column(Boolean)
    response: Mapped[str | None] = mapped_column(Text)  # what the team did


# Local tables: never synced, never in the dump.


class Operation(Base):
    """One changed field (DESIGN §5). The set of operations *is* the data; rows are its view."""

    __tablename__ = "operations"
    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    origin: Mapped[str] = mapped_column(String(36), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    hlc: Mapped[str] = mapped_column(String(80), nullable=False)
    entity: Mapped[str] = mapped_column(String(40), nullable=False)
    record_id: Mapped[str] = mapped_column(String(36), nullable=False)
    field: Mapped[str] = mapped_column(String(60), nullable=False)
    value: Mapped[str | None] = mapped_column(Text)  # JSON
    base_hlc: Mapped[str | None] = mapped_column(String(80))
    author: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("origin", "seq", name="uq_operations_origin_seq"),
        Index("ix_operations_record_field", "entity", "record_id", "field", "hlc"),
    )


class Conflict(Base):
    """Two concurrent operations on one field (same base version, other devices, other values),
    or an edit of a record another device deleted. Derived from operations on each device; it is
    open while one of the two is still the field's winner (a later operation resolves it)."""

    __tablename__ = "conflicts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # "field" | "deleted"
    entity: Mapped[str] = mapped_column(String(40), nullable=False)
    record_id: Mapped[str] = mapped_column(String(36), nullable=False)
    field: Mapped[str] = mapped_column(String(60), nullable=False)
    op_a: Mapped[str] = mapped_column(String(36), nullable=False)
    op_b: Mapped[str] = mapped_column(String(36), nullable=False)
    detected_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)

    __table_args__ = (
        UniqueConstraint("op_a", "op_b", name="uq_conflicts_pair"),
        Index("ix_conflicts_record", "entity", "record_id", "field"),
    )


class RefusedOperation(Base):
    """An operation another device sent that this one refused for its sender's role or scope.

    Kept so the sequence number counts as seen: the sender's next bundles do not carry it again
    (a gap would make every later bundle resend everything after it), and the import report
    names it once. Local, never synced.
    """

    __tablename__ = "refused_operations"
    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    origin: Mapped[str] = mapped_column(String(36), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    entity: Mapped[str] = mapped_column(String(40), nullable=False)
    record_id: Mapped[str] = mapped_column(String(36), nullable=False)
    field: Mapped[str] = mapped_column(String(60), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)  # msgid
    params: Mapped[str | None] = mapped_column(Text)  # JSON
    refused_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)

    __table_args__ = (Index("ix_refused_operations_origin_seq", "origin", "seq"),)


class Peer(Base):
    """Another device this one trusts: its keys, its enrolled role and scope, and what it holds.

    Local, never synced: each device keeps its own list, filled by enrolment.
    """

    __tablename__ = "peers"
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    keys: Mapped[str] = mapped_column(Text, nullable=False)  # PublicKeys text
    relation: Mapped[str] = mapped_column(String(20), nullable=False)  # "coordinator" | "member"
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    directorates: Mapped[str | None] = mapped_column(Text)  # codes separated by ";"
    municipalities: Mapped[str | None] = mapped_column(Text)
    vector: Mapped[str | None] = mapped_column(Text)  # JSON: what it held when it last wrote
    accepted_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class ProfileValue(Base):
    """This installation's own settings and counters: device id, clock, sequence numbers."""

    __tablename__ = "profile"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


ENTITIES: dict[str, type[SyncedMixin]] = {
    cls.__entity__: cls  # type: ignore[misc]
    for cls in (
        Municipality,
        Directorate,
        MunicipalCategory,
        ThematicLine,
        IndicatorValue,
        Person,
        Assistance,
        AssistanceMember,
        Counterpart,
        StateChange,
        Attachment,
        FormVersion,
        Submission,
        Answer,
        Finding,
        ActionPlan,
        PlanVersion,
        PlanResult,
        Activity,
        FollowUp,
        PlanLink,
        Deliverable,
        DeliverableReview,
        ReviewComment,
    )
}

DERIVED_COLUMNS = frozenset({"id", "updated_at"})


def synced_fields(cls: type[SyncedMixin]) -> list[str]:
    """Columns the change log records for this entity, in table order."""
    return [c.key for c in cls.__table__.columns if c.key not in DERIVED_COLUMNS]  # type: ignore[attr-defined]
