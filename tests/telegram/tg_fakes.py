"""Offline fakes for the Telegram adapter tests.

:class:`RecordingRequest` is a ``telegram.request.BaseRequest`` that records every Bot API
call and answers with canned JSON (as python-telegram-bot's own test suite does);
:class:`FakeCore` records the ``Incoming`` events, sends canned replies through the adapter
and returns a chosen ``Outcome``; :class:`FakeClock` drives the send queue without waiting.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
from collections.abc import Callable, Iterable
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.adapters.telegram import TelegramAdapter
from bot.adapters.telegram_sender import SendQueue
from core.types import Incoming, Outcome, Reply

TOKEN = "123456:TEST-token"
BOT_ID = 123456
BOT_USERNAME = "TraitDUnionBot"
NOW = 1_760_000_000


def bot_user() -> dict[str, Any]:
    return {"id": BOT_ID, "is_bot": True, "first_name": "Trait d'union", "username": BOT_USERNAME}


def person(user_id: int = 1001, language_code: str | None = "fr") -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "Camille", "last_name": "Martin", "username": f"camille{user_id}"}
    if language_code:
        user["language_code"] = language_code
    return user


def private_chat(user_id: int = 1001) -> dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": "Camille"}


def group_chat(chat_id: int = -100200) -> dict[str, Any]:
    return {"id": chat_id, "type": "supergroup", "title": "Acteurs du 69"}


class RecordingRequest(BaseRequest):
    """Records ``(method, parameters)`` of every call and answers like the Bot API would.

    ``fail(method, status, description, retry_after=None, times=1)`` makes the next calls of
    ``method`` fail with that HTTP status.
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.files: list[tuple[str, dict[str, Any]]] = []
        self.results: list[tuple[str, Any]] = []
        self._faults: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.message_ids = itertools.count(1)
        """Message ids, the bot's and the people's in one increasing sequence (as in a private chat:
        a message written after the bot's has a greater id)."""

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def fail(self, method: str, status: int, description: str, *, retry_after: int | None = None, times: int = 1) -> None:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        self._faults.setdefault(method, []).extend([(status, body)] * times)

    def of(self, *methods: str) -> list[dict[str, Any]]:
        """Parameters of the recorded calls to ``methods``, in order."""
        return [params for method, params in self.calls if method in methods]

    def messages(self) -> list[dict[str, Any]]:
        """Messages the bot sent successfully, as Telegram returned them (with their message_id)."""
        return [result for method, result in self.results if method in ("sendMessage", "sendPhoto", "sendDocument")]

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]

    def clear(self) -> None:
        self.calls.clear()
        self.files.clear()
        self.results.clear()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        self.calls.append((api_method, params))
        if request_data is not None and request_data.contains_files:
            self.files.append((api_method, request_data.multipart_data or {}))
        faults = self._faults.get(api_method)
        if faults:
            status, body = faults.pop(0)
            return status, json.dumps(body).encode()
        result = self._result(api_method, params)
        self.results.append((api_method, result))
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return bot_user()
        if method in ("sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup", "editMessageCaption"):
            chat_id = int(params["chat_id"])
            message: dict[str, Any] = {
                "message_id": params.get("message_id") or next(self.message_ids),
                "date": NOW,
                "chat": private_chat(chat_id) if chat_id > 0 else group_chat(chat_id),
                "from": bot_user(),
            }
            unescape = html.unescape if params.get("parse_mode") == "HTML" else str
            if "text" in params:
                message["text"] = unescape(params["text"])
            if "caption" in params:
                message["caption"] = unescape(params["caption"])
            if method == "sendPhoto":
                message["photo"] = [{"file_id": "p1", "file_unique_id": "u1", "width": 10, "height": 10}]
            if method == "sendDocument":
                message["document"] = {"file_id": "d1", "file_unique_id": "u2"}
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            return message
        if method == "getUpdates":
            return []
        return True


class FakeClock:
    """A clock for :class:`SendQueue`: ``sleep`` advances time at once and records the delay."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        self.now += delay
        await asyncio.sleep(0)


Script = Callable[[Incoming], Iterable[Reply]]


class FakeCore:
    """Stands in for the runtime: records events, sends ``script(incoming)``, returns ``outcome``."""

    def __init__(self) -> None:
        self.adapter: TelegramAdapter | None = None
        self.received: list[Incoming] = []
        self.outcome: Outcome = Outcome.ACCEPTED
        self.script: Script = lambda incoming: ()
        self.errors: list[BaseException] = []

    async def __call__(self, incoming: Incoming) -> Outcome:
        assert self.adapter is not None
        self.received.append(incoming)
        for reply in self.script(incoming):
            try:
                await self.adapter.send(incoming.chat_id, reply)
            except Exception as exc:  # the real core marks the actor unreachable, etc.
                self.errors.append(exc)
        return self.outcome


class Harness:
    """An adapter started offline on a :class:`RecordingRequest`, with helpers to feed updates."""

    def __init__(self, adapter: TelegramAdapter, request: RecordingRequest, core: FakeCore, clock: FakeClock) -> None:
        self.adapter = adapter
        self.clock = clock
        self.request = request
        self.core = core
        self._update_ids = itertools.count(1)
        self.errors: list[BaseException] = []

    async def feed(self, raw: dict[str, Any]) -> None:
        app = self.adapter.application
        await app.process_update(Update.de_json(raw, app.bot))

    def text_update(
        self,
        text: str,
        *,
        user: dict[str, Any] | None = None,
        chat: dict[str, Any] | None = None,
        update_id: int | None = None,
        message_id: int | None = None,
    ) -> dict[str, Any]:
        user = user or person()
        message: dict[str, Any] = {
            "message_id": message_id or next(self.request.message_ids),
            "date": NOW,
            "chat": chat or private_chat(user["id"]),
            "from": user,
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split(" ", 1)[0])}]
        return {"update_id": update_id or next(self._update_ids), "message": message}

    def callback_update(
        self,
        data: str,
        message: dict[str, Any],
        *,
        user: dict[str, Any] | None = None,
        query_id: str | None = None,
        update_id: int | None = None,
    ) -> dict[str, Any]:
        update_id = update_id or next(self._update_ids)
        return {
            "update_id": update_id,
            "callback_query": {
                "id": query_id or f"q{update_id}",
                "from": user or person(),
                "chat_instance": "-42",
                "message": message,
                "data": data,
            },
        }

    async def send_text(self, text: str, **kwargs: Any) -> None:
        await self.feed(self.text_update(text, **kwargs))

    async def press(self, message: dict[str, Any], label: str, **kwargs: Any) -> None:
        """Press the button labelled ``label`` on a message as the bot sent it."""
        for row in message["reply_markup"]["inline_keyboard"]:
            for button in row:
                if button["text"] == label:
                    await self.feed(self.callback_update(button["callback_data"], message, **kwargs))
                    return
        raise AssertionError(f"no button {label!r} in {message['reply_markup']}")


def offline(request: RecordingRequest, core: FakeCore | None = None) -> Harness:
    """The real adapter (not started) on ``request``, its send queue never waiting (a fake clock),
    every handler error collected in :attr:`Harness.errors` (a test asserts none)."""
    clock = FakeClock()
    queue = SendQueue(10_000, 10_000, chat_burst=10_000, clock=clock, sleep=clock.sleep)
    adapter = TelegramAdapter(TOKEN, receive=False, request=request, queue=queue)
    harness = Harness(adapter, request, core, clock)  # type: ignore[arg-type]  # None: the adapter serves a real App

    async def collect(update: object, context: Any) -> None:
        harness.errors.append(context.error)

    adapter.application.add_error_handler(collect)
    return harness
