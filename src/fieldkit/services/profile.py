"""Open, describe, back up and restore a profile (one device's database and files)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from fieldkit.domain.errors import AuthorizationError, Label, ValidationError
from fieldkit.i18n import N_
from fieldkit.settings import default_data_dir
from fieldkit.store import backup as backup_files
from fieldkit.store.profile import Store

ROLE_LABELS = {
    "field": N_("Equipo de campo"),
    "reviewer": N_("Revisor"),
    "coordinator": N_("Coordinador"),
}


# What each kind of record is called on screen and in `fieldkit status`.
ENTITY_LABELS = {
    "municipality": N_("Municipios"),
    "directorate": N_("Direcciones territoriales"),
    "municipal_category": N_("Categorías municipales"),
    "thematic_line": N_("Líneas temáticas"),
    "indicator_value": N_("Valores de indicadores"),
    "person": N_("Personas"),
    "assistance": N_("Asistencias técnicas"),
    "assistance_member": N_("Integrantes de equipos"),
    "counterpart": N_("Contrapartes"),
    "state_change": N_("Cambios de estado"),
    "attachment": N_("Archivos adjuntos"),
    "form": N_("Formularios publicados"),
    "submission": N_("Formularios diligenciados"),
    "answer": N_("Respuestas"),
    "finding": N_("Hallazgos"),
    "plan": N_("Planes de acción"),
    "plan_version": N_("Versiones de planes"),
    "result": N_("Resultados esperados"),
    "activity": N_("Actividades"),
    "follow_up": N_("Seguimientos"),
    "plan_link": N_("Vínculos de planes"),
    "deliverable": N_("Entregables"),
    "deliverable_review": N_("Revisiones de entregables"),
    "review_comment": N_("Comentarios de revisión"),
}


class Profile:
    """An open profile: the store plus who is writing. Every service takes one.

    Services import the ORM inside their write functions, never at module level: opening a
    profile and listing its records must not pay SQLAlchemy's import time (see store/reader.py).
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        device_name: str | None = None,
        role: str | None = None,
    ) -> None:
        from fieldkit.services import catalog

        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        self.store = Store(self.data_dir, device_name=device_name, role=role)
        try:
            catalog.ensure_seeded(self)
        except BaseException:
            self.store.close()
            raise

    @property
    def values(self) -> dict[str, str | None]:
        return self.store.profile()

    @property
    def device_id(self) -> str:
        return self.values["device_id"] or ""

    @property
    def author(self) -> str:
        values = self.values
        return values.get("user_name") or values.get("device_name") or "fieldkit"

    @property
    def reader(self):  # type: ignore[no-untyped-def]
        return self.store.reader

    @property
    def role(self) -> str:
        return self.values.get("role") or "field"

    @contextmanager
    def write(self) -> Iterator:  # type: ignore[type-arg]
        with self.store.uow.write(self.author) as session:
            yield session

    @contextmanager
    def batch(self) -> Iterator:  # type: ignore[type-arg]
        """Group many service calls into one transaction (see UnitOfWork.batch)."""
        with self.store.uow.batch(self.author) as session:
            yield session

    @contextmanager
    def read(self) -> Iterator:  # type: ignore[type-arg]
        with self.store.uow.read() as session:
            yield session

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Profile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Status(NamedTuple):
    data_dir: str
    database: str
    device_id: str
    device_name: str
    role: str
    user_name: str
    created_at: str
    operations: int
    records: dict[str, int]
    backups: int
    backups_dir: str

    def as_json(self) -> dict[str, object]:
        return dict(self._asdict())


def status(profile: Profile) -> Status:
    from fieldkit.store.oplog import operation_count, record_counts

    values = profile.values
    profile.store.wait_for_backup()
    with profile.read() as session:
        counts = record_counts(session)
        ops = operation_count(session)
    return Status(
        data_dir=str(profile.data_dir),
        database=str(profile.store.db_path),
        device_id=values.get("device_id") or "",
        device_name=values.get("device_name") or "",
        role=values.get("role") or "field",
        user_name=values.get("user_name") or "",
        created_at=values.get("created_at") or "",
        operations=ops,
        records=counts,
        backups=len(backup_files.list_backups(profile.data_dir)),
        backups_dir=str(backup_files.backup_dir(profile.data_dir)),
    )


def dump(profile: Profile) -> str:
    from fieldkit.store.oplog import dump_json

    with profile.read() as session:
        return dump_json(session)


def backup(profile: Profile, reason: str = "manual") -> Path:
    return profile.store.backup(reason)


def list_backups(profile: Profile) -> list[Path]:
    return list(reversed(backup_files.list_backups(profile.data_dir)))


def restore(profile: Profile, source: Path) -> Path:
    """Restore a backup; returns the safety copy of the data as it was just before."""
    return profile.store.restore(source)


def require_coordinator(profile: Profile, action: str) -> None:
    """Refuse, in Spanish, what only a coordinator may do; `action` is an N_() msgid."""
    if profile.role != "coordinator":
        raise AuthorizationError(
            "Solo un perfil de coordinador puede {action}. Este perfil es «{role}».",
            action=Label(action),
            role=Label(ROLE_LABELS.get(profile.role, profile.role)),
        )


def set_role(profile: Profile, role: str) -> None:
    if role not in ROLE_LABELS:
        raise ValidationError(
            "Rol desconocido «{role}». Use field, reviewer o coordinator.", role=role
        )
    profile.store.set_profile(role=role)


def rename_device(profile: Profile, device_name: str, user_name: str | None = None) -> None:
    if not device_name.strip():
        raise ValidationError("El nombre del equipo no puede quedar vacío.")
    values: dict[str, object] = {"device_name": device_name.strip()}
    if user_name:
        values["user_name"] = user_name.strip()
    profile.store.set_profile(**values)
