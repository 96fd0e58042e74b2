"""Dates, times and small amounts as people type them, in French or English: "demain 9h",
"le 10 décembre à 18h", "mardi prochain 14h30", "next Friday 2 pm", "dans 3 jours", "03/12/2026
9h30"; "30", "trente", "une vingtaine", "a dozen". Pure: no I/O, read against the step's clock.

Hand-written rather than a library, on purpose. ``dateparser`` (PyPI 1.5, installable offline
here) is the usual choice, but it is a 370 kB wheel plus ``regex``, ``python-dateutil``, ``pytz``
and ``tzlocal``, costs about half a second to import and milliseconds per parse (it tries every
language it knows), and still reads neither "mardi prochain 14h30" nor "à midi" the way a French
speaker means them. What a coordinator types at "Quand ?" is a small, bounded grammar — a day
(numeric, relative, a weekday, a day and a month), then a time (``9h``, ``9h30``, ``18 h``,
``18:00``, ``midi``, ``2 pm``) — that a hundred lines read exactly, in microseconds, and that the
tests pin down; anything else is refused with examples rather than guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from conversations.understanding import fold

DEFAULT_HOUR = 9
"""The time of a day given without one (a call goes out at 9:00)."""

MONTHS: dict[str, int] = {
    **{name: number for number, name in enumerate(
        ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre"), 1)},
    **{name: number for number, name in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"), 1)},
    **{name: number for number, name in enumerate(
        ("janv", "fevr", "mars", "avr", "mai", "juin", "juil", "aout", "sept", "oct", "nov", "dec"), 1)},
    **{name: number for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)},
    "fev": 2, "juil": 7,
}  # fmt: skip
FRENCH_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
ENGLISH_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""The weekdays' whole names (folded), Monday first."""
WEEKDAYS: dict[str, int] = {
    **{name: number for number, name in enumerate(FRENCH_WEEKDAYS)},
    **{name: number for number, name in enumerate(ENGLISH_WEEKDAYS)},
    **{name: number for number, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    "tues": 1, "thur": 3, "thurs": 3,
}  # fmt: skip
RELATIVE_DAYS: dict[str, int] = {
    "aujourd'hui": 0, "aujourdhui": 0, "aujourd hui": 0, "ce jour": 0, "today": 0,
    "hier": -1, "yesterday": -1, "avant-hier": -2, "avant hier": -2,
    "demain": 1, "tomorrow": 1, "apres-demain": 2, "apres demain": 2, "the day after tomorrow": 2, "day after tomorrow": 2,
}  # fmt: skip

NIGHT_ENDS = 5
"""Before this hour the night still belongs to the day before: « demain » and « après-demain » count from it
(« demain 9h » typed at 0:40 on the 2nd is the 2nd at 9:00, the coming morning of someone who has not slept yet),
unless that moment is already past (« demain 0h15 » at 0:40: the calendar's tomorrow). The moment read is always
said back with its date, so that a person who meant the calendar's tomorrow sees it and corrects it."""

PARTS_OF_DAY: dict[str, int] = {
    "apres-midi": 14, "apres midi": 14, "afternoon": 14, "matin": 9, "morning": 9, "soir": 18, "evening": 18,
    "tonight": 18, "midi": 12, "noon": 12,
}  # fmt: skip
"""The hour of a day named by its part only."""

_UNITS_FR = ("zero", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
             "treize", "quatorze", "quinze", "seize")  # fmt: skip
_UNITS_EN = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
             "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")  # fmt: skip
_TENS_FR = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
_TENS_EN = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ABOUT: dict[str, int] = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40,
    "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "dozen": 12, "score": 20,
}  # fmt: skip
"""Approximate amounts: "une vingtaine" is taken as 20."""


def _word_numbers() -> dict[str, int]:
    """Numbers in words, French and English, from 0 to 99 ("vingt et un", "soixante-dix", "forty-two")."""
    words = {name: value for value, name in enumerate(_UNITS_FR)} | {name: value for value, name in enumerate(_UNITS_EN)}
    words |= {"une": 1, "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19, "cent": 100, "hundred": 100, "a hundred": 100}
    for tens_name, tens in _TENS_FR.items():
        words[tens_name] = tens
        words[f"{tens_name} et un"] = words[f"{tens_name} et une"] = tens + 1
        for unit in range(2, 10):
            words[f"{tens_name}-{_UNITS_FR[unit]}"] = tens + unit
        if tens == 60:  # soixante-dix … soixante-dix-neuf
            words["soixante et onze"] = 71
            for unit in range(10, 20):
                words[f"soixante-{_UNITS_FR[unit] if unit <= 16 else 'dix-' + _UNITS_FR[unit - 10]}"] = 60 + unit
    words["quatre-vingt"] = words["quatre-vingts"] = 80
    for unit in range(1, 20):
        words[f"quatre-vingt-{_UNITS_FR[unit] if unit <= 16 else 'dix-' + _UNITS_FR[unit - 10]}"] = 80 + unit
    for tens_name, tens in _TENS_EN.items():
        words[tens_name] = tens
        for unit in range(1, 10):
            words[f"{tens_name}-{_UNITS_EN[unit]}"] = tens + unit
    return {_key(name): value for name, value in words.items()}


def _key(words: str) -> str:
    """A number's words without spaces nor hyphens: "forty two", "forty-two" and "fortytwo" are one."""
    return re.sub(r"[\s-]+", "", words)


WORD_NUMBERS = _word_numbers()
_APPROX = re.compile(r"^(?:(?:environ|a peu pres|about|around|approximately|roughly|approx\.?|~|env\.?|presque|nearly)\s*)+")


def read_number(text: str) -> int | None:
    """A whole number typed in digits or words ("30", "trente", "vingt-cinq", "forty two"), or an
    approximate amount ("une vingtaine" ≈ 20, "environ 30", "a dozen"); None for anything else."""
    words = fold(text).strip(" .!?")
    words = _APPROX.sub("", words).strip()
    if words.isdigit():
        return int(words)
    about = re.fullmatch(r"(?:une|un|a|an)\s+(\w+)(?:\s+(?:de|d'|of)\b.*)?", words)
    if about and about[1] in ABOUT:
        return ABOUT[about[1]]
    return WORD_NUMBERS.get(_key(words))


_TIME = re.compile(
    r"(?:^|\s)(?:a|at|vers|for|pour|de|from)?\s*"
    r"(?:(?P<noon>midi|noon)|(?P<midnight>minuit|midnight)"
    r"|(?P<h>\d{1,2})\s*(?:(?P<sep>heures?|h|:)\s*(?P<min>\d{2})?|(?P<min_ap>:\d{2})?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)))"
    r"(?:\s*(?P<tail>et demie|et quart|moins le quart|du matin|du soir|de l'apres-midi|de l'apres midi|in the morning|in the evening))?"
    r"\s*$"
)
_IN_DAYS = re.compile(r"^(?:dans|in)\s+(?P<n>.+?)\s+(?P<unit>jours?|days?|semaines?|weeks?)$")
_DAY_MONTH = re.compile(r"^(?:(?P<wd>\w+)\s+)?(?P<d>\d{1,2})(?:er|st|nd|rd|th)?\s+(?P<m>[a-z]+)\.?(?:\s+(?P<y>\d{4}))?$")
_MONTH_DAY = re.compile(r"^(?:(?P<wd>\w+)\s+)?(?P<m>[a-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\s+(?P<y>\d{4}))?$")
_NUMERIC = re.compile(r"^(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})(?:[/.-](?P<y>\d{2,4}))?|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))$")
_WEEKDAY = re.compile(r"^(?:(?P<this>ce|this|le|on|next)\s+)?(?P<wd>[a-z]+)(?:\s+(?P<next>prochain|d'apres|qui vient))?$")


SHORT_WEEKDAYS: dict[str, str] = {
    "lun": "lundi", "mar": "mardi", "mer": "mercredi", "jeu": "jeudi", "ven": "vendredi", "sam": "samedi", "dim": "dimanche",
    "mon": "monday", "tue": "tuesday", "tues": "tuesday", "wed": "wednesday", "thu": "thursday", "thur": "thursday",
    "thurs": "thursday", "fri": "friday", "sat": "saturday", "sun": "sunday",
}  # fmt: skip
"""Weekdays written short (« sam. 12 avril », "Sat 12 April"), read as the whole word before a date."""
_SHORT_WEEKDAY = re.compile(
    r"\b(?P<wd>"
    + "|".join(sorted(SHORT_WEEKDAYS, key=len, reverse=True))
    + r")\.?\s+(?=(?P<d>\d{1,2})(?:er|st|nd|rd|th)?(?P<after>[/.-]\d|\s+[a-z]+))"
)


def _whole_weekday(found: re.Match[str]) -> str:
    """A short weekday before a day number: its whole name when a date follows (« sam. 12/04 », « dim 3
    mai »); « mar 12 » stays March 12th when no month follows (March, not mardi, in English)."""
    after = found["after"].strip()
    if after[:1].isalpha() and after not in MONTHS:
        return found.group(0)
    return SHORT_WEEKDAYS[found["wd"]] + " "


def clean_words(text: str) -> str:
    """``text`` in the form every reader here matches: folded (lower case, no accents), commas out,
    "le 10" / "the 10th of" reduced to "10", one space between words, a short weekday before a date
    written whole (« sam. 12 avril »: « samedi 12 avril »)."""
    words = fold(text).replace("’", "'")
    words = _SHORT_WEEKDAY.sub(_whole_weekday, words)
    words = re.sub(r"(?<=\d)t(?=\d)", " ", re.sub(r"[,;]", " ", words))  # 2026-12-03T09:30
    words = re.sub(r"\b(?:le|the|on)\s+(?=\d)", "", words)  # "le 10 décembre", "on the 10th"
    words = re.sub(r"\b(?:of)\b", " ", words)  # "10th of December"
    words = re.sub(r"\s+", " ", words).strip(" .!")
    return words


def _time_of(words: str) -> tuple[str, tuple[int, int] | None] | None:
    """(the rest of the text, (hour, minute) or None when no time is written); None when the time is impossible."""
    found = _TIME.search(words)
    if found is None or (found["h"] is None and not found["noon"] and not found["midnight"]):
        return words, None
    rest = words[: found.start()].strip()
    if found["noon"] or found["midnight"]:
        hour, minute = (12 if found["noon"] else 0), 0
    else:
        hour = int(found["h"])
        minute = int(found["min"] or (found["min_ap"] or ":0")[1:] or 0)
        if found["sep"] is None and found["ampm"] is None:
            return words, None
        if found["ampm"]:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if found["ampm"].startswith("p") else 0)
    tail = found["tail"] or ""
    if tail in ("et demie",):
        minute += 30
    elif tail == "et quart":
        minute += 15
    elif tail == "moins le quart":
        hour, minute = hour - 1, minute + 45
    elif tail in ("du soir", "de l'apres-midi", "de l'apres midi", "in the evening") and hour < 12:
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return rest, (hour, minute)


class WrongWeekday(Exception):
    """A date typed with a day of the week it is not (« samedi 12 avril » when 12 April is a Monday):
    never read as either; the person is told the real day and asked again (:meth:`params`)."""

    def __init__(self, day: date, said: int) -> None:
        super().__init__(day.isoformat())
        self.day = day
        self.said = said

    def params(self, language: str) -> dict[str, str]:
        """``day`` (« 12 avril 2027 »), ``weekday`` (its real day, « lundi ») and ``said`` (« samedi »)
        for the refusal ``when.wrong_weekday``, in ``language``."""
        from babel.dates import format_date, get_day_names

        from conversations.i18n import first_of_month

        names = get_day_names("wide", locale=language)
        written = first_of_month(str(format_date(self.day, format="long", locale=language)), self.day.day, language)
        return {"day": written, "weekday": str(names[self.day.weekday()]), "said": str(names[self.said])}


def _checked_weekday(day: date, weekday: str | None, today: date, yearly: bool) -> None:
    """Raise :class:`WrongWeekday` when ``weekday`` is written and ``day`` (the next one to come for a
    day and month without a year) is another day of the week."""
    if weekday is None or weekday not in WEEKDAYS:
        return
    if yearly and day < today:
        try:
            day = day.replace(year=day.year + 1)
        except ValueError:  # 29 February
            return
    if day.weekday() != WEEKDAYS[weekday]:
        raise WrongWeekday(day, WEEKDAYS[weekday])


def read_day(words: str, today: date) -> tuple[date, str] | None:
    """The day ``words`` (as :func:`clean_words` leaves them) names, read against ``today``: (the day,
    how it is fixed: "fixed", "yearly" for a day and month without a year, "weekly" for a weekday
    that may be today); None when not understood or impossible ("31/02"). Empty words are today.
    Raises :class:`WrongWeekday` for a day of the week that is not that date's (« samedi 12 avril 2027 »)."""
    try:
        return _day_of(words, today)
    except ValueError:  # 31/02
        return None


def _day_of(words: str, today: date) -> tuple[date, str] | None:
    if not words:
        return today, "fixed"
    if words in RELATIVE_DAYS:
        return today + timedelta(days=RELATIVE_DAYS[words]), "fixed"
    found = _IN_DAYS.match(words)
    if found:
        count = 1 if found["n"] in ("un", "une", "a", "an") else read_number(found["n"])
        if count is None or count > 400:
            return None
        return today + timedelta(days=count * (7 if found["unit"].startswith(("semaine", "week")) else 1)), "fixed"
    named = re.match(r"^(?P<wd>[a-z]+)\s+(?P<day>[\d/.-]+)$", words)  # « samedi 12/04 »: that day a Saturday?
    if named and named["wd"] in WEEKDAYS and _NUMERIC.match(named["day"]):
        read = _day_of(named["day"], today)
        if read is not None:
            _checked_weekday(read[0], named["wd"], today, yearly=read[1] == "yearly")
        return read
    found = _NUMERIC.match(words)
    if found:
        if found["iy"]:
            return date(int(found["iy"]), int(found["im"]), int(found["id"])), "fixed"
        year = int(found["y"]) if found["y"] else today.year
        year += 2000 if found["y"] and year < 100 else 0
        return date(year, int(found["m"]), int(found["d"])), "fixed" if found["y"] else "yearly"
    words = re.sub(r"^(?:le|the|on)\s+(?=\w+\s+\d)", "", words)  # "le mardi 10 décembre"
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        found = pattern.match(words)
        if found and found["m"] in MONTHS and (found["wd"] is None or found["wd"] in WEEKDAYS):
            year = int(found["y"]) if found["y"] else today.year
            day = date(year, MONTHS[found["m"]], int(found["d"]))
            _checked_weekday(day, found["wd"], today, yearly=not found["y"])  # « samedi 12 avril »: that day a Saturday?
            return day, "fixed" if found["y"] else "yearly"
    found = _WEEKDAY.match(words)
    if found and found["wd"] in WEEKDAYS:
        ahead = (WEEKDAYS[found["wd"]] - today.weekday()) % 7
        if ahead == 0 and (found["this"] == "next" or found["next"]):
            ahead = 7
        return today + timedelta(days=ahead), "weekly" if ahead == 0 else "fixed"
    return None


def read_moment(text: str, now: datetime) -> datetime | None:
    """The local moment ``text`` names, read against ``now`` (an aware local time), or None when
    it is not understood. A day without a time is at :data:`DEFAULT_HOUR`; a time without a day is
    today; a weekday is the next one (today if its time is still ahead, unless "prochain"/"next");
    a day and month without a year is the next one to come; « demain » typed in the night (before
    :data:`NIGHT_ENDS`) is the coming day. The result may be in the past: the caller refuses it with its own message."""
    words = clean_words(text)
    if not words:
        return None
    timed = _time_of(words)
    if timed is None:
        return None
    rest, clock = timed
    for part, hour in PARTS_OF_DAY.items():  # "demain matin", "ce soir 8h", "Friday afternoon"
        if rest == part or rest.endswith(" " + part):
            rest = rest[: -len(part)].strip()
            if clock is None:  # the usual hour of that part of the day
                clock = (hour, 0)
            elif hour >= 14 and clock[0] < 12:  # "ce soir 8h" is 20:00
                clock = (clock[0] + 12, clock[1])
            break
    if rest in ("ce", "cet", "this"):
        rest = ""
    day = read_day(rest, now.date())
    if day is None:
        return None
    when, how = day
    hour, minute = clock if clock is not None else (DEFAULT_HOUR, 0)
    moment = now.replace(year=when.year, month=when.month, day=when.day, hour=hour, minute=minute, second=0, microsecond=0)
    if now.hour < NIGHT_ENDS and RELATIVE_DAYS.get(rest, 0) > 0:  # « demain 9h » at 0:40: this coming morning
        coming = moment - timedelta(days=1)
        if coming > now:
            return coming
    if how == "yearly" and moment < now:  # "10 décembre" typed after it passed: next year's
        try:
            moment = moment.replace(year=moment.year + 1)
        except ValueError:
            return None
    if how == "weekly" and moment < now:  # "mardi 9h" on a Tuesday at noon: next week's
        moment += timedelta(days=7)
    return moment


INSTRUCTION_WORDS = frozenset(
    """
    programme programmer programmez programmes planifie planifier planifiez planifies prevois prevoir prevoyez
    envoie envoyer envoyez envoies envoi diffuse diffuser diffusez diffuses publie publier publiez lance lancer lancez
    mets mettre mettez cale caler calez fais faire faites part partir parte
    schedule send post publish plan launch set put make go out have
    le la les l lui ca cela ceci leur moi nous it them this that
    pour plutot alors donc mais plus tard envoi a au aux de du des en pour que qu il elle on
    for on at in by instead rather then but later please svp stp merci thanks ok oui yes d accord
    je voudrais veux peux pouvez pourrais pourriez tu vous i would like want can could you
    """.split()
)
"""Words of an instruction around a moment (« programme-le pour demain 9h », "schedule it for
tomorrow 9am", « envoie-le lundi à 10h »): the verbs that send or schedule, pronouns, prepositions
and courtesy. A word outside them (« annule », « pas ») means the sentence says something else."""


def moment_in(text: str, now: datetime) -> datetime | None:
    """The moment named inside an instruction (« programme-le pour demain 9h », "send it on Monday at
    10am", "schedule it for 9am tomorrow"): the longest run of words :func:`read_moment` reads (its
    time first or last), every other word an instruction word (:data:`INSTRUCTION_WORDS`); None
    otherwise. May raise :class:`WrongWeekday`, as :func:`read_moment` does."""
    words = clean_words(text).split()
    if not words or len(words) > 16:
        return None
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            rest = words[:start] + words[start + size :]
            if not all(part in INSTRUCTION_WORDS for word in rest for part in re.split(r"[-']", word) if part):
                continue
            window = words[start : start + size]
            readings = [" ".join(window)]
            if 1 < size <= 6:  # "9am tomorrow", « à 10h lundi »: the time before the day
                readings += [" ".join(window[cut:] + window[:cut]) for cut in range(1, size)]
            for reading in readings:
                moment = read_moment(reading, now)
                if moment is not None:
                    return moment
    return None


_DURATION = re.compile(r"^(?P<n>.+?)\s*(?P<unit>jours?|j|days?|d|semaines?|sems?|weeks?|wks?|mois|months?|ans?|annees?|years?)$")
_DURATION_NOISE = re.compile(r"\b(?:les|the|sur|over|last|past|derniers?|dernieres?)\b")
_UNITS = {
    "j": "day", "jour": "day", "day": "day", "d": "day", "semaine": "week", "week": "week", "sem": "week", "wk": "week",
    "mois": "month", "month": "month", "an": "year", "annee": "year", "year": "year",
}  # fmt: skip
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def read_duration(text: str) -> tuple[int, str] | None:
    """A duration typed as a number and a unit ("30 jours", "3 mois", "un an", "the last 90 days"):
    (how many, the unit: ``day``, ``week``, ``month`` or ``year``), None when none is written."""
    found = _DURATION.match(re.sub(r"\s+", " ", _DURATION_NOISE.sub(" ", clean_words(text))).strip())
    if found is None:
        return None
    count = 1 if found["n"] in ("un", "une", "a", "an", "one") else read_number(found["n"])
    unit = found["unit"]
    unit = unit if unit in _UNITS else unit[:-1]
    return None if count is None or unit not in _UNITS else (count, _UNITS[unit])


def read_days(text: str) -> int | None:
    """A period looked back on, in days ("30 jours", "3 mois", "the last 90 days", "12 months" → 360),
    None when none is written. Months count 30 days, years 365 (a listing's end counts calendar
    months instead: :func:`conversations.expiry.months_after`)."""
    read = read_duration(text)
    return None if read is None else read[0] * _UNIT_DAYS[read[1]]


_CLOCK = r"(?:\d{1,2}(?:\s*(?:h|heures?)\s*(?:\d{2})?|:\d{2})?(?:\s*(?:am|pm|a\.m\.|p\.m\.))?|midi|noon|minuit|midnight)"
_SPAN = re.compile(
    rf"(?:^|\s)(?:de|from|entre|between)?\s*(?P<a>{_CLOCK})\s*"
    rf"(?:-|–|—|a|au|to|till|until|jusqu'a|jusqu a|et|and)\s*(?P<b>{_CLOCK})\s*$"
)
_HAS_UNIT = re.compile(r"h|:|am|pm|a\.m\.|p\.m\.|midi|noon|minuit|midnight")
_FROM_LEAD = re.compile(r"(?:^|\s)(?:a partir de|des|starting (?:at|from))\s+(?=\d)")
"""« à partir de 18h30 jusqu'à 21h », « dès 18h30 », "starting at 6pm until 9pm": the start of a range (« de »)."""
_END_LEAD = re.compile(
    r"^(?:(?:jusqu'?\s?(?:a|au)|jusque|until|till|up to|to|a|vers|environ|around|about|(?:on )?(?:finit|termine|finish(?:es|ing)?|ends?)(?: a| at| vers| around)?)\s+)+"
)
_ROUGHLY = re.compile(r"\s+(?:environ|a peu pres|grand max|max(?:imum)?|about|roughly|or so|at the latest|au plus tard)$|-?ish$")


def end_time_words(text: str) -> str:
    """What says the end's time in an answer to « Jusqu'à quelle heure ? » (« jusqu'à 21h environ », "until 9pm
    roughly", « on finit vers 21h » → « 21h », "9pm"): the words around the time read past."""
    words = clean_words(text)
    return _ROUGHLY.sub("", _END_LEAD.sub("", words)).strip() or words


def read_span(text: str, now: datetime) -> tuple[datetime, datetime | None] | None:
    """The local start and end of a time range ("samedi 12 décembre de 10h à 17h", "12/12 10h-17h",
    "10:00 - 17:00", "Saturday from 10am to 5pm"), or the moment of :func:`read_moment` and None
    when no end is written; None when not understood, or when the end is not after the start.
    A bare number on one side takes the other side's unit ("de 10 à 17h", "from 10 to 5pm")."""
    words = _FROM_LEAD.sub(" de ", clean_words(text)).strip()
    found = _SPAN.search(words)
    if found is None or not (_HAS_UNIT.search(found["a"]) or _HAS_UNIT.search(found["b"])):
        moment = read_moment(text, now)
        return None if moment is None else (moment, None)
    day = words[: found.start()].strip()
    first, second = found["a"].strip(), found["b"].strip()
    ampm = re.search(r"^(\d{1,2}).*?(am|pm|a\.m\.|p\.m\.)$", second)
    if not _HAS_UNIT.search(first):  # "de 10 à 17h", "from 10 to 5pm"
        first += "h"
        if ampm:  # the end's am/pm, unless the start would come after it: "from 10 to 5pm" starts at 10 am
            first = f"{found['a'].strip()} {'am' if ampm[2].startswith('p') and int(found['a']) > int(ampm[1]) else ampm[2]}"
    elif not _HAS_UNIT.search(second):
        second += "h"
    start = read_moment(f"{day} {first}".strip(), now)
    if start is None:
        return None
    end = read_moment(second, start)  # a time alone: the start's day
    if end is None or end <= start:
        return None
    return start, end
