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

    def line(self) -> str:
        """How it is printed."""
        return f"{self.status:<5}{self.subject}: {self.detail}"


def ok(subject: str, detail: str) -> Check:
    return Check("OK", subject, detail)


def warn(subject: str, detail: str) -> Check:
    return Check("WARN", subject, detail)


def fail(subject: str, detail: str) -> Check:
    return Check("FAIL", subject, detail)


def configuration(config: Config) -> list[Check]:
    """The configuration was read (an invalid one stops before the doctor: see ``bot.cli``)."""
    platforms = [p for p, on in (("telegram", config.telegram_enabled), ("matrix", config.matrix_enabled)) if on]
    where = "PostgreSQL" if is_url(config.db) else f"SQLite at {Path(config.db).expanduser().resolve()}"
    return [ok("configuration", f"valid; platforms: {', '.join(platforms) or 'console only'}; database: {where}")]


def directory(config: Config) -> list[Check]:
    """The data directory: present, owned by the bot's user, readable and writable, private."""
    path = data_dir(config)
    subject = "data directory"
    if not path.exists():
        parent = next((p for p in path.parents if p.exists()), Path("/"))
        if _writable(parent):
            return [warn(subject, f"{path} does not exist yet: it is created at first start")]
        return [fail(subject, f"{path} does not exist and cannot be created under {parent}")]
    if not path.is_dir():
        return [fail(subject, f"{path} is not a directory")]
    found = []
    info = path.stat()
    if info.st_uid != os.geteuid():
        found.append(
            fail(subject, f"{path} is owned by uid {info.st_uid} but the bot runs as uid {os.geteuid()}: chown -R it to the bot's user")
        )
    try:
        os.listdir(path)
    except OSError as exc:
        return [*found, fail(subject, f"{path} is not readable by this user ({exc.strerror})")]
    if not _writable(path):
        return [*found, fail(subject, f"{path} is not writable by this user (read-only volume or wrong permissions)")]
    if info.st_mode & 0o077:
        found.append(warn(subject, f"{path} is readable by other users (mode {oct(info.st_mode & 0o777)}): chmod 700 it"))
    return found or [ok(subject, f"{path} is private and writable")]


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
    free = f"{usage.free // 2**20} MiB free on {path}"
    if usage.free < FAIL_FREE:
        return [fail("disk", f"{free}: the database cannot grow and a backup cannot be written")]
    if usage.free < WARN_FREE or usage.free < usage.total * 0.05:
        return [warn("disk", f"{free}: getting full")]
    return [ok("disk", free)]


def database(config: Config) -> list[Check]:
    """Reachable, migrated, ``integrity_check`` ok (read-only: nothing is changed)."""
    if is_url(config.db):
        return _postgresql(config.db)
    path = Path(config.db).expanduser()
    try:
        path.stat()
    except FileNotFoundError:
        return [warn("database", f"no database at {path} yet: it is created at first start")]
    except OSError as exc:
        return [fail("database", f"{path} cannot be read ({exc.strerror})")]
    try:
        conn = inspection.open_read_only(path, timeout=10)
        try:
            problems = inspection.integrity_problems(conn)
            found = inspection.schema_version(conn)
            todo = pending(conn)
        finally:
            conn.close()
    except SchemaTooNew as exc:
        return [fail("database", f"{path}: {exc}")]
    except sqlite3.Error as exc:
        return [fail("database", f"{path} cannot be read: {exc}")]
    if problems != ["ok"]:
        return [fail("database", f"{path} fails integrity_check ({problems[0]}): restore a backup")]
    checks = [ok("database", f"{path} reachable, integrity_check ok")]
    if not os.access(path, os.W_OK):
        checks.append(fail("database", f"{path} is not writable by this user"))
    if todo:
        checks.append(warn("schema", f"version {found}, {len(todo)} migration(s) pending: applied at start (take a backup first)"))
    else:
        checks.append(ok("schema", f"version {found} (latest)"))
    return checks


def _postgresql(url: str) -> list[Check]:
    from bot.backup import _last_line, _safe_url

    try:
        done = subprocess.run(["psql", "-X", "-tAc", "SELECT 1", url], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [fail("database", f"{_safe_url(url)}: psql could not run ({type(exc).__name__})")]
    if done.returncode != 0:
        return [fail("database", f"{_safe_url(url)} unreachable: {_last_line(done.stderr)}")]
    return [ok("database", f"{_safe_url(url)} reachable")]


def schedule(config: Config) -> list[Check]:
    """When the next suggestion round runs, in the configured time zone."""
    from apscheduler.triggers.cron import CronTrigger

    from services.suggestions import DIGEST_HOUR

    zone = ZoneInfo(config.timezone)
    now = datetime.now(zone)
    trigger = CronTrigger(day_of_week=config.suggestion_day, hour=DIGEST_HOUR, timezone=zone)
    following = trigger.get_next_fire_time(None, now)
    when = following.strftime("%a %Y-%m-%d %H:%M") if following else "never"
    checks = [ok("scheduler", f"suggestion rounds on {config.suggestion_day} at {DIGEST_HOUR}:00; next {when}")]
    offset = now.strftime("%z")
    checks.append(ok("time zone", f"{config.timezone}, now {now:%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:]})"))
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
    base = f"{(settings.api_url or TELEGRAM_API).rstrip('/')}/bot{settings.bot_token}"
    try:
        status, body = await _get(http, f"{base}/getMe")
    except (aiohttp.ClientError, TimeoutError) as exc:
        return [fail("telegram", f"Bot API at {settings.api_url or TELEGRAM_API} unreachable ({type(exc).__name__})")]
    if status in (401, 404):
        return [fail("telegram", "token refused by the Bot API (revoked or mistyped): get a new one from @BotFather")]
    if status != 200 or not isinstance(body, dict) or not body.get("ok"):
        return [fail("telegram", f"getMe answered HTTP {status}")]
    checks = [ok("telegram", f"token valid for @{body['result'].get('username')}")]
    try:
        status, info = await _get(http, f"{base}/getWebhookInfo")
    except (aiohttp.ClientError, TimeoutError) as exc:
        return [*checks, warn("telegram webhook", f"getWebhookInfo failed ({type(exc).__name__})")]
    current = str((info or {}).get("result", {}).get("url") or "") if status == 200 else ""
    wanted = settings.webhook_url
    if wanted:
        if not wanted.startswith("https://"):
            checks.append(fail("telegram webhook", f"{wanted} must be an https:// URL (Telegram refuses others)"))
        elif current and current != wanted:
            checks.append(warn("telegram webhook", f"Telegram posts to {current}; the bot sets {wanted} at start"))
        else:
            checks.append(ok("telegram webhook", f"{wanted} → local port {settings.webhook_port} (behind your reverse proxy)"))
    elif current:
        checks.append(warn("telegram webhook", f"a webhook is set ({current}) but the bot polls: it deletes the webhook at start"))
    else:
        checks.append(ok("telegram polling", "no webhook set: long polling"))
    return checks


async def matrix(config: Config, http: aiohttp.ClientSession) -> list[Check]:
    """Homeserver reachable, the saved session's token (whoami) and device, the crypto store, admins."""
    from bot.adapters.matrix_state import load_session

    settings = config.matrix
    home = (settings.homeserver or "").rstrip("/")
    try:
        status, _body = await _get(http, f"{home}/_matrix/client/versions")
    except (aiohttp.ClientError, TimeoutError) as exc:
        return [fail("matrix", f"homeserver {home} unreachable ({type(exc).__name__}): the bot cannot start")]
    if status != 200:
        return [fail("matrix", f"homeserver {home} answered HTTP {status} to /_matrix/client/versions")]
    checks = [ok("matrix", f"homeserver {home} reachable")]
    store = config.matrix_store
    try:
        session = load_session(store)
    except ConfigError as exc:
        return [*checks, fail("matrix session", exc.message)]
    token = session.access_token if session is not None else settings.access_token
    if session is None and not settings.access_token:
        return [*checks, warn("matrix session", f"none in {store} yet: the first start logs in as a new device (back up the store after)")]
    auth = {"Authorization": f"Bearer {token}"}
    status, who = await _get(http, f"{home}/_matrix/client/v3/account/whoami", auth)
    if status != 200:
        code = (who or {}).get("errcode", f"HTTP {status}")
        if settings.password:
            checks.append(warn("matrix login", f"access token refused ({code}); the bot logs in again with its password, same device"))
        else:
            return [*checks, fail("matrix login", f"access token refused ({code}) and no MATRIX_PASSWORD to log in again")]
    elif who.get("user_id") != settings.user_id:
        return [*checks, fail("matrix login", f"the token belongs to {who.get('user_id')}, not MATRIX_USER_ID {settings.user_id}")]
    elif session is not None and who.get("device_id") and who["device_id"] != session.device_id:
        return [*checks, fail("matrix device", f"the token is for device {who['device_id']}, the store for {session.device_id}")]
    else:
        checks.append(ok("matrix login", f"whoami: {settings.user_id}, device {who.get('device_id')}"))
    if session is not None:
        crypto = store / f"{session.user_id}_{session.device_id}.db"
        if crypto.is_file():
            checks.append(ok("matrix crypto store", f"{crypto.name} present for device {session.device_id}"))
        else:
            checks.append(
                fail(
                    "matrix crypto store",
                    f"{crypto} is missing: the bot would be a new, unverified device unable to read old encrypted "
                    "messages; restore MATRIX_STORE from a backup",
                )
            )
    checks.extend(await _matrix_admins(config, http, home, auth if status == 200 else None))
    return checks


async def _matrix_admins(config: Config, http: aiohttp.ClientSession, home: str, auth: dict[str, str] | None) -> list[Check]:
    found = []
    for platform, user in config.admins:
        if platform != "matrix":
            continue
        if auth is None:
            found.append(warn("admin", f"matrix:{user} not looked up (no valid token)"))
            continue
        status, _ = await _get(http, f"{home}/_matrix/client/v3/profile/{quote(user, safe='@:')}", auth)
        if status == 200:
            found.append(ok("admin", f"matrix:{user} exists"))
        else:
            found.append(fail("admin", f"matrix:{user} not found on the homeserver (HTTP {status})"))
    return found


def admins(config: Config) -> list[Check]:
    """Administrators name a configured platform and a well-formed id (Matrix ones are looked up online)."""
    if not config.admins:
        return [warn("admins", "none configured: nobody can appoint coordinators in the chat (TRAITDUNION_ADMINS)")]
    found = []
    for platform, user in config.admins:
        if platform == "telegram" and not user.lstrip("-").isdigit():
            found.append(fail("admin", f"telegram:{user} is not a numeric Telegram user id"))
        elif platform == "telegram" and not config.telegram_enabled:
            found.append(warn("admin", f"telegram:{user} but Telegram is not configured"))
        elif platform == "matrix" and not (user.startswith("@") and ":" in user):
            found.append(fail("admin", f"matrix:{user} is not a Matrix id (@name:server)"))
        elif platform == "matrix" and not config.matrix_enabled:
            found.append(warn("admin", f"matrix:{user} but Matrix is not configured"))
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
            found.append(fail(local.__name__, f"could not be checked: {type(exc).__name__}: {exc}"))
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
                found.append(fail(name, f"could not be checked: {type(exc).__name__}: {exc}"))
    return found


async def doctor(config: Config, offline: bool = False, out: Callable[[str], None] = print) -> int:
    """Print every check; 1 when one failed, else 0."""
    found = await checks(config, offline)
    for item in found:
        out(item.line())
    failed = sum(item.status == "FAIL" for item in found)
    out(f"{failed} problem(s) found." if failed else "All checks passed.")
    return 1 if failed else 0
