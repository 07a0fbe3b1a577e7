"""Mistakes in expressions: a Spanish message naming the 1-based position, found when parsing
(so a form is refused on load), or when evaluating for what only a value can show."""

from __future__ import annotations

import pytest

from fieldkit.domain.errors import FieldkitError
from fieldkit.forms.expressions import ExpressionError, MappingContext, evaluate, parse

OPERATORS = "(and, or, =, !=, <, <=, >, >=, +, -, *, div, mod)"

# fmt: off
SYNTAX_ERRORS: list[tuple[str, int, str]] = [
    ("(1 + 2", 7, "Error de sintaxis en la posición 7: se esperaba «)»"),
    ("(1 2)", 4, "Error de sintaxis en la posición 4: se esperaba «)» y se encontró «2»"),
    ("concat('a',", 12, "Error de sintaxis en la posición 12: falta un valor (un número, un texto entre comillas, ${pregunta} o una función)"),
    ("concat('a'", 11, "Error de sintaxis en la posición 11: se esperaba «,» o «)»"),
    ("concat('a' 'b')", 12, "Error de sintaxis en la posición 12: se esperaba «,» o «)» y se encontró «'b'»"),
    ("${edad} >", 10, "Error de sintaxis en la posición 10: falta un valor (un número, un texto entre comillas, ${pregunta} o una función)"),
    ("", 1, "Error de sintaxis en la posición 1: falta un valor (un número, un texto entre comillas, ${pregunta} o una función)"),
    ("1 + * 2", 5, "Error de sintaxis en la posición 5: se esperaba un valor y se encontró «*»"),
    ("()", 2, "Error de sintaxis en la posición 2: se esperaba un valor y se encontró «)»"),
    ("${a} = = 1", 8, "Error de sintaxis en la posición 8: se esperaba un valor y se encontró «=»"),
    ("1 And 1", 3, f"Error de sintaxis en la posición 3: se esperaba un operador {OPERATORS} y se encontró «And»"),
    ("1 OR 1", 3, f"Error de sintaxis en la posición 3: se esperaba un operador {OPERATORS} y se encontró «OR»"),
    ("${a} 'x'", 6, f"Error de sintaxis en la posición 6: se esperaba un operador {OPERATORS} y se encontró «'x'»"),
    ("1 order", 3, f"Error de sintaxis en la posición 3: se esperaba un operador {OPERATORS} y se encontró «order»"),
    ("1 + 2)", 6, "Error de sintaxis en la posición 6: este «)» no cierra ningún «(»"),
    ("'sin cerrar", 1, "Error de sintaxis en la posición 1: el texto no tiene la comilla de cierre «'»"),
    ('1 = "abc', 5, 'Error de sintaxis en la posición 5: el texto no tiene la comilla de cierre «"»'),
    ("${edad", 1, "Error de sintaxis en la posición 1: referencia mal escrita; se escribe ${nombre}, con el nombre de una pregunta"),
    ("${} = 1", 1, "Error de sintaxis en la posición 1: referencia mal escrita; se escribe ${nombre}, con el nombre de una pregunta"),
    ("1 + ${1a}", 5, "Error de sintaxis en la posición 5: referencia mal escrita; se escribe ${nombre}, con el nombre de una pregunta"),
    ("$edad > 1", 1, "Error de sintaxis en la posición 1: referencia mal escrita; se escribe ${nombre}, con el nombre de una pregunta"),
    ("1 # 2", 3, "Error de sintaxis en la posición 3: carácter no válido «#»"),
    ("${a} = 1 ;", 10, "Error de sintaxis en la posición 10: carácter no válido «;»"),
    ("/data/edad > 1", 1, "Error en la posición 1: las rutas XPath («/») no están soportadas; use ${nombre} para referirse a una pregunta"),
    ("${a}/b", 5, "Error en la posición 5: las rutas XPath («/») no están soportadas; use ${nombre} para referirse a una pregunta"),
    ("item[1]", 5, "Error en la posición 5: las rutas XPath («[») no están soportadas; use ${nombre} para referirse a una pregunta"),
    ("@id", 1, "Error en la posición 1: las rutas XPath («@») no están soportadas; use ${nombre} para referirse a una pregunta"),
    ("'a' | 'b'", 5, "Error en la posición 5: las rutas XPath («|») no están soportadas; use ${nombre} para referirse a una pregunta"),
    ("self::node()", 1, "Error en la posición 1: las rutas XPath («self::») no están soportadas; use ${nombre} para referirse a una pregunta"),
    ("../edad", 3, "Error en la posición 3: las rutas XPath («/») no están soportadas; use ${nombre} para referirse a una pregunta"),
    (".. = 1", 1, "Error en la posición 1: las rutas XPath («..») no están soportadas; use ${nombre} para referirse a una pregunta"),
    ("(" * 101 + "1" + ")" * 101, 101, "Error de sintaxis en la posición 101: la expresión tiene demasiados niveles de paréntesis o funciones anidadas"),
]
# fmt: on

# fmt: off
PARSE_ERRORS: list[tuple[str, int, str]] = [
    ("foo(1)", 1, "Error en la posición 1: la función «foo» no existe; ¿quiso decir «floor»?"),
    ("1 + selectd(${a}, 'x')", 5, "Error en la posición 5: la función «selectd» no existe; ¿quiso decir «selected»?"),
    ("zzz()", 1, "Error en la posición 1: la función «zzz» no existe"),
    ("Concat('a')", 1, "Error en la posición 1: la función «Concat» no existe; ¿quiso decir «concat»?"),
    ("pulldata('fruits', 'name', 'id', ${f})", 1, "Error en la posición 1: la función «pulldata» no está soportada en fieldkit"),
    ("true(1)", 1, "Error en la posición 1: la función «true» no recibe argumentos y se le dieron 1"),
    ("not(1, 2)", 1, "Error en la posición 1: la función «not» recibe 1 argumento(s) y se le dieron 2"),
    ("if(${a}, 1)", 1, "Error en la posición 1: la función «if» recibe 3 argumento(s) y se le dieron 2"),
    ("max()", 1, "Error en la posición 1: la función «max» recibe al menos 1 argumento(s) y se le dieron 0"),
    ("x = round(1, 2, 3)", 5, "Error en la posición 5: la función «round» recibe de 1 a 2 argumentos y se le dieron 3"),
    ("weighted-checklist(1, 2, ${a})", 1, "Error en la posición 1: «weighted-checklist» recibe el mínimo, el máximo y pares de valor y peso; se le dieron 3 argumentos"),
    ("indexed-repeat(${a}, ${r}, 1, ${s})", 1, "Error en la posición 1: «indexed-repeat» recibe la pregunta y hasta tres pares de repetición e índice; se le dieron 4 argumentos"),
    ("sum(1, 2)", 1, "Error en la posición 1: la función «sum» recibe 1 argumento(s) y se le dieron 2"),
    ("sum(1)", 1, "Error en la posición 1: la función «sum» necesita una referencia a una pregunta, como ${pregunta}"),
    ("count(concat(${a}))", 1, "Error en la posición 1: la función «count» necesita una referencia a una pregunta, como ${pregunta}"),
    ("position(1)", 1, "Error en la posición 1: la función «position» necesita una referencia a una pregunta, como ${pregunta}"),
    ("indexed-repeat('x', ${r}, 1)", 1, "Error en la posición 1: la función «indexed-repeat» necesita una referencia a una pregunta, como ${pregunta}"),
    (". != '' and regex(., '[0-9')", 13, "Error en la posición 13: la expresión regular «[0-9» no es válida"),
]
# fmt: on

# fmt: off
EVALUATION_ERRORS: list[tuple[str, int, str]] = [
    ("1 + position(..)", 5, "Error en la posición 5: «position(..)» solo tiene sentido dentro de una repetición"),
    ("digest(${a}, 'SHA-3')", 1, "Error en la posición 1: «digest» admite los algoritmos MD5, SHA-1, SHA-256, SHA-384 y SHA-512 con codificación base64 o hex, no «SHA-3»"),
    ("digest(${a}, 'MD5', 'base32')", 1, "Error en la posición 1: «digest» admite los algoritmos MD5, SHA-1, SHA-256, SHA-384 y SHA-512 con codificación base64 o hex, no «base32»"),
    ("regex(${a}, ${pattern})", 1, "Error en la posición 1: la expresión regular «(» no es válida"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "position", "message"),
    SYNTAX_ERRORS + PARSE_ERRORS,
    ids=[t[:40] for t, _, _ in SYNTAX_ERRORS + PARSE_ERRORS],
)
def test_parse_refuses_with_position(text: str, position: int, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert str(caught.value) == message
    assert caught.value.position == position
    assert caught.value.text == text


@pytest.mark.parametrize(
    ("text", "position", "message"), EVALUATION_ERRORS, ids=[t for t, _, _ in EVALUATION_ERRORS]
)
def test_evaluation_errors_name_the_call(text: str, position: int, message: str) -> None:
    expression = parse(text)  # valid syntax: only the values show the problem
    with pytest.raises(ExpressionError) as caught:
        evaluate(expression, MappingContext({"a": "abc", "pattern": "("}))
    assert str(caught.value) == message
    assert caught.value.position == position
    assert caught.value.text == text


def test_the_error_is_a_fieldkit_error_translated_where_shown() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("(1 + 2")
    error = caught.value
    assert isinstance(error, FieldkitError)
    assert error.exit_code == 2
    assert error.msgid == "Error de sintaxis en la posición {position}: se esperaba «{expected}»"
    english = {error.msgid: "Syntax error at position {position}: expected “{expected}”"}
    assert error.render(lambda m: english.get(m, m)) == "Syntax error at position 7: expected “)”"


def test_positions_count_characters_not_bytes() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("'añoñí' = )")
    assert caught.value.position == 11


def test_names_and_operators_are_case_sensitive_but_not_confused() -> None:
    assert parse("1and1").evaluate() is True
    assert parse("${a}and${b}").references == {"a", "b"}
    assert parse("a-b").child_names == {"a-b"}  # an XML name may contain "-"
    assert parse("a - b").child_names == {"a", "b"}
    assert parse("div = mod").child_names == {"div", "mod"}  # names where a value is expected
