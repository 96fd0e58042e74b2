"""Text folded for comparison: accents taken off (:func:`strip_accents`, the one implementation
the other layers build their own foldings on) and people's typed names compared with stored
ones (searching actors by name)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["name_key", "names_match", "strip_accents"]

_LIGATURES = (("œ", "oe"), ("Œ", "oe"), ("æ", "ae"), ("Æ", "ae"), ("ß", "ss"))
_combining = unicodedata.combining


def strip_accents(text: str, *, ligatures: bool = True, ascii_only: bool = False) -> str:
    """``text`` without diacritics (é → e, ç → c) and with compatibility forms decomposed (ﬁ → fi,
    ½ → 1⁄2); case, spaces and punctuation untouched. ``ligatures``: œ, æ and ß written out (oe,
    ae, ss). ``ascii_only``: what is still not ASCII afterwards (other scripts, symbols,
    typographic quotes) is dropped too: "L’Œuvre à Москва" → "LOeuvre a "."""
    if text.isascii():  # nothing to decompose nor expand
        return text
    if ligatures:  # str.replace, not str.translate: several times faster on non-ASCII text
        for ligature, written in _LIGATURES:
            if ligature in text:
                text = text.replace(ligature, written)
    decomposed = unicodedata.normalize("NFKD", text)
    if ascii_only:  # the combining accents are not ASCII either
        return decomposed.encode("ascii", "ignore").decode("ascii")
    return "".join([c for c in decomposed if not _combining(c)])


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Case-, accent- and punctuation-free form of a name, for every script: "L’Épicerie
    Solidaire (Soie)" → "l epicerie solidaire soie". SQLite's ``lower()`` and ``LIKE`` fold ASCII
    letters only, so names are compared in Python, the same way on SQLite and PostgreSQL."""
    kept = "".join(c if c.isalnum() else " " for c in strip_accents(text.casefold()))
    return " ".join(kept.split())


_LITTLE_WORDS = frozenset("a au aux d de des du en et l la le les of the and for".split())
"""Little words that do not decide a match: "epicerie de mas" still finds "Épicerie solidaire du Mas"."""


def names_match(query: str, name: str) -> bool:
    """Whether what was typed designates ``name``, ignoring case, accents and punctuation: a part
    of the name ("picerie solidaire"), or its words in any order, each typed word the start of
    one of the name's ("epicerie du mas", "mas epicerie", "epic sol" for "Épicerie solidaire du
    Mas"); the little words ("de", "du", "la"…) may be wrong or missing, not the others."""
    key, full = name_key(query), name_key(name)
    if not key:
        return False
    if key in full:
        return True
    words = full.split()
    typed = key.split()
    significant = [word for word in typed if word not in _LITTLE_WORDS] or typed
    return all(any(word.startswith(part) for word in words) for part in significant)
