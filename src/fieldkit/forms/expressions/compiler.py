"""Turn a syntax tree into nested closures, once per expression, so evaluating is just calls."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

from fieldkit.forms.expressions import errors as E
from fieldkit.forms.expressions.context import Context
from fieldkit.forms.expressions.errors import ExpressionError
from fieldkit.forms.expressions.functions import FUNCTIONS, Compiled
from fieldkit.forms.expressions.nodes import (
    Binary,
    Call,
    Current,
    Literal,
    Name,
    Negate,
    Node,
    Parent,
    Ref,
)
from fieldkit.forms.expressions.values import (
    INF,
    NAN,
    Value,
    equals,
    from_python,
    not_equals,
    relational,
    to_boolean,
    to_number,
)


def divide(a: float, b: float) -> float:
    """IEEE division, as XPath's ``div``: 1 div 0 is Infinity, 0 div 0 is NaN."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def modulo(a: float, b: float) -> float:
    """XPath's ``mod``: the remainder of truncating division, with the sign of the dividend."""
    try:
        return math.fmod(a, b)
    except ValueError:  # x mod 0, ±∞ mod y
        return NAN


_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "div": divide,
    "mod": modulo,
}
_RELATIONAL: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def compile_tree(node: Node) -> Compiled:
    """A closure computing ``node``'s value in a context; errors that only the tree shows
    (``..`` outside ``position(..)``, a bad literal regex) are raised now."""
    if isinstance(node, Literal):
        value = node.value
        return lambda ctx: value
    if isinstance(node, Ref):
        name = node.name
        return lambda ctx: from_python(ctx.answer(name))
    if isinstance(node, Current):
        return lambda ctx: from_python(ctx.current())
    if isinstance(node, Name):
        column = node.name
        return lambda ctx: from_python(ctx.child(column))
    if isinstance(node, Parent):
        raise ExpressionError(E.PATHS_UNSUPPORTED, position=node.pos + 1, found="..")
    if isinstance(node, Negate):
        operand = compile_tree(node.operand)
        return lambda ctx: -to_number(operand(ctx))
    if isinstance(node, Call):
        return FUNCTIONS[node.name].build(node, compile_tree)
    return _binary(node)


def _binary(node: Binary) -> Compiled:
    left, right = compile_tree(node.left), compile_tree(node.right)
    op = node.op
    if op == "or":
        return lambda ctx: to_boolean(left(ctx)) or to_boolean(right(ctx))
    if op == "and":
        return lambda ctx: to_boolean(left(ctx)) and to_boolean(right(ctx))
    if op == "=":
        return lambda ctx: equals(left(ctx), right(ctx))
    if op == "!=":
        return lambda ctx: not_equals(left(ctx), right(ctx))
    if op in _RELATIONAL:
        compare = _RELATIONAL[op]
        return lambda ctx: relational(compare, left(ctx), right(ctx))
    arithmetic = _ARITHMETIC[op]

    def run(ctx: Context) -> Value:
        return arithmetic(to_number(left(ctx)), to_number(right(ctx)))

    return run
