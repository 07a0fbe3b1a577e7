"""Write small XLSForms for the tests, as a methodologist would in a spreadsheet (openpyxl)."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook

Rows = Sequence[Sequence[object]]


def workbook(survey: Rows, choices: Rows | None = None, settings: Rows | None = None) -> Workbook:
    """A workbook with the given sheets; each is a list of rows, the first being the header."""
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows is not None:
            ws = wb.create_sheet(title)
            for row in rows:
                ws.append(list(row))
    return wb


def write_xlsform(
    path: Path, survey: Rows, choices: Rows | None = None, settings: Rows | None = None
) -> Path:
    workbook(survey, choices, settings).save(path)
    return path


def xlsform_bytes(survey: Rows, choices: Rows | None = None, settings: Rows | None = None) -> bytes:
    buffer = BytesIO()
    workbook(survey, choices, settings).save(buffer)
    return buffer.getvalue()
