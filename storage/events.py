"""Events published by coordinators, the actors invited, registered or waiting. Portable SQL."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.decisions import DecisionView, token
from storage.coordination import Area, AudienceSpec, in_audience
from storage.introductions import COORDINATOR_ORGANISATION
from territories.municipal import ARRONDISSEMENTS


@dataclass(frozen=True, slots=True)
class EventView:
    """An event as an invited actor sees it."""

    id: int
    title: str
    starts_at: str
    place: str
    capacity: int
    registered: int
    mine: str | None  # None (invited), "registered" or "waiting"
    origin: str
    ends_at: str | None = None
    people: int | None = None
    """How many people the registrations bring (their ``event_people.people``), where it is read."""
    signed: tuple[tuple[str, int, bool, str], ...] = ()
    """Who registered or waits — (name, people, is a demo actor, "registered" or "waiting"), registered first by name,
    then the waiting list in its order: read for the coordinator who published the event only (:func:`published_by`)."""


def create(
    conn: sqlite3.Connection,
    coordinator_id: int,
    title: str,
    starts_at: str,
    place: str,
    capacity: int,
    spec: AudienceSpec,
    requester: tuple[str, str],
    now: str,
    ends_at: str | None = None,
) -> int:
    """Store a published event (``ends_at``: its end, None when not given); return its id."""
    row = conn.execute(
        """
        INSERT INTO events (coordinator_id, title, starts_at, place, capacity, area_kind, area_code, area_label, actor_kinds,
                            themes, requester_platform, requester_chat, created_at, ends_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
        """,
        (
            coordinator_id,
            title,
            starts_at,
            place,
            capacity,
            spec.area.kind,
            spec.area.code,
            spec.area.label,
            json.dumps(list(spec.kinds)),
            json.dumps(list(spec.themes)),
            requester[0],
            requester[1],
            now,
            ends_at,
        ),
    ).fetchone()
    return int(row[0])


def invite(conn: sqlite3.Connection, event_id: int, actor_id: int, now: str) -> None:
    """Record that an actor was invited."""
    conn.execute(
        "INSERT INTO event_people (event_id, actor_id, status, updated_at) VALUES (?, ?, 'invited', ?) ON CONFLICT DO NOTHING",
        (event_id, actor_id, now),
    )


def event(conn: sqlite3.Connection, event_id: int) -> dict[str, Any] | None:
    """One event row as a dict."""
    cursor = conn.execute("SELECT * FROM events WHERE id = ?", (event_id,))
    row = cursor.fetchone()
    return None if row is None else dict(zip([d[0] for d in cursor.description], row, strict=True))


def status_of(conn: sqlite3.Connection, event_id: int, actor_id: int) -> str | None:
    """An actor's place at an event: invited, registered, waiting, left, declined; None if not invited."""
    row = conn.execute("SELECT status FROM event_people WHERE event_id = ? AND actor_id = ?", (event_id, actor_id)).fetchone()
    return None if row is None else str(row[0])


def registered_count(conn: sqlite3.Connection, event_id: int) -> int:
    """How many places are taken: the people coming with each registration (not waiting), one when not said."""
    row = conn.execute("SELECT COALESCE(SUM(people), 0) FROM event_people WHERE event_id = ? AND status = 'registered'", (event_id,))
    return int(row.fetchone()[0])


def people_of(conn: sqlite3.Connection, event_id: int, actor_id: int) -> int:
    """How many people an actor's sign-up brings (1 when not said)."""
    row = conn.execute("SELECT people FROM event_people WHERE event_id = ? AND actor_id = ?", (event_id, actor_id)).fetchone()
    return 1 if row is None or row[0] is None else int(row[0])


def set_people(conn: sqlite3.Connection, event_id: int, actor_id: int, people: int, now: str) -> None:
    """Change how many people an actor's sign-up brings."""
    conn.execute(
        "UPDATE event_people SET people = ?, updated_at = ? WHERE event_id = ? AND actor_id = ?", (people, now, event_id, actor_id)
    )


def set_status(conn: sqlite3.Connection, event_id: int, actor_id: int, status: str, now: str) -> None:
    """Change an actor's place at an event."""
    conn.execute(
        "UPDATE event_people SET status = ?, updated_at = ? WHERE event_id = ? AND actor_id = ?", (status, now, event_id, actor_id)
    )


def first_waiting(conn: sqlite3.Connection, event_id: int) -> int | None:
    """The actor waiting longest for a place."""
    row = conn.execute(
        "SELECT actor_id FROM event_people WHERE event_id = ? AND status = 'waiting' ORDER BY updated_at, actor_id LIMIT 1", (event_id,)
    ).fetchone()
    return None if row is None else int(row[0])


UNCAPPED = 10**9
"""An invitation is not a call: no weekly cap on who is invited (as at publication)."""


def _spec(row: Sequence[Any]) -> AudienceSpec:
    """The audience of an event from its (area_kind, area_code, area_label, actor_kinds, themes) columns."""
    kinds, themes = json.loads(row[3] or "[]"), json.loads(row[4] or "[]")
    return AudienceSpec(Area(str(row[0]), str(row[1]), str(row[2])), tuple(kinds), tuple(themes))


def open_to(conn: sqlite3.Connection, actor_id: int, now: str) -> list[int]:
    """The upcoming open events an actor was never invited to (they joined, or came into its audience, after it was
    published) whose audience they now are part of — its territory, actor types and themes; consenting to calls, not
    paused, reachable —, never the organiser's own profile: invited as they would have been at publication."""
    rows = conn.execute(
        """
        SELECT e.id, e.area_kind, e.area_code, e.area_label, e.actor_kinds, e.themes FROM events e JOIN actors a ON a.id = ?
        WHERE e.status = 'open' AND e.starts_at > ?
          AND ((e.area_kind = 'epci' AND e.area_code = a.epci_code) OR (e.area_kind = 'departement' AND e.area_code = a.departement_code)
               OR (e.area_kind = 'commune' AND (e.area_code = a.commune_code OR e.area_code IN ({cities}))))
          AND NOT EXISTS (SELECT 1 FROM event_people p WHERE p.event_id = e.id AND p.actor_id = ?)
          AND NOT EXISTS (SELECT 1 FROM coordinators c JOIN identities i ON i.platform = c.platform AND i.user_id = c.user_id
                          WHERE c.id = e.coordinator_id AND i.actor_id = ?)
        ORDER BY e.starts_at, e.id
        """.format(cities=", ".join("?" for _ in ARRONDISSEMENTS)),
        (actor_id, now, *ARRONDISSEMENTS, actor_id, actor_id),
    ).fetchall()  # only the events of the actor's territory are read, then checked against their audience
    return [int(row[0]) for row in rows if in_audience(conn, _spec(row[1:]), actor_id, now, UNCAPPED)]


def invite_late(conn: sqlite3.Connection, event_id: int, actor_id: int, now: str) -> bool:
    """Invite an actor who joined the event's audience after its publication (:func:`open_to`), when they fit it now."""
    if event_id not in open_to(conn, actor_id, now):
        return False
    invite(conn, event_id, actor_id, now)
    return True


def events_for(conn: sqlite3.Connection, actor_id: int, now: str) -> list[EventView]:
    """The upcoming events an actor was invited to — or would be now (:func:`open_to`) —, soonest first."""
    late = open_to(conn, actor_id, now)
    marks = ", ".join("?" for _ in late) or "NULL"
    rows = conn.execute(
        f"""
        SELECT e.id, e.title, e.starts_at, e.place, e.capacity,
               (SELECT COALESCE(SUM(r.people), 0) FROM event_people r WHERE r.event_id = e.id AND r.status = 'registered'),
               (SELECT p.status FROM event_people p WHERE p.event_id = e.id AND p.actor_id = ?),
               COALESCE(({COORDINATOR_ORGANISATION.format(coordinator="e.coordinator_id")}), e.area_label), e.ends_at
        FROM events e
        WHERE e.starts_at > ? AND e.status = 'open'
          AND (EXISTS (SELECT 1 FROM event_people p WHERE p.event_id = e.id AND p.actor_id = ?) OR e.id IN ({marks}))
        ORDER BY e.starts_at, e.id
        """,
        (actor_id, now, actor_id, *late),
    ).fetchall()
    return [
        EventView(int(r[0]), r[1], r[2], r[3], int(r[4]), int(r[5]), r[6] if r[6] in ("registered", "waiting") else None, str(r[7]), r[8])
        for r in rows
    ]


def published_by(conn: sqlite3.Connection, coordinator_ids: tuple[int, ...], now: str) -> list[EventView]:
    """The upcoming open events published through these appointments (a coordinator's own), soonest first;
    ``origin`` is the area they were published for."""
    if not coordinator_ids:
        return []
    marks = ", ".join("?" for _ in coordinator_ids)
    rows = conn.execute(
        f"""
        SELECT e.id, e.title, e.starts_at, e.place, e.capacity,
               (SELECT COUNT(*) FROM event_people r WHERE r.event_id = e.id AND r.status = 'registered'), e.area_label, e.ends_at,
               (SELECT COALESCE(SUM(r.people), 0) FROM event_people r WHERE r.event_id = e.id AND r.status = 'registered')
        FROM events e
        WHERE e.coordinator_id IN ({marks}) AND e.starts_at > ? AND e.status = 'open' ORDER BY e.starts_at, e.id
        """,
        (*coordinator_ids, now),
    ).fetchall()
    signed = _signed(conn, [int(r[0]) for r in rows])
    return [
        EventView(int(r[0]), r[1], r[2], r[3], int(r[4]), int(r[5]), None, str(r[6]), r[7], int(r[8]), tuple(signed.get(int(r[0]), ())))
        for r in rows
    ]


def _signed(conn: sqlite3.Connection, event_ids: list[int]) -> dict[int, list[tuple[str, int, bool, str]]]:
    """Who registered to (or waits for) each of these events: see :attr:`EventView.signed`."""
    if not event_ids:
        return {}
    marks = ", ".join("?" for _ in event_ids)
    rows = conn.execute(
        f"""
        SELECT p.event_id, a.name, COALESCE(p.people, 1), a.is_demo, p.status FROM event_people p JOIN actors a ON a.id = p.actor_id
        WHERE p.event_id IN ({marks}) AND p.status IN ('registered', 'waiting')
        ORDER BY p.event_id, CASE WHEN p.status = 'registered' THEN 0 ELSE 1 END,
                 CASE WHEN p.status = 'registered' THEN a.name END, p.updated_at, a.id
        """,
        tuple(event_ids),
    ).fetchall()
    found: dict[int, list[tuple[str, int, bool, str]]] = {}
    for event_id, name, people, demo, status in rows:
        found.setdefault(int(event_id), []).append((str(name), int(people), bool(demo), str(status)))
    return found


def open_views(conn: sqlite3.Connection, actor_id: int, now: str) -> list[DecisionView]:
    """The actor's invitations to upcoming events not answered yet (neither signed up, waiting, declined
    nor left), soonest first: questions waiting like the others (``E4``: invitation to event 4)."""
    rows = conn.execute(
        f"""
        SELECT e.id, e.title, e.starts_at, e.ends_at, e.place,
               COALESCE(({COORDINATOR_ORGANISATION.format(coordinator="e.coordinator_id")}), e.area_label)
        FROM event_people p JOIN events e ON e.id = p.event_id
        WHERE p.actor_id = ? AND p.status = 'invited' AND e.status = 'open' AND e.starts_at > ? ORDER BY e.starts_at, e.id
        """,
        (actor_id, now),
    ).fetchall()
    return [
        DecisionView(
            token("event", int(r[0])),
            "event",
            extra={"title": str(r[1]), "starts_at": str(r[2]), "ends_at": str(r[3] or ""), "place": str(r[4]), "origin": str(r[5])},
        )
        for r in rows
    ]


def people(conn: sqlite3.Connection, event_id: int, status: str) -> list[int]:
    """Actors with this status at an event."""
    return [
        int(r[0])
        for r in conn.execute("SELECT actor_id FROM event_people WHERE event_id = ? AND status = ? ORDER BY actor_id", (event_id, status))
    ]


def due_reminders(conn: sqlite3.Connection, now: str, until: str) -> list[int]:
    """Open events starting between ``now`` and ``until`` not reminded yet."""
    rows = conn.execute(
        "SELECT id FROM events WHERE status = 'open' AND reminded_at IS NULL AND starts_at > ? AND starts_at <= ? ORDER BY id", (now, until)
    )
    return [int(r[0]) for r in rows]


def mark_reminded(conn: sqlite3.Connection, event_id: int, now: str) -> bool:
    """Record the day-before reminder (once)."""
    return conn.execute("UPDATE events SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL", (now, event_id)).rowcount == 1


def finished(conn: sqlite3.Connection, ended_before: str, started_before: str) -> list[int]:
    """Open events not followed up yet that ended by ``ended_before``: their ``ends_at`` when
    stored, else (no end given, or an event older than the column) a start by ``started_before``."""
    rows = conn.execute(
        """
        SELECT id FROM events WHERE status = 'open' AND followed_up_at IS NULL
          AND ((ends_at IS NOT NULL AND ends_at <= ?) OR (ends_at IS NULL AND starts_at <= ?))
        ORDER BY id
        """,
        (ended_before, started_before),
    )
    return [int(r[0]) for r in rows]


def mark_followed_up(conn: sqlite3.Connection, event_id: int, now: str) -> bool:
    """Record the after-event introductions (once)."""
    return conn.execute("UPDATE events SET followed_up_at = ? WHERE id = ? AND followed_up_at IS NULL", (now, event_id)).rowcount == 1


def personal_data(conn: sqlite3.Connection, actor_id: int) -> dict[str, list[dict[str, object]]]:
    """What is stored about an actor's events, for ``/mesdonnees``: invitations and sign-ups, and
    the coordinators' relaunches of them."""
    events = conn.execute(
        """
        SELECT e.id, e.title, e.starts_at, e.place, p.status, p.people, p.updated_at FROM event_people p
        JOIN events e ON e.id = p.event_id WHERE p.actor_id = ? ORDER BY e.id
        """,
        (actor_id,),
    ).fetchall()
    relaunches = conn.execute("SELECT at FROM relaunches WHERE actor_id = ? ORDER BY id", (actor_id,)).fetchall()
    names = ("id", "title", "starts_at", "place", "status", "people", "updated_at")
    return {
        "events": [dict(zip(names, tuple(row), strict=True)) for row in events],
        "relaunches": [{"at": row[0]} for row in relaunches],
    }
