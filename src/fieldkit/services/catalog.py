"""Catalogs: municipalities (DIVIPOLA + PDET), thematic lines, categories, territorial directorates."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from fieldkit.domain.errors import NotFoundError, ValidationError
from fieldkit.domain.hlc import ZERO_NODE, Timestamp
from fieldkit.domain.text import display_name, fold
from fieldkit.i18n import N_, _
from fieldkit.services.changes import Changes
from fieldkit.services.profile import Profile, require_coordinator
from fieldkit.store import reads

# Bump when the shipped catalog files change; seed operations of a newer version win over older ones.
CATALOG_VERSION = 1
SEED_AUTHOR = "catálogo fieldkit"
NAMESPACE = "5b0f6f0e-3c52-4a53-9d0e-6a1f1e7d2c11"  # uuid5 namespace of catalog record ids
KIND_LABELS = {
    "MUNICIPIO": "Municipio",
    "ISLA": "Isla",
    "AREA_NO_MUNICIPALIZADA": "Área no municipalizada",
}


def record_id(entity: str, code: str) -> str:
    """Catalog records get the same id on every device, so seeds and edits meet in a merge."""
    import uuid

    return str(uuid.uuid5(uuid.UUID(NAMESPACE), f"{entity}:{code}"))


def _resource_text(name: str) -> str:
    from importlib import resources

    return resources.files("fieldkit").joinpath("resources", "catalog", name).read_text("utf-8")


def _csv_rows(text: str) -> list[dict[str, str]]:
    import csv
    import io

    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def _seed_records() -> Iterator[tuple[str, str, dict[str, object]]]:
    pdet = {
        r["codigo_municipio"]: r["subregion_pdet"] for r in _csv_rows(_resource_text("pdet.csv"))
    }
    for row in _csv_rows(_resource_text("municipios.csv")):
        code = row["codigo_municipio"]
        yield (
            "municipality",
            record_id("municipality", code),
            {
                "code": code,
                "name": display_name(row["municipio"]),
                "official_name": row["municipio"],
                "department_code": row["codigo_departamento"],
                "department": display_name(row["departamento"]),
                "kind": row["tipo"],
                "latitude": float(row["latitud"]) if row["latitud"] else None,
                "longitude": float(row["longitud"]) if row["longitud"] else None,
                "pdet_subregion": pdet.get(code),
            },
        )
    for row in _csv_rows(_resource_text("lineas_tematicas.csv")):
        yield (
            "thematic_line",
            record_id("thematic_line", row["codigo"]),
            {
                "code": row["codigo"],
                "name": row["nombre"],
                "active": True,
                "sort_order": int(row["orden"]),
            },
        )
    for row in _csv_rows(_resource_text("categorias_municipales.csv")):
        yield (
            "municipal_category",
            record_id("municipal_category", row["codigo"]),
            {
                "code": row["codigo"],
                "name": row["nombre"],
                "sort_order": int(row["orden"]),
            },
        )


def seed_operations(version: int = CATALOG_VERSION) -> list[dict[str, object]]:
    """The shipped catalogs as operations: identical on every device (same ids, op ids, clocks)."""
    import json
    import uuid

    hlc = Timestamp(0, version, ZERO_NODE).encode()
    ops = []
    seq = version * 1_000_000
    for entity, rid, fields in _seed_records():
        for name, value in fields.items():
            if value is None:
                continue
            seq += 1
            ops.append(
                {
                    "op_id": str(
                        uuid.uuid5(uuid.UUID(NAMESPACE), f"seed:{version}:{entity}:{rid}:{name}")
                    ),
                    "origin": ZERO_NODE,
                    "seq": seq,
                    "hlc": hlc,
                    "entity": entity,
                    "record_id": rid,
                    "field": name,
                    "value": json.dumps(value, ensure_ascii=False),
                    "base_hlc": None,
                    "author": SEED_AUTHOR,
                }
            )
    return ops


def ensure_seeded(profile: Profile) -> bool:
    """Load the shipped catalogs once per catalog version. Returns True when it loaded them."""
    if int(profile.values.get("catalog_version") or 0) >= CATALOG_VERSION:
        return False
    from fieldkit.store.oplog import insert_operations
    from fieldkit.store.uow import write_profile

    ops = seed_operations()
    with profile.write() as session:
        insert_operations(session, ops)
        write_profile(session, catalog_version=CATALOG_VERSION)
    return True


# Reading -------------------------------------------------------------------------------------


class MunicipalityRow(NamedTuple):
    code: str
    name: str
    department_code: str
    department: str
    kind: str
    pdet_subregion: str
    category: str
    directorate_code: str
    directorate_name: str
    latitude: float | None
    longitude: float | None
    key: str = ""  # folded search text


def department_directorates(profile: Profile) -> dict[str, tuple[str, str]]:
    """Department code -> (directorate code, name)."""
    mapping: dict[str, tuple[str, str]] = {}
    for d in directorates(profile):
        for dept in d.departments:
            mapping[dept] = (d.code, d.name)
    return mapping


def split_departments(text: str) -> list[str]:
    return [p.zfill(2) for p in re.split(r"[;,|/\s]+", text.strip()) if p]


def _municipality_row(m, depts: dict[str, tuple[str, str]]) -> MunicipalityRow:  # type: ignore[no-untyped-def]
    dcode, dname = depts.get(m["department_code"] or "", ("", ""))
    return MunicipalityRow(
        code=m["code"] or "",
        name=m["name"] or "",
        department_code=m["department_code"] or "",
        department=m["department"] or "",
        kind=m["kind"] or "",
        pdet_subregion=m["pdet_subregion"] or "",
        category=m["category"] or "",
        directorate_code=dcode,
        directorate_name=dname,
        latitude=m["latitude"],
        longitude=m["longitude"],
        key=fold(
            f"{m['name']} {m['official_name']} {m['code']} {m['department']} {m['pdet_subregion'] or ''}"
        ),
    )


class LatestIndicator(NamedTuple):
    year: int | None
    value: float | None
    source: str


# Columns in this order first (the national measurements), then any other by name.
INDICATOR_ORDER = ("MDM", "IDF", "IPM", "IMR", "NBI")


def latest_indicators(profile: Profile) -> tuple[list[str], dict[str, dict[str, LatestIndicator]]]:
    """(indicator names in column order, municipality code -> indicator -> its newest value)."""
    by_code: dict[str, dict[str, LatestIndicator]] = {}
    names: set[str] = set()
    for r in reads.latest_indicators(profile.reader):
        names.add(r["indicator"])
        by_code.setdefault(r["code"], {})[r["indicator"]] = LatestIndicator(
            r["year"], r["value"], r["source"] or ""
        )
    order = {name: i for i, name in enumerate(INDICATOR_ORDER)}
    return sorted(names, key=lambda n: (order.get(n, len(order)), fold(n))), by_code


def list_municipalities(profile: Profile) -> list[MunicipalityRow]:
    depts = department_directorates(profile)
    return [_municipality_row(m, depts) for m in reads.municipalities(profile.reader)]


def filter_municipalities(
    rows: Sequence[MunicipalityRow],
    query: str = "",
    *,
    department: str | None = None,
    subregion: str | None = None,
    category: str | None = None,
    directorate: str | None = None,
    pdet_only: bool = False,
) -> list[MunicipalityRow]:
    """Accent- and case-insensitive: every word of the query must appear ("narino" finds Nariño)."""
    words = fold(query).split()
    out = []
    for r in rows:
        if department and r.department_code != department:
            continue
        if subregion and r.pdet_subregion != subregion:
            continue
        if pdet_only and not r.pdet_subregion:
            continue
        if category and r.category != category:
            continue
        if directorate and r.directorate_code != directorate:
            continue
        if words and not all(w in r.key for w in words):
            continue
        out.append(r)
    return out


def municipality(profile: Profile, code: str) -> MunicipalityRow:
    code = normalize_code(code)
    found = reads.municipalities(profile.reader, code)
    if not found:
        raise NotFoundError(
            "No existe el municipio con código DIVIPOLA {code}. Revise el código (5 dígitos, p. ej. 52835).",
            code=code,
        )
    return _municipality_row(found[0], department_directorates(profile))


def normalize_code(code: object) -> str:
    """DIVIPOLA codes that lost their leading zero ("5001", 5001.0) become "05001"."""
    text = str(code).strip()
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    if text.isdigit() and len(text) in (4, 5):
        return text.zfill(5)
    return text


class Option(NamedTuple):
    code: str
    name: str


def departments(profile: Profile) -> list[Option]:
    seen: dict[str, str] = {}
    for r in list_municipalities(profile):
        seen.setdefault(r.department_code, r.department)
    return sorted((Option(c, n) for c, n in seen.items()), key=lambda o: fold(o.name))


def pdet_subregions(profile: Profile) -> list[str]:
    return sorted(
        {r.pdet_subregion for r in list_municipalities(profile) if r.pdet_subregion}, key=fold
    )


def thematic_lines(profile: Profile, *, active_only: bool = True) -> list[Option]:
    return [
        Option(r["code"] or "", r["name"] or "")
        for r in reads.thematic_lines(profile.reader)
        if r["active"] or not active_only
    ]


def categories(profile: Profile) -> list[Option]:
    return [Option(r["code"] or "", r["name"] or "") for r in reads.categories(profile.reader)]


class DirectorateRow(NamedTuple):
    code: str
    name: str
    departments: list[str]
    is_example: bool


def directorates(profile: Profile) -> list[DirectorateRow]:
    return [
        DirectorateRow(
            r["code"] or "",
            r["name"] or "",
            split_departments(r["departments"] or ""),
            bool(r["is_example"]),
        )
        for r in reads.directorates(profile.reader)
    ]


# Writing -------------------------------------------------------------------------------------


def save_directorate(
    profile: Profile,
    code: str,
    name: str,
    department_codes: Sequence[str],
    *,
    is_example: bool = False,
) -> Changes:
    require_coordinator(profile, N_("modificar las direcciones territoriales"))
    code = code.strip().upper()
    if not code or not name.strip():
        raise ValidationError("Una dirección territorial necesita código y nombre.")
    valid = {o.code for o in departments(profile)}
    from fieldkit.store import queries
    from fieldkit.store.models import Directorate

    depts = [d.zfill(2) for d in department_codes]
    unknown = [d for d in depts if d not in valid]
    if unknown:
        raise ValidationError(
            "Códigos de departamento desconocidos: {codes}.", codes=", ".join(unknown)
        )
    with profile.write() as session:
        others = [d for d in queries.directorates(session) if d.code != code]
        taken = {dept: d.name for d in others for dept in split_departments(d.departments or "")}
        clash = [f"{d} ({taken[d]})" for d in depts if d in taken]
        if clash:
            raise ValidationError(
                "Estos departamentos ya pertenecen a otra dirección territorial: {clash}.",
                clash=", ".join(clash),
            )
        row = queries.directorate_by_code(session, code)
        if row is None:
            row = Directorate(id=record_id("directorate", code), code=code)
            existing = session.get(Directorate, row.id)
            if existing is not None:  # a directorate once removed comes back with its history
                row = existing
                row.deleted = False
            else:
                session.add(row)
        row.name = name.strip()
        row.departments = ";".join(depts)
        row.is_example = is_example
    return Changes.of("directorate")


def remove_directorate(profile: Profile, code: str) -> Changes:
    require_coordinator(profile, N_("modificar las direcciones territoriales"))
    from fieldkit.store import queries

    with profile.write() as session:
        row = queries.directorate_by_code(session, code)
        if row is None:
            raise NotFoundError("No existe la dirección territorial {code}.", code=code)
        row.deleted = True
    return Changes.of("directorate")


class CsvImport:
    """What an import did: rows changed, rows already as in the file, rows refused."""

    def __init__(self) -> None:
        self.applied = 0
        self.unchanged = 0
        self.problems: list[str] = []

    def problem(self, line: int, text: str) -> None:
        self.problems.append(_("fila {line}: {problem}", line=line, problem=text))

    def refuse_if_problems(self) -> None:
        """All rows valid, or nothing changes: the file is fixed and imported again whole."""
        if self.problems:
            raise ValidationError(
                "No se importó nada: {count} filas con problemas.\n{details}",
                count=len(self.problems),
                details="\n".join(self.problems[:20]),
            )


def _decode(raw: bytes) -> str | None:
    # Spreadsheet programs in Colombia save CSV as UTF-8 (with or without BOM) or Windows-1252.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_csv(path: Path) -> CsvRows:
    import csv
    import io

    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ValidationError(
            "No se pudo leer {path}: {error}", path=str(path), error=exc.strerror or str(exc)
        ) from exc
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or b"\x00" in raw[:4096]:
        raise ValidationError(
            "{path} no es un archivo CSV de texto (parece una hoja de cálculo u otro archivo "
            "binario). Guárdelo como «CSV UTF-8» desde la hoja de cálculo e inténtelo de nuevo.",
            path=Path(path).name,
        )
    text = _decode(raw)
    if text is None:
        raise ValidationError(
            "{path} no es un archivo CSV de texto legible (ni UTF-8 ni Windows-1252).",
            path=Path(path).name,
        )
    first = next(
        (ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), None
    )
    if first is None:
        raise ValidationError("{path} está vacío.", path=Path(path).name)
    dialect = (
        csv.Sniffer().sniff(first, delimiters=",;\t")
        if any(c in first for c in ",;\t")
        else csv.excel
    )
    reader = csv.reader(io.StringIO(text), dialect=dialect)
    header: list[str] | None = None
    rows = CsvRows()
    for fields in reader:
        # Comment and blank lines are skipped, but line numbers stay those of the file, so a
        # reported problem points at the line a person sees in their editor.
        if not any(f.strip() for f in fields) or fields[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [fold(h) for h in fields]
            rows.header = header
            continue
        row = {h: v.strip() for h, v in zip(header, fields, strict=False)}
        if len(fields) > len(header) and any(f.strip() for f in fields[len(header) :]):
            row[EXTRA] = "; ".join(f.strip() for f in fields[len(header) :])
        rows.append((reader.line_num, row))
    return rows


EXTRA = "\x00extra"  # a key no folded header can have


class CsvRows(list[tuple[int, dict[str, str]]]):
    """(line number in the file, row by folded column name), with the folded header."""

    header: list[str]

    def __init__(self) -> None:
        super().__init__()
        self.header = []


def _column(rows: CsvRows, candidates: Sequence[str], path: Path, what: str) -> str:
    header = rows.header
    for cand in candidates:
        if cand in header:
            return cand
    raise ValidationError(
        "{path} no tiene la columna de {what}. Se esperaba una de: {names}.",
        path=Path(path).name,
        what=what,
        names=", ".join(candidates),
    )


_CATEGORY_WORDS = {
    "e": "E", "especial": "E", "0": "E",
    "1": "1", "primera": "1", "1a": "1",
    "2": "2", "segunda": "2", "2a": "2",
    "3": "3", "tercera": "3", "3a": "3",
    "4": "4", "cuarta": "4", "4a": "4",
    "5": "5", "quinta": "5", "5a": "5",
    "6": "6", "sexta": "6", "6a": "6",
}  # fmt: skip


def import_categories(profile: Profile, path: Path) -> CsvImport:
    """CSV `codigo_municipio,categoria` (Ley 617: especial, 1..6). All rows valid, or nothing changes."""
    require_coordinator(profile, N_("importar las categorías municipales"))
    rows = _read_csv(path)
    code_col = _column(
        rows,
        ("codigo_municipio", "codigo", "divipola", "cod_mpio", "codigo_dane"),
        path,
        "código de municipio",
    )
    cat_col = _column(rows, ("categoria", "categoria_ley_617", "cat"), path, "categoría")
    report = CsvImport()
    wanted: dict[str, str] = {}
    known = {r.code for r in list_municipalities(profile)}
    first_line: dict[str, int] = {}
    for line, row in rows:
        if EXTRA in row:
            report.problem(line, _("más columnas que el encabezado: «{value}»", value=row[EXTRA]))
            continue
        code = normalize_code(row.get(code_col, ""))
        cat = _CATEGORY_WORDS.get(
            fold(row.get(cat_col, "")).replace("categoria", "").strip().rstrip(".").replace("º", "")
        )
        if code not in known:
            report.problem(line, _("municipio desconocido «{value}»", value=row.get(code_col, "")))
        elif cat is None:
            report.problem(
                line,
                _("categoría no reconocida «{value}» (use E o 1 a 6)", value=row.get(cat_col, "")),
            )
        elif code in wanted and wanted[code] != cat:
            report.problem(
                line,
                _(
                    "el municipio {code} ya tiene otra categoría en la línea {other}",
                    code=code,
                    other=first_line[code],
                ),
            )
        else:
            wanted[code] = cat
            first_line.setdefault(code, line)
    report.refuse_if_problems()
    from fieldkit.store import queries

    with profile.write() as session:
        for m in queries.municipalities(session):
            if m.code in wanted:
                if m.category == wanted[m.code]:
                    report.unchanged += 1
                else:
                    m.category = wanted[m.code]
                    report.applied += 1
    return report


def import_directorates(
    profile: Profile, path: Path | None = None, *, example: bool = False
) -> CsvImport:
    """CSV `codigo,nombre,departamentos` (department codes separated by `;`).

    The file is the complete list: directorates missing from it are removed, so a department can
    never belong to two. The example grouping never replaces a real list already loaded.
    """
    if path is not None and not example:
        require_coordinator(profile, N_("importar las direcciones territoriales"))
    if path is None:
        from importlib import resources

        path = Path(
            str(
                resources.files("fieldkit").joinpath(
                    "resources", "catalog", "direcciones_territoriales_EJEMPLO.csv"
                )
            )
        )
        example = True
    rows = _read_csv(path)
    code_col = _column(rows, ("codigo", "codigo_direccion", "code"), path, "código")
    name_col = _column(rows, ("nombre", "direccion", "name"), path, "nombre")
    dept_col = _column(
        rows, ("departamentos", "codigo_departamento", "departamento"), path, "departamentos"
    )
    valid = {o.code for o in departments(profile)}
    grouped: dict[str, tuple[str, list[str]]] = {}
    report = CsvImport()
    seen_dept: dict[str, str] = {}
    for line, row in rows:
        if EXTRA in row:
            report.problem(line, _("más columnas que el encabezado: «{value}»", value=row[EXTRA]))
            continue
        code = row.get(code_col, "").upper()
        name = row.get(name_col, "")
        depts = split_departments(row.get(dept_col, ""))
        if not code or not name:
            report.problem(line, _("falta código o nombre"))
            continue
        if code in grouped and grouped[code][0] != name:
            # One row per department is fine; two names for one code is a mistake to fix.
            report.problem(
                line,
                _(
                    "la dirección {code} ya se llamó «{name}» antes",
                    code=code,
                    name=grouped[code][0],
                ),
            )
            continue
        for d in depts:
            if d not in valid:
                report.problem(line, _("departamento desconocido «{value}»", value=d))
            elif seen_dept.setdefault(d, code) != code:
                report.problem(
                    line, _("el departamento {dept} ya está en {other}", dept=d, other=seen_dept[d])
                )
        entry = grouped.setdefault(code, (name, []))
        entry[1].extend(d for d in depts if d not in entry[1])
    report.refuse_if_problems()
    from fieldkit.store import queries
    from fieldkit.store.models import Directorate

    with profile.write() as session:
        current = {d.code: d for d in queries.directorates(session)}
        real = sorted(code for code, d in current.items() if not d.is_example)
        if example and real:
            raise ValidationError(
                "Ya hay direcciones territoriales reales cargadas ({codes}); la agrupación de "
                "ejemplo no las reemplaza. Edítelas en Catálogos → Direcciones territoriales.",
                codes=", ".join(real),
            )
        for code, d in current.items():
            if code not in grouped:
                d.deleted = True
        for code, (name, depts) in grouped.items():
            row = current.get(code)
            if row is None:
                row = session.get(Directorate, record_id("directorate", code))
                if row is None:
                    row = Directorate(id=record_id("directorate", code), code=code)
                    session.add(row)
                row.deleted = False
            new = (name, ";".join(depts), example)
            if (row.name, row.departments, bool(row.is_example)) == new:
                report.unchanged += 1
                continue
            row.name, row.departments, row.is_example = new
            report.applied += 1
    return report


def set_category(profile: Profile, code: str, category: str | None) -> Changes:
    require_coordinator(profile, N_("cambiar la categoría de un municipio"))
    code = normalize_code(code)
    if category and category not in {c.code for c in categories(profile)}:
        raise ValidationError("Categoría desconocida «{category}».", category=category)
    from fieldkit.store import queries

    with profile.write() as session:
        m = queries.municipality_by_code(session, code)
        if m is None:
            raise NotFoundError("No existe el municipio con código DIVIPOLA {code}.", code=code)
        m.category = category or None
    return Changes.of("municipality")


# The municipality sheet ----------------------------------------------------------------------


class IndicatorRow(NamedTuple):
    indicator: str
    year: int | None
    value: float | None
    source: str


class MunicipalitySheet(NamedTuple):
    municipality: MunicipalityRow
    indicators: list[IndicatorRow]
    assistances: list[object]  # AssistanceRow, filled by the assistances service


def municipality_sheet(profile: Profile, code: str) -> MunicipalitySheet:
    from fieldkit.services import assistances

    row = municipality(profile, code)
    indicators = [
        IndicatorRow(r["indicator"] or "", r["year"], r["value"], r["source"] or "")
        for r in reads.indicator_values(profile.reader, municipality_id(row.code))
    ]
    return MunicipalitySheet(
        row, indicators, assistances.list_assistances(profile, municipality=row.code)
    )


def municipality_id(code: str) -> str:
    return record_id("municipality", code)
