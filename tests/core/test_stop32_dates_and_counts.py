"""Trial 32 (people playing new users, fresh clone): an event's date added right after publishing an undated listing
(« ah et la fête c'est le samedi 12 juin », "oh and the party is on Saturday June 12") was not understood; /evenements
said « 1 inscrit » for one registration of 3 people; an event « demain 9h » published at 04:00 promised its invitees a
reminder « la veille », already past; « on sera 2 ou 3 » registered 2 people, not the 3 places to hold."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from conversations.expiry import event_dated
from conversations.understanding import people_coming
from core.clock import iso
from storage import coordination
from tests.backends import connect
from tests.core.people import Person, deliver
from tests.core.test_coordination import rows, territory  # noqa: F401  (fixture)
from tests.core.test_event_listing_defects import expiries, publish_need
from tests.core.test_event_wish_at_a_question import METROPOLE_LYON
from tests.core.test_stop30_invitations import _invited
from tests.core.test_stop30_redate import _description, _english, _event, _sports_day, _weekday, _written
from tests.core.test_suggestions import clock, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends

UNDATED = "On cherche des bénévoles pour tenir la buvette de la fête du quartier"
UNDATED_EN = "We need volunteers to run the bar at the street party"


# ---------------------------------------------------------------- 1. a date added to an undated listing


ADDED = [
    (False, "ah et la fête c'est le {wd} {d} juin"),
    (False, "c pour la fete du quartier le {d} juin"),
    (False, "au fait c'est pour le {d} juin"),
    (False, "ah oui et c'est le {wd} {d} juin !"),
    (True, "oh and the party is on {wd_en} June {d}"),
    (True, "btw it's for the street party on June {d}"),
    (True, "it's on {wd_en}, June {d} by the way"),
]


@pytest.mark.parametrize(("english", "typed"), ADDED)
async def test_a_date_added_right_after_publishing_dates_the_listing(territory, english: bool, typed: str) -> None:  # type: ignore[no-untyped-def]
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _english(asso)
    await publish_need(asso, UNDATED_EN if english else UNDATED)
    event = _event()
    await asso.say(typed.format(wd=_weekday(event, "fr"), wd_en=_weekday(event, "en"), d=event.day))
    assert expiries(app) == [(event + timedelta(days=1)).isoformat()], asso.text()
    assert f"{event.day} {'June' if english else 'juin'}" in _description(app) or f"June {event.day}" in _description(app), _description(
        app
    )
    assert _description(app).startswith(UNDATED_EN if english else UNDATED), _description(app)
    said = _written(event + timedelta(days=1), "en" if english else "fr")
    assert said in asso.text(), asso.text()
    assert ("stays visible until" if english else "reste visible jusqu'au") in asso.text(), asso.text()
    assert ("Je n'ai pas compris" if not english else "didn't understand") not in asso.text(), asso.text()


@pytest.mark.parametrize("english", [False, True])
async def test_a_date_added_with_the_wrong_weekday_is_said(territory, english: bool) -> None:  # type: ignore[no-untyped-def]
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _english(asso)
    await publish_need(asso, UNDATED_EN if english else UNDATED)
    before = (expiries(app), _description(app))
    event = _event()
    language = "en" if english else "fr"
    wrong = _weekday(event + timedelta(days=1), language)
    await asso.say(f"oh and the party is on {wrong} June {event.day}" if english else f"ah et la fête c'est le {wrong} {event.day} juin")
    assert (expiries(app), _description(app)) == before, asso.text()
    assert _weekday(event, language) in asso.text() and wrong in asso.text(), asso.text()
    right = _weekday(event, language)
    await asso.say(f"sorry, {right} June {event.day}" if english else f"pardon, le {right} {event.day} juin")  # typed again
    assert expiries(app) == [(event + timedelta(days=1)).isoformat()], asso.text()


async def test_a_dated_listing_keeps_the_correction_of_its_date(territory) -> None:  # type: ignore[no-untyped-def]
    """Guard: a description that names its date: the date said after it moves it, as before (redate30)."""
    app, _, people = territory
    asso = people["asso"]
    event = _event()
    await publish_need(asso, _sports_day(event, False))
    new = event + timedelta(days=7)
    await asso.say(f"ah non c'est le {_weekday(new, 'fr')} {new.day} juin finalement")
    assert expiries(app) == [(new + timedelta(days=1)).isoformat()], asso.text()
    assert _description(app).count(" juin") == 1, _description(app)


async def test_a_date_after_something_else_was_asked_is_not_added(territory) -> None:  # type: ignore[no-untyped-def]
    """Guard: not right after publishing (another question asked meanwhile): the listing is left as it is."""
    app, _, people = territory
    asso = people["asso"]
    await publish_need(asso, UNDATED)
    before = (expiries(app), _description(app))
    await asso.say("/annonces")
    await asso.say("annuler")
    event = _event()
    await asso.say(f"ah et la fête c'est le {event.day} juin")
    assert (expiries(app), _description(app)) == before, asso.text()


async def test_a_new_need_for_a_date_is_not_a_date_added(territory) -> None:  # type: ignore[no-untyped-def]
    """Guard: « on cherche aussi des tables pour le 12 juin » right after publishing is another need, not this one's date."""
    app, _, people = territory
    asso = people["asso"]
    await publish_need(asso, UNDATED)
    before = (expiries(app), _description(app))
    event = _event()
    await asso.say(f"on cherche aussi des tables pour le {event.day} juin")
    assert (expiries(app)[:1], _description(app) if len(expiries(app)) == 1 else before[1]) == (before[0], before[1]), asso.text()
    assert rows(app, "SELECT description FROM listings ORDER BY id")[0][0] == UNDATED


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("ah et la fête c'est le samedi 12 juin", date(2027, 6, 12)),
        ("c pour la fete du quartier le 12 juin", date(2027, 6, 12)),
        ("oh and the party is on Saturday June 12", date(2027, 6, 12)),
        ("it's on June 12th by the way", date(2027, 6, 12)),
        ("le 2 ou le 3 juin", None),
        ("du 12 au 14 juin", None),
        ("jusqu'au 12 juin", None),
        ("merci !", None),
        ("c'est le 12 juin ou le 19 juin", None),
        ("ah non c'est le 19 juin finalement", None),  # a correction: nothing to correct (redate30)
        ("actually it's moved to June 19", None),
    ],
)
def test_the_day_added_is_one_day(typed: str, day: date | None) -> None:
    dated = event_dated(typed, UNDATED, date(2026, 12, 2))
    assert (dated.day if dated else None) == day, typed
    assert event_dated(typed, "On cherche des bénévoles pour la fête du 5 mars", date(2026, 12, 2)) is None, typed  # dated already


@pytest.mark.parametrize("typed", ["le 2 ou le 3 juin ?", "je pense le 2 ou 3 juin"])
async def test_two_days_said_date_nothing(territory, typed: str) -> None:  # type: ignore[no-untyped-def]
    """Guard: « le 2 ou le 3 juin » is no day of the event (nor a number of people)."""
    app, _, people = territory
    asso = people["asso"]
    await publish_need(asso, UNDATED)
    before = (expiries(app), _description(app))
    await asso.say(typed)
    assert (expiries(app)[:1], rows(app, "SELECT description FROM listings ORDER BY id")[0][0]) == (before[0], before[1]), asso.text()


# ---------------------------------------------------------------- 2. /evenements says the people


@pytest.mark.parametrize(
    ("language", "said", "shown"),
    [
        ("fr", "oui ! on sera là avec 3 bénévoles", "1 inscription, 3 personnes"),
        ("en", "yes! we'll be there with 3 volunteers", "1 registration, 3 people"),
    ],
)
async def test_own_events_say_the_people_coming(two_sides, language: str, said: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, "fr")
    await bob.say(said)
    marie = Person(app.runtime, alice.adapter, "marie")
    if language == "en":
        await _english(marie)
    await marie.say("/evenements" if language == "fr" else "/events")
    assert shown in marie.text(), marie.text()
    assert "1 inscrit" not in marie.text() and "1 registered" not in marie.text(), marie.text()


async def test_own_events_one_person_each_say_it_once(two_sides) -> None:  # type: ignore[no-untyped-def]
    """Guard: registrations of one person each: « 1 inscrit », as before."""
    app, alice, bob = two_sides
    await _invited(app, alice, bob, "fr")
    await bob.say("oui")
    marie = Person(app.runtime, alice.adapter, "marie")
    await marie.say("/evenements")
    assert "1 inscrit" in marie.text() and "personne" not in marie.text().split("Votre événement")[-1].split("\n")[1], marie.text()


# ---------------------------------------------------------------- 3. a reminder only when it can still be sent


async def _published_at(app, marie: Person, when: str, end: str) -> None:  # type: ignore[no-untyped-def]
    now = iso(app.runtime.clock())
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "tg", "marie", METROPOLE_LYON, "cli", now))
    await marie.say("/evenement")
    await marie.say("Forum des associations")
    await marie.say(when)
    await marie.say(end)
    await marie.say("Maison des associations, 28 rue du Tonkin")
    await marie.say("10 places")
    await marie.say("ok")
    await marie.say("ok")
    await marie.press("Publier")
    await deliver(app)


def _starts(app) -> str:  # type: ignore[no-untyped-def]
    with connect(app.config.db) as conn:
        return str(conn.execute("SELECT starts_at FROM events").fetchone()[0])


@pytest.mark.parametrize(("language", "said"), [("fr", "oui"), ("fr", "oui, on sera 3"), ("en", "yes"), ("en", "yes, 3 of us")])
async def test_no_reminder_promised_the_day_before_an_event_of_today(two_sides, clock, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    clock.now = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # Tuesday 04:00 in Paris
    if language == "en":
        await _english(bob)
    await _published_at(app, Person(app.runtime, alice.adapter, "marie"), "demain 9h", "12h")
    assert _starts(app).startswith("2026-11-24T08:00"), _starts(app)  # today 09:00 in Paris
    await bob.say(said)
    assert ("Inscrit·e" if language == "fr" else "Signed up") in bob.text(), bob.text()
    assert "la veille" not in bob.text() and "day before" not in bob.text(), bob.text()


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_the_reminder_is_promised_when_it_will_be_sent(two_sides, language: str) -> None:  # type: ignore[no-untyped-def]
    """Guard: an event in 10 days: the reminder the day before is said, as before."""
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say("oui" if language == "fr" else "yes")
    assert ("la veille" if language == "fr" else "day before") in bob.text(), bob.text()


# ---------------------------------------------------------------- 4. « 2 ou 3 »: the upper bound reserved


@pytest.mark.parametrize(
    ("said", "people"),
    [
        ("on sera 2 ou 3", 3),
        ("oui, on sera 2 ou 3", 3),
        ("on viendra à 2 ou 3", 3),
        ("oui avec 2 ou 3 bénévoles", 3),
        ("oui, 3 ou 4 personnes", 4),
        ("on sera deux ou trois", 3),
        ("on sera 2-3", 3),
        ("on sera entre 2 et 4", 4),
        ("yes, 2 or 3 of us will come", 3),
        ("we'll be 2 or 3", 3),
        ("we'll be 2 to 4", 4),
        ("on sera 3", 3),
        ("le 2 ou le 3 juin", None),
        ("le 2 ou 3 juin", None),
        ("dispo le 2 ou le 3", None),
        ("on the 2nd or 3rd of June", None),
    ],
)
def test_a_range_of_people_counts_its_upper_bound(said: str, people: int | None) -> None:
    assert people_coming(said) == people, said


def _people(app) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    with connect(app.config.db) as conn:
        sql = "SELECT p.status, p.people FROM event_people p JOIN identities i ON i.actor_id = p.actor_id WHERE i.user_id = 'bob'"
        return [(str(r[0]), int(r[1])) for r in conn.execute(sql).fetchall()]


@pytest.mark.parametrize(
    ("language", "said", "shown"),
    [
        ("fr", "oui, on sera 2 ou 3", "3 places réservées"),
        ("fr", "on viendra à deux ou trois", "3 places réservées"),
        ("en", "yes, we'll be 2 or 3", "3 places held"),
    ],
)
async def test_a_range_reserves_its_upper_bound_and_says_so(two_sides, language: str, said: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say(said)
    assert _people(app) == [("registered", 3)], bob.text()
    assert shown in bob.text(), bob.text()


async def test_a_changed_range_reserves_its_upper_bound(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, "fr")
    await bob.say("oui on sera 2")
    await bob.say("finalement on sera 4 ou 5")
    assert _people(app) == [("registered", 5)], bob.text()
    assert "5 places réservées" in bob.text(), bob.text()
