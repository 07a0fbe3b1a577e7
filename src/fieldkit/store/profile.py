"""Open a profile: check the folder, take the lock, back up, migrate, make sure it has a device id.

When the database is already at the current schema, opening touches only the stdlib sqlite3
driver; the SQLAlchemy engine and unit of work are built on first use (see reader.py for why).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fieldkit.domain.errors import ProfileError, RestoreError
from fieldkit.domain.hlc import Timestamp
from fieldkit.store import backup
from fieldkit.store import revision as schema
from fieldkit.store.lock import ProfileLock
from fieldkit.store.reader import Reader, is_current, revision_of, set_profile_values, table_names

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from fieldkit.store.uow import UnitOfWork

DB_NAME = "fieldkit.sqlite"
ROLES = ("field", "reviewer", "coordinator")


def check_writable(data_dir: Path) -> None:
    probe = data_dir / f".write-test-{os.getpid()}-{threading.get_ident()}"
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ProfileError(
            "No se puede escribir en la carpeta de datos {path} ({error}). "
            "Elija otra con --data-dir o revise los permisos.",
            path=str(data_dir),
            error=exc.strerror or str(exc),
        ) from exc


class Store:
    """An open profile. Use as a context manager, or call close()."""

    def __init__(
        self, data_dir: Path, *, device_name: str | None = None, role: str | None = None
    ) -> None:
        self.data_dir = Path(data_dir)
        check_writable(self.data_dir)
        self.db_path = self.data_dir / DB_NAME
        self.lock = ProfileLock(self.data_dir / "fieldkit.lock")
        self.lock.acquire()
        self._engine: Engine | None = None
        self._uow: UnitOfWork | None = None
        self._init_lock = threading.Lock()
        self.reader = Reader(self.db_path)
        self._backup_thread: threading.Thread | None = None
        try:
            existed = self.db_path.exists() and self.db_path.stat().st_size > 0
            if is_current(self.db_path):
                if not backup.has_backup_today(self.data_dir):
                    # Once a day; in the background so it never delays the first window.
                    self._backup_thread = threading.Thread(
                        target=backup.backup_database,
                        args=(self.db_path, self.data_dir, "diaria"),
                        name="fieldkit-daily-backup",
                    )
                    self._backup_thread.start()
            else:
                self._open_full(existed)
            self.ensure_identity(device_name, role)
        except BaseException:
            self.close()
            raise

    # The SQLAlchemy side, built on first use -------------------------------------------------

    def _open_full(self, existed: bool) -> None:
        from sqlalchemy.exc import DatabaseError

        from fieldkit.store import migrate
        from fieldkit.store.engine import make_engine
        from fieldkit.store.uow import UnitOfWork

        if existed:
            self._refuse_foreign_database()
        engine = make_engine(self.db_path)
        try:
            revision = migrate.current_revision(engine)
        except DatabaseError as exc:
            engine.dispose()
            raise ProfileError(
                "La base de datos {path} está dañada o no es de fieldkit ({error}). "
                "Restaure una copia de seguridad con «fieldkit restore».",
                path=str(self.db_path),
                error=str(exc.orig),
            ) from exc
        if revision != schema.HEAD:
            if revision is not None and revision not in migrate.known_revisions():
                engine.dispose()
                raise ProfileError(
                    "La base de datos fue creada por una versión más reciente de fieldkit "
                    "(esquema {revision}). Actualice fieldkit para abrirla.",
                    revision=revision,
                )
            if existed and revision is not None:
                backup.backup_database(self.db_path, self.data_dir, "antes-de-migrar")
            migrate.upgrade(engine)
        self._engine = engine
        self._uow = UnitOfWork(engine)

    def _refuse_foreign_database(self) -> None:
        """Read-only look before our engine touches the file (it switches it to WAL on connect)."""
        try:
            foreign = revision_of(self.db_path) is None and bool(table_names(self.db_path))
        except sqlite3.DatabaseError:
            return  # not SQLite at all: the engine's open reports it as damaged
        if foreign:
            raise ProfileError(
                "{path} es una base de datos SQLite, pero no de fieldkit: no se modificó. "
                "Muévala a otra carpeta o use otro perfil con --data-dir.",
                path=str(self.db_path),
            )

    def _ensure_engine(self) -> None:
        with self._init_lock:
            if self._uow is None:
                self._open_full(existed=True)

    @property
    def engine(self) -> Engine:
        self._ensure_engine()
        assert self._engine is not None
        return self._engine

    @property
    def uow(self) -> UnitOfWork:
        self._ensure_engine()
        assert self._uow is not None
        return self._uow

    # Local profile values --------------------------------------------------------------------

    def ensure_identity(self, device_name: str | None, role: str | None) -> None:
        if role is not None and role not in ROLES:
            raise ProfileError(
                "Rol desconocido «{role}». Use field, reviewer o coordinator.", role=role
            )
        values = self.profile()
        updates: dict[str, object] = {}
        if not values.get("device_id"):
            import platform
            import uuid

            updates.update(
                device_id=str(uuid.uuid4()),
                created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                device_name=device_name or platform.node() or "fieldkit",
                role=role or "field",
                user_name=_login_name(),
                seq=0,
            )
        else:
            if device_name:
                updates["device_name"] = device_name
            if role:
                updates["role"] = role
        if updates:
            self.set_profile(**updates)

    def profile(self) -> dict[str, str | None]:
        return self.reader.profile()

    def set_profile(self, **values: object) -> None:
        set_profile_values(self.db_path, values)

    # Backups ---------------------------------------------------------------------------------

    def wait_for_backup(self) -> None:
        if self._backup_thread is not None:
            self._backup_thread.join()
            self._backup_thread = None

    def backup(self, reason: str = "manual") -> Path:
        self.wait_for_backup()
        return backup.backup_database(self.db_path, self.data_dir, reason)

    def restore(self, source: Path) -> Path:
        """Replace the data with a backup of this same device; returns the safety copy taken first.

        Counters (operation sequence, human-code numbers) and the clock keep their highest values:
        numbers handed out after the backup may already be on other devices and must not be reused.
        """
        from fieldkit.store import migrate

        source = Path(source)
        info = backup.inspect_backup(source)
        mine = self.profile()
        if info.get("device_id") != mine.get("device_id"):
            raise RestoreError(
                "{path} es una copia de otro dispositivo ({other}); este perfil es {mine}. "
                "Restaurarla copiaría la identidad de otro equipo.",
                path=source.name,
                other=info.get("device_name") or info.get("device_id") or "?",
                mine=mine.get("device_name") or "?",
            )
        revision = info.get("revision")
        if revision not in migrate.known_revisions():
            raise RestoreError(
                "{path} viene de una versión más reciente de fieldkit (esquema {revision}).",
                path=source.name,
                revision=revision,
            )
        with self._init_lock, self._writes_paused():
            safety = self.backup("antes-de-restaurar")
            mine = self.profile()  # again: nothing can write from here on
            keep: dict[str, object] = {}
            for key in {k for k in (*mine, *info) if k == "seq" or k.startswith("counter:")}:
                keep[key] = max(int(mine.get(key) or 0), int(info.get(key) or 0))
            clocks = [Timestamp.decode(v) for v in (mine.get("hlc"), info.get("hlc")) if v]
            if clocks:
                keep["hlc"] = max(clocks).encode()
            # The counters go into a private copy first, so the live database only ever holds
            # the data before or the data after, never restored rows with old counters.
            staged = self.data_dir / ".restaurando.sqlite"
            staged.unlink(missing_ok=True)
            try:
                backup.copy_into(source, staged)
                set_profile_values(staged, keep)
                if self._engine is not None:
                    self._engine.dispose()
                self.reader.close()
                backup.copy_into(staged, self.db_path)
            finally:
                staged.unlink(missing_ok=True)
            self._engine = None
            self._open_full(existed=True)
        return safety

    @contextmanager
    def _writes_paused(self) -> Iterator[None]:
        """Hold the unit of work's lock so no background operation writes meanwhile."""
        uow = self._uow
        if uow is None:
            yield
            return
        with uow._lock:
            yield

    def close(self) -> None:
        self.wait_for_backup()
        if self._engine is not None:
            self._engine.dispose()
        self.reader.close()
        self.lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USERNAME", "fieldkit")


__all__ = ["DB_NAME", "ROLES", "Store", "check_writable"]
