"""The period of ``/stats`` as people say it. Pure: no I/O.

A period said in words is a **calendar** period: « cette année » / "this year" runs from 1 January
to today, « ce mois-ci » / "this month" from the 1st, « cette semaine » / "this week" from Monday,
« ce trimestre » / "this quarter" from the quarter's first day, and « l'an dernier », « le mois
dernier », « la semaine dernière », « le trimestre dernier » (last year, month, week, quarter) are
the whole previous one. A number of days, weeks or months looked back on (« les 30 derniers jours »,
"the last 3 months", « sur un an », a bare « mois ») is a **rolling** window ending today.

A period is stored as a short text: the number of days of a rolling window (``"30"``), or the name
of a calendar period (``"this_year"``, ``"last_month"``…, ``"year_2025"``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from conversations.i18n import translate, translate_plural
from conversations.moments import read_days
from conversations.understanding import fold

CALENDAR_PERIODS: tuple[str, ...] = (
    "this_week",
    "last_week",
    "this_month",
    "last_month",
    "this_quarter",
    "last_quarter",
    "this_year",
    "last_year",
)
MAX_ROLLING_DAYS = 3 * 366
"""The longest rolling window read (« les 3 dernières années »)."""

_LAST = r"(?:dernier|derniere|passe|passee|precedent|precedente|last|previous|prior)"
_UNITS = {
    "week": r"(?:semaine|week)",
    "month": r"(?:mois|month)",
    "quarter": r"(?:trimestre|quarter)",
    "year": r"(?:annee|an|year)",
}
_SAID: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for unit, word in _UNITS.items()
    for name, pattern in (
        # « le mois dernier », « l'année passée », « l'an dernier », "last month", "the previous year"
        (f"last_{unit}", rf"(?:\b{word}\s+{_LAST}\b|(?<!the )\b(?:last|previous|prior)\s+{word}\b|\bthe previous\s+{word}\b)"),
        # « ce mois-ci », « cette année », « l'année en cours », « depuis le début du mois », "this year", "year to date"
        (
            f"this_{unit}",
            rf"(?:\b(?:ce|cet|cette)\s+{word}\b|\b{word}\s+(?:en cours|actuel|actuelle|courant|courante|ci)\b"
            rf"|\b(?:this|the current|current)\s+{word}\b|\b{word}\s+to date\b|\bdebut (?:de la |de l |du |de l')?{word}\b"
            rf"|\bstart of (?:the |this )?{word}\b)",
        ),
    )
)
_SINCE_JANUARY = re.compile(r"\b(?:depuis (?:le )?(?:1er |1 |premier )?janvier|since (?:1st |1 )?january(?: 1st| 1)?|ytd)\b")
_YEAR = re.compile(r"(?:^|\b(?:annee|an|year|en|in|pour|for|sur|of|de|l)\s+)(20\d\d)$")
"""A calendar year named by its number, at the end of what is typed (« pour l'année 2025 », "2025")."""
_ROLLING_WORDS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (90, re.compile(r"\b(?:trimestre|trimestriel|quarter|quarterly)\b")),
    (30, re.compile(r"\b(?:mois|month|monthly|mensuel)\b")),
    (7, re.compile(r"\b(?:semaine|week|weekly|hebdo|hebdomadaire)\b")),
    (365, re.compile(r"\b(?:an|annee|annuel|year|yearly|annual)\b")),
)
"""A unit said without a number nor « ce » / « dernier » (« sur le trimestre », « le dernier mois »,
"over the past year"): a rolling window of that length."""


def read_period(text: str, rolling: tuple[int, ...] = ()) -> str | None:
    """The period ``text`` names (see the module), None when it names none. ``rolling``: the windows
    a bare number may choose (« 90 »); otherwise a bare number is not read (an option's number)."""
    words = " ".join(fold(text).replace("-", " ").replace("'", " ").replace("’", " ").split())
    if _SINCE_JANUARY.search(words):
        return "this_year"
    year = _YEAR.search(words)
    if year is not None:  # « l'année 2025 », "in 2025": that calendar year (the current one: since 1 January)
        return f"year_{year[1]}"
    if not re.search(r"\d|\b(?:un|une|deux|trois|quatre|six|douze|one|two|three|four|six|twelve)\b", words):
        for name, pattern in _SAID:
            if pattern.search(words):
                return name
    days = read_days(text)
    if days is not None:
        if days in (360, 366):  # « 12 mois »: a year
            days = 365
        return str(days) if 0 < days <= MAX_ROLLING_DAYS else None
    for name, pattern in _SAID:  # « cette année 2026 »: said with a number that is no duration
        if pattern.search(words):
            return name
    bare = words.strip(" .")
    if bare.isdigit():
        return bare if int(bare) in rolling else None
    return next((str(span) for span, unit in _ROLLING_WORDS if unit.search(words)), None)


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def period_span(period: str, today: date) -> tuple[date, date]:
    """The first and last days (inclusive) of ``period`` seen from ``today``."""
    if period.isdigit():
        return today - timedelta(days=int(period)), today
    when, unit = period.split("_", 1)
    if when == "year":  # a year named by its number: the whole year, up to today when it is this one
        return date(int(unit), 1, 1), min(date(int(unit), 12, 31), today)
    if unit == "week":
        start = today - timedelta(days=today.weekday())
        return (start, today) if when == "this" else (start - timedelta(days=7), start - timedelta(days=1))
    if unit == "month":
        start = today.replace(day=1)
        if when == "this":
            return start, today
        end = start - timedelta(days=1)
        return end.replace(day=1), end
    if unit == "quarter":
        start = _quarter_start(today)
        if when == "this":
            return start, today
        end = start - timedelta(days=1)
        return _quarter_start(end), end
    if unit == "year":
        return (date(today.year, 1, 1), today) if when == "this" else (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    raise ValueError(f"unknown period {period!r}")


def period_name(period: str, language: str) -> str:
    """The period in words: « Cette année », « Le mois dernier », « Les 30 derniers jours »."""
    if period.isdigit():
        return translate_plural(language, "stats.period_rolling_n", int(period))
    if period.startswith("year_"):
        return translate(language, "stats.period_name.year", year=period.removeprefix("year_"))
    return translate(language, f"stats.period_name.{period}")
