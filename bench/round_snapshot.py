#!/usr/bin/env python3
"""Benchmark: what a round's child process holds before matching (the snapshot), at scale.

Run on demand (never part of the test suite)::

    .venv/bin/python bench/round_snapshot.py [--listings 1000000] [--db PATH]

A database is migrated by ``App.open`` and filled with ``--listings / 3`` actors, 3 listings
each, with stored vectors (``bench/_population.py``; ``--db`` keeps it, to compare two
checkouts on the same data). Then, in a fresh process, ``services.round_worker.read_snapshot``
reads what ``compute`` reads on its read-only connection: actor and listing records, history,
vectors. Prints the CPU time and the memory of each part (``tracemalloc``: the Python objects
of the records; the vectors are numpy matrices) and the process's peak RSS — the floor under
the round's own peak (``bench/matching.py`` measures the round on records built in memory).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))


def child(path: str) -> dict[str, float]:
    import gc
    import tracemalloc
    from datetime import UTC, date, datetime

    from services.round_worker import RoundJob
    from storage import embeddings as vector_store
    from storage import suggestions as store
    from territories import default_resolver

    territories = default_resolver()
    territories.commune("69266")  # the resolver's data loaded before the measure
    conn = store.read_only_connection(path)
    job = RoundJob(path, date(2026, 6, 1), datetime(2026, 6, 1, 10, tzinfo=UTC), 3)
    gc.collect()
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    out: dict[str, float] = {}
    with store.read_transaction(conn):
        c0 = time.process_time()
        due = store.due_actors(conn, job.slot)
        c1 = time.process_time()
        actors = store.actor_records(conn, territories)
        c2 = time.process_time()
        m2 = tracemalloc.get_traced_memory()[0]
        listings = store.listing_records(conn)
        c3 = time.process_time()
        m3 = tracemalloc.get_traced_memory()[0]
        store.history(conn, store.recent_window(job.now, 12))
        c4 = time.process_time()
        tracemalloc.stop()
        vectors = vector_store.vectors(conn)
        c5 = time.process_time()
    out.update(
        due=len(due),
        actors=len(actors),
        listings=len(listings),
        actor_mib=m2 / 2**20,
        listing_mib=(m3 - m2) / 2**20,
        actors_cpu=c2 - c1,
        listings_cpu=c3 - c2,
        other_cpu=(c1 - c0) + (c4 - c3),
        vectors_cpu=c5 - c4,
        vector_mib=(vectors.nbytes if vectors is not None else 0) / 2**20,
        base_rss_mib=base_rss / 1024,
        peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    return out


async def _migrate(path: Path) -> None:
    from bot.app import App
    from bot.config import Config

    app = await App.open(Config(db=str(path)), adapters=[])
    await app.db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=1_000_000)
    parser.add_argument("--db", help="database to use (filled if it does not exist; kept)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    from bench._population import load_line, populate

    print(f"# round snapshot bench — {os.cpu_count()} CPUs; {load_line()}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "snapshot.db"
        if not path.exists():
            t0 = time.perf_counter()
            asyncio.run(_migrate(path))
            populate(path, max(1, args.listings // 3), 3)
            print(f"# {args.listings} listings written in {time.perf_counter() - t0:.0f} s")
        out = subprocess.run([sys.executable, __file__, "--child", str(path)], check=True, capture_output=True, text=True, cwd=ROOT)
        r = json.loads(out.stdout)
    print(
        f"{r['listings']:.0f} listings: {r['listing_mib']:.0f} MiB of records ({r['listing_mib'] * 2**20 / max(1, r['listings']):.0f} B each), "
        f"CPU {r['listings_cpu']:.1f} s; {r['actors']:.0f} actors: {r['actor_mib']:.0f} MiB ({r['actor_mib'] * 2**20 / max(1, r['actors']):.0f} B each), "
        f"CPU {r['actors_cpu']:.1f} s; vectors {r['vector_mib']:.0f} MiB, CPU {r['vectors_cpu']:.1f} s; due and history CPU {r['other_cpu']:.1f} s; "
        f"peak RSS {r['peak_rss_mib']:.0f} MiB (process before reading: {r['base_rss_mib']:.0f} MiB) | {load_line()}"
    )


if __name__ == "__main__":
    main()
