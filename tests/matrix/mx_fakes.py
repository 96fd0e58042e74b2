"""Offline fakes for the Matrix adapter: a stub nio client and event builders (sans-I/O)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nio import (
    Event,
    InviteMemberEvent,
    JoinResponse,
    MatrixRoom,
    RoomSendError,
    RoomSendResponse,
    UploadResponse,
)

from bot.adapters.matrix import MatrixAdapter
from bot.adapters.matrix_state import AdapterState
from core.types import Incoming, Outcome

BOT = "@bot:localhost"
ALICE = "@alice:localhost"
BOB = "@bob:localhost"
DM = "!dm"
GROUP = "!group"


@dataclass
class Sent:
    """One recorded ``room_send``."""

    room_id: str
    message_type: str
    content: dict[str, Any]
    tx_id: str | None


@dataclass
class StubClient:
    """Records what the adapter asks of nio; ``failures`` scripts responses of ``room_send``."""

    user_id: str = BOT
    device_id: str = "BOTDEVICE"
    rooms: dict[str, MatrixRoom] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    attempts: list[Sent] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)
    uploads: list[dict[str, Any]] = field(default_factory=list)
    failures: list[Any] = field(default_factory=list)
    key_requests: list[str] = field(default_factory=list)
    counter: int = 0

    def room(self, room_id: str, *members: str, encrypted: bool = False) -> MatrixRoom:
        room = MatrixRoom(room_id, self.user_id, encrypted)
        for member in (self.user_id, *members):
            room.add_member(member, member[1:].split(":")[0].capitalize(), None)
        self.rooms[room_id] = room
        return room

    async def room_send(
        self,
        room_id: str,
        message_type: str,
        content: dict[str, Any],
        tx_id: str | None = None,
        ignore_unverified_devices: bool = False,
    ) -> Any:
        record = Sent(room_id, message_type, content, tx_id)
        self.attempts.append(record)
        if self.failures:
            failure = self.failures.pop(0)
            if isinstance(failure, BaseException):
                raise failure
            return failure
        self.sent.append(record)
        self.counter += 1
        return RoomSendResponse(f"$sent{self.counter}", room_id)

    async def join(self, room_id: str) -> Any:
        self.joined.append(room_id)
        return JoinResponse(room_id)

    async def upload(
        self,
        data: Any,
        content_type: str = "",
        filename: str | None = None,
        encrypt: bool = False,
        monitor: Any = None,
        filesize: int | None = None,
    ) -> tuple[Any, Any]:
        self.uploads.append(
            {"data": data.read(), "content_type": content_type, "filename": filename, "encrypt": encrypt, "filesize": filesize}
        )
        keys = {"key": {"k": "secret"}, "iv": "iv", "hashes": {"sha256": "h"}, "v": "v2"} if encrypt else None
        return UploadResponse(f"mxc://localhost/upload{len(self.uploads)}"), keys

    async def request_room_key(self, event: Any) -> None:
        self.key_requests.append(event.session_id)

    async def close(self) -> None:
        return None


class Core:
    """Stands in for the runtime: records what the adapter hands it."""

    def __init__(self) -> None:
        self.incoming: list[Incoming] = []
        self.received = asyncio.Event()

    async def __call__(self, incoming: Incoming) -> Outcome:
        self.incoming.append(incoming)
        self.received.set()
        return Outcome.ACCEPTED


def make_adapter(store: Path, client: StubClient, core: Core, **kwargs: Any) -> MatrixAdapter:
    """An adapter wired to the stub client, as if started and synced."""
    adapter = MatrixAdapter("http://hs.invalid", BOT, store, password="pw", **kwargs)
    adapter.client = client  # type: ignore[assignment]
    adapter._handler = core
    store.mkdir(parents=True, exist_ok=True)
    adapter._state = AdapterState.open(store)
    adapter._first_start_ms = adapter._state.first_start_ms() - 60_000
    adapter._first_sync.set()
    adapter.queue.start()
    return adapter


def now_ms() -> int:
    return int(time.time() * 1000)


_ids = iter(range(1, 1_000_000))


def event(kind: str, sender: str, content: dict[str, Any], ts: int | None = None, **extra: Any) -> Any:
    """Parse a raw event the way nio does for a sync response."""
    source = {
        "type": kind,
        "event_id": f"$ev{next(_ids)}",
        "sender": sender,
        "origin_server_ts": now_ms() if ts is None else ts,
        "content": content,
        **extra,
    }
    return Event.parse_event(source)


def text(sender: str, body: str, ts: int | None = None, **content: Any) -> Any:
    return event("m.room.message", sender, {"msgtype": "m.text", "body": body, **content}, ts)


def reaction(sender: str, target: str, key: str) -> Any:
    return event("m.reaction", sender, {"m.relates_to": {"rel_type": "m.annotation", "event_id": target, "key": key}})


def invite(sender: str, invitee: str = BOT) -> InviteMemberEvent:
    return InviteMemberEvent.from_dict(
        {"type": "m.room.member", "sender": sender, "state_key": invitee, "content": {"membership": "invite"}}
    )


def megolm(sender: str, session_id: str = "SESSION") -> Any:
    return event(
        "m.room.encrypted",
        sender,
        {
            "algorithm": "m.megolm.v1.aes-sha2",
            "ciphertext": "AwgAEnAC",
            "sender_key": "senderkey",
            "session_id": session_id,
            "device_id": "ALICEDEV",
        },
    )


async def settle(adapter: MatrixAdapter, condition: Callable[[], bool] | None = None, timeout: float = 2.0) -> None:
    """Wait until the adapter's background tasks are done (and ``condition`` holds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not adapter._tasks and (condition is None or condition()):
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the adapter did not settle")


def limit_exceeded(retry_after_ms: int = 20) -> RoomSendError:
    return RoomSendError("Too Many Requests", "M_LIMIT_EXCEEDED", retry_after_ms)


def forbidden() -> RoomSendError:
    return RoomSendError("You are not in this room", "M_FORBIDDEN")
