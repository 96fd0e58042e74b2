"""Reads and copies of a SQLite database file for the operations commands (backup, doctor,
migrate --check, purge --dry-run): the statements live here, the commands decide what to do."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from storage.files import restrict

T = TypeVar("T")


def open_read_only(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    """A connection that can only read the file (waits up to ``timeout`` s for a writer)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    return conn


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """What ``PRAGMA integrity_check`` reports (``["ok"]`` when the file is sound)."""
    return [str(row[0]) for row in conn.execute("PRAGMA integrity_check").fetchall()]


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version written in the file (``PRAGMA user_version``)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def copy_live(source: Path, target: Path, timeout: float = 30.0) -> tuple[list[str], int]:
    """Copy a live database with the online backup API into one self-contained file; return the
    copy's integrity report and schema version."""
    src = open_read_only(source, timeout)
    try:
        restrict(target)  # people's data: 0600 before SQLite writes into it
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # one step: a consistent snapshot of the last commit
            dst.execute("PRAGMA journal_mode = DELETE")
            return integrity_problems(dst), schema_version(dst)
        finally:
            dst.close()
    finally:
        src.close()


def rolled_back(path: str, work: Callable[[sqlite3.Connection], T], timeout: float = 30.0) -> T:
    """Run ``work`` as the bot would (foreign keys on) in a write transaction that is rolled back:
    what it would change, counted, and nothing changed."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=timeout)
    try:
        conn.execute("PRAGMA foreign_keys = ON")  # as the bot: cascades are counted out of their tables
        conn.execute("BEGIN IMMEDIATE")
        try:
            return work(conn)
        finally:
            conn.execute("ROLLBACK")
    finally:
        conn.close()
