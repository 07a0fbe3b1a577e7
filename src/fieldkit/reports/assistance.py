"""The informe de asistencia técnica: who, where and what; the diagnostic; the plan with its
results achieved beside its activities completed; visits with disaggregated attendance;
deliverables with their review history; and the photographic record."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.platypus import Flowable, Paragraph

from fieldkit.i18n import _, format_number, ngettext
from fieldkit.reports.model import (
    AssistanceReport,
    Diagnostic,
    Letterhead,
    PlanSummary,
    Progress,
    Rendered,
)
from fieldkit.reports.pdf import DASH, Bar, Document, day, keep, number, percent, spacer, text


def title() -> str:
    return _("Informe de asistencia técnica")


def progress_figures(doc: Document, progress: Progress) -> Flowable:
    """Results achieved beside activities completed, with the overdue count."""
    return doc.figures(
        [
            (
                _("Resultados logrados"),
                percent(progress.results_percent),
                _(
                    "{measured} de {total} resultados con medición",
                    measured=progress.results_measured,
                    total=progress.results_total,
                ),
            ),
            (
                _("Actividades completadas"),
                percent(progress.activities_percent),
                _(
                    "{complete} de {total} actividades completas",
                    complete=progress.activities_complete,
                    total=progress.activities_total,
                ),
            ),
            (
                _("Actividades vencidas"),
                format_number(progress.overdue),
                _("sin completar después de su fecha de fin"),
            ),
        ]
    )


def _identification(doc: Document, report: AssistanceReport) -> list[Flowable]:
    i = report.identification
    story: list[Flowable] = [
        doc.heading(_("1. Identificación")),
        doc.fields(
            [
                (_("Código"), i.code),
                (_("Estado"), i.state),
                (_("Municipio"), i.municipality),
                (_("Código DIVIPOLA"), i.municipality_code),
                (_("Departamento"), i.department),
                (_("Dirección territorial"), i.directorate),
                (_("Subregión PDET"), i.pdet_subregion or _("No es municipio PDET")),
                (_("Línea temática"), i.thematic_line),
                (_("Solicitada"), day(i.requested_on)),
                (_("Inicio"), day(i.start_on)),
                (_("Finalización"), day(i.end_on)),
                ("", ""),
            ]
        ),
    ]
    if report.notes:
        story += [spacer(4), doc.para(report.notes, doc.styles.small)]
    story.append(doc.subheading(_("Equipo de asistencia técnica")))
    story.append(
        doc.table(
            [_("Nombre"), _("Rol")],
            [[m.name, m.role] for m in report.team],
            [0.55, 0.45],
            empty=_("La asistencia aún no tiene equipo."),
        )
    )
    story.append(doc.subheading(_("Funcionarios de contraparte de la alcaldía")))
    story.append(
        doc.table(
            [_("Nombre"), _("Cargo"), _("Correo"), _("Teléfono")],
            [
                [c.name, c.position or DASH, c.email or DASH, c.phone or DASH]
                for c in report.counterparts
            ],
            [0.25, 0.25, 0.34, 0.16],
            empty=_("La alcaldía aún no ha designado contrapartes."),
        )
    )
    return story


def _diagnostic(doc: Document, diagnostic: Diagnostic | None) -> list[Flowable]:
    story: list[Flowable] = [doc.heading(_("2. Diagnóstico"))]
    if diagnostic is None:
        story.append(doc.para(_("La asistencia aún no tiene diagnóstico."), doc.styles.missing))
        return story
    story.append(
        doc.fields(
            [
                (_("Instrumento"), diagnostic.title),
                (_("Estado"), diagnostic.status),
                (_("Fecha"), day(diagnostic.done_on)),
                ("", ""),
            ]
        )
    )
    story.append(spacer(6))
    weak = sum(1 for a in diagnostic.areas if a.score is not None and a.score < 40)
    unanswered = sum(1 for a in diagnostic.areas if a.score is None)
    story.append(
        doc.figures(
            [
                (
                    _("Índice de capacidad institucional"),
                    _("{score} / 100", score=number(diagnostic.index, 0))
                    if diagnostic.index is not None
                    else DASH,
                    ngettext(
                        "{n} área sin responder cuenta como 0",
                        "{n} áreas sin responder cuentan como 0",
                        unanswered,
                    )
                    if unanswered
                    else _("promedio de las áreas evaluadas"),
                ),
                (_("Nivel"), diagnostic.level or DASH, _("alto, medio, bajo o crítico")),
                (
                    _("Áreas débiles"),
                    format_number(weak),
                    _("con menos de 40 / 100"),
                ),
            ]
        )
    )
    if diagnostic.areas:
        bar_width = 0.34 * doc.width - 8
        story.append(doc.subheading(_("Puntaje por área")))
        story.append(
            doc.table(
                [_("Área"), _("Puntaje"), ""],
                [
                    [
                        a.area,
                        number(a.score, 0) if a.score is not None else _("sin responder"),
                        Bar(a.score, bar_width),
                    ]
                    for a in diagnostic.areas
                ],
                [0.52, 0.14, 0.34],
                right={1},
            )
        )
    story.append(doc.subheading(_("Hallazgos y necesidades priorizadas")))
    story.append(
        doc.table(
            [_("Hallazgo"), _("Área"), _("Prioridad")],
            [[f.statement, f.area or DASH, f.priority or DASH] for f in diagnostic.findings],
            [0.64, 0.24, 0.12],
            empty=_("Aún no se han registrado hallazgos."),
        )
    )
    if diagnostic.notes:
        story.append(spacer(4))
        story.append(doc.para(_("Según el instrumento:"), doc.styles.label))
        story.append(doc.para(diagnostic.notes))
    return story


def _plan(doc: Document, plan: PlanSummary | None) -> list[Flowable]:
    story: list[Flowable] = [doc.heading(_("3. Plan de Acción Municipal"))]
    if plan is None:
        story.append(doc.para(_("La asistencia aún no tiene plan de acción."), doc.styles.missing))
        return story
    s = doc.styles
    story.append(
        doc.fields(
            [
                (_("Estado"), plan.state),
                (_("Versión"), str(plan.version)),
                (_("Problema"), plan.problem or DASH),
                (_("Objetivo"), plan.objective or DASH),
                (_("Alternativa de solución"), plan.alternative or DASH),
            ],
            columns=1,
        )
    )
    story.append(spacer(6))
    story.append(progress_figures(doc, plan.progress))
    if plan.progress.warning:
        story.append(doc.warning(plan.progress.warning))
    story.append(
        doc.subheading(_("Resultados: indicador frente a meta, al lado de sus actividades"))
    )
    rows = []
    flagged = []
    for index, r in enumerate(plan.results):
        statement = f"<b>{text(r.statement or _('Actividades sin resultado'))}</b>"
        if r.indicator:
            # The unit after the name, unless the name already says it: «… (%)».
            shown = r.unit and not r.indicator.rstrip().endswith(f"({r.unit})")
            unit = f" ({text(r.unit)})" if shown else ""
            statement += f"<br/>{text(r.indicator)}{unit}"
        if r.warning:
            statement += f'<br/><font color="#8A2A00">{text(r.warning)}</font>'
            flagged.append(index)
        measured = number(r.measured)
        if r.measured_on is not None:
            measured += f"\n({day(r.measured_on)})"
        activities = percent(r.activities_percent)
        if r.activities_total:
            activities += "\n" + _(
                "{complete} de {total}", complete=r.activities_complete, total=r.activities_total
            )
        rows.append(
            [
                _("R{n}", n=r.number) if r.number else DASH,
                Paragraph(statement, s.cell),
                number(r.baseline),
                number(r.target),
                measured,
                percent(r.achievement),
                activities,
            ]
        )
    story.append(
        doc.table(
            [
                _("N.º"),
                _("Resultado e indicador"),
                _("Línea base"),
                _("Meta"),
                _("Medido"),
                _("Logro"),
                _("Actividades completadas"),
            ],
            rows,
            [0.05, 0.37, 0.09, 0.09, 0.13, 0.09, 0.18],
            right={2, 3, 4, 5, 6},
            nowrap={4},
            highlight=flagged,
            empty=_("El plan aún no tiene resultados."),
        )
    )
    story.append(doc.subheading(_("Actividades")))
    story.append(
        doc.table(
            [
                _("Res."),
                _("Actividad"),
                _("Responsable"),
                _("Inicio"),
                _("Fin"),
                _("Avance"),
                _("Estado"),
            ],
            [
                [
                    _("R{n}", n=a.result) if a.result else DASH,
                    a.description,
                    a.responsible,
                    day(a.start_on),
                    day(a.end_on),
                    percent(a.percent),
                    a.state + ("\n" + _("Vencida") if a.overdue else ""),
                ]
                for a in plan.activities
            ],
            [0.07, 0.31, 0.17, 0.12, 0.12, 0.09, 0.12],
            right={5},
            nowrap={3, 4},
            highlight=[i for i, a in enumerate(plan.activities) if a.overdue],
            empty=_("El plan aún no tiene actividades."),
        )
    )
    return story


def _visits(doc: Document, report: AssistanceReport) -> list[Flowable]:
    story: list[Flowable] = [doc.heading(_("4. Visitas y sesiones de trabajo"))]
    story.append(
        doc.table(
            [_("Fecha"), _("Lugar"), _("Propósito"), _("Estado"), _("Asistentes")],
            [
                [
                    day(v.date),
                    v.place or DASH,
                    v.purpose or DASH,
                    v.status,
                    format_number(v.attendees),
                ]
                for v in report.visits
            ],
            [0.12, 0.24, 0.38, 0.12, 0.14],
            right={4},
            nowrap={0},
            empty=_("Aún no hay visitas registradas."),
        )
    )
    if report.visits:
        story.append(doc.subheading(_("Asistencia desagregada")))
        story.append(
            doc.para(
                ngettext(
                    "{count} asistentes en {visits} visita.",
                    "{count} asistentes en {visits} visitas.",
                    len(report.visits),
                    count=format_number(report.attendance_total),
                    visits=format_number(len(report.visits)),
                )
            )
        )
        rows = []
        for breakdown in report.attendance:
            parts = " · ".join(
                f"{text(label)} <b>{format_number(count)}</b>" for label, count in breakdown.counts
            )
            rows.append([breakdown.title, Paragraph(parts or DASH, doc.styles.cell)])
        story.append(doc.table([_("Variable"), _("Asistentes")], rows, [0.22, 0.78]))
    return story


def _deliverables(doc: Document, report: AssistanceReport) -> list[Flowable]:
    story: list[Flowable] = [doc.heading(_("5. Entregables"))]
    story.append(
        doc.table(
            [_("Tipo"), _("Título"), _("Estado"), _("Fecha límite"), _("Entregado"), _("Recibió")],
            [
                [
                    d.kind,
                    d.title,
                    d.state,
                    day(d.due_on),
                    day(d.delivered_on),
                    d.received_by or DASH,
                ]
                for d in report.deliverables
            ],
            [0.18, 0.28, 0.14, 0.12, 0.12, 0.16],
            nowrap={3, 4},
            empty=_("Aún no hay entregables."),
        )
    )
    for d in report.deliverables:
        if not d.reviews:
            continue
        rows = []
        for r in d.reviews:
            comments = text(r.comments) if r.comments else ""
            for item in r.items:
                state = _("atendido") if item.addressed else _("pendiente")
                line = f"• <b>{text(item.item)}</b>: {text(item.comment)} <i>({text(state)})</i>"
                if item.response:
                    line += f"<br/>&nbsp;&nbsp;{text(_('Respuesta: {text}', text=item.response))}"
                comments += ("<br/>" if comments else "") + line
            rows.append(
                [
                    str(r.number),
                    f"{day(r.submitted_on)}\n{r.submitted_by}",
                    r.decision,
                    f"{day(r.decided_on)}\n{r.decided_by}" if r.decided_on else DASH,
                    Paragraph(comments or DASH, doc.styles.cell),
                ]
            )
        story.append(
            keep(
                doc.subheading(_("Revisión de calidad: {title}", title=d.title)),
                doc.table(
                    [_("Envío"), _("Enviado"), _("Decisión"), _("Decidido"), _("Comentarios")],
                    rows,
                    [0.07, 0.17, 0.14, 0.17, 0.45],
                ),
            )
        )
    return story


def render(
    report: AssistanceReport,
    letterhead: Letterhead,
    path: Path,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> Rendered:
    i = report.identification
    doc = Document(
        letterhead, title(), i.code, code_label=_("Asistencia técnica"), cancelled=cancelled
    )
    s = doc.styles
    story: list[Flowable] = [
        Paragraph(text(title()), s.title),
        Paragraph(
            text(
                _(
                    "{code} · {municipality} ({department}) · {line}",
                    code=i.code,
                    municipality=i.municipality,
                    department=i.department,
                    line=i.thematic_line,
                )
            ),
            s.subtitle,
        ),
    ]
    story += _identification(doc, report)
    doc.check()
    story += _diagnostic(doc, report.diagnostic)
    story += _plan(doc, report.plan)
    story += _visits(doc, report)
    story += _deliverables(doc, report)
    story.append(doc.heading(_("6. Registro fotográfico")))
    if report.photos:
        try:
            story += doc.photo_grid(report.photos)
        except BaseException:  # cancelled while preparing the photos
            doc.close()
            raise
    else:
        story.append(doc.para(_("No hay fotos de entregables ni de seguimiento."), s.missing))
    return doc.write(story, path)
