"""Catálogos → Publicar formulario…: only a coordinator, and the new version is listed."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog
from ui_helpers import Boxes, open_window

from fieldkit.services import forms
from fieldkit.services.profile import Profile, set_role


def newer_version(folder: Path) -> Path:
    target = folder / "modulo_paz_v2.xlsx"
    shutil.copy(forms.SHIPPED_DIR / "modulo_consolidacion_paz.xlsx", target)
    book = openpyxl.load_workbook(target)
    sheet = book["settings"]
    column = [c.value for c in sheet[1]].index("version") + 1
    sheet.cell(row=2, column=column, value="2027030101")
    book.save(target)
    return target


def test_a_coordinator_publishes_a_module_for_its_line(
    new_profile: Callable[..., Profile],
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    profile = new_profile()
    set_role(profile, "field")
    win = open_window(profile, qtbot, wait_ops)
    assert not win.publish_form_action.isEnabled()
    assert "coordinador" in win.publish_form_action.toolTip()
    set_role(profile, "coordinator")
    win._update_identity()
    assert win.publish_form_action.isEnabled()

    path = newer_version(tmp_path)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    answers = iter(["Módulo de línea", "Consolidación de la paz total"])
    monkeypatch.setattr(
        QInputDialog, "getItem", staticmethod(lambda *a, **k: (next(answers), True))
    )
    win.publish_form_action.trigger()
    wait_ops()
    [text] = boxes.texts("information")
    assert "versión 2027030101" in text
    [module] = [i for i in forms.instruments(profile) if i.form_id == "modulo_consolidacion_paz"]
    assert (module.version, module.source, module.thematic_line_code) == (
        "2027030101",
        "published",
        "PAZ",
    )
