"""The database connection: pragmas, migrations, and transactions run on the database thread.

Every write goes through :meth:`Database.transaction`: the given function runs on the
database thread (which owns the connection) inside ``BEGIN IMMEDIATE … COMMIT``. Transactions
queued while one is being committed are grouped into the next commit (group commit), each
inside its own savepoint so that one failing function rolls back only its own changes. The
caller resumes only after the commit that contains its work: durable before any reply is sent.
The thread takes its work from a thread-safe queue (no hop through the event loop between
two commits) and wakes the event loop once per commit, for every job of it.

With ``synchronous=FULL`` (the default) on a WAL file, the fsync that makes a commit durable is
not done inside ``COMMIT`` by the writer thread: the connection commits at ``NORMAL`` (the
frames are in the WAL, in the OS's cache: a killed process loses nothing) and a second thread
(the syncer) fsyncs the WAL file, then gives the batch's outcomes back. Meanwhile the writer
already runs the next batch: the fsync of one batch and the work of the next overlap. What
FULL adds to NORMAL in WAL mode is exactly that fsync of the WAL after each commit, so a
caller still resumes only once its work is on disk; and outcomes are given back in commit
order (a batch's, durable or not, never before an earlier batch's fsync), so nobody acts on a
commit that a power cut could still undo. (The read-only connection may see a commit a few
hundred microseconds before its fsync: heavy reads only, nothing is sent from them.)
Background transactions (a round's digests) run alone, and only when no other transaction
waits: a person's step never shares a commit with one, nor waits behind more than one.

Opening checks the file before anything else uses it (``PRAGMA quick_check``): a database
that cannot be opened, written or trusted raises :class:`DatabaseUnavailable` with one clear
reason, and leaves no thread behind.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import sqlite3
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage.files import make_dirs, restrict
from storage.migrations import migrate, pending

T = TypeVar("T")
LOG = logging.getLogger(__name__)
MAX_BATCH = 256
ANALYSIS_LIMIT = 1000
"""Rows sampled per index by ``PRAGMA optimize`` (keeps it to milliseconds on large tables)."""

Work = Callable[[sqlite3.Connection], Any]
_Job = tuple[Work, "asyncio.Future[Any]", bool, bool, bool]
"""A queued piece of work: its function, its future, durable, in a transaction, background."""
"""(function, its future, durable, in a transaction: False for :meth:`Database.run`)."""


def open_database(target: str | Path, **options: Any) -> Any:
    """The database named by ``target`` (not opened yet): PostgreSQL for a ``postgresql://`` URL, SQLite otherwise.

    Both have the same contract: ``open``, ``transaction(fn)``, ``read(fn)``, ``run(fn)``,
    ``erase_traces``, ``optimize``, ``close`` (see docs/storage-backends.md).
    """
    if isinstance(target, str) and target.startswith(("postgresql://", "postgres://")):
        from storage.postgres import PostgresDatabase  # psycopg is imported only for PostgreSQL

        options.pop("synchronous", None)
        return PostgresDatabase(target, **options)
    return Database(target, **options)


class DatabaseUnavailable(Exception):
    """The database cannot be opened, written or trusted (one line for the person running the bot)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class Database:
    """One SQLite database file used by the whole bot."""

    def __init__(self, path: str | Path, synchronous: str = "FULL") -> None:
        self.path = str(path)
        self.synchronous = synchronous
        self._reader: aiosqlite.Connection | None = None
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._synced: queue.SimpleQueue[_Round | None] | None = None
        """Rounds of work committed, waiting for the syncer (None: outcomes are given back at once)."""
        self._wal: str | None = None
        """The WAL file the syncer fsyncs (set once the connection is in WAL mode with FULL)."""

    async def open(self) -> Database:
        """Connect, apply pragmas and pending migrations, start the writer."""
        try:
            if self.path != ":memory:":
                target = Path(self.path).expanduser().resolve()
                make_dirs(target.parent)
                restrict(target)  # before SQLite creates it: its WAL and SHM files copy its mode
            conn = await asyncio.to_thread(sqlite3.connect, self.path, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseUnavailable(self.path, _reason(exc)) from exc
        self._thread = threading.Thread(target=self._serve, args=(conn,), name="traitdunion-db-writer", daemon=True)
        self._thread.start()
        try:
            applied = await self.run(self._prepare)
        except BaseException as exc:
            await self._stop()  # its thread would keep the process alive
            if isinstance(exc, (OSError, sqlite3.Error)):
                raise DatabaseUnavailable(self.path, _reason(exc)) from exc
            raise
        if applied:
            LOG.info("database %s migrated to version %s", self.path, applied[-1])

        if not self.in_memory:  # the read-only connection for heavy reads, on its own thread
            uri = Path(self.path).expanduser().resolve().as_uri() + "?mode=ro"
            self._reader = await aiosqlite.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            await self._reader._execute(_prepare_reader, self._reader._conn)  # noqa: SLF001
        return self

    def _prepare(self, conn: sqlite3.Connection) -> list[int]:
        problems = [str(row[0]) for row in conn.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise sqlite3.DatabaseError(f"database file is damaged ({problems[0]})")
        pending(conn)  # a schema newer than the code is refused before anything is written (SchemaTooNew)
        conn.row_factory = sqlite3.Row
        mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
        conn.execute(f"PRAGMA synchronous = {self.synchronous}")
        if mode == "wal" and self.synchronous.upper() == "FULL" and not self.in_memory:  # the migrations stay at FULL
            self._wal = str(Path(self.path).expanduser().resolve()) + "-wal"
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA secure_delete = ON")  # deleted values are overwritten, not left in free space
        return migrate(conn)

    @property
    def in_memory(self) -> bool:
        """An in-memory database: no other connection (or process) can read it."""
        return self.path == ":memory:" or self.path.startswith("file::memory:")

    async def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn(conn)`` on a read-only connection of its own thread, in one read transaction.

        For heavy reads (a round's report, exports, aggregates): they see a consistent WAL
        snapshot and never hold the writer, so conversations go on meanwhile.
        """
        if self.in_memory:
            return await self.run(fn)
        if self._reader is None:
            raise RuntimeError("database is not open")
        return await self._reader._execute(_in_read_transaction, self._reader._conn, fn)  # noqa: SLF001

    async def close(self) -> None:
        """Finish queued transactions and close the connection."""
        if self._reader is not None:
            await self._reader.close()
            self._reader = None
        if self._thread is not None:
            try:  # after the work queued so far (the queue is in order)
                await self.optimize()
            except sqlite3.OperationalError as error:  # another process holds the file: next time
                LOG.info("PRAGMA optimize skipped at close: %s", error)
            except sqlite3.Error:
                LOG.warning("PRAGMA optimize failed at close", exc_info=True)
            await self._stop()

    async def _stop(self) -> None:
        """Let the database thread finish what is queued, close the connection and end."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._jobs.put(None)
            await asyncio.to_thread(thread.join)

    async def optimize(self) -> None:
        """Refresh the planner's statistics where SQLite finds them stale (``PRAGMA optimize``).

        As SQLite recommends for long-lived connections: periodically and before closing, with
        ``analysis_limit`` bounding the work. The plans of hot statements do not depend on it
        (see ``tests/core/test_query_plans.py``).
        """

        def optimize(conn: sqlite3.Connection) -> None:
            conn.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
            try:
                conn.execute("PRAGMA optimize")
            except sqlite3.OperationalError as busy:  # another process writes (consoles sharing one file run this job
                # at the same minute): the statistics are refreshed next time, nothing is lost
                if "locked" not in str(busy) and "busy" not in str(busy):
                    raise
                LOG.info("statistics not refreshed this time: %s", busy)

        await self.run(optimize)

    async def __aenter__(self) -> Database:
        return await self.open()

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn(conn)`` on the database thread, outside any transaction (reads, pragmas)."""
        return await self._submit(fn, durable=False, transaction=False)

    async def erase_traces(self) -> None:
        """After a deletion: rebuild the file and empty the WAL, so that no copy of a deleted value survives.

        ``secure_delete`` zeroes what is deleted, but SQLite leaves stale copies of rows it *moved*
        (page splits and merges) in the unused part of pages; only a rebuild (``VACUUM``) drops
        them. Deletions are rare; the rebuild of a large database takes a while (see the README).
        """
        try:
            await self.run(lambda conn: conn.execute("VACUUM").fetchall())
            busy = await self.run(lambda conn: conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0])
        except sqlite3.Error as error:  # e.g. another process reading: the rows are gone, traces stay until next time
            LOG.warning("database not rebuilt after a deletion: %s", error)
            return
        if busy:
            LOG.warning("WAL not emptied after a deletion: another connection is reading")

    async def transaction(self, fn: Callable[[sqlite3.Connection], T], *, durable: bool = True, background: bool = False) -> T:
        """Run ``fn(conn)`` inside a transaction; return once it is committed.

        ``background=True`` is for bulk work nobody waits for (a round's digests, by small
        chunks): it is committed alone, once no other transaction is waiting.

        ``durable=False`` is for bookkeeping whose loss in a power cut is harmless (a sent
        reply forgotten, so sent again): alone in its commit it skips the fsync; the write
        still survives a crash of the process, and the next durable commit makes it durable.
        """
        return await self._submit(fn, durable=durable, transaction=True, background=background)

    def _submit(
        self, fn: Callable[[sqlite3.Connection], T], *, durable: bool, transaction: bool, background: bool = False
    ) -> asyncio.Future[T]:
        if self._thread is None:
            raise RuntimeError("database is not open")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._jobs.put((fn, future, durable, transaction, background))
        return future

    def _serve(self, conn: sqlite3.Connection) -> None:
        """The database thread: runs the queued work in order, one commit for the transactions
        queued together, and hands their outcomes to the event loop in one wake-up."""
        synchronous = self.synchronous
        batches = Batches()
        stop = False
        syncer: threading.Thread | None = None
        while not (stop and batches.empty()):
            if batches.empty():
                item = self._jobs.get()
                if item is None:
                    break
                batches.add(item)
            while batches.waiting() < MAX_BATCH:
                try:
                    more = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batches.add(more)
            jobs = batches.pick()
            settled: list[tuple[asyncio.Future[Any], bool, Any]] = []
            fsync = False  # a durable batch committed at NORMAL: the syncer fsyncs the WAL before giving it back
            start = 0
            while start < len(jobs):
                work, future, _, transaction, _ = jobs[start]
                if not transaction:  # run(): alone, outside any transaction
                    try:
                        settled.append((future, True, work(conn)))
                    except BaseException as exc:  # noqa: BLE001 - handed back to the caller
                        settled.append((future, False, exc))
                    start += 1
                    continue
                end = start
                while end < len(jobs) and jobs[end][3]:
                    end += 1
                batch = jobs[start:end]
                durable = any(job[2] for job in batch)
                if self._wal is not None:  # always NORMAL: the syncer makes it durable
                    wanted, fsync = "NORMAL", fsync or durable
                else:
                    wanted = self.synchronous if durable else "NORMAL"
                switch = None if wanted == synchronous else wanted
                try:
                    outcomes = _commit_batch(conn, [job[0] for job in batch], switch)
                    synchronous = wanted
                except BaseException as exc:  # noqa: BLE001 - the commit itself failed: every job failed
                    LOG.exception("commit failed")
                    outcomes = [(False, exc)] * len(batch)
                settled.extend((job[1], ok, value) for job, (ok, value) in zip(batch, outcomes, strict=True))
                start = end
            if self._wal is not None and syncer is None:  # the first round at NORMAL (after the migrations)
                self._synced = queue.SimpleQueue()
                syncer = threading.Thread(target=self._sync, args=(self._synced,), name="traitdunion-db-syncer", daemon=True)
                syncer.start()
            if self._synced is not None:
                self._synced.put((settled, fsync))
            else:
                self._hand_back(settled)
        if self._synced is not None and syncer is not None:
            self._synced.put(None)
            syncer.join()
        conn.close()

    def _sync(self, rounds: queue.SimpleQueue[_Round | None]) -> None:
        """The syncer thread: fsync the WAL for the rounds committed so far (one fsync for all
        that waited), then give their outcomes back, in commit order."""
        wal = self._wal
        assert wal is not None
        directory_synced = False
        while True:
            item = rounds.get()
            if item is None:
                return
            taken = [item]
            stop = False
            while True:
                try:
                    more = rounds.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                taken.append(more)
            if any(fsync for _, fsync in taken):
                try:
                    _fsync(wal)
                    if not directory_synced:  # the WAL file's own name, once (it was created at open)
                        _fsync_directory(wal)
                        directory_synced = True
                except OSError as exc:  # not durable: nobody may act on these commits
                    LOG.critical("fsync of %s failed: %s", wal, exc)
                    taken = [([(future, False, exc) for future, _, _ in settled], fsync) for settled, fsync in taken]
            for settled, _ in taken:
                self._hand_back(settled)
            if stop:
                return

    def _hand_back(self, settled: list[tuple[asyncio.Future[Any], bool, Any]]) -> None:
        """Give the outcomes of one round of work to their callers: one wake-up of their event loop."""
        loops: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], bool, Any]]] = {}
        for outcome in settled:
            loops.setdefault(outcome[0].get_loop(), []).append(outcome)
        for loop, outcomes in loops.items():
            try:
                loop.call_soon_threadsafe(_settle, outcomes)
            except RuntimeError:  # the loop is closed: nobody waits any more
                pass


BACKGROUND_EVERY = 16
"""Under a load that never leaves the queue empty, one background job still runs every so many commits."""


class Batches:
    """Which queued jobs go into the next round of work: every waiting foreground job (up to
    :data:`MAX_BATCH`), else the oldest background job, alone (and one every
    :data:`BACKGROUND_EVERY` rounds at least)."""

    def __init__(self) -> None:
        self.ready: deque[_Job] = deque()
        self.deferred: deque[_Job] = deque()
        self._since_background = 0

    def add(self, job: _Job) -> None:
        """Queue ``job`` on its side (background jobs wait apart)."""
        (self.deferred if job[4] else self.ready).append(job)

    def empty(self) -> bool:
        """Nothing waits."""
        return not self.ready and not self.deferred

    def waiting(self) -> int:
        """How many foreground jobs wait."""
        return len(self.ready)

    def pick(self) -> list[_Job]:
        """The jobs of the next round of work (a background job alone)."""
        if self.deferred and (not self.ready or self._since_background >= BACKGROUND_EVERY):
            self._since_background = 0
            return [self.deferred.popleft()]
        if self.deferred:
            self._since_background += 1
        return [self.ready.popleft() for _ in range(min(MAX_BATCH, len(self.ready)))]


_Round = tuple[list[tuple["asyncio.Future[Any]", bool, Any]], bool]
"""One round of work committed: the outcomes of its jobs, and whether the WAL must be fsynced first."""


def _fsync(wal: str) -> None:
    """Make what was committed durable: fsync the WAL file.

    Only the WAL is opened here, never the database file nor its ``-shm`` index: closing a
    descriptor releases every POSIX lock this process holds on that file, SQLite's included
    (another process could then switch the database out of WAL mode under the open connection;
    ``tests/core/test_database_locks.py``). SQLite locks nothing in the WAL file. A missing WAL
    was removed by the checkpoint of a last connection to close, which synced the database file
    first: nothing is left to sync.
    """
    try:
        fd = os.open(wal, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(path: str) -> None:
    """fsync the directory holding ``path`` (its entry survives a power cut)."""
    fd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _settle(settled: list[tuple[asyncio.Future[Any], bool, Any]]) -> None:
    for future, ok, value in settled:
        if not future.done():
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)


def _reason(exc: BaseException) -> str:
    """What went wrong, in one line (``strerror`` for OS errors, SQLite's message otherwise)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _prepare_reader(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA query_only = 1")
    conn.execute("PRAGMA busy_timeout = 5000")


def _in_read_transaction(conn: sqlite3.Connection, fn: Callable[[sqlite3.Connection], T]) -> T:
    conn.execute("BEGIN")
    try:
        return fn(conn)
    finally:
        conn.execute("COMMIT")


def _commit_batch(conn: sqlite3.Connection, jobs: list[Work], synchronous: str | None = None) -> list[tuple[bool, Any]]:
    outcomes: list[tuple[bool, Any]] = []
    if synchronous is not None:  # outside any transaction, where SQLite accepts it
        conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute("BEGIN IMMEDIATE")
    if len(jobs) == 1:  # alone in its commit: a failure rolls the transaction back, no savepoint needed
        return [_commit_alone(conn, jobs[0])]
    try:
        for index, job in enumerate(jobs):
            savepoint = f"job{index}"
            conn.execute(f"SAVEPOINT {savepoint}")
            try:
                result = job(conn)
            except Exception as exc:  # noqa: BLE001 - handed back to the caller
                conn.execute(f"ROLLBACK TO {savepoint}")
                conn.execute(f"RELEASE {savepoint}")
                outcomes.append((False, exc))
            else:
                conn.execute(f"RELEASE {savepoint}")
                outcomes.append((True, result))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


def _commit_alone(conn: sqlite3.Connection, job: Work) -> tuple[bool, Any]:
    """Run ``job`` in the transaction just begun and commit it; roll it all back if it fails."""
    try:
        try:
            result = job(conn)
        except Exception as exc:  # noqa: BLE001 - handed back to the caller
            conn.execute("ROLLBACK")
            return False, exc
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return True, result
