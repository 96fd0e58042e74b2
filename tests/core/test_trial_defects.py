"""Defects a new user found trying the console (issue 13 follow-up): what is shown matches the
person's language and what is actually there, and nothing waiting gets lost."""

from __future__ import annotations

from tests.core.people import Person
from tests.core.test_suggestions import clock, deliver, inbox, last_decision, two_sides  # noqa: F401 (fixtures)


async def test_a_waiting_suggestion_is_shown_in_the_language_just_chosen(two_sides) -> None:
    app, alice, bob = two_sides
    await app.suggestion_round()
    await deliver(app)
    assert last_decision(alice.adapter, "alice").prompt_id.startswith("S")
    await alice.say("/reglages")
    await alice.press("Langue")
    await alice.press("English")
    assert "I'll write to you in English" in alice.text() or "English" in alice.text()
    shown = [r for r in alice.last if r.prompt_id and r.prompt_id.startswith("S")]
    assert shown, alice.text()
    assert [c.label for c in shown[-1].choices] == ["Introduce me", "Not interested", "Later"]
    assert all("Me présenter" not in r.text for r in alice.last)


async def test_what_a_round_queued_is_delivered_in_the_language_chosen_since(two_sides) -> None:
    app, alice, bob = two_sides
    await app.suggestion_round()  # written in French
    await alice.say("/reglages")
    await alice.press("Langue")
    await alice.press("English")
    before = len(inbox(alice.adapter, "alice"))
    await deliver(app)
    later = inbox(alice.adapter, "alice")[before:]
    assert all("Vos suggestion" not in r.text and "Votre suggestion" not in r.text for r in later), later
    assert all(c.label != "Me présenter" for r in later for c in r.choices)


async def test_menu_while_a_suggestion_waits_keeps_it_findable(two_sides) -> None:
    app, alice, bob = two_sides
    await app.suggestion_round()
    await deliver(app)
    suggestion = last_decision(alice.adapter, "alice")
    await alice.say("menu")
    assert alice.question.prompt_id != suggestion.prompt_id
    menu = alice.question
    assert "Que voulez-vous faire" in menu.text
    assert "Une question vous attend" in alice.text() and "Cabinet Martin" in alice.text()
    # the waiting question is still answerable with its own buttons
    value = next(c.value for c in suggestion.choices if c.label == "Me présenter")
    await alice.send(alice.incoming(choice=value, prompt_id=suggestion.prompt_id))
    assert "J'ai demandé à Cabinet Martin" in alice.text()


async def test_digest_header_counts_what_is_shown(two_sides) -> None:
    app, alice, bob = two_sides
    await app.suggestion_round()
    await deliver(app)
    texts = [r.text for r in inbox(alice.adapter, "alice")]
    assert "Votre suggestion de partenaire :" in texts  # one suggestion: singular, no "(1)"
    assert not any(t.startswith("Vos suggestions") for t in texts)


async def test_no_digest_header_over_another_question(two_sides) -> None:
    app, alice, bob = two_sides
    await alice.say("/besoin")  # busy in a flow: the suggestion will wait, so will its header
    await app.suggestion_round()
    before = len(inbox(alice.adapter, "alice"))
    await deliver(app)
    later = [r.text for r in inbox(alice.adapter, "alice")[before:]]
    assert not any("suggestion de partenaire" in t or "suggestions de partenaires" in t for t in later), later


async def test_suggestions_command_header_is_singular_for_one(two_sides) -> None:
    app, alice, bob = two_sides
    await app.suggestion_round()
    await deliver(app)
    await alice.say("/suggestions")
    assert "1 suggestion en attente" in alice.text() and "suggestion(s)" not in alice.text()


async def test_profile_during_onboarding_resumes_the_onboarding(app, person) -> None:
    alice: Person = person()
    await alice.say("/start")
    await alice.press("Association")
    await alice.say("/profil")
    assert "/start" not in alice.text()
    assert "profil est en cours" in alice.text()
    assert alice.question.text.startswith("Quel est le nom de votre structure ?")


async def test_profile_during_onboarding_in_english(app, person) -> None:
    bob: Person = person("bob", "en")
    await bob.say("/start")
    await bob.say("/profile")
    assert "/start" not in bob.text() and "being created" in bob.text()
    assert bob.question.prompt_id is not None and bob.question.choices


def test_plural_messages_exist_in_both_languages_with_their_forms() -> None:
    from conversations.i18n import plurals, translate_plural

    french, english = plurals("fr")[1], plurals("en")[1]
    assert set(french) == set(english) >= {"digest.header_n", "suggestions.header_n", "queue.where_waiting_n"}
    assert all(len(forms) == 2 for forms in (*french.values(), *english.values()))
    assert translate_plural("fr", "suggestions.header_n", 0) == "Vous avez 0 suggestion en attente."  # French: 0 is singular
    assert translate_plural("en", "suggestions.header_n", 0) == "You have 0 suggestions waiting."
    assert translate_plural("en", "digest.header_n", 3) == "Your 3 partner suggestions:"
