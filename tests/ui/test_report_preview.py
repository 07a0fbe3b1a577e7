"""The report preview: a real report built in the background, shown page by page, saved, printed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFileDialog
from ui_helpers import Boxes, Team, closed, save_as, write_png

from fieldkit.domain.deliverables import KINDS
from fieldkit.services import deliverables, forms
from fieldkit.services.deliverables import DeliverableInput
from fieldkit.services.profile import Profile
from fieldkit.services.report_settings import set_report_settings
from fieldkit.ui.dialogs.report_preview import PdfViewer, page_range, print_document, show_report

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def write_pdf(path: Path, pages: int, size: tuple[float, float] | None = None) -> Path:
    """A PDF with ``pages`` numbered pages, as reportlab writes them."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen.canvas import Canvas

    width, height = size or letter
    canvas = Canvas(str(path), pagesize=(width, height))
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica-Bold", 28)
        canvas.drawString(72, height - 108, f"Página de prueba {number}")
        canvas.rect(36, 36, width - 72, height - 72)
        canvas.showPage()
    canvas.save()
    return path


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setFullPage(True)
    return printer


# The viewer alone, on a PDF made here ---------------------------------------------------------


def test_the_viewer_shows_every_page_and_zooms(qtbot: Any, tmp_path: Path) -> None:
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    viewer.resize(800, 700)
    viewer.show()
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow)  # the shortcuts belong to the active window
    assert viewer.pages_label.text() == "de 0"
    assert not viewer.zoom_in_button.isEnabled()

    viewer.load(write_pdf(tmp_path / "tres.pdf", 3))
    assert viewer.page_count == 3
    assert viewer.view.pageMode() == QPdfView.PageMode.MultiPage
    assert viewer.page_text() == "Página 1 de 3"
    assert viewer.pages_label.text() == "de 3"
    assert viewer.page.maximum() == 3
    assert viewer.fit_button.isChecked()  # a report opens fitting the width
    fitted = viewer.zoom()
    assert 0.5 < fitted < 1.5
    assert viewer.zoom_label.text() == f"{round(fitted * 100)} %"

    viewer.zoom_in()
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert viewer.zoom() > fitted
    assert not viewer.fit_button.isChecked()
    viewer.set_zoom(1.0)
    assert viewer.zoom_label.text() == "100 %"
    viewer.zoom_out()
    assert viewer.zoom() == pytest.approx(0.9)
    for _step in range(30):
        viewer.zoom_out()
    assert viewer.zoom() == pytest.approx(0.25)  # it stops at the smallest step
    QTest.keyClick(viewer.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert viewer.fit_button.isChecked()

    viewer.page.setValue(3)  # «Página [3] de 3» jumps there
    qtbot.waitUntil(lambda: viewer.current_page() == 2)
    assert viewer.page_text() == "Página 3 de 3"

    viewer.close_document()
    assert viewer.page_count == 0
    assert viewer.pages_label.text() == "de 0"


def test_the_keyboard_zooms_like_the_buttons(qtbot: Any, tmp_path: Path) -> None:
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    viewer.resize(800, 700)
    viewer.show()
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow)
    viewer.load(write_pdf(tmp_path / "una.pdf", 1))
    viewer.set_zoom(1.0)
    viewer.view.setFocus()
    QTest.keyClick(viewer.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert viewer.zoom() == pytest.approx(1.1)
    QTest.keyClick(viewer.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert viewer.zoom() == pytest.approx(1.25)
    QTest.keyClick(viewer.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert viewer.zoom() == pytest.approx(1.1)


def test_an_unreadable_file_is_a_message(qtbot: Any, tmp_path: Path) -> None:
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    broken = tmp_path / "roto.pdf"
    broken.write_bytes(b"%PDF-1.4 esto no es un PDF")
    with pytest.raises(OSError, match=r"No se pudo abrir el PDF .*roto\.pdf"):
        viewer.load(broken)
    assert viewer.page_count == 0


def test_printing_paints_every_page_on_the_sheet(qtbot: Any, tmp_path: Path) -> None:
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    viewer.load(write_pdf(tmp_path / "cuatro.pdf", 4))
    printer = pdf_printer(tmp_path / "impreso.pdf")
    assert print_document(viewer.document, printer) == 4
    printed = PdfReader(tmp_path / "impreso.pdf")
    assert len(printed.pages) == 4

    # «Páginas de 2 a 3» in the print dialog
    printer = pdf_printer(tmp_path / "dos.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert page_range(printer, 4) == range(1, 3)
    assert print_document(viewer.document, printer) == 2
    assert len(PdfReader(tmp_path / "dos.pdf").pages) == 2
    printer.setFromTo(3, 9)  # past the end: up to the last page
    assert page_range(printer, 4) == range(2, 4)


# The dialog, on real reports ------------------------------------------------------------------


def open_preview(qtbot: Any, wait_ops: Callable[[], None], *args: Any, **kw: Any) -> Any:
    dialog = show_report(None, *args, **kw)
    assert dialog.isVisible()
    assert not dialog.save_button.isEnabled()  # nothing to save until the PDF is there
    wait_ops()
    qtbot.waitUntil(lambda: not closed(dialog) and dialog.result is not None)
    return dialog


def test_a_municipal_sheet_is_previewed_saved_and_printed(
    coordinator: Profile,
    qtbot: Any,
    wait_ops: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
    boxes: Boxes,
    tmp_path: Path,
) -> None:
    dialog = open_preview(qtbot, wait_ops, coordinator, "municipality", "52835")
    assert dialog.windowTitle() == "Ficha municipal — vista previa"
    assert dialog.stack.currentWidget() is dialog.viewer
    assert dialog.result.pages == dialog.viewer.page_count == 1
    assert dialog.viewer.page_text() == "Página 1 de 1"
    assert dialog.feedback.text() == "1 página"
    assert dialog.warnings.isHidden()  # nothing to warn about
    assert dialog.viewer.document.pagePointSize(0).toSize().width() == 612  # carta
    assert dialog.path.parent.is_dir()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # Ctrl+S and Ctrl+P belong to the active window

    # Ctrl+S: the file dialog proposes the report's own name, and the copy is the same PDF.
    asked: list[tuple[Any, ...]] = []
    target = tmp_path / "entregar" / "ficha de Tumaco"
    target.parent.mkdir()

    def save_file(*args: Any, **kw: Any) -> tuple[str, str]:
        asked.append(args)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_file))
    QTest.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    [(_parent, caption, proposed, _filters)] = asked
    assert caption == "Guardar el informe como PDF"
    assert Path(proposed).name == "ficha-municipal-52835-san-andres-de-tumaco.pdf"
    saved = target.with_name("ficha de Tumaco.pdf")  # «.pdf» added
    assert dialog.feedback.text() == f"Guardado en {saved}"
    reader = PdfReader(saved)
    assert len(reader.pages) == 1
    assert "San Andrés de Tumaco" in reader.pages[0].extract_text()
    assert saved.read_bytes() == dialog.path.read_bytes()

    # The next save starts in the folder chosen last.
    save_as(monkeypatch, tmp_path / "otra.pdf")
    assert dialog.save_as() == tmp_path / "otra.pdf"

    # A folder that cannot be written: a message that says what to do.
    save_as(monkeypatch, tmp_path / "no-existe" / "ficha.pdf")
    assert dialog.save_as() is None
    [warning] = boxes.texts("warning")
    assert warning.startswith(f"No se pudo guardar {tmp_path / 'no-existe' / 'ficha.pdf'}")
    assert "Elija otra carpeta" in warning

    # Ctrl+P: the print dialog is accepted with «Imprimir a archivo (PDF)».
    printed = tmp_path / "impreso.pdf"
    seen: list[QPrinter] = []

    def accept(self: QPrintDialog) -> int:
        printer = self.printer()
        seen.append(printer)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    QTest.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    [printer] = seen
    assert printer.docName() == "Ficha municipal 52835"
    assert dialog.feedback.text() == "1 página enviada a la impresora."
    paper = PdfReader(printed).pages
    assert len(paper) == 1
    assert (round(float(paper[0].mediabox.width)), round(float(paper[0].mediabox.height))) == (
        612,
        792,
    )

    monkeypatch.setattr(QPrintDialog, "exec", lambda self: 0)  # «Cancelar» in the print dialog
    assert dialog.print_report() == 0

    folder = dialog.path.parent
    dialog.close()
    qtbot.waitUntil(lambda: closed(dialog))
    assert not folder.exists()  # the preview's temporary copy goes with it
    assert boxes.texts("exec") == []


def test_what_is_missing_from_a_report_is_said_above_it(
    populated: tuple[Profile, Team, list[str]],
    qtbot: Any,
    wait_ops: Callable[[], None],
    tmp_path: Path,
) -> None:
    profile, _team, codes = populated
    set_report_settings(profile, organization="Alcaldía de Tumaco", paper="a4")
    deliverable, _c = deliverables.create(
        profile, codes[0], DeliverableInput(kind=next(iter(KINDS)), title="Guía de contratación")
    )
    photo, _c = deliverables.add_file(
        profile, deliverable, write_png(tmp_path / "taller.png"), "Taller de planeación", "photo"
    )
    forms.attachment_path(profile, photo).unlink()  # the file never reached this computer

    dialog = open_preview(qtbot, wait_ops, profile, "assistance", codes[0], title="Informe AT")
    assert dialog.windowTitle() == "Informe AT — vista previa"
    assert dialog.warnings.isVisible()
    lines = dialog.warnings.text().split("\n")
    assert lines[0] == "⚠ El informe se preparó con una observación:"
    assert lines[1].startswith("• No se encontró la foto taller.png")
    assert dialog.viewer.document.pagePointSize(0).toSize().width() == 595  # A4
    assert dialog.suggested_name.startswith("informe-asistencia-AT-")
    assert dialog.save_button.isEnabled()
    dialog.resize(900, 860)
    qtbot.wait(50)
    dialog.grab().save(str(ARTIFACTS / "report_preview.png"))
    dialog.close()
    qtbot.waitUntil(lambda: closed(dialog))


def test_a_report_that_cannot_be_built_is_a_message(
    coordinator: Profile, qtbot: Any, wait_ops: Callable[[], None], boxes: Boxes
) -> None:
    dialog = show_report(None, coordinator, "municipality", "99999")
    wait_ops()
    qtbot.waitUntil(lambda: bool(boxes.texts("warning")))
    [warning] = boxes.texts("warning")
    assert "99999" in warning
    assert dialog.placeholder.text() == "No se pudo preparar el informe."
    assert dialog.stack.currentWidget() is dialog.placeholder
    assert not dialog.save_button.isEnabled()
    assert not dialog.print_action.isEnabled()
    assert dialog.save_as() is None
    assert dialog.print_report() == 0
    dialog.close()


def test_cancelling_or_closing_while_it_is_built_stops_quietly(
    coordinator: Profile, qtbot: Any, wait_ops: Callable[[], None], boxes: Boxes
) -> None:
    dialog = show_report(None, coordinator, "municipality", "52835")
    assert dialog.op is not None and dialog.op.progress is not None
    dialog.op.progress.cancel()  # «Cancelar» in the progress dialog
    wait_ops()
    qtbot.waitUntil(lambda: closed(dialog))
    assert boxes.calls == []

    dialog = show_report(None, coordinator, "municipality", "52835")
    folder = dialog.path.parent
    dialog.close()  # before the PDF is ready
    wait_ops()
    assert closed(dialog)
    assert not folder.exists()
    assert boxes.calls == []
