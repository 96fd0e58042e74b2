"""Plain data the engine reads and writes: session state, snapshots of stored data, effects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from core.model import ActorView, Area, CoordinatorArea, Identity, ListingView, Place, Session
from core.types import Reply

__all__ = [  # the shared data types live in core.model; the engine's own are below
    "ActorView",
    "Area",
    "CoordinatorArea",
    "Identity",
    "ListingView",
    "Place",
    "Session",
]


class Territories(Protocol):
    """What the conversations need from the territory resolver (see :mod:`territories`)."""

    def resolve(self, text: str, limit: int = 8) -> list[Any]: ...

    def commune(self, code: str) -> Any | None: ...


@dataclass(frozen=True, slots=True)
class Context:
    """Everything the engine may read, loaded before a step: it does no I/O itself."""

    now: datetime
    identity: Identity
    actor: ActorView | None
    listings: tuple[ListingView, ...]
    default_language: str
    territories: Territories
    is_admin: bool = False
    decisions: tuple[Any, ...] = ()
    """Open decisions (:class:`conversations.decisions.DecisionView`) of the actor."""
    areas: tuple[CoordinatorArea, ...] = ()
    """The territories this person coordinates; empty: not a coordinator."""
    invite: dict[str, Any] | None = None
    """The coordinator invitation this person came with: its commune candidate, if any."""
    invite_area: tuple[str, str] | None = None
    """(kind, code) of the intercommunalité or département of an invitation: the commune the
    person types is looked for inside it first."""
    lookup: Lookup | None = None
    """Read-only queries for coordinator flows (counts, searches, answers, figures)."""


def language_of(context: Context, session: Session | None = None) -> str:
    """The language of the person in the conversation: their profile's; without a profile, the
    one chosen in the conversation (when ``session`` is given: a coordinator without a profile),
    else the bot's default."""
    if context.actor:
        return context.actor.language
    return (session.language if session is not None else None) or context.default_language or "fr"


class Lookup(Protocol):
    """Read-only questions the coordinator flows ask during a step, answered from data loaded
    beforehand (see :class:`conversations.lookup.Loaded`)."""

    def audience_size(
        self, area: Area, kinds: tuple[str, ...], themes: tuple[str, ...], sender: int | None = None, capped: bool = True
    ) -> int: ...

    def actors_in(self, areas: tuple[CoordinatorArea, ...], query: str) -> list[tuple[int, str, str, str]]: ...

    def broadcasts(self, areas: tuple[CoordinatorArea, ...]) -> list[tuple[int, str, str, int, int]]: ...

    def deliveries(self, areas: tuple[CoordinatorArea, ...]) -> dict[int, Any]:
        """How far each of those calls was delivered, by id (:class:`conversations.lookup.Delivery`)."""
        ...

    def answers(self, broadcast_id: int, areas: tuple[CoordinatorArea, ...]) -> list[tuple[str, str, str, str, str]] | None: ...

    def coordinators(self) -> list[tuple[str, str, str]]: ...

    def coordinated_areas(self) -> list[tuple[str, str]]: ...

    def personal_data(self, actor_id: int) -> dict[str, Any]: ...

    def impact(self, area: Area | CoordinatorArea, period: str, language: str) -> tuple[str, Any, bytes]:
        """Text, figures and CSV of an area's impact over ``period`` (:mod:`conversations.periods`)."""
        ...

    def invitation(self, code: str) -> tuple[str | None, str] | None:
        """(inviting organisation or None, area label) for an invitation code; None if unknown or revoked."""
        ...

    def empty_reason(self, area: Area, kinds: tuple[str, ...], themes: tuple[str, ...]) -> str | None:
        """Why a call to this audience would reach nobody (consent, cap, pause, nobody of that type/theme)."""
        ...

    def directory(self, areas: tuple[CoordinatorArea, ...], actor: Any, filters: tuple[tuple[str, str], ...]) -> list[Any]:
        """``/annuaire`` entries."""
        ...

    def own_events(self, areas: tuple[CoordinatorArea, ...]) -> list[Any]:
        """Upcoming events these appointments published (a coordinator's own)."""
        ...

    def events_for(self, actor_id: int) -> list[Any]:
        """Upcoming events the actor was invited to."""
        ...

    def silent_actors(self, areas: tuple[CoordinatorArea, ...]) -> list[tuple[int, str]]:
        """Actors silent for three months (``/relancer``)."""
        ...

    def calls(self, areas: tuple[CoordinatorArea, ...]) -> list[Any]:
        """Scheduled and recent calls (``/appels``)."""
        ...

    def call_members(self, broadcast_id: int, areas: tuple[CoordinatorArea, ...]) -> list[tuple[int, str, str, str]] | None:
        """Who answered a call of these appointments (``/groupe``); None: not theirs."""
        ...

    def networks(self, actor_ids: tuple[int, ...]) -> frozenset[str]:
        """The platforms these actors can be reached on (``/groupe`` asks only what they need)."""
        ...

    def clusters(self, areas: tuple[CoordinatorArea, ...]) -> list[dict[str, Any]]:
        """Groups the bot proposes (``/groupe``)."""
        ...

    def programmes(self, areas: tuple[CoordinatorArea, ...]) -> list[tuple[int, str, str, int, str]]:
        """Open company programmes (``/programmes``)."""
        ...

    def programme_shortlist(self, programme_id: int, areas: tuple[CoordinatorArea, ...]) -> list[dict[str, Any]] | None:
        """The association needs a programme fits; None: outside these areas."""
        ...

    def programme_matches(self, company_id: int, theme: str, in_touch: bool = False) -> int:
        """How many association needs a programme of this company on ``theme`` would fit (``/programme``);
        ``in_touch``: how many associations that would fit are already in touch with the company."""
        ...

    def erasure_scope(self, areas: tuple[CoordinatorArea, ...]) -> dict[str, int]:
        """A coordinator's calls, events and groups that erasing their data touches (``/supprimer``)."""
        ...

    def joined_groups(self, actor_id: int) -> list[str]:
        """The names of the working groups the actor joined: erasing their data makes them leave (``/supprimer``)."""
        ...

    def left_out(self, actor_ids: tuple[int, ...]) -> dict[int, str]:
        """Which of these actors a group may not invite, and why (``"calls"``: no calls accepted, ``"pause"``)."""
        ...

    def listing_echoes(self, actor_id: int) -> dict[int, tuple[int, int]]:
        """For each listing of the actor: (suggestions it led to, introductions accepted from them)."""
        ...

    @property
    def timezone(self) -> str:
        """The time zone people's dates are read and shown in."""
        ...


# Effects: what a step asks storage to change, applied in the same transaction as the state.


@dataclass(frozen=True, slots=True)
class CreateActor:
    """Create the actor's profile from the onboarding answers and link the identity to it."""

    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class UpdateActor:
    """Change some fields of the actor's profile."""

    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class DeleteActor:
    """Delete the actor, its listings, identities, sessions and pending messages."""


@dataclass(frozen=True, slots=True)
class CreateListing:
    """Store a new need or offer."""

    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class UpdateListing:
    """Change some fields of one of the actor's listings."""

    listing_id: int
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Decide:
    """Answer an open decision (a suggestion, an introduction request, a follow-up, a renewal)."""

    token: str
    value: str


@dataclass(frozen=True, slots=True)
class TakeBack:
    """Take back a no the actor gave to an introduction request (« je me suis trompée, oui pour la mairie
    finalement »): ``hint``, the words naming whom (empty: their latest no)."""

    hint: str


@dataclass(frozen=True, slots=True)
class AddCoordinator:
    """An admin appoints ``platform:user_id`` coordinator of an area."""

    platform: str
    user_id: str
    area: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RemoveCoordinator:
    """An admin removes every appointment of ``platform:user_id``."""

    platform: str
    user_id: str


@dataclass(frozen=True, slots=True)
class StartBroadcast:
    """A coordinator sends a call to the actors of an area who agreed to receive calls."""

    area: dict[str, Any]
    kinds: tuple[str, ...]
    themes: tuple[str, ...]
    message: str
    mode: str
    send_at: str | None = None
    """ISO UTC time to send it at (a scheduled call); None: now."""


@dataclass(frozen=True, slots=True)
class ProposeIntroduction:
    """A coordinator suggests two actors of their territory to each other (double opt-in)."""

    first: int
    second: int
    why: str | None = None
    """The coordinator's one-line reason, shown to both (None: skipped)."""


@dataclass(frozen=True, slots=True)
class MarkAnswersRead:
    """A coordinator read the answers to their call (``/reponses``): they are not forwarded again."""

    broadcast_id: int


@dataclass(frozen=True, slots=True)
class AddToCallAnswer:
    """Add ``text`` to the actor's answer to call ``broadcast_id`` (more of that answer, typed just after it), or
    take it back out (``remove``: it was a listing after all); the coordinator is sent the answer again."""

    broadcast_id: int
    text: str
    remove: bool = False


CoreEffect = (
    CreateActor
    | UpdateActor
    | DeleteActor
    | CreateListing
    | UpdateListing
    | Decide
    | TakeBack
    | AddCoordinator
    | RemoveCoordinator
    | StartBroadcast
    | ProposeIntroduction
    | MarkAnswersRead
    | AddToCallAnswer
)
Effect = object
"""An effect: one of :data:`CoreEffect`, or one a feature module declares beside its flows (calls,
to-do, directory, events, groups…); the runtime dispatches on the type."""


@dataclass(frozen=True, slots=True)
class StepResult:
    """What one step produced: the new session, replies to send, effects to store."""

    session: Session
    replies: tuple[Reply, ...]
    effects: tuple[Effect, ...] = ()
    accepted: bool = True
    next_question: int | None = None
    """Once the effects are stored, show the next waiting question (the value: how many were
    answered in a row, for its "2/3"); None: the replies already end with the right question."""
