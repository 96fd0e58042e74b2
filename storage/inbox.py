"""Incoming platform updates recorded before they are confirmed to the platform (Telegram long polling).

The Bot API hands out at most 100 updates per ``getUpdates``, in order, and keeps every update
until a later call confirms it. When one person's backlog waits to be handled, the rest of the
queue can only be fetched once the waiting updates are confirmed: they are written here first
(one transaction per batch), confirmed, handled, then forgotten. At start the adapter handles
again what is still here (a kill between confirming and handling loses nothing; the core's
event ids drop what was already committed).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from typing import Any

__all__ = ["drop_person", "forget", "record", "waiting"]


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


def _event_id(update: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(sender's user id, chat id, the core's event id) of a Telegram update body, as the adapter builds them."""
    message = update.get("message")
    if isinstance(message, dict):
        sender, chat = message.get("from") or {}, message.get("chat") or {}
        chat_id = None if chat.get("id") is None else str(chat["id"])
        return _str(sender.get("id")), chat_id, f"tg:m:{chat_id}:{message.get('message_id')}"
    query = update.get("callback_query")
    if isinstance(query, dict):
        sender, chat = query.get("from") or {}, (query.get("message") or {}).get("chat") or {}
        return _str(sender.get("id")), _str(chat.get("id")), f"tg:cb:{query.get('id')}"
    return None, None, None


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def drop_person(conn: sqlite3.Connection, platform: str, user_ids: Collection[str], chat_ids: Collection[str], now: str) -> int:
    """Erase the updates of ``platform`` that a person sent (by user or chat id) and are still waiting.

    Their event ids are recorded as processed, so that a copy being handled in memory, or a
    replay at the next start, is dropped as a redelivery instead of re-creating their data.
    Returns how many updates were dropped.
    """
    dropped: list[tuple[int, str | None]] = []
    for update_id, body in waiting(conn, platform):
        try:
            document = json.loads(body)
        except ValueError:
            continue
        sender, chat, event_id = _event_id(document) if isinstance(document, dict) else (None, None, None)
        if (sender is not None and sender in user_ids) or (chat is not None and chat in chat_ids):
            dropped.append((update_id, event_id))
    forget(conn, platform, [update_id for update_id, _ in dropped])
    for _, event_id in dropped:
        if event_id is not None:
            conn.execute(
                "INSERT INTO processed_events (platform, event_id, processed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (platform, event_id, now),
            )
    return len(dropped)
