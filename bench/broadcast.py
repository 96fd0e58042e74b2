"""Benchmark of coordinators' broadcasts: ``python bench/broadcast.py [options]``.

1. **delivery**: a temporary database built by ``App.open`` (migrations applied) with N actors of
   Villeurbanne (69266 / EPCI 200046977 / 69) who agreed to calls, each with a Telegram identity;
   ``services.coordination.start_broadcast`` queues one outbox message each (one transaction), then
   the app's ``OutboxWorker.run_once()`` sends them through the real ``TelegramAdapter`` and its
   paced ``SendQueue`` (``rate_per_second`` = ``--rate``). PTB's HTTP layer is replaced by a
   ``BaseRequest`` that answers ``sendMessage`` at once and records when each call arrived
   (``--emulator``: over HTTP through the local Bot API emulator instead). Figures: achieved rate
   as a share of the configured one, the largest number of messages in any 1-second window
   (``[t, t + 1 s)``, which must stay <= the configured rate), total time.
2. **preview**: ``storage.coordination.audience_size`` (the coordinator's preview count) on
   100,000 synthetic actors, for a département, an EPCI and a commune, with and without
   type/theme filters: median and p95 of 20 timed calls each (after one warm-up call).

Nothing here is a test: no assertion on time, figures are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import logging
import os
import pstats
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from telegram.request import BaseRequest, RequestData  # noqa: E402

from bot.adapters.telegram import TelegramAdapter  # noqa: E402
from bot.app import App  # noqa: E402
from bot.config import Config  # noqa: E402
from conversations.model import Identity, StartBroadcast  # noqa: E402
from core.catalog import ACTOR_TYPES, THEME_VALUES  # noqa: E402
from core.clock import iso, utcnow  # noqa: E402
from services.coordination import CALL_WINDOW, areas_of, start_broadcast  # noqa: E402
from storage import coordination as store  # noqa: E402
from storage.coordination import Area, AudienceSpec  # noqa: E402

VILLEURBANNE = {"commune_code": "69266", "epci_code": "200046977", "departement_code": "69", "label": "Villeurbanne"}
COORDINATOR = "999000001"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Trait d'union", "username": "TraitDUnionBot"}
MESSAGE = (
    "Forum des associations de Villeurbanne le 14 septembre : nous cherchons des structures "
    "pour tenir un stand ou proposer un atelier. Intéressé·e ?"
)


# -- helpers -----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def max_in_window(stamps: list[float], width: float = 1.0) -> int:
    """The largest number of stamps in any half-open window ``[t, t + width)``."""
    stamps = sorted(stamps)
    best = 0
    j = 0
    for i, start in enumerate(stamps):
        j = max(j, i)
        while j < len(stamps) and stamps[j] < start + width:
            j += 1
        best = max(best, j - i)
    return best


def load_average() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


class TimedRequest(BaseRequest):
    """PTB's HTTP layer replaced: answers at once, records when each ``sendMessage`` (or status
    message edit) arrived."""

    def __init__(self) -> None:
        self.sent: list[float] = []
        self.chats: set[int] = set()
        self._next_id = 1000

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

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
        if api_method == "getMe":
            result: Any = BOT_USER
        elif api_method in ("sendMessage", "editMessageText"):  # every call that takes a token of the shared bucket
            self.sent.append(time.monotonic())
            chat_id = int(request_data.parameters["chat_id"]) if request_data else 0
            self.chats.add(chat_id)
            self._next_id += 1
            result = {
                "message_id": self._next_id,
                "date": 1_760_000_000,
                "from": BOT_USER,
                "text": "…",
                "chat": {"id": chat_id, "type": "private", "first_name": "P"},
            }
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()


# -- 1. delivery -------------------------------------------------------------------------------


def insert_recipients(conn: sqlite3.Connection, count: int, now: str) -> None:
    place = json.dumps({"label": VILLEURBANNE["label"], "epci": VILLEURBANNE["epci_code"], "departement": VILLEURBANNE["departement_code"]})
    conn.executemany(
        """
        INSERT INTO actors (id, kind, name, commune_code, place, epci_code, departement_code, themes,
                            consent_matching, consent_calls, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, '["culture"]', 1, 1, ?, ?)
        """,
        [
            (
                i,
                ACTOR_TYPES[i % 3],
                f"Structure {i}",
                VILLEURBANNE["commune_code"],
                place,
                VILLEURBANNE["epci_code"],
                VILLEURBANNE["departement_code"],
                now,
                now,
            )
            for i in range(1, count + 1)
        ],
    )
    conn.executemany(
        "INSERT INTO identities (platform, user_id, chat_id, actor_id, created_at) VALUES ('telegram', ?, ?, ?, ?)",
        [(str(100_000 + i), str(100_000 + i), i, now) for i in range(1, count + 1)],
    )


def queue_broadcast(conn: sqlite3.Connection, config: Config) -> int:
    now = utcnow()
    area = Area("commune", VILLEURBANNE["commune_code"], VILLEURBANNE["label"])
    store.add_coordinator(conn, "telegram", COORDINATOR, area, "bench", iso(now))
    areas = areas_of(conn, "telegram", COORDINATOR)
    effect = StartBroadcast(
        area={"kind": area.kind, "code": area.code, "label": area.label}, kinds=(), themes=(), message=MESSAGE, mode="interested"
    )
    start_broadcast(conn, effect, Identity("telegram", COORDINATOR), COORDINATOR, "fr", areas, config, now)
    return int(conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetchone()[0])


async def delivery(recipients: int, rate: float, *, emulator: bool = False, profile: Path | None = None) -> dict[str, Any]:
    """One broadcast to ``recipients`` actors at ``rate`` messages per second."""
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(db=str(Path(tmp) / "broadcast.db"))
        server: Any = None
        request = TimedRequest()
        if emulator:
            server = _timed_emulator()()
            await server.__aenter__()
            adapter = TelegramAdapter(server.token, server.url, rate_per_second=rate, rate_per_chat=1.0, receive=False)
        else:
            adapter = TelegramAdapter("123456:BENCH", rate_per_second=rate, rate_per_chat=1.0, receive=False, request=request)
        app = await App.open(config, adapters=[adapter], territories=_NoTerritories())
        try:
            await adapter.application.initialize()
            stamp = iso(utcnow())
            await app.db.transaction(lambda conn: insert_recipients(conn, recipients, stamp))
            t0 = time.perf_counter()
            queued = await app.db.transaction(lambda conn: queue_broadcast(conn, config))
            queue_seconds = time.perf_counter() - t0
            worker = app.workers[0]
            profiler = cProfile.Profile() if profile else None
            await asyncio.sleep(1.1)  # let the shared bucket refill (as after an idle period)
            start = time.monotonic()
            if profiler:
                profiler.enable()
            sent = await worker.run_once()
            if profiler:
                profiler.disable()
            elapsed = time.monotonic() - start
            stamps = server.stamps if server else request.sent
            counts = await app.db.run(
                lambda conn: dict(conn.execute("SELECT status, COUNT(*) FROM broadcast_recipients GROUP BY status").fetchall())
            )
            done = await app.db.run(lambda conn: conn.execute("SELECT status FROM broadcasts").fetchone()[0])
        finally:
            await adapter.application.shutdown()
            await app.stop()
            if server is not None:
                await server.__aexit__(None, None, None)
    if profiler and profile:
        profiler.dump_stats(str(profile))
        pstats.Stats(str(profile)).sort_stats("cumulative").print_stats(25)
    window = max_in_window(stamps)
    first_to_last = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    steady = [s for s in stamps if s >= stamps[0] + 1.0]
    steady_rate = (len(steady) - 1) / (steady[-1] - steady[0]) if len(steady) > 1 else float("nan")
    row = {
        "recipients": recipients,
        "rate": rate,
        "transport": "emulator (HTTP)" if emulator else "recording request",
        "queued": queued,
        "queue_seconds": queue_seconds,
        "sent": sent,
        "requests": len(stamps),
        "elapsed": elapsed,
        "achieved": len(stamps) / elapsed,
        "share": len(stamps) / elapsed / rate,
        "steady_share": steady_rate / rate,
        "max_1s": window,
        "first_to_last": first_to_last,
        "statuses": counts,
        "broadcast": done,
        "load": load_average(),
    }
    print(
        f"delivery {recipients} @ {rate:g}/s ({row['transport']}): "
        f"start_broadcast {queue_seconds:.2f} s for {queued} messages; sent {sent} in {elapsed:.1f} s = "
        f"{row['achieved']:.1f}/s = {row['share']:.1%} of the configured rate "
        f"(after the 1st second {row['steady_share']:.1%}); max in a 1-s window {window} "
        f"({'OK' if window <= rate else 'ABOVE'} the configured {rate:g}); recipients {counts}, "
        f"broadcast {done}; load {row['load']}",
        flush=True,
    )
    return row


class _NoTerritories:
    """``start_broadcast`` and the outbox do not resolve places: skip loading the real tables."""


def _timed_emulator() -> type:
    from tests.harness.botapi_emulator import BotAPIEmulator

    class _Timed(BotAPIEmulator):
        def __init__(self) -> None:
            super().__init__()
            self.stamps: list[float] = []

        def _chat(self, params: dict[str, Any]) -> dict[str, Any]:
            # every recipient has written to the bot before (a private chat the server knows)
            chat_id = params.get("chat_id")
            if isinstance(chat_id, int) and chat_id not in self.state.messages:
                return {"id": chat_id, "type": "private", "first_name": "P"}
            return super()._chat(params)

        def _send_message(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
            self.stamps.append(time.monotonic())
            return super()._send_message(params, files)

        def _edit_message(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
            self.stamps.append(time.monotonic())
            return super()._edit_message(params, files)

    return _Timed


# -- 2. preview --------------------------------------------------------------------------------


def build_population(actors: int, seed: int = 7) -> tuple[list[tuple], dict[str, str]]:
    """(commune, epci, departement, label) per actor: half France-wide, half in the Rhône,
    both weighted by population (a large département as the worst realistic case)."""
    from territories import default_resolver

    communes = default_resolver()._data.communes  # noqa: SLF001
    rows = [communes[code] for code in communes]
    france = [c for c in rows if c.population > 0]
    rhone = [c for c in france if c.departement == "69"]
    rng = random.Random(seed)
    picked = rng.choices(france, weights=[c.population for c in france], k=actors - actors // 2)
    picked += rng.choices(rhone, weights=[c.population for c in rhone], k=actors // 2)
    rng.shuffle(picked)
    return [(c.code, c.epci or None, c.departement, c.name) for c in picked], {}


def insert_population(conn: sqlite3.Connection, places: list[tuple], now_dt: Any, seed: int = 11) -> dict[str, int]:
    rng = random.Random(seed)
    now = iso(now_dt)
    actor_rows = []
    identity_rows = []
    for i, (commune, epci, departement, label) in enumerate(places, start=1):
        themes = rng.sample(THEME_VALUES, rng.choice((0, 1, 1, 2, 2, 3)))
        consent = rng.random() < 0.8
        paused = rng.random() < 0.05
        unreachable = rng.random() < 0.03
        actor_rows.append(
            (
                i,
                rng.choice(ACTOR_TYPES),
                f"Structure {i}",
                commune,
                json.dumps({"label": label, "epci": epci, "departement": departement}),
                epci,
                departement,
                json.dumps(themes),
                int(consent),
                int(paused),
                int(unreachable),
                now,
                now,
            )
        )
        if rng.random() < 0.97:
            identity_rows.append(("telegram" if rng.random() < 0.8 else "matrix", f"u{i}", f"c{i}", i, int(rng.random() < 0.02), now))
    conn.executemany(
        """
        INSERT INTO actors (id, kind, name, commune_code, place, epci_code, departement_code, themes,
                            consent_matching, consent_calls, paused, unreachable, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)
        """,
        actor_rows,
    )
    conn.executemany(
        "INSERT INTO identities (platform, user_id, chat_id, actor_id, unreachable, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        identity_rows,
    )
    # past broadcasts over the last 14 days, to the actors of the Rhône mostly (the weekly cap)
    conn.execute(
        """INSERT INTO coordinators (id, platform, user_id, area_kind, area_code, area_label, invite_code,
                                     created_at, created_by)
           VALUES (1, 'telegram', 'coord', 'departement', '69', 'Rhône', 'benchcode', ?, 'bench')""",
        (now,),
    )
    rhone_ids = [row[0] for row in actor_rows if row[6] == "69"]
    others = [row[0] for row in actor_rows if row[6] != "69"]
    recipients = 0
    per_broadcast = (max(1, len(rhone_ids) // 64), max(1, len(others) // 250))  # ~800 + ~200 at 100k actors
    for b in range(1, 121):
        created = iso(now_dt - timedelta(hours=rng.uniform(1, 14 * 24)))
        conn.execute(
            """INSERT INTO broadcasts (id, coordinator_id, area_kind, area_code, area_label, message, answer_mode,
                                       status, requester_platform, requester_chat, created_at)
               VALUES (?, 1, 'departement', '69', 'Rhône', 'appel', 'interested', 'done', 'telegram', 'coord', ?)""",
            (b, created),
        )
        chosen = rng.sample(rhone_ids, per_broadcast[0]) + rng.sample(others, per_broadcast[1])
        conn.executemany(
            "INSERT INTO broadcast_recipients (broadcast_id, actor_id, outbox_id, status) VALUES (?, ?, NULL, 'sent')",
            [(b, actor) for actor in chosen],
        )
        recipients += len(chosen)
    return {"actors": len(actor_rows), "identities": len(identity_rows), "broadcasts": 120, "broadcast_recipients": recipients}


PREVIEW_AREAS = (
    Area("departement", "69", "Rhône"),
    Area("epci", "200046977", "Métropole de Lyon"),
    Area("commune", "69266", "Villeurbanne"),
)
FILTERS = (
    ("no filter", (), ()),
    ("kinds", ("association", "collectivite"), ()),
    ("themes", (), ("culture", "solidarite_social")),
    ("kinds+themes", ("association",), ("culture", "solidarite_social")),
)


def audience_size_capped_once(conn: sqlite3.Connection, spec: AudienceSpec, since: str, cap: int) -> int:
    """Proposed rewrite of ``audience_size``: the actors at the weekly cap are found once (one pass
    over the recent broadcasts) instead of one correlated count per actor of the area."""
    column = store.AREA_COLUMNS[spec.area.kind]
    sql = f"""
        SELECT COUNT(*) FROM actors a
        WHERE a.{column} = ? AND a.consent_calls = TRUE AND a.paused = FALSE AND a.unreachable = FALSE
          AND EXISTS (SELECT 1 FROM identities i WHERE i.actor_id = a.id AND i.unreachable = FALSE)
          AND a.id NOT IN (SELECT r.actor_id FROM broadcasts b JOIN broadcast_recipients r ON r.broadcast_id = b.id
                           WHERE b.created_at >= ? GROUP BY r.actor_id HAVING COUNT(*) >= ?)
    """
    params: list[Any] = [spec.area.code, since, cap]
    if spec.kinds:
        sql += f" AND a.kind IN ({','.join('?' for _ in spec.kinds)})"
        params += list(spec.kinds)
    if spec.themes:
        sql += f" AND EXISTS (SELECT 1 FROM json_each(a.themes) t WHERE t.value IN ({','.join('?' for _ in spec.themes)}))"
        params += list(spec.themes)
    return int(conn.execute(sql, params).fetchone()[0])


def time_previews(conn: sqlite3.Connection, since: str, cap: int, runs: int, size: Any = store.audience_size) -> list[dict[str, Any]]:
    rows = []
    for area in PREVIEW_AREAS:
        for name, kinds, themes in FILTERS:
            spec = AudienceSpec(area, kinds, themes)
            count = size(conn, spec, since, cap)  # warm-up (page cache)
            if size is not store.audience_size:
                assert count == store.audience_size(conn, spec, since, cap), "the rewrite must count the same"
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                size(conn, spec, since, cap)
                times.append((time.perf_counter() - t0) * 1000)
            in_area = conn.execute(f"SELECT COUNT(*) FROM actors WHERE {store.AREA_COLUMNS[area.kind]} = ?", (area.code,)).fetchone()[0]
            rows.append(
                {
                    "area": f"{area.kind} {area.code} ({area.label})",
                    "filter": name,
                    "in_area": in_area,
                    "count": count,
                    "median_ms": statistics.median(times),
                    "p95_ms": percentile(times, 0.95),
                }
            )
    return rows


def print_previews(title: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{title} (load {load_average()})")
    print(f"{'area':<40} {'filter':<13} {'in area':>8} {'count':>7} {'median ms':>10} {'p95 ms':>8}")
    for r in rows:
        print(
            f"{r['area']:<40} {r['filter']:<13} {r['in_area']:>8} {r['count']:>7} {r['median_ms']:>10.1f} {r['p95_ms']:>8.1f}", flush=True
        )


CANDIDATE_INDEXES = (
    "CREATE INDEX IF NOT EXISTS bench_identities_actor_reachable ON identities (actor_id, unreachable)",
    "CREATE INDEX IF NOT EXISTS bench_broadcasts_created ON broadcasts (created_at)",
)


async def preview(actors: int, runs: int, indexes: bool) -> None:
    now = utcnow()
    places, _ = build_population(actors)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "preview.db"
        app = await App.open(Config(db=str(path)), adapters=[], territories=_NoTerritories())
        try:
            t0 = time.perf_counter()
            sizes = await app.db.transaction(lambda conn: insert_population(conn, places, now))
            print(f"\npreview: {sizes} inserted in {time.perf_counter() - t0:.1f} s")
            await app.db.run(lambda conn: conn.execute("ANALYZE"))  # what the app would see after `PRAGMA optimize`
        finally:
            await app.stop()
        # the preview runs on the database thread; time the call itself on a plain connection
        conn = sqlite3.connect(path)
        since = iso(now - CALL_WINDOW)
        cap = Config().calls_per_week
        print_previews(f"audience_size at {actors} actors, {runs} runs each, current schema", time_previews(conn, since, cap, runs))
        if indexes:
            for statement in CANDIDATE_INDEXES:
                conn.execute(statement)
            conn.execute("ANALYZE")
            names = "; ".join(s.split(" ON ")[1] for s in CANDIDATE_INDEXES)
            print_previews(f"with candidate indexes: {names}", time_previews(conn, since, cap, runs))
            print_previews(
                f"proposed rewrite (cap computed once) + {names}", time_previews(conn, since, cap, runs, audience_size_capped_once)
            )
        conn.close()


# -- main --------------------------------------------------------------------------------------


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("delivery", "preview", "all"), default="all")
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument(
        "--rate", type=float, nargs="+", default=[30.0], help="configured rate_per_second (several values: one series each)"
    )
    parser.add_argument("--runs", type=int, default=1, help="delivery runs per rate (median reported)")
    parser.add_argument("--emulator", action="store_true", help="over HTTP through the local Bot API emulator")
    parser.add_argument("--profile", type=Path, default=None, help="cProfile the worker, write stats here")
    parser.add_argument("--actors", type=int, default=100_000, help="actors for the preview")
    parser.add_argument("--preview-runs", type=int, default=20)
    parser.add_argument("--indexes", action="store_true", help="preview again with the candidate indexes")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    print(f"python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load {load_average()}")
    if args.part in ("delivery", "all"):
        for rate in args.rate:
            rows = [await delivery(args.recipients, rate, emulator=args.emulator, profile=args.profile) for _ in range(args.runs)]
            if len(rows) > 1:
                print(
                    f"median of {len(rows)} @ {rate:g}/s: share {statistics.median(r['share'] for r in rows):.1%}, "
                    f"max in 1 s {statistics.median(r['max_1s'] for r in rows):g}, "
                    f"time {statistics.median(r['elapsed'] for r in rows):.1f} s",
                    flush=True,
                )
    if args.part in ("preview", "all"):
        await preview(args.actors, args.preview_runs, args.indexes)


if __name__ == "__main__":
    asyncio.run(main())
