"""Actors (associations, companies, collectivités…) and their profile."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from core.catalog import PAUSED_FREQUENCY
from core.model import ActorView, Place
from storage import outbox
from storage.ddl import FLAGS
from storage.dialect import json_text

_PROFILE_COLUMNS = {
    "kind",
    "name",
    "description",
    "contact_handle",
    "contact_email",
    "contact_phone",
    "consent_matching",
    "consent_calls",
    "language",
    "frequency",
    "paused",
    "paused_until",
    "unreachable",
    "is_demo",
    "invited_by",
    "early_alerts",
}


def _columns(fields: Mapping[str, Any]) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "frequency" and value == PAUSED_FREQUENCY:
            # « En pause » in /reglages is the pause, never a second way of being paused: ``actors.paused`` is the one
            # field the rounds, alerts, calls, invitations, relaunches, groups, /reglages, /annonces and /reprendre
            # read; the frequency before the pause is kept for after it
            columns["paused"] = True
        elif key == "place":
            place = Place.from_json(value)
            columns["place"] = json.dumps(place.to_json(), ensure_ascii=False)
            columns["commune_code"] = place.code
            columns["epci_code"] = place.epci
            columns["departement_code"] = place.departement
        elif key == "themes":
            columns["themes"] = json.dumps(list(value))
        elif key in _PROFILE_COLUMNS:
            columns[key] = bool(value) if key in FLAGS else value  # BOOLEAN on PostgreSQL, 0/1 on SQLite
        else:
            raise KeyError(f"unknown actor field {key!r}")
    return columns


def create_actor(conn: sqlite3.Connection, fields: Mapping[str, Any], now: str) -> int:
    """Insert an actor and return its id."""
    columns = _columns(fields)
    columns["created_at"] = columns["updated_at"] = now
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    cursor = conn.execute(f"INSERT INTO actors ({names}) VALUES ({marks}) RETURNING id", tuple(columns.values()))
    return int(cursor.fetchone()[0])


def update_actor(conn: sqlite3.Connection, actor_id: int, fields: Mapping[str, Any], now: str) -> None:
    """Change some fields of an actor."""
    columns = _columns(fields)
    if not columns:
        return
    columns["updated_at"] = now
    assignments = ", ".join(f"{name} = ?" for name in columns)
    conn.execute(f"UPDATE actors SET {assignments} WHERE id = ?", (*columns.values(), actor_id))


def delete_actor(conn: sqlite3.Connection, actor_id: int) -> None:
    """Delete the actor and everything attached to it (listings, outbox, identities, sessions)."""
    conn.execute(
        "DELETE FROM sessions WHERE (platform, user_id) IN (SELECT platform, user_id FROM identities WHERE actor_id = ?)",
        (actor_id,),
    )
    conn.execute("DELETE FROM identities WHERE actor_id = ?", (actor_id,))
    outbox.forget(conn, "actor_id = ?", (actor_id,))  # the foreign key would delete them, not what points at them
    conn.execute("DELETE FROM actors WHERE id = ?", (actor_id,))


def load_actor(conn: sqlite3.Connection, actor_id: int) -> ActorView | None:
    """The actor's profile, or None."""
    row = conn.execute(
        """
        SELECT id, kind, name, place, themes, description, contact_handle, contact_email, contact_phone,
               consent_matching, consent_calls, language, frequency, paused, unreachable, created_at, paused_until,
               early_alerts
        FROM actors WHERE id = ?
        """,
        (actor_id,),
    ).fetchone()
    if row is None:
        return None
    return ActorView(
        id=row[0],
        kind=row[1],
        name=row[2],
        place=Place.from_json(json.loads(row[3])),
        themes=tuple(json.loads(row[4])),
        description=row[5],
        contact_handle=row[6],
        contact_email=row[7],
        contact_phone=row[8],
        consent_matching=bool(row[9]),
        consent_calls=bool(row[10]),
        language=row[11],
        frequency=row[12],
        paused=bool(row[13]),
        unreachable=bool(row[14]),
        created_at=row[15],
        paused_until=row[16],
        early_alerts=bool(row[17]),
    )


def end_pauses(conn: sqlite3.Connection, now: str) -> list[int]:
    """End the pauses given an end (« /pause jusqu'au 15 janvier ») that ``now`` (ISO UTC) has reached: those
    actors get suggestions again, as after /reprendre; their ids."""
    rows = conn.execute(
        """
        UPDATE actors SET paused = FALSE, paused_until = NULL, updated_at = ?
        WHERE paused_until IS NOT NULL AND paused_until <= ? RETURNING id
        """,
        (now, now),
    ).fetchall()
    return sorted(int(row[0]) for row in rows)


ELIGIBLE = "SELECT id FROM actors WHERE consent_matching = TRUE AND paused = FALSE AND unreachable = FALSE"
"""Actors who get digests: consenting, not paused, reachable."""
SUGGESTIBLE = "SELECT id FROM actors WHERE consent_matching = TRUE AND paused = FALSE"
"""Actors who may be suggested to others."""


def eligible(conn: sqlite3.Connection) -> list[int]:
    """Every actor who gets digests."""
    return [int(row[0]) for row in conn.execute(ELIGIBLE)]


def _among(conn: sqlite3.Connection, select: str, ids: list[int]) -> set[int]:
    unique = sorted(set(ids))
    if not unique:
        return set()
    return {row[0] for row in conn.execute(f"{select} AND id IN ({','.join('?' for _ in unique)})", unique)}


def eligible_among(conn: sqlite3.Connection, actor_ids: list[int]) -> set[int]:
    """The actors among ``actor_ids`` who still get digests."""
    return _among(conn, ELIGIBLE, actor_ids)


def suggestible_among(conn: sqlite3.Connection, actor_ids: list[int]) -> set[int]:
    """The actors among ``actor_ids`` still there and still agreeing to be suggested."""
    return _among(conn, SUGGESTIBLE, actor_ids)


def place_label(conn: sqlite3.Connection, actor_id: int) -> str | None:
    """The label of the actor's commune."""
    row = conn.execute(f"SELECT {json_text(conn, 'place', 'label')} FROM actors WHERE id = ?", (actor_id,)).fetchone()
    return None if row is None else row[0]


def set_last_early_alert(conn: sqlite3.Connection, actor_id: int, now: str) -> None:
    """The actor was just sent an early alert."""
    conn.execute("UPDATE actors SET last_early_alert = ? WHERE id = ?", (now, actor_id))


def demo_actors(conn: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    """(console user, name, type, commune) of every demo actor."""
    rows = conn.execute(
        f"""
        SELECT i.user_id, a.name, a.kind, {json_text(conn, "a.place", "label")} FROM actors a
        JOIN identities i ON i.actor_id = a.id WHERE a.is_demo = TRUE ORDER BY a.id
        """
    ).fetchall()
    return [tuple(row) for row in rows]


def demo_ids(conn: sqlite3.Connection) -> list[int]:
    """Ids of the demo actors."""
    return [int(row[0]) for row in conn.execute("SELECT id FROM actors WHERE is_demo = TRUE")]


def language(conn: sqlite3.Connection, actor_id: int) -> str | None:
    """The actor's language now (None: no such actor)."""
    row = conn.execute("SELECT language FROM actors WHERE id = ?", (actor_id,)).fetchone()
    return None if row is None else str(row[0])
