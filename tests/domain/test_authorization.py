"""Authorization rules: roles per entity and field, scope by directorate and municipality."""

from __future__ import annotations

import pytest

from fieldkit.domain.authorization import RULES, Scope, Sender, check, rule_for

TUMACO = Scope(municipality="52835", directorate="NAR")
MEDELLIN = Scope(municipality="05001", directorate="ANT")


def test_every_synced_entity_has_a_rule() -> None:
    from fieldkit.store.models import ENTITIES

    assert set(ENTITIES) <= set(RULES)  # a new entity without rules would be refused on import


@pytest.mark.parametrize(
    "entity", ["municipality", "directorate", "municipal_category", "thematic_line"]
)
def test_only_coordinators_change_catalogs(entity: str) -> None:
    assert check(Sender("coordinator"), entity, "name", TUMACO) is None
    for role in ("field", "reviewer"):
        refusal = check(Sender(role), entity, "name", TUMACO)
        assert refusal is not None and "no puede cambiar" in refusal[0]


def test_field_work_stays_inside_the_senders_scope() -> None:
    team = Sender("field", directorates=frozenset({"NAR"}))
    assert check(team, "assistance", "notes", TUMACO) is None
    refusal = check(team, "assistance", "notes", MEDELLIN)
    assert refusal is not None and "otra dirección territorial" in refusal[0]
    one_town = Sender("field", directorates=frozenset({"NAR"}), municipalities=frozenset({"52835"}))
    assert check(one_town, "counterpart", "name", TUMACO) is None
    refusal = check(one_town, "counterpart", "name", Scope("52001", "NAR"))
    assert refusal is not None and "52001" in str(refusal[1])
    national = Sender("coordinator")
    assert check(national, "assistance", "state", MEDELLIN) is None


def test_field_specific_rules_override_the_entity_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from fieldkit.domain import authorization as auth

    rules = {
        **auth.RULES,
        "assistance": {
            **auth.RULES["assistance"],
            "approved": auth.Rule(frozenset({"reviewer"}), scoped=False),
        },
    }
    monkeypatch.setattr(auth, "RULES", rules)
    assert rule_for("assistance", "approved").roles == frozenset({"reviewer"})  # type: ignore[union-attr]
    assert check(Sender("field"), "assistance", "approved", TUMACO) is not None
    assert check(Sender("reviewer"), "assistance", "approved", TUMACO) is None
    assert check(Sender("field"), "assistance", "notes", TUMACO) is None


def test_unknown_entities_are_refused() -> None:
    refusal = check(Sender("coordinator"), "planeta", "x", TUMACO)
    assert refusal is not None and "no hay regla" in refusal[0]
