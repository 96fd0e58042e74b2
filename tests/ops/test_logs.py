"""``TRAITDUNION_LOG_FORMAT=json``: one JSON object a line with identifiers, never what people wrote,
their contacts or a token — including the lines of libraries (httpx logs the Bot API URL, token inside)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.core.test_console import ONBOARDING
from tests.harness.botapi_emulator import BotAPIEmulator
from tests.ops.conftest import ROOT, clean_env


def json_lines(text: str) -> list[dict[str, object]]:
    lines = [line for line in text.splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]  # every line is one object
    assert all(isinstance(entry, dict) for entry in parsed)
    return parsed


def test_json_logs_carry_identifiers_and_never_what_people_wrote(tmp_path: Path) -> None:
    env = {"TRAITDUNION_DB": str(tmp_path / "bot.db"), "TRAITDUNION_LOG_FORMAT": "json"}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "-v", "chat", "--user", "ana"],
        input="\n".join(ONBOARDING) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_env(env),
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    written = (tmp_path / "traitdunion-chat.log").read_text(encoding="utf-8")  # the console's: beside the database
    assert not json_lines(done.stderr)  # never into the person's terminal
    entries = json_lines(written)
    steps = [e for e in entries if e["logger"] == "bot.runtime" and str(e["message"]).startswith("step ")]
    assert len(steps) == len(ONBOARDING), steps
    assert all(e["platform"] == "console" and e["event_id"] and e["level"] == "debug" for e in steps)
    assert steps[-1]["actor_id"] == 1 and "actor_id" not in steps[0]  # once the profile exists
    for secret in ("Restos du Cœur", "contact@restos-villeurbanne.fr", "villeurbane"):
        assert secret not in written


async def test_library_loggers_never_write_the_bot_token(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import asyncio, logging, sys
        from telegram import Bot
        from bot.logs import configure

        token, url = sys.argv[1], sys.argv[2]
        configure(verbose=True, secrets=[token], fmt="json")
        logging.getLogger("httpx").setLevel(logging.DEBUG)  # as someone debugging would
        async def main():
            async with Bot(token, base_url=url + "/bot") as bot:
                await bot.get_me()
            try:
                async with Bot(token[:-3] + "xyz", base_url=url + "/bot") as bot:  # a refused token: PTB raises
                    await bot.get_me()
            except Exception:
                logging.getLogger("telegram").exception("refused")
        asyncio.run(main())
        """
    )
    async with BotAPIEmulator() as emulator:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            script,
            emulator.token,
            emulator.url,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=clean_env(),
            cwd=ROOT,
        )
        _, err = await asyncio.wait_for(process.communicate(), 60)
    text = err.decode()
    entries = json_lines(text)
    requests = [e for e in entries if e["logger"] == "httpx" and "getMe" in str(e["message"])]
    assert requests and all("[redacted]" in str(e["message"]) for e in requests), text
    secret = emulator.token.split(":")[1]
    assert secret not in text and secret[:-3] not in text
    assert any(e.get("exception") for e in entries if e["logger"] == "telegram")
