"""Working groups: a coordinator's group of 2–30 actors, each member's opt-in, the place they
were given (a Matrix room, a Telegram link, the others' contacts), and the follow-ups."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from core.decisions import DecisionView, token
from storage import identities
from storage.coordination import Area, area_filter
from storage.dialect import json_text
from storage.introductions import COORDINATOR_ORGANISATION


@dataclass(frozen=True, slots=True)
class Member:
    """A group member as the services see it (where to reach them, never shown to others before yes)."""

    actor_id: int
    status: str
    platform: str | None
    user_id: str | None
    place_sent: bool
    room_invited: bool


def create(
    conn: sqlite3.Connection,
    coordinator_id: int,
    area: Area,
    name: str,
    theme: str | None,
    source: str,
    broadcast_id: int | None,
    invite_link: str | None,
    requester: tuple[str, str],
    members: list[int],
    now: str,
) -> int:
    """Store a group and its members (each still to be asked); return its id. Its invitations say
    that the coordinator gets the contacts of those who join (``coordinator_contacts``)."""
    group_id = int(
        conn.execute(
            """
            INSERT INTO working_groups (coordinator_id, area_kind, area_code, name, theme, source, broadcast_id, invite_link,
                                        requester_platform, requester_chat, created_at, coordinator_contacts)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE) RETURNING id
            """,
            (coordinator_id, area.kind, area.code, name, theme, source, broadcast_id, invite_link, *requester, now),
        ).fetchone()[0]
    )
    conn.executemany("INSERT INTO group_members (group_id, actor_id) VALUES (?, ?)", [(group_id, m) for m in members])
    return group_id


def group(conn: sqlite3.Connection, group_id: int) -> dict[str, Any] | None:
    """One group row as a dict."""
    cursor = conn.execute("SELECT * FROM working_groups WHERE id = ?", (group_id,))
    row = cursor.fetchone()
    return None if row is None else dict(zip([d[0] for d in cursor.description], row, strict=True))


def members(conn: sqlite3.Connection, group_id: int) -> list[Member]:
    """The group's members, with the identity they were last active on."""
    found = []
    for actor_id, status, place_sent, room_invited in conn.execute(
        "SELECT actor_id, status, place_sent_at, room_invited_at FROM group_members WHERE group_id = ? ORDER BY actor_id",
        (group_id,),
    ).fetchall():
        identity = conn.execute(
            """
            SELECT i.platform, i.user_id FROM identities i
            LEFT JOIN sessions s ON s.platform = i.platform AND s.user_id = i.user_id
            WHERE i.actor_id = ? AND i.unreachable = FALSE ORDER BY s.updated_at DESC NULLS LAST, i.created_at DESC LIMIT 1
            """,
            (actor_id,),
        ).fetchone()
        found.append(
            Member(
                int(actor_id),
                str(status),
                identity[0] if identity else None,
                identity[1] if identity else None,
                bool(place_sent),
                bool(room_invited),
            )
        )
    return found


def answer(conn: sqlite3.Connection, group_id: int, actor_id: int, status: str, now: str) -> bool:
    """A member's yes or no to the invitation; False when they were not asked (or answered already)."""
    cursor = conn.execute(
        "UPDATE group_members SET status = ?, answered_at = ? WHERE group_id = ? AND actor_id = ? AND status = 'asked'",
        (status, now, group_id, actor_id),
    )
    return cursor.rowcount > 0


def mark_formed(conn: sqlite3.Connection, group_id: int, now: str, followup_due: str, recheck_due: str) -> None:
    """The second yes: the group exists; its follow-ups are scheduled."""
    conn.execute(
        """
        UPDATE working_groups SET status = 'formed', formed_at = ?, followup_due = ?, recheck_due = ?
        WHERE id = ? AND status = 'inviting'
        """,
        (now, followup_due, recheck_due, group_id),
    )


def mark_placed(conn: sqlite3.Connection, group_id: int, actor_id: int, now: str) -> None:
    """The member was given the link or the others' contacts."""
    conn.execute("UPDATE group_members SET place_sent_at = ? WHERE group_id = ? AND actor_id = ?", (now, group_id, actor_id))


def rooms_due(conn: sqlite3.Connection) -> list[tuple[int, str, str | None, list[tuple[int, str]], str | None]]:
    """Groups with Matrix members who said yes and are not in its room yet, when at least two of
    its members are on Matrix, and rooms whose coordinator (on Matrix) was not invited yet: (group
    id, name, room id, [(actor id, Matrix user id)], the coordinator's Matrix user id to invite or None)."""
    due = []
    for group_id, name, room_id, coordinator_id, coordinator_invited in conn.execute(
        """
        SELECT g.id, g.name, g.room_id, g.coordinator_id, g.coordinator_invited_at FROM working_groups g
        WHERE g.status = 'formed'
          AND (g.id IN (SELECT m.group_id FROM group_members m WHERE m.status = 'accepted' AND m.room_invited_at IS NULL)
               OR (g.room_id IS NOT NULL AND g.coordinator_invited_at IS NULL AND g.coordinator_id IS NOT NULL))
        ORDER BY g.id
        """
    ).fetchall():
        on_matrix = [(m.actor_id, str(m.user_id)) for m in members(conn, group_id) if m.status == "accepted" and m.platform == "matrix"]
        if len(on_matrix) < 2:
            continue
        invited = {
            row[0]
            for row in conn.execute("SELECT actor_id FROM group_members WHERE group_id = ? AND room_invited_at IS NOT NULL", (group_id,))
        }
        coordinator = None if coordinator_invited is not None or coordinator_id is None else coordinator_matrix(conn, int(coordinator_id))
        if coordinator in {user for _, user in on_matrix}:
            coordinator = None  # a member too: invited as one
        missing = [(a, u) for a, u in on_matrix if a not in invited]
        if missing or (coordinator is not None and room_id is not None):
            due.append((int(group_id), str(name), room_id, missing, coordinator))
    return due


def coordinator_matrix(conn: sqlite3.Connection, coordinator_id: int) -> str | None:
    """The Matrix user id of the coordinator of this appointment: the one they were appointed as, or
    a reachable Matrix identity of their own actor profile; None when they have none."""
    row = conn.execute("SELECT platform, user_id FROM coordinators WHERE id = ?", (coordinator_id,)).fetchone()
    if row is None:
        return None
    if row[0] == "matrix":
        return str(row[1])
    other = conn.execute(
        """
        SELECT m.user_id FROM identities i JOIN identities m ON m.actor_id = i.actor_id
        WHERE i.platform = ? AND i.user_id = ? AND i.actor_id IS NOT NULL AND m.platform = 'matrix' AND m.unreachable = FALSE
        ORDER BY m.created_at DESC LIMIT 1
        """,
        (row[0], row[1]),
    ).fetchone()
    return None if other is None else str(other[0])


def mark_room(conn: sqlite3.Connection, group_id: int, room_id: str, actor_ids: list[int], now: str, coordinator: bool = False) -> None:
    """The group's Matrix room exists and these members (and its coordinator) were invited to it."""
    conn.execute("UPDATE working_groups SET room_id = ? WHERE id = ?", (room_id, group_id))
    if coordinator:
        conn.execute("UPDATE working_groups SET coordinator_invited_at = ? WHERE id = ?", (now, group_id))
    conn.executemany(
        "UPDATE group_members SET room_invited_at = ? WHERE group_id = ? AND actor_id = ?", [(now, group_id, a) for a in actor_ids]
    )


def followups_due(conn: sqlite3.Connection, now: str) -> list[tuple[int, str]]:
    """Groups whose 3-week or 3-month question is due, marked as asked: (group id, 'followup'|'recheck')."""
    due: list[tuple[int, str]] = []
    for column, due_column in (("followup_sent_at", "followup_due"), ("recheck_sent_at", "recheck_due")):
        for (group_id,) in conn.execute(
            f"SELECT id FROM working_groups WHERE {column} IS NULL AND {due_column} <= ? AND status = 'formed' ORDER BY {due_column}",
            (now,),
        ).fetchall():
            if column == "recheck_sent_at":
                conn.execute("UPDATE working_groups SET followup_sent_at = COALESCE(followup_sent_at, ?) WHERE id = ?", (now, group_id))
            conn.execute(f"UPDATE working_groups SET {column} = ? WHERE id = ?", (now, group_id))
            due.append((int(group_id), "recheck" if column == "recheck_sent_at" else "followup"))
    return due


def accepted_ids(conn: sqlite3.Connection, group_id: int) -> list[int]:
    """The members who said yes."""
    return [
        int(r[0])
        for r in conn.execute(
            "SELECT actor_id FROM group_members WHERE group_id = ? AND status = 'accepted' ORDER BY actor_id", (group_id,)
        )
    ]


def left_out(conn: sqlite3.Connection, actor_ids: list[int]) -> dict[int, str]:
    """Why each of these actors may not be invited to a group (a solicitation, as a call is):
    ``"calls"`` when they do not accept coordinators' calls, ``"pause"`` when they paused; the
    others are absent."""
    if not actor_ids:
        return {}
    rows = conn.execute(
        f"SELECT id, consent_calls, paused FROM actors WHERE id IN ({','.join('?' for _ in actor_ids)})", list(actor_ids)
    ).fetchall()
    return {int(row[0]): "calls" if not row[1] else "pause" for row in rows if not row[1] or row[2]}


def joined(conn: sqlite3.Connection, actor_id: int) -> list[tuple[int, str]]:
    """(id, name) of the groups, not closed, the actor said yes to, oldest first."""
    rows = conn.execute(
        """
        SELECT g.id, g.name FROM group_members m JOIN working_groups g ON g.id = m.group_id
        WHERE m.actor_id = ? AND m.status = 'accepted' AND g.status != 'closed' ORDER BY g.id
        """,
        (actor_id,),
    ).fetchall()
    return [(int(row[0]), str(row[1])) for row in rows]


def open_views(conn: sqlite3.Connection, actor_id: int) -> list[DecisionView]:
    """The actor's open group questions: invitations, then follow-ups not answered since asked."""
    views = []
    for group_id, name, theme, origin, count, shared in conn.execute(
        f"""
        SELECT g.id, g.name, g.theme, COALESCE(({COORDINATOR_ORGANISATION.format(coordinator="g.coordinator_id")}), c.area_label),
               (SELECT count(*) FROM group_members o WHERE o.group_id = g.id), g.coordinator_contacts
        FROM group_members m JOIN working_groups g ON g.id = m.group_id
        LEFT JOIN coordinators c ON c.id = g.coordinator_id
        WHERE m.actor_id = ? AND m.status = 'asked' AND g.status != 'closed' ORDER BY g.id
        """,
        (actor_id,),
    ).fetchall():
        extra = {"name": name, "origin": origin or "", "count": str(count), "theme_key": theme or ""}
        extra["members"] = _joined_names(conn, int(group_id), actor_id)  # who is in it already: names only
        if shared:  # the invitation says the coordinator gets the contacts of those who join
            extra["coordinator_contacts"] = True
        views.append(DecisionView(token("group", group_id), "group", extra=extra))
    for group_id, name, recheck in conn.execute(
        """
        SELECT g.id, g.name, g.recheck_sent_at FROM group_members m JOIN working_groups g ON g.id = m.group_id
        WHERE m.actor_id = ? AND m.status = 'accepted' AND g.followup_sent_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.subject = 'group' AND o.subject_id = g.id AND o.actor_id = m.actor_id
                          AND o.answered_at >= COALESCE(g.recheck_sent_at, g.followup_sent_at))
        ORDER BY g.id
        """,
        (actor_id,),
    ).fetchall():
        views.append(
            DecisionView(token("groupfollowup", group_id), "groupfollowup", extra={"name": name, **({"recheck": True} if recheck else {})})
        )
    return views


def _joined_names(conn: sqlite3.Connection, group_id: int, actor_id: int) -> list[str]:
    """The names of the organisations that said yes to a group, besides ``actor_id`` (what its invitation
    may tell of its members: their names, as /annuaire shows them; never a contact, never who was asked)."""
    rows = conn.execute(
        """
        SELECT a.name FROM group_members m JOIN actors a ON a.id = m.actor_id
        WHERE m.group_id = ? AND m.status = 'accepted' AND m.actor_id != ? ORDER BY a.name
        """,
        (group_id, actor_id),
    ).fetchall()
    return [str(row[0]) for row in rows]


def call_members(conn: sqlite3.Connection, broadcast_id: int) -> list[tuple[int, str, str, str]]:
    """(id, name, type, commune) of the actors who answered a call — never those who said they are not interested."""
    rows = conn.execute(
        f"""
        SELECT a.id, a.name, a.kind, {json_text(conn, "a.place", "label")} FROM broadcast_answers w JOIN actors a ON a.id = w.actor_id
        WHERE w.broadcast_id = ? AND w.answer != 'not_interested' ORDER BY a.name
        """,
        (broadcast_id,),
    ).fetchall()
    return [tuple(row) for row in rows]


def in_area(conn: sqlite3.Connection, area: Area, actor_ids: list[int]) -> bool:
    """Whether every one of the actors lies in the area."""
    if not actor_ids:
        return True
    inside, params = area_filter("a", area)
    marks = ",".join("?" for _ in actor_ids)
    row = conn.execute(f"SELECT count(*) FROM actors a WHERE a.id IN ({marks}) AND {inside}", (*actor_ids, *params)).fetchone()
    return int(row[0]) == len(set(actor_ids))


def clusters(conn: sqlite3.Connection, area: Area, today: str, minimum: int = 3) -> list[dict[str, Any]]:
    """Actors of the area on one theme and in one commune whose open needs and offers fit
    together (at least one need and one offer of the same category, from different actors),
    ``minimum`` actors or more: ``{"theme", "commune", "label", "members": [ids], "rows": [(id, name,
    type, commune)], "needs", "offers"}``."""
    inside, params = area_filter("a", area)
    buckets: dict[tuple[str, str], dict[str, Any]] = {}
    rows: dict[int, tuple[int, str, str, str]] = {}
    for actor_id, themes, commune, label, kind, category, name, actor_kind in conn.execute(
        f"""
        SELECT a.id, a.themes, a.commune_code, {json_text(conn, "a.place", "label")}, l.kind, l.category, a.name, a.kind
        FROM actors a JOIN listings l ON l.actor_id = a.id
        WHERE {inside} AND a.consent_matching = TRUE AND a.is_demo = FALSE AND l.status = 'open' AND l.expires_at >= ?
        ORDER BY a.id, l.id
        """,
        (*params, today),
    ).fetchall():
        rows[int(actor_id)] = (int(actor_id), str(name), str(actor_kind), str(label))
        for theme in json.loads(themes or "[]"):
            bucket = buckets.setdefault((theme, commune), {"theme": theme, "commune": commune, "label": label, "by": {}})
            bucket["by"].setdefault(int(actor_id), set()).add((kind, category))
    found = []
    for bucket in buckets.values():
        by: dict[int, set[tuple[str, str]]] = bucket.pop("by")
        needs = {(a, c) for a, pairs in by.items() for k, c in pairs if k == "need"}
        offers = {(a, c) for a, pairs in by.items() for k, c in pairs if k == "offer"}
        fits = {a for a, c in needs for b, d in offers if c == d and a != b} | {b for a, c in needs for b, d in offers if c == d and a != b}
        if len(by) >= minimum and fits:
            found.append(
                {**bucket, "members": sorted(by), "rows": [rows[a] for a in sorted(by)], "needs": len(needs), "offers": len(offers)}
            )
    return sorted(found, key=lambda c: (-len(c["members"]), c["theme"], c["commune"]))


def chat_language(conn: sqlite3.Connection, platform: str, chat_id: str, default: str = "fr") -> str:
    """The language of the person behind a chat: their profile's, else (a coordinator without a
    profile) their conversation's (:func:`storage.identities.language_of_chat`); ``default`` when unknown."""
    return identities.language_of_chat(conn, platform, chat_id) or default
