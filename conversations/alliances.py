"""Alliances beyond pairs, the conversation side: what a collaboration launched (after a
follow-up's "launched"), and ``/recommander`` (an actor suggests that two actors they know
meet). Pure: the flows read what the runtime loaded (``context.lookup``) and end with effects
that :mod:`services.alliances` carries out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conversations.engine import Finish, Flow, Option, Step
from conversations.model import Context, Session
from conversations.picker import ActorPicker
from conversations.programmes import PROGRAMME_FLOWS, DeclareProgramme
from core import catalog
from core.model import CoordinatorArea

OUTCOME_DECISIONS: frozenset[str] = frozenset({"followup", "groupfollowup"})
"""Decisions whose "launched" answer goes on with the :data:`OUTCOME` flow."""
STORY_MAX = 200


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What a launched collaboration produced (``token``: the follow-up answered), and its story."""

    token: str
    kinds: tuple[str, ...]
    story: str | None
    shared: bool


@dataclass(frozen=True, slots=True)
class RecommendMeeting:
    """An actor suggests that ``first`` and ``second`` meet (double opt-in, their name shown)."""

    first: int
    second: int
    why: str | None = None


Reach = CoordinatorArea
"""The area an actor may recommend within (their département), shaped like a coordinator's area."""


# ---------------------------------------------------------------- what a collaboration launched


def _finish_outcome(data: Mapping[str, Any], _: Context) -> Finish:
    story = " ".join(str(data.get("story") or "").split()) or None
    shared = story is not None and data.get("share") == "yes"
    effect = RecordOutcome(str(data["token"]), tuple(data.get("what") or ()), story, shared)
    return Finish(message="outcome.thanks_shared" if shared else "outcome.thanks", effects=(effect,))


OUTCOME = Flow(
    "outcome",
    {
        "what": Step(
            "what",
            "multi",
            "outcome.what",
            next="story",
            options=tuple(Option(kind, key=f"outcome.kind.{kind}") for kind in catalog.OUTCOME_KINDS),
        ),
        "story": Step(
            "story",
            "text",
            "outcome.story",
            next=lambda data: "share" if data.get("story") else None,
            skippable=True,
            min_length=3,
            max_length=STORY_MAX,
            announce_limit=True,
        ),
        "share": Step(
            "share",
            "choice",
            "outcome.share",
            next=None,
            options=(Option("yes", key="outcome.share_yes"), Option("no", key="outcome.share_no")),
        ),
    },
    first="what",
    finish=_finish_outcome,
)


# ---------------------------------------------------------------- /recommander


def reach_of(context: Context) -> tuple[Reach, ...]:
    """Where the actor may recommend: their département (their commune when it has none)."""
    actor = context.actor
    if actor is None:
        return ()
    place = actor.place
    if place.departement:
        return (Reach(0, "departement", place.departement, place.departement_name or place.departement),)
    return (Reach(0, "commune", place.code, place.label),)


PICKER = ActorPicker(reach_of, none_found="recommend.none_found", pick="recommend.pick")


def _check_first(value: Any, _: Session, context: Context) -> str | None:
    return "recommend.self" if context.actor is not None and str(value) == str(context.actor.id) else None


def _check_second(value: Any, session: Session, context: Context) -> str | None:
    if context.actor is not None and str(value) == str(context.actor.id):
        return "recommend.self"
    return "recommend.same" if str(value) == str(session.data.get("first")) else None


def _finish_recommend(data: Mapping[str, Any], _: Context) -> Finish:
    why = " ".join(str(data.get("why") or "").split()) or None
    return Finish(effects=(RecommendMeeting(int(data["first"]), int(data["second"]), why),))


RECOMMEND = Flow(
    "recommend",
    {
        **PICKER.steps("first", "recommend.first", then="second_query", check=_check_first),
        **PICKER.steps("second", "recommend.second", then="why", check=_check_second),
        "why": Step("why", "text", "recommend.why", next=None, skippable=True, min_length=3, max_length=STORY_MAX, announce_limit=True),
    },
    first="first_query",
    finish=_finish_recommend,
)

ALLIANCE_FLOWS: dict[str, Flow] = {flow.id: flow for flow in (OUTCOME, RECOMMEND)} | PROGRAMME_FLOWS
ACTOR_COMMANDS: dict[str, str] = {"recommander": "recommend", "programme": "programme"}
ALLIANCE_EFFECTS = (RecordOutcome, RecommendMeeting, DeclareProgramme)
"""Effects of an actor, applied by :func:`services.alliances.apply`."""
