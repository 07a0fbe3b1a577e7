"""Properties of the form state that must hold for any history of answers.

The key one: after any sequence of answer changes and repeat rows added or removed, the state
recalculated incrementally (only what depends on each change) is the state a full evaluation
from scratch gives for the same stored answers — on a fixed form that uses every feature, and on
randomly generated dependency graphs.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xlsform_files import xlsform_bytes

from fieldkit.forms import AnswerError, FormState, answer_key, load_form, parse_key, row_key
from fieldkit.forms.model import FormDefinition, Question, Repeat

NOW = datetime(2024, 5, 31, 9, 15, tzinfo=timezone(timedelta(hours=-5)))
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def clock() -> datetime:
    return NOW


@cache
def rich_form() -> FormDefinition:
    """Relevance chains, groups, calculations, cascades, defaults, nested repeats and
    aggregates across them, sticky calculations: everything that recalculates."""
    survey = [
        (
            "type",
            "name",
            "label",
            "relevant",
            "calculation",
            "constraint",
            "required",
            "choice_filter",
            "default",
            "read_only",
        ),
        ("integer", "a", "A", None, None, ". < 50", "yes", None, "3", None),
        ("integer", "b", "B", "${a} > 2", None, None, None, None, None, None),
        ("calculate", "ab", None, None, "${a} + ${b}", None, None, None, None, None),
        ("begin group", "g", "G", "${ab} mod 2 = 0", None, None, None, None, None, None),
        ("text", "t", "T", None, None, "string-length(.) < 4", "${a} > 5", None, None, None),
        ("select_one dep", "dep", "Dep", None, None, None, None, None, None, None),
        ("select_one mun", "mun", "Mun", None, None, None, None, "d = ${dep}", None, None),
        (
            "select_multiple mun",
            "muns",
            "Muns",
            "${dep} != ''",
            None,
            None,
            None,
            "d = ${dep} or d = '99'",
            None,
            None,
        ),
        ("end group", None, None, None, None, None, None, None, None, None),
        ("begin repeat", "r", "R", "${a} < 9", None, None, None, None, None, None),
        ("integer", "x", "X", None, None, None, "yes", None, "1", None),
        ("calculate", "xp", None, None, "${x} * position(..) + ${a}", None, None, None, None, None),
        ("text", "y", "Y", "${x} > 2 or ${t} = 'si'", None, None, None, None, None, "${b} = 9"),
        ("begin repeat", "s", "S", "${x} < 8", None, None, None, None, None, None),
        ("integer", "z", "Z", None, None, ". != ${x}", None, None, None, None),
        ("calculate", "zs", None, None, "${z} + ${xp} + count(${s})", None, None, None, None, None),
        ("end repeat", None, None, None, None, None, None, None, None, None),
        ("calculate", "sum_z", None, None, "sum(${z})", None, None, None, None, None),
        ("end repeat", None, None, None, None, None, None, None, None, None),
        ("calculate", "total_x", None, None, "sum(${x})", None, None, None, None, None),
        (
            "calculate",
            "all_z",
            None,
            None,
            "sum(${zs}) + count(${z})",
            None,
            None,
            None,
            None,
            None,
        ),
        ("calculate", "rows", None, None, "count(${r})", None, None, None, None, None),
        (
            "calculate",
            "second",
            None,
            None,
            "indexed-repeat(${x}, ${r}, 2)",
            None,
            None,
            None,
            None,
            None,
        ),
        ("integer", "w", "W", "${total_x} > 3", None, ". > ${rows}", None, None, None, None),
        (
            "calculate",
            "stamp",
            None,
            None,
            "if(${w} > 0, once(concat(${w}, '@', now())), '')",
            None,
            None,
            None,
            None,
            None,
        ),
        ("date", "when", "When", None, None, ". <= today()", None, None, "today()", None),
    ]
    choices = [
        ("list_name", "name", "label", "d"),
        ("dep", "1", "Uno", None),
        ("dep", "2", "Dos", None),
        ("mun", "11", "Once", "1"),
        ("mun", "12", "Doce", "1"),
        ("mun", "21", "Veintiuno", "2"),
        ("mun", "99", "Todos", "99"),
    ]
    return load_form(xlsform_bytes(survey, choices), name="rica.xlsx")


VALUES = {
    "integer": st.one_of(st.integers(-3, 12), st.sampled_from(["", "abc", "4"])),
    "text": st.sampled_from(["", "si", "no", "largo texto"]),
    "date": st.sampled_from(["2024-05-01", "2024-06-30", "", "ayer"]),
}


def value_for(question: Question) -> st.SearchStrategy[object]:
    if question.choices is not None:
        names = [c.name for c in question.choices.choices] + ["zz"]
        if question.type == "select_multiple":
            return st.lists(st.sampled_from(names), max_size=3)
        return st.sampled_from([*names, ""])
    return VALUES.get(question.type, st.sampled_from(["", "x"]))


@st.composite
def histories(draw: st.DrawFn, form: FormDefinition) -> list[tuple]:
    questions = [q for q in form.questions() if q.is_input]
    repeats = list(form.repeats())
    steps = []
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.sampled_from(["answer", "answer", "answer", "add", "remove"]))
        if kind == "answer" or not repeats:
            q = draw(st.sampled_from(questions))
            path = tuple(draw(st.integers(1, 3)) for _ in q.repeats)
            steps.append(("answer", q.name, draw(value_for(q)), path))
        else:
            r: Repeat = draw(st.sampled_from(repeats))
            path = tuple(draw(st.integers(1, 3)) for _ in r.repeats[:-1])
            steps.append((kind, r.name, draw(st.integers(1, 3)), path))
    return steps


def apply(state: FormState, step: tuple) -> None:
    kind, name, value, path = step
    try:
        if kind == "answer":
            state.set_answer(name, value, path)
        elif kind == "add":
            state.add_repeat(name, path)
        else:
            state.remove_repeat(name, value, path)
    except AnswerError:
        pass  # not applicable now (no such row, question does not apply …): skipped, as a UI would


def assert_same_as_from_scratch(form: FormDefinition, state: FormState) -> None:
    answers = state.answers()
    fresh = FormState(form, answers, clock=clock, seed=99)
    assert fresh.snapshot() == state.snapshot()
    assert fresh.answers() == answers
    before = state.snapshot()
    state.recalculate()
    assert state.snapshot() == before
    assert [e.key for e in fresh.validate()] == [e.key for e in state.validate()]


@PROPERTY
@given(data=st.data())
def test_incremental_recalculation_equals_full_evaluation(data: st.DataObject) -> None:
    form = rich_form()
    state = FormState(form, clock=clock, seed=1)
    for step in data.draw(histories(form)):
        apply(state, step)
        assert_same_as_from_scratch(form, state)


# ---------------------------------------------------------------------------- random forms


@st.composite
def random_forms(draw: st.DrawFn) -> FormDefinition:
    """A random acyclic form: inputs, calculations and relevance reading earlier questions,
    some inside a repeat (read from outside through sum() and count())."""
    size = draw(st.integers(3, 14))
    rows: list[tuple] = [("type", "name", "label", "relevant", "calculation", "constraint")]
    names: list[tuple[str, bool]] = []  # (name, inside the repeat)
    in_repeat = False
    opened = draw(st.integers(1, size))
    closed = draw(st.integers(opened, size + 1))
    for i in range(size):
        if i == opened:
            rows.append(("begin repeat", "rep", "Rep", None, None, None))
            in_repeat = True
        if i == closed and in_repeat:
            rows.append(("end repeat", None, None, None, None, None))
            in_repeat = False
        name = f"q{i}"

        def ref(pool: list[tuple[str, bool]], here: bool = in_repeat) -> str:
            target, inside = draw(st.sampled_from(pool))
            if inside and not here:
                return f"{draw(st.sampled_from(['sum', 'count']))}(${{{target}}})"
            return f"number(${{{target}}})"

        relevant = None
        if names and draw(st.booleans()):
            relevant = (
                f"{ref(names)} {draw(st.sampled_from(['>', '<', '!=']))} {draw(st.integers(0, 5))}"
            )
        if names and draw(st.booleans()):
            operands = [ref(names) for _ in range(draw(st.integers(1, 3)))]
            calculation = f" {draw(st.sampled_from(['+', '-', '*']))} ".join(
                f"coalesce({o}, 0)" for o in operands
            )
            rows.append(("calculate", name, None, relevant, calculation, None))
        else:
            constraint = ". < 4" if draw(st.booleans()) else None
            rows.append(("integer", name, name.upper(), relevant, None, constraint))
        names.append((name, in_repeat))
    if in_repeat:
        rows.append(("end repeat", None, None, None, None, None))
    if not any(r[0] == "integer" for r in rows):
        rows.append(("integer", "extra", "Extra", None, None, None))
    return load_form(xlsform_bytes(rows), name="azar.xlsx")


@PROPERTY
@given(data=st.data())
def test_incremental_equals_full_on_random_forms(data: st.DataObject) -> None:
    form = data.draw(random_forms())
    state = FormState(form, clock=clock, seed=1)
    steps = data.draw(histories(form))
    for step in steps:
        apply(state, step)
    assert_same_as_from_scratch(form, state)


# ---------------------------------------------------------------------------- keys

NAMES = st.from_regex(r"[a-z_][a-z0-9_.\-]{0,8}", fullmatch=True)
ROWS = st.from_regex(r"[0-9a-f]{1,10}", fullmatch=True)


@given(name=NAMES, instances=st.lists(st.tuples(NAMES, ROWS), max_size=3))
def test_answer_keys_round_trip(name: str, instances: list[tuple[str, str]]) -> None:
    assert parse_key(answer_key(name, instances)) == (tuple(instances), name)
    if instances:
        assert parse_key(row_key(instances)) == (tuple(instances), None)


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_answers_round_trip(data: st.DataObject) -> None:
    form = rich_form()
    state = FormState(form, clock=clock, seed=2)
    for step in data.draw(histories(form)):
        apply(state, step)
    answers = state.answers()
    reopened = FormState(form, {}, clock=clock)
    assert reopened.load_answers(answers) == []  # nothing stored is refused when reloaded
    assert reopened.answers() == answers
