"""The data directory's lock: a running bot holds it, ``traitdunion restore`` needs it alone;
and one console per person on the same data (a file lock beside a SQLite file, a session advisory
lock in a PostgreSQL database).

Every process that serves people (``traitdunion run`` and ``chat``) holds a shared
``flock`` on ``traitdunion.lock`` in the data directory for as long as it runs; a restore
takes it exclusively, so it refuses to replace the data of a running bot, and a bot cannot
start in the middle of a restore. The kernel releases the lock when the process dies: a
crash never leaves a stale lock behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import logging
import os
from pathlib import Path
from typing import Any, NamedTuple

from bot.config import Config
from bot.terminal import Told
from storage import roles

__all__ = [
    "LOCK_FILE",
    "DataLocked",
    "InstanceLock",
    "PersonConnected",
    "PersonLock",
    "PersonSessionLock",
    "data_dir",
    "is_url",
]

LOCK_FILE = "traitdunion.lock"
_PRIVATE = 0o600
"""The rights of every lock file, those of the database: its pid and its name are nobody else's business."""
LOG = logging.getLogger(__name__)


class DataLocked(Told):
    """Another process holds the data directory (a running bot, or a restore)."""

    def __init__(self, directory: Path, pid: int | None) -> None:
        if pid:
            super().__init__("lock.in_use_pid", directory=directory, pid=pid)
        else:
            super().__init__("lock.in_use", directory=directory)
        self.directory = directory
        self.pid = pid


def is_url(db: str) -> bool:
    """Whether ``TRAITDUNION_DB`` names a server database (``postgresql://…``) rather than a file."""
    return "://" in db


def data_dir(config: Config) -> Path:
    """Where the bot keeps its files: the database's directory (the Matrix store's parent for a server database)."""
    if not is_url(config.db):
        return Path(config.db).expanduser().resolve().parent
    if config.matrix.store:
        return Path(config.matrix.store).expanduser().resolve().parent
    return Path.cwd().resolve()


class InstanceLock:
    """``flock`` on ``<directory>/traitdunion.lock``: shared for a running bot, exclusive for a restore."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / LOCK_FILE
        self._fd: int | None = None

    def acquire(self, exclusive: bool = False) -> InstanceLock:
        """Take the lock without waiting; :class:`DataLocked` when another process holds it."""
        fd = _try_lock(self.path, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        if isinstance(fd, _Held):
            raise DataLocked(self.path.parent, fd.pid)
        self._fd = fd
        if not exclusive:  # the last bot started writes its pid (for the message above)
            _write_pid(fd)
        return self

    def release(self) -> None:
        """Let go of the lock."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


class PersonConnected(Told):
    """The person is already at a console open on the same data (another terminal, same ``--user``)."""

    def __init__(self, user: str, pid: int | None) -> None:
        super().__init__("lock.person_connected_pid" if pid else "lock.person_connected", user=user, pid=pid or 0)
        self.user = user
        self.pid = pid


class PersonLock:
    """One console per person on one data directory: an exclusive ``flock`` on
    ``<directory>/console-<hash>.lock`` for the life of the console. A second console of the same
    person would take over the first one's claimed messages (the outbox worker of a console voids
    its person's claims at start) and show them twice; it is refused instead, saying why. The
    kernel drops the lock when the process dies: a crashed console never blocks the next one.

    The file name carries a hash of the person's name only (never the name), and a clean exit
    removes the file, while still holding the lock. A console that opened the file just before it
    was removed then holds a lock on a file no longer in the folder: it sees that (the path's inode
    differs from its descriptor's) and starts again on the new file, so two consoles never both
    believe they hold the lock."""

    def __init__(self, directory: Path, user: str) -> None:
        self.path = directory / f"console-{_person_hash(user)}.lock"
        self.user = user
        self._fd: int | None = None

    def acquire(self) -> PersonLock:
        """Take the person's lock without waiting; :class:`PersonConnected` when another console holds it."""
        while True:
            fd = _try_lock(self.path, fcntl.LOCK_EX)
            if isinstance(fd, _Held):
                raise PersonConnected(self.user, fd.pid)
            if _same_file(fd, self.path):
                break
            os.close(fd)  # removed (or replaced) by the console that just closed: lock the current file
        self._fd = fd
        _write_pid(fd)
        return self

    def release(self) -> None:
        """Remove the file, then let go of the lock (the file's name must not outlive the console)."""
        if self._fd is not None:
            try:
                if _same_file(self._fd, self.path):
                    self.path.unlink()
            except OSError:
                pass  # a read-only folder: the lock is released all the same
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class PersonSessionLock:
    """One console per person on one PostgreSQL database, wherever the consoles are started from:
    a session advisory lock keyed by a hash of the person's name, held on a connection of its own
    for the life of the console (the file lock of :class:`PersonLock` lives in a folder derived
    from the current directory there, which two terminals need not share). The server drops the
    lock when the console's connection closes, a crash included; the connection's name carries
    the console's pid (said when another is refused), never the person's name. A connection lost
    while the console runs (the server restarted) is opened again and the lock taken again, every
    :data:`CHECK_SECONDS`."""

    APPLICATION = "traitdunion console"
    CHECK_SECONDS = 10.0

    def __init__(self, dsn: str, user: str) -> None:
        self.dsn = dsn
        self.user = user
        self.key = f"traitdunion:console:{_person_hash(user)}"
        self._conn: Any = None
        self._task: asyncio.Task[None] | None = None

    async def _connect(self) -> Any:
        # never closed by the server for idleness: a console may wait for hours
        return await roles.connect(self.dsn, f"{self.APPLICATION} {os.getpid()}", idle_timeout_ms=0)

    async def acquire(self) -> PersonSessionLock:
        """Take the person's lock without waiting; :class:`PersonConnected` when another console
        holds it. A server that cannot be reached is left to opening the database to tell."""
        try:
            conn = await self._connect()
        except roles.RoleConnectionLost:
            return self
        try:
            if not await roles.try_lock(conn, self.key):
                holder = await roles.lock_holder(conn, self.key)
                raise PersonConnected(self.user, _pid_of(holder, self.APPLICATION))
        except BaseException:
            await conn.close()
            raise
        self._conn = conn
        self._task = asyncio.create_task(self._keep(), name="console-lock")
        return self

    async def _keep(self) -> None:
        while True:
            await asyncio.sleep(self.CHECK_SECONDS)
            await self.check()

    async def check(self) -> bool:
        """Make sure the lock is still held, taking it again on a new connection when the old one
        was lost; whether it is held (False: the server is unreachable, or another console took it)."""
        try:
            if self._conn is not None and not self._conn.closed:
                await roles.still_alive(self._conn)
                return True
        except roles.RoleConnectionLost:
            pass
        await self._close()
        try:
            conn = await self._connect()
            if await roles.try_lock(conn, self.key):
                self._conn = conn
                LOG.info("the console's lock was taken again after its connection was lost")
                return True
            await conn.close()
            LOG.warning("the console's lock was lost with its connection and another console holds it now")
        except roles.RoleConnectionLost as error:
            LOG.warning("the console's lock is lost with its connection (%s): taken again when the server answers", error)
        return False

    async def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):  # already broken: the lock went with it
                await conn.close()

    async def release(self) -> None:
        """Close the lock's connection (the server lets go of the lock at once)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._close()


def _pid_of(application: str | None, prefix: str) -> int | None:
    """The pid in ``"<prefix> <pid>"`` (the holding console's connection name), if it is one."""
    if application is None or not application.startswith(prefix + " "):
        return None
    tail = application[len(prefix) + 1 :]
    return int(tail) if tail.isdigit() else None


def _person_hash(user: str) -> str:
    """The name of a person's console lock: a hash, so that the folder says nothing of who uses it."""
    return hashlib.sha256(f"traitdunion-console:{user}".encode()).hexdigest()[:24]


def _same_file(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd``."""
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)


class _Held(NamedTuple):
    """Another process holds the lock; ``pid``: the one written in the file, if any."""

    pid: int | None


def _try_lock(path: Path, operation: int) -> int | _Held:
    """Open ``path`` (private, 0600: made so when missing, tightened when looser) and ``flock`` it with ``operation``
    (``LOCK_SH`` or ``LOCK_EX``) without waiting: the descriptor holding the lock, or
    :class:`_Held` when another process holds it (the file then closed). Any other error closes
    the file and is raised as it is."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, _PRIVATE)
    try:
        if os.fstat(fd).st_mode & 0o777 != _PRIVATE:  # left looser (an older version, a copy): as private as the database
            os.fchmod(fd, _PRIVATE)
        fcntl.flock(fd, operation | fcntl.LOCK_NB)
    except BlockingIOError:
        held = _Held(_read_pid(fd))
        os.close(fd)
        return held
    except BaseException:
        os.close(fd)
        raise
    return fd


def try_private_lock(path: Path) -> int | None:
    """An exclusive ``flock`` on ``path``, opened private (0600) like every lock file here: the
    descriptor holding it, or None when another process holds it."""
    fd = _try_lock(path, fcntl.LOCK_EX)
    return None if isinstance(fd, _Held) else fd


def _write_pid(fd: int) -> None:
    """Write this process's pid in the lock file open as ``fd`` (said when another is refused)."""
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)


def _read_pid(fd: int) -> int | None:
    try:
        return int(os.pread(fd, 32, 0).decode().strip() or 0) or None
    except (OSError, ValueError):
        return None
