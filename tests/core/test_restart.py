"""Restarts have no side effects: no round outside its slot, no answer forwarded twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from tests.core.people import Person, RecordingAdapter
from tests.core.test_coordination import deliver, send_call, territory  # noqa: F401 - fixture
from tests.core.test_suggestions import MONDAY_11H_PARIS, Clock

pytestmark = pytest.mark.backends


async def started(db_path: Path, territories, clock: Clock, adapter: RecordingAdapter) -> App:
    """The app with its jobs, once the catch-up at start has finished."""
    app = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories, clock=clock)
    await app.start()
    await app.caught_up()
    return app


async def test_caught_up_returns_once_the_round_missed_at_start_ran(db_path: Path, territories) -> None:
    """What the engine benchmark waits for before its clock starts (a fresh database missed the last slot)."""
    clock = Clock(MONDAY_11H_PARIS)
    app = await App.open(Config(db=str(db_path)), adapters=[RecordingAdapter()], territories=territories, clock=clock)
    await app.start()
    await app.caught_up()
    assert not await app.round_missed()
    await app.stop()


async def test_a_restart_sends_no_digest_when_no_slot_was_missed(db_path: Path, territories) -> None:
    clock = Clock(MONDAY_11H_PARIS)
    adapter = RecordingAdapter()
    app = await started(db_path, territories, clock, adapter)  # up since before people joined: the Monday round ran
    for name in ("alice", "bob"):
        await Person(app.runtime, adapter, name).onboard(f"Structure {name}", "Villeurbanne")
    await app.stop()

    clock.advance(days=1)  # Tuesday: a restart, no slot passed meanwhile
    adapter = RecordingAdapter()
    app = await started(db_path, territories, clock, adapter)
    await deliver(app)
    assert not any("Structure" in r.text for r in adapter.sent)
    await app.stop()

    clock.advance(days=6)  # next Monday 11:00: the bot was down at 10:00, that slot was missed
    adapter = RecordingAdapter()
    app = await started(db_path, territories, clock, adapter)
    await deliver(app)
    assert any("Structure bob" in r.text for r in adapter.replies_to("alice"))
    await app.stop()


async def test_answers_read_with_reponses_are_not_forwarded_again(territory) -> None:
    app, adapter, people = territory
    marie, asso = people["marie"], people["asso"]
    await send_call(app, marie)
    await asso.say("Un stand de soupe solidaire !")
    await marie.say("/reponses")  # her only call: its answers at once (stop 36)
    assert "stand de soupe" in marie.text()
    before = len(adapter.replies_to("marie"))
    assert await app.forward_answers() == 0  # e.g. the catch-up after a restart
    await deliver(app)
    assert not any("soupe" in r.text for r in adapter.replies_to("marie")[before:])


async def test_the_catalogs_are_read_at_start_not_during_the_first_step(db_path: Path, territories) -> None:
    from conversations import i18n

    i18n.catalog.cache_clear()
    i18n.plurals.cache_clear()
    app = await App.open(Config(db=str(db_path)), adapters=[RecordingAdapter()], territories=territories)
    try:
        assert i18n.catalog.cache_info().currsize == len(i18n.LANGUAGES)
        assert i18n.plurals.cache_info().currsize == len(i18n.LANGUAGES)
    finally:
        await app.db.close()
