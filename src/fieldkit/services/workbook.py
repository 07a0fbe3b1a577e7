"""The monitoring workbook (.xlsx): one sheet per entity, for the directorates and the national
office to filter, pivot and chart (DESIGN §8).

Every sheet is read with a few set-based queries (store/workbook.py) and written with openpyxl in
write-only mode to a temporary file beside the target, renamed when complete. Cells are typed:
dates are dates shown dd/mm/aaaa, numbers are numbers, percents are numbers 0–100 shown with one
decimal (format ``0.0``; the header says «(%)»), yes/no are the words «Sí»/«No». Text that a
spreadsheet could take for a formula (starting with = + - @, a tab or a carriage return, or an
error code such as #N/A) is written as an inline string, never as a formula.

Attendance lists can be pseudonymized: no names, no identity documents, and one stable
pseudonym («P-00017») per person within the export, so people can still be counted across
visits; the disaggregation (sex, ethnicity, victim, disability) stays.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import math
import os
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from fieldkit.domain.deliverables import KINDS
from fieldkit.domain.deliverables import STATE_LABELS as DELIVERABLE_STATE_LABELS
from fieldkit.domain.deliverables import effective_state as deliverable_state
from fieldkit.domain.errors import NotFoundError, ValidationError
from fieldkit.domain.plans import (
    PLAN_STATE_LABELS,
    RESPONSIBLES,
    LastVersion,
    PlanState,
)
from fieldkit.domain.plans import effective_state as plan_state
from fieldkit.domain.progress import (
    ACTIVITY_STATE_LABELS,
    DIRECTION_LABELS,
    INDICATOR_TYPE_LABELS,
    ActivityFacts,
    Direction,
    IndicatorType,
    ResultFacts,
    activity_percent,
    is_overdue,
    plan_progress,
    result_achievement,
)
from fieldkit.domain.states import STATE_LABELS as ASSISTANCE_STATE_LABELS
from fieldkit.domain.states import AssistanceState
from fieldkit.domain.text import fold
from fieldkit.i18n import N_, _, format_date
from fieldkit.services.profile import Profile
from fieldkit.store.reader import as_date, as_datetime

if TYPE_CHECKING:
    from fieldkit.forms import FormDefinition

Progress = Callable[[int, int, str], bool]


class WorkbookResult(NamedTuple):
    path: Path
    sheets: dict[str, int]  # sheet title -> data rows


class ExportCancelled(ValidationError):
    """The person cancelled the export: nothing was written (a file already there is kept)."""


# Cell kinds ----------------------------------------------------------------------------------

TEXT, DATE, NUMBER, INTEGER, PERCENT, DECIMAL = "text", "date", "number", "int", "pct", "dec"
DATE_FORMAT = "DD/MM/YYYY"
ONE_DECIMAL = "0.0"  # percents (0–100) and the survey's average score (1–5)
# A spreadsheet may evaluate text that starts with these (CSV/formula injection).
FORMULA_STARTS = frozenset("=+-@\t\r")
RISKY_STARTS = frozenset({"", "#", *FORMULA_STARTS})  # "": empty text is no cell at all
ERROR_CODES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
# Characters XML 1.0 cannot hold (openpyxl refuses them): dropped rather than failing the export.
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_INVALID_TITLE = re.compile(r"[\\/*?:\[\]]")  # what a sheet name may not hold
MAX_WIDTH = 60
WIDTH_SAMPLE = 100  # rows looked at to size the columns
ROWS_PER_CHECK = 2000  # how often a long sheet asks whether to cancel
YES, NO = N_("Sí"), N_("No")


class Column(NamedTuple):
    header: str  # msgid
    kind: str = TEXT


class Sheet(NamedTuple):
    title: str  # msgid
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]


def _c(header: str, kind: str = TEXT) -> Column:
    return Column(header, kind)


ASSISTANCE_COLUMNS = (
    _c(N_("Código")),
    _c(N_("Código DIVIPOLA")),
    _c(N_("Municipio")),
    _c(N_("Departamento")),
    _c(N_("Dirección territorial")),
    _c(N_("Línea temática")),
    _c(N_("Estado")),
    _c(N_("Fecha de solicitud"), DATE),
    _c(N_("Fecha de inicio"), DATE),
    _c(N_("Fecha de finalización"), DATE),
    _c(N_("Equipo")),
    _c(N_("Contrapartes"), INTEGER),
    _c(N_("Estado del plan")),
    _c(N_("Logro de resultados (%)"), PERCENT),
    _c(N_("Avance de actividades (%)"), PERCENT),
    _c(N_("Actividades vencidas"), INTEGER),
    _c(N_("Alerta: actividades sin resultados")),
)
PLAN_COLUMNS = (
    _c(N_("Asistencia")),
    _c(N_("Versión"), INTEGER),
    _c(N_("Estado")),
    _c(N_("Problema")),
    _c(N_("Objetivo")),
    _c(N_("Alternativa de solución")),
    _c(N_("Enviado a revisión"), DATE),
    _c(N_("Enviado por")),
    _c(N_("Aprobado"), DATE),
    _c(N_("Aprobado por")),
)
RESULT_COLUMNS = (
    _c(N_("Asistencia")),
    _c(N_("N.º"), INTEGER),
    _c(N_("Resultado esperado")),
    _c(N_("Indicador")),
    _c(N_("Tipo de indicador")),
    _c(N_("Unidad")),
    _c(N_("Línea base"), NUMBER),
    _c(N_("Meta"), NUMBER),
    _c(N_("Sentido")),
    _c(N_("Fecha límite"), DATE),
    _c(N_("Último valor medido"), NUMBER),
    _c(N_("Fecha de la medición"), DATE),
    _c(N_("Logro (%)"), PERCENT),
)
ACTIVITY_COLUMNS = (
    _c(N_("Asistencia")),
    _c(N_("Resultado"), INTEGER),
    _c(N_("Actividad"), INTEGER),
    _c(N_("Descripción")),
    _c(N_("Responsable")),
    _c(N_("Funcionario responsable")),
    _c(N_("Inicio"), DATE),
    _c(N_("Fin"), DATE),
    _c(N_("Avance (%)"), PERCENT),
    _c(N_("Estado")),
    _c(N_("Vencida")),
)
FOLLOW_UP_COLUMNS = (
    _c(N_("Asistencia")),
    _c(N_("Seguimiento de")),
    _c(N_("N.º")),
    _c(N_("Actividad o resultado")),
    _c(N_("Fecha"), DATE),
    _c(N_("Avance (%)"), PERCENT),
    _c(N_("Estado")),
    _c(N_("Valor medido"), NUMBER),
    _c(N_("Medio de verificación")),
    _c(N_("Nota")),
    _c(N_("Registrado por")),
    _c(N_("Evidencias")),
)
# Attendance totals of a visit: (header, question, chosen code); "" counts every attendee.
ATTENDANCE_TOTALS = (
    (N_("Asistentes"), "", ""),
    (N_("Mujeres"), "sexo", "mujer"),
    (N_("Hombres"), "sexo", "hombre"),
    (N_("Intersexuales"), "sexo", "intersexual"),
    (N_("Indígenas"), "etnia", "indigena"),
    (N_("Negros(as) / afrocolombianos(as)"), "etnia", "negro"),
    (N_("Raizales"), "etnia", "raizal"),
    (N_("Palenqueros(as)"), "etnia", "palenquero"),
    (N_("Rrom"), "etnia", "rrom"),
    (N_("Ningún grupo étnico"), "etnia", "ninguno"),
    (N_("Grupo étnico sin dato"), "etnia", "sin_dato"),
    (N_("Víctimas del conflicto"), "victima", "si"),
    (N_("Personas con discapacidad"), "discapacidad", "si"),
)
VISIT_COLUMNS = (
    _c(N_("Asistencia")),
    _c(N_("Fecha"), DATE),
    _c(N_("Lugar")),
    _c(N_("Propósito")),
    _c(N_("Estado")),
    *(_c(header, INTEGER) for header, _q, _v in ATTENDANCE_TOTALS),
)
ATTENDEE_HEAD = (_c(N_("Asistencia")), _c(N_("Fecha de la visita"), DATE))
ATTENDEE_IDENTITY = (_c(N_("Nombre")), _c(N_("Tipo de documento")), _c(N_("Documento")))
ATTENDEE_PSEUDONYM = (_c(N_("Seudónimo")),)
ATTENDEE_TAIL = (
    _c(N_("Sexo")),
    _c(N_("Autorreconocimiento étnico")),
    _c(N_("Víctima del conflicto")),
    _c(N_("Discapacidad")),
    _c(N_("Entidad")),
    _c(N_("Cargo o rol")),
    _c(N_("Consentimiento")),
)
DELIVERABLE_COLUMNS = (
    _c(N_("Asistencia")),
    _c(N_("N.º"), INTEGER),
    _c(N_("Tipo")),
    _c(N_("Título")),
    _c(N_("Estado")),
    _c(N_("Fecha límite"), DATE),
    _c(N_("Entregado el"), DATE),
    _c(N_("A tiempo")),
    _c(N_("Recibió")),
    _c(N_("Cargo de quien recibió")),
    _c(N_("Revisiones"), INTEGER),
    _c(N_("Última decisión")),
)
# The satisfaction survey (encuesta_satisfaccion): one column per question, choice labels.
SURVEY_SCALE = ("pertinencia", "calidad", "oportunidad", "trato", "utilidad")
SURVEY_QUESTIONS = (
    ("rol", N_("Rol en la alcaldía")),
    ("participo", N_("Participación")),
    ("pertinencia", N_("Pertinencia")),
    ("calidad", N_("Calidad técnica")),
    ("oportunidad", N_("Oportunidad")),
    ("trato", N_("Trato del equipo")),
    ("utilidad", N_("Utilidad")),
    ("adopcion", N_("Adopción del producto")),
    ("fortalezas", N_("Lo más valioso")),
    ("mejoras", N_("Qué mejorar")),
    ("sugerencias", N_("Otros comentarios")),
)
SURVEY_COLUMNS = (
    _c(N_("Entregable")),
    _c(N_("Asistencia")),
    _c(N_("Estado")),
    _c(N_("Fecha"), DATE),
    *(_c(header) for _q, header in SURVEY_QUESTIONS[:7]),
    _c(N_("Calificación promedio (1 a 5)"), DECIMAL),
    *(_c(header) for _q, header in SURVEY_QUESTIONS[7:]),
)

SHEET_TITLES = (
    N_("Asistencias"),
    N_("Planes"),
    N_("Resultados"),
    N_("Actividades"),
    N_("Seguimientos"),
    N_("Visitas"),
    N_("Asistentes"),
    N_("Entregables"),
    N_("Encuestas"),
)
NO_FOLLOW_UP = N_("Sin seguimiento")
ACTIVITY, RESULT = N_("Actividad"), N_("Resultado")
DECISIONS = {"approved": N_("Aprobado"), "returned": N_("Devuelto con comentarios")}
IN_REVIEW = N_("En revisión")


# Export --------------------------------------------------------------------------------------


def export_workbook(
    profile: Profile,
    out: Path,
    *,
    pseudonymize: bool = False,
    progress: Progress | None = None,
) -> WorkbookResult:
    """Write the monitoring workbook to `out`.

    `progress(done, total, sheet_title)` is called before each sheet (done: sheets written, of
    `total`), every few thousand rows of a long one, and once at the end as (total, total, "");
    when it returns True the export stops and raises ExportCancelled: the temporary files are
    removed and nothing is left at `out` (a file already there is kept as it was).
    `pseudonymize` replaces the attendees' names and documents with one pseudonym per person.
    """
    from openpyxl import Workbook

    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(out, exc) from exc
    temporary = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    builders = _builders(profile, pseudonymize)
    total = len(builders)
    workbook = Workbook(write_only=True)
    counts: dict[str, int] = {}
    try:
        for done, (title, build) in enumerate(builders):
            shown = _(title)
            if progress is not None and progress(done, total, shown):
                raise ExportCancelled("Exportación cancelada: no se escribió el libro.")
            sheet = build()

            def cancel(shown: str = shown, done: int = done) -> bool:
                return progress is not None and bool(progress(done, total, shown))

            counts[shown] = _write_sheet(workbook, shown, sheet, cancel)
        try:
            workbook.save(temporary)
            os.replace(temporary, out)
        except OSError as exc:
            raise _write_error(out, exc) from exc
    except BaseException:
        _discard(workbook)
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    if progress is not None:
        progress(total, total, "")
    return WorkbookResult(out, counts)


def _write_error(out: Path, exc: OSError) -> ValidationError:
    return ValidationError(
        "No se pudo escribir el libro {path}: {error}. Revise que la carpeta exista, que tenga "
        "permiso de escritura y que el archivo no esté abierto en otro programa.",
        path=str(out),
        error=exc.strerror or str(exc),
    )


def _discard(workbook: Any) -> None:
    """Close the sheets already started and remove openpyxl's temporary files."""
    for ws in workbook.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            ws.close()
        with contextlib.suppress(Exception):
            writer.cleanup()


# Writing -------------------------------------------------------------------------------------


def _write_sheet(workbook: Any, title: str, sheet: Sheet, cancel: Callable[[], bool]) -> int:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = workbook.create_sheet(title=_INVALID_TITLE.sub(" ", title)[:31])
    headers = [_(c.header) for c in sheet.columns]
    # Write-only sheets take their panes and widths before the first row.
    ws.freeze_panes = "A2"
    for index, width in enumerate(_widths(headers, sheet), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, header)
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)

    # Text is checked in the loop itself: nearly all of it is harmless and stays a plain value,
    # without a call per cell. The other columns that need it go through their converter.
    texts = [i for i, c in enumerate(sheet.columns) if c.kind == TEXT]
    guards = {i: _text_guard(ws) for i in texts}
    converted = [
        (i, convert)
        for i, c in enumerate(sheet.columns)
        if c.kind != TEXT and (convert := _converter(ws, c.kind)) is not None
    ]
    risky = RISKY_STARTS
    append = ws.append
    for number, values in enumerate(sheet.rows, start=1):
        if number % ROWS_PER_CHECK == 0 and cancel():
            raise ExportCancelled("Exportación cancelada: no se escribió el libro.")
        row = list(values)
        for i in texts:
            value = row[i]
            if value is not None and (
                value.__class__ is not str or value[:1] in risky or not value.isprintable()
            ):
                row[i] = guards[i](value)
        for i, convert in converted:
            value = row[i]
            if value is not None:
                row[i] = convert(value)
        append(row)
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
    return len(sheet.rows)


def _text_guard(ws: Any) -> Callable[[Any], Any]:
    """Text as the sheet gets it: without the characters XML cannot hold, and as an inline
    string cell when a spreadsheet could take it for a formula or an error code."""
    from openpyxl.cell import WriteOnlyCell

    guarded = WriteOnlyCell(ws)

    def text(value: Any) -> Any:
        value = value if isinstance(value, str) else str(value)
        if value.isprintable() and value[:1] not in RISKY_STARTS:
            return value
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("", value)
        if not value:
            return None
        if value[0] in FORMULA_STARTS or value in ERROR_CODES:
            guarded.value = value
            guarded.data_type = "s"  # an inline string: never a formula, never an error
            return guarded
        return value

    return text


def _converter(ws: Any, kind: str) -> Callable[[Any], Any] | None:
    """What turns a value of a column into what the sheet gets; None: the value as it is.

    Only the cells that need a number format or the text guard are cell objects, one per column
    reused row after row: a write-only sheet writes each row as it is appended, so the object is
    free again once its row is written (a new cell object per value is what makes openpyxl slow).
    """
    if kind == INTEGER:
        return None
    if kind == NUMBER:
        return _finite
    text = _text_guard(ws)
    if kind == TEXT:
        return text
    formatted = _formatted_cell(ws, DATE_FORMAT if kind == DATE else ONE_DECIMAL)

    if kind == DATE:

        def date(value: Any) -> Any:
            if isinstance(value, dt.date):
                # What openpyxl writes for a date, without its per-cell conversions: the
                # spreadsheet serial number (days since 30/12/1899) shown with a date format.
                serial = value.toordinal() - _EXCEL_EPOCH
                if serial > _FIRST_SERIAL:
                    formatted.value = serial
                    return formatted
                return text(format_date(value))  # before March 1900: no Excel date
            return text(value)  # a date typed as free text in a form: kept as written

        return date

    def number(value: Any) -> Any:
        if not math.isfinite(value):
            return None
        formatted.value = value
        return formatted

    return number


def _finite(value: Any) -> Any:
    """NaN and infinities have no place in a spreadsheet (they would corrupt the file)."""
    return value if math.isfinite(value) else None


_EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()
_FIRST_SERIAL = 60  # 1900-02-29 exists for Excel only: serials are right from 1900-03-01 (61)


@functools.cache
def _formatted_cell_class() -> type:
    """openpyxl's cell with its style id looked up once, not for every value it holds (made on
    first use: openpyxl is imported only when a workbook is written)."""
    from openpyxl.cell.cell import Cell

    class FormattedCell(Cell):
        __slots__ = ("_style_id",)

        @property
        def style_id(self) -> int:  # type: ignore[override]
            return self._style_id

        def __repr__(self) -> str:
            # openpyxl formats it into an exception it catches for every cell object appended.
            return "FormattedCell"

    return FormattedCell


def _formatted_cell(ws: Any, number_format: str) -> Any:
    from openpyxl.cell.cell import Cell

    cell = _formatted_cell_class()(ws, row=1, column=1)
    cell.number_format = number_format
    cell._style_id = Cell.style_id.fget(cell)  # registers the style in the workbook
    return cell


def _widths(headers: Sequence[str], sheet: Sheet) -> list[float]:
    """Column widths from the header and a sample of the values, capped."""
    widths = [max(len(h) + 2, 8) for h in headers]  # +2: the filter button
    for values in sheet.rows[:WIDTH_SAMPLE]:
        for index, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, dt.date):
                size = 10
            elif isinstance(value, float):
                size = len(f"{value:.1f}")
            else:
                size = len(str(value))
            if size + 1 > widths[index]:
                widths[index] = size + 1
    return [float(min(w, MAX_WIDTH)) for w in widths]


# Reading -------------------------------------------------------------------------------------


class _Data:
    """What several sheets share, read once: assistances, the plan of each, labels."""

    def __init__(self, profile: Profile, pseudonymize: bool) -> None:
        from fieldkit.services import catalog
        from fieldkit.store import workbook as q

        self.profile = profile
        self.reader = profile.reader
        self.pseudonymize = pseudonymize
        self.today = dt.date.today()
        self.yes, self.no = _(YES), _(NO)
        self.assistances = q.assistances(self.reader)
        self.code = {a["id"]: a["code"] or "" for a in self.assistances}
        self.directorates = catalog.department_directorates(profile)
        self._plans: _Plans | None = None
        self._forms: dict[tuple[str, str], FormDefinition | None] = {}
        self._labels: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
        self.visit_list: list[_Visit] | None = None
        self.deliverable_rows: list[Any] | None = None

    def flag(self, value: bool | None) -> str | None:
        return None if value is None else (self.yes if value else self.no)

    @property
    def plans(self) -> _Plans:
        if self._plans is None:
            self._plans = _Plans(self)
        return self._plans

    def form(self, form_id: str, version: str) -> FormDefinition | None:
        """A filling's form version (cached), None when it has not reached this device."""
        from fieldkit.services import forms

        key = (form_id, version)
        if key not in self._forms:
            try:
                self._forms[key] = forms.form_definition(self.profile, form_id, version or None)
            except NotFoundError:
                self._forms[key] = None  # codes instead of labels
        return self._forms[key]

    def labels(self, form_id: str, version: str, questions: Iterable[str]) -> dict:
        """question -> code -> label of a form version's choices (cached per version)."""
        key = (form_id, version)
        if key not in self._labels:
            self._labels[key] = _choice_labels(self.form(form_id, version), questions)
        return self._labels[key]


def _labels(table: dict[Any, str]) -> dict[str, str]:
    return {str(code): _(label) for code, label in table.items()}


class _PlanRow(NamedTuple):
    plan: Any
    state: PlanState
    results: list[tuple[int, Any, list[Any]]]  # (number, result row, its measurements)
    activities: list[tuple[int | None, int, Any, ActivityFacts]]  # result no., activity no.
    follow_ups: list[Any]
    figures: Any  # PlanProgress


class _Plans:
    """Every assistance's plan (the first one, as the services show it) with its results,
    activities, follow-ups and progress figures."""

    def __init__(self, data: _Data) -> None:
        from fieldkit.store import workbook as q

        reader = data.reader
        first: dict[str, Any] = {}
        for plan in q.plans(reader):
            if plan["assistance_id"] in data.code and plan["assistance_id"] not in first:
                first[plan["assistance_id"]] = plan
        shown = {p["id"] for p in first.values()}
        versions: dict[str, list[Any]] = defaultdict(list)
        for v in q.plan_versions(reader):
            if v["plan_id"] in shown:
                versions[v["plan_id"]].append(v)
        self.versions = versions
        results: dict[str, list[Any]] = defaultdict(list)
        for r in q.results(reader):
            if r["plan_id"] in shown:
                results[r["plan_id"]].append(r)
        activities: dict[str, list[Any]] = defaultdict(list)
        for a in q.activities(reader):
            if a["plan_id"] in shown:
                activities[a["plan_id"]].append(a)
        activity_ids = {a["id"] for rows in activities.values() for a in rows}
        result_plan = {r["id"]: r["plan_id"] for rows in results.values() for r in rows}
        activity_plan = {a["id"]: a["plan_id"] for rows in activities.values() for a in rows}
        last_activity: dict[str, Any] = {}
        measured: dict[str, list[Any]] = defaultdict(list)
        follow_ups: dict[str, list[Any]] = defaultdict(list)
        for f in q.follow_ups(reader):
            if f["activity_id"]:
                if f["activity_id"] in activity_ids:
                    last_activity[f["activity_id"]] = f
                    follow_ups[activity_plan[f["activity_id"]]].append(f)
            elif f["result_id"] in result_plan:
                follow_ups[result_plan[f["result_id"]]].append(f)
                if f["value"] is not None:
                    measured[f["result_id"]].append(f)
        self.evidence: dict[str, list[str]] = defaultdict(list)
        if follow_ups:
            for e in q.evidence(reader):
                self.evidence[e["owner_id"]].append(e["file_name"] or "")
        self.by_assistance: dict[str, _PlanRow] = {}
        for assistance_id, plan in first.items():
            plan_id = plan["id"]
            numbered = [
                (n, r, measured.get(r["id"], [])) for n, r in enumerate(results[plan_id], 1)
            ]
            number_of = {r["id"]: n for n, r, _m in numbered}
            grouped: dict[int | None, list[Any]] = defaultdict(list)
            for a in activities[plan_id]:
                grouped[number_of.get(a["result_id"])].append(a)
            ordered = []
            # Under each result in its order; activities whose result was removed on another
            # laptop still count, under no result, last.
            for result_no in [*(n for n, _r, _m in numbered), None]:
                for activity_no, a in enumerate(grouped.get(result_no, ()), 1):
                    last = last_activity.get(a["id"])
                    facts = ActivityFacts(
                        last["progress"] if last is not None else None,
                        last["state"] if last is not None else None,
                        as_date(a["end_on"]),
                        as_date(a["start_on"]),
                    )
                    ordered.append((result_no, activity_no, a, facts))
            result_facts = [
                ResultFacts(
                    r["baseline"],
                    r["target"],
                    r["direction"] or Direction.INCREASE.value,
                    m[-1]["value"] if m else None,
                )
                for _n, r, m in numbered
            ]
            its_versions = versions.get(plan_id, [])
            last_version = its_versions[-1] if its_versions else None
            state = plan_state(
                plan["state"],
                plan["version"] or 1,
                LastVersion(last_version["version"] or 1, last_version["decision"])
                if last_version is not None
                else None,
            )
            self.by_assistance[assistance_id] = _PlanRow(
                plan,
                state,
                numbered,
                ordered,
                follow_ups.get(plan_id, []),
                plan_progress([o[3] for o in ordered], result_facts, data.today),
            )


def _builders(profile: Profile, pseudonymize: bool) -> list[tuple[str, Callable[[], Sheet]]]:
    data = _Data(profile, pseudonymize)
    return [
        (title, lambda build=build, title=title: Sheet(title, *build(data)))
        for title, build in zip(
            SHEET_TITLES,
            (
                _sheet_assistances,
                _sheet_plans,
                _sheet_results,
                _sheet_activities,
                _sheet_follow_ups,
                _sheet_visits,
                _sheet_attendees,
                _sheet_deliverables,
                _sheet_surveys,
            ),
            strict=True,
        )
    ]


Built = tuple[tuple[Column, ...], list[tuple[Any, ...]]]


def _sheet_assistances(data: _Data) -> Built:
    from fieldkit.store import workbook as q

    team: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for r in q.teams(data.reader):
        team[r["assistance_id"]].append((0 if r["team_role"] == "lead" else 1, r["name"] or ""))
    states = _labels(ASSISTANCE_STATE_LABELS)
    plan_states = _labels(PLAN_STATE_LABELS)
    plans = data.plans.by_assistance
    rows = []
    for a in data.assistances:
        aid = a["id"]
        plan = plans.get(aid)
        figures = plan.figures if plan is not None else None
        state = a["state"] or AssistanceState.REQUESTED.value
        rows.append(
            (
                a["code"],
                a["m_code"],
                a["m_name"],
                a["m_dept"],
                data.directorates.get(a["m_dept_code"] or "", ("", ""))[1],
                a["t_name"],
                states.get(state, state),
                as_date(a["requested_on"]),
                as_date(a["start_on"]),
                as_date(a["end_on"]),
                ", ".join(n for _o, n in sorted(team.get(aid, ()))),
                a["counterparts"],
                plan_states[plan.state] if plan is not None else None,
                figures.results_percent if figures is not None else None,
                figures.activities_percent if figures is not None else None,
                figures.overdue if figures is not None else None,
                data.flag(figures.warning if figures is not None else False),
            )
        )
    return ASSISTANCE_COLUMNS, rows


def _local_date(value: str | None) -> dt.date | None:
    """A stored UTC timestamp as the local day it happened."""
    moment = as_datetime(value)
    return moment.astimezone().date() if moment is not None else None


def _sheet_plans(data: _Data) -> Built:
    states = _labels(PLAN_STATE_LABELS)
    rows = []
    for a in data.assistances:
        plan = data.plans.by_assistance.get(a["id"])
        if plan is None:
            continue
        p = plan.plan
        versions = data.plans.versions.get(p["id"], [])
        submitted = versions[-1] if versions else None
        approved = [v for v in versions if v["decision"] == "approved"]
        approval = approved[-1] if approved else None
        rows.append(
            (
                a["code"],
                p["version"] or 1,
                states[plan.state],
                p["problem"],
                p["objective"],
                p["alternative"],
                _local_date(submitted["submitted_at"]) if submitted is not None else None,
                submitted["submitted_by"] if submitted is not None else None,
                _local_date(approval["decided_at"]) if approval is not None else None,
                approval["decided_by"] if approval is not None else None,
            )
        )
    return PLAN_COLUMNS, rows


def _sheet_results(data: _Data) -> Built:
    kinds = _labels(INDICATOR_TYPE_LABELS)
    directions = _labels(DIRECTION_LABELS)
    rows = []
    for a in data.assistances:
        plan = data.plans.by_assistance.get(a["id"])
        if plan is None:
            continue
        for number, r, measured in plan.results:
            last = measured[-1] if measured else None
            direction = r["direction"] or Direction.INCREASE.value
            kind = r["indicator_type"] or IndicatorType.RESULT.value
            achievement = result_achievement(
                r["baseline"], r["target"], last["value"] if last is not None else None, direction
            )
            rows.append(
                (
                    a["code"],
                    number,
                    r["statement"],
                    r["indicator_name"],
                    kinds.get(kind, kind),
                    r["unit"],
                    r["baseline"],
                    r["target"],
                    directions.get(direction, direction),
                    as_date(r["due_on"]),
                    last["value"] if last is not None else None,
                    as_date(last["recorded_on"]) if last is not None else None,
                    achievement * 100 if achievement is not None else None,
                )
            )
    return RESULT_COLUMNS, rows


def _sheet_activities(data: _Data) -> Built:
    responsibles = _labels(RESPONSIBLES)
    states = _labels(ACTIVITY_STATE_LABELS)
    no_follow_up = _(NO_FOLLOW_UP)
    rows = []
    for a in data.assistances:
        plan = data.plans.by_assistance.get(a["id"])
        if plan is None:
            continue
        for result_no, activity_no, activity, facts in plan.activities:
            responsible = activity["responsible"] or "team"
            rows.append(
                (
                    a["code"],
                    result_no,
                    activity_no,
                    activity["description"],
                    responsibles.get(responsible, responsible),
                    activity["responsible_name"],
                    facts.start_on,
                    facts.end_on,
                    activity_percent(facts),
                    states.get(facts.state, facts.state) if facts.state else no_follow_up,
                    data.flag(is_overdue(facts, data.today)),
                )
            )
    return ACTIVITY_COLUMNS, rows


def _sheet_follow_ups(data: _Data) -> Built:
    states = _labels(ACTIVITY_STATE_LABELS)
    of_activity, of_result = _(ACTIVITY), _(RESULT)
    rows = []
    for a in data.assistances:
        plan = data.plans.by_assistance.get(a["id"])
        if plan is None:
            continue
        activities = {
            act["id"]: (f"{r}.{n}" if r is not None else str(n), act["description"])
            for r, n, act, _f in plan.activities
        }
        results = {r["id"]: (str(n), r["statement"]) for n, r, _m in plan.results}
        for f in plan.follow_ups:
            if f["activity_id"]:
                kind, (number, text) = of_activity, activities[f["activity_id"]]
            else:
                kind, (number, text) = of_result, results[f["result_id"]]
            state = f["state"]
            rows.append(
                (
                    a["code"],
                    kind,
                    number,
                    text,
                    as_date(f["recorded_on"]),
                    f["progress"] if f["activity_id"] else None,
                    states.get(state, state) if state else None,
                    f["value"],
                    f["verification"],
                    f["note"],
                    f["recorded_by"],
                    "; ".join(data.plans.evidence.get(f["id"], ())) or None,
                )
            )
    return FOLLOW_UP_COLUMNS, rows


# Visits and attendance -----------------------------------------------------------------------


class _Visit(NamedTuple):
    code: str
    date: dt.date | str | None
    place: str
    purpose: str
    status: str
    attendees: list[dict[str, Any]]  # one per row, in the list's order
    labels: dict[str, dict[str, str]]  # question -> code -> label


def _answers(data: _Data, kind: str) -> dict[str, dict[str, Any]]:
    """Every filling's answers of one kind, in one query: submission id -> key -> value."""
    from fieldkit.store import workbook as q

    out: dict[str, dict[str, Any]] = defaultdict(dict)
    loads = json.loads
    for submission_id, key, value in q.answers(data.reader, kind):
        if key:
            out[submission_id][key] = loads(value)
    return out


def _choice_labels(form: FormDefinition | None, questions: Iterable[str]) -> dict[str, dict]:
    from fieldkit.services.forms import plain_text

    out: dict[str, dict[str, str]] = {}
    for question in questions:
        element = form.elements.get(question) if form is not None else None
        choices = getattr(element, "choices", None)
        out[question] = {
            c.name: plain_text(c.label.get(None)) or c.name
            for c in (choices.choices if choices is not None else ())
        }
    return out


def _label(labels: dict[str, dict[str, str]], question: str, value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, list):
        return ", ".join(labels[question].get(str(v), str(v)) for v in value) or None
    return labels[question].get(str(value), str(value))


def _day(value: Any) -> dt.date | str | None:
    """A form's date answer as a date (as typed when it is not one)."""
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)


VISIT_QUESTIONS = (
    "lugar",
    "proposito",
    "sexo",
    "etnia",
    "victima",
    "discapacidad",
    "consentimiento",
    "tipo_doc",
)


def _visits_of(data: _Data) -> list[_Visit]:
    """Every visit log of every assistance, by assistance code and date (cached on `data`)."""
    if data.visit_list is not None:
        return data.visit_list
    from fieldkit.forms.keys import parse_key, row_sort_key
    from fieldkit.services import forms
    from fieldkit.store import workbook as q

    answers = _answers(data, forms.VISIT)
    statuses = _labels(forms.STATUS_LABELS)
    prefix = forms.ATTENDANCE + "["
    visits = []
    for s in q.submissions(data.reader, forms.VISIT):
        code = data.code.get(s["assistance_id"])
        if code is None:
            continue  # of a removed assistance
        given = answers.get(s["id"], {})
        labels = data.labels(s["form_id"] or "", s["form_version"] or "", VISIT_QUESTIONS)
        rows: dict[str, dict[str, Any]] = {}
        for key, value in given.items():
            if not key.startswith(prefix):
                continue
            parsed = parse_key(key)
            if parsed is None:
                continue
            instances, name = parsed
            if len(instances) != 1 or instances[0][0] != forms.ATTENDANCE:
                continue
            row = rows.setdefault(instances[0][1], {})
            if name is None:
                row[""] = value  # the row's order number
            else:
                row[name] = value
        attendees = [rows[k] for k in sorted(rows, key=lambda k: row_sort_key(k, rows[k].get("")))]
        status = s["status"] or forms.DRAFT
        visits.append(
            _Visit(
                code,
                _day(given.get("fecha")),
                str(given.get("lugar_other") or _label(labels, "lugar", given.get("lugar")) or ""),
                _label(labels, "proposito", given.get("proposito")) or "",
                statuses.get(status, status),
                attendees,
                labels,
            )
        )
    visits.sort(key=lambda v: (v.code, _sortable(v.date)))
    data.visit_list = visits
    return visits


def _sortable(value: dt.date | str | None) -> str:
    return value.isoformat() if isinstance(value, dt.date) else (value or "")


def _sheet_visits(data: _Data) -> Built:
    from fieldkit.services.forms import NO_DATA

    def answered(person: dict[str, Any], question: str) -> str:
        # An unanswered question counts as «sin dato» (as forms.attendance_of does), so the
        # totals of each question add up to the number of attendees.
        value = person.get(question)
        return NO_DATA if value in (None, "") else str(value)

    rows = []
    for v in _visits_of(data):
        counted = [
            sum(1 for person in v.attendees if answered(person, question) == code)
            if question
            else len(v.attendees)
            for _header, question, code in ATTENDANCE_TOTALS
        ]
        rows.append((v.code, v.date, v.place or None, v.purpose or None, v.status, *counted))
    return VISIT_COLUMNS, rows


def _document(person: dict[str, Any]) -> str:
    return "".join(ch for ch in str(person.get("num_doc") or "") if ch.isalnum()).upper()


def _sheet_attendees(data: _Data) -> Built:
    rows = []
    pseudonyms: dict[str, str] = {}
    for visit in _visits_of(data):
        for person in visit.attendees:
            labels = visit.labels
            if data.pseudonymize:
                # The same person (by document, else by name) keeps one pseudonym in the export.
                document = _document(person)
                name = fold(str(person.get("nombre") or ""))
                key = f"d:{document}" if document else f"n:{name}" if name else f"r:{id(person)}"
                if key not in pseudonyms:
                    pseudonyms[key] = f"P-{len(pseudonyms) + 1:05d}"
                identity: tuple[Any, ...] = (pseudonyms[key],)
            else:
                identity = (
                    person.get("nombre"),
                    _label(labels, "tipo_doc", person.get("tipo_doc")),
                    person.get("num_doc"),
                )
            rows.append(
                (
                    visit.code,
                    visit.date,
                    *identity,
                    _label(labels, "sexo", person.get("sexo")),
                    _label(labels, "etnia", person.get("etnia")),
                    _label(labels, "victima", person.get("victima")),
                    _label(labels, "discapacidad", person.get("discapacidad")),
                    person.get("entidad"),
                    person.get("cargo"),
                    _label(labels, "consentimiento", person.get("consentimiento")),
                )
            )
    identity_columns = ATTENDEE_PSEUDONYM if data.pseudonymize else ATTENDEE_IDENTITY
    return (*ATTENDEE_HEAD, *identity_columns, *ATTENDEE_TAIL), rows


# Deliverables and surveys --------------------------------------------------------------------


def _deliverable_rows(data: _Data) -> list[Any]:
    if data.deliverable_rows is None:
        from fieldkit.store import workbook as q

        data.deliverable_rows = [
            d for d in q.deliverables(data.reader) if d["assistance_id"] in data.code
        ]
    return data.deliverable_rows


def _sheet_deliverables(data: _Data) -> Built:
    kinds = _labels(KINDS)
    states = _labels(DELIVERABLE_STATE_LABELS)
    decisions = _labels(DECISIONS)
    in_review = _(IN_REVIEW)
    by_assistance: dict[str, list[Any]] = defaultdict(list)
    for d in _deliverable_rows(data):
        by_assistance[d["assistance_id"]].append(d)
    rows = []
    for a in data.assistances:
        for number, d in enumerate(by_assistance.get(a["id"], ()), 1):
            kind = d["kind"] or "other"
            state = deliverable_state(d["state"], d["last_decision"])
            due, delivered = as_date(d["due_on"]), as_date(d["delivered_on"])
            decision = d["last_decision"]
            rows.append(
                (
                    a["code"],
                    number,
                    kinds.get(kind, kind),
                    d["title"],
                    states[state],
                    due,
                    delivered,
                    data.flag(delivered <= due) if delivered and due else None,
                    d["received_by"],
                    d["received_position"],
                    d["reviews"],
                    decisions.get(decision, decision)
                    if decision
                    else (in_review if d["reviews"] else None),
                )
            )
    return DELIVERABLE_COLUMNS, rows


def _sheet_surveys(data: _Data) -> Built:
    from fieldkit.services import forms
    from fieldkit.store import workbook as q

    titles = {d["id"]: d["title"] for d in _deliverable_rows(data)}
    answers = _answers(data, forms.SURVEY)
    statuses = _labels(forms.STATUS_LABELS)
    questions = [name for name, _header in SURVEY_QUESTIONS]
    found = []
    for s in q.submissions(data.reader, forms.SURVEY):
        code = data.code.get(s["assistance_id"])
        if code is None:
            continue
        given = answers.get(s["id"], {})
        labels = data.labels(s["form_id"] or "", s["form_version"] or "", questions)
        chosen = [
            given.get("rol_other") or _label(labels, "rol", given.get("rol")),
            *(_label(labels, name, given.get(name)) for name in questions[1:7]),
        ]
        status = s["status"] or forms.DRAFT
        found.append(
            (
                code,
                (
                    titles.get(s["subject_id"] or ""),
                    code,
                    statuses.get(status, status),
                    _day(given.get("fecha")),
                    *chosen,
                    _score(given),
                    *(_label(labels, name, given.get(name)) for name in questions[7:]),
                ),
            )
        )
    found.sort(key=lambda item: item[0])
    return SURVEY_COLUMNS, [row for _code, row in found]


def _score(answers: dict[str, Any]) -> float | None:
    """The average rating, as the form computes it: only when the five ratings are given."""
    try:
        ratings = [float(answers[name]) for name in SURVEY_SCALE]
    except (KeyError, TypeError, ValueError):
        return None
    return round(sum(ratings) / len(ratings), 2)


__all__ = ["ExportCancelled", "WorkbookResult", "export_workbook"]
