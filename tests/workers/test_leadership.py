"""Roles held by exactly one worker: PostgreSQL advisory locks, and one process per SQLite file."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from bot import cli, leadership
from bot.leadership import AdvisoryRole, AlreadyRunning, DatabaseHold, SoleRole
from tests.workers.pgserver import pg_url  # noqa: F401 - fixture


class Log:
    def __init__(self) -> None:
        self.events: list[str] = []

    def callbacks(self, name: str) -> tuple[leadership.Callback, leadership.Callback]:
        async def gain() -> None:
            self.events.append(f"{name}+")

        async def lose() -> None:
            self.events.append(f"{name}-")

        return gain, lose


async def wait_for(predicate: object, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def test_one_holder_at_a_time_and_the_role_moves_when_it_stops(pg_url: str) -> None:
    log = Log()
    roles = [AdvisoryRole(pg_url, "scheduler", retry_seconds=0.2, worker=name) for name in ("A", "B", "C")]
    for role, name in zip(roles, "ABC", strict=True):
        await role.start(*log.callbacks(name))
    try:
        assert [role.held for role in roles] == [True, False, False]
        await asyncio.sleep(0.6)  # the others keep trying, and fail
        assert [role.held for role in roles] == [True, False, False]
        await roles[0].stop()  # a clean stop releases the lock
        await wait_for(lambda: roles[1].held or roles[2].held)
        await asyncio.sleep(0.5)
        assert sum(role.held for role in roles) == 1
        assert log.events[:2] == ["A+", "A-"] and len(log.events) == 3
    finally:
        for role in roles:
            await role.stop()


async def test_the_role_moves_when_the_server_closes_the_holders_connection(pg_url: str) -> None:
    """What the server does when the holder's process dies (its connection closes): the lock is free."""
    import psycopg

    log = Log()
    first = AdvisoryRole(pg_url, "matrix", retry_seconds=0.2, worker="A")
    second = AdvisoryRole(pg_url, "matrix", retry_seconds=0.2, worker="B")
    await first.start(*log.callbacks("A"))
    await second.start(*log.callbacks("B"))
    try:
        assert first.held and not second.held
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE %s",
                ("traitdunion matrix A%",),
            )
        await wait_for(lambda: second.held and not first.held)
        assert log.events == ["A+", "A-", "B+"]  # A learnt it lost the role (its check failed)
        await asyncio.sleep(0.6)
        assert not first.held  # A tries again, and B has it
    finally:
        await first.stop()
        await second.stop()


async def test_different_roles_are_independent(pg_url: str) -> None:
    scheduler = AdvisoryRole(pg_url, "scheduler", retry_seconds=0.2, worker="A")
    matrix = AdvisoryRole(pg_url, "matrix", retry_seconds=0.2, worker="B")
    log = Log()
    await scheduler.start(*log.callbacks("S"))
    await matrix.start(*log.callbacks("M"))
    try:
        assert scheduler.held and matrix.held
    finally:
        await scheduler.stop()
        await matrix.stop()


async def test_sqlite_has_one_worker_holding_every_role(tmp_path: Path) -> None:
    role = leadership.role(str(tmp_path / "bot.db"), leadership.SCHEDULER)
    assert isinstance(role, SoleRole)
    log = Log()
    await role.start(*log.callbacks("S"))
    assert role.held and log.events == ["S+"]


def test_a_second_process_on_the_same_sqlite_file_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "bot.db")
    hold = DatabaseHold(db).acquire()
    try:
        with pytest.raises(AlreadyRunning, match="another Trait d'union process already serves this database"):
            DatabaseHold(db).acquire()
    finally:
        hold.release()
    DatabaseHold(db).acquire().release()  # free again once released
    assert leadership.hold_database("postgresql://postgres@127.0.0.1/x") is None


def test_traitdunion_run_refuses_to_start_on_a_file_another_process_serves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "bot.db"
    config = tmp_path / "traitdunion.toml"
    config.write_text(f'[traitdunion]\ndb = "{db}"\n', encoding="utf-8")
    for variable in ("TRAITDUNION_DB", "TELEGRAM_BOT_TOKEN", "MATRIX_HOMESERVER"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("TRAITDUNION_LANGUAGE", "en")  # the message is checked in English
    hold = DatabaseHold(str(db)).acquire()
    try:
        assert cli.main(["--config", str(config), "run"]) == 2
    finally:
        hold.release()
    err = capsys.readouterr().err
    assert "another Trait d'union process already serves this database" in err
    assert "postgresql://" in err
    assert sys.platform != "win32"
