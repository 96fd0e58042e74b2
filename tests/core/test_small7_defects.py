"""Defects found by people playing new users on a fresh clone (small7, 2026-11-30): confirmations
at a list of ticks, the command a kept draft names, the e-mail shown once, "the" before an
intercommunality in English, a weekday that does not match its date, a listing published twice."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import get_day_names, get_month_names

from conversations.contacts import contact_lines
from conversations.expiry import read_expiry
from conversations.i18n import translate
from conversations.moments import read_moment, read_span
from core.clock import utcnow
from tests.core.people import Person
from tests.core.test_coordination import rows, territory  # noqa: F401  (fixture)

pytestmark = pytest.mark.backends


async def _english(someone: Person) -> None:
    await someone.say("/reglages")
    await someone.press(next(c.label for c in someone.question.choices if "angue" in c.label))
    await someone.press("English")


# ---------------------------------------------------------------- 1. a list of ticks finished by a confirmation

_DONE_FR = [
    "oui",
    "Oui !",
    "c'est bon",
    "C’est bon",
    "valider",
    "ça ira",
    "ok",
    "d'accord",
    "oui c'est bon",
    "c'est tout",
    "voilà",
    "ouii",
    "👍",
]
_DONE_EN = ["yes", "done", "that's it", "ok", "Yes please", "all done", "that's all", "yep"]


@pytest.mark.parametrize("typed", _DONE_FR)
async def test_a_confirmation_finishes_the_profile_themes(app, person, typed: str) -> None:
    """Tester: at « Sur quels thèmes agissez-vous ? » with themes ticked, « oui » was refused « Je n'ai
    pas reconnu ce choix »; only « ok » was accepted."""
    alice: Person = person()
    await alice.onboard()
    await alice.say("/profil")
    await alice.press("Thèmes")
    await alice.say(typed)
    said = alice.text()
    assert "reconnu ce choix" not in said and "C'est modifié" in said, said


@pytest.mark.parametrize("typed", _DONE_EN)
async def test_a_confirmation_finishes_the_profile_themes_in_english(app, person, typed: str) -> None:
    alice: Person = person()
    await alice.onboard()
    await _english(alice)
    await alice.say("/profil")
    await alice.press(alice.question.choices[3].label)  # Themes
    await alice.say(typed)
    said = alice.text()
    assert "recognise" not in said.lower() and "updated" in said.lower(), said


@pytest.mark.parametrize(("types", "themes"), [("oui", "c'est bon"), ("valider", "ça ira"), ("d'accord", "oui c'est tout")])
async def test_a_confirmation_finishes_the_event_audience(territory, types: str, themes: str) -> None:
    """Every multi-choice question reads the same confirmations: an event's types and themes (all ticked)."""
    app, _, people = territory
    marie = people["marie"]
    await marie.say("/evenement")
    await marie.say("Forum des associations")
    when = (utcnow() + timedelta(days=10)).astimezone(ZoneInfo("Europe/Paris"))
    await marie.say(when.strftime("%d/%m/%Y 18h30"))
    await marie.say("20h")
    await marie.say("Maison des associations, 28 rue du Tonkin")
    await marie.say("30")
    await marie.say(types)
    assert "reconnu ce choix" not in marie.text(), marie.text()
    await marie.say(themes)
    assert "reconnu ce choix" not in marie.text() and "« Forum des associations »" in marie.question.text, marie.text()


@pytest.mark.parametrize("typed", ["non", "no", "nope"])
async def test_other_words_at_the_themes_are_not_a_confirmation(app, person, typed: str) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/profil")
    await alice.press("Thèmes")
    await alice.say(typed)
    assert "C'est modifié" not in alice.text(), alice.text()


async def test_a_confirmation_with_nothing_ticked_asks_for_one(app, person) -> None:
    alice: Person = person()
    await alice.say("/start")
    await alice.press("Association")
    await alice.say("Les Jardins")
    await alice.say("Villeurbanne")
    await alice.press("Oui")
    themes = alice.question.text
    await alice.say("oui")
    assert "au moins" in alice.text() and alice.question.text == themes, alice.text()


# ---------------------------------------------------------------- 2. the command a kept draft names


@pytest.mark.parametrize(
    ("english", "typed", "command", "other"),
    [
        (False, "on cherche aussi une salle pour une formation", "/besoin", "/offre"),
        (False, "slt on a besoin dun frigo pr lepicerie", "/besoin", "/offre"),
        (False, "Nous pouvons prêter notre camionnette le week-end", "/offre", "/besoin"),
        (True, "we also need a room for a training session", "/need", "/offer"),
        (True, "we can lend our van at weekends", "/offer", "/need"),
    ],
)
async def test_a_kept_draft_names_its_own_command(app, person, english: bool, typed: str, command: str, other: str) -> None:
    """Tester: « c'est un besoin, je le garde en brouillon. Tapez /besoin ou /offre » — the bot knows
    it is a need."""
    alice: Person = person()
    await alice.onboard()
    if english:
        await _english(alice)
    await alice.say("/profil")
    await alice.say(typed)
    note = next(line for line in alice.text().splitlines() if "brouillon" in line or "draft" in line)
    assert command in note and other not in note, note


# ---------------------------------------------------------------- 3. the e-mail shown once


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_email_is_written_once(language: str) -> None:
    [line] = contact_lines(language, platform=None, handle=None, email="marie@example.org", phone=None)
    assert line.count("marie@example.org") == 1 and "mailto" not in line, line


async def test_the_profile_shows_the_email_once(app, person) -> None:
    """Tester: /profil showed « e-mail x — mailto:x »."""
    alice: Person = person()
    await alice.onboard()
    await alice.say("/profil")
    await alice.press("Contact partagé")
    await alice.say("marie@example.org")
    await alice.say("/profil")
    said = alice.text()
    assert said.count("marie@example.org") == 1 and "mailto" not in said, said


# ---------------------------------------------------------------- 4. "the" before an intercommunality in English


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Métropole de Lyon", "in the Métropole de Lyon"),
        ("Métropole Européenne de Lille", "in the Métropole Européenne de Lille"),
        ("CC du Pays de Gex", "in the CC du Pays de Gex"),
        ("CA du Grand Annecy", "in the CA du Grand Annecy"),
        ("CU Caen la Mer", "in the CU Caen la Mer"),
        ("Eurométropole de Strasbourg", "in the Eurométropole de Strasbourg"),
        ("Toulouse Métropole", "in Toulouse Métropole"),
    ],
)
def test_an_intercommunality_takes_the_in_english(name: str, shown: str) -> None:
    """Tester: "you both work for food in Métropole de Lyon" (French: « dans la Métropole de Lyon »)."""
    assert shown in translate("en", "match.together_in_epci", themes_the="food", epci=name)
    assert shown.replace("in ", "both in ", 1) == translate("en", "match.in_epci", epci=name)
    assert f"dans la {name}" in translate("fr", "match.together_in_epci", themes_the="l'alimentation", epci=name)  # unchanged


@pytest.mark.parametrize(
    ("area", "shown"), [("Métropole de Lyon", "of the Métropole de Lyon"), ("Villeurbanne", "of Villeurbanne"), ("Rhône", "of Rhône")]
)
def test_an_area_in_an_english_sentence(area: str, shown: str) -> None:
    """A commune or a département takes no article; an area in a sentence is read the same way."""
    assert shown in translate("en", "invite.welcome_area", area=area)
    assert translate("en", "stats.title", area=area).endswith(f"— {area}")  # a title: the name alone


# ---------------------------------------------------------------- 5. a weekday that does not match its date

_NOW = datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.mark.parametrize(
    "typed",
    [
        "samedi 12 avril",
        "le samedi 12 avril à 10h",
        "samedi 12 avril de 10h à 17h",
        "Saturday 12 April",
        "Saturday April 12th 2pm",
        "samedi 12 avril 2027",
    ],
)
def test_a_weekday_that_is_not_the_dates_is_refused(typed: str) -> None:
    """Tester: « samedi 12 avril » was accepted although 12 April 2027 is a Monday."""
    from conversations.moments import WrongWeekday  # (new: the base has none)

    with pytest.raises(WrongWeekday) as raised:
        read_span(typed, _NOW)
    assert raised.value.day == date(2027, 4, 12)
    assert raised.value.params("fr") == {"day": "12 avril 2027", "weekday": "lundi", "said": "samedi"}
    assert raised.value.params("en")["weekday"] == "Monday" and raised.value.params("en")["said"] == "Saturday"


@pytest.mark.parametrize("typed", ["lundi 12 avril", "Monday 12 April 10am", "le lundi 12 avril 2027", "samedi 12 décembre 10h"])
def test_a_weekday_that_is_the_dates_is_read(typed: str) -> None:
    assert read_moment(typed, _NOW) is not None


@pytest.mark.parametrize("typed", ["jusqu'au samedi 12 avril", "until Saturday 12 April"])
def test_an_end_date_with_the_wrong_weekday_is_refused(typed: str) -> None:
    from conversations.moments import WrongWeekday

    with pytest.raises(WrongWeekday):
        read_expiry(typed, _NOW.date())


def _wrong_weekday(language: str, days: int) -> tuple[str, str, str]:
    """A date ``days`` from now written with another day of the week: (typed, the real day, the one said)."""
    day = utcnow().astimezone(ZoneInfo("Europe/Paris")).date() + timedelta(days=days)
    names = get_day_names("wide", locale=language)
    wrong = (day.weekday() + 3) % 7
    month = get_month_names("wide", locale=language)[day.month]
    typed = f"{names[wrong]} {day.day} {month}"
    return typed, str(names[day.weekday()]), str(names[wrong])


async def test_an_event_date_with_the_wrong_weekday_is_refused_in_french(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    await marie.say("/evenement")
    await marie.say("Forum des associations")
    asked = marie.question.text
    typed, real, said = _wrong_weekday("fr", 20)
    await marie.say(typed + " 18h")
    text = marie.text()
    assert f"est un {real}, pas un {said}" in text and marie.question.text == asked, text
    right = typed.replace(said, real, 1)
    await marie.say(right + " 18h")
    assert marie.question.text != asked, marie.text()


async def test_an_event_date_with_the_wrong_weekday_is_refused_in_english(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    await _english(marie)
    await marie.say("/evenement")
    await marie.say("Neighbourhood forum")
    asked = marie.question.text
    typed, real, said = _wrong_weekday("en", 25)
    await marie.say(typed + " 6pm")
    text = marie.text()
    assert f"is a {real}, not a {said}" in text and marie.question.text == asked, text


@pytest.mark.parametrize(
    ("language", "need", "until"),
    [
        ("fr", "On cherche des bénévoles pour la distribution", "jusqu'au"),
        ("en", "We are looking for volunteers to hand out food", "until"),
    ],
)
async def test_an_end_date_with_the_wrong_weekday_changes_nothing(territory, language: str, need: str, until: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    if language == "en":
        await _english(asso)
    await asso.say(need)
    await asso.press(asso.question.choices[0].label)  # the commune: published
    before = rows(app, "SELECT expires_at FROM listings")
    typed, real, said = _wrong_weekday(language, 40)
    await asso.say(f"{until} {typed}")
    text = asso.text()
    assert real in text and said in text and rows(app, "SELECT expires_at FROM listings") == before, text
    day = utcnow().astimezone(ZoneInfo("Europe/Paris")).date() + timedelta(days=40)
    await asso.say(f"{until} {typed.replace(said, real, 1)}")  # typed again, right: taken
    assert rows(app, "SELECT expires_at FROM listings") == [(day.isoformat(),)] or str(rows(app, "SELECT expires_at FROM listings")[0][0])[
        :10
    ] == (day.isoformat()), asso.text()


# ---------------------------------------------------------------- 6. the same listing published twice

_SAME = [
    (
        "fr",
        "On cherche des bénévoles pour la distribution du samedi matin",
        "on cherche des bénévoles pour la distribution du samedi matin !",
    ),
    (
        "fr",
        "On cherche des bénévoles pour la distribution du samedi matin",
        "On  cherche des bénévoles, pour la distribution du samedi matin.",
    ),
    (
        "en",
        "We are looking for volunteers to hand out food on Saturday mornings",
        "we are looking for volunteers to hand out food on saturday mornings",
    ),
]


def _open_listings(app) -> int:  # type: ignore[no-untyped-def]
    return len(rows(app, "SELECT id FROM listings WHERE status = 'open'"))


@pytest.mark.parametrize(("language", "first", "again"), _SAME)
async def test_the_same_listing_twice_is_announced_and_kept_once(territory, language: str, first: str, again: str) -> None:
    """Tester: the same need published twice by the same actor without a word."""
    app, _, people = territory
    asso = people["asso"]
    if language == "en":
        await _english(asso)
    await asso.say(first)
    await asso.press(asso.question.choices[0].label)
    assert _open_listings(app) == 1
    await asso.say("/menu")
    await asso.say(again)
    await asso.press(asso.question.choices[0].label)
    text = asso.text()
    assert ("déjà cette annonce" in text or "already have this listing" in text) and _open_listings(app) == 1, text
    await asso.press(asso.question.choices[0].label)  # keep the existing one
    assert _open_listings(app) == 1, asso.text()
    assert "rien publié" in asso.text() or "published nothing" in asso.text(), asso.text()


async def test_the_same_listing_may_be_published_anyway(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    await asso.say("On cherche des bénévoles pour la distribution du samedi matin")
    await asso.press(asso.question.choices[0].label)
    await asso.say("/menu")
    await asso.say("on cherche des bénévoles pour la distribution du samedi matin")
    await asso.press(asso.question.choices[0].label)
    await asso.press("Publier quand même")
    assert _open_listings(app) == 2, asso.text()


@pytest.mark.parametrize(
    "other",
    [
        "On cherche des bénévoles pour la distribution du dimanche matin",  # another text
        "Nous pouvons prêter des bénévoles pour la distribution du samedi matin",  # an offer
    ],
)
async def test_another_listing_is_published_without_a_word(territory, other: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    await asso.say("On cherche des bénévoles pour la distribution du samedi matin")
    await asso.press(asso.question.choices[0].label)
    await asso.say("/menu")
    await asso.say(other)
    await asso.press(asso.question.choices[0].label)
    assert "déjà cette annonce" not in asso.text() and _open_listings(app) == 2, asso.text()
