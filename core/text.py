"""How people's typed names are compared with stored ones (searching actors by name)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["name_key", "names_match"]

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Case-, accent- and punctuation-free form of a name, for every script: "L’Épicerie
    Solidaire (Soie)" → "l epicerie solidaire soie". SQLite's ``lower()`` and ``LIKE`` fold ASCII
    letters only, so names are compared in Python, the same way on SQLite and PostgreSQL."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    kept = "".join(" " if not c.isalnum() else c for c in folded if not unicodedata.combining(c))
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
