"""Dates, dateTimes and times as ODK writes them, and their number of days since the epoch.

ODK stores a date as ``2024-05-01``, a dateTime as ``2024-05-01T10:20:30.123-05:00`` and a time as
``10:20:30.123-05:00``. Used as numbers, dates and dateTimes are days since 1970-01-01 (UTC for a
dateTime with an offset; a dateTime without one is read as UTC too).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

EPOCH = date(1970, 1, 1)
EPOCH_UTC = datetime(1970, 1, 1, tzinfo=UTC)
SECONDS_PER_DAY = 86400.0

_DATE = re.compile(r"[ \t\r\n]*(-?\d{4,})-(\d{1,2})-(\d{1,2})[ \t\r\n]*\Z")
_DATETIME = re.compile(
    r"[ \t\r\n]*(-?\d{4,})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?[ \t\r\n]*\Z"
)
_TIME = re.compile(
    r"[ \t\r\n]*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?[ \t\r\n]*\Z"
)

MONTHS = {
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
# Monday first, as date.weekday() counts.
WEEKDAYS = {
    "es": ("lun", "mar", "mié", "jue", "vie", "sáb", "dom"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def _offset(text: str | None) -> timezone | None:
    if text is None:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
    return timezone(sign * timedelta(minutes=minutes))


def _fraction_us(text: str | None) -> int:
    return int((text or "0")[:6].ljust(6, "0"))


def parse_date(text: str) -> date | None:
    """``2024-05-01`` (single-digit month and day accepted, as Enketo does), else None."""
    m = _DATE.match(text)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def parse_datetime(text: str) -> datetime | None:
    """``2024-05-01T10:20:30.123-05:00`` (seconds, fraction and offset optional), else None."""
    m = _DATETIME.match(text)
    if not m:
        return None
    try:
        return datetime(
            int(m[1]),
            int(m[2]),
            int(m[3]),
            int(m[4]),
            int(m[5]),
            int(m[6] or 0),
            _fraction_us(m[7]),
            tzinfo=_offset(m[8]),
        )
    except ValueError:
        return None


def parse_time(text: str) -> tuple[float, timezone | None] | None:
    """``10:20:30.123-05:00`` as (seconds since midnight, offset or None), else None."""
    m = _TIME.match(text)
    if not m:
        return None
    hours, minutes, seconds = int(m[1]), int(m[2]), int(m[3] or 0)
    if hours > 24 or minutes > 59 or seconds > 60:
        return None
    micros = _fraction_us(m[4])
    return hours * 3600 + minutes * 60 + seconds + micros / 1e6, _offset(m[5])


def days_since_epoch(value: date) -> float:
    """Days since 1970-01-01: whole for a date, fractional (UTC) for a dateTime."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return (aware - EPOCH_UTC).total_seconds() / SECONDS_PER_DAY
    return float((value - EPOCH).days)


def string_to_days(text: str) -> float | None:
    """A date or dateTime string as days since the epoch (ODK's number() extension), else None."""
    if "-" not in text:
        return None
    d = parse_date(text)
    if d is not None:
        return days_since_epoch(d)
    dt = parse_datetime(text)
    if dt is not None:
        return days_since_epoch(dt)
    return None


def date_from_days(days: float) -> date | None:
    """The date ``floor(days)`` after the epoch (``date(1.5)`` is 1970-01-02), None if out of range."""
    try:
        return EPOCH + timedelta(days=int(days // 1))
    except (OverflowError, ValueError):
        return None


def datetime_from_days(days: float, tz: timezone | None) -> datetime | None:
    """The instant ``days`` after the epoch (UTC), shown in ``tz``; None if out of range."""
    try:
        instant = EPOCH_UTC + timedelta(days=days)
        return instant.astimezone(tz) if tz is not None else instant
    except (OverflowError, ValueError):
        return None


def date_to_string(value: date) -> str:
    if isinstance(value, datetime):
        return datetime_to_string(value)
    return value.isoformat()


def datetime_to_string(value: datetime) -> str:
    """ODK's dateTime: milliseconds and the offset (``+00:00`` for UTC) when it has one."""
    return value.isoformat(timespec="milliseconds")


def format_date(value: date, pattern: str, language: str) -> str:
    """ODK's format-date / format-date-time: %Y %y %m %n %b %d %e %a %H %h %M %S %3.

    Month and day names follow ``language`` ("es" or "en"; Spanish otherwise). A code ODK does
    not define is copied as written.
    """
    months = MONTHS.get(language, MONTHS["es"])
    weekdays = WEEKDAYS.get(language, WEEKDAYS["es"])
    if isinstance(value, datetime):
        hour, minute, second, micro = value.hour, value.minute, value.second, value.microsecond
    else:
        hour = minute = second = micro = 0
    codes = {
        "Y": f"{value.year:04d}",
        "y": f"{value.year % 100:02d}",
        "m": f"{value.month:02d}",
        "n": str(value.month),
        "b": months[value.month - 1],
        "d": f"{value.day:02d}",
        "e": str(value.day),
        "a": weekdays[value.weekday()],
        "H": f"{hour:02d}",
        "h": str(hour),
        "M": f"{minute:02d}",
        "S": f"{second:02d}",
        "3": f"{micro // 1000:03d}",
    }
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "%" and i + 1 < len(pattern) and pattern[i + 1] in codes:
            out.append(codes[pattern[i + 1]])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)
