"""The command line for action plans (issue 5): progress, overdue work, the plan and its review.

Run in-process as tests/test_cli.py does, on real profiles: the plan is written through the
services (as the window does), then read, followed up and reviewed from the command line.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from fieldkit import i18n
from fieldkit.cli import main
from fieldkit.i18n import format_date
from fieldkit.services import assistances, forms, persons, plans
from fieldkit.services.assistances import AssistanceInput, CounterpartInput
from fieldkit.services.plans import ActivityInput, PlanInput, ResultInput
from fieldkit.services.profile import Profile, set_role

CapSys = pytest.CaptureFixture[str]
TODAY = dt.date.today()  # the command line judges overdue work against today
KEYS = {
    "code",
    "municipality",
    "plan_state",
    "results_percent",
    "activities_percent",
    "activities_total",
    "activities_complete",
    "results_total",
    "results_measured",
    "overdue",
    "warning",
    "warning_text",
}
WARNING = (
    "Las actividades van en 86 % pero los resultados solo en 5 %: "
    "el plan avanza en tareas sin lograr lo que se propuso."
)


@pytest.fixture(autouse=True)
def spanish() -> Iterator[None]:
    i18n.set_language("es")
    yield
    i18n.set_language("es")


class Built(NamedTuple):
    folder: Path
    code: str  # the assistance with a plan
    without: str  # an assistance without a plan
    results: list[str]  # result ids, in order
    activities: list[str]  # 1.1, 1.2, 2.1


def _assistance(profile: Profile, line: str) -> str:
    lead, _c = persons.save_person(profile, name="Ana María Quiñones", role="field_professional")
    code, _c = assistances.create_assistance(
        profile,
        AssistanceInput(
            municipality_code="52835",
            thematic_line_code=line,
            team=[lead],
            counterparts=[CounterpartInput("Luz Dary Angulo", "Secretaria de Planeación")],
            start_on=TODAY - dt.timedelta(days=90),
            end_on=TODAY + dt.timedelta(days=90),
        ),
    )
    return code


def _build(folder: Path) -> Built:
    """A plan whose activities are almost done (86 %) while its results barely moved (5 %)."""
    with Profile(folder) as profile:
        code = _assistance(profile, "PAZ")
        without = _assistance(profile, "ETNICOS")
        plan_id, _c = plans.create_plan(
            profile,
            code,
            PlanInput(
                problem="Baja capacidad de la alcaldía para formular proyectos de paz.",
                objective="Fortalecer la formulación de proyectos de la Secretaría de Planeación.",
                alternative="Talleres y acompañamiento en la formulación.",
            ),
        )
        r1, _c = plans.add_result(
            profile,
            plan_id,
            ResultInput(
                "Funcionarios capacitados en formulación de proyectos",
                indicator_name="Funcionarios capacitados",
                indicator_type="product",
                unit="personas",
                baseline=0.0,
                target=40.0,
                verification="Listas de asistencia",
                due_on=TODAY + dt.timedelta(days=60),
            ),
        )
        r2, _c = plans.add_result(
            profile,
            plan_id,
            ResultInput(
                "Menos proyectos devueltos por el OCAD",
                indicator_name="Proyectos devueltos",
                unit="proyectos",
                baseline=10.0,
                target=2.0,
                direction="decrease",
            ),
        )
        a11, _c = plans.add_activity(
            profile,
            plan_id,
            ActivityInput(
                "Taller de formulación MGA",
                r1,
                start_on=TODAY - dt.timedelta(days=60),
                end_on=TODAY - dt.timedelta(days=30),
            ),
        )
        a12, _c = plans.add_activity(
            profile,
            plan_id,
            ActivityInput(
                "Mesa técnica con la Secretaría",
                r1,
                responsible="municipality",
                responsible_name="Luz Dary Angulo",
                end_on=TODAY - dt.timedelta(days=10),
            ),
        )
        a21, _c = plans.add_activity(
            profile,
            plan_id,
            ActivityInput(
                "Revisión de los proyectos devueltos",
                r2,
                start_on=TODAY - dt.timedelta(days=40),
                end_on=TODAY - dt.timedelta(days=5),
            ),
        )
        yesterday = TODAY - dt.timedelta(days=1)
        plans.record_activity_progress(profile, a11, yesterday, 100)
        plans.record_activity_progress(profile, a12, yesterday, 100)
        plans.record_activity_progress(profile, a21, yesterday, 60)
        plans.record_measurement(profile, r1, yesterday, 4)  # 4 of 40: 10 %; r2 unmeasured
    return Built(folder, code, without, [r1, r2], [a11, a12, a21])


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("plantilla") / "perfil"
    argv = ["--data-dir", str(folder), "init", "--device-name", "Coordinación Nariño"]
    assert main([*argv, "--role", "coordinator"]) == 0
    return _build(folder)


@pytest.fixture
def built(template: Built, tmp_path: Path) -> Built:
    folder = tmp_path / "perfil"
    shutil.copytree(template.folder, folder)
    return template._replace(folder=folder)


class Cli:
    """Runs `fieldkit --data-dir DIR …` in this process and captures what it printed."""

    def __init__(self, data_dir: Path, capsys: CapSys) -> None:
        self.data_dir = data_dir
        self.capsys = capsys

    def __call__(self, *args: str, code: int = 0) -> tuple[str, str]:
        self.capsys.readouterr()
        result = main(["--data-dir", str(self.data_dir), *args])
        out, err = self.capsys.readouterr()
        assert result == code, (args, out, err)
        return out, err

    def json(self, *args: str) -> Any:
        out, _err = self(*args, "--json")
        return json.loads(out)


@pytest.fixture
def cli(built: Built, capsys: CapSys) -> Cli:
    return Cli(built.folder, capsys)


def view(built: Built) -> plans.PlanView:
    with Profile(built.folder) as profile:
        found = plans.get_plan(profile, built.code)
    assert found is not None
    return found


# ------------------------------------------------------------------------------ progress


def test_progress_json_puts_results_beside_activities_and_flags_the_gap(
    built: Built, cli: Cli
) -> None:
    rows = cli.json("progress")
    by_code = {r["code"]: r for r in rows}
    assert set(by_code) == {built.code, built.without}
    row = by_code[built.code]
    assert set(row) >= KEYS
    assert row["municipality"] == "San Andrés de Tumaco"
    assert row["plan_state"] == "draft"
    assert row["results_percent"] == 5.0  # 10 % and an unmeasured 0 %
    assert row["activities_percent"] == pytest.approx(260 / 3)
    assert (row["activities_total"], row["activities_complete"]) == (3, 2)
    assert (row["results_total"], row["results_measured"]) == (2, 1)
    assert row["overdue"] == 1  # 2.1 ended five days ago at 60 %
    assert row["warning"] is True
    assert row["warning_text"] == WARNING

    none = by_code[built.without]
    assert set(none) >= KEYS
    assert none["plan_state"] is None
    assert none["results_percent"] is None and none["activities_percent"] is None
    assert none["warning"] is False and none["warning_text"] is None

    [one] = cli.json("progress", built.code.lower())  # a code is found in any case
    assert one == row
    assert cli.json("progress", "--directorate", "ZZZ") == []


def test_progress_text_shows_results_first_then_activities_and_the_warning(
    built: Built, cli: Cli
) -> None:
    out, _err = cli("progress", built.code)
    lines = out.splitlines()
    assert lines[0].startswith(f"{built.code}  San Andrés de Tumaco · ")
    assert lines[0].endswith(" · Borrador")
    figures = lines[1]
    assert "resultados logrados 5 % (1 de 2 medidos)" in figures
    assert "actividades completadas 86 % (2 de 3)" in figures
    assert figures.index("resultados logrados") < figures.index("actividades completadas")
    assert "1 actividad vencida" in figures
    assert lines[2].strip() == f"ALERTA: {WARNING}"

    out, err = cli("progress")
    assert f"{built.without}  San Andrés de Tumaco · " in out
    assert next(line for line in out.splitlines() if line.startswith(built.without)).endswith(
        "· sin plan"
    )
    assert "2 asistencias" in err


def test_unknown_codes_exit_2_with_a_spanish_message(built: Built, cli: Cli) -> None:
    _out, err = cli("progress", "AT-1999-XXXXX-999", code=2)
    assert "error: No existe la asistencia «AT-1999-XXXXX-999»." in err
    _out, err = cli("plan", "show", "AT-1999-XXXXX-999", code=2)
    assert "No existe la asistencia" in err
    _out, err = cli("plan", "show", built.without, code=2)
    assert f"La asistencia {built.without} no tiene plan de acción" in err
    _out, err = cli("plan", "progress", built.code, "3.1", "50", code=2)
    assert "no tiene la actividad 3.1" in err and "p. ej. 2.1" in err
    _out, err = cli("plan", "measure", built.code, "7", "3", code=2)
    assert "no tiene el resultado 7" in err
    with pytest.raises(SystemExit) as exited:  # argparse: --comments is required to return
        main(["--data-dir", str(built.folder), "plan", "return", built.code])
    assert exited.value.code == 2


def test_overdue_lists_late_activities_with_their_number(built: Built, cli: Cli) -> None:
    [row] = cli.json("overdue")
    assert row["code"] == built.code
    assert row["number"] == "2.1"
    assert row["activity_id"] == built.activities[2]
    assert row["description"] == "Revisión de los proyectos devueltos"
    assert row["result"] == "Menos proyectos devueltos por el OCAD"
    assert row["days_late"] == 5
    assert row["percent"] == 60.0
    assert row["end_on"] == (TODAY - dt.timedelta(days=5)).isoformat()

    out, err = cli("overdue")
    assert f"{built.code}  San Andrés de Tumaco · 2.1  Revisión de los proyectos devueltos" in out
    end = format_date(TODAY - dt.timedelta(days=5))
    assert f"terminaba el {end} · 5 días de retraso · avance 60 %" in out
    assert "responsable: Equipo de asistencia técnica" in out
    assert "1 actividad vencida" in err


# ------------------------------------------------------------------------------ the plan


def test_plan_show_numbers_results_and_activities(built: Built, cli: Cli) -> None:
    out, _err = cli("plan", "show", built.code)
    assert out.startswith(f"Plan de acción de {built.code} — San Andrés de Tumaco, ")
    assert "Estado: Borrador · versión 1" in out
    assert "Problema: Baja capacidad de la alcaldía" in out
    assert "Avance: resultados logrados 5 %" in out
    assert f"ALERTA: {WARNING}" in out
    order = [
        "Resultado 1: Funcionarios capacitados en formulación de proyectos",
        "Indicador: Funcionarios capacitados (Producto), personas; línea base 0 → meta 40 "
        "(Aumentar)",
        "Medio de verificación: Listas de asistencia",
        "Medido: 4 personas el " + format_date(TODAY - dt.timedelta(days=1)) + " · logro 10 %",
        "Actividad 1.1: Taller de formulación MGA",
        "Actividad 1.2: Mesa técnica con la Secretaría",
        "responsable: Alcaldía (Luz Dary Angulo) · hasta el "
        + format_date(TODAY - dt.timedelta(days=10)),
        "Resultado 2: Menos proyectos devueltos por el OCAD",
        "línea base 10 → meta 2 (Disminuir)",
        "Sin medición del indicador.",
        "Actividad 2.1: Revisión de los proyectos devueltos",
        "avance 60 % (En curso) · VENCIDA",
        "Versiones: ninguna enviada a revisión.",
    ]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)

    data = cli.json("plan", "show", built.code)
    assert data["code"] == built.code and data["state"] == "draft"
    assert [r["number"] for r in data["results"]] == ["1", "2"]
    assert [r["id"] for r in data["results"]] == built.results
    assert [[a["number"] for a in r["activities"]] for r in data["results"]] == [
        ["1.1", "1.2"],
        ["2.1"],
    ]
    assert [a["id"] for r in data["results"] for a in r["activities"]] == built.activities
    assert data["results"][0]["achievement_percent"] == pytest.approx(10.0)
    assert data["results"][1]["achievement_percent"] is None
    assert data["results"][0]["activities"][1]["responsible_label"] == "Alcaldía"
    assert data["progress"]["warning"] is True and data["progress"]["warning_text"] == WARNING
    assert data["progress"]["results_percent"] == 5.0


def test_submit_return_submit_approve_and_new_version(built: Built, cli: Cli) -> None:
    out, _err = cli("plan", "submit", built.code)
    assert out.strip() == f"Plan de {built.code} enviado a revisión (versión 1, envío 1)."
    assert "Estado: Enviado a revisión" in cli("plan", "show", built.code)[0]
    _out, err = cli("plan", "submit", built.code, code=2)
    assert "solo se envía un plan en borrador o devuelto" in err

    out, _err = cli("plan", "return", built.code, "--comments", "La meta de 40 es muy alta.")
    assert "devuelto al equipo con comentarios" in out
    shown = cli("plan", "show", built.code)[0]
    assert "Estado: Devuelto con comentarios" in shown
    assert "Versión 1 (envío 1): enviada el " in shown and " — Devuelto el " in shown
    assert "Comentarios: La meta de 40 es muy alta." in shown

    assert "(versión 1, envío 2)" in cli("plan", "submit", built.code)[0]
    out, _err = cli("plan", "approve", built.code, "--comments", "Bien ajustado.")
    assert out.strip() == f"Plan de {built.code} aprobado (versión 1)."
    data = cli.json("plan", "show", built.code)
    assert data["state"] == "approved" and data["editable"] is False
    assert [(v["number"], v["decision"]) for v in data["versions"]] == [
        (1, "returned"),
        (2, "approved"),
    ]
    assert [v["decision_label"] for v in data["versions"]] == ["Devuelto", "Aprobado"]
    assert data["versions"][1]["comments"] == "Bien ajustado."
    assert cli.json("progress", built.code)[0]["plan_state"] == "approved"

    out, _err = cli("plan", "new-version", built.code)
    assert "versión 2 en borrador" in out
    data = cli.json("plan", "show", built.code)
    assert (data["state"], data["version"], data["editable"]) == ("draft", 2, True)
    assert len(data["versions"]) == 2  # the approved version stays readable
    _out, err = cli("plan", "new-version", built.code, code=2)
    assert "Solo un plan aprobado pasa a una nueva versión" in err


def test_a_field_profile_cannot_approve_nor_return(built: Built, cli: Cli) -> None:
    cli("plan", "submit", built.code)
    with Profile(built.folder) as profile:
        set_role(profile, "field")
    _out, err = cli("plan", "approve", built.code, code=2)
    assert "error: Solo un revisor o un coordinador puede aprobar o devolver un plan." in err
    _out, err = cli("plan", "return", built.code, "--comments", "No", code=2)
    assert "Solo un revisor o un coordinador" in err
    assert cli.json("plan", "show", built.code)["state"] == "submitted"  # nothing changed


def test_plan_progress_and_measure_with_evidence(built: Built, cli: Cli, tmp_path: Path) -> None:
    photo = tmp_path / "taller.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 foto del taller")
    minutes = tmp_path / "acta.pdf"
    minutes.write_bytes(b"%PDF-1.4 acta de la mesa")
    lists = tmp_path / "listas.pdf"
    lists.write_bytes(b"%PDF-1.4 listas de asistencia")
    day = TODAY

    out, _err = cli(
        "plan", "progress", built.code, "2.1", "100", "--date", format_date(day),
        "--note", "Se revisaron los cinco proyectos", "--evidence", str(photo), str(minutes),
    )  # fmt: skip
    assert out.splitlines()[0] == (
        f"Actividad 2.1 de {built.code}: avance 100 % el {format_date(day)}, 2 evidencias."
    )
    assert "actividades completadas 100 % (3 de 3)" in out
    assert "ALERTA: Las actividades van en 100 % pero los resultados solo en 5 %" in out

    out, _err = cli(
        "plan", "measure", built.code, "1", "20,5", "--verification", "Listas firmadas",
        "--evidence", str(lists),
    )  # fmt: skip
    assert out.splitlines()[0] == (
        f"Resultado 1 de {built.code}: valor medido 20,5 el {format_date(TODAY)} "
        "(logro 51 %), 1 evidencias."
    )
    assert "resultados logrados 25 % (1 de 2 medidos)" in out  # 51,25 % and 0 %
    assert "ALERTA" in out  # 25 % is still under 30 %

    plan = view(built)
    activity = plan.activities[2]
    assert (activity.percent, activity.state, activity.complete) == (100.0, "complete", True)
    last = activity.follow_ups[-1]
    assert (last.recorded_on, last.note) == (day, "Se revisaron los cinco proyectos")
    assert sorted(e.file_name for e in last.evidence) == ["acta.pdf", "taller.jpg"]
    result = plan.results[0]
    assert (result.measured, result.measured_on) == (20.5, TODAY)
    assert result.achievement == pytest.approx(20.5 / 40)
    measure = result.follow_ups[-1]
    assert measure.verification == "Listas firmadas"
    assert [e.file_name for e in measure.evidence] == ["listas.pdf"]
    assert plan.progress.overdue == 0

    # The state can be given; a missing evidence file changes nothing.
    cli("plan", "progress", built.code, "1.2", "40", "--state", "suspended")
    assert view(built).activities[1].state == "suspended"
    _out, err = cli(
        "plan", "progress", built.code, "1.1", "50", "--evidence", str(tmp_path / "no.pdf"),
        code=2,
    )  # fmt: skip
    assert "No existe el archivo de evidencia" in err
    assert view(built).activities[0].percent == 100.0


def test_history_of_a_result_reads_with_labels(built: Built, cli: Cli) -> None:
    result_id = built.results[1]
    with Profile(built.folder) as profile:
        data = ResultInput(
            "Menos proyectos devueltos por el OCAD regional",
            indicator_name="Proyectos devueltos",
            indicator_type="result",
            unit="proyectos",
            baseline=10.0,
            target=3.5,
            direction="decrease",
            due_on=dt.date(2026, 11, 30),
        )
        plans.update_result(profile, result_id, data)
        plans.update_result(profile, result_id, data._replace(indicator_type="impact"))
    out, _err = cli("history", result_id)
    assert "Resultado esperado · enunciado = Menos proyectos devueltos por el OCAD  " in out
    assert (
        "Resultado esperado · enunciado = Menos proyectos devueltos por el OCAD regional  " in out
    )
    assert f"Resultado esperado · plan de acción = Plan de acción de {built.code}  " in out
    assert "Resultado esperado · sentido del indicador = Disminuir  " in out
    assert "Resultado esperado · tipo de indicador = Resultado  " in out
    assert "Resultado esperado · tipo de indicador = Impacto  " in out
    assert "Resultado esperado · meta = 3,5  " in out
    assert "Resultado esperado · fecha esperada = 30/11/2026  " in out
    assert not re.search(r"= (increase|decrease|impact|product)\b", out)
    changes = cli.json("history", result_id)
    kinds = [c["text"] for c in changes if c["field"] == "indicator_type"]
    assert kinds == ["Resultado", "Impacto"]  # an unchanged value writes no operation


# ------------------------------------------------------------------------------ writing the plan


class Terminal(io.StringIO):
    """What a person types at a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_whole_plan_written_from_the_command_line(built: Built, cli: Cli) -> None:
    code = built.without
    out, _err = cli(
        "plan", "new", code, "--problem", "Las consultas previas se devuelven por forma.",
        "--objective", "Consultas previas bien formuladas.",
    )  # fmt: skip
    assert out.splitlines()[0] == f"Plan de acción de {code} creado en borrador (versión 1)."
    out, _err = cli(
        "plan", "add-result", code, "--statement", "Funcionarios capacitados en consulta previa",
        "--indicator", "Funcionarios capacitados", "--type", "producto", "--unit", "personas",
        "--baseline", "0", "--target", "25", "--verification", "Listas de asistencia",
        "--due", "30/11/2026",
    )  # fmt: skip
    assert out.strip() == (
        f"Resultado 1 agregado al plan de {code}: Funcionarios capacitados en consulta previa"
    )
    out, _err = cli(  # no indicator name yet: submitting will say so
        "plan", "add-result", code, "--statement", "Consultas previas sin devoluciones",
        "--type", "impact", "--baseline", "6", "--target", "1,5", "--direction", "disminuir",
    )  # fmt: skip
    assert out.startswith(f"Resultado 2 agregado al plan de {code}: ")
    out, _err = cli(
        "plan", "add-activity", code, "1", "--description", "Taller de consulta previa",
        "--start", "01/02/2026", "--end", "2026-02-28",
    )  # fmt: skip
    assert out.strip() == f"Actividad 1.1 agregada al plan de {code}: Taller de consulta previa"
    out, _err = cli(
        "plan", "add-activity", code, "1", "--description", "Mesa con el cabildo",
        "--responsible", "alcaldía", "--official", "Jhon Jairo Cortés",
    )  # fmt: skip
    assert out.startswith(f"Actividad 1.2 agregada al plan de {code}: ")
    out, _err = cli(
        "plan", "add-activity", code, "2", "--description", "Revisión de las actas devueltas",
        "--end", "30/06/2026",
    )  # fmt: skip
    assert out.startswith(f"Actividad 2.1 agregada al plan de {code}: ")

    out, _err = cli("plan", "move", code, "1.2", "up")
    assert out.strip() == f"Actividad 1.2 de {code} movida: ahora es la 1.1."
    out, _err = cli("plan", "move", code, "1.1", "subir")
    assert out.strip() == "Nada cambió: la actividad 1.1 ya es la primera de su resultado."
    out, _err = cli("plan", "move", code, "2", "subir")
    assert out.strip() == f"Resultado 2 de {code} movido: ahora es el 1."
    out, _err = cli("plan", "move", code, "2", "bajar")
    assert out.strip() == "Nada cambió: el resultado 2 ya es el último."
    # Now 1 is «Consultas…» (1.1 Revisión) and 2 «Funcionarios…» (2.1 Mesa, 2.2 Taller).
    out, _err = cli("plan", "edit-activity", code, "1.1", "--result", "2", "--end", "31/07/2026")
    assert out.strip() == f"Actividad 1.1 de {code} actualizada: ahora es la 2.3."
    out, _err = cli("plan", "edit-result", code, "2", "--target", "30", "--due", "")
    assert out.strip() == f"Resultado 2 de {code} actualizado."
    out, _err = cli("plan", "edit", code, "--alternative", "Acompañamiento a la Secretaría.")
    assert out.strip() == f"Plan de {code} actualizado."
    out, _err = cli(
        "plan", "finding-add", code, "--statement", "No hay protocolo de consulta previa",
        "--area", "Planeación", "--priority", "alta",
    )  # fmt: skip
    assert out.strip() == f"Hallazgo H1 registrado en {code}: No hay protocolo de consulta previa"
    out, _err = cli("plan", "finding-link", code, "h1", "2")
    assert out.strip() == f"El resultado 2 de {code} atiende el hallazgo H1."
    _out, err = cli("plan", "submit", code, code=2)  # result 1 lacks its indicator and work
    assert "el indicador (meta) de cada resultado; al menos una actividad en cada resultado" in err
    cli("plan", "edit-result", code, "1", "--indicator", "Consultas devueltas")
    out, _err = cli("plan", "add-activity", code, "1", "--description", "Acompañar la radicación")
    assert out.strip() == f"Actividad 1.1 agregada al plan de {code}: Acompañar la radicación"
    out, _err = cli("plan", "submit", code)
    assert out.strip() == f"Plan de {code} enviado a revisión (versión 1, envío 1)."

    data = cli.json("plan", "show", code)
    assert (data["state"], data["version"], data["editable"]) == ("submitted", 1, False)
    assert data["problem"] == "Las consultas previas se devuelven por forma."
    assert data["objective"] == "Consultas previas bien formuladas."
    assert data["alternative"] == "Acompañamiento a la Secretaría."
    first, second = data["results"]
    assert first["number"] == "1" and first["statement"] == "Consultas previas sin devoluciones"
    assert (first["indicator_type"], first["baseline"], first["target"], first["direction"]) == (
        "impact",
        6.0,
        1.5,
        "decrease",
    )
    assert first["indicator_name"] == "Consultas devueltas" and first["findings"] == []
    assert [(a["number"], a["description"]) for a in first["activities"]] == [
        ("1.1", "Acompañar la radicación")
    ]
    assert second["number"] == "2"
    assert second["statement"] == "Funcionarios capacitados en consulta previa"
    assert (second["indicator_name"], second["indicator_type"], second["unit"]) == (
        "Funcionarios capacitados",
        "product",
        "personas",
    )
    assert (second["baseline"], second["target"], second["due_on"]) == (0.0, 30.0, None)
    assert (second["direction"], second["verification"]) == ("increase", "Listas de asistencia")
    activities = second["activities"]
    assert [(a["number"], a["description"]) for a in activities] == [
        ("2.1", "Mesa con el cabildo"),
        ("2.2", "Taller de consulta previa"),
        ("2.3", "Revisión de las actas devueltas"),
    ]
    assert (activities[0]["responsible"], activities[0]["responsible_name"]) == (
        "municipality",
        "Jhon Jairo Cortés",
    )
    assert activities[0]["responsible_label"] == "Alcaldía"
    assert (activities[1]["responsible"], activities[1]["responsible_name"]) == ("team", "")
    assert (activities[1]["start_on"], activities[1]["end_on"]) == ("2026-02-01", "2026-02-28")
    assert activities[2]["end_on"] == "2026-07-31"
    [finding] = data["findings"]
    assert (finding["number"], finding["statement"]) == (
        "H1",
        "No hay protocolo de consulta previa",
    )
    assert (finding["area"], finding["priority"]) == ("Planeación", 1)
    assert finding["results"] == [second["id"]]
    assert second["findings"] == [{"id": finding["id"], "number": "H1"}]
    [version] = data["versions"]
    assert version["decision"] is None

    # Sent to review, the plan is not changed from here either, and nothing is asked first.
    _out, err = cli("plan", "add-result", code, "--statement", "Otro", code=2)
    assert "no se puede modificar mientras se revisa" in err
    _out, err = cli("plan", "remove", code, "1", code=2)
    assert "no se puede modificar mientras se revisa" in err and "¿Eliminar" not in err
    assert len(cli.json("plan", "show", code)["results"]) == 2


def test_remove_asks_first_and_refuses_without_a_terminal(
    built: Built, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _out, err = cli("plan", "remove", built.code, "1", code=2)  # stdin is no terminal here
    assert (
        "error: ¿Eliminar el resultado 1 «Funcionarios capacitados en formulación de proyectos» "
        "con sus 2 actividades? No hay una terminal para preguntarlo: agregue --yes para confirmar."
    ) in err
    assert [a.id for a in view(built).activities] == built.activities

    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    out, err = cli("plan", "remove", built.code, "2.1")
    assert "¿Eliminar la actividad 2.1 «Revisión de los proyectos devueltos»? [s/N]" in err
    assert "No se eliminó nada." in err and out == ""
    assert [a.id for a in view(built).activities] == built.activities

    monkeypatch.setattr("sys.stdin", Terminal("s\n"))
    out, _err = cli("plan", "remove", built.code, "2.1")
    assert out.splitlines()[0] == f"Actividad 2.1 de {built.code} eliminada."
    assert [a.id for a in view(built).activities] == built.activities[:2]

    out, _err = cli("plan", "remove", built.code, "1", "--yes")
    lines = out.splitlines()
    assert lines[0] == f"Resultado 1 de {built.code} eliminado con sus 2 actividades."
    assert f"lo que tenía queda en su historial: «fieldkit history {built.results[0]}»" in lines[1]
    data = cli.json("plan", "show", built.code)
    assert [(r["number"], r["id"]) for r in data["results"]] == [("1", built.results[1])]
    assert data["results"][0]["activities"] == []
    history, _err = cli("history", built.results[0])  # what it had is still readable
    assert "Resultado esperado · meta = 40  " in history
    assert "Resultado esperado · eliminado = Sí  " in history

    out, _err = cli("plan", "remove", built.code, "1", "--yes")  # a result without activities
    assert out.splitlines()[0] == f"Resultado 1 de {built.code} eliminado."
    assert cli.json("plan", "show", built.code)["results"] == []


def test_visits_are_numbered_and_linked_to_the_activities_they_advanced(
    built: Built, cli: Cli
) -> None:
    out, _err = cli("plan", "visits", built.code)
    assert out.strip() == f"La asistencia {built.code} no tiene visitas en la bitácora."
    with Profile(built.folder) as profile:
        later, _c = forms.start(profile, built.code, "bitacora_visita")
        earlier, _c = forms.start(profile, built.code, "bitacora_visita")
        for visit, day, place in (
            (later, "2026-04-15", "vereda"),
            (earlier, "2026-03-04", "alcaldia"),
        ):
            state = forms.open_state(profile, visit)
            state.set_answer("fecha", day)
            state.set_answer("lugar", place)
            forms.save_answers(profile, visit, state.answers())

    out, _err = cli("plan", "link-visit", built.code, "2.1", "1")
    assert out.strip() == f"Visita 1 (04/03/2026) vinculada a la actividad 2.1 de {built.code}."
    cli("plan", "link-visit", built.code, "1.1", "2")
    cli("plan", "link-visit", built.code, "2.1", later)  # its id works too
    plan = view(built)
    assert plan.activities[0].visits == (later,)
    assert plan.activities[1].visits == ()
    assert plan.activities[2].visits == tuple(sorted((earlier, later)))

    out, _err = cli("plan", "visits", built.code)
    assert out.splitlines() == [
        "1  04/03/2026 · Sede de la alcaldía · Borrador",
        "    Actividades que avanzó: 2.1",
        "2  15/04/2026 · Vereda o corregimiento · Borrador",
        "    Actividades que avanzó: 1.1, 2.1",
    ]
    rows = cli.json("plan", "visits", built.code)
    assert [(r["number"], r["submission_id"], r["date"]) for r in rows] == [
        ("1", earlier, "2026-03-04"),
        ("2", later, "2026-04-15"),
    ]
    assert [r["activities"] for r in rows] == [["2.1"], ["1.1", "2.1"]]

    out, _err = cli("plan", "link-visit", built.code, "2.1", "1", "--unlink")
    assert out.strip() == (
        f"Visita 1 (04/03/2026) desvinculada de la actividad 2.1 de {built.code}."
    )
    assert view(built).activities[2].visits == (later,)
    _out, err = cli("plan", "link-visit", built.code, "2.1", "3", code=2)
    assert f"La asistencia {built.code} no tiene la visita 3." in err
    assert f"«fieldkit plan visits {built.code}»" in err
    assert view(built).activities[2].visits == (later,)


def test_findings_suggested_by_the_diagnostic_listed_recorded_and_linked(
    built: Built, cli: Cli
) -> None:
    code = built.code
    out, _err = cli("plan", "findings", code)
    assert out.splitlines()[0] == f"La asistencia {code} no tiene hallazgos registrados."
    out, _err = cli("plan", "finding-suggest", code)
    assert out.strip() == f"El diagnóstico de {code} no sugiere hallazgos nuevos."
    with Profile(built.folder) as profile:
        sid, _c = forms.start(profile, code, "diagnostico_capacidad_institucional")
        state = forms.open_state(profile, sid)
        for name in ("pdt", "bpp", "ctp", "poai", "seguimiento"):  # planning: barely exists
            state.set_answer(name, "1" if name == "pdt" else "0")
        state.set_answer(
            "hallazgos", "- El banco de proyectos no funciona\n• El archivo está en el sótano\n"
        )
        forms.save_answers(profile, sid, state.answers())

    out, _err = cli("plan", "finding-suggest", code)
    assert out.splitlines() == [
        f"Hallazgos que sugiere el diagnóstico de {code}:",
        "    - Capacidad baja en Planeación y plan de desarrollo: 7 / 100 en el diagnóstico. "
        "(prioridad Alta)",
        "    - El banco de proyectos no funciona (prioridad Media)",
        "    - El archivo está en el sótano (prioridad Media)",
        f"Para registrarlos: «fieldkit plan finding-suggest {code} --add».",
    ]
    assert cli.json("plan", "findings", code) == []  # only suggested, nothing recorded
    out, _err = cli("plan", "finding-suggest", code, "--add")
    assert out.splitlines() == [
        f"3 hallazgos registrados en {code}:",
        "    H1: Capacidad baja en Planeación y plan de desarrollo: 7 / 100 en el diagnóstico.",
        "    H2: El banco de proyectos no funciona",
        "    H3: El archivo está en el sótano",
    ]
    out, _err = cli("plan", "finding-suggest", code)
    assert "no sugiere hallazgos nuevos" in out

    cli("plan", "finding-link", code, "H2", "2")
    cli("plan", "finding-link", code, "2", "1")  # «2» is H2 as well
    out, _err = cli("plan", "findings", code)
    lines = out.splitlines()
    assert lines[0].startswith("H1: Capacidad baja en Planeación")
    assert lines[1] == (
        "    prioridad Alta · área: Planeación y plan de desarrollo · ningún resultado lo atiende"
    )
    assert lines[2:4] == [
        "H2: El banco de proyectos no funciona",
        "    prioridad Media · lo atienden los resultados 1, 2",
    ]
    out, _err = cli("plan", "finding-link", code, "H2", "1", "--unlink")
    assert out.strip() == f"El resultado 1 de {code} ya no atiende el hallazgo H2."
    rows = cli.json("plan", "findings", code)
    assert [(r["number"], r["priority"], r["submission_id"]) for r in rows] == [
        ("H1", 1, sid),
        ("H2", 2, sid),
        ("H3", 2, sid),
    ]
    assert [r["result_numbers"] for r in rows] == [[], ["2"], []]
    assert rows[1]["results"] == [built.results[1]]
    assert view(built).results[1].findings == (rows[1]["id"],)


def test_bad_numbers_and_values_exit_2_with_a_clear_message(built: Built, cli: Cli) -> None:
    code = built.code
    show = f"Vea los números con «fieldkit plan show {code}»."
    for args, text in (
        (("edit-result", code, "9", "--target", "3"), f"no tiene el resultado 9. {show}"),
        (("add-activity", code, "9", "--description", "Otra"), "no tiene el resultado 9."),
        (
            ("edit-activity", code, "1.9", "--description", "Otra"),
            "no tiene la actividad 1.9: se escribe resultado.actividad, p. ej. 2.1.",
        ),
        (("edit-activity", code, "1.1", "--result", "9"), "no tiene el resultado 9."),
        (("remove", code, "1.9", "--yes"), "no tiene la actividad 1.9"),
        (("remove", code, "9", "--yes"), "no tiene el resultado 9."),
        (("move", code, "1.9", "down"), "no tiene la actividad 1.9"),
        (("link-visit", code, "1.9", "1"), "no tiene la actividad 1.9"),
        (("finding-link", code, "H4", "1"), f"La asistencia {code} no tiene el hallazgo H4."),
        (("edit-result", code, "1"), "Nada que cambiar: indique al menos una opción"),
        (("edit", code), "Nada que cambiar"),
        (
            ("add-result", code, "--statement", "Otro", "--baseline", "mucho"),
            "«mucho» no es un número válido para la línea base.",
        ),
        (
            ("edit-result", code, "2", "--target", "12"),
            "La meta (12.0) es mayor que la línea base (10.0)",
        ),
        (
            ("add-activity", code, "1", "--description", "Otra", "--responsible", "alcaldia"),
            "Escriba el nombre del funcionario de la alcaldía responsable.",
        ),
        (("new", code), "La asistencia ya tiene un plan de acción."),
    ):
        _out, err = cli("plan", *args, code=2)
        assert text in err, (args, err)
    data = cli.json("plan", "show", code)  # nothing changed
    assert [r["id"] for r in data["results"]] == built.results
    assert [a["id"] for r in data["results"] for a in r["activities"]] == built.activities
    assert data["results"][1]["target"] == 2.0

    capsys = cli.capsys
    for args, text in (
        (("--type", "enorme"), "«enorme» no es una opción válida: use product, producto"),
        (("--due", "31/02/2026"), "La fecha 31/02/2026 no existe."),
    ):
        with pytest.raises(SystemExit) as exited:
            main(
                [
                    "--data-dir",
                    str(built.folder),
                    "plan",
                    "add-result",
                    code,
                    "--statement",
                    "X",
                    *args,
                ]
            )
        assert exited.value.code == 2
        assert text in capsys.readouterr().err


# ------------------------------------------------------------------------------ demo data


def test_progress_json_on_demo_data(tmp_path: Path, capsys: CapSys) -> None:
    cli = Cli(tmp_path / "demo", capsys)
    cli("demo", "--scale", "small", "--seed", "3")
    rows = cli.json("progress")
    assert isinstance(rows, list) and rows
    with Profile(tmp_path / "demo") as profile:
        codes = {r.code for r in assistances.list_assistances(profile)}
    assert {r["code"] for r in rows} == codes
    for row in rows:
        assert set(row) >= KEYS
        for key in ("results_percent", "activities_percent"):
            assert row[key] is None or 0 <= row[key] <= 100, row
        assert isinstance(row["warning"], bool)
        assert (row["warning_text"] is None) == (not row["warning"])
        if row["plan_state"] is None:
            assert row["results_percent"] is None and row["activities_percent"] is None
    out, _err = cli("progress")
    assert out.count("resultados logrados") == sum(1 for r in rows if r["plan_state"])
    for line in out.splitlines():
        if "actividades completadas" in line:
            assert line.index("resultados logrados") < line.index("actividades completadas")


def test_help_is_in_spanish(capsys: CapSys) -> None:
    for argv in (
        ["--help"],
        ["progress", "--help"],
        ["plan", "--help"],
        ["plan", "progress", "-h"],
        ["plan", "edit-activity", "-h"],
    ):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 0
        out = " ".join(capsys.readouterr().out.split())  # argparse wraps to the terminal
        if argv == ["--help"]:
            assert "resultados logrados y actividades completadas" in out
            assert "actividades vencidas de todas las asistencias" in out
        if argv == ["plan", "--help"]:
            assert "aprobar el plan enviado (revisor o coordinador)" in out
            assert "vincular una visita de la bitácora a la actividad que avanzó" in out
        if argv == ["plan", "edit-activity", "-h"]:
            assert "Solo cambia lo que se indique" in out
            assert "quién responde: team (equipo, por defecto) o municipality (alcaldía)" in out
            assert "pasar la actividad al final de otro resultado" in out
        if argv == ["plan", "progress", "-h"]:
            assert "número de la actividad en «plan show», p. ej. 2.1" in out
            assert "archivos de evidencia" in out
