"""What the Matrix adapter keeps in its store directory, beside nio's crypto store.

* ``session.json`` (mode 0600): user id, device id and access token, so that every start
  restores the same device (and its keys) instead of logging in again.
* ``adapter.sqlite``: the first-ever start time (older events are never answered) and the
  bot's sent messages that carry choices (event id → prompt id, number of choices), so that
  a keycap reaction can be turned into a choice.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from bot.config import wrong
from storage import adapter_state

__all__ = ["AdapterState", "Session", "load_session", "save_session"]

SESSION_FILE = "session.json"
STATE_FILE = "adapter.sqlite"
PROMPT_RETENTION_S = 90 * 24 * 3600
"""Sent prompts older than this are forgotten (their reactions are ignored)."""


@dataclass(frozen=True, slots=True)
class Session:
    """A logged-in device."""

    user_id: str
    device_id: str
    access_token: str

    def __repr__(self) -> str:  # never print the token
        return f"Session(user_id={self.user_id!r}, device_id={self.device_id!r})"


def load_session(store: Path) -> Session | None:
    """The saved session, or None when there is none.

    A session file that exists but cannot be read is refused (:class:`ConfigError`): logging
    in again would silently make a new end-to-end encryption device, deaf to every message
    encrypted for the old one.
    """
    path = store / SESSION_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Session(str(raw["user_id"]), str(raw["device_id"]), str(raw["access_token"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise wrong("MATRIX_STORE", "config.matrix_session_damaged", path=path, reason=reason) from None


def save_session(store: Path, session: Session) -> None:
    """Write the session atomically, readable by the owner only."""
    path = store / SESSION_FILE
    tmp = store / f".{SESSION_FILE}.tmp"
    payload = json.dumps({"user_id": session.user_id, "device_id": session.device_id, "access_token": session.access_token})
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, payload.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


class AdapterState:
    """A small SQLite file: first start time and the prompts of sent messages (statements: :mod:`storage.adapter_state`)."""

    def __init__(self, path: Path) -> None:
        self._db = adapter_state.open_state(path)

    @classmethod
    def open(cls, store: Path) -> AdapterState:
        """Open (or create) the state file in the store directory."""
        return cls(store / STATE_FILE)

    def first_start_ms(self) -> int:
        """The time of the adapter's first-ever start (recorded now if unknown), in ms."""
        return adapter_state.first_start_ms(self._db, int(time.time() * 1000))

    def remember_prompt(self, event_id: str, room_id: str, prompt_id: str, choices: int) -> None:
        """Record that ``event_id`` shows ``choices`` options of ``prompt_id``."""
        adapter_state.remember_prompt(self._db, event_id, room_id, prompt_id, choices, int(time.time()))

    def prompt_of(self, event_id: str, room_id: str) -> tuple[str, int] | None:
        """(prompt id, number of choices) of a sent message in ``room_id``, or None."""
        return adapter_state.prompt_of(self._db, event_id, room_id)

    def prune(self) -> int:
        """Forget prompts older than the retention period; return how many."""
        return adapter_state.prune_prompts(self._db, int(time.time()) - PROMPT_RETENTION_S)

    def close(self) -> None:
        """Close the file."""
        self._db.close()
