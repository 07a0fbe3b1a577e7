"""Sync from the window: export, import with preview, and the conflict queue, on two real devices."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from ui_helpers import Boxes, closed, device, enrolled_pair, open_window, save_as

from fieldkit.services import history, persons
from fieldkit.services.profile import Profile, set_role
from fieldkit.services.sync import enrol_request, export
from fieldkit.ui.main_window import CONFLICTS, MainWindow

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture
def pair(new_profile: Callable[..., Profile], tmp_path: Path) -> tuple[Profile, Profile]:
    return enrolled_pair(new_profile, tmp_path)


@pytest.fixture
def office_window(
    pair: tuple[Profile, Profile], qtbot: Any, wait_ops: Callable[[], None]
) -> Iterator[MainWindow]:
    win = open_window(pair[0], qtbot, wait_ops)
    yield win
    wait_ops()


def open_files(monkeypatch: pytest.MonkeyPatch, paths: list[Path]) -> None:
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileNames",
        staticmethod(lambda *a, **k: ([str(p) for p in paths], "")),
    )


def test_export_from_the_team_says_recipient_and_count(
    pair: tuple[Profile, Profile],
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _office, team = pair
    persons.save_person(team, name="Ana Rojas", role="field_professional")
    win = open_window(team, qtbot, wait_ops)
    save_as(monkeypatch, tmp_path / "para-coordinador")  # the extension is added
    win.export_action.trigger()
    dialog = win.last_export_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.recipient.currentText() == "Coordinación Nariño — mi coordinador"  # type: ignore[attr-defined]
    assert not dialog.everything.isChecked()  # type: ignore[attr-defined]
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    wait_ops()
    assert (tmp_path / "para-coordinador.fkb").exists()
    [text] = boxes.texts("information")
    assert "Coordinación Nariño" in text and "operaciones" in text


def test_import_previews_then_applies_and_marks_bad_bundles(
    pair: tuple[Profile, Profile],
    office_window: MainWindow,
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    office, team = pair
    persons.save_person(team, name="Ana Rojas", role="field_professional")
    good = export(team, tmp_path / "tumaco.fkb").path
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0x01
    broken = tmp_path / "roto.fkb"
    broken.write_bytes(bytes(data))
    before = len(persons.list_persons(office))

    open_files(monkeypatch, [good, broken])
    office_window.import_action.trigger()
    wait_ops()
    dialog = office_window.last_import_dialog
    assert dialog is not None and dialog.isVisible()
    statuses = [r.status for r in dialog.results]  # type: ignore[attr-defined]
    assert statuses == ["dry-run", "refused"]
    assert len(persons.list_persons(office)) == before  # the preview changed nothing
    table = dialog.model  # type: ignore[attr-defined]
    assert table.data(table.index(0, 2)) == "Listo para importar"
    assert table.data(table.index(1, 2)) == "✖ Rechazado"
    assert int(table.data(table.index(0, 3))) > 0
    assert "roto.fkb: rechazado" in dialog.details.toPlainText()  # type: ignore[attr-defined]
    QTest.qWait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    assert dialog.grab().save(str(ARTIFACTS / "20-importar-vista-previa.png"))

    office_window.nav.setCurrentRow(2)  # Personas, to see it refresh with the Changes
    wait_ops()
    dialog.import_button.click()  # type: ignore[attr-defined]
    wait_ops()
    assert dialog.imported  # type: ignore[attr-defined]
    assert [r.status for r in dialog.results] == ["applied", "refused"]  # type: ignore[attr-defined]
    assert dialog.import_button.isHidden()  # type: ignore[attr-defined]
    assert len(persons.list_persons(office)) == before + 1
    qtbot.waitUntil(
        lambda: any(r.name == "Ana Rojas" for r in office_window.persons_view().model.rows)
    )
    dialog.cancel_button.click()  # type: ignore[attr-defined]
    assert closed(dialog)


def test_a_stranger_bundle_is_marked_quarantined(
    pair: tuple[Profile, Profile],
    office_window: MainWindow,
    new_profile: Callable[..., Profile],
    wait_ops: Callable[[], None],
    boxes: Boxes,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    stranger = device(new_profile, "extraño", "Equipo desconocido")
    set_role(stranger, "field")
    enrol_request(stranger, tmp_path / "x.fkb")
    open_files(monkeypatch, [tmp_path / "x.fkb"])
    office_window.import_action.trigger()
    wait_ops()
    dialog = office_window.last_import_dialog
    assert dialog is not None
    assert [r.status for r in dialog.results] == ["quarantined"]  # type: ignore[attr-defined]
    assert "cuarentena" in dialog.model.data(dialog.model.index(0, 2))  # type: ignore[attr-defined]
    assert "Equipo desconocido" in dialog.details.toPlainText()  # type: ignore[attr-defined]
    dialog.reject()


def test_cancelled_file_choice_does_nothing(
    office_window: MainWindow, boxes: Boxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_files(monkeypatch, [])
    assert office_window.import_bundles() is None
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    dialog = office_window.export_bundle()
    assert dialog is not None
    before = set(Path.cwd().glob("*.fkb"))
    dialog.accept()  # a recipient chosen, then the file dialog cancelled
    assert boxes.calls == [] and set(Path.cwd().glob("*.fkb")) == before


def make_conflict(office: Profile, team: Profile, tmp_path: Path) -> str:
    """The same person's phone changed on both devices, then the team's change arrives."""
    from fieldkit.services.sync import import_bundles

    pid, _c = persons.save_person(team, name="Ana Rojas", role="field_professional", phone="1")
    import_bundles(office, [export(team, tmp_path / "uno.fkb").path])
    persons.save_person(
        office, person_id=pid, name="Ana Rojas", role="field_professional", phone="3001112233"
    )
    persons.save_person(
        team, person_id=pid, name="Ana Rojas", role="field_professional", phone="3159998877"
    )
    [result], _c = import_bundles(office, [export(team, tmp_path / "dos.fkb").path])
    assert result.conflicts == 1, result
    return pid


def test_conflicts_view_keeps_mine_or_theirs(
    pair: tuple[Profile, Profile],
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    tmp_path: Path,
) -> None:
    office, team = pair
    pid = make_conflict(office, team, tmp_path)
    win = open_window(office, qtbot, wait_ops)
    assert win.nav.item(CONFLICTS).text() == "Conflictos"
    win.nav.setCurrentRow(CONFLICTS)
    view = win.conflicts_view()
    qtbot.waitUntil(lambda: view.loaded)
    assert len(view.model.rows) == 1
    row = view.model.rows[0]
    assert (row.entity, row.field, row.mine.value, row.theirs.value) == (
        "person",
        "phone",
        "3001112233",
        "3159998877",
    )
    assert view.model.data(view.model.index(0, 0)) == "Persona · teléfono"  # not person.phone
    assert "Portátil Tumaco" in view.model.data(view.model.index(0, 6))
    assert "Coordinación Nariño" in view.model.data(view.model.index(0, 3))
    assert not view.mine_button.isEnabled()
    view.table.selectRow(0)
    assert view.mine_button.isEnabled() and view.theirs_button.isEnabled()
    QTest.qWait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    assert win.grab().save(str(ARTIFACTS / "21-conflictos.png"))

    view.theirs_button.click()
    wait_ops()
    qtbot.waitUntil(lambda: view.model.rows == [])
    phone = next(p.phone for p in persons.list_persons(office) if p.id == pid)
    assert phone == "3159998877"
    assert history.list_conflicts(office) == []

    view.show_resolved.setChecked(True)
    qtbot.waitUntil(lambda: len(view.model.rows) == 1)
    assert view.model.data(view.model.index(0, 8)) == "Resuelto"
    view.table.selectRow(0)
    assert not view.mine_button.isEnabled()
