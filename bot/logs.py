"""Logging set-up: to standard error, never message contents or secrets at INFO.

Whatever a library puts in a log line or an exception (python-telegram-bot quotes a refused
token in full; HTTP libraries log URLs that contain it), :func:`redact` removes the configured
secrets and anything shaped like a Telegram bot token before it is written.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

__all__ = ["RedactingFormatter", "configure", "redact"]

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


def configure(verbose: bool = False, quiet: bool = False, secrets: Iterable[str] = ()) -> None:
    """Log to stderr: INFO by default, DEBUG with ``verbose``, WARNING with ``quiet``."""
    global _secrets
    _secrets = tuple(secret for secret in secrets if secret and len(secret) >= 4)
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for noisy in ("httpx", "httpcore", "apscheduler", "nio", "aiohttp.access", "peewee"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
