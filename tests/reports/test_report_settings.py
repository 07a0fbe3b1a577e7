"""The report settings of a profile (organization, logo, paper) and the reports that use them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from report_helpers import images_of, pdf_text

from fieldkit.domain.errors import ValidationError
from fieldkit.services import reports
from fieldkit.services.profile import Profile
from fieldkit.services.report_settings import (
    ReportSettings,
    report_settings,
    set_report_settings,
)

ESAP = "Escuela Superior de Administración Pública — ESAP"


def logo(path: Path, size: tuple[int, int] = (2000, 800)) -> Path:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((31, 78, 121, 255), (0, 0, size[0] // 3, size[1]))
    image.save(path)
    return path


def test_settings_start_empty_on_letter_and_keep_what_is_set(profile: Profile) -> None:
    assert report_settings(profile) == ReportSettings("", None, "letter")
    settings = set_report_settings(
        profile, organization="  Escuela   Superior de Administración Pública — ESAP "
    )
    assert settings == ReportSettings(ESAP, None, "letter")
    assert set_report_settings(profile, paper="A4").paper == "a4"
    assert set_report_settings(profile, paper="carta").paper == "letter"
    assert report_settings(profile).organization == ESAP  # unchanged when not given
    assert set_report_settings(profile, organization="").organization == ""


def test_wrong_settings_are_refused_in_spanish_and_nothing_changes(
    profile: Profile, tmp_path: Path
) -> None:
    set_report_settings(profile, organization=ESAP, paper="a4")
    with pytest.raises(ValidationError, match="Tamaño de papel desconocido «oficio»"):
        set_report_settings(profile, paper="oficio")
    with pytest.raises(ValidationError, match="demasiado largo"):
        set_report_settings(profile, organization="x" * 161)
    with pytest.raises(ValidationError, match="No existe el archivo del logo"):
        set_report_settings(profile, logo=tmp_path / "no-esta.png")
    text = tmp_path / "logo.png"
    text.write_text("no soy una imagen")
    with pytest.raises(ValidationError, match="no es una imagen válida"):
        set_report_settings(profile, organization="Otra", logo=text)
    assert report_settings(profile) == ReportSettings(ESAP, None, "a4")


def test_the_logo_is_copied_into_the_profile_small_enough_for_a_header(
    profile: Profile, tmp_path: Path
) -> None:
    source = logo(tmp_path / "logo-esap.png")
    settings = set_report_settings(profile, logo=source)
    assert settings.logo == profile.data_dir / "informes" / "logo.png"
    assert profile.values["report_logo"] == "informes/logo.png"  # the folder may move
    source.unlink()  # the person's file may go away: the copy stays
    with Image.open(settings.logo) as copy:
        assert copy.size == (600, 240) and copy.mode == "RGBA"
    assert set_report_settings(profile, logo="").logo is None


def test_reports_carry_the_organization_logo_and_paper(profile: Profile, tmp_path: Path) -> None:
    set_report_settings(profile, organization=ESAP, logo=logo(tmp_path / "l.png"), paper="a4")
    out = tmp_path / "ficha.pdf"
    result = reports.build(profile, "municipality", "52835", out)
    assert result.warnings == ()
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == (595.28, 841.89)
    for page in pdf_text(out):
        assert ESAP in page
    [image] = images_of(out)
    assert (image["width"], image["height"]) == (600, 240)  # the logo, once per file
    # The paper of one report can differ from the setting.
    letter = reports.build(profile, "municipality", "52835", tmp_path / "carta.pdf", paper="letter")
    assert float(PdfReader(letter.path).pages[0].mediabox.height) == 792.0
    # A logo that went missing (a restored profile): the report goes out without it, and says so.
    report_settings(profile).logo.unlink()
    result = reports.build(profile, "municipality", "52835", out)
    assert images_of(out) == []
    assert len(result.warnings) == 1 and "No se encontró el logo" in result.warnings[0]
