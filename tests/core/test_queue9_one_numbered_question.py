"""Queue9 (1 December): one numbered question on screen at a time.

On opening the console a person was shown « 📌 1/5 · 👋 … aimerait être mis en relation… 1. Oui
2. Non » and right after an event's invitation « 1. Je m'inscris 2. Pas intéressé·e »: typing ``1``
signed her up for the event, not the introduction she was reading. An invitation reaching someone
on a question (a decision shown, a flow's step) now comes without its numbers nor prompt — a typed
number answers the question being read — and says so; idle, it keeps its numbers (they answer it).
"""

from __future__ import annotations

import pytest

from core.types import Reply
from tests.backends import connect
from tests.core.people import Person
from tests.core.test_event_wish_at_a_question import _event_published, registered
from tests.core.test_suggestions import clock, introduction_asked, last_decision, press_decision, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends

INVITES = {"fr": "vous invite", "en": "invites you"}
NOTE = {"fr": "répondent toujours à la question en cours", "en": "still answer the current question"}


async def _english(bob: Person) -> None:
    await bob.say("/settings")
    await bob.say("language")
    await bob.say("English")


def _invitation(bob: Person, language: str) -> Reply:
    return next(reply for reply in reversed(bob.adapter.replies_to("bob")) if INVITES[language] in reply.text)


def _shown_last(bob: Person) -> str | None:
    """The prompt a console window sends with a typed line: the last one it printed."""
    return next((reply.prompt_id for reply in reversed(bob.adapter.replies_to("bob")) if reply.prompt_id), None)


async def _request(bob: Person, language: str) -> Reply:
    """Bob puts his own suggestion about alice aside (« Plus tard »): her request becomes his question."""
    await press_decision(bob, last_decision(bob.adapter, "bob"), "Plus tard" if language == "fr" else "Later")
    request = bob.question
    assert request.prompt_id and request.prompt_id.startswith("I"), request
    return request


def _introduction(app) -> str:  # type: ignore[no-untyped-def]
    with connect(app.config.db) as conn:
        return str(conn.execute("SELECT status FROM introductions ORDER BY id DESC LIMIT 1").fetchone()[0])


def _event_status(app) -> str:  # type: ignore[no-untyped-def]
    with connect(app.config.db) as conn:
        return str(conn.execute("SELECT status FROM event_people ORDER BY event_id DESC LIMIT 1").fetchone()[0])


@pytest.mark.parametrize(
    ("language", "typed", "introduction"),
    [
        ("fr", "1", "accepted"),
        ("fr", "2", "declined"),
        ("fr", " 1 ", "accepted"),
        ("en", "1", "accepted"),
        ("en", "2", "declined"),
    ],
)
async def test_a_number_typed_under_an_introduction_answers_it_not_the_invitation(
    two_sides,
    language: str,
    typed: str,
    introduction: str,  # type: ignore[no-untyped-def]
) -> None:
    app, alice, bob = two_sides
    if language == "en":
        await _english(bob)
    await introduction_asked(app, alice)
    request = await _request(bob, language)
    await _event_published(app, Person(app.runtime, alice.adapter, "marie"))
    invitation = _invitation(bob, language)
    assert not invitation.choices and invitation.prompt_id is None, invitation  # no second numbered list
    assert NOTE[language] in invitation.text and ("/evenements" in invitation.text or "/events" in invitation.text), invitation.text
    assert _shown_last(bob) == request.prompt_id
    await bob.say(typed, prompt_id=_shown_last(bob))
    assert _introduction(app) == introduction, bob.text()
    assert registered(app) == 0 and _event_status(app) == "invited", bob.text()


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_a_number_typed_inside_a_flow_answers_its_step_not_the_invitation(two_sides, language: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    if language == "en":
        await _english(bob)
    await bob.say("/profil" if language == "fr" else "/profile")
    asked = bob.question
    await _event_published(app, Person(app.runtime, alice.adapter, "marie"))
    invitation = _invitation(bob, language)
    assert not invitation.choices and invitation.prompt_id is None and NOTE[language] in invitation.text, invitation
    assert _shown_last(bob) == asked.prompt_id
    await bob.say("1", prompt_id=_shown_last(bob))
    assert registered(app) == 0 and _event_status(app) == "invited", bob.text()
    assert bob.question.prompt_id != asked.prompt_id, bob.text()  # /profil's first option was taken


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_an_invitation_to_someone_answering_nothing_keeps_its_numbers(two_sides, language: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    if language == "en":
        await _english(bob)
    await _event_published(app, Person(app.runtime, alice.adapter, "marie"))
    invitation = _invitation(bob, language)
    assert len(invitation.choices) == 2 and invitation.prompt_id and NOTE[language] not in invitation.text, invitation
    await bob.say("1", prompt_id=_shown_last(bob))
    assert registered(app) == 1, bob.text()
