"""The ``traitdunion`` command: run the bot, chat in the console, look up territories."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import leadership, ops_cli
from bot.adapters.console import ConsoleAdapter
from bot.app import App
from bot.config import Config, load_config
from bot.logs import configure, redact
from conversations.i18n import translate, translate_plural
from core.errors import ConfigError
from core.version import __version__
from storage.database import DatabaseUnavailable
from storage.files import make_dirs, write_private
from territories.model import namesakes

LOG = logging.getLogger("traitdunion")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="traitdunion", description="Trait d'union: connect the actors of a territory.")
    parser.add_argument("--config", help="TOML configuration file (environment variables override it)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logs")
    parser.add_argument("--version", action="version", version=f"traitdunion {__version__}")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="run every configured adapter (the console chat when none is configured)")
    chat = commands.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--user", help="the local person you are (several people can share one database)")
    suggest = commands.add_parser("suggest", help="run a suggestion round by hand and print it")
    suggest.add_argument("--now", action="store_true", help="every actor now, whatever their schedule")
    suggest.add_argument("--dry-run", action="store_true", help="print what would be sent, change nothing")
    demo = commands.add_parser("demo", help="load fictional actors on Lyon and Lille to try the matching")
    demo_action = demo.add_mutually_exclusive_group()
    demo_action.add_argument("--list", action="store_true", help="list the demo actors")
    demo_action.add_argument("--remove", action="store_true", help="remove every demo actor")
    coordinator = commands.add_parser("coordinator", help="appoint, remove or list territory coordinators")
    coordinator_commands = coordinator.add_subparsers(dest="action", required=True)
    add = coordinator_commands.add_parser("add", help="appoint PLATFORM:USER_ID coordinator of TERRITORY")
    add.add_argument("who", help="platform:user_id, e.g. telegram:123456789, matrix:@ana:example.org, console:ana")
    add.add_argument("territory", nargs="+", help="a commune, an EPCI or a département, e.g. Villeurbanne, 69, 'Métropole de Lyon'")
    add.add_argument("--organisation", help="the organisation that signs their calls, e.g. 'Maison des associations de Villeurbanne'")
    remove = coordinator_commands.add_parser("remove", help="remove every appointment of PLATFORM:USER_ID")
    remove.add_argument("who")
    coordinator_commands.add_parser("list", help="list appointments and invitation codes")
    export = commands.add_parser("export", help="export data as CSV on standard output")
    export_commands = export.add_subparsers(dest="what", required=True)
    answers = export_commands.add_parser("answers", help="the answers to a broadcast")
    answers.add_argument("broadcast_id", type=int, help="the broadcast's id; with --of, the call number its coordinator sees (n°)")
    answers.add_argument("--of", metavar="PLATFORM:USER_ID", help="the coordinator whose call number this is (as in their messages)")
    stats = commands.add_parser("stats", help="impact figures of a territory (text, and optionally PNG and CSV files)")
    stats.add_argument("territory", nargs="*", help="a commune, an EPCI or a département (default: all of France)")
    stats.add_argument("--days", type=int, default=365, help="period ending today (default 365)")
    stats.add_argument("--png", help="write the chart to this file")
    stats.add_argument("--csv", help="write the figures to this CSV file")
    territory = commands.add_parser("territory", help="look up a French commune, postcode, EPCI, département or région")
    territory.add_argument("query", nargs="+", help="what to look up, e.g. 'villeurbane' or 59200")
    ops_cli.add_parsers(commands)
    return parser


CONSOLE_LOG = "traitdunion-chat.log"
"""The console's log records, in the data directory: never printed into the conversation."""


def _console_log(config: Config) -> Path:
    from bot.lock import data_dir

    return data_dir(config) / CONSOLE_LOG


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; output piped to a reader that left (``| head``) ends it quietly."""
    try:
        code = _main(argv)
        sys.stdout.flush()  # within the try: a reader gone during the final flush is handled too
        return code
    except BrokenPipeError:
        # as the Python documentation advises: no second error when the interpreter flushes at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 128 + signal.SIGPIPE  # what a command killed by SIGPIPE reports


def _main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    if command == "territory":  # needs no configuration, but speaks its language when there is one
        from territories.cli import main as territory_main

        try:
            language = load_config(args.config).language
        except ConfigError:
            language = Config().language
        return territory_main([" ".join(args.query)], not_found=lambda query: translate(language, "cli.territory_not_found", query=query))
    try:
        config = load_config(args.config)
    except ConfigError as error:
        if command == "doctor":  # the doctor's first check, in its own format
            print(redact(f"FAIL configuration: {error.key}: {error.message}"))
        print(redact(f"Configuration error — {error.key}: {error.message}"), file=sys.stderr)
        return 2
    try:
        if command in ops_cli.COMMANDS:
            configure(verbose=args.verbose, quiet=not args.verbose, secrets=config.secrets(), fmt=config.log_format)
            return ops_cli.run(command, config, args)
        if command in ("suggest", "demo", "coordinator", "export", "stats"):
            configure(verbose=args.verbose, quiet=not args.verbose, secrets=config.secrets(), fmt=config.log_format)
            runner = {"suggest": lambda: _suggest(config, args.now, args.dry_run), "demo": lambda: _demo(config, args)}
            runner.update(coordinator=lambda: _coordinator(config, args), export=lambda: _export(config, args))
            runner.update(stats=lambda: _stats(config, args))
            return asyncio.run(runner[command]())
        console = command == "chat" or not (config.telegram_enabled or config.matrix_enabled)
        log_file = _console_log(config) if console else None  # its stderr is the person's terminal
        configure(verbose=args.verbose, quiet=console and not args.verbose, secrets=config.secrets(), fmt=config.log_format, file=log_file)
        user = getattr(args, "user", None) or _local_user()
        return asyncio.run(_serve(config, console_user=user if console else None, jobs=command == "run"))
    except DatabaseUnavailable as error:
        print(f"Database error — {error.path}: {error.reason}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _local_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers)
        return "moi"


async def _suggest(config: Config, now: bool, dry_run: bool) -> int:
    app = await App.open(config, adapters=[])
    try:
        report = await app.suggestion_round(force=now, dry_run=dry_run)
    finally:
        await app.stop()
    language = config.language
    print(translate(language, "cli.round_dry" if dry_run else "cli.round_sent", due=report.due, count=len(report.suggestions)))
    for item in report.suggestions:
        print(f"\n→ {item.actor} ← {item.other}\n{item.text}")
    for item in report.nothing:
        print(f"\n→ {item.actor} ({translate(language, 'cli.round_nothing')})\n{item.text}")
    if report.suggestions and not dry_run:
        print("\n" + translate(language, "cli.round_outbox"))
    return 0


async def _demo(config: Config, args: argparse.Namespace) -> int:
    from core.clock import utcnow
    from services import demo

    app = await App.open(config, adapters=[])
    try:
        if args.list:
            for user, name, kind, place in await app.db.run(demo.listing):
                print(f"{user}\t{name}\t{kind}\t{place}")
        elif args.remove:
            removed = await app.db.transaction(demo.remove)
            print(translate_plural(config.language, "cli.demo_removed_n", removed))
        else:
            territories = app.runtime.territories
            added = await app.db.transaction(lambda conn: demo.load(conn, territories, utcnow()))
            print(translate_plural(config.language, "cli.demo_added_n", added))
            print(translate(config.language, "cli.demo_play"))
    finally:
        await app.stop()
    return 0


SURE_FUZZY_SCORE = 80.0
"""A misspelt name is taken from the command line only at this score or above (no question follows)."""
ORGANISATION_CHARS = 120
"""``--organisation`` is cut to this length, like the name typed in /organisation."""


def _resolve_area(app: App, words: list[str], language: str) -> object | None:
    """The commune, EPCI or département the typed words name, or None after saying why on stderr.

    The command line asks no confirmation, so it takes no guess: a name matched only loosely
    ("Atlantis" → Le Plantis) or shared by several places (Saint-Denis) is refused with the
    candidates, to be typed more precisely (an INSEE code or a postcode also works, and so do the
    codes `coordinator add|list` print: `epci:200046977`, `200046977`). Messages in ``language``.
    """
    kinds = ("commune", "arrondissement", "epci", "departement")
    typed = " ".join(words)
    found = [c for c in app.runtime.territories.resolve(typed) if c.kind in kinds]
    if not found:
        print(translate(language, "cli.area_not_found", typed=typed), file=sys.stderr)
        return None
    best = found[0]
    tied = [c for c in found if c.score == best.score and c.matched == best.matched and c.kind == best.kind]
    if len(tied) <= 1:  # a former name counts as much as today's ("naussac": Naussac and Naussac-Fontanes)
        tied = namesakes(found)
    if best.matched == "fuzzy" and best.score < SURE_FUZZY_SCORE:
        problem = translate(language, "cli.area_loose", typed=typed)
    elif len(tied) > 1:
        problem = translate(language, "cli.area_ambiguous", typed=typed)
    else:
        return best
    print(problem, file=sys.stderr)
    for candidate in (tied if len(tied) > 1 else found)[:5]:
        kind = translate(language, f"cli.kind.{candidate.kind}")
        print(f"  {candidate.code}\t{candidate.name} ({candidate.departement}, {kind})", file=sys.stderr)
    return None


async def _coordinator(config: Config, args: argparse.Namespace) -> int:
    from core.clock import iso, utcnow
    from services.coordination import commune_level
    from storage import calls, coordination

    app = await App.open(config, adapters=[])
    try:
        if args.action == "list":
            for row in await app.db.run(coordination.coordinators):
                signed = f"\t{row.organisation}" if row.organisation else ""
                print(f"{row.platform}:{row.user_id}\t{row.area.kind}:{row.area.code}\t{row.area.label}\t{row.invite_code}{signed}")
            return 0
        platform, sep, user_id = args.who.partition(":")
        if not sep or platform not in ("telegram", "matrix", "console") or not user_id:
            print(translate(config.language, "cli.expected_who"), file=sys.stderr)
            return 2
        if args.action == "remove":
            removed = await app.db.transaction(lambda conn: coordination.remove_coordinator(conn, platform, user_id, "cli", iso(utcnow())))
            print(translate_plural(config.language, "cli.removed_n", removed))
            return 0 if removed else 1
        signed_by = None if args.organisation is None else " ".join(args.organisation.split())[:ORGANISATION_CHARS]
        if signed_by == "":  # `--organisation ""`: said, and nothing done (not a silent appointment without it)
            print(translate(config.language, "cli.organisation_blank"), file=sys.stderr)
            return 2
        candidate = _resolve_area(app, args.territory, config.language)
        if candidate is None:
            return 1
        kind = commune_level(candidate.kind)  # type: ignore[attr-defined]
        area = coordination.Area(kind, candidate.code, candidate.label)  # type: ignore[attr-defined]

        def appoint(conn: sqlite3.Connection) -> tuple[coordination.CoordinatorRow, str | None]:
            row = coordination.add_coordinator(conn, platform, user_id, area, "cli", iso(utcnow()))
            if signed_by:  # every appointment of the person, this one or an earlier one
                calls.set_organisation(conn, platform, user_id, signed_by)
            return row, calls.organisation(conn, platform, user_id)

        row, organisation = await app.db.transaction(appoint)
        print(
            translate(
                config.language, "cli.appointed", who=args.who, label=area.label, kind=area.kind, code=area.code, invite=row.invite_code
            )
        )
        if organisation:
            print(translate(config.language, "cli.organisation_set", organisation=organisation))
        return 0
    finally:
        await app.stop()


async def _export(config: Config, args: argparse.Namespace) -> int:
    from conversations.coordination import answers_csv
    from storage import coordination

    app = await App.open(config, adapters=[])
    try:
        broadcast_id = int(args.broadcast_id)
        if args.of:
            platform, _, user_id = str(args.of).partition(":")
            found = await app.db.run(lambda conn: coordination.broadcast_numbered(conn, platform, user_id, args.broadcast_id))
            if found is None:
                print(translate(config.language, "cli.no_call_of", who=args.of, number=args.broadcast_id), file=sys.stderr)
                return 1
            broadcast_id = found
        elif await app.db.run(lambda conn: coordination.broadcast(conn, args.broadcast_id)) is None:
            print(translate(config.language, "cli.no_broadcast", id=args.broadcast_id), file=sys.stderr)
            return 1
        rows = await app.db.read(lambda conn: coordination.answers(conn, broadcast_id))
        sys.stdout.buffer.write(answers_csv(rows, config.language, config.timezone))
        sys.stdout.flush()
        return 0
    finally:
        await app.stop()


async def _stats(config: Config, args: argparse.Namespace) -> int:
    from datetime import timedelta

    from core.clock import local, utcnow
    from services.coordination import commune_level
    from services.impact import impact_csv, impact_png, impact_text
    from storage.stats import impact

    app = await App.open(config, adapters=[])
    try:
        kind, code, label = "france", "", None
        if args.territory:
            candidate = _resolve_area(app, args.territory, config.language)
            if candidate is None:
                return 1
            kind, code, label = commune_level(candidate.kind), candidate.code, candidate.label  # type: ignore[attr-defined]
        end = local(utcnow(), config.timezone).date()
        figures = await app.db.read(lambda conn: impact(conn, kind, code, end - timedelta(days=args.days), end))
    finally:
        await app.stop()
    print(impact_text(figures, config.language, label))
    if args.png:
        write_private(args.png, await asyncio.to_thread(impact_png, figures, config.language, label))
    if args.csv:
        write_private(args.csv, impact_csv(figures, config.language))
    return 0


def _files_dir(config: Config) -> Path | None:
    """Where the console writes the files it receives: beside the database, never the current directory."""
    if config.db == ":memory:" or config.db.startswith("file::memory:"):
        return None  # the console uses a private temporary directory
    return Path(config.db).expanduser().resolve().parent / "exports"


async def _serve(config: Config, console_user: str | None, jobs: bool = True) -> int:
    try:  # one `run` per SQLite file (`chat` consoles may share it); with PostgreSQL, several workers
        hold = leadership.hold_database(config.db) if jobs else None
    except leadership.AlreadyRunning as error:
        print(f"Trait d'union could not start — {error}", file=sys.stderr)
        return 2
    except OSError:  # no lock file where the database should be: opening it says why, in one line
        hold = None
    try:
        return await _serve_held(config, console_user, jobs)
    finally:
        if hold is not None:
            hold.release()


async def _serve_held(config: Config, console_user: str | None, jobs: bool) -> int:
    from bot.lock import DataLocked, InstanceLock, data_dir

    try:  # shared by every bot process on this data; a restore needs it alone
        directory = data_dir(config)
        make_dirs(directory)
        lock = InstanceLock(directory).acquire()
    except DataLocked as error:
        print(f"Trait d'union cannot start: {error} (a restore in progress?)", file=sys.stderr)
        return 1
    except OSError:  # the data directory is missing or unusable: opening the database says why
        lock = None
    try:
        return await _serve_locked(config, console_user, jobs)
    finally:
        if lock is not None:
            lock.release()


async def _serve_locked(config: Config, console_user: str | None, jobs: bool) -> int:
    console = ConsoleAdapter(console_user, language=config.language, files_dir=_files_dir(config)) if console_user else None
    app = await App.open(config, adapters=[console] if console else None)
    app.run_jobs = jobs
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        try:
            await app.start()
        except Exception as error:  # a platform refused or could not be reached at start
            LOG.error("could not start: %s", error)
            print(redact(f"Trait d'union could not start: {error}"), file=sys.stderr)
            return 1
        LOG.info("Trait d'union running with %s", ", ".join(a.platform for a in app.adapters) or "no adapter")
        waiters = [asyncio.create_task(stop.wait())]
        if console is not None:
            waiters.append(asyncio.create_task(console.finished.wait()))
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()
    finally:
        LOG.info("stopping")
        await app.stop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
