"""Events: publishing (invitations to the audience), sign-ups with a waiting list and an ``.ics``
file, the day-before reminder, and introductions proposed among attendees who share a theme
(double opt-in). Runs in the caller's transaction; messages go through the outbox."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from conversations.events import DEFAULT_DURATION, CalendarFile, PublishEvent, SignUp, ics, invitation, show_span
from conversations.i18n import translate, translate_plural
from conversations.model import Identity, ProposeIntroduction
from core.clock import iso
from core.types import Attachment, Reply
from services.coordination import CALL_WINDOW, UNCAPPED, CoordinatorArea, area_owner, areas_of, propose_introduction, sender_profile, who
from storage import actors as actor_store
from storage import calls as call_store
from storage import coordination as store
from storage import events as event_store
from storage import introductions as intro_store
from storage import outbox
from storage.coordination import Area, AudienceSpec

if TYPE_CHECKING:  # the configuration is passed in by the runtime (services do not import bot/)
    from services.settings import Settings as Config

REMIND_BEFORE = timedelta(days=1)
FOLLOW_UP_AFTER = timedelta(hours=1)
"""Introductions among attendees are proposed this long after the event's end (its ``ends_at``;
without one, :data:`DEFAULT_DURATION` after its start): never while it is still going on."""
MAX_PAIRS = 10
"""Introductions proposed after one event, at most."""


def _say(language: str, key: str, **params: Any) -> Reply:
    return Reply(translate(language, key, **params), language=language)


def _ics_reply(conn: sqlite3.Connection, info: dict[str, Any], language: str, key: str, stamp: str, **params: Any) -> Reply:
    origin = intro_store.signature(conn, info["coordinator_id"], info["area_label"])
    data = ics(int(info["id"]), info["title"], info["starts_at"], info["place"], origin, stamp, info.get("ends_at"))
    return Reply(
        translate(language, key, title=info["title"], **params),
        attachment=Attachment(translate(language, "event.ics_name", id=info["id"]), "text/calendar", data),
        language=language,
    )


def publish(
    conn: sqlite3.Connection,
    effect: PublishEvent,
    identity: Identity,
    chat_id: str,
    language: str,
    areas: tuple[CoordinatorArea, ...],
    config: Config,
    now: datetime,
) -> list[Reply]:
    """Store the event and invite its audience (actors of the area who accept calls, by type and theme)."""
    stamp = iso(now)
    area = Area(effect.area["kind"], effect.area["code"], effect.area["label"])
    owner = area_owner(areas, area)
    if owner is None or (owner.kind, owner.code) != (area.kind, area.code):
        return [_say(language, "coord.refused")]
    if effect.starts_at <= stamp:
        return [_say(language, "when.past")]
    spec = AudienceSpec(area, effect.kinds, effect.themes, sender_profile(conn, identity))
    event_id = event_store.create(
        conn,
        owner.id,
        effect.title,
        effect.starts_at,
        effect.place,
        effect.capacity,
        spec,
        (identity.platform, chat_id),
        stamp,
        effect.ends_at,
    )
    origin = intro_store.signature(conn, owner.id, owner.label)
    invited = 0
    for actor_id in store.audience(conn, spec, iso(now - CALL_WINDOW), UNCAPPED):  # an invitation is not a call: no weekly cap
        target = intro_store.contact(conn, actor_id)
        if target is None or target.platform is None or target.chat_id is None:
            continue
        event_store.invite(conn, event_id, actor_id, stamp)
        text = translate(
            target.language,
            "event.invitation",
            origin=origin,
            title=effect.title,
            when=show_span(effect.starts_at, effect.ends_at, config.timezone, target.language),
            place=effect.place,
        )
        outbox.enqueue(conn, target.platform, target.chat_id, invitation(text, event_id, target.language), stamp, actor_id)
        invited += 1
    store.audit(conn, who(identity), "event.publish", stamp, event=event_id, invited=invited)
    key = "event.published_n" if effect.starts_at > iso(now + REMIND_BEFORE) else "event.published_soon_n"  # no reminder left to send
    return [Reply(translate_plural(language, key, invited, id=event_id), language=language)]


def sign_up(conn: sqlite3.Connection, effect: SignUp, actor_id: int, language: str, config: Config, now: datetime) -> list[Reply]:
    """Register (or wait for a place), or leave and give the place to the first waiting."""
    stamp = iso(now)
    info = event_store.event(conn, effect.event_id)
    status = event_store.status_of(conn, effect.event_id, actor_id)
    if status is None and event_store.invite_late(conn, effect.event_id, actor_id, stamp):  # joined after it was published
        status = "invited"
    if info is None or status is None or info["status"] != "open" or info["starts_at"] <= stamp:
        return [_say(language, "events.gone")]
    when = show_span(info["starts_at"], info.get("ends_at"), config.timezone, language)
    if effect.decline:  # « Pas intéressé·e »: stored (never re-invited, counted), a sign-up kept as it is
        if status in ("registered", "waiting"):
            return [_say(language, "event.invitation.still_signed_up", title=info["title"])]
        event_store.set_status(conn, effect.event_id, actor_id, "declined", stamp)
        return [_say(language, "event.invitation.declined", title=info["title"])]
    if effect.leave:
        if status not in ("registered", "waiting"):
            return [_say(language, "events.unchanged")]
        event_store.set_status(conn, effect.event_id, actor_id, "left", stamp)
        if status == "registered":
            promoted = event_store.first_waiting(conn, effect.event_id)
            if promoted is not None:
                event_store.set_status(conn, effect.event_id, promoted, "registered", stamp)
                target = intro_store.contact(conn, promoted)
                if target is not None and target.platform and target.chat_id:
                    reply = _ics_reply(
                        conn,
                        info,
                        target.language,
                        "events.promoted",
                        stamp,
                        when=show_span(info["starts_at"], info.get("ends_at"), config.timezone, target.language),
                    )
                    outbox.enqueue(
                        conn,
                        target.platform,
                        target.chat_id,
                        Reply(reply.text, attachment=reply.attachment, notice=True, language=target.language),
                        stamp,
                        promoted,
                    )
        return [_say(language, "events.left", title=info["title"])]
    capacity, people = int(info["capacity"]), effect.people
    if people is not None and not 1 <= people <= capacity:  # « on sera 0 », « 500 personnes » for 40 places: said, nothing changed
        if people < 1:
            return [_say(language, "events.people_too_few", title=info["title"], people=people)]
        said = translate_plural(language, "events.people_over_capacity", capacity, title=info["title"], people=people)
        return [Reply(said, language=language)]
    taken = event_store.registered_count(conn, effect.event_id)
    if status == "registered":  # "je m'inscris" again: said, with the calendar file once more; a new number, changed
        before = event_store.people_of(conn, effect.event_id, actor_id)
        if people is None or people == before:
            return [_ics_reply(conn, info, language, "events.already.registered_file", stamp, when=when)]
        if taken - before + people > capacity:
            return [_places_left(language, info["title"], capacity - taken + before)]
        event_store.set_people(conn, effect.event_id, actor_id, people, stamp)
        key = "events.places_changed" if effect.ranged else "events.people_changed"
        return [_say(language, key, title=info["title"], people=_people(language, people, effect.ranged))]
    if status == "waiting":
        if people is not None:
            event_store.set_people(conn, effect.event_id, actor_id, people, stamp)
        return [_say(language, f"events.already.{status}", title=info["title"])]
    coming = people or 1
    if taken >= capacity:
        event_store.set_status(conn, effect.event_id, actor_id, "waiting", stamp)
        event_store.set_people(conn, effect.event_id, actor_id, coming, stamp)
        return [_say(language, "events.waiting", title=info["title"])]
    if taken + coming > capacity:  # 3 people for the 2 places left: said, nothing changed
        return [_places_left(language, info["title"], capacity - taken)]
    event_store.set_status(conn, effect.event_id, actor_id, "registered", stamp)
    event_store.set_people(conn, effect.event_id, actor_id, coming, stamp)
    reminded = reminder_ahead(info, now)  # « demain 9h » published at 04:00: no reminder « la veille » promised
    if coming > 1:  # « Inscrit·e à « … » : 3 personnes »
        people_said = _people(language, coming, effect.ranged)
        key = "events.registered_people" if reminded else "events.registered_people_soon"
        return [_ics_reply(conn, info, language, key, stamp, when=when, place=info["place"], people=people_said)]
    key = "events.registered" if reminded else "events.registered_soon"
    return [_ics_reply(conn, info, language, key, stamp, when=when, place=info["place"])]


def reminder_ahead(info: dict[str, Any], now: datetime) -> bool:
    """Whether the day-before reminder of an event (:func:`run_due`) is still to be sent to who registers ``now``:
    not sent yet, and the event more than :data:`REMIND_BEFORE` away (closer, it would go at once or has gone)."""
    return info.get("reminded_at") is None and info["starts_at"] > iso(now + REMIND_BEFORE)


def _people(language: str, people: int, ranged: bool = False) -> str:
    """« 3 personnes », "3 people"; for a range said (« 2 ou 3 »), the places held: « 3 places réservées », "3 places held"."""
    return translate_plural(language, "events.places_held_n" if ranged else "events.people_n", people, n=people)


def _places_left(language: str, title: str, left: int) -> Reply:
    """Fewer places left than the people said: how many there are (nothing changed)."""
    return Reply(translate_plural(language, "events.places_left_n", max(0, left), title=title), language=language)


def calendar_file(
    conn: sqlite3.Connection, effect: CalendarFile, actor_id: int, language: str, config: Config, now: datetime
) -> list[Reply]:
    """The ``.ics`` of an event the actor is registered to (``event_id`` None: of each upcoming
    one), again, any time before it starts; otherwise what they can do instead."""
    stamp = iso(now)
    upcoming = event_store.events_for(conn, actor_id, stamp)
    wanted = [e for e in upcoming if effect.event_id is None or e.id == effect.event_id]
    registered = [e for e in wanted if e.mine == "registered"]
    replies = []
    for view in registered:
        info = event_store.event(conn, view.id)
        assert info is not None
        when = show_span(info["starts_at"], info.get("ends_at"), config.timezone, language)
        replies.append(_ics_reply(conn, info, language, "events.file_again", stamp, when=when, place=info["place"]))
    if replies:
        return replies
    waiting = [e for e in wanted if e.mine == "waiting"]
    if waiting:
        return [_say(language, "events.file_when_registered", title=waiting[0].title)]
    if effect.event_id is not None and wanted:
        return [_say(language, "events.file_not_registered", title=wanted[0].title)]
    return [_say(language, "events.no_file")]


def run_due(conn: sqlite3.Connection, config: Config, now: datetime) -> dict[str, int]:
    """The day-before reminders, then the introductions proposed after finished events."""
    stamp = iso(now)
    counts = {"reminded": 0, "proposed": 0}
    for event_id in event_store.due_reminders(conn, stamp, iso(now + REMIND_BEFORE)):
        if not event_store.mark_reminded(conn, event_id, stamp):
            continue
        info = event_store.event(conn, event_id)
        assert info is not None
        for actor_id in event_store.people(conn, event_id, "registered"):
            target = intro_store.contact(conn, actor_id)
            if target is None or target.platform is None or target.chat_id is None:
                continue
            text = translate(
                target.language,
                "events.reminder",
                title=info["title"],
                when=show_span(info["starts_at"], info.get("ends_at"), config.timezone, target.language),
                place=info["place"],
            )
            outbox.enqueue(conn, target.platform, target.chat_id, Reply(text, notice=True, language=target.language), stamp, actor_id)
            counts["reminded"] += 1
    for event_id in event_store.finished(conn, iso(now - FOLLOW_UP_AFTER), iso(now - FOLLOW_UP_AFTER - DEFAULT_DURATION)):
        if event_store.mark_followed_up(conn, event_id, stamp):
            counts["proposed"] += _introduce_attendees(conn, event_id, config, now)
    return counts


def _introduce_attendees(conn: sqlite3.Connection, event_id: int, config: Config, now: datetime) -> int:
    """Propose introductions (double opt-in, signed by the organiser) between attendees who share a theme."""
    info = event_store.event(conn, event_id)
    if info is None or info["coordinator_id"] is None:
        return 0
    author = call_store.author(conn, int(info["coordinator_id"]))
    if author is None:
        return 0
    attendees = [a for a in (actor_store.load_actor(conn, i) for i in event_store.people(conn, event_id, "registered")) if a is not None]
    pairs = [
        (a, b)
        for a, b in itertools.combinations(attendees, 2)
        if set(a.themes) & set(b.themes) and a.consent_matching and b.consent_matching
    ]
    areas = areas_of(conn, *author)
    identity = Identity(*author)
    language = call_store.language_of_chat(conn, info["requester_platform"], info["requester_chat"]) or config.language
    for first, second in pairs[:MAX_PAIRS]:
        propose_introduction(conn, ProposeIntroduction(first.id, second.id), identity, language, areas, now)
    if pairs:
        text = translate_plural(language, "events.followed_up_n", min(len(pairs), MAX_PAIRS), title=info["title"])
        outbox.enqueue(conn, info["requester_platform"], info["requester_chat"], Reply(text, notice=True, language=language), iso(now))
    return min(len(pairs), MAX_PAIRS)
