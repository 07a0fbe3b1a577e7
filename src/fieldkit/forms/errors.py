"""What goes wrong with a form or its answers: problems on load, errors per field, misuse."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from fieldkit.domain.errors import FieldkitError
from fieldkit.forms import messages as M

Translate = Callable[[str], str]

_SHEET_ORDER = {"": 0, "settings": 1, "survey": 2, "choices": 3}


def _render(msgid: str, params: Mapping[str, object], translate: Translate | None) -> str:
    """``msgid`` filled with ``params``; a parameter that is itself an error (an expression's
    syntax error inside a problem) is rendered in the same language."""
    text = translate(msgid) if translate else msgid
    shown = {k: _param(v, translate) for k, v in params.items()}
    try:
        return text.format(**shown)
    except (KeyError, IndexError, ValueError):
        return text


def _param(value: object, translate: Translate | None) -> object:
    render = getattr(value, "render", None)
    return render(translate) if callable(render) else value


@dataclass(frozen=True, slots=True)
class FormProblem:
    """One reason a form is refused: where (sheet and 1-based row, as the spreadsheet numbers
    them; row None for the file or a whole sheet) and why (a Spanish msgid and its params)."""

    sheet: str
    row: int | None
    msgid: str
    params: Mapping[str, object] = field(default_factory=dict)

    def message(self, translate: Translate | None = None) -> str:
        """The reason alone, e.g. "el tipo «range» no está soportado …"."""
        return _render(self.msgid, self.params, translate)

    def render(self, translate: Translate | None = None) -> str:
        """The reason with its place: "hoja survey, fila 7: …"."""
        message = self.message(translate)
        if not self.sheet:
            return message
        where = M.PROBLEM_AT_ROW if self.row is not None else M.PROBLEM_IN_SHEET
        return _render(where, {"sheet": self.sheet, "row": self.row, "message": message}, translate)

    def as_dict(self, translate: Translate | None = None) -> dict[str, object]:
        return {"sheet": self.sheet, "row": self.row, "message": self.message(translate)}

    def sort_key(self) -> tuple[int, int]:
        """Sheet order, then row; problems of one row keep the order they were found in."""
        return (_SHEET_ORDER.get(self.sheet, 9), self.row or 0)

    def __str__(self) -> str:
        return self.render()


class FormError(FieldkitError):
    """A form that cannot be loaded; ``problems`` lists every reason found, in sheet order."""

    def __init__(self, problems: Iterable[FormProblem], *, source: str = "") -> None:
        self.problems: tuple[FormProblem, ...] = tuple(sorted(problems, key=FormProblem.sort_key))
        self.source = source
        super().__init__(M.FORM_REFUSED, source=source, count=len(self.problems))

    def render(self, translate: Translate | None = None) -> str:  # type: ignore[override]
        problems = "\n".join("  " + p.render(translate) for p in self.problems)
        return _render(
            M.FORM_REFUSED,
            {"source": self.source, "count": len(self.problems), "problems": problems},
            translate,
        )

    def __str__(self) -> str:
        return self.render()


class AnswerError(FieldkitError):
    """An answer or a repeat row the form does not accept (unknown question, read-only …)."""


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one answer: ``key`` is its flat answer key (``attendance[a1]/sex``),
    ``kind`` one of required, constraint, type, evaluation, not_relevant, choice_filtered,
    calculated, unknown. ``msgid`` is Spanish unless ``from_form`` (a message the form's author
    wrote in its constraint_message / required_message column, already in the form's language).
    """

    key: str
    name: str
    kind: str
    msgid: str
    params: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    repeat_path: tuple[int, ...] = ()
    from_form: bool = False

    def render(self, translate: Translate | None = None) -> str:
        return _render(self.msgid, self.params, None if self.from_form else translate)

    def __str__(self) -> str:
        return self.render()


def errors_by_key(
    errors: Iterable[FieldError], translate: Translate | None = None
) -> dict[str, list[str]]:
    """``{key: [message, …]}``: what ``fieldkit forms validate`` prints as JSON."""
    out: dict[str, list[str]] = {}
    for error in errors:
        out.setdefault(error.key, []).append(error.render(translate))
    return out
