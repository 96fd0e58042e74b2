"""PostgreSQL round trips: a transaction's bookkeeping and a person's lock ride with its statements.

``BEGIN``, the savepoints of a group commit and the advisory lock of a step are deferred
(``PgConnection.defer``) and sent in one pipeline with the next statement; what they would have
raised (``Busy``) is still the raising job's, never its batch's.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from storage import locks
from storage.postgres import PgConnection, PostgresDatabase
from tests.workers.pgserver import pg_url  # noqa: F401 - fixture


@pytest.fixture
def round_trips(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The round trips to the server: a statement sent alone, or a pipeline (sent at once, synced once)."""
    sent: list[str] = []
    execute, pipeline = psycopg.Cursor.execute, psycopg.Connection.pipeline

    def counted_execute(self: Any, query: Any, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        if self.connection._pipeline is None:  # noqa: SLF001 - in a pipeline: counted with it
            sent.append(str(query))
        return execute(self, query, params, *args, **kwargs)

    def counted_pipeline(self: Any) -> Any:
        sent.append("pipeline")
        return pipeline(self)

    monkeypatch.setattr(psycopg.Cursor, "execute", counted_execute)
    monkeypatch.setattr(psycopg.Connection, "pipeline", counted_pipeline)
    yield sent


async def test_a_step_lock_and_its_transaction_commands_cost_no_round_trip(pg_url: str, round_trips: list[str]) -> None:
    """Lock + one statement + commit: two round trips (they were four: BEGIN, the lock, the statement, COMMIT)."""
    db = await PostgresDatabase(pg_url, writers=1, readers=1).open()
    try:
        await db.run(lambda conn: conn.execute("CREATE TABLE seen (id integer PRIMARY KEY, note text)"))

        def step(conn: Any) -> int:
            locks.try_lock_key(conn, locks.person_key("telegram", "7"))
            return int(conn.execute("INSERT INTO seen (id, note) VALUES (?, ?) RETURNING id", (1, "a")).fetchone()[0])

        round_trips.clear()
        assert await db.transaction(step) == 1
        assert len(round_trips) == 2, round_trips
        assert await db.read(lambda conn: conn.execute("SELECT note FROM seen").fetchall()) == [("a",)]
    finally:
        await db.close()


async def test_busy_is_the_job_s_own_in_a_group_commit(pg_url: str) -> None:
    """In one batch, the job whose person is locked elsewhere gets Busy (rolled back); the others commit."""
    db = await PostgresDatabase(pg_url, writers=1, readers=1).open()
    holder = PgConnection.connect(pg_url)
    key = locks.person_key("telegram", "busy")
    try:
        await db.run(lambda conn: conn.execute("CREATE TABLE seen (id integer PRIMARY KEY)"))
        holder.execute("BEGIN")
        holder.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (key,))

        def blocker(conn: Any) -> None:  # holds the only writer while the next jobs queue up
            conn.execute("SELECT 1")
            time.sleep(0.3)

        def insert(row: int, lock: bool, statement: bool = True) -> Any:
            def job(conn: Any) -> None:
                if lock:
                    locks.try_lock_key(conn, key)
                if statement:
                    conn.execute("INSERT INTO seen (id) VALUES (?)", (row,))

            return job

        first = asyncio.create_task(db.transaction(blocker))
        await asyncio.sleep(0.1)
        outcomes = await asyncio.gather(
            db.transaction(insert(1, lock=False)),
            db.transaction(insert(2, lock=True)),
            db.transaction(insert(3, lock=True, statement=False)),  # the lock alone: sent at the job's end
            db.transaction(insert(4, lock=False)),
            return_exceptions=True,
        )
        await first
        assert [type(outcome).__name__ for outcome in outcomes] == ["NoneType", "Busy", "Busy", "NoneType"]
        stored = await db.read(lambda conn: [row[0] for row in conn.execute("SELECT id FROM seen ORDER BY id")])
        assert stored == [1, 4]
    finally:
        holder.rollback()
        holder.close()
        await db.close()


async def test_deferred_statements_keep_quotes_percents_and_semicolons(pg_url: str) -> None:
    """A lock key and a statement with ``'``, ``%``, ``;`` and ``?`` in literals go through the combined message intact."""
    db = await PostgresDatabase(pg_url, writers=1, readers=1).open()
    try:
        key = locks.person_key("matrix", "@o'brien;100%:example.org")

        def job(conn: Any) -> list[Any]:
            locks.lock_key(conn, key)
            held = conn.execute("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()").fetchone()[0]
            row = conn.execute("SELECT '50%; ok?' AS text, ? AS value", ("a%b;c'd",)).fetchone()
            return [held, row["text"], row["value"]]

        assert await db.transaction(job) == [1, "50%; ok?", "a%b;c'd"]
    finally:
        await db.close()
