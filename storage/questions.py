"""Delivery of questions asked outside a flow, one at a time (see :mod:`conversations.queue`).

A job writes a decision's message to the outbox when the decision opens. When the outbox
worker is about to send it, :func:`before_send` looks at the person's current question:
idle, at the menu, or on a flow or a decision left for hours, the first waiting decision
becomes current and is shown (a left decision stays in the queue); in the middle of a flow,
or on another decision being answered, it waits (the router shows it once the current
question is answered); resolved meanwhile, it is dropped.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum

from core.types import Reply
from conversations.i18n import translate
from conversations.model import Session
from conversations.queue import (
    abandoned,
    current_token,
    draft_summary,
    in_flow,
    keep_draft,
    shown,
    topic,
    waiting,
)
from storage.identities import load_session, save_session
from storage.introductions import open_decisions


class Verdict(Enum):
    """What to do with a decision's message about to be sent."""

    SHOW = "show"
    """Send it: it becomes the current question once sent."""
    WAIT = "wait"
    """Do not send it now: it waits in the queue (``reply``, if any, tells the person so)."""
    DROP = "drop"
    """Resolved meanwhile (answered, expired, withdrawn): never sent."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """The verdict and the message to send instead of the stored one (None: nothing)."""

    verdict: Verdict
    reply: Reply | None
    token: str | None = None
    """With SHOW: the decision that becomes current (the first waiting one, not always this message's)."""


def _person(conn: sqlite3.Connection, platform: str, chat_id: str) -> tuple[str, int | None, Session, str | None] | None:
    row = conn.execute(
        """
        SELECT i.user_id, i.actor_id, s.updated_at FROM identities i
        LEFT JOIN sessions s ON s.platform = i.platform AND s.user_id = i.user_id
        WHERE i.platform = ? AND i.chat_id = ?
        """,
        (platform, chat_id),
    ).fetchone()
    if row is None:
        return None
    return row[0], row[1], load_session(conn, platform, row[0]), row[2]


def before_send(
    conn: sqlite3.Connection, platform: str, chat_id: str, reply: Reply, now: datetime, message_id: int | None = None
) -> Delivery:
    """Decide whether the decision message ``reply`` (prompt id = its token) goes out now."""
    token = str(reply.prompt_id)
    person = _person(conn, platform, chat_id)
    if person is None or person[1] is None:
        return Delivery(Verdict.SHOW, reply, token)
    _, actor_id, session, updated_at = person
    call = int(token[1:]) if token.startswith("B") else None
    views = open_decisions(conn, actor_id, now.isoformat(), sending_call=call)
    view = next((v for v in views if v.token == token), None)
    if view is None or view.extra.get("later"):
        return Delivery(Verdict.DROP, None)
    language = _language(conn, actor_id) or reply.language  # the person's language now, not when it was written
    current = current_token(session)
    if current == token:
        written = _written_at(conn, message_id)
        if written is not None and updated_at is not None and written < updated_at:
            return Delivery(Verdict.DROP, None)  # the router showed it since this message was written
        return Delivery(Verdict.SHOW, shown(view, views, session, language, notice=True), token)  # e.g. a reply the platform postponed
    shown_now = next((v for v in views if v.token == current), None) if current else None
    if shown_now is not None and not abandoned(updated_at, now):
        # shown after the one being answered; announced if of another kind (a request, a call)
        others = [v for v in waiting(views) if v.token != current]
        announce = view.kind != shown_now.kind and bool(others) and others[0].token == token
        note = translate(language, "queue.waits", topic=topic(view, language)) if announce else None
        return Delivery(Verdict.WAIT, Reply(note, notice=True, language=language) if note else None)
    if in_flow(session) and not abandoned(updated_at, now):
        queue = waiting(views)
        first = bool(queue) and queue[0].token == token
        note = translate(language, "queue.waits", topic=topic(view, language)) if first else None
        return Delivery(Verdict.WAIT, Reply(note, notice=True, language=language) if note else None)
    head = waiting(views)[0]  # someone waiting for an answer comes before a suggestion sent earlier
    question = shown(head, views, session.evolve(flow=None, step=None, data={}), language, notice=True)
    drafted = keep_draft(session)
    if in_flow(session) and drafted.draft:
        kept = translate(language, "queue.draft_kept", draft=draft_summary(drafted.draft, language))
        question = replace(question, text=f"{question.text}\n\n{kept}")
    return Delivery(Verdict.SHOW, question, head.token)


def _language(conn: sqlite3.Connection, actor_id: int) -> str | None:
    row = conn.execute("SELECT language FROM actors WHERE id = ?", (actor_id,)).fetchone()
    return None if row is None else str(row[0])


def digest_header(
    conn: sqlite3.Connection, platform: str, chat_id: str, tokens: list[str], now: datetime
) -> tuple[str, int] | None:
    """(language, count) of a digest's header about to be sent, or None when it would not describe what follows.

    The header is sent only when the next question shown is one of the digest's suggestions
    (the person is not on another question, nothing else comes first); it counts those still open.
    """
    person = _person(conn, platform, chat_id)
    if person is None or person[1] is None:
        return None
    _, actor_id, session, updated_at = person
    views = open_decisions(conn, actor_id, now.isoformat())
    queue = waiting(views)
    mine = [view for view in queue if view.token in tokens]
    current = current_token(session)
    busy = (in_flow(session) or any(v.token == current for v in views)) and not abandoned(updated_at, now)
    if not mine or busy or queue[0].token not in tokens:
        return None
    return _language(conn, actor_id) or "fr", len(mine)


def _written_at(conn: sqlite3.Connection, message_id: int | None) -> str | None:
    if message_id is None:
        return None
    row = conn.execute("SELECT created_at FROM outbox WHERE id = ?", (message_id,)).fetchone()
    return None if row is None else str(row[0])


def after_send(conn: sqlite3.Connection, platform: str, chat_id: str, token: str, now: str) -> bool:
    """The decision ``token`` was shown: make it the person's current question.

    A flow left for hours is closed first (what was typed is kept as a draft); a flow being
    answered, or another open decision, keeps the place (it was shown meanwhile).
    """
    person = _person(conn, platform, chat_id)
    if person is None:
        return False
    user_id, actor_id, session, updated_at = person
    current = current_token(session)
    if current == token:
        return True
    if current is not None and actor_id is not None and not abandoned(updated_at, datetime.fromisoformat(now)):
        if any(v.token == current for v in open_decisions(conn, actor_id, now)):
            return False
    if in_flow(session):
        if not abandoned(updated_at, datetime.fromisoformat(now)):
            return False
        session = keep_draft(session)
    moved = session.evolve(
        flow="decision", step="answer", data={"token": token, "done": 0}, history=(), prompt_seq=session.prompt_seq + 1
    )
    save_session(conn, platform, user_id, moved, now)
    return True
