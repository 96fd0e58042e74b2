"""The conversation's language is sticky (trial of 1 Dec 2026, fresh clone, console without a
platform language): one English question no longer makes a French person's conversation and
profile English, and an explicit request for a language ("je peux écrire en français ?", "English
please") changes it, says so and asks the question again — keeping an answer given before it."""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_coordination import rows

pytestmark = pytest.mark.backends


@pytest.mark.parametrize("question", ["why do you need my contact?", "why do you need my themes?", "what is this for?"])
async def test_one_english_question_does_not_make_a_french_conversation_english(app, person, question: str) -> None:
    someone: Person = person("someone", None)
    await someone.say("/start")
    await someone.say("Mairie de Vénissieux, service vie associative")
    assert "thèmes" in someone.question.text, someone.text()
    await someone.say(question)
    await someone.say("citoyenneté, culture, sport")
    assert "comment vous joindre" in someone.text(), someone.text()  # the next question in French
    await someone.say("mairie@venissieux.fr")
    await someone.say("oui")
    assert "Merci, le profil de « Mairie de Vénissieux » est enregistré" in someone.text(), someone.text()
    [(stored,)] = rows(app, "SELECT language FROM actors")
    assert stored == "fr"
    await someone.say("nous pouvons prêter des salles de réunion aux associations le soir et le week-end")
    assert "Offre" in someone.text() and "sur quelle zone" in someone.text(), someone.text()


async def test_one_french_question_does_not_make_an_english_conversation_french(app, person) -> None:
    someone: Person = person("someone", None)
    await someone.say("/start")
    await someone.say("company")
    await someone.say("Delmotte Transport")
    await someone.say("Lyon")
    await someone.say("yes")
    assert "themes" in someone.question.text, someone.text()
    await someone.say("pourquoi vous avez besoin de mes thèmes ?")
    await someone.say("mobility, environment")
    assert "how can they reach you" in someone.text(), someone.text()
    await someone.say("contact@delmotte.fr")
    await someone.say("yes")
    assert "is saved" in someone.text(), someone.text()
    [(stored,)] = rows(app, "SELECT language FROM actors")
    assert stored == "en"


@pytest.mark.parametrize("typed", ["je préfère qu'on parle en français", "je préfère le français"])
async def test_a_preference_for_the_other_language_switches(app, person, typed: str) -> None:
    someone: Person = person("someone", None)
    await someone.say("/start")
    await someone.say("company")
    await someone.say("Delmotte Transport")
    await someone.say("Lyon")
    await someone.say("yes")
    await someone.say(typed)
    assert "Sur quels thèmes" in someone.question.text, someone.text()


async def test_a_long_statement_in_the_other_language_still_switches(app, person) -> None:
    """Kept from before (passes on the base too): a whole sentence plainly French moves it."""
    someone: Person = person("someone", None)
    await someone.say("/start")
    await someone.say("company")
    await someone.say("Delmotte Transport")
    await someone.say("Lyon")
    await someone.say("yes")
    await someone.say("nous sommes une entreprise de transport et nous cherchons des partenaires")
    assert "Sur quels thèmes" in someone.question.text, someone.text()


async def test_asking_for_french_at_the_name_keeps_the_name_and_switches(app, person) -> None:
    someone: Person = person("someone", None)
    await someone.say("/start")
    await someone.say("company")
    assert "name" in someone.question.text, someone.text()
    await someone.say("Transports Delmotte, ah pardon je peux écrire en français ? c'est plus simple pour moi")
    assert "je vous écris en français" in someone.text(), someone.text()
    assert "Dans quelle commune" in someone.question.text, someone.text()  # the name kept: the next question, in French
    await someone.say("Lyon")
    await someone.say("oui")
    assert "Sur quels thèmes" in someone.question.text, someone.text()
    await someone.say("on préfère continuer en français svp")
    assert "Sur quels thèmes" in someone.question.text and "reconnu" not in someone.text(), someone.text()
    await someone.say("1")
    await someone.press(someone.question.choices[0].label)
    await someone.say("1")
    [(name, stored)] = rows(app, "SELECT name, language FROM actors")
    assert (name, stored) == ("Transports Delmotte", "fr")


@pytest.mark.parametrize("typed", ["on préfère continuer en français svp", "en français svp", "parlez-vous français ?"])
async def test_asking_for_french_at_the_themes(app, person, typed: str) -> None:
    someone: Person = person("someone", None)
    await someone.say("/start")
    await someone.say("company")
    await someone.say("Delmotte Transport")
    await someone.say("Lyon")
    await someone.say("yes")
    await someone.say(typed)
    assert "je vous écris en français" in someone.text(), someone.text()
    assert "Sur quels thèmes" in someone.question.text, someone.text()


@pytest.mark.parametrize("typed", ["can we speak English?", "English please", "in English", "Sorry, can you answer in English please?"])
async def test_asking_for_english_at_a_question_and_with_a_profile(app, person, typed: str) -> None:
    someone: Person = person("someone", None)
    await someone.say("/start")
    await someone.say("1")
    assert "nom" in someone.question.text, someone.text()
    await someone.say(typed)
    assert "I'll write to you in English" in someone.text() or "in English" in someone.text(), someone.text()
    assert "name" in someone.question.text, someone.text()  # the same question, in English
    await someone.say("Les Amis du Quartier")  # French words, a name: still English
    assert "municipality" in someone.question.text, someone.text()


async def test_asking_for_a_language_with_a_profile_changes_the_profile(app, person) -> None:
    someone: Person = person("someone", "fr")
    await someone.onboard()
    await someone.say("English please")
    assert "What would you like to do" in someone.question.text, someone.text()
    [(stored,)] = rows(app, "SELECT language FROM actors")
    assert stored == "en"
    await someone.say("on peut repasser en français ?")
    assert "Que voulez-vous faire" in someone.question.text, someone.text()
    [(stored,)] = rows(app, "SELECT language FROM actors")
    assert stored == "fr"


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("je peux écrire en français ?", "fr"),
        ("on préfère continuer en français svp", "fr"),
        ("English please", "en"),
        ("can we speak English?", "en"),
        ("je ne parle pas anglais", "fr"),
        ("I don't speak French", "en"),
        ("des cours de français pour adultes", None),
        ("we teach English to kids", None),
        ("on peut parler anglais dans nos ateliers", None),
        ("why do you need my contact?", None),
    ],
)
def test_language_requested(typed: str, language: str | None) -> None:
    # imported here: the tests above run on the base too (where it does not exist)
    from conversations.understanding import language_requested

    assert language_requested(typed) == language


async def test_a_french_statement_with_a_word_both_languages_use_still_switches(app, person) -> None:
    """« un local » is French too: it no longer counts as English against a plain French sentence."""
    someone: Person = person("someone", None)
    await someone.say("/start")
    await someone.say("company")
    await someone.say("Delmotte Transport")
    await someone.say("Lyon")
    await someone.say("yes")
    await someone.say("nous cherchons un local pour stocker du matériel")
    assert someone.question.language == "fr", someone.text()
