"""Several workers (Apps, each with its own connections) on one PostgreSQL database, in one test process.

What would be separate ``traitdunion run`` processes: one person's events handled by different
workers stay in order and are stored once; a redelivery to another worker is a duplicate; the
scheduler jobs run on the leader only.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot import leadership
from bot.app import App
from bot.config import Config
from core.types import Outcome
from storage import locks
from storage.database import open_database
from territories import Resolver
from tests.core.people import Person, RecordingAdapter
from tests.workers.pgserver import pg_url  # noqa: F401 - fixture


@pytest.fixture
async def workers(pg_url: str, territories: Resolver) -> AsyncIterator[list[tuple[App, RecordingAdapter]]]:
    """Three workers on one database, each with its own worker id and adapter."""
    started: list[tuple[App, RecordingAdapter]] = []
    try:
        for index in range(3):
            adapter = RecordingAdapter()
            app = await App.open(Config(db=pg_url), adapters=[adapter], territories=territories)
            app.runtime.worker = f"w{index}"
            app.run_jobs = False  # no embedding model in these tests; the prune jobs show leadership
            for worker in app.workers:
                worker.worker = f"w{index}"
            await app.start()
            started.append((app, adapter))
        yield started
    finally:
        for app, _ in started:
            await app.stop()


async def test_one_leader_among_three_workers_and_it_moves(workers: list[tuple[App, RecordingAdapter]]) -> None:
    leaders = [app for app, _ in workers if app.leader.held]
    assert len(leaders) == 1 and leaders[0] is workers[0][0]
    assert {job.id for job in workers[0][0].scheduler.get_jobs()} >= {"prune-outbox", "retention"}
    assert all({job.id for job in app.scheduler.get_jobs()} <= {"heartbeat"} for app, _ in workers[1:])  # /healthz's tick only
    role = workers[0][0].leader
    assert isinstance(role, leadership.AdvisoryRole)
    await role.stop()  # the leader steps down (as when its process dies): its jobs go
    assert {job.id for job in workers[0][0].scheduler.get_jobs()} <= {"heartbeat"}
    for app, _ in workers[1:]:
        app.leader.retry_seconds = 0.1  # type: ignore[attr-defined]
    deadline = time.monotonic() + 15
    while not any(app.leader.held for app, _ in workers[1:]):
        assert time.monotonic() < deadline, "no worker took the leadership over"
        await asyncio.sleep(0.1)
    new = next(app for app, _ in workers[1:] if app.leader.held)
    assert {job.id for job in new.scheduler.get_jobs()} >= {"prune-outbox", "retention"}


async def test_a_persons_steps_on_different_workers_follow_each_other(
    workers: list[tuple[App, RecordingAdapter]],
) -> None:
    """Onboarding, each step handled by the next worker in turn (a load balancer's round robin)."""
    people = [Person(app.runtime, adapter, "alice", "fr") for app, adapter in workers]
    turn = iter(range(100))

    def next_person() -> Person:
        return people[next(turn) % 3]

    previous = next_person()
    await previous.say("/start")
    for action in (("press", "Association"), ("say", "Les Jardins Partagés"), ("say", "Villeurbanne"), ("press", "Oui")):
        person = next_person()
        person.last = previous.last  # the question shown by the worker that handled the previous step
        if action[0] == "press":
            await person.press(action[1])
        else:
            await person.say(action[1])
        assert person.outcome is Outcome.ACCEPTED, person.text()
        previous = person
    app = workers[0][0]
    sessions = await app.db.run(lambda conn: conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])
    assert sessions == 1


async def test_the_same_event_delivered_to_two_workers_at_once_is_processed_once(
    workers: list[tuple[App, RecordingAdapter]],
) -> None:
    """Telegram retries a webhook update that timed out: another worker may get it while the first works."""
    outcomes: list[Outcome] = []
    for round_ in range(10):
        people = [Person(app.runtime, adapter, f"bob{round_}", "fr") for app, adapter in workers]
        incoming = people[0].incoming(text="/start", event_id=f"update-{round_}")
        outcomes.extend(await asyncio.gather(*(app.runtime.handle(incoming) for app, _ in workers)))
    counts = {outcome: outcomes.count(outcome) for outcome in set(outcomes)}
    assert counts == {Outcome.ACCEPTED: 10, Outcome.DUPLICATE: 20}
    total = sum(len(adapter.sent) for _, adapter in workers)
    greeting = sum(len(adapter.replies_to("bob0")) for _, adapter in workers)
    assert greeting >= 1 and total == greeting * 10  # one answer per person, not three


async def test_the_person_lock_serialises_transactions_across_workers(pg_url: str) -> None:
    """Two connection pools (two processes): a transaction holding a person's key makes the other wait
    (or, trying without waiting, be told it is busy) and holds up no other person's step."""
    first = await open_database(pg_url).open()
    second = await open_database(pg_url).open()
    order: list[str] = []
    try:
        key = locks.person_key("telegram", "42")

        # the lock is taken before the transaction's next statement (it rides in its round trip)
        def slow(conn: Any) -> None:
            locks.lock_key(conn, key)
            conn.execute("SELECT 1")
            order.append("first in")
            time.sleep(0.5)
            order.append("first out")

        def quick(conn: Any) -> None:
            locks.lock_key(conn, key)
            conn.execute("SELECT 1")
            order.append("second in")

        def impatient(conn: Any) -> None:
            locks.try_lock_key(conn, key)
            conn.execute("SELECT 1")
            order.append("impatient in")

        def other(conn: Any) -> None:
            locks.lock_key(conn, locks.person_key("telegram", "43"))
            conn.execute("SELECT 1")
            order.append("other person")

        task = asyncio.create_task(first.transaction(slow))
        while not order:
            await asyncio.sleep(0.01)
        with pytest.raises(locks.Busy):
            await second.transaction(impatient)
        assert "impatient in" not in order
        await asyncio.gather(second.transaction(other), task)
        assert order.index("other person") < order.index("first out")  # another person does not wait
        task = asyncio.create_task(first.transaction(slow))
        while order.count("first in") < 2:
            await asyncio.sleep(0.01)
        await asyncio.gather(second.transaction(quick), task)
        assert order[-3:] == ["first in", "first out", "second in"]
    finally:
        await first.close()
        await second.close()
