"""Going back to one's language is understood however it is said.

Trial 40: an English speaker who switched to French by mistake typed « oops no, back to english » and got « Je
n'ai pas reconnu ce choix. »; only a bare « english » switched back.
"""

from __future__ import annotations

import pytest

from conversations.understanding import language_requested
from tests.core.people import Person
from tests.core.test_stop38_trial import _onboard_in_english


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("oops no, back to english", "en"),
        ("switch back to English please", "en"),
        ("retour au français", "fr"),
        ("revenir en français svp", "fr"),
        ("back to english class next week", None),
        ("we teach English to refugees", None),
    ],
)
def test_a_way_back_to_a_language(typed: str, language: str | None) -> None:
    assert language_requested(typed) == language


async def test_an_english_speaker_gets_english_back(app, person) -> None:
    bob: Person = person("bob", "en")
    await _onboard_in_english(bob)
    await bob.say("en français svp")
    assert "Que voulez-vous faire" in bob.text(), bob.text()
    await bob.say("oops no, back to english")
    assert "What would you like to do" in bob.text(), bob.text()
