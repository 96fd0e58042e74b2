"""``traitdunion backup`` / ``restore``: a round trip under load, the Matrix store with the database,
and every bad archive or situation refused with a clear line, a non-zero exit and nothing overwritten."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from bot.app import App
from bot.config import Config
from storage.migrations import latest_version
from tests.core.people import Person, RecordingAdapter
from tests.ops.conftest import clean_env, traitdunion


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_db(path: Path, people: int = 3) -> Path:
    """A real bot database (created by the bot's own migrations) with a few processed events."""
    path.parent.mkdir(parents=True, exist_ok=True)
    done = traitdunion("migrate", env={"TRAITDUNION_DB": str(path)})
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(path) as conn:
        for i in range(people):
            conn.execute(
                "INSERT INTO processed_events (platform, event_id, processed_at) VALUES ('test', ?, '2026-01-01T00:00:00+00:00')",
                (f"seed{i}",),
            )
    return path


def make_store(store: Path) -> None:
    """A Matrix store as the adapter leaves it: session file and nio's crypto store (SQLite)."""
    store.mkdir(parents=True)
    (store / "session.json").write_text(json.dumps({"user_id": "@bot:localhost", "device_id": "DEV1", "access_token": "syt_secret"}))
    with sqlite3.connect(store / "@bot:localhost_DEV1.db") as conn:
        conn.execute("CREATE TABLE olm (account BLOB)")
        conn.execute("INSERT INTO olm VALUES (x'0102030405')")


def backup_of(db: Path, dest: Path, store: Path | None = None) -> Path:
    env = {"TRAITDUNION_DB": str(db)}
    if store is not None:
        env["MATRIX_STORE"] = str(store)
    done = traitdunion("backup", str(dest), env=env)
    assert done.returncode == 0, done.stderr
    archives = sorted(dest.glob("traitdunion-backup-*.tar.gz"))
    assert len(archives) == 1 and done.stdout.startswith(f"Sauvegarde écrite : {archives[0]}")
    return archives[0]


async def test_a_backup_taken_under_load_loses_nothing_acknowledged_before_it(tmp_path: Path, territories) -> None:
    db = tmp_path / "live" / "bot.db"
    adapter = RecordingAdapter()
    app = await App.open(Config(db=str(db)), adapters=[adapter], territories=territories)
    await app.start()
    acknowledged: list[tuple[float, str]] = []
    stop = asyncio.Event()

    async def person_writing(n: int) -> None:
        i = 0
        while not stop.is_set():
            person = Person(app.runtime, adapter, f"load{n}-{i % 7}")
            incoming = person.incoming(text="/start" if i % 2 else "bonjour")
            await app.runtime.handle(incoming)  # returns once the step is committed
            acknowledged.append((time.monotonic(), incoming.event_id))
            i += 1

    writers = [asyncio.create_task(person_writing(n)) for n in range(4)]
    try:
        await asyncio.sleep(1.0)
        started = time.monotonic()
        before = len(acknowledged)
        done = await asyncio.to_thread(traitdunion, "backup", str(tmp_path / "backups"), env={"TRAITDUNION_DB": str(db)})
        during = len(acknowledged) - before
        await asyncio.sleep(0.3)
    finally:
        stop.set()
        await asyncio.gather(*writers)
        await app.stop()
    assert done.returncode == 0, done.stderr
    assert during > 0, "the bot kept answering while the backup ran"
    archive = next((tmp_path / "backups").glob("*.tar.gz"))

    elsewhere = tmp_path / "new-place" / "bot.db"
    restored = traitdunion("restore", str(archive), env={"TRAITDUNION_DB": str(elsewhere)})
    assert restored.returncode == 0, restored.stderr
    with sqlite3.connect(elsewhere) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        kept = {row[0] for row in conn.execute("SELECT event_id FROM processed_events")}
    must_have = {event for at, event in acknowledged if at < started}
    assert len(must_have) > 20, os.getloadavg()
    assert must_have <= kept, f"lost {len(must_have - kept)} acknowledged steps"
    assert oct(elsewhere.stat().st_mode & 0o777) == "0o600"
    print(f"{len(must_have)} steps before, {during} during the backup; load {os.getloadavg()}")


def test_database_and_matrix_store_round_trip_and_the_old_data_is_kept_aside(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    store = tmp_path / "data" / "matrix-store"
    make_store(store)
    archive = backup_of(db, tmp_path / "backups", store)
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "database.sqlite", "matrix-store/session.json", "matrix-store/@bot:localhost_DEV1.db"} <= names

    original_session = (store / "session.json").read_bytes()
    with sqlite3.connect(db) as conn:  # the live data moves on after the backup
        conn.execute("DELETE FROM processed_events")
    (store / "session.json").write_text("{}")
    done = traitdunion("restore", str(archive), env={"TRAITDUNION_DB": str(db), "MATRIX_STORE": str(store)})
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM processed_events").fetchone() == (3,)
    assert (store / "session.json").read_bytes() == original_session
    with sqlite3.connect(store / "@bot:localhost_DEV1.db") as conn:
        assert conn.execute("SELECT account FROM olm").fetchone() == (b"\x01\x02\x03\x04\x05",)
    aside = sorted(p.name for p in db.parent.iterdir() if ".before-restore-" in p.name)
    assert any(name.startswith("bot.db.before-restore-") for name in aside)
    assert any(name.startswith("matrix-store.before-restore-") for name in aside)
    assert "syt_secret" not in done.stdout + done.stderr


def test_a_truncated_archive_is_refused_and_nothing_is_overwritten(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    archive = backup_of(db, tmp_path / "backups")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    before = digest(db)
    done = traitdunion("restore", str(archive), env={"TRAITDUNION_DB": str(db)})
    assert done.returncode == 1
    assert done.stderr.strip().startswith("Restauration refusée — ") and "tronquée" in done.stderr, done.stderr
    assert digest(db) == before
    assert not [p for p in db.parent.iterdir() if "restore" in p.name]


def _rewrite_manifest(archive: Path, **changes: object) -> None:
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers() if m.isfile()]  # type: ignore[union-attr]
    with tarfile.open(archive, "w:gz") as tar:
        for member, content in members:
            if member.name == "manifest.json":
                manifest = json.loads(content)
                manifest.update(changes)
                content = json.dumps(manifest).encode()
                member.size = len(content)
            tar.addfile(member, io.BytesIO(content))


def test_an_archive_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    archive = backup_of(db, tmp_path / "backups")
    _rewrite_manifest(archive, schema_version=latest_version() + 5, traitdunion_version="9.0.0")
    before = digest(db)
    done = traitdunion("restore", str(archive), env={"TRAITDUNION_DB": str(db)})
    assert done.returncode == 1
    assert "plus récente que celle que connaît ce Trait d'union" in done.stderr and "9.0.0" in done.stderr, done.stderr
    assert digest(db) == before
    _rewrite_manifest(archive, schema_version=1, format=2)
    done = traitdunion("restore", str(archive), env={"TRAITDUNION_DB": str(db)})
    assert done.returncode == 1 and "écrite par un Trait d'union plus récent" in done.stderr
    assert digest(db) == before


def test_a_file_that_does_not_match_its_checksum_is_refused(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    archive = backup_of(db, tmp_path / "backups")
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers() if m.isfile()]  # type: ignore[union-attr]
    with tarfile.open(archive, "w:gz") as tar:
        for member, content in members:
            if member.name == "database.sqlite":
                content = content[:-10] + bytes(b ^ 0xFF for b in content[-10:])
            tar.addfile(member, io.BytesIO(content))
    before = digest(db)
    done = traitdunion("restore", str(archive), env={"TRAITDUNION_DB": str(db)})
    assert done.returncode == 1 and "ne correspond pas à sa somme de contrôle" in done.stderr, done.stderr
    assert digest(db) == before


def test_restore_refuses_to_overwrite_a_running_bot(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    archive = backup_of(db, tmp_path / "backups")
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env({"TRAITDUNION_DB": str(db)}),
    )
    try:
        lock = db.parent / "traitdunion.lock"
        deadline = time.monotonic() + 60
        while not (lock.exists() and lock.read_text().strip() == str(bot.pid)):
            assert time.monotonic() < deadline and bot.poll() is None, "the bot did not start"
            time.sleep(0.1)
        before = digest(db)
        done = traitdunion("restore", str(archive), env={"TRAITDUNION_DB": str(db)})
        assert done.returncode == 1
        assert f"est utilisé par un autre processus Trait d'union (pid {bot.pid})" in done.stderr, done.stderr
        assert "arrêtez d'abord le bot" in done.stderr
        assert digest(db) == before
    finally:
        bot.send_signal(signal.SIGTERM)
        bot.communicate(timeout=60)
    done = traitdunion("restore", str(archive), env={"TRAITDUNION_DB": str(db)})  # stopped: now it may
    assert done.returncode == 0, done.stderr


def _small_files() -> None:  # a full disk, simulated: no file may grow beyond 16 KiB
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))


def test_a_backup_that_cannot_be_written_says_so_and_leaves_no_partial_archive(tmp_path: Path) -> None:
    db = make_db(tmp_path / "data" / "bot.db")
    dest = tmp_path / "backups"
    done = traitdunion("backup", str(dest), env={"TRAITDUNION_DB": str(db)}, preexec_fn=_small_files)
    assert done.returncode == 1
    assert done.stderr.startswith("Sauvegarde impossible — ") and "vérifiez son espace libre et son quota" in done.stderr, done.stderr
    assert list(dest.iterdir()) == []


def test_a_backup_on_a_full_disk_is_refused_before_writing(tmp_path: Path, monkeypatch) -> None:
    import shutil
    from collections import namedtuple

    from bot.backup import BackupError, backup

    db = make_db(tmp_path / "data" / "bot.db")
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 4096, 4096))
    dest = tmp_path / "backups"
    try:
        backup(Config(db=str(db)), dest)
    except BackupError as error:
        assert "not enough free space" in str(error) and "MiB needed" in str(error)
    else:
        raise AssertionError("a full disk was not noticed")
    assert list(dest.iterdir()) == []


def test_backup_of_a_missing_database_is_refused(tmp_path: Path) -> None:
    done = traitdunion("backup", str(tmp_path / "b"), env={"TRAITDUNION_DB": str(tmp_path / "none.db")})
    assert done.returncode == 1 and "aucune base de données à" in done.stderr


def test_restore_of_a_missing_archive_is_refused(tmp_path: Path) -> None:
    done = traitdunion("restore", str(tmp_path / "nope.tar.gz"), env={"TRAITDUNION_DB": str(tmp_path / "bot.db")})
    assert done.returncode == 1 and "fichier introuvable" in done.stderr
    assert not (tmp_path / "bot.db").exists()
