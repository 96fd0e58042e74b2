"""Trial 19 (a person playing new users on a fresh clone): a plain yes takes the first option where
that option is the yes (a call's « Intéressé·e », « Reprendre où j'en étais »); the help says only
what works; « retour » at the first onboarding question; the wording of cancellations."""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_coordination import broadcast, deliver, rows, territory  # noqa: F401  (fixture)
from tests.core.test_keep5_defects import _suggested
from tests.core.test_suggestions import clock, two_sides  # noqa: F401  (fixtures)

YES_AT_CALL = ("oui", "Oui !", "ok", "d'accord", "oui ça nous intéresse !", "yes", "sure", "OK, ça nous intéresse")
# « oui on veut un stand ! » says more than its yes: kept with its words (tests/core/test_stop30_call_answers.py)


@pytest.mark.parametrize("said", YES_AT_CALL)
async def test_a_yes_at_a_call_with_an_interested_button_is_interested(territory, said: str) -> None:
    app, adapter, people = territory
    marie, asso = people["marie"], people["asso"]
    await broadcast(marie, "Qui veut tenir un stand au forum ?", "Un bouton « Intéressé·e »")
    await marie.press("Envoyer")
    await deliver(app)
    await asso.say(said)
    assert "pas reconnu" not in asso.text(), asso.text()
    assert rows(app, "SELECT answer FROM broadcast_answers") == [("interested",)], asso.text()


@pytest.mark.parametrize("said", ("oui", "ok", "yes", "oui ça nous intéresse !"))
async def test_a_yes_at_the_menu_answers_the_call_waiting(territory, said: str) -> None:
    app, adapter, people = territory
    marie, asso = people["marie"], people["asso"]
    await broadcast(marie, "Qui veut tenir un stand au forum ?", "Un bouton « Intéressé·e »")
    await marie.press("Envoyer")
    await deliver(app)
    await asso.say("/menu")
    await asso.say(said)
    assert rows(app, "SELECT answer FROM broadcast_answers") == [("interested",)], asso.text()


YES_AT_RESUME = (("fr", "oui"), ("fr", "ok"), ("fr", "d'accord"), ("fr", "Oui !"), ("en", "yes"), ("en", "sure"), ("en", "ok"))


@pytest.mark.parametrize(("language", "said"), YES_AT_RESUME)
async def test_a_yes_at_resume_or_restart_a_listing_resumes(person, language: str, said: str) -> None:
    alice: Person = person(language_code=language)
    await alice.onboard() if language == "fr" else None
    if language == "en":
        await alice.say("/start")
        await alice.press("Association")
        await alice.say("The Shared Gardens")
        await alice.say("Villeurbanne")
        await alice.press("Yes")
        await alice.tick("Food")
        await alice.press(alice.question.choices[0].label)
        await alice.press("Yes to both")
    await alice.say("/besoin" if language == "fr" else "/need")
    await alice.press(alice.question.choices[0].label)
    await alice.say(
        "Des bénévoles pour trier les dons le samedi matin." if language == "fr" else "Volunteers to sort donations on Saturday."
    )
    await alice.say("/annonces" if language == "fr" else "/listings")
    await alice.say("/besoin" if language == "fr" else "/need")
    assert alice.question.choices[0].value == "resume", alice.text()
    await alice.say(said)
    assert alice.question.choices[0].value.startswith(("commune:", "epci:", "departement:", "radius")), alice.text()


@pytest.mark.parametrize(("language", "said"), YES_AT_RESUME)
async def test_a_yes_at_resume_or_restart_the_profile_resumes(person, language: str, said: str) -> None:
    alice: Person = person(language_code=language)
    await alice.say("/start")
    await alice.press("Association")
    await alice.say("Les Jardins Partagés")
    await alice.say("/annuler" if language == "fr" else "/cancel")
    await alice.say("/start")
    assert alice.question.choices[0].value == "resume", alice.text()
    await alice.say(said)
    assert "pas compris" not in alice.text() and "understand" not in alice.text(), alice.text()
    assert "commune" in alice.question.text or "municipality" in alice.question.text, alice.text()


# ---------------------------------------------------------------- 2. the help says only what works


async def _at_onboarding_step(alice: Person, where: str) -> None:
    await alice.say("/start")
    if where == "type":
        return
    await alice.press(alice.question.choices[0].label)
    if where == "name":
        return
    await alice.say("Les Jardins Partagés")


@pytest.mark.parametrize("where", ("type", "name", "commune"))
@pytest.mark.parametrize(("language", "typed"), (("fr", "aide"), ("fr", "/aide"), ("fr", "Aide ?"), ("en", "help"), ("en", "/help")))
async def test_help_during_the_onboarding_never_offers_the_menu(person, where: str, language: str, typed: str) -> None:
    alice: Person = person(language_code=language)
    await _at_onboarding_step(alice, where)
    asked = alice.question.text
    await alice.say(typed)
    said = alice.text()
    assert "menu" not in said.replace(asked, ""), said
    assert ("annuler" in said) if language == "fr" else ("cancel" in said), said
    assert alice.question.text == asked, said


async def test_help_in_a_flow_after_the_profile_still_offers_the_menu(person) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/besoin")
    await alice.say("aide")
    assert "« menu »" in alice.text(), alice.text()


# ---------------------------------------------------------------- 3. « retour » at the first onboarding question


@pytest.mark.parametrize(("language", "typed"), (("fr", "retour"), ("fr", "Retour"), ("fr", "retour !"), ("en", "back"), ("en", "Back.")))
async def test_back_at_the_first_onboarding_question_says_there_is_nothing_before(person, language: str, typed: str) -> None:
    alice: Person = person(language_code=language)
    await alice.say("/start")
    asked = alice.question
    await alice.say(typed)
    said = alice.text()
    assert "pas reconnu" not in said and "recognise" not in said, said
    assert ("première question" in said) if language == "fr" else ("first question" in said), said
    assert ("annuler" in said) if language == "fr" else ("cancel" in said), said
    assert alice.question.text == asked.text, said
    await alice.press(asked.choices[0].label)  # nothing changed: the profile goes on
    assert "nom" in alice.question.text or "name" in alice.question.text, alice.text()


# ---------------------------------------------------------------- 4. what « annuler » says it did


@pytest.mark.parametrize(
    ("language", "typed"), (("fr", "annuler"), ("fr", "/annuler"), ("fr", "laisse tomber"), ("en", "cancel"), ("en", "never mind"))
)
async def test_cancel_at_the_erasure_confirmation_says_nothing_was_deleted(person, language: str, typed: str) -> None:
    alice: Person = person(language_code=language)
    await alice.onboard() if language == "fr" else await _onboard_in_english(alice)
    await alice.say("/supprimer" if language == "fr" else "/delete")
    await alice.say(typed)
    said = alice.text()
    expected = "Annulé : rien n'a été supprimé." if language == "fr" else "Cancelled: nothing was deleted."
    assert expected in said and "enregistré" not in said and "saved" not in said, said
    await alice.say("/profil" if language == "fr" else "/profile")
    assert "Jardins" in alice.text() or "Gardens" in alice.text(), alice.text()


async def _onboard_in_english(alice: Person) -> None:
    await alice.say("/start")
    await alice.press("Association")
    await alice.say("The Shared Gardens")
    await alice.say("Villeurbanne")
    await alice.press("Yes")
    await alice.tick("Food")
    await alice.press(alice.question.choices[0].label)
    await alice.press("Yes to both")


@pytest.mark.parametrize("typed", ("annuler", "/annuler", "stop", "laisse tomber"))
async def test_cancel_at_a_suggestion_says_the_suggestion_stays(two_sides, typed: str) -> None:
    app, alice, _ = two_sides
    await _suggested(app, alice)
    await alice.say(typed)
    said = alice.text()
    assert "rien n'a été enregistré" not in said, said
    assert "suggestion" in said.lower(), said
    await alice.say("/menu")
    assert "Cabinet Martin" in alice.text(), alice.text()  # still waiting, answerable


@pytest.mark.parametrize("typed", ("annuler", "laisse tomber"))
async def test_cancel_at_a_call_says_the_call_stays(territory, typed: str) -> None:
    app, adapter, people = territory
    marie, asso = people["marie"], people["asso"]
    await broadcast(marie, "Qui veut tenir un stand au forum ?", "Un bouton « Intéressé·e »")
    await marie.press("Envoyer")
    await deliver(app)
    await asso.say(typed)
    assert "la question reste en attente" in asso.text() and "enregistré" not in asso.text(), asso.text()
    await asso.say("/menu")
    await asso.say("oui")
    assert rows(app, "SELECT answer FROM broadcast_answers") == [("interested",)], asso.text()
