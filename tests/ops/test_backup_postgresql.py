"""Backup and restore dispatch on ``TRAITDUNION_DB``'s scheme: ``postgresql://`` goes through
``pg_dump``/``pg_restore``, tested on a real PostgreSQL (throw-away ``tdu_ops_*`` databases)."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.backup import BackupError, backup, read_manifest, restore
from bot.config import Config, MatrixSettings

SERVER = "postgresql://postgres@127.0.0.1:5432"


def psql(database: str, sql: str) -> str:
    done = subprocess.run(
        ["psql", "-X", "-v", "ON_ERROR_STOP=1", "-tAc", sql, f"{SERVER}/{database}"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def databases() -> Iterator[list[str]]:
    if (
        shutil.which("pg_dump") is None
        or subprocess.run(["psql", "-X", "-tAc", "SELECT 1", f"{SERVER}/postgres"], capture_output=True).returncode != 0
    ):
        if os.environ.get("TRAITDUNION_REQUIRE_E2E") == "1":
            pytest.fail("TRAITDUNION_REQUIRE_E2E=1 but PostgreSQL or pg_dump is not available")
        pytest.skip("PostgreSQL or pg_dump not available")
    names = [f"tdu_ops_{secrets.token_hex(4)}_{i}" for i in range(3)]
    for name in names:
        psql("postgres", f"CREATE DATABASE {name}")
    yield names
    for name in names:
        psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def config(database: str, tmp_path: Path) -> Config:
    return Config(db=f"{SERVER}/{database}", matrix=MatrixSettings(store=str(tmp_path / "data" / "matrix-store")))


def test_postgresql_round_trip_and_refusals(databases: list[str], tmp_path: Path) -> None:
    source, target, busy = databases
    psql(source, "CREATE TABLE actors (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    psql(source, "INSERT INTO actors SELECT g, 'actor ' || g FROM generate_series(1, 500) g")
    psql(busy, "CREATE TABLE keep_me (id INTEGER)")
    store = tmp_path / "data" / "matrix-store"
    store.mkdir(parents=True)
    (store / "session.json").write_text('{"user_id": "@b:x", "device_id": "D", "access_token": "t"}')

    archive = backup(config(source, tmp_path), tmp_path / "backups")
    manifest = read_manifest(archive)
    assert manifest["database"] == "postgresql" and "database.pgdump" in manifest["files"]  # type: ignore[operator]
    assert "matrix-store/session.json" in manifest["files"]  # type: ignore[operator]

    with pytest.raises(BackupError, match="is not empty"):  # nothing overwritten
        restore(config(busy, tmp_path), archive)
    assert psql(busy, "SELECT count(*) FROM pg_tables WHERE tablename = 'keep_me'") == "1"
    with pytest.raises(BackupError, match="holds a PostgreSQL dump but TRAITDUNION_DB is a SQLite file"):
        restore(Config(db=str(tmp_path / "bot.db")), archive)

    done = restore(config(target, tmp_path), archive)
    assert psql(target, "SELECT count(*), sum(id) FROM actors") == "500|125250"
    assert done.store == store.resolve() and (store / "session.json").exists()


def test_pg_dump_failure_is_one_clear_line_without_the_password(tmp_path: Path, databases: list[str]) -> None:
    bad = Config(
        db="postgresql://postgres:s3cretpw@127.0.0.1:5432/tdu_ops_does_not_exist", matrix=MatrixSettings(store=str(tmp_path / "store"))
    )
    with pytest.raises(BackupError) as caught:
        backup(bad, tmp_path / "backups")
    message = str(caught.value)
    assert message.startswith("pg_dump failed on postgresql://postgres@127.0.0.1:5432/tdu_ops_does_not_exist")
    assert "s3cretpw" not in message and "does not exist" in message
    assert not list((tmp_path / "backups").iterdir())


def test_doctor_reaches_a_postgresql_database_or_names_the_fault(databases: list[str], tmp_path: Path) -> None:
    import asyncio

    from bot.doctor import checks

    found = {c.subject: c for c in asyncio.run(checks(config(databases[0], tmp_path)))}
    assert found["database"].status == "OK" and found["database"].detail.endswith(f"/{databases[0]} accessible")
    bad = Config(
        db="postgresql://postgres:s3cretpw@127.0.0.1:5432/tdu_ops_missing",
        matrix=MatrixSettings(store=str(tmp_path / "data" / "matrix-store")),
    )
    found = {c.subject: c for c in asyncio.run(checks(bad))}
    assert found["database"].status == "FAIL" and "does not exist" in found["database"].detail  # as psql says it
    assert "s3cretpw" not in found["database"].detail


def test_a_postgresql_backup_and_each_of_its_members_are_private_whatever_the_umask(databases: list[str], tmp_path: Path) -> None:
    """pg_dump writes its file as the umask says (0644): the archive's member is made private
    all the same, so that the dump extracted by hand (or restored) is not readable by others."""
    import stat
    import tarfile

    source = databases[0]
    psql(source, "CREATE TABLE actors (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    previous = os.umask(0o022)
    try:
        archive = backup(config(source, tmp_path), tmp_path / "backups")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive, "r:gz") as tar:
        modes = {member.name: oct(member.mode) for member in tar.getmembers()}
    assert "database.pgdump" in modes and set(modes.values()) == {"0o600"}, modes
