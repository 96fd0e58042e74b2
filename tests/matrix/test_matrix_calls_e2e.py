"""End-to-end on a real Synapse: a coordinator schedules a call in an encrypted DM, it goes out
when due, the actor receives it signed with the organisation, and the author gets the report."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from core.clock import iso, utcnow
from storage import calls, coordination
from tests.matrix.mx_person import Person, fr, onboard

if TYPE_CHECKING:
    from tests.matrix.conftest import BotRunner

pytestmark = pytest.mark.e2e

PeopleFactory = Callable[..., Awaitable[Person]]
VILLEURBANNE = coordination.Area("commune", "69266", "Villeurbanne (69)")


async def test_a_scheduled_call_goes_out_when_due_and_reports(bot: BotRunner, people: PeopleFactory) -> None:
    app = bot.app
    alice = await people("alice", encryption=True)
    alice_room = await alice.open_dm(bot.user.user_id, encrypted=True)
    await onboard(alice, alice_room, "Les Jardins de la Doua")
    marie = await people("marie", encryption=True)
    marie_room = await marie.open_dm(bot.user.user_id, encrypted=True)

    def appoint(conn: object) -> None:
        coordination.add_coordinator(conn, "matrix", marie.user.user_id, VILLEURBANNE, "test", iso(utcnow()))  # type: ignore[arg-type]
        calls.set_organisation(conn, "matrix", marie.user.user_id, "MDA de Villeurbanne")  # type: ignore[arg-type]

    await app.db.transaction(appoint)  # type: ignore[attr-defined]
    await marie.say(marie_room, "!diffuser")
    await marie.expect(marie_room, "C'est noté : Villeurbanne (69)")  # the only territory: taken, and said (9d94fd9)
    await marie.expect(marie_room, fr("broadcast.kinds"))
    await marie.say(marie_room, "1 2 3 4")
    await marie.expect(marie_room, fr("broadcast.themes"))
    await marie.say(marie_room, " ".join(str(n) for n in range(1, 13)))
    await marie.expect(marie_room, fr("broadcast.message"))
    await marie.say(marie_room, "Qui tient un stand au forum des associations ?")
    mode = await marie.expect(marie_room, fr("broadcast.mode"))
    await marie.say(marie_room, str(mode.number_of("Un bouton")))
    preview = await marie.expect(marie_room, "Destinataires : 1 acteur")
    await marie.say(marie_room, str(preview.number_of("Programmer")))
    await marie.expect(marie_room, "Quand l'envoyer ?")
    when = (utcnow() + timedelta(days=1)).astimezone(ZoneInfo("Europe/Paris"))
    await marie.say(marie_room, when.strftime("%d/%m/%Y 9h30"))
    scheduled = await marie.expect(marie_room, "⏰ Appel programmé n°1")
    assert scheduled.encrypted

    due = iso(utcnow() - timedelta(minutes=1))
    await app.db.transaction(lambda conn: conn.execute("UPDATE scheduled_calls SET send_at = ?", (due,)))  # type: ignore[attr-defined]
    assert await app.send_due_calls() == 1  # type: ignore[attr-defined]
    call = await alice.expect(alice_room, "📣 Appel de MDA de Villeurbanne")
    assert call.encrypted and "stand au forum" in call.body
    report = await marie.expect(marie_room, "Appel n°1 envoyé : 1 reçu")
    assert report.encrypted


async def test_an_event_is_signed_up_to_in_an_encrypted_dm_with_its_ics_file(bot: BotRunner, people: PeopleFactory) -> None:
    app = bot.app
    alice = await people("alice", encryption=True)
    alice_room = await alice.open_dm(bot.user.user_id, encrypted=True)
    await onboard(alice, alice_room, "Les Jardins de la Doua")
    marie = await people("marie", encryption=True)
    marie_room = await marie.open_dm(bot.user.user_id, encrypted=True)
    await app.db.transaction(  # type: ignore[attr-defined]
        lambda conn: coordination.add_coordinator(conn, "matrix", marie.user.user_id, VILLEURBANNE, "test", iso(utcnow()))
    )
    when = (utcnow() + timedelta(days=5)).astimezone(ZoneInfo("Europe/Paris"))
    for line, prompt in (
        ("!evenement", fr("event.title")),
        ("Forum des associations", fr("event.when_span")),
        (when.strftime("%d/%m/%Y 18h30"), fr("event.end")),  # no end time typed: asked
        ("20h", fr("event.place")),
        ("Maison des associations", fr("event.capacity")),
        ("30 places", fr("broadcast.kinds")),  # her only territory: taken, not asked
    ):
        await marie.say(marie_room, line)
        await marie.expect(marie_room, prompt)
    await marie.say(marie_room, "1 2 3 4")
    await marie.expect(marie_room, fr("broadcast.themes"))
    await marie.say(marie_room, " ".join(str(n) for n in range(1, 13)))
    preview = await marie.expect(marie_room, "« Forum des associations »")
    await marie.say(marie_room, str(preview.number_of("Publier")))
    await marie.expect(marie_room, "1 acteur invité")

    await alice.expect(alice_room, "vous invite : « Forum des associations »")
    await alice.say(alice_room, "!evenements")
    pick = await alice.expect(alice_room, fr("events.pick"))
    await alice.say(alice_room, str(pick.number_of("Forum des associations")))
    action = await alice.expect(alice_room, "Places restantes : 30")
    await alice.say(alice_room, str(action.number_of("M'inscrire")))
    await alice.expect(alice_room, "Inscrit·e à « Forum des associations »")
    ics = await alice.expect(alice_room, lambda m: m.msgtype == "m.file")
    assert ics.encrypted and ics.body == "evenement-1.ics"
