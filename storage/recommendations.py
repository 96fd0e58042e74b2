"""Recommendations: an actor suggests that two actors meet (a suggestion of kind
``recommendation`` with who recommended it), and the checks that come before one."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from storage.coordination import AREA_COLUMNS
from territories.municipal import commune_codes


def recommendable(conn: sqlite3.Connection, actor_id: int, area_kind: str, area_code: str) -> bool:
    """Whether the actor exists, accepts suggestions and lies in the area."""
    column = AREA_COLUMNS[area_kind]
    codes = commune_codes(area_code) if area_kind == "commune" else (area_code,)
    marks = ",".join("?" for _ in codes)
    row = conn.execute(
        f"SELECT 1 FROM actors WHERE id = ? AND consent_matching = TRUE AND {column} IN ({marks})", (actor_id, *codes)
    ).fetchone()
    return row is not None


def recent_count(conn: sqlite3.Connection, recommender_id: int, since: str) -> int:
    """How many recommendations the actor made since ``since``."""
    row = conn.execute("SELECT count(*) FROM suggestions WHERE recommended_by = ? AND created_at >= ?", (recommender_id, since)).fetchone()
    return int(row[0])


def create(conn: sqlite3.Connection, first: int, second: int, recommender_id: int, reasons: list[Any], now: str) -> int:
    """Propose ``second`` to ``first`` on ``recommender_id``'s word; return the suggestion's id."""
    cursor = conn.execute(
        """
        INSERT INTO suggestions (actor_id, other_id, kind, score, explanation, recommended_by, created_at)
        VALUES (?, ?, 'recommendation', 1.0, ?, ?, ?) RETURNING id
        """,
        (first, second, json.dumps(reasons, ensure_ascii=False), recommender_id, now),
    )
    return int(cursor.fetchone()[0])
