"""The four PDF reports built from data written through the services, read back with pypdf: their
pages, their Spanish text and formats, the signature blocks, the photos (downscaled, turned,
missing ones reported), embedded fonts and paper sizes. Each page is also drawn as a PNG in
tests/artifacts to look at."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from report_helpers import Populated, days, fonts_of, images_of, pdf_text, render_pages

from fieldkit.domain.errors import NotFoundError, ValidationError
from fieldkit.i18n import format_date
from fieldkit.services import assistances, catalog, reports
from fieldkit.services.assistances import AssistanceInput
from fieldkit.services.reports import ReportCancelled

LETTER = (612.0, 792.0)
A4 = (595.28, 841.89)
MONTHS = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]


def flat(path: Path) -> str:
    return " ".join(" ".join(pdf_text(path)).split())


def assert_every_page_numbered_and_coded(path: Path, code: str) -> int:
    pages = pdf_text(path)
    for number, text in enumerate(pages, start=1):
        assert f"página {number} de {len(pages)}" in text
        assert code in text  # the record code, in the header and the footer
        assert "Generado el" in text
    return len(pages)


def assert_fonts_embedded(path: Path) -> None:
    fonts = fonts_of(path)
    assert fonts, "no fonts found"
    for name, font in fonts.items():
        assert font["/Subtype"] == "/TrueType", name
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
        assert "Vera" in name or "FieldkitSans" in name
        assert "Helvetica" not in name and "Times" not in name


def page_size(path: Path) -> tuple[float, float]:
    box = PdfReader(path).pages[0].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def spoken_date(day: dt.date) -> str:
    month = MONTHS[day.month - 1]
    if day.day == 1:
        return f"el primer día del mes de {month} de {day.year}"
    return f"a los {day.day} días del mes de {month} de {day.year}"


# Acta de entrega ------------------------------------------------------------------------------


def test_an_act_printed_before_the_delivery_has_blanks_to_fill_and_every_signature(
    populated: Populated, out: Path
) -> None:
    s = populated.scenario
    result = reports.build(populated.profile, "delivery", s.code, out / "acta.pdf")
    assert result.path == out / "acta.pdf" and result.warnings == ()
    assert [p.name for p in out.iterdir()] == ["acta.pdf"]  # no partial file left behind
    assert assert_every_page_numbered_and_coded(result.path, s.code) == result.pages
    text = flat(result.path)
    assert text.startswith("Acta de entrega")
    # By default: the approved product not yet delivered, and not the one already delivered.
    assert "Guía de presupuesto participativo" in text
    assert "Manual de contratación actualizado" not in text
    assert (
        "En el municipio de San Andrés de Tumaco (Nariño), a los ________ días del mes de" in text
    )
    assert "«Consolidación de la paz total»" in text and "NAR — Nariño y Putumayo" in text
    assert "Archivos: guia-presupuesto.pdf" in text
    # Signature blocks: the official (blank, by hand) and each team member.
    assert "Recibe por la alcaldía" in text
    assert text.count("Entrega por el equipo") == 2
    assert "Nombre: ______________________" in text
    assert "Luz Dary Angulo Cortés Profesional de campo, líder del equipo" in text
    assert "Wilmer Castillo Ñañez Estudiante" in text
    assert page_size(result.path) == LETTER
    assert_fonts_embedded(result.path)


def test_the_act_of_a_delivery_names_date_place_receiver_and_team(
    populated: Populated, out: Path
) -> None:
    s = populated.scenario
    result = reports.build(
        populated.profile,
        "delivery",
        s.code,
        out / "acta.pdf",
        deliverables=[s.manual_id],
        paper="a4",
    )
    assert result.pages >= 1 and result.warnings == ()
    assert page_size(result.path) == A4
    assert assert_every_page_numbered_and_coded(result.path, s.code) == result.pages
    text = flat(result.path)
    assert f"(Nariño), {spoken_date(days(-2))}, en Despacho del alcalde, Palacio municipal," in text
    assert format_date(days(-2)) in text
    assert (
        "Recibe Dora Cabezas Quiñones, Secretaria de Planeación de Alcaldía de San Andrés de "
        "Tumaco" in text
    )
    assert "Manual de contratación actualizado" in text
    assert "Manual de procesos y procedimientos" in text  # the kind, as a label
    assert "Guía de presupuesto participativo" not in text
    assert "Archivos: manual-contratacion.docx" in text  # product files, not the photos
    assert "socializacion.jpg" not in text
    assert "Dora Cabezas Quiñones Secretaria de Planeación Alcaldía de San Andrés de Tumaco" in text
    assert "Luz Dary Angulo Cortés" in text and "Wilmer Castillo Ñañez" in text
    assert "______" not in text  # nothing left to fill by hand
    assert_fonts_embedded(result.path)
    pages = render_pages(result.path, "40-acta-entrega")
    assert len(pages) == result.pages


def test_an_act_needs_products_of_its_own_assistance_approved_or_delivered(
    populated: Populated, out: Path
) -> None:
    s = populated.scenario
    with pytest.raises(NotFoundError, match="no es de la asistencia"):
        reports.build(
            populated.profile, "delivery", s.code, out / "a.pdf", deliverables=["no-existe"]
        )
    with pytest.raises(ValidationError, match="no tiene entregables aprobados ni entregados"):
        reports.build(populated.profile, "delivery", s.flagged, out / "a.pdf")
    assert list(out.iterdir()) == []


# Informe de asistencia técnica ----------------------------------------------------------------


def test_the_assistance_report_tells_the_whole_assistance(populated: Populated, out: Path) -> None:
    s = populated.scenario
    result = reports.build(populated.profile, "assistance", s.code, out / "informe.pdf")
    assert assert_every_page_numbered_and_coded(result.path, s.code) == result.pages
    text = flat(result.path)
    assert text.startswith("Informe de asistencia técnica")
    # Identification, team and counterparts.
    assert "San Andrés de Tumaco" in text and "52835" in text and "En ejecución" in text
    assert "Pacífico y Frontera Nariñense" in text
    assert format_date(days(-90)) in text and format_date(days(60)) in text
    assert "Luz Dary Angulo Cortés Profesional de campo, líder del equipo" in text
    assert "Dora Cabezas Quiñones Secretaria de Planeación" in text
    # The diagnostic: area scores and the calculated index and level of the form.
    assert "Planeación y plan de desarrollo 73" in text
    assert "Finanzas públicas 11" in text
    assert "Contratación estatal 89" in text
    assert "Control interno sin responder" in text
    assert "19 / 100" in text and "Crítico" in text
    assert "6 áreas sin responder cuentan como 0" in text
    assert "El banco de proyectos no viabiliza proyectos desde 2022. Planeación Alta" in text
    assert "El estatuto tributario es de 2009." in text
    # The plan: results against targets beside activities completed.
    assert "Resultados logrados 20 %" in text and "Actividades completadas 46,7 %" in text
    assert "Banco de proyectos operando Proyectos viabilizados (proyectos) 0 10 4" in text
    assert "40 % 70 % 1 de 2" in text  # R1: 40 % achieved, its activities 70 % (1 of 2)
    assert "1.000 1.500,5" in text  # R2's baseline and target, Spanish numbers
    assert "Proyecto de acuerdo del banco de proyectos" in text
    assert "Alcaldía: Dora Cabezas, secretaria de Planeación" in text
    assert "Vencida" in text
    # Visits with disaggregated attendance.
    assert "Sede de la alcaldía" in text
    assert "3 asistentes en 1 visita." in text
    assert "Sexo Mujer 2 · Hombre 1" in text
    assert "Indígena 1 · Negro(a) / afrocolombiano(a) 1 · Ninguno 1" in text
    assert "Víctima del conflicto armado Sí 1 · No 1 · Sin dato 1" in text
    assert "Discapacidad Sí 1 · Sin dato 2" in text
    # Deliverables and their review history.
    assert "Revisión de calidad: Manual de contratación actualizado" in text
    assert "Devuelto con comentarios" in text and "Faltan los documentos tipo." in text
    assert "manual-contratacion.docx: Incluya el capítulo de supervisión. (atendido)" in text
    assert "Respuesta: Se agregó el capítulo 7." in text
    assert "Cumple los criterios de calidad." in text
    # Photos: downscaled JPEGs with captions; a missing and a broken one reported, no crash.
    assert "Socialización del manual con el comité de contratación" in text
    assert "Taller en la alcaldía · Seguimiento del" in text
    assert f"(Foto no disponible: {s.missing_photo})" in text
    assert f"(Foto no disponible: {s.broken_photo})" in text
    assert len(result.warnings) == 2
    assert s.missing_photo in result.warnings[0] and "No se encontró la foto" in result.warnings[0]
    assert s.broken_photo in result.warnings[1] and "No se pudo leer la foto" in result.warnings[1]
    images = images_of(result.path)
    assert len(images) == 3
    assert all(i["filter"] == ("/DCTDecode",) for i in images)  # JPEG, not re-encoded as text
    assert all(max(i["width"], i["height"]) <= 1600 for i in images)
    sizes = {(i["width"], i["height"]) for i in images}
    assert any(h > w for w, h in sizes)  # the photo the camera marked as turned stands upright
    assert max(max(size) for size in sizes) < 3000  # the 3000-px photo was downscaled
    assert page_size(result.path) == LETTER
    assert_fonts_embedded(result.path)
    pages = render_pages(result.path, "41-informe-asistencia")
    assert len(pages) == result.pages


# Ficha municipal ------------------------------------------------------------------------------


def test_the_municipality_sheet_has_its_data_indicators_and_assistances(
    populated: Populated, out: Path
) -> None:
    from fieldkit.store.models import IndicatorValue

    profile = populated.profile
    with profile.write() as session:
        for indicator, year, value, source in (
            ("MDM", 2022, 45.67, "DNP — Medición del Desempeño Municipal"),
            ("IDF", 2023, 61.04, "DNP"),
            ("IPM", 2018, 1234.5, "DANE — Censo 2018"),
        ):
            session.add(
                IndicatorValue(
                    municipality_id=catalog.municipality_id("52835"),
                    indicator=indicator,
                    year=year,
                    value=value,
                    source=source,
                )
            )
    catalog.set_category(profile, "52835", "1")
    result = reports.build(profile, "municipality", "52835", out / "ficha.pdf")
    assert assert_every_page_numbered_and_coded(result.path, "52835") == result.pages
    text = flat(result.path)
    assert text.startswith("Ficha municipal")
    assert "San Andrés de Tumaco (Nariño) · código DIVIPOLA 52835" in text
    assert "Primera" in text and "Pacífico y Frontera Nariñense" in text
    assert "latitud 1,80753, longitud -78,76377" in text
    assert "NAR — Nariño y Putumayo" in text
    assert "IDF 2023 61,04 DNP" in text
    assert "IPM 2018 1.234,5 DANE — Censo 2018" in text
    assert "MDM 2022 45,67" in text
    assert populated.scenario.code in text and "Consolidación de la paz total" in text
    assert "20 % 1 de 2 medidos" in text and "46,7 % 1 de 3 completas" in text
    assert populated.scenario.flagged not in text  # Pasto's assistance is not Tumaco's
    assert_fonts_embedded(result.path)
    render_pages(result.path, "42-ficha-municipal")


# Informe de seguimiento -----------------------------------------------------------------------


def test_the_directorate_report_puts_results_beside_activities_and_flags(
    populated: Populated, out: Path
) -> None:
    s = populated.scenario
    result = reports.build(populated.profile, "monitoring", "nar", out / "seguimiento.pdf")
    assert assert_every_page_numbered_and_coded(result.path, "NAR") == result.pages
    text = flat(result.path)
    assert text.startswith("Informe de seguimiento")
    assert "Dirección territorial NAR — Nariño y Putumayo" in text
    assert "Nariño, Putumayo" in text
    assert "Solicitada 1" in text and "En ejecución 1" in text and "Total 2" in text
    assert s.code in text and s.flagged in text
    assert "Pasto" in text
    # The flagged plan: all its activities done, its result barely moved.
    assert (
        f"{s.flagged}: Las actividades van en 100 % pero los resultados solo en 5 %: el plan "
        "avanza en tareas sin lograr lo que se propuso." in text
    )
    assert "Proyecto de acuerdo del banco de proyectos" in text  # overdue
    assert "Días de atraso" in text
    assert "Entregados con retraso 1" in text
    assert "Manual de contratación actualizado" in text and "Con retraso" in text
    assert_fonts_embedded(result.path)
    render_pages(result.path, "43-informe-seguimiento")


# Errors, names, cancelling, writing whole -----------------------------------------------------


def test_unknown_keys_and_kinds_are_said_in_spanish(populated: Populated, out: Path) -> None:
    profile = populated.profile
    with pytest.raises(NotFoundError, match="No existe la asistencia"):
        reports.build(profile, "assistance", "AT-2026-XXXXX-999", out / "a.pdf")
    with pytest.raises(NotFoundError, match="No existe la asistencia"):
        reports.build(profile, "delivery", "AT-2026-XXXXX-999", out / "a.pdf")
    with pytest.raises(NotFoundError, match="No existe el municipio"):
        reports.build(profile, "municipality", "99999", out / "a.pdf")
    with pytest.raises(NotFoundError, match="No existe la dirección territorial «XYZ»"):
        reports.build(profile, "monitoring", "XYZ", out / "a.pdf")
    with pytest.raises(ValidationError, match="Informe desconocido «otro»"):
        reports.build(profile, "otro", "x", out / "a.pdf")
    with pytest.raises(ValidationError, match="Tamaño de papel desconocido «legal»"):
        reports.build(profile, "municipality", "52835", out / "a.pdf", paper="legal")
    with pytest.raises(ValidationError, match="no existe"):
        reports.build(profile, "municipality", "52835", out / "no-hay" / "a.pdf")
    assert list(out.iterdir()) == []


def test_default_names_are_safe_file_names(populated: Populated) -> None:
    s = populated.scenario
    profile = populated.profile
    assert reports.default_name(profile, "delivery", s.code) == f"acta-entrega-{s.code}.pdf"
    assistance_id = assistances.get_assistance(profile, s.code).row.id
    assert reports.default_name(profile, "assistance", assistance_id) == (
        f"informe-asistencia-{s.code}.pdf"
    )
    assert reports.default_name(profile, "municipality", "52835") == (
        "ficha-municipal-52835-san-andres-de-tumaco.pdf"
    )
    assert reports.default_name(profile, "monitoring", "nar") == (
        f"informe-seguimiento-NAR-{dt.date.today().isoformat()}.pdf"
    )
    assert reports.default_name(profile, "assistance", "../../etc/x y") == (
        "informe-asistencia-etc-x-y.pdf"
    )


def test_a_cancelled_report_writes_nothing_and_keeps_the_previous_file(
    populated: Populated, out: Path
) -> None:
    s = populated.scenario
    target = out / "informe.pdf"
    target.write_bytes(b"%PDF anterior")
    with pytest.raises(ReportCancelled):
        reports.build(populated.profile, "assistance", s.code, target, cancelled=lambda: True)
    asked = []

    def later() -> bool:  # stops in the middle of the layout
        asked.append(1)
        return len(asked) > 25

    with pytest.raises(ReportCancelled, match="no se escribió ningún archivo"):
        reports.build(populated.profile, "assistance", s.code, target, cancelled=later)
    assert len(asked) > 25
    assert target.read_bytes() == b"%PDF anterior"
    assert [p.name for p in out.iterdir()] == ["informe.pdf"]
    result = reports.build(populated.profile, "assistance", s.code, target)
    assert target.read_bytes().startswith(b"%PDF-1.") and result.pages == len(pdf_text(target))


def test_an_assistance_without_plan_diagnostic_or_deliverables_still_reports(
    populated: Populated, out: Path
) -> None:
    code, _ = assistances.create_assistance(populated.profile, AssistanceInput("05001", "ETNICOS"))
    result = reports.build(populated.profile, "assistance", code, out / "vacio.pdf")
    text = flat(result.path)
    assert "La asistencia aún no tiene diagnóstico." in text
    assert "La asistencia aún no tiene plan de acción." in text
    assert "Aún no hay visitas registradas." in text
    assert "Aún no hay entregables." in text
    assert "No hay fotos de entregables ni de seguimiento." in text
    assert result.warnings == ()
    assert_fonts_embedded(result.path)


def test_a_text_longer_than_a_page_goes_on_over_the_next_one(tmp_path: Path) -> None:
    from fieldkit.reports import delivery_act
    from fieldkit.reports.model import DeliveredItem, DeliveryAct, Letterhead, Signer

    long = " ".join(
        f"Artículo {n}. La supervisión verifica el cumplimiento del contrato." for n in range(400)
    )
    act = DeliveryAct(
        code="AT-2026-WWWWW-1234",
        municipality="Mocoa",
        municipality_code="86001",
        department="Putumayo",
        thematic_line="Contratación estatal",
        directorate="NAR — Nariño y Putumayo",
        delivered_on=dt.date(2026, 3, 1),
        place="Alcaldía",
        receiver=Signer("Ana Ruiz", "Secretaria general", "Alcaldía de Mocoa"),
        team=(Signer("Luz Angulo", "Profesional de campo", "ESAP"),),
        items=(DeliveredItem("Manual", "Manual de supervisión", long),),
    )
    rendered = delivery_act.render(act, Letterhead(), tmp_path / "largo.pdf")
    assert rendered.pages >= 3
    text = flat(tmp_path / "largo.pdf")
    assert "Artículo 0." in text and "Artículo 399." in text
    assert "el primer día del mes de marzo de 2026" in text
    assert_every_page_numbered_and_coded(tmp_path / "largo.pdf", "AT-2026-WWWWW-1234")
