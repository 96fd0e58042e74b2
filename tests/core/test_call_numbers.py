"""One number per call a coordinator sees: scheduled and sent calls are counted together, the number
stays when a scheduled call goes out, and commands take the number shown. Migration 28 numbers the
calls an existing database holds, in creation order, on both engines."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from core.clock import iso, utcnow
from storage.database import open_database
from storage.migrations import MIGRATIONS
from tests.core.test_calls import later, time_passes
from tests.core.test_coordination import broadcast, deliver, rows, territory  # noqa: F401  (fixture)


def _notices_to(app: App, chat: str) -> list[str]:
    """The texts of the messages the outbox holds for a chat, sent or waiting for the chat's pace."""
    return [json.loads(payload)["text"] for (payload,) in rows(app, "SELECT payload FROM outbox WHERE chat_id = ? ORDER BY id", chat)]


def _labels(person: Any) -> list[str]:
    return [choice.label for choice in person.question.choices]


async def test_a_scheduled_call_and_a_sent_one_never_share_a_number(territory) -> None:
    app, adapter, people = territory
    marie = people["marie"]
    await broadcast(marie, "Réunion de préparation du forum, qui vient ?", "Un bouton « Intéressé·e »")
    await marie.press("Programmer")
    await marie.say(later(app).astimezone(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y 9h30"))
    assert "Appel programmé n°1" in marie.text()
    await broadcast(marie, "Qui veut tenir un stand au forum ?", "Un bouton « Intéressé·e »")
    await marie.press("Envoyer")
    assert "Appel n°2 : envoi en cours à 2 acteurs" in marie.text()
    await deliver(app)
    assert any(r.text.startswith("Appel n°2 envoyé") for r in adapter.replies_to("marie"))

    await marie.say("/appels")
    labels = _labels(marie)
    assert [label.split(" — ")[0] for label in labels] == ["⏰ Programmé n°1", "📣 Appel n°2"]

    # the number shown is the one commands take: n°2 is the sent call (reminded), n°1 the scheduled one
    await marie.say("/appels 2")
    assert [c.label for c in marie.question.choices] == ["Relancer les non-répondants"]
    await marie.press("Relancer les non-répondants")
    assert "Rappel de l'appel n°2 envoyé à 2 acteurs" in marie.text()
    await marie.say("/appels n°1")
    await marie.press("Modifier le message")
    await marie.say("Réunion de préparation du forum jeudi soir, qui vient ?")
    assert "Appel programmé n°1 modifié" in marie.text()
    await marie.say("/appels 7")
    assert "Aucun de vos appels récents ne porte le numéro « 7 »" in marie.text()

    # the scheduled call goes out keeping its number; the next call takes the one after
    await time_passes(app)
    assert await app.send_due_calls() == 1
    await deliver(app)
    texts = _notices_to(app, "marie")  # sent, or paced: marie was written to many times this minute
    assert any(t.startswith("Appel n°1 : envoi en cours à 2 acteurs") for t in texts)
    assert any(t.startswith("Appel n°1 envoyé") for t in texts)
    assert rows(app, "SELECT call_number FROM broadcasts ORDER BY id") == [(2,), (1,)]
    last_week = iso(utcnow() - timedelta(days=8))  # out of the weekly cap: the actors can be called again
    await app.db.transaction(lambda conn: conn.execute("UPDATE broadcasts SET created_at = ?", (last_week,)))
    await broadcast(marie, "Un troisième appel, pour information.", "Pas de réponse (information)")
    await marie.press("Envoyer")
    assert "Appel n°3 : envoi en cours à 2 acteurs" in marie.text()

    await marie.say("/reponses")  # no answer to any (information only): each said, newest first, nothing asked (stop 36)
    assert re.findall(r"appel (n°\d) du ", marie.text()) == ["n°3", "n°1", "n°2"], marie.text()
    await marie.say("/reponses 1")
    assert "Personne n'a encore répondu à votre appel n°1 du " in marie.text(), marie.text()
    assert not any(r.attachment for r in marie.last), marie.text()  # never an empty CSV


@pytest.mark.backends
async def test_the_migration_numbers_existing_calls_in_creation_order(db_path) -> None:
    """A database holding calls from before numbers: every call of a person gets one, in creation
    order, scheduled and sent together; a scheduled call that went out shares its broadcast's."""
    number_calls = next(fn for _, description, fn in MIGRATIONS if description.startswith("One number per call"))
    day = utcnow() - timedelta(days=3)

    def at(minutes: int) -> str:
        return iso(day + timedelta(minutes=minutes))

    def older_database(conn: Any) -> None:
        conn.execute("DROP INDEX broadcasts_coordinator")  # the database as it was before the migration
        conn.execute("ALTER TABLE scheduled_calls DROP COLUMN call_number")
        conn.execute("ALTER TABLE broadcasts DROP COLUMN call_number")
        coordinators = []
        for user, code in (("marie", "69266"), ("marie", "69123"), ("paul", "59350")):
            coordinators.append(
                conn.execute(
                    "INSERT INTO coordinators (platform, user_id, area_kind, area_code, area_label, invite_code, created_at, created_by)"
                    " VALUES ('test', ?, 'commune', ?, ?, ?, ?, 'cli') RETURNING id",
                    (user, code, code, f"code{user}{code}", at(0)),
                ).fetchone()[0]
            )
        marie_a, marie_b, paul = coordinators

        def sent(coordinator: int, minutes: int) -> int:
            return int(
                conn.execute(
                    "INSERT INTO broadcasts (coordinator_id, area_kind, area_code, area_label, message, answer_mode, status,"
                    " requester_platform, requester_chat, created_at) VALUES (?, 'commune', 'x', 'x', 'm', 'none', 'done', 'test', 'c', ?)"
                    " RETURNING id",
                    (coordinator, at(minutes)),
                ).fetchone()[0]
            )

        def scheduled(coordinator: int, minutes: int, status: str = "scheduled", broadcast_id: int | None = None) -> int:
            return int(
                conn.execute(
                    "INSERT INTO scheduled_calls (coordinator_id, area_kind, area_code, area_label, message, answer_mode,"
                    " requester_platform, requester_chat, send_at, status, broadcast_id, created_at, updated_at)"
                    " VALUES (?, 'commune', 'x', 'x', 'm', 'none', 'test', 'c', ?, ?, ?, ?, ?) RETURNING id",
                    (coordinator, at(minutes + 600), status, broadcast_id, at(minutes), at(minutes)),
                ).fetchone()[0]
            )

        first = sent(marie_a, 1)  # marie n°1
        waiting = scheduled(marie_a, 2)  # marie n°2 (still waiting)
        paul_call = sent(paul, 3)  # paul n°1
        went_out = sent(marie_b, 700)  # the broadcast of marie's scheduled call below
        gone = scheduled(marie_b, 4, "sent", went_out)  # marie n°3, created before the broadcast n°4
        latest = sent(marie_a, 5)  # marie n°4
        state["ids"] = dict(first=first, waiting=waiting, paul=paul_call, went_out=went_out, gone=gone, latest=latest)

    state: dict[str, Any] = {}

    def number_them(conn: Any) -> dict[str, list[tuple[int, int]]]:
        number_calls(conn)
        return {
            table: [(int(r[0]), int(r[1])) for r in conn.execute(f"SELECT id, call_number FROM {table} ORDER BY id")]
            for table in ("broadcasts", "scheduled_calls")
        }

    async with open_database(db_path) as db:
        await db.transaction(older_database)
        found = await db.transaction(number_them)
    ids = state["ids"]
    assert dict(found["broadcasts"]) == {ids["first"]: 1, ids["paul"]: 1, ids["went_out"]: 3, ids["latest"]: 4}
    assert dict(found["scheduled_calls"]) == {ids["waiting"]: 2, ids["gone"]: 3}
