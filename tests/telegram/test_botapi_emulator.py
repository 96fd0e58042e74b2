"""The Bot API emulator keeps updates as Telegram does: an update stays until ``getUpdates``
is called with an ``offset`` greater than its ``update_id`` (what the crash tests rely on)."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from tests.harness.botapi_emulator import BotAPIEmulator, Person

pytestmark = pytest.mark.e2e


async def test_updates_are_kept_until_a_greater_offset_confirms_them() -> None:
    async with BotAPIEmulator() as emulator, aiohttp.ClientSession() as session:

        async def get_updates(offset: int) -> list[int]:
            url = f"{emulator.url}/bot{emulator.token}/getUpdates"
            async with session.post(url, json={"offset": offset, "timeout": 0}) as response:
                body: dict[str, Any] = await response.json()
            return [update["update_id"] for update in body["result"]]

        for text in ("un", "deux", "trois"):
            await emulator.send_text(Person(8001), text)
        assert await get_updates(0) == [1, 2, 3]
        assert await get_updates(0) == [1, 2, 3]  # fetched is not confirmed
        assert await get_updates(2) == [2, 3]  # offset 2 confirms update 1 only
        assert [u["update_id"] for u in emulator.state.confirmed] == [1]
        assert await get_updates(1) == [2, 3]  # a confirmed update never comes back
        assert await get_updates(4) == []
        assert [u["update_id"] for u in emulator.state.confirmed] == [1, 2, 3]
