"""Platform identities (a person on Telegram, Matrix or the console) and their sessions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from core.model import Identity, Session
from storage.dialect import write_unread
from storage.jsontext import compact

IDENTITY = "SELECT actor_id, chat_id, display_name, handle, language_code, unreachable FROM identities WHERE platform = ? AND user_id = ?"
SESSION = "SELECT state FROM sessions WHERE platform = ? AND user_id = ?"
ARRIVE = (
    "SELECT i.actor_id, i.chat_id, i.display_name, i.handle, i.language_code, i.unreachable, s.state,"
    " EXISTS (SELECT 1 FROM coordinators c WHERE c.platform = i.platform AND c.user_id = i.user_id)"
    " FROM identities i LEFT JOIN sessions s ON s.platform = i.platform AND s.user_id = i.user_id"
    " WHERE i.platform = ? AND i.user_id = ?"
)
"""A step's first read (:func:`arrive`): the identity, its session and whether it has an appointment."""


def prefetch_step(conn: sqlite3.Connection, platform: str, user_id: str) -> None:
    """Before a step's first statement: its first read (:data:`ARRIVE`: the identity, its session,
    whether it has an appointment) goes with that statement, in its round trip, on PostgreSQL
    (nothing on SQLite). A first contact's session and a coordinator's areas, rarer, are read
    when needed.

    :func:`arrive` then finds its row there, unless a write came first (it reads again).
    """
    prefetch = getattr(conn, "prefetch", None)
    if prefetch is not None:
        prefetch(ARRIVE, (platform, user_id))


def upsert_identity(conn: sqlite3.Connection, identity: Identity, chat_id: str, now: str) -> int | None:
    """Create or refresh the identity; return the actor id it is linked to (if any).

    Read first: most steps come from a known identity whose chat, names and language did not
    change, and a read dirties no page (nothing for the commit to write), where the upsert
    rewrote the row and its chat index at every step.
    """
    known = conn.execute(IDENTITY, (identity.platform, identity.user_id)).fetchone()
    return _refresh(conn, identity, chat_id, now, known)


def arrive(conn: sqlite3.Connection, identity: Identity, chat_id: str, now: str) -> tuple[int | None, Session, bool]:
    """:func:`upsert_identity` and :func:`load_session` of a step: (actor id, session, whether
    the person may coordinate an area: False only when known to coordinate none).

    A known identity, its session and whether it has an appointment are read by one statement
    (a step's most frequent case: the areas themselves are read only for a coordinator).
    """
    row = conn.execute(ARRIVE, (identity.platform, identity.user_id)).fetchone()
    actor_id = _refresh(conn, identity, chat_id, now, row)
    if row is None:  # a first contact (a session, an appointment may come before it: read them)
        return actor_id, load_session(conn, identity.platform, identity.user_id), True
    return actor_id, Session() if row[6] is None else Session.from_json(json.loads(row[6])), bool(row[7])


def _refresh(conn: sqlite3.Connection, identity: Identity, chat_id: str, now: str, known: Any) -> int | None:
    """Write the identity unless ``known`` (its stored row, None when unknown) says nothing changed."""
    if (
        known is not None
        and known[1] == chat_id
        and identity.display_name in (None, known[2])
        and identity.handle in (None, known[3])
        and identity.language_code in (None, known[4])
        and not known[5]
    ):
        return None if known[0] is None else int(known[0])
    row = conn.execute(
        """
        INSERT INTO identities (platform, user_id, chat_id, display_name, handle, language_code, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (platform, user_id) DO UPDATE SET
            chat_id = excluded.chat_id,
            display_name = COALESCE(excluded.display_name, identities.display_name),
            handle = COALESCE(excluded.handle, identities.handle),
            language_code = COALESCE(excluded.language_code, identities.language_code),
            unreachable = FALSE
        RETURNING actor_id
        """,
        (identity.platform, identity.user_id, chat_id, identity.display_name, identity.handle, identity.language_code, now),
    ).fetchone()
    return None if row is None else row[0]


def link_actor(conn: sqlite3.Connection, platform: str, user_id: str, actor_id: int) -> None:
    """Attach the identity to an actor."""
    conn.execute("UPDATE identities SET actor_id = ? WHERE platform = ? AND user_id = ?", (actor_id, platform, user_id))


def mark_unreachable(conn: sqlite3.Connection, platform: str, chat_id: str) -> int | None:
    """Flag the identity behind ``chat_id`` (and its actor) unreachable; return the actor id."""
    row = conn.execute("SELECT actor_id FROM identities WHERE platform = ? AND chat_id = ?", (platform, chat_id)).fetchone()
    conn.execute("UPDATE identities SET unreachable = TRUE WHERE platform = ? AND chat_id = ?", (platform, chat_id))
    if row is not None and row[0] is not None:
        conn.execute("UPDATE actors SET unreachable = TRUE WHERE id = ?", (row[0],))
        return int(row[0])
    return None


def identities_of(conn: sqlite3.Connection, actor_id: int) -> list[dict[str, Any]]:
    """The platform identities linked to an actor."""
    rows = conn.execute("SELECT platform, user_id, chat_id, handle, unreachable FROM identities WHERE actor_id = ?", (actor_id,)).fetchall()
    return [dict(zip(("platform", "user_id", "chat_id", "handle", "unreachable"), row, strict=True)) for row in rows]


def load_session(conn: sqlite3.Connection, platform: str, user_id: str) -> Session:
    """The stored session, or a fresh one."""
    row = conn.execute(SESSION, (platform, user_id)).fetchone()
    return Session() if row is None else Session.from_json(json.loads(row[0]))


SAVE_SESSION = """
    INSERT INTO sessions (platform, user_id, state, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (platform, user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
"""
SAVE_STEP = """
    INSERT INTO sessions (platform, user_id, state, updated_at, held) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (platform, user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, held = excluded.held
"""


def save_session(conn: sqlite3.Connection, platform: str, user_id: str, session: Session, now: str) -> None:
    """Write the session (one row per identity); the replies it may keep (``held``) are left as they are."""
    write_unread(  # on PostgreSQL it rides with the step's next statement (its reply's outbox row)
        conn, SAVE_SESSION, (platform, user_id, compact(session.to_json()), now)
    )


def save_step(conn: sqlite3.Connection, platform: str, user_id: str, session: Session, now: str, held: str | None) -> None:
    """Write a step's session with the replies it keeps until they are sent (``held``: see
    :func:`storage.outbox.held_replies`; None: none)."""
    conn.execute(SAVE_STEP, (platform, user_id, compact(session.to_json()), now, held))


def clear_held(conn: sqlite3.Connection, keys: Iterable[tuple[str, str]]) -> None:
    """The replies kept in these sessions (platform, user id) were sent: forget them."""
    conn.executemany("UPDATE sessions SET held = NULL WHERE platform = ? AND user_id = ? AND held IS NOT NULL", list(keys))


def mark_processed(conn: sqlite3.Connection, platform: str, event_id: str, now: str) -> bool:
    """Record the event id; False when it was already processed (a redelivery)."""
    cursor = conn.execute(
        "INSERT INTO processed_events (platform, event_id, processed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (platform, event_id, now),
    )
    return cursor.rowcount == 1


def prune_processed(conn: sqlite3.Connection, before: str) -> int:
    """Forget event ids processed before ``before`` (platforms stop redelivering long before)."""
    return conn.execute("DELETE FROM processed_events WHERE processed_at < ?", (before,)).rowcount


def actor_reachable(conn: sqlite3.Connection, platform: str, chat_id: str) -> tuple[int, bool] | None:
    """(actor id, whether the actor is flagged reachable) for the identity behind ``chat_id``."""
    row = conn.execute(
        """
        SELECT a.id, a.unreachable FROM identities i JOIN actors a ON a.id = i.actor_id
        WHERE i.platform = ? AND i.chat_id = ?
        """,
        (platform, chat_id),
    ).fetchone()
    return None if row is None else (int(row[0]), not row[1])


def stored_identity(conn: sqlite3.Connection, platform: str, user_id: str) -> Identity:
    """The identity as the platform last told it (display name, handle, language), for what is shown
    without a message (the console reopened): the same "Mon compte console (karim)" as before."""
    row = conn.execute(IDENTITY, (platform, user_id)).fetchone()
    if row is None:
        return Identity(platform=platform, user_id=user_id)
    return Identity(platform=platform, user_id=user_id, display_name=row[2], handle=row[3], language_code=row[4])


def identity_actor(conn: sqlite3.Connection, platform: str, user_id: str) -> tuple[bool, int | None]:
    """(whether ``platform``/``user_id`` is a known identity, the actor it belongs to if any)."""
    row = conn.execute("SELECT actor_id FROM identities WHERE platform = ? AND user_id = ?", (platform, user_id)).fetchone()
    return (False, None) if row is None else (True, None if row[0] is None else int(row[0]))


def recipient(conn: sqlite3.Connection, platform: str, chat_id: str) -> tuple[str, int | None, Session, str | None] | None:
    """(user id, actor id, session, when the session was last written) of the person behind a chat."""
    row = conn.execute(
        """
        SELECT i.user_id, i.actor_id, s.updated_at FROM identities i
        LEFT JOIN sessions s ON s.platform = i.platform AND s.user_id = i.user_id
        WHERE i.platform = ? AND i.chat_id = ?
        """,
        (platform, chat_id),
    ).fetchone()
    if row is None:
        return None
    return row[0], row[1], load_session(conn, platform, row[0]), row[2]


def language_of_chat(conn: sqlite3.Connection, platform: str, chat_id: str) -> str | None:
    """The language to write to the person behind a chat in: their profile's; without a profile (a
    coordinator, someone who has not finished theirs), the language of their conversation, else
    the one their app declares (``en-GB`` → ``en``); None when the chat is unknown. Every notice to a
    chat that is not an actor's (a coordinator's) takes its language here."""
    row = conn.execute(
        """
        SELECT a.language, s.state, i.language_code FROM identities i
        LEFT JOIN actors a ON a.id = i.actor_id
        LEFT JOIN sessions s ON s.platform = i.platform AND s.user_id = i.user_id
        WHERE i.platform = ? AND i.chat_id = ?
        ORDER BY a.language IS NULL, i.user_id LIMIT 1
        """,
        (platform, chat_id),
    ).fetchone()
    if row is None:
        return None
    if row[0]:
        return str(row[0])
    spoken = json.loads(row[1]).get("language") if row[1] else None
    if spoken:
        return str(spoken)
    declared = str(row[2] or "").replace("_", "-").split("-")[0].strip().lower()
    return declared or None
