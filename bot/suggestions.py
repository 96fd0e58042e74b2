"""Suggestion rounds: who is due, the matching engine, digests written with their messages.

The round reads the database in one call, runs the pure matching engine in a worker thread
(so conversations go on meanwhile), then writes each due actor's digest, suggestions and
messages in one transaction. A digest is keyed by its period (``weekly:2026-W48``…) with a
unique constraint: a round run twice, or a catch-up after downtime, never sends it twice.
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.introductions import send_to_actor
from bot.types import Reply
from conversations.decisions import DecisionView, decision_reply
from conversations.i18n import translate
from conversations.model import Territories
from matching import MatchingConfig, Suggestion, suggest_round
from storage import introductions as intro_store
from storage import suggestions as store
from storage.clock import iso
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


@dataclass(slots=True)
class SentSuggestion:
    """One suggestion of the round, for the report."""

    actor: str
    other: str
    text: str


@dataclass(slots=True)
class RoundReport:
    """What a round did (or would do, in a dry run)."""

    due: int = 0
    digests: int = 0
    suggestions: list[SentSuggestion] = field(default_factory=list)
    dry_run: bool = False


def _reply_header(language: str, count: int) -> Reply:
    return Reply(translate(language, "digest.header", count=count), notice=True, language=language)


async def run_round(
    db: Database,
    territories: Territories,
    config: Config,
    now: datetime,
    force: bool = False,
    dry_run: bool = False,
) -> RoundReport:
    """Compute and store (unless ``dry_run``) the digests that are due (every actor with ``force``)."""
    slot = current_slot(now, config.timezone, config.suggestion_day)
    manual = f"manual:{iso(now)}"

    def read(conn: sqlite3.Connection) -> tuple[list, list, object, dict[int, str]]:
        due = store.due_actors(conn, slot)
        if force:  # everyone now; the period's digest counts as made for those who had none yet
            eligible = conn.execute(
                "SELECT id FROM actors WHERE consent_matching = 1 AND paused = 0 AND unreachable = 0 AND frequency != 'paused'"
            ).fetchall()
            due = {row[0]: due.get(row[0], manual) for row in eligible}
        window = store.recent_window(now, MatchingConfig().recent_weeks)
        return store.actor_records(conn, territories), store.listing_records(conn), store.history(conn, window), due

    actors, listings, history, due = await db.run(read)
    report = RoundReport(due=len(due), dry_run=dry_run)
    if not due:
        return report
    matching_config = MatchingConfig(fairness_cap=config.fairness_cap)
    rounds = await asyncio.to_thread(
        suggest_round, actors, listings, history, matching_config, now.date(), recipients=set(due)
    )

    def write(conn: sqlite3.Connection) -> RoundReport:
        stamp = iso(now)
        for actor_id, period in sorted(due.items()):
            found = rounds.get(actor_id, [])
            if dry_run:
                _report(conn, report, actor_id, found, None)
                continue
            digest_id = store.record_digest(conn, actor_id, period, stamp)
            if digest_id is None:  # made meanwhile by another round
                continue
            report.digests += 1
            again = store.settle_put_aside(conn, actor_id, stamp)  # "Plus tard": proposed once more, then dropped
            if not found and not again:
                continue
            ids = [store.store_suggestion(conn, suggestion, digest_id, stamp) for suggestion in found]
            views = intro_store.suggestion_views(conn, [*ids, *again])
            send_to_actor(conn, actor_id, lambda language: _reply_header(language, len(views)), stamp)
            for view in views:
                send_to_actor(conn, actor_id, lambda language, view=view: decision_reply(view, language, notice=True), stamp)
            _report(conn, report, actor_id, found, [view for view in views if int(view.token[1:]) in ids])
        return report

    if dry_run:
        return await db.run(write)
    return await db.transaction(write)


def _report(
    conn: sqlite3.Connection,
    report: RoundReport,
    actor_id: int,
    found: list[Suggestion],
    views: list[DecisionView] | None,
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
        report.suggestions.append(SentSuggestion(me.name if me else str(actor_id), other.name if other else "?", text))
