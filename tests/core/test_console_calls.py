"""Coordinators' calls in the console (`traitdunion chat` subprocesses sharing one database):
answers forwarded while the coordinator is connected, never twice across restarts; scheduling."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.core.test_console_broadcast import ALL_THEMES, CALL, _env, chat, cli, rows, template, territory  # noqa: F401  (fixtures)


def test_answers_are_forwarded_in_the_chat_and_never_twice_after_a_restart(territory: Path) -> None:
    tmp_path = territory
    out = chat(tmp_path, "coord", ["/diffuser", "1 2 3 4", ALL_THEMES, CALL, "2", "1"])
    assert "Appel n°1 : envoi en cours à 2 acteurs" in out
    chat(tmp_path, "alice", ["1"])
    first = chat(tmp_path, "coord", ["/menu"])  # connected: the forwarding job runs
    assert "1 nouvelle réponse" in first and "Les Jardins de la Doua" in first
    second = chat(tmp_path, "coord", ["/menu"])  # a restart: nothing forwarded again
    assert "nouvelle réponse" not in second and "nouvelles réponses" not in second
    chat(tmp_path, "bob", ["Intéressé·e"])
    third = chat(tmp_path, "coord", ["/menu"])
    assert "1 nouvelle réponse" in third and "Boulangerie Gratte-Ciel" in third and "Les Jardins" not in third
    assert rows(tmp_path, "SELECT COUNT(*) FROM broadcast_answers WHERE forwarded_at IS NULL") == [(0,)]


def test_organisation_at_appointment_signs_the_call(territory: Path) -> None:
    tmp_path = territory
    cli(tmp_path, "coordinator", "add", "console:coord", "Villeurbanne", "--organisation", "MDA de Villeurbanne")
    chat(tmp_path, "coord", ["/diffuser", "1 2 3 4", ALL_THEMES, CALL, "2", "1"])
    alice = chat(tmp_path, "alice", ["1"])
    assert f"📣 Appel de MDA de Villeurbanne :\n{CALL}" in alice


def test_a_call_scheduled_in_the_console(territory: Path) -> None:
    tmp_path = territory
    out = chat(
        tmp_path,
        "coord",
        ["/diffuser", "1 2 3 4", ALL_THEMES, CALL, "2", "2", "la semaine prochaine", "31/12/2020 9h", "01/06/2027 9h30"],
    )
    assert "pas compris la date" in out and "déjà passée" in out
    assert "⏰ Appel programmé n°1 : envoi le 01/06/2027 09:30" in out
    assert rows(tmp_path, "SELECT send_at, status FROM scheduled_calls") == [("2027-06-01T07:30:00+00:00", "scheduled")]
    out = chat(tmp_path, "coord", ["/appels", "1", "3"])
    assert "Appel programmé n°1 annulé" in out
    assert rows(tmp_path, "SELECT COUNT(*) FROM broadcasts") == [(0,)]


def test_exports_on_the_command_line_are_french_friendly(territory: Path, monkeypatch) -> None:
    tmp_path = territory
    chat(tmp_path, "coord", ["/diffuser", "1 2 3 4", ALL_THEMES, CALL, "2", "1"])
    chat(tmp_path, "alice", ["1"])
    stored = rows(tmp_path, "SELECT created_at FROM broadcast_answers")[0][0]
    monkeypatch.setenv("TRAITDUNION_TIMEZONE", "America/Cayenne")  # UTC-3 (Guyane)
    french = subprocess.run(
        [sys.executable, "-m", "bot.cli", "export", "answers", "1"], capture_output=True, timeout=60, env=_env(tmp_path), cwd=tmp_path
    ).stdout
    local = datetime.fromisoformat(stored).astimezone(ZoneInfo("America/Cayenne"))
    assert (
        french
        == (
            "\ufeffActeur;Type;Commune;Réponse;Date (heure locale)\r\n"
            f"Les Jardins de la Doua;Association;Villeurbanne (69);Intéressé·e;{local:%d/%m/%Y %H:%M}\r\n"
        ).encode()
    )
    monkeypatch.setenv("TRAITDUNION_LANGUAGE", "en")
    english = subprocess.run(
        [sys.executable, "-m", "bot.cli", "export", "answers", "1"], capture_output=True, timeout=60, env=_env(tmp_path), cwd=tmp_path
    ).stdout
    assert (
        english.decode("utf-8-sig").splitlines()[1]
        == f"Les Jardins de la Doua,Association,Villeurbanne (69),Interested,{local:%Y-%m-%d %H:%M}"
    )
    monkeypatch.delenv("TRAITDUNION_LANGUAGE")
    cli(tmp_path, "stats", "Villeurbanne", "--csv", str(tmp_path / "impact.csv"))
    data = (tmp_path / "impact.csv").read_bytes()
    assert data.startswith("\ufeffRubrique;Élément;Valeur\r\n".encode("utf-8")) and b"Acteurs par type;Association;" in data


def test_the_export_takes_the_number_the_coordinator_sees(territory: Path) -> None:
    """A scheduled call is n°1, the call sent after it n°2 (broadcast id 1): ``--of`` takes n°2."""
    tmp_path = territory
    chat(tmp_path, "coord", ["/diffuser", "1 2 3 4", ALL_THEMES, CALL, "2", "2", "01/06/2027 9h30"])
    out = chat(tmp_path, "coord", ["/diffuser", "1 2 3 4", ALL_THEMES, CALL, "2", "1"])
    assert "Appel n°2 : envoi en cours à 2 acteurs" in out
    chat(tmp_path, "alice", ["1"])
    out = chat(tmp_path, "coord", ["/reponses 2"])
    assert "Appel n°2 : 1 réponse." in out and "Les Jardins de la Doua" in out
    exported = cli(tmp_path, "export", "answers", "2", "--of", "console:coord").stdout
    assert "Les Jardins de la Doua" in exported
    missing = subprocess.run(
        [sys.executable, "-m", "bot.cli", "export", "answers", "1", "--of", "console:coord"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(tmp_path),
        cwd=tmp_path,
    )
    assert missing.returncode == 1 and "console:coord n'a pas d'appel envoyé n°1." in missing.stderr  # n°1 is still scheduled
