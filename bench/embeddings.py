"""Embedding speed: one new listing (latency) and the backfill of an existing database (rate).

    python bench/embeddings.py [--listings 2000]

* latency: ``vectors_for([text])`` for one description at a time (what the background worker
  does for a listing just written), with the process's kept model handle: median and p95
  over 200 descriptions of the labelled set, once the model is loaded;
* backfill: a fresh database of ``--listings`` listings (descriptions of the labelled set,
  numbered so that they differ), migrated (migration 7 queues them all), then
  ``embed_pending`` (batches of 32, each written in its own short transaction): descriptions
  per second, end to end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.data.matching_fr import KINDS
from bot.embeddings import embed_pending, embedder, vectors_for
from storage.database import Database

TEXTS = [t for k in KINDS for t in (*k.needs, *k.offers)]


def latency() -> None:
    started = time.perf_counter()
    embedder()
    vectors_for(["chauffe"])  # loads the background once
    print(f"model load + background: {time.perf_counter() - started:.2f} s")
    times = []
    for text in (TEXTS * 2)[:200]:
        t0 = time.perf_counter()
        vectors_for([text])
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(f"one new listing: median {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms, max {times[-1]:.1f} ms")


async def backfill(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        db = await Database(path).open()
        stamp = "2026-06-01T10:00:00+00:00"

        def fill(conn) -> None:
            conn.execute("DROP TRIGGER listings_embed_new")  # as if written before migration 7
            conn.execute(
                "INSERT INTO actors (kind, name, commune_code, place, created_at, updated_at) VALUES ('association', 'A', '69266', '{}', ?, ?)",
                (stamp, stamp),
            )
            conn.executemany(
                "INSERT INTO listings (actor_id, kind, category, description, zone_kind, zone_code, zone_label, expires_at, status, created_at, updated_at) "
                "VALUES (1, 'need', 'materiel', ?, 'commune', '69266', 'Villeurbanne', '2099-01-01', 'open', ?, ?)",
                [(f"{TEXTS[i % len(TEXTS)]} ({i})", stamp, stamp) for i in range(count)],
            )
            conn.execute("DELETE FROM embedding_queue")
            conn.execute("INSERT INTO embedding_queue (owner, owner_id) SELECT 'listing', id FROM listings")  # what migration 7 does

        await db.transaction(fill)
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.perf_counter()
            if now - last[0] > 5 or done == total:
                last[0] = now
                print(f"  {done}/{total}")

        t0 = time.perf_counter()
        done = await embed_pending(db, progress=progress)
        elapsed = time.perf_counter() - t0
        await db.close()
        print(f"backfill: {done} descriptions in {elapsed:.1f} s = {done / elapsed:.0f} descriptions/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listings", type=int, default=2000)
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    latency()
    asyncio.run(backfill(args.listings))
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
