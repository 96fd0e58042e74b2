"""Logging set-up: to standard error, never message contents or secrets at INFO."""

from __future__ import annotations

import logging


def configure(verbose: bool = False, quiet: bool = False) -> None:
    """Log to stderr: INFO by default, DEBUG with ``verbose``, WARNING with ``quiet``."""
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpcore", "apscheduler", "nio", "aiohttp.access", "peewee"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
