"""Number functions, node-set functions (sum, count, min, max …) and repeat functions."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext

from fieldkit.forms.expressions import errors as E
from fieldkit.forms.expressions.context import Context
from fieldkit.forms.expressions.functions.registry import (
    Compile,
    Compiled,
    current_value,
    error_at,
    node_set_argument,
    special,
    strict,
)
from fieldkit.forms.expressions.nodes import Call, Parent, Ref
from fieldkit.forms.expressions.values import (
    INF,
    NAN,
    NodeSet,
    Value,
    from_python,
    items,
    to_number,
    to_string,
)

# ------------------------------------------------------------------------------------- number


@strict("number", 0, 1, context=True)
def _number(ctx: Context, *v: Value) -> Value:
    return to_number(v[0] if v else current_value(ctx))


@strict("int", 1)
def _int(v: Value) -> Value:
    x = to_number(v)
    return float(math.trunc(x)) if math.isfinite(x) else x


@strict("round", 1, 2)
def _round(v: Value, *places: Value) -> Value:
    # ODK rounds halves away from zero, in decimal: round(2.15, 1) is 2.2 although the double
    # nearest 2.15 is a little below it (as a person reading the form expects).
    x = to_number(v)
    digits = to_number(places[0]) if places else 0.0
    if not math.isfinite(x):
        return x
    if digits != digits:
        return NAN
    if digits >= 400:
        return x
    if digits <= -400:
        return math.copysign(0.0, x)
    with localcontext() as dc:
        dc.prec = 1000
        quantum = Decimal(1).scaleb(-int(digits))
        return float(Decimal(repr(x)).quantize(quantum, rounding=ROUND_HALF_UP))


def _finite_or(fn: Callable[[float], float]) -> Callable[[Value], Value]:
    def run(v: Value) -> Value:
        x = to_number(v)
        return float(fn(x)) if math.isfinite(x) else x

    return run


strict("floor", 1)(_finite_or(math.floor))
strict("ceiling", 1)(_finite_or(math.ceil))


@strict("abs", 1)
def _abs(v: Value) -> Value:
    return abs(to_number(v))


def pow_(x: float, y: float) -> float:
    """JavaScript's Math.pow, which ODK clients share (pow(-8, 1/3) is NaN, pow(0, -1) ∞)."""
    if y != y:
        return NAN
    if y == 0:
        return 1.0
    if x != x or (abs(x) == 1 and math.isinf(y)):
        return NAN
    try:
        return math.pow(x, y)
    except ZeroDivisionError:
        return INF
    except ValueError:
        if x == 0:  # 0 to a negative power: ±∞
            odd = y.is_integer() and y % 2 == 1
            return math.copysign(INF, x) if odd else INF
        return NAN
    except OverflowError:
        odd = y.is_integer() and y % 2 == 1
        return -INF if x < 0 and odd else INF


@strict("pow", 2)
def _pow(x: Value, y: Value) -> Value:
    return pow_(to_number(x), to_number(y))


def _math(fn: Callable[..., float]) -> Callable[..., Value]:
    def run(*values: Value) -> Value:
        args = [to_number(v) for v in values]
        if any(a != a for a in args):
            return NAN
        try:
            return float(fn(*args))
        except ValueError:
            return NAN
        except OverflowError:
            return INF

    return run


def _log(fn: Callable[[float], float]) -> Callable[[float], float]:
    def run(x: float) -> float:
        if x == 0:
            return -INF
        return fn(x)

    return run


for _name, _fn in {
    "sqrt": math.sqrt,
    "exp": math.exp,
    "exp10": lambda x: pow_(10.0, x),
    "log": _log(math.log),
    "log10": _log(math.log10),
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
}.items():
    strict(_name, 1)(_math(_fn))
strict("atan2", 2)(_math(math.atan2))
strict("pi", 0)(lambda: math.pi)


@strict("random", 0, context=True)
def _random(ctx: Context) -> Value:
    return ctx.rng().random()


def _extreme(pick: Callable[[list[float]], float]) -> Callable[..., Value]:
    def run(*values: Value) -> Value:
        numbers = [to_number(x) for v in values for x in items(v)]
        if not numbers or any(n != n for n in numbers):
            return NAN
        return pick(numbers)

    return run


strict("min", 1, None)(_extreme(min))
strict("max", 1, None)(_extreme(max))


@special("sum", 1)
def _sum(call: Call, compile: Compile) -> Compiled:
    nodes = node_set_argument(call, call.args[0], compile)
    # Plain left-to-right addition, as ODK clients add (and as IEEE says for inf + -inf).
    return lambda ctx: sum((to_number(x) for x in nodes(ctx)), 0.0)


@special("count", 1)
def _count(call: Call, compile: Compile) -> Compiled:
    nodes = node_set_argument(call, call.args[0], compile)
    return lambda ctx: float(len(nodes(ctx)))


@special("count-non-empty", 1)
def _count_non_empty(call: Call, compile: Compile) -> Compiled:
    nodes = node_set_argument(call, call.args[0], compile)
    return lambda ctx: float(sum(1 for x in nodes(ctx) if to_string(x) != ""))


# ------------------------------------------------------------------------------------- repeat


@special("position", 0, 1)
def _position(call: Call, compile: Compile) -> Compiled:
    arg = call.args[0] if call.args else None
    if arg is None or isinstance(arg, Parent):
        name = None
    elif isinstance(arg, Ref):
        name = arg.name
    else:
        raise error_at(E.NEEDS_REFERENCE, call, name=call.name)

    def run(ctx: Context) -> Value:
        p = ctx.position(name)
        if p is None:
            raise error_at(E.NOT_IN_REPEAT, call, name="position(..)")
        return float(p)

    return run


@special(
    "indexed-repeat",
    3,
    7,
    valid_count=lambda n: n % 2 == 1,
    count_msgid=E.ARITY_INDEXED_REPEAT,
)
def _indexed_repeat(call: Call, compile: Compile) -> Compiled:
    target, *rest = call.args
    if not isinstance(target, Ref) or not all(isinstance(r, Ref) for r in rest[::2]):
        raise error_at(E.NEEDS_REFERENCE, call, name=call.name)
    name = target.name
    indexes = [compile(i) for i in rest[1::2]]

    def run(ctx: Context) -> Value:
        value = ctx.all_answers(name)
        for index in indexes:
            i = to_number(index(ctx))
            if not isinstance(value, list | tuple) or i != i or not 1 <= i <= len(value):
                return ""
            value = value[int(i) - 1]
        return from_python(value)

    return run


def park_miller_shuffle(values: Sequence[Value], seed: float) -> list[Value]:
    """ODK's reproducible randomize(): inside-out Fisher–Yates driven by a Park–Miller generator,
    so a seeded order matches ODK Collect and Enketo."""
    state = int(math.fmod(math.trunc(seed), 2147483647))
    if state <= 0:
        state += 2147483646

    def next_float() -> float:
        nonlocal state
        state = state * 16807 % 2147483647
        return (state - 1) / 2147483646

    return _inside_out(values, next_float)


def _inside_out(values: Sequence[Value], rand: Callable[[], float]) -> list[Value]:
    result: list[Value] = []
    for i, v in enumerate(values):
        j = math.floor(rand() * (i + 1))
        if j == i:
            result.append(v)
        else:
            result.append(result[j])
            result[j] = v
    return result


@special("randomize", 1, 2)
def _randomize(call: Call, compile: Compile) -> Compiled:
    nodes = node_set_argument(call, call.args[0], compile)
    seed = compile(call.args[1]) if len(call.args) > 1 else None

    def run(ctx: Context) -> Value:
        values = nodes(ctx)
        s = to_number(seed(ctx)) if seed is not None else NAN
        if math.isfinite(s):
            return NodeSet(park_miller_shuffle(values, s))
        return NodeSet(_inside_out(values, ctx.rng().random))

    return run
