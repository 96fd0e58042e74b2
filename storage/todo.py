"""What a coordinator's weekly to-do reads: new and silent actors, needs without a partner,
introductions waiting on one side, answers to read; the opt-out, and relaunches. Portable SQL."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from storage.coordination import Area, area_filter


@dataclass(frozen=True, slots=True)
class Recipient:
    """A coordinator who receives the weekly to-do, and where."""

    platform: str
    user_id: str
    chat_id: str
    language: str | None


def set_weekly_todo(conn: sqlite3.Connection, platform: str, user_id: str, on: bool) -> int:
    """Turn a person's weekly to-do on or off (every appointment); return how many."""
    return conn.execute(
        "UPDATE coordinators SET weekly_todo = ? WHERE platform = ? AND user_id = ?", (bool(on), platform, user_id)
    ).rowcount


def weekly_todo(conn: sqlite3.Connection, platform: str, user_id: str) -> bool:
    """Whether this person receives the weekly to-do."""
    row = conn.execute(
        "SELECT MIN(CASE WHEN weekly_todo = TRUE THEN 1 ELSE 0 END) FROM coordinators WHERE platform = ? AND user_id = ?",
        (platform, user_id),
    ).fetchone()
    return bool(row and row[0])


def recipients(conn: sqlite3.Connection, appointed_before: str | None = None) -> list[Recipient]:
    """Coordinators who keep the weekly to-do and have a chat with the bot (only those appointed
    by ``appointed_before``, when given: the to-do was due to them then)."""
    rows = conn.execute(
        f"""
        SELECT DISTINCT k.platform, k.user_id, i.chat_id, a.language, s.state FROM coordinators k
        JOIN identities i ON i.platform = k.platform AND i.user_id = k.user_id
        LEFT JOIN actors a ON a.id = i.actor_id
        LEFT JOIN sessions s ON s.platform = k.platform AND s.user_id = k.user_id
        WHERE k.weekly_todo = TRUE{" AND k.created_at <= ?" if appointed_before else ""} ORDER BY k.platform, k.user_id
        """,
        (appointed_before,) if appointed_before else (),
    ).fetchall()
    return [Recipient(str(r[0]), str(r[1]), str(r[2]), r[3] or session_language(r[4])) for r in rows]


def session_language(state: str | None) -> str | None:
    """The language of a stored conversation (a person without a profile is written to in it)."""
    if not state:
        return None
    language = json.loads(state).get("language")
    return str(language) if language else None


def claim_week(conn: sqlite3.Connection, platform: str, user_id: str, slot: str, now: str) -> bool:
    """Record this week's to-do for a person; False when it was already sent (a restart)."""
    cursor = conn.execute(
        "INSERT INTO todo_runs (platform, user_id, slot, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (platform, user_id, slot, now),
    )
    return cursor.rowcount == 1


def new_actors(conn: sqlite3.Connection, area: Area, since: str) -> list[tuple[int, str]]:
    """(id, name) of the actors of the area registered since ``since``, newest first."""
    inside, params = area_filter("a", area)
    rows = conn.execute(
        f"SELECT a.id, a.name FROM actors a WHERE {inside} AND a.created_at >= ? AND a.is_demo = FALSE ORDER BY a.created_at DESC, a.id DESC",
        (*params, since),
    ).fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]


def lonely_needs(conn: sqlite3.Connection, area: Area, before: str, today: str) -> list[tuple[int, str, str]]:
    """(listing id, actor name, description) of open needs of the area older than ``before`` (two
    suggestion rounds) whose actor has no accepted introduction since the need was posted."""
    inside, params = area_filter("a", area)
    rows = conn.execute(
        f"""
        SELECT l.id, a.name, l.description FROM listings l JOIN actors a ON a.id = l.actor_id
        WHERE {inside} AND l.kind = 'need' AND l.status = 'open' AND l.expires_at >= ? AND l.created_at <= ? AND a.is_demo = FALSE
          AND NOT EXISTS (SELECT 1 FROM introductions n WHERE (n.requester_id = a.id OR n.invitee_id = a.id)
                          AND n.status = 'accepted' AND n.created_at >= l.created_at)
        ORDER BY l.created_at, l.id
        """,
        (*params, today, before),
    ).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def silent_actors(conn: sqlite3.Connection, area: Area, before: str, relaunched_since: str) -> list[tuple[int, str]]:
    """(id, name) of actors of the area who have not written since ``before`` (registered before it
    too), reachable, not paused, and not relaunched since ``relaunched_since``."""
    inside, params = area_filter("a", area)
    rows = conn.execute(
        f"""
        SELECT a.id, a.name FROM actors a
        WHERE {inside} AND a.created_at < ? AND a.paused = FALSE AND a.unreachable = FALSE AND a.is_demo = FALSE
          AND EXISTS (SELECT 1 FROM identities i WHERE i.actor_id = a.id)
          AND NOT EXISTS (SELECT 1 FROM identities i JOIN sessions s ON s.platform = i.platform AND s.user_id = i.user_id
                          WHERE i.actor_id = a.id AND s.updated_at >= ?)
          AND NOT EXISTS (SELECT 1 FROM relaunches r WHERE r.actor_id = a.id AND r.at >= ?)
        ORDER BY a.name, a.id
        """,
        (*params, before, before, relaunched_since),
    ).fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]


def waiting_introductions(conn: sqlite3.Connection, area: Area, before: str) -> list[tuple[str, str]]:
    """(requester, invitee) names of introductions of the area asked before ``before`` and still unanswered."""
    inside, params = area_filter("b", area)
    rows = conn.execute(
        f"""
        SELECT a.name, b.name FROM introductions n JOIN actors a ON a.id = n.requester_id JOIN actors b ON b.id = n.invitee_id
        WHERE {inside} AND n.status = 'asked' AND n.created_at <= ? ORDER BY n.created_at, n.id
        """,
        (*params, before),
    ).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def recent_answers(conn: sqlite3.Connection, coordinator_ids: tuple[int, ...], since: str) -> int:
    """How many answers the calls of these appointments received since ``since``."""
    if not coordinator_ids:
        return 0
    marks = ",".join("?" for _ in coordinator_ids)
    row = conn.execute(
        f"""
        SELECT COUNT(*) FROM broadcast_answers w JOIN broadcasts b ON b.id = w.broadcast_id
        WHERE b.coordinator_id IN ({marks}) AND w.created_at >= ?
        """,
        (*coordinator_ids, since),
    ).fetchone()
    return int(row[0])


def record_relaunch(conn: sqlite3.Connection, actor_id: int, coordinator_id: int, now: str) -> None:
    """Remember that a coordinator relaunched an actor (not proposed again for 30 days)."""
    conn.execute("INSERT INTO relaunches (actor_id, coordinator_id, at) VALUES (?, ?, ?)", (actor_id, coordinator_id, now))
