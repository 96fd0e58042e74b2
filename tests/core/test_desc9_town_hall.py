"""Defects found by a person playing a town-hall agent (formal French, long messages) and others (desc9, 2026-12-01):
a need's context (an event, its date, its place) cut off before what is needed, a postcode and a commune in a sentence
read as a type of structure, « Il s'agit de … » kept in a name, a first message taken silently as the public
presentation (a self-introduction letter among them), « et sinon » kept at the start of a second listing, an offer of
several skills shown three times without its skills, a French word left in an English text."""

from __future__ import annotations

from datetime import date

import pytest
from babel.dates import get_day_names

from conversations.decisions import about
from conversations.i18n import translate
from conversations.understanding import name_in_answer, several_listings, what_is_asked, who_we_are, without_courtesy
from core.clock import iso, utcnow
from storage.introductions import other_actor_about
from tests.backends import connect
from tests.core.people import Person
from tests.core.test_coordination import rows, territory  # noqa: F401  (fixture)

pytestmark = pytest.mark.backends


async def _english(someone: Person) -> None:
    await someone.say("/reglages")
    await someone.press(next(c.label for c in someone.question.choices if "angue" in c.label))
    await someone.press("English")


def _asks(someone: Person) -> bool:
    return any(reply.prompt_id is not None for reply in someone.last)


# ---------------------------------------------------------------- 1. a need's context is part of it

_WITH_CONTEXT = [
    (
        "fr",
        "Dans le cadre de l'organisation de la Fête des associations qui se tiendra le samedi 13 juin prochain au parc de la "
        "Feyssine, nous recherchons des bénévoles pour l'accueil du public, l'installation des stands et le rangement en fin "
        "de journée.",
        "Dans le cadre de l'organisation de la Fête des associations",
    ),
    ("fr", "Pour notre fête de quartier du samedi 13 juin, on cherche des bénévoles pour tenir la buvette.", "Pour notre fête"),
    ("fr", "À l'occasion du vide-grenier du 13 juin place Grandclément, nous recherchons des bénévoles pour l'accueil.", "À l'occasion"),
    ("fr", "Samedi 13 juin, on a besoin de bénévoles pour tenir la buvette de la kermesse.", "Samedi 13 juin"),
    ("en", "As part of our spring fair on Saturday 13 June in the park, we are looking for volunteers to welcome visitors.", "As part of"),
    ("en", "For the neighbourhood party on 13 June, we need volunteers to set up the stalls and tidy up.", "For the neighbourhood party"),
]


@pytest.mark.parametrize(("language", "typed", "start"), _WITH_CONTEXT)
def test_the_context_of_what_is_asked_is_never_cut_off(language: str, typed: str, start: str) -> None:
    assert what_is_asked(typed).startswith(start), what_is_asked(typed)
    assert who_we_are(typed) == ""


@pytest.mark.parametrize(
    ("typed", "who", "asked"),
    [
        (
            "Bonjour. Nous sommes la mairie de Bron. Dans le cadre de la fête du 13 juin, nous recherchons des bénévoles.",
            "Nous sommes la mairie de Bron",
            "Dans le cadre de la fête du 13 juin",
        ),
        ("Nous sommes Code & Quartiers, une asso de Vénissieux. On cherche des ordinateurs", "Nous sommes Code & Quartiers", "On cherche"),
        ("We're Bike Kitchen Lyon. For our repair café on 13 June, we need volunteers.", "We're Bike Kitchen Lyon", "For our repair café"),
    ],
)
def test_who_writes_is_still_set_apart_from_the_context(typed: str, who: str, asked: str) -> None:
    assert who in who_we_are(typed) and "13 juin" not in who_we_are(typed), who_we_are(typed)
    assert what_is_asked(typed).startswith(asked), what_is_asked(typed)


@pytest.mark.parametrize("command", [True, False])
@pytest.mark.parametrize(("language", "typed", "start"), [_WITH_CONTEXT[0], _WITH_CONTEXT[1], _WITH_CONTEXT[4]])
async def test_a_need_typed_with_its_event_keeps_it_and_ends_with_it(
    territory, command: bool, language: str, typed: str, start: str
) -> None:
    """The town-hall agent's need, typed at the menu or after /besoin: the event, its date and its place were dropped
    « without a word », and the listing got the default three months though the text names the day."""
    app, _, people = territory
    asso = people["asso"]
    if language == "en":
        await _english(asso)
    await asso.say(("/need " if language == "en" else "/besoin ") + typed if command else typed)
    assert start in asso.text(), asso.text()  # the draft quoted as it will be published
    await asso.press(asso.question.choices[0].label)  # the commune
    assert "13 juin" in asso.text() or "13 June" in asso.text(), asso.text()  # the end proposed from the text, changeable
    [(description, expires)] = rows(app, "SELECT description, expires_at FROM listings")
    assert description.startswith(start) and "13" in description, description
    today = utcnow().date()
    june = date(today.year, 6, 13) if date(today.year, 6, 13) > today else date(today.year + 1, 6, 13)
    if june.weekday() == 5:  # a Saturday that year: the day of the event, not three months
        assert expires[5:] in ("06-13", "06-14"), expires
    else:  # stop30: « samedi 13 juin » when it is another day is never taken silently: the real day said, the usual duration
        real = get_day_names("wide", locale=language)[june.weekday()]
        assert real in asso.text() and expires[5:] not in ("06-13", "06-14"), asso.text()


# ---------------------------------------------------------------- 2. a postcode and a commune in a sentence at the commune


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "Nos services sont situés à l'Hôtel de Ville, place Lazare-Goujon, 69100 Villeurbanne."),
        ("fr", "Nos locaux sont à la mairie annexe, 69100 Villeurbanne"),
        ("fr", "Non loin de l'hôtel de ville, 69100 Villeurbanne."),
        ("en", "Our offices are at the Town Hall, place Lazare-Goujon, 69100 Villeurbanne."),
        ("en", "Oh we're next to the town hall, 69100 Villeurbanne"),
    ],
)
async def test_a_postcode_and_commune_in_a_sentence_answers_the_commune_question(app, person, language: str, typed: str) -> None:
    """« Dans quelle commune êtes-vous installés ? » answered with an address: « C'est noté : Collectivité » (her type
    read again from « Hôtel de Ville ») and the commune asked again."""
    alice: Person = person(language_code=language)
    await alice.say("/start")
    await alice.press(alice.question.choices[0].label)  # Association
    await alice.say("Les Jardins du Tonkin")
    await alice.say(typed)
    said = alice.text()
    assert "Collectivité" not in said and "Local authority" not in said, said
    assert "Villeurbanne (69)" in said, said
    await alice.press(alice.question.choices[0].label)  # yes, Villeurbanne
    assert "Villeurbanne" not in alice.question.text and _asks(alice), alice.text()  # the next question, not the commune again


# ---------------------------------------------------------------- 3. what is said before a name is no part of it


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        (
            "Il s'agit de la Ville de Villeurbanne, Direction de la démocratie locale et de la vie associative.",
            "Ville de Villeurbanne, Direction de la démocratie locale et de la vie associative",
        ),
        ("Je représente le Centre social Bonnefoi.", "Centre social Bonnefoi"),
        ("C'est le Secours Populaire.", "Secours Populaire"),
        ("Les Jardins du Tonkin.", "Les Jardins du Tonkin"),
        ("This is Green Wheels.", "Green Wheels"),
        ("We are Bike Kitchen Lyon", "Bike Kitchen Lyon"),
        ("It's the Bron Community Centre.", "Bron Community Centre"),
        ("Dupont & Cie.", "Dupont & Cie."),
        ("Nous Toutes", "Nous Toutes"),
    ],
)
async def test_the_name_is_stored_without_its_lead_in_nor_its_final_period(app, person, typed: str, name: str) -> None:
    assert name_in_answer(typed) == name
    alice: Person = person()
    await alice.onboard(typed, "Bron")
    [(stored,)] = rows(app, "SELECT name FROM actors")
    assert stored == name, stored


# ---------------------------------------------------------------- 4. the public presentation is said, never a letter's opening

_LETTERS = [
    (
        "fr",
        "Je vous écris en qualité de chargée de mission à la Direction de la démocratie locale de la Ville de Villeurbanne. "
        "Nous accompagnons les 600 associations de la commune dans leurs projets.",
        "Nous accompagnons les 600 associations",
        "présentation publique",
    ),
    (
        "en",
        "I am writing on behalf of the Bron food bank, a charity in Bron. We collect and share food with 300 families every week.",
        "We collect and share food",
        "public presentation",
    ),
]


@pytest.mark.parametrize(("language", "typed", "kept", "notice"), _LETTERS)
async def test_a_presentation_read_at_the_type_question_is_said_and_never_the_letter(
    app, person, language: str, typed: str, kept: str, notice: str
) -> None:
    """Her first message answered at the type question became her public description in silence (« Je vous écris en
    qualité de chargée de mission… »), while an English user got a notice."""
    alice: Person = person(language_code=language)
    await alice.say("/start")
    await alice.say(typed)
    said = alice.text()
    assert notice in said and kept in said and "/profil" in said, said
    assert "Je vous écris" not in said and "I am writing" not in said, said


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "Je vous écris en qualité de chargée de mission à la mairie de Villeurbanne, pour présenter notre service."),
        ("fr", "Je me permets de vous contacter en tant que chargé de mission vie associative de la mairie de Bron."),
        ("en", "I'm writing as the community officer of Bron town council to present our department."),
    ],
)
async def test_a_letter_opening_alone_is_no_presentation(app, person, language: str, typed: str) -> None:
    alice: Person = person(language_code=language)
    await alice.say("/start")
    await alice.say(typed)
    said = alice.text()
    assert "présentation publique" not in said and "public presentation" not in said, said


# ---------------------------------------------------------------- 5. connectives off the start of a listing

_TWO = [
    "On cherche des bénévoles pour la distribution du samedi. Et sinon, on peut prêter notre camion le dimanche.",
    "On cherche des bénévoles pour la distribution du samedi. Autre chose : on peut prêter notre camion le dimanche.",
    "On cherche des bénévoles pour la distribution du samedi, et sinon on peut prêter notre camion le dimanche.",
    "We need volunteers for the Saturday food drive. And another thing: we can lend our van on Sundays.",
    "We need volunteers for the Saturday food drive. Oh and another thing, we can lend our van on Sundays.",
    "We need volunteers for the Saturday food drive. Also, we can lend our van on Sundays.",
]


@pytest.mark.parametrize("typed", _TWO)
def test_a_second_listing_starts_with_what_it_offers(typed: str) -> None:
    first, second = several_listings(typed)
    assert second.text.startswith(("On peut prêter", "We can lend")), second.text
    assert not first.text.lower().endswith(("thing", "chose", "sinon")), first.text


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("et sinon, on peut prêter notre camion", "On peut prêter notre camion"),
        ("Sinon on peut prêter notre camion", "On peut prêter notre camion"),
        ("autre chose : nous pouvons prêter des tables", "Nous pouvons prêter des tables"),
        ("also, we can lend chairs", "We can lend chairs"),
        ("And another thing: we can lend our van", "We can lend our van"),
        ("Aussi Bien Que Possible", "Aussi Bien Que Possible"),
    ],
)
def test_courtesy_cleaner_takes_a_leading_connective_off(typed: str, kept: str) -> None:
    assert without_courtesy(typed) == kept


async def test_an_offer_typed_after_and_another_thing_at_the_menu_is_stored_without_it(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    await asso.say("et sinon, on peut prêter notre camion le dimanche pour les déménagements")
    for _ in range(3):  # the commune, then whatever is asked before publishing
        if not _asks(asso) or rows(app, "SELECT 1 FROM listings") != []:
            break
        await asso.press(asso.question.choices[0].label)
    [(description,)] = rows(app, "SELECT description FROM listings")
    assert description.startswith("On peut prêter notre camion"), description


# ---------------------------------------------------------------- 6. an introduction request lists each listing once, with its skills


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("fr", "Offre — Compétences (Comptabilité, Communication, Numérique) : Nos salariés"),
        ("en", "Offer — Skills (Accounting, Communication, Digital"),
    ],
)
async def test_an_offer_of_several_skills_is_shown_once_with_them(app, person, language: str, line: str) -> None:
    alice: Person = person()
    await alice.onboard("Cabinet Martin", "Villeurbanne", kind="Entreprise")
    await alice.say("/offre")
    await alice.press("Compétences")
    await alice.tick("Comptabilité", "Communication", "Numérique")
    await alice.say("Nos salariés peuvent accompagner des associations sur leur temps de travail, une demi-journée par mois.")
    await alice.press(alice.question.choices[0].label)
    with connect(app.config.db) as conn:
        [(actor_id,)] = conn.execute("SELECT id FROM actors").fetchall()
        assert len(conn.execute("SELECT id FROM listings").fetchall()) == 3
        other = other_actor_about(conn, int(actor_id), iso(utcnow()))
    assert other is not None
    shown = about(other, language)
    assert line in shown, shown
    assert shown.count("Nos salariés") == 1, shown


# ---------------------------------------------------------------- 7. English written in English


def test_the_coordinators_only_refusal_is_english_in_english() -> None:
    text = translate("en", "coord.coordinators_only")
    assert "your maison des associations" not in text and "local association hub" in text, text
    assert "maison des associations" in translate("fr", "coord.coordinators_only")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("As part of our spring fair on 13 June, we are looking for volunteers.", "13 June"),
        ("Pour la fête du printemps du 13 juin, on cherche des bénévoles.", "13 juin"),
        ("Pour le marché de Noël du 12 décembre, on cherche des tables.", "12 décembre"),
    ],
)
def test_a_day_named_is_the_end_before_a_season_naming_an_event(typed: str, said: str) -> None:
    from datetime import date

    from conversations.expiry import end_named_in

    named = end_named_in(typed, date(2026, 12, 1))
    assert named is not None and named.said == said, named


async def test_the_introduction_request_and_the_directory_show_an_offer_of_several_skills_once(territory) -> None:
    """The introduction request shown to the other side listed « Offre — Compétences : Our employees… » three times,
    identical and without the skill names; /annuaire's card the same."""
    from tests.core.people import deliver

    app, adapter, people = territory
    asso, boulangerie = people["asso"], people["boulangerie"]
    await boulangerie.say("/offre")
    await boulangerie.press("Compétences")
    await boulangerie.tick("Comptabilité", "Communication", "Numérique")
    await boulangerie.say("Nos salariés peuvent accompagner des associations sur leur temps de travail, une demi-journée par mois.")
    await boulangerie.press(boulangerie.question.choices[0].label)
    line = "Offre — Compétences (Comptabilité, Communication, Numérique) : Nos salariés"
    await asso.say("/annuaire")
    await asso.press("Tout le monde")
    await asso.press(next(c.label for c in asso.question.choices if c.label.startswith("Boulangerie")))
    card = asso.question.text
    assert line in card and card.count("Nos salariés") == 1, card
    await asso.say("/annuler")  # back at the menu: the request is told at once
    await boulangerie.say("/annuaire")
    await boulangerie.press("Tout le monde")
    await boulangerie.press(next(c.label for c in boulangerie.question.choices if c.label.startswith("Asso du Tonkin")))
    await boulangerie.press("Me présenter")
    await deliver(app)
    request = next((r for r in reversed(adapter.replies_to("asso")) if r.prompt_id and r.prompt_id.startswith("I")), None)
    assert request is not None, (boulangerie.text(), asso.text())
    assert line in request.text and request.text.count("Nos salariés") == 1, request.text


@pytest.mark.parametrize(
    ("language", "typed", "kept"),
    [
        (
            "fr",
            "Bonjour, je vous écris en qualité de chargée de mission à la Direction de la démocratie locale de la Ville de "
            "Villeurbanne. Nous accompagnons les 600 associations de la commune dans leurs projets.",
            "« Nous accompagnons les 600 associations",
        ),
        (
            "en",
            "Hello, I am writing on behalf of the Bron food bank. We collect and share food with 300 families every week.",
            "“We collect",
        ),
        ("fr", "Je vous écris en qualité de chargée de mission à la mairie de Villeurbanne.", None),
        ("en", "Hi, I'm writing as the volunteer coordinator of the Bron food bank.", None),
    ],
)
async def test_a_letter_typed_before_start_is_never_the_presentation(app, person, language: str, typed: str, kept: str | None) -> None:
    alice: Person = person(language_code=language)
    await alice.say(typed)
    await alice.say("/start")
    said = alice.text()
    presented = "sera la présentation" in said or "will be your organisation's presentation" in said
    assert presented == (kept is not None), said
    if kept is not None:
        assert kept in said, said
    assert "« Je vous écris" not in said and "“I am writing" not in said and "“Hi, I'm writing" not in said, said
