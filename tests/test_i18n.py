"""Tests for fieldkit.i18n: lookup, plurals, .po parsing, es_CO formatting and extraction."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from fieldkit import i18n
from fieldkit.i18n import (
    N_,
    PoSyntaxError,
    _,
    available_languages,
    check,
    extract,
    find_messages,
    format_date,
    format_datetime,
    format_number,
    format_po,
    get_language,
    ngettext,
    parse_date,
    parse_po,
    read_po,
    set_language,
)

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "fieldkit"
EN_PO = PACKAGE / "resources" / "locale" / "en.po"

CUSTOM_EN_PO = r"""
msgid ""
msgstr ""
"Language: en\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "Guardar"
msgstr "Save"

msgid "Municipio {code} desconocido"
msgstr "Unknown municipality {code}"

msgid "Sin traducir"
msgstr ""

#, fuzzy
msgid "Borrador"
msgstr "Draft?"

msgid "Hola {nombre}"
msgstr "Hello {name}"

msgid "Estado"
msgstr "State"

msgid "{n} visita"
msgid_plural "{n} visitas"
msgstr[0] "{n} visit"
msgstr[1] "{n} visits"

msgid "{n} archivo de {municipio}"
msgid_plural "{n} archivos de {municipio}"
msgstr[0] "one file from {municipio}"
msgstr[1] ""
"""


@pytest.fixture(autouse=True)
def reset_language(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    set_language("es")
    i18n.clear_cache()
    yield
    set_language("es")
    i18n.clear_cache()


@pytest.fixture
def custom_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    locale = tmp_path / "locale"
    locale.mkdir()
    (locale / "en.po").write_text(CUSTOM_EN_PO, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    i18n.clear_cache()
    return locale


# --------------------------------------------------------------------------- language and lookup


def test_spanish_is_the_default_and_needs_no_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "nothing-here")
    set_language(None)
    assert get_language() == "es"
    assert _("Guardar") == "Guardar"
    assert _("Municipio {code} desconocido", code="99999") == "Municipio 99999 desconocido"
    assert ngettext("{n} visita", "{n} visitas", 1) == "1 visita"
    assert ngettext("{n} visita", "{n} visitas", 3) == "3 visitas"


def test_english_without_catalogue_falls_back_to_spanish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "nothing-here")
    set_language("en")
    assert _("Guardar") == "Guardar"
    assert ngettext("{n} visita", "{n} visitas", 2) == "2 visitas"


def test_broken_catalogue_falls_back_to_spanish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "en.po").write_text('msgid "Guardar"\nmsgstr "Save\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    set_language("en")
    assert _("Guardar") == "Guardar"


def test_language_comes_from_env_unless_set_explicitly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDKIT_LANG", "en_US.UTF-8")
    set_language(None)
    assert get_language() == "en"
    set_language("es")
    assert get_language() == "es"
    monkeypatch.setenv("FIELDKIT_LANG", "fr")
    set_language(None)
    assert get_language() == "es"


def test_set_language_accepts_regional_codes_and_rejects_unknown() -> None:
    set_language("es-CO")
    assert get_language() == "es"
    set_language("EN")
    assert get_language() == "en"
    set_language("es")
    with pytest.raises(ValueError, match="Idioma no disponible: klingon"):
        set_language("klingon")
    assert get_language() == "es"


def test_available_languages_use_native_names() -> None:
    assert available_languages() == [("es", "Español"), ("en", "English")]


def test_english_lookup_in_the_real_catalogue() -> None:
    set_language("en")
    assert (
        _("La fecha {text} no existe.", text="31/02/2026") == "The date 31/02/2026 does not exist."
    )
    assert _("Un texto que nadie tradujo") == "Un texto que nadie tradujo"


@pytest.mark.usefixtures("custom_catalogue")
def test_english_lookup_and_formatting() -> None:
    set_language("en")
    assert _("Guardar") == "Save"
    assert _("Municipio {code} desconocido", code="99999") == "Unknown municipality 99999"
    # Without params braces are left alone, so literal braces need no escaping.
    assert _("Municipio {code} desconocido") == "Unknown municipality {code}"
    set_language("es")
    assert _("Guardar") == "Guardar"


@pytest.mark.usefixtures("custom_catalogue")
def test_empty_and_fuzzy_translations_fall_back_to_the_msgid() -> None:
    set_language("en")
    assert _("Sin traducir") == "Sin traducir"
    assert _("Borrador") == "Borrador"
    assert _("") == ""


@pytest.mark.usefixtures("custom_catalogue")
def test_translation_with_wrong_placeholder_falls_back_to_spanish() -> None:
    set_language("en")
    assert _("Hola {nombre}", nombre="Ana") == "Hola Ana"


def test_missing_param_in_source_text_still_raises() -> None:
    with pytest.raises(KeyError):
        _("Hola {nombre}", otro="Ana")


@pytest.mark.usefixtures("custom_catalogue")
def test_plurals_in_both_languages() -> None:
    assert ngettext("{n} visita", "{n} visitas", 1) == "1 visita"
    assert ngettext("{n} visita", "{n} visitas", 0) == "0 visitas"
    set_language("en")
    assert ngettext("{n} visita", "{n} visitas", 1) == "1 visit"
    assert ngettext("{n} visita", "{n} visitas", 5) == "5 visits"
    assert ngettext("{n} visita", "{n} visitas", 1.5) == "1.5 visits"


@pytest.mark.usefixtures("custom_catalogue")
def test_plural_params_and_partial_translations() -> None:
    singular, plural = "{n} archivo de {municipio}", "{n} archivos de {municipio}"
    set_language("es")
    assert ngettext(singular, plural, 2, municipio="Tumaco") == "2 archivos de Tumaco"
    set_language("en")
    # An incompletely translated plural is ignored as a whole rather than mixing languages.
    assert ngettext(singular, plural, 1, municipio="Tumaco") == "1 archivo de Tumaco"
    assert ngettext(singular, plural, 2, municipio="Tumaco") == "2 archivos de Tumaco"


@pytest.mark.usefixtures("custom_catalogue")
def test_n_marks_without_translating() -> None:
    labels = {"state": N_("Estado")}
    set_language("en")
    assert labels["state"] == "Estado"
    assert _(labels["state"]) == "State"


def test_catalogue_is_parsed_once_and_cached(
    custom_catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fieldkit import i18n_po

    calls: list[Path] = []
    real_read_po = i18n_po.read_po

    def counting_read_po(path: Path) -> i18n_po.PoCatalogue:
        calls.append(path)
        return real_read_po(path)

    # The parser loads lazily (only for English), so it is looked up in its own module.
    monkeypatch.setattr(i18n_po, "read_po", counting_read_po)
    _("Guardar")
    assert calls == []  # Spanish never touches a catalogue
    set_language("en")
    assert _("Guardar") == "Save"
    assert _("Estado") == "State"
    assert calls == [custom_catalogue / "en.po"]


# --------------------------------------------------------------------------- .po parsing

ESCAPED_PO = r"""# Translator comment
msgid ""
msgstr ""
"Project-Id-Version: prueba\n"
"Language: en\n"

#. extracted comment
#: fieldkit/a.py:1 fieldkit/b.py:20
#: fieldkit/c.py:3
#, fuzzy, python-format
msgid ""
"Primera línea\n"
"segunda con \"comillas\" y \\barra"
msgstr ""
"First line\n"
"second with \"quotes\" and \\backslash\tand tab"

msgid "{n} día"
msgid_plural "{n} días"
msgstr[0] "{n} day"
msgstr[1] ""
"{n} "
"days"
msgid "Pegado"
msgstr "Glued"

#~ msgid "Viejo"
#~ msgstr "Old"
"""


def test_parse_multiline_escaped_and_plural_entries(tmp_path: Path) -> None:
    path = tmp_path / "en.po"
    path.write_text(ESCAPED_PO, encoding="utf-8")
    catalogue = read_po(path)

    assert list(catalogue.entries) == [
        "",
        'Primera línea\nsegunda con "comillas" y \\barra',
        "{n} día",
        "Pegado",
    ]
    header = catalogue.entries[""]
    assert header.msgstr == "Project-Id-Version: prueba\nLanguage: en\n"
    assert header.comments == ["# Translator comment"]

    multi = catalogue.entries['Primera línea\nsegunda con "comillas" y \\barra']
    assert multi.msgstr == 'First line\nsecond with "quotes" and \\backslash\tand tab'
    assert multi.references == ["fieldkit/a.py:1", "fieldkit/b.py:20", "fieldkit/c.py:3"]
    assert multi.flags == ["fuzzy", "python-format"]
    assert multi.fuzzy and not multi.is_translated
    assert multi.comments == ["#. extracted comment"]

    plural = catalogue.entries["{n} día"]
    assert plural.msgid_plural == "{n} días"
    assert plural.msgstr_plural == ["{n} day", "{n} days"]
    assert plural.is_translated

    assert catalogue.entries["Pegado"].msgstr == "Glued"
    assert catalogue.trailing_comments == ['#~ msgid "Viejo"', '#~ msgstr "Old"']


def test_format_po_round_trips(tmp_path: Path) -> None:
    catalogue = parse_po(ESCAPED_PO)
    text = format_po(catalogue)
    assert parse_po(text) == catalogue
    assert format_po(parse_po(text)) == text
    if msgfmt := shutil.which("msgfmt"):
        path = tmp_path / "en.po"
        path.write_text(text, encoding="utf-8")
        subprocess.run([msgfmt, "--check-format", "-o", "/dev/null", str(path)], check=True)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('msgid "a"\nmsgstr "b\n', r"<po>:2: expected a quoted string"),
        ('msgstr "b"\n', r"<po>:1: msgstr before msgid"),
        ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', r"duplicate msgid 'a'"),
        ('msgctxt "x"\nmsgid "a"\nmsgstr "b"\n', r"msgctxt is not supported"),
        ('msgid "a\\q"\nmsgstr "b"\n', r"unknown escape \\q"),
        ('msgid "a"\n\n', r"<po>:1: msgid needs exactly one msgstr"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', r"msgid_plural needs msgstr\[N\]"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"\n', r"indices must be 0, 1"),
        ('"suelto"\n', r"<po>:1: string continuation without a keyword"),
        ("msgid a\nmsgstr b\n", r"<po>:1: expected a quoted string"),
    ],
)
def test_parse_errors_name_the_line(text: str, problem: str) -> None:
    with pytest.raises(PoSyntaxError, match=problem):
        parse_po(text)


# --------------------------------------------------------------------------- dates and numbers


def test_format_date_in_both_languages() -> None:
    assert format_date(date(2026, 3, 5)) == "05/03/2026"
    assert format_date(datetime(2026, 12, 31, 23, 59)) == "31/12/2026"
    assert format_date(None) == ""
    set_language("en")
    assert format_date(date(2026, 3, 5)) == "05/03/2026"


def test_format_datetime_uses_local_time_for_aware_values() -> None:
    assert format_datetime(datetime(2026, 3, 5, 9, 7, 59)) == "05/03/2026 09:07"
    assert format_datetime(None) == ""
    aware = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
    local = aware.astimezone()
    assert format_datetime(aware) == local.strftime("%d/%m/%Y %H:%M")


@pytest.mark.parametrize(
    ("value", "decimals", "spanish", "english"),
    [
        (1234.5, None, "1.234,5", "1,234.5"),
        (1234.5, 2, "1.234,50", "1,234.50"),
        (1234567, None, "1.234.567", "1,234,567"),
        (1234567.891, 0, "1.234.568", "1,234,568"),
        (0.125, None, "0,12", "0.12"),
        (2.0, None, "2", "2"),
        (-1234.5, 1, "-1.234,5", "-1,234.5"),
        (-0.001, 2, "0,00", "0.00"),
        (Decimal("9876543210.05"), None, "9.876.543.210,05", "9,876,543,210.05"),
        (12345678901234567890, None, "12.345.678.901.234.567.890", "12,345,678,901,234,567,890"),
        (None, None, "", ""),
    ],
)
def test_format_number(
    value: float | Decimal | None, decimals: int | None, spanish: str, english: str
) -> None:
    assert format_number(value, decimals=decimals) == spanish
    set_language("en")
    assert format_number(value, decimals=decimals) == english


def test_format_number_rejects_negative_decimals() -> None:
    with pytest.raises(ValueError):
        format_number(1, decimals=-1)


@pytest.mark.parametrize("language", ["es", "en"])
def test_parse_date_accepts_typed_and_iso_dates(language: str) -> None:
    set_language(language)
    assert parse_date("05/03/2026") == date(2026, 3, 5)
    assert parse_date(" 5/3/2026 ") == date(2026, 3, 5)
    assert parse_date("2026-03-05") == date(2026, 3, 5)


@pytest.mark.parametrize("text", ["2026/03/05", "05-03-2026", "5/3/26", "ayer", "٠٥/٠٣/٢٠٢٦"])
def test_parse_date_rejects_other_formats_in_spanish(text: str) -> None:
    with pytest.raises(ValueError, match=r"Fecha no válida: «.*»\. Use el formato dd/mm/aaaa\."):
        parse_date(text)


def test_parse_date_errors_in_both_languages() -> None:
    with pytest.raises(ValueError, match=r"^La fecha 31/02/2026 no existe\.$"):
        parse_date("31/02/2026")
    with pytest.raises(ValueError, match=r"^Escriba una fecha con el formato dd/mm/aaaa\.$"):
        parse_date("   ")
    set_language("en")
    with pytest.raises(ValueError, match=r"^The date 2026-02-30 does not exist\.$"):
        parse_date("2026-02-30")
    with pytest.raises(ValueError, match=r"^Invalid date: “mañana”\. Use the format dd/mm/yyyy\.$"):
        parse_date("mañana")


# --------------------------------------------------------------------------- extraction

FAKE_MODULE = """\
from fieldkit import i18n
from fieldkit.i18n import N_, _, ngettext

LABELS = {"a": N_("Estado")}


def show(n: int, name: str) -> list[str]:
    return [
        _("Hola"),
        _("Hola {nombre}", nombre=name),
        ngettext("{n} visita", "{n} visitas", n),
        i18n._("Por atributo"),
        _(name),
        _(""),
        _("Hola"),
    ]
"""


@pytest.fixture
def fake_tree(tmp_path: Path) -> Path:
    root = tmp_path / "pkg"
    (root / "ui").mkdir(parents=True)
    (root / "ui" / "view.py").write_text(FAKE_MODULE, encoding="utf-8")
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "ignored.py").write_text('_("Caché")\n', encoding="utf-8")
    return root


EXISTING_PO = """\
msgid ""
msgstr ""
"Language: en\\n"

# keep this translator note
#: pkg/old.py:1
msgid "Viejo"
msgstr "Old"

msgid "Hola"
msgstr "Hello"
"""


def test_find_messages(fake_tree: Path) -> None:
    found = find_messages(fake_tree)
    assert sorted(found) == ["Estado", "Hola", "Hola {nombre}", "Por atributo", "{n} visita"]
    assert found["Hola"].references == ["pkg/ui/view.py:9", "pkg/ui/view.py:15"]
    assert found["{n} visita"].msgid_plural == "{n} visitas"
    assert found["{n} visita"].formatted
    assert found["Hola {nombre}"].formatted
    assert not found["Hola"].formatted


def test_extract_adds_new_msgids_and_keeps_translations(fake_tree: Path, tmp_path: Path) -> None:
    po = tmp_path / "en.po"
    po.write_text(EXISTING_PO, encoding="utf-8")

    new = extract(fake_tree, po)

    assert new == ["Estado", "Hola {nombre}", "Por atributo", "{n} visita"]
    entries = read_po(po).entries
    assert list(entries) == [
        "",
        "Estado",
        "Hola",
        "Hola {nombre}",
        "Por atributo",
        "Viejo",
        "{n} visita",
    ]
    assert entries[""].msgstr == "Language: en\n"
    assert entries["Hola"].msgstr == "Hello"
    assert entries["Hola"].references == ["pkg/ui/view.py:9", "pkg/ui/view.py:15"]
    assert entries["Viejo"].msgstr == "Old"
    assert entries["Viejo"].comments == ["# keep this translator note"]
    assert entries["Estado"].msgstr == ""
    assert entries["{n} visita"].msgid_plural == "{n} visitas"
    assert entries["{n} visita"].msgstr_plural == ["", ""]
    text = po.read_text(encoding="utf-8")
    assert '#: pkg/ui/view.py:4\nmsgid "Estado"\nmsgstr ""\n' in text
    assert "Caché" not in text

    assert extract(fake_tree, po) == []
    assert po.read_text(encoding="utf-8") == text


def test_extract_dry_run_writes_nothing(fake_tree: Path, tmp_path: Path) -> None:
    po = tmp_path / "en.po"
    po.write_text(EXISTING_PO, encoding="utf-8")
    assert extract(fake_tree, po, dry_run=True) == [
        "Estado",
        "Hola {nombre}",
        "Por atributo",
        "{n} visita",
    ]
    assert po.read_text(encoding="utf-8") == EXISTING_PO
    assert extract(fake_tree, tmp_path / "absent.po", dry_run=True)
    assert not (tmp_path / "absent.po").exists()


def test_extract_creates_a_catalogue_with_a_header(fake_tree: Path, tmp_path: Path) -> None:
    po = tmp_path / "locale" / "en.po"
    extract(fake_tree, po)
    header = read_po(po).entries[""].msgstr
    assert "Language: en\n" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header


def test_check_reports_missing_untranslated_and_bad_placeholders(
    fake_tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = tmp_path / "en.po"
    po.write_text(EXISTING_PO, encoding="utf-8")
    extract(fake_tree, po)
    catalogue = read_po(po)
    catalogue.entries["Estado"].msgstr = "State"
    catalogue.entries["Hola {nombre}"].msgstr = "Hello {name}"
    catalogue.entries["{n} visita"].msgstr_plural = ["one visit", "{n} visits"]
    i18n.write_po(po, catalogue)

    assert check(fake_tree, po) == {
        "Hola {nombre}": "placeholders differ in 'Hello {name}'",
        "Por atributo": "untranslated",
    }
    assert i18n.main(["check", "--root", str(fake_tree), "--po", str(po)]) == 1
    assert "untranslated: 'Por atributo'" in capsys.readouterr().out

    catalogue.entries["Hola {nombre}"].msgstr = "Hello {nombre}"
    catalogue.entries["Por atributo"].msgstr = "By attribute"
    i18n.write_po(po, catalogue)
    assert check(fake_tree, po) == {}
    assert i18n.main(["check", "--root", str(fake_tree), "--po", str(po)]) == 0
    assert check(fake_tree, tmp_path / "absent.po")["Hola"] == "missing"


def test_every_string_is_translated() -> None:
    """Every msgid in src/fieldkit has an English translation: run `python -m fieldkit.i18n
    extract`, then fill in the empty msgstr entries of resources/locale/en.po."""
    missing = extract(PACKAGE, EN_PO, dry_run=True)
    assert missing == [], "run `python -m fieldkit.i18n extract`, then translate these"
    entries = read_po(EN_PO).entries
    untranslated = [m for m in find_messages(PACKAGE) if not entries[m].is_translated]
    assert untranslated == [], "fill in (or un-fuzzy) their msgstr in en.po"
    assert check(PACKAGE, EN_PO) == {}
