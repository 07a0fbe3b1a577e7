"""Import municipal indicators (MDM, IDF, IPM, NBI…) from the spreadsheets DNP and DANE publish.

Those files are made for people, not programs: title and note rows above a header that may span
two rows (merged cells), DIVIPOLA codes typed as numbers that lost their leading zero, decimal
commas, percent signs, department and total rows, footnotes. The import is in three steps that
the dialog and the command line share:

1. :func:`inspect` reads every sheet, finds its header row and proposes a :class:`Mapping`
   (which column holds the code, the year, the value, and which indicator it is);
2. :func:`preview` applies a mapping without writing: the rows it would import, each with the
   value stored now, and every row it cannot use with its spreadsheet row number and the reason;
3. :func:`import_indicators` writes the new and changed values (coordinators only: indicator
   values are catalog records) in one unit of work, one record per municipality, indicator
   and year.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from fieldkit.domain.errors import ValidationError
from fieldkit.domain.text import fold
from fieldkit.i18n import N_, _, format_number
from fieldkit.services.changes import Changes

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile

# The indicators fieldkit knows by name; any other name may be typed. Acronym -> what it is.
KNOWN_INDICATORS: dict[str, str] = {
    "MDM": N_("Medición del Desempeño Municipal (DNP)"),
    "IDF": N_("Índice de Desempeño Fiscal (DNP)"),
    "IPM": N_("Índice de Pobreza Multidimensional (DANE)"),
    "IMR": N_("Índice Municipal de Riesgo de Desastres (DNP)"),
    "NBI": N_("Necesidades Básicas Insatisfechas (DANE)"),
}
# Words (folded) in a header, sheet name or title that name each indicator.
_INDICATOR_WORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "MDM": (("mdm",), ("desempeno", "municipal")),
    "IDF": (("idf",), ("desempeno", "fiscal")),
    "IPM": (("ipm",), ("pobreza", "multidimensional")),
    "IMR": (("imr",), ("riesgo", "municipal")),
    "NBI": (("nbi",), ("necesidades", "basicas")),
}
MAX_INDICATOR = 30  # IndicatorValue.indicator is String(30)
MAX_SOURCE = 200  # IndicatorValue.source is String(200)
MIN_YEAR = 1990
SUPPORTED = (".xlsx", ".xlsm", ".csv", ".txt")
HEADER_SCAN = 40  # rows searched for the header
SAMPLE_ROWS = 10  # data rows shown in SheetInfo.sample
GUESS_ROWS = 60  # data rows looked at to guess the columns


def max_year() -> int:
    """Years after next year are typing mistakes (a figure is published after its year)."""
    return dt.date.today().year + 1


# Read models ---------------------------------------------------------------------------------


class Mapping(NamedTuple):
    """Which cells of a sheet make the values: columns are 0-based (A = 0).

    ``year_column`` None means the fixed ``year`` applies to every row (files with one year per
    sheet, or one year per column: pick that column as the value). ``header_row`` is the
    1-based row of the column names; None detects it. ``source`` is stored with every value.
    """

    sheet: str
    code_column: int
    year_column: int | None
    value_column: int
    indicator: str
    year: int | None = None
    header_row: int | None = None
    source: str = ""


class SheetInfo(NamedTuple):
    """One sheet as found: its header row (1-based, None if none was recognized), the column
    names (a header over two rows is joined, «IPM Total»; unnamed ones are «Columna C»), the
    first data rows as text, and the proposed mapping (None when nothing fits)."""

    name: str
    header_row: int | None
    columns: tuple[str, ...]
    sample: tuple[tuple[str, ...], ...]
    guess: Mapping | None


class Problem(NamedTuple):
    """A row that is not imported: its 1-based spreadsheet row number and why, in Spanish."""

    row: int
    reason: str


class PreviewRow(NamedTuple):
    """A value the import writes or confirms; ``existing`` is the value stored now (or None)."""

    row: int
    code: str
    municipality: str
    year: int
    value: float
    existing: float | None

    @property
    def state(self) -> str:
        """ "new", "changed" or "unchanged" against the stored value."""
        if self.existing is None:
            return "new"
        return "unchanged" if same_value(self.existing, self.value) else "changed"


STATE_LABELS = {"new": N_("nuevo"), "changed": N_("cambia"), "unchanged": N_("igual")}


class Preview(NamedTuple):
    """What an import does: the usable rows in file order, the unusable ones with reasons, and
    how many values are new, change a stored value, or are already stored as in the file."""

    rows: tuple[PreviewRow, ...]
    problems: tuple[Problem, ...]
    new: int
    changed: int
    unchanged: int

    def summary(self) -> str:
        return _(
            "{new} valores nuevos, {changed} actualizados, {skipped} filas no usadas",
            new=format_number(self.new),
            changed=format_number(self.changed),
            skipped=format_number(len(self.problems)),
        )


def same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


# Reading the file ----------------------------------------------------------------------------

Cell = str | int | float | dt.datetime | dt.date | dt.time | None
Row = tuple[Cell, ...]


class _Sheet(NamedTuple):
    name: str
    rows: tuple[Row, ...]  # rows[0] is spreadsheet row 1


def _load(path: Path) -> tuple[_Sheet, ...]:
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise ValidationError(
            "No se pudo leer {path}: {error}", path=str(path), error=exc.strerror or str(exc)
        ) from exc
    return _load_cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=2)
def _load_cached(path: str, _mtime: int, _size: int) -> tuple[_Sheet, ...]:
    # The dialog inspects, then previews again and again while the person adjusts the mapping:
    # the file is read once for as long as it does not change on disk.
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _load_xlsx(file)
    if suffix in (".csv", ".txt"):
        return (_load_csv(file),)
    if suffix == ".xls":
        raise ValidationError(
            "{path} está en el formato antiguo de Excel (.xls). Ábralo y guárdelo como libro de "
            "Excel (.xlsx) o como CSV, e inténtelo de nuevo.",
            path=file.name,
        )
    raise ValidationError(
        "{path} no es una hoja de cálculo que fieldkit lea. Use un libro de Excel (.xlsx) o un "
        "archivo CSV.",
        path=file.name,
    )


def _load_xlsx(path: Path) -> tuple[_Sheet, ...]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ValidationError(
            "No se pudo abrir {path} como libro de Excel: {error}. Ábralo en la hoja de cálculo "
            "y guárdelo de nuevo como .xlsx.",
            path=path.name,
            error=str(exc) or type(exc).__name__,
        ) from exc
    try:
        sheets = []
        for ws in book.worksheets:
            if not hasattr(ws, "reset_dimensions"):
                continue  # a chart sheet
            # Files written by other programs often declare a wrong size; read what is there.
            ws.reset_dimensions()
            rows: list[Row] = []
            for cells in ws.iter_rows():
                number = next((c.row for c in cells if getattr(c, "row", None)), None)
                while number is not None and len(rows) < number - 1:
                    rows.append(())
                rows.append(_trim(tuple(_cell_value(c) for c in cells)))
            while rows and not rows[-1]:
                rows.pop()
            sheets.append(_Sheet(ws.title, tuple(rows)))
        return tuple(sheets)
    finally:
        book.close()


def _cell_value(cell: object) -> Cell:
    value = getattr(cell, "value", None)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        # A cell formatted as a percentage holds 0.453 and shows «45,3 %»: keep what people see.
        if "%" in (getattr(cell, "number_format", None) or ""):
            return round(float(value) * 100, 10)
        return value
    if isinstance(value, str):
        return value if value.strip() else None
    return value  # type: ignore[return-value]


def _trim(row: Row) -> Row:
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return row[:end]


def _decode(raw: bytes) -> str:
    # Spreadsheet programs in Colombia save CSV as UTF-8 (with or without BOM) or Windows-1252 /
    # Latin-1; Latin-1 decodes any byte, so it is the last resort.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _delimiter(lines: Sequence[str]) -> str:
    """The separator that splits the most lines into the same number (above one) of fields.

    Counting characters would fail on «;» files with decimal commas; a consistent split does not.
    Ties go to «;», the separator of spreadsheet programs set to Spanish.
    """
    import csv
    from collections import Counter

    best, best_score = ",", (0, 0)
    for delimiter in (";", "\t", ","):
        widths = Counter(
            len(fields) for fields in csv.reader(lines, delimiter=delimiter) if len(fields) > 1
        )
        if not widths:
            continue
        width, count = widths.most_common(1)[0]
        if (count, width) > best_score:
            best, best_score = delimiter, (count, width)
    return best


def _load_csv(path: Path) -> _Sheet:
    import csv
    import io

    raw = path.read_bytes()
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or b"\x00" in raw[:4096]:
        raise ValidationError(
            "{path} no es un archivo CSV de texto (parece una hoja de cálculo u otro archivo "
            "binario). Si es un libro de Excel, cambie su extensión a .xlsx.",
            path=path.name,
        )
    text = _decode(raw)
    sample = [line for line in text.splitlines() if line.strip()][:60]
    if not sample:
        raise ValidationError("{path} está vacío.", path=path.name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(sample))
    rows: list[Row] = []
    for fields in reader:
        rows.append(_trim(tuple(f.strip() or None for f in fields)))
    while rows and not rows[-1]:
        rows.pop()
    return _Sheet(path.stem, tuple(rows))


# Cells ---------------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)*|[.,]\d+)")
_NO_DATA = frozenset(
    {"-", "--", "—", "–", ".", "..", "...", "nd", "n.d", "n.d.", "n/d", "na", "n.a", "n.a.",
     "n/a", "s.d", "s.d.", "sd", "s/d", "sin dato", "sin informacion", "no aplica", "x", "*"}
)  # fmt: skip
_FOOTNOTE_STARTS = (
    "fuente", "nota", "*", "(*", "elaboracion", "elaborado", "calculos", "fecha de",
    "para mas", "consulte", "actualizado", "corte", "p:", "pr:", "(p)", "(pr)",
)  # fmt: skip


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, as the spreadsheet shows it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(text: str) -> int:
    """«C» -> 2, «AA» -> 26 (0-based, for the command line); ValidationError otherwise."""
    letters = text.strip().upper()
    if not letters.isascii() or not letters.isalpha() or len(letters) > 3:
        raise ValidationError(
            "«{text}» no es una columna: use su letra, como en la hoja de cálculo (A, B, C…).",
            text=text,
        )
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def cell_text(cell: Cell) -> str:
    """A cell as a person reads it: whole numbers without «.0», others with a decimal comma."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        if cell.is_integer():
            return str(int(cell))
        return format_number(cell, None if abs(cell) >= 0.01 else 6)
    if isinstance(cell, dt.datetime | dt.date):
        return cell.strftime("%d/%m/%Y")
    return str(cell).strip()


def _quote(cell: Cell, limit: int = 60) -> str:
    text = " ".join(cell_text(cell).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _code_text(cell: Cell) -> str:
    """The code as digits when it is one: 5001, 5001.0, « 05001 », «'05001», «05 001»."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, int):
        return str(cell)
    text = cell_text(cell).lstrip("'")
    compact = _SPACES.sub("", text)
    if whole := re.fullmatch(r"(\d+)[.,]0+", compact):
        compact = whole.group(1)
    return compact if compact.isdigit() else text


def _number_style(texts: Sequence[str]) -> str:
    """How the text numbers of one column are written: "es" (1.234,5), "en" (1,234.5) or
    "plain" (1234.5, as programs write). One value with a decimal comma decides a column."""
    style = "plain"
    for text in texts:
        if "," in text and "." in text:
            return "en" if text.rfind(".") > text.rfind(",") else "es"
        if text.count(",") > 1:
            return "en"
        if "," in text:
            style = "es"
    return style


def parse_number(cell: Cell, style: str = "es") -> float | None:
    """A number from a cell: «62,35», «1.234,5», «45 %», «−3,2»; None when there is none."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell) if math.isfinite(cell) else None
    if not isinstance(cell, str):
        return None
    text = _SPACES.sub("", cell).replace("\u2212", "-").replace("$", "")
    text = text.removesuffix("%")
    if not text or not _NUMBER.fullmatch(text):
        return None
    if style == "en":
        text = text.replace(",", "")
    elif style == "es" or ("," in text and "." not in text):
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_year(cell: Cell) -> int | None:
    """A year from a cell: 2022, 2022.0, «2022», «Vigencia 2022»; None otherwise."""
    if isinstance(cell, dt.date):
        return cell.year
    code = _code_text(cell)
    if code.isdigit():
        return int(code) if len(code) == 4 else None
    found = _YEAR.findall(cell_text(cell))
    return int(found[0]) if len(found) == 1 else None


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", fold(text)))


def indicator_in(text: str) -> str | None:
    """The known indicator a header, sheet name, title or file name speaks of, if one."""
    words = _words(text.replace("_", " "))
    for acronym, options in _INDICATOR_WORDS.items():
        if any(all(w in words for w in option) for option in options):
            return acronym
    return None


# Header --------------------------------------------------------------------------------------

_HEADER_WORDS = frozenset(
    {"codigo", "cod", "divipola", "dane", "municipio", "municipios", "mpio", "municipal",
     "departamento", "depto", "dpto", "entidad", "ano", "anio", "vigencia", "periodo", "year",
     "valor", "puntaje", "indice", "indicador", "resultado", "resultados", "total", "nombre",
     "mdm", "idf", "ipm", "imr", "nbi", "ranking", "posicion", "puesto", "grupo", "calificacion",
     "rango", "incidencia", "porcentaje", "categoria", "code", "name", "value"}
)  # fmt: skip


def _is_text(cell: Cell) -> bool:
    return isinstance(cell, str) and parse_number(cell) is None and bool(cell.strip())


def _header_like(cell: Cell) -> bool:
    return _is_text(cell) and len(str(cell)) <= 80 and bool(_words(str(cell)) & _HEADER_WORDS)


def detect_header(rows: Sequence[Row]) -> int | None:
    """1-based row of the column names: the first row with two cells that look like names
    («Código», «Municipio», «Año», «Puntaje MDM»…); a title in one cell never qualifies."""
    for index, row in enumerate(rows[:HEADER_SCAN]):
        if sum(1 for cell in row if _header_like(cell)) >= 2:
            return index + 1
    # No known words: the first row of two or more texts followed by a row with a number.
    for index, row in enumerate(rows[:HEADER_SCAN]):
        if sum(1 for cell in row if _is_text(cell)) >= 2:
            after = next(
                (r for r in rows[index + 1 : index + 4] if any(c is not None for c in r)), ()
            )
            if any(parse_number(c) is not None for c in after):
                return index + 1
    return None


def _continues_header(row: Row) -> bool:
    """A second header row (under merged cells): texts only, no numbers."""
    cells = [c for c in row if c is not None]
    return bool(cells) and all(_is_text(c) for c in cells)


def _header_levels(rows: Sequence[Row], header_row: int) -> list[Row]:
    levels = [rows[header_row - 1]]
    for row in rows[header_row : header_row + 2]:
        if not _continues_header(row) or _footnote(row):
            break
        levels.append(row)
    return levels


def _column_names(levels: Sequence[Row], width: int) -> tuple[str, ...]:
    """Join a header over several rows: a group title merged over sub-columns («IPM» over
    «Total», «Cabeceras»…) is carried to each of them («IPM Total», «IPM Cabeceras»)."""
    texts = [[cell_text(row[i]) if i < len(row) else "" for i in range(width)] for row in levels]
    filled = [list(level) for level in texts]
    for depth in range(len(texts) - 1):
        below = texts[depth + 1]
        carry = ""
        for i in range(width):
            if texts[depth][i]:
                carry = texts[depth][i] if below[i] else ""
            elif carry and below[i]:
                filled[depth][i] = carry
            else:
                carry = ""
    names = []
    for i in range(width):
        parts: list[str] = []
        for level in filled:
            text = " ".join(level[i].split())
            if text and text not in parts:
                parts.append(text)
        names.append(" ".join(parts) or _("Columna {letter}", letter=column_letter(i)))
    return tuple(names)


def _footnote(row: Row) -> str | None:
    """The text of a note row («Fuente: DNP…», «* Nota…», «(1) …»), None for other rows."""
    cells = [c for c in row if c is not None and cell_text(c)]
    if not cells or not isinstance(cells[0], str):
        return None
    first = fold(cells[0])
    if first.startswith(_FOOTNOTE_STARTS) or re.match(r"\(?\d{1,2}\)\s", first):
        return cell_text(cells[0])
    if len(cells) == 1 and len(first) > 40 and parse_number(cells[0]) is None:
        return cell_text(cells[0])
    return None


# Guessing the mapping ------------------------------------------------------------------------

_CODE_NAME = {"divipola": 3.0, "codigo": 2.0, "cod": 2.0, "code": 2.0, "dane": 1.0}
_MUNICIPAL = frozenset(
    {"municipio", "municipios", "mpio", "mun", "municipal", "dane", "divipola", "entidad"}
)
_DEPARTMENT = frozenset({"departamento", "depto", "dpto", "departamental"})
_YEAR_NAME = frozenset({"ano", "anio", "vigencia", "periodo", "year"})
_VALUE_NAME = frozenset(
    {"puntaje", "total", "indice", "valor", "resultado", "incidencia", "calificacion", "value"}
)
_NOT_VALUE = frozenset(
    {"ranking", "puesto", "posicion", "grupo", "rango", "componente", "cabecera", "cabeceras",
     "rural", "disperso", "centros", "poblados", "codigo", "cod", "poblacion", "numero", "nivel",
     "categoria", "clasificacion"}
)  # fmt: skip


def _data_rows(rows: Sequence[Row], start: int, limit: int | None = None) -> list[Row]:
    found = []
    for row in rows[start:]:
        if any(c is not None for c in row) and _footnote(row) is None:
            found.append(row)
            if limit is not None and len(found) >= limit:
                break
    return found


def _column(rows: Sequence[Row], index: int) -> list[Cell]:
    return [row[index] for row in rows if index < len(row) and row[index] is not None]


def _share(cells: Sequence[Cell], test) -> float:  # type: ignore[no-untyped-def]
    return sum(1 for c in cells if test(c)) / len(cells) if cells else 0.0


def _looks_like_code(cell: Cell) -> bool:
    code = _code_text(cell)
    return code.isdigit() and len(code) in (4, 5)


def _looks_like_year(cell: Cell) -> bool:
    year = parse_year(cell) if not isinstance(cell, str) or _code_text(cell).isdigit() else None
    return year is not None and MIN_YEAR <= year <= max_year()


def _guess(
    sheet: _Sheet, header_row: int, names: Sequence[str], data: Sequence[Row], path: Path
) -> Mapping | None:
    width = len(names)
    words = [_words(n) for n in names]
    columns = [_column(data, i) for i in range(width)]

    years = [
        i
        for i in range(width)
        if words[i] & _YEAR_NAME
        and columns[i]
        and _share(columns[i], lambda c: parse_year(c) is not None) >= 0.5
    ]
    year_column = years[0] if years else None

    code_column, best = None, 0.0
    for i in range(width):
        if i == year_column or not columns[i] or _share(columns[i], _looks_like_year) >= 0.8:
            continue
        share = _share(columns[i], _looks_like_code)
        if share < 0.5:
            continue
        score = max((_CODE_NAME.get(w, 0.0) for w in words[i]), default=0.0)
        if words[i] & _MUNICIPAL:
            score += 1.5
        if words[i] & _DEPARTMENT and not words[i] & _MUNICIPAL:
            score -= 3
        score += share
        if score > best:
            code_column, best = i, score
    if code_column is None:
        return None

    titles = " ".join(cell_text(c) for row in sheet.rows[: header_row - 1] for c in row if c)
    value_column, best = None, -math.inf
    for i in range(width):
        if i in (code_column, year_column) or not columns[i]:
            continue
        if _share(columns[i], lambda c: parse_number(c) is not None) < 0.5:
            continue
        score = 0.0
        if indicator_in(names[i]):
            score += 3
        if words[i] & _VALUE_NAME:
            score += 1
        if words[i] & _NOT_VALUE:
            score -= 5
        bare_year = parse_year(names[i]) if _code_text(names[i]).isdigit() else None
        if bare_year is not None:
            score += 1.5 + bare_year / 10_000  # a year per column: the latest
        if score > best:
            value_column, best = i, score
    if value_column is None:
        return None

    indicator = (
        indicator_in(names[value_column])
        or indicator_in(sheet.name)
        or indicator_in(titles)
        or indicator_in(path.stem)
        or ""
    )
    year = None
    if year_column is None:
        for text in (names[value_column], sheet.name, titles, path.stem.replace("_", " ")):
            found = [int(y) for y in _YEAR.findall(text) if MIN_YEAR <= int(y) <= max_year()]
            if found:
                year = max(found)
                break
    return Mapping(
        sheet=sheet.name,
        code_column=code_column,
        year_column=year_column,
        value_column=value_column,
        indicator=indicator,
        year=year,
        header_row=header_row,
        source=_guess_source(sheet, path),
    )


def _guess_source(sheet: _Sheet, path: Path) -> str:
    """The «Fuente: …» note of the sheet when it has one, else the file's name."""
    for row in sheet.rows:
        for cell in row:
            if isinstance(cell, str) and fold(cell).startswith("fuente"):
                text = " ".join(cell.split(":", 1)[-1].split()).strip(" .")
                if text:
                    return text[:MAX_SOURCE]
    return path.name[:MAX_SOURCE]


# Inspect ---------------------------------------------------------------------------------------


def _width(rows: Sequence[Row]) -> int:
    return max((len(r) for r in rows), default=0)


def _info(sheet: _Sheet, path: Path, header_row: int | None) -> SheetInfo:
    rows = sheet.rows
    if header_row is None:
        header_row = detect_header(rows)
    if header_row is None or header_row > len(rows):
        width = _width(rows[:HEADER_SCAN])
        sample = tuple(
            tuple(cell_text(r[i]) if i < len(r) else "" for i in range(width))
            for r in rows[:SAMPLE_ROWS]
        )
        names = tuple(_("Columna {letter}", letter=column_letter(i)) for i in range(width))
        return SheetInfo(sheet.name, None, names, sample, None)
    levels = _header_levels(rows, header_row)
    start = header_row - 1 + len(levels)
    data = _data_rows(rows, start, GUESS_ROWS)
    width = max(_width(levels), _width(data))
    names = _column_names(levels, width)
    sample = tuple(
        tuple(cell_text(r[i]) if i < len(r) else "" for i in range(width))
        for r in data[:SAMPLE_ROWS]
    )
    return SheetInfo(
        sheet.name, header_row, names, sample, _guess(sheet, header_row, names, data, path)
    )


def inspect(path: Path) -> list[SheetInfo]:
    """Every sheet of a workbook (.xlsx, .xlsm; read-only, cached values of formulas) or the one
    table of a CSV file (separator «;», «,» or tab; UTF-8 or Latin-1), with its header row, its
    column names, a sample and the proposed mapping, in the workbook's order."""
    path = Path(path)
    return [_info(sheet, path, None) for sheet in _load(path)]


def describe(path: Path, sheet: str, header_row: int | None = None) -> SheetInfo:
    """One sheet as :func:`inspect` sees it, with the header at ``header_row`` (1-based) when
    given: the dialog calls it when the person corrects the header row."""
    return _info(_sheet(Path(path), sheet), Path(path), header_row)


def _sheet(path: Path, name: str) -> _Sheet:
    sheets = _load(path)
    if len(sheets) == 1 and path.suffix.lower() in (".csv", ".txt"):
        return sheets[0]  # a CSV has one table whatever the mapping calls it
    for sheet in sheets:
        if sheet.name == name:
            return sheet
    raise ValidationError(
        "{path} no tiene la hoja «{sheet}». Hojas: {sheets}.",
        path=path.name,
        sheet=name,
        sheets=", ".join(s.name for s in sheets),
    )


# Preview -------------------------------------------------------------------------------------


def canonical_indicator(name: str, in_use: Sequence[str] = ()) -> str:
    """«mdm » -> «MDM»; a name already in the database keeps its spelling («Ipm» -> «IPM»)."""
    text = " ".join(name.split())
    for known in (*KNOWN_INDICATORS, *in_use):
        if fold(known) == fold(text):
            return known
    return text


def indicator_names(profile: Profile) -> list[str]:
    """Known indicators first, then those already in the database (for the dialog's combo)."""
    from fieldkit.store import indicators as store

    names = list(KNOWN_INDICATORS)
    for name in store.names(profile.reader):
        if all(fold(name) != fold(n) for n in names):
            names.append(name)
    return names


def _check(mapping: Mapping, width: int, in_use: Sequence[str]) -> str:
    indicator = canonical_indicator(mapping.indicator, in_use)
    if not indicator:
        raise ValidationError("Escriba el nombre del indicador (por ejemplo MDM, IDF o IPM).")
    if len(indicator) > MAX_INDICATOR:
        raise ValidationError(
            "El nombre del indicador no puede pasar de {n} caracteres; use la sigla.",
            n=MAX_INDICATOR,
        )
    if len(mapping.source.strip()) > MAX_SOURCE:
        raise ValidationError("La fuente no puede pasar de {n} caracteres.", n=MAX_SOURCE)
    columns = [mapping.code_column, mapping.value_column]
    if mapping.year_column is not None:
        columns.append(mapping.year_column)
    for index in columns:
        if not 0 <= index < max(width, 1):
            raise ValidationError(
                "La columna {letter} no existe en la hoja: elija otra.",
                letter=column_letter(max(index, 0)),
            )
    if len(set(columns)) < len(columns):
        raise ValidationError("El código, el año y el valor deben estar en columnas distintas.")
    if mapping.year_column is None:
        if mapping.year is None:
            raise ValidationError("Indique la columna del año o un año fijo para todas las filas.")
        if not MIN_YEAR <= mapping.year <= max_year():
            raise ValidationError(
                "El año {year} está fuera del rango aceptado ({first} a {last}).",
                year=mapping.year,
                first=MIN_YEAR,
                last=max_year(),
            )
    return indicator


class _Analysis(NamedTuple):
    indicator: str
    rows: list[PreviewRow]
    problems: list[Problem]


def _analyse(profile: Profile, path: Path, mapping: Mapping) -> _Analysis:
    from fieldkit.store import indicators as store
    from fieldkit.store import reads

    path = Path(path)
    sheet = _sheet(path, mapping.sheet)
    rows = sheet.rows
    header_row = mapping.header_row or detect_header(rows)
    if header_row is None:
        raise ValidationError(
            "No se encontró la fila de encabezado en la hoja «{sheet}»: indique en qué fila "
            "están los nombres de las columnas.",
            sheet=sheet.name,
        )
    if not 1 <= header_row <= len(rows):
        raise ValidationError(
            "La hoja «{sheet}» tiene {n} filas: la fila de encabezado {row} no existe.",
            sheet=sheet.name,
            n=len(rows),
            row=header_row,
        )
    in_use = store.names(profile.reader)
    width = _width(rows)
    indicator = _check(mapping, width, in_use)
    start = header_row - 1 + len(_header_levels(rows, header_row))

    municipalities: dict[str, str] = {}
    departments: set[str] = set()
    for m in reads.municipalities(profile.reader):
        municipalities[m["code"]] = m["name"] or ""
        departments.add(fold(m["department"] or ""))
    departments.update({"bogota", "bogota d.c.", "bogota, d.c.", "san andres"})
    stored: dict[tuple[str, int], float | None] = {}
    for r in store.values(profile.reader):
        if fold(r["indicator"] or "") == fold(indicator) and r["year"] is not None:
            stored.setdefault((r["code"], r["year"]), r["value"])

    style = _number_style(
        [
            row[mapping.value_column]  # type: ignore[misc]
            for row in rows[start:]
            if len(row) > mapping.value_column and isinstance(row[mapping.value_column], str)
        ]
    )
    last_year = max_year()
    found: dict[tuple[str, int], PreviewRow] = {}
    problems: list[Problem] = []

    def refuse(number: int, reason: str) -> None:
        problems.append(Problem(number, reason))

    for offset, row in enumerate(rows[start:]):
        number = start + offset + 1
        if all(c is None or not cell_text(c) for c in row):
            continue  # blank rows separate blocks; nothing to say about them
        code_cell = row[mapping.code_column] if mapping.code_column < len(row) else None
        code = _code_text(code_cell)
        if not code.isdigit():
            refuse(number, _not_a_code(row, code_cell, code, departments))
            continue
        if len(code) <= 2:
            refuse(
                number,
                _("fila de departamento (código {code}), no de un municipio", code=code.zfill(2)),
            )
            continue
        if len(code) not in (4, 5):
            refuse(
                number, _("el código «{code}» no tiene los 5 dígitos de un municipio", code=code)
            )
            continue
        code = code.zfill(5)
        if code not in municipalities:
            refuse(number, _("el código {code} no está en DIVIPOLA", code=code))
            continue
        if mapping.year_column is None:
            assert mapping.year is not None
            year = mapping.year
        else:
            year_cell = row[mapping.year_column] if mapping.year_column < len(row) else None
            parsed = parse_year(year_cell)
            if year_cell is None:
                refuse(number, _("falta el año"))
                continue
            if parsed is None:
                refuse(number, _("el año «{text}» no es un año", text=_quote(year_cell)))
                continue
            if not MIN_YEAR <= parsed <= last_year:
                refuse(
                    number,
                    _(
                        "el año {year} está fuera del rango aceptado ({first} a {last})",
                        year=parsed,
                        first=MIN_YEAR,
                        last=last_year,
                    ),
                )
                continue
            year = parsed
        value_cell = row[mapping.value_column] if mapping.value_column < len(row) else None
        value = parse_number(value_cell, style)
        if value is None:
            text = fold(cell_text(value_cell))
            if not text:
                refuse(number, _("falta el valor"))
            elif text in _NO_DATA:
                refuse(number, _("sin dato («{text}»)", text=_quote(value_cell)))
            else:
                refuse(number, _("el valor «{text}» no es un número", text=_quote(value_cell)))
            continue
        key = (code, year)
        earlier = found.pop(key, None)
        if earlier is not None:
            refuse(
                earlier.row,
                _(
                    "repetida: la fila {row} trae otra vez el municipio {code} en {year}; "
                    "se usa la última",
                    row=number,
                    code=code,
                    year=year,
                ),
            )
        found[key] = PreviewRow(number, code, municipalities[code], year, value, stored.get(key))
    ordered = sorted(found.values(), key=lambda r: r.row)
    problems.sort(key=lambda p: p.row)
    return _Analysis(indicator, ordered, problems)


def _not_a_code(row: Row, cell: Cell, code: str, departments: set[str]) -> str:
    """Why a row whose code cell holds no digits is not a municipality's value."""
    texts = [c for c in row if isinstance(c, str) and c.strip()]
    total = next((c for c in texts if fold(c).startswith("total")), None)
    if total is not None:
        return _("fila de totales («{text}»), no de un municipio", text=_quote(total))
    note = _footnote(row)
    if note is not None:
        return _("nota o texto al pie, no es un dato: «{text}»", text=_quote(note))
    names = [c for c in texts if parse_number(c) is None]
    department = names[0] if names and all(fold(c) in departments for c in names) else None
    if department is not None and not code:
        return _("fila de departamento («{name}»), no de un municipio", name=_quote(department))
    if not code:
        return _("falta el código DIVIPOLA del municipio")
    return _("el código «{code}» no es un código DIVIPOLA", code=_quote(cell))


def _preview(rows: Sequence[PreviewRow], problems: Sequence[Problem]) -> Preview:
    states = [r.state for r in rows]
    return Preview(
        tuple(rows),
        tuple(problems),
        states.count("new"),
        states.count("changed"),
        states.count("unchanged"),
    )


def preview(profile: Profile, path: Path, mapping: Mapping) -> Preview:
    """What :func:`import_indicators` would do with ``mapping``, without writing anything.

    Rows above the header are titles and are ignored; blank rows are skipped silently; every
    other row is either a :class:`PreviewRow` or a :class:`Problem` with its reason (a
    department or total row, a footnote, a code not in DIVIPOLA, a year out of range, a value
    that is not a number…). When a municipality and year appear twice the last row wins and
    the earlier one is listed as a problem. Any profile may preview.
    """
    analysis = _analyse(profile, path, mapping)
    return _preview(analysis.rows, analysis.problems)


def import_indicators(profile: Profile, path: Path, mapping: Mapping) -> tuple[Preview, Changes]:
    """Write the new and changed values of ``mapping`` (coordinators only) in one transaction.

    One record per municipality + indicator + year: a value already stored is updated in place,
    never duplicated, and an unchanged one is not touched (importing the same file twice writes
    nothing the second time). New records get an id derived from municipality, indicator and
    year, so two offices importing the same file create the same record and meet in a merge.
    The source is stored with new and changed values when given. Returns the preview as it was
    before writing (its counts are what was written) and what changed.
    """
    from fieldkit.services.catalog import record_id
    from fieldkit.services.profile import require_coordinator

    require_coordinator(profile, N_("importar indicadores municipales"))
    analysis = _analyse(profile, path, mapping)
    if not analysis.rows:
        details = "\n".join(
            _("fila {row}: {reason}", row=p.row, reason=p.reason) for p in analysis.problems[:10]
        )
        raise ValidationError(
            "Ninguna fila de la hoja «{sheet}» se puede importar. Revise las columnas elegidas."
            "\n{details}",
            sheet=mapping.sheet,
            details=details,
        )
    pending = [r for r in analysis.rows if r.state != "unchanged"]
    if not pending:
        return _preview(analysis.rows, analysis.problems), Changes()

    from fieldkit.store import indicators as store
    from fieldkit.store import queries
    from fieldkit.store.models import IndicatorValue

    profile.store.backup("antes-de-importar-indicadores")
    indicator = analysis.indicator
    key = fold(indicator)
    source = " ".join(mapping.source.split()) or None
    final: dict[int, PreviewRow] = {r.row: r for r in analysis.rows}
    with profile.write() as session:
        ids = {m.code: m.id for m in queries.municipalities(session)}
        current: dict[tuple[str | None, int | None], IndicatorValue] = {}
        by_id: dict[str, IndicatorValue] = {}
        for record in store.records(session):
            by_id[record.id] = record
            if not record.deleted and fold(record.indicator or "") == key:
                current.setdefault((record.municipality_id, record.year), record)
        for row in pending:
            municipality = ids[row.code]
            record = current.get((municipality, row.year))
            # Re-read inside the transaction: another write may have landed since the preview.
            existing = record.value if record is not None else None
            final[row.row] = row._replace(existing=existing)
            if record is None:
                rid = record_id("indicator_value", f"{row.code}:{key}:{row.year}")
                record = by_id.get(rid)
                if record is None:
                    record = IndicatorValue(id=rid)
                    session.add(record)
                record.deleted = False
                record.municipality_id = municipality
                record.indicator = indicator
                record.year = row.year
                record.source = source
            elif existing is not None and same_value(existing, row.value):
                continue
            elif source:
                record.source = source
            record.value = row.value
    return _preview([final[r.row] for r in analysis.rows], analysis.problems), Changes.of(
        "indicator_value"
    )
