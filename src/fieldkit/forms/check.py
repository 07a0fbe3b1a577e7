"""What ``fieldkit forms check`` and ``fieldkit forms validate`` do, without the printing.

check_form(path) -> FormSummary          (raises FormError listing every problem)
validate_answers(path, answers) -> {key: [message, …]}   (empty when valid)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fieldkit.forms import messages as M
from fieldkit.forms.errors import Translate, errors_by_key
from fieldkit.forms.expressions import Clock
from fieldkit.forms.loader import Source, load_form
from fieldkit.forms.model import FormDefinition
from fieldkit.forms.state import FormState


@dataclass(frozen=True, slots=True)
class FormSummary:
    """What a methodologist checks after editing a form."""

    form_id: str
    title: str
    version: str
    languages: tuple[str, ...]  # "Español (es)", …
    default_language: str
    questions: int  # answered by a person
    notes: int
    calculations: int
    groups: int
    repeats: int
    choice_lists: int

    @classmethod
    def of(cls, form: FormDefinition) -> FormSummary:
        questions = [q for q in form.questions() if not q.generated]
        return cls(
            form_id=form.form_id,
            title=form.title,
            version=form.version,
            languages=tuple(str(lang) for lang in form.languages),
            default_language=form.default_language,
            questions=sum(1 for q in questions if q.is_input),
            notes=sum(1 for q in questions if q.type == "note"),
            calculations=sum(1 for q in questions if q.calculation is not None),
            groups=sum(1 for _ in form.groups()),
            repeats=sum(1 for _ in form.repeats()),
            choice_lists=len(form.choice_lists),
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "form_id": self.form_id,
            "title": self.title,
            "version": self.version,
            "languages": list(self.languages),
            "default_language": self.default_language,
            "questions": self.questions,
            "notes": self.notes,
            "calculations": self.calculations,
            "groups": self.groups,
            "repeats": self.repeats,
            "choice_lists": self.choice_lists,
        }

    def lines(self, translate: Translate | None = None) -> list[str]:
        """The summary as ``fieldkit forms check`` prints it."""

        def t(msgid: str) -> str:
            return translate(msgid) if translate else msgid

        title = t(M.SUMMARY_TITLE if self.version else M.SUMMARY_TITLE_NO_VERSION)
        lines = [
            title.format(title=self.title, form_id=self.form_id, version=self.version),
            t(M.SUMMARY_COUNTS).format(
                questions=self.questions,
                notes=self.notes,
                calculations=self.calculations,
                groups=self.groups,
                repeats=self.repeats,
                lists=self.choice_lists,
            ),
        ]
        if self.languages:
            default = next(
                (lang for lang in self.languages if lang.endswith(f"({self.default_language})")),
                self.default_language,
            )
            lines.append(
                t(M.SUMMARY_LANGUAGES).format(languages=", ".join(self.languages), default=default)
            )
        else:
            lines.append(t(M.SUMMARY_NO_LANGUAGES))
        return lines


def check_form(path: Source) -> FormSummary:
    """Load the form at ``path`` and summarize it; raises ``FormError`` (every problem, with
    sheet and row) when it cannot be used."""
    return FormSummary.of(load_form(path))


def validate_answers(
    path: Source,
    answers: Mapping[str, object],
    *,
    translate: Translate | None = None,
    clock: Clock | None = None,
) -> dict[str, list[str]]:
    """Check ``answers`` (flat keys, as ``FormState.answers()`` writes them) against the form:
    keys that are not questions, answers to questions that do not apply, options filtered out,
    values of the wrong type, required questions without answer, constraints not met.
    ``{key: [message, …]}``, empty when the answers are valid. Raises ``FormError`` for a
    broken form."""
    form = load_form(path)
    state = FormState(form, {}, clock=clock)
    problems = state.load_answers(answers)
    return errors_by_key([*problems, *state.validate()], translate)
