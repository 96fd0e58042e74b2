"""Several consoles open at once on one SQLite file: each process delivers its own person's messages, once.

Each ``traitdunion chat --user NAME`` is a worker of its own on the shared file. Opening a console
must not void what another live console holds (its claimed batch, the replies of the step it is in),
or that console sends its messages a second time; and a log record never lands in a conversation.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import hand_interrupted
from bot.outbox import OutboxWorker
from core.clock import iso
from core.model import Identity, Session
from core.types import Reply
from storage import identities, outbox
from storage.database import open_database

T0 = datetime(2026, 11, 30, 22, 58, tzinfo=UTC)


class Console:
    """The adapter side of one console process: prints (records) what its worker sends."""

    platform = "console"

    def __init__(self, user: str) -> None:
        self.only_chat = user
        self.shown: list[str] = []
        self.on_send: Any = None

    async def send(self, chat_id: str, reply: Reply) -> str:
        assert chat_id == self.only_chat, "a console shows only its own person's messages"
        if self.on_send is not None:
            hook, self.on_send = self.on_send, None
            await hook()
        self.shown.append(reply.text)
        return f"{chat_id}-{len(self.shown)}"


async def test_a_console_opening_leaves_the_other_consoles_messages_to_them(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = await open_database(tmp_path / "traitdunion.db").open()
    try:

        def write(conn: Any) -> None:
            for chat in ("ville", "epicerie"):
                for text in ("suggestion", "invitation", "call"):
                    outbox.enqueue(conn, "console", chat, Reply(f"{text} for {chat}"), iso(T0))
            # the replies of the step the first console is in, held by its runtime (alive: lease ahead)
            outbox.enqueue(
                conn,
                "console",
                "ville",
                Reply("step reply"),
                iso(T0),
                not_before=outbox.HELD,
                claimed_by="runtime-ville",
                lease_until=iso(T0 + timedelta(seconds=60)),
            )

        await db.transaction(write)
        ville, epicerie = Console("ville"), Console("epicerie")
        worker = OutboxWorker(db, ville, clock=lambda: T0, only_chat="ville", worker="worker-ville")  # type: ignore[arg-type]

        async def others_open() -> None:  # while ville's batch is out, three other consoles start
            for user in ("epicerie", "regie", "boulangerie"):
                await hand_interrupted(db, [Console(user)], iso(T0), None)  # type: ignore[list-item]

        ville.on_send = others_open
        with caplog.at_level(logging.WARNING, logger="bot.outbox"):
            await worker.run_once()
            await worker.run_once()
        assert Counter(ville.shown) == Counter(["suggestion for ville", "invitation for ville", "call for ville"])
        assert "taken over" not in caplog.text
        held_sql = "SELECT claimed_by FROM outbox WHERE not_before = ?"
        held = await db.read(lambda conn: conn.execute(held_sql, (outbox.HELD,)).fetchall())
        held = [tuple(row) for row in held]
        assert held == [("runtime-ville",)]  # still the live console's: its runtime sends and deletes it

        # a slow step at ville's console (its held lease past): the epicerie's worker leaves it to ville
        late = T0 + timedelta(seconds=90)
        other = OutboxWorker(db, epicerie, clock=lambda: late, only_chat="epicerie", worker="worker-epicerie")  # type: ignore[arg-type]
        await other.run_once()
        assert [tuple(row) for row in await db.read(lambda conn: conn.execute(held_sql, (outbox.HELD,)).fetchall())] == held

        # the epicerie's own console did send the epicerie's messages (its claims were nobody's)
        assert sorted(epicerie.shown) == ["call for epicerie", "invitation for epicerie", "suggestion for epicerie"]
    finally:
        await db.close()


async def test_a_console_reopened_after_its_process_died_takes_back_its_own_claims(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "traitdunion.db").open()
    try:

        def write(conn: Any) -> None:
            outbox.enqueue(
                conn,
                "console",
                "ville",
                Reply("claimed by a dead console"),
                iso(T0),
                claimed_by="dead",
                lease_until=iso(T0 + timedelta(seconds=60)),
            )
            outbox.enqueue(
                conn,
                "console",
                "ville",
                Reply("held by a dead console"),
                iso(T0),
                not_before=outbox.HELD,
                claimed_by="dead",
                lease_until=iso(T0 + timedelta(seconds=60)),
            )

        await db.transaction(write)
        ville = Console("ville")
        assert await hand_interrupted(db, [ville], iso(T0), None) == 1  # type: ignore[list-item]
        await OutboxWorker(db, ville, clock=lambda: T0, only_chat="ville", worker="new").run_once()  # type: ignore[arg-type]
        assert ville.shown == ["claimed by a dead console", "held by a dead console"]  # at once, not after the lease
    finally:
        await db.close()


def test_log_records_never_print_into_the_console_conversation(tmp_path: Path) -> None:
    env = {**os.environ, "TRAITDUNION_DB": str(tmp_path / "bot.db")}
    for key in ("TELEGRAM_BOT_TOKEN", "MATRIX_HOMESERVER"):
        env.pop(key, None)
    code = (
        "import logging, sys\n"
        "from bot import cli\n"
        "from bot.adapters import console\n"
        "real = console.ConsoleAdapter._print\n"
        "def noisy(self, text):\n"
        "    logging.getLogger('bot.outbox').warning('outbox message 14 was taken over by another worker')\n"
        "    real(self, text)\n"
        "console.ConsoleAdapter._print = noisy\n"
        "sys.argv = ['traitdunion', 'chat', '--user', 'alice']\n"
        "sys.exit(cli.main())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], input="/aide\n", capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "taken over" not in done.stdout and "taken over" not in done.stderr  # stderr shares the person's terminal
    log = tmp_path / "traitdunion-chat.log"
    assert "WARNING bot.outbox: outbox message 14 was taken over by another worker" in log.read_text(encoding="utf-8")


def _console(tmp_path: Path, user: str, language: str = "fr") -> subprocess.Popen[str]:
    env = {**os.environ, "TRAITDUNION_DB": str(tmp_path / "bot.db"), "TRAITDUNION_LANGUAGE": language}
    for key in ("TELEGRAM_BOT_TOKEN", "MATRIX_HOMESERVER"):
        env.pop(key, None)
    command = [sys.executable, "-m", "bot.cli", "chat", "--user", user]
    return subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path
    )


def test_a_second_console_of_the_same_person_is_refused_and_says_why(tmp_path: Path) -> None:
    """Trial 11: the same person opening two consoles on one database: the second voided the first
    one's claimed messages (sent twice). One console per person: the second says the person is
    connected elsewhere, in the configured language, and touches nothing; another person's opens."""
    first = _console(tmp_path, "alice")
    try:
        assert first.stdout is not None and "conversation en console" in first.stdout.readline()  # the banner: started
        for language, expected in (
            ("fr", "Console non ouverte : alice est déjà connecté·e dans une autre console sur ces données (processus "),
            ("en", "Console not opened: alice is already connected in another console on this data (process "),
        ):
            second = _console(tmp_path, "alice", language)
            out, err = second.communicate("/aide\n", timeout=120)
            assert second.returncode == 1, (out, err)
            assert err.strip().startswith(expected) and f"{first.pid})" in err and "Traceback" not in err, err
            assert "/aide" not in out and out.strip() == "", out  # nothing served
        other = _console(tmp_path, "bob")
        out, err = other.communicate("/aide\n", timeout=120)
        assert other.returncode == 0 and "Commandes" in out, (out, err)
    finally:
        first.communicate("", timeout=120)
    again = _console(tmp_path, "alice")  # the first closed: alice may open one again
    out, err = again.communicate("/aide\n", timeout=120)
    assert again.returncode == 0 and "Commandes" in out, (out, err)


async def test_a_console_reopened_sends_the_replies_its_dead_process_kept_and_only_its_own(tmp_path: Path) -> None:
    """Replies a step kept in its session row (SQLite, issues 13/15) when the process died before
    sending them go to the outbox when that person's console opens again, not when another opens."""
    db = await open_database(tmp_path / "traitdunion.db").open()
    try:

        def write(conn: Any) -> None:
            for user in ("ville", "epicerie"):
                identities.upsert_identity(conn, Identity(platform="console", user_id=user), user, iso(T0))
                kept = outbox.held_replies(user, None, [Reply(f"first for {user}"), Reply(f"second for {user}")])
                identities.save_step(conn, "console", user, Session(), iso(T0), kept)

        await db.transaction(write)
        ville = Console("ville")
        assert await hand_interrupted(db, [ville], iso(T0), None) == 2  # type: ignore[list-item]
        await OutboxWorker(db, ville, clock=lambda: T0, only_chat="ville", worker="new").run_once()  # type: ignore[arg-type]
        assert ville.shown == ["first for ville", "second for ville"]
        kept = await db.read(lambda conn: conn.execute("SELECT user_id FROM sessions WHERE held IS NOT NULL").fetchall())
        assert [tuple(row) for row in kept] == [("epicerie",)]  # another console's: left to it
    finally:
        await db.close()


def test_a_console_lock_names_no_one_and_leaves_with_the_console(tmp_path: Path) -> None:
    """Tester, 1 December: ``console-treso-….lock`` stayed beside the database after /supprimer and
    the console closed. While a console is open its lock file carries a hash only; once it closes
    (after /supprimer too) no file in the folder names the person, and no lock file is left."""
    first = _console(tmp_path, "treso")
    try:
        assert first.stdout is not None and "conversation en console" in first.stdout.readline()
        locks = sorted(p.name for p in tmp_path.glob("console-*.lock"))
        assert len(locks) == 1 and "treso" not in locks[0], locks
    finally:
        first.communicate("/supprimer\n1\n", timeout=120)
    assert first.returncode == 0
    assert [p.name for p in tmp_path.rglob("*") if "treso" in p.name.lower()] == []
    assert list(tmp_path.glob("console-*.lock")) == []


def test_a_console_that_opened_the_lock_as_it_was_removed_locks_the_new_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The classic race of removing a lock file: B opens the file, A (closing) removes it and lets
    go, B then locks the removed file. B must notice and lock the file in the folder, so that a third
    console C of the same person is refused rather than both B and C believing they hold the lock."""
    from bot import lock as lock_module
    from bot.lock import PersonConnected, PersonLock

    a = PersonLock(tmp_path, "alice").acquire()
    real_open = os.open
    calls = {"n": 0}

    def open_then_a_closes(path: Any, flags: int, mode: int = 0o777) -> int:
        fd = real_open(path, flags, mode)
        calls["n"] += 1
        if calls["n"] == 1:  # between B's open and B's flock, A closes (removes the file, unlocks)
            a.release()
        return fd

    monkeypatch.setattr(lock_module.os, "open", open_then_a_closes)
    b = PersonLock(tmp_path, "alice").acquire()
    monkeypatch.setattr(lock_module.os, "open", real_open)
    assert calls["n"] == 2  # B started again on the new file
    assert b.path.exists()
    with pytest.raises(PersonConnected):
        PersonLock(tmp_path, "alice").acquire()
    b.release()
    assert not b.path.exists()
    PersonLock(tmp_path, "alice").acquire().release()


def _console_in(folder: Path, db: str, user: str) -> subprocess.Popen[str]:
    """A console of ``user`` on ``db`` started from ``folder`` (its current directory)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "MATRIX_", "TRAITDUNION_"))}
    env.update(TRAITDUNION_DB=db, TRAITDUNION_LANGUAGE="fr")
    command = [sys.executable, "-m", "bot.cli", "chat", "--user", user]
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=folder)


@pytest.mark.backends
@pytest.mark.postgresql_only
def test_two_consoles_of_one_person_from_two_folders_on_postgresql_the_second_is_refused(tmp_path: Path, db_path: str) -> None:
    """With PostgreSQL the data directory is the current one: a file lock there let the same person
    open a second console from another folder (and void the first one's claimed messages). The
    person's lock lives in the database: refused from any folder, with the SQLite message; another
    person opens; once the first closes, the person may open one again from the other folder."""
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    first = _console_in(here, db_path, "alice")
    try:
        assert first.stdout is not None and "conversation en console" in first.stdout.readline()  # started
        for folder in (there, here):
            second = _console_in(folder, db_path, "alice")
            out, err = second.communicate("/aide\n", timeout=120)
            assert second.returncode == 1, (out, err)
            expected = "Console non ouverte : alice est déjà connecté·e dans une autre console sur ces données (processus "
            assert err.strip().startswith(expected) and f"{first.pid})" in err and "Traceback" not in err, err
            assert out.strip() == "", out  # nothing served
        other = _console_in(there, db_path, "bob")
        out, err = other.communicate("/aide\n", timeout=120)
        assert other.returncode == 0 and "Commandes" in out, (out, err)
    finally:
        first.communicate("", timeout=120)
    assert first.returncode == 0
    again = _console_in(there, db_path, "alice")
    out, err = again.communicate("/aide\n", timeout=120)
    assert again.returncode == 0 and "Commandes" in out, (out, err)


@pytest.mark.backends
@pytest.mark.postgresql_only
async def test_a_console_lock_lost_with_its_connection_is_taken_again(db_path: str) -> None:
    """The server closed the lock's connection (a restart): the console takes its lock again on
    a new one, and a second console of the person is still refused."""
    import psycopg

    from bot.lock import PersonConnected, PersonSessionLock

    first = await PersonSessionLock(db_path, "alice").acquire()
    try:
        with psycopg.connect(db_path, autocommit=True) as admin:
            killed = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s AND datname = current_database()",
                (f"traitdunion console {os.getpid()}",),
            ).fetchall()
        assert killed == [(True,)]
        assert await first.check()  # taken again
        with pytest.raises(PersonConnected) as refused:
            await PersonSessionLock(db_path, "alice").acquire()
        assert refused.value.pid == os.getpid()
    finally:
        await first.release()
    again = await PersonSessionLock(db_path, "alice").acquire()  # released: the person may open one again
    await again.release()
