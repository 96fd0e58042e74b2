"""Storage: migrations, pragmas, group commit isolation, reply serialisation."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.types import Attachment, Choice, Reply
from storage.database import Database
from storage.migrations import MIGRATIONS, current_version
from storage.outbox import reply_from_json, reply_to_json


async def test_migrations_and_pragmas(db_path: Path) -> None:
    async with Database(db_path) as db:
        version = await db.run(current_version)
        assert version == MIGRATIONS[-1][0]
        assert await db.run(lambda c: c.execute("PRAGMA journal_mode").fetchone()[0]) == "wal"
        assert await db.run(lambda c: c.execute("PRAGMA foreign_keys").fetchone()[0]) == 1
    async with Database(db_path) as db:  # reopening applies nothing twice
        assert await db.run(current_version) == version


async def test_a_failing_transaction_rolls_back_alone(db_path: Path) -> None:
    async with Database(db_path) as db:
        def good(name: str):
            return lambda c: c.execute(
                "INSERT INTO processed_events (platform, event_id, processed_at) VALUES ('t', ?, 'now')", (name,)
            )

        def bad(conn: sqlite3.Connection) -> None:
            good("half")(conn)
            raise ValueError("boom")

        results = await asyncio.gather(
            db.transaction(good("a")), db.transaction(bad), db.transaction(good("b")), return_exceptions=True
        )
        assert isinstance(results[1], ValueError)
        ids = await db.run(lambda c: [r[0] for r in c.execute("SELECT event_id FROM processed_events ORDER BY 1")])
        assert ids == ["a", "b"]


async def test_foreign_keys_cascade(db_path: Path) -> None:
    async with Database(db_path) as db:
        with pytest.raises(sqlite3.IntegrityError):
            await db.transaction(
                lambda c: c.execute(
                    "INSERT INTO listings (actor_id, kind, category, description, zone_kind, zone_code, zone_label,"
                    " expires_at, created_at, updated_at) VALUES (999, 'need', 'x', 'd', 'commune', '1', 'l', 'e', 'n', 'n')"
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
