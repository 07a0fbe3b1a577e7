"""People who make up teams: add, edit, list, and the rules on names, roles and e-mail."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from fieldkit.domain.errors import NotFoundError, ValidationError
from fieldkit.services import persons
from fieldkit.services.persons import PERSON_ROLES, PersonRow
from fieldkit.services.profile import Profile, dump, status
from fieldkit.store.models import Operation


def person_ops(profile: Profile, person_id: str) -> list[str]:
    """The fields of the operations the change log holds for one person, oldest first."""
    with profile.read() as session:
        return list(
            session.scalars(
                select(Operation.field)
                .where(Operation.entity == "person", Operation.record_id == person_id)
                .order_by(Operation.seq)
            )
        )


def test_add_and_list(fresh: Profile) -> None:
    ana, changes = persons.save_person(
        fresh,
        name="  Ana   María  Rojas ",
        role="field_professional",
        directorate_code=" nar ",
        email="ana.rojas@example.org",
        phone="3001234567",
    )
    assert changes.touches("person")
    luis, _ = persons.save_person(fresh, name="Luis Pérez", role="student")
    assert ana != luis
    assert persons.list_persons(fresh) == [
        PersonRow(ana, "Ana María Rojas", "field_professional", "NAR", "ana.rojas@example.org",
                  "3001234567", True),
        PersonRow(luis, "Luis Pérez", "student", "", "", "", True),
    ]  # fmt: skip
    assert status(fresh).records["person"] == 2


def test_every_role_has_a_spanish_label() -> None:
    assert PERSON_ROLES == {
        "field_professional": "Profesional de campo",
        "student": "Estudiante",
        "reviewer": "Revisor",
        "coordinator": "Coordinador",
    }


def test_a_new_person_records_one_operation_per_field_given(fresh: Profile) -> None:
    before = status(fresh).operations
    pid, _ = persons.save_person(fresh, name="Ana", role="reviewer", email="ana@example.org")
    fields = person_ops(fresh, pid)
    assert sorted(fields) == ["active", "created_at", "email", "name", "role"]
    assert status(fresh).operations == before + len(fields)


def test_editing_one_field_records_one_operation(fresh: Profile) -> None:
    pid, _ = persons.save_person(fresh, name="Ana", role="reviewer", email="ana@example.org")
    before = status(fresh).operations
    persons.save_person(
        fresh, person_id=pid, name="Ana", role="reviewer", email="ana@example.org", phone="321"
    )
    assert status(fresh).operations == before + 1
    assert person_ops(fresh, pid)[-1] == "phone"
    # Saving the same values again records nothing.
    persons.save_person(
        fresh, person_id=pid, name="Ana", role="reviewer", email="ana@example.org", phone="321"
    )
    assert status(fresh).operations == before + 1
    assert persons.list_persons(fresh)[0].phone == "321"


def test_inactive_people_are_kept_but_filtered(fresh: Profile) -> None:
    ana, _ = persons.save_person(fresh, name="Ana", role="coordinator")
    bea, _ = persons.save_person(fresh, name="Beatriz", role="student")
    persons.save_person(fresh, person_id=bea, name="Beatriz", role="student", active=False)
    assert [p.id for p in persons.list_persons(fresh)] == [ana, bea]
    assert [p.id for p in persons.list_persons(fresh, active_only=True)] == [ana]
    assert persons.list_persons(fresh)[1].active is False


def test_list_is_sorted_by_name(fresh: Profile) -> None:
    for name in ["Zoila", "Ángela", "Carlos", "Bernardo"]:
        persons.save_person(fresh, name=name, role="student")
    names = [p.name for p in persons.list_persons(fresh)]
    # Spanish order: an accented initial sorts with its letter (as departments and teams do).
    assert names == ["Ángela", "Bernardo", "Carlos", "Zoila"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "   ", "role": "student"}, "El nombre de la persona es obligatorio."),
        ({"name": "Ana", "role": "jefe"}, "Rol desconocido «jefe». Use uno de: field_professional"),
        (
            {"name": "Ana", "role": "student", "email": "ana.example.org"},
            "El correo «ana.example.org» no es válido.",
        ),
        (
            {"name": "Ana", "role": "student", "person_id": "no-existe"},
            "No existe la persona no-existe.",
        ),
    ],
)
def test_invalid_people_are_refused_in_spanish_and_change_nothing(
    fresh: Profile, kwargs: dict[str, str], message: str
) -> None:
    persons.save_person(fresh, name="Alguien", role="student")
    before, ops = dump(fresh), status(fresh).operations
    with pytest.raises((ValidationError, NotFoundError)) as info:
        persons.save_person(fresh, **kwargs)  # type: ignore[arg-type]
    assert str(info.value).startswith(message)
    assert dump(fresh) == before
    assert status(fresh).operations == ops


def test_people_are_in_the_dump(fresh: Profile) -> None:
    pid, _ = persons.save_person(fresh, name="Ana", role="student", phone=" 300 ")
    (row,) = json.loads(dump(fresh))["person"]
    assert row["id"] == pid
    assert row["name"] == "Ana" and row["phone"] == "300"
    assert row["deleted"] is False
    assert row["created_at"]
