"""Translatable strings (gettext-style, Spanish message ids) and es_CO formatting.

The catalogue tools (extract, check, writing .po files) live in fieldkit.i18n_tools and are
reachable from here by name; they are kept apart because every start imports this module.
"""

from __future__ import annotations

import os
import re
import threading
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "N_",
    "SOURCE_LANGUAGE",
    "_",
    "available_languages",
    "clear_cache",
    "format_date",
    "format_datetime",
    "format_number",
    "get_language",
    "ngettext",
    "parse_date",
    "set_language",
    "translate",
]


def _log():  # type: ignore[no-untyped-def]
    # logging costs ~15 ms to import and is only needed when a catalogue has a problem.
    import logging

    return logging.getLogger(__name__)


_TOOLS = frozenset(
    {
        "Message",
        "check",
        "extract",
        "find_messages",
        "format_po",
        "main",
        "write_po",
        "_new_catalogue",
    }
)


_PO = frozenset({"PoCatalogue", "PoEntry", "PoSyntaxError", "parse_po", "read_po"})


def __getattr__(name: str) -> object:
    # The .po parser and the catalogue tools load only when used (English, or maintenance).
    if name in _TOOLS:
        from fieldkit import i18n_tools

        return getattr(i18n_tools, name)
    if name in _PO:
        from fieldkit import i18n_po

        return getattr(i18n_po, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


SOURCE_LANGUAGE = "es"
ENV_VAR = "FIELDKIT_LANG"
PACKAGE_DIR = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "resources" / "locale"

# Native names, so a user who cannot read the current language still finds their own.
_LANGUAGES: dict[str, str] = {"es": "Español", "en": "English"}

# --------------------------------------------------------------------------- language selection

_language: str | None = None


def available_languages() -> list[tuple[str, str]]:
    """Return ``(code, native name)`` for every language the UI can be shown in."""
    return list(_LANGUAGES.items())


def _normalize(code: str) -> str:
    # Accept POSIX-style values such as "en_US.UTF-8" or "es-CO", which is what people put in env vars.
    return re.split(r"[_.@-]", code.strip(), maxsplit=1)[0].lower()


def set_language(code: str | None) -> None:
    """Choose the UI language ("es" or "en"); ``None`` goes back to ``FIELDKIT_LANG`` or Spanish."""
    global _language
    if code is None:
        _language = None
        return
    normalized = _normalize(code)
    if normalized not in _LANGUAGES:
        raise ValueError(_("Idioma no disponible: {code}", code=code))
    _language = normalized


def get_language() -> str:
    """Return the current language code: explicit choice, else ``FIELDKIT_LANG``, else "es"."""
    global _language
    if _language is None:
        requested = os.environ.get(ENV_VAR, "")
        normalized = _normalize(requested) if requested else SOURCE_LANGUAGE
        if normalized not in _LANGUAGES:
            _log().warning("%s=%r is not an available language; using Spanish", ENV_VAR, requested)
            normalized = SOURCE_LANGUAGE
        _language = normalized
    return _language


# --------------------------------------------------------------------------- run-time lookup


class _Translations(NamedTuple):
    singular: dict[str, str]
    plural: dict[str, list[str]]


_EMPTY = _Translations({}, {})
_cache: dict[str, _Translations] = {}
# Reports are built on worker threads, so two threads may ask for the catalogue at once.
_cache_lock = threading.Lock()


def clear_cache() -> None:
    """Forget the parsed catalogues so that the next lookup reads the .po files again."""
    with _cache_lock:
        _cache.clear()


def _translations(language: str) -> _Translations:
    cached = _cache.get(language)
    if cached is not None:
        return cached
    with _cache_lock:
        cached = _cache.get(language)
        if cached is None:
            cached = _load_translations(language)
            _cache[language] = cached
        return cached


def _load_translations(language: str) -> _Translations:
    from fieldkit.i18n_po import PoSyntaxError, read_po

    path = LOCALE_DIR / f"{language}.po"
    try:
        catalogue = read_po(path)
    except FileNotFoundError:
        _log().warning("No catalogue at %s; showing Spanish text", path)
        return _EMPTY
    except (OSError, UnicodeDecodeError, PoSyntaxError):
        # A broken catalogue must not stop the app: the Spanish text is always a usable fallback.
        _log().exception("Cannot read catalogue %s; showing Spanish text", path)
        return _EMPTY
    singular: dict[str, str] = {}
    plural: dict[str, list[str]] = {}
    for entry in catalogue.entries.values():
        if not entry.msgid or not entry.is_translated:
            continue
        if entry.msgid_plural is None:
            singular[entry.msgid] = entry.msgstr
        else:
            plural[entry.msgid] = list(entry.msgstr_plural)
            singular[entry.msgid] = entry.msgstr_plural[0]
    return _Translations(singular, plural)


def _plural_index(n: float) -> int:
    # Spanish and English share gettext's rule "nplurals=2; plural=(n != 1);".
    return 0 if n == 1 else 1


def _format(text: str, source: str, params: dict[str, object]) -> str:
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        if text == source:
            raise
        # A typo in a translation must not crash the app; the Spanish original is still correct.
        _log().warning(
            "Translation %r does not format with %s; using the source text", text, params
        )
        return source.format(**params)


def _(msgid: str, /, **params: object) -> str:
    """Translate ``msgid`` into the current language, then ``str.format(**params)`` if given."""
    return translate(get_language(), msgid, **params)


def translate(language: str, msgid: str, /, **params: object) -> str:
    """``msgid`` in ``language`` whatever the current one (e.g. to confirm a language choice)."""
    text = msgid
    language = _normalize(language)
    if language != SOURCE_LANGUAGE and msgid:
        text = _translations(language).singular.get(msgid, msgid)
    return _format(text, msgid, params) if params else text


def ngettext(singular: str, plural: str, n: float, /, **params: object) -> str:
    """Translate the form of ``singular``/``plural`` that fits ``n``, formatted with ``n`` and ``params``."""
    index = _plural_index(n)
    source = singular if index == 0 else plural
    text = source
    language = get_language()
    if language != SOURCE_LANGUAGE:
        forms = _translations(language).plural.get(singular)
        if forms is not None and index < len(forms):
            text = forms[index]
    return _format(text, source, {"n": n, **params})


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction without translating it (translate later with ``_``)."""
    return msgid


# --------------------------------------------------------------------------- dates and numbers


def _local(dt: datetime) -> datetime:
    # Timestamps are stored in UTC; people expect to read their own wall-clock time.
    return dt.astimezone() if dt.tzinfo is not None else dt


def format_date(d: date | datetime | None) -> str:
    """Format as ``dd/mm/aaaa`` (both languages, as on Colombian documents); ``""`` for None."""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = _local(d)
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_datetime(dt: datetime | None) -> str:
    """Format as ``dd/mm/aaaa HH:MM`` in local time; ``""`` for None."""
    if dt is None:
        return ""
    dt = _local(dt)
    return f"{format_date(dt)} {dt.hour:02d}:{dt.minute:02d}"


_SWAP_SEPARATORS = str.maketrans({",": ".", ".": ","})


def format_number(x: float | Decimal | None, decimals: int | None = None) -> str:
    """Format a number: "1.234,5" in Spanish, "1,234.5" in English; ``""`` for None.

    With ``decimals=None`` whole numbers get no decimals and others at most two, without
    trailing zeros; otherwise exactly ``decimals`` digits are shown.
    """
    if x is None:
        return ""
    if decimals is not None and decimals < 0:
        raise ValueError(f"decimals must be >= 0, not {decimals}")
    # Decimal keeps large integers exact, where float formatting would round them.
    value = x if isinstance(x, Decimal) else Decimal(x)
    if not value.is_finite():
        return str(x)
    if decimals is None:
        text = (
            format(value, ",.0f") if value == value.to_integral_value() else format(value, ",.2f")
        )
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = format(value, f",.{decimals}f")
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]  # rounding -0.001 must not show "-0"
    if get_language() == SOURCE_LANGUAGE:
        text = text.translate(_SWAP_SEPARATORS)
    return text


_DMY_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_ISO_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


def parse_date(text: str) -> date:
    """Read ``dd/mm/aaaa`` (what people type) or ISO ``aaaa-mm-dd`` (what files hold)."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError(_("Escriba una fecha con el formato dd/mm/aaaa."))
    if match := _DMY_RE.fullmatch(cleaned):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO_RE.fullmatch(cleaned):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError(_("Fecha no válida: «{text}». Use el formato dd/mm/aaaa.", text=cleaned))
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(_("La fecha {text} no existe.", text=cleaned)) from None


if __name__ == "__main__":
    from fieldkit.i18n_tools import main

    raise SystemExit(main())
