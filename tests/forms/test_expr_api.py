"""The API the form loader, the renderer and the command line build on."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest

from fieldkit.forms.expressions import (
    BaseContext,
    Context,
    Expression,
    MappingContext,
    NodeSet,
    evaluate,
    evaluate_text,
    format_value,
    from_python,
    parse,
)
from fieldkit.forms.expressions.nodes import Ref

NOW = datetime(2024, 5, 1, 10, 20, 30, tzinfo=timezone(timedelta(hours=-5)))


def test_an_expression_knows_what_it_reads() -> None:
    expr = parse("if(${age} >= 18 and selected(${sectors}, 'salud'), ., ${fallback})")
    assert expr.references == frozenset({"age", "sectors", "fallback"})
    assert expr.uses_current
    assert expr.functions == frozenset({"if", "selected"})
    assert not expr.volatile
    assert expr.child_names == frozenset()
    assert parse("${municipality} = municipality").child_names == {"municipality"}
    assert parse("once(random())").uses_current  # once() reads the current value
    assert parse("string-length() > 3").uses_current  # so does string-length() with no argument
    assert not parse("string-length(${a}) > 3").uses_current
    assert parse("today() - ${d}").volatile
    assert parse("1 + 1").references == frozenset()


def test_references_inside_text_are_not_references() -> None:
    assert parse("jr:choice-name(${q}, '${q}')").references == {"q"}
    assert parse("concat('${not_a_ref}', ${real})").references == {"real"}


def test_walk_gives_positions_for_row_and_column_messages() -> None:
    expr = parse("'x' = ${a} or ${b}")
    refs = [(n.name, n.pos) for n in expr.walk() if isinstance(n, Ref)]
    assert refs == [("a", 6), ("b", 14)]


def test_canonical_text_and_equality() -> None:
    assert str(parse("1+2*3")) == "1 + 2 * 3"
    assert str(parse("(1+2)*3")) == "(1 + 2) * 3"
    assert str(parse("1-(2-3)")) == "1 - (2 - 3)"
    assert str(parse("(1-2)-3")) == "1 - 2 - 3"
    assert str(parse("--1")) == "--1"
    assert str(parse("-(1+2)")) == "-(1 + 2)"
    assert str(parse('concat("it\'s",\'"q"\')')) == 'concat("it\'s", \'"q"\')'
    assert str(parse(".5+${a}")) == "0.5 + ${a}"
    assert str(parse("position(..)")) == "position(..)"
    assert parse("(1 + 2)") == parse("1+2")
    assert hash(parse("(1 + 2)")) == hash(parse("1+2"))
    assert parse("1 + 2") != parse("2 + 1")
    assert repr(parse("1+2")) == "Expression('1+2')"


def test_parse_is_cached_and_evaluate_accepts_text() -> None:
    assert parse("${a} + 1") is parse("${a} + 1")
    assert isinstance(parse("1"), Expression)
    assert evaluate("${a} + 1", MappingContext({"a": 2})) == 3.0
    assert evaluate("1 div 4") == 0.25


def test_answers_are_read_as_values_of_the_language() -> None:
    assert from_python(None) == ""
    assert from_python(3) == 3.0 and isinstance(from_python(3), float)
    assert from_python(True) is True
    assert from_python([1, None]) == NodeSet((1.0, ""))
    assert from_python(date(2024, 1, 2)) == date(2024, 1, 2)
    assert from_python({"nested": 1}) == ""  # a repeat instance: counted, no value


def test_evaluate_text_and_format_value_for_the_command_line() -> None:
    answers = {"age": 20, "amounts": [10, 20.5], "ok": True}
    assert format_value(evaluate_text("${age} * 2", answers)) == "40"
    assert format_value(evaluate_text("${amounts}", answers)) == "[10, 20.5]"
    assert format_value(evaluate_text("${age} > 18", answers)) == "true"
    assert format_value(evaluate_text("1 div 3")) == "0.3333333333333333"
    assert format_value(evaluate_text("0 div 0")) == "NaN"
    assert format_value(evaluate_text("today()", clock=lambda: NOW)) == "2024-05-01"
    assert format_value(evaluate_text("now()", clock=lambda: NOW)) == (
        "2024-05-01T10:20:30.000-05:00"
    )
    assert evaluate_text(". * 2", current=21) == 42.0
    assert evaluate_text("${missing}") == ""
    # What the CLI reads from ANSWERS.json.
    assert evaluate_text("sum(${amounts})", json.loads('{"amounts": [1, 2.5, "3"]}')) == 6.5


def test_contexts() -> None:
    base = BaseContext(clock=lambda: datetime(2024, 1, 1, 12, 0))  # a naive clock is local
    assert isinstance(base, Context)
    assert isinstance(MappingContext(), Context)
    assert evaluate("today()", base) == date(2024, 1, 1)
    assert evaluate("${anything}", base) == ""
    assert evaluate("string(.)", base) == ""

    class Answers(BaseContext):
        """How the form engine plugs in: override what it knows."""

        def __init__(self, values: dict[str, object]) -> None:
            super().__init__(clock=lambda: NOW)
            self.values = values

        def answer(self, name: str) -> object:
            return self.values.get(name)

    assert evaluate("coalesce(${a}, 'vacío')", Answers({"a": None})) == "vacío"
    assert evaluate("${a} + 1", Answers({"a": 1})) == 2.0


def test_choice_filter_reads_the_choice_columns() -> None:
    ctx = MappingContext({"department": "05"}, row={"department": "05", "name": "Medellín"})
    assert evaluate("department = ${department}", ctx) is True
    other = MappingContext({"department": "08"}, row={"department": "05"})
    assert evaluate("department = ${department}", other) is False


def test_random_and_uuid_are_reproducible_with_a_seed() -> None:
    first = [evaluate("random()", MappingContext(seed=7)) for _ in range(2)]
    assert first[0] == first[1]
    assert 0 <= first[0] < 1  # type: ignore[operator]
    u = evaluate("uuid()", MappingContext(seed=7))
    assert u == evaluate("uuid()", MappingContext(seed=7))
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", u)  # type: ignore[arg-type]
    assert re.fullmatch(r"[A-Za-z0-9]{10}", evaluate("uuid(10)"))  # type: ignore[arg-type]
    assert evaluate("uuid()") != evaluate("uuid()")


def test_the_package_is_pure() -> None:
    code = (
        "import sys, fieldkit.forms.expressions as e; e.evaluate_text('1 + 1'); "
        "bad = [m for m in ('PySide6', 'sqlalchemy', 'alembic', 'fieldkit.store', "
        "'fieldkit.services', 'fieldkit.ui', 'fieldkit.cli', 'fieldkit.sync') if m in sys.modules]; "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("string(0.1 + 0.2)", "0.30000000000000004"),
        ("string(1 div 3 * 3)", "1"),
        ("string(0.0000001)", "0.0000001"),  # XPath writes numbers without exponent
        ("string(123456789012345678901234)", "123456789012345690000000"),
        ("string(-0)", "0"),
        ("string(number('1.50'))", "1.5"),
    ],
)
def test_numbers_as_text(text: str, shown: str) -> None:
    assert evaluate(text) == shown
