"""XLSForm fillings through the GUI: the visit log with its attendance list, the diagnostic, and
the assistance's «Diagnóstico y visitas» tab. Real profiles, real widgets, real files."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QMessageBox, QWidget
from ui_helpers import Boxes, Team, closed, key_clicks, open_window, write_png

from fieldkit.services import forms
from fieldkit.services.profile import Profile
from fieldkit.ui.dialogs.submission import SubmissionDialog
from fieldkit.ui.forms import FormWidget, QuestionItem
from fieldkit.ui.forms.editors import (
    AttachmentEditor,
    SelectMultipleEditor,
    SelectOneEditor,
    TemporalEditor,
    TextEditor,
)
from fieldkit.ui.main_window import ASSISTANCES, MainWindow
from fieldkit.ui.views.assistances import FillingsPanel

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
LEFT = Qt.MouseButton.LeftButton


def screenshot(widget: QWidget, name: str) -> Path:
    QTest.qWait(50)  # pending layouts run, as before a paint
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


# Filling helpers: what a person does with the mouse and the keyboard ------------------------


def click(qtbot: Any, button: QWidget) -> None:
    """Click a radio button or check box on its indicator (where a person clicks)."""
    qtbot.mouseClick(button, LEFT, pos=QPoint(8, button.height() // 2))


def type_text(qtbot: Any, item: QuestionItem, text: str) -> None:
    """Select what the field holds, type ``text`` and leave it (Enter gives a line's answer)."""
    editor = item.editor
    assert isinstance(editor, TextEditor)
    field = editor.edit
    if isinstance(field, QLineEdit):
        field.selectAll()
        QTest.keyClick(field, Qt.Key.Key_Backspace)
        key_clicks(field, text)
        QTest.keyClick(field, Qt.Key.Key_Return)
    else:
        field.selectAll()
        QTest.keyClick(field, Qt.Key.Key_Backspace)
        key_clicks(field, text)
        editor.commit()  # what leaving the box does


def choose(qtbot: Any, item: QuestionItem, name: str) -> None:
    """Click an option (radio button), or pick it in the drop-down with the arrow keys."""
    editor = item.editor
    assert isinstance(editor, SelectOneEditor), item.name
    if editor.combo is None:
        click(qtbot, editor.button(name))
        return
    combo = editor.combo
    target = combo.findData(name)
    assert target >= 0, name
    while combo.currentIndex() != target:
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        QTest.keyClick(combo, key)


def tick(qtbot: Any, item: QuestionItem, *names: str) -> None:
    editor = item.editor
    assert isinstance(editor, SelectMultipleEditor)
    for name in names:
        click(qtbot, editor.box(name))


def answer_time(qtbot: Any, item: QuestionItem, value: dt.time | dt.date) -> None:
    """Untick «Sin respuesta», then set the time or date in the field."""
    editor = item.editor
    assert isinstance(editor, TemporalEditor)
    if editor.empty.isChecked():
        click(qtbot, editor.empty)
    if isinstance(value, dt.time):
        editor.edit.setTime(value)
    else:
        editor.edit.setDate(value)


def add_row(qtbot: Any, form: FormWidget, repeat: str) -> None:
    qtbot.mouseClick(form.repeat(repeat).add_button, LEFT)


def in_view(dialog: SubmissionDialog, widget: QWidget) -> bool:
    """Whether ``widget`` is inside the visible part of the dialog's scrolled form."""
    top = widget.mapTo(dialog.form, QPoint(0, 0)).y()
    first = dialog.scroll.verticalScrollBar().value()
    return first <= top and top + widget.height() <= first + dialog.scroll.viewport().height()


def shown(form: FormWidget, name: str, row: tuple[int, ...] = ()) -> bool:
    return form.question(name, row).isVisibleTo(form)


# Fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def assistance_tab(
    populated: tuple[Profile, Team, list[str]], qtbot: Any, wait_ops: Callable[[], None]
) -> Iterator[tuple[MainWindow, FillingsPanel, str]]:
    """The main window at 1280×800 on the Tumaco peace assistance, its fillings tab open."""
    profile, _team, codes = populated
    win = open_window(profile, qtbot, wait_ops)
    win.resize(1280, 800)
    win.nav.setCurrentRow(ASSISTANCES)
    view = win.assistances_view()
    qtbot.waitUntil(lambda: view.model.rowCount() == len(codes))
    assert view.select(codes[0])
    panel = view.details.fillings
    view.details.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.loaded and panel.visit_button.isEnabled())
    yield win, panel, codes[0]
    wait_ops()


def new_visit(qtbot: Any, panel: FillingsPanel, wait_ops: Callable[[], None]) -> SubmissionDialog:
    qtbot.mouseClick(panel.visit_button, LEFT)
    qtbot.waitUntil(lambda: isinstance(panel.last_dialog, SubmissionDialog))
    wait_ops()
    dialog = panel.last_dialog
    assert isinstance(dialog, SubmissionDialog)
    return dialog


def open_selected(qtbot: Any, panel: FillingsPanel, row: int = 0) -> SubmissionDialog:
    panel.table.selectRow(row)
    panel.last_dialog = None
    qtbot.mouseClick(panel.open_button, LEFT)
    qtbot.waitUntil(lambda: isinstance(panel.last_dialog, SubmissionDialog))
    dialog = panel.last_dialog
    assert isinstance(dialog, SubmissionDialog)
    return dialog


# The visit log --------------------------------------------------------------------------------


def test_visit_log_relevance_constraints_and_attendance_rows(
    assistance_tab: tuple[MainWindow, FillingsPanel, str],
    qtbot: Any,
    boxes: Boxes,
    wait_ops: Callable[[], None],
) -> None:
    _win, panel, _code = assistance_tab
    dialog = new_visit(qtbot, panel, wait_ops)
    form = dialog.form
    state = form.state
    assert state.form.form_id == "bitacora_visita"
    # The form's default (today) was the first answer; the time has no answer and shows none.
    assert state.value("fecha") == dt.date.today()
    start = form.question("hora_inicio").editor
    assert isinstance(start, TemporalEditor)
    assert start.empty.isChecked() and not start.edit.isEnabled()
    assert state.value("hora_inicio") is None

    # or_other: «Otro» shows the «Especifique cuál» question, another place hides it again.
    assert not shown(form, "lugar_other")
    choose(qtbot, form.question("lugar"), "other")
    assert shown(form, "lugar_other")
    type_text(qtbot, form.question("lugar_other"), "Casa de la cultura")
    assert state.value("lugar_other") == "Casa de la cultura"
    choose(qtbot, form.question("lugar"), "alcaldia")
    assert not shown(form, "lugar_other")
    assert state.value("lugar_other") is None

    # Two attendance rows, numbered.
    add_row(qtbot, form, "asistentes")
    add_row(qtbot, form, "asistentes")
    rows = form.repeat("asistentes")
    assert state.repeat_count("asistentes") == 2
    assert [rows.rows[r].title.text() for r in rows.order] == ["Asistente 1", "Asistente 2"]
    # A new row's fields come before «Agregar fila» in the Tab order.
    last = form.question("cargo", (2,)).editor
    assert last is not None
    assert last.focus_widget().nextInFocusChain() is rows.add_button

    # Without consent the person's fields are hidden (and emptied), and the form says why.
    first = (1,)
    choose(qtbot, form.question("consentimiento", first), "si")
    assert shown(form, "nombre", first)
    type_text(qtbot, form.question("nombre", first), "Luz Dary Angulo")
    assert state.value("nombre", first) == "Luz Dary Angulo"
    choose(qtbot, form.question("consentimiento", first), "no")
    assert not shown(form, "nombre", first)
    assert not shown(form, "sexo", first)
    assert state.value("nombre", first) is None
    consent_error = form.question("consentimiento", first).error
    assert consent_error.isVisibleTo(form)
    assert "Sin autorización no se registran los datos" in consent_error.text()
    choose(qtbot, form.question("consentimiento", first), "si")
    assert shown(form, "nombre", first)
    assert not consent_error.isVisibleTo(form)
    name_editor = form.question("nombre", first).editor
    assert isinstance(name_editor, TextEditor) and name_editor.text() == ""

    # A bad ID number: the form's message appears under the question as soon as it is given.
    assert not shown(form, "num_doc", first)
    choose(qtbot, form.question("tipo_doc", first), "cc")
    assert shown(form, "num_doc", first)
    type_text(qtbot, form.question("num_doc", first), "12.345.678")
    number = form.question("num_doc", first)
    assert number.error.isVisibleTo(form)
    assert "Escriba solo los dígitos" in number.error.text()
    assert state.key("num_doc", first) in form.errors()
    type_text(qtbot, number, "12345678")
    assert not number.error.isVisibleTo(form)
    assert form.errors() == {}

    # Remove the second row (after confirming); the first keeps its answers and its number.
    boxes.answer = QMessageBox.StandardButton.No
    second = rows.rows[rows.order[1]]
    qtbot.mouseClick(second.remove_button, LEFT)
    assert state.repeat_count("asistentes") == 2  # not confirmed
    boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(second.remove_button, LEFT)
    assert "Asistente 2" in boxes.texts("question")[-1]
    assert state.repeat_count("asistentes") == 1
    assert [rows.rows[r].title.text() for r in rows.order] == ["Asistente 1"]
    assert state.value("num_doc", first) == "12345678"

    boxes.answer = QMessageBox.StandardButton.Discard
    qtbot.mouseClick(dialog.close_button, LEFT)
    qtbot.waitUntil(lambda: closed(dialog))


def fill_session(qtbot: Any, form: FormWidget) -> None:
    """The required answers of the visit log's first two sections."""
    answer_time(qtbot, form.question("hora_inicio"), dt.time(9, 0))
    answer_time(qtbot, form.question("hora_fin"), dt.time(12, 30))
    choose(qtbot, form.question("modalidad"), "presencial")
    choose(qtbot, form.question("lugar"), "alcaldia")
    choose(qtbot, form.question("etapa"), "diagnostico")
    tick(qtbot, form.question("proposito"), "aplicar_instrumento", "priorizar")
    type_text(
        qtbot,
        form.question("acta"),
        "Se aplicó el instrumento de diagnóstico con las secretarías de Planeación y Hacienda.",
    )


def fill_attendee(qtbot: Any, form: FormWidget, row: tuple[int, ...], name: str, sex: str) -> None:
    choose(qtbot, form.question("consentimiento", row), "si")
    type_text(qtbot, form.question("nombre", row), name)
    choose(qtbot, form.question("sexo", row), sex)
    choose(qtbot, form.question("etnia", row), "negro")
    choose(qtbot, form.question("victima", row), "no")
    choose(qtbot, form.question("discapacidad", row), "no")
    type_text(qtbot, form.question("entidad", row), "Alcaldía de San Andrés de Tumaco")
    type_text(qtbot, form.question("cargo", row), "Secretaria de Planeación")


def test_visit_log_required_answers_attachment_save_reopen_and_complete(
    assistance_tab: tuple[MainWindow, FillingsPanel, str],
    qtbot: Any,
    boxes: Boxes,
    wait_ops: Callable[[], None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    win, panel, _code = assistance_tab
    profile = panel.profile
    dialog = new_visit(qtbot, panel, wait_ops)
    form = dialog.form

    # Required answers block completion: the service's reasons show, the list names them.
    qtbot.mouseClick(dialog.complete_button, LEFT)
    wait_ops()
    assert dialog.error.isVisible()
    assert "No se puede completar" in dialog.error.text()
    assert dialog.row.status == "draft"
    missing = [dialog.missing.item(i).text() for i in range(dialog.missing.count())]
    assert "Hora de inicio" in missing and "Modalidad" in missing
    assert dialog.missing_label.text().startswith("Faltan ")
    # Clicking an entry brings its question into view; it is marked inline too.
    start = form.question("hora_inicio")
    assert "obligatoria" in start.error.text()
    entry = dialog.missing.item(missing.index("Modalidad"))
    qtbot.mouseClick(
        dialog.missing.viewport(), LEFT, pos=dialog.missing.visualItemRect(entry).center()
    )
    assert in_view(dialog, form.question("modalidad"))

    fill_session(qtbot, form)
    assert not start.error.isVisibleTo(form)
    add_row(qtbot, form, "asistentes")
    fill_attendee(qtbot, form, (1,), "Luz Dary Angulo", "mujer")
    add_row(qtbot, form, "asistentes")
    fill_attendee(qtbot, form, (2,), "Wilmer Castillo", "hombre")
    assert dialog.missing_label.text() == "No faltan respuestas obligatorias"

    # A photo of the paper attendance list, stored in the attachment store.
    boxes.open_file = str(write_png(tmp_path / "lista-de-asistencia.png"))
    photo = form.question("foto")
    editor = photo.editor
    assert isinstance(editor, AttachmentEditor)
    qtbot.mouseClick(editor.attach_button, LEFT)
    qtbot.waitUntil(lambda: editor.info is not None)
    assert editor.info.file_name == "lista-de-asistencia.png"
    assert editor.thumbnail.isVisibleTo(form) and not editor.thumbnail.pixmap().isNull()
    attachment_id = form.state.value("foto")
    assert forms.attachment(profile, attachment_id).file_name == "lista-de-asistencia.png"
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices,
        "openUrl",
        staticmethod(lambda url: opened.append(url.toLocalFile()) or True),
    )
    qtbot.mouseClick(editor.open_button, LEFT)
    qtbot.waitUntil(lambda: bool(opened))
    assert Path(opened[0]).name == "lista-de-asistencia.png"
    assert Path(opened[0]).read_bytes() == (tmp_path / "lista-de-asistencia.png").read_bytes()
    assert not dialog.error.isVisible()

    # The section list jumps to «Lista de asistencia».
    dialog.resize(1280, 800)
    QTest.qWait(20)
    entry = dialog.sections.item(2)
    assert entry.text() == "Lista de asistencia"
    qtbot.mouseClick(
        dialog.sections.viewport(), LEFT, pos=dialog.sections.visualItemRect(entry).center()
    )
    section = entry.data(Qt.ItemDataRole.UserRole)
    assert dialog.scroll.verticalScrollBar().value() == max(section.y() - 8, 0)
    screenshot(dialog, "30-bitacora-visita")

    # Save the draft, close, reopen from the list: the answers and the photo come back.
    qtbot.mouseClick(dialog.save_button, LEFT)
    wait_ops()
    assert not dialog.dirty()
    saved = form.state.answers()
    assert forms.stored_answers(profile, dialog.row.id) == saved
    qtbot.mouseClick(dialog.close_button, LEFT)
    qtbot.waitUntil(lambda: closed(dialog))
    assert boxes.texts("question") == []  # nothing unsaved: no question

    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert panel.model.rows[0].attendees == 2
    dialog = open_selected(qtbot, panel)
    form = dialog.form
    assert form.state.answers() == saved
    assert form.state.value("nombre", (2,)) == "Wilmer Castillo"
    name = form.question("nombre", (2,)).editor
    assert isinstance(name, TextEditor) and name.text() == "Wilmer Castillo"
    editor = form.question("foto").editor
    assert isinstance(editor, AttachmentEditor)
    qtbot.waitUntil(lambda: editor.info is not None)
    assert editor.info.file_name == "lista-de-asistencia.png"
    assert not editor.thumbnail.pixmap().isNull()

    # Complete: read-only until reopened.
    qtbot.mouseClick(dialog.complete_button, LEFT)
    wait_ops()
    assert dialog.row.status == "complete", dialog.error.text()
    assert forms.get_submission(profile, dialog.row.id).status == "complete"
    assert dialog.reopen_button.isVisible() and not dialog.save_button.isVisible()
    assert form.read_only and not form.repeat("asistentes").add_button.isVisible()
    qtbot.mouseClick(dialog.close_button, LEFT)
    qtbot.waitUntil(lambda: closed(dialog))

    # The tab lists the visit, complete, and adds up its attendance.
    qtbot.waitUntil(lambda: panel.model.rows and panel.model.rows[0].status == "complete")
    row = panel.model.rows[0]
    assert row.kind == "visit" and row.place == "Sede de la alcaldía" and row.attendees == 2
    assert panel.model.data(panel.model.index(0, 2)) == "Completo"
    today = dt.date.today().strftime("%d/%m/%Y")
    assert panel.model.data(panel.model.index(0, 3))  # started (a UTC stamp, shown as a date)
    assert panel.model.data(panel.model.index(0, 4)) == today  # the visit's date
    totals = panel.attendance.text()
    for expected in ("Mujer&nbsp;<b>1</b>", "Hombre&nbsp;<b>1</b>", "/ afrocolombiano(a)"):
        assert expected in totals
    assert win.assistances_view().details.tabs.tabText(1) == "Diagnóstico y visitas (1)"
    # A diagnostic started on another day sits next to the visit.
    forms.start(profile, panel.assistance.id, "diagnostico_capacidad_institucional")  # type: ignore[union-attr]
    panel.reload()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert {r.kind for r in panel.model.rows} == {"visit", "diagnostic"}
    panel.table.selectRow(0)
    screenshot(win, "32-asistencia-diagnostico-y-visitas")

    # Reopen it: editable again.
    dialog = open_selected(qtbot, panel)
    qtbot.mouseClick(dialog.reopen_button, LEFT)
    wait_ops()
    assert dialog.row.status == "draft" and not dialog.form.read_only
    assert dialog.save_button.isVisible()
    qtbot.mouseClick(dialog.close_button, LEFT)
    qtbot.waitUntil(lambda: closed(dialog))


# The diagnostic -------------------------------------------------------------------------------


def test_diagnostic_opens_quickly_takes_decimal_commas_and_switches_to_english(
    assistance_tab: tuple[MainWindow, FillingsPanel, str],
    qtbot: Any,
    wait_ops: Callable[[], None],
) -> None:
    _win, panel, _code = assistance_tab
    # «Nuevo diagnóstico…» offers the general diagnostic and the module of the line (peace).
    qtbot.mouseClick(panel.diagnostic_button, LEFT)
    menu = panel.diagnostic_menu
    qtbot.waitUntil(menu.isVisible)
    offered = [action.data() for action in menu.actions()]
    assert offered == ["diagnostico_capacidad_institucional", "modulo_consolidacion_paz"]
    started = time.perf_counter()
    menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: isinstance(panel.last_dialog, SubmissionDialog))
    dialog = panel.last_dialog
    assert isinstance(dialog, SubmissionDialog)
    qtbot.waitUntil(dialog.isVisible)
    elapsed = time.perf_counter() - started
    print(
        f"\ndiagnóstico: creado y abierto en {elapsed:.2f} s (cargar {dialog.load_seconds:.2f} s, "
        f"construir {dialog.build_seconds:.2f} s, {len(dialog.form.state.form.elements)} elementos)"
    )
    wait_ops()
    form = dialog.form
    state = form.state
    assert state.form.form_id == "diagnostico_capacidad_institucional"
    assert dialog.sections.count() == 11
    assert dialog.sections.item(1).text() == "Planeación y plan de desarrollo"

    # Decimal comma, integer constraint, relevance inside a section, select_multiple or_other.
    type_text(qtbot, form.question("gf_icld"), "45,5")
    assert state.value("gf_icld") == 45.5
    assert form.question("gf_icld").editor.edit.text() == "45,5"  # type: ignore[union-attr]
    assert form.question("limite_617_nota").isVisibleTo(form)
    type_text(qtbot, form.question("n_informantes"), "0")
    assert "Escriba un número entre 1 y 200." in form.question("n_informantes").error.text()
    type_text(qtbot, form.question("n_informantes"), "7")
    assert form.errors() == {}
    assert not shown(form, "pdt_fecha")
    choose(qtbot, form.question("pdt"), "3")
    assert shown(form, "pdt_fecha")
    assert "Puntaje del área (Planeación y plan de desarrollo): 20 / 100" in (
        form.question("planeacion_res").label.text()
    )
    tick(qtbot, form.question("dependencias"), "other")
    assert shown(form, "dependencias_other")
    geo = form.question("ubicacion").editor
    for field, text in zip(geo.fields[:2], ("1,80", "-78,76"), strict=True):  # type: ignore[union-attr]
        field.setFocus()
        key_clicks(field, text)
        QTest.keyClick(field, Qt.Key.Key_Return)
    assert state.value("ubicacion") == "1.80 -78.76"
    geo.fields[0].selectAll()  # type: ignore[union-attr]
    key_clicks(geo.fields[0], "91")  # type: ignore[union-attr]
    QTest.keyClick(geo.fields[0], Qt.Key.Key_Return)  # type: ignore[union-attr]
    assert "latitud 91" in form.question("ubicacion").error.text()

    # Switching the form to English re-labels in place: the same widgets, new texts.
    item = form.question("pdt")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert form.question("pdt") is item
    assert "Territorial Development Plan" in item.label.text()
    assert item.editor.button("3").text() == "Exists and is used"  # type: ignore[union-attr]
    assert dialog.sections.item(1).text() == "Planning and the development plan"
    assert "Area score (Planning and the development plan): 20 / 100" in (
        form.question("planeacion_res").label.text()
    )
    # The form's own messages follow the form's language; fieldkit's, the application's.
    type_text(qtbot, form.question("n_informantes"), "500")
    assert form.question("n_informantes").error.text() == "Enter a number between 1 and 200."
    assert "latitud 91" in form.question("ubicacion").error.text()
    dialog.resize(1280, 800)
    dialog.language.setCurrentIndex(dialog.language.findData("es"))
    form.scroll_to(state.key("pdt"))
    screenshot(dialog, "31-diagnostico")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    screenshot(dialog, "31b-diagnostico-en")

    qtbot.mouseClick(dialog.save_button, LEFT)
    wait_ops()
    stored = forms.stored_answers(panel.profile, dialog.row.id)
    assert stored["gf_icld"] == 45.5
    assert stored["n_informantes"] == 500  # a draft keeps what was typed, even out of range
    qtbot.mouseClick(dialog.close_button, LEFT)
    qtbot.waitUntil(lambda: closed(dialog))


def test_closing_asks_before_losing_answers(
    assistance_tab: tuple[MainWindow, FillingsPanel, str],
    qtbot: Any,
    boxes: Boxes,
    wait_ops: Callable[[], None],
) -> None:
    _win, panel, code = assistance_tab
    dialog = new_visit(qtbot, panel, wait_ops)
    sid = dialog.row.id
    choose(qtbot, dialog.form.question("modalidad"), "virtual")
    assert dialog.dirty() and dialog.saved_label.text() == "Cambios sin guardar"

    boxes.answer = QMessageBox.StandardButton.Cancel  # stay
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert "¿Guardarlas como borrador?" in boxes.texts("question")[-1]

    boxes.answer = QMessageBox.StandardButton.Save  # save, then close
    qtbot.mouseClick(dialog.close_button, LEFT)
    qtbot.waitUntil(lambda: closed(dialog))
    assert forms.stored_answers(panel.profile, sid)["modalidad"] == "virtual"

    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    dialog = open_selected(qtbot, panel)
    assert dialog.form.state.value("modalidad") == "virtual"
    choose(qtbot, dialog.form.question("modalidad"), "presencial")
    boxes.answer = QMessageBox.StandardButton.Discard  # close without saving
    dialog.close()
    qtbot.waitUntil(lambda: closed(dialog))
    assert forms.stored_answers(panel.profile, sid)["modalidad"] == "virtual"

    # Removing the filling asks first.
    panel.table.selectRow(0)
    boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(panel.remove_button, LEFT)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)
    assert "con todas sus respuestas" in boxes.texts("question")[-1]
    assert forms.list_submissions(panel.profile, code) == []


# Every type, every shipped instrument ---------------------------------------------------------

ES, EN = "label::Español (es)", "label::English (en)"
SURVEY = [
    [
        "type",
        "name",
        ES,
        EN,
        "hint::Español (es)",
        "required",
        "constraint",
        "constraint_message::Español (es)",
        "appearance",
        "calculation",
        "read_only",
        "default",
        "relevant",
    ],
    ["begin group", "uno", "Sección uno", "Section one"],
    ["text", "nombre", "Nombre", "Name", "Nombre completo", "yes"],
    ["text", "notas", "Notas", "Notes", "", "", "", "", "multiline"],
    ["integer", "edad", "Edad", "Age", "", "", ". >= 0 and . < 120", "Entre 0 y 119 años."],
    ["decimal", "monto", "Monto", "Amount"],
    ["select_one si_no", "acepta", "¿Acepta?", "Accepts?"],
    ["select_one escala", "escala", "Satisfacción", "Satisfaction", "", "", "", "", "likert"],
    ["select_one municipios", "municipio", "Municipio", "Municipality", "", "", "", "", "minimal"],
    ["select_multiple temas or_other", "temas", "Temas", "Topics"],
    ["begin group", "dos", "Subsección", "Subsection"],
    ["date", "fecha", "Fecha", "Date"],
    ["time", "hora", "Hora", "Time"],
    ["datetime", "momento", "Momento", "Moment"],
    ["geopoint", "punto", "Punto", "Point"],
    ["note", "saludo", "Hola ${nombre}", "Hello ${nombre}"],
    ["calculate", "doble", "Doble de la edad", "Twice the age", "", "", "", "", "", "${edad} * 2"],
    ["text", "fijo", "Fijo", "Fixed", "", "", "", "", "", "", "yes", "valor fijo"],
    ["end group"],
    ["file", "soporte", "Soporte", "Support"],
    ["acknowledge", "ok", "Entendido", "Understood"],
    ["end group"],
    [
        "begin repeat",
        "hogares",
        "Hogar",
        "Household",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "${acepta} = 'si'",
    ],
    ["text", "jefe", "Jefe del hogar", "Head of household"],
    ["begin repeat", "personas", "Persona", "Person"],
    ["integer", "edad_p", "Edad de la persona", "Age of the person"],
    ["end repeat"],
    ["end repeat"],
]
CHOICES = [
    ["list_name", "name", ES, EN],
    ["si_no", "si", "Sí", "Yes"],
    ["si_no", "no", "No", "No"],
    *[["escala", str(n), str(n), str(n)] for n in range(1, 6)],
    ["municipios", "52835", "Tumaco", "Tumaco"],
    ["municipios", "27001", "Quibdó", "Quibdó"],
    ["temas", "agua", "Agua", "Water"],
    ["temas", "vias", "Vías", "Roads"],
]
SETTINGS = [["form_id", "version", "form_title", "default_language"],
            ["todos_los_tipos", "1", "Todos los tipos", "Español (es)"]]  # fmt: skip


def write_form(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheets = [book.active, book.create_sheet("choices"), book.create_sheet("settings")]
    for sheet, title, rows in zip(
        sheets, ("survey", "choices", "settings"), (SURVEY, CHOICES, SETTINGS), strict=True
    ):
        assert sheet is not None
        sheet.title = title
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_every_question_type_renders_and_answers(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QScrollArea

    from fieldkit.forms import FormState, load_form
    from fieldkit.ui.forms import GroupItem
    from fieldkit.ui.forms.editors import (
        AcknowledgeEditor,
        GeopointEditor,
        NumberEditor,
        ValueLabel,
    )

    state = FormState(load_form(write_form(tmp_path / "todos.xlsx")))
    form = FormWidget(state)
    area = QScrollArea()
    area.setWidget(form)
    area.setWidgetResizable(True)
    area.resize(900, 700)
    qtbot.addWidget(area)
    area.show()

    # Sections: the top group is a titled frame; the nested one is indented inside it.
    assert [title for title, _w in form.sections()] == ["Sección uno", "Hogar"]
    nested = form.item("dos")
    assert isinstance(nested, GroupItem)
    assert nested.layout().contentsMargins().left() > 0
    assert nested.mapTo(form, QPoint(0, 0)).x() > form.item("uno").mapTo(form, QPoint(0, 0)).x()

    # Labels: required marker, hint, ${} filled in.
    name = form.question("nombre")
    assert "*" in name.label.text() and name.hint.text() == "Nombre completo"
    type_text(qtbot, name, "Ana")
    assert state.value("nombre") == "Ana"
    assert form.question("saludo").label.text() == "Hola Ana"
    type_text(qtbot, form.question("notas"), "Dos\nlíneas")
    assert state.value("notas") == "Dos\nlíneas"

    # Numbers: a validator, a comma for decimals, the form's constraint message inline.
    age = form.question("edad")
    assert isinstance(age.editor, NumberEditor)
    type_text(qtbot, age, "130")
    assert age.error.text() == "Entre 0 y 119 años."
    type_text(qtbot, age, "30")
    assert age.error.text() == "" and state.value("edad") == 30
    double = form.question("doble")
    assert isinstance(double.editor, ValueLabel) and double.editor.label.text() == "60"
    type_text(qtbot, form.question("monto"), "1234,75")
    assert state.value("monto") == 1234.75
    field = age.editor.edit
    assert isinstance(field, QLineEdit)
    field.selectAll()
    key_clicks(field, "4a.5")  # letters and a decimal point cannot be typed in an integer
    assert field.text() == "45"

    # Selects: radios, a likert line, a drop-down for «minimal», check boxes with «other».
    choose(qtbot, form.question("acepta"), "si")
    scale = form.question("escala").editor
    assert isinstance(scale, SelectOneEditor) and scale.mode == "line"
    choose(qtbot, form.question("escala"), "4")
    assert state.value("escala") == "4"
    assert scale.clear_button.isVisibleTo(form)
    qtbot.mouseClick(scale.clear_button, LEFT)
    assert state.value("escala") is None
    place = form.question("municipio").editor
    assert isinstance(place, SelectOneEditor) and place.combo is not None
    choose(qtbot, form.question("municipio"), "27001")
    assert state.value("municipio") == "27001"
    assert not shown(form, "temas_other")
    tick(qtbot, form.question("temas"), "vias", "other")
    assert state.value("temas") == ("vias", "other")
    assert shown(form, "temas_other")

    # Dates and times: no answer until «Sin respuesta» is unticked.
    for question, value in (("fecha", dt.date(2026, 3, 2)), ("hora", dt.time(14, 5))):
        item = form.question(question)
        assert state.value(question) is None
        answer_time(qtbot, item, value)
        assert state.value(question) == value
    moment = form.question("momento").editor
    assert isinstance(moment, TemporalEditor)
    click(qtbot, moment.empty)
    assert isinstance(state.value("momento"), dt.datetime)
    click(qtbot, moment.empty)
    assert state.value("momento") is None and not moment.edit.isEnabled()

    # Geopoint, read-only text, acknowledge.
    point = form.question("punto").editor
    assert isinstance(point, GeopointEditor)
    for field, text in zip(point.fields, ("4,5981", "-74,0758", "2600", "5"), strict=True):
        key_clicks(field, text)
        QTest.keyClick(field, Qt.Key.Key_Return)
    assert state.value("punto") == "4.5981 -74.0758 2600 5"
    fixed = form.question("fijo").editor
    assert isinstance(fixed, TextEditor) and fixed.edit.isReadOnly()
    assert fixed.text() == "valor fijo"
    ack = form.question("ok").editor
    assert isinstance(ack, AcknowledgeEditor)
    click(qtbot, ack.box)
    assert state.value("ok") == "OK"

    # Nested repeats: rows inside rows; removing the outer row takes its inner rows along.
    add_row(qtbot, form, "hogares")
    add_row(qtbot, form, "hogares")
    type_text(qtbot, form.question("jefe", (2,)), "Hogar de Ana")
    inner = form.repeat("personas", (2,))
    qtbot.mouseClick(inner.add_button, LEFT)
    qtbot.mouseClick(inner.add_button, LEFT)
    type_text(qtbot, form.question("edad_p", (2, 2)), "7")
    assert state.value("edad_p", (2, 2)) == 7
    form.remove_row(form.repeat("hogares"), form.repeat("hogares").order[0])
    assert state.repeat_count("hogares") == 1
    assert state.value("jefe", (1,)) == "Hogar de Ana"
    assert form.question("edad_p", (1, 2)).editor.text() == "7"  # type: ignore[union-attr]
    # Not accepting hides the households and the engine drops their rows.
    choose(qtbot, form.question("acepta"), "no")
    assert not form.repeat("hogares").isVisibleTo(form)
    assert state.repeat_count("hogares") == 0

    # English in place; the form is read-only when complete.
    form.set_language("en")
    assert form.question("saludo").label.text() == "Hello Ana"
    assert [title for title, _w in form.sections()] == ["Section one", "Household"]
    form.set_read_only(True)
    assert not form.question("acepta").editor.box.isEnabled()  # type: ignore[union-attr]
    assert not form.repeat("hogares").add_button.isVisibleTo(form)


@pytest.mark.parametrize("path", sorted(forms.SHIPPED_DIR.glob("*.xlsx")), ids=lambda p: p.stem)
def test_every_shipped_instrument_renders_in_both_languages(qtbot: Any, path: Path) -> None:
    from fieldkit.forms import FormState, load_form

    state = FormState(load_form(path))
    form = FormWidget(state)
    qtbot.addWidget(form)
    assert form.sections()
    shown_questions = [key for key, item in form._items.items() if isinstance(item, QuestionItem)]
    assert len(shown_questions) >= 10
    form.set_language("en")
    assert all(title for title, _w in form.sections())
    assert form.errors() == {}
