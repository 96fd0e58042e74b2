"""French free-text similarity: accent folding, stop-words, Snowball stems, IDF cosine.

Accents are folded *before* stemming so that "précarité" and "precarite" give the same stem
(consistency matters more than linguistic accuracy here). Documents are stored as tuples of
stem ids (small and cheap); similarity is the cosine of binary TF × IDF vectors, computed with
integer weights so that the result does not depend on set iteration order.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterable

import snowballstemmer

from core.text import strip_accents

__all__ = ["STOP_WORDS", "TextIndex", "fold", "stems"]

_WORD = re.compile(r"[a-z0-9]+")

# Folded French stop-words (articles, pronouns, prepositions, auxiliaries, fillers).
STOP_WORDS = frozenset(
    """
    a ai aie aient aies ait alors as au aucun aucune aupres aura aurai auraient aurais aurait
    auras aurez auriez aurions aurons auront aussi autre autres aux avaient avais avait avant
    avec avez aviez avions avoir avons ayant ayez ayons bien c ca ce ceci cela celle celles
    celui cependant ces cet cette ceux chaque chez ci comme comment d dans de des deja depuis
    donc dont du elle elles en encore entre es est et etaient etais etait etant ete etes etiez
    etions etre eu eue eues eumes eurent eus eut eux faire fait fais font hors ici il ils j je
    jusqu l la le les leur leurs lui m ma mais me meme memes mes moi mon n ne ni nos notre
    nous on ont or ou par parce pas peu peut plus pour pourquoi puis qu quand que quel quelle
    quelles quels qui quoi s sa sans se sera serai seraient serais serait seras serez seriez
    serions serons seront ses si sien soi soient sois soit sommes son sont sous soyez soyons
    suis sur t ta te tes toi ton tous tout toute toutes tres tu un une unes uns vers via vos
    votre vous y etc cherche cherchons recherche recherchons propose proposons besoin besoins
    offre offrons souhaite souhaitons
    """.split()
)

_stemmer = snowballstemmer.stemmer("french")
_stem_cache: dict[str, str] = {}


def fold(text: str) -> str:
    """Lower case, ligatures expanded, accents removed: "Précarité, Œuvre" → "precarite, oeuvre"."""
    if text.isascii():  # nothing to expand or fold
        return text.lower()
    if "’" in text:  # an apostrophe all the same ("l’eau" → "l'eau", two words), not dropped
        text = text.replace("’", "'")
    # Lower case first ("™" → "tm", not "TM"), then decomposed, and what is not ASCII dropped:
    # the combining accents (and any non-Latin character, which French descriptions do not
    # need for matching).
    return strip_accents(text.lower(), ascii_only=True)


def stems(text: str | None) -> list[str]:
    """The distinct stems of ``text``, in order of first appearance (stop-words and 1-letter words dropped)."""
    if not text:
        return []
    out: list[str] = []
    seen: set[str] = set()
    cache = _stem_cache
    for word in _WORD.findall(fold(text)):
        if len(word) < 2 or word in STOP_WORDS:
            continue
        stem = cache.get(word)
        if stem is None:
            stem = _stemmer.stemWord(word)
            if len(cache) < 200_000:
                cache[word] = stem
        if stem not in seen:
            seen.add(stem)
            out.append(stem)
    return out


class TextIndex:
    """Documents as tuples of stem ids plus IDF weights; ``similarity(a, b)`` in [0, 1].

    ``docs[i]`` is the tuple of the distinct stem ids of text ``i`` (order of first
    appearance, as :func:`stems`), ``norms`` an ``array('d')`` of their IDF norms.
    """

    def __init__(self, texts: Iterable[str | None]) -> None:
        ids: dict[str, int] = {}
        docs: list[tuple[int, ...]] = []
        df: list[int] = []
        by_text: dict[str, tuple[int, ...]] = {}
        # Folded word -> stem id (-1: stop-word or 1-letter word): each word is stemmed once.
        by_word: dict[str, int] = {}
        stem_cache = _stem_cache
        stem_word = _stemmer.stemWord
        find_words = _WORD.findall
        for text in texts:
            key = text or ""
            doc = by_text.get(key)
            if doc is None:
                doc_ids: dict[int, None] = {}
                for word in find_words(fold(key)) if key else ():
                    i = by_word.get(word)
                    if i is None:
                        if len(word) < 2 or word in STOP_WORDS:
                            i = -1
                        else:
                            stem = stem_cache.get(word)
                            if stem is None:
                                stem = stem_word(word)
                                if len(stem_cache) < 200_000:
                                    stem_cache[word] = stem
                            i = ids.get(stem)
                            if i is None:
                                i = ids[stem] = len(df)
                                df.append(0)
                        if len(by_word) < 200_000:
                            by_word[word] = i
                    if i >= 0:
                        doc_ids[i] = None
                doc = tuple(doc_ids)
                if len(by_text) < 100_000:
                    by_text[key] = doc
            for i in doc:
                df[i] += 1
            docs.append(doc)
        n = max(len(docs), 1)
        # Integer squared weights: sums are exact whatever the order of a set intersection.
        self.weight2 = [round(100 * math.log(1 + n / count)) ** 2 for count in df]
        w2 = self.weight2
        self.docs = docs
        self.norms = array("d", [math.sqrt(sum([w2[i] for i in doc])) for doc in docs])
        self.ids = ids

    def similarity(self, a: int, b: int) -> float:
        """Cosine similarity of documents ``a`` and ``b`` (positions in the input)."""
        common = set(self.docs[a]).intersection(self.docs[b])
        if not common:
            return 0.0
        w2 = self.weight2
        return sum(w2[i] for i in common) / (self.norms[a] * self.norms[b])
