"""Plan progress on screen: results achieved beside activities completed in the assistance list,
its summary and the ficha municipal; the overdue activities view; the plan's timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from ui_helpers import Team, add_assistances, add_people, closed

from fieldkit.domain.progress import PlanProgress
from fieldkit.services import assistances, plans
from fieldkit.services.assistances import AssistanceInput
from fieldkit.services.plans import ActivityInput, PlanInput, ResultInput
from fieldkit.services.profile import Profile
from fieldkit.ui.dialogs.municipality_sheet import MunicipalitySheetDialog
from fieldkit.ui.main_window import ASSISTANCES, OVERDUE, MainWindow
from fieldkit.ui.views.assistances import ACTIVITIES, RESULTS
from fieldkit.ui.views.overdue import DAYS_LATE, OverdueView
from fieldkit.ui.widgets.gantt import TODAY, TimelineDialog, TimelineWidget
from fieldkit.ui.widgets.progress import ProgressPair, progress_text, warning_text

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
TODAY_DATE = dt.date.today()
WARNING = (
    "Las actividades van en 100 % pero los resultados solo en 0 %: el plan avanza en tareas "
    "sin lograr lo que se propuso."
)


def days(n: int) -> dt.date:
    return TODAY_DATE + dt.timedelta(days=n)


class Plans(NamedTuple):
    codes: list[str]
    ahead: str  # code of the plan whose activities are done and results unmeasured (warning)
    healthy: str  # code of the plan with results measured and two overdue activities
    third: str  # a second assistance in Tumaco, half done, for the municipality's figure
    late_mayor: str  # activity id: 20 days late, the mayor's office
    late_team: str  # activity id: 5 days late, never followed up
    undated: str  # activity id without dates


def make_plans(profile: Profile, team: Team) -> Plans:
    codes = add_assistances(profile, team)
    ahead, healthy = codes[0], codes[1]  # Tumaco (52835) and Argelia (19050)

    # All activities complete, the result never measured: the plan is flagged.
    plan_a, _c = plans.create_plan(
        profile,
        ahead,
        PlanInput(
            "Baja ejecución del plan de desarrollo",
            "Mejorar la gestión de proyectos",
            "Banco de proyectos municipal",
        ),
    )
    result_a, _c = plans.add_result(
        profile,
        plan_a,
        ResultInput(
            "Proyectos del banco viabilizados",
            "Proyectos viabilizados",
            baseline=20,
            target=80,
            unit="%",
        ),
    )
    for description, start, end in (
        ("Taller de formulación MGA con la Secretaría de Planeación", -60, -30),
        ("Acompañar la radicación de proyectos en el banco", -25, -10),
    ):
        activity, _c = plans.add_activity(
            profile,
            plan_a,
            ActivityInput(description, result_a, start_on=days(start), end_on=days(end)),
        )
        plans.record_activity_progress(profile, activity, days(end), 100)

    # Results half and fully achieved; two activities late, one cancelled, one without dates.
    plan_b, _c = plans.create_plan(
        profile,
        healthy,
        PlanInput("Contratación sin planeación", "Contratar con planeación", "Plan anual"),
    )
    r1, _c = plans.add_result(
        profile,
        plan_b,
        ResultInput(
            "Procesos publicados en SECOP a tiempo", "Procesos a tiempo", baseline=10, target=50
        ),
    )
    r2, _c = plans.add_result(
        profile,
        plan_b,
        ResultInput(
            "Plan anual de adquisiciones aprobado", "Planes aprobados", baseline=0, target=4
        ),
    )

    def activity(
        description: str,
        result: str,
        start: int | None,
        end: int | None,
        responsible: str = "team",
        name: str = "",
    ) -> str:
        new, _c = plans.add_activity(
            profile,
            plan_b,
            ActivityInput(
                description,
                result,
                responsible,
                name,
                days(start) if start is not None else None,
                days(end) if end is not None else None,
            ),
        )
        return new

    late_mayor = activity(
        "Publicar el plan anual de adquisiciones", r1, -50, -20, "municipality", "Luz Dary Angulo"
    )
    on_time = activity("Capacitar al comité de contratación", r1, -30, 60)
    undated = activity("Revisar los estudios previos con la oficina jurídica", r2, None, None)
    late_team = activity("Elaborar la matriz de riesgos de contratación", r2, -35, -5)
    done = activity("Diagnóstico de los procesos de 2025", r2, -60, -40)
    cancelled = activity("Visita a la Agencia Colombia Compra Eficiente", r2, -45, -15)
    plans.submit(profile, plan_b)
    plans.record_activity_progress(profile, late_mayor, days(-21), 50)
    plans.record_activity_progress(profile, on_time, TODAY_DATE, 40)
    plans.record_activity_progress(profile, done, days(-40), 100)
    plans.record_activity_progress(profile, cancelled, days(-16), 0, state="cancelled")
    plans.record_measurement(profile, r1, days(-3), 30, "Reporte SECOP II")
    plans.record_measurement(profile, r2, days(-3), 4, "Actas del comité")

    # A second assistance in Tumaco, its plan half done: the ficha combines both.
    third, _c = assistances.create_assistance(
        profile,
        AssistanceInput(
            municipality_code="52835",
            thematic_line_code="CONTRATACION",
            team=[team.member],
            requested_on=days(-90),
            start_on=days(-60),
            end_on=days(120),
        ),
    )
    plan_c, _c = plans.create_plan(profile, third, PlanInput("Problema", "Objetivo"))
    r3, _c = plans.add_result(
        profile, plan_c, ResultInput("Contratos liquidados", "Contratos", baseline=0, target=10)
    )
    a3, _c = plans.add_activity(
        profile, plan_c, ActivityInput("Liquidar contratos de 2025", r3, end_on=days(30))
    )
    plans.record_activity_progress(profile, a3, TODAY_DATE, 50)
    plans.record_measurement(profile, r3, TODAY_DATE, 5)
    return Plans(codes, ahead, healthy, third, late_mayor, late_team, undated)


@pytest.fixture
def planned(profile: Profile) -> Plans:
    return make_plans(profile, add_people(profile))


@pytest.fixture
def win(profile: Profile, planned: Plans, window: MainWindow) -> MainWindow:
    return window


def save(widget: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    QApplication.processEvents()
    assert widget.grab().save(str(path))
    return path


def cells(model: Any, row: int, *columns: int, role: int = Qt.ItemDataRole.DisplayRole) -> list:
    return [model.data(model.index(row, c), role) for c in columns]


# ------------------------------------------------------------------------------- the figures


def test_progress_texts_put_results_first_and_explain_the_warning() -> None:
    flagged = PlanProgress(2, 2, 96.4, 1, 0, 12.9, 0, True)
    assert progress_text(flagged) == "R 12 % · A 96 % ⚠"
    assert warning_text(flagged) == (
        "Las actividades van en 96 % pero los resultados solo en 12 %: el plan avanza en tareas "
        "sin lograr lo que se propuso."
    )
    fine = PlanProgress(4, 1, 40.0, 2, 2, 75.0, 1, False)
    assert progress_text(fine) == "R 75 % · A 40 %"
    assert warning_text(fine) == ""
    assert progress_text(None) == "Sin plan"
    unmeasured = PlanProgress(3, 3, 100.0, 0, 0, None, 0, True)
    assert progress_text(unmeasured) == "R — · A 100 % ⚠"
    assert "no tiene resultados medidos" in warning_text(unmeasured)


def test_progress_pair_shows_both_bars_and_the_warning(qtbot: Any) -> None:
    pair = ProgressPair()
    qtbot.addWidget(pair)
    pair.show()
    assert pair.text() == "Sin plan de acción"
    assert not pair.results_bar.isVisible() and not pair.warning.isVisible()
    pair.set_progress(PlanProgress(2, 2, 96.4, 1, 0, 12.9, 0, True))
    assert pair.results_bar.value() == 12 and pair.results_bar.format() == "12 %"
    assert pair.activities_bar.value() == 96 and pair.activities_bar.format() == "96 %"
    assert pair.results_caption.text() == "0 de 1 resultado medido"
    assert pair.activities_caption.text() == "2 de 2 actividades completas"
    assert pair.warning.isVisible()
    assert "solo en 12 %" in pair.warning.text()
    # Results sit to the left of activities.
    assert (
        pair.results_bar.mapTo(pair, QPoint(0, 0)).x()
        < pair.activities_bar.mapTo(pair, QPoint(0, 0)).x()
    )
    pair.set_progress(PlanProgress(4, 1, 40.0, 2, 2, 75.0, 1, False))
    assert not pair.warning.isVisible()
    assert pair.activities_caption.text() == "1 de 4 actividades completas · 1 vencida"


# ------------------------------------------------------------------------- assistance list


def test_the_list_shows_results_beside_activities_and_flags_the_plan(
    win: MainWindow, planned: Plans, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    win.nav.setCurrentRow(ASSISTANCES)
    view = win.assistances_view()
    qtbot.waitUntil(lambda: view.model.rowCount() == 6)
    wait_ops()
    model = view.model
    assert model.headerData(RESULTS, Qt.Orientation.Horizontal) == "Resultados"
    assert model.headerData(ACTIVITIES, Qt.Orientation.Horizontal) == "Actividades"
    by_code = {model.data(model.index(r, 0)): r for r in range(model.rowCount())}
    ahead, healthy, third = (by_code[c] for c in (planned.ahead, planned.healthy, planned.third))
    assert cells(model, ahead, RESULTS, ACTIVITIES) == ["⚠ 0 %", "100 %"]
    assert cells(model, healthy, RESULTS, ACTIVITIES) == ["75 %", "38 %"]
    assert cells(model, third, RESULTS, ACTIVITIES) == ["50 %", "50 %"]
    for code in planned.codes[2:]:
        assert cells(model, by_code[code], RESULTS, ACTIVITIES) == ["", ""]
    tooltip = model.data(model.index(ahead, RESULTS), Qt.ItemDataRole.ToolTipRole)
    assert tooltip.splitlines() == [
        "Resultados logrados: 0 % (0 de 1 resultado medido)",
        "Actividades completadas: 100 % (2 de 2 actividades completas)",
        f"⚠ {WARNING}",
    ]
    assert "⚠" not in model.data(model.index(healthy, RESULTS), Qt.ItemDataRole.ToolTipRole)
    assert (
        model.data(model.index(by_code[planned.codes[3]], RESULTS), Qt.ItemDataRole.ToolTipRole)
        == "La asistencia no tiene plan de acción."
    )

    # Sorted as numbers: 100 % after 50 % and 38 %; assistances without a plan last either way.
    view.table.sortByColumn(ACTIVITIES, Qt.SortOrder.AscendingOrder)
    order = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert order[:3] == [planned.healthy, planned.third, planned.ahead]
    assert set(order[3:]) == set(planned.codes[2:])
    view.table.sortByColumn(RESULTS, Qt.SortOrder.DescendingOrder)
    order = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert order[:3] == [planned.healthy, planned.third, planned.ahead]
    assert set(order[3:]) == set(planned.codes[2:])

    # The summary of the selected assistance: plan state, both figures and the warning.
    view.select(planned.ahead)
    qtbot.waitUntil(lambda: view.details.detail is not None)
    wait_ops()
    details = view.details
    assert details.detail.row.code == planned.ahead
    assert "Plan de acción: <b>Borrador</b>" in details.summary.text()
    text = details.plan_progress.text()
    assert text.splitlines() == [
        "Resultados logrados: 0 % (0 de 1 resultado medido)",
        "Actividades completadas: 100 % (2 de 2 actividades completas)",
        f"⚠ {WARNING}",
    ]
    assert details.plan_progress.warning.isVisible()
    win.resize(1400, 900)
    save(win, "assistances_progress.png")

    view.select(planned.healthy)
    qtbot.waitUntil(lambda: view.details.detail.row.code == planned.healthy)
    wait_ops()
    assert "Plan de acción: <b>Enviado a revisión</b>" in details.summary.text()
    assert details.plan_progress.results_bar.format() == "75 %"
    assert details.plan_progress.activities_bar.format() == "38 %"
    assert details.plan_progress.activities_caption.text() == (
        "1 de 5 actividades completas · 2 vencidas"
    )
    assert not details.plan_progress.warning.isVisible()

    view.select(planned.codes[3])
    qtbot.waitUntil(lambda: view.details.detail.row.code == planned.codes[3])
    wait_ops()
    assert "Plan de acción" not in details.summary.text()
    assert details.plan_progress.text() == "Sin plan de acción"


def test_a_measurement_updates_the_figures_without_reloading_the_list(
    win: MainWindow, planned: Plans, profile: Profile, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    win.nav.setCurrentRow(ASSISTANCES)
    view = win.assistances_view()
    qtbot.waitUntil(lambda: view.model.rowCount() == 6)
    view.select(planned.ahead)
    qtbot.waitUntil(lambda: view.details.detail is not None)
    wait_ops()
    resets: list[bool] = []
    view.model.modelReset.connect(lambda: resets.append(True))
    plan = plans.get_plan(profile, planned.ahead)
    assert plan is not None
    [result] = plan.results
    _id, changes = plans.record_measurement(profile, result.id, TODAY_DATE, 80, "Acta")
    win.apply_changes(changes)
    row = view.model.find(lambda r: r.code == planned.ahead)
    qtbot.waitUntil(lambda: view.model.data(view.model.index(row, RESULTS)) == "100 %")
    wait_ops()
    assert resets == []  # rows, selection and scroll stay
    assert view.selected_code() == planned.ahead
    assert view.details.plan_progress.results_bar.format() == "100 %"
    assert not view.details.plan_progress.warning.isVisible()


# --------------------------------------------------------------------------- ficha municipal


def test_the_ficha_shows_each_plan_and_the_municipality_as_a_whole(
    win: MainWindow, planned: Plans, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    win.open_sheet("52835")
    qtbot.waitUntil(lambda: win.last_sheet is not None and win.last_sheet.isVisible())
    sheet = win.last_sheet
    assert isinstance(sheet, MunicipalitySheetDialog)
    model = sheet.assistances
    assert model.rowCount() == 2
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in (6, 7)] == [
        "Resultados",
        "Actividades",
    ]
    rows = {model.data(model.index(r, 0)): r for r in range(2)}
    assert cells(model, rows[planned.ahead], 6, 7) == ["⚠ 0 %", "100 %"]
    assert cells(model, rows[planned.third], 6, 7) == ["50 %", "50 %"]
    tooltip = model.data(model.index(rows[planned.ahead], 7), Qt.ItemDataRole.ToolTipRole)
    assert tooltip.endswith(WARNING)
    # Both plans as one: activities (100 + 100 + 50) / 3, results (0 + 50) / 2 — flagged.
    assert sheet.combined_caption.text() == (
        "Avance conjunto de los planes de acción de 2 de 2 asistencias:"
    )
    combined = sheet.combined_progress()
    assert combined is not None
    assert combined.activities_total == 3 and combined.results_total == 2
    assert sheet.combined.results_bar.format() == "25 %"
    assert sheet.combined.activities_bar.format() == "83 %"
    assert sheet.combined.warning.isVisible()
    assert sheet.combined.warning.text() == (
        "⚠ Las actividades van en 83 % pero los resultados solo en 25 %: el plan avanza en "
        "tareas sin lograr lo que se propuso."
    )
    sheet.resize(900, 720)
    save(sheet, "municipality_sheet_progress.png")
    sheet.close()

    # A municipality whose assistance has no plan says so.
    win.open_sheet("27001")
    qtbot.waitUntil(lambda: win.last_sheet is not sheet and win.last_sheet.isVisible())
    other = win.last_sheet
    assert cells(other.assistances, 0, 6, 7) == ["", ""]
    assert other.combined_caption.text() == (
        "Ninguna asistencia del municipio tiene plan de acción todavía."
    )
    assert not other.combined.isVisible()
    other.close()
    wait_ops()


# ------------------------------------------------------------------------- overdue activities


def test_the_overdue_view_lists_late_activities_and_opens_their_assistance(
    win: MainWindow, planned: Plans, profile: Profile, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    ver = win.menuBar().actions()[1].menu()
    [action] = [a for a in ver.actions() if a.text() == "Actividades vencidas"]
    assert action.shortcut().toString() == "Ctrl+5"
    shortcuts = [a.shortcut().toString() for a in win.actions() if not a.shortcut().isEmpty()]
    assert shortcuts.count("Ctrl+5") == 1
    action.trigger()
    assert win.nav.currentRow() == OVERDUE
    view = win.overdue_view()
    assert isinstance(view, OverdueView)
    qtbot.waitUntil(lambda: view.loaded)
    model = view.model
    assert model.rowCount() == 2
    assert view.count.text() == "2 actividades vencidas"
    assert [model.data(model.index(0, c)) for c in range(8)] == [
        planned.healthy,
        "Argelia",
        "Publicar el plan anual de adquisiciones",
        "Procesos publicados en SECOP a tiempo",
        "Alcaldía — Luz Dary Angulo",
        days(-20).strftime("%d/%m/%Y"),
        "20 días",
        "50 %",
    ]
    assert [model.data(model.index(1, c)) for c in (2, 4, 6, 7)] == [
        "Elaborar la matriz de riesgos de contratación",
        "Equipo de asistencia técnica",
        "5 días",
        "0 %",
    ]
    # Exactly the service's overdue activities: not the complete, cancelled or undated ones.
    assert {i.row.activity_id for i in model.rows} == {planned.late_mayor, planned.late_team}
    assert {i.row.activity_id for i in model.rows} == {
        r.activity_id for r in plans.overdue(profile)
    }
    view.table.sortByColumn(DAYS_LATE, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, 6)) == "5 días"

    view.search.setText("alcaldia luz")
    assert model.rowCount() == 1 and view.count.text() == "1 de 2 actividades vencidas"
    view.search.clear()
    view.table.sortByColumn(DAYS_LATE, Qt.SortOrder.DescendingOrder)
    win.resize(1400, 700)
    save(win, "overdue_view.png")

    # Double-click opens the assistance in the assistances view.
    rect = view.table.visualRect(model.index(1, 2))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.nav.currentRow() == ASSISTANCES
    assistances_view = win.assistances_view()
    qtbot.waitUntil(lambda: assistances_view.selected_code() == planned.healthy)

    # Enter does the same; follow-up that completes an activity takes it off the list.
    win.nav.setCurrentRow(OVERDUE)
    _id, changes = plans.record_activity_progress(profile, planned.late_team, TODAY_DATE, 100)
    win.apply_changes(changes)
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert win.nav.currentRow() == ASSISTANCES
    wait_ops()


def test_the_overdue_view_says_when_nothing_is_late(
    window: MainWindow, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    window.nav.setCurrentRow(OVERDUE)
    view = window.overdue_view()
    qtbot.waitUntil(lambda: view.loaded)
    assert view.model.rowCount() == 0
    assert view.count.text() == "0 actividades vencidas"
    assert view.empty.isVisible()
    assert not view.open_button.isEnabled() and not view.timeline_button.isEnabled()
    wait_ops()


# ---------------------------------------------------------------------------------- timeline


def colours(image: QImage, step: int = 3) -> set[int]:
    return {
        image.pixel(x, y)
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }


def near(colour: int, target: QColor, tolerance: int = 40) -> bool:
    c = QColor.fromRgb(colour)
    return (
        abs(c.red() - target.red())
        + abs(c.green() - target.green())
        + abs(c.blue() - target.blue())
        <= tolerance
    )


def test_the_timeline_paints_bars_on_the_calendar_with_today_marked(
    win: MainWindow, planned: Plans, profile: Profile, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    win.nav.setCurrentRow(OVERDUE)
    view = win.overdue_view()
    qtbot.waitUntil(lambda: view.loaded)
    view.table.selectRow(0)
    dialog = view.open_timeline()
    assert isinstance(dialog, TimelineDialog)
    qtbot.waitUntil(lambda: dialog.loaded)
    assert dialog.windowTitle() == f"Cronograma del plan — {planned.healthy}"
    assert dialog.heading.text() == (
        f"{planned.healthy} · Argelia — plan enviado a revisión (versión 1), 6 actividades"
    )
    assert dialog.progress.results_bar.format() == "75 %"
    timeline = dialog.timeline
    assert isinstance(timeline, TimelineWidget)
    assert [r.kind for r in timeline.rows] == ["result", "activity", "activity", "result"] + [
        "activity"
    ] * 4
    assert timeline.rows[0].label == "Procesos publicados en SECOP a tiempo"

    # The axis runs over whole months from the earliest start to the latest end.
    assert timeline.axis_start == days(-60).replace(day=1)
    assert timeline.axis_start <= days(-60) and timeline.axis_end > days(60)
    left, right = timeline.chart_left(), timeline.chart_right()
    assert timeline.x_for(timeline.axis_start) == left
    assert timeline.x_for(timeline.axis_end) == pytest.approx(right)
    today_x = timeline.x_for(TODAY_DATE)
    assert left < timeline.x_for(days(-60)) < today_x < timeline.x_for(days(60)) < right

    # Bars sit on their dates; the one that spans today is crossed by the «Hoy» line.
    spanning = next(a for a in timeline.activities if a.description.startswith("Capacitar"))
    bar = timeline.bar_rect(spanning.id)
    assert bar is not None and bar.left() < today_x < bar.right()
    assert bar.left() == pytest.approx(timeline.x_for(days(-30)))
    assert timeline.bar_rect(planned.undated) is None
    late = timeline.bar_rect(planned.late_mayor)
    assert late is not None and late.right() <= today_x

    dialog.resize(1100, 560)
    QApplication.processEvents()
    image = timeline.grab().toImage()
    assert image.width() >= 600 and image.height() >= timeline.minimumHeight()
    palette = colours(image)
    assert len(palette) > 20  # text, bars, grid: not a blank canvas
    assert any(near(c, QColor("#c62828")) for c in palette)  # the late bars
    assert any(near(c, QColor("#2e7d32")) for c in palette)  # the complete one
    # The «Hoy» line: today's column is painted in its colour below the header.
    save(dialog, "gantt.png")
    x = round(timeline.x_for(TODAY_DATE))
    column = [image.pixel(dx, y) for dx in (x - 1, x, x + 1) for y in range(image.height())]
    assert sum(near(c, TODAY) for c in column) > image.height() // 3

    # Progress recorded elsewhere repaints it.
    _id, changes = plans.record_activity_progress(profile, planned.late_mayor, TODAY_DATE, 100)
    win.apply_changes(changes)
    qtbot.waitUntil(
        lambda: not any(a.overdue for a in timeline.activities if a.id == planned.late_mayor)
    )
    dialog.close()
    assert closed(dialog)
    wait_ops()


def test_the_timeline_without_a_plan_and_with_undated_activities(qtbot: Any) -> None:
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    timeline.resize(800, 200)
    timeline.show()
    assert timeline.rows == []
    image = timeline.grab().toImage()
    assert len(colours(image)) > 2  # «Sin plan de acción» is written
    # Today alone sets the axis: this month.
    timeline.set_plan(None, dt.date(2026, 5, 14))
    assert timeline.axis_start == dt.date(2026, 5, 1)
    assert timeline.axis_end == dt.date(2026, 6, 1)
    assert timeline.x_for(dt.date(2026, 5, 1)) == timeline.chart_left()


def test_the_assistance_has_a_plan_tab_that_opens_its_timeline(
    win: MainWindow, planned: Plans, qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    from fieldkit.ui.widgets.gantt import TimelineDialog

    win.nav.setCurrentRow(ASSISTANCES)
    view = win.assistances_view()
    qtbot.waitUntil(lambda: view.model.rowCount() == 6)
    view.select(planned.healthy)
    qtbot.waitUntil(lambda: view.details.detail is not None)
    wait_ops()
    tabs = view.details.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())][2] == "Plan de acción"
    tabs.setCurrentIndex(2)
    panel = view.details.plan
    qtbot.waitUntil(lambda: panel.plan is not None)
    assert panel.assistance.code == planned.healthy
    assert panel.results_figure.isVisible() and panel.activities_figure.isVisible()
    dialog = panel.show_timeline()
    assert isinstance(dialog, TimelineDialog)
    qtbot.waitUntil(lambda: dialog.timeline.view is not None)
    assert dialog.windowTitle().endswith(planned.healthy)
    dialog.close()
    # Another assistance: the tab follows the selection.
    view.select(planned.ahead)
    qtbot.waitUntil(lambda: panel.plan is not None and panel.assistance.code == planned.ahead)
    wait_ops()
    assert panel.warning.isVisible()
