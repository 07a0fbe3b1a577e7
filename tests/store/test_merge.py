"""Merging operations between devices converges, keeps every value and surfaces conflicts."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import uuid
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from fieldkit.services import persons
from fieldkit.services.history import list_conflicts
from fieldkit.services.profile import Profile, dump
from fieldkit.store.merge import merge, operations_after, version_vector
from fieldkit.store.models import Conflict, FollowUp, Operation, Person, PlanLink


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plantilla") / "perfil"
    Profile(folder, device_name="Plantilla").close()
    return folder


def device(template: Path, folder: Path, name: str) -> Profile:
    """A new device: the seeded template with an identity of its own (it holds no own ops)."""
    shutil.copytree(template, folder)
    p = Profile(folder, device_name=name)
    p.store.set_profile(device_id=str(uuid.uuid4()), seq=0, hlc=None)
    return p


def send(source: Profile, target: Profile) -> int:
    """What `source` has that `target` lacks, by `target`'s version vector; returns ops merged."""
    with target.read() as session:
        vector = version_vector(session)
    with source.read() as session:
        ops = list(operations_after(session, vector))
    with target.store.uow.Session() as session, session.begin():
        report = merge(session, ops)
    return report.applied


def all_ops(p: Profile) -> dict[str, dict[str, Any]]:
    with p.read() as session:
        return {
            op.op_id: {"origin": op.origin, "field": op.field, "value": op.value}
            for op in session.scalars(
                select(Operation).where(Operation.origin != "00000000-0000-0000-0000-000000000000")
            )
        }


def conflicts(p: Profile) -> set[tuple[str, str]]:
    with p.read() as session:
        return {(c.op_a, c.op_b) for c in session.scalars(select(Conflict))}


def edit(p: Profile, person_id: str, **values: object) -> bool:
    with p.write() as session:
        person = session.get(Person, person_id)
        if person is None or person.deleted:
            return False  # this device does not know the record (yet), or it is deleted here
        for name, value in values.items():
            setattr(person, name, value)
    return True


def exchange_everything_and_check(devices: list[Profile]) -> None:
    """Everyone talks to everyone (relaying through the others) until nothing moves; then every
    device holds the same rows, every operation any device wrote, and the same conflicts."""
    written = {}
    for d in devices:
        written.update(all_ops(d))
    for _ in range(2):
        for src in devices:
            for dst in devices:
                if src is not dst:
                    send(src, dst)
    dumps = {dump(d) for d in devices}
    assert len(dumps) == 1, "devices disagree after exchanging everything"
    for d in devices:
        assert all_ops(d).keys() == written.keys()  # no value any device wrote is missing
    expected = expected_conflicts(devices[0])
    for d in devices:
        assert conflicts(d) == expected  # whatever order the operations arrived in


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["create", "rename", "role", "delete", "send", "send", "send"]),
        st.integers(0, 4),
        st.integers(0, 4),
        st.integers(0, 9),
    ),
    min_size=5,
    max_size=30,
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n=st.integers(2, 5),
    actions=ACTIONS,
    names=st.lists(st.sampled_from(["Ana", "Beto", "Caro", "Dani"]), min_size=10, max_size=10),
)
def test_devices_converge_whatever_the_order(
    template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    n: int,
    actions: list[tuple[str, int, int, int]],
    names: list[str],
) -> None:
    root = tmp_path_factory.mktemp("red")
    devices = [device(template, root / f"d{i}", f"Equipo {i}") for i in range(n)]
    try:
        people: list[str] = []
        for kind, a, b, k in actions:
            src, dst = devices[a % n], devices[b % n]
            if kind == "create" or not people:
                people.append(persons.save_person(src, name=names[k], role="student")[0])
            elif kind == "rename":
                edit(src, people[k % len(people)], name=names[k] + " " + src.values["device_name"])
            elif kind == "role":
                edit(src, people[k % len(people)], role="field_professional")
            elif kind == "delete":
                edit(src, people[k % len(people)], deleted=True)
            elif src is not dst:
                send(src, dst)
                if k % 3 == 0:
                    send(src, dst)  # a bundle delivered twice changes nothing
        exchange_everything_and_check(devices)
    finally:
        for d in devices:
            d.close()


def expected_conflicts(p: Profile) -> set[tuple[str, str]]:
    """Ground truth the slow way, in Python over every operation (DESIGN §5's rule, plus edits
    made after another device's delete without seeing it)."""
    with p.read() as session:
        ops = [
            o
            for o in session.scalars(select(Operation))
            if o.origin != "00000000-0000-0000-0000-000000000000"
        ]
    found: set[tuple[str, str]] = set()
    for x in ops:
        for y in ops:
            if x.op_id >= y.op_id or (x.entity, x.record_id) != (y.entity, y.record_id):
                continue
            if x.origin == y.origin:
                continue
            same_field = x.field == y.field != "deleted"
            if same_field and x.base_hlc == y.base_hlc and x.value != y.value:
                found.add((x.op_id, y.op_id))
            for edit, tomb in ((x, y), (y, x)):
                deletes = tomb.field == "deleted" and tomb.value == "true"
                if deletes and edit.field != "deleted" and edit.hlc > tomb.hlc:
                    found.add((x.op_id, y.op_id))
    return found


def test_concurrent_edits_of_one_field_are_a_conflict_on_both_sides(
    template: Path, tmp_path: Path
) -> None:
    a = device(template, tmp_path / "a", "A")
    b = device(template, tmp_path / "b", "B")
    try:
        pid, _ = persons.save_person(a, name="Rosa", role="student")
        send(a, b)
        assert edit(a, pid, name="Rosa Quiñones")
        assert edit(b, pid, name="Rosa Quiñónez")
        send(a, b)
        send(b, a)
        assert dump(a) == dump(b)
        [(x, y)] = conflicts(a)
        assert conflicts(b) == {(x, y)}
        values = {json.loads(v["value"]) for k, v in all_ops(a).items() if k in (x, y)}
        assert values == {"Rosa Quiñones", "Rosa Quiñónez"}  # both kept; one wins in the rows
        winner = {p.name for p in persons.list_persons(a) if p.id == pid}
        assert winner <= values
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("keep", ["mine", "theirs"])
def test_resolving_a_conflict_is_an_operation_that_closes_it_everywhere(
    template: Path, tmp_path: Path, keep: str
) -> None:
    from fieldkit.services.history import list_conflicts, record_history, resolve_conflict

    a = device(template, tmp_path / "a", "A")
    b = device(template, tmp_path / "b", "B")
    try:
        pid, _ = persons.save_person(a, name="Rosa", role="student")
        send(a, b)
        edit(a, pid, name="Rosa de A")
        edit(b, pid, name="Rosa de B")
        send(a, b)
        send(b, a)
        [conflict] = list_conflicts(a)
        assert conflict.mine.value == "Rosa de A" and conflict.theirs.value == "Rosa de B"
        assert conflict.mine.device == a.device_id and conflict.open
        resolve_conflict(a, conflict.id, keep)
        chosen = "Rosa de A" if keep == "mine" else "Rosa de B"
        assert [p.name for p in persons.list_persons(a) if p.id == pid] == [chosen]
        assert list_conflicts(a) == []
        assert len(list_conflicts(a, include_resolved=True)) == 1
        send(a, b)  # the decision travels like any other change
        assert list_conflicts(b) == []
        assert dump(a) == dump(b)
        history = record_history(b, pid)
        names = [c.value for c in history if c.field == "name"]
        assert names[:1] == ["Rosa"] and {"Rosa de A", "Rosa de B"} <= set(names)
        assert names[-1] == chosen  # every value anyone wrote, then the decision
        assert {c.device for c in history} == {a.device_id, b.device_id}
    finally:
        a.close()
        b.close()


def test_an_edit_of_a_record_deleted_elsewhere_is_a_conflict_that_can_bring_it_back(
    template: Path, tmp_path: Path
) -> None:
    from fieldkit.services.history import list_conflicts, resolve_conflict

    a = device(template, tmp_path / "a", "A")
    b = device(template, tmp_path / "b", "B")
    try:
        pid, _ = persons.save_person(a, name="Luis", role="student")
        send(a, b)
        edit(a, pid, deleted=True)
        edit(b, pid, phone="3001234567")  # B has not seen the delete
        send(a, b)
        send(b, a)
        assert dump(a) == dump(b)
        assert pid not in {p.id for p in persons.list_persons(a)}  # the delete wins the rows...
        [conflict] = list_conflicts(a)  # ...but the edit is not silently lost
        assert conflict.kind == "deleted"
        keep = "theirs" if conflict.theirs.field != "deleted" else "mine"
        resolve_conflict(a, conflict.id, keep)
        [back] = [p for p in persons.list_persons(a) if p.id == pid]
        assert back.phone == "3001234567"
        send(a, b)
        assert list_conflicts(b) == [] and dump(a) == dump(b)
    finally:
        a.close()
        b.close()


def test_invalid_operations_are_rejected_with_reasons_and_the_rest_applies(
    template: Path, tmp_path: Path
) -> None:
    a = device(template, tmp_path / "a", "A")
    b = device(template, tmp_path / "b", "B")
    try:
        persons.save_person(a, name="Válida", role="student")
        with a.read() as session:
            good = list(operations_after(session, {}))
        base = dict(good[0])
        bad = [
            {**base, "op_id": str(uuid.uuid4()), "seq": 900, "entity": "planeta"},
            {**base, "op_id": str(uuid.uuid4()), "seq": 901, "field": "color_favorito"},
            {**base, "op_id": str(uuid.uuid4()), "seq": 902, "field": "active", "value": '"sí"'},
            {**base, "op_id": str(uuid.uuid4()), "seq": 903, "hlc": "ayer"},
        ]
        with b.store.uow.Session() as session, session.begin():
            report = merge(session, [*good, *bad, *good])
        assert report.applied == len(good) and report.duplicates == len(good)
        reasons = [r.reason for r in report.rejected]
        assert [r.split(" ")[0] for r in reasons] == ["entidad", "campo", "valor", "marca"]
        assert "Válida" in {p.name for p in persons.list_persons(b)}
    finally:
        a.close()
        b.close()


def test_operations_outside_the_senders_role_or_scope_are_rejected_the_rest_applies(
    template: Path, tmp_path: Path
) -> None:
    from fieldkit.domain.authorization import Sender, check
    from fieldkit.services import assistances, catalog
    from fieldkit.services.assistances import AssistanceInput
    from fieldkit.services.profile import set_role
    from fieldkit.store.scope import ScopeResolver

    team = device(template, tmp_path / "equipo", "Equipo Nariño")
    office = device(template, tmp_path / "oficina", "Coordinación")
    try:
        for p in (team, office):
            catalog.import_directorates(p)  # the same example grouping on both
        send(team, office)
        set_role(team, "coordinator")  # locally it may; the office knows it as a field team
        tumaco, _ = assistances.create_assistance(team, AssistanceInput("52835", "PAZ"))
        medellin, _ = assistances.create_assistance(team, AssistanceInput("05001", "PAZ"))
        catalog.set_category(team, "52835", "6")
        with office.read() as session:
            vector = version_vector(session)
        with team.read() as session:
            ops = list(operations_after(session, vector))
        sender = Sender("field", directorates=frozenset({"NAR"}))
        with office.store.uow.Session() as session, session.begin():
            resolver = ScopeResolver(session, ops)
            report = merge(
                session,
                ops,
                authorize=lambda op: check(sender, op["entity"], op["field"], resolver.scope(op)),
            )
        codes = {a.code for a in assistances.list_assistances(office)}
        assert tumaco in codes and medellin not in codes
        reasons = {r.reason for r in report.rejected}
        assert any("otra dirección territorial" in r for r in reasons)  # Medellín is Antioquia
        assert any("no puede cambiar" in r for r in reasons)  # a field team changing a catalog
        assert all(
            r.op["entity"] != "assistance" or r.op["record_id"] != tumaco for r in report.rejected
        )
        assert {m.code: m.category for m in catalog.list_municipalities(office)}["52835"] == ""
    finally:
        team.close()
        office.close()


ANSWER_ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["answer", "answer", "row", "unrow", "send", "send"]),
        st.integers(0, 3),
        st.integers(0, 3),
        st.integers(0, 5),
    ),
    min_size=4,
    max_size=18,
)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(n=st.integers(2, 4), actions=ANSWER_ACTIONS)
def test_laptops_filling_one_diagnostic_converge_and_keep_every_answer(
    template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    n: int,
    actions: list[tuple[str, int, int, int]],
) -> None:
    """Answers (one operation per question, ids derived from the question) and repeat rows of
    one filling, written on 2–4 laptops in any order: identical dumps, no answer lost, the same
    conflicts everywhere, and only where two laptops gave one question different answers."""
    from fieldkit.services import assistances, forms
    from fieldkit.services.assistances import AssistanceInput

    root = tmp_path_factory.mktemp("formularios")
    devices = [device(template, root / f"d{i}", f"Portátil {i}") for i in range(n)]
    try:
        code, _ = assistances.create_assistance(devices[0], AssistanceInput("52835", "PAZ"))
        sid, _ = forms.start(devices[0], code, "bitacora_visita")
        for other in devices[1:]:
            send(devices[0], other)
        for kind, a, b, k in actions:
            src, dst = devices[a % n], devices[b % n]
            state = forms.open_state(src, sid)
            if kind == "answer":
                state.set_answer("acta", f"Acta {k} escrita en {src.values['device_name']}")
            elif kind == "row":
                state.add_repeat("asistentes")
                row = state.repeat_count("asistentes")
                state.set_answer("consentimiento", "si", (row,))
                state.set_answer("nombre", f"Asistente {k} de {a % n}", (row,))
            elif kind == "unrow" and state.repeat_count("asistentes"):
                state.remove_repeat("asistentes", 1 + k % state.repeat_count("asistentes"))
            elif kind == "send" and src is not dst:
                send(src, dst)
                continue
            forms.save_answers(src, sid, state.answers())
        exchange_everything_and_check(devices)
        # Rows added on different laptops never collide: every surviving row has its name.
        final = forms.open_state(devices[0], sid)
        names = [
            final.value("nombre", (r,)) for r in range(1, final.repeat_count("asistentes") + 1)
        ]
        assert all(names)
    finally:
        for d in devices:
            d.close()


# Action plans (issue 5) -----------------------------------------------------------------------


class PlanFixture(NamedTuple):
    code: str
    plan_id: str
    results: list[str]
    activities: list[str]
    finding: str
    visit: str


def start_plan(devices: list[Profile]) -> PlanFixture:
    """On the first laptop, a coordinator's: an assistance with its plan (two results with an
    activity each), a finding and a visit log; then every laptop receives it."""
    from fieldkit.services import assistances, forms, plans
    from fieldkit.services.assistances import AssistanceInput
    from fieldkit.services.plans import ActivityInput, PlanInput, ResultInput
    from fieldkit.services.profile import set_role

    first = devices[0]
    set_role(first, "coordinator")  # it may approve; the others are field teams
    code, _ = assistances.create_assistance(first, AssistanceInput("52835", "PAZ"))
    plan_id, _ = plans.create_plan(
        first, code, PlanInput("Recaudo bajo del predial.", "Mejorar el recaudo.", "Mesas.")
    )
    results, activities = [], []
    for name in ("Recaudo del impuesto predial", "Cartera morosa recuperada"):
        result_id, _ = plans.add_result(
            first, plan_id, ResultInput(name, indicator_name=f"{name} (%)", baseline=0, target=10)
        )
        results.append(result_id)
        activities.append(
            plans.add_activity(first, plan_id, ActivityInput(f"Mesa técnica: {name}", result_id))[0]
        )
    finding, _ = plans.add_finding(first, code, "El recaudo es bajo frente a lo facturado.")
    visit, _ = forms.start(first, code, "bitacora_visita")
    for other in devices[1:]:
        send(first, other)
    return PlanFixture(code, plan_id, results, activities, finding, visit)


def result_input(p: Profile, code: str, result_id: str, **changes: object):  # type: ignore[no-untyped-def]
    """The result as this laptop sees it, with some fields changed (None if it has not got it)."""
    from fieldkit.services import plans
    from fieldkit.services.plans import ResultInput

    view = plans.get_plan(p, code)
    row = next((r for r in view.results if r.id == result_id), None) if view else None
    if row is None:
        return None
    fields = {f: getattr(row, f) for f in ResultInput._fields}
    return ResultInput(**{**fields, **changes})


def activity_input(p: Profile, code: str, activity_id: str, **changes: object):  # type: ignore[no-untyped-def]
    from fieldkit.services import plans
    from fieldkit.services.plans import ActivityInput

    view = plans.get_plan(p, code)
    row = next((a for a in view.activities if a.id == activity_id), None) if view else None
    if row is None:
        return None
    fields = {f: getattr(row, f) for f in ActivityInput._fields}
    return ActivityInput(**{**fields, **changes})


def plan_action(
    kind: str, src: Profile, coordinator: Profile, fx: PlanFixture, k: int
) -> str | None:
    """One edit of the plan on `src`; returns the id of a follow-up it recorded. Guards that
    refuse (an approved plan is not edited, a record this laptop has not got yet, a removed
    one) leave nothing behind, as for a person."""
    from fieldkit.domain.errors import FieldkitError
    from fieldkit.services import plans
    from fieldkit.services.plans import ActivityInput, ResultInput

    day = dt.date.today() - dt.timedelta(days=k + 1)
    name = src.values["device_name"]
    result = fx.results[k % len(fx.results)]
    activity = fx.activities[k % len(fx.activities)]
    try:
        if kind == "target":  # the same field of the same result, from any laptop
            data = result_input(src, fx.code, result, target=float(20 + k))
            if data is not None:
                plans.update_result(src, result, data)
        elif kind == "activity":
            new, _ = plans.add_activity(
                src, fx.plan_id, ActivityInput(f"Actividad {k} de {name}", result)
            )
            fx.activities.append(new)
        elif kind == "result":
            new, _ = plans.add_result(
                src, fx.plan_id, ResultInput(f"Resultado {k} de {name}", "Indicador", target=5)
            )
            fx.results.append(new)
        elif kind == "describe":
            data = activity_input(src, fx.code, activity, description=f"Mesa {k} según {name}")
            if data is not None:
                plans.update_activity(src, activity, data)
        elif kind == "progress":  # also on an activity another laptop removed meanwhile
            return plans.record_activity_progress(src, activity, day, 10.0 * k)[0]
        elif kind == "measure":
            return plans.record_measurement(src, result, day, float(k), verification="FUT")[0]
        elif kind == "visit":  # link and unlink: the same link record on every laptop
            plans.link_visit(src, activity, fx.visit, linked=k % 3 != 0)
        elif kind == "finding":
            plans.link_finding(src, fx.finding, result, linked=k % 3 != 0)
        elif kind == "remove":
            plans.remove_activity(src, activity)
        elif kind == "submit":
            plans.submit(src, fx.plan_id)
        elif kind == "decide":  # the team's bundle reaches the coordinator, who decides
            if src is not coordinator:
                send(src, coordinator)
            if k % 2:
                plans.approve(coordinator, fx.plan_id, f"Aprobado {k}")
            else:
                plans.return_plan(coordinator, fx.plan_id, f"Ajusten la meta {k}")
        elif kind == "reopen":  # the decision reaches the team, who opens a new version
            if src is not coordinator:
                send(coordinator, src)
            plans.new_version(src, fx.plan_id)
    except FieldkitError:
        pass
    return None


PLAN_ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "target", "target", "activity", "result", "describe", "progress", "progress",
                "measure", "visit", "visit", "finding", "finding", "remove", "submit", "decide",
                "reopen", "send", "send", "send", "send",
            ]
        ),
        st.integers(0, 4),
        st.integers(0, 4),
        st.integers(0, 9),
    ),
    min_size=5,
    max_size=25,
)  # fmt: skip


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(n=st.integers(2, 5), actions=PLAN_ACTIONS)
def test_laptops_editing_one_plan_converge_and_keep_every_value(
    template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    n: int,
    actions: list[tuple[str, int, int, int]],
) -> None:
    """A plan written on 2–5 laptops in any order — results, activities, the same target edited
    on several, follow-ups, links made and unmade, an activity removed on one while another
    records its progress, submissions and a coordinator's decisions — converges: identical
    dumps and plans, every operation everywhere, the same conflicts, every follow-up kept."""
    from fieldkit.services import plans

    root = tmp_path_factory.mktemp("planes")
    devices = [device(template, root / f"d{i}", f"Portátil {i}") for i in range(n)]
    try:
        fx = start_plan(devices)
        recorded = []
        for kind, a, b, k in actions:
            src, dst = devices[a % n], devices[b % n]
            if kind == "send":
                if src is not dst:
                    send(src, dst)
                    if k % 3 == 0:
                        send(src, dst)  # a bundle delivered twice changes nothing
                continue
            follow_up = plan_action(kind, src, devices[0], fx, k)
            if follow_up is not None:
                recorded.append(follow_up)
        exchange_everything_and_check(devices)
        views = {repr(plans.get_plan(d, fx.code, dt.date(2026, 8, 15))) for d in devices}
        assert len(views) == 1, "laptops show different plans"
        with devices[-1].read() as session:
            kept = {f.id for f in session.scalars(select(FollowUp)) if not f.deleted}
        assert set(recorded) <= kept  # no follow-up anyone recorded is lost
    finally:
        for d in devices:
            d.close()


def test_one_target_edited_on_two_laptops_is_one_conflict_with_both_values(
    template: Path, tmp_path: Path
) -> None:
    from fieldkit.services import plans
    from fieldkit.services.history import list_conflicts

    a = device(template, tmp_path / "a", "A")
    b = device(template, tmp_path / "b", "B")
    try:
        fx = start_plan([a, b])
        result = fx.results[0]
        plans.update_result(a, result, result_input(a, fx.code, result, target=60.0))
        plans.update_result(b, result, result_input(b, fx.code, result, target=45.0))
        exchange_everything_and_check([a, b])
        [conflict] = list_conflicts(a)
        assert {conflict.mine.value, conflict.theirs.value} == {60.0, 45.0}
        [row] = [r for r in plans.get_plan(b, fx.code).results if r.id == result]  # type: ignore[union-attr]
        assert row.target in (60.0, 45.0)
    finally:
        a.close()
        b.close()


def test_an_activity_removed_on_one_laptop_while_another_records_its_progress(
    template: Path, tmp_path: Path
) -> None:
    """The removal wins the rows; the progress recorded meanwhile is kept, and an edit of the
    removed activity is a conflict that can bring it back."""
    from fieldkit.services import plans
    from fieldkit.services.history import list_conflicts

    a = device(template, tmp_path / "a", "A")
    b = device(template, tmp_path / "b", "B")
    try:
        fx = start_plan([a, b])
        activity = fx.activities[0]
        plans.remove_activity(a, activity)
        follow_up, _ = plans.record_activity_progress(b, activity, dt.date.today(), 40.0)
        plans.update_activity(
            b, activity, activity_input(b, fx.code, activity, description="Mesa con Hacienda")
        )
        exchange_everything_and_check([a, b])
        for p in (a, b):
            view = plans.get_plan(p, fx.code)
            assert view is not None and activity not in {x.id for x in view.activities}
            with p.read() as session:
                kept = session.get(FollowUp, follow_up)
                assert kept is not None and kept.progress == 40.0 and not kept.deleted
        [conflict] = list_conflicts(a)
        assert conflict.kind == "deleted" and conflict.record_id == activity
    finally:
        a.close()
        b.close()


def test_the_same_link_made_on_two_laptops_is_one_record(template: Path, tmp_path: Path) -> None:
    from fieldkit.services import plans

    a = device(template, tmp_path / "a", "A")
    b = device(template, tmp_path / "b", "B")
    try:
        fx = start_plan([a, b])
        for p in (a, b):
            plans.link_visit(p, fx.activities[0], fx.visit)
            plans.link_finding(p, fx.finding, fx.results[0])
        exchange_everything_and_check([a, b])
        with a.read() as session:
            links = list(session.scalars(select(PlanLink)))
        assert len(links) == 2 and not any(x.deleted for x in links)
        # Every field of a link follows from its pair: making it twice is no conflict.
        assert [c for c in list_conflicts(a) if c.entity == "plan_link"] == []
        plans.link_visit(a, fx.activities[0], fx.visit, linked=False)  # A unlinks…
        plans.link_finding(b, fx.finding, fx.results[0], linked=False)  # …B unlinks the other
        exchange_everything_and_check([a, b])
        view = plans.get_plan(b, fx.code)
        assert view is not None
        assert view.activities[0].visits == () and view.results[0].findings == ()
    finally:
        a.close()
        b.close()


# Deliverables (issue 6) -----------------------------------------------------------------------
#
# Here the laptops exchange real bundles (signed, encrypted, with the attachment bytes beside the
# operations) through services.sync, each trusting the others as coordinators, so the files of
# the deliverables travel too, relayed and repeated.


def mesh(devices: list[Profile]) -> None:
    """Every laptop trusts every other as a coordinator (what enrolment would have set up)."""
    from fieldkit.services.profile import set_role
    from fieldkit.services.sync import device_keys
    from fieldkit.store import peers

    for d in devices:
        set_role(d, "coordinator")
    public = {d.device_id: device_keys(d).public().to_text() for d in devices}
    for d in devices:
        with d.write() as session:
            for other in devices:
                if other is not d:
                    peers.save(
                        session,
                        device_id=other.device_id,
                        name=other.values["device_name"] or "",
                        keys=public[other.device_id],
                        relation="member",
                        role="coordinator",
                    )


def send_bundle(source: Profile, target: Profile, folder: Path, times: int = 1) -> None:
    """Export from `source` what `target` lacks (by the vector it last sent), import it
    `times` times: a bundle imported again changes nothing."""
    from fieldkit.services.sync import export, import_bundles

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex[:12]}.fkb"
    sent = export(source, path, for_device=target.device_id)
    assert sent.missing_attachments == 0  # the source holds every file it points at
    for _time in range(times):
        [result], _changes = import_bundles(target, [path])
        assert result.status == "applied" and not result.rejected, result


def blobs_everywhere(devices: list[Profile]) -> int:
    """Every attachment of a deliverable has its bytes, intact, on every laptop."""
    from fieldkit.services import deliverables
    from fieldkit.services.forms import attachment_path

    checked = 0
    for d in devices:
        for row in deliverables.list_all(d):
            for f in row.files:
                data = attachment_path(d, f.id).read_bytes()  # NotFoundError if it is missing
                assert len(data) == f.size and hashlib.sha256(data).hexdigest() == f.sha256
                checked += 1
    return checked


class DeliverableFixture(NamedTuple):
    code: str
    result: str
    ids: list[str]
    folder: Path


def start_deliverable(devices: list[Profile], folder: Path) -> DeliverableFixture:
    """On the first laptop: an assistance with a plan result and a deliverable serving it with its
    product file; every laptop receives it in a bundle."""
    from fieldkit.services import assistances, deliverables, plans
    from fieldkit.services.assistances import AssistanceInput
    from fieldkit.services.deliverables import DeliverableInput
    from fieldkit.services.plans import PlanInput, ResultInput

    mesh(devices)
    first = devices[0]
    code, _ = assistances.create_assistance(first, AssistanceInput("52835", "CONTRATACION"))
    plan_id, _ = plans.create_plan(first, code, PlanInput("Contratación directa.", "Competir."))
    result, _ = plans.add_result(first, plan_id, ResultInput("Manual de contratación adoptado"))
    deliverable, _ = deliverables.create(
        first,
        code,
        DeliverableInput("procedure_manual", "Manual de contratación", result_ids=[result]),
    )
    deliverables.add_file(first, deliverable, a_file(folder, "manual.pdf", b"%PDF-1.4 manual"))
    for other in devices[1:]:
        send_bundle(first, other, folder / "inicio")
    return DeliverableFixture(code, result, [deliverable], folder)


def a_file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / "archivos" / uuid.uuid4().hex[:8] / name
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    return path


def deliverable_action(
    kind: str, src: Profile, dst: Profile, fx: DeliverableFixture, k: int
) -> str | None:
    """One act on a deliverable on `src` (a coordinator: it writes, decides and delivers); a
    decision is taken on `dst` once `src`'s bundle reached it, and the team answers or delivers
    once the decision came back. Returns the id of a file it attached. Guards that refuse (a
    deliverable in review is not edited, one this laptop has not got yet) leave nothing behind."""
    from fieldkit.domain.errors import FieldkitError
    from fieldkit.services import deliverables
    from fieldkit.services.deliverables import (
        PHOTO,
        SIGNED_ACT,
        DeliverableInput,
        DeliveryInput,
        ItemComment,
    )

    name = src.values["device_name"] or ""
    target = fx.ids[k % len(fx.ids)] if k % 3 == 0 else fx.ids[0]  # mostly the one with a file
    if kind in ("return", "approve") and src is not dst:
        send_bundle(src, dst, fx.folder / "paquetes")  # the submission reaches the reviewer
        src, name = dst, dst.values["device_name"] or ""
    elif kind in ("answer", "deliver", "act") and src is not dst:
        send_bundle(dst, src, fx.folder / "paquetes")  # the decision reaches the team
    try:
        if kind == "create":
            new, _ = deliverables.create(
                src,
                fx.code,
                DeliverableInput("guide", f"Guía {k} de {name}", result_ids=[fx.result]),
            )
            fx.ids.append(new)
        elif kind == "title":  # the same field of the same deliverable, from any laptop
            row = deliverables.get(src, target)
            data = DeliverableInput(row.kind, f"Manual {k} según {name}", row.description,
                                    row.due_on, row.result_ids)  # fmt: skip
            deliverables.update(src, target, data)
        elif kind in ("file", "photo", "act"):
            purpose = {"file": "product", "photo": PHOTO, "act": SIGNED_ACT}[kind]
            suffix = ".jpg" if kind == "photo" else ".pdf"
            data = f"%PDF-1.4 {kind} {k} de {name} {uuid.uuid4()}".encode()
            path = a_file(fx.folder, f"{kind}-{k}{suffix}", data)
            return deliverables.add_file(src, target, path, f"Foto {k}", purpose)[0]
        elif kind == "submit":
            deliverables.submit(src, target, f"Envío {k} desde {name}")
        elif kind == "return":
            items = [ItemComment("manual.pdf", f"Ajusten la sección {k}")]
            deliverables.return_for_changes(src, target, f"Devuelto {k}", items)
        elif kind == "approve":
            deliverables.approve(src, target, f"Aprobado {k}")
        elif kind == "answer":
            last = deliverables.get(src, target).last_review
            for comment in last.items if last else ():
                deliverables.address_comment(src, comment.id, f"Atendido {k} en {name}")
        elif kind == "deliver":
            deliverables.deliver(
                src,
                target,
                DeliveryInput(dt.date.today(), f"Despacho {k}", "Luz Dary Angulo",
                              "Secretaria de Planeación", "Alcaldía de Tumaco", [name]),
            )  # fmt: skip
    except FieldkitError:
        pass
    return None


DELIVERABLE_ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "create", "title", "title", "file", "photo", "submit", "submit", "submit",
                "return", "return", "approve", "approve", "answer", "deliver", "deliver", "act",
                "send", "send", "send", "send", "send",
            ]
        ),
        st.integers(0, 3),
        st.integers(0, 3),
        st.integers(0, 9),
    ),
    min_size=6,
    max_size=28,
)  # fmt: skip


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(n=st.integers(2, 4), actions=DELIVERABLE_ACTIONS)
def test_laptops_working_on_deliverables_converge_with_their_files(
    template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    n: int,
    actions: list[tuple[str, int, int, int]],
) -> None:
    """2–4 coordinators' laptops create deliverables, edit the same title, attach files and
    photos, submit, return with comments, approve, answer, deliver and attach the signed act, in
    any order, exchanging bundles relayed and repeated: identical dumps and deliverables, every
    operation everywhere, conflicts exactly where two laptops wrote one field, and the bytes of
    every attachment on every laptop."""
    from fieldkit.services import deliverables

    root = tmp_path_factory.mktemp("entregables")
    devices = [device(template, root / f"d{i}", f"Portátil {i}") for i in range(n)]
    try:
        fx = start_deliverable(devices, root)
        attached = []
        for kind, a, b, k in actions:
            src, dst = devices[a % n], devices[b % n]
            if kind == "send":
                if src is not dst:
                    send_bundle(src, dst, root / "paquetes", times=1 + (k % 3 == 0))
                continue
            file_id = deliverable_action(kind, src, dst, fx, k)
            if file_id is not None:
                attached.append(file_id)
        hub, *others = devices  # everyone sends to one laptop, which relays everything back
        for other in others:
            send_bundle(other, hub, root / "final")
        for other in others:
            send_bundle(hub, other, root / "final")
        exchange_everything_and_check(devices)
        views = {repr(deliverables.list_for(d, fx.code)) for d in devices}
        assert len(views) == 1, "laptops show different deliverables"
        rows = deliverables.list_for(devices[0], fx.code)
        kept = {f.id for row in rows for f in row.files}
        assert set(attached) <= kept  # nothing attached anywhere is lost
        assert blobs_everywhere(devices) == len(devices) * len(kept)
        for row in rows:
            event(f"un entregable termina «{row.state.value}»")
        event("con conflictos" if conflicts(devices[0]) else "sin conflictos")
    finally:
        for d in devices:
            d.close()


def test_one_title_edited_on_two_laptops_is_a_conflict_and_files_travel_relayed(
    template: Path, tmp_path: Path
) -> None:
    from fieldkit.services import deliverables
    from fieldkit.services.deliverables import DeliverableInput
    from fieldkit.services.forms import attachment_path
    from fieldkit.services.history import list_conflicts

    a, b, c = (device(template, tmp_path / x, x.upper()) for x in "abc")
    try:
        fx = start_deliverable([a, b, c], tmp_path)
        [target] = fx.ids
        for p, title in ((a, "Manual de contratación y supervisión"), (b, "Manual de compras")):
            deliverables.update(p, target, DeliverableInput("procedure_manual", title))
        photo = a_file(tmp_path, "taller.jpg", b"\xff\xd8\xff\xe0 foto del taller")
        photo_id, _ = deliverables.add_file(b, target, photo, "Taller con supervisores", "photo")
        send_bundle(b, a, tmp_path / "p")  # C never talks to B: the photo reaches it through A
        send_bundle(a, c, tmp_path / "p")
        assert attachment_path(c, photo_id).read_bytes() == photo.read_bytes()
        send_bundle(a, b, tmp_path / "p")
        send_bundle(c, b, tmp_path / "p")
        exchange_everything_and_check([a, b, c])
        [conflict] = [x for x in list_conflicts(c) if x.entity == "deliverable"]
        assert conflict.field == "title"
        assert {conflict.mine.value, conflict.theirs.value} == {
            "Manual de contratación y supervisión",
            "Manual de compras",
        }
        assert deliverables.get(c, target).title in {conflict.mine.value, conflict.theirs.value}
    finally:
        for p in (a, b, c):
            p.close()
