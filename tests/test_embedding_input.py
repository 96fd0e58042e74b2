"""Whatever a person types, embedding it never kills the bot (the real model, in a child process).

The model's C tokenizer expands each character to its compatibility form in a buffer sized for
four code points per UTF-8 byte; « ﷺ » (U+FDFA) expands to 18 from 3 bytes, so a few of them
overflowed the heap and aborted the whole process, the bot with it, and again at every restart
(the backfill embeds the same text). A child process: an abort here must fail this test, not
the test run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata

import numpy as np

from matching.vectors import decode_blob, meaningful_text

EMBED_IN_A_CHILD = """
import json, sys
from services.embeddings import vectors_for
texts = json.loads(sys.stdin.read())
print(json.dumps([None if blob is None else blob.hex() for blob in vectors_for(texts)]))
"""


def widest_characters(count: int = 40) -> list[str]:
    """The characters whose compatibility form is longest for their UTF-8 size (« ﷺ » first)."""
    ratios = []
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        ratios.append((len(unicodedata.normalize("NFKC", char)) / len(char.encode()), char))
    ratios.sort(reverse=True)
    return [char for _, char in ratios[:count]]


def embed_in_a_child(texts: list[str]) -> list[bytes | None]:
    done = subprocess.run(
        [sys.executable, "-c", EMBED_IN_A_CHILD], input=json.dumps(texts), capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    return [None if blob is None else bytes.fromhex(blob) for blob in json.loads(done.stdout)]


def test_texts_made_of_expanding_characters_are_embedded() -> None:
    sentences = [
        "Association cultuelle : repas partagé ﷺﷺﷺﷺﷺﷺﷺﷺﷺﷺ",
        "ﷺ" * 1500,
        "Cours d'arabe ﷺ, salle prêtée le samedi ﷻ",
    ]
    blobs = embed_in_a_child(sentences + [char * 60 for char in widest_characters()])
    assert all(blob is not None for blob in blobs[: len(sentences)])
    assert all(decode_blob(blob) is not None for blob in blobs if blob is not None)  # some are punctuation only: None


def test_lone_surrogates_are_left_out() -> None:
    """A text stored by an older version may hold one (clients send them); it once stopped every embedding pass."""
    blobs = embed_in_a_child(["Zo\ud83d et \udfff\ud800 des bénévoles", "\ud800"])
    assert blobs[0] is not None and blobs[1] is None


def test_a_ligature_means_what_its_letters_mean() -> None:
    """« ﷺ » is read as the words it stands for, as the model's own tokenizer would read them."""
    ligature, spelt = embed_in_a_child(["Repas partagé ﷺ", unicodedata.normalize("NFKC", "Repas partagé ﷺ")])
    assert ligature is not None and spelt is not None
    a, b = decode_blob(ligature), decode_blob(spelt)
    assert a is not None and b is not None
    assert np.array_equal(a[0], b[0])


def test_the_text_to_embed_is_in_compatibility_form() -> None:
    assert meaningful_text("ﬁnancement ﷺ") == unicodedata.normalize("NFKC", "ﬁnancement ﷺ")
    assert meaningful_text("Zo\ud83d des bénévoles") == "Zo des bénévoles"
    assert meaningful_text("\ud800") is None
