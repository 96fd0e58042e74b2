"""People asked for a task are Bénévoles, whatever the task handles: food words name Matériel only when
food is what is asked or given (stop 29's note: « préparer les repas » read as Matériel)."""

from __future__ import annotations

import pytest

from conversations.understanding import guess_listing


@pytest.mark.parametrize(
    "text",
    [
        "on cherche des gens pour préparer les repas du samedi",
        "on cherche du monde pour servir les repas à la maraude",
        "il nous faut quelqu'un pour cuisiner les repas le midi",
        "on a besoin de 3 personnes pour distribuer les colis alimentaires",
        "besoin de monde pour éplucher les légumes jeudi",
        "we need help cooking meals for the soup kitchen",
        "we're looking for people to serve meals on Sunday",
        "we need someone to prepare the food parcels",
        "on cherche qqn pour préparer les repas",
    ],
)
def test_people_for_a_task_are_volunteers(text: str) -> None:
    assert guess_listing(text).categories == ("benevoles",), (text, guess_listing(text))


@pytest.mark.parametrize(
    "text",
    [
        "on cherche des invendus alimentaires pour notre épicerie",
        "nous pouvons donner des légumes de notre potager",
        "we need food donations for our pantry",
        "on peut offrir 50 repas par semaine",
        "des colis alimentaires pour les familles",
    ],
)
def test_food_asked_or_given_stays_equipment(text: str) -> None:
    assert guess_listing(text).categories == ("materiel",), (text, guess_listing(text))


@pytest.mark.parametrize(
    "text",
    [
        "we're looking for someone to keep the accounts",
        "on cherche quelqu'un pour tenir la comptabilité des repas",
        "someone to design our flyers",
    ],
)
def test_people_for_a_skill_are_skills(text: str) -> None:
    assert guess_listing(text).category in ("competences", None) and "benevoles" not in guess_listing(text).categories, guess_listing(text)
