"""How long erasing a coordinator takes on a database with many suggestions and audit lines.

    python bench/erasure_coordinator.py            # BENCH_CODE=<another checkout> LABEL=base: that code

Builds 300,000 suggestions and 150,000 audit lines (none of them the coordinator's), then erases
eight coordinators one after the other as ``/supprimer`` does and prints the median time of the
erasure with the load average. Before migrations 101 and 102 the erasure searched the text of
every explanation and every audit line for the coordinator's names and organisation.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, os.environ.get("BENCH_CODE", str(ROOT)))  # BENCH_CODE=/path/to/another/tree: its code, side by side

from storage import erasure  # noqa: E402
from storage.database import Database  # noqa: E402

NOW = "2026-11-30T10:00:00+00:00"
N_ACTORS, N_SUG, N_AUDIT = 5000, 300_000, 150_000


async def build(path: str) -> None:
    """The synthetic database."""
    db = await Database(path).open()
    await db.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO actors (id, kind, name, commune_code, place, created_at, updated_at) VALUES (?, 'association', ?, '69266', '{}', ?, ?)",
        ((i, f"Asso {i}", NOW, NOW) for i in range(1, N_ACTORS + 1)),
    )
    expl = json.dumps([["match.theme", {"theme": "alimentation", "mine": "Des bénévoles pour la collecte", "theirs": "Invendus de pain"}]])
    conn.executemany(
        "INSERT INTO suggestions (actor_id, other_id, kind, score, explanation, created_at) VALUES (?, ?, 'need_offer', 0.5, ?, ?)",
        ((1 + n % N_ACTORS, 1 + (n * 7) % N_ACTORS, expl, NOW) for n in range(N_SUG)),
    )
    conn.executemany(
        "INSERT INTO audit_log (at, who, action, details) VALUES (?, ?, 'broadcast.start', ?)",
        ((NOW, f"telegram:c{n % 50}", json.dumps({"broadcast": n, "area": "commune:69266", "recipients": 12})) for n in range(N_AUDIT)),
    )
    for k in range(8):
        conn.execute(
            "INSERT INTO identities (platform, user_id, chat_id, created_at) VALUES ('telegram', ?, ?, ?)", (f"e{k}", f"e{k}", NOW)
        )
        conn.execute(
            "INSERT INTO coordinators (platform, user_id, area_kind, area_code, area_label, invite_code, created_by, created_at, organisation) VALUES ('telegram', ?, 'commune', '69266', 'Villeurbanne (69)', ?, 'cli', ?, ?)",
            (f"e{k}", f"code{k}", NOW, f"Maison des associations {k}"),
        )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


async def main() -> None:
    """Build, erase eight coordinators, print the median."""
    times = []
    with tempfile.TemporaryDirectory() as d:
        path = str(Path(d) / "b.db")
        await build(path)
        db = await Database(path).open()
        for k in range(8):

            def erase(conn: sqlite3.Connection, k: int = k) -> float:
                started = time.perf_counter()
                erasure.erase_person(conn, None, "telegram", f"e{k}")
                return time.perf_counter() - started

            times.append(await db.transaction(erase))
        await db.close()
    print(
        f"{os.environ.get('LABEL', 'erasure')}: erasure of a coordinator, median of 8: {statistics.median(times) * 1000:.1f} ms (min {min(times) * 1000:.1f}) load {os.getloadavg()[0]:.2f}"
    )


asyncio.run(main())
