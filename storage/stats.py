"""Impact figures of a territory over a period: aggregates only, never a name or a contact.

:func:`impact` runs on the database thread (``Database.run``) and returns counts, each
restricted to the actors of one area (a commune, an EPCI, a département, or all of France
for admins). What each figure means, precisely:

* **Area.** An actor is in the area when its ``commune_code`` / ``epci_code`` /
  ``departement_code`` equals the area code (``france``: every actor).
* **Demo actors** (``is_demo``, ``traitdunion demo``) are sample data, left out of every figure
  alike: they are not counted as actors, nor as recipients, answers, members or registrations;
  a suggestion or an introduction counts only between two real actors; a call, a group or an
  event that involves demo actors only is not counted at all (:func:`storage.outcomes.sample_only`).
  ``demo_actors`` says how many were left out in the area, so that the figures are read right
  beside ``/reponses``, which lists every answer of a call.
* **Period.** ``start`` and ``end`` are inclusive calendar days, compared with the stored
  UTC timestamps (a day runs from 00:00 to 24:00 UTC).
* **Actors** (``actors_total``, ``actors_by_kind``, ``actors_by_theme``): registered up to
  ``end`` and still present (a deleted actor leaves no trace). An actor with several themes
  counts once under each. ``actors_new``: registered within the period.
* **Open listings** (``needs_by_category``, ``offers_by_category``): listings of actors in the
  area, created up to ``end``, not expired at ``end`` (``expires_at >= end``), and not closed
  (the closing date is not stored: a listing closed since then no longer counts).
* **Suggestions**: ``suggestions_sent`` were created within the period for a receiving actor
  in the area; ``suggestions_accepted`` are those of them that ended in an introduction: the receiver
  said « Me présenter » (or the other side's request came first and was accepted) and the two were
  introduced, a yes on both sides. A « Me présenter » the other side declined, or still waiting for
  their answer, is no accepted suggestion.
* **Introductions**: ``introductions_made`` were accepted by the invitee within the period
  (``answered_at``), either side being in the area. Of these, ``partnerships_launched`` had
  at least one side answer "launched" to the follow-up, and ``partnerships_discussing`` had
  no "launched" but at least one "discussing" (each introduction counts once, in one of the
  two at most).
* **Broadcasts**: a broadcast created within the period counts when it was addressed to
  this very area *or* reached at least one actor of the area (so a département-wide
  broadcast counts for each EPCI coordinator of that département). Recipients, deliveries
  (recipient status ``sent``) and answers are counted for the actors of the area only, so a
  coordinator never learns anything about the actors of another territory.
  ``answer_rate`` is the number of answers divided by the deliveries of broadcasts that
  asked for an answer (``answer_mode`` other than ``none``); None when there were none.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.catalog import ACTOR_TYPES, CATEGORIES, THEME_VALUES
from storage.dialect import json_values
from storage.outcomes import OutcomeFigures, sample_only
from storage.outcomes import figures as outcome_figures
from territories.municipal import commune_codes

AREA_KINDS: tuple[str, ...] = ("commune", "epci", "departement", "france")
_AREA_COLUMN = {"commune": "commune_code", "epci": "epci_code", "departement": "departement_code"}


@dataclass(frozen=True, slots=True)
class ImpactFigures:
    """The impact figures of an area over a period (counts only; see the module's docstring).

    The ``*_by_*`` mappings list every value of the vocabulary in its usual order, zeros
    included, followed by any other stored value (sorted); treat them as read-only.
    ``ImpactFigures(area_kind, area_code, start, end)`` is an area where nothing happened.
    """

    area_kind: str
    area_code: str
    start: date
    end: date
    actors_total: int = 0
    actors_new: int = 0
    actors_by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTOR_TYPES, 0))
    actors_by_theme: dict[str, int] = field(default_factory=lambda: dict.fromkeys(THEME_VALUES, 0))
    needs_by_category: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    offers_by_category: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    suggestions_sent: int = 0
    suggestions_accepted: int = 0
    introductions_made: int = 0
    partnerships_launched: int = 0
    partnerships_discussing: int = 0
    broadcasts: int = 0
    broadcast_recipients: int = 0
    broadcast_delivered: int = 0
    broadcast_delivered_expecting_answer: int = 0
    broadcast_answers: int = 0
    groups_formed: int = 0
    """Working groups formed within the period (a member, or the group's own area, in the area)."""
    group_members: int = 0
    """Members who joined those groups."""
    groups_forming: int = 0
    """Working groups created within the period and not formed yet (a group is formed once two members
    accepted: :func:`services.groups.answer_invite`) that one member accepted already (a member, or the
    group's own area, in the area): the coordinator has a member beside them, the others have not answered."""
    forming_members: int = 0
    """Members who accepted those groups (one each until a second one forms the group)."""
    events: int = 0
    """Events published within the period (not cancelled; an invitee, or the event's area, in the area)."""
    event_registrations: int = 0
    """People registered for those events (the waiting list not counted)."""
    event_people: int = 0
    """The people those registrations bring (« on sera 3 »: 3; one when not said)."""
    demo_actors: int = 0
    """Demo actors of the area, left out of every other figure."""
    outcomes: OutcomeFigures = field(default_factory=OutcomeFigures)
    """What introductions and groups launched, by type pair, theme and month (:mod:`storage.outcomes`)."""

    @property
    def open_needs(self) -> int:
        """Open needs at the end of the period, all categories."""
        return sum(self.needs_by_category.values())

    @property
    def open_offers(self) -> int:
        """Open offers at the end of the period, all categories."""
        return sum(self.offers_by_category.values())

    @property
    def acceptance_rate(self) -> float | None:
        """Suggestions that ended in an introduction (a yes on both sides) / suggestions sent, or None when none was sent."""
        return self.suggestions_accepted / self.suggestions_sent if self.suggestions_sent else None

    @property
    def answer_rate(self) -> float | None:
        """Answers / deliveries of broadcasts that asked for an answer, or None."""
        if not self.broadcast_delivered_expecting_answer:
            return None
        return self.broadcast_answers / self.broadcast_delivered_expecting_answer


def area_condition(alias: str, area_kind: str, area_code: str, demo: bool = False) -> tuple[str, tuple[str, ...]]:
    """SQL condition (and its parameters) that the actor ``alias`` is a real actor of the area (a
    demo actor of the area with ``demo``)."""
    if area_kind not in AREA_KINDS:
        raise ValueError(f"unknown area kind {area_kind!r}")
    which = f"{alias}.is_demo = {'TRUE' if demo else 'FALSE'}"
    if area_kind == "france":
        return which, ()
    if not area_code:
        raise ValueError("an area code is required")
    codes = commune_codes(area_code) if area_kind == "commune" else (area_code,)  # Lyon includes Lyon 3e
    marks = ",".join("?" for _ in codes)
    return f"({alias}.{_AREA_COLUMN[area_kind]} IN ({marks}) AND {which})", codes


def _ordered(counts: dict[str, int], vocabulary: tuple[str, ...]) -> dict[str, int]:
    result = {value: counts.get(value, 0) for value in vocabulary}
    result.update(sorted((key, value) for key, value in counts.items() if key not in result))
    return result


def impact(conn: sqlite3.Connection, area_kind: str, area_code: str, start: date, end: date) -> ImpactFigures:
    """The impact figures of the area ``(area_kind, area_code)`` from ``start`` to ``end`` inclusive."""
    if start > end:
        raise ValueError("the period starts after it ends")
    area, area_params = area_condition("a", area_kind, area_code)
    low, high = start.isoformat(), (end + timedelta(days=1)).isoformat()
    end_day = end.isoformat()

    def scalar(sql: str, params: tuple[object, ...]) -> int:
        return int(conn.execute(sql, params).fetchone()[0] or 0)

    def grouped(sql: str, params: tuple[object, ...]) -> dict[str, int]:
        return {str(row[0]): int(row[1]) for row in conn.execute(sql, params)}

    demo_area, _ = area_condition("a", area_kind, area_code, demo=True)
    demo_actors = scalar(f"SELECT count(*) FROM actors a WHERE {demo_area} AND a.created_at < ?", (*area_params, high))
    actors_total = scalar(f"SELECT count(*) FROM actors a WHERE {area} AND a.created_at < ?", (*area_params, high))
    actors_new = scalar(
        f"SELECT count(*) FROM actors a WHERE {area} AND a.created_at >= ? AND a.created_at < ?",
        (*area_params, low, high),
    )
    by_kind = grouped(
        f"SELECT a.kind, count(*) FROM actors a WHERE {area} AND a.created_at < ? GROUP BY a.kind",
        (*area_params, high),
    )
    by_theme = grouped(
        f"""
        SELECT t.value, count(DISTINCT a.id) FROM actors a, {json_values(conn, "a.themes", "t")}
        WHERE {area} AND a.created_at < ? GROUP BY t.value
        """,
        (*area_params, high),
    )
    listings: dict[str, dict[str, int]] = {"need": {}, "offer": {}}
    for kind, category, count in conn.execute(
        f"""
        SELECT l.kind, l.category, count(*) FROM listings l JOIN actors a ON a.id = l.actor_id
        WHERE {area} AND l.status = 'open' AND l.created_at < ? AND l.expires_at >= ?
        GROUP BY l.kind, l.category
        """,
        (*area_params, high, end_day),
    ):
        listings.setdefault(kind, {})[category] = int(count)

    sent, accepted = conn.execute(
        f"""
        SELECT count(*), count(*) FILTER (WHERE s.status = 'accepted' AND EXISTS (
                   SELECT 1 FROM introductions n WHERE n.status = 'accepted'
                      AND ((n.requester_id = s.actor_id AND n.invitee_id = s.other_id)
                           OR (n.requester_id = s.other_id AND n.invitee_id = s.actor_id))))
        FROM suggestions s JOIN actors a ON a.id = s.actor_id JOIN actors o ON o.id = s.other_id
        WHERE {area} AND o.is_demo = FALSE AND s.created_at >= ? AND s.created_at < ?
        """,
        (*area_params, low, high),
    ).fetchone()

    side_area, side_params = area_condition("a", area_kind, area_code)
    made, launched, discussing = conn.execute(
        f"""
        SELECT count(*),
               count(*) FILTER (WHERE i.requester_outcome = 'launched' OR i.invitee_outcome = 'launched'),
               count(*) FILTER (WHERE NOT (coalesce(i.requester_outcome, '') = 'launched' OR coalesce(i.invitee_outcome, '') = 'launched')
                                  AND (i.requester_outcome = 'discussing' OR i.invitee_outcome = 'discussing'))
        FROM introductions i
        JOIN actors r ON r.id = i.requester_id
        JOIN actors v ON v.id = i.invitee_id
        WHERE i.status = 'accepted' AND i.answered_at >= ? AND i.answered_at < ?
          AND r.is_demo = FALSE AND v.is_demo = FALSE
          AND EXISTS (SELECT 1 FROM actors a WHERE a.id IN (i.requester_id, i.invitee_id) AND {side_area})
        """,
        (low, high, *side_params),
    ).fetchone()

    exact = "1 = 1" if area_kind == "france" else "(b.area_kind = ? AND b.area_code = ?)"
    exact_params: tuple[str, ...] = () if area_kind == "france" else (area_kind, area_code)
    broadcasts = scalar(
        f"""
        SELECT count(*) FROM broadcasts b
        WHERE b.created_at >= ? AND b.created_at < ?
          AND ({exact} OR EXISTS (
              SELECT 1 FROM broadcast_recipients br JOIN actors a ON a.id = br.actor_id
              WHERE br.broadcast_id = b.id AND {area}))
          AND NOT {sample_only("broadcast_recipients", "broadcast_id", "b.id")}
        """,
        (low, high, *exact_params, *area_params),
    )
    recipients, delivered, delivered_expecting = conn.execute(
        f"""
        SELECT count(*), count(*) FILTER (WHERE br.status = 'sent'),
               count(*) FILTER (WHERE br.status = 'sent' AND b.answer_mode != 'none')
        FROM broadcasts b JOIN broadcast_recipients br ON br.broadcast_id = b.id
        JOIN actors a ON a.id = br.actor_id
        WHERE b.created_at >= ? AND b.created_at < ? AND {area}
        """,
        (low, high, *area_params),
    ).fetchone()
    answers = scalar(
        f"""
        SELECT count(*) FROM broadcasts b JOIN broadcast_answers ba ON ba.broadcast_id = b.id
        JOIN actors a ON a.id = ba.actor_id
        WHERE b.created_at >= ? AND b.created_at < ? AND b.answer_mode != 'none' AND {area}
        """,
        (low, high, *area_params),
    )

    group_area = "1 = 1" if area_kind == "france" else "(g.area_kind = ? AND g.area_code = ?)"
    groups, members = conn.execute(
        f"""
        SELECT count(DISTINCT g.id), count(m.actor_id) FROM working_groups g
        LEFT JOIN group_members m ON m.group_id = g.id AND m.status = 'accepted'
             AND EXISTS (SELECT 1 FROM actors ma WHERE ma.id = m.actor_id AND ma.is_demo = FALSE)
        WHERE g.formed_at >= ? AND g.formed_at < ?
          AND ({group_area} OR EXISTS (
              SELECT 1 FROM group_members gm JOIN actors a ON a.id = gm.actor_id WHERE gm.group_id = g.id AND {area}))
          AND NOT {sample_only("group_members", "group_id", "g.id")}
        """,
        (low, high, *exact_params, *area_params),
    ).fetchone()
    forming, forming_members = conn.execute(
        f"""
        SELECT count(DISTINCT g.id), count(m.actor_id) FROM working_groups g
        JOIN group_members m ON m.group_id = g.id AND m.status = 'accepted'
             AND EXISTS (SELECT 1 FROM actors ma WHERE ma.id = m.actor_id AND ma.is_demo = FALSE)
        WHERE g.status = 'inviting' AND g.created_at >= ? AND g.created_at < ?
          AND ({group_area} OR EXISTS (
              SELECT 1 FROM group_members gm JOIN actors a ON a.id = gm.actor_id WHERE gm.group_id = g.id AND {area}))
        """,
        (low, high, *exact_params, *area_params),
    ).fetchone()
    event_area = "1 = 1" if area_kind == "france" else "(e.area_kind = ? AND e.area_code = ?)"
    events, registrations, coming = conn.execute(
        f"""
        SELECT count(DISTINCT e.id), count(p.actor_id), COALESCE(sum(p.people), 0) FROM events e
        LEFT JOIN event_people p ON p.event_id = e.id AND p.status = 'registered'
             AND EXISTS (SELECT 1 FROM actors pa WHERE pa.id = p.actor_id AND pa.is_demo = FALSE)
        WHERE e.created_at >= ? AND e.created_at < ? AND e.status != 'cancelled'
          AND ({event_area} OR EXISTS (
              SELECT 1 FROM event_people ep JOIN actors a ON a.id = ep.actor_id WHERE ep.event_id = e.id AND {area}))
          AND NOT {sample_only("event_people", "event_id", "e.id")}
        """,
        (low, high, *exact_params, *area_params),
    ).fetchone()

    return ImpactFigures(
        area_kind=area_kind,
        area_code=area_code if area_kind != "france" else "",
        start=start,
        end=end,
        actors_total=actors_total,
        actors_new=actors_new,
        actors_by_kind=_ordered(by_kind, ACTOR_TYPES),
        actors_by_theme=_ordered(by_theme, THEME_VALUES),
        needs_by_category=_ordered(listings.get("need", {}), CATEGORIES),
        offers_by_category=_ordered(listings.get("offer", {}), CATEGORIES),
        suggestions_sent=int(sent),
        suggestions_accepted=int(accepted),
        introductions_made=int(made),
        partnerships_launched=int(launched),
        partnerships_discussing=int(discussing),
        broadcasts=broadcasts,
        broadcast_recipients=int(recipients),
        broadcast_delivered=int(delivered),
        broadcast_delivered_expecting_answer=int(delivered_expecting),
        broadcast_answers=answers,
        groups_formed=int(groups or 0),
        group_members=int(members or 0),
        groups_forming=int(forming or 0),
        forming_members=int(forming_members or 0),
        events=int(events or 0),
        event_registrations=int(registrations or 0),
        event_people=int(coming or 0),
        demo_actors=demo_actors,
        outcomes=outcome_figures(conn, area_kind, area_code, start, end),
    )
