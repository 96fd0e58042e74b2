"""What the health endpoint and the metrics read and write: the scheduler's heartbeat, the
outbox backlog, the broadcasts being sent (portable SQL, see ``storage/``'s rules)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

__all__ = ["HEARTBEAT_JOB", "Backlog", "backlog", "beat", "broadcasts_in_flight", "last_beat"]

HEARTBEAT_JOB = "heartbeat"


@dataclass(frozen=True, slots=True)
class Backlog:
    """Outbox messages waiting to be sent, and when the oldest was queued (ISO time, or None)."""

    pending: int
    oldest: str | None


def beat(conn: sqlite3.Connection, job: str, now: str) -> None:
    """Record that ``job`` ran at ``now`` (a write: it also proves the database is writable)."""
    conn.execute(
        "INSERT INTO job_runs (job, slot, ran_at) VALUES (?, ?, ?) "
        "ON CONFLICT (job) DO UPDATE SET slot = excluded.slot, ran_at = excluded.ran_at",
        (job, now, now),
    )


def last_beat(conn: sqlite3.Connection, job: str = HEARTBEAT_JOB) -> str | None:
    """When ``job`` last ran (ISO time), or None."""
    row = conn.execute("SELECT ran_at FROM job_runs WHERE job = ?", (job,)).fetchone()
    return str(row[0]) if row else None


def backlog(conn: sqlite3.Connection) -> Backlog:
    """How many outbox messages are pending, and the creation time of the oldest."""
    row = conn.execute("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = 'pending'").fetchone()
    return Backlog(int(row[0]), row[1])


def broadcasts_in_flight(conn: sqlite3.Connection) -> int:
    """Broadcasts still being sent."""
    return int(conn.execute("SELECT COUNT(*) FROM broadcasts WHERE status = 'sending'").fetchone()[0])
