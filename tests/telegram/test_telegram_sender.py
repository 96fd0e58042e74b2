"""The paced send queue (bot.adapters.telegram_sender), with a fake clock."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.adapters.telegram_sender import SendQueue, TokenBucket
from core.errors import PermanentDeliveryError, TemporaryDeliveryError
from tests.telegram.tg_fakes import FakeClock

# PTB itself warns when it builds a RetryAfter (its retry_after becomes a timedelta in v23).
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def stamping(clock: FakeClock, log: list[Any], tag: Any = None) -> Callable[[], Awaitable[Any]]:
    async def call() -> Any:
        log.append((tag, clock.now))
        return tag

    return call


def failing(errors: list[Exception], clock: FakeClock, log: list[float]) -> Callable[[], Awaitable[str]]:
    """A call that raises the given errors in turn, then succeeds."""

    async def call() -> str:
        log.append(clock.now)
        if errors:
            raise errors.pop(0)
        return "sent"

    return call


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_token_bucket_gives_a_burst_then_paces(clock: FakeClock) -> None:
    bucket = TokenBucket(rate=2, burst=3, clock=clock)
    assert [bucket.reserve() for _ in range(3)] == [0, 0, 0]
    assert bucket.reserve() == pytest.approx(0.5)
    assert bucket.reserve() == pytest.approx(1.0)
    clock.now = 10
    assert bucket.full()


async def test_one_chat_is_paced_after_a_short_burst(clock: FakeClock) -> None:
    queue = SendQueue(30, 1, chat_burst=3, clock=clock, sleep=clock.sleep)
    log: list[Any] = []
    for i in range(6):
        await queue.call("42", stamping(clock, log, i))
    assert [t for _, t in log] == pytest.approx([0, 0, 0, 1, 2, 3])


async def test_all_chats_share_the_overall_rate(clock: FakeClock) -> None:
    queue = SendQueue(30, 1, chat_burst=3, clock=clock, sleep=clock.sleep)
    log: list[Any] = []
    for chat in range(40):
        await queue.call(str(chat), stamping(clock, log, chat))
    times = [t for _, t in log]
    assert times[:30] == [0] * 30  # a burst after a quiet spell…
    assert times[30] == pytest.approx(1.02)  # …but never more than 30 in any 1-second window
    assert all(sum(1 for t in times if first <= t < first + 1.0) <= 30 for first in times)


async def test_retry_after_waits_then_sends_the_same_message(clock: FakeClock) -> None:
    queue = SendQueue(30, 1, clock=clock, sleep=clock.sleep)
    log: list[float] = []
    result = await queue.call("42", failing([RetryAfter(7)], clock, log))
    assert result == "sent"
    assert 7 in clock.sleeps
    assert log == [0, 7]
    assert queue.rate_limited == 1


async def test_retry_after_gives_up_with_a_temporary_error(clock: FakeClock) -> None:
    queue = SendQueue(30, 1, max_rate_limited=2, clock=clock, sleep=clock.sleep)
    log: list[float] = []
    with pytest.raises(TemporaryDeliveryError) as info:
        await queue.call("42", failing([RetryAfter(3)] * 5, clock, log))
    assert info.value.retry_after == 3
    assert len(log) == 3


async def test_network_errors_are_retried_with_backoff(clock: FakeClock) -> None:
    queue = SendQueue(1000, 1000, chat_burst=1000, backoff=0.5, clock=clock, sleep=clock.sleep)
    log: list[float] = []
    assert await queue.call("42", failing([NetworkError("reset"), TimedOut()], clock, log)) == "sent"
    assert clock.sleeps == [0.5, 1.0]
    with pytest.raises(TemporaryDeliveryError):
        await queue.call("42", failing([NetworkError("down")] * 10, clock, []))


@pytest.mark.parametrize(
    "error",
    [Forbidden("Forbidden: bot was blocked by the user"), BadRequest("Bad Request: chat not found")],
)
async def test_unreachable_person_is_a_permanent_error(clock: FakeClock, error: Exception) -> None:
    queue = SendQueue(30, 1, clock=clock, sleep=clock.sleep)
    log: list[float] = []
    with pytest.raises(PermanentDeliveryError):
        await queue.call("42", failing([error], clock, log))
    assert len(log) == 1


async def test_other_bad_requests_are_not_retried(clock: FakeClock) -> None:
    queue = SendQueue(30, 1, clock=clock, sleep=clock.sleep)
    log: list[float] = []
    with pytest.raises(BadRequest):
        await queue.call("42", failing([BadRequest("Bad Request: message text is empty")], clock, log))
    assert len(log) == 1


async def test_a_waiting_chat_does_not_block_others_and_keeps_its_order() -> None:
    released = asyncio.Event()

    async def sleep(delay: float) -> None:
        await released.wait()

    queue = SendQueue(1000, 1000, chat_burst=1000, sleep=sleep)
    order: list[str] = []
    first = [RetryAfter(1)]

    async def a1() -> None:
        if first:
            raise first.pop()
        order.append("a1")

    async def a2() -> None:
        order.append("a2")

    async def b() -> None:
        order.append("b")

    task_a1 = asyncio.create_task(queue.call("a", a1))
    task_a2 = asyncio.create_task(queue.call("a", a2))
    await asyncio.sleep(0)
    await queue.call("b", b)
    assert order == ["b"]  # chat a waits on its 429, chat b went through
    assert not await queue.drain(timeout=0.01)
    released.set()
    await asyncio.gather(task_a1, task_a2)
    assert order == ["b", "a1", "a2"]
    assert await queue.drain(timeout=1)


async def test_never_more_than_the_rate_in_any_one_second_window(clock: FakeClock) -> None:
    """After a quiet spell the bucket is full: the sliding log still caps every 1-s window."""
    queue = SendQueue(10, 100, chat_burst=100, clock=clock, sleep=clock.sleep)
    log: list[Any] = []
    await asyncio.gather(*(queue.call(str(chat), stamping(clock, log, chat)) for chat in range(45)))
    starts = sorted(t for _, t in log)
    assert len(starts) == 45
    for first in starts:
        assert sum(1 for t in starts if first <= t < first + 1.0) <= 10
    assert starts[-1] < 4.5  # and the rate is still reached: 45 calls at 10/s take ~4 s


async def test_a_reply_to_what_the_person_wrote_is_not_held_back(clock: FakeClock) -> None:
    """A conversation goes as fast as the person writes: each answer's messages leave at once."""
    queue = SendQueue(30, 1, chat_burst=3, clock=clock, sleep=clock.sleep)
    log: list[Any] = []
    for step in range(20):  # the person answers; the bot confirms and asks the next question
        queue.person_wrote("42")
        await queue.call("42", stamping(clock, log, (step, "confirmation")))
        await queue.call("42", stamping(clock, log, (step, "question")))
        clock.now += 0.2  # the person reads and answers quickly
    assert clock.sleeps == []
    # what the bot sends on its own is still paced after a short burst
    unsolicited: list[Any] = []
    for i in range(5):
        await queue.call("42", stamping(clock, unsolicited, i))
    gaps = [b - a for (_, a), (_, b) in itertools.pairwise(unsolicited)]
    assert gaps[-1] == pytest.approx(1.0)
