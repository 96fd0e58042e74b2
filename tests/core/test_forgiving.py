"""Answers a person would expect to work (issue 10, "Why"): prefixes, typos, yes and no in
words, number lists, a zone or a contact or a commune typed in a sentence, long descriptions,
a sentence at the menu, and "aide"/"menu"/"retour" without a slash. Each one was refused before."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from bot.app import App
from conversations.expiry import months_after
from conversations.model import Session
from core.clock import local
from core.types import Outcome
from tests.backends import connect
from tests.core.people import Person

pytestmark = pytest.mark.backends


def rows(app: App, sql: str) -> list[tuple]:
    with connect(app.config.db) as conn:
        return conn.execute(sql).fetchall()


async def start_as_association(person: Person, place: str = "Villeurbanne") -> None:
    await person.say("/start")
    await person.say("asso")
    await person.say("Les Amis du Quartier")
    await person.say(place)


async def up_to_themes(person: Person) -> None:
    await person.say("/start")
    await person.press("Association")
    await person.say("Les Amis du Quartier")
    await person.say("Villeurbanne")
    await person.press("Oui")


async def test_asso_picks_association(app: App, person) -> None:
    tina: Person = person("tina")
    await tina.say("/start")
    await tina.say("asso")
    assert tina.outcome is Outcome.ACCEPTED and "nom de votre structure" in tina.question.text


async def test_environement_with_a_typo(app: App, person) -> None:
    tina: Person = person("tina")
    await up_to_themes(tina)
    await tina.say("environement, alimentation")
    assert tina.outcome is Outcome.ACCEPTED
    await tina.say("1")  # contact: her account
    await tina.say("d'accord")  # suggestions and calls
    assert "est enregistré" in tina.text()
    assert rows(app, "SELECT kind, themes, consent_matching, consent_calls FROM actors") == [
        ("association", '["environnement", "alimentation"]', 1, 1)
    ]


async def test_oui_bien_sur_confirms_the_commune(app: App, person) -> None:
    tina: Person = person("tina")
    await tina.say("/start")
    await tina.press("Association")
    await tina.say("Les Amis du Quartier")
    await tina.say("Villeurbanne")
    await tina.say("Oui, bien sûr !")
    assert tina.outcome is Outcome.ACCEPTED and "thèmes" in tina.question.text


async def test_no_in_words_and_an_ambiguous_answer(app: App, person) -> None:
    nora: Person = person("nora")
    await start_as_association(nora)
    await nora.say("ok")
    await nora.say("Culture")
    prompt = nora.question.prompt_id
    await nora.say("zzz")
    assert nora.outcome is Outcome.REJECTED and nora.question.prompt_id == prompt
    assert "« annuler » pour arrêter" in nora.text()  # the one line that says how to leave
    await nora.say("1")
    await nora.say("non merci")
    assert rows(app, "SELECT consent_matching, consent_calls FROM actors") == [(0, 0)]
    await nora.say("/besoin")
    await nora.say("comp")  # Compétences or Commune? only "Compétences" starts with it here
    assert "compétences" in nora.question.text.lower()
    await nora.say("/besoin")
    await nora.press("Recommencer")  # the category chosen just before is offered back as a draft
    await nora.say("2 ou 3")  # « 2 3 », « 2 et 3 » are two listings, one of each (stop 36); « ou » chooses none
    assert nora.outcome is Outcome.REJECTED and "Une seule réponse ici" in nora.text()
    await nora.say("Bénévoles")
    await nora.say("Des bras pour notre fête de quartier du 14 juin.")
    await nora.say("autour")  # "10 km autour…" or "35 km autour…"
    assert nora.outcome is Outcome.REJECTED
    assert "Plusieurs choix y ressemblent" in nora.text() and "10 km" in nora.text() and "35 km" in nora.text()
    assert rows(app, "SELECT COUNT(*) FROM listings") == [(0,)]


async def test_two_skills_in_one_answer_make_one_path(app: App, person) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/besoin")
    await alice.say("compétences")
    await alice.say("2 3")
    assert alice.outcome is Outcome.ACCEPTED
    await alice.say("De l'aide pour nos comptes et pour nos affiches de la fête.")
    await alice.say("1")
    assert rows(app, "SELECT category, subcategory FROM listings ORDER BY id") == [
        ("competences", "comptabilite"),
        ("competences", "communication"),
    ]


async def test_commune_inside_a_sentence(app: App, person) -> None:
    theo: Person = person("theo")
    await theo.say("/start")
    await theo.press("Entreprise")
    await theo.say("Boulangerie Martin")
    await theo.say("Nous sommes à Tourcoing (59200)")
    assert theo.question.text == "Tourcoing (59) — Métropole Européenne de Lille ?"
    await theo.say("non")
    await theo.say("Je suis à Saint-Étienne")  # not the fuzzy "Sauguis-Saint-Étienne" of the whole sentence
    assert theo.question.text.startswith("Saint-Étienne (42)")


async def test_email_and_phone_inside_a_sentence(app: App, person) -> None:
    theo: Person = person("theo")
    await up_to_themes(theo)
    await theo.press("Culture")
    await theo.say("thomas@exemple")
    assert theo.outcome is Outcome.REJECTED and "adresse e-mail ne semble pas valide" in theo.text()
    await theo.say("06 12 34")
    assert theo.outcome is Outcome.REJECTED and "numéro de téléphone ne semble pas valide" in theo.text()
    await theo.say("Joignez-moi à thomas@exemple.fr ou au 06 12 34 56 78, merci")
    assert theo.outcome is Outcome.ACCEPTED
    await theo.say("oui")
    assert rows(app, "SELECT contact_handle, contact_email, contact_phone FROM actors") == [
        (None, "thomas@exemple.fr", "06 12 34 56 78")  # typed only these: the account is not shared
    ]


async def test_a_zone_typed_as_text(app: App, person) -> None:
    theo: Person = person("theo")
    await theo.onboard("Boulangerie Martin", "59200")
    await theo.say("/offre")
    await theo.press("Matériel")
    await theo.say("Deux fours professionnels à donner avant les travaux.")
    await theo.say("Métropole Européenne de Lille")
    assert theo.outcome is Outcome.ACCEPTED
    assert rows(app, "SELECT kind, zone_kind, zone_label FROM listings") == [("offer", "epci", "Métropole Européenne de Lille")]


async def test_a_long_description_is_announced_then_proposed_shorter(app: App, person) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/profil")
    await alice.say("description")
    assert "(280 caractères au plus)" in alice.question.text
    long_text = ("Nous animons un jardin partagé, une épicerie solidaire et des ateliers de cuisine. " * 7).strip()
    assert len(long_text) == 580
    await alice.say(long_text)
    assert "Je garde les 280 premiers : « Nous animons un jardin partagé" in alice.question.text
    assert [c.label for c in alice.question.choices][:2] == ["Oui", "Je réécris"]
    assert rows(app, "SELECT description FROM actors") == [(None,)]  # nothing stored yet
    await alice.say("oui")
    ((kept,),) = rows(app, "SELECT description FROM actors")
    assert kept.startswith("Nous animons un jardin partagé") and kept.endswith("…") and len(kept) <= 280
    await alice.say("/profil")
    await alice.say("description")
    await alice.say(long_text)
    await alice.say("2")  # rewrite
    await alice.say("Un jardin partagé et une épicerie solidaire.")
    assert rows(app, "SELECT description FROM actors") == [("Un jardin partagé et une épicerie solidaire.",)]


async def test_a_sentence_at_the_menu_starts_the_right_flow(app: App, person) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("on cherche des bénévoles le samedi matin")
    assert alice.outcome is Outcome.ACCEPTED
    assert "Besoin — Bénévoles : « on cherche des bénévoles le samedi matin »" in alice.question.text
    await alice.press("La commune : Villeurbanne (69)")  # one tap confirms and publishes
    await alice.say("nous pouvons prêter une salle le mardi soir")
    assert "Offre — Locaux" in alice.question.text
    await alice.say("1")
    await alice.say("Nous cherchons un local pour stocker nos légumes")
    await alice.press("C'est plutôt une offre")  # the guess was wrong: one tap to fix it
    await alice.say("1")
    assert rows(app, "SELECT kind, category, description FROM listings ORDER BY id") == [
        ("need", "benevoles", "on cherche des bénévoles le samedi matin"),
        ("offer", "locaux", "nous pouvons prêter une salle le mardi soir"),
        ("offer", "locaux", "Nous cherchons un local pour stocker nos légumes"),
    ]
    await alice.say("On cherche des bénévoles pour la distribution du samedi matin. " * 20)  # 1,260 characters
    assert "premiers : « On cherche des bénévoles" in alice.question.text
    await alice.say("oui")
    await alice.say("1")
    ((kept,),) = rows(app, "SELECT description FROM listings WHERE id = 4")
    assert len(kept) <= 1000 and kept.endswith("…")
    await alice.press("Déclarer un besoin")
    await alice.say("des bras pour la distribution du samedi matin")  # at "de quoi s'agit-il ?"
    assert alice.question.text.startswith("Besoin — Bénévoles : « des bras pour la distribution du samedi matin »")
    await alice.say("1")
    assert rows(app, "SELECT kind, category, description FROM listings WHERE id = 5") == [
        ("need", "benevoles", "des bras pour la distribution du samedi matin")
    ]
    await alice.say("banane")  # still not understood: the menu again
    assert alice.outcome is Outcome.REJECTED and "décrivez en une phrase ce que vous cherchez" in alice.text()
    assert alice.question.text.startswith("Que voulez-vous faire ?")


async def test_aide_menu_retour_annuler_without_a_slash(app: App, person) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/besoin")
    prompt = alice.question.prompt_id
    await alice.say("aide")
    assert "« annuler » ou « menu »" in alice.text() and alice.question.prompt_id == prompt
    await alice.say("retour")  # first step of the need: back to the menu
    assert alice.question.text.startswith("Que voulez-vous faire ?")
    await alice.say("/offre")
    await alice.say("Locaux")
    await alice.say("retour")
    assert "de quoi s'agit-il" in alice.question.text
    await alice.say("menu")
    assert alice.question.text.startswith("Que voulez-vous faire ?")
    await alice.say("/besoin")
    await alice.say("Cancel")
    assert "annulé" in alice.text()
    assert rows(app, "SELECT COUNT(*) FROM listings") == [(0,)]


async def test_a_saved_session_on_a_removed_step_resumes(app: App, person) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/besoin")
    await alice.say("Bénévoles")
    await alice.say("Des bras pour la distribution du samedi.")
    (actor_id,) = rows(app, "SELECT id FROM actors")[0]
    # an older version of the bot saved this session on a step that no longer exists
    old = Session(
        flow="listing",
        step="when",
        data={"kind": "need", "category": "benevoles", "description": "Des bras."},
        history=("category", "themes", "when"),
        language="fr",
        prompt_seq=40,
    )
    with connect(app.config.db) as conn:
        conn.execute("UPDATE sessions SET state = ?", (json.dumps(old.to_json()),))
    await alice.say("1")
    assert "a changé depuis votre dernier message" in alice.text()
    assert "Besoin — Bénévoles : « Des bras. »" in alice.question.text  # asked again from the start, answers kept
    await alice.say("1")
    assert rows(app, "SELECT description FROM listings") == [("Des bras.",)]
    assert actor_id


def saved_session(app: App) -> Session:
    with connect(app.config.db) as conn:
        (state,) = conn.execute("SELECT state FROM sessions").fetchone()
    return Session.from_json(json.loads(state))


def save_session(app: App, session: Session) -> None:
    with connect(app.config.db) as conn:
        conn.execute("UPDATE sessions SET state = ?", (json.dumps(session.to_json()),))


async def test_sessions_saved_by_the_older_flows_still_load(app: App, person) -> None:
    """The older onboarding asked a description and the two consents apart; the older need asked
    themes and a duration: sessions saved on those steps go on to the end."""
    olga: Person = person("olga")
    await up_to_themes(olga)
    await olga.press("Culture")
    current = saved_session(app)
    old = current.evolve(
        step="consent_matching",
        data={**current.data, "description": "Un théâtre.", "contact_mode": "handle"},
        history=("kind", "name", "place", "themes", "description", "contact_mode"),
    )
    save_session(app, old)
    await olga.say("oui")
    assert "coordinateurs" in olga.question.text
    await olga.say("non")
    assert rows(app, "SELECT description, consent_matching, consent_calls, contact_handle FROM actors") == [("Un théâtre.", 1, 0, "@olga")]
    await olga.say("/besoin")
    await olga.say("Locaux")
    await olga.say("Une salle pour nos répétitions du jeudi soir.")
    current = saved_session(app)
    old = current.evolve(
        step="expiry",
        data={**current.data, "themes": ["culture"], "zone": "epci:200046977"},
        history=("category", "themes", "description", "zone"),
    )
    save_session(app, old)
    await olga.say("1")  # one month, in the older question
    listed = [
        (category, themes, zone, (date.fromisoformat(expires[:10]) - local(datetime.fromisoformat(created), "Europe/Paris").date()).days)
        for category, themes, zone, expires, created in rows(
            app, "SELECT category, themes, zone_kind, expires_at, created_at FROM listings"
        )
    ]
    [[created]] = rows(app, "SELECT created_at FROM listings")
    day = local(datetime.fromisoformat(created), "Europe/Paris").date()
    assert listed == [("locaux", '["culture"]', "epci", (months_after(day, 1) - day).days)]  # a calendar month (dur9)


async def test_the_same_understanding_in_english(app: App, person) -> None:
    eve: Person = person("eve", language_code="en-GB")
    await eve.say("/start")
    await eve.say("comp")
    assert "name" in eve.question.text and "(120 characters at most)" in eve.question.text
    await eve.say("back")
    assert eve.question.choices[0].label == "Association"
    await eve.say("company")
    await eve.say("Green Bakery")
    await eve.say("We are based in Villeurbanne")
    await eve.say("yes of course")
    await eve.say("enviroment")
    assert eve.outcome is Outcome.ACCEPTED
    await eve.say("reach me at eve@green.example")
    await eve.say("no thanks")
    assert rows(app, "SELECT kind, contact_email, consent_matching, consent_calls, language FROM actors") == [
        ("entreprise", "eve@green.example", 0, 0, "en")
    ]
    await eve.say("help")
    assert "/need" in eve.text()
    await eve.say("we can lend a van for the weekend")
    assert eve.question.text.startswith("Offer — ")
    await eve.say("1")
    assert rows(app, "SELECT kind, category FROM listings") == [("offer", "materiel")]


async def test_text_platforms_say_when_a_written_answer_works(app: App, person) -> None:
    from bot.rendering import render_plain

    alice: Person = person()
    await alice.onboard()
    assert render_plain(alice.question).endswith("Écrivez votre réponse, ou répondez par un numéro.")  # the menu
    await alice.say("/supprimer")
    assert render_plain(alice.question).endswith("Répondez par un numéro.")
    assert not render_plain(alice.question).endswith("Écrivez votre réponse, ou répondez par un numéro.")


def test_yes_words_answer_every_yes_no_question_not_only_oui_non() -> None:
    """An introduction request ("Oui, avec plaisir" / "Non merci"), a suggestion and a renewal
    take the usual words for yes and no too (found by a person trying the product)."""
    from conversations.engine import Option, parse_choice

    request = [Option("accept", label="Oui, avec plaisir"), Option("refuse", label="Non merci")]
    for said in ("oui bien sûr", "ok", "d'accord", "d accord", "volontiers", "yes please"):
        assert parse_choice(said, request, "fr").value == "accept", said
    for said in ("non", "pas du tout", "no thanks"):
        assert parse_choice(said, request, "fr").value == "refuse", said
    suggestion = [Option("present", label="Me présenter"), Option("decline", label="Pas intéressé"), Option("later", label="Plus tard")]
    assert parse_choice("ok", suggestion, "fr").value == "present"
    renewal = [Option("renew", label="Renouveler"), Option("close", label="Clore")]
    assert parse_choice("oui bien sûr", renewal, "fr").value == "renew"
