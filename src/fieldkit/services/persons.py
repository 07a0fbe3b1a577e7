"""People: field professionals, students, reviewers and coordinators who make up teams."""

from __future__ import annotations

from typing import NamedTuple

from fieldkit.domain.errors import NotFoundError, ValidationError
from fieldkit.domain.text import fold
from fieldkit.i18n import N_
from fieldkit.services.changes import Changes
from fieldkit.services.profile import Profile
from fieldkit.store import reads

PERSON_ROLES: dict[str, str] = {
    "field_professional": N_("Profesional de campo"),
    "student": N_("Estudiante"),
    "reviewer": N_("Revisor"),
    "coordinator": N_("Coordinador"),
}


class PersonRow(NamedTuple):
    id: str
    name: str
    role: str
    directorate_code: str
    email: str
    phone: str
    active: bool


def list_persons(profile: Profile, *, active_only: bool = False) -> list[PersonRow]:
    rows = reads.persons(profile.reader)
    people = [
        PersonRow(
            r["id"],
            r["name"] or "",
            r["role"] or "",
            r["directorate_code"] or "",
            r["email"] or "",
            r["phone"] or "",
            r["active"] != 0,
        )
        for r in rows
        if r["active"] != 0 or not active_only
    ]
    return sorted(people, key=lambda p: (fold(p.name), p.id))


def save_person(
    profile: Profile,
    *,
    name: str,
    role: str,
    person_id: str | None = None,
    directorate_code: str = "",
    email: str = "",
    phone: str = "",
    active: bool = True,
) -> tuple[str, Changes]:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("El nombre de la persona es obligatorio.")
    if role not in PERSON_ROLES:
        raise ValidationError(
            "Rol desconocido «{role}». Use uno de: {roles}.",
            role=role,
            roles=", ".join(PERSON_ROLES),
        )
    if email and "@" not in email:
        raise ValidationError("El correo «{email}» no es válido.", email=email)
    from fieldkit.store.models import Person

    with profile.write() as session:
        if person_id:
            person = session.get(Person, person_id)
            if person is None or person.deleted:
                raise NotFoundError("No existe la persona {id}.", id=person_id)
        else:
            person = Person()
            session.add(person)
        person.name = name
        person.role = role
        person.directorate_code = directorate_code.strip().upper() or None
        person.email = email.strip() or None
        person.phone = phone.strip() or None
        person.active = active
        session.flush()
        return person.id, Changes.of("person")
