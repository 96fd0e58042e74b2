"""A changed event date never reached the listing (redate30, 1 December 2026): a town hall published « …pour la
fête du sport le samedi 12 juin… » (visible until 13 June, the day after); right after, « ah non pardon c'est le
samedi 19 juin finalement » and « euh non, le 26 juin, le 19 y a les élections » were « Je n'ai pas compris »;
« jusqu'au 21 mars alors » was not read (a trailing « alors »); « non finalement jusqu'au 28 mars, c'est reporté »
moved the end but left « 14 mars » in the description; in /annonces « changer la date » was no choice, and a
description edited to « 19 juin » left the end on the 13th — the listing gone a week before the event, silently."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, get_day_names

from conversations.expiry import Expiry, event_redated, read_expiry
from conversations.i18n import first_of_month
from conversations.moments import WrongWeekday
from core.clock import utcnow
from tests.core.people import Person
from tests.core.test_coordination import rows, territory  # noqa: F401  (fixture)
from tests.core.test_event_listing_defects import expiries, publish_need

pytestmark = pytest.mark.backends

TODAY = date(2026, 12, 1)
SPORTS_DAY = "Bonjour, la mairie cherche des bénévoles pour la fête du sport le samedi 12 juin, merci"
SPORTS_DAY_EN = "The town hall needs volunteers for the sports day on Saturday, June 12."


# ---------------------------------------------------------------- 1. the event's date said again (pure)


@pytest.mark.parametrize(
    ("typed", "day", "end", "written"),
    [
        ("ah non pardon c'est le samedi 19 juin finalement", date(2027, 6, 19), date(2027, 6, 20), "samedi 19 juin"),
        ("euh non, le 26 juin, le 19 y a les élections", date(2027, 6, 26), date(2027, 6, 27), "samedi 26 juin"),
        ("ah non, le 26", date(2027, 6, 26), date(2027, 6, 27), "samedi 26 juin"),
        ("c'est le 19 alors", date(2027, 6, 19), date(2027, 6, 20), "samedi 19 juin"),
        ("oups erreur, c'est le 26 juin du coup", date(2027, 6, 26), date(2027, 6, 27), "samedi 26 juin"),
        ("non c'est reporté au 3 juillet", None, None, None),  # « reporté au »: not said as the day (kept as it was)
        ("jusqu'au 20 juin alors", date(2027, 6, 20), date(2027, 6, 20), "dimanche 20 juin"),
        ("non finalement jusqu'au 26 juin, c'est reporté", date(2027, 6, 26), date(2027, 6, 26), "samedi 26 juin"),
        ("actually it's on June 19th", date(2027, 6, 19), date(2027, 6, 20), "samedi 19 juin"),
        ("sorry, it's the 26th", date(2027, 6, 26), date(2027, 6, 27), "samedi 26 juin"),
        ("oh no, the 19th then", date(2027, 6, 19), date(2027, 6, 20), "samedi 19 juin"),
        ("merci beaucoup", None, None, None),
        ("pour 6 mois", None, None, None),
        ("jusqu'à fin juin", None, None, None),
    ],
)
def test_the_event_s_date_said_again_moves_the_end_and_the_description(
    typed: str, day: date | None, end: date | None, written: str | None
) -> None:
    read = event_redated(typed, SPORTS_DAY, date(2027, 6, 13), TODAY)
    if day is None:
        assert read is None, typed
        return
    assert read is not None, typed
    assert (read.day, read.end, read.said, read.written) == (day, end, "samedi 12 juin", written), typed
    assert read.description == SPORTS_DAY.replace("samedi 12 juin", str(written)), typed


def test_an_english_description_keeps_its_language() -> None:
    read = event_redated("no wait, it's on the 26th", SPORTS_DAY_EN, date(2027, 6, 13), TODAY)
    assert read is not None
    assert read.description == "The town hall needs volunteers for the sports day on Saturday, June 26."


@pytest.mark.parametrize("typed", ["c'est le dimanche 19 juin finalement", "actually it's on Sunday June 19", "ah non, le dimanche 26"])
def test_a_weekday_not_the_date_s_is_refused(typed: str) -> None:
    with pytest.raises(WrongWeekday) as wrong:
        event_redated(typed, SPORTS_DAY, date(2027, 6, 13), TODAY)
    assert wrong.value.params("fr")["weekday"] == "samedi"


def test_an_end_not_drawn_from_the_description_is_not_moved() -> None:
    """Guard: the end was changed since (« pour 6 mois »), or the description dates nothing."""
    assert event_redated("c'est le 19 juin finalement", SPORTS_DAY, date(2027, 6, 1), TODAY) is None
    assert event_redated("c'est le 19 juin finalement", "On cherche des bénévoles", date(2027, 3, 1), TODAY) is None


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("jusqu'au 21 mars alors", date(2027, 3, 21)),
        ("jusqu'à fin juin du coup", date(2027, 6, 30)),
        ("alors jusqu'au 21 mars", date(2027, 3, 21)),
        ("until March 21 then", date(2027, 3, 21)),
        ("ok so for 6 months then", date(2027, 6, 1)),
    ],
)
def test_a_trailing_alors_is_not_the_duration(typed: str, day: date) -> None:
    assert read_expiry(typed, TODAY) == Expiry(day), typed


# ---------------------------------------------------------------- 2. in the conversation


def _today() -> date:
    return utcnow().astimezone(ZoneInfo("Europe/Paris")).date()


def _next(month: int, day: int) -> date:
    today = _today()
    found = date(today.year, month, day)
    return found if found > today + timedelta(days=1) else date(today.year + 1, month, day)


def _weekday(day: date, language: str) -> str:
    return str(get_day_names("wide", locale=language)[day.weekday()])


def _written(day: date, language: str) -> str:
    return first_of_month(format_date(day, format="long", locale=language), day.day, language)


def _description(app) -> str:  # type: ignore[no-untyped-def]
    return str(rows(app, "SELECT description FROM listings ORDER BY id")[-1][0])


async def _english(person: Person) -> None:
    await person.say("/reglages")
    await person.press(next(c.label for c in person.question.choices if "angue" in c.label))
    await person.press("English")


def _event() -> date:
    return _next(6, 12)


def _sports_day(event: date, english: bool) -> str:
    if english:
        return f"We are looking for volunteers for the sports day on {_weekday(event, 'en')} June {event.day}, thanks"
    return f"On cherche des bénévoles pour la fête du sport le {_weekday(event, 'fr')} {event.day} juin, merci"


@pytest.mark.parametrize(
    ("english", "typed", "moved"),
    [
        (False, "ah non pardon c'est le {wd} {d} juin finalement", 7),
        (False, "euh non, le {d} juin, le {d0} y a les élections", 14),
        (False, "ah non, le {d}", 14),
        (False, "ah non erreur c'est le {d} juin", 7),
        (True, "actually it's on {wd_en} June {d}", 7),
        (True, "sorry, it's the {d}th", 14),
        (True, "oh no, the {d}th then", 7),
    ],
)
async def test_a_corrected_event_date_just_after_publishing(territory, english: bool, typed: str, moved: int) -> None:
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _english(asso)
    event = _event()
    await publish_need(asso, _sports_day(event, english))
    assert expiries(app) == [(event + timedelta(days=1)).isoformat()], asso.text()
    new = event + timedelta(days=moved)
    await asso.say(typed.format(wd=_weekday(new, "fr"), wd_en=_weekday(new, "en"), d=new.day, d0=event.day + 7))
    assert expiries(app) == [(new + timedelta(days=1)).isoformat()], asso.text()
    month = "June" if english else "juin"
    written = f"{_weekday(new, 'en')}, June {new.day}" if english else f"{_weekday(new, 'fr')} {new.day} juin"
    assert written in _description(app) and f" {event.day} {month}" not in _description(app), _description(app)
    said = _written(new + timedelta(days=1), "en" if english else "fr")
    assert written in asso.text() and said in asso.text(), asso.text()
    assert ("stays visible until" if english else "reste visible jusqu'au") in asso.text(), asso.text()


async def test_a_corrected_event_date_with_the_wrong_weekday_is_refused(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    event = _event()
    await publish_need(asso, _sports_day(event, False))
    before = (expiries(app), _description(app))
    new = event + timedelta(days=7)
    wrong = _weekday(new + timedelta(days=1), "fr")
    await asso.say(f"ah non c'est le {wrong} {new.day} juin finalement")
    assert (expiries(app), _description(app)) == before
    assert _weekday(new, "fr") in asso.text() and wrong in asso.text(), asso.text()
    await asso.say(f"pardon, le {_weekday(new, 'fr')} {new.day} juin")  # typed again: still the listing just published
    assert expiries(app) == [(new + timedelta(days=1)).isoformat()], asso.text()


@pytest.mark.parametrize("typed", ["non finalement jusqu'au {d} mars, c'est reporté", "jusqu'au {d} mars alors"])
async def test_an_end_said_after_publishing_moves_the_description_s_date(territory, typed: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    event = _next(3, 14)
    await publish_need(asso, f"On cherche des bénévoles pour le carnaval du {event.day} mars")
    assert expiries(app) == [(event + timedelta(days=1)).isoformat()], asso.text()
    new = event + timedelta(days=7)
    await asso.say(typed.format(d=new.day))
    assert expiries(app) == [new.isoformat()], asso.text()
    assert f"{new.day} mars" in _description(app) and f"{event.day} mars" not in _description(app), _description(app)
    assert f"{new.day} mars" in asso.text(), asso.text()


async def test_a_corrected_date_leaves_a_listing_without_a_date_alone(territory) -> None:
    """Guard: a description that dates nothing; an end already changed since."""
    app, _, people = territory
    asso = people["asso"]
    await publish_need(asso)
    before = (expiries(app), _description(app))
    await asso.say("ah non c'est le 19 juin finalement")
    assert (expiries(app), _description(app)) == before


async def _at_listing(asso: Person) -> None:
    await asso.say("/annonces")
    await asso.press(asso.question.choices[0].label)


@pytest.mark.parametrize(
    ("english", "asked", "typed"),
    [
        (False, "changer la date", "c'est le {wd} {d} juin finalement"),
        (False, "modifier la date", "ah non, le {d}"),
        (False, "Changer la date de fin", "c'est le {d} juin du coup"),
        (True, "change the date", "actually it's on {wd_en} June {d}"),
        (True, "Change the end date", "sorry, it's the {d}th"),
    ],
)
async def test_changer_la_date_in_annonces(territory, english: bool, asked: str, typed: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _english(asso)
    event = _event()
    await publish_need(asso, _sports_day(event, english))
    await _at_listing(asso)
    await asso.say(asked)
    assert ("Renew for how long" if english else "Prolonger pour combien de temps") in asso.text(), asso.text()
    new = event + timedelta(days=7)
    await asso.say(typed.format(wd=_weekday(new, "fr"), wd_en=_weekday(new, "en"), d=new.day))
    assert expiries(app) == [(new + timedelta(days=1)).isoformat()], asso.text()
    assert f"{new.day} {'June' if english else 'juin'}" in _description(app) or f"June {new.day}" in _description(app)
    assert _written(new + timedelta(days=1), "en" if english else "fr") in asso.text(), asso.text()


@pytest.mark.parametrize("english", [False, True])
async def test_an_edited_description_s_date_moves_the_end(territory, english: bool) -> None:
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _english(asso)
    event = _event()
    await publish_need(asso, _sports_day(event, english))
    await _at_listing(asso)
    await asso.press(asso.question.choices[0].label)  # the text
    new = event + timedelta(days=7)
    await asso.say(_sports_day(new, english))
    assert expiries(app) == [(new + timedelta(days=1)).isoformat()], asso.text()
    assert _written(new + timedelta(days=1), "en" if english else "fr") in asso.text(), asso.text()


async def test_an_edited_description_with_a_wrong_weekday_keeps_the_end(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    event = _event()
    await publish_need(asso, _sports_day(event, False))
    before = expiries(app)
    await _at_listing(asso)
    await asso.press(asso.question.choices[0].label)
    new = event + timedelta(days=7)
    await asso.say(f"On cherche des bénévoles pour la fête du sport le {_weekday(new + timedelta(days=1), 'fr')} {new.day} juin")
    assert expiries(app) == before, asso.text()
    assert _weekday(new, "fr") in asso.text(), asso.text()
