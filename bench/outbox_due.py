#!/usr/bin/env python3
"""Benchmark: ``storage.outbox.due`` on a large outbox after ``ANALYZE``.

Run on demand (never part of the test suite)::

    .venv/bin/python bench/outbox_due.py [--sent 300000] [--pending 10000] [--calls 50] [--old]

A temporary database migrated by ``Database.open``; ``--sent`` sent messages and ``--pending``
pending ones (9 in 10 due now, 1 in 10 postponed) spread over 100,000 chats, then ``ANALYZE``
(the statistics that once turned the query quadratic). Timed: ``due(limit=50)`` as the outbox
worker calls it, and ``due`` for one chat; median and p99 of ``--calls`` calls, with the plan.
``--old`` also times once the query and indexes as they were before issue 13 (seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench._population import load_line  # noqa: E402
from storage import outbox  # noqa: E402
from storage.database import Database  # noqa: E402

PAYLOAD = '{"text":"x","choices":[],"multi":false,"selected":[],"submit_label":null,"prompt_id":null,"notice":false,"language":"fr"}'
OLD_DUE = """
SELECT o.id FROM outbox o
WHERE o.platform = ? AND o.status = 'pending' AND o.not_before <= ? AND (? IS NULL OR o.chat_id = ?)
  AND o.chat_id NOT IN ()
  AND NOT EXISTS (
      SELECT 1 FROM outbox w
      WHERE w.platform = o.platform AND w.chat_id = o.chat_id AND w.status = 'pending'
        AND w.not_before > ? AND w.id < o.id AND w.edit_of IS NULL
  )
ORDER BY o.edit_of IS NULL, o.id LIMIT ?
"""
NOW = "2026-06-01T00:00:00+00:00"


def fill(path: Path, sent: int, pending: int, seed: int = 13) -> None:
    rng = random.Random(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.executemany(
        """INSERT INTO outbox (platform, chat_id, payload, status, not_before, created_at, sent_at)
           VALUES ('telegram', ?, ?, 'sent', '2026-05-01', '2026-05-01', '2026-05-01')""",
        ((str(rng.randrange(100_000)), PAYLOAD) for _ in range(sent)),
    )
    conn.executemany(
        """INSERT INTO outbox (platform, chat_id, payload, status, not_before, created_at)
           VALUES ('telegram', ?, ?, 'pending', ?, '2026-05-02')""",
        ((str(rng.randrange(100_000)), PAYLOAD, "2026-05-02" if rng.random() < 0.9 else "2027-01-01") for _ in range(pending)),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def timed(calls: int, fn) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.99 * len(samples)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sent", type=int, default=300_000)
    parser.add_argument("--pending", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--old", action="store_true", help="also time the query as it was before (once)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "outbox.db"

        async def migrate() -> None:
            async with Database(path):
                pass

        asyncio.run(migrate())
        fill(path, args.sent, args.pending)
        conn = sqlite3.connect(path)
        chat = conn.execute("SELECT chat_id FROM outbox WHERE status = 'pending' LIMIT 1").fetchone()[0]
        print(f"# outbox.due: {args.sent} sent, {args.pending} pending, after ANALYZE; {load_line()}")
        for label, fn in (
            ("due(limit=50)", lambda: outbox.due(conn, "telegram", NOW, 50)),
            ("due(one chat)", lambda: outbox.due(conn, "telegram", NOW, 50, chat_id=chat)),
        ):
            median, p99 = timed(args.calls, fn)
            print(f"{label:<15} median {median:7.2f} ms  p99 {p99:7.2f} ms  ({len(fn())} rows) | {load_line()}")
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT o.id FROM outbox o INDEXED BY outbox_pending WHERE o.platform = 'telegram'"
            " AND o.status = 'pending' AND o.not_before <= ? AND o.not_before != '9999-12-31T23:59:59+00:00' AND NOT EXISTS (SELECT 1 FROM outbox w INDEXED BY"
            " outbox_pending_chat WHERE w.platform = o.platform AND w.chat_id = o.chat_id AND w.status = 'pending'"
            " AND +w.id < o.id AND w.not_before > ? AND w.edit_of IS NULL) ORDER BY o.edit_of IS NULL, o.id LIMIT 50",
            (NOW, NOW),
        ).fetchall()
        print("plan: " + " / ".join(row[3] for row in plan))
        if args.old:  # the schema before too: without the partial indexes of migration 8
            conn.execute("DROP INDEX outbox_pending")
            conn.execute("DROP INDEX outbox_pending_chat")
            conn.execute("CREATE INDEX IF NOT EXISTS outbox_due ON outbox (platform, status, not_before)")  # dropped by migration 40
            conn.execute("ANALYZE")
            start = time.perf_counter()
            conn.execute(OLD_DUE, ("telegram", NOW, None, None, NOW, 50)).fetchall()
            print(f"query before issue 13, same data: {(time.perf_counter() - start) * 1000:.0f} ms (one call) | {load_line()}")
        conn.close()


if __name__ == "__main__":
    main()
