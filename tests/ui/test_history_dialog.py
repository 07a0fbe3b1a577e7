"""«Historial de cambios…» in the assistances view: the selected record's change log."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
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
    # Values as a person reads them: names, dd/mm/aaaa, state labels; never ids or codes.
    shown = {}
    for i in range(model.rowCount()):
        shown.setdefault(model.data(model.index(i, 1)), []).append(model.data(model.index(i, 2)))
    assert shown["Asistencia técnica · municipio"] == ["San Andrés de Tumaco (Nariño)"]
    assert shown["Asistencia técnica · fecha de solicitud"] == ["03/02/2026"]
    assert shown["Asistencia técnica · estado"] == [
        "Solicitada",
        "Concertada",
        "Diagnosticada",
        "Planeada",
        "En ejecución",
    ]
    [line] = shown["Asistencia técnica · línea temática"]
    assert line.startswith("Consolidación de la paz")
    values = [model.data(model.index(i, 2)) for i in range(model.rowCount())]
    assert not any(re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-|\d{4}-\d\d-\d\d", v) for v in values)
    # The stored value is still there for whoever needs it, in the tooltip.
    row = next(
        i for i in range(model.rowCount()) if model.data(model.index(i, 1)).endswith("municipio")
    )
    tooltip = model.data(model.index(row, 2), Qt.ItemDataRole.ToolTipRole)
    assert "San Andrés de Tumaco" in tooltip and "Guardado como:" in tooltip
    # The selected change reads whole under the table.
    assert "Elija un cambio" in dialog.detail.text()
    dialog.table.selectRow(row)
    assert dialog.detail.text().endswith(": San Andrés de Tumaco (Nariño)")
    assert not dialog.table.horizontalScrollBar().isVisible()
    dialog.table.clearSelection()
    QTest.qWait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    assert dialog.grab().save(str(ARTIFACTS / "22-historial-de-cambios.png"))
    dialog.reject()
    assert closed(dialog)
    wait_ops()
