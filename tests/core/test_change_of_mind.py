"""A change of mind is never stored as the answer it interrupts.

Trial 40: /annonces › 1 › « modifier la descrption » › « en fait non laisse tomber, plutot changer la zone »
replaced the need's description with those words (« L'annonce est modifiée. »); at /besoin, « une salle pr notre
AG en janvier... ah non en fait on a trouvé, c bon on en a plus besoin » was taken as a correction of the
description, and « nan jte dis on en a plus besoin » was kept as a draft need.
"""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_coordination import rows
from tests.core.test_listing_edits_said import _listing
from tests.core.test_stop38_trial import _onboard_in_english

DESCRIPTION = "Des bras pour la distribution du samedi matin."


async def _english_listing(person) -> Person:
    ana: Person = person("ana", "en")
    await _onboard_in_english(ana)
    await ana.say("/need")
    await ana.press("Volunteers")
    await ana.say(DESCRIPTION)
    await ana.say("1")
    return ana


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        ("en fait non laisse tomber, plutot changer la zone", "Sur quelle zone"),
        ("non laisse tomber, je veux plutôt prolonger", "Prolonger"),
        ("ah non oublie ça", None),
    ],
)
async def test_a_change_of_mind_at_a_description_edit_keeps_the_description(app, person, typed: str, asked: str | None) -> None:
    ana = await _listing(app, person)  # at its actions, in /annonces
    await ana.say("modifier la descrption")
    await ana.say(typed)
    assert rows(app, "SELECT description FROM listings") == [(DESCRIPTION,)], ana.text()
    assert "modifiée" not in ana.text(), ana.text()
    if asked is not None:
        assert asked in ana.question.text, ana.text()


async def test_in_english(app, person) -> None:
    ana = await _english_listing(person)
    await ana.say("/listings")
    await ana.say("1")
    await ana.say("1")  # edit the description
    await ana.say("actually no, forget it, change the zone instead")
    assert rows(app, "SELECT description FROM listings") == [(DESCRIPTION,)], ana.text()
    assert "zone" in ana.question.text.lower() or "area" in ana.question.text.lower(), ana.text()


async def test_a_profile_field_edit_abandoned_for_another(app, person) -> None:
    ana: Person = person("ana", "fr")
    await ana.onboard()
    await ana.say("/profil")
    await ana.say("nom")
    await ana.say("non laisse tomber, plutôt la commune")
    assert rows(app, "SELECT name FROM actors") == [("Les Jardins Partagés",)]
    assert "commune" in ana.question.text, ana.text()


@pytest.mark.parametrize(
    "typed",
    [
        "une salle pr notre AG en janvier... ah non en fait on a trouvé, c bon on en a plus besoin",
        "nan jte dis on en a plus besoin",
        "finalement on n'en a plus besoin",
        "actually we don't need it anymore",
    ],
)
async def test_no_longer_needed_while_writing_a_need_records_nothing(app, person, typed: str) -> None:
    ana: Person = person("ana", "fr")
    await ana.onboard()
    await ana.say("/besoin")
    await ana.press("Locaux")
    await ana.say(typed)
    assert rows(app, "SELECT COUNT(*) FROM listings") == [(0,)]
    assert "brouillon" not in ana.text().lower() and "Correction" not in ana.text(), ana.text()
    await ana.say("/besoin")
    assert "Reprendre" not in ana.text() and "brouillon" not in ana.text().lower(), ana.text()


@pytest.mark.parametrize(("typed", "asked"), [("changer la zone", "Sur quelle zone"), ("changer la date", "Prolonger")])
async def test_a_listing_action_in_words(app, person, typed: str, asked: str) -> None:
    """« changer la zone » was read as « changer la date » with a typo (renew)."""
    ana = await _listing(app, person)  # at its actions, in /annonces
    await ana.say(typed)
    assert asked in ana.question.text, ana.text()


async def test_a_text_that_starts_with_annulez_or_oubliez_is_still_a_text(app, person) -> None:
    """Guard: « annule », « oublie » take back only after a word that does (« ah non oublie ça »)."""
    ana: Person = person("ana", "fr")
    await ana.onboard()
    await ana.say("/besoin")
    await ana.press("Bénévoles")
    await ana.say("Oubliez les idées reçues : des bénévoles pour le samedi matin, même une heure.")
    assert "Sur quelle zone" in ana.question.text, ana.text()


async def test_a_need_that_goes_on_after_no_longer_needing_something_is_kept(app, person) -> None:
    """Guard: « celle qu'on avait, on n'en a plus besoin, on cherche plus grand » is still a need."""
    ana: Person = person("ana", "fr")
    await ana.onboard()
    await ana.say("/besoin")
    await ana.press("Locaux")
    await ana.say("Une salle : celle qu'on avait, on n'en a plus besoin, on cherche plus grand pour 50 personnes.")
    assert "Sur quelle zone" in ana.question.text, ana.text()
