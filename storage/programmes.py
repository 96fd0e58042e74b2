"""Company programmes: a company's offer of employees' time (theme, how many, when, skills), the
shortlist of association needs it fits on the territory, and the introductions sent for it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from storage.coordination import Area, area_filter
from storage.dialect import json_text
from storage.pairs import engaged_condition

SHORTLIST_SIZE = 10
CATEGORIES = ("benevoles", "competences")
"""Needs an employee volunteering programme can answer."""


SANDBOX = "(a.is_demo = TRUE OR NOT EXISTS (SELECT 1 FROM identities i WHERE i.actor_id = a.id AND i.platform != 'console'))"
"""Demo actors and console-only people: a sandbox, paired only among themselves (as in the rounds)."""

_PAIRED = "NOT " + engaged_condition("a.id", "?")
"""Associations the company may be proposed to (:mod:`storage.pairs`: not introduced, asked, declined
nor already suggested, either way)."""

_IN_TOUCH = """
    (EXISTS (SELECT 1 FROM introductions n WHERE n.status IN ('asked', 'accepted')
             AND ((n.requester_id = a.id AND n.invitee_id = ?) OR (n.requester_id = ? AND n.invitee_id = a.id)))
     OR EXISTS (SELECT 1 FROM suggestions s WHERE s.status IN ('proposed', 'later', 'accepted')
                AND ((s.actor_id = a.id AND s.other_id = ?) OR (s.actor_id = ? AND s.other_id = a.id))))
"""
"""Associations already in touch with the company: introduced, asked, or suggested and not declined."""


def shortlist(
    conn: sqlite3.Connection,
    company_id: int,
    theme: str,
    skills: list[str],
    today: str,
    areas: Sequence[Area] | None = None,
    in_touch: bool = False,
    limit: int | None = SHORTLIST_SIZE,
) -> list[dict[str, Any]]:
    """Open needs of associations in the company's département (that accept suggestions) for
    volunteers or skills on ``theme`` (the association's or the need's), best first: a need for
    one of the ``skills`` first, then the same intercommunalité, then the same commune, then the
    most recent. ``{"listing", "actor", "name", "place", "description"}``.

    ``areas``: only associations inside one of them (a coordinator's territory). Never an
    association already introduced to the company, asked, or that declined (either way); demo and
    console-only actors only for a company of that sandbox, as in the suggestion rounds.
    ``in_touch``: instead, only the associations already in touch with the company (not declined).
    ``limit``: the first needs only (None: all of them)."""
    company = conn.execute("SELECT commune_code, epci_code, departement_code FROM actors WHERE id = ?", (company_id,)).fetchone()
    if company is None or company[2] is None or (areas is not None and not areas):
        return []
    commune, epci, departement = company
    sandboxed = conn.execute(f"SELECT {SANDBOX} FROM actors a WHERE a.id = ?", (company_id,)).fetchone()
    same_sandbox = SANDBOX if sandboxed is not None and sandboxed[0] else f"NOT {SANDBOX}"
    inside, inside_params = "TRUE", []
    if areas is not None:
        parts = [area_filter("a", area) for area in areas]
        inside = "(" + " OR ".join(condition for condition, _ in parts) + ")"
        inside_params = [value for _, values in parts for value in values]
    found = []
    for (
        listing_id,
        actor_id,
        name,
        place,
        description,
        category,
        subcategory,
        actor_themes,
        listing_themes,
        a_commune,
        a_epci,
        created,
    ) in conn.execute(
        f"""
        SELECT l.id, a.id, a.name, {json_text(conn, "a.place", "label")}, l.description, l.category, l.subcategory,
               a.themes, l.themes, a.commune_code, a.epci_code, l.created_at
        FROM listings l JOIN actors a ON a.id = l.actor_id
        WHERE a.departement_code = ? AND a.kind = 'association' AND a.consent_matching = TRUE AND {same_sandbox}
          AND l.kind = 'need' AND l.status = 'open' AND l.expires_at >= ? AND l.category IN ({",".join("?" for _ in CATEGORIES)})
          AND {inside} AND {_IN_TOUCH if in_touch else _PAIRED}
        ORDER BY l.id
        """,
        (departement, today, *CATEGORIES, *inside_params, *([company_id] * 4)),
    ).fetchall():
        if theme not in set(json.loads(actor_themes or "[]")) | set(json.loads(listing_themes or "[]")):
            continue
        score = (int(subcategory in skills and category == "competences"), int(a_epci == epci), int(a_commune == commune), created)
        found.append(
            {"listing": int(listing_id), "actor": int(actor_id), "name": name, "place": place, "description": description, "score": score}
        )
    found.sort(key=lambda row: row["score"], reverse=True)
    return [{k: v for k, v in row.items() if k != "score"} for row in (found if limit is None else found[:limit])]


def fitting_associations(conn: sqlite3.Connection, company_id: int, theme: str, today: str, in_touch: bool = False) -> int:
    """How many associations have a need a programme of the company on ``theme`` fits (those
    :func:`shortlist` would propose; ``in_touch``: those already in touch with the company
    instead), all of them: never the shortlist's first :data:`SHORTLIST_SIZE` needs (a dense
    département has more, several needs of one association count once)."""
    return len({row["actor"] for row in shortlist(conn, company_id, theme, [], today, in_touch=in_touch, limit=None)})


def create(conn: sqlite3.Connection, company_id: int, theme: str, employees: int, period: str, skills: list[str], now: str) -> int:
    """Store a programme; return its id."""
    row = conn.execute(
        "INSERT INTO programmes (company_id, theme, employees, period, skills, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (company_id, theme, employees, period, json.dumps(skills), now),
    ).fetchone()
    return int(row[0])


def programme(conn: sqlite3.Connection, programme_id: int) -> dict[str, Any] | None:
    """One programme as a dict (``skills`` decoded), with its company's name."""
    cursor = conn.execute(
        "SELECT p.*, a.name AS company FROM programmes p JOIN actors a ON a.id = p.company_id WHERE p.id = ?", (programme_id,)
    )
    row = cursor.fetchone()
    if row is None:
        return None
    found = dict(zip([d[0] for d in cursor.description], row, strict=True))
    found["skills"] = json.loads(found["skills"] or "[]")
    return found


def open_in(conn: sqlite3.Connection, area: Area) -> list[tuple[int, str, str, int, str]]:
    """(id, company, theme, employees, period) of the open programmes of companies in the area."""
    inside, params = area_filter("a", area)
    rows = conn.execute(
        f"""
        SELECT p.id, a.name, p.theme, p.employees, p.period FROM programmes p JOIN actors a ON a.id = p.company_id
        WHERE p.status = 'open' AND {inside} ORDER BY p.id DESC LIMIT 10
        """,
        params,
    ).fetchall()
    return [tuple(row) for row in rows]


def company_in(conn: sqlite3.Connection, programme_id: int, area: Area) -> bool:
    """Whether the programme's company lies in the area."""
    inside, params = area_filter("a", area)
    row = conn.execute(
        f"SELECT 1 FROM programmes p JOIN actors a ON a.id = p.company_id WHERE p.id = ? AND {inside}", (programme_id, *params)
    ).fetchone()
    return row is not None


def coordinators_of(conn: sqlite3.Connection, actor_id: int) -> list[tuple[str, str, list[Area]]]:
    """(platform, chat id, their areas that hold the actor) of the coordinators whose area holds the
    actor (a city's coordinator holds its arrondissements)."""
    found: dict[tuple[str, str], list[Area]] = {}
    for platform, chat, kind, code, label in conn.execute(
        """
        SELECT k.platform, i.chat_id, k.area_kind, k.area_code, k.area_label FROM coordinators k
        JOIN identities i ON i.platform = k.platform AND i.user_id = k.user_id ORDER BY k.platform, i.chat_id, k.id
        """
    ).fetchall():
        area = Area(str(kind), str(code), str(label))
        inside, params = area_filter("a", area)
        if conn.execute(f"SELECT 1 FROM actors a WHERE a.id = ? AND {inside}", (actor_id, *params)).fetchone() is not None:
            found.setdefault((str(platform), str(chat)), []).append(area)
    return [(platform, chat, areas) for (platform, chat), areas in found.items()]


def record_sent(conn: sqlite3.Connection, programme_id: int, rows: list[tuple[int, int, int, int]], now: str) -> bool:
    """The introductions sent for a programme: (listing, association, suggestion, employees); False if it was sent already."""
    cursor = conn.execute("UPDATE programmes SET status = 'sent', sent_at = ? WHERE id = ? AND status = 'open'", (now, programme_id))
    if cursor.rowcount == 0:
        return False
    conn.executemany(
        "INSERT INTO programme_introductions (programme_id, listing_id, association_id, suggestion_id, employees) VALUES (?, ?, ?, ?, ?)",
        [(programme_id, *row) for row in rows],
    )
    return True


def create_suggestion(conn: sqlite3.Connection, association_id: int, company_id: int, listing_id: int, reasons: list[Any], now: str) -> int:
    """Propose the company to the association for one of its needs; return the suggestion's id."""
    row = conn.execute(
        """
        INSERT INTO suggestions (actor_id, other_id, kind, my_listing_id, score, explanation, created_at)
        VALUES (?, ?, 'programme', ?, 1.0, ?, ?) RETURNING id
        """,
        (association_id, company_id, listing_id, json.dumps(reasons, ensure_ascii=False), now),
    ).fetchone()
    return int(row[0])


def employees_involved(conn: sqlite3.Connection, area_condition: str, params: tuple[str, ...], low: str, high: str) -> tuple[int, int]:
    """(programmes sent, employees they involve) for companies matching ``area_condition`` on alias ``a``."""
    row = conn.execute(
        f"""
        SELECT count(*), coalesce(sum(p.employees), 0) FROM programmes p JOIN actors a ON a.id = p.company_id
        WHERE p.status = 'sent' AND p.sent_at >= ? AND p.sent_at < ? AND {area_condition}
        """,
        (low, high, *params),
    ).fetchone()
    return int(row[0]), int(row[1])
