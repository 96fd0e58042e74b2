"""The operator's subcommands: ``doctor``, ``backup``, ``restore``, ``purge`` and ``migrate``.

Each prints short lines without any secret and returns the process exit code: 0 done,
1 refused or a check failed, 2 the configuration or database cannot be used.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from bot.config import Config
from bot.lock import is_url
from bot.logs import redact
from storage import inspection

__all__ = ["COMMANDS", "add_parsers", "run"]

COMMANDS = ("doctor", "backup", "restore", "purge", "migrate")


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare the operator's subcommands on the main parser."""
    doctor = commands.add_parser("doctor", help="check the configuration, database, platforms and disk before going live")
    doctor.add_argument("--offline", action="store_true", help="skip the checks that call Telegram or Matrix")
    backup = commands.add_parser("backup", help="write one archive of the database and the Matrix store into DEST")
    backup.add_argument("dest", help="a directory (created if missing)")
    restore = commands.add_parser("restore", help="put a backup archive in place (the bot must be stopped)")
    restore.add_argument("archive")
    purge = commands.add_parser("purge", help="apply the retention rules now (see README, Data lifecycle)")
    purge.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")
    migrate = commands.add_parser("migrate", help="apply pending schema migrations (they also run at start)")
    migrate.add_argument("--check", action="store_true", help="only say whether migrations are pending (exit 1 if so)")


def _say(text: str, error: bool = False) -> None:
    print(redact(text), file=sys.stderr if error else sys.stdout)


def run(command: str, config: Config, args: argparse.Namespace) -> int:
    """Run one operator subcommand; return the exit code."""
    if command == "doctor":
        import asyncio

        from bot.doctor import doctor

        return asyncio.run(doctor(config, offline=args.offline, out=_say))
    if command == "backup":
        return _backup(config, args.dest)
    if command == "restore":
        return _restore(config, args.archive)
    if command == "purge":
        return _purge(config, args.dry_run)
    return _migrate(config, args.check)


def _backup(config: Config, dest: str) -> int:
    from bot.backup import BackupError, backup

    try:
        archive = backup(config, dest)
    except BackupError as error:
        _say(f"Backup failed — {error}", error=True)
        return 1
    _say(f"Backup written: {archive} ({archive.stat().st_size} bytes)")
    return 0


def _restore(config: Config, archive: str) -> int:
    from bot.backup import BackupError, restore

    try:
        done = restore(config, archive)
    except BackupError as error:
        _say(f"Restore refused — {error}", error=True)
        return 1
    schema = f", schema version {done.schema_version}" if done.schema_version is not None else ""
    _say(f"Restored {archive} into {done.database}{schema}.")
    if done.store is not None:
        _say(f"Matrix store restored into {done.store}.")
    for path in done.moved_aside:
        _say(f"Previous data kept as {path} (delete it once the bot runs well).")
    return 0


def _purge(config: Config, dry_run: bool) -> int:
    import asyncio

    from bot.lifecycle import purge
    from storage.database import DatabaseUnavailable

    try:
        counts = asyncio.run(purge(config, dry_run=dry_run))
    except (ValueError, FileNotFoundError, sqlite3.Error) as error:
        _say(f"Purge not done — {error}", error=True)
        return 2
    except DatabaseUnavailable as error:
        _say(f"Database error — {error.path}: {error.reason}", error=True)
        return 2
    verb = "would be deleted" if dry_run else "deleted"
    for what, count in counts.items():
        _say(f"{what}: {count} {verb}")
    return 0


def _migrate(config: Config, check: bool) -> int:
    from storage.migrations import SchemaTooNew, latest_version, pending

    if is_url(config.db):
        _say("migrate: PostgreSQL databases are migrated by their own backend at start", error=True)
        return 2
    path = Path(config.db).expanduser()
    if not path.exists():
        _say(f"No database at {path} yet: it is created at the latest schema ({latest_version()}) at first start.")
        return 0 if check else _apply(path)
    try:
        conn = inspection.open_read_only(path)
        try:
            todo = pending(conn)
            found = inspection.schema_version(conn)
        finally:
            conn.close()
    except SchemaTooNew as error:
        _say(f"Database error — {path}: {error}", error=True)
        return 2
    except sqlite3.Error as error:
        _say(f"Database error — {path}: {error}", error=True)
        return 2
    if not todo:
        _say(f"Schema up to date (version {found}).")
        return 0
    _say(f"Schema version {found}; {len(todo)} migration(s) pending up to {latest_version()}:")
    for version, description in todo:
        _say(f"  {version}: {description}")
    if check:
        return 1
    _say("Take a backup first (traitdunion backup DIR) if you have not.")
    return _apply(path)


def _apply(path: Path) -> int:
    import asyncio

    from storage.database import Database, DatabaseUnavailable

    async def apply() -> None:
        db = await Database(path).open()  # opening migrates, with the same checks as a start
        await db.close()

    try:
        asyncio.run(apply())
    except DatabaseUnavailable as error:
        _say(f"Database error — {error.path}: {error.reason}", error=True)
        return 2
    _say("Migrations applied.")
    return 0
