"""`traitdunion run` as a subprocess against the Bot API emulator: a person onboards over
Telegram, then SIGTERM stops the bot cleanly (the "done when" of issue 4)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness.botapi_emulator import BotAPIEmulator, Person
from tests.telegram.tg_people import Someone, buttons

pytestmark = pytest.mark.e2e


def command() -> list[str]:
    script = shutil.which("traitdunion", path=str(Path(sys.executable).parent)) or shutil.which("traitdunion")
    return [script, "run"] if script else [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", "run"]


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as server:
        yield server


async def test_traitdunion_run_onboards_a_person_and_stops_on_sigterm(emulator: BotAPIEmulator, tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_", "TRAITDUNION_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_API_URL": emulator.url,
        "TRAITDUNION_DB": str(db),
        "TELEGRAM_RATE_PER_CHAT": "20",  # the default 1 msg/s per chat would make this test ~20 s long
    }
    process = await asyncio.create_subprocess_exec(
        *command(), env=env, cwd=tmp_path, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    assert process.stderr is not None
    stderr_task = asyncio.create_task(process.stderr.read())  # drained all along: a full pipe would block
    exited = asyncio.create_task(process.wait())
    try:
        await emulator.wait_until(lambda: emulator.count("getUpdates") or exited.done(), 60)
        assert not exited.done(), (await stderr_task).decode()

        someone = Someone(emulator, Person(6001, "Dominique", username="dominique"))
        replies = await someone.says("/start")
        assert buttons(replies[-1]) == ["Association", "Entreprise", "Collectivité", "Autre structure"]
        await someone.presses("Entreprise")
        await someone.says("Menuiserie Dubois")
        await someone.says("Villeurbanne")
        await someone.presses("Oui")
        await someone.presses("Environnement")
        await someone.presses("Valider")
        await someone.presses("Mon compte")
        replies = await someone.presses("Les suggestions seulement")
        assert any("Menuiserie Dubois" in m.get("text", "") for m in replies)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(asyncio.shield(exited), 30)
        except TimeoutError:
            process.kill()
            raise
        stderr = (await stderr_task).decode()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
    assert emulator.token not in stderr  # the token never reaches the logs
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT kind, name FROM actors").fetchall() == [("entreprise", "Menuiserie Dubois")]
