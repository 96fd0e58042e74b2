"""A person's step never waits behind a round's background writes: background transactions are
committed alone, only when no other transaction waits (and at least one every so often)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storage.database import BACKGROUND_EVERY, Batches, Database


async def _blocked_writer(db: Database) -> tuple[threading.Event, asyncio.Task[None]]:
    """A transaction that holds the writer until the returned event is set."""
    release, entered = threading.Event(), threading.Event()

    def hold(conn: sqlite3.Connection) -> None:
        entered.set()
        release.wait(10)

    task = asyncio.ensure_future(db.transaction(hold))
    while not entered.is_set():
        await asyncio.sleep(0.005)
    return release, task


async def test_steps_queued_after_background_writes_are_committed_before_them_and_apart(tmp_path: Path) -> None:
    async with Database(tmp_path / "t.db") as db:
        statements: list[str] = []

        def job(name: str) -> Callable[[sqlite3.Connection], None]:
            return lambda conn: conn.execute(f"SELECT '{name}'").fetchall()

        await db.run(lambda conn: conn.set_trace_callback(statements.append))
        release, held = await _blocked_writer(db)
        background = [asyncio.ensure_future(db.transaction(job(f"round{i}"), background=True)) for i in range(3)]
        await asyncio.sleep(0)
        steps = [asyncio.ensure_future(db.transaction(job(f"step{i}"))) for i in range(2)]
        await asyncio.sleep(0.01)
        release.set()
        await asyncio.gather(held, *steps, *background)
        await db.run(lambda conn: conn.set_trace_callback(None))
    commits: list[list[str]] = []
    for statement in statements:
        if statement.startswith("BEGIN"):
            commits.append([])
        elif statement.startswith("SELECT '"):
            commits[-1].append(statement.split("'")[1])
    assert commits[1:] == [["step0", "step1"], ["round0"], ["round1"], ["round2"]]  # queued after, committed before, apart


def test_background_writes_still_progress_under_a_load_that_never_stops() -> None:
    """One step arriving per commit, always one waiting: the round's chunk still goes in time."""
    queue: asyncio.Queue[Any] = asyncio.Queue()
    batches = Batches()
    queue.put_nowait((None, None, True, True))  # a round's chunk
    picked: list[str] = []
    for i in range(3 * BACKGROUND_EVERY):
        queue.put_nowait((None, i, True, False))
        picked.extend("round" if job[3] else f"step{job[1]}" for job in batches.next(queue))
    assert picked[0] == "step0"
    assert 0 < picked.index("round") <= BACKGROUND_EVERY + 1
