"""What an expression may ask of the form it is evaluated in: the ``Context`` protocol.

The form engine implements it over its answers (subclass ``BaseContext`` and override what it
knows); ``MappingContext`` serves answers from a dict, enough for tests, the command line and a
single level of repeats.

Answers may be given as Python values: None or "" (unanswered), str, int, float, Decimal, bool,
date, datetime, time; a list or tuple is the answers of a repeated question, one per instance.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol, runtime_checkable

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, in the computer's time zone (aware)."""
    return datetime.now().astimezone()


@runtime_checkable
class Context(Protocol):
    """The questions' answers and the surroundings of one evaluation."""

    language: str  # "es" or "en": month and day names of format-date()

    def answer(self, name: str) -> object:
        """``${name}`` seen from here: its answer ("" or None when unanswered).

        For a question inside a repeat: the answer of the same repeat instance when the
        expression belongs to that instance, else the list of every instance's answer (so
        ``sum(${q})`` and ``count(${q})`` work). For a repeat's own name: a list with one item
        per instance (``count(${repeat})``).
        """
        ...

    def all_answers(self, name: str) -> object:
        """``${name}`` for every instance of its repeats (a list; nested lists when nested)."""
        ...

    def current(self) -> object:
        """``.``: the answer of the question the expression belongs to."""
        ...

    def child(self, name: str) -> object:
        """A bare ``name``: in a choice_filter, that column of the choice being filtered."""
        ...

    def position(self, name: str | None) -> int | None:
        """``position(..)``: 1-based number of the current instance of the innermost repeat
        (of repeat ``name`` when given); None outside a repeat."""
        ...

    def now(self) -> datetime:
        """The clock of ``now()`` and ``today()``: an aware datetime."""
        ...

    def choice_label(self, question: str, value: str) -> str | None:
        """``jr:choice-name``: the label, in the form's language, of a choice of a question."""
        ...

    def rng(self) -> random.Random:
        """The random source of ``random()``, ``uuid()`` and unseeded ``randomize()``."""
        ...


class BaseContext:
    """A context with nothing answered: a clock, a random source, Spanish names.

    ``clock`` is injectable (tests, reproducible demos); ``seed`` makes ``random()`` and
    ``uuid()`` reproducible (leave it None in real forms, or two devices draw the same values).
    """

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        seed: int | None = None,
        language: str = "es",
    ) -> None:
        self._clock = clock or system_clock
        self._rng = random.Random(seed)
        self.language = language

    def answer(self, name: str) -> object:
        return ""

    def all_answers(self, name: str) -> object:
        return self.answer(name)

    def current(self) -> object:
        return ""

    def child(self, name: str) -> object:
        return ""

    def position(self, name: str | None) -> int | None:
        return None

    def now(self) -> datetime:
        now = self._clock()
        return now if now.tzinfo is not None else now.astimezone()

    def choice_label(self, question: str, value: str) -> str | None:
        return None

    def rng(self) -> random.Random:
        return self._rng


class MappingContext(BaseContext):
    """Answers from a mapping of question name to value; lists are repeated questions.

    With ``repeat_position`` (1-based) the expression belongs to that instance of the repeat:
    ``${q}`` of a repeated question gives that instance's answer and ``position(..)`` gives the
    number. ``labels`` maps question -> choice value -> label (for ``jr:choice-name``);
    ``row`` is the choice being filtered in a choice_filter (bare names read its columns).
    """

    def __init__(
        self,
        answers: Mapping[str, object] | None = None,
        *,
        current: object = "",
        repeat_position: int | None = None,
        labels: Mapping[str, Mapping[str, str]] | None = None,
        row: Mapping[str, object] | None = None,
        clock: Clock | None = None,
        seed: int | None = None,
        language: str = "es",
    ) -> None:
        super().__init__(clock=clock, seed=seed, language=language)
        self.answers: Mapping[str, object] = answers or {}
        self._current = current
        self.repeat_position = repeat_position
        self.labels = labels or {}
        self.row = row or {}

    def answer(self, name: str) -> object:
        value = self.answers.get(name, "")
        if self.repeat_position is not None and isinstance(value, list | tuple):
            i = self.repeat_position
            return value[i - 1] if 0 < i <= len(value) else ""
        return value

    def all_answers(self, name: str) -> object:
        return self.answers.get(name, "")

    def current(self) -> object:
        return self._current

    def child(self, name: str) -> object:
        return self.row.get(name, "")

    def position(self, name: str | None) -> int | None:
        return self.repeat_position

    def choice_label(self, question: str, value: str) -> str | None:
        return self.labels.get(question, {}).get(value)
