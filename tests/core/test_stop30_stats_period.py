"""The period of /stats as coordinators say it (trial 30): « cette année » counted the last 365
days; a period said in words is a calendar period (since 1 January, since the 1st, since Monday, the
whole previous year, month, week or quarter) and « les 30 derniers jours » stays a rolling window.
The figures say the period back in words, with its first and last days."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from conversations.periods import period_span, read_period
from core.clock import utcnow
from services.impact import _day
from tests.core.test_coordination import territory  # noqa: F401  (fixture)
from tests.core.test_diff8_broadcast import _coordinator

pytestmark = pytest.mark.backends
PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 12, 1)  # a Tuesday


@pytest.mark.parametrize(
    ("typed", "start", "end"),
    [
        ("cette année", date(2026, 1, 1), TODAY),
        ("sur cette année stp", date(2026, 1, 1), TODAY),
        ("depuis le début de l'année", date(2026, 1, 1), TODAY),
        ("depuis janvier", date(2026, 1, 1), TODAY),
        ("l'année en cours", date(2026, 1, 1), TODAY),
        ("this year", date(2026, 1, 1), TODAY),
        ("year to date", date(2026, 1, 1), TODAY),
        ("ce mois-ci", date(2026, 12, 1), TODAY),
        ("le mois en cours", date(2026, 12, 1), TODAY),
        ("this month", date(2026, 12, 1), TODAY),
        ("cette semaine", date(2026, 11, 30), TODAY),
        ("this week", date(2026, 11, 30), TODAY),
        ("l'an dernier", date(2025, 1, 1), date(2025, 12, 31)),
        ("l'année dernière", date(2025, 1, 1), date(2025, 12, 31)),
        ("l'année passée", date(2025, 1, 1), date(2025, 12, 31)),
        ("last year", date(2025, 1, 1), date(2025, 12, 31)),
        ("the previous year", date(2025, 1, 1), date(2025, 12, 31)),
        ("pour l'année 2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("le mois dernier", date(2026, 11, 1), date(2026, 11, 30)),
        ("last month", date(2026, 11, 1), date(2026, 11, 30)),
        ("la semaine dernière", date(2026, 11, 23), date(2026, 11, 29)),
        ("last week", date(2026, 11, 23), date(2026, 11, 29)),
        ("ce trimestre", date(2026, 10, 1), TODAY),
        ("le trimestre dernier", date(2026, 7, 1), date(2026, 9, 30)),
        # rolling windows: a number looked back on, or a unit without « ce » / « dernier »
        ("les 30 derniers jours", date(2026, 11, 1), TODAY),
        ("the last 30 days", date(2026, 11, 1), TODAY),
        ("le dernier mois", date(2026, 11, 1), TODAY),
        ("the last month", date(2026, 11, 1), TODAY),
        ("les 7 derniers jours", date(2026, 11, 24), TODAY),
        ("12 mois", date(2025, 12, 1), TODAY),
        ("sur un an", date(2025, 12, 1), TODAY),
        ("the past year", date(2025, 12, 1), TODAY),
        ("3 mois", date(2026, 9, 2), TODAY),
    ],
)
def test_periods_said_in_words_are_calendar_periods_and_numbers_rolling_windows(typed: str, start: date, end: date) -> None:
    period = read_period(typed, (30, 90, 365))
    assert period is not None and period_span(period, TODAY) == (start, end), period


@pytest.mark.parametrize("typed", ["1", "2", "derniers trucs", "the last days"])
def test_what_names_no_period_is_no_period(typed: str) -> None:
    assert read_period(typed, (30, 90, 365)) is None


def _line(name: str, start: date, end: date, language: str) -> str:
    if language == "fr":
        return f"{name} : du {_day(start, 'fr')} au {_day(end, 'fr')}"
    return f"{name}: {_day(start, 'en')} to {_day(end, 'en')}"


@pytest.mark.parametrize(
    ("typed", "language", "name", "period"),
    [
        ("cette année", "fr", "Cette année (depuis le 1er janvier)", "this_year"),
        ("ce mois-ci", "fr", "Ce mois-ci (depuis le 1er)", "this_month"),
        ("cette semaine", "fr", "Cette semaine (depuis lundi)", "this_week"),
        ("l'an dernier", "fr", "L'an dernier", "last_year"),
        ("les 30 derniers jours", "fr", "Les 30 derniers jours", "30"),
        ("this year", "en", "This year (since 1 January)", "this_year"),
        ("this month", "en", "This month (since the 1st)", "this_month"),
        ("this week", "en", "This week (since Monday)", "this_week"),
        ("last year", "en", "Last year", "last_year"),
        ("the last 30 days", "en", "The last 30 days", "30"),
    ],
)
async def test_stats_count_the_period_said_and_say_it_back(territory, typed: str, language: str, name: str, period: str) -> None:
    app, _, people = territory
    marie = people["marie"] if language == "fr" else await _coordinator(app, people, "john", language)
    await marie.say("/stats")
    await marie.say(typed)
    today = utcnow().astimezone(PARIS).date()
    start, end = period_span(period, today)
    assert _line(name, start, end, language) in marie.text(), marie.text()


async def test_a_year_to_come_is_said_and_asked_again(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    await marie.say("/stats")
    await marie.say(f"l'année {utcnow().year + 1}")
    assert "pas encore commencé" in marie.text() and "période" in marie.question.text, marie.text()
    await marie.say("cette année")
    assert "Cette année (depuis le 1er janvier)" in marie.text(), marie.text()


async def test_the_periods_offered_stay_rolling_windows(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    await marie.say("/stats")
    await marie.press("30 derniers jours")
    today = utcnow().astimezone(PARIS).date()
    assert _line("Les 30 derniers jours", today - timedelta(days=30), today, "fr") in marie.text(), marie.text()
