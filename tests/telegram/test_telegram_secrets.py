"""Secrets never reach the logs or the terminal; numeric settings are finite and in range
(issue 12, item 11)."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import load_config
from bot.logs import RedactingFormatter, redact
from core.errors import ConfigError
from tests.harness.botapi_emulator import BotAPIEmulator
from tests.telegram.test_telegram_cli import command

TOKEN = "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as server:
        yield server


async def run(tmp_path: Path, **environ: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_", "TRAITDUNION_"))}
    env |= {"TRAITDUNION_DB": str(tmp_path / "bot.db")} | environ
    process = await asyncio.create_subprocess_exec(
        *command(),
        env=env,
        cwd=tmp_path,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, stderr.decode()


@pytest.mark.e2e
async def test_a_refused_token_is_never_printed(emulator: BotAPIEmulator, tmp_path: Path) -> None:
    wrong = "999999999:ZZZdqTcvCH1vGWJxfSeofSAs0K5PALDzzz"
    code, stderr = await run(tmp_path, TELEGRAM_BOT_TOKEN=wrong, TELEGRAM_API_URL=emulator.url)
    assert code == 1, stderr
    assert "TELEGRAM_BOT_TOKEN" in stderr
    assert wrong not in stderr and wrong.split(":")[1] not in stderr


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400", "0", "-3", "1e9", "abc"])
@pytest.mark.parametrize("key", ["TELEGRAM_RATE_PER_SECOND", "TELEGRAM_RATE_PER_CHAT", "MATRIX_RATE_PER_SECOND"])
def test_rates_must_be_finite_and_in_range(key: str, value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(environ={key: value})
    assert raised.value.key == key


@pytest.mark.parametrize("toml", ["fairness_cap = true", "fairness_cap = 2.5", "calls_per_week = 0", "calls_per_week = 100000000000"])
def test_whole_numbers_must_be_whole_and_in_range(tmp_path: Path, toml: str) -> None:
    path = tmp_path / "bot.toml"
    path.write_text(f"[traitdunion]\n{toml}\n")
    with pytest.raises(ConfigError):
        load_config(path, environ={})


async def test_nan_rate_exits_2_before_the_database_is_opened(tmp_path: Path) -> None:
    code, stderr = await run(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_RATE_PER_SECOND="nan")
    assert code == 2 and stderr.startswith("Erreur de configuration — TELEGRAM_RATE_PER_SECOND"), stderr
    assert not (tmp_path / "bot.db").exists()


def test_log_lines_and_tracebacks_are_redacted() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter("%(message)s"))
    log = logging.getLogger("test.redaction")
    log.addHandler(handler)
    try:
        try:
            raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
        except RuntimeError:
            log.error("POST https://api.telegram.org/bot%s/getMe failed", TOKEN, exc_info=True)
    finally:
        log.removeHandler(handler)
    assert TOKEN.split(":")[1] not in stream.getvalue() and "[redacted]" in stream.getvalue()
    assert redact("password hunter22 here", ["hunter22"]) == "password [redacted] here"
    assert sys.stderr is not None
