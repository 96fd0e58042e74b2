"""Text normalisation shared by the resolver and the data build script."""

from __future__ import annotations

import re
import unicodedata

from core import text as core_text

__all__ = ["normalize", "strip_accents"]

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def strip_accents(text: str) -> str:
    """Return ``text`` without diacritics (é → e, ç → c), ligatures expanded, ASCII only."""
    return core_text.strip_accents(text, ascii_only=True)


def _build_table() -> dict[int, str]:
    """Map Latin characters to lower-case ASCII, everything else non-alphanumeric to a space."""
    table: dict[int, str] = {}
    for codepoint in range(0x250):  # Basic Latin .. Latin Extended-B
        char = chr(codepoint)
        folded = _NON_ALNUM.sub(" ", strip_accents(char).lower()) or " "
        if folded != char:
            table[codepoint] = folded
    for codepoint in range(0x300, 0x370):  # stray combining marks vanish
        table[codepoint] = ""
    return table


_TABLE = _build_table()


def normalize(text: str) -> str:
    """Fold a place name to a comparable key.

    Lower case, no accents, hyphens/apostrophes/punctuation as single spaces,
    "St"/"Ste" expanded to "saint"/"sainte", "s/" to "sur". Leading articles
    ("la", "le", "les") are kept: they are part of the official name.

    >>> normalize("  St-Étienne ")
    'saint etienne'
    >>> normalize("L'Haÿ-les-Roses")
    'l hay les roses'
    """
    folded = text.replace("s/", " sur ").replace("S/", " sur ").translate(_TABLE)
    if not folded.isascii():  # rare: characters outside Latin (emoji, typographic quotes…)
        kept = "".join(c if unicodedata.category(c)[0] in "LN" else " " for c in folded)
        folded = _NON_ALNUM.sub(" ", strip_accents(kept).lower())
    return " ".join([_ABBREVIATIONS.get(word, word) for word in folded.split()])
