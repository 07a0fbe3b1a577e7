"""How form texts and answers read on screen: labels with their light markdown, numbers typed with
a decimal comma or point, geopoints split into their parts. Pure functions, no widgets."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from html import escape

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", re.DOTALL)
_REFERENCE = re.compile(r"\$\{([^}]+)\}")

REQUIRED_COLOR = ERROR_COLOR = "#b00020"
HINT_COLOR = "#5f6368"


def label_html(text: str, *, required: bool = False) -> str:
    """A label as rich text: XLSForm's ``**bold**`` and ``*italics*``, line breaks kept, and a red
    asterisk when the answer is required."""
    html = escape(text)
    html = _BOLD.sub(r"<b>\1</b>", html)
    html = _ITALIC.sub(r"<i>\1</i>", html)
    html = html.replace("\n", "<br>")
    if required:
        html += f'<span style="color:{REQUIRED_COLOR}; font-weight:600;">&nbsp;*</span>'
    return html


def plain(text: str) -> str:
    """A label on one line without its markdown: list entries, accessible names, messages."""
    return " ".join(text.replace("**", "").replace("*", "").split())


def references(text: str) -> set[str]:
    """The names a text shows through ``${name}``."""
    return set(_REFERENCE.findall(text))


def number_text(value: object, *, decimal_comma: bool) -> str:
    """An integer or decimal answer as typed text: no exponent, no trailing zeros, and the
    decimal comma when the screen is in Spanish. Anything else (a value kept as typed because it
    did not fit) is shown as it is."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return str(value)
    try:
        text = format(Decimal(repr(value)), "f")
    except InvalidOperation:  # inf, nan: the engine never keeps them, but do not crash
        return str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",") if decimal_comma else text


def typed_number(text: str) -> str | None:
    """What a number field gives the form: the text with a decimal point (a comma is accepted
    as typed in Spanish); None when empty."""
    text = text.strip().replace(",", ".")
    return text or None


def geopoint_text(parts: list[str]) -> str | None:
    """ODK's «lat lon alt acc» from the typed parts (comma or point); None when all are empty.
    An accuracy without an altitude takes altitude 0, as ODK does; a missing latitude or
    longitude leaves the text incomplete, so the form reports it."""
    values = [typed_number(p) or "" for p in parts]
    while len(values) < 4:
        values.append("")
    lat, lon, alt, acc = values[:4]
    if not any(values):
        return None
    if not lat or not lon:
        return " ".join(v for v in values if v)
    if acc and not alt:
        alt = "0"
    return " ".join(v for v in (lat, lon, alt, acc) if v)


def geopoint_parts(value: object) -> list[str]:
    """A stored geopoint split into latitude, longitude, altitude and accuracy (texts)."""
    parts = str(value).split() if value else []
    return [*parts, "", "", "", ""][:4]
