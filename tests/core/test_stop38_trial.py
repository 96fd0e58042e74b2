"""Trial 38 and the defects left over from trial 37: each row failed before its fix.

- « Basket Club Bron 06 12 34 56 78 » typed at the name question stored the phone number inside the structure's
  name (shown to every partner) and never offered it at the contact question."""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_coordination import rows
from tests.core.test_stop33_menu_questions import _at_menu

pytestmark = pytest.mark.backends


# ---------------------------------------------------------------- a name typed with its phone or e-mail


@pytest.mark.parametrize(
    ("typed", "name", "shared"),
    [
        ("Basket Club Bron 06 12 34 56 78", "Basket Club Bron", "06 12 34 56 78"),
        ("Les Jardins de Bron - contact@jardins-bron.fr", "Les Jardins de Bron", "contact@jardins-bron.fr"),
        ("ASSO TRUC tel : 0612345678", "ASSO TRUC", "0612345678"),
        ("Judo Club Vaulx (mail: judo.vaulx@free.fr)", "Judo Club Vaulx", "judo.vaulx@free.fr"),
    ],
)
async def test_a_name_typed_with_its_contact_keeps_the_contact_for_its_question(app, person, typed: str, name: str, shared: str) -> None:
    nadia: Person = person("nadia", "fr")
    await nadia.say("/start")
    await nadia.press("Association")
    await nadia.say(typed)
    await nadia.say("Villeurbanne")
    await nadia.press("Oui")
    await nadia.tick("Sport")
    assert shared in nadia.text(), nadia.text()  # offered back at the contact question
    await nadia.say("oui")
    await nadia.press("Oui aux deux")
    assert _at_menu(nadia), nadia.text()
    [(stored, email, phone)] = rows(app, "SELECT name, contact_email, contact_phone FROM actors")
    assert stored == name and shared in (email, phone), (stored, email, phone)


@pytest.mark.parametrize("typed", ["Club 2000", "Les 3 Chênes", "Collectif 69-01"])
async def test_a_name_with_numbers_is_no_contact(app, person, typed: str) -> None:
    nadia: Person = person("nadia", "fr")
    await nadia.say("/start")
    await nadia.press("Association")
    await nadia.say(typed)
    await nadia.say("Villeurbanne")
    await nadia.press("Oui")
    await nadia.tick("Sport")
    assert "Je reprends" not in nadia.text(), nadia.text()
