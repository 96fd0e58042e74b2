"""Three `traitdunion run` workers on one PostgreSQL database behind a webhook load balancer (real servers).

The Bot API emulator delivers each update to the workers in turn and retries elsewhere when one
does not answer 200 (as Telegram does). 200 people go through onboarding while one worker is
killed (SIGKILL); then a coordinator's call goes to 1,000 recipients (800 of them created in the
database) and the scheduler leader is killed while it is being sent. Checked: every update a
worker acknowledged is stored once, every recipient gets the call (at most one duplicate: the
send in flight in the killed worker), one digest per actor and period, and leadership moved.
Without PostgreSQL the test skips, or fails with ``TRAITDUNION_REQUIRE_E2E=1`` (CI).
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest

from core.clock import iso, utcnow
from storage import coordination
from storage.postgres import PgConnection, PostgresDatabase
from tests.harness.botapi_emulator import BotAPIEmulator, Person
from tests.harness.ports import server_port
from tests.telegram.test_telegram_cli import command
from tests.workers.pgserver import pg_url  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]

PEOPLE = int(os.environ.get("TRAITDUNION_E2E_PEOPLE") or 200)
RECIPIENTS = int(os.environ.get("TRAITDUNION_E2E_RECIPIENTS") or 1000)
SECRET = "s3cret-lb"
COORD = 9_000_001
VILLEURBANNE = coordination.Area("commune", "69266", "Villeurbanne (69)")
CALL = "Nous cherchons des bénévoles pour la fête de quartier du 14 juin."
TICK_PREFIX = "✅ "
TOGGLES: set[str] = set()
SLOW = 600.0
"""Seconds allowed for the call to go out: two durable commits per message, on a shared 2-core machine."""


def free_port() -> int:
    return server_port()


class Worker:
    """One `traitdunion run` process serving the webhook on its own port."""

    def __init__(self, emulator: BotAPIEmulator, db: str, name: str) -> None:
        self.emulator, self.db, self.name = emulator, db, name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/tg"
        self.process: asyncio.subprocess.Process | None = None
        self.stderr = b""
        self._drain: asyncio.Task[None] | None = None

    async def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_", "TRAITDUNION_"))}
        env |= {
            "TRAITDUNION_DB": self.db,
            "TELEGRAM_BOT_TOKEN": self.emulator.token,
            "TELEGRAM_API_URL": self.emulator.url,
            "TELEGRAM_WEBHOOK_URL": self.url,
            "TELEGRAM_WEBHOOK_PORT": str(self.port),
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_RATE_PER_CHAT": "50",
            "TELEGRAM_RATE_PER_SECOND": "400",
            "TRAITDUNION_LEASE_SECONDS": "6",  # a dead worker's claims are taken over after 6 s
        }
        self.process = await asyncio.create_subprocess_exec(
            *command(), env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
        assert self.process.stderr is not None
        self._drain = asyncio.create_task(self._read(self.process.stderr))

    async def _read(self, stream: asyncio.StreamReader) -> None:
        self.stderr = await stream.read()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> int | None:
        if self.process is None:
            return None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 60)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self._drain is not None:
            await self._drain
        return self.process.returncode


def query(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = PgConnection.connect(url, "traitdunion-e2e-check")
    try:
        return [tuple(row) for row in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


def leader_pid(url: str) -> int | None:
    """The process id of the worker holding the scheduler role (from its connection's name)."""
    rows = query(
        url,
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'traitdunion scheduler %'"
        " AND a.datname = current_database()",  # other tests' bots may run on the same server
    )
    if not rows:
        return None
    return int(str(rows[0][0]).split()[-1].split(":")[1])


def keyboard(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


class Someone:
    """A person on Telegram, acting through the emulator and waiting for the bot's answers."""

    def __init__(self, emulator: BotAPIEmulator, user_id: int, name: str) -> None:
        self.emulator = emulator
        self.person = Person(user_id, first_name=name)
        self.id = user_id

    def messages(self) -> list[dict[str, Any]]:
        return self.emulator.messages_for(self.id)

    async def wait_button(self, label: str, timeout: float = 60) -> dict[str, Any]:
        def found() -> dict[str, Any] | None:
            for message in reversed(self.messages()):
                if label in keyboard(message) or TICK_PREFIX + label in keyboard(message):
                    return message
            return None

        return await self.emulator.wait_until(found, timeout)

    async def wait_text(self, text: str, after: int, timeout: float = 60) -> None:
        await self.emulator.wait_until(lambda: any(text in (m.get("text") or "") for m in self.messages()[after:]), timeout)

    async def says(self, text: str) -> None:
        await self.emulator.send_text(self.person, text)

    async def presses(self, label: str, fresh_after: int = 0) -> None:
        message = await self.wait_button(label)
        assert self.messages().index(message) >= fresh_after or fresh_after == 0
        await self.emulator.press_button(self.person, message["message_id"], label)

    async def step(self, action: Any, label_next: str) -> None:
        """Do ``action`` then wait for a new message offering ``label_next``."""
        before = len(self.messages())
        await action
        await self.emulator.wait_until(lambda: any(label_next in keyboard(m) for m in self.messages()[before:]), 60)

    async def onboard(self) -> None:
        await self.step(self.says("/start"), "Association")
        before = len(self.messages())
        await self.presses("Association")
        await self.emulator.wait_until(lambda: len(self.messages()) > before, 60)
        before = len(self.messages())
        await self.says(f"Association n°{self.id}")
        await self.emulator.wait_until(lambda: len(self.messages()) > before, 60)
        await self.step(self.says("Villeurbanne"), "Oui")
        await self.step(self.presses("Oui"), "Valider")
        themes = await self.wait_button("Valider")
        toggle = await self.emulator.press_button(self.person, themes["message_id"], "Alimentation")
        TOGGLES.add(f"tg:cb:{toggle}")  # a tick only redraws the keyboard (the adapter's): no step
        await self.emulator.wait_until(
            lambda: TICK_PREFIX + "Alimentation" in keyboard(self.emulator.message(self.id, themes["message_id"])), 60
        )
        before = len(self.messages())
        await self.emulator.press_button(self.person, themes["message_id"], "Valider")
        await self.emulator.wait_until(lambda: any(keyboard(m) for m in self.messages()[before:]), 60)
        contact = next(m for m in reversed(self.messages()) if keyboard(m))
        await self.step(self.emulator.press_button(self.person, contact["message_id"], keyboard(contact)[0]), "Oui aux deux")
        before = len(self.messages())
        await self.presses("Oui aux deux")
        await self.wait_text("est enregistré", before)


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as server:
        yield server


async def test_three_workers_one_killed_then_the_leader_lose_no_step_and_send_each_call_once(
    emulator: BotAPIEmulator,
    pg_url: str,
) -> None:
    started = time.monotonic()
    async with PostgresDatabase(pg_url, writers=1, readers=1):  # migrated once, before the workers start
        pass
    workers = [Worker(emulator, pg_url, f"w{i}") for i in range(3)]
    try:
        for worker in workers:
            await worker.start()
        await emulator.wait_until(
            lambda: emulator.count("setWebhook") >= 3 or any(w.process is not None and w.process.returncode is not None for w in workers),
            90,
        )
        assert emulator.count("setWebhook") >= 3, b"\n".join(w.stderr for w in workers).decode()[-3000:]
        await asyncio.sleep(0.5)
        emulator.deliver_to([w.url for w in workers], SECRET)
        first_leader = await emulator.wait_until(lambda: leader_pid(pg_url), 60)
        assert first_leader in {w.pid for w in workers}

        # 200 people onboard, 40 at a time; a worker that does not lead is killed half-way
        people = [Someone(emulator, 1_000_000 + i, f"P{i}") for i in range(PEOPLE)]
        done = 0
        victim = next(w for w in workers if w.pid != first_leader)
        gate = asyncio.Semaphore(40)

        async def onboard(someone: Someone) -> None:
            nonlocal done
            async with gate:
                await someone.onboard()
            done += 1
            if done == PEOPLE // 2:
                await victim.kill()

        await asyncio.gather(*(onboard(someone) for someone in people))
        assert victim.process is not None and victim.process.returncode == -signal.SIGKILL
        onboarded_at = time.monotonic() - started

        # 800 more recipients created in the database, like the 200 (same area, same consent)
        now = iso(utcnow())

        def create(conn: Any) -> None:
            columns = [
                r[0]
                for r in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = 'actors' AND column_name != 'id'"
                    " ORDER BY ordinal_position"
                ).fetchall()
            ]
            model = conn.execute("SELECT MIN(id) FROM actors").fetchone()[0]
            for index in range(RECIPIENTS - PEOPLE):
                user_id = 2_000_000 + index
                actor = conn.execute(
                    f"INSERT INTO actors ({', '.join(columns)}) SELECT {', '.join(columns)} FROM actors WHERE id = ? RETURNING id",
                    (model,),
                ).fetchone()[0]
                conn.execute("UPDATE actors SET name = ? WHERE id = ?", (f"Recipient {user_id}", actor))
                conn.execute(
                    "INSERT INTO identities (platform, user_id, chat_id, actor_id, display_name, created_at)"
                    " VALUES ('telegram', ?, ?, ?, ?, ?)",
                    (str(user_id), str(user_id), actor, f"R{index}", now),
                )
            coordination.add_coordinator(conn, "telegram", str(COORD), VILLEURBANNE, "test", now)

        async with PostgresDatabase(pg_url, writers=1, readers=1) as db:
            await db.transaction(create)
        for index in range(RECIPIENTS - PEOPLE):
            emulator.meet(Person(2_000_000 + index))
        recipients = [p.id for p in people] + [2_000_000 + i for i in range(RECIPIENTS - PEOPLE)]

        # the coordinator's call; the scheduler leader is killed while it goes out
        coord = Someone(emulator, COORD, "Coordinatrice")
        before = len(coord.messages())
        await coord.says("/diffuser")  # the only territory: taken, and said
        await emulator.wait_until(lambda: any("Valider" in keyboard(m) for m in coord.messages()[before:]), 60)
        before = len(coord.messages())
        await coord.presses("Valider")  # every kind (preselected)
        await emulator.wait_until(lambda: any("Valider" in keyboard(m) for m in coord.messages()[before:]), 60)
        before = len(coord.messages())
        await coord.presses("Valider")  # every theme (preselected)
        await emulator.wait_until(lambda: len(coord.messages()) > before, 60)
        await coord.step(coord.says(CALL), "Un bouton « Intéressé·e »")
        await coord.step(coord.presses("Un bouton « Intéressé·e »"), "Envoyer")
        await coord.presses("Envoyer")

        def calls() -> Counter[int]:
            return Counter(p["chat_id"] for m, p in emulator.calls if m == "sendMessage" and "📣" in str(p.get("text")))

        try:
            await emulator.wait_until(lambda: sum(calls().values()) >= RECIPIENTS // 3, SLOW)
        except TimeoutError:
            shown = [(m.get("text"), keyboard(m)) for m in coord.messages()]
            for w in workers:
                await w.stop()
            logs = b"\n".join(w.stderr for w in workers).decode()
            logs = logs[logs.find("Traceback") - 500 :][:4000]
            raise AssertionError(f"call not sent: {sum(calls().values())}; coordinator saw {shown}; {logs}") from None
        leader = next(w for w in workers if w.pid == leader_pid(pg_url))
        await leader.kill()
        survivors = [w for w in workers if w is not victim and w is not leader]
        await emulator.wait_until(lambda: len(calls()) >= RECIPIENTS, SLOW)
        await emulator.wait_until(lambda: leader_pid(pg_url) == survivors[0].pid, 60)

        # -- what was acknowledged is stored once
        acknowledged = {u for u, _, status in emulator.webhook_log if isinstance(status, int) and status == 200}
        events = set()
        for update in emulator.state.confirmed:
            if update["update_id"] not in acknowledged:
                continue
            if "message" in update:
                events.add(f"tg:m:{update['message']['chat']['id']}:{update['message']['message_id']}")
            else:
                events.add(f"tg:cb:{update['callback_query']['id']}")
        stored = {r[0] for r in query(pg_url, "SELECT event_id FROM processed_events WHERE platform = 'telegram'")}
        assert events - TOGGLES <= stored, sorted(events - TOGGLES - stored)[:5]
        assert not emulator.state.pending  # every update was delivered in the end
        assert query(pg_url, "SELECT name FROM actors GROUP BY name HAVING COUNT(*) > 1") == []
        onboarded = query(pg_url, "SELECT COUNT(*) FROM actors WHERE name LIKE 'Association n°%'")[0][0]
        assert onboarded == PEOPLE

        # -- every recipient got the call, at most once more than once (the send in flight at the kill)
        received = calls()
        assert set(received) == set(recipients)
        duplicates = sum(count - 1 for count in received.values())
        assert duplicates <= 1, [chat for chat, count in received.items() if count > 1]
        statuses = query(pg_url, "SELECT status, COUNT(*) FROM broadcast_recipients GROUP BY status")
        assert dict(statuses) == {"sent": RECIPIENTS}
        assert query(pg_url, "SELECT actor_id, period FROM digests GROUP BY actor_id, period HAVING COUNT(*) > 1") == []

        # -- the leadership moved to a live worker, and the survivors stop cleanly
        assert leader.pid == first_leader and leader_pid(pg_url) == survivors[0].pid
        codes = [await w.stop() for w in survivors]
        assert codes == [0], b"\n".join(w.stderr for w in survivors).decode()[-3000:]
        elapsed = time.monotonic() - started
        print(
            f"\n3 workers: {PEOPLE} onboarded in {onboarded_at:.0f} s, call to {RECIPIENTS} done in {elapsed:.0f} s "
            f"(load {os.getloadavg()[0]:.1f}); {duplicates} duplicate(s); "
            f"{sum(1 for _, _, s in emulator.webhook_log if s != 200)} webhook retries"
        )
    finally:
        for worker in workers:
            await worker.stop()
