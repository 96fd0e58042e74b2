"""The guided conversations through the runtime: onboarding, needs, offers, listings, profile,
settings, data export and deletion, and every kind of bad input."""

from __future__ import annotations

import json

import pytest

from bot.app import App
from core.types import Outcome
from tests.backends import connect
from tests.core.people import Person

pytestmark = pytest.mark.backends


def rows(app: App, sql: str) -> list[tuple]:
    with connect(app.config.db) as conn:
        return conn.execute(sql).fetchall()


async def test_onboarding_creates_the_actor(app: App, person) -> None:
    alice: Person = person()
    await alice.say("/start")
    assert [c.label for c in alice.question.choices] == ["Association", "Entreprise", "Collectivité", "Autre structure"]
    await alice.onboard()
    assert "Que voulez-vous faire ?" in alice.text()
    (actor,) = rows(app, "SELECT kind, name, commune_code, epci_code, themes, consent_matching, consent_calls, contact_handle FROM actors")
    assert actor == ("association", "Les Jardins Partagés", "69266", "200046977", '["alimentation", "environnement"]', 1, 1, "@alice")


async def test_territory_confirmation_and_choice(app: App, person) -> None:
    bob: Person = person("bob")
    await bob.say("/start")
    await bob.press("Entreprise")
    await bob.say("Boulangerie Martin")
    await bob.say("59200")
    assert bob.question.text == "Tourcoing (59) — Métropole Européenne de Lille ?"
    await bob.press("Non, retaper")
    await bob.say("Saint-Denis")
    labels = [c.label for c in bob.question.choices]
    for expected in ("Saint-Denis (93)", "Saint-Denis (974)"):
        assert expected in labels
    await bob.press("Saint-Denis (974)")
    assert "thèmes" in bob.question.text


async def test_unknown_place_gets_a_hint_and_changes_nothing(app: App, person) -> None:
    carla: Person = person("carla")
    await carla.say("/start")
    await carla.press("Collectivité")
    await carla.say("Mairie")
    prompt = carla.question.prompt_id
    for nonsense in ("zzzzqqq", "🙂🙂", "'; DROP TABLE actors;--", "x" * 500):
        await carla.say(nonsense)
        assert carla.outcome is Outcome.REJECTED
        assert "code postal" in carla.text()
        assert carla.question.prompt_id == prompt


async def test_need_and_offer(app: App, person) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/besoin")
    await alice.press("Compétences")
    await alice.say("2 et 3")  # accounting and communication: one path, one listing per skill
    assert "(1000 caractères au plus)" in alice.question.text
    await alice.say("Un coup de main pour clôturer nos comptes annuels et annoncer notre fête.")
    await alice.press("L'intercommunalité : Métropole de Lyon")
    assert "Vos 2 besoins sont enregistrés" in alice.text() and "Alimentation, Environnement" in alice.text()
    await alice.say("/offer")
    await alice.press("Locaux")
    await alice.say("Une salle de réunion libre le mardi soir.")
    await alice.press("10 km autour de Villeurbanne (69)")
    themes = '["alimentation", "environnement"]'  # the profile's, changeable in /annonces
    assert rows(app, "SELECT kind, category, subcategory, zone_kind, zone_code, radius_km, themes FROM listings ORDER BY id") == [
        ("need", "competences", "comptabilite", "epci", "200046977", None, themes),
        ("need", "competences", "communication", "epci", "200046977", None, themes),
        ("offer", "locaux", None, "radius", "69266", 10, themes),
    ]


async def test_listings_edit_renew_close(app: App, person) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/annonces")
    assert "pas encore d'annonce" in alice.text()
    await alice.say("/besoin")
    await alice.press("Bénévoles")
    await alice.say("Des bras pour la distribution du samedi.")
    await alice.press("La commune : Villeurbanne (69)")
    await alice.say("/annonces")
    await alice.say("1")
    await alice.press("Modifier la description")
    await alice.say("Des bénévoles pour la distribution du samedi matin.")
    assert "modifiée" in alice.text()
    await alice.say("/annonces")
    await alice.say("1")
    await alice.press("Clôturer")
    assert rows(app, "SELECT description, status FROM listings") == [("Des bénévoles pour la distribution du samedi matin.", "closed")]
    assert "pas encore" not in alice.text()
    await alice.say("/annonces")  # her only listing is closed: not "no listing yet"
    assert "aucune annonce ouverte" in alice.text() and "/besoin" in alice.text() and "pas encore" not in alice.text(), alice.text()


async def test_profile_edit_and_back(app: App, person) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/profil")
    assert "Les Jardins Partagés" in alice.text()
    await alice.press("Nom")
    await alice.say("Jardins de la Soie")
    assert "modifié" in alice.text()
    await alice.say("/profil")
    await alice.press("Contact partagé")
    await alice.say("pas-un-email@")
    assert alice.outcome is Outcome.REJECTED
    await alice.say("contact@jardins.fr et 04 78 00 00 00")
    assert rows(app, "SELECT name, contact_email, contact_phone FROM actors") == [
        ("Jardins de la Soie", "contact@jardins.fr", "04 78 00 00 00")
    ]


async def test_back_goes_one_step_back(app: App, person) -> None:
    dan: Person = person("dan")
    await dan.say("/start")
    await dan.press("Association")
    await dan.say("Asso A")
    await dan.press("↩ Retour")
    assert dan.question.text == "Quel est le nom de votre structure ?\n(120 caractères au plus)"
    await dan.say("retour")
    assert dan.question.text == "Quel type de structure représentez-vous ?"


async def test_settings_language_switches_to_english(app: App, person) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/reglages")
    await alice.press("Langue")
    await alice.press("English")
    assert "Noted, I will write to you in English." in alice.text()
    assert alice.question.text == "What would you like to do?"
    await alice.say("/settings")
    await alice.press("Suggestion frequency")
    await alice.press("every month")
    assert rows(app, "SELECT language, frequency FROM actors") == [("en", "monthly")]


async def test_english_speaker_gets_english_by_default(app: App, person) -> None:
    eve: Person = person("eve", language_code="en-GB")
    await eve.say("/start")
    assert [c.label for c in eve.question.choices][:3] == ["Association", "Company", "Local authority"]


async def test_pause_and_resume(app: App, person) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/pause")
    assert rows(app, "SELECT paused FROM actors") == [(1,)]
    await alice.say("/reprendre")
    assert rows(app, "SELECT paused FROM actors") == [(0,)]


async def test_export_and_delete_leave_no_orphans(app: App, person) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/besoin")
    await alice.press("Matériel")
    await alice.say("Une camionnette pour les collectes.")
    await alice.press("La commune : Villeurbanne (69)")
    await alice.say("/mesdonnees")
    (export,) = [r for r in alice.last if r.attachment]
    document = json.loads(export.attachment.data)
    assert document["actor"]["name"] == "Les Jardins Partagés"
    assert document["listings"][0]["category"] == "materiel"
    await alice.say("/supprimer")
    await alice.press("Non, garder mon profil")
    assert rows(app, "SELECT COUNT(*) FROM actors") == [(1,)]
    await alice.say("/supprimer")
    await alice.say("oui")  # an irreversible choice: no guess, and it says why
    assert "je ne devine pas" in alice.text() and rows(app, "SELECT COUNT(*) FROM actors") == [(1,)]
    await alice.press("Oui, tout supprimer")
    assert "supprimées" in alice.text()
    for table in ("actors", "listings", "identities", "sessions", "outbox"):
        assert rows(app, f"SELECT COUNT(*) FROM {table}") == [(0,)], table
    await alice.say("/start")
    assert alice.question.text == "Quel type de structure représentez-vous ?"


async def test_bad_inputs_get_an_answer_and_change_nothing(app: App, person) -> None:
    fred: Person = person("fred")
    await fred.say("hello")
    assert "/start" in fred.text()
    await fred.say("/start")
    prompt = fred.question.prompt_id
    cases = {
        "9": "entre 1 et 4",
        "0": "entre 1 et 4",
        "banane": "reconnu",
        "🙂": "reconnu",
        "   ": "vide",
        "x" * 5000: "trop long",
        "/nimportequoi": "Je ne connais pas la commande /nimportequoi",
    }
    for text, expected in cases.items():
        await fred.say(text)
        assert fred.outcome is Outcome.REJECTED, text
        assert expected in fred.text(), (text, fred.text())
        assert fred.question.prompt_id == prompt
    await fred.send(fred.incoming(choice="entreprise", prompt_id="zz"))  # a button of an older message
    assert "ancienne question" in fred.text() and fred.outcome is Outcome.REJECTED
    await fred.send(fred.incoming(choice="hacker", prompt_id=prompt))  # a forged value
    assert "pas valable" in fred.text() and fred.outcome is Outcome.REJECTED
    assert fred.question.prompt_id == prompt
    await fred.press("Association")
    await fred.say("x" * 5000)
    assert "trop long (5000 caractères)" in fred.text()
    assert rows(app, "SELECT COUNT(*) FROM actors") == [(0,)]


async def test_duplicate_delivery_is_ignored(app: App, person, adapter) -> None:
    alice: Person = person()
    event = alice.incoming(text="/start")
    await alice.send(event)
    count = len(adapter.sent)
    await alice.send(event)
    assert alice.outcome is Outcome.DUPLICATE
    assert len(adapter.sent) == count


async def test_cancel_and_help_keep_the_question(app: App, person) -> None:
    alice: Person = person()
    await alice.say("/start")
    await alice.press("Association")
    prompt = alice.question.prompt_id
    await alice.say("/aide")  # help on the question (its name), not the list of commands
    assert "réponse écrite" in alice.text() and "/besoin" not in alice.text() and alice.question.prompt_id == prompt
    await alice.say("/annuler")
    assert "annulé" in alice.text()
    assert rows(app, "SELECT COUNT(*) FROM actors") == [(0,)]
    await alice.say("/besoin")
    assert "/start" in alice.text()


async def test_help_in_the_middle_of_a_flow_is_about_the_question(app: App, person) -> None:
    """``aide`` at a question said the whole list of commands; it now says what the question expects,
    how to leave it, and that /aide at the menu lists the commands."""
    alice: Person = person()
    await alice.onboard()
    await alice.say("/besoin")
    question = alice.question
    await alice.say("aide")
    help_text = alice.last[0].text
    answers = [choice.label for choice in question.choices if not choice.value.startswith("_")]  # not "↩ Retour"
    assert answers and all(label in help_text for label in answers)
    assert "« annuler » ou « menu »" in help_text and "Au menu, /aide liste toutes les commandes" in help_text
    assert "/reglages" not in alice.text() and "/supprimer" not in alice.text()
    assert alice.question.prompt_id == question.prompt_id and alice.question.text == question.text
    await alice.say("menu")
    await alice.say("/aide")  # at the menu: every command
    assert "/reglages" in alice.text() and "/supprimer" in alice.text()


async def test_help_at_a_question_in_english(app: App, person) -> None:
    sam: Person = person("sam", language_code="en")
    await sam.say("/start")
    await sam.say("/help")
    # trial 19: while the profile is being made « menu » is refused, so the help no longer offers it
    assert "type “cancel”" in sam.last[0].text and "menu" not in sam.last[0].text
    assert "Once your profile is made, /help lists every command" in sam.last[0].text
    assert "/settings" not in sam.text()
