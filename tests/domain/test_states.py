"""The assistance workflow: one step forward at a time, cancel with a reason, guards that explain."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fieldkit import i18n
from fieldkit.domain.errors import FieldkitError, Label, TransitionError, ValidationError
from fieldkit.domain.states import (
    FORWARD,
    STATE_LABELS,
    TERMINAL,
    AssistanceFacts,
    AssistanceState,
    allowed_targets,
    check_transition,
    next_state,
)

S = AssistanceState
READY = AssistanceFacts(team_size=2, counterpart_count=1)
OPEN_STATES = [s for s in S if s not in TERMINAL]


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_language("en")
    try:
        yield
    finally:
        i18n.set_language("es")


def test_the_forward_arc_is_the_documented_one() -> None:
    assert [s.value for s in FORWARD] == [
        "requested",
        "concerted",
        "diagnosed",
        "planned",
        "in_execution",
        "delivered",
        "closed",
    ]
    assert set(S) == {*FORWARD, S.CANCELLED}
    assert set(STATE_LABELS) == set(S)


@pytest.mark.parametrize("current", FORWARD[:-1], ids=str)
def test_each_step_goes_only_to_the_next_state(current: AssistanceState) -> None:
    nxt = FORWARD[FORWARD.index(current) + 1]
    assert next_state(current) is nxt
    assert allowed_targets(current) == [nxt, S.CANCELLED]
    check_transition(current, nxt, READY)  # allowed: no exception


@pytest.mark.parametrize(
    ("current", "target"),
    [(c, t) for c in FORWARD[:-1] for t in FORWARD if t is not FORWARD[FORWARD.index(c) + 1]],
    ids=lambda s: str(s),
)
def test_skipping_going_back_or_staying_is_refused_naming_the_next_state(
    current: AssistanceState, target: AssistanceState
) -> None:
    with pytest.raises(TransitionError) as info:
        check_transition(current, target, READY, reason="por si acaso")
    nxt = next_state(current)
    assert nxt is not None
    message = str(info.value)
    assert f"El siguiente estado es «{STATE_LABELS[nxt]}»" in message
    assert f"«{STATE_LABELS[current]}»" in message
    assert f"«{STATE_LABELS[target]}»" in message


def test_skipping_message_in_full() -> None:
    with pytest.raises(TransitionError) as info:
        check_transition(S.REQUESTED, S.PLANNED, READY)
    assert str(info.value) == (
        "No se puede pasar de «Solicitada» a «Planeada». El siguiente estado es «Concertada»."
    )
    assert info.value.exit_code == 2
    assert isinstance(info.value, FieldkitError)


@pytest.mark.parametrize("current", OPEN_STATES, ids=str)
def test_cancelling_from_every_open_state_is_allowed_with_a_reason(
    current: AssistanceState,
) -> None:
    assert S.CANCELLED in allowed_targets(current)
    # Cancelling needs no team or counterpart: a request can be dropped before it is concerted.
    check_transition(current, S.CANCELLED, AssistanceFacts(), reason="La alcaldía desistió")


@pytest.mark.parametrize("reason", [None, "", "   ", "\n\t"])
@pytest.mark.parametrize("current", OPEN_STATES, ids=str)
def test_cancelling_needs_a_reason_that_is_not_blank(
    current: AssistanceState, reason: str | None
) -> None:
    with pytest.raises(TransitionError, match="debe indicar el motivo"):
        check_transition(current, S.CANCELLED, READY, reason=reason)


@pytest.mark.parametrize("current", sorted(TERMINAL), ids=str)
@pytest.mark.parametrize("target", list(S), ids=str)
def test_closed_and_cancelled_are_terminal(
    current: AssistanceState, target: AssistanceState
) -> None:
    assert next_state(current) is None
    assert allowed_targets(current) == []
    with pytest.raises(TransitionError) as info:
        check_transition(current, target, READY, reason="otra vez")
    assert f"«{STATE_LABELS[current]}»" in str(info.value)
    assert "ya no cambia de estado" in str(info.value)


@pytest.mark.parametrize(
    ("facts", "missing"),
    [
        (
            AssistanceFacts(team_size=0, counterpart_count=0),
            [
                "al menos un integrante del equipo",
                "al menos un funcionario de contraparte de la alcaldía",
            ],
        ),
        (AssistanceFacts(team_size=0, counterpart_count=3), ["al menos un integrante del equipo"]),
        (
            AssistanceFacts(team_size=1, counterpart_count=0),
            ["al menos un funcionario de contraparte de la alcaldía"],
        ),
        (
            AssistanceFacts(team_size=0, counterpart_count=0, has_thematic_line=False),
            [
                "la línea temática",
                "al menos un integrante del equipo",
                "al menos un funcionario de contraparte de la alcaldía",
            ],
        ),
    ],
)
def test_concerting_lists_everything_that_is_missing(
    facts: AssistanceFacts, missing: list[str]
) -> None:
    with pytest.raises(TransitionError) as info:
        check_transition(S.REQUESTED, S.CONCERTED, facts)
    assert str(info.value) == f"Para concertar la asistencia falta: {'; '.join(missing)}."


def test_concerting_with_one_member_and_one_counterpart_is_enough() -> None:
    check_transition(S.REQUESTED, S.CONCERTED, AssistanceFacts(team_size=1, counterpart_count=1))


def test_later_steps_do_not_recheck_the_concerting_guard() -> None:
    check_transition(S.CONCERTED, S.DIAGNOSED, AssistanceFacts())


def test_render_without_translation_is_the_spanish_message() -> None:
    error = ValidationError("El municipio {code} no tiene {what}.", code="52835", what="datos")
    assert error.render() == str(error) == "El municipio 52835 no tiene datos."
    assert error.msgid == "El municipio {code} no tiene {what}."
    assert error.params == {"code": "52835", "what": "datos"}


def test_render_with_a_missing_parameter_falls_back_to_the_message_id() -> None:
    error = ValidationError("Falta {algo}.")
    assert str(error) == "Falta {algo}."


@pytest.mark.usefixtures("english")
def test_render_translates_message_and_label_parameters() -> None:
    with pytest.raises(TransitionError) as info:
        check_transition(S.REQUESTED, S.PLANNED, READY)
    assert info.value.render(i18n._) == (
        "Cannot go from “Requested” to “Planned”. The next state is “Agreed”."
    )
    # str() stays Spanish: the domain never translates by itself.
    assert "Solicitada" in str(info.value)


@pytest.mark.usefixtures("english")
def test_render_translates_a_tuple_of_labels() -> None:
    with pytest.raises(TransitionError) as info:
        check_transition(S.REQUESTED, S.CONCERTED, AssistanceFacts())
    assert info.value.render(i18n._) == (
        "To agree the assistance, this is missing: at least one team member; "
        "at least one counterpart official from the mayor's office."
    )


@pytest.mark.usefixtures("english")
def test_plain_string_parameters_are_not_translated() -> None:
    # "Solicitada" as a plain str is data (e.g. a name someone typed), not a message id.
    error = TransitionError(
        "No se puede pasar de «{current}» a «{target}». El siguiente estado es «{next}».",
        current="Solicitada",
        target=Label("Planeada"),
        next=Label("Concertada"),
    )
    assert error.render(i18n._) == (
        "Cannot go from “Solicitada” to “Planned”. The next state is “Agreed”."
    )


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("current", sorted(TERMINAL), ids=str)
def test_terminal_state_message_is_translated(current: AssistanceState) -> None:
    with pytest.raises(TransitionError) as info:
        check_transition(current, S.CANCELLED, READY, reason="x")
    english = info.value.render(i18n._)
    assert english.startswith("The assistance is"), english
    assert i18n._(STATE_LABELS[current]) in english


@pytest.mark.usefixtures("english")
def test_cancel_reason_message_is_translated() -> None:
    with pytest.raises(TransitionError) as info:
        check_transition(S.PLANNED, S.CANCELLED, READY, reason=" ")
    assert info.value.render(i18n._) == "To cancel an assistance you must give the reason."
