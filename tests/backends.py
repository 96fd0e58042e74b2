"""The storage backends the DB-touching tests run on: SQLite always, PostgreSQL when asked.

``TRAITDUNION_TEST_PG`` (e.g. ``postgresql://postgres@127.0.0.1:5432/postgres``, set by
``.ci/run``) names a server where each test gets a throw-away database, copied from a template
migrated once per session (``CREATE DATABASE … TEMPLATE``: instead of running every
migration). A database a test is done with is emptied and kept for the next test when its schema
is still the template's (``DELETE`` of every row and sequences restarted: ~35 ms, where a new
copy costs 0.2–0.8 s of the server's disk, most of a PostgreSQL test's time); otherwise it is
dropped. Databases are named ``tdu_test_<pid>_<n>`` and all dropped at the end of the session.

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
    """Creates, recycles and drops the throw-away databases of one test session."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.template = f"{PREFIX}template"
        self._ready = False
        self._shape = ""
        """The template's schema fingerprint: a database whose own differs is not reused."""
        self._free: list[str] = []
        """Emptied databases with the template's schema, ready for the next test."""
        self._made: set[str] = set()

    def _make_template(self) -> None:
        from storage.postgres import PostgresDatabase

        with _admin(self.server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.template}"')
            admin.execute(f'CREATE DATABASE "{self.template}"')

        async def migrate() -> None:
            async with PostgresDatabase(_with_database(self.server, self.template), writers=1, readers=1):
                pass

        asyncio.run(migrate())
        with _admin(_with_database(self.server, self.template)) as conn:
            self._shape = _shape(conn)
        self._ready = True

    def create(self) -> str:
        """A migrated database holding no row but the template's; its URL."""
        if not self._ready:
            self._make_template()
        if self._free:
            return _with_database(self.server, self._free.pop())
        name = f"{PREFIX}{next(_counter)}"
        with _admin(self.server) as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self._made.add(name)
        return _with_database(self.server, name)

    def drop(self, url: str) -> None:
        """Done with ``url``: emptied and kept if its schema is the template's, dropped otherwise.

        Whatever still connects to it is disconnected first (a test may leave a worker behind).
        """
        import psycopg

        name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
        try:
            with _admin(url) as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                if _shape(conn) == self._shape and _empty(conn):
                    self._free.append(name)
                    return
        except psycopg.Error:
            pass  # e.g. a backend still ending: a new copy is safer
        self._forget(name)

    def _forget(self, name: str) -> None:
        with _admin(self.server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._made.discard(name)

    def close(self) -> None:
        """Drop every database of the session and the template."""
        for name in list(self._made):
            self._forget(name)
        self._free.clear()
        if self._ready:
            with _admin(self.server) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')


_SHAPE = """
SELECT md5(concat_ws('|',
  (SELECT string_agg(x, ',' ORDER BY x) FROM (
     SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text || ':' || coalesce(a.attname, '') || ':'
            || coalesce(a.atttypid::text, '') || ':' || coalesce(a.attnotnull::text, '') || ':'
            || coalesce(pg_get_expr(d.adbin, d.adrelid), '') AS x
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
        AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%') AS columns),
  (SELECT string_agg(x, ',' ORDER BY x) FROM (
     SELECT conrelid::regclass::text || ':' || conname || ':' || pg_get_constraintdef(oid) AS x
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace) AS constraints),
  (SELECT string_agg(x, ',' ORDER BY x) FROM (
     SELECT indexrelid::regclass::text || ':' || pg_get_indexdef(indexrelid) AS x
       FROM pg_index JOIN pg_class c ON c.oid = indexrelid WHERE c.relnamespace = 'public'::regnamespace) AS indexes),
  (SELECT string_agg(x, ',' ORDER BY x) FROM (
     SELECT tgrelid::regclass::text || ':' || tgname || ':' || tgenabled::text AS x
       FROM pg_trigger WHERE NOT tgisinternal) AS triggers),
  (SELECT string_agg(x, ',' ORDER BY x) FROM (
     SELECT proname || ':' || md5(prosrc) AS x FROM pg_proc WHERE pronamespace = 'public'::regnamespace) AS functions),
  (SELECT string_agg(x, ',' ORDER BY x) FROM (
     SELECT sequencename || ':' || start_value || ':' || increment_by AS x FROM pg_sequences) AS sequences),
  (SELECT string_agg(x, ',' ORDER BY x) FROM (
     SELECT array_to_string(setconfig, ';') AS x FROM pg_db_role_setting
      WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())) AS settings),
  (SELECT string_agg(x, ',' ORDER BY x) FROM (SELECT row_to_json(v)::text AS x FROM schema_version v) AS versions)
))
"""
"""A database's schema (tables, columns, defaults, constraints, triggers, functions, sequences,
settings) and migration record, summed up: equal to the template's means only rows differ."""


def _shape(conn: Any) -> str:
    return str(conn.execute(_SHAPE).fetchone()[0])


def _empty(conn: Any) -> bool:
    """Delete every row but the migration record, restart the sequences; False if it could not."""
    import psycopg

    tables = [
        row[0]
        for row in conn.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables"
            " WHERE schemaname = 'public' AND tablename <> 'schema_version'"
        )
    ]
    sequences = [row[0] for row in conn.execute("SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences")]
    try:
        with conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")  # no trigger, no foreign-key order
            for table in tables:
                conn.execute(f"DELETE FROM {table}")
            for sequence in sequences:
                conn.execute(f"ALTER SEQUENCE {sequence} RESTART")
    except psycopg.Error:  # not a superuser, a lock still held: the database is dropped instead
        return False
    return True


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
