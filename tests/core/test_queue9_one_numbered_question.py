"""Queue9 (1 December): one numbered question on screen at a time.

On opening the console a person was shown « 📌 1/5 · 👋 … aimerait être mis en relation… 1. Oui
2. Non » and right after an event's invitation « 1. Je m'inscris 2. Pas intéressé·e »: typing ``1``
signed her up for the event, not the introduction she was reading. An invitation reaching someone
on a question (a decision shown, a flow's step) now comes without its numbers nor prompt — a typed
number answers the question being read — and says so; idle, it keeps its numbers (they answer it).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.app import App
from bot.config import Config
from core.clock import iso, utcnow
from core.types import Reply
from storage import coordination
from tests.backends import connect
from tests.core.people import Person, RecordingAdapter
from tests.core.test_coordination import METROPOLE_LYON
from tests.core.test_event_wish_at_a_question import _event_published, registered
from tests.core.test_queue import Window, company
from tests.core.test_suggestions import clock, declare, introduction_asked, last_decision, press_decision, two_sides  # noqa: F401  (fixtures)

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


# ---------------------------------------------------------------- the console, as the tester opened it


async def test_opening_the_console_a_typed_1_answers_the_introduction_not_the_invitation(db_path, territories, clock) -> None:  # type: ignore[no-untyped-def]
    """The defect as seen: bob's introduction request is his current question and an invitation waits
    in the outbox; he opens the console: « 📌 … aimerait être mis en relation… », then the invitation
    without numbers; « 1 » accepts the introduction."""
    tg, console = RecordingAdapter(platform="tg"), RecordingAdapter(platform="console")
    setup = await App.open(Config(db=str(db_path)), adapters=[tg, console], territories=territories, clock=clock)
    setup.run_jobs = False
    await setup.start()
    alice, bob = Person(setup.runtime, console, "alice"), Person(setup.runtime, console, "bob")
    await alice.onboard("Les Restos de la Soie", "Villeurbanne")
    await declare(alice, "/besoin", "Un coup de main pour la comptabilité de fin d'année.")
    await company(bob, "Cabinet Martin")
    await introduction_asked(setup, alice)
    await _request(bob, "fr")
    marie = Person(setup.runtime, tg, "marie")
    await setup.db.transaction(lambda conn: coordination.add_coordinator(conn, "tg", "marie", METROPOLE_LYON, "cli", iso(utcnow())))
    await marie.say("/evenement")
    for line in ("Forum des associations", (setup.runtime.clock() + timedelta(days=10)).strftime("%d/%m/%Y 18h30"), "20h"):
        await marie.say(line)
    for line in ("Maison des associations, 28 rue du Tonkin", "10 places", "ok", "ok"):
        await marie.say(line)
    await marie.press("Publier")  # the invitation waits in the outbox: bob's console is closed
    await setup.stop()

    window = await Window.open(db_path, territories, clock, "bob")
    await asyncio.sleep(0.05)
    shown = window.out.getvalue()
    assert "aimerait être mis en relation" in shown and "vous invite" in shown, shown
    assert "Je m'inscris" not in shown.split("vous invite", 1)[1], shown  # one numbered list on screen
    answer = await window.type("1")
    assert "Inscrit" not in answer, answer  # the invitation comes next, as the question waiting after it
    assert _introduction(window.app) == "accepted" and registered(window.app) == 0, answer
    await window.close()
