"""Working groups' Matrix rooms: created (end-to-end encrypted) and completed outside any
database transaction, since they are calls to the homeserver; what was done is then stored and
the members told, in one transaction."""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.adapters.base import Adapter, GroupRooms
from conversations.i18n import translate
from core.errors import DeliveryError
from services import groups
from storage.database import Database

LOG = logging.getLogger(__name__)


async def open_group_rooms(db: Database, adapters: Sequence[Adapter], clock: Callable[[], datetime], language: str) -> int:
    """Create the rooms of groups with two or more Matrix members who said yes, and invite those
    not invited yet, with the group's coordinator when they are on Matrix; return how many members
    were invited. A failure is retried at the next run."""
    matrix = next((adapter for adapter in adapters if isinstance(adapter, GroupRooms)), None)
    if matrix is None:
        return 0
    invited = 0
    for group_id, name, room_id, members, coordinator in await db.read(groups.rooms_due):
        users = [user for _, user in members]
        if coordinator is not None:  # the coordinator who runs the group, when on Matrix
            users.append(coordinator)
        try:
            if room_id is None:
                room_id = await matrix.create_group_room(name, translate(language, "group.room_topic"), users)
            else:
                await matrix.invite_to_group_room(room_id, users)
        except DeliveryError as exc:
            LOG.warning("group %d: Matrix room not ready yet (%s); retried later", group_id, exc)
            continue
        ids = [actor for actor, _ in members]
        await db.transaction(functools.partial(_room_ready, group_id, room_id, ids, coordinator is not None, clock()))
        invited += len(ids)
    return invited


def _room_ready(group_id: int, room_id: str, ids: list[int], coordinator: bool, now: datetime, conn: sqlite3.Connection) -> None:
    groups.room_ready(conn, group_id, room_id, ids, now, coordinator)
