"""Command parsing and the commands menu published on the platforms."""

from __future__ import annotations

import pytest

from core.errors import DeliveryError
from bot.runtime import Delivery
from core.types import Reply
from conversations.commands import menu_commands, parse_command

pytestmark = pytest.mark.backends


def test_parse_command() -> None:
    assert parse_command("/start abc123") == ("start", "abc123")
    assert parse_command("/Need@TraitDUnionBot") == ("besoin", "")
    assert parse_command("/réglages") == ("reglages", "")
    assert parse_command("/xyz") == ("?xyz", "")
    assert parse_command("hello /start") is None
    assert parse_command("/") is None


def test_menus_in_both_languages() -> None:
    french = dict(menu_commands("fr"))
    english = dict(menu_commands("en"))
    assert french["besoin"] == "Déclarer un besoin" and french["start"]
    assert english["need"] == "Declare a need" and english["start"] and "demarrer" not in english
    assert len(french) == len(english)


async def test_a_refused_message_is_dropped_and_the_next_one_sent(app, adapter) -> None:
    calls: list[str] = []
    original = adapter.send

    async def refuse_first(chat_id: str, reply: Reply) -> None:
        calls.append(reply.text)
        if len(calls) == 1:
            raise DeliveryError("Bad Request: can't parse entities")
        await original(chat_id, reply)

    adapter.send = refuse_first
    assert await app.runtime.deliver("test", "zoe", Reply("one")) is Delivery.DROPPED
    assert await app.runtime.deliver("test", "zoe", Reply("two")) is Delivery.SENT
    assert [r.text for r in adapter.replies_to("zoe")] == ["two"]
