"""Matrix adapter (matrix-nio with end-to-end encryption).

One direct-message room is one conversation with the person in it. Commands use the ``!``
prefix (``!start`` → ``/start``); choices are numbered lines (answer "2", "1 3" or a label)
and keycap reactions (1️⃣…🔟) on the bot's question. In rooms with more than two members the
bot only answers its commands and mentions, with a hint to write to it directly.

The device is created once (password login) and restored on every start from the store
directory, so that its keys — and the messages encrypted for it while it was down — survive
restarts. The sync token is kept in nio's store, but saved only once every event of that sync
has been handled (a crash makes the homeserver send them again; the core dedupes by event
id); events older than the adapter's first start are never answered.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import logging
import os
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    EncryptionError,
    ErrorResponse,
    ForwardedRoomKeyEvent,
    InviteMemberEvent,
    LocalProtocolError,
    LoginResponse,
    MatrixRoom,
    MegolmEvent,
    ReactionEvent,
    RoomKeyEvent,
    RoomMessageText,
    RoomPreset,
    RoomSendResponse,
    SendRetryError,
    SyncResponse,
    UploadResponse,
    WhoamiResponse,
)

from bot.adapters.base import Handler
from bot.adapters.matrix_crosssign import CrossSigningError, bootstrap
from bot.adapters.matrix_format import (
    attachment_content,
    command_text,
    keycap_number,
    mentions_user,
    message_content,
    strip_reply_fallback,
)
from bot.adapters.matrix_queue import RateLimited, SendQueue, Unreachable
from bot.adapters.matrix_state import AdapterState, Session, load_session, save_session
from bot.config import Config, wrong
from bot.fairness import Admission, FloodGate
from core.errors import PermanentDeliveryError, TemporaryDeliveryError, TraitDUnionError
from core.types import Incoming, Reply
from storage.files import DIR_MODE, make_dirs

__all__ = ["MatrixAdapter", "classify_error"]

log = logging.getLogger(__name__)

NETWORK_ERRORS = (aiohttp.ClientError, TimeoutError, OSError)
SYNC_FILTER: dict[str, Any] = {
    "room": {"timeline": {"limit": 50}},
    "presence": {"not_types": ["*"]},
}
PERMANENT_CODES = frozenset({"M_FORBIDDEN", "M_NOT_FOUND"})
MAX_PENDING_UNDECRYPTED = 500
MAX_BACKOFF = 2.0
"""Longest wait between reconnection attempts (seconds): a restarted homeserver is noticed quickly."""

ClientFactory = Callable[[str | None], AsyncClient]


def classify_error(response: ErrorResponse) -> Exception:
    """The exception the send queue should see for a nio error response."""
    code = response.status_code
    transport = getattr(response, "transport_response", None)
    http_status = getattr(transport, "status", None)
    if code == "M_LIMIT_EXCEEDED" or http_status == 429:
        return RateLimited((response.retry_after_ms or 1000) / 1000)
    if code in PERMANENT_CODES or http_status in (403, 404):
        return PermanentDeliveryError(f"Matrix refused the message: {code or http_status}")
    if code is None or code == "M_UNKNOWN_TOKEN" or (http_status is not None and http_status >= 500):
        return Unreachable(f"{code or 'HTTP'} {http_status or ''}".strip())
    return TemporaryDeliveryError(f"Matrix error {code}")


GROUP_ROOM_PREFIX = "👥 "
"""Names the working-group rooms the bot creates (so it never takes one for a direct chat)."""


def _now_ms() -> int:
    return int(time.time() * 1000)


class MatrixAdapter:
    """The Matrix connector: ``start(handler)``, ``send(room_id, reply)``, ``stop()``."""

    platform: str = "matrix"
    singleton: bool = True
    """One device, one sync token: with several workers, only the holder of its role runs it."""
    command_prefix: str = "!"
    """Element intercepts ``/``: commands are shown and typed as ``!besoin``."""

    def __init__(
        self,
        homeserver: str,
        user_id: str,
        store: Path,
        *,
        password: str | None = None,
        access_token: str | None = None,
        rate_per_second: float = 5.0,
        language: str = "fr",
        device_name: str = "Trait d'union",
        sync_timeout_ms: int = 30_000,
        retry_deadline: float = 60.0,
        room_wait: float = 5.0,
        send_workers: int = 4,
        client_factory: ClientFactory | None = None,
        cross_signing: bool = True,
    ) -> None:
        if not (password or access_token):
            raise wrong("MATRIX_PASSWORD", "config.password_or_token")
        self.homeserver = homeserver.rstrip("/")
        self.user_id = user_id
        self.store = Path(store)
        self.language = language
        self.device_name = device_name
        self.sync_timeout_ms = sync_timeout_ms
        self.room_wait = room_wait
        self.stop_timeout = 10.0
        """Seconds ``stop`` lets running handlers finish (unfinished events come again next start)."""
        self._password = password
        self._access_token = access_token
        self._client_factory = client_factory or self._make_client
        self.client: AsyncClient | None = None
        self.queue = SendQueue(rate_per_second, workers=send_workers, retry_deadline=retry_deadline)
        self._state: AdapterState | None = None
        self._handler: Handler | None = None
        self._first_start_ms = 0
        self._sync_task: asyncio.Task[None] | None = None
        self._sync_ok = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._chains: dict[str, asyncio.Task[None]] = {}
        self.gate = FloodGate()
        self._joining: set[str] = set()
        self._group_rooms: set[str] = set()
        self._undecrypted: dict[str, list[tuple[str, MegolmEvent]]] = defaultdict(list)
        self._first_sync = asyncio.Event()
        self._synced = asyncio.Event()
        self._checkpoint: asyncio.Task[None] | None = None
        self._tokens_frozen = False
        self.cross_signing = cross_signing
        self.master_key: str | None = None
        """The bot's cross-signing master key once published (what people compare when verifying it)."""

    def __repr__(self) -> str:
        return f"MatrixAdapter(homeserver={self.homeserver!r}, user_id={self.user_id!r})"

    @classmethod
    def from_config(cls, config: Config) -> MatrixAdapter:
        """Build the adapter from the ``[matrix]`` settings."""
        settings = config.matrix
        if not (settings.homeserver and settings.user_id):
            raise wrong("MATRIX_HOMESERVER", "config.matrix_required")
        return cls(
            settings.homeserver,
            settings.user_id,
            config.matrix_store,
            password=settings.password,
            access_token=settings.access_token,
            rate_per_second=settings.rate_per_second,
            language=config.language,
        )

    @property
    def connected(self) -> bool:
        """The sync loop runs and its last sync succeeded (read by ``/healthz``)."""
        return self._sync_task is not None and not self._sync_task.done() and self._sync_ok

    @property
    def device_id(self) -> str | None:
        """This bot's device id (once started)."""
        return self.client.device_id if self.client else None

    # ------------------------------------------------------------------ lifecycle

    async def start(self, handler: Handler) -> None:
        """Log in (or restore the device), then sync in the background; return after the first sync."""
        self._handler = handler
        self._first_sync = asyncio.Event()
        self._tokens_frozen = False
        make_dirs(self.store)
        os.chmod(self.store, DIR_MODE)  # keys and token: owner only, even if it existed
        self._state = AdapterState.open(self.store)
        self._first_start_ms = self._state.first_start_ms()
        self._state.prune()
        try:
            self.client = await self._open_client()
        except BaseException:
            self._state.close()
            self._state = None
            raise
        self._register_callbacks(self.client)
        if self.client.should_upload_keys:
            await self._call(self.client.keys_upload, "keys upload")
        if self.cross_signing:
            await self._cross_sign()
        self.queue.start()
        self._sync_task = asyncio.create_task(self._sync_loop(), name="matrix-sync")
        try:
            await asyncio.wait_for(self._first_sync.wait(), timeout=15)
        except TimeoutError:
            log.warning("Matrix: no sync yet from %s; will keep trying in the background", self.homeserver)
        log.info("Matrix adapter started as %s (device %s)", self.user_id, self.client.device_id)

    async def stop(self) -> None:
        """Stop syncing, let running handlers and queued messages finish, close the client."""
        if self._sync_task is not None:
            self._sync_task.cancel()
            try:
                await self._sync_task
            except asyncio.CancelledError:
                pass
            self._sync_task = None
        if self._tasks:
            _, pending = await asyncio.wait(list(self._tasks), timeout=self.stop_timeout)
            for task in pending:
                task.cancel()
        if self._checkpoint is not None:
            await asyncio.wait([self._checkpoint])
            self._checkpoint = None
        await self.queue.stop()
        if self.client is not None:
            await self.client.close()
        if self._state is not None:
            self._state.close()
            self._state = None
        log.info("Matrix adapter stopped")

    def _make_client(self, device_id: str | None) -> AsyncClient:
        config = AsyncClientConfig(
            encryption_enabled=True,
            store_sync_tokens=False,  # we save it ourselves, after the events are handled
            max_limit_exceeded=0,  # 429 comes back to us: the send queue waits and re-sends
            max_timeouts=0,  # network errors come back to us: the queue and sync loop back off
            request_timeout=30,
        )
        return AsyncClient(self.homeserver, self.user_id, device_id=device_id, store_path=str(self.store), config=config)

    async def _open_client(self) -> AsyncClient:
        session = load_session(self.store)
        if session is not None and session.user_id != self.user_id:
            log.warning("Matrix: the saved session is for another user; logging in again")
            session = None
        if session is not None and self._access_token and session.access_token != self._access_token:
            session = None  # a new token was configured: find its device
        if session is not None:
            client = self._client_factory(session.device_id)
            client.restore_login(session.user_id, session.device_id, session.access_token)
            return client
        client = self._client_factory(None)
        if self._access_token:
            client.access_token = self._access_token
            who = await self._call(client.whoami, "whoami")
            if not isinstance(who, WhoamiResponse) or not who.device_id:
                raise wrong("MATRIX_ACCESS_TOKEN", "config.matrix_token_refused", answer=who)
            session = Session(who.user_id, who.device_id, self._access_token)
        else:
            assert self._password is not None
            response = await self._call(lambda: client.login(self._password, device_name=self.device_name), "login")
            if not isinstance(response, LoginResponse):
                raise wrong("MATRIX_PASSWORD", "config.matrix_login_failed", answer=getattr(response, "status_code", response))
            session = Session(response.user_id, response.device_id, response.access_token)
            log.info("Matrix: logged in as %s, new device %s", session.user_id, session.device_id)
        save_session(self.store, session)
        await client.close()
        client = self._client_factory(session.device_id)
        client.restore_login(session.user_id, session.device_id, session.access_token)
        return client

    async def _cross_sign(self) -> None:
        """Publish the bot's cross-signing keys once and sign its device (see ``matrix_crosssign``)."""
        assert self.client is not None
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http:
                self.master_key = await bootstrap(
                    http,
                    self.homeserver,
                    self.user_id,
                    str(self.client.device_id),
                    str(self.client.access_token),
                    self.store,
                    self._password,
                )
        except CrossSigningError as exc:
            log.warning("Matrix: cross-signing not set up (%s); the bot's device shows as unverified", exc)

    async def _call(self, make: Callable[[], Awaitable[Any]], what: str, attempts: int = 8) -> Any:
        """Run a nio request at start, retrying network errors with backoff."""
        delay = 0.25
        for attempt in range(attempts):
            try:
                return await make()
            except NETWORK_ERRORS as exc:
                if attempt == attempts - 1:
                    raise TraitDUnionError(f"Matrix homeserver unreachable during {what}: {exc!r}") from exc
                log.warning("Matrix: homeserver unreachable during %s, retrying in %.1fs", what, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------ receiving

    def _register_callbacks(self, client: AsyncClient) -> None:
        client.add_event_callback(self._on_message, RoomMessageText)
        client.add_event_callback(self._on_invite, InviteMemberEvent)
        client.add_event_callback(self._on_reaction, ReactionEvent)
        client.add_event_callback(self._on_undecrypted, MegolmEvent)
        client.add_to_device_callback(self._on_room_key, (RoomKeyEvent, ForwardedRoomKeyEvent))

    async def _sync_loop(self) -> None:
        assert self.client is not None
        client = self.client
        delay = 0.25
        first = True
        since = client.store.load_sync_token() if client.store else None
        while True:
            try:
                running = set(self._tasks)
                response = await client.sync(
                    timeout=0 if first else self.sync_timeout_ms,
                    sync_filter=SYNC_FILTER,
                    full_state=True if first else None,
                    since=since if first else None,
                )
                if not isinstance(response, SyncResponse):
                    self._sync_ok = False
                    await self._on_sync_error(response, delay)
                    delay = min(delay * 2, MAX_BACKOFF)
                    continue
                if delay > 0.25:
                    log.info("Matrix: homeserver reachable again")
                delay = 0.25
                self._sync_ok = True
                first = False
                self._save_token_when_handled(response.next_batch, self._tasks - running)
                self._first_sync.set()
                self._synced.set()
                self._synced = asyncio.Event()
                await self._after_sync(client)
            except asyncio.CancelledError:
                raise
            except NETWORK_ERRORS as exc:
                self._sync_ok = False
                log.warning("Matrix: homeserver unreachable (%s), reconnecting in %.1fs", type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF)
            except Exception:
                log.exception("Matrix: unexpected error in the sync loop; retrying in %.1fs", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF)

    def _save_token_when_handled(self, token: str, tasks: set[asyncio.Task[Any]]) -> None:
        """Persist ``token`` once the tasks started by its events (and earlier ones) are done."""
        store = self.client.store if self.client else None
        if store is None or self._tokens_frozen:
            return
        previous = self._checkpoint
        if not tasks and (previous is None or previous.done()):
            store.save_sync_token(token)
            return

        async def checkpoint() -> None:
            if previous is not None:
                await asyncio.wait([previous])
            if tasks:
                await asyncio.wait(tasks)
            if any(task.cancelled() for task in tasks):
                self._tokens_frozen = True  # unfinished events: let the next start receive them again
            if not self._tokens_frozen:
                store.save_sync_token(token)

        self._checkpoint = asyncio.create_task(checkpoint())

    async def _on_sync_error(self, response: Any, delay: float) -> None:
        code = getattr(response, "status_code", None)
        if code == "M_UNKNOWN_TOKEN" and self._password and self.client is not None:
            log.warning("Matrix: access token rejected; logging in again with the same device")
            login = await self.client.login(self._password, device_name=self.device_name)
            if isinstance(login, LoginResponse):
                save_session(self.store, Session(login.user_id, login.device_id, login.access_token))
                return
        retry_after = getattr(response, "retry_after_ms", None)
        wait = retry_after / 1000 if retry_after else delay
        log.warning("Matrix: sync failed (%s), retrying in %.1fs", code or "error", wait)
        await asyncio.sleep(wait)

    async def _after_sync(self, client: AsyncClient) -> None:
        """What nio's ``sync_forever`` does between syncs: to-device messages and keys."""
        steps: list[tuple[Callable[[], bool], Callable[[], Awaitable[Any]]]] = [
            (lambda: bool(client.outgoing_to_device_messages), client.send_to_device_messages),
            (lambda: client.should_upload_keys, client.keys_upload),
            (lambda: client.should_query_keys, client.keys_query),
            (lambda: client.should_claim_keys, lambda: client.keys_claim(client.get_users_for_key_claiming())),
        ]
        for needed, step in steps:
            if needed():
                try:
                    await step()
                except LocalProtocolError:
                    pass  # a concurrent room_send did it already

    def _is_new(self, timestamp_ms: int) -> bool:
        """False for events from before the adapter's first start (old history)."""
        return timestamp_ms >= self._first_start_ms

    def _is_group(self, room: MatrixRoom) -> bool:
        """A room of several people (the bot answers there with a hint only), or a working group's room."""
        return room.member_count > 2 or room.room_id in self._group_rooms or (room.name or "").startswith(GROUP_ROOM_PREFIX)

    async def create_group_room(self, name: str, topic: str, invite: list[str]) -> str:
        """Create an end-to-end encrypted private room for a working group, invite ``invite``; return its id."""
        if self.client is None:
            raise TemporaryDeliveryError("Matrix is not connected")
        encryption = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}
        try:
            response = await self.client.room_create(
                name=GROUP_ROOM_PREFIX + name, topic=topic, invite=invite, preset=RoomPreset.private_chat, initial_state=[encryption]
            )
        except NETWORK_ERRORS as exc:
            raise TemporaryDeliveryError(f"Matrix: {type(exc).__name__}") from exc
        if isinstance(response, ErrorResponse):
            raise classify_error(response)
        self._group_rooms.add(response.room_id)
        log.info("Matrix: created the encrypted group room %s for %d member(s)", response.room_id, len(invite))
        return str(response.room_id)

    async def invite_to_group_room(self, room_id: str, users: list[str]) -> None:
        """Invite more members to a working group's room."""
        if self.client is None:
            raise TemporaryDeliveryError("Matrix is not connected")
        for user in users:
            try:
                response = await self.client.room_invite(room_id, user)
            except NETWORK_ERRORS as exc:
                raise TemporaryDeliveryError(f"Matrix: {type(exc).__name__}") from exc
            if isinstance(response, ErrorResponse):
                raise classify_error(response)

    async def _on_invite(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key != self.user_id or event.membership != "invite":
            return
        if room.room_id in self._joining:
            return
        self._joining.add(room.room_id)
        direct = bool((event.content or {}).get("is_direct"))
        self._spawn(self._join(room.room_id, event.sender, greet=direct))

    async def _join(self, room_id: str, inviter: str, greet: bool = False) -> None:
        assert self.client is not None
        delay = 0.25
        try:
            for _ in range(10):
                try:
                    response = await self.client.join(room_id)
                except NETWORK_ERRORS:
                    response = None
                if response is not None and not isinstance(response, ErrorResponse):
                    log.info("Matrix: joined %s (invited by %s)", room_id, inviter)
                    if greet:
                        self._spawn(self._greet(room_id))
                    return
                if isinstance(response, ErrorResponse) and response.status_code in PERMANENT_CODES:
                    log.warning("Matrix: cannot join %s: %s", room_id, response.status_code)
                    return
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
            log.warning("Matrix: gave up joining %s", room_id)
        finally:
            self._joining.discard(room_id)

    async def _on_message(self, room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender == self.user_id or not self._is_new(event.server_timestamp):
            return
        content = event.source.get("content", {})
        relates = content.get("m.relates_to") or {}
        if relates.get("rel_type") == "m.replace":
            return  # an edit of an earlier message: answered already
        body = strip_reply_fallback(event.body or "")
        command = command_text(body)
        if self._is_group(room):
            if command or mentions_user(content, self.user_id, room.user_name(self.user_id)):
                self._spawn(self._send_hint(room.room_id))
            return
        self._dispatch_said(room, event, command or body)

    async def _on_reaction(self, room: MatrixRoom, event: ReactionEvent) -> None:
        if event.sender == self.user_id or not self._is_new(event.server_timestamp) or self._is_group(room):
            return
        number = keycap_number(event.key)
        if number is None or self._state is None:
            return
        prompt = self._state.prompt_of(event.reacts_to, room.room_id)
        if prompt is None or number > prompt[1]:
            return
        self._dispatch_said(room, event, str(number), prompt_id=prompt[0])

    def _dispatch_said(self, room: MatrixRoom, event: RoomMessageText | ReactionEvent, text: str, prompt_id: str | None = None) -> None:
        """:meth:`_dispatch` what ``event``'s sender said in ``room`` (their Matrix ID is their handle)."""
        self._dispatch(
            room.room_id,
            Incoming(
                platform=self.platform,
                user_id=event.sender,
                chat_id=room.room_id,
                event_id=event.event_id,
                text=text,
                prompt_id=prompt_id,
                display_name=room.user_name(event.sender),
                handle=event.sender,
            ),
        )

    async def _on_undecrypted(self, room: MatrixRoom, event: MegolmEvent) -> None:
        if event.sender == self.user_id or not self._is_new(event.server_timestamp):
            return
        log.warning(
            "Matrix: cannot decrypt event %s in %s from %s (session %s); requesting the key",
            event.event_id,
            room.room_id,
            event.sender,
            event.session_id,
        )
        if sum(len(v) for v in self._undecrypted.values()) < MAX_PENDING_UNDECRYPTED:
            self._undecrypted[event.session_id].append((room.room_id, event))
        self._spawn(self._request_key(event))

    async def _request_key(self, event: MegolmEvent) -> None:
        assert self.client is not None
        try:
            await self.client.request_room_key(event)
        except LocalProtocolError:
            pass  # already requested
        except NETWORK_ERRORS as exc:
            log.warning("Matrix: could not request a room key (%s)", type(exc).__name__)

    async def _on_room_key(self, event: RoomKeyEvent | ForwardedRoomKeyEvent) -> None:
        """A key arrived: decrypt and handle the messages that were waiting for it."""
        waiting = self._undecrypted.pop(event.session_id, [])
        if not waiting or self.client is None:
            return
        for room_id, megolm in waiting:
            room = self.client.rooms.get(room_id)
            try:
                decrypted = self.client.decrypt_event(megolm)
            except (EncryptionError, ValueError):
                continue
            if room is not None and isinstance(decrypted, RoomMessageText):
                log.info("Matrix: decrypted event %s after receiving its key", megolm.event_id)
                await self._on_message(room, decrypted)

    def _dispatch(self, room_id: str, incoming: Incoming) -> None:
        """Hand ``incoming`` to the core, in order per room, without blocking the sync loop.

        Beyond a burst (:class:`~bot.fairness.FloodGate`, on arrival) a person's events are
        dropped, the first one answered with "doucement…".
        """
        admission = self.gate.arrive(incoming.user_id)
        if admission is not Admission.ADMIT:
            if admission is Admission.WARN:
                log.info("Matrix: %s sends too fast, their events are dropped for a while", incoming.user_id)
                self._spawn(self._send_flood_notice(room_id, incoming.language_code))
            return
        previous = self._chains.get(room_id)
        task = self._spawn(self._handle_after(previous, incoming))
        self._chains[room_id] = task

        def forget(done: asyncio.Task[Any]) -> None:
            if self._chains.get(room_id) is done:
                del self._chains[room_id]

        task.add_done_callback(forget)

    async def _handle_after(self, previous: asyncio.Task[Any] | None, incoming: Incoming) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        assert self._handler is not None
        try:
            await self._handler(incoming)
        except Exception:
            log.exception("Matrix: the core failed on event %s", incoming.event_id)

    def _spawn(self, coro: Awaitable[Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _send_flood_notice(self, room_id: str, language_code: str | None) -> None:
        from conversations.i18n import normalise_language, translate

        language = normalise_language(language_code) or self.language
        try:
            await self.send(room_id, Reply(text=translate(language, "flood.slow_down"), language=language))
        except (PermanentDeliveryError, TemporaryDeliveryError) as exc:
            log.warning("Matrix: could not ask %s to slow down: %s", room_id, exc)

    async def _greet(self, room_id: str) -> None:
        """Invited to a direct chat: say what the bot does and the one thing to type."""
        from conversations.i18n import translate

        reply = Reply(text=translate(self.language, "matrix.welcome"), language=self.language)
        try:
            await self.send(room_id, reply)
        except (PermanentDeliveryError, TemporaryDeliveryError) as exc:
            log.warning("Matrix: could not greet in %s: %s", room_id, exc)

    async def _send_hint(self, room_id: str) -> None:
        from conversations.i18n import translate

        reply = Reply(text=translate(self.language, "matrix.group_hint"), chatter=True, language=self.language)
        try:
            await self.send(room_id, reply)
        except (PermanentDeliveryError, TemporaryDeliveryError) as exc:
            log.warning("Matrix: could not send the group hint to %s: %s", room_id, exc)

    # ------------------------------------------------------------------ sending

    async def edit(self, chat_id: str, ref: str, reply: Reply) -> None:
        """Replace the message ``ref`` with ``reply``'s text (an ``m.replace`` edit)."""
        from bot.rendering import render_plain

        new_content = message_content(render_plain(reply, self.command_prefix), notice=reply.chatter)
        content = {
            **new_content,
            "body": "* " + new_content["body"],
            "m.new_content": new_content,
            "m.relates_to": {"rel_type": "m.replace", "event_id": ref},
        }
        content.pop("formatted_body", None)
        content.pop("format", None)
        txn = uuid.uuid4().hex

        async def deliver() -> None:
            await self._room_for_send(chat_id)
            await self.queue.pace()
            await self._room_send(chat_id, content, txn)

        await self.queue.submit(deliver, label=f"edit in {chat_id}", lane=chat_id)

    def invite_link(self, code: str) -> str:
        """A link that opens a direct chat with the bot (Matrix has no deep link carrying a code)."""
        return f"https://matrix.to/#/{self.user_id}"

    def _with_invite_link(self, reply: Reply) -> Reply:
        from conversations.i18n import translate

        code = reply.meta.get("invite_code")
        if not code:
            return reply
        line = translate(reply.language, "invite.link_matrix", link=self.invite_link(str(code)), code=code)
        return dataclasses.replace(reply, text=f"{reply.text}\n{line}")

    async def send(self, chat_id: str, reply: Reply) -> str | None:
        """Queue ``reply`` for the room ``chat_id``, wait until it is delivered, return its event id."""
        from bot.rendering import render_plain

        reply = self._with_invite_link(reply)
        plain = render_plain(reply, self.command_prefix) if (reply.text or reply.choices) else ""
        content = message_content(plain, notice=reply.chatter) if plain else None
        text_txn = uuid.uuid4().hex
        file_txn = uuid.uuid4().hex
        uploaded: dict[str, Any] = {}
        sent: dict[str, str] = {}

        async def deliver() -> None:
            room = await self._room_for_send(chat_id)
            if content is not None:
                await self.queue.pace()
                event_id = await self._room_send(chat_id, content, text_txn)
                sent["event_id"] = event_id
                if reply.choices and reply.prompt_id and self._state is not None:
                    self._state.remember_prompt(event_id, chat_id, reply.prompt_id, min(len(reply.choices), 10))
            if reply.attachment is not None:
                if "content" not in uploaded:
                    await self.queue.pace()
                    uploaded["content"] = await self._upload(reply.attachment, encrypted=room.encrypted)
                await self.queue.pace()
                await self._room_send(chat_id, uploaded["content"], file_txn)

        await self.queue.submit(deliver, label=f"message to {chat_id}", lane=chat_id)
        return sent.get("event_id")

    async def _room_for_send(self, room_id: str) -> MatrixRoom:
        """The synced room (its encryption state known), waiting a little for a new one."""
        assert self.client is not None
        if not self._first_sync.is_set():
            raise Unreachable("not synced with the homeserver yet")
        deadline = time.monotonic() + self.room_wait
        while room_id not in self.client.rooms:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PermanentDeliveryError("the bot is not in this Matrix room")
            try:
                await asyncio.wait_for(self._synced.wait(), remaining)
            except TimeoutError:
                pass
        room = self.client.rooms[room_id]
        if room.member_count <= 1:
            raise PermanentDeliveryError("nobody else is left in this Matrix room")
        return room

    async def _room_send(self, room_id: str, content: dict[str, Any], txn: str) -> str:
        assert self.client is not None
        try:
            response = await self.client.room_send(room_id, "m.room.message", content, tx_id=txn, ignore_unverified_devices=True)
        except NETWORK_ERRORS as exc:
            raise Unreachable(type(exc).__name__) from exc
        except SendRetryError as exc:
            raise Unreachable(f"could not share the room key: {exc}") from exc
        except LocalProtocolError as exc:
            # the room was checked just before: this is a key query/claim race inside nio
            raise Unreachable(f"nio: {exc}") from exc
        if isinstance(response, ErrorResponse):
            raise classify_error(response)
        assert isinstance(response, RoomSendResponse)
        return str(response.event_id)

    async def _upload(self, attachment: Any, encrypted: bool) -> dict[str, Any]:
        assert self.client is not None
        try:
            response, keys = await self.client.upload(
                io.BytesIO(attachment.data),
                content_type=attachment.mime_type,
                filename=attachment.filename,
                encrypt=encrypted,
                filesize=len(attachment.data),
            )
        except NETWORK_ERRORS as exc:
            raise Unreachable(type(exc).__name__) from exc
        if isinstance(response, ErrorResponse):
            raise classify_error(response)
        assert isinstance(response, UploadResponse)
        return attachment_content(attachment.filename, attachment.mime_type, attachment.data, response.content_uri, keys)
