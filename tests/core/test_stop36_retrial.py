"""Trial 36b (a fresh clone, people playing a fête committee's treasurer, a company in English, a gardens' association,
a basket club): each row failed before its fix.

- « alors pour les barnums ? », « et les barnums alors ? », « alors les tables ? » started a new listing (« cherchez,
  ou proposez ? »); « alors ça donne quoi la vogue » was then read as an offer (« donne »).
- « bénévoles et matériel » at the category question made two listings with the same whole text (the people and the
  tools mixed in both), and the second was announced as « Votre phrase contenait aussi … ».
- « nadia.basket@orange.fr » typed at the name question was kept as the structure's name."""

from __future__ import annotations

import pytest

from conversations.flows import validate_name
from conversations.understanding import asks_about_own_listing, guess_listing, several_listings
from tests.core.people import Person
from tests.core.test_coordination import rows, territory  # noqa: F401  (fixture)
from tests.core.test_stop33_menu_questions import MANAGE, STARTED, _at_menu, _listings, _with

pytestmark = pytest.mark.backends


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("alors pour les barnums ?", "barnums"),
        ("et les barnums alors ?", "barnums"),
        ("alors les tables ?", "tables"),
        ("alors, le camion ?", "camion"),
        ("and the van?", "van"),
        ("what about the van?", "van"),
        ("alors ça donne quoi la vogue", "vogue"),
    ],
)
def test_a_thing_asked_after_alors_or_et_asks_about_that_listing(typed: str, word: str) -> None:
    asked = asks_about_own_listing(typed)
    assert asked is not None and asked.words == (word,), asked


@pytest.mark.parametrize(
    "typed", ["alors on cherche des tables ?", "et les bénévoles pour samedi, on en trouve ?", "alors les tables, on en a 12 à prêter"]
)
def test_a_need_or_an_offer_after_alors_is_no_question_about_a_listing(typed: str) -> None:
    assert asks_about_own_listing(typed) is None


def test_how_it_goes_gives_nothing() -> None:
    assert guess_listing("alors ça donne quoi la vogue").kind is None


async def test_alors_pour_the_thing_gives_its_state(territory) -> None:
    app, _, people = territory
    asso: Person = people["asso"]
    await _with(asso, "fr", "On cherche des barnums pour la vogue de juin")
    await asso.say("alors pour les barnums ?")
    said = asso.text()
    assert _listings(app) == 1 and "On cherche des barnums pour la vogue" in said and MANAGE["fr"] in said, said
    assert _at_menu(asso) and not any(words in said for words in STARTED), said


async def test_two_categories_each_keep_the_part_of_the_description_that_names_it(app, person) -> None:
    jardin: Person = person("jardin", "fr")
    await jardin.onboard()
    await jardin.say("/besoin")
    await jardin.say("bénévoles et matériel")
    await jardin.say("des gens pour aider à bêcher le samedi matin en mars, et des outils genre bêches et brouettes")
    await jardin.press(jardin.question.choices[0].label)
    said = jardin.text()
    assert "Vous avez aussi choisi un besoin — Matériel : « Des outils genre bêches et brouettes »" in said, said
    await jardin.say("oui")
    assert sorted(rows(app, "SELECT category, description FROM listings")) == [
        ("benevoles", "Des gens pour aider à bêcher le samedi matin en mars"),
        ("materiel", "Des outils genre bêches et brouettes"),
    ]


@pytest.mark.parametrize("typed", ["nadia.basket@orange.fr", " contact@amicale-bron.fr "])
def test_an_email_is_no_name(typed: str) -> None:
    assert validate_name(typed) == "error.name_email"


async def test_an_email_at_the_name_question_is_refused_and_said(app, person) -> None:
    nadia: Person = person("nadia", "fr")
    await nadia.say("/start")
    await nadia.say("1")
    await nadia.say("nadia.basket@orange.fr")
    said = nadia.text()
    assert "adresse e-mail, pas un nom" in said and "nom de votre structure" in nadia.question.text, said


async def test_a_name_typed_at_the_type_question_is_no_presentation(app, person) -> None:
    """« bonjour ici la médiathèque de meyzieu, on peut prêter une salle d expo » at the type question: the name was read, and
    « La médiathèque de meyzieu » became the public presentation too."""
    library: Person = person("media", "fr")
    await library.say("/start")
    await library.say("bonjour ici la médiathèque de meyzieu, on peut prêter une salle d expo")
    said = library.text()
    assert "Médiathèque de Meyzieu" in said and "sera la présentation" not in said, said


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        (
            "We could host two workshops on project management and lend our meeting room on Fridays.",
            "We could host two workshops on project management",
            "We could lend our meeting room on Fridays",
        ),
        (
            "on peut animer deux ateliers sur la gestion de projet et aussi prêter notre salle de réunion le vendredi",
            "On peut animer deux ateliers sur la gestion de projet",
            "On peut prêter notre salle de réunion le vendredi",
        ),
    ],
)
def test_workshops_on_project_management_and_a_room_are_two_offers(text: str, first: str, second: str) -> None:
    """Published as one offer of Locaux: « gestion de projet » named no skill to offer."""
    parts = several_listings(text)
    assert [(part.text, part.kind, part.category, part.skills) for part in parts] == [
        (first, "offer", "competences", ("gestion_projet",)),
        (second, "offer", "locaux", ()),
    ], parts


@pytest.mark.parametrize(
    "text", ["ah et il nous faudra aussi une rallonge", "il nous faudra des tables pour samedi", "il me faudra un vidéoprojecteur"]
)
def test_il_nous_faudra_is_a_need(text: str) -> None:
    """« ah et il nous faudra aussi une rallonge » (just after answering a call) got « Je n'ai pas compris »."""
    assert guess_listing(text).kind == "need", guess_listing(text)


async def test_il_nous_faudra_at_the_menu_is_understood(app, person) -> None:
    nadia: Person = person("nadia", "fr")
    await nadia.onboard()
    await nadia.say("ah et il nous faudra aussi une rallonge")
    said = nadia.text()
    assert "Je n'ai pas compris" not in said and "rallonge" in said, said


async def test_cancel_at_the_menu_says_nothing_was_under_way(app, person) -> None:
    """/annuler at the menu, just after a profile was saved, said « C'est annulé, rien n'a été enregistré »."""
    marie: Person = person("marie", "fr")
    await marie.onboard()
    await marie.say("/annuler")
    said = marie.text()
    assert "Rien n'était en cours" in said and "rien n'a été enregistré" not in said, said
    assert "Que voulez-vous faire" in marie.question.text, said


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("slt c nadia de l asso sportive decines basket", "Asso sportive decines basket"),
        ("bjr c karim de l amicale laique de bron, on cherche des tables", "Amicale laique de bron"),
    ],
)
def test_an_elision_typed_without_its_apostrophe_still_names_the_structure(text: str, name: str) -> None:
    """« de l asso sportive decines basket »: only the type was read, the name asked again."""
    from conversations.understanding import introduced

    assert introduced(text).organisation == name, introduced(text)


async def test_cancel_at_rest_for_a_coordinator_without_a_profile_says_nothing_was_under_way(territory) -> None:
    """A coordinator with no profile of their own typing /annuler at rest heard « C'est annulé, rien n'a été enregistré »."""
    _, _, people = territory
    marie: Person = people["marie"]
    await marie.say("/annuler")
    said = marie.text()
    assert "Rien n'était en cours" in said and "rien n'a été enregistré" not in said, said
