"""How long a deletion takes: the erasure transaction, then the rebuild (VACUUM) and WAL truncation.

    python bench/erasure.py [ACTORS ...]      # default: 1000 10000 50000

Builds a database of synthetic actors (a listing, a session and four sent outbox messages
each, as a live bot accumulates), gathers statistics (``ANALYZE``, as ``PRAGMA optimize`` does),
then deletes :data:`ERASED` actors one after the other the way ``/supprimer`` does and prints the
median time (wall and CPU of the process) of the erasure transaction, then one rebuild (VACUUM +
WAL truncation) and the file size, with the load average.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]  # not bench/matching.py
sys.path.insert(0, str(ROOT))

from core.types import Reply  # noqa: E402
from storage import erasure, outbox  # noqa: E402
from storage.database import Database  # noqa: E402

NOW = "2026-11-30T10:00:00+00:00"
ERASED = 7
"""Actors erased one after the other per size (the median is printed)."""


def populate(conn, count: int) -> None:
    place = json.dumps({"code": "69266", "label": "Villeurbanne (69)", "kind": "commune"})
    conn.executemany(
        "INSERT INTO actors (id, kind, name, commune_code, place, description, contact_email, created_at, updated_at)"
        " VALUES (?, 'association', ?, '69266', ?, ?, ?, ?, ?)",
        [(i, f"Actor {i}", place, f"Description of actor {i} " * 4, f"a{i}@example.org", NOW, NOW) for i in range(1, count + 1)],
    )
    conn.executemany(
        "INSERT INTO identities (platform, user_id, chat_id, actor_id, created_at) VALUES ('test', ?, ?, ?, ?)",
        [(f"u{i}", f"u{i}", i, NOW) for i in range(1, count + 1)],
    )
    conn.executemany(
        "INSERT INTO sessions (platform, user_id, state, updated_at) VALUES ('test', ?, ?, ?)",
        [(f"u{i}", json.dumps({"flow": "menu", "data": {}}), NOW) for i in range(1, count + 1)],
    )
    conn.executemany(
        "INSERT INTO listings (actor_id, kind, category, description, zone_kind, zone_code, zone_label, expires_at,"
        " created_at, updated_at) VALUES (?, 'need', 'competences', ?, 'commune', '69266', 'V', '2027-03-01', ?, ?)",
        [(i, f"Need of actor {i} " * 6, NOW, NOW) for i in range(1, count + 1)],
    )
    for i in range(1, count + 1):
        for other in (i % count + 1, (i + 7) % count + 1, (i + 13) % count + 1, (i + 29) % count + 1):
            message_id = outbox.enqueue(conn, "test", f"u{i}", Reply(f"Partenaire possible : Actor {other} " * 3), NOW, i, about=(other,))
            outbox.mark_sent(conn, message_id, NOW)


async def measure(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        db = await Database(path).open()
        try:
            await db.transaction(lambda conn: populate(conn, count))
            await db.run(lambda conn: conn.execute("ANALYZE").fetchall())
            await db.run(lambda conn: conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall())
            size = path.stat().st_size
            walls, cpus = [], []
            for n in range(ERASED):
                actor = count // 2 + n * (count // (2 * ERASED) or 1)
                start, cpu = time.perf_counter(), time.process_time()
                await db.transaction(lambda conn: erasure.erase_person(conn, actor, "test", f"u{actor}", ("name",)))
                walls.append(time.perf_counter() - start)
                cpus.append(time.process_time() - cpu)
            erased = time.perf_counter()
            await db.erase_traces()
            rebuilt = time.perf_counter()
        finally:
            await db.close()
    print(
        f"{count:>7} actors, {size / 2**20:6.1f} MiB: erasure transaction {1000 * statistics.median(walls):7.2f} ms wall,"
        f" {1000 * statistics.median(cpus):7.2f} ms CPU (median of {ERASED}), VACUUM + WAL truncation"
        f" {1000 * (rebuilt - erased):8.1f} ms | load {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


def main() -> None:
    for count in [int(arg) for arg in sys.argv[1:]] or [1000, 10000, 50000]:
        asyncio.run(measure(count))


if __name__ == "__main__":
    main()
