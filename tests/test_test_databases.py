"""The test harness's PostgreSQL databases (tests/backends.py): a database a test is done with is
handed to the next test empty, with its sequences restarted, and only when its schema is still the
template's; SQLite tests start from a copy of the migrated template file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from tests.backends import PgDatabases, connect

pytestmark = pytest.mark.backends

AUDIT = "INSERT INTO audit_log (at, who, action) VALUES ('2026-12-02T08:00:00+00:00', 'cli', 'test') RETURNING id"


def _name(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _exists(databases: PgDatabases, name: str) -> bool:
    with connect(databases.server) as conn:
        return bool(conn.execute("SELECT count(*) FROM pg_database WHERE datname = ?", (name,)).fetchone()[0])


@pytest.mark.postgresql_only
def test_a_used_database_comes_back_empty_with_its_ids_restarted(backend: str, pg_databases: PgDatabases) -> None:
    url = pg_databases.create()
    with connect(url) as conn:
        first = conn.execute(AUDIT).fetchone()[0]
        conn.execute(AUDIT)
        conn.execute("INSERT INTO matching_state (key, value) VALUES ('k', 'v')")
    pg_databases.drop(url)

    again = pg_databases.create()
    try:
        assert _name(again) == _name(url)  # the same database, recycled
        with connect(again) as conn:
            assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0
            assert conn.execute("SELECT count(*) FROM matching_state").fetchone()[0] == 0
            assert conn.execute(AUDIT).fetchone()[0] == first
            assert conn.execute("SELECT count(*) FROM schema_version").fetchone()[0] > 0  # the migrations stay recorded
    finally:
        pg_databases.drop(again)


@pytest.mark.postgresql_only
def test_a_database_whose_schema_changed_is_dropped_not_reused(backend: str, pg_databases: PgDatabases) -> None:
    url = pg_databases.create()
    with connect(url) as conn:
        conn.execute("ALTER TABLE audit_log ADD COLUMN extra TEXT")
    pg_databases.drop(url)

    assert not _exists(pg_databases, _name(url))
    fresh = pg_databases.create()
    try:
        assert _name(fresh) != _name(url)
        with connect(fresh) as conn:
            columns = conn.execute(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'audit_log' AND column_name = 'extra'"
            ).fetchone()[0]
            assert columns == 0
    finally:
        pg_databases.drop(fresh)


@pytest.mark.postgresql_only
def test_a_connection_left_open_does_not_keep_its_rows(backend: str, pg_databases: PgDatabases) -> None:
    url = pg_databases.create()
    left = connect(url)
    conn = left.__enter__()
    conn.execute(AUDIT)
    conn.execute("BEGIN")
    conn.execute("LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE")  # a test that ends in the middle of a transaction
    pg_databases.drop(url)

    again = pg_databases.create()
    try:
        with connect(again) as fresh:
            assert fresh.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0
    finally:
        pg_databases.drop(again)
        try:
            left.__exit__(None, None, None)
        except Exception:  # noqa: BLE001 - its backend was ended by the harness
            pass


@pytest.mark.sqlite_only
async def test_the_app_fixture_starts_on_a_migrated_copy(backend: str, db_path: Path, app: App) -> None:
    from storage.migrations import latest_version

    with connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
        assert conn.execute("SELECT count(*) FROM actors").fetchone()[0] == 0
