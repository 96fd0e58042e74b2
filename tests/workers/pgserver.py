"""Throw-away PostgreSQL databases for the several-workers tests (named ``tdu_workers_<pid>_<n>``).

The server is ``TRAITDUNION_TEST_PG`` (default: 127.0.0.1:5432, user postgres). When it cannot
be reached the tests skip, or fail when ``TRAITDUNION_REQUIRE_E2E=1`` (CI).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

SERVER = os.environ.get("TRAITDUNION_TEST_PG") or "postgresql://postgres@127.0.0.1:5432/postgres"
PREFIX = f"tdu_workers_{os.getpid()}_"
_counter = itertools.count()


def _url(name: str) -> str:
    import psycopg

    info = psycopg.conninfo.conninfo_to_dict(SERVER)
    info["dbname"] = name
    return _as_url(info)


def _as_url(info: dict[str, object]) -> str:
    user = info.get("user", "postgres")
    password = f":{info['password']}" if info.get("password") else ""
    host = info.get("host", "127.0.0.1")
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user}{password}@{host}{port}/{info['dbname']}"


def require_server() -> None:
    """Skip (or fail, with TRAITDUNION_REQUIRE_E2E=1) when no PostgreSQL server answers."""
    import psycopg

    try:
        with psycopg.connect(SERVER, connect_timeout=3):
            pass
    except psycopg.Error as error:
        message = f"PostgreSQL not reachable at {SERVER}: {error}"
        if os.environ.get("TRAITDUNION_REQUIRE_E2E") == "1":
            pytest.fail(message)
        pytest.skip(message)


def create_database() -> str:
    """A new empty database on the server; its URL."""
    import psycopg

    require_server()
    name = f"{PREFIX}{next(_counter)}"
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return _url(name)


def drop_database(url: str) -> None:
    """Drop the database of ``url`` (closing what still connects to it)."""
    import psycopg

    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url() -> Iterator[str]:
    """An empty PostgreSQL database for one test, dropped after it."""
    url = create_database()
    try:
        yield url
    finally:
        drop_database(url)
