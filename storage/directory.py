"""The directory (``/annuaire``): actors of a territory with their open needs and offers, by
type, theme, category or commune. Names, types, communes and listings only: never contacts.
Portable SQL."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from storage.coordination import Area, area_filter
from storage.dialect import json_values
from storage.introductions import SHOWN_CATEGORY


@dataclass(frozen=True, slots=True)
class DirectoryFilter:
    """What to list: an area, and at most one filter (None = no filter)."""

    areas: tuple[Area, ...]
    kind: str | None = None
    theme: str | None = None
    category: str | None = None
    commune: str | None = None
    consenting_only: bool = True
    exclude: int | None = None


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """One actor of the directory."""

    id: int
    name: str
    kind: str
    place: str
    themes: tuple[str, ...]
    consent: bool
    listings: tuple[tuple[str, str, str], ...]  # (need/offer, category, description)


def entries(conn: sqlite3.Connection, spec: DirectoryFilter, today: str, limit: int = 400) -> list[DirectoryEntry]:
    """The actors matching ``spec``, by name, with their open listings."""
    if not spec.areas:
        return []
    clauses, params = [], []
    for area in spec.areas:
        inside, values = area_filter("a", area)
        clauses.append(inside)
        params += values
    sql = f"SELECT a.id, a.name, a.kind, a.place, a.themes, a.consent_matching FROM actors a WHERE ({' OR '.join(clauses)})"
    if spec.consenting_only:
        sql += " AND a.consent_matching = TRUE"
    if spec.exclude is not None:
        sql += " AND a.id != ?"
        params.append(spec.exclude)
    if spec.kind:
        sql += " AND a.kind = ?"
        params.append(spec.kind)
    if spec.theme:
        sql += f" AND EXISTS (SELECT 1 FROM {json_values(conn, 'a.themes', 't')} WHERE t.value = ?)"
        params.append(spec.theme)
    if spec.commune:
        sql += " AND a.commune_code = ?"
        params.append(spec.commune)
    if spec.category:
        sql += (
            " AND EXISTS (SELECT 1 FROM listings l WHERE l.actor_id = a.id AND l.status = 'open' AND l.expires_at >= ? AND l.category = ?)"
        )
        params += [today, spec.category]
    sql += " ORDER BY a.name, a.id LIMIT ?"
    params.append(limit)
    rows = conn.execute(sql, params).fetchall()
    found: list[DirectoryEntry] = []
    for row in rows:
        listings = conn.execute(
            f"SELECT kind, {SHOWN_CATEGORY}, description FROM listings WHERE actor_id = ? AND status = 'open' AND expires_at >= ? ORDER BY id",
            (row[0], today),
        ).fetchall()
        place = json.loads(row[3]).get("label", "")
        found.append(
            DirectoryEntry(
                int(row[0]), str(row[1]), str(row[2]), place, tuple(json.loads(row[4])), bool(row[5]), tuple(tuple(x) for x in listings)
            )
        )
    return found
