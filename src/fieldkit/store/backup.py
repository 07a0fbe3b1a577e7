"""Backups with SQLite's online backup API, rotated; restore with checks (DESIGN §9)."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

from fieldkit.domain.errors import RestoreError
from fieldkit.store.reader import readonly_uri as _readonly_uri

KEEP = 30
_NAME = re.compile(r"^fieldkit-(\d{8}-\d{6}(?:-\d+)?)-([a-z0-9_-]+)\.sqlite$")
SQLITE_MAGIC = b"SQLite format 3\x00"


def backup_dir(data_dir: Path) -> Path:
    return data_dir / "backups"


def list_backups(data_dir: Path) -> list[Path]:
    folder = backup_dir(data_dir)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if _NAME.match(p.name)), key=lambda p: p.name)


def backup_database(db_path: Path, data_dir: Path, reason: str, keep: int = KEEP) -> Path:
    """Copy the live database consistently (even while open elsewhere in this process)."""
    folder = backup_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"fieldkit-{stamp}-{reason}.sqlite"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"fieldkit-{stamp}-{n}-{reason}.sqlite"
    partial = target.with_suffix(".partial")
    src = sqlite3.connect(db_path)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(target)
    rotate(data_dir, keep)
    return target


def rotate(data_dir: Path, keep: int = KEEP) -> None:
    backups = list_backups(data_dir)
    for old in backups[: max(0, len(backups) - keep)]:
        old.unlink(missing_ok=True)


def has_backup_today(data_dir: Path) -> bool:
    today = dt.date.today().strftime("%Y%m%d")
    return any(p.name.startswith(f"fieldkit-{today}") for p in list_backups(data_dir))


def inspect_backup(path: Path) -> dict[str, str | None]:
    """Check that a file is a fieldkit database and return its profile values; else RestoreError."""
    if not path.is_file():
        raise RestoreError("No existe el archivo {path}.", path=str(path))
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise RestoreError(
                "{path} no es una copia de seguridad de fieldkit (no es una base de datos SQLite).",
                path=path.name,
            )
    try:
        conn = sqlite3.connect(_readonly_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise RestoreError(
            "No se pudo abrir {path}: {error}", path=path.name, error=str(exc)
        ) from exc
    try:
        try:
            check = conn.execute("PRAGMA integrity_check").fetchone()
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as exc:
            raise RestoreError(
                "{path} está dañado y no se puede restaurar: {error}",
                path=path.name,
                error=str(exc),
            ) from exc
        if not check or check[0] != "ok":
            raise RestoreError("{path} está dañado y no se puede restaurar.", path=path.name)
        if not {"profile", "operations", "alembic_version"} <= tables:
            raise RestoreError(
                "{path} es una base de datos SQLite, pero no de fieldkit.", path=path.name
            )
        values = dict(conn.execute("SELECT key, value FROM profile").fetchall())
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        values["revision"] = row[0] if row else None
        return values
    finally:
        conn.close()


def copy_into(source: Path, db_path: Path) -> None:
    """Replace the contents of db_path with source, through SQLite so WAL files stay coherent."""
    src = sqlite3.connect(_readonly_uri(source), uri=True)
    try:
        dst = sqlite3.connect(db_path)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
