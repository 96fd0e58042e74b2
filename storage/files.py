"""Files that hold people's data are readable by the bot's user only, whatever the umask.

The database, its WAL and shared-memory files, the console's chat log, backups, the Matrix
adapter's state, and exported JSON, CSV and PNG files get mode 0600; directories the bot creates
for them get 0700. Existing directories are left alone (the database may live in a folder that
is not the bot's own); an existing file the bot writes to again is made private.
"""

from __future__ import annotations

import errno
import os
from io import TextIOWrapper
from pathlib import Path

__all__ = ["DIR_MODE", "FILE_MODE", "make_dirs", "open_private", "restrict", "write_private"]

FILE_MODE = 0o600
DIR_MODE = 0o700
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def make_dirs(directory: Path) -> None:
    """Create ``directory`` and missing parents, each created one with mode 0700."""
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        path.mkdir(mode=DIR_MODE)
        os.chmod(path, DIR_MODE)  # mkdir's mode is filtered by the umask


def restrict(path: Path) -> None:
    """Create ``path`` if missing, and make it (and SQLite's companion files) mode 0600.

    An existing file is never opened: closing a descriptor releases every POSIX lock this process
    holds on the file, SQLite's included, and another process could then take the database from
    under a connection still open (``tests/core/test_database_locks.py``).
    """
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        if Path(path).is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path)) from None
        if not os.access(path, os.R_OK | os.W_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path)) from None
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.chmod(companion, FILE_MODE)


def write_private(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600 (an existing file is truncated and restricted)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(data)
    finally:
        os.close(fd)


def open_private(path: str | Path, mode: str = "a", encoding: str = "utf-8", errors: str | None = None) -> TextIOWrapper:
    """Open the text file ``path`` for writing (``"a"``: appending, ``"w"``: truncated), created
    with mode 0600 whatever the umask, and an existing one made 0600 (a log left by an older version)."""
    if mode not in ("a", "w"):
        raise ValueError(f"open_private writes only: mode {mode!r}")
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        if mode == "a":  # the caller closes it
            return open(fd, "a", encoding=encoding, errors=errors)
        return open(fd, "w", encoding=encoding, errors=errors)
    except BaseException:
        os.close(fd)
        raise
