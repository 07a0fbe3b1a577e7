"""`fieldkit report …`: the four PDFs from the command line, read back with pypdf, and the report
settings (organization, paper)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from fieldkit import i18n
from fieldkit.cli import main
from fieldkit.services import assistances, catalog, deliverables
from fieldkit.services.assistances import AssistanceInput, CounterpartInput
from fieldkit.services.deliverables import DeliverableInput, DeliveryInput
from fieldkit.services.profile import Profile


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("plantilla") / "perfil"
    argv = ["--data-dir", str(folder), "init", "--device-name", "Coordinación Nariño"]
    assert main([*argv, "--role", "coordinator"]) == 0
    with Profile(folder) as p:
        catalog.import_directorates(p)
        code, _ = assistances.create_assistance(
            p,
            AssistanceInput(
                "52835",
                "PAZ",
                counterparts=[CounterpartInput("Luz Dary Angulo", "Secretaria de Planeación")],
            ),
        )
        made, _ = deliverables.create(
            p, code, DeliverableInput("guide", "Guía de rendición de cuentas", "Con anexos")
        )
        product = folder / "guia.pdf"
        product.write_bytes(b"%PDF-1.4 guia " * 20)
        deliverables.add_file(p, made, product)
        deliverables.submit(p, made)
        deliverables.approve(p, made)
        deliverables.deliver(
            p,
            made,
            DeliveryInput(
                dt.date.today(),
                "Palacio municipal",
                "Luz Dary Angulo",
                "Secretaria de Planeación",
                "Alcaldía de San Andrés de Tumaco",
                ["Ana María Quiñones"],
            ),
        )
    return folder, code


@pytest.fixture
def built(template: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    i18n.set_language("es")
    shutil.copytree(template[0], tmp_path / "perfil")
    return tmp_path / "perfil", template[1]


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_each_report_is_written_and_says_what_it_is(
    built: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, code = built
    cases = [
        (["acta", code, "--deliverable", "1"], "Acta de entrega"),
        (["assistance", code], "Informe de asistencia técnica"),
        (["ficha", "52835"], "Ficha municipal"),
        (["monitoring", "NAR"], "Informe de seguimiento"),
    ]
    for args, title in cases:
        out = tmp_path / f"{args[0]}.pdf"
        assert main(["--data-dir", str(folder), "report", *args, "-o", str(out)]) == 0
        assert f"{title}: {out} (" in capsys.readouterr().out
        text = text_of(out)
        assert title in text and "página 1 de" in text
    acta = text_of(tmp_path / "acta.pdf")
    assert "Guía de rendición de cuentas" in acta and "Luz Dary Angulo" in acta
    assert code in acta


def test_settings_set_the_paper_and_the_organization(
    built: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _code = built
    base = ["--data-dir", str(folder), "report"]
    assert (
        main([*base, "settings", "--organization", "Dirección de Fortalecimiento", "--paper", "a4"])
        == 0
    )
    assert "Papel: A4" in capsys.readouterr().out
    out = tmp_path / "ficha.pdf"
    assert main([*base, "ficha", "52835", "-o", str(out)]) == 0
    reader = PdfReader(out)
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4
    assert "Dirección de Fortalecimiento" in reader.pages[0].extract_text()
    assert main([*base, "ficha", "52835", "--paper", "letter", "-o", str(out)]) == 0
    assert round(float(PdfReader(out).pages[0].mediabox.width)) == 612


def test_unknown_codes_and_deliverables_exit_2(
    built: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, code = built
    base = ["--data-dir", str(folder), "report"]
    assert main([*base, "assistance", "AT-0000-XXXXX-001"]) == 2
    assert "No existe la asistencia" in capsys.readouterr().err
    assert main([*base, "acta", code, "--deliverable", "9"]) == 2
    assert "no tiene el entregable 9" in capsys.readouterr().err
    assert main([*base, "ficha", "99999"]) == 2
    capsys.readouterr()


def test_the_workbook_is_written_with_a_sheet_per_entity(
    built: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    folder, code = built
    out = tmp_path / "libro"  # the extension is added
    assert main(["--data-dir", str(folder), "workbook", "-o", str(out), "--pseudonymize"]) == 0
    printed = capsys.readouterr().out
    assert f"Libro de seguimiento: {out}.xlsx" in printed
    book = load_workbook(f"{out}.xlsx", read_only=True)
    assert book.sheetnames[0] == "Asistencias" and "Entregables" in book.sheetnames
    codes = [row[0] for row in book["Asistencias"].iter_rows(min_row=2, values_only=True)]
    assert codes == [code]
    titles = [row for row in book["Entregables"].iter_rows(min_row=2, values_only=True)]
    assert len(titles) == 1 and "Guía de rendición de cuentas" in titles[0]
