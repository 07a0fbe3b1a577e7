"""The assistance workflow: states, allowed transitions and the guards on each."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from fieldkit.domain.errors import Label, TransitionError


def N_(msgid: str) -> str:
    """Mark a Spanish string for translation where it is shown (the domain cannot translate)."""
    return msgid


class AssistanceState(StrEnum):
    REQUESTED = "requested"
    CONCERTED = "concerted"
    DIAGNOSED = "diagnosed"
    PLANNED = "planned"
    IN_EXECUTION = "in_execution"
    DELIVERED = "delivered"
    CLOSED = "closed"
    CANCELLED = "cancelled"


STATE_LABELS: dict[AssistanceState, str] = {
    AssistanceState.REQUESTED: N_("Solicitada"),
    AssistanceState.CONCERTED: N_("Concertada"),
    AssistanceState.DIAGNOSED: N_("Diagnosticada"),
    AssistanceState.PLANNED: N_("Planeada"),
    AssistanceState.IN_EXECUTION: N_("En ejecución"),
    AssistanceState.DELIVERED: N_("Entregada"),
    AssistanceState.CLOSED: N_("Cerrada"),
    AssistanceState.CANCELLED: N_("Cancelada"),
}

FORWARD: tuple[AssistanceState, ...] = (
    AssistanceState.REQUESTED,
    AssistanceState.CONCERTED,
    AssistanceState.DIAGNOSED,
    AssistanceState.PLANNED,
    AssistanceState.IN_EXECUTION,
    AssistanceState.DELIVERED,
    AssistanceState.CLOSED,
)
TERMINAL = frozenset({AssistanceState.CLOSED, AssistanceState.CANCELLED})


class AssistanceFacts(NamedTuple):
    """What the guards need to know about an assistance; services fill it from the store."""

    team_size: int = 0
    counterpart_count: int = 0
    has_thematic_line: bool = True


def next_state(state: AssistanceState) -> AssistanceState | None:
    if state in TERMINAL:
        return None
    return FORWARD[FORWARD.index(state) + 1]


def allowed_targets(state: AssistanceState) -> list[AssistanceState]:
    """States reachable in one step: the next one in the arc, and cancellation while open."""
    if state in TERMINAL:
        return []
    nxt = next_state(state)
    return [s for s in (nxt, AssistanceState.CANCELLED) if s is not None]


def check_transition(
    current: AssistanceState,
    target: AssistanceState,
    facts: AssistanceFacts,
    reason: str | None = None,
) -> None:
    """Raise TransitionError, with a message saying what is missing, unless the move is allowed."""
    if current in TERMINAL:
        raise TransitionError(
            N_("La asistencia está en estado «{state}»: ya no cambia de estado."),
            state=Label(STATE_LABELS[current]),
        )
    if target not in allowed_targets(current):
        nxt = next_state(current)
        raise TransitionError(
            N_("No se puede pasar de «{current}» a «{target}». El siguiente estado es «{next}»."),
            current=Label(STATE_LABELS[current]),
            target=Label(STATE_LABELS[target]),
            next=Label(STATE_LABELS[nxt]) if nxt else "",
        )
    if target is AssistanceState.CANCELLED:
        if not (reason or "").strip():
            raise TransitionError(N_("Para cancelar una asistencia debe indicar el motivo."))
        return
    if target is AssistanceState.CONCERTED:
        missing = _missing_for_concertation(facts)
        if missing:
            raise TransitionError(
                N_("Para concertar la asistencia falta: {missing}."),
                missing=missing,
            )


def _missing_for_concertation(facts: AssistanceFacts) -> tuple[Label, ...]:
    missing: list[Label] = []
    if not facts.has_thematic_line:
        missing.append(Label(N_("la línea temática")))
    if facts.team_size < 1:
        missing.append(Label(N_("al menos un integrante del equipo")))
    if facts.counterpart_count < 1:
        missing.append(Label(N_("al menos un funcionario de contraparte de la alcaldía")))
    return tuple(missing)


def check_edit(state: AssistanceState, facts: AssistanceFacts) -> None:
    """An edit may not undo what reaching the current state required (e.g. emptying the team
    of a concerted assistance); raise TransitionError saying what must stay."""
    if state in TERMINAL or state is AssistanceState.REQUESTED:
        return
    missing = _missing_for_concertation(facts)
    if missing:
        raise TransitionError(
            N_("La asistencia ya está concertada: no puede quedar sin {missing}."),
            missing=missing,
        )
