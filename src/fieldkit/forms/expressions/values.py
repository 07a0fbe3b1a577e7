"""The values of the expression language and XPath 1.0's conversions and comparisons between them.

A value is a ``str``, a ``float`` (every number), a ``bool``, a ``date`` or ``datetime`` (what
``today()``, ``now()`` and ``date()`` return; numbers of days when used as numbers) or a
``NodeSet`` (the answers of a repeated question seen from outside its repeat).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, time
from decimal import Decimal

from fieldkit.forms.expressions.dates import date_to_string, days_since_epoch, string_to_days

NAN = math.nan
INF = math.inf


class NodeSet(tuple):  # type: ignore[type-arg]
    """The answers of a repeated question, one per repeat instance, in order."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"NodeSet({list(self)!r})"


Value = str | float | bool | date | NodeSet

# XPath 1.0's Number production, with the whitespace it allows around it (no sign but "-",
# no exponent, no "Infinity").
_NUMBER = re.compile(r"[ \t\r\n]*(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))[ \t\r\n]*\Z")


def from_python(value: object) -> Value:
    """A value handed in by a context (an answer) as a value of the language.

    None is an unanswered question (""); ints and Decimals become floats; a list or tuple is
    the answers of a repeated question (a NodeSet); a ``time`` becomes its ISO text.
    """
    if value is None:
        return ""
    if isinstance(value, str | bool | float | NodeSet | date):
        return value
    if isinstance(value, int | Decimal):
        return float(value)
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return NodeSet(from_python(v) for v in value)
    if isinstance(value, Mapping):
        return ""  # a repeat instance counted by count(${repeat}); it has no value of its own
    return str(value)


def number_to_string(x: float) -> str:
    """XPath 1.0's string of a number: no exponent, no trailing zeros, "NaN", "Infinity"."""
    if x != x:
        return "NaN"
    if x in (INF, -INF):
        return "Infinity" if x > 0 else "-Infinity"
    if x.is_integer() and abs(x) < 2**53:
        return str(int(x))
    text = format(Decimal(repr(x)).normalize(), "f")
    return "0" if text in ("0", "-0") else text


def to_string(value: Value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_to_string(value)
    if isinstance(value, NodeSet):
        return to_string(value[0]) if value else ""
    if isinstance(value, date):
        return date_to_string(value)
    return str(value)


def string_to_number(text: str) -> float:
    m = _NUMBER.match(text)
    if m:
        return float(m[1])
    days = string_to_days(text)
    return NAN if days is None else days


def to_number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        return string_to_number(value)
    if isinstance(value, NodeSet):
        return to_number(value[0]) if value else NAN
    if isinstance(value, date):
        return days_since_epoch(value)
    return NAN


def to_boolean(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or value != value)
    if isinstance(value, str | NodeSet):
        return len(value) > 0
    return True  # a date


def items(value: Value) -> Iterable[Value]:
    """The values of a node-set, or the value itself: how concat(), join(), min() … read args."""
    return value if isinstance(value, NodeSet) else (value,)


def format_value(value: Value) -> str:
    """A value as ``fieldkit forms eval`` prints it: its XPath string; a node-set in brackets."""
    if isinstance(value, NodeSet):
        return "[" + ", ".join(to_string(v) for v in value) + "]"
    return to_string(value)


# ---------------------------------------------------------------------------------- comparisons

_EQ: Callable[[object, object], bool] = lambda a, b: a == b  # noqa: E731
_NE: Callable[[object, object], bool] = lambda a, b: a != b  # noqa: E731


def _atomic_equal(a: Value, b: Value, op: Callable[[object, object], bool]) -> bool:
    # XPath 1.0 §3.4: a boolean on either side compares booleans, else a number compares
    # numbers, else strings. A date counts as a number (days), so `${d} = today()` works.
    if isinstance(a, bool) or isinstance(b, bool):
        return op(to_boolean(a), to_boolean(b))
    if isinstance(a, float | date) or isinstance(b, float | date):
        return op(to_number(a), to_number(b))
    return op(to_string(a), to_string(b))


def _equality(a: Value, b: Value, op: Callable[[object, object], bool]) -> bool:
    a_nodes, b_nodes = isinstance(a, NodeSet), isinstance(b, NodeSet)
    if a_nodes and b_nodes:
        strings = {to_string(y) for y in b} if op is _EQ else [to_string(y) for y in b]
        return any(op(to_string(x), y) for x in a for y in strings)
    if a_nodes or b_nodes:
        nodes, other = (a, b) if a_nodes else (b, a)
        assert isinstance(nodes, NodeSet)
        if isinstance(other, bool):
            return op(to_boolean(nodes), other)
        if isinstance(other, float | date):
            n = to_number(other)
            return any(op(to_number(x), n) for x in nodes)
        s = to_string(other)
        return any(op(to_string(x), s) for x in nodes)
    return _atomic_equal(a, b, op)


def equals(a: Value, b: Value) -> bool:
    """XPath's ``=``: existential over node-sets."""
    return _equality(a, b, _EQ)


def not_equals(a: Value, b: Value) -> bool:
    """XPath's ``!=``: existential over node-sets, so not always ``not(a = b)``."""
    return _equality(a, b, _NE)


def relational(op: Callable[[float, float], bool], a: Value, b: Value) -> bool:
    """``<``, ``<=``, ``>``, ``>=``: numbers on both sides (NaN compares false)."""
    xs = [to_number(x) for x in a] if isinstance(a, NodeSet) else [to_number(a)]
    ys = [to_number(y) for y in b] if isinstance(b, NodeSet) else [to_number(b)]
    return any(op(x, y) for x in xs for y in ys)
