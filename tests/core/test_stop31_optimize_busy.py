"""Trial 31b: seven consoles on one SQLite file ran the nightly job at the same minute, and each one's ``PRAGMA
optimize`` failed with « database is locked » (a traceback in the log per console). Refreshing the planner's
statistics is best done when the file is free: busy, it waits for the next time, never an error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.database import open_database


async def test_optimize_while_another_process_writes_is_no_error(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    async with open_database(path) as db:

        def fill(conn: sqlite3.Connection) -> None:
            conn.execute("CREATE TABLE samples (a INTEGER, b TEXT)")
            conn.execute("CREATE INDEX samples_a ON samples (a)")
            conn.executemany("INSERT INTO samples VALUES (?, ?)", [(i % 50, str(i)) for i in range(5000)])

        await db.transaction(fill)
        await db.run(lambda conn: conn.execute("SELECT * FROM samples WHERE a = 3").fetchall())  # a query that wants statistics
        other = sqlite3.connect(path, timeout=0)  # another console, in the middle of writing
        other.execute("BEGIN EXCLUSIVE")
        try:
            await db.optimize()
        finally:
            other.rollback()
            other.close()
        await db.optimize()  # the file free again: done as before
