"""``traitdunion doctor``: check a configuration before going live, one line per check.

Each check prints ``OK``, ``WARN`` (works, but look at it), ``FAIL`` (the bot would not work,
or would lose something) or ``SKIP``, its subject and one sentence; the exit code is 1 when
any check failed, else 0. Nothing is written, no login is made (a login would create a new
Matrix device), and no secret is printed (every line goes through :func:`bot.logs.redact`).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import aiohttp

from bot.config import Config
from bot.lock import data_dir, is_url
from bot.terminal import database_reason, setting_message
from conversations.i18n import translate, translate_plural
from core.errors import ConfigError
from storage import inspection
from storage.migrations import SchemaTooNew, pending

__all__ = ["Check", "checks", "doctor"]

TIMEOUT = aiohttp.ClientTimeout(total=10)
TELEGRAM_API = "https://api.telegram.org"
FAIL_FREE = 100 * 2**20
WARN_FREE = 1024 * 2**20


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one check."""

    status: str  # OK, WARN, FAIL or SKIP
    subject: str
    detail: str

    def line(self, language: str | None = "en") -> str:
        """How it is printed: the status word as it is (OK, WARN, FAIL, SKIP), the subject in ``language``."""
        subject = translate(language, f"doctor.subject.{self.subject.replace(' ', '_')}")
        return translate(language, "doctor.line", status=f"{self.status:<5}", subject=subject, detail=self.detail)


def ok(subject: str, detail: str) -> Check:
    return Check("OK", subject, detail)


def warn(subject: str, detail: str) -> Check:
    return Check("WARN", subject, detail)


def fail(subject: str, detail: str) -> Check:
    return Check("FAIL", subject, detail)


def _speaker(config: Config) -> Callable[..., str]:
    """``say(key, **params)``: doctor message ``key`` in the configured language."""

    def say(key: str, /, **params: object) -> str:
        return translate(config.language, f"doctor.{key}", **params)

    return say


def configuration(config: Config) -> list[Check]:
    """The configuration was read (an invalid one stops before the doctor: see ``bot.cli``)."""
    language = config.language
    platforms = [p for p, on in (("telegram", config.telegram_enabled), ("matrix", config.matrix_enabled)) if on]
    where = "PostgreSQL" if is_url(config.db) else translate(language, "doctor.sqlite_at", path=Path(config.db).expanduser().resolve())
    listed = ", ".join(platforms) or translate(language, "doctor.console_only")
    return [ok("configuration", translate(language, "doctor.config_valid", platforms=listed, database=where))]


def directory(config: Config) -> list[Check]:
    """The data directory: present, owned by the bot's user, readable and writable, private."""
    path = data_dir(config)
    subject = "data directory"
    say = _speaker(config)
    if not path.exists():
        parent = next((p for p in path.parents if p.exists()), Path("/"))
        if _writable(parent):
            return [warn(subject, say("dir_created_at_start", path=path))]
        return [fail(subject, say("dir_cannot_be_created", path=path, parent=parent))]
    if not path.is_dir():
        return [fail(subject, say("dir_not_a_directory", path=path))]
    found = []
    info = path.stat()
    if info.st_uid != os.geteuid():
        found.append(fail(subject, say("dir_wrong_owner", path=path, owner=info.st_uid, uid=os.geteuid())))
    try:
        os.listdir(path)
    except OSError as exc:
        return [*found, fail(subject, say("dir_not_readable", path=path, reason=exc.strerror))]
    if not _writable(path):
        return [*found, fail(subject, say("dir_not_writable", path=path))]
    if info.st_mode & 0o077:
        found.append(warn(subject, say("dir_readable_by_others", path=path, mode=oct(info.st_mode & 0o777))))
    return found or [ok(subject, say("dir_ok", path=path))]


def _writable(path: Path) -> bool:
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".traitdunion-doctor-"):
            return True
    except OSError:
        return False


def disk(config: Config) -> list[Check]:
    """Free space where the data lives."""
    path = next((p for p in (data_dir(config), *data_dir(config).parents) if p.exists()), Path("/"))
    usage = shutil.disk_usage(path)
    say = _speaker(config)
    free = usage.free // 2**20
    if usage.free < FAIL_FREE:
        return [fail("disk", say("disk_full", free=free, path=path))]
    if usage.free < WARN_FREE or usage.free < usage.total * 0.05:
        return [warn("disk", say("disk_filling", free=free, path=path))]
    return [ok("disk", say("disk_free", free=free, path=path))]


def database(config: Config) -> list[Check]:
    """Reachable, migrated, ``integrity_check`` ok (read-only: nothing is changed)."""
    say = _speaker(config)
    if is_url(config.db):
        return _postgresql(config.db, say)
    path = Path(config.db).expanduser()
    try:
        path.stat()
    except FileNotFoundError:
        return [warn("database", say("db_created_at_start", path=path))]
    except OSError as exc:
        return [fail("database", say("db_unreadable", path=path, reason=exc.strerror))]
    try:
        conn = inspection.open_read_only(path, timeout=10)
        try:
            problems = inspection.integrity_problems(conn)
            found = inspection.schema_version(conn)
            todo = pending(conn)
        finally:
            conn.close()
    except SchemaTooNew as exc:
        return [fail("database", say("db_too_new", path=path, reason=database_reason(exc, config.language)))]
    except sqlite3.Error as exc:
        return [fail("database", say("db_unreadable", path=path, reason=exc))]
    if problems != ["ok"]:
        return [fail("database", say("db_damaged", path=path, problem=problems[0]))]
    checks = [ok("database", say("db_ok", path=path))]
    if not os.access(path, os.W_OK):
        checks.append(fail("database", say("db_not_writable", path=path)))
    if todo:
        checks.append(warn("schema", translate_plural(config.language, "doctor.schema_pending_n", len(todo), version=found)))
    else:
        checks.append(ok("schema", say("schema_latest", version=found)))
    return checks


def _postgresql(url: str, say: Callable[..., str]) -> list[Check]:
    from bot.backup import _last_line, _safe_url

    try:
        done = subprocess.run(["psql", "-X", "-tAc", "SELECT 1", url], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [fail("database", say("pg_no_psql", url=_safe_url(url), reason=type(exc).__name__))]
    if done.returncode != 0:
        return [fail("database", say("pg_unreachable", url=_safe_url(url), reason=_last_line(done.stderr)))]
    return [ok("database", say("pg_ok", url=_safe_url(url)))]


def schedule(config: Config) -> list[Check]:
    """When the next suggestion round runs, in the configured time zone."""
    from apscheduler.triggers.cron import CronTrigger

    from services.suggestions import DIGEST_HOUR

    zone = ZoneInfo(config.timezone)
    now = datetime.now(zone)
    trigger = CronTrigger(day_of_week=config.suggestion_day, hour=DIGEST_HOUR, timezone=zone)
    following = trigger.get_next_fire_time(None, now)
    say = _speaker(config)
    when = following.strftime("%a %Y-%m-%d %H:%M") if following else say("never")
    checks = [ok("scheduler", say("rounds", day=config.suggestion_day, hour=DIGEST_HOUR, next=when))]
    offset = now.strftime("%z")
    checks.append(
        ok("time zone", say("timezone", zone=config.timezone, now=f"{now:%Y-%m-%d %H:%M}", offset=f"UTC{offset[:3]}:{offset[3:]}"))
    )
    return checks


Fetch = Callable[[str, str, dict[str, str] | None], Awaitable[tuple[int, Any]]]


async def _get(http: aiohttp.ClientSession, url: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    async with http.get(url, headers=headers) as response:
        try:
            body = await response.json(content_type=None)
        except ValueError:
            body = None
        return response.status, body


async def telegram(config: Config, http: aiohttp.ClientSession) -> list[Check]:
    """The token (``getMe``) and whether webhook or polling matches what Telegram has."""
    settings = config.telegram
    say = _speaker(config)
    base = f"{(settings.api_url or TELEGRAM_API).rstrip('/')}/bot{settings.bot_token}"
    try:
        status, body = await _get(http, f"{base}/getMe")
    except (aiohttp.ClientError, TimeoutError) as exc:
        return [fail("telegram", say("telegram_unreachable", url=settings.api_url or TELEGRAM_API, reason=type(exc).__name__))]
    if status in (401, 404):
        return [fail("telegram", say("telegram_token_refused"))]
    if status != 200 or not isinstance(body, dict) or not body.get("ok"):
        return [fail("telegram", say("telegram_getme", status=status))]
    checks = [ok("telegram", say("telegram_ok", username=body["result"].get("username")))]
    try:
        status, info = await _get(http, f"{base}/getWebhookInfo")
    except (aiohttp.ClientError, TimeoutError) as exc:
        return [*checks, warn("telegram webhook", say("webhook_info_failed", reason=type(exc).__name__))]
    current = str((info or {}).get("result", {}).get("url") or "") if status == 200 else ""
    wanted = settings.webhook_url
    if wanted:
        if not wanted.startswith("https://"):
            checks.append(fail("telegram webhook", say("webhook_not_https", url=wanted)))
        elif current and current != wanted:
            checks.append(warn("telegram webhook", say("webhook_other", current=current, wanted=wanted)))
        else:
            checks.append(ok("telegram webhook", say("webhook_ok", url=wanted, port=settings.webhook_port)))
    elif current:
        checks.append(warn("telegram webhook", say("webhook_but_polling", current=current)))
    else:
        checks.append(ok("telegram polling", say("polling_ok")))
    return checks


async def matrix(config: Config, http: aiohttp.ClientSession) -> list[Check]:
    """Homeserver reachable, the saved session's token (whoami) and device, the crypto store, admins."""
    from bot.adapters.matrix_state import load_session

    settings = config.matrix
    say = _speaker(config)
    home = (settings.homeserver or "").rstrip("/")
    try:
        status, _body = await _get(http, f"{home}/_matrix/client/versions")
    except (aiohttp.ClientError, TimeoutError) as exc:
        return [fail("matrix", say("matrix_unreachable", home=home, reason=type(exc).__name__))]
    if status != 200:
        return [fail("matrix", say("matrix_versions", home=home, status=status))]
    checks = [ok("matrix", say("matrix_ok", home=home))]
    store = config.matrix_store
    try:
        session = load_session(store)
    except ConfigError as exc:
        return [*checks, fail("matrix session", setting_message(exc, config.language))]
    token = session.access_token if session is not None else settings.access_token
    if session is None and not settings.access_token:
        return [*checks, warn("matrix session", say("session_none", store=store))]
    auth = {"Authorization": f"Bearer {token}"}
    status, who = await _get(http, f"{home}/_matrix/client/v3/account/whoami", auth)
    if status != 200:
        code = (who or {}).get("errcode", f"HTTP {status}")
        if settings.password:
            checks.append(warn("matrix login", say("token_refused_password", code=code)))
        else:
            return [*checks, fail("matrix login", say("token_refused", code=code))]
    elif who.get("user_id") != settings.user_id:
        return [*checks, fail("matrix login", say("token_other_user", owner=who.get("user_id"), user=settings.user_id))]
    elif session is not None and who.get("device_id") and who["device_id"] != session.device_id:
        return [*checks, fail("matrix device", say("token_other_device", device=who["device_id"], stored=session.device_id))]
    else:
        checks.append(ok("matrix login", say("whoami", user=settings.user_id, device=who.get("device_id"))))
    if session is not None:
        crypto = store / f"{session.user_id}_{session.device_id}.db"
        if crypto.is_file():
            checks.append(ok("matrix crypto store", say("crypto_ok", name=crypto.name, device=session.device_id)))
        else:
            checks.append(fail("matrix crypto store", say("crypto_missing", path=crypto)))
    checks.extend(await _matrix_admins(config, http, home, auth if status == 200 else None))
    return checks


async def _matrix_admins(config: Config, http: aiohttp.ClientSession, home: str, auth: dict[str, str] | None) -> list[Check]:
    found = []
    say = _speaker(config)
    for platform, user in config.admins:
        if platform != "matrix":
            continue
        if auth is None:
            found.append(warn("admin", say("admin_not_looked_up", who=f"matrix:{user}")))
            continue
        status, _ = await _get(http, f"{home}/_matrix/client/v3/profile/{quote(user, safe='@:')}", auth)
        if status == 200:
            found.append(ok("admin", say("admin_exists", who=f"matrix:{user}")))
        else:
            found.append(fail("admin", say("admin_not_found", who=f"matrix:{user}", status=status)))
    return found


def admins(config: Config) -> list[Check]:
    """Administrators name a configured platform and a well-formed id (Matrix ones are looked up online)."""
    say = _speaker(config)
    if not config.admins:
        return [warn("admins", say("admins_none"))]
    found = []
    for platform, user in config.admins:
        if platform == "telegram" and not user.lstrip("-").isdigit():
            found.append(fail("admin", say("admin_not_numeric", who=f"telegram:{user}")))
        elif platform == "telegram" and not config.telegram_enabled:
            found.append(warn("admin", say("admin_no_platform", who=f"telegram:{user}", platform="Telegram")))
        elif platform == "matrix" and not (user.startswith("@") and ":" in user):
            found.append(fail("admin", say("admin_not_matrix_id", who=f"matrix:{user}")))
        elif platform == "matrix" and not config.matrix_enabled:
            found.append(warn("admin", say("admin_no_platform", who=f"matrix:{user}", platform="Matrix")))
        elif platform != "matrix":
            found.append(ok("admin", f"{platform}:{user}"))
    return found


async def checks(config: Config, offline: bool = False) -> list[Check]:
    """Every check, in order."""
    found: list[Check] = []
    for local in (configuration, directory, disk, database, admins, schedule):
        try:
            found.extend(await asyncio.to_thread(local, config))
        except Exception as exc:  # noqa: BLE001 - a check that cannot run is a failed check
            found.append(fail(local.__name__, translate(config.language, "doctor.not_checked", reason=f"{type(exc).__name__}: {exc}")))
    platforms = [(config.telegram_enabled, "telegram", telegram), (config.matrix_enabled, "matrix", matrix)]
    async with aiohttp.ClientSession(timeout=TIMEOUT) as http:
        for enabled, name, check in platforms:
            if not enabled:
                continue
            if offline:
                found.append(Check("SKIP", name, "--offline"))
                continue
            try:
                found.extend(await check(config, http))
            except Exception as exc:  # noqa: BLE001
                found.append(fail(name, translate(config.language, "doctor.not_checked", reason=f"{type(exc).__name__}: {exc}")))
    return found


async def doctor(config: Config, offline: bool = False, out: Callable[[str], None] = print) -> int:
    """Print every check; 1 when one failed, else 0."""
    found = await checks(config, offline)
    for item in found:
        out(item.line(config.language))
    failed = sum(item.status == "FAIL" for item in found)
    out(translate_plural(config.language, "doctor.problems_n", failed) if failed else translate(config.language, "doctor.all_passed"))
    return 1 if failed else 0
