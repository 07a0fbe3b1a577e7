"""Technical assistances: register, edit, move through the workflow, list and read with history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from fieldkit.domain.codes import human_code
from fieldkit.domain.errors import Label, NotFoundError, ValidationError
from fieldkit.domain.states import (
    STATE_LABELS,
    AssistanceFacts,
    AssistanceState,
    allowed_targets,
    check_edit,
    check_transition,
)
from fieldkit.domain.text import fold
from fieldkit.services import catalog
from fieldkit.services.changes import Changes
from fieldkit.services.profile import Profile
from fieldkit.store import reads
from fieldkit.store.reader import as_date, as_datetime

CODE_PREFIX = "AT"


class CounterpartInput(NamedTuple):
    name: str
    position: str = ""
    email: str = ""
    phone: str = ""
    id: str | None = None  # an existing counterpart being edited


class AssistanceInput(NamedTuple):
    municipality_code: str
    thematic_line_code: str
    team: Sequence[str] = ()  # person ids; the first is the team lead
    counterparts: Sequence[CounterpartInput] = ()
    requested_on: dt.date | None = None
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    notes: str = ""


class AssistanceRow(NamedTuple):
    id: str
    code: str
    municipality_code: str
    municipality: str
    department: str
    directorate_code: str
    pdet_subregion: str
    thematic_line_code: str
    thematic_line: str
    state: str
    requested_on: dt.date | None
    start_on: dt.date | None
    end_on: dt.date | None
    team: str
    key: str = ""  # folded search text

    @property
    def state_label(self) -> str:
        return STATE_LABELS[AssistanceState(self.state)]


class MemberRow(NamedTuple):
    person_id: str
    name: str
    role: str
    team_role: str


class CounterpartRow(NamedTuple):
    id: str
    name: str
    position: str
    email: str
    phone: str


class StateChangeRow(NamedTuple):
    from_state: str | None
    to_state: str
    reason: str
    changed_at: dt.datetime | None
    changed_by: str


class AssistanceDetail(NamedTuple):
    row: AssistanceRow
    notes: str
    cancel_reason: str
    team: list[MemberRow]
    counterparts: list[CounterpartRow]
    history: list[StateChangeRow]
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    next_states: list[str]


def _validate(
    profile: Profile, data: AssistanceInput, requested: dt.date | None
) -> tuple[str, str]:
    """Check the input; `requested` is the request date that will be stored."""
    code = catalog.municipality(profile, data.municipality_code).code  # NotFoundError if unknown
    municipality_id = catalog.municipality_id(code)
    lines = {o.code: o for o in catalog.thematic_lines(profile, active_only=False)}
    if data.thematic_line_code not in lines:
        raise ValidationError(
            "Línea temática desconocida «{line}». Líneas disponibles: {lines}.",
            line=data.thematic_line_code,
            lines=", ".join(lines),
        )
    if data.start_on and data.end_on and data.end_on < data.start_on:
        raise ValidationError("La fecha de finalización no puede ser anterior a la de inicio.")
    if requested and data.start_on and data.start_on < requested:
        raise ValidationError("La fecha de inicio no puede ser anterior a la de solicitud.")
    if len(set(data.team)) != len(list(data.team)):
        raise ValidationError("Una persona aparece dos veces en el equipo.")
    for c in data.counterparts:
        if not c.name.strip():
            raise ValidationError("Cada funcionario de contraparte necesita un nombre.")
        if c.email and "@" not in c.email:
            raise ValidationError("El correo «{email}» no es válido.", email=c.email)
    return municipality_id, catalog.record_id("thematic_line", data.thematic_line_code)


def _next_code(session, device_id: str, year: int) -> str:  # type: ignore[no-untyped-def]
    from fieldkit.store.uow import read_profile, write_profile

    key = f"counter:{CODE_PREFIX}:{year}"
    number = int(read_profile(session).get(key) or 0) + 1
    write_profile(session, **{key: number})
    return human_code(CODE_PREFIX, year, device_id, number)


def _sync_team(session, assistance, team: Sequence[str]) -> None:  # type: ignore[no-untyped-def]
    from fieldkit.store import queries
    from fieldkit.store.models import AssistanceMember, Person

    current = {m.person_id: m for m in queries.members(session, [assistance.id])}
    for index, person_id in enumerate(team):
        person = session.get(Person, person_id)
        if person is None or person.deleted:
            raise NotFoundError("No existe la persona {id}.", id=person_id)
        role = "lead" if index == 0 else "member"
        member = current.pop(person_id, None)
        if member is None:
            session.add(
                AssistanceMember(assistance_id=assistance.id, person_id=person_id, team_role=role)
            )
        elif member.team_role != role:
            member.team_role = role
    for member in current.values():
        member.deleted = True


def _sync_counterparts(session, assistance, items: Sequence[CounterpartInput]) -> None:  # type: ignore[no-untyped-def]
    from fieldkit.store import queries
    from fieldkit.store.models import Counterpart

    current = {c.id: c for c in queries.counterparts(session, assistance.id)}
    for position, item in enumerate(items, start=1):
        row = current.pop(item.id, None) if item.id else None
        if row is None:
            row = Counterpart(assistance_id=assistance.id)
            session.add(row)
        row.sort_order = position
        row.name = item.name.strip()
        row.position = item.position.strip() or None
        row.email = item.email.strip() or None
        row.phone = item.phone.strip() or None
    for row in current.values():
        row.deleted = True


def create_assistance(profile: Profile, data: AssistanceInput) -> tuple[str, Changes]:
    """Register a requested assistance; returns its human code."""
    from fieldkit.store.models import Assistance, StateChange

    # Without a request date, the assistance was requested today, or when it started if earlier.
    requested = data.requested_on or min(dt.date.today(), data.start_on or dt.date.today())
    municipality_id, line_id = _validate(profile, data, requested)
    with profile.write() as session:
        assistance = Assistance(
            code=_next_code(session, profile.device_id, requested.year),
            municipality_id=municipality_id,
            thematic_line_id=line_id,
            state=AssistanceState.REQUESTED.value,
            requested_on=requested,
            start_on=data.start_on,
            end_on=data.end_on,
            notes=data.notes.strip() or None,
        )
        session.add(assistance)
        session.flush()
        _sync_team(session, assistance, data.team)
        _sync_counterparts(session, assistance, data.counterparts)
        session.add(
            StateChange(
                assistance_id=assistance.id,
                from_state=None,
                to_state=AssistanceState.REQUESTED.value,
                changed_at=_now(),
                changed_by=profile.author,
            )
        )
        code = assistance.code or ""
    return code, Changes.of("assistance", "assistance_member", "counterpart", "state_change")


def update_assistance(profile: Profile, key: str, data: AssistanceInput) -> Changes:
    stored = get_assistance(profile, key).row.requested_on
    municipality_id, line_id = _validate(profile, data, data.requested_on or stored)
    with profile.write() as session:
        assistance = _get(session, key)
        if AssistanceState(assistance.state) in (AssistanceState.CLOSED, AssistanceState.CANCELLED):
            raise ValidationError(
                "La asistencia {code} está en estado «{state}»: ya no se puede editar.",
                code=assistance.code,
                state=Label(STATE_LABELS[AssistanceState(assistance.state)]),
            )
        assistance.municipality_id = municipality_id
        assistance.thematic_line_id = line_id
        if data.requested_on:
            assistance.requested_on = data.requested_on
        assistance.start_on = data.start_on
        assistance.end_on = data.end_on
        assistance.notes = data.notes.strip() or None
        _sync_team(session, assistance, data.team)
        _sync_counterparts(session, assistance, data.counterparts)
        check_edit(
            AssistanceState(assistance.state),
            AssistanceFacts(
                team_size=len(data.team),
                counterpart_count=len(data.counterparts),
                has_thematic_line=True,
            ),
        )
    return Changes.of("assistance", "assistance_member", "counterpart")


def transition(profile: Profile, key: str, target: str, reason: str | None = None) -> Changes:
    """Move an assistance to `target` if the workflow allows it; records who and when."""
    try:
        target_state = AssistanceState(target)
    except ValueError:
        raise ValidationError(
            "Estado desconocido «{state}». Estados: {states}.",
            state=target,
            states=", ".join(s.value for s in AssistanceState),
        ) from None
    from fieldkit.store import queries
    from fieldkit.store.models import StateChange

    with profile.write() as session:
        assistance = _get(session, key)
        current = AssistanceState(assistance.state)
        facts = AssistanceFacts(
            team_size=len(queries.members(session, [assistance.id])),
            counterpart_count=len(queries.counterparts(session, assistance.id)),
            has_thematic_line=assistance.thematic_line_id is not None,
        )
        check_transition(current, target_state, facts, reason)
        assistance.state = target_state.value
        if target_state is AssistanceState.CANCELLED:
            assistance.cancel_reason = (reason or "").strip()
        session.add(
            StateChange(
                assistance_id=assistance.id,
                from_state=current.value,
                to_state=target_state.value,
                reason=(reason or "").strip() or None,
                changed_at=_now(),
                changed_by=profile.author,
            )
        )
    return Changes.of("assistance", "state_change")


def _now() -> dt.datetime:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def _get(session, key: str):  # type: ignore[no-untyped-def]
    from fieldkit.store import queries

    assistance = queries.assistance_by_code_or_id(session, key)
    if assistance is None:
        raise NotFoundError("No existe la asistencia «{key}».", key=key)
    return assistance


def list_assistances(
    profile: Profile,
    *,
    municipality: str | None = None,
    assistance_id: str | None = None,
) -> list[AssistanceRow]:
    found, teams = reads.assistances(
        profile.reader,
        municipality_id=catalog.municipality_id(catalog.normalize_code(municipality))
        if municipality
        else None,
        assistance_id=assistance_id,
    )
    depts = catalog.department_directorates(profile)
    team: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for r in teams:
        team[r["assistance_id"]].append((0 if r["team_role"] == "lead" else 1, r["name"] or ""))
    rows = []
    for r in found:
        names = ", ".join(n for _, n in sorted(team.get(r["id"], [])))
        rows.append(
            AssistanceRow(
                id=r["id"],
                code=r["code"] or "",
                municipality_code=r["m_code"] or "",
                municipality=r["m_name"] or "",
                department=r["m_dept"] or "",
                directorate_code=depts.get(r["m_dept_code"] or "", ("", ""))[0],
                pdet_subregion=r["m_pdet"] or "",
                thematic_line_code=r["t_code"] or "",
                thematic_line=r["t_name"] or "",
                state=r["state"] or AssistanceState.REQUESTED.value,
                requested_on=as_date(r["requested_on"]),
                start_on=as_date(r["start_on"]),
                end_on=as_date(r["end_on"]),
                team=names,
                key=fold(f"{r['code']} {r['m_name'] or ''} {r['m_dept'] or ''} {names}"),
            )
        )
    return rows


def filter_assistances(
    rows: Sequence[AssistanceRow],
    query: str = "",
    *,
    state: str | None = None,
    thematic_line: str | None = None,
    directorate: str | None = None,
    department: str | None = None,
) -> list[AssistanceRow]:
    words = fold(query).split()
    return [
        r
        for r in rows
        if (not state or r.state == state)
        and (not thematic_line or r.thematic_line_code == thematic_line)
        and (not directorate or r.directorate_code == directorate)
        and (not department or r.municipality_code[:2] == department)
        and all(w in r.key for w in words)
    ]


def get_assistance(profile: Profile, key: str) -> AssistanceDetail:
    a = reads.assistance(profile.reader, key)
    if a is None:
        raise NotFoundError("No existe la asistencia «{key}».", key=key)
    aid = a["id"]
    team = sorted(
        (
            MemberRow(
                r["person_id"] or "", r["name"] or "", r["role"] or "", r["team_role"] or "member"
            )
            for r in reads.team(profile.reader, aid)
        ),
        key=lambda m: (m.team_role != "lead", fold(m.name)),
    )
    counterparts = [
        CounterpartRow(
            r["id"], r["name"] or "", r["position"] or "", r["email"] or "", r["phone"] or ""
        )
        for r in reads.counterparts(profile.reader, aid)
    ]
    history = [
        StateChangeRow(
            r["from_state"],
            r["to_state"] or "",
            r["reason"] or "",
            as_datetime(r["changed_at"]),
            r["changed_by"] or "",
        )
        for r in reads.state_changes(profile.reader, aid)
    ]
    state = AssistanceState(a["state"])
    return AssistanceDetail(
        row=list_assistances(profile, assistance_id=aid)[0],
        notes=a["notes"] or "",
        cancel_reason=a["cancel_reason"] or "",
        team=team,
        counterparts=counterparts,
        history=history,
        created_at=as_datetime(a["created_at"]),
        updated_at=as_datetime(a["updated_at"]),
        next_states=[s.value for s in allowed_targets(state)],
    )
