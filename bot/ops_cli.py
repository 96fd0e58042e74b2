"""The operator's subcommands: ``doctor``, ``backup``, ``restore``, ``purge`` and ``migrate``.

Each prints short lines without any secret and returns the process exit code: 0 done,
1 refused or a check failed, 2 the configuration or database cannot be used.
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from bot.config import Config
from bot.lock import is_url
from bot.logs import redact
from bot.terminal import database_reason, say, say_counted, told
from conversations.i18n import translate
from storage import inspection

__all__ = ["COMMANDS", "add_parsers", "run"]

COMMANDS = ("doctor", "backup", "restore", "purge", "migrate")


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser], language: str | None = None) -> None:
    """Declare the operator's subcommands on the main parser (help texts in ``language``)."""

    def help_(key: str) -> str:
        return translate(language, f"cli.help.{key}")

    doctor = commands.add_parser("doctor", help=help_("doctor"), description=help_("doctor"))
    doctor.add_argument("--offline", action="store_true", help=help_("doctor_offline"))
    backup = commands.add_parser("backup", help=help_("backup"), description=help_("backup"))
    backup.add_argument("dest", help=help_("backup_dest"))
    restore = commands.add_parser("restore", help=help_("restore"), description=help_("restore"))
    restore.add_argument("archive", help=help_("restore_archive"))
    purge = commands.add_parser("purge", help=help_("purge"), description=help_("purge"))
    purge.add_argument("--dry-run", action="store_true", help=help_("purge_dry_run"))
    migrate = commands.add_parser("migrate", help=help_("migrate"), description=help_("migrate"))
    migrate.add_argument("--check", action="store_true", help=help_("migrate_check"))


def run(command: str, config: Config, args: argparse.Namespace) -> int:
    """Run one operator subcommand; return the exit code."""
    if command == "doctor":
        import asyncio

        from bot.doctor import doctor

        return asyncio.run(doctor(config, offline=args.offline, out=lambda line: print(redact(line))))
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
        say(config.language, "ops.backup_failed", error=True, reason=told(error, config.language))
        return 1
    say_counted(config.language, "ops.backup_written", archive.stat().st_size, archive=archive)
    return 0


def _restore(config: Config, archive: str) -> int:
    from bot.backup import BackupError, restore

    try:
        done = restore(config, archive)
    except BackupError as error:
        say(config.language, "ops.restore_refused", error=True, reason=told(error, config.language))
        return 1
    if done.schema_version is not None:
        say(config.language, "ops.restored_schema", archive=archive, database=done.database, version=done.schema_version)
    else:
        say(config.language, "ops.restored", archive=archive, database=done.database)
    if done.store is not None:
        say(config.language, "ops.store_restored", store=done.store)
    for path in done.moved_aside:
        say(config.language, "ops.kept_aside", path=path)
    return 0


def _purge(config: Config, dry_run: bool) -> int:
    import asyncio

    from bot.lifecycle import purge
    from storage.database import DatabaseUnavailable

    try:
        counts = asyncio.run(purge(config, dry_run=dry_run))
    except (ValueError, FileNotFoundError, sqlite3.Error) as error:
        say(config.language, "ops.purge_not_done", error=True, reason=told(error, config.language))
        return 2
    except DatabaseUnavailable as error:
        say(config.language, "cli.db_error", error=True, path=error.path, reason=database_reason(error, config.language))
        return 2
    for what, count in counts.items():
        kind = translate(config.language, f"ops.kind.{what.replace(' ', '_')}")
        say_counted(config.language, "ops.would_be_deleted_n" if dry_run else "ops.deleted_n", count, what=kind)
    return 0


def _migrate(config: Config, check: bool) -> int:
    from storage.migrations import latest_version, pending

    if is_url(config.db):
        say(config.language, "ops.migrate_postgresql", error=True)
        return 2
    path = Path(config.db).expanduser()
    if not path.exists():
        say(config.language, "ops.no_database_yet", path=path, version=latest_version())
        return 0 if check else _apply(config, path)
    try:
        conn = inspection.open_read_only(path)
        try:
            todo = pending(conn)
            found = inspection.schema_version(conn)
        finally:
            conn.close()
    except sqlite3.Error as error:  # SchemaTooNew included
        say(config.language, "cli.db_error", error=True, path=path, reason=database_reason(error, config.language))
        return 2
    if not todo:
        say(config.language, "ops.schema_up_to_date", version=found)
        return 0
    say_counted(config.language, "ops.migrations_pending_n", len(todo), version=found, latest=latest_version())
    for version, description in todo:
        print(f"  {version}: {description}")
    if check:
        return 1
    say(config.language, "ops.backup_first")
    return _apply(config, path)


def _apply(config: Config, path: Path) -> int:
    import asyncio

    from storage.database import Database, DatabaseUnavailable

    async def apply() -> None:
        db = await Database(path).open()  # opening migrates, with the same checks as a start
        await db.close()

    try:
        asyncio.run(apply())
    except DatabaseUnavailable as error:
        say(config.language, "cli.db_error", error=True, path=error.path, reason=database_reason(error, config.language))
        return 2
    say(config.language, "ops.migrations_applied")
    return 0
