"""Defects found by people playing new users (fifth trial, 30 Nov 2026): the language kept on weak
evidence, sentences that contain the answer, everyday yes/no, themes read whatever the number of
"et", communes picked by their département, cancelling in words, text typed before /start, free
questions at the menu, "mécène", "10km", plural confirmations. Each test failed before its fix."""

from __future__ import annotations

import pytest

from core.types import Outcome
from tests.core.people import Person

# ---------------------------------------------------------------- 1. the language does not flip on weak evidence


async def test_an_english_speaker_is_refused_in_english(app, person) -> None:
    john: Person = person("john", None)
    await john.say("Hi! I run a small rugby club")
    await john.say("/start")
    assert "What kind of organisation" in john.question.text, john.text()
    await john.say("sports club, non profit")
    assert "Quel type" not in john.text() and "Je n" not in john.text(), john.text()
    await john.say("bla")
    assert "Quel type" not in john.text(), john.text()


@pytest.mark.parametrize("said", ["sports club, non profit", "asso ok", "club sport", "non"])
async def test_short_mixed_answers_keep_the_language(app, person, said: str) -> None:
    john: Person = person("john", None)
    await john.say("/start")
    await john.say("Hello, we are a club")  # no step: English from now on
    await john.say(said)
    assert "Quel type" not in john.text() and "Quel est le nom" not in john.text(), john.text()


# ---------------------------------------------------------------- 2. the type question takes sentences that name it


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("on est une asso d'aide alimentaire", "fr"),
        ("It's a non-profit association", "en"),
        ("sports club, non profit", "en"),
        ("nous sommes une association sans but lucratif", "fr"),
        ("c'est un club de foot", "fr"),
        ("we're a small charity", "en"),
    ],
)
async def test_the_type_question_takes_a_sentence_naming_the_type(app, person, said: str, language: str) -> None:
    someone: Person = person("someone", language)
    await someone.say("/start")
    await someone.say(said)
    assert someone.outcome is Outcome.ACCEPTED, someone.text()
    assert "nom" in someone.question.text or "name" in someone.question.text, someone.text()


@pytest.mark.parametrize("said", ["on n'est pas une association", "ni une entreprise ni une mairie", "une asso ou une entreprise"])
async def test_the_type_question_does_not_guess_from_a_negation_or_two_types(app, person, said: str) -> None:
    someone: Person = person()
    await someone.say("/start")
    await someone.say(said)
    assert someone.outcome is Outcome.REJECTED, someone.text()


# ---------------------------------------------------------------- 3. everyday yes and no at every yes/no question


async def _at_the_place_confirmation(someone: Person) -> None:
    await someone.say("/start")
    await someone.say("Association")
    await someone.say("Club de Rugby")
    await someone.say("Villeurbanne")


@pytest.mark.parametrize(
    "said", ["oui pas de souci", "pas de problème", "ok ça marche", "sure no problem", "no worries", "oui, aucun souci"]
)
async def test_everyday_yes_confirms_the_place(app, person, said: str) -> None:
    someone: Person = person()
    await _at_the_place_confirmation(someone)
    await someone.say(said)
    assert someone.outcome is Outcome.ACCEPTED, someone.text()
    assert "Villeurbanne" not in someone.question.text, someone.text()


@pytest.mark.parametrize("said", ["non merci", "pas question", "non pas du tout", "no thanks"])
async def test_everyday_no_refuses_the_place(app, person, said: str) -> None:
    someone: Person = person()
    await _at_the_place_confirmation(someone)
    await someone.say(said)
    assert "Villeurbanne" not in " ".join(c.label for c in someone.question.choices), someone.text()
    assert "code postal" in someone.text() or "commune" in someone.question.text, someone.text()


@pytest.mark.parametrize(
    ("said", "expected"), [("oui pas de souci", True), ("pas de problème", True), ("non merci", False), ("pas question", False)]
)
async def test_everyday_yes_or_no_answers_the_consents(app, person, said: str, expected: bool) -> None:
    someone: Person = person()
    await someone.say("/start")
    await someone.press("Association")
    await someone.say("Les Jardins Partagés")
    await someone.say("Villeurbanne")
    await someone.press("Oui")
    await someone.tick("Alimentation")
    await someone.press(someone.question.choices[0].label)
    assert "Acceptez-vous" in someone.question.text, someone.text()
    await someone.say(said)
    assert someone.outcome is Outcome.ACCEPTED, someone.text()


# ---------------------------------------------------------------- 4. themes read whatever the number of "et"


async def _at_the_themes(someone: Person, kind: str = "Entreprise") -> None:
    await someone.say("/start")
    await someone.press(kind)
    await someone.say("Boite Test")
    await someone.say("Villeurbanne")
    await someone.press("Oui")
    assert "thème" in someone.question.text or "theme" in someone.question.text, someone.text()


@pytest.mark.parametrize(
    "said",
    [
        "On est une boite de services informatiques et comptables, on s'engage surtout sur l'insertion et le numerique",
        "On est une boite de services informatiques, on s'engage surtout sur l'insertion et le numerique",
        "On est une boite de conseil, de services informatiques et comptables et de formation, on s'engage surtout sur l'insertion et le numerique",
    ],
)
async def test_themes_named_in_a_sentence_are_read_whatever_its_et(app, person, said: str) -> None:
    someone: Person = person()
    await _at_the_themes(someone)
    await someone.say(said)
    assert someone.outcome is Outcome.ACCEPTED, someone.text()
    await someone.press(someone.question.choices[0].label)
    await someone.press("Oui aux deux")
    await someone.say("/profil")
    summary = someone.text()
    assert "Emploi et insertion" in summary and "Numérique" in summary, summary


async def test_a_sentence_that_denies_or_asks_names_no_theme(app, person) -> None:
    someone: Person = person()
    await _at_the_themes(someone)
    await someone.say("On ne fait pas de sport ni de culture, ni rien de tout ça dans notre entreprise, vraiment pas")
    assert someone.outcome is Outcome.REJECTED, someone.text()
