"""``coordinator add … --organisation``: the name that signs a coordinator's calls is applied,
said, and shown by ``coordinator list``, also when the person was already appointed."""

from __future__ import annotations

from pathlib import Path

from tests.ops.conftest import traitdunion

MDA = "Maison des associations de Villeurbanne"


def test_an_organisation_given_again_is_applied_said_and_listed(tmp_path: Path) -> None:
    """New-user trial: ``coordinator add`` run again for the same person with ``--organisation``
    said nothing about it, and ``coordinator list`` did not show it."""
    env = {"TRAITDUNION_DB": str(tmp_path / "bot.db")}
    first = traitdunion("coordinator", "add", "console:marie", "Villeurbanne", env=env)
    assert first.returncode == 0, first.stderr
    again = traitdunion("coordinator", "add", "console:marie", "Villeurbanne", "--organisation", MDA, env=env)
    assert again.returncode == 0, again.stderr
    assert f"Organisation qui signe ses appels : {MDA}" in again.stdout, again.stdout
    (line,) = traitdunion("coordinator", "list", env=env).stdout.strip().splitlines()
    assert line.startswith("console:marie\t") and line.endswith(f"\t{MDA}"), line
    english = {**env, "TRAITDUNION_LANGUAGE": "en"}
    renamed = traitdunion("coordinator", "add", "console:marie", "69266", "--organisation", "  MDA   Villeurbanne ", env=english)
    assert renamed.returncode == 0, renamed.stderr
    assert "Organisation signing their calls: MDA Villeurbanne" in renamed.stdout, renamed.stdout
    assert traitdunion("coordinator", "list", env=env).stdout.strip().endswith("\tMDA Villeurbanne")


def test_a_blank_organisation_is_refused_with_the_reason_and_nothing_is_done(tmp_path: Path) -> None:
    env = {"TRAITDUNION_DB": str(tmp_path / "bot.db")}
    blank = traitdunion("coordinator", "add", "console:marie", "Villeurbanne", "--organisation", "  ", env=env)
    assert blank.returncode == 2
    assert "--organisation" in blank.stderr and "vide" in blank.stderr, blank.stderr
    assert traitdunion("coordinator", "list", env=env).stdout.strip() == ""
