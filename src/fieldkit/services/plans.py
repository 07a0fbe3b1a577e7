"""The Plan de Acción Municipal: write it, submit it, review it, follow it up (issue 5).

Every figure of progress shows results achieved beside activities completed (domain.progress):
a plan whose activities are done while its results are not is flagged, never hidden.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from fieldkit.domain.errors import Label, NotFoundError, ValidationError
from fieldkit.domain.plans import (
    APPROVED,
    PLAN_STATE_LABELS,
    RESPONSIBLES,
    RETURNED,
    TEAM_DRAFT,
    TEAM_SUBMITTED,
    LastVersion,
    PlanFacts,
    PlanState,
    check_decide,
    check_edit,
    check_new_version,
    check_submit,
    effective_state,
    is_editable,
)
from fieldkit.domain.progress import (
    ActivityFacts,
    ActivityState,
    Direction,
    IndicatorType,
    PlanProgress,
    ResultFacts,
    activity_percent,
    is_complete,
    is_overdue,
    plan_progress,
    result_achievement,
)
from fieldkit.i18n import N_, _
from fieldkit.services.changes import Changes
from fieldkit.services.profile import Profile
from fieldkit.store.reader import as_date

PLAN_ENTITIES = ("plan", "plan_version", "result", "activity", "follow_up", "plan_link", "finding")
ALL_CHANGES = Changes.of(*PLAN_ENTITIES, "attachment")
FINDING_RESULT = "finding_result"
VISIT_ACTIVITY = "visit_activity"
VISIT = "visit"  # the kind of a visit log submission (services.forms.VISIT)
FINISHED = frozenset({"closed", "cancelled"})  # assistance states with nothing pending
_LINKS = uuid.UUID("6f0b8f8e-4a57-4f43-9a51-6c2f1a4b7d10")


# Inputs ---------------------------------------------------------------------------------------


class PlanInput(NamedTuple):
    problem: str = ""
    objective: str = ""
    alternative: str = ""


class ResultInput(NamedTuple):
    statement: str
    indicator_name: str = ""
    indicator_type: str = IndicatorType.RESULT.value
    unit: str = ""
    baseline: float | None = None
    target: float | None = None
    direction: str = Direction.INCREASE.value
    verification: str = ""
    due_on: dt.date | None = None


class ActivityInput(NamedTuple):
    description: str
    result_id: str
    responsible: str = "team"
    responsible_name: str = ""
    start_on: dt.date | None = None
    end_on: dt.date | None = None


# Read models ----------------------------------------------------------------------------------


class AttachmentInfo(NamedTuple):
    id: str
    file_name: str
    caption: str


class FollowUpRow(NamedTuple):
    id: str
    activity_id: str | None
    result_id: str | None
    recorded_on: dt.date | None
    progress: float | None
    state: str | None
    value: float | None
    verification: str
    note: str
    recorded_by: str
    evidence: tuple[AttachmentInfo, ...] = ()


class ActivityRow(NamedTuple):
    id: str
    result_id: str
    description: str
    responsible: str
    responsible_name: str
    start_on: dt.date | None
    end_on: dt.date | None
    percent: float  # 0–100, from the last follow-up
    state: str | None  # the last follow-up's ActivityState value
    followed_on: dt.date | None
    complete: bool
    overdue: bool
    visits: tuple[str, ...]  # visit submission ids linked to it
    follow_ups: tuple[FollowUpRow, ...] = ()

    @property
    def responsible_label(self) -> str:
        return RESPONSIBLES.get(self.responsible, self.responsible)


class ResultRow(NamedTuple):
    id: str
    statement: str
    indicator_name: str
    indicator_type: str
    unit: str
    baseline: float | None
    target: float | None
    direction: str
    verification: str
    due_on: dt.date | None
    measured: float | None  # the last measured value
    measured_on: dt.date | None
    achievement: float | None  # 0–1, None when not measured
    activities: tuple[ActivityRow, ...]
    findings: tuple[str, ...]  # finding ids it addresses
    follow_ups: tuple[FollowUpRow, ...] = ()


class VersionRow(NamedTuple):
    id: str
    version: int
    number: int
    submitted_at: dt.datetime | None
    submitted_by: str
    decision: str | None
    comments: str
    decided_at: dt.datetime | None
    decided_by: str


class FindingRow(NamedTuple):
    id: str
    statement: str
    area: str
    priority: int | None
    submission_id: str | None
    results: tuple[str, ...]  # result ids that address it


class PlanView(NamedTuple):
    id: str
    assistance_id: str
    version: int
    state: PlanState
    problem: str
    objective: str
    alternative: str
    results: tuple[ResultRow, ...]
    versions: tuple[VersionRow, ...]
    findings: tuple[FindingRow, ...]
    progress: PlanProgress

    @property
    def editable(self) -> bool:
        return is_editable(self.state)

    @property
    def state_label(self) -> str:
        return PLAN_STATE_LABELS[self.state]

    @property
    def activities(self) -> tuple[ActivityRow, ...]:
        return tuple(a for r in self.results for a in r.activities)

    @property
    def last_version(self) -> VersionRow | None:
        return self.versions[-1] if self.versions else None


class AssistanceProgress(NamedTuple):
    assistance_id: str
    plan_id: str | None
    plan_state: PlanState | None
    progress: PlanProgress


class OverdueRow(NamedTuple):
    assistance_id: str
    plan_id: str
    activity_id: str
    description: str
    result: str
    responsible: str
    responsible_name: str
    end_on: dt.date
    days_late: int
    percent: float


# Helpers --------------------------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _number(value: object, what: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = value.strip().replace(" ", "").replace(",", ".")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError(
            "«{value}» no es un número válido para {what}.", value=value, what=Label(what)
        ) from None
    if not math.isfinite(number):
        raise ValidationError(
            "«{value}» no es un número válido para {what}.", value=value, what=Label(what)
        )
    return number


def link_id(kind: str, source_id: str, target_id: str) -> str:
    """The id of a link: the same pair on two laptops is the same record."""
    return str(uuid.uuid5(_LINKS, f"{kind}/{source_id}/{target_id}"))


def _assistance_id(profile: Profile, assistance: str) -> str:
    from fieldkit.services.assistances import get_assistance

    return get_assistance(profile, assistance).row.id


def _plan(session, plan_id: str):  # type: ignore[no-untyped-def]
    from fieldkit.store.models import ActionPlan

    plan = session.get(ActionPlan, plan_id)
    if plan is None or plan.deleted:
        raise NotFoundError("No existe el plan de acción {id}.", id=plan_id)
    return plan


def _state(session, plan) -> PlanState:  # type: ignore[no-untyped-def]
    from fieldkit.store import plans as q

    versions = q.versions_of(session, plan.id)
    last = versions[-1] if versions else None
    return effective_state(
        plan.state,
        plan.version or 1,
        LastVersion(last.version or 1, last.decision) if last is not None else None,
    )


def _editable_plan(session, plan_id: str):  # type: ignore[no-untyped-def]
    plan = _plan(session, plan_id)
    check_edit(_state(session, plan))
    return plan


def _child(session, cls, record_id: str, what: str):  # type: ignore[no-untyped-def]
    record = session.get(cls, record_id)
    if record is None or record.deleted:
        raise NotFoundError("No existe {what} {id}.", what=Label(what), id=record_id)
    return record


# The plan -------------------------------------------------------------------------------------


def create_plan(
    profile: Profile, assistance: str, data: PlanInput | None = None
) -> tuple[str, Changes]:
    """Start the plan of an assistance (one per assistance)."""
    from fieldkit.store import plans as q
    from fieldkit.store.models import ActionPlan

    data = data or PlanInput()
    assistance_id = _assistance_id(profile, assistance)
    with profile.write() as session:
        if q.plan_of(session, assistance_id) is not None:
            raise ValidationError("La asistencia ya tiene un plan de acción.")
        plan = ActionPlan(
            assistance_id=assistance_id,
            version=1,
            state=TEAM_DRAFT,
            problem=_text(data.problem) or None,
            objective=_text(data.objective) or None,
            alternative=_text(data.alternative) or None,
        )
        session.add(plan)
        session.flush()
        return plan.id, Changes.of("plan")


def update_plan(profile: Profile, plan_id: str, data: PlanInput) -> Changes:
    with profile.write() as session:
        plan = _editable_plan(session, plan_id)
        plan.problem = _text(data.problem) or None
        plan.objective = _text(data.objective) or None
        plan.alternative = _text(data.alternative) or None
    return Changes.of("plan")


def plan_id_of(profile: Profile, assistance: str) -> str | None:
    from fieldkit.store import plans as q

    assistance_id = _assistance_id(profile, assistance)
    with profile.read() as session:
        plan = q.plan_of(session, assistance_id)
        return plan.id if plan is not None else None


def get_plan(profile: Profile, assistance: str, today: dt.date | None = None) -> PlanView | None:
    """The plan of an assistance (its code or id) with everything under it; None if it has none."""
    from fieldkit.store import plans as q

    assistance_id = _assistance_id(profile, assistance)
    today = today or dt.date.today()
    with profile.read() as session:
        plan = q.plan_of(session, assistance_id)
        if plan is None:
            return None
        return _view(session, plan, today)


def _follow_up_row(f, evidence) -> FollowUpRow:  # type: ignore[no-untyped-def]
    return FollowUpRow(
        f.id,
        f.activity_id,
        f.result_id,
        f.recorded_on,
        f.progress,
        f.state,
        f.value,
        f.verification or "",
        f.note or "",
        f.recorded_by or "",
        tuple(evidence.get(f.id, ())),
    )


def _view(session, plan, today: dt.date) -> PlanView:  # type: ignore[no-untyped-def]
    from fieldkit.store import plans as q

    follow_ups = q.follow_ups_of(session, plan.id)
    evidence: dict[str, list[AttachmentInfo]] = defaultdict(list)
    for a in q.attachments_of(session, "follow_up", [f.id for f in follow_ups]):
        evidence[a.owner_id].append(AttachmentInfo(a.id, a.file_name or "", a.caption or ""))
    by_activity: dict[str, list[FollowUpRow]] = defaultdict(list)
    by_result: dict[str, list[FollowUpRow]] = defaultdict(list)
    for f in follow_ups:
        row = _follow_up_row(f, evidence)
        if f.activity_id:
            by_activity[f.activity_id].append(row)
        elif f.result_id:
            by_result[f.result_id].append(row)
    plan_findings = q.findings_of(session, plan.assistance_id)
    present = {f.id for f in plan_findings}
    plan_links = q.links_of(session, plan.id)
    removed_visits = q.removed_submissions(
        session, [link.source_id or "" for link in plan_links if link.kind == VISIT_ACTIVITY]
    )
    links: dict[str, list[str]] = defaultdict(list)  # target -> sources, per kind
    for link in plan_links:  # a removed finding or visit is no longer addressed or linked
        if link.kind == FINDING_RESULT and link.source_id not in present:
            continue
        if link.kind == VISIT_ACTIVITY and link.source_id in removed_visits:
            continue
        links[f"{link.kind}/{link.target_id}"].append(link.source_id or "")
    activities: dict[str, list[ActivityRow]] = defaultdict(list)
    activity_facts: list[ActivityFacts] = []
    for a in q.activities_of(session, plan.id):
        rows = by_activity.get(a.id, [])
        last = rows[-1] if rows else None
        facts = ActivityFacts(
            last.progress if last else None, last.state if last else None, a.end_on, a.start_on
        )
        activity_facts.append(facts)
        activities[a.result_id or ""].append(
            ActivityRow(
                a.id,
                a.result_id or "",
                a.description or "",
                a.responsible or "team",
                a.responsible_name or "",
                a.start_on,
                a.end_on,
                activity_percent(facts),
                facts.state,
                last.recorded_on if last else None,
                is_complete(facts),
                is_overdue(facts, today),
                tuple(sorted(links.get(f"{VISIT_ACTIVITY}/{a.id}", ()))),
                tuple(rows),
            )
        )
    results: list[ResultRow] = []
    result_facts: list[ResultFacts] = []
    for r in q.results_of(session, plan.id):
        measured = [f for f in by_result.get(r.id, []) if f.value is not None]
        last = measured[-1] if measured else None
        facts = ResultFacts(
            r.baseline, r.target, r.direction or "increase", last.value if last else None
        )
        result_facts.append(facts)
        results.append(
            ResultRow(
                r.id,
                r.statement or "",
                r.indicator_name or "",
                r.indicator_type or IndicatorType.RESULT.value,
                r.unit or "",
                r.baseline,
                r.target,
                r.direction or Direction.INCREASE.value,
                r.verification or "",
                r.due_on,
                last.value if last else None,
                last.recorded_on if last else None,
                result_achievement(facts.baseline, facts.target, facts.measured, facts.direction),
                tuple(activities.get(r.id, ())),
                tuple(sorted(links.get(f"{FINDING_RESULT}/{r.id}", ()))),
                tuple(by_result.get(r.id, ())),
            )
        )
    # Activities whose result was removed on another laptop still count, under no result.
    orphans = [
        a for key, rows in activities.items() if key not in {r.id for r in results} for a in rows
    ]
    if orphans:
        results.append(
            ResultRow(
                "",
                "",
                "",
                "",
                "",
                None,
                None,
                "increase",
                "",
                None,
                None,
                None,
                None,
                tuple(orphans),
                (),
            )
        )
    versions = tuple(
        VersionRow(
            v.id,
            v.version or 1,
            v.number or 0,
            v.submitted_at,
            v.submitted_by or "",
            v.decision,
            v.comments or "",
            v.decided_at,
            v.decided_by or "",
        )
        for v in q.versions_of(session, plan.id)
    )
    last_version = versions[-1] if versions else None
    state = effective_state(
        plan.state,
        plan.version or 1,
        LastVersion(last_version.version, last_version.decision) if last_version else None,
    )
    addressed: dict[str, list[str]] = defaultdict(list)
    for r in results:
        for finding in r.findings:
            addressed[finding].append(r.id)
    findings = tuple(
        FindingRow(
            f.id,
            f.statement or "",
            f.area or "",
            f.priority,
            f.submission_id,
            tuple(addressed.get(f.id, ())),
        )
        for f in plan_findings
    )
    return PlanView(
        plan.id,
        plan.assistance_id or "",
        plan.version or 1,
        state,
        plan.problem or "",
        plan.objective or "",
        plan.alternative or "",
        tuple(results),
        versions,
        findings,
        plan_progress(activity_facts, result_facts, today),
    )


# Results and activities -----------------------------------------------------------------------


def _result_values(data: ResultInput) -> dict[str, object]:
    statement = _text(data.statement)
    if not statement:
        raise ValidationError("Escriba el resultado esperado.")
    if data.indicator_type not in {t.value for t in IndicatorType}:
        raise ValidationError("Tipo de indicador desconocido «{kind}».", kind=data.indicator_type)
    if data.direction not in {d.value for d in Direction}:
        raise ValidationError(
            "Sentido del indicador desconocido «{direction}».", direction=data.direction
        )
    baseline = _number(data.baseline, "la línea base")
    target = _number(data.target, "la meta")
    if target is not None and baseline is not None:
        if data.direction == Direction.INCREASE and target < baseline:
            raise ValidationError(
                "La meta ({target}) es menor que la línea base ({baseline}) en un indicador que debe aumentar.",
                target=target,
                baseline=baseline,
            )
        if data.direction == Direction.DECREASE and target > baseline:
            raise ValidationError(
                "La meta ({target}) es mayor que la línea base ({baseline}) en un indicador que debe disminuir.",
                target=target,
                baseline=baseline,
            )
    return {
        "statement": statement,
        "indicator_name": _text(data.indicator_name) or None,
        "indicator_type": data.indicator_type,
        "unit": _text(data.unit) or None,
        "baseline": baseline,
        "target": target,
        "direction": data.direction,
        "verification": _text(data.verification) or None,
        "due_on": data.due_on,
    }


def _next_order(records) -> int:  # type: ignore[no-untyped-def]
    return max((r.sort_order or 0 for r in records), default=0) + 1


def add_result(profile: Profile, plan_id: str, data: ResultInput) -> tuple[str, Changes]:
    from fieldkit.store import plans as q
    from fieldkit.store.models import PlanResult

    values = _result_values(data)
    with profile.write() as session:
        _editable_plan(session, plan_id)
        result = PlanResult(
            plan_id=plan_id, sort_order=_next_order(q.results_of(session, plan_id)), **values
        )
        session.add(result)
        session.flush()
        return result.id, Changes.of("result")


def update_result(profile: Profile, result_id: str, data: ResultInput) -> Changes:
    from fieldkit.store.models import PlanResult

    values = _result_values(data)
    with profile.write() as session:
        result = _child(session, PlanResult, result_id, "el resultado")
        _editable_plan(session, result.plan_id)
        for key, value in values.items():
            setattr(result, key, value)
    return Changes.of("result")


def _validate_activity(session, plan_id: str, data: ActivityInput) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from fieldkit.store.models import PlanResult

    description = _text(data.description)
    if not description:
        raise ValidationError("Describa la actividad.")
    result = _child(session, PlanResult, data.result_id, "el resultado")
    if result.plan_id != plan_id:
        raise ValidationError("El resultado elegido es de otro plan.")
    if data.responsible not in RESPONSIBLES:
        raise ValidationError("Responsable desconocido «{who}».", who=data.responsible)
    if data.responsible == "municipality" and not _text(data.responsible_name):
        raise ValidationError("Escriba el nombre del funcionario de la alcaldía responsable.")
    if data.start_on and data.end_on and data.end_on < data.start_on:
        raise ValidationError("La actividad termina antes de empezar.")
    return {
        "description": description,
        "result_id": data.result_id,
        "responsible": data.responsible,
        "responsible_name": _text(data.responsible_name) or None,
        "start_on": data.start_on,
        "end_on": data.end_on,
    }


def add_activity(profile: Profile, plan_id: str, data: ActivityInput) -> tuple[str, Changes]:
    from fieldkit.store import plans as q
    from fieldkit.store.models import Activity

    with profile.write() as session:
        _editable_plan(session, plan_id)
        values = _validate_activity(session, plan_id, data)
        siblings = [a for a in q.activities_of(session, plan_id) if a.result_id == data.result_id]
        activity = Activity(plan_id=plan_id, sort_order=_next_order(siblings), **values)
        session.add(activity)
        session.flush()
        return activity.id, Changes.of("activity")


def update_activity(profile: Profile, activity_id: str, data: ActivityInput) -> Changes:
    from fieldkit.store import plans as q
    from fieldkit.store.models import Activity

    with profile.write() as session:
        activity = _child(session, Activity, activity_id, "la actividad")
        _editable_plan(session, activity.plan_id)
        values = _validate_activity(session, activity.plan_id, data)
        if values["result_id"] != activity.result_id:  # moved to another result: at its end
            siblings = [
                a
                for a in q.activities_of(session, activity.plan_id)
                if a.result_id == data.result_id
            ]
            activity.sort_order = _next_order(siblings)
        for key, value in values.items():
            setattr(activity, key, value)
    return Changes.of("activity")


class Removed(NamedTuple):
    """What a removal tombstoned, so `restore` can undo it."""

    records: tuple[tuple[str, str], ...]  # (entity, id)


def remove_result(profile: Profile, result_id: str) -> tuple[Removed, Changes]:
    """Remove a result and its activities (tombstones: `restore` brings them back)."""
    from fieldkit.store import plans as q
    from fieldkit.store.models import PlanResult

    with profile.write() as session:
        result = _child(session, PlanResult, result_id, "el resultado")
        _editable_plan(session, result.plan_id)
        removed = [("result", result.id)]
        result.deleted = True
        for activity in q.activities_of(session, result.plan_id):
            if activity.result_id == result_id:
                activity.deleted = True
                removed.append(("activity", activity.id))
    return Removed(tuple(removed)), Changes.of("result", "activity")


def remove_activity(profile: Profile, activity_id: str) -> tuple[Removed, Changes]:
    from fieldkit.store.models import Activity

    with profile.write() as session:
        activity = _child(session, Activity, activity_id, "la actividad")
        _editable_plan(session, activity.plan_id)
        activity.deleted = True
    return Removed((("activity", activity_id),)), Changes.of("activity")


def restore(profile: Profile, removed: Removed) -> Changes:
    """Undo a removal."""
    from fieldkit.store.models import ENTITIES

    with profile.write() as session:
        records = [
            (entity, session.get(ENTITIES[entity], record_id))
            for entity, record_id in removed.records
        ]
        for entity, record in records:  # a plan sent to review keeps what it was sent with
            if record is not None and entity in ("result", "activity"):
                _editable_plan(session, record.plan_id)
        for _entity, record in records:
            if record is not None:
                record.deleted = False
    return Changes.of(*{entity for entity, _id in removed.records})


def _move(records, record_id: str, delta: int) -> None:  # type: ignore[no-untyped-def]
    ordered = list(records)
    index = next((i for i, r in enumerate(ordered) if r.id == record_id), None)
    if index is None:
        return
    target = max(0, min(len(ordered) - 1, index + delta))
    if target == index:
        return
    ordered.insert(target, ordered.pop(index))
    for position, record in enumerate(ordered, start=1):
        if record.sort_order != position:
            record.sort_order = position


def move_result(profile: Profile, result_id: str, delta: int) -> Changes:
    """Move a result up (delta < 0) or down among the plan's results."""
    from fieldkit.store import plans as q
    from fieldkit.store.models import PlanResult

    with profile.write() as session:
        result = _child(session, PlanResult, result_id, "el resultado")
        _editable_plan(session, result.plan_id)
        _move(q.results_of(session, result.plan_id), result_id, delta)
    return Changes.of("result")


def move_activity(profile: Profile, activity_id: str, delta: int) -> Changes:
    """Move an activity up or down among the activities of its result."""
    from fieldkit.store import plans as q
    from fieldkit.store.models import Activity

    with profile.write() as session:
        activity = _child(session, Activity, activity_id, "la actividad")
        _editable_plan(session, activity.plan_id)
        siblings = [
            a
            for a in q.activities_of(session, activity.plan_id)
            if a.result_id == activity.result_id
        ]
        _move(siblings, activity_id, delta)
    return Changes.of("activity")


# Workflow -------------------------------------------------------------------------------------


def _snapshot(session, plan) -> str:  # type: ignore[no-untyped-def]
    from fieldkit.store import plans as q

    activities = q.activities_of(session, plan.id)

    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    return json.dumps(
        {
            "version": plan.version or 1,
            "problem": plan.problem,
            "objective": plan.objective,
            "alternative": plan.alternative,
            "results": [
                {
                    "id": r.id,
                    "statement": r.statement,
                    "indicator_name": r.indicator_name,
                    "indicator_type": r.indicator_type,
                    "unit": r.unit,
                    "baseline": r.baseline,
                    "target": r.target,
                    "direction": r.direction,
                    "verification": r.verification,
                    "due_on": day(r.due_on),
                    "activities": [
                        {
                            "id": a.id,
                            "description": a.description,
                            "responsible": a.responsible,
                            "responsible_name": a.responsible_name,
                            "start_on": day(a.start_on),
                            "end_on": day(a.end_on),
                        }
                        for a in activities
                        if a.result_id == r.id
                    ],
                }
                for r in q.results_of(session, plan.id)
            ],
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def submit(profile: Profile, plan_id: str) -> Changes:
    """Send the plan to review: its content is frozen as a new version record."""
    from fieldkit.store import plans as q
    from fieldkit.store.models import PlanVersion

    with profile.write() as session:
        plan = _plan(session, plan_id)
        state = _state(session, plan)
        results = q.results_of(session, plan_id)
        activities = q.activities_of(session, plan_id)
        with_activities = {a.result_id for a in activities}
        check_submit(
            state,
            PlanFacts(
                has_problem=bool(_text(plan.problem)),
                has_objective=bool(_text(plan.objective)),
                results=len(results),
                results_without_indicator=sum(
                    1 for r in results if r.target is None or not r.indicator_name
                ),
                results_without_activities=sum(1 for r in results if r.id not in with_activities),
            ),
        )
        versions = q.versions_of(session, plan_id)
        session.add(
            PlanVersion(
                plan_id=plan_id,
                version=plan.version or 1,
                number=max((v.number or 0 for v in versions), default=0) + 1,
                snapshot=_snapshot(session, plan),
                submitted_at=_now(),
                submitted_by=profile.author,
            )
        )
        plan.state = TEAM_SUBMITTED
    return Changes.of("plan", "plan_version")


def _decide(profile: Profile, plan_id: str, decision: str, comments: str) -> Changes:
    from fieldkit.store import plans as q

    with profile.write() as session:
        plan = _plan(session, plan_id)
        check_decide(_state(session, plan), profile.role, comments, decision)
        version = q.versions_of(session, plan_id)[-1]
        version.decision = decision
        version.comments = _text(comments) or None
        version.decided_at = _now()
        version.decided_by = profile.author
        if decision == RETURNED:
            plan.state = TEAM_DRAFT  # back to the team, in draft
    return Changes.of("plan", "plan_version")


def approve(profile: Profile, plan_id: str, comments: str = "") -> Changes:
    """Approve the submitted version (reviewers and coordinators)."""
    return _decide(profile, plan_id, APPROVED, comments)


def return_plan(profile: Profile, plan_id: str, comments: str) -> Changes:
    """Return the submitted version to the team with comments; the plan is a draft again."""
    return _decide(profile, plan_id, RETURNED, comments)


def new_version(profile: Profile, plan_id: str) -> Changes:
    """Open an approved plan for changes as its next version; the approved one stays readable."""
    with profile.write() as session:
        plan = _plan(session, plan_id)
        check_new_version(_state(session, plan))
        plan.version = (plan.version or 1) + 1
        plan.state = TEAM_DRAFT
    return Changes.of("plan")


def version_snapshot(profile: Profile, version_id: str) -> dict[str, object]:
    """What was submitted in one version: plan texts, results and their activities."""
    from fieldkit.store.models import PlanVersion

    with profile.read() as session:
        version = _child(session, PlanVersion, version_id, "la versión del plan")
        return json.loads(version.snapshot or "{}")


# Follow-up ------------------------------------------------------------------------------------


def _attach_all(
    profile: Profile, follow_up_id: str, evidence: Iterable[Path | tuple[Path, str]]
) -> None:
    from fieldkit.services.forms import attach

    for item in evidence:
        path, caption = item if isinstance(item, tuple) else (item, "")
        attach(profile, "follow_up", follow_up_id, Path(path), caption)


def _check_evidence(evidence: Sequence[Path | tuple[Path, str]]) -> None:
    for item in evidence:
        path = Path(item[0] if isinstance(item, tuple) else item)
        if not path.is_file():
            raise ValidationError("No existe el archivo de evidencia {path}.", path=str(path))


def record_activity_progress(
    profile: Profile,
    activity_id: str,
    recorded_on: dt.date,
    percent: float,
    state: str | None = None,
    note: str = "",
    evidence: Sequence[Path | tuple[Path, str]] = (),
) -> tuple[str, Changes]:
    """Record an activity's progress on a date (percent and state), with evidence files."""
    from fieldkit.store.models import Activity, FollowUp

    value = _number(percent, "el avance")
    if value is None or not 0 <= value <= 100:
        raise ValidationError("El avance es un porcentaje entre 0 y 100.")
    if state is None:
        state = (
            ActivityState.COMPLETE.value
            if value >= 100
            else ActivityState.IN_PROGRESS.value
            if value > 0
            else ActivityState.PENDING.value
        )
    if state not in {s.value for s in ActivityState}:
        raise ValidationError("Estado de actividad desconocido «{state}».", state=state)
    if state == ActivityState.COMPLETE and value < 100:
        value = 100.0
    if recorded_on > dt.date.today():
        raise ValidationError("La fecha del seguimiento no puede ser posterior a hoy.")
    _check_evidence(evidence)
    with profile.write() as session:
        activity = _child(session, Activity, activity_id, "la actividad")
        follow_up = FollowUp(
            plan_id=activity.plan_id,
            activity_id=activity_id,
            recorded_on=recorded_on,
            progress=value,
            state=state,
            note=_text(note) or None,
            recorded_by=profile.author,
        )
        session.add(follow_up)
        session.flush()
        new_id = follow_up.id
    _attach_all(profile, new_id, evidence)
    return new_id, Changes.of("follow_up", "attachment")


def record_measurement(
    profile: Profile,
    result_id: str,
    recorded_on: dt.date,
    value: float,
    verification: str = "",
    note: str = "",
    evidence: Sequence[Path | tuple[Path, str]] = (),
) -> tuple[str, Changes]:
    """Record a measured value of a result's indicator on a date, with its means of verification."""
    from fieldkit.store.models import FollowUp, PlanResult

    number = _number(value, "el valor medido")
    if number is None:
        raise ValidationError("Escriba el valor medido del indicador.")
    if recorded_on > dt.date.today():
        raise ValidationError("La fecha de la medición no puede ser posterior a hoy.")
    _check_evidence(evidence)
    with profile.write() as session:
        result = _child(session, PlanResult, result_id, "el resultado")
        follow_up = FollowUp(
            plan_id=result.plan_id,
            result_id=result_id,
            recorded_on=recorded_on,
            value=number,
            verification=_text(verification) or None,
            note=_text(note) or None,
            recorded_by=profile.author,
        )
        session.add(follow_up)
        session.flush()
        new_id = follow_up.id
    _attach_all(profile, new_id, evidence)
    return new_id, Changes.of("follow_up", "attachment")


def remove_follow_up(profile: Profile, follow_up_id: str) -> tuple[Removed, Changes]:
    from fieldkit.store.models import FollowUp

    with profile.write() as session:
        follow_up = _child(session, FollowUp, follow_up_id, "el seguimiento")
        follow_up.deleted = True
    return Removed((("follow_up", follow_up_id),)), Changes.of("follow_up")


def _set_link(
    session, plan_id: str, kind: str, source_id: str, target_id: str, linked: bool
) -> None:  # type: ignore[no-untyped-def]
    from fieldkit.store.models import ActionPlan, PlanLink

    record_id = link_id(kind, source_id, target_id)
    link = session.get(PlanLink, record_id)
    if link is None:
        if linked:
            # Every field, created_at too, follows from the pair: two laptops making the same
            # link write the same record, without a conflict.
            session.add(
                PlanLink(
                    id=record_id,
                    plan_id=plan_id,
                    kind=kind,
                    source_id=source_id,
                    target_id=target_id,
                    created_at=session.get(ActionPlan, plan_id).created_at,
                )
            )
        return
    link.deleted = not linked


def link_visit(profile: Profile, activity_id: str, visit_id: str, linked: bool = True) -> Changes:
    """Say that a visit of the visit log advanced an activity (or undo it)."""
    from fieldkit.store.models import Activity, Submission

    with profile.write() as session:
        activity = _child(session, Activity, activity_id, "la actividad")
        visit = _child(session, Submission, visit_id, "la visita")
        plan = _plan(session, activity.plan_id)
        if visit.assistance_id != plan.assistance_id:
            raise ValidationError("La visita es de otra asistencia.")
        if visit.kind != VISIT:
            raise ValidationError("Solo se vinculan visitas de la bitácora a las actividades.")
        _set_link(session, activity.plan_id, VISIT_ACTIVITY, visit_id, activity_id, linked)
    return Changes.of("plan_link")


# Findings -------------------------------------------------------------------------------------


def _check_priority(priority: int | None) -> None:
    if priority is not None and priority not in (1, 2, 3):
        raise ValidationError("La prioridad es 1 (alta), 2 (media) o 3 (baja).")


def add_finding(
    profile: Profile,
    assistance: str,
    statement: str,
    area: str = "",
    priority: int | None = None,
    submission_id: str | None = None,
) -> tuple[str, Changes]:
    from fieldkit.store import plans as q
    from fieldkit.store.models import Finding

    statement = _text(statement)
    if not statement:
        raise ValidationError("Escriba el hallazgo.")
    _check_priority(priority)
    assistance_id = _assistance_id(profile, assistance)
    with profile.write() as session:
        finding = Finding(
            assistance_id=assistance_id,
            statement=statement,
            area=_text(area) or None,
            priority=priority,
            submission_id=submission_id,
            sort_order=_next_order(q.findings_of(session, assistance_id)),
        )
        session.add(finding)
        session.flush()
        return finding.id, Changes.of("finding")


def update_finding(
    profile: Profile, finding_id: str, statement: str, area: str = "", priority: int | None = None
) -> Changes:
    from fieldkit.store.models import Finding

    statement = _text(statement)
    if not statement:
        raise ValidationError("Escriba el hallazgo.")
    _check_priority(priority)
    with profile.write() as session:
        finding = _child(session, Finding, finding_id, "el hallazgo")
        finding.statement = statement
        finding.area = _text(area) or None
        finding.priority = priority
    return Changes.of("finding")


def remove_finding(profile: Profile, finding_id: str) -> tuple[Removed, Changes]:
    from fieldkit.store.models import Finding

    with profile.write() as session:
        finding = _child(session, Finding, finding_id, "el hallazgo")
        finding.deleted = True
    return Removed((("finding", finding_id),)), Changes.of("finding")


def link_finding(profile: Profile, finding_id: str, result_id: str, linked: bool = True) -> Changes:
    """Say that a result addresses a finding of the diagnostic (or undo it)."""
    from fieldkit.store.models import Finding, PlanResult

    with profile.write() as session:
        finding = _child(session, Finding, finding_id, "el hallazgo")
        result = _child(session, PlanResult, result_id, "el resultado")
        plan = _plan(session, result.plan_id)
        if finding.assistance_id != plan.assistance_id:
            raise ValidationError("El hallazgo es de otra asistencia.")
        _set_link(session, result.plan_id, FINDING_RESULT, finding_id, result_id, linked)
    return Changes.of("plan_link")


WEAK_AREA = 40.0  # an area of the diagnostic scoring below this is a finding


class SuggestedFinding(NamedTuple):
    statement: str
    area: str
    priority: int
    submission_id: str


def suggest_findings(profile: Profile, assistance: str) -> list[SuggestedFinding]:
    """Findings the diagnostic already says: every area scoring under 40 / 100, and each line of
    its «principales hallazgos» answer; the ones already recorded are left out."""
    from fieldkit.services import forms

    assistance_id = _assistance_id(profile, assistance)
    existing = {f.statement.casefold() for f in findings(profile, assistance_id)}
    out: list[SuggestedFinding] = []
    for submission in forms.list_submissions(profile, assistance_id, kind=forms.DIAGNOSTIC):
        try:
            state = forms.open_state(profile, submission.id)
        except (NotFoundError, ValidationError):
            continue
        for area in forms.area_scores(state):
            if area.score is None or area.score >= WEAK_AREA:
                continue  # an area nobody has answered yet is not a finding
            out.append(
                SuggestedFinding(
                    _(
                        "Capacidad baja en {area}: {score} / 100 en el diagnóstico.",
                        area=area.label,
                        score=f"{area.score:.0f}",
                    ),
                    area.label,
                    1 if area.score < WEAK_AREA / 2 else 2,
                    submission.id,
                )
            )
        text = state.value("hallazgos")
        for line in str(text or "").splitlines():
            line = line.strip(" -•*\t")
            if line:
                out.append(SuggestedFinding(line, "", 2, submission.id))
    return [s for s in out if s.statement.casefold() not in existing]


def findings(profile: Profile, assistance: str) -> list[FindingRow]:
    from fieldkit.store import plans as q

    assistance_id = _assistance_id(profile, assistance)
    with profile.read() as session:
        plan = q.plan_of(session, assistance_id)
        addressed: dict[str, list[str]] = defaultdict(list)
        if plan is not None:
            results = {r.id for r in q.results_of(session, plan.id)}
            for link in q.links_of(session, plan.id):
                if link.kind == FINDING_RESULT and link.target_id in results:
                    addressed[link.source_id or ""].append(link.target_id or "")
        return [
            FindingRow(
                f.id,
                f.statement or "",
                f.area or "",
                f.priority,
                f.submission_id,
                tuple(sorted(addressed.get(f.id, ()))),
            )
            for f in q.findings_of(session, assistance_id)
        ]


# Every plan at once ---------------------------------------------------------------------------


class _Figures(NamedTuple):
    plans: list
    activities: dict[str, list[ActivityFacts]]
    results: dict[str, list[ResultFacts]]
    rows: dict[str, list]  # plan id -> activity rows (for overdue lists)
    result_names: dict[str, str]


def _figures(profile: Profile) -> _Figures:
    from fieldkit.store import plans as q

    reader = profile.reader
    plans = q.all_plans(reader)
    last_activity: dict[str, tuple] = {}
    last_value: dict[str, float] = {}
    for f in q.all_follow_ups(reader):
        if f["activity_id"]:
            last_activity[f["activity_id"]] = (f["progress"], f["state"])
        elif f["result_id"] and f["value"] is not None:
            last_value[f["result_id"]] = f["value"]
    activities: dict[str, list[ActivityFacts]] = defaultdict(list)
    rows: dict[str, list] = defaultdict(list)
    for a in q.all_activities(reader):
        progress, state = last_activity.get(a["id"], (None, None))
        facts = ActivityFacts(progress, state, as_date(a["end_on"]), as_date(a["start_on"]))
        activities[a["plan_id"]].append(facts)
        rows[a["plan_id"]].append((a, facts))
    results: dict[str, list[ResultFacts]] = defaultdict(list)
    names: dict[str, str] = {}
    for r in q.all_results(reader):
        results[r["plan_id"]].append(
            ResultFacts(
                r["baseline"], r["target"], r["direction"] or "increase", last_value.get(r["id"])
            )
        )
        names[r["id"]] = r["statement"] or ""
    return _Figures(list(plans), activities, results, rows, names)


def _plan_state_of(row) -> PlanState:  # type: ignore[no-untyped-def]
    last = (
        LastVersion(row["last_version"] or 1, row["last_decision"])
        if row["last_version"] is not None
        else None
    )
    return effective_state(row["state"], row["version"] or 1, last)


def progress_by_assistance(
    profile: Profile, today: dt.date | None = None
) -> dict[str, AssistanceProgress]:
    """Every assistance's plan figures, by assistance id (assistances without a plan are absent)."""
    today = today or dt.date.today()
    figures = _figures(profile)
    out: dict[str, AssistanceProgress] = {}
    for plan in figures.plans:
        if plan["assistance_id"] in out:  # two plans started offline: the first one counts
            continue
        out[plan["assistance_id"]] = AssistanceProgress(
            plan["assistance_id"],
            plan["id"],
            _plan_state_of(plan),
            plan_progress(
                figures.activities.get(plan["id"], ()), figures.results.get(plan["id"], ()), today
            ),
        )
    return out


def overdue(profile: Profile, today: dt.date | None = None) -> list[OverdueRow]:
    """Activities past their end date and not complete, most late first, across every
    assistance still open (a closed or cancelled one has nothing pending)."""
    today = today or dt.date.today()
    figures = _figures(profile)
    out: list[OverdueRow] = []
    for plan in figures.plans:
        if plan["assistance_state"] in FINISHED:  # nothing is pending in a closed assistance
            continue
        for a, facts in figures.rows.get(plan["id"], ()):
            if is_overdue(facts, today) and facts.end_on is not None:
                out.append(
                    OverdueRow(
                        plan["assistance_id"],
                        plan["id"],
                        a["id"],
                        a["description"] or "",
                        figures.result_names.get(a["result_id"] or "", ""),
                        a["responsible"] or "team",
                        a["responsible_name"] or "",
                        facts.end_on,
                        (today - facts.end_on).days,
                        activity_percent(facts),
                    )
                )
    return sorted(out, key=lambda r: (-r.days_late, r.description))


def decision_text(version: VersionRow) -> str:
    """A Spanish msgid for a version's outcome (translated where shown)."""
    if version.decision == APPROVED:
        return N_("Aprobado")
    if version.decision == RETURNED:
        return N_("Devuelto")
    return N_("En revisión")
