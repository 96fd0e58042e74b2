"""Plain data the engine reads and writes: session state, snapshots of stored data, effects."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from core.types import Reply


@dataclass(frozen=True, slots=True)
class Session:
    """Where a person is in a conversation; serialised to JSON after every step."""

    language: str | None = None
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    history: tuple[str, ...] = ()
    prompt_seq: int = 0
    invite: str | None = None
    draft: dict[str, Any] | None = None
    """A flow left half-way (its step, answers and history), offered for resuming."""

    @property
    def prompt_id(self) -> str:
        """Identifier of the question currently asked (checked against button presses)."""
        return _base36(self.prompt_seq)

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        # Not dataclasses.asdict: its recursive deep copy was ~1/4 of a step's CPU time on the
        # database thread (the dict is serialised right away; ``data`` holds JSON values only).
        return {
            "language": self.language,
            "flow": self.flow,
            "step": self.step,
            "data": dict(self.data),
            "history": list(self.history),
            "prompt_seq": self.prompt_seq,
            "invite": self.invite,
            **({"draft": self.draft} if self.draft else {}),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Session:
        """Rebuild a session written by :meth:`to_json` (unknown keys ignored)."""
        return cls(
            language=raw.get("language"),
            flow=raw.get("flow"),
            step=raw.get("step"),
            data=dict(raw.get("data") or {}),
            history=tuple(raw.get("history") or ()),
            prompt_seq=int(raw.get("prompt_seq") or 0),
            invite=raw.get("invite"),
            draft=raw.get("draft") or None,
        )

    def evolve(self, **changes: Any) -> Session:
        """A copy with ``changes`` applied."""
        return replace(self, **changes)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if number == 0:
        return "0"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved territory as stored with an actor or a listing."""

    code: str
    label: str
    kind: str = "commune"
    epci: str | None = None
    epci_name: str | None = None
    departement: str | None = None
    departement_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Place:
        """Rebuild a place written by :meth:`to_json`."""
        return cls(**{k: raw.get(k) for k in cls.__dataclass_fields__})  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class ActorView:
    """A read-only snapshot of an actor's profile."""

    id: int
    kind: str
    name: str
    place: Place
    themes: tuple[str, ...]
    description: str | None
    contact_handle: str | None
    contact_email: str | None
    contact_phone: str | None
    consent_matching: bool
    consent_calls: bool
    language: str
    frequency: str
    paused: bool
    unreachable: bool
    created_at: str


@dataclass(frozen=True, slots=True)
class ListingView:
    """A read-only snapshot of a need or an offer."""

    id: int
    kind: str
    category: str
    subcategory: str | None
    themes: tuple[str, ...]
    description: str
    zone_kind: str
    zone_code: str
    zone_label: str
    radius_km: int | None
    expires_at: str
    status: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is writing, as the platform tells it."""

    platform: str
    user_id: str
    display_name: str | None = None
    handle: str | None = None
    language_code: str | None = None


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
    areas: tuple[Any, ...] = ()
    """The territories this person coordinates (:class:`storage.coordination.Area`); empty: not a coordinator."""
    invite: dict[str, Any] | None = None
    """The coordinator invitation this person came with: its commune candidate, if any."""
    invite_area: tuple[str, str] | None = None
    """(kind, code) of the intercommunalité or département of an invitation: the commune the
    person types is looked for inside it first."""
    lookup: Lookup | None = None
    """Read-only queries for coordinator flows (counts, searches, answers, figures)."""


class Lookup(Protocol):
    """Read-only questions the coordinator flows ask storage during a step (no writes)."""

    def audience_size(self, area: Any, kinds: tuple[str, ...], themes: tuple[str, ...]) -> int: ...

    def actors_in(self, areas: tuple[Any, ...], query: str) -> list[tuple[int, str, str, str]]: ...

    def broadcasts(self, areas: tuple[Any, ...]) -> list[tuple[int, str, str, int]]: ...

    def answers(self, broadcast_id: int, areas: tuple[Any, ...]) -> list[tuple[str, str, str, str, str]] | None: ...

    def coordinators(self) -> list[tuple[str, str, str]]: ...

    def personal_data(self, actor_id: int) -> dict[str, Any]: ...

    def impact(self, area: Any, days: int, language: str) -> tuple[str, Any, bytes]: ...

    def invitation(self, code: str) -> tuple[str | None, str] | None:
        """(inviting organisation or None, area label) for an invitation code; None if unknown or revoked."""
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


@dataclass(frozen=True, slots=True)
class MarkAnswersRead:
    """A coordinator read the answers to their call (``/reponses``): they are not forwarded again."""

    broadcast_id: int


Effect = (
    CreateActor
    | UpdateActor
    | DeleteActor
    | CreateListing
    | UpdateListing
    | Decide
    | AddCoordinator
    | RemoveCoordinator
    | StartBroadcast
    | ProposeIntroduction
    | MarkAnswersRead
)


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
