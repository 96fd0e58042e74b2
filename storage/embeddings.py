"""Stored meaning vectors of listings and profiles, and the queue of those to (re)compute.

``embeddings(owner, owner_id, vector)``: ``owner`` is ``listing`` or ``actor``; ``vector`` is
the blob of ``matching.vectors`` (NULL when the description says nothing: empty, emoji only).
Triggers (migration 7) queue a row in ``embedding_queue`` when a listing or a profile is
created or its description changes; a missing or corrupt vector is queued again by
:func:`queue_missing`. ``bot.embeddings`` computes what is queued.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from matching.vectors import BLOB_VERSION, DIM, Vectors

BLOB_SIZE = 5 + DIM
_TABLES = {"listing": "listings", "actor": "actors"}


def pending_count(conn: sqlite3.Connection) -> int:
    """How many vectors are waiting to be computed."""
    return int(conn.execute("SELECT COUNT(*) FROM embedding_queue").fetchone()[0])


def pending(conn: sqlite3.Connection, limit: int) -> list[tuple[str, int, str]]:
    """Up to ``limit`` queued (owner, id, description); queue entries of deleted rows are dropped."""
    rows = conn.execute(
        """
        SELECT q.owner, q.owner_id, COALESCE(l.description, a.description, ''), l.id IS NULL AND a.id IS NULL
        FROM embedding_queue q
        LEFT JOIN listings l ON q.owner = 'listing' AND l.id = q.owner_id
        LEFT JOIN actors a ON q.owner = 'actor' AND a.id = q.owner_id
        ORDER BY q.owner DESC, q.owner_id LIMIT ?
        """,
        (limit,),
    ).fetchall()
    gone = [(row[0], row[1]) for row in rows if row[3]]
    if gone:
        conn.executemany("DELETE FROM embedding_queue WHERE owner = ? AND owner_id = ?", gone)
    return [(row[0], row[1], row[2]) for row in rows if not row[3]]


def save(conn: sqlite3.Connection, computed: Iterable[tuple[str, int, str, bytes | None]]) -> int:
    """Store vectors computed for (owner, id, the text embedded); skip those whose text changed meanwhile."""
    saved = 0
    for owner, owner_id, text, blob in computed:
        table = _TABLES[owner]
        row = conn.execute(f"SELECT COALESCE(description, '') FROM {table} WHERE id = ?", (owner_id,)).fetchone()
        if row is None:
            conn.execute("DELETE FROM embedding_queue WHERE owner = ? AND owner_id = ?", (owner, owner_id))
            continue
        if row[0] != text:
            continue  # changed since it was read: stays queued, computed again next pass
        conn.execute(
            "INSERT INTO embeddings (owner, owner_id, vector) VALUES (?, ?, ?) "
            "ON CONFLICT (owner, owner_id) DO UPDATE SET vector = excluded.vector",
            (owner, owner_id, blob),
        )
        conn.execute("DELETE FROM embedding_queue WHERE owner = ? AND owner_id = ?", (owner, owner_id))
        saved += 1
    return saved


def queue_missing(conn: sqlite3.Connection) -> int:
    """Queue open listings and actors whose vector is missing or corrupt; return how many."""
    return queue(conn, missing(conn))


def missing(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """(owner, id) of the open listings and actors whose vector is missing or corrupt.

    A pass over every open listing and actor: the round runs it on the read-only connection,
    then queues the few it finds with :func:`queue` (the writer is not held meanwhile).
    """
    found: list[tuple[str, int]] = []
    for owner, table, where in (("listing", "listings", "t.status = 'open'"), ("actor", "actors", "1 = 1")):
        found += conn.execute(
            f"""
            SELECT '{owner}', t.id FROM {table} t
            LEFT JOIN embeddings e ON e.owner = '{owner}' AND e.owner_id = t.id
            WHERE {where} AND (
                e.owner_id IS NULL
                OR (e.vector IS NOT NULL AND (length(e.vector) != ? OR substr(e.vector, 1, 1) != ?))
            )
            """,
            (BLOB_SIZE, bytes([BLOB_VERSION])),
        ).fetchall()
    return [(str(owner), int(owner_id)) for owner, owner_id in found]


def queue(conn: sqlite3.Connection, items: list[tuple[str, int]]) -> int:
    """Queue these (owner, id) for their vectors; return how many were not queued yet."""
    before = conn.total_changes
    conn.executemany("INSERT INTO embedding_queue (owner, owner_id) VALUES (?, ?) ON CONFLICT DO NOTHING", items)
    return conn.total_changes - before


def vectors(conn: sqlite3.Connection) -> Vectors:
    """The vectors of open listings and of actors, as the matching engine takes them.

    Streamed from the cursors into the engine's int8 matrices (sized by a count first): no
    list of rows, no Python object per row (at a million listings, the list of fetched blobs
    alone took more memory than the matrix).
    """
    where_listings = (
        "FROM embeddings e JOIN listings l ON l.id = e.owner_id WHERE e.owner = 'listing' AND l.status = 'open' AND e.vector IS NOT NULL"
    )
    where_actors = "FROM embeddings WHERE owner = 'actor' AND vector IS NOT NULL"
    sizes = (
        conn.execute(f"SELECT COUNT(*) {where_listings}").fetchone()[0],
        conn.execute(f"SELECT COUNT(*) {where_actors}").fetchone()[0],
    )
    listings = conn.execute(f"SELECT e.owner_id, e.vector {where_listings} ORDER BY e.owner_id")
    actors = conn.execute(f"SELECT owner_id, vector {where_actors} ORDER BY owner_id")
    return Vectors.from_blobs(listings, actors, sizes=sizes)
