"""The console leaves no personal file behind, and its commands behave in a pipe (issue 13 follow-up)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.core.test_console import ONBOARDING


def test_an_export_is_written_in_the_data_directory_privately_and_removed_at_the_end(tmp_path: Path) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    data = tmp_path / "data"
    data.mkdir()  # the bot never creates the database's folder (a typo would scatter the data)
    env = {**os.environ, "TRAITDUNION_DB": str(data / "bot.db")}
    for key in ("TELEGRAM_BOT_TOKEN", "MATRIX_HOMESERVER"):
        env.pop(key, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "chat", "--user", "alice"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=work,
    )
    assert process.stdin is not None and process.stdout is not None
    for line in [*ONBOARDING, "/mesdonnees"]:
        process.stdin.write(line + "\n")
    process.stdin.flush()
    seen = ""
    while "traitdunion-1-alice.json" not in seen:  # named after the person: consoles share the directory
        line = process.stdout.readline()
        assert line, seen
        seen += line
    saved = Path(seen.split("Fichier enregistré : ", 1)[1].split()[0])
    assert saved.parent.parent == data and saved.exists()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
    process.stdin.close()
    process.wait(timeout=120)
    assert process.returncode == 0
    assert list(work.iterdir()) == []  # nothing in the current directory
    assert not saved.exists()  # removed once the session ended


def test_suggest_in_a_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    """`traitdunion suggest --dry-run | head`: the reader is gone, the command stops without a traceback."""
    env = {**os.environ, "TRAITDUNION_DB": str(tmp_path / "bot.db")}
    subprocess.run([sys.executable, "-m", "bot.cli", "demo"], env=env, cwd=tmp_path, capture_output=True, check=True)
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `head` once it has its lines
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "suggest", "--dry-run", "--now"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=300,
        )
    finally:
        os.close(write_end)
    assert "BrokenPipeError" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 141  # as a command killed by SIGPIPE: `set -o pipefail` sees it


def test_consoles_sharing_the_directory_never_overwrite_nor_delete_each_other_files(tmp_path: Path) -> None:
    """First trial: p1's evenement-1.ics overwrote p5's, and p5 quitting deleted the file p1 had
    just been told was saved."""
    import asyncio
    import io

    from bot.adapters.console import ConsoleAdapter
    from core.types import Attachment, Reply

    shared = tmp_path / "exports"
    p1, p5 = (ConsoleAdapter(user, stdout=io.StringIO(), files_dir=shared) for user in ("p1", "p5"))
    saved: dict[str, list[Path]] = {}
    for adapter, data in ((p5, b"p5's"), (p1, b"p1's"), (p1, b"p1's again")):
        reply = Reply("ics", attachment=Attachment("evenement-1.ics", "text/calendar", data))
        asyncio.run(adapter.send(adapter.user, reply))
        printed = adapter.stdout.getvalue()  # type: ignore[attr-defined]
        saved.setdefault(adapter.user, []).append(Path(printed.rsplit("Fichier enregistré : ", 1)[1].split()[0]))
    (first5,), (first1, second1) = saved["p5"], saved["p1"]
    assert first5 != first1 and first5.read_bytes() == b"p5's"
    assert second1 == first1 and first1.read_bytes() == b"p1's again"  # p1's own file, replaced (see below)
    p5.remove_files()  # p5 quits
    assert not first5.exists() and first1.exists()
    p1.remove_files()
    assert list(shared.iterdir()) == []


def test_the_same_file_asked_again_is_written_once_and_a_changed_one_replaces_it(tmp_path: Path) -> None:
    """New-user trial: each « le fichier calendrier » saved another copy of the same event's .ics
    (x.ics, x-2.ics, x-3.ics). The same file for the same name is kept (not written again), a
    changed one (the event moved) replaces it; another name is another file."""
    import asyncio
    import io

    from bot.adapters.console import ConsoleAdapter
    from core.types import Attachment, Reply

    shared = tmp_path / "exports"
    alice = ConsoleAdapter("alice", stdout=io.StringIO(), files_dir=shared)

    def save(filename: str, data: bytes) -> Path:
        asyncio.run(alice.send(alice.user, Reply("ics", attachment=Attachment(filename, "text/calendar", data))))
        printed = alice.stdout.getvalue()  # type: ignore[attr-defined]
        return Path(printed.rsplit("Fichier enregistré : ", 1)[1].split()[0])

    first = save("evenement-3.ics", b"BEGIN:VCALENDAR 10h")
    written = first.stat().st_mtime_ns
    os.utime(first, ns=(written - 10**9, written - 10**9))  # an older stamp: a rewrite would renew it
    assert save("evenement-3.ics", b"BEGIN:VCALENDAR 10h") == first
    assert first.stat().st_mtime_ns == written - 10**9  # not written again
    assert save("evenement-3.ics", b"BEGIN:VCALENDAR 14h") == first and first.read_bytes() == b"BEGIN:VCALENDAR 14h"
    other = save("evenement-4.ics", b"BEGIN:VCALENDAR")
    assert other != first
    saved = sorted(p.name for p in shared.iterdir() if not p.name.startswith("."))  # not the manifest /supprimer reads
    assert saved == ["evenement-3-alice.ics", "evenement-4-alice.ics"]
    first.unlink()  # removed by hand meanwhile: written again, under its name
    assert save("evenement-3.ics", b"BEGIN:VCALENDAR 14h") == first and first.read_bytes() == b"BEGIN:VCALENDAR 14h"
    alice.remove_files()
    assert list(shared.iterdir()) == []
