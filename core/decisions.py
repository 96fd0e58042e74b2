"""Decisions (questions asked outside a flow) as data: their tokens (``S12``: suggestion 12,
``I5``: introduction 5, ``F5``: follow-up of introduction 5, ``R7``: renewal of listing 7,
``B3``: call 3, ``E4``: invitation to event 4) and the open decision as loaded from storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

CALL_ANSWER_WINDOW = timedelta(days=30)
"""How long a coordinator's call can still be answered (and stays in ``/appels`` while awaited)."""

TOKEN_KINDS = {
    "S": "suggestion",
    "I": "introduction",
    "F": "followup",
    "R": "renewal",
    "B": "broadcast",
    "G": "group",  # an invitation to join a working group
    "H": "groupfollowup",  # what the group produced (3 weeks, 3 months)
    "E": "event",  # an invitation to a coordinator's event, not answered yet
}


def is_token(prompt_id: str | None) -> bool:
    """Whether a prompt id designates a decision rather than a flow question."""
    return bool(prompt_id) and prompt_id[0] in TOKEN_KINDS and prompt_id[1:].isdigit()  # type: ignore[index]


def token(kind: str, ref_id: int) -> str:
    """The token of decision ``kind`` about row ``ref_id``."""
    prefix = next(p for p, k in TOKEN_KINDS.items() if k == kind)
    return f"{prefix}{ref_id}"


@dataclass(frozen=True, slots=True)
class OtherActor:
    """What may be shown of another actor before both sides agreed (never their contact)."""

    name: str
    kind: str
    place: str
    description: str | None = None
    themes: tuple[str, ...] = ()
    """Their themes, when loaded (what an introduction request shows without open listings)."""
    listings: tuple[tuple[str, str, str], ...] = ()
    """Their open listings as (need/offer, category, description), when loaded."""


@dataclass(frozen=True, slots=True)
class DecisionView:
    """An open decision of the person, as loaded from storage."""

    token: str
    kind: str
    other: OtherActor | None = None
    reasons: tuple[tuple[str, dict[str, Any]], ...] = ()
    listing_text: str | None = None
    expires: str | None = None
    reminder: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    other_id: int | None = None
    """The other actor's id, when the decision is about one (a suggestion, an introduction request)."""
    my_listing_text: str | None = None
    """A suggestion's own listing, its description as it is now (``listing_text``: the other side's)."""
