"""Data lifecycle: how long each kind of data is kept, and ``traitdunion purge [--dry-run]``.

The daily jobs of :class:`bot.app.App` apply the same rules at 04:00–04:20 (local time).
Defaults (documented in the README, "Data lifecycle"):

============================  ==========  =============================================
sent or given-up messages     14 days     ``outbox`` rows (they hold what people wrote)
processed event ids           30 days     platforms never redeliver that late
digests                       180 days    once no suggestion refers to them
suggestions                   365 days    declined ones are kept: never proposed again
audit log                     730 days    coordinators' appointments and calls
exports                       30 days     files in ``<data directory>/exports/``
============================  ==========  =============================================

A dry run applies the deletions inside a transaction that is rolled back: the counts are
exactly what a purge would delete, and nothing changes.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from bot.app import PROCESSED_EVENTS_KEPT, SENT_MESSAGES_KEPT
from bot.config import Config
from bot.lock import data_dir, is_url
from bot.terminal import Told
from core.clock import iso, utcnow
from storage import identities, inspection, outbox, retention
from storage.database import open_database

__all__ = ["EXPORTS_DIR", "EXPORTS_KEPT", "PROCESSED_EVENTS_KEPT", "SENT_MESSAGES_KEPT", "PurgeRefused", "prune_exports", "purge"]

EXPORTS_KEPT = timedelta(days=30)


class PurgeRefused(Told, ValueError):
    """The purge cannot run on this configuration (a PostgreSQL database, no database file)."""


EXPORTS_DIR = "exports"

Rule = Callable[[sqlite3.Connection, datetime, int], int]


def _apply(rule: Callable[[sqlite3.Connection, datetime, int], int], moment: datetime, conn: sqlite3.Connection) -> int:
    return rule(conn, moment, retention.BATCH)


def _rules() -> dict[str, Rule]:
    """Every table rule, in the order they run (suggestions before the digests they keep)."""
    rules: dict[str, Rule] = {
        "sent messages": lambda conn, now, batch: outbox.prune_done(conn, iso(now - SENT_MESSAGES_KEPT)),
        "processed event ids": lambda conn, now, batch: identities.prune_processed(conn, iso(now - PROCESSED_EVENTS_KEPT)),
    }
    for table, prune in retention.PRUNERS.items():
        rules[table.replace("_", " ")] = prune
    return rules


def prune_exports(directory: Path, now: datetime, dry_run: bool = False) -> int:
    """Delete (or count) export files older than :data:`EXPORTS_KEPT` in ``directory/exports``."""
    folder = directory / EXPORTS_DIR
    if not folder.is_dir():
        return 0
    limit = now.timestamp() - EXPORTS_KEPT.total_seconds()
    old = [path for path in folder.iterdir() if path.is_file() and path.stat().st_mtime < limit]
    if not dry_run:
        for path in old:
            path.unlink(missing_ok=True)
    return len(old)


def _dry_run(path: str, now: datetime) -> dict[str, int]:
    return inspection.rolled_back(path, lambda conn: {name: rule(conn, now, 10**12) for name, rule in _rules().items()})


async def purge(config: Config, dry_run: bool = False, now: datetime | None = None) -> dict[str, int]:
    """Apply (or count, with ``dry_run``) every retention rule now; return the count per kind of data."""
    moment = now or utcnow()
    if is_url(config.db):
        raise PurgeRefused("ops.purge_postgresql")
    path = Path(config.db).expanduser()
    if not path.is_file():
        raise PurgeRefused("ops.no_database", path=path)
    if dry_run:
        counts = _dry_run(str(Path(config.db).expanduser()), moment)
    else:
        counts = {}
        async with open_database(config.db) as db:
            for name, rule in _rules().items():
                counts[name] = 0
                while True:  # small transactions: a running bot keeps answering meanwhile
                    deleted = await db.transaction(functools.partial(_apply, rule, moment))
                    counts[name] += deleted
                    if deleted < retention.BATCH:
                        break
    counts["exports"] = prune_exports(data_dir(config), moment, dry_run)
    return counts
