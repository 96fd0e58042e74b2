"""Locks that serialise transactions across processes (several workers on PostgreSQL)."""

from __future__ import annotations

from typing import Any

from storage.dialect import is_postgres


def lock_key(conn: Any, key: str) -> None:
    """Serialise the current transaction with every other one taking the same ``key`` (any process).

    On PostgreSQL a transaction-scoped advisory lock (``pg_advisory_xact_lock``, released at
    commit or rollback); on SQLite nothing: one process owns the file, its writer is unique
    and the runtime's in-process locks already serialise a person.
    """
    if is_postgres(conn):
        # sent with the transaction's next statement (its own round trip saved), taken before it runs
        conn.defer("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (key,))


class Busy(Exception):
    """Another transaction (another worker) holds the key: try again shortly."""


def try_lock_key(conn: Any, key: str) -> None:
    """Like :func:`lock_key` without waiting: raise :class:`Busy` when another transaction holds ``key``.

    A transaction that waited inside a group commit would hold up every other job of its batch
    (other people's steps): the caller rolls back and tries again instead. On PostgreSQL
    :class:`Busy` is raised by the transaction's next statement (the lock rides in its round
    trip): the caller must roll back on it, which it does anyway.
    """
    if is_postgres(conn):
        # sent with the transaction's next statement, which it precedes: when the lock is taken by
        # another, Busy comes from that call, and the caller's rollback undoes what it did
        conn.defer("SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))", (key,), guard=Busy(key))


def person_key(platform: str, user_id: str) -> str:
    """The lock key of one person's conversation."""
    return f"traitdunion:person:{platform}:{user_id}"
