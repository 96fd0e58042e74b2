"""The application: database, runtime, adapters, outbox workers and scheduler, started and
stopped together."""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta
from time import perf_counter as time_counter
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot import leadership, metrics
from bot.adapters import build_adapters
from bot.adapters.base import Adapter
from bot.config import Config
from bot.embeddings import EmbeddingWorker
from bot.logs import quiet_job_shutdowns
from bot.outbox import OutboxWorker
from bot.runtime import Runtime
from conversations import i18n
from conversations.model import Territories
from core.clock import iso, local, utcnow
from services import calls, coordination, events, introductions, todo
from services.suggestions import DIGEST_HOUR, RoundReport, current_slot, run_early_alerts, run_round
from storage import actors, identities, outbox, retention
from storage import coordination as coordination_store
from storage import health as health_store
from storage import suggestions as suggestion_store
from storage.database import Database, open_database

if TYPE_CHECKING:
    from bot.health import HealthServer

LOG = logging.getLogger(__name__)
PROCESSED_EVENTS_KEPT = timedelta(days=30)
SENT_MESSAGES_KEPT = timedelta(days=14)
"""Sent (or given up) outbox messages are forgotten after this: they hold what people wrote."""


def default_territories() -> Territories:
    """The packaged French territory resolver (loaded once)."""
    from territories import default_resolver

    return default_resolver()


def share_send_rates(db: Database, adapters: Sequence[Adapter]) -> None:
    """Make the paced send queues (Telegram's) reserve their sends in the rates all workers share."""
    from bot.adapters.telegram_sender import SendQueue
    from bot.pacing import SharedPacing

    for adapter in adapters:
        queue = getattr(adapter, "queue", None)
        if isinstance(queue, SendQueue) and queue.shared is None:
            queue.shared = SharedPacing(db, adapter.platform, queue.rate_per_second, queue.rate_per_chat, queue.chat_burst)


def share_flood_gate(db: Database, adapters: Sequence[Adapter]) -> None:
    """Make the adapters' flood gates count a person's arrivals in the database all workers share
    (a webhook worker receives any update: each counting alone would let N × the burst through)."""
    from bot.fairness import FloodGate, SharedFloodGate

    for adapter in adapters:
        gate = getattr(adapter, "gate", None)
        if isinstance(gate, FloodGate) and getattr(adapter, "shared_gate", False) is None:  # Telegram's webhook
            setattr(adapter, "shared_gate", SharedFloodGate(db, adapter.platform, gate.burst, gate.window))  # noqa: B010 - not every adapter has it


async def hand_interrupted(db: Database, adapters: Sequence[Adapter], now: str, worker: str | None) -> int:
    """At start, what a stopped process left (claims, held replies) goes to the outbox; how many replies.

    ``worker`` None (SQLite): the claims left are void at once, a stopped process's. A console
    voids only its own person's (``only_chat``): the other consoles open on the same file are
    live workers, and voiding their claims made them send their batch twice.
    """

    def release(conn: sqlite3.Connection) -> int:
        released = 0
        for adapter in adapters:
            chat = getattr(adapter, "only_chat", None)
            released += outbox.release_held(conn, now, adapter.platform, worker, chat)
            if worker is None:  # SQLite: the replies a step kept in its session row (PostgreSQL keeps none there)
                released += outbox.release_session_replies(conn, now, adapter.platform, chat)
        return released

    return int(await db.transaction(release))


class App:
    """One running bot: ``await App.open(config)``, ``await app.start()``, ``await app.stop()``."""

    def __init__(self, config: Config, db: Database, runtime: Runtime, adapters: Sequence[Adapter]) -> None:
        self.config = config
        self.db = db
        self.runtime = runtime
        self.adapters = list(adapters)
        if leadership.is_postgres_url(config.db):  # several workers: Telegram's limits and the flood gate are shared
            share_send_rates(db, self.adapters)
            share_flood_gate(db, self.adapters)
        self.workers = [
            OutboxWorker(
                db,
                adapter,
                runtime.outbox_wakeup,
                runtime.clock,
                only_chat=getattr(adapter, "only_chat", None),
                before_round=runtime.flush_sent,
                busy=runtime.busy_chats if runtime.keeps_replies else None,
                after_message=runtime.reprompt,
            )
            for adapter in self.adapters
        ]
        self.scheduler = AsyncIOScheduler(timezone=config.timezone)
        quiet_job_shutdowns()  # a job cancelled by stop() is no error
        self.run_jobs = True
        self.leader = leadership.role(config.db, leadership.SCHEDULER)
        """Only the worker holding it runs the periodic jobs (one leader among several workers)."""
        self.roles: dict[str, leadership.Role] = {
            adapter.platform: leadership.role(config.db, f"adapter:{adapter.platform}")
            for adapter in self.adapters
            if getattr(adapter, "singleton", False)
        }
        """Adapters only one worker may run (Matrix: one device, one sync token; Telegram polling)."""
        self._started: list[Adapter] = []
        self._tasks: set[asyncio.Task[object]] = set()
        self.embeddings = EmbeddingWorker(db)
        self.heartbeat_seconds = 30.0
        """The scheduler's heartbeat: ``/healthz`` fails when it is three beats late."""
        self.last_tick: datetime | None = None
        self.health: HealthServer | None = None  # the /healthz and /metrics listener

    def clock(self) -> datetime:
        """The runtime's clock (now)."""
        return self.runtime.clock()

    def connected(self, adapter: Adapter) -> bool:
        """Whether ``adapter`` is started and (when it can tell) still connected to its platform."""
        return adapter in self._started and bool(getattr(adapter, "connected", True))

    @property
    def scheduler_running(self) -> bool:
        """Whether the periodic jobs are scheduled."""
        return bool(self.scheduler.running)

    async def heartbeat(self) -> None:
        """The scheduler's tick: recorded in the database (``job_runs``) and for ``/healthz``."""
        now = self.runtime.clock()
        await self.db.transaction(lambda conn: health_store.beat(conn, health_store.HEARTBEAT_JOB, iso(now)), durable=False)
        self.last_tick = now

    @classmethod
    async def open(
        cls,
        config: Config,
        adapters: Sequence[Adapter] | None = None,
        territories: Territories | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> App:
        """Open the database (migrating it) and build the runtime and the adapters."""
        resolver = territories or default_territories()
        await asyncio.to_thread(i18n.preload)  # not during the first steps, on the database thread
        db = await open_database(config.db).open()
        try:
            runtime = Runtime(db, config, resolver, clock)
            chosen = list(adapters) if adapters is not None else build_adapters(config)
            for adapter in chosen:
                runtime.attach(adapter)
                use_database = getattr(adapter, "use_database", None)
                if callable(use_database):  # Telegram keeps polled updates there until handled
                    use_database(db)
            return cls(config, db, runtime, chosen)
        except BaseException:
            await db.close()
            raise

    async def start(self) -> None:
        """Start every adapter, the outbox workers and the periodic jobs (those of the leader only)."""
        now = iso(self.runtime.clock())
        # SQLite: this process alone serves its chats (a console: its person), what another worker id held there is a dead process's
        worker = self.runtime.worker if leadership.is_postgres_url(self.config.db) else None
        released = await hand_interrupted(self.db, self.adapters, now, worker)
        if released:
            LOG.info("%d reply(ies) interrupted by the last stop handed to the outbox", released)
        for adapter in self.adapters:  # the console's banner in the person's language, once known
            use_language = getattr(adapter, "use_language", None)
            user = getattr(adapter, "only_chat", None)
            if user and callable(use_language):
                known = await self.db.read(functools.partial(_person_language, platform=adapter.platform, user_id=str(user)))
                use_language(known or self.config.language)
        for adapter in self.adapters:
            if adapter.platform in self.roles:
                continue  # started when this worker holds its role (below)
            await adapter.start(metrics.instrument(self.runtime.handle))
            self._started.append(adapter)
            LOG.info("adapter %s started", adapter.platform)
        for adapter in self.adapters:  # a console reopened: where the person was, and that question
            user = getattr(adapter, "only_chat", None)
            if user and callable(getattr(adapter, "resume_input", None)):
                await self.runtime.resume(adapter.platform, user, user)
        self._coordinating = not self.run_jobs and await self._console_coordinates()
        if self._coordinating:  # `traitdunion chat` of a coordinator: their calls and answers move while they are here
            await self.send_due_calls()
            await self.forward_answers()
        for worker_ in self.workers:
            if worker_.adapter.platform in self.roles:
                continue
            await worker_.run_once()  # what waited while the bot was down goes out first
            worker_.start()
        for adapter in self.adapters:
            resume = getattr(adapter, "resume_input", None)
            if callable(resume):
                user = getattr(adapter, "only_chat", None)
                if user:  # then the first waiting question, if none is current
                    await self.runtime.resume(adapter.platform, user, user, waiting_only=True)
                resume()
        # The territory tables (~1 million long-lived objects) never become garbage: move them
        # out of the collector's reach so that full collections stay short (tail latency).
        gc.collect()
        gc.freeze()
        for platform, role in self.roles.items():
            adapter = next(a for a in self.adapters if a.platform == platform)
            await role.start(functools.partial(self._take_adapter, adapter), functools.partial(self._drop_adapter, adapter))
        self.scheduler.add_job(
            self.heartbeat, "interval", seconds=self.heartbeat_seconds, id="heartbeat", replace_existing=True, coalesce=True
        )
        self.scheduler.start()
        await self.heartbeat()
        if self.config.http_port is not None:
            from bot.health import HealthServer

            server = HealthServer(self, self.config.http_host, self.config.http_port)
            await server.start()
            self.health = server
        await self.leader.start(self._lead, self._follow)

    async def _take_adapter(self, adapter: Adapter) -> None:
        """This worker now holds ``adapter``'s role: connect it and send its outbox."""
        try:
            await adapter.start(metrics.instrument(self.runtime.handle))
        except Exception:
            LOG.exception("adapter %s could not start with its role", adapter.platform)
            raise
        self._started.append(adapter)
        LOG.info("adapter %s started (this worker holds its role)", adapter.platform)
        for worker in self.workers:
            if worker.adapter is adapter:
                await worker.run_once()
                worker.start()

    async def _drop_adapter(self, adapter: Adapter) -> None:
        """The role moved to another worker: stop sending and receiving through ``adapter`` here."""
        for worker in self.workers:
            if worker.adapter is adapter:
                await worker.stop()
        if adapter in self._started:
            self._started.remove(adapter)
            try:
                await adapter.stop()
            except Exception:
                LOG.exception("adapter %s did not stop cleanly", adapter.platform)

    async def _lead(self) -> None:
        """This worker became the scheduler leader: schedule the periodic jobs (and catch up)."""
        if self.run_jobs:
            self.embeddings.start()  # backfill first (progress in the log), then new and changed descriptions
            self._schedule_matching_jobs()
        if self.run_jobs or self._coordinating:
            self._schedule_coordinator_jobs(forward=not self.run_jobs)
        self.scheduler.add_job(
            self.prune_processed_events,
            "cron",
            hour=4,
            id="prune-processed-events",
            replace_existing=True,
            coalesce=True,
        )
        self.scheduler.add_job(self.prune_outbox, "cron", hour=4, minute=10, id="prune-outbox", replace_existing=True, coalesce=True)
        self.scheduler.add_job(self.retention, "cron", hour=4, minute=20, id="retention", replace_existing=True, coalesce=True)

    async def _follow(self) -> None:
        """Another worker leads now (or the database connection was lost): no periodic job here
        (but the heartbeat, which says this process's scheduler is alive)."""
        for job in self.scheduler.get_jobs():
            if job.id != "heartbeat":
                job.remove()
        await self.embeddings.stop()
        for task in list(self._tasks):
            task.cancel()

    def _schedule_matching_jobs(self) -> None:
        self.scheduler.add_job(
            self.suggestion_round,
            CronTrigger(day_of_week=self.config.suggestion_day, hour=DIGEST_HOUR, timezone=self.config.timezone),
            id="suggestion-round",
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=3600,
        )
        self.scheduler.add_job(self.maintenance, "interval", hours=1, id="introductions-maintenance", replace_existing=True, coalesce=True)
        self.scheduler.add_job(self.early_alerts, "interval", minutes=15, id="early-alerts", replace_existing=True, coalesce=True)
        self.scheduler.add_job(self.forward_answers, "interval", minutes=5, id="forward-answers", replace_existing=True, coalesce=True)
        # Jobs read what is due from the database: a run missed while the bot was down catches up now.
        task = asyncio.create_task(self._catch_up(), name="catch-up")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _schedule_coordinator_jobs(self, forward: bool) -> None:
        """Scheduled calls go out when due; with ``forward`` (the console of a coordinator, where
        the matching jobs do not run), new answers are forwarded every minute too."""
        self.scheduler.add_job(self.send_due_calls, "interval", minutes=1, id="due-calls", replace_existing=True, coalesce=True)
        if not forward:  # the bot proper (`traitdunion run`): events' reminders and follow-ups, the weekly to-do
            self.scheduler.add_job(self.events_due, "interval", minutes=15, id="events", replace_existing=True, coalesce=True)
            self.scheduler.add_job(
                self.weekly_todo,
                CronTrigger(day_of_week="mon", hour=todo.TODO_HOUR, timezone=self.config.timezone),
                id="coordinator-todo",
                replace_existing=True,
                coalesce=True,
                misfire_grace_time=3600,
            )
        if forward:
            self.scheduler.add_job(self.forward_answers, "interval", minutes=1, id="forward-answers", replace_existing=True, coalesce=True)

    async def _console_coordinates(self) -> bool:
        """Whether the person at this console coordinates a territory."""
        users = [(a.platform, str(getattr(a, "only_chat", ""))) for a in self.adapters if getattr(a, "only_chat", None)]
        if not users:
            return False
        found = await self.db.run(lambda conn: any(coordination_store.areas_of(conn, p, u) for p, u in users))
        return bool(found)

    async def events_due(self) -> dict[str, int]:
        """Day-before reminders of events, and introductions proposed among attendees afterwards."""
        counts = await self.db.transaction(lambda conn: events.run_due(conn, self.config, self.runtime.clock()))
        if any(counts.values()):
            self.runtime.outbox_wakeup.set()
        return counts

    async def weekly_todo(self, catch_up: bool = False) -> int:
        """Queue this week's to-do of every coordinator who keeps it (at most once a week); with
        ``catch_up`` (at start), only the to-dos that fell due while the bot was down."""
        count = await self.db.transaction(lambda conn: todo.send_weekly(conn, self.config, self.runtime.clock(), catch_up=catch_up))
        if count:
            self.runtime.outbox_wakeup.set()
        return count

    async def send_due_calls(self) -> int:
        """Send the scheduled calls whose time has come; report the calls whose last messages wait
        for people who are not there (``call_report_minutes``)."""
        count = await self.db.transaction(lambda conn: calls.send_due(conn, self.config, self.runtime.clock()))
        after = timedelta(minutes=self.config.call_report_minutes)
        reported = await self.db.transaction(lambda conn: coordination.report_overdue(conn, self.runtime.clock(), after))
        if count or reported:
            self.runtime.outbox_wakeup.set()
        return count

    async def caught_up(self) -> None:
        """Wait for the work started with the bot (a missed round, due reminders and calls) to finish.

        The engine benchmark starts its clock after it: on its fresh database the round of the
        latest slot counts as missed, and its child process would compete with the steps measured.
        """
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _catch_up(self) -> None:
        if await self.round_missed():  # not at every restart: only when the bot was down at the slot
            await self.suggestion_round()
        await self.maintenance()
        await self.send_due_calls()
        await self.forward_answers()
        await self.weekly_todo(catch_up=True)  # Monday 9:00 passed while the bot was down

    async def suggestion_round(self, force: bool = False, dry_run: bool = False) -> RoundReport:
        """Make the digests that are due (all of them with ``force``) and queue their messages."""
        now = local(self.runtime.clock(), self.config.timezone)  # listings expired "today" where people live
        started = time_counter()
        try:
            report = await run_round(self.db, self.runtime.territories, self.config, now, force, dry_run)
        except Exception:
            LOG.exception("suggestion round failed")
            raise
        if not dry_run:
            metrics.round_finished(time_counter() - started, len(report.suggestions))
        if not force and not dry_run:
            slot = current_slot(now, self.config.timezone, self.config.suggestion_day)
            await self.db.transaction(lambda conn: suggestion_store.record_round(conn, slot, iso(now)))
        if report.digests:
            LOG.info("suggestion round: %d digests, %d suggestions", report.digests, len(report.suggestions))
            self.runtime.outbox_wakeup.set()
        return report

    async def round_missed(self) -> bool:
        """Whether the latest digest slot passed without its round (the bot was down then)."""
        now = self.runtime.clock()
        slot = current_slot(now, self.config.timezone, self.config.suggestion_day)
        start = iso(datetime.combine(slot, time(DIGEST_HOUR), tzinfo=ZoneInfo(self.config.timezone)))
        return not await self.db.run(lambda conn: suggestion_store.round_ran_for(conn, slot, start))

    async def early_alerts(self) -> RoundReport:
        """Tell need owners at once about a strong new offer (at most once a week; /reglages turns it off)."""
        report = await run_early_alerts(self.db, self.runtime.territories, self.config, self.runtime.clock())
        if report.digests:
            LOG.info("early alerts: %d", report.digests)
            self.runtime.outbox_wakeup.set()
        return report

    async def maintenance(self) -> dict[str, int]:
        """Reminders, expiries, follow-ups and renewal questions that are due."""
        now = local(self.runtime.clock(), self.config.timezone)  # renewal dates are local ones
        counts = await self.db.transaction(lambda conn: introductions.maintenance(conn, now))
        if any(counts.values()):
            LOG.info("introductions maintenance: %s", counts)
            self.runtime.outbox_wakeup.set()
        return counts

    async def group_rooms(self) -> int:
        """Open the Matrix rooms of working groups and invite the members who said yes (see :mod:`bot.groups`)."""
        from bot.groups import open_group_rooms

        invited = await open_group_rooms(self.db, self.adapters, self.runtime.clock, self.config.language)
        if invited:
            self.runtime.outbox_wakeup.set()
        return invited

    async def forward_answers(self) -> int:
        """Send coordinators the new answers to their calls, grouped per call."""
        count = await self.db.transaction(lambda conn: coordination.forward_answers(conn, self.runtime.clock()))
        if count:
            self.runtime.outbox_wakeup.set()
        return count

    async def prune_processed_events(self) -> int:
        """Forget event ids older than 30 days (platforms never redeliver that late)."""
        before = iso(self.runtime.clock() - PROCESSED_EVENTS_KEPT)
        return await self.db.transaction(lambda conn: identities.prune_processed(conn, before))

    async def retention(self) -> dict[str, int]:
        """Forget old suggestions and digests (:mod:`storage.retention`) and event ids, by small
        transactions; then let SQLite refresh its statistics (``PRAGMA optimize``)."""
        now = self.runtime.clock()
        counts: dict[str, int] = {}
        for table, prune in retention.PRUNERS.items():
            counts[table] = 0
            while True:
                deleted = await self.db.transaction(functools.partial(prune, now=now))
                counts[table] += deleted
                if deleted < retention.BATCH:
                    break
        counts["processed_events"] = await self.prune_processed_events()
        if not self.db.in_memory:
            from bot.lifecycle import prune_exports
            from bot.lock import data_dir

            counts["exports"] = await asyncio.to_thread(prune_exports, data_dir(self.config), now)
        await self.db.optimize()
        if any(counts.values()):
            LOG.info("retention: %s", counts)
        return counts

    async def prune_outbox(self) -> int:
        """Forget messages sent or given up more than 14 days ago."""
        before = iso(self.runtime.clock() - SENT_MESSAGES_KEPT)
        return await self.db.transaction(lambda conn: outbox.prune_done(conn, before))

    async def stop(self) -> None:
        """Stop jobs, the outbox workers, then the adapters they send through (in reverse order), then
        close the database."""
        if self.health is not None:
            await self.health.stop()
            self.health = None
        await self.leader.stop()
        for role in self.roles.values():
            await role.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.embeddings.stop()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        for worker in self.workers:  # before the adapters: a worker may be sending through one
            LOG.debug("stopping worker %s", worker.adapter.platform)
            await worker.stop()
        for adapter in reversed(self._started):
            try:
                await adapter.stop()
            except Exception:
                LOG.exception("adapter %s did not stop cleanly", adapter.platform)
        self._started.clear()
        await self.runtime.flush_sent()  # sent replies are not sent again at the next start
        LOG.debug("closing database")
        await self.db.close()
        LOG.debug("closed")


def _person_language(conn: sqlite3.Connection, platform: str, user_id: str) -> str | None:
    """The language of a person: their profile's, else the one of their conversation (None: unknown)."""
    found = identities.recipient(conn, platform, user_id)
    if found is None:
        return None
    _, actor_id, session, _ = found
    return (actors.language(conn, actor_id) if actor_id is not None else None) or session.language
