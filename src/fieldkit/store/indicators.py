"""The queries of municipal indicator values (MDM, IDF, IPM…): what is stored, to compare an
imported spreadsheet with it, and the records an import updates.

The reader queries do not import SQLAlchemy (see reader.py); the ORM one does, inside itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fieldkit.store.reader import Reader

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from fieldkit.store.models import IndicatorValue

Rows = list[sqlite3.Row]


def values(reader: Reader) -> Rows:
    """Every live value with its municipality's DIVIPOLA code (code, indicator, year, value)."""
    return reader.rows(
        "SELECT m.code AS code, iv.indicator AS indicator, iv.year AS year, iv.value AS value"
        " FROM indicator_values iv JOIN municipalities m ON m.id = iv.municipality_id"
        " WHERE iv.deleted = 0 ORDER BY iv.created_at, iv.id"
    )


def names(reader: Reader) -> list[str]:
    """The indicator names in use, most used first."""
    rows = reader.rows(
        "SELECT indicator, COUNT(*) AS n FROM indicator_values"
        " WHERE deleted = 0 AND indicator IS NOT NULL AND indicator != ''"
        " GROUP BY indicator ORDER BY n DESC, indicator"
    )
    return [r["indicator"] for r in rows]


def records(session: Session) -> Sequence[IndicatorValue]:
    """Every indicator value, removed ones too (an import brings a removed one back rather
    than create a second record with its id), oldest first."""
    from sqlalchemy import select

    from fieldkit.store.models import IndicatorValue

    return session.scalars(
        select(IndicatorValue).order_by(IndicatorValue.created_at, IndicatorValue.id)
    ).all()
