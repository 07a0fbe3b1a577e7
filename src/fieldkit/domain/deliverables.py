"""The deliverable workflow: draft → submitted → approved | returned → delivered.

The team writes `state` (draft, submitted, delivered); the reviewer's decision is written on the
submission (a review record only reviewers and coordinators may write), so the state a person sees
combines both, as for plans. A returned deliverable is corrected and submitted again; a delivered
one is read-only except for adding the scanned signed act.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from fieldkit.domain.authorization import COORDINATOR, FIELD, REVIEWER
from fieldkit.domain.errors import Label, TransitionError


def N_(msgid: str) -> str:
    return msgid


class DeliverableState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    DELIVERED = "delivered"


STATE_LABELS: dict[DeliverableState, str] = {
    DeliverableState.DRAFT: N_("Borrador"),
    DeliverableState.SUBMITTED: N_("En revisión de calidad"),
    DeliverableState.APPROVED: N_("Aprobado"),
    DeliverableState.RETURNED: N_("Devuelto con comentarios"),
    DeliverableState.DELIVERED: N_("Entregado"),
}

KINDS: dict[str, str] = {
    "policy_draft": N_("Proyecto de política pública o de acuerdo"),
    "procedure_manual": N_("Manual de procesos y procedimientos"),
    "programme": N_("Programa"),
    "guide": N_("Guía"),
    "training": N_("Capacitación"),
    "toolkit": N_("Caja de herramientas"),
    "plan": N_("Plan"),
    "other": N_("Otro"),
}

# The team's own field.
TEAM_DRAFT = "draft"
TEAM_SUBMITTED = "submitted"
TEAM_DELIVERED = "delivered"
# The reviewer's decision on a submission.
APPROVED = "approved"
RETURNED = "returned"
DECIDERS = frozenset({REVIEWER, COORDINATOR})
DELIVERERS = frozenset({FIELD, COORDINATOR})


def effective_state(team_state: str | None, last_decision: str | None) -> DeliverableState:
    if team_state == TEAM_DELIVERED:
        return DeliverableState.DELIVERED
    if team_state == TEAM_SUBMITTED:
        if last_decision == APPROVED:
            return DeliverableState.APPROVED
        if last_decision == RETURNED:
            return DeliverableState.RETURNED
        return DeliverableState.SUBMITTED
    return DeliverableState.DRAFT


def is_editable(state: DeliverableState) -> bool:
    return state in (DeliverableState.DRAFT, DeliverableState.RETURNED)


def check_edit(state: DeliverableState) -> None:
    if is_editable(state):
        return
    if state is DeliverableState.DELIVERED:
        raise TransitionError(
            N_("El entregable ya fue entregado: solo se le puede agregar el acta firmada.")
        )
    raise TransitionError(
        N_("El entregable está «{state}»: no se puede modificar ahora."),
        state=Label(STATE_LABELS[state]),
    )


class DeliverableFacts(NamedTuple):
    has_title: bool
    product_files: int


def check_submit(state: DeliverableState, facts: DeliverableFacts) -> None:
    if not is_editable(state):
        raise TransitionError(
            N_("El entregable está «{state}»: solo se envía a revisión en borrador o devuelto."),
            state=Label(STATE_LABELS[state]),
        )
    missing: list[Label] = []
    if not facts.has_title:
        missing.append(Label(N_("el título")))
    if facts.product_files < 1:
        missing.append(Label(N_("al menos un archivo del producto")))
    if missing:
        raise TransitionError(
            N_("Para enviar el entregable a revisión falta: {missing}."), missing=tuple(missing)
        )


def check_decide(state: DeliverableState, role: str, decision: str, comments: int) -> None:
    """Approving or returning: reviewers and coordinators, a submitted deliverable, and at least
    one comment to return it."""
    if role not in DECIDERS:
        raise TransitionError(
            N_("Solo un revisor o un coordinador puede aprobar o devolver un entregable.")
        )
    if state is not DeliverableState.SUBMITTED:
        raise TransitionError(
            N_("El entregable está «{state}»: solo se aprueba o devuelve uno en revisión."),
            state=Label(STATE_LABELS[state]),
        )
    if decision == RETURNED and comments < 1:
        raise TransitionError(N_("Para devolver el entregable escriba al menos un comentario."))


class DeliveryFacts(NamedTuple):
    has_date: bool
    has_place: bool
    has_receiver: bool  # the receiving official's name
    team_present: int
    has_position: bool = True  # the official's position (cargo)
    has_entity: bool = True  # the official's entity


def check_deliver(state: DeliverableState, role: str, facts: DeliveryFacts) -> None:
    if role not in DELIVERERS:
        raise TransitionError(N_("Solo el equipo de la asistencia entrega los productos."))
    if state is not DeliverableState.APPROVED:
        raise TransitionError(
            N_(
                "Solo se entrega un producto aprobado en la revisión de calidad; este está «{state}»."
            ),
            state=Label(STATE_LABELS[state]),
        )
    missing: list[Label] = []
    if not facts.has_date:
        missing.append(Label(N_("la fecha")))
    if not facts.has_place:
        missing.append(Label(N_("el lugar")))
    if not facts.has_receiver:
        missing.append(Label(N_("el nombre de quien recibe")))
    if not facts.has_position:
        missing.append(Label(N_("el cargo de quien recibe")))
    if not facts.has_entity:
        missing.append(Label(N_("la entidad de quien recibe")))
    if facts.team_present < 1:
        missing.append(Label(N_("al menos un integrante del equipo presente")))
    if missing:
        raise TransitionError(
            N_("Para registrar la entrega falta: {missing}."), missing=tuple(missing)
        )
