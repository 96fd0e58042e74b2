"""The one rule of pairs: two actors introduced, being asked, or where one declined the other — an
introduction whichever way it was started (/annuaire, a suggestion, a coordinator's /presenter, a
programme, a recommendation), in either direction — are never suggested, asked nor proposed again.
Every path that makes a suggestion or an introduction reads it here."""

from __future__ import annotations

import sqlite3

INTRODUCTION_ENGAGED = "{n}.status IN ('asked', 'accepted', 'declined')"
"""An introduction that closes its pair for good: being asked, made, or declined (an expired one does not)."""

SUGGESTION_CLOSED = "({s}.status = 'declined' AND {s}.kind NOT IN ('need_offer', 'offer_need'))"
"""A suggestion that closes its pair of actors for good: declined when it was about the two actors (a
theme pair, a coordinator's, a programme's, a recommendation) rather than about a need and an offer
(that closes that pair of listings only: :func:`storage.suggestions.history`)."""

SUGGESTION_WAITING = "{s}.status IN ('proposed', 'later')"
"""A suggestion still waiting for its answer: nobody proposes the pair by hand meanwhile (the rounds
have their own window of weeks, :func:`storage.suggestions.history`)."""


def engaged_condition(first: str, second: str, waiting: bool = True) -> str:
    """The one rule, as an SQL condition on two actor-id expressions (each ``?`` among them is one
    parameter, in the order ``first, second, second, first``, twice): the two were introduced,
    are being asked, or one declined the other — an introduction whichever way it was started
    (/annuaire, a suggestion, a coordinator, a programme) — or a suggestion of one to the other
    was declined as a pair of actors; in either direction. ``waiting``: a suggestion still
    waiting counts too (a proposal by hand). Such a pair is not suggested, asked nor proposed."""
    n = INTRODUCTION_ENGAGED.format(n="n")
    s = SUGGESTION_CLOSED.format(s="s")
    if waiting:
        s = f"({s} OR {SUGGESTION_WAITING.format(s='s')})"
    return f"""(
        EXISTS (SELECT 1 FROM introductions n WHERE {n}
                AND ((n.requester_id = {first} AND n.invitee_id = {second}) OR (n.requester_id = {second} AND n.invitee_id = {first})))
        OR EXISTS (SELECT 1 FROM suggestions s WHERE {s}
                AND ((s.actor_id = {first} AND s.other_id = {second}) OR (s.actor_id = {second} AND s.other_id = {first}))))"""


def pair_engaged(conn: sqlite3.Connection, first: int, second: int) -> bool:
    """Whether the two may not be proposed to each other by hand (a coordinator's /presenter, a
    programme, a recommendation): :func:`engaged_condition`, a waiting suggestion included."""
    row = conn.execute(f"SELECT {engaged_condition('?', '?')}", (first, second, second, first) * 2).fetchone()
    return bool(row[0])


def engaged_pairs(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    """Every pair of actors closed for good (:func:`engaged_condition` without the waiting
    suggestions), as (actor, other actor) in the direction stored: a round excludes both directions."""
    rows = conn.execute(
        f"""
        SELECT n.requester_id, n.invitee_id FROM introductions n WHERE {INTRODUCTION_ENGAGED.format(n="n")}
        UNION
        SELECT s.actor_id, s.other_id FROM suggestions s WHERE {SUGGESTION_CLOSED.format(s="s")}
        """
    ).fetchall()
    return [(int(row[0]), int(row[1])) for row in rows]


def introduction_state(conn: sqlite3.Connection, first: int, second: int) -> str | None:
    """What closes the pair for a request to be introduced (:data:`INTRODUCTION_ENGAGED`, either
    way): ``accepted`` (they were introduced), else ``asked``, else ``declined``; None: may be asked."""
    statuses = {
        str(row[0])
        for row in conn.execute(
            f"""
            SELECT n.status FROM introductions n WHERE {INTRODUCTION_ENGAGED.format(n="n")}
              AND ((n.requester_id = ? AND n.invitee_id = ?) OR (n.requester_id = ? AND n.invitee_id = ?))
            """,
            (first, second, second, first),
        )
    }
    return next((status for status in ("accepted", "asked", "declined") if status in statuses), None)


def declined_by(conn: sqlite3.Connection, decliner: int, other: int, suggestion_id: int | None = None) -> bool:
    """Whether ``decliner`` declined a suggestion of ``other`` that a request from ``other`` may not
    pass: one about the two actors (a theme pair, a coordinator's, a programme's, a recommendation),
    or, for a request made from ``other``'s suggestion ``suggestion_id``, one about the same need and
    offer (either way round). Such a request is never forwarded to ``decliner``."""
    row = conn.execute(
        f"""
        SELECT EXISTS (SELECT 1 FROM suggestions d WHERE d.actor_id = ? AND d.other_id = ? AND (
            {SUGGESTION_CLOSED.format(s="d")}
            OR (d.status = 'declined' AND EXISTS (
                SELECT 1 FROM suggestions s WHERE s.id = ? AND s.actor_id = ? AND s.other_id = ?
                   AND ((d.my_listing_id = s.their_listing_id AND d.their_listing_id = s.my_listing_id)
                        OR (d.my_listing_id = s.my_listing_id AND d.their_listing_id = s.their_listing_id))))))
        """,
        (decliner, other, suggestion_id, other, decliner),
    ).fetchone()
    return bool(row[0])
