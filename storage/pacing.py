"""Send rates shared by every worker: one virtual schedule per key in ``send_pacing`` (GCRA).

Each send reserves its slot with one upsert per limit: the key's *theoretical arrival time*
``tat`` becomes ``max(tat, now) + interval``, and the send may start at ``tat - interval -
tolerance`` (``tolerance``: the burst allowed beyond the steady rate). Workers on different
machines read their own clocks (seconds since the epoch, kept in step by NTP).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storage.dialect import greatest


def reserve(conn: Any, limits: Sequence[tuple[str, float, float]], now: float, refill: Sequence[str] = ()) -> float:
    """Reserve one send under each ``(key, interval seconds, tolerance seconds)``; return how long to wait first.

    ``refill``: keys whose schedule starts afresh now (a whole burst again: the person just wrote).
    """
    for key in refill:
        conn.execute("UPDATE send_pacing SET tat = ? WHERE key = ? AND tat > ?", (now, key, now))
    wait = 0.0
    for key, interval, tolerance in limits:
        row = conn.execute(
            "INSERT INTO send_pacing (key, tat) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
            f" SET tat = {greatest(conn, 'send_pacing.tat + ?', 'excluded.tat')} RETURNING tat",
            (key, now + interval, interval),
        ).fetchone()
        wait = max(wait, float(row[0]) - interval - tolerance - now)
    return wait
