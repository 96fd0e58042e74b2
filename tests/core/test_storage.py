"""Storage: migrations, pragmas, group commit isolation, reply serialisation."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from core.types import Attachment, Choice, Reply
from storage.database import open_database
from storage.migrations import MIGRATIONS, current_version
from storage.outbox import reply_from_json, reply_to_json
from tests.backends import integrity_errors, is_pg

pytestmark = pytest.mark.backends


async def test_migrations_and_pragmas(db_path: Path) -> None:
    async with open_database(db_path) as db:
        version = await db.run(current_version)
        assert version == MIGRATIONS[-1][0]
        if not is_pg(db_path):
            assert await db.run(lambda c: c.execute("PRAGMA journal_mode").fetchone()[0]) == "wal"
            assert await db.run(lambda c: c.execute("PRAGMA foreign_keys").fetchone()[0]) == 1
    async with open_database(db_path) as db:  # reopening applies nothing twice
        assert await db.run(current_version) == version


async def test_a_failing_transaction_rolls_back_alone(db_path: Path) -> None:
    async with open_database(db_path) as db:

        def good(name: str):
            return lambda c: c.execute("INSERT INTO processed_events (platform, event_id, processed_at) VALUES ('t', ?, 'now')", (name,))

        def bad(conn: sqlite3.Connection) -> None:
            good("half")(conn)
            raise ValueError("boom")

        results = await asyncio.gather(db.transaction(good("a")), db.transaction(bad), db.transaction(good("b")), return_exceptions=True)
        assert isinstance(results[1], ValueError)
        ids = await db.run(lambda c: [r[0] for r in c.execute("SELECT event_id FROM processed_events ORDER BY 1")])
        assert ids == ["a", "b"]


async def test_a_transaction_alone_in_its_commit_needs_no_savepoint_and_still_rolls_back(db_path: Path) -> None:
    async with open_database(db_path) as db:

        def write(name: str, fail: bool = False):
            def work(conn: sqlite3.Connection) -> None:
                conn.execute("INSERT INTO processed_events (platform, event_id, processed_at) VALUES ('t', ?, 'now')", (name,))
                if fail:
                    raise ValueError("boom")

            return work

        statements: list[str] = []
        if not is_pg(db_path):
            await db.run(lambda c: c.set_trace_callback(statements.append))
        await db.transaction(write("a"))  # one at a time: each alone in its commit
        with pytest.raises(ValueError, match="boom"):
            await db.transaction(write("half", fail=True))
        await db.transaction(write("b"))
        if not is_pg(db_path):
            await db.run(lambda c: c.set_trace_callback(None))
            assert not [s for s in statements if s.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO"))], statements
        ids = await db.run(lambda c: [r[0] for r in c.execute("SELECT event_id FROM processed_events ORDER BY 1")])
        assert ids == ["a", "b"]


async def test_foreign_keys_cascade(db_path: Path) -> None:
    async with open_database(db_path) as db:
        with pytest.raises(integrity_errors()):
            await db.transaction(
                lambda c: c.execute(
                    "INSERT INTO listings (actor_id, kind, category, description, zone_kind, zone_code, zone_label,"
                    " expires_at, created_at, updated_at) VALUES (999, 'need', 'x', 'd', 'commune', '1', 'l', '2027-01-01',"
                    " '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')"
                )
            )


def test_reply_round_trip() -> None:
    reply = Reply(
        text="Bonjour <b>&",
        choices=(Choice("a", "A"), Choice("b", "B")),
        multi=True,
        selected=("a",),
        submit_label="Valider",
        prompt_id="k",
        notice=True,
        attachment=Attachment("x.png", "image/png", b"\x89PNG"),
        language="en",
    )
    assert reply_from_json(reply_to_json(reply)) == reply


async def test_retention_forgets_old_rows_only(db_path) -> None:
    """Old suggestions (not declined ones) and old digests without suggestions go; recent rows
    and the memory of refusals stay."""
    import sqlite3 as sq
    from datetime import UTC, datetime

    from storage import retention

    now = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    old, recent = "2025-06-01T08:00:00+00:00", "2026-11-20T08:00:00+00:00"
    async with open_database(db_path) as db:

        def fill(conn: sq.Connection) -> None:
            for actor in (1, 2):
                conn.execute(
                    "INSERT INTO actors (id, kind, name, commune_code, place, created_at, updated_at)"
                    " VALUES (?, 'association', 'A', '69266', '{}', ?, ?)",
                    (actor, old, old),
                )
            for digest, created in ((1, old), (2, old), (3, recent)):
                conn.execute("INSERT INTO digests (id, actor_id, period, created_at) VALUES (?, 1, ?, ?)", (digest, f"p{digest}", created))
            for digest, status, created in ((1, "accepted", old), (2, "declined", old), (3, "proposed", recent)):
                conn.execute(
                    "INSERT INTO suggestions (actor_id, other_id, digest_id, kind, score, explanation, status, created_at)"
                    " VALUES (1, 2, ?, 'theme', 0.5, '[]', ?, ?)",
                    (digest, status, created),
                )

        await db.transaction(fill)
        for prune in retention.PRUNERS.values():
            await db.transaction(lambda conn, prune=prune: prune(conn, now, batch=1))  # batches: one row at a time
            await db.transaction(lambda conn, prune=prune: prune(conn, now, batch=1))
        left = await db.run(
            lambda conn: {
                "suggestions": [r[0] for r in conn.execute("SELECT status FROM suggestions ORDER BY id")],
                "digests": [r[0] for r in conn.execute("SELECT id FROM digests ORDER BY id")],
            }
        )
    assert left["suggestions"] == ["declined", "proposed"]
    assert left["digests"] == [2, 3]  # 1 lost its (old, accepted) suggestion; 2 keeps the declined one
