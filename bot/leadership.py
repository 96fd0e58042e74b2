"""Roles that exactly one worker holds at a time: the scheduler leader, the Matrix connection.

With PostgreSQL, several ``traitdunion run`` processes (workers) share one database. A role is a
session advisory lock (``pg_try_advisory_lock``) held on a connection of its own: the worker that
gets it holds the role as long as that connection lives. The others try again every few
seconds, so when the holder dies (the server closes its connection: at once when the process
is killed, within ``tcp_keepalives_*`` when its machine vanishes, within
``idle_session_timeout`` when it hangs) another worker takes the role over within a minute.

With SQLite, one process serves a database file: :func:`hold_database` takes an OS lock on a
file beside it (a second ``traitdunion run`` on the same file refuses to start), and every role
is that process's (:class:`SoleRole`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol

from bot.lock import try_private_lock
from bot.terminal import Told
from storage import roles
from storage.files import make_dirs

LOG = logging.getLogger(__name__)

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
"""This process among the workers (outbox claims, held replies, logs)."""

LEASE_SECONDS = float(os.environ.get("TRAITDUNION_LEASE_SECONDS") or 60)
"""How long outbox rows (and a step's replies) claimed by a worker stay its own: a dead worker's
are taken over after this (tests shorten it)."""
SCHEDULER = "scheduler"
MATRIX = "matrix"
RETRY_SECONDS = 5.0
"""How often a worker without the role tries to take it (and the holder checks it still has it)."""
IDLE_TIMEOUT_MS = 45_000
"""The server closes a role's connection idle this long (its holder hangs): the role moves."""

Callback = Callable[[], Awaitable[None]]


def is_postgres_url(db: str) -> bool:
    """Whether the configured database is a PostgreSQL URL (``TRAITDUNION_DB=postgresql://…``)."""
    return db.startswith(("postgresql://", "postgres://"))


class AlreadyRunning(Told):
    """Another ``traitdunion run`` serves this SQLite database."""

    def __init__(self, path: str) -> None:
        super().__init__("lock.already_serving", path=path)
        self.path = path


class DatabaseHold:
    """An exclusive OS lock on ``<database>.lock`` for the life of the process (SQLite only)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> DatabaseHold:
        """Take the lock, or raise :class:`AlreadyRunning` at once."""
        target = Path(self.path).expanduser().resolve()
        make_dirs(target.parent)
        fd = try_private_lock(target.with_name(target.name + ".lock"))  # 0600, as private as the database
        if fd is None:
            raise AlreadyRunning(self.path)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{WORKER_ID}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        """Let another process serve the file (the OS also does it when this one dies)."""
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None


def hold_database(db: str) -> DatabaseHold | None:
    """For ``traitdunion run``: one process per SQLite file (None for PostgreSQL or in memory)."""
    if is_postgres_url(db) or db == ":memory:" or db.startswith("file::memory:"):
        return None
    return DatabaseHold(db).acquire()


class Role(Protocol):
    """A role some worker holds: ``on_gain`` runs when this one gets it, ``on_lose`` when it loses it."""

    name: str

    @property
    def held(self) -> bool: ...

    async def start(self, on_gain: Callback, on_lose: Callback) -> None: ...

    async def stop(self) -> None: ...


class SoleRole:
    """The only worker (SQLite): the role is held from start to stop."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._held = False

    @property
    def held(self) -> bool:
        return self._held

    async def start(self, on_gain: Callback, on_lose: Callback) -> None:
        self._held = True
        await on_gain()

    async def stop(self) -> None:
        self._held = False


class AdvisoryRole:
    """A role among several workers: a PostgreSQL session advisory lock on a dedicated connection."""

    def __init__(self, dsn: str, name: str, retry_seconds: float = RETRY_SECONDS, worker: str = WORKER_ID) -> None:
        self.dsn = dsn
        self.name = name
        self.key = f"traitdunion:role:{name}"
        self.retry_seconds = retry_seconds
        self.worker = worker
        self._held = False
        self._conn: Any = None
        self._task: asyncio.Task[None] | None = None
        self._on_gain: Callback | None = None
        self._on_lose: Callback | None = None
        self.changed = asyncio.Event()
        """Set each time the role is gained or lost (tests, logs)."""

    @property
    def held(self) -> bool:
        return self._held

    async def start(self, on_gain: Callback, on_lose: Callback) -> None:
        """Try once now (a lone worker starts as the holder), then keep trying in the background."""
        self._on_gain, self._on_lose = on_gain, on_lose
        await self.check()
        self._task = asyncio.create_task(self._loop(), name=f"role-{self.name}")

    async def stop(self) -> None:
        """Give the role up (closing the connection releases the lock at once)."""
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        await self._drop(stopping=True)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.retry_seconds)
            await self.check()

    async def check(self) -> bool:
        """Take the role if free, or make sure it is still ours; return whether this worker holds it."""
        try:
            if self._conn is None or self._conn.closed:
                self._conn = await roles.connect(self.dsn, f"traitdunion {self.name} {self.worker}", IDLE_TIMEOUT_MS)
            if self._held:
                await roles.still_alive(self._conn)  # the connection, hence the lock, lives
            elif await roles.try_lock(self._conn, self.key):
                self._held = True
                LOG.info("worker %s now holds the %s role", self.worker, self.name)
                self.changed.set()
                if self._on_gain is not None:
                    await self._on_gain()
        except roles.RoleConnectionLost as error:
            LOG.warning("role %s: database connection lost (%s)", self.name, error)
            await self._drop()
        return self._held

    async def _drop(self, stopping: bool = False) -> None:
        was_held, self._held = self._held, False
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close()
            except Exception:  # noqa: BLE001 - already broken
                LOG.debug("closing the %s role's connection failed", self.name, exc_info=True)
        if was_held:
            LOG.log(logging.INFO if stopping else logging.WARNING, "worker %s no longer holds the %s role", self.worker, self.name)
            self.changed.set()
            if self._on_lose is not None:
                await self._on_lose()


def role(db: str, name: str, retry_seconds: float = RETRY_SECONDS) -> Role:
    """The role ``name`` for the configured database: shared among workers on PostgreSQL, sole on SQLite."""
    if is_postgres_url(db):
        return AdvisoryRole(db, name, retry_seconds)
    return SoleRole(name)
