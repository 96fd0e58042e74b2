"""Defects found by a tester playing new users on the console (keep4): an incomplete phone number
taken as the contact, the text typed after /besoin or /offre dropped, and the « also record this? »
question lost when a command was typed at it."""

from __future__ import annotations

import pytest

from bot.app import App
from tests.core.people import Person

pytestmark = pytest.mark.backends


async def _at_contact(person: Person) -> None:
    await person.say("/start")
    await person.press("Association")
    await person.say("Les Jardins Partagés")
    await person.say("Villeurbanne")
    await person.press("Oui")
    await person.tick("Alimentation")


@pytest.mark.parametrize("wrong", ["06 12 34 56 7", "0612345", "appelez-moi au 06.12.34.56.7", "+33 6 12 34 56", "061234567890"])
async def test_an_incomplete_phone_is_refused_and_asked_again(app: App, person, wrong: str) -> None:
    alice: Person = person()
    await _at_contact(alice)
    asked = alice.question.text
    await alice.say(wrong)
    refusal = alice.text()
    assert "10 chiffres" in refusal, refusal
    assert alice.question.text == asked, refusal  # the contact question again, nothing recorded
    await alice.say("0612345678")
    assert alice.question.text != asked, alice.text()
    assert "hors" not in alice.text() and "Choisissez" not in alice.text(), alice.text()


async def test_an_incomplete_phone_is_refused_in_english(app: App, person) -> None:
    sam: Person = person("sam", language_code="en")
    await sam.say("/start")
    await sam.press("Association")
    await sam.say("Green Movers")
    await sam.say("Villeurbanne")
    await sam.press("Yes")
    await sam.tick(sam.question.choices[0].label)
    asked = sam.question.text
    await sam.say("06 12 34 56 7")
    assert "10 digits" in sam.text(), sam.text()
    assert sam.question.text == asked


def test_phone_rule() -> None:
    from conversations.contacts import international_phone, phone_valid

    for good in (
        "06 12 34 56 78",
        "0612345678",
        "04.78.12.34.56",
        "+33 6 12 34 56 78",
        "0033612345678",
        "+44 7700 900123",
        "+32 470 12 34 56",
    ):
        assert phone_valid(good), good
    for bad in ("06 12 34 56 7", "061234567", "+33 6 12 34 56", "+33 6 12 34 56 789", "16 12 34 56 78", "+44 77", "00 12 34 56 78"):
        assert not phone_valid(bad), bad
    assert international_phone("+447700900123") == "+44 7700 900123"
    assert international_phone("06 12 34 56 78") == "+33 6 12 34 56 78"


@pytest.mark.parametrize(
    ("command", "text", "kind", "category"),
    [
        ("/besoin", "un camion pour le déménagement du local samedi 12", "Besoin", None),
        ("/besoin", "des bénévoles pour trier les colis alimentaires samedi matin", "Besoin", "Bénévoles"),
        ("/offre", "nous prêtons notre salle de réunion le soir aux associations", "Offre", "Locaux"),
        ("/need", "volunteers to help us sort food parcels on Saturday", "Besoin", None),
        ("/offre", "on peut prêter une camionnette le week-end", "Offre", None),
    ],
)
async def test_the_text_after_the_command_is_the_description(
    app: App, person, command: str, text: str, kind: str, category: str | None
) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say(f"{command} {text}")
    shown = alice.text()
    assert "Décrivez" not in shown, shown
    assert kind in shown, shown
    assert text[:30] in shown, shown  # quoted back: the confirmation, or the category asked about it
    if category is not None:
        assert category in shown, shown


async def test_the_command_alone_still_asks_the_category(app: App, person) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/besoin")
    before = alice.question
    assert any(choice.label.startswith("Matériel") or "Matériel" in choice.label for choice in before.choices), alice.text()


@pytest.mark.parametrize("command", ["/profil", "/menu", "/suggestions", "/annuler"])
async def test_the_other_listing_of_a_sentence_is_kept_when_a_command_comes(app: App, person, command: str) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("On cherche un camion pour le déménagement samedi. Nous mettons à disposition la salle Mosaïque le mardi soir")
    for _ in range(4):  # to the « also record this? » question
        if "aussi" in alice.text():
            break
        await alice.press(alice.question.choices[0].label)
    assert "Mosaïque" in alice.text() and "aussi" in alice.text(), alice.text()
    await alice.say(command)
    assert "Mosaïque" in alice.text(), alice.text()  # said in one line: kept as a draft
    await alice.say("/offre")
    assert "Mosaïque" in alice.text(), alice.text()


async def test_the_text_after_the_command_during_the_profile_is_kept(app: App, person) -> None:
    """« /besoin … » before the profile is made: the need waits as a draft, the question asked again."""
    alice: Person = person()
    await _at_contact(alice)
    asked = alice.question.text
    await alice.say("/besoin un camion pour le déménagement du local samedi 12")
    assert "camion" in alice.text() and alice.question.text == asked, alice.text()
    await alice.press(alice.question.choices[0].label)
    await alice.press("Oui aux deux")
    assert "camion" in alice.text(), alice.text()  # announced once the profile is made


async def test_an_incomplete_phone_is_refused_in_the_profile_too(app: App, person) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/profil")
    await alice.press(next(c.label for c in alice.question.choices if "Contact" in c.label))
    if "06" not in alice.question.text and alice.question.choices:  # a choice of how, then the number
        labels = [c.label for c in alice.question.choices]
        phone = next((label for label in labels if "éléphone" in label), None)
        if phone is not None:
            await alice.press(phone)
    asked = alice.question.text
    await alice.say("06 12 34 56 7")
    assert "10 chiffres" in alice.text() and alice.question.text == asked, alice.text()
    await alice.say("06 12 34 56 78")
    await alice.say("/profil")
    assert "+33 6 12 34 56 78" in alice.text(), alice.text()
