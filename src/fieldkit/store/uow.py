"""The one way to write data: a unit of work that records one operation per changed field.

`UnitOfWork.write(author)` yields an ORM session. At every flush, a listener compares old and new
values of synced records and appends, in the same transaction, one `Operation` per changed field
with this device's next sequence number and a fresh HLC timestamp. A flush outside `write()` is
refused, so no code path can change rows without leaving operations behind.

`materialize()` is the other direction: rows as a function of the operations (greatest HLC wins per
field). Imports and the rebuild-from-operations test go through it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, event, func, inspect, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from fieldkit.domain.errors import ProfileError
from fieldkit.domain.hlc import Clock, Timestamp
from fieldkit.store import codec
from fieldkit.store.models import (
    ENTITIES,
    Operation,
    ProfileValue,
    SyncedMixin,
    new_id,
    synced_fields,
)

CHUNK = 500


def hlc_datetime(ts: Timestamp) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ts.wall)


def read_profile(session: Session) -> dict[str, str | None]:
    return {row.key: row.value for row in session.scalars(select(ProfileValue))}


def write_profile(session: Session, **values: object) -> None:
    for key, value in values.items():
        stmt = sqlite_insert(ProfileValue).values(
            key=key, value=None if value is None else str(value)
        )
        session.execute(
            stmt.on_conflict_do_update(index_elements=["key"], set_={"value": stmt.excluded.value})
        )


@dataclass
class _Writer:
    """Per-transaction state: who writes, and this device's clock and sequence."""

    author: str
    device_id: str
    clock: Clock
    seq: int
    touched: bool = False

    def next_op(
        self, entity: str, record_id: str, field: str, value: str, base: str | None
    ) -> Operation:
        self.seq += 1
        self.touched = True
        ts = self.clock.now()
        return Operation(
            op_id=new_id(),
            origin=self.device_id,
            seq=self.seq,
            hlc=ts.encode(),
            entity=entity,
            record_id=record_id,
            field=field,
            value=value,
            base_hlc=base,
            author=self.author,
        )


def _current_versions(session: Session, entity: str, record_id: str) -> dict[str, str]:
    rows = session.execute(
        select(Operation.field, func.max(Operation.hlc))
        .where(Operation.entity == entity, Operation.record_id == record_id)
        .group_by(Operation.field)
    )
    return {field: hlc for field, hlc in rows}


def _normalized(obj: SyncedMixin, field: str, value: object) -> object:
    """Aware datetimes become naive UTC in the row too, so row and operation say the same."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = codec.naive_utc(value)
        setattr(obj, field, value)
    return value


def _record_operations(session: Session, _context, _instances) -> None:  # type: ignore[no-untyped-def]
    synced = [
        o for o in (*session.new, *session.dirty, *session.deleted) if isinstance(o, SyncedMixin)
    ]
    if not synced:
        return
    writer: _Writer | None = session.info.get("writer")
    if writer is None:
        raise ProfileError("Escritura fuera de la unidad de trabajo: use UnitOfWork.write().")
    for obj in session.deleted:
        if isinstance(obj, SyncedMixin):
            raise ProfileError("Los registros no se borran: marque deleted=True (lápida).")
    ops: list[Operation] = []
    with session.no_autoflush:
        for obj in session.new:
            if not isinstance(obj, SyncedMixin):
                continue
            cls = type(obj)
            obj.id = obj.id or new_id()
            if obj.deleted is None:
                obj.deleted = False
            table = cls.__table__  # type: ignore[attr-defined]
            for field in synced_fields(cls):
                value = _normalized(obj, field, getattr(obj, field))
                if field == "created_at" and value is None:
                    value = hlc_datetime(writer.clock.now())
                    obj.created_at = value
                if value is None or (field == "deleted" and value is False):
                    continue
                op = writer.next_op(
                    cls.__entity__, obj.id, field, codec.encode(table.c[field].type, value), None
                )
                ops.append(op)
            obj.updated_at = hlc_datetime(writer.clock.last())
        for obj in session.dirty:
            if not isinstance(obj, SyncedMixin) or not session.is_modified(obj):
                continue
            cls = type(obj)
            table = cls.__table__  # type: ignore[attr-defined]
            state = inspect(obj)
            changed = []
            for field in synced_fields(cls):
                hist = state.attrs[field].history
                if not hist.has_changes():
                    continue
                old = hist.deleted[0] if hist.deleted else None
                new = _normalized(obj, field, getattr(obj, field))
                if old != new:
                    changed.append((field, new))
            if not changed:
                continue
            versions = _current_versions(session, cls.__entity__, obj.id)
            for field, new in changed:
                op = writer.next_op(
                    cls.__entity__,
                    obj.id,
                    field,
                    codec.encode(table.c[field].type, new),
                    versions.get(field),
                )
                ops.append(op)
            obj.updated_at = hlc_datetime(writer.clock.last())
    session.add_all(ops)


class UnitOfWork:
    """Opens sessions on one database; `write()` is the only door for changes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.Session = sessionmaker(engine, expire_on_commit=False, autoflush=True)
        event.listen(self.Session, "before_flush", _record_operations)
        self._lock = threading.RLock()
        self._local = threading.local()

    @contextmanager
    def batch(self, author: str) -> Iterator[Session]:
        """Many writes, one transaction and one commit (demo data, imports): all or nothing.

        Reads through the sqlite3 reader do not see the batch's rows until it ends.
        """
        if getattr(self._local, "session", None) is not None:
            yield self._local.session
            return
        with self.write(author) as session:
            self._local.session = session
            try:
                yield session
            finally:
                self._local.session = None

    @contextmanager
    def merging(self, *, commit: bool = True) -> Iterator[Session]:
        """One transaction for merging others' operations, serialized with local writes.

        With commit=False everything is rolled back at the end: a dry run sees exactly what an
        import would do, and nothing stays.
        """
        with self._lock:
            session = self.Session()
            try:
                session.begin()
                yield session
                if commit:
                    session.commit()
                else:
                    session.rollback()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self.Session()
        try:
            yield session
        finally:
            # close() detaches objects with their loaded values, so callers may read them after.
            session.close()

    @contextmanager
    def write(self, author: str) -> Iterator[Session]:
        batch: Session | None = getattr(self._local, "session", None)
        if batch is not None:
            # Inside batch() on this thread: the same transaction, committed when the batch ends,
            # but behind a savepoint, so a failed call leaves nothing of itself in the batch.
            writer: _Writer = batch.info["writer"]
            saved = (writer.seq, writer.clock.wall, writer.clock.counter, writer.touched)
            savepoint = batch.begin_nested()
            try:
                yield batch
                batch.flush()
            except BaseException:
                savepoint.rollback()
                writer.seq, writer.clock.wall, writer.clock.counter, writer.touched = saved
                raise
            savepoint.commit()
            return
        with self._lock:
            session = self.Session()
            try:
                profile = read_profile(session)
                device_id = profile.get("device_id")
                if not device_id:
                    raise ProfileError("El perfil no tiene identificador de dispositivo.")
                last = profile.get("hlc")
                clock = Clock(device_id, Timestamp.decode(last) if last else None)
                writer = _Writer(author, device_id, clock, int(profile.get("seq") or 0))
                session.info["writer"] = writer
                yield session
                session.flush()
                if writer.touched:
                    write_profile(session, seq=writer.seq, hlc=clock.last().encode())
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.info.pop("writer", None)
                session.close()


def materialize(session: Session, keys: Iterable[tuple[str, str]]) -> int:
    """Write the rows of these (entity, record id) pairs as the operations say. Returns rows written."""
    by_entity: dict[str, set[str]] = defaultdict(set)
    for entity, record_id in keys:
        if entity in ENTITIES:
            by_entity[entity].add(record_id)
    written = 0
    for entity, ids in by_entity.items():
        cls = ENTITIES[entity]
        table = cls.__table__  # type: ignore[attr-defined]
        fields = synced_fields(cls)
        id_list = sorted(ids)
        for start in range(0, len(id_list), CHUNK):
            chunk = id_list[start : start + CHUNK]
            best: dict[str, dict[str, tuple[str, str | None]]] = defaultdict(dict)
            newest: dict[str, str] = {}
            # SQLite documents that a bare column next to max() comes from the row holding the
            # maximum: the database picks each field's winning operation, not Python.
            placeholders = ",".join("?" * len(chunk))
            rows = session.connection().exec_driver_sql(
                "SELECT record_id, field, max(hlc), value FROM operations"
                f" WHERE entity = ? AND record_id IN ({placeholders}) GROUP BY record_id, field",
                (entity, *chunk),
            )
            for record_id, field, hlc, value in rows:
                best[record_id][field] = (hlc, value)
                if hlc > newest.get(record_id, ""):
                    newest[record_id] = hlc
            values = []
            for record_id, winners in best.items():
                row: dict[str, object] = {"id": record_id, "deleted": False}
                for field in fields:
                    if field in winners:
                        row[field] = codec.decode(table.c[field].type, winners[field][1])
                    elif field != "deleted":
                        row[field] = None
                if row["deleted"] is None:
                    row["deleted"] = False
                row["updated_at"] = hlc_datetime(Timestamp.decode(newest[record_id]))
                values.append(row)
            if not values:
                continue
            stmt = sqlite_insert(table)
            update = {c: stmt.excluded[c] for c in [*fields, "updated_at"]}
            session.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=update), values)
            written += len(values)
    return written


def write_field(session: Session, entity: str, record_id: str, field: str, value: object) -> None:
    """Record an operation for one field even when the row already holds that value.

    Resolving a conflict in favour of the value that already wins must still leave an operation
    newer than both contenders, so every device sees the conflict as decided.
    """
    writer: _Writer | None = session.info.get("writer")
    if writer is None:
        raise ProfileError("Escritura fuera de la unidad de trabajo: use UnitOfWork.write().")
    cls = ENTITIES[entity]
    obj = session.get(cls, record_id)
    if obj is None:
        raise ProfileError(
            "No existe el registro {record} de {entity}.", record=record_id, entity=entity
        )
    column = cls.__table__.c[field]  # type: ignore[attr-defined]
    versions = _current_versions(session, entity, record_id)
    session.flush()
    op = writer.next_op(
        entity, record_id, field, codec.encode(column.type, value), versions.get(field)
    )
    session.add(op)
    # The row changes without the flush listener seeing a difference, so no second op.
    session.execute(
        cls.__table__.update()  # type: ignore[attr-defined]
        .where(cls.__table__.c.id == record_id)  # type: ignore[attr-defined]
        .values({field: value, "updated_at": hlc_datetime(writer.clock.last())})
    )
    session.expire(obj)
