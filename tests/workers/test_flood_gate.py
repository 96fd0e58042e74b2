"""The flood gate holds across workers: one burst and one "doucement…" for all of them together.

With several webhook workers on PostgreSQL any worker receives any update; each worker counting a
person's arrivals alone let N × the burst through and sent N notices. The gate's schedule is in the
database the workers share (``send_pacing``, one upsert per arrival). With SQLite (one process) the
in-process gate stays. Clocks are fixed: nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.adapters.telegram_sender import SendQueue
from bot.app import App
from bot.config import Config
from bot.fairness import BURST, WINDOW_SECONDS, Admission, FloodGate, SharedFloodGate
from conversations.i18n import translate
from core.types import Reply
from storage import erasure, pacing, retention
from storage.database import open_database
from territories import Resolver
from tests.harness.ports import server_port
from tests.telegram.tg_fakes import TOKEN, FakeClock, FakeCore, Harness, RecordingRequest, person
from tests.workers.pgserver import pg_url  # noqa: F401 - fixture

NOW = 1_800_000_000.0
FLOODER, OTHER = 1001, 1002


def _free_port() -> int:
    return server_port()


@pytest.fixture
async def three_pools(pg_url: str) -> AsyncIterator[list[Any]]:
    """Three workers' connection pools on one PostgreSQL database."""
    dbs = [await open_database(pg_url).open() for _ in range(3)]
    yield dbs
    for db in dbs:
        await db.close()


async def test_three_webhook_workers_let_one_burst_through_with_one_notice(pg_url: str, territories: Resolver) -> None:
    """A flood spread by the load balancer over three workers: ``BURST`` messages handled in all, one
    "doucement…" (before: each worker admitted its own burst and sent its own notice, 3 × 20 and 3)."""
    workers: list[tuple[App, TelegramAdapter, FakeCore, RecordingRequest, str]] = []
    try:
        for _ in range(3):
            core, request, clock = FakeCore(), RecordingRequest(), FakeClock()
            port = _free_port()
            url = f"http://127.0.0.1:{port}/telegram-hook"
            adapter = TelegramAdapter(
                TOKEN,
                request=request,
                webhook_url=url,
                webhook_port=port,
                webhook_listen="127.0.0.1",
                queue=SendQueue(10_000, 10_000, clock=clock, sleep=clock.sleep),
            )
            adapter.gate = FloodGate(clock=lambda: 0.0)  # the flood arrives within the window, whatever the load
            app = await App.open(Config(db=pg_url), adapters=[adapter], territories=territories)
            shared = getattr(adapter, "shared_gate", None)
            if isinstance(shared, SharedFloodGate):
                shared.clock = lambda: NOW  # the same instant on every worker
            core.adapter = adapter
            core.script = lambda incoming: [Reply(f"reçu {incoming.text}")]
            await adapter.start(core)
            workers.append((app, adapter, core, request, url))
        h = Harness(workers[0][1], workers[0][3], workers[0][2], FakeClock())
        flood = [h.text_update(f"f{i}", user=person(FLOODER)) for i in range(3 * BURST)]
        async with aiohttp.ClientSession() as session:
            for index, update in enumerate(flood):  # round robin, one at a time (as Telegram does for a chat)
                async with session.post(workers[index % 3][4], json=update) as response:
                    assert response.status == 200
            async with session.post(workers[1][4], json=h.text_update("bonjour", user=person(OTHER))) as response:
                assert response.status == 200
    finally:
        for app, adapter, *_ in workers:
            await adapter.stop()
            await app.db.close()
    handled = [i.text for _, _, core, _, _ in workers for i in core.received if i.user_id == str(FLOODER)]
    assert sorted(handled, key=lambda t: int(t[1:])) == [f"f{i}" for i in range(BURST)]
    notices = [m for _, _, _, request, _ in workers for m in request.of("sendMessage") if m["text"] == translate("fr", "flood.slow_down")]
    assert len(notices) == 1 and str(notices[0]["chat_id"]) == str(FLOODER)
    assert [i.text for i in workers[1][2].received if i.user_id == str(OTHER)] == ["bonjour"]  # others served as usual


async def test_gates_of_three_workers_at_the_same_instant_admit_one_burst(three_pools: list[Any]) -> None:
    """75 arrivals of one person at once, on three workers concurrently: one burst, one WARN, the rest
    dropped; someone else is admitted; the schedule refills at ``BURST / WINDOW`` a second."""
    now = [NOW]
    gates = [SharedFloodGate(db, "telegram", clock=lambda: now[0]) for db in three_pools]
    admissions = await asyncio.gather(*(gates[n % 3](FLOODER) for n in range(75)))
    assert admissions.count(Admission.ADMIT) == BURST
    assert admissions.count(Admission.WARN) == 1
    assert admissions.count(Admission.DROP) == 75 - BURST - 1
    assert await gates[2](OTHER) is Admission.ADMIT
    assert await gates[0](FLOODER) is Admission.DROP  # still flooding: told once already
    now[0] += WINDOW_SECONDS / BURST  # one arrival's worth of time
    assert [await gates[n % 3](FLOODER) for n in range(3)] == [Admission.ADMIT, Admission.WARN, Admission.DROP]
    now[0] += WINDOW_SECONDS + 1  # quiet for a window: a whole burst again
    assert [await gates[n % 3](FLOODER) for n in range(BURST)] == [Admission.ADMIT] * BURST


async def test_on_postgresql_the_app_shares_the_telegram_flood_gate(pg_url: str, territories: Resolver) -> None:
    adapter = TelegramAdapter(TOKEN, receive=False, request=RecordingRequest())
    adapter.gate = FloodGate(burst=5, window=2.0)
    app = await App.open(Config(db=pg_url), adapters=[adapter], territories=territories)
    try:
        shared = adapter.shared_gate
        assert isinstance(shared, SharedFloodGate) and shared.db is app.db
        assert (shared.platform, shared.burst, shared.window, shared.interval) == ("telegram", 5, 2.0, 0.4)
    finally:
        await app.db.close()


async def test_on_sqlite_the_gate_stays_in_process(tmp_path: Path, territories: Resolver) -> None:
    """One process serves a SQLite file: its own gate is exact, and costs no statement."""
    adapter = TelegramAdapter(TOKEN, receive=False, request=RecordingRequest())
    app = await App.open(Config(db=str(tmp_path / "bot.db")), adapters=[adapter], territories=territories)
    try:
        assert adapter.shared_gate is None and isinstance(adapter.gate, FloodGate)
    finally:
        await app.db.close()


@pytest.mark.backends
async def test_arrivals_are_counted_in_one_statement_then_erased_and_pruned(db_path: Any) -> None:
    """The schedule on both engines: a burst of 3 (one per second), refusals counted; erasing the
    person removes it; the daily retention forgets it a day after its last slot."""
    db = await open_database(db_path).open()
    try:
        key = pacing.person_key("telegram", FLOODER)

        async def arrive(at: float) -> int:
            return int(await db.transaction(lambda conn: pacing.arrive(conn, key, at, 1.0, 2.0 + 1e-6)))

        assert [await arrive(NOW) for _ in range(5)] == [0, 0, 0, 1, 2]
        assert [await arrive(NOW + 1.0), await arrive(NOW + 1.0)] == [0, 1]
        assert await arrive(NOW + 10.0) == 0
        await db.transaction(lambda conn: pacing.arrive(conn, pacing.person_key("telegram", OTHER), NOW, 1.0, 2.0))
        await db.transaction(lambda conn: erasure.erase_person(conn, None, "telegram", str(FLOODER)))
        keys = await db.read(lambda conn: sorted(r[0] for r in conn.execute("SELECT key FROM send_pacing")))
        assert keys == [pacing.person_key("telegram", OTHER)]
        later = datetime.fromtimestamp(NOW, UTC) + timedelta(days=1, seconds=2)
        assert await db.transaction(lambda conn: retention.prune_send_pacing(conn, later)) == 1
    finally:
        await db.close()


async def test_a_backlog_written_at_a_person_s_pace_is_admitted_by_the_shared_gate(three_pools: list[Any]) -> None:
    """Telegram retries a webhook's updates once the workers are back: each counts when it was written."""
    gates = [SharedFloodGate(db, "telegram", clock=lambda: NOW) for db in three_pools]
    paced = [await gates[n % 3](FLOODER, NOW - 120 + 4 * n) for n in range(30)]  # one every 4 s, two minutes ago
    assert paced == [Admission.ADMIT] * 30
    flood = [await gates[n % 3](OTHER, NOW - 60) for n in range(BURST + 2)]  # all in one second
    assert flood == [Admission.ADMIT] * BURST + [Admission.WARN, Admission.DROP]
