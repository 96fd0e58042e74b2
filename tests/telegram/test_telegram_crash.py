"""`traitdunion run` killed with SIGKILL while people write to it over the Bot API emulator:
every update the bot confirmed was processed once and answered (issue 12, item 1).

The emulator keeps an update until ``getUpdates`` is called with a greater offset, as the Bot
API does. ``TRAITDUNION_CRASH_KILLS`` sets how many kills the repeated test makes (8 by
default in CI).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness.botapi_emulator import BotAPIEmulator, Person
from tests.telegram.test_telegram_cli import command

pytestmark = pytest.mark.e2e


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as server:
        yield server


class Bot:
    """`traitdunion run` as a subprocess on the emulator, started and killed at will."""

    def __init__(self, emulator: BotAPIEmulator, db: Path) -> None:
        self.emulator = emulator
        self.db = db
        self.process: asyncio.subprocess.Process | None = None
        self.stderr: list[bytes] = []
        self._drain: asyncio.Task[None] | None = None

    async def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_", "TRAITDUNION_"))}
        env |= {
            "TELEGRAM_BOT_TOKEN": self.emulator.token,
            "TELEGRAM_API_URL": self.emulator.url,
            "TRAITDUNION_DB": str(self.db),
            "TELEGRAM_RATE_PER_CHAT": "50",
        }
        polls = self.emulator.count("getUpdates")
        self.process = await asyncio.create_subprocess_exec(
            *command(), env=env, cwd=self.db.parent, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
        assert self.process.stderr is not None
        self._drain = asyncio.create_task(self._read(self.process.stderr))
        exited = asyncio.create_task(self.process.wait())
        await self.emulator.wait_until(lambda: self.emulator.count("getUpdates") > polls or exited.done(), 60)
        assert not exited.done(), b"".join(self.stderr).decode()

    async def _read(self, stream: asyncio.StreamReader) -> None:
        self.stderr.append(await stream.read())

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        assert self._drain is not None
        await self._drain

    async def stop(self) -> None:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.process.wait(), 60)
        assert self._drain is not None
        await self._drain
        assert self.process.returncode == 0, b"".join(self.stderr).decode()


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def message_updates(emulator: BotAPIEmulator) -> list[dict[str, Any]]:
    return [u["message"] for u in emulator.state.confirmed if "message" in u]


def check_every_update_processed_and_answered(emulator: BotAPIEmulator, db: Path, people: list[Person], kills: int) -> None:
    """Every update was confirmed, processed once (its event id stored) and got its one reply."""
    assert emulator.state.pending == [], "updates never confirmed"
    processed = {row[0] for row in rows(db, "SELECT event_id FROM processed_events WHERE platform = 'telegram'")}
    for person in people:
        sent = [m for m in message_updates(emulator) if m["chat"]["id"] == person.id]
        ids = [f"tg:m:{person.id}:{m['message_id']}" for m in sent]
        assert len(ids) == len(set(ids))
        missing = [event for event in ids if event not in processed]
        assert missing == [], f"{len(missing)} confirmed update(s) of {person.id} never processed"
        replies = len(emulator.messages_for(person.id))
        # one reply per message; a reply in flight at a kill may have gone out twice
        assert len(sent) <= replies <= len(sent) + kills, (person.id, len(sent), replies)
    assert rows(db, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'") == [(0,)]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


async def every_message_answered(emulator: BotAPIEmulator, people: list[Person], replies_per_second: float = 10.0) -> None:
    """Wait until every message was taken and has its reply: the replies go out at the bot's overall
    pace (30 a second), so after a talk of ~65 messages a second their backlog lasts about a minute,
    more when a loaded machine slowed the restarts. The deadline is generous and bounded: two
    minutes plus one second per ``replies_per_second`` messages (the check itself twice a second)."""
    offered = len(emulator.state.pending) + len(message_updates(emulator))
    deadline = asyncio.get_running_loop().time() + 120 + offered / replies_per_second

    def unanswered() -> int:
        if emulator.state.pending:
            return len(emulator.state.pending)
        sent: dict[int, int] = {}
        for message in message_updates(emulator):
            sent[message["chat"]["id"]] = sent.get(message["chat"]["id"], 0) + 1
        return sum(max(0, sent.get(person.id, 0) - len(emulator.messages_for(person.id))) for person in people)

    while (left := unanswered()) > 0:
        assert asyncio.get_running_loop().time() < deadline, f"{left} message(s) still unanswered out of {offered}"
        await asyncio.sleep(0.5)


async def test_eight_messages_killed_after_four_replies_are_all_processed_after_restart(emulator: BotAPIEmulator, tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    bot = Bot(emulator, db)
    person = Person(7001, "Sacha")
    await bot.start()
    try:
        for _ in range(8):
            await emulator.send_text(person, "/aide")  # one reply each
        await emulator.wait_until(lambda: len(emulator.messages_for(person.id)) >= 4, 30)
        await bot.kill()
        await bot.start()
        await emulator.wait_until(lambda: len(emulator.messages_for(person.id)) >= 8, 30)
        await emulator.settle(quiet=0.5, timeout=30)
    finally:
        await bot.stop()
    check_every_update_processed_and_answered(emulator, db, [person], kills=1)


async def test_repeated_sigkills_while_people_talk_lose_no_update(emulator: BotAPIEmulator, tmp_path: Path) -> None:
    kills = int(os.environ.get("TRAITDUNION_CRASH_KILLS", "8"))
    rng = random.Random(12)
    db = tmp_path / "bot.db"
    bot = Bot(emulator, db)
    # ~65 messages/s in all, each person well under the flood limit (20 in 10 s): nothing is dropped
    people = [Person(7100 + i, f"Personne {i}") for i in range(60)]
    talking = True

    async def talk() -> None:
        while talking:
            person = rng.choice(people)
            await emulator.send_text(person, rng.choice(["/aide", "bonjour", "/menu"]))
            await asyncio.sleep(rng.uniform(0.0, 0.03))

    await bot.start()
    talker = asyncio.create_task(talk())
    try:
        for _ in range(kills):
            await asyncio.sleep(rng.uniform(0.2, 1.2))
            await bot.kill()
            await bot.start()
        talking = False
        await talker
        await every_message_answered(emulator, people)
        await emulator.settle(quiet=1.0, timeout=60)
    finally:
        talking = False
        await bot.stop()
    assert len(message_updates(emulator)) > 10 * kills
    check_every_update_processed_and_answered(emulator, db, people, kills)


async def test_webhook_answers_200_only_once_the_update_was_handled(emulator: BotAPIEmulator) -> None:
    import socket

    import aiohttp

    from bot.adapters.telegram import TelegramAdapter
    from core.types import Incoming, Outcome

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/telegram"
    adapter = TelegramAdapter(
        emulator.token, emulator.url, webhook_url=url, webhook_port=port, webhook_secret="s3cret-token", webhook_listen="127.0.0.1"
    )
    release = asyncio.Event()
    handled: list[str] = []

    async def slow_core(incoming: Incoming) -> Outcome:
        await release.wait()  # the step is still being committed
        handled.append(incoming.event_id)
        return Outcome.ACCEPTED

    await adapter.start(slow_core)
    try:
        message = await emulator.send_text(Person(5009), "Bonjour")
        headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
        async with aiohttp.ClientSession() as session:
            post = asyncio.create_task(session.post(url, json={"update_id": 901, "message": message}, headers=headers))
            done, _ = await asyncio.wait([post], timeout=0.5)
            assert not done, "HTTP 200 before the update was handled: a crash now would lose it"
            release.set()
            response = await post
            assert response.status == 200 and handled == [f"tg:m:5009:{message['message_id']}"]
            response.release()
    finally:
        release.set()
        await adapter.stop()
