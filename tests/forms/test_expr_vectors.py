"""Every conformance vector of Enketo's openrosa-xpath-evaluator (see data/README.md).

Each vector is evaluated with nothing answered and its value read as the vector's type, the way
XPathResult reads it (string(), number(), boolean()); an "error" vector must raise
ExpressionError, at parse time or while evaluating. No vector is skipped and none deviates: if
one ever has to, list it in DEVIATIONS with the value fieldkit gives and why.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from fieldkit.forms.expressions import (
    ExpressionError,
    evaluate,
    parse,
    to_boolean,
    to_number,
    to_string,
)

DATA = Path(__file__).parent / "data" / "odk_expr_vectors.json"
VECTORS: list[dict[str, object]] = json.loads(DATA.read_text(encoding="utf-8"))["vectors"]

# index -> (what fieldkit gives, why it differs). Empty: fieldkit agrees with all 837.
DEVIATIONS: dict[int, tuple[object, str]] = {}


def _vector_id(index: int, vector: dict[str, object]) -> str:
    return f"{index:03d}-{vector['type']}:{vector['expr']!r}"


def _read_as(value: object, kind: str) -> object:
    if kind == "string":
        return to_string(value)  # type: ignore[arg-type]
    if kind == "number":
        return to_number(value)  # type: ignore[arg-type]
    return to_boolean(value)  # type: ignore[arg-type]


def _same(got: object, expected: object, kind: str) -> bool:
    if kind == "number":
        x = float(expected)  # type: ignore[arg-type]  # "NaN", "Infinity" parse too
        assert isinstance(got, float)
        return (math.isnan(x) and math.isnan(got)) or got == x
    return got == expected


def test_the_copy_is_complete() -> None:
    assert len(VECTORS) == 837
    assert {v["type"] for v in VECTORS} == {"string", "number", "boolean", "error"}


@pytest.mark.parametrize(
    ("index", "vector"),
    list(enumerate(VECTORS)),
    ids=[_vector_id(i, v) for i, v in enumerate(VECTORS)],
)
def test_vector(index: int, vector: dict[str, object]) -> None:
    text, kind, expected = str(vector["expr"]), str(vector["type"]), vector["expected"]
    if kind == "error":
        with pytest.raises(ExpressionError) as caught:
            evaluate(parse(text))
        assert caught.value.position >= 1
        return
    got = _read_as(evaluate(parse(text)), kind)
    if index in DEVIATIONS:
        assert got == DEVIATIONS[index][0]
    else:
        assert _same(got, expected, kind), f"{text!r} read as {kind}: {got!r}, not {expected!r}"
