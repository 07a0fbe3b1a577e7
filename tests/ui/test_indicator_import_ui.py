"""Catálogos → Importar indicadores municipales…: the dialog pre-filled from the file, its preview
and problems, the import in the background, and the refusal for other roles."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QTableView
from ui_helpers import Boxes, key_clicks

from fieldkit.services import catalog
from fieldkit.services.catalog import IndicatorRow
from fieldkit.services.profile import Profile, set_role
from fieldkit.ui.dialogs.indicator_import import IndicatorImportDialog

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
FIXTURES = Path(__file__).resolve().parents[1] / "services" / "fixtures" / "indicators"
MDM_SOURCE = "DNP – Dirección de Descentralización y Fortalecimiento Fiscal, MDM 2022"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("indicator_fixtures", FIXTURES / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _generator()


def choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )


def cells(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def open_dialog(
    profile: Profile, qtbot: Any, wait_ops: Callable[[], None]
) -> IndicatorImportDialog:
    dialog = IndicatorImportDialog(profile)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    wait_ops()
    return dialog


def previewed(dialog: IndicatorImportDialog, qtbot: Any, wait_ops: Callable[[], None]) -> None:
    """Wait for the preview of the mapping on screen (the dialog waits for typing to stop)."""
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    wait_ops()
    assert dialog.result is not None


def test_a_coordinator_imports_an_mdm_workbook(
    coordinator: Profile,
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    files = gen.write_all(tmp_path / "archivos")
    dialog = open_dialog(coordinator, qtbot, wait_ops)
    assert not dialog.role_note.isVisible()
    assert not dialog.import_button.isEnabled()
    assert not dialog.code_combo.isEnabled()  # nothing to map before a file
    assert dialog.choose_button.hasFocus()

    choose(monkeypatch, files[gen.MDM])
    QTest.keyClick(dialog.choose_button, Qt.Key.Key_Space)  # the keyboard opens the file
    wait_ops()
    previewed(dialog, qtbot, wait_ops)

    # Pre-filled from the file: the data sheet, the header under the titles, the columns.
    assert dialog.file_edit.text() == str(files[gen.MDM])
    assert [dialog.sheet_combo.itemText(i) for i in range(dialog.sheet_combo.count())] == [
        "Presentación (sin tabla reconocida)",
        "Resultados MDM 2022",
        "Serie IDF",
    ]
    assert dialog.sheet_combo.currentText() == "Resultados MDM 2022"
    assert dialog.header_spin.value() == 5
    assert dialog.code_combo.currentText() == "A · Código DANE"
    assert dialog.value_combo.currentText() == "E · MDM 2022 Puntaje"
    assert dialog.indicator_combo.currentText() == "MDM"
    assert dialog.year_fixed.isChecked() and dialog.year_spin.value() == 2022
    assert not dialog.year_combo.isEnabled()
    assert dialog.source_edit.text() == MDM_SOURCE
    assert [dialog.indicator_combo.itemText(i) for i in range(5)] == [
        "MDM",
        "IDF",
        "IPM",
        "IMR",
        "NBI",
    ]

    assert cells(dialog.preview_table) == [
        ["8", "05002", "Abejorral", "2022", "62,35", "—", "nuevo"],
        ["9", "05004", "Abriaquí", "2022", "55,2", "—", "nuevo"],
        ["14", "05001", "Medellín", "2022", "73,1", "—", "nuevo"],
        ["16", "27001", "Quibdó", "2022", "45", "—", "nuevo"],
    ]
    problems = cells(dialog.problem_table)
    assert [row[0] for row in problems] == ["7", "11", "12", "13", "15", "18", "19", "20"]
    assert problems[0][1] == (
        "repetida: la fila 14 trae otra vez el municipio 05001 en 2022; se usa la última"
    )
    assert problems[2][1] == "el código 99999 no está en DIVIPOLA"
    assert dialog.summary.text() == (
        "4 filas utilizables: 4 valores nuevos, 0 cambian, 0 iguales a los guardados. "
        "8 filas no usadas."
    )
    assert dialog.problem_box.title() == "Filas &no usadas (8)"
    assert dialog.import_button.isEnabled()

    ARTIFACTS.mkdir(exist_ok=True)
    assert dialog.grab().save(str(ARTIFACTS / "indicator_import.png"))

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_ops()
    assert boxes.texts("information") == [
        "Importación terminada: 4 valores nuevos, 0 actualizados, 8 filas no usadas."
    ]
    assert catalog.municipality_sheet(coordinator, "05001").indicators == [
        IndicatorRow("MDM", 2022, 73.1, MDM_SOURCE)
    ]
    # The preview is read again: everything is now as stored, nothing left to import.
    previewed(dialog, qtbot, wait_ops)
    assert [row[5:] for row in cells(dialog.preview_table)] == [
        ["62,35", "igual"],
        ["55,2", "igual"],
        ["73,1", "igual"],
        ["45", "igual"],
    ]
    assert not dialog.import_button.isEnabled()

    # Another sheet, chosen with the keyboard: one column per year; the person picks 2020.
    dialog.sheet_combo.setFocus()
    QTest.keyClick(dialog.sheet_combo, Qt.Key.Key_Down)
    assert dialog.sheet_combo.currentText() == "Serie IDF"
    assert dialog.value_combo.currentText() == "E · 2021"
    assert dialog.indicator_combo.currentText() == "IDF"
    assert dialog.year_spin.value() == 2021
    dialog.value_combo.setFocus()
    QTest.keyClick(dialog.value_combo, Qt.Key.Key_Up)
    assert dialog.value_combo.currentText() == "D · 2020"
    dialog.year_spin.selectAll()
    key_clicks(dialog.year_spin, "2020")
    assert dialog.year_spin.value() == 2020
    dialog.source_edit.selectAll()
    key_clicks(dialog.source_edit, "DNP, serie IDF")
    previewed(dialog, qtbot, wait_ops)
    assert cells(dialog.preview_table) == [
        ["4", "05001", "Medellín", "2020", "80,5", "—", "nuevo"],
        ["5", "52835", "San Andrés de Tumaco", "2020", "52,4", "—", "nuevo"],
    ]
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_ops()
    assert boxes.texts("information")[-1] == (
        "Importación terminada: 2 valores nuevos, 0 actualizados, 0 filas no usadas."
    )
    assert catalog.municipality_sheet(coordinator, "52835").indicators == [
        IndicatorRow("IDF", 2020, 52.4, "DNP, serie IDF")
    ]


def test_the_header_row_and_the_year_column_can_be_corrected(
    coordinator: Profile,
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    files = gen.write_all(tmp_path / "archivos")
    dialog = open_dialog(coordinator, qtbot, wait_ops)
    dialog.load_file(files[gen.IDF])
    wait_ops()
    previewed(dialog, qtbot, wait_ops)
    assert dialog.year_in_column.isChecked()
    assert dialog.year_combo.currentText() == "C · Vigencia"
    assert not dialog.year_spin.isEnabled()
    assert [row[:5] for row in cells(dialog.preview_table)] == [
        ["4", "05001", "Medellín", "2020", "80,5"],
        ["6", "05001", "Medellín", "2021", "81,3"],
        ["7", "52835", "San Andrés de Tumaco", "2021", "1.234,5"],
        ["10", "08001", "Barranquilla", "2022", "45"],
        ["11", "11001", "Bogotá, D.C.", "2022", "78"],
    ]

    # The header one row lower: the names follow, the chosen columns stay.
    dialog.header_spin.setFocus()
    QTest.keyClick(dialog.header_spin, Qt.Key.Key_Up)
    wait_ops()
    qtbot.waitUntil(
        lambda: dialog.header_spin.value() == 4 and dialog.code_combo.currentText() == "A · 5001"
    )
    assert dialog.value_combo.currentText() == "D · 80,5"
    previewed(dialog, qtbot, wait_ops)
    assert cells(dialog.preview_table)[0][:5] == ["6", "05001", "Medellín", "2021", "81,3"]

    # Back to the right header, then a fixed year instead of the column: the years of the
    # file are ignored and every row is 2019 (the repeated municipality keeps its last row).
    QTest.keyClick(dialog.header_spin, Qt.Key.Key_Down)
    wait_ops()
    qtbot.waitUntil(lambda: dialog.code_combo.currentText() == "A · Cód. Mpio")
    dialog.year_fixed.setFocus()
    QTest.keyClick(dialog.year_fixed, Qt.Key.Key_Space)
    assert dialog.year_fixed.isChecked() and dialog.year_spin.isEnabled()
    dialog.year_spin.selectAll()
    key_clicks(dialog.year_spin, "2019")
    previewed(dialog, qtbot, wait_ops)
    assert [(row[0], row[1], row[3], row[4]) for row in cells(dialog.preview_table)] == [
        ("6", "05001", "2019", "81,3"),
        ("9", "52835", "2019", "50"),
        ("10", "08001", "2019", "45"),
        ("11", "11001", "2019", "78"),
    ]
    assert dialog.result is not None
    assert [p.row for p in dialog.result.problems] == [4, 5, 7, 8, 12, 13]


def test_other_roles_may_look_but_not_import(
    profile: Profile,
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_role(profile, "reviewer")
    dialog = open_dialog(profile, qtbot, wait_ops)
    assert dialog.role_note.isVisible()
    assert dialog.role_note.text() == (
        "Solo un perfil de coordinador puede importar indicadores municipales. Este perfil es "
        "«Revisor»: puede revisar el archivo, pero no importarlo."
    )
    choose(monkeypatch, FIXTURES / gen.IPM)
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    wait_ops()
    previewed(dialog, qtbot, wait_ops)
    assert dialog.indicator_combo.currentText() == "IPM"
    assert dialog.year_spin.value() == 2018
    assert [row[1:5] for row in cells(dialog.preview_table)] == [
        ["05001", "Medellín", "2018", "8,5"],
        ["05002", "Abejorral", "2018", "45,3"],
        ["19050", "Argelia", "2018", "78,9"],
    ]
    assert not dialog.import_button.isEnabled()
    assert "Solo un perfil de coordinador" in dialog.import_button.toolTip()
    # Even if the button were pressed, the service refuses and nothing is written.
    dialog.start_import()
    wait_ops()
    assert "Solo un perfil de coordinador puede importar" in dialog.error.text()
    assert catalog.municipality_sheet(profile, "05001").indicators == []


def test_a_file_it_cannot_read_is_explained_in_the_dialog(
    coordinator: Profile,
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    old = tmp_path / "mdm_2019.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    dialog = open_dialog(coordinator, qtbot, wait_ops)
    choose(monkeypatch, old)
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    wait_ops()
    assert dialog.error.isVisible()
    assert "formato antiguo de Excel (.xls)" in dialog.error.text()
    assert dialog.file_edit.text() == ""
    assert not dialog.import_button.isEnabled()
    assert boxes.calls == []
