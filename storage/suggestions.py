"""Suggestion rounds as stored: the matching engine's inputs, digests and suggestions."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from core.clock import iso
from matching import ActorRecord, History, ListingRecord, Reason, Suggestion
from matching.theme_pairs import authority_territory
from storage.pairs import INTRODUCTION_ENGAGED, engaged_pairs

_LABEL_SUFFIX = re.compile(r"\s*\(\w{2,3}\)$")
"""The " (69)" after a commune's label: "à Villeurbanne comme vous" says the name only."""


def _day(stamp: str | None) -> date | None:
    return None if not stamp else date.fromisoformat(stamp[:10])


class _Shared:
    """One object per distinct value while a round's records are read: 1M listings repeat a
    few kinds, categories, zones, theme sets and days, and a value read from the database is a
    new object each row (≈1 KiB per listing record without sharing, ~0.3 KiB with it)."""

    def __init__(self) -> None:
        self._values: dict[Any, Any] = {}
        self._themes: dict[str, frozenset[str]] = {}
        self._days: dict[str, date | None] = {}

    def __call__(self, value: Any) -> Any:
        """The shared copy of a string (or None)."""
        return self._values.setdefault(value, value)

    def themes(self, raw: str) -> frozenset[str]:
        """The theme set of a JSON list, one frozenset per distinct set."""
        found = self._themes.get(raw)
        if found is None:
            themes = frozenset(self(theme) for theme in json.loads(raw))
            found = self._themes[raw] = self._values.setdefault(themes, themes)
        return found

    def day(self, stamp: str | None) -> date | None:
        """The day of an ISO time, one object per day."""
        key = (stamp or "")[:10]
        if key not in self._days:
            self._days[key] = _day(key)
        return self._days[key]


def actor_records(conn: sqlite3.Connection, territories: Any) -> list[ActorRecord]:
    """Every actor as the matching engine sees it (coordinates from the territory resolver).

    Demo actors and people who only ever used the console are a sandbox (``is_demo``): the
    engine pairs them with each other, never with people on Telegram or Matrix.
    """
    records: list[ActorRecord] = []
    shared = _Shared()
    places: dict[str, tuple[str, str, str]] = {}
    coordinated = authorities_areas(conn)
    for row in conn.execute(
        """
        SELECT a.id, a.kind, a.commune_code, a.epci_code, a.departement_code, a.themes, a.description,
               a.consent_matching, a.paused, a.unreachable,
               a.is_demo = TRUE OR NOT EXISTS (
                   SELECT 1 FROM identities i WHERE i.actor_id = a.id AND i.platform != 'console'
               ),
               a.updated_at, a.place, CASE WHEN a.kind = 'collectivite' THEN a.name END
        FROM actors a
        """
    ):
        commune = territories.commune(row[2])
        names = places.get(row[12] or "")
        if names is None:
            place = json.loads(row[12]) if row[12] else {}
            names = places[row[12] or ""] = (
                shared(_LABEL_SUFFIX.sub("", place.get("label") or "")),
                shared(place.get("epci_name") or ""),
                shared(place.get("departement_name") or ""),
            )
        records.append(
            ActorRecord(
                id=row[0],
                kind=shared(row[1]),
                commune_code=shared(row[2]),
                epci_code=shared(row[3]),
                departement_code=shared(row[4]),
                lat=getattr(commune, "lat", None),
                lon=getattr(commune, "lon", None),
                themes=shared.themes(row[5]),
                description=row[6] or "",
                consent_matching=bool(row[7]),
                paused=bool(row[8]),
                unreachable=bool(row[9]),
                is_demo=bool(row[10]),
                updated_at=shared.day(row[11]),
                commune_name=names[0],
                epci_name=names[1],
                departement_name=names[2],
                territory=None
                if row[13] is None  # not a local authority
                else authority_territory(row[13], (row[3], names[1]), (row[4], names[2]), coordinated.get(row[0], ())),
            )
        )
    return records


def authorities_areas(conn: sqlite3.Connection) -> dict[int, tuple[tuple[str, str], ...]]:
    """The areas of the coordinator appointments held by the people of each local authority
    (a département's associative-life team coordinates its département)."""
    found: dict[int, list[tuple[str, str]]] = {}
    for actor_id, kind, code in conn.execute(  # from the few coordinators: CROSS JOIN keeps that order in SQLite
        """
        SELECT i.actor_id, c.area_kind, c.area_code
        FROM coordinators c CROSS JOIN identities i CROSS JOIN actors a
        WHERE i.platform = c.platform AND i.user_id = c.user_id AND a.id = i.actor_id AND a.kind = 'collectivite'
        ORDER BY i.actor_id, c.id
        """
    ):
        found.setdefault(int(actor_id), []).append((str(kind), str(code)))
    return {actor_id: tuple(areas) for actor_id, areas in found.items()}


def listing_records(conn: sqlite3.Connection) -> list[ListingRecord]:
    """Every open listing as the matching engine sees it (repeated values shared: :class:`_Shared`)."""
    shared = _Shared()
    return [
        ListingRecord(
            id=row[0],
            actor_id=row[1],
            kind=shared(row[2]),
            category=shared(row[3]),
            subcategory=shared(row[4]),
            themes=shared.themes(row[5]),
            description=row[6],
            zone_kind=shared(row[7]),
            zone_code=shared(row[8]),
            radius_km=row[9],
            created_at=shared.day(row[10]) or date.min,
            expires_at=shared.day(row[11]) or date.max,
            status=shared(row[12]),
        )
        for row in conn.execute(
            """
            SELECT id, actor_id, kind, category, subcategory, themes, description, zone_kind, zone_code,
                   radius_km, created_at, expires_at, status
            FROM listings WHERE status = 'open'
            """
        )
    ]


def history(conn: sqlite3.Connection, since: datetime) -> History:
    """Pairs suggested since ``since``; pairs of actors that may never be suggested again (the rule
    every path shares, :func:`storage.introductions.engaged_condition`: introduced, being asked,
    declined, or a suggestion still waiting or declined as a pair of actors); and need ↔ offer
    suggestions declined, which exclude that pair of listings only."""
    suggested = tuple(
        (row[0], row[1], date.fromisoformat(row[2][:10]))
        for row in conn.execute("SELECT actor_id, other_id, created_at FROM suggestions WHERE created_at >= ?", (iso(since),))
    )
    listings = [
        (row[0], row[1])
        for row in conn.execute(
            """
            SELECT my_listing_id, their_listing_id FROM suggestions
            WHERE status = 'declined' AND kind IN ('need_offer', 'offer_need')
              AND my_listing_id IS NOT NULL AND their_listing_id IS NOT NULL
            """
        )
    ]  # a listing erased since leaves nothing to pair
    return History(
        suggested=suggested, declined=tuple(dict.fromkeys(engaged_pairs(conn))), declined_listings=tuple(dict.fromkeys(listings))
    )


MIN_GAP = {"weekly": timedelta(days=6), "biweekly": timedelta(days=13), "monthly": timedelta(days=27)}
"""Shortest time between two digests of a frequency (a period change never brings one early)."""


def period_key(frequency: str, slot: date) -> str:
    """The digest period that the slot ``slot`` belongs to, for a frequency."""
    year, week, _ = slot.isocalendar()
    if frequency == "biweekly":  # fortnights counted from a fixed origin, across year ends
        return f"biweekly:{slot.toordinal() // 14}"
    if frequency == "monthly":
        return f"monthly:{slot.year}-{slot.month:02d}"
    return f"weekly:{year}-W{week:02d}"


def due_actors(conn: sqlite3.Connection, slot: date) -> dict[int, str]:
    """Actors whose digest for the period of ``slot`` has not been made yet, with that period."""
    due: dict[int, str] = {}
    rows = conn.execute(
        """
        SELECT id, frequency FROM actors
        WHERE consent_matching = TRUE AND paused = FALSE AND unreachable = FALSE
        """
    ).fetchall()
    # Only the digests that can matter, both on an index: those of the periods ``slot``
    # belongs to, and those recent enough to fall within the longest gap.
    periods = sorted({period_key(frequency, slot) for frequency in (*MIN_GAP, "weekly")})
    done = {
        (row[0], row[1])
        for row in conn.execute(f"SELECT actor_id, period FROM digests WHERE period IN ({','.join('?' for _ in periods)})", periods)
    }
    since = (slot - max(MIN_GAP.values())).isoformat()
    last: dict[int, str] = {}
    for actor_id, created_at in conn.execute("SELECT actor_id, created_at FROM digests WHERE created_at >= ?", (since,)):
        last[actor_id] = max(created_at, last.get(actor_id, created_at))
    for actor_id, frequency in rows:
        period = period_key(frequency, slot)
        if (actor_id, period) in done:
            continue
        previous = last.get(actor_id)
        if previous is not None and date.fromisoformat(previous[:10]) > slot - MIN_GAP.get(frequency, timedelta(days=6)):
            continue  # e.g. switched from weekly to monthly: the last digest is too recent
        due[actor_id] = period
    return due


ROUND_JOB = "suggestion-round"


def round_ran_for(conn: sqlite3.Connection, slot: date, slot_start: str) -> bool:
    """Whether the scheduled round of ``slot`` already ran (recorded, or digests made since it began)."""
    row = conn.execute("SELECT slot FROM job_runs WHERE job = ?", (ROUND_JOB,)).fetchone()
    if row is not None:
        return row[0] >= slot.isoformat()
    # Databases from before the record: a round that made digests since the slot began ran.
    made = conn.execute("SELECT 1 FROM digests WHERE created_at >= ? AND period NOT LIKE 'manual:%' LIMIT 1", (slot_start,)).fetchone()
    return made is not None


def record_round(conn: sqlite3.Connection, slot: date, now: str) -> None:
    """The scheduled round of ``slot`` ran."""
    conn.execute(
        "INSERT INTO job_runs (job, slot, ran_at) VALUES (?, ?, ?) ON CONFLICT (job) DO UPDATE SET slot = excluded.slot, ran_at = excluded.ran_at",
        (ROUND_JOB, slot.isoformat(), now),
    )


def record_digest(conn: sqlite3.Connection, actor_id: int, period: str, now: str) -> int | None:
    """Record the digest of a period; None when it was already made (never twice)."""
    row = conn.execute(
        "INSERT INTO digests (actor_id, period, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
        (actor_id, period, now),
    ).fetchone()
    return None if row is None else int(row[0])


def reasons_json(reasons: Iterable[Reason]) -> str:
    """Serialise a suggestion's reasons (translated again at display time)."""
    return json.dumps([[r.key, dict(r.params)] for r in reasons], ensure_ascii=False)


def reasons_from_json(raw: str) -> tuple[tuple[str, dict[str, Any]], ...]:
    """Rebuild reasons stored by :func:`reasons_json` (lists back to tuples for vocabularies)."""
    return tuple((key, {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}) for key, params in json.loads(raw))


def store_suggestion(conn: sqlite3.Connection, suggestion: Suggestion, digest_id: int | None, now: str) -> int:
    """Insert one suggestion; return its id."""
    cursor = conn.execute(
        """
        INSERT INTO suggestions (actor_id, other_id, digest_id, kind, my_listing_id, their_listing_id, score,
                                 explanation, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
        """,
        (
            suggestion.for_actor,
            suggestion.other_actor,
            digest_id,
            suggestion.kind,
            suggestion.my_listing_id,
            suggestion.their_listing_id,
            round(suggestion.score, 4),
            reasons_json(suggestion.reasons),
            now,
        ),
    )
    return int(cursor.fetchone()[0])


def recent_window(now: datetime, weeks: int) -> datetime:
    """The start of the "recently suggested" window."""
    return now - timedelta(weeks=weeks)


EARLY_ALERT_GAP = timedelta(days=7)
"""At most one early alert per actor in this time."""


def early_alert_state(conn: sqlite3.Connection, now: datetime) -> str:
    """When offers were last checked for early alerts (a day ago on the first check)."""
    row = conn.execute("SELECT value FROM matching_state WHERE key = 'early_alerts_checked'").fetchone()
    return row[0] if row else iso(now - timedelta(days=1))


def set_early_alert_state(conn: sqlite3.Connection, checked: str) -> None:
    conn.execute(
        "INSERT INTO matching_state (key, value) VALUES ('early_alerts_checked', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (checked,),
    )


def early_alert_candidates(conn: sqlite3.Connection, since: str, now: datetime) -> tuple[list[int], list[int]]:
    """(offers created since ``since``, actors who may get an early alert about them).

    Such an actor has an open need of the same category, agreed to be suggested and to early
    alerts, is not paused, and got no early alert in the last 7 days.
    """
    offers = [
        row[0]
        for row in conn.execute(
            "SELECT id FROM listings WHERE kind = 'offer' AND status = 'open' AND expires_at >= ? AND created_at > ?",
            (now.date().isoformat(), since),
        )
    ]
    if not offers:
        return [], []
    marks = ", ".join("?" for _ in offers)
    before = iso(now - EARLY_ALERT_GAP)
    actors = [
        row[0]
        for row in conn.execute(
            f"""
        SELECT DISTINCT a.id FROM actors a JOIN listings n ON n.actor_id = a.id
        WHERE n.kind = 'need' AND n.status = 'open' AND n.expires_at >= ?
          AND n.category IN (SELECT category FROM listings WHERE id IN ({marks}))
          AND a.early_alerts = TRUE AND a.consent_matching = TRUE AND a.paused = FALSE AND a.unreachable = FALSE
          AND (a.last_early_alert IS NULL OR a.last_early_alert < ?)
        """,
            (now.date().isoformat(), *offers, before),
        )
    ]
    return offers, actors


def others_of(conn: sqlite3.Connection, suggestion_ids: list[int]) -> dict[int, int]:
    """The other actor of each suggestion in ``suggestion_ids``."""
    if not suggestion_ids:
        return {}
    marks = ", ".join("?" for _ in suggestion_ids)
    rows = conn.execute(f"SELECT id, other_id FROM suggestions WHERE id IN ({marks})", suggestion_ids)
    return {int(row[0]): int(row[1]) for row in rows}


def read_only_connection(db_path: str) -> sqlite3.Connection:
    """A connection of its own that can only read the database (a round's child process)."""
    if db_path.startswith(("postgresql://", "postgres://")):
        from storage.postgres import PgConnection

        pg = PgConnection.connect(db_path, "traitdunion-round")
        pg.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return pg  # type: ignore[return-value]  # the sqlite3-like surface repositories use
    conn = sqlite3.connect(Path(db_path).expanduser().resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None)
    conn.execute("PRAGMA query_only = 1")
    return conn


@contextmanager
def read_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """Read in one transaction: every query inside sees the same snapshot."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def record_digests(conn: sqlite3.Connection, periods: list[tuple[int, str]], now: str) -> dict[int, int]:
    """Record the digests of a few actors at once (actor, period); their ids by actor, without
    those already made (never twice): one statement for a round's chunk."""
    if not periods:
        return {}
    values = ", ".join("(?, ?, ?)" for _ in periods)
    rows = conn.execute(
        f"INSERT INTO digests (actor_id, period, created_at) VALUES {values} ON CONFLICT DO NOTHING RETURNING id, actor_id",
        [value for actor_id, period in periods for value in (actor_id, period, now)],
    ).fetchall()
    return {int(row[1]): int(row[0]) for row in rows}


_SAME_LISTINGS = (
    "(({d}.my_listing_id = s.my_listing_id AND {d}.their_listing_id = s.their_listing_id)"
    " OR ({d}.my_listing_id = s.their_listing_id AND {d}.their_listing_id = s.my_listing_id))"
)
"""A declined suggestion ``{d}`` about the same two listings as the put-aside suggestion ``s``."""


def settle_put_aside_among(conn: sqlite3.Connection, actor_ids: list[int], now: str) -> dict[int, list[int]]:
    """At the digests of a few actors (a round's chunk), their suggestions put aside with "Plus
    tard": each is proposed again once (returned by actor, oldest first), then dropped at the
    following digest; one whose two actors were introduced, are being asked or one declined the
    other meanwhile (an introduction, either way), whose pair was declined as a suggestion (the
    same listings, or the two actors for a suggestion about no need and offer, as in
    :func:`history`), or one of whose listings was closed or expired meanwhile, is dropped at once. At most three statements whatever their number."""
    if not actor_ids:
        return {}
    marks = ", ".join("?" for _ in actor_ids)
    rows = conn.execute(
        f"""
        SELECT s.id, s.actor_id, s.reproposed_at IS NOT NULL OR EXISTS (
            SELECT 1 FROM suggestions d WHERE d.status = 'declined'
               AND ((d.actor_id = s.actor_id AND d.other_id = s.other_id) OR (d.actor_id = s.other_id AND d.other_id = s.actor_id))
               AND (d.kind NOT IN ('need_offer', 'offer_need') OR {_SAME_LISTINGS.format(d="d")})
            UNION ALL
            SELECT 1 FROM introductions n WHERE {INTRODUCTION_ENGAGED.format(n="n")}
               AND ((n.requester_id = s.actor_id AND n.invitee_id = s.other_id) OR (n.requester_id = s.other_id AND n.invitee_id = s.actor_id))
            UNION ALL
            SELECT 1 FROM listings l WHERE l.id IN (s.my_listing_id, s.their_listing_id) AND (l.status != 'open' OR l.expires_at < ?)
        )
        FROM suggestions s WHERE s.actor_id IN ({marks}) AND s.status = 'later' ORDER BY s.id
        """,
        [now[:10], *actor_ids],
    ).fetchall()
    again: dict[int, list[int]] = {}
    for row in rows:
        if not row[2]:
            again.setdefault(int(row[1]), []).append(int(row[0]))
    dropped = [int(row[0]) for row in rows if row[2]]
    if dropped:
        conn.execute(f"UPDATE suggestions SET status = 'expired' WHERE id IN ({', '.join('?' for _ in dropped)})", dropped)
    proposed = [suggestion_id for ids in again.values() for suggestion_id in ids]
    if proposed:
        conn.execute(
            f"UPDATE suggestions SET status = 'proposed', reproposed_at = ? WHERE id IN ({', '.join('?' for _ in proposed)})",
            [now, *proposed],
        )
    return again


def store_suggestions(conn: sqlite3.Connection, rows: list[tuple[Suggestion, int | None]], now: str) -> list[int]:
    """Insert several suggestions (each with its digest) in one statement; their ids, in order."""
    if not rows:
        return []
    values = ", ".join("(?, ?, ?, ?, ?, ?, ?, ?, ?)" for _ in rows)
    params = [
        value
        for s, digest_id in rows
        for value in (
            s.for_actor,
            s.other_actor,
            digest_id,
            s.kind,
            s.my_listing_id,
            s.their_listing_id,
            round(s.score, 4),
            reasons_json(s.reasons),
            now,
        )
    ]
    cursor = conn.execute(
        f"""
        INSERT INTO suggestions (actor_id, other_id, digest_id, kind, my_listing_id, their_listing_id, score,
                                 explanation, created_at)
        VALUES {values} RETURNING id
        """,
        params,
    )
    # RETURNING's order is not promised, the ids are: given in the order of the VALUES rows.
    return sorted(int(row[0]) for row in cursor.fetchall())


def nothing_to_say_among(
    conn: sqlite3.Connection, actor_ids: list[int], today: str, since: str, current_digests: Iterable[int] = ()
) -> dict[int, tuple[str, str | None, str | None] | None]:
    """For a few actors whose digest found nothing, what the "nothing" notice is about: their
    newest open listing (needs first) that nothing answers yet, as ``(kind, description, zone
    label)``; None for an actor without any open listing; an actor left out is told nothing.

    A listing is answered when a suggestion about it (either side, either listing) waits for an
    answer, was accepted (and its introduction neither declined nor expired), or was made since
    ``since`` (the no-repeat window: such a pair cannot come back yet) and not declined; or when
    an introduction of the actor, however started (/annuaire, a coordinator, a programme), was
    asked or made since the listing was declared, with someone who has the other side of it or
    no listing at all (the pair is in touch: nothing to say "nothing" about). A
    listing is already reported when an earlier digest of the actor (not one of
    ``current_digests``) found nothing after it was last changed: the notice said "je vous
    préviens dès que ça change", it is not said again while nothing changed. Likewise an actor
    without a listing hears it once in a row. An actor with a suggestion of the window still
    waiting for their answer is told nothing ("Pas de suggestion cette fois" beside a question
    about a partner reads as a contradiction). Seven statements whatever the number of actors.
    """
    if not actor_ids:
        return {}
    marks = ", ".join("?" for _ in actor_ids)
    current = sorted(set(current_digests))
    skip = f"AND d.id NOT IN ({', '.join('?' for _ in current)})" if current else ""
    last_empty: dict[int, str] = {}
    for actor_id, created_at in conn.execute(
        f"""
        SELECT d.actor_id, MAX(d.created_at) FROM digests d
        WHERE d.actor_id IN ({marks}) {skip} AND NOT EXISTS (SELECT 1 FROM suggestions s WHERE s.digest_id = d.id)
        GROUP BY d.actor_id
        """,
        [*actor_ids, *current],
    ):
        last_empty[int(actor_id)] = str(created_at)
    last_full: dict[int, str] = {}
    for actor_id, created_at in conn.execute(
        f"""
        SELECT d.actor_id, MAX(d.created_at) FROM digests d
        WHERE d.actor_id IN ({marks}) {skip} AND EXISTS (SELECT 1 FROM suggestions s WHERE s.digest_id = d.id)
        GROUP BY d.actor_id
        """,
        [*actor_ids, *current],
    ):
        last_full[int(actor_id)] = str(created_at)
    listings = conn.execute(
        f"""
        SELECT actor_id, id, kind, description, zone_label, updated_at FROM listings
        WHERE actor_id IN ({marks}) AND status = 'open' AND expires_at >= ?
        """,
        [*actor_ids, today],
    ).fetchall()
    ids = [int(row[1]) for row in listings]
    answered: set[int] = set()
    if ids:
        listing_marks = ", ".join("?" for _ in ids)
        for mine, theirs in conn.execute(
            f"""
            SELECT s.my_listing_id, s.their_listing_id FROM suggestions s
            WHERE (s.my_listing_id IN ({listing_marks}) OR s.their_listing_id IN ({listing_marks}))
              AND (s.status IN ('proposed', 'later')
                   OR (s.status <> 'declined' AND s.created_at >= ?)
                   OR (s.status = 'accepted' AND NOT EXISTS (
                        SELECT 1 FROM introductions n WHERE n.suggestion_id = s.id AND n.status IN ('declined', 'expired'))))
            """,
            [*ids, *ids, since],
        ):
            answered.update(i for i in (mine, theirs) if i is not None)
        # An introduction asked or made since the listing was declared, however it was started
        # (/annuaire, a coordinator, a programme): the actor is in touch with someone who has the
        # other side of it (or no listing at all: the introduction was about the actor as such).
        for side, other in (("requester_id", "invitee_id"), ("invitee_id", "requester_id")):
            answered.update(
                int(row[0])
                for row in conn.execute(
                    f"""
                    SELECT l.id FROM listings l JOIN introductions n ON n.{side} = l.actor_id
                    WHERE l.id IN ({listing_marks}) AND n.status IN ('asked', 'accepted') AND n.created_at >= l.created_at
                      AND (EXISTS (SELECT 1 FROM listings o WHERE o.actor_id = n.{other} AND o.kind <> l.kind)
                           OR NOT EXISTS (SELECT 1 FROM listings o WHERE o.actor_id = n.{other}))
                    """,
                    ids,
                )
            )
    # A suggestion of the window still waiting for their answer: the digest is not empty for them.
    waiting = {
        int(row[0])
        for row in conn.execute(
            f"SELECT DISTINCT actor_id FROM suggestions WHERE actor_id IN ({marks}) AND status IN ('proposed', 'later') AND created_at >= ?",
            [*actor_ids, since],
        )
    }
    found: dict[int, tuple[str, str | None, str | None] | None] = {}
    newest: dict[int, tuple[bool, int]] = {}
    has_listing: set[int] = set()
    for actor_id, listing_id, kind, description, zone_label, updated_at in listings:
        has_listing.add(int(actor_id))
        if int(actor_id) in waiting or int(listing_id) in answered or str(updated_at) <= last_empty.get(int(actor_id), ""):
            continue
        rank = (kind == "need", int(listing_id))  # needs first, then the newest
        if actor_id not in newest or rank > newest[actor_id]:
            newest[actor_id] = rank
            found[int(actor_id)] = (str(kind), description, zone_label)
    for actor_id in actor_ids:
        if actor_id not in has_listing and actor_id not in waiting and last_empty.get(actor_id, "") <= last_full.get(actor_id, ""):
            found[actor_id] = None  # no listing: said again only after a digest that had something
    return found
