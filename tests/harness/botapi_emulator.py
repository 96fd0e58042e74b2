"""A small Telegram Bot API server for end-to-end tests (aiohttp, 127.0.0.1, random port).

It speaks the subset the bot uses, with Bot API JSON shapes (``ok``/``result``, ``is_bot``,
``date`` in seconds, ``from``, ``chat``, ``chat_instance``, ``bot_command`` entities) and
real long polling (``getUpdates`` honours ``offset``, ``limit`` and ``timeout``). It checks
what Telegram checks and the bot could get wrong: HTML that does not parse, texts over
4,096 characters, callback data over 64 bytes, edits that change nothing, callback queries
answered twice.

The other half is a client for tests to act as people: :meth:`BotAPIEmulator.send_text`,
:meth:`BotAPIEmulator.press_button`, :meth:`BotAPIEmulator.messages_for`, waiting helpers
with timeouts, and injectable faults (429 with ``retry_after``, 403 "bot was blocked",
redelivery of updates the bot already confirmed).

Webhook delivery as Telegram does it, to one or several workers behind a load balancer:
:meth:`BotAPIEmulator.deliver_to` POSTs each update to the given URLs in turn (round robin),
one update of a chat at a time, and on a non-2xx answer, a connection failure or a timeout
tries again (next URL) until one worker answers 200.

Usage::

    async with BotAPIEmulator() as emulator:
        adapter = TelegramAdapter(emulator.token, emulator.url)
        ...
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

__all__ = ["ApiError", "BotAPIEmulator", "Group", "Person"]

JSON_FIELDS = (
    "reply_markup",
    "commands",
    "allowed_updates",
    "entities",
    "scope",
    "caption_entities",
    "link_preview_options",
    "reply_parameters",
)
INT_FIELDS = ("chat_id", "message_id", "offset", "limit", "timeout", "reply_to_message_id")
HTML_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "span", "blockquote", "tg-emoji"}


@dataclass(frozen=True)
class Person:
    """Someone using Telegram; their private chat with the bot has their id."""

    id: int
    first_name: str = "Camille"
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "fr"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data

    def private_chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass(frozen=True)
class Group:
    """A supergroup the bot is a member of."""

    id: int
    title: str = "Acteurs du territoire"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": "supergroup", "title": self.title}


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def response(self) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return web.json_response(body, status=self.status)


class _HTMLCheck(HTMLParser):
    """Strip Telegram's HTML like the server does, refusing what it would refuse."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_TAGS:
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"')
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unmatched end tag "{tag}"')

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> str:
    """The plain text Telegram would show for ``text`` sent with ``parse_mode=HTML``."""
    for match in re.finditer(r"&[^;\s]*;?", text):
        if not re.fullmatch(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);", match.group()):
            raise ApiError(400, "Bad Request: can't parse entities: Unsupported entity or unescaped '&'")
    if re.search(r"<(?![a-zA-Z/])", text):
        raise ApiError(400, "Bad Request: can't parse entities: Unexpected '<'")
    checker = _HTMLCheck()
    checker.feed(text)
    checker.close()
    if checker.open:
        raise ApiError(400, f"Bad Request: can't parse entities: Can't find end tag \"{checker.open[-1]}\"")
    return "".join(checker.text)


def _update_chat(update: dict[str, Any]) -> int:
    """The chat an update belongs to (its sender's, for a button press)."""
    if "message" in update:
        return int(update["message"]["chat"]["id"])
    if "callback_query" in update:
        return int(update["callback_query"]["from"]["id"])
    return 0


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Upload:
    """A file the bot sent."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class _Fault:
    method: str
    chat_id: int | None
    status: int
    description: str
    parameters: dict[str, Any] | None
    times: int


@dataclass
class _State:
    pending: list[dict[str, Any]] = field(default_factory=list)
    confirmed: list[dict[str, Any]] = field(default_factory=list)
    messages: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    uploads: dict[tuple[int, int], Upload] = field(default_factory=dict)
    queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    answers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    commands: dict[str | None, list[dict[str, str]]] = field(default_factory=dict)
    descriptions: dict[tuple[str, str | None], str] = field(default_factory=dict)
    webhook_url: str = ""


class BotAPIEmulator:
    """The Bot API server (see the module docstring)."""

    def __init__(
        self, token: str = "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", username: str = "TraitDUnionBot", host: str = "127.0.0.1"
    ) -> None:
        self.token = token
        self.username = username
        self.bot_id = int(token.split(":", 1)[0])
        self.host = host
        self.port = 0
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.state = _State()
        self.blocked: set[int] = set()
        self._faults: list[_Fault] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._query_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._poll_generation = 0
        self._last_call = time.monotonic()
        self._runner: web.AppRunner | None = None
        self.chats: dict[int, dict[str, Any]] = {}
        """Private chats known without a message (people created behind the bot's back)."""
        self.webhook_targets: list[str] = []
        self.webhook_secret: str | None = None
        self.webhook_log: list[tuple[int, str, int | str]] = []
        """(update id, URL, HTTP status or error name) of every webhook attempt."""
        self._delivery: asyncio.Task[None] | None = None
        self._turn = itertools.count()
        self._handlers: dict[str, Callable[[dict[str, Any], dict[str, Upload]], Any]] = {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "getUpdates": self._get_updates,  # type: ignore[dict-item]
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_file,
            "sendDocument": self._send_file,
            "editMessageText": self._edit_message,
            "editMessageCaption": self._edit_message,
            "editMessageReplyMarkup": self._edit_message,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._set_my_description,
            "setMyShortDescription": self._set_my_description,
            "sendChatAction": self._true,
        }

    # -- server lifecycle ----------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The server root (what TELEGRAM_API_URL points to)."""
        return f"http://{self.host}:{self.port}"

    async def start(self) -> BotAPIEmulator:
        """Listen on a free port of 127.0.0.1."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def stop(self) -> None:
        """Close the server (pending long polls end)."""
        if self._delivery is not None:
            self._delivery.cancel()
            try:
                await self._delivery
            except asyncio.CancelledError:
                pass
            self._delivery = None
        async with self._changed:
            self._poll_generation += 1
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotAPIEmulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- HTTP side -------------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return ApiError(401, "Unauthorized").response()
        handler = next((h for name, h in self._handlers.items() if name.lower() == method.lower()), None)
        if handler is None:
            return ApiError(404, "Not Found: method not found").response()
        try:
            params, files = await self._params(request)
            self.calls.append((method, params))
            self._last_call = time.monotonic()
            self._check_fault(method, params)
            result = handler(params, files)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as error:
            await self._notify()
            return error.response()
        await self._notify()
        return web.json_response({"ok": True, "result": result})

    async def _file(self, request: web.Request) -> web.StreamResponse:
        return ApiError(404, "Not Found: file not found").response()

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, Upload]]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, Upload] = {}
        if request.content_type == "application/json":
            params.update(await request.json())
            return params, files
        if request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = Upload(key, value.filename, value.content_type, value.file.read())
                else:
                    params[key] = value
        for key in JSON_FIELDS:
            if isinstance(params.get(key), str):
                try:
                    params[key] = json.loads(params[key])
                except ValueError:
                    raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from None
        for key in INT_FIELDS:
            if isinstance(params.get(key), str):
                try:
                    params[key] = int(params[key])
                except ValueError:
                    if key != "chat_id":
                        raise ApiError(400, f"Bad Request: invalid {key}") from None
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                name = value.removeprefix("attach://")
                if name not in files:
                    raise ApiError(400, f"Bad Request: file {name} not found in the request")
                files[key] = files.pop(name)
                files[key].field = key
                params[key] = f"<upload {files[key].filename}>"
        return params, files

    def _check_fault(self, method: str, params: dict[str, Any]) -> None:
        chat_id = params.get("chat_id")
        if isinstance(chat_id, int) and chat_id in self.blocked and method.startswith(("send", "edit")):
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        for fault in self._faults:
            if fault.method.lower() == method.lower() and fault.chat_id in (None, chat_id) and fault.times > 0:
                fault.times -= 1
                raise ApiError(fault.status, fault.description, fault.parameters)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- Bot API methods ---------------------------------------------------------------------------

    def bot_user(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Trait d'union", "username": self.username}

    def _get_me(self, params: dict[str, Any], files: dict[str, Upload]) -> dict[str, Any]:
        return self.bot_user() | {"can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

    def _true(self, params: dict[str, Any], files: dict[str, Upload]) -> bool:
        return True

    async def _get_updates(self, params: dict[str, Any], files: dict[str, Upload]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = float(params.get("timeout") or 0)
        if self.state.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        async with self._changed:
            self._poll_generation += 1  # a newer poll ends the older one (as Telegram's 409 does)
            generation = self._poll_generation
            self._changed.notify_all()
            self._confirm(offset)
            deadline = time.monotonic() + timeout
            while not self._deliverable(offset):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or generation != self._poll_generation:
                    return []
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    return []
            return self._deliverable(offset)[:limit]

    def _confirm(self, offset: int) -> None:
        if offset <= 0:
            return
        done = [u for u in self.state.pending if u["update_id"] < offset]
        if done:
            self.state.pending = [u for u in self.state.pending if u["update_id"] >= offset]
            self.state.confirmed.extend(done)

    def _deliverable(self, offset: int) -> list[dict[str, Any]]:
        return [u for u in self.state.pending if u["update_id"] >= offset]

    def _set_webhook(self, params: dict[str, Any], files: dict[str, Upload]) -> bool:
        self.state.webhook_url = str(params.get("url") or "")
        return True

    def _delete_webhook(self, params: dict[str, Any], files: dict[str, Upload]) -> bool:
        self.state.webhook_url = ""
        if str(params.get("drop_pending_updates", "")).lower() == "true":
            self.state.confirmed.extend(self.state.pending)
            self.state.pending = []
        return True

    def _get_webhook_info(self, params: dict[str, Any], files: dict[str, Upload]) -> dict[str, Any]:
        return {"url": self.state.webhook_url, "has_custom_certificate": False, "pending_update_count": len(self.state.pending)}

    def _chat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        for message in self.state.messages.get(chat_id, []):
            return dict(message["chat"])
        if chat_id in self.chats:
            return dict(self.chats[chat_id])
        raise ApiError(400, "Bad Request: chat not found")

    def _text(self, params: dict[str, Any], key: str, limit: int) -> str:
        text = str(params.get(key) or "")
        if params.get("parse_mode") == "HTML":
            text = parse_html(text)
        elif params.get("parse_mode") not in (None, ""):
            raise ApiError(400, f"Bad Request: unsupported parse_mode {params['parse_mode']}")
        if _units(text) > limit:
            raise ApiError(400, f"Bad Request: {'message' if key == 'text' else 'message caption'} is too long")
        return text

    def _markup(self, params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if not markup:
            return None
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            raise ApiError(400, "Bad Request: unsupported reply_markup")
        for row in markup["inline_keyboard"]:
            for button in row:
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return {"inline_keyboard": markup["inline_keyboard"]}

    def _new_message(self, chat: dict[str, Any], sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        ids = self._message_ids.setdefault(chat["id"], itertools.count(1))
        message = {"message_id": next(ids), "from": sender, "chat": chat, "date": int(time.time())}
        message.update({k: v for k, v in content.items() if v is not None})
        self.state.messages.setdefault(chat["id"], []).append(message)
        return message

    def _send_message(self, params: dict[str, Any], files: dict[str, Upload]) -> dict[str, Any]:
        chat = self._chat(params)
        text = self._text(params, "text", 4096)
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        return self._new_message(chat, self.bot_user(), text=text, reply_markup=self._markup(params))

    def _send_file(self, params: dict[str, Any], files: dict[str, Upload]) -> dict[str, Any]:
        chat = self._chat(params)
        key = "photo" if "photo" in params or "photo" in files else "document"
        upload = files.get(key)
        if upload is None:
            raise ApiError(400, f"Bad Request: there is no {key} in the request")
        caption = self._text(params, "caption", 1024) or None
        unique = f"u{len(self.state.uploads) + 1}"
        if key == "photo":
            content: dict[str, Any] = {
                "photo": [{"file_id": unique, "file_unique_id": unique, "width": 800, "height": 600, "file_size": len(upload.data)}]
            }
        else:
            content = {
                "document": {
                    "file_id": unique,
                    "file_unique_id": unique,
                    "file_name": upload.filename,
                    "mime_type": upload.content_type,
                    "file_size": len(upload.data),
                }
            }
        message = self._new_message(chat, self.bot_user(), caption=caption, reply_markup=self._markup(params), **content)
        self.state.uploads[(chat["id"], message["message_id"])] = upload
        return message

    def _find(self, params: dict[str, Any]) -> dict[str, Any]:
        for message in self.state.messages.get(params.get("chat_id"), []):  # type: ignore[arg-type]
            if message["message_id"] == params.get("message_id"):
                return message
        raise ApiError(400, "Bad Request: message to edit not found")

    def _edit_message(self, params: dict[str, Any], files: dict[str, Upload]) -> dict[str, Any]:
        message = self._find(params)
        if message["from"]["id"] != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        changed = dict(message)
        if "text" in params:
            if "text" not in message:
                raise ApiError(400, "Bad Request: there is no text in the message to edit")
            changed["text"] = self._text(params, "text", 4096)
        if "caption" in params:
            changed["caption"] = self._text(params, "caption", 1024)
        markup = self._markup(params)
        if markup is None:
            changed.pop("reply_markup", None)
        else:
            changed["reply_markup"] = markup
        if changed == message:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        changed["edit_date"] = int(time.time())
        message.clear()
        message.update(changed)
        return message

    def _delete_message(self, params: dict[str, Any], files: dict[str, Upload]) -> bool:
        message = self._find(params)
        self.state.messages[params["chat_id"]].remove(message)
        return True

    def _answer_callback_query(self, params: dict[str, Any], files: dict[str, Upload]) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self.state.queries or self.state.answers.get(query_id):
            self.state.answers.setdefault(query_id, []).append(params)
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        self.state.answers[query_id] = [params]
        return True

    def _set_my_commands(self, params: dict[str, Any], files: dict[str, Upload]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: invalid commands")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")) or not command.get("description"):
                raise ApiError(400, f"Bad Request: BOT_COMMAND_INVALID {command!r}")
        self.state.commands[params.get("language_code") or None] = commands
        return True

    def _get_my_commands(self, params: dict[str, Any], files: dict[str, Upload]) -> list[dict[str, str]]:
        return self.state.commands.get(params.get("language_code") or None, [])

    def _delete_my_commands(self, params: dict[str, Any], files: dict[str, Upload]) -> bool:
        self.state.commands.pop(params.get("language_code") or None, None)
        return True

    def _set_my_description(self, params: dict[str, Any], files: dict[str, Upload]) -> bool:
        short = "short_description" in params
        text = str(params.get("short_description" if short else "description") or "")
        if len(text) > (120 if short else 512):
            raise ApiError(400, "Bad Request: description is too long")
        self.state.descriptions[("short" if short else "long", params.get("language_code") or None)] = text
        return True

    # -- client side: acting as people ---------------------------------------------------------------------

    def _push(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids)} | update
        self.state.pending.append(update)
        return update

    async def send_text(self, person: Person, text: str, chat: Group | None = None) -> dict[str, Any]:
        """``person`` writes ``text`` to the bot (privately, or in ``chat``); returns the message."""
        chat_dict = chat.to_dict() if chat else person.private_chat()
        entities = None
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": _units(text.split(" ", 1)[0])}]
        message = self._new_message(chat_dict, person.to_dict(), text=text, entities=entities)
        self._push({"message": message})
        await self._notify()
        return message

    async def press_button(self, person: Person, message_id: int, label: str, chat_id: int | None = None) -> str:
        """``person`` presses the button labelled ``label`` on a bot message; returns the query id."""
        message = self.message(chat_id or person.id, message_id)
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"] == label:
                    return await self.send_callback(person, message_id, button["callback_data"], chat_id)
        labels = [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
        raise AssertionError(f"no button {label!r} on message {message_id}: {labels}")

    async def send_callback(self, person: Person, message_id: int, data: str, chat_id: int | None = None) -> str:
        """A callback query with any ``data`` (what a modified client could send)."""
        message = self.message(chat_id or person.id, message_id)
        query_id = f"{self.bot_id}{next(self._query_ids):06d}"
        query = {
            "id": query_id,
            "from": person.to_dict(),
            "message": json.loads(json.dumps(message)),
            "chat_instance": str(-abs(hash((self.bot_id, message["chat"]["id"])))),
            "data": data,
        }
        self.state.queries[query_id] = query
        self._push({"callback_query": query})
        await self._notify()
        return query_id

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """A message of a chat as it is now (after edits)."""
        for message in self.state.messages.get(chat_id, []):
            if message["message_id"] == message_id:
                return message
        raise KeyError(f"no message {message_id} in chat {chat_id}")

    def messages_for(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages in a chat, oldest first, as they are now."""
        return [m for m in self.state.messages.get(chat_id, []) if m["from"]["id"] == self.bot_id]

    def answers_for(self, query_id: str) -> list[dict[str, Any]]:
        """The ``answerCallbackQuery`` calls for ``query_id`` (exactly one is expected)."""
        return self.state.answers.get(query_id, [])

    def upload(self, chat_id: int, message_id: int) -> Upload:
        """The file sent with a photo or document message."""
        return self.state.uploads[(chat_id, message_id)]

    @property
    def commands(self) -> dict[str | None, list[dict[str, str]]]:
        """Published command menus by language code (None: default)."""
        return self.state.commands

    @property
    def descriptions(self) -> dict[tuple[str, str | None], str]:
        """Published descriptions: ("long" or "short", language code or None) → text."""
        return self.state.descriptions

    def count(self, method: str, chat_id: int | None = None) -> int:
        """How many calls of ``method`` (to ``chat_id``) the bot made."""
        return sum(1 for m, p in self.calls if m.lower() == method.lower() and chat_id in (None, p.get("chat_id")))

    # -- faults ----------------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str = "sendMessage",
        *,
        chat_id: int | None = None,
        status: int = 429,
        retry_after: int | None = 1,
        description: str | None = None,
        times: int = 1,
    ) -> None:
        """The next ``times`` calls of ``method`` (to ``chat_id``) fail, by default with 429."""
        parameters = {"retry_after": retry_after} if status == 429 and retry_after is not None else None
        if description is None:
            description = {429: f"Too Many Requests: retry after {retry_after}", 403: "Forbidden: bot was blocked by the user"}.get(
                status, "Internal Server Error"
            )
        self._faults.append(_Fault(method, chat_id, status, description, parameters, times))

    def block(self, person: Person) -> None:
        """``person`` blocks the bot: every send to them answers 403."""
        self.blocked.add(person.id)

    async def redeliver(self, count: int = 1) -> list[int]:
        """Deliver again the last ``count`` updates the bot confirmed (as after a lost offset)."""
        again = self.state.confirmed[-count:]
        del self.state.confirmed[-count:]
        self.state.pending[:0] = again
        await self._notify()
        return [u["update_id"] for u in again]

    def meet(self, person: Person) -> None:
        """``person`` has a private chat with the bot without having written yet (created in the database)."""
        self.chats[person.id] = person.private_chat()

    # -- webhook delivery (as Telegram, to workers behind a load balancer) -----------------------------

    def deliver_to(
        self, urls: list[str], secret: str | None = None, concurrency: int = 16, retry_delay: float = 0.2, timeout: float = 30.0
    ) -> None:
        """POST every pending (and future) update to ``urls`` in turn until one answers 2xx."""
        self.webhook_targets = list(urls)
        self.webhook_secret = secret
        self._delivery = asyncio.create_task(self._deliver(concurrency, retry_delay, timeout))

    async def _deliver(self, concurrency: int, retry_delay: float, timeout: float) -> None:
        import aiohttp

        busy: set[int] = set()  # chats with an update in flight: their next one waits (Telegram keeps order)
        flying: set[asyncio.Task[None]] = set()
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
            while True:
                for update in list(self.state.pending):
                    chat = _update_chat(update)
                    if len(flying) >= concurrency or chat in busy or update.get("_flying"):
                        continue
                    update["_flying"] = True
                    busy.add(chat)
                    task = asyncio.create_task(self._post(session, update, retry_delay))
                    flying.add(task)
                    task.add_done_callback(lambda t, chat=chat: (flying.discard(t), busy.discard(chat)))
                async with self._changed:
                    try:
                        await asyncio.wait_for(self._changed.wait(), 0.05)
                    except TimeoutError:
                        pass

    async def _post(self, session: Any, update: dict[str, Any], retry_delay: float) -> None:
        import aiohttp

        body = {k: v for k, v in update.items() if not k.startswith("_")}
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret} if self.webhook_secret else {}
        while True:
            url = self.webhook_targets[next(self._turn) % len(self.webhook_targets)]
            try:
                async with session.post(url, json=body, headers=headers) as response:
                    status: int | str = response.status
            except (aiohttp.ClientError, TimeoutError, OSError) as error:
                status = type(error).__name__
            self.webhook_log.append((update["update_id"], url, status))
            if isinstance(status, int) and 200 <= status < 300:
                self.state.pending = [u for u in self.state.pending if u is not update]
                update.pop("_flying", None)
                self.state.confirmed.append(update)
                await self._notify()
                return
            await asyncio.sleep(retry_delay)

    # -- waiting ---------------------------------------------------------------------------------------

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until ``predicate()`` is truthy (re-checked on every API call); return its value."""
        async with asyncio.timeout(timeout):
            async with self._changed:
                while not (value := predicate()):
                    try:
                        await asyncio.wait_for(self._changed.wait(), 0.05)
                    except TimeoutError:
                        pass
                return value

    async def wait_for_messages(self, chat_id: int, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait until the bot has sent at least ``count`` messages to ``chat_id``; return them all."""
        await self.wait_until(lambda: len(self.messages_for(chat_id)) >= count, timeout)
        return self.messages_for(chat_id)

    async def settle(self, quiet: float = 0.15, timeout: float = 10.0) -> None:
        """Wait until the bot took every pending update and made no call for ``quiet`` seconds."""

        def idle() -> bool:
            return not self.state.pending and time.monotonic() - self._last_call >= quiet

        await self.wait_until(idle, timeout)
