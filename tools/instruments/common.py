"""A tiny DSL to seed fieldkit's XLSForm instruments.

The ``.xlsx`` files in ``src/fieldkit/resources/forms/`` are the source of truth: methodologists
at the central office edit them in a spreadsheet program and publish new versions. These scripts
only wrote the first version of each instrument (so that it could be reviewed as text); once a
methodologist has changed a spreadsheet, do not regenerate it from here (``make_instruments.py``
refuses to overwrite a file unless told ``--force``).

Rows are plain dicts keyed by XLSForm column; every label, hint and message is given as a pair
``(spanish, english)`` and written to the ``::Español (es)`` / ``::English (en)`` columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

ES = "Español (es)"
EN = "English (en)"
LANGS = (ES, EN)

Row = dict[str, str]
Pair = tuple[str, str]

#: Columns translated into both languages (given as a ``(es, en)`` pair).
TRANSLATED = ("label", "hint", "required_message", "constraint_message")
#: Plain columns, in the order they appear on the survey sheet.
PLAIN = (
    "required",
    "constraint",
    "relevant",
    "calculation",
    "default",
    "read_only",
    "appearance",
    "choice_filter",
)
# keyword argument -> XLSForm column
_ALIASES = {
    "required_msg": "required_message",
    "constraint_msg": "constraint_message",
}

SURVEY_COLUMNS = (
    "type",
    "name",
    *(f"label::{lang}" for lang in LANGS),
    *(f"hint::{lang}" for lang in LANGS),
    "required",
    *(f"required_message::{lang}" for lang in LANGS),
    "constraint",
    *(f"constraint_message::{lang}" for lang in LANGS),
    "relevant",
    "calculation",
    "default",
    "read_only",
    "appearance",
    "choice_filter",
)

#: Default message when a required question is left empty.
REQUIRED_MSG: Pair = (
    "Esta pregunta es obligatoria.",
    "This question is required.",
)
#: Constraint for a percentage.
PCT = ". >= 0 and . <= 100"
PCT_MSG: Pair = (
    "Escriba un porcentaje entre 0 y 100.",
    "Enter a percentage between 0 and 100.",
)
NOT_FUTURE = ". <= today()"
NOT_FUTURE_MSG: Pair = (
    "La fecha no puede ser posterior a hoy.",
    "The date cannot be later than today.",
)
NON_NEGATIVE = ". >= 0"
NON_NEGATIVE_MSG: Pair = (
    "El valor no puede ser negativo.",
    "The value cannot be negative.",
)


def _put(row: Row, column: str, value: object) -> None:
    column = _ALIASES.get(column, column)
    if column in TRANSLATED:
        es, en = value  # type: ignore[misc]
        row[f"{column}::{ES}"] = es
        row[f"{column}::{EN}"] = en
    elif column in PLAIN:
        if value is True:
            value = "yes"
        row[column] = str(value)
    else:
        raise ValueError(f"unknown XLSForm column: {column}")


def q(type_: str, name: str, es: str = "", en: str = "", **cols: object) -> Row:
    """One survey row. ``required=True`` adds the default required message unless one is given."""
    row: Row = {"type": type_, "name": name}
    if es or en:
        _put(row, "label", (es, en))
    if cols.get("required") is True and "required_msg" not in cols:
        cols["required_msg"] = REQUIRED_MSG
    for column, value in cols.items():
        if value is not None:
            _put(row, column, value)
    return row


def note(name: str, es: str, en: str, **cols: object) -> Row:
    return q("note", name, es, en, **cols)


def calc(name: str, calculation: str, **cols: object) -> Row:
    """A ``calculate`` row (not shown to the person filling the form)."""
    return q("calculate", name, calculation=calculation, **cols)


def group(name: str, es: str, en: str, rows: Iterable[Row], **cols: object) -> list[Row]:
    return [q("begin_group", name, es, en, **cols), *rows, {"type": "end_group", "name": name}]


def repeat(name: str, es: str, en: str, rows: Iterable[Row], **cols: object) -> list[Row]:
    return [q("begin_repeat", name, es, en, **cols), *rows, {"type": "end_repeat", "name": name}]


def flatten(*parts: Row | Iterable[Row]) -> list[Row]:
    """Rows and lists of rows, in order, as one list."""
    out: list[Row] = []
    for part in parts:
        if isinstance(part, dict):
            out.append(part)
        else:
            out.extend(part)
    return out


def choices(list_name: str, items: Sequence[tuple]) -> list[Row]:
    """Choice rows: ``(value, es, en)`` or ``(value, es, en, {extra_column: value})``."""
    rows: list[Row] = []
    for item in items:
        value, es, en, *extra = item
        row: Row = {
            "list_name": list_name,
            "name": str(value),
            f"label::{ES}": es,
            f"label::{EN}": en,
        }
        for more in extra:
            row.update({k: str(v) for k, v in more.items()})
        rows.append(row)
    return rows


def score(values: Sequence[str], top: int = 3) -> str:
    """``round(100 * (sum of the answers) div (top * n), 0)`` over select_one questions.

    Unanswered questions count as 0 (``coalesce``), so the score is a lower bound until the
    area is complete (the questions it reads are required).
    """
    terms = " + ".join(f"coalesce(${{{v}}}, 0)" for v in values)
    return f"round(100 * ({terms}) div ({top} * {len(values)}), 0)"


def settings(form_id: str, title: str, version: str) -> Row:
    return {
        "form_title": title,
        "form_id": form_id,
        "version": version,
        "default_language": ES,
    }


# ------------------------------------------------------------------------------- writing

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
_FIXED_TIME = datetime(2026, 11, 22, 0, 0, 0)  # document dates that do not change per run


def _sheet(wb: Workbook, title: str, columns: Sequence[str], rows: Iterable[Row]) -> None:
    ws = wb.create_sheet(title)
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise ValueError(f"{title}: unknown columns {sorted(unknown)} in {row}")
        ws.append([row.get(c, "") or None for c in columns])
    ws.freeze_panes = "C2" if title == "survey" else "A2"
    for idx, column in enumerate(columns, start=1):
        letter = ws.cell(row=1, column=idx).column_letter
        wide = column.startswith(("label", "hint", "required_message", "constraint_message"))
        ws.column_dimensions[letter].width = 48 if wide else max(12, min(40, len(column) + 4))
        if wide:
            for cell in ws[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_form(
    path: Path, form_settings: Row, survey_rows: Sequence[Row], choice_rows: Sequence[Row]
) -> Path:
    """Write one XLSForm workbook (``survey``, ``choices``, ``settings``)."""
    names = [r["name"] for r in survey_rows if not r["type"].startswith("end_")]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"{form_settings['form_id']}: duplicate names {dupes}")
    extra = sorted({k for r in choice_rows for k in r} - {"list_name", "name", *_label_cols()})
    choice_columns = ["list_name", "name", *_label_cols(), *extra]

    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, "survey", SURVEY_COLUMNS, survey_rows)
    _sheet(wb, "choices", choice_columns, choice_rows)
    _sheet(wb, "settings", list(form_settings), [form_settings])
    wb.properties.creator = "fieldkit"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _label_cols() -> list[str]:
    return [f"label::{lang}" for lang in LANGS]


# ------------------------------------------------------------------- shared choice lists

#: The maturity scale shared by the diagnostics (value = points, 0–3).
MADUREZ = "madurez"
MADUREZ_CHOICES = choices(
    MADUREZ,
    [
        ("0", "No existe", "Does not exist"),
        ("1", "En construcción", "Under construction"),
        ("2", "Existe pero no se usa", "Exists but is not used"),
        ("3", "Existe y se usa", "Exists and is used"),
    ],
)
MADUREZ_HINT: Pair = (
    "Existe y se usa: está adoptado formalmente y hay evidencia de su aplicación reciente.",
    "Exists and is used: formally adopted, with evidence that it has been applied recently.",
)

SI_NO_CHOICES = choices("si_no", [("si", "Sí", "Yes"), ("no", "No", "No")])
SI_NO_NS_CHOICES = choices(
    "si_no_ns",
    [("si", "Sí", "Yes"), ("no", "No", "No"), ("ns", "No sabe", "Does not know")],
)


def mq(name: str, es: str, en: str, **cols: object) -> Row:
    """A required question on the maturity scale (0 no existe … 3 existe y se usa)."""
    cols.setdefault("hint", MADUREZ_HINT)
    return q(f"select_one {MADUREZ}", name, es, en, required=True, **cols)


def exists(name: str) -> str:
    """Relevance: the instrument asked about in ``name`` exists (used or not)."""
    return f"${{{name}}} >= 2"


def started(name: str) -> str:
    """Relevance: the instrument asked about in ``name`` exists or is under construction."""
    return f"${{{name}}} >= 1"
