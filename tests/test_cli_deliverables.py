"""The command line for deliverables (issue 6): written, reviewed item by item, answered,
re-submitted, approved, delivered with its signed act and survey, and the role refusals.

Run in-process as tests/test_cli_plans.py does, on real profiles: the assistance and its plan are
written through the services; everything about the deliverable goes through `fieldkit`.
"""

from __future__ import annotations

import datetime as dt
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
from fieldkit.services import assistances, deliverables, forms, plans
from fieldkit.services.assistances import AssistanceInput
from fieldkit.services.plans import PlanInput, ResultInput
from fieldkit.services.profile import Profile, set_role

CapSys = pytest.CaptureFixture[str]
TODAY = dt.date.today()
DUE = TODAY + dt.timedelta(days=20)


@pytest.fixture(autouse=True)
def spanish() -> Iterator[None]:
    i18n.set_language("es")
    yield
    i18n.set_language("es")


class Built(NamedTuple):
    folder: Path
    code: str  # an assistance with a plan of two results
    without: str  # an assistance without a plan
    results: list[str]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("plantilla") / "perfil"
    argv = ["--data-dir", str(folder), "init", "--device-name", "Coordinación Nariño"]
    assert main([*argv, "--role", "coordinator"]) == 0
    with Profile(folder) as profile:
        code, _c = assistances.create_assistance(profile, AssistanceInput("52835", "PAZ"))
        without, _c = assistances.create_assistance(profile, AssistanceInput("52835", "INNOVACION"))
        plan_id, _c = plans.create_plan(
            profile, code, PlanInput("Sin banco de proyectos", "Poner en marcha el banco")
        )
        first, _c = plans.add_result(profile, plan_id, ResultInput("Banco de proyectos operando"))
        second, _c = plans.add_result(profile, plan_id, ResultInput("Funcionarios capacitados"))
    return Built(folder, code, without, [first, second])


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

    def argparse_refuses(self, *args: str) -> str:
        """argparse itself refuses (a missing or wrong option): exit 2, its message."""
        self.capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main(["--data-dir", str(self.data_dir), *args])
        assert exited.value.code == 2
        return " ".join(self.capsys.readouterr().err.split())


@pytest.fixture
def cli(built: Built, capsys: CapSys) -> Cli:
    return Cli(built.folder, capsys)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "archivos"
    folder.mkdir()
    made = {
        "manual.pdf": b"%PDF-1.4 manual de procesos del banco " * 100,
        "taller.jpg": b"\xff\xd8\xff\xe0 foto del taller",
        "acta-firmada.pdf": b"%PDF-1.4 acta firmada " * 10,
    }
    for name, data in made.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in made}


def kilobytes(path: Path) -> str:
    return f"{i18n.format_number(path.stat().st_size / 1024, 1)} kB"


def deliverable(built: Built, number: int = 1) -> deliverables.DeliverableRow:
    with Profile(built.folder) as profile:
        return deliverables.list_for(profile, built.code)[number - 1]


def role(built: Built, name: str) -> None:
    with Profile(built.folder) as profile:
        set_role(profile, name)


DELIVERY = (
    "--place", "Despacho del alcalde, Tumaco",
    "--received-by", "Luz Dary Angulo",
    "--position", "Secretaria de Planeación",
    "--entity", "Alcaldía de San Andrés de Tumaco",
    "--team", "Ana María Quiñones", "Valentina Ortiz Nupan",
)  # fmt: skip


def submitted(built: Built, cli: Cli, files: dict[str, Path]) -> None:
    """Deliverable 1, with its product file, sent to review."""
    cli("deliverable", "new", built.code, "--kind", "manual", "--title", "Manual de procesos")
    cli("deliverable", "add-file", built.code, "1", str(files["manual.pdf"]))
    cli("deliverable", "submit", built.code, "1")


# ------------------------------------------------------------------------------ the whole flow


def test_a_deliverable_from_draft_to_survey(built: Built, cli: Cli, files: dict[str, Path]) -> None:
    code = built.code
    out, _err = cli("deliverable", "list", code)
    assert f"La asistencia {code} no tiene entregables." in out
    assert cli.json("deliverable", "list", code) == []

    out, _err = cli(
        "deliverable", "new", code, "--kind", "manual",
        "--title", " Manual de procesos del banco de proyectos ",
        "--description", "Registro, viabilidad y seguimiento",
        "--due", format_date(DUE), "--result", "2", "1",
    )  # fmt: skip
    assert out.splitlines() == [
        f"Entregable 1 registrado en {code}, en borrador: Manual de procesos del banco de "
        "proyectos",
        f"Adjunte el producto con «fieldkit deliverable add-file {code} 1 ARCHIVO».",
    ]
    cli("deliverable", "new", code, "--kind", "guia", "--title", "Guía de presupuesto")
    out, err = cli("deliverable", "list", code)
    assert out.splitlines() == [
        "1  Manual de procesos del banco de proyectos",
        f"    Manual de procesos y procedimientos · Borrador · fecha esperada {format_date(DUE)}",
        "2  Guía de presupuesto",
        "    Guía · Borrador · sin fecha esperada",
    ]
    assert "2 entregables" in err
    first = deliverable(built)
    assert first.result_ids == tuple(sorted(built.results))

    out, _err = cli(
        "deliverable", "add-file", code, "1", str(files["manual.pdf"]), "--caption", "Versión 1"
    )
    assert (
        out.strip() == f"«manual.pdf» adjuntado al entregable 1 de {code} (Archivo del producto)."
    )
    out, _err = cli(
        "deliverable", "add-file", code, "1", str(files["taller.jpg"]),
        "--photo", "--caption", "Taller de socialización",
    )  # fmt: skip
    assert "(Foto)" in out
    out, _err = cli("deliverable", "submit", code, "1", "--note", "Primera versión")
    assert out.strip() == f"Entregable 1 de {code} enviado a revisión de calidad (envío 1)."

    out, _err = cli(
        "deliverable", "return", code, "1", "--comments", "Buen avance; faltan ajustes.",
        "--item", "manual.pdf=El capítulo 3 no describe la viabilidad",
        "--item", "=Falta la tabla de contenido",
    )  # fmt: skip
    assert out.strip() == (f"Entregable 1 de {code} devuelto al equipo con 2 comentarios por ítem.")
    out, _err = cli("deliverable", "show", code, "1")
    assert "Estado: Devuelto con comentarios" in out
    order = [
        f"Entregable 1 de {code}: Manual de procesos del banco de proyectos",
        "Tipo: Manual de procesos y procedimientos",
        "Descripción: Registro, viabilidad y seguimiento",
        f"Fecha esperada: {format_date(DUE)}",
        "Sirve a los resultados del plan: 1, 2",
        f"manual.pdf (Archivo del producto, {kilobytes(files['manual.pdf'])}) — Versión 1",
        f"taller.jpg (Foto, {files['taller.jpg'].stat().st_size} B) — Taller de socialización",
        "Envío 1: enviado el ",
        " — Devuelto con comentarios el ",
        "Nota del equipo: Primera versión",
        "Comentarios: Buen avance; faltan ajustes.",
        "1.1 [manual.pdf] El capítulo 3 no describe la viabilidad",
        "Sin respuesta del equipo.",
        "1.2 [general] Falta la tabla de contenido",
        "Entrega: sin registrar.",
    ]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)

    out, _err = cli(
        "deliverable", "respond", code, "1", "1.1", "--response", "Se agregó la sección 3.2"
    )
    assert out.strip() == f"Comentario 1.1 del entregable 1 de {code} respondido y atendido."
    cli("deliverable", "respond", code, "1", "2", "--response", "Tabla agregada")  # = 1.2
    cli("deliverable", "edit", code, "1", "--no-results")
    assert deliverable(built).result_ids == ()
    assert "Sirve a los resultados" not in cli("deliverable", "show", code, "1")[0]
    out, _err = cli("deliverable", "edit", code, "1", "--result", "1", "--due", "")
    assert out.strip() == f"Entregable 1 de {code} actualizado (Borrador)."
    first = deliverable(built)
    assert (first.result_ids, first.due_on) == ((built.results[0],), None)
    assert [(c.addressed, c.response) for c in first.reviews[0].items] == [
        (True, "Se agregó la sección 3.2"),
        (True, "Tabla agregada"),
    ]
    out, _err = cli("deliverable", "submit", code, "1")
    assert "(envío 2)" in out
    out, _err = cli("deliverable", "approve", code, "1", "--comments", "Cumple")
    assert out.splitlines() == [
        f"Entregable 1 de {code} aprobado.",
        f"El equipo registra su entrega con «fieldkit deliverable deliver {code} 1 …».",
    ]

    day = format_date(TODAY - dt.timedelta(days=1))
    out, _err = cli("deliverable", "deliver", code, "1", "--date", day, *DELIVERY)
    assert (
        out.splitlines()[0]
        == (
            f"Entregable 1 de {code} entregado el {day} a Luz Dary Angulo."  # no due date: no «a tiempo»
        )
    )
    assert "--signed-act" in out and f"fieldkit deliverable survey {code} 1" in out
    out, _err = cli(
        "deliverable", "add-file", code, "1", str(files["acta-firmada.pdf"]), "--signed-act"
    )
    assert "(Acta de entrega firmada)" in out
    out, _err = cli("deliverable", "survey", code, "1")
    first_line, window = out.splitlines()
    survey = first_line.rsplit(": ", 1)[1]
    assert first_line == (f"Encuesta de satisfacción del entregable 1 de {code} iniciada: {survey}")
    assert window == (
        f"Para diligenciarla, abra fieldkit sin comando, la asistencia {code} y su pestaña "
        "«Diagnóstico y visitas»."
    )
    out, _err = cli("deliverable", "survey", code, "1")
    assert out.splitlines()[0] == (
        f"Encuesta de satisfacción del entregable 1 de {code} (ya iniciada): {survey}"
    )
    with Profile(built.folder) as profile:
        submission = forms.get_submission(profile, survey)
    assert (submission.form_id, submission.subject_id) == ("encuesta_satisfaccion", first.id)

    out, _err = cli("deliverable", "show", code, "1")
    order = [
        "Estado: Entregado",
        f"acta-firmada.pdf (Acta de entrega firmada, {files['acta-firmada.pdf'].stat().st_size} B)",
        "Envío 1: enviado el ",
        "Respuesta (atendido): Se agregó la sección 3.2",
        "Respuesta (atendido): Tabla agregada",
        "Envío 2: enviado el ",
        " — Aprobado el ",
        "Comentarios: Cumple",
        f"Entrega: {day} en Despacho del alcalde, Tumaco",
        "Recibió: Luz Dary Angulo, Secretaria de Planeación, Alcaldía de San Andrés de Tumaco",
        "Equipo presente: Ana María Quiñones, Valentina Ortiz Nupan",
        "Acta firmada: acta-firmada.pdf",
        f"Encuesta de satisfacción: {survey} (Borrador)",
    ]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)

    data = cli.json("deliverable", "show", code, "1")
    assert (data["number"], data["code"], data["id"]) == ("1", code, first.id)
    assert (data["state"], data["state_label"], data["editable"]) == (
        "delivered",
        "Entregado",
        False,
    )
    assert data["kind"] == "procedure_manual" and data["result_numbers"] == ["1"]
    assert data["delivered_on"] == (TODAY - dt.timedelta(days=1)).isoformat()
    assert data["team_present"] == ["Ana María Quiñones", "Valentina Ortiz Nupan"]
    assert data["on_time"] is None  # its due date was cleared
    assert [f["purpose"] for f in data["files"]] == ["product", "photo", "signed_act"]
    assert data["signed_act"]["file_name"] == "acta-firmada.pdf"
    assert [(r["number"], r["decision"], r["decision_label"]) for r in data["reviews"]] == [
        (1, "returned", "Devuelto con comentarios"),
        (2, "approved", "Aprobado"),
    ]
    assert [(c["number"], c["item"], c["addressed"]) for c in data["reviews"][0]["items"]] == [
        ("1.1", "manual.pdf", True),
        ("1.2", "general", True),
    ]
    assert data["survey"]["id"] == survey and data["survey"]["status"] == "draft"

    # The history of the deliverable reads in words.
    out, _err = cli("history", first.id)
    assert "Entregable · tipo = Manual de procesos y procedimientos  " in out
    assert "Entregable · estado = En revisión de calidad  " in out
    assert "Entregable · estado = Entregado  " in out
    assert "Entregable · equipo presente en la entrega = Ana María Quiñones, Valentina" in out
    assert not re.search(r"= (draft|submitted|delivered|procedure_manual)\b", out)


def test_list_shows_delivery_dates_and_timeliness(
    built: Built, cli: Cli, files: dict[str, Path]
) -> None:
    code = built.code
    for title, due in (("A tiempo", TODAY), ("Tarde", TODAY - dt.timedelta(days=5))):
        cli("deliverable", "new", code, "--kind", "guide", "--title", title, "--due",
            format_date(due))  # fmt: skip
    for number in ("1", "2"):
        cli("deliverable", "add-file", code, number, str(files["manual.pdf"]))
        cli("deliverable", "submit", code, number)
        cli("deliverable", "approve", code, number)
        cli("deliverable", "deliver", code, number, "--date", format_date(TODAY), *DELIVERY)
    out, _err = cli("deliverable", "list", code)
    today = format_date(TODAY)
    assert out.splitlines() == [
        "1  A tiempo",
        f"    Guía · Entregado · fecha esperada {today} · entregado el {today} (a tiempo)",
        "2  Tarde",
        "    Guía · Entregado · fecha esperada "
        f"{format_date(TODAY - dt.timedelta(days=5))} · entregado el {today} (con retraso)",
    ]
    rows = cli.json("deliverable", "list", code)
    assert [(r["number"], r["title"], r["on_time"]) for r in rows] == [
        ("1", "A tiempo", True),
        ("2", "Tarde", False),
    ]
    assert [r["delivered_on"] for r in rows] == [TODAY.isoformat()] * 2
    assert [r["state"] for r in rows] == ["delivered", "delivered"]


# ------------------------------------------------------------------------------ refusals


def test_only_reviewers_and_coordinators_approve_or_return(
    built: Built, cli: Cli, files: dict[str, Path]
) -> None:
    submitted(built, cli, files)
    role(built, "field")
    _out, err = cli("deliverable", "approve", built.code, "1", code=2)
    assert err.strip() == (
        "error: Solo un revisor o un coordinador puede aprobar o devolver un entregable."
    )
    _out, err = cli("deliverable", "return", built.code, "1", "--item", "manual.pdf=No", code=2)
    assert "Solo un revisor o un coordinador" in err
    assert cli.json("deliverable", "show", built.code, "1")["state"] == "submitted"
    role(built, "reviewer")
    cli("deliverable", "return", built.code, "1", "--comments", "Ajustar el capítulo 2")
    assert cli.json("deliverable", "show", built.code, "1")["state"] == "returned"
    # The team corrects and sends it again; the reviewer approves.
    role(built, "field")
    cli("deliverable", "submit", built.code, "1")
    role(built, "reviewer")
    cli("deliverable", "approve", built.code, "1")
    assert cli.json("deliverable", "show", built.code, "1")["state"] == "approved"


def test_only_the_team_delivers_and_only_what_was_approved(
    built: Built, cli: Cli, files: dict[str, Path]
) -> None:
    submitted(built, cli, files)
    day = format_date(TODAY)
    _out, err = cli("deliverable", "deliver", built.code, "1", "--date", day, *DELIVERY, code=2)
    assert err.strip() == (
        "error: Solo se entrega un producto aprobado en la revisión de calidad; "
        "este está «En revisión de calidad»."
    )
    cli("deliverable", "approve", built.code, "1")
    role(built, "reviewer")
    _out, err = cli("deliverable", "deliver", built.code, "1", "--date", day, *DELIVERY, code=2)
    assert err.strip() == "error: Solo el equipo de la asistencia entrega los productos."
    role(built, "field")
    tomorrow = format_date(TODAY + dt.timedelta(days=1))
    _out, err = cli(
        "deliverable", "deliver", built.code, "1", "--date", tomorrow, *DELIVERY, code=2
    )
    assert "La fecha de entrega no puede ser posterior a hoy." in err
    blank = ["--place", " ", "--received-by", "Luz", "--position", "", "--entity", "Alcaldía"]
    _out, err = cli(
        "deliverable", "deliver", built.code, "1", "--date", day, *blank, "--team", " ",
        code=2,
    )  # fmt: skip
    assert err.strip() == (
        "error: Para registrar la entrega falta: el lugar; el cargo de quien recibe; "
        "al menos un integrante del equipo presente."
    )
    assert "--team" in cli.argparse_refuses(
        "deliverable", "deliver", built.code, "1", "--date", day, *DELIVERY[:8]
    )
    assert cli.json("deliverable", "show", built.code, "1")["state"] == "approved"
    cli("deliverable", "deliver", built.code, "1", "--date", day, *DELIVERY)
    assert cli.json("deliverable", "show", built.code, "1")["state"] == "delivered"
    # Delivered: read-only but for the signed act.
    _out, err = cli("deliverable", "edit", built.code, "1", "--title", "Otro", code=2)
    assert err.strip() == (
        "error: El entregable ya fue entregado: solo se le puede agregar el acta firmada."
    )
    _out, err = cli(
        "deliverable", "add-file", built.code, "1", str(files["taller.jpg"]), "--photo", code=2
    )
    assert "solo se le puede agregar el acta firmada" in err
    cli("deliverable", "add-file", built.code, "1", str(files["acta-firmada.pdf"]), "--signed-act")


def test_wrong_numbers_states_and_options_exit_2_in_spanish(
    built: Built, cli: Cli, files: dict[str, Path]
) -> None:
    code = built.code
    _out, err = cli("deliverable", "list", "AT-1999-XXXXX-999", code=2)
    assert "error: No existe la asistencia «AT-1999-XXXXX-999»." in err
    _out, err = cli("deliverable", "show", code, "1", code=2)
    assert err.strip() == (
        f"error: La asistencia {code} no tiene el entregable 1. "
        f"Vea los números con «fieldkit deliverable list {code}»."
    )
    refused = cli.argparse_refuses("deliverable", "new", code, "--kind", "folleto", "--title", "X")
    assert "«folleto» no es una opción válida" in refused
    assert "--title" in cli.argparse_refuses("deliverable", "new", code, "--kind", "guide")
    _out, err = cli(
        "deliverable", "new", code, "--kind", "guide", "--title", "X", "--result", "7", code=2
    )
    assert f"El plan de {code} no tiene el resultado 7." in err
    _out, err = cli(
        "deliverable", "new", built.without, "--kind", "guide", "--title", "X", "--result", "1",
        code=2,
    )  # fmt: skip
    assert f"La asistencia {built.without} no tiene plan de acción" in err
    _out, err = cli("deliverable", "new", code, "--kind", "guide", "--title", "  ", code=2)
    assert err.strip() == "error: Escriba el título del entregable."
    assert cli.json("deliverable", "list", code) == []  # nothing was written

    cli("deliverable", "new", code, "--kind", "guide", "--title", "Guía")
    _out, err = cli("deliverable", "edit", code, "1", code=2)
    assert "Nada que cambiar" in err
    _out, err = cli("deliverable", "submit", code, "1", code=2)
    assert err.strip() == (
        "error: Para enviar el entregable a revisión falta: al menos un archivo del producto."
    )
    _out, err = cli(
        "deliverable", "add-file", code, "1", str(files["acta-firmada.pdf"]), "--signed-act",
        code=2,
    )  # fmt: skip
    assert "El acta firmada se adjunta después de registrar la entrega." in err
    _out, err = cli("deliverable", "add-file", code, "1", str(files["manual.pdf"]) + "x", code=2)
    assert "No existe el archivo" in err
    assert "--signed-act" in cli.argparse_refuses(
        "deliverable", "add-file", code, "1", str(files["manual.pdf"]), "--photo", "--signed-act"
    )
    _out, err = cli("deliverable", "survey", code, "1", code=2)
    assert "La encuesta de satisfacción se hace después de la entrega." in err

    cli("deliverable", "add-file", code, "1", str(files["manual.pdf"]))
    cli("deliverable", "submit", code, "1")
    _out, err = cli("deliverable", "edit", code, "1", "--title", "Otra", code=2)
    assert err.strip() == (
        "error: El entregable está «En revisión de calidad»: no se puede modificar ahora."
    )
    _out, err = cli("deliverable", "return", code, "1", "--item", "sin signo igual", code=2)
    assert "«ÍTEM=COMENTARIO»" in err and "«sin signo igual»" in err
    _out, err = cli("deliverable", "return", code, "1", code=2)
    assert "Para devolver el entregable escriba al menos un comentario." in err
    cli("deliverable", "return", code, "1", "--item", "Guía=Falta la portada")
    _out, err = cli("deliverable", "respond", code, "1", "3", "--response", "x", code=2)
    assert f"El entregable 1 de {code} no tiene el comentario 3" in err
    assert "p. ej. 1.2" in err
    assert "--response" in cli.argparse_refuses("deliverable", "respond", code, "1", "1")
    assert deliverable(built).state.value == "returned"


def test_help_is_in_spanish(capsys: CapSys) -> None:
    for argv in (
        ["deliverable", "--help"],
        ["deliverable", "new", "-h"],
        ["deliverable", "return", "-h"],
        ["entregable", "deliver", "-h"],
    ):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 0
        out = " ".join(capsys.readouterr().out.split())  # argparse wraps to the terminal
        if argv == ["deliverable", "--help"]:
            assert "aprobar el entregable en revisión (revisor o coordinador)" in out
            assert "iniciar la encuesta de satisfacción de un entregable ya entregado" in out
        if argv == ["deliverable", "new", "-h"]:
            assert "procedure_manual (manual)" in out
            assert "números de los resultados del plan a los que sirve" in out
        if argv == ["deliverable", "return", "-h"]:
            assert "ÍTEM=COMENTARIO" in out and "comentario general para el equipo" in out
        if argv == ["entregable", "deliver", "-h"]:
            assert "integrantes del equipo presentes" in out and "CARGO" in out
