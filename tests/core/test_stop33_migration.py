"""A pause's end (``actors.paused_until``) reaches the SQLite databases that existed before it: SQLite's schema version
is one number (``PRAGMA user_version``), so a migration numbered below the highest one applied (104 beside 111) would
never run on them, and loading an actor would then fail on the missing column."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import migrations

BEFORE_PAUSE_ENDS = 111
"""The newest schema of the release before pauses had an end."""


def test_a_database_of_the_previous_release_gets_the_pause_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", [m for m in migrations.MIGRATIONS if m[0] <= BEFORE_PAUSE_ENDS])
        migrations.migrate(conn)
    assert migrations.current_version(conn) == BEFORE_PAUSE_ENDS
    assert "paused_until" not in {row[1] for row in conn.execute("PRAGMA table_info(actors)")}
    applied = migrations.migrate(conn)
    assert applied and min(applied) > BEFORE_PAUSE_ENDS, applied
    assert "paused_until" in {row[1] for row in conn.execute("PRAGMA table_info(actors)")}
    assert migrations.current_version(conn) == migrations.latest_version()
    conn.close()


def test_migrations_are_declared_in_increasing_order() -> None:
    versions = [version for version, _, _ in migrations.MIGRATIONS]
    assert versions == sorted(versions) and len(set(versions)) == len(versions), versions
