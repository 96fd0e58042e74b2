"""The outbox shared by several workers: claims with a lease, take-over, settling by the claimant only.

Each test runs on SQLite (one process, several worker ids) and on PostgreSQL, where each
worker has its own connection pool (as separate processes would) and claims concurrently.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.outbox import OutboxWorker
from core.clock import iso
from core.types import Reply
from storage import outbox
from storage.database import open_database
from tests.workers.pgserver import create_database, drop_database

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)


@pytest.fixture(params=["sqlite", "postgresql"])
async def databases(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[Any, Any]]:
    """Two handles on one database: two workers (on SQLite the same handle, one process)."""
    if request.param == "sqlite":
        db = await open_database(tmp_path / "outbox.db").open()
        try:
            yield db, db
        finally:
            await db.close()
        return
    url = create_database()
    first = second = None
    try:
        first = await open_database(url).open()
        second = await open_database(url).open()
        yield first, second
    finally:
        for db in (first, second):
            if db is not None:
                await db.close()
        drop_database(url)


async def enqueue(db: Any, chats: list[str], not_before: datetime = T0) -> list[int]:
    def write(conn: Any) -> list[int]:
        return [outbox.enqueue(conn, "test", chat, Reply(f"call {i}"), iso(T0), not_before=iso(not_before)) for i, chat in enumerate(chats)]

    return await db.transaction(write)


async def claim(db: Any, worker: str, at: datetime, limit: int = 20, **kwargs: Any) -> list[int]:
    messages = await db.transaction(lambda conn: outbox.claim(conn, "test", iso(at), worker, iso(at + LEASE), limit, **kwargs))
    return [m.id for m in messages]


async def test_two_workers_claiming_at_once_never_get_the_same_message(databases: tuple[Any, Any]) -> None:
    first, second = databases
    ids = await enqueue(first, [f"chat{i}" for i in range(300)])

    async def drain(db: Any, worker: str) -> list[int]:
        got: list[int] = []
        while batch := await claim(db, worker, T0 + timedelta(seconds=1), limit=7):
            got.extend(batch)
            await db.transaction(lambda conn, batch=batch: [outbox.mark_sent(conn, i, iso(T0), None, worker) for i in batch])
        return got

    a, b = await asyncio.gather(drain(first, "A"), drain(second, "B"))
    assert not set(a) & set(b)
    assert sorted(a + b) == ids
    assert (a and b) or first is second  # on PostgreSQL both took part


async def test_a_dead_workers_claims_are_taken_over_once_the_lease_expired(databases: tuple[Any, Any]) -> None:
    first, second = databases
    ids = await enqueue(first, ["c1", "c2", "c3"])
    assert await claim(first, "A", T0) == ids  # then A dies without settling them
    assert await claim(second, "B", T0 + LEASE - timedelta(seconds=1)) == []  # A's lease still runs
    taken = await claim(second, "B", T0 + LEASE)
    assert taken == ids
    # A comes back too late: its settlement is refused, B's is the one kept
    assert not await first.transaction(lambda conn: outbox.mark_sent(conn, ids[0], iso(T0), None, "A"))
    assert await second.transaction(lambda conn: outbox.mark_sent(conn, ids[0], iso(T0), None, "B"))
    assert not await second.transaction(lambda conn: outbox.mark_sent(conn, ids[0], iso(T0), None, "B"))  # once
    assert not await first.transaction(lambda conn: outbox.mark_failed(conn, ids[1], iso(T0), "x", "A"))
    assert not await first.transaction(lambda conn: outbox.retry_later(conn, ids[1], iso(T0), "x", "A"))


async def test_a_chats_later_message_waits_while_another_worker_holds_an_earlier_one(
    databases: tuple[Any, Any],
) -> None:
    first, second = databases
    one, two, other = await enqueue(first, ["x", "x", "y"])
    assert await claim(first, "A", T0, limit=1) == [one]
    assert await claim(second, "B", T0) == [other]  # not "two": it would overtake "one"
    await first.transaction(lambda conn: outbox.mark_sent(conn, one, iso(T0), None, "A"))
    assert await claim(second, "B", T0) == [two, other]  # its own claim comes back, lease renewed


async def test_a_temporary_failure_hands_the_message_to_any_worker(databases: tuple[Any, Any]) -> None:
    first, second = databases
    (message,) = await enqueue(first, ["x"])
    assert await claim(first, "A", T0) == [message]
    later = T0 + timedelta(seconds=30)
    assert await first.transaction(lambda conn: outbox.retry_later(conn, message, iso(later), "429", "A"))
    assert await claim(second, "B", T0 + timedelta(seconds=5)) == []  # not due yet
    assert await claim(second, "B", later) == [message]  # due: B may send it, no lease of A's left


async def test_held_replies_stay_with_their_live_worker_and_go_to_the_outbox_when_it_died(
    databases: tuple[Any, Any],
) -> None:
    first, second = databases

    def hold(conn: Any) -> int:
        return outbox.enqueue(conn, "test", "x", Reply("reply"), iso(T0), None, outbox.HELD, claimed_by="A", lease_until=iso(T0 + LEASE))

    held = await first.transaction(hold)
    # B starting meanwhile must not release what A is sending right now
    assert await second.transaction(lambda conn: outbox.release_held(conn, iso(T0), "test", "B")) == 0
    assert await second.transaction(lambda conn: outbox.release_expired(conn, iso(T0), "test")) == 0
    assert await claim(second, "B", T0) == []
    # A died: its lease expires, B's outbox sends the reply
    after = T0 + LEASE
    assert await second.transaction(lambda conn: outbox.release_expired(conn, iso(after), "test")) == 1
    assert await claim(second, "B", after) == [held]


@dataclass
class SlowAdapter:
    """Records what it sends, yielding to the event loop at each send (as a real HTTP call would)."""

    platform: str = "test"
    sent: list[str] = field(default_factory=list)

    async def start(self, handler: Any) -> None:
        return None

    async def send(self, chat_id: str, reply: Reply) -> str:
        await asyncio.sleep(0.001)
        self.sent.append(chat_id)
        return f"m{len(self.sent)}"

    async def stop(self) -> None:
        return None


async def test_two_outbox_workers_send_every_message_exactly_once(databases: tuple[Any, Any]) -> None:
    first, second = databases
    chats = [f"chat{i}" for i in range(200)]
    await enqueue(first, chats)
    adapters = SlowAdapter(), SlowAdapter()
    clock = lambda: T0 + timedelta(seconds=1)  # noqa: E731
    workers = [
        OutboxWorker(db, adapter, clock=clock, worker=name)  # type: ignore[arg-type]
        for db, adapter, name in zip((first, second), adapters, ("A", "B"), strict=True)
    ]
    counts = await asyncio.gather(*(worker.run_once() for worker in workers))
    sent = Counter(adapters[0].sent + adapters[1].sent)
    assert sum(counts) == 200
    assert sent == Counter(chats)  # every message once, none twice
    assert await first.run(lambda conn: outbox.pending_count(conn, "test")) == 0


async def test_a_status_edit_never_holds_a_chat_on_a_platform_that_cannot_edit(databases: tuple[Any, Any]) -> None:
    """The console cannot edit: an edit queued before its status is sent is skipped at once, and the
    chat's later message goes out in the same run (it waited 2 s, and a console closing meanwhile
    left a coordinator's forwarded answers unshown)."""
    db, _ = databases

    def write(conn: Any) -> int:
        status = outbox.enqueue(conn, "test", "coord", Reply("📤 0 of 2"), iso(T0), not_before=iso(T0))
        outbox.set_status_edit(conn, status, Reply("📤 1 of 2"), iso(T0), iso(T0))
        return outbox.enqueue(conn, "test", "coord", Reply("1 new answer"), iso(T0), not_before=iso(T0))

    later = await db.transaction(write)
    adapter = TextAdapter()
    sent = await OutboxWorker(db, adapter, clock=lambda: T0 + timedelta(seconds=1), worker="A").run_once()  # type: ignore[arg-type]
    assert adapter.texts == ["📤 0 of 2", "1 new answer"] and sent == 2
    assert await db.run(lambda conn: outbox.sent_ref(conn, later)) == ("sent", "m2")
    assert await claim(db, "A", T0 + timedelta(seconds=10)) == []  # the edit is settled, not postponed


@dataclass
class TextAdapter:
    """A platform without edits (the console): records the texts it shows."""

    platform: str = "test"
    texts: list[str] = field(default_factory=list)

    async def start(self, handler: Any) -> None:
        return None

    async def send(self, chat_id: str, reply: Reply) -> str:
        self.texts.append(reply.text)
        return f"m{len(self.texts)}"

    async def stop(self) -> None:
        return None
