"""Assistances through the GUI: create with the dialog, refuse and allow transitions, cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from ui_helpers import Boxes, Team, add_people, closed

from fieldkit.domain.states import AssistanceState
from fieldkit.services import assistances
from fieldkit.services.profile import Profile
from fieldkit.ui.dialogs.assistance import AssistanceDialog
from fieldkit.ui.dialogs.transition import TransitionDialog
from fieldkit.ui.main_window import ASSISTANCES, MainWindow


def open_new_dialog(win: MainWindow, qtbot: Any) -> AssistanceDialog:
    QTest.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    view = win.assistances_view()
    qtbot.waitUntil(lambda: isinstance(view.last_dialog, AssistanceDialog))
    dialog = view.last_dialog
    assert isinstance(dialog, AssistanceDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def open_transition(win: MainWindow, qtbot: Any) -> TransitionDialog:
    view = win.assistances_view()
    view.last_dialog = None
    qtbot.mouseClick(view.transition_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(view.last_dialog, TransitionDialog))
    dialog = view.last_dialog
    assert isinstance(dialog, TransitionDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


@pytest.fixture
def team(profile: Profile) -> Team:
    return add_people(profile)


def test_create_an_assistance_through_the_dialog(
    window: MainWindow, team: Team, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    dialog = open_new_dialog(window, qtbot)
    assert window.stack.currentIndex() == ASSISTANCES
    assert dialog.windowTitle() == "Nueva asistencia técnica"

    qtbot.keyClicks(dialog.municipality, "tumaco")
    labels = [s.name for s in dialog.municipality.suggestions()]
    assert labels == ["San Andrés de Tumaco"]
    dialog.municipality.choose(0)
    assert dialog.municipality.text() == "San Andrés de Tumaco (Nariño) — 52835"
    dialog.line.setCurrentIndex(dialog.line.findData("PAZ"))
    dialog.check_person("Jhon Jairo Cuero")
    dialog.check_person("Ana María Quiñones")
    dialog.lead.setCurrentIndex(dialog.lead.findText("Ana María Quiñones"))
    dialog.start.check.setChecked(True)
    row = dialog.append_counterpart()
    dialog.counterparts.item(row, 0).setText("Luz Dary Angulo")
    dialog.counterparts.item(row, 1).setText("Secretaria de Planeación")
    qtbot.keyClicks(dialog.notes, "Concertar con el consejo de gobierno.")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_ops()

    assert closed(dialog)
    [created] = assistances.list_assistances(window.profile)
    detail = assistances.get_assistance(window.profile, created.code)
    assert [m.name for m in detail.team] == ["Ana María Quiñones", "Jhon Jairo Cuero"]
    assert detail.team[0].team_role == "lead"
    assert [(c.name, c.position) for c in detail.counterparts] == [
        ("Luz Dary Angulo", "Secretaria de Planeación")
    ]
    assert detail.notes == "Concertar con el consejo de gobierno."
    assert detail.row.start_on is not None and detail.row.end_on is None

    view = window.assistances_view()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    wait_ops()
    assert view.selected_code() == created.code
    texts = [view.model.data(view.model.index(0, c)) for c in range(8)]
    assert texts[:5] == [
        created.code,
        "San Andrés de Tumaco",
        "Nariño",
        "Consolidación de la paz total",
        "Solicitada",
    ]
    assert texts[7] == "Ana María Quiñones, Jhon Jairo Cuero"
    assert view.count.text() == "1 asistencia"
    assert "Solicitada" in view.details.summary.text()


def test_accents_are_optional_in_the_municipality_picker(window: MainWindow, qtbot: Any) -> None:
    dialog = open_new_dialog(window, qtbot)
    qtbot.keyClicks(dialog.municipality, "bogota")
    assert [s.code for s in dialog.municipality.suggestions()] == ["11001"]
    dialog.municipality.clear()
    qtbot.keyClicks(dialog.municipality, "san andres")
    suggestions = dialog.municipality.suggestions()
    assert "San Andrés de Tumaco" in {s.name for s in suggestions}
    assert dialog.municipality.completer_.popup().isVisible()
    dialog.reject()


def test_unknown_municipality_shows_the_service_message_and_keeps_the_data(
    window: MainWindow, qtbot: Any, wait_ops: Callable[[], None], boxes: Boxes
) -> None:
    dialog = open_new_dialog(window, qtbot)
    qtbot.keyClicks(dialog.municipality, "99999")
    qtbot.keyClicks(dialog.notes, "Notas que no se pierden")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_ops()
    assert dialog.isVisible()
    assert "No existe el municipio con código DIVIPOLA 99999" in dialog.error.text()
    assert dialog.error.isVisible()
    assert dialog.notes.toPlainText() == "Notas que no se pierden"
    assert dialog.municipality.text() == "99999"
    assert boxes.calls == []  # shown inline, not in a box

    dialog.municipality.clear()
    qtbot.keyClicks(dialog.municipality, "zzzz")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "Elija el municipio de la lista" in dialog.error.text()
    dialog.reject()


def test_transition_is_refused_without_team_then_allowed(
    window: MainWindow,
    team: Team,
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
) -> None:
    code, _changes = assistances.create_assistance(
        window.profile, assistances.AssistanceInput("19050", "CONTRATACION")
    )
    window.apply_changes(_changes)
    window.nav.setCurrentRow(ASSISTANCES)
    view = window.assistances_view()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    view.select(code)

    dialog = open_transition(window, qtbot)
    assert "Solicitada" in dialog.current.text()
    assert [r.text() for r in dialog.radios.values()] == ["Concertada", "Cancelada"]
    assert dialog.target() == AssistanceState.CONCERTED
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_ops()
    assert dialog.isVisible()
    assert dialog.error.text() == (
        "Para concertar la asistencia falta: al menos un integrante del equipo; "
        "al menos un funcionario de contraparte de la alcaldía."
    )
    dialog.reject()

    # Complete the team and the counterpart in the edit dialog.
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(view.last_dialog, AssistanceDialog))
    edit = view.last_dialog
    assert isinstance(edit, AssistanceDialog)
    assert edit.windowTitle() == f"Editar asistencia {code}"
    assert edit.municipality.code() == "19050"
    edit.check_person("Valentina Ortiz Nupan")
    row = edit.append_counterpart()
    edit.counterparts.item(row, 0).setText("Óscar Muñoz")
    edit.counterparts.item(row, 2).setText("planeacion@popayan.gov.co")
    qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    wait_ops()
    assert closed(edit)

    dialog = open_transition(window, qtbot)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_ops()
    assert closed(dialog)
    detail = assistances.get_assistance(window.profile, code)
    assert detail.row.state == "concerted"
    qtbot.waitUntil(lambda: view.details.history.rowCount() == 2)
    history = view.details.history
    assert [history.data(history.index(i, 2)) for i in range(2)] == ["Solicitada", "Concertada"]
    assert history.data(history.index(1, 1)) == "Solicitada"
    assert history.data(history.index(1, 3)) == window.profile.author
    when = history.data(history.index(1, 0))
    assert len(when) == 16 and when[2] == "/" and when[5] == "/" and when[13] == ":"
    assert view.model.data(view.model.index(0, 4)) == "Concertada"
    assert boxes.calls == []


def test_cancel_needs_a_reason_and_a_confirmation(
    window: MainWindow, qtbot: Any, wait_ops: Callable[[], None], boxes: Boxes
) -> None:
    code, changes = assistances.create_assistance(
        window.profile, assistances.AssistanceInput("27001", "ETNICOS")
    )
    window.apply_changes(changes)
    window.nav.setCurrentRow(ASSISTANCES)
    view = window.assistances_view()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    view.select(code)

    dialog = open_transition(window, qtbot)
    dialog.choose(AssistanceState.CANCELLED)
    assert "obligatorio" in dialog.reason_label.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_ops()
    assert dialog.error.text() == "Para cancelar una asistencia debe indicar el motivo."
    assert boxes.texts("question") == []

    dialog.reason.setPlainText("La alcaldía pidió aplazarla.")  # QTest types ASCII only
    boxes.answer = QMessageBox.StandardButton.No
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert boxes.texts("question") and code in boxes.texts("question")[0]
    assert assistances.get_assistance(window.profile, code).row.state == "requested"

    boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_ops()
    assert closed(dialog)
    detail = assistances.get_assistance(window.profile, code)
    assert detail.row.state == "cancelled"
    assert detail.cancel_reason == "La alcaldía pidió aplazarla."
    qtbot.waitUntil(lambda: view.details.history.rowCount() == 2)
    history = view.details.history
    assert history.data(history.index(1, 2)) == "Cancelada"
    assert history.data(history.index(1, 4)) == "La alcaldía pidió aplazarla."
    assert "Motivo de la cancelación" in view.details.summary.text()
    assert not view.edit_button.isEnabled()
    assert not view.transition_button.isEnabled()


def test_filters_and_search(
    populated: tuple[Profile, Team, list[str]], qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    profile, _team, codes = populated
    win = MainWindow(profile)
    qtbot.addWidget(win)
    win.show()
    win.nav.setCurrentRow(ASSISTANCES)
    view = win.assistances_view()
    qtbot.waitUntil(lambda: view.model.rowCount() == 5)
    assert view.count.text() == "5 asistencias"
    view.state.set_value("cancelled")
    assert [r.municipality for r in view.model.rows] == ["Medellín"]
    view.state.set_value(None)
    view.line.set_value("PAZ")
    assert [r.code for r in view.model.rows] == [codes[0]]
    view.line.set_value(None)
    qtbot.keyClicks(view.search, "quinones")
    assert {r.municipality for r in view.model.rows} == {"San Andrés de Tumaco", "Quibdó"}
    assert view.count.text() == "2 de 5 asistencias"
    win.close()
    wait_ops()


def test_new_assistance_from_the_ficha_is_preset_and_listed_there(
    window: MainWindow, team: Team, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    window.open_sheet("52835")
    qtbot.waitUntil(lambda: window.last_sheet is not None and window.last_sheet.isVisible())
    sheet = window.last_sheet
    qtbot.mouseClick(sheet.new_here, Qt.MouseButton.LeftButton)
    view = window.assistances_view()
    qtbot.waitUntil(lambda: isinstance(view.last_dialog, AssistanceDialog))
    dialog = view.last_dialog
    assert dialog.municipality.code() == "52835"
    assert dialog.municipality.text() == "San Andrés de Tumaco (Nariño) — 52835"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_ops()
    assert closed(dialog)
    qtbot.waitUntil(lambda: sheet.assistances.rowCount() == 1)
    assert sheet.assistances.data(sheet.assistances.index(0, 2)) == "Solicitada"
    sheet.close()
