"""The command line (DESIGN §10): the contract that scripts and tests use, run in-process."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit import i18n
from fieldkit.cli import main
from fieldkit.services.profile import Profile

CapSys = pytest.CaptureFixture[str]


@pytest.fixture(autouse=True)
def spanish() -> Iterator[None]:
    i18n.set_language("es")
    yield
    i18n.set_language("es")  # --lang en must not leak into other tests


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A profile created by `fieldkit init`, closed; tests copy it instead of seeding again."""
    folder = tmp_path_factory.mktemp("plantilla") / "perfil"
    assert main(["--data-dir", str(folder), "init", "--device-name", "Portátil Pasto"]) == 0
    return folder


@pytest.fixture
def data_dir(template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "perfil"
    shutil.copytree(template, folder)
    return folder


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

    def json(self, *args: str) -> object:
        out, _ = self(*args, "--json")
        return json.loads(out)

    def dump(self) -> str:
        return self("dump")[0]


@pytest.fixture
def cli(data_dir: Path, capsys: CapSys) -> Cli:
    return Cli(data_dir, capsys)


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FIELDKIT_LANG", "FIELDKIT_DATA_DIR")}
    return subprocess.run(
        [sys.executable, "-m", "fieldkit", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )


def new_assistance(cli: Cli) -> str:
    cli("person", "add", "--name", "Ana Rojas", "--role", "field_professional")
    out, _ = cli(
        "assistance",
        "new",
        "--municipality",
        "52835",
        "--line",
        "paz",
        "--team",
        "ana rojas",
        "--counterpart",
        "Luz Quiñones|Secretaria de Planeación|luz@tumaco.gov.co|3100000000",
        "--requested",
        "02/02/2026",
        "--start",
        "01/03/2026",
        "--end",
        "30/06/2026",
        "--notes",
        "Oficio 123",
    )
    return out.strip()


# ------------------------------------------------------------------------------ profile


def test_init_then_status(tmp_path: Path, capsys: CapSys) -> None:
    cli = Cli(tmp_path / "nuevo", capsys)
    out, _ = cli("init", "--device-name", "Portátil Tumaco", "--role", "reviewer")
    assert out.startswith(f"Perfil listo en {tmp_path / 'nuevo'}: Portátil Tumaco (reviewer)")
    status = cli.json("status")
    assert isinstance(status, dict)
    device_id = status["device_id"]
    assert str(uuid.UUID(device_id)) == device_id
    assert (status["device_name"], status["role"]) == ("Portátil Tumaco", "reviewer")
    assert status["data_dir"] == str(tmp_path / "nuevo")
    assert status["records"]["municipality"] == 1121
    assert status["records"]["thematic_line"] == 6
    assert status["records"]["municipal_category"] == 7
    assert status["records"]["assistance"] == 0
    assert status["operations"] > 9000  # the seeded catalogs are operations too
    assert out.rstrip().endswith(f"dispositivo {device_id}.")
    # init again renames the device; its identity stays.
    cli("init", "--device-name", "Portátil Ipiales")
    again = cli.json("status")
    assert isinstance(again, dict)
    assert (again["device_id"], again["device_name"], again["role"]) == (
        device_id,
        "Portátil Ipiales",
        "reviewer",
    )
    text, _ = cli("status")
    assert "Dispositivo:   Portátil Ipiales" in text
    assert "Rol:           Revisor" in text
    assert re.search(r"Municipios\s+1121", text)  # records named in Spanish, as on screen


def test_status_json_in_a_real_process(data_dir: Path) -> None:
    result = run_module("--data-dir", str(data_dir), "status", "--json")
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status["device_name"] == "Portátil Pasto"
    assert status["role"] == "field"
    assert status["records"]["municipality"] == 1121
    with Profile(data_dir) as profile:
        assert status["device_id"] == profile.device_id


def test_dump_is_sorted_stable_json(cli: Cli) -> None:
    new_assistance(cli)
    first, second = cli.dump(), cli.dump()
    assert first == second
    records = json.loads(first)
    assert list(records) == sorted(records)
    assert len(records["municipality"]) == 1121
    assert len(records["assistance"]) == 1
    for entity, rows in records.items():
        assert [r["id"] for r in rows] == sorted(r["id"] for r in rows), entity
        for row in rows:
            assert list(row) == sorted(row)
    assert first.rstrip("\n") == json.dumps(records, ensure_ascii=False, sort_keys=True, indent=1)
    out = cli.data_dir.parent / "dump.json"
    cli("dump", "-o", str(out))
    assert out.read_text(encoding="utf-8") == first


# ------------------------------------------------------------------------ backup, restore


def test_backup_and_restore_round_trip(cli: Cli) -> None:
    out, _ = cli("backup")
    assert out.startswith("Copia de seguridad guardada en ")
    copy = Path(out.strip().removeprefix("Copia de seguridad guardada en "))
    assert copy.is_file() and copy.parent == cli.data_dir / "backups"
    saved = cli.dump()
    code = new_assistance(cli)
    assert cli.dump() != saved
    out, _ = cli("restore", str(copy))
    assert out.startswith(f"Restaurado desde {copy}. Los datos anteriores quedaron en ")
    safety = Path(out.strip().rsplit(" ", 1)[1])
    assert cli.dump() == saved
    listed = cli.json("assistance", "list")
    assert listed == []
    _, err = cli("assistance", "show", code, code=2)
    assert f"No existe la asistencia «{code}»" in err
    backups = cli("backup", "--list")[0].split()
    assert str(safety) in backups
    assert str(copy) in backups
    assert "antes-de-restaurar" in safety.name


def test_restore_refuses_what_is_not_a_backup_of_this_profile(
    cli: Cli, tmp_path: Path, capsys: CapSys
) -> None:
    new_assistance(cli)
    before = cli.dump()
    text = tmp_path / "notas.txt"
    text.write_text("Esto no es una copia de seguridad.\n", encoding="utf-8")
    other = tmp_path / "otra.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE cosas (x)")
    good = Path(cli("backup")[0].strip().removeprefix("Copia de seguridad guardada en "))
    truncated = tmp_path / "cortada.sqlite"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    stranger = Cli(tmp_path / "otro-equipo", capsys)
    stranger("init", "--device-name", "Portátil ajeno")
    foreign = Path(stranger("backup")[0].strip().removeprefix("Copia de seguridad guardada en "))
    cases = [
        (text, "no es una copia de seguridad de fieldkit"),
        (other, "es una base de datos SQLite, pero no de fieldkit"),
        (truncated, "está dañado"),
        (foreign, "es una copia de otro dispositivo"),
        (tmp_path / "no-existe.sqlite", "No existe el archivo"),
    ]
    backups = cli("backup", "--list")[0]
    for path, message in cases:
        out, err = cli("restore", str(path), code=2)
        assert out == ""
        assert err.startswith("error: ") and message in err, (path, err)
        assert "Traceback" not in err
        assert cli.dump() == before
    assert cli("backup", "--list")[0] == backups  # no safety copy for a refused restore


# ---------------------------------------------------------------------- people, assistances


def test_person_add_and_list(cli: Cli) -> None:
    pid = cli(
        "person",
        "add",
        "--name",
        "Bruno Díaz",
        "--role",
        "student",
        "--directorate",
        "nar",
        "--email",
        "bruno@example.org",
    )[0].strip()
    assert str(uuid.UUID(pid)) == pid
    people = cli.json("person", "list")
    assert people == [
        {
            "id": pid,
            "name": "Bruno Díaz",
            "role": "student",
            "directorate_code": "NAR",
            "email": "bruno@example.org",
            "phone": "",
            "active": True,
        }
    ]
    text, _ = cli("person", "list")
    assert pid in text and "Bruno Díaz" in text and "Estudiante" in text
    _, err = cli("person", "add", "--name", "Ana", "--role", "student", "--email", "x", code=2)
    assert "El correo «x» no es válido." in err


def test_assistance_new_show_list(cli: Cli) -> None:
    code = new_assistance(cli)
    assert code.startswith("AT-2026-") and code.endswith("-001")
    shown = cli.json("assistance", "show", code)
    assert isinstance(shown, dict)
    assert shown["assistance"]["code"] == code
    assert shown["assistance"]["municipality"] == "San Andrés de Tumaco"
    assert shown["assistance"]["thematic_line_code"] == "PAZ"
    assert shown["assistance"]["state"] == "requested"
    assert shown["assistance"]["start_on"] == "2026-03-01"
    assert shown["notes"] == "Oficio 123"
    assert [(m["name"], m["team_role"]) for m in shown["team"]] == [("Ana Rojas", "lead")]
    assert [(c["name"], c["position"], c["email"], c["phone"]) for c in shown["counterparts"]] == [
        ("Luz Quiñones", "Secretaria de Planeación", "luz@tumaco.gov.co", "3100000000")
    ]
    assert [h["to_state"] for h in shown["history"]] == ["requested"]
    assert shown["next_states"] == ["concerted", "cancelled"]
    text, _ = cli("assistance", "show", code.lower())
    assert text.startswith(f"{code} — San Andrés de Tumaco (Nariño), Consolidación de la paz total")
    assert "Estado: Solicitada" in text
    assert "Fechas: solicitud 02/02/2026, inicio 01/03/2026, fin 30/06/2026" in text
    assert "Equipo: Ana Rojas" in text
    assert "Notas: Oficio 123" in text
    assert "— → Solicitada" in text
    listed = cli.json("assistance", "list")
    assert isinstance(listed, list)
    assert [(r["code"], r["state"], r["team"]) for r in listed] == [
        (code, "requested", "Ana Rojas")
    ]
    out, err = cli("assistance", "list", "tumaco")
    assert code in out and "Solicitada" in out
    assert err.strip() == "1 asistencia"  # singular
    assert cli.json("assistance", "list", "medellin") == []


def test_assistance_move_through_the_workflow(cli: Cli) -> None:
    code = new_assistance(cli)
    out, _ = cli("assistance", "move", code, "concerted")
    assert out.strip() == f"Asistencia {code}: ahora «Concertada»."
    _, err = cli("assistance", "move", code, "planned", code=2)
    assert (
        "No se puede pasar de «Concertada» a «Planeada». El siguiente estado es «Diagnosticada»."
        in err
    )
    _, err = cli("assistance", "move", code, "cancelled", code=2)
    assert "Para cancelar una asistencia debe indicar el motivo." in err
    cli("assistance", "move", code, "cancelled", "--reason", "La alcaldía desistió")
    shown = cli.json("assistance", "show", code)
    assert isinstance(shown, dict)
    assert shown["assistance"]["state"] == "cancelled"
    assert shown["cancel_reason"] == "La alcaldía desistió"
    assert [h["to_state"] for h in shown["history"]] == ["requested", "concerted", "cancelled"]
    assert cli.json("assistance", "list", "--state", "cancelled") != []
    assert cli.json("assistance", "list", "--state", "requested") == []
    _, err = cli("assistance", "edit", code, "--notes", "tarde", code=2)
    assert "ya no se puede editar" in err


def test_assistance_edit(cli: Cli) -> None:
    code = new_assistance(cli)
    cli("person", "add", "--name", "Carla Gómez", "--role", "field_professional")
    before = cli.json("status")
    out, _ = cli("assistance", "edit", code, "--notes", "Acta firmada")
    assert out.strip() == f"Asistencia {code} actualizada."
    after = cli.json("status")
    assert isinstance(before, dict) and isinstance(after, dict)
    assert after["operations"] == before["operations"] + 1  # only the notes changed
    cli("assistance", "edit", code, "--team", "Carla Gómez", "--team", "Ana Rojas")
    shown = cli.json("assistance", "show", code)
    assert isinstance(shown, dict)
    assert shown["notes"] == "Acta firmada"
    assert [(m["name"], m["team_role"]) for m in shown["team"]] == [
        ("Carla Gómez", "lead"),
        ("Ana Rojas", "member"),
    ]
    assert len(shown["counterparts"]) == 1  # untouched when --counterpart is not given
    saved = cli.dump()
    _, err = cli("assistance", "edit", code, "--end", "01/01/2026", code=2)
    assert "La fecha de finalización no puede ser anterior a la de inicio." in err
    _, err = cli("assistance", "edit", code, "--team", "Nadie", code=2)
    assert "No se encontró a una sola persona «Nadie»" in err
    assert cli.dump() == saved


def test_unknown_municipality(cli: Cli) -> None:
    before = cli.dump()
    out, err = cli("municipality", "99999", code=2)
    assert out == ""
    assert "No existe el municipio con código DIVIPOLA 99999" in err
    _, err = cli("assistance", "new", "--municipality", "99999", "--line", "PAZ", code=2)
    assert "No existe el municipio" in err
    _, err = cli("assistance", "new", "--municipality", "52835", "--line", "NADA", code=2)
    assert "Línea temática desconocida «NADA»" in err
    assert cli.dump() == before


# ------------------------------------------------------------------------------- catalogs


def test_municipalities_search(cli: Cli) -> None:
    rows = cli.json("municipalities", "narino")
    assert isinstance(rows, list)
    found = {r["code"] for r in rows}
    assert sum(1 for r in rows if r["department_code"] == "52") == 64
    assert {"05483", "25483", "91540", "52835", "52001"} <= found
    assert all(r["department"] == "Nariño" or "Nariño" in r["name"] for r in rows)
    assert "key" not in rows[0]
    out, err = cli("municipios", "SAN", "ANDRES", "tumaco")
    assert out.startswith("52835  San Andrés de Tumaco")
    assert err.strip() == "1 municipios"
    pdet = cli.json("municipalities", "--pdet", "--department", "19")
    assert isinstance(pdet, list) and len(pdet) == 20
    catatumbo = cli.json("municipalities", "--subregion", "Catatumbo")
    assert isinstance(catatumbo, list) and len(catatumbo) == 8


def test_municipality_sheet(cli: Cli) -> None:
    out, _ = cli("municipality", "52001")
    assert out.startswith("Pasto (Nariño) — DIVIPOLA 52001")
    assert "Tipo: Municipio" in out
    assert "Subregión PDET: no es PDET" in out
    assert "Categoría: sin dato" in out
    assert "Asistencias: 0" in out
    code = new_assistance(cli)
    sheet = cli.json("municipio", "52835")
    assert isinstance(sheet, dict)
    assert sheet["municipality"]["name"] == "San Andrés de Tumaco"
    assert sheet["municipality"]["pdet_subregion"] == "Pacífico y Frontera Nariñense"
    assert [a["code"] for a in sheet["assistances"]] == [code]
    text, _ = cli("municipality", "52835")
    assert f"{code}  Consolidación de la paz total  Solicitada" in text


def test_catalog_example_directorates(cli: Cli) -> None:
    out, _ = cli("catalog", "example-directorates")
    assert "(16 direcciones)" in out and "No es oficial" in out
    rows = cli.json("catalog", "directorates")
    assert isinstance(rows, list) and len(rows) == 16
    departments = [d for r in rows for d in r["departments"]]
    assert len(departments) == len(set(departments)) == 33
    assert all(r["is_example"] for r in rows)
    text, _ = cli("catalog", "directorates")
    assert "NAR    Nariño y Putumayo (ejemplo): 52, 86" in text
    sheet = cli.json("municipality", "52835")
    assert isinstance(sheet, dict)
    assert sheet["municipality"]["directorate_code"] == "NAR"
    assert len(cli.json("municipalities", "--directorate", "NAR")) == 77  # type: ignore[arg-type]


def test_catalog_import_categories(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "categorias.csv"
    path.write_bytes("Código;Categoría\r\n5001;Especial\r\n52835;Sexta\r\n".encode("cp1252"))
    _, err = cli("catalog", "import", "categories", str(path), code=2)
    assert "Solo un perfil de coordinador puede importar las categorías municipales" in err
    cli("init", "--device-name", "Coordinación Pasto", "--role", "coordinator")
    out, _ = cli("catalog", "import", "categories", str(path))
    assert out.strip() == "Importado: 2 cambios, 0 sin cambios."
    assert "Categoría: 6" in cli("municipality", "52835")[0]
    sixth = cli.json("municipalities", "--category", "6")
    assert [r["code"] for r in sixth] == ["52835"]  # type: ignore[index,union-attr]
    before = cli.dump()
    bad = tmp_path / "malas.csv"
    bad.write_text("codigo_municipio,categoria\n5001,1\n99999,2\n", encoding="utf-8")
    _, err = cli("catalog", "import", "categories", str(bad), code=2)
    assert "No se importó nada: 1 filas con problemas." in err
    assert "fila 3: municipio desconocido «99999»" in err
    assert cli.dump() == before
    out, _ = cli("catalog", "lines")
    assert out.splitlines()[0].split() == ["INNOVACION", "Innovación", "pública"]


def test_catalog_import_of_a_spreadsheet_is_refused_with_exit_code_2(
    cli: Cli, tmp_path: Path
) -> None:
    book = tmp_path / "categorias.xlsx"
    with zipfile.ZipFile(book, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", "<row><c>05001</c><c>E</c></row>" * 200)
        zf.writestr("docProps/raw.bin", bytes(range(256)))
    before = cli.dump()
    _, err = cli("catalog", "import", "categories", str(book), code=2)
    assert err.startswith("error: ")
    assert cli.dump() == before


# ------------------------------------------------------------------------ environment errors


def test_unwritable_data_dir(tmp_path: Path, capsys: CapSys) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("un archivo, no una carpeta", encoding="utf-8")
    cli = Cli(blocker / "sub", capsys)
    out, err = cli("status", code=2)
    assert out == ""
    assert "No se puede escribir en la carpeta de datos" in err
    assert "--data-dir" in err
    assert blocker.read_text(encoding="utf-8") == "un archivo, no una carpeta"


def test_a_second_process_on_the_same_profile_is_refused(data_dir: Path) -> None:
    with Profile(data_dir) as profile:
        result = run_module("--data-dir", str(data_dir), "status", "--json")
        assert result.returncode == 2
        assert result.stdout == ""
        assert "Otro proceso de fieldkit" in result.stderr
        assert f"(pid {os.getpid()})" in result.stderr
        assert profile.device_id  # the holder still works
    # Once the first process lets go, the profile opens again.
    assert run_module("--data-dir", str(data_dir), "status", "--json").returncode == 0


def test_lang_en_translates_error_messages(cli: Cli) -> None:
    code = new_assistance(cli)
    _, err = cli("--lang", "en", "assistance", "move", code, "planned", code=2)
    assert "Cannot go from “Requested” to “Planned”. The next state is “Agreed”." in err
    _, err = cli("--lang", "en", "assistance", "move", code, "cancelled", code=2)
    assert "To cancel an assistance you must give the reason." in err
    _, err = cli("--lang", "en", "municipality", "99999", code=2)
    assert "There is no municipality with DIVIPOLA code 99999." in err
    i18n.set_language("es")
    _, err = cli("assistance", "move", code, "planned", code=2)
    assert "No se puede pasar de «Solicitada» a «Planeada»" in err


def test_output_piped_into_a_closed_reader_is_not_a_crash(tmp_path: Path) -> None:
    """`fieldkit dump | head -1`: the reader is gone; fieldkit exits quietly, no traceback."""
    env = {k: v for k, v in os.environ.items() if k not in ("FIELDKIT_LANG", "FIELDKIT_DATA_DIR")}
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to stdout now fails with EPIPE, deterministically
    try:
        done = subprocess.run(
            [sys.executable, "-m", "fieldkit", "--data-dir", str(tmp_path / "p"), "dump"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=env,
            timeout=120,
        )
    finally:
        os.close(write_end)
    err = done.stderr.decode("utf-8")
    assert "Traceback" not in err, err
    assert done.returncode == 141


def test_history_and_conflicts_commands(cli: Cli) -> None:
    code, _ = cli("assistance", "new", "--municipality", "52835", "--line", "PAZ")
    code = code.strip()
    text, _ = cli("history", code)
    assert f"Asistencia técnica · código = {code}  " in text
    assert "Asistencia técnica · estado = Solicitada  " in text
    assert "San Andrés de Tumaco (Nariño)" in text  # names, not ids
    lines = cli.json("history", code)
    assert isinstance(lines, list) and {c["field"] for c in lines} >= {"code", "state"}  # type: ignore[index,union-attr]
    out, err = cli("conflicts")
    assert out == "" and "0 conflictos" in err
    _, err = cli("conflicts", "resolve", code=2)
    assert "fieldkit conflicts resolve ID --keep mine|theirs" in err
    _, err = cli("conflicts", "resolve", "abc", "--keep", "mine", code=2)
    assert "No existe el conflicto «abc»" in err


def test_enrol_export_and_import_from_the_command_line(tmp_path: Path, capsys: CapSys) -> None:
    office = Cli(tmp_path / "oficina", capsys)
    team = Cli(tmp_path / "equipo", capsys)
    office("init", "--device-name", "Coordinación", "--role", "coordinator")
    office("catalog", "example-directorates")
    team("init", "--device-name", "Portátil Tumaco")
    out, _ = team("enrol", "request", "-o", str(tmp_path / "req.fkb"))
    assert "Huella de este equipo:" in out
    out, _ = office(
        "enrol",
        "accept",
        str(tmp_path / "req.fkb"),
        "--directorate",
        "NAR",
        "-o",
        str(tmp_path / "resp.fkb"),
    )
    assert "Inscrito «Portátil Tumaco» (field)" in out
    out, _ = team("enrol", "complete", str(tmp_path / "resp.fkb"))
    assert "Inscrito con «Coordinación»" in out
    code, _ = team("assistance", "new", "--municipality", "52835", "--line", "PAZ")
    out, _ = team("export", str(tmp_path / "salida.fkb"))
    assert "cifrado" in out
    out, _ = office("import", "--dry-run", str(tmp_path / "salida.fkb"))
    assert "simulación: no se cambió nada" in out and "1 registros nuevos" not in out
    out, _ = office("import", str(tmp_path / "salida.fkb"))
    assert "aplicado" in out
    assert code.strip() in office("assistance", "list")[0]
    broken = tmp_path / "roto.fkb"
    broken.write_bytes(b"PK\x03\x04 esto no es un paquete")
    out, _ = office("import", str(broken), code=2)
    assert "rechazado" in out
    peers, _ = office("peers")
    assert "Portátil Tumaco" in peers and "member" in peers
    # The same through a shared folder, and a full resend after the office lost its data.
    shared = tmp_path / "nube"
    shared.mkdir()
    out, _ = office("sync", "--set-folder", str(shared))
    assert str(shared) in out
    team("sync", "--set-folder", str(shared))
    second, _ = team("assistance", "new", "--municipality", "52356", "--line", "PAZ")
    out, _ = team("sync")
    assert "Enviado a «Coordinación»" in out
    out, _ = office("sync", "--dry-run")
    assert "1 paquetes nuevos para este equipo" in out and "simulación" in out
    out, _ = office("sync")
    assert "aplicado" in out and second.strip() in office("assistance", "list")[0]
    out, _ = office("sync")
    assert "0 paquetes nuevos para este equipo, 1 ya importados" in out
    out, _ = team("export", "--all", str(tmp_path / "todo.fkb"))
    full = int(out.split(": ")[1].split()[0])
    out, _ = team("export", str(tmp_path / "resto.fkb"))
    assert full > int(out.split(": ")[1].split()[0])
    out, _ = office("sync", "--unset-folder")
    _, err = office("sync", code=2)
    assert "No hay carpeta de sincronización" in err


def test_forms_eval_prints_the_value_or_the_error_with_its_position(
    tmp_path: Path, capsys: CapSys
) -> None:
    cli = Cli(tmp_path / "sin-perfil", capsys)
    answers = tmp_path / "respuestas.json"
    answers.write_text('{"edad": "17", "nombre": "Luz"}', encoding="utf-8")
    out, _ = cli("forms", "eval", "if(${edad} >= 18, 'adulta', 'menor')", "--answers", str(answers))
    assert out == "menor\n"
    out, _ = cli("forms", "eval", "concat('Hola ', ${nombre})", "--answers", str(answers))
    assert out == "Hola Luz\n"
    out, _ = cli("forms", "eval", "round(-1.5)")
    assert out == "-2\n"
    _, err = cli("forms", "eval", "1 + (2", code=2)
    assert "posición" in err and "«)»" in err
    answers.write_text("[1, 2]", encoding="utf-8")
    _, err = cli("forms", "eval", "1", "--answers", str(answers), code=2)
    assert "debe contener un objeto JSON" in err
    assert not (tmp_path / "sin-perfil").exists()  # no profile is created for this


def test_forms_check_and_validate(tmp_path: Path, capsys: CapSys) -> None:
    from fieldkit.services.forms import SHIPPED_DIR

    cli = Cli(tmp_path / "sin-perfil", capsys)
    visit = str(SHIPPED_DIR / "bitacora_visita.xlsx")
    out, _ = cli("forms", "check", visit)
    assert "(bitacora_visita), versión 2026112201" in out
    assert "2 repeticiones" in out and "Español (es), English (en)" in out
    broken = tmp_path / "roto.xlsx"
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in (
        ("type", "name", "label"),
        ("interger", "edad", "Edad"),
        ("select_one sino", "acepta", "¿Acepta?"),
        ("text", "edad", "Otra vez"),
    ):
        sheet.append(row)
    book.save(broken)
    _, err = cli("forms", "check", str(broken), code=2)
    assert "hoja survey, fila 2" in err and "«integer»" in err
    assert "hoja survey, fila 3" in err and "sino" in err
    assert "hoja survey, fila 4" in err and "ya se usó en la fila 2" in err
    answers = tmp_path / "respuestas.json"
    answers.write_text('{"fecha": "31/05/2024"}', encoding="utf-8")
    out, _ = cli("forms", "validate", visit, str(answers), code=1)
    errors = json.loads(out)
    assert "no es una fecha" in errors["fecha"][0]
    assert errors["acta"] == ["Esta pregunta es obligatoria."]


def test_forms_list_and_publish(cli: Cli, tmp_path: Path) -> None:
    import shutil

    import openpyxl

    from fieldkit.services.forms import SHIPPED_DIR

    out, _ = cli("forms", "list")
    assert "bitacora_visita" in out and "(incluido)" in out
    newer = tmp_path / "bitacora_v2.xlsx"
    shutil.copy(SHIPPED_DIR / "bitacora_visita.xlsx", newer)
    book = openpyxl.load_workbook(newer)
    sheet = book["settings"]
    column = [c.value for c in sheet[1]].index("version") + 1
    sheet.cell(row=2, column=column, value="2027020101")
    book.save(newer)
    _, err = cli("forms", "publish", str(newer), "--kind", "visit", code=2)
    assert "coordinador" in err  # this profile is a field device
    cli("init", "--device-name", "Coordinación", "--role", "coordinator")
    out, _ = cli("forms", "publish", str(newer), "--kind", "visit")
    assert "versión 2027020101" in out
    out, _ = cli("forms", "list")
    assert "2027020101" in out and "(publicado)" in out
