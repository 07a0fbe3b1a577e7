"""`fieldkit indicators import`: a messy published spreadsheet, detected, previewed, imported once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fieldkit import i18n
from fieldkit.cli import main
from fieldkit.services import catalog
from fieldkit.services.profile import Profile

FIXTURES = Path(__file__).parent / "services" / "fixtures" / "indicators"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plantilla") / "perfil"
    assert (
        main(
            ["--data-dir", str(folder), "init", "--device-name", "Oficina", "--role", "coordinator"]
        )
        == 0
    )
    return folder


@pytest.fixture
def folder(template: Path, tmp_path: Path) -> Path:
    i18n.set_language("es")
    shutil.copytree(template, tmp_path / "perfil")
    return tmp_path / "perfil"


def run(folder: Path, *args: str) -> int:
    return main(["--data-dir", str(folder), "indicators", "import", *args])


def test_a_dry_run_lists_every_unusable_row_and_writes_nothing(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(folder, str(FIXTURES / "mdm_2022.xlsx"), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Hoja «Resultados MDM 2022»: código en A, valor en E, año 2022; indicador MDM." in out
    assert "Simulación: 4 valores nuevos, 0 actualizados, 8 filas no usadas." in out
    assert "  fila 11: fila de departamento (código 05), no de un municipio" in out
    assert "  fila 12: el código 99999 no está en DIVIPOLA" in out
    with Profile(folder) as p:
        assert catalog.municipality_sheet(p, "05001").indicators == []


def test_import_with_a_year_column_is_idempotent_and_shows_in_the_ficha(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(FIXTURES / "idf_serie.xlsx")
    assert run(folder, path, "--json") == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["new"], first["changed"], first["dry_run"]) == (5, 0, False)
    assert first["mapping"]["indicator"] == "IDF" and first["mapping"]["year_column"] == 2
    assert [p["row"] for p in first["problems"]] == [5, 8, 9, 12, 13]
    assert run(folder, path, "--json") == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["new"], again["changed"], again["unchanged"]) == (0, 0, 5)
    assert main(["--data-dir", str(folder), "municipality", "05001"]) == 0
    out = capsys.readouterr().out
    assert "IDF 2021: 81,3 (DNP, Dirección de Descentralización y Fortalecimiento Fiscal)" in out


def test_options_override_what_was_detected_and_errors_exit_2(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(FIXTURES / "mdm_2022.xlsx")
    assert run(folder, path, "--sheet", "No existe") == 2
    assert "No hay una hoja «No existe»" in capsys.readouterr().err
    assert run(folder, path, "--code-column", "1A") == 2
    assert "no es una columna" in capsys.readouterr().err
    assert run(folder, path, "--year", "2021", "--indicator", "MDM", "--dry-run") == 0
    assert "año 2021; indicador MDM" in capsys.readouterr().out
    assert (
        main(["--data-dir", str(folder), "init", "--device-name", "Oficina", "--role", "field"])
        == 0
    )
    capsys.readouterr()
    assert run(folder, path) == 2
    assert "coordinador" in capsys.readouterr().err
