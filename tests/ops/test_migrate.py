"""Upgrades: ``traitdunion migrate --check`` says what is pending; a database written by a newer
version is refused by every command, with one line and nothing changed."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from storage.migrations import MIGRATIONS, latest_version
from tests.ops.conftest import traitdunion


def old_database(path: Path, up_to: int) -> Path:
    """A database as an older Trait d'union left it: only the migrations up to ``up_to``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for version, _, apply in MIGRATIONS:
            if version <= up_to:
                conn.execute("BEGIN")
                apply(conn)
                conn.execute(f"PRAGMA user_version = {version}")
                conn.execute("COMMIT")
    finally:
        conn.close()
    return path


def test_check_lists_pending_migrations_then_migrate_applies_them(tmp_path: Path) -> None:
    db = old_database(tmp_path / "data" / "bot.db", up_to=3)
    env = {"TRAITDUNION_DB": str(db), "TRAITDUNION_LANGUAGE": "en"}
    check = traitdunion("migrate", "--check", env=env)
    assert check.returncode == 1, check.stderr
    pending = [v for v, _, _ in MIGRATIONS if v > 3]
    assert check.stdout.splitlines()[0] == f"Schema version 3; {len(pending)} migrations pending up to {latest_version()}:"
    assert [line.split(":")[0].strip() for line in check.stdout.splitlines()[1:]] == [str(v) for v in pending]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (3,)  # --check changed nothing
    done = traitdunion("migrate", env=env)
    assert done.returncode == 0 and done.stdout.strip().endswith("Migrations applied."), done.stderr
    again = traitdunion("migrate", "--check", env=env)
    assert again.returncode == 0 and again.stdout.strip() == f"Schema up to date (version {latest_version()})."


def test_a_newer_schema_is_refused_everywhere_and_left_as_it_is(tmp_path: Path) -> None:
    db = old_database(tmp_path / "data" / "bot.db", up_to=latest_version())
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {latest_version() + 7}")
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    env = {"TRAITDUNION_DB": str(db), "TRAITDUNION_LANGUAGE": "en"}
    check = traitdunion("migrate", "--check", env=env)
    assert check.returncode == 2
    assert f"schema version {latest_version() + 7} is newer than this Trait d'union knows ({latest_version()})" in check.stderr
    for command in (["run"], ["suggest", "--dry-run"], ["migrate"]):
        done = traitdunion(*command, env=env)
        assert done.returncode == 2, (command, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Database error — {db}: schema version"), done.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_new_migrations_are_numbered_above_every_released_one() -> None:
    """SQLite applies the versions above ``PRAGMA user_version`` only: a file already at 24 (the
    highest number released before numbers 17–23 were reserved) would silently never run a new
    migration numbered below it. Every migration added since must come after all released ones."""
    from storage.migrations import _LEGACY

    released = max(_LEGACY)
    added = [version for version, _, _ in MIGRATIONS if version not in _LEGACY]
    assert all(version > released for version in added), added
