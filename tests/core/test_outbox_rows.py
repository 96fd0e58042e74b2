"""The outbox rows of a step's held replies: deleted in a few statements, and what deleting an
outbox row must take with it (its mentions, its pending status edits, a broadcast's status)."""

from __future__ import annotations

import sqlite3

import pytest

from bot.app import App
from core.types import Reply
from storage import outbox
from tests.backends import connect

pytestmark = pytest.mark.backends

NOW = "2026-12-01T09:00:00+00:00"


def _ids(app: App) -> list[int]:
    with connect(app.config.db) as conn:
        return [int(row[0]) for row in conn.execute("SELECT id FROM outbox ORDER BY id").fetchall()]


@pytest.mark.parametrize("count", [1, 3, 8, 300])
async def test_delete_forgets_exactly_the_given_messages(app: App, count: int) -> None:
    def write(conn: sqlite3.Connection) -> list[int]:
        return [outbox.enqueue(conn, "bench", f"chat{n % 7}", Reply(f"r{n}"), NOW, not_before=outbox.HELD) for n in range(count + 5)]

    written = await app.db.transaction(write)
    gone = written[1 : 1 + count]  # not the first nor the last ones: neighbours stay
    await app.db.transaction(lambda conn: outbox.delete(conn, gone))
    assert _ids(app) == [message_id for message_id in written if message_id not in gone]
    await app.db.transaction(lambda conn: outbox.delete(conn, []))
    assert len(_ids(app)) == 5
