"""Events: a coordinator publishes one (``/evenement``: title, date, place, capacity, audience
like a call); actors sign up in the chat (``/evenements``), with a waiting list beyond the
capacity, and get an ``.ics`` file. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from conversations.calls import MAX_AHEAD, show_when, timezone_of
from conversations.engine import Finish, Flow, InputError, Option, Step
from conversations.i18n import translate, translate_plural
from conversations.model import Context, Session, language_of
from conversations.moments import ENGLISH_WEEKDAYS, FRENCH_WEEKDAYS, WrongWeekday, end_time_words, read_moment, read_number, read_span
from conversations.understanding import (
    KIND_WORDS,
    answers_yes_no,
    defers,
    event_intent,
    fold,
    negated,
    not_now,
    opens_with_yes,
    people_coming,
    people_range_said,
    says_unavailable,
    starts_declining,
    wish_besides,
)
from core import catalog
from core.model import Area
from core.types import Choice, Reply

MAX_CAPACITY = 10_000
DEFAULT_DURATION = timedelta(hours=2)
"""How long an event is taken to last when its end is not given (said to the coordinator)."""
MAX_DURATION = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class PublishEvent:
    """A coordinator publishes an event to the actors of an area (types and themes like a call)."""

    title: str
    starts_at: str
    place: str
    capacity: int
    area: dict[str, Any]
    kinds: tuple[str, ...]
    themes: tuple[str, ...]
    ends_at: str | None = None
    """Its end (ISO UTC); None: :data:`DEFAULT_DURATION` after the start."""


@dataclass(frozen=True, slots=True)
class SignUp:
    """An actor signs up to an event (or leaves it; or, ``decline``, says « Pas intéressé·e » to its invitation)."""

    event_id: int
    leave: bool = False
    decline: bool = False
    people: int | None = None
    """How many people come, when the sign-up said it (« on sera là avec 3 bénévoles »); None: one, or as already stored."""
    ranged: bool = False
    """``people`` was said as a range (« on sera 2 ou 3 »): its upper bound, the places held, said so."""


@dataclass(frozen=True, slots=True)
class CalendarFile:
    """An actor asks again for the ``.ics`` of an event they are registered to (None: of each
    upcoming event they are registered to), any time before it starts."""

    event_id: int | None = None


EVENT_EFFECTS = (PublishEvent, SignUp, CalendarFile)


# ---------------------------------------------------------------- the invitation's buttons

INVITATION_PROMPT = "event-"
"""The prompt id of an event's invitation: this prefix and the event's id ("event-12"). Not a
decision token: an invitation is a notice shown at once, which needs no answer; its buttons (or
its numbers on the console) sign up or say no, whatever question is current, which stays."""
INVITATION_CHOICES = ("join", "decline")


def invitation(text: str, event_id: int, language: str) -> Reply:
    """The invitation ``text`` to event ``event_id`` as a notice with its buttons (« Je m'inscris »,
    « Pas intéressé·e »): numbered on the console, reactions on Matrix, like the other choices."""
    choices = tuple(Choice(value, translate(language, f"event.invitation.{value}")) for value in INVITATION_CHOICES)
    return Reply(text, choices=choices, prompt_id=f"{INVITATION_PROMPT}{event_id}", notice=True, language=language)


def invited_to(prompt_id: str | None) -> int | None:
    """The event whose invitation ``prompt_id`` is, or None."""
    rest = (prompt_id or "").removeprefix(INVITATION_PROMPT)
    return int(rest) if prompt_id and prompt_id.startswith(INVITATION_PROMPT) and rest.isdigit() else None


def invitation_choice(text: str, language: str) -> str | None:
    """The invitation's choice a typed line is, by its number ("1", as the console and Matrix number
    them) or its label ("je m'inscris", "pas intéressé·e"); None for any other line."""
    said = _said(text)
    for number, value in enumerate(INVITATION_CHOICES, start=1):
        if said in (str(number), _said(translate(language, f"event.invitation.{value}").replace("·e", ""))):
            return value
    return None


# ---------------------------------------------------------------- what people say about an event


def _said(text: str) -> str:
    """``text`` folded to its words ("Je m'inscris !" → "je m inscris")."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


_NOT = re.compile(
    r"\b(?:ne|n|pas|plus|jamais|not|never|cannot|can t|cant|won t|wont|don t|dont|unable|impossible)\b|\bcount (?:me|us) out\b"
)
_JOIN = re.compile(
    r"^(?:(?:oui|yes|ok|d accord|alors|bon|ben|bah|super|avec plaisir|with pleasure|great|sure|bonjour|hello|hi|finalement|en fait|"
    r"du coup|eh bien|et bien|tout compte fait|apres reflexion|c est decide|actually|in the end|after all|so|well|ok so|right|"
    r"on a reflechi|we thought about it|changement de plan|change of plan[s]?)\s+)*"
    r"(?:"
    r"(?:je|j|on|nous)\s+(?:veux|voudrais|souhaite|souhaiterais|aimerais|voulons|voudrions|souhaitons|aimerions|veut|voudrait|souhaite)\s+"
    r"(?:bien\s+)?(?:m |nous |s )?(?:inscrire|venir|participer|y aller|en etre|reserver)"
    r"|(?:je\s+(?:m|me)|on\s+(?:s|se)|nous\s+nous)\s+(?:y\s+)?inscri\w*"
    r"|(?:inscri\w*|reserve\w*|compte\w*|mets|mettez|mettre)\s+(?:moi|nous)"
    r"|m inscrire|nous inscrire"
    r"|(?:je|on|nous)\s+(?:viens|venons|vient|viendrai|viendrons|viendra|participe|participons|participerai|participerons|participera)"
    r"(?!\s+(?:de|d)\b)"
    r"|(?:j|on|nous)\s+y\s+(?:serai|sera|serons|vais|va|allons)"
    r"|(?:je|on|nous)\s+(?:serai|sera|serons)\s+(?:la|present|presente|presents|presentes)"
    r"|(?:je\s+suis\s+|on\s+est\s+|nous\s+sommes\s+)?(?:partant|partante|partants|partantes|present|presente|de la partie)"
    r"|une place pour (?:moi|nous)"
    r"|count (?:me|us) in|sign (?:me|us) up|sign up|register(?: me| us)?|book (?:me|us)|save (?:me|us) a (?:seat|place|spot)"
    r"|(?:i|we)(?: ll| will| d like to| would like to| want to| wanna| am going to| m going to| are going to| re going to)?\s+"
    r"(?:come|attend|join|be there|register|sign up)"
    r"|(?:i m|im|we re|i am|we are)\s+(?:in|coming|going|attending)"
    r"|rsvp(?: yes)?|je m inscris"
    r")\b"
)


JOIN_MAX_WORDS = 16
"""A sign-up said in a sentence this long at most (« finalement on viendra à la fête des assos, inscrivez-nous »)."""


def join_intent(text: str) -> bool:
    """Whether ``text`` says the person wants to sign up ("je m'inscris", "je viens", "inscrivez-moi",
    "j'y serai", "count me in", "I'll come", "sign me up"), and not that they won't ("je ne viens
    pas", "I can't come", "count me out") nor something else ("je viens de créer mon asso")."""
    return join_tail(text) is not None


def join_tail(text: str) -> str | None:
    """What follows the wish to sign up ("" for "je m'inscris", "au forum" for "je viens au forum"),
    None when ``text`` says no such wish (see :func:`join_intent`)."""
    said = _said(text)
    found = _JOIN.match(said)
    if len(said.split()) > JOIN_MAX_WORDS or _NOT.search(said) or found is None:
        return None
    return said[found.end() :].strip()


_NUMBER_WORDS = (
    r"\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|quelques|plusieurs|"
    r"one|two|three|four|five|seven|eight|nine|ten|a few|a couple|several"
)
_COMPANIONS = re.compile(
    rf"^(?:(?:avec|with|along with|accompagne\w*|et|and|plus)\s+)?(?:(?:{_NUMBER_WORDS})\b|(?:mon|ma|mes|notre|nos|my|our|des|some)\s)"
    r"|^a\s+(?:\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|plusieurs)\b"
    rf"|^(?:there ll be|there will be|we ll be|we will be|on sera|nous serons)\s+(?:{_NUMBER_WORDS})\b"
    r"|^(?:(?:on|nous|we|we ll|we will|i ll|i will|je)\s+)(?:ramen\w*|amen\w*|viendr\w*|sera|serons|serai|bring|come|be)\b"
    r"|^(?:en famille|en equipe|as a team|together)\b"
)


def says_companions(tail: str) -> bool:
    """Whether what follows a sign-up (:func:`join_tail`) says who comes along (« avec 3 bénévoles », « à deux »,
    "with 3 volunteers", "we'll bring 3 colleagues"), not what one takes part in (« à un projet de jardin »)."""
    return _COMPANIONS.match(tail) is not None


_TITLE_NOISE = frozenset("des les pour avec dans sur une the and for with from aux".split())


def named_events(tail: str, events: list[Any]) -> list[Any]:
    """The events whose title ``tail`` names ("au forum" → « Forum des associations »): its whole
    title, or one of its words of four letters or more."""
    words = set(tail.split())
    found = []
    for event in events:
        title = _said(event.title)
        significant = {w for w in title.split() if len(w) >= 4 and w not in _TITLE_NOISE}
        if title and (f" {title} " in f" {tail} " or significant & words):
            found.append(event)
    return found


def event_meant(text: str, events: list[Any]) -> Any | None:
    """The one event a wish to sign up means among ``events``: the one its words name, else the only
    one when it names none ("je m'inscris"); None when it names none of several, or several."""
    tail = join_tail(text) or ""
    named = named_events(tail, events)
    if len(named) == 1:
        return named[0]
    return events[0] if len(events) == 1 and not named else None


_EVENT_WORDS = re.compile(
    r"\b(?:evenements?|evenement|event|events|soirees?|evening|fetes?|party|invitation|invit|invite|rendez vous|rdv|rencontre|meeting)\b"
)
"""Words that name an event without its title (« l'événement », « la soirée », « la fête », "the event", "the party")."""
_EITHER_JOIN = re.compile(r"(?:partant\w*|present\w*|de la partie|\bin)$")
"""A sign-up's words that also say yes to anything else (« partants », « présent », "I'm in"): an invitation's only when
they name it."""


_UNAVAILABLE_IN_GENERAL = re.compile(
    r"\b(?:en ce moment|pour le moment|pour l instant|actuellement|ces temps ci|ce mois ci|ce mois|cette annee|cette periode|"
    r"right now|at the moment|for now|currently|these days|this month|this year|"
    r"les (?:rencontrer|voir|recevoir|contacter)|pour eux|pour un partenariat|(?:meet|see|talk to|contact) them|for them|"
    r"for a partnership|(?:vous|te|les|le|la|nous) (?:voir|rencontrer|recevoir|appeler|contacter)|(?:see|meet|call) (?:you|him|her))\b"
)
"""What makes an unavailability general or about someone (« pas dispo en ce moment », « pas dispo pour les rencontrer »,
"not available right now"): an answer to the question on screen, unless the event is named."""


def names_invitation(text: str, title: str, starts_at: str, timezone: str) -> bool:
    """Whether ``text`` names the event ``title`` starting at ``starts_at`` (ISO): a word of its title of four letters or
    more (« au forum »), the day of the week it falls on in ``timezone`` (« samedi », "on Saturday"), or a word that can
    only mean an event (« l'événement », « la soirée », "the party")."""
    said = _said(text)
    words = set(said.split())
    title_words = {w for w in _said(title).split() if len(w) >= 4 and w not in _TITLE_NOISE}
    if title_words & words or _EVENT_WORDS.search(said):
        return True
    try:
        day = datetime.fromisoformat(starts_at).astimezone(ZoneInfo(timezone)).weekday()
    except (ValueError, KeyError):
        return False
    return bool({FRENCH_WEEKDAYS[day], ENGLISH_WEEKDAYS[day]} & words)  # whole names: « sat » is no Saturday here


def invitation_answer(text: str, title: str, starts_at: str, timezone: str) -> str | None:
    """What ``text``, typed while another question is on screen, answers to the waiting invitation to ``title``: « join »
    for words that only a sign-up says (« je viens », « on sera là », « inscrivez-moi », "count me in") or a yes that names
    the event (« oui pour le forum », « ok pour l'événement, on sera 4 »); « decline » for an unavailability (« pas dispo
    ce jour-là », "can't make it") or a no that names it (« non merci pour la soirée »); None for anything else — a bare
    yes or no, a later, words that fit any question — which stays the question on screen's."""
    if len(text) > 300 or defers(text) or not_now(text):
        return None
    named = names_invitation(text, title, starts_at, timezone)
    if says_unavailable(text) and (named or _UNAVAILABLE_IN_GENERAL.search(_said(text)) is None):
        return "decline"
    found = _JOIN.match(_said(text))
    if join_tail(text) is not None and found is not None and (named or not _EITHER_JOIN.search(found.group(0))):
        return "join"
    if not named or wish_besides(text) is not None:  # « oui, et on cherche aussi des tables pour samedi »: the question's
        return None
    if starts_declining(text) or decline_intent(text):
        return "decline"
    if opens_with_yes(text) or answers_yes_no(text) is True or (people_coming(text) or 0) > 0:
        return "join"
    return None


_LEAVE_UNNAMED = re.compile(
    r"\b(?:desinscri\w*|unregister\w*|unsubscribe|withdraw|"
    r"(?:annul\w*|cancel\w*|retir\w*|supprim\w*|enlev\w*|remove|drop)\s+(?:mon|ma|notre|nos|my|our|l|la)\s*"
    r"(?:inscription|place|participation|venue|registration|spot|seat|booking|reservation|sign up|signup)s?|"
    r"(?:retir\w*|enlev\w*|sort\w*)\s+(?:moi|nous)\s+de la liste|(?:remove|take)\s+(?:me|us)\s+(?:off|from)\s+the list|"
    r"(?:j?pourr\w*|j?peu\w*|j?sera\w*|serai|serons|j?viendr\w*|vien\w*)\s+(?:malheureusement\s+|finalement\s+|plus\s+)?pas\s+"
    r"(?:venir|etre la|la|present\w*|y aller|y etre|participer)|plus venir|(?:j?viendr\w*)\s+(?:finalement\s+)?pas\b|"
    r"(?:can t|cannot|can not|cant|won t|wont|will not|not|can no longer|could no longer)\s+(?:make it|come|be there|attend|join)|"
    r"no longer (?:coming|attending|able to come|able to make it))\b"
)
"""Words that can only give an event's place back (« je pourrai pas venir », « annulez mon inscription », « je me
désinscris », "can't make it"), where no event is named: never « on annule » alone, which may be about anything."""


_NO_LONGER_FREE = re.compile(r"\b(?:plus|pas|finalement pas) (?:dispo\w*|disponibles?|libres?)\b|\bno longer (?:free|available)\b")
"""« plus dispo », « pas disponible », "no longer available": a place given back only where an event is named (« plus
dispo samedi »), since it may answer anything else."""


@dataclass(frozen=True, slots=True)
class Leaving:
    """What words that give a place back (:func:`leave_meant`) mean among the person's upcoming events: ``event`` left
    (``kind`` "leave"), several registrations and none named ("which"), or an event one is not registered to
    ("not_registered", ``event`` the one named, or None: registered to none)."""

    kind: str
    event: Any | None = None
    named: bool = False


def leave_meant(text: str, events: list[Any], timezone: str) -> Leaving | None:
    """Whether ``text`` gives back one's place at an upcoming event (« finalement je pourrai pas venir au forum », « désolé
    on annule pour samedi, on ne viendra pas », "sorry, can't make it to the forum after all"), and which: the one it names
    (a word of its title, its day, « l'événement »), else the only one the person is registered to (or waits for).
    None when it says no such thing, or says it in general (« pas dispo en ce moment »): another question's answer."""
    if len(text) > 300 or defers(text) or join_tail(text) is not None:
        return None
    said = _said(text)
    unnamed = _LEAVE_UNNAMED.search(said) is not None  # « pas dispo » alone may answer anything: never unnamed
    if not unnamed and not says_unavailable(text) and event_intent(text) != "leave" and _NO_LONGER_FREE.search(said) is None:
        return None
    by_title = named_events(said, events)
    named = by_title or [e for e in events if names_invitation(text, e.title, e.starts_at, timezone)]
    if named:
        mine = [e for e in named if e.mine]
        if not by_title and len(mine) < len(named) and mine:  # « samedi » for two events that day, one not joined
            return Leaving("which", named=True)
        if len(mine) == 1:
            return Leaving("leave", mine[0], named=True)
        return Leaving("which", named=True) if mine else Leaving("not_registered", named[0], named=True)
    if _UNAVAILABLE_IN_GENERAL.search(said) or not unnamed:
        return None
    mine = [e for e in events if e.mine]
    if len(mine) == 1:
        return Leaving("leave", mine[0])
    return Leaving("which") if mine else Leaving("not_registered")


_DECLINE = re.compile(
    r"^(?:(?:non|no|nope)(?:\s+(?:merci|thanks|thank you|pas maintenant|not now|pas cette fois|not this time))?"
    r"|passer|je passe|on passe|skip|pass|pas maintenant|pas pour l instant|not now|not for now|plus tard|later|maybe later"
    r"|pas cette fois|not this time|non merci|no thanks|no thank you|pas interesse|pas interessee|not interested"
    r"|rien|nothing|laisser|leave it|tant pis|never mind|nevermind)$"
)


def decline_intent(text: str) -> bool:
    """Whether ``text`` turns the question down without changing anything ("passer", "skip",
    "non merci", "pas maintenant", "no thanks"), or says the person will not come ("je ne viens
    pas", "I can't come")."""
    said = _said(text)
    if _DECLINE.match(said):
        return True
    words = said.split()
    return len(words) <= 8 and bool(_NOT.search(said)) and bool(_JOIN.match(_NOT.sub(" ", said).replace("  ", " ").strip()))


_CALENDAR = re.compile(r"\b(?:calendrier|calendar|agenda|ics|ical|icalendar|invitation agenda|calendar invite)\b")
_CALENDAR_ASK = re.compile(
    r"\b(?:fichier|file|ajout\w*|add|mettre|put|telecharg\w*|download|renvoy\w*|envoy\w*|redonn\w*|resend|send|again|encore|"
    r"nouveau|de nouveau|perdu|lost|retrouv\w*|find|get|recevoir|avoir|dans mon|in my|to my|a mon|au|mon|my)\b"
)


def calendar_request(text: str) -> bool:
    """Whether ``text`` asks for an event's calendar file ("le fichier calendrier", "add to my
    calendar", "renvoyez-moi le .ics", "je l'ai perdu, l'invitation agenda"): a calendar word and
    a word of getting or adding it, in a short message."""
    said = _said(text)
    words = said.split()
    return 0 < len(words) <= 12 and bool(_CALENDAR.search(said)) and (len(words) <= 2 or bool(_CALENDAR_ASK.search(said)))


_CAPACITY = re.compile(
    r"^\s*(.+?)\s*(?:places?|personnes?|participants?|invites?|seats?|people|persons?|guests?|attendees?)?\s*$", re.IGNORECASE
)


def capacity_of(text: str) -> int | None:
    """The number of places typed (``30``, ``30 places``, ``trente``, ``une vingtaine`` ≈ 20,
    ``environ 40 personnes``), None when not a number from 1 to 10000."""
    found = _CAPACITY.match(_CAPACITY_AROUND.sub(" ", fold(text)).strip())
    value = read_number(found[1]) if found is not None else None
    if value is None:  # "1 seule place", "2 places max", "about 15 seats": the one number said
        numbers = re.findall(r"\d+", fold(text))
        value = int(numbers[0]) if len(numbers) == 1 else None
    return value if value is not None and 1 <= value <= MAX_CAPACITY else None


_CAPACITY_AROUND = re.compile(
    r"\b(?:seule?s?|seulement|uniquement|juste|maxi(?:mum)?|max|au plus|au maximum|pas plus de|jusqu a|jusqu'a|limitee? a|"
    r"limite de|only|just|at most|up to|no more than|limited to|tops|places? disponibles?|disponibles?|available)\b"
)


def _capacity(text: str) -> str | None:
    return None if capacity_of(text) is not None else "event.bad_capacity"


def _capacity_echo(value: Any, typed: str | None, session: Session, context: Context, lang: str) -> str | None:
    """The places read from the answer (« 60 à peu près » → « C'est noté : 60 places. »), said before what follows."""
    capacity = capacity_of(str(value))
    return translate(lang, "picker.chosen", choice=_places(capacity, lang)) if capacity else None


def _place(text: str) -> str | None:
    value = text.strip().lower()
    return "event.no_place" if len(value) < 2 or value in ("--", "aucun", "aucune", "none", "no", "non", "??") else None


def ics(event_id: int, title: str, starts_at: str, place: str, organiser: str, stamp: str, ends_at: str | None = None) -> bytes:
    """A one-event iCalendar file (RFC 5545), times in UTC, ending at ``ends_at`` (without one:
    :data:`DEFAULT_DURATION` after the start)."""

    def utc(moment: str) -> str:
        return datetime.fromisoformat(moment).strftime("%Y%m%dT%H%M%SZ")

    def text(value: str) -> str:
        return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")

    end = datetime.fromisoformat(ends_at) if ends_at else datetime.fromisoformat(starts_at) + DEFAULT_DURATION
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Trait d'union//FR",
        "BEGIN:VEVENT",
        f"UID:event-{event_id}@traitdunion",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(starts_at)}",
        f"DTEND:{utc(end.isoformat())}",
        f"SUMMARY:{text(title)}",
        f"LOCATION:{text(place)}",
        f"ORGANIZER;CN={text(organiser)}:mailto:noreply@traitdunion.invalid",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


# ---------------------------------------------------------------- dates and times of an event


def parse_event_when(text: str, now: datetime, timezone: str) -> tuple[datetime, datetime | None] | str:
    """The start and end (aware UTC; end None when not written) of a date typed with or without a
    time range ("samedi 12 décembre de 10h à 17h", "12/12 10h-17h", "Saturday from 10am to 5pm"),
    or the key of the error: not understood (or an end before the start), past, too far."""
    if len(text) > 80:
        return "when.unclear"
    today = now.astimezone(ZoneInfo(timezone))
    span = read_span(text, today)
    if span is None:
        return "event.when_unclear"
    start, end = span
    if start <= today:
        return "when.past"
    if start - today > MAX_AHEAD:
        return "when.too_far"
    return start.astimezone(UTC), end.astimezone(UTC) if end is not None else None


def span_of(value: str) -> tuple[str, str | None]:
    """The (start, end) ISO UTC of a stored ``when`` ("start/end" — an ISO 8601 interval — or "start")."""
    start, _, end = str(value).partition("/")
    return start, end or None


def _check_when(value: Any, _: Session, context: Context) -> str | None:
    try:
        parsed = parse_event_when(str(value), context.now, timezone_of(context))
    except WrongWeekday as wrong:  # « samedi 12 avril », a Monday: the real day said, asked again
        raise InputError("when.wrong_weekday", **wrong.params(language_of(context))) from None
    return parsed if isinstance(parsed, str) else None


def _settle_when(value: Any, _: Session, context: Context) -> str:
    try:
        parsed = parse_event_when(str(value), context.now, timezone_of(context))
    except WrongWeekday:  # refused by the check
        return str(value)
    if isinstance(parsed, str):  # already settled (a step shown again)
        return str(value)
    start, end = parsed
    return start.isoformat(timespec="seconds") + (f"/{end.isoformat(timespec='seconds')}" if end is not None else "")


def _read_end(value: Any, session: Session, context: Context) -> datetime | None:
    """The end typed at the "until when?" question ("17h", "17:00", "5pm", "17", "dimanche 18h"),
    read on the start's day; None when not understood or not after the start."""
    start = datetime.fromisoformat(span_of(session.data["when"])[0]).astimezone(ZoneInfo(timezone_of(context)))
    words = end_time_words(str(value))  # « jusqu'à 21h environ », "until 9pm": the time
    if re.fullmatch(r"\d{1,2}", words):  # "17": an hour
        words += "h"
    end = read_moment(words, start)
    if end is None or end <= start or end - start > MAX_DURATION:
        return None
    return end.astimezone(UTC)


def _check_end(value: Any, session: Session, context: Context) -> str | None:
    try:
        return None if _read_end(value, session, context) is not None else "event.bad_end"
    except WrongWeekday as wrong:
        raise InputError("when.wrong_weekday", **wrong.params(language_of(context))) from None


def _settle_end(value: Any, session: Session, context: Context) -> str:
    try:
        end = _read_end(value, session, context)
    except WrongWeekday:  # refused by the check
        return str(value)
    return end.isoformat(timespec="seconds") if end is not None else str(value)


def event_span(data: Mapping[str, Any]) -> tuple[str, str | None]:
    """The event's start and end as typed (the end of the range, else of the "until when?" question)."""
    start, end = span_of(data["when"])
    return start, end or data.get("end") or None


def show_span(starts_at: str, ends_at: str | None, timezone: str, language: str) -> str:
    """When an event takes place, unambiguous in both languages: "12/12/2026 10:00 – 17:00",
    "Sat 12 Dec 2026, 10:00 – 17:00"; an end on another day is written in full; no end: the start."""
    start = show_when(starts_at, timezone, language)
    if not ends_at:
        return start
    zone = ZoneInfo(timezone)
    first, last = datetime.fromisoformat(starts_at).astimezone(zone), datetime.fromisoformat(ends_at).astimezone(zone)
    end = last.strftime("%H:%M") if first.date() == last.date() else show_when(ends_at, timezone, language)
    return f"{start} – {end}"


# ---------------------------------------------------------------- /evenement (coordinators)


def _area_options(_: Session, context: Context) -> list[Option]:
    return [Option(f"{area.kind}:{area.code}", label=area.label) for area in context.areas]


def _only_area(session: Session, context: Context) -> Option | None:
    """A coordinator of one territory is not asked which: it is taken, and said as their territory (« C'est noté :
    Villeurbanne (69), votre territoire. »), never read as an echo of the answer just typed."""
    options = _area_options(session, context)
    if len(options) != 1:
        return None
    return Option(options[0].value, label=translate(language_of(context), "event.area_taken", area=options[0].label))


def _event_area(data: Mapping[str, Any], context: Context) -> dict[str, Any]:
    area = next(a for a in context.areas if f"{a.kind}:{a.code}" == data["area"])
    return {"kind": area.kind, "code": area.code, "label": area.label}


def _filters(data: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    kinds, themes = tuple(data.get("kinds") or ()), tuple(data.get("themes") or ())
    return (() if set(kinds) >= set(catalog.ACTOR_TYPES) else kinds, () if set(themes) >= set(catalog.THEME_VALUES) else themes)


def audience_line(kinds: tuple[str, ...], themes: tuple[str, ...], area: str, language: str) -> str:
    """ "🎯 Public : Associations · thèmes : Environnement · zone : Métropole de Lyon": whom a call or an
    invitation targets, so that a coordinator spots a wrong filter before sending (empty filter: all)."""
    types = ", ".join(translate(language, f"actor_type.{k}") for k in kinds) if kinds else translate(language, "audience.all_kinds")
    named = ", ".join(translate(language, f"theme.{t}") for t in themes) if themes else translate(language, "audience.all_themes")
    return translate(language, "audience.line", kinds=types, themes=named, area=area)


def _invited(session: Session, context: Context) -> str:
    """How many actors will be invited (the audience of the preview, without its weekly cap: an
    invitation is not a call; never the organiser's own profile)."""
    data = session.data
    if not data.get("area") or context.lookup is None:
        return ""
    kinds, themes = _filters(data)
    sender = context.actor.id if context.actor else None
    count = context.lookup.audience_size(Area(**_event_area(data, context)), kinds, themes, sender, capped=False)
    lang = language_of(context)
    return translate_plural(lang, "event.invited_n", count) if count else translate(lang, "event.invited_none")


def _shown_span(data: Mapping[str, Any], context: Context) -> str:
    """The event's dates in the preview; without an end, the duration assumed is said."""
    if not data.get("when"):
        return ""
    lang = language_of(context)
    start, end = event_span(data)
    if end is None:
        assumed = (datetime.fromisoformat(start) + DEFAULT_DURATION).isoformat(timespec="seconds")
        return translate(lang, "event.assumed_duration", when=show_span(start, assumed, timezone_of(context), lang))
    return show_span(start, end, timezone_of(context), lang)


def _places(capacity: int | None, language: str) -> str:
    """An event's capacity in words, its plural the catalog's ("1 place", "12 places")."""
    return translate_plural(language, "event.capacity_places", capacity) if capacity else ""


def _preview(session: Session, context: Context) -> dict[str, Any]:
    data = session.data
    return {
        "invited": _invited(session, context),
        "title": data.get("title", ""),
        "when": _shown_span(data, context),
        "place": data.get("place", ""),
        "capacity": _places(capacity_of(str(data.get("capacity", ""))), language_of(context)),
        "area": _event_area(data, context)["label"] if data.get("area") else "",
        "audience": audience_line(*_filters(data), _event_area(data, context)["label"], language_of(context)) if data.get("area") else "",
    }


def _finish_publish(data: Mapping[str, Any], context: Context) -> Finish:
    if data.get("confirm") != "publish":
        return Finish(message="event.cancelled")
    kinds, themes = _filters(data)
    start, end = event_span(data)
    effect = PublishEvent(
        data["title"], start, data["place"], capacity_of(data["capacity"]) or 1, _event_area(data, context), kinds, themes, end
    )
    return Finish(effects=(effect,))


PUBLISH = Flow(
    "event",
    {
        "title": Step("title", "text", "event.title", next="when", min_length=3, max_length=120),
        "when": Step(
            "when",
            "text",
            "event.when_span",
            next=lambda d: "place" if span_of(str(d.get("when")))[1] else "end",
            max_length=80,
            check=_check_when,
            settle=_settle_when,
        ),
        "end": Step("end", "text", "event.end", next="place", max_length=40, skippable=True, check=_check_end, settle=_settle_end),
        "place": Step("place", "text", "event.place", next="capacity", min_length=1, max_length=200, validate=_place),
        "capacity": Step("capacity", "text", "event.capacity", next="area", max_length=40, validate=_capacity, echo=_capacity_echo),
        "area": Step("area", "choice", "event.area", next="kinds", options=_area_options, auto=_only_area),
        "kinds": Step(
            "kinds",
            "multi",
            "broadcast.kinds",
            next="themes",
            options=lambda s, c: [Option(k, key=f"actor_type.{k}", words=KIND_WORDS[k]) for k in catalog.ACTOR_TYPES],
            preselect=lambda s, c: catalog.ACTOR_TYPES,
            ticked_prompt="broadcast.kinds_ticked",
        ),
        "themes": Step(
            "themes",
            "multi",
            "broadcast.themes",
            next="confirm",
            options=lambda s, c: [Option(t, key=f"theme.{t}") for t in catalog.THEME_VALUES],
            preselect=lambda s, c: catalog.THEME_VALUES,
            ticked_prompt="broadcast.themes_ticked",
        ),
        "confirm": Step(
            "confirm",
            "choice",
            "event.preview_count",
            next=None,
            options=(Option("publish", key="event.publish"), Option("cancel", key="broadcast.cancel")),
            params=_preview,
        ),
    },
    first="title",
    finish=_finish_publish,
    requires_actor=False,
)


# ---------------------------------------------------------------- /evenements (actors)


def open_events(context: Context) -> list[Any]:
    """The upcoming events the person was invited to (as :func:`storage.events.events_for` lists them)."""
    lookup = context.lookup
    if lookup is None or context.actor is None or not hasattr(lookup, "events_for"):
        return []
    return list(lookup.events_for(context.actor.id))


def own_events_text(context: Context) -> str | None:
    """What ``/evenements`` tells a coordinator of the events they published (upcoming, soonest first: each with its
    number, day, place and registrations) and how to change one — no editor of events exists: a call to the invitees
    (/diffuser), the event published again (/evenement). None for someone who coordinates nothing."""
    lookup = context.lookup
    if not context.areas or lookup is None or not hasattr(lookup, "own_events"):
        return None
    lang, zone = language_of(context), timezone_of(context)
    own = lookup.own_events(context.areas)
    if not own:
        return translate(lang, "events.own_none")
    lines = [f"• {_own_line(event, lang, zone)}{_signed_lines(event, lang)}" for event in own]
    return translate_plural(lang, "events.own_n", len(own), events="\n".join(lines))


SIGNED_SHOWN = 30
"""Names of the registered (and of the waiting list) shown under a coordinator's event, at most; the others counted."""


def _signed_lines(event: Any, lang: str) -> str:
    """Who registered to a coordinator's own event — « Inscrits (2 inscriptions, 4 personnes) : Cabinet Martin (3), Les
    Restos de la Soie (1) », demo actors said so — then its waiting list; "" when nobody did. Only ever for the coordinator
    who published it (:func:`storage.events.published_by`)."""
    signed = getattr(event, "signed", ())
    lines = []
    for status in ("registered", "waiting"):
        rows = [row for row in signed if row[3] == status]
        if not rows:
            continue
        names = [
            translate(lang, "events.registrant_demo" if demo else "events.registrant", name=name, people=people)
            for name, people, demo, _ in rows[:SIGNED_SHOWN]
        ]
        if len(rows) > SIGNED_SHOWN:
            names.append(translate_plural(lang, "events.registrants_more_n", len(rows) - SIGNED_SHOWN))
        if status == "registered":
            people = translate_plural(lang, "events.people_n", sum(row[1] for row in rows), n=sum(row[1] for row in rows))
            lines.append(translate_plural(lang, "events.registrants_n", len(rows), people=people, names=", ".join(names)))
        else:
            lines.append(translate_plural(lang, "events.waiting_list_n", len(rows), names=", ".join(names)))
    return "".join(f"\n   {line}" for line in lines)


def _own_line(event: Any, lang: str, zone: str) -> str:
    """One of a coordinator's events in /evenements: its number, title, day, place and registrations — with the people
    they bring when some bring more than one (« 1 inscription, 3 personnes »), as /stats says them."""
    when = show_span(event.starts_at, event.ends_at, zone, lang)
    people = getattr(event, "people", None)
    if people is None or people <= event.registered:
        return translate_plural(lang, "events.own_line_n", event.registered, id=event.id, title=event.title, when=when, place=event.place)
    said = translate_plural(lang, "events.people_n", people, n=people)
    return translate_plural(
        lang, "events.own_line_people_n", event.registered, id=event.id, title=event.title, when=when, place=event.place, people=said
    )


def _publishes_events(context: Context) -> bool:
    """Whether the person has upcoming events of their own, listed by /evenements above the ones they are invited to."""
    lookup = context.lookup
    return bool(context.areas) and lookup is not None and hasattr(lookup, "own_events") and bool(lookup.own_events(context.areas))


def _event_options(_: Session, context: Context) -> list[Option]:
    return _options_of(open_events(context), context)


def _options_of(events: list[Any], context: Context) -> list[Option]:
    lang, zone = language_of(context), timezone_of(context)
    return [
        Option(
            str(e.id),
            label=translate(lang, "events.line", title=e.title, when=show_span(e.starts_at, e.ends_at, zone, lang), place=e.place),
        )
        for e in events
    ]


def _joinable(context: Context) -> list[Any]:
    """The events one may still sign up to: neither registered nor on the waiting list."""
    return [e for e in open_events(context) if not e.mine]


def _joinable_options(_: Session, context: Context) -> list[Option]:
    return _options_of(_joinable(context), context)


def _chosen(session: Session, context: Context) -> Any:
    return next((e for e in open_events(context) if str(e.id) == _event_id(session.data.get("event"))), None)


def _action_options(session: Session, context: Context) -> list[Option]:
    event = _chosen(session, context)
    if event is not None and event.mine == "registered":  # the calendar file again, any time before the event
        return [Option("calendar", key="events.calendar"), Option("leave", key="events.leave"), Option("keep", key="events.keep")]
    if event is not None and event.mine == "waiting":
        return [Option("leave", key="events.leave"), Option("keep", key="events.keep")]
    return [Option("join", key="events.join"), Option("keep", key="events.not_now")]  # full: the waiting list, said in the details


def _read_action(text: str, session: Session, context: Context) -> str | None:
    """The action a sentence says at an event: sign up ("je m'inscris", "count me in"), the calendar
    file ("le fichier calendrier"), give the place back ("annulez mon inscription", "we can't make
    it"), or nothing ("passer", "non merci", "skip"; "je ne viens pas" without a place)."""
    if calendar_request(text):
        return "calendar"
    intent = event_intent(text)
    offered = {option.value for option in _action_options(session, context)}
    if intent == "leave" and "leave" in offered:
        return "leave"
    if decline_intent(text):
        return "keep"
    if intent == "join" or join_intent(text) or head_count(text) is not None:  # « bon finalement on pourra venir, on sera 2 »
        return _counted("join", text)
    return intent


def _read_event(text: str, session: Session, context: Context) -> str | None:
    """At the list of events, "je m'inscris" (or "je viens au forum") signs up at once to the one
    event it can mean — the only one listed, or the one whose title it names —, and asks which one
    otherwise; "le fichier calendrier" sends the files of the events one is registered to."""
    if calendar_request(text):
        return CALENDAR_ALL
    events = open_events(context)
    leaving = leave_meant(text, events, timezone_of(context))
    if leaving is not None:  # « finalement je pourrai pas venir au forum »: that place given back at once
        if leaving.kind == "leave" and leaving.event is not None:
            return f"{LEAVE_PREFIX}{leaving.event.id}"
        if leaving.kind == "which":
            raise InputError("events.which_to_leave")
        if leaving.event is not None:
            raise InputError("events.not_registered_to", title=leaving.event.title)
        raise InputError("events.not_registered_any")
    if not join_intent(text):
        return _counted_at_list(text, events)
    named = named_events(join_tail(text) or "", events)
    joinable = [e for e in (named or events) if not e.mine]  # never one already joined, unless named alone
    chosen = named[0] if len(named) == 1 else joinable[0] if len(joinable) == 1 else None
    if chosen is None and not joinable:
        chosen = event_meant(text, events)  # every event meant already joined: said by services.events
    if chosen is None and len(joinable) > 1:
        return _counted(JOIN_PREFIX, text)  # which one: the events still open to her, and the one chosen is signed up at once
    if chosen is None:
        raise InputError("events.which_to_join")
    return _counted(f"{JOIN_PREFIX}{chosen.id}", text)


HEAD_COUNT_MAX_WORDS = 12
"""« bon finalement on pourra venir, on sera 2 »: a number of people said this briefly at most, at the list or a card."""
_ONLY_NEGATION = re.compile(r"\b(?:ne|n)\b(?=(?:\s+\w+){1,2}\s+(?:que|qu)\b)")
"""The « ne » of « on ne sera que 2 » (only 2): no denial."""


def head_count(text: str) -> int | None:
    """The number of people a short sentence says will come (« finalement on sera que 2 », « en fait je viendrai seule »
    → 1, « on ne sera que 3 », "just me", "only 2 of us"), None when it says none or denies it (« on ne sera pas 4 »)."""
    said = _said(text)
    coming = people_coming(text)
    if coming is None or coming <= 0 or len(said.split()) > HEAD_COUNT_MAX_WORDS or negated(_ONLY_NEGATION.sub(" ", said)):
        return None
    return coming


COUNT_MARK = "#"
"""A value of /evenements' steps that carries the number of people said with it (« join#2 », « join:4#3~ »: a range)."""


def _counted(value: str, text: str) -> str:
    """``value`` with the number of people ``text`` says (:func:`head_count`), when it says one."""
    coming = head_count(text)
    if coming is None:
        return value
    return f"{value}{COUNT_MARK}{coming}{'~' if people_range_said(text) else ''}"


def _bare(value: Any) -> str:
    """A step's value without the number of people carried (:func:`_counted`)."""
    return str(value or "").partition(COUNT_MARK)[0]


def _count_in(*values: Any) -> tuple[int | None, bool]:
    """The number of people carried by the first of ``values`` that carries one, and whether it was a range."""
    for value in values:
        _, mark, count = str(value or "").partition(COUNT_MARK)
        if mark and count.rstrip("~").isdigit():
            return int(count.rstrip("~")), count.endswith("~")
    return None, False


def _counted_at_list(text: str, events: list[Any]) -> str | None:
    """A number of people said alone at the list (« finalement on sera que 2 au forum »): the event it names, else the
    only one the person is registered to, else the only one listed — signed up (or its number changed) with it."""
    if head_count(text) is None:
        return None
    named = named_events(_said(text), events)
    mine = [e for e in events if e.mine == "registered"]
    chosen = named[0] if len(named) == 1 else mine[0] if len(mine) == 1 and not named else events[0] if len(events) == 1 else None
    return None if chosen is None else _counted(f"{JOIN_PREFIX}{chosen.id}", text)


JOIN_PREFIX = "join:"
"""An event chosen by saying "je m'inscris" at the list: its id after this prefix (signed up at once);
the prefix alone when several could be meant (the ``which`` step then asks which, and signs up to it)."""
LEAVE_PREFIX = "leave:"
"""An event left by saying « je ne pourrai pas venir au forum » at the list: its id after this prefix (left at once)."""
CALENDAR_ALL = "calendar"
"""The list answered with "le fichier calendrier": the files of every event one is registered to."""


def _event_id(value: Any) -> str:
    return _bare(value).removeprefix(JOIN_PREFIX).removeprefix(LEAVE_PREFIX)


def _auto_action(session: Session, _: Context) -> Option | None:
    """The action already said at the list ("je m'inscris"): not asked again."""
    return Option("join") if str(session.data.get("event") or "").startswith(JOIN_PREFIX) else None


def _action_params(session: Session, context: Context) -> dict[str, Any]:
    event = _chosen(session, context)
    if event is None:
        return {"details": ""}
    lang = language_of(context)
    details = translate(
        lang,
        "events.details",
        title=event.title,
        when=show_span(event.starts_at, event.ends_at, timezone_of(context), lang),
        place=event.place,
        origin=event.origin,
        left=max(0, event.capacity - event.registered),
    )
    if event.mine:
        details += "\n" + translate(lang, f"events.you_are.{event.mine}")
    elif event.registered >= event.capacity:  # full: joining means the waiting list, said before it is chosen
        details += "\n" + translate(lang, "events.full")
    return {"details": details}


def _check_action(value: Any, session: Session, context: Context) -> str | None:
    """A sentence's "annulez mon inscription" or "inscrivez-nous" where it cannot apply: said."""
    offered = {option.value for option in _action_options(session, context)}
    if value in offered or value != "leave":  # "join" when registered: said, with the file again (services.events)
        return None
    return "events.not_signed_up"


def _finish_signup(data: Mapping[str, Any], context: Context) -> Finish:
    if data.get("event") == CALENDAR_ALL:
        return Finish(effects=(CalendarFile(),))
    people, ranged = _count_in(data.get("action"), data.get("event"))
    if _bare(data.get("event")) == JOIN_PREFIX:  # "je m'inscris", then which event: signed up, no second question
        return Finish(effects=(SignUp(int(data["which"]), people=people, ranged=ranged),))
    if str(data.get("event") or "").startswith(LEAVE_PREFIX):  # « je ne pourrai pas venir au forum » at the list
        return Finish(effects=(SignUp(int(_event_id(data["event"])), leave=True),))
    action = _bare(data.get("action"))
    event_id = int(_event_id(data["event"]))
    if action == "join":
        return Finish(effects=(SignUp(event_id, people=people, ranged=ranged),))
    if action == "leave":
        return Finish(effects=(SignUp(event_id, leave=True),))
    if action == "calendar":
        return Finish(effects=(CalendarFile(event_id),))
    return Finish(message="events.unchanged")


SIGNUP = Flow(
    "events",
    {
        "event": Step(
            "event",
            "choice",
            "events.pick",
            next=lambda d: (
                None
                if d.get("event") == CALENDAR_ALL or str(d.get("event") or "").startswith(LEAVE_PREFIX)
                else "which"
                if _bare(d.get("event")) == JOIN_PREFIX
                else "action"
            ),
            options=_event_options,
            understand_in=_read_event,
        ),
        "which": Step("which", "choice", "events.which_to_join", next=None, options=_joinable_options),
        "action": Step(
            "action",
            "choice",
            "events.action",
            next=None,
            options=_action_options,
            params=_action_params,
            understand_in=_read_action,
            auto=_auto_action,
            check=_check_action,
        ),
    },
    first=lambda session, context: "event" if open_events(context) else None,
    finish=_finish_signup,
    empty=lambda context: Finish(message="events.none_other" if _publishes_events(context) else "events.none"),
)

EVENT_FLOWS: dict[str, Flow] = {flow.id: flow for flow in (PUBLISH, SIGNUP)}
