"""Event sign-up on Telegram, offline (the real TelegramAdapter on a recording request): the
coordinator publishes with buttons, an actor signs up by button and receives the .ics file as a
document; the next one lands on the waiting list."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from core.clock import utcnow
from tests.telegram.test_telegram_broadcast import ALICE, BOB, COORD, buttons, everyone, rows, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_an_event_is_published_and_signed_up_to_on_telegram(world) -> None:
    app, harness, people = world
    coord, alice, bob = people["coord"], people["alice"], people["bob"]
    await coord.says("/evenement")
    await coord.says("Forum des associations")
    when = (utcnow() + timedelta(days=5)).astimezone(ZoneInfo("Europe/Paris"))
    await coord.says(when.strftime("%d/%m/%Y 18h30"))
    await coord.says("passer")  # no end time
    await coord.says("Maison des associations")
    await coord.says("1 place")
    await everyone(coord)  # its only territory: taken, not asked
    await coord.presses("Publier")
    assert "2 acteurs invités" in coord.new_texts()
    await app.workers[0].run_once()
    assert "vous invite : « Forum des associations »" in alice.new_texts()

    await alice.says("/evenements")
    await alice.presses(next(b["text"] for b in buttons(alice.messages()[-1]) if b["text"].startswith("Forum des associations")))
    await alice.presses("M'inscrire")
    assert "Inscrit·e à « Forum des associations »" in alice.new_texts()
    [document] = [p for p in harness.request.of("sendDocument") if p["chat_id"] == ALICE]
    [(_, files)] = [(m, f) for m, f in harness.request.files if m == "sendDocument"]
    [(filename, data, *_)] = files.values()
    assert filename == "evenement-1.ics" and data.startswith(b"BEGIN:VCALENDAR") and b"SUMMARY:Forum des associations" in data
    assert document["chat_id"] == ALICE

    await bob.says("/evenements")
    await bob.presses(next(b["text"] for b in buttons(bob.messages()[-1]) if b["text"].startswith("Forum des associations")))
    await bob.presses("M'inscrire")
    assert "liste d'attente" in bob.new_texts()
    assert rows(app, "SELECT actor_id, status FROM event_people ORDER BY actor_id") == [(1, "registered"), (2, "waiting")]
    assert COORD not in [p["chat_id"] for p in harness.request.of("sendDocument")]


async def test_an_invitation_is_answered_by_its_buttons_on_telegram(world) -> None:
    """New-user trial: the invitation had no buttons; « Je m'inscris » on it signs up (with the
    file), « Pas intéressé·e » is recorded (declined)."""
    app, harness, people = world
    coord, alice, bob = people["coord"], people["alice"], people["bob"]
    await coord.says("/evenement")
    await coord.says("Forum des associations")
    when = (utcnow() + timedelta(days=5)).astimezone(ZoneInfo("Europe/Paris"))
    await coord.says(when.strftime("%d/%m/%Y 18h30"))
    await coord.says("passer")
    await coord.says("Maison des associations")
    await coord.says("10 places")
    await everyone(coord)
    await coord.presses("Publier")
    await app.workers[0].run_once()
    for person in (alice, bob):
        assert "vous invite : « Forum des associations »" in person.new_texts()
        assert [b["text"] for b in buttons(person.messages()[-1])] == ["Je m'inscris", "Pas intéressé·e"]
    await alice.presses("Je m'inscris")
    assert "Inscrit·e à « Forum des associations »" in alice.new_texts()
    assert [p["chat_id"] for p in harness.request.of("sendDocument")] == [ALICE]
    await bob.presses("Pas intéressé·e")
    assert "pas d'inscription à « Forum des associations »" in bob.new_texts()
    assert rows(app, "SELECT actor_id, status FROM event_people ORDER BY actor_id") == [(1, "registered"), (2, "declined")]
