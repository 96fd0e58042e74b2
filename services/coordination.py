"""Coordinators' actions as state changes plus messages: appointments, broadcasts and their
delivery reports, answers forwarded in groups, introductions by hand, impact figures.

Like :mod:`services.introductions`, everything runs in the caller's transaction on the database
thread; messages go through the outbox.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from conversations.calls import show_when
from conversations.coordination import answer_line
from conversations.decisions import decision_reply, describe_other
from conversations.engine import candidate_dict
from conversations.i18n import translate, translate_plural
from conversations.model import (
    AddCoordinator,
    Identity,
    MarkAnswersRead,
    ProposeIntroduction,
    RemoveCoordinator,
    StartBroadcast,
)
from core.clock import iso
from core.model import Area, CoordinatorArea
from core.types import Reply
from services.introductions import open_decision, send_to_actor
from services.settings import Settings
from storage import calls as call_store
from storage import coordination as store
from storage import identities as identity_store
from storage import introductions as intro_store
from storage import outbox, pairs
from storage.coordination import AudienceSpec

CALL_WINDOW = timedelta(days=7)
UNCAPPED = 10**9
"""The weekly cap of an audience that calls do not limit (an event's invitations)."""
MAX_LINES_PER_FORWARD = 20
STATUS_EDIT_EVERY = timedelta(seconds=3)
"""A broadcast's status message is edited at most this often (it shares the coordinator's chat limit)."""


def commune_level(kind: str) -> str:
    """An arrondissement of Paris, Lyon or Marseille is appointed as a commune-level area of its own."""
    return "commune" if kind == "arrondissement" else kind


def who(identity: Identity) -> str:
    """How a person appears in the audit log."""
    return f"{identity.platform}:{identity.user_id}"


def areas_of(conn: sqlite3.Connection, platform: str, user_id: str) -> tuple[CoordinatorArea, ...]:
    """The areas this person coordinates."""
    return tuple(
        CoordinatorArea(row.id, row.area.kind, row.area.code, row.area.label, row.weekly_todo)
        for row in store.areas_of(conn, platform, user_id)
    )


def invite_candidate(conn: sqlite3.Connection, code: str | None, territories: Any) -> tuple[int | None, dict[str, Any] | None]:
    """The coordinator behind an invitation code and, for a commune, its territory candidate."""
    if not code:
        return None, None
    row = store.by_invite(conn, code.strip().lower())
    if row is None:
        return None, None
    if row.area.kind != "commune":
        return row.id, None
    found = territories.commune(row.area.code)
    if found is None:
        return row.id, None
    return row.id, candidate_dict(found)


def invite_area(conn: sqlite3.Connection, code: str | None) -> tuple[str, str] | None:
    """(kind, code) of an invitation's intercommunalité or département (None for a commune or no code)."""
    row = store.by_invite(conn, code.strip().lower()) if code else None
    if row is None or row.area.kind == "commune":
        return None
    return row.area.kind, row.area.code


def apply(
    conn: sqlite3.Connection,
    effect: AddCoordinator | RemoveCoordinator | StartBroadcast | ProposeIntroduction | MarkAnswersRead,
    identity: Identity,
    chat_id: str,
    language: str,
    areas: tuple[CoordinatorArea, ...],
    config: Settings,
    now: datetime,
) -> list[Reply]:
    """Carry out a coordinator's or admin's action; return the acknowledgements."""
    stamp = iso(now)
    if isinstance(effect, AddCoordinator):
        area = Area(commune_level(effect.area["kind"]), effect.area["code"], effect.area["label"])
        row = store.add_coordinator(conn, effect.platform, effect.user_id, area, who(identity), stamp)
        text = translate(language, "coord.added", who=f"{effect.platform}:{effect.user_id}", area=area.label, code=row.invite_code)
        return [Reply(text, language=language, meta={"invite_code": row.invite_code})]  # adapters add their link
    if isinstance(effect, RemoveCoordinator):
        removed = store.remove_coordinator(conn, effect.platform, effect.user_id, who(identity), stamp)
        return [Reply(translate_plural(language, "coord.removed_n", removed, who=f"{effect.platform}:{effect.user_id}"), language=language)]
    if isinstance(effect, StartBroadcast):
        return start_broadcast(conn, effect, identity, chat_id, language, areas, config, now)
    if isinstance(effect, MarkAnswersRead):
        store.mark_answers_forwarded(conn, effect.broadcast_id, stamp)
        return []
    return propose_introduction(conn, effect, identity, language, areas, now)


def sender_profile(conn: sqlite3.Connection, identity: Identity) -> tuple[int, ...]:
    """The sender's own actor profile, if any: never a recipient of their own call or invitation."""
    _, actor_id = identity_store.identity_actor(conn, identity.platform, identity.user_id)
    return (actor_id,) if actor_id is not None else ()


def area_owner(areas: tuple[CoordinatorArea, ...], area: Area) -> CoordinatorArea | None:
    """The appointment a broadcast belongs to: the same area, else the first (a commune inside it)."""
    for own in areas:
        if own.kind == area.kind and own.code == area.code:
            return own
    return areas[0] if areas else None


def start_broadcast(
    conn: sqlite3.Connection,
    effect: StartBroadcast,
    identity: Identity,
    chat_id: str,
    language: str,
    areas: tuple[CoordinatorArea, ...],
    config: Settings,
    now: datetime,
    number: int | None = None,
) -> list[Reply]:
    """Create the broadcast, pick its recipients and queue one message each (in this transaction);
    a call with ``send_at`` waits in ``scheduled_calls`` instead (see :func:`services.calls.send_due`).
    A call that reaches nobody is not sent: its author is told why.

    ``number``: the one its coordinator already sees (a scheduled call going out keeps it); every
    text names the call by it, never by a table's id."""
    stamp = iso(now)
    area = Area(effect.area["kind"], effect.area["code"], effect.area["label"])
    owner = area_owner(areas, area)
    if owner is None:  # the router already refused; never broadcast without an appointment
        return [Reply(translate(language, "coord.coordinators_only"), language=language)]
    spec = AudienceSpec(area, effect.kinds, effect.themes, sender_profile(conn, identity))
    if effect.send_at is not None:
        call_id = call_store.schedule(
            conn, owner.id, spec, effect.message, effect.mode, (identity.platform, chat_id), effect.send_at, stamp
        )
        store.audit(conn, who(identity), "broadcast.schedule", stamp, call=call_id, area=f"{area.kind}:{area.code}", send_at=effect.send_at)
        when = show_when(effect.send_at, config.timezone, language)
        scheduled = call_store.scheduled_call(conn, call_id)
        shown = scheduled.number if scheduled is not None else call_id
        return [Reply(translate(language, "broadcast.scheduled", id=shown, when=when), language=language)]
    since = iso(now - CALL_WINDOW)
    recipients = store.audience(conn, spec, since, config.calls_per_week)
    if not recipients:
        reason = call_store.empty_reason(conn, spec, since, config.calls_per_week) or "nobody"
        store.audit(conn, who(identity), "broadcast.empty", stamp, area=f"{area.kind}:{area.code}", reason=reason)
        text = translate(language, "broadcast.not_sent", reason=translate(language, f"broadcast.empty.{reason}"))
        return [Reply(text, language=language)]
    requester = (identity.platform, chat_id)
    broadcast_id = store.create_broadcast(conn, owner.id, spec, effect.message, effect.mode, "sending", requester, stamp, number)
    info = store.broadcast(conn, broadcast_id)
    shown = int(info["call_number"]) if info is not None else broadcast_id
    store.audit(
        conn, who(identity), "broadcast.start", stamp, broadcast=broadcast_id, area=f"{area.kind}:{area.code}", recipients=len(recipients)
    )
    # the status message, edited in place as deliveries go (where the platform can edit)
    counts = {"pending": len(recipients), "sent": 0, "failed": 0, "unreachable": 0}
    status = Reply(_status_text(language, shown, counts), notice=True, chatter=True, language=language)
    status_id = outbox.enqueue(conn, identity.platform, chat_id, status, stamp)
    store.set_status_message(conn, broadcast_id, status_id)
    queued = 0
    origin = intro_store.signature(conn, owner.id, owner.label)
    for actor_id in recipients:
        target = intro_store.contact(conn, actor_id)
        if target is None or target.platform is None or target.chat_id is None:
            continue
        view = intro_store.broadcast_view(broadcast_id, origin, effect.message, effect.mode)
        reply = decision_reply(view, target.language, notice=True)
        if effect.mode == "none":
            reply = Reply(reply.text, notice=True, language=target.language)
        outbox_id = outbox.enqueue(conn, target.platform, target.chat_id, reply, stamp, actor_id)
        call_store.tag_outbox(conn, outbox_id, broadcast_id)
        store.add_recipient(conn, broadcast_id, actor_id, outbox_id)
        queued += 1
    store.set_recipients_total(conn, broadcast_id, queued)
    if queued == 0:  # nobody had a chat to write to: the report comes at once
        info = store.broadcast(conn, broadcast_id)
        if info is not None:
            _notify_requester(conn, info, "broadcast.report", stamp, id=shown, total=0, sent=0, failed=0, unreachable=0)
    started = translate_plural(language, "broadcast.started_n", len(recipients), id=shown)
    return [Reply(started, language=language, meta={"broadcast_id": broadcast_id})]


def on_delivery(conn: sqlite3.Connection, outbox_id: int, status: str, now: str) -> None:
    """A broadcast message was sent, failed, or met an unreachable person: count it, report the end."""
    broadcast_id = store.count_delivery(conn, outbox_id, status)
    if broadcast_id is None:  # not a broadcast message, or already counted (a resend after a crash)
        return
    info = store.broadcast(conn, broadcast_id)  # O(1): counters, not a recount of every recipient
    if info is None or info["status"] != "sending":
        return
    counts = {key: info[f"{key}_count"] for key in ("sent", "failed", "unreachable")}
    counts["pending"] = max(0, info["recipients_total"] - sum(counts.values()))
    total = info["recipients_total"]
    if info.get("status_outbox_id"):
        language = _requester_language(conn, info)
        report = Reply(_status_text(language, int(info["call_number"]), counts), notice=True, chatter=True, language=language)
        finished = counts["pending"] == 0  # the last figures are shown at once
        spaced = now if finished else iso(datetime.fromisoformat(now) + STATUS_EDIT_EVERY)
        outbox.set_status_edit(conn, int(info["status_outbox_id"]), report, now, spaced)
    if counts["pending"] == 0:
        store.finish_broadcast(conn, broadcast_id, now)
        _notify_requester(conn, info, "broadcast.report", now, id=int(info["call_number"]), total=total, **counts)


REPORT_HARD_LIMIT = timedelta(hours=24)
"""A call's report never waits longer than this, even for messages still being retried."""


def report_overdue(conn: sqlite3.Connection, now: datetime, after: timedelta) -> int:
    """Send the report of the calls whose remaining messages wait for people who are not there
    (console chats not opened since) once ``after`` has passed since the call started — or
    :data:`REPORT_HARD_LIMIT` whatever is left — with how many are not delivered yet. A message
    delivered later is still counted, with no second report. Return how many reports went."""
    stamp = iso(now)
    reported = 0
    for broadcast_id in store.overdue_broadcasts(conn, iso(now - after), iso(now - REPORT_HARD_LIMIT)):
        info = store.broadcast(conn, broadcast_id)
        if info is None or info["status"] != "sending":
            continue
        counts = {key: int(info[f"{key}_count"]) for key in ("sent", "failed", "unreachable")}
        total = int(info["recipients_total"])
        pending = max(0, total - sum(counts.values()))
        store.finish_broadcast(conn, broadcast_id, stamp)
        if info.get("status_outbox_id"):
            language = _requester_language(conn, info)
            status = Reply(
                _status_text(language, int(info["call_number"]), {**counts, "pending": pending}),
                notice=True,
                chatter=True,
                language=language,
            )
            outbox.set_status_edit(conn, int(info["status_outbox_id"]), status, stamp, stamp)
        if info["requester_chat"]:
            language = _requester_language(conn, info)
            text = translate(language, "broadcast.report", id=int(info["call_number"]), total=total, **_delivered(language, counts))
            if pending:
                text += "\n" + translate_plural(language, "broadcast.report_pending_n", pending)
            outbox.enqueue(conn, info["requester_platform"], info["requester_chat"], Reply(text, notice=True, language=language), stamp)
        reported += 1
    return reported


def withdraw_calls(conn: sqlite3.Connection, actor_id: int, now: str) -> int:
    """The actor paused or no longer accepts calls: calls not delivered yet are not sent to them."""
    rows = outbox.pending_calls(conn, actor_id)
    for outbox_id in rows:
        outbox.mark_failed(conn, outbox_id, now, "cancelled: the recipient paused or withdrew consent")
        on_delivery(conn, outbox_id, "failed", now)
    return len(rows)


def _status_text(language: str, number: int, counts: dict[str, int]) -> str:
    total = sum(counts.values())
    return translate(language, "broadcast.progress", id=number, done=total - counts["pending"], total=total, **_delivered(language, counts))


def _delivered(language: str, counts: dict[str, Any]) -> dict[str, str]:
    """ "3 reçus", "1 échec", "0 injoignable": each count of a call's deliveries in its plural form."""
    return {key: translate_plural(language, f"broadcast.{key}_n", int(counts[key])) for key in ("sent", "failed", "unreachable")}


def _notify_requester(conn: sqlite3.Connection, info: dict[str, Any], key: str, now: str, **params: Any) -> None:
    if not info["requester_chat"]:  # its coordinator erased their data: nobody to tell
        return
    language = _requester_language(conn, info)
    if key == "broadcast.report":
        params = {**params, **_delivered(language, params)}
    reply = Reply(translate(language, key, **params), notice=True, language=language)
    outbox.enqueue(conn, info["requester_platform"], info["requester_chat"], reply, now)


def _requester_language(conn: sqlite3.Connection, info: dict[str, Any]) -> str:
    return store.chat_language(conn, info["requester_platform"], info["requester_chat"]) or "fr"


def forward_answers(conn: sqlite3.Connection, now: datetime) -> int:
    """Send coordinators the answers not forwarded yet, one message per broadcast; return how many answers."""
    stamp = iso(now)
    forwarded = 0
    for broadcast_id in store.broadcasts_with_new_answers(conn):
        info = store.broadcast(conn, broadcast_id)
        claimed = store.mark_answers_forwarded(conn, broadcast_id, stamp)
        if not claimed:
            continue
        rows = store.answers_by_id(conn, claimed)
        if info is None or info["coordinator_id"] is None:  # the appointment was removed: they may no longer read them
            continue
        language = _requester_language(conn, info)
        lines = [answer_line(name, kind, place, answer, language) for _, name, kind, place, answer in rows[:MAX_LINES_PER_FORWARD]]
        if len(rows) > MAX_LINES_PER_FORWARD:
            lines.append(translate_plural(language, "answers.more_n", len(rows) - MAX_LINES_PER_FORWARD))
        text = translate_plural(language, "answers.forward_n", len(rows), id=int(info["call_number"])) + "\n" + "\n".join(lines)
        reply = Reply(text, notice=True, language=language)
        outbox.enqueue(conn, info["requester_platform"], info["requester_chat"], reply, stamp, about=[row[0] for row in rows])
        forwarded += len(rows)
    return forwarded


def propose_introduction(
    conn: sqlite3.Connection,
    effect: ProposeIntroduction,
    identity: Identity,
    language: str,
    areas: tuple[CoordinatorArea, ...],
    now: datetime,
) -> list[Reply]:
    """A coordinator suggests two actors to each other: the first is asked, then the usual double opt-in."""
    stamp = iso(now)
    origin = intro_store.signature(conn, areas[0].id, areas[0].label) if areas else ""
    first, second = intro_store.other_actor(conn, effect.first), intro_store.other_actor(conn, effect.second)
    if first is None or second is None:
        return [Reply(translate(language, "decision.gone"), language=language)]
    territory = [Area(area.kind, area.code, area.label) for area in areas]
    if not all(store.actor_in_areas(conn, actor, territory) for actor in (effect.first, effect.second)):
        return [Reply(translate(language, "coord.refused"), language=language)]  # rights checked again when acting
    if pairs.pair_engaged(conn, effect.first, effect.second):
        text = translate(language, "introduce.already", first=describe_other(first, language), second=describe_other(second, language))
        return [Reply(text, language=language)]
    reason = ["match.coordinator_why", {"origin": origin, "why": effect.why}] if effect.why else ["match.coordinator", {"origin": origin}]
    explanation = json.dumps([reason], ensure_ascii=False)
    suggestion_id = intro_store.create_coordinator_suggestion(conn, effect.first, effect.second, explanation, stamp, who(identity))
    store.audit(conn, who(identity), "introduction.propose", stamp, first=effect.first, second=effect.second, suggestion=suggestion_id)
    view = open_decision(conn, effect.first, "suggestion", suggestion_id, stamp)
    if view is not None:
        send_to_actor(conn, effect.first, lambda lang: decision_reply(view, lang, notice=True), stamp, (effect.second,))
    return [
        Reply(
            translate(language, "introduce.sent", first=describe_other(first, language), second=describe_other(second, language)),
            language=language,
        )
    ]
