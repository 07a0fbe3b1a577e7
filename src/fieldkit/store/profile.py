"""Open a profile: check the folder, take the lock, back up, migrate, make sure it has a device id."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import platform
import tempfile
import uuid
from pathlib import Path

from sqlalchemy.exc import DatabaseError

from fieldkit.domain.errors import ProfileError, RestoreError
from fieldkit.domain.hlc import Timestamp
from fieldkit.store import backup, migrate
from fieldkit.store.engine import make_engine
from fieldkit.store.lock import ProfileLock
from fieldkit.store.uow import UnitOfWork, read_profile, write_profile

DB_NAME = "fieldkit.sqlite"
ROLES = ("field", "reviewer", "coordinator")


def check_writable(data_dir: Path) -> None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".write-test-"):
            pass
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
        try:
            self._open()
            self.ensure_identity(device_name, role)
        except BaseException:
            self.close()
            raise

    def _open(self) -> None:
        existed = self.db_path.exists() and self.db_path.stat().st_size > 0
        self.engine = make_engine(self.db_path)
        try:
            revision = migrate.current_revision(self.engine)
        except DatabaseError as exc:
            raise ProfileError(
                "La base de datos {path} está dañada o no es de fieldkit ({error}). "
                "Restaure una copia de seguridad con «fieldkit restore».",
                path=str(self.db_path),
                error=str(exc.orig),
            ) from exc
        if revision != migrate.HEAD:
            if revision is not None and revision not in migrate.known_revisions():
                raise ProfileError(
                    "La base de datos fue creada por una versión más reciente de fieldkit "
                    "(esquema {revision}). Actualice fieldkit para abrirla.",
                    revision=revision,
                )
            if existed and revision is not None:
                backup.backup_database(self.db_path, self.data_dir, "antes-de-migrar")
            migrate.upgrade(self.engine)
        elif existed and not backup.has_backup_today(self.data_dir):
            backup.backup_database(self.db_path, self.data_dir, "diaria")
        self.uow = UnitOfWork(self.engine)

    def ensure_identity(self, device_name: str | None, role: str | None) -> None:
        if role is not None and role not in ROLES:
            raise ProfileError(
                "Rol desconocido «{role}». Use field, reviewer o coordinator.", role=role
            )
        with self.uow.read() as session:
            values = read_profile(session)
        updates: dict[str, object] = {}
        if not values.get("device_id"):
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
            with self.uow.engine.begin() as conn:
                from sqlalchemy.orm import Session

                with Session(bind=conn) as session:
                    write_profile(session, **updates)
                    session.flush()

    def profile(self) -> dict[str, str | None]:
        with self.uow.read() as session:
            return read_profile(session)

    def set_profile(self, **values: object) -> None:
        with self.engine.begin() as conn:
            from sqlalchemy.orm import Session

            with Session(bind=conn) as session:
                write_profile(session, **values)
                session.flush()

    def backup(self, reason: str = "manual") -> Path:
        return backup.backup_database(self.db_path, self.data_dir, reason)

    def restore(self, source: Path) -> Path:
        """Replace the data with a backup of this same device; returns the safety copy taken first.

        The device's sequence number and clock keep their highest values, so operations made
        after the backup are never re-numbered (other devices may already hold them).
        """
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
        safety = self.backup("antes-de-restaurar")
        # Counters (operation sequence, human-code numbers) keep their highest value: numbers
        # handed out after the backup may already be on other devices and must not be reused.
        keep: dict[str, object] = {}
        for key in {k for k in (*mine, *info) if k == "seq" or k.startswith("counter:")}:
            keep[key] = max(int(mine.get(key) or 0), int(info.get(key) or 0))
        clocks = [Timestamp.decode(v) for v in (mine.get("hlc"), info.get("hlc")) if v]
        if clocks:
            keep["hlc"] = max(clocks).encode()
        self.engine.dispose()
        backup.copy_into(source, self.db_path)
        self._open()
        self.set_profile(**keep)
        return safety

    def close(self) -> None:
        engine = getattr(self, "engine", None)
        if engine is not None:
            engine.dispose()
        self.lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USERNAME", "fieldkit")
