"""Who may write what (DESIGN §5): rules declared per entity and field, checked on import.

A rule names the roles that may write a field and whether the writer's scope (the directorates
and municipalities its coordinator assigned at enrolment) must contain the record. Later issues
declare their own entities here (e.g. only reviewers approve a plan) without new merge code.
"""

from __future__ import annotations

from typing import NamedTuple

from fieldkit.domain.errors import Label


def N_(msgid: str) -> str:
    return msgid


FIELD = "field"
REVIEWER = "reviewer"
COORDINATOR = "coordinator"
EVERYONE = frozenset({FIELD, REVIEWER, COORDINATOR})


class Rule(NamedTuple):
    roles: frozenset[str]
    scoped: bool  # the record must fall inside the writer's directorates / municipalities


class Sender(NamedTuple):
    """What the receiving device knows of the writer: its enrolled role and scope."""

    role: str
    directorates: frozenset[str] = frozenset()  # empty: no directorate limit (national)
    municipalities: frozenset[str] = frozenset()  # empty: every municipality of its directorates


class Scope(NamedTuple):
    """Where a record belongs: a municipality code and its directorate (either may be unknown)."""

    municipality: str | None
    directorate: str | None


CATALOG = Rule(frozenset({COORDINATOR}), scoped=False)
FIELD_WORK = Rule(EVERYONE, scoped=True)
REVIEW = Rule(frozenset({REVIEWER, COORDINATOR}), scoped=True)
# The team's own acts (delivering a product): not a reviewer's.
TEAM = Rule(frozenset({FIELD, COORDINATOR}), scoped=True)

# entity -> field -> rule; "*" is the entity's default.
RULES: dict[str, dict[str, Rule]] = {
    "municipality": {"*": CATALOG},
    "directorate": {"*": CATALOG},
    "municipal_category": {"*": CATALOG},
    "thematic_line": {"*": CATALOG},
    "indicator_value": {"*": CATALOG},
    "person": {"*": Rule(frozenset({FIELD, COORDINATOR}), scoped=False)},
    "assistance": {"*": FIELD_WORK},
    "assistance_member": {"*": FIELD_WORK},
    "counterpart": {"*": FIELD_WORK},
    "state_change": {"*": FIELD_WORK},
    # Forms (issue 4): coordinators publish instruments; teams fill them in their scope.
    "form": {"*": CATALOG},
    "submission": {"*": FIELD_WORK},
    "answer": {"*": FIELD_WORK},
    "attachment": {"*": FIELD_WORK},
    # Action plans (issue 5): teams write and submit; only reviewers and coordinators decide.
    "finding": {"*": FIELD_WORK},
    "plan": {"*": FIELD_WORK},
    "plan_version": {
        "*": FIELD_WORK,
        "decision": REVIEW,
        "comments": REVIEW,
        "decided_at": REVIEW,
        "decided_by": REVIEW,
    },
    "result": {"*": FIELD_WORK},
    "activity": {"*": FIELD_WORK},
    "follow_up": {"*": FIELD_WORK},
    "plan_link": {"*": FIELD_WORK},
    # Deliverables (issue 6): only reviewers and coordinators decide on a review; only the
    # team (and coordinators, who lead teams) moves a deliverable and records its delivery.
    "deliverable": {
        "*": FIELD_WORK,
        **dict.fromkeys(
            (
                "state",
                "delivered_on",
                "delivery_place",
                "received_by",
                "received_position",
                "received_entity",
                "team_present",
                "delivered_by",
            ),
            TEAM,
        ),
    },
    "deliverable_review": {
        "*": FIELD_WORK,
        **dict.fromkeys(("decision", "comments", "decided_at", "decided_by"), REVIEW),
    },
    "review_comment": {
        "*": REVIEW,
        "addressed": FIELD_WORK,
        "response": FIELD_WORK,
    },
}

ROLE_NAMES = {FIELD: N_("equipo de campo"), REVIEWER: N_("revisor"), COORDINATOR: N_("coordinador")}


def rule_for(entity: str, field: str) -> Rule | None:
    fields = RULES.get(entity)
    if fields is None:
        return None
    return fields.get(field) or fields.get("*")


def check(
    sender: Sender, entity: str, field: str, scope: Scope
) -> tuple[str, dict[str, object]] | None:
    """Why `sender` may not write `entity.field` of a record in `scope`, or None if it may."""
    rule = rule_for(entity, field)
    if rule is None:
        return N_("no hay regla de autorización para {entity}.{field}"), {
            "entity": entity,
            "field": field,
        }
    if sender.role not in rule.roles:
        return (
            N_("un {role} no puede cambiar {entity}.{field}"),
            {
                "role": Label(ROLE_NAMES.get(sender.role, sender.role)),
                "entity": entity,
                "field": field,
            },
        )
    if not rule.scoped:
        return None
    if sender.directorates and scope.directorate not in sender.directorates:
        return (
            N_(
                "{entity} de otra dirección territorial ({directorate}): fuera del alcance del equipo"
            ),
            {"entity": entity, "directorate": scope.directorate or "?"},
        )
    if sender.municipalities and scope.municipality not in sender.municipalities:
        return (
            N_("{entity} del municipio {municipality}: fuera del alcance del equipo"),
            {"entity": entity, "municipality": scope.municipality or "?"},
        )
    return None
