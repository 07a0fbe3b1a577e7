"""Sincronizar → Remitentes en cuarentena: a coordinator accepts an unknown sender within a scope
(and sees the import report), or discards its bundle after confirming."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from ui_helpers import Boxes, closed, device, open_window

from fieldkit.services import assistances, catalog
from fieldkit.services.assistances import AssistanceInput
from fieldkit.services.profile import Profile, set_role
from fieldkit.services.sync import fingerprint, import_bundles, list_peers
from fieldkit.ui.dialogs.quarantine import QuarantineDialog
from fieldkit.ui.main_window import MainWindow

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def changes_bundle(sender: Profile, out: Path) -> Path:
    """Everything ``sender`` holds, for nobody in particular (as test_sync_service makes one)."""
    from fieldkit.services.sync import _write
    from fieldkit.store.merge import operations_after

    with sender.read() as session:
        ops = list(operations_after(session, {}))
    _write(sender, out, recipient=None, operations=ops, vector={}, kind="changes")
    return out


@pytest.fixture
def office(new_profile: Callable[..., Profile]) -> Profile:
    p = device(new_profile, "oficina", "Coordinación Nariño")
    set_role(p, "coordinator")
    catalog.import_directorates(p)
    return p


@pytest.fixture
def newcomer(new_profile: Callable[..., Profile]) -> Profile:
    """A field laptop nobody enrolled, with work in Ipiales (Nariño) and in Cali (Valle)."""
    p = device(new_profile, "nuevo", "Portátil Ipiales")
    set_role(p, "field")
    return p


def open_dialog(win: MainWindow, wait_ops: Callable[[], None]) -> QuarantineDialog:
    dialog = win.open_quarantine()
    assert isinstance(dialog, QuarantineDialog)
    wait_ops()
    assert dialog.isVisible()
    return dialog


def cell(dialog: QuarantineDialog, row: int, column: int) -> str:
    return str(dialog.model.data(dialog.model.index(row, column)))


def test_only_a_coordinator_may_open_the_quarantine(
    office: Profile, newcomer: Profile, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    team_win = open_window(newcomer, qtbot, wait_ops)
    action = team_win.quarantine_action
    assert not action.isEnabled()
    assert "coordinador" in action.toolTip() and "Perfil de este equipo" in action.toolTip()
    sync_menu = next(a.menu() for a in team_win.menuBar().actions() if a.text() == "&Sincronizar")
    assert action in sync_menu.actions()

    office_win = open_window(office, qtbot, wait_ops)
    assert office_win.quarantine_action.isEnabled()
    assert "coordinador" not in office_win.quarantine_action.toolTip()


def test_accepting_a_sender_imports_its_bundle_within_the_scope_given(
    office: Profile,
    newcomer: Profile,
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    tmp_path: Path,
) -> None:
    ipiales, _c = assistances.create_assistance(newcomer, AssistanceInput("52356", "INNOVACION"))
    cali, _c = assistances.create_assistance(newcomer, AssistanceInput("76001", "INNOVACION"))
    bundle = changes_bundle(newcomer, tmp_path / "ipiales.fkb")
    [waiting], _c = import_bundles(office, [bundle])
    assert waiting.status == "quarantined"

    win = open_window(office, qtbot, wait_ops)
    win.quarantine_action.trigger()
    wait_ops()
    dialog = next(d for d in win.findChildren(QuarantineDialog) if d.isVisible())
    assert dialog.windowTitle() == "Remitentes en cuarentena"
    assert dialog.model.rowCount() == 1
    assert cell(dialog, 0, 0) == "ipiales.fkb"
    assert cell(dialog, 0, 1) == "Portátil Ipiales"
    assert cell(dialog, 0, 2) == newcomer.device_id[:8]
    assert cell(dialog, 0, 3) == fingerprint(newcomer)
    assert int(cell(dialog, 0, 4)) == waiting.received
    assert cell(dialog, 0, 5) == "Sin inscribir"
    # The row is chosen and the scope form asks for this sender, fingerprint included.
    assert dialog.selected() is not None and dialog.accept_button.isEnabled()
    assert fingerprint(newcomer) in dialog.selection.text()
    assert dialog.scope.role.currentData() == "field"
    QTest.qWait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    assert dialog.grab().save(str(ARTIFACTS / "25-remitentes-en-cuarentena.png"))

    # An unknown directorate: said in the dialog, nothing trusted, the bundle still waits.
    qtbot.keyClicks(dialog.scope.directorates, "ZZZ")
    dialog.accept_button.click()
    wait_ops()
    assert "ZZZ" in dialog.error.text() and dialog.error.isVisible()
    assert list_peers(office) == []
    assert (office.data_dir / "cuarentena" / "ipiales.fkb").is_file()

    dialog.scope.directorates.clear()
    qtbot.keyClicks(dialog.scope.directorates, "nar")
    dialog.accept_button.click()
    wait_ops()
    report = dialog.report
    assert report is not None and report.isVisible()
    assert report.windowTitle() == "Resultado de la importación"
    assert report.import_button.isHidden()
    assert report.model.data(report.model.index(0, 2)) == "Importado"
    assert int(report.model.data(report.model.index(0, 3))) > 0  # new records
    assert int(report.model.data(report.model.index(0, 7))) > 0  # Cali's, out of scope
    assert "cambio rechazado" in report.details.toPlainText()
    QTest.qWait(50)
    assert report.grab().save(str(ARTIFACTS / "26-cuarentena-resultado.png"))

    codes = {a.code for a in assistances.list_assistances(office)}
    assert ipiales in codes and cali not in codes  # only Nariño was given
    assert [(p.name, p.role, p.directorates) for p in list_peers(office)] == [
        ("Portátil Ipiales", "field", "NAR")
    ]
    assert not (office.data_dir / "cuarentena" / "ipiales.fkb").exists()
    assert dialog.model.rowCount() == 0 and dialog.empty.isVisible()
    assert not dialog.accept_button.isEnabled()
    report.cancel_button.click()
    assert closed(report)
    # The views heard of the import: the assistances list shows the new one.
    win.nav.setCurrentRow(1)
    view = win.assistances_view()
    qtbot.waitUntil(lambda: any(r.code == ipiales for r in view.model.rows))
    dialog.close_button.click()
    assert closed(dialog)


def test_discard_asks_first_and_then_removes_the_bundle(
    office: Profile,
    newcomer: Profile,
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    tmp_path: Path,
) -> None:
    assistances.create_assistance(newcomer, AssistanceInput("52356", "INNOVACION"))
    import_bundles(office, [changes_bundle(newcomer, tmp_path / "dudoso.fkb")])
    quarantined = office.data_dir / "cuarentena" / "dudoso.fkb"
    assert quarantined.is_file()
    win = open_window(office, qtbot, wait_ops)
    dialog = open_dialog(win, wait_ops)
    assert dialog.model.rowCount() == 1

    boxes.answer = QMessageBox.StandardButton.No
    dialog.discard_button.click()
    wait_ops()
    [question] = boxes.texts("question")
    assert "dudoso.fkb" in question and "Portátil Ipiales" in question
    assert quarantined.is_file() and dialog.model.rowCount() == 1  # «No» keeps it

    boxes.answer = QMessageBox.StandardButton.Yes
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.table.setFocus()
    QTest.keyClick(dialog.table, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # Descar&tar
    qtbot.waitUntil(lambda: len(boxes.texts("question")) == 2)  # a mnemonic clicks animated
    wait_ops()
    assert not quarantined.exists()
    assert dialog.model.rowCount() == 0 and dialog.empty.isVisible()
    assert list_peers(office) == []  # discarding trusts nobody
    assert not any(a.municipality_code == "52356" for a in assistances.list_assistances(office))


def test_a_second_bundle_of_an_accepted_sender_shows_its_role_and_scope(
    office: Profile,
    newcomer: Profile,
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    tmp_path: Path,
) -> None:
    from fieldkit.services.sync import accept_quarantined

    assistances.create_assistance(newcomer, AssistanceInput("52356", "INNOVACION"))
    first = changes_bundle(newcomer, tmp_path / "a-primero.fkb")
    assistances.create_assistance(newcomer, AssistanceInput("52001", "INNOVACION"))
    second = changes_bundle(newcomer, tmp_path / "b-segundo.fkb")
    import_bundles(office, [first, second])
    accept_quarantined(office, "a-primero.fkb", role="reviewer", directorates=["NAR"])

    win = open_window(office, qtbot, wait_ops)
    dialog = open_dialog(win, wait_ops)
    assert dialog.model.rowCount() == 1
    assert cell(dialog, 0, 0) == "b-segundo.fkb"
    assert cell(dialog, 0, 5) == "Inscrito como Revisor"
    assert "ya fue aceptado" in dialog.selection.text()
    assert dialog.scope.role.currentData() == "reviewer"
    assert dialog.scope.directorates.text() == "NAR"
    dialog.accept_button.click()
    wait_ops()
    assert dialog.report is not None and dialog.report.results[0].status == "applied"
    assert dialog.model.rowCount() == 0
