"""The runtime: restart resumes, per-user serialisation, delivery failures, the outbox."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from core.clock import iso, utcnow
from core.types import Outcome, Reply
from storage import outbox
from tests.backends import connect
from tests.core.people import Person, RecordingAdapter

pytestmark = pytest.mark.backends


async def test_restart_resumes_at_the_same_step(db_path: Path, territories) -> None:
    first = RecordingAdapter()
    app = await App.open(Config(db=str(db_path)), adapters=[first], territories=territories)
    await app.start()
    alice = Person(app.runtime, first, "alice")
    await alice.say("/start")
    await alice.press("Association")
    await alice.say("Repair Café")
    await app.stop()  # the process goes away between two messages

    second = RecordingAdapter()
    app = await App.open(Config(db=str(db_path)), adapters=[second], territories=territories)
    await app.start()
    alice = Person(app.runtime, second, "alice")
    await alice.say("Villeurbanne")
    assert alice.question.text == "Villeurbanne (69) — Métropole de Lyon ?"
    await app.stop()


async def test_one_person_is_served_in_order(app: App, adapter: RecordingAdapter) -> None:
    alice = Person(app.runtime, adapter, "alice")
    events = [alice.incoming(text="/start"), alice.incoming(text="1"), alice.incoming(text="Asso des Pentes")]
    outcomes = await asyncio.gather(*(app.runtime.handle(e) for e in events))
    assert outcomes == [Outcome.ACCEPTED] * 3
    assert adapter.replies_to("alice")[-1].text.startswith("Dans quelle commune")


async def test_many_people_at_once(app: App, adapter: RecordingAdapter) -> None:
    people = [Person(app.runtime, adapter, f"user{i}") for i in range(50)]
    await asyncio.gather(*(p.say("/start") for p in people))
    await asyncio.gather(*(p.say("2") for p in people))
    with connect(app.config.db) as conn:
        states = conn.execute('SELECT COUNT(*) FROM sessions WHERE state LIKE \'%"step":"name"%\'').fetchone()
    assert states == (50,)
    assert len(app.runtime._locks) == 0  # noqa: SLF001 - locks are released and dropped


async def test_blocked_person_is_marked_unreachable(app: App, adapter: RecordingAdapter) -> None:
    alice = Person(app.runtime, adapter, "alice")
    await alice.onboard()
    adapter.blocked.add("alice")
    await alice.say("/menu")
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT unreachable FROM actors").fetchone() == (1,)
        assert conn.execute("SELECT unreachable FROM identities").fetchone() == (1,)
    adapter.blocked.clear()
    await alice.say("/menu")  # writing again proves they are reachable
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT unreachable FROM actors").fetchone() == (0,)


async def test_temporary_failure_goes_to_the_outbox_and_is_sent_later(app: App, adapter: RecordingAdapter) -> None:
    alice = Person(app.runtime, adapter, "alice")
    adapter.flaky["alice"] = 2
    await alice.say("/start")
    assert adapter.replies_to("alice") == []
    worker = app.workers[0]
    for _ in range(10):
        await worker.run_once()
        if len(adapter.replies_to("alice")) == 2:
            break
    texts = [r.text for r in adapter.replies_to("alice")]
    assert texts[0].startswith("Bienvenue") and texts[1].startswith("Quel type")
    assert await app.db.run(lambda conn: outbox.pending_count(conn)) == 0


async def test_outbox_survives_a_restart(db_path: Path, territories) -> None:
    app = await App.open(Config(db=str(db_path)), adapters=[], territories=territories)
    now = iso(utcnow())
    await app.db.transaction(lambda conn: outbox.enqueue(conn, "test", "bob", Reply("Bonjour Bob", notice=True), now))
    await app.stop()  # crash before the worker ran

    adapter = RecordingAdapter()
    app = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories)
    assert await app.workers[0].run_once() == 1
    assert await app.workers[0].run_once() == 0  # sent once, never twice
    assert [r.text for r in adapter.replies_to("bob")] == ["Bonjour Bob"]
    assert adapter.replies_to("bob")[0].notice
    await app.stop()


async def test_an_engine_crash_answers_politely_and_keeps_the_event_replayable(app: App, adapter, monkeypatch) -> None:
    import bot.runtime

    def explode(*_: object) -> None:
        raise RuntimeError("bug")

    alice = Person(app.runtime, adapter, "alice")
    event = alice.incoming(text="/start")
    monkeypatch.setattr(bot.runtime, "advance", explode)
    await alice.send(event)
    assert alice.outcome is Outcome.REJECTED and "problème technique" in alice.text()
    monkeypatch.undo()
    await alice.send(event)  # the platform redelivers: processed this time, not ignored
    assert alice.outcome is Outcome.ACCEPTED
