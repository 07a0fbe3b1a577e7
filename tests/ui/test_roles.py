"""Roles on screen: a field profile sees catalog edits disabled and why; a refusal is a message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ui_helpers import Boxes

from fieldkit.services import catalog
from fieldkit.services.profile import Profile, set_role
from fieldkit.ui.dialogs.directorates import DirectoratesDialog
from fieldkit.ui.dialogs.profile import save_identity
from fieldkit.ui.main_window import MainWindow
from fieldkit.ui.ops import Op

WHY = "Solo los coordinadores modifican los catálogos."


def open_sheet(win: MainWindow, code: str, qtbot: Any) -> Any:
    win.last_sheet = None
    win.open_sheet(code)
    qtbot.waitUntil(lambda: win.last_sheet is not None and win.last_sheet.isVisible())
    return win.last_sheet


def test_a_field_profile_sees_catalog_edits_disabled_and_why(
    window: MainWindow, qtbot: Any, wait_ops: Callable[[], None], boxes: Boxes
) -> None:
    assert not window.categories_action.isEnabled()
    assert window.categories_action.toolTip().startswith(WHY)
    assert window.categories_action.statusTip().startswith(WHY)
    catalogs = window.menuBar().actions()[2].menu()
    assert catalogs.toolTipsVisible()  # the reason shows on the disabled entry
    # Looking at the directorates and loading the example grouping stay open to everyone.
    assert window.directorates_action.isEnabled()
    assert window.example_action.isEnabled()

    dialog = window.open_directorates()
    assert isinstance(dialog, DirectoratesDialog)
    wait_ops()
    assert dialog.role_note.isVisible() and dialog.role_note.text().startswith(WHY)
    for button in (dialog.add_button, dialog.edit_button, dialog.remove_button):
        assert not button.isEnabled()
        assert button.toolTip().startswith(WHY)
    assert not dialog.import_button.isEnabled()
    assert dialog.example_button.isEnabled()
    dialog.example_button.click()
    wait_ops()
    assert boxes.texts("information")[0].startswith("Importación terminada:")
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 1)
    dialog.table.selectRow(0)
    assert not dialog.edit_button.isEnabled()
    assert dialog.edit_selected() is None  # Enter on a row does not open the editor either
    dialog.close()

    sheet = open_sheet(window, "52835", qtbot)
    assert not sheet.category_combo.isVisible() and not sheet.category_save.isVisible()
    assert sheet.category_value.toolTip().startswith(WHY)
    sheet.close()


def test_becoming_coordinator_opens_the_catalogs_in_place(
    window: MainWindow, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    profile = window.profile
    assert profile is not None
    sheet = open_sheet(window, "52835", qtbot)
    dialog = window.open_directorates()
    wait_ops()
    assert not dialog.add_button.isEnabled()

    Op(window, save_identity, profile, "Portátil de prueba", "coordinator").run()
    wait_ops()
    assert window.role_label.text() == "Rol: Coordinador"
    assert window.categories_action.isEnabled()
    assert not window.categories_action.toolTip().startswith(WHY)
    assert dialog.add_button.isEnabled() and dialog.add_button.toolTip() == ""
    assert not dialog.role_note.isVisible()
    assert sheet.category_combo.isVisible() and sheet.category_save.isVisible()
    dialog.close()
    sheet.close()


def test_a_refused_category_import_is_a_spanish_message_and_the_menu_catches_up(
    coordinator_window: MainWindow, tmp_path: Path, wait_ops: Callable[[], None], boxes: Boxes
) -> None:
    window = coordinator_window
    profile = window.profile
    assert profile is not None and window.categories_action.isEnabled()
    set_role(profile, "field")  # changed elsewhere (the command line) while the window was open
    csv_file = tmp_path / "categorias.csv"
    csv_file.write_text("codigo_municipio;categoria\n52835;6\n", encoding="utf-8")
    boxes.open_file = str(csv_file)
    window.categories_action.trigger()
    wait_ops()
    [warning] = boxes.texts("warning")
    assert warning.startswith("Solo un perfil de coordinador puede importar")
    assert "«Equipo de campo»" in warning
    assert catalog.municipality(profile, "52835").category == ""
    assert not window.categories_action.isEnabled()  # the refusal refreshed the role on screen
    assert window.role_label.text() == "Rol: Equipo de campo"


def test_a_refused_directorate_removal_is_a_message_not_a_crash(
    coordinator_window: MainWindow, qtbot: Any, wait_ops: Callable[[], None], boxes: Boxes
) -> None:
    window = coordinator_window
    profile: Profile = window.profile  # type: ignore[assignment]
    catalog.import_directorates(profile)  # the example grouping
    dialog = window.open_directorates()
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 1)
    dialog.table.selectRow(0)
    assert dialog.remove_button.isEnabled()
    set_role(profile, "reviewer")
    dialog.remove_button.click()
    wait_ops()
    [warning] = boxes.texts("warning")
    assert warning.startswith("Solo un perfil de coordinador puede")
    assert "«Revisor»" in warning
    assert len(catalog.directorates(profile)) == dialog.model.rowCount()
    assert not dialog.remove_button.isEnabled() and dialog.role_note.isVisible()
    dialog.close()


def test_a_refused_category_in_the_ficha_is_a_message(
    coordinator_window: MainWindow, qtbot: Any, wait_ops: Callable[[], None], boxes: Boxes
) -> None:
    window = coordinator_window
    profile: Profile = window.profile  # type: ignore[assignment]
    sheet = open_sheet(window, "05001", qtbot)
    sheet.category_combo.setCurrentIndex(sheet.category_combo.findText("Especial"))
    set_role(profile, "field")
    sheet.category_save.click()
    wait_ops()
    [warning] = boxes.texts("warning")
    assert warning.startswith("Solo un perfil de coordinador puede")
    assert catalog.municipality(profile, "05001").category == ""
    assert not sheet.category_combo.isVisible() and sheet.category_value.isVisible()
    sheet.close()
