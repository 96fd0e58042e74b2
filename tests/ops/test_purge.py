"""``traitdunion purge --dry-run`` counts exactly what ``purge`` then deletes, and changes nothing."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.ops.conftest import traitdunion
from tests.ops.test_backup import make_db


def stamp(days_ago: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days_ago)).isoformat(timespec="seconds")


def fill(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        for chat, status, age in (("a", "sent", 20), ("b", "failed", 15), ("c", "sent", 2), ("d", "pending", 40)):
            conn.execute(
                "INSERT INTO outbox (platform, chat_id, payload, status, not_before, created_at, sent_at)"
                " VALUES ('test', ?, '{}', ?, ?, ?, ?)",
                (chat, status, stamp(age), stamp(age), None if status == "pending" else stamp(age)),
            )
        for event, age in (("old", 45), ("new", 1)):
            conn.execute("INSERT INTO processed_events VALUES ('test', ?, ?)", (event, stamp(age)))
        for age in (800, 10):
            conn.execute("INSERT INTO audit_log (at, who, action) VALUES (?, 'cli', 'appoint')", (stamp(age),))
        for chat, age in (("old", 3), ("busy", -0.01)):  # next free slot: 3 days ago, in 15 minutes
            conn.execute("INSERT INTO send_pacing (key, tat) VALUES (?, ?)", (f"telegram:chat:{chat}", time.time() - age * 86400))
    exports = db.parent / "exports"
    exports.mkdir()
    for name, age in (("old.csv", 40), ("new.csv", 1)):
        (exports / name).write_text("x")
        moment = time.time() - age * 86400
        os.utime(exports / name, (moment, moment))


def content(db: Path) -> str:
    """Every row of the database (a logical digest: WAL checkpoints do not change it)."""
    conn = sqlite3.connect(db)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def test_dry_run_counts_what_purge_deletes_and_changes_nothing(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db", people=0)
    fill(db)
    env = {"TRAITDUNION_DB": str(db), "TRAITDUNION_LANGUAGE": "en"}
    before = content(db)
    dry = traitdunion("purge", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    expected = {
        "sent messages": 2,
        "processed event ids": 1,
        "suggestions": 0,
        "digests": 0,
        "audit log": 1,
        "send pacing": 1,
        "exports": 1,
    }
    assert dry.stdout.splitlines() == [f"{what}: {n} would be deleted" for what, n in expected.items()]
    assert content(db) == before
    assert (db.parent / "exports" / "old.csv").exists()

    done = traitdunion("purge", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"{what}: {n} deleted" for what, n in expected.items()]
    with sqlite3.connect(db) as conn:
        assert sorted(r[0] for r in conn.execute("SELECT chat_id FROM outbox")) == ["c", "d"]  # pending kept
        assert [r[0] for r in conn.execute("SELECT event_id FROM processed_events WHERE platform = 'test'")] == ["new"]
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone() == (1,)
        assert [r[0] for r in conn.execute("SELECT key FROM send_pacing")] == ["telegram:chat:busy"]
    assert sorted(p.name for p in (db.parent / "exports").iterdir()) == ["new.csv"]
    again = traitdunion("purge", "--dry-run", env=env)
    assert all(line.endswith(": 0 would be deleted") for line in again.stdout.splitlines())


def test_purge_without_a_database_says_so(tmp_path: Path) -> None:
    done = traitdunion("purge", "--dry-run", env={"TRAITDUNION_DB": str(tmp_path / "none.db")})
    assert done.returncode == 2 and "aucune base de données à" in done.stderr
    assert not (tmp_path / "none.db").exists()
