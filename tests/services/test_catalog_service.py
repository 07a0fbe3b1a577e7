"""Catalog service: the shipped DIVIPOLA and PDET lists, search, filters and CSV imports."""

from __future__ import annotations

import contextlib
import json
import shutil
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from service_helpers import Unchanged

from fieldkit.domain.errors import NotFoundError, ValidationError
from fieldkit.domain.text import fold
from fieldkit.services import assistances, catalog
from fieldkit.services.assistances import AssistanceInput
from fieldkit.services.catalog import MunicipalityRow, filter_municipalities, normalize_code
from fieldkit.services.profile import Profile, dump, status

# From shared/data/README.md.
PDET_PER_SUBREGION = {
    "Alto Patía y Norte del Cauca": 24,
    "Arauca": 4,
    "Bajo Cauca y Nordeste Antioqueño": 13,
    "Catatumbo": 8,
    "Chocó": 14,
    "Cuenca del Caguán y Piedemonte Caqueteño": 17,
    "Macarena-Guaviare": 12,
    "Montes de María": 15,
    "Pacífico Medio": 4,
    "Pacífico y Frontera Nariñense": 11,
    "Putumayo": 9,
    "Sierra Nevada-Perijá": 15,
    "Sur de Bolívar": 7,
    "Sur de Córdoba": 5,
    "Sur del Tolima": 4,
    "Urabá Antioqueño": 8,
}
PDET_DEPARTMENTS = {
    "Alto Patía y Norte del Cauca": {"19": 17, "52": 5, "76": 2},
    "Chocó": {"27": 12, "05": 2},
    "Cuenca del Caguán y Piedemonte Caqueteño": {"18": 16, "41": 1},
    "Macarena-Guaviare": {"50": 8, "95": 4},
    "Montes de María": {"13": 7, "70": 8},
    "Pacífico Medio": {"19": 3, "76": 1},
    "Sierra Nevada-Perijá": {"20": 8, "44": 3, "47": 4},
    "Sur de Bolívar": {"13": 6, "05": 1},
}
AREAS_NO_MUNICIPALIZADAS = {
    # Amazonas
    *["91263", "91405", "91407", "91430", "91460", "91530", "91536", "91669", "91798"],
    # Guainía
    *["94883", "94884", "94885", "94886", "94887", "94888"],
    # Vaupés
    *["97511", "97777", "97889"],
}
ALL_DEPARTMENTS = {
    *["05", "08", "11", "13", "15", "17", "18", "19", "20", "23", "25", "27", "41", "44", "47"],
    *["50", "52", "54", "63", "66", "68", "70", "73", "76", "81", "85", "86", "88", "91", "94"],
    *["95", "97", "99"],
}


def codes(rows: list[MunicipalityRow]) -> set[str]:
    return {r.code for r in rows}


# ----------------------------------------------------------------------------- shared profiles


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Profile]:
    """One profile for the tests that only read the shipped catalogs."""
    p = Profile(tmp_path_factory.mktemp("lectura") / "perfil", device_name="Lectura")
    try:
        yield p
    finally:
        p.close()


@pytest.fixture(scope="module")
def rows(reader: Profile) -> list[MunicipalityRow]:
    return catalog.list_municipalities(reader)


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# -------------------------------------------------------------------------------- the catalogs


def test_there_are_1121_municipalities_of_three_kinds(rows: list[MunicipalityRow]) -> None:
    assert len(rows) == 1121
    assert len(codes(rows)) == 1121
    kinds = Counter(r.kind for r in rows)
    assert kinds == {"MUNICIPIO": 1101, "ISLA": 2, "AREA_NO_MUNICIPALIZADA": 18}
    assert {r.code for r in rows if r.kind == "ISLA"} == {"88001", "88564"}
    assert {r.code for r in rows if r.kind == "AREA_NO_MUNICIPALIZADA"} == AREAS_NO_MUNICIPALIZADAS
    assert [r.code for r in rows] == sorted(r.code for r in rows)


def test_every_municipality_is_complete_and_inside_colombia(rows: list[MunicipalityRow]) -> None:
    for r in rows:
        assert len(r.code) == 5 and r.code.isdigit()
        assert r.department_code == r.code[:2]
        assert r.name and r.department
        assert r.latitude is not None and r.longitude is not None
        assert -4.3 < r.latitude < 13.6 and -82 < r.longitude < -66.8, r


def test_names_are_readable(reader: Profile) -> None:
    assert catalog.municipality(reader, "11001").name == "Bogotá, D.C."
    tumaco = catalog.municipality(reader, "52835")
    assert (tumaco.name, tumaco.department) == ("San Andrés de Tumaco", "Nariño")
    assert catalog.municipality(reader, "19548").name == "Piendamó - Tunía"


def test_33_departments(reader: Profile) -> None:
    options = catalog.departments(reader)
    assert len(options) == 33
    assert {o.code for o in options} == ALL_DEPARTMENTS
    by_code = {o.code: o.name for o in options}
    assert by_code["52"] == "Nariño"
    assert by_code["11"] == "Bogotá, D.C."
    assert by_code["88"] == "Archipiélago de San Andrés, Providencia y Santa Catalina"
    assert [fold(o.name) for o in options] == sorted(fold(o.name) for o in options)


def test_170_pdet_municipalities_in_16_subregions(
    reader: Profile, rows: list[MunicipalityRow]
) -> None:
    pdet = [r for r in rows if r.pdet_subregion]
    assert len(pdet) == 170
    assert catalog.pdet_subregions(reader) == sorted(PDET_PER_SUBREGION, key=fold)
    assert Counter(r.pdet_subregion for r in pdet) == PDET_PER_SUBREGION
    for subregion, per_department in PDET_DEPARTMENTS.items():
        found = Counter(r.department_code for r in pdet if r.pdet_subregion == subregion)
        assert found == per_department, subregion
    assert len({r.department_code for r in pdet}) == 19
    # The codes fixed by hand in the README.
    fixed = {r.code: r.pdet_subregion for r in pdet}
    assert fixed["19110"] == "Alto Patía y Norte del Cauca"  # Buenos Aires
    assert fixed["05475"] == fixed["05873"] == "Chocó"  # Murindó, Vigía del Fuerte
    assert fixed["41020"] == "Cuenca del Caguán y Piedemonte Caqueteño"  # Algeciras
    assert fixed["23580"] == "Sur de Córdoba"  # Puerto Libertador
    assert "19100" not in fixed and "41013" not in fixed and "23570" not in fixed


def test_shipped_thematic_lines_and_categories(reader: Profile) -> None:
    lines = catalog.thematic_lines(reader)
    assert [o.code for o in lines] == [
        "INNOVACION",
        "ETNICOS",
        "PAZ",
        "CONTRATACION",
        "REDISENO",
        "ORDENAMIENTO",
    ]
    assert lines[2].name == "Consolidación de la paz total"
    assert [o.code for o in catalog.categories(reader)] == ["E", "1", "2", "3", "4", "5", "6"]
    assert catalog.directorates(reader) == []  # the EXAMPLE grouping only loads on request


def test_seeding_happens_once(template: Path, tmp_path: Path) -> None:
    folder = tmp_path / "perfil"
    shutil.copytree(template, folder)
    with Profile(folder) as p:
        ops = status(p).operations
        assert catalog.ensure_seeded(p) is False
        assert status(p).operations == ops
    with Profile(folder) as p:
        assert status(p).operations == ops
        assert status(p).records["municipality"] == 1121


def test_catalog_records_are_identical_on_every_device(reader: Profile, fresh: Profile) -> None:
    assert reader.device_id != fresh.device_id
    mine, theirs = json.loads(dump(reader)), json.loads(dump(fresh))
    for entity in ("municipality", "thematic_line", "municipal_category"):
        assert mine[entity] == theirs[entity]


# ---------------------------------------------------------------------------------- search


def test_narino_finds_the_department_and_the_municipalities_called_narino(
    rows: list[MunicipalityRow],
) -> None:
    found = filter_municipalities(rows, "narino")
    department = {r.code for r in rows if r.department_code == "52"}
    assert len(department) == 64
    assert department <= codes(found)
    assert {"05483", "25483", "91540"} <= codes(found)  # Nariño (Ant.), Nariño (Cund.), Pto. Nariño
    for r in found:
        assert r.department_code == "52" or "narino" in fold(r.name), r
    assert codes(filter_municipalities(rows, "NARIÑO")) == codes(found)
    assert codes(filter_municipalities(rows, "  Nariño ")) == codes(found)


def test_search_ignores_accents_case_and_word_order(rows: list[MunicipalityRow]) -> None:
    bogota = filter_municipalities(rows, "bogota")
    assert [(r.code, r.name) for r in bogota] == [("11001", "Bogotá, D.C.")]
    assert codes(filter_municipalities(rows, "SAN ANDRES tumaco")) == {"52835"}
    assert codes(filter_municipalities(rows, "tumaco san andrés")) == {"52835"}
    assert codes(filter_municipalities(rows, "piendamo")) == {"19548"}
    assert codes(filter_municipalities(rows, "52835")) == {"52835"}
    assert filter_municipalities(rows, "tumaco cali") == []
    assert len(filter_municipalities(rows, "")) == 1121


def test_search_by_pdet_subregion_name(rows: list[MunicipalityRow]) -> None:
    found = filter_municipalities(rows, "frontera narinense")
    assert len(found) == 11
    assert {r.pdet_subregion for r in found} == {"Pacífico y Frontera Nariñense"}


def test_filters(rows: list[MunicipalityRow]) -> None:
    assert len(filter_municipalities(rows, department="52")) == 64
    assert len(filter_municipalities(rows, department="05")) == 125
    catatumbo = filter_municipalities(rows, subregion="Catatumbo")
    assert len(catatumbo) == 8 and {r.department_code for r in catatumbo} == {"54"}
    assert len(filter_municipalities(rows, pdet_only=True)) == 170
    cauca_pdet = filter_municipalities(rows, pdet_only=True, department="19")
    assert len(cauca_pdet) == 20  # 17 in Alto Patía, 3 in Pacífico Medio
    assert codes(filter_municipalities(rows, "tumaco", pdet_only=True)) == {"52835"}
    assert filter_municipalities(rows, "medellin", pdet_only=True) == []
    assert filter_municipalities(rows, department="52", subregion="Catatumbo") == []
    # Nothing is categorized or assigned to a directorate until someone imports it.
    assert filter_municipalities(rows, category="6") == []
    assert filter_municipalities(rows, directorate="NAR") == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("5001", "05001"),
        ("05001", "05001"),
        (5001, "05001"),
        (5001.0, "05001"),
        ("5001.0", "05001"),
        ("5001.00", "05001"),
        (" 52835 ", "52835"),
        (52835, "52835"),
        ("abc", "abc"),
    ],
)
def test_normalize_code(given: object, expected: str) -> None:
    assert normalize_code(given) == expected


def test_municipality_by_code(reader: Profile) -> None:
    assert catalog.municipality(reader, "5001").name == "Medellín"
    assert catalog.municipality(reader, 5001.0).code == "05001"  # type: ignore[arg-type]
    with pytest.raises(NotFoundError) as info:
        catalog.municipality(reader, "99999")
    assert "No existe el municipio con código DIVIPOLA 99999" in str(info.value)


# ----------------------------------------------------------------------------- directorates


def test_example_directorates_cover_every_department_once(fresh: Profile) -> None:
    report = catalog.import_directorates(fresh)
    assert (report.applied, report.unchanged, report.problems) == (16, 0, [])
    rows = catalog.directorates(fresh)
    assert len(rows) == 16
    assert all(r.is_example for r in rows)
    departments = [d for r in rows for d in r.departments]
    assert len(departments) == 33
    assert set(departments) == ALL_DEPARTMENTS
    by_code = {r.code: r for r in rows}
    assert by_code["BOL"].name == "Bolívar, Córdoba, Sucre y San Andrés"
    assert by_code["BOL"].departments == ["13", "23", "70", "88"]
    municipalities = catalog.list_municipalities(fresh)
    assert all(m.directorate_code for m in municipalities)
    nar = filter_municipalities(municipalities, directorate="NAR")
    assert len(nar) == 64 + 13 and {m.department_code for m in nar} == {"52", "86"}
    assert catalog.municipality(fresh, "52835").directorate_name == "Nariño y Putumayo"
    # Loading the example again changes nothing.
    with Unchanged(fresh):
        again = catalog.import_directorates(fresh)
    assert (again.applied, again.unchanged) == (0, 16)


def test_a_real_list_replaces_the_example(fresh: Profile, tmp_path: Path) -> None:
    catalog.import_directorates(fresh)
    ops = status(fresh).operations
    real = write_csv(
        tmp_path / "direcciones.csv",
        "codigo,nombre,departamentos\n"
        "DTNOR,Dirección Territorial Norte,05;08\n"
        'dtsur,"Nariño, Putumayo y Cauca",52;86;19\n',
    )
    report = catalog.import_directorates(fresh, real)
    assert report.applied == 2
    rows = catalog.directorates(fresh)
    assert [(r.code, r.name, r.departments, r.is_example) for r in rows] == [
        ("DTNOR", "Dirección Territorial Norte", ["05", "08"], False),
        ("DTSUR", "Nariño, Putumayo y Cauca", ["52", "86", "19"], False),
    ]
    assert status(fresh).operations > ops
    # The example rows are tombstones now: still in the dump (for sync), not in the list.
    dumped = json.loads(dump(fresh))["directorate"]
    assert len(dumped) == 18
    assert sum(1 for d in dumped if d["deleted"]) == 16
    assert catalog.municipality(fresh, "52835").directorate_code == "DTSUR"
    assert catalog.municipality(fresh, "13001").directorate_code == ""


def test_a_department_never_ends_up_in_two_directorates(fresh: Profile, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", "codigo,nombre,departamentos\nDTA,Primera,05;08\n")
    second = write_csv(tmp_path / "b.csv", "codigo,nombre,departamentos\nDTB,Segunda,05\n")
    catalog.import_directorates(fresh, first)
    with contextlib.suppress(ValidationError):  # refusing the second list is one answer...
        catalog.import_directorates(fresh, second)
    owners = Counter(d for r in catalog.directorates(fresh) for d in r.departments)
    # ...but Antioquia must not belong to both DTA and DTB.
    assert owners["05"] == 1, catalog.directorates(fresh)


BAD_DIRECTORATE_FILES = {
    "departamento desconocido": (
        "codigo,nombre,departamentos\nDTX,Equis,05;42\n",  # 42 is no department
        "departamento desconocido «42»",
    ),
    "departamento repetido": (
        "codigo,nombre,departamentos\nDTX,Equis,05;08\nDTY,Ye,08\n",
        "el departamento 08 ya está en DTX",
    ),
    "sin columna de departamentos": (
        "codigo,nombre\nDTX,Equis\n",
        "no tiene la columna de departamentos",
    ),
    "sin columna de nombre": ("codigo;departamentos\nDTX;05\n", "no tiene la columna de nombre"),
    "sin código": ("codigo,nombre,departamentos\n,Equis,05\n", "falta código o nombre"),
    "vacío": ("# solo un comentario\n\n", "está vacío"),
}


@pytest.mark.parametrize("case", BAD_DIRECTORATE_FILES, ids=str)
def test_bad_directorate_files_change_nothing(fresh: Profile, tmp_path: Path, case: str) -> None:
    catalog.import_directorates(fresh)
    text, problem = BAD_DIRECTORATE_FILES[case]
    path = write_csv(tmp_path / "direcciones.csv", text)
    with Unchanged(fresh), pytest.raises(ValidationError) as info:
        catalog.import_directorates(fresh, path)
    assert problem in str(info.value)
    assert len(catalog.directorates(fresh)) == 16


def test_save_and_remove_a_directorate(fresh: Profile) -> None:
    catalog.save_directorate(fresh, "dtn", "Norte", ["5", "8"])
    assert [(r.code, r.departments) for r in catalog.directorates(fresh)] == [("DTN", ["05", "08"])]
    with Unchanged(fresh):
        with pytest.raises(ValidationError, match="ya pertenecen a otra dirección territorial"):
            catalog.save_directorate(fresh, "DTS", "Sur", ["52", "08"])
        with pytest.raises(ValidationError, match="desconocidos: 42"):
            catalog.save_directorate(fresh, "DTS", "Sur", ["42"])
        with pytest.raises(ValidationError, match="código y nombre"):
            catalog.save_directorate(fresh, "DTS", "  ", ["52"])
    catalog.remove_directorate(fresh, "DTN")
    assert catalog.directorates(fresh) == []
    with pytest.raises(NotFoundError):
        catalog.remove_directorate(fresh, "DTN")
    # Its departments are free again, and the code comes back with its history.
    catalog.save_directorate(fresh, "DTN", "Norte otra vez", ["08"])
    assert [(r.code, r.name) for r in catalog.directorates(fresh)] == [("DTN", "Norte otra vez")]


# ------------------------------------------------------------------------------- categories

EXCEL_CATEGORIES = (
    "Código;Categoría\r\n"
    "5001;Especial\r\n"  # Medellín, leading zero lost in Excel
    "8001;especial\r\n"  # Barranquilla
    "52835;Sexta\r\n"
    "52001;1\r\n"
    "5002;6\r\n"  # Abejorral
    "91540;Categoría 6\r\n"
    "19050;6a\r\n"
    "11001;E\r\n"
    "25483;Quinta.\r\n"
)
EXPECTED_CATEGORIES = {
    "05001": "E",
    "08001": "E",
    "52835": "6",
    "52001": "1",
    "05002": "6",
    "91540": "6",
    "19050": "6",
    "11001": "E",
    "25483": "5",
}


def test_import_categories_from_a_spanish_excel_export(fresh: Profile, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "categorias.csv", EXCEL_CATEGORIES, encoding="cp1252")
    assert b"\xf3" in path.read_bytes()  # really cp1252: "ó" is one byte
    ops = status(fresh).operations
    report = catalog.import_categories(fresh, path)
    assert (report.applied, report.unchanged, report.problems) == (9, 0, [])
    assert status(fresh).operations == ops + 9  # one operation per changed field
    rows = catalog.list_municipalities(fresh)
    assert {r.code: r.category for r in rows if r.category} == EXPECTED_CATEGORIES
    sixth = filter_municipalities(rows, category="6")
    assert codes(sixth) == {c for c, v in EXPECTED_CATEGORIES.items() if v == "6"}
    assert codes(filter_municipalities(rows, "narino", category="6")) == {"52835", "91540"}
    with Unchanged(fresh):
        again = catalog.import_categories(fresh, path)
    assert (again.applied, again.unchanged) == (0, 9)


def test_import_categories_utf8_with_bom_and_commas(fresh: Profile, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "categorias.csv",
        "codigo_municipio,categoria\n05001,Especial\n52835,Sexta\n",
        encoding="utf-8-sig",
    )
    assert catalog.import_categories(fresh, path).applied == 2
    assert catalog.municipality(fresh, "52835").category == "6"


def test_a_bad_category_row_changes_nothing(fresh: Profile, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "categorias.csv",
        "codigo_municipio;categoria\n5001;Especial\n99999;3\n52835;séptima\n",
    )
    with Unchanged(fresh), pytest.raises(ValidationError) as info:
        catalog.import_categories(fresh, path)
    message = str(info.value)
    assert message.startswith("No se importó nada: 2 filas con problemas.")
    assert "fila 3: municipio desconocido «99999»" in message
    assert "fila 4: categoría no reconocida «séptima»" in message
    assert catalog.municipality(fresh, "05001").category == ""


def test_a_categories_file_without_the_columns_changes_nothing(
    fresh: Profile, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "categorias.csv", "municipio,valor\nPasto,1\n")
    with Unchanged(fresh), pytest.raises(ValidationError, match="no tiene la columna de código"):
        catalog.import_categories(fresh, path)
    with Unchanged(fresh), pytest.raises(ValidationError, match="No se pudo leer"):
        catalog.import_categories(fresh, tmp_path / "no-existe.csv")


@pytest.mark.parametrize(
    "importer",
    [catalog.import_categories, catalog.import_directorates],
    ids=["categories", "directorates"],
)
def test_a_spreadsheet_chosen_by_mistake_is_refused_in_spanish(
    fresh: Profile, tmp_path: Path, importer: Callable[[Profile, Path], object]
) -> None:
    """People pick the .xlsx next to the .csv: a real zip with bytes that are not text."""
    book = tmp_path / "categorias.xlsx"
    with zipfile.ZipFile(book, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", "<row><c>05001</c><c>E</c></row>" * 200)
        zf.writestr("docProps/raw.bin", bytes(range(256)))
    with Unchanged(fresh), pytest.raises(ValidationError):
        importer(fresh, book)


def test_set_category(fresh: Profile) -> None:
    catalog.set_category(fresh, "5001", "E")
    assert catalog.municipality(fresh, "05001").category == "E"
    catalog.set_category(fresh, "05001", None)
    assert catalog.municipality(fresh, "05001").category == ""
    with Unchanged(fresh):
        with pytest.raises(ValidationError, match="Categoría desconocida «7»"):
            catalog.set_category(fresh, "05001", "7")
        with pytest.raises(NotFoundError, match="No existe el municipio"):
            catalog.set_category(fresh, "99999", "1")


# -------------------------------------------------------------------------- municipality sheet


def test_the_municipality_sheet_shows_its_assistances(fresh: Profile) -> None:
    first, _ = assistances.create_assistance(fresh, AssistanceInput("52835", "PAZ"))
    assistances.create_assistance(fresh, AssistanceInput("52001", "INNOVACION"))
    second, _ = assistances.create_assistance(fresh, AssistanceInput("52835", "CONTRATACION"))
    sheet = catalog.municipality_sheet(fresh, "52835")
    assert sheet.municipality.name == "San Andrés de Tumaco"
    assert sheet.municipality.pdet_subregion == "Pacífico y Frontera Nariñense"
    assert sheet.indicators == []
    listed = [(a.code, a.thematic_line_code, a.state) for a in sheet.assistances]  # type: ignore[attr-defined]
    assert listed == [(first, "PAZ", "requested"), (second, "CONTRATACION", "requested")]
    assert catalog.municipality_sheet(fresh, "5001").assistances == []
    with pytest.raises(NotFoundError):
        catalog.municipality_sheet(fresh, "99999")


@pytest.mark.parametrize("role", ["field", "reviewer"])
def test_only_coordinators_edit_catalogs(fresh: Profile, tmp_path: Path, role: str) -> None:
    from fieldkit.domain.errors import AuthorizationError
    from fieldkit.services.profile import set_role

    set_role(fresh, role)
    csv_file = tmp_path / "categorias.csv"
    csv_file.write_text("codigo_municipio,categoria\n52835,6\n", encoding="utf-8")
    directorates_file = tmp_path / "direcciones.csv"
    directorates_file.write_text("codigo,nombre,departamentos\nNAR,Nariño,52\n", encoding="utf-8")
    with Unchanged(fresh):
        for attempt in (
            lambda: catalog.set_category(fresh, "52835", "6"),
            lambda: catalog.import_categories(fresh, csv_file),
            lambda: catalog.import_directorates(fresh, directorates_file),
            lambda: catalog.save_directorate(fresh, "NAR", "Nariño", ["52"]),
            lambda: catalog.remove_directorate(fresh, "NAR"),
        ):
            with pytest.raises(AuthorizationError, match="Solo un perfil de coordinador"):
                attempt()
    # The example grouping is for tours and training: any role may load it.
    catalog.import_directorates(fresh)
    assert len(catalog.directorates(fresh)) == 16


def test_csv_problems_name_the_real_line_and_nothing_changes(
    fresh: Profile, tmp_path: Path
) -> None:
    path = tmp_path / "categorias.csv"
    path.write_text(
        "# Categorías 2026, resolución de la Contaduría\n"
        "\n"
        "codigo_municipio,categoria\n"
        "52835,6\n"
        "5001,E,nota suelta\n"  # line 5: one value more than the header
        "52835,5\n",  # line 6: a second, different category for Tumaco (first on line 4)
        encoding="utf-8",
    )
    with Unchanged(fresh), pytest.raises(ValidationError) as info:
        catalog.import_categories(fresh, path)
    text = str(info.value)
    assert "fila 5: más columnas que el encabezado: «nota suelta»" in text
    assert "fila 6: el municipio 52835 ya tiene otra categoría en la línea 4" in text


def test_a_directorate_file_may_repeat_a_code_per_department_but_not_rename_it(
    fresh: Profile, tmp_path: Path
) -> None:
    per_department = tmp_path / "por_departamento.csv"
    per_department.write_text(
        "codigo,nombre,codigo_departamento\nNAR,Nariño y Putumayo,52\nNAR,Nariño y Putumayo,86\n",
        encoding="utf-8",
    )
    catalog.import_directorates(fresh, per_department)
    [nar] = catalog.directorates(fresh)
    assert nar.departments == ["52", "86"]
    renamed = tmp_path / "renombrada.csv"
    renamed.write_text(
        "codigo,nombre,departamentos\nNAR,Nariño,52\nNAR,Putumayo,86\n", encoding="utf-8"
    )
    with (
        Unchanged(fresh),
        pytest.raises(ValidationError, match="fila 3: la dirección NAR ya se llamó"),
    ):
        catalog.import_directorates(fresh, renamed)
