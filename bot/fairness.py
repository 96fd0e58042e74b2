"""Per-person fairness: one person's flood never delays the others.

Every adapter asks :class:`FloodGate` when a person's event *arrives* (before it waits for
that person's earlier events): beyond a burst (``burst`` events within ``window`` seconds)
further events are dropped, the first of them with one "doucement…" reply. Together with
adapters that keep a person's waiting events out of the shared concurrency (one slot per
person at a time), a flooder occupies one slot and ``burst`` queued events at most.

Hand-written (a sliding log per person, ~40 lines) rather than a dependency: the counting is
what the ``limits`` package's moving window does, but the decision must be taken at once,
without waiting (``aiolimiter``-style limiters wait, which would still hold the event), and
the "warn once, then drop quietly" state is ours anyway.

Several workers (PostgreSQL, Telegram webhook: any worker may receive any update) each keeping
their own gate would let N × the burst through and send N "doucement…": there
:class:`SharedFloodGate` decides with a per-person schedule in the database (one upsert per
arrival, :func:`storage.pacing.arrive`). With SQLite (one process) the in-process gate is exact
and costs nothing: it stays.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Hashable
from enum import Enum
from typing import Any

from storage import pacing

log = logging.getLogger(__name__)

BURST = 20
WINDOW_SECONDS = 10.0
BACKDATE_SECONDS = 24 * 3600.0
"""How old a message may be and still count at the time it was written (Telegram keeps an update 24 hours):
a backlog fetched at once after a restart is counted at the pace it was written, not as a flood."""


class Admission(Enum):
    """What to do with an arriving event."""

    ADMIT = "admit"
    WARN = "warn"
    """Dropped; tell the person to slow down (once per flood)."""
    DROP = "drop"
    """Dropped silently (already told)."""


class FloodGate:
    """At most ``burst`` events per person within any ``window`` seconds."""

    def __init__(
        self,
        burst: int = BURST,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.burst = burst
        self.window = window
        self._clock = clock
        self._wall = wall
        self._arrivals: dict[Hashable, deque[float]] = {}
        self._warned: set[Hashable] = set()
        self._since_sweep = 0

    def __len__(self) -> int:
        return len(self._arrivals)

    def arrive(self, person: Hashable, sent_at: float | None = None) -> Admission:
        """Record an event of ``person`` arriving now; say whether to process it.

        ``sent_at``: when the person wrote it (seconds since the epoch, the platform's date), if
        known: a message that waited (the bot was down, its backlog is fetched at once) counts at
        the time it was written, so that what was written at a person's pace is not a flood.
        """
        clock = self._clock()
        self._sweep(clock)
        arrivals = self._arrivals.setdefault(person, deque())
        now = clock - _age(self._wall(), sent_at)
        if arrivals:
            now = max(now, arrivals[-1])  # in order, whatever the dates' resolution
        while arrivals and arrivals[0] <= now - self.window:
            arrivals.popleft()
        if len(arrivals) < self.burst:
            arrivals.append(now)
            self._warned.discard(person)
            return Admission.ADMIT
        if person in self._warned:
            return Admission.DROP
        self._warned.add(person)
        return Admission.WARN

    def _sweep(self, now: float) -> None:
        """Forget people whose last event left the window (bounded memory)."""
        self._since_sweep += 1
        if self._since_sweep < 1000:
            return
        self._since_sweep = 0
        for person in [p for p, arrivals in self._arrivals.items() if not arrivals or arrivals[-1] <= now - self.window]:
            del self._arrivals[person]
            self._warned.discard(person)


class SharedFloodGate:
    """The flood gate of several workers: a person's arrivals counted in the database they share.

    The same burst and window as :class:`FloodGate`, counted as a GCRA schedule (one arrival per
    ``window / burst`` seconds, ``burst`` at once): ``burst`` arrivals at once are admitted, then one
    every ``window / burst`` seconds; the first refused is a WARN, the next ones DROP, across workers.
    One small non-durable transaction per arrival (like :class:`bot.pacing.SharedPacing`). When the
    database cannot answer, the arrival is admitted (the step would need it anyway).
    """

    def __init__(
        self, db: Any, platform: str, burst: int = BURST, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.time
    ) -> None:
        self.db = db
        self.platform = platform
        self.burst = burst
        self.window = window
        self.interval = window / burst
        self.tolerance = (burst - 1) * self.interval + 1e-6  # float slack: the burst-th arrival of an instant is admitted
        self.clock = clock

    async def __call__(self, person: Hashable, sent_at: float | None = None) -> Admission:
        """Record an arrival of ``person`` now (seconds since the epoch: the workers' clocks agree), or
        when it was written (``sent_at``, see :meth:`FloodGate.arrive`)."""
        key = pacing.person_key(self.platform, person)
        clock = self.clock()
        now = clock - _age(clock, sent_at)
        try:
            refused = await self.db.transaction(lambda conn: pacing.arrive(conn, key, now, self.interval, self.tolerance), durable=False)
        except Exception:  # noqa: BLE001 - fail open: a message is never lost for want of counting it
            log.exception("could not count an arrival in the shared flood gate")
            return Admission.ADMIT
        if refused == 0:
            return Admission.ADMIT
        return Admission.WARN if refused == 1 else Admission.DROP


def _age(now: float, sent_at: float | None) -> float:
    """How long ago a message dated ``sent_at`` was written (0 when unknown, in the future or too old to trust)."""
    if sent_at is None:
        return 0.0
    age = now - sent_at
    return age if 0.0 < age <= BACKDATE_SECONDS else 0.0
