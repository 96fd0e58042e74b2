"""Coordinators' calls: signature, scheduling, editing, cancelling, one reminder, reasons for an
empty audience, reports, and answers forwarded once (across restarts, and in `traitdunion chat`)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app import App
from conversations.calls import CancelCall, EditCall
from conversations.model import Identity
from core.clock import iso, utcnow
from services import calls
from services.coordination import CoordinatorArea
from storage import calls as call_store
from storage import coordination
from storage.coordination import AudienceSpec
from tests.core.people import Person, RecordingAdapter
from tests.core.test_coordination import VILLEURBANNE, broadcast, deliver, rows, send_call, territory  # noqa: F401  (fixture)


async def test_answers_are_forwarded_once_across_a_restart(territory) -> None:
    app, adapter, people = territory
    marie, asso = people["marie"], people["asso"]
    await send_call(app, marie)
    await asso.say("Un stand de soupe solidaire !")
    assert await app.forward_answers() == 1
    await deliver(app)
    config, territories = app.config, app.runtime.territories
    await app.stop()
    adapter2 = RecordingAdapter()
    app2 = await App.open(config, adapters=[adapter2], territories=territories)
    app2.run_jobs = False
    await app2.start()
    try:
        assert await app2.forward_answers() == 0
        await deliver(app2)
        assert not any(("nouvelle réponse" in reply.text or "nouvelles réponses" in reply.text) for _, reply in adapter2.sent)
    finally:
        await app2.stop()


def later(app: App, days: int = 3) -> datetime:
    return utcnow() + timedelta(days=days)


async def time_passes(app: App) -> None:
    """The scheduled calls' time has come (they were due a minute ago)."""
    due = iso(utcnow() - timedelta(minutes=1))
    await app.db.transaction(lambda conn: conn.execute("UPDATE scheduled_calls SET send_at = ?", (due,)))


async def test_the_organisation_signs_calls_and_introductions(territory) -> None:
    app, adapter, people = territory
    marie = people["marie"]
    await marie.say("/organisation")
    await marie.say("Maison des associations de Villeurbanne")
    assert "signés « Maison des associations de Villeurbanne »" in marie.text()
    await marie.say("/presenter")
    await marie.say("tonkin")  # one match each: taken at once
    await marie.say("gratte")
    await marie.say("passer")  # no reason
    await marie.press("Oui, envoyer")
    await deliver(app)
    proposal = next(r for r in reversed(adapter.replies_to("asso")) if r.prompt_id and r.prompt_id.startswith("S"))
    assert "proposé par Maison des associations de Villeurbanne" in proposal.text
    await broadcast(marie, "Qui participe au forum des associations ?", "Un bouton « Intéressé·e »")
    await marie.press("Envoyer")
    await deliver(app)
    call = next(r for r in adapter.replies_to("boulangerie") if r.prompt_id and r.prompt_id.startswith("B"))
    assert "Appel de Maison des associations de Villeurbanne" in call.text
    assert rows(app, "SELECT organisation FROM coordinators") == [("Maison des associations de Villeurbanne",)]


async def test_a_scheduled_call_is_edited_then_sent_when_due_with_a_report(territory) -> None:
    app, adapter, people = territory
    marie = people["marie"]
    await broadcast(marie, "Réunion de préparation du forum, qui vient ?", "Un bouton « Intéressé·e »")
    assert "programmer l'envoi" in marie.question.text
    await marie.press("Programmer")
    for bad, error in (
        ("la semaine des quatre jeudis", "pas compris la date"),
        ("hier", "déjà passée"),
        ("01/01/2020 10h", "déjà passée"),
        ("01/01/2099 10h", "plus d'un an"),
    ):
        await marie.say(bad)
        assert error in marie.text(), bad
    assert rows(app, "SELECT COUNT(*) FROM scheduled_calls") == [(0,)]
    when = later(app).astimezone(ZoneInfo("Europe/Paris"))
    await marie.say(when.strftime("%d/%m/%Y 9h30"))
    assert "Appel programmé n°1" in marie.text() and when.strftime("%d/%m/%Y 09:30") in marie.text()
    assert await app.send_due_calls() == 0  # not yet
    await deliver(app)
    assert not any(r.prompt_id and r.prompt_id.startswith("B") for r in adapter.replies_to("asso"))

    await marie.say("/appels")
    await marie.press(marie.question.choices[0].label)
    await marie.press("Modifier le message")
    await marie.say("Réunion de préparation du forum jeudi soir, qui vient ?")
    assert "Appel programmé n°1 modifié" in marie.text()
    await time_passes(app)
    assert await app.send_due_calls() == 1
    await deliver(app)
    call = next(r for r in adapter.replies_to("asso") if r.prompt_id and r.prompt_id.startswith("B"))
    assert "jeudi soir" in call.text
    texts = [r.text for r in adapter.replies_to("marie")]
    assert any("envoi en cours à 2 acteurs" in t for t in texts)
    assert any("2 reçus, 0 échec, 0 injoignable sur 2" in t for t in texts)  # the report
    assert await app.send_due_calls() == 0  # once


async def test_a_cancelled_call_is_never_sent(territory) -> None:
    app, adapter, people = territory
    marie = people["marie"]
    await broadcast(marie, "Un appel que je vais annuler finalement.", "Pas de réponse (information)")
    await marie.press("Programmer")
    await marie.say(later(app).astimezone(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y 10:00"))
    await marie.say("/appels")
    await marie.press(marie.question.choices[0].label)
    await marie.press("Annuler l'appel")
    assert "annulé" in marie.text()
    await time_passes(app)
    assert await app.send_due_calls() == 0
    await deliver(app)
    assert not any("annuler finalement" in r.text for r in adapter.replies_to("asso"))
    await marie.say("/appels")
    assert "Aucun appel programmé" in marie.text()


async def test_one_reminder_goes_to_those_who_did_not_answer(territory) -> None:
    app, adapter, people = territory
    marie, asso = people["marie"], people["asso"]
    await broadcast(marie, "Qui veut tenir un stand au forum ?", "Un bouton « Intéressé·e »")
    await marie.press("Envoyer")
    await deliver(app)
    call = next(r for r in adapter.replies_to("asso") if r.prompt_id and r.prompt_id.startswith("B"))
    await asso.send(asso.incoming(choice="interested", prompt_id=call.prompt_id))
    before = {name: len(adapter.replies_to(name)) for name in ("asso", "boulangerie", "refus")}
    await marie.say("/appels")
    await marie.press(marie.question.choices[0].label)
    await marie.press("Relancer les non-répondants")
    assert "envoyé à 1 acteur" in marie.text()
    await deliver(app)
    reminder = adapter.replies_to("boulangerie")[before["boulangerie"] :]
    assert len(reminder) == 2 and "Rappel" in reminder[0].text and "stand au forum" in reminder[1].text
    assert [c.label for c in reminder[1].choices] == ["Intéressé·e"]
    assert len(adapter.replies_to("asso")) == before["asso"] and len(adapter.replies_to("refus")) == before["refus"]
    await marie.say("/appels")  # reminded, still awaiting an answer: listed with its reminder state
    assert "Aucun appel programmé" not in marie.text()
    line = marie.question.choices[0].label
    assert "stand au forum" in line and "1 réponse, déjà relancé une fois" in line
    await marie.press(line)
    assert next(c.label for c in marie.question.choices) == "Voir où en sont les réponses"
    assert "Relancer les non-répondants" not in [c.label for c in marie.question.choices]
    await marie.press("Voir où en sont les réponses")
    assert "déjà été relancé une fois" in marie.text() and "jusqu'au" in marie.text()
    again = await app.db.transaction(lambda conn: calls.remind(conn, 1, Identity("test", "marie"), "fr", {1}, utcnow()))
    assert "déjà été relancé" in again[0].text
    # ten later calls that ask for no answer do not push it out of the list
    for _ in range(10):
        await app.db.transaction(
            lambda conn: conn.execute(
                "INSERT INTO broadcasts (coordinator_id, area_kind, area_code, area_label, message, answer_mode, status,"
                " requester_platform, requester_chat, created_at) SELECT coordinator_id, area_kind, area_code, area_label,"
                " 'Information sans réponse', 'none', 'done', requester_platform, requester_chat, created_at FROM broadcasts WHERE id = 1"
            )
        )
    await marie.say("/appels")
    assert any("stand au forum" in choice.label for choice in marie.question.choices)
    await marie.say("/annuler")
    # once it can no longer be answered (30 days), it leaves /appels
    old = iso(utcnow() - timedelta(days=31))
    await app.db.transaction(lambda conn: conn.execute("UPDATE broadcasts SET created_at = ? WHERE id = 1", (old,)))
    await marie.say("/appels")
    assert "Aucun appel programmé" in marie.text()


async def test_calls_of_another_territory_are_refused(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    await broadcast(marie, "Un appel programmé de Villeurbanne.", "Pas de réponse (information)")
    await marie.press("Programmer")
    await marie.say(later(app).astimezone(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y 10:00"))
    lille = coordination.Area("commune", "59350", "Lille (59)")
    other = await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "paul", lille, "cli", iso(utcnow())))
    areas = (CoordinatorArea(other.id, "commune", "59350", "Lille (59)"),)
    for effect in (CancelCall(1), EditCall(1, message="Piraté par un autre territoire.")):
        replies = await app.db.transaction(
            lambda conn, effect=effect: calls.apply(conn, effect, Identity("test", "paul"), "fr", areas, app.config, utcnow())
        )
        assert "pas sur votre territoire" in replies[0].text
    assert rows(app, "SELECT status, message FROM scheduled_calls") == [("scheduled", "Un appel programmé de Villeurbanne.")]
    paul = Person(app.runtime, people["marie"].adapter, "paul")
    await paul.say("/appels")
    assert "Aucun appel programmé" in paul.text()


async def test_an_empty_audience_says_why(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    for name in ("asso", "boulangerie"):
        await people[name].say("/pause")
    await broadcast(marie, "Un appel que personne ne recevra.", "Pas de réponse (information)")
    assert "Destinataires : 0 acteur" in marie.question.text and "en pause" in marie.question.text
    assert "Envoyer" not in [c.label for c in marie.question.choices]
    since, cap = iso(utcnow() - timedelta(days=7)), app.config.calls_per_week

    def reasons(conn: sqlite3.Connection) -> list[str | None]:
        return [
            call_store.empty_reason(conn, AudienceSpec(VILLEURBANNE, ("collectivite",)), since, cap),
            call_store.empty_reason(conn, AudienceSpec(VILLEURBANNE, themes=("culture",)), since, cap),
            call_store.empty_reason(conn, AudienceSpec(coordination.Area("commune", "59350", "Lille (59)")), since, cap),
        ]

    assert await app.db.run(reasons) == ["nobody", "nobody", None]
    await people["asso"].say("/reprendre")
    await people["boulangerie"].say("/reprendre")
    await app.db.transaction(lambda conn: conn.execute("UPDATE actors SET consent_calls = FALSE WHERE name != 'Asso Lilloise'"))
    assert await app.db.run(lambda conn: call_store.empty_reason(conn, AudienceSpec(VILLEURBANNE), since, cap)) == "consent"
