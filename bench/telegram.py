"""Benchmark of the Telegram adapter: ``python bench/telegram.py [--quick]``.

1. offline: updates fed to ``Application.process_update`` (as PTB's own tests do) through the
   adapter, a fake core that answers each one with a keyboard message, and a recording
   ``BaseRequest`` (no HTTP): updates/s and per-update latency;
2. end to end over HTTP through the local Bot API emulator (tests/harness/botapi_emulator.py),
   long polling with the real PTB/httpx stack: people each send a message and wait for the
   answer (closed loop); latency from the person's message to the bot's reply reaching the
   server; once with the fake core, once with the real ``App`` (SQLite core, "/aide").

3. with the default pacing (30 messages/s overall, 1/s per chat after a burst): how long after
   the first message of a two-message reply the second arrives, and back-to-back replies (one
   person, each message sent after the previous reply) against a bare python-telegram-bot echo
   bot on the same emulator in the same run.

Elsewhere pacing is raised out of the way (rate_per_chat) so that the figures measure the code.
Emulator and bot share one process and one event loop.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# this file is named like the library: drop bench/ from the path before importing `telegram`
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402

from bot.adapters.telegram import TelegramAdapter  # noqa: E402
from bot.adapters.telegram_sender import SendQueue  # noqa: E402
from bot.fairness import FloodGate  # noqa: E402
from core.types import Choice, Incoming, Outcome, Reply  # noqa: E402
from tests.harness.botapi_emulator import BotAPIEmulator, Person  # noqa: E402
from tests.telegram.tg_fakes import RecordingRequest  # noqa: E402

REPLY = Reply(
    "Quel type de structure représentez-vous ?",
    choices=(Choice("association", "Association"), Choice("company", "Entreprise")),
    prompt_id="kind",
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, count: int, elapsed: float, latencies: list[float]) -> dict[str, Any]:
    row = {
        "name": name,
        "updates": count,
        "per_second": count / elapsed,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
    }
    print(f"{name:<44} {count:>6} updates  {row['per_second']:>8.0f}/s  p50 {row['p50_ms']:.2f} ms  p95 {row['p95_ms']:.2f} ms", flush=True)
    return row


class EchoCore:
    """Answers every event with one keyboard message (what a question step costs the adapter)."""

    def __init__(self) -> None:
        self.adapter: TelegramAdapter | None = None

    async def __call__(self, incoming: Incoming) -> Outcome:
        assert self.adapter is not None
        await self.adapter.send(incoming.chat_id, REPLY)
        return Outcome.ACCEPTED


async def offline(updates: int, users: int) -> dict[str, Any]:
    request = RecordingRequest()
    core = EchoCore()
    adapter = TelegramAdapter("123:BENCH", receive=False, request=request, queue=SendQueue(1e9, 1e9, chat_burst=1e9))
    core.adapter = adapter
    await adapter.start(core)
    bot = adapter.application.bot
    raws = []
    for i in range(updates):
        user = 10_000 + i % users
        raws.append(
            {
                "update_id": i + 1,
                "message": {
                    "message_id": i + 1,
                    "date": 1_760_000_000,
                    "text": f"message {i}",
                    "chat": {"id": user, "type": "private", "first_name": "P"},
                    "from": {"id": user, "is_bot": False, "first_name": "P", "language_code": "fr"},
                },
            }
        )
    latencies = []
    start = time.perf_counter()
    for raw in raws:
        t0 = time.perf_counter()
        await adapter.application.process_update(Update.de_json(raw, bot))
        request.calls.clear()
        request.results.clear()
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    await adapter.stop()
    return report("offline (recording request, fake core)", updates, elapsed, latencies)


class TimedEmulator(BotAPIEmulator):
    """Records when each bot message reaches the server."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: dict[int, list[float]] = {}
        self.waiters: dict[int, tuple[int, asyncio.Future[None]]] = {}

    def _send_message(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        message = super()._send_message(params, files)
        chat_id = message["chat"]["id"]
        arrivals = self.arrivals.setdefault(chat_id, [])
        arrivals.append(time.perf_counter())
        count, future = self.waiters.get(chat_id, (0, None))
        if future is not None and len(arrivals) >= count and not future.done():
            future.set_result(None)
        return message

    async def wait_for_count(self, chat_id: int, count: int) -> None:
        """Wait until ``count`` bot messages reached ``chat_id`` (cheaper than wait_until)."""
        if len(self.arrivals.get(chat_id, [])) >= count:
            return
        future = asyncio.get_running_loop().create_future()
        self.waiters[chat_id] = (count, future)
        await asyncio.wait_for(future, 30)


def ungated(adapter: TelegramAdapter) -> TelegramAdapter:
    """No flood gate: one bench person sends far more than 20 messages in 10 s (beyond them the gate
    would drop their messages and the closed loop would wait forever; floods are bench/flood.py's)."""
    adapter.gate = FloodGate(burst=10**9)
    return adapter


async def closed_loop(
    emulator: TimedEmulator, people: int, rounds: int, text: str, replies_per_message: int
) -> tuple[int, float, list[float]]:
    latencies: list[float] = []

    async def person(index: int) -> None:
        someone = Person(20_000 + index)
        expected = 0
        for _ in range(rounds):
            expected += replies_per_message
            t0 = time.perf_counter()
            await emulator.send_text(someone, text)
            await emulator.wait_for_count(someone.id, expected)
            latencies.append(emulator.arrivals[someone.id][expected - 1] - t0)

    start = time.perf_counter()
    await asyncio.gather(*(person(i) for i in range(people)))
    return people * rounds, time.perf_counter() - start, latencies


async def over_http(people: int, rounds: int) -> dict[str, Any]:
    async with TimedEmulator() as emulator:
        core = EchoCore()
        adapter = ungated(TelegramAdapter(emulator.token, emulator.url, rate_per_second=1e6, rate_per_chat=1e6))
        core.adapter = adapter
        await adapter.start(core)
        try:
            count, elapsed, latencies = await closed_loop(emulator, people, rounds, "bonjour", 1)
        finally:
            await adapter.stop()
    return report(f"HTTP emulator, fake core ({people} people)", count, elapsed, latencies)


async def over_http_with_app(people: int, rounds: int) -> dict[str, Any]:
    from bot.app import App
    from bot.config import load_config

    async with TimedEmulator() as emulator, asyncio.timeout(600):
        with tempfile.TemporaryDirectory() as tmp:
            config = load_config(
                environ={
                    "TELEGRAM_BOT_TOKEN": emulator.token,
                    "TELEGRAM_API_URL": emulator.url,
                    "TRAITDUNION_DB": str(Path(tmp) / "bench.db"),
                    "TRAITDUNION_LANGUAGE": "fr",
                    "TRAITDUNION_TIMEZONE": "Europe/Paris",
                    "TELEGRAM_RATE_PER_SECOND": "10000",  # the most the setting accepts
                    "TELEGRAM_RATE_PER_CHAT": "10000",
                }
            )
            app = await App.open(config, adapters=[ungated(TelegramAdapter.from_config(config))])
            await app.start()
            try:
                # how many messages does /aide produce? measure once, outside the figures
                probe = Person(19_999)
                await emulator.send_text(probe, "/aide")
                await emulator.settle()
                per_message = len(emulator.arrivals.get(probe.id, [])) or 1
                count, elapsed, latencies = await closed_loop(emulator, people, rounds, "/aide", per_message)
            finally:
                await app.stop()
    return report(f"HTTP emulator, App + SQLite, /aide ({people} people)", count, elapsed, latencies)


class TwoMessageCore:
    """Answers every event with two messages (a confirmation, then the next question)."""

    def __init__(self) -> None:
        self.adapter: TelegramAdapter | None = None

    async def __call__(self, incoming: Incoming) -> Outcome:
        assert self.adapter is not None
        await self.adapter.send(incoming.chat_id, Reply("C'est noté."))
        await self.adapter.send(incoming.chat_id, REPLY)
        return Outcome.ACCEPTED


async def paced_two_message_replies(rounds: int) -> dict[str, Any]:
    """Default pacing (TELEGRAM_RATE_PER_CHAT=1): one person answers ``rounds`` questions in a row,
    each answered with two messages; how long after the first does the second arrive?"""
    async with TimedEmulator() as emulator:
        core = TwoMessageCore()
        adapter = ungated(TelegramAdapter(emulator.token, emulator.url))  # default pacing: 30/s overall, 1/s per chat
        core.adapter = adapter
        await adapter.start(core)
        try:
            _, _, latencies = await closed_loop(emulator, 1, rounds, "bonjour", 2)
        finally:
            await adapter.stop()
        arrivals = emulator.arrivals[20_000]
        gaps = [arrivals[i + 1] - arrivals[i] for i in range(0, len(arrivals) - 1, 2)]
    row = report("two-message reply, default pacing: 2nd after 1st", len(gaps), sum(gaps) or 1e-9, gaps)
    row["reply_p50_ms"] = percentile(latencies, 0.5) * 1000
    print(f"{'  (person message -> 2nd message)':<44} p50 {row['reply_p50_ms']:.2f} ms", flush=True)
    return row


async def back_to_back(rounds: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """One person sends ``rounds`` messages, each after the previous reply: the adapter with its
    default pacing against a bare python-telegram-bot echo bot, on the same emulator."""
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    async with TimedEmulator() as emulator:
        app = ApplicationBuilder().token(emulator.token).base_url(emulator.url + "/bot").base_file_url(emulator.url + "/file/bot").build()

        async def echo(update: Update, context: Any) -> None:
            assert update.effective_message is not None
            await update.effective_message.reply_text(update.effective_message.text or "")

        app.add_handler(MessageHandler(filters.TEXT, echo))
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(timeout=10)
            try:
                count, elapsed, latencies = await closed_loop(emulator, 1, rounds, "bonjour", 1)
            finally:
                await app.updater.stop()
                await app.stop()
        bare = report("back-to-back, bare PTB echo bot", count, elapsed, latencies)
    async with TimedEmulator() as emulator:
        core = EchoCore()
        adapter = ungated(TelegramAdapter(emulator.token, emulator.url))  # default pacing
        core.adapter = adapter
        await adapter.start(core)
        try:
            count, elapsed, latencies = await closed_loop(emulator, 1, rounds, "bonjour", 1)
        finally:
            await adapter.stop()
        ours = report("back-to-back, adapter, default pacing", count, elapsed, latencies)
    print(f"{'  ratio (adapter / bare PTB, p50)':<44} {ours['p50_ms'] / bare['p50_ms']:.2f}x", flush=True)
    return bare, ours


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs (a smoke test)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    scale = 10 if args.quick else 1
    print(f"python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}")
    await paced_two_message_replies(100 // scale)
    await back_to_back(50)
    await offline(20_000 // scale, 500)
    await over_http(1, 200 // scale)
    await over_http(50, 40 // scale)
    await over_http_with_app(1, 100 // scale)
    await over_http_with_app(50, 20 // scale)


if __name__ == "__main__":
    asyncio.run(main())
