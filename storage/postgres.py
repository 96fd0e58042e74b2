"""PostgreSQL behind the same ``Database`` contract as SQLite (psycopg 3, a few threads).

The repository functions of ``storage/`` are synchronous and take a connection with the
small surface of :class:`sqlite3.Connection` they use: ``execute(sql, params)`` returning a
cursor with ``fetchone``/``fetchall``/``rowcount``/iteration, ``executemany``, rows readable
by position and by name. :class:`PgConnection` gives that surface over a psycopg connection:
``?`` placeholders become ``%s`` (and a literal ``%`` becomes ``%%``), flags (``boolean``) are
read as 0/1 and moments (``timestamptz``) as ISO text, as SQLite gives them, ``numeric`` results (``SUM`` of integers) come back as
``int``, and rows are :class:`Row` (a tuple that also answers to column names).

:class:`PostgresDatabase` runs the work on threads that each own one connection:

* ``transaction(fn)``: a writer thread takes the job, and any others already queued (up to
  :data:`MAX_BATCH`), runs each in its own savepoint of one transaction and commits once
  (group commit, as on SQLite): a failing ``fn`` rolls back only its own savepoint. Several
  writer threads run batches side by side at ``READ COMMITTED``. A job that hits a deadlock
  or a serialisation failure is rolled back to its savepoint and run again (up to
  :data:`RETRIES` times), so ``fn`` must not keep side effects outside the database.
* ``read(fn)``: a reader thread, in a ``REPEATABLE READ READ ONLY`` transaction (one snapshot).
* ``run(fn)``: a reader thread, autocommit (each statement is its own transaction).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC
from decimal import Decimal
from functools import lru_cache
from typing import Any, ClassVar, TypeVar

import psycopg
from psycopg import errors as pg_errors
from psycopg.adapt import Loader
from psycopg.generators import send as psycopg_send
from psycopg.types.datetime import TimestamptzLoader

from storage.dialect import POSTGRESQL

T = TypeVar("T")
LOG = logging.getLogger(__name__)
MAX_BATCH = 64
RETRIES = 3
WRITERS = 4
READERS = 2
SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(target: object) -> bool:
    """Whether ``target`` (a ``TRAITDUNION_DB`` value) names a PostgreSQL database."""
    return isinstance(target, str) and target.startswith(SCHEMES)


# ------------------------------------------------------------------ the connection adapter


@lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """``sql`` with ``?`` placeholders as ``%s`` and literal ``%`` doubled (psycopg's syntax)."""
    out: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(sql):
        char = sql[i]
        if quote is not None:
            if char == "%":
                out.append("%%")
            else:
                out.append(char)
                if char == quote:
                    quote = None
        elif char in "'\"":
            quote = char
            out.append(char)
        elif char == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = len(sql) if end < 0 else end
            i = end
            continue
        elif char == "?":
            out.append("%s")
        elif char == "%":
            out.append("%%")
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _param(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _params(params: Sequence[Any] | None) -> tuple[Any, ...]:
    return () if params is None else tuple(_param(value) for value in params)


class Row(tuple):
    """A result row: a tuple, also indexable by column name (like :class:`sqlite3.Row`)."""

    __slots__ = ()
    _names: ClassVar[tuple[str, ...]] = ()  # set on each result's subclass (one per column list)
    _index: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key.lower()])
            except KeyError:
                raise IndexError(f"No item with that key: {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        """The column names, in order."""
        return list(self._names)


@lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        index.setdefault(name.lower(), position)
    return type("Row", (Row,), {"__slots__": (), "_names": names, "_index": index})


@lru_cache(maxsize=512)
def _row_class_of(raw_names: tuple[bytes | None, ...]) -> type[Row]:
    """The row class of a result's column names as the server sends them (bytes: decoded once)."""
    return _row_class(tuple((name or b"").decode() for name in raw_names))


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], Row]:
    result = cursor.pgresult
    if result is None or not result.nfields:
        return Row
    fname = result.fname
    return _row_class_of(tuple(map(fname, range(result.nfields))))


class _NumericLoader(Loader):
    """``numeric`` as ``int`` when whole (``SUM`` of integers), ``float`` otherwise (as SQLite)."""

    def load(self, data: Any) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


# ------------------------------------------------------------------ column types (migration 25)
# Flags are BOOLEAN, moments TIMESTAMPTZ, calendar days DATE and most JSON documents JSONB on
# PostgreSQL (storage/ddl.py).
# The loaders below give back what SQLite gives for the same column, so that repositories,
# services and conversations read one representation on both engines: a flag as 0/1, a moment
# as core.clock.iso's text ("2026-11-30T11:41:12+00:00", in UTC), a day as "2027-03-01", a JSON
# document as its text (jsonb's normal form: '{"a": 1}').
# Parameters: a Python bool is bound as a boolean (psycopg's own dumper), an ISO text as an
# untyped literal that the server reads as the column's type (psycopg binds str as "unknown").


class _FlagLoader(Loader):
    """``boolean`` as 1/0 (SQLite's flags)."""

    def load(self, data: Any) -> int:
        return 1 if bytes(data) == b"t" else 0


class _MomentLoader(TimestamptzLoader):
    """``timestamptz`` as the ISO-8601 UTC text the application writes (``core.clock.iso``)."""

    def load(self, data: Any) -> str:  # type: ignore[override]
        text = bytes(data).decode()
        # the server's text in UTC: "2026-11-30 11:41:12+00" or "2026-11-30 11:41:12.5+00"
        if len(text) >= 22 and text[10] == " " and text.endswith("+00") and text[4] == "-":
            clock = text[11:-3]
            if "." in clock:
                seconds, fraction = clock.split(".", 1)
                clock = f"{seconds}.{fraction.ljust(6, '0')}"
            return f"{text[:10]}T{clock}+00:00"
        try:
            moment = super().load(data)
        except psycopg.DataError:  # infinity, years outside Python's range
            return text
        return moment.astimezone(UTC).isoformat()


class _DayLoader(Loader):
    """``date`` as its ISO text (``2027-03-01``), as SQLite stores it."""

    def load(self, data: Any) -> str:
        return bytes(data).decode()


class _JsonTextLoader(Loader):
    """``jsonb`` as its JSON text, as SQLite stores it (callers ``json.loads`` it), not psycopg's ``dict``/``list``."""

    def load(self, data: Any) -> str:
        return bytes(data).decode()


def register_types(adapters: Any) -> None:
    """Load flags, moments, days and JSON as SQLite gives them (``adapters``: a connection's or a cursor's)."""
    adapters.register_loader("jsonb", _JsonTextLoader)
    adapters.register_loader("bool", _FlagLoader)
    adapters.register_loader("timestamptz", _MomentLoader)
    adapters.register_loader("date", _DayLoader)


# ------------------------------------------------------------------ one send per pipeline


class _OneSendPipeline(psycopg.Pipeline):
    """A pipeline that sends its statements in one write, when it ends (with its Sync).

    psycopg's pipeline waits for the socket and flushes after each statement (a ``poll`` and a
    ``send`` each, and a wake-up of the server's backend each): here each statement only goes
    into libpq's output buffer (the connection is non-blocking: libpq never waits to write
    there), and the Sync at the end sends them all. Nothing is read before the end: the
    results are read after the pipeline (:meth:`PgConnection._send_deferred`).
    """

    holding = True

    def _communicate_gen(self) -> Any:
        commands = self.command_queue
        while commands:  # into libpq's buffer, in order
            commands.popleft()()
        if self.holding:
            return
        yield from super()._communicate_gen()

    def _exit_gen(self) -> Any:
        """The Sync and what is queued, in one write; then the results. psycopg's own end also
        asks for a Flush (one more write and wake-up of the server), which a Sync already does."""
        try:
            self._enqueue_sync()
            yield from self._communicate_gen()
        finally:
            yield from psycopg_send(self.pgconn)  # what the write left, if the socket took only part
            yield from self._fetch_gen(flush=False)


# ------------------------------------------------------------------ results


class PgCursor:
    """The result of one statement (fetched at once), with the part of :class:`sqlite3.Cursor` repositories use."""

    __slots__ = ("_names", "_position", "_rows", "rowcount")

    def __init__(self, rows: list[Row], rowcount: int, names: tuple[str, ...] | None) -> None:
        self._rows = rows
        self._position = 0
        self.rowcount = rowcount
        """Rows changed by an INSERT/UPDATE/DELETE (or returned by a SELECT)."""
        self._names = names

    @property
    def description(self) -> list[tuple[str, None, None, None, None, None, None]] | None:
        """One 7-tuple per column, the name first (DB-API), or None for a statement without result."""
        return None if self._names is None else [(name, None, None, None, None, None, None) for name in self._names]

    @property
    def lastrowid(self) -> int:
        raise AttributeError("lastrowid does not exist on PostgreSQL: use INSERT … RETURNING id")

    def fetchone(self) -> Row | None:
        if self._position >= len(self._rows):
            return None
        self._position += 1
        return self._rows[self._position - 1]

    def fetchall(self) -> list[Row]:
        rows = self._rows[self._position :]
        self._position = len(self._rows)
        return rows

    def fetchmany(self, size: int = 1) -> list[Row]:
        rows = self._rows[self._position : self._position + size]
        self._position += len(rows)
        return rows

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


_NO_RESULT = PgCursor([], -1, None)


class PgConnection:
    """A psycopg connection with the :class:`sqlite3.Connection` surface the repositories use."""

    dialect = POSTGRESQL

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw
        self.total_changes = 0
        raw.adapters.register_loader("numeric", _NumericLoader)
        register_types(raw.adapters)
        self._cursor = raw.cursor()  # one cursor, reused: each result is fetched before the next statement
        self._checks: list[psycopg.Cursor[Any]] = []  # one per guarded statement of a pipeline, reused
        self._deferred: list[tuple[str, tuple[Any, ...] | None, Exception | None]] = []  # (statement, parameters, guard)
        self._statements = False  # whether _deferred holds a statement (not only transaction commands)
        self._guarded = False  # whether _deferred holds a guarded statement (a lock)
        self._reads: list[tuple[str, tuple[Any, ...]]] = []  # deferred reads (prefetch), in the pipeline after _deferred
        self._prefetched: dict[tuple[str, tuple[Any, ...]], PgCursor] = {}  # their results, until read or a write

    @classmethod
    def connect(cls, url: str, application_name: str = "traitdunion") -> PgConnection:
        """Open an autocommit connection (transactions are begun explicitly, as on SQLite)."""
        raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory, application_name=application_name)
        return cls(raw)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        """Run one statement (``?`` placeholders); its rows are fetched at once.

        Deferred commands (:meth:`defer`) go first, in the same round trip.
        """
        text, args = translate(sql), _params(params)
        if self._prefetched:
            hit = self._prefetched.pop((text, args), None)
            if hit is not None:
                return hit
            if text.lstrip()[:6].upper() != "SELECT":  # a write may change what they read: read again
                self._prefetched.clear()
        if self._deferred or self._reads:
            return self._execute_deferred(text, args)
        cursor = self._cursor
        cursor.execute(text, args)
        return self._result(cursor)

    def prefetch(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Send the read ``sql`` with the next statement (in its pipeline, after what is deferred) and
        keep its rows: the next :meth:`execute` of the same text and parameters gets them without a
        round trip. Kept until read, until a statement other than a ``SELECT`` runs (it might
        change what they read), or until the job ends."""
        self._reads.append((translate(sql), _params(params)))

    def defer(self, sql: str, params: Sequence[Any] | None = None, *, guard: Exception | None = None) -> None:
        """Send ``sql`` with the next statement, in its round trip, instead of in one of its own.

        ``sql``: transaction commands (``BEGIN``, ``SAVEPOINT``…, ``;``-separated, no result read),
        or one statement (``?`` parameters) whose result is not read: a write, or a lock. ``guard``:
        that statement returns one boolean, and when it is false ``guard`` is raised from the call
        that sent it (after the statements sent with it ran: the transaction is to be rolled back).
        They go in one pipeline with the next statement (extended protocol: prepared like any
        statement run often): a transaction's ``BEGIN``, a job's savepoint, a person's advisory
        lock or a write whose result nobody reads costs no round trip of its own.
        """
        if params is None and guard is None:
            self._deferred.extend((command.strip(), None, None) for command in sql.split(";") if command.strip())
        else:
            self._deferred.append((translate(sql), _params(params), guard))
            self._statements = True
            self._guarded = self._guarded or guard is not None
            self._prefetched.clear()  # it runs before any later read: what was read before it may change

    def write(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """A write whose result nobody reads: inside a transaction it rides with the next statement
        (or the commit; a rollback drops it with the rest), outside one it runs at once.

        Its error, if any, is raised by the call that sends it: the same job's (its end sends it).
        """
        if self._deferred or self.in_transaction:
            self.defer(sql, () if params is None else params)
        else:
            self.execute(sql, params)

    def settle(self, *, guards_only: bool = False) -> None:
        """Send the deferred statements (a lock, a write, not mere transaction commands) now: the end
        of a job, so that what they raise is the job's, not its batch's commit's.

        ``guards_only``: only when one of them is guarded (a lock, whose Busy must come before any
        commit); the others may ride with the commit (a job alone: the commit's error is its own).
        """
        if self._guarded or (self._statements and not guards_only):
            self.flush()
        self._reads.clear()
        self._prefetched.clear()

    def flush(self, commands: str | None = None) -> None:
        """Send the deferred statements now, followed by ``commands`` (e.g. ``COMMIT``), in one round trip."""
        self._reads.clear()  # nobody reads them any more
        if commands is not None:
            self.defer(commands)
        if self._deferred:
            self._send_deferred("", ())

    def discard_statements(self) -> None:
        """Forget the deferred statements, keep the deferred transaction commands (a job that failed
        before they were sent: its savepoint is rolled back, which would undo them anyway)."""
        self._deferred = [entry for entry in self._deferred if entry[1] is None]
        self._statements = self._guarded = False
        self._reads.clear()
        self._prefetched.clear()

    def discard(self) -> None:
        """Forget the deferred statements (a transaction that never reached the server)."""
        self._deferred.clear()
        self._statements = self._guarded = False
        self._reads.clear()
        self._prefetched.clear()

    def _execute_deferred(self, sql: str, params: tuple[Any, ...]) -> PgCursor:
        cursor = self._send_deferred(sql, params)
        return self._result(cursor)

    def _send_deferred(self, sql: str, params: tuple[Any, ...], many: list[tuple[Any, ...]] | None = None) -> psycopg.Cursor[Any]:
        """One pipeline: the deferred statements, then ``sql`` (with ``params``, or each of ``many``); one sync."""
        deferred, reads = self._deferred, self._reads
        self._deferred, self._reads = [], []
        self._statements = self._guarded = False
        cursor = self._cursor
        checks: list[tuple[psycopg.Cursor[Any], Exception]] = []
        pipeline = _OneSendPipeline(self.raw)
        self.raw._pipeline = pipeline  # taken by pipeline() below (psycopg 3.3's attribute)
        try:
            with self.raw.pipeline():
                try:
                    for text, args, guard in deferred:
                        if guard is None:
                            cursor.execute(text, args)
                        else:
                            check = self._spare(len(checks))
                            check.execute(text, args)
                            checks.append((check, guard))
                    for index, (text, args) in enumerate(reads):
                        self._spare(len(checks) + index).execute(text, args)
                    if many is not None:
                        cursor.executemany(sql, many)
                    elif sql:
                        cursor.execute(sql, params)
                finally:
                    pipeline.holding = False  # the Sync at the pipeline's end sends them all
        finally:  # not left behind if pipeline() refused (a broken connection)
            if self.raw._pipeline is pipeline and pipeline.level == 0:
                self.raw._pipeline = None
        for index, key in enumerate(reads):
            self._prefetched[key] = self._result(self._checks[len(checks) + index])
        for check, guard in checks:  # the statements sent with them ran: the caller rolls back
            row = check.fetchone()
            if row is None or not row[0]:
                raise guard
        return cursor

    def _spare(self, index: int) -> psycopg.Cursor[Any]:
        """The ``index``-th spare cursor (a statement of a pipeline whose result is read after it)."""
        while len(self._checks) <= index:
            self._checks.append(self.raw.cursor())
        return self._checks[index]

    def _result(self, cursor: psycopg.Cursor[Any]) -> PgCursor:
        result = cursor.pgresult
        if result is not None and result.status == _TUPLES_OK:
            rows = cursor.fetchall()
            names = type(rows[0])._names if rows else _row_class_of(tuple(map(result.fname, range(result.nfields))))._names
            return PgCursor(rows, cursor.rowcount, names)
        if cursor.rowcount > 0:
            self.total_changes += cursor.rowcount
        return PgCursor([], cursor.rowcount, None)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        """Run one statement for each parameter tuple."""
        rows = [_params(params) for params in seq]
        self._prefetched.clear()
        if not rows:
            return PgCursor([], 0, None)
        if len(rows) == 1:  # one round trip anyway: no pipeline to set up
            return self.execute(sql, rows[0])
        if self._deferred:
            cursor = self._send_deferred(translate(sql), (), rows)
            if cursor.rowcount > 0:
                self.total_changes += cursor.rowcount
            return PgCursor([], cursor.rowcount, None)
        cursor = self._cursor
        cursor.executemany(translate(sql), rows)
        if cursor.rowcount > 0:
            self.total_changes += cursor.rowcount
        return PgCursor([], cursor.rowcount, None)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def commit(self, before: str | None = None) -> None:
        """Commit (after ``before``, e.g. ``RELEASE SAVEPOINT job``), in one round trip with what is deferred."""
        if not self.in_transaction and not self._statements:  # nothing reached the server: nothing to commit
            self.discard()
            return
        self.flush("COMMIT" if before is None else f"{before}; COMMIT")

    def rollback(self) -> None:
        self.discard()  # nothing of it ran: the ROLLBACK would undo it anyway
        if self.in_transaction:
            self._cursor.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()

    @property
    def broken(self) -> bool:
        return self.raw.closed or self.raw.broken


# ------------------------------------------------------------------ the database


class DatabaseUnavailableError(Exception):
    """Raised from a thread to the caller when the server cannot be reached."""


_TUPLES_OK = psycopg.pq.ExecStatus.TUPLES_OK
_RETRYABLE = (pg_errors.SerializationFailure, pg_errors.DeadlockDetected)
_Job = tuple[Callable[[Any], Any], asyncio.Future[Any], bool]


class PostgresDatabase:
    """One PostgreSQL database used by the whole bot (same contract as ``storage.database.Database``)."""

    dialect = POSTGRESQL
    in_memory = False

    def __init__(self, url: str, *, writers: int = WRITERS, readers: int = READERS, application_name: str = "traitdunion") -> None:
        self.url = url
        self.path = url  # what a child process (the suggestion round) needs to connect
        self.writers = max(1, writers)
        self.readers = max(1, readers)
        self.application_name = application_name
        self._writes: queue.Queue[_Job | None] = queue.Queue()
        self._reads: queue.Queue[tuple[Callable[[Any], Any], asyncio.Future[Any], str] | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending = 0
        self._idle = threading.Condition()

    # -- life cycle

    async def open(self) -> PostgresDatabase:
        """Connect, apply pending migrations, start the threads."""
        from storage.database import DatabaseUnavailable
        from storage.migrations import migrate

        self._loop = asyncio.get_running_loop()
        try:
            connections = await asyncio.to_thread(self._connect_all)
        except psycopg.Error as exc:
            raise DatabaseUnavailable(_safe(self.url), _reason(exc)) from exc
        try:
            applied = await asyncio.to_thread(migrate, connections[0])
        except BaseException as exc:
            for conn in connections:
                conn.close()
            if isinstance(exc, psycopg.Error):
                raise DatabaseUnavailable(_safe(self.url), _reason(exc)) from exc
            raise
        if applied:
            LOG.info("database %s migrated to version %s", _safe(self.url), applied[-1])
        for index, conn in enumerate(connections):
            writer = index < self.writers
            target = self._write_loop if writer else self._read_loop
            thread = threading.Thread(target=target, args=(conn,), name=f"traitdunion-pg-{'w' if writer else 'r'}{index}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _connect_all(self) -> list[PgConnection]:
        connections: list[PgConnection] = []
        try:
            for _ in range(self.writers + self.readers):
                connections.append(PgConnection.connect(self.url, self.application_name))
        except BaseException:
            for conn in connections:
                conn.close()
            raise
        return connections

    def connect(self) -> PgConnection:
        """A dedicated connection of its own (e.g. for a session-level advisory lock); the caller closes it."""
        return PgConnection.connect(self.url, self.application_name)

    async def close(self) -> None:
        """Finish queued work, stop the threads, close the connections."""
        if not self._threads:
            return
        await asyncio.to_thread(self._wait_idle)
        for _ in range(self.writers):
            self._writes.put(None)
        for _ in range(self.readers):
            self._reads.put(None)
        threads, self._threads = self._threads, []
        await asyncio.to_thread(_join_all, threads)

    def _wait_idle(self) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self._pending == 0)

    async def __aenter__(self) -> PostgresDatabase:
        return await self.open()

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def optimize(self) -> None:
        """Nothing to do: PostgreSQL's autovacuum keeps the planner's statistics fresh."""

    async def erase_traces(self) -> None:
        """After a deletion: ``VACUUM`` the tables that hold personal data.

        This marks the space of deleted rows reusable and drops their index entries, so later
        writes overwrite them; it does not zero them at once, and copies stay in the WAL (until
        recycled), in base backups and on replicas: see docs/storage-backends.md.
        """

        def vacuum(conn: PgConnection) -> None:
            for table in _PERSONAL_TABLES:
                conn.execute(f"VACUUM {table}")

        try:
            await self.run(vacuum)
        except psycopg.Error as error:
            LOG.warning("tables not vacuumed after a deletion: %s", error)

    # -- the contract

    def _submit(self) -> asyncio.Future[Any]:
        if not self._threads:
            raise RuntimeError("database is not open")
        with self._idle:
            self._pending += 1
        return asyncio.get_running_loop().create_future()

    async def transaction(self, fn: Callable[[Any], T], *, durable: bool = True, background: bool = False) -> T:
        """Run ``fn(conn)`` inside a transaction; return once it is committed.

        ``durable=False``: alone in its commit, it does not wait for the WAL flush
        (``synchronous_commit = off``); a crash of the server may lose it, not of the bot.
        ``background`` (a round's digests) is accepted for the shared contract; PostgreSQL's
        server takes the other workers' steps meanwhile, so it is queued like any transaction.
        """
        future = self._submit()
        self._writes.put((fn, future, durable))
        return await future

    async def read(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn(conn)`` in a ``REPEATABLE READ READ ONLY`` transaction (one consistent snapshot)."""
        future = self._submit()
        self._reads.put((fn, future, "read"))
        return await future

    async def run(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn(conn)`` outside any transaction (autocommit: each statement commits by itself)."""
        future = self._submit()
        self._reads.put((fn, future, "run"))
        return await future

    # -- the threads

    def _settle(self, future: asyncio.Future[Any], ok: bool, value: Any) -> None:
        def settle() -> None:
            if not future.done():
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)

        assert self._loop is not None
        try:
            self._loop.call_soon_threadsafe(settle)
        except RuntimeError:  # the loop is closed: nobody waits any more
            pass
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def _reconnect(self, conn: PgConnection) -> PgConnection:
        if not conn.broken:
            return conn
        LOG.warning("PostgreSQL connection lost: reconnecting")
        try:
            conn.close()
        except psycopg.Error:
            pass
        return PgConnection.connect(self.url, self.application_name)

    def _write_loop(self, conn: PgConnection) -> None:
        while True:
            item = self._writes.get()
            if item is None:
                break
            batch = [item]
            stop = False
            while len(batch) < MAX_BATCH:
                try:
                    more = self._writes.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batch.append(more)
            try:
                conn = self._reconnect(conn)
                outcomes = _commit_batch(conn, [(fn, durable) for fn, _, durable in batch])
            except BaseException as exc:  # noqa: BLE001 - the commit itself failed: every job failed
                LOG.exception("commit failed")
                outcomes = [(False, exc)] * len(batch)
            for (_, future, _), (ok, value) in zip(batch, outcomes, strict=True):
                self._settle(future, ok, value)
            if stop:
                break
        conn.close()

    def _read_loop(self, conn: PgConnection) -> None:
        while True:
            item = self._reads.get()
            if item is None:
                break
            fn, future, kind = item
            try:
                conn = self._reconnect(conn)
                if kind == "read":
                    conn.defer("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    try:
                        value = fn(conn)
                        conn.settle()  # a write deferred in a read-only transaction: refused, not dropped
                    finally:
                        conn.rollback()
                else:
                    value = fn(conn)
                    conn.rollback()  # a function that began a transaction and left it open
            except BaseException as exc:  # noqa: BLE001 - handed back to the caller
                self._settle(future, False, exc)
            else:
                self._settle(future, True, value)
        conn.close()


def _commit_batch(conn: PgConnection, jobs: list[tuple[Callable[[Any], Any], bool]]) -> list[tuple[bool, Any]]:
    """Run ``jobs`` in one transaction, each in its own savepoint (none when alone); commit once.

    The bookkeeping rides with the statements (:meth:`PgConnection.defer`): ``BEGIN; SAVEPOINT
    job`` goes with the first job's first statement, ``RELEASE SAVEPOINT job; SAVEPOINT job`` with
    the next job's first one, and ``RELEASE SAVEPOINT job; COMMIT`` is the only round trip of its
    own: one round trip of bookkeeping for n jobs (it was n + 1).
    """
    outcomes: list[tuple[bool, Any]] = []
    begin = "BEGIN" if any(durable for _, durable in jobs) else "BEGIN; SET LOCAL synchronous_commit = off"
    alone = len(jobs) == 1
    conn.defer(begin if alone else begin + "; SAVEPOINT job")
    try:
        for index, (fn, _) in enumerate(jobs):
            last = index == len(jobs) - 1
            attempt = 0
            while True:
                try:
                    result = fn(conn)
                    if alone:  # its deferred writes go with the COMMIT, whose error is its own
                        conn.settle(guards_only=True)  # a lock not sent yet: its Busy comes first
                        conn.commit()
                    else:
                        conn.settle()  # a lock or a write deferred and not sent yet: what it raises is this job's
                except Exception as exc:  # noqa: BLE001 - handed back to the caller
                    retry = isinstance(exc, _RETRYABLE) and attempt < RETRIES
                    if alone:
                        conn.rollback()
                    else:  # the savepoint stays
                        conn.discard_statements()
                        conn.flush("ROLLBACK TO SAVEPOINT job")
                    if retry:
                        attempt += 1
                        LOG.info("transaction retried after %s", type(exc).__name__)
                        if alone:
                            conn.defer(begin)
                        continue
                    outcomes.append((False, exc))
                else:
                    outcomes.append((True, result))
                break
            if alone:
                pass  # committed above
            elif last:
                conn.commit("RELEASE SAVEPOINT job")
            else:
                conn.defer("RELEASE SAVEPOINT job; SAVEPOINT job")
    except BaseException:
        if not conn.broken:
            conn.rollback()
        raise
    return outcomes


_PERSONAL_TABLES = (
    "actors",
    "identities",
    "sessions",
    "listings",
    "outbox",
    "outbox_mentions",
    "suggestions",
    "introductions",
    "broadcast_answers",
    "broadcast_recipients",
    "embeddings",
    "audit_log",
)


def _safe(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return url.split("@")[-1]
    info.pop("password", None)
    host, port, name = info.get("host", ""), info.get("port", ""), info.get("dbname", "")
    return f"postgresql://{host}{':' + str(port) if port else ''}/{name}"


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _join_all(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join()
