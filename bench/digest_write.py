#!/usr/bin/env python3
"""Benchmark: the writer's cost of a round's digests, per actor (CPU time and SQL statements).

Run on demand (never part of the test suite)::

    .venv/bin/python bench/digest_write.py [--listings 30000] [--chunk 4] [--profile]

A temporary database is migrated by ``App.open`` and filled with ``--listings / 3`` actors (all
due, ``bench/_population.py``); ``App.suggestion_round()`` then runs alone (no messages). Each
digest chunk (``services.suggestions._write_chunk``, one background transaction of the single
writer) is timed with the writer thread's CPU clock and its statements are counted. This is
the figure behind ``bench/live_round.py``'s latency during a round (a step waits at most one
chunk), and it depends little on the machine's load. ``--profile`` prints the top of a
cProfile of the chunks.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

import services.suggestions as round_service  # noqa: E402
from bench._population import load_line, populate  # noqa: E402
from bot.app import App  # noqa: E402
from bot.config import Config  # noqa: E402

CHUNKS: list[tuple[float, int, int]] = []
"""Per chunk: writer CPU in ms, actors, statements."""


def _instrument(profile: cProfile.Profile | None) -> None:
    write = round_service._write_chunk  # noqa: SLF001

    def timed(conn: sqlite3.Connection, *args: object, **kwargs: object) -> None:
        statements = [0]

        def count(_: str) -> None:
            statements[0] += 1

        conn.set_trace_callback(count)
        chunk = kwargs.get("chunk", args[0] if args else [])
        start = time.thread_time()
        try:
            if profile is not None:
                profile.runcall(write, conn, *args, **kwargs)
            else:
                write(conn, *args, **kwargs)  # type: ignore[arg-type]
        finally:
            CHUNKS.append(((time.thread_time() - start) * 1000, len(chunk), statements[0]))  # type: ignore[arg-type]
            conn.set_trace_callback(None)

    round_service._write_chunk = timed  # type: ignore[assignment]  # noqa: SLF001


async def main_async(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "digests.db"
        app = await App.open(Config(db=str(path)), adapters=[])
        populate(path, max(1, args.listings // 3), 3)
        app.run_jobs = False
        await app.start()
        try:
            started = time.perf_counter()
            report = await app.suggestion_round()
            wall = time.perf_counter() - started
        finally:
            await app.stop()
    cpu = [c for c, _, _ in CHUNKS]
    actors = sum(a for _, a, _ in CHUNKS)
    statements = sum(s for _, _, s in CHUNKS)
    ordered = sorted(cpu)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    print(f"# round: {report.due} due, {report.digests} digests, {len(report.suggestions)} suggestions, {wall:.1f} s wall")
    print(
        f"{len(cpu)} chunks of up to {round_service.WRITE_CHUNK} actors: writer CPU per chunk p50 {statistics.median(cpu):.2f} ms, "
        f"p99 {p99:.2f} ms, max {ordered[-1]:.2f} ms; per actor {sum(cpu) * 1000 / max(1, actors):.0f} µs, "
        f"{statements / max(1, actors):.1f} statements | {load_line()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=30_000)
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of the chunks")
    parser.add_argument("--chunk", type=int, help="actors per chunk (default: services.suggestions.WRITE_CHUNK)")
    args = parser.parse_args()
    if args.chunk:
        round_service.WRITE_CHUNK = args.chunk
    print(f"# digest write bench — {os.cpu_count()} CPUs; {load_line()}")
    profile = cProfile.Profile() if args.profile else None
    _instrument(profile)
    asyncio.run(main_async(args))
    if profile is not None:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
