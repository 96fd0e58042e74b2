"""PostgreSQL round trips: a transaction's bookkeeping and a person's lock ride with its statements.

``BEGIN``, the savepoints of a group commit and the advisory lock of a step are deferred
(``PgConnection.defer``) and sent in one pipeline with the next statement; what they would have
raised (``Busy``) is still the raising job's, never its batch's.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import psycopg
import pytest

from bot.app import App
from bot.config import Config
from storage import locks
from storage.dialect import write_unread, write_unread_many
from storage.postgres import PgConnection, PostgresDatabase
from tests.core.people import Person, RecordingAdapter
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


async def test_a_write_nobody_reads_rides_with_the_next_statement(pg_url: str, round_trips: list[str]) -> None:
    """``dialect.write_unread``: no round trip of its own; the statement after it (or the commit) sees it."""
    db = await PostgresDatabase(pg_url, writers=1, readers=1).open()
    try:
        await db.run(lambda conn: conn.execute("CREATE TABLE seen (id integer PRIMARY KEY, note text)"))

        def step(conn: Any) -> int:
            write_unread(conn, "INSERT INTO seen (id, note) VALUES (?, ?)", (1, "a"))
            write_unread_many(conn, "INSERT INTO seen (id, note) VALUES (?, ?)", [(2, "b"), (3, "c")])
            return int(conn.execute("SELECT COUNT(*) FROM seen").fetchone()[0])

        round_trips.clear()
        assert await db.transaction(step) == 3
        assert len(round_trips) == 2, round_trips  # BEGIN, the writes and the count; COMMIT

        round_trips.clear()
        await db.transaction(lambda conn: write_unread(conn, "UPDATE seen SET note = ? WHERE id = ?", ("z", 1)))
        assert len(round_trips) == 1, round_trips  # sent with the COMMIT
        notes = await db.read(lambda conn: [row[0] for row in conn.execute("SELECT note FROM seen ORDER BY id")])
        assert notes == ["z", "b", "c"]
        # outside a transaction (autocommit), it runs at once
        await db.run(lambda conn: write_unread(conn, "DELETE FROM seen WHERE id = ?", (3,)))
        assert await db.read(lambda conn: conn.execute("SELECT COUNT(*) FROM seen").fetchone()[0]) == 2
    finally:
        await db.close()


async def test_a_deferred_write_that_fails_fails_its_own_job_in_a_group_commit(pg_url: str) -> None:
    """Its error comes from its job (at the job's end at the latest); a job that fails after deferring
    a write leaves nothing; the other jobs of the batch commit."""
    db = await PostgresDatabase(pg_url, writers=1, readers=1).open()
    try:
        await db.run(lambda conn: conn.execute("CREATE TABLE seen (id integer PRIMARY KEY)"))

        def blocker(conn: Any) -> None:  # holds the only writer while the next jobs queue up
            conn.execute("SELECT 1")
            time.sleep(0.3)

        def insert(row: int, fail: bool = False) -> Any:
            def job(conn: Any) -> None:
                write_unread(conn, "INSERT INTO seen (id) VALUES (?)", (row,))
                if fail:
                    raise LookupError("the job fails after deferring its write")

            return job

        first = asyncio.create_task(db.transaction(blocker))
        await asyncio.sleep(0.1)
        outcomes = await asyncio.gather(
            db.transaction(insert(1)),
            db.transaction(insert(1)),  # the same key: its error is its own
            db.transaction(insert(2, fail=True)),
            db.transaction(insert(3)),
            return_exceptions=True,
        )
        await first
        assert [type(outcome).__name__ for outcome in outcomes] == ["NoneType", "UniqueViolation", "LookupError", "NoneType"]
        stored = await db.read(lambda conn: [row[0] for row in conn.execute("SELECT id FROM seen ORDER BY id")])
        assert stored == [1, 3]
    finally:
        await db.close()


async def test_prefetched_reads_cost_no_round_trip_and_a_write_drops_them(pg_url: str, round_trips: list[str]) -> None:
    db = await PostgresDatabase(pg_url, writers=1, readers=1).open()
    try:
        await db.run(lambda conn: conn.execute("CREATE TABLE seen (id integer PRIMARY KEY, note text)"))
        await db.run(lambda conn: conn.execute("INSERT INTO seen (id, note) VALUES (1, 'a'), (2, 'b')"))
        note = "SELECT note FROM seen WHERE id = ?"

        def step(conn: Any) -> list[Any]:
            conn.prefetch(note, (1,))
            conn.prefetch(note, (2,))
            conn.execute("SELECT 1")  # the prefetched reads go with it
            sent = len(round_trips)
            first = conn.execute(note, (1,)).fetchone()["note"]
            second = conn.execute(note, (2,)).fetchall()
            again = conn.execute(note, (1,)).fetchone()[0]  # read once: asked again, read again
            after_reads = len(round_trips)
            conn.prefetch(note, (2,))
            conn.execute("SELECT 2")
            conn.execute("UPDATE seen SET note = 'changed' WHERE id = 2")
            changed = conn.execute(note, (2,)).fetchone()[0]  # not the prefetched 'b': read after the write
            return [sent, first, second, again, after_reads - sent, changed]

        round_trips.clear()
        sent, first, second, again, extra, changed = await db.transaction(step)
        assert sent == 1  # BEGIN, both reads, SELECT 1: one pipeline
        assert (first, second, again) == ("a", [("b",)], "a")
        assert extra == 1  # only the read asked twice
        assert changed == "changed"
    finally:
        await db.close()


async def test_deferred_statements_are_prepared_on_the_server(pg_url: str) -> None:
    """A person's lock, sent with the step's first statement, is a prepared statement once run often
    (extended protocol in a pipeline, not text bound on the client: parsed and planned once)."""
    db = await PostgresDatabase(pg_url, writers=1, readers=1).open()
    try:
        await db.run(lambda conn: conn.execute("CREATE TABLE seen (id integer PRIMARY KEY)"))

        def step(row: int) -> Any:
            def job(conn: Any) -> int:
                locks.try_lock_key(conn, locks.person_key("telegram", str(row)))
                conn.execute("INSERT INTO seen (id) VALUES (?)", (row,))
                prepared = (
                    "SELECT COUNT(*) FROM pg_prepared_statements"
                    " WHERE strpos(statement, 'hashtextextended') > 0 AND strpos(statement, 'pg_prepared_statements') = 0"
                )
                return int(conn.execute(prepared).fetchone()[0])

            return job

        counts = [await db.transaction(step(row)) for row in range(8)]
        assert counts[-1] == 1, counts
    finally:
        await db.close()


@pytest.fixture
async def pg_app(pg_url: str, territories: Any) -> AsyncIterator[tuple[App, RecordingAdapter]]:
    adapter = RecordingAdapter()
    application = await App.open(Config(db=pg_url), adapters=[adapter], territories=territories)
    application.run_jobs = False
    await application.start()
    yield application, adapter
    await application.stop()


async def test_an_onboarding_step_costs_three_round_trips(pg_app: tuple[App, RecordingAdapter], monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer's round trips for one step: its first pipeline (BEGIN, the person's lock, the
    identity, session and coordinator reads, the event id), its writes (session, reply), COMMIT."""
    app, adapter = pg_app
    monkeypatch.setattr("bot.runtime.SETTLE_DELAY", 60.0)  # sent replies' rows: deleted by the next step
    sent: list[str] = []
    execute, pipeline = psycopg.Cursor.execute, psycopg.Connection.pipeline

    def counted_execute(self: Any, query: Any, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        if self.connection._pipeline is None and threading.current_thread().name.startswith("traitdunion-pg-w"):  # noqa: SLF001
            sent.append(str(query))
        return execute(self, query, params, *args, **kwargs)

    def counted_pipeline(self: Any) -> Any:
        if threading.current_thread().name.startswith("traitdunion-pg-w"):
            sent.append("pipeline")
        return pipeline(self)

    monkeypatch.setattr(psycopg.Cursor, "execute", counted_execute)
    monkeypatch.setattr(psycopg.Connection, "pipeline", counted_pipeline)
    alice = Person(app.runtime, adapter, "alice")
    await alice.say("/start")
    replies = len(adapter.sent)
    sent.clear()
    await alice.say("1")  # the previous reply's row is deleted in this step, without a round trip
    assert len(sent) == 3, sent
    assert len(adapter.sent) > replies  # the step ran and replied


async def test_a_write_in_a_read_only_transaction_is_refused_not_dropped(pg_url: str) -> None:
    """``read(fn)``: a deferred write is sent before the read's rollback, so the server refuses it."""
    db = await PostgresDatabase(pg_url, writers=1, readers=1).open()
    try:
        await db.run(lambda conn: conn.execute("CREATE TABLE seen (id integer PRIMARY KEY)"))
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            await db.read(lambda conn: write_unread(conn, "INSERT INTO seen (id) VALUES (?)", (1,)))
    finally:
        await db.close()


def test_a_pipeline_is_sent_in_one_write(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The deferred statements, the prefetched reads and the statement go to the server together:
    psycopg's pipeline sent each as it was queued (a poll, a send and a wake-up of the server
    each); here they wait in libpq's buffer and the pipeline's Sync sends them (one exchange)."""
    from psycopg import _pipeline_base

    exchanges: list[int] = []
    communicate = _pipeline_base.pipeline_communicate

    def counted(pgconn: Any, commands: Any) -> Any:
        exchanges.append(len(commands))
        return communicate(pgconn, commands)

    flush_requests: list[int] = []
    send = _pipeline_base.send

    def flush_request(pgconn: Any) -> Any:  # psycopg sends a Flush after the Sync at a pipeline's end
        flush_requests.append(1)
        return send(pgconn)

    monkeypatch.setattr(_pipeline_base, "pipeline_communicate", counted)
    monkeypatch.setattr(_pipeline_base, "send", flush_request)
    conn = PgConnection.connect(pg_url)
    try:
        conn.execute("CREATE TEMPORARY TABLE seen (id integer PRIMARY KEY, note text)")
        conn.defer("BEGIN; SAVEPOINT job")
        conn.defer("INSERT INTO seen (id, note) VALUES (?, ?)", (1, "a"))
        conn.defer("INSERT INTO seen (id, note) VALUES (?, ?)", (2, "b"))
        conn.prefetch("SELECT count(*) FROM seen")
        exchanges.clear()
        assert conn.execute("SELECT note FROM seen ORDER BY id").fetchall() == [("a",), ("b",)]
        assert len(exchanges) == 1, exchanges
        assert conn.execute("SELECT count(*) FROM seen").fetchone()[0] == 2  # the prefetched read, in the same exchange
        assert len(exchanges) == 1, exchanges
        conn.commit("RELEASE SAVEPOINT job")
        assert len(exchanges) == 2, exchanges  # the release and the commit: one more exchange
        assert not flush_requests  # the Sync flushes: no Flush message after it (one more write)
        assert not conn.in_transaction
        assert conn.execute("SELECT count(*) FROM seen").fetchone()[0] == 2
    finally:
        conn.close()


def test_an_error_in_a_pipeline_sent_at_once_is_still_raised(pg_url: str) -> None:
    """A deferred write that fails raises from the statement sent with it; the connection stays usable."""
    conn = PgConnection.connect(pg_url)
    try:
        conn.execute("CREATE TEMPORARY TABLE seen (id integer PRIMARY KEY)")
        conn.defer("BEGIN")
        conn.defer("INSERT INTO seen (id) VALUES (?)", (1,))
        conn.defer("INSERT INTO seen (id) VALUES (?)", (1,))
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute("SELECT 1")
        conn.rollback()
        assert conn.execute("SELECT count(*) FROM seen").fetchone()[0] == 0
    finally:
        conn.close()
