"""Fast read-only queries on the stdlib sqlite3 driver, for lists and the first screen.

Importing SQLAlchemy's ORM costs more than starting a bare Qt window, so the paths that open a
profile and fill the first tables read through here and never import it; writes still go through
the unit of work (uow.py). One connection per thread, as sqlite3 requires.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fieldkit.store import revision


def readonly_uri(path: Path) -> str:
    """A file: URI that survives #, ? and % in folder names (a plain f-string does not)."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(readonly_uri(path), uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=5000")
    conn.row_factory = sqlite3.Row
    return conn


def revision_of(path: Path) -> str | None:
    """The Alembic revision of a database file; None when it has none. Raises sqlite3 errors."""
    conn = connect(path, readonly=True)
    try:
        has = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def table_names(path: Path) -> list[str]:
    conn = connect(path, readonly=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    finally:
        conn.close()


def is_current(path: Path) -> bool:
    try:
        return path.exists() and path.stat().st_size > 0 and revision_of(path) == revision.HEAD
    except sqlite3.Error:
        return False


def as_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def as_datetime(value: str | None) -> dt.datetime | None:
    """Stored datetimes are naive UTC; return them aware, so display converts to local time."""
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC) if value else None


class Reader:
    """Per-thread read connections on one database file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            conn.execute("PRAGMA query_only=ON")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        conn = self._conn()
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.rollback()  # never hold a read snapshot open between calls

    def profile(self) -> dict[str, str | None]:
        return {r["key"]: r["value"] for r in self.rows("SELECT key, value FROM profile")}

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


def set_profile_values(path: Path, values: dict[str, object]) -> None:
    """Write local (never synced) profile values; no operations are recorded for them."""
    conn = connect(path)
    try:
        with conn:
            conn.executemany(
                "INSERT INTO profile(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [(k, None if v is None else str(v)) for k, v in values.items()],
            )
    finally:
        conn.close()
