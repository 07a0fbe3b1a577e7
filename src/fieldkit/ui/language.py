"""The note shown after choosing a language: it applies at the next start, said in both languages."""

from __future__ import annotations

import os

from fieldkit.i18n import (
    ENV_VAR,
    N_,
    _,
    available_languages,
    get_language,
    translate,
)

NEXT_START = N_(
    "fieldkit se mostrará en {language} la próxima vez que se abra. Esta ventana sigue como está."
)
ENV_WINS = N_(
    "En este equipo la variable de entorno {variable}={value} elige el idioma y tiene prioridad "
    "sobre esta elección; quítela para usar el idioma elegido."
)


def restart_note(code: str) -> str:
    """What happens now that ``code`` is saved: first in the chosen language, then in the current."""
    name = dict(available_languages()).get(code, code)
    paragraphs = [translate(code, NEXT_START, language=name)]
    if code != get_language():
        paragraphs.append(_(NEXT_START, language=name))
    value = os.environ.get(ENV_VAR)
    if value:
        paragraphs.append(_(ENV_WINS, variable=ENV_VAR, value=value))
    return "\n\n".join(paragraphs)
