"""The merge's shortcuts give exactly what the plain way gives: rows decoded as the ORM stores
them, winners of records new to the store picked as the database picks them, conflicts found
whether a record is new or known, reports that count what happened, and scopes worked out once
per record."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, Text, select, text

from fieldkit.domain.hlc import Timestamp
from fieldkit.services.profile import Profile
from fieldkit.store import codec
from fieldkit.store.merge import merge
from fieldkit.store.models import ENTITIES, Conflict, Operation, synced_fields
from fieldkit.store.oplog import OP_COLUMNS, dump_json, insert_operations
from fieldkit.store.scope import ScopeResolver
from fieldkit.store.uow import _SQLITE, _python_decoding, _updated_at, hlc_datetime, materialize

A = "aaaaaaaa-0000-4000-8000-000000000001"
B = "bbbbbbbb-0000-4000-8000-000000000002"


def orm_stored(column_type: Any, text_value: str | None) -> object:
    """What the ORM binds for a value decoded by codec: the plain way."""
    value = codec.decode(column_type, text_value)
    process = column_type.dialect_impl(_SQLITE).bind_processor(_SQLITE)
    return value if value is None or process is None else process(value)


@pytest.mark.parametrize(
    ("column_type", "values"),
    [
        (
            DateTime(),
            [
                dt.datetime(2025, 3, 4, 5, 6, 7),
                dt.datetime(2025, 3, 4, 5, 6, 7, 890),
                dt.datetime(999, 1, 2),
                "2025-03-04T05:06:07+05:00",  # aware text: the ORM keeps the wall time
                "2025-03-04",
                None,
            ],
        ),
        (Date(), [dt.date(2025, 3, 4), dt.date(33, 1, 1), "20250304", None]),
        (Boolean(), [True, False, None, 1, 0]),
        (Integer(), [0, -7, 2**62, None]),
        (Float(), [0.1, 1e300, -2.5, 3, None]),
        (
            String(),
            ["plain", "", 'comillas "y" \\ barras', "a\u0000b", "ñandú 😀", "\u2028", None],
        ),
        (Text(), ["línea\nnueva", "\ud83d\ude00 escaped", None]),
    ],
)
def test_materialize_decodes_each_kind_as_the_orm_stores_it(
    column_type: Any, values: list[object]
) -> None:
    decode = _python_decoding(column_type)
    for value in values:
        if isinstance(value, dt.datetime | dt.date):
            encoded: str | None = codec.encode(column_type, value)
        else:
            encoded = json.dumps(value)
        for variant in {encoded, json.dumps(json.loads(encoded), ensure_ascii=False)}:
            assert decode(variant) == orm_stored(column_type, variant), variant
    assert decode(None) is None


@given(wall=st.integers(0, 253_402_300_799_999), counter=st.integers(0, 16**6 - 1))
def test_updated_at_text_is_what_the_orm_stores(wall: int, counter: int) -> None:
    hlc = Timestamp(wall, counter, A).encode()
    process = DateTime().dialect_impl(_SQLITE).bind_processor(_SQLITE)
    assert _updated_at(hlc) == process(hlc_datetime(Timestamp.decode(hlc)))


def op(
    record: str,
    field: str,
    value: object,
    *,
    origin: str = A,
    seq: int,
    wall: int = 1_790_000_000_000,
    counter: int = 0,
    node: str | None = None,
    base: str | None = None,
    entity: str = "person",
) -> dict[str, Any]:
    return {
        "op_id": str(uuid.uuid4()),
        "origin": origin,
        "seq": seq,
        "hlc": Timestamp(wall, counter, node or origin).encode(),
        "entity": entity,
        "record_id": record,
        "field": field,
        "value": json.dumps(value),
        "base_hlc": base,
        "author": "prueba",
    }


def rebuilt(p: Profile, keys: set[tuple[str, str]]) -> str:
    """The dump after re-deriving these records the plain way (reading every operation back)."""
    with p.store.uow.Session() as session, session.begin():
        materialize(session, keys)
        return dump_json(session)


def dumped(p: Profile) -> str:
    with p.read() as session:
        return dump_json(session)


def test_winners_of_records_new_here_are_the_databases_even_on_equal_clocks(
    profile: Profile,
) -> None:
    new, known = str(uuid.uuid4()), str(uuid.uuid4())
    with profile.store.uow.Session() as session, session.begin():
        merge(session, [op(known, "name", "Antes", seq=1)])
    batch = [
        op(new, "name", "Primera", seq=2, counter=5),
        op(new, "name", "Más nueva", seq=3, counter=9),
        op(new, "name", "Vieja", seq=4, counter=1),
        op(new, "role", "student", seq=5),
        # Same clock text twice (only a broken or hostile sender does this): the first stays.
        op(new, "phone", "111", seq=6, counter=7, node=B),
        op(new, "phone", "222", origin=B, seq=1, counter=7),
        op(known, "name", "Después", seq=7, counter=3),
    ]
    with profile.store.uow.Session() as session, session.begin():
        report = merge(session, batch)
    assert (report.applied, report.new_records, report.updated_fields) == (7, 1, 1)
    rows = json.loads(dumped(profile))["person"]
    mine = {r["id"]: r for r in rows}
    assert mine[new]["name"] == "Más nueva" and mine[new]["phone"] == "111"
    assert mine[known]["name"] == "Después"
    assert dumped(profile) == rebuilt(profile, {("person", new), ("person", known)})


def test_reports_count_repeats_in_the_batch_and_operations_already_here(
    profile: Profile,
) -> None:
    record = str(uuid.uuid4())
    first = [op(record, "name", "Ana", seq=1), op(record, "role", "student", seq=2)]
    with profile.store.uow.Session() as session, session.begin():
        report = merge(session, [*first, first[0]])
    assert (report.received, report.duplicates, report.applied) == (3, 1, 2)
    assert report.new_records == 1 and report.updated_fields == 0
    again = [*first, op(record, "name", "Ana Rojas", seq=3, counter=1)]
    with profile.store.uow.Session() as session, session.begin():
        report = merge(session, again)
    assert (report.received, report.duplicates, report.applied) == (3, 2, 1)
    assert report.new_records == 0 and report.updated_fields == 1
    assert json.loads(dumped(profile))["person"][0]["name"] == "Ana Rojas"
    with profile.store.uow.Session() as session, session.begin():
        report = merge(session, again)
    assert (report.duplicates, report.applied, report.conflicts) == (3, 0, 0)


def test_an_op_id_already_here_is_a_duplicate_even_when_its_number_clashes(
    profile: Profile,
) -> None:
    record = str(uuid.uuid4())
    mine = op(record, "name", "Ana", seq=1)
    with profile.store.uow.Session() as session, session.begin():
        merge(session, [mine])
    # The same op id again with another (origin, seq): skipped as known, not a clash.
    twin = {**mine, "seq": 2, "value": json.dumps("Otra")}
    with profile.store.uow.Session() as session, session.begin():
        report = merge(session, [twin, op(record, "role", "student", seq=3)])
    assert (report.duplicates, report.applied) == (1, 1)
    assert json.loads(dumped(profile))["person"][0]["name"] == "Ana"


def conflict_pairs(p: Profile) -> set[tuple[str, str, str]]:
    with p.read() as session:
        return {(c.kind, c.op_a, c.op_b) for c in session.scalars(select(Conflict))}


def pair(kind: str, x: dict[str, Any], y: dict[str, Any]) -> tuple[str, str, str]:
    return (kind, min(x["op_id"], y["op_id"]), max(x["op_id"], y["op_id"]))


@pytest.mark.parametrize("split", [False, True])
def test_conflicts_are_found_on_records_new_here_and_on_known_ones(
    profile: Profile, split: bool
) -> None:
    """The same conflicts whether the operations arrive in one batch (the record is new to the
    store) or in two (the second finds a known record)."""
    fresh, tomb = str(uuid.uuid4()), str(uuid.uuid4())
    created = op(fresh, "name", "Rosa", seq=1)
    mine = op(fresh, "phone", "300", seq=2, counter=1, base=None)
    theirs = op(fresh, "phone", "301", origin=B, seq=1, counter=2, base=None)
    same = op(fresh, "role", "student", origin=B, seq=2, counter=3)
    echo = op(fresh, "role", "student", seq=3, counter=4)  # same value: no conflict
    born = op(tomb, "name", "Luis", seq=4)
    deleted = op(tomb, "deleted", True, seq=5, counter=5)
    edited = op(tomb, "phone", "302", origin=B, seq=3, counter=6)  # after the delete, unseen
    batch = [created, mine, theirs, same, echo, born, deleted, edited]
    batches = [batch[::2], batch[1::2]] if split else [batch]
    total = 0
    for part in batches:
        with profile.store.uow.Session() as session, session.begin():
            total += merge(session, part).conflicts
    expected = {pair("field", mine, theirs), pair("deleted", deleted, edited)}
    assert conflict_pairs(profile) == expected and total == 2


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plantilla") / "perfil"
    Profile(folder, device_name="Plantilla").close()
    return folder


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    plan=st.lists(
        st.tuples(
            st.integers(0, 2),  # record
            st.sampled_from(["name", "phone", "deleted"]),
            st.integers(0, 1),  # origin
            st.integers(0, 3),  # clock
            st.integers(0, 2),  # value
            st.integers(0, 1),  # base: none or the first clock
        ),
        min_size=1,
        max_size=12,
    ),
    cut=st.integers(0, 12),
)
def test_conflicts_and_rows_do_not_depend_on_how_the_batches_fall(
    template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    plan: list[tuple[int, str, int, int, int, int]],
    cut: int,
) -> None:
    records = [str(uuid.UUID(int=n + 1)) for n in range(3)]
    origins = [A, B]
    seqs = {A: 0, B: 0}
    ops = []
    for record, field, origin_at, clock, value, base in plan:
        origin = origins[origin_at]
        seqs[origin] += 1
        ops.append(
            op(
                records[record],
                field,
                value % 2 == 0 if field == "deleted" else f"v{value}",
                origin=origin,
                seq=seqs[origin],
                counter=clock * 10 + seqs[origin],
                base=Timestamp(1_790_000_000_000, 0, A).encode() if base else None,
            )
        )
    results = []
    for batches in ([ops], [ops[:cut], ops[cut:]], [[o] for o in reversed(ops)]):
        folder = tmp_path_factory.mktemp("lotes") / "perfil"
        shutil.copytree(template, folder)
        with Profile(folder) as p:
            for part in batches:
                with p.store.uow.Session() as session, session.begin():
                    merge(session, part)
            with p.read() as session:
                found = {(c.kind, c.op_a, c.op_b) for c in session.scalars(select(Conflict))}
                held = len(session.scalars(select(Operation.op_id)).all())
            results.append((dumped(p), found, held))
    assert results[0] == results[1] == results[2]


def test_insert_operations_still_rebuilds_every_record_it_touches(profile: Profile) -> None:
    record = str(uuid.uuid4())
    ops = [op(record, "name", "Ana", seq=1), op(record, "role", "student", seq=2)]
    with profile.store.uow.Session() as session, session.begin():
        touched = insert_operations(session, ops)
        # Rows wiped behind its back come back when the same operations are inserted again.
        session.execute(text("DELETE FROM persons WHERE id = :id"), {"id": record})
        assert insert_operations(session, ops) == touched == {("person", record)}
    assert json.loads(dumped(profile))["person"][0]["name"] == "Ana"


def scope_batch(assistance: str, municipality: str, other: str) -> list[dict[str, Any]]:
    member = str(uuid.uuid4())
    return [
        op(assistance, "municipality_id", municipality, seq=1, entity="assistance"),
        op(assistance, "code", "AT-1", seq=2, entity="assistance"),
        op(member, "assistance_id", assistance, seq=3, entity="assistance_member"),
        op(member, "team_role", "lead", seq=4, entity="assistance_member"),
        # A later operation moves the assistance: the others follow its newest place...
        op(assistance, "municipality_id", other, seq=5, counter=9, entity="assistance"),
    ]


def test_scopes_follow_the_newest_place_in_the_batch_and_each_moving_op_its_own(
    profile: Profile,
) -> None:
    from fieldkit.services import catalog

    def municipality(code: str) -> str:
        return catalog.record_id("municipality", code)

    catalog.import_directorates(profile)
    assistance = str(uuid.uuid4())
    tumaco, medellin = municipality("52835"), municipality("05001")
    batch = scope_batch(assistance, tumaco, medellin)
    with profile.read() as session:
        resolver = ScopeResolver(session, batch)
        scopes = [resolver.scope(o) for o in batch]
        again = [resolver.scope(o) for o in reversed(batch)][::-1]
        stranger = op(str(uuid.uuid4()), "team_role", "x", seq=9, entity="assistance_member")
        unknown = resolver.scope(stranger)
    assert scopes == again  # worked out once, the same every time
    assert [s.municipality for s in scopes] == ["52835", "05001", "05001", "05001", "05001"]
    assert scopes[0].directorate != scopes[1].directorate
    assert unknown.municipality is None and unknown.directorate is None


def test_every_synced_column_has_a_decoder() -> None:
    for cls in ENTITIES.values():
        table = cls.__table__  # type: ignore[attr-defined]
        for field in synced_fields(cls):
            assert _python_decoding(table.c[field].type)(None) is None


def test_op_columns_are_the_operations_table(profile: Profile) -> None:
    with profile.read() as session:
        names = [r[1] for r in session.execute(text("PRAGMA table_info(operations)"))]
    assert list(OP_COLUMNS) == names
