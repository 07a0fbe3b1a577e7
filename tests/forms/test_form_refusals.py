"""Broken or unsupported forms are refused on load with every problem: sheet, row and reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from xlsform_files import write_xlsform

from fieldkit.forms import FormError, load_form
from fieldkit.forms.errors import FormProblem

HEADER = ("type", "name", "label")


def problems(tmp_path: Path, survey, choices=None, settings=None) -> list[FormProblem]:
    path = write_xlsform(tmp_path / "roto.xlsx", survey, choices, settings)
    with pytest.raises(FormError) as info:
        load_form(path)
    return list(info.value.problems)


def places(found: list[FormProblem]) -> list[tuple[str, int | None]]:
    return [(p.sheet, p.row) for p in found]


def only(tmp_path: Path, survey, choices=None, settings=None) -> FormProblem:
    found = problems(tmp_path, survey, choices, settings)
    assert len(found) == 1, [p.render() for p in found]
    return found[0]


def test_unknown_type_with_a_suggestion(tmp_path: Path) -> None:
    p = only(tmp_path, [HEADER, ("text", "a", "A"), ("interger", "b", "B")])
    assert (p.sheet, p.row) == ("survey", 3)
    assert p.message() == "el tipo «interger» no existe; ¿quiso decir «integer»?"
    assert p.render() == "hoja survey, fila 3: " + p.message()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("range", "el tipo «range» no está soportado en fieldkit"),
        ("barcode", "el tipo «barcode» no está soportado en fieldkit"),
        ("audio", "el tipo «audio» no está soportado en fieldkit"),
        ("geotrace", "el tipo «geotrace» no está soportado en fieldkit"),
        ("rank opciones", "el tipo «rank opciones» no está soportado en fieldkit"),
        ("start", "los metadatos «start» no están soportados"),
        ("deviceid", "los metadatos «deviceid» no están soportados"),
        ("select_one_from_file lista.csv", "«select_one_from_file lista.csv» no está soportado"),
        ("select_one_external opciones", "«select_one_external opciones» no está soportado"),
        ("select_one", "«select_one» necesita el nombre de una lista de opciones"),
        ("begin loop over opciones", "el tipo «begin loop over opciones» no está soportado"),
    ],
)
def test_unsupported_types(tmp_path: Path, kind: str, expected: str) -> None:
    survey = [HEADER, (kind, "x", "X")]
    if kind.startswith("begin loop"):
        survey.append(("end loop", None, None))
    found = problems(tmp_path, survey, [("list_name", "name", "label"), ("opciones", "a", "A")])
    assert found[0].row == 2 and found[0].message().startswith(expected), found[0].message()


def test_missing_choice_list(tmp_path: Path) -> None:
    p = only(
        tmp_path,
        [HEADER, ("select_one si_no", "a", "A"), ("select_one sino", "b", "B")],
        [("list_name", "name", "label"), ("si_no", "si", "Sí")],
    )
    assert (p.sheet, p.row) == ("survey", 3)
    assert p.message() == (
        "la lista de opciones «sino» no existe en la hoja choices; ¿quiso decir «si_no»?"
    )


def test_missing_choices_sheet(tmp_path: Path) -> None:
    p = only(tmp_path, [HEADER, ("select_multiple colores", "a", "A")])
    assert p.row == 2 and "«colores» no existe en la hoja choices" in p.message()


def test_duplicate_names_anywhere_in_the_form(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        [
            HEADER,
            ("text", "nombre", "Nombre"),
            ("begin group", "g", "G"),
            ("text", "nombre", "Otra vez"),
            ("end group", None, None),
            ("begin repeat", "g", "Repetida"),
            ("end repeat", None, None),
        ],
    )
    assert [(p.row, p.message()) for p in found] == [
        (
            4,
            "el nombre «nombre» ya se usó en la fila 2; cada pregunta, grupo y repetición "
            "necesita un nombre distinto",
        ),
        (
            6,
            "el nombre «g» ya se usó en la fila 3; cada pregunta, grupo y repetición necesita "
            "un nombre distinto",
        ),
    ]


def test_duplicate_choice_names(tmp_path: Path) -> None:
    p = only(
        tmp_path,
        [HEADER, ("select_one l", "a", "A")],
        [("list_name", "name", "label"), ("l", "x", "X"), ("l", "y", "Y"), ("l", "x", "X2")],
    )
    assert (p.sheet, p.row) == ("choices", 4)
    assert "«x» ya está en la lista «l» (fila 2)" in p.message()


def test_syntax_errors_carry_the_column_and_position(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        [
            ("type", "name", "label", "relevant", "constraint", "calculation"),
            ("integer", "a", "A", None, ". >", None),
            ("text", "b", "B", "${a} = 'x", None, None),
            ("calculate", "c", None, None, None, "sum(${a}"),
            ("calculate", "d", None, None, None, "pulldata('f', 'x', 'y', 'z')"),
            ("calculate", "e", None, None, None, "string_length(${a})"),
        ],
    )
    assert [(p.row, p.message()) for p in found] == [
        (
            2,
            "columna «constraint»: Error de sintaxis en la posición 4: falta un valor (un "
            "número, un texto entre comillas, ${pregunta} o una función)",
        ),
        (
            3,
            "columna «relevant»: Error de sintaxis en la posición 8: el texto no tiene la "
            "comilla de cierre «'»",
        ),
        (4, "columna «calculation»: Error de sintaxis en la posición 9: se esperaba «,» o «)»"),
        (
            5,
            "columna «calculation»: Error en la posición 1: la función «pulldata» no está "
            "soportada en fieldkit",
        ),
        (
            6,
            "columna «calculation»: Error en la posición 1: la función «string_length» no existe; "
            "¿quiso decir «string-length»?",
        ),
    ]


def test_references_to_unknown_questions(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        [
            ("type", "name", "label", "relevant", "hint"),
            ("integer", "edad", "Edad", None, None),
            ("text", "b", "B", "${eddad} > 18", None),
            ("text", "c", "Hola ${nadie}", None, "Tiene ${edad} años"),
            ("text", "d", "D", "edad > 18", None),
        ],
    )
    assert [(p.row, p.message()) for p in found] == [
        (
            3,
            "columna «relevant»: la pregunta «eddad» no existe en el formulario; ¿quiso decir "
            "«edad»?",
        ),
        (4, "columna «label»: la pregunta «nadie» no existe en el formulario"),
        (
            5,
            "columna «relevant»: «edad» no es una referencia; para usar la respuesta de la "
            "pregunta escriba ${edad}",
        ),
    ]


def test_cycles_name_the_questions_involved(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        [
            ("type", "name", "label", "relevant", "calculation"),
            ("integer", "a", "A", None, None),
            ("calculate", "b", None, None, "${d} + ${a}"),
            ("calculate", "c", None, None, "${b} * 2"),
            ("calculate", "d", None, None, "${c} - 1"),
            ("text", "e", "E", "${e} != ''", None),
            ("calculate", "f", None, None, "${f} + 1"),
        ],
    )
    assert [(p.row, p.message()) for p in found] == [
        (
            3,
            "dependencia circular entre preguntas: «b» → «d» → «c» → «b»; cada cálculo o "
            "condición debe poder evaluarse sin depender de sí mismo",
        ),
        (
            6,
            "«e» depende de sí misma (columna relevant); una condición o cálculo no puede usar "
            "su propia respuesta",
        ),
        (
            7,
            "«f» depende de sí misma (columna calculation); una condición o cálculo no puede "
            "usar su propia respuesta",
        ),
    ]


def test_a_group_relevance_read_inside_it_is_a_cycle(tmp_path: Path) -> None:
    p = only(
        tmp_path,
        [
            ("type", "name", "label", "relevant"),
            ("begin group", "g", "G", "${x} = 1"),
            ("integer", "x", "X", None),
            ("end group", None, None, None),
        ],
    )
    assert p.row == 2 and "«g» → «x» → «g»" in p.message()


def test_unsupported_columns(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        [
            (
                "type",
                "name",
                "label",
                "repeat_count",
                "trigger",
                "parameters",
                "media::image",
                "bind::jr:preload",
                "appearance",
            ),
            ("begin repeat", "r", "R", "3", None, None, None, None, None),
            ("text", "a", "A", None, None, None, None, None, None),
            ("end repeat", None, None, None, None, None, None, None, None),
            ("text", "b", "B", None, "${a}", None, None, None, None),
            ("select_one l", "c", "C", None, None, "randomize=true", None, None, None),
            ("note", "d", "D", None, None, None, "logo.png", None, None),
            ("text", "e", "E", None, None, None, None, "uid", None),
            ("select_one l", "f", "F", None, None, None, None, None, "search('municipios')"),
            ("image", "g", "G", None, None, "app=org.example", None, None, None),
        ],
        [("list_name", "name", "label"), ("l", "x", "X")],
    )
    assert [(p.row, p.message()) for p in found] == [
        (
            2,
            "la columna «repeat_count» (número fijo de repeticiones) no está soportada en "
            "fieldkit; las filas se agregan y quitan a mano",
        ),
        (
            5,
            "la columna «trigger» (recalcular cuando cambia otra pregunta) no está soportada en "
            "fieldkit; use una pregunta calculate",
        ),
        (6, "el parámetro «randomize» no está soportado para el tipo «select_one»"),
        (
            7,
            "las imágenes, audios y videos en las etiquetas (columna «media::image») no están "
            "soportados en fieldkit",
        ),
        (8, "la columna «bind::jr:preload» no está soportada en fieldkit"),
        (9, "la apariencia «search('municipios')» no está soportada en fieldkit"),
        (10, "el parámetro «app» no está soportado para el tipo «image»"),
    ]


def test_sections_must_close_and_match(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        [
            HEADER,
            ("end group", None, None),
            ("begin repeat", "r", "R"),
            ("end group", None, None),
            ("begin group", "g", "G"),
            ("text", "a", "A"),
        ],
    )
    assert [(p.row, p.message()) for p in found] == [
        (2, "«end group» no cierra ningún «begin group» abierto"),
        (3, "«begin repeat» «r» no tiene su «end repeat»"),
        (4, "«end group» cierra el «begin repeat» «r» de la fila 3"),
        (5, "«begin group» «g» no tiene su «end group»"),
    ]


def test_every_problem_is_listed_at_once_and_nothing_is_half_loaded(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        [
            ("type", "name", "label", "constraint"),
            ("text", "a", "A", None),
            ("interger", "b", "B", None),
            ("select_one nada", "c", "C", None),
            ("text", "a", "A2", "${zz} = 1"),
            ("integer", "d", "D", ". >"),
            ("text", "bad name", "E", None),
            (None, "sin_tipo", "Sin tipo", None),
        ],
    )
    # A refused row (here a duplicate name) still has its expressions checked.
    assert places(found) == [("survey", n) for n in (3, 4, 5, 5, 6, 7, 8)]
    assert "«zz» no existe" in found[3].message()
    error = FormError(found, source="roto.xlsx")
    text = str(error)
    assert text.startswith("El formulario «roto.xlsx» no se puede usar: tiene 7 problema(s).")
    assert "hoja survey, fila 7: el nombre «bad name» no es válido" in text


def test_messages_translate_with_the_nested_expression_error(tmp_path: Path) -> None:
    p = only(tmp_path, [("type", "name", "label", "relevant"), ("text", "a", "A", "1 +")])
    english = {
        "columna «{column}»: {error}": "column «{column}»: {error}",
        "Error de sintaxis en la posición {position}: falta un valor (un número, un texto entre "
        "comillas, ${{pregunta}} o una función)": "Syntax error at position {position}: a value "
        "is missing",
        "hoja {sheet}, fila {row}: {message}": "sheet {sheet}, row {row}: {message}",
    }
    assert p.render(lambda s: english.get(s, s)) == (
        "sheet survey, row 2: column «relevant»: Syntax error at position 4: a value is missing"
    )


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(FormError) as info:
        load_form(tmp_path / "no_existe.xlsx")
    assert info.value.problems[0].sheet == "" and "no existe" in str(info.value)
    with pytest.raises(FormError):
        load_form(b"\x00\x01 not a workbook at all \xff")


def test_or_other_generated_name_must_be_free(tmp_path: Path) -> None:
    p = only(
        tmp_path,
        [HEADER, ("select_one l or_other", "s", "S"), ("text", "s_other", "Otro")],
        [("list_name", "name", "label"), ("l", "x", "X")],
    )
    assert p.row in (2, 3) and "s_other" in p.message()


def test_choice_filter_columns_must_exist(tmp_path: Path) -> None:
    p = only(
        tmp_path,
        [
            ("type", "name", "label", "choice_filter"),
            ("select_one dep", "d", "D", None),
            ("select_one mun", "m", "M", "departamento = ${d}"),
        ],
        [
            ("list_name", "name", "label", "dep"),
            ("dep", "05", "Antioquia", None),
            ("mun", "05001", "Medellín", "05"),
        ],
    )
    assert p.row == 3
    assert p.message() == (
        "columna «choice_filter»: la lista «mun» no tiene la columna «departamento» en la hoja "
        "choices"
    )


def test_position_outside_a_repeat(tmp_path: Path) -> None:
    p = only(
        tmp_path,
        [("type", "name", "label", "calculation"), ("calculate", "n", None, "position(..)")],
    )
    assert p.row == 2 and "position() solo tiene sentido dentro de una repetición" in p.message()


def test_invalid_static_default(tmp_path: Path) -> None:
    p = only(tmp_path, [("type", "name", "label", "default"), ("integer", "n", "N", "diez")])
    assert p.row == 2
    assert p.message() == (
        "columna «default»: el valor «diez» no sirve para esta pregunta: «diez» no es un número "
        "entero"
    )


def test_group_cannot_be_read_as_a_value(tmp_path: Path) -> None:
    p = only(
        tmp_path,
        [
            ("type", "name", "label", "relevant"),
            ("begin group", "g", "G", None),
            ("text", "a", "A", None),
            ("end group", None, None, None),
            ("text", "b", "B", "${g} != ''"),
        ],
    )
    assert p.row == 5 and "«g» es un grupo y no tiene respuesta" in p.message()


def test_problems_pyxform_alone_finds_are_reported_too(tmp_path: Path) -> None:
    """A select_multiple choice name with spaces: pyxform refuses it, and so do we (on the
    choices row); a choices sheet row without list_name is ours."""
    found = problems(
        tmp_path,
        [HEADER, ("select_multiple l", "s", "S")],
        [("list_name", "name", "label"), ("l", "a b", "AB"), (None, "huerfana", "H")],
    )
    assert places(found) == [("choices", 2), ("choices", 3)]


def test_missing_header_columns(tmp_path: Path) -> None:
    p = only(tmp_path, [("name", "label"), ("a", "A")])
    assert (p.sheet, p.row) == ("survey", 1)
    assert p.message() == (
        "falta la columna «type» en la primera fila de la hoja; la primera fila lleva los "
        "nombres de las columnas"
    )
    found = problems(tmp_path, [HEADER, ("text", "a", "A")], [("list_name", "label"), ("l", "X")])
    assert places(found) == [("choices", 1)] and "«name»" in found[0].message()
