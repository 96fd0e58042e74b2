"""Jobs that select then update, run by two workers at once on PostgreSQL, process each row once.

A leader that changes (or a catch-up at start) can run ``maintenance`` or ``forward_answers`` on
two workers at the same moment. Here the first worker's run stays uncommitted while the second
runs: the second reads the same rows as due, and only the conditional ``UPDATE … RETURNING``
(the claim) keeps it from queueing the reminder, the expiry notice or the answers again.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, TypeVar

import pytest

from bot.app import App
from core.clock import local
from services import coordination, introductions
from storage.database import open_database
from tests.core.test_coordination import deliver, send_call, territory  # noqa: F401 - fixture
from tests.core.test_suggestions import Clock, clock, introduction_asked, two_sides  # noqa: F401 - fixtures
from tests.workers.pgserver import pg_url  # noqa: F401 - fixture

T = TypeVar("T")


@pytest.fixture
def db_path(pg_url: str) -> Iterator[str]:
    """The fixtures above on a PostgreSQL database (two workers share it)."""
    yield pg_url


async def race(app: App, job: Callable[[Any, datetime], T]) -> tuple[T, T]:
    """``job`` on the app's connections and on a second worker's, the second starting while the
    first has run but not committed."""
    now = local(app.runtime.clock(), app.config.timezone)
    other = await open_database(app.config.db).open()
    ran = threading.Event()

    def first(conn: Any) -> T:
        result = job(conn, now)
        ran.set()
        time.sleep(0.5)  # not committed yet: the second worker sees the same rows as due
        return result

    def second(conn: Any) -> T:
        assert ran.wait(10)
        return job(conn, now)

    try:
        one, two = await asyncio.gather(app.db.transaction(first), other.transaction(second))
    finally:
        await other.close()
    return one, two


def received(adapter: Any, chat: str, words: str) -> int:
    return sum(1 for reply in adapter.replies_to(chat) if words in reply.text.lower())


async def test_two_workers_remind_and_expire_an_introduction_once(two_sides, clock: Clock) -> None:
    app, alice, bob = two_sides
    await introduction_asked(app, alice)
    clock.advance(days=8)  # bob never answered: a reminder is due
    one, two = await race(app, introductions.maintenance)
    assert one["reminders"] + two["reminders"] == 1
    await deliver(app)
    assert received(bob.adapter, "bob", "rappel") == 1
    clock.advance(days=8)  # still no answer: the request expires, alice is told
    one, two = await race(app, introductions.maintenance)
    assert one["expired"] + two["expired"] == 1
    await deliver(app)
    assert received(alice.adapter, "alice", "a expiré") == 1


async def test_two_workers_forward_an_answer_once(territory) -> None:
    app, adapter, people = territory
    marie, asso = people["marie"], people["asso"]
    await send_call(app, marie)
    await asso.say("Un stand de soupe solidaire !")
    one, two = await race(app, coordination.forward_answers)
    assert one + two == 1
    await deliver(app)
    assert received(adapter, "marie", "nouvelle réponse") == 1
