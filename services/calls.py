"""Coordinators' calls beyond sending: the organisation that signs them, scheduled calls sent when
due, edited or cancelled before, and the one reminder to those who did not answer.

Runs in the caller's transaction on the database thread; messages go through the outbox.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from conversations.calls import CancelCall, EditCall, RemindCall, SetOrganisation, show_when
from conversations.decisions import decision_reply
from conversations.i18n import translate, translate_plural
from conversations.model import Identity, StartBroadcast
from core.clock import iso
from core.types import Reply
from services.coordination import CoordinatorArea, areas_of, start_broadcast, who
from storage import calls as call_store
from storage import coordination as store
from storage import introductions as intro_store
from storage import outbox
from storage.introductions import CALL_ANSWER_WINDOW

if TYPE_CHECKING:  # the configuration is passed in by the runtime (services do not import bot/)
    from services.settings import Settings as Config

CallEffect = SetOrganisation | EditCall | CancelCall | RemindCall


def apply(
    conn: sqlite3.Connection,
    effect: CallEffect,
    identity: Identity,
    language: str,
    areas: tuple[CoordinatorArea, ...],
    config: Config,
    now: datetime,
) -> list[Reply]:
    """Carry out a coordinator's action on their calls; return the acknowledgement.

    A call of another appointment (another territory) is refused and nothing changes.
    """
    stamp = iso(now)
    own = {area.id for area in areas}
    if isinstance(effect, SetOrganisation):
        call_store.set_organisation(conn, identity.platform, identity.user_id, effect.name)
        store.audit(conn, who(identity), "coordinator.organisation", stamp, organisation=effect.name)
        return [_say(language, "organisation.set", name=effect.name)]
    if isinstance(effect, RemindCall):
        return remind(conn, effect.broadcast_id, identity, language, own, now)
    call = call_store.scheduled_call(conn, effect.call_id)
    if call is None or call.coordinator_id not in own:
        return [_say(language, "coord.refused")]
    if call.status != "scheduled":
        return [_say(language, "calls.too_late", id=call.number)]
    if isinstance(effect, CancelCall):
        call_store.cancel(conn, call.id, stamp)
        store.audit(conn, who(identity), "broadcast.cancel_scheduled", stamp, call=call.id)
        return [_say(language, "calls.cancelled", id=call.number)]
    call_store.edit(conn, call.id, stamp, message=effect.message, send_at=effect.send_at)
    store.audit(
        conn, who(identity), "broadcast.edit_scheduled", stamp, call=call.id, message=effect.message is not None, send_at=effect.send_at
    )
    when = show_when(effect.send_at or call.send_at, config.timezone, language)
    return [_say(language, "calls.edited", id=call.number, when=when)]


def _say(language: str, key: str, **params: object) -> Reply:
    return Reply(translate(language, key, **params), language=language)


def remind(conn: sqlite3.Connection, broadcast_id: int, identity: Identity, language: str, own: set[int], now: datetime) -> list[Reply]:
    """Send a call again, once, to those who received it and have not answered."""
    stamp = iso(now)
    info = store.broadcast(conn, broadcast_id)
    if info is None or info["coordinator_id"] not in own:
        return [_say(language, "coord.refused")]
    number = int(info["call_number"])  # the number its coordinator sees
    if info["answer_mode"] == "none":
        return [_say(language, "calls.no_answer_expected", id=number)]
    if info.get("reminded_at"):
        return [_say(language, "calls.already_reminded", id=number)]
    if info["created_at"] < iso(now - CALL_ANSWER_WINDOW):
        return [_say(language, "calls.too_old", id=number)]
    targets = call_store.non_responders(conn, broadcast_id)
    if not targets:
        return [_say(language, "calls.nobody_to_remind", id=number)]
    call_store.mark_reminded(conn, broadcast_id, stamp)
    origin = intro_store.signature(conn, info["coordinator_id"], info["area_label"])
    view = intro_store.broadcast_view(broadcast_id, origin, info["message"], info["answer_mode"])
    sent = 0
    for actor_id in targets:
        target = intro_store.contact(conn, actor_id)
        if target is None or target.platform is None or target.chat_id is None:
            continue
        # a notice, then the call itself (re-asked where it is no longer the current question)
        notice = Reply(translate(target.language, "broadcast.reminder"), notice=True, language=target.language)
        call_store.tag_outbox(conn, outbox.enqueue(conn, target.platform, target.chat_id, notice, stamp, actor_id), broadcast_id)
        reply = decision_reply(view, target.language, notice=True)
        call_store.tag_outbox(conn, outbox.enqueue(conn, target.platform, target.chat_id, reply, stamp, actor_id), broadcast_id)
        sent += 1
    store.audit(conn, who(identity), "broadcast.remind", stamp, broadcast=broadcast_id, recipients=sent)
    return [Reply(translate_plural(language, "calls.reminded_n", sent, id=number), language=language)]


def send_due(conn: sqlite3.Connection, config: Config, now: datetime) -> int:
    """Send the scheduled calls whose time has come; their authors get the usual acknowledgement
    and report (or why nobody was reached). Return how many calls went out."""
    stamp = iso(now)
    count = 0
    for call in call_store.due(conn, stamp):
        author = call_store.author(conn, call.coordinator_id)
        if author is None or not call_store.mark_sent(conn, call.id, None, stamp):
            continue
        platform, user_id = author
        identity = Identity(platform, user_id)
        language = call_store.language_of_chat(conn, call.requester_platform, call.requester_chat) or config.language
        effect = StartBroadcast(
            {"kind": call.area.kind, "code": call.area.code, "label": call.area.label}, call.kinds, call.themes, call.message, call.mode
        )
        areas = areas_of(conn, platform, user_id)
        for reply in start_broadcast(conn, effect, identity, call.requester_chat, language, areas, config, now, number=call.number):
            outbox.enqueue(conn, call.requester_platform, call.requester_chat, replace(reply, notice=True), stamp)
            if reply.meta.get("broadcast_id"):
                call_store.link(conn, call.id, int(reply.meta["broadcast_id"]))
        count += 1
    return count
