"""Text folded for comparison: accents taken off (:func:`strip_accents`, the one implementation
the other layers build their own foldings on) and people's typed names compared with stored
ones (searching actors by name)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["name_key", "name_score", "names_match", "strip_accents"]

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


_TOWN = "0townhall0"
"""The one word a town hall's names become: a whole word only ("ville" is not the start of "Villeurbanne")."""
_AUTHORITY_PHRASES = (
    ("hotel de ville", _TOWN),
    ("town hall", _TOWN),
    ("city hall", _TOWN),
    ("city council", _TOWN),
    ("town council", _TOWN),
    ("city of", _TOWN),
    ("town of", _TOWN),
)
_AUTHORITY_WORDS = {word: _TOWN for word in ("mairie", "ville", "commune", "municipalite", "city", "town")}
"""The names a local authority goes by, said one way: "Mairie de Villeurbanne", "Commune de
Villeurbanne", "City of Villeurbanne" and "Ville de Villeurbanne" are one name."""


@lru_cache(maxsize=65536)
def _match_key(text: str) -> str:
    """:func:`name_key` with the local authority's names made one (mairie, ville, commune, town hall, city of…)."""
    key = f" {name_key(text)} "
    for phrase, said in _AUTHORITY_PHRASES:
        if f" {phrase} " in key:
            key = key.replace(f" {phrase} ", f" {said} ")
    return " ".join(_AUTHORITY_WORDS.get(word, word) for word in key.split())


def _significant(words: list[str]) -> list[str]:
    return [word for word in words if word not in _LITTLE_WORDS] or words


def _initials(words: list[str]) -> str:
    """The first letters of the significant words: "centre communal d action sociale" → "ccas"."""
    return "".join(word[0] for word in words if word not in _LITTLE_WORDS)


_ACRONYM = 3
"""An acronym is read as such from three letters on ("CCAS", "MJC"): shorter ones match too much."""


@lru_cache(maxsize=65536)
def _parts(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...], str]:
    """A name as compared: its key, its words, its significant words, their initials."""
    key = _match_key(text)
    words = key.split()
    return key, tuple(words), tuple(_significant(words)), _initials(words)


@lru_cache(maxsize=4096)
def _runs(typed: tuple[str, ...]) -> frozenset[str]:
    """The initials of every run of three or more significant typed words (the acronyms they may spell)."""
    return frozenset(
        _initials(list(typed[i:j]))
        for i in range(len(typed))
        for j in range(i + _ACRONYM, len(typed) + 1)
        if len(_significant(list(typed[i:j]))) >= _ACRONYM
    )


def _expanded(typed: list[str], words: tuple[str, ...]) -> list[str]:
    """The typed words where a run of three or more is the initials of one of the name's words
    ("centre communal d action sociale" when the name says "CCAS") replaced by that word."""
    acronyms = {word for word in words if len(word) >= _ACRONYM}
    out: list[str] = []
    i = 0
    while i < len(typed):
        for j in range(len(typed), i + _ACRONYM - 1, -1):
            if _initials(typed[i:j]) in acronyms and len(_significant(typed[i:j])) >= _ACRONYM:
                out.append(_initials(typed[i:j]))
                i = j
                break
        else:
            out.append(typed[i])
            i += 1
    return out


def names_match(query: str, name: str) -> bool:
    """Whether what was typed designates ``name``, ignoring case, accents and punctuation: a part
    of the name ("picerie solidaire"), or its words in any order, each typed word the start of
    one of the name's ("epicerie du mas", "mas epicerie", "epic sol" for "Épicerie solidaire du
    Mas"); the little words ("de", "du", "la"…) may be wrong or missing, not the others. A local
    authority's names are one ("mairie de villeurbanne" finds "Ville de Villeurbanne — vie
    associative"), and an acronym of three letters or more stands for the words it abbreviates
    ("ccas lyon" finds "Centre communal d'action sociale de Lyon", and the other way round)."""
    return name_score(query, name) > 0


def name_score(query: str, name: str) -> int:
    """How well what was typed designates ``name``: 3 the whole name (little words aside), 2 whole
    words of it ("restos du coeur" for "Les Restos du Cœur"), 1 a match as :func:`names_match`
    says, 0 none. Lists of names found show the best first."""
    key, typed, significant, _ = _parts(query)
    if not key:
        return 0
    full, words, whole, initials = _parts(name)
    spelt = key
    if len(typed) >= _ACRONYM and not _runs(typed).isdisjoint(words):  # "centre communal d action sociale" for "CCAS"
        expanded = _expanded(list(typed), words)
        spelt, significant = " ".join(expanded), tuple(_significant(expanded))
    if significant == whole:
        return 3
    if f" {spelt} " in f" {full} ":
        return 2
    if key in full:
        return 1
    if all(any(word.startswith(part) for word in words) or (len(part) >= _ACRONYM and part in initials) for part in significant):
        return 1
    return 0
