"""Coordinators, their audit log, broadcasts, recipients and answers."""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass
from typing import Any

from core.model import Area
from core.text import name_key, name_score
from storage import identities
from storage.dialect import for_update, json_text, json_values, one_of
from storage.introductions import signature
from territories.municipal import commune_codes

AREA_COLUMNS = {"commune": "commune_code", "epci": "epci_code", "departement": "departement_code"}
INVITE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True, slots=True)
class CoordinatorRow:
    """One coordinator appointment."""

    id: int
    platform: str
    user_id: str
    area: Area
    invite_code: str
    weekly_todo: bool = True
    organisation: str | None = None
    """The organisation that signs the person's calls (the same on each of their appointments), None when not set."""


@dataclass(frozen=True, slots=True)
class AudienceSpec:
    """Who a broadcast is for: an area, actor types and themes (empty tuple = all)."""

    area: Area
    kinds: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    exclude: tuple[int, ...] = ()
    """Actors never reached, whatever the filters: the sender's own profile."""


def audit(conn: sqlite3.Connection, who: str, action: str, now: str, subject: str | None = None, **details: Any) -> None:
    """Write one line of the audit log (every coordinator and admin action); ``subject``: the
    ``platform:user_id`` of the person it is about, when not its author (their erasure finds it)."""
    conn.execute(
        "INSERT INTO audit_log (at, who, action, details, subject) VALUES (?, ?, ?, ?, ?)",
        (now, who, action, json.dumps(details, ensure_ascii=False, sort_keys=True), subject),
    )


def add_coordinator(conn: sqlite3.Connection, platform: str, user_id: str, area: Area, created_by: str, now: str) -> CoordinatorRow:
    """Appoint (or confirm) a coordinator for ``area``; return the appointment with its invite code."""
    existing = conn.execute(
        "SELECT id, invite_code FROM coordinators WHERE platform = ? AND user_id = ? AND area_kind = ? AND area_code = ?",
        (platform, user_id, area.kind, area.code),
    ).fetchone()
    if existing is not None:
        return CoordinatorRow(existing[0], platform, user_id, area, existing[1])
    code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(8))
    cursor = conn.execute(
        """
        INSERT INTO coordinators (platform, user_id, area_kind, area_code, area_label, invite_code, created_at, created_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
        """,
        (platform, user_id, area.kind, area.code, area.label, code, now, created_by),
    )
    person = f"{platform}:{user_id}"
    audit(conn, created_by, "coordinator.add", now, subject=person, coordinator=person, area=f"{area.kind}:{area.code}")
    return CoordinatorRow(int(cursor.fetchone()[0]), platform, user_id, area, code)


def remove_coordinator(
    conn: sqlite3.Connection, platform: str, user_id: str, removed_by: str, now: str, area_code: str | None = None
) -> int:
    """Remove a coordinator's appointments (one area, or all); return how many.

    Their calls still being delivered stop: the messages not sent yet are cancelled.
    """
    appointments = [
        row[0]
        for row in conn.execute(
            "SELECT id FROM coordinators WHERE platform = ? AND user_id = ? AND (CAST(? AS TEXT) IS NULL OR area_code = ?)",
            (platform, user_id, area_code, area_code),
        )
    ]
    if not appointments:
        return 0
    calls = f"SELECT id FROM broadcasts WHERE {one_of('coordinator_id', len(appointments))}"
    conn.execute(
        f"UPDATE outbox SET status = 'failed', sent_at = ?, error = 'cancelled: coordinator removed'"
        f" WHERE status = 'pending' AND broadcast_id IN ({calls})",
        (now, *appointments),
    )
    conn.execute(f"UPDATE broadcast_recipients SET status = 'failed' WHERE status = 'pending' AND broadcast_id IN ({calls})", appointments)
    conn.execute(
        f"UPDATE broadcasts SET status = 'cancelled', finished_at = ? WHERE status = 'sending' AND id IN ({calls})",
        (now, *appointments),
    )
    cursor = conn.execute(
        "DELETE FROM coordinators WHERE platform = ? AND user_id = ? AND (CAST(? AS TEXT) IS NULL OR area_code = ?)",
        (platform, user_id, area_code, area_code),
    )
    if cursor.rowcount:
        person = f"{platform}:{user_id}"
        audit(conn, removed_by, "coordinator.remove", now, subject=person, coordinator=person, area=area_code or "*")
    return cursor.rowcount


def _row(row: tuple) -> CoordinatorRow:
    return CoordinatorRow(row[0], row[1], row[2], Area(row[3], row[4], row[5]), row[6], bool(row[7]), row[8])


_SELECT = "SELECT id, platform, user_id, area_kind, area_code, area_label, invite_code, weekly_todo, organisation FROM coordinators"


def coordinators(conn: sqlite3.Connection) -> list[CoordinatorRow]:
    """Every appointment."""
    return [_row(row) for row in conn.execute(_SELECT + " ORDER BY id")]


def coordinated_areas(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(kind, code) of every area a coordinator animates, once each: the territory the bot serves."""
    return [(str(row[0]), str(row[1])) for row in conn.execute("SELECT DISTINCT area_kind, area_code FROM coordinators ORDER BY 1, 2")]


AREAS_OF = _SELECT + " WHERE platform = ? AND user_id = ? ORDER BY id"
"""The appointments of one person (parameters: platform, user id)."""


def areas_of(conn: sqlite3.Connection, platform: str, user_id: str) -> list[CoordinatorRow]:
    """The appointments of one person (empty: not a coordinator)."""
    return [_row(row) for row in conn.execute(AREAS_OF, (platform, user_id))]


def by_invite(conn: sqlite3.Connection, code: str) -> CoordinatorRow | None:
    """The appointment behind an invitation code."""
    row = conn.execute(_SELECT + " WHERE invite_code = ?", (code,)).fetchone()
    return None if row is None else _row(row)


def area_filter(alias: str, area: Area) -> tuple[str, list[Any]]:
    """SQL condition (and parameters) that actor ``alias`` lies in ``area``; a commune of Paris,
    Lyon or Marseille includes the actors registered in one of its arrondissements."""
    column = AREA_COLUMNS[area.kind]
    codes = commune_codes(area.code) if area.kind == "commune" else (area.code,)
    return f"{alias}.{column} IN ({','.join('?' for _ in codes)})", list(codes)


def _audience_sql(conn: sqlite3.Connection, spec: AudienceSpec, since: str, cap: int) -> tuple[str, list[Any]]:
    inside, params = area_filter("a", spec.area)
    sql = f"""
        SELECT a.id FROM actors a
        WHERE {inside} AND a.consent_calls = TRUE AND a.paused = FALSE AND a.unreachable = FALSE
          AND EXISTS (SELECT 1 FROM identities i WHERE i.actor_id = a.id AND i.unreachable = FALSE)
          AND (SELECT COUNT(*) FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
               WHERE r.actor_id = a.id AND b.created_at >= ?) < ?
    """
    params += [since, cap]
    if spec.kinds:
        sql += f" AND a.kind IN ({','.join('?' for _ in spec.kinds)})"
        params += list(spec.kinds)
    if spec.themes:
        sql += f" AND EXISTS (SELECT 1 FROM {json_values(conn, 'a.themes', 't')} WHERE t.value IN ({','.join('?' for _ in spec.themes)}))"
        params += list(spec.themes)
    if spec.exclude:
        sql += f" AND a.id NOT IN ({','.join('?' for _ in spec.exclude)})"
        params += list(spec.exclude)
    return sql, params


def audience(conn: sqlite3.Connection, spec: AudienceSpec, since: str, cap: int) -> list[int]:
    """Actors a broadcast reaches: in the area, consenting to calls, not paused, reachable, under the cap."""
    sql, params = _audience_sql(conn, spec, since, cap)
    return [row[0] for row in conn.execute(sql + " ORDER BY a.id", params)]


def in_audience(conn: sqlite3.Connection, spec: AudienceSpec, actor_id: int, since: str, cap: int) -> bool:
    """Whether actor ``actor_id`` is one that :func:`audience` would return."""
    sql, params = _audience_sql(conn, spec, since, cap)
    return conn.execute(f"SELECT 1 FROM ({sql}) AS audience WHERE id = ?", [*params, actor_id]).fetchone() is not None


def audience_size(conn: sqlite3.Connection, spec: AudienceSpec, since: str, cap: int) -> int:
    """How many actors :func:`audience` would return (the coordinator's preview)."""
    sql, params = _audience_sql(conn, spec, since, cap)
    return int(conn.execute(f"SELECT COUNT(*) FROM ({sql}) AS audience", params).fetchone()[0])


def actors_in_area(conn: sqlite3.Connection, area: Area, query: str, limit: int = 8) -> list[tuple[int, str, str, str]]:
    """(id, name, kind, commune label) of actors of the area whose name matches ``query`` (its words, in any order),
    ignoring case, accents and punctuation ("epicerie" finds "Épicerie solidaire"), the best match first
    (:func:`core.text.name_score`: the whole name, then whole words of it), then by name.

    SQLite's ``LIKE`` folds ASCII letters only and PostgreSQL's ``ILIKE`` keeps accents, so the
    names of the area are compared in Python (:func:`core.text.name_score`), then the few
    found are read in full."""
    inside, params = area_filter("actors", area)
    names = conn.execute(f"SELECT id, name FROM actors WHERE {inside} AND consent_matching = TRUE", params).fetchall()
    scored = ((name_score(query, str(name)), name_key(str(name)), int(actor_id)) for actor_id, name in names)
    found = sorted((-score, key, actor_id) for score, key, actor_id in scored if score)[:limit]
    if not found:
        return []
    ids = [actor_id for _, _, actor_id in found]
    rows = conn.execute(
        f"SELECT id, name, kind, {json_text(conn, 'place', 'label')} FROM actors WHERE id IN ({','.join('?' for _ in ids)})", ids
    ).fetchall()
    by_id = {int(row[0]): tuple(row) for row in rows}
    return [by_id[actor_id] for actor_id in ids if actor_id in by_id]


def broadcast(conn: sqlite3.Connection, broadcast_id: int) -> dict[str, Any] | None:
    """One broadcast row as a dict."""
    cursor = conn.execute("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
    row = cursor.fetchone()
    return None if row is None else dict(zip([d[0] for d in cursor.description], row, strict=True))


def answers(conn: sqlite3.Connection, broadcast_id: int) -> list[tuple[str, str, str, str, str]]:
    """(actor name, type, commune, answer, date) of a broadcast's answers, oldest first — no contacts."""
    rows = conn.execute(
        f"""
        SELECT a.name, a.kind, {json_text(conn, "a.place", "label")}, w.answer, w.created_at
        FROM broadcast_answers w JOIN actors a ON a.id = w.actor_id
        WHERE w.broadcast_id = ? ORDER BY w.id
        """,
        (broadcast_id,),
    ).fetchall()
    return [tuple(row) for row in rows]


def invitation(conn: sqlite3.Connection, code: str) -> tuple[str | None, str] | None:
    """Who invites with ``code``: (the name that signs the coordinator's calls — the organisation
    given at appointment or with /organisation, else their profile's name — or None, the area's
    label), or None for an unknown or revoked code."""
    row = by_invite(conn, code.strip().lower())
    if row is None:
        return None
    signed = signature(conn, row.id, "")
    return (signed or None, row.area.label)


def broadcasts_of(conn: sqlite3.Connection, coordinator_ids: list[int]) -> list[tuple[Any, ...]]:
    """(id, created at, message, answers, number shown, answer mode, recipients, received, failed, unreachable)
    of the last ten calls of these appointments, newest first: what ``/reponses`` lists, and says of a call
    nobody answered yet (how far its delivery went)."""
    return [
        (row[0], row[1], row[2], row[3], int(row[4]), row[5], int(row[6]), int(row[7]), int(row[8]), int(row[9]))
        for row in conn.execute(
            f"""
            SELECT b.id, b.created_at, b.message, (SELECT COUNT(*) FROM broadcast_answers w WHERE w.broadcast_id = b.id),
                   b.call_number, b.answer_mode, b.recipients_total, b.sent_count, b.failed_count, b.unreachable_count
            FROM broadcasts b JOIN coordinators c ON c.id = b.coordinator_id
            WHERE c.id IN ({",".join("?" for _ in coordinator_ids)}) ORDER BY b.id DESC LIMIT 10
            """,
            coordinator_ids,
        )
    ]


def next_call_number(conn: sqlite3.Connection, coordinator_id: int) -> int:
    """The number the next call of this appointment's holder gets: one counter per person (every
    appointment they hold), shared by scheduled and sent calls, so that the calls they see together
    (``/appels``, ``/reponses``) never share a number. A scheduled call keeps its number when sent.

    On PostgreSQL the person's appointments are locked until the transaction ends: two calls
    created at once by the same person take one number after the other.
    """
    people = "SELECT o.id FROM coordinators o JOIN coordinators c ON c.platform = o.platform AND c.user_id = o.user_id WHERE c.id = ?"
    locked = conn.execute(f"{people} ORDER BY o.id {for_update(conn)}", (coordinator_id,))
    appointments = [int(row[0]) for row in locked.fetchall()] or [coordinator_id]
    marks = one_of("coordinator_id", len(appointments))
    row = conn.execute(
        f"SELECT MAX(n) FROM (SELECT MAX(call_number) AS n FROM broadcasts WHERE {marks}"
        f" UNION ALL SELECT MAX(call_number) AS n FROM scheduled_calls WHERE {marks}) AS numbers",
        (*appointments, *appointments),
    ).fetchone()
    return int(row[0] or 0) + 1


def broadcast_numbered(conn: sqlite3.Connection, platform: str, user_id: str, number: int) -> int | None:
    """The id of the sent call a person sees as n°``number`` (None: they have none)."""
    row = conn.execute(
        "SELECT b.id FROM broadcasts b JOIN coordinators c ON c.id = b.coordinator_id"
        " WHERE c.platform = ? AND c.user_id = ? AND b.call_number = ? ORDER BY b.id LIMIT 1",
        (platform, user_id, number),
    ).fetchone()
    return None if row is None else int(row[0])


def create_broadcast(
    conn: sqlite3.Connection,
    coordinator_id: int,
    spec: AudienceSpec,
    message: str,
    mode: str,
    status: str,
    requester: tuple[str, str],
    now: str,
    number: int | None = None,
) -> int:
    """Store a new call (``requester``: the platform and chat its reports go to); return its id.

    ``number`` is the one its coordinator sees (a scheduled call's, kept); None: the next one."""
    cursor = conn.execute(
        """
        INSERT INTO broadcasts (coordinator_id, area_kind, area_code, area_label, actor_kinds, themes, message, answer_mode,
                                status, requester_platform, requester_chat, created_at, call_number)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
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
            status,
            requester[0],
            requester[1],
            now,
            number if number is not None else next_call_number(conn, coordinator_id),
        ),
    )
    return int(cursor.fetchone()[0])


def set_status_message(conn: sqlite3.Connection, broadcast_id: int, outbox_id: int) -> None:
    """The outbox row of the call's status message (edited as deliveries go)."""
    conn.execute("UPDATE broadcasts SET status_outbox_id = ? WHERE id = ?", (outbox_id, broadcast_id))


def add_recipient(conn: sqlite3.Connection, broadcast_id: int, actor_id: int, outbox_id: int) -> None:
    """One recipient of a call and the outbox row of their message."""
    conn.execute("UPDATE outbox SET broadcast_id = ? WHERE id = ?", (broadcast_id, outbox_id))
    conn.execute(
        "INSERT INTO broadcast_recipients (broadcast_id, actor_id, outbox_id) VALUES (?, ?, ?)",
        (broadcast_id, actor_id, outbox_id),
    )


def set_recipients_total(conn: sqlite3.Connection, broadcast_id: int, queued: int) -> None:
    """How many messages the call queued (none: the call is done at once)."""
    conn.execute(
        "UPDATE broadcasts SET recipients_total = ?, status = CASE WHEN ? = 0 THEN 'done' ELSE status END WHERE id = ?",
        (queued, queued, broadcast_id),
    )


def record_answer(conn: sqlite3.Connection, broadcast_id: int, actor_id: int, answer: str, now: str) -> None:
    """Store an actor's answer to a call (their first answer only)."""
    conn.execute(
        "INSERT INTO broadcast_answers (broadcast_id, actor_id, answer, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (broadcast_id, actor_id, answer, now),
    )


def add_to_answer(conn: sqlite3.Connection, broadcast_id: int, actor_id: int, text: str, remove: bool = False) -> bool:
    """Add ``text`` to an actor's answer to a call (after what they said, or in place of a bare « interested »), or
    take it back out (``remove``); the answer is forwarded again. False when there is no such answer, or a no."""
    row = conn.execute("SELECT answer FROM broadcast_answers WHERE broadcast_id = ? AND actor_id = ?", (broadcast_id, actor_id)).fetchone()
    if row is None or row[0] == "not_interested":
        return False
    before = str(row[0])
    if remove:
        after = "interested" if before == text else before.removesuffix(f" — {text}")
    else:
        after = text if before == "interested" else f"{before} — {text}"
    if after == before:
        return False
    conn.execute(
        "UPDATE broadcast_answers SET answer = ?, forwarded_at = NULL WHERE broadcast_id = ? AND actor_id = ?",
        (after, broadcast_id, actor_id),
    )
    return True


def mark_answers_forwarded(conn: sqlite3.Connection, broadcast_id: int, now: str) -> list[int]:
    """The coordinator has read (or was sent) every answer of this call so far; return the answers claimed.

    Claim first (one statement), then read what was claimed: two runs at once (two workers during a
    change of leader) never forward the same answer twice.
    """
    rows = conn.execute(
        "UPDATE broadcast_answers SET forwarded_at = ? WHERE broadcast_id = ? AND forwarded_at IS NULL RETURNING id",
        (now, broadcast_id),
    ).fetchall()
    return sorted(int(row[0]) for row in rows)


def count_delivery(conn: sqlite3.Connection, outbox_id: int, status: str) -> int | None:
    """Count what became of a call's message (``sent``, ``failed``, ``unreachable``); return the
    call's id, or None when the message is no call's or was already counted."""
    if status not in ("sent", "failed", "unreachable"):
        raise ValueError(f"unknown delivery status {status!r}")
    row = conn.execute("SELECT broadcast_id FROM broadcast_recipients WHERE outbox_id = ? AND status = 'pending'", (outbox_id,)).fetchone()
    if row is None:
        return None
    broadcast_id = int(row[0])
    conn.execute("UPDATE broadcast_recipients SET status = ? WHERE outbox_id = ?", (status, outbox_id))
    conn.execute(f"UPDATE broadcasts SET {status}_count = {status}_count + 1 WHERE id = ?", (broadcast_id,))
    return broadcast_id


def finish_broadcast(conn: sqlite3.Connection, broadcast_id: int, now: str) -> None:
    """Every message of the call was delivered or failed."""
    conn.execute("UPDATE broadcasts SET status = 'done', finished_at = ? WHERE id = ?", (now, broadcast_id))


def chat_language(conn: sqlite3.Connection, platform: str, chat_id: str) -> str | None:
    """The language of the person behind a chat: their profile's, else (a coordinator without a
    profile) their conversation's (:func:`storage.identities.language_of_chat`); None: unknown chat."""
    return identities.language_of_chat(conn, platform, chat_id)


def broadcasts_with_new_answers(conn: sqlite3.Connection) -> list[int]:
    """Calls with answers not forwarded to their coordinator yet."""
    return [
        int(row[0])
        for row in conn.execute(
            "SELECT DISTINCT broadcast_id FROM broadcast_answers WHERE forwarded_at IS NULL ORDER BY broadcast_id"
        ).fetchall()
    ]


def answers_by_id(conn: sqlite3.Connection, answer_ids: list[int]) -> list[tuple[int, str, str, str, str]]:
    """(actor id, name, type, commune, answer) of the given answers, oldest first."""
    if not answer_ids:
        return []
    rows = conn.execute(
        f"""
        SELECT a.id, a.name, a.kind, {json_text(conn, "a.place", "label")}, w.answer FROM broadcast_answers w
        JOIN actors a ON a.id = w.actor_id WHERE w.id IN ({",".join("?" for _ in answer_ids)}) ORDER BY w.id
        """,
        answer_ids,
    ).fetchall()
    return [tuple(row) for row in rows]


def personal_data(conn: sqlite3.Connection, actor_id: int) -> dict[str, Any]:
    """What else is stored about an actor, for ``/mesdonnees``: identities, suggestions,
    introductions, digests, calls received and answers given."""

    def table(sql: str, *params: Any) -> list[dict[str, Any]]:
        cursor = conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    return {
        "identities": table(
            "SELECT platform, user_id, handle, display_name, language_code, created_at FROM identities WHERE actor_id = ?",
            actor_id,
        ),
        "suggestions": table(
            "SELECT id, actor_id, other_id, kind, status, created_at, answered_at FROM suggestions"
            " WHERE actor_id = ? OR other_id = ? ORDER BY id",
            actor_id,
            actor_id,
        ),
        "introductions": table(
            "SELECT id, requester_id, invitee_id, status, created_at, answered_at, requester_outcome, invitee_outcome"
            " FROM introductions WHERE requester_id = ? OR invitee_id = ? ORDER BY id",
            actor_id,
            actor_id,
        ),
        "digests": table("SELECT period, created_at FROM digests WHERE actor_id = ? ORDER BY id", actor_id),
        "calls_received": table(
            "SELECT b.id, b.message, b.created_at, r.status FROM broadcast_recipients r"
            " JOIN broadcasts b ON b.id = r.broadcast_id WHERE r.actor_id = ? ORDER BY b.id",
            actor_id,
        ),
        "answers": table("SELECT broadcast_id, answer, created_at FROM broadcast_answers WHERE actor_id = ? ORDER BY id", actor_id),
    }


def networks_of(conn: sqlite3.Connection, actor_ids: tuple[int, ...]) -> list[str]:
    """The platforms these actors have an identity on (reachable or not), sorted."""
    if not actor_ids:
        return []
    marks = ",".join("?" for _ in actor_ids)
    rows = conn.execute(f"SELECT DISTINCT platform FROM identities WHERE actor_id IN ({marks}) ORDER BY platform", actor_ids)
    return [row[0] for row in rows]


def erasure_scope(conn: sqlite3.Connection, coordinator_ids: tuple[int, ...], now: str) -> dict[str, int]:
    """What erasing the person behind these appointments touches besides their profile: calls
    being delivered or scheduled (cancelled), events still to come and working groups (kept for
    their members, signed by the territory)."""
    if not coordinator_ids:
        return {"calls": 0, "events": 0, "groups": 0}
    mine = one_of("coordinator_id", len(coordinator_ids))
    ids = list(coordinator_ids)

    def count(sql: str, *params: Any) -> int:
        return int(conn.execute(sql, (*ids, *params)).fetchone()[0])

    calls = count(f"SELECT count(*) FROM broadcasts WHERE {mine} AND status = 'sending'") + count(
        f"SELECT count(*) FROM scheduled_calls WHERE {mine} AND status = 'scheduled'"
    )
    events = count(f"SELECT count(*) FROM events WHERE {mine} AND status = 'open' AND starts_at >= ?", now)
    groups = count(f"SELECT count(*) FROM working_groups WHERE {mine} AND status != 'closed'")
    return {"calls": calls, "events": events, "groups": groups}


def overdue_broadcasts(conn: sqlite3.Connection, waited: str, hard_limit: str) -> list[int]:
    """Calls still being delivered that started before ``waited`` and whose only messages left are
    for console chats (delivered when that person next opens the chat, maybe never), or that
    started before ``hard_limit`` whatever is left: their report is due."""
    return [
        int(row[0])
        for row in conn.execute(
            """
            SELECT b.id FROM broadcasts b WHERE b.status = 'sending' AND b.created_at <= ?
              AND (b.created_at <= ? OR NOT EXISTS (
                  SELECT 1 FROM broadcast_recipients r JOIN outbox o ON o.id = r.outbox_id
                  WHERE r.broadcast_id = b.id AND r.status = 'pending' AND o.platform != 'console'))
            ORDER BY b.id
            """,
            (waited, hard_limit),
        )
    ]


def actor_in_areas(conn: sqlite3.Connection, actor_id: int, areas: list[Area]) -> bool:
    """Whether the actor lies in one of the areas (a coordinator's territory)."""
    for area in areas:
        inside, params = area_filter("a", area)
        if conn.execute(f"SELECT 1 FROM actors a WHERE a.id = ? AND {inside}", (actor_id, *params)).fetchone() is not None:
            return True
    return False
