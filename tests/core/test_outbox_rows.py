"""The outbox rows of a step's held replies: deleted in a few statements, and what deleting an
outbox row must take with it (its mentions, its pending status edits, a broadcast's status)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.app import App
from core.types import Choice, Reply
from storage import migrations, outbox
from tests.backends import connect, is_pg

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


def _call(conn: sqlite3.Connection) -> int:
    return int(
        conn.execute(
            "INSERT INTO broadcasts (area_kind, area_code, area_label, message, answer_mode, requester_platform, requester_chat,"
            " created_at) VALUES ('commune', '69123', 'Lyon', 'Un appel', 'none', 'console', 'coord', ?) RETURNING id",
            (NOW,),
        ).fetchone()[0]
    )


async def test_a_forgotten_message_takes_its_mentions_edits_and_call_status_with_it(app: App) -> None:
    """What the foreign keys to outbox rows did (cascade, cascade, set null) is done when messages
    are deleted: pruned after their retention, erased with a person, or with their actor."""

    def arrange(conn: sqlite3.Connection) -> tuple[int, int, int]:
        status = outbox.enqueue(conn, "console", "coord", Reply("Appel n°1 : 0 envoyé"), NOW)
        kept = outbox.enqueue(conn, "console", "other", Reply("Bonjour"), NOW, about=[7])
        pruned = outbox.enqueue(conn, "console", "bob", Reply("Voici Alice"), NOW, about=[7, 8])
        call = _call(conn)
        conn.execute("UPDATE broadcasts SET status_outbox_id = ? WHERE id = ?", (status, call))
        outbox.mark_sent(conn, status, NOW)
        outbox.mark_sent(conn, pruned, NOW)
        outbox.set_status_edit(conn, status, Reply("Appel n°1 : 3 envoyés"), NOW, NOW)
        return status, kept, call

    status, kept, call = await app.db.transaction(arrange)
    pruned = await app.db.transaction(lambda conn: outbox.prune_done(conn, "2026-12-02T00:00:00+00:00"))
    assert pruned == 2  # the status message and the sent introduction (its pending edit went with the first)
    with connect(app.config.db) as conn:
        assert [int(row[0]) for row in conn.execute("SELECT id FROM outbox").fetchall()] == [kept]
        assert [tuple(row) for row in conn.execute("SELECT outbox_id, actor_id FROM outbox_mentions").fetchall()] == [(kept, 7)]
        assert conn.execute("SELECT status_outbox_id FROM broadcasts WHERE id = ?", (call,)).fetchone()[0] is None
    assert status not in _ids(app)


async def test_an_actor_deleted_takes_their_messages_and_their_mentions(app: App) -> None:
    from storage import actors

    def arrange(conn: sqlite3.Connection) -> tuple[int, int]:
        actor = actors.create_actor(conn, {"kind": "association", "name": "Les Restos", "place": {"code": "69123", "label": "Lyon"}}, NOW)
        other = outbox.enqueue(conn, "console", "other", Reply("Bonjour"), NOW)
        outbox.enqueue(conn, "console", "them", Reply("Pour vous"), NOW, actor_id=actor, about=[actor + 1])
        return actor, other

    actor, other = await app.db.transaction(arrange)
    await app.db.transaction(lambda conn: actors.delete_actor(conn, actor))
    assert _ids(app) == [other]
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM outbox_mentions").fetchone()[0] == 0


async def test_no_foreign_key_points_at_outbox_rows(app: App) -> None:
    """Deleting a sent reply's row runs no foreign-key action (migration 100, both engines)."""
    with connect(app.config.db) as conn:
        if is_pg(app.config.db):
            found = conn.execute(
                "SELECT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f' AND confrelid = 'outbox'::regclass"
            ).fetchall()
        else:
            tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
            found = [
                (table,) for table in tables for key in conn.execute(f"PRAGMA foreign_key_list({table})").fetchall() if key[2] == "outbox"
            ]
    assert found == []


def test_migration_100_keeps_every_row_of_an_existing_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database at the previous version, with mentions, an edit and a call's status, keeps them all."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", [m for m in migrations.MIGRATIONS if m[0] < 100])
        migrations.migrate(conn)
    conn.execute("BEGIN")
    status = outbox.enqueue(conn, "console", "coord", Reply("Appel n°1"), NOW)
    outbox.enqueue(conn, "console", "bob", Reply("Voici Alice"), NOW, about=[7])
    outbox.set_status_edit(conn, status, Reply("Appel n°1 : 1 envoyé"), NOW, NOW)
    conn.execute("UPDATE broadcasts SET status_outbox_id = ? WHERE id = ?", (status, _call(conn)))
    conn.execute("COMMIT")
    before = [conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in ("outbox", "outbox_mentions", "broadcasts")]
    assert migrations.migrate(conn)[0] == 100  # then any later one
    after = [conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in ("outbox", "outbox_mentions", "broadcasts")]
    assert after == before
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA foreign_key_list(outbox)").fetchall()  # the others stay (actors, broadcasts)
    conn.close()


@pytest.mark.parametrize(
    "reply",
    [
        Reply("Bonjour"),
        Reply("Vous êtes :", choices=(Choice("1", "Une association", 1), Choice("2", "Une entreprise")), prompt_id="k", language="en"),
        Reply("Thèmes ?", choices=(Choice("a", "A"),), multi=True, selected=("a",), submit_label="Valider", notice=True, chatter=True),
    ],
)
def test_a_payload_leaves_out_what_is_at_its_default_and_reads_back_the_same(reply: Reply) -> None:
    raw = outbox.reply_to_json(reply)
    assert outbox.reply_from_json(raw) == reply
    assert "false" not in raw and "null" not in raw and "[]" not in raw
