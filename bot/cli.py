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
from typing import TYPE_CHECKING, Any, NoReturn

from bot import leadership, ops_cli
from bot.adapters.console import ConsoleAdapter
from bot.app import App
from bot.config import Config, load_config, spoken_languages
from bot.logs import configure
from bot.terminal import database_reason, say, setting_message, told
from conversations.i18n import translate, translate_plural
from core.errors import ConfigError
from core.version import __version__
from storage.database import DatabaseUnavailable
from storage.files import make_dirs, write_private
from territories.model import namesakes

if TYPE_CHECKING:
    from services.suggestions import RoundReport

LOG = logging.getLogger("traitdunion")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""Stop cleanly (the console's files removed, its lease given back): Ctrl-C, a kill, the terminal closed."""


class _Formatter(argparse.HelpFormatter):
    """argparse's help in the parser's language: the "usage:" word."""

    language: str | None = None

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, translate(self.language, "cli.help.usage") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse in the configured language (``language``, set on a subclass, which its subcommands share):
    headings, ``-h`` and the "error:" line come from the catalogs; the reasons argparse writes itself
    ("invalid choice: …") stay as it writes them."""

    language: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        kwargs.setdefault("formatter_class", type("Formatter", (_Formatter,), {"language": self.language}))
        super().__init__(*args, **kwargs)
        self._positionals.title = translate(self.language, "cli.help.positionals")
        self._optionals.title = translate(self.language, "cli.help.options")
        self.add_argument("-h", "--help", action="help", help=translate(self.language, "cli.help.help"))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, translate(self.language, "cli.help.error", prog=self.prog, message=message) + "\n")


def _parser(language: str | None = None) -> argparse.ArgumentParser:
    """The command line; its descriptions and help texts in ``language`` (command and option names never change)."""

    def help_(key: str) -> str:
        return translate(language, f"cli.help.{key}")

    parser_class = type("Parser", (_Parser,), {"language": language})
    parser = parser_class(prog="traitdunion", description=help_("description"))
    parser.add_argument("--config", help=help_("config"))
    parser.add_argument("-v", "--verbose", action="store_true", help=help_("verbose"))
    parser.add_argument("--version", action="version", version=f"traitdunion {__version__}", help=help_("version"))
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help=help_("run"), description=help_("run"))
    chat = commands.add_parser("chat", help=help_("chat"), description=help_("chat"))
    chat.add_argument("--user", help=help_("chat_user"))
    suggest = commands.add_parser("suggest", help=help_("suggest"), description=help_("suggest"))
    suggest.add_argument("--now", action="store_true", help=help_("suggest_now"))
    suggest.add_argument("--dry-run", action="store_true", help=help_("suggest_dry_run"))
    demo = commands.add_parser("demo", help=help_("demo"), description=help_("demo"))
    demo_action = demo.add_mutually_exclusive_group()
    demo_action.add_argument("--list", action="store_true", help=help_("demo_list"))
    demo_action.add_argument("--remove", action="store_true", help=help_("demo_remove"))
    coordinator = commands.add_parser("coordinator", help=help_("coordinator"), description=help_("coordinator"))
    coordinator_commands = coordinator.add_subparsers(dest="action", required=True)
    add = coordinator_commands.add_parser("add", help=help_("coordinator_add"), description=help_("coordinator_add"))
    add.add_argument("who", help=help_("coordinator_who"))
    add.add_argument("territory", nargs="+", help=help_("coordinator_territory"))
    add.add_argument("--organisation", help=help_("coordinator_organisation"))
    remove = coordinator_commands.add_parser("remove", help=help_("coordinator_remove"), description=help_("coordinator_remove"))
    remove.add_argument("who", help=help_("coordinator_who"))
    coordinator_commands.add_parser("list", help=help_("coordinator_list"), description=help_("coordinator_list"))
    export = commands.add_parser("export", help=help_("export"), description=help_("export"))
    export_commands = export.add_subparsers(dest="what", required=True)
    answers = export_commands.add_parser("answers", help=help_("export_answers"), description=help_("export_answers"))
    answers.add_argument("broadcast_id", type=int, help=help_("export_broadcast_id"))
    answers.add_argument("--of", metavar="PLATFORM:USER_ID", help=help_("export_of"))
    stats = commands.add_parser("stats", help=help_("stats"), description=help_("stats"))
    stats.add_argument("territory", nargs="*", help=help_("stats_territory"))
    stats.add_argument("--days", type=int, default=365, help=help_("stats_days"))
    stats.add_argument("--png", help=help_("stats_png"))
    stats.add_argument("--csv", help=help_("stats_csv"))
    territory = commands.add_parser("territory", help=help_("territory"), description=help_("territory"))
    territory.add_argument("query", nargs="+", help=help_("territory_query"))
    ops_cli.add_parsers(commands, language)
    return parser


def _config_path(argv: Sequence[str] | None) -> str | None:
    """The ``--config`` given on the command line, read before the parser (whose help speaks its language)."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--config")
    try:
        known, _ = early.parse_known_args(argv)
    except SystemExit:  # `--config` without a value: the real parser says so
        return None
    return str(known.config) if known.config else None


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
    languages = spoken_languages(_config_path(argv))  # before the configuration is read: its errors are told in it
    args = _parser(languages[0]).parse_args(argv)
    command = args.command or "run"
    if command == "territory":  # needs no configuration, but speaks its language when there is one
        from territories.cli import main as territory_main

        language = languages[0]
        return territory_main([" ".join(args.query)], not_found=lambda query: translate(language, "cli.territory_not_found", query=query))
    try:
        config = load_config(args.config)
    except ConfigError as error:  # in the configured language; in French and English when the language is what is wrong
        for language in spoken_languages(args.config):
            message = setting_message(error, language)
            if command == "doctor":  # the doctor's first check, in its own format
                say(language, "doctor.configuration_failed", key=error.key, message=message)
            say(language, "cli.config_error", error=True, key=error.key, message=message)
        return 2
    # the bot's own commands; the operations commands say what they find at the path themselves (a restore makes its place)
    refused = _database_path_refused(config.db, config.language) if command not in ops_cli.COMMANDS else None
    if refused is not None:
        say(config.language, "cli.db_error", error=True, path=config.db, reason=refused)
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
        say(config.language, "cli.db_error", error=True, path=error.path, reason=database_reason(error, config.language))
        return 2
    except KeyboardInterrupt:
        return 130


def _database_path_refused(db: str, language: str) -> str | None:
    """Why the SQLite file ``db`` cannot be used, told in ``language`` before anything is created
    or changed: a folder given instead of a file, a file in a folder that does not exist (the bot
    never creates it silently: a typo would scatter data), or a place the person running the bot
    cannot write (the file, or its folder where SQLite keeps its journal and the lock file). Each
    refusal names a place the person can use (see :func:`_proposed_database`). None when the path
    may be used (or ``db`` is no file path: PostgreSQL, in memory)."""
    if db == ":memory:" or db.startswith(("postgresql://", "postgres://", "file:")):
        return None
    path = Path(db).expanduser()
    try:
        return _path_refused(path, language)
    except PermissionError:  # a folder on the way the person may not enter (another account's home)
        return _refusal(language, translate(language, "cli.db_not_reachable"), path, inside=None)


def _path_refused(path: Path, language: str) -> str | None:
    """:func:`_database_path_refused` for the file path ``path`` (PermissionError: a folder on its way is closed)."""
    if path.is_dir():
        if _is_system_folder(path.resolve()):
            reason = translate(language, "cli.db_system_folder")
            return _refusal(language, reason, path, inside=None, whole="cli.db_is_system_folder")
        if not _can_write(path):
            return _refusal(language, translate(language, "cli.db_folder_given_not_writable"), path, inside=None)
        return _refusal(language, translate(language, "cli.db_folder_given"), path, inside=path)
    folder = path.absolute().parent
    existing = next(p for p in (folder, *folder.parents) if p.exists())  # "/" exists
    if not existing.is_dir():
        return translate(language, "cli.db_folder_not_folder", folder=str(existing))
    if existing != folder:
        if _can_write(existing):
            return translate(language, "cli.db_folder_missing", folder=str(folder))
        reason = translate(language, "cli.db_folder_cannot_be_created", folder=str(folder), parent=str(existing))
        return _refusal(language, reason, path, inside=None)
    if not _can_write(folder):
        return _refusal(language, translate(language, "cli.db_folder_not_writable", folder=str(folder)), path, inside=None)
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return _refusal(language, translate(language, "cli.db_file_not_writable"), path, inside=None)
    return None


SYSTEM_FOLDERS = ("/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/boot", "/dev", "/proc", "/sys", "/run")
"""Folders (and everything below them) that belong to the system: never proposed for a database."""
SYSTEM_ROOTS = ("/", "/var", "/var/lib", "/home", "/opt", "/srv", "/mnt", "/media", "/tmp", "/root")
"""Folders proposed for a database only below them, never the folder itself."""
DEPLOYED_DATABASE = "/var/lib/traitdunion/traitdunion.db"
"""Where the README's deploy section keeps the database (proposed only to root, who can make it)."""
DATABASE_NAME = "traitdunion.db"


def _is_system_folder(folder: Path) -> bool:
    text = str(folder)
    return text in SYSTEM_ROOTS or any(text == top or text.startswith(top + "/") for top in SYSTEM_FOLDERS)


def _can_write(folder: Path) -> bool:
    """Whether the person running the bot may create files in ``folder`` (an existing folder)."""
    return os.access(folder, os.W_OK | os.X_OK)


def _own_data_folder() -> Path | None:
    """The person's own data folder for the bot: ``$XDG_DATA_HOME/traitdunion`` (an absolute
    ``XDG_DATA_HOME``, as the XDG specification requires), else ``~/.local/share/traitdunion``;
    None without a home folder."""
    xdg = os.environ.get("XDG_DATA_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "traitdunion"
    try:
        return Path.home() / ".local" / "share" / "traitdunion"
    except (RuntimeError, KeyError):  # no HOME and no entry in the password database
        return None


def _usable(candidate: Path, refused: Path) -> tuple[bool, Path | None]:
    """Whether a database file at ``candidate`` could be used by the person running the bot
    instead of ``refused``, and the folder to make first (None when it exists)."""
    file = candidate.absolute()
    if file.resolve() == refused.resolve() or (file.exists() and not (file.is_file() and os.access(file, os.R_OK | os.W_OK))):
        return False, None
    folder = file.parent
    if _is_system_folder(folder.resolve()):
        return False, None
    if folder.exists():
        return folder.is_dir() and _can_write(folder), None
    existing = next(p for p in folder.parents if p.exists())
    return existing.is_dir() and _can_write(existing), folder


def _proposed_database(refused: Path, inside: Path | None) -> tuple[str, Path | None] | None:
    """A database path the person running the bot can use instead of ``refused``, as it is written
    in ``TRAITDUNION_DB=…``, with the folder to make first (or None): a file in ``inside`` (the
    folder given), else in the current directory, else (root only) the deploy path, else in the
    person's own data folder; None when there is no such place."""
    candidates: list[tuple[str, Path]] = []
    if inside is not None:
        candidates.append((str(inside / DATABASE_NAME), inside / DATABASE_NAME))
    candidates.append((f"./{DATABASE_NAME}", Path(DATABASE_NAME)))
    if os.geteuid() == 0:  # an ordinary user can neither write /var/lib nor make a folder there
        candidates.append((DEPLOYED_DATABASE, Path(DEPLOYED_DATABASE)))
    own = _own_data_folder()
    if own is not None:
        candidates.append((str(own / DATABASE_NAME), own / DATABASE_NAME))
    for written, candidate in candidates:
        try:
            usable, to_make = _usable(candidate, refused)
        except OSError:  # a folder on the way closed to the person, a current directory removed
            continue
        if usable:
            return written, to_make
    return None


def _refusal(language: str, reason: str, refused: Path, inside: Path | None, whole: str | None = None) -> str:
    """``reason`` followed by the place proposed instead (see :func:`_proposed_database`); the
    message ``whole`` when it says both, for a place that exists (its ``{example}``)."""
    proposed = _proposed_database(refused, inside)
    if proposed is None:
        return f"{reason} {translate(language, 'cli.db_propose_none')}"
    example, to_make = proposed
    if inside is not None and example == str(inside / DATABASE_NAME):
        return translate(language, "cli.db_is_folder", example=example)
    if to_make is not None:
        return f"{reason} {translate(language, 'cli.db_propose_new_folder', folder=str(to_make), example=example)}"
    if whole is not None:
        return translate(language, whole, example=example)
    return f"{reason} {translate(language, 'cli.db_propose', example=example)}"


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
    print_round(report, config.language, dry_run)
    return 0


def print_round(report: RoundReport, language: str, dry_run: bool) -> None:
    """What ``traitdunion suggest`` did: the counts (new suggestions, and those set aside with
    "Plus tard" and proposed again, which are sent too), then each message."""
    print(translate(language, "cli.round_dry" if dry_run else "cli.round_sent", due=report.due, count=len(report.suggestions)))
    if report.reproposed:
        print(translate(language, "cli.round_reproposed", count=len(report.reproposed)))
    for item in report.suggestions:
        print(f"\n→ {item.actor} ← {item.other}\n{item.text}")
    for item in report.reproposed:
        print(f"\n→ {item.actor} ← {item.other} ({translate(language, 'cli.round_again')})\n{item.text}")
    for item in report.nothing:
        print(f"\n→ {item.actor} ({translate(language, 'cli.round_nothing')})\n{item.text}")
    if (report.suggestions or report.reproposed) and not dry_run:
        print("\n" + translate(language, "cli.round_outbox"))


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
        say(config.language, "cli.could_not_start_because", error=True, reason=told(error, config.language))
        return 2
    except OSError:  # no lock file where the database should be: opening it says why, in one line
        hold = None
    try:
        return await _serve_held(config, console_user, jobs)
    finally:
        if hold is not None:
            hold.release()


async def _serve_held(config: Config, console_user: str | None, jobs: bool) -> int:
    from bot.lock import DataLocked, InstanceLock, PersonConnected, PersonLock, PersonSessionLock, data_dir, is_url

    try:  # shared by every bot process on this data; a restore needs it alone
        directory = data_dir(config)
        make_dirs(directory)
        lock = InstanceLock(directory).acquire()
    except DataLocked as error:
        say(config.language, "cli.data_locked", error=True, reason=told(error, config.language))
        return 1
    except OSError:  # the data directory is missing or unusable: opening the database says why
        lock = None
    person: PersonLock | None = None
    session: PersonSessionLock | None = None
    try:  # one console per person on this data: in the database itself on PostgreSQL, beside the file on SQLite
        if console_user is not None and is_url(config.db):
            session = await PersonSessionLock(config.db, console_user).acquire()
        elif console_user is not None and lock is not None:
            person = PersonLock(directory, console_user).acquire()
        return await _serve_locked(config, console_user, jobs)
    except PersonConnected as error:
        say(config.language, "cli.person_connected", error=True, reason=told(error, config.language))
        return 1
    finally:
        if session is not None:
            await session.release()
        if person is not None:
            person.release()
        if lock is not None:
            lock.release()


async def _serve_locked(config: Config, console_user: str | None, jobs: bool) -> int:
    console = ConsoleAdapter(console_user, language=config.language, files_dir=_files_dir(config)) if console_user else None
    app = await App.open(config, adapters=[console] if console else None)
    app.run_jobs = jobs
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    try:
        try:
            await app.start()
        except Exception as error:  # a platform refused or could not be reached at start
            LOG.error("could not start: %s", error)
            say(config.language, "cli.could_not_start", error=True, reason=told(error, config.language))
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
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
