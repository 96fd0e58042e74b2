"""``traitdunion doctor``: passes on a good configuration, and names the fault of each bad one
(one line each, exit 1, no secret printed, nothing changed)."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import sys
from collections import namedtuple
from pathlib import Path

import pytest

from bot.config import Config, MatrixSettings, TelegramSettings
from bot.doctor import checks
from storage.migrations import latest_version
from tests.harness.botapi_emulator import BotAPIEmulator
from tests.ops.conftest import ROOT, clean_env, traitdunion
from tests.ops.test_backup import make_db

SECRET_TOKEN = "123456789:AAsecretsecretsecretsecretsecret123"


async def doctor_cli(env: dict[str, str], *args: str, prefix: tuple[str, ...] = ()) -> tuple[int, str, str]:
    """``traitdunion doctor`` in a subprocess (the event loop keeps serving the emulator meanwhile)."""
    process = await asyncio.create_subprocess_exec(
        *prefix,
        sys.executable,
        "-m",
        "bot.cli",
        "doctor",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=clean_env({"TRAITDUNION_LANGUAGE": "en", **env}),  # the details are checked in English
        cwd=ROOT,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    return int(process.returncode or 0), out.decode(), err.decode()


def line(out: str, status: str, subject: str) -> str:
    found = [row for row in out.splitlines() if row.startswith(status) and row[5:].startswith(subject + ":")]
    assert found, f"no {status} {subject} line in:\n{out}"
    return found[0]


async def test_a_good_configuration_passes_every_check(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    os.chmod(db.parent, 0o700)
    async with BotAPIEmulator() as emulator:
        env = {
            "TRAITDUNION_DB": str(db),
            "TELEGRAM_BOT_TOKEN": emulator.token,
            "TELEGRAM_API_URL": emulator.url,
            "TRAITDUNION_ADMINS": "telegram:42,console:ana",
        }
        code, out, err = await doctor_cli(env)
    assert code == 0, out + err
    assert "FAIL" not in out and "WARN" not in out, out
    for subject in (
        "configuration",
        "data directory",
        "disk",
        "database",
        "schema",
        "admin",
        "scheduler",
        "time zone",
        "telegram",
        "telegram polling",
    ):
        line(out, "OK", subject)
    assert f"version {latest_version()} (latest)" in out
    assert out.strip().endswith("All checks passed.")
    assert emulator.token.split(":")[1] not in out + err


async def test_a_revoked_token_is_named_and_never_printed(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    async with BotAPIEmulator() as emulator:  # the emulator knows another token: ours was revoked
        env = {"TRAITDUNION_DB": str(db), "TELEGRAM_BOT_TOKEN": SECRET_TOKEN, "TELEGRAM_API_URL": emulator.url}
        code, out, err = await doctor_cli(env)
    assert code == 1
    assert "revoked or mistyped" in line(out, "FAIL", "telegram")
    assert SECRET_TOKEN.split(":")[1] not in out + err
    assert out.strip().endswith("1 problem found.")


async def test_polling_with_a_webhook_set_and_a_webhook_that_is_not_https(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    async with BotAPIEmulator() as emulator:
        emulator.state.webhook_url = "https://old.example.org/hook"
        env = {"TRAITDUNION_DB": str(db), "TELEGRAM_BOT_TOKEN": emulator.token, "TELEGRAM_API_URL": emulator.url}
        config = Config(language="en", db=str(db), telegram=TelegramSettings(bot_token=emulator.token, api_url=emulator.url))
        found = {c.subject: c for c in await checks(config)}
        assert found["telegram webhook"].status == "WARN" and "deletes the webhook" in found["telegram webhook"].detail
        insecure = TelegramSettings(
            bot_token=emulator.token, api_url=emulator.url, webhook_url="http://bot.example.org/tg", webhook_secret="s3cret-hook"
        )
        found = {c.subject: c for c in await checks(Config(language="en", db=str(db), telegram=insecure))}
        assert found["telegram webhook"].status == "FAIL" and "https://" in found["telegram webhook"].detail
        code, _, _ = await doctor_cli(
            {**env, "TELEGRAM_WEBHOOK_URL": "http://bot.example.org/tg", "TELEGRAM_WEBHOOK_SECRET": "s3cret-hook"}
        )
        assert code == 1


async def test_homeserver_down_is_named(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        "TRAITDUNION_DB": str(make_db(tmp_path / "data" / "bot.db")),
        "MATRIX_HOMESERVER": f"http://127.0.0.1:{port}",
        "MATRIX_USER_ID": "@bot:localhost",
        "MATRIX_PASSWORD": "hunter2-secret",
    }
    code, out, err = await doctor_cli(env)
    assert code == 1
    assert "unreachable" in line(out, "FAIL", "matrix")
    assert "hunter2-secret" not in out + err


async def test_wrong_owner_of_the_data_directory(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    os.chown(db.parent, 12345, 12345)
    code, out, _ = await doctor_cli({"TRAITDUNION_DB": str(db)})
    assert code == 1
    assert "owned by uid 12345 but the bot runs as uid 0: chown" in line(out, "FAIL", "data directory")


async def test_an_unreadable_volume(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    before = db.read_bytes()
    os.chown(db.parent, 12345, 12345)
    os.chmod(db.parent, 0o000)
    try:  # root without its capabilities: file permissions apply, as to the bot's own user
        code, out, _ = await doctor_cli({"TRAITDUNION_DB": str(db)}, prefix=("setpriv", "--bounding-set=-all", "--inh-caps=-all"))
    finally:
        os.chmod(db.parent, 0o700)
    assert code == 1
    assert "FAIL data directory: " in out and "is not readable by this user (Permission denied)" in out, out
    assert "cannot be read" in line(out, "FAIL", "database")
    assert db.read_bytes() == before


def test_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**10, 10**10 - 2**20, 2**20))
    found = {c.subject: c for c in asyncio.run(checks(Config(language="en", db=str(db))))}
    assert found["disk"].status == "FAIL" and "1 MiB free" in found["disk"].detail


def test_a_damaged_database_and_a_newer_schema(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    found = {c.subject: c for c in asyncio.run(checks(Config(language="en", db=str(db))))}
    assert found["database"].status == "FAIL" and "newer than this Trait d'union knows" in found["database"].detail
    db.write_bytes(b"not a database" * 100)
    done = traitdunion("doctor", env={"TRAITDUNION_DB": str(db), "TRAITDUNION_LANGUAGE": "en"})
    assert done.returncode == 1 and "FAIL database:" in done.stdout and "cannot be read" in done.stdout


def test_admins_that_cannot_be_resolved(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    config = Config(language="en", db=str(db), admins=(("telegram", "@ana"), ("matrix", "ana")))
    found = [c for c in asyncio.run(checks(config)) if c.subject == "admin"]
    assert [c.status for c in found] == ["FAIL", "FAIL"]
    assert "not a numeric Telegram user id" in found[0].detail and "not a Matrix id" in found[1].detail


def test_an_invalid_configuration_is_the_first_failed_check(tmp_path: Path) -> None:
    done = traitdunion(
        "doctor", env={"TRAITDUNION_DB": str(tmp_path / "bot.db"), "TRAITDUNION_HTTP_PORT": "99999", "TRAITDUNION_LANGUAGE": "en"}
    )
    assert done.returncode == 2
    assert done.stdout.strip() == "FAIL configuration: TRAITDUNION_HTTP_PORT: port out of range: 99999"


def test_doctor_changes_nothing(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 3")  # an old schema: the doctor only reports it
    before = db.read_bytes()
    found = {c.subject: c for c in asyncio.run(checks(Config(language="en", db=str(db), matrix=MatrixSettings())))}
    assert found["schema"].status == "WARN" and "pending: applied at start" in found["schema"].detail
    assert db.read_bytes() == before
