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
import functools
import json
import json.scanner
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Engine, String, event, func, inspect, select
from sqlalchemy.dialects import sqlite as sqlite_dialect
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

_SCAN = json.scanner.make_scanner(json.JSONDecoder())


def decode_json(text: str) -> object:
    """json.loads(text), without its per-call overhead in the common case (a whole, plain value;
    anything else, whitespace around it included, goes through json.loads itself)."""
    if type(text) is str:
        try:
            value, end = _SCAN(text, 0)
        except (StopIteration, ValueError, RecursionError):
            pass
        else:
            if end == len(text):
                return value
    return json.loads(text)


def hlc_datetime(ts: Timestamp) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ts.wall)


def read_profile(session: Session) -> dict[str, str | None]:
    return {row.key: row.value for row in session.scalars(select(ProfileValue))}


def write_profile(session: Session, **values: object) -> None:
    session.connection().exec_driver_sql(
        "INSERT INTO profile (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [(key, None if value is None else str(value)) for key, value in values.items()],
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


# SQLite's page cache while merging (KiB). The default 2 MB holds less than one bundle's inserts
# into the operations indexes: pages were written out to the WAL mid-transaction and read back,
# hundreds of thousands of system calls for a large bundle.
MERGE_CACHE_KIB = 256 * 1024


@contextmanager
def _merge_cache(session: Session, kept: dict[Any, int] | None = None) -> Iterator[None]:
    """A larger page cache for one merge, back to the usual size before its commit (the pages
    merged need not stay in memory afterwards) — unless `kept` is given (many bundles imported
    in a row): then the connection keeps it, and its usual size is noted there to restore."""
    driver = session.connection().connection.driver_connection
    if kept is not None and driver in kept:
        yield
        return
    previous = driver.execute("PRAGMA cache_size").fetchone()[0]
    driver.execute(f"PRAGMA cache_size = -{MERGE_CACHE_KIB}")
    if kept is not None:
        kept[driver] = int(previous)
        yield
        return
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size = {int(previous)}")


class UnitOfWork:
    """Opens sessions on one database; `write()` is the only door for changes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.Session = sessionmaker(engine, expire_on_commit=False, autoflush=True)
        event.listen(self.Session, "before_flush", _record_operations)
        self._lock = threading.RLock()
        self._local = threading.local()
        self._kept_caches: dict[Any, int] | None = None  # during merge_batch()

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
    def merge_batch(self) -> Iterator[None]:
        """Merges inside keep their large page cache from one to the next (hundreds of bundles
        imported in a row would otherwise read the same index pages back each time, more of
        them the larger the database); back to the usual size at the end."""
        with self._lock:  # briefly: local writes go on between the batch's merges
            outer = self._kept_caches is None
            if outer:
                self._kept_caches = {}
        if not outer:
            yield
            return
        try:
            yield
        finally:
            with self._lock:
                kept, self._kept_caches = self._kept_caches or {}, None
                for driver, previous in kept.items():
                    driver.execute(f"PRAGMA cache_size = {previous}")

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
                with _merge_cache(session, self._kept_caches):
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


TOUCHED = "touched_records"


def reset_touched(session: Session) -> None:
    """An empty temporary table of (entity, record id) pairs to materialize, on this connection.

    `known` and `contested` are free for the caller (merge notes there whether the record had
    operations before, and whether it may take part in a conflict). A rowid table: with it
    SQLite reads the winners below in index order, without sorting.
    """
    connection = session.connection()
    connection.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {TOUCHED} (entity TEXT NOT NULL, record_id TEXT NOT NULL,"
        " known INTEGER, contested INTEGER, PRIMARY KEY (entity, record_id))"
    )
    connection.exec_driver_sql(f"DELETE FROM {TOUCHED}")


def materialize(session: Session, keys: Iterable[tuple[str, str]]) -> int:
    """Write the rows of these (entity, record id) pairs as the operations say. Returns rows written."""
    reset_touched(session)
    cursor = session.connection().connection.cursor()
    cursor.executemany(
        f"INSERT OR IGNORE INTO {TOUCHED} (entity, record_id) VALUES (?, ?)",
        [(entity, record_id) for entity, record_id in keys if entity in ENTITIES],
    )
    return materialize_touched(session)


def materialize_touched(
    session: Session,
    added: Iterable[tuple[str, str, str, str, str | None]] | None = None,
    contested: set[tuple[str, str]] | None = None,
) -> int:
    """Write the rows of the records listed in the temporary table `touched_records` as their
    operations say (greatest HLC wins per field). Returns rows written.

    One query per entity picks every field's winning operation, in record order; Python decodes
    the winners exactly as the ORM would store the values, and one executemany writes the rows.

    `added`, when given, is every operation the caller has just added, in the order it added
    them, as (entity, record id, field, HLC, value): the records `touched_records` marks as
    not `known` before have no other operations, so their winners are picked from these without
    reading them back (the first of equal HLCs, as the database would). Those of them that
    could take part in a conflict (two operations on one field, or a delete) are added to
    `contested` when it is given.
    """
    cursor = session.connection().connection.cursor()
    # entity -> record id -> (newest HLC, field -> (HLC, value) of its winner so far)
    fresh: dict[str, dict[str, tuple[list[str], dict[str, tuple[str, str | None]]]]] = {}
    if added is not None:
        known = set(cursor.execute(f"SELECT entity, record_id FROM {TOUCHED} WHERE known"))
        at: tuple[str, str] | None = None
        entry: tuple[list[str], dict[str, tuple[str, str | None]]] | None = None
        for entity, record_id, field, hlc, value in added:
            if at is None or record_id != at[1] or entity != at[0]:  # a record's ops come together
                at = (entity, record_id)
                if known and at in known:
                    entry = None
                else:
                    records = fresh.get(entity)
                    if records is None:
                        records = fresh[entity] = {}
                    entry = records.get(record_id)
                    if entry is None:
                        entry = records[record_id] = ([""], {})
            if entry is None:
                continue
            newest, winners = entry
            best = winners.get(field)
            if best is None or hlc > best[0]:
                winners[field] = (hlc, value)
            if hlc > newest[0]:
                newest[0] = hlc
            if contested is not None and (best is not None or field == "deleted"):
                contested.add(at)
    query = (
        f"SELECT r.record_id, o.field, max(o.hlc), o.value FROM {TOUCHED} r"
        " CROSS JOIN operations o ON o.entity = r.entity AND o.record_id = r.record_id"
        f" WHERE r.entity = ? {'AND r.known' if added is not None else ''}"
        " GROUP BY r.record_id, o.field ORDER BY r.record_id, o.field"
    )
    entities = [e for (e,) in cursor.execute(f"SELECT DISTINCT entity FROM {TOUCHED}")]
    written = 0
    for entity in entities:
        if entity not in ENTITIES:
            continue
        plan, deleted, upsert = _materialize_plan(entity)
        rows: list[tuple[object, ...]] = []
        for record_id, (newest, winners) in fresh.get(entity, {}).items():
            rows.append(_row(record_id, winners, newest[0], plan, deleted))
        record: str | None = None
        winners = {}
        last = ""
        # SQLite documents that a bare column next to max() comes from the row holding the
        # maximum: each field's winning operation, picked by the database.
        for record_id, field, hlc, value in cursor.execute(query, (entity,)).fetchall():
            if record_id != record:
                if record is not None:
                    rows.append(_row(record, winners, last, plan, deleted))
                record, winners, last = record_id, {}, hlc
            winners[field] = (hlc, value)
            if hlc > last:
                last = hlc
        if record is not None:
            rows.append(_row(record, winners, last, plan, deleted))
        cursor.executemany(upsert, rows)
        written += len(rows)
    return written


def _row(
    record_id: str,
    winners: dict[str, tuple[str, str | None]],
    newest: str,
    plan: list[tuple[str, Callable[[str | None], object]]],
    deleted: int,
) -> tuple[object, ...]:
    """A record's row for the upsert: id, its fields decoded, and `updated_at`."""
    get = winners.get
    values = [None if (won := get(field)) is None else decode(won[1]) for field, decode in plan]
    if values[deleted] is None:
        values[deleted] = 0  # a record is not deleted until an operation says so
    return (record_id, *values, _updated_at(newest))


_SQLITE = sqlite_dialect.dialect()


def _python_decoding(column_type: object) -> Callable[[str | None], object]:
    """What the ORM stored for a field: the JSON decoded by codec, then the column's binding.

    Plain strings, dates and naive datetimes take shortcuts to the same values (a test
    compares them with the ORM's)."""
    process = column_type.dialect_impl(_SQLITE).bind_processor(_SQLITE)  # type: ignore[attr-defined]

    def decode(text: str | None) -> object:
        value = codec.decode(column_type, text)
        return value if value is None or process is None else process(value)

    def decode_text(text: str | None) -> object:
        return None if text is None else decode_json(text)

    def decode_bool(text: str | None) -> object:
        return 1 if text == "true" else 0 if text == "false" else decode(text)

    def decode_datetime(text: str | None) -> object:
        value = None if text is None else decode_json(text)
        if value is None:
            return None
        moment = dt.datetime.fromisoformat(value)  # type: ignore[arg-type]
        if moment.tzinfo is not None:
            return process(moment)  # type: ignore[misc]
        return moment.isoformat(" ", "microseconds")

    def decode_date(text: str | None) -> object:
        value = None if text is None else decode_json(text)
        return None if value is None else dt.date.fromisoformat(value).isoformat()  # type: ignore[arg-type]

    if isinstance(column_type, DateTime):
        return decode_datetime
    if isinstance(column_type, Date):
        return decode_date
    if isinstance(column_type, String) and process is None:
        return decode_text
    if isinstance(column_type, Boolean):
        return decode_bool
    return decode


def _updated_at(hlc: str) -> str:
    """The stored text of `updated_at` for a record whose newest operation has this HLC."""
    return hlc_datetime(Timestamp.decode(hlc)).isoformat(" ", "microseconds")


@functools.cache
def _materialize_plan(
    entity: str,
) -> tuple[list[tuple[str, Callable[[str | None], object]]], int, str]:
    """Each synced field with its decoder, where `deleted` is among them, and the upsert."""
    cls = ENTITIES[entity]
    table = cls.__table__  # type: ignore[attr-defined]
    fields = synced_fields(cls)
    plan = [(field, _python_decoding(table.c[field].type)) for field in fields]
    names = ["id", *fields, "updated_at"]
    upsert = (
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        " ON CONFLICT (id) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in [*fields, "updated_at"])
    )
    return plan, fields.index("deleted"), upsert


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
