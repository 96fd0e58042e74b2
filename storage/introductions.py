"""Double opt-in introductions, and the open decisions (questions outside flows) of an actor."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from core.clock import iso
from core.decisions import CALL_ANSWER_WINDOW, DecisionView, OtherActor, token
from storage.pairs import SUGGESTION_CLOSED
from storage.suggestions import reasons_from_json

COORDINATOR_ORGANISATION = """
    SELECT COALESCE(k.organisation, (SELECT a.name FROM identities i JOIN actors a ON a.id = i.actor_id
                                     WHERE i.platform = k.platform AND i.user_id = k.user_id LIMIT 1))
    FROM coordinators k WHERE k.id = {coordinator}
"""
"""The name of a coordinator's organisation, which signs their calls and introductions: the one set at
appointment or with ``/organisation``, else their own profile's name."""


def signature(conn: sqlite3.Connection, coordinator_id: int | None, area_label: str) -> str:
    """How a coordinator signs: their organisation's name when they have a profile, else their territory."""
    if coordinator_id is not None:
        row = conn.execute(COORDINATOR_ORGANISATION.format(coordinator="?"), (coordinator_id,)).fetchone()
        if row is not None and row[0]:
            return str(row[0])
    return area_label


@dataclass(frozen=True, slots=True)
class Contact:
    """How to reach an actor once both sides agreed, and where to message them."""

    actor_id: int
    name: str
    language: str
    handle: str | None
    email: str | None
    phone: str | None
    platform: str | None
    chat_id: str | None
    handle_platform: str | None = None
    """The network whose account ``handle`` names (None when unknown)."""
    handle_is_account: bool = False
    """``handle`` is the account's public name there (not a display name kept for lack of one)."""


def other_actor(conn: sqlite3.Connection, actor_id: int) -> OtherActor | None:
    """What may be shown of an actor before an agreement (never the contact)."""
    row = conn.execute("SELECT name, kind, place, description FROM actors WHERE id = ?", (actor_id,)).fetchone()
    if row is None:
        return None
    return OtherActor(name=row[0], kind=row[1], place=json.loads(row[2])["label"], description=row[3])


SKILLS_PER_LISTING = 6
"""At most as many rows (one per skill) a listing is stored as: what :func:`other_actor_about` reads for each listing shown."""


def other_actor_about(conn: sqlite3.Connection, actor_id: int, now: str, limit: int = 3) -> OtherActor | None:
    """:func:`other_actor` with what they do: their themes and up to ``limit`` open listings (what
    an introduction request shows of the one who asks, never the contact)."""
    row = conn.execute("SELECT name, kind, place, description, themes FROM actors WHERE id = ?", (actor_id,)).fetchone()
    if row is None:
        return None
    listings = conn.execute(
        f"SELECT kind, {SHOWN_CATEGORY}, description FROM listings WHERE actor_id = ? AND status = 'open' AND expires_at >= ? "
        "ORDER BY id LIMIT ?",
        (actor_id, now[:10], limit * SKILLS_PER_LISTING),  # one offer of three skills is three rows, one line when shown
    ).fetchall()
    return OtherActor(
        name=row[0],
        kind=row[1],
        place=json.loads(row[2])["label"],
        description=row[3],
        themes=tuple(json.loads(row[4] or "[]")),
        listings=_listed_once([(str(kind), str(category), str(text or "")) for kind, category, text in listings], limit),
    )


def _listed_once(rows: list[tuple[str, str, str]], limit: int) -> tuple[tuple[str, str, str], ...]:
    """``rows`` (need/offer, shown category, description) with the rows of one listing of several skills (the same
    kind, main category and description) counted once, the first ``limit`` listings."""
    listings: list[tuple[str, str, str]] = []
    for row in dict.fromkeys(rows):
        if len({(kind, category.partition(":")[0], text) for kind, category, text in [*listings, row]}) > limit:
            break
        listings.append(row)
    return tuple(listings)


def coordinator_origin(kind: str | None, explanation: str | None) -> dict[str, str]:
    """Who proposed a coordinator's suggestion and why ({"proposed_by", "proposed_why"}), from
    its stored reasons; empty for any other suggestion."""
    if kind != "coordinator" or not explanation:
        return {}
    for _, params in reasons_from_json(explanation):
        if params.get("origin"):
            found = {"proposed_by": str(params["origin"])}
            if params.get("why"):
                found["proposed_why"] = str(params["why"])
            return found
    return {}


def contact(conn: sqlite3.Connection, actor_id: int) -> Contact | None:
    """The actor's shared contact and the platform identity to message them on (reachable, most recent)."""
    row = conn.execute(
        "SELECT name, language, contact_handle, contact_email, contact_phone FROM actors WHERE id = ?", (actor_id,)
    ).fetchone()
    if row is None:
        return None
    identity = conn.execute(
        """
        SELECT i.platform, i.chat_id FROM identities i
        LEFT JOIN sessions s ON s.platform = i.platform AND s.user_id = i.user_id
        WHERE i.actor_id = ? AND i.unreachable = FALSE
        ORDER BY s.updated_at DESC NULLS LAST, i.created_at DESC LIMIT 1
        """,
        (actor_id,),
    ).fetchone()
    return Contact(
        actor_id=actor_id,
        name=row[0],
        language=row[1],
        handle=row[2],
        email=row[3],
        phone=row[4],
        platform=identity[0] if identity else None,
        chat_id=identity[1] if identity else None,
        **_handle_platform(conn, actor_id, row[2]),
    )


def _handle_platform(conn: sqlite3.Connection, actor_id: int, handle: str | None) -> dict[str, Any]:
    """The network of the account an actor shares and whether ``handle`` is its public name: the
    identity whose handle it is; else the identity it was taken from (a Telegram account without
    a username shares its display name, which must never be taken for a username)."""
    if not handle:
        return {}
    rows = conn.execute("SELECT platform, handle FROM identities WHERE actor_id = ? ORDER BY created_at", (actor_id,)).fetchall()
    exact = next((platform for platform, own in rows if own == handle), None)
    if exact is not None:
        return {"handle_platform": str(exact), "handle_is_account": True}
    if handle.startswith("@") and ":" in handle:
        return {"handle_platform": "matrix", "handle_is_account": True}
    return {"handle_platform": str(rows[0][0]) if rows else None, "handle_is_account": False}


def broadcast_view(broadcast_id: int, origin: str, message: str, mode: str) -> DecisionView:
    """The question a coordinator's call asks its recipients."""
    return DecisionView(token("broadcast", broadcast_id), "broadcast", extra={"mode": mode, "message": message, "origin": origin})


def open_decisions(conn: sqlite3.Connection, actor_id: int, now: str, sending_call: int | None = None) -> tuple[DecisionView, ...]:
    """Everything waiting for the actor's answer at ``now``: introduction requests first (someone
    waits), then coordinators' calls, follow-ups, renewals and suggestions; oldest first within
    each kind. Calls stay open for :data:`CALL_ANSWER_WINDOW` once delivered (``sending_call``:
    the call whose message is being delivered counts too). Suggestions put aside with "Plus
    tard" are listed with ``extra["later"]`` (out of the queue until the next digest)."""
    views: list[DecisionView] = []
    for row in conn.execute(
        """
        SELECT n.id, n.requester_id, n.reminded_at, l.description, r.name, s.kind, s.explanation FROM introductions n
        LEFT JOIN suggestions s ON s.id = n.suggestion_id
        LEFT JOIN listings l ON l.id = s.my_listing_id
        LEFT JOIN actors r ON r.id = s.recommended_by
        WHERE n.invitee_id = ? AND n.status = 'asked' ORDER BY n.id
        """,
        (actor_id,),
    ).fetchall():
        other = other_actor_about(conn, row[1], now)  # who asks and what they do: never an empty request
        if other is not None:
            recommended: dict[str, Any] = {"recommended_by": row[4]} if row[4] else {}
            recommended.update(coordinator_origin(row[5], row[6]))
            views.append(
                DecisionView(
                    token("introduction", row[0]),
                    "introduction",
                    other,
                    listing_text=row[3],
                    reminder=bool(row[2]),
                    extra=recommended,
                    other_id=int(row[1]),
                )
            )
    since = iso(datetime.fromisoformat(now) - CALL_ANSWER_WINDOW)
    for row in conn.execute(
        """
        SELECT b.id, COALESCE(({SIGNATURE}), c.area_label, b.area_label), b.message, b.answer_mode
        FROM broadcast_recipients r
        JOIN broadcasts b ON b.id = r.broadcast_id
        LEFT JOIN coordinators c ON c.id = b.coordinator_id
        WHERE r.actor_id = ? AND (r.status = 'sent' OR (r.status = 'pending' AND b.id = ?))
          AND b.answer_mode != 'none' AND b.created_at >= ?
          AND NOT EXISTS (SELECT 1 FROM broadcast_answers w WHERE w.broadcast_id = b.id AND w.actor_id = r.actor_id)
        ORDER BY b.id
        """.replace("{SIGNATURE}", COORDINATOR_ORGANISATION.format(coordinator="c.id")),
        (actor_id, sending_call, since),
    ).fetchall():
        views.append(broadcast_view(row[0], row[1], row[2], row[3]))
    for row in conn.execute(
        """
        SELECT id, CASE WHEN requester_id = ? THEN invitee_id ELSE requester_id END, recheck_sent_at FROM introductions
        WHERE status = 'accepted' AND followup_sent_at IS NOT NULL
          AND ((requester_id = ? AND requester_outcome IS NULL) OR (invitee_id = ? AND invitee_outcome IS NULL))
        ORDER BY id
        """,
        (actor_id, actor_id, actor_id),
    ).fetchall():
        other = other_actor(conn, row[1])
        if other is not None:
            views.append(DecisionView(token("followup", row[0]), "followup", other, extra={"recheck": True} if row[2] else {}))
    for row in conn.execute(
        """
        SELECT id, description, expires_at FROM listings
        WHERE actor_id = ? AND status = 'open' AND renewal_asked_at IS NOT NULL ORDER BY id
        """,
        (actor_id,),
    ).fetchall():
        views.append(DecisionView(token("renewal", row[0]), "renewal", listing_text=row[1], expires=row[2]))
    from storage.groups import open_views

    views += open_views(conn, actor_id)  # working groups: invitations, then what the group produced
    from storage.events import open_views as event_views

    views += event_views(conn, actor_id, now)  # invitations to events not answered yet
    views += _suggestion_views(conn, "s.actor_id = ? AND s.status IN ('proposed', 'later')", (actor_id,), now[:10])
    return tuple(views)


def suggestion_views(conn: sqlite3.Connection, suggestion_ids: list[int], today: str) -> list[DecisionView]:
    """The questions of the given suggestions (e.g. the ones a digest has just stored); ``today``
    (ISO date): the other side's listings shown are those still open that day."""
    marks = ",".join("?" for _ in suggestion_ids)
    return _suggestion_views(conn, f"s.id IN ({marks})", tuple(suggestion_ids), today)


_DECLINED_BY_THE_OTHER = f"""EXISTS (SELECT 1 FROM suggestions d WHERE d.actor_id = s.other_id AND d.other_id = s.actor_id AND (
    {SUGGESTION_CLOSED.format(s="d")}
    OR (d.status = 'declined' AND ((d.my_listing_id = s.their_listing_id AND d.their_listing_id = s.my_listing_id)
                                   OR (d.my_listing_id = s.my_listing_id AND d.their_listing_id = s.their_listing_id)))))"""
"""Whether the other side of suggestion ``s`` declined what a request from it may not pass
(:func:`storage.pairs.declined_by`): the suggestion leaves the lists of waiting questions."""


def _suggestion_views(conn: sqlite3.Connection, where: str, params: tuple[int, ...], today: str) -> list[DecisionView]:
    views: list[DecisionView] = []
    for row in conn.execute(
        f"""
        SELECT s.id, s.other_id, s.explanation, l.description, s.status, s.kind, s.created_at, {_DECLINED_BY_THE_OTHER},
               m.description
        FROM suggestions s
        LEFT JOIN listings l ON l.id = s.their_listing_id
        LEFT JOIN listings m ON m.id = s.my_listing_id
        WHERE {where} ORDER BY s.id
        """,
        params,
    ).fetchall():
        # a coordinator's proposal rests on no listing of its own: it shows what the other side does
        other = other_actor_about(conn, row[1], str(row[6])) if row[5] == "coordinator" else other_actor(conn, row[1])
        if other is not None:
            if row[3] is None:  # a theme-only suggestion: what they need and offer, as /annuaire shows it
                other = replace(other, listings=open_listings_of(conn, [int(row[1])], today).get(int(row[1]), ()))
            later: dict[str, Any] = {"later": True} if row[4] == "later" else {}
            if row[7]:  # the other side declined the pair: no longer offered (never said who nor why)
                later["withdrawn"] = True
            views.append(
                DecisionView(
                    token("suggestion", row[0]),
                    "suggestion",
                    other,
                    reasons_from_json(row[2]),
                    listing_text=row[3],
                    extra=later,
                    other_id=int(row[1]),
                    my_listing_text=row[8],
                )
            )
    return views


def create_introduction(
    conn: sqlite3.Connection,
    requester_id: int,
    invitee_id: int,
    now: str,
    suggestion_id: int | None = None,
    coordinator_id: int | None = None,
) -> int:
    """Ask ``invitee_id`` whether they agree to be introduced to ``requester_id``."""
    cursor = conn.execute(
        """
        INSERT INTO introductions (requester_id, invitee_id, suggestion_id, coordinator_id, created_at)
        VALUES (?, ?, ?, ?, ?) RETURNING id
        """,
        (requester_id, invitee_id, suggestion_id, coordinator_id, now),
    )
    return int(cursor.fetchone()[0])


def pending_between(conn: sqlite3.Connection, requester_id: int, invitee_id: int) -> int | None:
    """An introduction ``requester_id`` asked of ``invitee_id`` and still waiting, if any."""
    row = conn.execute(
        "SELECT id FROM introductions WHERE requester_id = ? AND invitee_id = ? AND status = 'asked'",
        (requester_id, invitee_id),
    ).fetchone()
    return None if row is None else int(row[0])


def introduction(conn: sqlite3.Connection, introduction_id: int) -> dict[str, Any] | None:
    """One introduction row as a dict."""
    cursor = conn.execute("SELECT * FROM introductions WHERE id = ?", (introduction_id,))
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def create_coordinator_suggestion(
    conn: sqlite3.Connection, first: int, second: int, explanation: str, now: str, proposed_by: str | None = None
) -> int:
    """A coordinator (``proposed_by``: ``platform:user_id``, as the audit log names them) suggests
    ``second`` to ``first`` (``explanation``: the reasons as JSON); return its id."""
    cursor = conn.execute(
        """
        INSERT INTO suggestions (actor_id, other_id, kind, score, explanation, created_at, proposed_by)
        VALUES (?, ?, 'coordinator', 1.0, ?, ?, ?) RETURNING id
        """,
        (first, second, explanation, now, proposed_by),
    )
    return int(cursor.fetchone()[0])


def suggestion_other(conn: sqlite3.Connection, suggestion_id: int, actor_id: int) -> tuple[int, bool] | None:
    """The other side of a suggestion made to ``actor_id``, and whether it pairs two listings
    (a need and an offer, not a theme pair); None: no such suggestion for them."""
    row = conn.execute("SELECT other_id, kind FROM suggestions WHERE id = ? AND actor_id = ?", (suggestion_id, actor_id)).fetchone()
    return None if row is None else (int(row[0]), row[1] != "theme")


def answer_suggestion(conn: sqlite3.Connection, suggestion_id: int, status: str, now: str) -> None:
    """Store the actor's answer to a suggestion."""
    conn.execute("UPDATE suggestions SET status = ?, answered_at = ? WHERE id = ?", (status, now, suggestion_id))


def set_outcome(conn: sqlite3.Connection, introduction_id: int, role: str, value: str) -> None:
    """What one side (``requester`` or ``invitee``) says came of an introduction."""
    column = {"requester": "requester_outcome", "invitee": "invitee_outcome"}[role]
    conn.execute(f"UPDATE introductions SET {column} = ? WHERE id = ?", (value, introduction_id))


def decline(conn: sqlite3.Connection, introduction_id: int, now: str) -> None:
    """The invitee declined: the suggestions still waiting between the two go too (the pair is
    never proposed again, :mod:`storage.pairs`)."""
    row = conn.execute(
        "UPDATE introductions SET status = 'declined', answered_at = ? WHERE id = ? RETURNING requester_id, invitee_id",
        (now, introduction_id),
    ).fetchone()
    if row is not None:
        conn.execute(
            "UPDATE suggestions SET status = 'expired' "
            "WHERE status IN ('proposed', 'later') AND ((actor_id = ? AND other_id = ?) OR (actor_id = ? AND other_id = ?))",
            (row[0], row[1], row[1], row[0]),
        )


def accept(conn: sqlite3.Connection, introduction_id: int, requester_id: int, invitee_id: int, now: str, followup_due: str) -> None:
    """Both sides agreed: the introduction is made, and the suggestions between them answered."""
    conn.execute(
        "UPDATE introductions SET status = 'accepted', answered_at = ?, followup_due = ? WHERE id = ?",
        (now, followup_due, introduction_id),
    )
    conn.execute(
        "UPDATE suggestions SET status = 'accepted', answered_at = COALESCE(answered_at, ?) "
        "WHERE status IN ('proposed', 'later') AND ((actor_id = ? AND other_id = ?) OR (actor_id = ? AND other_id = ?))",
        (now, requester_id, invitee_id, invitee_id, requester_id),
    )


def due_reminders(conn: sqlite3.Connection, asked_before: str) -> list[tuple[int, int]]:
    """(id, invitee) of introductions asked before ``asked_before`` and not reminded yet."""
    rows = conn.execute(
        "SELECT id, invitee_id FROM introductions WHERE status = 'asked' AND reminded_at IS NULL AND created_at <= ?",
        (asked_before,),
    ).fetchall()
    return [(int(row[0]), int(row[1])) for row in rows]


def mark_reminded(conn: sqlite3.Connection, introduction_id: int, now: str) -> bool:
    """Claim the reminder of a still unanswered, unreminded introduction; False: answered or reminded meanwhile."""
    cursor = conn.execute(
        "UPDATE introductions SET reminded_at = ? WHERE id = ? AND status = 'asked' AND reminded_at IS NULL", (now, introduction_id)
    )
    return cursor.rowcount == 1


def due_expiries(conn: sqlite3.Connection, reminded_before: str) -> list[tuple[int, int, int]]:
    """(id, requester, invitee) of introductions still unanswered after a reminder before ``reminded_before``."""
    rows = conn.execute(
        "SELECT id, requester_id, invitee_id FROM introductions WHERE status = 'asked' AND reminded_at <= ?",
        (reminded_before,),
    ).fetchall()
    return [(int(row[0]), int(row[1]), int(row[2])) for row in rows]


def expire(conn: sqlite3.Connection, introduction_id: int, now: str) -> bool:
    """The invitee never answered; False: they answered meanwhile (the introduction stays as they left it)."""
    cursor = conn.execute(
        "UPDATE introductions SET status = 'expired', answered_at = ? WHERE id = ? AND status = 'asked'", (now, introduction_id)
    )
    return cursor.rowcount == 1


def due_followups(conn: sqlite3.Connection, now: str) -> list[tuple[int, int, int]]:
    """(id, requester, invitee) of introductions made whose follow-up question is due."""
    rows = conn.execute(
        "SELECT id, requester_id, invitee_id FROM introductions WHERE status = 'accepted' AND followup_sent_at IS NULL AND followup_due <= ?",
        (now,),
    ).fetchall()
    return [(int(row[0]), int(row[1]), int(row[2])) for row in rows]


def mark_followup_sent(conn: sqlite3.Connection, introduction_id: int, now: str) -> bool:
    """Claim the follow-up question; False: another run queued it already."""
    cursor = conn.execute("UPDATE introductions SET followup_sent_at = ? WHERE id = ? AND followup_sent_at IS NULL", (now, introduction_id))
    return cursor.rowcount == 1


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who a digest is for: their name, language and where to message them (as :func:`contact`)."""

    name: str
    language: str
    platform: str | None
    chat_id: str | None


def recipients(conn: sqlite3.Connection, actor_ids: list[int]) -> dict[int, Recipient]:
    """:func:`contact`'s name, language and identity (reachable, most recent session first) for a
    few actors in one statement (a round's chunk); actors gone are left out."""
    if not actor_ids:
        return {}
    marks = ", ".join("?" for _ in actor_ids)
    best: dict[int, tuple[tuple[bool, str, str], Recipient]] = {}
    for actor_id, name, language, platform, chat_id, session_at, created_at in conn.execute(
        f"""
        SELECT a.id, a.name, a.language, i.platform, i.chat_id, s.updated_at, i.created_at FROM actors a
        LEFT JOIN identities i ON i.actor_id = a.id AND i.unreachable = FALSE
        LEFT JOIN sessions s ON s.platform = i.platform AND s.user_id = i.user_id
        WHERE a.id IN ({marks})
        """,
        actor_ids,
    ):
        rank = (
            session_at is not None,
            str(session_at or ""),
            str(created_at or ""),
        )  # ORDER BY s.updated_at DESC NULLS LAST, i.created_at DESC
        if actor_id not in best or rank > best[actor_id][0]:
            best[actor_id] = (rank, Recipient(name, language, platform, chat_id))
    return {actor_id: recipient for actor_id, (_, recipient) in best.items()}


def suggestion_views_by_id(conn: sqlite3.Connection, suggestion_ids: list[int], today: str) -> dict[int, tuple[int, DecisionView]]:
    """(other actor, question) of each suggestion in ``suggestion_ids`` whose other actor is still
    there, as :func:`suggestion_views` makes them, in one statement (a round's chunk)."""
    if not suggestion_ids:
        return {}
    marks = ",".join("?" for _ in suggestion_ids)
    views: dict[int, tuple[int, DecisionView]] = {}
    rows = conn.execute(
        f"""
        SELECT s.id, s.other_id, s.explanation, l.description, s.status, o.name, o.kind, o.place, o.description, s.their_listing_id,
               m.description
        FROM suggestions s JOIN actors o ON o.id = s.other_id
        LEFT JOIN listings l ON l.id = s.their_listing_id
        LEFT JOIN listings m ON m.id = s.my_listing_id
        WHERE s.id IN ({marks})
        """,
        suggestion_ids,
    ).fetchall()
    listed = open_listings_of(conn, sorted({int(row[1]) for row in rows if row[9] is None}), today)  # theme-only suggestions
    for suggestion_id, other_id, explanation, listing_text, status, name, kind, place, description, their_listing, mine in rows:
        other = OtherActor(
            name=name,
            kind=kind,
            place=json.loads(place)["label"],
            description=description,
            listings=listed.get(int(other_id), ()) if their_listing is None else (),
        )
        later = {"later": True} if status == "later" else {}
        view = DecisionView(
            token("suggestion", suggestion_id),
            "suggestion",
            other,
            reasons_from_json(explanation),
            listing_text=listing_text,
            extra=later,
            other_id=int(other_id),
            my_listing_text=mine,
        )
        views[int(suggestion_id)] = (int(other_id), view)
    return views


THEIR_LISTINGS = 3
"""Open listings of the other side shown with a theme-only suggestion (the newest needs, then offers)."""


SHOWN_CATEGORY = "CASE WHEN subcategory IS NULL OR subcategory = '' THEN category ELSE category || ':' || subcategory END"
"""A listing's category as its lists show it: « competences:comptabilite » for a skill offered (two skills
offered no longer look alike), the category alone otherwise (see :func:`conversations.decisions.category_label`)."""


def open_listings_of(conn: sqlite3.Connection, actor_ids: list[int], today: str) -> dict[int, tuple[tuple[str, str, str], ...]]:
    """Each actor's open listings still valid on ``today`` (an ISO date: an expired listing is
    never shown with a suggestion), (need/offer, category, description) — a skill offered or needed
    with its skill (:data:`SHOWN_CATEGORY`) —, needs first then newest,
    at most :data:`THEIR_LISTINGS` each, in one statement; actors without any are left out."""
    if not actor_ids:
        return {}
    marks = ",".join("?" for _ in actor_ids)
    found: dict[int, list[tuple[str, str, str]]] = {}
    for actor_id, kind, category, description in conn.execute(
        f"""
        SELECT actor_id, kind, {SHOWN_CATEGORY}, description FROM listings
        WHERE actor_id IN ({marks}) AND status = 'open' AND expires_at >= ? AND kind IN ('need', 'offer')
        ORDER BY actor_id, kind = 'need' DESC, id DESC
        """,
        [*actor_ids, today],
    ):
        mine = found.setdefault(int(actor_id), [])
        if len(mine) < THEIR_LISTINGS:
            mine.append((str(kind), str(category), str(description or "")))
    return {actor_id: tuple(rows) for actor_id, rows in found.items()}


def left_behind(conn: sqlite3.Connection, actor_id: int) -> list[tuple[int, str, str]]:
    """Who an actor about to erase their data leaves behind: (other actor, status, date asked) of
    each introduction still waiting (told to its requester) or made (told to the other side), one
    per other actor, the most recent."""
    found: dict[int, tuple[int, str, str]] = {}
    for other, status, created in conn.execute(
        """
        SELECT requester_id, status, created_at FROM introductions WHERE invitee_id = ? AND status IN ('asked', 'accepted')
        UNION ALL
        SELECT invitee_id, status, created_at FROM introductions WHERE requester_id = ? AND status = 'accepted'
        ORDER BY 3
        """,
        (actor_id, actor_id),
    ).fetchall():
        if int(other) != actor_id:
            found[int(other)] = (int(other), str(status), str(created))
    return list(found.values())


def own_declines(conn: sqlite3.Connection, actor_id: int) -> list[tuple[int, int, str, str, str]]:
    """The requests ``actor_id`` declined that may still be taken back, newest first, as (introduction,
    requester, requester's name, requester's kind, when declined): the two were never introduced nor are
    being asked since, and the requester declined nothing of theirs (that closes the pair for them too)."""
    rows = conn.execute(
        """
        SELECT n.id, n.requester_id, a.name, a.kind, n.answered_at FROM introductions n
        JOIN actors a ON a.id = n.requester_id
        WHERE n.invitee_id = ? AND n.status = 'declined' AND n.answered_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM introductions o WHERE o.id != n.id
                          AND ((o.requester_id = n.requester_id AND o.invitee_id = n.invitee_id AND o.status IN ('asked', 'accepted'))
                               OR (o.requester_id = n.invitee_id AND o.invitee_id = n.requester_id
                                   AND o.status IN ('asked', 'accepted', 'declined'))))
        ORDER BY n.answered_at DESC, n.id DESC
        """,
        (actor_id,),
    ).fetchall()
    seen: set[int] = set()
    found: list[tuple[int, int, str, str, str]] = []
    for row in rows:
        if int(row[1]) not in seen:  # the latest of each requester
            seen.add(int(row[1]))
            found.append((int(row[0]), int(row[1]), str(row[2]), str(row[3]), str(row[4])))
    return found


def own_declined_suggestions(conn: sqlite3.Connection, actor_id: int, limit: int = 20) -> list[tuple[int, int, str, str, str]]:
    """The suggestions ``actor_id`` declined (« Pas intéressé »), newest first, as (suggestion, other actor,
    their name, their kind, when declined): the latest of each other actor, whom they were neither
    introduced to nor are being asked about since (nothing of that pair is left to take back)."""
    rows = conn.execute(
        """
        SELECT s.id, s.other_id, a.name, a.kind, s.answered_at FROM suggestions s
        JOIN actors a ON a.id = s.other_id
        WHERE s.actor_id = ? AND s.status = 'declined' AND s.answered_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM introductions n WHERE n.status IN ('asked', 'accepted')
                          AND ((n.requester_id = s.actor_id AND n.invitee_id = s.other_id)
                               OR (n.requester_id = s.other_id AND n.invitee_id = s.actor_id)))
        ORDER BY s.answered_at DESC, s.id DESC LIMIT ?
        """,
        (actor_id, limit),
    ).fetchall()
    seen: set[int] = set()
    found: list[tuple[int, int, str, str, str]] = []
    for row in rows:
        if int(row[1]) not in seen:  # the latest of each other actor
            seen.add(int(row[1]))
            found.append((int(row[0]), int(row[1]), str(row[2]), str(row[3]), str(row[4])))
    return found


def restore_suggestion(conn: sqlite3.Connection, suggestion_id: int) -> bool:
    """A declined suggestion taken back: waiting for its answer again, as before the no (its pair no
    longer excluded); False when it was not declined."""
    row = conn.execute(
        "UPDATE suggestions SET status = 'proposed', answered_at = NULL WHERE id = ? AND status = 'declined' RETURNING id",
        (suggestion_id,),
    ).fetchone()
    return row is not None
