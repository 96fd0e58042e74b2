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


def names_match(query: str, name: str) -> bool:
    """Whether what was typed is part of ``name`` (ignoring case, accents and punctuation)."""
    key = name_key(query)
    return bool(key) and key in name_key(name)
