"""Names and offers (trial 32, 2 December 2026, people playing new users on a fresh clone).

1. An aside to the bot stayed in the public name: « Mairie de Villeurbanne (pas la mairie centrale hein) », « Vélo
   Cité (enfin je crois que c'est le nom officiel) », "Acme Logistics (the Lyon branch, not HQ!)". A parenthesised or
   dash-separated remark that talks to the bot or about the answer (a negation, an interjection, a first or second
   person, a hedge, an exclamation) is taken out and said back; a bracket of the name (an acronym, a branch, a place)
   stays.
2. A sentence at a fresh /offre's (or /besoin's) category question was refused (« Je n'ai pas reconnu ce choix ») or
   kept as a separate draft: it is the listing's description, its category inferred or asked about it, and the flow
   goes on. A self-correction inside a description (« un coach pour les enfants, ah non pardon c'est pour les ados »)
   keeps only the corrected words, said back.
"""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_intro7_first_messages import _data
from tests.core.test_trial10_listing_sentence import _onboard_en

pytestmark = pytest.mark.backends

_KIND = {
    ("fr", "association"): "Association",
    ("fr", "entreprise"): "Entreprise",
    ("fr", "collectivite"): "Collectivité",
    ("en", "association"): "Association",
    ("en", "entreprise"): "Company",
    ("en", "collectivite"): "Local authority",
}


# ---------------------------------------------------------------- 1. an aside is no part of a name


@pytest.mark.parametrize(
    ("language", "kind", "typed", "name", "aside"),
    [
        ("fr", "collectivite", "Mairie de Villeurbanne (pas la mairie centrale hein)", "Mairie de Villeurbanne", "pas la mairie centrale"),
        ("fr", "association", "Les Jardins du Tonkin (c'est nous les jardiniers lol)", "Les Jardins du Tonkin", "les jardiniers"),
        ("fr", "association", "Vélo Cité (enfin je crois que c'est le nom officiel)", "Vélo Cité", "le nom officiel"),
        ("fr", "association", "Vélo Cité - enfin je crois que c'est le nom officiel", "Vélo Cité", "le nom officiel"),
        ("fr", "association", "La Ruche Solidaire (il me semble)", "La Ruche Solidaire", "il me semble"),
        ("fr", "entreprise", "Boulangerie Martin (vous la connaissez peut-être)", "Boulangerie Martin", "vous la connaissez"),
        ("fr", "association", "Les Petits Frères (bref vous voyez quoi)", "Les Petits Frères", "vous voyez"),
        ("en", "entreprise", "Acme Logistics (the Lyon branch, not HQ!)", "Acme Logistics", "not HQ"),
        ("en", "association", "Green Wheels (I think that's the official name)", "Green Wheels", "official name"),
        ("en", "association", "Riverside Rugby Club — we're the small one, you know", "Riverside Rugby Club", "the small one"),
        ("en", "entreprise", "Bright Print (no, not the big one)", "Bright Print", "not the big one"),
    ],
)
async def test_an_aside_about_the_answer_is_no_part_of_a_name(
    app, person, language: str, kind: str, typed: str, name: str, aside: str
) -> None:
    someone: Person = person("sam", language)
    await someone.say("/start")
    await someone.press(_KIND[language, kind])
    await someone.say(typed)
    assert _data(app).get("name") == name, (someone.text(), _data(app))
    assert name in someone.text() and aside in someone.text(), someone.text()  # said back, with what was set aside


@pytest.mark.parametrize(
    ("language", "kind", "typed"),
    [
        ("fr", "association", "Maison des Jeunes (MJC)"),
        ("fr", "association", "Secours populaire (antenne de Bron)"),
        ("fr", "association", "Restos du Cœur (Villeurbanne)"),
        ("fr", "association", "Secours populaire - antenne de Bron"),
        ("fr", "association", "Les Jardins (Lyon 8e)"),
        ("en", "association", "Food Bank (Lyon branch)"),
        ("en", "entreprise", "Acme Logistics (Europe) Ltd"),
    ],
)
async def test_a_bracket_of_the_name_stays(app, person, language: str, kind: str, typed: str) -> None:
    someone: Person = person("sam", language)
    await someone.say("/start")
    await someone.press(_KIND[language, kind])
    await someone.say(typed)
    assert _data(app).get("name") == typed, (someone.text(), _data(app))


# ---------------------------------------------------------------- 2. a sentence at a fresh listing's category


async def _listing(someone: Person, language: str, command: str) -> str:
    await (someone.onboard() if language == "fr" else _onboard_en(someone))
    await someone.say(command)
    return someone.question.text


_DRAFT = ("brouillon", "draft")
_REFUSED = ("pas reconnu", "did not recognise", "didn't recognise")


@pytest.mark.parametrize(
    ("language", "command", "typed", "kind", "category"),
    [
        ("fr", "/offre", "on peut prêter notre camion le week-end", "offer", "materiel"),
        ("fr", "/offre", "je peux donner des cours de guitare aux enfants", "offer", None),
        ("fr", "/offre", "on propose un atelier cuisine pour les familles", "offer", None),
        ("fr", "/offre", "on cherche un camion pour le week-end", "need", "materiel"),  # the sentence's kind, said
        ("fr", "/besoin", "on a besoin d'aide pour organiser la fête de quartier", "need", None),
        ("fr", "/besoin", "ça dépend de ce que vous proposez", "need", None),  # names no category: the kind chosen
        ("fr", "/besoin", "on peut prêter notre camion le week-end", "offer", "materiel"),
        ("en", "/offer", "we can lend our van at weekends", "offer", "materiel"),
        ("en", "/offer", "I can teach guitar to kids on Wednesdays", "offer", None),
        ("en", "/offer", "we are looking for a charity to host our staff for a volunteering day in June please", "need", None),
        ("en", "/need", "we need help organising the street party in June", "need", "benevoles"),
    ],
)
async def test_a_sentence_at_a_fresh_listings_category_is_its_description(
    app, person, language: str, command: str, typed: str, kind: str, category: str | None
) -> None:
    someone: Person = person("sam", language)
    await _listing(someone, language, command)
    await someone.say(typed)
    said = someone.text()
    assert not any(word in said for word in (*_DRAFT, *_REFUSED)), said
    data = _data(app)
    assert data.get("description", "").lower().startswith(typed.split()[0].lower()), (said, data)
    assert (data.get("kind") if data.get("confirm") != "switch" else None) == kind, (said, data)
    if category is not None:
        assert data.get("category") == category, (said, data)
        assert someone.question.choices and "10 km" in " ".join(c.label for c in someone.question.choices), said  # the zone next
    else:
        assert typed.split()[1] in someone.question.text, said  # its category asked, quoting it
    if kind != ("offer" if command in ("/offre", "/offer") else "need"):
        assert ("besoin" if kind == "need" else "offre") in said.lower() or ("need" if kind == "need" else "offer") in said.lower(), said


@pytest.mark.parametrize(
    ("language", "typed", "category"),
    [
        ("fr", "qui pourrait nous prêter un camion ?", "materiel"),  # a need asked as a question: a need, as today
    ],
)
async def test_a_question_at_the_needs_category_stays_as_today(app, person, language: str, typed: str, category: str) -> None:
    someone: Person = person("sam", language)
    await _listing(someone, language, "/besoin")
    await someone.say(typed)
    assert _data(app).get("category") == category and _data(app).get("kind") == "need", (someone.text(), _data(app))


@pytest.mark.parametrize(("language", "typed"), [("fr", "je veux revenir au menu"), ("fr", "laissez tomber, on verra plus tard")])
async def test_what_is_no_listing_is_no_description(app, person, language: str, typed: str) -> None:
    someone: Person = person("sam", language)
    await _listing(someone, language, "/besoin")
    await someone.say(typed)
    assert "description" not in _data(app), (someone.text(), _data(app))


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_a_question_about_the_category_is_explained(app, person, language: str) -> None:
    someone: Person = person("sam", language)
    asked = await _listing(someone, language, "/besoin" if language == "fr" else "/need")
    await someone.say("c'est quoi une catégorie ?" if language == "fr" else "what is a category?")
    assert someone.question.text == asked and "description" not in _data(app), (someone.text(), _data(app))


# ---------------------------------------------------------------- 2b. a self-correction inside a description


@pytest.mark.parametrize(
    ("language", "command", "typed", "description", "replaced"),
    [
        ("fr", "/besoin", "un coach pour les enfants, ah non pardon c'est pour les ados", "un coach pour les ados", "pour les enfants"),
        (
            "fr",
            "/besoin",
            "on cherche des bénévoles pour samedi, euh non pardon pour dimanche matin",
            "on cherche des bénévoles pour dimanche matin",
            "pour samedi",
        ),
        ("fr", "/offre", "on peut prêter 10 tables, non attendez, 20 tables", "on peut prêter 20 tables", "10 tables"),
        (
            "fr",
            "/besoin",
            "on cherche un camion pour samedi... ah non en fait on a besoin d'une camionnette frigorifique",
            "on a besoin d'une camionnette frigorifique",
            "on cherche un camion pour samedi",
        ),
        ("en", "/need", "a coach for kids, wait no actually it's for teenagers", "a coach for teenagers", "for kids"),
        ("en", "/need", "we need 5 volunteers, sorry I mean 8 volunteers", "we need 8 volunteers", "5 volunteers"),
        ("en", "/offer", "a room for 30 people, no wait, for 50 people", "a room for 50 people", "for 30 people"),
    ],
)
async def test_a_self_correction_keeps_the_corrected_words(
    app, person, language: str, command: str, typed: str, description: str, replaced: str
) -> None:
    someone: Person = person("sam", language)
    await _listing(someone, language, command)
    await someone.say(typed)
    data = _data(app)
    assert data.get("description", "").lower() == description.lower(), (someone.text(), data)
    assert replaced in someone.text(), someone.text()  # what was corrected, said back


@pytest.mark.parametrize(
    ("language", "category", "typed", "description"),
    [
        ("fr", "Bénévoles", "un coach pour les enfants, ah non pardon c'est pour les ados", "un coach pour les ados"),
        ("en", "Volunteers", "a coach for kids, wait no actually it's for teenagers", "a coach for teenagers"),
    ],
)
async def test_a_self_correction_at_the_description_question(
    app, person, language: str, category: str, typed: str, description: str
) -> None:
    someone: Person = person("sam", language)
    await _listing(someone, language, "/besoin" if language == "fr" else "/need")
    await someone.press(category)
    await someone.say(typed)
    assert _data(app).get("description", "").lower() == description.lower(), (someone.text(), _data(app))


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "on cherche un local, non chauffé ça ira, pour stocker des meubles"),
        ("fr", "on cherche une salle non chauffée pour stocker des meubles"),
        ("en", "we need a small room to store furniture, no heating required"),
    ],
)
async def test_a_no_that_corrects_nothing_stays(app, person, language: str, typed: str) -> None:
    someone: Person = person("sam", language)
    await _listing(someone, language, "/besoin" if language == "fr" else "/need")
    await someone.say(typed)
    assert _data(app).get("description") == typed, (someone.text(), _data(app))
