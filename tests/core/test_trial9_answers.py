"""Defects of the answers typed at the profile's questions (ninth trial, 1 Dec 2026): a sentence
naming the type and a need at the type question refused, a question at the commune question read
as a commune, a correction of the type at a later question taken as the name, "un peu tout"
ticking every theme silently, an English first answer answered in French, one-word noise at the
« Je garde … ? » question taken as a new text, and drafts announced with a command they do not
need. Each test failed before its fix."""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_coordination import rows

pytestmark = pytest.mark.backends


async def _at_commune(someone: Person, name: str = "Les Amis du Quartier") -> None:
    await someone.say("/start")
    await someone.say("1")
    await someone.say(name)
    assert "commune" in someone.question.text or "municipality" in someone.question.text, someone.text()


# ---------------------------------------------------------------- 1. the type and a need at the type question


@pytest.mark.parametrize(
    ("language", "typed", "kind", "draft"),
    [
        ("fr", "on est une asso de quartier et on cherche des bénévoles pour notre fête", "Association", "bénévoles"),
        ("fr", "Nous sommes une petite entreprise de plomberie, on peut prêter notre camionnette le week-end", "Entreprise", "camionnette"),
        ("fr", "bonjour on est une association sportive, il nous manque un local pour ranger le materiel", "Association", "local"),
        ("en", "we're a small charity and we need volunteers for our street party", "Association", "volunteers"),
        ("en", "We are a company and we can lend our meeting room", "Company", "meeting room"),
    ],
)
async def test_a_sentence_at_the_type_question_gives_the_type_and_keeps_the_need(
    app, person, language: str, typed: str, kind: str, draft: str
) -> None:
    someone: Person = person("someone", language)
    await someone.say("/start")
    await someone.say(typed)
    assert kind in someone.text(), someone.text()
    assert draft in someone.text(), someone.text()  # the need kept, said
    assert "nom" in someone.question.text or "name" in someone.question.text, someone.text()  # the type is answered
    assert "/offre" not in someone.text() and "/offer" not in someone.text(), someone.text()  # proposed later, not a command
    await someone.say("Les Voisins Solidaires")
    await someone.say("Villeurbanne")
    await someone.say("1")
    await someone.say("1")
    await someone.press(someone.question.choices[0].label)
    await someone.say("1")
    assert draft in someone.text(), someone.text()  # the draft proposed once the profile is made
    [(stored,)] = rows(app, "SELECT kind FROM actors")
    assert stored == ("association" if kind == "Association" else "entreprise"), stored


async def test_a_need_naming_a_type_is_no_type(app, person) -> None:
    someone: Person = person("someone", "fr")
    await someone.say("/start")
    await someone.say("on cherche une entreprise pour nous prêter un camion samedi")
    assert "Quel type de structure" in someone.question.text, someone.text()  # asked again, the need kept
