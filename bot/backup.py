"""``traitdunion backup`` and ``traitdunion restore``: one archive with everything a bot needs.

An archive (``traitdunion-backup-<UTC time>.tar.gz``, mode 0600) holds a ``manifest.json``
(format, Trait d'union version, schema version, SHA-256 of every file) and:

- SQLite: ``database.sqlite``, a consistent copy taken with SQLite's online backup API while
  the bot keeps writing (WAL readers never block it), checked with ``integrity_check``;
- PostgreSQL (``TRAITDUNION_DB=postgresql://…``): ``database.pgdump`` from ``pg_dump --format=custom``;
- the Matrix store (``matrix-store/``): the session file (device id and token) and nio's crypto
  store, without which a restored bot would be a new, unverified device unable to read what
  was encrypted for the old one. Its SQLite files are copied with the backup API too.

A restore checks everything before touching anything: the archive is complete, its files
match their checksums, it was not written by a newer Trait d'union, the database passes
``integrity_check``, and no bot is running on the data directory (:mod:`bot.lock`). Only then
are the current files moved aside (``*.before-restore-<time>``, never deleted) and the
restored ones moved in.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from bot.config import Config
from bot.lock import DataLocked, InstanceLock, data_dir, is_url
from bot.terminal import Told
from core.version import __version__
from storage import inspection
from storage.files import DIR_MODE, FILE_MODE, make_dirs
from storage.migrations import latest_version

__all__ = ["FORMAT", "BackupError", "Restored", "backup", "read_manifest", "restore"]

FORMAT = 1
"""Version of the archive layout; a newer one is refused."""
MANIFEST = "manifest.json"
SQLITE_NAME = "database.sqlite"
PGDUMP_NAME = "database.pgdump"
STORE_NAME = "matrix-store"
SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


class BackupError(Told):
    """A backup or restore that cannot be done; the message says why and what to do (nothing was changed)."""


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore did."""

    database: str
    store: Path | None
    moved_aside: tuple[Path, ...]
    schema_version: int | None


def _stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def _size(path: Path) -> int:
    """Bytes under ``path`` (a file, its SQLite companions, or a directory); 0 when missing."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return sum(p.stat().st_size for p in (path.with_name(path.name + s) for s in ("", "-wal")) if p.is_file())


def _copy_sqlite(source: Path, target: Path) -> int:
    """Copy a live SQLite database with the online backup API; return its schema version."""
    problems, version = inspection.copy_live(source, target)
    if problems != ["ok"]:
        raise BackupError("backup.copy_damaged", source=source, problem=problems[0])
    return version


def _copy_store(store: Path, target: Path) -> None:
    """Copy the Matrix store directory (SQLite files with the backup API, the rest as they are)."""
    make_dirs(target)
    for item in sorted(store.rglob("*")):
        relative = item.relative_to(store)
        if item.name.endswith(SQLITE_COMPANIONS) or (item.name.startswith(".") and item.name.endswith(".tmp")):
            continue  # folded into their database by the backup API / a half-written session file
        destination = target / relative
        if item.is_dir():
            make_dirs(destination)
        elif _is_sqlite(item):
            _copy_sqlite(item, destination)
        elif item.is_file():
            shutil.copy2(item, destination)
        os.chmod(destination, DIR_MODE if item.is_dir() else FILE_MODE)


def _pg_dump(url: str, target: Path) -> None:
    done = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), "--dbname", url],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode != 0:
        raise BackupError("backup.pg_dump_failed", url=_safe_url(url), reason=_last_line(done.stderr))


def _safe_url(url: str) -> str:
    """A database URL without its password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}@" if parts.username else ""
    return f"{parts.scheme}://{user}{host}{port}{parts.path}"


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def _private_member(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """An archive member readable by its owner only once extracted (by a restore or by hand)."""
    info.mode = DIR_MODE if info.isdir() else FILE_MODE
    return info


def backup(config: Config, destination: str | Path, now: datetime | None = None) -> Path:
    """Write one archive of the database and the Matrix store into ``destination``; return its path."""
    dest = Path(destination).expanduser()
    try:
        make_dirs(dest)
    except OSError as exc:
        raise BackupError("backup.cannot_create", path=dest, reason=exc.strerror or exc) from None
    if not os.access(dest, os.W_OK | os.X_OK):
        raise BackupError("backup.not_writable", path=dest)
    needed = 0 if is_url(config.db) else _size(Path(config.db).expanduser()) + _size(config.matrix_store)
    free = shutil.disk_usage(dest).free
    if needed and free < 2 * needed:  # the copy, then the archive of it
        raise BackupError("backup.no_space", path=dest, free=free // 2**20, needed=2 * needed // 2**20 + 1)
    stamp = _stamp(now)
    archive = dest / f"traitdunion-backup-{stamp}.tar.gz"
    partial = archive.with_name(archive.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(prefix=".traitdunion-backup-", dir=dest) as tmp:
            staging = Path(tmp)
            manifest: dict[str, object] = {
                "format": FORMAT,
                "traitdunion_version": __version__,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            if is_url(config.db):
                _pg_dump(config.db, staging / PGDUMP_NAME)
                manifest.update(database="postgresql", schema_version=None)
            else:
                source = Path(config.db).expanduser()
                if not source.exists():
                    raise BackupError("backup.no_database", path=source)
                version = _copy_sqlite(source, staging / SQLITE_NAME)
                manifest.update(database="sqlite", schema_version=version)
            store = config.matrix_store
            if store.is_dir():
                _copy_store(store, staging / STORE_NAME)
            files = sorted(p for p in staging.rglob("*") if p.is_file())
            manifest["files"] = {str(p.relative_to(staging)): _sha256(p) for p in files}
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(data), FILE_MODE, int(datetime.now(UTC).timestamp())
                tar.addfile(info, io.BytesIO(data))
                for path in files:  # each member private, whatever wrote it (pg_dump follows the umask)
                    tar.add(path, arcname=str(path.relative_to(staging)), recursive=False, filter=_private_member)
                raw.flush()
                os.fsync(raw.fileno())
        os.replace(partial, archive)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError("backup.not_written", path=dest, reason=reason) from None
    return archive


def read_manifest(archive: Path) -> dict[str, object]:
    """The manifest of ``archive`` (:class:`BackupError` when it is unreadable, truncated or too new)."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(member.read())
    except FileNotFoundError:
        raise BackupError("backup.no_such_archive", archive=archive) from None
    except PermissionError:
        raise BackupError("backup.archive_not_readable", archive=archive) from None
    except (tarfile.TarError, EOFError, OSError, zlib.error, KeyError, ValueError) as exc:
        raise BackupError("backup.incomplete_archive", archive=archive, reason=_describe(exc)) from None
    _check_version(archive, manifest)
    if manifest.get("database") not in ("sqlite", "postgresql"):
        raise BackupError("backup.unknown_kind", archive=archive)
    return manifest


def _describe(exc: BaseException) -> str | Told:
    if isinstance(exc, KeyError):
        return Told("backup.no_manifest")
    if isinstance(exc, EOFError) or "unexpected end" in str(exc).lower() or "truncated" in str(exc).lower():
        return Told("backup.truncated")
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _check_version(archive: Path, manifest: dict[str, object]) -> None:
    fmt = manifest.get("format")
    written_by = manifest.get("traitdunion_version", "?")
    if not isinstance(fmt, int) or fmt > FORMAT:
        raise BackupError("backup.newer_format", archive=archive, version=written_by)
    schema = manifest.get("schema_version")
    if isinstance(schema, int) and schema > latest_version():
        raise BackupError("backup.newer_schema", archive=archive, schema=schema, known=latest_version(), version=written_by)


def _extract(archive: Path, manifest: dict[str, object], staging: Path) -> None:
    """Extract every listed file into ``staging`` and check its checksum."""
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise BackupError("backup.no_file_list", archive=archive)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staging, filter="data")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        if isinstance(exc, OSError) and not isinstance(exc, tarfile.TarError) and exc.errno is not None:
            raise BackupError("backup.cannot_unpack", archive=archive, reason=exc.strerror) from None
        raise BackupError("backup.incomplete_archive", archive=archive, reason=_describe(exc)) from None
    for name, digest in files.items():
        path = staging / name
        if not path.is_file():
            raise BackupError("backup.missing_member", archive=archive, name=name)
        if _sha256(path) != digest:
            raise BackupError("backup.bad_checksum", archive=archive, name=name)


def _check_sqlite(path: Path) -> int:
    try:
        conn = inspection.open_read_only(path)
        try:
            problems = inspection.integrity_problems(conn)
            version = inspection.schema_version(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError("backup.archived_unreadable", reason=exc) from None
    if problems != ["ok"]:
        raise BackupError("backup.archived_damaged", problem=problems[0])
    if version > latest_version():
        raise BackupError("backup.archived_too_new", version=version)
    return version


def _pg_is_empty(url: str) -> bool:
    query = "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
    done = subprocess.run(["psql", "-X", "-tAc", query, url], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise BackupError("backup.pg_unreachable", url=_safe_url(url), reason=_last_line(done.stderr))
    return done.stdout.strip() == "0"


def _pg_restore(url: str, dump: Path) -> None:
    check = subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True, text=True, timeout=600)
    if check.returncode != 0:
        raise BackupError("backup.dump_unreadable", reason=_last_line(check.stderr))
    if not _pg_is_empty(url):
        raise BackupError("backup.pg_not_empty", url=_safe_url(url))
    done = subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", "--dbname", url, str(dump)],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode != 0:
        raise BackupError("backup.pg_restore_failed", url=_safe_url(url), reason=_last_line(done.stderr))


def _move_aside(path: Path, stamp: str, moved: list[Path]) -> None:
    if path.exists() or path.is_symlink():
        aside = path.with_name(f"{path.name}.before-restore-{stamp}")
        os.replace(path, aside)
        moved.append(aside)


def restore(config: Config, archive: str | Path, now: datetime | None = None) -> Restored:
    """Put the archive's database and Matrix store in place of the configured ones (see the module)."""
    source = Path(archive).expanduser()
    manifest = read_manifest(source)
    kind = manifest.get("database")
    if kind == "postgresql" and not is_url(config.db):
        raise BackupError("backup.dump_into_sqlite", archive=source)
    if kind == "sqlite" and is_url(config.db):
        raise BackupError("backup.sqlite_into_pg", archive=source, url=_safe_url(config.db))
    directory = data_dir(config)
    try:
        make_dirs(directory)
        lock = InstanceLock(directory).acquire(exclusive=True)
    except DataLocked as exc:
        raise BackupError("backup.bot_running", reason=exc) from None
    except OSError as exc:
        raise BackupError("backup.cannot_use", path=directory, reason=exc.strerror or exc) from None
    stamp = _stamp(now)
    try:
        with lock, tempfile.TemporaryDirectory(prefix=".traitdunion-restore-", dir=directory) as tmp:
            staging = Path(tmp)
            _extract(source, manifest, staging)
            version = _check_sqlite(staging / SQLITE_NAME) if kind == "sqlite" else None
            moved: list[Path] = []
            if kind == "postgresql":
                _pg_restore(config.db, staging / PGDUMP_NAME)
            else:  # everything checked: move the current files aside, then the restored ones in
                target = Path(config.db).expanduser().resolve()
                for suffix in ("", *SQLITE_COMPANIONS):
                    _move_aside(target.with_name(target.name + suffix), stamp, moved)
                os.chmod(staging / SQLITE_NAME, FILE_MODE)
                os.replace(staging / SQLITE_NAME, target)
            store = None
            if (staging / STORE_NAME).is_dir():
                store = config.matrix_store.expanduser().resolve()
                make_dirs(store.parent)
                _move_aside(store, stamp, moved)
                shutil.move(staging / STORE_NAME, store)  # MATRIX_STORE may be on another file system
                os.chmod(store, DIR_MODE)
    except OSError as exc:
        raise BackupError("backup.restore_failed", path=directory, reason=exc.strerror or exc) from None
    return Restored(config.db if not is_url(config.db) else _safe_url(config.db), store, tuple(moved), version)
