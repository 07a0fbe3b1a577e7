"""The Informes menu and Catálogos → Importar indicadores: reachable from the window, each report
previewed for what is selected, and a clear word when nothing is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog
from ui_helpers import Boxes, add_assistances, add_people

from fieldkit.services import catalog
from fieldkit.services.profile import Profile
from fieldkit.ui.dialogs.indicator_import import IndicatorImportDialog
from fieldkit.ui.dialogs.report_preview import ReportPreviewDialog
from fieldkit.ui.main_window import ASSISTANCES, MUNICIPALITIES, MainWindow


def wait_report(qtbot: Any, dialog: Any, wait_ops: Callable[[], None]) -> None:
    assert isinstance(dialog, ReportPreviewDialog)  # deletes itself when closed
    wait_ops()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20_000)


def test_each_report_is_previewed_for_what_is_selected(
    coordinator_window: MainWindow,
    coordinator: Profile,
    boxes: Boxes,
    qtbot: Any,
    wait_ops: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    win = coordinator_window
    codes = add_assistances(coordinator, add_people(coordinator))
    catalog.import_directorates(coordinator)

    # Nothing selected yet: a word, no dialog.
    win.nav.setCurrentRow(MUNICIPALITIES)
    assert win.report_assistance() is None
    assert "Elija una asistencia" in boxes.texts("information")[-1]

    win.nav.setCurrentRow(ASSISTANCES)
    view = win.assistances_view()
    qtbot.waitUntil(lambda: view.model.rowCount() == len(codes))
    view.select(codes[0])
    wait_ops()
    dialog = win.report_assistance()
    wait_report(qtbot, dialog, wait_ops)
    assert dialog.result.pages >= 1 and dialog.key == codes[0]
    dialog.close()

    # From an assistance, the ficha is its municipality's.
    dialog = win.report_municipality()
    wait_report(qtbot, dialog, wait_ops)
    assert dialog.key == "52835" and dialog.result.pages >= 1
    dialog.close()

    def pick_nar(_parent: Any, _title: str, _label: str, items: list[str], *_a: Any) -> Any:
        return next(x for x in items if x.startswith("NAR ")), True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick_nar))
    dialog = win.report_monitoring()
    wait_report(qtbot, dialog, wait_ops)
    assert dialog.key == "NAR"
    dialog.close()
    assert win.assistance_report_action.shortcut().toString() == "Ctrl+P"


def test_indicator_import_is_for_coordinators(
    window: MainWindow, profile: Profile, qtbot: Any
) -> None:
    assert not window.indicators_action.isEnabled()  # a field team's profile
    assert "coordinador" in window.indicators_action.toolTip()


def test_coordinators_open_the_indicator_import(coordinator_window: MainWindow, qtbot: Any) -> None:
    assert coordinator_window.indicators_action.isEnabled()
    dialog = coordinator_window.import_indicators()  # a child of the window: closed with it
    assert isinstance(dialog, IndicatorImportDialog) and dialog.isVisible()
    dialog.close()


def test_the_workbook_is_exported_from_the_menu_pseudonymized(
    coordinator_window: MainWindow,
    coordinator: Profile,
    qtbot: Any,
    wait_ops: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
) -> None:
    from openpyxl import load_workbook
    from ui_helpers import save_as

    add_assistances(coordinator, add_people(coordinator))

    def first_choice(_parent: Any, _title: str, _label: str, items: list[str], *_a: Any) -> Any:
        assert items[0].startswith("Pseudonimizado")
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(first_choice))
    save_as(monkeypatch, tmp_path / "libro")
    op = coordinator_window.export_workbook()
    assert op is not None
    wait_ops()
    assert op.error is None
    book = load_workbook(tmp_path / "libro.xlsx", read_only=True)
    rows = list(book["Asistencias"].iter_rows(values_only=True))
    assert len(rows) == 1 + 5 and rows[0][0] == "Código"  # header and the five assistances
    assert "libro.xlsx" in coordinator_window.statusBar().currentMessage()
