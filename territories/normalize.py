"""Text normalisation shared by the resolver and the data build script."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize", "strip_accents"]

# Characters that separate words in French place names (hyphens, apostrophes, punctuation).
_SEPARATORS = re.compile(r"[^a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "sts": "saints",
    "stes": "saintes",
    "s/": "sur",
}


def strip_accents(text: str) -> str:
    """Return ``text`` without diacritics (é → e, ç → c), ligatures expanded."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return decomposed.encode("ascii", "ignore").decode("ascii")


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
    folded = strip_accents(text).lower().replace("s/", " sur ")
    words = _SEPARATORS.sub(" ", folded).split()
    return " ".join([_ABBREVIATIONS.get(word, word) for word in words])
