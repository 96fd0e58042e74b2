#!/usr/bin/env python3
"""Benchmark: does the bot stay responsive while a large suggestion round runs?

Run on demand (never part of the test suite)::

    .venv/bin/python bench/live_round.py [--listings 300000] [--rate 500] [--people 1000] [--quiet 8]

A temporary database is migrated by ``App.open`` and filled with ``--listings / 3`` actors
(3 listings each, real communes, all due for their weekly digest: ``bench/_population.py``).
``--people`` other people (platform ``chat``, a recording adapter) then send messages at a
steady ``--rate`` per second, open loop (arrivals do not wait for replies, as on a platform),
interleaved, each person in order (``/start``, ``1``, a name, ``retour``, another name,
``/annuler``, then again). After a 2-second warm-up (not measured), two phases in the same run:

1. **without a round**: ``--quiet`` seconds;
2. **during the round**: ``App.suggestion_round()`` (snapshot + matching in a child process,
   digests written by chunks) from its start to its end.

For each phase: messages offered, the share served within the phase (handled to the end,
replies sent, before the phase ended), and the latency of one message (from its arrival time
to the end of ``Runtime.handle``) p50 / p99. Printed with the load average, and — less
dependent on the machine's load — the writer thread's CPU time per digest chunk (the longest a
step can wait behind the round when chunks are committed alone) and the chunks' count; the
seconds of the round whose messages waited longest, and when the matching ended (stalls before
it are the matching's, after it the digests').
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

import services.suggestions as round_service  # noqa: E402
from bench._population import load_line, populate  # noqa: E402
from bot.app import App  # noqa: E402
from bot.config import Config  # noqa: E402
from core.types import Incoming, Reply  # noqa: E402


@dataclass
class Sink:
    """An adapter that only counts what the core sends."""

    platform: str = "chat"
    sent: int = 0

    async def start(self, handler: object) -> None:
        return None

    async def send(self, chat_id: str, reply: Reply) -> str | None:
        self.sent += 1
        return None

    async def stop(self) -> None:
        return None


@dataclass
class Phase:
    name: str
    start: float = 0.0
    end: float = 0.0
    arrivals: list[float] = field(default_factory=list)
    done: list[float] = field(default_factory=list)

    def report(self) -> str:
        offered = len(self.arrivals)
        served = sum(1 for d in self.done if d <= self.end)
        latencies = sorted((d - a) * 1000 for a, d in zip(self.arrivals, self.done, strict=True))
        p50 = statistics.median(latencies) if latencies else float("nan")
        p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else float("nan")
        seconds = self.end - self.start
        return (
            f"{self.name:<16} {seconds:6.1f} s  offered {offered:6d} ({offered / seconds:5.0f}/s)  "
            f"served within the phase {100 * served / max(1, offered):5.1f} %  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms"
        )


def message(person: int, index: int) -> str:
    return ("/start", "1", f"Asso {person}", "retour", f"Les amis de {person}", "/annuler")[index % 6]


async def offer(app: App, phase: Phase, rate: float, people: int, counter: list[int], until: asyncio.Future[object] | float) -> None:
    """Send messages at ``rate`` per second until ``until`` (a deadline or a future that completes)."""
    loop = asyncio.get_running_loop()
    tasks: set[asyncio.Task[None]] = set()  # only those running (a list of all would lengthen GC pauses)
    phase.start = loop.time()
    sent = 0
    while True:
        arrival = phase.start + sent / rate
        now = loop.time()
        if isinstance(until, float):
            if arrival >= phase.start + until:
                break
        elif until.done():
            break
        if arrival > now:
            await asyncio.sleep(arrival - now)
        index = counter[0]
        counter[0] += 1
        person = index % people
        slot = len(phase.arrivals)
        phase.arrivals.append(arrival)
        phase.done.append(float("inf"))
        incoming = Incoming(
            platform="chat",
            user_id=f"u{person}",
            chat_id=f"u{person}",
            event_id=f"m{index}",
            text=message(person, index // people),
            display_name=f"U {person}",
            language_code="fr",
        )

        async def handle(incoming: Incoming = incoming, slot: int = slot) -> None:
            await app.runtime.handle(incoming)
            phase.done[slot] = loop.time()

        task = asyncio.create_task(handle())
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        sent += 1
    phase.end = loop.time()
    while tasks:
        await asyncio.gather(*list(tasks))


CHUNK_CPU: list[float] = []
MATCHED: list[float] = []
"""When the child process handed its result back (loop time): the digests are written after."""


def _timed_matching() -> None:
    """Note when the matching ends, to tell stalls of the matching phase from the writing phase's."""
    compute = round_service.compute_round

    async def timed(job: object) -> object:
        result = await compute(job)  # type: ignore[arg-type]
        MATCHED.append(asyncio.get_running_loop().time())
        return result

    round_service.compute_round = timed


def slowest_seconds(phase: Phase, count: int = 3) -> str:
    """The seconds of the phase whose messages waited longest (offset from its start), and when the matching ended."""
    worst: dict[int, float] = {}
    for arrival, done in zip(phase.arrivals, phase.done, strict=True):
        second = int(arrival - phase.start)
        worst[second] = max(worst.get(second, 0.0), (done - arrival) * 1000)
    top = sorted(worst.items(), key=lambda item: -item[1])[:count]
    matched = f"; matching ended at +{MATCHED[-1] - phase.start:.0f} s" if MATCHED else ""
    return "slowest seconds: " + ", ".join(f"+{second} s max {ms:.0f} ms" for second, ms in top) + matched


def _timed_chunks() -> None:
    """Measure the writer thread's CPU time spent in each digest chunk."""
    write = round_service._write_chunk  # noqa: SLF001

    def timed(*args: object, **kwargs: object) -> None:
        start = time.thread_time()
        try:
            write(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            CHUNK_CPU.append((time.thread_time() - start) * 1000)

    round_service._write_chunk = timed  # type: ignore[assignment]  # noqa: SLF001


def chunk_line() -> str:
    if not CHUNK_CPU:
        return "no chunk"
    values = sorted(CHUNK_CPU)
    p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
    return (
        f"{len(values)} digest chunks, writer CPU per chunk p50 {statistics.median(values):.2f} ms, "
        f"p99 {p99:.2f} ms, max {values[-1]:.2f} ms, total {sum(values) / 1000:.1f} s"
    )


async def main_async(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "live.db"
        config = Config(db=str(path))
        app = await App.open(config, adapters=[Sink()])
        t0 = time.perf_counter()
        populate(path, max(1, args.listings // 3), 3)
        print(f"# {args.listings} listings, {args.listings // 3} actors written in {time.perf_counter() - t0:.1f} s; {load_line()}")
        app.run_jobs = False
        await app.start()
        counter = [0]
        try:
            await offer(app, Phase("warm-up"), args.rate, args.people, counter, 2.0)  # first steps of everyone: not measured
            quiet = Phase("without a round")
            await offer(app, quiet, args.rate, args.people, counter, float(args.quiet))
            print(quiet.report(), f"| {load_line()}", flush=True)
            gc.collect()
            during = Phase("during the round")
            round_task = asyncio.ensure_future(app.suggestion_round())
            await offer(app, during, args.rate, args.people, counter, round_task)
            report = await round_task
            print(during.report(), f"| {load_line()}", flush=True)
            print(f"# round: {report.due} due, {report.digests} digests, {len(report.suggestions)} suggestions")
            print(f"# {slowest_seconds(during)}")
            print(f"# {chunk_line()}")
        finally:
            await app.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=300_000)
    parser.add_argument("--rate", type=float, default=500.0, help="messages offered per second")
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--quiet", type=float, default=8.0, help="seconds measured without a round")
    args = parser.parse_args()
    print(f"# live round bench — {os.cpu_count()} CPUs; {load_line()}")
    _timed_chunks()
    _timed_matching()
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
