"""Until when a listing stays visible, as its owner says it: "jusqu'à fin mars", "pour 6 mois",
"until April 15", "for 3 months", "sans date". Pure: no I/O."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date

from conversations.moments import MONTHS, clean_words, read_day, read_days

LONGEST = timedelta(days=366)
"""A listing stays visible a year at most ("un an", "12 mois"): past it, its owner is asked again."""
OPEN_ENDED = timedelta(days=360)
""""Sans date": the longest duration offered (12 months of 30 days), with the usual renewal question before it ends."""


@dataclass(frozen=True, slots=True)
class Expiry:
    """What was read: the new last day (``day``), or the key of a refusal (``error``); ``open_ended``
    when no end was wanted (the longest duration is kept, and said)."""

    day: date | None = None
    error: str | None = None
    open_ended: bool = False


_NO_END = re.compile(
    r"^(?:(?:sans|pas de|aucune?|no|without|with no|never)\s+(?:date|limite|fin|date de fin|date limite|echeance|expiration|"
    r"end date|end|expiry|expiry date|limit|deadline|time limit|expiration date)|illimitee?|indefiniment|indefinitely|forever|"
    r"pour toujours|toujours|permanente?|permanently|until further notice|jusqu'a nouvel ordre|never expires?|n'expire pas)$"
)
_FOR = re.compile(r"^(?:(?:pour|pendant|durant|encore|for|during|another|une duree de|a duration of|over)\s+)+")
_UNTIL = re.compile(r"^(?:jusqu'?\s*(?:a|au|aux|en|a la)|jusque|until|till|til|up to|through|to)\s+(?P<rest>.+)$")
_MONTH_END = re.compile(
    r"^(?:(?:la\s+)?fin\s+(?:du\s+mois\s+)?(?:de\s+|d')?|(?:the\s+)?end\s+(?:of\s+)?(?:the\s+month\s+of\s+)?|(?:le\s+)?mois\s+(?:de\s+|d')?)?"
    r"(?P<m>[a-z]+)(?:\s+(?P<y>\d{4}))?$"
)
_YEAR_END = re.compile(
    r"^(?:(?:la\s+)?fin\s+(?:de\s+|d')?(?:l'|l\s)?annee|(?:the\s+)?end\s+(?:of\s+)?(?:the\s+)?year)(?:\s+(?P<y>\d{4}))?$"
)
_LEAD = re.compile(
    r"^(?:(?:elle|il|mon annonce|l'annonce|l annonce|it|my listing|the listing|ok|oui|yes|visible|active|reste|restera|stays?|keep it)\s+)+"
)


def read_expiry(text: str, today: date) -> Expiry | None:
    """The end a listing's owner typed ("jusqu'à fin mars" → 31 March, "pour 6 mois" → 180 days
    on, "until April 15", "for 3 months", "sans date" → the longest), or None when ``text`` says
    no duration. A day already past, or more than a year ahead, is refused (``error``)."""
    words = _LEAD.sub("", clean_words(text)).strip()
    if not words or len(words) > 60:
        return None
    if _NO_END.match(words):
        return Expiry(today + OPEN_ENDED, open_ended=True)
    day = _until(words, today)
    if day is None:
        stripped = _FOR.sub("", words)
        days = read_days(stripped) if stripped != words or re.match(r"^\S+\s+\S+$", words) else None
        if days is None or days <= 0:
            return None
        day = today + timedelta(days=days)
    if day <= today:
        return Expiry(error="when.past")
    if day - today > LONGEST:
        return Expiry(error="expiry.too_far")
    return Expiry(day)


def _until(words: str, today: date) -> date | None:
    """The day a "jusqu'à …" / "until …" names, or a month's or the year's end said alone ("fin mars")."""
    found = _UNTIL.match(words)
    rest = found["rest"].strip() if found else words
    year_end = _YEAR_END.match(rest)
    if year_end:
        year = int(year_end["y"]) if year_end["y"] else today.year
        return date(year, 12, 31) if year_end["y"] or date(year, 12, 31) > today else date(year + 1, 12, 31)
    month_end = _MONTH_END.match(rest)
    if month_end and month_end["m"] in MONTHS and (found or rest != month_end["m"]):
        month = MONTHS[month_end["m"]]
        year = int(month_end["y"]) if month_end["y"] else today.year
        last = date(year, month, calendar.monthrange(year, month)[1])
        if not month_end["y"] and last <= today:
            last = date(year + 1, month, calendar.monthrange(year + 1, month)[1])
        return last
    if not found:
        return None
    read = read_day(rest, today)
    if read is None:
        return None
    day, how = read
    if how == "yearly" and day <= today:
        day = day.replace(year=day.year + 1)
    return day


def format_day_in(iso_day: str, language: str) -> str:
    """An ISO date written the way ``language`` writes dates ("28 février 2027", "February 28, 2027")."""
    try:
        return format_date(date.fromisoformat(iso_day[:10]), format="long", locale=language)
    except ValueError:
        return iso_day
