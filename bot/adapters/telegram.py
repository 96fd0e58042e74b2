"""Telegram adapter on python-telegram-bot 22.x, running inside the project's event loop.

Incoming: private text messages and button presses become :class:`~core.types.Incoming`
events for the core; in groups the bot only answers its commands, with a hint to write to it
privately. Outgoing: :class:`~core.types.Reply` text is escaped for HTML, split on line
boundaries over 4,096 characters, choices become inline keyboards (see
:mod:`bot.adapters.telegram_keyboards`), and every API call that targets a chat goes through
the paced :class:`~bot.adapters.telegram_sender.SendQueue`.

Receiving never confirms an update before the core handled it: long polling goes through
:class:`~bot.adapters.telegram_updates.UpdateFetcher` (offset moved only past handled
updates), and the webhook answers HTTP 200 only once the update was handled (Telegram
retries otherwise). python-telegram-bot's ``Updater`` is not used for that reason.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, CallbackQuery, InputFile, Message, Update
from telegram.constants import ChatType, MessageLimit, ParseMode
from telegram.error import BadRequest, InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import BaseRequest

from bot.adapters.base import Handler
from bot.adapters.telegram_keyboards import (
    ButtonData,
    KeyboardState,
    build_keyboard,
    decode,
    read_keyboard,
)
from bot.adapters.telegram_sender import Call, SendQueue
from bot.adapters.telegram_updates import ALLOWED_UPDATES, UpdateFetcher
from bot.config import Config, wrong
from bot.fairness import Admission, FloodGate
from conversations.commands import menu_commands
from conversations.i18n import normalise_language, translate
from core.clock import iso, utcnow
from core.errors import DeliveryError
from core.types import Incoming, Outcome, Reply
from storage import inbox

__all__ = ["TelegramAdapter", "split_text"]

log = logging.getLogger(__name__)

PLATFORM = "telegram"
TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096
CAPTION_LIMIT = MessageLimit.CAPTION_LENGTH  # 1024
LAST_SENT_KEPT = 100_000
"""Chats whose latest bot message id is remembered (the least recently written to are forgotten)."""
POLL_READ_TIMEOUT = 5.0
"""Seconds an answer to ``getUpdates`` may take beyond its long-polling timeout (PTB's default read timeout)."""
CHOSEN_PREFIX = "→ "
NOTHING_CHOSEN = "—"


def _units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` characters, on line boundaries if possible."""
    if _units(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if _units(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while _units(line) > limit:  # a single line too long: cut at a space if possible
            cut = limit
            while _units(line[:cut]) > limit:
                cut -= 1
            space = line.rfind(" ", 0, cut)
            cut = space if space > limit // 2 else cut
            parts.append(line[:cut])
            line = line[cut:].lstrip(" ")
        current = line
    if current:
        parts.append(current)
    return parts


class TelegramAdapter:
    """The Telegram connector: long polling (default) or webhook, paced sends, inline keyboards."""

    platform = PLATFORM

    @property
    def singleton(self) -> bool:
        """Long polling is one worker's (Telegram refuses two ``getUpdates``); a webhook, any worker's."""
        return not self.webhook_url

    command_prefix = "/"

    def __init__(
        self,
        token: str,
        api_url: str | None = None,
        *,
        webhook_url: str | None = None,
        webhook_port: int = 8443,
        webhook_secret: str | None = None,
        webhook_listen: str = "0.0.0.0",
        rate_per_second: float = 30.0,
        rate_per_chat: float = 1.0,
        language: str = "fr",
        poll_timeout: float = 10.0,
        receive: bool = True,
        request: BaseRequest | None = None,
        get_updates_request: BaseRequest | None = None,
        queue: SendQueue | None = None,
    ) -> None:
        self.token = token
        self.api_url = api_url.rstrip("/") if api_url else None
        self.webhook_url = webhook_url
        self.webhook_port = webhook_port
        self.webhook_secret = webhook_secret
        self.webhook_listen = webhook_listen
        self.language = language
        self.poll_timeout = poll_timeout
        self.receive = receive
        self.queue = queue or SendQueue(rate_per_second, rate_per_chat)
        self._handler: Handler | None = None
        self.gate = FloodGate()
        """Per-person fairness: beyond a burst, a person's updates are dropped (one "doucement…" reply)."""
        self.shared_gate: Callable[[int, float | None], Awaitable[Admission]] | None = None
        """Several workers (PostgreSQL): the gate they share, for the webhook's updates (set by the app)."""
        self._last_sent: dict[str, int] = {}
        """Per chat, the id of the bot's latest message: a person's message with a smaller id was written
        before they could read it (a flood, even one delivered an update at a time, as a webhook is)."""
        self._backlog: set[int] = set()
        """Updates that arrived while earlier ones of the same person were being handled: handling them
        does not refill their chat's burst (a flood's answers keep to the chat's pace, leaving the
        overall rate to the others)."""
        builder = ApplicationBuilder().token(token).job_queue(None)
        if self.api_url:
            builder = builder.base_url(self.api_url + "/bot").base_file_url(self.api_url + "/file/bot")
        if request is not None:
            builder = builder.request(request).get_updates_request(get_updates_request or request)
        builder = builder.updater(None)  # it would confirm updates before they are handled
        self.updates: UpdateFetcher | None = None
        self.journal: UpdateJournalOnDatabase | None = None
        """Where polled updates are kept once confirmed and until handled (set by :meth:`use_database`)."""
        self._webhook: Any = None
        self.application: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)

    @classmethod
    def from_config(cls, config: Config) -> TelegramAdapter:
        """Build the adapter from the ``[telegram]`` settings."""
        settings = config.telegram
        if not settings.bot_token:
            raise wrong("TELEGRAM_BOT_TOKEN", "config.telegram_token_required")
        return cls(
            settings.bot_token,
            settings.api_url,
            webhook_url=settings.webhook_url,
            webhook_port=settings.webhook_port,
            webhook_secret=settings.webhook_secret,
            rate_per_second=settings.rate_per_second,
            rate_per_chat=settings.rate_per_chat,
            language=config.language,
        )

    def use_database(self, db: Any) -> None:
        """Keep polled updates in ``db`` between their confirmation and their handling (see
        :mod:`bot.adapters.telegram_updates`): a flood no longer holds the Bot API's queue."""
        self.journal = UpdateJournalOnDatabase(db)

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self, handler: Handler) -> None:
        """Connect (getMe), publish the commands menu, start receiving updates in background."""
        self._handler = handler
        if self.webhook_url:
            _check_webhook_support()
        app = self.application
        try:
            await app.initialize()
        except InvalidToken as exc:
            raise wrong("TELEGRAM_BOT_TOKEN", "config.telegram_token_refused") from exc
        try:
            await self.publish_commands()
            await app.start()
            if self.journal is not None:
                self.journal.bot = app.bot
            self.updates = UpdateFetcher(
                app.bot,
                self._handle_update,
                self.poll_timeout,
                gate=self.gate,
                on_flood=self._on_flood,
                journal=self.journal,
                on_backlog=self._queued_behind,
                raw_updates=self._raw_updates,
                shared_gate=self.shared_gate,
            )
            if self.receive and self.webhook_url:
                await self._start_webhook()
            elif self.receive:
                await app.bot.delete_webhook()  # getUpdates is refused while a webhook is set
                self.updates.start()
        except BaseException:
            await self.stop()
            raise
        log.info("Telegram adapter started as @%s", app.bot.username)

    @property
    def connected(self) -> bool:
        """Started, and receiving (polling loop alive, or webhook served) — read by ``/healthz``."""
        if not self.application.running:
            return False
        if not self.receive:
            return True
        return self._webhook is not None or (self.updates is not None and self.updates.running)

    async def stop(self) -> None:
        """Stop receiving, finish the updates in progress and the queued sends, disconnect."""
        app = self.application
        if self._webhook is not None:
            await self._webhook.cleanup()  # waits for the requests being handled
            self._webhook = None
        if self.updates is not None:
            await self.updates.stop()
            self.updates = None
        self._backlog.clear()
        if app.running:
            await app.stop()
        if not await self.queue.drain(timeout=30):
            log.warning("Telegram adapter stopped with sends still in flight")
        await app.shutdown()

    async def _start_webhook(self) -> None:
        """Serve the webhook; each request is answered once its update was handled."""
        from aiohttp import web

        server = web.Application()
        server.router.add_post("/" + urlsplit(self.webhook_url or "").path.lstrip("/"), self._on_webhook)
        runner = web.AppRunner(server, access_log=None, handle_signals=False)
        await runner.setup()
        self._webhook = runner
        await web.TCPSite(runner, self.webhook_listen, self.webhook_port).start()
        await self.application.bot.set_webhook(self.webhook_url or "", secret_token=self.webhook_secret, allowed_updates=ALLOWED_UPDATES)

    async def _on_webhook(self, request: Any) -> Any:
        from aiohttp import web

        if self.webhook_secret and request.headers.get("X-Telegram-Bot-Api-Secret-Token") != self.webhook_secret:
            return web.Response(status=403)
        try:
            update = Update.de_json(await request.json(), self.application.bot)
        except Exception:  # not an update: nothing Telegram would send
            return web.Response(status=400)
        if update is None or self.updates is None:
            return web.Response(status=400)
        await self.updates.run(update)  # HTTP 200 only once handled: a crash before makes Telegram retry
        return web.Response(status=200)

    async def _raw_updates(self, offset: int, timeout: int) -> list[dict[str, Any]]:
        """``getUpdates`` as ``Bot.get_updates`` sends it, the answer left as JSON (the fetcher parses only
        what it lets through: parsing took ~0.1 ms an update, most of the cost of fetching a flood).
        ``Bot._post`` is how python-telegram-bot itself calls a method (22.x, pinned below 23)."""
        data = {"offset": offset, "timeout": timeout, "allowed_updates": list(ALLOWED_UPDATES)}
        bot = self.application.bot
        result = await bot._post("getUpdates", data, read_timeout=POLL_READ_TIMEOUT + timeout)  # noqa: SLF001
        return [update for update in result if isinstance(update, dict)] if isinstance(result, list) else []

    async def _handle_update(self, update: Update) -> None:
        await self._on_update(update, None)

    async def publish_commands(self) -> None:
        """Publish the commands menu and the bot's description: default (the bot's language), French
        and English."""
        bot = self.application.bot
        for scope_language, language in ((None, self.language), ("fr", "fr"), ("en", "en")):
            commands = [BotCommand(name, description) for name, description in menu_commands(language)]
            try:
                await bot.set_my_commands(commands, language_code=scope_language)
                # what a person sees before pressing START: what the bot does, and to press it
                await bot.set_my_description(translate(language, "telegram.description"), language_code=scope_language)
                await bot.set_my_short_description(translate(language, "telegram.short_description"), language_code=scope_language)
            except TelegramError as exc:
                log.warning("publishing the commands and description (%s) failed: %s", scope_language or "default", exc)

    # -- outgoing --------------------------------------------------------------------------

    async def send(self, chat_id: str, reply: Reply) -> str | None:
        """Send ``reply`` to ``chat_id`` through the paced queue (see :mod:`telegram_sender`).

        Returns the id of the first message sent (what :meth:`edit` can later replace).
        """
        try:
            results = await self.queue.run(chat_id, self._calls(chat_id, reply))
        except BadRequest as exc:
            raise DeliveryError(f"Telegram refused a message to {chat_id}: {exc.message}") from exc
        except TelegramError as exc:
            raise DeliveryError(f"Telegram error for {chat_id}: {exc.message}") from exc
        ids = [int(result.message_id) for result in results if getattr(result, "message_id", None) is not None]
        if ids:
            self._sent_in(chat_id, max(ids))
        return str(ids[0]) if ids else None

    async def edit(self, chat_id: str, ref: str, reply: Reply) -> None:
        """Replace the text of message ``ref`` (a broadcast's status) with ``reply``'s text."""
        text = html.escape(split_text(reply.text.strip("\n") or "…")[0], quote=False)
        call = _bind(
            self.application.bot.edit_message_text,
            chat_id=_chat_id(chat_id),
            message_id=int(ref),
            text=text,
            parse_mode=ParseMode.HTML,
        )
        try:
            await self.queue.call(chat_id, call)
        except BadRequest as exc:
            if "not modified" in (exc.message or "").lower():
                return
            raise DeliveryError(f"Telegram refused an edit in {chat_id}: {exc.message}") from exc
        except TelegramError as exc:
            raise DeliveryError(f"Telegram error for {chat_id}: {exc.message}") from exc

    def invite_link(self, code: str) -> str:
        """The deep link that opens the bot and sends ``/start CODE``."""
        return f"https://t.me/{self.application.bot.username}?start={code}"

    def _with_invite_link(self, reply: Reply) -> Reply:
        code = reply.meta.get("invite_code")
        if not code:
            return reply
        line = translate(reply.language, "invite.link_telegram", link=self.invite_link(str(code)))
        return dataclasses.replace(reply, text=f"{reply.text}\n{line}")

    def _calls(self, chat: str, reply: Reply) -> list[Call]:
        bot = self.application.bot
        reply = self._with_invite_link(reply)
        chat_id = _chat_id(chat)
        keyboard = build_keyboard(reply, translate(reply.language, "telegram.submit"))
        text = reply.text.strip("\n")
        if not text and keyboard is not None:
            text = "…"
        calls: list[Call] = []
        attachment = reply.attachment
        if attachment is not None and _units(text) <= CAPTION_LIMIT:
            file_text, text = text, ""
        else:
            file_text = ""
        parts = split_text(text) if text else []
        for index, part in enumerate(parts):
            markup = keyboard if index == len(parts) - 1 and not file_text else None
            calls.append(
                _bind(
                    bot.send_message, chat_id=chat_id, text=html.escape(part, quote=False), parse_mode=ParseMode.HTML, reply_markup=markup
                )
            )
        if attachment is not None:
            send_file = bot.send_photo if attachment.mime_type == "image/png" else bot.send_document
            field = "photo" if attachment.mime_type == "image/png" else "document"
            calls.append(
                _bind(
                    send_file,
                    chat_id=chat_id,
                    **{field: InputFile(attachment.data, filename=attachment.filename)},
                    caption=html.escape(file_text, quote=False) or None,
                    parse_mode=ParseMode.HTML if file_text else None,
                    reply_markup=keyboard if file_text else None,
                )
            )
        return calls

    # -- incoming --------------------------------------------------------------------------

    def _queued_behind(self, update: Update) -> None:
        self._backlog.add(update.update_id)

    def _sent_in(self, chat_id: str, message_id: int) -> None:
        """Remember the bot's latest message in ``chat_id`` (the chats written to most recently)."""
        self._last_sent[chat_id] = max(message_id, self._last_sent.pop(chat_id, 0))
        if len(self._last_sent) > LAST_SENT_KEPT:
            del self._last_sent[next(iter(self._last_sent))]

    def _written_after_the_bot(self, update: Update) -> bool:
        """The person wrote (or pressed a button of) the bot's latest message in the chat, or later.

        Message ids grow in a chat, the bot's and the person's alike: a message whose id is below the
        bot's latest was written before the person could read it, whatever the order updates come in."""
        message = update.callback_query.message if update.callback_query is not None else update.message
        if not isinstance(message, Message):
            return True
        latest = self._last_sent.get(str(message.chat.id), 0)
        if update.callback_query is not None:
            return message.message_id >= latest
        return message.message_id > latest

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE | None) -> None:
        # what the person wrote after the bot answered everything before refills their chat's burst
        # (the reply leaves at once); an update written before the bot's latest message, or that
        # waited behind their earlier ones, does not (a flood's answers keep to the chat's pace)
        wrote = update.update_id not in self._backlog and self._written_after_the_bot(update)
        self._backlog.discard(update.update_id)
        if update.callback_query is not None:
            await self._on_callback(update, wrote)
        elif update.message is not None:
            await self._on_message(update.message, wrote)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error while handling a Telegram update", exc_info=context.error)

    async def _on_flood(self, update: Update) -> None:
        """Tell someone who sends too fast that what follows is ignored for a few seconds."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        language = self._lang(user.language_code)
        await self._send_quietly(str(chat.id), Reply(translate(language, "flood.slow_down"), language=language))

    def _lang(self, code: str | None) -> str:
        return normalise_language(code) or self.language

    async def _on_message(self, message: Message, wrote: bool = True) -> None:
        user = message.from_user
        if user is None or user.is_bot:
            return
        chat_id = str(message.chat.id)
        text = message.text
        if message.chat.type != ChatType.PRIVATE:
            if text and text.startswith("/") and self._addressed_to_me(message):
                link = f"https://t.me/{self.application.bot.username}"
                hint = translate(self._lang(user.language_code), "telegram.private_only", link=link)
                await self._send_quietly(chat_id, Reply(hint, language=self._lang(user.language_code)))
            return
        if text is None:
            hint = translate(self._lang(user.language_code), "telegram.text_only")
            await self._send_quietly(chat_id, Reply(hint, language=self._lang(user.language_code)))
            return
        if text.startswith("/"):
            if not self._addressed_to_me(message):
                return
            head, sep, rest = text.partition(" ")
            text = head.split("@", 1)[0] + sep + rest
        if wrote:
            self.queue.person_wrote(chat_id)
        await self._dispatch(
            Incoming(
                platform=PLATFORM,
                user_id=str(user.id),
                chat_id=chat_id,
                event_id=f"tg:m:{chat_id}:{message.message_id}",
                text=text,
                display_name=user.full_name,
                handle=user.username,
                language_code=user.language_code,
            )
        )

    def _addressed_to_me(self, message: Message) -> bool:
        """False for ``/cmd@OtherBot``."""
        head = (message.text or "").split(" ", 1)[0]
        _, at, name = head.partition("@")
        return not at or name.lower() == (self.application.bot.username or "").lower()

    async def _on_callback(self, update: Update, wrote: bool = True) -> None:
        query = update.callback_query
        assert query is not None
        invalid = translate(self._lang(query.from_user.language_code), "telegram.button_invalid")
        data = decode(query.data)
        message = query.message if isinstance(query.message, Message) else None
        if data is None or message is None or message.chat.type != ChatType.PRIVATE:
            await self._answer(query.id, invalid)
            return
        state = read_keyboard(message.reply_markup, data.prompt_id)
        if data.kind == "t":
            if data.value not in {value for value, _, _ in state.toggles}:
                await self._answer(query.id, invalid)
                return
            await self._answer(query.id)
            if wrote:  # ticking several options in a row is not held back
                self.queue.person_wrote(str(message.chat.id))
            markup = state.toggled(data.prompt_id, data.value or "")
            bot = self.application.bot
            await self._edit(
                message,
                _bind(bot.edit_message_reply_markup, chat_id=message.chat.id, message_id=message.message_id, reply_markup=markup),
            )
            return
        incoming = self._callback_incoming(query, message, data, state)
        if incoming is None:
            await self._answer(query.id, invalid)
            return
        await self._answer(query.id)
        if wrote:
            self.queue.person_wrote(incoming.chat_id)
        if await self._dispatch(incoming) is Outcome.ACCEPTED:
            await self._show_chosen(message, state, incoming)

    def _callback_incoming(self, query: CallbackQuery, message: Message, data: ButtonData, state: KeyboardState) -> Incoming | None:
        """The core event of a choice or submit button, or None if the button is not on the message."""
        base: dict[str, Any] = {
            "platform": PLATFORM,
            "user_id": str(query.from_user.id),
            "chat_id": str(message.chat.id),
            "event_id": f"tg:cb:{query.id}",
            "prompt_id": data.prompt_id,
            "display_name": query.from_user.full_name,
            "handle": query.from_user.username,
            "language_code": query.from_user.language_code,
        }
        if data.kind == "c" and data.value in state.choices:
            return Incoming(choice=data.value, **base)
        if data.kind == "ok" and state.submit_label is not None:
            return Incoming(choices=state.ticked(), **base)
        return None

    async def _show_chosen(self, message: Message, state: KeyboardState, incoming: Incoming) -> None:
        """Edit the question: original text plus "→ label(s)", keyboard removed."""
        values = incoming.choices if incoming.choices is not None else (incoming.choice or "",)
        chosen = CHOSEN_PREFIX + (", ".join(state.label(value) or value for value in values) or NOTHING_CHOSEN)
        bot = self.application.bot
        where = {"chat_id": message.chat.id, "message_id": message.message_id}
        if message.text is not None:
            text = html.escape(f"{message.text}\n{chosen}", quote=False)
            call = _bind(bot.edit_message_text, text=text, parse_mode=ParseMode.HTML, reply_markup=None, **where)
        else:
            caption = html.escape(f"{message.caption or ''}\n{chosen}".strip("\n"), quote=False)
            call = _bind(bot.edit_message_caption, caption=caption, parse_mode=ParseMode.HTML, reply_markup=None, **where)
        await self._edit(message, call)

    async def _dispatch(self, incoming: Incoming) -> Outcome:
        if self._handler is None:
            raise RuntimeError("TelegramAdapter.start() was not called")
        return await self._handler(incoming)

    async def _answer(self, query_id: str, text: str | None = None) -> None:
        """Answer a callback query (exactly once per query: callers return right after)."""
        try:
            await self.application.bot.answer_callback_query(query_id, text=text)
        except TelegramError as exc:  # e.g. "query is too old" after a restart
            log.info("answerCallbackQuery failed: %s", exc)

    async def _edit(self, message: Message, call: Call) -> None:
        """Edit one of our messages; failures only cost cosmetics, so they are logged."""
        try:
            await self.queue.call(str(message.chat.id), call)
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                log.warning("edit of message %s failed: %s", message.message_id, exc.message)
        except (TelegramError, DeliveryError) as exc:
            log.warning("edit of message %s failed: %s", message.message_id, exc)

    async def _send_quietly(self, chat_id: str, reply: Reply) -> None:
        try:
            await self.send(chat_id, reply)
        except DeliveryError as exc:
            log.info("hint to chat %s not delivered: %s", chat_id, exc)


class UpdateJournalOnDatabase:
    """The :class:`~bot.adapters.telegram_updates.UpdateJournal` in the bot's database (``storage/inbox.py``)."""

    def __init__(self, db: Any, bot: Any = None) -> None:
        self.db = db
        self.bot = bot

    async def sync(self, record: Sequence[Update], forget: Sequence[int]) -> None:
        """Record and forget in one transaction (durable when it records)."""
        rows = [(update.update_id, update.to_json()) for update in record]
        stamp = iso(utcnow())

        def write(conn: Any) -> None:
            if rows:
                inbox.record(conn, PLATFORM, rows, stamp)
            if forget:
                inbox.forget(conn, PLATFORM, forget)

        await self.db.transaction(write, durable=bool(rows))

    async def waiting(self) -> list[Update]:
        """The updates kept and not handled yet, oldest first."""
        rows = await self.db.transaction(functools.partial(inbox.waiting, platform=PLATFORM))
        updates = (Update.de_json(json.loads(body), self.bot) for _, body in rows)
        return [update for update in updates if update is not None]


def _chat_id(chat: str) -> int | str:
    """Telegram chat ids are integers (``@channel`` names stay strings)."""
    return int(chat) if chat.lstrip("-").isdigit() else chat


def _bind(method: Callable[..., Awaitable[Any]], **kwargs: Any) -> Call:
    """A retryable call: the same arguments every time."""
    return lambda: method(**kwargs)


def _check_webhook_support() -> None:
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        raise wrong("TELEGRAM_WEBHOOK_URL", "config.webhook_needs_aiohttp") from None
