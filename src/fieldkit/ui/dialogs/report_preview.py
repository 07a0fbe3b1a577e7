"""Preview a report: build its PDF in the background, show it, then save a copy or print it.

The service writes the PDF (``fieldkit.services.reports``); this window only shows the file it
produced, so what is saved or printed is exactly what was previewed.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, QStandardPaths, Qt, QTemporaryDir
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import _, format_number, ngettext
from fieldkit.services.reports import KIND_LABELS
from fieldkit.ui.ops import Op, Progress
from fieldkit.ui.widgets.progress import WARNING_MARK, WARNING_STYLE

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile
    from fieldkit.services.reports import ReportResult

ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
# Pages reach the printer as images: 300 dpi reads as print; more only swells the spool file.
PRINT_DPI = 300
FILE_NAME = "informe.pdf"

_last_folder: Path | None = None  # where the person saved a report last, for the next one


def kind_title(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def pdf_filter() -> str:
    return _("Documentos PDF (*.pdf)") + ";;" + _("Todos los archivos (*)")


class Prepared(NamedTuple):
    result: ReportResult
    name: str  # the file name to suggest on «Guardar como PDF…»


def prepare(
    profile: Profile,
    kind: str,
    key: str,
    out: Path,
    *,
    deliverables: Sequence[str] = (),
    progress: Progress,
) -> Prepared:
    """Build the report into ``out`` (runs off the GUI thread; «Cancelar» stops it)."""
    from fieldkit.services import reports

    result = reports.build(
        profile,
        kind,
        key,
        out,
        deliverables=deliverables,
        cancelled=lambda: progress.cancelled,
    )
    return Prepared(result, reports.default_name(profile, kind, key))


def page_range(printer: QPrinter, count: int) -> range:
    """The pages (0-based) the print dialog asked for: all of them, or «de x a y»."""
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(count, printer.toPage() or count)
        return range(first - 1, last)
    return range(count)


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Paint the chosen pages of ``document`` onto ``printer``; returns how many were printed.

    Each page is rendered at the printer's resolution (at most ``PRINT_DPI``) and drawn over the
    whole sheet, keeping its proportions: the PDF already carries its margins.
    """
    pages = page_range(printer, document.pageCount())
    if not pages:
        return 0
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(_("La impresora no aceptó el trabajo."))
    try:
        dpi = min(printer.resolution(), PRINT_DPI)
        for position, number in enumerate(pages):
            if position:
                printer.newPage()
            sheet = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
            points = document.pagePointSize(number)
            image = document.render(
                number, QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            )
            scale = min(sheet.width() / points.width(), sheet.height() / points.height())
            size = QSizeF(points.width() * scale, points.height() * scale)
            target = QRectF(QPointF(0, 0), size)
            target.moveCenter(QRectF(QPointF(0, 0), sheet.size()).center())
            painter.drawImage(target, image)
    finally:
        painter.end()
    return len(pages)


class PdfViewer(QWidget):
    """A PDF on screen: every page one below the other, zoom, and «Página x de y»."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName(_("Vista previa del documento"))

        def tool(text: str, tip: str, slot: object) -> QToolButton:
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.setAutoRaise(False)
            button.clicked.connect(slot)
            return button

        zoom_in_keys = QKeySequence(QKeySequence.StandardKey.ZoomIn).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        zoom_out_keys = QKeySequence(QKeySequence.StandardKey.ZoomOut).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        self.zoom_out_button = tool(
            "−", _("Alejar ({keys})", keys=zoom_out_keys), lambda: self.zoom_out()
        )
        self.zoom_in_button = tool(
            "+", _("Acercar ({keys})", keys=zoom_in_keys), lambda: self.zoom_in()
        )
        self.fit_button = tool(
            _("Ajustar al &ancho"), _("Ajustar al ancho de la ventana"), lambda: self.fit_width()
        )
        self.fit_button.setCheckable(True)
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000 %"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page = QSpinBox(self)
        self.page.setRange(0, 0)
        self.page.setAccessibleName(_("Página"))
        self.page.setKeyboardTracking(False)
        self.page.valueChanged.connect(self._jump)
        self.pages_label = QLabel(self)
        page_prefix = QLabel(_("&Página"), self)
        page_prefix.setBuddy(self.page)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_label)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.fit_button)
        bar.addStretch(1)
        bar.addWidget(page_prefix)
        bar.addWidget(self.page)
        bar.addWidget(self.pages_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        def action(keys: Sequence[QKeySequence | str], slot: object) -> QAction:
            item = QAction(self)
            item.setShortcuts([QKeySequence(k) for k in keys])
            item.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            item.triggered.connect(slot)
            self.addAction(item)
            return item

        # Ctrl+= too: on many keyboards «+» needs Shift, and people press Ctrl and the key.
        zoom_in = QKeySequence(QKeySequence.StandardKey.ZoomIn)
        zoom_out = QKeySequence(QKeySequence.StandardKey.ZoomOut)
        self.zoom_in_action = action([zoom_in, "Ctrl+="], lambda: self.zoom_in())
        self.zoom_out_action = action([zoom_out], lambda: self.zoom_out())
        self.fit_action = action(["Ctrl+0"], lambda: self.fit_width())

        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        self.view.zoomFactorChanged.connect(lambda _f: self._show_zoom())
        self.view.zoomModeChanged.connect(lambda _m: self._show_zoom())
        self._show_pages()

    # Loading ---------------------------------------------------------------------------------

    def load(self, path: Path) -> None:
        """Show the PDF at ``path``; an unreadable file raises OSError with a message."""
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_:
            raise OSError(
                _(
                    "No se pudo abrir el PDF {path} ({error}).",
                    path=str(path),
                    error=error.name,
                )
            )
        self.fit_width()
        self._show_pages()

    def close_document(self) -> None:
        self.document.close()
        self._show_pages()

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        """0-based."""
        return self.view.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        if 0 <= page < self.page_count:
            self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())

    def _jump(self, number: int) -> None:
        if number - 1 != self.current_page():
            self.go_to(number - 1)

    def _page_changed(self, _page: int) -> None:
        self._show_pages()

    def _show_pages(self) -> None:
        count = self.page_count
        self.page.blockSignals(True)
        self.page.setRange(1 if count else 0, count)
        self.page.setValue(self.current_page() + 1 if count else 0)
        self.page.blockSignals(False)
        self.page.setEnabled(count > 1)
        self.pages_label.setText(_("de {count}", count=format_number(count)))
        for widget in (self.zoom_in_button, self.zoom_out_button, self.fit_button):
            widget.setEnabled(count > 0)
        self._show_zoom()

    def page_text(self) -> str:
        """«Página 2 de 5», as the bar reads."""
        return _(
            "Página {page} de {count}",
            page=format_number(self.page.value()),
            count=format_number(self.page_count),
        )

    # Zoom ------------------------------------------------------------------------------------

    def zoom(self) -> float:
        """The zoom on screen, also when the view fits the width (then it depends on the window)."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or not self.page_count:
            return self.view.zoomFactor()
        points = self.document.pagePointSize(max(self.current_page(), 0))
        screen = QGuiApplication.primaryScreen()
        dpi = screen.logicalDotsPerInch() if screen is not None else 96.0
        margins = self.view.documentMargins()
        width = self.view.viewport().width() - margins.left() - margins.right()
        return width / (points.width() * dpi / 72) if points.width() > 0 else 1.0

    def set_zoom(self, factor: float) -> None:
        factor = min(max(factor, ZOOM_STEPS[0]), ZOOM_STEPS[-1])
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)
        self._show_zoom()

    def zoom_in(self) -> None:
        current = self.zoom()
        self.set_zoom(next((z for z in ZOOM_STEPS if z > current * 1.01), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        current = self.zoom()
        smaller = [z for z in ZOOM_STEPS if z < current * 0.99]
        self.set_zoom(smaller[-1] if smaller else ZOOM_STEPS[0])

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._show_zoom()

    def _show_zoom(self) -> None:
        fitting = self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
        self.fit_button.setChecked(fitting)
        if not self.page_count:
            self.zoom_label.setText("")
            return
        self.zoom_label.setText(_("{percent} %", percent=format_number(round(self.zoom() * 100))))

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self._show_zoom()  # fitting the width: the percentage follows the window


class ReportPreviewDialog(QDialog):
    """Builds one report in the background and shows it; «Guardar como PDF…», «Imprimir…».

    ``kind`` and ``key`` are those of ``reports.build``; ``title`` replaces the kind's name in
    the window title.
    """

    def __init__(
        self,
        profile: Profile,
        kind: str,
        key: str,
        parent: QWidget | None = None,
        *,
        deliverables: Sequence[str] = (),
        title: str = "",
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.kind = kind
        self.key = key
        self.deliverables = tuple(deliverables)
        self.title = title or kind_title(kind)
        self.result: ReportResult | None = None
        self.suggested_name = f"{kind}-{key}.pdf" if key else f"{kind}.pdf"
        self.op: Op[Prepared] | None = None
        self.printer: QPrinter | None = None  # kept: the next print starts from these choices
        self._closed = False
        self._temp = QTemporaryDir()
        self.path = Path(self._temp.path()) / FILE_NAME
        self.setWindowTitle(_("{title} — vista previa", title=self.title))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.warnings = QLabel(self)
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings.setAccessibleName(_("Observaciones del informe"))
        self.warnings.hide()
        self.viewer = PdfViewer(self)
        self.placeholder = QLabel(_("Preparando el informe…"), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.viewer)

        self.feedback = QLabel(self)
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self._button(_("&Guardar como PDF…"), self.save_as)
        self.print_button = self._button(_("&Imprimir…"), self.print_report)
        self.close_button = self.buttons.addButton(
            _("&Cerrar"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.close_button.setAutoDefault(False)
        self.buttons.rejected.connect(self.reject)
        self.save_action = self._shortcut(QKeySequence.StandardKey.Save, self.save_as)
        self.print_action = self._shortcut(QKeySequence.StandardKey.Print, self.print_report)
        self.save_button.setToolTip(self._keys(self.save_action))
        self.print_button.setToolTip(self._keys(self.print_action))
        bottom = QHBoxLayout()
        bottom.addWidget(self.feedback, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.warnings)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)
        self._size_to_screen()
        self._set_ready(False)
        self.build()

    def _button(self, text: str, slot: object) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())  # type: ignore[operator]
        return button

    def _shortcut(self, key: QKeySequence.StandardKey, slot: object) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        self.addAction(action)
        return action

    @staticmethod
    def _keys(action: QAction) -> str:
        return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)

    def _size_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else None
        height = min(980, int(available.height() * 0.9)) if available is not None else 900
        width = min(900, int(available.width() * 0.9)) if available is not None else 900
        self.resize(width, height)

    def _set_ready(self, ready: bool) -> None:
        for widget in (self.save_button, self.print_button):
            widget.setEnabled(ready)
        for action in (self.save_action, self.print_action):
            action.setEnabled(ready)

    # Building --------------------------------------------------------------------------------

    def build(self) -> Op[Prepared]:
        self._set_ready(False)
        self.stack.setCurrentWidget(self.placeholder)
        self.placeholder.setText(_("Preparando el informe…"))
        self.op = (
            Op(
                self,
                prepare,
                self.profile,
                self.kind,
                self.key,
                self.path,
                deliverables=self.deliverables,
                label=_("Preparando «{title}»…", title=self.title),
            )
            .success(self.show_report)
            .failure(self._failed)
            .finally_(self._built)
            .run()
        )
        return self.op

    def show_report(self, prepared: Prepared) -> None:
        if self._closed:
            return
        self.result = prepared.result
        self.suggested_name = prepared.name or self.suggested_name
        try:
            self.viewer.load(prepared.result.path)
        except OSError as error:
            self.placeholder.setText(str(error))
            return
        self.stack.setCurrentWidget(self.viewer)
        self.show_warnings(prepared.result.warnings)
        self.feedback.setText(
            ngettext(
                "{count} página",
                "{count} páginas",
                self.viewer.page_count,
                count=format_number(self.viewer.page_count),
            )
        )
        self._set_ready(True)

    def show_warnings(self, warnings: Sequence[str]) -> None:
        if not warnings:
            self.warnings.hide()
            return
        header = ngettext(
            "{mark} El informe se preparó con una observación:",
            "{mark} El informe se preparó con {count} observaciones:",
            len(warnings),
            mark=WARNING_MARK,
            count=format_number(len(warnings)),
        )
        self.warnings.setText("\n".join([header, *(f"• {w}" for w in warnings)]))
        self.warnings.show()

    def _failed(self, error: BaseException) -> bool:
        self.placeholder.setText(_("No se pudo preparar el informe."))
        return False  # ops shows the message: what happened and what to do

    def _built(self) -> None:
        op = self.op
        if (
            op is not None
            and op.progress is not None
            and op.progress.cancelled
            and not self._closed
        ):
            self.reject()  # «Cancelar» while it was being prepared: nothing to preview

    # Save and print --------------------------------------------------------------------------

    def save_as(self) -> Path | None:
        """Copy the previewed PDF where the person chooses; returns where it went."""
        global _last_folder
        if self.result is None:
            return None
        folder = _last_folder or Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Guardar el informe como PDF"), str(folder / self.suggested_name), pdf_filter()
        )
        if not chosen:
            return None
        target = Path(chosen)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            shutil.copyfile(self.path, target)
        except OSError as error:
            QMessageBox.warning(
                self,
                _("fieldkit"),
                _(
                    "No se pudo guardar {path}: {error}. Elija otra carpeta, o cierre el archivo "
                    "si está abierto en otro programa, y vuelva a intentarlo.",
                    path=str(target),
                    error=error.strerror or str(error),
                ),
            )
            return None
        _last_folder = target.parent
        self.feedback.setText(_("Guardado en {path}", path=str(target)))
        return target

    def make_printer(self) -> QPrinter:
        if self.printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setDocName(f"{self.title} {self.key}".strip())
            printer.setFullPage(True)  # the PDF carries its margins
            self.printer = printer
        if self.viewer.page_count:
            points = self.viewer.document.pagePointSize(0)
            self.printer.setPageSize(
                QPageSize(points, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
            )
        return self.printer

    def print_report(self) -> int:
        """Ask for the printer and pages, then print; returns how many pages were sent."""
        if self.result is None or not self.viewer.page_count:
            return 0
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Imprimir «{title}»", title=self.title))
        dialog.setMinMax(1, self.viewer.page_count)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            printed = print_document(self.viewer.document, printer)
        except OSError as error:
            QGuiApplication.restoreOverrideCursor()
            QMessageBox.warning(
                self,
                _("fieldkit"),
                _(
                    "No se pudo imprimir: {error} Revise que la impresora esté encendida y "
                    "conectada, o guarde el informe como PDF e imprímalo desde otro programa.",
                    error=str(error),
                ),
            )
            return 0
        QGuiApplication.restoreOverrideCursor()
        self.feedback.setText(
            ngettext(
                "{count} página enviada a la impresora.",
                "{count} páginas enviadas a la impresora.",
                printed,
                count=format_number(printed),
            )
        )
        return printed

    # Closing ---------------------------------------------------------------------------------

    def done(self, code: int) -> None:
        if not self._closed:
            self._closed = True
            if self.op is not None and not self.op.done and self.op.progress is not None:
                self.op.progress.cancel()  # the build stops; its files go with the folder
            self.viewer.close_document()
            self._temp.remove()
        super().done(code)


def show_report(
    parent: QWidget | None, profile: Profile, kind: str, key: str, **options: object
) -> ReportPreviewDialog:
    """Open the preview of one report beside the window (non-modal; it deletes itself)."""
    dialog = ReportPreviewDialog(profile, kind, key, parent, **options)  # type: ignore[arg-type]
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
