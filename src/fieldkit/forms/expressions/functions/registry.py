"""Function registry: arity declared per function (checked when parsing), and the builders that
turn a call into a closure. Strict functions get their arguments' values; special ones compile
their arguments themselves (lazy ``if``, references for ``sum`` and ``position``).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from fieldkit.forms.expressions import errors as E
from fieldkit.forms.expressions.context import Context
from fieldkit.forms.expressions.errors import ExpressionError
from fieldkit.forms.expressions.nodes import Call, Current, Name, Node, Ref
from fieldkit.forms.expressions.values import NodeSet, Value, from_python

Compiled = Callable[[Context], Value]
Compile = Callable[[Node], Compiled]
Builder = Callable[[Call, Compile], Compiled]


@dataclass(frozen=True, slots=True)
class Function:
    name: str
    min_args: int
    max_args: int | None  # None: any number
    build: Builder
    valid_count: Callable[[int], bool] | None = None  # a further rule (pairs of arguments)
    count_msgid: str | None = None


FUNCTIONS: dict[str, Function] = {}

# Functions of ODK or XPath that fieldkit refuses with a clear message rather than "unknown".
UNSUPPORTED = frozenset(
    {
        "pulldata",
        "instance",
        "current",
        "jr:itext",
        "itext",
        "last",
        "id",
        "lang",
        "local-name",
        "name",
        "namespace-uri",
        "geofence",
        "version",
        "property",
    }
)

# Functions whose value changes without any answer changing (the clock, randomness).
VOLATILE = frozenset({"now", "today", "random", "uuid", "randomize"})


class FunctionError(Exception):
    """Raised inside a strict function; the caller adds the position of the call."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params


def error_at(msgid: str, call: Call, **params: object) -> ExpressionError:
    return ExpressionError(msgid, position=call.pos + 1, **params)


def _register(
    name: str,
    min_args: int,
    max_args: int | None,
    build: Builder,
    **extra: object,
) -> None:
    FUNCTIONS[name] = Function(name, min_args, max_args, build, **extra)  # type: ignore[arg-type]


_SAME = -1


def strict(
    name: str,
    min_args: int,
    max_args: int | None = _SAME,
    *,
    context: bool = False,
    **extra: object,
) -> Callable[[Callable[..., Value]], Callable[..., Value]]:
    """Register ``fn(*values)`` (``fn(ctx, *values)`` with ``context``) as function ``name``."""

    def decorate(fn: Callable[..., Value]) -> Callable[..., Value]:
        def build(call: Call, compile: Compile) -> Compiled:
            args = tuple(compile(a) for a in call.args)

            def run(ctx: Context) -> Value:
                try:
                    values = [a(ctx) for a in args]
                    return fn(ctx, *values) if context else fn(*values)
                except FunctionError as e:
                    raise error_at(e.msgid, call, **e.params) from None

            return run

        _register(name, min_args, min_args if max_args == _SAME else max_args, build, **extra)
        return fn

    return decorate


def special(
    name: str, min_args: int, max_args: int | None = _SAME, **extra: object
) -> Callable[[Builder], Builder]:
    """Register a builder that compiles the arguments itself (lazy or reference arguments)."""

    def decorate(build: Builder) -> Builder:
        _register(name, min_args, min_args if max_args == _SAME else max_args, build, **extra)
        return build

    return decorate


def check_call(call: Call) -> Function:
    """The function a call names, or the ExpressionError for an unknown one or a wrong arity."""
    fn = FUNCTIONS.get(call.name)
    if fn is None:
        if call.name in UNSUPPORTED:
            raise error_at(E.UNSUPPORTED_FUNCTION, call, name=call.name)
        close = difflib.get_close_matches(call.name, FUNCTIONS, n=1, cutoff=0.75)
        if close:
            raise error_at(E.UNKNOWN_FUNCTION_SUGGEST, call, name=call.name, suggestion=close[0])
        raise error_at(E.UNKNOWN_FUNCTION, call, name=call.name)
    given = len(call.args)
    low, high = fn.min_args, fn.max_args
    if given < low or (high is not None and given > high):
        if high == 0:
            raise error_at(E.ARITY_NONE, call, name=call.name, given=given)
        if high == low:
            raise error_at(E.ARITY_EXACT, call, name=call.name, expected=low, given=given)
        if high is None:
            raise error_at(E.ARITY_AT_LEAST, call, name=call.name, expected=low, given=given)
        raise error_at(E.ARITY_BETWEEN, call, name=call.name, low=low, high=high, given=given)
    if fn.valid_count is not None and not fn.valid_count(given):
        raise error_at(fn.count_msgid or E.ARITY_AT_LEAST, call, given=given)
    return fn


def node_set_argument(call: Call, arg: Node, compile: Compile) -> Compiled:
    """An argument read as a node-set: a reference gives its answers (one, or one per instance)."""
    if isinstance(arg, Call) and arg.name == "randomize":
        return compile(arg)
    if not isinstance(arg, Ref | Name | Current):
        raise error_at(E.NEEDS_REFERENCE, call, name=call.name)
    inner = compile(arg)

    def run(ctx: Context) -> NodeSet:
        v = inner(ctx)
        return v if isinstance(v, NodeSet) else NodeSet((v,))

    return run


def current_value(ctx: Context) -> Value:
    return from_python(ctx.current())
