"""The change log as data: insert operations idempotently, rebuild rows from them, dump records."""

from __future__ import annotations

import json
import operator
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fieldkit.domain.errors import ProfileError
from fieldkit.store import codec
from fieldkit.store.models import ENTITIES, Operation, synced_fields
from fieldkit.store.uow import materialize

OP_COLUMNS = (
    "op_id",
    "origin",
    "seq",
    "hlc",
    "entity",
    "record_id",
    "field",
    "value",
    "base_hlc",
    "author",
)


_INSERT = (
    f"INSERT INTO operations ({', '.join(OP_COLUMNS)}) VALUES ({', '.join('?' * len(OP_COLUMNS))})"
    " ON CONFLICT (op_id) DO NOTHING"
)
row_of = operator.itemgetter(*OP_COLUMNS)  # an operation dict as a row, in OP_COLUMNS order
MAX_ROWID = 2**63 - 1


def insert_rows(session: Session, rows: Iterable[tuple[Any, ...]]) -> int:
    """Add operations (rows in OP_COLUMNS order) not yet known by op id, without re-deriving rows.

    Returns the largest rowid `operations` had before: the rows added are exactly those with a
    greater rowid (SQLite gives each new row one more than the largest, and nothing else writes in
    the caller's transaction), so set-based steps can join them without staging them first.
    """
    cursor = session.connection().connection.cursor()
    before = cursor.execute("SELECT coalesce(max(rowid), 0) FROM operations").fetchone()[0]
    if before >= MAX_ROWID:  # unreachable in practice; SQLite would then pick rowids at random
        raise RuntimeError("operations: rowids exhausted, new rows cannot be told apart")
    # Through the driver: SQLAlchemy's per-row parameter handling cost more than the insert.
    # Only a known op id is skipped; another op under a known (origin, seq) is a clash (a copied
    # profile, a reused number) and must fail loudly, never vanish.
    try:
        cursor.executemany(_INSERT, rows)
    except sqlite3.IntegrityError as exc:
        raise ProfileError(
            "Dos operaciones distintas llevan el mismo número de origen y secuencia: dos "
            "equipos comparten identidad (¿se copió la carpeta de un perfil?). No se aplicó "
            "nada. Detalle: {error}",
            error=str(exc),
        ) from exc
    return before


def insert_operations(session: Session, ops: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    """Add operations not yet known (by op id) and re-derive the rows they touch.

    Returns the (entity, record id) pairs touched. Applying the same operations again, or in
    another order, gives the same rows: the merge's idempotence rests here.
    """
    batch = [tuple(op.get(k) for k in OP_COLUMNS) for op in ops]
    entity, record = OP_COLUMNS.index("entity"), OP_COLUMNS.index("record_id")
    insert_rows(session, batch)
    touched = {(op[entity], op[record]) for op in batch}
    materialize(session, touched)
    return touched


def iter_operations(session: Session) -> Iterator[dict[str, Any]]:
    """Every operation in a stable order (by HLC, then op id)."""
    rows = session.execute(select(Operation).order_by(Operation.hlc, Operation.op_id)).scalars()
    for op in rows:
        yield {k: getattr(op, k) for k in OP_COLUMNS}


def operation_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Operation)) or 0


def record_counts(session: Session) -> dict[str, int]:
    counts = {}
    for name, cls in ENTITIES.items():
        counts[name] = (
            session.scalar(
                select(func.count()).select_from(cls).where(cls.deleted.is_(False))  # type: ignore[attr-defined]
            )
            or 0
        )
    return counts


def dump_records(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every synced record, every field, sorted: equal dumps mean equal data."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name in sorted(ENTITIES):
        cls = ENTITIES[name]
        fields = ["id", *synced_fields(cls), "updated_at"]
        rows = session.execute(select(*[getattr(cls, f) for f in fields]).order_by(cls.id)).all()
        out[name] = [{f: codec.plain(v) for f, v in zip(fields, row, strict=True)} for row in rows]
    return out


def dump_json(session: Session) -> str:
    return json.dumps(dump_records(session), ensure_ascii=False, sort_keys=True, indent=1)
