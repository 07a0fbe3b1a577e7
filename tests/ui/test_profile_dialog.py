"""Archivo → Perfil de este equipo (status, rename, role, data folder) and Ver → Idioma."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtTest import QTest
from ui_helpers import Boxes

from fieldkit.i18n import get_language
from fieldkit.services import profile as profile_service
from fieldkit.settings import preferred_language
from fieldkit.ui.dialogs.profile import ProfileDialog
from fieldkit.ui.main_window import MainWindow


def open_profile_dialog(win: MainWindow, qtbot: Any, wait_ops: Callable[[], None]) -> ProfileDialog:
    win.profile_action.trigger()
    dialog = win.findChild(ProfileDialog)
    assert isinstance(dialog, ProfileDialog)
    qtbot.waitUntil(dialog.isVisible)
    wait_ops()
    qtbot.waitUntil(lambda: dialog.info is not None)
    return dialog


def test_the_profile_dialog_shows_what_fieldkit_status_shows(
    window: MainWindow, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    profile = window.profile
    assert profile is not None
    status = profile_service.status(profile)
    dialog = open_profile_dialog(window, qtbot, wait_ops)
    assert dialog.windowTitle() == "Perfil de este equipo"
    assert dialog.name.text() == "Portátil de prueba"
    assert dialog.role.currentText() == "Equipo de campo"
    assert "inscribir este equipo" in dialog.role_note.text()
    assert dialog.device_id.text() == profile.device_id
    assert dialog.data_dir.text() == str(profile.data_dir)
    assert dialog.database.text() == str(profile.data_dir / "fieldkit.sqlite")
    assert dialog.backups.text().endswith(str(profile.data_dir / "backups"))
    assert dialog.operations.text() == f"{status.operations:,}".replace(",", ".")
    assert dialog.record_counts["municipality"].text() == "1.121"
    assert dialog.record_counts["assistance"].text() == "0"
    labels = [
        dialog.records_grid.itemAtPosition(row, 0).widget().text()
        for row in range(dialog.records_grid.rowCount())
    ]
    assert labels[:2] == ["Municipios:", "Categorías municipales:"]
    assert not dialog.save_button.isEnabled()  # nothing changed yet
    dialog.close()


def test_copy_and_open_the_data_folder(
    window: MainWindow,
    qtbot: Any,
    wait_ops: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
    boxes: Boxes,
) -> None:
    opened: list[QUrl] = []
    answer = {"ok": True}

    def open_url(url: QUrl) -> bool:  # the desktop's file manager is not ours to start here
        opened.append(url)
        return answer["ok"]

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    dialog = open_profile_dialog(window, qtbot, wait_ops)
    folder = str(window.profile.data_dir)  # type: ignore[union-attr]
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == folder
    assert dialog.feedback.text() == "Ruta copiada."

    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert [Path(url.toLocalFile()) for url in opened] == [Path(folder)]
    assert boxes.calls == []
    answer["ok"] = False  # no file manager on this computer
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    [warning] = boxes.texts("warning")
    assert warning.startswith(f"No se pudo abrir la carpeta {folder}.")
    assert QGuiApplication.clipboard().text() == folder
    dialog.close()


def test_rename_and_become_coordinator_from_the_keyboard(
    window: MainWindow, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    profile = window.profile
    assert profile is not None
    assert not window.categories_action.isEnabled()
    dialog = open_profile_dialog(window, qtbot, wait_ops)

    dialog.name.setFocus()
    dialog.name.selectAll()
    QTest.keyClick(dialog.name, Qt.Key.Key_Delete)
    QTest.keyClick(dialog.name, Qt.Key.Key_Return)  # the default button: Guardar cambios
    wait_ops()
    assert dialog.isVisible()  # Enter saved, it did not close the dialog
    assert dialog.error.text() == "El nombre del equipo no puede quedar vacío."
    assert window.windowTitle() == "fieldkit — Portátil de prueba"

    qtbot.keyClicks(dialog.name, "Portatil Pasto 2")
    dialog.role.setFocus()
    QTest.keyClick(dialog.role, Qt.Key.Key_End)  # the last role: Coordinador
    assert dialog.role.currentText() == "Coordinador"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_ops()
    assert not dialog.error.isVisible()
    assert dialog.saved.text() == "Cambios guardados."
    assert profile.role == "coordinator"
    assert profile.values["device_name"] == "Portatil Pasto 2"
    assert window.windowTitle() == "fieldkit — Portatil Pasto 2"
    assert window.device_label.text() == "Dispositivo: Portatil Pasto 2"
    assert window.role_label.text() == "Rol: Coordinador"
    assert window.categories_action.isEnabled()
    qtbot.waitUntil(lambda: not dialog.save_button.isEnabled())  # reread: nothing left to save
    dialog.close()


def test_choosing_english_saves_it_for_the_next_start(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, boxes: Boxes
) -> None:
    monkeypatch.setenv("FIELDKIT_CONFIG_DIR", str(tmp_path / "config"))  # other tests stay Spanish
    window.language_actions["en"].trigger()
    assert preferred_language() == "en"
    [note] = boxes.texts("information")
    english, spanish = note.split("\n\n")
    assert english.startswith("fieldkit will be shown in English the next time it starts.")
    assert spanish.startswith("fieldkit se mostrará en English la próxima vez que se abra.")
    # Nothing restarts: this window keeps speaking Spanish until then.
    assert get_language() == "es"
    assert window.menuBar().actions()[0].text() == "&Archivo"
    assert window.language_actions["en"].isChecked()
    assert not window.language_actions["es"].isChecked()

    window.language_actions["es"].trigger()
    assert preferred_language() == "es"
    assert boxes.texts("information")[-1] == (
        "fieldkit se mostrará en Español la próxima vez que se abra. Esta ventana sigue como está."
    )


def test_the_language_variable_wins_and_the_note_says_so(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, boxes: Boxes
) -> None:
    monkeypatch.setenv("FIELDKIT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("FIELDKIT_LANG", "es")
    window.language_actions["en"].trigger()
    assert preferred_language() == "en"
    assert "FIELDKIT_LANG=es" in boxes.texts("information")[0].split("\n\n")[-1]


def test_a_settings_folder_that_cannot_be_written_is_a_message(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, boxes: Boxes
) -> None:
    blocker = tmp_path / "archivo"
    blocker.write_text("no es una carpeta", encoding="utf-8")
    monkeypatch.setenv("FIELDKIT_CONFIG_DIR", str(blocker / "config"))
    window.language_actions["en"].trigger()
    [warning] = boxes.texts("warning")
    assert warning.startswith(f"No se pudo guardar el idioma en {blocker / 'config'}")
    assert window.language_actions["es"].isChecked()  # the menu shows what is still in force
