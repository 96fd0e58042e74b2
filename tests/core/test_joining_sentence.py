"""A first message that asks to join while saying what the structure is gives its facts, never its presentation.

Trial 39: « slt c'est pour inscrire notre asso de foot à villeurbane », typed before /start, became the
structure's presentation (« C'est pour inscrire notre asso de foot … » shown to partners), while « je voudrais
inscrire mon association » alone was already understood as asking to join.
"""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_coordination import rows


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "slt c'est pour inscrire notre asso de foot à villeurbanne"),
        ("fr", "Bonjour, je voudrais inscrire notre club de foot de Villeurbanne"),
        ("en", "Hi, I'd like to register our football club in Villeurbanne"),
    ],
)
async def test_asking_to_join_with_facts_is_no_presentation(app, person, language: str, typed: str) -> None:
    zed: Person = person("zed", language)
    await zed.say(typed)
    await zed.say("/start")
    said = zed.text()
    assert "sera la présentation" not in said and "will be your organisation's" not in said, said
    await zed.say("1")  # an association
    await zed.say("FC Gratte-Ciel")
    assert "Villeurbanne (69)" in zed.text(), zed.text()  # the commune it said, proposed
    await zed.say("1")  # yes
    sport = next(c for c in zed.question.choices if c.label in ("Sport",))
    assert sport.value in (zed.question.selected or ()), zed.question  # « foot »: Sport ticked
    await zed.say("ok")
    await zed.press(zed.question.choices[0].label)
    await zed.say("1")
    assert rows(app, "SELECT name, description FROM actors") == [("FC Gratte-Ciel", None)], zed.text()


async def test_a_clause_of_its_own_after_the_request_is_the_presentation(app, person) -> None:
    zed: Person = person("zed", "fr")
    await zed.say("on voudrait s'inscrire, on est une asso de foot à Villeurbanne")
    await zed.say("/start")
    assert "« On est une asso de foot à Villeurbanne » sera la présentation" in zed.text(), zed.text()


async def test_a_presentation_that_says_more_than_joining_is_still_kept(app, person) -> None:
    """Guard: « Nous sommes une asso de foot à Villeurbanne, 200 licenciés » presents the structure."""
    zed: Person = person("zed", "fr")
    await zed.say("Nous sommes une asso de foot à Villeurbanne, 200 licenciés")
    await zed.say("/start")
    assert "sera la présentation" in zed.text(), zed.text()
