"""Trial 36 (a fresh clone, people playing a treasurer typing like an SMS and a town hall's clerk): each row failed
before its fix.

- « c'est la mairie de rillieux-la-pape » — a public body's name in lower case — was no name: it became the profile's
  presentation and the name was asked again; only associations' sorts (« l'amicale laïque de … ») were read.
- « bah la mairie de rillieux comme j'ai dit » at the name question was refused as « une phrase ».
- « faut aussi un camion pr la brocante » (« il faut » typed short) asked « cherchez, ou proposez ? ».
- « on cherche des bénévoles pour la brocante (et un prêt de camion si possible) » made one need of Bénévoles, the van
  left inside it (and « un prêt » was read as an offer once cut apart).
- « c'est bon pour le camion ? » when two listings speak of a van listed both and said « nommez-la (« mon annonce de
  … ») »; naming it gave the same list again."""

from __future__ import annotations

import pytest

from conversations.understanding import guess_listing, introduced, name_in_answer, several_listings
from tests.core.people import Person
from tests.core.test_coordination import rows, territory  # noqa: F401  (fixture)
from tests.core.test_dur9_durations import _english
from tests.core.test_stop33_menu_questions import MANAGE, STARTED, _at_menu, _listings, _with

pytestmark = pytest.mark.backends


# ---------------------------------------------------------------- a public body's or a company's name in lower case


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "bonjour c'est la mairie de rillieux-la-pape, on voudrait proposer des salles aux assos le week-end",
            "Mairie de rillieux-la-pape",
        ),
        ("ici la mairie de rillieux-la-pape", "Mairie de rillieux-la-pape"),
        ("salut c'est la ville de bron, on a des salles à prêter", "Ville de bron"),
        ("bjr on est la médiathèque de vaulx-en-velin, on cherche des bénévoles", "Médiathèque de vaulx-en-velin"),
        ("bonjour, on est le cabinet dupont à lyon, on propose de la compta", "Cabinet dupont"),
        ("bonjour je suis paul de la mairie de bron", "Mairie de bron"),
    ],
)
def test_a_public_body_or_a_company_named_in_lower_case_is_read(text: str, name: str) -> None:
    assert introduced(text).organisation == name, introduced(text)


@pytest.mark.parametrize(
    "text",
    ["les habitants de la commune cherchent des bénévoles", "on cherche un local près de la mairie", "on cherche une salle en ville"],
)
def test_a_public_body_only_mentioned_names_no_one(text: str) -> None:
    assert introduced(text).organisation is None, introduced(text)


async def test_the_town_hall_typed_in_lower_case_is_not_asked_its_name(app, person) -> None:
    clerk: Person = person("rillieux", "fr")
    await clerk.say("bonjour c'est la mairie de rillieux-la-pape, on voudrait proposer des salles aux assos le week-end")
    await clerk.say("/start")
    said = clerk.text()
    assert "C'est noté : Mairie de Rillieux-la-Pape." in said and "sera la présentation" not in said, said
    assert "« On voudrait proposer des salles aux assos le week-end » en brouillon d'offre" in said, said
    await clerk.say("oui")  # Collectivité, guessed
    assert "Rillieux-la-Pape (69)" in clerk.question.text and "nom de votre structure" not in clerk.text(), clerk.text()


# ---------------------------------------------------------------- the name question: fillers and articles


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("bah la mairie de rillieux comme j'ai dit", "Mairie de rillieux"),
        ("euh l'amicale laïque de bron", "Amicale laïque de bron"),
        ("ben le comité des fêtes de bron", "Comité des fêtes de bron"),
        ("la médiathèque de vaulx", "Médiathèque de vaulx"),
    ],
)
def test_a_name_after_a_filler_or_an_article_is_the_name(typed: str, name: str) -> None:
    assert name_in_answer(typed) == name


def test_a_sentence_after_a_sort_word_is_no_name() -> None:
    assert name_in_answer("le club de foot on cherche des joueurs") == "le club de foot on cherche des joueurs"


async def test_the_name_question_takes_the_name_out_of_the_filler(app, person) -> None:
    clerk: Person = person("rillieux", "fr")
    await clerk.say("/start")
    await clerk.say("3")
    await clerk.say("bah la mairie de rillieux comme j'ai dit")
    said = clerk.text()
    assert "C'est noté : Mairie de rillieux." in said and "ressemble à une phrase" not in said, said


# ---------------------------------------------------------------- « faut … »: a need


@pytest.mark.parametrize(
    "text",
    [
        "faut aussi un camion pr la brocante le dimanche 14 juin",
        "faut des bénévoles samedi pour la buvette",
        "Faut un local pour nos répètes",
        "faudra des tables pour la fête",
    ],
)
def test_faut_typed_short_is_a_need(text: str) -> None:
    assert guess_listing(text).kind == "need", guess_listing(text)


# ---------------------------------------------------------------- a second thing added in brackets


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("on cherche des bénévoles pour la brocante (et un prêt de camion si possible)", ("Un prêt de camion si possible", "materiel")),
        ("on cherche des bénévoles pour la brocante, et un prêt de salle", ("Un prêt de salle", "locaux")),
        ("we need volunteers for the fair (and the loan of a van)", ("The loan of a van", "materiel")),
    ],
)
def test_a_thing_added_after_a_need_is_a_second_need(text: str, second: tuple[str, str]) -> None:
    parts = several_listings(text)
    assert [(part.kind, part.category) for part in parts] == [("need", "benevoles"), ("need", second[1])], parts
    assert parts[1].text == second[0], parts


def test_an_offer_said_with_its_verb_after_a_need_stays_an_offer() -> None:
    parts = several_listings("on a besoin d'un local et on peut prêter un minibus")
    assert [(part.kind, part.category) for part in parts] == [("need", "locaux"), ("offer", "materiel")], parts


async def test_the_van_in_brackets_of_a_first_message_is_proposed_as_its_own_need(app, person) -> None:
    marie: Person = person("marie", "fr")
    await marie.say(
        "jsuis marie de l'amicale laïque de vaulx-en-velin, on cherche des bénévoles pour la brocante (et un prêt de camion si possible)"
    )
    await marie.say("/start")
    for answer in ("oui", "oui", "culture", "marie@example.org", "1"):
        await marie.say(answer)
    await marie.say("/besoin")
    assert "Besoin — Bénévoles : « On cherche des bénévoles pour la brocante »" in marie.text(), marie.text()
    await marie.press(marie.question.choices[0].label)
    said = marie.text()
    assert "aussi un besoin — Matériel : « Un prêt de camion si possible »" in said, said
    await marie.say("oui")
    assert sorted(rows(app, "SELECT kind, category, description FROM listings")) == [
        ("need", "benevoles", "On cherche des bénévoles pour la brocante"),
        ("need", "materiel", "Un prêt de camion si possible"),
    ]


# ---------------------------------------------------------------- how it goes, when two listings speak of the thing


@pytest.mark.parametrize(
    ("language", "texts", "typed", "header"),
    [
        (
            "fr",
            ("On cherche un camion frigorifique pour l'été", "On peut prêter notre camion le week-end"),
            "c'est bon pour le camion ? des nouvelles ?",
            "Vos annonces qui parlent de « camion » :",
        ),
        (
            "fr",
            ("On cherche un camion frigorifique pour l'été", "On peut prêter notre camion le week-end"),
            "des nouvelles de mon annonce de camion ?",
            "Vos annonces qui parlent de « camion » :",
        ),
        (
            "en",
            ("We are looking for a refrigerated van for the summer", "We can lend our van at weekends"),
            "any update on the van?",
            "Your listings that mention “van”:",
        ),
    ],
)
async def test_two_listings_named_by_the_question_each_say_how_they_go(
    territory, language: str, texts: tuple[str, str], typed: str, header: str
) -> None:
    app, _, people = territory
    asso: Person = people["asso"]
    await _with(asso, language, *texts)
    await asso.say(typed)
    said = asso.text()
    assert _listings(app) == 2, said
    assert header in said and "nommez-la" not in said and "name it" not in said, said
    assert said.count("Aucune suggestion de partenaire" if language == "fr" else "No partner suggestion") == 2, said
    assert MANAGE[language] in said and _at_menu(asso) and not any(words in said for words in STARTED), said


# ---------------------------------------------------------------- « comme vous, vous proposez »: whose offer?


@pytest.mark.parametrize(
    ("place", "said"),
    [
        (("match.in_commune", {"commune": "Villeurbanne"}), "vous êtes tous deux à Villeurbanne, vous proposez « Des salles »"),
        (("match.in_epci", {"epci": "Métropole de Lyon"}), "vous êtes tous deux dans la Métropole de Lyon, vous proposez « Des salles »"),
    ],
)
def test_the_place_said_before_what_each_side_does_is_no_comparison(place: tuple[str, dict[str, str]], said: str) -> None:
    """« dans la Métropole de Lyon, comme vous, vous proposez « … » » read as if they offered the same thing."""
    from conversations.decisions import explanation

    why = explanation((place, ("match.you_offer", {"mine": "Des salles", "theirs": "Un local"})), "fr")
    assert said in why and "comme vous, vous" not in why, why


# ---------------------------------------------------------------- several categories at the category question


@pytest.mark.parametrize(
    ("language", "typed", "note"),
    [
        (
            "fr",
            "les 2 : bénévoles et matériel",
            "Une annonce par catégorie : celle-ci en « Bénévoles » ; je vous propose la même en « Matériel »",
        ),
        ("fr", "1 et 5", "Une annonce par catégorie : celle-ci en « Bénévoles » ; je vous propose la même en « Matériel »"),
        ("en", "volunteers and equipment", "One listing per category: this one as “Volunteers”; I will offer you the same as “Equipment”"),
    ],
)
async def test_two_categories_at_the_category_question_make_two_listings(app, person, language: str, typed: str, note: str) -> None:
    """« les 2 : bénévoles et matériel » was added to the description (« … Les 2 : bénévoles et matériel »), « 1 5 »
    refused: one listing per category, the first now, the second offered once it is published."""
    marie: Person = person("marie", "fr")
    await marie.onboard()
    if language == "en":
        await _english(marie)
    await marie.say("/besoin" if language == "fr" else "/need")
    await marie.say(typed)
    said = marie.text()
    assert note in said and "description" not in said, said
    described = (
        "Pour la brocante du quartier le 14 juin, il nous faut de l'aide"
        if language == "fr"
        else "For the street fair on June 14, we need help"
    )
    await marie.say(described)
    await marie.press(marie.question.choices[0].label)  # the commune
    said = marie.text()
    assert ("Matériel" if language == "fr" else "Equipment") in marie.question.text, said
    await marie.say("oui" if language == "fr" else "yes")
    assert sorted(rows(app, "SELECT category, description FROM listings")) == [("benevoles", described), ("materiel", described)]


# ---------------------------------------------------------------- a second part without its subject


@pytest.mark.parametrize(
    ("text", "second"),
    [
        (
            "We can lend a van on weekends and offer 2 days of skills-based volunteering in accounting.",
            "We can offer 2 days of skills-based volunteering in accounting",
        ),
        (
            "on peut prêter un camion le week-end et offrir 2 jours de mécénat de compétences en comptabilité",
            "On peut offrir 2 jours de mécénat de compétences en comptabilité",
        ),
        ("nous pouvons prêter notre salle, et aussi donner un coup de main en compta", "Nous pouvons donner un coup de main en compta"),
    ],
)
def test_a_part_cut_after_we_can_says_who_can(text: str, second: str) -> None:
    """ "Offer 2 days of skills-based volunteering…" was stored and shown to partners as an order."""
    parts = several_listings(text)
    assert len(parts) == 2 and parts[1].text == second, parts


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("on cherche des bénévoles et un camion", "Un camion"),
        ("On peut prêter notre camion et des bénévoles pour le déménagement", "Des bénévoles pour le déménagement"),
    ],
)
def test_a_part_naming_a_thing_keeps_its_words(text: str, second: str) -> None:
    assert several_listings(text)[1].text == second


async def test_the_draft_announced_after_the_profile_names_each_listing_of_the_message(app, person) -> None:
    """« 📝 Draft kept: an offer (“We can lend a van on weekends”) » named one of the two offers the message made."""
    tom: Person = person("tom", "en")
    await tom.say(
        "Hi, Tom here from GreenLoop, a recycling company in Villeurbanne. We can lend a van on weekends and offer 2 days of "
        "skills-based volunteering in accounting."
    )
    await tom.say("/start")
    await tom.say("yes")  # Company, guessed
    await tom.say("ok")  # the themes ticked from the message
    await tom.press(tom.question.choices[0].label)
    await tom.say("yes to both")
    said = tom.text()
    assert "an offer (“We can lend a van on weekends”) and an offer (“We can offer 2 days of skills-based volunteering" in said, said
