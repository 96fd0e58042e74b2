"""A paced, retrying send queue: a few workers, messages to one room kept in order, rooms served in turn.

The homeserver limits the bot's messages as a whole (Synapse's ``rc_message`` counts per sender,
not per room: see docs/matrix.md), so one room's backlog (a flood's answers, a group room, the
many deliveries of one call) must not take every slot: each room with messages waiting gets one
delivery in turn (round robin over the rooms, each room's own messages in order), so a reply to
someone else waits for at most one delivery per busy room, never for a whole backlog.

A delivery is an async callable that performs the requests of one reply and signals what went
wrong with :class:`RateLimited` (wait as told, then run it again: never lost),
:class:`Unreachable` (exponential backoff until the deadline, then
:class:`~core.errors.TemporaryDeliveryError`) or a :class:`~core.errors.DeliveryError` (given to
the caller as is). Deliveries call :meth:`SendQueue.pace` before each request.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from core.errors import DeliveryError, TemporaryDeliveryError

__all__ = ["RateLimited", "SendQueue", "Unreachable"]

log = logging.getLogger(__name__)

Delivery = Callable[[], Awaitable[None]]
Sleep = Callable[[float], Awaitable[None]]


class RateLimited(Exception):
    """The homeserver asked to wait ``retry_after`` seconds (M_LIMIT_EXCEEDED)."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited, retry after {retry_after:.3f}s")
        self.retry_after = retry_after


class Unreachable(Exception):
    """The homeserver could not be reached or failed (network error, 5xx)."""


@dataclass(slots=True)
class _Job:
    deliver: Delivery
    label: str
    submitted: float
    future: asyncio.Future[None] = field(repr=False)
    lane: str = ""


class SendQueue:
    """Run deliveries, at most ``rate_per_second`` requests per second.

    ``workers`` deliveries run at once (the homeserver persists concurrent events together),
    but never two of the same ``lane`` (a room): a lane's deliveries keep their order, and the
    lanes with deliveries waiting take turns (one delivery each, round robin).
    """

    def __init__(
        self,
        rate_per_second: float,
        workers: int = 4,
        retry_deadline: float = 60.0,
        backoff_initial: float = 0.25,
        backoff_max: float = 2.0,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate_per_second = rate_per_second
        self.retry_deadline = retry_deadline
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self._sleep = sleep
        self._clock = clock
        self._burst = max(1.0, rate_per_second)
        self._tokens = self._burst
        self._refilled = clock()
        self._lanes: dict[str, deque[_Job]] = {}
        """Deliveries waiting, per lane (room), in submission order."""
        self._turns: deque[str] = deque()
        """Lanes with a delivery waiting and none running, in the order they get their next turn."""
        self._busy: set[str] = set()
        """Lanes with a delivery running."""
        self._changed = asyncio.Condition()
        self._unfinished = 0
        self._workers: list[asyncio.Task[None]] = []
        self._worker_count = max(1, workers)
        self._pacing = asyncio.Lock()
        self._closed = False

    def start(self) -> None:
        """Start the worker tasks."""
        if not self._workers:
            self._closed = False
            self._workers = [asyncio.create_task(self._work(), name=f"matrix-send-{n}") for n in range(self._worker_count)]

    async def submit(self, deliver: Delivery, label: str = "message", lane: str = "") -> None:
        """Queue ``deliver`` and wait until it is done (or raises a DeliveryError)."""
        if self._closed or not self._workers:
            raise TemporaryDeliveryError("Matrix adapter is not running", retry_after=5.0)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        async with self._changed:
            waiting = self._lanes.setdefault(lane, deque())
            if not waiting and lane not in self._busy:
                self._turns.append(lane)
            waiting.append(_Job(deliver, label, self._clock(), future, lane))
            self._unfinished += 1
            self._changed.notify_all()
        await future

    async def pace(self) -> None:
        """Wait for a token of the rate limit (call before each request)."""
        async with self._pacing:
            now = self._clock()
            self._tokens = min(self._burst, self._tokens + (now - self._refilled) * self.rate_per_second)
            self._refilled = now
            if self._tokens < 1.0:
                await self._sleep((1.0 - self._tokens) / self.rate_per_second)
                self._tokens = 1.0
                self._refilled = self._clock()
            self._tokens -= 1.0

    async def stop(self, timeout: float = 10.0) -> None:
        """Refuse new deliveries, let queued ones finish for up to ``timeout`` s, stop the worker."""
        self._closed = True
        if not self._workers:
            return
        try:
            async with asyncio.timeout(timeout):
                async with self._changed:
                    await self._changed.wait_for(lambda: self._unfinished == 0)
        except TimeoutError:
            log.warning("Matrix send queue: %d message(s) still queued at stop", self._unfinished)
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers = []
        for waiting in self._lanes.values():
            for job in waiting:
                if not job.future.done():
                    job.future.set_exception(TemporaryDeliveryError("Matrix adapter stopped", retry_after=5.0))
        self._lanes.clear()
        self._turns.clear()
        self._busy.clear()
        self._unfinished = 0

    async def _next(self) -> _Job:
        """The next delivery: the first waiting one of the lane whose turn it is."""
        async with self._changed:
            await self._changed.wait_for(lambda: bool(self._turns))
            lane = self._turns.popleft()
            self._busy.add(lane)
            return self._lanes[lane].popleft()

    async def _finished(self, job: _Job) -> None:
        """A delivery ended: its lane goes to the back of the turns if more of it waits."""
        async with self._changed:
            self._busy.discard(job.lane)
            if self._lanes.get(job.lane):
                self._turns.append(job.lane)
            else:
                self._lanes.pop(job.lane, None)
            self._unfinished -= 1
            self._changed.notify_all()

    async def _work(self) -> None:
        while True:
            job = await self._next()
            try:
                if not job.future.done():
                    await self._run(job)
                    if not job.future.done():
                        job.future.set_result(None)
            except DeliveryError as exc:
                if not job.future.done():
                    job.future.set_exception(exc)
            except asyncio.CancelledError:
                if not job.future.done():
                    job.future.set_exception(TemporaryDeliveryError("Matrix adapter stopped", retry_after=5.0))
                raise
            except Exception as exc:  # a bug or an unexpected library error: never kill the worker
                log.exception("Matrix send queue: unexpected error while sending %s", job.label)
                if not job.future.done():
                    job.future.set_exception(TemporaryDeliveryError(f"unexpected error: {type(exc).__name__}"))
            finally:
                await asyncio.shield(self._finished(job))

    async def _run(self, job: _Job) -> None:
        delay = self.backoff_initial
        deadline = job.submitted + self.retry_deadline
        while True:
            try:
                await job.deliver()
                return
            except RateLimited as exc:
                log.warning("Matrix: rate limited while sending %s, retrying in %.2fs", job.label, exc.retry_after)
                await self._sleep(exc.retry_after)
            except Unreachable as exc:
                remaining = deadline - self._clock()
                if remaining <= 0:
                    raise TemporaryDeliveryError(f"homeserver unreachable: {exc}", retry_after=delay) from exc
                wait = min(delay, remaining)
                log.warning("Matrix: homeserver unreachable (%s), retrying %s in %.2fs", exc, job.label, wait)
                await self._sleep(wait)
                delay = min(delay * 2, self.backoff_max)
