"""A database that cannot be opened or trusted stops the bot at once with one clear line
(exit 2, no traceback, no hang); people's data is written readable by its owner only."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from storage.database import Database, DatabaseUnavailable
from storage.files import write_private
from tests.core.test_console import ONBOARDING, run_chat


def traitdunion(tmp_path: Path, db: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_", "TRAITDUNION_"))}
    env["TRAITDUNION_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )


def assert_refused(done: subprocess.CompletedProcess[str], db: Path) -> None:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Erreur de base de données — {db} : "), done.stderr


@pytest.mark.parametrize("command", [["run"], ["chat", "--user", "ana"], ["suggest", "--dry-run"]])
def test_a_file_that_is_not_a_database_exits_2_with_one_line(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "bot.db"
    db.write_text("these are not the droids you are looking for\n" * 200)
    done = traitdunion(tmp_path, db, *command, stdin="/start\n")
    assert_refused(done, db)
    assert "not a database" in done.stderr


def test_a_database_that_cannot_be_created_exits_2(tmp_path: Path) -> None:
    (tmp_path / "plain-file").write_text("x")
    db = tmp_path / "plain-file" / "bot.db"
    assert_refused(traitdunion(tmp_path, db, "run"), db)


def test_a_damaged_database_is_refused_instead_of_greeting_known_people_as_strangers(tmp_path: Path) -> None:
    run_chat(tmp_path, ONBOARDING, user="alice")
    db = tmp_path / "bot.db"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = [row[0] for row in conn.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'identities'")]
    with db.open("r+b") as handle:  # the identities table and its indexes: pages overwritten
        for root in roots:
            handle.seek((root - 1) * page_size)
            handle.write(b"\xa5" * page_size)
    done = run_chat(tmp_path, ["/menu"], user="alice")
    assert_refused(done, db)
    assert "damaged" in done.stderr or "malformed" in done.stderr
    assert "Bienvenue" not in done.stdout and "Tapez /start" not in done.stdout


async def test_opening_fails_cleanly_in_process(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    path.write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(DatabaseUnavailable) as raised:
        await Database(path).open()
    assert raised.value.reason == "file is not a database"


async def test_database_files_and_exports_are_private_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        db = tmp_path / "new" / "folder" / "bot.db"
        async with Database(db) as database:
            await database.transaction(lambda conn: conn.execute("CREATE TABLE t (x)"))
            for path in (db, db.with_name("bot.db-wal"), db.with_name("bot.db-shm")):
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        for folder in (db.parent, db.parent.parent):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        export = tmp_path / "export.csv"
        export.write_text("old")
        os.chmod(export, 0o644)
        write_private(export, b"a;b\n")
        assert stat.S_IMODE(export.stat().st_mode) == 0o600 and export.read_bytes() == b"a;b\n"
    finally:
        os.umask(previous)


def test_console_exports_and_stats_files_are_private(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # inherited by the subprocesses
    try:
        run_chat(tmp_path, [*ONBOARDING, "/mesdonnees"], user="alice")
        # the console's export (0600 in a 0700 directory while the session lasts: test_console_files) is gone
        assert not list(tmp_path.glob("traitdunion-*.json")) and not list(tmp_path.glob("exports/*"))
        assert stat.S_IMODE((tmp_path / "exports").stat().st_mode) == 0o700
        db = tmp_path / "bot.db"
        done = traitdunion(tmp_path, db, "stats", "--png", "chart.png", "--csv", "figures.csv")
        assert done.returncode == 0, done.stderr
    finally:
        os.umask(previous)
    for name in ("chart.png", "figures.csv", "bot.db"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


def _modes_not_private(root: Path) -> list[str]:
    """Files under ``root`` not 0600 and folders not 0700 (as ``path: mode``)."""
    wrong = []
    for path in sorted(root.rglob("*")):
        expected = 0o700 if path.is_dir() else 0o600
        if stat.S_IMODE(path.stat().st_mode) != expected:
            wrong.append(f"{path.relative_to(root)}: {oct(stat.S_IMODE(path.stat().st_mode))}")
    return wrong


def test_every_file_a_console_session_and_a_backup_write_is_private_whatever_the_umask(tmp_path: Path) -> None:
    """The chat log (who wrote when, what a library quoted), the database, the exports folder, the
    backup archive and each of its members, the Matrix adapter's state: 0600 files in 0700 folders."""
    import tarfile

    from bot.adapters.matrix_state import AdapterState
    from bot.backup import backup
    from bot.config import Config

    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    previous = os.umask(0o022)  # the usual one: inherited by the subprocesses
    try:
        run_chat(data, [*ONBOARDING, "/mesdonnees"], user="alice")
        assert (data / "traitdunion-chat.log").exists()
        archive = backup(Config(db=str(data / "bot.db")), tmp_path / "backups" / "daily")
        store = tmp_path / "store"
        store.mkdir(mode=0o700)  # as the adapter makes it (test_matrix_adapter)
        state = AdapterState.open(store)
        state.remember_prompt("$event", "!room", "prompt", 3)
        state.close()
    except BaseException:
        os.umask(previous)
        raise
    os.umask(previous)
    assert _modes_not_private(data) == []
    assert _modes_not_private(tmp_path / "backups") == []
    assert _modes_not_private(store) == []
    with tarfile.open(archive, "r:gz") as tar:  # extracted by hand, they stay private
        assert {member.name: oct(member.mode) for member in tar.getmembers() if member.mode != 0o600} == {}


def test_a_chat_log_left_readable_by_an_older_version_is_made_private(tmp_path: Path) -> None:
    log = tmp_path / "traitdunion-chat.log"
    log.write_text("2026-11-30 older lines\n")
    os.chmod(log, 0o644)
    run_chat(tmp_path, ["/menu"], user="alice")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert log.read_text(encoding="utf-8").startswith("2026-11-30 older lines\n")  # appended to, not replaced
