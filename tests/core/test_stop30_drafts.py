"""/annonces listed a draft without saying it can be deleted (trial 30): it says how (« Supprimer ce
brouillon » at /besoin or /offre), and that way deletes it."""

from __future__ import annotations

import pytest

from tests.core.test_dur9_durations import _english
from tests.core.test_queue import clock, network  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends


@pytest.mark.parametrize(
    ("command", "category", "text", "language", "told", "delete"),
    [
        ("/besoin", "Bénévoles", "Des bénévoles pour trier les dons le samedi matin.", "fr",
         "🗑 Pour le supprimer : tapez /besoin, puis « Supprimer ce brouillon ».", "Supprimer ce brouillon"),
        ("/offre", "Matériel", "Nous prêtons des tables et des chaises pour vos fêtes.", "fr",
         "🗑 Pour le supprimer : tapez /offre, puis « Supprimer ce brouillon ».", "Supprimer ce brouillon"),
        ("/need", "Volunteers", "Volunteers to sort donations on Saturday morning.", "en",
         '🗑 To delete it: type /need, then "Delete this draft".', "Delete this draft"),
    ],
)  # fmt: skip
async def test_annonces_say_how_to_delete_a_draft_and_that_way_deletes_it(
    network, command: str, category: str, text: str, language: str, told: str, delete: str
) -> None:
    app, alice = network
    if language == "en":
        await _english(alice)
    await alice.say(command)
    await alice.press(category)
    await alice.say(text)
    await alice.say("/annonces" if language == "fr" else "/listings")
    said = alice.text()
    assert told in said, said
    await alice.say(command)  # as said
    await alice.press(delete)
    await alice.say("/annonces" if language == "fr" else "/listings")
    assert "🗑" not in alice.text() and "📝" not in alice.text(), alice.text()


async def test_no_draft_no_word_of_deleting_one(network) -> None:
    _, alice = network
    await alice.say("/annonces")
    assert "Supprimer ce brouillon" not in alice.text(), alice.text()
