"""The README's set-up commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", readme)


def test_ci_runs_the_readme_test_command() -> None:
    test_command = next(c for c in _commands() if "pytest" in c)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci


def test_readme_run_command_opens_the_console() -> None:
    run_command = _commands()[0]
    assert run_command.endswith("traitdunion run")


def test_readme_tells_what_the_bot_now_does_with_a_second_console_and_all_themes() -> None:
    """Two statements went stale on 1 December: "every theme ticked" for `un peu tout` (the bot
    asks for 2 or 3 main themes and says why) and two consoles of one person both working (the
    second is refused). The README quotes the refusal as the catalog words it."""
    from conversations.i18n import translate

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "every theme ticked" not in readme
    themes = readme.split("| `un peu tout`")[1]
    assert "2 or 3 main themes" in themes.split("|")[1], themes[:300]
    console = readme.split("- Two console windows of one person:")[1].split(" - ")[0]
    assert "the second is refused" in console and "answers the question that window shows" not in console, console
    quoted = re.search(r'\("(.+?)…"\)', console)
    assert quoted is not None, console
    said = translate("fr", "cli.person_connected", reason=translate("fr", "lock.person_connected_pid", user="alice", pid=4242))
    assert said.startswith(quoted.group(1)), (quoted.group(1), said)
