"""Sixth trial, a coordinator of the Métropole de Lyon and the companies of her territory: a
programme's shortlist stays inside her territory and never re-proposes a pair already under way;
the number of employees is read as people write it; a theme nothing fits is said at once; the
deletion says what goes; a call's report comes even when some recipients never connect; an
introduction's requester hears when the other side left; the command line reads its own codes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from conversations.expiry import format_day_in
from conversations.programmes import SendProgramme, employees_of
from core.clock import iso, utcnow
from core.model import CoordinatorArea
from services import coordination as coordination_service
from services import demo, programmes
from storage import coordination
from tests import backends
from tests.core.people import Person, RecordingAdapter, deliver

pytestmark = pytest.mark.backends

METROPOLE = coordination.Area("epci", "200046977", "Métropole de Lyon")


def rows(app: App, sql: str, *params: object) -> list[tuple]:
    with backends.connect(app.config.db) as conn:
        return [tuple(row) for row in conn.execute(sql, params).fetchall()]


def execute(app: App, sql: str, *params: object) -> None:
    with backends.connect(app.config.db) as conn:
        conn.execute(sql, params)
        conn.commit()


def actor_id(app: App, name: str) -> int:
    return int(rows(app, "SELECT id FROM actors WHERE name = ?", name)[0][0])


@pytest.fixture
async def metropole(db_path: Path, territories):
    """Claire coordinates the Métropole de Lyon; a company in Lyon 3e; associations with a need on
    Culture inside the Métropole (Lyon 1er, Villeurbanne, Vénissieux, Bron) and one outside it, in
    the same département (Saint-Laurent-de-Chamousset)."""
    adapter = RecordingAdapter()
    app = await App.open(Config(db=str(db_path), admins=(("test", "admin"),)), adapters=[adapter], territories=territories)
    app.run_jobs = False
    await app.start()
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "claire", METROPOLE, "test:admin", iso(utcnow())))
    names = ("claire", "brochier", "comite", "pentes", "tonkin", "cine", "bron")
    people = {name: Person(app.runtime, adapter, name) for name in names}
    await people["claire"].say("/aide")
    await people["brochier"].onboard("Brochier Conseil", "Lyon 3e", kind="Entreprise", themes=("Culture",))
    long_need = (
        "On cherche quelqu'un pour nous aider avec la comptabilité, je suis trésorière bénévole et je découvre "
        "les bilans annuels de l'association"
    )
    for key, name, place, text in (
        ("comite", "Comité des fêtes de St Laurent", "Saint-Laurent-de-Chamousset", "Aide pour la comptabilité du comité des fêtes"),
        ("pentes", "Chorale des Pentes", "Lyon 1er", long_need),
        ("tonkin", "Théâtre du Tonkin", "Villeurbanne", "Des bénévoles pour tenir la billetterie"),
        ("cine", "Ciné de quartier", "Vénissieux", "Des bénévoles pour les projections du jeudi"),
        ("bron", "Fanfare de Bron", "Bron", "Des bénévoles pour porter les instruments"),
    ):
        await people[key].onboard(name, place, themes=("Culture",))
        await people[key].say("/besoin")
        await people[key].press("Bénévoles")
        await people[key].say(text)
        await people[key].press(people[key].question.choices[0].label)
    assert rows(app, "SELECT count(*) FROM listings WHERE status = 'open'") == [(5,)]
    yield app, adapter, people
    await app.stop()


async def declare(company: Person, theme: str = "Culture", employees: str = "3") -> None:
    await company.say("/programme")
    await company.press(theme)
    await company.say(employees)
    await company.say("de janvier à juin 2027")
    await company.say("passer")


def shortlist_labels(person: Person) -> list[str]:
    return [c.label for c in person.question.choices if not c.value.startswith("_")]


# ---------------------------------------------------------------- 1. programmes: territory and pairs


async def test_the_shortlist_stays_in_the_territory_and_skips_pairs_already_under_way(metropole) -> None:
    app, adapter, people = metropole
    claire, brochier = people["claire"], people["brochier"]
    company = actor_id(app, "Brochier Conseil")
    stamp = iso(utcnow())
    # Théâtre du Tonkin met the company already; the Ciné was asked and has not answered; Bron declined.
    for other, status in (("Théâtre du Tonkin", "accepted"), ("Ciné de quartier", "asked"), ("Fanfare de Bron", "declined")):
        execute(
            app,
            "INSERT INTO introductions (requester_id, invitee_id, status, created_at) VALUES (?, ?, ?, ?)",
            company,
            actor_id(app, other),
            status,
            stamp,
        )
    await declare(brochier)
    # the company's département holds two needs it may still meet (Lyon 1er and Saint-Laurent)
    assert "Programme n° 1 enregistré : 2 besoins" in brochier.text()
    await deliver(app)
    notice = adapter.replies_to("claire")[-1].text
    assert (
        "Brochier Conseil propose 3 salariés" in notice and ": 1 besoin d'association y correspond" in notice
    )  # hers: the Lyon 1er one only
    await claire.say("/programmes")
    await claire.press(claire.question.choices[0].label)
    labels = shortlist_labels(claire)
    assert len(labels) == 1 and "Chorale des Pentes" in labels[0], labels
    for outside_or_paired in ("Comité des fêtes", "Théâtre du Tonkin", "Ciné de quartier", "Fanfare de Bron"):
        assert all(outside_or_paired not in label for label in labels)
    # the excerpt is cut at a word and says so
    assert labels[0].endswith("…") and "trésorière" in labels[0] and "découvre les bilans annuels" not in labels[0]
    excerpt = labels[0].split(" : ", 1)[1]
    assert excerpt[:-1].split()[-1] in "On cherche quelqu'un pour nous aider avec la comptabilité, je suis trésorière bénévole".split()

    # a need outside her territory cannot be sent by id either: refused, nothing sent
    outside = rows(app, "SELECT l.id FROM listings l JOIN actors a ON a.id = l.actor_id WHERE a.name LIKE 'Comité%'")[0][0]
    paired = rows(app, "SELECT l.id FROM listings l JOIN actors a ON a.id = l.actor_id WHERE a.name = 'Théâtre du Tonkin'")[0][0]
    appointed = await app.db.run(lambda conn: coordination.areas_of(conn, "test", "claire"))
    areas = [CoordinatorArea(row.id, row.area.kind, row.area.code, row.area.label) for row in appointed]
    for listing in (outside, paired):
        refused = await app.db.transaction(
            lambda conn, listing=listing: programmes.send(conn, SendProgramme(1, (listing,)), tuple(areas), "test:claire", "fr", utcnow())
        )
        assert "ne figurent plus" in refused[0].text
    assert rows(app, "SELECT count(*) FROM suggestions WHERE kind = 'programme'") == [(0,)]
    await claire.tick(labels[0])
    await claire.press("Tout envoyer")
    assert "1 mise en relation proposée" in claire.text()
    told = rows(app, "SELECT actor_id FROM suggestions WHERE kind = 'programme'")
    assert told == [(actor_id(app, "Chorale des Pentes"),)]


async def test_a_coordinator_of_another_territory_is_not_told_and_cannot_open_it(metropole) -> None:
    app, adapter, people = metropole
    await app.db.transaction(
        lambda conn: coordination.add_coordinator(
            conn, "test", "maire", coordination.Area("commune", "69220", "Saint-Laurent-de-Chamousset (69)"), "cli", iso(utcnow())
        )
    )
    maire = Person(app.runtime, adapter, "maire")
    await maire.say("/aide")
    await declare(people["brochier"])
    await deliver(app)
    assert all("Brochier" not in reply.text for reply in adapter.replies_to("maire"))  # the company is not on her territory
    await maire.say("/programmes")
    assert "Aucun programme d'entreprise en attente" in maire.text()


# ---------------------------------------------------------------- 2. the number of employees


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15", 15),
        ("15 salariés", 15),
        ("une quinzaine de salariés", 15),
        ("une quinzaine", 15),
        ("environ 20 personnes", 20),
        ("douze", 12),
        ("vingt-cinq salariés disponibles", 25),
        ("3 collaborateurs", 3),
        ("about 30 employees", 30),
        ("a dozen", 12),
        ("de janvier à juin 2027", None),
        ("beaucoup", None),
    ],
)
def test_employees_are_read_as_people_write_them(typed: str, expected: int | None) -> None:
    assert employees_of(typed) == expected


async def test_the_employee_question_understands_words_and_says_write_a_number(metropole) -> None:
    app, _, people = metropole
    brochier = people["brochier"]
    await brochier.say("/programme")
    await brochier.press("Culture")
    await brochier.say("de janvier à juin 2027")
    assert "écrivez un nombre de salariés" in brochier.text() and "trop long" not in brochier.text()
    await brochier.say("20000 salariés")
    assert "entre 1 et 10 000" in brochier.text()
    await brochier.say("une quinzaine de salariés")
    assert "Sur quelle période" in brochier.text()
    await brochier.say("de janvier à juin 2027")
    await brochier.say("passer")
    assert "Programme n° 1 enregistré" in brochier.text()
    assert rows(app, "SELECT employees FROM programmes") == [(15,)]


# ---------------------------------------------------------------- 3. a theme nothing fits, demo actors


async def test_a_theme_nothing_fits_is_said_before_the_other_questions(metropole) -> None:
    app, _, people = metropole
    brochier = people["brochier"]
    await brochier.say("/programme")
    await brochier.press("Logement")
    assert "Aucune association de votre département" in brochier.text() and "Logement" in brochier.text()
    assert "Combien de salariés" not in brochier.text()
    await brochier.press("Culture")  # the same question again: another theme goes on
    assert "Combien de salariés" in brochier.text()
    assert rows(app, "SELECT count(*) FROM programmes") == [(0,)]


async def test_demo_actors_are_shortlisted_for_the_sandbox_only(db_path: Path, territories) -> None:
    """The demo Épicerie (Villeurbanne, Alimentation, needs volunteers) is proposed to a console
    company, as the rounds propose it; never to a company on a real network."""
    adapter, console = RecordingAdapter(), RecordingAdapter(platform="console")
    app = await App.open(Config(db=str(db_path)), adapters=[adapter, console], territories=territories)
    app.run_jobs = False
    await app.start()
    try:
        await app.db.transaction(lambda conn: demo.load(conn, territories, utcnow()))
        sophie, real = Person(app.runtime, console, "sophie"), Person(app.runtime, adapter, "real")
        await sophie.onboard("Entreprise Console", "Lyon 3e", kind="Entreprise", themes=("Alimentation",))
        await real.onboard("Entreprise Réelle", "Lyon 3e", kind="Entreprise", themes=("Alimentation",))
        await real.say("/programme")
        await real.press("Alimentation")
        assert "Aucune association de votre département" in real.text()
        await declare(sophie, "Alimentation", "une dizaine")
        assert "Programme n° 1 enregistré" in sophie.text()
        programme = await app.db.run(lambda conn: programmes.store.programme(conn, 1))
        assert programme is not None
        found = await app.db.run(
            lambda conn: programmes.store.shortlist(conn, programme["company_id"], "alimentation", [], utcnow().date().isoformat())
        )
        assert any(row["name"] == "Épicerie solidaire de la Soie" for row in found)
    finally:
        await app.stop()


# ---------------------------------------------------------------- 4. deletion says what goes


async def test_a_coordinator_without_profile_is_told_what_deleting_removes(metropole) -> None:
    app, adapter, people = metropole
    claire = people["claire"]
    await claire.say("/diffuser")
    await claire.press("Métropole de Lyon")
    await claire.say("ok")
    await claire.say("ok")
    await claire.say("Un appel pour préparer le forum des associations.")
    await claire.press("Pas de réponse (information)")
    await claire.press("Envoyer")
    assert rows(app, "SELECT status FROM broadcasts") == [("sending",)]
    await claire.say("/supprimer")
    text = claire.question.text
    assert "votre profil, vos annonces" not in text and "pas de profil" in text
    assert "nomination de coordinateur·rice (Métropole de Lyon)" in text
    assert "1 appel en cours d'envoi ou programmé : il sera annulé" in text
    await claire.press("Non, ne rien supprimer")  # she has no profile to keep
    assert rows(app, "SELECT count(*) FROM coordinators") == [(1,)]

    # in English, a coordinator who also has a profile
    brochier = people["brochier"]
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "brochier", METROPOLE, "cli", iso(utcnow())))
    execute(app, "UPDATE actors SET language = 'en' WHERE name = 'Brochier Conseil'")
    await brochier.say("/delete")
    text = brochier.question.text
    assert "your profile, your listings" in text and "your appointment as coordinator (Métropole de Lyon)" in text
    assert "call" not in text.split("coordinator")[-1]  # no call of theirs


async def test_an_actor_who_is_no_coordinator_gets_the_plain_question(metropole) -> None:
    _, _, people = metropole
    tonkin = people["tonkin"]
    await tonkin.say("/supprimer")
    assert "votre profil, vos annonces et tout ce que je sais de vous" in tonkin.question.text
    assert "coordinat" not in tonkin.question.text


# ---------------------------------------------------------------- 5. a call's report always comes


async def test_the_report_comes_when_the_rest_waits_for_people_not_connected(db_path: Path, territories) -> None:
    adapter, console = RecordingAdapter(), RecordingAdapter(platform="console")
    console.only_chat = "someone-else"  # type: ignore[attr-defined]  # a console open for another person: "away" never connects
    app = await App.open(Config(db=str(db_path), call_report_minutes=30), adapters=[adapter, console], territories=territories)
    app.run_jobs = False
    await app.start()
    try:
        await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "claire", METROPOLE, "cli", iso(utcnow())))
        claire = Person(app.runtime, adapter, "claire")
        await claire.say("/aide")
        for person, name in (
            (Person(app.runtime, adapter, "here"), "Asso Connectée"),
            (Person(app.runtime, console, "away"), "Asso Absente"),
        ):
            await person.onboard(name, "Villeurbanne", themes=("Culture",))
        await claire.say("/diffuser")
        await claire.press("Métropole de Lyon")
        await claire.say("ok")
        await claire.say("ok")
        await claire.say("Réunion des associations culturelles, jeudi.")
        await claire.press("Pas de réponse (information)")
        await claire.press("Envoyer")
        await deliver(app)  # the console of "away" never opens: its message stays queued
        assert rows(app, "SELECT status, sent_count, recipients_total FROM broadcasts") == [("sending", 1, 2)]
        now = utcnow()
        early = await app.db.transaction(lambda conn: coordination_service.report_overdue(conn, now, timedelta(minutes=30)))
        assert early == 0
        later = now + timedelta(minutes=31)
        done = await app.db.transaction(lambda conn: coordination_service.report_overdue(conn, later, timedelta(minutes=30)))
        assert done == 1 and rows(app, "SELECT status FROM broadcasts") == [("done",)]
        queued = [str(row[0]) for row in rows(app, "SELECT payload FROM outbox WHERE chat_id = 'claire'")]
        report = [text for text in queued if "envoyé :" in text]  # queued at the job's time (later): not sent yet
        assert len(report) == 1 and "1 reçu" in report[0] and "sur 2" in report[0] and "1 pas encore remis" in report[0]
        again = await app.db.transaction(lambda conn: coordination_service.report_overdue(conn, later, timedelta(minutes=30)))
        assert again == 0
        # when "away" opens their chat later, the call reaches them, and no second report goes
        for worker in app.workers:
            worker.only_chat = None
        await deliver(app)
        assert any("Réunion des associations culturelles" in r.text for r in console.replies_to("away"))
        assert rows(app, "SELECT sent_count FROM broadcasts") == [(2,)]
        queued = [str(row[0]) for row in rows(app, "SELECT payload FROM outbox WHERE chat_id = 'claire'")]
        assert len([text for text in queued if "envoyé :" in text]) == 1
    finally:
        await app.stop()


async def test_a_message_still_being_retried_delays_the_report_but_not_forever(metropole) -> None:
    app, adapter, people = metropole
    claire = people["claire"]
    adapter.flaky["tonkin"] = 10**6  # the network keeps failing for this one
    await claire.say("/diffuser")
    await claire.press("Métropole de Lyon")
    await claire.say("ok")
    await claire.say("ok")
    await claire.say("Un appel pour préparer le forum des associations.")
    await claire.press("Pas de réponse (information)")
    await claire.press("Envoyer")
    now = utcnow()
    after = timedelta(minutes=60)
    assert await app.db.transaction(lambda conn: coordination_service.report_overdue(conn, now + timedelta(hours=2), after)) == 0
    assert await app.db.transaction(lambda conn: coordination_service.report_overdue(conn, now + timedelta(hours=25), after)) == 1


# ---------------------------------------------------------------- 6. the other side left


async def test_the_requester_is_told_once_when_the_other_side_erases(metropole) -> None:
    app, adapter, people = metropole
    tonkin, cine = people["tonkin"], people["cine"]
    company, theatre, cinema = actor_id(app, "Brochier Conseil"), actor_id(app, "Théâtre du Tonkin"), actor_id(app, "Ciné de quartier")
    stamp = iso(utcnow())
    for invitee, status in ((theatre, "accepted"), (cinema, "asked")):
        execute(
            app,
            "INSERT INTO introductions (requester_id, invitee_id, status, created_at) VALUES (?, ?, ?, ?)",
            company,
            invitee,
            status,
            stamp,
        )
    before = len(adapter.replies_to("brochier"))
    for person in (tonkin, cine):
        await person.say("/supprimer")
        await person.press("Oui, tout supprimer")
    await deliver(app)
    told = [r.text for r in adapter.replies_to("brochier")[before:]]
    left = [text for text in told if "a quitté Trait d'union" in text]
    assert len(left) == 2, told
    assert any("Association, Villeurbanne (69)" in text and "mis·e en relation" in text for text in left)
    assert any("Association, Vénissieux (69)" in text and "n'aura pas lieu" in text for text in left)
    assert all("Tonkin" not in text and "Ciné" not in text for text in left)  # nothing that names them stays
    # trial 38: the day written as every other message writes one (« le 4 décembre 2026 », "December 4, 2026"), not 04/12/2026
    assert all(format_day_in(stamp, "fr") in text and utcnow().strftime("%d/%m/%Y") not in text for text in left), left
    stored = rows(app, "SELECT payload FROM outbox")
    assert all("Théâtre du Tonkin" not in str(row[0]) and "Ciné de quartier" not in str(row[0]) for row in stored)


async def test_a_requester_who_erases_tells_the_side_they_met_only(metropole) -> None:
    app, adapter, people = metropole
    company, theatre, cinema = actor_id(app, "Brochier Conseil"), actor_id(app, "Théâtre du Tonkin"), actor_id(app, "Ciné de quartier")
    stamp = iso(utcnow())
    for invitee, status in ((theatre, "accepted"), (cinema, "declined")):
        execute(
            app,
            "INSERT INTO introductions (requester_id, invitee_id, status, created_at) VALUES (?, ?, ?, ?)",
            company,
            invitee,
            status,
            stamp,
        )
    await people["brochier"].say("/supprimer")
    await people["brochier"].press("Oui, tout supprimer")
    await deliver(app)
    assert any("Entreprise, Lyon 3e" in r.text and "a quitté" in r.text for r in adapter.replies_to("tonkin"))
    assert not any("a quitté" in r.text for r in adapter.replies_to("cine"))


# ---------------------------------------------------------------- 7. the command line reads its own codes, in one language


def _cli(tmp_path: Path, *args: str, language: str | None = None):
    from tests.ops.conftest import traitdunion

    env = {"TRAITDUNION_DB": str(tmp_path / "bot.db")}
    if language:
        env["TRAITDUNION_LANGUAGE"] = language
    return traitdunion(*args, env=env)


def test_the_codes_the_command_line_prints_are_accepted_back(tmp_path: Path) -> None:
    added = _cli(tmp_path, "coordinator", "add", "console:claire", "Métropole de Lyon", "--organisation", "MDA de Lyon")
    assert added.returncode == 0 and "(epci:200046977)" in added.stdout, added.stderr
    listed = _cli(tmp_path, "coordinator", "list").stdout
    printed = listed.split("\t")[1]
    assert printed == "epci:200046977"
    for typed in (printed, "200046977", "epci 200046977", "EPCI:200046977"):
        stats = _cli(tmp_path, "stats", typed)
        assert stats.returncode == 0 and "Métropole de Lyon" in stats.stdout, (typed, stats.stderr)
        territory = _cli(tmp_path, "territory", typed)
        assert territory.returncode == 0 and territory.stdout.startswith("200046977\tMétropole de Lyon"), (typed, territory.stderr)
    again = _cli(tmp_path, "coordinator", "add", "console:bob", "200046977")
    assert again.returncode == 0 and "console:bob coordonne Métropole de Lyon (EPCI) (epci:200046977)" in again.stdout, again.stderr
    arrondissement = _cli(tmp_path, "coordinator", "add", "console:troisieme", "commune:69383")
    assert arrondissement.returncode == 0 and "69383" in arrondissement.stdout, arrondissement.stderr


def test_the_command_line_speaks_the_configured_language(tmp_path: Path) -> None:
    for language, expected in (
        ("fr", ("Aucun territoire trouvé", "Aucune commune", "Attendu : plateforme")),
        ("en", ("No territory", "No commune", "Expected platform")),
    ):
        territory = _cli(tmp_path, "territory", "zzzzqqq", language=language)
        stats = _cli(tmp_path, "stats", "epci:999999999", language=language)
        who = _cli(tmp_path, "coordinator", "add", "claire", "Villeurbanne", language=language)
        assert territory.returncode == stats.returncode == 1 and who.returncode == 2
        assert expected[0] in territory.stderr and expected[1] in stats.stderr and expected[2] in who.stderr, (
            territory.stderr,
            stats.stderr,
            who.stderr,
        )
    assert _cli(tmp_path, "coordinator", "list").stdout.strip() == ""


# ---------------------------------------------------------------- the same territory rule on the other surfaces


async def test_events_and_stats_stay_inside_the_coordinators_territory(metropole) -> None:
    """Calls, /presenter, the directory and groups have their own tests (test_coordination,
    test_directory, test_groups); events and the figures of /stats are checked here."""
    from conversations.events import PublishEvent
    from core.model import Identity
    from services import events

    app, _, people = metropole
    claire = people["claire"]
    appointed = await app.db.run(lambda conn: coordination.areas_of(conn, "test", "claire"))
    areas = tuple(CoordinatorArea(row.id, row.area.kind, row.area.code, row.area.label) for row in appointed)
    starts = iso(utcnow() + timedelta(days=10))
    identity = Identity("test", "claire", "Claire", "@claire", "fr")
    for area in (
        {"kind": "commune", "code": "69220", "label": "Saint-Laurent-de-Chamousset (69)"},  # inside her département, outside her area
        {"kind": "departement", "code": "69", "label": "Rhône"},  # wider than her area
    ):
        effect = PublishEvent("Forum", starts, "Salle des fêtes", 30, area, (), ())
        refused = await app.db.transaction(
            lambda conn, effect=effect: events.publish(conn, effect, identity, "claire", "fr", areas, app.config, utcnow())
        )
        assert "pas sur votre territoire" in refused[0].text
    assert rows(app, "SELECT count(*) FROM events") == [(0,)]

    await claire.say("/stats")
    await claire.press(claire.question.choices[0].label)
    text = claire.text()
    assert "Bilan — Métropole de Lyon" in text
    assert "Acteurs inscrits : 5 " in text and "Association 4, Entreprise 1" in text  # Saint-Laurent's association is not counted
    assert "4 besoins" in text  # nor its need


def test_the_weekly_todo_cuts_a_long_need_at_a_word() -> None:
    from conversations.todo import TodoSummary, todo_text

    summary = TodoSummary(lonely_needs=(("Chorale des Pentes", "On cherche quelqu'un pour nous aider avec la comptabilité"),))
    text = todo_text(summary, "fr")
    assert "Chorale des Pentes (On cherche quelqu'un pour nous aider…)" in text


async def test_presenter_never_proposes_a_pair_already_under_way_nor_outside(metropole) -> None:
    from conversations.model import ProposeIntroduction
    from core.model import Identity

    app, _, people = metropole
    claire = people["claire"]
    company, theatre = actor_id(app, "Brochier Conseil"), actor_id(app, "Théâtre du Tonkin")
    execute(
        app,
        "INSERT INTO introductions (requester_id, invitee_id, status, created_at) VALUES (?, ?, 'accepted', ?)",
        theatre,
        company,
        iso(utcnow()),
    )
    await claire.say("/presenter")
    await claire.say("brochier")
    await claire.say("tonkin")
    await claire.say("passer")
    await claire.press("Oui, envoyer")
    assert "déjà été mis en relation" in claire.text() and "Rien n'a été envoyé" in claire.text()
    assert rows(app, "SELECT count(*) FROM suggestions") == [(0,)]
    # an actor outside her territory, even named by id, is refused when the introduction is made
    appointed = await app.db.run(lambda conn: coordination.areas_of(conn, "test", "claire"))
    areas = tuple(CoordinatorArea(row.id, row.area.kind, row.area.code, row.area.label) for row in appointed)
    outside = ProposeIntroduction(actor_id(app, "Comité des fêtes de St Laurent"), company)
    refused = await app.db.transaction(
        lambda conn: coordination_service.propose_introduction(
            conn, outside, Identity("test", "claire", "Claire", "@claire", "fr"), "fr", areas, utcnow()
        )
    )
    assert "pas sur votre territoire" in refused[0].text
    assert rows(app, "SELECT count(*) FROM suggestions") == [(0,)]
    await claire.say("/presenter")
    await claire.say("pentes")
    await claire.say("brochier")
    await claire.say("passer")
    await claire.press("Oui, envoyer")
    assert "Je propose la mise en relation" in claire.text()
