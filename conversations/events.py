"""Events: a coordinator publishes one (``/evenement``: title, date, place, capacity, audience
like a call); actors sign up in the chat (``/evenements``), with a waiting list beyond the
capacity, and get an ``.ics`` file. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from conversations.calls import check_when, settle_when, show_when, timezone_of, when_iso
from conversations.engine import Finish, Flow, Option, Step
from conversations.i18n import translate, translate_plural
from conversations.model import Context, Session, language_of
from conversations.moments import read_number
from conversations.understanding import KIND_WORDS, fold
from core import catalog
from core.model import Area

MAX_CAPACITY = 10_000


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


@dataclass(frozen=True, slots=True)
class SignUp:
    """An actor signs up to an event (or leaves it)."""

    event_id: int
    leave: bool = False


EVENT_EFFECTS = (PublishEvent, SignUp)


_CAPACITY = re.compile(
    r"^\s*(.+?)\s*(?:places?|personnes?|participants?|invites?|seats?|people|persons?|guests?|attendees?)?\s*$", re.IGNORECASE
)


def capacity_of(text: str) -> int | None:
    """The number of places typed (``30``, ``30 places``, ``trente``, ``une vingtaine`` ≈ 20,
    ``environ 40 personnes``), None when not a number from 1 to 10000."""
    found = _CAPACITY.match(fold(text))
    if found is None:
        return None
    value = read_number(found[1])
    return value if value is not None and 1 <= value <= MAX_CAPACITY else None


def _capacity(text: str) -> str | None:
    return None if capacity_of(text) is not None else "event.bad_capacity"


def _place(text: str) -> str | None:
    value = text.strip().lower()
    return "event.no_place" if len(value) < 2 or value in ("--", "aucun", "aucune", "none", "no", "non", "??") else None


def ics(event_id: int, title: str, starts_at: str, place: str, organiser: str, stamp: str) -> bytes:
    """A one-event iCalendar file (RFC 5545), two hours long, times in UTC."""

    def utc(moment: str) -> str:
        return datetime.fromisoformat(moment).strftime("%Y%m%dT%H%M%SZ")

    def text(value: str) -> str:
        return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")

    start = datetime.fromisoformat(starts_at)
    end = start.replace(hour=(start.hour + 2) % 24) if start.hour < 22 else start
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


# ---------------------------------------------------------------- /evenement (coordinators)


def _area_options(_: Session, context: Context) -> list[Option]:
    return [Option(f"{area.kind}:{area.code}", label=area.label) for area in context.areas]


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


def _preview(session: Session, context: Context) -> dict[str, Any]:
    data = session.data
    return {
        "invited": _invited(session, context),
        "title": data.get("title", ""),
        "when": show_when(when_iso(data["when"], context), timezone_of(context), language_of(context)) if data.get("when") else "",
        "place": data.get("place", ""),
        "capacity": capacity_of(str(data.get("capacity", ""))) or "",
        "area": _event_area(data, context)["label"] if data.get("area") else "",
        "audience": audience_line(*_filters(data), _event_area(data, context)["label"], language_of(context)) if data.get("area") else "",
    }


def _finish_publish(data: Mapping[str, Any], context: Context) -> Finish:
    if data.get("confirm") != "publish":
        return Finish(message="event.cancelled")
    kinds, themes = _filters(data)
    effect = PublishEvent(
        data["title"],
        when_iso(data["when"], context),
        data["place"],
        capacity_of(data["capacity"]) or 1,
        _event_area(data, context),
        kinds,
        themes,
    )
    return Finish(effects=(effect,))


PUBLISH = Flow(
    "event",
    {
        "title": Step("title", "text", "event.title", next="when", min_length=3, max_length=120),
        "when": Step("when", "text", "event.when", next="place", max_length=80, check=check_when, settle=settle_when),
        "place": Step("place", "text", "event.place", next="capacity", min_length=1, max_length=200, validate=_place),
        "capacity": Step("capacity", "text", "event.capacity", next="area", max_length=40, validate=_capacity),
        "area": Step("area", "choice", "event.area", next="kinds", options=_area_options),
        "kinds": Step(
            "kinds",
            "multi",
            "broadcast.kinds",
            next="themes",
            options=lambda s, c: [Option(k, key=f"actor_type.{k}", words=KIND_WORDS[k]) for k in catalog.ACTOR_TYPES],
            preselect=lambda s, c: catalog.ACTOR_TYPES,
        ),
        "themes": Step(
            "themes",
            "multi",
            "broadcast.themes",
            next="confirm",
            options=lambda s, c: [Option(t, key=f"theme.{t}") for t in catalog.THEME_VALUES],
            preselect=lambda s, c: catalog.THEME_VALUES,
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


def _open_events(context: Context) -> list[Any]:
    lookup = context.lookup
    if lookup is None or context.actor is None or not hasattr(lookup, "events_for"):
        return []
    return list(lookup.events_for(context.actor.id))


def _event_options(_: Session, context: Context) -> list[Option]:
    lang, zone = language_of(context), timezone_of(context)
    return [
        Option(str(e.id), label=translate(lang, "events.line", title=e.title, when=show_when(e.starts_at, zone, lang), place=e.place))
        for e in _open_events(context)
    ]


def _chosen(session: Session, context: Context) -> Any:
    return next((e for e in _open_events(context) if str(e.id) == str(session.data.get("event"))), None)


def _action_options(session: Session, context: Context) -> list[Option]:
    event = _chosen(session, context)
    if event is not None and event.mine in ("registered", "waiting"):
        return [Option("leave", key="events.leave"), Option("keep", key="events.keep")]
    return [Option("join", key="events.join"), Option("keep", key="events.not_now")]


def _action_params(session: Session, context: Context) -> dict[str, Any]:
    event = _chosen(session, context)
    if event is None:
        return {"details": ""}
    lang = language_of(context)
    details = translate(
        lang,
        "events.details",
        title=event.title,
        when=show_when(event.starts_at, timezone_of(context), lang),
        place=event.place,
        origin=event.origin,
        left=max(0, event.capacity - event.registered),
    )
    if event.mine:
        details += "\n" + translate(lang, f"events.you_are.{event.mine}")
    return {"details": details}


def _finish_signup(data: Mapping[str, Any], context: Context) -> Finish:
    action = data.get("action")
    if action == "join":
        return Finish(effects=(SignUp(int(data["event"])),))
    if action == "leave":
        return Finish(effects=(SignUp(int(data["event"]), leave=True),))
    return Finish(message="events.unchanged")


SIGNUP = Flow(
    "events",
    {
        "event": Step("event", "choice", "events.pick", next="action", options=_event_options),
        "action": Step("action", "choice", "events.action", next=None, options=_action_options, params=_action_params),
    },
    first=lambda session, context: "event" if _open_events(context) else None,
    finish=_finish_signup,
    empty=lambda context: Finish(message="events.none"),
)

EVENT_FLOWS: dict[str, Flow] = {flow.id: flow for flow in (PUBLISH, SIGNUP)}
