"""Screenshots of the main screens on a populated profile, for people to look at (tests/artifacts)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from ui_helpers import Team

from fieldkit.services import catalog
from fieldkit.services.profile import Profile, set_role
from fieldkit.ui.dialogs.assistance import AssistanceDialog
from fieldkit.ui.dialogs.demo import DemoDialog
from fieldkit.ui.dialogs.profile import ProfileDialog
from fieldkit.ui.dialogs.transition import TransitionDialog
from fieldkit.ui.main_window import ASSISTANCES, PERSONS, MainWindow

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def save(widget: QWidget, name: str) -> Path:
    QTest.qWait(50)  # let pending layout requests run, as the event loop would before painting
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


@pytest.fixture
def shown(
    populated: tuple[Profile, Team, list[str]], qtbot: Any, wait_ops: Callable[[], None]
) -> tuple[MainWindow, list[str]]:
    profile, _team, codes = populated
    set_role(profile, "coordinator")  # categories are a coordinator's to set
    catalog.import_directorates(profile)  # the example grouping, so that column has values
    for code, category in (("52835", "6"), ("52001", "1"), ("19050", "1"), ("05001", "E")):
        catalog.set_category(profile, code, category)
    win = MainWindow(profile)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitUntil(lambda: win.municipalities_view().loaded)
    qtbot.waitUntil(lambda: win.counts_label.text() != "")
    wait_ops()
    return win, codes


def test_screenshots(
    shown: tuple[MainWindow, list[str]], qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    win, codes = shown
    view = win.municipalities_view()
    view.department.set_value("52")
    assert save(win, "01-municipios").stat().st_size > 10_000

    win.open_sheet("52835")
    qtbot.waitUntil(lambda: win.last_sheet is not None and win.last_sheet.isVisible())
    wait_ops()
    assert win.last_sheet.assistances.rowCount() == 1
    save(win.last_sheet, "02-ficha-municipal")
    win.last_sheet.close()

    win.nav.setCurrentRow(ASSISTANCES)
    assistances_view = win.assistances_view()
    qtbot.waitUntil(lambda: assistances_view.model.rowCount() == len(codes))
    assistances_view.select(codes[0])
    qtbot.waitUntil(lambda: assistances_view.details.history.rowCount() == 5)
    save(win, "03-asistencias")

    assistances_view.edit_selected()
    qtbot.waitUntil(lambda: isinstance(assistances_view.last_dialog, AssistanceDialog))
    dialog = assistances_view.last_dialog
    qtbot.waitUntil(dialog.isVisible)
    save(dialog, "04-dialogo-asistencia")
    dialog.reject()

    assistances_view.select(codes[1])
    assistances_view.transition_selected()
    qtbot.waitUntil(lambda: isinstance(assistances_view.last_dialog, TransitionDialog))
    transition = assistances_view.last_dialog
    qtbot.waitUntil(transition.isVisible)
    save(transition, "05-cambiar-estado")
    transition.reject()

    win.nav.setCurrentRow(PERSONS)
    persons_view = win.persons_view()
    qtbot.waitUntil(lambda: persons_view.model.rowCount() == 4)
    save(win, "06-personas")

    directorates = win.open_directorates()
    wait_ops()
    save(directorates, "07-direcciones-territoriales")
    directorates.close()
    wait_ops()

    profile_dialog = win.open_profile()
    assert isinstance(profile_dialog, ProfileDialog)
    qtbot.waitUntil(lambda: profile_dialog.info is not None)
    save(profile_dialog, "08-perfil-del-equipo")
    profile_dialog.close()

    demo_dialog = win.load_demo()
    assert isinstance(demo_dialog, DemoDialog)
    qtbot.waitUntil(demo_dialog.isVisible)
    save(demo_dialog, "09-datos-de-demostracion")
    demo_dialog.reject()
    wait_ops()
