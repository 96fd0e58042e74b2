"""In /profil, a field named with its new value takes the value: « mettez plutôt X comme nom » is X.

Trial 39: « mettez plutôt Jardins de la Soie comme nom », « le nom c'est … », « changez la commune pour
Bron » each opened the field's question and dropped what was typed with it: the person had to type it again.
"""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_coordination import rows
from tests.core.test_stop38_trial import _onboard_in_english


@pytest.mark.parametrize(
    "typed",
    [
        "mettez plutôt Jardins de la Soie comme nom",
        "le nom c'est Jardins de la Soie",
        "changez le nom pour « Jardins de la Soie »",
        "nom : Jardins de la Soie",
    ],
)
async def test_a_name_typed_with_the_field_is_taken(app, person, typed: str) -> None:
    ana: Person = person("ana", "fr")
    await ana.onboard()
    await ana.say("/profil")
    await ana.say(typed)
    assert rows(app, "SELECT name FROM actors") == [("Jardins de la Soie",)], ana.text()
    assert "Quel est le nom" not in ana.text(), ana.text()


async def test_a_commune_typed_with_the_field_is_searched(app, person) -> None:
    ana: Person = person("ana", "fr")
    await ana.onboard()
    await ana.say("/profil")
    await ana.say("changez la commune pour Bron")
    assert "Bron (69)" in ana.text() and "Dans quelle commune" not in ana.text(), ana.text()
    await ana.say("oui")
    assert rows(app, "SELECT commune_code FROM actors") == [("69029",)], ana.text()


async def test_a_name_typed_with_the_field_in_english(app, person) -> None:
    bob: Person = person("bob", "en")
    await _onboard_in_english(bob)
    await bob.say("/profile")
    await bob.say("change the name to Riverside Allotments")
    assert rows(app, "SELECT name FROM actors") == [("Riverside Allotments",)], bob.text()


async def test_a_wrong_value_is_refused_at_the_fields_question(app, person) -> None:
    ana: Person = person("ana", "fr")
    await ana.onboard()
    await ana.say("/profil")
    await ana.say("mettez 1234 comme nom")
    assert "seulement un nombre" in ana.text() and ana.question.text.startswith("Quel est le nom"), ana.text()
    assert rows(app, "SELECT name FROM actors") == [("Les Jardins Partagés",)]


@pytest.mark.parametrize("typed", ["nom", "le nom", "Nom de la structure", "2"])
async def test_the_field_alone_still_asks_its_question(app, person, typed: str) -> None:
    ana: Person = person("ana", "fr")
    await ana.onboard()
    await ana.say("/profil")
    await ana.say(typed)
    assert ana.question.text.startswith("Quel est le nom"), ana.text()
    assert rows(app, "SELECT name FROM actors") == [("Les Jardins Partagés",)]
