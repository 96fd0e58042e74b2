"""Answer the reads a conversation step asks for (:mod:`conversations.lookup`) from storage.

The runtime calls :func:`load` on the read-only connection (off the writer) before running the
step again; the command line and a step that needs many reads call it inline.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from conversations.lookup import (
    ActorsIn,
    Answers,
    AudienceSize,
    Broadcasts,
    CallMembers,
    Calls,
    Clusters,
    CoordinatedAreas,
    Coordinators,
    Directory,
    EmptyReason,
    ErasureScope,
    EventsFor,
    Impact,
    Invitation,
    JoinedGroups,
    LeftOut,
    ListingEchoes,
    Networks,
    OwnEvents,
    PersonalData,
    ProgrammeMatches,
    Programmes,
    ProgrammeShortlist,
    Query,
    SilentActors,
)
from conversations.periods import period_name, period_span
from core.clock import iso
from core.model import Area
from core.text import name_key, name_score
from services import groups, programmes
from services.coordination import CALL_WINDOW, UNCAPPED
from services.directory import directory_filter
from services.impact import impact_csv, impact_text
from services.todo import silent_actors
from storage import calls as call_store
from storage import coordination as store
from storage import directory as directory_store
from storage import events as event_store
from storage import listings as listing_store
from storage import outcomes as outcome_store
from storage import programmes as programme_store
from storage import stats


def load(conn: sqlite3.Connection, query: Query, now: datetime, calls_per_week: int) -> Any:
    """The answer to ``query`` as :class:`conversations.lookup.Loaded` expects it."""
    if isinstance(query, AudienceSize):
        spec = store.AudienceSpec(query.area, query.kinds, query.themes, (query.sender,) if query.sender else ())
        return store.audience_size(conn, spec, iso(now - CALL_WINDOW), calls_per_week if query.capped else UNCAPPED)
    if isinstance(query, ActorsIn):
        found: dict[int, tuple[int, str, str, str]] = {}
        for area in query.areas:
            for row in store.actors_in_area(conn, Area(area.kind, area.code, area.label), query.query):
                found[row[0]] = row
        return sorted(found.values(), key=lambda row: (-name_score(query.query, row[1]), name_key(row[1]), row[0]))[:8]
    if isinstance(query, Broadcasts):
        return store.broadcasts_of(conn, [area.id for area in query.areas])
    if isinstance(query, Answers):
        call = store.broadcast(conn, query.broadcast_id)
        if call is None or call["coordinator_id"] not in {area.id for area in query.areas}:
            return None
        return store.answers(conn, query.broadcast_id)
    if isinstance(query, CoordinatedAreas):
        return store.coordinated_areas(conn)
    if isinstance(query, Coordinators):
        return [(f"{row.platform}:{row.user_id}", row.area.label, row.invite_code) for row in store.coordinators(conn)]
    if isinstance(query, PersonalData):
        return {
            **store.personal_data(conn, query.actor_id),
            **outcome_store.personal_data(conn, query.actor_id),
            **event_store.personal_data(conn, query.actor_id),
        }
    if isinstance(query, Impact):
        start, end = period_span(query.period, now.date())
        figures = stats.impact(conn, query.area.kind, query.area.code, start, end)
        named = period_name(query.period, query.language)
        return impact_text(figures, query.language, query.area.label, named), figures, impact_csv(figures, query.language)
    if isinstance(query, Invitation):
        return store.invitation(conn, query.code)
    if isinstance(query, EmptyReason):
        spec = store.AudienceSpec(query.area, query.kinds, query.themes)
        return call_store.empty_reason(conn, spec, iso(now - CALL_WINDOW), calls_per_week)
    if isinstance(query, Directory):
        spec_ = directory_filter(query.areas, query.actor, dict(query.filters))
        return directory_store.entries(conn, spec_, now.date().isoformat())
    if isinstance(query, EventsFor):
        return event_store.events_for(conn, query.actor_id, iso(now))
    if isinstance(query, OwnEvents):
        return event_store.published_by(conn, tuple(area.id for area in query.areas), iso(now))
    if isinstance(query, SilentActors):
        return silent_actors(conn, query.areas, now)
    if isinstance(query, Calls):
        return call_store.calls_of(conn, tuple(area.id for area in query.areas))
    if isinstance(query, CallMembers):
        return groups.call_members(conn, query.broadcast_id, query.areas)
    if isinstance(query, Networks):
        return store.networks_of(conn, query.actor_ids)
    if isinstance(query, Clusters):
        return groups.clusters(conn, query.areas, now)
    if isinstance(query, Programmes):
        return programmes.programmes(conn, query.areas)
    if isinstance(query, ProgrammeShortlist):
        return programmes.programme_shortlist(conn, query.programme_id, query.areas, now)
    if isinstance(query, ProgrammeMatches):
        return programme_store.fitting_associations(conn, query.company_id, query.theme, now.date().isoformat(), in_touch=query.in_touch)
    if isinstance(query, ErasureScope):
        return store.erasure_scope(conn, tuple(area.id for area in query.areas), iso(now))
    if isinstance(query, JoinedGroups):
        return groups.joined_names(conn, query.actor_id)
    if isinstance(query, LeftOut):
        return groups.left_out(conn, list(query.actor_ids))
    if isinstance(query, ListingEchoes):
        return listing_store.echoes(conn, query.actor_id)
    raise TypeError(f"unknown read {query!r}")
