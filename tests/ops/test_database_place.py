"""Where the database may be: a person who is not root is never sent to a place they cannot write.

Tester, 1 December: ``TRAITDUNION_DB=/etc traitdunion``, run by an ordinary user from a folder
they cannot write, proposed ``TRAITDUNION_DB=/var/lib/traitdunion/traitdunion.db``, which that
user cannot write either. The refusal now names a place the person can use (the current
directory, else their own data folder, ``$XDG_DATA_HOME/traitdunion`` or
``~/.local/share/traitdunion``), in their language, and changes nothing. A file in a folder they
cannot write, a folder they cannot create and a read-only file are refused the same way, before
the driver says « unable to open database file » in English.

The tests run ``traitdunion`` in the test's process as an ordinary user: ``os.geteuid`` says 1000
and ``os.access`` grants writing only below the test's own folders (the suite may run as root,
whom the real checks let write everywhere).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cli import main

USER_ID = 1000


@pytest.fixture
def ordinary_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """An ordinary user whose home is ``tmp_path/home``: they may write below it and below
    ``tmp_path/xdg``, except the file ``read_only`` (someone else's); ``locked`` is someone else's folder."""
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "xdg").mkdir()
    locked = tmp_path / "locked"  # a folder of someone else
    locked.mkdir()
    places = {"home": home, "xdg": tmp_path / "xdg", "locked": locked, "read_only": home / "shared.db"}
    places["read_only"].write_bytes(b"")  # a file of someone else, in the person's folder
    places["private"] = tmp_path / "private"  # another account's home (0700): nothing below it can be looked at
    (places["private"] / "data").mkdir(parents=True)
    real_access, real_stat = os.access, os.stat

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if places["private"] in Path(os.fspath(path)).absolute().parents:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", os.fspath(path))  # type: ignore[arg-type]
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    def access(path: object, mode: int, **kwargs: object) -> bool:
        target = Path(os.fspath(path)).absolute()  # type: ignore[arg-type]
        if not mode & os.W_OK or not real_access(target, os.F_OK):
            return real_access(target, mode)
        if target == places["read_only"]:
            return False
        return any(target == top or top in target.parents for top in (home, tmp_path / "xdg"))

    for name in list(os.environ):
        if name.startswith(("TRAITDUNION_", "TELEGRAM_", "MATRIX_")):
            monkeypatch.delenv(name)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(os, "geteuid", lambda: USER_ID)
    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.chdir("/")
    return places


def refused(db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, language: str = "fr") -> str:
    """What ``TRAITDUNION_DB=db traitdunion stats`` says; it must stop (2) before anything is done."""
    monkeypatch.setenv("TRAITDUNION_DB", db)
    monkeypatch.setenv("TRAITDUNION_LANGUAGE", language)
    assert main(["stats"]) == 2
    out = capsys.readouterr()
    assert out.out == "" and "Traceback" not in out.err, out
    assert "=/var/lib" not in out.err and "p /var/lib" not in out.err, out.err  # the deploy path is root's
    return out.err.strip()


def files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


@pytest.mark.parametrize("folder", ["/etc", "/usr/share", "/", "/var/lib"])
def test_a_system_folder_proposes_the_persons_data_folder_not_the_deploy_path(
    folder: str, ordinary_user: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = ordinary_user["home"]
    before = files(home)
    own = home / ".local" / "share" / "traitdunion"
    fr = refused(folder, capsys, monkeypatch)
    assert fr == (
        f"Erreur de base de données — {folder} : c'est un dossier du système, pas un fichier. Donnez le chemin d'un fichier de base de "
        f"données dans un dossier où vous pouvez écrire, par exemple votre dossier de données : mkdir -p {own} puis "
        f"TRAITDUNION_DB={own / 'traitdunion.db'} ; rien n'a été modifié."
    ), fr
    en = refused(folder, capsys, monkeypatch, "en")
    assert en == (
        f"Database error — {folder}: this is a system folder, not a file. Give the path of a database file in a folder you can write "
        f"in, for example your data folder: mkdir -p {own}, then TRAITDUNION_DB={own / 'traitdunion.db'}; nothing was changed."
    ), en
    assert files(home) == before  # the data folder is proposed, not made


def test_xdg_data_home_is_the_persons_data_folder(
    ordinary_user: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(ordinary_user["xdg"]))
    own = ordinary_user["xdg"] / "traitdunion"
    assert f"mkdir -p {own} puis TRAITDUNION_DB={own / 'traitdunion.db'} ;" in refused("/etc", capsys, monkeypatch)
    own.mkdir()  # made: proposed as it is
    assert refused("/etc", capsys, monkeypatch).endswith(f"par exemple TRAITDUNION_DB={own / 'traitdunion.db'} ; rien n'a été créé.")
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")  # ignored, as the XDG specification says
    assert f"TRAITDUNION_DB={ordinary_user['home'] / '.local/share/traitdunion/traitdunion.db'} ;" in refused("/etc", capsys, monkeypatch)


def test_a_writable_current_directory_is_still_proposed_first(
    ordinary_user: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ordinary_user["home"])
    assert "par exemple TRAITDUNION_DB=./traitdunion.db ; rien n'a été créé." in refused("/etc", capsys, monkeypatch)


@pytest.mark.parametrize("where", ["locked", "nonexistent", "read_only", "locked_folder"])
def test_a_place_the_person_cannot_write_is_refused_with_one_they_can(
    where: str, ordinary_user: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    locked, home = ordinary_user["locked"], ordinary_user["home"]
    db, french, english = {
        "locked": (locked / "bot.db", f"vous ne pouvez pas écrire dans le dossier {locked} ", f"you cannot write in the folder {locked} "),
        "nonexistent": (
            Path("/nonexistent/data/bot.db"),
            "le dossier /nonexistent/data n'existe pas et vous ne pouvez pas le créer : vous ne pouvez pas écrire dans /.",
            "the folder /nonexistent/data does not exist and you cannot create it: you cannot write in /.",
        ),
        "read_only": (ordinary_user["read_only"], "vous ne pouvez pas écrire dans ce fichier.", "you cannot write to this file."),
        "locked_folder": (
            locked,
            "c'est un dossier, pas un fichier, et vous ne pouvez pas y écrire.",
            "this is a folder, not a file, and you",
        ),
    }[where]
    before = files(locked) + files(home)
    fr = refused(str(db), capsys, monkeypatch)
    own = home / ".local" / "share" / "traitdunion"
    assert fr.startswith(f"Erreur de base de données — {db} : {french}"), fr
    assert fr.endswith(f"mkdir -p {own} puis TRAITDUNION_DB={own / 'traitdunion.db'} ; rien n'a été modifié."), fr
    en = refused(str(db), capsys, monkeypatch, "en")
    assert en.startswith(f"Database error — {db}: {english}") and en.endswith("; nothing was changed."), en
    assert files(locked) + files(home) == before  # no database, no lock file, no folder
    assert ordinary_user["read_only"].read_bytes() == b""


def test_the_proposal_is_never_the_refused_file(
    ordinary_user: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only ``./traitdunion.db`` in a writable current directory: not proposed again."""
    home = ordinary_user["home"]
    ordinary_user["read_only"].rename(home / "traitdunion.db")
    ordinary_user["read_only"] = home / "traitdunion.db"
    monkeypatch.chdir(home)
    fr = refused("traitdunion.db", capsys, monkeypatch)
    assert "ce fichier" in fr and "TRAITDUNION_DB=./traitdunion.db" not in fr, fr


def test_no_place_at_all_is_said_without_an_example(
    ordinary_user: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user without a home folder (``nobody``: /nonexistent) is told what to give, with no example."""
    monkeypatch.setenv("HOME", "/nonexistent")
    fr = refused("/etc", capsys, monkeypatch)
    assert fr == (
        "Erreur de base de données — /etc : c'est un dossier du système, pas un fichier. Donnez le chemin d'un fichier de base de "
        "données dans un dossier où vous pouvez écrire ; rien n'a été modifié."
    ), fr


def test_a_writable_place_is_accepted_as_before(
    ordinary_user: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import _database_path_refused

    home = ordinary_user["home"]
    assert _database_path_refused(str(home / "bot.db"), "fr") is None
    (home / "bot.db").write_bytes(b"")
    assert _database_path_refused(str(home / "bot.db"), "fr") is None
    assert _database_path_refused("postgresql://postgres@127.0.0.1/x", "fr") is None
    assert _database_path_refused(str(home), "fr") == (
        f"c'est un dossier, pas un fichier. Donnez le chemin d'un fichier de base de données dans ce dossier, par exemple "
        f"TRAITDUNION_DB={home / 'traitdunion.db'} ; rien n'a été créé."
    )


@pytest.mark.parametrize("below", ["data/traitdunion.db", "data", "missing/bot.db"])
def test_a_path_through_a_folder_closed_to_the_person_is_refused_without_a_traceback(
    below: str, ordinary_user: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """TRAITDUNION_DB=/home/ana/bot/traitdunion.db run by another account: Python's ``is_dir``
    raised PermissionError (a traceback); the refusal says the path cannot be reached."""
    db = ordinary_user["private"] / below
    fr = refused(str(db), capsys, monkeypatch)
    own = ordinary_user["home"] / ".local" / "share" / "traitdunion"
    assert fr == (
        f"Erreur de base de données — {db} : vous ne pouvez pas atteindre ce chemin : un de ses dossiers vous est fermé. Donnez le "
        f"chemin d'un fichier de base de données dans un dossier où vous pouvez écrire, par exemple votre dossier de données : "
        f"mkdir -p {own} puis TRAITDUNION_DB={own / 'traitdunion.db'} ; rien n'a été modifié."
    ), fr
    assert refused(str(db), capsys, monkeypatch, "en").startswith(f"Database error — {db}: you cannot reach this path: one of its folders")
