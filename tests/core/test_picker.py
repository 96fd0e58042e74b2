"""The shared actor picker (conversations/picker.py) used by /recommander and /presenter: the
search, the refusal when nothing matches, and a single match taken without a question."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from conversations.engine import Finish, Flow, UserInput
from conversations.lookup import ActorsIn, Loaded
from conversations.model import Context, Identity, Session
from conversations.picker import ActorPicker, actor_label
from conversations.router import advance
from core.model import CoordinatorArea

AREA = (CoordinatorArea(1, "commune", "69266", "Villeurbanne (69)"),)
ROWS = {
    "tonkin": [(1, "Asso du Tonkin", "association", "Villeurbanne (69)")],
    "asso": [(1, "Asso du Tonkin", "association", "Villeurbanne (69)"), (2, "Asso des Buers", "association", "Villeurbanne (69)")],
    "zzz": [],
}
PICKER = ActorPicker(lambda context: AREA, none_found="introduce.none_found", pick="introduce.pick")
FLOW = Flow(
    "pick_test",
    {**PICKER.steps("first", "introduce.first", then=None)},
    first="first_query",
    finish=lambda data, context: Finish(message="introduce.sent", params={"first": data["first"], "second": ""}),
    requires_actor=False,
)


def context() -> Context:
    lookup = Loaded({ActorsIn(AREA, query): rows for query, rows in ROWS.items()})
    return Context(
        now=datetime(2026, 11, 30, tzinfo=UTC),
        identity=Identity("test", "marie"),
        actor=None,
        listings=(),
        default_language="fr",
        territories=None,  # type: ignore[arg-type]
        areas=AREA,
        lookup=lookup,
    )


def run(*typed: str) -> Any:
    session = Session(language="fr", flow="pick_test", step="first_query", prompt_seq=1)
    result = None
    for text in typed:
        result = advance(session, UserInput(text=text), context(), {"pick_test": FLOW, **_menu()})
        session = result.session
    return result


def _menu() -> dict[str, Flow]:
    from conversations.flows import FLOWS

    return {"menu": FLOWS["menu"]}


def test_several_matches_are_listed_by_name() -> None:
    result = run("asso")
    assert result.session.step == "first"
    labels = [c.label for c in result.replies[-1].choices]
    assert labels[:2] == [
        actor_label("Asso du Tonkin", "association", "Villeurbanne (69)", "fr"),
        "Asso des Buers (Association, Villeurbanne (69))",
    ]


def test_a_single_match_is_taken_and_named() -> None:
    result = run("tonkin")
    texts = [r.text for r in result.replies]
    assert any("mise en relation à 1 ;" in text for text in texts), texts  # the flow went on with actor 1
    assert "C'est noté : Asso du Tonkin (Association, Villeurbanne (69))." in texts


def test_no_match_is_refused_and_the_name_asked_again() -> None:
    result = run("zzz")
    assert result.session.step == "first_query" and not result.accepted


def test_the_language_is_the_profiles_else_the_conversations_when_asked_else_the_default() -> None:
    """:func:`conversations.model.language_of`, the one reading of "which language" every flow uses."""
    from dataclasses import replace

    from conversations.model import ActorView, Place, language_of

    english = replace(context(), default_language="en")
    assert language_of(english) == "en"
    assert language_of(english, Session(language="fr")) == "fr"  # a coordinator without a profile chose French
    assert language_of(english, Session()) == "en"
    assert language_of(replace(english, default_language="")) == "fr"
    profile = ActorView(
        1, "association", "Asso", Place("69266", "Villeurbanne"), (), None, None, None, None, True, True, "de", "weekly", False, False, ""
    )
    with_profile = replace(english, actor=profile)
    assert language_of(with_profile) == language_of(with_profile, Session(language="fr")) == "de"
