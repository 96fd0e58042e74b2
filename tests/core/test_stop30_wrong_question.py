"""Answers landing on the wrong question (new-user trial 30, 1 December 2026): an e-mail typed at the
themes became the theme « Numérique » (« acme-digital ») and was thrown away; a hedged answer naming
themes (« environnement et alimentation je dirais ? ») was refused as a free sentence; « sport » at a
commune's yes/no confirmation was searched as a commune (Port, Le Port); « c quoi le contact ? »
asked at the themes got the themes' help. Words inside a contact detail never select an option, the
detail is said to be one; hedges are read past; a common word is no commune at a confirmation; a
question about another subject gets that subject's answer."""

from __future__ import annotations

import pytest

from conversations.understanding import contact_detail, without_hedges
from tests.core.people import Person
from tests.core.test_coordination import territory  # noqa: F401  (fixture)

pytestmark = pytest.mark.backends


async def _at_themes(someone: Person) -> None:
    await someone.say("/start")
    await someone.press("Association")
    await someone.say("Les Amis du Rail")
    await someone.say("Villeurbanne")
    await someone.press(someone.question.choices[0].label)
    assert "thèmes" in someone.question.text or "themes" in someone.question.text, someone.question.text


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("en", "you can reach me at sarah.k@acme-digital.example", "That is an e-mail address"),
        ("fr", "vous pouvez me joindre à sarah.k@acme-digital.example", "C'est une adresse e-mail"),
        ("fr", "mon mail : contact@sport-et-culture.fr", "C'est une adresse e-mail"),
        ("fr", "appelez-moi au 06 12 34 56 78", "C'est un numéro de téléphone"),
        ("en", "call me on +33 6 12 34 56 78", "That is a phone number"),
        ("fr", "notre site : www.sport-lyon.fr", "C'est une adresse de site web"),
        ("en", "see https://digital-housing.example.org/about", "That is a web address"),
    ],
)
async def test_a_contact_detail_at_the_themes_selects_no_theme(app, person, language: str, typed: str, said: str) -> None:
    someone: Person = person("sarah", language)
    await _at_themes(someone)
    asked = someone.question.text
    await someone.say(typed)
    text = someone.text()
    assert said in text, text
    assert "Numérique" not in text and "Digital" not in text and "Sport" not in text.split("\n")[0], text
    assert someone.question.text == asked, someone.question.text  # the themes asked again
    if "site" not in said and "web" not in said:
        assert "contact" in text, text  # asked at the contact question, further on


async def test_a_contact_detail_at_the_type_question_is_no_type(app, person) -> None:
    someone: Person = person("sarah", "en")
    await someone.say("/start")
    asked = someone.question.text
    await someone.say("write to me at jo@company-association.example")
    assert "That is an e-mail address" in someone.text() and someone.question.text == asked, someone.text()


def test_what_a_contact_detail_is() -> None:
    assert contact_detail("you can reach me at sarah.k@acme-digital.example") == "email"
    assert contact_detail("06 12 34 56 78") == "phone"
    assert contact_detail("www.sport-lyon.fr") == "url"
    for answer in ("1 2 3 4 5 6 7 8 9 10", "sport et culture", "1, 3", "environnement."):  # option numbers, labels: none
        assert contact_detail(answer) is None, answer


@pytest.mark.parametrize(
    ("language", "typed", "themes"),
    [
        ("fr", "je sais pas trop... environnement et alimentation je dirais ? 🥕", ("Environnement", "Alimentation")),
        ("fr", "je dirais environnement et alimentation", ("Environnement", "Alimentation")),
        ("fr", "environnement je pense", ("Environnement",)),
        ("fr", "euh, sport et culture peut-être ?", ("Sport", "Culture")),
        ("en", "I guess education and environment?", ("Education and youth", "Environment")),
        ("en", "hmm maybe housing and health?", ("Housing", "Health")),
        ("en", "mostly sport I'd say", ("Sport",)),
    ],
)
async def test_a_hedged_answer_naming_themes_is_read_and_said_back(app, person, language: str, typed: str, themes: tuple[str, ...]) -> None:
    someone: Person = person("sarah", language)
    await _at_themes(someone)
    await someone.say(typed)
    text = someone.text()
    first = text.split("\n")[0]
    assert ("C'est noté : thèmes" in first or "Noted: themes" in first) and all(t in first for t in themes), text
    assert "ne répond pas" not in text and "does not answer" not in text, text  # no hedge word said unused
    assert "phrase libre" not in text and "free sentence" not in text, text


def test_without_hedges() -> None:
    assert without_hedges("I guess education and environment?") == "education and environment"
    assert without_hedges("environnement je pense") == "environnement"
    assert without_hedges("sport") == "sport"


async def _at_confirmation(someone: Person) -> str:
    await someone.say("/start")
    await someone.press("Association")
    await someone.say("Les Amis du Rail")
    await someone.say("villeurbane")
    assert "Villeurbanne" in someone.question.text, someone.question.text
    return someone.question.text


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "sport"),
        ("fr", "merci"),
        ("fr", "culture"),
        ("fr", "santé"),
        ("fr", "pardon"),
        ("fr", "bonjour"),
        ("en", "sport"),
        ("en", "thanks"),
        ("en", "hello"),
        ("en", "health"),
    ],
)
async def test_a_common_word_at_the_commune_confirmation_is_no_commune(app, person, language: str, typed: str) -> None:
    someone: Person = person("bob", language)
    asked = await _at_confirmation(someone)
    await someone.say(typed)
    text = someone.text()
    assert "Plusieurs communes" not in text and "Several" not in text, text
    assert someone.question.text == asked, text  # the same confirmation, what it expects said
    assert "oui" in text or "yes" in text, text


@pytest.mark.parametrize(
    ("typed", "shown"), [("non, Bron", "Bron (69)"), ("Vaulx", "Vaulx"), ("c'est à Bron", "Bron (69)"), ("Caluire", "Caluire")]
)
async def test_a_real_commune_at_the_confirmation_is_still_searched(app, person, typed: str, shown: str) -> None:
    someone: Person = person("bob")
    await _at_confirmation(someone)
    await someone.say(typed)
    said = someone.text() + " ".join(c.label for c in someone.question.choices)
    assert shown in said, said


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("fr", "c quoi le contact ? c public ?", "Comment une structure pourra vous joindre"),
        ("fr", "et mon adresse mail elle sera publique ?", "Comment une structure pourra vous joindre"),
        ("en", "is my e-mail shown to everyone?", "How an organisation can reach you"),
        ("en", "what about my contact, is it public?", "How an organisation can reach you"),
    ],
)
async def test_a_question_about_the_contact_at_the_themes_gets_the_contacts_answer(
    app, person, language: str, typed: str, said: str
) -> None:
    someone: Person = person("sarah", language)
    await _at_themes(someone)
    asked = someone.question.text
    await someone.say(typed)
    text = someone.text()
    assert said in text and "💡 Les sujets" not in text and "💡 The topics" not in text, text
    assert someone.question.text == asked


async def test_a_question_about_the_themes_still_gets_the_themes_help(app, person) -> None:
    someone: Person = person("sarah")
    await _at_themes(someone)
    await someone.say("c'est quoi un thème ?")
    assert "Les sujets sur lesquels votre structure agit" in someone.text(), someone.text()


async def test_a_contact_detail_at_the_broadcast_types_is_no_type(territory) -> None:
    from tests.core.test_diff8_broadcast import _at_types

    marie = territory[2]["marie"]
    await _at_types(marie)
    asked = marie.question.text
    await marie.say("écrivez à accueil@mairie-entreprise-association.example")
    assert "C'est une adresse e-mail, pas l'un des choix" in marie.text() and marie.question.text == asked, marie.text()
