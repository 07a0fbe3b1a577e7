"""The PDF reports (DESIGN §8): read what each one needs through the services, hand the plain
values to fieldkit.reports, and write the file whole (a temporary name renamed when complete).

    build(profile, "delivery", "AT-2026-3F9A-001", Path("acta.pdf"))
    build(profile, "assistance", code, out) · build(profile, "municipality", "52835", out)
    build(profile, "monitoring", "NAR", out)

A photo whose file is missing or unreadable is reported in the PDF and in the result's warnings;
it never stops the report.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from fieldkit.domain.errors import FieldkitError, NotFoundError, ValidationError
from fieldkit.domain.text import fold
from fieldkit.i18n import N_, _
from fieldkit.services.profile import Profile
from fieldkit.services.report_settings import check_paper, report_settings

if TYPE_CHECKING:
    from fieldkit.domain.progress import PlanProgress
    from fieldkit.reports import model
    from fieldkit.services.assistances import AssistanceDetail, AssistanceRow
    from fieldkit.services.deliverables import DeliverableRow
    from fieldkit.services.forms import Visit
    from fieldkit.services.plans import PlanView

KINDS = ("delivery", "assistance", "municipality", "monitoring")
PREFIXES = {
    "delivery": "acta-entrega",
    "assistance": "informe-asistencia",
    "municipality": "ficha-municipal",
    "monitoring": "informe-seguimiento",
}
KIND_LABELS = {
    "delivery": N_("Acta de entrega"),
    "assistance": N_("Informe de asistencia técnica"),
    "municipality": N_("Ficha municipal"),
    "monitoring": N_("Informe de seguimiento"),
}
PRIORITY_LABELS = {1: N_("Alta"), 2: N_("Media"), 3: N_("Baja")}
LEVEL_LABELS = {
    "alto": N_("Alto"),
    "medio": N_("Medio"),
    "bajo": N_("Bajo"),
    "critico": N_("Crítico"),
}
ATTENDANCE_TITLES = {
    "sex": N_("Sexo"),
    "ethnicity": N_("Pertenencia étnica"),
    "victim": N_("Víctima del conflicto armado"),
    "disability": N_("Discapacidad"),
}
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff", "image/webp")


class ReportResult(NamedTuple):
    path: Path
    pages: int
    warnings: tuple[str, ...]  # e.g. «No se encontró la foto X»


class ReportCancelled(FieldkitError):
    """The person stopped the report; no file was written."""


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValidationError(
            "Informe desconocido «{kind}». Informes: {kinds}.", kind=kind, kinds=", ".join(KINDS)
        )


# Building -------------------------------------------------------------------------------------


def build(
    profile: Profile,
    kind: str,
    key: str,
    out: Path,
    *,
    deliverables: Sequence[str] = (),
    paper: str | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ReportResult:
    """Write the report `kind` of `key` to `out`.

    delivery: key = the assistance's code or id; `deliverables` = the ids in this act (default:
    the approved ones not yet delivered, else those delivered on the latest delivery date).
    assistance: key = the assistance's code. municipality: the DIVIPOLA code. monitoring: the
    directorate's code. `paper` ("letter" or "a4") overrides the profile's setting.
    """
    from fieldkit.reports import assistance, delivery_act, monitoring, municipality
    from fieldkit.reports.model import Letterhead
    from fieldkit.reports.pdf import Cancelled

    _check_kind(kind)
    settings = report_settings(profile)
    letterhead = Letterhead(
        settings.organization, settings.logo, check_paper(paper) if paper else settings.paper
    )
    out = Path(out)
    if not out.parent.is_dir():
        raise ValidationError(
            "La carpeta {folder} no existe. Elija otra carpeta para guardar el informe.",
            folder=str(out.parent),
        )
    stop = cancelled or (lambda: False)
    if kind == "delivery":
        data: object = delivery_data(profile, key, deliverables, settings.organization)
        render: Callable[..., model.Rendered] = delivery_act.render
    elif kind == "assistance":
        data, render = assistance_data(profile, key, stop), assistance.render
    elif kind == "municipality":
        data, render = municipality_data(profile, key), municipality.render
    else:
        data, render = monitoring_data(profile, key), monitoring.render
    if stop():
        raise ReportCancelled("Se canceló el informe; no se escribió ningún archivo.")
    partial = out.with_name(f".{out.name}.parcial")
    try:
        rendered = render(data, letterhead, partial, cancelled=stop)
        os.replace(partial, out)
    except Cancelled:
        raise ReportCancelled("Se canceló el informe; no se escribió ningún archivo.") from None
    except OSError as exc:
        raise ValidationError(
            "No se pudo escribir el informe {path}: {error}. Revise que la carpeta exista, que "
            "haya espacio y que el archivo no esté abierto en otro programa.",
            path=str(out),
            error=exc.strerror or str(exc),
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
    return ReportResult(out, rendered.pages, rendered.warnings)


def _safe(text: str) -> str:
    """A file-name part: ASCII letters, digits and dashes."""
    return re.sub(r"[^A-Za-z0-9._]+", "-", fold(text) if text else "").strip("-._") or "informe"


def _keep_case(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "informe"


def default_name(profile: Profile, kind: str, key: str) -> str:
    """A file name for the report, e.g. «acta-entrega-AT-2026-3F9A-001.pdf»."""
    _check_kind(kind)
    try:
        if kind in ("delivery", "assistance"):
            from fieldkit.services.assistances import get_assistance

            code = _keep_case(get_assistance(profile, key).row.code)
            return f"{PREFIXES[kind]}-{code}.pdf"
        if kind == "municipality":
            from fieldkit.services import catalog

            row = catalog.municipality(profile, key)
            return f"{PREFIXES[kind]}-{row.code}-{_safe(row.name)}.pdf"
        code = _keep_case(_directorate(profile, key)[0])
        return f"{PREFIXES[kind]}-{code}-{dt.date.today().isoformat()}.pdf"
    except NotFoundError:
        return f"{PREFIXES[kind]}-{_keep_case(key)}.pdf"


# Shared pieces --------------------------------------------------------------------------------


def _progress(p: PlanProgress) -> model.Progress:
    from fieldkit.domain.progress import warning_reasons
    from fieldkit.reports.model import Progress

    reasons = warning_reasons(p)
    return Progress(
        p.results_percent,
        p.results_measured,
        p.results_total,
        p.activities_percent,
        p.activities_complete,
        p.activities_total,
        p.overdue,
        _(reasons[0], **reasons[1]) if reasons else "",
    )


def _state_label(state: str) -> str:
    from fieldkit.domain.states import STATE_LABELS, AssistanceState

    try:
        return _(STATE_LABELS[AssistanceState(state)])
    except ValueError:
        return state


def _directorate_label(profile: Profile, municipality_code: str) -> str:
    from fieldkit.services import catalog

    try:
        row = catalog.municipality(profile, municipality_code)
    except NotFoundError:
        return ""
    return f"{row.directorate_code} — {row.directorate_name}" if row.directorate_code else ""


def _assistance_lines(
    profile: Profile, rows: Sequence[AssistanceRow], today: dt.date
) -> list[model.AssistanceLine]:
    from fieldkit.domain.plans import PLAN_STATE_LABELS
    from fieldkit.reports.model import AssistanceLine
    from fieldkit.services.plans import progress_by_assistance

    figures = progress_by_assistance(profile, today)
    out = []
    for r in sorted(rows, key=lambda r: (r.requested_on or dt.date.min, r.code), reverse=True):
        p = figures.get(r.id)
        out.append(
            AssistanceLine(
                r.code,
                r.municipality,
                r.thematic_line,
                _state_label(r.state),
                r.requested_on,
                r.start_on,
                r.end_on,
                _progress(p.progress) if p is not None else None,
                _(PLAN_STATE_LABELS[p.plan_state]) if p is not None and p.plan_state else "",
            )
        )
    return out


def _photo(profile: Profile, attachment_id: str, name: str, caption: str, source: str):  # type: ignore[no-untyped-def]
    from fieldkit.reports.model import Photo
    from fieldkit.services import forms

    try:
        path: Path | None = forms.attachment_path(profile, attachment_id)
    except NotFoundError:
        path = None
    return Photo(path, name, caption, source)


# Acta de entrega ------------------------------------------------------------------------------


def _chosen(rows: Sequence[DeliverableRow], ids: Sequence[str], code: str) -> list[DeliverableRow]:
    from fieldkit.domain.deliverables import DeliverableState

    if ids:
        by_id = {d.id: d for d in rows}
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            raise NotFoundError(
                "El entregable {id} no es de la asistencia {code}.", id=unknown[0], code=code
            )
        return [by_id[i] for i in dict.fromkeys(ids)]
    approved = [d for d in rows if d.state is DeliverableState.APPROVED]
    if approved:
        return approved
    delivered = [d for d in rows if d.state is DeliverableState.DELIVERED and d.delivered_on]
    if not delivered:
        raise ValidationError(
            "La asistencia {code} no tiene entregables aprobados ni entregados: el acta de "
            "entrega se imprime cuando la revisión de calidad aprueba un producto.",
            code=code,
        )
    latest = max(d.delivered_on for d in delivered if d.delivered_on)
    return [d for d in delivered if d.delivered_on == latest]


def _member_signer(detail: AssistanceDetail, name: str, entity: str) -> model.Signer:
    from fieldkit.reports.model import Signer
    from fieldkit.services.persons import PERSON_ROLES

    for member in detail.team:
        if fold(member.name) == fold(name):
            position = _(PERSON_ROLES.get(member.role, member.role)) if member.role else ""
            if member.team_role == "lead":
                position = (
                    _("{role}, líder del equipo", role=position)
                    if position
                    else _("Líder del equipo")
                )
            return Signer(member.name, position, entity)
    return Signer(name, _("Integrante del equipo de asistencia técnica"), entity)


def delivery_data(
    profile: Profile, key: str, deliverable_ids: Sequence[str] = (), organization: str = ""
) -> model.DeliveryAct:
    from fieldkit.domain.deliverables import DeliverableState
    from fieldkit.reports.model import DeliveredItem, DeliveryAct, Signer
    from fieldkit.services import deliverables
    from fieldkit.services.assistances import get_assistance

    detail = get_assistance(profile, key)
    row = detail.row
    chosen = _chosen(deliverables.list_for(profile, row.id), deliverable_ids, row.code)
    # The delivery's own data when every product in the act was delivered; blanks otherwise.
    delivered = [d for d in chosen if d.state is DeliverableState.DELIVERED and d.delivered_on]
    reference = (
        max(delivered, key=lambda d: d.delivered_on or dt.date.min)
        if len(delivered) == len(chosen)
        else None
    )
    entity = organization or _("Equipo de asistencia técnica")
    if reference is not None:
        team = tuple(_member_signer(detail, n, entity) for n in reference.team_present)
        receiver: Signer | None = Signer(
            reference.received_by, reference.received_position, reference.received_entity
        )
    else:
        team = tuple(_member_signer(detail, m.name, entity) for m in detail.team)
        receiver = None
    return DeliveryAct(
        code=row.code,
        municipality=row.municipality,
        municipality_code=row.municipality_code,
        department=row.department,
        thematic_line=row.thematic_line,
        directorate=_directorate_label(profile, row.municipality_code),
        delivered_on=reference.delivered_on if reference else None,
        place=reference.delivery_place if reference else "",
        receiver=receiver,
        team=team,
        items=tuple(
            DeliveredItem(
                _(d.kind_label),
                d.title,
                d.description,
                tuple(f.file_name for f in d.files if f.purpose == deliverables.PRODUCT),
            )
            for d in chosen
        ),
        counterparts=tuple(Signer(c.name, c.position) for c in detail.counterparts),
    )


# Informe de asistencia técnica ----------------------------------------------------------------


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _diagnostic(profile: Profile, assistance_id: str) -> model.Diagnostic | None:
    from fieldkit.reports.model import AreaScore, Diagnostic, Finding
    from fieldkit.services import forms, plans

    submissions = forms.list_submissions(profile, assistance_id, kind=forms.DIAGNOSTIC)
    if not submissions:
        return None
    # The completed one if there is one, else the newest draft.
    submission = sorted(
        submissions,
        key=lambda s: (s.status == forms.COMPLETE, s.started_at or dt.datetime.min),
    )[-1]
    titles = {i.form_id: i.title for i in forms.instruments(profile)}
    findings = tuple(
        Finding(f.statement, f.area, _(PRIORITY_LABELS[f.priority]) if f.priority else "")
        for f in plans.findings(profile, assistance_id)
    )
    areas: list[AreaScore] = []
    index = None
    level = ""
    notes = ""
    done_on = None
    try:
        state = forms.open_state(profile, submission.id)
    except (NotFoundError, ValidationError):
        state = None  # a form version not received yet: the findings still show
    if state is not None:
        areas = [AreaScore(a.label, a.score) for a in forms.area_scores(state)]
        index = forms.number_value(state.value("indice"))
        raw_level = state.value("nivel")
        level = _(LEVEL_LABELS[raw_level]) if raw_level in LEVEL_LABELS else str(raw_level or "")
        notes = str(state.value("hallazgos") or "").strip()
        done_on = _as_date(state.value("fecha_diag"))
    return Diagnostic(
        titles.get(submission.form_id, submission.form_id),
        _(forms.STATUS_LABELS.get(submission.status, submission.status)),
        done_on or (submission.completed_at.date() if submission.completed_at else None),
        tuple(areas),
        index,
        level,
        findings,
        notes,
    )


def _plan(plan: PlanView | None, today: dt.date) -> model.PlanSummary | None:
    from fieldkit.domain.plans import PLAN_STATE_LABELS
    from fieldkit.domain.progress import (
        ACTIVITY_STATE_LABELS,
        ActivityFacts,
        ActivityState,
        ResultFacts,
        plan_progress,
        warning_reasons,
    )
    from fieldkit.reports.model import ActivityLine, PlanSummary, ResultLine

    if plan is None:
        return None
    results: list[ResultLine] = []
    activities: list[ActivityLine] = []
    number = 0
    for r in plan.results:
        if r.id:
            number += 1
        own = plan_progress(
            [ActivityFacts(a.percent, a.state, a.end_on, a.start_on) for a in r.activities],
            [ResultFacts(r.baseline, r.target, r.direction, r.measured)] if r.id else [],
            today,
        )
        reasons = warning_reasons(own) if r.id else None
        results.append(
            ResultLine(
                number if r.id else 0,
                r.statement,
                r.indicator_name,
                r.unit,
                r.baseline,
                r.target,
                r.measured,
                r.measured_on,
                r.achievement * 100 if r.achievement is not None else None,
                own.activities_percent,
                own.activities_complete,
                own.activities_total,
                _(reasons[0], **reasons[1]) if reasons else "",
            )
        )
        for a in r.activities:
            try:
                state = _(ACTIVITY_STATE_LABELS[ActivityState(a.state)]) if a.state else ""
            except ValueError:
                state = a.state or ""
            responsible = _(a.responsible_label)
            if a.responsible_name:
                responsible = f"{responsible}: {a.responsible_name}"
            activities.append(
                ActivityLine(
                    number if r.id else 0,
                    a.description,
                    responsible,
                    a.start_on,
                    a.end_on,
                    a.percent,
                    state or _("Pendiente"),
                    a.overdue,
                )
            )
    return PlanSummary(
        _(PLAN_STATE_LABELS[plan.state]),
        plan.version,
        plan.problem,
        plan.objective,
        plan.alternative,
        _progress(plan.progress),
        tuple(results),
        tuple(activities),
    )


def _attendance(
    profile: Profile, visits: Sequence[Visit]
) -> tuple[int, tuple[model.Breakdown, ...]]:
    from fieldkit.reports.model import Breakdown
    from fieldkit.services import forms

    total = forms.EMPTY_ATTENDANCE
    for visit in visits:
        total = total + visit.attendance
    labels: dict[str, dict[str, str]] = {}
    try:
        form = forms.form_definition(profile, "bitacora_visita")
    except (NotFoundError, ValidationError):
        form = None
    if form is not None:
        for field, name in forms.ATTENDANCE_FIELDS.items():
            question = form.question(name)
            if question is not None and question.choices is not None:
                labels[field] = {
                    c.name: forms.plain_text(c.label.get(None)) or c.name
                    for c in question.choices.choices
                }
    breakdowns = []
    for field, counter in (
        ("sex", total.sex),
        ("ethnicity", total.ethnicity),
        ("victim", total.victim),
        ("disability", total.disability),
    ):
        names = labels.get(field, {})
        order = [n for n in names if counter.get(n)]
        order += sorted(n for n in counter if n not in names and n != forms.NO_DATA and counter[n])
        if counter.get(forms.NO_DATA):
            order.append(forms.NO_DATA)
        counts = tuple(
            (_("Sin dato") if n == forms.NO_DATA else names.get(n, n), int(counter[n]))
            for n in order
        )
        breakdowns.append(Breakdown(_(ATTENDANCE_TITLES[field]), counts))
    return total.total, tuple(breakdowns)


def _decision(decision: str | None) -> str:
    from fieldkit.domain.deliverables import APPROVED, RETURNED

    if decision == APPROVED:
        return _("Aprobado")
    if decision == RETURNED:
        return _("Devuelto con comentarios")
    return _("En revisión")


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def assistance_data(
    profile: Profile, key: str, cancelled: Callable[[], bool] | None = None
) -> model.AssistanceReport:
    from fieldkit.reports.model import (
        AssistanceReport,
        Counterpart,
        DeliverableLine,
        Identification,
        Member,
        Photo,
        ReviewItem,
        ReviewLine,
        VisitLine,
    )
    from fieldkit.services import deliverables, forms, plans
    from fieldkit.services.assistances import get_assistance
    from fieldkit.services.persons import PERSON_ROLES

    stop = cancelled or (lambda: False)
    today = dt.date.today()
    detail = get_assistance(profile, key)
    row = detail.row
    team = []
    for m in detail.team:
        role = _(PERSON_ROLES.get(m.role, m.role)) if m.role else ""
        if m.team_role == "lead":
            role = _("{role}, líder del equipo", role=role) if role else _("Líder del equipo")
        team.append(Member(m.name, role))
    diagnostic = _diagnostic(profile, row.id)
    plan_view = plans.get_plan(profile, row.id, today)
    plan = _plan(plan_view, today)
    visits = forms.visits(profile, row.id)
    attendance_total, attendance = _attendance(profile, visits)
    visit_lines = tuple(
        VisitLine(
            _as_date(v.date),
            v.place,
            v.purpose,
            _(forms.STATUS_LABELS.get(v.status, v.status)),
            v.attendance.total,
        )
        for v in reversed(visits)  # oldest first, as the work happened
    )
    lines = []
    photos: list[Photo] = []
    for d in deliverables.list_for(profile, row.id):
        reviews = tuple(
            ReviewLine(
                r.number,
                _day(r.submitted_at),
                r.submitted_by,
                _decision(r.decision),
                _day(r.decided_at),
                r.decided_by,
                r.comments,
                tuple(ReviewItem(i.item, i.comment, i.addressed, i.response) for i in r.items),
            )
            for r in d.reviews
        )
        lines.append(
            DeliverableLine(
                _(d.kind_label),
                d.title,
                d.description,
                _(d.state_label),
                d.due_on,
                d.delivered_on,
                d.received_by,
                reviews,
                tuple(f.file_name for f in d.files if f.purpose == deliverables.PRODUCT),
            )
        )
        for f in d.files:
            if f.purpose == deliverables.PHOTO:
                if stop():
                    break
                photos.append(
                    _photo(
                        profile,
                        f.id,
                        f.file_name,
                        f.caption,
                        _("Entregable «{title}»", title=d.title),
                    )
                )
    photos += _evidence_photos(profile, plan_view)
    return AssistanceReport(
        Identification(
            row.code,
            row.municipality,
            row.municipality_code,
            row.department,
            _directorate_label(profile, row.municipality_code),
            row.pdet_subregion,
            row.thematic_line,
            _state_label(row.state),
            row.requested_on,
            row.start_on,
            row.end_on,
        ),
        tuple(team),
        tuple(Counterpart(c.name, c.position, c.email, c.phone) for c in detail.counterparts),
        diagnostic,
        plan,
        visit_lines,
        attendance_total,
        attendance,
        tuple(lines),
        tuple(photos),
        detail.notes,
    )


def _evidence_photos(profile: Profile, plan: PlanView | None) -> list[model.Photo]:
    """The images attached as evidence of follow-ups (activity progress, measurements)."""
    from fieldkit.i18n import format_date
    from fieldkit.services import forms

    if plan is None:
        return []
    out = []
    for r in plan.results:
        follow_ups = [(f, r.statement) for f in r.follow_ups]
        for a in r.activities:
            follow_ups += [(f, a.description) for f in a.follow_ups]
        for f, what in sorted(follow_ups, key=lambda item: item[0].recorded_on or dt.date.min):
            for evidence in f.evidence:
                try:
                    media = forms.attachment(profile, evidence.id).media_type
                except NotFoundError:
                    continue
                if media not in IMAGE_TYPES:
                    continue
                source = _(
                    "Seguimiento del {date}: {what}", date=format_date(f.recorded_on), what=what
                )
                out.append(
                    _photo(profile, evidence.id, evidence.file_name, evidence.caption, source)
                )
    return out


# Ficha municipal ------------------------------------------------------------------------------


def municipality_data(profile: Profile, code: str) -> model.MunicipalitySheet:
    from fieldkit.reports.model import IndicatorLine, MunicipalitySheet
    from fieldkit.services import catalog

    sheet = catalog.municipality_sheet(profile, code)
    m = sheet.municipality
    categories = {o.code: o.name for o in catalog.categories(profile)}
    indicators = sorted(
        sheet.indicators, key=lambda i: (fold(i.indicator), -(i.year or 0), i.source)
    )
    return MunicipalitySheet(
        code=m.code,
        name=m.name,
        department=m.department,
        department_code=m.department_code,
        kind=m.kind.lower(),
        category=categories.get(m.category, m.category),
        pdet_subregion=m.pdet_subregion,
        latitude=m.latitude,
        longitude=m.longitude,
        directorate=f"{m.directorate_code} — {m.directorate_name}" if m.directorate_code else "",
        indicators=tuple(IndicatorLine(i.indicator, i.year, i.value, i.source) for i in indicators),
        assistances=tuple(
            _assistance_lines(profile, sheet.assistances, dt.date.today())  # type: ignore[arg-type]
        ),
    )


# Informe de seguimiento -----------------------------------------------------------------------


def _directorate(profile: Profile, code: str) -> tuple[str, str, tuple[str, ...]]:
    from fieldkit.services import catalog

    wanted = code.strip().upper()
    for d in catalog.directorates(profile):
        if d.code.upper() == wanted:
            names = {o.code: o.name for o in catalog.departments(profile)}
            return d.code, d.name, tuple(names.get(c, c) for c in d.departments)
    raise NotFoundError(
        "No existe la dirección territorial «{code}». Revise el código (p. ej. NAR) en "
        "Catálogos → Direcciones territoriales.",
        code=code,
    )


def monitoring_data(
    profile: Profile, code: str, today: dt.date | None = None
) -> model.MonitoringReport:
    from fieldkit.domain.deliverables import DeliverableState
    from fieldkit.domain.plans import RESPONSIBLES
    from fieldkit.domain.progress import combine
    from fieldkit.domain.states import AssistanceState
    from fieldkit.reports.model import DeliveryLine, MonitoringReport, OverdueLine, StateCount
    from fieldkit.services import deliverables, plans
    from fieldkit.services.assistances import list_assistances

    today = today or dt.date.today()
    directorate, name, departments = _directorate(profile, code)
    rows = [r for r in list_assistances(profile) if r.directorate_code == directorate]
    by_id = {r.id: r for r in rows}
    counts = Counter(r.state for r in rows)
    states = tuple(
        StateCount(_state_label(s.value), counts.get(s.value, 0)) for s in AssistanceState
    )
    figures = plans.progress_by_assistance(profile, today)
    overall = combine(figures[r.id].progress for r in rows if r.id in figures)
    overdue = tuple(
        OverdueLine(
            by_id[o.assistance_id].code,
            by_id[o.assistance_id].municipality,
            o.description,
            o.result,
            _(RESPONSIBLES.get(o.responsible, o.responsible))
            + (f": {o.responsible_name}" if o.responsible_name else ""),
            o.end_on,
            o.days_late,
            o.percent,
        )
        for o in plans.overdue(profile, today)
        if o.assistance_id in by_id
    )
    delivered = []
    pending_late = 0
    for d in deliverables.list_all(profile):
        a = by_id.get(d.assistance_id)
        if a is None:
            continue
        if d.state is DeliverableState.DELIVERED and d.delivered_on is not None:
            delivered.append(
                DeliveryLine(a.code, a.municipality, d.title, d.due_on, d.delivered_on, d.on_time)
            )
        elif d.due_on is not None and d.due_on < today:
            pending_late += 1
    delivered.sort(key=lambda d: (d.delivered_on, d.code), reverse=True)
    return MonitoringReport(
        code=directorate,
        name=name,
        departments=departments,
        as_of=today,
        states=states,
        progress=_progress(overall),
        assistances=tuple(_assistance_lines(profile, rows, today)),
        overdue=overdue,
        delivered=tuple(delivered),
        pending_late=pending_late,
    )
