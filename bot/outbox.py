"""The outbox worker: sends what jobs and postponed replies left in the ``outbox`` table.

Several workers (processes) may share one database: each claims a batch of due messages for a
lease (:func:`storage.outbox.claim`), sends them, and settles each one only while it still holds
it. A worker that dies leaves its claims behind; once their lease expired another worker takes
them over (the message in flight at the death may then arrive twice).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot import metrics
from bot.adapters.base import Adapter, Editable
from bot.leadership import LEASE_SECONDS, WORKER_ID
from bot.tasks import BackgroundTask
from conversations.decisions import is_token
from conversations.events import invited_to
from conversations.queue import header_text
from core.clock import iso, utcnow
from core.errors import DeliveryError, PermanentDeliveryError, TemporaryDeliveryError
from services import questions, reachability
from services.coordination import on_delivery
from storage import outbox
from storage.database import Database

LOG = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
LEASE = timedelta(seconds=LEASE_SECONDS)
"""How long a claimed batch is this worker's; past it, another worker may take the rest over."""
BATCH = 20


class OutboxWorker:
    """Sends the due messages of one platform through its adapter (which paces them)."""

    def __init__(
        self,
        db: Database,
        adapter: Adapter,
        wakeup: asyncio.Event | None = None,
        clock: Callable[[], datetime] = utcnow,
        poll_seconds: float = 5.0,
        only_chat: str | None = None,
        worker: str = WORKER_ID,
        lease: timedelta = LEASE,
        before_round: Callable[[], Awaitable[object]] | None = None,
        busy: Callable[[str], frozenset[str]] | None = None,
        after_message: Callable[[str, str, int], Awaitable[object]] | None = None,
    ) -> None:
        self.after_message = after_message
        """Run after a job's notice that asks nothing went out (platform, chat, outbox id): the runtime
        shows the question the person was answering again (:meth:`bot.runtime.Runtime.reprompt`)."""
        self.only_chat = only_chat
        self.worker = worker
        self.lease = lease
        self.before_round = before_round
        """Run before each round: the runtime deletes the rows of replies it sent, which would hold their chat."""
        self.busy = busy
        """The chats of a platform whose step's replies the runtime is sending (kept in the session
        row, not held in the outbox): left alone meanwhile. Called inside the claim's transaction."""
        self.db = db
        self.adapter = adapter
        self.wakeup = wakeup or asyncio.Event()
        self.clock = clock
        self.poll_seconds = poll_seconds
        self._task = BackgroundTask(f"outbox-{adapter.platform}")
        self._stopping = False
        self._round = asyncio.Lock()

    def start(self) -> None:
        """Run in the background until :meth:`stop`."""
        self._stopping = False
        self._task.start(self._loop())

    async def stop(self) -> None:
        """Stop after the message being sent (the rest stays pending for the next start)."""
        self._stopping = True  # also ends the loop if a cancellation gets swallowed by wait_for
        self.wakeup.set()
        await self._task.stop()

    async def _loop(self) -> None:
        while not self._stopping:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                LOG.exception("outbox round failed")
            self.wakeup.clear()
            try:
                await asyncio.wait_for(self.wakeup.wait(), timeout=self.poll_seconds)
            except TimeoutError:
                pass

    async def run_once(self) -> int:
        """Send every due message once; return how many were accepted by the platform."""
        async with self._round:  # one sender at a time, or a message could go out twice
            if self.before_round is not None:
                await self.before_round()
            return await self._run_once()

    async def _run_once(self) -> int:
        platform = self.adapter.platform
        sent = 0
        held: set[str] = set()  # chats whose earlier message was postponed: keep their order
        now = iso(self.clock())
        released = await self.db.transaction(lambda conn: outbox.release_expired(conn, now, platform, self.only_chat), durable=False)
        if released:
            LOG.warning("%d reply(ies) held by a worker that stopped answering handed to the outbox", released)
        while True:
            skip = frozenset(held)
            start = self.clock()
            lease_until = start + self.lease
            batch = await self.db.transaction(
                lambda conn: outbox.claim(
                    conn, platform, iso(start), self.worker, iso(lease_until), BATCH, self.only_chat, self._skip(skip)
                ),
                durable=False,  # a claim lost in a power cut is harmless: the rows are claimed again
            )
            if not batch:
                return sent
            for message in batch:
                if message.chat_id in held:
                    continue
                if self.clock() > lease_until - self.lease / 4:  # the rest is claimed again, lease renewed
                    break
                result = await (self._edit(message) if message.edit_of else self._send(message))
                if result < 0:
                    held.add(message.chat_id)
                sent += max(result, 0)

    def _skip(self, held: frozenset[str]) -> frozenset[str]:
        """The chats this claim leaves alone: those ``held`` back, and the runtime's busy ones (read
        on the database thread, in the claim's transaction: a step committed before it is seen)."""
        return held if self.busy is None else held | self.busy(self.adapter.platform)

    async def _edit(self, message: outbox.OutboxMessage) -> int:
        """Replace a status message's text; adapters that cannot edit skip it at once (the final
        report follows), without holding the chat's later messages for an original not sent yet."""
        original = int(message.edit_of or 0)
        status, ref = await self.db.run(lambda conn: outbox.sent_ref(conn, original))
        if status == "pending" and isinstance(self.adapter, Editable):  # the status itself is not out yet: try again shortly
            when = iso(self.clock() + timedelta(seconds=2))
            await self.db.transaction(lambda conn: outbox.retry_later(conn, message.id, when, "status not sent yet", self.worker))
            return -1
        if status == "sent" and ref and isinstance(self.adapter, Editable):
            try:
                await self.adapter.edit(message.chat_id, ref, message.reply)
            except DeliveryError as error:
                LOG.info("status edit not applied: %s", error)
            except Exception:  # an edit only updates a status: never let it hold the queue
                LOG.exception("status edit %s failed", message.id)
        await self.db.transaction(lambda conn: outbox.mark_sent(conn, message.id, iso(self.clock()), worker=self.worker))
        return 0

    def _taken_over(self, message_id: int) -> None:
        LOG.warning("outbox message %s was taken over by another worker (lease expired): it may arrive twice", message_id)

    def _settled(self, conn: object, message_id: int) -> None:
        """A question's message that is not sent: it waits in the person's queue (or was resolved)."""
        stamp = iso(self.clock())
        if outbox.mark_sent(conn, message_id, stamp, worker=self.worker):  # type: ignore[arg-type]
            on_delivery(conn, message_id, "sent", stamp)  # type: ignore[arg-type]

    def _failed(self, conn: object, message_id: int, reason: str) -> None:
        stamp = iso(self.clock())
        if outbox.mark_failed(conn, message_id, stamp, reason, self.worker):  # type: ignore[arg-type]
            on_delivery(conn, message_id, "failed", stamp)  # type: ignore[arg-type]
        else:
            self._taken_over(message_id)

    async def _retry(self, message: outbox.OutboxMessage, reason: str, retry_after: float | None) -> int:
        """Count a failed attempt: try again later (backing off), or give up after MAX_ATTEMPTS."""
        if message.attempts + 1 >= MAX_ATTEMPTS:
            await self.db.transaction(lambda conn: self._failed(conn, message.id, reason))
            return 0
        delay = min(3600.0, 30.0 * 2**message.attempts) if retry_after is None else retry_after
        when = iso(self.clock() + timedelta(seconds=delay))
        await self.db.transaction(lambda conn: outbox.retry_later(conn, message.id, when, reason, self.worker))
        return -1

    async def _send(self, message: outbox.OutboxMessage) -> int:
        """1 when sent, 0 when given up, -1 when postponed (later messages of the chat wait)."""
        platform = self.adapter.platform
        prompt = message.reply.prompt_id
        reply, shown = message.reply, None
        if message.reply.meta.get("digest"):  # a digest's header: only over its suggestions, counting them now
            tokens = list(message.reply.meta["digest"])
            header = await self.db.run(lambda conn: questions.digest_header(conn, platform, message.chat_id, tokens, self.clock()))
            if header is None:
                await self.db.transaction(lambda conn: self._settled(conn, message.id))
                return 0
            language, count, total = header
            text = header_text(language, "digest.header_n", count, total)  # the same total as the "📌 1/n" that follow
            reply = replace(message.reply, text=text, language=language, meta={})
        elif is_token(prompt):  # a question outside a flow: shown now only if it becomes the current one
            delivery = await self.db.transaction(
                lambda conn: questions.before_send(conn, platform, message.chat_id, message.reply, self.clock(), message.id)
            )
            if delivery.reply is None:  # it waits in the queue silently, or was resolved meanwhile
                await self.db.transaction(lambda conn: self._settled(conn, message.id))
                return 0
            reply, shown = delivery.reply, delivery.token if delivery.verdict is questions.Verdict.SHOW else None
        elif invited_to(prompt) is not None:  # an event's invitation: its numbers never beside a question being answered
            invited, shown = await self.db.run(
                lambda conn: questions.invitation_reply(conn, platform, message.chat_id, message.reply, self.clock())
            )
            if invited is None:  # already the question on screen (shown in its turn): never twice
                await self.db.transaction(lambda conn: self._settled(conn, message.id))
                return 0
            reply = invited
        try:
            ref = await self.adapter.send(message.chat_id, reply)
        except PermanentDeliveryError as error:
            metrics.failed(platform, "unreachable")
            reason = str(error) or type(error).__name__

            def give_up(conn: object) -> None:
                stamp = iso(self.clock())
                reachability.mark_unreachable(conn, platform, message.chat_id)  # type: ignore[arg-type]
                if outbox.mark_failed(conn, message.id, stamp, reason, self.worker):  # type: ignore[arg-type]
                    on_delivery(conn, message.id, "unreachable", stamp)  # type: ignore[arg-type]

            await self.db.transaction(give_up)
            return 0
        except TemporaryDeliveryError as error:
            metrics.failed(platform, "temporary")
            return await self._retry(message, str(error) or type(error).__name__, error.retry_after)
        except DeliveryError as error:  # refused for this message only: retrying cannot help
            metrics.failed(platform, "refused")
            reason = str(error) or type(error).__name__
            await self.db.transaction(lambda conn: self._failed(conn, message.id, reason))
            return 0
        except Exception as error:  # anything else (a bug, an OS error): a failed attempt, retried later
            LOG.exception("unexpected error sending outbox message %s", message.id)
            metrics.failed(platform, "error")
            return await self._retry(message, f"{type(error).__name__}: {error}", None)
        metrics.sent(platform)

        def done(conn: object) -> bool:
            stamp = iso(self.clock())
            if not outbox.mark_sent(conn, message.id, stamp, ref if isinstance(ref, str) else None, self.worker):  # type: ignore[arg-type]
                return False  # the worker that took it over settles it
            on_delivery(conn, message.id, "sent", stamp)  # type: ignore[arg-type]
            if shown:
                questions.after_send(conn, platform, message.chat_id, shown, stamp)  # type: ignore[arg-type]
            return True

        if not await self.db.transaction(done):
            self._taken_over(message.id)
        elif (
            self.after_message is not None
            and message.reply.notice
            and prompt is None
            and reply is message.reply
            and message.edit_of is None
        ):
            # A job's notice that asks nothing (« Pas de suggestion… ») mid-question: that question again. Never
            # after a step's own replies the worker sends late (rate-limited, or left by a stop): they hold it.
            await self.after_message(platform, message.chat_id, message.id)
        return 1
