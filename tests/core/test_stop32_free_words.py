"""Free words missed at choices (people playing new users, stop 32):

1. at the top /reglages menu, « une fois par mois ça suffira », « moins souvent svp », "in English please" were
   refused although they work one level down: words naming a setting's value apply it there too, said back;
2. at the consent question, "both are fine", « les deux me vont », « ok pour les deux », « tout me va » were refused:
   words that take both (or all) with an appraisal around them are « Oui aux deux »;
3. at the commune question and its confirmation, « villeurbanne, near gratte ciel », « à Bron près du parc de
   Parilly », « nan pardon on est a villeurbanne, pas lyon, juste à côté du métro » were not read: the commune named
   with place details is that commune, the details are no commune;
4. at a listing's actions in /annonces, « en fait il faut aussi un permis B » was refused: a precision typed there is
   offered as an addition to that listing's description (said back, « non » leaves it as it was).

Guards: words that name nothing still get the question again, nothing changed."""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_conversations import rows
from tests.core.test_keep5_defects import _to_english

pytestmark = pytest.mark.backends


# ---------------------------------------------------------------- 1. a setting's value at the top /reglages menu


@pytest.mark.parametrize(
    ("english", "typed", "said", "frequency"),
    [
        (False, "une fois par mois ça suffira", "suggestions chaque mois", "monthly"),
        (False, "only once a month would be great", "suggestions chaque mois", "monthly"),
        (False, "tous les mois svp", "suggestions chaque mois", "monthly"),
        (False, "je préfère toutes les deux semaines", "suggestions toutes les deux semaines", "biweekly"),
        (False, "moins souvent svp", "suggestions toutes les deux semaines", "biweekly"),
        (False, "plus rarement s'il vous plaît", "suggestions toutes les deux semaines", "biweekly"),
        (True, "monthly please", "suggestions every month", "monthly"),
        (True, "only once a month would be great", "suggestions every month", "monthly"),
        (True, "less often please", "suggestions every two weeks", "biweekly"),
        (True, "every other week is fine", "suggestions every two weeks", "biweekly"),
    ],
)
async def test_a_frequency_at_the_settings_menu_is_applied(app, person, english: bool, typed: str, said: str, frequency: str) -> None:
    alice: Person = person("alice")
    await alice.onboard()
    if english:
        await _to_english(alice)
    await alice.say("/reglages")
    await alice.say(typed)
    assert said in alice.text(), alice.text()
    assert rows(app, "SELECT frequency FROM actors") == [(frequency,)], alice.text()


@pytest.mark.parametrize(
    ("english", "typed", "said", "language"),
    [
        (False, "in English please", "I will write to you in English", "en"),
        (False, "en anglais svp", "I will write to you in English", "en"),
        (False, "passer en anglais", "I will write to you in English", "en"),
        (True, "in French please", "je vous écris en français", "fr"),
        (True, "switch to French", "je vous écris en français", "fr"),
    ],
)
async def test_a_language_at_the_settings_menu_is_applied(app, person, english: bool, typed: str, said: str, language: str) -> None:
    alice: Person = person("alice")
    await alice.onboard()
    if english:
        await _to_english(alice)
    await alice.say("/reglages")
    await alice.say(typed)
    assert said in alice.text(), alice.text()
    assert rows(app, "SELECT language FROM actors") == [(language,)], alice.text()


@pytest.mark.parametrize("typed", ["bof", "je sais pas trop", "hmm let me think", "quelle est la différence ?"])
async def test_words_naming_no_setting_ask_the_menu_again(app, person, typed: str) -> None:
    alice: Person = person("alice")
    await alice.onboard()
    await alice.say("/reglages")
    asked = alice.question.text
    await alice.say(typed)
    assert alice.question.text == asked, alice.text()
    assert rows(app, "SELECT frequency, language FROM actors") == [("weekly", "fr")], alice.text()


# ---------------------------------------------------------------- 2. both at the consent question


async def _at_consents(someone: Person) -> None:
    await someone.say("/start")
    await someone.press(someone.question.choices[0].label)
    await someone.say("Les Jardins Partagés")
    await someone.say("Villeurbanne")
    await someone.press(someone.question.choices[0].label)  # the commune: yes
    await someone.tick(someone.question.choices[0].label)  # a theme
    for _ in range(2):  # the contact: the account they write from
        if "joindre" in someone.question.text or "reach" in someone.question.text:
            await someone.press(someone.question.choices[0].label)
    assert {"Oui aux deux", "Yes to both"} & {c.label for c in someone.question.choices}, someone.text()


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "les deux me vont"),
        ("fr", "ok pour les deux"),
        ("fr", "tout me va"),
        ("fr", "les deux ça me va"),
        ("fr", "les deux c'est parfait"),
        ("fr", "oui les deux sont bien"),
        ("en", "both are fine"),
        ("en", "both is fine"),
        ("en", "ok for both"),
        ("en", "all good with both"),
        ("en", "both work for me"),
    ],
)
async def test_both_in_words_at_the_consents_is_yes_to_both(app, person, language: str, typed: str) -> None:
    someone: Person = person("nina", language)
    await _at_consents(someone)
    await someone.say(typed)
    assert rows(app, "SELECT consent_matching, consent_calls FROM actors") == [(1, 1)], someone.text()


@pytest.mark.parametrize(("language", "typed"), [("fr", "je sais pas"), ("fr", "bof"), ("en", "hmm not sure")])
async def test_words_naming_no_consent_ask_it_again(app, person, language: str, typed: str) -> None:
    someone: Person = person("nina", language)
    await _at_consents(someone)
    asked = someone.question.text
    await someone.say(typed)
    assert someone.question.text == asked and rows(app, "SELECT COUNT(*) FROM actors") == [(0,)], someone.text()


# ---------------------------------------------------------------- 3. a commune with place details


async def _at_commune(someone: Person) -> None:
    await someone.say("/start")
    await someone.press(someone.question.choices[0].label)
    await someone.say("Les Amis du Rail")


@pytest.mark.parametrize(
    ("language", "typed", "shown"),
    [
        ("en", "villeurbanne, near gratte ciel", "Villeurbanne"),
        ("en", "Villeurbanne near the Gratte-Ciel metro", "Villeurbanne"),
        ("en", "in Bron, close to Parilly park", "Bron"),
        ("fr", "villeurbanne vers le gratte-ciel", "Villeurbanne"),
        ("fr", "à Bron près du parc de Parilly", "Bron"),
        ("fr", "Villeurbanne, quartier des Gratte-Ciel", "Villeurbanne"),
        ("fr", "vénissieux à côté du marché", "Vénissieux"),
        ("fr", "on est à Bron juste à côté du parc", "Bron"),
    ],
)
async def test_a_commune_with_place_details_is_that_commune(app, person, language: str, typed: str, shown: str) -> None:
    someone: Person = person("sarah", language)
    await _at_commune(someone)
    await someone.say(typed)
    assert shown in someone.question.text and len(someone.question.choices) <= 3, someone.text()


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "nan pardon on est a villeurbanne, pas lyon, juste à côté du métro"),
        ("fr", "non on est à villeurbanne près du métro"),
        ("fr", "non, villeurbanne vers les gratte-ciel"),
        ("en", "no sorry we're in villeurbanne, not lyon, right next to the metro"),
    ],
)
async def test_a_correction_with_place_details_at_the_confirmation_is_that_commune(app, person, language: str, typed: str) -> None:
    someone: Person = person("sarah", language)
    await _at_commune(someone)
    await someone.say("Lyon")
    assert "Lyon" in someone.question.text, someone.text()
    await someone.say(typed)
    assert "Villeurbanne" in someone.question.text and len(someone.question.choices) <= 3, someone.text()


# ---------------------------------------------------------------- 4. a precision at a listing's actions


async def _at_the_listing_actions(alice: Person, english: bool) -> None:
    await alice.onboard()
    if english:
        await _to_english(alice)
    await alice.say("/besoin")
    await alice.press("Bénévoles" if not english else "Volunteers")
    await alice.say("Des bras pour la distribution du samedi." if not english else "Helping hands for the Saturday distribution.")
    await alice.press(alice.question.choices[0].label)
    await alice.say("/annonces" if not english else "/listings")
    await alice.say("1")
    assert "Modifier la description" in [c.label for c in alice.question.choices] or english, alice.text()


@pytest.mark.parametrize(
    ("english", "typed", "word"),
    [
        (False, "en fait il faut aussi un permis B", "permis B"),
        (False, "il faudrait aussi savoir conduire une camionnette", "camionnette"),
        (False, "et en plus il faut être dispo le dimanche", "dimanche"),
        (False, "je précise : c'est de 8h à 12h", "de 8h à 12h"),
        (True, "also it needs to be available on Sundays", "Sundays"),
        (True, "actually they also need a driving licence", "driving licence"),
        (True, "to be precise: from 8am to noon", "8am to noon"),
    ],
)
async def test_a_precision_at_a_listings_actions_is_offered_as_an_addition(app, person, english: bool, typed: str, word: str) -> None:
    alice: Person = person("alice")
    await _at_the_listing_actions(alice, english)
    await alice.say(typed)
    said = alice.text()
    assert word in said and rows(app, "SELECT COUNT(*) FROM listings") == [(1,)], said
    assert word not in rows(app, "SELECT description FROM listings")[0][0], said  # asked, not yet added
    await alice.say("yes" if english else "oui")
    said = alice.text()
    (description,) = rows(app, "SELECT description FROM listings")[0]
    assert word in description and ("distribution" in description), description
    assert rows(app, "SELECT COUNT(*) FROM listings") == [(1,)], said
    assert word in said, said  # the new description said back


@pytest.mark.parametrize("english", [False, True])
async def test_a_precision_refused_at_a_listings_actions_changes_nothing(app, person, english: bool) -> None:
    alice: Person = person("alice")
    await _at_the_listing_actions(alice, english)
    before = rows(app, "SELECT description FROM listings")
    await alice.say("also it needs to be available on Sundays" if english else "en fait il faut aussi un permis B")
    await alice.say("no" if english else "non")
    assert rows(app, "SELECT description FROM listings") == before, alice.text()
    assert rows(app, "SELECT COUNT(*) FROM listings") == [(1,)], alice.text()


@pytest.mark.parametrize("typed", ["bof", "hmm", "azerty qsdf"])
async def test_words_naming_nothing_at_a_listings_actions_ask_again(app, person, typed: str) -> None:
    alice: Person = person("alice")
    await _at_the_listing_actions(alice, False)
    asked = alice.question.text
    before = rows(app, "SELECT description, status FROM listings")
    await alice.say(typed)
    assert alice.question.text == asked and rows(app, "SELECT description, status FROM listings") == before, alice.text()


@pytest.mark.parametrize(
    "typed",
    ["Oh we're next to the town hall, 69100 Villeurbanne", "on est près de la mairie, à Villeurbanne", "derrière la gare ; villeurbanne"],
)
async def test_place_details_before_the_commune_leave_the_commune(app, person, typed: str) -> None:
    """Details end with their clause: a commune said after them is still read (ci of stop 32: « next to the town
    hall, 69100 Villeurbanne » lost its commune with the details)."""
    someone: Person = person("sam", "fr")
    await someone.say("/start")
    await someone.say("1")
    await someone.say("Les Potes")
    await someone.say(typed)
    assert "Villeurbanne (69)" in someone.text(), someone.text()
