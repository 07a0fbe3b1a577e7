"""A record's history (the change log read back) and the conflict queue (DESIGN §5)."""

from __future__ import annotations

import datetime as dt
import json
from typing import NamedTuple

from fieldkit.domain.errors import NotFoundError, ValidationError
from fieldkit.domain.hlc import Timestamp
from fieldkit.domain.states import STATE_LABELS, AssistanceState
from fieldkit.i18n import N_, _, format_date, format_datetime, format_number
from fieldkit.services.catalog import split_departments
from fieldkit.services.changes import Changes
from fieldkit.services.persons import PERSON_ROLES
from fieldkit.services.profile import Profile
from fieldkit.store import reads
from fieldkit.store.reader import as_datetime

# What records and fields are called on screen (singular), for histories and conflicts.
ENTITY_NAMES = {
    "municipality": N_("Municipio"),
    "directorate": N_("Dirección territorial"),
    "municipal_category": N_("Categoría municipal"),
    "thematic_line": N_("Línea temática"),
    "indicator_value": N_("Indicador municipal"),
    "person": N_("Persona"),
    "assistance": N_("Asistencia técnica"),
    "assistance_member": N_("Integrante del equipo"),
    "counterpart": N_("Contraparte"),
    "state_change": N_("Cambio de estado"),
    "form": N_("Formulario publicado"),
    "submission": N_("Formulario diligenciado"),
    "answer": N_("Respuesta"),
    "attachment": N_("Adjunto"),
}
FIELD_NAMES = {
    "name": N_("nombre"),
    "official_name": N_("nombre oficial"),
    "code": N_("código"),
    "role": N_("rol"),
    "team_role": N_("papel en el equipo"),
    "email": N_("correo"),
    "phone": N_("teléfono"),
    "position": N_("cargo"),
    "active": N_("activo"),
    "deleted": N_("eliminado"),
    "state": N_("estado"),
    "notes": N_("notas"),
    "cancel_reason": N_("motivo de cancelación"),
    "requested_on": N_("fecha de solicitud"),
    "start_on": N_("fecha de inicio"),
    "end_on": N_("fecha de finalización"),
    "municipality_id": N_("municipio"),
    "thematic_line_id": N_("línea temática"),
    "assistance_id": N_("asistencia"),
    "person_id": N_("persona"),
    "category": N_("categoría"),
    "departments": N_("departamentos"),
    "directorate_code": N_("dirección territorial"),
    "sort_order": N_("orden"),
    "created_at": N_("creado"),
    "form_id": N_("formulario"),
    "form_version": N_("versión del formulario"),
    "version": N_("versión"),
    "title": N_("título"),
    "kind": N_("tipo"),
    "thematic_line_code": N_("línea temática"),
    "sha256": N_("huella del archivo"),
    "file_name": N_("archivo"),
    "media_type": N_("tipo de archivo"),
    "size": N_("tamaño"),
    "caption": N_("leyenda"),
    "owner_entity": N_("tipo de registro dueño"),
    "owner_id": N_("registro dueño"),
    "submission_id": N_("formulario diligenciado"),
    "subject_id": N_("registro evaluado"),
    "status": N_("estado del formulario"),
    "started_at": N_("iniciado"),
    "completed_at": N_("completado"),
    "key": N_("pregunta"),
    "value": N_("valor"),
    "from_state": N_("estado anterior"),
    "to_state": N_("estado nuevo"),
    "reason": N_("motivo"),
    "changed_at": N_("fecha del cambio"),
    "changed_by": N_("cambiado por"),
}


def describe_field(entity: str, field: str) -> str:
    """ "Persona · teléfono": what a person reads instead of `person.phone`."""
    entity_name = _(ENTITY_NAMES[entity]) if entity in ENTITY_NAMES else entity
    field_name = _(FIELD_NAMES[field]) if field in FIELD_NAMES else field
    return f"{entity_name} · {field_name}"


# What a stored value means on screen ----------------------------------------------------------

# Fields that hold another record's id, and the entity of that record.
REFERENCES = {
    "municipality_id": "municipality",
    "thematic_line_id": "thematic_line",
    "assistance_id": "assistance",
    "person_id": "person",
}
TEAM_ROLES = {"lead": N_("Líder"), "member": N_("Integrante")}
STATE_FIELDS = frozenset({"state", "from_state", "to_state"})


class Values:
    """Turns stored values into what a person reads, for histories and conflicts (GUI and CLI):
    names instead of ids and codes, dd/mm/aaaa dates, Spanish labels, Sí/No, lists joined.

    Names are looked up once per record, in the session given; a record that cannot be found
    (not received yet) shows its id, so nothing is hidden.
    """

    def __init__(self, profile: Profile, session) -> None:  # type: ignore[no-untyped-def]
        self.profile = profile
        self.session = session
        self._records: dict[tuple[str, str], str] = {}
        self._departments: dict[str, str] | None = None
        self._categories: dict[str, str] | None = None

    def text(self, entity: str, field: str, value: object) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, list):
            return ", ".join(self.text(entity, field, item) for item in value)
        if isinstance(value, bool):
            return _("Sí") if value else _("No")
        if isinstance(value, float):
            return _number_text(value)
        if not isinstance(value, str):
            return str(value)
        if field in REFERENCES:
            return self.record(REFERENCES[field], value)
        if field in STATE_FIELDS and entity in ("assistance", "state_change"):
            return _state_label(value)
        if field == "role" and entity == "person":
            return _(PERSON_ROLES[value]) if value in PERSON_ROLES else value
        if field == "team_role":
            return _(TEAM_ROLES[value]) if value in TEAM_ROLES else value
        if field == "directorate_code":
            return self._directorate(value)
        if field == "category" and entity == "municipality":
            name = self._category_names().get(value)
            return f"{value} — {name}" if name else value
        if field == "departments" and entity == "directorate":
            names = self._department_names()
            return ", ".join(names.get(c, c) for c in split_departments(value))
        kind = _python_type(entity, field)
        if kind is dt.datetime:
            return _datetime_text(value)
        if kind is dt.date:
            return _date_text(value)
        return value

    def record(self, entity: str, record_id: str) -> str:
        """What a record is called: a person's name, an assistance's code, a municipality…"""
        key = (entity, record_id)
        if key not in self._records:
            self._records[key] = self._describe(entity, record_id) or record_id
        return self._records[key]

    def _row(self, entity: str, record_id: str):  # type: ignore[no-untyped-def]
        from fieldkit.store.models import ENTITIES

        cls = ENTITIES.get(entity)
        return self.session.get(cls, record_id) if cls is not None and record_id else None

    def _describe(self, entity: str, record_id: str) -> str:
        row = self._row(entity, record_id)
        if row is None:
            return ""
        if entity == "municipality":
            return f"{row.name} ({row.department})" if row.department else row.name or ""
        if entity == "assistance":
            return row.code or ""
        if entity == "assistance_member":
            return _(
                "{person} en {assistance}",
                person=self.record("person", row.person_id or ""),
                assistance=self.record("assistance", row.assistance_id or ""),
            )
        if entity == "counterpart":
            return _(
                "{person} en {assistance}",
                person=row.name or "—",
                assistance=self.record("assistance", row.assistance_id or ""),
            )
        if entity == "submission":
            return _(
                "{form} de {assistance}",
                form=row.form_id or "",
                assistance=self.record("assistance", row.assistance_id or ""),
            )
        if entity == "answer":
            return _(
                "«{question}» en {submission}",
                question=row.key or "",
                submission=self.record("submission", row.submission_id or ""),
            )
        if entity == "attachment":
            return row.file_name or ""
        if entity == "state_change":
            return _(
                "{assistance}, cambio a «{state}»",
                assistance=self.record("assistance", row.assistance_id or ""),
                state=_state_label(row.to_state or ""),
            )
        if entity == "indicator_value":
            return _(
                "{indicator} {year} de {municipality}",
                indicator=row.indicator or "",
                year=row.year or "",
                municipality=self.record("municipality", row.municipality_id or ""),
            )
        return getattr(row, "name", None) or getattr(row, "code", None) or ""

    def _directorate(self, code: str) -> str:
        from fieldkit.store import queries

        key = ("directorate_code", code)
        if key not in self._records:
            found = queries.directorate_by_code(self.session, code)
            self._records[key] = f"{code} — {found.name}" if found and found.name else code
        return self._records[key]

    def _category_names(self) -> dict[str, str]:
        if self._categories is None:
            from fieldkit.services.catalog import categories

            self._categories = {o.code: o.name for o in categories(self.profile)}
        return self._categories

    def _department_names(self) -> dict[str, str]:
        if self._departments is None:
            from fieldkit.services.catalog import departments

            self._departments = {o.code: o.name for o in departments(self.profile)}
        return self._departments


def _state_label(state: str) -> str:
    try:
        return _(STATE_LABELS[AssistanceState(state)])
    except ValueError:
        return state


def _python_type(entity: str, field: str) -> type | None:
    from fieldkit.store.models import ENTITIES

    cls = ENTITIES.get(entity)
    column = cls.__table__.c.get(field) if cls is not None else None  # type: ignore[attr-defined]
    try:
        return column.type.python_type if column is not None else None
    except NotImplementedError:
        return None


def _number_text(value: float) -> str:
    """Every stored decimal (a coordinate must not lose precision), with the locale's comma."""
    digits = repr(value)
    if "e" in digits or "n" in digits:  # 1e-07, inf, nan: as stored
        return digits
    return format_number(value, len(digits.split(".")[1]) if value != int(value) else 0)


def _date_text(value: str) -> str:
    try:
        return format_date(dt.date.fromisoformat(value[:10]))
    except ValueError:
        return value


def _datetime_text(value: str) -> str:
    """Stored datetimes are naive UTC: shown in local time, as the rest of the screens do."""
    try:
        return format_datetime(as_datetime(value))
    except ValueError:
        return value


class Change(NamedTuple):
    """One operation: who set which field to what, when, on which device."""

    op_id: str
    entity: str
    field: str
    value: object
    author: str
    device: str
    at: object  # aware UTC datetime of the HLC's wall clock
    seq: int
    text: str = ""  # the value as a person reads it: names, dd/mm/aaaa, labels (see Values)


def _when(hlc: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.datetime.fromtimestamp(Timestamp.decode(hlc).wall / 1000, dt.UTC)


def record_history(profile: Profile, record_id: str) -> list[Change]:
    rows = reads.record_history(profile.reader, record_id)
    if not rows:
        raise NotFoundError("No hay historial para el registro {record}.", record=record_id)
    changes = [
        Change(
            r["op_id"],
            r["entity"],
            r["field"],
            json.loads(r["value"]) if r["value"] is not None else None,
            r["author"] or "",
            r["origin"],
            _when(r["hlc"]),
            r["seq"],
        )
        for r in rows
    ]
    with profile.read() as session:
        values = Values(profile, session)
        return [c._replace(text=values.text(c.entity, c.field, c.value)) for c in changes]


class ConflictRow(NamedTuple):
    id: str
    kind: str  # "field": two values for one field; "deleted": an edit of a deleted record
    entity: str
    record_id: str
    field: str
    mine: Change  # the operation made on this device, or the first of the two
    theirs: Change
    winner: str  # op id of the value the rows show now
    open: bool
    detected_at: object
    record: str = ""  # what the record is called: a person's name, an assistance's code…


def list_conflicts(profile: Profile, *, include_resolved: bool = False) -> list[ConflictRow]:
    me = profile.device_id
    out = []
    for r in reads.conflicts(profile.reader):
        a = Change(
            r["a_id"],
            r["entity"],
            r["field"],
            _json(r["a_value"]),
            r["a_author"] or "",
            r["a_origin"],
            _when(r["a_hlc"]),
            0,
        )
        b = Change(
            r["b_id"],
            r["entity"],
            r["field"],
            _json(r["b_value"]),
            r["b_author"] or "",
            r["b_origin"],
            _when(r["b_hlc"]),
            0,
        )
        if b.device == me and a.device != me:
            a, b = b, a
        hlcs = {r["a_id"]: r["a_hlc"], r["b_id"]: r["b_hlc"]}
        # Open while one of the two still decides the field; a later operation closes it.
        winner = next((op for op, h in hlcs.items() if h == r["winner_hlc"]), "")
        is_open = bool(winner)
        if is_open or include_resolved:
            out.append(
                ConflictRow(
                    r["id"],
                    r["kind"],
                    r["entity"],
                    r["record_id"],
                    r["field"],
                    a,
                    b,
                    winner,
                    is_open,
                    as_datetime(r["detected_at"]),
                )
            )
    if not out:
        return out
    with profile.read() as session:
        values = Values(profile, session)
        return [
            c._replace(
                mine=c.mine._replace(text=values.text(c.entity, c.mine.field, c.mine.value)),
                theirs=c.theirs._replace(
                    text=values.text(c.entity, c.theirs.field, c.theirs.value)
                ),
                record=values.record(c.entity, c.record_id),
            )
            for c in out
        ]


def _side(r, prefix: str) -> Change:  # type: ignore[no-untyped-def]
    return Change(
        r[f"{prefix}_id"],
        r["entity"],
        r[f"{prefix}_field"],
        _json(r[f"{prefix}_value"]),
        r[f"{prefix}_author"] or "",
        r[f"{prefix}_origin"],
        _when(r[f"{prefix}_hlc"]),
        0,
    )


def _json(text: str | None) -> object:
    return json.loads(text) if text is not None else None


def resolve_conflict(profile: Profile, conflict_id: str, keep: str) -> Changes:
    """Keep `mine` or `theirs`: one new operation, newer than both, that itself syncs."""
    if keep not in ("mine", "theirs"):
        raise ValidationError("Elija qué valor conservar: «mine» (el mío) o «theirs» (el otro).")
    found = [
        c
        for c in list_conflicts(profile, include_resolved=True)
        if c.id == conflict_id or c.id.startswith(conflict_id)
    ]
    if len(found) != 1:
        raise NotFoundError("No existe el conflicto «{id}».", id=conflict_id)
    conflict = found[0]
    if not conflict.open:
        raise ValidationError("El conflicto {id} ya fue resuelto.", id=conflict.id[:8])
    chosen = conflict.mine if keep == "mine" else conflict.theirs
    from fieldkit.store import codec
    from fieldkit.store.models import ENTITIES
    from fieldkit.store.uow import write_field

    column = ENTITIES[conflict.entity].__table__.c[chosen.field]  # type: ignore[attr-defined]
    value = codec.decode(column.type, json.dumps(chosen.value))
    with profile.write() as session:
        if conflict.kind == "deleted" and chosen.field == "deleted":
            write_field(session, conflict.entity, conflict.record_id, "deleted", True)
        elif conflict.kind == "deleted":
            # Keeping the edit brings the record back, with the edited value.
            write_field(session, conflict.entity, conflict.record_id, "deleted", False)
            write_field(session, conflict.entity, conflict.record_id, chosen.field, value)
        else:
            write_field(session, conflict.entity, conflict.record_id, conflict.field, value)
    return Changes.of(conflict.entity)
