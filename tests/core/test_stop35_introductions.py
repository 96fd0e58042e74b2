"""Introductions read from a first message (trial 33, people playing new users): a first name after « jsuis »,
« je suis » or "Tom here" in lower case or without "the"; a structure's name after the lower-case words of its sort
(« de l'atelier vélo solidaire Roue Libre », « de la chorale Les Voix du Rhône », « à l'épicerie solidaire La
Passerelle »: the name, never its last word); a commune typed in lower case inside a name written as the commune
is (« mairie de rillieux-la-pape » → « Mairie de Rillieux-la-Pape »). Each row failed before its fix."""

from __future__ import annotations

import pytest

from conversations.understanding import introduced, name_with_commune_spelt
from tests.core.people import Person

pytestmark = pytest.mark.backends


@pytest.mark.parametrize(
    ("text", "person", "organisation"),
    [
        ("yo jsuis jules de l'atelier vélo solidaire Roue Libre", "Jules", "Roue Libre"),
        ("salut je suis jules de l'asso Roue Libre", "Jules", "Roue Libre"),
        ("jsuis jules de l'asso Roue Libre", "Jules", "Roue Libre"),
        ("j'suis Jules, de l'épicerie solidaire La Passerelle", "Jules", "La Passerelle"),
        ("Bonjour, Paul de l'atelier vélo Roue Libre", "Paul", "Roue Libre"),
        ("yo c'est Inès de la chorale Les Voix du Rhône", "Inès", "Les Voix du Rhône"),
        ("Bonjour, je suis bénévole à l'épicerie solidaire La Passerelle", None, "La Passerelle"),
        ("coucou moi c'est léa de la maison de quartier Les Brosses", "Léa", "Maison de quartier Les Brosses"),
        ("Tom here from GreenLoop", "Tom", "GreenLoop"),
        ("Hi, Tom here from GreenLoop, we repair bikes", "Tom", "GreenLoop"),
        ("hey Sarah here from Bike Kitchen in Lyon", "Sarah", "Bike Kitchen"),
        # already read, unchanged
        ("slt c karim du club Vélo Pour Tous a villeurbane", "Karim", "Vélo Pour Tous"),
        ("Bonjour, Paul de l association Les Jardins partagés à Vaulx-en-Velin", "Paul", "Les Jardins partagés"),
        ("hey, Julia from the Lille Repair Cafe here", "Julia", "Lille Repair Cafe"),
    ],
)
def test_who_writes_and_for_whom(text: str, person: str | None, organisation: str) -> None:
    who = introduced(text)
    assert (who.person, who.organisation) == (person, organisation), who


@pytest.mark.parametrize(
    "text",
    [
        "je suis ravie de l'accueil",
        "je suis contente de la réunion",
        "jsuis dispo de 14h à 18h",
        "on cherche un camion pour l'atelier vélo Roue Libre",
        "je suis passée de l'atelier à la Maison",
    ],
)
def test_no_first_name_where_none_is_said(text: str) -> None:
    assert introduced(text).person is None, introduced(text)


@pytest.mark.parametrize(
    ("name", "commune", "spelt"),
    [
        ("Mairie de rillieux-la-pape", "Rillieux-la-Pape", "Mairie de Rillieux-la-Pape"),
        ("Comité des fêtes de st genis laval", "Saint-Genis-Laval", "Comité des fêtes de Saint-Genis-Laval"),
        ("Amicale laïque de venissieux", "Vénissieux", "Amicale laïque de Vénissieux"),
        ("Les amis de bron", "Bron", "Les amis de Bron"),
        # written as its writer wants: capitals, another commune, a commune that is not the name's end
        ("Decathlon Lyon", "Lyon", "Decathlon Lyon"),
        ("MAIRIE DE BRON", "Bron", "MAIRIE DE BRON"),
        ("Club de bron basket", "Bron", "Club de bron basket"),
        ("Les jardins de la source", "Bron", "Les jardins de la source"),
        ("Bron", "Bron", "Bron"),
    ],
)
def test_a_commune_in_a_name_is_spelt_as_the_commune(name: str, commune: str, spelt: str) -> None:
    assert name_with_commune_spelt(name, commune) == spelt


async def test_an_introduction_at_the_type_question_is_taken(app, person) -> None:
    someone: Person = person("jules", "fr")
    await someone.say("/start")
    await someone.say("yo jsuis jules de l'atelier vélo solidaire Roue Libre")
    said = someone.text()
    assert "pas reconnu" not in said, said
    assert "Jules" in said and "Roue Libre" in said, said


async def test_an_english_first_name_before_start_is_greeted(app, person) -> None:
    someone: Person = person("tom", "en")
    await someone.say("Tom here from GreenLoop")
    await someone.say("/start")
    assert "Tom" in someone.text() and "GreenLoop" in someone.text(), someone.text()


async def test_a_town_hall_typed_in_lower_case_gets_its_communes_spelling(app, person) -> None:
    someone: Person = person("mairie", "fr")
    await someone.say("/start")
    await someone.press("Collectivité")
    await someone.say("mairie de rillieux-la-pape")
    assert "Mairie de Rillieux-la-Pape — Rillieux-la-Pape (69)" in someone.text(), someone.text()


async def test_a_name_ending_with_the_commune_chosen_later_is_spelt_as_the_commune(app, person) -> None:
    someone: Person = person("comite", "fr")
    await someone.onboard(name="comité des fêtes de bron", place="Bron")
    await someone.say("/profil")
    assert "Comité des fêtes de Bron" in someone.text(), someone.text()


async def test_who_writes_is_no_presentation(app, person) -> None:
    """« Paul de l'amicale laïque de Bron. » was kept as the structure's presentation: a line about who writes."""
    someone: Person = person("paul", "fr")
    await someone.say("Bonjour, Paul de l'amicale laïque de Bron. On cherche des bénévoles pour la kermesse")
    await someone.say("/start")
    said = someone.text()
    assert "Merci Paul" in said and "brouillon de besoin" in said and "présentation" not in said, said


async def test_what_follows_who_writes_is_the_presentation(app, person) -> None:
    someone: Person = person("paul", "fr")
    await someone.say("Bonjour, Paul de l'amicale laïque de Bron. Nous organisons des sorties pour les familles du quartier.")
    await someone.say("/start")
    said = someone.text()
    assert "« Nous organisons des sorties pour les familles du quartier. » sera la présentation" in said, said


@pytest.mark.parametrize(
    "first",
    [
        "bonjour ici la mairie de Rillieux-la-Pape",
        "Ici le Repair Café de Lyon",
        "Hi, this is GreenLoop",
        "nous sommes le Club Photo de Caluire",
    ],
)
async def test_a_name_alone_is_no_presentation(app, person, first: str) -> None:
    """« La mairie de Rillieux-la-Pape » was kept as the presentation: the name again, saying nothing of what it does."""
    someone: Person = person("nom", "en" if first.startswith("Hi") else "fr")
    await someone.say(first)
    await someone.say("/start")
    said = someone.text()
    assert "sera la présentation" not in said and "will be your organisation's presentation" not in said, said
