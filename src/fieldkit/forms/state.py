"""One filling of a form: its answers (repeat rows included) and everything computed from them.

``FormState`` keeps the answers a person gave and, through the form's dependency graph, what
follows from them: which questions apply (``relevant``), calculations, which options a
``choice_filter`` leaves, and the required / read-only / constraint flags. Changing an answer
re-evaluates only what depends on it, transitively, in topological order; the result is the same
as evaluating everything again (``recalculate()``), which the tests check on random histories.

Rules, as ODK applies them:

- a question that stops applying loses its answer (it is not stored); a group or repeat that
  stops applying loses its questions' answers, and a repeat its rows;
- an option the ``choice_filter`` no longer shows is removed from the answer (cascades);
- defaults fill a question when the filling starts or its repeat row is added, never later;
- a question with a calculation takes its value from it (it is not answered);
- ``now()``, ``today()``, ``random()`` … are read when what the expression reads changes, when
  answers are loaded, and on ``refresh()`` (``validate()`` refreshes first). A calculation that
  uses them, or ``once()``, is *sticky*: computed when empty or when what it reads changes, stored
  with the answers, and kept when they are loaded again (so ``once(uuid())`` stays the same).
"""

from __future__ import annotations

import heapq
import math
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from fieldkit.forms import messages as M
from fieldkit.forms.coerce import Problem, coerce, is_empty, to_expression, to_json
from fieldkit.forms.context import UNSET, StateContext
from fieldkit.forms.errors import AnswerError, FieldError
from fieldkit.forms.expressions import (
    Clock,
    ExpressionError,
    NodeSet,
    system_clock,
    to_boolean,
    to_string,
)
from fieldkit.forms.expressions.values import Value
from fieldkit.forms.graph import (
    CHOICES,
    COLUMN,
    CONSTRAINT,
    COUNT,
    READONLY,
    RELEVANT,
    REQUIRED,
    VALUE,
    Node,
    NodeInfo,
)
from fieldkit.forms.keys import answer_key, parse_key, row_key, row_sort_key
from fieldkit.forms.model import Choice, Element, FormDefinition, Question, Repeat

IdPath = tuple[str, ...]  # row ids of the enclosing repeat rows, outermost first
Positions = tuple[int, ...]  # the same rows by 1-based position, as the person sees them

FORCE = 1  # propagate as changed whatever the new value (rows added or removed)
KEEP = 2  # keep sticky calculations (nothing they read changed)

_TEXT_REFERENCE = re.compile(r"\$\{([^}]+)\}")
_MISSING = object()
_FAILED = object()


@dataclass(frozen=True, slots=True)
class Changes:
    """What an operation changed, for a renderer to refresh just that.

    ``cells``: ``(kind, name, key)`` of each computed value that changed (kind: relevant,
    value, choices, required, readonly, constraint, count); ``rows``: repeats whose rows were
    added or removed; ``dropped``: keys of answers cleared because they stopped applying or
    their option is no longer offered.
    """

    cells: frozenset[tuple[str, str, str]] = frozenset()
    rows: frozenset[str] = frozenset()
    dropped: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.cells or self.rows or self.dropped)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(name for _, name, _ in self.cells) | self.rows

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.cells | other.cells, self.rows | other.rows, self.dropped + other.dropped
        )


@dataclass(frozen=True, slots=True)
class _Drop:
    name: str
    path: IdPath
    reason: str  # "not_relevant" or "choice_filtered"
    value: object


class FormState:
    """The answers of one filling of ``form`` and what follows from them.

    ``FormState(form)`` starts a new filling (defaults applied); ``FormState(form, answers)``
    reopens stored answers (as ``load_answers``). ``clock`` feeds ``now()`` / ``today()``;
    ``seed`` makes ``random()``, ``uuid()`` and new row ids reproducible (tests only: leave it
    None in real use, or two laptops draw the same row ids). Rows of repeats are addressed by
    ``repeat_path``: the 1-based positions of the enclosing repeat rows, outermost first.
    """

    def __init__(
        self,
        form: FormDefinition,
        answers: Mapping[str, object] | None = None,
        *,
        language: str | None = None,
        clock: Clock | None = None,
        seed: int | None = None,
    ) -> None:
        self.form = form
        self._graph = form.graph
        self._clock = clock or system_clock
        self._rng = random.Random(seed)
        self._ids = random.Random(None if seed is None else seed + 1)
        self.language = self._choose_language(language)
        self._expression_language = "en" if self.language == "en" else "es"
        self._uses_labels = any(
            info.expression is not None and "jr:choice-name" in info.expression.functions
            for info in self._graph.info.values()
        )
        self._questions_in: dict[str, tuple[Question, ...]] = {}
        self._repeats_in: dict[str, tuple[Repeat, ...]] = {}
        for element in form.elements.values():
            for r in element.repeats:
                if isinstance(element, Question):
                    self._questions_in[r] = (*self._questions_in.get(r, ()), element)
                elif isinstance(element, Repeat) and element.name != r:
                    self._repeats_in[r] = (*self._repeats_in.get(r, ()), element)
        self._reset()
        if answers is None:
            self._start()
        else:
            self.load_answers(answers)

    # -------------------------------------------------------------------------- storage

    def _reset(self) -> None:
        self._rows: dict[tuple[str, IdPath], list[str]] = {}
        self._order: dict[tuple[str, IdPath], float] = {}
        self._inputs: dict[tuple[str, IdPath], object] = {}
        self._invalid: dict[tuple[str, IdPath], Problem] = {}
        self._cells: dict[tuple[Node, IdPath], object] = {}
        self._failures: dict[tuple[Node, IdPath], ExpressionError] = {}
        self._drops: list[_Drop] = []
        self._heap: list[tuple[int, Node]] | None = None
        self._pending: dict[Node, dict[IdPath, int]] = {}
        self._changed: set[tuple[Node, IdPath]] = set()

    def _instances(self, scope: tuple[str, ...], prefix: IdPath) -> Iterator[IdPath]:
        """Every instance path of ``scope`` that starts with ``prefix``."""
        level = len(prefix)
        if level >= len(scope):
            yield prefix[: len(scope)]
            return
        for row in tuple(self._rows.get((scope[level], prefix), ())):
            yield from self._instances(scope, (*prefix, row))

    def _expression_value(self, name: str, path: IdPath) -> object:
        value = self._cells.get(((VALUE, name), path))
        if value is None:
            return ""
        if isinstance(value, tuple):
            return " ".join(value)
        return value

    # -------------------------------------------------------------------------- language

    def _choose_language(self, language: str | None) -> str:
        codes = self.form.language_codes
        if language is not None:
            if codes and language not in codes:
                raise AnswerError(M.UNKNOWN_LANGUAGE, language=language, languages=", ".join(codes))
            return language
        if self.form.default_language:
            return self.form.default_language
        return "es" if "es" in codes or not codes else codes[0]

    def set_language(self, language: str) -> Changes:
        """Show the form in ``language`` (a code of ``form.languages``); recalculates what
        reads choice labels (``jr:choice-name``)."""
        self.language = self._choose_language(language)
        self._expression_language = "en" if self.language == "en" else "es"
        if not self._uses_labels:
            return Changes()
        seeds = {
            node: {(): KEEP}
            for node, info in self._graph.info.items()
            if info.expression is not None and "jr:choice-name" in info.expression.functions
        }
        return self._run(seeds)

    # -------------------------------------------------------------------------- addressing

    def _path(self, scope: tuple[str, ...], name: str, repeat_path: Sequence[int]) -> IdPath:
        """Row ids for 1-based ``repeat_path`` positions in the repeats ``scope``."""
        if len(repeat_path) != len(scope):
            raise AnswerError(
                M.BAD_REPEAT_PATH, name=name, expected=len(scope), given=len(repeat_path)
            )
        path: IdPath = ()
        for repeat, position in zip(scope, repeat_path, strict=True):
            rows = self._rows.get((repeat, path), [])
            if not isinstance(position, int) or not 1 <= position <= len(rows):
                raise AnswerError(M.NO_SUCH_ROW, name=repeat, position=position)
            path += (rows[position - 1],)
        return path

    def _positions(self, scope: tuple[str, ...], path: IdPath) -> Positions:
        out = []
        for level, row in enumerate(path):
            out.append(self._rows[(scope[level], path[:level])].index(row) + 1)
        return tuple(out)

    def _key(self, name: str, scope: tuple[str, ...], path: IdPath) -> str:
        return answer_key(name, tuple(zip(scope, path, strict=False)))

    def key(self, name: str, repeat_path: Sequence[int] = ()) -> str:
        """The flat answer key of question ``name`` in the rows ``repeat_path``."""
        element = self._element(name)
        return self._key(name, element.repeats, self._path(element.repeats, name, repeat_path))

    def locate(self, key: str) -> tuple[str, Positions] | None:
        """``(name, repeat_path)`` of an answer key of this state, or None."""
        parsed = parse_key(key)
        if parsed is None or parsed[1] is None:
            return None
        instances, name = parsed
        element = self.form.elements.get(name)
        if element is None or tuple(r for r, _ in instances) != element.repeats:
            return None
        path = tuple(i for _, i in instances)
        try:
            return name, self._positions(element.repeats, path)
        except (KeyError, ValueError):
            return None

    def _element(self, name: str) -> Element:
        element = self.form.elements.get(name)
        if element is None:
            raise AnswerError(M.UNKNOWN_ANSWER_KEY, key=name)
        return element

    def _question(self, name: str) -> Question:
        element = self._element(name)
        if not isinstance(element, Question):
            raise AnswerError(M.NOT_ANSWERABLE, name=name)
        return element

    def _repeat(self, name: str) -> Repeat:
        element = self._element(name)
        if not isinstance(element, Repeat):
            raise AnswerError(M.NOT_A_REPEAT, name=name)
        return element

    # -------------------------------------------------------------------------- reading

    def value(self, name: str, repeat_path: Sequence[int] = ()) -> object:
        """The typed value of a question (its answer or its calculation); None if empty."""
        q = self._question(name)
        return self._cells.get(((VALUE, name), self._path(q.repeats, name, repeat_path)))

    def is_relevant(self, name: str, repeat_path: Sequence[int] = ()) -> bool:
        """Whether the question, group or repeat applies; for a repeat, ``repeat_path`` is its
        parent's rows (whether rows may be added)."""
        self._element(name)
        scope = self._graph.info[(RELEVANT, name)].scope
        return bool(self._cells.get(((RELEVANT, name), self._path(scope, name, repeat_path)), True))

    def is_required(self, name: str, repeat_path: Sequence[int] = ()) -> bool:
        q = self._question(name)
        path = self._path(q.repeats, name, repeat_path)
        return bool(self._cells.get(((REQUIRED, name), path), False))

    def is_read_only(self, name: str, repeat_path: Sequence[int] = ()) -> bool:
        """Whether a person may not change the answer: read_only, a calculation, a note."""
        q = self._question(name)
        path = self._path(q.repeats, name, repeat_path)
        return not q.is_input or bool(self._cells.get(((READONLY, name), path), False))

    def visible_choices(self, name: str, repeat_path: Sequence[int] = ()) -> tuple[Choice, ...]:
        """The options to offer: the question's list, filtered by its choice_filter."""
        q = self._question(name)
        if q.choices is None:
            return ()
        if q.choice_filter is None:
            return q.choices.choices
        path = self._path(q.repeats, name, repeat_path)
        visible = self._cells.get(((CHOICES, name), path), ())
        shown = set(visible) if isinstance(visible, tuple) else set()
        return tuple(c for c in q.choices.choices if c.name in shown)

    def repeat_count(self, name: str, repeat_path: Sequence[int] = ()) -> int:
        r = self._repeat(name)
        return len(self._rows.get((name, self._path(r.repeats[:-1], name, repeat_path)), ()))

    def row_ids(self, name: str, repeat_path: Sequence[int] = ()) -> tuple[str, ...]:
        """The ids of repeat ``name``'s rows (``repeat_path``: its parent's rows), in order."""
        r = self._repeat(name)
        return tuple(self._rows.get((name, self._path(r.repeats[:-1], name, repeat_path)), ()))

    def text(
        self,
        name: str,
        repeat_path: Sequence[int] = (),
        *,
        kind: str = "label",
        language: str | None = None,
    ) -> str:
        """A label or hint in ``language`` (the state's by default), with each ``${name}``
        replaced by that question's value, as ODK shows it."""
        element = self._element(name)
        texts = element.hint if kind == "hint" else element.label
        text = texts.get(language or self.language)
        if "${" not in text:
            return text
        scope = self._graph.info[(RELEVANT, name)].scope
        path = self._path(scope, name, repeat_path)
        context = StateContext(self, scope, path, element)

        def shown(value: object) -> str:
            if isinstance(value, list):
                return ", ".join(shown(v) for v in value)
            return to_string(value) if isinstance(value, str | float | bool | date) else str(value)

        return _TEXT_REFERENCE.sub(lambda m: shown(context.answer(m[1])), text)

    # -------------------------------------------------------------------------- writing

    def set_answer(self, name: str, value: object, repeat_path: Sequence[int] = ()) -> Changes:
        """Answer question ``name`` (in the rows ``repeat_path``) and recalculate what follows.

        ``value`` may be typed or text (as a widget or a JSON file gives it); a value that does
        not fit the type is kept as given and reported by ``validate()``. None or "" clears it.
        """
        q = self._question(name)
        if not q.is_input:
            raise AnswerError(M.NOT_ANSWERABLE, name=name)
        path = self._path(q.repeats, name, repeat_path)
        if not self._cells.get(((RELEVANT, name), path), True):
            raise AnswerError(M.QUESTION_NOT_RELEVANT, name=name)
        if self._cells.get(((READONLY, name), path), False):
            raise AnswerError(M.QUESTION_READ_ONLY, name=name)
        typed, problem = coerce(q, value)
        if typed is not None and problem is None and q.choice_filter is not None:
            visible = self._cells.get(((CHOICES, name), path), ())
            chosen = typed if isinstance(typed, tuple) else (typed,)
            hidden = [c for c in chosen if c not in visible]  # type: ignore[operator]
            if hidden:
                raise AnswerError(M.CHOICE_FILTERED_DROPPED, value=hidden[0])
        return self._store(q, path, typed, problem)

    def _store(self, q: Question, path: IdPath, typed: object, problem: Problem | None) -> Changes:
        key = (q.name, path)
        old = self._inputs.get(key)
        old_problem = self._invalid.get(key)
        if typed is None:
            self._inputs.pop(key, None)
        else:
            self._inputs[key] = typed
        if problem is None:
            self._invalid.pop(key, None)
        else:
            self._invalid[key] = problem
        if old == typed and type(old) is type(typed) and old_problem == problem:
            return Changes()
        return self._run({(VALUE, q.name): {path: 0}})

    def add_repeat(self, name: str, repeat_path: Sequence[int] = ()) -> Changes:
        """Add a row at the end of repeat ``name`` (``repeat_path``: its parent's rows); its
        questions get their defaults. The new row's position is ``repeat_count(name, …)``."""
        r = self._repeat(name)
        parent = self._path(r.repeats[:-1], name, repeat_path)
        if not self._cells.get(((RELEVANT, name), parent), True):
            raise AnswerError(M.REPEAT_NOT_RELEVANT, name=name)
        rows = self._rows.setdefault((name, parent), [])
        row = self._new_row_id(rows)
        orders = [self._order.get((name, (*parent, x)), 0.0) for x in rows]
        rows.append(row)
        self._order[(name, (*parent, row))] = float(max(orders, default=0.0) + 1)
        path = (*parent, row)
        self._static_defaults(r.repeats, path)
        seeds: dict[Node, dict[IdPath, int]] = {(COUNT, name): {parent: 0}}
        for node in self._graph.inside.get(name, ()):
            seeds.setdefault(node, {})[path] = FORCE
        changes = self._run(seeds, rows={name})
        changes |= self._dynamic_defaults(r.repeats, path)
        # Defaults of questions that do not apply in the new row were never answers.
        return Changes(changes.cells, changes.rows, ())

    def remove_repeat(self, name: str, position: int, repeat_path: Sequence[int] = ()) -> Changes:
        """Remove row ``position`` (1-based) of repeat ``name`` and everything in it."""
        r = self._repeat(name)
        parent = self._path(r.repeats[:-1], name, repeat_path)
        rows = self._rows.get((name, parent), [])
        if not isinstance(position, int) or not 1 <= position <= len(rows):
            raise AnswerError(M.NO_SUCH_ROW, name=name, position=position)
        row = rows[position - 1]
        self._forget(r, (*parent, row), log=False)
        rows.remove(row)
        if not rows:
            del self._rows[(name, parent)]
        seeds: dict[Node, dict[IdPath, int]] = {(COUNT, name): {parent: 0}}
        for node in self._graph.inside.get(name, ()):
            # The later rows moved up: what reads position(..) or the rows changes.
            seeds.setdefault(node, {})[parent] = FORCE | KEEP
        return self._run(seeds, rows={name})

    def _new_row_id(self, taken: Sequence[str]) -> str:
        while True:
            row = format(self._ids.getrandbits(40), "010x")
            if row not in taken:
                return row

    def _forget(self, r: Repeat, prefix: IdPath, *, log: bool) -> None:
        """Delete everything of the repeat row at ``prefix`` (answers, computed values, rows of
        the repeats inside it)."""
        graph = self._graph
        for node in graph.inside.get(r.name, ()):
            scope = graph.info[node].scope
            for path in list(self._instances(scope, prefix)):
                self._cells.pop((node, path), None)
                self._failures.pop((node, path), None)
        for q in self._questions_in.get(r.name, ()):
            for path in list(self._instances(q.repeats, prefix)):
                value = self._inputs.pop((q.name, path), None)
                self._invalid.pop((q.name, path), None)
                if log and value is not None and q.is_input:
                    self._drops.append(_Drop(q.name, path, "not_relevant", value))
        for nested in reversed(self._repeats_in.get(r.name, ())):
            for path in list(self._instances(nested.repeats[:-1], prefix)):
                for row in self._rows.pop((nested.name, path), ()):
                    self._order.pop((nested.name, (*path, row)), None)
        self._order.pop((r.name, prefix), None)

    # -------------------------------------------------------------------------- defaults

    def _static_defaults(self, scope: tuple[str, ...], path: IdPath) -> None:
        for q in self.form.questions():
            if q.repeats == scope and q.default is not None and q.calculation is None:
                self._inputs[(q.name, path)] = q.default

    def _dynamic_defaults(self, scope: tuple[str, ...], path: IdPath) -> Changes:
        changes = Changes()
        for q in self.form.questions():
            if q.repeats != scope or q.default_expression is None or q.calculation is not None:
                continue
            if not self._cells.get(((RELEVANT, q.name), path), True):
                continue
            if self._inputs.get((q.name, path)) is not None:
                continue
            context = StateContext(self, scope, path, q)
            try:
                result = q.default_expression.evaluate(context)
            except ExpressionError:
                continue  # a default that cannot be computed leaves the question empty
            typed, problem = self._typed(q, result)
            if typed is not None:
                changes |= self._store(q, path, typed, problem)
        return changes

    def _start(self) -> None:
        self._static_defaults((), ())
        self._recalculate_all()
        self._dynamic_defaults((), ())
        self._drops.clear()

    # -------------------------------------------------------------------------- recalculation

    def recalculate(self) -> None:
        """Evaluate every expression again, for every row (what incremental recalculation
        avoids; the benchmark and the tests compare both)."""
        self._recalculate_all()

    def refresh(self) -> Changes:
        """Evaluate again what reads the clock or randomness (sticky calculations are kept)."""
        return self._run({node: {(): KEEP} for node in self._graph.volatile})

    def _recalculate_all(self) -> None:
        graph = self._graph
        for node in graph.order:
            info = graph.info[node]
            for path in list(self._instances(info.scope, ())):
                self._compute(info, path, True)

    def _schedule(self, node: Node, prefix: IdPath, flags: int) -> None:
        if self._heap is None:
            return  # a full recalculation visits every node anyway
        entry = self._pending.get(node)
        if entry is None:
            self._pending[node] = {prefix: flags}
            heapq.heappush(self._heap, (self._graph.info[node].index, node))
            return
        old = entry.get(prefix)
        entry[prefix] = flags if old is None else ((old | flags) & FORCE) | (old & flags & KEEP)

    def _run(
        self, seeds: Mapping[Node, Mapping[IdPath, int]], *, rows: set[str] | None = None
    ) -> Changes:
        """Recalculate from ``seeds`` (node -> instance prefix -> flags), dependents after what
        they read, and say what changed."""
        graph = self._graph
        self._heap = []
        self._pending = {}
        self._changed = set()
        drops_before = len(self._drops)
        try:
            for node, prefixes in seeds.items():
                if node in graph.info:
                    for prefix, flags in prefixes.items():
                        self._schedule(node, prefix, flags)
            while self._heap:
                _, node = heapq.heappop(self._heap)
                prefixes = self._pending.pop(node)
                info = graph.info[node]
                targets: dict[IdPath, bool] = {}
                changed: list[IdPath] = []
                for prefix, flags in prefixes.items():
                    keep = bool(flags & KEEP)
                    for path in self._instances(info.scope, prefix):
                        targets[path] = targets.get(path, True) and keep
                    if flags & FORCE:
                        changed.append(prefix)
                for path, keep in targets.items():
                    if self._compute(info, path, keep):
                        changed.append(path)
                        self._changed.add((node, path))
                if changed:
                    for dependent, shared in graph.dependents[node]:
                        for path in dict.fromkeys(p[:shared] for p in changed):
                            self._schedule(dependent, path, 0)
        finally:
            self._heap = None
            self._pending = {}
        cells = frozenset(
            (node[0], node[1], self._key(node[1], graph.info[node].scope, path))
            for node, path in self._changed
        )
        dropped = tuple(
            self._key(d.name, self.form.elements[d.name].repeats, d.path)
            for d in self._drops[drops_before:]
        )
        return Changes(cells, frozenset(rows or ()), dropped)

    def _compute(self, info: NodeInfo, path: IdPath, keep: bool) -> bool:
        """Evaluate one instance of a node; True when its value changed."""
        kind = info.node[0]
        if kind == RELEVANT:
            new: object = self._relevant(info, path)
        elif kind == VALUE:
            new = self._value(info, path, keep)
        elif kind == COUNT:
            new = len(self._rows.get((info.node[1], path), ()))
        elif kind == CHOICES:
            new = self._choices(info, path)
        else:
            new = self._flag(info, path)
        key = (info.node, path)
        old = self._cells.get(key, _MISSING)
        if old is _MISSING or old != new or type(old) is not type(new):
            self._cells[key] = new
            return True
        return False

    def _evaluate(self, info: NodeInfo, path: IdPath, current: object = UNSET) -> object:
        assert info.expression is not None
        context = StateContext(self, info.scope, path, info.element, current)
        try:
            value = info.expression.evaluate(context)
        except ExpressionError as e:
            self._failures[(info.node, path)] = e
            return _FAILED
        if self._failures:
            self._failures.pop((info.node, path), None)
        return value

    def _applies(self, element: Element, path: IdPath) -> bool:
        """Whether ``element`` applies in the instance ``path`` (of its own scope or deeper)."""
        scope = self._graph.info[(RELEVANT, element.name)].scope
        return bool(self._cells.get(((RELEVANT, element.name), path[: len(scope)]), True))

    def _relevant(self, info: NodeInfo, path: IdPath) -> bool:
        element = info.element
        applies = True
        if element.parent is not None:
            applies = self._applies(self.form.elements[element.parent], path)
        if applies and info.expression is not None:
            result = self._evaluate(info, path)
            applies = True if result is _FAILED else to_boolean(result)  # type: ignore[arg-type]
        if not applies and isinstance(element, Repeat):
            rows = self._rows.pop((element.name, path), None)
            if rows:
                for row in rows:
                    self._forget(element, (*path, row), log=True)
                for node in self._graph.inside.get(element.name, ()):
                    self._schedule(node, path, FORCE | KEEP)
        return applies

    def _value(self, info: NodeInfo, path: IdPath, keep: bool) -> object:
        q = info.element
        assert isinstance(q, Question)
        key = (q.name, path)
        if not self._cells.get(((RELEVANT, q.name), path), True):
            value = self._inputs.pop(key, None)
            self._invalid.pop(key, None)
            if value is not None and q.is_input:
                self._drops.append(_Drop(q.name, path, "not_relevant", value))
            return None
        if q.calculation is not None:
            if q.sticky:
                stored = self._inputs.get(key)
                if keep and stored is not None:
                    return stored
                result = self._evaluate(info, path, to_expression(stored))
            else:
                result = self._evaluate(info, path)
            typed, problem = (None, None) if result is _FAILED else self._typed(q, result)  # type: ignore[arg-type]
            if problem is None:
                self._invalid.pop(key, None)
            else:
                self._invalid[key] = problem
            if q.sticky:
                if typed is None:
                    self._inputs.pop(key, None)
                else:
                    self._inputs[key] = typed
            return typed
        value = self._inputs.get(key)
        if value is None or q.choice_filter is None or key in self._invalid:
            return value
        visible = self._cells.get(((CHOICES, q.name), path), ())
        if isinstance(value, tuple):
            kept = tuple(v for v in value if v in visible)  # type: ignore[operator]
            if kept == value:
                return value
            self._drops.append(_Drop(q.name, path, "choice_filtered", value))
            if kept:
                self._inputs[key] = kept
                return kept
        elif value in visible:  # type: ignore[operator]
            return value
        else:
            self._drops.append(_Drop(q.name, path, "choice_filtered", value))
        del self._inputs[key]
        return None

    def _typed(self, q: Question, result: Value) -> tuple[object, Problem | None]:
        """A calculation's or dynamic default's result as the question's typed value."""
        value: object = result
        if isinstance(value, NodeSet):
            value = value[0] if value else ""
        if isinstance(value, float):
            if not math.isfinite(value):
                return None, None
            if q.type not in ("integer", "decimal"):
                value = to_string(value)
        elif isinstance(value, bool):
            value = to_string(value)
        elif isinstance(value, date):
            if q.type == "date" and isinstance(value, datetime):
                value = value.date()
            elif q.type == "datetime" and not isinstance(value, datetime):
                value = datetime.combine(value, time())
            elif q.type not in ("date", "datetime"):
                value = to_string(value)  # type: ignore[arg-type]
        return coerce(q, value)

    def _choices(self, info: NodeInfo, path: IdPath) -> tuple[str, ...]:
        q = info.element
        assert isinstance(q, Question) and q.choices is not None and info.expression is not None
        if not self._cells.get(((RELEVANT, q.name), path), True):
            return ()
        context = StateContext(self, info.scope, path, q)
        run = info.expression.evaluate
        shown = []
        failure = None
        for choice in q.choices.choices:
            context.row = choice.columns
            try:
                if to_boolean(run(context)):
                    shown.append(choice.name)
            except ExpressionError as e:
                failure = e
                shown.append(choice.name)
        if failure is not None:
            self._failures[(info.node, path)] = failure
        elif self._failures:
            self._failures.pop((info.node, path), None)
        return tuple(shown)

    def _flag(self, info: NodeInfo, path: IdPath) -> bool:
        kind, name = info.node
        if not self._cells.get(((RELEVANT, name), path), True):
            return kind == CONSTRAINT
        if kind == CONSTRAINT:
            value = self._cells.get(((VALUE, name), path))
            if value is None or (name, path) in self._invalid:
                return True
            result = self._evaluate(info, path, to_expression(value))
        else:
            result = self._evaluate(info, path)
        if result is _FAILED:
            # Reported by validate() as an evaluation error; not also as a failed constraint.
            return kind == CONSTRAINT
        return to_boolean(result)  # type: ignore[arg-type]

    # -------------------------------------------------------------------------- answers

    def answers(self) -> dict[str, object]:
        """The answers as a flat JSON-able dict (see ``fieldkit.forms.keys``): one entry per
        answered question and per repeat row (its order number), plus sticky calculations.
        Calculated values are left out: they follow from the answers. Values that do not fit
        their type are kept as given (a draft never loses what was typed)."""
        out: dict[str, object] = {}
        for r in self.form.repeats():
            for parent in self._instances(r.repeats[:-1], ()):
                for row in self._rows.get((r.name, parent), ()):
                    path = (*parent, row)
                    order = self._order.get((r.name, path), 0.0)
                    out[row_key(tuple(zip(r.repeats, path, strict=True)))] = (
                        int(order) if float(order).is_integer() else order
                    )
        for q in self.form.questions():
            if not (q.is_input or q.sticky or q.type == "calculate"):
                continue
            for path in self._instances(q.repeats, ()):
                value = self._inputs.get((q.name, path))
                if value is not None:
                    out[self._key(q.name, q.repeats, path)] = to_json(value)
        return out

    def load_answers(self, answers: Mapping[str, object]) -> list[FieldError]:
        """Replace the state with stored answers (no defaults are applied) and recalculate.

        Returns what was not taken: keys that are not questions of this form, values given for
        calculated questions, and answers that do not apply with the others (relevant false) or
        whose option is filtered out; those are not kept.
        """
        self._reset()
        problems: list[FieldError] = []
        loaded: dict[tuple[str, IdPath], str] = {}
        for key, value in answers.items():
            parsed = parse_key(key)
            if parsed is None:
                problems.append(FieldError(str(key), "", "unknown", M.BAD_ANSWER_KEY, {"key": key}))
                continue
            instances, name = parsed
            target = name if name is not None else instances[-1][0]
            element = self.form.elements.get(target)
            chain = tuple(r for r, _ in instances)
            expected_chain = element.repeats if element is not None else ()
            if element is None or (name is None and not isinstance(element, Repeat)):
                problems.append(
                    FieldError(key, target, "unknown", M.UNKNOWN_ANSWER_KEY, {"key": key})
                )
                continue
            if chain != expected_chain:
                expected = answer_key(name or "", tuple((r, "1") for r in expected_chain))
                if name is None:
                    expected = row_key(tuple((r, "1") for r in expected_chain))
                problems.append(
                    FieldError(
                        key,
                        target,
                        "unknown",
                        M.WRONG_REPEAT_PATH,
                        {"key": key, "name": target, "expected": expected},
                    )
                )
                continue
            path = tuple(i for _, i in instances)
            for level, (repeat, row) in enumerate(instances):
                rows = self._rows.setdefault((repeat, path[:level]), [])
                if row not in rows:
                    rows.append(row)
            if name is None:
                if isinstance(value, int | float) and not isinstance(value, bool):
                    self._order[(target, path)] = float(value)
                continue
            q = element
            if not isinstance(q, Question) or q.type == "note":
                if not is_empty(value):
                    problems.append(
                        FieldError(key, target, "unknown", M.NOT_ANSWERABLE, {"name": target})
                    )
                continue
            if not (q.is_input or q.sticky or (q.type == "calculate" and q.calculation is None)):
                if not is_empty(value):
                    problems.append(
                        FieldError(
                            key, target, "calculated", M.CALCULATED_IGNORED, {"name": target}
                        )
                    )
                continue
            typed, problem = coerce(q, value)
            if typed is None:
                continue
            self._inputs[(q.name, path)] = typed
            if problem is not None:
                self._invalid[(q.name, path)] = problem
            loaded[(q.name, path)] = key
        self._order_rows()
        self._recalculate_all()
        for drop in self._drops:
            key = loaded.get((drop.name, drop.path))
            if key is None:
                continue
            q = self.form.elements[drop.name]
            shown = " ".join(drop.value) if isinstance(drop.value, tuple) else to_json(drop.value)
            if drop.reason == "not_relevant":
                msgid, kind = M.NOT_RELEVANT_DROPPED, "not_relevant"
            else:
                msgid, kind = M.CHOICE_FILTERED_DROPPED, "choice_filtered"
            problems.append(
                FieldError(
                    key,
                    drop.name,
                    kind,
                    msgid,
                    {"value": shown},
                    self._safe_positions(q.repeats, drop.path),
                )
            )
        self._drops.clear()
        return problems

    def _safe_positions(self, scope: tuple[str, ...], path: IdPath) -> Positions:
        try:
            return self._positions(scope, path)
        except (KeyError, ValueError):
            return ()

    def _order_rows(self) -> None:
        """Sort rows loaded from keys by their order number (or id), and number those without."""
        for (repeat, parent), rows in self._rows.items():
            rows.sort(key=lambda r: row_sort_key(r, self._order.get((repeat, (*parent, r)))))
            for position, row in enumerate(rows, start=1):
                self._order.setdefault((repeat, (*parent, row)), float(position))

    # -------------------------------------------------------------------------- validation

    def validate(self) -> list[FieldError]:
        """Every problem of the current answers, in form order: required questions without an
        answer, constraints not met (with the form's message), values that do not fit their
        type, expressions that could not be evaluated. Empty when the filling can be completed."""
        self.refresh()
        errors: list[FieldError] = []
        language = self.language
        for element in self.form.elements.values():
            scope = self._graph.info[(RELEVANT, element.name)].scope
            for path in self._instances(scope, ()):
                if not self._cells.get(((RELEVANT, element.name), path), True):
                    continue
                key = self._key(element.name, scope, path)
                positions = self._positions(scope, path)
                for kind in (RELEVANT, CHOICES, VALUE, REQUIRED, READONLY, CONSTRAINT):
                    failure = self._failures.get(((kind, element.name), path))
                    if failure is not None:
                        errors.append(
                            FieldError(
                                key,
                                element.name,
                                "evaluation",
                                M.EVALUATION_FAILED,
                                {"column": COLUMN[kind], "error": failure},
                                positions,
                            )
                        )
                if not isinstance(element, Question):
                    continue
                q = element
                problem = self._invalid.get((q.name, path))
                if problem is not None:
                    errors.append(
                        FieldError(key, q.name, "type", problem[0], dict(problem[1]), positions)
                    )
                    continue
                value = self._cells.get(((VALUE, q.name), path))
                if value is None:
                    if self._cells.get(((REQUIRED, q.name), path), False):
                        errors.append(self._required_error(q, key, positions, language))
                elif not self._cells.get(((CONSTRAINT, q.name), path), True):
                    if q.constraint_message:
                        text = q.constraint_message.get(language)
                        errors.append(
                            FieldError(key, q.name, "constraint", text, {}, positions, True)
                        )
                    else:
                        assert q.constraint is not None
                        errors.append(
                            FieldError(
                                key,
                                q.name,
                                "constraint",
                                M.CONSTRAINT,
                                {"constraint": q.constraint.text},
                                positions,
                            )
                        )
        return errors

    def _required_error(
        self, q: Question, key: str, positions: Positions, language: str
    ) -> FieldError:
        if q.required_message:
            text = q.required_message.get(language)
            return FieldError(key, q.name, "required", text, {}, positions, True)
        return FieldError(key, q.name, "required", M.REQUIRED, {}, positions)

    def missing_required(self) -> list[FieldError]:
        """The required questions that apply and have no answer yet, in form order: what is
        still missing before the filling can be completed."""
        self.refresh()
        missing: list[FieldError] = []
        for q in self.form.questions():
            node = (REQUIRED, q.name)
            if node not in self._graph.info:
                continue
            for path in self._instances(q.repeats, ()):
                if not self._cells.get((node, path), False):
                    continue
                if self._cells.get(((VALUE, q.name), path)) is not None:
                    continue
                key = self._key(q.name, q.repeats, path)
                missing.append(
                    self._required_error(q, key, self._positions(q.repeats, path), self.language)
                )
        return missing

    # -------------------------------------------------------------------------- comparison

    def snapshot(self) -> dict[str, object]:
        """Every answer and computed value, by key, in positions rather than row ids: what the
        tests compare between incremental and full recalculation."""
        out: dict[str, object] = {}
        graph = self._graph
        for node in graph.order:
            scope = graph.info[node].scope
            for path in self._instances(scope, ()):
                positions = "/".join(str(p) for p in self._positions(scope, path))
                value = self._cells.get((node, path), _MISSING)
                out[f"{node[0]}:{node[1]}@{positions}"] = (
                    "<missing>" if value is _MISSING else to_json(value)
                )
        for (name, path), value in self._inputs.items():
            scope = self.form.elements[name].repeats
            positions = "/".join(str(p) for p in self._positions(scope, path))
            out[f"input:{name}@{positions}"] = to_json(value)
        for (name, path), problem in self._invalid.items():
            scope = self.form.elements[name].repeats
            positions = "/".join(str(p) for p in self._positions(scope, path))
            out[f"invalid:{name}@{positions}"] = problem[0]
        return out
