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
        return json.dumps(value.isoformat(timespec="milliseconds"))
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


def plain(value: Any) -> Any:
    """A JSON-ready form of a column value, for the canonical dump."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="milliseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
