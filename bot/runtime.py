"""The runtime: turns an incoming event into a durable conversation step, then sends the replies.

For each event: take the person's lock, then in ONE transaction on the database thread
record the event id (a redelivery stops here), load the session and the person's data,
advance the pure engine, store the effects and the new session; once committed, send the
replies. A crash before the commit loses nothing (the adapter acknowledges an event to its
platform only once :meth:`Runtime.handle` returned, so the platform redelivers it and the step
is redone); a crash after it resumes at the new step. The step's replies are written to the
outbox in the same transaction, *held* (the worker leaves them alone) while the runtime sends
them directly; sent ones are then deleted. Replies still held at a crash are released to the
worker at the next start, and an unexpected error while sending releases them at once: a
committed step never loses its replies (the one in flight at a crash may arrive twice).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, TypeVar

from bot import metrics
from bot.adapters.base import Adapter, KeepsFiles
from bot.config import Config
from bot.leadership import LEASE_SECONDS, WORKER_ID
from conversations.calls import CALL_EFFECTS
from conversations.decisions import in_timezone
from conversations.directory import DIRECTORY_EFFECTS
from conversations.engine import UserInput
from conversations.events import EVENT_EFFECTS, CalendarFile, PublishEvent, SignUp
from conversations.i18n import normalise_language, translate
from conversations.lookup import Loaded, NeedData, Query
from conversations.model import (
    ActorView,
    AddCoordinator,
    AddToCallAnswer,
    Context,
    CreateActor,
    CreateListing,
    Decide,
    DeleteActor,
    Effect,
    Identity,
    MarkAnswersRead,
    ProposeIntroduction,
    RemoveCoordinator,
    StartBroadcast,
    TakeBack,
    Territories,
    UpdateActor,
    UpdateListing,
)
from conversations.queue import question_open
from conversations.router import ALL_FLOWS, advance, resume, settle
from conversations.todo import TODO_EFFECTS
from core.clock import iso, local, utcnow
from core.errors import DeliveryError, PermanentDeliveryError, TemporaryDeliveryError
from core.types import Attachment, Incoming, Outcome, Reply, UserKey
from services import alliances, calls, coordination, directory, events, groups, introductions, lookups, reachability, todo
from storage import actors, erasure, identities, listings, locks, outbox
from storage import introductions as introduction_store
from storage.database import Database

LOG = logging.getLogger(__name__)
T = TypeVar("T")
COORDINATION_EFFECTS = (AddCoordinator, RemoveCoordinator, StartBroadcast, ProposeIntroduction, MarkAnswersRead)
QUEUEING_EFFECTS = (Decide, TakeBack, *alliances.ALLIANCE_EFFECTS, *alliances.COORDINATOR_EFFECTS)
"""Effects that write messages for others to the outbox (besides the coordination, call, to-do,
directory and event effects, which always do)."""
TYPED_FIELDS = frozenset(step.field for flow in ALL_FLOWS.values() for step in flow.steps.values() if step.kind == "text")
"""Session fields holding what a person typed (erased with them), as opposed to options they picked."""
MAX_HEAVY_READS = 4
"""Reads one step may do off the writer before it runs them inline."""
BUSY_RETRIES = 40
"""Tries (about 4 s in all) while another worker holds the person's lock, before waiting for it."""
HELD_LEASE = timedelta(seconds=LEASE_SECONDS)
"""How long a step's replies stay this worker's to send directly; past it (the worker died), any
worker's outbox sends them."""
SETTLE_DELAY = 0.1
"""Seconds the outbox rows of sent replies may wait before a background transaction deletes them
(meanwhile the person's next step deletes them in its own transaction). Until then the worker
leaves that chat's later messages alone; it is woken up once they are deleted."""


def _language(conn: sqlite3.Connection, actor_id: int | None) -> str:
    """The actor's language (French when unknown)."""
    actor = actors.load_actor(conn, actor_id) if actor_id is not None else None
    return actor.language if actor is not None else "fr"


class Delivery(Enum):
    """What became of one reply."""

    SENT = "sent"
    POSTPONED = "postponed"
    UNREACHABLE = "unreachable"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """What processing one event produced."""

    outcome: Outcome
    replies: tuple[Reply, ...]
    actor_id: int | None = None
    queued: bool = False
    """The step wrote messages for others to the outbox (the worker is woken up)."""
    erased: bool = False
    """The step deleted a person: the file is rebuilt and the WAL emptied once it is committed."""
    held: tuple[int, ...] = ()
    """Outbox ids of ``replies``, held for the runtime to send directly (same order)."""
    kept: bool = False
    """``replies`` are kept in the person's session row instead (SQLite), until sent."""


class UserLocks:
    """One asyncio lock per conversation, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[UserKey, tuple[asyncio.Lock, int]] = {}

    def __len__(self) -> int:
        return len(self._locks)

    async def __call__(self, key: UserKey) -> _Held:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            await lock.acquire()
        except BaseException:  # cancelled while waiting: no longer a user of the lock
            self._forget(key, lock)
            raise
        return _Held(self, key, lock)

    def _release(self, key: UserKey, lock: asyncio.Lock) -> None:
        lock.release()
        self._forget(key, lock)

    def _forget(self, key: UserKey, lock: asyncio.Lock) -> None:
        _, users = self._locks[key]
        if users <= 1:
            del self._locks[key]
        else:
            self._locks[key] = (lock, users - 1)


class _Held:
    def __init__(self, owner: UserLocks, key: UserKey, lock: asyncio.Lock) -> None:
        self._owner, self._key, self._lock = owner, key, lock

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *_: object) -> None:
        self._owner._release(self._key, self._lock)  # noqa: SLF001


class Runtime:
    """The platform-agnostic core shared by every adapter."""

    def __init__(
        self,
        db: Database,
        config: Config,
        territories: Territories,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.config = config
        self.territories = territories
        self.clock = clock
        self.adapters: dict[str, Adapter] = {}
        self._locks = UserLocks()
        self.outbox_wakeup = asyncio.Event()
        self.worker = WORKER_ID
        self._sent: dict[UserKey, list[int]] = {}
        """Outbox ids of held replies already sent, not deleted yet (per person)."""
        self.keeps_replies = isinstance(db, Database)
        """SQLite: a step's replies ride in its session row (:func:`storage.outbox.held_replies`),
        not in outbox rows; PostgreSQL's workers keep off a chat by its held outbox rows."""
        self._acked: set[UserKey] = set()
        """People whose kept replies were all sent, their session row not cleared yet."""
        self._busy: dict[tuple[str, str], int] = {}
        """Chats (platform, chat id) a step is being run or answered for: the outbox worker leaves
        them alone meanwhile (what is queued for them waits behind the step's replies)."""
        self._busy_lock = threading.Lock()  # read by the worker's claim, on the database thread
        self._flusher: asyncio.Task[None] | None = None

    def attach(self, adapter: Adapter) -> None:
        """Register an adapter so that replies to its platform go through it."""
        self.adapters[adapter.platform] = adapter

    async def handle(self, incoming: Incoming) -> Outcome:
        """Process one incoming event (the adapters' handler); return once its replies are sent or kept."""
        async with await self._locks(incoming.key):
            if not self.keeps_replies:
                return await self._handle(incoming)
            chat = (incoming.platform, incoming.chat_id)
            with self._busy_lock:
                self._busy[chat] = self._busy.get(chat, 0) + 1
            try:
                return await self._handle(incoming)
            finally:
                with self._busy_lock:
                    if self._busy[chat] <= 1:
                        del self._busy[chat]
                    else:
                        self._busy[chat] -= 1

    def busy_chats(self, platform: str) -> frozenset[str]:
        """Chats of ``platform`` whose step is running or whose replies are being sent (the worker
        skips them: nothing queued for them may overtake those replies). Thread-safe."""
        with self._busy_lock:
            return frozenset(chat for (on, chat) in self._busy if on == platform)

    async def _handle(self, incoming: Incoming) -> Outcome:
        """:meth:`handle`, the person's lock held."""
        try:
            step = await self._step(incoming)
        except Exception:
            ids: dict[str, object] = {"platform": incoming.platform, "event_id": incoming.event_id}
            LOG.exception("step failed for %s:%s", incoming.platform, incoming.event_id, extra=ids)
            language = normalise_language(incoming.language_code) or self.config.language
            await self.deliver(incoming.platform, incoming.chat_id, Reply(translate(language, "error.internal"), language=language))
            return Outcome.REJECTED
        if LOG.isEnabledFor(logging.DEBUG):  # identifiers only: never what was written
            ids = {"platform": incoming.platform, "event_id": incoming.event_id, "actor_id": step.actor_id}
            LOG.debug("step %s", step.outcome.value, extra=ids)
        if step.outcome is Outcome.DUPLICATE:
            LOG.debug("duplicate event %s:%s ignored", incoming.platform, incoming.event_id)
            return step.outcome
        if step.queued:
            self.outbox_wakeup.set()
        if step.erased:
            await self.db.erase_traces()
            adapter = self.adapters.get(incoming.platform)
            if isinstance(adapter, KeepsFiles):  # the files on disk too (the console's exports)
                await asyncio.to_thread(adapter.forget_person, incoming.user_id)
        try:
            await self._send_held(incoming.platform, incoming.chat_id, step, incoming.key)
        except Exception:  # whatever went wrong, the committed replies go to the outbox worker
            LOG.exception("replies of %s:%s left to the outbox", incoming.platform, incoming.event_id)
            now = iso(self.clock())

            def release(conn: sqlite3.Connection) -> None:
                if step.kept:
                    outbox.keep_held(conn, incoming.platform, incoming.chat_id, step.actor_id, step.replies, now)
                    identities.clear_held(conn, [(incoming.platform, incoming.user_id)])
                else:
                    outbox.release(conn, step.held, now)

            await self.db.transaction(release)
            self.outbox_wakeup.set()
        return step.outcome

    async def _send_held(self, platform: str, chat_id: str, step: StepOutcome, key: UserKey | None = None) -> None:
        """Send a step's held replies in order, then settle their outbox rows in one transaction.

        Sent and refused ones are deleted; on a temporary failure the reply waits in the outbox
        (retried later) and the ones after it are released behind it; when the person blocked
        the bot, they are marked unreachable and the rest is dropped. Replies kept in the session
        row (SQLite) are settled the same way (:meth:`_send_kept`).
        """
        if step.kept:
            await self._send_kept(platform, chat_id, step, key)
            return
        done: list[int] = []
        postponed: tuple[int, str, float] | None = None
        unreachable = False
        for index, (message_id, reply) in enumerate(zip(step.held, step.replies, strict=True)):
            delivery, error, delay = await self._try(platform, chat_id, reply)
            if delivery in (Delivery.SENT, Delivery.DROPPED):
                done.append(message_id)
                continue
            if delivery is Delivery.UNREACHABLE:
                unreachable = True
                done.extend(step.held[index:])
            else:
                postponed = (message_id, error, delay)
            break
        if not done and postponed is None:
            return
        if key is not None and postponed is None and not unreachable and not step.erased:
            # all sent: no transaction of its own; the rows go with the person's next step or a
            # background batch (a crash before then sends them again, as for a reply in flight)
            self._sent.setdefault(key, []).extend(done)
            self._flush_soon()
            return
        now = self.clock()

        def settle(conn: sqlite3.Connection) -> None:
            outbox.delete(conn, done)
            if unreachable:
                reachability.mark_unreachable(conn, platform, chat_id)
            if postponed is not None:
                message_id, error, delay = postponed
                outbox.retry_later(conn, message_id, iso(now + timedelta(seconds=delay)), error)
                outbox.release(conn, step.held[step.held.index(message_id) + 1 :], iso(now))

        await self.db.transaction(settle, durable=postponed is not None or unreachable)
        if postponed is not None:
            self.outbox_wakeup.set()

    async def _try(self, platform: str, chat_id: str, reply: Reply) -> tuple[Delivery, str, float]:
        """:meth:`_attempt` for a step's reply, drawn first if it is a chart."""
        try:
            drawn = await self._render(reply) if reply.meta.get("render") else reply  # a chart to draw first
            return await self._attempt(platform, chat_id, drawn)
        except Exception as exc:  # e.g. a chart that cannot be drawn: the worker sends the stored text
            LOG.exception("a reply to %s:%s could not be prepared; the outbox worker sends it", platform, chat_id)
            return Delivery.POSTPONED, f"{type(exc).__name__}: {exc}", 0.0

    async def _send_kept(self, platform: str, chat_id: str, step: StepOutcome, key: UserKey | None) -> None:
        """:meth:`_send_held` for replies kept in the session row: all sent, the row is cleared
        with the person's next step or a background batch; else, in one transaction, the row is
        cleared and what was not sent goes to the outbox (a temporary failure: retried later, the
        rest behind it; the person blocked the bot: marked unreachable, the rest dropped)."""
        postponed: tuple[int, str, float] | None = None
        unreachable = False
        for index, reply in enumerate(step.replies):
            delivery, error, delay = await self._try(platform, chat_id, reply)
            if delivery is Delivery.UNREACHABLE:
                unreachable = True
            elif delivery is Delivery.POSTPONED:
                postponed = (index, error, delay)
            else:
                continue
            break
        if key is not None and postponed is None and not unreachable:
            self._acked.add(key)  # as for sent outbox rows: a crash before the clearing sends them again
            self._flush_soon()
            return
        now = self.clock()

        def settle(conn: sqlite3.Connection) -> None:
            if key is not None:
                identities.clear_held(conn, [(key.platform, key.user_id)])
            if unreachable:
                reachability.mark_unreachable(conn, platform, chat_id)
            if postponed is not None:
                index, error, delay = postponed
                retry = (iso(now + timedelta(seconds=delay)), error)
                outbox.keep_held(conn, platform, chat_id, step.actor_id, step.replies[index:], iso(now), retry)

        await self.db.transaction(settle, durable=postponed is not None or unreachable)
        if postponed is not None:
            self.outbox_wakeup.set()

    async def _step(self, incoming: Incoming) -> StepOutcome:
        """Run the step; a read it needs is done off the writer first, then the step again."""
        loaded: dict[Query, object] = {}
        now = local(self.clock(), self.config.timezone)  # dates (expiry, "today") are local ones
        sent = self._sent.pop(incoming.key, [])  # the previous step's replies: deleted in this one
        acked = incoming.key in self._acked  # the previous step's kept replies were sent: cleared in this one
        self._acked.discard(incoming.key)
        busy = 0
        heavy = 0

        def process(conn: sqlite3.Connection, inline: bool = False, wait: bool = True) -> StepOutcome:
            outbox.delete(conn, sent)
            if acked:
                identities.clear_held(conn, [(incoming.platform, incoming.user_id)])
            return self._process(conn, incoming, now, loaded, inline=inline, wait=wait)

        try:
            while heavy < MAX_HEAVY_READS:
                try:
                    wait = busy >= BUSY_RETRIES
                    return await self.db.transaction(lambda conn: process(conn, wait=wait))
                except NeedData as need:  # the step was rolled back: nothing changed
                    query = need.query
                    loaded[query] = await self.db.read(lambda conn: self._load(conn, query, now))
                    heavy += 1
                except locks.Busy:  # another worker is handling this person's previous event
                    busy += 1
                    await asyncio.sleep(min(0.2, 0.005 * 2**busy))
            return await self.db.transaction(lambda conn: process(conn, inline=True))
        except BaseException:  # rolled back with the step: deleted later
            if sent:
                self._sent.setdefault(incoming.key, []).extend(sent)
            if acked:
                self._acked.add(incoming.key)
            if sent or acked:
                self._flush_soon()
            raise

    def _flush_soon(self) -> None:
        """Delete the rows of sent replies shortly, in one transaction for everyone."""
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_later(), name="traitdunion-sent-replies")

    async def _flush_later(self) -> None:
        await asyncio.sleep(SETTLE_DELAY)
        if await self.flush_sent():
            self.outbox_wakeup.set()  # what the held rows kept back in those chats may go now

    async def flush_sent(self) -> bool:
        """Delete the outbox rows of every reply already sent, now (the outbox worker calls it before
        each round, the app before closing); whether there were any."""
        flushed = False
        while self._sent or self._acked:
            taken, self._sent = self._sent, {}
            acked, self._acked = self._acked, set()
            ids = [message_id for ids in taken.values() for message_id in ids]
            keys = [(key.platform, key.user_id) for key in acked]

            def flush(conn: sqlite3.Connection, ids: list[int] = ids, keys: list[tuple[str, str]] = keys) -> None:
                outbox.delete(conn, ids)
                if keys:
                    identities.clear_held(conn, keys)

            try:
                await self.db.transaction(flush, durable=False)
            except Exception:
                LOG.exception("rows of sent replies not deleted; tried again later")
                for key, message_ids in taken.items():
                    self._sent.setdefault(key, []).extend(message_ids)
                self._acked |= acked
                return flushed
            flushed = True
        return flushed

    def _load(self, conn: sqlite3.Connection, query: Query, now: datetime) -> object:
        return lookups.load(conn, query, now, self.config.calls_per_week)

    def _pure(self, conn: sqlite3.Connection, loaded: dict[Query, object], now: datetime, inline: bool, run: Callable[[], T]) -> T:
        """Run a pure conversation function; ``inline``: what it needs is read on ``conn`` at once,
        else :class:`NeedData` goes up to :meth:`_step` (which reads it off the writer)."""
        while True:
            try:
                return run()
            except NeedData as need:
                if not inline:
                    raise
                loaded[need.query] = self._load(conn, need.query, now)

    def _context(
        self,
        conn: sqlite3.Connection,
        identity: Identity,
        actor: ActorView | None,
        now: datetime,
        loaded: dict[Query, object],
        invite: dict[str, Any] | None = None,
        invite_area: tuple[str, str] | None = None,
        coordinates: bool = True,
    ) -> Context:
        """What the engine reads during a step, loaded on ``conn`` (the step's transaction);
        ``coordinates`` False: the person is known to coordinate no area (not read again)."""
        return Context(
            now=now,
            identity=identity,
            actor=actor,
            listings=listings.listings_of(conn, actor.id, now.date().isoformat()) if actor else (),
            default_language=self.config.language,
            territories=self.territories,
            is_admin=self.config.is_admin(identity.platform, identity.user_id),
            decisions=in_timezone(introduction_store.open_decisions(conn, actor.id, iso(now)), self.config.timezone)
            if actor is not None
            else (),
            areas=coordination.areas_of(conn, identity.platform, identity.user_id) if coordinates else (),
            invite=invite,
            invite_area=invite_area,
            lookup=Loaded(loaded, timezone=self.config.timezone),
        )

    def _process(
        self,
        conn: sqlite3.Connection,
        incoming: Incoming,
        now: datetime,
        loaded: dict[Query, object] | None = None,
        inline: bool = False,
        wait: bool = True,
    ) -> StepOutcome:
        """One conversation step, run inside a transaction on the database thread.

        ``loaded``: the reads done off the writer so far (None: every read is done inline).
        Several workers (PostgreSQL): the person's advisory lock serialises their events across
        processes; without ``wait``, :class:`storage.locks.Busy` when another worker holds it.
        """
        if loaded is None:
            loaded, inline = {}, True
        stamp = iso(now)
        key = locks.person_key(incoming.platform, incoming.user_id)
        if wait:
            locks.lock_key(conn, key)
        else:
            locks.try_lock_key(conn, key)
        identities.prefetch_step(conn, incoming.platform, incoming.user_id)  # PostgreSQL: read in mark_processed's round trip
        if not identities.mark_processed(conn, incoming.platform, incoming.event_id, stamp):
            return StepOutcome(Outcome.DUPLICATE, ())
        identity = Identity(
            platform=incoming.platform,
            user_id=incoming.user_id,
            display_name=incoming.display_name,
            handle=incoming.handle,
            language_code=incoming.language_code,
        )
        actor_id, session, coordinates = identities.arrive(conn, identity, incoming.chat_id, stamp)
        actor = actors.load_actor(conn, actor_id) if actor_id is not None else None
        if actor is not None and actor.unreachable:
            actors.update_actor(conn, actor.id, {"unreachable": False}, stamp)
            reachability.reachable_again(actor.id, incoming.platform)
        invite = invite_area = None
        if actor is None and session.invite:  # the invitation's commune is proposed during onboarding
            _, invite = coordination.invite_candidate(conn, session.invite, self.territories)
            invite_area = coordination.invite_area(conn, session.invite)  # or its area's communes come first
        context = self._context(conn, identity, actor, now, loaded, invite, invite_area, coordinates)
        areas = context.areas
        user_input = UserInput(text=incoming.text, choice=incoming.choice, choices=incoming.choices, prompt_id=incoming.prompt_id)
        result = self._pure(conn, loaded, now, inline, lambda: advance(session, user_input, context))
        actor_id, notes = self._apply(conn, result.effects, identity, actor_id, now, stamp)
        for sign_up in (e for e in result.effects if isinstance(e, SignUp)):  # stored before what waits is read again:
            if actor_id is not None:  # an invitation answered leaves the queue, never shown again after its answer
                language = result.session.language or self.config.language
                notes.extend(events.sign_up(conn, sign_up, actor_id, language, self.config, now))
        if result.next_question is not None and actor is not None and actor_id is not None:
            # what waits is read again once the effects are stored (an answer may resolve others)
            # and in the profile's language as it is now (the step may have just changed it)
            changed = any(isinstance(effect, UpdateActor) for effect in result.effects)
            fresh = replace(context, actor=actors.load_actor(conn, actor_id) or actor) if changed else context
            settled = replace(fresh, decisions=in_timezone(introduction_store.open_decisions(conn, actor_id, stamp), self.config.timezone))
            first = result
            restored = next(
                (str(note.meta[introductions.RESTORED]) for note in notes if note.meta.get(introductions.RESTORED)), None
            )  # shown again now
            result = self._pure(conn, loaded, now, inline, lambda: settle(first, settled, shown_first=restored))
        coordinator_effects = [e for e in result.effects if isinstance(e, COORDINATION_EFFECTS)]
        language = result.session.language or self.config.language
        for effect in coordinator_effects:
            notes.extend(coordination.apply(conn, effect, identity, incoming.chat_id, language, areas, self.config, now))
        call_effects: list[object] = []
        for call_effect in (e for e in result.effects if isinstance(e, CALL_EFFECTS)):  # /organisation, /appels
            notes.extend(calls.apply(conn, call_effect, identity, language, areas, self.config, now))
            call_effects.append(call_effect)
        for todo_effect in (e for e in result.effects if isinstance(e, TODO_EFFECTS)):  # /relancer, the to-do setting
            notes.extend(todo.apply(conn, todo_effect, identity, language, areas, now))
            call_effects.append(todo_effect)
        for directory_effect in (e for e in result.effects if isinstance(e, DIRECTORY_EFFECTS)):  # "Me présenter" from /annuaire
            notes.extend(directory.apply(conn, directory_effect, actor, areas, language, now))
            call_effects.append(directory_effect)
        for event_effect in (e for e in result.effects if isinstance(e, EVENT_EFFECTS)):  # /evenement, /evenements
            if isinstance(event_effect, PublishEvent):
                notes.extend(events.publish(conn, event_effect, identity, incoming.chat_id, language, areas, self.config, now))
            elif isinstance(event_effect, CalendarFile) and actor_id is not None:
                notes.extend(events.calendar_file(conn, event_effect, actor_id, language, self.config, now))
            call_effects.append(event_effect)
        for alliance_effect in result.effects:  # working groups, company programmes
            if isinstance(alliance_effect, alliances.COORDINATOR_EFFECTS):
                requester = (identity.platform, incoming.chat_id)
                notes.extend(
                    alliances.apply_coordinator(conn, alliance_effect, areas, requester, coordination.who(identity), language, now)
                )
        if actor is None and actor_id is not None and result.session.invite:  # the profile was just created
            invited_by, _ = coordination.invite_candidate(conn, result.session.invite, self.territories)
            if invited_by is not None:
                actors.update_actor(conn, actor_id, {"invited_by": invited_by}, stamp)
        erased = any(isinstance(effect, DeleteActor) for effect in result.effects)
        outcome = Outcome.ACCEPTED if result.accepted else Outcome.REJECTED
        queued = bool(coordinator_effects) or bool(call_effects) or any(isinstance(effect, QUEUEING_EFFECTS) for effect in result.effects)
        if notes or any(reply.meta.get("chosen") for reply in result.replies):  # "C'est noté : …" comes first
            chosen = tuple(reply for reply in result.replies if reply.meta.get("chosen"))
            replies = (*chosen, *notes, *(reply for reply in result.replies if not reply.meta.get("chosen")))
        else:
            replies = tuple(result.replies)
        if not erased and self.keeps_replies:  # SQLite: the replies ride in the session row the step writes anyway
            held_json = outbox.held_replies(incoming.chat_id, actor_id, replies) if replies else None
            identities.save_step(conn, incoming.platform, incoming.user_id, result.session, stamp, held_json)
            return StepOutcome(outcome, replies, actor_id, queued, kept=bool(replies))
        if not erased:
            identities.save_session(conn, incoming.platform, incoming.user_id, result.session, stamp)
        lease = iso(self.clock() + HELD_LEASE) if replies else ""
        held = tuple(
            outbox.enqueue(
                conn,
                incoming.platform,
                incoming.chat_id,
                reply,
                stamp,
                actor_id,
                outbox.HELD,
                claimed_by=self.worker,
                lease_until=lease,
            )
            for reply in replies
        )
        return StepOutcome(outcome, replies, actor_id, queued, erased=erased, held=held)

    async def resume(self, platform: str, user_id: str, chat_id: str, waiting_only: bool = False) -> None:
        """Show someone coming back (the console reopened) where they were and their current question
        (``waiting_only``: the first waiting question, when none is current)."""
        now = local(self.clock(), self.config.timezone)
        for reply in await self.db.transaction(lambda conn: self._resumed(conn, platform, user_id, now, waiting_only)):
            await self.deliver(platform, chat_id, reply)

    async def reprompt(self, platform: str, chat_id: str, message_id: int) -> None:
        """After a scheduled message (outbox ``message_id``, no question of its own: « Pas de suggestion cette
        fois… ») reached someone in the middle of a question — a flow's step, a decision being answered —,
        that question again (« ↩ Reprenons où vous en étiez : … »), so that they know what is expected; once,
        after the last message queued for the chat, and never for a question left for hours."""
        noticed = await self.db.transaction(lambda conn: identities.recipient(conn, platform, chat_id))
        if noticed is None:
            return
        # Under the person's lock, like their own messages: never while one is being answered; and once their
        # answer has moved the conversation on, it showed them what comes next — nothing to show again.
        async with await self._locks(UserKey(platform, noticed[0])):
            now = local(self.clock(), self.config.timezone)

            def step(conn: sqlite3.Connection) -> tuple[Reply, ...]:
                if outbox.later_pending(conn, platform, chat_id, message_id):  # what follows is shown first
                    return ()
                person = identities.recipient(conn, platform, chat_id)
                if person is None or person[0] != noticed[0] or person[2] != noticed[2] or not question_open(person[2], person[3], now):
                    return ()
                return self._resumed(conn, platform, person[0], now, False)

            for reply in await self.db.transaction(step):
                await self.deliver(platform, chat_id, reply)

    def _resumed(self, conn: sqlite3.Connection, platform: str, user_id: str, now: datetime, waiting_only: bool) -> tuple[Reply, ...]:
        """Where ``user_id`` was and their current question (:func:`conversations.router.resume`), now current."""
        stamp = iso(now)
        known, actor_id = identities.identity_actor(conn, platform, user_id)
        session = identities.load_session(conn, platform, user_id)
        if not known:
            return ()
        actor = actors.load_actor(conn, actor_id) if actor_id is not None else None
        loaded: dict[Query, object] = {}
        identity = identities.stored_identity(conn, platform, user_id)  # its handle names the contact option as before
        context = self._context(conn, identity, actor, now, loaded)
        result = self._pure(conn, loaded, now, True, lambda: resume(session, context, waiting_only=waiting_only))
        if result.session != session or result.replies:  # a question shown again is current from now on: what
            identities.save_session(conn, platform, user_id, result.session, stamp)  # waited never shows it twice
        return result.replies

    @staticmethod
    def _apply(
        conn: sqlite3.Connection,
        effects: tuple[Effect, ...],
        identity: Identity,
        actor_id: int | None,
        moment: datetime,
        stamp: str | None = None,
    ) -> tuple[int | None, list[Reply]]:
        """Store the effects of a step; return the actor id and replies the effects produced
        (``stamp``: ``iso(moment)``, when the caller has it)."""
        now = iso(moment) if stamp is None else stamp
        notes: list[Reply] = []
        for effect in effects:
            if isinstance(effect, CreateActor):
                actor_id = actors.create_actor(conn, effect.fields, now)
                identities.link_actor(conn, identity.platform, identity.user_id, actor_id)
            elif isinstance(
                effect,
                (COORDINATION_EFFECTS + CALL_EFFECTS + TODO_EFFECTS + DIRECTORY_EFFECTS + EVENT_EFFECTS, alliances.COORDINATOR_EFFECTS),
            ):
                continue  # applied by the caller, which knows the coordinator's areas
            elif isinstance(effect, alliances.ALLIANCE_EFFECTS):
                notes.extend(alliances.apply(conn, effect, actor_id, _language(conn, actor_id), moment))
            elif isinstance(effect, DeleteActor):  # also for someone who never finished onboarding
                if actor_id is not None:  # calls still queued for them count as not delivered
                    coordination.withdraw_calls(conn, actor_id, now)
                    introductions.tell_left_behind(conn, actor_id, now)  # who waits for them, or met them
                    groups.tell_member_left(conn, actor_id, now)  # their groups: one member fewer, never who
                erasure.erase_person(conn, actor_id, identity.platform, identity.user_id, TYPED_FIELDS)
                actor_id = None
            elif actor_id is None:
                raise RuntimeError(f"{type(effect).__name__} without an actor")
            elif isinstance(effect, UpdateActor):
                actors.update_actor(conn, actor_id, effect.fields, now)
                if effect.fields.get("paused") is True or effect.fields.get("consent_calls") is False:
                    coordination.withdraw_calls(conn, actor_id, now)  # rights are re-checked for what is queued
            elif isinstance(effect, CreateListing):
                listings.create_listing(conn, actor_id, effect.fields, now)
            elif isinstance(effect, UpdateListing):
                listings.update_listing(conn, actor_id, effect.listing_id, effect.fields, now)
            elif isinstance(effect, Decide):
                notes.extend(introductions.answer(conn, actor_id, effect.token, effect.value, moment))
            elif isinstance(effect, TakeBack):
                notes.extend(introductions.take_back_decline(conn, actor_id, effect.hint, _language(conn, actor_id), moment))
            elif isinstance(effect, AddToCallAnswer):
                introductions.add_to_call_answer(conn, actor_id, effect.broadcast_id, effect.text, effect.remove)
        return actor_id, notes

    @staticmethod
    async def _render(reply: Reply) -> Reply:
        """Draw what a reply asks to be drawn (charts), in a worker thread, before sending it."""
        if reply.meta.get("render") != "impact_png":
            return reply
        from services.impact import impact_png

        data = await asyncio.to_thread(impact_png, reply.meta["figures"], reply.language, reply.meta.get("label"))
        return replace(reply, attachment=Attachment("impact.png", "image/png", data), meta={})

    async def deliver(self, platform: str, chat_id: str, reply: Reply, actor_id: int | None = None) -> Delivery:
        """Send a reply now; on a temporary failure keep it in the outbox for the worker."""
        delivery, _, delay = await self._attempt(platform, chat_id, reply)
        if delivery is Delivery.UNREACHABLE:
            await self.db.transaction(lambda conn: reachability.mark_unreachable(conn, platform, chat_id))
        elif delivery is Delivery.POSTPONED:
            await self._keep(platform, chat_id, reply, actor_id, delay)
        return delivery

    async def _attempt(self, platform: str, chat_id: str, reply: Reply) -> tuple[Delivery, str, float]:
        """Try to send ``reply`` once: (what became of it, the error, the delay before a retry)."""
        adapter = self.adapters.get(platform)
        if adapter is None:
            LOG.warning("no adapter for platform %s: reply kept in the outbox", platform)
            return Delivery.POSTPONED, f"no adapter for {platform}", 0.0
        try:
            await adapter.send(chat_id, reply)
        except PermanentDeliveryError as error:
            LOG.debug("%s chat unreachable: %s", platform, error)
            metrics.failed(platform, "unreachable")
            return Delivery.UNREACHABLE, str(error), 0.0
        except TemporaryDeliveryError as error:
            LOG.warning("%s delivery postponed: %s", platform, error)
            metrics.failed(platform, "temporary")
            return Delivery.POSTPONED, str(error), 30.0 if error.retry_after is None else error.retry_after
        except DeliveryError as error:  # refused for this message only (e.g. malformed): not retried
            LOG.error("%s refused a message: %s", platform, error)
            metrics.failed(platform, "refused")
            return Delivery.DROPPED, str(error), 0.0
        except Exception as error:  # a bug or an OS error in the adapter: the outbox worker retries it
            LOG.exception("%s adapter failed to send; the reply goes to the outbox", platform)
            metrics.failed(platform, "error")
            return Delivery.POSTPONED, f"{type(error).__name__}: {error}", 0.0
        metrics.sent(platform)
        return Delivery.SENT, "", 0.0

    async def _keep(self, platform: str, chat_id: str, reply: Reply, actor_id: int | None, delay: float) -> None:
        now = self.clock()
        when = iso(now + timedelta(seconds=delay))
        await self.db.transaction(lambda conn: outbox.enqueue(conn, platform, chat_id, reply, iso(now), actor_id, when))
        self.outbox_wakeup.set()
