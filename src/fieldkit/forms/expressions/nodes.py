"""The syntax tree of an expression, and its canonical text (``unparse``).

Nodes compare by structure: ``pos`` (0-based offset in the text, for error messages) is left out,
so ``parse("(1+2)")`` and ``parse("1 + 2")`` have equal trees.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from fieldkit.forms.expressions.values import number_to_string

# Binding power of each binary operator (XPath 1.0 §3.4–3.5), loosest first.
BINARY_PRECEDENCE: dict[str, int] = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}
UNARY_PRECEDENCE = 7
_PRIMARY = 8


@dataclass(frozen=True, slots=True)
class Literal:
    """A string (``'text'`` or ``"text"``) or a number (``1``, ``.5``, ``2.``); never negative."""

    value: str | float
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Ref:
    """``${name}``: the answer to the question called ``name``."""

    name: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Current:
    """``.``: the value of the question the expression belongs to."""

    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Parent:
    """``..``: only as the argument of ``position(..)``."""

    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Name:
    """A bare name: a column of the choice being filtered in a ``choice_filter``."""

    name: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: Node
    right: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Node, ...]
    pos: int = field(default=0, compare=False)


Node = Literal | Ref | Current | Parent | Name | Negate | Binary | Call


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children, left to right."""
    stack: list[Node] = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, Negate):
            stack.append(n.operand)
        elif isinstance(n, Binary):
            stack.extend((n.right, n.left))
        elif isinstance(n, Call):
            stack.extend(reversed(n.args))


def _precedence(node: Node) -> int:
    if isinstance(node, Binary):
        return BINARY_PRECEDENCE[node.op]
    if isinstance(node, Negate):
        return UNARY_PRECEDENCE
    return _PRIMARY


def _string_literal(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    # XPath 1.0 literals have no escapes: a text with both quotes is a concat() of pieces.
    pieces = [f"'{piece}'" for piece in text.split("'")]
    return "concat(" + ', "\'", '.join(pieces) + ")"


def _number_literal(x: float) -> str:
    if math.isinf(x):
        return "(1 div 0)"
    return number_to_string(x)


def unparse(node: Node) -> str:
    """Canonical text: single spaces around operators, parentheses only where needed."""
    if isinstance(node, Literal):
        v = node.value
        return _string_literal(v) if isinstance(v, str) else _number_literal(v)
    if isinstance(node, Ref):
        return "${" + node.name + "}"
    if isinstance(node, Current):
        return "."
    if isinstance(node, Parent):
        return ".."
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Negate):
        inner = unparse(node.operand)
        if _precedence(node.operand) < UNARY_PRECEDENCE:
            inner = f"({inner})"
        return "-" + inner
    if isinstance(node, Binary):
        p = BINARY_PRECEDENCE[node.op]
        left, right = unparse(node.left), unparse(node.right)
        if _precedence(node.left) < p:
            left = f"({left})"
        if _precedence(node.right) <= p:
            right = f"({right})"
        return f"{left} {node.op} {right}"
    return node.name + "(" + ", ".join(unparse(a) for a in node.args) + ")"
