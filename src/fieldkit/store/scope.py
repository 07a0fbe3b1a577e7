"""Where a record belongs (municipality, directorate), for authorizing incoming operations.

An operation's record may be new and arrive in the same batch as its parent, so the batch is
consulted before the database: an assistance's municipality, a child's assistance.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.domain.authorization import Scope
from fieldkit.store.models import Assistance, Directorate, Municipality

CHILDREN = ("assistance_member", "counterpart", "state_change")


class ScopeResolver:
    def __init__(self, session: Session, batch: Iterable[dict[str, Any]]) -> None:
        self.session = session
        self.batch_values: dict[tuple[str, str, str], str | None] = {}
        for op in sorted(batch, key=lambda o: o["hlc"]):  # the newest value in the batch wins
            self.batch_values[(op["entity"], op["record_id"], op["field"])] = op["value"]
        self._departments: dict[str, str] | None = None
        self._municipalities: dict[str, tuple[str, str]] = {}

    def scope(self, op: dict[str, Any]) -> Scope:
        entity = op["entity"]
        if entity == "assistance":
            return self._scope_of_assistance(
                op["record_id"], op if op["field"] == "municipality_id" else None
            )
        if entity in CHILDREN:
            parent = self._value(entity, op["record_id"], "assistance_id", op)
            return self._scope_of_assistance(parent) if parent else Scope(None, None)
        if entity == "municipality":
            return self._scope_of_municipality(op["record_id"])
        return Scope(None, None)

    def _value(
        self, entity: str, record_id: str, field: str, op: dict[str, Any] | None = None
    ) -> str | None:
        if op is not None and op["field"] == field:
            return _text(op["value"])
        if (entity, record_id, field) in self.batch_values:
            return _text(self.batch_values[(entity, record_id, field)])
        if entity == "assistance" and field == "municipality_id":
            return self.session.scalar(
                select(Assistance.municipality_id).where(Assistance.id == record_id)
            )
        from fieldkit.store.models import ENTITIES

        cls = ENTITIES[entity]
        return self.session.scalar(select(getattr(cls, field)).where(cls.id == record_id))

    def _scope_of_assistance(self, assistance_id: str, op: dict[str, Any] | None = None) -> Scope:
        municipality_id = self._value("assistance", assistance_id, "municipality_id", op)
        return (
            self._scope_of_municipality(municipality_id) if municipality_id else Scope(None, None)
        )

    def _scope_of_municipality(self, municipality_id: str) -> Scope:
        if municipality_id not in self._municipalities:
            row = self.session.execute(
                select(Municipality.code, Municipality.department_code).where(
                    Municipality.id == municipality_id
                )
            ).first()
            self._municipalities[municipality_id] = (row[0], row[1]) if row else ("", "")
        code, department = self._municipalities[municipality_id]
        return Scope(code or None, self._directorate_of(department))

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
    decoded = json.loads(value) if value is not None else None
    return decoded if isinstance(decoded, str) else None
