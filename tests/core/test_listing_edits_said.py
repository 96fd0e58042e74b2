"""An edit in /annonces says what the listing now is, and never « modifiée » when nothing changed.

Trial 39: at « Modifier les thèmes », typing « 1 » (Alimentation, already ticked) was answered « L'annonce est
modifiée. »; typing « 3 5 » added both to what was ticked and said the same words, so the person could not know
whether the listing now had two themes or three.
"""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_coordination import rows
from tests.core.test_stop38_trial import _onboard_in_english


async def _listing(app, person, language: str = "fr") -> Person:
    alice: Person = person("alice", language)
    await alice.onboard(themes=("Alimentation",))
    await alice.say("/besoin")
    await alice.press("Bénévoles")
    await alice.say("Des bras pour la distribution du samedi matin.")
    await alice.press("La commune : Villeurbanne (69)")
    await alice.say("/annonces")
    await alice.say("1")
    return alice


@pytest.mark.parametrize(
    ("action", "typed"),
    [
        ("Modifier les thèmes", "1"),
        ("Modifier les thèmes", "ok"),
        ("Modifier la description", "Des bras pour la distribution du samedi matin."),
        ("Modifier la zone", "1"),
    ],
)
async def test_an_edit_that_changes_nothing_says_so(app, person, action: str, typed: str) -> None:
    alice = await _listing(app, person)
    before = rows(app, "SELECT description, themes, zone_kind, zone_code FROM listings")
    await alice.press(action)
    await alice.say(typed)
    assert "modifiée" not in alice.text() and "rien n'a changé" in alice.text().lower(), alice.text()
    assert rows(app, "SELECT description, themes, zone_kind, zone_code FROM listings") == before


async def test_new_themes_are_said(app, person) -> None:
    alice = await _listing(app, person)
    await alice.press("Modifier les thèmes")
    await alice.say("3 5")
    [(themes,)] = rows(app, "SELECT themes FROM listings")
    said = alice.text()
    for key, label in (
        ("alimentation", "Alimentation"),
        ("environnement", "Environnement"),
        ("education_jeunesse", "Éducation et jeunesse"),
    ):
        assert (key in themes) == (label in said), (themes, said)
    assert "modifiée" in said, said


async def test_an_unchanged_edit_in_english(app, person) -> None:
    alice: Person = person("alice", "en")
    await _onboard_in_english(alice)
    await alice.say("/need")
    await alice.press("Volunteers")
    await alice.say("Volunteers for the Saturday morning food distribution.")
    await alice.say("1")  # the town
    await alice.say("/listings")
    await alice.say("1")
    await alice.say("2")  # edit the themes
    await alice.say("ok")
    assert "nothing changed" in alice.text().lower(), alice.text()


async def test_a_new_description_and_zone_are_said(app, person) -> None:
    """Trial 40: every edit in /annonces said only « L'annonce est modifiée. » (hiding a change of mind stored as the text)."""
    alice = await _listing(app, person)
    await alice.press("Modifier la description")
    await alice.say("Des bras pour la distribution du samedi matin, de 8 h à 12 h.")
    assert "« Des bras pour la distribution du samedi matin, de 8 h à 12 h. »" in alice.text(), alice.text()
    await alice.say("/annonces")
    await alice.say("1")
    await alice.press("Modifier la zone")
    await alice.press("L'intercommunalité : Métropole de Lyon")
    assert "Sa zone : Métropole de Lyon" in alice.text(), alice.text()
