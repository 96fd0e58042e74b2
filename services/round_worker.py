"""The heavy half of a suggestion round, in a separate process: read a snapshot, run matching.

A round reads every actor and open listing and runs the CPU-bound matching engine (seconds
to a minute at 300k listings). In a thread of the bot's process it would hold the GIL that
the event loop and the database thread need (the bot served 9 % of its load during a round):
here it runs in a child process (``spawn``) that opens its OWN read-only connection and reads
everything in one read transaction, i.e. one consistent WAL snapshot, while the bot goes on
writing. Only the result (who is due, their suggestions) comes back; the bot then writes the
digests in small transactions (:mod:`services.suggestions`).

:func:`match` is the single boundary into :mod:`matching`: snapshot rows in, suggestions out.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

from core.clock import iso
from matching import ActorRecord, History, ListingRecord, MatchingConfig, Reason, Suggestion, Vectors, suggest_round
from matching.facets import implied_room_offers
from matching.theme_pairs import listing_pairs_behind_themes
from storage import actors as actor_store
from storage import embeddings as vector_store
from storage import suggestions as store

ROUND_NICENESS = 10
"""Added to the child's niceness: the round yields the CPU to conversations."""


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
    result_path: str = ""
    """Where the child writes the result (see :class:`RoundResult`)."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The matching engine's inputs, read in one transaction."""

    actors: list[ActorRecord]
    listings: list[ListingRecord]
    history: History
    due: dict[int, str]
    """Actors whose digest is due, with its period."""
    vectors: Vectors | None = None
    """Meaning vectors of open listings and actors (computed beforehand by the bot)."""


Due = tuple[int, str, list[Suggestion]]
"""A due actor, the period of their digest and their suggestions."""
RESULT_BATCH = 50
"""Due actors per pickle of the result file (loaded on the event loop: well under a millisecond)."""


class RoundResult:
    """Who is due and their suggestions, in actor order, read batch by batch.

    The child writes the result to a file as a stream of small pickles of plain tuples: the
    bot's process then loads a batch at a time as it writes the digests, instead of
    unpickling ~100k suggestion objects at once (seconds of GIL, measured: 2.2 s at 100k
    listings) and keeping them all alive.
    """

    def __init__(self, due: int, path: str | None = None, rows: list[Due] | None = None) -> None:
        self.due = due
        self._path = path
        self._rows = rows or []

    def __iter__(self) -> Iterator[Due]:
        if self._path is None:
            yield from self._rows
            return
        with open(self._path, "rb") as stream:
            pickle.load(stream)  # the header: how many are due, who is proposed
            while True:
                try:
                    batch = pickle.load(stream)
                except EOFError:
                    return
                for actor_id, period, packed in batch:
                    yield actor_id, period, [_unpack(item) for item in packed]

    def other_sides(self) -> set[int]:
        """Every actor proposed to someone in this round: the file's header, written by the child
        (never the whole result read once more on the event loop)."""
        if self._path is None:
            return {s.other_actor for _, _, found in self._rows for s in found}
        with open(self._path, "rb") as stream:
            _, proposed = pickle.load(stream)
        return set(proposed)

    def discard(self) -> None:
        """Delete the result file."""
        if self._path is not None:
            Path(self._path).unlink(missing_ok=True)


def _pack(suggestion: Suggestion) -> tuple[Any, ...]:
    reasons = tuple((reason.key, reason.params) for reason in suggestion.reasons)
    return (
        suggestion.for_actor,
        suggestion.other_actor,
        suggestion.score,
        reasons,
        suggestion.kind,
        suggestion.my_listing_id,
        suggestion.their_listing_id,
    )


def _unpack(packed: tuple[Any, ...]) -> Suggestion:
    for_actor, other_actor, score, reasons, kind, mine, theirs = packed
    return Suggestion(for_actor, other_actor, score, tuple(Reason(key, params) for key, params in reasons), kind, mine, theirs)


def write_result(path: str, due: dict[int, str], suggestions: dict[int, list[Suggestion]]) -> None:
    """Write the round's result as :class:`RoundResult` reads it."""
    ordered = sorted(due.items())
    proposed = sorted({item.other_actor for actor_id, _ in ordered for item in suggestions.get(actor_id, [])})
    with open(path, "wb") as stream:
        pickle.dump((len(ordered), proposed), stream, protocol=pickle.HIGHEST_PROTOCOL)
        for start in range(0, len(ordered), RESULT_BATCH):
            batch = [
                (actor_id, period, [_pack(item) for item in suggestions.get(actor_id, [])])
                for actor_id, period in ordered[start : start + RESULT_BATCH]
            ]
            pickle.dump(batch, stream, protocol=pickle.HIGHEST_PROTOCOL)


def read_snapshot(conn: sqlite3.Connection, job: RoundJob, territories: Any) -> Snapshot:
    """Read the round's inputs in one read transaction (a consistent snapshot)."""
    with store.read_transaction(conn):
        due = store.due_actors(conn, job.slot)
        if job.force:  # everyone now; the period's digest counts as made for those who had none yet
            manual = f"manual:{iso(job.now)}"
            due = {actor_id: due.get(actor_id, manual) for actor_id in actor_store.eligible(conn)}
        window = store.recent_window(job.now, MatchingConfig().recent_weeks)
        return Snapshot(
            store.actor_records(conn, territories),
            store.listing_records(conn),
            store.history(conn, window),
            due,
            vector_store.vectors(conn),
        )


def match(
    snapshot: Snapshot, config: MatchingConfig, today: date, *, handed: list[Vectors | None] | None = None
) -> dict[int, list[Suggestion]]:
    """The matching engine on a snapshot: the suggestions of every due actor.

    ``handed``: the snapshot's vectors in a one-item list, taken out of the snapshot by the
    caller (see :func:`hand_over`); emptied here and handed to the engine, which then holds the
    only reference and frees each bucket's rows once it is scored (as ``bench/matching.py``
    does), instead of every listing's vector staying in memory for the whole round.
    """
    vectors = handed.pop() if handed else snapshot.vectors
    if not snapshot.due:
        return {}
    implied = implied_room_offers(snapshot.listings)  # "on fournit la salle" inside a need: a room offer too
    box = [_implied_vectors(vectors, implied)]
    del vectors  # only the box refers to them now (when handed): the engine may move and free them
    found = suggest_round(
        snapshot.actors,
        [*snapshot.listings, *implied] if implied else snapshot.listings,
        _with_implied(snapshot.history, implied),
        config,
        today,
        recipients=set(snapshot.due),
        vectors=box.pop(),
    )
    if implied:
        found = {actor_id: [_from_implied(s) for s in suggestions] for actor_id, suggestions in found.items()}
    # A theme pair behind which a need and an offer about the same thing meet says so.
    return listing_pairs_behind_themes(found, snapshot.actors, snapshot.listings, snapshot.history, today, config.description_chars)


def hand_over(snapshot: Snapshot) -> tuple[Snapshot, list[Vectors | None]]:
    """(the snapshot without its vectors, its vectors in a one-item list for :func:`match`'s ``handed``)."""
    return replace(snapshot, vectors=None), [snapshot.vectors]


def _with_implied(history: History, implied: list[ListingRecord]) -> History:
    """``history`` with each declined pair of a listing also declined for its implied offer."""
    if not implied or not history.declined_listings:
        return history
    sources = {-listing.id for listing in implied}
    extra = [(-a if a in sources else a, -b if b in sources else b) for a, b in history.declined_listings if a in sources or b in sources]
    return replace(history, declined_listings=(*history.declined_listings, *extra))


def _implied_vectors(vectors: Vectors | None, implied: list[ListingRecord]) -> Vectors | None:
    """``vectors`` with each implied offer given its listing's row (same text)."""
    if vectors is None or not implied:
        return vectors
    ids = vectors.listing_ids
    at = np.searchsorted(ids, [-listing.id for listing in implied])
    has = [k for k, position in enumerate(at) if position < len(ids) and ids[position] == -implied[k].id]
    if not has:
        return vectors
    new_ids = np.array([implied[k].id for k in has], dtype=np.int64)  # negative: before every stored id
    rows = at[has]
    order = np.argsort(new_ids, kind="stable")
    return replace(
        vectors,
        listing_ids=np.concatenate([new_ids[order], ids]),
        listing_rows=np.concatenate([vectors.listing_rows[rows][order], vectors.listing_rows]),
        listing_hub=np.concatenate([vectors.listing_hub[rows][order], vectors.listing_hub]),
    )


def _from_implied(s: Suggestion) -> Suggestion:
    """A suggestion about an implied offer, about the listing that says it."""
    mine, theirs = s.my_listing_id, s.their_listing_id
    if (mine is None or mine >= 0) and (theirs is None or theirs >= 0):
        return s
    return replace(
        s,
        my_listing_id=-mine if mine is not None and mine < 0 else mine,
        their_listing_id=-theirs if theirs is not None and theirs < 0 else theirs,
    )


def compute(job: RoundJob) -> int:
    """Read a snapshot on a read-only connection of its own, run matching, write the result
    to ``job.result_path`` (in the child); return how many actors are due."""
    territories = job.territories
    if territories is None:
        from territories import default_resolver

        territories = default_resolver()
    conn = store.read_only_connection(job.db_path)
    try:
        snapshot = read_snapshot(conn, job, territories)
    finally:
        conn.close()
    snapshot, handed = hand_over(snapshot)
    suggestions = match(snapshot, MatchingConfig(fairness_cap=job.fairness_cap), job.now.date(), handed=handed)
    write_result(job.result_path, snapshot.due, suggestions)
    return len(snapshot.due)


def _child(job: RoundJob, errors: Connection) -> None:
    """The child's entry point: background priority, then :func:`compute`; a failure goes back
    through ``errors`` (the result file says how many are due)."""
    try:
        os.nice(ROUND_NICENESS)  # the round is background work: the bot's own process comes first
    except OSError:  # not allowed here: same priority
        pass
    try:
        compute(job)
    except BaseException as error:
        try:
            errors.send(error)
        except Exception:  # noqa: BLE001 - an exception that does not pickle: its text
            errors.send(RuntimeError(f"{type(error).__name__}: {error}"))
        raise SystemExit(1) from None


START_METHOD = "spawn"
"""How a round's process starts. ``spawn``: a fresh interpreter that imports the engine and loads
the territories (1–2 s of CPU, at background priority) and keeps nothing once the round is
done: right for rounds a week apart. ``forkserver``: forked in ~10 ms from a server that loaded
:mod:`services.round_server` once, and that stays (~70 MB) for the next round: what the test
suite uses (``tests/conftest.py``), where hundreds of rounds run in one process."""


def _context() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context(START_METHOD)
    if START_METHOD == "forkserver":
        context.set_forkserver_preload(["__main__", "services.round_server"])
    return context


def _sent_failure(errors: Connection) -> BaseException | None:
    """What the child sent back before it ended: its exception, or None (the pipe only closed)."""
    try:
        return errors.recv() if errors.poll() else None
    except EOFError:
        return None


async def compute_round(job: RoundJob) -> RoundResult:
    """Run :func:`compute` in a child process; the bot's process only waits for the result.

    The caller reads the result, then calls :meth:`RoundResult.discard`.
    """
    if job.db_path == ":memory:" or job.db_path.startswith("file::memory:"):
        raise ValueError("a round on an in-memory database has no process of its own")
    if not job.db_path.startswith(("postgresql://", "postgres://")):  # the server's working directory is not ours
        job = replace(job, db_path=str(Path(job.db_path).expanduser().resolve()))
    handle, result_path = tempfile.mkstemp(prefix="traitdunion-round-", suffix=".pickle")
    os.close(handle)
    job = replace(job, result_path=result_path)
    context = _context()
    errors, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(job, sender), name="traitdunion-round", daemon=True)  # type: ignore[attr-defined]
    joined: asyncio.Future[None] | None = None
    try:
        child.start()
        sender.close()
        joined = asyncio.ensure_future(asyncio.to_thread(child.join))
        await asyncio.shield(joined)  # cancelled: the same join ends below, never a second one beside it
        failure = _sent_failure(errors)
        if failure is not None:
            raise failure
        if child.exitcode != 0:
            raise RuntimeError(f"the suggestion round's process ended with code {child.exitcode}")
        with open(result_path, "rb") as stream:
            due, _ = pickle.load(stream)
    except BaseException:
        if child.is_alive():  # cancelled (the bot stops): the child goes with it
            child.kill()
            # one join only: two threads waiting on one child race on its exit status (the loser sees it alive)
            await (joined if joined is not None else asyncio.to_thread(child.join))
        Path(result_path).unlink(missing_ok=True)
        raise
    finally:
        errors.close()
        sender.close()
    return RoundResult(int(due), result_path)
