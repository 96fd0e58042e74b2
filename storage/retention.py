"""Retention of the tables that only grow, so that they (and what reads them) stay bounded.

Each function deletes at most ``batch`` rows, on an index, inside the caller's transaction,
and returns how many it deleted: the daily job calls it again in a new transaction until it
returns less than ``batch``, so that a first run over a year of history never holds the
writer for long. What is kept, and why:

- **suggestions**: one year, except the declined ones, which are the memory that a pair must
  never be proposed again;
- **digests**: 180 days once no suggestion refers to them (``due_actors`` reads only the last
  few weeks; a digest's suggestions would go with it);
- **audit log**: two years (who appointed whom, who sent which call: kept longer than the rest);
- **send pacing** (one row per chat the bot wrote to, :mod:`storage.pacing`; indexed by ``tat``): a row whose next
  free slot is a day in the past is forgotten — a slot already past acts exactly as no row (the
  next send reserves from now), the day covers clocks of workers out of step;
- **processed event ids**: see :func:`storage.identities.prune_processed` (30 days);
- sent outbox messages: :func:`storage.outbox.prune_done` (its own daily job, 14 days).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from core.clock import iso

SUGGESTIONS_KEPT = timedelta(days=365)
DIGESTS_KEPT = timedelta(days=180)
AUDIT_KEPT = timedelta(days=730)
PACING_KEPT = timedelta(days=1)
BATCH = 2000


def prune_suggestions(conn: sqlite3.Connection, now: datetime, batch: int = BATCH) -> int:
    """Forget suggestions older than a year, except declined ones (never proposed again)."""
    return conn.execute(
        """
        DELETE FROM suggestions WHERE id IN (
            SELECT id FROM suggestions WHERE created_at < ? AND status != 'declined' LIMIT ?
        )
        """,
        (iso(now - SUGGESTIONS_KEPT), batch),
    ).rowcount


def prune_digests(conn: sqlite3.Connection, now: datetime, batch: int = BATCH) -> int:
    """Forget digests older than 180 days that no remaining suggestion refers to."""
    return conn.execute(
        """
        DELETE FROM digests WHERE id IN (
            SELECT d.id FROM digests d
            WHERE d.created_at < ? AND NOT EXISTS (SELECT 1 FROM suggestions s WHERE s.digest_id = d.id)
            LIMIT ?
        )
        """,
        (iso(now - DIGESTS_KEPT), batch),
    ).rowcount


def prune_audit_log(conn: sqlite3.Connection, now: datetime, batch: int = BATCH) -> int:
    """Forget audit entries older than two years."""
    return conn.execute(
        "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? ORDER BY at LIMIT ?)",
        (iso(now - AUDIT_KEPT), batch),
    ).rowcount


def prune_send_pacing(conn: sqlite3.Connection, now: datetime, batch: int = BATCH) -> int:
    """Forget send schedules whose next free slot passed more than :data:`PACING_KEPT` ago."""
    return conn.execute(
        "DELETE FROM send_pacing WHERE key IN (SELECT key FROM send_pacing WHERE tat < ? LIMIT ?)",
        ((now - PACING_KEPT).timestamp(), batch),
    ).rowcount


PRUNERS = {
    "suggestions": prune_suggestions,
    "digests": prune_digests,
    "audit_log": prune_audit_log,
    "send_pacing": prune_send_pacing,
}
"""Run in this order (suggestions before the digests they keep)."""
