"""Events: a coordinator publishes one (bad dates, places and capacities refused), actors sign up
in the chat with an .ics file and a waiting list, a reminder the day before, introductions
proposed among attendees afterwards."""

from __future__ import annotations

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

from core.clock import iso, utcnow
from tests.core.test_coordination import deliver, rows, territory  # noqa: F401  (fixture)


async def publish(marie, capacity: str = "1 place") -> None:  # type: ignore[no-untyped-def]
    await marie.say("/evenement")
    await marie.say("Forum des associations")
    await marie.say("01/01/2020 18h")
    assert "déjà passée" in marie.text()
    when = (utcnow() + timedelta(days=10)).astimezone(ZoneInfo("Europe/Paris"))
    await marie.say(when.strftime("%d/%m/%Y 18h30"))
    await marie.say("18h")  # an end before the start is refused
    assert "après le début" in marie.text()
    await marie.say("20h")
    await marie.say("-")
    assert "besoin d'un lieu" in marie.text()
    await marie.say("Maison des associations, 28 rue du Tonkin")
    for bad in ("beaucoup", "0", "20000"):
        await marie.say(bad)
        assert "entre 1 et 10000" in marie.text(), bad
    await marie.say(capacity)
    assert "C'est noté : Villeurbanne (69)" in marie.text(), marie.text()  # its only territory: taken, and said
    await marie.say("ok")  # every type
    await marie.say("ok")  # every theme
    assert "« Forum des associations »" in marie.question.text and f"{when:%d/%m/%Y} 18:30 – 20:00" in marie.question.text


async def test_publish_sign_up_waiting_list_ics_reminder_and_introductions(territory) -> None:
    app, adapter, people = territory
    marie, asso, boulangerie = people["marie"], people["asso"], people["boulangerie"]
    await asso.say("/evenement")
    assert "réservée aux coordinateurs" in asso.text()
    await publish(marie)
    assert rows(app, "SELECT COUNT(*) FROM events") == [(0,)]  # nothing before "Publier"
    await marie.press("Publier")
    assert "2 acteurs invités" in marie.text()
    await deliver(app)
    assert any("vous invite : « Forum des associations »" in r.text for r in adapter.replies_to("asso"))
    assert not any("Forum" in r.text for r in adapter.replies_to("refus") + adapter.replies_to("lille"))

    await asso.say("/evenements")
    await asso.press(asso.question.choices[0].label)
    assert "Places restantes : 1" in asso.question.text
    await asso.press("M'inscrire")
    ics = next(r.attachment for r in asso.last if r.attachment)
    assert ics.filename == "evenement-1.ics" and ics.mime_type == "text/calendar"
    assert ics.data.startswith(b"BEGIN:VCALENDAR\r\n") and b"SUMMARY:Forum des associations" in ics.data
    assert b"LOCATION:Maison des associations\\, 28 rue du Tonkin" in ics.data
    await boulangerie.say("/evenements")
    await boulangerie.press(boulangerie.question.choices[0].label)
    await boulangerie.press("M'inscrire")
    assert "liste d'attente" in boulangerie.text()  # over capacity

    await asso.say("/evenements")
    await asso.press(asso.question.choices[0].label)
    await asso.press("Me désinscrire")
    await deliver(app)
    promoted = [r for r in adapter.replies_to("boulangerie") if "place s'est libérée" in r.text]
    assert len(promoted) == 1 and promoted[0].attachment is not None
    await boulangerie.say("/mesdonnees")  # the events one signed up to are in one's data export
    export = json.loads(next(r for r in boulangerie.last if r.attachment is not None).attachment.data)
    assert [(e["title"], e["status"]) for e in export["events"]] == [("Forum des associations", "registered")]
    assert rows(app, "SELECT status FROM event_people ORDER BY actor_id") == [("left",), ("registered",)]

    soon = iso(utcnow() + timedelta(hours=12))
    await app.db.transaction(lambda conn: conn.execute("UPDATE events SET starts_at = ?", (soon,)))
    assert (await app.events_due())["reminded"] == 1
    assert (await app.events_due())["reminded"] == 0  # once
    await deliver(app)
    assert any("Rappel : « Forum des associations »" in r.text for r in adapter.replies_to("boulangerie"))

    past, ended = iso(utcnow() - timedelta(hours=4)), iso(utcnow() - timedelta(hours=2, minutes=30))  # proposed after the end
    await app.db.transaction(lambda conn: conn.execute("UPDATE event_people SET status = 'registered'"))
    await app.db.transaction(lambda conn: conn.execute("UPDATE events SET starts_at = ?, ends_at = ?", (past, ended)))
    assert (await app.events_due())["proposed"] == 1
    await deliver(app)
    proposal = next(r for r in reversed(adapter.replies_to("asso")) if r.prompt_id and r.prompt_id.startswith("S"))
    assert "proposé par Villeurbanne (69)" in proposal.text and "@boulangerie" not in proposal.text  # double opt-in
    assert (await app.events_due())["proposed"] == 0
    await asso.say("/evenements")
    assert "Aucun événement à venir" in asso.text()  # past events are closed


async def test_oui_publishes_the_event(territory) -> None:
    """« Publier ? » is a yes/no question: "oui" publishes (second trial: "Je n'ai pas reconnu ce choix")."""
    app, _, people = territory
    marie = people["marie"]
    await publish(marie)
    await marie.say("oui")
    assert "2 acteurs invités" in marie.text(), marie.text()


async def test_a_time_range_is_stored_and_ends_the_ics(territory) -> None:
    """First trial, #14: « samedi 12 décembre de 10h à 17h » was refused and the .ics lasted two
    hours; ranges are read in both languages, the end is stored, shown and written in DTEND."""
    app, adapter, people = territory
    marie, asso = people["marie"], people["asso"]
    day = (utcnow() + timedelta(days=12)).astimezone(ZoneInfo("Europe/Paris")).date()
    months = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")
    await marie.say("/evenement")
    await marie.say("Forum des associations")
    await marie.say(f"le {day.day} {months[day.month - 1]} de 10h a 17h")
    assert "Où" in marie.text() or "lieu" in marie.text().lower(), marie.text()  # no end question: the range gave it
    await marie.say("Maison des associations")
    await marie.say("40")
    assert "C'est noté : Villeurbanne (69)" in marie.text(), marie.text()  # its only territory: taken, and said
    await marie.say("ok")
    await marie.say("ok")
    assert f"{day:%d/%m/%Y} 10:00 – 17:00" in marie.question.text, marie.question.text
    await marie.press("Publier")
    [(starts, ends)] = rows(app, "SELECT starts_at, ends_at FROM events")
    local = ZoneInfo("Europe/Paris")
    from datetime import datetime

    assert datetime.fromisoformat(str(ends)) - datetime.fromisoformat(str(starts)) == timedelta(hours=7)
    assert datetime.fromisoformat(str(starts)).astimezone(local).hour == 10
    await deliver(app)
    assert any("10:00 – 17:00" in r.text for r in adapter.replies_to("asso") if "Forum" in r.text)
    await asso.say("/evenements")
    await asso.press(asso.question.choices[0].label)
    await asso.press("M'inscrire")
    ics = next(r.attachment for r in asso.last if r.attachment)
    start_utc = datetime.fromisoformat(str(starts)).strftime("%Y%m%dT%H%M%SZ").encode()
    end_utc = datetime.fromisoformat(str(ends)).strftime("%Y%m%dT%H%M%SZ").encode()
    assert b"DTSTART:" + start_utc in ics.data and b"DTEND:" + end_utc in ics.data


def test_time_ranges_in_both_languages() -> None:
    from datetime import datetime

    from conversations.events import parse_event_when

    now = datetime(2026, 11, 30, 18, 0, tzinfo=ZoneInfo("UTC"))
    expected = (datetime(2026, 12, 12, 9, 0, tzinfo=ZoneInfo("UTC")), datetime(2026, 12, 12, 16, 0, tzinfo=ZoneInfo("UTC")))
    for typed in (
        "samedi 12 decembre de 10h a 17h",
        "samedi 12 décembre de 10h à 17h",
        "12/12 10h-17h",
        "12/12/2026 10:00 - 17:00",
        "Saturday 12 December from 10am to 5pm",
        "Dec 12 10:00-17:00",
        "le 12 décembre de 10 à 17h",
    ):
        assert parse_event_when(typed, now, "Europe/Paris") == expected, typed
    assert parse_event_when("12/12 17h-10h", now, "Europe/Paris") == "event.when_unclear"  # the end before the start
    assert parse_event_when("samedi 12 decembre 10h", now, "Europe/Paris") == (expected[0], None)  # no end: asked next


def test_the_ics_file_is_named_in_the_person_language() -> None:
    from conversations.i18n import translate

    assert translate("en", "event.ics_name", id=3) == "event-3.ics"
    assert translate("fr", "event.ics_name", id=3) == "evenement-3.ics"


async def test_the_preview_says_the_capacity_with_its_plural(territory) -> None:
    """« Aperçu — … (1 places) » (trial 10): the capacity is a counted phrase, singular for one place."""
    app, adapter, people = territory
    marie = people["marie"]
    await publish(marie, "1 seule place")
    assert "(1 place)" in marie.question.text and "(1 places)" not in marie.question.text, marie.question.text
    await marie.press("Annuler")
    await publish(marie, "12 places")
    assert "(12 places)" in marie.question.text, marie.question.text
