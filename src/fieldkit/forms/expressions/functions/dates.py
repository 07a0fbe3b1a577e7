"""Date and time functions: today(), now(), date(), format-date() …"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, time

from fieldkit.forms.expressions.context import Context
from fieldkit.forms.expressions.dates import (
    date_from_days,
    datetime_from_days,
    days_since_epoch,
    format_date,
    parse_date,
    parse_datetime,
    parse_time,
)
from fieldkit.forms.expressions.functions.registry import strict
from fieldkit.forms.expressions.values import (
    NAN,
    NodeSet,
    Value,
    string_to_number,
    to_number,
    to_string,
)


@strict("today", 0, context=True)
def _today(ctx: Context) -> Value:
    return ctx.now().date()


@strict("now", 0, context=True)
def _now(ctx: Context) -> Value:
    return ctx.now()


def _first(v: Value) -> Value:
    if isinstance(v, NodeSet):
        return v[0] if v else ""
    return v


def _moment(v: Value, ctx: Context, with_time: bool) -> date | None:
    """A value read as a date (or a dateTime when ``with_time``): date objects, ISO strings,
    or numbers of days since the epoch."""
    v = _first(v)
    if isinstance(v, date):
        return v
    if isinstance(v, bool):
        return None
    if isinstance(v, float):
        if not math.isfinite(v):
            return None
        return datetime_from_days(v, ctx.now().tzinfo) if with_time else date_from_days(v)  # type: ignore[arg-type]
    text = to_string(v)
    found = parse_date(text) or parse_datetime(text)
    if found is not None:
        return found
    days = string_to_number(text)
    return _moment(days, ctx, with_time) if text.strip() and math.isfinite(days) else None


@strict("date", 1, context=True)
def _date(ctx: Context, v: Value) -> Value:
    found = _moment(v, ctx, with_time=False)
    if found is None:
        return ""
    return found.date() if isinstance(found, datetime) else found


@strict("date-time", 1, context=True)
def _date_time(ctx: Context, v: Value) -> Value:
    found = _moment(v, ctx, with_time=True)
    if found is None:
        return ""
    if not isinstance(found, datetime):
        return datetime.combine(found, time(), tzinfo=ctx.now().tzinfo)
    return found


@strict("decimal-date-time", 1)
def _decimal_date_time(v: Value) -> Value:
    v = _first(v)
    return days_since_epoch(v) if isinstance(v, date) else to_number(v)


@strict("decimal-time", 1, context=True)
def _decimal_time(ctx: Context, v: Value) -> Value:
    # A fraction of a day on the device's clock: noon is 0.5; an offset is converted to it.
    v = _first(v)
    if isinstance(v, datetime):
        seconds = v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
        given = v.utcoffset()
    else:
        parsed = parse_time(to_string(v))
        if parsed is None:
            return NAN
        seconds, offset = parsed
        given = offset.utcoffset(None) if offset is not None else None
    device = ctx.now().utcoffset()
    if given is not None and device is not None:
        seconds += (device - given).total_seconds()
    return (seconds % 86400) / 86400


def _format(with_time: bool) -> Callable[..., Value]:
    def run(ctx: Context, v: Value, pattern: Value) -> Value:
        found = _moment(v, ctx, with_time)
        if found is None:
            return ""
        return format_date(found, to_string(pattern), ctx.language)

    return run


strict("format-date", 2, context=True)(_format(with_time=False))
strict("format-date-time", 2, context=True)(_format(with_time=True))
