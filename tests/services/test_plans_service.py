"""The Plan de Acción Municipal through the services: writing it, its checks, reordering and undo,
the review workflow and its versions, follow-up with evidence, progress (results beside
activities), overdue activities, visits and findings, and a plan travelling between laptops."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from service_helpers import Unchanged, enrol, new_device

from fieldkit.domain.errors import NotFoundError, TransitionError, ValidationError
from fieldkit.domain.plans import PlanState
from fieldkit.domain.progress import warning_reasons
from fieldkit.services import assistances, catalog, forms, plans
from fieldkit.services.assistances import AssistanceInput
from fieldkit.services.plans import ActivityInput, PlanInput, ResultInput
from fieldkit.services.profile import Profile, set_role
from fieldkit.services.sync import export, import_bundles

TODAY = dt.date.today()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


PROBLEM = PlanInput(
    problem="La alcaldía no formula proyectos de inversión a tiempo.",
    objective="Fortalecer la formulación de proyectos en la Secretaría de Planeación.",
    alternative="Acompañamiento mensual y mesas técnicas.",
)
BANCO = ResultInput(
    "Banco de proyectos operando",
    indicator_name="Proyectos viabilizados",
    indicator_type="product",
    unit="proyectos",
    baseline=0,
    target=10,
    verification="Registro del BPPIM",
    due_on=days(120),
)


class Drafted(NamedTuple):
    code: str
    plan_id: str
    result_id: str
    activity_id: str


@pytest.fixture
def assistance(fresh: Profile) -> str:
    code, _ = assistances.create_assistance(fresh, AssistanceInput("52835", "PAZ"))
    return code


def draft(profile: Profile, code: str) -> Drafted:
    """A plan ready to submit: texts, one result with its indicator, one activity."""
    plan_id, _ = plans.create_plan(profile, code, PROBLEM)
    result_id, _ = plans.add_result(profile, plan_id, BANCO)
    activity_id, _ = plans.add_activity(
        profile,
        plan_id,
        ActivityInput("Taller de formulación MGA", result_id, start_on=days(-30), end_on=days(30)),
    )
    return Drafted(code, plan_id, result_id, activity_id)


@pytest.fixture
def drafted(fresh: Profile, assistance: str) -> Drafted:
    return draft(fresh, assistance)


def view(profile: Profile, code: str, today: dt.date = TODAY) -> plans.PlanView:
    plan = plans.get_plan(profile, code, today)
    assert plan is not None
    return plan


# Writing the plan -----------------------------------------------------------------------------


def test_an_assistance_has_one_plan_with_its_texts(fresh: Profile, assistance: str) -> None:
    assert plans.get_plan(fresh, assistance) is None
    assert plans.plan_id_of(fresh, assistance) is None
    plan_id, changes = plans.create_plan(fresh, assistance, PROBLEM)
    assert changes.touches("plan")
    assert plans.plan_id_of(fresh, assistance) == plan_id
    with Unchanged(fresh), pytest.raises(ValidationError, match="ya tiene un plan de acción"):
        plans.create_plan(fresh, assistance)
    plan = view(fresh, assistance)
    assert (plan.id, plan.version, plan.state) == (plan_id, 1, PlanState.DRAFT)
    assert plan.editable and plan.state_label == "Borrador"
    assert (plan.problem, plan.objective, plan.alternative) == tuple(PROBLEM)
    assert plan.results == () and plan.versions == () and plan.last_version is None
    assert plan.progress.activities_total == 0 and plan.progress.warning is False
    plans.update_plan(fresh, plan_id, PlanInput("  Otro problema  ", "Otro objetivo"))
    plan = view(fresh, assistance)
    assert (plan.problem, plan.objective, plan.alternative) == (
        "Otro problema",
        "Otro objetivo",
        "",
    )
    with pytest.raises(NotFoundError):
        plans.update_plan(fresh, "no-existe", PROBLEM)


def test_results_and_activities_are_written_and_edited(drafted: Drafted, fresh: Profile) -> None:
    plans.add_activity(
        fresh,
        drafted.plan_id,
        ActivityInput(
            "Acuerdo de adopción del banco",
            drafted.result_id,
            responsible="municipality",
            responsible_name=" Dora Cabezas, secretaria de Planeación ",
            start_on=days(10),
            end_on=days(60),
        ),
    )
    [result] = view(fresh, drafted.code).results
    assert result.id == drafted.result_id
    assert (result.statement, result.indicator_name, result.indicator_type, result.unit) == (
        "Banco de proyectos operando",
        "Proyectos viabilizados",
        "product",
        "proyectos",
    )
    assert (result.baseline, result.target, result.direction) == (0.0, 10.0, "increase")
    assert (result.verification, result.due_on) == ("Registro del BPPIM", days(120))
    assert (result.measured, result.achievement, result.findings) == (None, None, ())
    first, second = result.activities
    assert (
        first.id == drafted.activity_id
        and first.responsible_label == "Equipo de asistencia técnica"
    )
    assert (first.start_on, first.end_on, first.percent, first.state) == (
        days(-30),
        days(30),
        0,
        None,
    )
    assert second.description == "Acuerdo de adopción del banco"
    assert second.responsible_label == "Alcaldía"
    assert second.responsible_name == "Dora Cabezas, secretaria de Planeación"

    plans.update_result(fresh, drafted.result_id, BANCO._replace(target="12", unit="proyectos/año"))
    plans.update_activity(
        fresh,
        drafted.activity_id,
        ActivityInput("Taller MGA (dos jornadas)", drafted.result_id, end_on=days(45)),
    )
    [result] = view(fresh, drafted.code).results
    assert (result.target, result.unit) == (12.0, "proyectos/año")
    assert result.activities[0].description == "Taller MGA (dos jornadas)"
    assert (result.activities[0].start_on, result.activities[0].end_on) == (None, days(45))
    # An activity moved to another result goes to its end.
    other, _ = plans.add_result(fresh, drafted.plan_id, ResultInput("Consejo de planeación activo"))
    plans.update_activity(fresh, drafted.activity_id, ActivityInput("Taller MGA", other))
    first, second = view(fresh, drafted.code).results
    assert [a.description for a in first.activities] == ["Acuerdo de adopción del banco"]
    assert [a.id for a in second.activities] == [drafted.activity_id]


def test_wrong_input_is_refused_with_a_message_and_nothing_written(
    drafted: Drafted, fresh: Profile
) -> None:
    plan_id, result_id = drafted.plan_id, drafted.result_id
    with Unchanged(fresh):
        with pytest.raises(ValidationError, match="Escriba el resultado esperado"):
            plans.add_result(fresh, plan_id, ResultInput("   "))
        with pytest.raises(ValidationError) as low:
            plans.add_result(fresh, plan_id, BANCO._replace(baseline=20, target=5))
        assert str(low.value) == (
            "La meta (5.0) es menor que la línea base (20.0) en un indicador que debe aumentar."
        )
        with pytest.raises(ValidationError, match=r"mayor que la línea base .* debe disminuir"):
            plans.add_result(
                fresh, plan_id, BANCO._replace(baseline=5, target=20, direction="decrease")
            )
        with pytest.raises(ValidationError) as text:
            plans.add_result(fresh, plan_id, BANCO._replace(baseline="abc"))
        assert str(text.value) == "«abc» no es un número válido para la línea base."
        with pytest.raises(ValidationError, match="no es un número válido para la meta"):
            plans.update_result(fresh, result_id, BANCO._replace(target="diez"))
        with pytest.raises(ValidationError, match="Tipo de indicador desconocido"):
            plans.add_result(fresh, plan_id, BANCO._replace(indicator_type="otro"))
        with pytest.raises(ValidationError, match="Describa la actividad"):
            plans.add_activity(fresh, plan_id, ActivityInput(" ", result_id))
        with pytest.raises(ValidationError) as nameless:
            plans.add_activity(
                fresh, plan_id, ActivityInput("Decreto", result_id, responsible="municipality")
            )
        assert str(nameless.value) == (
            "Escriba el nombre del funcionario de la alcaldía responsable."
        )
        with pytest.raises(ValidationError, match="La actividad termina antes de empezar"):
            plans.add_activity(
                fresh,
                plan_id,
                ActivityInput("Mesa técnica", result_id, start_on=days(5), end_on=days(4)),
            )
        with pytest.raises(ValidationError, match="Responsable desconocido"):
            plans.add_activity(fresh, plan_id, ActivityInput("Mesa", result_id, responsible="otro"))
        with pytest.raises(NotFoundError):
            plans.add_activity(fresh, plan_id, ActivityInput("Mesa", "no-existe"))
    # A decimal comma is a decimal point; the same dates on both ends are fine.
    comma, _ = plans.add_result(fresh, plan_id, BANCO._replace(baseline="12,5", target=" 20,25 "))
    plans.add_activity(
        fresh, plan_id, ActivityInput("Mesa técnica", comma, start_on=days(5), end_on=days(5))
    )
    [_first, second] = view(fresh, drafted.code).results
    assert (second.baseline, second.target) == (12.5, 20.25)


# Order and undo -------------------------------------------------------------------------------


def test_results_and_activities_move_up_and_down_clamped_at_the_ends(
    drafted: Drafted, fresh: Profile
) -> None:
    r1 = drafted.result_id
    r2, _ = plans.add_result(fresh, drafted.plan_id, ResultInput("Segundo"))
    r3, _ = plans.add_result(fresh, drafted.plan_id, ResultInput("Tercero"))

    def results() -> list[str]:
        return [r.id for r in view(fresh, drafted.code).results]

    assert results() == [r1, r2, r3]
    plans.move_result(fresh, r3, -1)
    assert results() == [r1, r3, r2]
    plans.move_result(fresh, r1, 1)
    assert results() == [r3, r1, r2]
    with Unchanged(fresh):  # already first: nothing to write
        plans.move_result(fresh, r3, -1)
    plans.move_result(fresh, r3, 10)
    assert results() == [r1, r2, r3]
    with Unchanged(fresh):
        plans.move_result(fresh, r3, 1)

    a1 = drafted.activity_id
    a2, _ = plans.add_activity(fresh, drafted.plan_id, ActivityInput("Segunda", r1))
    a3, _ = plans.add_activity(fresh, drafted.plan_id, ActivityInput("Tercera", r1))
    elsewhere, _ = plans.add_activity(fresh, drafted.plan_id, ActivityInput("Otra", r2))

    def activities() -> list[str]:
        return [a.id for a in view(fresh, drafted.code).results[0].activities]

    assert activities() == [a1, a2, a3]
    plans.move_activity(fresh, a1, 1)
    assert activities() == [a2, a1, a3]
    plans.move_activity(fresh, a3, -2)
    assert activities() == [a3, a2, a1]
    with Unchanged(fresh):
        plans.move_activity(fresh, a3, -1)
        plans.move_activity(fresh, elsewhere, 1)  # alone under its result
    plans.move_activity(fresh, a3, 99)
    assert activities() == [a2, a1, a3]
    assert [a.id for a in view(fresh, drafted.code).results[1].activities] == [elsewhere]


def test_removing_a_result_removes_its_activities_and_undo_brings_them_back(
    drafted: Drafted, fresh: Profile
) -> None:
    second, _ = plans.add_activity(
        fresh, drafted.plan_id, ActivityInput("Segunda", drafted.result_id)
    )
    other, _ = plans.add_result(fresh, drafted.plan_id, ResultInput("Otro resultado"))
    kept, _ = plans.add_activity(fresh, drafted.plan_id, ActivityInput("Se queda", other))
    before = view(fresh, drafted.code)
    removed, changes = plans.remove_result(fresh, drafted.result_id)
    assert changes.touches("result", "activity")
    assert set(removed.records) == {
        ("result", drafted.result_id),
        ("activity", drafted.activity_id),
        ("activity", second),
    }
    after = view(fresh, drafted.code)
    assert [r.id for r in after.results] == [other]
    assert [a.id for a in after.activities] == [kept]
    assert plans.overdue(fresh, days(400)) == []  # its activities are not late any more
    plans.restore(fresh, removed)
    assert view(fresh, drafted.code) == before
    assert [r.activity_id for r in plans.overdue(fresh, days(400))] == [drafted.activity_id]
    # One activity alone, and its undo.
    removed, _ = plans.remove_activity(fresh, second)
    assert [a.id for a in view(fresh, drafted.code).activities] == [drafted.activity_id, kept]
    plans.restore(fresh, removed)
    assert view(fresh, drafted.code) == before


# Submitting and reviewing ---------------------------------------------------------------------


def test_submitting_names_everything_the_plan_still_lacks(fresh: Profile, assistance: str) -> None:
    plan_id, _ = plans.create_plan(fresh, assistance)
    with Unchanged(fresh), pytest.raises(TransitionError) as empty:
        plans.submit(fresh, plan_id)
    assert str(empty.value) == (
        "Para enviar el plan a revisión falta: el problema; el objetivo general; "
        "al menos un resultado esperado."
    )
    plans.update_plan(fresh, plan_id, PlanInput(problem=PROBLEM.problem))
    result_id, _ = plans.add_result(fresh, plan_id, ResultInput("Sin indicador todavía"))
    with pytest.raises(TransitionError) as lacking:
        plans.submit(fresh, plan_id)
    message = str(lacking.value)
    assert "el problema" not in message
    for missing in (
        "el objetivo general",
        "el indicador (meta) de cada resultado",
        "al menos una actividad en cada resultado",
    ):
        assert missing in message
    assert "[" not in message  # a list of words, not a Python list
    plans.update_plan(fresh, plan_id, PROBLEM)
    plans.update_result(fresh, result_id, BANCO._replace(indicator_name="", target=10))
    with pytest.raises(TransitionError, match="el indicador \\(meta\\)"):
        plans.submit(fresh, plan_id)
    plans.update_result(fresh, result_id, BANCO)
    with pytest.raises(TransitionError) as activities:
        plans.submit(fresh, plan_id)
    assert str(activities.value) == (
        "Para enviar el plan a revisión falta: al menos una actividad en cada resultado."
    )
    plans.add_activity(fresh, plan_id, ActivityInput("Taller", result_id))
    changes = plans.submit(fresh, plan_id)
    assert changes.touches("plan_version")
    assert view(fresh, assistance).state is PlanState.SUBMITTED


def test_submitting_freezes_a_version_and_stops_edits(drafted: Drafted, fresh: Profile) -> None:
    plans.submit(fresh, drafted.plan_id)
    plan = view(fresh, drafted.code)
    assert plan.state is PlanState.SUBMITTED and not plan.editable
    assert plan.state_label == "Enviado a revisión"
    [version] = plan.versions
    assert (version.version, version.number, version.decision) == (1, 1, None)
    assert version.submitted_by == fresh.author and version.submitted_at is not None
    assert plans.decision_text(version) == "En revisión"
    snapshot = plans.version_snapshot(fresh, version.id)
    assert snapshot["version"] == 1
    assert (snapshot["problem"], snapshot["objective"], snapshot["alternative"]) == tuple(PROBLEM)
    [result] = snapshot["results"]  # type: ignore[misc]
    assert result["id"] == drafted.result_id and result["statement"] == BANCO.statement
    assert (result["baseline"], result["target"], result["due_on"]) == (
        0,
        10,
        days(120).isoformat(),
    )
    [activity] = result["activities"]
    assert activity["description"] == "Taller de formulación MGA"
    assert (activity["start_on"], activity["end_on"]) == (
        days(-30).isoformat(),
        days(30).isoformat(),
    )

    with Unchanged(fresh):
        for refused in (
            lambda: plans.update_plan(fresh, drafted.plan_id, PlanInput("Otro")),
            lambda: plans.add_result(fresh, drafted.plan_id, ResultInput("Otro")),
            lambda: plans.update_result(fresh, drafted.result_id, BANCO._replace(target=5)),
            lambda: plans.remove_result(fresh, drafted.result_id),
            lambda: plans.move_result(fresh, drafted.result_id, 1),
            lambda: plans.add_activity(
                fresh, drafted.plan_id, ActivityInput("Otra", drafted.result_id)
            ),
            lambda: plans.update_activity(
                fresh, drafted.activity_id, ActivityInput("Otra", drafted.result_id)
            ),
            lambda: plans.remove_activity(fresh, drafted.activity_id),
            lambda: plans.move_activity(fresh, drafted.activity_id, -1),
        ):
            with pytest.raises(TransitionError) as refusal:
                refused()
            assert str(refusal.value) == (
                "El plan está «Enviado a revisión»: no se puede modificar mientras se revisa."
            )
        with pytest.raises(TransitionError, match="solo se envía un plan en borrador"):
            plans.submit(fresh, drafted.plan_id)
        with pytest.raises(TransitionError, match="Solo un plan aprobado"):
            plans.new_version(fresh, drafted.plan_id)


def test_undo_of_a_removal_is_refused_once_the_plan_is_submitted(
    drafted: Drafted, fresh: Profile
) -> None:
    second, _ = plans.add_activity(
        fresh, drafted.plan_id, ActivityInput("Segunda", drafted.result_id)
    )
    removed, _ = plans.remove_activity(fresh, second)
    plans.submit(fresh, drafted.plan_id)
    with Unchanged(fresh), pytest.raises(TransitionError, match="mientras se revisa"):
        plans.restore(fresh, removed)
    assert [a.id for a in view(fresh, drafted.code).activities] == [drafted.activity_id]


def test_only_reviewers_and_coordinators_decide(drafted: Drafted, fresh: Profile) -> None:
    plans.submit(fresh, drafted.plan_id)
    set_role(fresh, "field")
    with Unchanged(fresh):
        for decide in (
            lambda: plans.approve(fresh, drafted.plan_id),
            lambda: plans.return_plan(fresh, drafted.plan_id, "Ajustar metas"),
        ):
            with pytest.raises(TransitionError) as refused:
                decide()
            assert str(refused.value) == (
                "Solo un revisor o un coordinador puede aprobar o devolver un plan."
            )
    set_role(fresh, "reviewer")
    plans.approve(fresh, drafted.plan_id, "Bien formulado")
    plan = view(fresh, drafted.code)
    assert plan.state is PlanState.APPROVED and plan.state_label == "Aprobado"
    version = plan.last_version
    assert version is not None
    assert (version.decision, version.comments, version.decided_by) == (
        "approved",
        "Bien formulado",
        fresh.author,
    )
    assert version.decided_at is not None and plans.decision_text(version) == "Aprobado"
    with Unchanged(fresh), pytest.raises(TransitionError, match="solo se aprueba o devuelve"):
        plans.approve(fresh, drafted.plan_id)


def test_returned_plans_are_edited_and_resubmitted_then_approved_plans_get_a_new_version(
    drafted: Drafted, fresh: Profile
) -> None:
    plans.submit(fresh, drafted.plan_id)
    set_role(fresh, "reviewer")
    with Unchanged(fresh), pytest.raises(TransitionError, match="escriba los comentarios"):
        plans.return_plan(fresh, drafted.plan_id, "   ")
    plans.return_plan(fresh, drafted.plan_id, "La meta es poco ambiciosa.")
    plan = view(fresh, drafted.code)
    assert plan.state is PlanState.RETURNED and plan.editable
    assert plan.state_label == "Devuelto con comentarios"
    assert plan.last_version is not None
    assert plan.last_version.comments == "La meta es poco ambiciosa."
    assert plans.decision_text(plan.last_version) == "Devuelto"

    set_role(fresh, "field")
    plans.update_result(fresh, drafted.result_id, BANCO._replace(target=20))
    assert view(fresh, drafted.code).state is PlanState.RETURNED  # comments stay in sight
    plans.submit(fresh, drafted.plan_id)
    plan = view(fresh, drafted.code)
    assert plan.state is PlanState.SUBMITTED
    assert [(v.version, v.number) for v in plan.versions] == [(1, 1), (1, 2)]
    first, second = plan.versions
    assert plans.version_snapshot(fresh, first.id)["results"][0]["target"] == 10  # type: ignore[index]
    assert plans.version_snapshot(fresh, second.id)["results"][0]["target"] == 20  # type: ignore[index]

    set_role(fresh, "coordinator")
    plans.approve(fresh, drafted.plan_id)
    assert view(fresh, drafted.code).state is PlanState.APPROVED
    with Unchanged(fresh):
        with pytest.raises(TransitionError) as refused:
            plans.update_plan(fresh, drafted.plan_id, PlanInput("Otro"))
        assert str(refused.value) == (
            "El plan está «Aprobado»: no se puede modificar. Si debe cambiar, cree una nueva"
            " versión."
        )
        with pytest.raises(TransitionError, match="cree una nueva versión"):
            plans.add_activity(fresh, drafted.plan_id, ActivityInput("Otra", drafted.result_id))
    approved = plans.version_snapshot(fresh, second.id)

    plans.new_version(fresh, drafted.plan_id)
    plan = view(fresh, drafted.code)
    assert (plan.version, plan.state, plan.editable) == (2, PlanState.DRAFT, True)
    plans.update_plan(fresh, drafted.plan_id, PROBLEM._replace(objective="Objetivo ajustado"))
    plans.update_result(fresh, drafted.result_id, BANCO._replace(target=30))
    plans.add_activity(fresh, drafted.plan_id, ActivityInput("Nueva actividad", drafted.result_id))
    assert plans.version_snapshot(fresh, second.id) == approved  # still readable, unchanged
    assert approved["objective"] == PROBLEM.objective
    plans.submit(fresh, drafted.plan_id)
    plan = view(fresh, drafted.code)
    assert [(v.version, v.number) for v in plan.versions] == [(1, 1), (1, 2), (2, 3)]
    newest = plans.version_snapshot(fresh, plan.versions[-1].id)
    assert newest["version"] == 2 and newest["objective"] == "Objetivo ajustado"
    assert len(newest["results"][0]["activities"]) == 2  # type: ignore[index]


# Follow-up ------------------------------------------------------------------------------------


def test_activity_progress_is_a_percent_and_a_state_with_evidence(
    drafted: Drafted, fresh: Profile, tmp_path: Path
) -> None:
    with Unchanged(fresh):
        for wrong in (-1, 100.5, "mucho"):
            with pytest.raises(ValidationError):
                plans.record_activity_progress(fresh, drafted.activity_id, TODAY, wrong)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="entre 0 y 100"):
            plans.record_activity_progress(fresh, drafted.activity_id, TODAY, 101)
        with pytest.raises(ValidationError, match="posterior a hoy"):
            plans.record_activity_progress(fresh, drafted.activity_id, days(1), 10)
        with pytest.raises(ValidationError, match="Estado de actividad desconocido"):
            plans.record_activity_progress(fresh, drafted.activity_id, TODAY, 10, "hecho")
        with pytest.raises(ValidationError, match="No existe el archivo de evidencia"):
            plans.record_activity_progress(
                fresh, drafted.activity_id, TODAY, 10, evidence=[tmp_path / "no-esta.pdf"]
            )
        with pytest.raises(NotFoundError):
            plans.record_activity_progress(fresh, "no-existe", TODAY, 10)

    plans.record_activity_progress(fresh, drafted.activity_id, days(-3), 40, note="Primera jornada")
    activity = view(fresh, drafted.code).activities[0]
    assert (activity.percent, activity.state, activity.followed_on) == (40, "in_progress", days(-3))
    assert not activity.complete and activity.follow_ups[0].note == "Primera jornada"
    assert activity.follow_ups[0].recorded_by == fresh.author

    acta = tmp_path / "acta-taller.pdf"
    acta.write_bytes(b"%PDF-1.4 acta del taller de formulacion " * 50)
    follow_up_id, changes = plans.record_activity_progress(
        fresh, drafted.activity_id, days(-1), 100, evidence=[(acta, "Acta firmada")]
    )
    assert changes.touches("follow_up", "attachment")
    activity = view(fresh, drafted.code).activities[0]
    assert (activity.percent, activity.state, activity.complete) == (100, "complete", True)
    last = activity.follow_ups[-1]
    assert last.id == follow_up_id
    [evidence] = last.evidence
    assert (evidence.file_name, evidence.caption) == ("acta-taller.pdf", "Acta firmada")
    assert forms.attachment_path(fresh, evidence.id).read_bytes() == acta.read_bytes()

    # «Complete» with a lower percent is 100 %; zero with no state is pending.
    plans.record_activity_progress(fresh, drafted.activity_id, TODAY, 30, state="complete")
    activity = view(fresh, drafted.code).activities[0]
    assert (activity.percent, activity.state, activity.follow_ups[-1].progress) == (
        100,
        "complete",
        100,
    )
    other, _ = plans.add_activity(fresh, drafted.plan_id, ActivityInput("Otra", drafted.result_id))
    plans.record_activity_progress(fresh, other, TODAY, "0")  # type: ignore[arg-type]
    assert view(fresh, drafted.code).activities[1].state == "pending"


def test_a_measurement_holds_its_value_verification_and_evidence(
    drafted: Drafted, fresh: Profile, tmp_path: Path
) -> None:
    with Unchanged(fresh):
        with pytest.raises(ValidationError, match="posterior a hoy"):
            plans.record_measurement(fresh, drafted.result_id, days(1), 3)
        with pytest.raises(ValidationError, match="Escriba el valor medido"):
            plans.record_measurement(fresh, drafted.result_id, TODAY, "")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="no es un número válido para el valor medido"):
            plans.record_measurement(fresh, drafted.result_id, TODAY, "tres")  # type: ignore[arg-type]
    reporte = tmp_path / "reporte-bppim.xlsx"
    reporte.write_bytes(b"PK\x03\x04 reporte del banco de proyectos" * 40)
    foto = tmp_path / "comite.jpg"
    foto.write_bytes(b"\xff\xd8\xff\xe0 comite de viabilidad" * 40)
    measurement_id, _ = plans.record_measurement(
        fresh,
        drafted.result_id,
        days(-2),
        "2,5",  # type: ignore[arg-type]
        verification="Reporte del BPPIM",
        note="Dos proyectos y medio",
        evidence=[reporte, (foto, "Comité")],
    )
    [result] = view(fresh, drafted.code).results
    assert (result.measured, result.measured_on, result.achievement) == (2.5, days(-2), 0.25)
    [row] = result.follow_ups
    assert (row.id, row.value, row.verification, row.note, row.activity_id) == (
        measurement_id,
        2.5,
        "Reporte del BPPIM",
        "Dos proyectos y medio",
        None,
    )
    assert [(e.file_name, e.caption) for e in row.evidence] == [
        ("reporte-bppim.xlsx", ""),
        ("comite.jpg", "Comité"),
    ]
    for info, source in zip(row.evidence, (reporte, foto), strict=True):
        assert forms.attachment_path(fresh, info.id).read_bytes() == source.read_bytes()
    removed, _ = plans.remove_follow_up(fresh, measurement_id)
    assert view(fresh, drafted.code).results[0].measured is None
    plans.restore(fresh, removed)
    assert view(fresh, drafted.code).results[0].measured == 2.5


def test_the_latest_follow_up_by_date_wins_whatever_order_it_was_written(
    drafted: Drafted, fresh: Profile
) -> None:
    plans.record_activity_progress(fresh, drafted.activity_id, days(-2), 60)
    plans.record_activity_progress(fresh, drafted.activity_id, days(-20), 20)  # written late
    plans.record_measurement(fresh, drafted.result_id, days(-1), 7)
    plans.record_measurement(fresh, drafted.result_id, days(-15), 3)
    plan = view(fresh, drafted.code)
    [result] = plan.results
    activity = result.activities[0]
    assert (activity.percent, activity.followed_on) == (60, days(-2))
    assert [f.progress for f in activity.follow_ups] == [20, 60]  # oldest first
    assert (result.measured, result.measured_on) == (7, days(-1))
    assert [f.value for f in result.follow_ups] == [3, 7]
    # The figures for every assistance read the same follow-ups.
    by_assistance = plans.progress_by_assistance(fresh)[plan.assistance_id]
    assert by_assistance.progress == plan.progress
    assert (plan.progress.activities_percent, plan.progress.results_percent) == (60, 70)


# Progress -------------------------------------------------------------------------------------


def test_activities_done_while_results_barely_moved_raise_the_warning(
    drafted: Drafted, fresh: Profile
) -> None:
    second, _ = plans.add_result(
        fresh, drafted.plan_id, BANCO._replace(statement="Consejo sesionando", target=4)
    )
    other, _ = plans.add_activity(fresh, drafted.plan_id, ActivityInput("Convocatoria", second))
    plans.record_activity_progress(fresh, drafted.activity_id, TODAY, 100)
    plans.record_activity_progress(fresh, other, TODAY, 90, state="complete")
    plans.record_measurement(fresh, drafted.result_id, TODAY, 1)  # 10 %
    plan = view(fresh, drafted.code)
    p = plan.progress
    assert (p.activities_total, p.activities_complete, p.activities_percent) == (2, 2, 100)
    assert (p.results_total, p.results_measured, p.results_percent) == (2, 1, 5)  # 10 % and 0
    assert p.warning is True
    assert warning_reasons(p) == (
        "Las actividades van en {activities} % pero los resultados solo en {results} %: "
        "el plan avanza en tareas sin lograr lo que se propuso.",
        {"activities": 100, "results": 5},
    )
    assert plans.progress_by_assistance(fresh)[plan.assistance_id].progress == p

    plans.record_measurement(fresh, drafted.result_id, TODAY, 9)  # 90 %
    plans.record_measurement(fresh, second, TODAY, 3)  # 75 %
    p = view(fresh, drafted.code).progress
    assert (p.results_measured, p.results_percent, p.warning) == (2, 82.5, False)
    assert warning_reasons(p) is None


def test_a_decreasing_indicator_is_achieved_by_going_down(drafted: Drafted, fresh: Profile) -> None:
    result_id, _ = plans.add_result(
        fresh,
        drafted.plan_id,
        ResultInput(
            "Menos hallazgos de la contraloría",
            indicator_name="Hallazgos fiscales",
            baseline=40,
            target=10,
            direction="decrease",
        ),
    )
    plans.record_measurement(fresh, result_id, days(-30), 46)  # worse than the baseline
    assert view(fresh, drafted.code).results[1].achievement == 0
    plans.record_measurement(fresh, result_id, TODAY, 25)
    row = view(fresh, drafted.code).results[1]
    assert (row.direction, row.measured, row.achievement) == ("decrease", 25, 0.5)
    plans.record_measurement(fresh, result_id, TODAY, 4)  # beyond the target
    assert view(fresh, drafted.code).results[1].achievement == 1


def test_overdue_lists_late_unfinished_activities_across_assistances(
    drafted: Drafted, fresh: Profile
) -> None:
    plans.update_activity(
        fresh,
        drafted.activity_id,
        ActivityInput("Taller MGA", drafted.result_id, start_on=days(-60), end_on=days(-10)),
    )
    plans.record_activity_progress(fresh, drafted.activity_id, days(-5), 40)
    done, _ = plans.add_activity(
        fresh, drafted.plan_id, ActivityInput("Hecha", drafted.result_id, end_on=days(-20))
    )
    plans.record_activity_progress(fresh, done, days(-19), 100)
    cancelled, _ = plans.add_activity(
        fresh, drafted.plan_id, ActivityInput("Cancelada", drafted.result_id, end_on=days(-30))
    )
    plans.record_activity_progress(fresh, cancelled, days(-25), 10, state="cancelled")
    on_time, _ = plans.add_activity(
        fresh, drafted.plan_id, ActivityInput("A tiempo", drafted.result_id, end_on=days(3))
    )
    # Another assistance, later still.
    innovacion, _ = assistances.create_assistance(fresh, AssistanceInput("52835", "INNOVACION"))
    other_plan, _ = plans.create_plan(fresh, innovacion)
    other_result, _ = plans.add_result(fresh, other_plan, ResultInput("Trámites en línea"))
    late, _ = plans.add_activity(
        fresh,
        other_plan,
        ActivityInput(
            "Decreto de racionalización",
            other_result,
            responsible="municipality",
            responsible_name="Jairo Ortiz",
            end_on=days(-40),
        ),
    )

    rows = plans.overdue(fresh)
    assert [(r.activity_id, r.days_late, r.percent) for r in rows] == [
        (late, 40, 0),
        (drafted.activity_id, 10, 40),
    ]
    first = rows[0]
    assert (first.description, first.result, first.responsible, first.responsible_name) == (
        "Decreto de racionalización",
        "Trámites en línea",
        "municipality",
        "Jairo Ortiz",
    )
    assert first.end_on == days(-40) and first.plan_id == other_plan
    assert first.assistance_id == assistances.get_assistance(fresh, innovacion).row.id
    plan = view(fresh, drafted.code)
    assert [a.overdue for a in plan.activities] == [True, False, False, False]
    assert plan.progress.overdue == 1
    assert plan.progress.activities_total == 3  # the cancelled one is left out
    # On another day the list is another one.
    assert [r.activity_id for r in plans.overdue(fresh, days(-15))] == [late]
    assert [(r.activity_id, r.days_late) for r in plans.overdue(fresh, days(10))] == [
        (late, 50),
        (drafted.activity_id, 20),
        (on_time, 7),
    ]
    plans.record_activity_progress(fresh, drafted.activity_id, TODAY, 100)
    assert [r.activity_id for r in plans.overdue(fresh)] == [late]
    # A cancelled assistance has nothing pending.
    assistances.transition(fresh, innovacion, "cancelled", "La alcaldía desistió")
    assert plans.overdue(fresh) == []


def test_progress_by_assistance_gives_each_plan_its_figures(
    fresh: Profile, assistance: str
) -> None:
    innovacion, _ = assistances.create_assistance(fresh, AssistanceInput("52835", "INNOVACION"))
    without, _ = assistances.create_assistance(fresh, AssistanceInput("52835", "ETNICOS"))
    paz = draft(fresh, assistance)
    other = draft(fresh, innovacion)
    plans.record_activity_progress(fresh, paz.activity_id, TODAY, 50)
    plans.record_measurement(fresh, paz.result_id, TODAY, 2)
    plans.record_activity_progress(fresh, other.activity_id, TODAY, 100)
    plans.submit(fresh, other.plan_id)
    figures = plans.progress_by_assistance(fresh)
    ids = {
        code: assistances.get_assistance(fresh, code).row.id
        for code in (assistance, innovacion, without)
    }
    assert set(figures) == {ids[assistance], ids[innovacion]}
    first, second = figures[ids[assistance]], figures[ids[innovacion]]
    assert (first.plan_id, first.plan_state) == (paz.plan_id, PlanState.DRAFT)
    assert (second.plan_id, second.plan_state) == (other.plan_id, PlanState.SUBMITTED)
    assert (first.progress.activities_percent, first.progress.results_percent) == (50, 20)
    assert first.progress.warning is False
    assert (second.progress.activities_percent, second.progress.results_percent) == (100, 0)
    assert second.progress.warning is True
    assert first.progress == view(fresh, assistance).progress
    assert second.progress == view(fresh, innovacion).progress


# Visits and findings --------------------------------------------------------------------------


def test_visits_are_linked_to_the_activities_they_advanced(
    drafted: Drafted, fresh: Profile
) -> None:
    visit, _ = forms.start(fresh, drafted.code, "bitacora_visita")
    second, _ = forms.start(fresh, drafted.code, "bitacora_visita")
    assert {v.submission_id for v in forms.visits(fresh, drafted.code)} == {visit, second}
    changes = plans.link_visit(fresh, drafted.activity_id, visit)
    assert changes.touches("plan_link")
    plans.link_visit(fresh, drafted.activity_id, second)
    with Unchanged(fresh):  # the same pair twice is one link
        plans.link_visit(fresh, drafted.activity_id, visit)
    assert view(fresh, drafted.code).activities[0].visits == tuple(sorted((visit, second)))
    plans.link_visit(fresh, drafted.activity_id, visit, linked=False)
    assert view(fresh, drafted.code).activities[0].visits == (second,)
    plans.link_visit(fresh, drafted.activity_id, visit)  # linked again
    assert visit in view(fresh, drafted.code).activities[0].visits

    elsewhere, _ = assistances.create_assistance(fresh, AssistanceInput("52835", "INNOVACION"))
    foreign, _ = forms.start(fresh, elsewhere, "bitacora_visita")
    forms.remove(fresh, second)  # a removed visit no longer shows as linked
    assert view(fresh, drafted.code).activities[0].visits == (visit,)
    with Unchanged(fresh):
        with pytest.raises(ValidationError, match="La visita es de otra asistencia"):
            plans.link_visit(fresh, drafted.activity_id, foreign)
        with pytest.raises(NotFoundError):
            plans.link_visit(fresh, drafted.activity_id, "no-existe")
    diagnostic, _ = forms.start(fresh, drafted.code, "diagnostico_capacidad_institucional")
    with Unchanged(fresh), pytest.raises(ValidationError, match="Solo se vinculan visitas"):
        plans.link_visit(fresh, drafted.activity_id, diagnostic)


def test_findings_are_recorded_and_linked_to_the_results_that_address_them(
    drafted: Drafted, fresh: Profile
) -> None:
    with Unchanged(fresh):
        with pytest.raises(ValidationError, match="Escriba el hallazgo"):
            plans.add_finding(fresh, drafted.code, "  ")
        with pytest.raises(ValidationError, match="La prioridad es 1"):
            plans.add_finding(fresh, drafted.code, "Sin banco", priority=5)
    banco, changes = plans.add_finding(
        fresh, drafted.code, "No hay banco de proyectos", area="Planeación", priority=1
    )
    assert changes.touches("finding")
    archivo, _ = plans.add_finding(fresh, drafted.code, "Archivo sin organizar")
    plans.update_finding(fresh, archivo, "Archivo central sin organizar", "Gestión documental", 2)
    with Unchanged(fresh), pytest.raises(ValidationError, match="La prioridad es 1"):
        plans.update_finding(fresh, archivo, "Archivo central sin organizar", priority=0)
    assert plans.findings(fresh, drafted.code) == [
        plans.FindingRow(banco, "No hay banco de proyectos", "Planeación", 1, None, ()),
        plans.FindingRow(
            archivo, "Archivo central sin organizar", "Gestión documental", 2, None, ()
        ),
    ]
    second, _ = plans.add_result(fresh, drafted.plan_id, ResultInput("Archivo organizado"))
    plans.link_finding(fresh, banco, drafted.result_id)
    plans.link_finding(fresh, archivo, second)
    plans.link_finding(fresh, banco, second)
    plan = view(fresh, drafted.code)
    assert plan.results[0].findings == (banco,)
    assert plan.results[1].findings == tuple(sorted((archivo, banco)))
    by_id = {f.id: f for f in plan.findings}
    assert set(by_id[banco].results) == {drafted.result_id, second}
    assert by_id[archivo].results == (second,)
    assert {f.id: set(f.results) for f in plans.findings(fresh, drafted.code)} == {
        banco: {drafted.result_id, second},
        archivo: {second},
    }
    plans.link_finding(fresh, banco, second, linked=False)
    assert view(fresh, drafted.code).results[1].findings == (archivo,)

    elsewhere, _ = assistances.create_assistance(fresh, AssistanceInput("52835", "INNOVACION"))
    foreign, _ = plans.add_finding(fresh, elsewhere, "Otro municipio, otro hallazgo")
    with (
        Unchanged(fresh),
        pytest.raises(ValidationError, match="El hallazgo es de otra asistencia"),
    ):
        plans.link_finding(fresh, foreign, second)
    assert [f.id for f in plans.findings(fresh, elsewhere)] == [foreign]

    removed, _ = plans.remove_finding(fresh, archivo)
    plan = view(fresh, drafted.code)
    assert [f.id for f in plan.findings] == [banco]
    assert plan.results[1].findings == ()  # a removed finding is not shown as addressed
    plans.restore(fresh, removed)
    assert view(fresh, drafted.code).results[1].findings == (archivo,)
    removed, _ = plans.remove_result(fresh, second)  # nor is a removed result addressing it
    assert [f.results for f in plans.findings(fresh, drafted.code)] == [(drafted.result_id,), ()]
    assert [f.results for f in view(fresh, drafted.code).findings] == [(drafted.result_id,), ()]


def test_the_diagnostic_suggests_its_weak_areas_and_its_findings(
    fresh: Profile, assistance: str
) -> None:
    assert plans.suggest_findings(fresh, assistance) == []
    sid, _ = forms.start(fresh, assistance, "diagnostico_capacidad_institucional")
    state = forms.open_state(fresh, sid)
    for name in ("pdt", "bpp", "ctp", "poai", "seguimiento"):  # planning: barely exists
        state.set_answer(name, "1" if name == "pdt" else "0")
    for name in ("estatuto", "cobro", "mfmp"):  # finances: fine
        state.set_answer(name, "3")
    state.set_answer(
        "hallazgos",
        "- El banco de proyectos no funciona\n\n• El archivo central está en el sótano  \n",
    )
    forms.save_answers(fresh, sid, state.answers())
    suggested = plans.suggest_findings(fresh, assistance)
    assert suggested == [
        plans.SuggestedFinding(
            "Capacidad baja en Planeación y plan de desarrollo: 7 / 100 en el diagnóstico.",
            "Planeación y plan de desarrollo",
            1,
            sid,
        ),
        plans.SuggestedFinding("El banco de proyectos no funciona", "", 2, sid),
        plans.SuggestedFinding("El archivo central está en el sótano", "", 2, sid),
    ]
    # Areas nobody answered yet (contracting, internal control…) are not findings.
    assert not any("Finanzas" in s.statement or "Contratación" in s.statement for s in suggested)
    # One already recorded (whatever its case) is not suggested again.
    plans.add_finding(fresh, assistance, "el banco de proyectos no funciona", submission_id=sid)
    assert [s.statement for s in plans.suggest_findings(fresh, assistance)] == [
        suggested[0].statement,
        "El archivo central está en el sótano",
    ]


# Between laptops ------------------------------------------------------------------------------


@pytest.fixture
def office_and_team(template: Path, tmp_path: Path) -> Iterator[tuple[Profile, Profile]]:
    office = new_device(template, tmp_path / "oficina", "Coordinación Nariño")
    team = new_device(template, tmp_path / "equipo", "Portátil Tumaco")
    catalog.import_directorates(office)
    set_role(team, "field")
    enrol(office, team, tmp_path / "inscripcion", directorates=["NAR"])
    try:
        yield office, team
    finally:
        office.close()
        team.close()


def send(source: Profile, target: Profile, path: Path) -> tuple[tuple[str, str], ...]:
    sent = export(source, path, for_device=target.device_id)
    [result], _ = import_bundles(target, [sent.path])
    assert result.status == "applied", result.error
    return result.rejected


def test_a_plan_travels_between_laptops_and_only_reviewers_decide_on_it(
    office_and_team: tuple[Profile, Profile], tmp_path: Path
) -> None:
    office, team = office_and_team
    code, _ = assistances.create_assistance(team, AssistanceInput("52835", "PAZ"))
    drafted = draft(team, code)
    extra, _ = plans.add_result(team, drafted.plan_id, BANCO._replace(statement="Segundo"))
    plans.add_activity(team, drafted.plan_id, ActivityInput("Mesa técnica", extra))
    plans.move_result(team, extra, -1)
    gone, _ = plans.add_activity(team, drafted.plan_id, ActivityInput("Sobra", extra))
    plans.remove_activity(team, gone)
    finding, _ = plans.add_finding(team, code, "No hay banco de proyectos", priority=1)
    plans.link_finding(team, finding, drafted.result_id)
    visit, _ = forms.start(team, code, "bitacora_visita")
    plans.link_visit(team, drafted.activity_id, visit)
    acta = tmp_path / "acta.pdf"
    acta.write_bytes(b"%PDF-1.4 acta de la mesa tecnica " * 60)
    plans.record_activity_progress(team, drafted.activity_id, days(-1), 50, evidence=[acta])
    plans.record_measurement(team, drafted.result_id, days(-1), 3, verification="BPPIM")
    plans.submit(team, drafted.plan_id)

    assert send(team, office, tmp_path / "1.fkb") == ()
    received = view(office, code)
    assert received == view(team, code)
    assert received.state is PlanState.SUBMITTED
    assert [r.id for r in received.results] == [extra, drafted.result_id]
    assert received.results[1].findings == (finding,)
    assert received.activities[1].visits == (visit,)
    [evidence] = received.activities[1].follow_ups[0].evidence
    assert forms.attachment_path(office, evidence.id).read_bytes() == acta.read_bytes()
    assert plans.version_snapshot(office, received.versions[0].id) == plans.version_snapshot(
        team, received.versions[0].id
    )

    # The field laptop approves its own plan (its role changed for a moment): refused on import.
    set_role(team, "reviewer")
    plans.approve(team, drafted.plan_id, "Aprobado por mí mismo")
    set_role(team, "field")
    assert view(team, code).state is PlanState.APPROVED  # on its own laptop only
    rejected = send(team, office, tmp_path / "2.fkb")
    assert sorted(reason for _summary, reason in rejected) == [
        f"un equipo de campo no puede cambiar plan_version.{field}"
        for field in ("comments", "decided_at", "decided_by", "decision")
    ]
    plan = view(office, code)
    assert plan.state is PlanState.SUBMITTED
    assert plan.last_version is not None and plan.last_version.decision is None

    # The coordinator's decision travels back to the team.
    plans.return_plan(office, drafted.plan_id, "Precise la línea base del segundo resultado.")
    assert send(office, team, tmp_path / "3.fkb") == ()
    # The office's bundle told the team what it holds, refused operations included: the team's
    # next bundle does not carry them again (nor everything after them), nor are they reported
    # twice.
    plans.record_measurement(team, drafted.result_id, TODAY, 4, verification="BPPIM")
    sent = export(team, tmp_path / "3b.fkb", for_device=office.device_id)
    assert sent.operations == 7  # the measurement: a follow-up's fields, recorded_by included
    [again], _ = import_bundles(office, [sent.path])
    assert again.status == "applied" and again.rejected == () and again.duplicates == 0
    assert view(office, code).results[1].measured == 4
    plan = view(team, code)
    assert plan.state is PlanState.RETURNED and plan.editable
    assert plan.last_version is not None
    assert plan.last_version.comments == "Precise la línea base del segundo resultado."
