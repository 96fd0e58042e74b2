"""Defect of 1 December 2026: « bonsoir collectif zéro déchet de villeurbanne ici, on propose des
ateliers compost » stored the presentation « Collectif zéro déchet de villeurbanne ici »: the « ici »
/ "here" that only says who writes (as on the phone) is no part of a presentation. And a commune typed
in lower case at the end of a name whose official name is longer (« … de décines »: Décines-Charpieu)
stayed in lower case: it is capitalised as the person would write it, never lengthened."""

from __future__ import annotations

import pytest

from conversations.understanding import who_we_are, without_courtesy, without_here
from core.types import Outcome
from tests.core.people import Person
from tests.core.test_coordination import rows

pytestmark = pytest.mark.backends


@pytest.mark.parametrize(
    ("text", "presentation"),
    [
        ("bonsoir collectif zéro déchet de villeurbanne ici, on propose des ateliers compost", "Collectif zéro déchet de villeurbanne"),
        ("Collectif Zéro Déchet ici, on propose des ateliers compost", "Collectif Zéro Déchet"),
        ("Ici le Repair Café de Lyon, on prête des outils", "Le Repair Café de Lyon"),
        ("Bonjour ici la MJC de Bron, on prête une salle", "La MJC de Bron"),
        ("c'est la chorale de bron ici, on cherche une salle", "C'est la chorale de bron"),
        ("amicale laïque de bron ici on cherche des bénévoles", "Amicale laïque de bron"),
        ("Ici, c'est le club photo de Caluire. On prête des projecteurs", "C'est le club photo de Caluire."),
        ("Paul ici, de l'amicale laïque de Bron. On cherche des bénévoles", "Paul, de l'amicale laïque de Bron."),
        ("Hi, green bikes club here, we can lend bikes", "Green bikes club"),
        ("Hello, Sarah here from Green Bikes, we need volunteers", "Sarah from Green Bikes"),
        ("Bonjour, je suis Paul du Repair Café ici, on prête des outils", "Je suis Paul du Repair Café"),
        ("nous sommes le Club Photo de Caluire ici, on cherche un local", "Nous sommes le Club Photo de Caluire"),
        ("Hi, I am Sarah from the Green Bikes Club here, we need volunteers", "I am Sarah from the Green Bikes Club"),
    ],
)
def test_here_that_says_who_writes_is_no_part_of_the_presentation(text: str, presentation: str) -> None:
    assert who_we_are(without_courtesy(text)) == presentation


@pytest.mark.parametrize(
    "presentation",
    [
        "Nous sommes nouveaux ici",
        "Je suis bénévole ici",
        "On est installés ici depuis dix ans",
        "We are new here",
        "We have been here for ten years",
        "Le jardin d'ici",
    ],
)
def test_here_that_says_where_stays(presentation: str) -> None:
    assert without_here(presentation) == presentation


async def _onboard(someone: Person, first: str) -> list[str]:
    """The first message, /start, then the usual answers: Association, the commune proposed, a theme, the contact, the consents."""
    await someone.say(first)
    await someone.say("/start")
    said = [someone.text()]
    await someone.say("1")
    said.append(someone.text())
    labels = [choice.label for choice in someone.question.choices]
    await (someone.say("oui") if "?" in someone.question.text and "oui" in someone.text().lower() else someone.press(labels[0]))
    said.append(someone.text())
    await someone.say("1")
    await someone.press(someone.question.choices[0].label)
    await someone.say("1")
    said.append(someone.text())
    assert someone.outcome is Outcome.ACCEPTED, said
    return said


@pytest.mark.parametrize(
    ("first", "name", "commune"),
    [
        (
            "bonsoir collectif zéro déchet de villeurbanne ici, on propose des ateliers compost",
            "Collectif zéro déchet de Villeurbanne",
            "Villeurbanne (69)",
        ),
        (
            "bonsoir amicale des parents d'élèves de décines ici, on cherche des bénévoles pour la kermesse",
            "Amicale des parents d'élèves de Décines",
            "Décines-Charpieu (69)",
        ),
        (
            "bonjour, amicale des parents d'élèves de decines ici, on cherche des bénévoles pour la kermesse",
            "Amicale des parents d'élèves de Décines",
            "Décines-Charpieu (69)",
        ),
        ("je suis trésorier du club de foot de caluire on cherche un minibus", "Club de foot de Caluire", "Caluire-et-Cuire (69)"),
    ],
)
async def test_the_stored_presentation_and_name_are_as_the_person_writes_them(app, person, first: str, name: str, commune: str) -> None:
    someone: Person = person("someone", "fr")
    said = await _onboard(someone, first)
    assert name in said[0], said
    [(stored, place, description)] = rows(app, "SELECT name, place, description FROM actors")
    assert stored == name and commune in place, (stored, place)  # capitalised, never the official long name
    words = (description or "").lower().replace(",", " ").split()  # keep5: « je suis trésorier du … »: none
    assert "ici" not in words and "here" not in words, description


async def test_a_presentation_that_asks_nothing_drops_its_here_too(app, person) -> None:
    someone: Person = person("someone", "fr")
    said = await _onboard(someone, "bonsoir, collectif zéro déchet de villeurbanne ici")
    [(stored, description)] = rows(app, "SELECT name, description FROM actors")
    assert stored == "Collectif zéro déchet de Villeurbanne", said
    assert description is None, description  # its name alone: no presentation (stop 35; was the name again)
