"""Durable commits on SQLite: the WAL is fsynced by the syncer thread before a caller resumes,
while the writer already runs the next batch; outcomes come back in commit order."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

import storage.database as database
from storage.database import Database


class _Disk:
    """Stands for the fsyncs of the syncer: records them, can hold them, can fail them."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.release = threading.Event()
        self.release.set()
        self.entered = threading.Event()
        self.error: OSError | None = None

    def fsync(self, wal: str) -> None:
        self.entered.set()
        self.release.wait(10)
        self.calls.append(wal)
        if self.error is not None:
            raise self.error


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> _Disk:
    fake = _Disk()
    monkeypatch.setattr(database, "_fsync", fake.fsync)
    return fake


def _write(value: str) -> Callable[[sqlite3.Connection], int]:
    return lambda conn: int(conn.execute("INSERT INTO t (v) VALUES (?)", (value,)).rowcount)


async def _wait(event: threading.Event) -> None:
    while not event.is_set():
        await asyncio.sleep(0.005)


async def test_a_durable_commit_is_given_back_once_the_wal_is_fsynced(tmp_path: Path, disk: _Disk) -> None:
    async with Database(tmp_path / "t.db") as db:
        await db.run(lambda conn: conn.execute("CREATE TABLE t (v TEXT)"))
        disk.release.clear()
        pending = asyncio.ensure_future(db.transaction(_write("a")))
        await _wait(disk.entered)
        await asyncio.sleep(0.05)
        assert not pending.done()  # committed, not on disk yet: the caller waits
        disk.release.set()
        assert await pending == 1
        assert disk.calls == [str((tmp_path / "t.db").resolve()) + "-wal"]
        assert await db.run(lambda conn: conn.execute("PRAGMA synchronous").fetchone()[0]) == 1  # NORMAL: no fsync in COMMIT


async def test_a_bookkeeping_commit_alone_is_not_fsynced(tmp_path: Path, disk: _Disk) -> None:
    async with Database(tmp_path / "t.db") as db:
        await db.run(lambda conn: conn.execute("CREATE TABLE t (v TEXT)"))
        disk.calls.clear()
        assert await db.transaction(_write("a"), durable=False) == 1
        assert disk.calls == []


async def test_the_next_batch_runs_during_the_fsync_but_is_given_back_after_it(tmp_path: Path, disk: _Disk) -> None:
    async with Database(tmp_path / "t.db") as db:
        await db.run(lambda conn: conn.execute("CREATE TABLE t (v TEXT)"))
        disk.release.clear()
        first = asyncio.ensure_future(db.transaction(_write("a")))
        await _wait(disk.entered)
        ran = threading.Event()

        def second(conn: sqlite3.Connection) -> int:
            ran.set()
            return int(conn.execute("INSERT INTO t (v) VALUES ('b')").rowcount)

        later = asyncio.ensure_future(db.transaction(second, durable=False))
        await _wait(ran)  # the writer did not wait for the first batch's fsync
        await asyncio.sleep(0.05)
        assert not first.done() and not later.done()  # nothing is given back before the earlier fsync
        disk.release.set()
        assert await first == 1 and await later == 1
        assert await db.run(lambda conn: [r[0] for r in conn.execute("SELECT v FROM t ORDER BY rowid")]) == ["a", "b"]


async def test_a_failed_fsync_fails_the_callers(tmp_path: Path, disk: _Disk) -> None:
    async with Database(tmp_path / "t.db") as db:
        await db.run(lambda conn: conn.execute("CREATE TABLE t (v TEXT)"))
        disk.error = OSError(5, "Input/output error")
        with pytest.raises(OSError):
            await db.transaction(_write("a"))
        disk.error = None
        assert await db.transaction(_write("b")) == 1


async def test_other_settings_keep_the_fsync_in_the_commit(tmp_path: Path, disk: _Disk) -> None:
    async with Database(tmp_path / "t.db", synchronous="EXTRA") as db:
        await db.run(lambda conn: conn.execute("CREATE TABLE t (v TEXT)"))
        assert await db.transaction(_write("a")) == 1
        assert await db.run(lambda conn: conn.execute("PRAGMA synchronous").fetchone()[0]) == 3
    assert disk.calls == []
