"""«Historial de cambios…» in the assistances view: the selected record's change log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtTest import QTest
from ui_helpers import Team, closed

from fieldkit.services.profile import Profile
from fieldkit.ui.main_window import ASSISTANCES, MainWindow

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def test_history_of_the_selected_assistance(
    populated: tuple[Profile, Team, list[str]], qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    profile, _team, codes = populated
    win = MainWindow(profile)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.municipalities_view().loaded, timeout=10_000)
    win.nav.setCurrentRow(ASSISTANCES)
    view = win.assistances_view()
    qtbot.waitUntil(lambda: view.loaded)
    button = view.history_button  # type: ignore[attr-defined]
    assert button.text() == "&Historial de cambios…"
    assert not button.isEnabled()
    assert view.select(codes[0])
    assert button.isEnabled()
    button.click()
    wait_ops()
    dialog = view.last_history_dialog  # type: ignore[attr-defined]
    assert dialog.isVisible() and codes[0] in dialog.windowTitle()
    model = dialog.model
    fields = {model.data(model.index(i, 1)) for i in range(model.rowCount())}
    assert {"Asistencia técnica · código", "Asistencia técnica · estado"} <= fields
    when = model.data(model.index(0, 0))
    assert len(when) == 16 and when[2] == "/" and when[5] == "/" and when[13] == ":"
    assert model.data(model.index(0, 4)) == "Portátil de prueba"
    QTest.qWait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    assert dialog.grab().save(str(ARTIFACTS / "22-historial-de-cambios.png"))
    dialog.reject()
    assert closed(dialog)
    wait_ops()
