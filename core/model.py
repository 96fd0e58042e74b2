"""Plain data every layer shares: a person's session, their identity, snapshots of an actor and
a listing, places and coordinators' areas. No logic beyond (de)serialisation; imports nothing
of the project."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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
    """A flow left half-way (its step, answers and history), offered for resuming: the first of the drafts kept."""
    later_drafts: tuple[dict[str, Any], ...] = ()
    """The drafts kept after ``draft``, in order: each one offered once the one before is dealt with."""
    language_chosen: bool = False
    """``language`` was chosen in ``/reglages`` by someone without a profile (a coordinator): kept
    whatever language they type in afterwards (the profile's language plays that role for others).
    An explicit request in a message ("en français svp", "English please") chooses it too."""
    language_settled: bool = False
    """``language`` was shown by the person (a message in it, an answer to a question asked in it):
    from then on it is sticky (see :func:`conversations.router.advance`)."""

    @property
    def drafts(self) -> tuple[dict[str, Any], ...]:
        """Every draft kept, in order (``draft`` first)."""
        return (self.draft, *self.later_drafts) if self.draft else self.later_drafts

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
            **({"drafts": list(self.drafts)} if self.drafts else {}),
            **({"language_chosen": True} if self.language_chosen else {}),
            **({"language_settled": True} if self.language_settled else {}),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Session:
        """Rebuild a session written by :meth:`to_json` (unknown keys ignored); a session stored with a
        single ``draft`` (before several were kept) reads as that one draft."""
        drafts = [draft for draft in raw.get("drafts") or (raw.get("draft"),) if draft]
        return cls(
            language=raw.get("language"),
            flow=raw.get("flow"),
            step=raw.get("step"),
            data=dict(raw.get("data") or {}),
            history=tuple(raw.get("history") or ()),
            prompt_seq=int(raw.get("prompt_seq") or 0),
            invite=raw.get("invite"),
            draft=drafts[0] if drafts else None,
            later_drafts=tuple(drafts[1:]),
            language_chosen=bool(raw.get("language_chosen")),
            language_settled=bool(raw.get("language_settled")),
        )

    def evolve(self, **changes: Any) -> Session:
        """A copy with ``changes`` applied (an unknown name raises TypeError, as with ``dataclasses.replace``);
        ``draft=None`` alone lets the next of the drafts kept come first."""
        # built directly: ``replace`` inspects the fields at every call (a step evolves its session 2-3 times)
        values: dict[str, Any] = {
            "language": self.language,
            "flow": self.flow,
            "step": self.step,
            "data": self.data,
            "history": self.history,
            "prompt_seq": self.prompt_seq,
            "invite": self.invite,
            "draft": self.draft,
            "later_drafts": self.later_drafts,
            "language_chosen": self.language_chosen,
            "language_settled": self.language_settled,
        }
        values.update(changes)
        if values["draft"] is None and values["later_drafts"] and "later_drafts" not in changes:
            # the first draft dealt with (taken up, dropped): the next one kept comes first
            values["draft"], values["later_drafts"] = values["later_drafts"][0], values["later_drafts"][1:]
        return Session(**values)


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
    paused_until: str | None = None
    """When a pause given an end (« /pause jusqu'au 15 janvier ») ends, ISO UTC; None: until /reprendre."""
    early_alerts: bool = True
    """A strong new offer answering an open need is told at once, before the next digest (/reglages)."""


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


@dataclass(frozen=True, slots=True)
class Area:
    """A territory a coordinator animates (or a broadcast targets)."""

    kind: str
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class CoordinatorArea:
    """An appointment as the conversations see it (an :class:`Area` with its appointment id)."""

    id: int
    kind: str
    code: str
    label: str
    weekly_todo: bool = True
    """Whether the coordinator receives the weekly to-do (``/reglages``)."""
