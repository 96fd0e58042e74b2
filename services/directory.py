"""The directory's scope (who sees whom) and "Me présenter" from it: the usual double opt-in."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from conversations.directory import DirectoryIntroduce
from conversations.i18n import translate
from core.types import Reply
from services.introductions import request_introduction
from storage.coordination import Area
from storage.directory import DirectoryFilter, entries


def directory_filter(areas: tuple[Any, ...], actor: Any, filters: dict[str, str]) -> DirectoryFilter:
    """Coordinators see every actor of their areas; an actor sees the profiles open to
    introductions in their département (or commune when it has none), never themselves."""
    if areas:
        scope = tuple(Area(area.kind, area.code, area.label) for area in areas)
        return DirectoryFilter(scope, consenting_only=False, exclude=actor.id if actor else None, **filters)
    if actor is None:
        return DirectoryFilter(())
    place = actor.place
    area = Area("departement", place.departement, "") if place.departement else Area("commune", place.code, "")
    return DirectoryFilter((area,), consenting_only=True, exclude=actor.id, **filters)


def apply(
    conn: sqlite3.Connection, effect: DirectoryIntroduce, actor: Any, areas: tuple[Any, ...], language: str, now: datetime
) -> list[Reply]:
    """Ask the other actor whether they agree to be introduced; both yes → contacts exchanged.
    Someone outside the person's directory (or no longer open to introductions) is refused."""
    if actor is None:
        return [Reply(translate(language, "idle.not_registered"), language=language)]
    visible = {entry.id: entry for entry in entries(conn, directory_filter(areas, actor, {}), now.date().isoformat())}
    other = visible.get(effect.other_id)
    if other is None or not other.consent:
        return [Reply(translate(language, "coord.refused"), language=language)]
    return request_introduction(conn, actor.id, other.id, other.name, language, now)
