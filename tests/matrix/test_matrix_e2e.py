"""End-to-end: the whole bot (App + MatrixAdapter) against a real Synapse, people as nio clients."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from nio import DownloadResponse, RoomCreateResponse, RoomPreset
from nio.crypto.attachments import decrypt_attachment

from core.types import Attachment, Reply
from tests.harness.synapse import RegisteredUser, Synapse
from tests.matrix.mx_person import Person, fr, onboard

if TYPE_CHECKING:
    from tests.matrix.conftest import BotRunner

pytestmark = pytest.mark.e2e

PeopleFactory = Callable[..., Awaitable[Person]]


async def test_plain_dm_onboarding(bot: BotRunner, people: PeopleFactory) -> None:
    alice = await people("alice", encryption=False)
    room = await alice.open_dm(bot.user.user_id, encrypted=False)
    menu = await onboard(alice, room, "Les Amis du Quartier")
    assert "Déclarer un besoin" in menu.options()
    assert not any(m.encrypted for m in alice.in_room(room))
    greeting, welcome = alice.in_room(room)[:2]  # on joining the bot greets; !start welcomes
    assert greeting.body.endswith("tapez !start.") and welcome.body.startswith("Bienvenue")
    assert welcome.event.source["content"]["format"] == "org.matrix.custom.html"


async def test_encrypted_dm_onboarding_and_data_export(bot: BotRunner, people: PeopleFactory) -> None:
    alice = await people("alice", encryption=True)
    room = await alice.open_dm(bot.user.user_id, encrypted=True)
    await onboard(alice, room, "Jardins Partagés")
    assert all(m.encrypted for m in alice.in_room(room))  # every answer was end-to-end encrypted

    await alice.say(room, "!mesdonnees")
    export = await alice.expect(room, lambda m: m.msgtype == "m.file")
    assert export.encrypted
    file_info = export.event.source["content"]["file"]
    downloaded = await alice.client.download(file_info["url"])
    assert isinstance(downloaded, DownloadResponse), downloaded
    data = decrypt_attachment(downloaded.body, file_info["key"]["k"], file_info["hashes"]["sha256"], file_info["iv"])
    assert "Jardins Partagés" in json.dumps(json.loads(data), ensure_ascii=False)


async def test_reactions_pick_choices(bot: BotRunner, people: PeopleFactory) -> None:
    alice = await people("alice", encryption=True)
    room = await alice.open_dm(bot.user.user_id, encrypted=True)
    menu = await onboard(alice, room, "Reaction & Co", react=True)  # plain reactions, as nio sends them
    await alice.react(room, menu.event_id, menu.number_of("Mon profil"), encrypt=True)  # as Element sends them
    await alice.expect(room, "Reaction & Co")


async def test_group_room_gets_a_hint_only(bot: BotRunner, people: PeopleFactory, register: Callable[[str], RegisteredUser]) -> None:
    alice = await people("alice", encryption=False)
    carol = register("carol")
    response = await alice.client.room_create(name="Collectif", invite=[bot.user.user_id, carol.user_id], preset=RoomPreset.private_chat)
    assert isinstance(response, RoomCreateResponse)
    room = response.room_id
    await alice.until(
        lambda: (
            room in alice.client.rooms
            and bot.user.user_id in alice.client.rooms[room].users
            and not alice.client.rooms[room].users[bot.user.user_id].invited
        ),
        15,
        "bot joins the group",
    )
    await alice.say(room, "bonjour tout le monde")
    await alice.say(room, "!start")
    hint = await alice.expect(room, fr("matrix.group_hint"))
    assert hint.msgtype == "m.notice"
    await asyncio.sleep(0.5)
    assert len(alice.in_room(room)) == 1


async def test_image_attachment_reaches_the_person(bot: BotRunner, people: PeopleFactory) -> None:
    alice = await people("alice", encryption=False)
    room = await alice.open_dm(bot.user.user_id, encrypted=False)
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
    assert bot.adapter is not None
    await bot.adapter.send(room, Reply(text="Statistiques", attachment=Attachment("stats.png", "image/png", png)))
    image = await alice.expect(room, lambda m: m.msgtype == "m.image")
    content = image.event.source["content"]
    assert content["info"]["w"] == 1 and content["info"]["mimetype"] == "image/png"
    downloaded = await alice.client.download(content["url"])
    assert isinstance(downloaded, DownloadResponse) and downloaded.body == png


async def test_bot_restart_mid_conversation(bot: BotRunner, people: PeopleFactory) -> None:
    alice = await people("alice", encryption=True)
    room = await alice.open_dm(bot.user.user_id, encrypted=True)
    await alice.say(room, "!start")
    kind = await alice.expect(room, fr("onboarding.kind"))
    await alice.say(room, str(kind.number_of("Collectivité")))
    await alice.expect(room, fr("onboarding.name"))
    assert bot.adapter is not None
    device = bot.adapter.device_id
    before = len(alice.in_room(room))

    await bot.stop()
    await alice.say(room, "Service vie associative")  # written while the bot is down (a name that says no commune)
    adapter = await bot.start()

    assert adapter.device_id == device  # same device, same keys: it can read what was sent meanwhile
    await alice.expect(room, fr("onboarding.place"))
    await asyncio.sleep(1.0)  # anything replayed would arrive now
    after = alice.in_room(room)[before:]
    assert len(after) == 1, [m.body[:40] for m in after]


async def test_homeserver_restart(bot: BotRunner, people: PeopleFactory, synapse: Synapse) -> None:
    alice = await people("alice", encryption=True)
    room = await alice.open_dm(bot.user.user_id, encrypted=True)
    await alice.say(room, "!start")
    kind = await alice.expect(room, fr("onboarding.kind"))

    await asyncio.to_thread(synapse.restart)
    await asyncio.sleep(0.5)  # the bot's sync loop has noticed and is backing off

    await alice.say(room, str(kind.number_of("Association")))
    await alice.expect(room, fr("onboarding.name"), timeout=30)

    # a message to send while the homeserver is down waits and goes out when it is back
    assert bot.adapter is not None
    await asyncio.to_thread(synapse.stop)
    sending = asyncio.create_task(bot.adapter.send(room, Reply(text="Toujours là", chatter=True)))
    await asyncio.sleep(1.5)
    assert not sending.done()
    await asyncio.to_thread(synapse.resume)
    await asyncio.wait_for(sending, 30)
    notice = await alice.expect(room, "Toujours là", timeout=30)
    assert notice.msgtype == "m.notice" and notice.encrypted


async def test_traitdunion_run_serves_an_encrypted_dm(
    synapse: Synapse, register: Callable[[str], RegisteredUser], people: PeopleFactory, tmp_path: Path
) -> None:
    bot_user = register("bot")
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_", "TRAITDUNION_"))}
    env = {
        **inherited,
        "MATRIX_HOMESERVER": synapse.url,
        "MATRIX_USER_ID": bot_user.user_id,
        "MATRIX_PASSWORD": bot_user.password,
        "TRAITDUNION_DB": str(tmp_path / "run.db"),
        "PYTHONUNBUFFERED": "1",
    }
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        alice = await people("alice", encryption=True)
        room = await alice.open_dm(bot_user.user_id, encrypted=True, timeout=60)
        await onboard(alice, room, "Association des Habitants")
        assert all(m.encrypted for m in alice.in_room(room))
    finally:
        process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        try:
            code = await asyncio.to_thread(process.wait, 20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        log.close()
    output = (tmp_path / "run.log").read_text()
    assert code == 0, output[-2000:]
    assert time.monotonic() - started < 15
    assert bot_user.password not in output and "Association des Habitants" not in output
    assert (tmp_path / "matrix-store" / "session.json").exists()


async def test_event_unhandled_at_stop_comes_again(
    synapse: Synapse, register: Callable[[str], RegisteredUser], people: PeopleFactory, tmp_path: Path
) -> None:
    from bot.adapters.matrix import MatrixAdapter
    from core.types import Incoming, Outcome

    bot_user = register("bot")
    seen: list[Incoming] = []

    async def stuck(incoming: Incoming) -> Outcome:
        seen.append(incoming)
        await asyncio.Event().wait()  # the core never finishes (killed mid-step)
        return Outcome.ACCEPTED

    async def recording(incoming: Incoming) -> Outcome:
        seen.append(incoming)
        return Outcome.ACCEPTED

    def make() -> MatrixAdapter:
        return MatrixAdapter(synapse.url, bot_user.user_id, tmp_path / "store", password=bot_user.password)

    first = make()
    await first.start(stuck)
    alice = await people("alice", encryption=True)
    room = await alice.open_dm(bot_user.user_id, encrypted=True)
    await alice.say(room, "!start")
    await alice.until(lambda: len(seen) == 1, 15, "event reaches the core")
    first.stop_timeout = 0.2
    await first.stop()

    second = make()
    await second.start(recording)
    try:
        await alice.until(lambda: len(seen) == 2, 15, "event delivered again after restart")
        assert seen[1].event_id == seen[0].event_id and seen[1].text == "/start"
    finally:
        await second.stop()


async def test_access_token_login_keeps_the_token_device(
    synapse: Synapse, register: Callable[[str], RegisteredUser], people: PeopleFactory, tmp_path: Path
) -> None:
    from bot.adapters.matrix import MatrixAdapter
    from core.types import Incoming, Outcome

    bot_user = register("bot")
    adapter = MatrixAdapter(synapse.url, bot_user.user_id, tmp_path / "store", access_token=bot_user.access_token)

    async def echo(incoming: Incoming) -> Outcome:
        await adapter.send(incoming.chat_id, Reply(text=f"reçu : {incoming.text}"))
        return Outcome.ACCEPTED

    await adapter.start(echo)
    try:
        assert adapter.device_id == bot_user.device_id
        alice = await people("alice", encryption=True)
        room = await alice.open_dm(bot_user.user_id, encrypted=True)
        await alice.say(room, "aide")
        reply = await alice.expect(room, "reçu : !aide")  # commands are shown the Matrix way
        assert reply.encrypted
    finally:
        await adapter.stop()
