"""What a service call changed, so each open view decides whether to refresh (as Anki's OpChanges)."""

from __future__ import annotations

from typing import NamedTuple


class Changes(NamedTuple):
    entities: frozenset[str] = frozenset()

    def touches(self, *entities: str) -> bool:
        return bool(self.entities.intersection(entities))

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.entities | other.entities)

    @classmethod
    def of(cls, *entities: str) -> Changes:
        return cls(frozenset(entities))


EVERYTHING = Changes.of(
    "municipality",
    "directorate",
    "municipal_category",
    "thematic_line",
    "indicator_value",
    "person",
    "assistance",
    "assistance_member",
    "counterpart",
    "state_change",
    "form",
    "submission",
    "answer",
    "attachment",
    "finding",
    "plan",
    "plan_version",
    "result",
    "activity",
    "follow_up",
    "plan_link",
    "deliverable",
    "deliverable_review",
    "review_comment",
)
