"""Coordinators' calls beyond sending: organisation names, scheduled calls, reminders, and why an
audience is empty. Every statement here is portable SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from storage import identities
from storage.coordination import Area, AudienceSpec, area_filter, next_call_number
from storage.dialect import json_values

EMPTY_REASONS: tuple[str, ...] = ("nobody", "consent", "pause", "unreachable", "cap")
"""Why an audience is empty, in the order the filters apply."""


@dataclass(frozen=True, slots=True)
class ScheduledCall:
    """A call waiting for its time (it becomes a broadcast when sent)."""

    id: int
    coordinator_id: int
    area: Area
    kinds: tuple[str, ...]
    themes: tuple[str, ...]
    message: str
    mode: str
    requester_platform: str
    requester_chat: str
    send_at: str
    status: str
    number: int
    """The number its coordinator sees (kept when it is sent)."""


@dataclass(frozen=True, slots=True)
class CallSummary:
    """One line of ``/appels``: a scheduled call or a sent broadcast."""

    kind: str  # "scheduled" or "sent"
    id: int
    number: int  # the one shown, unique among the calls of one person
    when: str
    message: str
    mode: str
    answers: int
    reminded: bool


def set_organisation(conn: sqlite3.Connection, platform: str, user_id: str, name: str | None) -> int:
    """Set the organisation name that signs a person's calls (every appointment); return how many."""
    cursor = conn.execute("UPDATE coordinators SET organisation = ? WHERE platform = ? AND user_id = ?", (name, platform, user_id))
    return cursor.rowcount


def organisation(conn: sqlite3.Connection, platform: str, user_id: str) -> str | None:
    """The organisation name set for a person's appointments (None when not set)."""
    row = conn.execute(
        "SELECT organisation FROM coordinators WHERE platform = ? AND user_id = ? AND organisation IS NOT NULL ORDER BY id LIMIT 1",
        (platform, user_id),
    ).fetchone()
    return None if row is None else str(row[0])


def tag_outbox(conn: sqlite3.Connection, outbox_id: int, broadcast_id: int) -> None:
    """Mark an outbox message as part of a call (a pause or withdrawal cancels it while pending)."""
    conn.execute("UPDATE outbox SET broadcast_id = ? WHERE id = ?", (broadcast_id, outbox_id))


def schedule(
    conn: sqlite3.Connection,
    coordinator_id: int,
    spec: AudienceSpec,
    message: str,
    mode: str,
    requester: tuple[str, str],
    send_at: str,
    now: str,
) -> int:
    """Store a call to send at ``send_at``; return its id."""
    row = conn.execute(
        """
        INSERT INTO scheduled_calls (coordinator_id, area_kind, area_code, area_label, actor_kinds, themes, message, answer_mode,
                                     requester_platform, requester_chat, send_at, status, created_at, updated_at, call_number)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?) RETURNING id
        """,
        (
            coordinator_id,
            spec.area.kind,
            spec.area.code,
            spec.area.label,
            json.dumps(list(spec.kinds)),
            json.dumps(list(spec.themes)),
            message,
            mode,
            requester[0],
            requester[1],
            send_at,
            now,
            now,
            next_call_number(conn, coordinator_id),
        ),
    ).fetchone()
    return int(row[0])


_CALL_COLUMNS = (
    "id, coordinator_id, area_kind, area_code, area_label, actor_kinds, themes, message, answer_mode,"
    " requester_platform, requester_chat, send_at, status, call_number"
)


def _call(row: Any) -> ScheduledCall:
    return ScheduledCall(
        int(row[0]),
        int(row[1]),
        Area(row[2], row[3], row[4]),
        tuple(json.loads(row[5])),
        tuple(json.loads(row[6])),
        row[7],
        row[8],
        row[9],
        row[10],
        row[11],
        row[12],
        int(row[13]),
    )


def scheduled_call(conn: sqlite3.Connection, call_id: int) -> ScheduledCall | None:
    """One scheduled call (any status)."""
    row = conn.execute(f"SELECT {_CALL_COLUMNS} FROM scheduled_calls WHERE id = ?", (call_id,)).fetchone()
    return None if row is None else _call(row)


def due(conn: sqlite3.Connection, now: str) -> list[ScheduledCall]:
    """Scheduled calls whose time has come, oldest first."""
    rows = conn.execute(
        f"SELECT {_CALL_COLUMNS} FROM scheduled_calls WHERE status = 'scheduled' AND send_at <= ? ORDER BY send_at, id", (now,)
    ).fetchall()
    return [_call(row) for row in rows]


def mark_sent(conn: sqlite3.Connection, call_id: int, broadcast_id: int | None, now: str) -> bool:
    """The scheduled call went out (once: False when it was already sent or cancelled)."""
    cursor = conn.execute(
        "UPDATE scheduled_calls SET status = 'sent', broadcast_id = ?, updated_at = ? WHERE id = ? AND status = 'scheduled'",
        (broadcast_id, now, call_id),
    )
    return cursor.rowcount == 1


def edit(conn: sqlite3.Connection, call_id: int, now: str, message: str | None = None, send_at: str | None = None) -> bool:
    """Change a scheduled call's message or time (only while it waits)."""
    cursor = conn.execute(
        """
        UPDATE scheduled_calls SET message = COALESCE(?, message), send_at = COALESCE(?, send_at), updated_at = ?
        WHERE id = ? AND status = 'scheduled'
        """,
        (message, send_at, now, call_id),
    )
    return cursor.rowcount == 1


def cancel(conn: sqlite3.Connection, call_id: int, now: str) -> bool:
    """Cancel a scheduled call (only while it waits)."""
    cursor = conn.execute(
        "UPDATE scheduled_calls SET status = 'cancelled', updated_at = ? WHERE id = ? AND status = 'scheduled'", (now, call_id)
    )
    return cursor.rowcount == 1


def calls_of(conn: sqlite3.Connection, coordinator_ids: tuple[int, ...], limit: int = 10) -> list[CallSummary]:
    """The calls of these appointments: scheduled ones first (soonest first), then the last sent ones
    that ask for answers (a call without answers is never waited for: it would push them out)."""
    if not coordinator_ids:
        return []
    marks = ",".join("?" for _ in coordinator_ids)
    scheduled = [
        CallSummary("scheduled", int(row[0]), int(row[4]), row[1], row[2], row[3], 0, False)
        for row in conn.execute(
            f"""
            SELECT id, send_at, message, answer_mode, call_number FROM scheduled_calls
            WHERE coordinator_id IN ({marks}) AND status = 'scheduled' ORDER BY send_at, id LIMIT ?
            """,
            (*coordinator_ids, limit),
        )
    ]
    sent = [
        CallSummary("sent", int(row[0]), int(row[6]), row[1], row[2], row[3], int(row[4]), row[5] is not None)
        for row in conn.execute(
            f"""
            SELECT b.id, b.created_at, b.message, b.answer_mode,
                   (SELECT COUNT(*) FROM broadcast_answers w WHERE w.broadcast_id = b.id), b.reminded_at, b.call_number
            FROM broadcasts b WHERE b.coordinator_id IN ({marks}) AND b.answer_mode != 'none' ORDER BY b.id DESC LIMIT ?
            """,
            (*coordinator_ids, limit),
        )
    ]
    return scheduled + sent


def non_responders(conn: sqlite3.Connection, broadcast_id: int) -> list[int]:
    """Recipients who received a call, have not answered, and still accept calls (not paused, reachable)."""
    rows = conn.execute(
        """
        SELECT r.actor_id FROM broadcast_recipients r JOIN actors a ON a.id = r.actor_id
        WHERE r.broadcast_id = ? AND r.status = 'sent'
          AND a.consent_calls = TRUE AND a.paused = FALSE AND a.unreachable = FALSE
          AND NOT EXISTS (SELECT 1 FROM broadcast_answers w WHERE w.broadcast_id = r.broadcast_id AND w.actor_id = r.actor_id)
        ORDER BY r.actor_id
        """,
        (broadcast_id,),
    ).fetchall()
    return [int(row[0]) for row in rows]


def mark_reminded(conn: sqlite3.Connection, broadcast_id: int, now: str) -> bool:
    """Record the one reminder of a call; False when it was already sent."""
    cursor = conn.execute("UPDATE broadcasts SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL", (now, broadcast_id))
    return cursor.rowcount == 1


def empty_reason(conn: sqlite3.Connection, spec: AudienceSpec, since: str, cap: int) -> str | None:
    """Why a call would reach nobody (one of :data:`EMPTY_REASONS`), or None when it reaches someone.

    The filters of :func:`storage.coordination.audience` are applied one at a time: the first that
    leaves nobody is the reason.
    """
    inside, params = area_filter("a", spec.area)
    base = f"SELECT COUNT(*) FROM actors a WHERE {inside}"
    if spec.kinds:
        base += f" AND a.kind IN ({','.join('?' for _ in spec.kinds)})"
        params += list(spec.kinds)
    if spec.themes:
        base += f" AND EXISTS (SELECT 1 FROM {json_values(conn, 'a.themes', 't')} WHERE t.value IN ({','.join('?' for _ in spec.themes)}))"
        params += list(spec.themes)
    stages: list[tuple[str, str, list[Any]]] = [
        ("nobody", "", []),
        ("consent", " AND a.consent_calls = TRUE", []),
        ("pause", " AND a.paused = FALSE", []),
        (
            "unreachable",
            " AND a.unreachable = FALSE AND EXISTS (SELECT 1 FROM identities i WHERE i.actor_id = a.id AND i.unreachable = FALSE)",
            [],
        ),
        (
            "cap",
            " AND (SELECT COUNT(*) FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id"
            " WHERE r.actor_id = a.id AND b.created_at >= ?) < ?",
            [since, cap],
        ),
    ]
    sql, values = base, list(params)
    for reason, condition, extra in stages:
        sql += condition
        values += extra
        if int(conn.execute(sql, values).fetchone()[0]) == 0:
            return reason
    return None


def author(conn: sqlite3.Connection, coordinator_id: int) -> tuple[str, str] | None:
    """(platform, user_id) of an appointment."""
    row = conn.execute("SELECT platform, user_id FROM coordinators WHERE id = ?", (coordinator_id,)).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))


def language_of_chat(conn: sqlite3.Connection, platform: str, chat_id: str) -> str | None:
    """The language of the actor behind a chat, else (no profile: a coordinator) of their conversation
    (:func:`storage.identities.language_of_chat`)."""
    return identities.language_of_chat(conn, platform, chat_id)


def link(conn: sqlite3.Connection, call_id: int, broadcast_id: int) -> None:
    """Remember which broadcast a scheduled call became."""
    conn.execute("UPDATE scheduled_calls SET broadcast_id = ? WHERE id = ?", (broadcast_id, call_id))
