#!/usr/bin/env python3
"""Benchmark of the conversation core against python-telegram-bot's ConversationHandler.

Run on demand (never part of the test suite, no timed assertion anywhere)::

    .venv/bin/python bench/engine.py [--users 2000] [--steps 5] [--runs 3]

Every user sends the same realistic 5-message start of the onboarding (``--steps`` keeps
the first n of them), and the users are interleaved (everyone's 1st message, then
everyone's 2nd...)::

    /start            -> welcome + "what are you?" (kind)
    1                 -> kind = association, "what is its name?"
    Asso n            -> name stored, "which commune?"
    retour            -> back: "what is its name?" again
    Les amis de n     -> name corrected, "which commune?"

(the commune step is not answered: a commune asks for a confirmation, a second message).

Variants, each measured ``--runs`` times (medians reported):

* ``ours seq``: the real :class:`bot.runtime.Runtime` (via :meth:`bot.app.App.open`) on a
  temporary database file with the default settings (WAL, synchronous=FULL), the packaged
  territory resolver (loaded before timing) and a recording adapter (platform "bench")
  whose ``send`` appends. One message in flight at a time, like the PTB variants.
  Every step is committed (fsync) before its replies are sent: durable.
* ``ours cN``: the same with N messages in flight (``--concurrency``): one task per user
  sends its messages in order, a semaphore bounds how many ``handle()`` calls run at once.
  The group commit then batches the concurrent steps into one fsync.
* ``ours @R/s``: open loop: the interleaved messages arrive at a fixed rate R (``--rate``),
  whatever the latency, as a platform would deliver them; latency includes queueing.
* ``ptb memory``: the same flow with PTB 22.8 ``ConversationHandler`` (persistent) and
  ``PicklePersistence`` at its default 60 s interval, fed offline through
  ``Application.process_update`` with a recording ``BaseRequest``: state only in memory.
* ``ptb durable``: the same, with ``await app.update_persistence()`` after every update
  (the whole pickle rewritten): durable, but slow, hence ``--ptb-durable-users`` (200).

With ``--db postgresql://user@host:port/dbname`` (a server where the user may create
databases), each of our variants also runs on PostgreSQL in the same run (``… [pg]``): a
throw-away database ``tdu_bench_<pid>_<n>`` is created per run and dropped after it; one bot
worker (process), its default 4 writer connections. The load average is printed beside the
figures (the machine may be shared).

With ``--db``, ``ours N workers c8 [pg]`` (``--workers``, default 2 and 3) runs N worker
processes (spawned, each with its own App and connections, as N ``traitdunion run`` would) on
one PostgreSQL database; the users are spread over the workers (user ``u`` on worker
``u % N``, a sticky load balancer), each worker with 8 messages in flight. The clock starts
when every worker is ready; p99 is over all workers' latencies.

Our variants start their clock once the jobs started with the bot are done (``App.caught_up``:
on a fresh database the latest round counts as missed and runs at start, in a child process).

Latency is the duration of one ``handle()`` (resp. ``process_update`` [+ flush]) call;
msgs/s is messages divided by the wall time of the whole variant.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# not bench/ itself: its modules (bench/telegram.py...) would shadow the libraries
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bot.app import App  # noqa: E402
from bot.config import Config  # noqa: E402
from core.types import Incoming, Outcome, Reply  # noqa: E402

PLATFORM = "bench"


def script(user: int) -> list[str]:
    """The 5 messages one user sends (see the module docstring)."""
    return ["/start", "1", f"Asso {user}", "retour", f"Les amis de {user}"]


def interleaved(users: int, steps: int) -> list[tuple[int, int, str]]:
    """(user, step, text) in arrival order: everyone's 1st message, then everyone's 2nd..."""
    return [(user, step, script(user)[step]) for step in range(steps) for user in range(users)]


@dataclass
class Result:
    variant: str
    users: int
    messages: int
    seconds: float
    latencies: list[float]
    durable: bool
    cpu_ms: float = 0.0
    """CPU of the bot's process per message (ms), all threads."""
    server_cpu_ms: float | None = None
    """CPU of the PostgreSQL server processes serving the bot, per message (ms); None on SQLite."""

    @property
    def rate(self) -> float:
        return self.messages / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


# ---------------------------------------------------------------- ours


class RecordingAdapter:
    """An adapter whose ``send`` just appends (the text only: keeping 10,000s of Reply
    objects alive would make the garbage collector's full passes, not the bot, dominate p99;
    the PTB request records the text only too)."""

    platform = PLATFORM

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def start(self, handler: Callable[[Incoming], Awaitable[Outcome]]) -> None:
        self.handler = handler

    async def send(self, chat_id: str, reply: Reply) -> None:
        self.sent.append(reply.text)

    async def stop(self) -> None:
        return None


def incoming(user: int, step: int, text: str) -> Incoming:
    return Incoming(
        platform=PLATFORM,
        user_id=str(user),
        chat_id=str(user),
        event_id=f"{user}-{step}",
        text=text,
        display_name=f"User {user}",
        language_code="fr",
    )


_pg_count = 0


def _pg_database(server: str) -> str:
    """A new empty database on ``server``; its URL."""
    import psycopg

    global _pg_count
    _pg_count += 1
    info = psycopg.conninfo.conninfo_to_dict(server)
    name = f"tdu_bench_{os.getpid()}_{_pg_count}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    info["dbname"] = name
    return psycopg.conninfo.make_conninfo(**info)


def _pg_drop(server: str, url: str) -> None:
    import psycopg

    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _target(directory: str, server: str | None) -> str:
    if server is None:
        return os.path.join(directory, "bench.db")
    return _pg_url(_pg_database(server))


def _pg_url(conninfo: str) -> str:
    """A conninfo string as a ``postgresql://`` URL (what ``TRAITDUNION_DB`` takes)."""
    import psycopg

    info = psycopg.conninfo.conninfo_to_dict(conninfo)
    auth = info.get("user", "postgres") + (f":{info['password']}" if info.get("password") else "")
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{auth}@{info.get('host', '127.0.0.1')}{port}/{info['dbname']}"


async def _open(territories: Any, directory: str, server: str | None = None) -> tuple[App, RecordingAdapter]:
    adapter = RecordingAdapter()
    app = await App.open(Config(db=_target(directory, server)), adapters=[adapter], territories=territories)
    await app.start()
    # before the clock starts: on this fresh database the latest round counts as missed, and its
    # child process (spawned, importing the matching) would compete with the steps measured
    await app.caught_up()
    return app, adapter


async def _close(app: App, server: str | None) -> None:
    await app.stop()
    if server is not None:
        _pg_drop(server, app.config.db)


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _cpu_server(app: App) -> float | None:
    if not app.config.db.startswith("postgresql://"):
        return None
    pids = await app.db.run(
        lambda conn: [int(r[0]) for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")]
    )
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # not a local server
            return None
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _per_message(cpu0: float, server0: float | None, server1: float | None, messages: int) -> tuple[float, float | None]:
    bot = (_cpu_self() - cpu0) * 1000 / messages
    if server0 is None or server1 is None:
        return bot, None
    return bot, (server1 - server0) * 1000 / messages


def _suffix(server: str | None) -> str:
    return "" if server is None else " [pg]"


async def _check(app: App, adapter: RecordingAdapter, users: int, steps: int, outcomes: list[Outcome]) -> None:
    """The flow really happened: every message accepted, sessions where expected."""
    bad = [o for o in outcomes if o is not Outcome.ACCEPTED]
    assert not bad, f"{len(bad)} messages not accepted: {bad[:3]}"
    expected_step = [None, "kind", "name", "place", "name", "place"][steps]
    rows = await app.db.run(lambda c: c.execute("SELECT state FROM sessions WHERE platform = ?", (PLATFORM,)).fetchall())
    assert len(rows) == users, (len(rows), users)
    wrong = [r[0] for r in rows if json.loads(r[0]).get("step") != expected_step]
    assert not wrong, f"{len(wrong)} sessions not at {expected_step}: {wrong[:1]}"
    assert len(adapter.sent) >= users * steps


async def run_ours_closed(territories: Any, users: int, steps: int, concurrency: int, server: str | None = None) -> Result:
    """Closed loop: one task per user, at most ``concurrency`` handle() calls at once."""
    with tempfile.TemporaryDirectory(prefix="bench-engine-") as directory:
        app, adapter = await _open(territories, directory, server)
        handle = app.runtime.handle
        gate = asyncio.Semaphore(concurrency)
        latencies: list[float] = []
        outcomes: list[Outcome] = []
        # the semaphore is FIFO and the tasks start in user order: after answering its step s,
        # a user queues behind everyone still waiting for step s (interleaved arrivals).

        async def user_task(user: int) -> None:
            for step, text in enumerate(script(user)[:steps]):
                async with gate:
                    t0 = time.perf_counter()
                    outcome = await handle(incoming(user, step, text))
                    latencies.append(time.perf_counter() - t0)
                outcomes.append(outcome)

        gc.collect()
        cpu0, server0 = _cpu_self(), await _cpu_server(app)
        start = time.perf_counter()
        await asyncio.gather(*(user_task(u) for u in range(users)))
        seconds = time.perf_counter() - start
        cpu, server_cpu = _per_message(cpu0, server0, await _cpu_server(app), users * steps)
        await _check(app, adapter, users, steps, outcomes)
        await _close(app, server)
    name = ("ours seq" if concurrency == 1 else f"ours c{concurrency}") + _suffix(server)
    return Result(name, users, users * steps, seconds, latencies, True, cpu, server_cpu)


def _worker_process(url: str, users: list[int], steps: int, concurrency: int, ready: Any, go: Any, out: Any) -> None:
    """One bench worker (a spawned process): its own App on ``url``, its share of the users."""
    from territories import default_resolver

    async def main() -> None:
        territories = default_resolver()
        territories.resolve("Villeurbanne")
        adapter = RecordingAdapter()
        app = await App.open(Config(db=url), adapters=[adapter], territories=territories)
        app.run_jobs = False
        await app.start()
        gate = asyncio.Semaphore(concurrency)
        latencies: list[float] = []
        outcomes: list[Outcome] = []

        async def user_task(user: int) -> None:
            for step, text in enumerate(script(user)[:steps]):
                async with gate:
                    t0 = time.perf_counter()
                    outcome = await app.runtime.handle(incoming(user, step, text))
                    latencies.append(time.perf_counter() - t0)
                outcomes.append(outcome)

        gc.collect()
        ready.put(os.getpid())
        await asyncio.get_running_loop().run_in_executor(None, go.wait)
        cpu0 = _cpu_self()
        await asyncio.gather(*(user_task(u) for u in users))
        cpu = _cpu_self() - cpu0
        bad = sum(1 for o in outcomes if o is not Outcome.ACCEPTED)
        out.put((latencies, bad, cpu))
        await app.stop()

    asyncio.run(main())


async def run_ours_workers(territories: Any, users: int, steps: int, workers: int, server: str, concurrency: int = 8) -> Result:
    """N worker processes on one PostgreSQL database, the users spread over them."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    url = _pg_url(_pg_database(server))
    try:
        from storage.database import open_database

        async with open_database(url):  # migrated once, before the workers start
            pass
        ready, out, go = context.Queue(), context.Queue(), context.Event()
        processes = [
            context.Process(
                target=_worker_process,
                args=(url, [u for u in range(users) if u % workers == index], steps, concurrency, ready, go, out),
            )
            for index in range(workers)
        ]
        for process in processes:
            process.start()
        loop = asyncio.get_running_loop()
        for _ in processes:
            await loop.run_in_executor(None, ready.get)
        start = time.perf_counter()
        go.set()
        latencies: list[float] = []
        bad = 0
        cpu = 0.0
        for _ in processes:
            part, failed, spent = await loop.run_in_executor(None, out.get)
            latencies.extend(part)
            bad += failed
            cpu += spent
        seconds = time.perf_counter() - start
        for process in processes:
            await loop.run_in_executor(None, process.join)
        assert bad == 0, f"{bad} messages not accepted"
        async with open_database(url) as db:
            sessions = await db.run(lambda c: c.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])
        assert sessions == users, (sessions, users)
    finally:
        _pg_drop(server, url)
    name = f"ours {workers} workers c{concurrency} [pg]"
    return Result(name, users, users * steps, seconds, latencies, True, cpu * 1000 / (users * steps), None)


async def run_ours_open(territories: Any, users: int, steps: int, rate: float, server: str | None = None) -> Result:
    """Open loop: the interleaved messages arrive every 1/rate s, whatever the latency."""
    messages = interleaved(users, steps)
    with tempfile.TemporaryDirectory(prefix="bench-engine-") as directory:
        app, adapter = await _open(territories, directory, server)
        handle = app.runtime.handle
        latencies: list[float] = []
        outcomes: list[Outcome] = []

        async def one(user: int, step: int, text: str) -> None:
            t0 = time.perf_counter()
            outcome = await handle(incoming(user, step, text))
            latencies.append(time.perf_counter() - t0)
            outcomes.append(outcome)

        loop = asyncio.get_running_loop()
        tasks: set[asyncio.Task[None]] = set()  # done tasks dropped: not kept for the GC to walk
        gc.collect()
        cpu0, server0 = _cpu_self(), await _cpu_server(app)
        start = time.perf_counter()
        for index, (user, step, text) in enumerate(messages):
            due = start + index / rate
            delay = due - time.perf_counter()
            if delay > 0.0005:
                await asyncio.sleep(delay)
            # asyncio.Lock is FIFO: a user's messages are handled in the order they arrive
            task = loop.create_task(one(user, step, text))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        while tasks:
            await asyncio.gather(*list(tasks))
        seconds = time.perf_counter() - start
        cpu, server_cpu = _per_message(cpu0, server0, await _cpu_server(app), len(messages))
        await _check(app, adapter, users, steps, outcomes)
        await _close(app, server)
    return Result(f"ours @{rate:g}/s{_suffix(server)}", users, len(messages), seconds, latencies, True, cpu, server_cpu)


# ---------------------------------------------------------------- python-telegram-bot


def _ptb_imports() -> Any:
    import telegram
    import telegram.ext
    import telegram.request

    return telegram, telegram.ext, telegram.request


def _recording_request_class() -> type:
    _, _, request = _ptb_imports()

    class RecordingRequest(request.BaseRequest):
        """Answers the Bot API offline: getMe, and sendMessage recorded."""

        def __init__(self) -> None:
            self.sent: list[str] = []
            self._message_id = 0

        async def initialize(self) -> None:
            return None

        async def shutdown(self) -> None:
            return None

        @property
        def read_timeout(self) -> float | None:
            return None

        async def do_request(self, url: str, method: str, request_data: Any = None, **_: Any) -> tuple[int, bytes]:
            endpoint = url.rsplit("/", 1)[-1]
            if endpoint == "getMe":
                result: Any = {
                    "id": 1,
                    "is_bot": True,
                    "first_name": "Bench",
                    "username": "bench_bot",
                    "can_join_groups": True,
                    "can_read_all_group_messages": False,
                    "supports_inline_queries": False,
                }
            elif endpoint == "sendMessage":
                params = request_data.parameters if request_data is not None else {}
                self.sent.append(params.get("text", ""))
                self._message_id += 1
                result = {
                    "message_id": self._message_id,
                    "date": 0,
                    "chat": {"id": int(params["chat_id"]), "type": "private"},
                    "from": {"id": 1, "is_bot": True, "first_name": "Bench"},
                    "text": params.get("text", ""),
                }
            else:
                result = True
            return 200, json.dumps({"ok": True, "result": result}).encode()

    return RecordingRequest


KIND, NAME, PLACE = range(3)
KINDS = ("association", "collectivite", "entreprise", "particulier")


def _ptb_application(persistence_path: str) -> tuple[Any, Any]:
    telegram, ext, _ = _ptb_imports()
    request = _recording_request_class()()

    async def start(update: Any, context: Any) -> int:
        await update.effective_message.reply_text("Bienvenue !")
        await update.effective_message.reply_text("Vous êtes : 1. Association 2. Collectivité 3. Entreprise 4. Particulier")
        return KIND

    async def kind(update: Any, context: Any) -> int:
        text = update.effective_message.text.strip()
        if not (text.isdigit() and 1 <= int(text) <= len(KINDS)):
            await update.effective_message.reply_text("Répondez par un numéro.")
            return KIND
        context.user_data["kind"] = KINDS[int(text) - 1]
        await update.effective_message.reply_text("Quel est son nom ?")
        return NAME

    async def name(update: Any, context: Any) -> int:
        context.user_data["name"] = " ".join(update.effective_message.text.split())
        await update.effective_message.reply_text("Dans quelle commune ?")
        return PLACE

    async def back(update: Any, context: Any) -> int:
        await update.effective_message.reply_text("Quel est son nom ?")
        return NAME

    async def place(update: Any, context: Any) -> int:
        context.user_data["place"] = update.effective_message.text
        return ext.ConversationHandler.END

    text = ext.filters.TEXT & ~ext.filters.COMMAND
    handler = ext.ConversationHandler(
        entry_points=[ext.CommandHandler("start", start)],
        states={
            KIND: [ext.MessageHandler(text, kind)],
            NAME: [ext.MessageHandler(text, name)],
            PLACE: [ext.MessageHandler(ext.filters.Regex(r"(?i)^\s*retour\s*$"), back), ext.MessageHandler(text, place)],
        },
        fallbacks=[],
        name="onboarding",
        persistent=True,
    )
    persistence = ext.PicklePersistence(filepath=persistence_path)  # update_interval: default 60 s
    app = (
        ext.ApplicationBuilder()
        .token("1:bench")
        .request(request)
        .get_updates_request(request)
        .updater(None)
        .persistence(persistence)
        .build()
    )
    app.add_handler(handler)
    return app, request


def _raw_update(update_id: int, user: int, text: str) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": 1_700_000_000,
        "chat": {"id": user + 1000, "type": "private", "first_name": f"User {user}"},
        "from": {"id": user + 1000, "is_bot": False, "first_name": f"User {user}", "language_code": "fr"},
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


async def run_ptb(users: int, steps: int, durable: bool) -> Result:
    """Sequential process_update of the interleaved updates (+ a flush after each if durable)."""
    telegram, ext, _ = _ptb_imports()
    with tempfile.TemporaryDirectory(prefix="bench-ptb-") as directory:
        app, request = _ptb_application(os.path.join(directory, "ptb.pickle"))
        await app.initialize()
        raws = [_raw_update(i + 1, user, text) for i, (user, _, text) in enumerate(interleaved(users, steps))]
        latencies: list[float] = []
        gc.collect()
        start = time.perf_counter()
        for raw in raws:
            t0 = time.perf_counter()
            await app.process_update(telegram.Update.de_json(raw, app.bot))
            if durable:
                await app.update_persistence()
            latencies.append(time.perf_counter() - t0)
        seconds = time.perf_counter() - start
        expected_state = [None, KIND, NAME, PLACE, NAME, PLACE][steps]
        conversations = app.handlers[0][0]._conversations  # noqa: SLF001
        assert sum(1 for v in conversations.values() if v == expected_state) == users, "PTB flow did not run"
        assert len(request.sent) >= users * steps
        await app.shutdown()
    name = "ptb durable (flush/update)" if durable else "ptb memory (60 s flush)"
    return Result(name, users, len(raws), seconds, latencies, durable)


# ---------------------------------------------------------------- main


def median_result(results: list[Result]) -> dict[str, Any]:
    return {
        "variant": results[0].variant,
        "users": results[0].users,
        "messages": results[0].messages,
        "rate": statistics.median(r.rate for r in results),
        "p50": statistics.median(r.pct(0.50) for r in results),
        "p99": statistics.median(r.pct(0.99) for r in results),
        "durable": results[0].durable,
        "runs": [round(r.rate) for r in results],
        "cpu_ms": statistics.median(r.cpu_ms for r in results),
        "server_cpu_ms": None if results[0].server_cpu_ms is None else statistics.median(r.server_cpu_ms or 0.0 for r in results),
    }


def print_table(rows: list[dict[str, Any]]) -> None:
    header = (
        f"| {'variant':<28} | {'users':>5} | {'messages':>8} | {'msgs/s':>7} | {'p50 ms':>6} | {'p99 ms':>6} | durable"
        " | runs (msgs/s) | CPU ms/msg bot + server |"
    )
    print(header)
    print("|" + "|".join("-" * (len(part)) for part in header.split("|")[1:-1]) + "|")
    for row in rows:
        print(
            f"| {row['variant']:<28} | {row['users']:>5} | {row['messages']:>8} | {row['rate']:>7,.0f} | "
            f"{row['p50']:>6.2f} | {row['p99']:>6.2f} | {'yes' if row['durable'] else 'no':<7} | "
            f"{', '.join(f'{r:,}' for r in row['runs']):<13} | {_cpu_text(row):<23} |"
        )


def _cpu_text(row: dict[str, Any]) -> str:
    if not row.get("cpu_ms"):  # PTB: not measured
        return ""
    if row.get("server_cpu_ms") is None:
        return f"{row['cpu_ms']:.2f}"
    return f"{row['cpu_ms']:.2f} + {row['server_cpu_ms']:.2f}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=5, choices=range(1, 6))
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each variant (medians reported)")
    parser.add_argument("--concurrency", type=int, nargs="*", default=[1, 8, 64], help="closed-loop in-flight limits")
    parser.add_argument("--rate", type=float, nargs="*", default=[2000.0], help="open-loop arrival rates (msgs/s)")
    parser.add_argument("--ptb-durable-users", type=int, default=200)
    parser.add_argument("--only", choices=("ours", "ptb"), help="run only our variants or only PTB's")
    parser.add_argument("--json", type=Path, help="also write the medians as JSON here")
    parser.add_argument("--db", help="a postgresql:// server URL: our variants also run on PostgreSQL")
    parser.add_argument("--workers", type=int, nargs="*", default=[2, 3], help="with --db: worker processes (several workers)")
    args = parser.parse_args()

    from territories import default_resolver

    t0 = time.perf_counter()
    territories = default_resolver()
    territories.resolve("Villeurbanne")
    load_ms = (time.perf_counter() - t0) * 1000
    import telegram

    print(
        f"python {platform.python_version()}, {os.cpu_count()} CPUs, PTB {telegram.__version__}, "
        f"resolver loaded in {load_ms:.0f} ms (before timing); {args.users} users x {args.steps} steps, "
        f"{args.runs} runs per variant (medians)",
        flush=True,
    )
    plans: list[tuple[str, Callable[[], Awaitable[Result]]]] = []
    servers: list[str | None] = [None] if args.db is None else [None, args.db]
    if args.only != "ptb":
        for server in servers:
            for concurrency in args.concurrency:
                plans.append(("ours", lambda c=concurrency, s=server: run_ours_closed(territories, args.users, args.steps, c, s)))
            for rate in args.rate:
                plans.append(("ours", lambda r=rate, s=server: run_ours_open(territories, args.users, args.steps, r, s)))
        if args.db is not None:
            for count in args.workers:
                plans.append(("ours", lambda n=count: run_ours_workers(territories, args.users, args.steps, n, args.db)))
    if args.only != "ours":
        plans.append(("ptb", lambda: run_ptb(args.users, args.steps, durable=False)))
        plans.append(("ptb", lambda: run_ptb(min(args.users, args.ptb_durable_users), args.steps, durable=True)))
    rows = []
    for _, plan in plans:
        results = []
        for _ in range(args.runs):
            results.append(await plan())
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"  {results[-1].variant}: {results[-1].rate:,.0f} msgs/s, p99 {results[-1].pct(0.99):.2f} ms (load {load})", flush=True)
        rows.append(median_result(results))
    print()
    print_table(rows)
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
