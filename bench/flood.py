#!/usr/bin/env python3
"""Benchmark: another person's reply time while one person floods the bot (Telegram emulator).

Run on demand (never part of the test suite)::

    .venv/bin/python bench/flood.py [--flood 1000] [--others 20] [--asks 10]

The real ``App`` with the real Telegram adapter over HTTP against the local Bot API emulator
(``tests/harness/botapi_emulator.py``), default pacing (30 messages/s overall, 1 per second
per chat). One person sends ``--flood`` ``/aide`` at once; meanwhile ``--others`` people, starting
at spread moments within the next 1.2 s, each send ``/aide`` ``--asks`` times, 1.2 s apart
(slower than their chat's pace). Latency of one of their messages: from the moment the emulator
has it to the moment the bot's answer reaches the emulator. Printed: how long the bot took to
fetch the flood from the API (Telegram hands out 100 updates per ``getUpdates``, in order: a
message sent right after the flood waits behind it there), p50 / p99 / max of the others'
latencies (all, and those sent once the flood was fetched), and what the flooder received,
with the load average. The emulator runs in the same process (its work counts).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench._population import load_line  # noqa: E402
from bot.adapters.telegram import TelegramAdapter  # noqa: E402
from bot.app import App  # noqa: E402
from bot.config import load_config  # noqa: E402
from conversations.i18n import translate  # noqa: E402
from tests.harness.botapi_emulator import BotAPIEmulator, Person  # noqa: E402


async def ask(emulator: BotAPIEmulator, person: Person, asks: int, delay: float, samples: list[tuple[float, float]]) -> None:
    await asyncio.sleep(delay)
    for _ in range(asks):
        before = len(emulator.messages_for(person.id))
        await emulator.send_text(person, "/aide")
        start = time.perf_counter()
        while len(emulator.messages_for(person.id)) <= before:
            await asyncio.sleep(0.001)
        samples.append((start, (time.perf_counter() - start) * 1000))
        await asyncio.sleep(1.2)  # a person writes slower than the 1-per-second pace of their chat


async def drained(emulator: BotAPIEmulator, flooder: Person) -> tuple[float, float]:
    """When the bot has fetched the whole flood from the API (Telegram hands out 100 updates per call)."""
    while any(u.get("message", {}).get("from", {}).get("id") == flooder.id for u in emulator.state.pending):
        await asyncio.sleep(0.001)
    return time.perf_counter(), time.process_time()


def percentiles(values: list[float]) -> str:
    if not values:
        return "none"
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
    return f"p50 {statistics.median(values):.1f} ms, p99 {p99:.1f} ms, max {values[-1]:.1f} ms ({len(values)})"


async def main_async(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with BotAPIEmulator() as emulator:
            config = load_config(
                environ={
                    "TELEGRAM_BOT_TOKEN": emulator.token,
                    "TELEGRAM_API_URL": emulator.url,
                    "TRAITDUNION_DB": str(Path(tmp) / "flood.db"),
                    "TRAITDUNION_LANGUAGE": "fr",
                }
            )
            app = await App.open(config, adapters=[TelegramAdapter.from_config(config)])
            app.run_jobs = False
            await app.start()
            try:
                flooder = Person(7000, "Flo", "Dard", "flo", "fr")
                others = [Person(7001 + n, "Autre", str(n), f"autre{n}", "fr") for n in range(args.others)]
                for person in others:  # everyone talked to the bot once before
                    await emulator.send_text(person, "/aide")
                await emulator.settle(timeout=60)
                await asyncio.sleep(1.5)  # their answers out of Telegram's 30-per-second window
                flood_start, flood_cpu = time.perf_counter(), time.process_time()
                for _ in range(args.flood):
                    await emulator.send_text(flooder, "/aide")
                samples: list[tuple[float, float]] = []
                drain = asyncio.ensure_future(drained(emulator, flooder))
                await asyncio.gather(*(ask(emulator, person, args.asks, 1.2 * n / len(others), samples) for n, person in enumerate(others)))
                drained_at, drained_cpu = await drain
                await emulator.settle(timeout=120)
            finally:
                await app.stop()
            to_flooder = [m.get("text", "") for m in emulator.messages_for(flooder.id)]
            slow_down = to_flooder.count(translate("fr", "flood.slow_down"))
            print(
                f"flood of {args.flood}: fetched from the API in {(drained_at - flood_start) * 1000:.0f} ms (CPU {(drained_cpu - flood_cpu) * 1000:.0f} ms, emulator included); the flooder got "
                f'{len(to_flooder) - slow_down} answers and {slow_down} "doucement" | {load_line()}'
            )
            print(f"  others' replies, all: {percentiles([ms for _, ms in samples])}")
            print(f"  others' replies, sent once the flood was fetched: {percentiles([ms for at, ms in samples if at >= drained_at])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=1000)
    parser.add_argument("--others", type=int, default=20)
    parser.add_argument("--asks", type=int, default=10)
    args = parser.parse_args()
    print(f"# flood bench (Telegram emulator); {load_line()}")
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
