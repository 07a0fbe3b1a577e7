"""Properties of the expression language that must hold for any input (hypothesis)."""

from __future__ import annotations

import math
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.forms.expressions import (
    ExpressionError,
    MappingContext,
    evaluate,
    parse,
    to_boolean,
    to_number,
    to_string,
)
from fieldkit.forms.expressions.values import number_to_string

ANSWERS = {
    "a": 3,
    "b": "texto",
    "c": "",
    "d": "2024-01-15",
    "e": None,
    "list": [1, "2", ""],
    "sel": "x y z",
}
CONTEXT = MappingContext(ANSWERS, current="7", seed=1)

finite = st.floats(allow_nan=False, allow_infinity=False)


def number_text(x: float) -> str:
    """A literal for any finite float (literals are never negative: '-' is an operator)."""
    text = number_to_string(abs(x))
    return "-" + text if math.copysign(1.0, x) < 0 else text


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b and type(a) is type(b)


# Expressions built from a grammar: literals, references, operators, a few functions.
names = st.sampled_from([*sorted(ANSWERS), "missing", "año_1", "q.2"])
plain_text = st.text(alphabet=st.characters(exclude_characters="'\"$\x00"), max_size=6)
atoms = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.from_regex(r"[0-9]{1,3}\.[0-9]{0,3}|\.[0-9]{1,3}", fullmatch=True),
    plain_text.map(lambda s: f"'{s}'"),
    plain_text.map(lambda s: f'"{s}"'),
    names.map(lambda n: "${" + n + "}"),
    st.sampled_from([".", "true()", "false()", "number('x')", "(1 div 0)"]),
)
OPERATORS = ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"]


def _compound(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(OPERATORS), children).map(" ".join),
        children.map(lambda c: f"({c})"),
        children.map(lambda c: f"-{c}"),
        st.lists(children, max_size=3).map(lambda cs: f"concat({', '.join(cs)})"),
        st.tuples(children, children, children).map(lambda t: "if({}, {}, {})".format(*t)),
        children.map(lambda c: f"not({c})"),
        children.map(lambda c: f"round({c}, 1)"),
        children.map(lambda c: f"string-length({c})"),
        st.tuples(children, children).map(lambda t: "coalesce({}, {})".format(*t)),
        st.tuples(children, children).map(lambda t: "selected({}, {})".format(*t)),
    )


expressions = st.recursive(atoms, _compound, max_leaves=10)


@given(finite, finite, st.sampled_from(["+", "-", "*", "div", "mod"]))
def test_arithmetic_agrees_with_python_on_finite_numbers(a: float, b: float, op: str) -> None:
    got = evaluate(f"{number_text(a)} {op} {number_text(b)}")
    if op == "+":
        expected = a + b
    elif op == "-":
        expected = a - b
    elif op == "*":
        expected = a * b
    elif b != 0:
        expected = a / b if op == "div" else math.fmod(a, b)
    elif op == "div" and a != 0:  # where Python raises, IEEE (and XPath) give ±Infinity …
        expected = math.copysign(math.inf, a) * math.copysign(1.0, b)
    else:  # … or NaN
        expected = math.nan
    assert same(got, expected), (a, op, b, got, expected)


@given(finite)
def test_a_number_survives_its_text(x: float) -> None:
    assert to_number(to_string(x)) == x
    assert "e" not in to_string(x).lower()
    assert evaluate(f"number('{number_to_string(x)}')") == x


@given(st.integers(min_value=-(2**50), max_value=2**50))
def test_round_sends_halves_away_from_zero(n: int) -> None:
    x = n + 0.5
    expected = math.copysign(math.floor(abs(x) + 0.5), x)
    assert evaluate(f"round({number_text(x)})") == expected


comparable = st.one_of(
    finite.map(number_text),
    plain_text.map(lambda s: f"'{s}'"),
    st.sampled_from(["true()", "false()", "number('x')", "${list}", "${a}", "${e}", "today()"]),
)


@given(comparable, comparable)
def test_equality_is_symmetric(a: str, b: str) -> None:
    assert evaluate(f"{a} = {b}", CONTEXT) == evaluate(f"{b} = {a}", CONTEXT)
    assert evaluate(f"{a} != {b}", CONTEXT) == evaluate(f"{b} != {a}", CONTEXT)
    if "${list}" not in (a, b):  # node-sets compare existentially: both can hold
        assert evaluate(f"{a} != {b}", CONTEXT) == (not evaluate(f"{a} = {b}", CONTEXT))


@given(comparable, comparable)
def test_relational_operators_mirror(a: str, b: str) -> None:
    assert evaluate(f"{a} < {b}", CONTEXT) == evaluate(f"{b} > {a}", CONTEXT)
    assert evaluate(f"{a} <= {b}", CONTEXT) == evaluate(f"{b} >= {a}", CONTEXT)


@given(expressions)
def test_not_not_is_boolean(text: str) -> None:
    expected = to_boolean(evaluate(text, CONTEXT))
    assert evaluate(f"not(not({text}))", CONTEXT) is expected
    assert evaluate(f"boolean({text})", CONTEXT) is expected


@given(plain_text, plain_text, plain_text)
def test_concat_is_associative(a: str, b: str, c: str) -> None:
    a, b, c = (f"'{s}'" for s in (a, b, c))
    left = evaluate(f"concat(concat({a}, {b}), {c})")
    right = evaluate(f"concat({a}, concat({b}, {c}))")
    assert left == right == evaluate(f"concat({a}, {b}, {c})")


@settings(max_examples=300)
@given(expressions)
def test_canonical_text_parses_back_to_the_same_tree(text: str) -> None:
    expr = parse(text)
    again = parse(str(expr))
    assert again == expr
    assert str(again) == str(expr)
    assert same(again.evaluate(CONTEXT), expr.evaluate(CONTEXT))


@given(expressions)
def test_every_reference_is_found(text: str) -> None:
    written = set(re.findall(r"\$\{([^}]*)\}", text))  # literals here never contain "$"
    assert parse(text).references == written


TOKENS = [
    "(", ")", ",", "${a}", "${list}", "${", "}", "'x'", '"y"', "'", "1", "2.5", ".", "..", " ",
    "and", "or", "div", "mod", "=", "!=", "<", ">=", "+", "-", "*", "/", "[", "]", "@", "|",
    "$", "#", "concat(", "if(", "round(", "substr(", "selected(", "today()", "number(", "sum(",
    "count(", "position(", "format-date(", "date(", "regex(", "foo(", "jr:choice-name(",
    "pow(", "uuid(", "randomize(", "int(", "::",
]  # fmt: skip


@settings(max_examples=500)
@given(st.lists(st.sampled_from(TOKENS), max_size=14).map("".join))
def test_any_text_either_parses_and_evaluates_or_says_where_it_is_wrong(text: str) -> None:
    try:
        expr = parse(text)
        expr.evaluate(CONTEXT)
    except ExpressionError as e:
        assert 1 <= e.position <= len(text) + 1
        assert e.text == text
        assert str(e).startswith(("Error de sintaxis en la posición", "Error en la posición"))
