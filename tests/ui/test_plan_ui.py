"""The Plan de acción panel: write a plan through its dialogs, submit it, return and approve it as a
reviewer, follow it up with evidence, and see results achieved beside activities completed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget
from ui_helpers import Boxes, Team, closed, write_png

from fieldkit.services import forms, plans
from fieldkit.services.assistances import AssistanceRow, get_assistance
from fieldkit.services.plans import ActivityInput, PlanInput, ResultInput
from fieldkit.services.profile import Profile, rename_device, set_role
from fieldkit.ui.dialogs.form_parts import set_checked
from fieldkit.ui.dialogs.plan_items import (
    ActivityDialog,
    DecisionDialog,
    FindingDialog,
    MeasurementDialog,
    PlanTextsDialog,
    ProgressDialog,
    ResultDialog,
    SuggestedFindingsDialog,
    VersionDialog,
    VisitsDialog,
    parse_number,
)
from fieldkit.ui.views.plan import PlanPanel

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
TODAY = dt.date.today()

PROBLEM = (
    "El Consejo Municipal de Paz no sesiona desde 2024 y la alcaldía no tiene una ruta de "
    "atención para firmantes de paz y víctimas en la zona rural."
)
OBJECTIVE = (
    "Fortalecer la capacidad de la Alcaldía de Tumaco para cumplir los compromisos de paz del "
    "plan de desarrollo municipal."
)
ALTERNATIVE = (
    "Acompañar la reactivación del Consejo Municipal de Paz y formular con las secretarías de "
    "Gobierno y Planeación la ruta de atención."
)


# Fixtures and helpers -------------------------------------------------------------------------


@pytest.fixture
def tumaco(populated: tuple[Profile, Team, list[str]]) -> tuple[Profile, AssistanceRow]:
    """The Tumaco peace assistance (in execution) of the realistic test data."""
    profile, _team, codes = populated
    return profile, get_assistance(profile, codes[0]).row


@pytest.fixture
def shown(
    tumaco: tuple[Profile, AssistanceRow], qtbot: Any, wait_ops: Callable[[], None]
) -> Iterator[tuple[Profile, AssistanceRow, PlanPanel]]:
    profile, row = tumaco
    _host, panel = open_panel(qtbot, profile)
    panel.show_assistance(row)
    wait_ops()
    assert panel.loaded
    yield profile, row, panel
    wait_ops()


def open_panel(qtbot: Any, profile: Profile) -> tuple[QWidget, PlanPanel]:
    """The panel alone in a window, at the size of a laptop screen."""
    host = QWidget()
    qtbot.addWidget(host)
    panel = PlanPanel(profile, host)
    QVBoxLayout(host).addWidget(panel)
    host.resize(1280, 800)
    host.show()
    host.activateWindow()
    qtbot.waitExposed(host)
    return host, panel


def save(dialog: QDialog | None, wait_ops: Callable[[], None]) -> None:
    """Save the dialog as its «Guardar» button does, and wait for it to close."""
    assert dialog is not None and dialog.isVisible()
    dialog.save()  # type: ignore[attr-defined]
    wait_ops()
    error = getattr(dialog, "error", None)
    assert closed(dialog), error.text() if error is not None else ""


def fill_result(
    dialog: ResultDialog, statement: str, indicator: str, unit: str, base: str, target: str
) -> None:
    dialog.statement.setPlainText(statement)
    dialog.indicator_name.setText(indicator)
    dialog.unit.setText(unit)
    dialog.baseline.setText(base)
    dialog.target.setText(target)
    dialog.verification.setText("Actas y listas de asistencia")


def fill_activity(
    dialog: ActivityDialog,
    description: str,
    start: dt.date,
    end: dt.date,
    official: str = "",
) -> None:
    dialog.description.setPlainText(description)
    if official:
        dialog.responsible.setCurrentIndex(dialog.responsible.findData("municipality"))
        dialog.responsible_name.setText(official)
    dialog.start_on.set_date(start)
    dialog.end_on.set_date(end)


def tree_rows(panel: PlanPanel) -> list[str]:
    return [texts[0] for texts in panel.item_texts()]


def ids(panel: PlanPanel, kind: str) -> list[str]:
    plan = panel.plan
    assert plan is not None
    if kind == "result":
        return [r.id for r in plan.results]
    return [a.id for a in plan.activities]


def press(
    qtbot: Any,
    widget: QWidget,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    window = widget.window()
    window.activateWindow()  # the dialogs that closed took the focus with them
    qtbot.waitUntil(window.isActiveWindow)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    QTest.keyClick(widget, key, modifier)


def screenshot(widget: QWidget, name: str) -> Path:
    QTest.qWait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def add_visit(profile: Profile, code: str, day: dt.date) -> str:
    """A visit log of the assistance, filled as the team fills it after a work session."""
    sid, _changes = forms.start(profile, code, "bitacora_visita")
    state = forms.open_state(profile, sid)
    state.set_answer("fecha", day)
    for name, value in {
        "modalidad": "presencial",
        "lugar": "alcaldia",
        "etapa": "ejecucion",
        "acta": "Sesión de trabajo con la Secretaría de Gobierno sobre el reglamento del consejo.",
    }.items():
        state.set_answer(name, value)
    state.set_answer("proposito", [state.visible_choices("proposito")[0].name])
    forms.save_answers(profile, sid, state.answers())
    return sid


# The whole arc through the panel ---------------------------------------------------------------


def test_build_submit_review_and_follow_up_a_plan_through_the_panel(
    shown: tuple[Profile, AssistanceRow, PlanPanel],
    qtbot: Any,
    boxes: Boxes,
    wait_ops: Callable[[], None],
    tmp_path: Path,
) -> None:
    profile, row, panel = shown
    visit = add_visit(profile, row.code, TODAY - dt.timedelta(days=20))

    # No plan yet: an explanation and the button that creates one.
    assert panel.stack.currentIndex() == 0
    assert panel.create_button.isVisible()
    assert "todavía no tiene plan de acción" in panel.empty_label.text()
    qtbot.mouseClick(panel.create_button, LEFT)
    dialog = panel.last_dialog
    assert isinstance(dialog, PlanTextsDialog)
    dialog.problem.setPlainText(PROBLEM)
    dialog.objective.setPlainText(OBJECTIVE)
    dialog.alternative.setPlainText(ALTERNATIVE)
    save(dialog, wait_ops)
    assert panel.stack.currentIndex() == 1
    assert panel.title.text() == "Plan de acción · versión 1"
    assert panel.state_label.text() == "Borrador"
    assert "Consejo Municipal de Paz no sesiona" in panel.texts.text()
    assert panel.results_figure.title.text() == "Resultados logrados: sin medición"
    assert panel.activities_figure.title.text() == "Actividades completadas: sin actividades"
    assert not panel.warning.isVisible()
    assert not panel.add_activity_button.isEnabled()
    assert "Agregue primero un resultado" in panel.add_activity_button.toolTip()

    # Sending it now says what is missing, in Spanish.
    qtbot.mouseClick(panel.submit_button, LEFT)
    wait_ops()
    [refused] = boxes.texts("warning")
    assert "Para enviar el plan a revisión falta" in refused and "resultado esperado" in refused
    assert panel.state_label.text() == "Borrador"

    # A finding of the diagnostic, then two results; the first one addresses the finding.
    panel.tabs.setCurrentIndex(2)
    qtbot.mouseClick(panel.add_finding_button, LEFT)
    finding_dialog = panel.last_dialog
    assert isinstance(finding_dialog, FindingDialog)
    finding_dialog.statement.setPlainText("El Consejo Municipal de Paz no sesiona desde 2024.")
    finding_dialog.area.setText("Participación")
    save(finding_dialog, wait_ops)
    [finding] = panel.findings.rows
    assert panel.tabs.tabText(2) == "Hallazgos (1)"

    qtbot.mouseClick(panel.add_result_button, LEFT)
    result_dialog = panel.last_dialog
    assert isinstance(result_dialog, ResultDialog)
    fill_result(
        result_dialog,
        "El Consejo Municipal de Paz sesiona con regularidad.",
        "Sesiones ordinarias del Consejo Municipal de Paz",
        "sesiones",
        "0",
        "6",
    )
    set_checked(result_dialog.findings, finding.id)
    save(result_dialog, wait_ops)
    first = panel.selected_result()
    assert first is not None and first.statement.startswith("El Consejo")  # the new one is chosen
    assert panel.findings.rows[0].results == (first.id,)
    assert panel.findings_table.model().index(0, 3).data() == "R1"

    result_dialog = panel.add_result()
    assert isinstance(result_dialog, ResultDialog)
    fill_result(
        result_dialog,
        "Funcionarios de Gobierno y Planeación aplican la ruta de atención.",
        "Funcionarios que aplican la ruta",
        "funcionarios",
        "2",
        "25,5",  # a decimal comma, as typed here
    )
    save(result_dialog, wait_ops)
    plan = panel.plan
    assert plan is not None
    assert [r.target for r in plan.results] == [6.0, 25.5]
    assert panel.item_texts()[1][1] == "2 → 25,5 funcionarios ↑ · Funcionarios que aplican la ruta"

    # Three activities under them: two under the first result, one under the second.
    start = TODAY - dt.timedelta(days=90)
    assert panel.select("result", first.id)
    qtbot.mouseClick(panel.add_activity_button, LEFT)
    activity_dialog = panel.last_dialog
    assert isinstance(activity_dialog, ActivityDialog)
    assert activity_dialog.result.currentData() == first.id
    fill_activity(
        activity_dialog,
        "Elaborar con la Secretaría de Gobierno el reglamento del consejo",
        start,
        start + dt.timedelta(days=30),
    )
    save(activity_dialog, wait_ops)
    assert panel.selected_activity() is not None  # the new activity, under its result
    activity_dialog = panel.add_activity()  # under the same result as the chosen activity
    assert isinstance(activity_dialog, ActivityDialog)
    assert activity_dialog.result.currentData() == first.id
    fill_activity(
        activity_dialog,
        "Convocar la sesión de instalación del consejo",
        start + dt.timedelta(days=30),
        start + dt.timedelta(days=45),
        official="Luz Dary Angulo",
    )
    save(activity_dialog, wait_ops)
    second = panel.plan.results[1] if panel.plan else None
    assert second is not None
    assert panel.select("result", second.id)
    activity_dialog = panel.add_activity()
    assert isinstance(activity_dialog, ActivityDialog)
    fill_activity(
        activity_dialog,
        "Realizar tres talleres sobre la ruta de atención",
        start + dt.timedelta(days=40),
        TODAY + dt.timedelta(days=30),
    )
    save(activity_dialog, wait_ops)
    assert tree_rows(panel) == [
        "R1. El Consejo Municipal de Paz sesiona con regularidad.",
        "1.1 Elaborar con la Secretaría de Gobierno el reglamento del consejo",
        "1.2 Convocar la sesión de instalación del consejo",
        "R2. Funcionarios de Gobierno y Planeación aplican la ruta de atención.",
        "2.1 Realizar tres talleres sobre la ruta de atención",
    ]
    texts = panel.item_texts()
    assert texts[2][2] == "Alcaldía: Luz Dary Angulo"
    # The first two ended without follow-up: overdue, in red, and counted in the strip.
    assert texts[1][5] == "0 % · Sin seguimiento · vencida"
    assert "2 vencidas" in panel.activities_figure.caption.text()

    # Reorder with the keyboard: Ctrl+↓ moves the chosen activity down, Ctrl+↑ back.
    activities = ids(panel, "activity")
    assert panel.select("activity", activities[0])
    press(qtbot, panel.tree, Qt.Key.Key_Down, CTRL)
    wait_ops()
    assert ids(panel, "activity")[:2] == [activities[1], activities[0]]
    assert panel.selected_activity() is not None and panel.selected_activity().id == activities[0]  # type: ignore[union-attr]
    press(qtbot, panel.tree, Qt.Key.Key_Up, CTRL)
    wait_ops()
    assert ids(panel, "activity") == activities

    # Submit; the field team cannot approve, and says why.
    boxes.calls.clear()
    qtbot.mouseClick(panel.submit_button, LEFT)
    wait_ops()
    assert not boxes.texts("warning")
    assert panel.state_label.text() == "Enviado a revisión"
    assert not panel.submit_button.isVisible()
    assert panel.approve_button.isVisible() and not panel.approve_button.isEnabled()
    assert "Solo un revisor o un coordinador" in panel.approve_button.toolTip()
    assert not panel.return_button.isEnabled()
    assert not panel.add_result_button.isEnabled()
    assert "en revisión" in panel.add_result_button.toolTip()
    assert "un revisor o un coordinador la aprobará" in panel.decision.text()

    # The reviewer returns it with comments; the comments are in sight while the team fixes it.
    set_role(profile, "reviewer")
    panel.refresh()
    wait_ops()
    assert panel.approve_button.isEnabled() and panel.return_button.isEnabled()
    qtbot.mouseClick(panel.return_button, LEFT)
    decision = panel.last_dialog
    assert isinstance(decision, DecisionDialog)
    decision.save()  # without comments: refused, inline
    wait_ops()
    assert decision.isVisible() and "escriba los comentarios" in decision.error.text()
    decision.comments.setPlainText("Precise la fecha de la sesión de instalación.")
    save(decision, wait_ops)
    assert panel.state_label.text() == "Devuelto con comentarios"
    assert panel.decision.isVisible()
    assert "Precise la fecha de la sesión de instalación." in panel.decision.text()
    assert panel.submit_button.isVisible() and panel.add_result_button.isEnabled()

    # Sent again and approved.
    qtbot.mouseClick(panel.submit_button, LEFT)
    wait_ops()
    qtbot.mouseClick(panel.approve_button, LEFT)
    decision = panel.last_dialog
    assert isinstance(decision, DecisionDialog)
    decision.comments.setPlainText("Aprobado. Registren el avance cada mes.")
    save(decision, wait_ops)
    assert panel.state_label.text() == "Aprobado"
    assert panel.new_version_button.isVisible()
    assert not panel.approve_button.isVisible()
    assert not panel.edit_button.isEnabled() and "Nueva versión" in panel.edit_button.toolTip()
    decisions = [panel.versions_table.model().index(r, 4).data() for r in range(2)]
    assert decisions == ["Devuelto", "Aprobado"]
    assert panel.tabs.tabText(3) == "Versiones (2)"

    # The first version reads as it was sent.
    panel.versions_table.selectRow(0)
    panel.view_version()
    wait_ops()
    version_dialog = panel.last_dialog
    assert isinstance(version_dialog, VersionDialog)
    html = version_dialog.browser.toPlainText()
    assert "Precise la fecha" in html and "R2. Funcionarios de Gobierno" in html
    assert "1.2 Convocar la sesión de instalación del consejo" in html
    version_dialog.close()

    # Follow-up: every activity to 100 %, with evidence; results not measured yet.
    photo = write_png(tmp_path / "taller-reglamento.png")
    for number, activity_id in enumerate(ids(panel, "activity")):
        assert panel.select("activity", activity_id)
        qtbot.mouseClick(panel.progress_button, LEFT)
        progress = panel.last_dialog
        assert isinstance(progress, ProgressDialog)
        assert progress.recorded_on.date().toPython() == TODAY
        if number == 1:
            progress.state.setCurrentIndex(progress.state.findData("complete"))
            assert progress.percent.value() == 100  # «Completa» means 100 %
        else:
            progress.percent.setValue(100)
            assert progress.state.currentData() == "complete"
        progress.note.setPlainText("Actividad cumplida con la Secretaría de Gobierno.")
        if number == 0:
            progress.evidence.add_files([photo])
            progress.evidence.set_caption(0, "Taller del reglamento")
        save(progress, wait_ops)
    assert panel.activities_figure.title.text() == "Actividades completadas: 100 %"
    assert panel.results_figure.title.text() == "Resultados logrados: 0 %"
    assert panel.results_figure.caption.text() == "Sin medición: ningún resultado medido todavía"
    assert panel.warning.isVisible()
    assert "los resultados solo en 0 %" in panel.warning.text()

    # The detail of the first activity: its follow-up with the evidence file.
    assert panel.select("activity", ids(panel, "activity")[0])
    history = panel.history_table.model()
    assert history.rowCount() == 1
    assert history.index(0, 1).data() == "100 % · Completa"
    assert history.index(0, 3).data() == profile.author
    assert history.index(0, 4).data() == "taller-reglamento.png"
    assert "vencida" not in panel.item_texts()[1][5]

    # A visit of the visit log advanced the last activity.
    assert panel.select("activity", ids(panel, "activity")[2])
    qtbot.mouseClick(panel.visits_button, LEFT)
    visits = panel.last_dialog
    assert isinstance(visits, VisitsDialog)
    set_checked(visits.visits, visit)
    save(visits, wait_ops)
    assert panel.selected_activity() is not None
    assert panel.selected_activity().visits == (visit,)  # type: ignore[union-attr]
    assert "Visitas vinculadas" in panel.item_visits.text()
    assert "Sede de la alcaldía" in panel.item_visits.text()

    # One result measured barely above its baseline: results far behind activities → warning.
    assert panel.select("result", first.id)
    qtbot.mouseClick(panel.measure_button, LEFT)
    measure = panel.last_dialog
    assert isinstance(measure, MeasurementDialog)
    measure.value.setText("uno")
    measure.save()
    assert measure.isVisible() and "no es un número válido" in measure.error.text()
    measure.value.setText("1")
    measure.note.setPlainText("Solo se hizo la sesión de instalación.")
    save(measure, wait_ops)
    assert panel.results_figure.title.text() == "Resultados logrados: 8 %"  # (1/6 + 0) / 2
    assert panel.activities_figure.title.text() == "Actividades completadas: 100 %"
    assert panel.warning.isVisible()
    assert (
        "Las actividades van en 100 % pero los resultados solo en 8 %: el plan avanza en tareas "
        "sin lograr lo que se propuso." in panel.warning.text()
    )
    assert panel.item_texts()[0][5] == f"Logro 16 % · 1 al {TODAY:%d/%m/%Y}"
    assert panel.history_table.model().index(0, 1).data() == "1 sesiones"

    # Both results measured near their targets: the warning goes away.
    for result_id, value in ((first.id, "6"), (second.id, "24")):
        assert panel.select("result", result_id)
        measure = panel.record_measurement()
        assert isinstance(measure, MeasurementDialog)
        measure.value.setText(value)
        save(measure, wait_ops)
    assert panel.results_figure.title.text() == "Resultados logrados: 96 %"  # (1 + 22/23.5) / 2
    assert panel.results_figure.bar.value() == 96
    assert not panel.warning.isVisible()

    # A new version to change the approved plan; remove an activity and undo it.
    qtbot.mouseClick(panel.new_version_button, LEFT)
    wait_ops()
    assert panel.title.text() == "Plan de acción · versión 2"
    assert panel.state_label.text() == "Borrador"
    assert "Versión 2 en borrador" in panel.decision.text()
    removed = ids(panel, "activity")[1]
    assert panel.select("activity", removed)
    press(qtbot, panel.tree, Qt.Key.Key_Delete)
    wait_ops()
    assert "¿Eliminar la actividad «Convocar la sesión" in boxes.texts("question")[-1]
    assert removed not in ids(panel, "activity") and len(tree_rows(panel)) == 4
    assert panel.undo_bar.isVisible()
    assert "Se eliminó la actividad «Convocar la sesión" in panel.undo_label.text()
    press(qtbot, panel.tree, Qt.Key.Key_Z, CTRL)
    wait_ops()
    assert removed in ids(panel, "activity") and len(tree_rows(panel)) == 5
    assert not panel.undo_bar.isVisible()
    assert not boxes.texts("warning")


# Roles ------------------------------------------------------------------------------------------


def build_plan(profile: Profile, code: str, *, submit: bool = True) -> str:
    plan_id, _c = plans.create_plan(profile, code, PlanInput(PROBLEM, OBJECTIVE, ALTERNATIVE))
    result_id, _c = plans.add_result(
        profile,
        plan_id,
        ResultInput(
            "El Consejo Municipal de Paz sesiona con regularidad.",
            "Sesiones ordinarias del consejo",
            unit="sesiones",
            baseline=0,
            target=6,
        ),
    )
    plans.add_activity(
        profile, plan_id, ActivityInput("Elaborar el reglamento del consejo", result_id)
    )
    if submit:
        plans.submit(profile, plan_id)
    return plan_id


def test_a_field_team_cannot_approve_or_edit_a_submitted_plan(
    tumaco: tuple[Profile, AssistanceRow], qtbot: Any, wait_ops: Callable[[], None]
) -> None:
    profile, row = tumaco
    build_plan(profile, row.code)
    assert profile.role == "field"
    _host, panel = open_panel(qtbot, profile)
    panel.show_assistance(row)
    wait_ops()
    assert panel.state_label.text() == "Enviado a revisión"
    assert panel.approve_button.isVisible() and not panel.approve_button.isEnabled()
    assert panel.return_button.isVisible() and not panel.return_button.isEnabled()
    assert "Solo un revisor o un coordinador aprueba o devuelve un plan" in (
        panel.approve_button.toolTip()
    )
    for button in (panel.add_result_button, panel.texts_button):
        assert not button.isEnabled() and "en revisión" in button.toolTip()
    assert not panel.submit_button.isVisible() and not panel.new_version_button.isVisible()
    # A coordinator may decide: the same panel, after the role changes, enables both.
    set_role(profile, "coordinator")
    panel.refresh()
    wait_ops()
    assert panel.approve_button.isEnabled() and panel.approve_button.toolTip().startswith("Aprobar")


def test_findings_suggested_by_the_diagnostic_are_added_from_a_check_list(
    tumaco: tuple[Profile, AssistanceRow],
    qtbot: Any,
    boxes: Boxes,
    wait_ops: Callable[[], None],
) -> None:
    profile, row = tumaco
    build_plan(profile, row.code, submit=False)
    sid, _c = forms.start(profile, row.code, "diagnostico_capacidad_institucional")
    state = forms.open_state(profile, sid)
    state.set_answer(
        "hallazgos",
        "- No hay banco de programas y proyectos actualizado.\n"
        "- El archivo de gestión documental no tiene inventario.",
    )
    forms.save_answers(profile, sid, state.answers())
    _host, panel = open_panel(qtbot, profile)
    panel.show_assistance(row)
    wait_ops()
    panel.tabs.setCurrentIndex(2)
    qtbot.mouseClick(panel.suggest_button, LEFT)
    wait_ops()
    dialog = panel.last_dialog
    assert isinstance(dialog, SuggestedFindingsDialog)
    statements = [s.statement for s in dialog.suggestions]
    assert "No hay banco de programas y proyectos actualizado." in statements
    for index, suggestion in enumerate(dialog.suggestions):
        if not suggestion.statement.startswith("No hay banco"):
            set_checked(dialog.list, index, False)
    save(dialog, wait_ops)
    assert [f.statement for f in panel.findings.rows] == [
        "No hay banco de programas y proyectos actualizado."
    ]
    assert panel.findings_table.model().index(0, 3).data() == "—"
    # Removing asks first.
    panel.findings_table.selectRow(0)
    qtbot.mouseClick(panel.remove_finding_button, LEFT)
    wait_ops()
    assert "¿Eliminar el hallazgo «No hay banco" in boxes.texts("question")[-1]
    assert panel.findings.rows == []


def test_numbers_read_as_typed_in_colombia() -> None:
    assert parse_number("1.234,5") == 1234.5
    assert parse_number("25,5") == 25.5
    assert parse_number("25.5") == 25.5
    assert parse_number("1.234.567") == 1234567
    assert parse_number("  ") is None
    with pytest.raises(ValueError):
        parse_number("uno")


# The screenshot ----------------------------------------------------------------------------------


def test_plan_panel_screenshot(
    tumaco: tuple[Profile, AssistanceRow],
    qtbot: Any,
    wait_ops: Callable[[], None],
    tmp_path: Path,
) -> None:
    """A plan in execution: activities ahead of results (warning), one activity overdue."""
    profile, row = tumaco
    code = row.code
    rename_device(profile, "Portátil Tumaco", "Ana María Quiñones")
    plan_id, _c = plans.create_plan(profile, code, PlanInput(PROBLEM, OBJECTIVE, ALTERNATIVE))
    finding, _c = plans.add_finding(
        profile, code, "El Consejo Municipal de Paz no sesiona desde 2024.", "Participación", 1
    )
    plans.add_finding(
        profile,
        code,
        "No existe una ruta de atención para firmantes de paz en la zona rural.",
        "Gobierno",
        2,
    )
    start = TODAY - dt.timedelta(days=150)
    r1, _c = plans.add_result(
        profile,
        plan_id,
        ResultInput(
            "El Consejo Municipal de Paz sesiona con regularidad y sigue los compromisos del PDET.",
            "Sesiones ordinarias del Consejo Municipal de Paz",
            unit="sesiones",
            baseline=0,
            target=6,
            verification="Actas de sesión firmadas",
            due_on=TODAY + dt.timedelta(days=60),
        ),
    )
    r2, _c = plans.add_result(
        profile,
        plan_id,
        ResultInput(
            "Funcionarios de Gobierno y Planeación aplican la ruta de atención a firmantes de paz.",
            "Funcionarios que aplican la ruta",
            unit="funcionarios",
            baseline=2,
            target=25,
            verification="Registros de atención de la Secretaría de Gobierno",
        ),
    )
    plans.link_finding(profile, finding, r1)
    specs = [
        (
            r1,
            "Elaborar con la Secretaría de Gobierno el reglamento interno del consejo",
            "team",
            "",
            0,
            30,
        ),
        (
            r1,
            "Convocar y acompañar la sesión de instalación del consejo",
            "municipality",
            "Luz Dary Angulo, Secretaria de Planeación",
            30,
            50,
        ),
        (
            r2,
            "Realizar tres talleres sobre la ruta de atención con funcionarios",
            "team",
            "Ana María Quiñones",
            40,
            100,
        ),
        (
            r2,
            "Publicar la ruta de atención en el sitio web de la alcaldía",
            "municipality",
            "Wilmer Castillo, Jefe de Control Interno",
            90,
            120,
        ),
    ]
    activity_ids = []
    for result_id, description, who, name, begin, end in specs:
        activity_id, _c = plans.add_activity(
            profile,
            plan_id,
            ActivityInput(
                description,
                result_id,
                who,
                name,
                start + dt.timedelta(days=begin),
                start + dt.timedelta(days=end),
            ),
        )
        activity_ids.append(activity_id)
    plans.submit(profile, plan_id)
    set_role(profile, "reviewer")
    rename_device(profile, "Portátil Tumaco", "Carlos Benavides")
    plans.return_plan(profile, plan_id, "Precise el responsable de publicar la ruta.")
    plans.submit(profile, plan_id)
    plans.approve(profile, plan_id, "Aprobado. Registren el avance cada mes.")
    set_role(profile, "field")
    rename_device(profile, "Portátil Tumaco", "Ana María Quiñones")
    photo = write_png(tmp_path / "acta-instalacion.png")
    lists = write_png(tmp_path / "lista-asistencia-taller.png")
    for activity_id, percent, days, note, evidence in (
        (activity_ids[0], 100, 110, "Reglamento aprobado por el consejo.", [(photo, "Acta")]),
        (activity_ids[1], 100, 95, "Sesión de instalación con 14 consejeros.", []),
        (activity_ids[2], 60, 40, "Dos de los tres talleres realizados.", [(lists, "Lista")]),
        (activity_ids[2], 100, 10, "Tercer taller con la Secretaría de Planeación.", []),
        (activity_ids[3], 40, 35, "La oficina de prensa espera el texto final.", []),
    ):
        plans.record_activity_progress(
            profile,
            activity_id,
            TODAY - dt.timedelta(days=days),
            percent,
            note=note,
            evidence=evidence,
        )
    plans.record_measurement(
        profile,
        r1,
        TODAY - dt.timedelta(days=15),
        1,
        "Acta n.º 1 del consejo",
        "Solo la instalación.",
    )
    plans.record_measurement(profile, r2, TODAY - dt.timedelta(days=5), 5, "Registros de atención")

    visit = add_visit(profile, code, TODAY - dt.timedelta(days=12))
    plans.link_visit(profile, activity_ids[2], visit)

    host, panel = open_panel(qtbot, profile)
    panel.show_assistance(row)
    wait_ops()
    plan = panel.plan
    assert plan is not None and plan.progress.warning
    assert panel.results_figure.title.text() == "Resultados logrados: 14 %"  # (1/6 + 3/23) / 2
    assert panel.activities_figure.title.text() == "Actividades completadas: 85 %"
    assert panel.warning.isVisible() and "los resultados solo en 14 %" in panel.warning.text()
    overdue = panel.item_texts()[-1]
    assert overdue[5] == "40 % · En curso · vencida"
    assert panel.select("activity", activity_ids[2])
    assert panel.history_table.model().rowCount() == 2
    assert "Sede de la alcaldía" in panel.item_visits.text()
    path = screenshot(host, "plan_panel")
    assert path.stat().st_size > 10_000
