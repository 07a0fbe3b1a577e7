"""A record's history (the change log read back) and the conflict queue (DESIGN §5)."""

from __future__ import annotations

import json
from typing import NamedTuple

from fieldkit.domain.errors import NotFoundError, ValidationError
from fieldkit.domain.hlc import Timestamp
from fieldkit.i18n import N_, _
from fieldkit.services.changes import Changes
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


def _when(hlc: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.datetime.fromtimestamp(Timestamp.decode(hlc).wall / 1000, dt.UTC)


def record_history(profile: Profile, record_id: str) -> list[Change]:
    rows = reads.record_history(profile.reader, record_id)
    if not rows:
        raise NotFoundError("No hay historial para el registro {record}.", record=record_id)
    return [
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
    return out


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
