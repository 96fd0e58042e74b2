"""Logging set-up: to standard error (the console: a file), never message contents or secrets at INFO.

Whatever a library puts in a log line or an exception (python-telegram-bot quotes a refused
token in full; HTTP libraries log URLs that contain it), :func:`redact` removes the configured
secrets and anything shaped like a Telegram bot token before it is written.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from io import TextIOWrapper
from pathlib import Path

from storage.files import open_private

__all__ = [
    "FIELDS",
    "JobShutdownFilter",
    "JsonFormatter",
    "PrivateFileHandler",
    "RedactingFormatter",
    "configure",
    "quiet_job_shutdowns",
    "redact",
]

FIELDS = ("event_id", "actor_id", "platform", "job", "outbox_id", "broadcast_id")
"""Identifiers a log call may pass with ``extra=``: written as JSON fields (never texts or contacts)."""

REDACTED = "[redacted]"
TELEGRAM_TOKEN = re.compile(r"(?<!\d)(\d{5,}):[A-Za-z0-9_-]{20,}")
_secrets: tuple[str, ...] = ()


def redact(text: str, secrets: Iterable[str] | None = None) -> str:
    """``text`` without the known secrets (the configured ones by default) nor bot tokens."""
    for secret in sorted(_secrets if secrets is None else secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, REDACTED)
    return TELEGRAM_TOKEN.sub(lambda match: f"{match.group(1)}:{REDACTED}", text)


class RedactingFormatter(logging.Formatter):
    """A formatter whose output (message, arguments and traceback) never contains a secret."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the identifiers of :data:`FIELDS`, the
    traceback; every string redacted (:func:`redact`)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class PrivateFileHandler(logging.FileHandler):
    """A log file readable by the bot's account only (0600 whatever the umask): the console's log
    says who wrote when, and a library's error may quote what a person wrote."""

    def _open(self) -> TextIOWrapper:
        return open_private(self.baseFilename, self.mode, encoding=self.encoding or "utf-8", errors=self.errors)


def configure(verbose: bool = False, quiet: bool = False, secrets: Iterable[str] = (), fmt: str = "text", file: Path | None = None) -> None:
    """Log to stderr: INFO by default, DEBUG with ``verbose``, WARNING with ``quiet``; ``fmt`` is
    ``text`` or ``json`` (``TRAITDUNION_LOG_FORMAT``). Every handler of the root logger, which
    the libraries' loggers propagate to, gets a redacting formatter. With ``file`` (the console,
    whose standard error is the person's terminal) the records are appended to that file instead."""
    global _secrets
    _secrets = tuple(secret for secret in secrets if secret and len(secret) >= 4)
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    if file is not None:
        try:
            handler: logging.Handler = PrivateFileHandler(file, encoding="utf-8")
        except OSError:  # no writable data directory: standard error rather than nothing
            handler = logging.StreamHandler()
        logging.basicConfig(level=level, handlers=[handler])
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    text = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    for handler in logging.getLogger().handlers:
        handler.setFormatter(JsonFormatter() if fmt == "json" else RedactingFormatter(text))
    for noisy in ("httpx", "httpcore", "apscheduler", "nio", "aiohttp.access", "peewee"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


class JobShutdownFilter(logging.Filter):
    """APScheduler cancels the jobs still running when the bot stops and logs each as « Job … raised an exception »
    with a ``CancelledError`` traceback (trial 32: closing a console). That is the bot's own shutdown, not a failure
    — a job cut short runs again at the next start (due calls, catch-up) — so it is logged at debug, without one."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, asyncio.CancelledError):
            logging.getLogger("bot.app").debug("a scheduled job was cut short by the shutdown: %s", record.getMessage())
            return False
        return True


SCHEDULER_EXECUTOR_LOGGER = "apscheduler.executors.default"


def quiet_job_shutdowns() -> None:
    """Put :class:`JobShutdownFilter` on APScheduler's executor logger (once)."""
    executor_log = logging.getLogger(SCHEDULER_EXECUTOR_LOGGER)
    if not any(isinstance(f, JobShutdownFilter) for f in executor_log.filters):
        executor_log.addFilter(JobShutdownFilter())
