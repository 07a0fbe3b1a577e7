"""Field values to and from the JSON stored in operations, by column type."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer


def encode(column_type: object, value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(column_type, DateTime):
        return json.dumps(naive_utc(value).isoformat())
    if isinstance(column_type, Date):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False)


def decode(column_type: object, text: str | None) -> Any:
    if text is None:
        return None
    value = json.loads(text)
    if value is None:
        return None
    if isinstance(column_type, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return dt.date.fromisoformat(value)
    if isinstance(column_type, Boolean):
        return bool(value)
    if isinstance(column_type, Integer):
        return int(value)
    if isinstance(column_type, Float):
        return float(value)
    return value


def naive_utc(value: dt.datetime) -> dt.datetime:
    """Stored datetimes are naive UTC; an aware value is converted, never stored as local time."""
    if value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def plain(value: Any) -> Any:
    """A JSON-ready form of a column value, for the canonical dump (full precision)."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
