"""What each PDF report takes: plain values the services assemble (labels already chosen, dates as
dates, numbers as numbers). The report modules only lay them out and format them in Spanish."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

LETTER, A4 = "letter", "a4"
PAPERS = (LETTER, A4)


class Letterhead(NamedTuple):
    """The header of every page: who issues the report (from the report settings)."""

    organization: str = ""
    logo: Path | None = None
    paper: str = LETTER


class Photo(NamedTuple):
    """An image to embed; `path` None when its file is not on this computer."""

    path: Path | None
    name: str  # the file name, shown when the image cannot be embedded
    caption: str = ""
    source: str = ""  # what it documents («Entregable: …», «Seguimiento del 03/02/2026»)


class Signer(NamedTuple):
    name: str
    position: str = ""
    entity: str = ""


# Acta de entrega ------------------------------------------------------------------------------


class DeliveredItem(NamedTuple):
    kind: str  # label
    title: str
    description: str = ""
    files: tuple[str, ...] = ()  # the product files handed over


class DeliveryAct(NamedTuple):
    code: str  # the assistance's code (the record code on every page)
    municipality: str
    municipality_code: str
    department: str
    thematic_line: str
    directorate: str
    delivered_on: dt.date | None  # None: an act printed before the delivery, filled by hand
    place: str
    receiver: Signer | None  # the municipal official who receives
    team: tuple[Signer, ...]  # the team members present
    items: tuple[DeliveredItem, ...]
    counterparts: tuple[Signer, ...] = ()  # the municipality's counterparts, for reference


# Informe de asistencia técnica ----------------------------------------------------------------


class Member(NamedTuple):
    name: str
    role: str  # label («Profesional de campo», «Líder del equipo»)


class Counterpart(NamedTuple):
    name: str
    position: str = ""
    email: str = ""
    phone: str = ""


class AreaScore(NamedTuple):
    area: str
    score: float | None  # 0–100


class Finding(NamedTuple):
    statement: str
    area: str = ""
    priority: str = ""  # label («Alta»)


class Diagnostic(NamedTuple):
    title: str
    status: str  # label
    done_on: dt.date | None
    areas: tuple[AreaScore, ...]
    index: float | None
    level: str  # label («Medio»)
    findings: tuple[Finding, ...]
    notes: str = ""  # the «principales hallazgos» answer


class ResultLine(NamedTuple):
    number: int
    statement: str
    indicator: str
    unit: str
    baseline: float | None
    target: float | None
    measured: float | None
    measured_on: dt.date | None
    achievement: float | None  # percent 0–100, None when not measured
    activities_percent: float | None  # percent 0–100 of its activities, None when none
    activities_complete: int
    activities_total: int
    warning: str = ""  # why the result is flagged (activities far ahead of it)


class ActivityLine(NamedTuple):
    result: int  # the number of its result (0: none)
    description: str
    responsible: str
    start_on: dt.date | None
    end_on: dt.date | None
    percent: float
    state: str  # label
    overdue: bool


class Progress(NamedTuple):
    """Results achieved beside activities completed (never one without the other)."""

    results_percent: float | None
    results_measured: int
    results_total: int
    activities_percent: float | None
    activities_complete: int
    activities_total: int
    overdue: int = 0
    warning: str = ""


class PlanSummary(NamedTuple):
    state: str  # label
    version: int
    problem: str
    objective: str
    alternative: str
    progress: Progress
    results: tuple[ResultLine, ...]
    activities: tuple[ActivityLine, ...]


class VisitLine(NamedTuple):
    date: dt.date | None
    place: str
    purpose: str
    status: str  # label
    attendees: int


class Breakdown(NamedTuple):
    """One disaggregation of the attendance («Sexo»: Mujer 12, Hombre 9, Sin dato 1)."""

    title: str
    counts: tuple[tuple[str, int], ...]


class ReviewItem(NamedTuple):
    item: str
    comment: str
    addressed: bool
    response: str = ""


class ReviewLine(NamedTuple):
    number: int
    submitted_on: dt.date | None
    submitted_by: str
    decision: str  # label
    decided_on: dt.date | None
    decided_by: str
    comments: str
    items: tuple[ReviewItem, ...] = ()


class DeliverableLine(NamedTuple):
    kind: str  # label
    title: str
    description: str
    state: str  # label
    due_on: dt.date | None
    delivered_on: dt.date | None
    received_by: str
    reviews: tuple[ReviewLine, ...]
    files: tuple[str, ...] = ()


class Identification(NamedTuple):
    code: str
    municipality: str
    municipality_code: str
    department: str
    directorate: str
    pdet_subregion: str
    thematic_line: str
    state: str  # label
    requested_on: dt.date | None
    start_on: dt.date | None
    end_on: dt.date | None


class AssistanceReport(NamedTuple):
    identification: Identification
    team: tuple[Member, ...]
    counterparts: tuple[Counterpart, ...]
    diagnostic: Diagnostic | None
    plan: PlanSummary | None
    visits: tuple[VisitLine, ...]
    attendance_total: int
    attendance: tuple[Breakdown, ...]
    deliverables: tuple[DeliverableLine, ...]
    photos: tuple[Photo, ...]
    notes: str = ""


# Ficha municipal ------------------------------------------------------------------------------


class IndicatorLine(NamedTuple):
    indicator: str
    year: int | None
    value: float | None
    source: str


class AssistanceLine(NamedTuple):
    code: str
    municipality: str
    thematic_line: str
    state: str  # label
    requested_on: dt.date | None
    start_on: dt.date | None
    end_on: dt.date | None
    progress: Progress | None  # None: no plan yet
    plan_state: str = ""  # label


class MunicipalitySheet(NamedTuple):
    code: str
    name: str
    department: str
    department_code: str
    kind: str
    category: str  # label («Sexta»), "" when unknown
    pdet_subregion: str
    latitude: float | None
    longitude: float | None
    directorate: str  # «NAR — Nariño y Putumayo»
    indicators: tuple[IndicatorLine, ...]
    assistances: tuple[AssistanceLine, ...]


# Informe de seguimiento de una dirección territorial ------------------------------------------


class StateCount(NamedTuple):
    state: str  # label
    count: int


class OverdueLine(NamedTuple):
    code: str
    municipality: str
    description: str
    result: str
    responsible: str
    end_on: dt.date
    days_late: int
    percent: float


class DeliveryLine(NamedTuple):
    code: str
    municipality: str
    title: str
    due_on: dt.date | None
    delivered_on: dt.date
    on_time: bool | None  # None: no due date


class MonitoringReport(NamedTuple):
    code: str
    name: str
    departments: tuple[str, ...]
    as_of: dt.date
    states: tuple[StateCount, ...]
    progress: Progress  # every plan of the directorate as one
    assistances: tuple[AssistanceLine, ...]
    overdue: tuple[OverdueLine, ...]
    delivered: tuple[DeliveryLine, ...]
    pending_late: int = 0  # deliverables past their due date and not delivered


class Rendered(NamedTuple):
    pages: int
    warnings: tuple[str, ...]
