"""Reads the coordinator flows need during a step, answered from data loaded beforehand.

The engine does no I/O. A step that needs an aggregate (an audience count, a search, a call's
answers, impact figures…) asks :class:`Loaded` for it; when it was not loaded yet, :class:`NeedData`
names the read, the runtime rolls the step back, runs the read on the read-only connection (off
the writer) and runs the step again with the result (see :mod:`services.lookups`).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from core.model import Area, CoordinatorArea


@dataclass(frozen=True, slots=True)
class AudienceSize:
    """How many actors a call to ``area`` (of these types, about these themes) would reach."""

    area: Area
    kinds: tuple[str, ...]
    themes: tuple[str, ...]
    sender: int | None = None
    """The sender's own profile: never counted (nobody receives their own call)."""
    capped: bool = True
    """False for an event's invitations, which the weekly cap of calls does not limit."""


@dataclass(frozen=True, slots=True)
class ActorsIn:
    """(id, name, type, commune) of the actors of ``areas`` whose name ``query`` designates (8 at most, the
    best match first): its words in any order, ignoring case, accents and punctuation, a town hall's
    names as one (mairie, ville, commune, town hall, city of), acronyms (:func:`core.text.name_score`)."""

    areas: tuple[CoordinatorArea, ...]
    query: str


@dataclass(frozen=True, slots=True)
class Broadcasts:
    """(id, date, message, answers, number) of the last calls of these appointments, and how far each was
    delivered (:class:`Delivery`)."""

    areas: tuple[CoordinatorArea, ...]


@dataclass(frozen=True, slots=True)
class Delivery:
    """How far one sent call went: its answer mode ("none": information only), how many it was sent to,
    and how many received it, failed, were unreachable (the rest is still being sent)."""

    mode: str
    total: int
    sent: int
    failed: int
    unreachable: int

    @property
    def pending(self) -> int:
        return max(0, self.total - self.sent - self.failed - self.unreachable)


@dataclass(frozen=True, slots=True)
class Answers:
    """The answers to call ``broadcast_id`` (None: not a call of these appointments)."""

    broadcast_id: int
    areas: tuple[CoordinatorArea, ...]


@dataclass(frozen=True, slots=True)
class Coordinators:
    """(who, area, invite code) of every appointment."""


@dataclass(frozen=True, slots=True)
class CoordinatedAreas:
    """(kind, code) of every area a coordinator animates: the bot's territory, whose communes a commune search
    puts before far-away namesakes."""


@dataclass(frozen=True, slots=True)
class PersonalData:
    """What else is stored about an actor (for ``/mesdonnees``)."""

    actor_id: int


@dataclass(frozen=True, slots=True)
class Impact:
    """Text, figures and CSV of an area's impact over ``period`` (:mod:`conversations.periods`: a
    number of days looked back on, or a calendar period such as ``this_year``), in ``language``."""

    area: Area | CoordinatorArea
    period: str
    language: str


@dataclass(frozen=True, slots=True)
class Invitation:
    """(inviting organisation or None, area label) of an invitation code; None if unknown or revoked."""

    code: str


@dataclass(frozen=True, slots=True)
class EmptyReason:
    """Why a call to this audience would reach nobody (None when it reaches someone)."""

    area: Area
    kinds: tuple[str, ...]
    themes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Directory:
    """``/annuaire``: every actor of a coordinator's areas, or for an actor the profiles open to
    introductions in their département (``actor`` is not part of the key: ``actor_id`` is)."""

    areas: tuple[CoordinatorArea, ...]
    actor_id: int | None
    filters: tuple[tuple[str, str], ...]
    actor: Any = field(default=None, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class EventsFor:
    """The upcoming events this actor was invited to (``/evenements``)."""

    actor_id: int


@dataclass(frozen=True, slots=True)
class OwnEvents:
    """The upcoming events these appointments published (a coordinator's own, ``/evenements``)."""

    areas: tuple[CoordinatorArea, ...]


@dataclass(frozen=True, slots=True)
class SilentActors:
    """(id, name) of the actors of these areas silent for three months, not relaunched lately."""

    areas: tuple[CoordinatorArea, ...]


@dataclass(frozen=True, slots=True)
class Calls:
    """Scheduled and recent calls of these appointments (``/appels``)."""

    areas: tuple[CoordinatorArea, ...]


@dataclass(frozen=True, slots=True)
class CallMembers:
    """(id, name, type, commune) of who answered a call of these appointments (None: not theirs)."""

    broadcast_id: int
    areas: tuple[CoordinatorArea, ...]


@dataclass(frozen=True, slots=True)
class Networks:
    """The platforms (``telegram``, ``matrix``, ``console``…) these actors can be reached on."""

    actor_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Clusters:
    """Clusters of 3+ actors on one theme and commune whose needs and offers fit (a proposed group)."""

    areas: tuple[CoordinatorArea, ...]


@dataclass(frozen=True, slots=True)
class Programmes:
    """Open company programmes in these appointments' areas."""

    areas: tuple[CoordinatorArea, ...]


@dataclass(frozen=True, slots=True)
class ProgrammeShortlist:
    """The association needs a programme fits (None: a programme outside these areas)."""

    programme_id: int
    areas: tuple[CoordinatorArea, ...]


@dataclass(frozen=True, slots=True)
class ProgrammeMatches:
    """How many association needs a programme of this company on ``theme`` would fit today."""

    company_id: int
    theme: str
    in_touch: bool = False


@dataclass(frozen=True, slots=True)
class ErasureScope:
    """What erasing this person takes besides their profile: ``{"calls": calls being delivered or
    scheduled (cancelled), "events": their events still to come, "groups": their working groups}``."""

    areas: tuple[CoordinatorArea, ...]


@dataclass(frozen=True, slots=True)
class LeftOut:
    """Why each of these actors may not be invited to a group: ``{id: "calls" | "pause"}`` (no
    coordinators' calls accepted, paused); those who may be are absent."""

    actor_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class JoinedGroups:
    """The names of the working groups actor ``actor_id`` joined (said yes to): what /supprimer makes them leave."""

    actor_id: int


@dataclass(frozen=True, slots=True)
class ListingEchoes:
    """For each listing of actor ``actor_id``: (suggestions it led to, introductions accepted from them)."""

    actor_id: int


Query = (
    AudienceSize
    | ActorsIn
    | Broadcasts
    | Answers
    | Coordinators
    | CoordinatedAreas
    | PersonalData
    | Impact
    | Invitation
    | EmptyReason
    | Directory
    | EventsFor
    | OwnEvents
    | SilentActors
    | Calls
    | CallMembers
    | Networks
    | Clusters
    | Programmes
    | ProgrammeShortlist
    | ProgrammeMatches
    | ErasureScope
    | JoinedGroups
    | LeftOut
    | ListingEchoes
)


class NeedData(Exception):
    """The step needs ``query`` read first: nothing it did counts (it is run again)."""

    def __init__(self, query: Query) -> None:
        super().__init__(type(query).__name__)
        self.query = query


@dataclass
class Loaded:
    """The :class:`conversations.model.Lookup` of a step: answers what was loaded, asks for the rest."""

    data: MutableMapping[Query, Any] = field(default_factory=dict)
    timezone: str = "Europe/Paris"
    """The time zone people's dates are read and shown in."""

    def _get(self, query: Query) -> Any:
        if query not in self.data:
            raise NeedData(query)
        return self.data[query]

    def audience_size(
        self, area: Area, kinds: tuple[str, ...], themes: tuple[str, ...], sender: int | None = None, capped: bool = True
    ) -> int:
        return int(self._get(AudienceSize(area, kinds, themes, sender, capped)))

    def actors_in(self, areas: tuple[CoordinatorArea, ...], query: str) -> list[tuple[int, str, str, str]]:
        return list(self._get(ActorsIn(areas, query)))

    def broadcasts(self, areas: tuple[CoordinatorArea, ...]) -> list[tuple[int, str, str, int, int]]:
        return [tuple(row[:5]) for row in self._get(Broadcasts(areas))]

    def deliveries(self, areas: tuple[CoordinatorArea, ...]) -> dict[int, Delivery]:
        return {int(row[0]): Delivery(str(row[5]), *(int(n) for n in row[6:10])) for row in self._get(Broadcasts(areas))}

    def answers(self, broadcast_id: int, areas: tuple[CoordinatorArea, ...]) -> list[tuple[str, str, str, str, str]] | None:
        found = self._get(Answers(broadcast_id, areas))
        return None if found is None else list(found)

    def coordinators(self) -> list[tuple[str, str, str]]:
        return list(self._get(Coordinators()))

    def coordinated_areas(self) -> list[tuple[str, str]]:
        return [(str(kind), str(code)) for kind, code in self._get(CoordinatedAreas())]

    def personal_data(self, actor_id: int) -> dict[str, Any]:
        return dict(self._get(PersonalData(actor_id)))

    def impact(self, area: Area | CoordinatorArea, period: str, language: str) -> tuple[str, Any, bytes]:
        text, figures, csv_bytes = self._get(Impact(area, period, language))
        return text, figures, csv_bytes

    def invitation(self, code: str) -> tuple[str | None, str] | None:
        found = self._get(Invitation(code))
        return None if found is None else (found[0], found[1])

    def empty_reason(self, area: Area, kinds: tuple[str, ...], themes: tuple[str, ...]) -> str | None:
        found = self._get(EmptyReason(area, kinds, themes))
        return None if found is None else str(found)

    def directory(self, areas: tuple[CoordinatorArea, ...], actor: Any, filters: tuple[tuple[str, str], ...]) -> list[Any]:
        return list(self._get(Directory(areas, getattr(actor, "id", None), filters, actor)))

    def events_for(self, actor_id: int) -> list[Any]:
        return list(self._get(EventsFor(actor_id)))

    def own_events(self, areas: tuple[CoordinatorArea, ...]) -> list[Any]:
        return list(self._get(OwnEvents(areas)))

    def silent_actors(self, areas: tuple[CoordinatorArea, ...]) -> list[tuple[int, str]]:
        return list(self._get(SilentActors(areas)))

    def calls(self, areas: tuple[CoordinatorArea, ...]) -> list[Any]:
        return list(self._get(Calls(areas)))

    def call_members(self, broadcast_id: int, areas: tuple[CoordinatorArea, ...]) -> list[tuple[int, str, str, str]] | None:
        found = self._get(CallMembers(broadcast_id, areas))
        return None if found is None else list(found)

    def clusters(self, areas: tuple[CoordinatorArea, ...]) -> list[dict[str, Any]]:
        return list(self._get(Clusters(areas)))

    def networks(self, actor_ids: tuple[int, ...]) -> frozenset[str]:
        return frozenset(self._get(Networks(tuple(sorted(actor_ids)))))

    def programmes(self, areas: tuple[CoordinatorArea, ...]) -> list[tuple[int, str, str, int, str]]:
        return list(self._get(Programmes(areas)))

    def programme_shortlist(self, programme_id: int, areas: tuple[CoordinatorArea, ...]) -> list[dict[str, Any]] | None:
        found = self._get(ProgrammeShortlist(programme_id, areas))
        return None if found is None else list(found)

    def programme_matches(self, company_id: int, theme: str, in_touch: bool = False) -> int:
        return int(self._get(ProgrammeMatches(company_id, theme, in_touch)))

    def erasure_scope(self, areas: tuple[CoordinatorArea, ...]) -> dict[str, int]:
        return dict(self._get(ErasureScope(areas)))

    def joined_groups(self, actor_id: int) -> list[str]:
        return list(self._get(JoinedGroups(actor_id)))

    def left_out(self, actor_ids: tuple[int, ...]) -> dict[int, str]:
        return dict(self._get(LeftOut(tuple(sorted(actor_ids)))))

    def listing_echoes(self, actor_id: int) -> dict[int, tuple[int, int]]:
        return {int(key): (int(value[0]), int(value[1])) for key, value in dict(self._get(ListingEchoes(actor_id))).items()}
