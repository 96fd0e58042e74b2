"""The paced send queue of the Telegram adapter.

Telegram allows about 30 messages per second overall and about one per second per chat
(short bursts tolerated); beyond that it answers 429 with ``retry_after``. Every call that
targets a chat goes through :class:`SendQueue`:

- one lane per chat: calls to a chat run in order (FIFO lock), other chats are not blocked;
- per chat, a token bucket (``rate_per_chat``, burst ``chat_burst``); when the person writes,
  :meth:`SendQueue.person_wrote` refills it, so that the reply to what they wrote (often two or
  three messages: a confirmation and the next question) goes out at once, however fast the
  conversation goes; what the bot sends on its own (notifications, calls) after a burst is paced
  at ``rate_per_chat`` — sustained sends are what Telegram's per-chat limit is about;
- overall, at most ``rate_per_second`` calls in any window of about one second;
- ``RetryAfter`` (429): wait ``retry_after`` then retry the same call (never dropped);
- ``NetworkError``/``TimedOut``: retry with exponential backoff a few times, then
  :class:`~core.errors.TemporaryDeliveryError`;
- ``Forbidden`` (403, bot blocked) or "chat not found": :class:`~core.errors.PermanentDeliveryError`.

The clock and the sleep function are injectable so that tests check the pacing without
waiting.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from core.errors import PermanentDeliveryError, TemporaryDeliveryError

T = TypeVar("T")
Call = Callable[[], Awaitable[Any]]

log = logging.getLogger(__name__)

_PERMANENT_BAD_REQUESTS = ("chat not found", "user not found", "peer_id_invalid", "user is deactivated")


WINDOW_SECONDS = 1.02
"""Sliding window of the overall cap (a little over 1 s: transport delays must not push two
calls of consecutive windows into one second as Telegram counts them)."""


class TokenBucket:
    """A token bucket that hands out reservations: ``reserve()`` returns how long to wait."""

    __slots__ = ("_clock", "_stamp", "_tokens", "burst", "rate")

    def __init__(self, rate: float, burst: float, clock: Callable[[], float]) -> None:
        self.rate = rate
        self.burst = max(burst, 1.0)
        self._clock = clock
        self._tokens = self.burst
        self._stamp = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def reserve(self) -> float:
        """Take one token (possibly on credit) and return the delay before using it."""
        self._refill()
        self._tokens -= 1.0
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def refill(self) -> None:
        """Give back a whole burst (what is owed by reservations already made stays owed)."""
        self._refill()
        self._tokens = min(self.burst, self._tokens + self.burst)

    def full(self) -> bool:
        """True when the bucket is back to its burst (nobody waits on it)."""
        self._refill()
        return self._tokens >= self.burst


@dataclass(slots=True)
class _Lane:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


def retry_after_seconds(exc: RetryAfter) -> float:
    """``exc.retry_after`` in seconds, whichever type this PTB version gives."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    return float(value)


class SendQueue:
    """Run API calls per chat, in order, paced, with retries (see the module docstring)."""

    def __init__(
        self,
        rate_per_second: float = 30.0,
        rate_per_chat: float = 1.0,
        *,
        chat_burst: float = 3.0,
        max_rate_limited: int = 5,
        network_retries: int = 3,
        backoff: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        shared: Callable[[str, bool], Awaitable[float]] | None = None,
    ) -> None:
        self.rate_per_second = rate_per_second
        self.rate_per_chat = rate_per_chat
        self.shared = shared
        """Several workers: reserves the send's slot in the rates they share (given whether the person
        just wrote in the chat); returns the seconds to wait."""
        self._wrote: set[str] = set()
        self.chat_burst = chat_burst
        self.max_rate_limited = max_rate_limited
        self.network_retries = network_retries
        self.backoff = backoff
        self._clock = clock
        self._sleep = sleep
        # Overall pacing is a sliding log of call starts: at most the configured rate in ANY
        # window of WINDOW_SECONDS (a token bucket lets twice the rate through in the first second
        # after a quiet spell: a full bucket plus its refill).
        self._window_limit = max(1, int(rate_per_second))
        self._starts: deque[float] = deque()
        self._buckets: dict[str, TokenBucket] = {}
        self._lanes: dict[str, _Lane] = {}
        self._idle = asyncio.Event()
        self._idle.set()
        self._in_flight = 0
        self.sent = 0
        self.rate_limited = 0

    async def run(self, chat_id: str, calls: Sequence[Call]) -> list[Any]:
        """Run ``calls`` one after the other in the lane of ``chat_id``; return their results."""
        lane = self._lanes.setdefault(chat_id, _Lane())
        lane.users += 1
        self._in_flight += 1
        self._idle.clear()
        try:
            async with lane.lock:
                return [await self._attempt(chat_id, call) for call in calls]
        finally:
            lane.users -= 1
            if lane.users == 0:
                del self._lanes[chat_id]
                self._prune(chat_id)
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    async def call(self, chat_id: str, call: Call) -> Any:
        """Run one call in the lane of ``chat_id``."""
        (result,) = await self.run(chat_id, [call])
        return result

    def person_wrote(self, chat_id: str) -> None:
        """The person wrote in ``chat_id``: the reply may use a whole burst again at once."""
        bucket = self._buckets.get(chat_id)
        if bucket is not None:
            bucket.refill()
        if self.shared is not None:
            self._wrote.add(chat_id)

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait until nothing is in flight; False if ``timeout`` expired first."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def _prune(self, chat_id: str) -> None:
        bucket = self._buckets.get(chat_id)
        if bucket is not None and bucket.full():
            del self._buckets[chat_id]

    async def _pace(self, chat_id: str) -> None:
        bucket = self._buckets.get(chat_id)
        if bucket is None:
            bucket = self._buckets[chat_id] = TokenBucket(self.rate_per_chat, self.chat_burst, self._clock)
        delay = bucket.reserve()
        if delay > 0:
            await self._sleep(delay)
        while True:
            now = self._clock()
            while self._starts and now - self._starts[0] >= WINDOW_SECONDS - 1e-9:
                self._starts.popleft()
            if len(self._starts) < self._window_limit:
                break
            await self._sleep(max(self._starts[0] + WINDOW_SECONDS - now, 1e-3))
        if self.shared is not None:  # the other workers' sends count too
            wrote = chat_id in self._wrote
            self._wrote.discard(chat_id)
            delay = await self.shared(chat_id, wrote)
            if delay > 0:
                await self._sleep(delay)
        self._starts.append(self._clock())

    async def _attempt(self, chat_id: str, call: Call) -> Any:
        rate_limited = 0
        failures = 0
        while True:
            await self._pace(chat_id)
            try:
                result = await call()
            except RetryAfter as exc:
                rate_limited += 1
                self.rate_limited += 1
                delay = retry_after_seconds(exc)
                if rate_limited > self.max_rate_limited:
                    raise TemporaryDeliveryError(f"chat {chat_id}: still rate limited", delay) from exc
                log.warning("chat %s: rate limited, retrying in %.1f s", chat_id, delay)
                await self._sleep(delay)
            except Forbidden as exc:
                raise PermanentDeliveryError(f"chat {chat_id}: {exc.message}") from exc
            except BadRequest as exc:
                if any(text in exc.message.lower() for text in _PERMANENT_BAD_REQUESTS):
                    raise PermanentDeliveryError(f"chat {chat_id}: {exc.message}") from exc
                raise
            except NetworkError as exc:  # includes TimedOut
                failures += 1
                if failures > self.network_retries:
                    raise TemporaryDeliveryError(f"chat {chat_id}: {exc.message}") from exc
                delay = self.backoff * 2 ** (failures - 1)
                log.warning("chat %s: %s, retrying in %.1f s", chat_id, exc.message, delay)
                await self._sleep(delay)
            else:
                self.sent += 1
                return result
