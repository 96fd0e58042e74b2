"""Delivery of questions asked outside a flow, one at a time (see :mod:`conversations.queue`).

A job writes a decision's message to the outbox when the decision opens. When the outbox
worker is about to send it, :func:`before_send` loads the person's session and open decisions
and lets the conversation layer decide (:func:`conversations.queue.before_send`); once it is
sent, :func:`after_send` stores the session the conversation layer moved to that question.
Both run in the outbox worker's transaction.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from conversations import queue
from conversations.events import invited_to
from conversations.queue import Delivery, Verdict, current_token
from core.clock import iso
from core.decisions import token as decision_token
from core.types import Reply
from storage import actors, identities, outbox
from storage.introductions import open_decisions

__all__ = ["Delivery", "Verdict", "after_send", "before_send", "digest_header"]


def before_send(
    conn: sqlite3.Connection, platform: str, chat_id: str, reply: Reply, now: datetime, message_id: int | None = None
) -> Delivery:
    """Whether the decision message ``reply`` (prompt id = its token) goes out now, and as what."""
    token = str(reply.prompt_id)
    person = identities.recipient(conn, platform, chat_id)
    if person is None:
        return Delivery(Verdict.SHOW, reply, token)
    _, actor_id, session, updated_at = person
    if actor_id is None:
        return Delivery(Verdict.SHOW, reply, token)
    call = int(token[1:]) if token.startswith("B") else None
    views = open_decisions(conn, actor_id, iso(now), sending_call=call)
    written = outbox.written_at(conn, message_id) if current_token(session) == token else None
    language = actors.language(conn, actor_id)  # the person's language now, not when it was written
    return queue.before_send(session, updated_at, views, reply, now, written, language)


def digest_header(conn: sqlite3.Connection, platform: str, chat_id: str, tokens: list[str], now: datetime) -> tuple[str, int, int] | None:
    """(language, suggestions still open, questions waiting in all) of a digest's header about to
    be sent, or None when it would not describe what follows (see :func:`conversations.queue.digest_header`)."""
    person = identities.recipient(conn, platform, chat_id)
    if person is None:
        return None
    _, actor_id, session, updated_at = person
    if actor_id is None:
        return None
    counts = queue.digest_header(session, updated_at, open_decisions(conn, actor_id, iso(now)), tokens, now)
    if counts is None:
        return None
    return actors.language(conn, actor_id) or "fr", counts[0], counts[1]


def after_send(conn: sqlite3.Connection, platform: str, chat_id: str, token: str, now: str) -> bool:
    """The decision ``token`` was shown: make it the person's current question if the
    conversation layer says so; return whether it is current."""
    person = identities.recipient(conn, platform, chat_id)
    if person is None:
        return False
    user_id, actor_id, session, updated_at = person
    current = current_token(session)
    open_tokens: set[str] = set()
    if current is not None and current != token and actor_id is not None:
        open_tokens = {view.token for view in open_decisions(conn, actor_id, now)}
    moved = queue.after_send(session, updated_at, open_tokens, token, datetime.fromisoformat(now))
    if moved is None:
        return False
    if moved is not session:
        identities.save_session(conn, platform, user_id, moved, now)
    return True


def invitation_reply(conn: sqlite3.Connection, platform: str, chat_id: str, reply: Reply, now: datetime) -> tuple[Reply | None, str | None]:
    """An event's invitation about to be sent to ``chat_id``: without its numbered choices while the
    person answers a question (see :func:`conversations.queue.invitation_during`); and the decision
    it is (``E4``), when it goes out with its choices to someone idle and still waits for an answer —
    it then becomes their current question, read like the others (:func:`after_send`). None (nothing
    sent) when that invitation already is the question on screen: shown in its turn by a message of
    the queue delivered before it (a console reopened on a suggestion and an invitation), never twice."""
    person = identities.recipient(conn, platform, chat_id)
    if person is None:
        return reply, None
    _, actor_id, session, updated_at = person
    event_id = invited_to(reply.prompt_id)
    if event_id is not None and current_token(session) == decision_token("event", event_id):
        return None, None
    sent = queue.invitation_during(session, updated_at, reply, now)
    if not sent.choices or actor_id is None or event_id is None:
        return sent, None
    wanted = decision_token("event", event_id)
    still = any(view.token == wanted for view in open_decisions(conn, actor_id, iso(now)))
    return sent, wanted if still else None
