"""A list that details what precedes its colon is one listing, never cut into others.

Trial 40: « Pro bono accounting help for small associations: bookkeeping, annual accounts, budgets. A few hours a
month. » was cut: the offer lost « budgets. A few hours a month », proposed as a second offer of Funding (« Shall I
record it too? »), and « no, budgets was part of the accounting help » was not understood.
"""

from __future__ import annotations

import pytest

from conversations.understanding import several_listings
from tests.core.people import Person
from tests.core.test_coordination import rows
from tests.core.test_stop38_trial import _onboard_in_english

ACCOUNTING = "Pro bono accounting help for small associations: bookkeeping, annual accounts, budgets. A few hours a month."


@pytest.mark.parametrize(
    "text",
    [
        ACCOUNTING,
        "Mécénat de compétences en comptabilité : bilan, budget prévisionnel, paie.",
        "Conseil juridique : statuts, budget, assurances.",
    ],
)
def test_a_detailed_list_is_one_thing(text: str) -> None:
    assert several_listings(text) == []


def test_a_clause_of_its_own_after_a_detailed_list_is_still_another_thing() -> None:
    """CI of stop 40: « … compétences : deux développeurs…, et nous avons aussi 15 ordinateurs à donner » is two offers."""
    text = "Nous offrons du mécénat de compétences : deux développeurs un vendredi par mois, et nous avons aussi 15 ordinateurs à donner"
    assert [part.category for part in several_listings(text)] == ["competences", "materiel"]


def test_a_list_of_things_after_a_bare_colon_is_still_cut() -> None:
    parts = several_listings("On cherche : des bénévoles pour samedi, un local pour stocker et un camion.")
    assert [part.category for part in parts] == ["benevoles", "locaux", "materiel"]


async def test_the_offer_keeps_its_whole_text(app, person) -> None:
    claire: Person = person("claire", "en")
    await _onboard_in_english(claire)
    await claire.say("/offer")
    await claire.press("Skills")
    await claire.press("Accounting")
    await claire.say(ACCOUNTING)
    assert "also" not in claire.text().lower() or "Funding" not in claire.text(), claire.text()
    await claire.say("1")  # the zone
    assert rows(app, "SELECT category, description FROM listings") == [("competences", ACCOUNTING)], claire.text()
