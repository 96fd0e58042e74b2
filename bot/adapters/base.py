"""The adapter contract: what every chat platform connector implements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from core.types import Incoming, Outcome, Reply

Handler = Callable[[Incoming], Awaitable[Outcome]]
"""The core's entry point, given to an adapter at start."""


@runtime_checkable
class Adapter(Protocol):
    """A chat platform connector.

    ``start`` connects and begins delivering events to ``handler`` (it returns once the
    adapter runs in the background); ``send`` delivers one reply to a chat, raising
    :class:`core.errors.TemporaryDeliveryError` or :class:`core.errors.PermanentDeliveryError`;
    ``stop`` disconnects and waits for pending sends.
    """

    platform: str

    async def start(self, handler: Handler) -> None:
        """Connect and start delivering incoming events to ``handler``."""
        ...

    async def send(self, chat_id: str, reply: Reply) -> str | None:
        """Deliver ``reply`` to ``chat_id`` (queued and paced as the platform requires).

        Returns a reference to the message shown (for a later :meth:`Editable.edit`), if any.
        """
        ...

    async def stop(self) -> None:
        """Stop receiving, flush what is queued, disconnect."""
        ...


@runtime_checkable
class Editable(Protocol):
    """An adapter that can replace the text of a message it sent (a status that changes)."""

    async def edit(self, chat_id: str, ref: str, reply: Reply) -> None:
        """Show ``reply`` in place of the message ``ref`` that :meth:`Adapter.send` returned."""
        ...


@runtime_checkable
class GroupRooms(Protocol):
    """An adapter that can open a room for a working group (Matrix; a Telegram bot cannot create groups)."""

    platform: str

    async def create_group_room(self, name: str, topic: str, invite: list[str]) -> str:
        """Create an end-to-end encrypted room named ``name``, invite the user ids ``invite``; return its id."""
        ...

    async def invite_to_group_room(self, room_id: str, users: list[str]) -> None:
        """Invite more user ids to a room made by :meth:`create_group_room`."""
        ...


@runtime_checkable
class KeepsFiles(Protocol):
    """An adapter that writes files it receives on disk (the console): a person's erasure removes theirs."""

    def forget_person(self, user_id: str) -> None:
        """Delete every file kept for ``user_id`` (they erased their data)."""
        ...
