"""Menus of the main window: backup and restore, catalogs, persons, status bar, startup."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from ui_helpers import Boxes, closed

from fieldkit import __version__
from fieldkit.i18n import set_language
from fieldkit.services import catalog, persons
from fieldkit.services import profile as profile_service
from fieldkit.services.profile import Profile
from fieldkit.ui import app
from fieldkit.ui.dialogs.directorates import DirectoratesDialog
from fieldkit.ui.dialogs.person import PersonDialog
from fieldkit.ui.main_window import PERSONS, MainWindow


def test_menus_and_status_bar(window: MainWindow, qtbot: Any) -> None:
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&Archivo", "&Ver", "&Catálogos", "&Informes", "&Sincronizar", "A&yuda"]
    archivo = window.menuBar().actions()[0].menu()
    assert [a.text() for a in archivo.actions() if a.text()] == [
        "&Nueva asistencia técnica…",
        "&Perfil de este equipo…",
        "Cargar &datos de demostración…",
        "&Copia de seguridad ahora",
        "&Restaurar copia…",
        "&Salir",
    ]
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    ver = window.menuBar().actions()[1].menu()
    assert [a.text() for a in ver.actions() if a.menu()] == ["&Idioma"]
    languages = window.language_menu.actions()
    assert [(a.text(), a.isChecked()) for a in languages] == [
        ("Español", True),
        ("English", False),
    ]
    assert window.device_label.text() == "Dispositivo: Portátil de prueba"
    assert window.role_label.text() == "Rol: Equipo de campo"
    qtbot.waitUntil(lambda: window.counts_label.text() != "")
    assert window.counts_label.text().startswith("1.121 municipios · 0 asistencias")


def test_backup_then_restore_through_the_menu(
    window: MainWindow, qtbot: Any, wait_ops: Callable[[], None], boxes: Boxes
) -> None:
    profile = window.profile
    assert profile is not None
    window.backup_action.trigger()
    wait_ops()
    assert window.statusBar().currentMessage().startswith("Copia de seguridad guardada en ")
    backup_path = profile_service.list_backups(profile)[0]

    persons.save_person(profile, name="Persona posterior a la copia", role="student")
    window.nav.setCurrentRow(PERSONS)
    view = window.persons_view()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)

    # Saying no leaves everything as it was.
    boxes.open_file = str(backup_path)
    boxes.answer = QMessageBox.StandardButton.No
    window.restore_action.trigger()
    wait_ops()
    assert len(persons.list_persons(profile)) == 1
    assert "Los datos actuales se reemplazarán" in boxes.texts("question")[0]

    boxes.answer = QMessageBox.StandardButton.Yes
    window.restore_action.trigger()
    wait_ops()
    assert persons.list_persons(profile) == []
    [message] = boxes.texts("information")
    assert message.startswith(f"Se restauró {backup_path.name}.")
    safety = Path(message.splitlines()[-1])
    assert safety.exists() and "antes-de-restaurar" in safety.name
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)  # the views reloaded
    assert window.municipalities_view().model.total == 1121


def test_restore_of_a_foreign_file_is_refused_with_a_message(
    window: MainWindow, tmp_path: Path, wait_ops: Callable[[], None], boxes: Boxes
) -> None:
    other = Profile(tmp_path / "otro", device_name="Otro portátil")
    try:
        foreign = profile_service.backup(other)
    finally:
        other.close()
    boxes.open_file = str(foreign)
    window.restore_action.trigger()
    wait_ops()
    [warning] = boxes.texts("warning")
    assert "es una copia de otro dispositivo" in warning


def test_example_directorates_from_the_menu(
    window: MainWindow, qtbot: Any, wait_ops: Callable[[], None], boxes: Boxes
) -> None:
    window.example_action.trigger()
    wait_ops()
    assert "NO es oficial" in boxes.texts("question")[0]
    assert boxes.texts("information")[0].startswith("Importación terminada:")
    view = window.municipalities_view()
    qtbot.waitUntil(lambda: view.directorate.count() > 1)
    assert view.directorate.isEnabled()
    view.search.setText("tumaco")
    assert view.model.rows[0].directorate_name


def test_directorates_dialog_add_edit_remove(
    coordinator_window: MainWindow, qtbot: Any, wait_ops: Callable[[], None], boxes: Boxes
) -> None:
    window = coordinator_window
    dialog = window.open_directorates()
    assert isinstance(dialog, DirectoratesDialog)
    wait_ops()
    assert dialog.empty.isVisible() and dialog.note.isVisible()

    edit = dialog.edit(None)
    qtbot.keyClicks(edit.code, "dt-nar")
    edit.name.setText("Nariño y Putumayo")  # QTest types ASCII only
    edit.check_department("52")
    edit.check_department("86")
    qtbot.mouseClick(edit.buttons.button(edit.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_ops()
    assert closed(edit)
    assert [(d.code, d.departments) for d in catalog.directorates(window.profile)] == [
        ("DT-NAR", ["52", "86"])
    ]
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert dialog.model.data(dialog.model.index(0, 2)) == "Nariño, Putumayo"

    # A department already taken: the service says which one, inline.
    second = dialog.edit(None)
    qtbot.keyClicks(second.code, "dt-sur")
    qtbot.keyClicks(second.name, "Sur")
    second.check_department("52")
    qtbot.mouseClick(
        second.buttons.button(second.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    wait_ops()
    assert "ya pertenecen a otra dirección territorial" in second.error.text()
    second.reject()

    dialog.table.selectRow(0)
    dialog.remove_selected()
    wait_ops()
    assert "¿Quitar la dirección territorial DT-NAR" in boxes.texts("question")[-1]
    assert catalog.directorates(window.profile) == []
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0)

    dialog.example_button.click()
    wait_ops()
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 1)
    assert dialog.model.data(dialog.model.index(0, 1)).endswith("(ejemplo)")
    dialog.close()


def test_import_categories_csv(
    coordinator_window: MainWindow,
    tmp_path: Path,
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
) -> None:
    window = coordinator_window
    csv_file = tmp_path / "categorias.csv"
    csv_file.write_text("codigo_municipio;categoria\n52835;6\n11001;Especial\n", encoding="utf-8")
    boxes.open_file = str(csv_file)
    window.categories_action.trigger()
    wait_ops()
    assert boxes.texts("information") == [
        "Importación terminada: 2 registros cambiados, 0 sin cambios."
    ]
    view = window.municipalities_view()
    qtbot.waitUntil(lambda: view.category.count() > 1)
    view.category.set_value("E")
    qtbot.waitUntil(lambda: [r.code for r in view.model.rows] == ["11001"])

    bad = tmp_path / "malo.csv"
    bad.write_text("codigo_municipio,categoria\n99999,7\n", encoding="utf-8")
    boxes.open_file = str(bad)
    window.categories_action.trigger()
    wait_ops()
    assert boxes.texts("warning")[0].startswith("No se importó nada: 1 filas con problemas.")


def test_add_and_edit_a_person(
    window: MainWindow, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    window.nav.setCurrentRow(PERSONS)
    view = window.persons_view()
    wait_ops()
    dialog = view.edit_person(None)
    assert isinstance(dialog, PersonDialog)
    qtbot.keyClicks(dialog.email, "sin-arroba")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    wait_ops()
    assert dialog.error.text() == "El nombre de la persona es obligatorio."
    qtbot.keyClicks(dialog.name, "Maria Fernanda Rosero")
    dialog.role.setCurrentIndex(dialog.role.findText("Estudiante"))
    dialog.email.setText("mfrosero@esap.edu.co")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    wait_ops()
    assert closed(dialog)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert view.model.data(view.model.index(0, 1)) == "Estudiante"
    assert view.count.text() == "1 persona"

    view.table.selectRow(0)
    edit = view.edit_selected()
    assert edit is not None and edit.name.text() == "Maria Fernanda Rosero"
    edit.active.setChecked(False)
    qtbot.mouseClick(edit.buttons.button(edit.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_ops()
    qtbot.waitUntil(lambda: view.model.data(view.model.index(0, 5)) == "No")
    assert persons.list_persons(window.profile, active_only=True) == []


def test_second_instance_on_the_same_profile_exits_with_2(
    profile: Profile, qtbot: Any, boxes: Boxes
) -> None:
    assert app.run_gui(profile.data_dir) == 2
    [message] = boxes.texts("critical")
    assert "ya está usando el perfil" in message


def test_fieldkit_command_opens_the_window_and_exits(tmp_path: Path) -> None:
    # In a child process: QApplication.exec() may run only once in the test process.
    env = {**os.environ, app.EXIT_WHEN_READY: "1", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "fieldkit", "--data-dir", str(tmp_path / "nuevo")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("fieldkit-ready "), done.stdout  # the window got its table
    reopened = Profile(tmp_path / "nuevo")  # created, and the lock released on exit
    reopened.close()


def test_about_names_the_version(window: MainWindow, boxes: Boxes) -> None:
    window.about_action.trigger()
    [text] = boxes.texts("about")
    assert f"fieldkit {__version__}" in text


def test_the_window_speaks_english_when_asked(
    profile: Profile, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    set_language("en")
    win = MainWindow(profile)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.municipalities_view().loaded)
    assert [win.nav.item(i).text() for i in range(4)] == [
        "Municipalities",
        "Technical assistances",
        "People",
        "Conflicts",
    ]
    assert [a.text() for a in win.menuBar().actions()] == [
        "&File",
        "&View",
        "&Catalogs",
        "&Reports",
        "&Sync",
        "&Help",
    ]
    assert win.profile_action.text() == "This device's &profile…"
    assert win.language_menu.title() == "&Language"
    assert [a.isChecked() for a in win.language_menu.actions()] == [False, True]
    view = win.municipalities_view()
    assert view.count.text() == "1,121 municipalities"
    view.search.setText("narino")
    assert view.count.text().endswith(" of 1,121 municipalities")
    assert win.role_label.text() == "Role: Field team"
    win.close()
    wait_ops()
