"""Durations and answers refused to people playing users (dur9, 1 December 2026): after publishing,
« ah non c jusqu'a fin juin en fait » was not read, nor her next « jusqu'a fin juin » (only the first
message after publishing was read as a duration), nor « Jusqu'à fin juin, je vous prie. »; at
« Prolonger » « Jusqu'au samedi 13 juin inclus, date de la manifestation. » was no choice (and the
weekday never checked); "for 6 months" after 4 offers of one message changed only the last one;
"6 months" counted 180 days while the default 3 months were calendar months; at a listing's zone
« Sur la commune de Villeurbanne uniquement, s'il vous plaît. », at /diffuser's area « tout le rhône »,
at the themes « ajoute aussi le 5 », at /supprimer « oui tout supprimer » were refused."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, get_day_names

from conversations.expiry import Expiry, read_expiry
from conversations.flows import expires_at
from conversations.i18n import first_of_month
from conversations.moments import WrongWeekday
from core import catalog
from core.clock import iso, utcnow
from storage import coordination
from tests.core.people import Person
from tests.core.test_coordination import METROPOLE_LYON, rows, territory  # noqa: F401  (fixture)
from tests.core.test_event_listing_defects import _month_end, expiries, publish_need
from tests.core.test_safety4 import _has_profile

pytestmark = pytest.mark.backends

TODAY = date(2026, 12, 1)


def _today() -> date:
    return utcnow().astimezone(ZoneInfo("Europe/Paris")).date()


def _months_on(day: date, months: int) -> date:
    """The same day ``months`` calendar months on, or that month's last day."""
    year, month = day.year + (day.month - 1 + months) // 12, (day.month - 1 + months) % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _written(day: date, language: str) -> str:
    return first_of_month(format_date(day, format="long", locale=language), day.day, language)


async def _english(person: Person) -> None:
    await person.say("/reglages")
    await person.press(next(c.label for c in person.question.choices if "angue" in c.label))
    await person.press("English")


# ---------------------------------------------------------------- 1-2. a duration with words around it


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("ah non c jusqu'a fin juin en fait", date(2027, 6, 30)),
        ("non, jusqu'à fin juin", date(2027, 6, 30)),
        ("Jusqu'à fin juin, je vous prie.", date(2027, 6, 30)),
        ("jusqu'à fin juin svp", date(2027, 6, 30)),
        ("ah non pardon, pour 6 mois", date(2027, 6, 1)),
        ("no wait, until the end of June please", date(2027, 6, 30)),
        ("no, until the end of June actually", date(2027, 6, 30)),
        ("until the end of June, thanks", date(2027, 6, 30)),
        ("Jusqu'au dimanche 13 juin inclus, date de la manifestation.", date(2027, 6, 13)),
        ("jusqu'au 13 juin inclusivement", date(2027, 6, 13)),
        ("jusqu'au 13 juin compris - c'est la fête du quartier", date(2027, 6, 13)),
        ("until Sunday June 13 inclusive, the day of the event", date(2027, 6, 13)),
        ("until June 13 included", date(2027, 6, 13)),
    ],
)
def test_words_around_a_duration_are_not_it(typed: str, day: date) -> None:
    assert read_expiry(typed, TODAY) == Expiry(day), typed


@pytest.mark.parametrize(
    "typed",
    [
        "Jusqu'au samedi 13 juin inclus, date de la manifestation.",
        "until Saturday June 13 inclusive, the day of the event",
    ],
)
def test_a_wrong_weekday_with_an_explanation_is_said(typed: str) -> None:
    with pytest.raises(WrongWeekday):
        read_expiry(typed, TODAY)


@pytest.mark.parametrize("typed", ["non", "no", "non merci", "no thanks", "On cherche un local, pour nos réunions", "merci !"])
def test_no_duration_is_read_in_other_words(typed: str) -> None:
    assert read_expiry(typed, TODAY) is None, typed


@pytest.mark.parametrize(
    ("english", "first", "then"),
    [
        (False, "ah non c jusqu'a fin juin en fait", None),
        (False, "Jusqu'à fin juin, je vous prie.", None),
        (False, "euh attendez", "jusqu'a fin juin"),
        (False, "merci", "ah non c jusqu'a fin juin en fait"),
        (True, "no wait, until the end of June please", None),
        (True, "hmm hold on", "until the end of June"),
    ],
)
async def test_a_duration_after_publishing_is_read_while_nothing_else_was_asked(
    territory, english: bool, first: str, then: str | None
) -> None:
    """Tester: « ah non c jusqu'a fin juin en fait » → « Je n'ai pas compris » — and her next
    « jusqu'a fin juin » refused as well: only the first message after publishing was read."""
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _english(asso)
        await publish_need(asso, "We are looking for volunteers to hand out food on Saturday mornings")
    else:
        await publish_need(asso)
    await asso.say(first)
    if then is not None:
        await asso.say(then)
    assert expiries(app) == [_month_end(6)], asso.text()
    day = _written(date.fromisoformat(_month_end(6)), "en" if english else "fr")
    assert (f"stays visible until {day}" if english else f"reste visible jusqu'au {day}") in asso.text(), asso.text()


async def test_a_duration_again_after_a_change_changes_it_again(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    await publish_need(asso)
    await asso.say("jusqu'à fin mars")
    assert expiries(app) == [_month_end(3)]
    await asso.say("ah non jusqu'à fin juin en fait")  # still the listing just published: nothing else was asked
    assert expiries(app) == [_month_end(6)], asso.text()


async def test_a_duration_after_another_question_is_not_the_listings(territory) -> None:
    """Guard: once something else was asked (/annonces, left), a duration is no longer the listing's."""
    app, _, people = territory
    asso = people["asso"]
    await publish_need(asso)
    [default] = expiries(app)
    await asso.say("/annonces")
    await asso.say("annuler")
    await asso.say("jusqu'à fin juin")
    assert expiries(app) == [default], asso.text()


def _next_13_june() -> date:
    today = _today()
    day = date(today.year, 6, 13)
    return day if day > today else date(today.year + 1, 6, 13)


async def _renewing(asso: Person) -> None:
    await asso.say("/annonces")
    await asso.press(asso.question.choices[0].label)
    await asso.press(next(c.label for c in asso.question.choices if c.label in ("Prolonger", "Renew")))


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "Jusqu'au {weekday} 13 juin inclus, date de la manifestation."),
        (False, "jusqu'au {weekday} 13 juin inclusivement"),
        (True, "Until {weekday} June 13 inclusive, the day of our event."),
        (True, "until June 13 included, that's the fair"),
    ],
)
async def test_an_end_day_included_with_its_reason_at_renew(territory, english: bool, typed: str) -> None:
    """Tester: « Jusqu'au samedi 13 juin inclus, date de la manifestation. » → « Je n'ai pas reconnu ce choix »."""
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _english(asso)
    await publish_need(asso)
    await _renewing(asso)
    day = _next_13_june()
    await asso.say(typed.format(weekday=get_day_names("wide", locale="en" if english else "fr")[day.weekday()]))
    assert expiries(app) == [day.isoformat()], asso.text()
    assert _written(day, "en" if english else "fr") in asso.text(), asso.text()


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "Jusqu'au {weekday} 13 juin inclus, date de la manifestation."),
        (True, "Until {weekday} June 13 inclusive, the day of our event."),
    ],
)
async def test_a_wrong_weekday_at_renew_is_said_and_changes_nothing(territory, english: bool, typed: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _english(asso)
    await publish_need(asso)
    before = expiries(app)
    await _renewing(asso)
    day = _next_13_june()
    names = get_day_names("wide", locale="en" if english else "fr")
    await asso.say(typed.format(weekday=names[(day.weekday() + 6) % 7]))
    assert expiries(app) == before, asso.text()
    assert names[day.weekday()] in asso.text() and "reconnu" not in asso.text() and "recognise" not in asso.text(), asso.text()


# ---------------------------------------------------------------- 3. several listings published together

FOUR = {
    "fr": "On peut prêter notre salle le mardi, notre camion le week-end, des bénévoles pour vos fêtes et des tables pliantes.",
    "en": "We can lend our room on Tuesdays, our van at weekends, volunteers for your events and folding tables.",
}


async def _four_published(app, asso: Person, language: str) -> None:  # type: ignore[no-untyped-def]
    if language == "en":
        await _english(asso)
    await asso.say(FOUR[language])
    for _ in range(4):  # the zone, then « Oui » to each other offer of the sentence
        await asso.press(asso.question.choices[0].label)
    assert len(expiries(app)) == 4, asso.text()


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("fr", "pour 6 mois", "vos 4 annonces restent visibles jusqu'au"),
        ("fr", "ah non c jusqu'à fin juin en fait", "vos 4 annonces restent visibles jusqu'au"),
        ("en", "for 6 months", "your 4 listings stay visible until"),
        ("en", "no wait, until the end of June", "your 4 listings stay visible until"),
    ],
)
async def test_a_duration_after_several_listings_of_one_message_is_for_all(territory, language: str, typed: str, said: str) -> None:
    """Tester: "for 6 months" after 4 offers of one message changed the room only; the others kept the default."""
    app, _, people = territory
    asso = people["asso"]
    await _four_published(app, asso, language)
    await asso.say(typed)
    until = _months_on(_today(), 6).isoformat() if "6" in typed else _month_end(6)
    assert expiries(app) == [until] * 4, asso.text()
    assert said in asso.text(), asso.text()


@pytest.mark.parametrize(
    ("language", "typed", "which"),
    [
        ("fr", "le camion pour 6 mois", 1),
        ("fr", "pour 6 mois pour la salle seulement", 0),
        ("en", "for 6 months for the room only", 0),
        ("en", "the folding tables until the end of June", 3),
    ],
)
async def test_a_duration_naming_one_of_them_is_for_that_one(territory, language: str, typed: str, which: int) -> None:
    app, _, people = territory
    asso = people["asso"]
    await _four_published(app, asso, language)
    [default, *_] = expiries(app)
    await asso.say(typed)
    changed = expiries(app)
    assert changed[which] != default and [e for k, e in enumerate(changed) if k != which] == [default] * 3, asso.text()


# ---------------------------------------------------------------- 4. months are calendar months everywhere


@pytest.mark.parametrize(
    ("typed", "months"),
    [("pour 6 mois", 6), ("6 mois", 6), ("for 6 months", 6), ("pendant un an", 12), ("a year", 12), ("un an", 12), ("Pour trois mois", 3)],
)
@pytest.mark.parametrize("today", [date(2026, 12, 1), date(2026, 8, 31), date(2027, 1, 31), date(2027, 3, 15)])
def test_months_typed_are_calendar_months_as_the_default_ones(typed: str, months: int, today: date) -> None:
    """ "6 months" was 180 days (30 May from 1 December) while the default 3 months gave 1 March."""
    read = read_expiry(typed, today)
    assert read == Expiry(_months_on(today, months)), typed
    noon = datetime(today.year, today.month, today.day, 12, tzinfo=ZoneInfo("UTC"))
    assert read.day is not None and read.day.isoformat() == expires_at(noon, months)


@pytest.mark.parametrize(
    ("today", "typed", "day"),
    [
        (date(2026, 12, 1), "pour 6 mois", date(2027, 6, 1)),
        (date(2026, 8, 31), "for 6 months", date(2027, 2, 28)),
        (date(2027, 1, 31), "pour 1 mois", date(2027, 2, 28)),
        (date(2026, 12, 1), "for 12 months", date(2027, 12, 1)),
        (date(2026, 12, 1), "sans date", date(2027, 12, 1)),
    ],
)
def test_months_keep_the_day_or_the_months_last(today: date, typed: str, day: date) -> None:
    read = read_expiry(typed, today)
    assert read is not None and read.day == day, typed


async def test_six_months_after_publishing_is_six_calendar_months(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    await publish_need(asso)
    await asso.say("pour 6 mois")
    assert expiries(app) == [_months_on(_today(), 6).isoformat()], asso.text()


# ---------------------------------------------------------------- 5. other answers refused


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "Sur la commune de Villeurbanne uniquement, s'il vous plaît."),
        (False, "la commune de Villeurbanne svp"),
        (False, "juste Villeurbanne, merci"),
        (True, "Only the town of Villeurbanne, please."),
        (True, "just Villeurbanne please"),
    ],
)
async def test_the_commune_named_at_a_listings_zone(territory, english: bool, typed: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _english(asso)
    await asso.say("On cherche des bénévoles pour la distribution du samedi matin")
    await asso.say(typed)
    assert rows(app, "SELECT zone_kind, zone_label FROM listings") == [("commune", "Villeurbanne (69)")], asso.text()


@pytest.mark.parametrize(
    "typed", ["tout le rhone", "tout le département", "Tout le Rhône svp", "the whole département", "all of the Rhône"]
)
async def test_a_whole_departement_at_broadcast_for_its_coordinator(territory, typed: str) -> None:
    app, _, people = territory
    boss = people["admin"]
    area = coordination.Area("departement", "69", "Rhône")
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "admin", area, "test:admin", iso(utcnow())))
    await boss.say("/diffuser")
    await boss.say(typed)
    assert [c.value for c in boss.question.choices] == list(catalog.ACTOR_TYPES), boss.text()  # the types, next


@pytest.mark.parametrize("typed", ["tout le rhone", "tout le département", "the whole département", "tout le Nord"])
async def test_a_whole_departement_beyond_the_territory_is_refused_by_name(territory, typed: str) -> None:
    app, _, people = territory  # a coordinator of the Métropole de Lyon: a territory asked (the Métropole or one commune of it)
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "claire", METROPOLE_LYON, "test:admin", iso(utcnow())))
    marie = Person(app.runtime, people["asso"].adapter, "claire")
    await marie.say("/diffuser")
    asked = marie.question.text
    await marie.say(typed)
    said = marie.text()
    assert "Métropole de Lyon" in said and ("Rhône (69)" in said or "Nord (59)" in said), said
    assert "pas compris" not in said and "reconnu" not in said, said
    assert marie.question.text == asked, said  # the area asked again


@pytest.mark.parametrize(
    ("english", "typed"),
    [(False, "ajoute aussi le 5"), (False, "et le 5 aussi"), (False, "rajoute le 5 stp"), (True, "add 5 too"), (True, "also 5")],
)
async def test_themes_added_in_words(territory, english: bool, typed: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _english(asso)
    await publish_need(asso)
    await asso.say("/annonces")
    await asso.press(asso.question.choices[0].label)
    await asso.press(next(c.label for c in asso.question.choices if "hème" in c.label or "heme" in c.label))
    await asso.say(typed)
    [[themes]] = rows(app, "SELECT themes FROM listings")
    assert "alimentation" in themes and "education_jeunesse" in themes, asso.text()  # the 5th theme added to the one ticked


@pytest.mark.parametrize(
    ("english", "typed"),
    [(False, "oui tout supprimer"), (False, "Oui, je veux tout supprimer"), (True, "yes delete everything"), (True, "yes, delete it all")],
)
async def test_an_explicit_yes_that_repeats_the_deletion_deletes(territory, english: bool, typed: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _english(asso)
    await asso.say("/delete" if english else "/supprimer")
    await asso.say(typed)
    assert not _has_profile(app, "asso"), asso.text()


@pytest.mark.parametrize(
    "typed", ["oui", "oui tout", "yes delete", "oui mais pas tout supprimer", "supprimer tout", "oui ne supprimez rien"]
)
async def test_a_bare_or_unclear_yes_still_deletes_nothing(territory, typed: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    await asso.say("/supprimer")
    await asso.say(typed)
    assert _has_profile(app, "asso"), asso.text()
