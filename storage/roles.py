"""The PostgreSQL side of worker roles: a connection of its own holding a session advisory lock.

:mod:`bot.leadership` decides when to try and what a role runs; this module owns the connection
settings and the statements (storage owns every SQL statement).
"""

from __future__ import annotations

from typing import Any


class RoleConnectionLost(Exception):
    """The role's connection failed: the lock, if held, is gone with it."""


async def connect(dsn: str, application_name: str, idle_timeout_ms: int) -> Any:
    """Open the autocommit connection a role's lock lives on.

    Keepalives on both sides: a vanished holder's connection (and lock) is closed by the server
    within ~25 s, a hung one's after ``idle_timeout_ms`` without its periodic check.
    """
    import psycopg

    try:
        conn = await psycopg.AsyncConnection.connect(
            dsn,
            autocommit=True,
            application_name=application_name[:63],
            connect_timeout=10,
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=5,
            keepalives_count=3,
        )
        for setting, value in (
            ("tcp_keepalives_idle", "10"),
            ("tcp_keepalives_interval", "5"),
            ("tcp_keepalives_count", "3"),
            ("idle_session_timeout", str(idle_timeout_ms)),
        ):
            await conn.execute("SELECT set_config(%s, %s, false)", (setting, value))
    except (psycopg.Error, OSError) as error:
        raise RoleConnectionLost(str(error)) from error
    return conn


async def try_lock(conn: Any, key: str) -> bool:
    """Take the session advisory lock named ``key`` if nobody holds it."""
    import psycopg

    try:
        cursor = await conn.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", (key,))
        row = await cursor.fetchone()
    except (psycopg.Error, OSError) as error:
        raise RoleConnectionLost(str(error)) from error
    return bool(row is not None and row[0])


async def still_alive(conn: Any) -> None:
    """Raise :class:`RoleConnectionLost` when the connection (hence the lock) is gone."""
    import psycopg

    try:
        await (await conn.execute("SELECT 1")).fetchone()
    except (psycopg.Error, OSError) as error:
        raise RoleConnectionLost(str(error)) from error


async def lock_holder(conn: Any, key: str) -> str | None:
    """The ``application_name`` of the session holding the advisory lock ``key`` in this database
    (None when no one does, or the server does not say)."""
    import psycopg

    try:
        cursor = await conn.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
            " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(%s, 0)",
            (key,),
        )
        row = await cursor.fetchone()
    except (psycopg.Error, OSError) as error:
        raise RoleConnectionLost(str(error)) from error
    return str(row[0]) if row is not None and row[0] is not None else None
