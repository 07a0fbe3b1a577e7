"""The ficha municipal: the municipality's data, its indicators, and every assistance it received
with its results achieved beside its activities completed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab.platypus import Flowable, Paragraph

from fieldkit.i18n import _, format_number
from fieldkit.reports.model import AssistanceLine, Letterhead, MunicipalitySheet, Rendered
from fieldkit.reports.pdf import DASH, Document, day, number, percent, text


def title() -> str:
    return _("Ficha municipal")


def coordinates(latitude: float | None, longitude: float | None) -> str:
    if latitude is None or longitude is None:
        return DASH
    return _(
        "latitud {lat}, longitud {lon}",
        lat=format_number(latitude, 5),
        lon=format_number(longitude, 5),
    )


def assistance_rows(
    lines: Sequence[AssistanceLine], *, with_municipality: bool
) -> tuple[list[list[object]], list[int], list[tuple[str, str]]]:
    """Rows of an assistances table; the flagged rows; and each flagged one's warning."""
    rows: list[list[object]] = []
    flagged: list[int] = []
    warnings: list[tuple[str, str]] = []
    for index, a in enumerate(lines):
        p = a.progress
        if p is None:
            results = activities = _("Sin plan")
            overdue = DASH
        else:
            results = (
                percent(p.results_percent)
                + "\n"
                + _(
                    "{measured} de {total} medidos",
                    measured=p.results_measured,
                    total=p.results_total,
                )
            )
            activities = (
                percent(p.activities_percent)
                + "\n"
                + _(
                    "{complete} de {total} completas",
                    complete=p.activities_complete,
                    total=p.activities_total,
                )
            )
            overdue = format_number(p.overdue)
            if p.warning:
                flagged.append(index)
                warnings.append((a.code, p.warning))
        dates = (
            f"{day(a.start_on)}\n{day(a.end_on)}" if a.start_on or a.end_on else day(a.requested_on)
        )
        row: list[object] = [a.code]
        if with_municipality:
            row.append(a.municipality)
        row += [a.thematic_line, a.state, dates, results, activities, overdue]
        rows.append(row)
    return rows, flagged, warnings


def render(
    sheet: MunicipalitySheet,
    letterhead: Letterhead,
    path: Path,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> Rendered:
    doc = Document(letterhead, title(), sheet.code, code_label=_("Municipio"), cancelled=cancelled)
    s = doc.styles
    story: list[Flowable] = [
        Paragraph(text(title()), s.title),
        Paragraph(
            text(
                _(
                    "{name} ({department}) · código DIVIPOLA {code}",
                    name=sheet.name,
                    department=sheet.department,
                    code=sheet.code,
                )
            ),
            s.subtitle,
        ),
        doc.heading(_("Datos del municipio")),
        doc.fields(
            [
                (_("Código DIVIPOLA"), sheet.code),
                (_("Municipio"), sheet.name),
                (_("Departamento"), f"{sheet.department} ({sheet.department_code})"),
                (_("Tipo"), sheet.kind.capitalize() if sheet.kind else DASH),
                (_("Categoría"), sheet.category or _("Sin categoría registrada")),
                (_("Subregión PDET"), sheet.pdet_subregion or _("No es municipio PDET")),
                (_("Coordenadas"), coordinates(sheet.latitude, sheet.longitude)),
                (_("Dirección territorial"), sheet.directorate or _("Sin dirección asignada")),
            ]
        ),
        doc.heading(_("Indicadores municipales")),
        doc.table(
            [_("Indicador"), _("Año"), _("Valor"), _("Fuente")],
            [
                [i.indicator, str(i.year) if i.year else DASH, number(i.value), i.source or DASH]
                for i in sheet.indicators
            ],
            [0.22, 0.10, 0.16, 0.52],
            right={1, 2},
            empty=_("No hay indicadores registrados para este municipio."),
        ),
        doc.heading(_("Asistencias técnicas recibidas")),
    ]
    rows, flagged, warnings = assistance_rows(sheet.assistances, with_municipality=False)
    story.append(
        doc.table(
            [
                _("Código"),
                _("Línea temática"),
                _("Estado"),
                _("Inicio / fin"),
                _("Resultados logrados"),
                _("Actividades completadas"),
                _("Vencidas"),
            ],
            rows,
            [0.18, 0.21, 0.11, 0.12, 0.13, 0.15, 0.10],
            right={4, 5, 6},
            nowrap={0, 3},
            highlight=flagged,
            empty=_("El municipio aún no ha recibido asistencias técnicas."),
        )
    )
    for code, warning in warnings:
        story.append(doc.warning(f"{code}: {warning}"))
    return doc.write(story, path)
