"""How long a pause lasts, as people say it: « /pause jusqu'au 15 janvier », « pause pendant 2 semaines »,
« je fais une pause jusqu'à la rentrée », "pause until January 15", "pause for two weeks". Pure: no I/O.

The end is read by the listings' reader of durations (:func:`conversations.expiry.read_expiry`): one way to
read « jusqu'à … » and « pendant … » for the whole bot. The day named is the pause's last one: suggestions
start again by themselves the next morning (:func:`storage.actors.end_pauses`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from conversations.expiry import format_day_in, read_expiry
from conversations.moments import read_duration
from conversations.understanding import fold


@dataclass(frozen=True, slots=True)
class PauseEnd:
    """What was read after « pause »: the pause's last day (``day``), none (``day`` None: until /reprendre), or
    the key of a refusal (``error``)."""

    day: date | None = None
    error: str | None = None


def read_pause_end(words: str, today: date) -> PauseEnd:
    """The end typed after /pause (« jusqu'au 15 janvier », « pendant 2 semaines », "until January 15", "for two
    weeks", « jusqu'à nouvel ordre »: none). Refused: a day already past, beyond a year, or words that say no end."""
    if not words.strip(" .!"):
        return PauseEnd()
    read = read_expiry(words, today)
    if read is None:
        return PauseEnd(error="pause.unclear")
    if read.error is not None:
        return PauseEnd(error="pause.past" if read.error == "when.past" else "pause.too_far")
    if read.open_ended:  # « jusqu'à nouvel ordre », "until further notice": until /reprendre
        return PauseEnd()
    return PauseEnd(day=read.day)


def pause_until(day: date, now: datetime) -> datetime:
    """The moment a pause whose last day is ``day`` ends: the next midnight where the person lives (``now``'s zone)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=now.tzinfo)


def pause_last_day(until: str, now: datetime, language: str) -> str:
    """The last day of a pause ending at ``until`` (ISO), written in ``language`` (« 15 janvier 2027 »)."""
    end = datetime.fromisoformat(until).astimezone(now.tzinfo)
    return format_day_in((end - timedelta(days=1)).date().isoformat(), language)


def resume_day(until: str, now: datetime, language: str) -> str:
    """The day suggestions start again after a pause ending at ``until``, written in ``language``."""
    return format_day_in(datetime.fromisoformat(until).astimezone(now.tzinfo).date().isoformat(), language)


_LEAD_WORDS = frozenset(
    """
    bonjour salut hello hi bon ok alors du coup so well
    je j on nous i we moi me us
    voudrais voudrait voudrions veux veut voulons souhaite souhaitons aimerais aimerait vais va allons prefere
    would like want wanna d m am are re will ll going gonna need to prefer
    fais fait faisons faire prends prend prenons prendre mets met mettez mettre passe passer
    take taking make put be go please svp stp can could you pouvez pourriez pouvez vous peux tu
    my our the les mes nos mon notre suggestions suggestion compte account
    une un a en petite little short small
    """.split()
)
"""Words before « pause » in a wish to pause (« je voudrais faire une petite pause », "I'd like to take a break",
« mettez-moi en pause », « mets mes suggestions en pause »)."""
_PAUSED_WORDS = frozenset(("pause", "break"))
_ABOUT_WORDS = frozenset(
    "des de les mes nos on from with my our the suggestions suggestion messages notifications alertes alerts svp please stp merci thanks".split()
)
"""Words right after « pause » that say what is paused (« pause des suggestions », "a break from suggestions")."""
_END_WORDS = re.compile(r"^(?:jusqu|jusque|pendant|pour|durant|until|till|til|for|during|through|up to|encore|another)\b")
"""How a pause's end begins (« jusqu'au … », « pendant … », "until …", "for …")."""


def pause_wish(text: str) -> str | None:
    """What follows a wish to pause typed in words (« pause pendant 2 semaines » → « pendant 2 semaines »; « je
    fais une pause » → ""); None when ``text`` is no such wish: a question, or « pause » followed by words that are
    no end (« pause déjeuner offerte »)."""
    if "?" in text or len(text) > 160:
        return None
    words = fold(text).replace("’", "'").replace("-", " ")
    tokens = re.sub(r"\s+", " ", re.sub(r"'", "' ", re.sub(r"[^\w'/.]+", " ", words))).strip(" .").split()
    at = 0
    while at < len(tokens) and tokens[at].rstrip("'") in _LEAD_WORDS:
        at += 1
    if at >= len(tokens) or tokens[at] not in _PAUSED_WORDS:
        # « on part en vacances, pause jusqu'au 4 janvier »: the wish in the last clause, with its end
        clauses = [clause for clause in re.split(r"\s*[,;:!]\s+|\.\s+", text) if clause.strip()]
        last = pause_wish(clauses[-1]) if len(clauses) > 1 else None
        return last or None
    at += 1
    while at < len(tokens) and tokens[at] in _ABOUT_WORDS and not _END_WORDS.match(" ".join(tokens[at:])):
        at += 1
    rest = re.sub(r"'\s+", "'", " ".join(tokens[at:])).strip(" .")
    rest = re.sub(r"^(?:pdt|pndt)\b", "pendant", rest)  # SMS style
    if rest and not _END_WORDS.match(rest) and read_duration(rest) is None:  # « pause 2 semaines »: a duration still
        return None
    return rest
