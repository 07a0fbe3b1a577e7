"""Answers by question type: accept what a person or a JSON file gives, keep it typed, give it back
as JSON and as the expression language reads it.

Typed values: text, select_one, geopoint, image, file → str; integer → int; decimal → float;
date → date; time → time; datetime → datetime; select_multiple → tuple of choice names;
acknowledge → "OK". None is "not answered". A value that does not fit its type is kept as given
(a draft never loses what was typed) with the error ``validate()`` reports.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from fieldkit.forms import messages as M
from fieldkit.forms.model import Question

# (msgid, params): why a value does not fit its question.
Problem = tuple[str, Mapping[str, object]]

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")
_ACKNOWLEDGED = frozenset({"ok", "yes", "true", "1", "sí", "si"})


def is_empty(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, tuple | list) and not value)


def coerce(question: Question, value: object) -> tuple[object, Problem | None]:
    """``value`` as the typed answer of ``question``: ``(typed, None)``, ``(None, None)`` for
    no answer, or ``(value as given, problem)`` when it does not fit."""
    if is_empty(value):
        return None, None
    kind = question.type
    if isinstance(value, str) and kind not in ("text", "note", "calculate"):
        value = value.strip()
        if not value:
            return None, None
    convert = _CONVERTERS.get(kind, _text)
    try:
        return convert(question, value), None
    except _Invalid as e:
        kept = tuple(value) if isinstance(value, list | tuple) else value
        return kept, (e.msgid, e.params)


class _Invalid(Exception):
    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params


def _shown(value: object) -> str:
    if isinstance(value, tuple | list):
        return " ".join(str(v) for v in value)
    return str(value)


def _text(question: Question, value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise _Invalid(M.NOT_TEXT, value=_shown(value))
    return value if isinstance(value, str) else _number_text(value)


def _number_text(value: int | float | Decimal) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _integer(question: Question, value: object) -> int:
    if isinstance(value, bool):
        raise _Invalid(M.NOT_INTEGER, value=value)
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if math.isfinite(value) and value == int(value):
            return int(value)
        raise _Invalid(M.NOT_INTEGER, value=value)
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        return int(value)
    raise _Invalid(M.NOT_INTEGER, value=_shown(value))


def _decimal(question: Question, value: object) -> float:
    if isinstance(value, bool):
        raise _Invalid(M.NOT_DECIMAL, value=value)
    if isinstance(value, int | float | Decimal):
        number = float(value)
    elif isinstance(value, str) and _DECIMAL.fullmatch(value):
        try:
            number = float(Decimal(value))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise _Invalid(M.NOT_DECIMAL, value=value) from None
    else:
        raise _Invalid(M.NOT_DECIMAL, value=_shown(value))
    if not math.isfinite(number):
        raise _Invalid(M.NOT_DECIMAL, value=_shown(value))
    return number


def _date(question: Question, value: object) -> date:
    if isinstance(value, datetime):
        raise _Invalid(M.NOT_DATE, value=value.isoformat())
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _Invalid(M.NOT_DATE, value=_shown(value))


def _time(question: Question, value: object) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str) and _TIME.fullmatch(value):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise _Invalid(M.NOT_TIME, value=_shown(value))


def _datetime(question: Question, value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) > 10 and _DATE.match(value) and value[10] in "T ":
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise _Invalid(M.NOT_DATETIME, value=_shown(value))


def _choice_names(question: Question) -> frozenset[str]:
    names = question.choices.names if question.choices is not None else frozenset()
    return names | {"other"} if question.or_other else names


def _choice(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise _Invalid(M.NOT_TEXT, value=_shown(value))
    return value.strip() if isinstance(value, str) else _number_text(value)


def _select_one(question: Question, value: object) -> str:
    name = _choice(value)
    if name not in _choice_names(question):
        raise _Invalid(M.NOT_CHOICE, value=name, list_name=_list_name(question))
    return name


def _select_multiple(question: Question, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        names = value.split()
    elif isinstance(value, Sequence | set | frozenset):
        names = [_choice(v) for v in value]
    else:
        names = [_choice(value)]
    names = list(dict.fromkeys(n for n in names if n))
    known = _choice_names(question)
    for name in names:
        if name not in known:
            raise _Invalid(M.NOT_CHOICE, value=name, list_name=_list_name(question))
    return tuple(names)


def _list_name(question: Question) -> str:
    return question.choices.name if question.choices is not None else ""


def parse_geopoint(text: str) -> tuple[float, ...]:
    """ODK's geopoint "lat lon [alt [accuracy]]" as numbers; ValueError-like _Invalid if not."""
    parts = text.split()
    if not 2 <= len(parts) <= 4 or not all(_DECIMAL.fullmatch(p) for p in parts):
        raise _Invalid(M.GEOPOINT_FORMAT, value=text)
    numbers = tuple(float(p) for p in parts)
    if not -90 <= numbers[0] <= 90:
        raise _Invalid(M.GEOPOINT_LATITUDE, value=parts[0])
    if not -180 <= numbers[1] <= 180:
        raise _Invalid(M.GEOPOINT_LONGITUDE, value=parts[1])
    if len(numbers) == 4 and numbers[3] < 0:
        raise _Invalid(M.GEOPOINT_ACCURACY, value=parts[3])
    return numbers


def _geopoint(question: Question, value: object) -> str:
    if isinstance(value, str):
        text = " ".join(value.split())
    elif isinstance(value, Sequence) and all(
        isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in value
    ):
        text = " ".join(_number_text(v) for v in value)
    else:
        raise _Invalid(M.GEOPOINT_FORMAT, value=_shown(value))
    parse_geopoint(text)
    return text


def _acknowledge(question: Question, value: object) -> str | None:
    if value is True or (isinstance(value, str) and value.casefold() in _ACKNOWLEDGED):
        return "OK"
    if value is False:
        return None
    raise _Invalid(M.NOT_ACKNOWLEDGE, value=_shown(value))


_CONVERTERS = {
    "text": _text,
    "note": _text,
    "calculate": _text,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
    "time": _time,
    "datetime": _datetime,
    "select_one": _select_one,
    "select_multiple": _select_multiple,
    "geopoint": _geopoint,
    "image": _text,
    "file": _text,
    "acknowledge": _acknowledge,
}


def to_json(value: object) -> object:
    """A typed answer as JSON: ISO 8601 text for dates and times, a list for select_multiple."""
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def to_expression(value: object) -> object:
    """A typed answer as the expression language reads it (select_multiple: "a b c")."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return " ".join(str(v) for v in value)
    return value
