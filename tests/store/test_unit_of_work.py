"""The unit of work records one operation per changed field, and rows can be rebuilt from them."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from fieldkit.domain.errors import NotFoundError, ProfileError, ValidationError
from fieldkit.domain.hlc import Timestamp
from fieldkit.services import assistances, catalog, forms, persons
from fieldkit.services.assistances import AssistanceInput, CounterpartInput
from fieldkit.services.profile import Profile, dump, set_role
from fieldkit.store.models import Assistance, Operation, Person
from fieldkit.store.oplog import dump_json, insert_operations, iter_operations


def ops_of(profile: Profile, entity: str, record_id: str) -> list[Operation]:
    with profile.read() as session:
        return list(
            session.scalars(
                select(Operation)
                .where(Operation.entity == entity, Operation.record_id == record_id)
                .order_by(Operation.seq)
            )
        )


def test_creating_a_record_records_one_operation_per_set_field(profile: Profile) -> None:
    pid, _ = persons.save_person(
        profile, name="Ana María Rojas", role="student", email="ana@example.org"
    )
    ops = ops_of(profile, "person", pid)
    fields = sorted(op.field for op in ops)
    assert fields == ["active", "created_at", "email", "name", "role"]
    device = profile.device_id
    assert {op.origin for op in ops} == {device}
    assert all(op.base_hlc is None for op in ops)
    assert all(op.author == profile.author for op in ops)
    seqs = [op.seq for op in ops]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    hlcs = [op.hlc for op in ops]
    assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)
    assert json.loads(next(op.value for op in ops if op.field == "name")) == "Ana María Rojas"


def test_an_edit_records_only_the_changed_field_with_its_base_version(profile: Profile) -> None:
    pid, _ = persons.save_person(profile, name="Ana Rojas", role="student")
    before = {op.field: op.hlc for op in ops_of(profile, "person", pid)}
    persons.save_person(profile, person_id=pid, name="Ana Rojas", role="field_professional")
    after = ops_of(profile, "person", pid)
    new = after[len(before) :]
    assert [(op.field, json.loads(op.value or "null")) for op in new] == [
        ("role", "field_professional")
    ]
    assert new[0].base_hlc == before["role"]
    assert Timestamp.decode(new[0].hlc) > Timestamp.decode(before["role"])


def test_saving_identical_values_records_nothing(profile: Profile) -> None:
    pid, _ = persons.save_person(profile, name="Ana Rojas", role="student")
    n = len(ops_of(profile, "person", pid))
    persons.save_person(profile, person_id=pid, name="Ana Rojas", role="student")
    assert len(ops_of(profile, "person", pid)) == n


def test_writes_outside_the_unit_of_work_are_refused(profile: Profile) -> None:
    session = profile.store.uow.Session()
    try:
        session.add(Person(name="Sin operación", role="student"))
        with pytest.raises(ProfileError):
            session.flush()
    finally:
        session.rollback()
        session.close()
    assert "Sin operación" not in dump(profile)


def test_hard_deletes_are_refused(profile: Profile) -> None:
    pid, _ = persons.save_person(profile, name="Ana Rojas", role="student")
    with pytest.raises(ProfileError), profile.write() as session:
        session.delete(session.get(Person, pid))
    assert "Ana Rojas" in dump(profile)


def test_a_failed_transaction_leaves_neither_rows_nor_operations(profile: Profile) -> None:
    before = dump(profile)
    with profile.read() as session:
        n_ops = len(list(iter_operations(session)))
    with pytest.raises(RuntimeError), profile.write() as session:
        session.add(Person(name="Fantasma", role="student"))
        session.flush()
        raise RuntimeError("corte de luz")
    assert dump(profile) == before
    with profile.read() as session:
        assert len(list(iter_operations(session))) == n_ops
    # The sequence did not advance for the lost transaction: the next op follows the last kept one.
    assert int(profile.values["seq"] or 0) == max(
        (op.seq for op in ops_of_device(profile)), default=0
    )


def ops_of_device(profile: Profile) -> list[Operation]:
    with profile.read() as session:
        return list(session.scalars(select(Operation).where(Operation.origin == profile.device_id)))


def populate(profile: Profile, seed: int = 3) -> list[str]:
    """Real work through the services: people, assistances with team, edits, moves, cancellation."""
    rng = random.Random(seed)
    set_role(profile, "coordinator")  # a coordinator's profile: it may edit catalogs
    catalog.import_directorates(profile)
    catalog.set_category(profile, "52835", "6")
    people = [
        persons.save_person(
            profile, name=f"Persona {i}", role=rng.choice(["student", "field_professional"])
        )[0]
        for i in range(4)
    ]
    codes = []
    for i, muni in enumerate(["52835", "19050", "05001", "11001", "27001"]):
        code, _ = assistances.create_assistance(
            profile,
            AssistanceInput(
                municipality_code=muni,
                thematic_line_code=rng.choice(["INNOVACION", "PAZ", "ETNICOS"]),
                team=rng.sample(people, 2),
                counterparts=[
                    CounterpartInput(
                        f"Funcionaria {i}", "Secretaria de Planeación", f"f{i}@alcaldia.gov.co"
                    )
                ],
                requested_on=dt.date(2026, 2, 1 + i),
                start_on=dt.date(2026, 3, 1),
                end_on=dt.date(2026, 9, 30),
                notes=f"Nota {i}",
            ),
        )
        codes.append(code)
    assistances.transition(profile, codes[0], "concerted")
    assistances.transition(profile, codes[0], "diagnosed")
    assistances.transition(profile, codes[1], "cancelled", "Cambio de administración")
    detail = assistances.get_assistance(profile, codes[2])
    assistances.update_assistance(
        profile,
        codes[2],
        AssistanceInput(
            municipality_code="05001",
            thematic_line_code="PAZ",
            team=[m.person_id for m in detail.team][:1],
            counterparts=[],
            start_on=dt.date(2026, 4, 1),
            end_on=None,
            notes="Reprogramada",
        ),
    )
    result = populate_plan(profile, codes[0])
    populate_deliverables(profile, codes[0], result)
    return codes


def populate_plan(profile: Profile, code: str) -> str:
    """An action plan through its whole life: findings, results and activities, a return, an
    approval, follow-ups, links, and a second version still in draft. Returns its result."""
    from fieldkit.services import plans
    from fieldkit.services.plans import ActivityInput, PlanInput, ResultInput

    day = min(dt.date(2026, 5, 4), dt.date.today())
    finding, _ = plans.add_finding(profile, code, "Recaudo del predial bajo", "Finanzas", 1)
    plan_id, _ = plans.create_plan(
        profile, code, PlanInput("Recaudo bajo.", "Mejorar el recaudo.", "Mesas técnicas.")
    )
    result, _ = plans.add_result(
        profile,
        plan_id,
        ResultInput("Mayor recaudo", "Recaudo frente a lo facturado (%)", "result", "%", 38, 60),
    )
    activity, _ = plans.add_activity(
        profile,
        plan_id,
        ActivityInput("Depurar la cartera", result, "municipality", "Ana Ruiz, Tesorera"),
    )
    plans.link_finding(profile, finding, result)
    plans.submit(profile, plan_id)
    plans.return_plan(profile, plan_id, "Falta la fuente de la línea base.")
    plans.update_result(
        profile,
        result,
        ResultInput("Mayor recaudo", "Recaudo frente a lo facturado (%)", "result", "%", 38, 60,
                    verification="Reporte del FUT"),
    )  # fmt: skip
    plans.submit(profile, plan_id)
    plans.approve(profile, plan_id, "Aprobado.")
    plans.record_activity_progress(profile, activity, day, 50, note="Mesa con Hacienda")
    plans.record_measurement(profile, result, day, 41, verification="FUT")
    visit, _ = forms.start(profile, code, "bitacora_visita")
    plans.link_visit(profile, activity, visit)
    plans.new_version(profile, plan_id)
    removed, _ = plans.remove_activity(profile, activity)
    plans.restore(profile, removed)
    return result


def populate_deliverables(profile: Profile, code: str, result: str) -> None:
    """A deliverable through its whole life: files and photos, a caption changed and a file
    removed, a return with comments per item, answers, a second submission, the approval, the
    delivery, the signed act and the satisfaction survey; another one removed and restored."""
    import tempfile

    from fieldkit.services import deliverables
    from fieldkit.services.deliverables import (
        PHOTO,
        SIGNED_ACT,
        DeliverableInput,
        DeliveryInput,
        ItemComment,
    )

    day = min(dt.date(2026, 6, 10), dt.date.today())
    manual = DeliverableInput(
        "procedure_manual", "Manual de cartera", "Cobro persuasivo y coactivo.", day, [result]
    )
    deliverable, _ = deliverables.create(profile, code, manual)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {
            "manual.pdf": b"%PDF-1.4 manual de cartera",
            "manual-v2.pdf": b"%PDF-1.4 manual de cartera, version 2",
            "mesa.jpg": b"\xff\xd8\xff\xe0 mesa tecnica",
            "acta.pdf": b"%PDF-1.4 acta firmada",
        }
        for name, data in files.items():
            (folder / name).write_bytes(data)
        first, _ = deliverables.add_file(profile, deliverable, folder / "manual.pdf")
        photo, _ = deliverables.add_file(profile, deliverable, folder / "mesa.jpg", "Mesa", PHOTO)
        deliverables.set_caption(profile, photo, "Mesa técnica con Hacienda")
        deliverables.submit(profile, deliverable, "Primera versión")
        deliverables.return_for_changes(
            profile,
            deliverable,
            "Ajusten el manual.",
            [
                ItemComment("manual.pdf", "Falta el reglamento de cartera."),
                ItemComment("", "Glosario"),
            ],
        )
        for comment in deliverables.get(profile, deliverable).reviews[-1].items:
            deliverables.address_comment(profile, comment.id, "Incluido en la versión 2")
        deliverables.update(profile, deliverable, manual._replace(title="Manual de cartera v2"))
        deliverables.add_file(profile, deliverable, folder / "manual-v2.pdf")
        deliverables.remove_file(profile, first)
        deliverables.submit(profile, deliverable, "Versión corregida")
        deliverables.approve(profile, deliverable, "Aprobado.")
        deliverables.deliver(
            profile,
            deliverable,
            DeliveryInput(day, "Despacho del alcalde", "Ana Ruiz", "Tesorera", "Alcaldía", ["Persona 0"]),
        )  # fmt: skip
        deliverables.add_file(profile, deliverable, folder / "acta.pdf", "", SIGNED_ACT)
    survey, _ = deliverables.start_survey(profile, deliverable)
    state = forms.open_state(profile, survey)
    for name, value in (("fecha", day.isoformat()), ("rol", "secretario"), ("participo", "contraparte"),
                        ("pertinencia", "5"), ("calidad", "4"), ("oportunidad", "4"), ("trato", "5"),
                        ("utilidad", "4"), ("adopcion", "en_proceso")):  # fmt: skip
        state.set_answer(name, value)
    forms.save_answers(profile, survey, state.answers())
    forms.complete(profile, survey)
    guide, _ = deliverables.create(profile, code, DeliverableInput("guide", "Guía de cobro"))
    deliverables.remove(profile, guide)
    deliverables.restore(profile, guide)


def test_rebuilding_from_operations_alone_gives_an_identical_dump(
    profile: Profile, tmp_path: Path
) -> None:
    populate(profile)
    original = dump(profile)
    with profile.read() as session:
        ops = list(iter_operations(session))
    with Profile(tmp_path / "vacio") as empty:
        # Wipe the freshly seeded rows and operations: the new database starts from nothing.
        with empty.store.engine.begin() as conn:
            from fieldkit.store.models import ENTITIES

            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            conn.execute(Operation.__table__.delete())
            for cls in ENTITIES.values():
                conn.execute(cls.__table__.delete())  # type: ignore[attr-defined]
        assert json.loads(dump(empty)) == {name: [] for name in json.loads(original)}
        with empty.store.uow.Session() as session, session.begin():
            insert_operations(session, ops)
        assert dump(empty) == original


@settings(max_examples=12, deadline=None)
@given(order=st.randoms(use_true_random=False), dup=st.integers(min_value=0, max_value=50))
def test_operations_in_any_order_and_repeated_give_the_same_rows(
    shared_ops: tuple[list[dict], str],
    tmp_path_factory: pytest.TempPathFactory,
    order: random.Random,
    dup: int,
) -> None:
    ops, expected = shared_ops
    shuffled = list(ops)
    order.shuffle(shuffled)
    shuffled += order.sample(ops, min(dup, len(ops)))
    with Profile(tmp_path_factory.mktemp("orden")) as target:
        with target.store.uow.Session() as session, session.begin():
            for start in range(0, len(shuffled), 97):  # several batches, like several bundles
                insert_operations(session, shuffled[start : start + 97])
        with target.read() as session:
            assert dump_json(session) == expected


@pytest.fixture(scope="module")
def shared_ops(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], str]:
    with Profile(tmp_path_factory.mktemp("fuente")) as source:
        populate(source, seed=11)
        with source.read() as session:
            ops = [op for op in iter_operations(session) if op["origin"] == source.device_id]
        # The target seeds the same catalog itself; only this device's operations travel.
        return ops, dump(source)


def test_updated_at_follows_the_newest_operation(profile: Profile) -> None:
    codes = populate(profile)
    with profile.read() as session:
        a = session.scalars(select(Assistance).where(Assistance.code == codes[0])).one()
        newest = max(
            op.hlc for op in session.scalars(select(Operation).where(Operation.record_id == a.id))
        )
    wall = Timestamp.decode(newest).wall
    assert a.updated_at == dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=wall)


def test_a_batch_is_one_transaction_all_or_nothing(profile: Profile) -> None:
    before = dump(profile)
    with pytest.raises(ValidationError), profile.batch():
        persons.save_person(profile, name="Primera del lote", role="student")
        persons.save_person(profile, name="Segunda del lote", role="student")
        persons.save_person(profile, name="", role="student")  # refused: the whole batch goes
    assert dump(profile) == before
    with profile.batch():
        a, _ = persons.save_person(profile, name="Primera del lote", role="student")
        b, _ = persons.save_person(profile, name="Segunda del lote", role="student")
        # Inside the batch nothing is committed yet: another connection does not see it.
        assert not [p for p in persons.list_persons(profile) if p.id in (a, b)]
    assert {p.name for p in persons.list_persons(profile)} >= {
        "Primera del lote",
        "Segunda del lote",
    }
    ops = ops_of(profile, "person", a) + ops_of(profile, "person", b)
    seqs = sorted(op.seq for op in ops)
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))


def test_a_failed_call_caught_inside_a_batch_leaves_nothing_of_itself(profile: Profile) -> None:
    """A savepoint per call: the batch goes on without the half-written record or its numbers."""
    with profile.batch():
        persons.save_person(profile, name="Se queda", role="student")
        with pytest.raises(NotFoundError):
            assistances.create_assistance(
                profile,
                AssistanceInput(
                    municipality_code="52835", thematic_line_code="PAZ", team=["no-existe"]
                ),
            )
        persons.save_person(profile, name="También", role="student")
    assert not assistances.list_assistances(profile)  # no assistance without its team
    names = {p.name for p in persons.list_persons(profile)}
    assert {"Se queda", "También"} <= names
    ops = sorted(op.seq for op in ops_of_device(profile))
    assert ops == list(range(1, len(ops) + 1))  # the failed call's numbers were handed out again
    code, _ = assistances.create_assistance(
        profile, AssistanceInput(municipality_code="52835", thematic_line_code="PAZ")
    )
    assert code.endswith("-001")  # nor was its code number used up


def test_a_reused_origin_and_sequence_is_refused_not_dropped(profile: Profile) -> None:
    pid, _ = persons.save_person(profile, name="Original", role="student")
    [mine] = [op for op in ops_of_device(profile) if op.field == "name"]
    clash = {
        "op_id": "11111111-1111-4111-8111-111111111111",
        "origin": mine.origin,
        "seq": mine.seq,
        "hlc": mine.hlc,
        "entity": "person",
        "record_id": pid,
        "field": "name",
        "value": json.dumps("Impostora"),
        "base_hlc": None,
        "author": "otro",
    }
    before = dump(profile)
    with pytest.raises(ProfileError, match="comparten identidad"), profile.write() as session:
        insert_operations(session, [clash])
    assert dump(profile) == before


def test_datetimes_keep_full_precision_and_aware_values_are_stored_as_utc(
    profile: Profile, tmp_path: Path
) -> None:
    from fieldkit.store.models import StateChange

    code, _ = assistances.create_assistance(
        profile, AssistanceInput(municipality_code="52835", thematic_line_code="PAZ")
    )
    bogota = dt.timezone(dt.timedelta(hours=-5))
    with profile.write() as session:
        a = session.scalars(select(Assistance).where(Assistance.code == code)).one()
        session.add(
            StateChange(
                assistance_id=a.id,
                from_state="requested",
                to_state="requested",
                changed_at=dt.datetime(2026, 3, 4, 7, 8, 9, 123456, tzinfo=bogota),
            )
        )
    with profile.read() as session:
        row = session.scalars(select(StateChange).where(StateChange.from_state.is_not(None))).one()
        assert row.changed_at == dt.datetime(2026, 3, 4, 12, 8, 9, 123456)  # naive UTC, all digits
        [op] = session.scalars(
            select(Operation).where(Operation.record_id == row.id, Operation.field == "changed_at")
        ).all()
        assert json.loads(op.value or "") == "2026-03-04T12:08:09.123456"
    assert '"changed_at": "2026-03-04T12:08:09.123456"' in dump(profile)
