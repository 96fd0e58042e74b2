"""Deletion that really deletes, rights re-checked by jobs, exports that cannot run formulas,
rounds that tolerate deletions."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import sqlite3
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from conversations.coordination import answers_csv
from core.clock import iso, utcnow
from core.types import Outcome, Reply
from services import suggestions as suggestions_module
from storage import coordination, outbox
from tests.backends import connect, is_pg
from tests.core.people import Person
from tests.core.test_coordination import broadcast, deliver, send_call, territory  # noqa: F401 - fixture
from tests.core.test_suggestions import clock, introduction_asked, last_decision, press_decision, two_sides  # noqa: F401 - fixtures
from tests.files_on_disk import database_files as files_on_disk

pytestmark = pytest.mark.backends

BOB_TYPED = (
    "Cabinet Martin",
    "Expertise comptable.",
    "mecenat@cabinet-martin.fr",
    "Du mécénat de compétences en comptabilité pour les associations.",
)


def database_files(app: App) -> bytes:
    """The database file with its WAL and shared-memory index, as they are on disk now."""
    return b"".join(files_on_disk(app.config.db).values())


def left_in_files(app: App, values: tuple[str, ...]) -> list[str]:
    content = database_files(app)
    return [value for value in values if value.encode("utf-8") in content]


async def stop_workers(app: App) -> None:
    """Messages then leave only when the test calls ``deliver``."""
    for worker in app.workers:
        await worker.stop()


def pending_payloads(app: App) -> list[str]:
    with connect(app.config.db) as conn:
        return [r[0] for r in conn.execute("SELECT payload FROM outbox WHERE status = 'pending'")]


async def test_deletion_cancels_a_queued_contact_and_leaves_nothing_in_the_files(two_sides) -> None:
    app, alice, bob = two_sides
    await stop_workers(app)
    await introduction_asked(app, alice)
    await press_decision(
        bob, last_decision(bob.adapter, "bob"), "Me présenter"
    )  # his own suggestion, while alice's request waits: both said yes: bob's contact to alice is queued
    assert "mecenat@cabinet-martin.fr" in json.dumps(
        pending_payloads(app),
        ensure_ascii=False,
    )
    await bob.say("/supprimer")
    await bob.press("Oui, tout supprimer")
    assert "Toutes vos données sont supprimées" in bob.text()
    before = len(alice.adapter.replies_to("alice"))
    await deliver(app)
    after = alice.adapter.replies_to("alice")[before:]
    assert not any("mecenat@" in reply.text or "Cabinet Martin" in reply.text for reply in after)
    if not is_pg(app.config.db):  # the files of SQLite (PostgreSQL: see docs/storage-backends.md)
        assert left_in_files(app, BOB_TYPED) == []
    await alice.say("/menu")  # the rest goes on
    assert alice.question.prompt_id


async def test_unfinished_onboarding_can_be_exported_and_deleted(app: App, person) -> None:
    carol: Person = person("carol")
    await carol.say("/start")
    await carol.press("Association")
    await carol.say("Les Zèbres Inachevés")
    await carol.say("/mesdonnees")
    document = next(reply.attachment for reply in carol.last if reply.attachment)
    assert "Les Zèbres Inachevés" in document.data.decode("utf-8")
    await carol.say("/supprimer")
    await carol.press("Oui, tout supprimer")
    assert "Toutes vos données sont supprimées" in carol.text()
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM identities WHERE user_id = 'carol'").fetchone() == (0,)
        assert conn.execute("SELECT COUNT(*) FROM sessions WHERE user_id = 'carol'").fetchone() == (0,)
    assert left_in_files(app, ("Les Zèbres Inachevés",)) == []


async def test_deletion_erases_answers_forwarded_and_sent(territory) -> None:
    app, adapter, people = territory
    marie, asso = people["marie"], people["asso"]
    await send_call(app, marie)
    await asso.say("Un stand de soupe xylophonique !")
    await app.forward_answers()
    await deliver(app)
    assert any("xylophonique" in r.text for r in adapter.replies_to("marie"))
    await asso.say("/supprimer")
    await asso.press("Oui, tout supprimer")
    assert left_in_files(app, ("Un stand de soupe xylophonique !", "Asso du Tonkin")) == []


async def test_a_removed_coordinator_no_longer_receives_answers(territory) -> None:
    app, adapter, people = territory
    marie, asso = people["marie"], people["asso"]
    await send_call(app, marie)
    await asso.say("Un stand de soupe solidaire !")
    await app.db.transaction(lambda conn: coordination.remove_coordinator(conn, "test", "marie", "test:admin", iso(utcnow())))
    before = len(adapter.replies_to("marie"))
    await app.forward_answers()
    await deliver(app)
    assert not any("soupe" in r.text for r in adapter.replies_to("marie")[before:])


async def test_calls_not_delivered_yet_respect_a_pause_and_a_removal(territory) -> None:
    app, adapter, people = territory
    await stop_workers(app)
    marie, asso, boulangerie = people["marie"], people["asso"], people["boulangerie"]
    await broadcast(marie, "Un appel qui attend dans la file.", "Pas de réponse (information)")
    await marie.press("Envoyer")
    await asso.say("/pause")  # before the worker reached them
    await deliver(app)
    assert not any("attend dans la file" in r.text for r in adapter.replies_to("asso"))
    assert any("attend dans la file" in r.text for r in adapter.replies_to("boulangerie"))
    await boulangerie.say("/menu")
    await broadcast(marie, "Un second appel qui attend aussi.", "Pas de réponse (information)")
    await marie.press("Envoyer")
    await app.db.transaction(lambda conn: coordination.remove_coordinator(conn, "test", "marie", "test:admin", iso(utcnow())))
    await deliver(app)
    assert not any("second appel" in r.text for r in adapter.replies_to("boulangerie"))


def test_answers_csv_neutralises_formulas() -> None:
    rows = [
        ('=HYPERLINK("http://x")', "association", "+33 Lyon", "-2+3", "2026-11-30"),
        ("@SUM(A1)", "entreprise", "Lyon", "\tcaché", "2026-11-30"),
        ("\rretour", "association", "Lyon", "Une idée", "2026-11-30"),
    ]
    table = list(csv.reader(io.StringIO(answers_csv(rows).decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in table[1:] for cell in row]
    assert not any(cell[:1] in {"=", "+", "-", "@", "\t", "\r"} for cell in cells)
    assert table[1][0] == '\'=HYPERLINK("http://x")' and table[2][3] == "'\tcaché" and table[3][3] == "Une idée"


async def test_a_round_tolerates_an_actor_deleted_while_it_runs(two_sides, monkeypatch: pytest.MonkeyPatch) -> None:
    app, alice, bob = two_sides
    original = suggestions_module.compute_round  # the engine runs in a child process

    async def engine_then_delete(*args, **kwargs):
        found = await original(*args, **kwargs)
        with connect(app.config.db) as conn:  # bob leaves while the engine runs
            if not is_pg(conn):
                conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("DELETE FROM actors WHERE name = 'Cabinet Martin'")
        return found

    monkeypatch.setattr(suggestions_module, "compute_round", engine_then_delete)
    report = await app.suggestion_round()
    assert report.digests == 1  # alice's digest is stored, without the suggestion of a deleted actor
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM digests").fetchone() == (1,)
        assert conn.execute("SELECT COUNT(*) FROM suggestions").fetchone() == (0,)


async def test_a_lone_surrogate_in_a_display_name_breaks_nothing(app: App, adapter) -> None:
    zoe = Person(app.runtime, adapter, "zoe")
    hostile = {"display_name": "Zo\ud83d", "handle": "@zo\udfff"}  # Telegram JSON can carry these
    await zoe.say("/start", **hostile)
    assert "erreur" not in zoe.text().lower() and zoe.question.prompt_id
    await zoe.press("Association")
    await zoe.say("Cafe\u0301 des Zo\ud83de", **hostile)  # decomposed é, lone surrogate
    await zoe.say("/annuler", **hostile)
    assert "erreur" not in zoe.text().lower()
    await zoe.say("/aide", **hostile)
    assert "/start" in zoe.text()
    with connect(app.config.db) as conn:
        (name,) = conn.execute("SELECT display_name FROM identities WHERE user_id = 'zoe'").fetchone()
    assert name == "Zo\ufffd"


async def test_typed_text_is_stored_in_nfc(app: App, person) -> None:
    ana: Person = person("ana")
    await ana.onboard(name="Cafe\u0301 Solidaire")
    with connect(app.config.db) as conn:
        (name,) = conn.execute("SELECT name FROM actors").fetchone()
    assert name == "Caf\u00e9 Solidaire"


async def test_sent_messages_are_pruned_after_the_retention_period(two_sides, clock) -> None:
    app, alice, bob = two_sides
    await stop_workers(app)
    await app.suggestion_round()
    await deliver(app)
    with connect(app.config.db) as conn:
        sent = conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").fetchone()[0]
        files = conn.execute("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%\"attachment\"%'").fetchone()[0]
    assert sent > 0 and files == 0
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Me présenter")  # a pending message for bob
    assert await app.prune_outbox() == 0
    clock.advance(days=15)
    assert await app.prune_outbox() == sent
    await app.runtime.flush_sent()  # alice's sent replies: their rows go shortly after
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT status FROM outbox").fetchall() == [("pending",)]


async def test_a_postponed_export_is_not_kept_once_sent(app: App, person, adapter) -> None:
    ana: Person = person("ana")
    await ana.onboard(name="Les Exportateurs Discrets")
    for worker in app.workers:
        await worker.stop()
    adapter.flaky["ana"] = 1  # the export cannot go out now: it waits in the outbox
    await ana.say("/mesdonnees")
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%\"attachment\"%'").fetchone() == (1,)
    await deliver(app)
    assert any(reply.attachment for reply in adapter.replies_to("ana"))
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%\"attachment\"%'").fetchone() == (0,)


async def test_a_round_re_checks_consent_and_pause_before_it_writes(two_sides, monkeypatch: pytest.MonkeyPatch) -> None:
    app, alice, bob = two_sides
    original = suggestions_module.compute_round  # the engine runs in a child process

    async def engine_then_pause(*args, **kwargs):
        found = await original(*args, **kwargs)
        with connect(app.config.db) as conn:  # bob pauses while the engine runs
            conn.execute("UPDATE actors SET paused = TRUE WHERE name = 'Cabinet Martin'")
        return found

    monkeypatch.setattr(suggestions_module, "compute_round", engine_then_pause)
    await app.suggestion_round()
    await deliver(app)
    assert not any(r.prompt_id and r.prompt_id.startswith("S") for r in bob.adapter.replies_to("bob"))
    assert not any("Cabinet Martin" in r.text for r in alice.adapter.replies_to("alice"))


async def test_a_call_recipient_who_deletes_before_delivery_does_not_block_the_report(territory) -> None:
    app, adapter, people = territory
    await stop_workers(app)
    marie, asso = people["marie"], people["asso"]
    await broadcast(marie, "Un appel pour tout le territoire.", "Pas de réponse (information)")
    await marie.press("Envoyer")
    await asso.say("/supprimer")
    await asso.press("Oui, tout supprimer")
    await deliver(app)
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT status, recipients_total, sent_count, failed_count FROM broadcasts").fetchone() == ("done", 2, 1, 1)
    assert any("1 reçu, 1 échec" in r.text for r in adapter.replies_to("marie"))  # the final report


@pytest.mark.sqlite_only  # SQLite's WAL checkpoint waits for readers; PostgreSQL's VACUUM does not block on them
async def test_a_deletion_while_another_process_reads_still_answers(app: App, person, caplog: pytest.LogCaptureFixture) -> None:
    ana: Person = person("ana")
    await ana.onboard(name="Les Lecteurs Concurrents")
    caplog.set_level(logging.WARNING, logger="storage.database")
    reader = sqlite3.connect(app.config.db)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM actors").fetchone()  # holds a read snapshot
    try:
        await ana.say("/supprimer")
        await ana.press("Oui, tout supprimer")
    finally:
        reader.rollback()
        reader.close()
    assert "Toutes vos données sont supprimées" in ana.text()
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM actors").fetchone() == (0,)
    assert "WAL not emptied after a deletion" in caplog.text  # said, so that an operator knows


def telegram_update(update_id: int, user_id: int, text: str) -> str:
    """A raw Telegram update as the inbox keeps it (``storage/inbox.py``)."""
    message = {"message_id": update_id, "date": 0, "chat": {"id": user_id, "type": "private"}, "from": {"id": user_id}, "text": text}
    return json.dumps({"update_id": update_id, "message": message})


async def test_deletion_erases_raw_updates_still_waiting_and_they_recreate_nothing(app: App, person) -> None:
    """Updates of the person still in the inbox (a flood being handled) hold what they typed: erased
    with them, and the copy being handled in memory is dropped instead of starting afresh."""
    dora: Person = person("4242")
    await dora.say("/start")
    await dora.press("Association")
    await dora.say("Les Ornithorynques Pressés")
    rows = [(7, telegram_update(7, 4242, "Ornithorynques Pressés, encore !")), (8, telegram_update(8, 99, "Un autre, qui reste"))]
    with connect(app.config.db) as conn:
        conn.executemany(
            "INSERT INTO inbox (platform, update_id, body, received_at) VALUES ('test', ?, ?, '2026-11-30T12:00:00+00:00')", rows
        )
        conn.execute("INSERT INTO send_pacing (key, tat) VALUES ('test:chat:4242', 1.0), ('test:chat:99', 1.0)")
    await dora.say("/supprimer")
    await dora.press("Oui, tout supprimer")
    assert "Toutes vos données sont supprimées" in dora.text()
    with connect(app.config.db) as conn:
        assert [r[0] for r in conn.execute("SELECT update_id FROM inbox ORDER BY update_id")] == [8]
        assert [r[0] for r in conn.execute("SELECT key FROM send_pacing WHERE key LIKE 'test:chat:%'")] == ["test:chat:99"]
    await dora.say("Ornithorynques Pressés, encore !", event_id="tg:m:4242:7")  # the copy being handled
    assert dora.outcome is Outcome.DUPLICATE
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM identities WHERE user_id = '4242'").fetchone() == (0,)
        assert conn.execute("SELECT COUNT(*) FROM sessions WHERE user_id = '4242'").fetchone() == (0,)
    if not is_pg(app.config.db):
        assert left_in_files(app, ("Ornithorynques Pressés",)) == []


MARIE = ("marie", "@marie", "Marie", "Les Amis de Marie-Thérèse", "Maison Vigneron-Coordination")
"""How the coordinator of the ``territory`` fixture can be recognised: user and chat id, handle,
display name, profile name, organisation."""


def rows_naming(app: App, values: tuple[str, ...]) -> list[tuple[str, str]]:
    """Every row of every table with one of ``values`` in one of its cells (as a whole word)."""
    pattern = re.compile("|".join(rf"(?<![\w@-]){re.escape(value)}(?![\w-])" for value in values))
    found: list[tuple[str, str]] = []
    with connect(app.config.db) as conn:
        if is_pg(conn):
            tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
        else:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        assert {"coordinators", "broadcasts", "audit_log", "working_groups", "events", "todo_runs"} <= set(tables)
        for table in tables:
            for row in conn.execute(f"SELECT * FROM {table}").fetchall():  # noqa: S608 - test: every table
                cells = [json.dumps(cell, ensure_ascii=False) if isinstance(cell, dict | list) else str(cell) for cell in row]
                found += [(table, repr(tuple(row))[:300]) for cell in cells if pattern.search(cell)]
    return found


async def _a_coordinator_uses_everything(app: App, adapter, people) -> None:  # type: ignore[no-untyped-def]
    """marie, with a profile, an organisation and a draft, signs an introduction, sends a call
    (answered and forwarded), schedules another, forms a group, publishes an event, relaunches
    silent actors, gets her weekly to-do and her data export; notices to her are still pending."""
    from tests.core.test_coordination import onboard
    from tests.core.test_events import publish

    marie, asso = people["marie"], people["asso"]
    await onboard(marie, "Les Amis de Marie-Thérèse", "Villeurbanne")
    await marie.say("/organisation")
    await marie.say("Maison Vigneron-Coordination")
    await broadcast(marie, "Vos idées pour la fête des associations ?", "Une réponse écrite")
    await marie.press("Envoyer")
    await deliver(app)
    call = next(r for r in adapter.replies_to("asso") if r.prompt_id and r.prompt_id.startswith("B"))
    await asso.send(asso.incoming(text="Un stand de crêpes au sarrasin.", prompt_id=call.prompt_id))
    await app.forward_answers()
    await broadcast(marie, "Réunion de préparation du forum, qui vient ?", "Un bouton « Intéressé·e »")
    await marie.press("Programmer")
    await marie.say((utcnow() + timedelta(days=3)).astimezone(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y 9h30"))
    await marie.say("/groupe")
    await marie.press("Des acteurs que je choisis")
    await marie.say("tonkin, gratte")
    await marie.say("ok")
    await marie.say("Ceinture alimentaire")
    await marie.press("Envoyer les invitations")
    await publish(marie)
    await marie.press("Publier")
    await deliver(app)
    await asso.say("/evenements")
    await asso.press(asso.question.choices[0].label)
    await asso.press("M'inscrire")
    await marie.say("/presenter")
    await marie.say("tonkin")
    await marie.say("gratte")
    long_ago = iso(utcnow() - timedelta(days=120))
    await app.db.transaction(
        lambda conn: conn.execute("UPDATE actors SET created_at = ? WHERE name != 'Les Amis de Marie-Thérèse'", (long_ago,))
    )
    await app.db.transaction(lambda conn: conn.execute("UPDATE sessions SET updated_at = ? WHERE user_id != 'marie'", (long_ago,)))
    await marie.say("/relancer")
    await marie.say("ok")
    await app.weekly_todo()
    await marie.say("/mesdonnees")
    await deliver(app)
    await stop_workers(app)
    await app.db.transaction(lambda conn: conn.execute("INSERT INTO send_pacing (key, tat) VALUES ('test:chat:marie', 1.0)"))
    invited = next(r for r in adapter.replies_to("asso") if any(c.label == "Je rejoins le groupe" for c in r.choices))
    join = next(c.value for c in invited.choices if c.label == "Je rejoins le groupe")
    await asso.send(asso.incoming(choice=join, prompt_id=invited.prompt_id))  # a notice to marie, pending
    await marie.say("/diffuser")  # a draft (her only territory taken: at the types)
    assert marie.question.multi, marie.text()
    assert rows_naming(app, MARIE)  # she is everywhere before


async def test_a_coordinator_who_erases_their_data_is_named_by_no_row_of_any_table(territory) -> None:
    """Roles, calls, scheduled calls, groups, events, introductions they signed, relaunches, to-do
    runs, audit lines, drafts, outbox, send schedules: after /supprimer no row of any table names
    the coordinator, and what the others need stays (a call's answers, the group, the event)."""
    app, adapter, people = territory
    await _a_coordinator_uses_everything(app, adapter, people)
    marie = people["marie"]
    await marie.say("/supprimer")
    await marie.press("Oui, tout supprimer")
    assert "Toutes vos données sont supprimées" in marie.text()
    boulangerie = people["boulangerie"]
    call = next(r for r in adapter.replies_to("boulangerie") if r.prompt_id and r.prompt_id.startswith("B"))
    await boulangerie.send(boulangerie.incoming(text="Des viennoiseries.", prompt_id=call.prompt_id))  # answers still come
    await app.forward_answers()
    await app.maintenance()
    before = len(adapter.replies_to("marie"))
    await deliver(app)
    assert adapter.replies_to("marie")[before:] == []
    assert rows_naming(app, MARIE) == []
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM outbox WHERE platform = '' OR chat_id = ''").fetchone() == (0,)
        assert conn.execute("SELECT COUNT(*), MIN(area_code) FROM broadcasts").fetchone() == (1, "69266")  # the call sent stays
        assert conn.execute("SELECT COUNT(*) FROM broadcast_answers").fetchone() == (2,)  # with the answers others gave
        assert conn.execute("SELECT COUNT(*) FROM scheduled_calls").fetchone() == (0,)  # never sent: gone with her
        assert conn.execute("SELECT name FROM working_groups").fetchall() == [("Ceinture alimentaire",)]
        assert conn.execute("SELECT COUNT(*) FROM group_members WHERE status = 'accepted'").fetchone() == (1,)
        assert conn.execute("SELECT title FROM events").fetchall() == [("Forum des associations",)]
        assert conn.execute("SELECT COUNT(*) FROM event_people WHERE status = 'registered'").fetchone() == (1,)
        assert conn.execute("SELECT who FROM audit_log WHERE action = 'broadcast.start'").fetchall() == [("erased",)]  # the act stays
    await people["asso"].say("/evenements")  # the event is still shown, signed by its territory
    assert any("Forum des associations" in choice.label for choice in people["asso"].question.choices)


async def test_a_deletion_redacts_the_replies_kept_in_other_peoples_session_rows(app: App, person) -> None:
    """A step's replies kept in its session row (SQLite, issues 13/15) until the background clearing
    are searched like the outbox rows they replaced: what shows the person who leaves is redacted."""
    alice, bob = person("alice"), person("bob")
    await alice.onboard(name="Les Zorglubs Réunis")
    await bob.say("/start")
    await app.runtime.flush_sent()  # bob's own replies were sent: cleared; below, one being sent
    kept = outbox.held_replies("bob", None, [Reply("Rencontrez Les Zorglubs Réunis à Villeurbanne")])
    await app.db.transaction(lambda conn: conn.execute("UPDATE sessions SET held = ? WHERE user_id = 'bob'", (kept,)))
    await alice.say("/supprimer")
    await alice.press("Oui, tout supprimer")
    with connect(app.config.db) as conn:
        (held,) = conn.execute("SELECT held FROM sessions WHERE user_id = 'bob'").fetchone()
    assert "Zorglubs" not in str(held) and "Villeurbanne" in str(held)  # the rest of the reply stays
    if not is_pg(app.config.db):
        assert left_in_files(app, ("Les Zorglubs Réunis",)) == []
