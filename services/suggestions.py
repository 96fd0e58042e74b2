"""Suggestion rounds: who is due, the matching engine, digests written with their messages.

The round first computes the meaning vectors still queued (new or changed descriptions,
missing or corrupt vectors: ``bot.embeddings``), then reads a snapshot of the database
(records, history, vectors) and runs the pure matching engine in a child process
(:mod:`services.round_worker`, so conversations go on meanwhile), then writes the due actors'
digests, suggestions and messages by small chunks, one transaction each; a due actor with
nothing is told why, once per period. A digest is keyed by its period (``weekly:2026-W48``…) with a
unique constraint: a round run twice, or a catch-up after downtime, never sends it twice.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import sqlite3
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from conversations.decisions import DecisionView, decision_reply, their_listings, token
from conversations.i18n import translate, translate_plural
from conversations.model import Territories
from core.clock import iso
from core.types import Reply
from matching import ActorRecord, History, ListingRecord, MatchingConfig, Suggestion, Vectors, suggest_round
from services import embeddings as embedding_service
from services.embeddings import ModelUnavailable, embed_pending
from services.introductions import send_to_actor
from services.round_worker import Due, RoundJob, RoundResult, compute_round, match, read_snapshot
from services.settings import Settings
from storage import actors as actor_store
from storage import embeddings as vector_store
from storage import introductions as intro_store
from storage import listings as listing_store
from storage import outbox
from storage import suggestions as store
from storage.database import Database

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DIGEST_HOUR = 10


def current_slot(now: datetime, timezone: str, weekday: str) -> date:
    """The date of the latest scheduled digest time (``weekday`` at 10:00 local) not after ``now``."""
    local = now.astimezone(ZoneInfo(timezone))
    target = WEEKDAYS.index(weekday)
    day = local.date() - timedelta(days=(local.weekday() - target) % 7)
    if datetime.combine(day, time(DIGEST_HOUR), tzinfo=local.tzinfo) > local:
        day -= timedelta(days=7)
    return day


class SentSuggestion(NamedTuple):
    """One suggestion of the round, for the report (a tuple of strings: the garbage collector
    stops tracking it, so a report of 100k suggestions does not lengthen its pauses)."""

    actor: str
    other: str
    text: str


@dataclass(slots=True)
class RoundReport:
    """What a round did (or would do, in a dry run)."""

    due: int = 0
    digests: int = 0
    suggestions: list[SentSuggestion] = field(default_factory=list)
    nothing: list[SentSuggestion] = field(default_factory=list)
    """Actors told that there is nothing for them this period (``other`` is empty), and why."""
    reproposed: list[SentSuggestion] = field(default_factory=list)
    """Suggestions set aside with "Plus tard" and proposed once more in this round's digests."""
    dry_run: bool = False


def _reply_header(language: str, tokens: list[str]) -> Reply:
    """The digest's header; the outbox worker writes it again when sending it (language, what is still open)."""
    text = translate_plural(language, "digest.header_n", len(tokens))
    return Reply(text, notice=True, language=language, meta={"digest": tokens})


async def run_round(
    db: Database,
    territories: Territories,
    config: Settings,
    now: datetime,
    force: bool = False,
    dry_run: bool = False,
) -> RoundReport:
    """Compute and store (unless ``dry_run``) the digests that are due (every actor with ``force``).

    The snapshot and the matching run in a child process (:mod:`services.round_worker`); the
    digests are then written by chunks of :data:`WRITE_CHUNK` actors, each chunk one short
    background transaction (committed alone, when no step waits), so that conversations go on
    between them. A chunk's commit does not wait for the disk (``durable=False``): a step that
    arrives meanwhile waits for its few milliseconds of CPU, not for an fsync. What a power
    cut loses is the last chunks, digests and their messages together (one transaction): the
    round is recorded as run only by a durable commit after them, so the catch-up at the next
    start makes those digests again, once.
    """
    slot = current_slot(now, config.timezone, config.suggestion_day)
    if not dry_run:  # pauses whose end has come (« /pause jusqu'au 15 janvier »): those actors are due again
        await db.transaction(functools.partial(actor_store.end_pauses, now=iso(now)))
    # Vectors first: a missing or corrupt one is queued again, and whatever is queued (new
    # or changed descriptions the background worker has not reached yet) is computed now,
    # off the event loop and off the database thread.
    await _queue_missing_vectors(db)
    await _embed_queued(db)
    job = RoundJob(db.path, slot, now, config.fairness_cap, force, _shippable(territories))
    if db.in_memory:  # no other process can read it: the writer's connection, matching in a thread
        snapshot = await db.run(lambda conn: read_snapshot(conn, job, territories))
        found = await asyncio.to_thread(match, snapshot, MatchingConfig(fairness_cap=config.fairness_cap), now.date())
        rows = [(actor_id, period, found.get(actor_id, [])) for actor_id, period in sorted(snapshot.due.items())]
        result = RoundResult(len(rows), rows=rows)
    else:
        result = await compute_round(job)
    report = RoundReport(due=result.due, dry_run=dry_run)
    stamp = iso(now)
    try:
        # An actor proposed to someone this round is never told "nothing" (whichever chunk has the suggestion)
        proposed = frozenset(result.other_sides())
        for chunk in _chunks(iter(result), WRITE_CHUNK):
            if dry_run:
                await db.read(functools.partial(_write_chunk, chunk=chunk, stamp=stamp, report=report, dry_run=True, proposed=proposed))
            else:
                await db.transaction(
                    functools.partial(_write_chunk, chunk=chunk, stamp=stamp, report=report, dry_run=False, proposed=proposed),
                    background=True,
                    durable=False,
                )
    finally:
        result.discard()
    return report


def _chunks(rows: Iterator[Due], size: int) -> Iterator[list[Due]]:
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


async def _queue_missing_vectors(db: Database) -> None:
    """Queue missing or corrupt vectors: found on the read-only connection, queued on the writer."""
    found = await db.read(vector_store.missing)
    if found:
        await db.transaction(lambda conn: vector_store.queue(conn, found))


async def _embed_queued(db: Database) -> None:
    """Compute the queued vectors, if any. The model is loaded (when not yet) in a worker
    thread: loaded on the event loop, it stopped every conversation for seconds at the start
    of a round (``bench/live_round.py``: the slowest seconds were the round's first ones)."""
    if not await db.read(vector_store.pending_count):
        return
    try:
        model = await asyncio.to_thread(embedding_service.embedder)
    except ModelUnavailable:
        model = None  # embed_pending says so, once
    await embed_pending(db, model)


WRITE_CHUNK = 4
"""Due actors whose digests are written in one background transaction (~1.5 ms of the writer's
CPU, ~10 statements whatever the chunk's size: the longest a person's step waits behind a
round; ``bench/digest_write.py``)."""


def _shippable(territories: Territories) -> Territories | None:
    """None when ``territories`` is the packaged resolver (the child loads its own copy)."""
    from territories.resolver import default_resolver

    if default_resolver.cache_info().currsize and default_resolver() is territories:
        return None
    return territories


def _write_chunk(
    conn: sqlite3.Connection,
    chunk: list[tuple[int, str, list[Suggestion]]],
    stamp: str,
    report: RoundReport,
    dry_run: bool,
    proposed: frozenset[int] = frozenset(),
) -> None:
    """Store the digests of a few actors with their suggestions and messages.

    An actor in ``proposed`` (the other side of a suggestion of this round, to someone in any
    chunk) and with no suggestion of their own is told nothing: « Pas de suggestion… je n'ai pas
    trouvé » would contradict the question the other side gets about them (the relevance rule
    may keep a pair for one side only).

    The snapshot may be a few seconds old: an actor who left, paused or became unreachable
    meanwhile gets nothing, and a suggestion whose other side or listing is gone is dropped.
    Every read and write is one statement for the whole chunk (not one per actor or per
    suggestion): this runs on the single writer, between people's steps.
    """
    actor_ids = [actor_id for actor_id, _, _ in chunk]
    eligible = actor_store.eligible_among(conn, actor_ids)
    others = actor_store.suggestible_among(conn, [s.other_actor for _, _, found in chunk for s in found])
    listing_ids = [i for _, _, found in chunk for s in found for i in (s.my_listing_id, s.their_listing_id) if i is not None]
    known_listings = listing_store.existing(conn, listing_ids)
    kept = [
        (
            actor_id,
            period,
            [
                s
                for s in found
                if s.other_actor in others and all(i is None or i in known_listings for i in (s.my_listing_id, s.their_listing_id))
            ],
        )
        for actor_id, period, found in chunk
        if actor_id in eligible
    ]
    if dry_run:
        about = _nothing_about(conn, [actor_id for actor_id, _, found in kept if not found and actor_id not in proposed], stamp, ())
        for actor_id, _, found in kept:
            _report(conn, report, actor_id, found, None, stamp[:10])
            if not found and actor_id in about:
                _report_nothing(conn, report, actor_id, about[actor_id])
        return
    digests = store.record_digests(conn, [(actor_id, period) for actor_id, period, _ in kept], stamp)
    kept = [(actor_id, period, found) for actor_id, period, found in kept if actor_id in digests]  # else made meanwhile
    report.digests += len(kept)
    again = store.settle_put_aside_among(conn, list(digests), stamp)  # "Plus tard": proposed once more, then dropped
    targets = intro_store.recipients(conn, list(digests))
    new_ids = iter(store.store_suggestions(conn, [(s, digests[actor_id]) for actor_id, _, found in kept for s in found], stamp))
    stored = {actor_id: [next(new_ids) for _ in found] for actor_id, _, found in kept}
    views = intro_store.suggestion_views_by_id(
        conn, [i for actor_id in digests for i in (*stored[actor_id], *again.get(actor_id, ()))], stamp[:10]
    )
    # Told "nothing" only about a listing that nothing answers (no suggestion waiting, accepted
    # or recent about it: the no-repeat rule empties the next rounds) and not told so already.
    nothing = [actor_id for actor_id, _, found in kept if not found and not again.get(actor_id)]
    about = _nothing_about(conn, [actor_id for actor_id in nothing if actor_id not in proposed], stamp, digests.values())
    messages: list[tuple[str, str, int | None, Reply, tuple[int | None, ...]]] = []
    for actor_id, _, _ in kept:
        target = targets.get(actor_id)
        language = target.language if target is not None else "fr"
        chat = (target.platform, target.chat_id) if target is not None and target.platform and target.chat_id else None
        if actor_id in nothing:  # said once per period (the digest is recorded once), with the reason
            if target is not None and chat is not None and actor_id in about:
                reason = _nothing_reason(conn, actor_id, language, about[actor_id])
                reply = Reply(translate(language, "digest.nothing", reason=reason), notice=True, language=language)
                messages.append((*chat, actor_id, reply, ()))
                report.nothing.append(SentSuggestion(target.name, "", reply.text))
            continue
        shown = [views[i] for i in sorted((*stored[actor_id], *again.get(actor_id, ()))) if i in views]  # in id order
        questions = [decision_reply(view, language, notice=True) for _, view in shown]
        if chat is not None:
            messages.append((*chat, actor_id, _reply_header(language, [view.token for _, view in shown]), ()))
            # each question is erased with the actor it shows
            messages.extend((*chat, actor_id, question, (other,)) for (other, _), question in zip(shown, questions, strict=True))
        me = target.name if target is not None else str(actor_id)
        new_ones = {token("suggestion", sid) for sid in stored[actor_id]}
        report.suggestions.extend(
            SentSuggestion(me, view.other.name if view.other else "?", question.text)
            for (_, view), question in zip(shown, questions, strict=True)
            if view.token in new_ones
        )
        report.reproposed.extend(
            SentSuggestion(me, view.other.name if view.other else "?", question.text)
            for (_, view), question in zip(shown, questions, strict=True)
            if view.token not in new_ones
        )
    outbox.enqueue_many(conn, messages, stamp)


EARLY_ALERT_BAR = {"relevance_floor": 0.03, "relevance_margin": 0.0, "theme_pairs": False, "max_per_digest": 1}
"""A strong match: meaning above 99 % of unrelated pairs of the labelled set, and the need's best."""


async def run_early_alerts(db: Database, territories: Territories, config: Settings, now: datetime) -> RoundReport:
    """Tell need owners at once about a new offer that answers their need well (at most once a week each).

    Only offers created since the last check, only actors who did not turn early alerts off in
    ``/reglages``; the suggestion is stored like a digest's (same exclusions afterwards).
    """
    await _queue_missing_vectors(db)
    await _embed_queued(db)
    stamp = iso(now)

    def read(
        conn: sqlite3.Connection,
    ) -> tuple[list[int], list[ActorRecord], list[ListingRecord], History | None, Vectors | None]:
        since = store.early_alert_state(conn, now)
        offers, recipients = store.early_alert_candidates(conn, since, now)
        if not recipients:
            return recipients, [], [], None, None
        wanted, owners = set(offers), set(recipients)
        listings = [l for l in store.listing_records(conn) if l.id in wanted or (l.kind == "need" and l.actor_id in owners)]
        window = store.recent_window(now, MatchingConfig().recent_weeks)
        return recipients, store.actor_records(conn, territories), listings, store.history(conn, window), vector_store.vectors(conn)

    recipients, actors, listings, history, vectors = await db.read(read)  # off the writer: every actor is read
    report = RoundReport()
    found: dict[int, list[Suggestion]] = {}
    if recipients:
        matching_config = MatchingConfig(fairness_cap=config.fairness_cap, **EARLY_ALERT_BAR)  # type: ignore[arg-type]
        found = await asyncio.to_thread(
            functools.partial(suggest_round, recipients=set(recipients), vectors=vectors),
            actors,
            listings,
            history,
            matching_config,
            now.date(),
        )

    def write(conn: sqlite3.Connection) -> RoundReport:
        for actor_id, suggestions in sorted(found.items()):
            strong = [s for s in suggestions if s.kind == "need_offer"][:1]
            if not strong:
                continue
            ids = [store.store_suggestion(conn, s, None, stamp) for s in strong]
            views = intro_store.suggestion_views(conn, ids, stamp[:10])
            header = lambda language: Reply(translate(language, "early.header"), notice=True, language=language)  # noqa: E731
            send_to_actor(conn, actor_id, header, stamp)
            for view in views:
                send_to_actor(conn, actor_id, functools.partial(decision_reply, view, notice=True), stamp)
            actor_store.set_last_early_alert(conn, actor_id, stamp)
            report.digests += 1
            _report(conn, report, actor_id, strong, views, stamp[:10])
        store.set_early_alert_state(conn, stamp)
        return report

    return await db.transaction(write)


def _nothing_reason(conn: sqlite3.Connection, actor_id: int, language: str, row: tuple[str, str | None, str | None] | None) -> str:
    """Why an actor got no suggestion: ``row``, their listing that nothing answers yet (None: no listing)."""
    if row is None:
        place = actor_store.place_label(conn, actor_id)
        return translate(language, "digest.nothing.no_listing", place=place or "—")
    what = textwrap.shorten(row[1] or "", 70, placeholder="…")
    return translate(language, f"digest.nothing.{row[0]}", what=what, place=row[2] or "—")


def _nothing_about(
    conn: sqlite3.Connection, actor_ids: list[int], stamp: str, current: Iterable[int]
) -> dict[int, tuple[str, str | None, str | None] | None]:
    """What each actor's "nothing" notice is about (:func:`storage.suggestions.nothing_to_say_among`)."""
    since = iso(store.recent_window(datetime.fromisoformat(stamp), MatchingConfig().recent_weeks))
    return store.nothing_to_say_among(conn, actor_ids, stamp[:10], since, current)


def _report_nothing(conn: sqlite3.Connection, report: RoundReport, actor_id: int, row: tuple[str, str | None, str | None] | None) -> None:
    me = intro_store.other_actor(conn, actor_id)
    language = intro_store.contact(conn, actor_id).language if me else "fr"  # type: ignore[union-attr]
    text = translate(language, "digest.nothing", reason=_nothing_reason(conn, actor_id, language, row))
    report.nothing.append(SentSuggestion(me.name if me else str(actor_id), "", text))


def _report(
    conn: sqlite3.Connection,
    report: RoundReport,
    actor_id: int,
    found: list[Suggestion],
    views: list[DecisionView] | None,
    today: str,
) -> None:
    me = intro_store.other_actor(conn, actor_id)
    language = intro_store.contact(conn, actor_id).language if me else "fr"  # type: ignore[union-attr]
    for index, suggestion in enumerate(found):
        other = intro_store.other_actor(conn, suggestion.other_actor)
        if views is not None and index < len(views):
            text = decision_reply(views[index], language).text
        else:
            from matching import explain

            text = explain(suggestion, translate, language)
            if suggestion.their_listing_id is None:  # a theme pair: what they need and offer, as the message shows
                listed = intro_store.open_listings_of(conn, [suggestion.other_actor], today).get(suggestion.other_actor, ())
                text += "\n" + their_listings(listed, language).rstrip("\n") if listed else ""
        report.suggestions.append(SentSuggestion(me.name if me else str(actor_id), other.name if other else "?", text))
