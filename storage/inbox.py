"""Incoming platform updates recorded before they are confirmed to the platform (Telegram long polling).

The Bot API hands out at most 100 updates per ``getUpdates``, in order, and keeps every update
until a later call confirms it. When one person's backlog waits to be handled, the rest of the
queue can only be fetched once the waiting updates are confirmed: they are written here first
(one transaction per batch), confirmed, handled, then forgotten. At start the adapter handles
again what is still here (a kill between confirming and handling loses nothing; the core's
event ids drop what was already committed).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

__all__ = ["forget", "record", "waiting"]


def record(conn: sqlite3.Connection, platform: str, updates: Sequence[tuple[int, str]], now: str) -> None:
    """Keep ``updates`` (id, JSON body) of ``platform`` until :func:`forget` (a redelivered one once)."""
    conn.executemany(
        "INSERT INTO inbox (platform, update_id, body, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [(platform, update_id, body, now) for update_id, body in updates],
    )


def waiting(conn: sqlite3.Connection, platform: str) -> list[tuple[int, str]]:
    """The recorded updates of ``platform`` not handled yet, oldest first."""
    rows = conn.execute("SELECT update_id, body FROM inbox WHERE platform = ? ORDER BY update_id", (platform,)).fetchall()
    return [(int(row[0]), str(row[1])) for row in rows]


def forget(conn: sqlite3.Connection, platform: str, update_ids: Iterable[int]) -> None:
    """Drop handled updates."""
    conn.executemany("DELETE FROM inbox WHERE platform = ? AND update_id = ?", [(platform, update_id) for update_id in update_ids])
