"""A text read by people (a description, a call, a title) needs words: emoji or signs alone are refused, said so.

Trial 39: « 👍👍👍 » as a description got « C'est un peu court : au moins 10 caractères », and twelve of them
were published as the need's description, quoted to partners.
"""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_coordination import rows
from tests.core.test_stop38_trial import _onboard_in_english


@pytest.mark.parametrize("typed", ["👍👍👍", "👍" * 12, "!!!!!!!!!!!!", "🙂 🙂 🙂 🙂 🙂 🙂", "…………………………"])
async def test_a_description_of_signs_only_is_refused_and_said(app, person, typed: str) -> None:
    ana: Person = person("ana", "fr")
    await ana.onboard()
    await ana.say("/besoin")
    await ana.say("1")
    asked = ana.question.text
    await ana.say(typed)
    assert "des mots" in ana.text() and "un peu court" not in ana.text(), ana.text()
    assert ana.question.text == asked
    assert rows(app, "SELECT COUNT(*) FROM listings") == [(0,)]


async def test_in_english(app, person) -> None:
    bob: Person = person("bob", "en")
    await _onboard_in_english(bob)
    await bob.say("/need")
    await bob.say("1")
    await bob.say("👍" * 12)
    assert "words" in bob.text(), bob.text()


async def test_a_short_description_with_words_is_still_too_short(app, person) -> None:
    ana: Person = person("ana", "fr")
    await ana.onboard()
    await ana.say("/besoin")
    await ana.say("1")
    await ana.say("vélo 👍")
    assert "un peu court" in ana.text(), ana.text()
