"""Text rules: accent- and case-insensitive search keys, and readable names from DANE's capitals."""

from __future__ import annotations

import re
import unicodedata

_LOWER_WORDS = frozenset({"de", "del", "la", "las", "los", "el", "y", "e", "en", "a"})
_SEPARATORS = re.compile(r"(\s+|-|,|\(|\))")


# The combining marks of the Latin diacritics block (U+0300–U+036F), built from the Unicode data
# itself: U+034F is in the block but is not a combining mark. Other marks are rare in Colombian
# names and go through the slower general path below.
_DIACRITICS = re.compile(
    "[" + "".join(chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))) + "]"
)


def fold(text: str) -> str:
    """Search key: no accents, no case, single spaces ("Bogotá, D.C." -> "bogota, d.c.").

    ñ folds to n on purpose: people type "narino" for "Nariño" on keyboards without it.
    """
    stripped = _DIACRITICS.sub("", unicodedata.normalize("NFKD", text))
    if not stripped.isascii():
        stripped = "".join(c for c in stripped if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def matches(query: str, *haystacks: str) -> bool:
    """True when every word of the query appears in the folded haystacks."""
    words = fold(query).split()
    key = " ".join(fold(h) for h in haystacks)
    return all(w in key for w in words)


def display_name(official: str) -> str:
    """Spanish title case for DANE's capitals: "SAN ANDRÉS DE TUMACO" -> "San Andrés de Tumaco".

    Abbreviations with dots keep their capitals ("D.C."); particles stay lower case except first.
    """
    parts = _SEPARATORS.split(official.strip())
    out: list[str] = []
    first = True
    for part in parts:
        if not part or _SEPARATORS.fullmatch(part):
            out.append(part)
            continue
        if "." in part and len(part.replace(".", "")) <= 3:
            out.append(part.upper())
            continue
        low = part.lower()
        out.append(low if (low in _LOWER_WORDS and not first) else low[:1].upper() + low[1:])
        first = False
    return "".join(out)
