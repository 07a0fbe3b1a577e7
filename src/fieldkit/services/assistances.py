"""Technical assistances: register, edit, move through the workflow, list and read with history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from fieldkit.domain.codes import human_code
from fieldkit.domain.errors import NotFoundError, ValidationError
from fieldkit.domain.states import (
    STATE_LABELS,
    AssistanceFacts,
    AssistanceState,
    allowed_targets,
    check_transition,
)
from fieldkit.domain.text import fold
from fieldkit.services import catalog
from fieldkit.services.changes import Changes
from fieldkit.services.profile import Profile
from fieldkit.store import queries
from fieldkit.store.models import Assistance, AssistanceMember, Counterpart, Person, StateChange
from fieldkit.store.uow import read_profile, write_profile

CODE_PREFIX = "AT"


@dataclass(frozen=True)
class CounterpartInput:
    name: str
    position: str = ""
    email: str = ""
    phone: str = ""
    id: str | None = None  # an existing counterpart being edited


@dataclass(frozen=True)
class AssistanceInput:
    municipality_code: str
    thematic_line_code: str
    team: Sequence[str] = ()  # person ids; the first is the team lead
    counterparts: Sequence[CounterpartInput] = ()
    requested_on: dt.date | None = None
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class AssistanceRow:
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
    key: str = field(repr=False, compare=False, default="")

    @property
    def state_label(self) -> str:
        return STATE_LABELS[AssistanceState(self.state)]


@dataclass(frozen=True)
class MemberRow:
    person_id: str
    name: str
    role: str
    team_role: str


@dataclass(frozen=True)
class CounterpartRow:
    id: str
    name: str
    position: str
    email: str
    phone: str


@dataclass(frozen=True)
class StateChangeRow:
    from_state: str | None
    to_state: str
    reason: str
    changed_at: dt.datetime | None
    changed_by: str


@dataclass(frozen=True)
class AssistanceDetail:
    row: AssistanceRow
    notes: str
    cancel_reason: str
    team: list[MemberRow]
    counterparts: list[CounterpartRow]
    history: list[StateChangeRow]
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    next_states: list[str]


def _validate(profile: Profile, data: AssistanceInput) -> tuple[str, str]:
    code = catalog.normalize_code(data.municipality_code)
    municipality_id = catalog.municipality(profile, code) and catalog.municipality_id(code)
    lines = {o.code: o for o in catalog.thematic_lines(profile, active_only=False)}
    if data.thematic_line_code not in lines:
        raise ValidationError(
            "Línea temática desconocida «{line}». Líneas disponibles: {lines}.",
            line=data.thematic_line_code,
            lines=", ".join(lines),
        )
    if data.start_on and data.end_on and data.end_on < data.start_on:
        raise ValidationError("La fecha de finalización no puede ser anterior a la de inicio.")
    if data.requested_on and data.start_on and data.start_on < data.requested_on:
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
    key = f"counter:{CODE_PREFIX}:{year}"
    number = int(read_profile(session).get(key) or 0) + 1
    write_profile(session, **{key: number})
    return human_code(CODE_PREFIX, year, device_id, number)


def _sync_team(session, assistance: Assistance, team: Sequence[str]) -> None:  # type: ignore[no-untyped-def]
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


def _sync_counterparts(session, assistance: Assistance, items: Sequence[CounterpartInput]) -> None:  # type: ignore[no-untyped-def]
    current = {c.id: c for c in queries.counterparts(session, assistance.id)}
    for item in items:
        row = current.pop(item.id, None) if item.id else None
        if row is None:
            row = Counterpart(assistance_id=assistance.id)
            session.add(row)
        row.name = item.name.strip()
        row.position = item.position.strip() or None
        row.email = item.email.strip() or None
        row.phone = item.phone.strip() or None
    for row in current.values():
        row.deleted = True


def create_assistance(profile: Profile, data: AssistanceInput) -> tuple[str, Changes]:
    """Register a requested assistance; returns its human code."""
    municipality_id, line_id = _validate(profile, data)
    requested = data.requested_on or dt.date.today()
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
    municipality_id, line_id = _validate(profile, data)
    with profile.write() as session:
        assistance = _get(session, key)
        if AssistanceState(assistance.state) in (AssistanceState.CLOSED, AssistanceState.CANCELLED):
            raise ValidationError(
                "La asistencia {code} está {state}: ya no se puede editar.",
                code=assistance.code,
                state=STATE_LABELS[AssistanceState(assistance.state)].lower(),
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


def _get(session, key: str) -> Assistance:  # type: ignore[no-untyped-def]
    assistance = queries.assistance_by_code_or_id(session, key)
    if assistance is None:
        raise NotFoundError("No existe la asistencia «{key}».", key=key)
    return assistance


def list_assistances(
    profile: Profile,
    *,
    municipality: str | None = None,
) -> list[AssistanceRow]:
    with profile.read() as session:
        munis = {m.id: m for m in queries.municipalities(session)}
        depts = catalog._department_map(queries.directorates(session))
        lines = {t.id: t for t in queries.thematic_lines(session)}
        people = {p.id: p.name or "" for p in queries.persons(session)}
        mid = (
            catalog.municipality_id(catalog.normalize_code(municipality)) if municipality else None
        )
        items = queries.assistances(session, mid)
        team: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for m in queries.members(session, None if mid is None else [a.id for a in items]):
            team[m.assistance_id or ""].append(
                (0 if m.team_role == "lead" else 1, people.get(m.person_id or "", ""))
            )
        rows = []
        for a in items:
            muni = munis.get(a.municipality_id or "")
            line = lines.get(a.thematic_line_id or "")
            names = ", ".join(n for _, n in sorted(team.get(a.id, [])))
            dept_code = muni.department_code if muni else ""
            rows.append(
                AssistanceRow(
                    id=a.id,
                    code=a.code or "",
                    municipality_code=muni.code if muni else "",
                    municipality=muni.name if muni else "",
                    department=muni.department if muni else "",
                    directorate_code=depts.get(dept_code or "", ("", ""))[0],
                    pdet_subregion=(muni.pdet_subregion or "") if muni else "",
                    thematic_line_code=line.code if line else "",
                    thematic_line=line.name if line else "",
                    state=a.state or AssistanceState.REQUESTED.value,
                    requested_on=a.requested_on,
                    start_on=a.start_on,
                    end_on=a.end_on,
                    team=names,
                    key=fold(
                        f"{a.code} {muni.name if muni else ''} {muni.department if muni else ''} {names}"
                    ),
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
    with profile.read() as session:
        a = _get(session, key)
        aid, notes, cancel_reason = a.id, a.notes or "", a.cancel_reason or ""
        created_at, updated_at = a.created_at, a.updated_at
        people = {p.id: p for p in queries.persons(session)}
        team = sorted(
            (
                MemberRow(
                    m.person_id or "",
                    people[m.person_id].name if m.person_id in people else "",
                    people[m.person_id].role if m.person_id in people else "",
                    m.team_role or "member",
                )
                for m in queries.members(session, [aid])
            ),
            key=lambda m: (m.team_role != "lead", fold(m.name)),
        )
        counterparts = [
            CounterpartRow(c.id, c.name or "", c.position or "", c.email or "", c.phone or "")
            for c in queries.counterparts(session, aid)
        ]
        history = [
            StateChangeRow(
                s.from_state, s.to_state or "", s.reason or "", s.changed_at, s.changed_by or ""
            )
            for s in queries.state_changes(session, aid)
        ]
        state = AssistanceState(a.state)
    row = next(r for r in list_assistances(profile, municipality=None) if r.id == aid)
    return AssistanceDetail(
        row=row,
        notes=notes,
        cancel_reason=cancel_reason,
        team=team,
        counterparts=counterparts,
        history=history,
        created_at=created_at,
        updated_at=updated_at,
        next_states=[s.value for s in allowed_targets(state)],
    )
