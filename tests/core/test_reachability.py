"""One INFO log line, with the internal actor id only, when a chat becomes unreachable or reachable."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from bot.app import App
from core.types import Reply
from tests.core.people import Person, RecordingAdapter

pytestmark = pytest.mark.backends


async def test_unreachable_and_reachable_again_are_logged_once_without_personal_data(
    app: App, adapter: RecordingAdapter, person: Callable[..., Person], caplog: pytest.LogCaptureFixture
) -> None:
    zoe = person("zoe-4242")
    await zoe.onboard("Les Jardins Partagés", "Villeurbanne")
    [(actor_id,)] = await app.db.run(lambda conn: conn.execute("SELECT id FROM actors").fetchall())
    caplog.set_level(logging.DEBUG)
    adapter.blocked.add("zoe-4242")  # the person blocked the bot (403)
    for text in ("Un rappel", "Un autre rappel"):
        await app.runtime.deliver(adapter.platform, "zoe-4242", Reply(text), actor_id)
    adapter.blocked.clear()
    await zoe.say("/aide")
    await zoe.say("/menu")
    lines = [r for r in caplog.records if r.levelno >= logging.INFO and "reachable" in r.getMessage()]
    assert [(r.levelname, r.getMessage()) for r in lines] == [
        ("INFO", f"actor {actor_id} unreachable on test"),
        ("INFO", f"actor {actor_id} reachable again on test"),
    ]
    assert all("zoe" not in r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
