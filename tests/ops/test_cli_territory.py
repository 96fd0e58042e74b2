"""The command line takes no guess at a territory: it asks no confirmation afterwards, so a
loosely matched or ambiguous name is refused with the candidates, and nothing is done."""

from __future__ import annotations

from pathlib import Path

from tests.ops.conftest import traitdunion


def test_a_loose_match_is_refused_with_the_closest_names(tmp_path: Path) -> None:
    env = {"TRAITDUNION_DB": str(tmp_path / "bot.db")}
    done = traitdunion("stats", "Atlantis", env=env)
    assert done.returncode == 1, done.stdout
    assert "Aucune commune, aucun EPCI ni département ne s'appelle « Atlantis »" in done.stderr and "Le Plantis" in done.stderr
    assert "Bilan" not in done.stdout and "Traceback" not in done.stderr
    sure = traitdunion("stats", "villeurbane", env=env)  # one letter missing: still taken
    assert sure.returncode == 0 and "Villeurbanne" in sure.stdout, sure.stderr


def test_an_ambiguous_name_appoints_nobody_and_a_code_does(tmp_path: Path) -> None:
    env = {"TRAITDUNION_DB": str(tmp_path / "bot.db")}
    done = traitdunion("coordinator", "add", "console:coord", "Saint-Denis", env=env)
    assert done.returncode == 1
    assert "désigne plusieurs lieux" in done.stderr and "93066" in done.stderr and "97411" in done.stderr
    assert traitdunion("coordinator", "list", env=env).stdout.strip() == ""
    by_code = traitdunion("coordinator", "add", "console:coord", "93066", env=env)
    assert by_code.returncode == 0, by_code.stderr
    assert "93066" in traitdunion("coordinator", "list", env=env).stdout


def test_a_name_a_commune_bore_formerly_is_ambiguous_too(tmp_path: Path) -> None:
    """Fourth trial: « naussac » named Naussac (12) alone, while Naussac-Fontanes (48) was Naussac too."""
    env = {"TRAITDUNION_DB": str(tmp_path / "bot.db")}
    done = traitdunion("coordinator", "add", "console:coord", "naussac", env=env)
    assert done.returncode == 1, done.stdout
    assert "désigne plusieurs lieux" in done.stderr and "Naussac-Fontanes" in done.stderr, done.stderr
