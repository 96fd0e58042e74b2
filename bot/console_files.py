"""Who owns the files the consoles write in the exports directory, so that none outlives its use.

A console saves the files it receives (``/mesdonnees``, an event's ``.ics``, a CSV) in
``<data directory>/exports`` and says they are removed when the session ends. Three things make
that true even when a session does not end well:

* each file is listed in its person's manifest (``.files-<hash of the console user>``, 0600, in the
  same directory), so that ``/supprimer`` removes every file of that person — those of an earlier
  session that was killed, or of another window, too — and the manifest;
* a session removes its own files when it ends (:func:`remove`);
* a session that starts removes the files left by sessions that never ended (killed, terminal
  closed): every file older than :data:`STALE_AFTER`, whoever it was for (:func:`prune_stale`).

Consoles of several people share the directory: a file is only ever removed by its owner's
session, its owner's erasure, or its age.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from pathlib import Path

from storage.files import FILE_MODE

STALE_AFTER = 3600.0
"""Seconds after which a file left in the exports directory belongs to no session any more: a
session's files are for reading at once (and can be asked again), one left an hour is a leftover."""

_MANIFEST = ".files-"


def manifest(directory: Path, user: str) -> Path:
    """The list of the files ``user``'s consoles wrote in ``directory`` (named by a hash: no name on disk)."""
    return directory / f"{_MANIFEST}{hashlib.sha256(user.encode()).hexdigest()[:20]}"


def record(directory: Path, user: str, path: Path) -> None:
    """Add ``path`` (a file of ``directory``) to ``user``'s manifest."""
    descriptor = os.open(manifest(directory, user), os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    with os.fdopen(descriptor, "a", encoding="utf-8") as listing:
        listing.write(path.name + "\n")


def _listed(path: Path) -> list[str]:
    try:
        names = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [name for name in names if name and "/" not in name and name not in (".", "..")]


def _rewrite(path: Path, names: list[str]) -> None:
    if not names:
        path.unlink(missing_ok=True)
        return
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as listing:
        listing.write("".join(name + "\n" for name in names))


def remove(directory: Path, user: str, paths: Iterable[Path]) -> None:
    """Delete ``paths`` (files of ``user`` in ``directory``) and take them off their manifest."""
    gone = set()
    for path in paths:
        path.unlink(missing_ok=True)
        gone.add(path.name)
    listing = manifest(directory, user)
    if listing.exists():
        _rewrite(listing, [name for name in _listed(listing) if name not in gone])


def erase(directory: Path, user: str) -> int:
    """Delete every file ``user``'s consoles wrote in ``directory``, and their manifest; how many."""
    listing = manifest(directory, user)
    names = _listed(listing)
    removed = 0
    for name in dict.fromkeys(names):
        path = directory / name
        if path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    listing.unlink(missing_ok=True)
    return removed


def prune_stale(directory: Path, now: float | None = None, kept: float = STALE_AFTER) -> int:
    """Delete the files of ``directory`` older than ``kept`` seconds (left by sessions that never
    ended), then the manifests' lines of files gone; how many files were deleted."""
    if not directory.is_dir():
        return 0
    limit = (time.time() if now is None else now) - kept
    removed = 0
    manifests = []
    for path in directory.iterdir():
        if path.name.startswith(_MANIFEST):
            manifests.append(path)
        elif path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    for listing in manifests:
        _rewrite(listing, [name for name in _listed(listing) if (directory / name).is_file()])
    return removed
