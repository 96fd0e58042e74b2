"""Long polling that confirms an update to the Bot API only once it was handled.

The Bot API keeps an update until ``getUpdates`` is called with an ``offset`` greater than its
``update_id``. python-telegram-bot's ``Updater`` moves the offset as soon as a batch is
queued, so a crash loses what was queued but not yet handled. :class:`UpdateFetcher` polls
itself and always asks with ``offset`` = the oldest update still being handled (or the next
one when none is): an update is confirmed only after its handler returned, i.e. after the
core committed its step and sent (or kept) its replies. A crash at any moment makes the Bot
API redeliver every unfinished update; the core's event ids drop what was already committed.

Updates of one person are handled in order, those of different people concurrently. While
some are in flight, a poll returns them again: they are recognised by id and skipped.

The Bot API hands out at most 100 updates per call, in order: while one person's backlog waits
(a flood: their updates are handled one at a time), the offset would stay at its oldest one and
every poll return the same 100, so that nobody's later message could even be fetched. With a
:class:`UpdateJournal` (the bot's database, see ``storage/inbox.py``), once
:data:`RECORD_AFTER` updates are held back, those in flight are recorded durably, in one
transaction, and the offset moves past them: the Bot API forgets them, the journal keeps them
until they are handled (then they are forgotten in batches). At start, what the journal still
holds is handled first: a kill at any moment loses no update. Once every update in flight is
recorded, nothing holds the offset back and the poller long-polls again.

Fairness: the flood gate decides when an update is fetched, before it is parsed (with
``raw_updates``, the JSON of ``getUpdates``): what it drops costs neither parsing nor a task. A message
counts at the time it was written (its ``date``): a backlog fetched at once after a restart is not a flood. An
update that arrives while the same person's earlier ones are still in flight is reported to
``on_backlog`` (the adapter then does not refill their chat's burst for it). With several webhook
workers, ``shared_gate`` (:class:`bot.fairness.SharedFloodGate`) counts a person's updates in the
database they share, so that the burst and the one "doucement…" hold for all the workers together.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from telegram import Bot, Update
from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot.fairness import Admission, FloodGate

__all__ = ["UpdateFetcher", "UpdateJournal"]

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "callback_query")
REPOLL_SECONDS = 0.05
"""While updates are in flight, how long to wait for one of them before polling again."""
RECORD_AFTER = 50
"""Updates fetched but not confirmed (held back by the oldest one in flight) beyond which the ones in
flight are recorded in the journal and confirmed (``getUpdates`` returns 100 at most)."""


class UpdateJournal(Protocol):
    """Where updates are kept durably between their confirmation to the Bot API and their handling."""

    async def sync(self, record: Sequence[Update], forget: Sequence[int]) -> None:
        """In one durable transaction: keep ``record``, drop the handled ``forget`` (update ids)."""
        ...

    async def waiting(self) -> list[Update]:
        """The updates kept and not handled yet (after a stop or a kill), oldest first."""
        ...


class UpdateFetcher:
    """``getUpdates`` in a loop, handlers run per person in order, offsets confirmed after handling."""

    def __init__(
        self,
        bot: Bot,
        handle: Callable[[Update], Awaitable[None]],
        poll_timeout: float = 10.0,
        max_concurrent: int = 256,
        gate: FloodGate | None = None,
        on_flood: Callable[[Update], Awaitable[None]] | None = None,
        journal: UpdateJournal | None = None,
        on_backlog: Callable[[Update], None] | None = None,
        raw_updates: Callable[[int, int], Awaitable[Sequence[dict[str, Any]]]] | None = None,
        shared_gate: Callable[[int, float | None], Awaitable[Admission]] | None = None,
    ) -> None:
        self.bot = bot
        self.shared_gate = shared_gate
        """The gate of every worker together (the webhook's updates, :meth:`run`): instead of ``gate``."""
        self.raw_updates = raw_updates
        """``getUpdates`` (offset, timeout) returning the JSON objects, unparsed: the fetcher then parses
        only the updates it lets through (parsing is most of what a flood costs). Without it,
        ``bot.get_updates``."""
        self.on_backlog = on_backlog
        """Told of an update let through while earlier ones of the same person are still being handled:
        it waited in their backlog, so it answers nothing the bot said since (see :meth:`run`)."""
        self.journal = journal
        self.gate = gate
        self.on_flood = on_flood
        self.handle = handle
        self.poll_timeout = poll_timeout
        self._slots = asyncio.Semaphore(max_concurrent)
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._updates: dict[int, Update] = {}
        """The updates in flight (to record them)."""
        self._journaled: set[int] = set()
        """Updates in flight recorded in the journal (they no longer hold the offset back)."""
        self._finished: list[int] = []
        """Journaled updates handled since the last sync (to forget)."""
        self._people: dict[int, tuple[asyncio.Lock, int]] = {}
        self._last_seen = -1
        self._task: asyncio.Task[None] | None = None

    @property
    def offset(self) -> int:
        """What to send as ``offset``: every update below it was handled or recorded in the journal."""
        held = [update_id for update_id in self._in_flight if update_id not in self._journaled]
        if held:
            return min(held)
        return self._last_seen + 1 if self._last_seen >= 0 else 0

    @property
    def running(self) -> bool:
        """The polling loop is alive."""
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Poll in the background until :meth:`stop` (first handling what the journal still holds)."""
        self._task = asyncio.create_task(self._loop(), name="telegram-updates")

    async def _resume(self) -> None:
        """Dispatch the updates recorded, confirmed, and not handled before a stop or a kill."""
        if self.journal is None:
            return
        for update in await self.journal.waiting():
            if update.update_id in self._in_flight:
                continue
            self._journaled.add(update.update_id)
            self._dispatch(update, admitted=True)  # it passed the flood gate before it was recorded

    async def stop(self, timeout: float = 30.0) -> None:
        """Stop polling, let the updates in flight finish, confirm them to the Bot API."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._in_flight:
            await asyncio.wait(list(self._in_flight.values()), timeout=timeout)
        try:
            await self._sync(record=False)
        except Exception:  # noqa: BLE001 - kept updates are handled again at start, and skipped
            log.exception("could not forget the handled Telegram updates")
        if self._last_seen >= 0:
            try:  # confirm what was handled, so that the next start does not receive it again
                await self.bot.get_updates(offset=self.offset, limit=1, timeout=0, allowed_updates=ALLOWED_UPDATES)
            except TelegramError as exc:
                log.info("could not confirm the last updates (they will be redelivered and skipped): %s", exc)

    async def _sync(self, record: bool) -> None:
        """Record the updates in flight (``record``) and forget the handled ones, in one transaction."""
        if self.journal is None:
            return
        fresh = [self._updates[i] for i in sorted(self._in_flight) if i not in self._journaled and i in self._updates] if record else []
        if not fresh and not self._finished:
            return
        finished, self._finished = self._finished, []
        self._journaled.update(update.update_id for update in fresh)
        try:
            await self.journal.sync(fresh, finished)
        except BaseException:
            self._journaled.difference_update(update.update_id for update in fresh)
            self._finished.extend(finished)
            raise

    def _held_back(self) -> int:
        """How many fetched updates the offset still holds back."""
        return self._last_seen + 1 - self.offset if self._last_seen >= 0 else 0

    async def _loop(self) -> None:
        delay = 1.0
        try:
            await self._resume()
        except Exception:  # noqa: BLE001 - the database will say more; polling goes on
            log.exception("could not read the Telegram updates kept before the last stop")
        while True:
            if self.journal is not None and (
                self._held_back() >= RECORD_AFTER or len(self._finished) >= RECORD_AFTER or (self._finished and not self._in_flight)
            ):
                await asyncio.sleep(0)  # let the updates just dispatched start: those done at once need no recording
                try:
                    await self._sync(record=self._held_back() >= RECORD_AFTER)
                except Exception:  # noqa: BLE001 - not recorded: the offset stays where it was
                    log.exception("could not record Telegram updates in flight")
            try:
                # the Bot API returns at once what it still holds: long polling only when nothing
                # fetched holds the offset back (updates in flight all recorded, e.g. a flooder's backlog)
                fresh = await self._fetch(0 if self._held_back() else int(self.poll_timeout))
            except RetryAfter as exc:
                await asyncio.sleep(_seconds(exc.retry_after))
                continue
            except InvalidToken as exc:
                log.error("Telegram refused the bot token while polling: %s", exc.message)
                await asyncio.sleep(60)
                continue
            except TelegramError as exc:
                log.warning("Telegram getUpdates failed: %s", exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            except Exception:  # never let the loop die: the bot would silently stop listening
                log.exception("unexpected error while polling Telegram")
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            delay = 1.0
            if self._held_back() and not fresh:  # only updates still in flight: wait for one that holds the offset
                holding = [task for update_id, task in self._in_flight.items() if update_id not in self._journaled]
                await asyncio.wait(holding, timeout=REPOLL_SECONDS, return_when=asyncio.FIRST_COMPLETED)

    async def _fetch(self, timeout: int) -> int:
        """One ``getUpdates``; dispatch the updates not seen yet; how many there were."""
        if self.raw_updates is None:
            updates = await self.bot.get_updates(offset=self.offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES)
            fresh = [update for update in updates if update.update_id > self._last_seen]
            for update in fresh:
                self._dispatch(update)
            return len(fresh)
        count = 0
        for data in await self.raw_updates(self.offset, timeout):
            update_id = int(data["update_id"])
            if update_id > self._last_seen:
                count += 1
                self._dispatch_raw(update_id, data)
        return count

    def _dispatch_raw(self, update_id: int, data: dict[str, Any]) -> None:
        """An update as the Bot API sent it: the gate first, so that what a flood drops is never parsed."""
        self._last_seen = max(self._last_seen, update_id)
        admission = self._gate(_sender(data), _date(data))
        if admission is Admission.DROP:
            return
        try:
            update = Update.de_json(data, self.bot)
        except Exception:  # noqa: BLE001 - one malformed update must not stop the others
            log.exception("could not read Telegram update %s", update_id)
            return
        if update is None:
            return
        if admission is Admission.ADMIT:
            self._enter(update)
        self._start(update, admission)

    def _dispatch(self, update: Update, admitted: bool = False) -> None:
        self._last_seen = max(self._last_seen, update.update_id)
        self._start(update, self._arrive(update, admitted))

    def _start(self, update: Update, admission: Admission) -> None:
        if admission is Admission.DROP:
            return  # nothing to do: confirmed with the next poll
        task = asyncio.create_task(self._handle_arrived(update, admission), name=f"telegram-update-{update.update_id}")
        self._in_flight[update.update_id] = task
        self._updates[update.update_id] = update
        task.add_done_callback(lambda _: self._done(update.update_id))

    def _done(self, update_id: int) -> None:
        self._in_flight.pop(update_id, None)
        self._updates.pop(update_id, None)
        if update_id in self._journaled:
            self._journaled.discard(update_id)
            self._finished.append(update_id)

    async def run(self, update: Update, admitted: bool = False) -> None:
        """Handle one update after the earlier ones of the same person (also used by the webhook).

        A person's updates wait for their own lock before taking one of the shared slots, so a
        person's backlog holds one slot at most; beyond a burst (the gate, checked on arrival)
        their updates are dropped — confirmed, not handled — the first one answered by ``on_flood``.
        An update that arrives while earlier ones of the same person are still in flight is
        reported to ``on_backlog`` (what they wrote all at once is answered at their chat's pace).
        ``admitted``: already let through by the gate (an update kept in the journal, handled after a restart).
        With a ``shared_gate`` (several workers), the gate is the one they share.
        """
        user = update.effective_user
        if self.shared_gate is not None and not admitted and user is not None:
            admission = await self.shared_gate(user.id, _written(update))
            if admission is Admission.ADMIT:
                self._enter(update)
        else:
            admission = self._arrive(update, admitted)
        await self._handle_arrived(update, admission)

    def _arrive(self, update: Update, admitted: bool) -> Admission:
        """The update's arrival, at once (before anything waits): the gate, then its place in the person's order."""
        user = update.effective_user
        admission = Admission.ADMIT if admitted else self._gate(user.id if user is not None else None, _written(update))
        if admission is Admission.ADMIT:
            self._enter(update)
        return admission

    def _gate(self, user_id: int | None, sent_at: float | None = None) -> Admission:
        if user_id is None or self.gate is None:
            return Admission.ADMIT
        return self.gate.arrive(user_id, sent_at)

    def _enter(self, update: Update) -> None:
        """Take the update's place in its person's order (``on_backlog`` if earlier ones are in flight)."""
        user = update.effective_user
        key = user.id if user is not None else 0
        lock, users = self._people.get(key, (asyncio.Lock(), 0))
        self._people[key] = (lock, users + 1)
        if users and user is not None and self.on_backlog is not None:
            self.on_backlog(update)

    async def _handle_arrived(self, update: Update, admission: Admission) -> None:
        if admission is not Admission.ADMIT:
            if admission is Admission.WARN and self.on_flood is not None:
                try:
                    await self.on_flood(update)
                except Exception:  # noqa: BLE001 - a warning that cannot be sent changes nothing
                    log.exception("could not tell a flooding person to slow down")
            return
        user = update.effective_user
        key = user.id if user is not None else 0
        lock, _ = self._people[key]
        try:
            async with lock, self._slots:
                await self.handle(update)
        except Exception:  # handled means: done with, even badly (the core already answered a failed step)
            log.exception("error while handling Telegram update %s", update.update_id)
        finally:
            _, users = self._people[key]
            if users <= 1:
                del self._people[key]
            else:
                self._people[key] = (lock, users - 1)


def _sender(data: dict[str, Any]) -> int | None:
    """Who sent an update, read from its JSON (its ``effective_user`` once parsed)."""
    for key, value in data.items():
        if key != "update_id" and isinstance(value, dict):
            sender = value.get("from")
            return int(sender["id"]) if isinstance(sender, dict) and "id" in sender else None
    return None


def _date(data: dict[str, Any]) -> float | None:
    """When a message was written, read from an update's JSON (a button press: unknown)."""
    message = data.get("message")
    date = message.get("date") if isinstance(message, dict) else None
    return float(date) if isinstance(date, int | float) else None


def _written(update: Update) -> float | None:
    """When a message was written (``Message.date``; a button press: unknown)."""
    return update.message.date.timestamp() if update.message is not None and update.message.date is not None else None


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]
