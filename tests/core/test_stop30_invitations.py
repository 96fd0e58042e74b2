"""Trial 30: an event's invitation is read like the other decisions. A long yes (« oui ! on sera là avec
3 bénévoles », "yes! we'll be there with 3 volunteers") signs up, a long no declines it, a later keeps it
waiting — never a new listing; « annuler » never loses it (it waits and comes back like the others, and
counts in « 📌 1/n »); a sign-up said in words inside /reglages is one too. At a working group's invitation,
« c'est qui les autres membres du groupe ? » is answered with the names of the structures already in it."""

from __future__ import annotations

import re

import pytest

from tests.backends import connect
from tests.core.people import Person, deliver
from tests.core.test_event_wish_at_a_question import _event_published, registered
from tests.core.test_groups import make_group, territory  # noqa: F401  (fixture)
from tests.core.test_suggestions import clock, introduction_asked, request_after_own_suggestion, two_sides  # noqa: F401  (fixtures)

LISTING_QUESTIONS = ("Est-ce quelque chose que vous cherchez", "Is it something you are looking for", "Brouillon", "draft")


def _status(app) -> str:  # type: ignore[no-untyped-def]
    with connect(app.config.db) as conn:
        sql = "SELECT p.status FROM event_people p JOIN identities i ON i.actor_id = p.actor_id WHERE i.user_id = 'bob'"
        return str(conn.execute(sql).fetchone()[0])


async def _english(bob: Person) -> None:
    await bob.say("/settings")
    await bob.say("language")
    await bob.say("English")


async def _invited(app, alice: Person, bob: Person, language: str) -> None:  # type: ignore[no-untyped-def]
    if language == "en":
        await _english(bob)
    await _event_published(app, Person(app.runtime, alice.adapter, "marie"))
    assert bob.adapter.replies_to("bob")[-1].prompt_id == "event-1"


YES = [
    ("fr", "oui ! on sera là avec 3 bénévoles"),
    ("fr", "avec plaisir, on viendra à deux"),
    ("fr", "Oui super, je viendrai avec deux collègues de l'équipe"),
    ("fr", "carrément, comptez sur nous, on sera 4"),
    ("en", "yes! we'll be there with 3 volunteers"),
    ("en", "count me in!! we'll bring 3 colleagues"),
    ("en", "sure, sounds great, two of us will come"),
]


@pytest.mark.parametrize(("language", "said"), YES)
async def test_a_long_yes_at_an_invitation_signs_up(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say(said)
    assert registered(app) == 1, bob.text()
    assert not any(words in bob.text() for words in LISTING_QUESTIONS), bob.text()
    assert ("Inscrit·e" if language == "fr" else "Signed up") in bob.text(), bob.text()
    assert "Forum des associations" in bob.text()


NO = [
    ("fr", "non merci, on ne pourra pas venir ce soir-là"),
    ("fr", "pas intéressés cette fois, désolé"),
    ("en", "no thanks, we can't make it that evening"),
    ("en", "not for us this time, sorry"),
]


@pytest.mark.parametrize(("language", "said"), NO)
async def test_a_long_no_at_an_invitation_declines_it(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say(said)
    assert _status(app) == "declined", bob.text()
    assert not any(words in bob.text() for words in LISTING_QUESTIONS), bob.text()


LATER = [("fr", "peut-être, je dois voir avec le bureau"), ("en", "let me check with my manager first")]


@pytest.mark.parametrize(("language", "said"), LATER)
async def test_a_later_keeps_the_invitation_waiting(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say(said)
    assert _status(app) == "invited", bob.text()
    assert not any(words in bob.text() for words in LISTING_QUESTIONS), bob.text()
    await bob.say("oui" if language == "fr" else "yes")
    assert registered(app) == 1, bob.text()


@pytest.mark.parametrize(("language", "cancel"), [("fr", "annuler"), ("fr", "/annuler"), ("en", "cancel")])
async def test_cancelling_never_loses_the_invitation(two_sides, language: str, cancel: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say(cancel)
    assert ("reste en attente" if language == "fr" else "still waiting") in bob.text(), bob.text()
    assert _status(app) == "invited"
    await bob.say("oui, on sera trois" if language == "fr" else "yes, three of us")
    assert registered(app) == 1, bob.text()


async def test_an_invitation_waits_counted_and_comes_back_after_the_question_on_screen(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await introduction_asked(app, alice)
    await request_after_own_suggestion(bob)
    await _event_published(app, Person(app.runtime, alice.adapter, "marie"))
    await bob.say("non merci")  # the introduction request: its no; the invitation comes next, numbered
    assert re.search(r"📌 (\d+)/\1 ", bob.question.text) and "Forum des associations" in bob.question.text, bob.text()
    await bob.say("oui avec plaisir, on viendra à deux")
    assert registered(app) == 1, bob.text()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "count me in!! we'll bring 3 colleagues"),
        ("fr", "inscrivez-nous !! on viendra avec 3 collègues"),
        ("fr", "je viens avec deux bénévoles"),
    ],
)
async def test_a_sign_up_in_words_inside_settings(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    if language == "en":
        await _english(bob)
    await bob.say("/settings" if language == "en" else "/reglages")
    asked = bob.question
    await _event_published(app, Person(app.runtime, alice.adapter, "marie"))
    await bob.say(said)
    assert registered(app) == 1, bob.text()
    assert bob.question.text == asked.text, bob.text()  # the settings' question stays


MEMBERS = [
    ("fr", "c'est qui les autres membres du groupe ?"),
    ("fr", "il y a qui d'autre dedans ?"),
    ("fr", "quelles structures en font partie ?"),
    ("en", "who else is in the group?"),
    ("en", "which organisations are in it?"),
]


@pytest.mark.parametrize(("language", "said"), MEMBERS)
async def test_who_is_in_the_group_is_answered_and_the_invitation_stays(territory, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, _, people = territory
    asso, ferme = people["asso"], people["ferme"]
    if language == "en":
        await asso.say("/settings")
        await asso.say("language")
        await asso.say("English")
    await make_group(people["marie"], "tonkin, ferme, jardins", "Ceinture alimentaire", None)
    await people["marie"].press("Envoyer les invitations")
    await deliver(app)
    await ferme.say("oui")  # Ferme Urbaine joins; Jardins Partagés was asked, and has not answered
    await asso.say(said)
    assert "Ferme Urbaine" in asso.text(), asso.text()
    assert "Jardins Partagés" not in asso.text() and "@" not in asso.text(), asso.text()  # nothing private, never who was asked
    assert asso.question.prompt_id and asso.question.prompt_id.startswith("G"), asso.text()  # the invitation again
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT count(*) FROM group_members WHERE status = 'asked'").fetchone()[0] == 2
    await asso.say("oui" if language == "fr" else "yes")
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT count(*) FROM group_members WHERE status = 'accepted'").fetchone()[0] == 2
