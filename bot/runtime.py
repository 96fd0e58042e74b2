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
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum

from services import alliances, coordination, introductions, reachability
from bot.adapters.base import Adapter
from bot.config import Config
from core.errors import DeliveryError, PermanentDeliveryError, TemporaryDeliveryError
from core.types import Attachment, Incoming, Outcome, Reply, UserKey
from conversations.engine import UserInput
from conversations.i18n import normalise_language, translate
from conversations.model import (
    AddCoordinator,
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
    Territories,
    UpdateActor,
    UpdateListing,
)
from conversations.router import ALL_FLOWS, advance, resume, settle
from storage import actors, erasure, identities, listings, outbox
from storage import introductions as introduction_store
from core.clock import iso, local, utcnow
from storage.database import Database

LOG = logging.getLogger(__name__)
COORDINATION_EFFECTS = (AddCoordinator, RemoveCoordinator, StartBroadcast, ProposeIntroduction, MarkAnswersRead)
TYPED_FIELDS = frozenset(step.field for flow in ALL_FLOWS.values() for step in flow.steps.values() if step.kind == "text")
"""Session fields holding what a person typed (erased with them), as opposed to options they picked."""
MAX_HEAVY_READS = 3
"""Aggregates one step may read off the writer before it runs them inline."""


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

    def attach(self, adapter: Adapter) -> None:
        """Register an adapter so that replies to its platform go through it."""
        self.adapters[adapter.platform] = adapter

    async def handle(self, incoming: Incoming) -> Outcome:
        """Process one incoming event (the adapters' handler); return once its replies are sent or kept."""
        async with await self._locks(incoming.key):
            try:
                step = await self._step(incoming)
            except Exception:
                LOG.exception("step failed for %s:%s", incoming.platform, incoming.event_id)
                language = normalise_language(incoming.language_code) or self.config.language
                await self.deliver(incoming.platform, incoming.chat_id, Reply(translate(language, "error.internal"), language=language))
                return Outcome.REJECTED
            if step.outcome is Outcome.DUPLICATE:
                LOG.debug("duplicate event %s:%s ignored", incoming.platform, incoming.event_id)
                return step.outcome
            if step.queued:
                self.outbox_wakeup.set()
            if step.erased:
                await self.db.erase_traces()
            try:
                await self._send_held(incoming.platform, incoming.chat_id, step)
            except Exception:  # whatever went wrong, the committed replies go to the outbox worker
                LOG.exception("replies of %s:%s left to the outbox", incoming.platform, incoming.event_id)
                await self.db.transaction(lambda conn: outbox.release(conn, step.held, iso(self.clock())))
                self.outbox_wakeup.set()
            return step.outcome

    async def _send_held(self, platform: str, chat_id: str, step: StepOutcome) -> None:
        """Send a step's held replies in order, then settle their outbox rows in one transaction.

        Sent and refused ones are deleted; on a temporary failure the reply waits in the outbox
        (retried later) and the ones after it are released behind it; when the person blocked
        the bot, they are marked unreachable and the rest is dropped.
        """
        done: list[int] = []
        postponed: tuple[int, str, float] | None = None
        unreachable = False
        for index, (message_id, reply) in enumerate(zip(step.held, step.replies, strict=True)):
            try:
                delivery, error, delay = await self._attempt(platform, chat_id, await self._render(reply))
            except Exception as exc:  # e.g. a chart that cannot be drawn: the worker sends the stored text
                LOG.exception("a reply to %s:%s could not be prepared; the outbox worker sends it", platform, chat_id)
                delivery, error, delay = Delivery.POSTPONED, f"{type(exc).__name__}: {exc}", 0.0
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

    async def _step(self, incoming: Incoming) -> StepOutcome:
        """Run the step; an aggregate it needs is read off the writer first, then the step again."""
        prefetched: dict[tuple[object, ...], object] = {}
        now = local(self.clock(), self.config.timezone)  # dates (expiry, "today") are local ones
        for _ in range(MAX_HEAVY_READS):
            try:
                return await self.db.transaction(lambda conn: self._process(conn, incoming, now, prefetched))
            except coordination.HeavyRead as need:  # the step was rolled back: nothing changed
                prefetched[need.key] = await self.db.read(need.read)
        return await self.db.transaction(lambda conn: self._process(conn, incoming, now, None))

    def _process(
        self,
        conn: sqlite3.Connection,
        incoming: Incoming,
        now: datetime,
        prefetched: dict[tuple[object, ...], object] | None = None,
    ) -> StepOutcome:
        """One conversation step, run inside a transaction on the database thread."""
        stamp = iso(now)
        if not identities.mark_processed(conn, incoming.platform, incoming.event_id, stamp):
            return StepOutcome(Outcome.DUPLICATE, ())
        identity = Identity(
            platform=incoming.platform,
            user_id=incoming.user_id,
            display_name=incoming.display_name,
            handle=incoming.handle,
            language_code=incoming.language_code,
        )
        actor_id = identities.upsert_identity(conn, identity, incoming.chat_id, stamp)
        actor = actors.load_actor(conn, actor_id) if actor_id is not None else None
        if actor is not None and actor.unreachable:
            actors.update_actor(conn, actor.id, {"unreachable": False}, stamp)
            reachability.reachable_again(actor.id, incoming.platform)
        areas = coordination.areas_of(conn, incoming.platform, incoming.user_id)
        invite = invite_area = None
        session = identities.load_session(conn, incoming.platform, incoming.user_id)
        if actor is None and session.invite:  # the invitation's commune is proposed during onboarding
            _, invite = coordination.invite_candidate(conn, session.invite, self.territories)
            invite_area = coordination.invite_area(conn, session.invite)  # or its area's communes come first
        decisions = introduction_store.open_decisions(conn, actor.id, stamp) if actor is not None else ()
        context = Context(
            now=now,
            identity=identity,
            actor=actor,
            listings=listings.listings_of(conn, actor.id, now.date().isoformat()) if actor else (),
            default_language=self.config.language,
            territories=self.territories,
            is_admin=self.config.is_admin(incoming.platform, incoming.user_id),
            decisions=decisions,
            areas=areas,
            invite=invite,
            invite_area=invite_area,
            lookup=coordination.StoreLookup(conn, self.config, self.territories, now, prefetched),
        )
        user_input = UserInput(
            text=incoming.text, choice=incoming.choice, choices=incoming.choices, prompt_id=incoming.prompt_id
        )
        result = advance(session, user_input, context)
        actor_id, notes = self._apply(conn, result.effects, identity, actor_id, now)
        if result.next_question is not None and actor is not None and actor_id is not None:
            # what waits is read again once the effects are stored (an answer may resolve others)
            result = settle(result, replace(context, decisions=introduction_store.open_decisions(conn, actor_id, stamp)))
        coordinator_effects = [e for e in result.effects if isinstance(e, COORDINATION_EFFECTS)]
        language = result.session.language or self.config.language
        for effect in coordinator_effects:
            notes.extend(coordination.apply(conn, effect, identity, incoming.chat_id, language, areas, self.config, now))
        for effect in result.effects:  # working groups, company programmes
            if isinstance(effect, alliances.COORDINATOR_EFFECTS):
                requester = (identity.platform, incoming.chat_id)
                notes.extend(alliances.apply_coordinator(conn, effect, areas, requester, coordination.who(identity), language, now))
        if actor is None and actor_id is not None and result.session.invite:  # the profile was just created
            invited_by, _ = coordination.invite_candidate(conn, result.session.invite, self.territories)
            if invited_by is not None:
                actors.update_actor(conn, actor_id, {"invited_by": invited_by}, stamp)
        erased = any(isinstance(effect, DeleteActor) for effect in result.effects)
        if not erased:
            identities.save_session(conn, incoming.platform, incoming.user_id, result.session, stamp)
        outcome = Outcome.ACCEPTED if result.accepted else Outcome.REJECTED
        queued = bool(coordinator_effects) or any(
            isinstance(effect, (Decide, *alliances.ALLIANCE_EFFECTS, *alliances.COORDINATOR_EFFECTS)) for effect in result.effects
        )
        replies = (*notes, *result.replies)
        held = tuple(
            outbox.enqueue(conn, incoming.platform, incoming.chat_id, reply, stamp, actor_id, outbox.HELD)
            for reply in replies
        )
        return StepOutcome(outcome, replies, actor_id, queued, erased=erased, held=held)

    async def resume(self, platform: str, user_id: str, chat_id: str, waiting_only: bool = False) -> None:
        """Show someone coming back (the console reopened) where they were and their current question
        (``waiting_only``: the first waiting question, when none is current)."""

        def step(conn: sqlite3.Connection) -> tuple[Reply, ...]:
            now = self.clock()
            stamp = iso(now)
            known, actor_id = identities.identity_actor(conn, platform, user_id)
            session = identities.load_session(conn, platform, user_id)
            if not known:
                return ()
            actor = actors.load_actor(conn, actor_id) if actor_id is not None else None
            context = Context(
                now=now,
                identity=Identity(platform=platform, user_id=user_id),
                actor=actor,
                listings=listings.listings_of(conn, actor.id, now.date().isoformat()) if actor else (),
                default_language=self.config.language,
                territories=self.territories,
                is_admin=self.config.is_admin(platform, user_id),
                decisions=introduction_store.open_decisions(conn, actor.id, stamp) if actor is not None else (),
                areas=coordination.areas_of(conn, platform, user_id),
                lookup=coordination.StoreLookup(conn, self.config, self.territories, now),
            )
            result = resume(session, context, waiting_only=waiting_only)
            if result.session != session:
                identities.save_session(conn, platform, user_id, result.session, stamp)
            return result.replies

        for reply in await self.db.transaction(step):
            await self.deliver(platform, chat_id, reply)

    @staticmethod
    def _apply(
        conn: sqlite3.Connection, effects: tuple[Effect, ...], identity: Identity, actor_id: int | None, moment: datetime
    ) -> tuple[int | None, list[Reply]]:
        """Store the effects of a step; return the actor id and replies the effects produced."""
        now = iso(moment)
        notes: list[Reply] = []
        for effect in effects:
            if isinstance(effect, CreateActor):
                actor_id = actors.create_actor(conn, effect.fields, now)
                identities.link_actor(conn, identity.platform, identity.user_id, actor_id)
            elif isinstance(effect, COORDINATION_EFFECTS):
                continue  # applied by the caller, which knows the coordinator's areas
            elif isinstance(effect, alliances.COORDINATOR_EFFECTS):
                continue  # applied by the caller, which knows the coordinator's areas
            elif isinstance(effect, alliances.ALLIANCE_EFFECTS):
                notes.extend(alliances.apply(conn, effect, actor_id, _language(conn, actor_id), moment))
            elif isinstance(effect, DeleteActor):  # also for someone who never finished onboarding
                if actor_id is not None:  # calls still queued for them count as not delivered
                    coordination.withdraw_calls(conn, actor_id, now)
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
            return Delivery.UNREACHABLE, str(error), 0.0
        except TemporaryDeliveryError as error:
            LOG.warning("%s delivery postponed: %s", platform, error)
            return Delivery.POSTPONED, str(error), 30.0 if error.retry_after is None else error.retry_after
        except DeliveryError as error:  # refused for this message only (e.g. malformed): not retried
            LOG.error("%s refused a message: %s", platform, error)
            return Delivery.DROPPED, str(error), 0.0
        except Exception as error:  # a bug or an OS error in the adapter: the outbox worker retries it
            LOG.exception("%s adapter failed to send; the reply goes to the outbox", platform)
            return Delivery.POSTPONED, f"{type(error).__name__}: {error}", 0.0
        return Delivery.SENT, "", 0.0

    async def _keep(self, platform: str, chat_id: str, reply: Reply, actor_id: int | None, delay: float) -> None:
        now = self.clock()
        when = iso(now + timedelta(seconds=delay))
        await self.db.transaction(lambda conn: outbox.enqueue(conn, platform, chat_id, reply, iso(now), actor_id, when))
        self.outbox_wakeup.set()
