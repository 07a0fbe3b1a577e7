"""A precedence-climbing (Pratt) parser for XPath 1.0 expressions with XLSForm's ``${name}``.

The lexer is driven by the parser because XPath's lexical rules depend on what came before
(XPath 1.0 §3.7): after an operand, ``and``/``or``/``div``/``mod`` are operators (so ``1and1`` and
``'1'mod'1'`` read as ODK clients read them) and ``*`` multiplies; before an operand, a name is a
function (when ``(`` follows) or a bare name. Location paths (``/a/b``, ``[...]``, ``@x``, ``|``)
are refused with a message pointing at ``${name}``.
"""

from __future__ import annotations

import re

from fieldkit.forms.expressions import errors as E
from fieldkit.forms.expressions.errors import ExpressionError
from fieldkit.forms.expressions.functions import check_call
from fieldkit.forms.expressions.nodes import (
    BINARY_PRECEDENCE,
    Binary,
    Call,
    Current,
    Literal,
    Name,
    Negate,
    Node,
    Parent,
    Ref,
)

_SPACE = " \t\r\n"  # XPath's ExprWhitespace; other control characters are errors
_NCNAME = r"[^\W\d][\w.\-]*"
_QNAME = re.compile(rf"{_NCNAME}(?::{_NCNAME})?")
_NAME_START = re.compile(r"[^\W\d]")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_REFERENCE = re.compile(rf"\$\{{({_NCNAME})\}}")
_WORD_OPERATORS = ("and", "or", "div", "mod")
_PUNCTUATION = frozenset("()[],.$'\"=!<>+-*/|@:")  # characters XPath gives a meaning to
_MAX_DEPTH = 100
_SHOWN = 24  # longest token quoted back in a message


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.depth = 0

    # ---------------------------------------------------------------------------- helpers

    def error(self, msgid: str, at: int, **params: object) -> ExpressionError:
        return ExpressionError(msgid, position=at + 1, text=self.text, **params)

    def skip_space(self) -> int:
        text, i = self.text, self.i
        while i < len(text) and text[i] in _SPACE:
            i += 1
        self.i = i
        return i

    def token_at(self, i: int) -> str:
        """The token starting at ``i``, as quoted back to the person in a message."""
        text = self.text
        for pattern in (_QNAME, _NUMBER, _REFERENCE):
            m = pattern.match(text, i)
            if m:
                return m[0][:_SHOWN]
        if text[i] in "'\"":
            end = text.find(text[i], i + 1)
            token = text[i : end + 1] if end >= 0 else text[i:]
            return token if len(token) <= _SHOWN else token[: _SHOWN - 1] + "…"
        if text.startswith(("!=", "<=", ">=", ".."), i):
            return text[i : i + 2]
        return text[i]

    def unexpected(self, i: int, msgid: str, **params: object) -> ExpressionError:
        """``msgid`` for a token out of place, or "carácter no válido" for one foreign to XPath."""
        ch = self.text[i]
        if ch not in _PUNCTUATION and not ch.isalnum() and ch != "_":
            return self.error(E.INVALID_CHARACTER, i, found=ch)
        return self.error(msgid, i, **params)

    def enter(self, at: int) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise self.error(E.TOO_DEEP, at)

    # ----------------------------------------------------------------------------- grammar

    def parse(self) -> Node:
        node = self.expression(0)
        i = self.skip_space()
        if i < len(self.text):
            if self.text[i] == ")":
                raise self.error(E.UNMATCHED_CLOSE, i)
            raise self.unexpected(i, E.EXPECTED_OPERATOR, found=self.token_at(i))
        return node

    def expression(self, min_precedence: int) -> Node:
        left = self.unary()
        while True:
            found = self.operator()
            if found is None:
                return left
            op, start, end = found
            precedence = BINARY_PRECEDENCE[op]
            if precedence <= min_precedence:
                return left
            self.i = end
            left = Binary(op, left, self.expression(precedence), pos=start)

    def operator(self) -> tuple[str, int, int] | None:
        """The binary operator at the cursor (not consumed), or None for anything else."""
        text = self.text
        i = self.skip_space()
        if i >= len(text):
            return None
        if text.startswith(("!=", "<=", ">="), i):
            return text[i : i + 2], i, i + 2
        ch = text[i]
        if ch in "=<>+-*":
            return ch, i, i + 1
        for word in _WORD_OPERATORS:
            # "1and1" is "1 and 1"; "1 order" is not "1 or der".
            if text.startswith(word, i) and not _NAME_START.match(text, i + len(word)):
                return word, i, i + len(word)
        if ch in "/|[":
            raise self.error(E.PATHS_UNSUPPORTED, i, found=ch)
        return None

    def unary(self) -> Node:
        i = self.skip_space()
        if i < len(self.text) and self.text[i] == "-":
            self.i = i + 1
            self.enter(i)
            operand = self.unary()
            self.depth -= 1
            return Negate(operand, pos=i)
        return self.primary()

    def primary(self) -> Node:
        text = self.text
        i = self.skip_space()
        if i >= len(text):
            raise self.error(E.MISSING_VALUE, i)
        ch = text[i]
        if ch == "(":
            self.enter(i)
            self.i = i + 1
            node = self.expression(0)
            self.expect_close()
            self.depth -= 1
            return node
        if ch in "'\"":
            end = text.find(ch, i + 1)
            if end < 0:
                raise self.error(E.UNTERMINATED_TEXT, i, quote=ch)
            self.i = end + 1
            return Literal(text[i + 1 : end], pos=i)
        m = _NUMBER.match(text, i)
        if m:
            self.i = m.end()
            return Literal(float(m[0]), pos=i)
        if text.startswith("..", i):
            self.i = i + 2
            return Parent(pos=i)
        if ch == ".":
            self.i = i + 1
            return Current(pos=i)
        if ch == "$":
            m = _REFERENCE.match(text, i)
            if not m:
                raise self.error(E.BAD_REFERENCE, i)
            self.i = m.end()
            return Ref(m[1], pos=i)
        m = _QNAME.match(text, i)
        if m:
            return self.name(m[0], i, m.end())
        if ch in "/@[|":
            raise self.error(E.PATHS_UNSUPPORTED, i, found=ch)
        if ch in "),=<>+*!" and (ch != "!" or text.startswith("!=", i)):
            raise self.error(E.EXPECTED_VALUE, i, found=self.token_at(i))
        raise self.error(E.INVALID_CHARACTER, i, found=ch)

    def name(self, name: str, start: int, end: int) -> Node:
        text = self.text
        self.i = end
        after = self.skip_space()
        if after < len(text) and text[after] == "(":
            return self.call(name, start, after + 1)
        if text.startswith("::", end):  # an axis: child::x, self::node()
            raise self.error(E.PATHS_UNSUPPORTED, start, found=name + "::")
        if ":" in name:  # a prefixed element name
            raise self.error(E.PATHS_UNSUPPORTED, start, found=name)
        self.i = end
        return Name(name, pos=start)

    def call(self, name: str, start: int, after_paren: int) -> Node:
        text = self.text
        self.enter(start)
        self.i = after_paren
        args: list[Node] = []
        i = self.skip_space()
        if i < len(text) and text[i] == ")":
            self.i = i + 1
        else:
            while True:
                args.append(self.expression(0))
                i = self.skip_space()
                if i >= len(text):
                    raise self.error(E.EXPECTED_COMMA_AT_END, i)
                if text[i] == ",":
                    self.i = i + 1
                    continue
                if text[i] == ")":
                    self.i = i + 1
                    break
                raise self.unexpected(i, E.EXPECTED_COMMA_FOUND, found=self.token_at(i))
        self.depth -= 1
        node = Call(name, tuple(args), pos=start)
        try:
            check_call(node)
        except ExpressionError as e:
            e.text = text
            raise
        return node

    def expect_close(self) -> None:
        i = self.skip_space()
        if i >= len(self.text):
            raise self.error(E.EXPECTED_AT_END, i, expected=")")
        if self.text[i] != ")":
            raise self.unexpected(i, E.EXPECTED_FOUND, expected=")", found=self.token_at(i))
        self.i = i + 1


def parse_tree(text: str) -> Node:
    """The syntax tree of ``text``, or an ExpressionError naming the position of the mistake."""
    return _Parser(text).parse()
