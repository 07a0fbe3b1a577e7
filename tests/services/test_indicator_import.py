"""Importing municipal indicators (MDM, IDF, IPM…) from messy DNP and DANE spreadsheets.

The workbooks come from fixtures/indicators/generate.py (written into each test's folder); the
CSV is checked in as a spreadsheet program in Spanish saves it (Latin-1, «;»).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest
from service_helpers import Unchanged

from fieldkit.domain.errors import AuthorizationError, ValidationError
from fieldkit.services import catalog, indicators
from fieldkit.services.catalog import IndicatorRow
from fieldkit.services.changes import Changes
from fieldkit.services.indicators import Mapping, PreviewRow, Problem
from fieldkit.services.profile import Profile, list_backups, set_role, status
from fieldkit.store import indicators as store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "indicators"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("indicator_fixtures", FIXTURES / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _generator()
MDM_SOURCE = "DNP – Dirección de Descentralización y Fortalecimiento Fiscal, MDM 2022"
MDM_MAPPING = Mapping("Resultados MDM 2022", 0, None, 4, "MDM", 2022, 5, MDM_SOURCE)
IDF_MAPPING = Mapping(
    "IDF", 0, 2, 3, "IDF", None, 3, "DNP, Dirección de Descentralización y Fortalecimiento Fiscal"
)
MDM_PROBLEMS = (
    Problem(7, "repetida: la fila 14 trae otra vez el municipio 05001 en 2022; se usa la última"),
    Problem(11, "fila de departamento (código 05), no de un municipio"),
    Problem(12, "el código 99999 no está en DIVIPOLA"),
    Problem(13, "sin dato («n.d.»)"),
    Problem(15, "el valor «pendiente» no es un número"),
    Problem(18, "fila de totales («Total nacional»), no de un municipio"),
    Problem(
        19,
        "nota o texto al pie, no es un dato: «Fuente: DNP – Dirección de Descentralización "
        "y Fortalecimie…»",
    ),
    Problem(
        20,
        "nota o texto al pie, no es un dato: «* Nota: los municipios sin información no se "
        "clasifican.»",
    ),
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return gen.write_all(tmp_path / "archivos")


def stored(profile: Profile, indicator: str) -> list[tuple[str, int, float]]:
    return sorted(
        (r["code"], r["year"], r["value"])
        for r in store.values(profile.reader)
        if r["indicator"] == indicator
    )


def record_ids(profile: Profile) -> dict[tuple[str, str, int], str]:
    from sqlalchemy import select

    from fieldkit.store.models import IndicatorValue

    codes = {catalog.municipality_id(m.code): m.code for m in catalog.list_municipalities(profile)}
    with profile.read() as session:
        records = session.scalars(select(IndicatorValue).where(IndicatorValue.deleted.is_(False)))
        return {(codes[r.municipality_id], r.indicator, r.year): r.id for r in records}


# Inspect: header, columns and the proposed mapping ------------------------------------------


def test_inspect_finds_the_header_under_titles_and_joins_a_merged_header(
    files: dict[str, Path],
) -> None:
    intro, mdm, wide = indicators.inspect(files[gen.MDM])
    assert (intro.name, intro.header_row, intro.guess) == ("Presentación", None, None)
    assert mdm.name == "Resultados MDM 2022"
    assert mdm.header_row == 5
    assert mdm.columns == (
        "Código DANE",
        "Departamento",
        "Municipio",
        "Grupo",
        "MDM 2022 Puntaje",  # «MDM 2022» merged over «Puntaje» and «Posición»
        "MDM 2022 Posición",
        "Componente de resultados",
    )
    assert mdm.sample[:2] == (
        ("5001", "Antioquia", "Medellín", "C", "72,46", "1", "80,1"),
        ("5002", "Antioquia", "Abejorral", "G4", "62,35", "150", "70,2"),
    )
    assert mdm.guess == MDM_MAPPING
    # One column per year: the latest year is proposed, with that year fixed.
    assert wide.header_row == 3
    assert wide.columns == ("Código", "Municipio", "2019", "2020", "2021")
    assert wide.guess == Mapping("Serie IDF", 0, None, 4, "IDF", 2021, 3, "mdm_2022.xlsx")


def test_inspect_proposes_the_year_column_of_a_series(files: dict[str, Path]) -> None:
    [idf] = indicators.inspect(files[gen.IDF])
    assert idf.columns == (
        "Cód. Mpio",
        "Municipio",
        "Vigencia",
        "Índice de desempeño fiscal",
        "Rango",
    )
    assert idf.guess == IDF_MAPPING


def test_inspect_reads_a_latin1_csv_with_semicolons() -> None:
    path = FIXTURES / gen.IPM
    raw = path.read_bytes()
    assert raw == gen.IPM_TEXT.encode("latin-1")
    assert "Código".encode("latin-1") in raw  # not UTF-8
    [ipm] = indicators.inspect(path)
    assert ipm.header_row == 4
    assert ipm.columns == (
        "Código Departamento",
        "Departamento",
        "Código Municipio",
        "Municipio",
        "IPM Total",
        "IPM Cabeceras",
    )
    assert ipm.sample[1] == ("05", "Antioquia", "05001", "Medellín", "8,5", "7,9")
    assert ipm.guess == Mapping(
        "ipm_2018", 2, None, 4, "IPM", 2018, 4, "DANE, Censo Nacional de Población y Vivienda 2018"
    )


# Preview: exact rows and exact reasons ---------------------------------------------------------


def test_preview_of_a_messy_mdm_sheet(fresh: Profile, files: dict[str, Path]) -> None:
    with Unchanged(fresh):
        result = indicators.preview(fresh, files[gen.MDM], MDM_MAPPING)
    assert result.rows == (
        PreviewRow(8, "05002", "Abejorral", 2022, 62.35, None),  # 5002.0, «62,35»
        PreviewRow(9, "05004", "Abriaquí", 2022, 55.2, None),  # « 05004 », «55,20»
        PreviewRow(14, "05001", "Medellín", 2022, 73.1, None),  # the repeated row wins
        PreviewRow(16, "27001", "Quibdó", 2022, 45.0, None),
    )
    assert result.problems == MDM_PROBLEMS  # rows 10 and 17 are blank: nothing to say
    assert (result.new, result.changed, result.unchanged) == (4, 0, 0)
    assert result.summary() == "4 valores nuevos, 0 actualizados, 8 filas no usadas"


def test_preview_with_a_year_column(fresh: Profile, files: dict[str, Path]) -> None:
    result = indicators.preview(fresh, files[gen.IDF], IDF_MAPPING)
    assert result.rows == (
        PreviewRow(4, "05001", "Medellín", 2020, 80.5, None),
        PreviewRow(6, "05001", "Medellín", 2021, 81.3, None),  # text code and year
        PreviewRow(7, "52835", "San Andrés de Tumaco", 2021, 1234.5, None),  # «1.234,5»
        PreviewRow(10, "08001", "Barranquilla", 2022, 45.0, None),  # «45 %»
        PreviewRow(11, "11001", "Bogotá, D.C.", 2022, 78.0, None),  # 0.78 shown as «78%»
    )
    last = indicators.max_year()
    assert result.problems == (
        Problem(
            5, "repetida: la fila 6 trae otra vez el municipio 05001 en 2021; se usa la última"
        ),
        Problem(8, f"el año 1899 está fuera del rango aceptado (1990 a {last})"),
        Problem(9, "el año «s.f.» no es un año"),
        Problem(12, "falta el valor"),
        Problem(
            13,
            "nota o texto al pie, no es un dato: «Fuente: DNP, Dirección de Descentralización "
            "y Fortalecimien…»",
        ),
    )


def test_preview_of_the_dane_csv(fresh: Profile) -> None:
    [ipm] = indicators.inspect(FIXTURES / gen.IPM)
    assert ipm.guess is not None
    result = indicators.preview(fresh, FIXTURES / gen.IPM, ipm.guess)
    assert result.rows == (
        PreviewRow(6, "05001", "Medellín", 2018, 8.5, None),
        PreviewRow(7, "05002", "Abejorral", 2018, 45.3, None),  # «5002», «45,30 %»
        PreviewRow(8, "19050", "Argelia", 2018, 78.9, None),
    )
    assert result.problems == (
        Problem(5, "fila de departamento («Antioquia»), no de un municipio"),
        Problem(
            10,
            "nota o texto al pie, no es un dato: «Fuente: DANE, Censo Nacional de Población y "
            "Vivienda 2018.»",
        ),
    )


def test_a_row_without_code_is_not_taken_for_a_department(fresh: Profile, tmp_path: Path) -> None:
    path = tmp_path / "ipm.csv"
    path.write_text(
        "Código Municipio;Departamento;Municipio;IPM\n"
        ";Antioquia;Medellín;8,5\n"
        "05;Antioquia;;12\n"
        "TOTAL;;;20\n"
        "ABC;Antioquia;Medellín;3\n"
        "050011;Antioquia;Medellín;3\n"
        "123;Antioquia;Medellín;3\n",
        encoding="utf-8",
    )
    mapping = Mapping("ipm", 0, None, 3, "IPM", 2018)
    assert indicators.preview(fresh, path, mapping).problems == (
        Problem(2, "falta el código DIVIPOLA del municipio"),
        Problem(3, "fila de departamento (código 05), no de un municipio"),
        Problem(4, "fila de totales («TOTAL»), no de un municipio"),
        Problem(5, "el código «ABC» no es un código DIVIPOLA"),
        Problem(6, "el código «050011» no tiene los 5 dígitos de un municipio"),
        Problem(7, "el código «123» no tiene los 5 dígitos de un municipio"),
    )


# Import: writes, idempotence, updates in place -----------------------------------------------


def test_import_writes_the_values_and_the_ficha_shows_them(
    fresh: Profile, files: dict[str, Path]
) -> None:
    before = status(fresh).operations
    result, changes = indicators.import_indicators(fresh, files[gen.MDM], MDM_MAPPING)
    assert changes == Changes.of("indicator_value")
    assert (result.new, result.changed, result.unchanged) == (4, 0, 0)
    assert result.problems == MDM_PROBLEMS
    assert stored(fresh, "MDM") == [
        ("05001", 2022, 73.1),
        ("05002", 2022, 62.35),
        ("05004", 2022, 55.2),
        ("27001", 2022, 45.0),
    ]
    # municipality, indicator, year, value, source, created_at: one operation per field
    assert status(fresh).operations - before == 4 * 6
    assert any("antes-de-importar-indicadores" in p.name for p in list_backups(fresh))
    sheet = catalog.municipality_sheet(fresh, "05001")
    assert sheet.indicators == [IndicatorRow("MDM", 2022, 73.1, MDM_SOURCE)]
    assert catalog.municipality_sheet(fresh, "27001").indicators == [
        IndicatorRow("MDM", 2022, 45.0, MDM_SOURCE)
    ]


def test_importing_the_same_file_again_changes_nothing(
    fresh: Profile, files: dict[str, Path]
) -> None:
    indicators.import_indicators(fresh, files[gen.MDM], MDM_MAPPING)
    backups = len(list_backups(fresh))
    with Unchanged(fresh):
        result, changes = indicators.import_indicators(fresh, files[gen.MDM], MDM_MAPPING)
    assert changes == Changes()
    assert (result.new, result.changed, result.unchanged) == (0, 0, 4)
    assert [r.existing for r in result.rows] == [62.35, 55.2, 73.1, 45.0]
    assert len(list_backups(fresh)) == backups  # nothing to write, nothing to back up


def test_a_changed_value_updates_the_same_record(
    fresh: Profile, files: dict[str, Path], tmp_path: Path
) -> None:
    indicators.import_indicators(fresh, files[gen.MDM], MDM_MAPPING)
    ids = record_ids(fresh)
    book = openpyxl.load_workbook(files[gen.MDM])
    book["Resultados MDM 2022"]["E14"] = "74,9"  # Medellín corrected
    corrected = tmp_path / "mdm_2022_corregido.xlsx"
    book.save(corrected)

    preview = indicators.preview(fresh, corrected, MDM_MAPPING)
    assert [(r.code, r.state) for r in preview.rows] == [
        ("05002", "unchanged"),
        ("05004", "unchanged"),
        ("05001", "changed"),
        ("27001", "unchanged"),
    ]
    before = status(fresh).operations
    result, changes = indicators.import_indicators(fresh, corrected, MDM_MAPPING)
    assert changes == Changes.of("indicator_value")
    assert (result.new, result.changed, result.unchanged) == (0, 1, 3)
    assert result.rows[2] == PreviewRow(14, "05001", "Medellín", 2022, 74.9, 73.1)
    assert status(fresh).operations - before == 1  # only the value; the source is the same
    assert record_ids(fresh) == ids  # updated in place, never a second record
    assert stored(fresh, "MDM")[0] == ("05001", 2022, 74.9)


def test_two_layouts_of_the_same_indicator_meet_in_one_record(
    fresh: Profile, files: dict[str, Path]
) -> None:
    # The wide sheet: the 2020 column, the year fixed by the person; «idf» is spelled IDF.
    wide = Mapping("Serie IDF", 0, None, 3, "idf", 2020, 3, "DNP")
    result, _changes = indicators.import_indicators(fresh, files[gen.MDM], wide)
    assert [(r.code, r.year, r.value) for r in result.rows] == [
        ("05001", 2020, 80.5),
        ("52835", 2020, 52.4),
    ]
    series, _changes = indicators.import_indicators(fresh, files[gen.IDF], IDF_MAPPING)
    assert (series.new, series.changed, series.unchanged) == (4, 0, 1)  # 05001/2020 is there
    assert stored(fresh, "IDF") == [
        ("05001", 2020, 80.5),
        ("05001", 2021, 81.3),
        ("08001", 2022, 45.0),
        ("11001", 2022, 78.0),
        ("52835", 2020, 52.4),
        ("52835", 2021, 1234.5),
    ]
    assert catalog.municipality_sheet(fresh, "05001").indicators == [
        IndicatorRow("IDF", 2020, 80.5, "DNP"),
        IndicatorRow("IDF", 2021, 81.3, IDF_MAPPING.source),
    ]
    assert indicators.indicator_names(fresh) == ["MDM", "IDF", "IPM", "IMR", "NBI"]


def test_indicator_names_include_those_in_the_database(fresh: Profile, tmp_path: Path) -> None:
    path = tmp_path / "cobertura.csv"
    path.write_text("codigo,valor\n52835,61.5\n", encoding="utf-8")
    indicators.import_indicators(
        fresh, path, Mapping("cobertura", 0, None, 1, "Cobertura agua", 2023)
    )
    assert stored(fresh, "Cobertura agua") == [("52835", 2023, 61.5)]
    assert indicators.indicator_names(fresh)[-1] == "Cobertura agua"
    # typed again with another case, it is the same indicator
    result = indicators.preview(
        fresh, path, Mapping("cobertura", 0, None, 1, "COBERTURA  AGUA", 2023)
    )
    assert result.rows[0].existing == 61.5


# Who may import; what is refused ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["field", "reviewer"])
def test_only_coordinators_import(fresh: Profile, files: dict[str, Path], role: str) -> None:
    set_role(fresh, role)
    assert indicators.preview(fresh, files[gen.MDM], MDM_MAPPING).new == 4  # looking is fine
    with Unchanged(fresh), pytest.raises(AuthorizationError) as refused:
        indicators.import_indicators(fresh, files[gen.MDM], MDM_MAPPING)
    assert "Solo un perfil de coordinador puede importar indicadores municipales" in str(
        refused.value
    )
    assert stored(fresh, "MDM") == []


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (MDM_MAPPING._replace(year=None), "Indique la columna del año o un año fijo"),
        (MDM_MAPPING._replace(year=1800), "El año 1800 está fuera del rango aceptado"),
        (MDM_MAPPING._replace(indicator="  "), "Escriba el nombre del indicador"),
        (MDM_MAPPING._replace(indicator="X" * 31), "no puede pasar de 30 caracteres"),
        (MDM_MAPPING._replace(value_column=0), "deben estar en columnas distintas"),
        (MDM_MAPPING._replace(value_column=12), "La columna M no existe en la hoja"),
        (MDM_MAPPING._replace(sheet="Hoja1"), "no tiene la hoja «Hoja1»"),
        (MDM_MAPPING._replace(header_row=90), "la fila de encabezado 90 no existe"),
        (MDM_MAPPING._replace(sheet="Presentación", header_row=None), "No se encontró la fila"),
    ],
)
def test_a_wrong_mapping_is_explained(
    fresh: Profile, files: dict[str, Path], mapping: Mapping, message: str
) -> None:
    with Unchanged(fresh), pytest.raises(ValidationError) as refused:
        indicators.import_indicators(fresh, files[gen.MDM], mapping)
    assert message in str(refused.value)


def test_nothing_usable_is_refused_with_the_first_reasons(
    fresh: Profile, files: dict[str, Path]
) -> None:
    wrong = MDM_MAPPING._replace(code_column=2)  # the municipality's name, not its code
    with Unchanged(fresh), pytest.raises(ValidationError) as refused:
        indicators.import_indicators(fresh, files[gen.MDM], wrong)
    text = str(refused.value)
    assert "Ninguna fila de la hoja «Resultados MDM 2022» se puede importar" in text
    assert "fila 7: el código «Medellín» no es un código DIVIPOLA" in text


def test_files_it_cannot_read_are_explained(tmp_path: Path) -> None:
    old = tmp_path / "mdm.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(ValidationError, match=r"formato antiguo de Excel \(\.xls\)"):
        indicators.inspect(old)
    broken = tmp_path / "roto.xlsx"
    broken.write_text("esto no es un libro", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"No se pudo abrir roto\.xlsx como libro de Excel"):
        indicators.inspect(broken)
    with pytest.raises(ValidationError, match="No se pudo leer"):
        indicators.inspect(tmp_path / "no-existe.csv")
    disguised = tmp_path / "datos.csv"
    disguised.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(ValidationError, match="no es un archivo CSV de texto"):
        indicators.inspect(disguised)


# Cells -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "style", "expected"),
    [
        (62.35, "es", 62.35),
        (45, "es", 45.0),
        ("62,35", "es", 62.35),
        ("1.234,5", "es", 1234.5),
        ("1 234,5", "es", 1234.5),
        ("45 %", "es", 45.0),
        ("45,3%", "es", 45.3),
        ("\u22123,2", "es", -3.2),
        ("1,234.5", "en", 1234.5),
        ("62.35", "plain", 62.35),
        ("62,35", "plain", 62.35),
        ("1.234.567", "plain", 1234567.0),
        ("n.d.", "es", None),
        ("abc", "es", None),
        (None, "es", None),
        ("", "es", None),
    ],
)
def test_numbers_as_people_write_them(
    cell: indicators.Cell, style: str, expected: float | None
) -> None:
    assert indicators.parse_number(cell, style) == expected


def test_a_column_decides_how_its_numbers_are_written() -> None:
    assert indicators._number_style(["62.35", "70.1"]) == "plain"
    assert indicators._number_style(["62,35", "1.234"]) == "es"
    assert indicators._number_style(["1.234,5"]) == "es"
    assert indicators._number_style(["1,234.5"]) == "en"
    assert indicators._number_style(["1,234,567"]) == "en"


@pytest.mark.parametrize(
    ("cell", "code"),
    [(5001, "5001"), (5001.0, "5001"), (" 05001 ", "05001"), ("'05001", "05001"),
     ("05 001", "05001"), ("5001.0", "5001"), ("Total", "Total")],
)  # fmt: skip
def test_codes_as_spreadsheets_keep_them(cell: indicators.Cell, code: str) -> None:
    assert indicators._code_text(cell) == code


def test_years_and_letters() -> None:
    assert [indicators.parse_year(c) for c in (2022, 2022.0, "2022", "Vigencia 2022", "s.f.")] == [
        2022,
        2022,
        2022,
        2022,
        None,
    ]
    assert [indicators.column_letter(i) for i in (0, 25, 26, 27, 701)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
    ]
    assert [indicators.column_index(t) for t in ("A", "z", "AA", " ab ", "ZZ")] == [
        0,
        25,
        26,
        27,
        701,
    ]
    with pytest.raises(ValidationError, match="no es una columna"):
        indicators.column_index("3")
    assert indicators.indicator_in("Índice de Desempeño Fiscal 2021") == "IDF"
    assert indicators.indicator_in("mdm_2022") == "MDM"
    assert indicators.indicator_in("Municipio") is None
