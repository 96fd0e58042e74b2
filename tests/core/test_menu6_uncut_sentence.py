"""Trial (menu6): a sentence that cannot be cut, naming two categories, filed by the person under the
category they chose: the other category is not offered with the same sentence (read as a duplicate)."""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_split5_several_listings import _onboarded


async def _chosen(someone: Person, sentence: str, category: str) -> None:
    await someone.say(sentence)

    await someone.press(category)

    await someone.press(someone.question.choices[0].label)


@pytest.mark.parametrize(
    ("language", "sentence", "category"),
    [
        # words7: a room for a training, for volunteers, is Locaux without asking (the object wins over the
        # purpose); people sought for a purpose naming another category still ask which one
        ("fr", "on cherche aussi des bénévoles pour notre salle", "Locaux"),
        ("fr", "on cherche des bénévoles pour une formation", "Bénévoles"),
        ("fr", "slt on cherche des benevoles pr notre salle", "Bénévoles"),
        ("en", "we need volunteers for our training", "Volunteers"),
    ],
)
async def test_the_category_chosen_is_not_followed_by_the_same_sentence_in_another(person, language, sentence, category) -> None:
    someone = await _onboarded(person, language)
    await _chosen(someone, sentence, category)
    assert "contenait aussi" not in someone.text() and "also spoke of" not in someone.text(), someone.text()


@pytest.mark.parametrize(
    ("language", "sentence", "asked"),
    [
        ("fr", "on cherche des bénévoles pour samedi et un local pour stocker les denrées", "Locaux"),
        ("en", "we need volunteers and a room", "Premises"),
    ],
)
async def test_a_sentence_really_cut_still_offers_its_other_part(person, language, sentence, asked) -> None:
    """Guard: cut into two parts, the second part is still offered once the first is published."""
    someone = await _onboarded(person, language)
    await someone.say(sentence)
    await someone.press(someone.question.choices[0].label)
    assert "contenait aussi" in someone.text() or "also spoke of" in someone.text(), someone.text()
    assert asked in someone.text(), someone.text()
