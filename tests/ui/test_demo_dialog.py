"""Archivo → Cargar datos de demostración: the dialog, the run with progress, Cancelar, the summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QProgressDialog, QPushButton
from ui_helpers import Boxes, closed

from fieldkit.services import assistances, catalog, demo, persons
from fieldkit.ui.dialogs.demo import DemoDialog
from fieldkit.ui.main_window import ASSISTANCES, PERSONS, MainWindow

# The dialog offers the scales of demo.SCALES by name; tests swap in sizes that fit a test.
TINY = demo.Scale(municipalities=4, assistances=10, field_professionals=3, students=1,
                  coordinators=1, reviewers=1)  # fmt: skip
LONG = demo.Scale(municipalities=40, assistances=3000, field_professionals=16, students=5,
                  coordinators=2, reviewers=2)  # fmt: skip


def open_demo_dialog(win: MainWindow, qtbot: Any) -> DemoDialog:
    win.demo_action.trigger()
    dialog = win.findChild(DemoDialog)
    assert isinstance(dialog, DemoDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_the_dialog_says_the_records_are_fictitious_and_added(
    window: MainWindow, qtbot: Any, boxes: Boxes
) -> None:
    dialog = open_demo_dialog(window, qtbot)
    assert dialog.windowTitle() == "Cargar datos de demostración"
    assert "Se AGREGARÁN registros ficticios a este perfil (Portátil de prueba)" in (
        dialog.warning.text()
    )
    assert [radio.text() for radio in dialog.sizes.values()] == [
        "&Recorrido (unos segundos)",
        "Año &nacional (puede tardar cerca de un minuto)",
    ]
    assert dialog.scale() == "small" and dialog.seed.value() == 1
    assert dialog.ok_button.text() == "&Agregar datos ficticios"
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: closed(dialog))
    assert catalog.directorates(window.profile) == []  # nothing was added
    assert boxes.calls == []


def test_demo_data_fills_every_view(
    window: MainWindow,
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(demo.SCALES, "small", TINY)
    window.nav.setCurrentRow(PERSONS)
    people = window.persons_view()
    wait_ops()
    assert people.model.rowCount() == 0
    dialog = open_demo_dialog(window, qtbot)
    texts = [label.text() for label in dialog.findChildren(type(dialog.warning))]
    assert "Unas 10 asistencias técnicas en 4 municipios, con 6 personas." in texts
    dialog.seed.setFocus()
    dialog.seed.selectAll()
    qtbot.keyClicks(dialog.seed, "7")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert closed(dialog)
    wait_ops()

    [report] = boxes.texts("information")
    assert report.startswith(
        "Datos de demostración agregados: 10 asistencias técnicas en 4 municipios y 6 personas"
    )
    assert "se cargó la agrupación de ejemplo" in report  # the profile had no directorates
    assert window.stack.currentIndex() == ASSISTANCES
    view = window.assistances_view()
    qtbot.waitUntil(lambda: view.model.rowCount() == 10)
    assert {r.code for r in view.model.rows} == {
        r.code for r in assistances.list_assistances(window.profile)
    }
    window.nav.setCurrentRow(PERSONS)
    qtbot.waitUntil(lambda: people.model.rowCount() == 6)  # the hidden view reloaded when shown
    qtbot.waitUntil(lambda: window.counts_label.text().startswith("1.121 municipios · 10 "))


def test_cancelar_stops_the_demo_early_and_keeps_what_was_written(
    window: MainWindow,
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(demo.SCALES, "small", LONG)  # a minute of work if nobody stops it
    dialog = open_demo_dialog(window, qtbot)
    QTest.keyClick(dialog, Qt.Key.Key_Return)  # the default button: Agregar datos ficticios
    qtbot.waitUntil(lambda: closed(dialog))

    def progress() -> QProgressDialog | None:
        found = window.findChild(QProgressDialog)
        return found if found is not None and found.isVisible() else None

    qtbot.waitUntil(lambda: progress() is not None, timeout=5000)
    [cancel] = progress().findChildren(QPushButton)
    assert cancel.text() == "Cancelar"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    wait_ops()

    [report] = boxes.texts("information")
    assert report.startswith("Carga de datos de demostración detenida: ")
    assert "(cancelado)" in report
    written = assistances.list_assistances(window.profile)
    assert len(written) < LONG.assistances
    assert len(persons.list_persons(window.profile)) <= LONG.persons
    view = window.assistances_view()
    qtbot.waitUntil(lambda: view.model.rowCount() == len(written))
