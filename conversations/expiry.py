"""Until when a listing stays visible, as its owner says it: "jusqu'à fin mars", "pour 6 mois",
"until April 15", "for 3 months", "sans date". Pure: no I/O."""

from __future__ import annotations

import calendar
import contextlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date

from conversations.i18n import first_of_month
from conversations.moments import MONTHS, WrongWeekday, clean_words, read_day, read_duration
from conversations.understanding import fold, number_list

LONGEST = timedelta(days=366)
"""A listing stays visible a year at most ("un an", "12 mois"): past it, its owner is asked again."""
OPEN_ENDED_MONTHS = 12
""""Sans date": the longest duration offered (12 months), with the usual renewal question before it ends."""


def months_after(day: date, months: int) -> date:
    """The same day ``months`` calendar months after ``day`` (the month's last day when it has fewer:
    31 August + 6 months → 28 February). Every listing's end counts months so: the default 3 months,
    « pour 6 mois », "a year", « sans date »."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def open_end(today: date) -> date:
    """The last day of a listing wanted with no end (« sans date »): :data:`OPEN_ENDED_MONTHS` on."""
    return months_after(today, OPEN_ENDED_MONTHS)


@dataclass(frozen=True, slots=True)
class Expiry:
    """What was read: the new last day (``day``), or the key of a refusal (``error``); ``open_ended``
    when no end was wanted (the longest duration is kept, and said)."""

    day: date | None = None
    error: str | None = None
    open_ended: bool = False


_EVERY_ONE = (
    r"(?:(?:(?:pour|a|aux|sur)\s+)?(?:(?:tous|toutes)\s+)?(?:les|ces)\s+(?:deux|2|trois|3)(?:\s+annonces)?|(?:pour\s+)?(?:tous|toutes)\s+les\s+(?:deux|trois)|"
    r"(?:pour|a)\s+(?:chacune|toutes|tous|toutes les annonces|mes annonces|nos annonces)|"
    r"(?:for\s+|to\s+)?both(?:\s+(?:of\s+)?them|\s+(?:of\s+)?(?:the\s+)?listings|\s+(?:of\s+)?(?:our|my)\s+listings)?|"
    r"(?:for|to)\s+(?:the\s+)?(?:two|three)(?:\s+(?:of\s+)?them|\s+listings)?|the\s+(?:two|three)\s+(?:of\s+)?them|"
    r"(?:for|to)\s+(?:all|each)(?:\s+(?:of\s+)?them|\s+(?:of\s+)?(?:the|our|my)\s+listings)?|all\s+(?:of\s+)?them)"
    r"(?!\s+(?:mois|semaines?|jours?|ans?|annees?|months?|weeks?|days?|years?|prochain\w*|dernier\w*|next|coming|last)\b)"
)
"""Words saying a duration is for every listing just named (« pour les deux », « tous les deux », "both of them",
"for all of them"), folded as :func:`~conversations.moments.clean_words` leaves them ("of" out): around a duration,
not it — :func:`expiry_rest_and_every` tells they were said. Never before a unit (« pour les 2 mois »: a duration)."""
_SAYS_EVERY = re.compile(r"(?:^|\s)(?:" + _EVERY_ONE + r")(?=\s|$)")

_FILLER = (
    r"(?:ah|oh|eh|euh|heu|bon|ben|bah|ok|et|and|mais|but|so|well|c'est|c est|cest|c|ce sera|ca sera|it's|it s|its|it is|it'll be|"
    r"en fait|enfait|finalement|plutot|au final|actually|in fact|instead|rather|sorry|desole|desolee|oups|oops|"
    r"non|no|nope|wait|attendez|attends|pardon|je veux dire|i mean|alors|du coup|donc|dans ce cas|then|in that case|"
    r"s'il vous plait|s il vous plait|s'il te plait|svp|stp|merci|merci beaucoup|je vous prie|please|pls|plz|thanks|thank you|"
    r"inclus|incluse|inclusivement|compris|y compris|included|inclusive|inclusively|" + _EVERY_ONE + r")"
)
"""Words said around a duration, SMS style too (« ah non c jusqu'à fin juin en fait », "no wait, until June please",
« jusqu'au 13 juin inclus »): not it."""
_FILLERS_BEFORE = re.compile(r"^(?:" + _FILLER + r"\s+)+")
_FILLERS_AFTER = re.compile(r"(?:\s+(?:" + _FILLER + r"))+$")
_NO_END_ONE = (
    r"(?:(?:sans|pas de|aucune?|no|without|with no|never)\s+(?:date|limite|fin|date de fin|date limite|echeance|expiration|"
    r"end date|end|expiry|expiry date|limit|deadline|time limit|expiration date)|illimitee?|indefiniment|indefinitely|forever|"
    r"pour toujours|toujours|permanente?|permanently|en permanence|until further notice|jusqu'a nouvel ordre|never expires?|"
    r"n'expire pas|ongoing|on going|open[ -]ended|en continu|sans limite de duree|no time limit)"
)
_NO_END = re.compile(r"^" + _NO_END_ONE + r"(?:\s+(?:" + _FILLER + r"\s+)*" + _NO_END_ONE + r")*$")
"""No end wanted (« sans date », « pas de date de fin », « en continu », "no end date", "ongoing"), said once or
twice with fillers between ("no end date, it's ongoing")."""
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
    r"^(?:(?:elle|il|mon annonce|l'annonce|l annonce|it|my listing|the listing|ok|okay|oui|ouais|ouaip|yes|yep|yeah|yup|sure|d'accord|dac|parfait|perfect|super|great|visible|active|reste|restera|stays?|keep it)\s+)+"
)


_SEASON = re.compile(
    r"^(?:(?:pour|pendant|durant|tout|toute|jusqu'?\s*a|jusqu'?\s*en|until|till|for|during|through|all|over|"
    r"la|l|le|fin|de|du|the|end|of|cet|ce|this)\s*'?\s*)*(?P<season>ete|printemps|automne|hiver|summer|spring|autumn|fall|winter)$"
)
"""A season said as a duration (« pour l'été », "until the end of summer"): until its last month's end."""
_SEASON_END = {"printemps": 5, "spring": 5, "ete": 8, "summer": 8, "automne": 11, "autumn": 11, "fall": 11, "hiver": 2, "winter": 2}
"""The last month of each season (meteorological: spring ends in May, summer in August…)."""


def _season_end(words: str, today: date) -> date | None:
    """The last day of the season ``words`` names, this one or the next one to end."""
    found = _SEASON.match(words)
    if found is None:
        return None
    month = _SEASON_END[found["season"]]
    last = date(today.year, month, calendar.monthrange(today.year, month)[1])
    return last if last > today else date(today.year + 1, month, calendar.monthrange(today.year + 1, month)[1])


def read_expiry(text: str, today: date) -> Expiry | None:
    """The end a listing's owner typed ("jusqu'à fin mars" → 31 March, "pour 6 mois" → 6 calendar
    months on, "until April 15", "for 3 months", "sans date" → the longest), or None when ``text`` says
    no duration. A day already past, or more than a year ahead, is refused (``error``). Words around
    it are not it (« ah non c jusqu'à fin juin en fait », « jusqu'à fin juin, je vous prie »), nor an
    explanation after it (« jusqu'au 13 juin inclus, date de la manifestation »)."""
    return expiry_and_rest(text, today)[0]


def expiry_and_rest(text: str, today: date) -> tuple[Expiry | None, str]:
    """:func:`read_expiry`, and what ``text`` says after the duration's clauses (« pour 6 mois, on cherche
    aussi un local » → « on cherche aussi un local »; "" when the duration is the whole text)."""
    read = _read_expiry(text, today)
    if read is not None:
        return read, ""
    stripped, clauses, at = text.strip(), [], 0
    for cut in _CLAUSES.finditer(stripped):  # the duration, then why: the first clauses that say one
        clauses.append(stripped[at : cut.start()])
        at = cut.end()
        read = _read_expiry(" ".join(part for part in clauses if part), today)
        if read is not None:
            return read, stripped[at:].strip()
    if clauses:  # « oui ! et c jusqu'à fin juin en fait »: the duration in the last clause, a yes before it
        read = _read_expiry(" ".join(part for part in (*clauses, stripped[at:]) if part), today)
        if read is not None:
            return read, ""
    return None, ""


def expiry_rest_and_every(text: str, today: date) -> tuple[Expiry | None, str, bool]:
    """:func:`expiry_and_rest`, and whether the words around the duration say it is for every listing just
    named (« ah non jusqu'à fin juin pour les deux, et on cherche aussi un camion » → the end of June, « et on
    cherche aussi un camion », True; "both until the end of June"; "for all of them")."""
    read, rest = expiry_and_rest(text, today)
    if read is None:
        return None, "", False
    said = text.strip()
    head = said[: len(said) - len(rest)] if rest and said.endswith(rest) else said
    return read, rest, _SAYS_EVERY.search(clean_words(re.sub(r"[!?:;()—–.]", " ", head))) is not None


_CLAUSES = re.compile(r"\s*[,;:!?()—–]\s*|\.\s+|\s+-\s+")
"""Where an explanation may follow a duration: a comma, a full stop, a dash."""


def _read_expiry(text: str, today: date) -> Expiry | None:
    """:func:`read_expiry` of one clause."""
    words, before = clean_words(text), ""
    while words != before:  # « ah et c … en fait », "oh it's … actually", « elle reste … »
        if _NO_END.match(words):  # "no end date": not the filler "no"
            break
        before, words = words, _LEAD.sub("", _FILLERS_BEFORE.sub("", _FILLERS_AFTER.sub("", words))).strip()
    if not words or len(words) > 60:
        return None
    if _NO_END.match(words):
        return Expiry(open_end(today), open_ended=True)
    day = _until(words, today) or _season_end(words, today)
    if day is None:
        stripped = _FOR.sub("", words)
        said = read_duration(stripped) if stripped != words or re.match(r"^\S+\s+\S+$", words) else None
        if said is None or said[0] <= 0:
            return None
        count, unit = said
        if unit in ("month", "year"):
            day = months_after(today, count * (12 if unit == "year" else 1))
        else:
            day = today + timedelta(days=count * (7 if unit == "week" else 1))
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
    holiday = _HOLIDAY.match(rest)
    if holiday:  # « jusqu'à la rentrée », "until Christmas": the day it comes (as « d'ici la rentrée » in a text)
        month, day_of_month = _MOMENTS[next(name for name in _MOMENTS if re.fullmatch(name, holiday["what"]))][0]
        return _next(month, day_of_month, None, today)
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
        day = date.fromisoformat(iso_day[:10])
        return first_of_month(format_date(day, format="long", locale=language), day.day, language)
    except ValueError:
        return iso_day


# ---------------------------------------------------------------- a date named in a listing's text

_FULL_MONTHS = (
    "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|"
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
_MONTH_LEAD = (
    r"(?:en|de|d'|du mois de|au mois de|pour|fin|debut|mi|mi-|courant|jusqu'?\s*(?:a|en|au|fin)|avant|apres|d'ici|d'ici a|d'ici fin|"
    r"in|by|for|until|till|before|after|(?:the )?end(?: of)?|early|mid|mid-|late|during|throughout|next|this|from)"
)
_WEEKDAYS = {
    **{name: k for k, name in enumerate(("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"))},
    **{name: k for k, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
}
_WEEKDAY_DAY_IN_TEXT = re.compile(
    rf"\b(?P<w>{'|'.join(_WEEKDAYS)})\s+(?:the\s+)?(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\b"
    rf"(?!\s*(?:h\b|heures?|:|am\b|pm\b|km|%|{_FULL_MONTHS}))"
)
"""« samedi 12 », "Saturday the 12th": a day of the week and of the month, no month named."""
_WEEKDAY_BEFORE = re.compile(rf"\b(?P<w>{'|'.join(_WEEKDAYS)})\s+(?:the\s+)?$")
"""A day of the week just before a date (« samedi 13 juin », "Saturday June 13")."""
_DAY_MONTH_IN_TEXT = re.compile(rf"\b(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?P<m>{_FULL_MONTHS})\b(?:\s+(?P<y>20\d\d))?")
_MONTH_DAY_IN_TEXT = re.compile(
    rf"\b(?P<m>{_FULL_MONTHS})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:h|heures?|:|am|pm|km|%))(?:\s+(?P<y>20\d\d))?"
)
_MONTH_IN_TEXT = re.compile(rf"(?:^|\s|\b){_MONTH_LEAD}\s*(?P<m>{_FULL_MONTHS})\b(?:\s+(?P<y>20\d\d))?")
_MONTH_NEXT = re.compile(
    rf"\b(?P<m>{_FULL_MONTHS})\s+(?:prochain|qui vient|next)\b|\b(?:our|the|this|next|a)\s+(?P<n>(?!may\b|march\b)(?:{_FULL_MONTHS}))\b"
)
_SEASON_LEAD = (
    r"(?:(?P<before>d'ici|avant|before|by)\s+)?(?:(?:l'|le |la |cet |ce |cette |this |the |en |pour l'|pour le |pour la |for the |in )\s*)?"
)
_MOMENTS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    # what is named: (the day a listing "by then" ends, the day a listing "for then" ends), as (month, day)
    r"noel|christmas|xmas": ((12, 24), (12, 26)),
    r"nouvel an|jour de l'an|reveillon|new year'?s?(?: eve| day)?": ((12, 31), (1, 2)),
    r"toussaint|halloween": ((10, 31), (11, 2)),
    r"fete de la musique": ((6, 21), (6, 22)),
    r"(?:la )?rentree": ((9, 1), (9, 30)),
    r"ete|summer": ((6, 20), (8, 31)),
    r"printemps|spring": ((3, 19), (6, 20)),
    r"automne|autumn|fall": ((9, 21), (12, 20)),
    r"hiver|winter": ((12, 20), (2, 28)),
}
_HOLIDAY = re.compile(
    r"^(?:la |le |l'|l |the )?(?P<what>noel|christmas|xmas|nouvel an|new year'?s?(?: eve| day)?|toussaint|halloween|rentree)$"
)
"""A holiday named after « jusqu'à » / "until" (seasons are :data:`_SEASON`'s: their end)."""
_MOMENT_IN_TEXT = re.compile(rf"{_SEASON_LEAD}\b(?P<what>{'|'.join(f'(?:{name})' for name in _MOMENTS)})\b")


@dataclass(frozen=True, slots=True)
class NamedEnd:
    """The last day a listing's text points to, and the words that name it (« juin », « le 14 mars »)."""

    day: date
    said: str
    wrong: WrongWeekday | None = None
    """A day of the week written before the date that is not its own (« samedi 13 juin » when 13 June is a Sunday):
    the date is not taken as the end, and the real day is said (``day``: that date, not the end)."""


def end_named_in(text: str, today: date) -> NamedEnd | None:
    """The end a listing's own text suggests: the next such date after ``today`` — the end of a month
    named (« pour la fête de juin », "in June"), the day after a date (« le 14 mars » → 15 March), a
    holiday or a season (« pour noël » → 26 December, « d'ici l'été » → 20 June), a day of the week and
    of the month (« samedi 12 » → the day after the next Saturday the 12th); the latest when
    several are named, a holiday or a season only said by its name (« la fête du printemps ») left out when a day is
    named. None when it names none, or only beyond a year (:data:`LONGEST`)."""
    words = clean_words(text.replace("’", "'"))
    found: list[NamedEnd] = []
    for pattern in (_DAY_MONTH_IN_TEXT, _MONTH_DAY_IN_TEXT):
        for match in pattern.finditer(words):
            month, day = MONTHS[match["m"]], int(match["d"])
            with contextlib.suppress(ValueError):
                dated = _next(month, day, match["y"], today)
                weekday = _WEEKDAY_BEFORE.search(words[: match.start()])
                if weekday is not None and dated.weekday() != _WEEKDAYS[weekday["w"]]:
                    # « samedi 13 juin », a Sunday: never read as either, the real day said as at the date question
                    said = _as_written(text, f"{weekday['w']} {match.group(0)}")
                    return NamedEnd(dated, said, WrongWeekday(dated, _WEEKDAYS[weekday["w"]]))
                found.append(NamedEnd(dated + timedelta(days=1), match.group(0)))
    for match in _WEEKDAY_DAY_IN_TEXT.finditer(words):
        that_day = _weekday_day(_WEEKDAYS[match["w"]], int(match["d"]), today)
        if that_day is not None:
            found.append(NamedEnd(that_day + timedelta(days=1), match.group(0)))
    for pattern in (_MONTH_IN_TEXT, _MONTH_NEXT):
        for match in pattern.finditer(words):
            named_month = match["m"] or match.groupdict().get("n")
            if named_month is None or any(named_month in named.said for named in found):  # "le 14 juin": the day
                continue
            year = int(match["y"]) if match.groupdict().get("y") else None
            last = _month_end(year or today.year, MONTHS[named_month])
            if year is None and last <= today:
                last = _month_end(today.year + 1, MONTHS[named_month])
            found.append(NamedEnd(last, named_month if year is None else f"{named_month} {year}"))
    days = bool(found)  # a day named (« le 13 juin »): the day of what is asked, before a season naming an event ("spring fair")
    for match in _MOMENT_IN_TEXT.finditer(words):
        if days and not match["before"]:
            continue
        name = next(name for name in _MOMENTS if re.fullmatch(name, match["what"]))
        month, day = _MOMENTS[name][0 if match["before"] else 1]
        found.append(NamedEnd(_next(month, day, None, today), match.group(0).strip() if match["before"] else match["what"]))
    kept = [named for named in found if today < named.day and named.day - today <= LONGEST]
    if not kept:
        return None
    latest = max(kept, key=lambda named: named.day)
    return NamedEnd(latest.day, _as_written(text, latest.said))


def _as_written(text: str, said: str) -> str:
    """The words of ``text`` that ``said`` (folded) stands for, with their accents (« noël », not "noel")."""
    tokens = re.findall(r"[\w'’-]+", text)
    size = len(said.split())
    for start in range(len(tokens) - size + 1):
        chunk = " ".join(tokens[start : start + size])
        if fold(chunk).replace("’", "'") == said:
            return chunk
    return said


def _weekday_day(weekday: int, day: int, today: date) -> date | None:
    """The next day numbered ``day`` that falls on ``weekday`` (« samedi 12 » → the next Saturday the 12th),
    within a year; None when none does."""
    year, month = today.year, today.month
    for _ in range(13):
        if day <= calendar.monthrange(year, month)[1]:
            found = date(year, month, day)
            if found > today and found.weekday() == weekday:
                return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _next(month: int, day: int, year: str | None, today: date) -> date:
    """The day ``day``/``month`` of ``year``, or its next one after ``today`` when no year is said."""
    if year:
        return date(int(year), month, day)
    found = date(today.year, month, min(day, calendar.monthrange(today.year, month)[1]))
    return found if found > today else date(today.year + 1, month, min(day, calendar.monthrange(today.year + 1, month)[1]))


_NAMING_NOISE = frozenset(
    "pour for the la le les l de du des d notre nos our my mon ma mes only seulement uniquement just juste que "
    "annonce annonces listing listings offre offer besoin need celle celui that one this cette ce cet et and "
    "a au aux to of sur on in dans".split()
)


def expiry_and_named(text: str, today: date) -> tuple[Expiry, tuple[str, ...]] | None:
    """A duration said for one listing named around it (« la salle pour 6 mois », "for 6 months for the
    room only"): what :func:`read_expiry` reads of the longest run of words that says a duration, and the
    other words that name the listing (folded, small words out). None when no run says one, or
    nothing else is named."""
    tokens = clean_words(text).split()
    if len(tokens) > 16:
        return None
    for size in range(len(tokens) - 1, 0, -1):
        for start in range(len(tokens) - size + 1):
            read = read_expiry(" ".join(tokens[start : start + size]), today)
            if read is None:
                continue
            rest = [word for word in (*tokens[:start], *tokens[start + size :]) if word.strip("'") not in _NAMING_NOISE]
            rest = [re.sub(r"^(?:l|d|la|le)'", "", word) for word in rest]
            return (read, tuple(rest)) if rest else None
    return None


# ---------------------------------------------------------------- the date of the event, said again

_REDATE_FILLER = (
    r"(?:erreur|my bad|my mistake|je me suis trompee?|i was wrong|"
    r"finally|after all|en definitive|plutot le|instead of|reporte|reportee|c'est reporte|postponed|moved|"
    r"oui|yes|yeah|je voulais dire|i meant|je me suis trompee? de jour|wrong day|c'est bien le|c est bien le|it's really|bien|indeed|"
    r"it's on|it is on|c'est le|ce sera le|ca sera le|the event is|la fete est|l'evenement est)"
)
_REDATE_FILLERS_BEFORE = re.compile(r"^(?:(?:" + _FILLER + r"|" + _REDATE_FILLER + r")\s+)+")
_REDATE_FILLERS_AFTER = re.compile(r"(?:\s+(?:" + _FILLER + r"|" + _REDATE_FILLER + r"))+$")
_DAY_ONLY = re.compile(r"^(?:(?:le|the|on)\s+)?(?:(?P<w>[a-z]+)\s+)?(?:(?:le|the)\s+)?(?P<d>\d{1,2})(?:er|st|nd|rd|th)?$")
_EVENT_DAY_IN_TEXT = re.compile(
    rf"(?:\b(?P<w>{'|'.join(_WEEKDAYS)}),?\s+(?:the\s+)?)?"
    rf"(?:(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?P<m>{_FULL_MONTHS})|(?P<m2>{_FULL_MONTHS})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)\b"
    rf"(?:,?\s+(?P<y>20\d\d))?"
)
_FRENCH_MONTHS = frozenset(_FULL_MONTHS.split("|")[:12])


@dataclass(frozen=True, slots=True)
class Redated:
    """An event's date said again (« ah non c'est le 19 juin finalement ») for a listing whose end came from the
    date in its description: the event's new ``day``, the listing's new ``end`` and its ``description`` with
    that date written (``written``) instead of the old one (``said``, as it was written: « samedi 12 juin »)."""

    day: date
    end: date
    description: str
    said: str
    written: str


def event_day_in(description: str, today: date) -> tuple[date, re.Match[str]] | None:
    """The day of the event a listing's description dates (« la fête du samedi 12 juin », "on June 12"), and
    where it is written in the folded text; None when it names no such day, or several different ones."""
    words = _fold_in_place(description)
    days: dict[date, re.Match[str]] = {}
    for match in _EVENT_DAY_IN_TEXT.finditer(words):
        month = MONTHS[match["m"] or match["m2"]]
        with contextlib.suppress(ValueError):
            days.setdefault(_next(month, int(match["d"] or match["d2"]), match["y"], today), match)
    if len(days) != 1:
        return None
    return next(iter(days.items()))


def wrong_weekday_in(written: re.Match[str], day: date) -> bool:
    """Whether the day of the week written with a date (:data:`_EVENT_DAY_IN_TEXT`) is not that date's (« samedi 5
    septembre 2027 », a Sunday): such a date was refused as the listing's end, its correction is awaited."""
    return written["w"] is not None and day.weekday() != _WEEKDAYS[written["w"]]


def end_from_description(description: str, expires_at: date, today: date) -> bool:
    """Whether a listing's end ``expires_at`` was drawn from the day its description dates (the day after it,
    as :func:`end_named_in` proposes it)."""
    found = event_day_in(description, today - timedelta(days=1))
    return found is not None and found[0] + timedelta(days=1) == expires_at


def _said_day(words: str, event: date, today: date) -> tuple[date, bool] | None:
    """The day ``words`` name as the event's (« samedi 19 juin », « le 26 », "June 19th", "the 26th": the month
    of ``event`` when none is said), and whether it was said as the listing's last day (« jusqu'au 21 mars »).
    Raises :class:`WrongWeekday` for a day of the week that is not that date's."""
    until = _UNTIL.match(words)
    rest = until["rest"].strip() if until else words
    alone = _DAY_ONLY.match(rest)
    if alone is not None and (alone["w"] is None or alone["w"] in _WEEKDAYS):
        try:
            day = date(event.year, event.month, int(alone["d"]))
        except ValueError:
            return None
        if alone["w"] is not None and day.weekday() != _WEEKDAYS[alone["w"]]:
            raise WrongWeekday(day, _WEEKDAYS[alone["w"]])
        return day, until is not None
    read = read_day(re.sub(r"^(?:le|the|on)\s+", "", rest), today)
    if read is None or read[1] not in ("yearly", "fixed") or not re.search(r"\d", rest):
        return None
    day = read[0]
    if read[1] == "yearly" and day <= today:
        day = day.replace(year=day.year + 1)
    return day, until is not None


def _written_like(old: str, day: date, with_weekday: bool) -> str:
    """``day`` written as ``old`` was (« samedi 12 juin » → « samedi 19 juin », "June 12" → "June 19"): its
    language, a day of the week and a year when it had them, its capital."""
    language = "fr" if any(month in _FRENCH_MONTHS and month in fold(old).split() for month in MONTHS) else "en"
    if language == "fr":
        pattern = ("EEEE " if with_weekday else "") + "d MMMM" + (" y" if re.search(r"20\d\d", old) else "")
    else:
        pattern = ("EEEE, " if with_weekday else "") + "MMMM d" + (", y" if re.search(r"20\d\d", old) else "")
    written = first_of_month(str(format_date(day, format=pattern, locale=language)), day.day, language)
    return written[:1].upper() + written[1:] if old[:1].isupper() else written


def event_redated(text: str, description: str, expires_at: date, today: date) -> Redated | None:
    """The event's date said again after its listing's end was drawn from it (« ah non pardon c'est le samedi 19
    juin finalement », « euh non, le 26 juin, le 19 y a les élections », « jusqu'au 21 mars alors », "actually it's
    on June 19th", "sorry, it's the 26th then"): the listing ends the day after the new day (on it, when said as
    its last day), and its description says the new day. None when ``text`` says no such day, or the listing's end
    was not drawn from its description — unless its description wrote a day of the week that is not its date's
    (« samedi 5 septembre 2027 », a Sunday: refused as its end, :func:`wrong_weekday_in`): then the correction
    (« non c'est le dimanche 5 septembre pardon », « pardon, c'est le samedi 4 », "sorry, I meant Saturday the 4th")
    is the date, the same day too. A day past or beyond a year is None too; raises :class:`WrongWeekday`."""
    found = event_day_in(description, today - timedelta(days=1))
    if found is None:
        return None
    event, misdated = found[0], wrong_weekday_in(found[1], found[0])
    if not misdated and not end_from_description(description, expires_at, today):
        return None
    stripped, clauses = text.strip(), []
    if number_list(stripped) is not None:  # « 4 » alone answers the numbered question on screen, never a day
        return None
    pieces = [piece for piece in _CLAUSES.split(stripped) if piece.strip()]
    for piece in pieces[:2]:  # the day, then maybe why (« le 26 juin, le 19 y a les élections »)
        clauses.append(piece)
        words, before = clean_words(" ".join(clauses)), ""
        while words != before:
            before = words
            words = _REDATE_FILLERS_BEFORE.sub("", _REDATE_FILLERS_AFTER.sub("", words)).strip()
        if not words or len(words.split()) > 6:
            continue
        said = _said_day(words, event, today)
        if said is None:
            continue
        day, last = said
        end = day if last else day + timedelta(days=1)
        if (day == event and not misdated) or end <= today or end - today > LONGEST:
            return None
        rewritten = with_event_day(description, day, today)
        return None if rewritten is None else Redated(day, end, *rewritten)
    return _event_remonthed(stripped, description, event, today)


_MONTH_ALONE = re.compile(rf"^(?:(?:pour|en|in|au mois de|au mois d|courant|during|for)\s+)?(?P<m>{_FULL_MONTHS})$")
"""A month said alone as the event's (« pour mars », « en avril », "in March"), the words around it left out."""
_NOT_MONTH = re.compile(rf"\b(?:pas|plus|not|no longer|non)\s+(?:en\s+|in\s+)?(?:{_FULL_MONTHS})\b")
"""A month denied (« pas février », "not February"): the old one, not the new."""
_REMONTH_MOST_WORDS = 12


def _event_remonthed(text: str, description: str, event: date, today: date) -> Redated | None:
    """A month said as the event's new one, without its day (« ah non en fait c'est pour mars », « le tournoi c en mars
    finalement pas février », "actually it's in March"): the listing ends at that month's end and its description says
    the month instead of the old day (« le samedi 13 février » → « en mars »). None for a month already the event's,
    another text, or several months."""
    words = _fold_in_place(text)
    if re.search(r"\d", words) or len(words.split()) > _REMONTH_MOST_WORDS or _UNTIL_IN_TEXT.search(words):
        return None
    cleaned, before = clean_words(text), ""
    while cleaned != before:
        before = cleaned
        cleaned = _REDATE_FILLERS_BEFORE.sub("", _REDATE_FILLERS_AFTER.sub("", cleaned)).strip()
    alone = _MONTH_ALONE.match(cleaned)
    if alone is not None:
        named = {MONTHS[alone["m"]]}
    elif _CORRECTING.search(words):  # « le tournoi c en mars finalement pas février »: the month not denied
        kept = _NOT_MONTH.sub(" ", words)
        named = {MONTHS[month] for month in re.findall(rf"\b(?:{_FULL_MONTHS})\b", kept)}
    else:
        return None
    if len(named) != 1:
        return None
    [month] = named
    year = today.year if month >= today.month else today.year + 1
    first, end = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if (month, year) == (event.month, event.year) or end - today > LONGEST:
        return None
    rewritten = with_event_month(description, first, today)
    return None if rewritten is None else Redated(first, end, *rewritten)


_BEFORE_DAY = {"le ": ("en ", "in "), "du ": ("de ", "of "), "au ": ("en ", "in "), "on ": ("en ", "in "), "the ": ("en ", "in ")}
"""The word before an event's day (« le samedi 13 février »), and what comes before its month instead (« en mars »)."""


def with_event_month(description: str, month: date, today: date) -> tuple[str, str, str] | None:
    """``description`` with the day of its event replaced by ``month`` alone (« du tournoi le samedi 13 février » → « du
    tournoi en mars »), the old words and the new; None when it dates no event."""
    found = event_day_in(description, today - timedelta(days=1))
    if found is None:
        return None
    start, stop = found[1].span()
    language = "fr" if any(name in _FRENCH_MONTHS and name in fold(description[start:stop]).split() for name in MONTHS) else "en"
    lead = next((word for word in _BEFORE_DAY if description[:start].lower().endswith(word)), None)
    if lead is not None:
        start -= len(lead)
    article = _BEFORE_DAY[lead or "le "][0 if language == "fr" else 1]
    said = description[start:stop]
    named = str(format_date(month, format="MMMM", locale=language))
    written = ("d'" if article == "de " and named[:1] in "aeiou" else article) + named  # « de mars », « d'avril »
    return description[:start] + written + description[stop:], said, written


def with_event_day(description: str, day: date, today: date) -> tuple[str, str, str] | None:
    """``description`` with the day of its event written as ``day`` instead (« le samedi 12 juin » → « le samedi 19
    juin », its language, day of the week and capital kept), the old words and the new; None when it dates no event."""
    found = event_day_in(description, today - timedelta(days=1))
    if found is None:
        return None
    start, stop = found[1].span()
    said = description[start:stop]
    written = _written_like(said, day, found[1]["w"] is not None)
    return description[:start] + written + description[stop:], said, written


def _fold_in_place(text: str) -> str:
    """``text`` lower case without accents, one character for one (where a date is in it is where it is in ``text``)."""
    return "".join((unicodedata.normalize("NFD", char)[:1] or char).lower()[:1] for char in text.replace("’", "'"))


# ---------------------------------------------------------------- the date of the event, added after publishing

_UNTIL_IN_TEXT = re.compile(r"\b(?:jusqu|until|till|d'ici|avant|before|by(?! the way))\b")
"""An end said (« jusqu'au 12 juin », "until June 12"): a duration, read as such, not the event's day."""
_ALTERNATIVE_BEFORE = re.compile(r"\b\d{1,2}(?:er|st|nd|rd|th)?\s*(?:ou|or|et|and|au|a|to|-)\s*(?:le\s+|the\s+)?$")
"""A day just before the one named, as an alternative or a span (« le 2 ou le 3 juin », « du 12 au 14 juin »)."""
_CORRECTING = re.compile(
    r"\b(?:non|no|nope|finalement|finally|plutot|erreur|actually|instead|reporte\w*|repousse\w*|decale\w*|deplace\w*|"
    r"moved|postponed|rescheduled|changed?)\b"
)
"""A date said as a correction (« ah non c'est le 19 juin finalement »): of a listing that dated nothing, nothing to
correct — left as it is (redate30), never taken as a day added."""
_ADDED_MOST_WORDS = 16
"""Beyond this, a message is more than the event's day added."""


@dataclass(frozen=True, slots=True)
class Dated:
    """The day of an event added to a listing whose description named none (« ah et la fête c'est le samedi 12 juin »):
    the event's ``day``, the listing's new ``end`` (the day after), its ``description`` with the day added
    (``written``: « samedi 12 juin », "Saturday, June 12")."""

    day: date
    end: date
    description: str
    written: str


def event_dated(text: str, description: str, today: date) -> Dated | None:
    """The day of its event said just after publishing a listing whose description names no date (« ah et la fête
    c'est le samedi 12 juin », « c pour la fete du quartier le 12 juin », "oh and the party is on Saturday June 12"):
    as if the description had said it — the listing ends the day after, the day is added to its description. None
    when the description names a date (:func:`end_named_in`: its correction is :func:`event_redated`), ``text`` names
    no single day of a month, says an end (« jusqu'au 12 juin »), is long, or the day is past or beyond a year.
    Raises :class:`WrongWeekday` for a day of the week that is not that date's (« samedi 13 juin », a Sunday)."""
    if end_named_in(description, today) is not None or len(text.split()) > _ADDED_MOST_WORDS:
        return None
    words = _fold_in_place(text)
    if _UNTIL_IN_TEXT.search(words) or _CORRECTING.search(words):
        return None
    days: dict[date, re.Match[str]] = {}
    for match in _EVENT_DAY_IN_TEXT.finditer(words):
        with contextlib.suppress(ValueError):
            days.setdefault(_next(MONTHS[match["m"] or match["m2"]], int(match["d"] or match["d2"]), match["y"], today), match)
    if len(days) != 1:
        return None
    [(day, match)] = days.items()
    if _ALTERNATIVE_BEFORE.search(words[: match.start()]):  # « le 2 ou le 3 juin », « du 12 au 14 juin »: not one day
        return None
    if wrong_weekday_in(match, day):
        raise WrongWeekday(day, _WEEKDAYS[match["w"]])
    end = day + timedelta(days=1)
    if day <= today or end - today > LONGEST:
        return None
    written = _written_like(text[match.start() : match.end()].lower(), day, with_weekday=True)
    purpose = _purpose_said(text, words, match, written, description)
    if purpose is not None:  # « ah et c'est pour la fête du quartier le samedi 12 juin »: what it is for, kept
        return Dated(day, end, f"{description.rstrip(' .,;')}, {purpose}", purpose)
    return Dated(day, end, f"{description.rstrip(' .')} ({written})", written)


_LEAD_IN = re.compile(
    r"^(?:(?:ah|oh|eh|euh|et|and|oui|yes|ok|alors|donc|aussi|also|so|au fait|btw|by the way|sinon|"
    r"c'est|c est|cest|c|ce sera|ca sera|it's|it s|its|it is|it'll be|it will be)\b[\s,;:!.]*)+"
)
"""The words that lead into what a date added says (« ah et c'est », « au fait c'est », "oh and it's")."""
_PURPOSE = re.compile(r"\b(?:pour|for)\b")
"""What says what the listing is for (« pour la fête du quartier », "for the street party")."""
_TRAILING = re.compile(r"(?:[\s,;:!.?…]+|\b(?:by the way|btw|au fait|d'ailleurs|aussi|also|too|merci|thanks)\b)*$")
"""What closes a message without saying anything of the listing (« !», "by the way")."""
_PURPOSE_CONTENT_CHARS = 4
"""A word this long at least says something of the listing (« fête », "party"); shorter ones (« la », « du ») do not."""


def _purpose_said(text: str, words: str, day: re.Match[str], written: str, description: str) -> str | None:
    """What a date added says the listing is for, with the day written in full (« ah et c'est pour la fête du
    quartier le 12 juin » → « pour la fête du quartier le samedi 12 juin », « c'est le 12 juin, pour la fête » →
    « pour la fête le samedi 12 juin », "oh and it's for the street party on June 12" → "for the street party on
    Saturday, June 12"); its lead-in left out. None when it says no « pour » / "for", or nothing the description
    does not already say (« pour la fête du quartier » after a need for the fête du quartier: the day alone)."""
    lead = _LEAD_IN.match(words)
    start = lead.end() if lead else 0
    closing = _TRAILING.search(words, day.end())
    stop = max(closing.start() if closing is not None else len(words), day.end())
    before = _PURPOSE.search(words, start, day.start())
    if before is not None:  # « pour la fête du quartier le 12 juin … »
        phrase = f"{text[before.start() : day.start()]}{written}{text[day.end() : stop]}"
    else:  # « le 12 juin, pour la fête du quartier »: what it is for, then its day
        after = _PURPOSE.search(words, day.end(), stop)
        if after is None or words[day.end() : after.start()].strip(" ,;:-") or start > day.start():
            return None
        phrase = f"{text[after.start() : stop].rstrip(' ,;:')} {text[start : day.start()]}{written}"
    phrase = " ".join(phrase.split()).strip(" ,;:")
    said = set(re.findall(r"\w+", _fold_in_place(description)))
    dated = set(re.findall(r"\w+", _fold_in_place(written)))
    content = [word for word in re.findall(r"\w+", _fold_in_place(phrase)) if len(word) >= _PURPOSE_CONTENT_CHARS and word not in dated]
    if not content or all(word in said for word in content):
        return None
    return phrase
