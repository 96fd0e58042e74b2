"""Trial 32: « c ça » at the commune's confirmation was refused (« c'est ça » worked), and « je suis boulanger » at
the type question was not recognised (« on est une boulangerie » was)."""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_stop31_type_and_name import _data

pytestmark = pytest.mark.backends


@pytest.mark.parametrize("typed", ["c ça", "c sa", "ouais c ça", "cest ça"])
async def test_a_short_yes_confirms_the_commune(app, person, typed: str) -> None:
    someone: Person = person("sam", "fr")
    await someone.say("/start")
    await someone.say("1")
    await someone.say("Les Potes")
    await someone.say("Villeurbanne")
    assert "Villeurbanne (69)" in someone.text(), someone.text()
    await someone.say(typed)
    assert "thèmes" in someone.question.text, someone.text()


@pytest.mark.parametrize(
    ("language", "typed"),
    [("fr", "je suis boulanger"), ("fr", "je suis boulangère"), ("fr", "je suis bouchère à Bron"), ("en", "I am a baker")],
)
async def test_a_trade_is_a_company(app, person, language: str, typed: str) -> None:
    someone: Person = person("sam", language)
    await someone.say("/start")
    await someone.say(typed)
    assert _data(app).get("kind") == "entreprise", someone.text()


async def test_a_volunteer_at_a_solidarity_bakery_is_asked(app, person) -> None:
    someone: Person = person("sam", "fr")
    await someone.say("/start")
    await someone.say("bénévole chez un boulanger solidaire")
    assert _data(app).get("kind") != "entreprise", someone.text()
