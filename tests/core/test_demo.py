"""The newcomer's path of issue 6 in the console: demo data, a need, a round, both sides accept."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.app import App
from bot.config import Config
from services import demo
from tests.core.people import Person, RecordingAdapter


def traitdunion(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRAITDUNION_DB": str(tmp_path / "bot.db")}
    for key in ("TELEGRAM_BOT_TOKEN", "MATRIX_HOMESERVER"):
        env.pop(key, None)
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


NEWCOMER = "\n".join(
    [
        "/start",
        "1",
        "Les Amis de la Soie",
        "villeurbane",
        "1",
        "1 8",
        "amis.soie@exemple.org",
        "1",  # suggestions and calls
        "/besoin",
        "2",  # Compétences
        "2",  # Comptabilité
        "Quelqu'un pour nous aider à tenir la comptabilité de l'association.",
        "2",  # the intercommunalité
    ]
)


def test_newcomer_meets_a_demo_actor(tmp_path: Path) -> None:
    assert "19 acteurs de démonstration ajoutés" in traitdunion(tmp_path, "demo").stdout
    listed = traitdunion(tmp_path, "demo", "--list").stdout.splitlines()
    assert len(listed) == 19 and listed[0].startswith("demo-")
    traitdunion(tmp_path, "chat", "--user", "zoe", stdin=NEWCOMER + "\n")

    dry = traitdunion(tmp_path, "suggest", "--now", "--dry-run").stdout
    assert "suggestions qui seraient envoyées" in dry
    with sqlite3.connect(tmp_path / "bot.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM suggestions").fetchone() == (0,)

    round_ = traitdunion(tmp_path, "suggest", "--now").stdout
    assert "→ Les Amis de la Soie ← Cabinet Martin Expertise" in round_
    assert "vous cherchez « Quelqu'un pour nous aider à tenir la comptabilité" in round_

    seen = traitdunion(tmp_path, "chat", "--user", "zoe", stdin="").stdout
    first = seen.index("Partenaire possible : Cabinet Martin Expertise")
    assert "vous êtes tous deux dans la Métropole de Lyon" in seen[first:] and "@exemple.org" not in seen[first:].split("Me présenter")[
        0
    ].replace("amis.soie", "")
    answered = traitdunion(tmp_path, "chat", "--user", "zoe", stdin="1\n").stdout  # "Me présenter" on the first one shown
    assert "J'ai demandé à Cabinet Martin Expertise" in answered

    demo_side = traitdunion(tmp_path, "chat", "--user", "demo-cabinet-compta", stdin="1\n").stdout
    assert "Les Amis de la Soie — Association, Villeurbanne (69) aimerait être mis en relation" in demo_side
    # zoe typed only her e-mail at the contact question: her console account is not shared
    assert "Contact : e-mail amis.soie@exemple.org" in demo_side and "console zoe" not in demo_side

    back = traitdunion(tmp_path, "chat", "--user", "zoe", stdin="").stdout
    assert "Mise en relation acceptée des deux côtés" in back and "cabinet-compta@exemple.org" in back

    assert "19 acteurs de démonstration supprimés" in traitdunion(tmp_path, "demo", "--remove").stdout
    with sqlite3.connect(tmp_path / "bot.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM actors").fetchone() == (1,)
        assert conn.execute("SELECT COUNT(*) FROM identities WHERE user_id LIKE 'demo-%'").fetchone() == (0,)


async def test_demo_actors_never_reach_telegram_or_matrix_people(db_path: Path, territories) -> None:
    telegram = RecordingAdapter(platform="telegram")
    app = await App.open(Config(db=str(db_path)), adapters=[telegram], territories=territories)
    app.run_jobs = False
    await app.start()
    await app.db.transaction(lambda conn: demo.load(conn, territories, app.runtime.clock()))
    real = Person(app.runtime, telegram, "4242")
    await real.onboard("Épicerie Sociale Réelle", "Villeurbanne")
    report = await app.suggestion_round(force=True)
    assert report.suggestions  # demo actors meet each other…
    assert all("Épicerie Sociale Réelle" not in (s.actor, s.other) for s in report.suggestions)  # …never the real one
    await app.stop()
