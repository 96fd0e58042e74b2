"""The storage backends the DB-touching tests run on: SQLite always, PostgreSQL when asked.

``TRAITDUNION_TEST_PG`` (e.g. ``postgresql://postgres@127.0.0.1:5432/postgres``, set by
``.ci/run``) names a server where each test gets a throw-away database, copied from a template
migrated once per session (``CREATE DATABASE … TEMPLATE``: milliseconds instead of running
every migration), and dropped after the test. Databases are named ``tdu_test_<pid>_<n>``.

A test module opts in with ``pytestmark = pytest.mark.backends``; its tests that use
``db_path`` (or ``app``) then run once per backend, like aiogram's storage tests.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

PG_ENV = "TRAITDUNION_TEST_PG"
PREFIX = f"tdu_test_{os.getpid()}_"
_counter = itertools.count()


def pg_server() -> str | None:
    """The server URL given in ``TRAITDUNION_TEST_PG``, if any."""
    return os.environ.get(PG_ENV) or None


def _with_database(url: str, name: str) -> str:
    import psycopg

    info = psycopg.conninfo.conninfo_to_dict(url)
    info["dbname"] = name
    return _to_url(info)


def _to_url(info: dict[str, Any]) -> str:
    user = info.get("user", "postgres")
    password = f":{info['password']}" if info.get("password") else ""
    host = info.get("host", "127.0.0.1")
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user}{password}@{host}{port}/{info['dbname']}"


def _admin(server: str) -> Any:
    import psycopg

    return psycopg.connect(server, autocommit=True)


class PgDatabases:
    """Creates and drops the throw-away databases of one test session."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.template = f"{PREFIX}template"
        self._ready = False

    def _make_template(self) -> None:
        from storage.postgres import PostgresDatabase

        with _admin(self.server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.template}"')
            admin.execute(f'CREATE DATABASE "{self.template}"')

        async def migrate() -> None:
            async with PostgresDatabase(_with_database(self.server, self.template), writers=1, readers=1):
                pass

        asyncio.run(migrate())
        self._ready = True

    def create(self) -> str:
        """A new migrated database; its URL."""
        if not self._ready:
            self._make_template()
        name = f"{PREFIX}{next(_counter)}"
        with _admin(self.server) as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return _with_database(self.server, name)

    def drop(self, url: str) -> None:
        """Drop the database of ``url`` (closing whatever still connects to it)."""
        import psycopg

        name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
        with _admin(self.server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        """Drop the template."""
        if self._ready:
            with _admin(self.server) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')


def is_pg(target: object) -> bool:
    """Whether ``target`` (a ``db_path``, or a connection) is PostgreSQL."""
    if getattr(target, "dialect", None) == "postgresql":
        return True
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


@contextmanager
def connect(target: object) -> Iterator[Any]:
    """A direct connection to the test database (SQLite file or PostgreSQL URL), committed and closed on exit.

    For tests that look at (or arrange) rows behind the bot's back; on PostgreSQL each statement
    commits by itself (autocommit).
    """
    if is_pg(target):
        from storage.postgres import PgConnection

        pg = PgConnection.connect(str(target), "traitdunion-test")
        try:
            yield pg
        finally:
            pg.close()
    else:
        conn = sqlite3.connect(str(target))
        try:
            with conn:
                yield conn
        finally:
            conn.close()


def integrity_errors() -> tuple[type[BaseException], ...]:
    """The exceptions a broken constraint raises, on either backend."""
    import psycopg

    return (sqlite3.IntegrityError, psycopg.IntegrityError)
