"""The export dialog (recipient, send everything) and the sync folder from the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from ui_helpers import Boxes, enrolled_pair, open_window, save_as

from fieldkit.services import assistances, persons, sync_folder
from fieldkit.services.assistances import AssistanceInput
from fieldkit.services.profile import Profile
from fieldkit.ui.dialogs.sync import ExportDialog
from fieldkit.ui.dialogs.sync_folder import SyncFolderDialog
from fieldkit.ui.main_window import ASSISTANCES

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture
def pair(new_profile: Callable[..., Profile], tmp_path: Path) -> tuple[Profile, Profile]:
    return enrolled_pair(new_profile, tmp_path)


def test_the_coordinator_chooses_the_recipient_and_may_send_everything(
    pair: tuple[Profile, Profile],
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    office, team = pair
    from fieldkit.services.sync import export, import_bundles

    # The team has written once: the office knows what it holds.
    import_bundles(office, [export(team, tmp_path / "del-equipo.fkb").path])
    persons.save_person(office, name="Rosa Díaz", role="coordinator")
    win = open_window(office, qtbot, wait_ops)
    win.export_action.trigger()
    dialog = win.last_export_dialog
    assert isinstance(dialog, ExportDialog)
    assert [dialog.recipient.itemText(i) for i in range(dialog.recipient.count())] == [
        "Portátil Tumaco — Equipo de campo"
    ]
    assert dialog.fingerprint.text() == dialog.chosen.fingerprint != ""
    dialog.everything.setChecked(True)
    dialog.grab().save(str(ARTIFACTS / "23-exportar-paquete.png"))
    save_as(monkeypatch, tmp_path / "para-tumaco")
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    wait_ops()
    sent = tmp_path / "para-tumaco.fkb"
    assert sent.exists()
    [text] = boxes.texts("information")
    assert "Portátil Tumaco" in text
    # Everything: more than what the team lacks (the catalogs it got at enrolment come again).
    lacking = export(office, tmp_path / "solo-lo-que-falta.fkb", for_device=team.device_id)
    [everything], _ = import_bundles(team, [sent], dry_run=True)
    assert everything.status == "dry-run"
    assert everything.received > lacking.operations >= 1
    assert everything.duplicates == everything.received - lacking.operations


def test_choose_the_folder_then_sync_now_previews_imports_and_answers(
    pair: tuple[Profile, Profile],
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    tmp_path: Path,
) -> None:
    office, team = pair
    shared = tmp_path / "nube"
    shared.mkdir()
    code, _ = assistances.create_assistance(team, AssistanceInput("52835", "PAZ"))
    sync_folder.set_folder(team, shared)
    sync_folder.sync(team)  # the team's bundle waits in the folder
    persons.save_person(office, name="Rosa Díaz", role="coordinator")  # news for the team

    win = open_window(office, qtbot, wait_ops)
    win.sync_folder_action.trigger()
    dialog = win.findChild(SyncFolderDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.path.setText(str(tmp_path / "no-existe"))
    assert dialog.save() is False and "no existe" in dialog.error.text()
    dialog.path.setText(str(shared))
    dialog.grab().save(str(ARTIFACTS / "24-carpeta-de-sincronizacion.png"))
    assert dialog.save() is True
    assert sync_folder.settings(office).folder == shared.resolve()

    win.nav.setCurrentRow(ASSISTANCES)
    view = win.assistances_view()
    qtbot.waitUntil(lambda: view.loaded, timeout=10_000)
    assert view.model.rowCount() == 0
    win.sync_now_action.trigger()
    wait_ops()
    preview = win.last_import_dialog
    assert preview is not None and "1 paquete nuevo" in preview.intro.text()
    assert code not in {a.code for a in assistances.list_assistances(office)}
    preview.import_button.click()
    wait_ops()
    assert code in {a.code for a in assistances.list_assistances(office)}
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10_000)  # the view refreshed
    # After importing, the office answers the team in the folder.
    answer = [p for p in shared.glob("*.fkb") if p.name.startswith("de-coordinacion-narino")]
    assert len(answer) == 1
    assert "Enviado a Portátil Tumaco" in win.last_sync_summary
    home, _ = sync_folder.sync(team)
    assert [r.status for r in home.imported] == ["applied"]
    assert "Rosa Díaz" in {p.name for p in persons.list_persons(team)}
    preview.reject()
    # A second sync finds nothing new and says so.
    win.sync_now_action.trigger()
    wait_ops()
    assert "No hay paquetes nuevos para este equipo." in win.last_sync_summary


def test_sync_on_start_reports_a_missing_folder_in_the_status_bar(
    pair: tuple[Profile, Profile],
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    tmp_path: Path,
) -> None:
    _office, team = pair
    stick = tmp_path / "usb"
    stick.mkdir()
    sync_folder.set_folder(team, stick)
    stick.rmdir()  # the stick stayed at home
    win = open_window(team, qtbot, wait_ops)
    qtbot.waitUntil(lambda: "no existe" in win.statusBar().currentMessage(), timeout=5_000)
    assert boxes.calls == []  # nothing blocks the start
