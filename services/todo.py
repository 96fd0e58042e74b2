"""A coordinator's weekly to-do (new actors, needs without a partner after two rounds, silent
actors, introductions waiting on one side, answers to read), its opt-out, and relaunches of
silent actors. Runs in the caller's transaction; messages go through the outbox."""

from __future__ import annotations

import sqlite3
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from conversations.i18n import translate, translate_plural
from conversations.model import Identity
from conversations.todo import Relaunch, SetWeeklyTodo, TodoSummary, todo_text
from core.clock import iso, local
from core.types import Reply
from services.coordination import CoordinatorArea, areas_of, who
from storage import coordination as store
from storage import introductions as intro_store
from storage import outbox
from storage import todo as todo_store
from storage.coordination import Area

if TYPE_CHECKING:  # the configuration is passed in by the runtime (services do not import bot/)
    from services.settings import Settings as Config

WEEK = timedelta(days=7)
SILENT_AFTER = timedelta(days=90)
"""An actor who has not written for this long is silent."""
TWO_ROUNDS = timedelta(days=14)
"""A need still without a partner after two weekly suggestion rounds is brought to the coordinator."""
INTRODUCTION_WAIT = timedelta(days=7)
RELAUNCH_EVERY = timedelta(days=30)
"""A relaunched actor is not proposed for a relaunch again before this."""


def _areas(areas: tuple[Any, ...]) -> list[Area]:
    return [Area(area.kind, area.code, area.label) for area in areas]


def silent_actors(conn: sqlite3.Connection, areas: tuple[Any, ...], now: datetime) -> list[tuple[int, str]]:
    """(id, name) of the silent actors of these areas, not relaunched in the last 30 days."""
    found: dict[int, str] = {}
    for area in _areas(areas):
        for actor_id, name in todo_store.silent_actors(conn, area, iso(now - SILENT_AFTER), iso(now - RELAUNCH_EVERY)):
            found[actor_id] = name
    return sorted(found.items(), key=lambda item: (item[1], item[0]))


def summary(conn: sqlite3.Connection, areas: tuple[CoordinatorArea, ...], now: datetime) -> TodoSummary:
    """What the coordinator of these areas could act on this week."""
    new: dict[int, str] = {}
    needs: dict[int, tuple[str, str]] = {}
    waiting: list[tuple[str, str]] = []
    for area in _areas(areas):
        new.update(todo_store.new_actors(conn, area, iso(now - WEEK)))
        for listing_id, name, description in todo_store.lonely_needs(conn, area, iso(now - TWO_ROUNDS), now.date().isoformat()):
            needs[listing_id] = (name, description)
        waiting += [pair for pair in todo_store.waiting_introductions(conn, area, iso(now - INTRODUCTION_WAIT)) if pair not in waiting]
    return TodoSummary(
        new_actors=tuple(new.values()),
        lonely_needs=tuple(needs.values()),
        silent=tuple(name for _, name in silent_actors(conn, areas, now)),
        waiting=tuple(waiting),
        answers=todo_store.recent_answers(conn, tuple(area.id for area in areas), iso(now - WEEK)),
    )


def week_slot(now: datetime, timezone: str) -> str:
    """The local week of ``now``, as the ISO date of its Monday."""
    day = local(now, timezone).date()
    return (day - timedelta(days=day.weekday())).isoformat()


TODO_HOUR = 9
"""The weekly to-do goes out on Mondays at 9:00, local time (the ``coordinator-todo`` job)."""


def week_start(now: datetime, timezone: str) -> datetime:
    """When this week's to-do is due: Monday at :data:`TODO_HOUR`, local time."""
    day = local(now, timezone).date()
    monday = day - timedelta(days=day.weekday())
    return datetime.combine(monday, time(TODO_HOUR), tzinfo=ZoneInfo(timezone))


def send_weekly(conn: sqlite3.Connection, config: Config, now: datetime, catch_up: bool = False) -> int:
    """Queue this week's to-do of every coordinator who keeps it (once a week, even across
    restarts; nothing when there is nothing to do). Return how many were queued.

    ``catch_up`` (at start): only once this week's slot has passed, and only to coordinators
    appointed by then — the to-do was due to them while the bot was down. Someone appointed
    since (every test's fresh coordinator) waits for next Monday, as with the job running."""
    stamp, slot = iso(now), week_slot(now, config.timezone)
    due = week_start(now, config.timezone)
    if catch_up and now < due:
        return 0
    sent = 0
    for person in todo_store.recipients(conn, appointed_before=iso(due) if catch_up else None):
        if not todo_store.claim_week(conn, person.platform, person.user_id, slot, stamp):
            continue
        areas = areas_of(conn, person.platform, person.user_id)
        found = summary(conn, areas, now)
        if found.empty():
            continue
        language = person.language or config.language
        reply = Reply(todo_text(found, language), notice=True, language=language)
        outbox.enqueue(conn, person.platform, person.chat_id, reply, stamp)
        sent += 1
    return sent


def apply(
    conn: sqlite3.Connection,
    effect: SetWeeklyTodo | Relaunch,
    identity: Identity,
    language: str,
    areas: tuple[CoordinatorArea, ...],
    now: datetime,
) -> list[Reply]:
    """The to-do's opt-out, or a relaunch of silent actors (only those of the coordinator's areas)."""
    stamp = iso(now)
    if isinstance(effect, SetWeeklyTodo):
        todo_store.set_weekly_todo(conn, identity.platform, identity.user_id, effect.on)
        store.audit(conn, who(identity), "coordinator.weekly_todo", stamp, on=effect.on)
        return []
    if not areas:
        return [Reply(translate(language, "coord.coordinators_only"), language=language)]
    allowed = dict(silent_actors(conn, areas, now))
    chosen = [actor_id for actor_id in effect.actor_ids if actor_id in allowed]
    if len(chosen) != len(effect.actor_ids):  # outside the territory, or no longer silent: nothing at all
        return [Reply(translate(language, "coord.refused"), language=language)]
    origin = intro_store.signature(conn, areas[0].id, areas[0].label)
    for actor_id in chosen:
        target = intro_store.contact(conn, actor_id)
        if target is None or target.platform is None or target.chat_id is None:
            continue
        text = translate(target.language, "relaunch.message", origin=origin)
        outbox.enqueue(conn, target.platform, target.chat_id, Reply(text, notice=True, language=target.language), stamp, actor_id)
        todo_store.record_relaunch(conn, actor_id, areas[0].id, stamp)
    store.audit(conn, who(identity), "coordinator.relaunch", stamp, actors=chosen)
    return [Reply(translate_plural(language, "relaunch.done_n", len(chosen)), language=language)]
