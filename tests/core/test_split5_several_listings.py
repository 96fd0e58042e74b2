"""One free-text message carrying several listings (testers playing new users, 1 Dec 2026): a need and
an offer in two sentences were one listing when they named no second category the vocabulary knew
(« … bénévoles. Nous pouvons prêter notre cuisine » became « Offre — Bénévoles ») or named the same
one; two categories in one need clause (« des bénévoles pour le stand et un vidéoprojecteur ») were
one need; « Je vous remercie par avance. » stayed in the description; garden tools were no category
and « jardin partagé » made « on cherche du matos » ask need or offer; a suggestion quoted the need
with its verb (« vous cherchez « on cherche des tables… » »). Each test failed before its fix; the
guards beside them pass on both."""

from __future__ import annotations

import pytest

from conversations.understanding import guess_listing, without_courtesy
from tests.core.people import Person
from tests.core.test_coordination import rows

pytestmark = pytest.mark.backends

# ---------------------------------------------------------------- 3. courtesy sentences


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("On cherche des bénévoles pour samedi. Je vous remercie par avance.", "On cherche des bénévoles pour samedi."),
        ("On cherche des bénévoles pour samedi. Je vous remercie d'avance !", "On cherche des bénévoles pour samedi."),
        ("on cherche un camion. En vous remerciant par avance. Paul", "on cherche un camion."),
        ("On cherche un camion. Merci d'avance ! On peut prêter notre salle.", "On cherche un camion. On peut prêter notre salle."),
        ("On cherche un camion. Bonne journée. On peut prêter notre salle.", "On cherche un camion. On peut prêter notre salle."),
        ("We need a van. Thanks in advance. We can lend our hall.", "We need a van. We can lend our hall."),
        ("We need a van. Thank you in advance for your help!", "We need a van."),
    ],
)
def test_a_courtesy_sentence_is_dropped(typed: str, kept: str) -> None:
    assert without_courtesy(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "merci de nous aider à trouver un local",
        "On cherche des bénévoles pour dire merci aux donateurs",
        "Nous cherchons des bénévoles : tri, rangement.",
    ],
)
def test_thanks_inside_a_need_are_kept(typed: str) -> None:
    assert without_courtesy(typed) == typed


@pytest.mark.parametrize(
    ("language", "typed", "stored"),
    [
        ("fr", "On cherche des bénévoles pour la collecte. Je vous remercie par avance.", "On cherche des bénévoles pour la collecte."),
        ("fr", "on cherche des bénévoles pour la collecte, merci d'avance", "on cherche des bénévoles pour la collecte"),
        ("en", "We need volunteers for the food drive. Thanks in advance!", "We need volunteers for the food drive."),
    ],
)
async def test_the_stored_description_has_no_courtesy_sentence(app, person, language: str, typed: str, stored: str) -> None:
    alice = await _onboarded(person, language)
    await alice.say(typed)
    await alice.press(alice.question.choices[0].label)
    assert rows(app, "SELECT description FROM listings") == [(stored,)], alice.text()


# ---------------------------------------------------------------- 4. garden tools, vans; « jardin partagé »


@pytest.mark.parametrize(
    "sentence",
    [
        "on cherche des pelles et des râteaux pour le jardin",
        "on cherche des pelles et des rateaux pr le jardin",
        "nous cherchons une brouette et des sécateurs",
        "on a besoin d'une tondeuse pour l'été",
        "on cherche des binettes",
        "on recherche un camion pour samedi",
        "on cherche une camionnette",
        "besoin d'un fourgon pour le déménagement",
        "on cherche une remorque",
        "we need garden tools: shovels and rakes",
        "we are looking for a wheelbarrow and a lawnmower",
    ],
)
def test_garden_tools_and_vehicles_are_equipment(sentence: str) -> None:
    guess = guess_listing(sentence)
    assert (guess.kind, guess.category) == ("need", "materiel")


@pytest.mark.parametrize(
    "sentence",
    [
        "on cherche du matos pour le jardin partagé",
        "on cherche des outils pour nos jardins partagés",
        "nous cherchons une salle pour notre cuisine partagée",
        "we are looking for tools for our shared garden",
    ],
)
def test_a_shared_garden_is_no_offer(sentence: str) -> None:
    assert guess_listing(sentence).kind == "need"


@pytest.mark.parametrize("sentence", ["on partage notre local le lundi", "nous partageons nos outils de jardin", "du matériel à partager"])
def test_sharing_is_still_an_offer(sentence: str) -> None:
    assert guess_listing(sentence).kind == "offer"


async def test_matos_for_the_shared_garden_is_not_asked_need_or_offer(app, person) -> None:
    alice = await _onboarded(person, "fr")
    await alice.say("on cherche du matos pour le jardin partagé")
    assert "que vous cherchez, ou que vous proposez" not in alice.text(), alice.text()
    assert "Besoin" in alice.text() and "Matériel" in alice.text(), alice.text()


# ---------------------------------------------------------------- helpers


async def _english(someone: Person) -> None:
    await someone.say("/start")
    await someone.press("Association")
    await someone.say("Green Bikes")
    await someone.say("Villeurbanne")
    await someone.press("Yes")
    await someone.tick("Mobility")
    await someone.press(someone.question.choices[0].label)
    await someone.press("Yes to both")


async def _onboarded(person, language: str) -> Person:
    someone: Person = person("alice", language)
    await (someone.onboard() if language == "fr" else _english(someone))
    return someone
