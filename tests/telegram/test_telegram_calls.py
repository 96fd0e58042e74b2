"""A scheduled call on Telegram, offline (the real TelegramAdapter on a recording request): the
preview's buttons, a date refused then accepted, sent when due, the report, one reminder."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from core.clock import iso, utcnow
from tests.telegram.test_telegram_broadcast import ALICE, BOB, CALL, broadcast, buttons, rows, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_a_call_scheduled_on_telegram_goes_out_when_due_reports_and_reminds_once(world) -> None:
    app, harness, people = world
    coord, alice, bob = people["coord"], people["alice"], people["bob"]
    shown = await broadcast(coord, CALL, "Un bouton « Intéressé·e »")
    assert "Envoyer maintenant, ou programmer l'envoi ?" in shown
    assert [b["text"] for b in buttons(coord.messages()[-1])][:3] == ["Envoyer", "Programmer", "Annuler"]
    await coord.presses("Programmer")
    await coord.says("31/12/2020 10h")
    assert "déjà passée" in coord.new_texts()
    when = (utcnow() + timedelta(days=2)).astimezone(ZoneInfo("Europe/Paris"))
    await coord.says(when.strftime("%d/%m/%Y 18:00"))
    assert f"⏰ Appel programmé n°1 : envoi le {when:%d/%m/%Y} 18:00" in coord.new_texts()
    await app.workers[0].run_once()
    assert not any("📣" in p["text"] for p in harness.request.of("sendMessage"))  # not before its time

    due = iso(utcnow() - timedelta(minutes=1))
    await app.db.transaction(lambda conn: conn.execute("UPDATE scheduled_calls SET send_at = ?", (due,)))
    assert await app.send_due_calls() == 1
    await app.workers[0].run_once()
    calls = {p["chat_id"] for p in harness.request.of("sendMessage") if "📣" in p["text"]}
    assert calls == {ALICE, BOB}
    texts = coord.new_texts()
    assert "Appel n°1 : envoi en cours à 2 acteurs" in texts
    assert "Appel n°1 envoyé : 2 reçus, 0 échec, 0 injoignable sur 2." in texts  # the report
    assert rows(app, "SELECT status, broadcast_id FROM scheduled_calls") == [("sent", 1)]

    await alice.presses("Intéressé·e")
    bob.new_texts()
    await coord.says("/appels")
    await coord.presses(next(b["text"] for b in buttons(coord.messages()[-1]) if b["text"].startswith("📣 Appel n°1")))
    await coord.presses("Relancer les non-répondants")
    assert "envoyé à 1 acteur" in coord.new_texts()
    await app.workers[0].run_once()
    assert "🔔 Rappel" in bob.new_texts() and "Rappel" not in alice.new_texts()
