"""Alliances beyond pairs, the domain side: outcomes of follow-ups (and the 3-month re-ask of
"en discussion"), and recommendations by actors. Runs in the caller's transaction; messages
to others go through the outbox (see :mod:`services.introductions`)."""

from __future__ import annotations

import functools
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from conversations.alliances import ALLIANCE_EFFECTS, RecommendMeeting, RecordOutcome
from conversations.decisions import TOKEN_KINDS, decision_reply, describe_other
from conversations.groups import CreateGroup
from conversations.i18n import translate
from conversations.programmes import DeclareProgramme, SendProgramme
from core.clock import iso
from core.types import Reply
from services.introductions import open_decision, send_to_actor
from storage import actors, outcomes, pairs, recommendations
from storage import introductions as intro_store

RECHECK_AFTER = timedelta(days=90)
""""En discussion" is asked again this long after the introduction was made."""
RECOMMENDATIONS_PER_DAY = 5
"""How many meetings one actor may suggest in 24 hours (nobody gets flooded on someone's word)."""

COORDINATOR_EFFECTS = (CreateGroup, SendProgramme)
"""Coordinators' effects, applied by :func:`apply_coordinator`."""

__all__ = ["ALLIANCE_EFFECTS", "COORDINATOR_EFFECTS", "answer_followup", "apply", "apply_coordinator", "recheck"]


def apply(
    conn: sqlite3.Connection,
    effect: RecordOutcome | RecommendMeeting | DeclareProgramme,
    actor_id: int | None,
    language: str,
    now: datetime,
) -> list[Reply]:
    """Carry out an alliance effect of actor ``actor_id``; return the acknowledgements."""
    if actor_id is None:
        return [Reply(translate(language, "idle.not_registered"), language=language)]
    if isinstance(effect, RecordOutcome):
        return record_outcome(conn, actor_id, effect, language, now)
    if isinstance(effect, DeclareProgramme):
        from services.programmes import declare

        return declare(conn, actor_id, effect, language, now)
    return recommend(conn, actor_id, effect, language, now)


def apply_coordinator(
    conn: sqlite3.Connection,
    effect: CreateGroup | SendProgramme,
    areas: tuple[Any, ...],
    requester: tuple[str, str],
    who: str,
    language: str,
    now: datetime,
) -> list[Reply]:
    """Carry out a coordinator's group or programme action (``areas``: their appointments)."""
    from services import groups, programmes

    if isinstance(effect, CreateGroup):
        owner = (areas[0].id, areas[0].label) if areas else None
        return groups.create_group(conn, effect, owner, requester, language, now, areas)
    return programmes.send(conn, effect, areas, who, language, now)


def _subject(tok: str) -> tuple[str, int] | None:
    kind = TOKEN_KINDS.get(tok[:1])
    if kind == "followup" and tok[1:].isdigit():
        return "introduction", int(tok[1:])
    if kind == "groupfollowup" and tok[1:].isdigit():
        return "group", int(tok[1:])
    return None


def answer_followup(conn: sqlite3.Connection, actor_id: int, introduction_id: int, value: str, language: str, now: datetime) -> list[Reply]:
    """An introduction's follow-up answered: stored per side; "discussing" is asked again at 3 months."""
    row = intro_store.introduction(conn, introduction_id)
    if row is None:
        return [Reply(translate(language, "decision.gone"), language=language)]
    made = datetime.fromisoformat(row["answered_at"] or row["created_at"])
    if not outcomes.answer_introduction(conn, introduction_id, actor_id, value, iso(made + RECHECK_AFTER), iso(now)):
        return [Reply(translate(language, "decision.gone"), language=language)]
    return [Reply(translate(language, f"followup.thanks.{value}"), language=language)]


def record_outcome(conn: sqlite3.Connection, actor_id: int, effect: RecordOutcome, language: str, now: datetime) -> list[Reply]:
    """Store what a launched collaboration produced; nothing changes for a follow-up that is not theirs."""
    subject = _subject(effect.token)
    if subject is None or not outcomes.set_details(conn, *subject, actor_id, effect.kinds, effect.story, effect.shared, iso(now)):
        return [Reply(translate(language, "decision.gone"), language=language)]
    return []


def recheck(conn: sqlite3.Connection, now: datetime) -> int:
    """Ask "en discussion" again, three months after the introduction; return how many were asked."""
    stamp = iso(now)
    asked = 0
    for introduction_id, sides in outcomes.due_rechecks(conn, stamp):
        row = intro_store.introduction(conn, introduction_id)
        if row is None:
            continue
        for actor_id in sides:
            other_id = row["invitee_id"] if row["requester_id"] == actor_id else row["requester_id"]
            view = open_decision(conn, actor_id, "followup", introduction_id, stamp)
            if view is not None and send_to_actor(conn, actor_id, functools.partial(decision_reply, view, notice=True), stamp, (other_id,)):
                asked += 1
    return asked


def recommend(conn: sqlite3.Connection, actor_id: int, effect: RecommendMeeting, language: str, now: datetime) -> list[Reply]:
    """Suggest ``effect.second`` to ``effect.first`` on the actor's word: the usual double opt-in,
    their name shown. Refused, with nothing changed: oneself, the same actor twice, an actor
    unknown or out of reach (another département, no suggestions wanted), a pair already under
    way, more than :data:`RECOMMENDATIONS_PER_DAY` a day."""
    stamp = iso(now)

    def refuse(key: str) -> list[Reply]:
        return [Reply(translate(language, key), language=language)]

    me = actors.load_actor(conn, actor_id)
    if me is None:
        return refuse("idle.not_registered")
    if actor_id in (effect.first, effect.second):
        return refuse("recommend.self")
    if effect.first == effect.second:
        return refuse("recommend.same")
    kind, code = ("departement", me.place.departement) if me.place.departement else ("commune", me.place.code)
    if not all(recommendations.recommendable(conn, other, kind, code) for other in (effect.first, effect.second)):
        return refuse("recommend.none_found")
    if recommendations.recent_count(conn, actor_id, iso(now - timedelta(days=1))) >= RECOMMENDATIONS_PER_DAY:
        return refuse("recommend.too_many")
    if pairs.pair_engaged(conn, effect.first, effect.second):
        return refuse("recommend.already")
    first, second = intro_store.other_actor(conn, effect.first), intro_store.other_actor(conn, effect.second)
    if first is None or second is None:
        return refuse("recommend.none_found")
    params = {"origin": me.name, **({"why": effect.why} if effect.why else {})}
    reasons = [["match.recommended_why" if effect.why else "match.recommended", params]]
    suggestion_id = recommendations.create(conn, effect.first, effect.second, actor_id, reasons, stamp)
    view = open_decision(conn, effect.first, "suggestion", suggestion_id, stamp)
    if view is not None:
        send_to_actor(conn, effect.first, lambda lang: decision_reply(view, lang, notice=True), stamp, (effect.second,))
    text = translate(language, "recommend.sent", first=describe_other(first, language), second=describe_other(second, language))
    return [Reply(text, language=language)]
