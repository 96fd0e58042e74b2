"""Telegram's send limits shared by several workers (PostgreSQL): see :mod:`storage.pacing`.

Each worker's ``SendQueue`` paces its own sends; with N webhook workers that alone would let
N × 30 messages a second through (and N × the per-chat rate to a person several workers answer).
:class:`SharedPacing` makes every send also reserve its slot in the schedules all workers share:
overall at ``rate_per_second`` (no burst), per chat at ``rate_per_chat`` with ``chat_burst``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from storage import pacing


class SharedPacing:
    """A ``SendQueue.shared`` hook: one small non-durable transaction per send."""

    def __init__(
        self,
        db: Any,
        platform: str,
        rate_per_second: float,
        rate_per_chat: float,
        chat_burst: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.db = db
        self.platform = platform
        self.overall = (platform, 1.0 / rate_per_second, 0.0)
        self.chat_interval = 1.0 / rate_per_chat
        self.chat_tolerance = max(0.0, chat_burst - 1.0) * self.chat_interval
        self.clock = clock

    async def __call__(self, chat_id: str, person_wrote: bool = False) -> float:
        """Reserve a send to ``chat_id``; the seconds to wait. ``person_wrote``: the reply to what the
        person just wrote, not held back by what was sent before (the chat's burst starts afresh)."""
        chat = f"{self.platform}:chat:{chat_id}"
        limits = (self.overall, (chat, self.chat_interval, self.chat_tolerance))
        refill = (chat,) if person_wrote else ()
        now = self.clock()
        return float(await self.db.transaction(lambda conn: pacing.reserve(conn, limits, now, refill), durable=False))
