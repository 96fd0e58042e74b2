"""``/metrics`` scraped and parsed with prometheus-client's own parser after real conversation steps,
deliveries and a suggestion round; ``/healthz`` answers 200, and 503 naming what is wrong."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.parser import text_string_to_metric_families

from bot.app import App
from bot.config import Config
from core.clock import iso, utcnow
from core.types import Reply
from storage import outbox
from tests.core.people import Person, RecordingAdapter
from tests.harness.ports import server_port


def free_port() -> int:
    return server_port()


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of an exposition, by (name, labels)."""
    found: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(scraped: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return scraped.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
async def served(tmp_path: Path, territories) -> AsyncIterator[tuple[App, RecordingAdapter, str]]:
    adapter = RecordingAdapter()
    port = free_port()
    app = await App.open(Config(db=str(tmp_path / "bot.db"), http_port=port), adapters=[adapter], territories=territories)
    await app.start()
    try:
        yield app, adapter, f"http://127.0.0.1:{port}"
    finally:
        await app.stop()


async def scrape(base: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    async with aiohttp.ClientSession() as http, http.get(f"{base}/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == CONTENT_TYPE_LATEST
        return samples(await response.text())


async def healthz(base: str) -> tuple[int, dict[str, object]]:
    async with aiohttp.ClientSession() as http, http.get(f"{base}/healthz") as response:
        return response.status, await response.json()


class ThroughAdapter:
    """People write through the handler the adapter was started with, as platform events do."""

    def __init__(self, adapter: RecordingAdapter) -> None:
        self.handle = adapter.handler


async def test_metrics_move_with_real_messages_deliveries_and_a_round(served: tuple[App, RecordingAdapter, str]) -> None:
    app, adapter, base = served
    await asyncio.gather(*app._tasks)  # noqa: SLF001 - the catch-up round of the start is over
    while True:  # a snapshot no delivery of the start crossed (the outbox worker runs meanwhile)
        sent_before = len(adapter.sent)
        before = await scrape(base)
        if len(adapter.sent) == sent_before:
            break
    via = ThroughAdapter(adapter)
    alice = Person(via, adapter, "alice")  # type: ignore[arg-type]
    await alice.onboard()
    received = 8  # the onboarding's messages and button presses
    adapter.flaky["bob"] = 1  # one temporary failure (the reply waits in the outbox, then goes)
    await Person(via, adapter, "bob").say("/start")  # type: ignore[arg-type]
    adapter.blocked.add("carol")  # carol blocked the bot
    await Person(via, adapter, "carol").say("/start")  # type: ignore[arg-type]
    old = iso(utcnow() - timedelta(hours=2))
    await app.db.transaction(  # a message for a platform that is down: waits in the outbox
        lambda conn: outbox.enqueue(conn, "matrix", "!room", Reply("hello"), old, None, iso(utcnow() + timedelta(days=1)))
    )
    await app.db.transaction(
        lambda conn: conn.execute(
            "INSERT INTO broadcasts (area_kind, area_code, area_label, message, answer_mode, requester_platform,"
            " requester_chat, created_at) VALUES ('commune', '69266', 'Villeurbanne', 'x', 'none', 'test', 'alice', ?)",
            (old,),
        )
    )
    from services import demo

    await app.db.transaction(lambda conn: demo.load(conn, app.runtime.territories, utcnow()))
    report = await app.suggestion_round(force=True)
    assert report.suggestions
    for _ in range(50):  # bob's postponed reply goes out through the outbox worker
        if adapter.replies_to("bob"):
            break
        await asyncio.sleep(0.1)
    while True:  # likewise at the end: the outbox worker may still be sending (digests of the round)
        sent_after = len(adapter.sent)
        after = await scrape(base)
        if len(adapter.sent) == sent_after:
            break

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("traitdunion_messages_received_total", platform="test") == received + 2
    assert moved("traitdunion_messages_sent_total", platform="test") == sent_after - sent_before
    assert moved("traitdunion_step_seconds_count", platform="test") == received + 2
    assert moved("traitdunion_step_seconds_sum", platform="test") > 0
    assert moved("traitdunion_delivery_failures_total", platform="test", kind="temporary") == 1
    assert moved("traitdunion_delivery_failures_total", platform="test", kind="unreachable") == 1
    assert moved("traitdunion_round_seconds_count") == 1
    assert moved("traitdunion_suggestions_sent_total") == len(report.suggestions)
    assert value(after, "traitdunion_outbox_pending") >= 1
    assert value(after, "traitdunion_outbox_oldest_pending_seconds") >= 7200
    assert value(after, "traitdunion_broadcasts_in_flight") == 1
    assert value(after, "traitdunion_build_info", version=__import__("core.version").version.__version__) == 1
    text = str(after)
    assert "alice" not in text and "Restos" not in text  # labels are platforms and kinds only


async def test_healthz_is_200_when_all_is_well_and_503_naming_the_fault(served: tuple[App, RecordingAdapter, str]) -> None:
    app, adapter, base = served
    status, body = await healthz(base)
    assert status == 200, body
    assert body["database"] == {"ok": True} and body["adapters"] == {"test": {"ok": True}}
    assert body["scheduler"]["ok"] is True and body["scheduler"]["last_tick"]  # type: ignore[index]

    adapter.connected = False  # type: ignore[attr-defined]  # the platform connection dropped
    status, body = await healthz(base)
    assert status == 503 and body["adapters"] == {"test": {"ok": False}} and body["database"] == {"ok": True}
    adapter.connected = True  # type: ignore[attr-defined]

    app.last_tick = utcnow() - timedelta(seconds=10 * app.heartbeat_seconds)  # the scheduler stalled
    status, body = await healthz(base)
    assert status == 503 and body["scheduler"]["ok"] is False  # type: ignore[index]
    await app.heartbeat()
    assert (await healthz(base))[0] == 200

    blocker = sqlite3.connect(app.config.db, isolation_level=None)  # another writer holds the database
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        status, body = await healthz(base)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert status == 503 and body["database"]["ok"] is False, body  # type: ignore[index]
    for _ in range(50):
        if (await healthz(base))[0] == 200:
            break
        await asyncio.sleep(0.2)
    else:
        raise AssertionError("healthz did not recover")


async def test_no_listener_unless_a_port_is_configured(tmp_path: Path, territories) -> None:
    app = await App.open(Config(db=str(tmp_path / "bot.db")), adapters=[RecordingAdapter()], territories=territories)
    await app.start()
    try:
        assert app.health is None
    finally:
        await app.stop()
