"""The informe de seguimiento of a territorial directorate: its assistances by state, results
achieved beside activities completed for each one, overdue activities, and deliverables
delivered on time or late."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.platypus import Flowable, Paragraph

from fieldkit.i18n import _, format_number
from fieldkit.reports.assistance import progress_figures
from fieldkit.reports.model import Letterhead, MonitoringReport, Rendered
from fieldkit.reports.municipality import assistance_rows
from fieldkit.reports.pdf import DASH, Document, day, percent, text


def title() -> str:
    return _("Informe de seguimiento")


def render(
    report: MonitoringReport,
    letterhead: Letterhead,
    path: Path,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> Rendered:
    doc = Document(
        letterhead,
        title(),
        report.code,
        code_label=_("Dirección territorial"),
        cancelled=cancelled,
    )
    s = doc.styles
    total = sum(c.count for c in report.states)
    story: list[Flowable] = [
        Paragraph(text(title()), s.title),
        Paragraph(
            text(
                _(
                    "Dirección territorial {code} — {name} · corte al {date}",
                    code=report.code,
                    name=report.name,
                    date=day(report.as_of),
                )
            ),
            s.subtitle,
        ),
        doc.fields(
            [
                (_("Dirección territorial"), f"{report.code} — {report.name}"),
                (_("Departamentos"), ", ".join(report.departments) or DASH),
                (_("Asistencias"), format_number(total)),
                (_("Fecha de corte"), day(report.as_of)),
            ]
        ),
        doc.heading(_("1. Resultados logrados frente a actividades completadas")),
        progress_figures(doc, report.progress),
    ]
    if report.progress.warning:
        story.append(doc.warning(report.progress.warning))
    story.append(doc.heading(_("2. Asistencias por estado")))
    state_rows = [[c.state, format_number(c.count)] for c in report.states]
    if state_rows:
        state_rows.append([Paragraph(f"<b>{text(_('Total'))}</b>", s.cell), format_number(total)])
    story.append(
        doc.table(
            [_("Estado"), _("Asistencias")],
            state_rows,
            [0.5, 0.2],
            right={1},
            empty=_("La dirección territorial aún no tiene asistencias."),
        )
    )
    story.append(doc.heading(_("3. Resultados y actividades por asistencia")))
    rows, flagged, warnings = assistance_rows(report.assistances, with_municipality=True)
    story.append(
        doc.table(
            [
                _("Código"),
                _("Municipio"),
                _("Línea temática"),
                _("Estado"),
                _("Inicio / fin"),
                _("Resultados logrados"),
                _("Actividades completadas"),
                _("Vencidas"),
            ],
            rows,
            [0.17, 0.12, 0.13, 0.10, 0.12, 0.12, 0.14, 0.10],
            right={5, 6, 7},
            nowrap={0, 4},
            highlight=flagged,
            empty=_("La dirección territorial aún no tiene asistencias."),
        )
    )
    if warnings:
        story.append(doc.subheading(_("Planes que avanzan en tareas sin lograr resultados")))
        for code, warning in warnings:
            story.append(doc.warning(f"{code}: {warning}"))
    story.append(doc.heading(_("4. Actividades vencidas")))
    story.append(
        doc.table(
            [
                _("Asistencia"),
                _("Municipio"),
                _("Actividad"),
                _("Responsable"),
                _("Fin"),
                _("Días de atraso"),
                _("Avance"),
            ],
            [
                [
                    o.code,
                    o.municipality,
                    o.description + (f"\n({o.result})" if o.result else ""),
                    o.responsible,
                    day(o.end_on),
                    format_number(o.days_late),
                    percent(o.percent),
                ]
                for o in report.overdue
            ],
            [0.17, 0.12, 0.27, 0.13, 0.12, 0.10, 0.09],
            right={5, 6},
            nowrap={0, 4},
            empty=_("No hay actividades vencidas."),
        )
    )
    story.append(doc.heading(_("5. Entregables entregados a tiempo y con retraso")))
    on_time = sum(1 for d in report.delivered if d.on_time is True)
    late = sum(1 for d in report.delivered if d.on_time is False)
    no_due = sum(1 for d in report.delivered if d.on_time is None)
    story.append(
        doc.figures(
            [
                (
                    _("Entregados a tiempo"),
                    format_number(on_time),
                    _("de {n} entregados", n=len(report.delivered)),
                ),
                (_("Entregados con retraso"), format_number(late), _("después de la fecha límite")),
                (
                    _("Pendientes vencidos"),
                    format_number(report.pending_late),
                    _("sin entregar y con la fecha límite pasada"),
                ),
            ]
        )
    )
    if no_due:
        story.append(
            doc.para(_("{n} entregados no tenían fecha límite.", n=format_number(no_due)), s.small)
        )

    def timeliness(on: bool | None) -> str:
        if on is None:
            return _("Sin fecha límite")
        return _("A tiempo") if on else _("Con retraso")

    story.append(doc.subheading(_("Entregables entregados")))
    story.append(
        doc.table(
            [
                _("Asistencia"),
                _("Municipio"),
                _("Entregable"),
                _("Fecha límite"),
                _("Entregado"),
                _("Oportunidad"),
            ],
            [
                [
                    d.code,
                    d.municipality,
                    d.title,
                    day(d.due_on),
                    day(d.delivered_on),
                    timeliness(d.on_time),
                ]
                for d in report.delivered
            ],
            [0.17, 0.14, 0.31, 0.12, 0.12, 0.14],
            nowrap={0, 3, 4},
            highlight=[i for i, d in enumerate(report.delivered) if d.on_time is False],
            empty=_("Aún no se ha entregado ningún producto."),
        )
    )
    return doc.write(story, path)
