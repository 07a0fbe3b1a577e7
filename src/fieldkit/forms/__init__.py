"""XLSForm forms (DESIGN §7): load a form, fill it in, validate the answers. Pure Python: no Qt,
no SQL.

    form = load_form("diagnostico.xlsx")          # FormDefinition, or FormError with every problem
    state = FormState(form)                       # a new filling, defaults applied
    state.set_answer("edad", 34)                  # recalculates only what depends on it
    state.add_repeat("asistentes")
    state.set_answer("sexo", "mujer", repeat_path=(1,))
    state.missing_required()                      # what is still missing before completing
    state.answers()                               # {"edad": 34, "asistentes[3f9a01c2d4]": 1, …}

``fieldkit.forms.expressions`` evaluates the ``relevant``, ``constraint``, ``calculation``,
``choice_filter`` and ``default`` expressions; ``fieldkit.forms.keys`` describes the flat answer
keys the change log stores.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fieldkit.forms.check import FormSummary, check_form, validate_answers
    from fieldkit.forms.errors import AnswerError, FieldError, FormError, FormProblem, errors_by_key
    from fieldkit.forms.keys import answer_key, parse_key, row_key
    from fieldkit.forms.loader import load_form
    from fieldkit.forms.model import (
        QUESTION_TYPES,
        Choice,
        ChoiceList,
        Element,
        FormDefinition,
        Group,
        Language,
        Question,
        Repeat,
        Translated,
    )
    from fieldkit.forms.state import Changes, FormState

# Loaded on first use: pyxform takes ~0.4 s to import, and ``fieldkit.forms.expressions`` (the
# ``fieldkit forms eval`` command) must not pay for it.
_WHERE = {
    "FormSummary": "check",
    "check_form": "check",
    "validate_answers": "check",
    "AnswerError": "errors",
    "FieldError": "errors",
    "FormError": "errors",
    "FormProblem": "errors",
    "errors_by_key": "errors",
    "answer_key": "keys",
    "parse_key": "keys",
    "row_key": "keys",
    "load_form": "loader",
    "QUESTION_TYPES": "model",
    "Choice": "model",
    "ChoiceList": "model",
    "Element": "model",
    "FormDefinition": "model",
    "Group": "model",
    "Language": "model",
    "Question": "model",
    "Repeat": "model",
    "Translated": "model",
    "Changes": "state",
    "FormState": "state",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"fieldkit.forms.{module}"), name)


__all__ = [
    "QUESTION_TYPES",
    "AnswerError",
    "Changes",
    "Choice",
    "ChoiceList",
    "Element",
    "FieldError",
    "FormDefinition",
    "FormError",
    "FormProblem",
    "FormState",
    "FormSummary",
    "Group",
    "Language",
    "Question",
    "Repeat",
    "Translated",
    "answer_key",
    "check_form",
    "errors_by_key",
    "load_form",
    "parse_key",
    "row_key",
    "validate_answers",
]
