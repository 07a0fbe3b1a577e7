"""A record's history (the change log read back) and the conflict queue (DESIGN §5)."""

from __future__ import annotations

import datetime as dt
import json
from typing import NamedTuple

from fieldkit.domain.deliverables import KINDS as DELIVERABLE_KINDS
from fieldkit.domain.deliverables import STATE_LABELS as DELIVERABLE_STATE_LABELS
from fieldkit.domain.deliverables import DeliverableState
from fieldkit.domain.errors import NotFoundError, ValidationError
from fieldkit.domain.hlc import Timestamp
from fieldkit.domain.plans import PLAN_STATE_LABELS, RESPONSIBLES, PlanState
from fieldkit.domain.progress import (
    ACTIVITY_STATE_LABELS,
    DIRECTION_LABELS,
    INDICATOR_TYPE_LABELS,
)
from fieldkit.domain.states import STATE_LABELS, AssistanceState
from fieldkit.i18n import N_, _, format_date, format_datetime, format_number
from fieldkit.services.catalog import split_departments
from fieldkit.services.changes import Changes
from fieldkit.services.deliverables import PURPOSE_LABELS
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
    "finding": N_("Hallazgo"),
    "plan": N_("Plan de acción"),
    "plan_version": N_("Versión del plan"),
    "result": N_("Resultado esperado"),
    "activity": N_("Actividad"),
    "follow_up": N_("Seguimiento"),
    "plan_link": N_("Vínculo del plan"),
    "deliverable": N_("Entregable"),
    "deliverable_review": N_("Revisión de calidad"),
    "review_comment": N_("Comentario de revisión"),
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
    # Action plans (issue 5)
    "problem": N_("problema"),
    "objective": N_("objetivo general"),
    "alternative": N_("alternativa de solución"),
    "snapshot": N_("contenido enviado"),
    "number": N_("número de envío"),
    "submitted_at": N_("enviado a revisión"),
    "submitted_by": N_("enviado por"),
    "decision": N_("decisión"),
    "comments": N_("comentarios"),
    "decided_at": N_("fecha de la decisión"),
    "decided_by": N_("decidido por"),
    "statement": N_("enunciado"),
    "indicator_name": N_("indicador"),
    "indicator_type": N_("tipo de indicador"),
    "unit": N_("unidad de medida"),
    "baseline": N_("línea base"),
    "target": N_("meta"),
    "direction": N_("sentido del indicador"),
    "verification": N_("medio de verificación"),
    "due_on": N_("fecha esperada"),
    "description": N_("descripción"),
    "responsible": N_("responsable"),
    "responsible_name": N_("funcionario responsable"),
    "recorded_on": N_("fecha del seguimiento"),
    "progress": N_("avance (%)"),
    "note": N_("nota"),
    "recorded_by": N_("registrado por"),
    "area": N_("área"),
    "priority": N_("prioridad"),
    "plan_id": N_("plan de acción"),
    "result_id": N_("resultado"),
    "activity_id": N_("actividad"),
    "source_id": N_("origen del vínculo"),
    "target_id": N_("destino del vínculo"),
    # Deliverables (issue 6)
    "purpose": N_("uso del archivo"),
    "delivered_on": N_("fecha de entrega"),
    "delivery_place": N_("lugar de entrega"),
    "received_by": N_("recibido por"),
    "received_position": N_("cargo de quien recibe"),
    "received_entity": N_("entidad de quien recibe"),
    "team_present": N_("equipo presente en la entrega"),
    "delivered_by": N_("entrega registrada por"),
    "deliverable_id": N_("entregable"),
    "review_id": N_("envío a revisión"),
    "item": N_("ítem comentado"),
    "comment": N_("comentario"),
    "addressed": N_("atendido"),
    "response": N_("respuesta del equipo"),
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
    "submission_id": "submission",
    "plan_id": "plan",
    "result_id": "result",
    "activity_id": "activity",
    "deliverable_id": "deliverable",
    "review_id": "deliverable_review",
}
# A plan link joins a finding to a result, a visit (a submission) to an activity, or a
# deliverable to the result it serves.
LINK_ENDS = {
    "source_id": ("finding", "submission", "deliverable"),
    "target_id": ("result", "activity"),
}
LINK_KINDS = {
    "finding_result": N_("Hallazgo atendido por un resultado"),
    "visit_activity": N_("Visita que avanzó una actividad"),
    "deliverable_result": N_("Entregable que sirve a un resultado"),
}
# Who may own an attachment (its purpose, for a deliverable's files: services.deliverables).
ATTACHMENT_OWNERS = ("deliverable", "submission", "follow_up")
PRIORITIES = {1: N_("Alta"), 2: N_("Media"), 3: N_("Baja")}
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
        if field == "priority" and entity == "finding" and value in PRIORITIES:
            return _(PRIORITIES[value])  # type: ignore[index]
        if not isinstance(value, str):
            return str(value)
        if field in REFERENCES:
            return self.record(REFERENCES[field], value)
        if field in STATE_FIELDS and entity in ("assistance", "state_change"):
            return _state_label(value)
        plan_label = _plan_label(entity, field, value)
        if plan_label is not None:
            return plan_label
        deliverable_label = _deliverable_label(entity, field, value)
        if deliverable_label is not None:
            return deliverable_label
        if entity == "attachment" and field == "owner_entity":
            return _(ENTITY_NAMES[value]) if value in ENTITY_NAMES else value
        if entity == "attachment" and field == "owner_id":
            return self._link_end(ATTACHMENT_OWNERS, value)
        if entity == "plan_link" and field in LINK_ENDS:
            return self._link_end(LINK_ENDS[field], value)
        if field == "snapshot" and entity == "plan_version":
            return _snapshot_text(value)
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
        plan_record = self._describe_plan_record(entity, row)
        if plan_record is not None:
            return plan_record
        deliverable_record = self._describe_deliverable_record(entity, row)
        if deliverable_record is not None:
            return deliverable_record
        if entity == "indicator_value":
            return _(
                "{indicator} {year} de {municipality}",
                indicator=row.indicator or "",
                year=row.year or "",
                municipality=self.record("municipality", row.municipality_id or ""),
            )
        return getattr(row, "name", None) or getattr(row, "code", None) or ""

    def _link_end(self, entities: tuple[str, ...], record_id: str) -> str:
        """A link's end is one of two kinds of record: the one that exists names it."""
        for entity in entities:
            if self._row(entity, record_id) is not None:
                return self.record(entity, record_id)
        return record_id

    def _describe_plan_record(self, entity: str, row) -> str | None:  # type: ignore[no-untyped-def]
        """Plan records (issue 5) are named by what they say and whose plan they are in."""
        if entity == "finding":
            return _(
                "Hallazgo «{statement}» de {assistance}",
                statement=_short(row.statement),
                assistance=self.record("assistance", row.assistance_id or ""),
            )
        if entity == "plan":
            return _(
                "Plan de acción de {assistance}",
                assistance=self.record("assistance", row.assistance_id or ""),
            )
        if entity == "plan_version":
            return _(
                "Versión {version} (envío {number}) del plan de {assistance}",
                version=row.version or 1,
                number=row.number or 1,
                assistance=self._plan_assistance(row.plan_id),
            )
        if entity == "result":
            return _(
                "Resultado «{statement}» del plan de {assistance}",
                statement=_short(row.statement),
                assistance=self._plan_assistance(row.plan_id),
            )
        if entity == "activity":
            return _(
                "Actividad «{description}» del plan de {assistance}",
                description=_short(row.description),
                assistance=self._plan_assistance(row.plan_id),
            )
        if entity == "follow_up":
            when = format_date(row.recorded_on) or "—"
            if row.result_id:
                result = self._row("result", row.result_id)
                return _(
                    "Medición del {date} del resultado «{statement}»",
                    date=when,
                    statement=_short(result.statement) if result is not None else row.result_id,
                )
            activity = self._row("activity", row.activity_id or "")
            return _(
                "Seguimiento del {date} de la actividad «{description}»",
                date=when,
                description=_short(activity.description)
                if activity is not None
                else row.activity_id or "",
            )
        if entity == "plan_link":
            ends = {
                field: self._link_end(LINK_ENDS[field], getattr(row, field) or "")
                for field in LINK_ENDS
            }
            return _("{source} → {target}", source=ends["source_id"], target=ends["target_id"])
        return None

    def _describe_deliverable_record(self, entity: str, row) -> str | None:  # type: ignore[no-untyped-def]
        """Deliverables (issue 6) are named by their title and assistance; a review by its
        number, a reviewer's comment by the item it is about."""
        if entity == "deliverable":
            return _(
                "Entregable «{title}» de {assistance}",
                title=_short(row.title),
                assistance=self.record("assistance", row.assistance_id or ""),
            )
        if entity == "deliverable_review":
            return _(
                "Envío {number} a revisión del entregable «{title}» de {assistance}",
                number=row.number or 1,
                **self._deliverable_names(row.deliverable_id),
            )
        if entity == "review_comment":
            review = self._row("deliverable_review", row.review_id or "")
            names = self._deliverable_names(review.deliverable_id if review is not None else None)
            return _(
                "Comentario sobre «{item}» en el envío {number} del entregable «{title}»",
                item=_short(row.item),
                number=(review.number if review is not None else None) or "?",
                title=names["title"],
            )
        return None

    def _deliverable_names(self, deliverable_id: str | None) -> dict[str, str]:
        """A deliverable's title and assistance code (its id if not received yet)."""
        deliverable = self._row("deliverable", deliverable_id or "")
        if deliverable is None:
            return {"title": deliverable_id or "—", "assistance": "—"}
        return {
            "title": _short(deliverable.title),
            "assistance": self.record("assistance", deliverable.assistance_id or ""),
        }

    def _plan_assistance(self, plan_id: str | None) -> str:
        """The code of the assistance a plan belongs to (the plan's id if not received yet)."""
        plan = self._row("plan", plan_id or "")
        if plan is None:
            return plan_id or "—"
        return self.record("assistance", plan.assistance_id or "")

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


def _plan_label(entity: str, field: str, value: str) -> str | None:
    """The Spanish label of a plan's coded value (state, decision, direction…); None if not one."""
    labels: dict[str, str] | None = None
    if entity == "plan" and field == "state":
        labels = {s.value: label for s, label in PLAN_STATE_LABELS.items()}
    elif entity == "plan_version" and field == "decision":
        labels = {
            PlanState.APPROVED.value: PLAN_STATE_LABELS[PlanState.APPROVED],
            PlanState.RETURNED.value: PLAN_STATE_LABELS[PlanState.RETURNED],
        }
    elif entity == "follow_up" and field == "state":
        labels = {s.value: label for s, label in ACTIVITY_STATE_LABELS.items()}
    elif entity == "result" and field == "direction":
        labels = {d.value: label for d, label in DIRECTION_LABELS.items()}
    elif entity == "result" and field == "indicator_type":
        labels = {t.value: label for t, label in INDICATOR_TYPE_LABELS.items()}
    elif entity == "activity" and field == "responsible":
        labels = dict(RESPONSIBLES)
    elif entity == "plan_link" and field == "kind":
        labels = dict(LINK_KINDS)
    if labels is None:
        return None
    return _(labels[value]) if value in labels else value


def _deliverable_label(entity: str, field: str, value: str) -> str | None:
    """The Spanish label of a deliverable's coded value (kind, state, decision, the names
    present at the delivery, a file's purpose); None if not one."""
    labels: dict[str, str] | None = None
    if entity == "deliverable" and field == "kind":
        labels = DELIVERABLE_KINDS
    elif entity == "deliverable" and field == "state":
        # The team's own field: draft, submitted (to review), delivered.
        labels = {s.value: label for s, label in DELIVERABLE_STATE_LABELS.items()}
    elif entity == "deliverable_review" and field == "decision":
        labels = {
            s.value: DELIVERABLE_STATE_LABELS[s]
            for s in (DeliverableState.APPROVED, DeliverableState.RETURNED)
        }
    elif entity == "attachment" and field == "purpose":
        labels = PURPOSE_LABELS
    elif entity == "deliverable" and field == "team_present":
        try:
            names = json.loads(value)
        except ValueError:
            return value
        if isinstance(names, list):
            return ", ".join(str(n) for n in names) or "—"
        return value
    if labels is None:
        return None
    return _(labels[value]) if value in labels else value


def _short(text: str | None, limit: int = 60) -> str:
    """A long statement cut where a word ends, so a record's name fits on one line."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text or "—"
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _snapshot_text(value: str) -> str:
    """A submitted version's frozen content, summed up: it is read whole in the plan's window."""
    try:
        data = json.loads(value)
        results = data.get("results") or []
        activities = sum(len(r.get("activities") or []) for r in results)
    except (ValueError, AttributeError, TypeError):
        return value
    return _(
        "resultados: {results}; actividades: {activities}",
        results=len(results),
        activities=activities,
    )


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
