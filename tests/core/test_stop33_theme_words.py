"""Trial 32: at the themes question, words that were the answer were quoted back as words « qui ne répondent pas à
cette question » (« la vie » of « la vie du quartier », « l'éducation » of « l'éducation des jeunes »), and ways of
saying a theme that a presentation understands (« aide aux devoirs », « foot et basket », "neighbourhood life") were
refused. One vocabulary answers the question; the words of the themes understood are part of the answer."""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_stop31_type_and_name import _data

pytestmark = pytest.mark.backends


async def _at_themes(person, language: str = "fr") -> Person:
    someone: Person = person("sam", language)
    await someone.say("/start")
    await someone.say("1")
    await someone.say("Les Potes" if language == "fr" else "The Mates")
    await someone.say("Villeurbanne")
    await someone.say("oui" if language == "fr" else "yes")
    question = someone.question.text
    assert "thèmes" in question or "themes" in question, someone.text()
    return someone


@pytest.mark.parametrize(
    ("typed", "themes"),
    [
        ("la vie du quartier", {"citoyennete"}),
        ("l'éducation des jeunes", {"education_jeunesse"}),
        ("animation de la vie locale", {"citoyennete"}),
        ("le lien social dans le quartier", {"solidarite_social", "citoyennete"}),
        ("la vie associative du quartier", {"citoyennete"}),
        ("solidarité entre voisins", {"solidarite_social"}),
        ("aide aux devoirs pour les gamins", {"education_jeunesse"}),
        ("foot et basket", {"sport"}),
        ("la danse et le théâtre", {"culture"}),
        ("le covoiturage", {"mobilite"}),
        ("la vie associative et un peu le sport", {"citoyennete", "sport"}),
        ("les fêtes et un peu la culture quoi", {"culture"}),
        ("le soutien a la parentalité", {"solidarite_social"}),
        ("on fait surtout de l'aide aux familles", {"solidarite_social"}),
    ],
)
async def test_the_words_of_a_theme_are_its_answer(app, person, typed: str, themes: set[str]) -> None:
    someone = await _at_themes(person)
    await someone.say(typed)
    said = someone.text()
    assert set(_data(app).get("themes") or ()) >= themes, said
    assert "ne répond pas" not in said and "pas reconnu" not in said, said


@pytest.mark.parametrize(
    ("typed", "themes"),
    [
        ("neighbourhood life", {"citoyennete"}),
        ("homework help for kids", {"education_jeunesse"}),
        ("football and dance", {"sport", "culture"}),
        ("a bit of social stuff", {"solidarite_social"}),
    ],
)
async def test_the_words_of_a_theme_are_its_answer_in_english(app, person, typed: str, themes: set[str]) -> None:
    someone = await _at_themes(person, "en")
    await someone.say(typed)
    said = someone.text()
    assert set(_data(app).get("themes") or ()) >= themes, said
    assert "does not answer" not in said and "did not recognise" not in said.lower(), said


@pytest.mark.parametrize(
    ("typed", "left"),
    [
        ("sport le soir", "le soir"),
        ("la vie du quartier, surtout le week-end", "le week-end"),
        ("culture et le mardi après-midi", "mardi après-midi"),
    ],
)
async def test_words_that_are_no_theme_are_still_said(app, person, typed: str, left: str) -> None:
    someone = await _at_themes(person)
    await someone.say(typed)
    said = someone.text()
    assert f"{left}" in said and "ne répond pas à cette question" in said, said


async def test_a_word_of_a_multi_word_hint_ticks_nothing_alone(app, person) -> None:
    """« économie solidaire » is no food aid, though « épicerie solidaire » is one of its hints."""
    someone = await _at_themes(person)
    await someone.say("économie solidaire")
    assert "alimentation" not in set(_data(app).get("themes") or ()), someone.text()
