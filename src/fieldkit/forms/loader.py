"""Load an XLSForm into a ``FormDefinition``, or refuse it listing every problem with sheet and row.

pyxform reads the workbook and normalizes it (column aliases such as ``relevance`` or
``constraint_message``, type aliases such as ``select one`` or ``string``, the
``label::Español (es)`` language columns), and its own converter runs last as a second opinion.
fieldkit then walks the survey rows itself, keeping each row number, and checks what pyxform stops
at the first of or does not check: every unsupported type and column, unknown choice lists,
duplicate names, expression syntax (with the position), unknown references and dependency cycles.
A form is either fully loaded or refused: never half-loaded.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

from pyxform import aliases
from pyxform.errors import PyXFormError
from pyxform.parsing.expression import is_xml_tag
from pyxform.parsing.parameters import parse as parse_parameters
from pyxform.parsing.sheet_headers import dealias_and_group_headers
from pyxform.question import MultipleChoiceQuestion, Option
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.survey import Survey
from pyxform.utils import default_is_dynamic
from pyxform.xls2json import (
    RE_BEGIN_CONTROL,
    RE_END_CONTROL,
    RE_SELECT,
    dealias_types,
    workbook_to_json,
)
from pyxform.xls2json_backends import DefinitionData, get_xlsform

from fieldkit.forms import messages as M
from fieldkit.forms.coerce import coerce
from fieldkit.forms.errors import FormError, FormProblem
from fieldkit.forms.expressions import Expression, ExpressionError, parse
from fieldkit.forms.expressions.nodes import Call, Name, Parent, Ref
from fieldkit.forms.graph import COLUMN, build_graph
from fieldkit.forms.model import (
    QUESTION_TYPES,
    Choice,
    ChoiceList,
    Element,
    FormDefinition,
    Group,
    Language,
    Question,
    Repeat,
    Translated,
)

Source = str | os.PathLike[str] | bytes | IO[bytes]

SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
_LIST_NAME = "list name"  # pyxform's key for the choices' list_name column
_PYXFORM_DEFAULT_LANGUAGE = "default"

# Type as written (after pyxform's own aliases) -> fieldkit's type.
_TYPES: dict[str, str] = {
    **{t: t for t in QUESTION_TYPES if t not in ("select_one", "select_multiple")},
    "string": "text",
    "int": "integer",
    "dateTime": "datetime",
    "date time": "datetime",
    "photo": "image",
    "trigger": "acknowledge",
    "gps": "geopoint",
    "location": "geopoint",
    **{f"add {t} prompt": t for t in ("text", "integer", "decimal", "date", "time", "note")},
    "add date time prompt": "datetime",
    "add dateTime prompt": "datetime",
    "add calculate prompt": "calculate",
    "add location prompt": "geopoint",
    "add acknowledge prompt": "acknowledge",
    "add file prompt": "file",
    "q string": "text",
    "q int": "integer",
    "q decimal": "decimal",
    "q date": "date",
    "q date time": "datetime",
    "q dateTime": "datetime",
    "q note": "note",
    "q calculate": "calculate",
    "q geopoint": "geopoint",
    "q location": "geopoint",
    "q image": "image",
    "q picture": "image",
    "q acknowledge": "acknowledge",
}
_METADATA = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "device id",
        "imei",
        "username",
        "email",
        "phonenumber",
        "phone number",
        "simserial",
        "sim id",
        "subscriberid",
        "subscriber id",
        "audit",
        "start-geopoint",
        "background-geopoint",
        "background-audio",
        "start time",
        "end time",
        "get start time",
        "get end time",
        "get today",
        "get device id",
        "get phone number",
        "get sim id",
        "get subscriber id",
    }
)
_KNOWN_UNSUPPORTED = (
    frozenset(QUESTION_TYPE_DICT) | {"range", "rank", "osm", "hidden", "xml-external"}
) - set(_TYPES)
_SUGGESTIONS = (
    *QUESTION_TYPES,
    "begin group",
    "end group",
    "begin repeat",
    "end repeat",
)
_SUPPORTED_SHOWN = ", ".join((*QUESTION_TYPES, "begin/end group", "begin/end repeat"))

_BIND_COLUMNS = frozenset(
    {
        "relevant",
        "required",
        "constraint",
        "jr:constraintMsg",
        "jr:requiredMsg",
        "calculate",
        "readonly",
    }
)
_CONTROL_COLUMNS = frozenset({"appearance", "rows"})
_PARAMETERS: dict[str, frozenset[str]] = {
    "text": frozenset({"rows"}),
    "image": frozenset({"max-pixels"}),
    "geopoint": frozenset({"capture-accuracy", "warning-accuracy", "allow-mock-accuracy"}),
}
_REFUSED_APPEARANCE = re.compile(r"(?:^|\s)(search\(|ex:|printer:)")
_TEXT_REFERENCE = re.compile(r"\$\{([^}]*)\}|\$\{[^}]*$")
_MISSING_HEADERS = re.compile(r"required column headers were not found: ([^.]+)\.")
_PYXFORM_ROW = re.compile(r"\[row\s*:\s*(\d+)\]\s*")
_PYXFORM_SHEET = re.compile(r"'(survey|choices|settings)' sheet")

# Which dealiased column holds each expression, and its usual name for messages.
_EXPRESSION_COLUMNS = (
    ("relevant", ("bind", "relevant")),
    ("constraint", ("bind", "constraint")),
    ("calculation", ("bind", "calculate")),
    ("required", ("bind", "required")),
    ("read_only", ("bind", "readonly")),
    ("choice_filter", ("choice_filter",)),
)


def load_form(source: Source, *, name: str | None = None) -> FormDefinition:
    """Load the XLSForm at ``source`` (a path, or the bytes of an .xlsx); raise ``FormError``
    with every problem found (sheet, row, Spanish reason) if fieldkit cannot use it."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        shown = name or path.name
        if not path.is_file():
            problem = FormProblem("", None, M.CANNOT_READ, {"detail": f"no existe {path}"})
            raise FormError([problem], source=shown)
        fallback = path.stem
    else:
        shown = name or "formulario"
        fallback = Path(shown).stem
    try:
        data = get_xlsform(source)
    except (PyXFormError, OSError, ValueError) as e:
        raise FormError(
            [FormProblem("", None, M.CANNOT_READ, {"detail": str(e)})], source=shown
        ) from None
    return _Loader(data, shown, fallback).load()


@dataclass
class _Frame:
    kind: str  # "root", "group" or "repeat"
    row: dict[str, Any] = field(default_factory=dict)
    name: str | None = None
    number: int = 0  # its begin row
    repeats: tuple[str, ...] = ()
    children: list[Element] = field(default_factory=list)


@dataclass
class _Usage:
    """An expression or text of a row, kept to check its references once every name is known."""

    row: int
    column: str  # as written in the sheet, for messages
    attribute: str  # relevant, choice_filter, label …
    element: Element
    expression: Expression | None = None
    names: tuple[str, ...] = ()  # references in a text (label, hint, message)


class _Loader:
    def __init__(self, data: DefinitionData, source: str, fallback: str) -> None:
        self.data = data
        self.source = source
        self.fallback = fallback
        self.problems: list[FormProblem] = []
        self.elements: dict[str, Element] = {}
        self.order: list[str] = []  # names in sheet order (a section before its children)
        self.first_row: dict[str, int] = {}  # every name seen (broken rows too) -> first row
        self.usages: list[_Usage] = []
        self.lists: dict[str, ChoiceList] = {}
        self.list_columns: dict[str, frozenset[str]] = {}
        self.languages: dict[str, Language] = {}  # pyxform's language key -> language
        self.default_key = _PYXFORM_DEFAULT_LANGUAGE
        self.default_code = ""
        self.columns: dict[str, dict[tuple[str, ...], str]] = {}  # sheet -> tokens -> header

    def problem(self, sheet: str, number: int | None, msgid: str, /, **params: object) -> None:
        self.problems.append(FormProblem(sheet, number, msgid, MappingProxyType(params)))

    # ---------------------------------------------------------------------------- the whole

    def load(self) -> FormDefinition:
        settings = self.settings()
        survey = self.sheet(
            SURVEY,
            self.data.survey,
            self.data.survey_header,
            aliases.survey_header,
            set(MultipleChoiceQuestion.get_slot_names()),
            {"type"},
        )
        choices = self.sheet(
            CHOICES,
            self.data.choices,
            self.data.choices_header,
            aliases.list_header,
            set(Option.get_slot_names()),
            {"name"},
            add_row_number=True,
        )
        if not self.data.survey and not self.problems:
            raise FormError([FormProblem("", None, M.NO_SURVEY)], source=self.source)
        self.find_languages()
        if choices is not None:
            self.read_choices(choices)
        children: tuple[Element, ...] = ()
        if survey is not None:
            children = self.walk(survey)
            self.elements = {n: self.elements[n] for n in self.order if n in self.elements}
            self.check_usages()
        graph = build_graph(self.elements)
        for cycle in graph.cycles:
            self.cycle_problem(cycle)
        self.pyxform_opinion()
        if self.problems:
            raise FormError(self.problems, source=self.source)
        return FormDefinition(
            form_id=str(settings.get("id_string") or self.fallback),
            title=str(settings.get("title") or settings.get("id_string") or self.fallback),
            version=str(settings.get("version") or ""),
            default_language=self.default_code,
            languages=tuple(lang for lang in self.languages.values() if lang.code),
            children=children,
            elements=MappingProxyType(self.elements),
            choice_lists=MappingProxyType(self.lists),
            source=self.source,
            graph=graph,
        )

    def settings(self) -> dict[str, Any]:
        if not self.data.settings:
            return {}
        try:
            sheet = dealias_and_group_headers(
                sheet_name=SETTINGS,
                sheet_data=self.data.settings,
                sheet_header=self.data.settings_header,
                header_aliases=aliases.settings_header,
                header_columns=set(Survey.get_slot_names()),
            )
        except PyXFormError as e:
            self.problem(SETTINGS, 1, M.PYXFORM_PROBLEM, detail=str(e))
            return {}
        settings = next((row for row in sheet.data if row), {})
        language = settings.get("default_language")
        if isinstance(language, str) and language.strip():
            self.default_key = language.strip()
        return settings

    def sheet(
        self,
        name: str,
        rows: Any,
        header: Any,
        header_aliases: Mapping[str, Any],
        columns: set[str],
        required: set[str],
        *,
        add_row_number: bool = False,
    ) -> tuple[dict[str, Any], ...] | None:
        if not rows and name != SURVEY:
            return ()
        if not rows:
            return None
        try:
            sheet = dealias_and_group_headers(
                sheet_name=name,
                sheet_data=rows,
                sheet_header=header,
                header_aliases=header_aliases,  # type: ignore[arg-type]
                header_columns=columns,
                headers_required=required,
                default_language=self.default_key,
                add_row_number=add_row_number,
            )
        except PyXFormError as e:
            missing = _MISSING_HEADERS.search(str(e))
            if missing:
                columns = ", ".join(f"«{c}»" for c in re.findall(r"'([^']+)'", missing[1]))
                self.problem(name, 1, M.MISSING_COLUMN, columns=columns)
            else:
                self.problem(name, 1, M.PYXFORM_PROBLEM, detail=str(e))
            return None
        originals = list(header[0]) if header else []
        tokens_to_header = {}
        for tokens, original in zip(sheet.headers, originals, strict=False):
            tokens_to_header[tokens] = original
        self.columns[name] = tokens_to_header
        data = tuple(sheet.data)
        if name == SURVEY:
            dealias_types(data)
        return data

    def column(self, sheet: str, *tokens: str) -> str:
        """How the person wrote the column whose dealiased path starts with ``tokens``."""
        for path, original in self.columns.get(sheet, {}).items():
            if path[: len(tokens)] == tokens:
                return original
        return "::".join(tokens)

    # ---------------------------------------------------------------------------- languages

    def find_languages(self) -> None:
        """The languages of the ``label::…``, ``hint::…`` and message columns, default first."""
        keys: list[str] = []
        for sheet in (SURVEY, CHOICES):
            for tokens in self.columns.get(sheet, {}):
                if tokens[0] in ("label", "hint") and len(tokens) == 2:
                    keys.append(tokens[1])
                elif tokens[0] == "bind" and len(tokens) == 3 and tokens[1].startswith("jr:"):
                    keys.append(tokens[2])
                elif tokens[0] in ("label", "hint") or tokens[:2] in (
                    ("bind", "jr:constraintMsg"),
                    ("bind", "jr:requiredMsg"),
                ):
                    keys.append(self.default_key)
        if self.default_key != _PYXFORM_DEFAULT_LANGUAGE:
            keys.insert(0, self.default_key)
        for key in dict.fromkeys(keys):
            if key == _PYXFORM_DEFAULT_LANGUAGE:
                self.languages[key] = Language("", "", key)
            else:
                self.languages[key] = Language.from_column(key)
        declared = [lang.code for lang in self.languages.values() if lang.code]
        if self.default_key != _PYXFORM_DEFAULT_LANGUAGE:
            self.default_code = self.languages[self.default_key].code
        elif declared:
            self.default_code = declared[0]

    def texts(self, value: object) -> Translated:
        if value is None or value == "":
            return Translated()
        if not isinstance(value, Mapping):
            value = {self.default_key: value}
        by_code: dict[str, str] = {}
        for key, text in value.items():
            if isinstance(text, Mapping) or text is None:
                continue
            lang = self.languages.get(key) or Language.from_column(key)
            by_code[lang.code if key != _PYXFORM_DEFAULT_LANGUAGE else ""] = str(text)
        # The default language first: Translated falls back to the first entry.
        if self.default_code in by_code:
            by_code = {self.default_code: by_code.pop(self.default_code), **by_code}
        return Translated(by_code)

    def generated_texts(self, spanish: str, english: str) -> Translated:
        codes = [lang.code for lang in self.languages.values() if lang.code] or ["es", "en"]
        texts = {code: english if code == "en" else spanish for code in codes}
        texts.setdefault("", spanish)
        return Translated(texts)

    # ---------------------------------------------------------------------------- choices

    def read_choices(self, rows: tuple[dict[str, Any], ...]) -> None:
        lists: dict[str, list[Choice]] = {}
        seen: dict[tuple[str, str], int] = {}
        columns: dict[str, set[str]] = {}
        for raw in rows:
            number = raw.get("__row", 0)
            row = {k: v for k, v in raw.items() if k != "__row"}
            if not row:
                continue
            list_name = row.get(_LIST_NAME)
            name = row.get("name")
            if "media" in row:
                self.problem(
                    CHOICES, number, M.UNSUPPORTED_MEDIA, column=self.column(CHOICES, "media")
                )
            if not list_name:
                self.problem(CHOICES, number, M.CHOICE_NO_LIST)
                continue
            if name is None or name == "":
                self.problem(CHOICES, number, M.CHOICE_NO_NAME, list_name=list_name)
                continue
            name = str(name)
            first = seen.setdefault((list_name, name), number)
            if first != number:
                self.problem(
                    CHOICES,
                    number,
                    M.CHOICE_DUPLICATE,
                    name=name,
                    list_name=list_name,
                    first_row=first,
                )
                continue
            label = self.texts(row.get("label"))
            cells = {"name": name, "label": label.get(self.default_code)}
            for key, value in row.items():
                if key not in ("name", "label", "media", _LIST_NAME) and isinstance(value, str):
                    cells[key] = value
            columns.setdefault(list_name, set()).update(cells)
            lists.setdefault(list_name, []).append(
                Choice(name, label, number, MappingProxyType(cells))
            )
        self.lists = {k: ChoiceList(k, tuple(v)) for k, v in lists.items()}
        self.list_columns = {k: frozenset(v) for k, v in columns.items()}

    # ---------------------------------------------------------------------------- survey

    def walk(self, rows: tuple[dict[str, Any], ...]) -> tuple[Element, ...]:
        stack = [_Frame("root")]
        for index, row in enumerate(rows):
            number = index + 2
            if not row:
                continue
            if aliases.yes_no.get(str(row.get("disabled", "")).strip(), False):
                continue
            kind = row.get("type")
            if not kind:
                if "name" in row or "label" in row:
                    self.problem(SURVEY, number, M.NO_TYPE)
                    self.claim_name(row, number)
                continue
            kind = " ".join(str(kind).split())
            end = RE_END_CONTROL.fullmatch(kind)
            if end:
                self.end_section(stack, number, kind, aliases.control[end["type"]])
                continue
            begin = RE_BEGIN_CONTROL.fullmatch(kind)
            if begin:
                self.begin_section(stack, number, kind, row, aliases.control[begin["type"]])
                continue
            question = self.question(stack[-1], number, kind, row)
            if question is not None:
                stack[-1].children.extend(question)
        while len(stack) > 1:
            frame = stack.pop()
            self.problem(SURVEY, frame.number, M.NOT_CLOSED, kind=frame.kind, name=frame.name or "")
        return tuple(stack[0].children)

    def claim_name(
        self, row: Mapping[str, Any], number: int, *, generated: str | None = None
    ) -> str | None:
        """Check and record the row's name; None when it has none (or an invalid one)."""
        name = generated or row.get("name")
        if name is None or name == "":
            self.problem(SURVEY, number, M.NO_NAME)
            return None
        name = str(name)
        if not is_xml_tag(name):
            self.problem(SURVEY, number, M.BAD_NAME, name=name)
            return None
        first = self.first_row.setdefault(name, number)
        if first != number:
            self.problem(SURVEY, number, M.DUPLICATE_NAME, name=name, first_row=first)
            return None
        self.order.append(name)
        return name

    def begin_section(
        self, stack: list[_Frame], number: int, kind: str, row: dict[str, Any], control: str
    ) -> None:
        parent = stack[-1]
        if control not in ("group", "repeat"):
            self.problem(SURVEY, number, M.UNSUPPORTED_TYPE, type=kind, supported=_SUPPORTED_SHOWN)
            control = "group"  # keep the nesting so the rest of the form is still checked
            name = str(row.get("name") or f"loop_{number}")
        else:
            name = self.claim_name(row, number) or f"_row_{number}"
        repeats = parent.repeats + ((name,) if control == "repeat" else ())
        stack.append(_Frame(control, row, name, number, repeats))
        control_columns = row.get("control", {})
        for key in control_columns:
            if key == "jr:count":
                self.problem(
                    SURVEY,
                    number,
                    M.UNSUPPORTED_REPEAT_COUNT,
                    column=self.column(SURVEY, "control", "jr:count"),
                )
            elif key != "appearance":
                self.problem(
                    SURVEY, number, M.UNSUPPORTED_COLUMN, column=self.column(SURVEY, "control", key)
                )
        for key in row.get("bind", {}):
            if key != "relevant":
                column = self.column(SURVEY, "bind", key)
                msgid = M.GROUP_COLUMN if key in _BIND_COLUMNS else M.UNSUPPORTED_COLUMN
                self.problem(SURVEY, number, msgid, column=column)
        self.refuse_common_columns(row, number)

    def end_section(self, stack: list[_Frame], number: int, kind: str, control: str) -> None:
        if len(stack) == 1:
            self.problem(SURVEY, number, M.END_WITHOUT_BEGIN, type=kind, kind=control)
            return
        frame = stack[-1]
        if control != frame.kind and not (control == "loop" and frame.kind == "group"):
            self.problem(
                SURVEY,
                number,
                M.END_MISMATCH,
                type=kind,
                open_kind=frame.kind,
                name=frame.name or "",
                open_row=frame.number,
            )
            return
        stack.pop()
        parent = stack[-1]
        row = frame.row
        assert frame.name is not None
        cls = Repeat if frame.kind == "repeat" else Group
        section = cls(
            name=frame.name,
            row=frame.number,
            label=self.texts(row.get("label")),
            hint=self.texts(row.get("hint")),
            relevant=None,
            appearance=str(row.get("control", {}).get("appearance") or ""),
            parent=parent.name,
            repeats=frame.repeats,
            children=tuple(frame.children),
        )
        relevant = self.expression(frame.number, "relevant", row, ("bind", "relevant"), section)
        section = dataclasses.replace(section, relevant=relevant)
        self.text_usage(frame.number, "label", section.label, section)
        self.text_usage(frame.number, "hint", section.hint, section)
        self.elements[section.name] = section
        parent.children.append(section)

    def refuse_common_columns(self, row: Mapping[str, Any], number: int) -> None:
        if "trigger" in row:
            self.problem(
                SURVEY, number, M.UNSUPPORTED_TRIGGER, column=self.column(SURVEY, "trigger")
            )
        if "media" in row:
            self.problem(SURVEY, number, M.UNSUPPORTED_MEDIA, column=self.column(SURVEY, "media"))
        if "intent" in row:
            self.problem(SURVEY, number, M.UNSUPPORTED_COLUMN, column=self.column(SURVEY, "intent"))
        appearance = str(row.get("control", {}).get("appearance") or "")
        refused = _REFUSED_APPEARANCE.search(appearance)
        if refused:
            self.problem(SURVEY, number, M.UNSUPPORTED_APPEARANCE, appearance=appearance)

    def question(
        self, frame: _Frame, number: int, kind: str, row: dict[str, Any]
    ) -> list[Question] | None:
        qtype, list_name, or_other = self.question_type(number, kind)
        if qtype is None and row.get("name") is not None:
            self.first_row.setdefault(str(row["name"]), number)
        if qtype is None:
            return None
        generated_name = (
            f"generated_note_name_{number}" if qtype == "note" and not row.get("name") else None
        )
        name = self.claim_name(row, number, generated=generated_name)
        self.refuse_common_columns(row, number)
        for key in row.get("bind", {}):
            if key not in _BIND_COLUMNS:
                self.problem(
                    SURVEY, number, M.UNSUPPORTED_COLUMN, column=self.column(SURVEY, "bind", key)
                )
        for key in row.get("control", {}):
            if key not in _CONTROL_COLUMNS:
                self.problem(
                    SURVEY, number, M.UNSUPPORTED_COLUMN, column=self.column(SURVEY, "control", key)
                )
        parameters = self.parameters(number, qtype, row.get("parameters"))
        choices = None
        if list_name is not None:
            choices = self.lists.get(list_name)
            if choices is None:
                close = difflib.get_close_matches(list_name, list(self.lists), n=1, cutoff=0.7)
                if close:
                    self.problem(
                        SURVEY,
                        number,
                        M.UNKNOWN_LIST_SUGGEST,
                        list_name=list_name,
                        suggestion=close[0],
                    )
                else:
                    self.problem(SURVEY, number, M.UNKNOWN_LIST, list_name=list_name)
            elif qtype == "select_multiple":
                for choice in choices.choices:
                    if " " in choice.name:
                        self.problem(
                            CHOICES,
                            choice.row,
                            M.CHOICE_SPACE,
                            name=choice.name,
                            list_name=list_name,
                            row=number,
                        )
        if row.get("choice_filter") and qtype not in ("select_one", "select_multiple"):
            self.problem(SURVEY, number, M.CHOICE_FILTER_NOT_SELECT, type=kind)
        if or_other and row.get("choice_filter"):
            self.problem(SURVEY, number, M.OR_OTHER_WITH_FILTER)
        if (
            qtype == "calculate"
            and not row.get("bind", {}).get("calculate")
            and not row.get("default")
        ):
            self.problem(SURVEY, number, M.MISSING_CALCULATION)
        if choices is not None and or_other and "other" not in choices.names:
            other = Choice(
                "other",
                self.generated_texts(M.OTHER_CHOICE, "Other"),
                number,
                MappingProxyType({"name": "other"}),
            )
            choices = ChoiceList(choices.name, (*choices.choices, other))
        bind = row.get("bind", {})
        question = Question(
            # A row whose name is refused is still built, so its expressions get checked too.
            name=name or f"_row_{number}",
            row=number,
            type=qtype,
            label=self.texts(row.get("label")),
            hint=self.texts(row.get("hint")),
            appearance=str(row.get("control", {}).get("appearance") or ""),
            parent=frame.name,
            repeats=frame.repeats,
            required_message=self.texts(bind.get("jr:requiredMsg")),
            constraint_message=self.texts(bind.get("jr:constraintMsg")),
            choices=choices,
            or_other=or_other,
            parameters=MappingProxyType(parameters),
        )
        found: dict[str, Any] = {}
        for attribute, path in _EXPRESSION_COLUMNS:
            found[attribute] = self.expression(number, attribute, row, path, question)
        question = dataclasses.replace(question, **found)
        question = self.default(question, number, row.get("default"))
        for column, texts in (
            ("label", question.label),
            ("hint", question.hint),
            ("required_message", question.required_message),
            ("constraint_message", question.constraint_message),
        ):
            self.text_usage(number, column, texts, question)
        if name is None:
            return None
        self.elements[name] = question
        made = [question]
        if or_other:
            specify = self.specify_other(frame, number, question)
            if specify is not None:
                made.append(specify)
        return made

    def question_type(self, number: int, kind: str) -> tuple[str | None, str | None, bool]:
        """(fieldkit type, choice list, or_other) of a type cell; (None, …) with a problem."""
        select = RE_SELECT.fullmatch(kind)
        if select:
            command = select["select_command"]
            list_name = select["list_name"]
            target = aliases.select[command]
            if (
                command in aliases.select_from_file
                or target in ("select one external",)
                or ("." in list_name and list_name.rsplit(".", 1)[1] in ("csv", "xml", "geojson"))
            ):
                self.problem(SURVEY, number, M.UNSUPPORTED_SELECT_FROM_FILE, type=kind)
                return None, None, False
            if target == "rank":
                self.problem(
                    SURVEY, number, M.UNSUPPORTED_TYPE, type=kind, supported=_SUPPORTED_SHOWN
                )
                return None, None, False
            qtype = "select_one" if target == "select one" else "select_multiple"
            return qtype, list_name, select["specify_other"] is not None
        if kind in _TYPES:
            return _TYPES[kind], None, False
        bare = kind.split()[0]
        if kind in aliases.select or bare in ("select_one", "select_multiple", "select1"):
            self.problem(SURVEY, number, M.NO_LIST, type=bare)
        elif kind in _METADATA:
            self.problem(SURVEY, number, M.UNSUPPORTED_METADATA, type=kind)
        elif kind in _KNOWN_UNSUPPORTED or bare in ("range", "rank", "osm", "select_one_external"):
            self.problem(SURVEY, number, M.UNSUPPORTED_TYPE, type=kind, supported=_SUPPORTED_SHOWN)
        else:
            close = difflib.get_close_matches(kind, _SUGGESTIONS, n=1, cutoff=0.7)
            if close:
                self.problem(SURVEY, number, M.UNKNOWN_TYPE_SUGGEST, type=kind, suggestion=close[0])
            else:
                self.problem(SURVEY, number, M.UNKNOWN_TYPE, type=kind)
        return None, None, False

    def parameters(self, number: int, qtype: str, raw: object) -> dict[str, str]:
        if not raw:
            return {}
        try:
            parameters = parse_parameters(str(raw), number)
        except PyXFormError:
            self.problem(SURVEY, number, M.BAD_PARAMETERS)
            return {}
        allowed = _PARAMETERS.get(qtype, frozenset())
        for key in parameters:
            if key not in allowed:
                self.problem(SURVEY, number, M.UNSUPPORTED_PARAMETER, parameter=key, type=qtype)
        return {k: v for k, v in parameters.items() if k in allowed}

    def specify_other(self, frame: _Frame, number: int, select: Question) -> Question | None:
        name = f"{select.name}_other"
        first = self.first_row.setdefault(name, number)
        if first != number or name in self.elements:
            self.problem(
                SURVEY,
                number,
                M.DUPLICATE_GENERATED,
                select=select.name,
                name=name,
                first_row=first,
            )
            return None
        self.order.append(name)
        question = Question(
            name=name,
            row=number,
            type="text",
            label=self.generated_texts(M.SPECIFY_OTHER, "Specify other"),
            relevant=parse(f"selected(${{{select.name}}}, 'other')"),
            parent=frame.name,
            repeats=frame.repeats,
            generated=True,
        )
        self.elements[name] = question
        return question

    def default(self, question: Question, number: int, raw: object) -> Question:
        if raw is None or raw == "":
            return question
        text = str(raw)
        pyxform_type = {"datetime": "dateTime"}.get(question.type, question.type)
        if default_is_dynamic(text, pyxform_type):
            expression = self.parse_expression(number, "default", text, question, column="default")
            return dataclasses.replace(question, default_expression=expression)
        value, problem = coerce(question, text)
        if problem is not None:
            msgid, params = problem
            self.problem(SURVEY, number, M.BAD_DEFAULT, value=text, error=_Message(msgid, params))
            return question
        return dataclasses.replace(question, default=value)

    # ---------------------------------------------------------------------------- expressions

    def expression(
        self,
        number: int,
        column: str,
        row: Mapping[str, Any],
        path: tuple[str, ...],
        element: Element,
    ) -> Expression | None:
        value: Any = row
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        if value is None or value == "":
            return None
        text = str(value)
        if column in ("required", "read_only") and text in aliases.yes_no:
            return parse("true()") if aliases.yes_no[text] else None
        shown = self.column(SURVEY, *path)
        return self.parse_expression(number, shown, text, element, column=column)

    def parse_expression(
        self, number: int, shown: str, text: str, element: Element, *, column: str
    ) -> Expression | None:
        try:
            expression = parse(text)
        except ExpressionError as e:
            self.problem(SURVEY, number, M.BAD_EXPRESSION, column=shown, error=e)
            return None
        self.usages.append(_Usage(number, shown, column, element, expression))
        if column != "choice_filter":
            for node in expression.walk():
                if isinstance(node, Name):
                    self.problem(SURVEY, number, M.BARE_NAME, column=shown, name=node.name)
        return expression

    def text_usage(self, number: int, column: str, texts: Translated, element: Element) -> None:
        names: list[str] = []
        for _, text in texts.items():
            for m in _TEXT_REFERENCE.finditer(text):
                inner = m[1]
                if inner is None or not is_xml_tag(inner) or ":" in inner:
                    self.problem(SURVEY, number, M.BAD_TEXT_REFERENCE, column=column, found=m[0])
                else:
                    names.append(inner)
        if names:
            self.usages.append(
                _Usage(number, column, column, element, names=tuple(dict.fromkeys(names)))
            )

    def check_usages(self) -> None:
        for usage in self.usages:
            names = usage.names
            if usage.expression is not None:
                names = tuple(sorted(usage.expression.references))
                self.check_expression_shape(usage)
            for name in names:
                target = self.elements.get(name)
                if target is None:
                    if name in self.first_row:
                        continue  # a row with its own problem
                    close = difflib.get_close_matches(name, list(self.elements), n=1, cutoff=0.75)
                    if close:
                        self.problem(
                            SURVEY,
                            usage.row,
                            M.UNKNOWN_REFERENCE_SUGGEST,
                            column=usage.column,
                            name=name,
                            suggestion=close[0],
                        )
                    else:
                        self.problem(
                            SURVEY, usage.row, M.UNKNOWN_REFERENCE, column=usage.column, name=name
                        )
                elif isinstance(target, Group) and not isinstance(target, Repeat):
                    self.problem(
                        SURVEY, usage.row, M.GROUP_REFERENCE, column=usage.column, name=name
                    )

    def check_expression_shape(self, usage: _Usage) -> None:
        expression = usage.expression
        element = usage.element
        assert expression is not None
        choices = element.choices if isinstance(element, Question) else None
        if usage.attribute == "choice_filter" and choices is not None:
            columns = self.list_columns.get(choices.name, frozenset())
            for name in sorted(expression.child_names - columns):
                self.problem(
                    SURVEY,
                    usage.row,
                    M.UNKNOWN_CHOICE_COLUMN,
                    column=usage.column,
                    list_name=choices.name,
                    name=name,
                )
        # position(..) and position(${repeat}) need a repeat around the element.
        scope = (
            element.repeats[:-1]
            if isinstance(element, Repeat) and usage.attribute == "relevant"
            else element.repeats
        )
        for node in expression.walk():
            if isinstance(node, Call) and node.name == "position":
                arg = node.args[0] if node.args else None
                if (isinstance(arg, Ref) and arg.name not in scope) or (
                    (arg is None or isinstance(arg, Parent)) and not scope
                ):
                    self.problem(SURVEY, usage.row, M.POSITION_OUTSIDE_REPEAT, column=usage.column)
                    break

    def cycle_problem(self, cycle: tuple[tuple[str, str], ...]) -> None:
        names = list(dict.fromkeys(name for _, name in cycle))
        first = min(names, key=lambda n: self.elements[n].row)
        row = self.elements[first].row
        if len(names) == 1:
            kinds = [kind for kind, _ in cycle if kind != "value"] or ["value"]
            self.problem(SURVEY, row, M.SELF_CYCLE, name=first, column=COLUMN[kinds[0]])
            return
        # Start the shown cycle at the question that comes first in the sheet.
        path = [name for _, name in cycle]
        path = [n for i, n in enumerate(path) if i == 0 or n != path[i - 1]]
        if len(path) > 1 and path[0] == path[-1]:
            path.pop()
        start = path.index(first)
        path = path[start:] + path[:start] + [first]
        self.problem(SURVEY, row, M.CYCLE, cycle=" → ".join(f"«{n}»" for n in path))

    # ---------------------------------------------------------------------------- pyxform

    def pyxform_opinion(self) -> None:
        """Run pyxform's own converter; report what it refuses unless already reported there."""
        try:
            workbook_to_json(
                workbook_dict=self.data,
                form_name="data",
                fallback_form_name=self.fallback,
                warnings=[],
            )
        except PyXFormError as e:
            detail = str(e)
            row = e.context.get("row") if isinstance(e.context, dict) else None
            m = _PYXFORM_ROW.search(detail)
            if row is None and m:
                row = int(m[1])
            detail = _PYXFORM_ROW.sub("", detail).strip()
            sheet_match = _PYXFORM_SHEET.search(detail)
            sheet = (e.context or {}).get("sheet") or (sheet_match[1] if sheet_match else "")
            if row is not None:
                sheet = sheet or SURVEY
                if any(p.row == row and p.sheet == sheet for p in self.problems):
                    return
            elif self.problems:
                return
            self.problem(
                sheet, int(row) if row is not None else None, M.PYXFORM_PROBLEM, detail=detail
            )


@dataclass(frozen=True)
class _Message:
    """A (msgid, params) shown inside another message, rendered in the same language."""

    msgid: str
    params: Mapping[str, object]

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        text = translate(self.msgid) if translate else self.msgid
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return text

    def __str__(self) -> str:
        return self.render()
