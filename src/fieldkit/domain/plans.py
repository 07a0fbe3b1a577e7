"""The Municipal Action Plan workflow: draft → submitted → approved, or returned back to draft.

The team writes the plan and its `state` (draft, submitted). The reviewer's decision is written on
the submitted version (only reviewers and coordinators may write it, domain.authorization), so the
state a person sees combines both: `effective_state`. An approved plan that must change becomes a
new version in draft; every submitted version stays readable.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from fieldkit.domain.authorization import COORDINATOR, REVIEWER
from fieldkit.domain.errors import Label, TransitionError


def N_(msgid: str) -> str:
    return msgid


class PlanState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


PLAN_STATE_LABELS: dict[PlanState, str] = {
    PlanState.DRAFT: N_("Borrador"),
    PlanState.SUBMITTED: N_("Enviado a revisión"),
    PlanState.APPROVED: N_("Aprobado"),
    PlanState.RETURNED: N_("Devuelto con comentarios"),
}

# The team's own field.
TEAM_DRAFT = "draft"
TEAM_SUBMITTED = "submitted"
# The reviewer's decision on a version.
APPROVED = "approved"
RETURNED = "returned"
DECIDERS = frozenset({REVIEWER, COORDINATOR})

RESPONSIBLES = {"team": N_("Equipo de asistencia técnica"), "municipality": N_("Alcaldía")}


class LastVersion(NamedTuple):
    """The newest submitted version of a plan, as far as the state depends on it."""

    version: int
    decision: str | None


def effective_state(
    team_state: str | None, plan_version: int, last: LastVersion | None
) -> PlanState:
    """What the plan is: the team's state, read together with the decision on its last version.

    A returned plan is back in draft (the team edits it); it reads «returned» until it is
    submitted again, so the comments stay in sight.
    """
    if team_state == TEAM_SUBMITTED:
        decision = last.decision if last is not None else None
        if decision == APPROVED:
            return PlanState.APPROVED
        if decision == RETURNED:
            return PlanState.RETURNED
        return PlanState.SUBMITTED
    if last is not None and last.decision == RETURNED and last.version == plan_version:
        return PlanState.RETURNED
    return PlanState.DRAFT


def is_editable(state: PlanState) -> bool:
    return state in (PlanState.DRAFT, PlanState.RETURNED)


class PlanFacts(NamedTuple):
    """What submitting needs to know about the plan's content."""

    has_problem: bool
    has_objective: bool
    results: int
    results_without_indicator: int
    results_without_activities: int


def check_edit(state: PlanState) -> None:
    if not is_editable(state):
        raise TransitionError(
            N_(
                "El plan está «{state}»: no se puede modificar. Si debe cambiar, cree una nueva"
                " versión."
            )
            if state is PlanState.APPROVED
            else N_("El plan está «{state}»: no se puede modificar mientras se revisa."),
            state=Label(PLAN_STATE_LABELS[state]),
        )


def check_submit(state: PlanState, facts: PlanFacts) -> None:
    if not is_editable(state):
        raise TransitionError(
            N_("El plan está «{state}»: solo se envía un plan en borrador o devuelto."),
            state=Label(PLAN_STATE_LABELS[state]),
        )
    missing: list[Label] = []
    if not facts.has_problem:
        missing.append(Label(N_("el problema")))
    if not facts.has_objective:
        missing.append(Label(N_("el objetivo general")))
    if facts.results < 1:
        missing.append(Label(N_("al menos un resultado esperado")))
    if facts.results_without_indicator:
        missing.append(Label(N_("el indicador (meta) de cada resultado")))
    if facts.results_without_activities:
        missing.append(Label(N_("al menos una actividad en cada resultado")))
    if missing:
        raise TransitionError(
            N_("Para enviar el plan a revisión falta: {missing}."), missing=tuple(missing)
        )


def check_decide(state: PlanState, role: str, comments: str, decision: str) -> None:
    """Approving or returning: reviewers and coordinators, a submitted plan, comments to return."""
    if role not in DECIDERS:
        raise TransitionError(
            N_("Solo un revisor o un coordinador puede aprobar o devolver un plan.")
        )
    if state is not PlanState.SUBMITTED:
        raise TransitionError(
            N_("El plan está «{state}»: solo se aprueba o devuelve un plan enviado a revisión."),
            state=Label(PLAN_STATE_LABELS[state]),
        )
    if decision == RETURNED and not comments.strip():
        raise TransitionError(N_("Para devolver el plan escriba los comentarios para el equipo."))


def check_new_version(state: PlanState) -> None:
    if state is not PlanState.APPROVED:
        raise TransitionError(
            N_("Solo un plan aprobado pasa a una nueva versión; este está «{state}»."),
            state=Label(PLAN_STATE_LABELS[state]),
        )
