"""Working groups, the domain side: a coordinator's group is created and each member asked
(double opt-in); once two said yes, each member who said yes gets a place to talk — the
group's encrypted Matrix room (created by :mod:`bot.groups` through the adapter), the Telegram
group link the coordinator gave, or, across networks and on the console, the contacts of the
other members who said yes (never of anyone else). Follow-ups at 3 weeks and 3 months ask
what the group produced (recorded as outcomes). Runs in the caller's transaction."""

from __future__ import annotations

import functools
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from conversations.decisions import decision_reply, describe_other
from conversations.groups import MAX_MEMBERS, MIN_MEMBERS, CreateGroup, left_out_lines
from conversations.i18n import translate, translate_plural
from core.clock import iso
from core.types import Reply
from services.introductions import contact_text, open_decision, send_to_actor
from storage import coordination as coordination_store
from storage import groups as store
from storage import introductions as intro_store
from storage import outcomes
from storage.coordination import Area

FOLLOW_UP_AFTER = timedelta(days=21)
RECHECK_AFTER = timedelta(days=90)


def call_members(conn: sqlite3.Connection, broadcast_id: int, areas: tuple[Any, ...]) -> list[tuple[int, str, str, str]] | None:
    """Who answered one of the coordinator's calls; None for a call that is not theirs."""
    row = coordination_store.broadcast(conn, broadcast_id)
    if row is None or row["coordinator_id"] not in {area.id for area in areas}:
        return None
    return store.call_members(conn, broadcast_id)


def clusters(conn: sqlite3.Connection, areas: tuple[Any, ...], now: datetime) -> list[dict[str, Any]]:
    """Clusters of 3+ actors on one theme and commune with needs and offers that fit."""
    found: list[dict[str, Any]] = []
    for area in areas:
        found += store.clusters(conn, Area(area.kind, area.code, area.label), now.date().isoformat())
    return found[:10]


def create_group(
    conn: sqlite3.Connection,
    effect: CreateGroup,
    coordinator: tuple[int, str] | None,
    requester: tuple[str, str],
    language: str,
    now: datetime,
    areas: tuple[Any, ...] = (),
) -> list[Reply]:
    """Create the group and ask each member; refused with nothing changed outside 2–30 members,
    outside the coordinator's territory, or with an actor unknown."""
    if coordinator is None:
        return [Reply(translate(language, "coord.coordinators_only"), language=language)]
    members = list(dict.fromkeys(effect.members))
    if len(members) < MIN_MEMBERS:
        return [Reply(translate(language, "group.too_small", count=len(members)), language=language)]
    if len(members) > MAX_MEMBERS:
        return [Reply(translate(language, "group.too_big", count=len(members)), language=language)]
    area = Area(effect.area["kind"], effect.area["code"], effect.area["label"])
    territory = [Area(a.kind, a.code, a.label) for a in areas] or [area]
    if not all(any(store.in_area(conn, own, [member]) for own in territory) for member in members):
        return [Reply(translate(language, "coord.refused"), language=language)]  # an actor outside their territory
    reasons = store.left_out(conn, members)  # an invitation is a solicitation: « pas d'appels » and /pause hold, as for calls
    members = [member for member in members if member not in reasons]
    left = left_out_lines(language, list(reasons.values()))
    if len(members) < MIN_MEMBERS:
        return [Reply("\n".join([translate(language, "group.too_small", count=len(members)), *left]), language=language)]
    stamp = iso(now)
    coordinator_id, _ = coordinator
    group_id = store.create(
        conn,
        coordinator_id,
        area,
        effect.name,
        effect.theme,
        effect.source,
        effect.broadcast_id,
        effect.invite_link,
        requester,
        members,
        stamp,
    )
    coordination_store.audit(conn, f"{requester[0]}:{requester[1]}", "group.create", stamp, group=group_id, members=len(members))
    asked = 0
    for actor_id in members:
        view = open_decision(conn, actor_id, "group", group_id, stamp)
        if view is not None and send_to_actor(conn, actor_id, functools.partial(decision_reply, view, notice=True), stamp):
            asked += 1
    created = translate_plural(language, "group.created_n", asked, name=effect.name)
    return [Reply("\n".join([created, *left]), language=language)]


def answer_invite(conn: sqlite3.Connection, actor_id: int, group_id: int, value: str, language: str, now: datetime) -> list[Reply]:
    """A member's yes or no; with two yes or more, every member who said yes gets their place."""
    stamp = iso(now)
    if not store.answer(conn, group_id, actor_id, "accepted" if value == "join" else "declined", stamp):
        return [Reply(translate(language, "decision.gone"), language=language)]
    group = store.group(conn, group_id)
    if group is None:
        return [Reply(translate(language, "decision.gone"), language=language)]
    if value != "join":
        _tell_coordinator(conn, group, "group.member_declined", actor_id, stamp)
        return [Reply(translate(language, "group.declined", name=group["name"]), language=language)]
    if group.get("coordinator_contacts"):  # their invitation said so: the coordinator gets the contact
        _tell_coordinator(conn, group, "group.member_joined_contact_n", actor_id, stamp)
    else:
        _tell_coordinator(conn, group, "group.member_joined", actor_id, stamp)
    if len(store.accepted_ids(conn, group_id)) < 2:
        return [Reply(translate(language, "group.joined_waiting", name=group["name"]), language=language)]
    store.mark_formed(conn, group_id, stamp, iso(now + FOLLOW_UP_AFTER), iso(now + RECHECK_AFTER))
    distribute(conn, group_id, stamp)
    return [Reply(translate(language, "group.joined", name=group["name"]), language=language)]


def _tell_coordinator(conn: sqlite3.Connection, group: dict[str, Any], key: str, actor_id: int, stamp: str) -> None:
    from storage import outbox

    if not group["requester_chat"]:  # its coordinator erased their data: nobody to tell
        return
    member = intro_store.other_actor(conn, actor_id)
    language = store.chat_language(conn, group["requester_platform"], group["requester_chat"])
    params: dict[str, str] = {"name": group["name"], "member": describe_other(member, language) if member else "?"}
    if key == "group.member_joined_contact_n":
        person = intro_store.contact(conn, actor_id)
        params["contact"] = contact_text(person, language) if person is not None else translate(language, "intro.no_contact")
        text = translate_plural(language, key, len(store.accepted_ids(conn, int(group["id"]))), **params)
    else:
        text = translate(language, key, **params)
    outbox.enqueue(
        conn, group["requester_platform"], group["requester_chat"], Reply(text, notice=True, language=language), stamp, about=[actor_id]
    )


def _space(member: store.Member, group: dict[str, Any], on_matrix: int) -> str | None:
    """Where a member meets the others: the Matrix room, the Telegram group, or nowhere shared (contacts)."""
    if member.platform == "matrix" and on_matrix >= 2:
        return "matrix"
    if member.platform == "telegram" and group.get("invite_link"):
        return "telegram"
    return None


def distribute(conn: sqlite3.Connection, group_id: int, stamp: str) -> int:
    """Give each member who said yes and has no place yet the Telegram link (on Telegram) and the
    contacts of the members they will not meet there; tell earlier members about them the same
    way. The Matrix room is created outside the transaction (:func:`rooms_due`)."""
    group = store.group(conn, group_id)
    if group is None:
        return 0
    everyone = [m for m in store.members(conn, group_id) if m.status == "accepted"]
    on_matrix = sum(1 for m in everyone if m.platform == "matrix")
    placed = 0
    for member in [m for m in everyone if not m.place_sent]:
        mine = _space(member, group, on_matrix)
        others = [o for o in everyone if o.actor_id != member.actor_id and (mine is None or _space(o, group, on_matrix) != mine)]
        contacts = [c for c in (intro_store.contact(conn, o.actor_id) for o in others) if c is not None]

        def build(language: str, mine: str | None = mine, contacts: list[Any] = contacts) -> Reply:
            lines = [translate(language, "group.place_title", name=group["name"])]
            if mine == "telegram":
                lines.append(translate(language, "group.place_link", link=group["invite_link"]))
            if mine == "matrix":
                lines.append(translate(language, "group.place_room_soon"))
            if contacts:
                lines.append(translate(language, "group.place_contacts"))
                lines += [f"• {c.name}\n{contact_text(c, language)}" for c in contacts]
            return Reply("\n".join(lines), notice=True, language=language)

        send_to_actor(conn, member.actor_id, build, stamp, [c.actor_id for c in contacts])
        store.mark_placed(conn, group_id, member.actor_id, stamp)
        placed += 1
        newcomer = intro_store.contact(conn, member.actor_id)
        for earlier in [o for o in everyone if o.place_sent and o.actor_id != member.actor_id]:
            theirs = _space(earlier, group, on_matrix)
            if newcomer is None or (theirs is not None and theirs == mine):
                continue
            send_to_actor(
                conn,
                earlier.actor_id,
                functools.partial(_new_member_reply, str(group["name"]), newcomer),
                stamp,
                [member.actor_id],
            )
    return placed


def rooms_due(conn: sqlite3.Connection) -> list[tuple[int, str, str | None, list[tuple[int, str]], str | None]]:
    """Matrix rooms to create or complete: (group id, name, room id or None, [(actor, Matrix user)],
    the coordinator's Matrix user to invite too, or None)."""
    return store.rooms_due(conn)


def room_ready(conn: sqlite3.Connection, group_id: int, room_id: str, invited: list[int], now: datetime, coordinator: bool = False) -> None:
    """The room exists and these members (and the coordinator) were invited: tell them where to look."""
    stamp = iso(now)
    store.mark_room(conn, group_id, room_id, invited, stamp, coordinator)
    group = store.group(conn, group_id)
    name = group["name"] if group else ""
    if coordinator and group is not None and group["requester_chat"]:
        from storage import outbox

        language = store.chat_language(conn, group["requester_platform"], group["requester_chat"])
        told = Reply(translate(language, "group.room_invited_coordinator", name=name), notice=True, language=language)
        outbox.enqueue(conn, group["requester_platform"], group["requester_chat"], told, stamp)
    for actor_id in invited:
        send_to_actor(
            conn,
            actor_id,
            lambda language: Reply(translate(language, "group.room_invited", name=name), notice=True, language=language),
            stamp,
        )


def maintenance(conn: sqlite3.Connection, now: datetime) -> int:
    """Ask the groups whose 3-week or 3-month question is due what they produced; return how many members were asked."""
    stamp = iso(now)
    asked = 0
    for group_id, _ in store.followups_due(conn, stamp):
        for actor_id in store.accepted_ids(conn, group_id):
            view = open_decision(conn, actor_id, "groupfollowup", group_id, stamp)
            if view is not None and send_to_actor(conn, actor_id, functools.partial(decision_reply, view, notice=True), stamp):
                asked += 1
    return asked


def answer_followup(conn: sqlite3.Connection, actor_id: int, group_id: int, value: str, language: str, now: datetime) -> list[Reply]:
    """A member says what the group produced (recorded like an introduction's outcome)."""
    if actor_id not in store.accepted_ids(conn, group_id):
        return [Reply(translate(language, "decision.gone"), language=language)]
    outcomes.record(conn, "group", group_id, actor_id, value, iso(now))
    return [Reply(translate(language, f"followup.thanks.{value}"), language=language)]


def _new_member_reply(group_name: str, newcomer: Any, language: str) -> Reply:
    """Tell an earlier member who joined the group, with their contact."""
    text = translate(language, "group.new_member", name=group_name) + f"\n• {newcomer.name}\n{contact_text(newcomer, language)}"
    return Reply(text, notice=True, language=language)


def joined_names(conn: sqlite3.Connection, actor_id: int) -> list[str]:
    """The names of the groups the actor joined (what /supprimer says they will leave)."""
    return [name for _, name in store.joined(conn, actor_id)]


def tell_member_left(conn: sqlite3.Connection, actor_id: int, now: str) -> int:
    """Before an actor erases their data: the coordinator of each group they joined, and its other
    members who said yes (told of each arrival too), get « Un membre a quitté le groupe « … » » —
    nothing about who (the erasure keeps nothing of them), never tagged as about them (which would
    erase the message with them). Return how many were told."""
    from storage import outbox

    told = 0
    for group_id, name in store.joined(conn, actor_id):
        group = store.group(conn, group_id)
        if group is None:
            continue
        for other in store.accepted_ids(conn, group_id):
            if other != actor_id:
                told += send_to_actor(conn, other, functools.partial(_member_left_reply, name), now)
        if group["requester_chat"]:  # its coordinator erased their data: nobody to tell
            language = store.chat_language(conn, group["requester_platform"], group["requester_chat"])
            outbox.enqueue(conn, group["requester_platform"], group["requester_chat"], _member_left_reply(name, language), now)
            told += 1
    return told


def _member_left_reply(group_name: str, language: str) -> Reply:
    return Reply(translate(language, "group.member_left", name=group_name), notice=True, language=language)


def left_out(conn: sqlite3.Connection, actor_ids: list[int]) -> dict[int, str]:
    """Which of these actors a group may not invite, and why (see :func:`storage.groups.left_out`)."""
    return store.left_out(conn, actor_ids)
