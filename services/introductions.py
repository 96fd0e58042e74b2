"""Double opt-in introductions and the other decisions, as state changes plus messages.

Everything here runs inside one transaction on the database thread: the state change and
the messages it causes (written to the outbox) are committed together, so a crash can
neither lose a message nor send one for a change that did not happen.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from conversations.contacts import contact_lines
from conversations.decisions import (
    CALL_DECLINED,
    TOKEN_KINDS,
    DecisionView,
    OtherActor,
    decision_reply,
    describe_other,
    presentation,
    token,
)
from conversations.expiry import format_day_in
from conversations.flows import expires_at
from conversations.i18n import translate
from conversations.understanding import fold
from core.clock import iso
from core.types import Reply
from storage import actors, listings, outbox, pairs
from storage import coordination as coordination_store
from storage import introductions as store
from storage.introductions import Contact

REMIND_AFTER = timedelta(days=7)
EXPIRE_AFTER_REMINDER = timedelta(days=7)
FOLLOW_UP_AFTER = timedelta(days=21)
RENEWAL_NOTICE = timedelta(days=7)


def send_to_actor(
    conn: sqlite3.Connection, actor_id: int, build: Callable[[str], Reply], now: str, about: Iterable[int | None] = ()
) -> bool:
    """Queue a message for an actor in their language; False when they have no reachable identity.

    ``about``: the other actors the message shows (it is erased with them).
    """
    target = store.contact(conn, actor_id)
    if target is None or target.platform is None or target.chat_id is None:
        return False
    outbox.enqueue(conn, target.platform, target.chat_id, build(target.language), now, actor_id, about=[a for a in about if a is not None])
    return True


def contact_text(person: Contact, language: str) -> str:
    """The contact an actor agreed to share: each line names its network and has a link."""
    lines = contact_lines(
        language,
        platform=person.handle_platform,
        handle=person.handle,
        email=person.email,
        phone=person.phone,
        name=person.name,
        is_account=person.handle_is_account,
    )
    return "\n".join(lines) or translate(language, "intro.no_contact")


def open_decision(conn: sqlite3.Connection, actor_id: int, kind: str, ref_id: int, now: str) -> DecisionView | None:
    """The actor's open decision of ``kind`` about row ``ref_id``, if it is still open."""
    wanted = token(kind, ref_id)
    return next((view for view in store.open_decisions(conn, actor_id, now) if view.token == wanted), None)


def answer(conn: sqlite3.Connection, actor_id: int, tok: str, value: str, now: datetime) -> list[Reply]:
    """Apply the actor's answer to decision ``tok``; return the acknowledgements for them."""
    kind = TOKEN_KINDS[tok[0]]
    ref_id = int(tok[1:])
    me = actors.load_actor(conn, actor_id)
    if me is None:  # explicit checks, not asserts: they must hold under ``python -O`` too
        raise LookupError(f"actor {actor_id} answering {tok} does not exist")
    lang = me.language
    stamp = iso(now)
    if kind == "suggestion":
        return _answer_suggestion(conn, actor_id, lang, ref_id, value, stamp)
    if kind == "introduction":
        return _answer_introduction(conn, actor_id, lang, ref_id, value, now)
    if kind == "broadcast":
        return record_answer(conn, actor_id, ref_id, value, lang, now)
    if kind == "followup":
        from services.alliances import answer_followup

        return answer_followup(conn, actor_id, ref_id, value, lang, now)
    if kind in ("group", "groupfollowup"):
        from services import groups

        if kind == "group":
            return groups.answer_invite(conn, actor_id, ref_id, value, lang, now)
        return groups.answer_followup(conn, actor_id, ref_id, value, lang, now)
    # renewal of a listing
    if value == "renew":
        until = expires_at(now, 3)
        listings.renew(conn, actor_id, ref_id, until, stamp)
        return [Reply(translate(lang, "renewal.renewed", expires=format_day_in(until, lang)), language=lang)]
    listings.close_unrenewed(conn, actor_id, ref_id, stamp)
    return [Reply(translate(lang, "renewal.closed"), language=lang)]


def record_answer(conn: sqlite3.Connection, actor_id: int, broadcast_id: int, answer: str, language: str, now: datetime) -> list[Reply]:
    """Store an answer to a call (forwarded to the coordinator later, grouped)."""
    coordination_store.record_answer(conn, broadcast_id, actor_id, answer, iso(now))
    thanks = "broadcast.declined_thanks" if answer == CALL_DECLINED else "broadcast.answer_thanks"
    return [Reply(translate(language, thanks), language=language)]


def add_to_call_answer(conn: sqlite3.Connection, actor_id: int, broadcast_id: int, text: str, remove: bool = False) -> None:
    """More of an answer to a call, typed just after it (or taken back out): the coordinator reads the whole."""
    coordination_store.add_to_answer(conn, broadcast_id, actor_id, text, remove)


def _role(conn: sqlite3.Connection, introduction_id: int, actor_id: int) -> str:
    row = store.introduction(conn, introduction_id)
    return "requester" if row is not None and row["requester_id"] == actor_id else "invitee"


def _answer_suggestion(conn: sqlite3.Connection, actor_id: int, lang: str, suggestion_id: int, value: str, stamp: str) -> list[Reply]:
    found = store.suggestion_other(conn, suggestion_id, actor_id)
    if found is None:  # not a suggestion made to this actor
        return [Reply(translate(lang, "decision.gone"), language=lang)]
    other_id, listed = found
    other = store.other_actor(conn, other_id)
    name = other.name if other else "?"
    status = {"present": "accepted", "decline": "declined", "later": "later"}[value]
    store.answer_suggestion(conn, suggestion_id, status, stamp)
    if value == "decline":  # that need ↔ offer pair is not proposed again; a theme pair: that actor (storage.suggestions.history)
        held = store.pending_between(conn, other_id, actor_id)  # their request, held while this suggestion waited
        row = store.introduction(conn, held) if held is not None else None
        if held is not None and row is not None and pairs.declined_by(conn, actor_id, other_id, row["suggestion_id"]):
            _refuse(conn, row, held, actor_id, stamp)  # answered by this « Pas intéressé »: never put to them after it
        return [Reply(translate(lang, "suggestion.declined_pair" if listed else "suggestion.declined", name=name), language=lang)]
    if value == "later":
        return [Reply(translate(lang, "suggestion.later"), language=lang)]
    return request_introduction(conn, actor_id, other_id, name, lang, datetime.fromisoformat(stamp), suggestion_id)


def request_introduction(
    conn: sqlite3.Connection, actor_id: int, other_id: int, name: str, lang: str, now: datetime, suggestion_id: int | None = None
) -> list[Reply]:
    """« Me présenter » (from a suggestion or the directory): ask ``other_id`` whether they agree to
    be introduced to ``actor_id``. If they already asked for us, both agreed; a pair already
    introduced, being asked or where one declined the other, either way, is not asked again
    (:func:`storage.pairs.introduction_state`): the person is told why, nothing is sent. Nor is one
    whose other side declined a suggestion of us (:func:`storage.pairs.declined_by`): the person is
    told, without the other's reason, that it is not forwarded."""
    theirs = store.pending_between(conn, other_id, actor_id)
    if theirs is not None:
        return introduce(conn, theirs, now, answering=actor_id)
    state = pairs.introduction_state(conn, actor_id, other_id)
    if state == "declined":  # a no of our own to their request: ours to take back (the block protects them, not us from us)
        own = next((row for row in store.own_declines(conn, actor_id) if row[1] == other_id), None)
        if own is not None:
            return _reopened(conn, actor_id, own[0], other_id, name, own[4], lang, now)
    if state is not None:
        key = {"asked": "suggestion.already_asked", "accepted": "intro.already_made", "declined": "intro.already_declined"}[state]
        return [Reply(translate(lang, key, name=name), language=lang)]
    if pairs.declined_by(conn, other_id, actor_id, suggestion_id):  # they said « Pas intéressé » to us: never asked
        if suggestion_id is not None:
            store.answer_suggestion(conn, suggestion_id, "expired", iso(now))  # no introduction will follow it
        return [Reply(translate(lang, "intro.not_forwarded", name=name), language=lang)]
    stamp = iso(now)
    introduction_id = store.create_introduction(conn, actor_id, other_id, stamp, suggestion_id=suggestion_id)
    ask_invitee(conn, introduction_id, other_id, stamp)
    return [Reply(translate(lang, "suggestion.asked", name=name), language=lang)]


TAKE_BACK_WINDOW = timedelta(hours=24)
"""How long a declined request can be taken back and accepted as it was: the requester was told of the no
at once (« … n'a pas souhaité donner suite »), so their yes is taken as still standing for a day only; after
that, whoever declined asks them again, as any new request (double opt-in)."""
TOWN_HALL_WORDS = frozenset(("mairie", "ville", "commune", "municipalite", "town hall", "town", "city", "council", "city hall"))
"""Words that name a collectivité whatever its name (« oui pour la mairie finalement », "the town hall")."""


def _named(hint: str, name: str, kind: str) -> bool:
    """Whether the words left of a taking back (:func:`conversations.understanding.taken_back_name`) name
    the actor ``name``: one of its words of three letters or more, or a town hall's word for a collectivité."""
    said = set(hint.split())
    own = {word for word in fold(name).replace("'", " ").replace("-", " ").split() if len(word) >= 3}
    if said & own:
        return True
    return kind == "collectivite" and (bool(said & TOWN_HALL_WORDS) or any(word in hint for word in TOWN_HALL_WORDS if " " in word))


def take_back_decline(conn: sqlite3.Connection, actor_id: int, hint: str, lang: str, now: datetime) -> list[Reply]:
    """``actor_id`` takes back a no they gave to an introduction request (« je me suis trompée, oui pour la
    mairie finalement ») or to a suggestion (« oups, mauvais bouton, ça m'intéresse »): the one whose other side
    ``hint`` names, else their latest. A request: within :data:`TAKE_BACK_WINDOW` the requester's yes stands,
    both are introduced now; later, the requester is asked again (they decide). A suggestion: within the window
    it waits for its answer again (:func:`_suggestion_back`). Said back either way; nothing to take back is
    said too."""
    requests = [("introduction", *row) for row in store.own_declines(conn, actor_id)]
    suggestions = [("suggestion", *row) for row in store.own_declined_suggestions(conn, actor_id)]
    # newest first; at the same moment the suggestion (its « Pas intéressé » also declined the request it held)
    declines = sorted([*suggestions, *requests], key=lambda row: (row[5], row[0] == "suggestion"), reverse=True)
    if not declines:
        return [Reply(translate(lang, "undo.nothing"), language=lang)]
    named = [row for row in declines if hint and _named(hint, row[3], row[4])]
    kind, row_id, other_id, name, _, declined_at = (named or declines)[0]
    if kind == "suggestion":
        return _suggestion_back(conn, actor_id, row_id, name, declined_at, lang, now)
    return _reopened(conn, actor_id, row_id, other_id, name, declined_at, lang, now)


RESTORED = "restored_decision"
"""The meta key of the reply saying a suggestion was taken back: the token of that suggestion, shown next."""


def _suggestion_back(
    conn: sqlite3.Connection, actor_id: int, suggestion_id: int, name: str, declined_at: str, lang: str, now: datetime
) -> list[Reply]:
    """``actor_id``'s « Pas intéressé » to suggestion ``suggestion_id`` taken back: within :data:`TAKE_BACK_WINDOW`
    the suggestion waits for its answer again, as before the no (shown next, :data:`RESTORED`); later, nothing
    changes and /annuaire is named. The other side is told nothing either way (they never learnt of the no)."""
    if datetime.fromisoformat(declined_at) < now - TAKE_BACK_WINDOW:
        return [Reply(translate(lang, "undo.suggestion_too_late", name=name), language=lang)]
    store.restore_suggestion(conn, suggestion_id)
    restored = token("suggestion", suggestion_id)
    return [Reply(translate(lang, "undo.suggestion_back", name=name), language=lang, meta={RESTORED: restored})]


def _reopened(
    conn: sqlite3.Connection,
    actor_id: int,
    introduction_id: int,
    requester_id: int,
    name: str,
    declined_at: str,
    lang: str,
    now: datetime,
) -> list[Reply]:
    """The declined request ``introduction_id`` taken back by its invitee ``actor_id``: accepted as it was
    while the requester's yes is recent, else the requester asked again by ``actor_id``."""
    stamp = iso(now)
    if datetime.fromisoformat(declined_at) >= now - TAKE_BACK_WINDOW:
        said = Reply(translate(lang, "undo.reopened", name=name), language=lang)
        return [said, *introduce(conn, introduction_id, now, answering=actor_id)]
    if pairs.declined_by(conn, requester_id, actor_id):  # they said « Pas intéressé » to us since: never asked
        return [Reply(translate(lang, "intro.not_forwarded", name=name), language=lang)]
    asked = store.create_introduction(conn, actor_id, requester_id, stamp)
    ask_invitee(conn, asked, requester_id, stamp)
    return [Reply(translate(lang, "undo.asked_again", name=name), language=lang)]


def ask_invitee(conn: sqlite3.Connection, introduction_id: int, invitee_id: int, stamp: str, reminder: bool = False) -> bool:
    """Queue the "would you like to be introduced?" question for the invitee."""
    view = open_decision(conn, invitee_id, "introduction", introduction_id, stamp)
    if view is None:
        return False
    if reminder:
        view = dataclasses.replace(view, reminder=True)  # every field kept (the other's id: not announced twice)
    requester = store.introduction(conn, introduction_id)
    about = (requester["requester_id"],) if requester is not None else ()
    return send_to_actor(conn, invitee_id, lambda language: decision_reply(view, language, notice=True), stamp, about)


def _answer_introduction(
    conn: sqlite3.Connection, actor_id: int, lang: str, introduction_id: int, value: str, now: datetime
) -> list[Reply]:
    row = store.introduction(conn, introduction_id)
    if row is None or row["invitee_id"] != actor_id or row["status"] != "asked":  # only the invitee answers, once
        return [Reply(translate(lang, "decision.gone"), language=lang)]
    if value == "accept":
        return introduce(conn, introduction_id, now, answering=actor_id)
    _refuse(conn, row, introduction_id, actor_id, iso(now))
    return [Reply(translate(lang, "intro.refused_ack"), language=lang)]


def _refuse(conn: sqlite3.Connection, row: dict[str, Any], introduction_id: int, actor_id: int, stamp: str) -> None:
    """The invitee ``actor_id`` declines the request: the requester is told kindly, never why."""
    store.decline(conn, introduction_id, stamp)
    me = store.other_actor(conn, actor_id)
    send_to_actor(
        conn,
        row["requester_id"],
        lambda language: Reply(
            translate(language, "intro.declined", other=describe_other(me, language) if me else "?"), notice=True, language=language
        ),
        stamp,
        (actor_id,),
    )


def introduce(conn: sqlite3.Connection, introduction_id: int, now: datetime, answering: int) -> list[Reply]:
    """Both sides agreed: share each one's contact with the other, schedule the follow-up."""
    stamp = iso(now)
    row = store.introduction(conn, introduction_id)
    if row is None:
        raise LookupError(f"introduction {introduction_id} does not exist")
    store.accept(conn, introduction_id, row["requester_id"], row["invitee_id"], stamp, iso(now + FOLLOW_UP_AFTER))
    replies: list[Reply] = []
    pair = (row["requester_id"], row["invitee_id"])
    for me_id, other_id in (pair, pair[::-1]):
        other = store.contact(conn, other_id)
        other_public = store.other_actor(conn, other_id)
        if other is None or other_public is None:
            continue

        def build(language: str, other: Contact = other, public: OtherActor = other_public) -> Reply:
            return Reply(
                translate(
                    language,
                    "intro.made_presented",
                    other=describe_other(public, language),
                    presentation=presentation(public.description, language),  # nothing, not a lone "—", without one
                    contact=contact_text(other, language),
                ),
                notice=True,
                language=language,
            )

        if me_id == answering:
            me = actors.load_actor(conn, me_id)
            replies.append(build(me.language if me else "fr"))
        else:
            send_to_actor(conn, me_id, build, stamp, (other_id,))
    return replies


def _expired(invitee: OtherActor | None, language: str) -> Reply:
    """The requester's notice that the invitee never answered."""
    other = describe_other(invitee, language) if invitee else "?"
    return Reply(translate(language, "intro.expired", other=other), notice=True, language=language)


def maintenance(conn: sqlite3.Connection, now: datetime) -> dict[str, int]:
    """Reminders, expiries, follow-ups and renewal questions that are due; return counts.

    Each row is claimed by a conditional UPDATE before its message is queued, so that two runs
    at once (two workers during a change of leader) or a person's answer at the same moment
    never produce a message twice or an expiry after an acceptance."""
    stamp = iso(now)
    counts = {"reminders": 0, "expired": 0, "followups": 0, "renewals": 0, "rechecks": 0}
    for introduction_id, invitee_id in store.due_reminders(conn, iso(now - REMIND_AFTER)):
        if not store.mark_reminded(conn, introduction_id, stamp):
            continue  # answered or reminded meanwhile (another transaction, another worker)
        counts["reminders"] += ask_invitee(conn, introduction_id, invitee_id, stamp, reminder=True)
    for introduction_id, requester_id, invitee_id in store.due_expiries(conn, iso(now - EXPIRE_AFTER_REMINDER)):
        if not store.expire(conn, introduction_id, stamp):
            continue  # the invitee answered meanwhile
        invitee = store.other_actor(conn, invitee_id)
        send_to_actor(
            conn,
            requester_id,
            functools.partial(_expired, invitee),
            stamp,
            (invitee_id,),
        )
        counts["expired"] += 1
    for introduction_id, requester_id, invitee_id in store.due_followups(conn, stamp):
        if not store.mark_followup_sent(conn, introduction_id, stamp):
            continue
        for actor_id, other_id in ((requester_id, invitee_id), (invitee_id, requester_id)):
            view = open_decision(conn, actor_id, "followup", introduction_id, stamp)
            if view is not None:
                send_to_actor(conn, actor_id, functools.partial(decision_reply, view, notice=True), stamp, (other_id,))
        counts["followups"] += 1
    from services import groups
    from services.alliances import recheck

    counts["pauses_ended"] = len(actors.end_pauses(conn, stamp))  # « /pause jusqu'au 15 janvier »: suggestions again
    counts["rechecks"] = recheck(conn, now)  # "en discussion" asked again at 3 months
    counts["group_followups"] = groups.maintenance(conn, now)  # what working groups produced, 3 weeks and 3 months on
    for listing_id, actor_id in listings.due_renewals(conn, (now + RENEWAL_NOTICE).date().isoformat()):
        if not listings.mark_renewal_asked(conn, listing_id, stamp):
            continue
        view = open_decision(conn, actor_id, "renewal", listing_id, stamp)
        if view is not None:
            send_to_actor(conn, actor_id, functools.partial(decision_reply, view, notice=True), stamp)
            counts["renewals"] += 1
    return counts


def tell_left_behind(conn: sqlite3.Connection, actor_id: int, now: str) -> int:
    """Before an actor erases their data: whoever waits for them (the requester of an introduction
    still asked) or was introduced to them gets one message saying that actor left, described by
    type and commune only (what stays after the erasure names nobody). Return how many were told."""
    leaver = actors.load_actor(conn, actor_id)
    if leaver is None:
        return 0
    told = 0
    for other, status, created in store.left_behind(conn, actor_id):

        def build(language: str, status: str = status, created: str = created) -> Reply:
            kind = translate(language, f"actor_type.{leaver.kind}")
            day = format_day_in(created, language)  # « 4 décembre 2026 », "December 4, 2026", as every message writes a day
            key = "intro.left.asked" if status == "asked" else "intro.left.accepted"
            return Reply(translate(language, key, kind=kind, place=leaver.place.label, date=day), notice=True, language=language)

        told += send_to_actor(conn, other, build, now)
    return told
