"""The XLSForm / ODK expression language: parse once, evaluate against a form's answers.

    >>> expr = parse("if(${age} >= 18, 'adulto', 'menor')")
    >>> sorted(expr.references)
    ['age']
    >>> evaluate(expr, MappingContext({"age": 20}))
    'adulto'

XPath 1.0 semantics (conversions, comparisons, NaN, Infinity) with ODK's extensions and
functions, agreeing with the conformance vectors of Enketo's openrosa-xpath-evaluator.
"""

from __future__ import annotations

from fieldkit.forms.expressions.context import (
    BaseContext,
    Clock,
    Context,
    MappingContext,
    system_clock,
)
from fieldkit.forms.expressions.errors import ExpressionError
from fieldkit.forms.expressions.expression import Expression, evaluate, evaluate_text, parse
from fieldkit.forms.expressions.functions import FUNCTIONS, VOLATILE
from fieldkit.forms.expressions.values import (
    NodeSet,
    Value,
    format_value,
    from_python,
    to_boolean,
    to_number,
    to_string,
)

__all__ = [
    "FUNCTIONS",
    "VOLATILE",
    "BaseContext",
    "Clock",
    "Context",
    "Expression",
    "ExpressionError",
    "MappingContext",
    "NodeSet",
    "Value",
    "evaluate",
    "evaluate_text",
    "format_value",
    "from_python",
    "parse",
    "system_clock",
    "to_boolean",
    "to_number",
    "to_string",
]
