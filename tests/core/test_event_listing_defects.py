"""Defects found trying the console (30/11/2026 evening): an event's calendar file could not be
had again, "passer" was refused at a full event, "je m'inscris" got "Vouliez-vous dire …",
introductions after an event came 3 h after its start, a listing's expiry could not be changed
in words, expired listings showed in theme pairs, and a collectivité of an intercommunalité or a
département got theme partners of its own commune only."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from conversations.expiry import months_after
from core.clock import iso, utcnow
from tests.core.people import settled
from tests.core.test_coordination import deliver, rows, territory  # noqa: F401  (fixture)

pytestmark = pytest.mark.backends


async def publish(
    marie, title: str = "Forum des associations", capacity: str = "30", days: int = 10, hours: str = "de 18h30 à 20h"
) -> None:  # type: ignore[no-untyped-def]
    """Marie publishes an event in Villeurbanne for every type and theme."""
    await marie.say("/evenement")
    await marie.say(title)
    when = (utcnow() + timedelta(days=days)).astimezone(ZoneInfo("Europe/Paris"))
    await marie.say(when.strftime(f"%d/%m/%Y {hours}"))
    await marie.say("Maison des associations, 28 rue du Tonkin")
    await marie.say(capacity)
    assert "C'est noté : Villeurbanne (69)" in marie.text(), marie.text()  # its only territory: taken, and said
    await marie.say("ok")
    await marie.say("ok")
    await marie.press("Publier")
    assert "publié" in marie.text(), marie.text()
    await settled(marie)  # the invitations out before anyone looks: none lands in the middle of their step


async def look_at(person, index: int = 0) -> None:  # type: ignore[no-untyped-def]
    """``person`` opens /evenements (/events) and the event at ``index``."""
    await person.say("/evenements")
    await person.press(person.question.choices[index].label)


def files(person) -> list[bytes]:  # type: ignore[no-untyped-def]
    return [r.attachment.data for r in person.last if r.attachment is not None and r.attachment.mime_type == "text/calendar"]


def statuses(app) -> list[tuple[str]]:  # type: ignore[no-untyped-def]
    return rows(app, "SELECT status FROM event_people ORDER BY actor_id")


# ---------------------------------------------------------------- 1. the .ics again


async def test_the_calendar_file_can_be_had_again_from_the_list_and_in_words(territory) -> None:
    app, _, people = territory
    marie, asso = people["marie"], people["asso"]
    await publish(marie)
    await look_at(asso)
    await asso.press("M'inscrire")
    assert len(files(asso)) == 1
    # lost it: the event's entry offers it again
    await look_at(asso)
    assert "📎 Recevoir le fichier calendrier (.ics)" in [c.label for c in asso.question.choices]
    await asso.press("📎 Recevoir le fichier calendrier (.ics)")
    [again] = files(asso)
    assert b"SUMMARY:Forum des associations" in again and b"DTEND:" in again
    # or in words, at the event or at the menu, French and English
    for phrase in ("le fichier calendrier", "je l'ai perdu, vous pouvez me renvoyer le fichier ics ?"):
        await look_at(asso)
        await asso.say(phrase)
        assert len(files(asso)) == 1, (phrase, asso.text())
    for phrase in ("le fichier calendrier", "Add to my calendar", "ajouter à mon agenda", "renvoyez-moi l'invitation agenda"):
        await asso.say(phrase)
        assert len(files(asso)) == 1, (phrase, asso.text())
        assert "Forum des associations" in asso.text()
    assert statuses(app).count(("registered",)) == 1  # nothing else changed


async def test_no_calendar_file_without_a_place_and_a_clear_answer(territory) -> None:
    app, _, people = territory
    marie, asso, boulangerie = people["marie"], people["asso"], people["boulangerie"]
    await asso.say("le fichier calendrier")
    assert not files(asso) and "aucun événement à venir" in asso.text()
    await publish(marie, capacity="1")
    await look_at(asso)
    await asso.say("le fichier calendrier")  # invited, not registered
    assert not files(asso) and "pas inscrit·e" in asso.text()
    await look_at(asso)
    await asso.press("M'inscrire")
    await look_at(boulangerie)
    await boulangerie.press("M'inscrire")
    await boulangerie.say("add to my calendar")
    assert not files(boulangerie) and "liste d'attente" in boulangerie.text()
    assert sorted(statuses(app)) == [("registered",), ("waiting",)]


# ---------------------------------------------------------------- 2. "passer" at a full event


async def test_skip_at_a_full_event_ends_the_question_and_records_nothing(territory) -> None:
    app, _, people = territory
    marie, asso, boulangerie = people["marie"], people["asso"], people["boulangerie"]
    await publish(marie, capacity="1")
    await look_at(asso)
    await asso.press("M'inscrire")
    before = statuses(app)
    for phrase in ("passer", "Skip", "non merci", "no thanks", "pas maintenant", "je ne viens pas"):
        await look_at(boulangerie)
        assert "complet" in boulangerie.question.text, boulangerie.question.text  # the capacity is said
        await boulangerie.say(phrase)
        assert "Rien n'est changé" in boulangerie.text(), (phrase, boulangerie.text())
        assert "pas reconnu" not in boulangerie.text() and "Vouliez-vous dire" not in boulangerie.text()
        assert statuses(app) == before, phrase


async def test_skip_in_english_at_an_event(territory) -> None:
    app, _, people = territory
    marie, asso = people["marie"], people["asso"]
    await publish(marie)
    await asso.say("/reglages")
    await asso.press(next(c.label for c in asso.question.choices if "angue" in c.label))
    await asso.press("English")
    for phrase in ("skip", "not now", "passer", "I can't come"):
        await look_at(asso)
        await asso.say(phrase)
        assert "Nothing changed" in asso.text(), (phrase, asso.text())
    assert set(statuses(app)) == {("invited",)}


# ---------------------------------------------------------------- 3. registration in words


@pytest.mark.parametrize(
    "phrase", ["je m'inscris", "Je viens !", "inscrivez-moi", "j'y serai", "count me in", "I'll come", "oui je m'inscris", "sign me up"]
)
async def test_saying_one_signs_up_at_the_event(territory, phrase: str) -> None:
    app, _, people = territory
    marie, asso = people["marie"], people["asso"]
    await publish(marie)
    await look_at(asso)
    await asso.say(phrase)
    assert "Vouliez-vous dire" not in asso.text(), asso.text()
    assert "Inscrit·e à « Forum des associations »" in asso.text() and len(files(asso)) == 1, asso.text()
    assert ("registered",) in statuses(app)


async def test_saying_one_signs_up_from_the_list_or_the_menu_or_asks_which(territory) -> None:
    app, _, people = territory
    marie, asso, boulangerie = people["marie"], people["asso"], people["boulangerie"]
    await publish(marie)
    for other in ("je participe à un projet de jardin partagé", "je viens chercher des infos sur les subventions"):
        await asso.say(other)  # at the menu, no event named: not a registration
        assert "Inscrit·e" not in asso.text() and set(statuses(app)) == {("invited",)}, (other, asso.text())
    await asso.say("/evenements")
    await asso.say("je m'inscris")  # at the list of one event: that one
    assert "Inscrit·e à « Forum des associations »" in asso.text(), asso.text()
    await boulangerie.say("je viens au forum !")  # at the menu, the event named
    assert "Inscrit·e à « Forum des associations »" in boulangerie.text(), boulangerie.text()
    await asso.say("je m'inscris")  # again: already, with the file once more
    assert "déjà inscrit·e" in asso.text() and len(files(asso)) == 1
    await publish(marie, title="Apéro des bénévoles", days=12)
    refus = people["refus"]  # not invited (no calls): never signed up
    await refus.say("je m'inscris")
    assert not rows(app, "SELECT 1 FROM event_people p JOIN actors a ON a.id = p.actor_id WHERE a.name = 'Asso Silencieuse'")
    await look_at(asso, 0)  # now two events, one joined: "je viens" at the list means the other one
    await asso.say("/evenements")
    await asso.say("je viens")
    assert "Inscrit·e à « Apéro des bénévoles »" in asso.text() and "Vouliez-vous dire" not in asso.text(), asso.text()
    await asso.say("je viens à l'apéro des bénévoles")  # named: already, said
    assert "déjà inscrit·e" in asso.text(), asso.text()
    await asso.say("je viens de créer une nouvelle activité de jardinage")  # no registration
    assert "Inscrit·e" not in asso.text()


# ---------------------------------------------------------------- 4. introductions after the end


async def test_introductions_come_after_the_events_end(territory) -> None:
    app, _, people = territory
    marie, asso, boulangerie = people["marie"], people["asso"], people["boulangerie"]
    await publish(marie)
    for person in (asso, boulangerie):
        await look_at(person)
        await person.press("M'inscrire")

    def move(start: timedelta, end: timedelta | None) -> object:
        now = utcnow()
        stamps = (iso(now + start), iso(now + end) if end is not None else None)
        return app.db.transaction(lambda conn: conn.execute("UPDATE events SET starts_at = ?, ends_at = ?", stamps))

    await move(-timedelta(hours=4), timedelta(hours=2))  # a long afternoon, still going on
    assert (await app.events_due())["proposed"] == 0
    await move(-timedelta(days=2, hours=5), -timedelta(minutes=20))  # a three-day fair that ended 20 minutes ago
    assert (await app.events_due())["proposed"] == 0
    await move(-timedelta(days=2, hours=5), -timedelta(hours=1, minutes=5))  # ended over an hour ago
    assert (await app.events_due())["proposed"] == 1
    assert (await app.events_due())["proposed"] == 0  # once


async def test_without_an_end_an_event_is_taken_to_last_two_hours(territory) -> None:
    app, _, people = territory
    marie, asso, boulangerie = people["marie"], people["asso"], people["boulangerie"]
    await publish(marie)
    for person in (asso, boulangerie):
        await look_at(person)
        await person.press("M'inscrire")
    started = iso(utcnow() - timedelta(hours=2, minutes=30))
    await app.db.transaction(lambda conn: conn.execute("UPDATE events SET starts_at = ?, ends_at = NULL", (started,)))
    assert (await app.events_due())["proposed"] == 0  # ended (by default) half an hour ago
    started = iso(utcnow() - timedelta(hours=3, minutes=5))
    await app.db.transaction(lambda conn: conn.execute("UPDATE events SET starts_at = ?, ends_at = NULL", (started,)))
    assert (await app.events_due())["proposed"] == 1


# ---------------------------------------------------------------- 6. expired listings never in suggestions


async def test_an_expired_listing_never_shows_in_a_theme_pair(db_path, territories) -> None:  # type: ignore[no-untyped-def]
    from tests.core.people import Person
    from tests.core.test_suggestions import MONDAY_11H_PARIS, Clock, last_decision, open_two_sides, press_decision

    app, alice, _ = await open_two_sides(str(db_path), territories, Clock(MONDAY_11H_PARIS))
    try:
        carol = Person(app.runtime, alice.adapter, "carol")
        await carol.onboard("Épicerie du Tonkin", "Villeurbanne")  # same themes and commune as alice: a theme pair
        for text in ("Des cagettes de légumes invendus chaque vendredi.", "Un triporteur électrique prêté le week-end."):
            await carol.say("/offre")
            await carol.press("Matériel")
            await carol.say(text)
            await carol.press(carol.question.choices[0].label)
        yesterday = (MONDAY_11H_PARIS - timedelta(days=1)).date().isoformat()
        await app.db.transaction(
            lambda conn: conn.execute("UPDATE listings SET expires_at = ? WHERE description LIKE 'Des cagettes%'", (yesterday,))
        )
        report = await app.suggestion_round()
        told = next(s for s in report.suggestions if s.actor == "Les Restos de la Soie" and s.other == "Épicerie du Tonkin")
        assert "Un triporteur électrique" in told.text and "cagettes" not in told.text, told.text
        await deliver(app)
        await alice.say("/suggestions")  # read again from storage
        await press_decision(alice, last_decision(alice.adapter, "alice"), "Plus tard")
        shown = last_decision(alice.adapter, "alice")
        assert "Épicerie du Tonkin" in shown.text and "triporteur" in shown.text and "cagettes" not in shown.text
    finally:
        await app.stop()


# ---------------------------------------------------------------- 5. a listing's expiry, told and changed in words


def _month_end(month: int) -> str:
    """The last day of ``month`` still to come (from today, Paris time)."""
    import calendar
    from datetime import date

    today = utcnow().astimezone(ZoneInfo("Europe/Paris")).date()
    year = today.year if date(today.year, month, calendar.monthrange(today.year, month)[1]) > today else today.year + 1
    return date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def _day(iso_day: str, language: str) -> str:
    from datetime import date

    from babel.dates import format_date

    from conversations.i18n import first_of_month

    day = date.fromisoformat(iso_day)
    return first_of_month(format_date(day, format="long", locale=language), day.day, language)  # « 1er mars 2027 »


def expiries(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(r[0])[:10] for r in rows(app, "SELECT expires_at FROM listings ORDER BY id")]


async def publish_need(person, text: str = "On cherche des bénévoles pour la distribution du samedi matin") -> None:  # type: ignore[no-untyped-def]
    await person.say(text)
    await person.press(person.question.choices[0].label)  # the commune


async def test_the_expiry_is_told_and_changed_in_words_just_after_publishing(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    await publish_need(asso)
    [default] = expiries(app)
    assert _day(default, "fr") in asso.text() and "« jusqu'à fin mars »" in asso.text() and "« sans date »" in asso.text()
    await asso.say("jusqu'à fin mars")
    assert expiries(app) == [_month_end(3)]
    assert f"reste visible jusqu'au {_day(_month_end(3), 'fr')}" in asso.text(), asso.text()
    await asso.say("pour 6 mois")  # nothing else asked since (dur9): still the listing just published
    assert expiries(app) == [months_after(utcnow().astimezone(ZoneInfo("Europe/Paris")).date(), 6).isoformat()]
    await asso.say("/annonces")
    await asso.say("annuler")
    await asso.say("jusqu'à fin mars")  # something else was asked meanwhile: the menu reads it as usual
    assert expiries(app) == [months_after(utcnow().astimezone(ZoneInfo("Europe/Paris")).date(), 6).isoformat()]


@pytest.mark.parametrize(
    ("phrase", "days"),
    [("pour 6 mois", 6), ("2 semaines", 0), ("sans date", 12), ("pendant un an", 12), ("Pour trois mois", 3)],
)
async def test_durations_in_french(territory, phrase: str, days: int) -> None:
    """``days``: months, calendar ones as the default duration's (dur9); 0 for the two weeks."""
    app, _, people = territory
    asso = people["asso"]
    await publish_need(asso)
    await asso.say(phrase)
    today = utcnow().astimezone(ZoneInfo("Europe/Paris")).date()
    expected = months_after(today, days) if days else today + timedelta(days=14)
    assert expiries(app) == [expected.isoformat()], asso.text()
    if phrase == "sans date":
        assert "sans date de fin" in asso.text() and "un an au plus" in asso.text()


async def test_a_past_or_too_far_date_is_refused_and_changes_nothing(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    await publish_need(asso)
    before = expiries(app)
    await asso.say("jusqu'au 01/01/2020")
    assert "déjà passée" in asso.text() and expiries(app) == before
    await asso.say("pour trois ans")
    assert "un an au plus" in asso.text() and expiries(app) == before
    await asso.say("jusqu'à fin juin")  # asked again: still the listing just published
    assert expiries(app) == [_month_end(6)]


async def test_the_expiry_in_english_with_an_english_date(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    await asso.say("/reglages")
    await asso.press(next(c.label for c in asso.question.choices if "angue" in c.label))
    await asso.press("English")
    await publish_need(asso, "We are looking for volunteers to hand out food on Saturday mornings")
    assert "“until the end of March”" in asso.text() and "“no end date”" in asso.text(), asso.text()
    await asso.say("until the end of March")
    assert expiries(app) == [_month_end(3)]
    assert f"stays visible until {_day(_month_end(3), 'en')}" in asso.text(), asso.text()


async def test_the_expiry_changed_in_words_from_the_listings(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    await publish_need(asso)
    await asso.say("/annonces")
    await asso.press(asso.question.choices[0].label)
    await asso.press("Prolonger")
    await asso.say("jusqu'à fin juin")
    assert expiries(app) == [_month_end(6)]
    assert _day(_month_end(6), "fr") in asso.text()
    await asso.say("/annonces")
    await asso.press(asso.question.choices[0].label)
    await asso.press("Prolonger")
    await asso.say("jusqu'au 01/01/2020")
    assert "déjà passée" in asso.text() and expiries(app) == [_month_end(6)]


async def test_the_renewal_question_writes_its_dates_in_the_persons_language(territory) -> None:
    app, adapter, people = territory
    asso = people["asso"]
    await publish_need(asso)
    soon = (utcnow().astimezone(ZoneInfo("Europe/Paris")).date() + timedelta(days=3)).isoformat()
    await app.db.transaction(lambda conn: conn.execute("UPDATE listings SET expires_at = ?", (soon,)))
    assert (await app.maintenance())["renewals"] == 1
    await deliver(app)
    asked = next(r for r in reversed(adapter.replies_to("asso")) if "expire" in r.text)
    assert f"expire le {_day(soon, 'fr')}" in asked.text and soon not in asked.text, asked.text


# ---------------------------------------------------------------- 7. a collectivité's whole territory


async def test_an_intercommunality_gets_theme_partners_across_its_territory(db_path, territories) -> None:  # type: ignore[no-untyped-def]
    from tests.core.people import Person
    from tests.core.test_suggestions import MONDAY_11H_PARIS, Clock, open_two_sides

    app, alice, _ = await open_two_sides(str(db_path), territories, Clock(MONDAY_11H_PARIS))  # alice: Villeurbanne
    try:
        metropole = Person(app.runtime, alice.adapter, "metropole")
        await metropole.onboard("Métropole de Lyon", "Lyon", kind="Collectivité", themes=("Alimentation",))
        mairie = Person(app.runtime, alice.adapter, "mairie")
        await mairie.onboard("Mairie de Lyon", "Lyon", kind="Collectivité", themes=("Alimentation",))
        report = await app.suggestion_round()
        pairs = {(s.actor, s.other) for s in report.suggestions}
        assert ("Métropole de Lyon", "Les Restos de la Soie") in pairs, pairs  # Villeurbanne is in the Métropole
        assert ("Les Restos de la Soie", "Métropole de Lyon") in pairs, pairs
        assert ("Mairie de Lyon", "Les Restos de la Soie") not in pairs  # a town hall: its commune only
        told = next(s for s in report.suggestions if s.actor == "Les Restos de la Soie" and s.other == "Métropole de Lyon")
        assert "Métropole de Lyon" in told.text
    finally:
        await app.stop()


# ---------------------------------------------------------------- what is understood, in both languages


def test_event_wishes_in_both_languages() -> None:
    from conversations.events import calendar_request, decline_intent, join_intent

    for text in (
        "je m'inscris",
        "Je m’inscris !",
        "inscrivez-moi",
        "inscris-moi",
        "je viens",
        "on vient à deux",
        "j'y serai",
        "nous y serons",
        "je participe",
        "je veux participer",
        "je souhaite m'inscrire",
        "partante !",
        "oui je viens",
        "count me in",
        "I'll come",
        "I will be there",
        "sign me up",
        "we'll attend",
        "I'm in",
        "I'd like to come",
    ):
        assert join_intent(text), text
        assert not decline_intent(text), text
    for text in (
        "je viens de créer mon association",
        "je ne viens pas",
        "je ne pourrai pas venir",
        "I can't come",
        "I won't come",
        "count me out",
        "je me désinscris",
        "on cherche des bénévoles",
        "merci",
    ):
        assert not join_intent(text), text
    for text in ("passer", "Skip", "non merci", "no thanks", "pas maintenant", "not now", "plus tard", "je ne viens pas", "I can't come"):
        assert decline_intent(text), text
    for text in ("le fichier calendrier", "add to my calendar", "ajouter à mon agenda", "renvoyez-moi le .ics", "calendar file", "l'ics"):
        assert calendar_request(text), text
    for text in ("on cherche des bénévoles pour le samedi", "quel temps fait-il ?", "je viens", "le forum"):
        assert not calendar_request(text), text


def test_durations_read_in_both_languages() -> None:
    from datetime import date

    from conversations.expiry import read_expiry

    today = date(2026, 11, 30)
    expected = {
        "jusqu'à fin mars": date(2027, 3, 31),
        "jusqu'au 15 avril": date(2027, 4, 15),
        "jusqu'en juin": date(2027, 6, 30),
        "fin janvier": date(2027, 1, 31),
        "pour 6 mois": date(2027, 5, 30),  # calendar months (dur9), as the default ones
        "deux semaines": date(2026, 12, 14),
        "jusqu'à la fin de l'année": date(2026, 12, 31),
        "until the end of March": date(2027, 3, 31),
        "until April 15": date(2027, 4, 15),
        "for 3 months": date(2027, 2, 28),
        "end of May": date(2027, 5, 31),
        "till 31/12": date(2026, 12, 31),
    }
    for text, day in expected.items():
        read = read_expiry(text, today)
        assert read is not None and read.day == day and read.error is None, (text, read)
    for text in ("sans date", "no end date", "illimité", "indefinitely"):
        read = read_expiry(text, today)
        assert read is not None and read.open_ended and read.day == date(2027, 11, 30), text  # 12 calendar months
    assert read_expiry("jusqu'au 01/01/2020", today).error == "when.past"  # type: ignore[union-attr]
    assert read_expiry("pour trois ans", today).error == "expiry.too_far"  # type: ignore[union-attr]
    for text in ("mars", "1", "oui", "on cherche des bénévoles", "Besoin", "/annonces", "merci"):
        assert read_expiry(text, today) is None, text


async def test_a_suggestion_put_aside_is_dropped_once_its_listing_expired(db_path, territories) -> None:  # type: ignore[no-untyped-def]
    from tests.core.test_suggestions import MONDAY_11H_PARIS, Clock, last_decision, open_two_sides, press_decision

    clock = Clock(MONDAY_11H_PARIS)
    app, alice, _ = await open_two_sides(str(db_path), territories, clock)
    try:
        await app.suggestion_round()
        await deliver(app)
        shown = last_decision(alice.adapter, "alice")
        assert "Cabinet Martin" in shown.text
        await press_decision(alice, shown, "Plus tard")
        clock.advance(weeks=1)
        expired = (clock.now - timedelta(days=1)).date().isoformat()
        await app.db.transaction(lambda conn: conn.execute("UPDATE listings SET expires_at = ? WHERE kind = 'offer'", (expired,)))
        before = len(alice.adapter.replies_to("alice"))
        await app.suggestion_round()
        await deliver(app)
        assert not any("Cabinet Martin" in r.text for r in alice.adapter.replies_to("alice")[before:])
        assert rows(app, "SELECT status FROM suggestions WHERE their_listing_id IS NOT NULL AND status = 'later'") == []
        assert ("expired",) in rows(app, "SELECT status FROM suggestions WHERE their_listing_id IS NOT NULL")
    finally:
        await app.stop()
