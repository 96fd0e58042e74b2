"""The lock files beside the database are as private as the database (0600): created so whatever the umask,
and tightened when found with looser rights (a file left by an older version, copied, or made by hand)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.leadership import DatabaseHold
from bot.lock import LOCK_FILE, InstanceLock, PersonLock


def _instance(directory: Path, exclusive: bool) -> tuple[Path, Callable[[], None]]:
    held = InstanceLock(directory).acquire(exclusive=exclusive)
    return directory / LOCK_FILE, held.release


def _person(directory: Path, exclusive: bool) -> tuple[Path, Callable[[], None]]:
    held = PersonLock(directory, "alice").acquire()
    return held.path, held.release


def _database(directory: Path, exclusive: bool) -> tuple[Path, Callable[[], None]]:
    held = DatabaseHold(str(directory / "traitdunion.db")).acquire()
    return directory / "traitdunion.db.lock", held.release


TAKERS = [
    pytest.param(_instance, False, id="running-bot"),
    pytest.param(_database, True, id="sqlite-hold"),
    pytest.param(_instance, True, id="restore"),
    pytest.param(_person, True, id="console-person"),
]


def _mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777


@pytest.mark.parametrize(("take", "exclusive"), TAKERS)
@pytest.mark.parametrize("umask", [0o022, 0o000], ids=oct)
def test_a_new_lock_file_is_private(tmp_path: Path, take, exclusive: bool, umask: int) -> None:  # type: ignore[no-untyped-def]
    old = os.umask(umask)
    try:
        path, release = take(tmp_path, exclusive)
    finally:
        os.umask(old)
    try:
        assert _mode(path) == 0o600
    finally:
        release()


@pytest.mark.parametrize(("take", "exclusive"), TAKERS)
@pytest.mark.parametrize("loose", [0o644, 0o666, 0o640, 0o604], ids=oct)
def test_an_existing_lock_file_with_looser_rights_is_tightened(tmp_path: Path, take, exclusive: bool, loose: int) -> None:  # type: ignore[no-untyped-def]
    path, release = take(tmp_path, exclusive)
    release()
    if not path.exists():  # a console's file is removed at exit: one left behind (a crash, an older version)
        path.write_text("")
    os.chmod(path, loose)
    path, release = take(tmp_path, exclusive)
    try:
        assert _mode(path) == 0o600, oct(_mode(path))
    finally:
        release()
