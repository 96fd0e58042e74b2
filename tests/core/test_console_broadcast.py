"""A coordinator's call in the console, as people use it: `traitdunion coordinator add` and
`traitdunion chat --user NAME` subprocesses with piped input, sharing one database."""

from __future__ import annotations

import csv
import io
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

CALL = "Nous cherchons des bénévoles pour la fête de quartier du 14 juin."
ALL_THEMES = " ".join(str(n) for n in range(1, 13))
ANSWERS = "SELECT a.name, w.answer FROM broadcast_answers w JOIN actors a ON a.id = w.actor_id ORDER BY w.id"


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "TRAITDUNION_DB": str(tmp_path / "bot.db")}
    for key in ("TELEGRAM_BOT_TOKEN", "MATRIX_HOMESERVER", "TRAITDUNION_ADMINS"):
        env.pop(key, None)
    return env


def cli(tmp_path: Path, *args: str, lines: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input="\n".join(lines or []) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(tmp_path),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done


def chats(tmp_path: Path, sessions: dict[str, list[str]]) -> dict[str, str]:
    """Several people chatting at the same time (separate processes, one database)."""
    processes = {
        user: subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "chat", "--user", user],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(tmp_path),
            cwd=tmp_path,
        )
        for user in sessions
    }
    outputs = {}
    for user, process in processes.items():
        out, err = process.communicate("\n".join(sessions[user]) + "\n", timeout=60)
        assert process.returncode == 0 and "Traceback" not in err, err
        outputs[user] = out
    return outputs


def chat(tmp_path: Path, user: str, lines: list[str]) -> str:
    return cli(tmp_path, "chat", "--user", user, lines=lines).stdout


def onboarding(name: str, kind: str, place: str, calls: bool = True) -> list[str]:
    # type, name, commune, "Oui" (the commune), themes, contact, consents (both, or suggestions only)
    return ["/start", kind, name, place, "1", "1 8", "1", "1" if calls else "2"]


def rows(tmp_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(tmp_path / "bot.db") as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A coordinator appointed by the CLI; four actors, three in Villeurbanne (one refusing calls), one in Lille."""
    tmp_path = tmp_path_factory.mktemp("territory")
    appointed = cli(tmp_path, "coordinator", "add", "console:coord", "Villeurbanne").stdout
    assert "console:coord coordonne Villeurbanne (69) (commune:69266)" in appointed
    onboarded = chats(
        tmp_path,
        {
            "alice": onboarding("Les Jardins de la Doua", "1", "Villeurbanne"),
            "bob": onboarding("Boulangerie Gratte-Ciel", "2", "Villeurbanne"),
            "chloe": onboarding("Chorale du Tonkin", "1", "Villeurbanne", calls=False),
            "david": onboarding("Restos de Lille", "1", "Lille"),
        },
    )
    assert all("est enregistré" in out for out in onboarded.values()), onboarded
    return tmp_path


@pytest.fixture
def territory(template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the onboarded territory for each test (the processes are closed: no WAL left)."""
    for path in template.glob("bot.db*"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_call_answered_in_the_console_and_listed_with_a_csv_file(territory: Path) -> None:
    tmp_path = territory
    out = chat(tmp_path, "coord", ["/diffuser", "1 2 3 4", ALL_THEMES, CALL, "2", "1"])
    assert "C'est noté : Villeurbanne (69)." in out and "À quel territoire" not in out  # the only territory: taken, and said
    assert f"Aperçu — Villeurbanne (69) :\n« {CALL} »" in out
    assert "Destinataires : 2 acteurs" in out
    assert "Appel n°1 : envoi en cours à 2 acteurs" in out
    assert rows(tmp_path, "SELECT area_kind, area_code, answer_mode, actor_kinds, themes FROM broadcasts") == [
        ("commune", "69266", "interested", "[]", "[]")
    ]

    alice = chat(tmp_path, "alice", ["1"])  # the call is shown when she opens the chat
    assert f"📣 Appel de Villeurbanne (69) :\n{CALL}" in alice
    assert "1. Intéressé·e" in alice
    assert "Merci, votre réponse est transmise au coordinateur." in alice
    bob = chat(tmp_path, "bob", ["Intéressé·e"])  # the option's text works too
    assert "📣 Appel de Villeurbanne (69)" in bob and "Merci, votre réponse est transmise" in bob
    others = chats(tmp_path, {"chloe": ["/menu"], "david": ["/menu"]})
    assert all("Que voulez-vous faire ?" in out and "📣" not in out for out in others.values())  # no consent / Lille
    assert rows(tmp_path, ANSWERS) == [("Les Jardins de la Doua", "interested"), ("Boulangerie Gratte-Ciel", "interested")]
    assert rows(tmp_path, "SELECT a.name, r.status FROM broadcast_recipients r JOIN actors a ON a.id = r.actor_id ORDER BY a.name") == [
        ("Boulangerie Gratte-Ciel", "sent"),
        ("Les Jardins de la Doua", "sent"),
    ]

    out = chat(tmp_path, "coord", ["/reponses"])
    assert "Appel n°1 envoyé : 2 reçus, 0 échec, 0 injoignable sur 2." in out  # the delivery report, waiting
    assert "Les réponses de quel appel ?" not in out  # her only call: its answers at once (stop 36)
    assert "Appel n°1 : 2 réponses." in out
    assert "• Les Jardins de la Doua (Association, Villeurbanne (69)) : Intéressé·e" in out
    assert "• Boulangerie Gratte-Ciel (Entreprise, Villeurbanne (69)) : Intéressé·e" in out
    saved = tmp_path / "exports" / "reponses-appel-1-coord.csv"  # beside the database, removed when the chat ended
    assert str(saved) in out and not saved.exists() and not (tmp_path / "reponses-appel-1.csv").exists()
    exported = cli(tmp_path, "export", "answers", "1", lines=[]).stdout  # the same CSV, from the command line
    table = list(csv.reader(io.StringIO(exported.removeprefix("\ufeff")), delimiter=";"))
    assert table[0] == ["Acteur", "Type", "Commune", "Réponse", "Date (heure locale)"]
    assert [row[:4] for row in table[1:]] == [
        ["Les Jardins de la Doua", "Association", "Villeurbanne (69)", "Intéressé·e"],
        ["Boulangerie Gratte-Ciel", "Entreprise", "Villeurbanne (69)", "Intéressé·e"],
    ]


def test_written_answer_and_refusals(territory: Path) -> None:
    tmp_path = territory
    refused = chat(tmp_path, "alice", ["/diffuser", "/reponses"])
    assert refused.count("Cette commande est réservée aux coordinateurs.") == 2
    assert rows(tmp_path, "SELECT COUNT(*) FROM broadcasts") == [(0,)]
    assert rows(tmp_path, "SELECT COUNT(*) FROM outbox") == [(0,)]

    out = chat(tmp_path, "coord", ["/diffuser", "1 2 3 4", ALL_THEMES, "Qui peut prêter des tables au marché ?", "3", "1"])
    assert "Destinataires : 2 acteurs" in out
    bob = chat(tmp_path, "bob", ["Dix tables pliantes, à venir chercher vendredi."])
    assert "Répondez simplement en écrivant votre message." in bob
    assert "Merci, votre réponse est transmise au coordinateur." in bob
    assert rows(tmp_path, ANSWERS) == [("Boulangerie Gratte-Ciel", "Dix tables pliantes, à venir chercher vendredi.")]
