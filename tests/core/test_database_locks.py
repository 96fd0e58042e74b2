"""The bot never releases SQLite's locks behind its back.

POSIX record locks belong to a process and a file: closing *any* descriptor of the file releases
every lock the process holds on it, SQLite's included. A file the bot opened and closed itself
while a connection was open (to make it private, to fsync it) let another process take the
database from under that connection: switch it out of WAL mode and delete the WAL, or (for the
``-shm`` index) re-initialise the index the writer has mapped, which killed the bot with SIGBUS
(CI, stop 39: ``test_fuzz_the_runtime`` "worker crashed"; the harness read the ``-shm`` file).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from storage import database
from storage.database import Database
from storage.files import restrict

SWITCH_OUT_OF_WAL = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=0)
try:
    print(conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0])
except sqlite3.OperationalError as error:
    print(error)
"""


def another_process_switches_out_of_wal(path: Path) -> str:
    """What another process gets when it tries to take the database out of WAL mode."""
    done = subprocess.run([sys.executable, "-c", SWITCH_OUT_OF_WAL, str(path)], capture_output=True, text=True, timeout=60, check=True)
    return done.stdout.strip()


def held_open(path: Path) -> sqlite3.Connection:
    """A connection in WAL mode that has read the database (it holds its shared lock)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.execute("SELECT count(*) FROM t").fetchone()
    return conn


def test_the_harness_sees_a_held_database_as_locked(tmp_path: Path) -> None:
    conn = held_open(tmp_path / "bot.db")
    try:
        assert another_process_switches_out_of_wal(tmp_path / "bot.db") == "database is locked"
    finally:
        conn.close()


def test_making_an_open_database_private_keeps_its_locks(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    conn = held_open(path)
    try:
        restrict(path)
        assert another_process_switches_out_of_wal(path) == "database is locked"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert path.with_name("bot.db-wal").exists()
    finally:
        conn.close()


def test_restrict_still_refuses_what_it_cannot_use(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    try:
        restrict(folder)
    except IsADirectoryError:
        pass
    else:
        raise AssertionError("a directory was taken for a database file")
    assert folder.is_dir() and (folder.stat().st_mode & 0o777) != 0o600
    fresh = tmp_path / "new.db"
    restrict(fresh)
    assert fresh.exists() and fresh.stat().st_mode & 0o777 == 0o600


def test_fsync_without_a_wal_keeps_the_databases_locks(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    conn = held_open(path)
    try:
        database._fsync(str(tmp_path / "no-such-db-wal"))
        assert another_process_switches_out_of_wal(path) == "database is locked"
    finally:
        conn.close()


async def test_a_second_database_on_the_same_file_keeps_the_first_ones_locks(tmp_path: Path) -> None:
    """Two consoles in one process, or a worker beside the bot: each open must leave the other whole."""
    path = tmp_path / "bot.db"
    async with Database(path) as first:
        await first.transaction(lambda conn: conn.execute("CREATE TABLE t (x)"))
        await first.read(lambda conn: conn.execute("SELECT count(*) FROM t").fetchone())
        async with Database(path) as second:
            await second.transaction(lambda conn: conn.execute("INSERT INTO t VALUES (1)"))
            assert another_process_switches_out_of_wal(path) == "database is locked"
        assert another_process_switches_out_of_wal(path) == "database is locked"
        assert await first.read(lambda conn: conn.execute("SELECT count(*) FROM t").fetchone()[0]) == 1
