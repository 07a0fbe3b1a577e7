"""The expression language's view of a form state: ``${name}`` from one instance of one node.

Inside a repeat row, ``${q}`` of the same repeat is that row's answer; from outside (or from
another repeat) it is the list of every row's answer, so ``sum()`` and ``count()`` work; a
repeat's own name is its list of rows. ``position(..)`` is the row's 1-based position.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from fieldkit.forms.expressions import BaseContext
from fieldkit.forms.model import Element, Question, Repeat

if TYPE_CHECKING:
    from fieldkit.forms.state import FormState, IdPath

UNSET = object()  # no current value given: "." reads the element's own value


class StateContext(BaseContext):
    """The expression language's view of a form state, from one instance of one node."""

    def __init__(
        self,
        state: FormState,
        scope: tuple[str, ...],
        path: IdPath,
        element: Element,
        current: object = UNSET,
    ) -> None:
        # BaseContext.__init__ would seed a new random source on every evaluation.
        self._state = state
        self._scope = scope
        self._path = path
        self._element = element
        self._current = current
        self._clock = state._clock
        self._rng = state._rng
        self.language = state._expression_language
        self.row: Mapping[str, object] | None = None

    def answer(self, name: str) -> object:
        state = self._state
        element = state.form.elements.get(name)
        if element is None:
            return ""
        scope = element.repeats
        if isinstance(element, Repeat):
            shared = _shared(scope[:-1], self._scope)
            return [{}] * sum(1 for _ in state._instances(scope, self._path[:shared]))
        shared = _shared(scope, self._scope)
        if shared == len(scope):
            return state._expression_value(name, self._path[:shared])
        return [
            state._expression_value(name, p) for p in state._instances(scope, self._path[:shared])
        ]

    def all_answers(self, name: str) -> object:
        state = self._state
        element = state.form.elements.get(name)
        if element is None:
            return ""
        scope = element.repeats
        is_repeat = isinstance(element, Repeat)

        def build(level: int, prefix: IdPath) -> object:
            if level == len(scope):
                return {} if is_repeat else state._expression_value(name, prefix)
            rows = state._rows.get((scope[level], prefix), ())
            return [build(level + 1, (*prefix, r)) for r in rows]

        return build(0, ())

    def current(self) -> object:
        if self._current is UNSET:
            element = self._element
            if isinstance(element, Question) and element.has_value:
                return self._state._expression_value(
                    element.name, self._path[: len(element.repeats)]
                )
            return ""
        return self._current

    def child(self, name: str) -> object:
        return self.row.get(name, "") if self.row is not None else ""

    def position(self, name: str | None) -> int | None:
        scope = self._scope
        if name is None:
            level = len(scope) - 1
        elif name in scope:
            level = scope.index(name)
        else:
            return None
        if level < 0:
            return None
        rows = self._state._rows.get((scope[level], self._path[:level]), [])
        try:
            return rows.index(self._path[level]) + 1
        except ValueError:  # pragma: no cover - every path comes from the rows
            return None

    def choice_label(self, question: str, value: str) -> str | None:
        q = self._state.form.question(question)
        if q is None or q.choices is None:
            return None
        choice = q.choices.get(value)
        return choice.label.get(self._state.language) if choice is not None else None


def _shared(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _shared(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """How many repeat levels two scopes share, from the outermost."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
