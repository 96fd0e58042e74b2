"""Outcomes that count and recommendations (issue 16, items 3 and 6), on the console runtime:
what a follow-up records, the 3-month re-ask of "en discussion", /stats; /recommander and its
refusals (nothing changed), contacts only after both yes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from core.clock import iso
from storage import coordination
from tests.core.people import Person, RecordingAdapter
from tests.core.test_suggestions import (
    MONDAY_11H_PARIS,
    Clock,
    deliver,
    inbox,
    introduction_asked,
    last_decision,
    open_two_sides,
    press_decision,
    request_after_own_suggestion,
)


def rows(app: App, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(app.config.db) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_11H_PARIS)


@pytest.fixture
async def introduced(db_path: Path, territories, clock: Clock):
    """Alice (association) and Bob (company) introduced to each other, their follow-up due and sent."""
    app, alice, bob = await open_two_sides(str(db_path), territories, clock)
    await introduction_asked(app, alice)
    await press_decision(bob, await request_after_own_suggestion(bob), "Oui, avec plaisir")
    clock.advance(days=22)
    assert (await app.maintenance())["followups"] == 1
    await deliver(app)
    yield app, alice, bob
    await app.stop()


async def test_launched_records_what_and_a_shared_story(introduced) -> None:
    app, alice, _ = introduced
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Un partenariat est lancé")
    assert "Qu'avez-vous lancé ensemble" in alice.question.text
    assert [c.label for c in alice.question.choices] == ["Bénévoles", "Compétences", "Locaux", "Matériel", "Projet commun", "Financement"]
    await alice.tick("Compétences", "Projet commun")
    assert "En une phrase" in alice.question.text
    await alice.say("Le cabinet tient notre comptabilité bénévolement depuis janvier.")
    await alice.press("Oui, elle peut être partagée")
    assert "figurera dans le bilan" in alice.text()
    ((status, kinds, story, shared),) = rows(app, "SELECT status, kinds, story, story_shared FROM outcomes")
    assert (status, json.loads(kinds), shared) == ("launched", ["skills", "project"], 1)
    assert story == "Le cabinet tient notre comptabilité bénévolement depuis janvier."
    assert rows(app, "SELECT requester_outcome FROM introductions") == [("launched",)]
    await alice.say("/mesdonnees")  # what she told is in her data export
    export = json.loads(next(r for r in alice.last if r.attachment is not None).attachment.data)
    assert export["outcomes"][0]["story"] == story and export["outcomes"][0]["status"] == "launched"


async def test_story_is_optional_and_private_unless_agreed(introduced) -> None:
    app, alice, _ = introduced
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Un partenariat est lancé")
    await alice.tick("Locaux")
    await alice.say("passer")
    assert "C'est noté" in alice.text()
    assert rows(app, "SELECT kinds, story, story_shared FROM outcomes") == [('["premises"]', None, 0)]


async def test_discussing_is_asked_again_at_three_months(introduced, clock: Clock) -> None:
    app, alice, bob = introduced
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Nous sommes en discussion")
    await press_decision(bob, last_decision(bob.adapter, "bob"), "Non")
    assert rows(app, "SELECT requester_outcome, invitee_outcome FROM introductions") == [("discussing", "none")]
    clock.advance(days=60)  # 82 days after the introduction
    assert (await app.maintenance())["rechecks"] == 0
    clock.advance(days=9)  # 91 days
    assert (await app.maintenance())["rechecks"] == 1
    assert (await app.maintenance())["rechecks"] == 0  # once
    await deliver(app)
    again = last_decision(alice.adapter, "alice")
    assert "Il y a trois mois" in again.text and "Cabinet Martin" in again.text
    assert all("Il y a trois mois" not in r.text for r in inbox(bob.adapter, "bob"))  # bob had answered "Non"
    await press_decision(alice, again, "Un partenariat est lancé")
    await alice.tick("Financement")
    await alice.say("passer")
    assert rows(app, "SELECT status, kinds FROM outcomes WHERE actor_id = 1") == [("launched", '["funding"]')]


async def test_stats_show_outcomes_pairs_themes_and_the_month(introduced, clock: Clock) -> None:
    app, alice, _ = introduced
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Un partenariat est lancé")
    await alice.tick("Compétences")
    await alice.say("Une belle rencontre autour des comptes.")
    await alice.press("Oui, elle peut être partagée")
    await app.db.transaction(
        lambda conn: coordination.add_coordinator(
            conn, "tg", "marie", coordination.Area("epci", "200046977", "Métropole de Lyon"), "test", iso(clock())
        )
    )
    marie = Person(app.runtime, alice.adapter, "marie")
    await marie.say("/stats")
    await marie.press("30 derniers jours")
    text = marie.text()
    assert "Collaborations lancées : 1 mise en relation" in text
    assert "Ce qui a été lancé : Compétences 1" in text
    assert "Par secteurs : Association ↔ Entreprise 1" in text
    assert "« Une belle rencontre autour des comptes. »" in text
    assert "Par mois :" in text
    chart = next(r for r in marie.last if r.attachment is not None and r.attachment.mime_type == "image/png")
    assert chart.attachment.data[:8] == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------- /recommander


async def onboard(person: Person, name: str, place: str, kind: str = "Association", matching: bool = True) -> None:
    consent = "Oui aux deux" if matching else "Ni l'un ni l'autre"
    await person.onboard(name, place, kind=kind, themes=("Alimentation",), consent=consent)


@pytest.fixture
async def neighbours(db_path: Path, territories):
    adapter = RecordingAdapter()
    app = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories)
    app.run_jobs = False
    await app.start()
    people = {name: Person(app.runtime, adapter, name) for name in ("lea", "asso", "boulangerie", "lille", "discret")}
    await onboard(people["lea"], "Centre social Lea", "Villeurbanne")
    await onboard(people["asso"], "Asso du Tonkin", "Villeurbanne")
    await onboard(people["boulangerie"], "Boulangerie Gratte-Ciel", "Lyon", kind="Entreprise")
    await onboard(people["lille"], "Asso Lilloise", "Lille")
    await onboard(people["discret"], "Asso Discrète", "Villeurbanne", matching=False)
    yield app, adapter, people
    await app.stop()


async def pick(lea: Person, label: str) -> None:
    """The actor ``label``: pressed in the list, or already taken when it was the only match."""
    if label in [c.label for c in lea.question.choices]:
        await lea.press(label)
    else:
        assert f"C'est noté : {label}." in lea.text()


async def recommend(lea: Person, first: str, first_label: str, second: str, second_label: str | None) -> None:
    await lea.say("/recommander")
    await lea.say(first)
    await pick(lea, first_label)
    if second:
        await lea.say(second)
    if second_label is not None:
        await pick(lea, second_label)


async def test_recommendation_runs_the_double_opt_in_and_names_who_suggested(neighbours) -> None:
    app, adapter, people = neighbours
    lea, asso, boulangerie = people["lea"], people["asso"], people["boulangerie"]
    await recommend(
        lea, "tonkin", "Asso du Tonkin (Association, Villeurbanne (69))", "gratte", "Boulangerie Gratte-Ciel (Entreprise, Lyon (69))"
    )
    await lea.say("Elles cherchent toutes deux à lutter contre le gaspillage.")
    assert "l'idée vient de vous" in lea.text()
    await deliver(app)
    proposal = last_decision(adapter, "asso")
    assert "recommandé par Centre social Lea" in proposal.text and "gaspillage" in proposal.text
    assert "@boulangerie" not in proposal.text
    await press_decision(asso, proposal, "Me présenter")
    await deliver(app)
    request = last_decision(adapter, "boulangerie")
    assert "Rencontre suggérée par Centre social Lea" in request.text and "@asso" not in request.text
    await press_decision(boulangerie, request, "Oui, avec plaisir")
    assert "@asso" in boulangerie.text()
    await deliver(app)
    assert "@boulangerie" in inbox(adapter, "asso")[-1].text
    assert all("@asso" not in r.text and "@boulangerie" not in r.text for r in inbox(adapter, "lea"))  # never to lea
    assert rows(app, "SELECT kind, recommended_by FROM suggestions") == [("recommendation", 1)]


async def test_recommendation_refusals_change_nothing(neighbours) -> None:
    app, _, people = neighbours
    lea = people["lea"]
    await recommend(lea, "Lea", "Centre social Lea (Association, Villeurbanne (69))", "", None)
    assert "pas vous recommander vous-même" in lea.text()
    await lea.say("/annuler")
    await lea.say("/recommander")
    await lea.say("Lilloise")  # another département
    assert "aucun acteur de votre département" in lea.text()
    await lea.say("Discrète")  # does not want suggestions
    assert "aucun acteur de votre département" in lea.text()
    await lea.say("Personne Inconnue")
    assert "aucun acteur de votre département" in lea.text()
    await lea.say("/annuler")
    await recommend(
        lea, "tonkin", "Asso du Tonkin (Association, Villeurbanne (69))", "tonkin", "Asso du Tonkin (Association, Villeurbanne (69))"
    )
    assert "deux acteurs différents" in lea.text()
    assert rows(app, "SELECT count(*) FROM suggestions") == [(0,)]
    await app.runtime.flush_sent()  # the rows of replies already sent go shortly after (issue 13)
    assert rows(app, "SELECT count(*) FROM outbox WHERE chat_id != 'lea'") == [(0,)]


async def test_recommendation_in_english_and_the_daily_cap(neighbours) -> None:
    from conversations.alliances import RecommendMeeting
    from core.clock import utcnow
    from services.alliances import RECOMMENDATIONS_PER_DAY
    from services.alliances import recommend as recommend_now

    app, _, people = neighbours
    text = await app.db.transaction(lambda conn: [r.text for r in recommend_now(conn, 1, RecommendMeeting(1, 2), "en", utcnow())])
    assert text == ["You cannot recommend yourself: to meet someone, use /suggestions. Nothing was sent."]
    text = await app.db.transaction(lambda conn: [r.text for r in recommend_now(conn, 1, RecommendMeeting(2, 4), "en", utcnow())])
    assert "no actor of that name in your département" in text[0]  # Lille is out of reach
    sent = await app.db.transaction(lambda conn: [r.text for r in recommend_now(conn, 1, RecommendMeeting(2, 3), "en", utcnow())])
    assert "saying the idea is yours" in sent[0]
    again = await app.db.transaction(lambda conn: [r.text for r in recommend_now(conn, 1, RecommendMeeting(3, 2), "en", utcnow())])
    assert "already have an introduction under way" in again[0]

    def flood(conn: sqlite3.Connection) -> list[str]:
        conn.execute(
            "INSERT INTO suggestions (actor_id, other_id, kind, score, explanation, recommended_by, created_at)"
            " SELECT 3, 2, 'recommendation', 1, '[]', 1, ? FROM actors LIMIT ?",
            (iso(utcnow()), RECOMMENDATIONS_PER_DAY),
        )
        return [r.text for r in recommend_now(conn, 1, RecommendMeeting(2, 3), "fr", utcnow())]

    assert "5 rencontres ces dernières 24 heures" in (await app.db.transaction(flood))[0]


async def test_a_deleted_recommender_leaves_neither_their_reason_nor_their_name(neighbours) -> None:
    """What the recommender typed ("why") and their name live in the suggestion they made for two
    others: /supprimer removes both (the suggestion itself stays the others')."""
    app, adapter, people = neighbours
    lea = people["lea"]
    await recommend(
        lea, "tonkin", "Asso du Tonkin (Association, Villeurbanne (69))", "gratte", "Boulangerie Gratte-Ciel (Entreprise, Lyon (69))"
    )
    await lea.say("Elles font toutes deux du numérique responsable.")
    await deliver(app)
    await lea.say("/supprimer")
    await lea.press("Oui, tout supprimer")
    assert "supprimées" in lea.text()
    explanations = " ".join(str(row[0]) for row in rows(app, "SELECT explanation FROM suggestions"))
    assert rows(app, "SELECT count(*) FROM suggestions") == [(1,)]
    assert "numérique responsable" not in explanations and "Centre social Lea" not in explanations


async def test_a_single_match_is_taken_at_once_and_named(neighbours) -> None:
    """New-user trial: /recommander asked "Lequel ?" with one actor in the list; one match now goes
    straight on, naming the actor taken, and "retour" goes back to the name typed."""
    app, _, people = neighbours
    lea = people["lea"]
    await lea.say("/recommander")
    await lea.say("tonkin")
    assert "C'est noté : Asso du Tonkin (Association, Villeurbanne (69))." in lea.text()
    assert "Lequel" not in lea.question.text and "Asso du Tonkin" not in [c.label for c in lea.question.choices]
    await lea.say("retour")
    await lea.say("gratte")
    assert "C'est noté : Boulangerie Gratte-Ciel (Entreprise, Lyon (69))." in lea.text()
    await lea.say("tonkin")
    assert "C'est noté : Asso du Tonkin (Association, Villeurbanne (69))." in lea.text()
    await lea.say("passer")
    assert rows(app, "SELECT actor_id, other_id FROM suggestions") != []
