"""Merge other devices' operations into this store (DESIGN §5): validate, add, find conflicts.

Rows stay a function of the set of operations (greatest HLC wins per field), so merging the
same operations in any order, any number of times, gives the same rows. What a person must
see is recorded as conflicts: two operations on one field with the same base version, from
different devices, with different values; or an edit made, without seeing it, after another
device deleted the record.

Set-based throughout, never one query per operation: the new operations go in with one
executemany, and are then `operations WHERE rowid > (the largest rowid before)`; a temporary
table lists their records, which later steps join on the (entity, record, field) index. Python
does only what must be per operation (validation, authorization) and what saves reading back
(the rows of records new to this store come from the operations just added).
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from fieldkit.domain.hlc import ZERO_NODE, Clock, Timestamp
from fieldkit.i18n import N_
from fieldkit.store.models import ENTITIES, Operation, synced_fields
from fieldkit.store.oplog import OP_COLUMNS, insert_rows, row_of
from fieldkit.store.uow import (
    TOUCHED,
    decode_json,
    materialize_touched,
    reset_touched,
    write_profile,
)

# Reasons are Spanish message ids; the service translates them when it shows the report.
UNKNOWN_ENTITY = N_("entidad desconocida «{entity}»")
UNKNOWN_FIELD = N_("campo desconocido «{field}» en {entity}")
BAD_VALUE = N_("valor de tipo incorrecto para {entity}.{field}: {value}")
BAD_CLOCK = N_("marca de reloj inválida «{hlc}»")
SEED_ORIGIN = N_("operación del catálogo de fábrica: cada equipo la tiene por sí mismo")


@dataclass
class Rejected:
    op: dict[str, Any]
    reason: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass
class MergeReport:
    received: int = 0
    duplicates: int = 0
    applied: int = 0
    new_records: int = 0
    updated_fields: int = 0
    conflicts: int = 0
    rejected: list[Rejected] = field(default_factory=list)


Authorize = Callable[[dict[str, Any]], tuple[str, dict[str, object]] | None]


def validate(op: dict[str, Any]) -> tuple[str, dict[str, object]] | None:
    """Why an operation cannot be applied (a msgid and its params), or None when it can."""
    kinds = _KINDS.get(op["entity"])
    if kinds is None:
        return UNKNOWN_ENTITY, {"entity": op["entity"]}
    kind = kinds.get(op["field"])
    if kind is None:
        return UNKNOWN_FIELD, {"field": op["field"], "entity": op["entity"]}
    if op["origin"] == ZERO_NODE:
        return SEED_ORIGIN, {}
    hlc, base = op["hlc"], op["base_hlc"]
    if (
        not isinstance(hlc, str)
        or not _HLC(hlc)
        or (base is not None and not (isinstance(base, str) and _HLC(base)))
    ):
        return BAD_CLOCK, {"hlc": hlc}
    value = op["value"]
    if value is None or (kind == "text" and type(value) is str and _PLAIN_STRING(value)):
        return None  # a JSON string with nothing escaped: a text, no need to decode it
    try:
        raw = decode_json(value)
        if raw is not None and not _TYPE_CHECKS[kind](raw):
            raise TypeError(kind)
        if kind in ("date", "datetime") and raw is not None:
            (dt.date if kind == "date" else dt.datetime).fromisoformat(raw)
    except (ValueError, TypeError):
        return BAD_VALUE, {
            "entity": op["entity"],
            "field": op["field"],
            "value": str(op["value"])[:80],
        }
    return None


_HLC = re.compile(r"^[0-9a-f]{12}-[0-9a-f]{6}-.+\Z", re.DOTALL).match
_PLAIN_STRING = re.compile(r'"[^"\\\x00-\x1f]*"\Z').match

# JSON types must match the column: a text where a number goes is refused, not coerced.
_TYPE_CHECKS: dict[str, Callable[[object], bool]] = {
    "bool": lambda v: isinstance(v, bool),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "date": lambda v: isinstance(v, str),
    "datetime": lambda v: isinstance(v, str),
    "text": lambda v: isinstance(v, str),
}


@functools.cache
def _field_kinds(entity: str) -> dict[str, str]:
    from sqlalchemy import Boolean, Date, DateTime, Float, Integer

    kinds = {}
    table = ENTITIES[entity].__table__  # type: ignore[attr-defined]
    for name in synced_fields(ENTITIES[entity]):
        t = table.c[name].type
        kinds[name] = (
            "bool" if isinstance(t, Boolean)
            else "int" if isinstance(t, Integer)
            else "float" if isinstance(t, Float)
            else "datetime" if isinstance(t, DateTime)
            else "date" if isinstance(t, Date)
            else "text"
        )  # fmt: skip
    return kinds


# entity -> field -> kind, looked up once per operation.
_KINDS: dict[str, dict[str, str]] = {entity: _field_kinds(entity) for entity in ENTITIES}
_OP_KEYS = frozenset(OP_COLUMNS)
_HLC_OF = operator.itemgetter(OP_COLUMNS.index("hlc"))
_RECORD = operator.itemgetter(OP_COLUMNS.index("entity"), OP_COLUMNS.index("record_id"))
_ADDED = operator.itemgetter(
    *(OP_COLUMNS.index(c) for c in ("entity", "record_id", "field", "hlc", "value"))
)


def merge(
    session: Session,
    ops: Iterable[dict[str, Any]],
    *,
    authorize: Authorize | None = None,
    now: dt.datetime | None = None,
) -> MergeReport:
    """Add the operations this store lacks, in the caller's transaction; report what happened.

    `authorize(op)` returns a refusal (msgid, params) for operations the sender may not make;
    refused and invalid operations are reported and left out, the rest applies.
    """
    report = MergeReport()
    rows: list[tuple[Any, ...]] = []
    seen: set[str] = set()
    refused = report.rejected
    received = repeated = 0
    # Operations refused before (for their sender's role or scope) are seen: not again reported.
    refused_before = {
        op_id for (op_id,) in session.connection().exec_driver_sql(_REFUSED_IDS).fetchall()
    }
    unauthorized: list[Rejected] = []
    for op in ops:  # the per-operation work: keep it lean
        received += 1
        if type(op) is not dict or op.keys() != _OP_KEYS:
            op = {k: op.get(k) for k in OP_COLUMNS}
        op_id = op["op_id"]
        if refused_before and op_id in refused_before:
            repeated += 1
            continue
        refusal = validate(op)
        if refusal is not None:
            refused.append(Rejected(op, refusal[0], refusal[1]))
            continue
        if authorize is not None:
            refusal = authorize(op)
            if refusal is not None:
                rejected = Rejected(op, refusal[0], refusal[1])
                refused.append(rejected)
                unauthorized.append(rejected)
                continue
        if op_id in seen:  # the same op twice in one batch counts once
            repeated += 1
            continue
        seen.add(op_id)
        rows.append(row_of(op))
    report.received, report.duplicates = received, repeated
    if unauthorized:
        _remember_refused(session, unauthorized, now)
    if not rows:
        return report
    before = insert_rows(session, rows)
    # From here on, this merge's new operations are `operations n WHERE n.rowid > before`;
    # NOT INDEXED keeps SQLite to that rowid range (it would rather scan a whole covering index
    # for DISTINCT, a cost that grows with every operation already held).
    connection = session.connection()
    report.applied = connection.exec_driver_sql(
        "SELECT count(*) FROM operations WHERE rowid > ?", (before,)
    ).scalar_one()
    report.duplicates += len(rows) - report.applied  # already here (a bundle sent twice)
    if not report.applied:
        return report
    # The records touched, and whether each had operations before this merge.
    every_row_added = report.applied == len(rows)  # no op id was already here
    reset_touched(session)
    if every_row_added:  # the rows' records, then, without sorting the new operations again
        connection.connection.cursor().executemany(
            f"INSERT INTO {TOUCHED} (entity, record_id, known) VALUES (?1, ?2, EXISTS"
            " (SELECT 1 FROM operations o WHERE o.entity = ?1 AND o.record_id = ?2"
            " AND o.rowid <= ?3))",
            [(entity, record_id, before) for entity, record_id in set(map(_RECORD, rows))],
        )
    else:
        connection.exec_driver_sql(
            f"INSERT INTO {TOUCHED} (entity, record_id, known)"
            " SELECT d.entity, d.record_id, EXISTS (SELECT 1 FROM operations o"
            " WHERE o.entity = d.entity AND o.record_id = d.record_id AND o.rowid <= ?)"
            " FROM (SELECT DISTINCT entity, record_id FROM operations NOT INDEXED"
            " WHERE rowid > ?) d",
            (before, before),
        )
    records, report.new_records = connection.exec_driver_sql(
        f"SELECT count(*), count(*) FILTER (WHERE NOT known) FROM {TOUCHED}"
    ).one()
    if report.new_records < records:  # fields updated: the new operations' on known records
        report.updated_fields = connection.exec_driver_sql(
            "SELECT count(*) FROM (SELECT DISTINCT n.entity, n.record_id, n.field"
            f" FROM operations n NOT INDEXED CROSS JOIN {TOUCHED} t"
            " ON t.entity = n.entity AND t.record_id = n.record_id"
            " WHERE n.rowid > ? AND t.known)",
            (before,),
        ).scalar_one()
    # Every row added: the rows of records new here need not be read back. Which records may
    # take part in a conflict: those known before, and those new here with two operations on one
    # field or a delete (every operation they have came now); without that knowledge, all.
    contested: set[tuple[str, str]] = set()
    if every_row_added:
        materialize_touched(session, map(_ADDED, rows), contested)
        connection.exec_driver_sql(f"UPDATE {TOUCHED} SET contested = known")
        connection.connection.cursor().executemany(
            f"UPDATE {TOUCHED} SET contested = 1 WHERE entity = ? AND record_id = ?", contested
        )
    else:
        materialize_touched(session)
        connection.exec_driver_sql(f"UPDATE {TOUCHED} SET contested = 1")
    report.conflicts = _record_conflicts(
        session, before, now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    )
    if every_row_added:
        newest = max(map(_HLC_OF, rows))
    else:
        newest = connection.exec_driver_sql(
            "SELECT max(hlc) FROM operations WHERE rowid > ?", (before,)
        ).scalar_one()
    _observe_clock(session, newest)
    return report


_REFUSED_IDS = "SELECT op_id FROM refused_operations"


def _remember_refused(session: Session, refused: list[Rejected], now: dt.datetime | None) -> None:
    """Keep operations refused for their sender's role or scope (not invalid ones: a newer
    version of fieldkit may know their entity), so their sequence numbers count as seen."""
    import json

    when = (now or dt.datetime.now(dt.UTC).replace(tzinfo=None)).isoformat(" ")
    session.connection().connection.cursor().executemany(
        "INSERT OR IGNORE INTO refused_operations (op_id, origin, seq, entity, record_id,"
        " field, reason, params, refused_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r.op["op_id"],
                r.op["origin"],
                r.op["seq"],
                r.op["entity"],
                r.op["record_id"],
                r.op["field"],
                r.reason,
                json.dumps(r.params, ensure_ascii=False, default=str),
                when,
            )
            for r in refused
        ],
    )


def _record_conflicts(session: Session, before: int, now: dt.datetime) -> int:
    """Insert the conflicts the operations added after rowid `before` take part in; returns how
    many are new. Only the records `touched_records` marks `contested` are looked at."""
    insert = (
        "INSERT INTO conflicts (id, kind, entity, record_id, field, op_a, op_b, detected_at)"
        " SELECT lower(hex(randomblob(16))), ?, n.entity, n.record_id, n.field,"
        " min(n.op_id, o.op_id), max(n.op_id, o.op_id), ?"
        # CROSS JOIN fixes the order (SQLite's documented way): from those records to their
        # operations through the (entity, record, field) index; never a scan of every operation.
        f" FROM {TOUCHED} t CROSS JOIN operations {{}} CROSS JOIN operations {{}}"
        " WHERE t.contested AND {} ON CONFLICT (op_a, op_b) DO NOTHING"
    )
    connection = session.connection()
    if not connection.exec_driver_sql(
        f"SELECT EXISTS (SELECT 1 FROM {TOUCHED} WHERE contested)"
    ).scalar_one():
        return 0  # the usual bundle of new records: nothing to look at
    found = 0
    # Same field, same base version, another device, another value. (Comparing rowids rather
    # than op ids tells an operation from itself within the index, without reading its row.)
    found += connection.exec_driver_sql(
        insert.format(
            "n ON n.entity = t.entity AND n.record_id = t.record_id",
            "o ON o.entity = t.entity AND o.record_id = t.record_id AND o.field = n.field",
            "n.rowid > ? AND n.field != 'deleted' AND o.rowid != n.rowid AND o.origin != n.origin"
            " AND o.base_hlc IS n.base_hlc AND o.value IS NOT n.value",
        ),
        ("field", now, before),
    ).rowcount
    # An edit made after another device deleted the record, without having seen the delete
    # (a device that had seen it would not edit a deleted record): n edits, o deletes...
    found += connection.exec_driver_sql(
        insert.format(
            "o ON o.entity = t.entity AND o.record_id = t.record_id AND o.field = 'deleted'",
            "n ON n.entity = t.entity AND n.record_id = t.record_id",
            "o.value = 'true' AND n.rowid > ? AND n.field != 'deleted' AND o.origin != n.origin"
            " AND n.hlc > o.hlc",
        ),
        ("deleted", now, before),
    ).rowcount
    # ...and a delete arriving after such edits were already here: o edits, n deletes.
    found += connection.exec_driver_sql(
        insert.format(
            "n ON n.entity = t.entity AND n.record_id = t.record_id AND n.field = 'deleted'",
            "o ON o.entity = t.entity AND o.record_id = t.record_id",
            "n.rowid > ? AND n.value = 'true' AND o.field != 'deleted' AND o.origin != n.origin"
            " AND o.hlc > n.hlc",
        ),
        ("deleted", now, before),
    ).rowcount
    return found


def _observe_clock(session: Session, newest: str) -> None:
    """Advance this device's clock past everything it has now seen (DESIGN §5)."""
    rows = session.connection().exec_driver_sql(
        "SELECT key, value FROM profile WHERE key IN ('device_id', 'hlc')"
    )
    profile = {key: value for key, value in rows}
    device_id = profile.get("device_id") or ""
    last = profile.get("hlc")
    clock = Clock(device_id, Timestamp.decode(last) if last else None)
    clock.observe(Timestamp.decode(newest))
    write_profile(session, hlc=clock.last().encode())


def version_vector(session: Session) -> dict[str, int]:
    """Per origin, the highest sequence number held with no gap below it.

    Counting only the unbroken run (not the maximum) means a bundle lost on the way is sent
    again instead of being skipped for ever. Shipped catalog operations are not counted: every
    device has them by itself.
    """
    vector: dict[str, int] = {}
    refused = dict(
        session.execute(
            text("SELECT origin, count(*) FROM refused_operations GROUP BY origin")
        ).all()
    )
    rows = session.execute(
        select(Operation.origin, func.count(), func.max(Operation.seq))
        .where(Operation.origin != ZERO_NODE)
        .group_by(Operation.origin)
    )
    counted = {origin: (count, highest) for origin, count, highest in rows}
    for origin in sorted(counted.keys() | refused.keys()):
        count, highest = counted.get(origin, (0, 0))
        if not refused.get(origin) and count == highest:
            vector[origin] = highest
            continue
        # A gap: the first sequence number whose successor is missing ends the unbroken run
        # (an operation refused here counts as held: it is not wanted again).
        held = (
            "(SELECT seq FROM operations WHERE origin = :origin"
            " UNION SELECT seq FROM refused_operations WHERE origin = :origin)"
        )
        first, end = session.execute(
            text(
                f"SELECT min(h.seq), (SELECT min(o.seq) FROM {held} o WHERE NOT EXISTS"
                f" (SELECT 1 FROM {held} p WHERE p.seq = o.seq + 1)) FROM {held} h"
            ),
            {"origin": origin},
        ).one()
        vector[origin] = end if first == 1 and end is not None else 0
    return vector


def operations_after(session: Session, vector: dict[str, int]) -> Iterator[dict[str, Any]]:
    """Every operation the holder of `vector` lacks, this device's and relayed ones, oldest first."""
    cursor = session.connection().connection.cursor()  # the driver: no per-row ORM processing
    origins = [
        origin
        for (origin,) in cursor.execute(
            "SELECT DISTINCT origin FROM operations WHERE origin != ?", (ZERO_NODE,)
        ).fetchall()
    ]
    columns = ", ".join(OP_COLUMNS)
    for origin in sorted(origins):
        rows = cursor.execute(
            f"SELECT {columns} FROM operations WHERE origin = ? AND seq > ? ORDER BY seq",
            (origin, vector.get(origin, 0)),
        ).fetchall()
        for row in rows:
            yield dict(zip(OP_COLUMNS, row, strict=True))
