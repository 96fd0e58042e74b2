"""A refusal says what is wrong, once; the question it refuses an answer to follows it, once.

Trial 39: « Villeurbanne » at the name question was answered « … est une commune : je vous la
demande juste après. Quel est le nom de votre structure ? Par exemple … », then « Quel est le nom
de votre structure ? » again, and every refusal of a name did the same (in English too, worded
differently: "What is your organisation's name?" then "What is the name of your organisation?").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.core.people import Person
from tests.core.test_stop38_trial import _onboard_in_english

LOCALES = Path(__file__).resolve().parents[2] / "conversations" / "locales"


def catalogue(language: str) -> dict[str, str]:
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as stream:
        return {str(m.id): m.string for m in read_po(stream) if m.id and isinstance(m.string, str)}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_refusal_carries_a_question_of_the_conversation(language: str) -> None:
    messages = catalogue(language)
    questions = {key: text.split("\n")[0].strip() for key, text in messages.items() if not key.startswith("error.")}
    questions = {key: line for key, line in questions.items() if line.endswith("?") and len(line) > 20}
    carried = [
        (key, asked) for key, text in messages.items() if key.startswith("error.") for asked in questions if questions[asked] in text
    ]
    assert carried == []


NAME_REFUSED = {
    "fr": [
        "Villeurbanne",
        "contact@jardins.fr",
        "1234",
        "c'est quoi le nom exactement ?",
        "oui",
        "nous aidons les jeunes du quartier à faire leurs devoirs",
    ],
    "en": [
        "Villeurbanne",
        "contact@gardens.org",
        "1234",
        "what do you mean by name?",
        "yes",
        "we help the young people of our area with their homework",
    ],
}


@pytest.mark.parametrize(
    ("language", "typed"), [(language, typed) for language, typed_ones in NAME_REFUSED.items() for typed in typed_ones]
)
async def test_a_refused_name_is_asked_for_once(app, person, language: str, typed: str) -> None:
    ana: Person = person("ana", language)
    await ana.say("/start")
    await ana.say("1")
    asked = ana.question.text.split("\n")[0]
    replies = await ana.say(typed)
    assert len(replies) == 2 and replies[-1].text.split("\n")[0] == asked, [r.text for r in replies]
    refusal = replies[0].text
    assert "?" not in refusal.split("\n")[0] and asked not in refusal, refusal


SAID_NOT_NAMED = {
    "fr": [
        "nous aidons les jeunes du quartier à faire leurs devoirs",
        "Nous accompagnons les familles vers l'emploi",
        "on aide les seniors isolés à faire leurs courses",
        "ils organisent des maraudes le soir",
    ],
    "en": ["we help young people with their homework", "We support families in finding work", "they run a food bank in Lille"],
}
STILL_NAMES = {
    "fr": ["Nous Toutes", "Les Restos du Cœur", "On Air Radio", "Maison des associations de Villeurbanne", "Nous les Femmes"],
    "en": ["We Are Family", "On Track Mentoring", "Riverside Food Bank", "We Love Green"],
}


@pytest.mark.parametrize(("language", "typed"), [(language, typed) for language, said in SAID_NOT_NAMED.items() for typed in said])
async def test_a_sentence_saying_what_the_structure_does_is_no_name(app, person, language: str, typed: str) -> None:
    """Trial 40: « nous aidons les jeunes du quartier à faire leurs devoirs » became the association's name
    (« nous sommes … », « on cherche … » were refused, not the verbs that say what a structure does)."""
    ana: Person = person("ana", language)
    await ana.say("/start")
    await ana.say("1")
    asked = ana.question.text.split("\n")[0]
    await ana.say(typed)
    assert ana.question.text.split("\n")[0] == asked, ana.text()


@pytest.mark.parametrize(("language", "typed"), [(language, typed) for language, names in STILL_NAMES.items() for typed in names])
async def test_names_that_start_like_a_sentence_are_still_names(app, person, language: str, typed: str) -> None:
    ana: Person = person("ana", language)
    await ana.say("/start")
    await ana.say("1")
    asked = ana.question.text.split("\n")[0]
    await ana.say(typed)
    assert ana.question.text.split("\n")[0] != asked, ana.text()


def shared_wording(refusal: str, question: str, size: int = 3) -> set[tuple[str, ...]]:
    """The runs of ``size`` words the refusal says as the question does."""

    def runs(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"[^\W\d_]+", text.lower())
        return {tuple(words[k : k + size]) for k in range(len(words) - size + 1)}

    return runs(refusal.split("\n")[0]) & runs(question)


@pytest.mark.parametrize(
    ("language", "command", "typed"), [("fr", "/offre", "fay@example.org"), ("en", "/need", "call me on +33 6 12 34 56 78")]
)
async def test_a_description_refused_for_being_a_contact_does_not_ask_twice(app, person, language: str, command: str, typed: str) -> None:
    fay: Person = person("fay", language)
    await fay.onboard() if language == "fr" else await _onboard_in_english(fay)
    await fay.say(command)
    await fay.say("1")
    replies = await fay.say(typed)
    assert len(replies) == 2 and replies[-1] == fay.question, [r.text for r in replies]
    assert shared_wording(replies[0].text, fay.question.text) == set(), [r.text for r in replies]
