"""The background worker that keeps the stored meaning vectors up to date while the bot runs
(the model and the embedding itself: :mod:`services.embeddings`)."""

from __future__ import annotations

import asyncio
import logging

from bot.tasks import BackgroundTask
from services.embeddings import (
    E5Embedder,
    Embedder,
    ModelUnavailable,
    embed_pending,
    embedder,
    log_progress,
    use_embedder,
    vectors_for,
)
from storage.database import Database

__all__ = [  # the model and embed_pending moved to services.embeddings; kept importable from here
    "E5Embedder",
    "Embedder",
    "EmbeddingWorker",
    "ModelUnavailable",
    "embed_pending",
    "embedder",
    "log_progress",
    "use_embedder",
    "vectors_for",
]
LOG = logging.getLogger(__name__)


class EmbeddingWorker:
    """Keeps the stored vectors up to date while the bot runs: wakes up when told, or every ``interval`` s."""

    def __init__(self, db: Database, interval: float = 2.0, model: Embedder | None = None) -> None:
        self.db = db
        self.interval = interval
        self.model = model
        self._wake = asyncio.Event()
        self._task = BackgroundTask("traitdunion-embeddings")

    def start(self) -> None:
        self._task.start(self._run())

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        await self._task.stop()

    async def _run(self) -> None:
        first = True
        while True:
            try:
                await embed_pending(self.db, self.model, log_progress("embedding backfill") if first else None)
                first = False
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the next pass retries; matching works without vectors meanwhile
                LOG.exception("embedding pass failed")
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), self.interval)
            except TimeoutError:
                pass
