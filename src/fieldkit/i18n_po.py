"""Read gettext .po catalogues (loaded only when a language other than Spanish is used)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# --------------------------------------------------------------------------- .po files


class PoSyntaxError(ValueError):
    """A .po file that does not follow the gettext format."""


@dataclass
class PoEntry:
    """One message of a .po file; the header is the entry whose msgid is empty."""

    msgid: str
    msgstr: str = ""
    msgid_plural: str | None = None
    msgstr_plural: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # raw "#", "#.", "#|", "#~" lines

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def is_translated(self) -> bool:
        # gettext ignores fuzzy translations at run time, so they count as missing here too.
        if self.fuzzy:
            return False
        if self.msgid_plural is None:
            return bool(self.msgstr)
        return len(self.msgstr_plural) >= 2 and all(self.msgstr_plural)


@dataclass
class PoCatalogue:
    """A parsed .po file: entries by msgid in file order, plus comments left after the last one."""

    entries: dict[str, PoEntry] = field(default_factory=dict)
    trailing_comments: list[str] = field(default_factory=list)


_KEYWORD_RE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(.*)")
_QUOTED_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE_RE = re.compile(r"\\(.)")
_UNESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\",
    "a": "\a", "b": "\b", "f": "\f", "v": "\v",
}  # fmt: skip


@dataclass
class _PendingEntry:
    line: int = 0
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    current: str | int | None = None  # the field that continuation lines extend

    def has_translation(self) -> bool:
        return self.msgstr is not None or bool(self.msgstr_plural)

    def append(self, key: str | int, text: str) -> None:
        if isinstance(key, int):
            self.msgstr_plural[key] += text
        else:
            setattr(self, key, getattr(self, key) + text)


def _unquote(value: str, where: str) -> str:
    match = _QUOTED_RE.fullmatch(value.strip())
    if match is None:
        raise PoSyntaxError(f"{where}: expected a quoted string, found {value!r}")

    def unescape(m: re.Match[str]) -> str:
        try:
            return _UNESCAPES[m.group(1)]
        except KeyError:
            raise PoSyntaxError(f"{where}: unknown escape \\{m.group(1)}") from None

    return _ESCAPE_RE.sub(unescape, match.group(1))


def parse_po(text: str, source: str = "<po>") -> PoCatalogue:
    """Parse the text of a gettext .po file; ``source`` names it in error messages."""
    catalogue = PoCatalogue()
    pending = _PendingEntry()

    def finish(where: str) -> None:
        nonlocal pending
        if pending.msgid is None:
            # Comments not yet followed by a msgid belong to the next entry.
            return
        if pending.msgid_plural is None:
            if pending.msgstr is None or pending.msgstr_plural:
                raise PoSyntaxError(f"{source}:{pending.line}: msgid needs exactly one msgstr")
            msgstr, forms = pending.msgstr, []
        else:
            if pending.msgstr is not None or not pending.msgstr_plural:
                raise PoSyntaxError(f"{source}:{pending.line}: msgid_plural needs msgstr[N] lines")
            if sorted(pending.msgstr_plural) != list(range(len(pending.msgstr_plural))):
                raise PoSyntaxError(f"{source}:{pending.line}: msgstr[N] indices must be 0, 1, …")
            msgstr = ""
            forms = [pending.msgstr_plural[i] for i in range(len(pending.msgstr_plural))]
        if pending.msgid in catalogue.entries:
            raise PoSyntaxError(f"{where}: duplicate msgid {pending.msgid!r}")
        catalogue.entries[pending.msgid] = PoEntry(
            msgid=pending.msgid,
            msgstr=msgstr,
            msgid_plural=pending.msgid_plural,
            msgstr_plural=forms,
            references=pending.references,
            flags=pending.flags,
            comments=pending.comments,
        )
        pending = _PendingEntry()

    lineno = 0
    for lineno, raw in enumerate(text.splitlines(), start=1):
        where = f"{source}:{lineno}"
        line = raw.strip()
        if not line:
            finish(where)
            continue
        if line.startswith("#"):
            if pending.msgid is not None:
                finish(where)
            if line.startswith("#:"):
                pending.references.extend(line[2:].split())
            elif line.startswith("#,"):
                pending.flags.extend(f.strip() for f in line[2:].split(",") if f.strip())
            else:
                pending.comments.append(line)
            continue
        if line.startswith('"'):
            if pending.current is None:
                raise PoSyntaxError(f"{where}: string continuation without a keyword")
            pending.append(pending.current, _unquote(line, where))
            continue
        match = _KEYWORD_RE.fullmatch(line)
        if match is None:
            raise PoSyntaxError(f"{where}: cannot read {line!r}")
        keyword, index, value = match.groups()
        value = _unquote(value, where)
        if keyword == "msgctxt":
            raise PoSyntaxError(f"{where}: msgctxt is not supported by fieldkit")
        if keyword == "msgid":
            if pending.msgid is not None:
                finish(where)
            pending.msgid, pending.line, pending.current = value, lineno, "msgid"
            continue
        if pending.msgid is None:
            raise PoSyntaxError(f"{where}: {keyword} before msgid")
        if keyword == "msgid_plural":
            if pending.msgid_plural is not None or pending.has_translation():
                raise PoSyntaxError(f"{where}: misplaced msgid_plural")
            pending.msgid_plural, pending.current = value, "msgid_plural"
        elif index is None:
            if pending.has_translation():
                raise PoSyntaxError(f"{where}: second msgstr for one msgid")
            pending.msgstr, pending.current = value, "msgstr"
        else:
            position = int(index)
            if position in pending.msgstr_plural:
                raise PoSyntaxError(f"{where}: repeated msgstr[{position}]")
            pending.msgstr_plural[position] = value
            pending.current = position
    finish(f"{source}:{lineno}")
    catalogue.trailing_comments = pending.comments
    return catalogue


def read_po(path: Path) -> PoCatalogue:
    """Read and parse a UTF-8 .po file."""
    return parse_po(path.read_text(encoding="utf-8"), source=str(path))
