"""End to end against a real Synapse (issue 16, item 1): a coordinator on Matrix forms a working
group; the members who said yes are invited by the bot to a room it created, end-to-end
encrypted; the one who said no is not."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import pytest

from core.clock import iso, utcnow
from storage import coordination
from tests.matrix.mx_person import Person, fr, onboard

if TYPE_CHECKING:
    from tests.matrix.conftest import BotRunner

pytestmark = pytest.mark.e2e

PeopleFactory = Callable[..., Awaitable[Person]]


async def answer(person: Person, room: str, text: str, label: str) -> None:
    question = await person.expect(room, lambda m: text in m.body and label in m.options())
    await person.say(room, str(question.number_of(label)))


async def test_group_room_is_created_encrypted_with_the_members_who_said_yes(bot: BotRunner, people: PeopleFactory) -> None:
    marie, alice, bob, carol = [await people(name, encryption=True) for name in ("marie", "alice", "bob", "carol")]
    rooms = {}
    for person, name in ((alice, "Jardins du Tonkin"), (bob, "Ferme des Buers"), (carol, "Repair Café Cusset")):
        rooms[person] = await person.open_dm(bot.user.user_id, encrypted=True)
        await onboard(person, rooms[person], name)
    app = bot.app
    assert app is not None
    await app.db.transaction(  # type: ignore[attr-defined]
        lambda conn: coordination.add_coordinator(
            conn, "matrix", marie.user.user_id, coordination.Area("commune", "69266", "Villeurbanne (69)"), "test", iso(utcnow())
        )
    )
    desk = await marie.open_dm(bot.user.user_id, encrypted=True)
    await marie.say(desk, "!groupe")
    await answer(marie, desk, fr("group.source"), "Des acteurs que je choisis")
    await marie.expect(desk, fr("group.query"))
    await marie.say(desk, "tonkin, buers, cusset")
    await marie.expect(desk, fr("group.pick", which=""))
    await marie.say(desk, "ok")
    await marie.expect(desk, fr("group.name"))
    await marie.say(desk, "Ceinture alimentaire")
    # every member is on Matrix: no Telegram group link is asked for
    await answer(marie, desk, "3 acteurs invités", "Envoyer les invitations")
    await marie.expect(desk, "j'ai invité 3 acteurs")

    await answer(alice, rooms[alice], "Ceinture alimentaire", "Je rejoins le groupe")
    await answer(bob, rooms[bob], "Ceinture alimentaire", "Je rejoins le groupe")
    await answer(carol, rooms[carol], "Ceinture alimentaire", "Non merci")
    await bob.expect(rooms[bob], "salon Matrix chiffré")

    assert await app.group_rooms() == 2  # type: ignore[attr-defined]
    await alice.until(lambda: bool(alice.client.invited_rooms), 20, "alice is invited to the group room")
    await bob.until(lambda: bool(bob.client.invited_rooms), 20, "bob is invited to the group room")
    (room_id,) = alice.client.invited_rooms
    assert set(bob.client.invited_rooms) == {room_id}
    await marie.until(lambda: room_id in marie.client.invited_rooms, 20, "the coordinator who runs the group is invited too")
    await marie.expect(desk, "salon chiffré du groupe « Ceinture alimentaire », que vous animez")
    await asyncio.sleep(0.5)
    assert room_id not in carol.client.invited_rooms and room_id not in carol.client.rooms  # said no: not invited

    joined = await alice.client.join(room_id)
    assert getattr(joined, "room_id", None) == room_id, joined
    await alice.until(lambda: room_id in alice.client.rooms and alice.client.rooms[room_id].encrypted, 20, "room state synced")
    room = alice.client.rooms[room_id]
    assert room.encrypted  # m.room.encryption set at creation: end-to-end encrypted from the first message
    assert room.name == "👥 Ceinture alimentaire"
    assert {bot.user.user_id, alice.user.user_id} <= set(room.users) and bob.user.user_id in room.invited_users
    await alice.expect(rooms[alice], "salon chiffré du groupe « Ceinture alimentaire »")

    await alice.say(room_id, "Bonjour à tous !")  # people talk among themselves: the bot stays silent
    await asyncio.sleep(1.0)
    assert not [m for m in alice.in_room(room_id) if m.sender == bot.user.user_id]
