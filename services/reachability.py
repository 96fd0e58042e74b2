"""Who can no longer be reached (a person blocked the bot, left the room) and who can again:
one INFO log line per change, naming only the internal actor id."""

from __future__ import annotations

import logging
import sqlite3

from storage import identities

LOG = logging.getLogger(__name__)


def mark_unreachable(conn: sqlite3.Connection, platform: str, chat_id: str) -> int | None:
    """Flag the identity behind ``chat_id`` (and its actor) unreachable; log the change once."""
    before = identities.actor_reachable(conn, platform, chat_id)
    actor_id = identities.mark_unreachable(conn, platform, chat_id)
    if before is not None and before[1]:
        LOG.info("actor %d unreachable on %s", before[0], platform)
    return actor_id


def reachable_again(actor_id: int, platform: str) -> None:
    """The actor wrote again after being unreachable (the caller clears the flag)."""
    LOG.info("actor %d reachable again on %s", actor_id, platform)
