"""The console chat as a person uses it: a subprocess with piped standard input."""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ONBOARDING = [
    "/start",
    "1",  # Association
    "Les Restos du Cœur de Villeurbanne",
    "villeurbane",  # typo, confirmed in one line
    "1",  # Oui
    "1 8",  # Alimentation, Solidarité
    "contact@restos-villeurbanne.fr",
    "1",  # consent to suggestions and to coordinators' calls
]
NEED = ["/besoin", "1", "Des bénévoles pour la distribution du samedi matin.", "2"]
OFFER = ["/offre", "4", "Une salle de 30 places libre le mardi soir.", "1"]
EDIT = ["/annonces", "2", "1", "Des bénévoles pour la distribution du samedi, de 8 h à 12 h."]


def run_chat(tmp_path: Path, lines: list[str], user: str = "alice") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRAITDUNION_DB": str(tmp_path / "bot.db")}
    for key in ("TELEGRAM_BOT_TOKEN", "MATRIX_HOMESERVER"):
        env.pop(key, None)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--user", user],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )


def test_whole_session_in_french(tmp_path: Path) -> None:
    done = run_chat(tmp_path, ONBOARDING + NEED + OFFER + EDIT + ["/mesdonnees", "/supprimer", "2"])
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Villeurbanne (69) — Métropole de Lyon ?" in out
    assert "le profil de « Les Restos du Cœur de Villeurbanne » est enregistré" in out
    assert "Votre besoin est enregistré" in out and "Votre offre est enregistrée" in out
    assert "L'annonce est modifiée." in out
    assert "Rien n'a été supprimé." in out
    assert out.rstrip().endswith("À bientôt !")
    assert f"Fichier enregistré : {tmp_path / 'exports' / 'traitdunion-1-alice.json'}" in out  # beside the database
    assert not (tmp_path / "exports" / "traitdunion-1-alice.json").exists()  # removed when the session ended
    assert "Traceback" not in done.stderr

    deleted = run_chat(tmp_path, ["/supprimer", "1"])
    assert "Toutes vos données sont supprimées" in deleted.stdout
    with sqlite3.connect(tmp_path / "bot.db") as conn:
        for table in ("actors", "listings", "identities", "sessions", "outbox"):
            assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,), table


def test_two_local_people_share_one_database(tmp_path: Path) -> None:
    run_chat(tmp_path, ONBOARDING, user="alice")
    run_chat(tmp_path, [*ONBOARDING[:2], "Boulangerie Dupont", *ONBOARDING[3:]], user="bob")
    with sqlite3.connect(tmp_path / "bot.db") as conn:
        names = sorted(row[0] for row in conn.execute("SELECT name FROM actors"))
    assert names == ["Boulangerie Dupont", "Les Restos du Cœur de Villeurbanne"]


def _read_until(process: subprocess.Popen[str], marker: str, timeout: float = 60) -> str:
    assert process.stdout is not None
    seen = ""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"{marker!r} not seen in:\n{seen}"
        ready, _, _ = select.select([process.stdout], [], [], remaining)
        if ready:
            chunk = os.read(process.stdout.fileno(), 65536).decode("utf-8", "replace")
            assert chunk, f"process ended before {marker!r}:\n{seen}"
            seen += chunk
    return seen


def test_killed_mid_conversation_resumes_at_the_same_step(tmp_path: Path) -> None:
    env = {**os.environ, "TRAITDUNION_DB": str(tmp_path / "bot.db")}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "chat", "--user", "alice"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert process.stdin is not None
    _read_until(process, "Ctrl-D")
    for line, marker in (("/start", "Quel type"), ("1", "Quel est le nom"), ("Repair Café", "Dans quelle commune")):
        process.stdin.write(line + "\n")
        process.stdin.flush()
        _read_until(process, marker)
    process.send_signal(signal.SIGKILL)  # no chance to clean up
    process.wait(timeout=30)

    resumed = run_chat(tmp_path, ["Tourcoing", "1"])
    assert "Tourcoing (59) — Métropole Européenne de Lille ?" in resumed.stdout
    assert "Sur quels thèmes" in resumed.stdout


def test_sigterm_stops_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "TRAITDUNION_DB": str(tmp_path / "bot.db")}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    _read_until(process, "Ctrl-D")
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
