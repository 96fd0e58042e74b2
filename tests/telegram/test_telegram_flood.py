"""One person's flood never delays the others: a person's backlog holds one shared slot at most,
and beyond a burst their messages are dropped with one "doucement…" reply."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from telegram import Update

from bot.adapters.telegram import TelegramAdapter
from bot.adapters.telegram_sender import SendQueue
from bot.app import App
from bot.fairness import BURST, WINDOW_SECONDS, FloodGate
from conversations.i18n import translate
from core.types import Incoming, Outcome, Reply
from tests.harness.botapi_emulator import BotAPIEmulator, Person
from tests.harness.ports import server_port
from tests.telegram.test_telegram_e2e import make_config
from tests.telegram.tg_fakes import TOKEN, FakeClock, FakeCore, Harness, RecordingRequest, person

FLOODER, OTHER = 1001, 1002


class StuckCore(FakeCore):
    """The flooder's first event stays in the core until ``release`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def __call__(self, incoming: Incoming) -> Outcome:
        if incoming.user_id == str(FLOODER):
            await self.release.wait()
        return await super().__call__(incoming)


def feed(adapter: TelegramAdapter, data: dict) -> None:  # type: ignore[type-arg]
    """An update as the poller hands it over (tracked in flight, confirmed once handled)."""
    assert adapter.updates is not None
    adapter.updates._dispatch(Update.de_json(data, adapter.application.bot))  # noqa: SLF001


async def _adapter(core: FakeCore, request: RecordingRequest) -> tuple[TelegramAdapter, Harness]:
    clock = FakeClock()
    adapter = TelegramAdapter(TOKEN, receive=False, request=request, queue=SendQueue(10_000, 10_000, clock=clock, sleep=clock.sleep))
    core.adapter = adapter
    core.script = lambda incoming: [Reply(f"reçu {incoming.text}")]
    return adapter, Harness(adapter, request, core, clock)


async def test_a_backlog_holds_one_slot_not_all_of_them() -> None:
    """300 waiting updates of one person (more than the 256 slots) do not hold up another person."""
    core, request = StuckCore(), RecordingRequest()
    adapter, h = await _adapter(core, request)
    adapter.gate = FloodGate(burst=10_000)  # no drop here: only the slots are tested
    await adapter.start(core)
    try:
        for i in range(300):
            feed(adapter, h.text_update(f"f{i}", user=person(FLOODER)))
        feed(adapter, h.text_update("/aide", user=person(OTHER)))
        async with asyncio.timeout(10):
            while not any(i.user_id == str(OTHER) for i in core.received):
                await asyncio.sleep(0.01)
        assert [i.text for i in core.received] == ["/aide"]  # served while the flooder's first is still stuck
        core.release.set()
        async with asyncio.timeout(20):
            while len(core.received) < 301:
                await asyncio.sleep(0.01)
    finally:
        core.release.set()
        await adapter.stop()
    assert [i.text for i in core.received if i.user_id == str(FLOODER)] == [f"f{i}" for i in range(300)]


async def test_beyond_a_burst_messages_are_dropped_with_one_notice() -> None:
    core, request = FakeCore(), RecordingRequest()
    adapter, h = await _adapter(core, request)
    adapter.gate = FloodGate(clock=lambda: 0.0)  # all at the same instant
    await adapter.start(core)
    try:
        for i in range(100):
            feed(adapter, h.text_update(f"f{i}", user=person(FLOODER)))
        feed(adapter, h.text_update("/aide", user=person(OTHER)))
        async with asyncio.timeout(10):
            while len(core.received) < BURST + 1 or len(request.of("sendMessage")) < BURST + 2:
                await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)  # nothing more comes
    finally:
        await adapter.stop()
    assert [i.text for i in core.received if i.user_id == str(FLOODER)] == [f"f{i}" for i in range(BURST)]
    assert [i.text for i in core.received if i.user_id == str(OTHER)] == ["/aide"]
    to_flooder = [m["text"] for m in request.of("sendMessage") if str(m["chat_id"]) == str(FLOODER)]
    assert to_flooder.count(translate("fr", "flood.slow_down")) == 1
    assert [t for t in to_flooder if t.startswith("reçu")] == [f"reçu f{i}" for i in range(BURST)]


async def _paced_adapter(core: FakeCore, request: RecordingRequest) -> tuple[TelegramAdapter, FakeClock]:
    """The default pacing (30 messages/s overall, 1/s per chat after a burst of 3) on a fake clock."""
    clock = FakeClock()
    adapter = TelegramAdapter(TOKEN, receive=False, request=request, queue=SendQueue(30, 1, clock=clock, sleep=clock.sleep))
    core.adapter = adapter
    core.script = lambda incoming: [Reply(f"reçu {incoming.text}")]
    return adapter, clock


async def test_a_flood_answered_at_its_chat_pace_leaves_the_overall_rate_to_others() -> None:
    """The flooder's admitted backlog does not refill their chat's burst at each answer: beyond the first
    burst their answers keep to their chat's pace, so 20 other people asking at the same moment are all
    answered before the flooder's 4th answer (before: the flooder's 20 answers and the notice took 21 of
    the 30 sends of the second, and the others waited for the next one)."""
    core, request = FakeCore(), RecordingRequest()
    adapter, _ = await _paced_adapter(core, request)
    adapter.gate = FloodGate(clock=lambda: 0.0)
    h = Harness(adapter, request, core, FakeClock())
    others = [OTHER + n for n in range(20)]
    await adapter.start(core)
    try:
        for i in range(100):
            feed(adapter, h.text_update(f"f{i}", user=person(FLOODER)))
        for other in others:
            feed(adapter, h.text_update("/aide", user=person(other)))
        async with asyncio.timeout(10):
            while len(request.of("sendMessage")) < len(others) + BURST + 1:
                await asyncio.sleep(0.01)
    finally:
        await adapter.stop()
    sent = [(int(m["chat_id"]), m["text"]) for m in request.of("sendMessage")]
    last_other = max(index for index, (chat, _) in enumerate(sent) if chat != FLOODER)
    before = [text for chat, text in sent[:last_other] if chat == FLOODER]
    assert len(before) <= 3, before  # the chat's burst, no more
    to_flooder = [text for chat, text in sent if chat == FLOODER]
    assert [t for t in to_flooder if t.startswith("reçu")] == [f"reçu f{i}" for i in range(BURST)]
    assert to_flooder.count(translate("fr", "flood.slow_down")) == 1
    assert sorted(chat for chat, _ in sent if chat != FLOODER) == others


async def test_a_fast_conversation_through_the_poller_is_not_held_back() -> None:
    """Each message written once the previous answer arrived refills the chat's burst: two-message
    replies to 15 quick answers in a row all leave at once (only a backlog is paced)."""
    core, request = FakeCore(), RecordingRequest()
    adapter, clock = await _paced_adapter(core, request)
    core.script = lambda incoming: [Reply("C'est noté."), Reply(f"Question après {incoming.text}")]
    h = Harness(adapter, request, core, clock)
    await adapter.start(core)
    try:
        for i in range(15):
            feed(adapter, h.text_update(f"r{i}", user=person(FLOODER)))
            async with asyncio.timeout(5):
                while len(request.of("sendMessage")) < 2 * (i + 1) or adapter.updates._in_flight:  # noqa: SLF001
                    await asyncio.sleep(0)
            clock.now += 0.3  # the person reads and answers quickly
    finally:
        await adapter.stop()
    assert clock.sleeps == []


def _free_port() -> int:
    return server_port()


async def _webhook_adapter(core: FakeCore, request: RecordingRequest, gate_clock: Callable[[], float]) -> tuple[TelegramAdapter, str]:
    """The default pacing on a fake clock, receiving by webhook on a free local port."""
    clock = FakeClock()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram-hook"
    queue = SendQueue(30, 1, clock=clock, sleep=clock.sleep)
    adapter = TelegramAdapter(TOKEN, request=request, webhook_url=url, webhook_port=port, webhook_listen="127.0.0.1", queue=queue)
    adapter.gate = FloodGate(clock=gate_clock)
    core.adapter = adapter
    core.script = lambda incoming: [Reply(f"reçu {incoming.text}")]
    await adapter.start(core)
    return adapter, url


async def _post_in_turn(url: str, updates: list[dict]) -> None:  # type: ignore[type-arg]
    """As Telegram does for one chat: the next update once the previous one was answered 200."""
    async with aiohttp.ClientSession() as session:
        for update in updates:
            async with session.post(url, json=update) as response:
                assert response.status == 200


async def test_a_flood_by_webhook_is_answered_at_its_chat_pace_then_the_burst_comes_back() -> None:
    """Telegram hands a webhook one update of a chat at a time, so a flood never waits behind itself
    in the adapter: whether a message refills the chat's burst is told by its place in the chat
    (written after the bot's last message, or before it was there), not by what is in flight. The
    flooder's admitted messages beyond the chat's burst are answered at its pace (before: each one
    refilled the burst, 20 answers at once); the gate drops the rest with one notice; once the
    window passed, the person is admitted again and their next message refills the burst."""
    core, request = FakeCore(), RecordingRequest()
    now = [0.0]
    adapter, url = await _webhook_adapter(core, request, lambda: now[0])
    h = Harness(adapter, request, core, FakeClock())
    queue_clock = adapter.queue._clock  # noqa: SLF001
    assert isinstance(queue_clock, FakeClock)
    try:
        flood = [h.text_update(f"f{i}", user=person(FLOODER)) for i in range(30)]  # written all at once
        await _post_in_turn(url, flood)
        held = len(queue_clock.sleeps)
        to_flooder = [m["text"] for m in request.of("sendMessage") if str(m["chat_id"]) == str(FLOODER)]
        assert [t for t in to_flooder if t.startswith("reçu")] == [f"reçu f{i}" for i in range(BURST)]
        assert to_flooder.count(translate("fr", "flood.slow_down")) == 1
        assert held >= BURST - 3, queue_clock.sleeps  # past the chat's burst of 3, each answer waited its turn
        now[0] += WINDOW_SECONDS  # the window passed: the gate lets the person in again
        queue_clock.now += 60  # and the chat's pace caught up
        await _post_in_turn(url, [h.text_update("encore moi", user=person(FLOODER))])
        await _post_in_turn(url, [h.text_update("et une question", user=person(FLOODER))])  # written after the answer
    finally:
        await adapter.stop()
    assert [i.text for i in core.received][-2:] == ["encore moi", "et une question"]
    assert len(queue_clock.sleeps) == held  # what they wrote after reading the answers went out at once


@pytest.mark.e2e
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_a_flood_on_the_emulator_leaves_others_served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the real App and the Bot API emulator: one person sends 300 /aide at once, another one /aide.
    The updates the gate drops are never parsed (before: python-telegram-bot parsed all 300, ~0.1 ms each,
    most of the cost of fetching a flood while the next person's message waits behind it)."""
    parsed: list[int] = []
    de_json = Update.de_json

    def counting(data: dict, bot: object = None) -> Update | None:  # type: ignore[type-arg]
        parsed.append(data["update_id"])
        return de_json(data, bot)  # type: ignore[arg-type]

    monkeypatch.setattr(Update, "de_json", counting)
    async with BotAPIEmulator() as emulator:
        config = make_config(emulator, tmp_path / "traitdunion.db")
        adapter = TelegramAdapter.from_config(config)
        adapter.gate = FloodGate(clock=lambda: 0.0)  # the 300 arrive within the window, whatever the load
        app = await App.open(config, adapters=[adapter])
        await app.start()
        try:
            flooder = Person(6001, "Flo", "Dard", "flo", "fr")
            other = Person(6002, "Odile", "Calme", "odile", "fr")
            for _ in range(300):
                await emulator.send_text(flooder, "/aide")
            await emulator.send_text(other, "/aide")
            await emulator.settle(timeout=60)
        finally:
            await app.stop()
        help_text = [m["text"] for m in emulator.messages_for(6002)]
        assert help_text and help_text[0].startswith(translate("fr", "help.intro")[:20])
        to_flooder = [m["text"] for m in emulator.messages_for(6001)]
        assert to_flooder.count(translate("fr", "flood.slow_down")) == 1
        assert [t for t in to_flooder if t != translate("fr", "flood.slow_down")] == help_text * BURST
        assert len(parsed) <= BURST + 2  # the admitted ones, the one told to slow down, the other person's
        with sqlite3.connect(tmp_path / "traitdunion.db") as conn:  # the dropped ones changed nothing
            assert conn.execute("SELECT COUNT(*) FROM processed_events WHERE event_id LIKE 'tg:m:6001:%'").fetchone()[0] == BURST
