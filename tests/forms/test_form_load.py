"""Loading XLSForms: every supported type and column, languages, and the shapes ODK and
KoboToolbox users write."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from xlsform_files import write_xlsform, xlsform_bytes

from fieldkit.forms import (
    FormError,
    FormState,
    Group,
    Question,
    Repeat,
    Translated,
    check_form,
    load_form,
)

ES, EN = "label::Español (es)", "label::English (en)"


def every_type(tmp_path: Path) -> Path:
    survey = [
        (
            "type",
            "name",
            ES,
            EN,
            "hint::Español (es)",
            "hint::English (en)",
            "required",
            "required_message::Español (es)",
            "constraint",
            "constraint_message::Español (es)",
            "constraint_message::English (en)",
            "relevant",
            "calculation",
            "default",
            "read_only",
            "appearance",
            "choice_filter",
            "parameters",
        ),
        (
            "begin group",
            "general",
            "Datos generales",
            "General data",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "field-list",
            None,
            None,
        ),
        (
            "text",
            "nombre",
            "Nombre",
            "Name",
            "Nombre completo",
            "Full name",
            "yes",
            "Escriba el nombre",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "multiline",
            None,
            "rows=4",
        ),
        (
            "integer",
            "edad",
            "Edad",
            "Age",
            None,
            None,
            "yes",
            None,
            ". >= 0 and . < 120",
            "Edad entre 0 y 119",
            "Age between 0 and 119",
            None,
            None,
            "30",
            None,
            None,
            None,
            None,
        ),
        (
            "decimal",
            "presupuesto",
            "Presupuesto",
            "Budget",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "select_one dep",
            "departamento",
            "Departamento",
            "Department",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "minimal",
            None,
            None,
        ),
        (
            "select_one mun",
            "municipio",
            "Municipio",
            "Municipality",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "dep = ${departamento}",
            None,
        ),
        (
            "select_multiple sector or_other",
            "sectores",
            "Sectores",
            "Sectors",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "end group",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "date",
            "fecha",
            "Fecha",
            "Date",
            None,
            None,
            None,
            None,
            ". <= today()",
            None,
            None,
            None,
            None,
            "2024-05-31",
            None,
            None,
            None,
            None,
        ),
        (
            "time",
            "hora",
            "Hora",
            "Time",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "dateTime",
            "momento",
            "Momento",
            "Moment",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "note",
            "aviso",
            "Edad: ${edad}",
            "Age: ${edad}",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "calculate",
            "doble",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "${edad} * 2",
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "geopoint",
            "lugar",
            "Lugar",
            "Place",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "capture-accuracy=10",
        ),
        (
            "image",
            "foto",
            "Foto",
            "Photo",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "${edad} > 17",
            None,
            None,
            None,
            None,
            None,
            "max-pixels=1024",
        ),
        (
            "file",
            "acta",
            "Acta",
            "Minutes",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "yes",
            None,
            None,
            None,
        ),
        (
            "acknowledge",
            "consiento",
            "Acepto",
            "I agree",
            None,
            None,
            "yes",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "begin repeat",
            "asistentes",
            "Asistentes",
            "Attendees",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "text",
            "asistente",
            "Nombre",
            "Name",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "calculate",
            "numero",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "position(..)",
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "end repeat",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ),
    ]
    choices = [
        ("list_name", "name", ES, EN, "dep"),
        ("dep", "05", "Antioquia", "Antioquia", None),
        ("dep", "52", "Nariño", "Nariño", None),
        ("mun", "05001", "Medellín", "Medellín", "05"),
        ("mun", "05002", "Abejorral", "Abejorral", "05"),
        ("mun", "52001", "Pasto", "Pasto", "52"),
        ("sector", "salud", "Salud", "Health", None),
        ("sector", "educacion", "Educación", "Education", None),
    ]
    settings = [
        ("form_title", "form_id", "version", "default_language"),
        ("Todos los tipos", "todos", "2024053101", "Español (es)"),
    ]
    return write_xlsform(tmp_path / "todos.xlsx", survey, choices, settings)


def test_every_supported_type_and_column_loads(tmp_path: Path) -> None:
    form = load_form(every_type(tmp_path))
    assert (form.form_id, form.title, form.version) == ("todos", "Todos los tipos", "2024053101")
    assert form.default_language == "es"
    assert [str(lang) for lang in form.languages] == ["Español (es)", "English (en)"]
    types = {q.name: q.type for q in form.questions()}
    assert types == {
        "nombre": "text",
        "edad": "integer",
        "presupuesto": "decimal",
        "departamento": "select_one",
        "municipio": "select_one",
        "sectores": "select_multiple",
        "sectores_other": "text",
        "fecha": "date",
        "hora": "time",
        "momento": "datetime",
        "aviso": "note",
        "doble": "calculate",
        "lugar": "geopoint",
        "foto": "image",
        "acta": "file",
        "consiento": "acknowledge",
        "asistente": "text",
        "numero": "calculate",
    }
    nombre = form.question("nombre")
    assert nombre is not None
    assert nombre.label.get("es") == "Nombre" and nombre.label.get("en") == "Name"
    assert nombre.hint.get("en") == "Full name"
    assert nombre.required is not None and str(nombre.required) == "true()"
    assert nombre.required_message.get("es") == "Escriba el nombre"
    assert nombre.appearance == "multiline" and dict(nombre.parameters) == {"rows": "4"}
    assert nombre.parent == "general" and nombre.row == 3
    edad = form.question("edad")
    assert edad is not None and edad.default == 30
    assert edad.constraint_message.get("en") == "Age between 0 and 119"
    fecha = form.question("fecha")
    assert fecha is not None and fecha.default == date(2024, 5, 31)
    municipio = form.question("municipio")
    assert municipio is not None and municipio.choices is not None
    assert str(municipio.choice_filter) == "dep = ${departamento}"
    assert municipio.choices.choices[0].columns["dep"] == "05"
    sectores = form.question("sectores")
    assert sectores is not None and sectores.or_other
    assert sectores.choices is not None and [c.name for c in sectores.choices.choices] == [
        "salud",
        "educacion",
        "other",
    ]
    assert sectores.choices.choices[-1].label.get("en") == "Other"
    acta = form.question("acta")
    assert acta is not None and acta.read_only is not None
    general = form.element("general")
    assert isinstance(general, Group) and general.appearance == "field-list"
    assert [c.name for c in general.children][:2] == ["nombre", "edad"]
    asistentes = form.element("asistentes")
    assert isinstance(asistentes, Repeat)
    numero = form.question("numero")
    assert numero is not None and numero.repeats == ("asistentes",)
    # Sheet order, a section before its questions.
    assert list(form.elements)[:3] == ["general", "nombre", "edad"]


def test_a_form_loads_from_bytes_too() -> None:
    data = xlsform_bytes([("type", "name", "label"), ("text", "a", "A")])
    form = load_form(data, name="memoria.xlsx")
    assert form.form_id == "memoria" and form.source == "memoria.xlsx"
    assert [q.name for q in form.questions()] == ["a"]


def test_summary_for_forms_check(tmp_path: Path) -> None:
    summary = check_form(every_type(tmp_path))
    assert summary.as_dict() == {
        "form_id": "todos",
        "title": "Todos los tipos",
        "version": "2024053101",
        "languages": ["Español (es)", "English (en)"],
        "default_language": "es",
        "questions": 14,
        "notes": 1,
        "calculations": 2,
        "groups": 1,
        "repeats": 1,
        "choice_lists": 3,
    }
    assert summary.lines() == [
        "Formulario «Todos los tipos» (todos), versión 2024053101",
        "14 preguntas, 1 notas, 2 cálculos, 1 grupos, 1 repeticiones, 3 listas de opciones",
        "Idiomas: Español (es), English (en) (predeterminado: Español (es))",
    ]


def test_kobo_shape_label_without_language(tmp_path: Path) -> None:
    """KoboToolbox's form builder writes plain ``label``/``hint``, ``select_one list`` and
    ``$kuid``-style extra columns; ``required`` as ``true``/``false``."""
    path = write_xlsform(
        tmp_path / "kobo.xlsx",
        [
            ("type", "name", "label", "hint", "required", "relevant", "$kuid", "$autoname"),
            (
                "select_one yes_no",
                "has_plan",
                "Has a development plan?",
                None,
                "true",
                None,
                "abc123",
                "has_plan",
            ),
            (
                "integer",
                "year",
                "Year adopted",
                "Four digits",
                "false",
                "${has_plan}='yes'",
                "def456",
                "year",
            ),
            (
                "select_multiple topics or_other",
                "topics",
                "Topics",
                None,
                "false",
                None,
                "ghi789",
                "topics",
            ),
        ],
        [
            ("list_name", "name", "label", "$kuid"),
            ("yes_no", "yes", "Yes", "k1"),
            ("yes_no", "no", "No", "k2"),
            ("topics", "health", "Health", "k3"),
        ],
        [("form_title", "form_id", "version"), ("Kobo form", "kobo_form", "vGXvJ3")],
    )
    form = load_form(path)
    assert form.languages == () and form.default_language == ""
    year = form.question("year")
    assert year is not None and year.required is None
    assert year.label.get("es") == year.label.get("en") == "Year adopted"
    has_plan = form.question("has_plan")
    assert has_plan is not None and has_plan.required is not None
    assert form.question("topics_other") is not None
    state = FormState(form)
    assert not state.is_relevant("year")
    state.set_answer("has_plan", "yes")
    assert state.is_relevant("year")
    state.set_answer("topics", ["health", "other"])
    assert state.is_relevant("topics_other")
    assert state.visible_choices("topics")[-1].label.get("es") == "Otro"


def test_odk_shape_english_only_with_aliases(tmp_path: Path) -> None:
    """ODK users write ``label::English (en)`` only, ``select one`` with a space, ``string``,
    ``relevance``, ``constraint message`` with spaces, ``bind::`` prefixes."""
    path = write_xlsform(
        tmp_path / "odk.xlsx",
        [
            (
                "type",
                "name",
                "label::English (en)",
                "relevance",
                "constraint",
                "constraint message::English (en)",
                "bind::required",
            ),
            ("select one yn", "ok", "OK?", None, None, None, "yes"),
            ("string", "why", "Why?", "${ok} = 'no'", "string-length(.) > 3", "Too short", None),
            ("int", "n", "How many?", None, None, None, None),
            ("gps", "where", "Where?", None, None, None, None),
            ("photo", "picture", "Picture", None, None, None, None),
            ("trigger", "ack", "Acknowledge", None, None, None, None),
        ],
        [("list name", "name", "label::English (en)"), ("yn", "yes", "Yes"), ("yn", "no", "No")],
    )
    form = load_form(path)
    assert [str(lang) for lang in form.languages] == ["English (en)"]
    assert form.default_language == "en"
    assert {q.name: q.type for q in form.questions()} == {
        "ok": "select_one",
        "why": "text",
        "n": "integer",
        "where": "geopoint",
        "picture": "image",
        "ack": "acknowledge",
    }
    state = FormState(form)
    assert state.language == "en"
    state.set_answer("ok", "no")
    state.set_answer("why", "no")
    assert [e.render() for e in state.validate() if e.name == "why"] == ["Too short"]


@pytest.mark.parametrize(
    "relevant",
    ["${a}=1", "${a} = 1", "${a}  =  1", "${a} =\n1", " ${a}=1 ", "${a}= 1 and ${a}>0"],
)
def test_spacing_variants_pyxform_accepts(tmp_path: Path, relevant: str) -> None:
    path = write_xlsform(
        tmp_path / "espacios.xlsx",
        [
            ("type", "name", "label", "relevant"),
            ("integer", "a", "A", None),
            ("text", "b", "B", relevant),
        ],
    )
    state = FormState(load_form(path))
    assert not state.is_relevant("b")
    state.set_answer("a", 1)
    assert state.is_relevant("b")


@pytest.mark.parametrize("relevant", ["${ a } = 1", "$ {a} = 1", "${a }=1"])
def test_spaces_inside_a_reference_are_refused_with_the_position(
    tmp_path: Path, relevant: str
) -> None:
    path = write_xlsform(
        tmp_path / "espacios.xlsx",
        [
            ("type", "name", "label", "relevant"),
            ("integer", "a", "A", None),
            ("text", "b", "B", relevant),
        ],
    )
    with pytest.raises(FormError) as info:
        load_form(path)
    (problem,) = info.value.problems
    assert (problem.sheet, problem.row) == ("survey", 3)
    assert "columna «relevant»" in problem.message()
    assert "posición 1" in problem.message()


def test_default_language_and_fallback_texts(tmp_path: Path) -> None:
    path = write_xlsform(
        tmp_path / "idiomas.xlsx",
        [
            ("type", "name", "label::English (en)", "label::Español (es)", "hint"),
            ("text", "a", "Name", "Nombre", "sin idioma"),
            ("text", "b", "Only English", None, None),
        ],
        settings=[("default_language",), ("Español (es)",)],
    )
    form = load_form(path)
    assert form.default_language == "es"
    a, b = form.question("a"), form.question("b")
    assert a is not None and b is not None
    assert a.hint.get("en") == "sin idioma"  # the plain column is the default language's
    assert b.label.get("es") == "Only English"  # missing translation: the one there is
    assert isinstance(a.label, Translated) and a.label.languages[0] == "es"


def test_state_language_switch(tmp_path: Path) -> None:
    form = load_form(every_type(tmp_path))
    state = FormState(form)
    assert state.language == "es"
    state.set_answer("edad", 41)
    assert state.text("aviso") == "Edad: 41"
    state.set_language("en")
    assert state.text("aviso") == "Age: 41"
    assert state.text("nombre", kind="hint") == "Full name"
    assert state.visible_choices("sectores")[1].label.get(state.language) == "Education"


def test_static_defaults_are_typed(tmp_path: Path) -> None:
    path = write_xlsform(
        tmp_path / "defaults.xlsx",
        [
            ("type", "name", "label", "default"),
            ("time", "t", "T", "08:30"),
            ("select_multiple s", "s", "S", "a b"),
            ("decimal", "d", "D", "2.5"),
            ("acknowledge", "k", "K", "OK"),
            ("geopoint", "g", "G", "4.6 -74.08"),
            ("text", "x", "X", "hola"),
        ],
        [("list_name", "name", "label"), ("s", "a", "A"), ("s", "b", "B")],
    )
    form = load_form(path)
    defaults = {q.name: q.default for q in form.questions()}
    assert defaults == {
        "t": time(8, 30),
        "s": ("a", "b"),
        "d": 2.5,
        "k": "OK",
        "g": "4.6 -74.08",
        "x": "hola",
    }
    state = FormState(form)
    assert state.answers() == {
        "t": "08:30:00",
        "s": ["a", "b"],
        "d": 2.5,
        "k": "OK",
        "g": "4.6 -74.08",
        "x": "hola",
    }


def test_disabled_rows_and_comment_rows_are_skipped(tmp_path: Path) -> None:
    path = write_xlsform(
        tmp_path / "comentarios.xlsx",
        [
            ("type", "name", "label", "disabled", "notas"),
            ("text", "a", "A", None, None),
            (None, None, None, None, "una nota del metodólogo"),
            ("range", "r", "R", "yes", None),
            (None, None, None, None, None),
            ("text", "b", "B", None, None),
        ],
    )
    form = load_form(path)
    assert [(q.name, q.row) for q in form.questions()] == [("a", 2), ("b", 6)]


def test_notes_without_a_name_get_one(tmp_path: Path) -> None:
    path = write_xlsform(
        tmp_path / "notas.xlsx", [("type", "name", "label"), ("note", None, "Bienvenida")]
    )
    form = load_form(path)
    (note,) = form.questions()
    assert isinstance(note, Question) and note.name == "generated_note_name_2"
