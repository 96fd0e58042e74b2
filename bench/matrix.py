#!/usr/bin/env python3
"""Benchmark of the Matrix adapter against a local throw-away Synapse.

Run on demand (never part of the test suite)::

    .venv/bin/python bench/matrix.py [--samples 60] [--burst-users 5] [--burst-messages 20]

* round trip: a person (a second nio client) writes in a direct chat and waits until the bot's
  answer reaches its own sync; median / p95 / max over ``--samples`` messages after a warm-up,
  in a plain and in an end-to-end encrypted DM. Two bots: ``echo`` (the adapter alone, its
  handler answers immediately: transport cost) and ``app`` (the whole application answering
  ``!aide``: what a person sees).
* burst: ``--burst-users`` people each write ``--burst-messages`` messages at once to the
  ``app`` bot; replies per second from the first message to the last reply, with the send
  rate unlimited (``--rate``) and at the default 5 messages/s.

Synapse comes from the test harness (cached venv, installed on first use).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.adapters.matrix import MatrixAdapter  # noqa: E402
from bot.app import App  # noqa: E402
from bot.config import Config, MatrixSettings  # noqa: E402
from core.types import Incoming, Outcome, Reply  # noqa: E402
from tests.harness.synapse import Synapse  # noqa: E402
from tests.matrix.mx_person import Person  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


class EchoBot:
    """The adapter alone: every message gets a one-line answer."""

    def __init__(self, adapter: MatrixAdapter) -> None:
        self.adapter = adapter

    async def __call__(self, incoming: Incoming) -> Outcome:
        await self.adapter.send(incoming.chat_id, Reply(text=f"echo {incoming.text}"))
        return Outcome.ACCEPTED


WORKERS = 4


async def start_bot(server: Synapse, workdir: Path, mode: str, rate: float) -> tuple[Any, Callable[[], Awaitable[None]]]:
    user = server.register(f"bench{mode}{int(time.time() * 1000) % 10**8}", "benchpassword")
    workdir.mkdir(parents=True, exist_ok=True)
    config = Config(
        db=str(workdir / "bot.db"),
        timezone="Europe/Paris",
        matrix=MatrixSettings(homeserver=server.url, user_id=user.user_id, password=user.password, rate_per_second=rate),
    )
    adapter = MatrixAdapter(server.url, user.user_id, workdir / "store", password=user.password, rate_per_second=rate, send_workers=WORKERS)
    if mode == "echo":
        await adapter.start(EchoBot(adapter))
        return user, adapter.stop
    app = await App.open(config, adapters=[adapter])
    await app.start()
    return user, app.stop


async def round_trips(person: Person, room: str, text: str, samples: int, warmup: int = 5) -> list[float]:
    latencies: list[float] = []
    for index in range(samples + warmup):
        seen = len(person.received)
        started = time.perf_counter()
        await person.say(room, text)
        await person.received_at_least(seen + 1)
        if index >= warmup:
            latencies.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.02)
    return latencies


async def burst(server: Synapse, bot_id: str, tmp: Path, users: int, messages: int, encrypted: bool) -> float:
    people = []
    rooms = []
    for index in range(users):
        person = Person(
            server.url,
            server.register(f"burst{index}{int(time.time() * 1000) % 10**8}", "pw"),
            tmp / f"burst-{index}-{time.time()}",
            encryption=encrypted,
        )
        await person.start()
        people.append(person)
        rooms.append(await person.open_dm(bot_id, encrypted=encrypted))
    # one exchange each first, so that keys and sessions are in place
    for person, room in zip(people, rooms, strict=True):
        await person.say(room, "!aide")
        await person.received_at_least(1)
    base = [len(p.received) for p in people]
    started = time.perf_counter()

    async def write(person: Person, room: str) -> None:
        for _ in range(messages):
            await person.say(room, "!aide")

    await asyncio.gather(*(write(p, r) for p, r in zip(people, rooms, strict=True)))
    for person, count in zip(people, base, strict=True):
        await person.received_at_least(count + messages, timeout=300)
    elapsed = time.perf_counter() - started
    for person in people:
        await person.stop()
    return users * messages / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--burst-users", type=int, default=5)
    parser.add_argument("--burst-messages", type=int, default=20)
    parser.add_argument("--rate", type=float, default=1000.0, help="send rate of the bot for the unlimited runs")
    parser.add_argument("--workers", type=int, default=4, help="concurrent sends of the bot (different rooms)")
    parser.add_argument("--only", choices=("round-trip", "burst"), help="run one part only")
    args = parser.parse_args()
    global WORKERS
    WORKERS = args.workers
    print(f"# machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        started = time.perf_counter()
        server = Synapse.start(tmp / "synapse")
        print(f"# synapse started in {time.perf_counter() - started:.1f}s at {server.url}")
        try:
            for mode, text in (("echo", "ping"), ("app", "!aide")) if args.only != "burst" else ():
                user, stop = await start_bot(server, tmp / f"bot-{mode}", mode, args.rate)
                try:
                    for encrypted in (False, True):
                        person = Person(
                            server.url,
                            server.register(f"rt{mode}{int(encrypted)}", "pw"),
                            tmp / f"rt-{mode}-{encrypted}",
                            encryption=encrypted,
                        )
                        await person.start()
                        room = await person.open_dm(user.user_id, encrypted=encrypted)
                        values = await round_trips(person, room, text, args.samples)
                        await person.stop()
                        label = "encrypted" if encrypted else "plain"
                        print(
                            f"round trip {mode:4} {label:9}: median {statistics.median(values):6.1f} ms, "
                            f"p95 {percentile(values, 0.95):6.1f} ms, max {max(values):6.1f} ms (n={len(values)})"
                        )
                finally:
                    await stop()
            for rate in (args.rate, 5.0) if args.only != "round-trip" else ():
                for encrypted in (False, True):
                    user, stop = await start_bot(server, tmp / f"bot-burst-{rate}-{encrypted}", "app", rate)
                    try:
                        per_second = await burst(server, user.user_id, tmp, args.burst_users, args.burst_messages, encrypted)
                    finally:
                        await stop()
                    label = "encrypted" if encrypted else "plain"
                    print(
                        f"burst {args.burst_users} users x {args.burst_messages} messages, {label:9}, "
                        f"bot rate {rate:g}/s, {WORKERS} send workers: {per_second:6.1f} replies/s"
                    )
        finally:
            server.stop()


if __name__ == "__main__":
    asyncio.run(main())
