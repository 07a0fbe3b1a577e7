"""Flat answer keys: one key per stored answer, so each is one field of the change log.

    visit_date                          a question outside repeats
    attendance[3f9a01c2d4]              a row of the repeat "attendance" (its value: the row's
                                        order number, so rows keep their order)
    attendance[3f9a01c2d4]/sex          a question in that row
    household[h1]/member[m2]/age        nested repeats

The text between brackets is the row's id: random when a row is added, so rows added on two
laptops never collide and removing a row does not renumber the others. Group names never appear
(names are unique in a form). Files written by hand may number rows instead (``attendance[1]/sex``);
rows without an order number are ordered by their id, numerically when it is a number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A segment: a name (XML NCName, as XLSForm names), optionally with a row id in brackets.
_SEGMENT = re.compile(r"([^\W\d][\w.\-]*)(?:\[([^\[\]/\s]+)\])?")

Instances = tuple[tuple[str, str], ...]  # ((repeat, row id), …), outermost first


def answer_key(name: str, instances: Sequence[tuple[str, str]] = ()) -> str:
    """The key of question ``name`` in the rows ``instances`` (outermost first)."""
    return "".join(f"{repeat}[{row}]/" for repeat, row in instances) + name


def row_key(instances: Sequence[tuple[str, str]]) -> str:
    """The key of a repeat row (its last element) whose value is the row's order number."""
    return "/".join(f"{repeat}[{row}]" for repeat, row in instances)


def parse_key(key: str) -> tuple[Instances, str | None] | None:
    """``(instances, name)`` of an answer key, ``(instances, None)`` of a row key, or None when
    ``key`` is not a key at all."""
    if not isinstance(key, str) or not key:
        return None
    segments = key.split("/")
    instances: list[tuple[str, str]] = []
    for i, segment in enumerate(segments):
        m = _SEGMENT.fullmatch(segment)
        if m is None:
            return None
        name, row = m[1], m[2]
        last = i == len(segments) - 1
        if row is None:
            if not last:
                return None
            return tuple(instances), name
        instances.append((name, row))
    return tuple(instances), None


def row_sort_key(row_id: str, order: object) -> tuple[int, float, str]:
    """How rows are ordered: by their order number, else by a numeric id, else by id."""
    if isinstance(order, int | float) and not isinstance(order, bool):
        return (0, float(order), row_id)
    if row_id.isdigit():
        return (1, float(row_id), row_id)
    return (2, 0.0, row_id)
