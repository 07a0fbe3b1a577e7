"""Technical assistances: register, edit, move through the workflow, and the change log behind it."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from service_helpers import Unchanged, seq
from sqlalchemy import select

from fieldkit.domain.codes import device_tag
from fieldkit.domain.errors import NotFoundError, TransitionError, ValidationError
from fieldkit.services import assistances, catalog, persons
from fieldkit.services.assistances import AssistanceInput, CounterpartInput
from fieldkit.services.profile import Profile, dump, status
from fieldkit.store.models import Operation

FORWARD = ["concerted", "diagnosed", "planned", "in_execution", "delivered", "closed"]
REQUESTED = dt.date(2026, 2, 2)


@pytest.fixture
def team(fresh: Profile) -> dict[str, str]:
    ids = {}
    for name, role in [
        ("Ana Rojas", "field_professional"),
        ("Bruno Díaz", "student"),
        ("Carla Gómez", "field_professional"),
    ]:
        ids[name.split()[0].lower()], _ = persons.save_person(fresh, name=name, role=role)
    return ids


def tumaco(people: dict[str, str], **overrides: object) -> AssistanceInput:
    values: dict[str, object] = {
        "municipality_code": "52835",
        "thematic_line_code": "PAZ",
        "team": [people["ana"], people["bruno"]],
        "counterparts": [
            CounterpartInput("Luz Quiñones", "Secretaria de Planeación", "luz@tumaco.gov.co"),
            CounterpartInput("Jairo Cortés", "Secretario de Gobierno", phone="3100000000"),
        ],
        "requested_on": REQUESTED,
        "start_on": dt.date(2026, 3, 1),
        "end_on": dt.date(2026, 6, 30),
        "notes": "Solicitud por oficio 123",
    }
    values.update(overrides)
    return AssistanceInput(**values)  # type: ignore[arg-type]


def same_input(detail: assistances.AssistanceDetail, **overrides: object) -> AssistanceInput:
    """What an edit form submits when the person changes only `overrides`."""
    values: dict[str, object] = {
        "municipality_code": detail.row.municipality_code,
        "thematic_line_code": detail.row.thematic_line_code,
        "team": [m.person_id for m in detail.team],
        "counterparts": [
            CounterpartInput(c.name, c.position, c.email, c.phone, c.id)
            for c in detail.counterparts
        ],
        "requested_on": detail.row.requested_on,
        "start_on": detail.row.start_on,
        "end_on": detail.row.end_on,
        "notes": detail.notes,
    }
    values.update(overrides)
    return AssistanceInput(**values)  # type: ignore[arg-type]


def ops_after(profile: Profile, seq: int) -> list[tuple[str, str]]:
    """(entity, field) of every operation this device made after sequence number `seq`."""
    with profile.read() as session:
        rows = session.execute(
            select(Operation.entity, Operation.field)
            .where(Operation.origin == profile.device_id, Operation.seq > seq)
            .order_by(Operation.seq)
        )
        return [(e, f) for e, f in rows]


def as_utc(moment: dt.datetime | None) -> dt.datetime:
    """Stored times are UTC; accept them naive (as stored) or aware (as shown)."""
    assert moment is not None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


# ---------------------------------------------------------------------------------- create


def test_create_gives_sequential_human_codes(fresh: Profile, team: dict[str, str]) -> None:
    tag = device_tag(fresh.device_id)
    first, changes = assistances.create_assistance(fresh, tumaco(team))
    assert re.fullmatch(r"AT-2026-[0-9A-HJKMNP-TV-Z]{5}-001", first)
    assert first == f"AT-2026-{tag}-001"
    assert changes.touches("assistance", "counterpart")
    second, _ = assistances.create_assistance(fresh, tumaco(team, municipality_code="52001"))
    assert second == f"AT-2026-{tag}-002"
    # The year in the code is the year of the request; each year counts from 1.
    older, _ = assistances.create_assistance(
        fresh, tumaco(team, requested_on=dt.date(2025, 12, 30), start_on=None)
    )
    assert older == f"AT-2025-{tag}-001"
    assert [r.code for r in assistances.list_assistances(fresh)] == [older, first, second]


def test_create_without_a_request_date_uses_today(fresh: Profile) -> None:
    code, _ = assistances.create_assistance(fresh, AssistanceInput("5001", "INNOVACION"))
    detail = assistances.get_assistance(fresh, code)
    assert detail.row.requested_on == dt.date.today()
    assert code.startswith(f"AT-{dt.date.today().year}-")
    assert detail.row.municipality_code == "05001"  # "5001" lost its zero in a spreadsheet
    assert detail.team == [] and detail.counterparts == []


def test_created_assistance_reads_back_with_everything(
    fresh: Profile, team: dict[str, str]
) -> None:
    code, _ = assistances.create_assistance(fresh, tumaco(team))
    d = assistances.get_assistance(fresh, code.lower())  # codes are found in any case
    assert d.row.code == code
    assert assistances.get_assistance(fresh, d.row.id).row.code == code  # and so are ids
    assert (d.row.municipality, d.row.department) == ("San Andrés de Tumaco", "Nariño")
    assert d.row.pdet_subregion == "Pacífico y Frontera Nariñense"
    assert (d.row.thematic_line_code, d.row.thematic_line) == (
        "PAZ",
        "Consolidación de la paz total",
    )
    assert (d.row.state, d.row.state_label) == ("requested", "Solicitada")
    assert (d.row.requested_on, d.row.start_on, d.row.end_on) == (
        REQUESTED,
        dt.date(2026, 3, 1),
        dt.date(2026, 6, 30),
    )
    assert d.row.team == "Ana Rojas, Bruno Díaz"
    assert [(m.name, m.team_role, m.role) for m in d.team] == [
        ("Ana Rojas", "lead", "field_professional"),
        ("Bruno Díaz", "member", "student"),
    ]
    assert sorted((c.name, c.position, c.email, c.phone) for c in d.counterparts) == [
        ("Jairo Cortés", "Secretario de Gobierno", "", "3100000000"),
        ("Luz Quiñones", "Secretaria de Planeación", "luz@tumaco.gov.co", ""),
    ]
    assert d.notes == "Solicitud por oficio 123"
    assert [(h.from_state, h.to_state, h.changed_by) for h in d.history] == [
        (None, "requested", fresh.author)
    ]
    assert d.next_states == ["concerted", "cancelled"]
    assert d.created_at is not None and d.updated_at is not None


def test_counterparts_keep_the_order_they_were_entered_in(fresh: Profile) -> None:
    """The first counterpart is the main contact (the acta's signature block lists them so)."""
    names = [f"Funcionario {n}" for n in "ABCDEFGH"]
    data = AssistanceInput("52835", "PAZ", counterparts=[CounterpartInput(n) for n in names])
    code, _ = assistances.create_assistance(fresh, data)
    assert [c.name for c in assistances.get_assistance(fresh, code).counterparts] == names


def test_create_records_one_operation_per_field(fresh: Profile, team: dict[str, str]) -> None:
    before, ops_before = seq(fresh), status(fresh).operations
    assistances.create_assistance(fresh, tumaco(team))
    made = ops_after(fresh, before)
    assert status(fresh).operations == ops_before + len(made)
    per_entity = Counter(entity for entity, _ in made)
    assert per_entity == {
        # code, municipality, line, state, 3 dates, notes, created_at
        "assistance": 9,
        # 2 members x (assistance, person, team_role, created_at)
        "assistance_member": 8,
        # Luz: assistance, name, position, email, sort_order, created_at; Jairo: ... phone ...
        "counterpart": 12,
        # assistance, to_state, changed_at, changed_by, created_at
        "state_change": 5,
    }
    assert len(set(made)) < len(made)  # several records, but never a field twice in one record
    assert sorted(f for e, f in made if e == "assistance") == sorted(
        [
            "code",
            "municipality_id",
            "thematic_line_id",
            "state",
            "requested_on",
            "start_on",
            "end_on",
            "notes",
            "created_at",
        ]
    )


# ------------------------------------------------------------------------ refused, unchanged


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        (
            {"municipality_code": "99999"},
            NotFoundError,
            "No existe el municipio con código DIVIPOLA 99999",
        ),
        (
            {"thematic_line_code": "ASTRONOMIA"},
            ValidationError,
            "Línea temática desconocida «ASTRONOMIA». Líneas disponibles: INNOVACION, ETNICOS",
        ),
        (
            {"start_on": dt.date(2026, 7, 1), "end_on": dt.date(2026, 6, 30)},
            ValidationError,
            "La fecha de finalización no puede ser anterior a la de inicio.",
        ),
        (
            {"start_on": dt.date(2026, 1, 1)},
            ValidationError,
            "La fecha de inicio no puede ser anterior a la de solicitud.",
        ),
        (
            {"counterparts": [CounterpartInput("  ")]},
            ValidationError,
            "Cada funcionario de contraparte necesita un nombre.",
        ),
        (
            {"counterparts": [CounterpartInput("Luz", email="luz.tumaco.gov.co")]},
            ValidationError,
            "El correo «luz.tumaco.gov.co» no es válido.",
        ),
        (
            {"team": ["00000000-0000-4000-8000-000000000000"]},
            NotFoundError,
            "No existe la persona 00000000-0000-4000-8000-000000000000.",
        ),
    ],
    ids=[
        "municipio",
        "línea",
        "fin antes de inicio",
        "inicio antes de solicitud",
        "contraparte sin nombre",
        "correo",
        "persona",
    ],
)
def test_invalid_assistances_are_refused_and_nothing_changes(
    fresh: Profile,
    team: dict[str, str],
    overrides: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    assistances.create_assistance(fresh, tumaco(team))
    with Unchanged(fresh), pytest.raises(error) as info:
        assistances.create_assistance(fresh, tumaco(team, **overrides))
    assert str(info.value).startswith(message)
    # The refused one did not use up a number.
    code, _ = assistances.create_assistance(fresh, tumaco(team))
    assert code.endswith("-002")


def test_a_person_twice_in_the_team_is_refused(fresh: Profile, team: dict[str, str]) -> None:
    with Unchanged(fresh), pytest.raises(ValidationError, match="dos veces en el equipo"):
        assistances.create_assistance(fresh, tumaco(team, team=[team["ana"], team["ana"]]))


def test_a_start_never_precedes_the_request_even_when_the_request_date_is_defaulted(
    fresh: Profile, team: dict[str, str]
) -> None:
    """Without a request date the request is today; a start last year breaks the same rule.

    Refusing it (nothing changes) or storing a request date no later than the start both keep
    the rule; storing request = today with start = 2020 does not.
    """
    data = tumaco(team, requested_on=None, start_on=dt.date(2020, 1, 1), end_on=None)
    before, ops = dump(fresh), status(fresh).operations
    try:
        code, _ = assistances.create_assistance(fresh, data)
    except ValidationError as exc:
        assert "anterior a la de solicitud" in str(exc)
        assert (dump(fresh), status(fresh).operations) == (before, ops)
        return
    row = assistances.get_assistance(fresh, code).row
    assert row.requested_on is not None and row.start_on is not None
    assert row.start_on >= row.requested_on, row


# ------------------------------------------------------------------------------------ edit


def test_edit_team_and_counterparts(fresh: Profile, team: dict[str, str]) -> None:
    code, _ = assistances.create_assistance(fresh, tumaco(team))
    d = assistances.get_assistance(fresh, code)
    by_name = {c.name: c for c in d.counterparts}
    luz, jairo = by_name["Luz Quiñones"], by_name["Jairo Cortés"]
    changes = assistances.update_assistance(
        fresh,
        code,
        same_input(
            d,
            team=[team["carla"], team["ana"]],  # Bruno leaves, Carla joins and leads
            counterparts=[
                CounterpartInput(luz.name, "Jefa de Planeación", luz.email, luz.phone, luz.id),
            ],  # Jairo is removed
        ),
    )
    assert changes.touches("assistance_member", "counterpart")
    after = assistances.get_assistance(fresh, code)
    assert [(m.name, m.team_role) for m in after.team] == [
        ("Carla Gómez", "lead"),
        ("Ana Rojas", "member"),
    ]
    assert after.row.team == "Carla Gómez, Ana Rojas"
    assert [(c.id, c.name, c.position) for c in after.counterparts] == [
        (luz.id, "Luz Quiñones", "Jefa de Planeación")
    ]
    # Removed records are tombstones: in the dump (so the removal syncs), not in the lists.
    records = json.loads(dump(fresh))
    counterparts = {c["id"]: c for c in records["counterpart"]}
    assert counterparts[jairo.id]["deleted"] is True
    assert counterparts[jairo.id]["name"] == "Jairo Cortés"
    assert counterparts[luz.id]["deleted"] is False
    members = records["assistance_member"]
    assert [m["deleted"] for m in members if m["person_id"] == team["bruno"]] == [True]
    assert status(fresh).records["counterpart"] == 1
    assert status(fresh).records["assistance_member"] == 2


def test_editing_only_the_notes_adds_exactly_one_operation(
    fresh: Profile, team: dict[str, str]
) -> None:
    code, _ = assistances.create_assistance(fresh, tumaco(team))
    d = assistances.get_assistance(fresh, code)
    before, ops = seq(fresh), status(fresh).operations
    assistances.update_assistance(fresh, code, same_input(d, notes="Acta firmada el 5 de marzo"))
    assert status(fresh).operations == ops + 1
    assert ops_after(fresh, before) == [("assistance", "notes")]
    assert assistances.get_assistance(fresh, code).notes == "Acta firmada el 5 de marzo"
    # Saving the form again without changes records nothing at all.
    d = assistances.get_assistance(fresh, code)
    with Unchanged(fresh):
        assistances.update_assistance(fresh, code, same_input(d))


def test_edit_change_of_lead_is_one_operation_per_member(
    fresh: Profile, team: dict[str, str]
) -> None:
    code, _ = assistances.create_assistance(fresh, tumaco(team))
    d = assistances.get_assistance(fresh, code)
    before = seq(fresh)
    assistances.update_assistance(fresh, code, same_input(d, team=[team["bruno"], team["ana"]]))
    assert sorted(ops_after(fresh, before)) == [
        ("assistance_member", "team_role"),
        ("assistance_member", "team_role"),
    ]


def test_invalid_edits_change_nothing(fresh: Profile, team: dict[str, str]) -> None:
    code, _ = assistances.create_assistance(fresh, tumaco(team))
    d = assistances.get_assistance(fresh, code)
    with Unchanged(fresh):
        with pytest.raises(NotFoundError, match="No existe el municipio"):
            assistances.update_assistance(fresh, code, same_input(d, municipality_code="00000"))
        with pytest.raises(ValidationError, match="Línea temática desconocida"):
            assistances.update_assistance(fresh, code, same_input(d, thematic_line_code="paz"))
        with pytest.raises(ValidationError, match="finalización"):
            assistances.update_assistance(fresh, code, same_input(d, end_on=dt.date(2026, 2, 28)))
        with pytest.raises(NotFoundError, match="No existe la persona"):
            assistances.update_assistance(
                fresh, code, same_input(d, team=[team["ana"], "alguien-que-no-existe"])
            )
        with pytest.raises(NotFoundError, match="No existe la asistencia «AT-2026-XXXXX-001»"):
            assistances.update_assistance(fresh, "AT-2026-XXXXX-001", same_input(d))


def test_an_edit_cannot_move_the_start_before_the_stored_request_date(
    fresh: Profile, team: dict[str, str]
) -> None:
    """`requested_on=None` in an edit means "keep it"; the kept date still bounds the start."""
    code, _ = assistances.create_assistance(fresh, tumaco(team))
    d = assistances.get_assistance(fresh, code)
    assert d.row.requested_on == REQUESTED
    data = same_input(d, requested_on=None, start_on=dt.date(2026, 1, 15))
    with contextlib.suppress(ValidationError):  # refusing is the expected answer
        assistances.update_assistance(fresh, code, data)
    row = assistances.get_assistance(fresh, code).row
    assert row.requested_on is not None and row.start_on is not None
    assert row.start_on >= row.requested_on, row


# -------------------------------------------------------------------------------- workflow


def test_full_workflow_to_closed_with_history(fresh: Profile, team: dict[str, str]) -> None:
    code, _ = assistances.create_assistance(fresh, tumaco(team))
    started = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    for target in FORWARD:
        before = seq(fresh)
        changes = assistances.transition(fresh, code, target)
        assert changes.touches("assistance", "state_change")
        made = ops_after(fresh, before)
        # The state field, and one new state-change record (assistance, from, to, when, who,
        # created_at): every transition leaves operations behind.
        assert Counter(e for e, _ in made) == {"assistance": 1, "state_change": 6}
        assert ("assistance", "state") in made
        assert assistances.get_assistance(fresh, code).row.state == target
    finished = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    d = assistances.get_assistance(fresh, code)
    assert [(h.from_state, h.to_state) for h in d.history] == list(
        zip([None, "requested", *FORWARD[:-1]], ["requested", *FORWARD], strict=True)
    )
    assert {h.changed_by for h in d.history} == {fresh.author}
    moments = [as_utc(h.changed_at) for h in d.history]
    assert all(started <= m <= finished for m in moments)
    assert moments == sorted(moments)
    assert d.next_states == []
    assert d.row.state_label == "Cerrada"


def test_concerting_needs_team_and_counterparts(fresh: Profile) -> None:
    code, _ = assistances.create_assistance(fresh, AssistanceInput("52835", "PAZ"))
    with Unchanged(fresh), pytest.raises(TransitionError) as info:
        assistances.transition(fresh, code, "concerted")
    assert str(info.value) == (
        "Para concertar la asistencia falta: al menos un integrante del equipo; "
        "al menos un funcionario de contraparte de la alcaldía."
    )


def test_removing_the_last_counterpart_blocks_concerting(
    fresh: Profile, team: dict[str, str]
) -> None:
    code, _ = assistances.create_assistance(fresh, tumaco(team))
    d = assistances.get_assistance(fresh, code)
    assistances.update_assistance(fresh, code, same_input(d, counterparts=[]))
    with pytest.raises(TransitionError, match="funcionario de contraparte"):
        assistances.transition(fresh, code, "concerted")


def test_skipping_a_state_is_refused_and_changes_nothing(
    fresh: Profile, team: dict[str, str]
) -> None:
    code, _ = assistances.create_assistance(fresh, tumaco(team))
    with Unchanged(fresh), pytest.raises(TransitionError) as info:
        assistances.transition(fresh, code, "planned")
    assert "El siguiente estado es «Concertada»" in str(info.value)
    with Unchanged(fresh):
        with pytest.raises(ValidationError, match="Estado desconocido «terminada»"):
            assistances.transition(fresh, code, "terminada")
        with pytest.raises(NotFoundError, match="No existe la asistencia"):
            assistances.transition(fresh, "AT-1999-ABCDE-001", "concerted")


@pytest.mark.parametrize("steps", [0, 1, 3, 5])
def test_cancel_with_a_reason_from_an_open_state(
    fresh: Profile, team: dict[str, str], steps: int
) -> None:
    code, _ = assistances.create_assistance(fresh, tumaco(team))
    for target in FORWARD[:steps]:
        assistances.transition(fresh, code, target)
    with Unchanged(fresh), pytest.raises(TransitionError, match="debe indicar el motivo"):
        assistances.transition(fresh, code, "cancelled", "   ")
    assistances.transition(fresh, code, "cancelled", "  Cambio de administración municipal ")
    d = assistances.get_assistance(fresh, code)
    assert d.row.state == "cancelled"
    assert d.cancel_reason == "Cambio de administración municipal"
    assert d.history[-1].reason == "Cambio de administración municipal"
    assert d.history[-1].to_state == "cancelled"
    assert d.next_states == []


@pytest.mark.parametrize("final", ["closed", "cancelled"])
def test_closed_and_cancelled_assistances_cannot_be_edited_or_moved(
    fresh: Profile, team: dict[str, str], final: str
) -> None:
    code, _ = assistances.create_assistance(fresh, tumaco(team))
    if final == "closed":
        for target in FORWARD:
            assistances.transition(fresh, code, target)
    else:
        assistances.transition(fresh, code, "cancelled", "La alcaldía desistió")
    d = assistances.get_assistance(fresh, code)
    label = {"closed": "Cerrada", "cancelled": "Cancelada"}[final]
    with Unchanged(fresh):
        with pytest.raises(ValidationError) as info:
            assistances.update_assistance(fresh, code, same_input(d, notes="otra nota"))
        assert (
            str(info.value)
            == f"La asistencia {code} está en estado «{label}»: ya no se puede editar."
        )
        for target in ["concerted", "cancelled", "closed"]:
            with pytest.raises(TransitionError, match="ya no cambia de estado"):
                assistances.transition(fresh, code, target, "motivo")


# ------------------------------------------------------------------------- lists and devices


def test_list_and_filter(fresh: Profile, team: dict[str, str]) -> None:
    catalog.import_directorates(fresh)  # the EXAMPLE grouping gives directorate codes
    a, _ = assistances.create_assistance(fresh, tumaco(team))
    b, _ = assistances.create_assistance(
        fresh, tumaco(team, municipality_code="05001", thematic_line_code="INNOVACION")
    )
    c, _ = assistances.create_assistance(fresh, tumaco(team, municipality_code="52001"))
    assistances.transition(fresh, c, "cancelled", "Duplicada")
    rows = assistances.list_assistances(fresh)
    assert [r.code for r in rows] == [a, b, c]

    def found(query: str = "", **filters: str) -> list[str]:
        return [r.code for r in assistances.filter_assistances(rows, query, **filters)]

    assert found("tumaco") == [a]
    assert found("MEDELLIN") == [b]
    assert found("nariño") == [a, c]
    assert found("bruno") == [a, b, c]
    assert found(a.lower()) == [a]
    assert found(state="cancelled") == [c]
    assert found(thematic_line="INNOVACION") == [b]
    assert found(directorate="NAR") == [a, c]
    assert found(department="05") == [b]
    assert found("pasto", state="requested") == []
    assert [r.code for r in assistances.list_assistances(fresh, municipality="52835")] == [a]
    assert assistances.list_assistances(fresh, municipality="5001")[0].code == b


def test_two_devices_never_hand_out_the_same_code(tmp_path: Path) -> None:
    with (
        Profile(tmp_path / "a", device_name="Portátil Pasto") as first,
        Profile(tmp_path / "b", device_name="Portátil Tumaco") as second,
    ):
        assert first.device_id != second.device_id
        made = []
        for profile in (first, second):
            for municipality in ("52835", "52001", "52835"):
                code, _ = assistances.create_assistance(
                    profile, AssistanceInput(municipality, "PAZ", requested_on=REQUESTED)
                )
                assert code.split("-")[2] == device_tag(profile.device_id)
                made.append(code)
    assert len(set(made)) == 6
    assert {c.rsplit("-", 1)[1] for c in made} == {"001", "002", "003"}


def test_an_edit_cannot_undo_what_concertation_required(
    fresh: Profile, team: dict[str, str]
) -> None:
    code, _ = assistances.create_assistance(fresh, tumaco(team))
    assistances.transition(fresh, code, "concerted")
    d = assistances.get_assistance(fresh, code)
    for emptied in (same_input(d, team=[]), same_input(d, counterparts=[])):
        with Unchanged(fresh), pytest.raises(TransitionError, match="ya está concertada"):
            assistances.update_assistance(fresh, code, emptied)
    # Still requested: the team may be emptied freely.
    other, _ = assistances.create_assistance(fresh, tumaco(team))
    assistances.update_assistance(
        fresh, other, same_input(assistances.get_assistance(fresh, other), team=[])
    )
    assert assistances.get_assistance(fresh, other).team == []
