"""New-user trial of 1 Dec 2026, the console: exports outlived a killed or closed session and
/supprimer (« Toutes vos données sont supprimées » beside traitdunion-2-emma.json), and 30 emoji
typed fast got 30 full replies where Telegram and Matrix answer a burst then one « doucement… ».
Each test failed before its fix."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.adapters.console import ConsoleAdapter
from core.types import Incoming
from tests.core.test_console import ONBOARDING, run_chat


def _open_chat(tmp_path: Path, user: str) -> subprocess.Popen[str]:
    env = {**os.environ, "TRAITDUNION_DB": str(tmp_path / "bot.db")}
    for key in ("TELEGRAM_BOT_TOKEN", "MATRIX_HOMESERVER"):
        env.pop(key, None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "chat", "--user", user],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )


def _export_then(tmp_path: Path, user: str, how: signal.Signals) -> Path:
    """``user`` onboards, asks /mesdonnees, and the session is ended by ``how``: the file it saved."""
    process = _open_chat(tmp_path, user)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("\n".join([*ONBOARDING, "/mesdonnees"]) + "\n")
    process.stdin.flush()
    seen = ""
    while f"-{user}.json" not in seen:
        line = process.stdout.readline()
        assert line, seen
        seen += line
    saved = Path(seen.split("Fichier enregistré : ", 1)[1].split()[0])
    assert saved.exists()
    process.send_signal(how)
    process.wait(timeout=60)
    return saved


def _left(tmp_path: Path) -> list[str]:
    folder = tmp_path / "exports"
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


def test_erasure_removes_the_files_a_killed_session_left(tmp_path: Path) -> None:
    saved = _export_then(tmp_path, "emma", signal.SIGKILL)
    assert saved.exists()  # killed: nothing could remove it then
    deleted = run_chat(tmp_path, ["/supprimer", "1"], user="emma")
    assert "Toutes vos données sont supprimées" in deleted.stdout, deleted.stdout
    assert not saved.exists()
    assert _left(tmp_path) == []  # nor any list naming it


def test_a_new_session_removes_the_stale_files_sessions_that_never_ended_left(tmp_path: Path) -> None:
    saved = _export_then(tmp_path, "emma", signal.SIGKILL)
    old = time.time() - 2 * 3600
    os.utime(saved, (old, old))
    fresh = tmp_path / "exports" / "evenement-1-sophie.ics"  # another person's console, open now
    fresh.write_text("BEGIN:VCALENDAR")
    done = run_chat(tmp_path, ["/aide"], user="bob")
    assert done.returncode == 0, done.stderr
    assert not saved.exists()
    assert fresh.exists()


def test_closing_the_terminal_removes_the_session_files(tmp_path: Path) -> None:
    saved = _export_then(tmp_path, "emma", signal.SIGHUP)
    assert not saved.exists()


class _Terminal(io.StringIO):
    """Lines typed or pasted in a terminal, all there at once."""

    def isatty(self) -> bool:
        return True


async def _read_all(stdin: io.StringIO) -> tuple[list[str], str]:
    handled: list[str] = []
    out = io.StringIO()
    adapter = ConsoleAdapter("zoe", stdin=stdin, stdout=out)

    async def handler(incoming: Incoming) -> None:
        handled.append(incoming.text or "")

    await adapter.start(handler)  # type: ignore[arg-type]
    adapter.resume_input()
    await asyncio.wait_for(adapter.finished.wait(), 30)
    await adapter.stop()
    return handled, out.getvalue()


async def test_a_flood_typed_in_the_console_gets_a_burst_and_one_slow_down() -> None:
    handled, out = await _read_all(_Terminal("🎉\n" * 30))
    assert len(handled) == 20  # bot.fairness's burst, as on Telegram and Matrix
    assert out.count("Doucement") == 1
    piped, out = await _read_all(io.StringIO("🎉\n" * 30))  # a script in a pipe is no flood
    assert len(piped) == 30 and "Doucement" not in out


class _GoneReader(io.StringIO):
    """The output of `traitdunion chat … | tee` once the reader left (its terminal closed): every write fails."""

    def __init__(self) -> None:
        super().__init__()
        self.gone = False

    def write(self, text: str) -> int:
        if self.gone:
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


async def test_a_reader_gone_before_the_goodbye_ends_the_session_cleanly() -> None:
    """Trial 10: closing a console piped into `tee` logged « adapter console did not stop cleanly » with a
    BrokenPipeError traceback (the goodbye written to nobody), and the session never said it finished."""
    out = _GoneReader()
    adapter = ConsoleAdapter("zoe", stdin=io.StringIO(""), stdout=out)

    async def handler(incoming: Incoming) -> None:
        return None

    await adapter.start(handler)  # type: ignore[arg-type]
    out.gone = True
    adapter.resume_input()
    await asyncio.wait_for(adapter.finished.wait(), 30)
    await adapter.stop()  # no BrokenPipeError
