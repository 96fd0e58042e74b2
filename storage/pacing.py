"""Send rates shared by every worker: one virtual schedule per key in ``send_pacing`` (GCRA).

Each send reserves its slot with one upsert per limit: the key's *theoretical arrival time*
``tat`` becomes ``max(tat, now) + interval``, and the send may start at ``tat - interval -
tolerance`` (``tolerance``: the burst allowed beyond the steady rate). Workers on different
machines read their own clocks (seconds since the epoch, kept in step by NTP).

The flood gate of several workers (:class:`bot.fairness.SharedFloodGate`) keeps its per-person
schedule in the same table (``<platform>:person:<user id>``): :func:`arrive` admits an arrival or
counts it as refused, in one statement.
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


def person_key(platform: str, user_id: object) -> str:
    """The ``send_pacing`` key of a person's arrivals (the flood gate's schedule)."""
    return f"{platform}:person:{user_id}"


def arrive(conn: Any, key: str, now: float, interval: float, tolerance: float) -> int:
    """Record an arrival under ``key`` at ``now``; how many arrivals were refused in a row, this one included.

    GCRA, as :func:`reserve`, but deciding instead of waiting: the arrival is admitted (0 returned,
    the schedule moves by ``interval``) when the schedule is at most ``tolerance`` ahead of ``now``
    (a burst of ``tolerance / interval + 1``); otherwise the schedule stays and the refusal is counted
    (1: the first of a flood, ≥ 2: already told). One upsert: concurrent arrivals from several workers
    are serialised on the row, none is lost nor counted twice.
    """
    ahead = greatest(conn, "send_pacing.tat", "?")
    row = conn.execute(
        "INSERT INTO send_pacing (key, tat, refused) VALUES (?, ?, 0) ON CONFLICT (key) DO UPDATE SET"
        f" tat = CASE WHEN {ahead} <= ? THEN {ahead} + ? ELSE send_pacing.tat END,"
        f" refused = CASE WHEN {ahead} <= ? THEN 0 ELSE send_pacing.refused + 1 END"
        " RETURNING refused",
        (key, now + interval, now, now + tolerance, now, interval, now, now + tolerance),
    ).fetchone()
    return int(row[0])
