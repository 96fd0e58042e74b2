"""Shared fixtures: the territory resolver, a fresh app on a temporary database."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from services import round_worker
from storage.database import Database
from territories import Resolver, default_resolver
from tests.backends import PgDatabases, pg_server
from tests.core.people import Person, RecordingAdapter


@pytest.fixture(scope="session")
def territories() -> Resolver:
    return default_resolver()


def pytest_configure(config: pytest.Config) -> None:
    # Hundreds of suggestion rounds run in one test process: each forked from a warm server in
    # ~10 ms rather than a fresh interpreter's 1–2 s (tests/core/test_round_process.py runs the
    # bot's own "spawn" too).
    round_worker.START_METHOD = "forkserver"
    config.addinivalue_line("markers", "backends: run the module's database tests on SQLite and on PostgreSQL")
    config.addinivalue_line("markers", "sqlite_only: a test about SQLite itself (files, pragmas, plans)")
    config.addinivalue_line("markers", "postgresql_only: a test about PostgreSQL itself (locks, EXPLAIN, batches)")


def pytest_sessionstart(session: pytest.Session) -> None:
    """With ``TRAITDUNION_TEST_PG`` set, PostgreSQL must answer: the run fails, it does not skip."""
    server = pg_server()
    if server is None:
        return
    import psycopg

    try:
        with psycopg.connect(server, connect_timeout=10) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        pytest.exit(f"PostgreSQL does not answer at {server} (TRAITDUNION_TEST_PG): {error}", returncode=1)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``backend`` is "sqlite", and also "postgresql" in modules marked ``backends`` when a server is given."""
    if "backend" not in metafunc.fixturenames:
        return
    names = ["sqlite"]
    wanted = metafunc.definition.get_closest_marker("backends") is not None
    if wanted and pg_server() and metafunc.definition.get_closest_marker("sqlite_only") is None:
        names.append("postgresql")
    if metafunc.definition.get_closest_marker("postgresql_only") is not None:
        names = [name for name in names if name == "postgresql"]
    metafunc.parametrize("backend", names)


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[PgDatabases | None]:
    server = pg_server()
    if server is None:
        yield None
        return
    databases = PgDatabases(server)
    yield databases
    databases.close()


@pytest.fixture
def db_path(tmp_path: Path, backend: str, pg_databases: PgDatabases | None) -> Iterator[Path | str]:
    """The test's database: a file path on SQLite, a throw-away database's URL on PostgreSQL."""
    if backend == "sqlite":
        yield tmp_path / "traitdunion.db"
        return
    assert pg_databases is not None
    url = pg_databases.create()
    try:
        yield url
    finally:
        pg_databases.drop(url)


@pytest.fixture
def adapter() -> RecordingAdapter:
    return RecordingAdapter()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with every migration applied, made once per session."""
    path = tmp_path_factory.mktemp("template") / "traitdunion.db"

    async def migrate() -> None:
        async with Database(path):
            pass

    asyncio.run(migrate())
    assert not path.with_name(path.name + "-wal").exists(), "the template's WAL was not folded in at close"
    return path


@pytest.fixture
async def app(db_path: Path | str, adapter: RecordingAdapter, territories: Resolver, sqlite_template: Path) -> AsyncIterator[App]:
    """The bot on the test's database, once the work started with it is done (the catch-up round). On SQLite
    the file starts as a copy of the migrated template (0.01 s instead of 0.09 s of migrations per test)
    unless the test wrote one there already."""
    if isinstance(db_path, Path) and not db_path.exists():
        shutil.copyfile(sqlite_template, db_path)
    application = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories)
    await application.start()
    await application.caught_up()  # the round a fresh database "missed" never lands in the middle of a test
    yield application
    await application.stop()


@pytest.fixture
def person(app: App, adapter: RecordingAdapter) -> Callable[..., Person]:
    def make(user_id: str = "alice", language_code: str | None = "fr") -> Person:
        return Person(app.runtime, adapter, user_id, language_code)

    return make
