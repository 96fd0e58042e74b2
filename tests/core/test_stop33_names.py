"""Names and communes given in free words (trial 32, 2 December 2026, people playing new users on a fresh clone).

1. « slt c karim du FC Bron, on est un club de foot » gave no name: an SMS introduction (« c », « c'est », « ici »,
   « moi c'est », a greeting) before a first name in lower case and « du/de <structure> » says who writes and their
   structure. The commune a club's name only suggests (« FC Bron ») is proposed at the commune question, never set.
2. « ici Hélène du comité des fêtes de la Grappinière à Vaulx en Velin » gave the name « Grappinière »: the words of a
   type of structure (comité des fêtes, amicale, club, collectif, maison des…) are the start of its name; « à <commune> »
   after it is the commune.
3. At /profil, « FC Bron comme j'ai dit » kept the aside in the name: what says it was said before (« comme j'ai dit »,
   « je répète », "as I said") is no part of a name, and is said back as set aside while a profile is made.
4. /profil answered « C'est modifié. » without the new value: it says it (« Nom : FC Bron — c'est modifié. »).
5. « de » before a name starting with a vowel was written « de Amicale »: elided (« d'Amicale »), in every message.
"""

from __future__ import annotations

import re

import pytest

from conversations.i18n import catalog, translate
from conversations.understanding import asides_of, introduced, name_in_answer
from tests.core.people import Person
from tests.core.test_intro7_first_messages import _data
from tests.core.test_trial10_listing_sentence import _onboard_en

pytestmark = pytest.mark.backends


# ---------------------------------------------------------------- 1. an SMS introduction: who writes, and their club


@pytest.mark.parametrize(
    ("text", "person", "name"),
    [
        ("slt c karim du FC Bron, on est un club de foot", "Karim", "FC Bron"),
        ("c karim du FC Bron", "Karim", "FC Bron"),
        ("ici karim du FC Bron, on cherche des ballons", "Karim", "FC Bron"),
        ("moi c'est karim du FC Bron", "Karim", "FC Bron"),
        ("moi c est karim du FC Bron", "Karim", "FC Bron"),
        ("moi c karim du FC Bron on cherche des ballons", "Karim", "FC Bron"),
        ("bjr c moi nadia de l'AS Vaulx", "Nadia", "AS Vaulx"),
        ("slt karim du FC Bron", "Karim", "FC Bron"),
        ("slt c nadia du collectif des Voisins Solidaires à Lyon", "Nadia", "Collectif des Voisins Solidaires"),
        ("Hi, this is Karim from FC Bron", "Karim", "FC Bron"),  # guard: read today
    ],
)
def test_an_sms_introduction_gives_who_writes_and_the_structure(text: str, person: str, name: str) -> None:
    who = introduced(text)
    assert (who.person, who.organisation) == (person, name), who


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("c urgent de Lyon", None),  # no one's first name: nothing read
        ("slt, besoin de Bénévoles pour samedi", None),
        ("Bonjour, je suis trésorier du FC Bron", "FC Bron"),  # a role, no first name: as today
        ("slt c la tresoriere du FC Bron, on cherche des bénévoles", "FC Bron"),
        ("Bonjour, CCAS de Villeurbanne, nous cherchons des bénévoles", "CCAS de Villeurbanne"),  # an authority: no one
        ("slt, mairie de Bron ici", "Mairie de Bron"),
        ("bonjour madame de la Ruche", None),
    ],
)
def test_a_word_before_de_that_is_no_first_name_is_no_one(text: str, name: str | None) -> None:
    who = introduced(text)
    assert who.person is None and who.organisation == name, who


@pytest.mark.parametrize(
    ("first", "name", "who", "commune"),
    [
        ("slt c karim du FC Bron, on est un club de foot", "FC Bron", "Karim", "Bron (69)"),
        ("moi c'est nadia de l'US Villeurbanne", "US Villeurbanne", "Nadia", "Villeurbanne (69)"),
    ],
)
async def test_a_club_named_in_an_sms_introduction_is_the_name_its_commune_proposed(
    app, person, first: str, name: str, who: str, commune: str
) -> None:
    someone: Person = person("sam", "fr")
    await someone.say(first)
    await someone.say("/start")
    said = someone.text()
    data = _data(app)
    assert data.get("name") == name and name in said and who in said, (said, data)
    assert "place" not in data, data  # a club may play elsewhere: never set from its name
    if data.get("_proposed"):  # « on est un club de foot »: the type read, proposed
        assert data["_proposed"]["choice"] == "association", data
    await someone.press("Association")
    assert commune in someone.question.text and "Oui" in [c.label for c in someone.question.choices], someone.text()


# ---------------------------------------------------------------- 2. « X du comité des fêtes de la Y à Z »


@pytest.mark.parametrize(
    ("text", "name", "place"),
    [
        ("ici Hélène du comité des fêtes de la Grappinière à Vaulx en Velin", "Comité des fêtes de la Grappinière", "Vaulx en Velin"),
        ("ici hélène du comité des fêtes de la Grappinière", "Comité des fêtes de la Grappinière", None),
        ("Bonjour, Paul de l'amicale laïque du Tonkin à Villeurbanne", "Amicale laïque du Tonkin", "Villeurbanne"),
        ("moi c'est Sophie du club de foot des Minguettes à Vénissieux", "Club de foot des Minguettes", "Vénissieux"),
        ("je suis trésorière du comité des fêtes de la Croix-Rousse à Lyon", "Comité des fêtes de la Croix-Rousse", "Lyon"),
        ("ici Marc de la maison des jeunes de Parilly à Bron", "Maison des jeunes de Parilly", "Bron"),
        ("Bonjour, je suis Léa, du comité de quartier du Vieux Bourg à Bron", "Comité de quartier du Vieux Bourg", "Bron"),
        # guards: read as today
        ("ici Hélène du Comité des fêtes de la Grappinière à Vaulx-en-Velin", "Comité des fêtes de la Grappinière", "Vaulx-en-Velin"),
        ("ici Julie de l'association Lire Ensemble à Lyon", "Lire Ensemble", "Lyon"),
        ("Ici la présidente de l'asso Les Potes du Jardin à Villeurbanne", "Les Potes du Jardin", "Villeurbanne"),
        ("c'est Karim de l'Amicale Laïque de Bron", "Amicale Laïque de Bron", "Bron"),
    ],
)
def test_the_words_of_a_type_of_structure_start_its_name(text: str, name: str, place: str | None) -> None:
    who = introduced(text)
    assert who.organisation == name, who
    if place is not None:
        assert who.places[0] == place, who


@pytest.mark.parametrize(
    "text",
    [
        "on cherche un local pour le comité des fêtes de la Grappinière",  # what is asked: no one's structure
        "moi c'est Sophie, on cherche des Bénévoles",
        "ici Paul, on a besoin des Restos du Coeur",
    ],
)
def test_a_structure_named_in_what_is_asked_is_not_who_writes(text: str) -> None:
    assert introduced(text).organisation is None, introduced(text)


async def test_the_comite_des_fetes_and_its_commune_from_a_first_message(app, person) -> None:
    someone: Person = person("sam", "fr")
    await someone.say("ici Hélène du comité des fêtes de la Grappinière à Vaulx en Velin")
    await someone.say("/start")
    data = _data(app)
    assert data.get("name") == "Comité des fêtes de la Grappinière", (someone.text(), data)
    assert data.get("place", {}).get("label") == "Vaulx-en-Velin (69)", data
    assert "Hélène" in someone.text() and "Comité des fêtes de la Grappinière — Vaulx-en-Velin (69)" in someone.text(), someone.text()


# ---------------------------------------------------------------- 3. « comme j'ai dit » is no part of a name


@pytest.mark.parametrize(
    ("typed", "name", "aside"),
    [
        ("FC Bron comme j'ai dit", "FC Bron", "comme j'ai dit"),
        ("FC Bron comme jai dit", "FC Bron", "comme jai dit"),
        ("FC Bron comme je vous ai dit", "FC Bron", "comme je vous ai dit"),
        ("FC Bron, je l'ai déjà dit", "FC Bron", "je l'ai déjà dit"),
        ("FC Bron comme déjà dit", "FC Bron", "comme déjà dit"),
        ("FC Bron, comme dit plus haut", "FC Bron", "comme dit plus haut"),
        ("FC Bron je répète", "FC Bron", "je répète"),
        ("FC Bron, je vous le répète", "FC Bron", "je vous le répète"),
        ("Green Wheels as I said", "Green Wheels", "as I said"),
        ("Green Wheels, as I told you", "Green Wheels", "as I told you"),
        ("as I said, Green Wheels", "Green Wheels", "as I said"),
        ("Green Wheels, I repeat", "Green Wheels", "I repeat"),
    ],
)
def test_words_saying_it_was_said_before_are_an_aside(typed: str, name: str, aside: str) -> None:
    assert name_in_answer(typed) == name
    assert aside in asides_of(typed), asides_of(typed)


@pytest.mark.parametrize("typed", ["Comme Chez Soi", "Dit Autrement", "Le Répétiteur", "Maison des Jeunes (MJC)"])
def test_a_name_with_such_words_of_its_own_stays(typed: str) -> None:
    assert name_in_answer(typed) == typed and asides_of(typed) == []


_FIELD = {"fr": "Nom", "en": "Name"}
_UPDATED = {"fr": "c'est modifié", "en": "updated"}


@pytest.mark.parametrize(
    ("language", "typed", "name"),
    [
        ("fr", "FC Bron comme j'ai dit", "FC Bron"),
        ("fr", "FC Bron comme je vous ai dit", "FC Bron"),
        ("fr", "FC Bron, je l'ai déjà dit", "FC Bron"),
        ("fr", "FC Bron je répète", "FC Bron"),
        ("en", "Green Wheels as I said", "Green Wheels"),
        ("en", "Green Wheels, as I told you", "Green Wheels"),
        ("fr", "FC Bron", "FC Bron"),  # guard: a name alone
    ],
)
async def test_a_name_changed_in_the_profile_without_its_aside(app, person, language: str, typed: str, name: str) -> None:
    someone: Person = person("sam", language)
    await (someone.onboard() if language == "fr" else _onboard_en(someone))
    await someone.say("/profil" if language == "fr" else "/profile")
    await someone.press(_FIELD[language])
    await someone.say(typed)
    said = someone.text()
    assert f"{name} — {_UPDATED[language]}" in said, said  # the new name said, without the aside
    await someone.say("/profil" if language == "fr" else "/profile")
    assert f": {name}\n" in someone.text(), someone.text()


async def test_an_aside_in_a_name_at_the_onboarding_is_said_back(app, person) -> None:
    someone: Person = person("sam", "fr")
    await someone.say("/start")
    await someone.press("Association")
    await someone.say("FC Bron comme je vous ai dit")
    assert _data(app).get("name") == "FC Bron", _data(app)
    assert "comme je vous ai dit" in someone.text() and "FC Bron" in someone.text(), someone.text()


# ---------------------------------------------------------------- 4. /profil says the new value


@pytest.mark.parametrize(
    ("language", "field", "typed", "said"),
    [
        ("fr", "Commune", "Bron", "Commune : Bron (69) — c'est modifié."),
        ("fr", "Description", "On fait du foot avec les enfants", "Description : On fait du foot avec les enfants — c'est modifié."),
        ("fr", "Type de structure", "Entreprise", "Type de structure : Entreprise — c'est modifié."),
        ("fr", "Contact partagé", "karim@example.org", "Contact partagé : e-mail karim@example.org — c'est modifié."),
        ("fr", "Suggestions à d'autres acteurs", "Non", "Suggestions à d'autres acteurs : Non — c'est modifié."),
        ("fr", "Appels des coordinateurs", "Non", "Appels des coordinateurs : Non — c'est modifié."),
        ("en", "Municipality", "Bron", "Municipality: Bron (69) — updated."),
        ("en", "Kind of organisation", "Company", "Kind of organisation: Company — updated."),
        ("en", "Coordinators' calls", "No", "Coordinators' calls: No — updated."),
    ],
)
async def test_a_profile_change_says_the_new_value(app, person, language: str, field: str, typed: str, said: str) -> None:
    someone: Person = person("sam", language)
    await (someone.onboard() if language == "fr" else _onboard_en(someone))
    await someone.say("/profil" if language == "fr" else "/profile")
    await someone.press(field)
    if typed in [c.label for c in someone.question.choices]:
        await someone.press(typed)
    else:
        await someone.say(typed)
    if someone.question.choices and someone.question.choices[0].label in ("Oui", "Yes") and "?" in someone.question.text:
        await someone.press(someone.question.choices[0].label)  # « Bron (69) — Métropole de Lyon ? »
    assert said in someone.text(), someone.text()


async def test_the_themes_changed_are_said_as_today(app, person) -> None:
    someone: Person = person("sam", "fr")
    await someone.onboard()
    await someone.say("/profil")
    await someone.press("Thèmes")
    await someone.tick("Sport")
    assert "Vos thèmes : Sport" in someone.text(), someone.text()


# ---------------------------------------------------------------- 5. « de » before a vowel is elided


def _appel() -> str:
    return next(key for key, text in catalog("fr").items() if text.startswith("📣 Appel de {origin}"))


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Amicale laïque de Bron", "📣 Appel d'Amicale laïque de Bron"),
        ("Écully Solidaire", "📣 Appel d'Écully Solidaire"),
        ("Un Toit pour Tous", "📣 Appel d'Un Toit pour Tous"),
        ("ensemble à Bron", "📣 Appel d'ensemble à Bron"),
        # guards: as today
        ("l'Amicale laïque", "📣 Appel de l'Amicale laïque"),
        ("La Ruche", "📣 Appel de La Ruche"),
        ("les mains vertes", "📣 Appel des mains vertes"),
        ("le Jardin du Coin", "📣 Appel du Jardin du Coin"),
        ("Hockey Club de Bron", "📣 Appel de Hockey Club de Bron"),  # an h may be aspirated: never elided
        ("Yoga Lyon", "📣 Appel de Yoga Lyon"),
        ("FC Bron", "📣 Appel de FC Bron"),
    ],
)
def test_de_before_a_vowel_is_elided(name: str, said: str) -> None:
    assert said in translate("fr", _appel(), origin=name, **{p: "x" for p in ("text", "message", "area", "kind", "id")})


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_no_french_message_writes_de_before_a_vowel() -> None:
    """Every message that writes a value after « de » (a caller's name, an inviter's, a commune around which…)."""
    keys = [key for key, text in catalog("fr").items() if re.search(r"(?<!\w)[dD]e \{\w+\}", text)]
    assert keys
    for key in keys:
        params = {name: "Amicale Laïque" for name in _PLACEHOLDER.findall(catalog("fr")[key])}
        text = translate("fr", key, **params)
        assert "de Amicale" not in text and "De Amicale" not in text, (key, text)
        assert "d'Amicale" in text or "D'Amicale" in text, (key, text)
    assert translate("en", _appel(), origin="Amicale", text="x", message="x", area="x", kind="x", id="x").count("Amicale") == 1
