"""A parsed expression: what it references (for the dependency graph) and how to evaluate it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache

from fieldkit.forms.expressions.compiler import compile_tree
from fieldkit.forms.expressions.context import BaseContext, Clock, Context, MappingContext
from fieldkit.forms.expressions.errors import ExpressionError
from fieldkit.forms.expressions.functions import VOLATILE, Compiled
from fieldkit.forms.expressions.nodes import Call, Current, Name, Node, Ref, unparse, walk
from fieldkit.forms.expressions.parser import parse_tree
from fieldkit.forms.expressions.values import Value

# Functions that read "." when called without an argument (XPath 1.0's context node).
_READ_DOT = frozenset({"string", "string-length", "normalize-space", "number"})


class Expression:
    """One expression of a form, parsed and checked.

    ``references``: the question names it reads as ``${name}``; ``uses_current``: whether it
    reads ``.`` (constraints do); ``child_names``: bare names (choice_filter columns);
    ``functions``: the functions it calls; ``volatile``: whether its value can change with no
    answer changing (``now()``, ``random()`` …). ``str(expr)`` is its canonical text, which
    parses back to an equal expression; equality compares the trees, not the spelling.
    """

    __slots__ = ("_run", "child_names", "functions", "references", "root", "text", "uses_current")

    def __init__(self, text: str, root: Node) -> None:
        self.text = text
        self.root = root
        nodes = list(walk(root))
        self.references = frozenset(n.name for n in nodes if isinstance(n, Ref))
        self.child_names = frozenset(n.name for n in nodes if isinstance(n, Name))
        self.functions = frozenset(n.name for n in nodes if isinstance(n, Call))
        self.uses_current = any(
            isinstance(n, Current)
            or (isinstance(n, Call) and (n.name == "once" or (n.name in _READ_DOT and not n.args)))
            for n in nodes
        )
        try:
            self._run: Compiled = compile_tree(root)
        except ExpressionError as e:
            e.text = text
            raise

    @property
    def volatile(self) -> bool:
        return not self.functions.isdisjoint(VOLATILE)

    def walk(self) -> Iterator[Node]:
        """Every node, parents first; each has ``pos`` (0-based offset in ``text``)."""
        return walk(self.root)

    def evaluate(self, context: Context | None = None) -> Value:
        """The value in ``context`` (nothing answered, the system clock, when None)."""
        try:
            return self._run(context if context is not None else BaseContext())
        except ExpressionError as e:
            e.text = e.text or self.text
            raise

    def __str__(self) -> str:
        return unparse(self.root)

    def __repr__(self) -> str:
        return f"Expression({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expression) and self.root == other.root

    def __hash__(self) -> int:
        return hash(self.root)


@lru_cache(maxsize=4096)
def parse(text: str) -> Expression:
    """Parse an XLSForm / ODK expression; raise ExpressionError (with the position) if invalid.

    Parsing also checks function names and argument counts, so a form is refused on load
    rather than failing while someone fills it in. Results are cached: expressions are
    immutable.
    """
    return Expression(text, parse_tree(text))


def evaluate(expression: Expression | str, context: Context | None = None) -> Value:
    """The value of ``expression`` (parsed first if it is text) in ``context``."""
    if isinstance(expression, str):
        expression = parse(expression)
    return expression.evaluate(context)


def evaluate_text(
    text: str,
    answers: Mapping[str, object] | None = None,
    *,
    current: object = "",
    clock: Clock | None = None,
    language: str = "es",
) -> Value:
    """Evaluate ``text`` with ``answers`` (question name -> value; a list for a repeated
    question): what ``fieldkit forms eval 'EXPR' --answers ANSWERS.json`` prints, through
    ``format_value``."""
    context = MappingContext(answers, current=current, clock=clock, language=language)
    return evaluate(parse(text), context)
