"""The statements of the Matrix adapter's own small state file (``adapter.sqlite`` in its store).

Not the bot's database: a local SQLite file beside nio's crypto store, holding the first-ever
start time (older events are never answered) and the sent messages that carry choices (so a
keycap reaction can be turned into a choice). ``bot/adapters/matrix_state.py`` owns the file's
life cycle; every SQL statement is here (storage owns every statement).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.files import restrict


def open_state(path: Path) -> sqlite3.Connection:
    """Open (or create) the state file at ``path`` (0600, as its WAL: it names the rooms of people),
    its tables created if missing."""
    restrict(path)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS sent_prompts ("
        " event_id TEXT PRIMARY KEY, room_id TEXT NOT NULL, prompt_id TEXT NOT NULL,"
        " choices INTEGER NOT NULL, sent_at INTEGER NOT NULL)"
    )
    return conn


def first_start_ms(conn: sqlite3.Connection, now_ms: int) -> int:
    """The recorded first-ever start (ms), ``now_ms`` recorded and returned when there is none."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'first_start_ms'").fetchone()
    if row:
        return int(row[0])
    conn.execute("INSERT INTO meta (key, value) VALUES ('first_start_ms', ?)", (str(now_ms),))
    return now_ms


def remember_prompt(conn: sqlite3.Connection, event_id: str, room_id: str, prompt_id: str, choices: int, now_s: int) -> None:
    """Record that ``event_id`` shows ``choices`` options of ``prompt_id``."""
    conn.execute("INSERT OR REPLACE INTO sent_prompts VALUES (?, ?, ?, ?, ?)", (event_id, room_id, prompt_id, choices, now_s))


def prompt_of(conn: sqlite3.Connection, event_id: str, room_id: str) -> tuple[str, int] | None:
    """(prompt id, number of choices) of a sent message in ``room_id``, or None."""
    row = conn.execute("SELECT prompt_id, choices FROM sent_prompts WHERE event_id = ? AND room_id = ?", (event_id, room_id)).fetchone()
    return (str(row[0]), int(row[1])) if row else None


def prune_prompts(conn: sqlite3.Connection, before_s: int) -> int:
    """Forget prompts sent before ``before_s`` (epoch seconds); return how many."""
    return int(conn.execute("DELETE FROM sent_prompts WHERE sent_at < ?", (before_s,)).rowcount)
