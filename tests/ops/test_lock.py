"""The data directory's lock and the console's per-person lock, in one process: who may hold them
together, what a refused attempt says (the holder's pid), and that a refused or failed attempt
leaves no descriptor open (the other tests run them across processes)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from bot import lock as lock_module
from bot.lock import LOCK_FILE, DataLocked, InstanceLock, PersonConnected, PersonLock


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_running_bots_share_the_data_lock_and_a_restore_needs_it_alone(tmp_path: Path) -> None:
    before = open_descriptors()
    first = InstanceLock(tmp_path).acquire()
    second = InstanceLock(tmp_path).acquire()  # two bots (PostgreSQL workers, a console beside a bot)
    assert (tmp_path / LOCK_FILE).read_text() == str(os.getpid())  # the last bot started wrote its pid
    assert (tmp_path / LOCK_FILE).stat().st_mode & 0o777 == 0o600
    with pytest.raises(DataLocked) as refused:
        InstanceLock(tmp_path).acquire(exclusive=True)
    assert refused.value.pid == os.getpid() and refused.value.directory == tmp_path
    first.release()
    second.release()
    second.release()  # twice: nothing more
    (tmp_path / LOCK_FILE).write_text("4242")
    restore = InstanceLock(tmp_path).acquire(exclusive=True)
    assert (tmp_path / LOCK_FILE).read_text() == "4242"  # a restore writes no pid
    with pytest.raises(DataLocked) as refused:
        InstanceLock(tmp_path).acquire()
    assert refused.value.pid == 4242
    restore.release()
    (tmp_path / LOCK_FILE).write_text("")
    with InstanceLock(tmp_path).acquire(exclusive=True), pytest.raises(DataLocked) as refused:
        InstanceLock(tmp_path).acquire()
    assert refused.value.pid is None  # no pid written: said without one
    assert open_descriptors() == before


def test_one_console_per_person_and_the_refusal_names_the_holder(tmp_path: Path) -> None:
    before = open_descriptors()
    alice = PersonLock(tmp_path, "alice").acquire()
    assert alice.path.read_text() == str(os.getpid()) and alice.path.stat().st_mode & 0o777 == 0o600
    for _ in range(3):
        with pytest.raises(PersonConnected) as refused:
            PersonLock(tmp_path, "alice").acquire()
        assert refused.value.pid == os.getpid() and refused.value.user == "alice"
    bob = PersonLock(tmp_path, "bob").acquire()
    bob.release()
    alice.release()
    assert list(tmp_path.iterdir()) == []
    assert open_descriptors() == before


@pytest.mark.parametrize("take", [lambda path: InstanceLock(path).acquire(), lambda path: PersonLock(path, "alice").acquire()])
def test_a_failing_lock_call_closes_the_file_and_raises_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, take) -> None:  # type: ignore[no-untyped-def]
    def broken(fd: int, operation: int) -> None:
        raise OSError(37, "No locks available")

    before = open_descriptors()
    monkeypatch.setattr(lock_module.fcntl, "flock", broken)
    with pytest.raises(OSError, match="No locks available"):
        take(tmp_path)
    monkeypatch.setattr(lock_module.fcntl, "flock", fcntl.flock)
    assert open_descriptors() == before
