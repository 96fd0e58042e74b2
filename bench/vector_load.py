#!/usr/bin/env python3
"""Loading a round's stored vectors from SQLite: peak memory and CPU time.

    .venv/bin/python bench/vector_load.py [--listings 1000000]

Writes ``listings`` open listings and ``listings / 3`` actors with a stored vector (389-byte
blobs, as ``storage.embeddings`` stores them) in a temporary database, then loads them, each
way in a fresh process: with ``storage.embeddings.vectors`` (streamed into the int8 matrices)
and with the way it was done before (``fetchall`` of every row, then a ``bytearray`` copied to
``bytes``). Prints the peak RSS of each (the matrices themselves: 392 bytes per row).
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(path: str, n: int) -> None:
    import numpy as np

    from matching.vectors import encode_blob

    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(
        "CREATE TABLE listings (id INTEGER PRIMARY KEY, status TEXT);"
        "CREATE TABLE embeddings (owner TEXT NOT NULL, owner_id INTEGER NOT NULL, vector BLOB, PRIMARY KEY (owner, owner_id)) WITHOUT ROWID;"
    )
    rng = np.random.default_rng(1)
    blobs = [encode_blob(rng.normal(size=384), 0.2) for _ in range(256)]
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO listings VALUES (?, 'open')", ((i,) for i in range(1, n + 1)))
    conn.executemany("INSERT INTO embeddings VALUES ('listing', ?, ?)", ((i, blobs[i % 256]) for i in range(1, n + 1)))
    conn.executemany("INSERT INTO embeddings VALUES ('actor', ?, ?)", ((i, blobs[i % 256]) for i in range(1, n // 3 + 1)))
    conn.execute("COMMIT")
    conn.close()


def before(conn: sqlite3.Connection):
    """The loading of 17d2c74: every row fetched in a list, the matrix built through a bytes copy."""
    import numpy as np

    from matching.vectors import _HEADER, DIM, Vectors, decode_blob

    parts = []
    for query in (
        "SELECT e.owner_id, e.vector FROM embeddings e JOIN listings l ON l.id = e.owner_id WHERE e.owner = 'listing' AND l.status = 'open' AND e.vector IS NOT NULL",
        "SELECT owner_id, vector FROM embeddings WHERE owner = 'actor' AND vector IS NOT NULL",
    ):
        ids, hubs, data = [], [], bytearray()
        for owner, blob in sorted(conn.execute(query).fetchall(), key=lambda item: item[0]):
            decoded = decode_blob(blob)
            if decoded is None:
                continue
            ids.append(owner)
            hubs.append(decoded[1])
            data += blob[_HEADER.size :]
        matrix = np.frombuffer(bytes(data), dtype=np.int8).reshape(len(ids), DIM)
        parts.append((np.array(ids, dtype=np.int64), matrix, np.array(hubs, dtype=np.float32)))
    return Vectors(*parts[0], *parts[1])


def child(path: str, way: str) -> None:
    from storage.embeddings import vectors

    conn = sqlite3.connect(path)
    started = time.process_time()
    found = vectors(conn) if way == "now" else before(conn)
    cpu = time.process_time() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{way:7} {len(found.listing_ids):>9} listings + {len(found.actor_ids):>8} actors: matrices {found.nbytes / 2**20:.0f} MiB, "
        f"peak RSS {peak:.0f} MiB, CPU {cpu:.1f} s (load {os.getloadavg()[0]:.1f})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print(f"# load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "vectors.db")
        build(path, args.listings)
        for way in ("now", "before"):
            subprocess.run([sys.executable, __file__, "--child", path, way], check=True)
    print(f"# load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
