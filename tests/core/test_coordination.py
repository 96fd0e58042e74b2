"""Coordinators: roles and refusals, invitations, audience, broadcasts and answers, crash and
resume, introductions by hand, impact figures."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.config import Config
from conversations.lookup import Answers
from core.clock import iso, utcnow
from services import lookups
from services.coordination import areas_of
from storage import coordination
from tests.backends import connect, is_pg
from tests.core.people import Person, RecordingAdapter, deliver

pytestmark = pytest.mark.backends

VILLEURBANNE = coordination.Area("commune", "69266", "Villeurbanne (69)")
METROPOLE_LYON = coordination.Area("epci", "200046977", "Métropole de Lyon")


def rows(app: App, sql: str, *params: object) -> list[tuple]:
    with connect(app.config.db) as conn:
        return conn.execute(sql, params).fetchall()


async def onboard(person: Person, name: str, place: str, kind: str = "Association", calls: str = "Oui") -> None:
    consent = "Oui aux deux" if calls == "Oui" else "Les suggestions seulement"
    await person.onboard(name, place, kind=kind, themes=("Alimentation",), consent=consent)


@pytest.fixture
async def territory(db_path: Path, territories):
    """An admin, a coordinator of Villeurbanne, four actors (two reachable by calls)."""
    adapter = RecordingAdapter()
    config = Config(db=str(db_path), admins=(("test", "admin"),))
    app = await App.open(config, adapters=[adapter], territories=territories)
    app.run_jobs = False
    await app.start()
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "marie", VILLEURBANNE, "test:admin", iso(utcnow())))
    people = {name: Person(app.runtime, adapter, name) for name in ("marie", "admin", "asso", "boulangerie", "refus", "lille")}
    await onboard(people["asso"], "Asso du Tonkin", "Villeurbanne")
    await onboard(people["boulangerie"], "Boulangerie Gratte-Ciel", "Villeurbanne", kind="Entreprise")
    await onboard(people["refus"], "Asso Silencieuse", "Villeurbanne", calls="Non")
    await onboard(people["lille"], "Asso Lilloise", "Lille")
    yield app, adapter, people
    await app.stop()


async def broadcast(marie: Person, message: str, mode: str) -> None:
    await marie.say("/diffuser")
    assert "C'est noté : Villeurbanne (69)" in marie.text(), marie.text()  # her only territory: taken, and said
    await marie.say("ok")  # every type
    await marie.say("ok")  # every theme
    await marie.say(message)
    await marie.press(mode)


async def send_call(app: App, marie: Person) -> None:
    """Marie's call for written ideas for the associations' fête, sent and delivered."""
    await broadcast(marie, "Vos idées pour la fête des associations ?", "Une réponse écrite")
    await marie.press("Envoyer")
    await deliver(app)


async def test_non_coordinators_are_refused_and_nothing_changes(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    gated = ("/diffuser", "/reponses", "/presenter", "/stats", "/broadcast", "/evenement", "/relancer", "/groupe", "/programmes")
    for command in (*gated, "/organisation", "/appels"):
        await asso.say(command)
        assert "réservée aux coordinateurs" in asso.text(), command
        # tester, 1 December: the refusal said only that; it says how one becomes a coordinator
        assert "traitdunion coordinator add" in asso.text() and "maison des associations" in asso.text(), command
    await asso.say("/coordinateur")
    assert "réservée aux administrateurs" in asso.text()
    await people["marie"].say("/coordinateur")  # a coordinator is not an admin
    assert "réservée aux administrateurs" in people["marie"].text()
    assert rows(app, "SELECT COUNT(*) FROM broadcasts") == [(0,)]
    assert rows(app, "SELECT COUNT(*) FROM coordinators") == [(1,)]


async def test_admin_appoints_in_the_chat_and_the_invitation_prefills(territory) -> None:
    app, _, people = territory
    admin = people["admin"]
    await admin.say("/coordinateur")
    await admin.press("Nommer un coordinateur")
    await admin.say("paul")
    assert "plateforme:identifiant" in admin.text()
    await admin.say("console:paul")
    await admin.say("Métropole de Lyon")
    await admin.press("Oui")
    assert "console:paul coordonne désormais Métropole de Lyon" in admin.text()
    code = rows(app, "SELECT invite_code FROM coordinators WHERE user_id = 'paul'")[0][0]
    assert rows(app, "SELECT action, who FROM audit_log WHERE action = 'coordinator.add' ORDER BY id DESC LIMIT 1") == [
        ("coordinator.add", "test:admin")
    ]
    marie_code = rows(app, "SELECT invite_code FROM coordinators WHERE user_id = 'marie'")[0][0]
    newcomer = Person(app.runtime, people["asso"].adapter, "newcomer")
    await newcomer.say(f"/start {marie_code}")
    await newcomer.press("Association")
    await newcomer.say("Nouvelle Asso")
    assert newcomer.question.text == "Villeurbanne (69) — Métropole de Lyon ?"  # pre-filled by the invitation
    await newcomer.press("Oui")
    await newcomer.tick("Culture")
    await newcomer.press(newcomer.question.choices[0].label)
    await newcomer.press("Oui aux deux")
    assert rows(app, "SELECT invited_by IS NOT NULL FROM actors WHERE name = 'Nouvelle Asso'") == [(1,)]
    assert code != marie_code


async def test_broadcast_reaches_only_consenting_actors_of_the_territory(territory) -> None:
    app, adapter, people = territory
    marie = people["marie"]
    await broadcast(marie, "Qui veut rejoindre le groupe de travail ceinture alimentaire ?", "Un bouton « Intéressé·e »")
    assert "Destinataires : 2 acteurs" in marie.question.text
    await marie.press("Envoyer")
    assert "envoi en cours à 2 acteurs" in marie.text()
    await deliver(app)
    for name in ("asso", "boulangerie"):
        call = next(r for r in adapter.replies_to(name) if r.prompt_id and r.prompt_id.startswith("B"))
        assert "ceinture alimentaire" in call.text and [c.label for c in call.choices] == ["Intéressé·e"]
    for name in ("refus", "lille"):
        assert not any("ceinture" in r.text for r in adapter.replies_to(name))
    report = adapter.replies_to("marie")[-1]
    assert "2 reçus, 0 échec, 0 injoignable sur 2" in report.text
    status = next(r for r in adapter.replies_to("marie") if r.text.startswith("📤"))
    assert "0 sur 2 traités" in status.text  # then edited in place as deliveries go:
    assert [reply.text.split(" — ")[0] for chat, ref, reply in adapter.edits if chat == "marie"][-1] == "📤 Appel n°1 : 2 sur 2 traités"
    assert rows(app, "SELECT action FROM audit_log WHERE action = 'broadcast.start'") == [("broadcast.start",)]


async def test_answers_are_stored_grouped_and_exported(territory) -> None:
    app, adapter, people = territory
    marie, asso, boulangerie = people["marie"], people["asso"], people["boulangerie"]
    await send_call(app, marie)
    await asso.say("Un stand de soupe solidaire !")  # typed: the call is the current question
    assert "votre réponse est transmise" in asso.text()
    call = next(r for r in adapter.replies_to("boulangerie") if r.prompt_id and r.prompt_id.startswith("B"))
    await boulangerie.send(boulangerie.incoming(text="Des viennoiseries offertes.", prompt_id=call.prompt_id))
    await boulangerie.send(boulangerie.incoming(text="Et du pain !", prompt_id=call.prompt_id))
    assert "n'est plus d'actualité" in boulangerie.text()  # one answer each
    before = len(adapter.replies_to("marie"))
    assert await app.forward_answers() == 2
    await deliver(app)
    forwarded = adapter.replies_to("marie")[before:]
    assert len(forwarded) == 1  # grouped: one message for both answers
    assert "2 nouvelles réponses" in forwarded[0].text and "stand de soupe" in forwarded[0].text
    await marie.say("/reponses")  # her only call: its answers at once, never « Les réponses de quel appel ? » (stop 36)
    document = next(r.attachment for r in marie.last if r.attachment)
    assert document.data.startswith(b"\xef\xbb\xbfActeur;Type;Commune;R\xc3\xa9ponse;Date (heure locale)\r\n")
    table = list(csv.reader(io.StringIO(document.data.decode("utf-8-sig")), delimiter=";"))
    assert {row[1] for row in table[1:]} == {"Association", "Entreprise"}
    stored = rows(app, "SELECT created_at FROM broadcast_answers ORDER BY id")[0][0]
    local = datetime.fromisoformat(stored).astimezone(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y %H:%M")
    assert table[1][4] == local  # local time, French order
    assert {row[0] for row in table[1:]} == {"Asso du Tonkin", "Boulangerie Gratte-Ciel"}
    assert all("@" not in cell for row in table for cell in row)  # no contacts


async def test_coordinator_cannot_target_or_see_outside_the_territory(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    await marie.say(
        "/diffuser"
    )  # her territory is one commune: nothing to choose, no « Une seule commune » (test_territory_scope tries it)
    assert "C'est noté : Villeurbanne (69)" in marie.text() and "Villeurbanne (69)" not in [c.label for c in marie.question.choices]
    await marie.say("/presenter")
    await marie.say("Lilloise")
    assert "Aucun acteur de votre territoire" in marie.text()
    other = await app.db.transaction(
        lambda conn: coordination.add_coordinator(
            conn, "test", "luc", coordination.Area("commune", "59350", "Lille (59)"), "cli", iso(utcnow())
        )
    )
    luc = Person(app.runtime, people["asso"].adapter, "luc")
    await broadcast_lille(luc)
    own = rows(app, "SELECT id FROM broadcasts WHERE coordinator_id = ?", other.id)[0][0]
    marie_areas = await app.db.run(lambda conn: areas_of(conn, "test", "marie"))
    query = Answers(own, marie_areas)
    assert await app.db.run(lambda conn: lookups.load(conn, query, utcnow(), app.config.calls_per_week)) is None  # not hers


async def broadcast_lille(luc: Person) -> None:
    await luc.say("/diffuser")
    assert "C'est noté : Lille (59)" in luc.text(), luc.text()  # his only territory
    await luc.say("ok")
    await luc.say("ok")
    await luc.say("Un appel lillois pour tester.")
    await luc.press("Pas de réponse (information)")
    await luc.press("Envoyer")


async def test_weekly_cap_protects_actors(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    for index in range(3):
        await broadcast(marie, f"Appel numéro {index + 1} de la semaine.", "Pas de réponse (information)")
        expected = 2 if index < 2 else 0
        assert f"Destinataires : {expected} acteur" in marie.question.text
        if expected:
            await marie.press("Envoyer")
    # the third call reaches nobody: the preview says why, and it cannot be sent
    assert "nombre maximal d'appels de la semaine" in marie.question.text
    assert "Envoyer" not in [choice.label for choice in marie.question.choices]
    await marie.say("Envoyer")
    assert rows(app, "SELECT COUNT(*) FROM broadcasts") == [(2,)]


async def test_introduction_by_hand_goes_through_double_opt_in(territory) -> None:
    app, adapter, people = territory
    marie, asso, boulangerie = people["marie"], people["asso"], people["boulangerie"]
    await marie.say("/presenter")
    await marie.say("tonkin")  # one match: taken at once, named
    assert "C'est noté : Asso du Tonkin (Association, Villeurbanne (69))." in marie.text()
    await marie.say("gratte")
    assert "C'est noté : Boulangerie Gratte-Ciel (Entreprise, Villeurbanne (69))." in marie.text()
    await marie.say("passer")  # no reason
    await marie.press("Oui, envoyer")
    assert "Je propose la mise en relation" in marie.text()
    await deliver(app)
    proposal = next(r for r in reversed(adapter.replies_to("asso")) if r.prompt_id and r.prompt_id.startswith("S"))
    assert "proposé par Villeurbanne (69)" in proposal.text and "@boulangerie" not in proposal.text
    await asso.send(asso.incoming(choice="present", prompt_id=proposal.prompt_id))
    await deliver(app)
    request = next(r for r in reversed(adapter.replies_to("boulangerie")) if r.prompt_id and r.prompt_id.startswith("I"))
    await boulangerie.send(boulangerie.incoming(choice="accept", prompt_id=request.prompt_id))
    assert "@asso" in boulangerie.text()
    assert rows(app, "SELECT action FROM audit_log WHERE action = 'introduction.propose'") == [("introduction.propose",)]


async def test_stats_in_the_chat(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    await marie.say("/stats")
    await marie.press("30 derniers jours")
    text = marie.text()
    assert "Villeurbanne (69)" in text and "Association 2" in text
    png = next(r.attachment for r in marie.last if r.attachment and r.attachment.mime_type == "image/png")
    assert png.data.startswith(b"\x89PNG\r\n\x1a\n") and len(png.data) > 5000
    assert any(r.attachment and r.attachment.mime_type == "text/csv" for r in marie.last)


async def test_crash_in_the_middle_of_a_large_broadcast_resumes(db_path: Path, territories) -> None:
    adapter = RecordingAdapter()
    config = Config(db=str(db_path), calls_per_week=5)
    app = await App.open(config, adapters=[adapter], territories=territories)
    now = iso(utcnow())
    place = json.dumps({"code": "69266", "label": "Villeurbanne (69)", "kind": "commune", "epci": "200046977", "departement": "69"})

    def populate(conn: sqlite3.Connection) -> None:
        for index in range(1000):
            actor = conn.execute(
                "INSERT INTO actors (kind, name, commune_code, place, epci_code, departement_code, themes, consent_calls,"
                " consent_matching, created_at, updated_at) VALUES ('association', ?, '69266', ?, '200046977', '69',"
                " '[\"culture\"]', TRUE, TRUE, ?, ?) RETURNING id",
                (f"Asso {index}", place, now, now),
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO identities (platform, user_id, chat_id, actor_id, created_at) VALUES ('test', ?, ?, ?, ?)",
                (f"u{index}", f"u{index}", actor, now),
            )
        coordination.add_coordinator(conn, "test", "marie", VILLEURBANNE, "cli", now)

    await app.db.transaction(populate)
    marie = Person(app.runtime, adapter, "marie")
    await broadcast(marie, "Un appel à mille associations.", "Pas de réponse (information)")
    assert "Destinataires : 1000 acteurs" in marie.question.text
    await marie.press("Envoyer")

    delivered: list[str] = []
    original = adapter.send

    async def crash_after_400(chat_id: str, reply) -> str | None:
        if len(delivered) == 400:
            raise SystemExit("power cut")  # not an error the worker handles: the process dies here
        if chat_id != "marie":  # the coordinator's status message is not a recipient
            delivered.append(chat_id)
        return await original(chat_id, reply)

    adapter.send = crash_after_400
    with pytest.raises(SystemExit):
        await app.workers[0].run_once()
    await app.stop()

    adapter2 = RecordingAdapter()
    app = await App.open(config, adapters=[adapter2], territories=territories)
    await app.workers[0].run_once()
    delivered += [chat for chat, reply in adapter2.sent if chat != "marie"]
    assert len(set(delivered)) == 1000 and len(delivered) <= 1001  # everyone once, at most one duplicate
    report = [reply.text for chat, reply in adapter2.sent if chat == "marie"]
    assert any("1000 reçus" in text for text in report)
    assert rows(app, "SELECT status, COUNT(*) FROM broadcast_recipients GROUP BY status") == [("sent", 1000)]
    await app.stop()


async def test_heavy_reads_run_off_the_writer(territory, monkeypatch) -> None:
    """The audience preview, the impact figures, the search for an actor and a call's answers are
    read on the read-only connection, not in a step's transaction."""
    from storage import coordination as coordination_store
    from storage import stats

    app, _, people = territory
    seen: list[tuple[str, int]] = []
    audience_size, impact = coordination_store.audience_size, stats.impact

    def on_which(name: str, conn: sqlite3.Connection) -> None:
        if is_pg(conn):  # a REPEATABLE READ READ ONLY transaction
            seen.append((name, int(conn.execute("SHOW transaction_read_only").fetchone()[0] == "on")))
        else:
            seen.append((name, conn.execute("PRAGMA query_only").fetchone()[0]))

    def spy_audience(conn, *args):
        on_which("audience", conn)
        return audience_size(conn, *args)

    def spy_impact(conn, *args):
        on_which("impact", conn)
        return impact(conn, *args)

    search, answers = coordination_store.actors_in_area, coordination_store.answers

    def spy_search(conn, *args):
        on_which("search", conn)
        return search(conn, *args)

    def spy_answers(conn, *args):
        on_which("answers", conn)
        return answers(conn, *args)

    monkeypatch.setattr(coordination_store, "audience_size", spy_audience)
    monkeypatch.setattr(stats, "impact", spy_impact)
    monkeypatch.setattr(coordination_store, "actors_in_area", spy_search)
    monkeypatch.setattr(coordination_store, "answers", spy_answers)
    marie = people["marie"]
    await broadcast(marie, "Forum des associations samedi", "Pas de réponse (information)")
    await marie.press("Envoyer")
    await marie.say("/stats")
    await marie.press("30 derniers jours")
    assert "Villeurbanne (69)" in marie.text() and "Association 2" in marie.text()
    await marie.say("/presenter")
    await marie.say("tonkin")
    assert "C'est noté : Asso du Tonkin (Association, Villeurbanne (69))." in marie.text()
    await marie.say("/reponses 1")  # the call named: its answers read (none: said, stop 36)
    assert "information seule" in marie.text(), marie.text()
    assert {name for name, _ in seen} == {"audience", "impact", "search", "answers"}
    assert all(read_only == 1 for _, read_only in seen), seen


def test_the_coordinators_only_refusal_says_how_to_become_one_in_english_too() -> None:
    """The refusal names who appoints coordinators and whom to ask, in both catalogs."""
    from conversations.i18n import translate

    for language, whom in (("fr", "maison des associations"), ("en", "maison des associations")):
        text = translate(language, "coord.coordinators_only")
        first, how = text.split("\n")
        assert first and "traitdunion coordinator add" in how and whom in how, text
    assert translate("en", "coord.coordinators_only").startswith("This command is for coordinators only.\nTo become one")
