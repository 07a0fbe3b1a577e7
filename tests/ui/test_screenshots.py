"""Screenshots of the main screens on a populated profile, for people to look at (tests/artifacts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from ui_helpers import Team, add_assistances, add_people, enrolled_pair

from fieldkit.services import assistances, catalog, persons
from fieldkit.services.assistances import AssistanceInput, CounterpartInput
from fieldkit.services.profile import Profile, set_role
from fieldkit.services.sync import (
    export,
    import_bundles,
)
from fieldkit.ui.dialogs.assistance import AssistanceDialog
from fieldkit.ui.dialogs.demo import DemoDialog
from fieldkit.ui.dialogs.profile import ProfileDialog
from fieldkit.ui.dialogs.transition import TransitionDialog
from fieldkit.ui.main_window import ASSISTANCES, CONFLICTS, PERSONS, MainWindow

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


def test_conflicts_and_history_screenshots(
    new_profile: Callable[..., Profile], qtbot: Any, wait_ops: Callable[[], None], tmp_path: Path
) -> None:
    """Several conflicts of different kinds at 1280×800: every column fits, values read well."""
    office, team = enrolled_pair(new_profile, tmp_path)

    people = add_people(team)
    [code] = add_assistances(team, people)[:1]
    import_bundles(office, [export(team, tmp_path / "uno.fkb").path])
    detail = assistances.get_assistance(office, code)
    base = AssistanceInput(
        municipality_code="52835",
        thematic_line_code="PAZ",
        team=[people.lead, people.student],
        counterparts=[
            CounterpartInput(c.name, c.position, c.email, c.phone, c.id)
            for c in detail.counterparts
        ],
        requested_on=dt.date(2026, 2, 3),
        start_on=dt.date(2026, 3, 2),
    )
    assistances.update_assistance(
        office,
        code,
        base._replace(
            end_on=dt.date(2026, 9, 30),
            notes="La alcaldía pidió priorizar el componente de víctimas del conflicto armado "
            "y la articulación con la mesa municipal de participación antes de la concertación.",
        ),
    )
    assistances.update_assistance(
        team,
        code,
        base._replace(
            end_on=dt.date(2026, 11, 13),
            notes="Se acordó con la Secretaría de Planeación ampliar el plazo por la temporada "
            "de lluvias; las visitas a las veredas se reprograman para octubre.",
        ),
    )
    for who, phone, role in ((office, "3001112233", "reviewer"), (team, "3159998877", "student")):
        persons.save_person(
            who, person_id=people.member, name="Jhon Jairo Cuero", role=role, phone=phone
        )
    [result], _c = import_bundles(office, [export(team, tmp_path / "dos.fkb").path])
    assert result.conflicts == 4, result

    win = MainWindow(office)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitUntil(lambda: win.municipalities_view().loaded, timeout=10_000)
    win.nav.setCurrentRow(CONFLICTS)
    view = win.conflicts_view()
    qtbot.waitUntil(lambda: len(view.model.rows) == 4)
    wait_ops()
    shown = {view.model.data(view.model.index(r, 0)) for r in range(4)}
    assert shown == {
        "Asistencia técnica · notas",
        "Asistencia técnica · fecha de finalización",
        "Persona · teléfono",
        "Persona · rol",
    }
    table = view.table
    header = table.horizontalHeader()
    visible = [c for c in range(view.model.columnCount()) if not table.isColumnHidden(c)]
    assert sum(header.sectionSize(c) for c in visible) <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    notes = next(r for r in range(4) if view.model.data(view.model.index(r, 0)).endswith("notas"))
    assert view.model.data(view.model.index(notes, 1)) == code  # the record, by its code
    table.selectRow(notes)
    assert view.details.mine.value.text().startswith("La alcaldía pidió")  # whole, wrapped
    assert "Portátil Tumaco" in view.details.theirs.origin.text()
    save(win, "10-conflictos")

    win.nav.setCurrentRow(ASSISTANCES)
    assistances_view = win.assistances_view()
    qtbot.waitUntil(lambda: assistances_view.select(code))
    assistances_view.history_button.click()  # type: ignore[attr-defined]
    wait_ops()
    dialog = assistances_view.last_history_dialog  # type: ignore[attr-defined]
    model = dialog.model
    values = [model.data(model.index(r, 2)) for r in range(model.rowCount())]
    assert "San Andrés de Tumaco (Nariño)" in values and "30/09/2026" in values
    assert "En ejecución" in values and "in_execution" not in values
    assert not dialog.table.horizontalScrollBar().isVisible()
    dialog.table.selectRow(next(i for i, v in enumerate(values) if v.startswith("La alcaldía")))
    assert dialog.detail.text().endswith("antes de la concertación.")  # whole, wrapped
    save(dialog, "11-historial-de-cambios")
    dialog.reject()
    wait_ops()
