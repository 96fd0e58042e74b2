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
from tests.core.test_coordination import territory  # noqa: F401  (fixture)

pytestmark = pytest.mark.backends


async def _at_commune(someone: Person, name: str = "Les Amis du Rail") -> str:
    await someone.say("/start")
    await someone.press("Association")
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
        ("fr", "vaulx en velin", "non, Villeurbanne", "Villeurbanne", "nan c vaulx"),
        ("fr", "vaulx en velin", "non, Villeurbanne", "Villeurbanne", "c vaulx"),
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


@pytest.mark.parametrize(
    ("language", "typed", "first"),
    [
        ("fr", "vaulx", "Vaulx-en-Velin (69)"),
        ("fr", "on est à vaulx", "Vaulx-en-Velin (69)"),
        ("fr", "saint priest", "Saint-Priest (69)"),
        ("fr", "c vaulx", "Vaulx-en-Velin (69)"),
        ("fr", "c'est vaulx", "Vaulx-en-Velin (69)"),
        ("en", "vaulx", "Vaulx-en-Velin (69)"),
    ],
)
async def test_the_communes_of_the_bots_territory_come_first(territory, language: str, typed: str, first: str) -> None:
    app, adapter, _people = territory  # a coordinator of Villeurbanne: the bot serves the Rhône
    someone = Person(app.runtime, adapter, "newcomer", language)
    await _at_commune(someone)
    await someone.say(typed)
    labels = [c.label for c in someone.question.choices]
    assert first in someone.question.text or (labels and labels[0] == first), (someone.text(), labels)


async def test_far_namesakes_stay_proposed_without_a_territory(app, person) -> None:
    someone: Person = person("vera")
    await _at_commune(someone)
    await someone.say("vaulx")  # nothing says where the person is: every Vaulx, listed
    labels = [c.label for c in someone.question.choices]
    assert "Vaulx (74)" in labels and "Vaulx-en-Velin (69)" in labels, labels


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


# ---------------------------------------------------------------- 5. a contact typed at the themes is kept for its question


async def _at_themes(someone: Person) -> None:
    await _confirming(someone, "Villeurbanne", "Villeurbanne")
    await someone.press(someone.question.choices[0].label)
    assert _themes_asked(someone), someone.text()


@pytest.mark.parametrize(
    ("language", "typed", "detail", "yes"),
    [
        ("fr", "kate@ruche-villeurbanne.example", "kate@ruche-villeurbanne.example", "oui"),
        ("fr", "vous pouvez m'écrire à kate@ruche.example", "kate@ruche.example", "oui merci"),
        ("fr", "mon numéro : 06 12 34 56 78", "06 12 34 56 78", "ok"),
        ("en", "my e-mail is kate@ruche.example", "kate@ruche.example", "yes"),
        ("en", "call me on 06 12 34 56 78", "06 12 34 56 78", "yes please"),
    ],
)
async def test_a_contact_typed_at_the_themes_is_offered_at_the_contact_question(
    app, person, language: str, typed: str, detail: str, yes: str
) -> None:
    someone: Person = person("kate", language)
    await _at_themes(someone)
    asked = someone.question.text
    await someone.say(typed)
    kept = someone.text()
    assert detail in kept and someone.question.text == asked, kept  # said kept, the themes asked again
    await someone.press(someone.question.choices[0].label)  # a theme: the contact question comes
    offered = someone.text()
    assert detail in offered, offered  # « Je reprends kate@… ? » at the contact question
    await someone.say(yes)
    noted = someone.text()
    assert detail[-10:] in noted, noted  # « C'est noté : contact … » (a phone written +33 6 …)
    assert "suggère" in someone.question.text or "suggest" in someone.question.text, noted  # the contact answered


async def test_another_contact_typed_at_the_contact_question_wins(app, person) -> None:
    someone: Person = person("kate")
    await _at_themes(someone)
    await someone.say("kate@ruche.example")
    await someone.press(someone.question.choices[0].label)
    await someone.say("contact@autre.example")
    assert "contact@autre.example" in someone.text() and "kate@ruche.example" not in someone.text(), someone.text()


# ---------------------------------------------------------------- 6. no listing spoken of at the profile's themes


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "je dirais culture ? et un peu social, le soir"),  # « un peu » is part of the answer (stop 33): « le soir » is not
        ("fr", "culture, et surtout le mardi soir"),
        ("en", "culture and a bit of social stuff on weekends"),
    ],
)
async def test_words_left_at_the_profile_themes_speak_of_no_listing(app, person, language: str, typed: str) -> None:
    someone: Person = person("kate", language)
    await _at_themes(someone)
    await someone.say(typed)
    text = someone.text()
    assert "annonce" not in text and "listing" not in text, text
    assert "ne répond pas" in text or "does not answer" in text, text


async def test_words_left_at_the_themes_of_profile_edit_speak_of_no_listing(app, person) -> None:
    someone: Person = person("kate")
    await someone.onboard()
    await someone.say("/profil")
    await someone.press(next(c.label for c in someone.question.choices if "hème" in c.label))
    await someone.say("culture et un peu le mardi soir")
    assert "annonce" not in someone.text(), someone.text()
