"""Maintain the translation catalogue: extract msgids from the code, check, write .po files.

python -m fieldkit.i18n extract [--dry-run] | check
"""

from __future__ import annotations

import argparse
import ast
import logging
import os
import re
import string
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fieldkit.i18n import (
    LOCALE_DIR,
    PACKAGE_DIR,
    PoCatalogue,
    PoEntry,
    _normalize,
    read_po,
)

logger = logging.getLogger("fieldkit.i18n")
_KEYWORDS = frozenset({"_", "N_", "ngettext"})


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )


def _po_string(keyword: str, value: str) -> list[str]:
    pieces = re.findall(r"[^\n]*\n|[^\n]+", value)
    if len(pieces) <= 1:
        return [f'{keyword} "{_escape(value)}"']
    # One physical line per logical line keeps multi-line messages readable in diffs.
    return [f'{keyword} ""', *(f'"{_escape(piece)}"' for piece in pieces)]


def _wrap_references(references: Sequence[str], width: int = 79) -> list[str]:
    lines: list[str] = []
    line = "#:"
    for reference in references:
        if line != "#:" and len(line) + 1 + len(reference) > width:
            lines.append(line)
            line = "#:"
        line += " " + reference
    if line != "#:":
        lines.append(line)
    return lines


def format_po(catalogue: PoCatalogue) -> str:
    """Render a catalogue as .po text, in the order of ``catalogue.entries``."""
    blocks: list[str] = []
    for entry in catalogue.entries.values():
        lines = list(entry.comments)
        lines += _wrap_references(entry.references)
        if entry.flags:
            lines.append("#, " + ", ".join(entry.flags))
        lines += _po_string("msgid", entry.msgid)
        if entry.msgid_plural is None:
            lines += _po_string("msgstr", entry.msgstr)
        else:
            lines += _po_string("msgid_plural", entry.msgid_plural)
            for i, form in enumerate(entry.msgstr_plural):
                lines += _po_string(f"msgstr[{i}]", form)
        blocks.append("\n".join(lines))
    if catalogue.trailing_comments:
        blocks.append("\n".join(catalogue.trailing_comments))
    return "\n\n".join(blocks) + "\n"


def write_po(path: Path, catalogue: PoCatalogue) -> None:
    """Write a catalogue atomically, so an interrupted write leaves the old file intact."""
    text = format_po(catalogue)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as tmp:
            tmp.write(text)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _new_catalogue(language: str) -> PoCatalogue:
    header = (
        "Project-Id-Version: fieldkit\n"
        f"Language: {language}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        "Plural-Forms: nplurals=2; plural=(n != 1);\n"
    )
    return PoCatalogue({"": PoEntry(msgid="", msgstr=header)})


# --------------------------------------------------------------------------- extraction


@dataclass
class Message:
    """A translatable string found in the source code."""

    msgid: str
    msgid_plural: str | None = None
    references: list[str] = field(default_factory=list)
    formatted: bool = False  # whether some call site runs str.format on it


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _python_files(root: Path) -> Iterable[Path]:
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if any(p == "__pycache__" or p.startswith(".") for p in parts):
            continue
        yield path


_ERROR_CLASSES = frozenset(
    {
        "AuthorizationError",
        "BundleError",
        "FieldkitError",
        "ValidationError",
        "NotFoundError",
        "TransitionError",
        "ProfileError",
        "RestoreError",
    }
)


def find_messages(root: Path) -> dict[str, Message]:
    """Find the literal msgids of ``_()``, ``N_()`` and ``ngettext()`` calls in ``root/**/*.py``,
    and the first argument of fieldkit's error classes (``ValidationError("…", x=1)``)."""
    found: dict[str, Message] = {}
    for path in _python_files(root):
        reference_path = path.relative_to(root.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _call_name(node)
            if name in _ERROR_CLASSES:
                # fieldkit.domain.errors carry a Spanish msgid translated where they are shown;
                # one built elsewhere (N_("…") passed in) was extracted where it was written.
                if not node.args or _literal(node.args[0]) is None:
                    continue
                name = "N_"
            elif name not in _KEYWORDS:
                continue
            where = f"{reference_path}:{node.lineno}"
            wanted = 2 if name == "ngettext" else 1
            literals = [_literal(arg) for arg in node.args[:wanted]]
            if len(literals) < wanted or None in literals:
                logger.warning("%s: %s() without literal text cannot be extracted", where, name)
                continue
            msgid = literals[0]
            assert msgid is not None
            if not msgid:
                logger.warning("%s: %s() with an empty message id", where, name)
                continue
            message = found.setdefault(msgid, Message(msgid))
            message.references.append(where)
            if name == "ngettext":
                message.formatted = True
                if message.msgid_plural is None:
                    message.msgid_plural = literals[1]
                elif message.msgid_plural != literals[1]:
                    logger.warning("%s: %r has another plural elsewhere", where, msgid)
            elif node.keywords or (name == "N_" and _fields(msgid)):
                # N_ templates are formatted later, where they are translated.
                message.formatted = True
    return found


def extract(root: Path, po_path: Path, *, dry_run: bool = False) -> list[str]:
    """Add to ``po_path`` the msgids of ``root`` it lacks; return them (nothing written if dry_run).

    Existing entries keep their translations, obsolete ones are kept too (nothing is lost),
    references are refreshed and entries are sorted by msgid after the header.
    """
    found = find_messages(root)
    exists = po_path.exists()
    catalogue = read_po(po_path) if exists else _new_catalogue(_normalize(po_path.stem))
    entries = dict(catalogue.entries)
    new: list[str] = []
    for msgid, message in found.items():
        entry = entries.get(msgid)
        if entry is None:
            entry = PoEntry(msgid=msgid, msgid_plural=message.msgid_plural)
            if message.msgid_plural is not None:
                entry.msgstr_plural = ["", ""]
            entries[msgid] = entry
            new.append(msgid)
        elif message.msgid_plural is not None and entry.msgid_plural != message.msgid_plural:
            # Like msgmerge: keep what the translator wrote but flag it for review.
            if entry.msgid_plural is None:
                entry.msgstr_plural = [entry.msgstr, ""]
                entry.msgstr = ""
            entry.msgid_plural = message.msgid_plural
            if not entry.fuzzy:
                entry.flags.append("fuzzy")
        entry.references = list(message.references)
    header = {"": entries.pop("")} if "" in entries else {}
    catalogue.entries = header | {k: entries[k] for k in sorted(entries)}
    if not dry_run:
        text = format_po(catalogue)
        if not exists or po_path.read_text(encoding="utf-8") != text:
            write_po(po_path, catalogue)
    return sorted(new)


def _fields(text: str) -> set[str] | None:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    return {re.split(r"[.\[]", name, maxsplit=1)[0] for _lit, name, _spec, _conv in parsed if name}


def check(root: Path, po_path: Path) -> dict[str, str]:
    """Return ``{msgid: problem}`` for the msgids of ``root`` that ``po_path`` does not translate."""
    found = find_messages(root)
    entries = read_po(po_path).entries if po_path.exists() else {}
    problems: dict[str, str] = {}
    for msgid, message in sorted(found.items()):
        entry = entries.get(msgid)
        if entry is None:
            problems[msgid] = "missing"
            continue
        if not entry.is_translated:
            problems[msgid] = "fuzzy" if entry.fuzzy else "untranslated"
            continue
        if message.msgid_plural is not None and entry.msgid_plural is None:
            problems[msgid] = "used with ngettext but has no plural forms"
            continue
        if not message.formatted:
            continue
        sources = [msgid] if message.msgid_plural is None else [msgid, message.msgid_plural]
        expected: set[str] = set().union(*(_fields(s) or set() for s in sources))
        translations = [entry.msgstr] if entry.msgid_plural is None else entry.msgstr_plural
        for translation in translations:
            got = _fields(translation)
            if message.msgid_plural is None:
                ok = got == expected
            else:
                # A singular form may leave out {n} ("one visit"), so only unknown fields are errors.
                ok = got is not None and got <= expected | {"n"}
            if not ok:
                problems[msgid] = f"placeholders differ in {translation!r}"
                break
    return problems


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m fieldkit.i18n extract|check``: maintain the English catalogue."""
    parser = argparse.ArgumentParser(
        prog="python -m fieldkit.i18n", description="Maintain fieldkit's translation catalogue."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("extract", "add new msgids from the source code to the catalogue"),
        ("check", "list msgids that are missing or untranslated; exit 1 if any"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--root", type=Path, default=PACKAGE_DIR, help="package to scan")
        command.add_argument("--po", type=Path, default=LOCALE_DIR / "en.po", help="catalogue")
        if name == "extract":
            command.add_argument("--dry-run", action="store_true", help="do not write the .po")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")

    if args.command == "extract":
        new = extract(args.root, args.po, dry_run=args.dry_run)
        verb = "would add" if args.dry_run else "added"
        print(f"{verb} {len(new)} new msgid(s) to {args.po}")
        for msgid in new:
            print(f"  {msgid!r}")
        return 0

    problems = check(args.root, args.po)
    for msgid, problem in problems.items():
        print(f"{problem}: {msgid!r}")
    if problems:
        print(f"{len(problems)} msgid(s) need work in {args.po}", file=sys.stderr)
        return 1
    return 0
