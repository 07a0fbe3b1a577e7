"""The XLSForm instruments that ship in ``fieldkit/resources/forms`` are sound.

They are read as a methodologist leaves them (the spreadsheets are the source of truth, the seed
scripts in ``tools/instruments`` only wrote their first version): each converts with pyxform, is
fully bilingual, has a unique id and a version, and every expression parses with fieldkit's
evaluator and names only questions of its own form.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from fieldkit.forms.expressions import parse

FORMS_DIR = Path(str(files("fieldkit") / "resources" / "forms"))
LANGS = ("Español (es)", "English (en)")
EXPRESSION_COLUMNS = ("relevant", "constraint", "calculation", "choice_filter", "default")
TRANSLATED = ("label", "hint", "required_message", "constraint_message")
STRUCTURE = ("begin_group", "end_group", "begin_repeat", "end_repeat")
EXPECTED = {
    "diagnostico_capacidad_institucional",
    "modulo_innovacion_publica",
    "modulo_etnicos_inclusion_genero",
    "modulo_consolidacion_paz",
    "bitacora_visita",
    "encuesta_satisfaccion",
}
# pyxform advice the instruments knowingly leave as is
TOLERATED_WARNINGS = (
    re.compile(r"Use the max-pixels parameter"),
    re.compile(r"uses or_other and translations"),
)
REFERENCE = re.compile(r"\$\{([^}]*)\}")


@dataclass
class Form:
    path: Path
    survey: list[dict] = field(default_factory=list)  # each row has "_row" and "_repeat"
    choices: list[dict] = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    @property
    def names(self) -> set[str]:
        return {r["name"] for r in self.survey if r.get("name")}

    def row(self, name: str) -> dict:
        return next(r for r in self.survey if r.get("name") == name and "end_" not in r["type"])


def _rows(ws) -> list[dict]:
    header = [str(c.value) if c.value is not None else "" for c in ws[1]]
    out = []
    for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        row = {h: str(v).strip() for h, v in zip(header, values, strict=False) if h and v}
        if row:
            row["_row"] = number
            out.append(row)
    return out


def _load(path: Path) -> Form:
    wb = load_workbook(path, read_only=True)
    form = Form(path, _rows(wb["survey"]), _rows(wb["choices"]))
    settings = _rows(wb["settings"])
    form.settings = settings[0] if settings else {}
    wb.close()
    stack: list[str] = []
    for row in form.survey:
        kind = row.get("type", "")
        if kind == "end_repeat":
            stack.pop()
        row["_repeat"] = stack[-1] if stack else None
        if kind == "begin_repeat":
            stack.append(row["name"])
    return form


SHIPPED = sorted(FORMS_DIR.glob("*.xlsx"))
FORMS = {p.stem: _load(p) for p in SHIPPED}


@pytest.fixture(params=sorted(FORMS), ids=str)
def form(request) -> Form:
    return FORMS[request.param]


def test_the_expected_instruments_ship():
    assert set(FORMS) == EXPECTED


def test_converts_with_pyxform(form: Form):
    warnings: list[str] = []
    result = convert(str(form.path), warnings=warnings)
    assert "<h:html" in result.xform
    unexpected = [w for w in warnings if not any(p.search(w) for p in TOLERATED_WARNINGS)]
    assert unexpected == []


def test_settings_have_a_unique_id_and_a_version(form: Form):
    s = form.settings
    assert s["form_id"] == form.path.stem
    assert re.fullmatch(r"20\d{8}", s["version"]), s["version"]
    assert s["default_language"] == LANGS[0]
    assert s["form_title"]
    ids = [f.settings["form_id"] for f in FORMS.values()]
    assert ids.count(s["form_id"]) == 1


def test_every_label_and_message_in_both_languages(form: Form):
    missing = []
    for row in form.survey:
        kind = row["type"]
        if kind in ("calculate", "end_group", "end_repeat"):
            continue
        for lang in LANGS:
            if not row.get(f"label::{lang}"):
                missing.append((row["_row"], "label", lang))
        for column in TRANSLATED[1:]:
            present = [bool(row.get(f"{column}::{lang}")) for lang in LANGS]
            if any(present) and not all(present):
                missing.append((row["_row"], column))
        if row.get("required") == "yes" and not row.get(f"required_message::{LANGS[0]}"):
            missing.append((row["_row"], "required_message"))
        if row.get("constraint") and not row.get(f"constraint_message::{LANGS[0]}"):
            missing.append((row["_row"], "constraint_message"))
    for row in form.choices:
        for lang in LANGS:
            if not row.get(f"label::{lang}"):
                missing.append(("choices", row["_row"], lang))
    assert missing == []


def test_names_are_snake_case_and_unique(form: Form):
    names = [r["name"] for r in form.survey if not r["type"].startswith("end_")]
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", n) for n in names)
    assert len(names) == len(set(names))


def test_expressions_parse_and_name_only_questions_of_the_form(form: Form):
    lists = {}
    for c in form.choices:
        lists.setdefault(c["list_name"], set()).update(k for k in c if not k.startswith("_"))
    problems = []
    for row in form.survey:
        for column in EXPRESSION_COLUMNS:
            text = row.get(column)
            if not text:
                continue
            expr = parse(text)  # raises ExpressionError with the position
            unknown = set(expr.references) - form.names
            if unknown:
                problems.append((row["_row"], column, sorted(unknown)))
            if column == "choice_filter":
                list_name = row["type"].split()[1]
                bare = set(expr.child_names) - lists[list_name]
                if bare:
                    problems.append((row["_row"], column, "no such choice column", bare))
        for column, text in row.items():  # ${name} shown in labels and hints
            if column.startswith(("label::", "hint::")):
                unknown = set(REFERENCE.findall(text)) - form.names
                if unknown:
                    problems.append((row["_row"], column, sorted(unknown)))
    assert problems == []


def test_every_choice_list_referenced_exists(form: Form):
    lists = {c["list_name"] for c in form.choices}
    used = {r["type"].split()[1] for r in form.survey if r["type"].startswith("select_")}
    assert used - lists == set()


# ------------------------------------------------------------------------------- visit log


def test_visit_log_has_the_attendance_repeat():
    log = FORMS["bitacora_visita"]
    inside = {r["name"]: r for r in log.survey if r["_repeat"] == "asistentes"}
    fields = [
        "nombre",
        "tipo_doc",
        "num_doc",
        "sexo",
        "etnia",
        "victima",
        "discapacidad",
        "entidad",
        "cargo",
        "consentimiento",
    ]
    assert set(fields) <= set(inside)
    for name in ("nombre", "sexo", "consentimiento"):
        assert inside[name].get("required") == "yes", name
    assert "regex(., '^[0-9]{5,11}$')" in inside["num_doc"]["constraint"]
    assert "tipo_doc" in inside["num_doc"]["relevant"]
    consent = inside["consentimiento"]
    assert (
        "Ley" in consent[f"label::{LANGS[0]}"] and "1581 de 2012" in consent[f"label::{LANGS[0]}"]
    )
    assert "1581 of 2012" in consent[f"label::{LANGS[1]}"]
    assert consent["constraint"] == ". = 'si'"
    assert inside["sexo"]["type"] == "select_one sexos"
    sexes = {c["name"] for c in log.choices if c["list_name"] == "sexos"}
    assert sexes == {"mujer", "hombre", "intersexual"}


def test_ethnic_self_recognition_has_exactly_the_six_options():
    log = FORMS["bitacora_visita"]
    list_name = log.row("etnia")["type"].split()[1]
    options = [c for c in log.choices if c["list_name"] == list_name]
    assert [c[f"label::{LANGS[0]}"] for c in options] == [
        "Indígena",
        "Negro(a) / afrocolombiano(a)",
        "Raizal",
        "Palenquero(a)",
        "Rrom (gitano)",
        "Ninguno",
    ]


def test_visit_log_totals_add_up_the_attendance_rows():
    log = FORMS["bitacora_visita"]
    assert log.row("n_asistentes")["calculation"] == "count(${asistentes})"
    per_row = [r for r in log.survey if r["_repeat"] == "asistentes" and r["type"] == "calculate"]
    totals = {r["calculation"] for r in log.survey if r["_repeat"] is None and "calculation" in r}
    for row in per_row:
        if row["name"] != "fila":
            assert f"sum(${{{row['name']}}})" in totals, row["name"]


# --------------------------------------------------------------------------- seed scripts


def test_seed_scripts_still_build(tmp_path: Path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    try:
        import make_instruments
    finally:
        sys.path.pop(0)
    done = make_instruments.build_all(tmp_path)
    assert {p.stem for p, what in done if what == "written"} == EXPECTED
