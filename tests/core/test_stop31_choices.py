"""Free sentences at choice questions (trial 31, 2 December 2026): the meaning was plain, the answer a
refusal. « passer en anglais », « une fois par mois ça suffira », "switch to French please" at
/reglages; « 10 km c bien » at the zone; « je choisis : la boulangerie, … » at /groupe; « hello again »
at a pending question. A sentence is read for the option it names: the words that open the choice
(« je prends », "I'll take") and those that appraise it (« ça suffira », "is fine") are read past, and
the everyday ways of saying an option (« tous les mois », « anglais ») choose it."""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_conversations import rows
from tests.core.test_groups import clock, territory  # noqa: F401  (fixtures)
from tests.core.test_keep5_defects import _suggested
from tests.core.test_suggestions import count, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends


async def _in_english(someone: Person) -> None:
    await someone.say("/reglages")
    await someone.press("Langue")
    await someone.press("English")


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("fr", "passer en anglais", "I will write to you in English"),
        ("fr", "mets-moi en anglais", "I will write to you in English"),
        ("fr", "écrivez-moi en anglais s'il vous plaît", "I will write to you in English"),
        ("fr", "anglais svp", "I will write to you in English"),
        ("fr", "english please", "I will write to you in English"),
        ("en", "switch to French please", "je vous écris en français"),
        ("en", "French please", "je vous écris en français"),
        ("en", "in French, thanks", "je vous écris en français"),
        ("en", "I'd rather have French", "je vous écris en français"),
    ],
)
async def test_a_language_said_in_a_sentence_is_that_language(app, person, language: str, typed: str, said: str) -> None:
    alice: Person = person("alice")
    await alice.onboard()
    if language == "en":
        await _in_english(alice)
    await alice.say("/reglages")
    await alice.press("Langue" if language == "fr" else "Language")
    await alice.say(typed)
    assert said in alice.text(), alice.text()


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("fr", "une fois par mois ça suffira", "suggestions chaque mois"),
        ("fr", "tous les mois", "suggestions chaque mois"),
        ("fr", "plutôt une fois par mois", "suggestions chaque mois"),
        ("fr", "je prends tous les mois merci", "suggestions chaque mois"),
        ("fr", "mensuel c'est bien", "suggestions chaque mois"),
        ("fr", "toutes les semaines", "suggestions chaque semaine"),
        ("fr", "une fois par semaine ça ira", "suggestions chaque semaine"),
        ("fr", "tous les quinze jours", "suggestions toutes les deux semaines"),
        ("en", "once a month is enough", "suggestions every month"),
        ("en", "once a month will do", "suggestions every month"),
        ("en", "I'll take every two weeks", "suggestions every two weeks"),
        ("en", "every other week please", "suggestions every two weeks"),
        ("en", "once a week is fine", "suggestions every week"),
    ],
)
async def test_a_frequency_said_in_a_sentence_is_that_frequency(app, person, language: str, typed: str, said: str) -> None:
    alice: Person = person("alice")
    await alice.onboard()
    if language == "en":
        await _in_english(alice)
    await alice.say("/reglages")
    await alice.press("Fréquence des suggestions" if language == "fr" else "Suggestion frequency")
    await alice.say(typed)
    assert said in alice.text(), alice.text()


@pytest.mark.parametrize("typed", ["pas tous les mois", "not every month"])
async def test_a_frequency_denied_or_asked_is_no_choice(app, person, typed: str) -> None:
    alice: Person = person("alice")
    await alice.onboard()
    await alice.say("/reglages")
    await alice.press("Fréquence des suggestions")
    asked = alice.question.text
    await alice.say(typed)
    assert "C'est noté" not in alice.text() and alice.question.text == asked, alice.text()


def test_choice_reading() -> None:
    from conversations.understanding import choice_reading  # here: the rows above also run on the base, which has none

    assert choice_reading("une fois par mois ça suffira") == "une fois par mois"
    assert choice_reading("switch to French please") == "french"
    assert choice_reading("10 km c bien") == "10 km"
    assert choice_reading("within 10 km is fine") == "10 km"
    assert choice_reading("chaque mois") is None  # nothing around the option


async def _at_the_zone(someone: Person, language: str) -> None:
    await someone.onboard()
    if language == "en":
        await _in_english(someone)
    await someone.say("/offre" if language == "fr" else "/offer")
    await someone.press("Locaux" if language == "fr" else "Premises")
    await someone.say("Une salle de réunion libre le mardi soir." if language == "fr" else "A meeting room, free on Tuesday evenings.")
    assert any(c.value == "radius:10" for c in someone.question.choices), someone.question.choices


@pytest.mark.parametrize(
    ("language", "typed", "km"),
    [
        ("fr", "10 km c bien", 10),
        ("fr", "10 km ça ira", 10),
        ("fr", "10km ça suffira", 10),
        ("fr", "dans un rayon de 35 km", 35),
        ("fr", "je dirais 35 kilomètres", 35),
        ("fr", "plutôt dix km", 10),
        ("en", "within 10 km is fine", 10),
        ("en", "35 km please", 35),
        ("en", "10 km will do", 10),
        ("fr", "10 bornes autour ca ira", 10),  # trial 31b: added to the description, public
        ("fr", "35 bornes max", 35),
        ("en", "10 kilometers around is fine", 10),
    ],
)
async def test_a_radius_said_in_a_sentence_is_that_zone(app, person, language: str, typed: str, km: int) -> None:
    alice: Person = person("alice")
    await _at_the_zone(alice, language)
    await alice.say(typed)
    assert "enregistrée" in alice.text() or "saved" in alice.text(), alice.text()
    assert rows(app, "SELECT zone_kind, radius_km FROM listings") == [("radius", km)]


@pytest.mark.parametrize("typed", ["pas 10 km", "20 km c bien", "10 ou 35 km", "20 bornes autour ca ira", "un peu partout dans le coin"])
async def test_a_radius_not_offered_or_denied_is_no_zone(app, person, typed: str) -> None:
    alice: Person = person("alice")
    await _at_the_zone(alice, "fr")
    asked = alice.question.text
    await alice.say(typed)
    assert alice.question.text == asked and not rows(app, "SELECT id FROM listings"), alice.text()
    assert "description" not in alice.text(), alice.text()  # words about the zone are never more of the description


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "je choisis : la boulangerie, les jardins et la ferme"),
        ("fr", "je prends la boulangerie, les jardins et la ferme urbaine"),
        ("fr", "on prend boulangerie, jardins, ferme"),
        ("en", "I'll take the boulangerie, jardins and ferme"),
        ("en", "I choose: boulangerie, jardins, ferme"),
    ],
)
async def test_a_lead_in_before_the_names_of_a_group_is_read_past(territory, language: str, typed: str) -> None:
    _, _, people = territory
    marie: Person = people["marie"]
    if language == "en":
        await _in_english(marie)
    await marie.say("/groupe")
    await marie.say(typed)  # at « qui voulez-vous réunir ? »: actors chosen
    assert "tonkin, gratte-ciel" in marie.question.text, marie.text()
    await marie.say(typed)  # at the names: those named
    text = marie.text()
    assert "personne pour" not in text and "nobody" not in text.lower() and "phrase libre" not in text, text
    listed = " ".join(c.label for c in marie.question.choices)
    for name in ("Boulangerie Gratte-Ciel", "Jardins Partagés", "Ferme Urbaine"):
        assert name in listed, listed


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("fr", "re bonjour", "Re-bonjour !"),
        ("fr", "coucou c'est encore moi", "Re-bonjour !"),
        ("fr", "Rebonjour !", "Re-bonjour !"),
        ("fr", "me revoilà", "Re-bonjour !"),
        ("fr", "salut à tous", "Re-bonjour !"),
        ("en", "hello again", "Hello again!"),
        ("en", "hi, it's me again", "Hello again!"),
        ("en", "hey there", "Hello again!"),
    ],
)
async def test_a_greeting_at_a_pending_question_asks_it_again_kindly(app, person, language: str, typed: str, said: str) -> None:
    alice: Person = person("alice")
    await alice.onboard()
    if language == "en":
        await _in_english(alice)
    await alice.say("/besoin" if language == "fr" else "/need")
    asked = alice.question.text
    await alice.say(typed)
    text = alice.text()
    assert text.startswith(said) and alice.question.text == asked, text
    assert "reconnu" not in text and "recognise" not in text and "phrase libre" not in text, text


def test_greeting_only() -> None:
    from conversations.understanding import greeting_only  # here: the rows above also run on the base, which has none

    for greeting in ("hello again", "re bonjour", "coucou c'est encore moi", "re-coucou", "good morning again"):
        assert greeting_only(greeting), greeting
    for other in ("bonjour je cherche un local", "salut Paul", "Matériel", "bonjour, le 2", "hello 2"):
        assert not greeting_only(other), other


@pytest.mark.parametrize(
    ("english", "typed", "said"),
    [
        (False, "ah oui grave ça m'interesse, c'est gratuit ?", "je ne connais ni les prix ni les conditions"),
        (False, "oui ça m'intéresse, c'est payant ?", "je ne connais ni les prix ni les conditions"),
        (False, "carrément, ça nous intéresse ! ils sont dispo quand ?", "une fois la mise en relation faite"),
        (True, "yes definitely, is it free?", "I don't know your partners' prices or terms"),
        (True, "oh yes we're interested, how much does it cost?", "once you are introduced"),
    ],
)
async def test_a_yes_with_a_question_is_the_yes_and_the_question_answered(two_sides, english: bool, typed: str, said: str) -> None:
    app, alice, _ = two_sides
    await _suggested(app, alice, english)
    await alice.say(typed)
    text = alice.text()
    assert count(app, "SELECT COUNT(*) FROM introductions") == 1, text
    assert said in text, text


@pytest.mark.parametrize("typed", ["oui mais c'est payant ?", "bof, c'est gratuit ?"])
async def test_a_question_without_a_clear_yes_is_no_yes(two_sides, typed: str) -> None:
    app, alice, _ = two_sides
    await _suggested(app, alice)
    await alice.say(typed)
    assert count(app, "SELECT COUNT(*) FROM introductions") == 0, alice.text()


@pytest.mark.parametrize(
    ("language", "command", "typed", "said"),
    [
        ("fr", "/offre", "on peut aussi faire des gateaux pour vos evenements", "Matériel"),
        ("fr", "/offre", "on peut aussi faire des gâteaux pour vos événements", "Matériel"),
        ("fr", "/offre", "nous proposons un buffet pour vos fêtes de quartier", "Matériel"),
        ("fr", "/besoin", "il nous faudrait des pâtisseries pour le goûter des enfants", "Matériel"),
        ("en", "/offer", "we can also bake cakes for your events", "Equipment"),
        ("en", "/offer", "we can bring pastries for your open day", "Equipment"),
    ],
)
async def test_a_sentence_at_the_category_picks_the_category_the_menu_reads(
    app, person, language: str, command: str, typed: str, said: str
) -> None:
    alice: Person = person("alice")
    await alice.onboard()
    if language == "en":
        await _in_english(alice)
    await alice.say(command)
    asked = alice.question.text
    await alice.say(typed)
    text = alice.text()
    assert said in text and alice.question.text != asked, text
    assert "reconnu" not in text and "recognise" not in text and "phrase libre" not in text, text


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "villeurbane je vous l'ai deja dit lol"),
        ("fr", "Villeurbanne, je l'ai déjà dit mdr"),
        ("fr", "villeurbanne comme je l'ai dit haha"),
        ("en", "Villeurbanne, I already told you lol"),
    ],
)
async def test_a_commune_said_again_with_a_laugh_is_found(app, person, language: str, typed: str) -> None:
    someone: Person = person("sarah", language)
    await someone.say("/start")
    await someone.press(someone.question.choices[0].label)
    await someone.say("Les Amis du Rail")
    await someone.say(typed)
    assert "Villeurbanne" in someone.question.text, someone.text()
