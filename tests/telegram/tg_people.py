"""A person talking to the bot through the Bot API emulator, for end-to-end tests."""

from __future__ import annotations

from typing import Any

from tests.harness.botapi_emulator import BotAPIEmulator, Person


def buttons(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


class Someone:
    """A person talking to the bot through the emulator, reading its questions by label."""

    def __init__(self, emulator: BotAPIEmulator, person: Person) -> None:
        self.emulator = emulator
        self.person = person
        self.seen = 0
        self.queries: list[str] = []

    async def says(self, text: str) -> list[dict[str, Any]]:
        await self.emulator.send_text(self.person, text)
        return await self.new_messages()

    async def presses(self, label: str) -> list[dict[str, Any]]:
        """Press ``label`` (or the button starting with it) on the latest message showing it."""
        for message in reversed(self.emulator.messages_for(self.person.id)):
            match = next((b for b in buttons(message) if b == label), None) or next(
                (b for b in buttons(message) if b.startswith(label)), None
            )
            if match is not None:
                self.queries.append(await self.emulator.press_button(self.person, message["message_id"], match))
                return await self.new_messages()
        raise AssertionError(f"no button {label!r} in {[buttons(m) for m in self.emulator.messages_for(self.person.id)]}")

    async def new_messages(self) -> list[dict[str, Any]]:
        await self.emulator.settle()
        messages = self.emulator.messages_for(self.person.id)
        new, self.seen = messages[self.seen :], len(messages)
        return new

    def last_text(self) -> str:
        return self.emulator.messages_for(self.person.id)[-1].get("text", "")
