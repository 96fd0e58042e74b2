"""A yes of more than six words at « Je l'ajoute au groupe ? (oui / non) » (sugg8, see test_sugg8_answers):
« Oui ! Ajoute-la, ils font la même chose que nous » added no one."""

from __future__ import annotations

import pytest

from tests.core.test_group_defects import choose, ticked, town  # noqa: F401  (fixture)
from tests.core.test_groups import clock, territory  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends


@pytest.mark.parametrize(
    "typed",
    [
        "Oui ! Ajoute-la, ils font la même chose que nous",
        "oui avec plaisir, ce sont nos voisins du quartier",
        "Yes! They work on the same things as we do",
    ],
)
async def test_a_long_yes_at_je_l_ajoute_adds_the_actor(town, typed: str) -> None:
    _, _, people = town
    marie = people["marie"]
    await choose(marie, "tonkin, gratte")
    await marie.say("ferme")  # not in the list, but of her territory: « Je l'ajoute au groupe ? (oui / non) »
    assert "Ferme Urbaine" in marie.text() and "Ferme Urbaine" not in ticked(marie)
    await marie.say(typed)
    assert "Ferme Urbaine" in ticked(marie), marie.text()
