"""The note shown after choosing a language: it applies at the next start, said in both languages."""

from __future__ import annotations

import os

from fieldkit.i18n import (
    ENV_VAR,
    LOCALE_DIR,
    N_,
    SOURCE_LANGUAGE,
    _,
    available_languages,
    get_language,
)

NEXT_START = N_(
    "fieldkit se mostrará en {language} la próxima vez que se abra. Esta ventana sigue como está."
)
ENV_WINS = N_(
    "En este equipo la variable de entorno {variable}={value} elige el idioma y tiene prioridad "
    "sobre esta elección; quítela para usar el idioma elegido."
)


def in_language(code: str, msgid: str, /, **params: object) -> str:
    """``msgid`` in ``code`` whatever the current language (which other threads may be using)."""
    text = msgid
    if code != SOURCE_LANGUAGE:
        from fieldkit.i18n import read_po

        try:
            entry = read_po(LOCALE_DIR / f"{code}.po").entries.get(msgid)
        except (OSError, ValueError):  # a missing or broken catalogue: Spanish is still right
            entry = None
        if entry is not None and entry.is_translated:
            text = entry.msgstr
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return msgid.format(**params)


def restart_note(code: str) -> str:
    """What happens now that ``code`` is saved: first in the chosen language, then in the current."""
    name = dict(available_languages()).get(code, code)
    paragraphs = [in_language(code, NEXT_START, language=name)]
    if code != get_language():
        paragraphs.append(_(NEXT_START, language=name))
    value = os.environ.get(ENV_VAR)
    if value:
        paragraphs.append(_(ENV_WINS, variable=ENV_VAR, value=value))
    return "\n\n".join(paragraphs)
