"""Listings: the needs and offers that actors declare."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from core.model import ListingView

_COLUMNS = {
    "kind",
    "category",
    "subcategory",
    "themes",
    "description",
    "zone_kind",
    "zone_code",
    "zone_label",
    "radius_km",
    "expires_at",
    "status",
}


def _columns(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - _COLUMNS
    if unknown:
        raise KeyError(f"unknown listing fields {sorted(unknown)}")
    return {k: json.dumps(list(v)) if k == "themes" else v for k, v in fields.items()}


def create_listing(conn: sqlite3.Connection, actor_id: int, fields: Mapping[str, Any], now: str) -> int:
    """Insert a need or an offer for ``actor_id``; return its id."""
    columns = _columns(fields)
    columns.update(actor_id=actor_id, created_at=now, updated_at=now)
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    cursor = conn.execute(f"INSERT INTO listings ({names}) VALUES ({marks}) RETURNING id", tuple(columns.values()))
    return int(cursor.fetchone()[0])


def update_listing(conn: sqlite3.Connection, actor_id: int, listing_id: int, fields: Mapping[str, Any], now: str) -> bool:
    """Change a listing of ``actor_id`` (never another actor's); False if not found."""
    columns = _columns(fields)
    columns["updated_at"] = now
    assignments = ", ".join(f"{name} = ?" for name in columns)
    cursor = conn.execute(f"UPDATE listings SET {assignments} WHERE id = ? AND actor_id = ?", (*columns.values(), listing_id, actor_id))
    return cursor.rowcount == 1


def listings_of(conn: sqlite3.Connection, actor_id: int, today: str) -> tuple[ListingView, ...]:
    """All listings of an actor, newest first; open ones past their date show as expired."""
    rows = conn.execute(
        """
        SELECT id, kind, category, subcategory, themes, description, zone_kind, zone_code, zone_label,
               radius_km, expires_at, status, created_at
        FROM listings WHERE actor_id = ? ORDER BY id DESC
        """,
        (actor_id,),
    ).fetchall()
    return tuple(
        ListingView(
            id=row[0],
            kind=row[1],
            category=row[2],
            subcategory=row[3],
            themes=tuple(json.loads(row[4])),
            description=row[5],
            zone_kind=row[6],
            zone_code=row[7],
            zone_label=row[8],
            radius_km=row[9],
            expires_at=row[10],
            status="expired" if row[11] == "open" and row[10] < today else row[11],
            created_at=row[12],
        )
        for row in rows
    )


_OF_LISTING = "((s.actor_id = l.actor_id AND s.my_listing_id = l.id) OR (s.other_id = l.actor_id AND s.their_listing_id = l.id))"
"""A suggestion that came of listing ``l``: made to its owner for it, or showing it to someone else."""


def echoes(conn: sqlite3.Connection, actor_id: int) -> dict[int, tuple[int, int]]:
    """For each listing of ``actor_id``: (suggestions it led to, introductions accepted from those)."""
    rows = conn.execute(
        f"""
        SELECT l.id,
               (SELECT COUNT(*) FROM suggestions s WHERE {_OF_LISTING}),
               (SELECT COUNT(*) FROM introductions i JOIN suggestions s ON s.id = i.suggestion_id
                WHERE i.status = 'accepted' AND {_OF_LISTING})
        FROM listings l WHERE l.actor_id = ?
        """,
        (actor_id,),
    ).fetchall()
    return {int(row[0]): (int(row[1]), int(row[2])) for row in rows}


def renew(conn: sqlite3.Connection, actor_id: int, listing_id: int, until: str, now: str) -> None:
    """The owner keeps the listing open until ``until``."""
    conn.execute(
        "UPDATE listings SET expires_at = ?, renewal_asked_at = NULL, updated_at = ? WHERE id = ? AND actor_id = ?",
        (until, now, listing_id, actor_id),
    )


def close_unrenewed(conn: sqlite3.Connection, actor_id: int, listing_id: int, now: str) -> None:
    """The owner closes the listing when asked about its renewal."""
    conn.execute(
        "UPDATE listings SET status = 'closed', renewal_asked_at = NULL, updated_at = ? WHERE id = ? AND actor_id = ?",
        (now, listing_id, actor_id),
    )


def due_renewals(conn: sqlite3.Connection, expiring_by: str) -> list[tuple[int, int]]:
    """(id, owner) of open listings expiring by ``expiring_by`` (a date) whose owner was not asked yet."""
    rows = conn.execute(
        "SELECT id, actor_id FROM listings WHERE status = 'open' AND renewal_asked_at IS NULL AND expires_at <= ?",
        (expiring_by,),
    ).fetchall()
    return [(int(row[0]), int(row[1])) for row in rows]


def mark_renewal_asked(conn: sqlite3.Connection, listing_id: int, now: str) -> bool:
    """Claim the renewal question of an open listing; False: closed or asked meanwhile."""
    cursor = conn.execute(
        "UPDATE listings SET renewal_asked_at = ? WHERE id = ? AND status = 'open' AND renewal_asked_at IS NULL", (now, listing_id)
    )
    return cursor.rowcount == 1


def existing(conn: sqlite3.Connection, listing_ids: list[int]) -> set[int]:
    """The ids among ``listing_ids`` still stored."""
    unique = sorted(set(listing_ids))
    if not unique:
        return set()
    return {row[0] for row in conn.execute(f"SELECT id FROM listings WHERE id IN ({','.join('?' for _ in unique)})", unique)}
