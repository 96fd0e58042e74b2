"""Meaning vectors as the engine sees them: compact int8 rows, their hubness, and the blob format.

A vector is stored as one blob: a version byte, the *hubness* (float32: how close the text is
to ordinary descriptions in general, see ``matching.background``) and the int8 components
(the unit vector scaled so that its largest component is ±127). Dot products of int8-valued
float32 rows are exact (every partial sum is an integer below 2²⁴), so a pair scores the same
bit for bit whichever side computes it. Pure: no model here (``bot.embeddings`` makes them).
"""

from __future__ import annotations

import re
import struct
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

__all__ = ["BLOB_VERSION", "DIM", "Vectors", "decode_blob", "encode_blob", "meaningful_text", "quantize"]

DIM = 384
BLOB_VERSION = 1
_HEADER = struct.Struct("<Bf")
MAX_CHARS = 1500
"""Longer descriptions are embedded on their first characters (the model reads ~512 tokens)."""
_WORD = re.compile(r"[^\W_]{2,}|\d", re.UNICODE)
_SURROGATE = re.compile("[\ud800-\udfff]")


def meaningful_text(text: str | None) -> str | None:
    """The text to embed, or None when it says nothing (empty, emoji or punctuation only).

    In compatibility form (NFKC), as the model's tokenizer reads it anyway: its C tokenizer
    expands each character in a buffer sized for four code points per UTF-8 byte, and « ﷺ »
    (18 from 3 bytes) overflowed it and aborted the process (``tests/test_embedding_input.py``);
    after NFKC no character of its table expands. Lone surrogates (no UTF-8 form) are left out.
    """
    if not text:
        return None
    text = unicodedata.normalize("NFKC", _SURROGATE.sub("", text))
    joined = " ".join(text.split())
    if not _WORD.search(joined):
        return None
    return joined[:MAX_CHARS]


def quantize(vector: np.ndarray) -> np.ndarray:
    """A float vector as int8 components (scaled so that the largest is ±127)."""
    v = np.asarray(vector, dtype=np.float32)
    top = float(np.max(np.abs(v))) if v.size else 0.0
    if not np.isfinite(top) or top == 0.0:
        return np.zeros(v.shape, dtype=np.int8)
    return np.clip(np.rint(v / top * 127.0), -127, 127).astype(np.int8)


def encode_blob(vector: np.ndarray, hubness: float) -> bytes:
    """The stored form of a vector (see the module docstring)."""
    return _HEADER.pack(BLOB_VERSION, float(hubness)) + quantize(vector).tobytes()


def decode_blob(blob: bytes | None, dim: int = DIM) -> tuple[np.ndarray, float] | None:
    """``(int8 vector, hubness)``, or None when the blob is missing or corrupt (then recompute it)."""
    if not blob or len(blob) != _HEADER.size + dim:
        return None
    version, hub = _HEADER.unpack_from(blob)
    if version != BLOB_VERSION or not np.isfinite(hub):
        return None
    vector = np.frombuffer(blob, dtype=np.int8, offset=_HEADER.size)
    if not vector.any():
        return None
    return vector, hub


@dataclass(frozen=True, slots=True)
class Vectors:
    """The meaning vectors of a round: one int8 row per listing and per actor that has one.

    Listings or actors without a row (empty description, vector not made yet) are scored on
    category, themes and place only.
    """

    listing_ids: np.ndarray  # int64, sorted
    listing_rows: np.ndarray  # int8 (n, dim)
    listing_hub: np.ndarray  # float32 (n,)
    actor_ids: np.ndarray
    actor_rows: np.ndarray
    actor_hub: np.ndarray

    @classmethod
    def empty(cls, dim: int = DIM) -> Vectors:
        ids = np.zeros(0, dtype=np.int64)
        return cls(
            ids,
            np.zeros((0, dim), dtype=np.int8),
            np.zeros(0, dtype=np.float32),
            ids,
            np.zeros((0, dim), dtype=np.int8),
            np.zeros(0, dtype=np.float32),
        )

    @classmethod
    def from_blobs(
        cls,
        listings: Iterable[tuple[int, bytes]],
        actors: Iterable[tuple[int, bytes]] = (),
        dim: int = DIM,
        sizes: tuple[int, int] | None = None,
    ) -> Vectors:
        """Build from stored blobs (missing or corrupt ones are left out).

        Rows are streamed straight into one int8 matrix per side: no Python object is kept
        per row (a million stored vectors take their 384 MB, not three times that).
        ``sizes`` (listings, actors), when known (a ``COUNT(*)``), sizes the matrices at once;
        otherwise they grow by doubling. Rows may come in any order (sorted by id here).
        """
        expected = sizes or (0, 0)
        return cls(*_stack(listings, dim, expected[0]), *_stack(actors, dim, expected[1]))

    @classmethod
    def from_arrays(
        cls, listings: Mapping[int, tuple[np.ndarray, float]], actors: Mapping[int, tuple[np.ndarray, float]] | None = None
    ) -> Vectors:
        """Build from float (or int8) vectors with their hubness, e.g. straight from an embedder."""
        parts = []
        for found in (listings, actors or {}):
            ids = sorted(found)
            matrix = np.zeros((len(ids), DIM), dtype=np.int8)
            hubs = np.zeros(len(ids), dtype=np.float32)
            for row, owner in enumerate(ids):
                vector, hub = found[owner]
                matrix[row] = vector if np.asarray(vector).dtype == np.int8 else quantize(vector)
                hubs[row] = hub
            parts.append((np.array(ids, dtype=np.int64), matrix, hubs))
        (li, lr, lh), (ai, ar, ah) = parts
        return cls(li, lr, lh, ai, ar, ah)

    @property
    def nbytes(self) -> int:
        return sum(
            a.nbytes for a in (self.listing_ids, self.listing_rows, self.listing_hub, self.actor_ids, self.actor_rows, self.actor_hub)
        )


def _stack(rows: Iterable[tuple[int, bytes]], dim: int, expected: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ids, int8 matrix, hubness) of the decodable blobs of ``rows``, sorted by id."""
    size = max(16, expected)
    ids = np.zeros(size, dtype=np.int64)
    hubs = np.zeros(size, dtype=np.float32)
    matrix = np.zeros((size, dim), dtype=np.int8)
    k = 0
    for owner, blob in rows:
        decoded = decode_blob(blob, dim)
        if decoded is None:
            continue
        if k == size:
            size *= 2
            ids, hubs = np.resize(ids, size), np.resize(hubs, size)
            grown = np.zeros((size, dim), dtype=np.int8)
            grown[:k] = matrix
            matrix = grown
        ids[k], hubs[k] = owner, decoded[1]
        matrix[k] = decoded[0]
        k += 1
    ids, hubs, matrix = ids[:k], hubs[:k], matrix[:k]
    if k and not bool(np.all(ids[1:] > ids[:-1])):
        order = np.argsort(ids, kind="stable")
        ids, hubs, matrix = ids[order], hubs[order], matrix[order]
    if k < size // 2:  # much smaller than reserved (corrupt rows, a wrong count): give the rest back
        ids, hubs, matrix = ids.copy(), hubs.copy(), matrix.copy()
    return ids, matrix, hubs


def rows_for(ids: np.ndarray, wanted: Iterable[int]) -> np.ndarray:
    """Row of each wanted id in the sorted ``ids`` (-1 when absent)."""
    wanted = np.fromiter(wanted, dtype=np.int64)
    if not len(ids):
        return np.full(len(wanted), -1, dtype=np.int64)
    pos = np.searchsorted(ids, wanted)
    pos = np.minimum(pos, len(ids) - 1)
    return np.where(ids[pos] == wanted, pos, -1)
