"""The municipalities view: all 1,121 rows, search as you type, filters, sorting, the ficha."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from fieldkit.domain.text import fold
from fieldkit.services import catalog
from fieldkit.services.profile import Profile
from fieldkit.ui.main_window import ASSISTANCES, MUNICIPALITIES, PERSONS, MainWindow


def names(win: MainWindow) -> list[str]:
    return [r.name for r in win.municipalities_view().model.rows]


def test_fresh_profile_shows_every_municipality(window: MainWindow) -> None:
    view = window.municipalities_view()
    assert view.model.rowCount() == 1121
    assert view.count.text() == "1.121 municipios"
    assert window.windowTitle() == "fieldkit — Portátil de prueba"
    assert view.search.placeholderText() == "Buscar municipio, departamento o código…"
    headers = [view.model.headerData(i, Qt.Orientation.Horizontal) for i in range(6)]
    assert headers == [
        "Código",
        "Municipio",
        "Departamento",
        "Subregión PDET",
        "Categoría",
        "Dirección territorial",
    ]


def test_typing_without_accents_finds_narino_and_bogota(window: MainWindow, qtbot: Any) -> None:
    view = window.municipalities_view()
    qtbot.keyClicks(view.search, "narino")
    rows = view.model.rows
    # All 64 of the department, plus the towns called Nariño elsewhere (and Puerto Nariño).
    assert len([r for r in rows if r.department == "Nariño"]) == 64
    assert all("Nariño" in (r.department + r.name) for r in rows)
    assert {"San Andrés de Tumaco", "Pasto", "Puerto Nariño"} <= set(names(window))
    assert view.count.text() == f"{len(rows)} de 1.121 municipios"

    view.search.clear()
    qtbot.keyClicks(view.search, "bogota")
    assert "Bogotá, D.C." in names(window)
    view.search.clear()
    assert view.model.rowCount() == 1121


def test_filter_as_you_type_is_fast(window: MainWindow) -> None:
    view = window.municipalities_view()
    timings = []
    for text in ("s", "sa", "san", "san j", "", "narino", "a", ""):
        started = time.perf_counter()
        view.search.setText(text)  # filter + model reset, as a keystroke does
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.016, timings


def test_filter_by_department_and_pdet(window: MainWindow) -> None:
    view = window.municipalities_view()
    view.department.set_value("52")
    assert {r.department_code for r in view.model.rows} == {"52"}
    view.department.set_value(None)

    view.pdet_only.setChecked(True)
    assert len(view.model.rows) == 170
    view.pdet_only.setChecked(False)

    view.subregion.setCurrentIndex(view.subregion.findText("Pacífico y Frontera Nariñense"))
    rows = view.model.rows
    assert rows and {r.pdet_subregion for r in rows} == {"Pacífico y Frontera Nariñense"}
    assert "San Andrés de Tumaco" in names(window)

    view.search.setText("tumaco")
    assert names(window) == ["San Andrés de Tumaco"]


def test_sorting_by_header(window: MainWindow) -> None:
    view = window.municipalities_view()
    view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    # Accents do not push a name to the end: Ábrego sorts among the A's.
    assert names(window)[:3] == ["Abejorral", "Ábrego", "Abriaquí"]
    assert names(window) == sorted(names(window), key=fold)
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert view.model.rows[0].code == max(r.code for r in view.model.rows)
    # The filter keeps the chosen order.
    view.search.setText("narino")
    codes = [r.code for r in view.model.rows]
    assert codes == sorted(codes, reverse=True)


def test_enter_opens_the_ficha(
    window: MainWindow, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    view = window.municipalities_view()
    qtbot.keyClicks(view.search, "tumaco")
    QTest.keyClick(view.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.last_sheet is not None and window.last_sheet.isVisible())
    wait_ops()
    sheet = window.last_sheet
    assert sheet.windowTitle() == "Ficha municipal: San Andrés de Tumaco"
    assert sheet.fields["code"].text() == "52835"
    assert sheet.fields["department_code"].text() == "52"
    assert sheet.fields["kind"].text() == "Municipio"
    assert sheet.fields["pdet"].text() == "Pacífico y Frontera Nariñense"
    assert sheet.fields["location"].text().startswith("latitud 1,")
    assert sheet.no_indicators.text() == "Sin indicadores cargados."
    assert sheet.assistances.rowCount() == 0
    sheet.close()


def test_double_click_opens_the_ficha(window: MainWindow, qtbot: Any) -> None:
    view = window.municipalities_view()
    view.search.setText("bogota")
    rect = view.table.visualRect(view.model.index(0, 1))
    # QTest's double click alone lacks the press that precedes it on a real mouse.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.last_sheet is not None and window.last_sheet.isVisible())
    assert window.last_sheet.fields["code"].text() == "11001"
    window.last_sheet.close()


def test_coordinator_sets_a_category_in_the_ficha(
    new_profile: Callable[..., Profile], qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    profile = new_profile("coordinacion", device_name="Coordinación", role="coordinator")
    win = MainWindow(profile)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.municipalities_view().loaded)
    win.open_sheet("52835")
    qtbot.waitUntil(lambda: win.last_sheet is not None and win.last_sheet.isVisible())
    sheet = win.last_sheet
    assert sheet.category_combo.isVisible()
    sheet.category_combo.setCurrentIndex(sheet.category_combo.findText("Sexta"))
    qtbot.mouseClick(sheet.category_save, Qt.MouseButton.LeftButton)
    wait_ops()
    assert catalog.municipality(profile, "52835").category == "6"
    view = win.municipalities_view()
    view.search.setText("tumaco")
    assert view.model.data(view.model.index(0, 4)) == "Sexta"
    view.category.set_value("6")
    assert [r.code for r in view.model.rows] == ["52835"]
    sheet.close()
    win.close()
    wait_ops()


def test_field_profile_cannot_change_the_category(window: MainWindow, qtbot: Any) -> None:
    window.open_sheet("05001")
    qtbot.waitUntil(lambda: window.last_sheet is not None and window.last_sheet.isVisible())
    sheet = window.last_sheet
    assert not sheet.category_combo.isVisible()
    assert sheet.category_value.text() == "Sin categoría"
    sheet.close()


def test_keyboard_switches_views_and_focuses_search(
    window: MainWindow, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == ASSISTANCES
    wait_ops()
    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == PERSONS
    wait_ops()
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == MUNICIPALITIES
    window.nav.setFocus()
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.municipalities_view().search.hasFocus())


def test_imported_indicators_are_columns_of_the_table(
    coordinator_window: MainWindow, coordinator: Profile, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    from pathlib import Path

    from fieldkit.services import indicators

    fixtures = Path(__file__).resolve().parents[1] / "services" / "fixtures" / "indicators"
    path = fixtures / "idf_serie.xlsx"
    [info] = [s for s in indicators.inspect(path) if s.guess is not None][:1]
    _preview, changes = indicators.import_indicators(coordinator, path, info.guess)
    coordinator_window.apply_changes(changes)
    view = coordinator_window.municipalities_view()
    model = view.model
    qtbot.waitUntil(lambda: model.columnCount() == 7, timeout=10_000)
    wait_ops()
    assert model.headerData(6, Qt.Orientation.Horizontal) == "IDF"
    row = model.find(lambda r: r.code == "05001")
    assert model.data(model.index(row, 6)) == "81,3"  # the newest year, Spanish decimals
    tip = model.data(model.index(row, 6), Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[0] == "IDF 2021: 81,3"
    # Sorted as numbers (1.234,5 after 81,3), municipalities without the indicator last.
    view.table.sortByColumn(6, Qt.SortOrder.AscendingOrder)
    values = [model.data(model.index(r, 6)) for r in range(model.rowCount())]
    filled = [v for v in values if v]
    assert filled and values[: len(filled)] == filled
    numbers = [float(v.replace(".", "").replace(",", ".")) for v in filled]
    assert numbers == sorted(numbers) and len(numbers) > 2
    view.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)  # still last the other way
    values = [model.data(model.index(r, 6)) for r in range(model.rowCount())]
    assert values[: len(filled)] == filled[::-1]
