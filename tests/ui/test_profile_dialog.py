"""Archivo → Perfil de este equipo (status, rename, role, data folder) and Ver → Idioma."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtTest import QTest
from ui_helpers import Boxes, key_clicks, write_png

from fieldkit.i18n import get_language
from fieldkit.services import profile as profile_service
from fieldkit.services.report_settings import report_settings
from fieldkit.settings import preferred_language
from fieldkit.ui.dialogs.profile import ProfileDialog
from fieldkit.ui.main_window import MainWindow

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


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


def test_reports_carry_the_organization_logo_and_paper_chosen_here(
    window: MainWindow, qtbot: Any, wait_ops: Callable[[], None], boxes: Boxes, tmp_path: Path
) -> None:
    profile = window.profile
    assert profile is not None
    dialog = open_profile_dialog(window, qtbot, wait_ops)
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Informes"
    assert dialog.organization.text() == ""
    assert dialog.paper.currentText() == "Carta (21,6 × 27,9 cm)"
    assert dialog.logo_image.text() == "Sin logo"
    assert not dialog.remove_logo_button.isEnabled()
    assert not dialog.reports_save_button.isEnabled()  # nothing changed yet

    dialog.organization.setFocus()
    key_clicks(dialog.organization, "Alcaldía de San Andrés de Tumaco")
    logo = write_png(tmp_path / "escudo.png", 900, 300)
    boxes.open_file = str(logo)
    qtbot.mouseClick(dialog.choose_logo_button, Qt.MouseButton.LeftButton)
    shown = dialog.logo_image.pixmap()
    assert (shown.width(), shown.height()) == (240, 80)  # the whole logo, as wide as it fits
    assert dialog.logo_name.text() == "escudo.png"
    assert dialog.remove_logo_button.isEnabled()
    dialog.paper.setFocus()
    QTest.keyClick(dialog.paper, Qt.Key.Key_End)
    assert dialog.paper.currentData() == "a4"
    assert dialog.reports_save_button.isEnabled()
    dialog.resize(dialog.width(), 560)
    dialog.grab().save(str(ARTIFACTS / "profile_reports.png"))

    qtbot.mouseClick(dialog.reports_save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.reports_saved.text() == "Cambios guardados.")
    wait_ops()
    settings = report_settings(profile)
    assert settings.organization == "Alcaldía de San Andrés de Tumaco"
    assert settings.paper == "a4"
    assert settings.logo is not None
    assert settings.logo.is_relative_to(profile.data_dir)  # a copy: the original may move
    assert dialog.logo_path == settings.logo
    assert not dialog.reports_save_button.isEnabled()
    assert not boxes.calls

    # Not an image: said beside the logo, nothing changes.
    fake = tmp_path / "escudo.jpg"
    fake.write_text("no es una imagen", encoding="utf-8")
    boxes.open_file = str(fake)
    qtbot.mouseClick(dialog.choose_logo_button, Qt.MouseButton.LeftButton)
    assert dialog.reports_error.isVisible()
    assert dialog.reports_error.text().startswith("No se pudo leer la imagen escudo.jpg")
    assert dialog.logo_path == settings.logo
    assert not dialog.reports_save_button.isEnabled()

    # Remove the logo; spaces typed around the name are not a change; Enter saves.
    qtbot.mouseClick(dialog.remove_logo_button, Qt.MouseButton.LeftButton)
    assert not dialog.reports_error.isVisible()
    assert dialog.logo_image.text() == "Sin logo"
    dialog.organization.setText("  Alcaldía de San  Andrés de Tumaco ")
    dialog.organization.setFocus()
    QTest.keyClick(dialog.organization, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.reports_saved.text() == "Cambios guardados.")
    wait_ops()
    assert dialog.isVisible()  # Enter saved, it did not close the dialog
    assert report_settings(profile) == (
        "Alcaldía de San Andrés de Tumaco",
        None,
        "a4",
    )
    assert dialog.organization.text() == "Alcaldía de San Andrés de Tumaco"
    dialog.close()


def test_a_name_too_long_for_a_report_header_is_said_by_the_field(
    window: MainWindow, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    profile = window.profile
    assert profile is not None
    dialog = open_profile_dialog(window, qtbot, wait_ops)
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)
    dialog.organization.setMaxLength(400)  # pasted from elsewhere, past what the field allows
    dialog.organization.setText("Gobernación de Nariño " * 10)
    qtbot.mouseClick(dialog.reports_save_button, Qt.MouseButton.LeftButton)
    wait_ops()
    qtbot.waitUntil(dialog.reports_error.isVisible)
    assert "demasiado largo" in dialog.reports_error.text()
    assert report_settings(profile).organization == ""
    dialog.close()
