"""How states, dates and directorates read and sort on screen, the same in every table and dialog."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from fieldkit.domain.states import STATE_LABELS, AssistanceState
from fieldkit.i18n import _

if TYPE_CHECKING:
    from fieldkit.services.catalog import DirectorateRow

_ORDER = {state.value: i for i, state in enumerate(AssistanceState)}


def state_label(state: str) -> str:
    """The translated label of a stored state value ("in_execution" -> "En ejecución")."""
    try:
        return _(STATE_LABELS[AssistanceState(state)])
    except ValueError:
        return state


def state_order(state: str) -> int:
    """Position along the workflow, so a state column sorts as the arc goes, not alphabetically."""
    return _ORDER.get(state, len(_ORDER))


def date_key(value: dt.date | dt.datetime | None) -> str:
    """Sort key that puts empty dates first and compares the rest chronologically."""
    return value.isoformat() if value else ""


def directorate_label(directorate: DirectorateRow) -> str:
    """Label like «NAR — Nariño y Putumayo», marked when from the non-official example grouping."""
    label = f"{directorate.code} — {directorate.name}"
    return f"{label} {_('(ejemplo)')}" if directorate.is_example else label


def person_role_label(role: str) -> str:
    """The translated label of a person's role ("student" -> "Estudiante")."""
    from fieldkit.services.persons import PERSON_ROLES

    return _(PERSON_ROLES[role]) if role in PERSON_ROLES else role
