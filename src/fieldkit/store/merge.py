"""Merge other devices' operations into this store (DESIGN §5): validate, add, find conflicts.

Rows stay a function of the set of operations (greatest HLC wins per field), so merging the
same operations in any order, any number of times, gives the same rows. What a person must
see is recorded as conflicts: two operations on one field with the same base version, from
different devices, with different values; or an edit made, without seeing it, after another
device deleted the record. Set-based throughout: a temporary table of the incoming op ids and
joins on the (entity, record, field) index, never one query per operation.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from fieldkit.domain.hlc import ZERO_NODE, Clock, Timestamp
from fieldkit.i18n import N_
from fieldkit.store.models import ENTITIES, Operation, synced_fields
from fieldkit.store.oplog import OP_COLUMNS, insert_operations
from fieldkit.store.uow import read_profile, write_profile

CHUNK = 500

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
    cls = ENTITIES.get(op["entity"])
    if cls is None:
        return UNKNOWN_ENTITY, {"entity": op["entity"]}
    kind = _field_kinds(op["entity"]).get(op["field"])
    if kind is None:
        return UNKNOWN_FIELD, {"field": op["field"], "entity": op["entity"]}
    if op["origin"] == ZERO_NODE:
        return SEED_ORIGIN, {}
    hlc, base = op["hlc"], op["base_hlc"]
    if (
        not isinstance(hlc, str)
        or not _HLC.match(hlc)
        or (base is not None and not (isinstance(base, str) and _HLC.match(base)))
    ):
        return BAD_CLOCK, {"hlc": hlc}
    try:
        raw = json.loads(op["value"]) if op["value"] is not None else None
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


_HLC = re.compile(r"^[0-9a-f]{12}-[0-9a-f]{6}-.+\Z", re.DOTALL)

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
    accepted: list[dict[str, Any]] = []
    for op in ops:
        op = {k: op.get(k) for k in OP_COLUMNS}
        report.received += 1
        refusal = validate(op) or (authorize(op) if authorize else None)
        if refusal is not None:
            report.rejected.append(Rejected(op, refusal[0], refusal[1]))
            continue
        accepted.append(op)
    incoming = _new_only(session, accepted, report)
    if not incoming:
        return report
    _stage(session, incoming)
    known_records = _known_records(session)
    report.applied = len(incoming)
    report.new_records = len({(op["entity"], op["record_id"]) for op in incoming} - known_records)
    report.updated_fields = len(
        {(op["entity"], op["record_id"], op["field"]) for op in incoming}
        - {(e, r, f) for e, r, f in _fields_of_new_records(incoming, known_records)}
    )
    insert_operations(session, incoming)
    report.conflicts = _record_conflicts(
        session, now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    )
    _observe_clock(session, max(op["hlc"] for op in incoming))
    return report


def _new_only(
    session: Session, ops: list[dict[str, Any]], report: MergeReport
) -> list[dict[str, Any]]:
    seen: set[str] = set()
    ids = [op["op_id"] for op in ops]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        seen.update(session.scalars(select(Operation.op_id).where(Operation.op_id.in_(chunk))))
    fresh: list[dict[str, Any]] = []
    for op in ops:
        if op["op_id"] in seen:
            report.duplicates += 1
            continue
        seen.add(op["op_id"])  # the same op twice in one batch counts once
        fresh.append(op)
    return fresh


def _stage(session: Session, ops: list[dict[str, Any]]) -> None:
    session.execute(
        text(
            "CREATE TEMP TABLE IF NOT EXISTS merge_incoming"
            " (op_id TEXT PRIMARY KEY, entity TEXT NOT NULL, record_id TEXT NOT NULL)"
        )
    )
    session.execute(text("DELETE FROM merge_incoming"))
    # The driver's executemany directly: SQLAlchemy's per-row parameter processing dominated.
    cursor = session.connection().connection.cursor()
    cursor.executemany(
        "INSERT INTO merge_incoming (op_id, entity, record_id) VALUES (?, ?, ?)",
        [(op["op_id"], op["entity"], op["record_id"]) for op in ops],
    )


def _known_records(session: Session) -> set[tuple[str, str]]:
    """Records of the staged operations that already had operations (run before inserting)."""
    rows = session.execute(
        text(
            "SELECT DISTINCT i.entity, i.record_id FROM merge_incoming i WHERE EXISTS"
            " (SELECT 1 FROM operations o WHERE o.entity = i.entity AND o.record_id = i.record_id)"
        )
    )
    return {(entity, record_id) for entity, record_id in rows}


def _fields_of_new_records(
    ops: list[dict[str, Any]], known: set[tuple[str, str]]
) -> Iterator[tuple[str, str, str]]:
    for op in ops:
        if (op["entity"], op["record_id"]) not in known:
            yield op["entity"], op["record_id"], op["field"]


def _record_conflicts(session: Session, now: dt.datetime) -> int:
    """Insert the conflicts the staged operations take part in; returns how many are new."""
    before = session.scalar(text("SELECT count(*) FROM conflicts")) or 0
    pair = (
        "INSERT INTO conflicts (id, kind, entity, record_id, field, op_a, op_b, detected_at)"
        " SELECT lower(hex(randomblob(16))), :kind, n.entity, n.record_id, n.field,"
        " min(n.op_id, o.op_id), max(n.op_id, o.op_id), :now"
        # CROSS JOIN fixes the order (SQLite's documented way): from the few incoming ops to
        # their records through the index, never a scan of every operation per bundle.
        " FROM merge_incoming i CROSS JOIN operations n ON n.op_id = i.op_id"
        " CROSS JOIN operations o ON o.entity = n.entity AND o.record_id = n.record_id {join}"
        " WHERE {where} ON CONFLICT (op_a, op_b) DO NOTHING"
    )
    params = {"now": now}
    # Same field, same base version, another device, another value.
    session.execute(
        text(
            pair.format(
                join="AND o.field = n.field",
                where="o.op_id != n.op_id AND o.origin != n.origin AND o.base_hlc IS n.base_hlc"
                " AND o.value IS NOT n.value AND n.field != 'deleted'",
            )
        ),
        {**params, "kind": "field"},
    )
    # An edit made after another device deleted the record, without having seen the delete
    # (a device that had seen it would not edit a deleted record): n edits, o deletes...
    session.execute(
        text(
            pair.format(
                join="AND o.field = 'deleted' AND o.value = 'true'",
                where="n.field != 'deleted' AND o.origin != n.origin AND n.hlc > o.hlc",
            )
        ),
        {**params, "kind": "deleted"},
    )
    # ...and a delete arriving after such edits were already here: o edits, n deletes.
    session.execute(
        text(
            pair.format(
                join="AND o.field != 'deleted'",
                where="n.field = 'deleted' AND n.value = 'true' AND o.origin != n.origin"
                " AND o.hlc > n.hlc",
            )
        ),
        {**params, "kind": "deleted"},
    )
    return (session.scalar(text("SELECT count(*) FROM conflicts")) or 0) - before


def _observe_clock(session: Session, newest: str) -> None:
    """Advance this device's clock past everything it has now seen (DESIGN §5)."""
    profile = read_profile(session)
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
    rows = session.execute(
        select(Operation.origin, func.count(), func.max(Operation.seq))
        .where(Operation.origin != ZERO_NODE)
        .group_by(Operation.origin)
    )
    for origin, count, highest in rows:
        if count == highest:
            vector[origin] = highest
            continue
        # A gap: the first sequence number whose successor is missing ends the unbroken run.
        end = session.scalar(
            text(
                "SELECT min(o.seq) FROM operations o WHERE o.origin = :origin AND NOT EXISTS"
                " (SELECT 1 FROM operations p WHERE p.origin = o.origin AND p.seq = o.seq + 1)"
            ),
            {"origin": origin},
        )
        first = session.scalar(select(func.min(Operation.seq)).where(Operation.origin == origin))
        vector[origin] = end if first == 1 and end is not None else 0
    return vector


def operations_after(session: Session, vector: dict[str, int]) -> Iterator[dict[str, Any]]:
    """Every operation the holder of `vector` lacks, this device's and relayed ones, oldest first."""
    origins = session.scalars(
        select(Operation.origin).where(Operation.origin != ZERO_NODE).distinct()
    ).all()
    for origin in sorted(origins):
        rows = session.execute(
            select(*[getattr(Operation, c) for c in OP_COLUMNS])
            .where(Operation.origin == origin, Operation.seq > vector.get(origin, 0))
            .order_by(Operation.seq)
        )
        for row in rows:
            yield dict(zip(OP_COLUMNS, row, strict=True))
