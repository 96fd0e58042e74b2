"""Two `traitdunion run` workers on one PostgreSQL database and a real Synapse: the Matrix role moves.

The Matrix connection is a singleton role (one device, one sync token): the worker holding the
role's advisory lock runs it. When that worker is killed (SIGKILL: no goodbye, its connection
drops and the server releases the lock), the other takes the role over with the same device and
the same sync token (both read the shared ``MATRIX_STORE``): it answers what comes next, and does
not answer again what the killed worker had answered.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.harness.synapse import RegisteredUser, Synapse
from tests.matrix.mx_person import Person, fr
from tests.workers.pgserver import pg_url  # noqa: F401 - fixture

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("w") as out:
        return subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def role_holders(url: str) -> list[str]:
    """application_name of the Matrix role's connections that hold an advisory lock (the role's)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'traitdunion adapter:matrix%%'"
            " AND a.datname = current_database()"
        ).fetchall()
    return [str(row[0]) for row in rows]


def role_connections(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'traitdunion adapter:matrix%%'"
        ).fetchone()
    return int(row[0]) if row else 0


async def until(condition: Callable[[], Any], timeout: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await asyncio.to_thread(condition):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out: {what}")
        await asyncio.sleep(0.2)


def devices(homeserver: str, token: str) -> list[str]:
    request = urllib.request.Request(f"{homeserver}/_matrix/client/v3/devices", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return [device["device_id"] for device in json.load(response)["devices"]]


async def test_the_matrix_role_moves_to_the_other_worker_with_the_same_device_and_no_double_answer(
    synapse: Synapse,
    register: Callable[[str], RegisteredUser],
    people: Callable[..., Awaitable[Person]],
    pg_url: str,
    tmp_path: Path,
) -> None:
    bot_user = register("bot")
    store = tmp_path / "matrix-store"
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_", "TRAITDUNION_"))}
    env = {
        **inherited,
        "MATRIX_HOMESERVER": synapse.url,
        "MATRIX_USER_ID": bot_user.user_id,
        "MATRIX_PASSWORD": bot_user.password,
        "MATRIX_STORE": str(store),  # shared by the workers (a shared volume in a deployment)
        "TRAITDUNION_DB": pg_url,
        "PYTHONUNBUFFERED": "1",
    }
    first = start_worker(env, tmp_path / "first.log")
    second: subprocess.Popen[bytes] | None = None
    try:
        alice = await people("alice", encryption=True)
        room = await alice.open_dm(bot_user.user_id, encrypted=True, timeout=90)
        await alice.say(room, "!start")
        kind = await alice.expect(room, fr("onboarding.kind"), timeout=60)
        assert len(role_holders(pg_url)) == 1
        session = json.loads((store / "session.json").read_text())
        known = await asyncio.to_thread(devices, synapse.url, session["access_token"])  # with registration's
        assert session["device_id"] in known

        second = start_worker(env, tmp_path / "second.log")
        await until(lambda: role_connections(pg_url) == 2, 60, "the second worker waits for the role")
        first.send_signal(signal.SIGKILL)
        await asyncio.to_thread(first.wait, 20)
        await until(lambda: len(role_holders(pg_url)) == 1, 30, "the second worker takes the role")

        await alice.say(room, str(kind.number_of("Association")))
        await alice.expect(room, fr("onboarding.name"), timeout=60)
        await asyncio.sleep(3)  # time for a second answer, if one were coming
        bodies = [message.body for message in alice.in_room(room)]
        assert sum(fr("onboarding.kind") in body for body in bodies) == 1, bodies  # !start answered once
        assert sum(fr("onboarding.name") in body for body in bodies) == 1, bodies
        assert all(message.encrypted for message in alice.in_room(room))
        assert json.loads((store / "session.json").read_text())["device_id"] == session["device_id"]
        assert await asyncio.to_thread(devices, synapse.url, session["access_token"]) == known  # no new login
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    await asyncio.to_thread(process.wait, 30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    await asyncio.to_thread(process.wait)
