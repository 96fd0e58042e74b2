"""What ``traitdunion`` prints to the person at the terminal when it cannot start or runs an
operations command is in the configured language (French by default, TRAITDUNION_LANGUAGE=en),
in one line per problem, with a non-zero exit code and no traceback; an invalid language setting
is told in French and in English."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.ops.conftest import traitdunion
from tests.ops.test_backup import make_db


def told(done: subprocess.CompletedProcess[str], code: int) -> str:
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    return done.stderr.strip()


WRONG_SETTINGS = [
    ({"TRAITDUNION_HTTP_PORT": "99999"}, "TRAITDUNION_HTTP_PORT", "port hors limites", "port out of range"),
    ({"TRAITDUNION_HTTP_PORT": "web"}, "TRAITDUNION_HTTP_PORT", "numéro de port", "expected a port number"),
    ({"TRAITDUNION_TIMEZONE": "Mars/Olympus"}, "TRAITDUNION_TIMEZONE", "fuseau horaire inconnu", "unknown time zone"),
    ({"TRAITDUNION_ADMINS": "telegram"}, "TRAITDUNION_ADMINS", "identifiant d'administrateur", "bad admin id"),
    ({"TRAITDUNION_SUGGESTION_DAY": "someday"}, "TRAITDUNION_SUGGESTION_DAY", "jour de la semaine", "expected a weekday"),
    ({"TRAITDUNION_FAIRNESS_CAP": "0"}, "TRAITDUNION_FAIRNESS_CAP", "nombre entier de 1 à", "whole number from 1 to"),
    ({"TRAITDUNION_CALLS_PER_WEEK": "many"}, "TRAITDUNION_CALLS_PER_WEEK", "nombre entier", "expected a whole number"),
    ({"TRAITDUNION_LOG_FORMAT": "xml"}, "TRAITDUNION_LOG_FORMAT", "valeurs possibles", "expected one of"),
    ({"TELEGRAM_RATE_PER_SECOND": "nan"}, "TELEGRAM_RATE_PER_SECOND", "nombre supérieur à 0", "greater than 0"),
    ({"MATRIX_HOMESERVER": "http://localhost:8008"}, "MATRIX_USER_ID", "obligatoire quand", "required when"),
    ({"TELEGRAM_WEBHOOK_URL": "https://bot.example.org/hook"}, "TELEGRAM_WEBHOOK_SECRET", "obligatoire quand", "required when"),
]


@pytest.mark.parametrize(("env", "key", "french", "english"), WRONG_SETTINGS)
def test_a_wrong_setting_is_told_in_the_configured_language(
    tmp_path: Path, env: dict[str, str], key: str, french: str, english: str
) -> None:
    env = {"TRAITDUNION_DB": str(tmp_path / "bot.db"), **env}
    fr = told(traitdunion("run", env=env), 2)
    assert fr.startswith(f"Erreur de configuration — {key} : ") and french in fr and english not in fr, fr
    assert len(fr.splitlines()) == 1
    en = told(traitdunion("run", env={**env, "TRAITDUNION_LANGUAGE": "en"}), 2)
    assert en.startswith(f"Configuration error — {key}: ") and english in en and french not in en, en
    assert not (tmp_path / "bot.db").exists()


def test_the_language_of_a_configuration_file_is_used_for_its_other_errors(tmp_path: Path) -> None:
    path = tmp_path / "bot.toml"
    path.write_text('[traitdunion]\nlanguage = "en"\ncolour = "blue"\n')
    en = told(traitdunion("--config", str(path), "run", env={"TRAITDUNION_DB": str(tmp_path / "bot.db")}), 2)
    assert en == "Configuration error — traitdunion.colour: unknown key", en
    path.write_text('[traitdunion]\ncolour = "blue"\n')
    fr = told(traitdunion("--config", str(path), "run", env={"TRAITDUNION_DB": str(tmp_path / "bot.db")}), 2)
    assert fr == "Erreur de configuration — traitdunion.colour : clé inconnue", fr
    missing = told(traitdunion("--config", str(tmp_path / "none.toml"), "run"), 2)
    assert missing.startswith("Erreur de configuration — --config : fichier introuvable"), missing


@pytest.mark.parametrize("where", ["env", "toml"])
def test_an_invalid_language_is_told_in_french_and_english(tmp_path: Path, where: str) -> None:
    path = tmp_path / "bot.toml"
    path.write_text('[traitdunion]\nlanguage = "de"\n' if where == "toml" else "")
    env = {"TRAITDUNION_DB": str(tmp_path / "bot.db")} | ({"TRAITDUNION_LANGUAGE": "de"} if where == "env" else {})
    lines = told(traitdunion("--config", str(path), "run", env=env), 2).splitlines()
    key = "TRAITDUNION_LANGUAGE" if where == "env" else "traitdunion.language"
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"Erreur de configuration — {key} : langue non prise en charge"), lines
    assert lines[1].startswith(f"Configuration error — {key}: unsupported language"), lines


def test_a_second_instance_on_the_same_database_is_told_in_the_configured_language(tmp_path: Path) -> None:
    from bot.leadership import hold_database

    db = tmp_path / "bot.db"
    hold = hold_database(str(db))
    try:
        fr = told(traitdunion("run", env={"TRAITDUNION_DB": str(db)}), 2)
        en = told(traitdunion("run", env={"TRAITDUNION_DB": str(db), "TRAITDUNION_LANGUAGE": "en"}), 2)
    finally:
        hold.release()
    assert fr.startswith("Trait d'union n'a pas pu démarrer — ") and "un autre processus Trait d'union" in fr, fr
    assert en.startswith("Trait d'union could not start — ") and "another Trait d'union process already serves" in en, en


def test_data_held_by_a_restore_is_told_in_the_configured_language(tmp_path: Path) -> None:
    from bot.lock import InstanceLock

    db = tmp_path / "bot.db"
    (tmp_path / "traitdunion.lock").write_text("4242")  # the pid the last bot started wrote
    lock = InstanceLock(tmp_path).acquire(exclusive=True)  # as a restore holds it
    try:
        fr = told(traitdunion("chat", env={"TRAITDUNION_DB": str(db)}), 1)
        en = told(traitdunion("chat", env={"TRAITDUNION_DB": str(db), "TRAITDUNION_LANGUAGE": "en"}), 1)
    finally:
        lock.release()
    pid = 4242
    assert (
        fr
        == f"Trait d'union ne peut pas démarrer : {tmp_path} est utilisé par un autre processus Trait d'union (pid {pid}) (une restauration en cours ?)"
    )
    assert en == f"Trait d'union cannot start: {tmp_path} is in use by another Trait d'union process (pid {pid}) (a restore in progress?)"


def test_an_unreachable_database_is_told_in_the_configured_language(tmp_path: Path) -> None:
    url = "postgresql://postgres@127.0.0.1:1/nowhere"
    fr = told(traitdunion("run", env={"TRAITDUNION_DB": url}), 2)
    assert fr.startswith("Erreur de base de données — postgresql://127.0.0.1:1/nowhere : "), fr
    en = told(traitdunion("run", env={"TRAITDUNION_DB": url, "TRAITDUNION_LANGUAGE": "en"}), 2)
    assert en.startswith("Database error — postgresql://127.0.0.1:1/nowhere: "), en
    file = tmp_path / "not-a-directory"
    file.write_text("x")
    fr = told(traitdunion("run", env={"TRAITDUNION_DB": str(file / "bot.db")}), 2)
    assert fr.startswith(f"Erreur de base de données — {file / 'bot.db'} : "), fr


def test_a_database_newer_than_the_code_is_told_in_the_configured_language(tmp_path: Path) -> None:
    from storage.migrations import latest_version

    db = make_db(tmp_path / "data" / "bot.db")
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    for command in (("run",), ("migrate",)):
        fr = told(traitdunion(*command, env={"TRAITDUNION_DB": str(db)}), 2)
        assert fr == (
            f"Erreur de base de données — {db} : la version de schéma {latest_version() + 1} est plus récente que celle que connaît"
            f" ce Trait d'union ({latest_version()}) : mettez Trait d'union à jour, ou restaurez une sauvegarde prise avant la mise à jour"
        ), fr
        en = told(traitdunion(*command, env={"TRAITDUNION_DB": str(db), "TRAITDUNION_LANGUAGE": "en"}), 2)
        assert en.startswith(f"Database error — {db}: schema version {latest_version() + 1} is newer than"), en


def test_operations_commands_speak_the_configured_language(tmp_path: Path) -> None:
    from storage.migrations import latest_version

    missing = tmp_path / "data" / "bot.db"
    fr = told(traitdunion("purge", env={"TRAITDUNION_DB": str(missing)}), 2)
    assert fr == f"Purge non faite — aucune base de données à {missing}", fr
    en = told(traitdunion("purge", env={"TRAITDUNION_DB": str(missing), "TRAITDUNION_LANGUAGE": "en"}), 2)
    assert en == f"Purge not done — no database at {missing}", en
    pg = told(traitdunion("purge", env={"TRAITDUNION_DB": "postgresql://postgres@127.0.0.1:1/x"}), 2)
    assert pg.startswith("Purge non faite — ") and "PostgreSQL" in pg and "purged" not in pg, pg
    pg = told(traitdunion("migrate", env={"TRAITDUNION_DB": "postgresql://postgres@127.0.0.1:1/x"}), 2)
    assert pg.startswith("migrate : ") and "PostgreSQL" in pg, pg
    fresh = traitdunion("migrate", "--check", env={"TRAITDUNION_DB": str(missing)})
    assert fresh.returncode == 0 and fresh.stdout.strip() == (
        f"Pas encore de base de données à {missing} : elle est créée au dernier schéma ({latest_version()}) au premier démarrage."
    ), fresh.stdout
    db = make_db(tmp_path / "data" / "bot.db")
    fr_up = traitdunion("migrate", env={"TRAITDUNION_DB": str(db)})
    assert fr_up.stdout.strip() == f"Le schéma est à jour (version {latest_version()}).", fr_up.stdout
    en_up = traitdunion("migrate", env={"TRAITDUNION_DB": str(db), "TRAITDUNION_LANGUAGE": "en"})
    assert en_up.stdout.strip() == f"Schema up to date (version {latest_version()}).", en_up.stdout
    dry = traitdunion("purge", "--dry-run", env={"TRAITDUNION_DB": str(db)})
    assert dry.returncode == 0 and "messages envoyés : 0 élément serait supprimé" in dry.stdout.splitlines(), dry.stdout
    assert "would be deleted" not in dry.stdout


def test_backup_and_restore_speak_the_configured_language(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    env = {"TRAITDUNION_DB": str(db)}
    done = traitdunion("backup", str(tmp_path / "backups"), env=env)
    assert done.returncode == 0 and done.stdout.startswith("Sauvegarde écrite : ") and " octets)" in done.stdout, done.stdout
    en = traitdunion("backup", str(tmp_path / "backups-en"), env={**env, "TRAITDUNION_LANGUAGE": "en"})
    assert en.returncode == 0 and en.stdout.startswith("Backup written: ") and " bytes)" in en.stdout, en.stdout
    gone = tmp_path / "none.tar.gz"
    fr = told(traitdunion("restore", str(gone), env=env), 1)
    assert fr == f"Restauration refusée — {gone} : fichier introuvable", fr
    en_refused = told(traitdunion("restore", str(gone), env={**env, "TRAITDUNION_LANGUAGE": "en"}), 1)
    assert en_refused == f"Restore refused — {gone}: no such file", en_refused
    nothing = tmp_path / "empty" / "bot.db"
    fr = told(traitdunion("backup", str(tmp_path / "b2"), env={"TRAITDUNION_DB": str(nothing)}), 1)
    assert fr.startswith("Sauvegarde impossible — ") and "aucune base de données" in fr, fr


def test_the_doctor_speaks_the_configured_language(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    env = {"TRAITDUNION_DB": str(db), "TRAITDUNION_ADMINS": "telegram:@ana"}
    fr = traitdunion("doctor", "--offline", env=env)
    assert fr.returncode == 1 and "Traceback" not in fr.stderr, fr.stderr
    assert fr.stdout.strip().endswith("1 problème trouvé."), fr.stdout
    en = traitdunion("doctor", "--offline", env={**env, "TRAITDUNION_LANGUAGE": "en"})
    assert en.stdout.strip().endswith("1 problem found."), en.stdout
    bad = traitdunion("doctor", env={"TRAITDUNION_DB": str(db), "TRAITDUNION_HTTP_PORT": "99999"})
    assert (
        bad.returncode == 2
        and bad.stdout.strip() == "FAIL configuration : TRAITDUNION_HTTP_PORT : port hors limites : 99999 (de 1 à 65535)"
    )


def test_the_help_speaks_the_configured_language() -> None:
    fr = traitdunion("--help")
    assert fr.returncode == 0 and "Trait d'union : relier les acteurs d'un territoire." in fr.stdout, fr.stdout
    assert "sauvegarde" in traitdunion("backup", "--help").stdout
    assert "utilisation : traitdunion" in fr.stdout and "afficher cette aide et quitter" in fr.stdout, fr.stdout
    wrong = traitdunion("frobnicate")
    assert wrong.returncode == 2 and "traitdunion : erreur : " in wrong.stderr and "Traceback" not in wrong.stderr, wrong.stderr
    en = traitdunion("--help", env={"TRAITDUNION_LANGUAGE": "en"})
    assert "Trait d'union: connect the actors of a territory." in en.stdout and "show this help message" in en.stdout, en.stdout
    bilingual = traitdunion("--help", env={"TRAITDUNION_LANGUAGE": "de"})
    assert bilingual.returncode == 0 and "relier les acteurs" in bilingual.stdout


@pytest.mark.parametrize("setting", __import__("bot.config", fromlist=["SETTINGS"]).SETTINGS, ids=lambda s: s.env)
def test_every_wrong_setting_has_its_message_in_both_languages(tmp_path: Path, setting: object) -> None:
    """Whatever setting is wrong (here an inline table where a value is expected), the error names it
    and carries a catalog message, told differently in French and in English."""
    from bot.config import load_config
    from bot.terminal import setting_message
    from conversations.i18n import has_key
    from core.errors import ConfigError

    path = tmp_path / "bot.toml"
    path.write_text(f"[{setting.section}]\n{setting.name} = {{}}\n")  # type: ignore[attr-defined]
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    error = caught.value
    assert error.key == setting.toml_key and error.text is not None  # type: ignore[attr-defined]
    assert has_key("fr", error.text) and has_key("en", error.text)
    assert setting_message(error, "fr") != setting_message(error, "en") == error.message


def test_every_message_the_command_line_names_exists_in_both_languages() -> None:
    """Keys given to the command line's helpers (errors, say, help texts, the doctor's lines and
    subjects, the purge's kinds of data) are in both catalogs: none is printed as a bare key."""
    import re

    from bot.lifecycle import _rules
    from conversations.i18n import catalog, plurals

    root = Path(__file__).resolve().parents[2]
    direct = re.compile(
        r"""(?:wrong\([^,()]+,\s*|say\([^,()"]+,\s*|say_counted\([^,()"]+,\s*|Told\(|BackupError\(|PurgeRefused\(|"""
        r"""super\(\).__init__\()"([a-z_]+\.[a-z_.]+)\""""
    )
    prefixed = {
        "doctor.": re.compile(r"""\bsay\("([a-z_]+)\""""),
        "cli.help.": re.compile(r"""\bhelp_\("([a-z_]+)"\)"""),
        "doctor.subject.": re.compile(r"""\b(?:ok|warn|fail)\("([a-z ]+)\""""),
    }
    used = set()
    for path in [*(root / "bot").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        used |= set(direct.findall(text))
        for prefix, pattern in prefixed.items():
            used |= {prefix + key.replace(" ", "_") for key in pattern.findall(text)}
    used |= {f"ops.kind.{kind.replace(' ', '_')}" for kind in [*_rules(), "exports"]}
    used |= {f"doctor.subject.{name}" for name in ("configuration", "directory", "disk", "database", "admins", "schedule")}
    assert len(used) > 150
    for language in ("fr", "en"):
        known = set(catalog(language)) | set(plurals(language)[1])
        assert not sorted(used - known), language


@pytest.mark.parametrize("command", [("chat",), ("run",), ("suggest", "--now"), ("stats",)])
def test_a_database_path_in_a_missing_folder_or_a_folder_is_refused_in_the_configured_language(tmp_path: Path, command) -> None:
    """Trial 11: TRAITDUNION_DB=/nonexistent/dir/x.db created the folders silently (a typo scatters
    the data), TRAITDUNION_DB=/etc said « Is a directory » in English to a French bot. Both are
    refused before anything is created, saying which folder and how to fix it, in its language."""
    missing = tmp_path / "typo" / "data" / "bot.db"
    fr = told(traitdunion(*command, env={"TRAITDUNION_DB": str(missing)}), 2)
    assert fr == (
        f"Erreur de base de données — {missing} : le dossier {missing.parent} n'existe pas. Créez-le (mkdir -p {missing.parent}) "
        "ou donnez un fichier dans un dossier existant ; rien n'a été créé."
    ), fr
    en = told(traitdunion(*command, env={"TRAITDUNION_DB": str(missing), "TRAITDUNION_LANGUAGE": "en"}), 2)
    assert f"the folder {missing.parent} does not exist" in en, en
    assert not (tmp_path / "typo").exists()  # nothing created
    fr = told(traitdunion(*command, env={"TRAITDUNION_DB": str(tmp_path)}), 2)
    assert fr.startswith(f"Erreur de base de données — {tmp_path} : c'est un dossier, pas un fichier.") and "Is a directory" not in fr, fr
    assert f"TRAITDUNION_DB={tmp_path / 'traitdunion.db'}" in fr
    assert list(tmp_path.iterdir()) == []  # no lock file, no database beside


@pytest.mark.parametrize("folder", ["/etc", "/usr/share", "/", "/var/lib"])
def test_a_system_folder_given_as_the_database_proposes_a_file_elsewhere(tmp_path: Path, folder: str) -> None:
    """Tester, 1 December: TRAITDUNION_DB=/etc proposed TRAITDUNION_DB=/etc/traitdunion.db, a
    system folder. A file of the current directory is proposed instead (or the deploy path when the
    current directory is a system one too), in both languages; nothing is created."""
    fr = told(traitdunion("stats", env={"TRAITDUNION_DB": folder}, cwd=tmp_path), 2)
    assert "c'est un dossier du système, pas un fichier" in fr and "TRAITDUNION_DB=./traitdunion.db ;" in fr, fr
    assert f"={folder.rstrip('/')}/traitdunion.db" not in fr and "dans ce dossier" not in fr, fr
    en = told(traitdunion("stats", env={"TRAITDUNION_DB": folder, "TRAITDUNION_LANGUAGE": "en"}, cwd=tmp_path), 2)
    assert "this is a system folder, not a file" in en and "TRAITDUNION_DB=./traitdunion.db;" in en, en
    assert list(tmp_path.iterdir()) == []
    from_root = told(traitdunion("stats", env={"TRAITDUNION_DB": folder}, cwd=Path("/")), 2)
    assert "TRAITDUNION_DB=/var/lib/traitdunion/traitdunion.db ;" in from_root, from_root
