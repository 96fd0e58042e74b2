"""Coordinators' calls after ``/diffuser``: the organisation that signs them (``/organisation``),
scheduled calls edited or cancelled and one reminder to non-responders (``/appels``), and the
dates people type (``03/12/2026 9h30``) read in the bot's time zone. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from conversations.engine import Finish, Flow, InputError, Option, Step
from conversations.i18n import first_of_month, translate, translate_plural
from conversations.model import Context, Session, language_of
from conversations.moments import WrongWeekday, moment_in, read_moment
from core.decisions import CALL_ANSWER_WINDOW

MAX_AHEAD = timedelta(days=365)
"""How far ahead a call or an event may be scheduled."""


# ---------------------------------------------------------------- effects


@dataclass(frozen=True, slots=True)
class SetOrganisation:
    """A coordinator names the organisation that signs their calls and introductions."""

    name: str


@dataclass(frozen=True, slots=True)
class EditCall:
    """Change a scheduled call's message or time (before it is sent)."""

    call_id: int
    message: str | None = None
    send_at: str | None = None


@dataclass(frozen=True, slots=True)
class CancelCall:
    """Cancel a scheduled call (before it is sent)."""

    call_id: int


@dataclass(frozen=True, slots=True)
class RemindCall:
    """Send the one reminder of a call to those who received it and did not answer."""

    broadcast_id: int


CALL_EFFECTS = (SetOrganisation, EditCall, CancelCall, RemindCall)


# ---------------------------------------------------------------- dates


def parse_when(text: str, now: datetime, timezone: str) -> datetime | str:
    """A local date and time typed by a person, as an aware UTC datetime; or the key of the error.

    Accepts the numeric forms (``03/12/2026 9h30``, ``3/12 18:00``, ``2026-12-03 09:00``) and the
    words people use (``demain 9h``, ``le 10 décembre à 18h``, ``mardi prochain 14h30``,
    ``next Friday 2 pm``, ``dans 3 jours à midi``): :func:`conversations.moments.read_moment`,
    read against ``now`` in ``timezone``. A day without a time is at 9:00. Refused: past times
    and more than a year ahead.
    """
    if len(text) > 80:
        return "when.unclear"
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone)
    moment = read_moment(text, today)
    if moment is None:  # « programme-le pour demain 9h », "schedule it for 9am tomorrow": the moment in the instruction
        moment = moment_in(text, today)
    if moment is None:
        return "when.unclear"
    if moment <= today:
        return "when.past"
    if moment - today > MAX_AHEAD:
        return "when.too_far"
    return moment.astimezone(UTC)


UNAMBIGUOUS_DATETIME = {"en": "EEE d MMM y, HH:mm"}
"""Babel patterns where the locale's short form is ambiguous: English's "12/3/26, 9:30 AM" reads
as 3 December in the US and 12 March in Europe; "Thu 3 Dec 2026, 09:30" reads one way only."""


def show_when(moment: str, timezone: str, language: str) -> str:
    """An ISO UTC time as people read it, in their language and the bot's time zone, never
    ambiguous nor ISO: ``03/12/2026 09:30`` (Babel's short French form), ``Thu 3 Dec 2026, 09:30``."""
    from babel.dates import format_datetime

    local = datetime.fromisoformat(moment).astimezone(ZoneInfo(timezone))
    pattern = UNAMBIGUOUS_DATETIME.get(language, "short")
    return str(format_datetime(local, pattern, tzinfo=ZoneInfo(timezone), locale=language))


def show_day(moment: str, timezone: str, language: str) -> str:
    """The day of an ISO UTC time as people read it, in their language and the bot's time zone
    (``3 déc. 2026``, ``Dec 3, 2026``)."""
    from babel.dates import format_date

    try:
        local = datetime.fromisoformat(moment)
    except ValueError:
        return moment
    if local.tzinfo is not None:
        local = local.astimezone(ZoneInfo(timezone))
    return first_of_month(str(format_date(local.date(), "medium", locale=language)), local.day, language)


def timezone_of(context: Context) -> str:
    """The time zone dates are read and shown in (the bot's configuration)."""
    lookup = context.lookup
    return str(getattr(lookup, "timezone", "Europe/Paris")) if lookup is not None else "Europe/Paris"


_timezone = timezone_of


def check_when(value: Any, _: Session, context: Context) -> str | None:
    """Step check: a date to come, within a year (a day of the week that is not that date's: said)."""
    try:
        parsed = parse_when(str(value), context.now, _timezone(context))
    except WrongWeekday as wrong:
        raise InputError("when.wrong_weekday", **wrong.params(language_of(context))) from None
    return parsed if isinstance(parsed, str) else None


def scheduled_in(text: str, context: Context) -> str | None:
    """The moment an instruction names (« programme-le pour demain 9h », "send it on Monday at 10am")
    as ISO UTC, None when it names none (« envoie », "schedule"); a moment past, too far ahead or
    with a weekday that is not its date's raises :class:`InputError` with the date question's message."""
    if len(text) > 200:
        return None
    zone = ZoneInfo(_timezone(context))
    today = context.now.astimezone(zone)
    try:
        moment = moment_in(text, today)
    except WrongWeekday as wrong:
        raise InputError("when.wrong_weekday", **wrong.params(language_of(context))) from None
    if moment is None:
        return None
    if moment <= today:
        raise InputError("when.past")
    if moment - today > MAX_AHEAD:
        raise InputError("when.too_far")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def settle_when(value: Any, _: Session, context: Context) -> str:
    """What a date step stores: the moment typed, as ISO UTC (a relative "demain 9h" stays that day)."""
    return when_iso(str(value), context)


def when_iso(text: str, context: Context) -> str:
    """The ISO UTC form of a date already checked by :func:`check_when` (or already settled)."""
    try:
        settled = datetime.fromisoformat(text)
    except ValueError:
        settled = None
    if settled is not None and settled.tzinfo is not None:
        return settled.astimezone(UTC).isoformat(timespec="seconds")
    parsed = parse_when(text, context.now, _timezone(context))
    assert isinstance(parsed, datetime)
    return parsed.isoformat(timespec="seconds")


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


# ---------------------------------------------------------------- /organisation


ORGANISATION = Flow(
    "organisation",
    {"name": Step("name", "text", "organisation.ask", next=None, min_length=2, max_length=120)},
    first="name",
    finish=lambda data, context: Finish(effects=(SetOrganisation(data["name"]),)),
    requires_actor=False,
)


# ---------------------------------------------------------------- /appels


def _closes(call: Any) -> datetime:
    """When a sent call stops taking answers."""
    sent = datetime.fromisoformat(str(call.when))
    return (sent if sent.tzinfo else sent.replace(tzinfo=UTC)) + CALL_ANSWER_WINDOW


def _awaits_answers(call: Any, context: Context) -> bool:
    """A sent call that asks for answers and can still be answered (reminded or not)."""
    return bool(call.mode != "none" and _closes(call) > context.now)


def _calls(context: Context) -> list[Any]:
    """The calls something can still be done with or waited for: scheduled ones, and sent ones
    awaiting answers until they close (:data:`core.decisions.CALL_ANSWER_WINDOW`), the one
    reminder sent or not."""
    lookup = context.lookup
    calls = list(lookup.calls(context.areas)) if lookup is not None and hasattr(lookup, "calls") else []
    return [c for c in calls if c.kind == "scheduled" or _awaits_answers(c, context)]


def _call_options(_: Session, context: Context) -> list[Option]:
    lang, zone = language_of(context), _timezone(context)
    options = []
    for call in _calls(context):
        when = show_when(call.when, zone, lang)
        if call.kind == "scheduled":
            label = translate(lang, "calls.scheduled_line", id=call.number, when=when, message=_cut(call.message, 40))
            options.append(Option(f"s:{call.id}", label=label, number=call.number))
        else:
            line = "calls.sent_line_reminded" if call.reminded else "calls.sent_line"
            answers = translate_plural(lang, "calls.answers_n", call.answers)
            label = translate(lang, line, id=call.number, when=when, message=_cut(call.message, 40), answers=answers)
            options.append(Option(f"b:{call.id}", label=label, number=call.number))
    return options


def _chosen(session: Session, context: Context) -> Any:
    kind, _, number = str(session.data.get("call", "")).partition(":")
    return next((c for c in _calls(context) if c.kind == ("scheduled" if kind == "s" else "sent") and c.id == int(number or 0)), None)


def call_by_number(argument: str, context: Context) -> str | None:
    """The call of ``/appels`` a coordinator names by the number shown to them (``/appels 3``,
    ``n°3``, ``#3``): its choice value, or None when none of the calls listed has it."""
    found = re.fullmatch(r"\s*(?:n\s*°|no\.?|#)?\s*(\d{1,9})\s*", argument, re.IGNORECASE)
    if found is None:
        return None
    call = next((c for c in _calls(context) if c.number == int(found[1])), None)
    return None if call is None else f"{'s' if call.kind == 'scheduled' else 'b'}:{call.id}"


def _first_call_step(session: Session, context: Context) -> str | None:
    """The list of calls; straight to what to do with one when it was named (``/appels 3``)."""
    if not _calls(context):
        return None
    return "action" if session.data.get("call") and _chosen(session, context) is not None else "call"


def _action_options(session: Session, context: Context) -> list[Option]:
    call = _chosen(session, context)
    if call is None:
        return []
    if call.kind == "scheduled":
        return [Option(value, key=f"calls.{value}") for value in ("edit_message", "edit_when", "cancel_call")]
    return [Option("answers", key="calls.answers")] if call.reminded else [Option("remind", key="calls.remind")]


def _action_params(session: Session, context: Context) -> dict[str, Any]:
    call = _chosen(session, context)
    return {"message": call.message if call else ""}


def _finish_calls(data: Mapping[str, Any], context: Context) -> Finish:
    call_id = int(str(data["call"]).partition(":")[2])
    action = data.get("action")
    if action == "cancel_call":
        return Finish(effects=(CancelCall(call_id),))
    if action == "edit_message":
        return Finish(effects=(EditCall(call_id, message=data["message"]),))
    if action == "edit_when":
        return Finish(effects=(EditCall(call_id, send_at=when_iso(data["when"], context)),))
    if action == "answers":
        call = next((c for c in _calls(context) if c.kind == "sent" and c.id == call_id), None)
        until = show_day((_closes(call) if call else context.now).isoformat(), _timezone(context), language_of(context))
        return Finish(message="calls.reminded_state", params={"id": call.number if call else call_id, "until": until})
    return Finish(effects=(RemindCall(call_id),))


CALLS = Flow(
    "calls",
    {
        "call": Step("call", "choice", "calls.pick", next=lambda d: "action", options=_call_options),
        "action": Step(
            "action",
            "choice",
            "calls.action",
            next=lambda d: {"edit_message": "message", "edit_when": "when"}.get(str(d.get("action"))),
            options=_action_options,
            params=_action_params,
        ),
        "message": Step("message", "text", "broadcast.message", next=None, min_length=10, max_length=2000),
        "when": Step("when", "text", "calls.when", next=None, max_length=80, check=check_when, settle=settle_when),
    },
    first=_first_call_step,
    finish=_finish_calls,
    requires_actor=False,
    empty=lambda context: Finish(message="calls.none"),
)

CALL_FLOWS: dict[str, Flow] = {flow.id: flow for flow in (ORGANISATION, CALLS)}
CALL_COMMANDS: dict[str, str] = {"organisation": "organisation", "appels": "calls"}
