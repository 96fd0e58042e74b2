"""Defects found by testers playing new users on the console (keep6): nothing typed is lost — a
sentence typed at the first question right after /start, a need typed at the profile's menu."""

from __future__ import annotations

import re

import pytest

from tests.core.people import Person

pytestmark = pytest.mark.backends

# ---------------------------------------------------------------- 1. a first sentence typed right after /start

_AFTER_START = [
    ("fr", "slt c la tresoriere du FC Bron, on cherche des bénévoles pour le tournoi du 14 juin et on peut prêter nos buts et nos ballons"),
    ("fr", "Bonjour, je suis la secrétaire du FC Bron, nous cherchons des bénévoles pour le tournoi du 14 juin"),
    ("fr", "jsuis le tresorier du FC Bron on cherche des benevoles pour le tournoi du 14 juin"),
    ("en", "hi, I'm the treasurer of FC Bron, we need volunteers for our tournament on June 14"),
    ("fr", "c le president du FC Bron on cherche des benevoles pr le tournoi et on prete nos buts"),
    ("en", "hey this is the treasurer of FC Bron, we need volunteers for the tournament and we can lend our goals and balls"),
]


def _kept_lines(text: str) -> list[str]:
    """What the drafts said keep: the sentences quoted on the lines that say a draft is kept."""
    lines = [line for line in text.splitlines() if "brouillon" in line or "draft" in line]
    return [quoted for line in lines for quoted in re.findall(r"[«“]\s*([^»”]+?)\s*[»”]", line)]


@pytest.mark.parametrize(("language", "typed"), _AFTER_START)
async def test_a_sentence_typed_right_after_start_is_read_as_a_first_message(app, person, language: str, typed: str) -> None:
    """Tester: « /start » then « slt c la tresoriere du FC Bron, on cherche des bénévoles … » at « Quel type
    de structure représentez-vous ? » was refused as « une phrase libre » and lost; the same sentence
    typed before /start was kept as drafts."""
    before: Person = person("before", language)
    await before.say(typed)
    await before.say("/start")
    expected = _kept_lines(before.text())
    assert expected, before.text()
    after: Person = person("after", language)
    await after.say("/start")
    await after.say(typed)
    said = after.text()
    assert "phrase libre" not in said and "free sentence" not in said, said
    assert _kept_lines(said) == expected, said  # the same drafts
    assert after.question.text == before.question.text, said  # the type asked again


async def test_a_type_and_a_need_at_the_type_question_still_take_the_type(app, person) -> None:
    someone: Person = person("someone", "fr")
    await someone.say("/start")
    await someone.say("on est une asso de quartier à Bron et on cherche des bénévoles pour la fête")
    said = someone.text()
    assert "Association" in said and "phrase libre" not in said, said
    assert "type de structure" not in someone.question.text, said


# ---------------------------------------------------------------- 2. a need typed at the profile's menu


@pytest.mark.parametrize(
    ("english", "typed", "word"),
    [
        (False, "on cherche aussi une salle pour une formation", "salle pour une formation"),
        (False, "slt on a besoin dune salle pr une formation le 12", "salle pr une formation"),
        (False, "Nous pouvons prêter notre camionnette le week-end", "camionnette"),
        (True, "we also need a room for a training session", "room for a training"),
    ],
)
async def test_a_need_typed_at_the_profile_menu_is_kept_and_the_menu_shown_again(app, person, english: bool, typed: str, word: str) -> None:
    """Tester: « on cherche aussi une salle pour une formation » at /profil's list of fields was refused
    « Je n'ai pas reconnu ce choix » and lost."""
    alice: Person = person()
    await alice.onboard()
    if english:
        await alice.say("/reglages")
        await alice.press("Langue")
        await alice.press("English")
    await alice.say("/profil")
    menu = alice.question.text
    await alice.say(typed)
    said = alice.text()
    assert "reconnu ce choix" not in said and "recognise" not in said.lower() and "phrase libre" not in said, said
    assert word in said and ("brouillon" in said or "draft" in said.lower()), said  # kept, and said
    assert alice.question.text == menu, said  # the profile's menu again


@pytest.mark.parametrize("typed", ["blabla truc machin chose", "Nom"])
async def test_other_words_at_the_profile_menu_are_unchanged(app, person, typed: str) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/profil")
    await alice.say(typed)
    said = alice.text()
    assert "brouillon" not in said, said


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("on cherche aussi une salle pour une formation", "salle pour une formation"),
        ("slt on a besoin dun frigo pr lepicerie", "frigo"),
    ],
)
async def test_a_need_typed_at_the_settings_menu_is_kept_too(app, person, typed: str, word: str) -> None:
    """The same at /reglages' list of settings: any choice question outside a listing keeps a need."""
    alice: Person = person()
    await alice.onboard()
    await alice.say("/reglages")
    menu = alice.question.text
    await alice.say(typed)
    said = alice.text()
    assert word in said and "brouillon" in said and "reconnu ce choix" not in said, said
    assert alice.question.text == menu, said
