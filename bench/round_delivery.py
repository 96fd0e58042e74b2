#!/usr/bin/env python3
"""Benchmark: delivering a round's suggestions costs the same per message at 10k and 300k identities.

Run on demand (never part of the test suite)::

    .venv/bin/python bench/round_delivery.py [--identities 10000,300000] [--messages 3000]

For each size: a temporary database migrated by ``Database.open`` and filled with that many
actors, each with an identity (``bench/_population.py``, no listings), then ``--messages``
pending outbox messages to random people, as a round leaves them: each a suggestion question
(a decision token as prompt id, so that delivering it points the person's session at it, the
lookup by chat id of issue 13), 5 % of them to people who blocked the bot (the adapter raises
``PermanentDeliveryError``: the person is marked unreachable, another lookup by chat id). The
real ``OutboxWorker.run_once()`` then sends them all through an adapter that returns at once;
printed: microseconds per delivered message (wall time / messages; and the process's CPU
time / messages, which a shared machine's load inflates less), with the load average,
with ``synchronous=FULL`` (the bot's setting: one fsync per delivered message, which dominates
and varies with the disk's load) and ``OFF`` (what the statements themselves cost).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench._population import PLATFORM, load_line, populate  # noqa: E402
from bot.outbox import OutboxWorker  # noqa: E402
from core.clock import iso, utcnow  # noqa: E402
from core.errors import PermanentDeliveryError  # noqa: E402
from core.types import Choice, Reply  # noqa: E402
from storage import outbox  # noqa: E402
from storage.database import Database  # noqa: E402


@dataclass
class Sink:
    """Accepts every message at once, except to chats that blocked the bot."""

    blocked: set[str] = field(default_factory=set)
    platform: str = PLATFORM
    sent: int = 0

    async def start(self, handler: object) -> None:
        return None

    async def send(self, chat_id: str, reply: Reply) -> str | None:
        if chat_id in self.blocked:
            raise PermanentDeliveryError("blocked")
        self.sent += 1
        return None

    async def stop(self) -> None:
        return None


async def measure(size: int, messages: int, synchronous: str = "FULL", seed: int = 13) -> tuple[float, float]:
    """(wall, CPU of the process) microseconds per delivered message."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "delivery.db"
        async with Database(path):
            pass
        populate(path, size, 0)
        chats = [f"p{rng.randint(1, size)}" for _ in range(messages)]
        sink = Sink(blocked={chat for chat in chats if rng.random() < 0.05})
        async with Database(path, synchronous=synchronous) as db:
            stamp = iso(utcnow())

            def queue(conn: object) -> None:
                for number, chat in enumerate(chats, start=1):
                    reply = Reply(
                        f"Suggestion {number}",
                        choices=(Choice("yes", "Me présenter"), Choice("no", "Pas intéressé")),
                        prompt_id=f"S{number}",
                        notice=True,
                    )
                    outbox.enqueue(conn, PLATFORM, chat, reply, stamp)  # type: ignore[arg-type]

            await db.transaction(queue)
            worker = OutboxWorker(db, sink)  # type: ignore[arg-type]
            start, cpu = time.perf_counter(), time.process_time()
            await worker.run_once()
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            left = await db.run(lambda conn: outbox.pending_count(conn, PLATFORM))
        assert left == 0, left
        return elapsed / messages * 1e6, cpu / messages * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--identities", default="10000,300000")
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--synchronous", default="FULL,OFF", help="SQLite synchronous settings to measure")
    args = parser.parse_args()
    print(f"# round delivery bench; {load_line()}")
    for size in (int(s) for s in args.identities.split(",")):
        for synchronous in args.synchronous.split(","):
            micros, cpu = asyncio.run(measure(size, args.messages, synchronous))
            print(
                f"{size:>8} identities, synchronous={synchronous:<4}: {micros:6.0f} µs per delivered message, "
                f"CPU {cpu:5.0f} µs ({args.messages} messages) | {load_line()}",
                flush=True,
            )


if __name__ == "__main__":
    main()
