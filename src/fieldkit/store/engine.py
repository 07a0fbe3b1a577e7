"""SQLite engine with the pragmas DESIGN §9 asks for: WAL, synchronous=FULL, foreign keys on."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event


def _set_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # SQLAlchemy, not the sqlite3 driver, begins transactions (see _begin): with the driver's own
    # implicit BEGIN, a SAVEPOINT opened first would commit everything on RELEASE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(path: Path | str) -> Engine:
    # check_same_thread off: background workers (GUI progress dialogs) use pooled connections;
    # the unit of work serializes writes itself.
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False},
    )
    event.listen(engine, "connect", _set_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


def _begin(connection) -> None:  # type: ignore[no-untyped-def]
    # The documented recipe for SAVEPOINT with pysqlite: emit BEGIN ourselves. Deferred, so
    # readers never take the write lock; writers are already serialized by the unit of work
    # (one lock per process) and the profile lock (one process per profile).
    connection.exec_driver_sql("BEGIN")
