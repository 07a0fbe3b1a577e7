"""The immutable definition of a loaded XLSForm: questions, groups (sections), repeats, choices.

Built by ``fieldkit.forms.loader.load_form``; the renderer walks ``FormDefinition.children`` and
reads each element's texts with ``.label.get(language)``. Names are unique in the whole form, so a
question is found by name alone and answers are keyed by it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from fieldkit.forms.expressions import Expression

if TYPE_CHECKING:
    from fieldkit.forms.graph import DependencyGraph

# The question types fieldkit supports (begin/end group and repeat are the other rows).
QUESTION_TYPES = (
    "text",
    "integer",
    "decimal",
    "select_one",
    "select_multiple",
    "date",
    "time",
    "datetime",
    "note",
    "calculate",
    "geopoint",
    "image",
    "file",
    "acknowledge",
)
SELECT_TYPES = frozenset({"select_one", "select_multiple"})
ATTACHMENT_TYPES = frozenset({"image", "file"})
# Types whose value nobody types in: a note shows text, a calculate computes.
NON_INPUT_TYPES = frozenset({"note", "calculate"})

_EMPTY: Mapping[str, Any] = MappingProxyType({})

_LANGUAGE = re.compile(r"\s*(.*?)\s*\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\s*\)\s*")
_KNOWN_LANGUAGES = {
    "español": "es",
    "espanol": "es",
    "spanish": "es",
    "castellano": "es",
    "english": "en",
    "inglés": "en",
    "ingles": "en",
}


@dataclass(frozen=True, slots=True)
class Language:
    """A language of the form's columns: ``label::Español (es)`` is code "es", name "Español"."""

    code: str
    name: str
    column: str  # as written after "::"

    @classmethod
    def from_column(cls, column: str) -> Language:
        m = _LANGUAGE.fullmatch(column)
        if m:
            return cls(m[2].lower().replace("_", "-"), m[1] or m[2], column)
        name = column.strip()
        return cls(_KNOWN_LANGUAGES.get(name.casefold(), name), name, column)

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code != self.name else self.name


class Translated:
    """A text in each language of the form, by language code ("" for a column without language).

    ``get(language)`` falls back to the column without language, then to the form's default
    language (the first entry), so a form with only ``label`` shows it in every language.
    """

    __slots__ = ("_texts",)

    def __init__(self, texts: Mapping[str, str] | None = None) -> None:
        self._texts: Mapping[str, str] = MappingProxyType(dict(texts or {}))

    def get(self, language: str | None = None) -> str:
        texts = self._texts
        if language is not None and language in texts:
            return texts[language]
        if "" in texts:
            return texts[""]
        return next(iter(texts.values()), "")

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._texts)

    def items(self) -> Iterator[tuple[str, str]]:
        return iter(self._texts.items())

    def __bool__(self) -> bool:
        return any(self._texts.values())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Translated) and dict(self._texts) == dict(other._texts)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._texts.items())))

    def __repr__(self) -> str:
        return f"Translated({dict(self._texts)!r})"


NO_TEXT = Translated()


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a list: ``name`` is what is stored, ``label`` what is shown; ``columns``
    holds every column of its row (name, label and extra ones) for ``choice_filter``."""

    name: str
    label: Translated
    row: int
    columns: Mapping[str, str] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class ChoiceList:
    name: str
    choices: tuple[Choice, ...]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(c.name for c in self.choices)

    def get(self, name: str) -> Choice | None:
        for choice in self.choices:
            if choice.name == name:
                return choice
        return None


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Element:
    """What questions, groups and repeats share. ``parent`` is the name of the enclosing group
    or repeat (None at the top); ``repeats`` the enclosing repeats, outermost first (a repeat
    lists itself last). ``row`` is the survey sheet row (1-based, as the spreadsheet shows)."""

    name: str
    row: int
    label: Translated = NO_TEXT
    hint: Translated = NO_TEXT
    relevant: Expression | None = None
    appearance: str = ""
    parent: str | None = None
    repeats: tuple[str, ...] = ()

    @property
    def appearances(self) -> frozenset[str]:
        return frozenset(self.appearance.split())


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Question(Element):
    """One row of the survey sheet that holds (or shows) a value.

    ``required`` and ``read_only`` are expressions (``yes`` is ``true()``); ``default`` is a
    fixed value already of the question's type, ``default_expression`` a dynamic default
    (evaluated once, when the filling starts or the repeat row is added). ``generated`` marks
    the "specify other" text question fieldkit adds after a select with ``or_other``.
    """

    type: str
    required: Expression | None = None
    required_message: Translated = NO_TEXT
    constraint: Expression | None = None
    constraint_message: Translated = NO_TEXT
    calculation: Expression | None = None
    default: object = None
    default_expression: Expression | None = None
    read_only: Expression | None = None
    choices: ChoiceList | None = None
    or_other: bool = False
    choice_filter: Expression | None = None
    parameters: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    generated: bool = False

    @property
    def is_select(self) -> bool:
        return self.type in SELECT_TYPES

    @property
    def is_input(self) -> bool:
        """Whether a person answers it (not a note, calculate or calculated question)."""
        return self.type not in NON_INPUT_TYPES and self.calculation is None

    @property
    def has_value(self) -> bool:
        """Whether it holds a value expressions can read (a note only with a calculation)."""
        return self.type != "note" or self.calculation is not None

    @property
    def sticky(self) -> bool:
        """A calculation whose value cannot be recomputed from the answers (``now()``,
        ``random()``, ``once(…)``, or ``.``, its own previous value): it is stored with them
        and kept when they are reloaded."""
        c = self.calculation
        return c is not None and (c.volatile or c.uses_current)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Group(Element):
    """A section (``begin group`` … ``end group``)."""

    children: tuple[Element, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Repeat(Group):
    """A section whose rows are added and removed (``begin repeat`` … ``end repeat``)."""


@dataclass(frozen=True, slots=True, eq=False)
class FormDefinition:
    """A loaded form. ``elements`` maps every name to its question, group or repeat, in the
    order of the survey sheet; ``graph`` is the dependency graph the form state recalculates
    with (built, and checked for cycles, on load)."""

    form_id: str
    title: str
    version: str
    default_language: str
    languages: tuple[Language, ...]
    children: tuple[Element, ...]
    elements: Mapping[str, Element]
    choice_lists: Mapping[str, ChoiceList]
    source: str
    graph: DependencyGraph = field(repr=False)

    def element(self, name: str) -> Element | None:
        return self.elements.get(name)

    def question(self, name: str) -> Question | None:
        e = self.elements.get(name)
        return e if isinstance(e, Question) else None

    def questions(self) -> Iterator[Question]:
        return (e for e in self.elements.values() if isinstance(e, Question))

    def groups(self) -> Iterator[Group]:
        """Sections: groups that are not repeats."""
        return (
            e for e in self.elements.values() if isinstance(e, Group) and not isinstance(e, Repeat)
        )

    def repeats(self) -> Iterator[Repeat]:
        return (e for e in self.elements.values() if isinstance(e, Repeat))

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)
