"""The commune question and its confirmation (people trying the product, trial 31): a postcode typed at
« Vaulx-en-Velin (69) ? » was refused although the refusal invites one; « super », « c'est bien ça »,
"yep that's it" were refused there while « parfait » was a yes; « non c vaulx » offered Vaulx (74) and
Vaulx (62) rather than the Vaulx-en-Velin just shown; « sport » typed at the commune question proposed
Port. A postcode is read against the commune shown, the confirmation reads yes as decisions do, a
commune already shown or of the bot's territory comes before far-away namesakes, and a common word
is no commune by likeness."""

from __future__ import annotations

import pytest

from tests.core.people import Person

pytestmark = pytest.mark.backends


async def _at_commune(someone: Person, name: str = "Les Amis du Rail") -> str:
    await someone.say("/start")
    await someone.press("Association" if someone.language_code == "fr" else "Association")
    await someone.say(name)
    return someone.question.text


async def _confirming(someone: Person, typed: str, shown: str) -> str:
    await _at_commune(someone)
    await someone.say(typed)
    assert shown in someone.question.text and len(someone.question.choices) <= 3, someone.text()
    return someone.question.text


def _themes_asked(someone: Person) -> bool:
    asked = someone.question.text
    return "thèmes" in asked or "themes" in asked


# ---------------------------------------------------------------- 1. a postcode at the confirmation


@pytest.mark.parametrize(
    ("language", "typed", "shown", "postcode", "kept"),
    [
        ("fr", "vaulx en velin", "Vaulx-en-Velin", "69120", "Vaulx-en-Velin"),
        ("fr", "vaulx en velin", "Vaulx-en-Velin", "  69120 ", "Vaulx-en-Velin"),
        ("fr", "vaulx en velin", "Vaulx-en-Velin", "oui 69120", "Vaulx-en-Velin"),
        ("fr", "villeurbane", "Villeurbanne", "69100", "Villeurbanne"),
        ("fr", "villeurbane", "Villeurbanne", "c'est bien 69100", "Villeurbanne"),
        ("en", "villeurbane", "Villeurbanne", "69100", "Villeurbanne"),
        ("en", "vaulx en velin", "Vaulx-en-Velin", "yes, 69120", "Vaulx-en-Velin"),
    ],
)
async def test_the_postcode_of_the_commune_shown_is_a_yes(
    app, person, language: str, typed: str, shown: str, postcode: str, kept: str
) -> None:
    someone: Person = person("vera", language)
    await _confirming(someone, typed, shown)
    await someone.say(postcode)
    assert _themes_asked(someone), someone.text()
    await someone.say("retour" if language == "fr" else "back")  # the commune kept is offered back
    assert kept in someone.question.text, someone.text()


@pytest.mark.parametrize(
    ("language", "typed", "shown", "postcode", "other"),
    [
        ("fr", "vaulx en velin", "Vaulx-en-Velin", "69500", "Bron"),
        ("fr", "villeurbane", "Villeurbanne", "69200", "Vénissieux"),
        ("fr", "villeurbane", "Villeurbanne", "non 69500", "Bron"),
        ("en", "villeurbane", "Villeurbanne", "69500", "Bron"),
        ("en", "vaulx en velin", "Vaulx-en-Velin", "no, it's 69200", "Vénissieux"),
    ],
)
async def test_the_postcode_of_another_commune_proposes_that_commune(
    app, person, language: str, typed: str, shown: str, postcode: str, other: str
) -> None:
    someone: Person = person("vera", language)
    await _confirming(someone, typed, shown)
    await someone.say(postcode)
    assert other in someone.question.text, someone.text()
    assert not _themes_asked(someone), someone.text()
    await someone.say("oui" if language == "fr" else "yes")
    assert _themes_asked(someone), someone.text()


# ---------------------------------------------------------------- 2. the yes of the confirmation


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", "super"),
        ("fr", "génial"),
        ("fr", "c'est bien ça"),
        ("fr", "exactement"),
        ("fr", "tout à fait"),
        ("fr", "parfait"),
        ("fr", "c'est ça"),
        ("fr", "oui c'est bien ça"),
        ("fr", "nickel"),
        ("fr", "top merci"),
        ("fr", "yes c'est ça"),
        ("en", "yep that's it"),
        ("en", "correct"),
        ("en", "that's right"),
        ("en", "great"),
        ("en", "perfect"),
        ("en", "exactly"),
        ("en", "spot on"),
    ],
)
async def test_a_yes_in_words_confirms_the_commune(app, person, language: str, said: str) -> None:
    someone: Person = person("vera", language)
    await _confirming(someone, "vaulx en velin", "Vaulx-en-Velin")
    await someone.say(said)
    assert _themes_asked(someone), someone.text()


# ---------------------------------------------------------------- 3. the commune already shown comes first


@pytest.mark.parametrize(
    ("language", "first", "second", "shown", "correction"),
    [
        ("fr", "vaulx en velin", "non, Villeurbanne", "Villeurbanne", "non c vaulx"),
        ("fr", "vaulx en velin", "non, Villeurbanne", "Villeurbanne", "non, c'est Vaulx"),
        ("fr", "vaulx en velin", "non, Villeurbanne", "Villeurbanne", "non vaulx"),
        ("en", "vaulx en velin", "no, Villeurbanne", "Villeurbanne", "no it's vaulx"),
    ],
)
async def test_a_commune_already_shown_comes_before_far_namesakes(
    app, person, language: str, first: str, second: str, shown: str, correction: str
) -> None:
    someone: Person = person("vera", language)
    await _confirming(someone, first, "Vaulx-en-Velin")
    await someone.say(second)
    assert shown in someone.question.text, someone.text()
    await someone.say(correction)
    labels = [c.label for c in someone.question.choices]
    assert "Vaulx-en-Velin" in someone.question.text or "Vaulx-en-Velin" in labels[0], (someone.text(), labels)
    assert "Vaulx (74)" not in someone.text() and "Vaulx (74)" not in labels[:1], labels


# ---------------------------------------------------------------- 4. a common word is no commune


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "sport"),
        ("fr", "culture"),
        ("fr", "santé"),
        ("fr", "social"),
        ("fr", "merci"),
        ("fr", "bonjour"),
        ("fr", "asso"),
        ("en", "sport"),
        ("en", "health"),
        ("en", "hello"),
        ("en", "thanks"),
    ],
)
async def test_a_common_word_at_the_commune_question_is_no_commune(app, person, language: str, typed: str) -> None:
    someone: Person = person("vera", language)
    asked = await _at_commune(someone)
    await someone.say(typed)
    text = someone.text()
    assert "Port" not in text and "Plusieurs communes" not in text and "Several" not in text, text
    assert "Je ne trouve pas" in text or "I can't find" in text, text
    assert someone.question.text == asked, text


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("vilerbanne", "Villeurbanne"),
        ("Villeurbane", "Villeurbanne"),
        ("villeurbanne", "Villeurbanne"),
        ("lyon 3", "Lyon 3e"),
        ("venissieu", "Vénissieux"),
        ("vaulx en velain", "Vaulx-en-Velin"),
        ("st priest", "Saint-Priest"),
        ("Bron", "Bron"),
        ("69120", "Vaulx-en-Velin"),
        ("caluire", "Caluire"),
    ],
)
async def test_a_misspelt_commune_is_still_found(app, person, typed: str, shown: str) -> None:
    someone: Person = person("vera")
    await _at_commune(someone)
    await someone.say(typed)
    said = someone.text() + " ".join(c.label for c in someone.question.choices)
    assert shown in said, said
