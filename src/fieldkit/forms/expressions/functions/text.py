"""Boolean, string and select functions (XPath 1.0 core and ODK's extensions)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import re
import string
from functools import lru_cache
from uuid import UUID

from fieldkit.forms.expressions import errors as E
from fieldkit.forms.expressions.context import Context
from fieldkit.forms.expressions.functions.registry import (
    Compile,
    Compiled,
    FunctionError,
    current_value,
    error_at,
    special,
    strict,
)
from fieldkit.forms.expressions.nodes import Call, Literal
from fieldkit.forms.expressions.values import INF, Value, items, to_boolean, to_number, to_string

# ------------------------------------------------------------------------------------ boolean


@strict("true", 0)
def _true() -> Value:
    return True


@strict("false", 0)
def _false() -> Value:
    return False


@strict("boolean", 1)
def _boolean(v: Value) -> Value:
    return to_boolean(v)


@strict("not", 1)
def _not(v: Value) -> Value:
    return not to_boolean(v)


@strict("boolean-from-string", 1)
def _boolean_from_string(v: Value) -> Value:
    return to_string(v) in ("true", "1")


@special("if", 3)
def _if(call: Call, compile: Compile) -> Compiled:
    cond, then, other = (compile(a) for a in call.args)
    return lambda ctx: then(ctx) if to_boolean(cond(ctx)) else other(ctx)


@special("coalesce", 2, None)
def _coalesce(call: Call, compile: Compile) -> Compiled:
    args = [compile(a) for a in call.args]

    def run(ctx: Context) -> Value:
        for a in args:
            v = a(ctx)
            if to_string(v) != "":
                return v
        return ""

    return run


@special("once", 1)
def _once(call: Call, compile: Compile) -> Compiled:
    calc = compile(call.args[0])

    def run(ctx: Context) -> Value:
        value = current_value(ctx)
        return value if to_string(value) != "" else calc(ctx)

    return run


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except (re.error, OverflowError, RecursionError):
        return None


@special("regex", 2)
def _regex_fn(call: Call, compile: Compile) -> Compiled:
    value_node, pattern_node = call.args
    value = compile(value_node)
    if isinstance(pattern_node, Literal) and isinstance(pattern_node.value, str):
        # A literal pattern (the usual case) is checked when the form loads.
        rx = _regex(pattern_node.value)
        if rx is None:
            raise error_at(E.BAD_REGEX, call, pattern=pattern_node.value)
        return lambda ctx: rx.search(to_string(value(ctx))) is not None
    pattern = compile(pattern_node)

    def run(ctx: Context) -> Value:
        text = to_string(pattern(ctx))
        compiled = _regex(text)
        if compiled is None:
            raise error_at(E.BAD_REGEX, call, pattern=text)
        return compiled.search(to_string(value(ctx))) is not None

    return run


def _within(total: float, low: float, high: float) -> bool:
    # ODK: -1 (any negative) means "no minimum" / "no maximum".
    return (low < 0 or total >= low) and (high < 0 or total <= high)


@strict("checklist", 2, None)
def _checklist(low: Value, high: Value, *values: Value) -> Value:
    count = sum(1 for v in values for x in items(v) if to_boolean(x))
    return _within(count, to_number(low), to_number(high))


@strict(
    "weighted-checklist",
    2,
    None,
    valid_count=lambda n: n % 2 == 0,
    count_msgid=E.ARITY_WEIGHTED_CHECKLIST,
)
def _weighted_checklist(low: Value, high: Value, *pairs: Value) -> Value:
    total = 0.0
    for v, w in zip(pairs[::2], pairs[1::2], strict=True):
        vs, ws = list(items(v)), list(items(w))
        if len(ws) == 1 and len(vs) != 1:
            ws = ws * len(vs)  # one weight for every answer of a node-set
        total += sum(to_number(y) for x, y in zip(vs, ws, strict=False) if to_boolean(x))
    return _within(total, to_number(low), to_number(high))


# ------------------------------------------------------------------------------------- string


@strict("string", 0, 1, context=True)
def _string(ctx: Context, *v: Value) -> Value:
    return to_string(v[0] if v else current_value(ctx))


@strict("concat", 0, None)
def _concat(*values: Value) -> Value:
    return "".join(to_string(x) for v in values for x in items(v))


@strict("join", 1, None)
def _join(separator: Value, *values: Value) -> Value:
    return to_string(separator).join(to_string(x) for v in values for x in items(v))


def _index(x: float) -> int:
    if x != x:
        return 0
    return int(max(-(2.0**31), min(2.0**31, x)))


@strict("substr", 2, 3)
def _substr(s: Value, start: Value, *end: Value) -> Value:
    # ODK: 0-based start, exclusive end; negative positions count from the end.
    text = to_string(s)
    first = _index(to_number(start))
    if not end:
        return text[first:]
    return text[first : _index(to_number(end[0]))]


def _xpath_round(x: float) -> float:
    return math.floor(x + 0.5) if math.isfinite(x) else x


@strict("substring", 2, 3)
def _substring(s: Value, start: Value, *length: Value) -> Value:
    # XPath 1.0: the characters at 1-based positions p with round(start) <= p < round(start)
    # + round(length), where NaN and infinities follow IEEE arithmetic.
    text = to_string(s)
    first = _xpath_round(to_number(start))
    last = first + _xpath_round(to_number(length[0])) if length else INF
    if first != first or last != last:
        return ""
    low, high = max(first, 1.0), min(last, len(text) + 1.0)
    if high <= low:
        return ""
    return text[int(low) - 1 : int(high) - 1]


@strict("substring-before", 2)
def _substring_before(s: Value, t: Value) -> Value:
    text, sep = to_string(s), to_string(t)
    i = text.find(sep)
    return text[:i] if i >= 0 else ""


@strict("substring-after", 2)
def _substring_after(s: Value, t: Value) -> Value:
    text, sep = to_string(s), to_string(t)
    i = text.find(sep)
    return text[i + len(sep) :] if i >= 0 else ""


@strict("translate", 3)
def _translate(s: Value, src: Value, dst: Value) -> Value:
    source, target = to_string(src), to_string(dst)
    table: dict[str, str | None] = {}
    for i, ch in enumerate(source):
        table.setdefault(ch, target[i] if i < len(target) else None)
    return "".join(table.get(ch, ch) or "" for ch in to_string(s))


@strict("string-length", 0, 1, context=True)
def _string_length(ctx: Context, *v: Value) -> Value:
    return float(len(to_string(v[0] if v else current_value(ctx))))


_XPATH_SPACE = re.compile(r"[ \t\r\n]+")


@strict("normalize-space", 0, 1, context=True)
def _normalize_space(ctx: Context, *v: Value) -> Value:
    # Only XPath's four whitespace characters: a form feed or vertical tab stays.
    return _XPATH_SPACE.sub(" ", to_string(v[0] if v else current_value(ctx))).strip(" ")


@strict("contains", 2)
def _contains(s: Value, t: Value) -> Value:
    return to_string(t) in to_string(s)


@strict("starts-with", 2)
def _starts_with(s: Value, t: Value) -> Value:
    return to_string(s).startswith(to_string(t))


@strict("ends-with", 2)
def _ends_with(s: Value, t: Value) -> Value:
    return to_string(s).endswith(to_string(t))


_ALPHANUMERIC = string.ascii_letters + string.digits


@strict("uuid", 0, 1, context=True)
def _uuid(ctx: Context, *length: Value) -> Value:
    rng = ctx.rng()
    if not length:
        return str(UUID(int=rng.getrandbits(128), version=4))
    n = to_number(length[0])
    if not math.isfinite(n) or n < 1:
        return ""
    return "".join(rng.choice(_ALPHANUMERIC) for _ in range(min(int(n), 10_000)))


_DIGESTS = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
}


@strict("digest", 2, 3)
def _digest(data: Value, algorithm: Value, *encoding: Value) -> Value:
    name = to_string(algorithm)
    if name not in _DIGESTS:
        raise FunctionError(E.BAD_DIGEST, value=name)
    code = to_string(encoding[0]) if encoding else "base64"
    raw = hashlib.new(_DIGESTS[name], to_string(data).encode("utf-8"), usedforsecurity=False)
    if code == "base64":
        return base64.b64encode(raw.digest()).decode("ascii")
    if code == "hex":
        return raw.hexdigest()
    raise FunctionError(E.BAD_DIGEST, value=code)


@strict("base64-decode", 1)
def _base64_decode(v: Value) -> Value:
    try:
        return base64.b64decode(to_string(v), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""


# ------------------------------------------------------------------------------------- select


@strict("selected", 2)
def _selected(answer: Value, choice: Value) -> Value:
    return to_string(choice).strip() in to_string(answer).split()


@strict("selected-at", 2)
def _selected_at(answer: Value, index: Value) -> Value:
    chosen = to_string(answer).split()
    i = to_number(index)
    if i != i or not 0 <= i < len(chosen):
        return ""
    return chosen[int(i)]


@strict("count-selected", 1)
def _count_selected(answer: Value) -> Value:
    return float(len(to_string(answer).split()))


_REFERENCE_TEXT = re.compile(r"\$\{([^}]*)\}")


@strict("jr:choice-name", 2, context=True)
def _choice_name(ctx: Context, value: Value, question: Value) -> Value:
    # XLSForm writes jr:choice-name(${q}, '${q}'); pyxform's XML has '/data/q' instead.
    ref = to_string(question).strip()
    m = _REFERENCE_TEXT.fullmatch(ref)
    name = m[1] if m else ref.rstrip("/").rsplit("/", 1)[-1]
    return ctx.choice_label(name, to_string(value)) or ""
