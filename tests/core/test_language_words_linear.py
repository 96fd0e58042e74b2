"""The words that tell a message's language, read word by word (stop 28).

``_common_words`` looked for a sentence start by searching the whole text before each word: a
4,000-character message took ~0.1 s per reading (quadratic), read several times per message. It now
reads the previous word and the blank between; these tests hold it to the plain definition (a
sentence starts at the text's start, after a line break, or after « . ! ? … : ; »).
"""

from __future__ import annotations

import random
import re

import pytest

from conversations import understanding
from conversations.understanding import written_language

_PLAIN_START = re.compile(r"(?:^|[.!?…:;\n]\s*)$")


def _plain_common_words(text: str) -> list[str]:
    """The definition, written plainly (quadratic): a capitalised word inside a sentence is a name's."""
    raw = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", text)]
    named = []
    for start, token in raw:
        word = token.strip("\"'«»“”‘’()[]{},.;:!?…")
        first = _PLAIN_START.search(text[:start].rstrip(" \t")) is not None
        acronym = len(word) >= 2 and word.isupper() and word.isalpha()
        named.append(bool(word) and not understanding._I_WORDS.match(word) and (acronym or (word[:1].isupper() and not first)))
    for index, (_, token) in enumerate(raw):
        if 0 < index < len(raw) - 1 and named[index - 1] and named[index + 1] and understanding.fold(token) in understanding._NAME_LINKS:
            named[index] = True
    kept = " ".join(token for (_, token), name in zip(raw, named, strict=True) if not name)
    return understanding._BOTH_LANGUAGES.sub(" ", understanding._words(kept).replace("'", " ")).split(" ")


_PIECES = [
    "Bonjour",
    "bonjour",
    "nous",
    "cherchons",
    "des",
    "Restos",
    "du",
    "Cœur",
    "FC",
    "Bron",
    "I'm",
    "Sarah",
    "from",
    "we",
    "need",
    "a",
    "van",
    ".",
    "!",
    "?",
    "…",
    ":",
    ";",
    ",",
    "\n",
    "\n\n",
    " ",
    "\t",
    "\r",
    "\u00a0",
    "Les",
    "Jardins",
    "de",
    "Gerland",
    "non",
    "profit",
    "merci",
    "(asso)",
    "«",
    "»",
    "On",
    "peut",
    "prêter",
    "Hi",
    "US",
    "Villeurbanne",
]


@pytest.mark.parametrize("seed", range(40))
def test_the_words_read_are_those_of_the_plain_definition(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice(_PIECES) + rng.choice(("", " ", " ", "\n", ". ", "! ", "\t")) for _ in range(rng.randint(1, 60)))
    assert understanding._common_words(text) == _plain_common_words(text), repr(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi, I'm Tom from Les Restos du Cœur, we need a van for Saturday.", "en"),
        ("Bonjour. Nous cherchons un camion pour samedi\nMerci à Les Restos du Cœur", "fr"),
        ("hello!\nWe are looking for volunteers for our garden and we need tools", "en"),
    ],
)
def test_sentences_and_names_still_tell_the_language(text: str, expected: str) -> None:
    assert written_language(text) == expected


def test_a_long_message_is_read_whole() -> None:
    """4,000 characters of the same words: the same language as one of them, every word counted."""
    text = "nous cherchons des bénévoles pour la collecte. " * 85
    assert written_language(text[:4000], strong=True) == "fr"
    assert len(understanding._common_words(text)) >= 85 * 7
