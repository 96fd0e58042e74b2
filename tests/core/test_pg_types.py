"""Real types on PostgreSQL (migration 25): flags BOOLEAN, moments TIMESTAMPTZ, days DATE.

The columns are listed from the live schema, so a column added later is checked too: a flag
must be in ``storage.ddl.FLAGS`` (or a counter in ``COUNTERS``), a moment must follow the
naming rule of ``storage.ddl.is_moment`` (``at``, ``*_at``, ``*_due``, ``*_until``,
``not_before``, ``last_early_alert``). SQLite keeps 0/1 and ISO text, and reads stay the same
Python values on both engines.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from storage.database import open_database
from storage.ddl import COUNTERS, DATES, FLAGS, MOMENT_RULE, NOT_JSONB, is_json, is_moment, to_postgres
from storage.migrations import MIGRATIONS, _TranslatingConnection, migrate
from storage.postgres import PgConnection

pytestmark = pytest.mark.backends

NOW = "2026-11-30T08:00:00+00:00"
HELD = "9999-12-31T23:59:59+00:00"


def _pg_columns(conn: Any) -> list[tuple[str, str, str]]:
    rows = conn.execute(
        """
        SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name != 'schema_version' ORDER BY 1, 2
        """
    ).fetchall()
    return [(str(t), str(c), str(d)) for t, c, d in rows]


def _type_problems(columns: list[tuple[str, str, str]]) -> list[str]:
    problems = []
    for table, column, data_type in columns:
        where = f"{table}.{column} is {data_type}"
        if column in FLAGS and data_type != "boolean":
            problems.append(f"{where}: a flag (storage.ddl.FLAGS) must be boolean")
        elif data_type == "boolean" and column not in FLAGS:
            problems.append(f"{where}: a boolean must be listed in storage.ddl.FLAGS")
        if column in DATES and data_type != "date":
            problems.append(f"{where}: a calendar day (storage.ddl.DATES) must be date")
        if is_moment(column) and data_type != "timestamp with time zone":
            problems.append(f"{where}: a moment ({MOMENT_RULE}) must be timestamptz")
        elif data_type.startswith("timestamp") and not is_moment(column):
            problems.append(f"{where}: a timestamptz column must be named by the rule ({MOMENT_RULE})")
        if is_json(table, column) and data_type != "jsonb":
            problems.append(f"{where}: a JSON document (storage.ddl.JSON_NAMES, JSON_COLUMNS) must be jsonb")
        elif data_type == "jsonb" and not is_json(table, column):
            problems.append(f"{where}: a jsonb column must be listed in storage.ddl.JSON_NAMES or JSON_COLUMNS")
    return problems


@pytest.mark.postgresql_only
async def test_postgresql_columns_have_real_types(db_path: str) -> None:
    """Every flag is boolean, every moment timestamptz, every day date (read from information_schema)."""
    async with open_database(db_path) as db:
        columns = await db.run(_pg_columns)
    assert len(columns) > 150
    assert _type_problems(columns) == []
    types = {(t, c): d for t, c, d in columns}
    assert types["outbox", "lease_until"] == "timestamp with time zone"  # added by migration 24, converted by 25
    assert types["actors", "early_alerts"] == "boolean"
    assert (types["actors", "place"], types["events", "place"], types["outbox", "payload"]) == ("jsonb", "text", "text")


def test_the_rules_catch_a_new_column_of_the_old_type() -> None:
    assert _type_problems([("t", "remind_at", "text")]) == [f"t.remind_at is text: a moment ({MOMENT_RULE}) must be timestamptz"]
    assert _type_problems([("t", "paused", "bigint")]) == ["t.paused is bigint: a flag (storage.ddl.FLAGS) must be boolean"]
    assert _type_problems([("t", "archived", "boolean")]) == ["t.archived is boolean: a boolean must be listed in storage.ddl.FLAGS"]
    assert _type_problems([("t", "sent_at", "timestamp with time zone"), ("t", "n", "bigint")]) == []
    assert _type_problems([("t", "themes", "text")]) == [
        "t.themes is text: a JSON document (storage.ddl.JSON_NAMES, JSON_COLUMNS) must be jsonb"
    ]


def test_every_sqlite_zero_one_column_is_a_known_flag_or_counter(tmp_path: Path) -> None:
    """An INTEGER column with DEFAULT 0 or 1 is a flag or a counter: it must be classified in storage/ddl.py."""
    conn = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    migrate(conn)
    found = set()
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        for _, name, declared, _, default, _ in conn.execute(f"PRAGMA table_info({table})").fetchall():
            if declared.upper() == "INTEGER" and default in ("0", "1"):
                found.add(name)
    conn.close()
    assert found - FLAGS - COUNTERS == set()
    assert found >= FLAGS


def test_every_sqlite_json_column_is_jsonb_or_kept_as_text_on_purpose(tmp_path: Path) -> None:
    """A TEXT column with DEFAULT '[]' or '{}' (a JSON document) is JSONB on PostgreSQL, or listed in NOT_JSONB."""
    conn = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    migrate(conn)
    found = set()
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        for _, name, declared, _, default, _ in conn.execute(f"PRAGMA table_info({table})").fetchall():
            if declared.upper() == "TEXT" and default in ("'[]'", "'{}'"):
                found.add((table, name))
    conn.close()
    assert len(found) > 8
    assert {(t, c) for t, c in found if not is_json(t, c)} - NOT_JSONB == set()


def test_later_migrations_declare_real_types() -> None:
    assert (
        to_postgres("ALTER TABLE outbox ADD COLUMN lease_until TEXT", typed=True) == "ALTER TABLE outbox ADD COLUMN lease_until TIMESTAMPTZ"
    )
    assert to_postgres("ALTER TABLE a ADD COLUMN paused INTEGER NOT NULL DEFAULT 1", typed=True) == (
        "ALTER TABLE a ADD COLUMN paused BOOLEAN NOT NULL DEFAULT TRUE"
    )
    assert to_postgres(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, expires_at TEXT NOT NULL, period TEXT, n INTEGER DEFAULT 0)", typed=True
    ) == (
        "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, expires_at DATE NOT NULL, period TEXT, n BIGINT DEFAULT 0)"
    )
    assert to_postgres("ALTER TABLE outbox ADD COLUMN lease_until TEXT") == "ALTER TABLE outbox ADD COLUMN lease_until TEXT"


def _old_deployment(url: str) -> None:
    """A database as migrations 1–16 and 24 left it before migration 25 (one schema_version row), with rows."""
    conn = PgConnection.connect(url)
    try:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        conn.execute("CREATE TABLE schema_version (version BIGINT NOT NULL)")
        for version, _, fn in MIGRATIONS:
            if version > 16 and version != 24:
                continue
            conn.execute("BEGIN")
            fn(_TranslatingConnection(conn))
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
            conn.execute("COMMIT")
        assert conn.execute("SELECT data_type FROM information_schema.columns WHERE column_name = 'paused'").fetchone()[0] == "bigint"
        actor = conn.execute(
            "INSERT INTO actors (kind, name, commune_code, place, themes, consent_matching, paused, is_demo, early_alerts,"
            " last_early_alert, created_at, updated_at) VALUES ('association', 'Asso', '69266', '{\"label\":\"V\"}', '[]',"
            " 1, 1, 0, 0, ?, ?, '2026-11-30T09:15:30.250000+00:00') RETURNING id",
            (NOW, NOW),
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO identities (platform, user_id, chat_id, actor_id, unreachable, created_at) VALUES ('test', 'u1', 'c1', ?, 1, ?)",
            (actor, NOW),
        )
        conn.execute(
            "INSERT INTO listings (actor_id, kind, category, description, zone_kind, zone_code, zone_label, expires_at,"
            " created_at, updated_at) VALUES (?, 'need', 'x', 'd', 'commune', '69266', 'V', '2027-03-01', ?, ?)",
            (actor, NOW, NOW),
        )
        conn.execute(
            "INSERT INTO outbox (platform, chat_id, actor_id, payload, not_before, created_at, lease_until)"
            " VALUES ('test', 'c1', ?, '{}', ?, ?, NULL), ('test', 'c1', ?, '{}', ?, ?, ?)",
            (actor, HELD, NOW, actor, NOW, NOW, "2026-11-30T08:05:00+00:00"),
        )
        conn.execute(
            "INSERT INTO coordinators (platform, user_id, area_kind, area_code, area_label, invite_code, created_at, created_by,"
            " weekly_todo) VALUES ('test', 'u1', 'commune', '69266', 'V', 'abc', ?, 'cli', 0)",
            (NOW,),
        )
    finally:
        conn.close()


@pytest.mark.postgresql_only
async def test_migration_25_converts_an_existing_deployment_with_its_rows(db_path: str) -> None:
    await asyncio.to_thread(_old_deployment, db_path)
    async with open_database(db_path) as db:  # applies 25 (the real types) to a deployment at 24
        columns = await db.run(_pg_columns)
        actor = await db.run(
            lambda c: tuple(
                c.execute(
                    "SELECT consent_matching, paused, is_demo, early_alerts, consent_calls, last_early_alert, created_at, updated_at"
                    " FROM actors"
                ).fetchone()
            )
        )
        listing = await db.run(lambda c: tuple(c.execute("SELECT expires_at, created_at FROM listings").fetchone()))
        documents = await db.run(lambda c: tuple(c.execute("SELECT place, themes FROM actors").fetchone()))
        outbox = await db.run(lambda c: [tuple(r) for r in c.execute("SELECT not_before, lease_until FROM outbox ORDER BY id")])
        held = await db.run(
            lambda c: c.execute("SELECT count(*) FROM outbox WHERE not_before = ? AND status = 'pending'", (HELD,)).fetchone()[0]
        )
        index = await db.run(lambda c: c.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'outbox_held'").fetchone()[0])
        flags = await db.run(
            lambda c: (
                c.execute("SELECT unreachable FROM identities").fetchone()[0],
                c.execute("SELECT weekly_todo FROM coordinators").fetchone()[0],
                c.execute("SELECT count(*) FROM actors WHERE paused = TRUE AND is_demo = ?", (False,)).fetchone()[0],
            )
        )
        versions = await db.run(lambda c: [r[0] for r in c.execute("SELECT version FROM schema_version ORDER BY 1")])
    assert _type_problems(columns) == []
    assert actor == (1, 1, 0, 0, 0, NOW, NOW, "2026-11-30T09:15:30.250000+00:00")
    assert listing == ("2027-03-01", NOW)
    assert documents == ('{"label": "V"}', "[]")
    assert outbox == [(HELD, None), (NOW, "2026-11-30T08:05:00+00:00")]
    assert held == 1
    assert "WHERE" in index and "lease_until" in index
    assert flags == (1, 0, 1)
    assert 25 in versions and 24 in versions


async def test_reads_give_the_same_values_on_both_engines(db_path: Path | str) -> None:
    """Flags as 0/1, moments as core.clock.iso text, days as ISO dates, on SQLite and PostgreSQL."""
    async with open_database(db_path) as db:

        def arrange(conn: Any) -> tuple[Any, ...]:
            actor = conn.execute(
                "INSERT INTO actors (kind, name, commune_code, place, consent_matching, paused, created_at, updated_at)"
                " VALUES ('association', 'A', '1', '{}', ?, FALSE, ?, ?) RETURNING id",
                (True, NOW, NOW),
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO listings (actor_id, kind, category, description, zone_kind, zone_code, zone_label, expires_at,"
                " created_at, updated_at) VALUES (?, 'need', 'x', 'd', 'commune', '1', 'l', '2027-03-01', ?, ?)",
                (actor, NOW, NOW),
            )
            row = conn.execute(
                "SELECT a.consent_matching, a.paused, a.early_alerts, a.created_at, l.expires_at, max(l.created_at)"
                " FROM actors a JOIN listings l ON l.actor_id = a.id WHERE a.consent_matching = TRUE AND l.created_at >= ?"
                " GROUP BY a.id, l.expires_at",
                ("2026-11-30T07:59:59+00:00",),
            ).fetchone()
            return tuple(row)

        assert await db.transaction(arrange) == (1, 0, 1, NOW, "2027-03-01", NOW)


@pytest.mark.postgresql_only
def test_moments_read_as_utc_iso_text_whatever_the_session_time_zone(db_path: str) -> None:
    conn = PgConnection.connect(db_path)
    try:
        conn.execute("SET TimeZone = 'Europe/Paris'")
        row = conn.execute(
            "SELECT CAST('2026-11-30T08:00:00+00:00' AS timestamptz), CAST('2026-07-01T23:30:00.5+02:00' AS timestamptz),"
            " CAST('2027-03-01' AS date), TRUE, FALSE"
        ).fetchone()
    finally:
        conn.close()
    assert tuple(row) == (NOW, "2026-07-01T21:30:00.500000+00:00", "2027-03-01", 1, 0)
