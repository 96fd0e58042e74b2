"""A coordinator's call on Telegram, offline: the real TelegramAdapter on a recording request,
the real runtime and outbox worker, actors onboarded by buttons, answers by button and by text."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram_keyboards import TICK
from bot.app import App
from bot.config import Config
from conversations.i18n import translate
from core.catalog import THEME_VALUES
from core.clock import iso, utcnow
from storage import coordination
from tests.telegram.tg_fakes import Harness, RecordingRequest, offline, person

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

COORD, ALICE, BOB, CHLOE, DAVID = 9001, 1001, 1002, 1003, 1004
VILLEURBANNE = coordination.Area("commune", "69266", "Villeurbanne (69)")
CALL = "Nous cherchons des bénévoles pour la fête de quartier du 14 juin."


def buttons(message: dict[str, Any]) -> list[dict[str, str]]:
    return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


class TgUser:
    """Someone on Telegram: types messages and presses the buttons of what the bot sent them."""

    def __init__(self, harness: Harness, user_id: int) -> None:
        self.h = harness
        self.id = user_id
        self.user = person(user_id)
        self.seen = 0

    def messages(self) -> list[dict[str, Any]]:
        """Messages as this person sees them now (edits applied), oldest first."""
        shown: dict[int, dict[str, Any]] = {}
        for method, result in self.h.request.results:
            if not isinstance(result, dict) or result.get("chat", {}).get("id") != self.id:
                continue
            if method.startswith("send"):
                shown[result["message_id"]] = result
            elif method.startswith("edit") and result["message_id"] in shown:
                updated = {**shown[result["message_id"]], **result}
                if "reply_markup" not in result:
                    updated.pop("reply_markup", None)
                shown[result["message_id"]] = updated
        return list(shown.values())

    def new_texts(self) -> str:
        """Texts (and captions) of the messages sent since the last call."""
        sent = [r for m, r in self.h.request.results if m.startswith("send") and r["chat"]["id"] == self.id]
        new, self.seen = sent[self.seen :], len(sent)
        return "\n".join(m.get("text") or m.get("caption") or "" for m in new)

    async def says(self, text: str) -> None:
        await self.h.send_text(text, user=self.user)

    def _with_button(self, label: str) -> dict[str, Any]:
        for message in reversed(self.messages()):
            if any(b["text"] in (label, TICK + label) for b in buttons(message)):
                return message
        raise AssertionError(f"no button {label!r} for {self.id}: {[[b['text'] for b in buttons(m)] for m in self.messages()]}")

    async def presses(self, label: str) -> None:
        await self.h.press(self._with_button(label), label, user=self.user)

    async def ticks(self, *labels: str, submit: str = "Valider") -> None:
        """Leave exactly ``labels`` ticked on the latest multi-select, then submit."""
        message = self._with_button(submit)
        for button in buttons(message):
            name = button["text"].removeprefix(TICK)
            if button["text"] == submit or (button["text"].startswith(TICK) == (name in labels)):
                continue
            await self.h.feed(self.h.callback_update(button["callback_data"], message, user=self.user))
            message = next(m for m in self.messages() if m["message_id"] == message["message_id"])
        assert sorted(b["text"].removeprefix(TICK) for b in buttons(message) if b["text"].startswith(TICK)) == sorted(labels)
        await self.h.press(message, submit, user=self.user)

    async def onboard(self, name: str, kind: str, place: str, calls: bool = True) -> None:
        await self.says("/start")
        await self.presses(kind)
        await self.says(name)
        await self.says(place)
        await self.presses("Oui")
        await self.ticks("Alimentation", "Solidarité et action sociale")
        await self.presses(buttons(self.messages()[-1])[0]["text"])  # the Telegram account as contact
        await self.presses("Oui aux deux" if calls else "Les suggestions seulement")
        assert "est enregistré" in self.new_texts()


@pytest.fixture
async def world(tmp_path: Path, territories) -> AsyncIterator[tuple[App, Harness, dict[str, TgUser]]]:
    request = RecordingRequest()
    harness = offline(request)
    app = await App.open(Config(db=str(tmp_path / "bot.db")), adapters=[harness.adapter], territories=territories)
    app.run_jobs = False
    await app.start()
    for worker in app.workers:  # the test runs the outbox by hand
        await worker.stop()
    people = {
        name: TgUser(harness, uid) for name, uid in (("coord", COORD), ("alice", ALICE), ("bob", BOB), ("chloe", CHLOE), ("david", DAVID))
    }
    await people["alice"].onboard("Les Jardins de la Doua", "Association", "Villeurbanne")
    await people["bob"].onboard("Boulangerie Gratte-Ciel", "Entreprise", "Villeurbanne")
    await people["chloe"].onboard("Chorale du Tonkin", "Association", "Villeurbanne", calls=False)
    await people["david"].onboard("Restos de Lille", "Association", "Lille")
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "telegram", str(COORD), VILLEURBANNE, "test", iso(utcnow())))
    request.clear()
    for someone in people.values():
        someone.seen = 0
    yield app, harness, people
    await app.stop()
    assert not harness.errors, harness.errors


def rows(app: App, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(app.config.db) as conn:
        return conn.execute(sql).fetchall()


async def everyone(coord: TgUser) -> None:
    """The audience of a call or an event, as preselected: every type of structure, every theme."""
    await coord.ticks("Association", "Entreprise", "Collectivité", "Autre structure")
    await coord.ticks(*(translate("fr", f"theme.{value}") for value in THEME_VALUES))  # the catalog's labels


async def broadcast(coord: TgUser, message: str, mode: str) -> str:
    """Run /diffuser to the end; return what the coordinator read."""
    await coord.says("/diffuser")
    assert "C'est noté : Villeurbanne (69)" in coord.new_texts()  # the only territory: taken, and said
    await everyone(coord)
    await coord.says(message)
    await coord.presses(mode)
    return coord.new_texts()


async def test_call_with_interested_button_reaches_only_consenting_actors_of_the_territory(world) -> None:
    app, harness, people = world
    coord, alice, bob, chloe, david = (people[n] for n in ("coord", "alice", "bob", "chloe", "david"))

    shown = await broadcast(coord, CALL, "Un bouton « Intéressé·e »")
    assert f"Aperçu — Villeurbanne (69) :\n« {CALL} »" in shown
    assert "Destinataires : 2 acteurs" in shown
    await coord.presses("Envoyer")
    assert "Appel n°1 : envoi en cours à 2 acteurs" in coord.new_texts()
    assert rows(app, "SELECT status FROM broadcasts") == [("sending",)]
    assert harness.request.of("sendMessage") and not any(
        p["chat_id"] in (ALICE, BOB) for p in harness.request.of("sendMessage")
    )  # nothing before the worker runs

    assert await app.workers[0].run_once() == 4  # the status, two calls and the delivery report
    calls = {p["chat_id"]: p for p in harness.request.of("sendMessage") if "📣" in p["text"]}
    assert set(calls) == {ALICE, BOB}  # not Chloé (no consent), not David (Lille), not the coordinator
    for params in calls.values():
        assert params["text"].startswith("📣 Appel de Villeurbanne (69) :\n" + CALL)
        [[button]] = params["reply_markup"]["inline_keyboard"]
        assert button == {"text": "Intéressé·e", "callback_data": "1|B1|c|interested"}
    assert chloe.new_texts() == "" and david.new_texts() == ""
    assert "Appel n°1 envoyé : 2 reçus, 0 échec, 0 injoignable sur 2." in coord.new_texts()
    assert rows(app, "SELECT status FROM broadcast_recipients ORDER BY actor_id") == [("sent",), ("sent",)]
    status_edits = [p for p in harness.request.of("editMessageText") if p["chat_id"] == COORD]
    assert status_edits and status_edits[-1]["text"].startswith("📤 Appel n°1 : 2 sur 2 traités")  # edited in place

    await alice.presses("Intéressé·e")
    assert "Merci, votre réponse est transmise au coordinateur." in alice.new_texts()
    [edit] = [p for p in harness.request.of("editMessageText") if p["chat_id"] == ALICE]
    assert edit["text"].endswith("→ Intéressé·e") and edit.get("reply_markup") is None
    assert rows(app, "SELECT broadcast_id, actor_id, answer FROM broadcast_answers") == [(1, 1, "interested")]

    shown_call = next(m for m in alice.messages() if "📣" in (m.get("text") or ""))
    stale = {**shown_call, "reply_markup": calls[ALICE]["reply_markup"]}  # the button as a lagging client still shows it
    await harness.press(stale, "Intéressé·e", user=alice.user)
    assert "n'est plus d'actualité" in alice.new_texts()
    assert len(rows(app, "SELECT * FROM broadcast_answers")) == 1

    await coord.says("/reponses")  # the only call: its answers at once, no « Les réponses de quel appel ? » (stop 36)
    listing = coord.new_texts()
    assert "Les réponses de quel appel ?" not in listing
    assert "Appel n°1 : 1 réponse.\n• Les Jardins de la Doua (Association, Villeurbanne (69)) : Intéressé·e" in listing
    [document] = [p for p in harness.request.of("sendDocument") if p["chat_id"] == COORD]
    assert document["caption"] == "Les réponses en CSV :"
    [(_, files)] = [(m, f) for m, f in harness.request.files if m == "sendDocument"]
    [(filename, data, *_)] = files.values()
    assert filename == "reponses-appel-1.csv"
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert data.startswith(b"\xef\xbb\xbf") and table[0] == ["Acteur", "Type", "Commune", "Réponse", "Date (heure locale)"]
    assert table[1][:4] == ["Les Jardins de la Doua", "Association", "Villeurbanne (69)", "Intéressé·e"]
    assert len(table) == 2 and "camille" not in data.decode()  # no contacts in the export


async def test_written_answer_is_stored_and_listed(world) -> None:
    app, harness, people = world
    coord, bob = people["coord"], people["bob"]
    shown = await broadcast(coord, "Qui peut prêter des tables pour le marché solidaire ?", "Une réponse écrite")
    assert "Destinataires : 2 acteurs" in shown
    await coord.presses("Envoyer")
    await app.workers[0].run_once()
    [call] = [p for p in harness.request.of("sendMessage") if p["chat_id"] == BOB and "📣" in p["text"]]
    assert "Répondez simplement en écrivant votre message." in call["text"] and call.get("reply_markup") is None

    await bob.says("Nous avons   dix tables pliantes, à venir chercher le vendredi.")
    assert "Merci, votre réponse est transmise au coordinateur." in bob.new_texts()
    assert rows(app, "SELECT answer FROM broadcast_answers") == [("Nous avons dix tables pliantes, à venir chercher le vendredi.",)]

    await coord.says("/reponses")  # the only call: its answers at once (stop 36)
    assert "• Boulangerie Gratte-Ciel (Entreprise, Villeurbanne (69)) : Nous avons dix tables pliantes" in coord.new_texts()
    assert [p["chat_id"] for p in harness.request.of("sendDocument")] == [COORD]


async def test_answers_are_forwarded_to_the_coordinator(world) -> None:
    """The answers reach the coordinator without /reponses, grouped (``forward_answers``)."""
    app, harness, people = world
    coord, alice = people["coord"], people["alice"]
    await broadcast(coord, CALL, "Un bouton « Intéressé·e »")
    await coord.presses("Envoyer")
    await app.workers[0].run_once()
    coord.new_texts()
    await alice.presses("Intéressé·e")
    await app.forward_answers()  # the 5-minute job
    await app.workers[0].run_once()
    assert "1 nouvelle réponse à l'appel n°1 :\n• Les Jardins de la Doua" in coord.new_texts()


async def test_non_coordinator_is_refused_and_nothing_is_stored(world) -> None:
    app, harness, people = world
    alice = people["alice"]
    await alice.says("/diffuser")
    assert "Cette commande est réservée aux coordinateurs." in alice.new_texts()
    await alice.says("/reponses")
    assert "Cette commande est réservée aux coordinateurs." in alice.new_texts()
    await app.workers[0].run_once()
    assert rows(app, "SELECT COUNT(*) FROM broadcasts") == [(0,)]
    assert rows(app, "SELECT COUNT(*) FROM broadcast_recipients") == [(0,)]
    assert rows(app, "SELECT COUNT(*) FROM audit_log WHERE action = 'broadcast.start'") == [(0,)]
    assert not any("📣" in p["text"] for p in harness.request.of("sendMessage"))


async def test_forged_broadcast_button_changes_nothing(world) -> None:
    app, harness, people = world
    alice = people["alice"]
    message = {
        "message_id": 42,
        "date": 0,
        "chat": {"id": ALICE, "type": "private"},
        "text": "📣 faux",
        "reply_markup": {"inline_keyboard": [[{"text": "Intéressé·e", "callback_data": "1|B7|c|interested"}]]},
    }
    await harness.press(message, "Intéressé·e", user=alice.user)
    assert "n'est plus d'actualité" in alice.new_texts()
    assert rows(app, "SELECT COUNT(*) FROM broadcast_answers") == [(0,)]


async def test_a_suggestion_arriving_after_a_call_does_not_take_its_written_answer(world) -> None:
    """The call stays the current question (the suggestion waits behind it), so typed text answers it."""
    app, harness, people = world
    coord, bob = people["coord"], people["bob"]
    await broadcast(coord, "Qui peut prêter des tables pour le marché solidaire ?", "Une réponse écrite")
    await coord.presses("Envoyer")
    await app.workers[0].run_once()
    report = await app.suggestion_round(force=True)
    assert report.suggestions  # the weekly digest comes right after the call
    await app.workers[0].run_once()
    assert not any(b["callback_data"].startswith("1|S") for m in bob.messages() for b in buttons(m))  # it waits
    bob.new_texts()
    await bob.says("Nous avons dix tables pliantes.")
    assert "Merci, votre réponse est transmise au coordinateur." in bob.new_texts()
    assert rows(app, "SELECT answer FROM broadcast_answers") == [("Nous avons dix tables pliantes.",)]
    assert any(b["callback_data"].startswith("1|S") for m in bob.messages() for b in buttons(m))  # then its turn
