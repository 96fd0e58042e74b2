"""A new shared contact that leaves out one shared before says so, and how to share both.

Trial 39: /profil › Contact partagé › « 06 12 34 56 78 » answered « Contact partagé : téléphone +33 6 12 34 56 78 —
c'est modifié. »: the e-mail shared until then was no longer, and nothing said it (only what is typed is shared:
by design, but never silently).
"""

from __future__ import annotations

from tests.core.people import Person
from tests.core.test_coordination import rows
from tests.core.test_stop38_trial import _onboard_in_english


async def _with_email(person, language: str = "fr") -> Person:
    ana: Person = person("ana", language)
    if language == "fr":
        await ana.onboard()
    else:
        await _onboard_in_english(ana)
    await ana.say("/profil" if language == "fr" else "/profile")
    await ana.say("6")  # the shared contact
    await ana.say("ana@example.org")
    return ana


async def test_a_phone_instead_of_an_email_says_the_email_is_no_longer_shared(app, person) -> None:
    ana = await _with_email(person)
    assert rows(app, "SELECT contact_email, contact_phone FROM actors") == [("ana@example.org", None)]
    await ana.say("/profil")
    await ana.say("6")
    await ana.say("06 12 34 56 78")
    assert rows(app, "SELECT contact_email FROM actors") == [(None,)]
    said = ana.text()
    assert "ana@example.org" in said and "plus partagé" in said, said


async def test_both_typed_together_say_nothing_dropped(app, person) -> None:
    ana = await _with_email(person)
    await ana.say("/profil")
    await ana.say("6")
    await ana.say("ana@example.org 06 12 34 56 78")
    assert "plus partagé" not in ana.text(), ana.text()


async def test_the_same_in_english(app, person) -> None:
    ana = await _with_email(person, "en")
    await ana.say("/profile")
    await ana.say("6")
    await ana.say("+44 20 7946 0958")
    said = ana.text()
    assert "ana@example.org" in said and "no longer shared" in said.lower(), said
