"""The heavy half of a suggestion round, in a separate process: read a snapshot, run matching.

A round reads every actor and open listing and runs the CPU-bound matching engine (seconds
to a minute at 300k listings). In a thread of the bot's process it would hold the GIL that
the event loop and the database thread need (the bot served 9 % of its load during a round):
here it runs in a child process (``spawn``) that opens its OWN read-only connection and reads
everything in one read transaction, i.e. one consistent WAL snapshot, while the bot goes on
writing. Only the result (who is due, their suggestions) comes back; the bot then writes the
digests in small transactions (:mod:`bot.suggestions`).

:func:`match` is the single boundary into :mod:`matching`: snapshot rows in, suggestions out.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from matching import ActorRecord, History, ListingRecord, MatchingConfig, Suggestion, suggest_round
from storage import suggestions as store
from storage.clock import iso

LOG = logging.getLogger(__name__)
ELIGIBLE = "SELECT id FROM actors WHERE consent_matching = 1 AND paused = 0 AND unreachable = 0 AND frequency != 'paused'"


@dataclass(frozen=True, slots=True)
class RoundJob:
    """What the child process needs to compute a round (picklable)."""

    db_path: str
    slot: date
    now: datetime
    fairness_cap: int
    force: bool = False
    territories: Any = None
    """A territory resolver to use; None: the packaged one (loaded in the child)."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The matching engine's inputs, read in one transaction."""

    actors: list[ActorRecord]
    listings: list[ListingRecord]
    history: History
    due: dict[int, str]
    """Actors whose digest is due, with its period."""


@dataclass(frozen=True, slots=True)
class RoundResult:
    """Who is due (with the period) and the suggestions for each of them."""

    due: dict[int, str]
    suggestions: dict[int, list[Suggestion]]


def read_snapshot(conn: sqlite3.Connection, job: RoundJob, territories: Any) -> Snapshot:
    """Read the round's inputs in one read transaction (a consistent snapshot)."""
    conn.execute("BEGIN")
    try:
        due = store.due_actors(conn, job.slot)
        if job.force:  # everyone now; the period's digest counts as made for those who had none yet
            manual = f"manual:{iso(job.now)}"
            due = {row[0]: due.get(row[0], manual) for row in conn.execute(ELIGIBLE)}
        window = store.recent_window(job.now, MatchingConfig().recent_weeks)
        return Snapshot(
            store.actor_records(conn, territories), store.listing_records(conn), store.history(conn, window), due
        )
    finally:
        conn.execute("COMMIT")


def match(snapshot: Snapshot, config: MatchingConfig, today: date) -> dict[int, list[Suggestion]]:
    """The matching engine on a snapshot: the suggestions of every due actor."""
    if not snapshot.due:
        return {}
    return suggest_round(
        snapshot.actors, snapshot.listings, snapshot.history, config, today, recipients=set(snapshot.due)
    )


def compute(job: RoundJob) -> RoundResult:
    """Read a snapshot on a read-only connection of its own and run matching (in the child)."""
    territories = job.territories
    if territories is None:
        from territories import default_resolver

        territories = default_resolver()
    conn = sqlite3.connect(Path(job.db_path).expanduser().resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None)
    try:
        conn.execute("PRAGMA query_only = 1")
        snapshot = read_snapshot(conn, job, territories)
    finally:
        conn.close()
    suggestions = match(snapshot, MatchingConfig(fairness_cap=job.fairness_cap), job.now.date())
    return RoundResult(snapshot.due, suggestions)


async def compute_round(job: RoundJob) -> RoundResult:
    """Run :func:`compute` in a child process; the bot's process only waits for the result.

    An in-memory database cannot be read from another process: then it runs in a thread.
    """
    if job.db_path == ":memory:" or job.db_path.startswith("file::memory:"):
        raise ValueError("a round on an in-memory database has no process of its own")
    loop = asyncio.get_running_loop()
    future: asyncio.Future[RoundResult] = loop.create_future()

    def settle(outcome: Any, failed: bool) -> None:
        if future.done():
            return
        if failed:
            future.set_exception(outcome)
        else:
            future.set_result(outcome)

    pool = multiprocessing.get_context("spawn").Pool(1)
    try:
        pool.apply_async(
            compute,
            (job,),
            callback=lambda result: loop.call_soon_threadsafe(settle, result, False),
            error_callback=lambda error: loop.call_soon_threadsafe(settle, error, True),
        )
        return await future
    finally:
        pool.terminate()  # done, or cancelled (the bot stops): the child goes with it
        await asyncio.to_thread(pool.join)
