"""A person on the test homeserver: a second nio client that opens DMs, writes, reacts and reads."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nio import (
    Api,
    AsyncClient,
    AsyncClientConfig,
    Event,
    MatrixRoom,
    RoomCreateResponse,
    RoomEncryptedFile,
    RoomEncryptedImage,
    RoomMessageFile,
    RoomMessageImage,
    RoomMessageNotice,
    RoomMessageText,
    RoomPreset,
    RoomSendResponse,
)

from bot.adapters.matrix_format import KEYCAPS
from conversations.i18n import translate
from tests.harness.synapse import RegisteredUser

RECEIVED = (RoomMessageText, RoomMessageNotice, RoomMessageImage, RoomMessageFile, RoomEncryptedImage, RoomEncryptedFile)
NUMBERED = re.compile(r"^(\d+)\. (.*?)( ✅)?$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Received:
    """A message the person received."""

    room_id: str
    event_id: str
    sender: str
    body: str
    msgtype: str
    encrypted: bool
    event: Any

    def options(self) -> dict[str, int]:
        """The numbered choices of a question: label → number."""
        return {label: int(number) for number, label, _ in NUMBERED.findall(self.body)}

    def number_of(self, label: str) -> int:
        """The number of the option whose label is (or starts with) ``label``."""
        options = self.options()
        if label in options:
            return options[label]
        for text, number in options.items():
            if text.startswith(label):
                return number
        raise AssertionError(f"no option {label!r} in {self.body!r}")


class Person:
    """A Matrix user driven by the test."""

    def __init__(self, homeserver: str, user: RegisteredUser, store: Path, encryption: bool = True) -> None:
        store.mkdir(parents=True, exist_ok=True)
        config = AsyncClientConfig(encryption_enabled=encryption, store_sync_tokens=False)
        self.user = user
        self.client = AsyncClient(homeserver, user.user_id, device_id=user.device_id, store_path=str(store), config=config)
        self.client.restore_login(user.user_id, user.device_id, user.access_token)
        self.received: list[Received] = []
        self.cursor = 0
        self._arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.client.olm and self.client.should_upload_keys:
            await self.client.keys_upload()
        self.client.add_event_callback(self._on_event, RECEIVED)  # type: ignore[arg-type]
        await self.client.sync(timeout=0, full_state=True)
        self._task = asyncio.create_task(self.client.sync_forever(timeout=5000))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
        await self.client.close()

    async def _on_event(self, room: MatrixRoom, event: Event) -> None:
        if event.sender == self.client.user_id:
            return
        content = event.source.get("content", {})
        self.received.append(
            Received(
                room.room_id,
                event.event_id,
                event.sender,
                str(content.get("body", "")),
                str(content.get("msgtype", "")),
                bool(getattr(event, "decrypted", False)),
                event,
            )
        )
        self._arrived.set()

    async def open_dm(self, bot_id: str, encrypted: bool, timeout: float = 15.0) -> str:
        """Create a direct chat with the bot (encrypted from its creation) and wait until it joins."""
        initial_state = (
            [{"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}] if encrypted else []
        )
        response = await self.client.room_create(
            is_direct=True, invite=[bot_id], preset=RoomPreset.trusted_private_chat, initial_state=initial_state
        )
        assert isinstance(response, RoomCreateResponse), response
        room_id = response.room_id
        await self.until(
            lambda: (
                room_id in self.client.rooms
                and bot_id in self.client.rooms[room_id].users
                and not self.client.rooms[room_id].users[bot_id].invited
            ),
            timeout,
            f"{bot_id} did not join {room_id}",
        )
        return room_id

    async def until(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out: {what}")
            await asyncio.sleep(0.02)

    async def received_at_least(self, count: int, timeout: float = 20.0) -> None:
        """Wait (without polling) until ``count`` messages have been received."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out waiting for {count} messages ({len(self.received)} received)")
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except TimeoutError:
                pass

    async def say(self, room_id: str, text: str) -> str:
        response = await self.client.room_send(
            room_id, "m.room.message", {"msgtype": "m.text", "body": text}, ignore_unverified_devices=True
        )
        assert isinstance(response, RoomSendResponse), response
        return response.event_id

    async def react(self, room_id: str, event_id: str, number: int, encrypt: bool = False) -> str:
        """React with keycap ``number``; ``encrypt`` does what Element does in encrypted rooms (nio does not)."""
        content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": KEYCAPS[number - 1]}}
        if encrypt:
            kind, encrypted = self.client.encrypt(room_id, "m.reaction", content)
            method, path, data = Api.room_send(self.client.access_token, room_id, kind, encrypted, uuid.uuid4())
            response = await self.client._send(RoomSendResponse, method, path, data, (room_id,))
        else:
            response = await self.client.room_send(room_id, "m.reaction", content, ignore_unverified_devices=True)
        assert isinstance(response, RoomSendResponse), response
        return response.event_id

    async def expect(self, room_id: str, match: Callable[[Received], bool] | str, timeout: float = 20.0) -> Received:
        """The next message (after the cursor) in ``room_id`` that matches; moves the cursor past it."""
        test = (lambda m: match in m.body) if isinstance(match, str) else match
        deadline = time.monotonic() + timeout
        while True:
            for index in range(self.cursor, len(self.received)):
                message = self.received[index]
                if message.room_id == room_id and test(message):
                    self.cursor = index + 1
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                bodies = [m.body[:60] for m in self.received[-5:]]
                raise AssertionError(f"no message matching {match!r} in {room_id}; last: {bodies}")
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), min(remaining, 0.5))
            except TimeoutError:
                pass

    def in_room(self, room_id: str) -> list[Received]:
        return [m for m in self.received if m.room_id == room_id]


def fr(key: str, **params: Any) -> str:
    """A French message of the bot, to recognise its questions."""
    return translate("fr", key, **params)


async def onboard(
    person: Person, room_id: str, name: str, react: bool = False, encrypted_reactions: bool = False, start: bool = True
) -> Received:
    """Walk the onboarding from ``!start`` to the main menu, picking options by label; return the menu."""
    if start:
        await person.say(room_id, "!start")

    async def pick(question: Received, label: str) -> None:
        number = question.number_of(label)
        if react:
            await person.react(room_id, question.event_id, number, encrypt=encrypted_reactions)
        else:
            await person.say(room_id, str(number))

    steps: list[tuple[str, Callable[[Received], Any]]] = [
        (fr("onboarding.kind"), lambda q: pick(q, "Association")),
        (fr("onboarding.name"), lambda q: person.say(room_id, name)),
        (fr("onboarding.place"), lambda q: person.say(room_id, "Villeurbanne")),
        ("Villeurbanne (69)", lambda q: pick(q, "Oui")),
        (fr("onboarding.themes"), lambda q: person.say(room_id, f"{q.number_of('Culture')} {q.number_of('Sport')}")),
        (fr("onboarding.contact_quick"), lambda q: pick(q, "Mon compte")),
        (fr("onboarding.consents"), lambda q: pick(q, "Oui aux deux")),
    ]
    for prompt, answer in steps:
        question = await person.expect(room_id, prompt)
        await answer(question)
    await person.expect(room_id, fr("onboarding.done_free_text", name=name))
    return await person.expect(room_id, fr("menu.prompt"))
