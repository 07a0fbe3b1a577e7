"""Filling a form: relevance, calculations, constraints, required, repeats, cascades, answers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from xlsform_files import write_xlsform

from fieldkit.forms import AnswerError, FormState, load_form
from fieldkit.forms.model import FormDefinition

NOW = datetime(2024, 5, 31, 9, 15, tzinfo=timezone(timedelta(hours=-5)))


def clock() -> datetime:
    return NOW


def form_of(tmp_path: Path, survey, choices=None, settings=None) -> FormDefinition:
    return load_form(write_xlsform(tmp_path / "f.xlsx", survey, choices, settings))


# ------------------------------------------------------------------------------------ relevance


def test_relevance_clears_answers_and_they_are_not_stored(tmp_path: Path) -> None:
    form = form_of(
        tmp_path,
        [
            ("type", "name", "label", "relevant"),
            ("select_one sn", "tiene_plan", "¿Tiene plan?", None),
            ("integer", "anio", "Año", "${tiene_plan} = 'si'"),
            ("begin group", "detalle", "Detalle", "${anio} > 2000"),
            ("text", "nombre_plan", "Nombre", None),
            ("begin group", "interno", "Interno", None),
            ("text", "objetivo", "Objetivo", None),
            ("end group", None, None, None),
            ("end group", None, None, None),
        ],
        [("list_name", "name", "label"), ("sn", "si", "Sí"), ("sn", "no", "No")],
    )
    state = FormState(form)
    assert not state.is_relevant("anio") and not state.is_relevant("objetivo")
    with pytest.raises(AnswerError, match="no aplica"):
        state.set_answer("anio", 2020)
    state.set_answer("tiene_plan", "si")
    state.set_answer("anio", 2020)
    state.set_answer("nombre_plan", "Plan de desarrollo")
    state.set_answer("objetivo", "Cobertura")
    assert state.answers() == {
        "tiene_plan": "si",
        "anio": 2020,
        "nombre_plan": "Plan de desarrollo",
        "objetivo": "Cobertura",
    }
    # The group stops applying: its questions, nested ones too, lose their answers.
    changes = state.set_answer("anio", 1999)
    assert set(changes.dropped) == {"nombre_plan", "objetivo"}
    assert state.value("objetivo") is None
    assert state.answers() == {"tiene_plan": "si", "anio": 1999}
    # Back to applying: the answers do not come back (they were cleared, not hidden).
    state.set_answer("anio", 2021)
    assert state.is_relevant("objetivo") and state.value("objetivo") is None
    changes = state.set_answer("tiene_plan", "no")
    assert changes.dropped == ("anio",)
    assert state.answers() == {"tiene_plan": "no"}


def test_changes_say_what_to_refresh(tmp_path: Path) -> None:
    form = form_of(
        tmp_path,
        [
            ("type", "name", "label", "relevant", "calculation", "required"),
            ("integer", "a", "A", None, None, None),
            ("calculate", "b", None, None, "${a} + 1", None),
            ("text", "c", "C", "${b} > 5", None, "${a} > 10"),
            ("text", "d", "D", None, None, None),
        ],
    )
    state = FormState(form)
    changes = state.set_answer("a", 7)
    assert changes.cells == {
        ("value", "a", "a"),
        ("value", "b", "b"),
        ("relevant", "c", "c"),
    }
    assert changes.names == {"a", "b", "c"}
    assert not state.set_answer("a", 7)  # nothing changed
    assert state.set_answer("a", 11).cells == {
        ("value", "a", "a"),
        ("value", "b", "b"),
        ("required", "c", "c"),
    }


# ------------------------------------------------------------------------------------ validation


def test_constraint_messages_in_the_state_language(tmp_path: Path) -> None:
    form = form_of(
        tmp_path,
        [
            (
                "type",
                "name",
                "label::Español (es)",
                "label::English (en)",
                "constraint",
                "constraint_message::Español (es)",
                "constraint_message::English (en)",
            ),
            (
                "integer",
                "edad",
                "Edad",
                "Age",
                ". >= 18",
                "Debe ser mayor de edad",
                "Must be an adult",
            ),
            ("text", "codigo", "Código", "Code", "regex(., '^[0-9]{5}$')", None, None),
        ],
    )
    state = FormState(form)
    assert state.validate() == []  # constraints are not checked on empty answers
    state.set_answer("edad", 15)
    state.set_answer("codigo", "05A01")
    errors = state.validate()
    assert [(e.key, e.kind, e.render()) for e in errors] == [
        ("edad", "constraint", "Debe ser mayor de edad"),
        (
            "codigo",
            "constraint",
            "La respuesta no cumple la condición del formulario (regex(., '^[0-9]{5}$'))",
        ),
    ]
    assert errors[0].from_form and not errors[1].from_form
    state.set_language("en")
    assert state.validate()[0].render() == "Must be an adult"
    state.set_answer("edad", 30)
    state.set_answer("codigo", "05001")
    assert state.validate() == []


def test_required_and_missing_required(tmp_path: Path) -> None:
    form = form_of(
        tmp_path,
        [
            ("type", "name", "label", "required", "required_message", "relevant"),
            ("text", "nombre", "Nombre", "yes", "Falta el nombre", None),
            ("integer", "hijos", "Hijos", "true", None, None),
            ("text", "nombres_hijos", "Nombres", "${hijos} > 0", None, None),
            ("text", "opcional", "Opcional", "no", None, None),
            ("text", "oculta", "Oculta", "yes", None, "${hijos} > 100"),
        ],
    )
    state = FormState(form)
    missing = state.missing_required()
    assert [(m.key, m.render()) for m in missing] == [
        ("nombre", "Falta el nombre"),
        ("hijos", "Esta pregunta es obligatoria"),
    ]
    state.set_answer("hijos", 2)
    assert [m.key for m in state.missing_required()] == ["nombre", "nombres_hijos"]
    assert state.is_required("nombres_hijos") and not state.is_required("opcional")
    state.set_answer("nombre", "Ana")
    state.set_answer("nombres_hijos", "Luis, Eva")
    assert state.missing_required() == [] and state.validate() == []


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("integer", "doce", "«doce» no es un número entero"),
        ("integer", "1.5", "«1.5» no es un número entero"),
        ("integer", True, "«True» no es un número entero"),
        ("decimal", "1,5", "«1,5» no es un número; use punto para los decimales, por ejemplo 12.5"),
        (
            "date",
            "31/05/2024",
            "«31/05/2024» no es una fecha; se escribe aaaa-mm-dd, por ejemplo 2024-05-31",
        ),
        (
            "date",
            "2024-02-30",
            "«2024-02-30» no es una fecha; se escribe aaaa-mm-dd, por ejemplo 2024-05-31",
        ),
        ("time", "25:00", "«25:00» no es una hora; se escribe hh:mm o hh:mm:ss, por ejemplo 14:30"),
        (
            "datetime",
            "2024-05-31",
            "«2024-05-31» no es una fecha y hora; se escribe "
            "aaaa-mm-ddThh:mm, por ejemplo 2024-05-31T14:30",
        ),
        (
            "geopoint",
            "4.6",
            "«4.6» no es una ubicación; se escribe «latitud longitud [altitud "
            "precisión]» con números separados por espacios, por ejemplo «4.60971 -74.08175 2600 5»",
        ),
        ("geopoint", "91 10", "la latitud 91 está fuera del rango de -90 a 90"),
        ("geopoint", "4.6 -181", "la longitud -181 está fuera del rango de -180 a 180"),
        ("geopoint", "4.6 -74 2600 -1", "la precisión -1 no puede ser negativa"),
        (
            "geopoint",
            "norte sur",
            "«norte sur» no es una ubicación; se escribe «latitud longitud "
            "[altitud precisión]» con números separados por espacios, por ejemplo «4.60971 "
            "-74.08175 2600 5»",
        ),
        ("select_one l", "z", "«z» no es una de las opciones de la lista «l»"),
        ("select_multiple l", "a z", "«z» no es una de las opciones de la lista «l»"),
        ("acknowledge", "tal vez", "«tal vez» no es una confirmación; use OK o déjela en blanco"),
    ],
)
def test_type_errors_keep_what_was_typed(
    tmp_path: Path, kind: str, value: object, message: str
) -> None:
    form = form_of(
        tmp_path,
        [("type", "name", "label", "constraint"), (kind, "q", "Q", "false()")],
        [("list_name", "name", "label"), ("l", "a", "A"), ("l", "b", "B")],
    )
    state = FormState(form)
    state.set_answer("q", value)
    errors = state.validate()
    assert [(e.kind, e.render()) for e in errors] == [("type", message)]  # no constraint error
    assert "q" in state.answers()  # a draft keeps it


@pytest.mark.parametrize(
    ("kind", "given", "typed", "stored"),
    [
        ("integer", "-12", -12, -12),
        ("integer", 3.0, 3, 3),
        ("decimal", "12.50", 12.5, 12.5),
        ("decimal", 7, 7.0, 7.0),
        ("date", "2024-05-31", date(2024, 5, 31), "2024-05-31"),
        ("time", "14:30", time(14, 30), "14:30:00"),
        (
            "datetime",
            "2024-05-31T14:30:00-05:00",
            datetime(2024, 5, 31, 14, 30, tzinfo=timezone(timedelta(hours=-5))),
            "2024-05-31T14:30:00-05:00",
        ),
        (
            "geopoint",
            "4.60971   -74.08175 2600 5",
            "4.60971 -74.08175 2600 5",
            "4.60971 -74.08175 2600 5",
        ),
        ("geopoint", [4.6, -74.08], "4.6 -74.08", "4.6 -74.08"),
        ("select_multiple l", "b a", ("b", "a"), ["b", "a"]),
        ("select_multiple l", ["a", "a"], ("a",), ["a"]),
        ("select_one l", " a ", "a", "a"),
        ("acknowledge", True, "OK", "OK"),
        ("acknowledge", "OK", "OK", "OK"),
        ("image", "sha256:ab12", "sha256:ab12", "sha256:ab12"),
        ("text", 12, "12", "12"),
    ],
)
def test_answers_are_typed(
    tmp_path: Path, kind: str, given: object, typed: object, stored: object
) -> None:
    form = form_of(
        tmp_path,
        [("type", "name", "label"), (kind, "q", "Q")],
        [("list_name", "name", "label"), ("l", "a", "A"), ("l", "b", "B")],
    )
    state = FormState(form)
    state.set_answer("q", given)
    assert state.value("q") == typed and type(state.value("q")) is type(typed)
    assert state.answers() == {"q": stored}
    assert state.validate() == []
    reopened = FormState(form, state.answers())
    assert reopened.value("q") == typed


def test_clearing_an_answer(tmp_path: Path) -> None:
    form = form_of(
        tmp_path, [("type", "name", "label"), ("integer", "n", "N"), ("acknowledge", "k", "K")]
    )
    state = FormState(form)
    state.set_answer("n", 3)
    state.set_answer("k", True)
    state.set_answer("n", "")
    state.set_answer("k", False)
    assert state.answers() == {}


# ------------------------------------------------------------------------------------ repeats


def attendance(tmp_path: Path) -> FormDefinition:
    return form_of(
        tmp_path,
        [
            ("type", "name", "label", "calculation", "relevant", "default", "required"),
            ("text", "lugar", "Lugar", None, None, None, None),
            ("begin repeat", "asistentes", "Asistentes", None, None, None, None),
            ("text", "nombre", "Nombre", None, None, None, "yes"),
            ("select_one sexo", "sexo", "Sexo", None, None, "m", None),
            ("integer", "edad", "Edad", None, None, None, None),
            ("calculate", "numero", None, "position(..)", None, None, None),
            ("text", "tutor", "Tutor", None, "${edad} < 18", None, None),
            ("end repeat", None, None, None, None, None, None),
            ("calculate", "total", None, "count(${asistentes})", None, None, None),
            ("calculate", "mujeres", None, "count-non-empty(${nombre})", None, None, None),
            ("calculate", "suma_edades", None, "sum(${edad})", None, None, None),
            ("calculate", "hay_mujer", None, "if(${sexo} = 'f', 'si', 'no')", None, None, None),
            (
                "calculate",
                "segundo",
                None,
                "indexed-repeat(${nombre}, ${asistentes}, 2)",
                None,
                None,
                None,
            ),
        ],
        [("list_name", "name", "label"), ("sexo", "f", "Mujer"), ("sexo", "m", "Hombre")],
    )


def test_repeats_add_remove_and_aggregate(tmp_path: Path) -> None:
    state = FormState(attendance(tmp_path), seed=3)
    assert state.repeat_count("asistentes") == 0
    assert state.value("total") == "0" and state.value("suma_edades") == "0"
    state.add_repeat("asistentes")
    state.add_repeat("asistentes")
    state.add_repeat("asistentes")
    assert state.repeat_count("asistentes") == 3
    assert state.value("sexo", (2,)) == "m"  # default per new row
    for position, (name, age) in enumerate([("Ana", 30), ("Beto", 15), ("Carla", 41)], start=1):
        state.set_answer("nombre", name, (position,))
        state.set_answer("edad", age, (position,))
    state.set_answer("sexo", "f", (3,))
    assert state.value("total") == "3"
    assert state.value("suma_edades") == "86"
    assert state.value("hay_mujer") == "si"  # existential over the rows, as XPath
    assert state.value("segundo") == "Beto"
    assert [state.value("numero", (i,)) for i in (1, 2, 3)] == ["1", "2", "3"]
    assert [state.is_relevant("tutor", (i,)) for i in (1, 2, 3)] == [False, True, False]
    state.set_answer("tutor", "Dora", (2,))
    changes = state.remove_repeat("asistentes", 1)
    assert changes.rows == {"asistentes"}
    assert state.repeat_count("asistentes") == 2
    assert state.value("total") == "2" and state.value("suma_edades") == "56"
    assert state.value("nombre", (1,)) == "Beto" and state.value("tutor", (1,)) == "Dora"
    assert [state.value("numero", (i,)) for i in (1, 2)] == ["1", "2"]  # positions moved up
    assert state.value("segundo") == "Carla"
    with pytest.raises(AnswerError, match="no tiene la fila 3"):
        state.set_answer("nombre", "X", (3,))
    with pytest.raises(AnswerError, match="indique la fila"):
        state.set_answer("nombre", "X")
    state.remove_repeat("asistentes", 2)
    state.remove_repeat("asistentes", 1)
    assert state.value("total") == "0" and state.value("hay_mujer") == "no"


def test_repeat_rows_are_required_row_by_row(tmp_path: Path) -> None:
    state = FormState(attendance(tmp_path), seed=3)
    state.add_repeat("asistentes")
    state.add_repeat("asistentes")
    state.set_answer("nombre", "Ana", (2,))
    missing = state.missing_required()
    assert len(missing) == 1 and missing[0].repeat_path == (1,)
    assert missing[0].key.startswith("asistentes[") and missing[0].key.endswith("]/nombre")
    assert state.locate(missing[0].key) == ("nombre", (1,))


def test_answer_keys_and_reopening_repeats(tmp_path: Path) -> None:
    form = attendance(tmp_path)
    state = FormState(form, seed=5)
    state.set_answer("lugar", "Alcaldía")
    for name in ("Ana", "Beto", "Carla"):
        state.add_repeat("asistentes")
        state.set_answer("nombre", name, (state.repeat_count("asistentes"),))
    state.remove_repeat("asistentes", 2)
    answers = state.answers()
    rows = [k for k in answers if "/" not in k and k.startswith("asistentes[")]
    assert [answers[k] for k in rows] == [1, 3]  # order numbers survive a removal
    key = state.key("nombre", (2,))
    assert answers[key] == "Carla"
    reopened = FormState(form, answers)
    assert reopened.answers() == answers
    assert reopened.snapshot() == state.snapshot()
    assert [reopened.value("nombre", (i,)) for i in (1, 2)] == ["Ana", "Carla"]


def test_hand_written_positional_keys(tmp_path: Path) -> None:
    state = FormState(attendance(tmp_path), {})
    problems = state.load_answers(
        {
            "asistentes[2]/nombre": "Beto",
            "asistentes[1]/nombre": "Ana",
            "asistentes[10]/nombre": "Juan",
            "asistentes[1]/edad": "40",
        }
    )
    assert problems == []
    assert [state.value("nombre", (i,)) for i in (1, 2, 3)] == ["Ana", "Beto", "Juan"]
    assert state.value("edad", (1,)) == 40
    assert state.answers()["asistentes[10]"] == 3


def test_nested_repeats(tmp_path: Path) -> None:
    form = form_of(
        tmp_path,
        [
            ("type", "name", "label", "calculation"),
            ("begin repeat", "hogar", "Hogar", None),
            ("begin repeat", "persona", "Persona", None),
            ("integer", "edad", "Edad", None),
            ("calculate", "donde", None, "concat(position(${hogar}), '.', position(..))"),
            ("end repeat", None, None, None),
            ("calculate", "edades_hogar", None, "sum(${edad})"),
            ("end repeat", None, None, None),
            ("calculate", "edades", None, "sum(${edad})"),
            ("calculate", "personas", None, "count(${persona})"),
        ],
    )
    state = FormState(form, seed=1)
    state.add_repeat("hogar")
    state.add_repeat("hogar")
    state.add_repeat("persona", (1,))
    state.add_repeat("persona", (2,))
    state.add_repeat("persona", (2,))
    state.set_answer("edad", 10, (1, 1))
    state.set_answer("edad", 20, (2, 1))
    state.set_answer("edad", 30, (2, 2))
    assert state.value("edades_hogar", (1,)) == "10"
    assert state.value("edades_hogar", (2,)) == "50"
    assert state.value("edades") == "60" and state.value("personas") == "3"
    assert state.value("donde", (2, 2)) == "2.2"
    state.remove_repeat("hogar", 1)
    assert state.value("edades") == "50" and state.value("donde", (1, 2)) == "1.2"
    answers = state.answers()
    assert sum(1 for k in answers if k.endswith("/edad")) == 2
    assert FormState(form, answers).snapshot() == state.snapshot()


def test_a_repeat_that_stops_applying_loses_its_rows(tmp_path: Path) -> None:
    form = form_of(
        tmp_path,
        [
            ("type", "name", "label", "relevant", "calculation"),
            ("acknowledge", "hubo", "¿Hubo asistentes?", None, None),
            ("begin repeat", "lista", "Lista", "${hubo} = 'OK'", None),
            ("text", "n", "N", None, None),
            ("end repeat", None, None, None, None),
            ("calculate", "cuantos", None, None, "count(${lista})"),
        ],
    )
    state = FormState(form, seed=2)
    with pytest.raises(AnswerError, match="no aplica"):
        state.add_repeat("lista")
    state.set_answer("hubo", True)
    state.add_repeat("lista")
    state.set_answer("n", "Ana", (1,))
    assert state.value("cuantos") == "1"
    changes = state.set_answer("hubo", None)
    assert len(changes.dropped) == 1 and changes.dropped[0].endswith("/n")
    assert state.repeat_count("lista") == 0 and state.value("cuantos") == "0"
    assert state.answers() == {}


# ------------------------------------------------------------------------------------ choices


def cascade(tmp_path: Path) -> FormDefinition:
    return form_of(
        tmp_path,
        [
            ("type", "name", "label", "choice_filter"),
            ("select_one dep", "departamento", "Departamento", None),
            ("select_one mun", "municipio", "Municipio", "dep = ${departamento}"),
            ("select_multiple ver", "veredas", "Veredas", "mun = ${municipio}"),
        ],
        [
            ("list_name", "name", "label", "dep", "mun"),
            ("dep", "05", "Antioquia", None, None),
            ("dep", "52", "Nariño", None, None),
            ("mun", "05001", "Medellín", "05", None),
            ("mun", "05002", "Abejorral", "05", None),
            ("mun", "52001", "Pasto", "52", None),
            ("ver", "v1", "Vereda 1", None, "05001"),
            ("ver", "v2", "Vereda 2", None, "05001"),
            ("ver", "v3", "Vereda 3", None, "52001"),
        ],
    )


def test_choice_filter_cascade(tmp_path: Path) -> None:
    state = FormState(cascade(tmp_path))
    assert state.visible_choices("municipio") == ()
    state.set_answer("departamento", "05")
    assert [c.name for c in state.visible_choices("municipio")] == ["05001", "05002"]
    with pytest.raises(AnswerError, match="no es una opción disponible"):
        state.set_answer("municipio", "52001")
    state.set_answer("municipio", "05001")
    state.set_answer("veredas", ["v1", "v2"])
    # Changing the department clears the municipality, which clears the veredas.
    changes = state.set_answer("departamento", "52")
    assert set(changes.dropped) == {"municipio", "veredas"}
    assert state.answers() == {"departamento": "52"}
    assert [c.label.get() for c in state.visible_choices("municipio")] == ["Pasto"]


def test_loading_answers_reports_what_is_not_kept(tmp_path: Path) -> None:
    state = FormState(cascade(tmp_path), {})
    problems = state.load_answers(
        {
            "departamento": "05",
            "municipio": "52001",
            "no_existe": "x",
            "mal clave": 1,
            "municipio[1]/x": 2,
        }
    )
    assert sorted((p.key, p.kind, p.render()) for p in problems) == [
        (
            "mal clave",
            "unknown",
            "«mal clave» no es una clave de respuesta válida; se escribe "
            "«pregunta» o, dentro de una repetición, «repeticion[1]/pregunta»",
        ),
        (
            "municipio",
            "choice_filtered",
            "«52001» no es una opción disponible con las demás "
            "respuestas (choice_filter); la respuesta no se guarda",
        ),
        ("municipio[1]/x", "unknown", "«municipio[1]/x» no es una pregunta de este formulario"),
        ("no_existe", "unknown", "«no_existe» no es una pregunta de este formulario"),
    ]
    assert state.answers() == {"departamento": "05"}


# ------------------------------------------------------------------------------------ calculations


def test_calculations_defaults_and_the_clock(tmp_path: Path) -> None:
    form = form_of(
        tmp_path,
        [
            ("type", "name", "label", "calculation", "default", "constraint"),
            ("date", "fecha", "Fecha", None, "today()", ". <= today()"),
            ("integer", "n", "N", None, None, None),
            ("integer", "doble", "Doble", "${n} * 2", None, None),
            ("decimal", "mitad", "Mitad", "${n} div 2", None, None),
            ("calculate", "inicio", None, "once(now())", None, None),
            ("calculate", "id", None, "once(uuid())", None, None),
            ("calculate", "etiqueta", None, "jr:choice-name(${sexo}, '${sexo}')", None, None),
            ("select_one sexo", "sexo", "Sexo", None, None, None),
            ("calculate", "mayor", None, "${n} > 3", None, None),
        ],
        [
            ("list_name", "name", "label::Español (es)", "label::English (en)"),
            ("sexo", "f", "Mujer", "Woman"),
        ],
    )
    state = FormState(form, clock=clock, seed=9)
    assert state.value("fecha") == date(2024, 5, 31)
    assert state.value("doble") is None and state.value("mitad") is None
    state.set_answer("n", 5)
    assert state.value("doble") == 10 and state.value("mitad") == 2.5
    assert state.value("mayor") == "true"
    assert state.is_read_only("doble") and not state.is_read_only("n")
    with pytest.raises(AnswerError, match="no es una pregunta que se pueda responder"):
        state.set_answer("doble", 3)
    started, ident = state.value("inicio"), state.value("id")
    assert started == "2024-05-31T09:15:00.000-05:00" and len(str(ident)) == 36
    state.set_answer("sexo", "f")
    assert state.value("etiqueta") == "Mujer"
    state.set_language("en")
    assert state.value("etiqueta") == "Woman"
    # Sticky values are stored with the answers and kept when reopened, even later.
    answers = state.answers()
    assert answers["inicio"] == started and answers["id"] == ident
    assert "doble" not in answers and "mayor" not in answers
    later = FormState(form, answers, clock=lambda: NOW + timedelta(days=3), seed=1)
    assert later.value("inicio") == started and later.value("id") == ident
    state.set_answer("fecha", "2024-06-01")
    assert [e.kind for e in state.validate()] == ["constraint"]


def test_calculated_values_given_in_answers_are_ignored(tmp_path: Path) -> None:
    form = form_of(
        tmp_path,
        [
            ("type", "name", "label", "calculation"),
            ("integer", "n", "N", None),
            ("calculate", "c", None, "${n} + 1"),
            ("note", "nota", "Nota", None),
        ],
    )
    state = FormState(form, {})
    problems = state.load_answers({"n": 1, "c": 99, "nota": "x"})
    assert [(p.key, p.kind) for p in problems] == [("c", "calculated"), ("nota", "unknown")]
    assert state.value("c") == "2"


def test_read_only_questions(tmp_path: Path) -> None:
    form = form_of(
        tmp_path,
        [
            ("type", "name", "label", "read_only", "default"),
            ("text", "codigo", "Código", "yes", "ABC"),
            ("text", "libre", "Libre", "${codigo} = ''", None),
        ],
    )
    state = FormState(form)
    assert state.value("codigo") == "ABC" and state.is_read_only("codigo")
    with pytest.raises(AnswerError, match="solo lectura"):
        state.set_answer("codigo", "X")
    assert not state.is_read_only("libre")


def test_labels_show_answers(tmp_path: Path) -> None:
    form = form_of(
        tmp_path,
        [
            ("type", "name", "label", "hint"),
            ("text", "nombre", "Nombre", None),
            ("note", "saludo", "Hola ${nombre}", "Bienvenida a ${nombre}"),
        ],
    )
    state = FormState(form)
    state.set_answer("nombre", "Ana")
    assert state.text("saludo") == "Hola Ana"
    assert state.text("saludo", kind="hint") == "Bienvenida a Ana"


def test_unknown_names_and_languages(tmp_path: Path) -> None:
    state = FormState(
        form_of(tmp_path, [("type", "name", "label::Español (es)"), ("text", "a", "A")])
    )
    with pytest.raises(AnswerError, match="«zz» no es una pregunta de este formulario"):
        state.set_answer("zz", 1)
    with pytest.raises(AnswerError, match="no tiene el idioma «fr»"):
        state.set_language("fr")
    with pytest.raises(AnswerError, match="no es una repetición"):
        state.add_repeat("a")


def test_evaluation_errors_are_reported_not_raised(tmp_path: Path) -> None:
    form = form_of(
        tmp_path,
        [
            ("type", "name", "label", "constraint"),
            ("text", "patron", "Patrón", None),
            ("text", "t", "T", "regex(., ${patron})"),
        ],
    )
    state = FormState(form)
    state.set_answer("patron", "([")
    state.set_answer("t", "x")
    errors = state.validate()
    assert [e.kind for e in errors] == ["evaluation"]
    assert (
        errors[0].render().startswith("No se pudo evaluar la columna «constraint» del formulario")
    )
