"""A need typed at a choice question of an offer being made (tester, 1 Dec 2026): « on cherche 1
asso pr accueillir nos salariés 1 journée solidaire en juin stp » at « Offre : de quoi s'agit-il ? »
was refused as a « phrase libre » and lost. It was then kept as a draft; since stop 32 a sentence at a fresh
listing's category question is that listing's description (the person is inside /offre), never a separate draft."""

from __future__ import annotations

import pytest

from tests.core.people import Person

pytestmark = pytest.mark.backends


@pytest.mark.parametrize(
    ("language", "offer", "need", "typed", "kept"),
    [
        (
            "fr",
            "/offre",
            "/besoin",
            "on cherche 1 asso pr accueillir nos salariés 1 journée solidaire en juin stp",
            "accueillir nos salariés",
        ),
        ("en", "/offer", "/need", "we are looking for a charity to host our staff for a volunteering day in June please", "host our staff"),
    ],
)
async def test_a_need_typed_at_the_offers_category_is_this_listing(
    app, person, language: str, offer: str, need: str, typed: str, kept: str
) -> None:
    someone: Person = person("someone", language)
    await someone.onboard() if language == "fr" else await _onboard_en(someone)
    await someone.say(offer)
    asked = someone.question.text
    await someone.say(typed)
    assert "phrase libre" not in someone.text() and "free sentence" not in someone.text(), someone.text()
    # stop 32: typed at the fresh listing's category question, the sentence is this listing's description, never a
    # separate draft; naming what it asks, it makes the listing a need, said (the confirmation can switch it back)
    assert kept in someone.text(), someone.text()  # the need, said
    assert "brouillon" not in someone.text() and "draft" not in someone.text(), someone.text()
    assert someone.question.text != asked, someone.text()  # the listing goes on
    assert need.strip("/") in ("besoin", "need")


async def _onboard_en(someone: Person) -> None:
    """The profile made by pressing the English buttons (``Person.onboard`` presses « Oui »)."""
    await someone.say("/start")
    await someone.press("Association")
    await someone.say("The Shared Gardens")
    await someone.say("Villeurbanne")
    await someone.press("Yes")
    await someone.tick("Food", "Environment")
    await someone.press(someone.question.choices[0].label)
    await someone.press("Yes to both")


async def test_a_need_typed_at_the_offers_zone_is_kept_as_a_draft(app, person) -> None:
    """Any choice question of the listing that would refuse it as a « phrase libre »: the zone, too."""
    someone: Person = person("someone", "fr")
    await someone.onboard()
    await someone.say("/offre")
    await someone.say("1")
    await someone.say("Nous prêtons notre salle de réunion le soir")
    asked = someone.question.text
    await someone.say("bonjour, on recherche un local pour stocker nos colis alimentaires cet hiver")
    assert "phrase libre" not in someone.text() and "brouillon" in someone.text(), someone.text()
    assert "stocker nos colis" in someone.text() and someone.question.text == asked, someone.text()
    await someone.say("/annuler")
    await someone.say("/besoin")
    assert "stocker nos colis" in someone.text(), someone.text()
