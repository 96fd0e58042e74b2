"""Telegram's send limits hold across workers: every send reserves its slot in rates shared in the database.

Without it each worker paces alone, and N webhook workers send N × 30 messages a second (and N ×
the per-chat rate to a person several of them answer). The schedules are computed, not timed:
each reservation says when its send may start (no timed assertion).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.telegram_sender import SendQueue
from bot.app import share_send_rates
from bot.pacing import SharedPacing
from storage import pacing, retention
from storage.database import open_database
from tests.workers.pgserver import pg_url  # noqa: F401 - fixture

NOW = 1_800_000_000.0


@pytest.fixture
async def two_workers(pg_url: str) -> AsyncIterator[list[Any]]:
    """Two workers' connection pools on one PostgreSQL database."""
    first = await open_database(pg_url).open()
    second = await open_database(pg_url).open()
    yield [first, second]
    await first.close()
    await second.close()


def pacers(dbs: list[Any], rate: float = 30.0, per_chat: float = 1.0, burst: float = 3.0) -> list[SharedPacing]:
    return [SharedPacing(db, "telegram", rate, per_chat, burst, clock=lambda: NOW) for db in dbs]


async def test_two_workers_together_stay_under_the_overall_rate(two_workers: list[Any]) -> None:
    workers = pacers(two_workers)
    starts = sorted([NOW + await workers[n % 2](f"chat{n}") for n in range(90)])  # 90 sends, same instant
    most_in_a_second = max(sum(1 for t in starts if s <= t < s + 1.0 - 1e-5) for s in starts)  # epoch doubles: ~0.2 µs steps
    assert most_in_a_second == 30
    assert starts[-1] - starts[0] == pytest.approx(89 / 30, abs=1e-5)


async def test_two_workers_answering_one_chat_share_its_rate_and_burst(two_workers: list[Any]) -> None:
    workers = pacers(two_workers)
    waits = [await workers[n % 2]("alice") for n in range(5)]
    assert waits == pytest.approx([0.0, 1 / 30, 2 / 30, 1.0, 2.0], abs=1e-5)  # a burst of 3, then 1 a second
    # alice writes: the reply is not held back by what was sent before (only by the overall rate)
    assert await workers[1]("alice", person_wrote=True) == pytest.approx(5 / 30, abs=1e-5)


async def test_a_worker_s_queue_waits_for_its_shared_slot() -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    asked: list[tuple[str, bool]] = []

    async def shared(chat_id: str, person_wrote: bool) -> float:
        asked.append((chat_id, person_wrote))
        return 0.5 if chat_id == "busy" else 0.0

    queue = SendQueue(30.0, 1.0, clock=lambda: 0.0, sleep=sleep, shared=shared)

    async def call() -> str:
        return "sent"

    assert await queue.call("quiet", call) == "sent"
    assert slept == []
    assert await queue.call("busy", call) == "sent"
    assert slept == [0.5]
    queue.person_wrote("quiet")
    await queue.call("quiet", call)
    await queue.call("quiet", call)
    assert asked == [("quiet", False), ("busy", False), ("quiet", True), ("quiet", False)]


async def test_on_postgresql_the_app_shares_the_telegram_queue_s_rates(two_workers: list[Any]) -> None:
    class Adapter:
        platform = "telegram"
        queue = SendQueue(25.0, 2.0, chat_burst=4.0)

    share_send_rates(two_workers[0], [Adapter()])
    shared = Adapter.queue.shared
    assert isinstance(shared, SharedPacing)
    assert shared.overall == ("telegram", 1 / 25, 0.0) and shared.chat_interval == 0.5 and shared.chat_tolerance == 1.5


@pytest.mark.backends
async def test_the_daily_retention_forgets_only_schedules_long_past(db_path: Any) -> None:
    """One row per chat ever written to: pruned once its slot is a day past; that changes no pacing."""
    now = datetime.fromtimestamp(NOW, UTC)
    db = await open_database(db_path).open()
    try:
        rows = [("telegram:chat:old", NOW - 2 * 86400), ("telegram:chat:recent", NOW - 60), ("telegram:chat:ahead", NOW + 3600)]
        await db.transaction(lambda conn: conn.executemany("INSERT INTO send_pacing (key, tat) VALUES (?, ?)", rows))
        deleted = await db.transaction(lambda conn: retention.prune_send_pacing(conn, now + timedelta(seconds=1)))
        kept = await db.transaction(lambda conn: sorted(r[0] for r in conn.execute("SELECT key FROM send_pacing")))
        assert (deleted, kept) == (1, ["telegram:chat:ahead", "telegram:chat:recent"])
        limits = [("telegram:chat:old", 1.0, 2.0)]  # the forgotten chat is paced as if its row were there
        assert await db.transaction(lambda conn: pacing.reserve(conn, limits, NOW)) == 0.0
        assert await db.transaction(lambda conn: retention.prune_send_pacing(conn, now)) == 0  # just reserved: kept
    finally:
        await db.close()
