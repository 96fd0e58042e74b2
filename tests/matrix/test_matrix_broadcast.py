"""A coordinator's call on Matrix, offline: the real MatrixAdapter on the stub nio client, the
real runtime and outbox worker; answers typed ("1", free text) or as a keycap reaction."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.matrix import MatrixAdapter
from bot.app import App
from bot.config import Config
from core.clock import iso, utcnow
from storage import coordination
from tests.matrix.mx_fakes import StubClient, make_adapter, reaction, settle, text

VILLEURBANNE = coordination.Area("commune", "69266", "Villeurbanne (69)")
CALL = "Nous cherchons des bénévoles pour la fête de quartier du 14 juin."
PEOPLE = {  # name: (Matrix id, DM room)
    "coord": ("@coord:localhost", "!coord"),
    "alice": ("@alice:localhost", "!alice"),
    "bob": ("@bob:localhost", "!bob"),
    "chloe": ("@chloe:localhost", "!chloe"),
    "david": ("@david:localhost", "!david"),
}


class MxUser:
    """Someone writing to the bot in their direct-message room."""

    def __init__(self, adapter: MatrixAdapter, client: StubClient, user_id: str, room_id: str) -> None:
        self.adapter = adapter
        self.client = client
        self.user_id = user_id
        self.room_id = room_id
        self.seen = 0
        client.room(room_id, user_id)

    def received(self) -> list[tuple[str, dict[str, Any]]]:
        """(event id, content) of what the bot sent to this room."""
        return [(f"$sent{i + 1}", s.content) for i, s in enumerate(self.client.sent) if s.room_id == self.room_id]

    def new_texts(self) -> str:
        bodies = [content["body"] for _, content in self.received()]
        new, self.seen = bodies[self.seen :], len(bodies)
        return "\n".join(new)

    async def says(self, body: str) -> None:
        await self.adapter._on_message(self.client.rooms[self.room_id], text(self.user_id, body))
        await settle(self.adapter)

    async def reacts(self, event_id: str, key: str) -> None:
        await self.adapter._on_reaction(self.client.rooms[self.room_id], reaction(self.user_id, event_id, key))
        await settle(self.adapter)

    async def onboard(self, name: str, kind: str, place: str, calls: bool = True) -> None:
        for line in ("!start", kind, name, place, "1", "1 8", "1", "1" if calls else "2"):
            await self.says(line)
        assert "est enregistré" in self.new_texts()


@pytest.fixture
async def world(tmp_path: Path, territories) -> AsyncIterator[tuple[App, StubClient, dict[str, MxUser]]]:
    client = StubClient()
    adapter = make_adapter(tmp_path / "store", client, None, room_wait=0.05, rate_per_second=10_000)  # type: ignore[arg-type]

    async def start(handler: Any) -> None:  # already "logged in and synced" by make_adapter
        adapter._handler = handler

    adapter.start = start  # type: ignore[method-assign]
    app = await App.open(Config(db=str(tmp_path / "bot.db")), adapters=[adapter], territories=territories)
    app.run_jobs = False
    await app.start()
    for worker in app.workers:  # the test runs the outbox by hand
        await worker.stop()
    people = {name: MxUser(adapter, client, *ids) for name, ids in PEOPLE.items()}
    await people["alice"].onboard("Les Jardins de la Doua", "1", "Villeurbanne")
    await people["bob"].onboard("Boulangerie Gratte-Ciel", "2", "Villeurbanne")
    await people["chloe"].onboard("Chorale du Tonkin", "1", "Villeurbanne", calls=False)
    await people["david"].onboard("Restos de Lille", "1", "Lille")
    await app.db.transaction(
        lambda conn: coordination.add_coordinator(conn, "matrix", PEOPLE["coord"][0], VILLEURBANNE, "test", iso(utcnow()))
    )
    yield app, client, people
    await app.stop()


def rows(app: App, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(app.config.db) as conn:
        return conn.execute(sql).fetchall()


async def broadcast(coord: MxUser, message: str, mode: str) -> str:
    """Run !diffuser up to the preview (mode: "1" none, "2" Intéressé·e, "3" written answer)."""
    await coord.says("!diffuser")
    shown = coord.new_texts()
    assert "C'est noté : Villeurbanne (69)" in shown  # the only territory: taken, and said (9d94fd9)
    assert "Pour quels types d'acteurs ?" in shown
    await coord.says("1 2 3 4")
    assert "Pour quels thèmes ?" in coord.new_texts()
    await coord.says(" ".join(str(n) for n in range(1, 13)))
    assert "Écrivez votre appel" in coord.new_texts()
    await coord.says(message)
    assert "Comment peuvent-ils répondre ?" in coord.new_texts()
    await coord.says(mode)
    return coord.new_texts()


def call_events(person: MxUser) -> list[tuple[str, dict[str, Any]]]:
    return [(event_id, content) for event_id, content in person.received() if "📣" in content["body"]]


async def test_call_answered_by_typing_one_and_by_a_keycap(world) -> None:
    app, client, people = world
    coord, alice, bob, chloe, david = (people[n] for n in ("coord", "alice", "bob", "chloe", "david"))
    for someone in people.values():
        someone.new_texts()

    shown = await broadcast(coord, CALL, "2")
    assert f"Aperçu — Villeurbanne (69) :\n« {CALL} »" in shown
    assert "Destinataires : 2 acteurs" in shown and "1. Envoyer\n2. Programmer\n3. Annuler" in shown
    await coord.says("1")
    assert "Appel n°1 : envoi en cours à 2 acteurs" in coord.new_texts()
    assert not call_events(alice) and not call_events(bob)  # the outbox sends them

    assert await app.workers[0].run_once() == 4  # the status, two calls and the delivery report
    for person in (alice, bob):
        [(_, content)] = call_events(person)
        assert content["msgtype"] == "m.text"  # a call is addressed to the person: Element notifies it
        assert content["body"].startswith("📣 Appel de Villeurbanne (69) :\n" + CALL)
        assert "1. Intéressé·e" in content["body"]
        assert "<ol><li>Intéressé·e</li></ol>" in content["formatted_body"]
    assert call_events(chloe) == [] and call_events(david) == []  # no consent / outside the territory
    assert chloe.new_texts() == "" and david.new_texts() == ""
    assert "Appel n°1 envoyé : 2 reçus, 0 échec, 0 injoignable sur 2." in coord.new_texts()
    edits = [c for _, c in coord.received() if c.get("m.relates_to", {}).get("rel_type") == "m.replace"]
    assert edits and edits[-1]["m.new_content"]["body"].startswith("📤 Appel n°1 : 2 sur 2 traités")  # status edited

    alice.new_texts()
    await alice.says("1")  # the call is her current question
    assert "Merci, votre réponse est transmise au coordinateur." in alice.new_texts()
    [(event_id, _)] = call_events(bob)
    bob.new_texts()
    await bob.reacts(event_id, "1️⃣")
    assert "Merci, votre réponse est transmise au coordinateur." in bob.new_texts()
    await bob.reacts(event_id, "1️⃣")  # a second reaction on the same call
    assert "n'est plus d'actualité" in bob.new_texts()  # answered already: nothing stored twice
    assert rows(app, "SELECT broadcast_id, actor_id, answer FROM broadcast_answers ORDER BY id") == [
        (1, 1, "interested"),
        (1, 2, "interested"),
    ]

    await coord.says("!reponses")  # the only call: its answers at once, no « Les réponses de quel appel ? » (stop 36)
    listing = coord.new_texts()
    assert "Les réponses de quel appel ?" not in listing
    assert "Appel n°1 : 2 réponses." in listing
    assert "• Les Jardins de la Doua (Association, Villeurbanne (69)) : Intéressé·e" in listing
    assert "• Boulangerie Gratte-Ciel (Entreprise, Villeurbanne (69)) : Intéressé·e" in listing
    [upload] = client.uploads
    assert (upload["filename"], upload["content_type"], upload["encrypt"]) == ("reponses-appel-1.csv", "text/csv", False)
    table = list(csv.reader(io.StringIO(upload["data"].decode("utf-8-sig")), delimiter=";"))
    assert table[0] == ["Acteur", "Type", "Commune", "Réponse", "Date (heure locale)"]
    assert [row[:4] for row in table[1:]] == [
        ["Les Jardins de la Doua", "Association", "Villeurbanne (69)", "Intéressé·e"],
        ["Boulangerie Gratte-Ciel", "Entreprise", "Villeurbanne (69)", "Intéressé·e"],
    ]
    [file_event] = [s.content for s in client.sent if s.content.get("msgtype") == "m.file"]
    assert [s.room_id for s in client.sent if s.content.get("msgtype") == "m.file"] == ["!coord"]
    assert file_event["url"] == "mxc://localhost/upload1" and file_event["body"] == "reponses-appel-1.csv"


async def test_written_answer_is_stored(world) -> None:
    app, client, people = world
    coord, bob = people["coord"], people["bob"]
    assert "Destinataires : 2 acteurs" in await broadcast(coord, "Qui peut prêter des tables au marché ?", "3")
    await coord.says("1")
    await app.workers[0].run_once()
    [(_, content)] = call_events(bob)
    assert "Répondez simplement en écrivant votre message." in content["body"] and "1." not in content["body"]
    bob.new_texts()
    await bob.says("Dix tables pliantes, à venir chercher vendredi.")
    assert "Merci, votre réponse est transmise au coordinateur." in bob.new_texts()
    assert rows(app, "SELECT actor_id, answer FROM broadcast_answers") == [(2, "Dix tables pliantes, à venir chercher vendredi.")]


async def test_non_coordinator_is_refused_and_nothing_is_stored(world) -> None:
    app, client, people = world
    alice = people["alice"]
    alice.new_texts()
    await alice.says("!diffuser")
    assert "Cette commande est réservée aux coordinateurs." in alice.new_texts()
    await alice.says("1")  # whatever comes next is not a broadcast step
    await app.workers[0].run_once()
    assert rows(app, "SELECT COUNT(*) FROM broadcasts") == [(0,)]
    assert rows(app, "SELECT COUNT(*) FROM broadcast_recipients") == [(0,)]
    assert not any("📣" in s.content.get("body", "") for s in client.sent)
