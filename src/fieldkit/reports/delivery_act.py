"""The acta de entrega: the formal record that the team handed the products of an assistance to
the mayor's office, with the signature blocks of the official who receives and of each team
member present. Printed before the delivery it leaves blanks to fill by hand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, TableStyle

from fieldkit.i18n import N_, _
from fieldkit.reports.model import DeliveryAct, Letterhead, Rendered, Signer
from fieldkit.reports.pdf import DASH, Document, day, grid, spacer, text

MONTHS = (
    N_("enero"),
    N_("febrero"),
    N_("marzo"),
    N_("abril"),
    N_("mayo"),
    N_("junio"),
    N_("julio"),
    N_("agosto"),
    N_("septiembre"),
    N_("octubre"),
    N_("noviembre"),
    N_("diciembre"),
)
BLANK = "_" * 22
SHORT_BLANK = "_" * 8


def title() -> str:
    return _("Acta de entrega")


def _when(act: DeliveryAct) -> str:
    """«a los 15 días del mes de marzo de 2026» (as Colombian acts say it)."""
    d = act.delivered_on
    if d is None:
        return _(
            "a los {day} días del mes de {month} de {year}",
            day=SHORT_BLANK,
            month=BLANK,
            year=SHORT_BLANK,
        )
    month = _(MONTHS[d.month - 1])
    if d.day == 1:
        return _("el primer día del mes de {month} de {year}", month=month, year=d.year)
    return _("a los {day} días del mes de {month} de {year}", day=d.day, month=month, year=d.year)


def _opening(act: DeliveryAct, organization: str) -> str:
    issuer = organization or _("el equipo de asistencia técnica")
    return _(
        "En el municipio de {municipality} ({department}), {when}, en {place}, se hace entrega "
        "formal a la alcaldía municipal de los productos resultantes de la asistencia técnica "
        "{code}, en la línea temática «{line}», prestada por {issuer}.",
        municipality=act.municipality,
        department=act.department,
        when=_when(act),
        place=act.place or BLANK,
        code=act.code,
        line=act.thematic_line,
        issuer=issuer,
    )


def _receiving(act: DeliveryAct) -> str:
    receiver = act.receiver
    if receiver is None:
        return _(
            "Recibe {name}, {position} de {entity}, en presencia de los integrantes del equipo "
            "de asistencia técnica que firman al final.",
            name=BLANK,
            position=BLANK,
            entity=BLANK,
        )
    return _(
        "Recibe {name}, {position} de {entity}, en presencia de los integrantes del equipo de "
        "asistencia técnica que firman al final.",
        name=receiver.name,
        position=receiver.position or BLANK,
        entity=receiver.entity or BLANK,
    )


def _signature(doc: Document, role: str, signer: Signer | None, width: float) -> list[Flowable]:
    """Room to sign, the line, and who signs: name, position, entity (blanks to fill by hand)."""
    s = doc.styles
    if signer is None:
        lines = [
            Paragraph(text(_("Nombre: {blank}", blank=BLANK)), s.signature),
            Paragraph(text(_("Cargo: {blank}", blank=BLANK)), s.signature),
            Paragraph(text(_("Entidad: {blank}", blank=BLANK)), s.signature),
        ]
    else:
        lines = [
            Paragraph(text(signer.name), s.signature_name),
            Paragraph(text(signer.position or DASH), s.signature),
            Paragraph(text(signer.entity or DASH), s.signature),
        ]
    line = grid([[Spacer(1, 1)]], colWidths=[width - 0.8 * cm], rowHeights=[4], hAlign="LEFT")
    line.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, -1), 0.8, colors.black)]))
    return [Paragraph(text(role), s.label), Spacer(1, 1.5 * cm), line, *lines]


def _signatures(doc: Document, act: DeliveryAct, organization: str) -> list[Flowable]:
    gap = 1.0 * cm
    width = (doc.width - gap) / 2
    blocks: list[list[Flowable]] = [
        _signature(doc, _("Recibe por la alcaldía"), act.receiver, width)
    ]
    team = act.team or ()
    for member in team:
        blocks.append(_signature(doc, _("Entrega por el equipo"), member, width))
    if not team:
        blocks.append(_signature(doc, _("Entrega por el equipo"), None, width))
    rows = [blocks[i : i + 2] for i in range(0, len(blocks), 2)]
    if len(rows[-1]) == 1:
        rows[-1].append([Spacer(1, 1)])
    out: list[Flowable] = []
    for row in rows:
        table = grid([row], colWidths=[width + gap / 2, width + gap / 2], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 16),
                ]
            )
        )
        out.append(table)
    return out


def render(
    act: DeliveryAct,
    letterhead: Letterhead,
    path: Path,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> Rendered:
    doc = Document(
        letterhead, title(), act.code, code_label=_("Asistencia técnica"), cancelled=cancelled
    )
    s = doc.styles
    organization = letterhead.organization.strip()
    story: list[Flowable] = [
        Paragraph(text(title()), s.title),
        Paragraph(
            text(
                _(
                    "Asistencia técnica {code} · {municipality} ({department})",
                    code=act.code,
                    municipality=act.municipality,
                    department=act.department,
                )
            ),
            s.subtitle,
        ),
        doc.fields(
            [
                (_("Municipio"), act.municipality),
                (_("Departamento"), act.department),
                (_("Código DIVIPOLA"), act.municipality_code),
                (_("Dirección territorial"), act.directorate),
                (_("Asistencia técnica"), act.code),
                (_("Línea temática"), act.thematic_line),
                (_("Fecha de entrega"), day(act.delivered_on) if act.delivered_on else BLANK),
                (_("Lugar"), act.place or BLANK),
            ]
        ),
        spacer(10),
        Paragraph(text(_opening(act, organization)), s.justified),
        Paragraph(text(_receiving(act)), s.justified),
        doc.heading(_("Productos entregados")),
    ]
    rows = []
    for number_, item in enumerate(act.items, start=1):
        description = item.description or DASH
        if item.files:
            description += "\n" + _("Archivos: {files}", files=", ".join(item.files))
        rows.append([str(number_), item.kind, item.title, description])
    story.append(
        doc.table(
            [_("N.º"), _("Tipo"), _("Título"), _("Descripción")],
            rows,
            [0.06, 0.22, 0.30, 0.42],
            empty=_("No hay productos en esta acta."),
        )
    )
    story.append(doc.heading(_("Equipo de asistencia técnica presente")))
    story.append(
        doc.table(
            [_("Nombre"), _("Cargo"), _("Entidad")],
            [[m.name, m.position or DASH, m.entity or DASH] for m in act.team],
            [0.36, 0.32, 0.32],
            empty=_("Escriba a mano los integrantes del equipo presentes."),
        )
    )
    story.append(spacer(8))
    story.append(
        Paragraph(
            text(
                _(
                    "Con la firma de la presente acta, la alcaldía municipal declara recibidos "
                    "los productos relacionados. Para constancia, firman quienes intervinieron."
                )
            ),
            s.justified,
        )
    )
    signatures = _signatures(doc, act, organization)
    story.append(KeepTogether([doc.heading(_("Firmas")), signatures[0]]))
    story.extend(signatures[1:])
    return doc.write(story, path)
