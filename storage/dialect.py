"""The few SQL spellings that differ between SQLite and PostgreSQL, as small helpers.

Repository functions write one statement for both engines; where the engines disagree
(scalar ``MIN``/``MAX`` of two values, JSON access, string aggregation, planner hints) they
call a helper with their connection, which returns the spelling of that connection's engine.
A connection says its engine with a ``dialect`` attribute (:class:`storage.postgres.PgConnection`
has ``"postgresql"``); a plain :class:`sqlite3.Connection` has none and is SQLite.

Nothing here imports a driver: the helpers return SQL text only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


def dialect(conn: Any) -> str:
    """``"sqlite"`` or ``"postgresql"``: the engine behind ``conn``."""
    return str(getattr(conn, "dialect", SQLITE))


def is_postgres(conn: Any) -> bool:
    """Whether ``conn`` talks to PostgreSQL."""
    return dialect(conn) == POSTGRESQL


def least(conn: Any, *expressions: str) -> str:
    """The smallest of several values (SQLite's scalar ``MIN(a, b)``, PostgreSQL's ``LEAST``)."""
    return f"{'LEAST' if is_postgres(conn) else 'MIN'}({', '.join(expressions)})"


def greatest(conn: Any, *expressions: str) -> str:
    """The largest of several values (SQLite's scalar ``MAX(a, b)``, PostgreSQL's ``GREATEST``)."""
    return f"{'GREATEST' if is_postgres(conn) else 'MAX'}({', '.join(expressions)})"


def group_concat(conn: Any, expression: str, separator: str = ",") -> str:
    """Aggregate text values joined by ``separator`` (a literal without quotes)."""
    quoted = "'" + separator.replace("'", "''") + "'"
    if is_postgres(conn):
        return f"string_agg(CAST({expression} AS TEXT), {quoted})"
    return f"group_concat({expression}, {quoted})"


def json_text(conn: Any, column: str, key: str) -> str:
    """The text of member ``key`` of the JSON object stored (as text) in ``column``."""
    if is_postgres(conn):
        return f"(CAST({column} AS jsonb) ->> '{key}')"
    return f"json_extract({column}, '$.{key}')"


def json_without(conn: Any, column: str, key: str) -> str:
    """The JSON text of ``column`` without its member ``key``."""
    if is_postgres(conn):
        return f"CAST(CAST({column} AS jsonb) - '{key}' AS TEXT)"
    return f"json_remove({column}, '$.{key}')"


def json_values(conn: Any, column: str, alias: str) -> str:
    """A FROM item: one row per element of the JSON array (text) in ``column``, as ``alias.value``."""
    if is_postgres(conn):
        return f"jsonb_array_elements_text(CAST({column} AS jsonb)) AS {alias}(value)"
    return f"json_each({column}) {alias}"


def indexed_by(conn: Any, index: str) -> str:
    """SQLite's ``INDEXED BY`` planner pin (PostgreSQL has no hints: nothing)."""
    return "" if is_postgres(conn) else f"INDEXED BY {index}"


def not_in(column: str, count: int) -> str:
    """``column NOT IN (?, …)`` for ``count`` values; ``TRUE`` for none (PostgreSQL rejects ``IN ()``)."""
    if count == 0:
        return "1 = 1"
    return f"{column} NOT IN ({', '.join('?' for _ in range(count))})"


def one_of(column: str, count: int) -> str:
    """``column IN (?, …)`` for ``count`` values; never true for none."""
    if count == 0:
        return "1 = 0"
    return f"{column} IN ({', '.join('?' for _ in range(count))})"


def contains(conn: Any, column: str) -> str:
    """A condition: the text of ``column`` contains the next parameter (``instr``/``strpos``, no pattern)."""
    return f"strpos({column}, ?) > 0" if is_postgres(conn) else f"instr({column}, ?) > 0"


def for_update(conn: Any, *, skip_locked: bool = False) -> str:
    """Row locks for a ``SELECT`` (after ``ORDER BY … LIMIT``): PostgreSQL's ``FOR UPDATE [SKIP LOCKED]``.

    Nothing on SQLite, whose single writer already serialises every write transaction.
    """
    if not is_postgres(conn):
        return ""
    return "FOR UPDATE SKIP LOCKED" if skip_locked else "FOR UPDATE"


def month_of(conn: Any, column: str) -> str:
    """The UTC month (``2026-11``) of the moment in ``column``: a ``timestamptz`` on PostgreSQL, ISO text on SQLite."""
    if is_postgres(conn):
        return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')"
    return f"substr({column}, 1, 7)"


def write_unread(conn: Any, sql: str, params: Sequence[Any] = ()) -> None:
    """Run a write whose result (row count, rows) the caller does not read.

    On PostgreSQL, inside a transaction, it rides with the transaction's next statement (no round
    trip of its own; its error comes from that call, in the same job); on SQLite it runs at once.
    """
    write = getattr(conn, "write", None)
    if write is None:
        conn.execute(sql, params)
    else:
        write(sql, params)


def write_unread_many(conn: Any, sql: str, rows: Iterable[Sequence[Any]]) -> None:
    """:func:`write_unread` for each parameter tuple of ``rows`` (SQLite: one ``executemany``)."""
    write = getattr(conn, "write", None)
    if write is None:
        conn.executemany(sql, rows)
    else:
        for params in rows:
            write(sql, params)
