"""Where a record belongs (municipality, directorate), for authorizing incoming operations.

An operation's record may be new and arrive in the same batch as its parent, so the batch is
consulted before the database: an assistance's municipality, a child's assistance.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.domain.authorization import Scope
from fieldkit.store.models import ENTITIES, Directorate
from fieldkit.store.uow import decode_json

CHILDREN = (
    "assistance_member",
    "counterpart",
    "state_change",
    "submission",
    "finding",
    "plan",
    "deliverable",
)
PLAN_CHILDREN = ("plan_version", "result", "activity", "follow_up", "plan_link")
NO_SCOPE = Scope(None, None)  # a record placed nowhere (yet)
# What places a record: the field naming its parent, and the parent's entity (None: the
# record's `owner_entity` field says it). An assistance is placed by its municipality.
_PARENT: dict[str, tuple[str, str | None]] = {
    "assistance": ("municipality_id", "municipality"),
    **{child: ("assistance_id", "assistance") for child in CHILDREN},
    "answer": ("submission_id", "submission"),
    **{child: ("plan_id", "plan") for child in PLAN_CHILDREN},
    "deliverable_review": ("deliverable_id", "deliverable"),
    "review_comment": ("review_id", "deliverable_review"),
    "attachment": ("owner_id", None),
}
_FOLLOWED = {(entity, field) for entity, (field, _p) in _PARENT.items()} | {
    ("attachment", "owner_entity")
}


class ScopeResolver:
    """Scopes of the records a batch touches, each worked out once per batch (a bundle's many
    operations on one record, or on the children of one assistance, share it)."""

    def __init__(self, session: Session, batch: Iterable[dict[str, Any]]) -> None:
        self.session = session
        # Only the fields scopes follow: an assistance's municipality, a child's parent.
        self.batch_values: dict[tuple[str, str, str], str | None] = {}
        newest: dict[tuple[str, str, str], str] = {}
        for op in batch:
            entity, field = op["entity"], op["field"]
            if (entity, field) not in _FOLLOWED:
                continue
            key = (entity, op["record_id"], field)
            if key not in newest or op["hlc"] >= newest[key]:  # the newest value in the batch
                newest[key] = op["hlc"]
                self.batch_values[key] = op["value"]
        self._departments: dict[str, str] | None = None
        self._municipalities: dict[str, Scope] = {}
        self._records: dict[tuple[str, str], Scope] = {}

    def scope(self, op: dict[str, Any]) -> Scope:
        entity = op["entity"]
        if entity == "municipality":
            return self._scope_of_municipality(op["record_id"])
        if entity not in _PARENT:
            return NO_SCOPE
        if (entity, op["field"]) in _FOLLOWED:  # the operation itself moves the record
            return self._placed(entity, op["record_id"], op)
        return self._record(entity, op["record_id"])

    def _record(self, entity: str, record_id: str, depth: int = 0) -> Scope:
        key = (entity, record_id)
        scope = self._records.get(key)
        if scope is None:
            scope = self._placed(entity, record_id, None, depth)
            self._records[key] = scope
        return scope

    def _placed(
        self, entity: str, record_id: str, op: dict[str, Any] | None, depth: int = 0
    ) -> Scope:
        """Where the record's parent is: its own value in `op`, else the batch, else the rows."""
        if entity == "municipality":
            return self._scope_of_municipality(record_id)
        if entity == "assistance":
            return self._scope_of_assistance(record_id, op)
        if entity not in _PARENT or depth > 4:  # a loop of owners is placed nowhere
            return NO_SCOPE
        field, parent_entity = _PARENT[entity]
        parent_id = self._value(entity, record_id, field, op)
        if parent_entity is None:
            parent_entity = self._value(entity, record_id, "owner_entity", op)
        if not parent_id or parent_entity not in ENTITIES:
            return NO_SCOPE
        return self._record(parent_entity, parent_id, depth + 1)

    def _value(
        self, entity: str, record_id: str, field: str, op: dict[str, Any] | None = None
    ) -> str | None:
        if op is not None and op["field"] == field:
            return _text(op["value"])
        if (entity, record_id, field) in self.batch_values:
            return _text(self.batch_values[(entity, record_id, field)])
        # Plain SQL: an ORM query cost half a millisecond, paid for every record of a bundle.
        table = ENTITIES[entity].__tablename__  # type: ignore[attr-defined]
        row = (
            self.session.connection()
            .exec_driver_sql(f"SELECT {field} FROM {table} WHERE id = ?", (record_id,))
            .first()
        )
        return row[0] if row else None

    def _scope_of_assistance(self, assistance_id: str, op: dict[str, Any] | None = None) -> Scope:
        if op is None and ("assistance", assistance_id) in self._records:
            return self._records[("assistance", assistance_id)]
        municipality_id = self._value("assistance", assistance_id, "municipality_id", op)
        scope = self._scope_of_municipality(municipality_id) if municipality_id else NO_SCOPE
        if op is None:
            self._records[("assistance", assistance_id)] = scope
        return scope

    def _scope_of_municipality(self, municipality_id: str) -> Scope:
        scope = self._municipalities.get(municipality_id)
        if scope is None:
            row = (
                self.session.connection()
                .exec_driver_sql(
                    "SELECT code, department_code FROM municipalities WHERE id = ?",
                    (municipality_id,),
                )
                .first()
            )
            code, department = (row[0], row[1]) if row else ("", "")
            scope = Scope(code or None, self._directorate_of(department))
            self._municipalities[municipality_id] = scope
        return scope

    def _directorate_of(self, department: str) -> str | None:
        if self._departments is None:
            self._departments = {}
            for code, departments in self.session.execute(
                select(Directorate.code, Directorate.departments).where(
                    Directorate.deleted.is_(False)
                )
            ):
                for dept in (departments or "").split(";"):
                    if dept:
                        self._departments[dept] = code
        return self._departments.get(department)


def _text(value: str | None) -> str | None:
    decoded = decode_json(value) if value is not None else None
    return decoded if isinstance(decoded, str) else None
