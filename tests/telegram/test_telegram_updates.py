"""UpdateFetcher offline: the offset never passes an update still being handled; one person's
updates run in order, different people's concurrently; a failing handler does not stop polling."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update, User

from bot.adapters.telegram_updates import UpdateFetcher


class FakeBot:
    """Serves every update whose id is >= offset (like the Bot API) and records the offsets."""

    def __init__(self, updates: list[Update]) -> None:
        self.updates = updates
        self.offsets: list[int] = []

    async def get_updates(self, offset: int = 0, timeout: int = 0, **_: Any) -> list[Update]:
        self.offsets.append(offset)
        await asyncio.sleep(0.001)
        return [u for u in self.updates if u.update_id >= offset]


def update(update_id: int, user_id: int) -> Update:
    user = User(user_id, "P", is_bot=False)
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": user_id, "type": "private"},
                "from": user.to_dict(),
                "text": str(update_id),
            },
        },
        None,
    )


async def test_offset_waits_for_the_oldest_update_in_flight_and_people_run_in_parallel() -> None:
    bot = FakeBot([update(10, 1), update(11, 2), update(12, 1)])
    gates = {10: asyncio.Event(), 11: asyncio.Event(), 12: asyncio.Event()}
    started: list[int] = []

    async def handle(item: Update) -> None:
        started.append(item.update_id)
        await gates[item.update_id].wait()
        if item.update_id == 11:
            raise RuntimeError("a bug in one handler")

    fetcher = UpdateFetcher(bot, handle, poll_timeout=1)  # type: ignore[arg-type]
    fetcher.start()
    try:
        async with asyncio.timeout(5):
            while started != [10, 11]:
                await asyncio.sleep(0.01)
            assert fetcher.offset == 10  # nothing confirmed while 10 is being handled
            gates[11].set()  # person 2 finishes first (badly): 10 still holds the offset
            while 11 in fetcher._in_flight:  # noqa: SLF001
                await asyncio.sleep(0.01)
            assert fetcher.offset == 10 and started == [10, 11]  # 12 waits behind 10 (same person)
            gates[10].set()
            while started != [10, 11, 12]:
                await asyncio.sleep(0.01)
            assert fetcher.offset == 12
            gates[12].set()
            while fetcher.offset != 13:
                await asyncio.sleep(0.01)
    finally:
        await fetcher.stop()
    assert max(bot.offsets) == 13 and all(o in (0, 10, 12, 13) for o in bot.offsets)
    assert started == [10, 11, 12]  # each handled once although served again while in flight


async def test_a_backlog_written_at_a_person_s_pace_is_not_a_flood() -> None:
    """The bot was down: what people wrote meanwhile is fetched at once. A message counts when it was
    written (its date), so 30 messages written over a minute are all handled; 30 written within one
    second are a flood (20 handled, one notice). Before, both backlogs were a flood at the fetch."""
    import time

    from bot.fairness import BURST, FloodGate

    handled: list[int] = []
    warned: list[int] = []

    async def handle(item: Update) -> None:
        handled.append(item.effective_user.id)  # type: ignore[union-attr]

    async def on_flood(item: Update) -> None:
        warned.append(item.effective_user.id)  # type: ignore[union-attr]

    fetcher = UpdateFetcher(FakeBot([]), handle, gate=FloodGate(), on_flood=on_flood)  # type: ignore[arg-type]
    now = int(time.time())
    paced, flooder = 7101, 7102
    backlog = [dated(100 + i, paced, now - 120 + 4 * i) for i in range(30)]  # one every 4 s, two minutes ago
    backlog += [dated(200 + i, flooder, now - 60) for i in range(30)]  # 30 in the same second, a minute ago
    for item in sorted(backlog, key=lambda u: u.update_id):
        fetcher._dispatch(item)  # noqa: SLF001 - as a poll that returns the whole backlog
    async with asyncio.timeout(10):
        while fetcher._in_flight:  # noqa: SLF001
            await asyncio.sleep(0.01)
    assert handled.count(paced) == 30
    assert handled.count(flooder) == BURST and warned == [flooder]


def dated(update_id: int, user_id: int, date: int) -> Update:
    """A text message written at ``date`` (seconds since the epoch)."""
    item = update(update_id, user_id).to_dict()
    item["message"]["date"] = date
    return Update.de_json(item, None)
