"""Who the console speaks for: ``--user NAME``, else the login name (``$LOGNAME``, ``$USER``, else
the system account's name), as the README says; that name is the person ``console:<name>``."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ops.conftest import ROOT, clean_env


@pytest.mark.parametrize(
    ("args", "env", "person"),
    [
        ((), {"LOGNAME": "camille", "USER": "other"}, "camille"),
        ((), {"LOGNAME": "", "USER": "dominique"}, "dominique"),
        (("--user", "zoe"), {"LOGNAME": "camille"}, "zoe"),
    ],
)
def test_the_console_speaks_for_the_login_name_unless_told_another(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], person: str
) -> None:
    db = tmp_path / "bot.db"
    command = [sys.executable, "-m", "bot.cli", "chat", *args]
    environ = clean_env({"TRAITDUNION_DB": str(db), **env})
    done = subprocess.run(command, input="/aide\n", capture_output=True, text=True, timeout=120, env=environ, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"(personne : {person})" in done.stdout.splitlines()[0], done.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT platform, user_id FROM identities").fetchall() == [("console", person)]
    assert db.stat().st_mode & 0o777 == 0o600  # private to the account, as the README says


def test_the_readme_says_who_the_console_speaks_for() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    row = readme.split("| `traitdunion chat --user NAME` |")[1].split("| `traitdunion suggest")[0]
    assert re.search(r"Without `--user` the person is the login name \(`\$LOGNAME` or `\$USER`", row), row[:600]
    assert "private (0600) to the system account that created them" in row
