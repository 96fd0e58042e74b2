"""A flood no longer holds the Bot API's queue: once updates are held back by one person's backlog,
those in flight are recorded durably (``storage/inbox.py``) and confirmed, so that the next ones can
be fetched; what was recorded and not handled before a stop is handled at the next start."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.adapters.telegram import UpdateJournalOnDatabase
from bot.adapters.telegram_updates import RECORD_AFTER, UpdateFetcher
from bot.fairness import FloodGate
from storage.database import open_database
from tests.telegram.test_telegram_updates import update

pytestmark = pytest.mark.backends

FLOODER, OTHER = 1, 2


class PagedBot:
    """Like the Bot API: every update whose id is >= offset, at most ``limit`` (100) per call."""

    def __init__(self, updates: list[Update]) -> None:
        self.updates = updates
        self.offsets: list[int] = []

    async def get_updates(self, offset: int = 0, timeout: int = 0, limit: int = 100, **_: Any) -> list[Update]:
        self.offsets.append(offset)
        self.updates = [u for u in self.updates if u.update_id >= offset]  # confirmed: forgotten
        await asyncio.sleep(0.001)
        return self.updates[:limit]


class MemoryJournal:
    def __init__(self) -> None:
        self.kept: dict[int, Update] = {}
        self.syncs: list[tuple[list[int], list[int]]] = []

    async def sync(self, record: Sequence[Update], forget: Sequence[int]) -> None:
        self.syncs.append(([u.update_id for u in record], list(forget)))
        self.kept.update((u.update_id, u) for u in record)
        for update_id in forget:
            del self.kept[update_id]

    async def waiting(self) -> list[Update]:
        return [self.kept[i] for i in sorted(self.kept)]


async def test_a_backlog_beyond_one_page_of_updates_does_not_hide_the_next_person() -> None:
    """150 updates of one person whose first is stuck, then another person's: the other one is
    fetched and handled (before: the offset stayed at the stuck one, every poll returned the same 100)."""
    flood = [update(i, FLOODER) for i in range(1, 151)]
    bot = PagedBot([*flood, update(151, OTHER)])
    release = asyncio.Event()
    handled: list[int] = []

    async def handle(item: Update) -> None:
        if item.update_id == 1:
            await release.wait()
        handled.append(item.update_id)

    journal = MemoryJournal()
    fetcher = UpdateFetcher(bot, handle, poll_timeout=1, journal=journal)  # type: ignore[arg-type]
    fetcher.start()
    try:
        async with asyncio.timeout(10):
            while 151 not in handled:
                await asyncio.sleep(0.01)
        assert handled == [151]  # the flooder's first is still being handled
        assert max(bot.offsets) > 100  # the Bot API was told to forget the held updates…
        assert set(journal.kept) >= set(range(1, 151))  # …once they were recorded
        release.set()
        async with asyncio.timeout(10):
            while len(handled) < 151 or journal.kept:
                await asyncio.sleep(0.01)
    finally:
        release.set()
        await fetcher.stop()
    assert handled == [151, *range(1, 151)]  # each once, the flooder's in order
    assert journal.kept == {}  # forgotten once handled
    assert len(journal.syncs) <= 10  # recorded in batches, not one transaction per update


async def test_few_updates_in_flight_are_not_recorded() -> None:
    """Under an ordinary load nothing is written: only a backlog that holds the queue is recorded."""
    bot = PagedBot([update(i, 100 + i) for i in range(1, RECORD_AFTER // 2)])
    handled: list[int] = []

    async def handle(item: Update) -> None:
        await asyncio.sleep(0.01)
        handled.append(item.update_id)

    journal = MemoryJournal()
    fetcher = UpdateFetcher(bot, handle, poll_timeout=1, journal=journal)  # type: ignore[arg-type]
    fetcher.start()
    try:
        async with asyncio.timeout(10):
            while len(handled) < RECORD_AFTER // 2 - 1:
                await asyncio.sleep(0.01)
    finally:
        await fetcher.stop()
    assert journal.syncs == []


async def test_recorded_updates_are_handled_at_the_next_start(db_path: Path | str) -> None:
    """Recorded in the database, confirmed to the Bot API, then a stop before handling them: the
    next start handles them (the kill case: nothing is lost), once each, and forgets them."""
    db = await open_database(db_path).open()
    try:
        journal = UpdateJournalOnDatabase(db)
        await journal.sync([update(7, FLOODER), update(8, FLOODER), update(9, OTHER)], [])
        await journal.sync([], [9])  # handled before the stop
        assert [u.update_id for u in await journal.waiting()] == [7, 8]
        bot = PagedBot([update(10, OTHER)])  # the Bot API no longer has 7 and 8
        handled: list[int] = []

        async def handle(item: Update) -> None:
            handled.append(item.update_id)

        gate = FloodGate(burst=1)  # 7 and 8 passed the gate before the stop: not dropped now
        fetcher = UpdateFetcher(bot, handle, poll_timeout=1, journal=journal, gate=gate)  # type: ignore[arg-type]
        fetcher.start()
        try:
            async with asyncio.timeout(10):
                while len(handled) < 3:
                    await asyncio.sleep(0.01)
        finally:
            await fetcher.stop()
        assert handled == [7, 8, 10]
        assert bot.offsets[0] == 9  # resumed past what the journal held
        assert await journal.waiting() == []
    finally:
        await db.close()


class LongPollingBot(PagedBot):
    """Waits ``timeout`` seconds when it has nothing to return, as the Bot API does; notes each poll's
    timeout and how many updates the journal held then."""

    def __init__(self, updates: list[Update], journal: MemoryJournal) -> None:
        super().__init__(updates)
        self.journal = journal
        self.polls: list[tuple[int, int]] = []

    async def get_updates(self, offset: int = 0, timeout: int = 0, limit: int = 100, **_: Any) -> list[Update]:
        self.polls.append((timeout, len(self.journal.kept)))
        result = await super().get_updates(offset, timeout, limit)
        if not result and timeout:
            await asyncio.sleep(timeout)
        return result


async def test_once_a_backlog_is_recorded_the_poller_waits_for_news() -> None:
    """A backlog whose first update is stuck, all recorded: nothing holds the offset any more, so the
    poller long-polls (before: it asked again every 50 ms as long as anything was in flight, each poll
    an HTTP round trip competing with the others' updates)."""
    journal = MemoryJournal()
    bot = LongPollingBot([update(i, FLOODER) for i in range(1, 151)], journal)
    release = asyncio.Event()

    async def handle(item: Update) -> None:
        await release.wait()

    fetcher = UpdateFetcher(bot, handle, poll_timeout=1, journal=journal)  # type: ignore[arg-type]
    fetcher.start()
    try:
        async with asyncio.timeout(10):
            while len(journal.kept) < 150:
                await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)  # what the poller does meanwhile
    finally:
        release.set()
        await fetcher.stop()
    after = [timeout for timeout, kept in bot.polls if kept == 150]
    assert after and set(after) == {1}  # long polling only
