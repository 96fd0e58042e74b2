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
