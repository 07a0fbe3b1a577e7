"""The document every PDF report shares: embedded fonts, styles, paper, the header (organization,
logo, title) and the footer (record code, «página x de y», generation date) on every page, tables
that wrap their text, and photos downscaled before they are embedded.

Fonts are Bitstream Vera (shipped with reportlab, it covers Spanish: á é í ó ú ñ ü ¿ ¡ « »),
registered as TrueType so every PDF carries them: the standard Helvetica is not embedded and a
printer in a municipality may substitute it badly.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4 as A4_SIZE
from reportlab.lib.pagesizes import LETTER as LETTER_SIZE
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from fieldkit.i18n import _, format_date, format_datetime, format_number
from fieldkit.reports.model import A4, Letterhead, Photo, Rendered
from fieldkit.reports.photos import PhotoError, pixels_for, prepare

# JPEG photos go into the file as they are (DCT), not re-encoded as ASCII text a quarter larger.
rl_config.useA85 = 0

FONT = "FieldkitSans"
FONT_BOLD = "FieldkitSans-Bold"
FONT_ITALIC = "FieldkitSans-Italic"
FONT_BOLD_ITALIC = "FieldkitSans-BoldItalic"
_FONT_FILES = {
    FONT: "Vera.ttf",
    FONT_BOLD: "VeraBd.ttf",
    FONT_ITALIC: "VeraIt.ttf",
    FONT_BOLD_ITALIC: "VeraBI.ttf",
}
_fonts_lock = threading.Lock()
_fonts_ready = False

PRIMARY = colors.HexColor("#1F4E79")
LIGHT = colors.HexColor("#E9EFF6")
ZEBRA = colors.HexColor("#F6F8FB")
GRID = colors.HexColor("#B7C3D0")
MUTED = colors.HexColor("#5F6368")
WARNING_TEXT = colors.HexColor("#8A2A00")
WARNING_FILL = colors.HexColor("#FDEEE6")
GOOD = colors.HexColor("#1E6B34")

MARGIN = 1.9 * cm
TOP = 3.0 * cm  # room for the header
BOTTOM = 2.0 * cm  # room for the footer
LOGO_HEIGHT = 1.35 * cm
DASH = "—"


class Cancelled(Exception):
    """The person asked to stop; nothing is written."""


def register_fonts() -> None:
    """Register the embedded TrueType family once per process (reports run on worker threads)."""
    global _fonts_ready
    if _fonts_ready:
        return
    from reportlab import __file__ as reportlab_file
    from reportlab.lib.fonts import addMapping

    folder = Path(reportlab_file).resolve().parent / "fonts"
    with _fonts_lock:
        if _fonts_ready:
            return
        for name, file in _FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
        )
        for bold, italic, name in (
            (0, 0, FONT),
            (1, 0, FONT_BOLD),
            (0, 1, FONT_ITALIC),
            (1, 1, FONT_BOLD_ITALIC),
        ):
            addMapping(FONT, bold, italic, name)
        _fonts_ready = True


def grid(data: list[list[Any]], **kwargs: Any) -> Table:
    """A reportlab Table that sets its text state with the embedded font (its default is the
    unembedded Helvetica, written even for tables of paragraphs)."""
    table = Table(data, **kwargs)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT)]))
    return table


def page_size(paper: str) -> tuple[float, float]:
    return A4_SIZE if paper == A4 else LETTER_SIZE


# Styles ---------------------------------------------------------------------------------------


class Styles:
    """The paragraph styles of every report."""

    def __init__(self) -> None:
        def style(name: str, **kw: Any) -> ParagraphStyle:
            base = {"fontName": FONT, "fontSize": 9.5, "leading": 12.5, "textColor": colors.black}
            base.update(kw)
            return ParagraphStyle(name, **base)

        self.body = style("body", spaceAfter=4)
        self.justified = style("justified", alignment=4, leading=14, fontSize=10.5, spaceAfter=6)
        self.title = style(
            "title", fontName=FONT_BOLD, fontSize=16, leading=20, textColor=PRIMARY, spaceAfter=2
        )
        self.subtitle = style("subtitle", fontSize=10, leading=13, textColor=MUTED, spaceAfter=8)
        self.h1 = style(
            "h1",
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=16,
            textColor=PRIMARY,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
        )
        self.h2 = style(
            "h2",
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=13.5,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
        )
        self.cell = style("cell", fontSize=8.2, leading=10.2)
        self.cell_right = style("cell_right", fontSize=8.2, leading=10.2, alignment=TA_RIGHT)
        self.cell_center = style("cell_center", fontSize=8.2, leading=10.2, alignment=TA_CENTER)
        self.head = style(
            "head", fontName=FONT_BOLD, fontSize=8, leading=10, textColor=colors.white
        )
        self.head_right = style(
            "head_right",
            fontName=FONT_BOLD,
            fontSize=8,
            leading=10,
            textColor=colors.white,
            alignment=TA_RIGHT,
        )
        self.label = style("label", fontName=FONT_BOLD, fontSize=8.5, leading=11, textColor=MUTED)
        self.value = style("value", fontSize=9, leading=11.5)
        self.small = style("small", fontSize=8, leading=10, textColor=MUTED)
        self.caption = style(
            "caption", fontName=FONT_ITALIC, fontSize=7.8, leading=9.6, alignment=TA_CENTER
        )
        self.missing = style(
            "missing", fontName=FONT_ITALIC, fontSize=8.5, leading=11, textColor=MUTED
        )
        self.warning = style("warning", fontSize=9, leading=12, textColor=WARNING_TEXT)
        self.missing_box = style(
            "missing_box",
            fontName=FONT_ITALIC,
            fontSize=8.5,
            leading=11,
            textColor=MUTED,
            alignment=TA_CENTER,
        )
        self.signature = style("signature", fontSize=8.8, leading=11.2)
        self.signature_name = style("signature_name", fontName=FONT_BOLD, fontSize=9, leading=11.5)


# Formatting -----------------------------------------------------------------------------------


def text(value: object) -> str:
    """Escape text for a Paragraph; line breaks become <br/>."""
    if value is None:
        return ""
    return escape(str(value)).replace("\n", "<br/>")


def day(d: dt.date | dt.datetime | None) -> str:
    return format_date(d) if d is not None else DASH


def number(x: float | None, decimals: int | None = None) -> str:
    return format_number(x, decimals) if x is not None else DASH


def percent(x: float | None) -> str:
    """«45 %», «33,3 %»; a dash when it cannot be judged."""
    if x is None:
        return DASH
    rounded = round(float(x), 1)
    return f"{format_number(rounded)} %"


# The document ---------------------------------------------------------------------------------


def _numbered_canvas(draw_total: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that keeps every page until the end, to write «página x de y» on each one
    without laying the document out twice (photos are drawn once)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Not Helvetica, even for the page's initial state: it would go in unembedded.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number_, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                draw_total(self, number_, total)
                super().showPage()
            super().save()

    return NumberedCanvas


class Document:
    """One report being written: its story, its warnings and the files it needs while building."""

    def __init__(
        self,
        letterhead: Letterhead,
        title: str,
        code: str,
        *,
        code_label: str,
        cancelled: Callable[[], bool] | None = None,
        generated: dt.datetime | None = None,
    ) -> None:
        register_fonts()
        self.letterhead = letterhead
        self.title = title
        self.code = code
        self.code_label = code_label
        self.cancelled = cancelled or (lambda: False)
        self.generated = generated or dt.datetime.now()
        self.styles = Styles()
        self.page_width, self.page_height = page_size(letterhead.paper)
        self.width = self.page_width - 2 * MARGIN  # the frame's width
        self.warnings: list[str] = []
        self._tmp = tempfile.TemporaryDirectory(prefix="fieldkit-informe-")
        self._photos = 0
        self._logo_size = (1, 1)
        self._logo = self._check_logo(letterhead.logo)

    def close(self) -> None:
        """Remove the downscaled photos (write() does it; call it when giving up before)."""
        self._tmp.cleanup()

    def check(self) -> None:
        if self.cancelled():
            raise Cancelled

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    # Building blocks --------------------------------------------------------------------------

    def para(self, value: object, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(text(value), style or self.styles.body)

    def heading(self, value: str) -> Paragraph:
        return Paragraph(text(value), self.styles.h1)

    def subheading(self, value: str) -> Paragraph:
        return Paragraph(text(value), self.styles.h2)

    def warning(self, value: str) -> Flowable:
        """A tinted box that says why something is flagged, inside the margins."""
        box = grid([[Paragraph(text(value), self.styles.warning)]], colWidths=[self.width])
        box.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), WARNING_FILL),
                    ("BOX", (0, 0), (-1, -1), 0.6, WARNING_TEXT),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                    ("LEFTPADDING", (0, 0), (-1, -1), 7),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                ]
            )
        )
        return KeepTogether([Spacer(1, 4), box, Spacer(1, 8)])

    def cell(self, value: object, align: str = "left") -> Flowable:
        if isinstance(value, Flowable):
            return value
        style = {
            "right": self.styles.cell_right,
            "center": self.styles.cell_center,
        }.get(align, self.styles.cell)
        return Paragraph(text(value), style)

    def fitted(self, value: str, width: float, right: bool = False) -> Paragraph:
        """A cell whose lines never break (a code, a date): the font shrinks to fit instead."""
        base = self.styles.cell_right if right else self.styles.cell
        widest = max(
            (pdfmetrics.stringWidth(line, FONT, base.fontSize) for line in value.split("\n")),
            default=0,
        )
        if widest <= width:
            return Paragraph(text(value), base)
        size = max(5.5, base.fontSize * width / widest)
        style = ParagraphStyle(
            f"{base.name}-{size:.2f}", parent=base, fontSize=size, leading=size * 1.25
        )
        return Paragraph(text(value), style)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths: Sequence[float],
        *,
        right: Iterable[int] = (),
        empty: str | None = None,
        highlight: Iterable[int] = (),
        nowrap: Iterable[int] = (),
    ) -> Flowable:
        """A table whose cells wrap; `widths` are fractions of the frame; `right` the columns
        aligned right (numbers); `nowrap` the columns whose lines (codes, dates) shrink to fit
        rather than break; the header repeats on each page; `highlight` rows are tinted as
        warnings."""
        if not rows:
            return self.para(empty or _("Sin registros."), self.styles.missing)
        right = set(right)
        nowrap = set(nowrap)
        data: list[list[Flowable]] = [
            [
                Paragraph(text(h), self.styles.head_right if i in right else self.styles.head)
                for i, h in enumerate(header)
            ]
        ]
        for row in rows:
            data.append(
                [
                    self.fitted(v, widths[i] * self.width - 8, i in right)
                    if i in nowrap and isinstance(v, str)
                    else self.cell(v, "right" if i in right else "left")
                    for i, v in enumerate(row)
                ]
            )
        table = grid(
            data,
            colWidths=[w * self.width for w in widths],
            repeatRows=1,
            splitInRow=1,  # a cell longer than a page goes on over the next one
            hAlign="LEFT",
        )
        commands: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (-1, 0), PRIMARY),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
            ("BOX", (0, 0), (-1, -1), 0.6, GRID),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
        for index in range(2, len(data), 2):
            commands.append(("BACKGROUND", (0, index), (-1, index), ZEBRA))
        for index in highlight:
            commands.append(("BACKGROUND", (0, index + 1), (-1, index + 1), WARNING_FILL))
        table.setStyle(TableStyle(commands))
        return table

    def fields(self, pairs: Sequence[tuple[str, object]], columns: int = 2) -> Flowable:
        """Label and value pairs, in `columns` pairs per row (an identification block)."""
        cells: list[list[Flowable]] = []
        row: list[Flowable] = []
        for label, value in pairs:
            row += [
                Paragraph(text(label), self.styles.label),
                value
                if isinstance(value, Flowable)
                else Paragraph(text(value or (DASH if label else "")), self.styles.value),
            ]
            if len(row) == 2 * columns:
                cells.append(row)
                row = []
        if row:
            row += [Paragraph("", self.styles.value)] * (2 * columns - len(row))
            cells.append(row)
        label_width = 0.18 if columns == 2 else 0.25
        value_width = 1 / columns - label_width
        table = grid(
            cells,
            colWidths=[w * self.width for w in [label_width, value_width] * columns],
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
                    ("BOX", (0, 0), (-1, -1), 0.6, GRID),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LEFTPADDING", (0, 0), (-1, -1), 5),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        return table

    def figures(self, figures: Sequence[tuple[str, str, str]]) -> Flowable:
        """Big figures side by side (label, value, detail): results achieved beside activities
        completed, never one alone."""
        cells = [
            [
                [
                    Paragraph(text(label), self.styles.label),
                    Paragraph(
                        f'<font size="17" color="#1F4E79"><b>{text(value)}</b></font>',
                        ParagraphStyle("fig", fontName=FONT, fontSize=17, leading=22),
                    ),
                    Paragraph(text(detail), self.styles.small),
                ]
                for label, value, detail in figures
            ]
        ]
        table = grid(cells, colWidths=[self.width / len(figures)] * len(figures), hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
                    ("BOX", (0, 0), (-1, -1), 0.6, GRID),
                    ("LINEAFTER", (0, 0), (-2, -1), 0.6, GRID),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        return table

    # Photos -----------------------------------------------------------------------------------

    def missing_photo(self, photo: Photo, width: float | None = None) -> Flowable:
        """A grey box where the photo would be, saying which one is missing."""
        line = Paragraph(
            text(_("(Foto no disponible: {name})", name=photo.name)), self.styles.missing_box
        )
        box = grid([[line]], colWidths=[width or self.width / 2], rowHeights=[2.2 * cm])
        box.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
                    ("BOX", (0, 0), (-1, -1), 0.5, GRID),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return box

    def photo(self, photo: Photo, max_width: float, max_height: float) -> Flowable:
        """The photo downscaled and fitted into the box, or the line saying it is missing (and
        a warning in the result)."""
        self.check()
        if photo.path is None:
            self.warn(
                _(
                    "No se encontró la foto {name}: falta en este equipo o está dañada (llegará "
                    "con el próximo paquete de quien la adjuntó).",
                    name=photo.name,
                )
            )
            return self.missing_photo(photo, max_width)
        self._photos += 1
        target = Path(self._tmp.name) / f"foto-{self._photos}.jpg"
        try:
            width, height = prepare(
                Path(photo.path), target, pixels_for(max(max_width, max_height))
            )
        except PhotoError:
            self.warn(
                _(
                    "No se pudo leer la foto {name}: el archivo está dañado o no es una imagen.",
                    name=photo.name,
                )
            )
            return self.missing_photo(photo, max_width)
        scale = min(max_width / width, max_height / height)
        return Image(str(target), width=width * scale, height=height * scale)

    def photo_grid(self, photos: Sequence[Photo], columns: int = 2) -> list[Flowable]:
        """Photos with their captions, `columns` per row."""
        gap = 0.4 * cm
        cell_width = (self.width - gap * (columns - 1)) / columns
        image_height = cell_width * 0.75
        rows: list[Flowable] = []
        for start in range(0, len(photos), columns):
            cells: list[list[Flowable]] = []
            for photo in photos[start : start + columns]:
                caption = photo.caption or photo.name
                if photo.source:
                    caption = f"{caption} · {photo.source}"
                cells.append(
                    [
                        self.photo(photo, cell_width - 8, image_height),
                        Spacer(1, 3),
                        Paragraph(text(caption), self.styles.caption),
                    ]
                )
            while len(cells) < columns:
                cells.append([Spacer(1, 1)])
            table = grid([cells], colWidths=[cell_width + gap / 2] * columns, hAlign="LEFT")
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 2),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                    ]
                )
            )
            rows.append(table)
        return rows

    # Header and footer ------------------------------------------------------------------------

    def _check_logo(self, logo: Path | None) -> Path | None:
        if logo is None:
            return None
        logo = Path(logo)
        target = Path(self._tmp.name) / "logo.png"
        try:
            from PIL import Image as PILImage

            with PILImage.open(logo) as image:
                image.load()
                if image.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = image.convert("RGBA")
                image.thumbnail((600, 600))
                image.save(target, "PNG")
                self._logo_size = image.size
        except FileNotFoundError:
            self.warn(
                _(
                    "No se encontró el logo {path}: elíjalo otra vez en la configuración de "
                    "informes.",
                    path=str(logo),
                )
            )
            return None
        except Exception:  # any decoding problem: the report goes out without the logo
            self.warn(_("No se pudo leer el logo {path}: no es una imagen válida.", path=str(logo)))
            return None
        return target

    def _header(self, canvas: Canvas, _doc: object) -> None:
        canvas.saveState()
        top = self.page_height - 1.0 * cm
        left = MARGIN
        x = left
        if self._logo is not None:
            width, height = self._logo_size
            draw_height = LOGO_HEIGHT
            draw_width = min(width * draw_height / height, 4.5 * cm)
            draw_height = height * draw_width / width
            canvas.drawImage(
                str(self._logo),
                left,
                top - draw_height,
                draw_width,
                draw_height,
                mask="auto",
            )
            x = left + draw_width + 0.35 * cm
        organization = self.letterhead.organization.strip()
        canvas.setFillColor(PRIMARY)
        if organization:
            canvas.setFont(FONT_BOLD, 10)
            canvas.drawString(x, top - 0.42 * cm, _fit(organization, FONT_BOLD, 10, self._room(x)))
            canvas.setFont(FONT, 8.5)
            canvas.setFillColor(MUTED)
            canvas.drawString(x, top - 0.9 * cm, _fit(self.title, FONT, 8.5, self._room(x)))
        else:
            canvas.setFont(FONT_BOLD, 10)
            canvas.drawString(x, top - 0.6 * cm, _fit(self.title, FONT_BOLD, 10, self._room(x)))
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(MUTED)
        first_line = top - (0.42 if organization else 0.6) * cm
        canvas.drawRightString(self.page_width - MARGIN, first_line, self.code)
        canvas.setStrokeColor(PRIMARY)
        canvas.setLineWidth(0.8)
        line_y = self.page_height - TOP + 0.35 * cm
        canvas.line(MARGIN, line_y, self.page_width - MARGIN, line_y)
        # The footer's fixed parts; «página x de y» is written when the total is known.
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, BOTTOM - 0.45 * cm, self.page_width - MARGIN, BOTTOM - 0.45 * cm)
        canvas.setFont(FONT, 7.8)
        canvas.setFillColor(MUTED)
        y = BOTTOM - 0.85 * cm
        canvas.drawString(MARGIN, y, f"{self.code_label}: {self.code}")
        canvas.drawRightString(
            self.page_width - MARGIN,
            y,
            _("Generado el {when}", when=format_datetime(self.generated)),
        )
        canvas.restoreState()

    def _room(self, x: float) -> float:
        code_width = pdfmetrics.stringWidth(self.code, FONT, 8.5)
        return self.page_width - MARGIN - x - code_width - 0.6 * cm

    def _page_number(self, canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.8)
        canvas.setFillColor(MUTED)
        canvas.drawCentredString(
            self.page_width / 2,
            BOTTOM - 0.85 * cm,
            _("página {page} de {pages}", page=page, pages=pages),
        )
        canvas.restoreState()

    # Writing ----------------------------------------------------------------------------------

    def write(self, story: list[Flowable], path: Path) -> Rendered:
        """Lay the story out into `path` (the caller renames it into place)."""
        self.check()
        document = _Template(
            str(path),
            self,
            pagesize=(self.page_width, self.page_height),
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=TOP,
            bottomMargin=BOTTOM,
            title=self.title,
            author=self.letterhead.organization or "fieldkit",
            subject=self.code,
            creator="fieldkit",
            lang="es-CO",
        )
        frame = Frame(
            MARGIN,
            BOTTOM,
            self.width,
            self.page_height - TOP - BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="contenido",
        )
        document.addPageTemplates([PageTemplate(id="pagina", frames=[frame], onPage=self._header)])
        try:
            document.build(story, canvasmaker=_numbered_canvas(self._page_number))
        finally:
            self.close()
        return Rendered(document.page, tuple(self.warnings))


class _Template(BaseDocTemplate):
    def __init__(self, filename: str, owner: Document, **kwargs: Any) -> None:
        self._owner = owner
        super().__init__(filename, pageCompression=1, **kwargs)

    def afterFlowable(self, flowable: Flowable) -> None:
        self._owner.check()


def _fit(value: str, font: str, size: float, width: float) -> str:
    """Shorten a header line with «…» so it never runs into the code on the right."""
    if pdfmetrics.stringWidth(value, font, size) <= width:
        return value
    while value and pdfmetrics.stringWidth(value + "…", font, size) > width:
        value = value[:-1]
    return value.rstrip() + "…"


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


def spacer(height: float = 6) -> Spacer:
    return Spacer(1, height)


class Bar(Flowable):
    """A horizontal bar for a 0–100 score (an area of the diagnostic)."""

    def __init__(self, value: float | None, width: float, height: float = 7) -> None:
        super().__init__()
        self.value = value
        self.width = width
        self.height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(LIGHT)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=1)
        if self.value is None:
            return
        share = max(0.0, min(100.0, float(self.value))) / 100
        canvas.setFillColor(WARNING_TEXT if self.value < 40 else PRIMARY)
        canvas.rect(0, 0, self.width * share, self.height, stroke=0, fill=1)
