"""A commune's name inside the organisation's name is not where it is when the message says where
(trial 29b, 1 December 2026): « c zoé de l'asso Les Potes du Quartier a villeurbanne » was recorded
« Le Quartier (63) » without a word, « Villeurbanne » typed after « a » left aside."""

from __future__ import annotations

import pytest

from tests.core.people import Person


@pytest.mark.parametrize(
    ("language", "text", "commune", "not_it"),
    [
        ("fr", "salut c zoé de l'asso Les Potes du Quartier a villeurbanne, on cherche des bénévoles", "Villeurbanne (69)", "(63)"),
        ("fr", "Bonjour, Léa de l'asso Les Amis du Quartier à Vénissieux", "Vénissieux (69)", "(63)"),
        ("en", "Hi, I'm Sam from Friends of the Quartier in villeurbane", "Villeurbanne (69)", "(63)"),
    ],
)
async def test_a_commune_in_the_name_is_not_the_place_said(app, person, language: str, text: str, commune: str, not_it: str) -> None:
    someone: Person = person("someone", language)
    await someone.say("/start")
    await someone.say(text)
    said = await someone.first_options_until(commune)
    assert any(commune in text for text in said), said
    assert not any(not_it in text for text in said), said
