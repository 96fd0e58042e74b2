"""Erasing a person: their profile and everything that shows what they wrote, everywhere.

``/supprimer`` deletes the actor (listings, suggestions, introductions, digests, answers and
the messages addressed to them go with it through foreign keys), their identities and
sessions — also for someone who never finished onboarding — and the outbox messages to
others that show them: pending ones are cancelled (a queued "Contact : …" is never
delivered after the person left), sent ones are erased. A message that quotes something
they wrote without being tagged as about them (a reply kept for later, a forwarded answer)
is found by its text: erased if sent, redacted if still pending. Their raw updates still
waiting in the inbox (a flood being handled) are erased and marked processed, so that none
re-creates their data afterwards; the send schedule of their chats goes too. The database runs with
``secure_delete``, and after the commit the caller rebuilds the file and empties the WAL
(:meth:`storage.database.Database.erase_traces`), so that no copy survives in free space,
in the unused part of a page or in the log.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Collection, Iterable
from typing import Any

from core.clock import iso, utcnow
from storage import inbox
from storage.dialect import contains

MIN_QUOTED_CHARS = 4
"""Shorter values (a 2-letter name) are only erased through the rows that reference the person."""

REDACTED = "…"


ANONYMOUS_RECOMMENDATION = json.dumps([["match.recommended", {"origin": "—"}]])
"""The explanation left on a suggestion whose recommender deleted their profile."""


def _strings(value: Any) -> Iterable[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def person_values(
    conn: sqlite3.Connection, actor_id: int | None, identities: list[tuple[str, str]], typed_fields: Collection[str]
) -> set[str]:
    """What the person wrote: profile, listings, answers, and the free text (``typed_fields``)
    of their session — not the options they picked, which others share."""
    values: set[str] = set()
    if actor_id is not None:
        row = conn.execute(
            "SELECT name, description, contact_handle, contact_email, contact_phone FROM actors WHERE id = ?", (actor_id,)
        ).fetchone()
        values.update(v for v in (row or ()) if v)
        values.update(r[0] for r in conn.execute("SELECT description FROM listings WHERE actor_id = ?", (actor_id,)))
        values.update(
            r[0] for r in conn.execute("SELECT answer FROM broadcast_answers WHERE actor_id = ? AND answer != 'interested'", (actor_id,))
        )
    for platform, user_id in identities:  # (platform names are not looked for elsewhere: never quoted, and too common)
        state = conn.execute("SELECT state FROM sessions WHERE platform = ? AND user_id = ?", (platform, user_id)).fetchone()
        if state is not None:
            data = json.loads(state[0]).get("data") or {}
            values.update(s for key, item in data.items() if key in typed_fields for s in _strings(item))
    return {value.strip() for value in values if len(value.strip()) >= MIN_QUOTED_CHARS}


def _json_form(value: str) -> str:
    """How ``value`` appears inside a stored JSON string (the outbox writes non-ASCII as is)."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


def _redact(value: Any, quoted: set[str]) -> Any:
    if isinstance(value, str):
        for text in sorted(quoted, key=len, reverse=True):
            value = value.replace(text, REDACTED)
        return value
    if isinstance(value, dict):
        return {key: _redact(item, quoted) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact(item, quoted) for item in value]
    return value


def _redacted_payload(raw: str, quoted: set[str]) -> str:
    document = json.loads(raw)
    attachment = document.pop("attachment", None)
    document = _redact(document, quoted)
    if attachment is not None:
        try:
            content = base64.b64decode(attachment["data"]).decode("utf-8")
        except (UnicodeDecodeError, ValueError):
            pass  # a chart: nothing a person typed
        else:
            attachment["data"] = base64.b64encode(_redact(content, quoted).encode("utf-8")).decode("ascii")
        document["attachment"] = attachment
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _quotes(raw: str, quoted: set[str]) -> bool:
    if any(_json_form(text) in raw for text in quoted):
        return True
    if '"attachment"' not in raw:
        return False
    try:
        content = base64.b64decode(json.loads(raw)["attachment"]["data"]).decode("utf-8")
    except (KeyError, TypeError, UnicodeDecodeError, ValueError):
        return False
    return any(text in content for text in quoted)


def _scrub_outbox(conn: sqlite3.Connection, actor_id: int | None, chats: list[tuple[str, str]], quoted: set[str]) -> None:
    if actor_id is not None:
        conn.execute("DELETE FROM outbox WHERE id IN (SELECT outbox_id FROM outbox_mentions WHERE actor_id = ?)", (actor_id,))
        conn.execute("DELETE FROM outbox_mentions WHERE actor_id = ?", (actor_id,))
        conn.execute("DELETE FROM outbox WHERE actor_id = ?", (actor_id,))
    for platform, chat_id in chats:  # replies kept for them before they had a profile
        conn.execute("DELETE FROM outbox WHERE platform = ? AND chat_id = ?", (platform, chat_id))
    if not quoted:
        return
    clauses = " OR ".join(contains(conn, "payload") for _ in quoted)
    candidates = conn.execute(
        f"SELECT id, status, payload FROM outbox WHERE {clauses} OR payload LIKE '%\"attachment\"%'",
        [_json_form(text) for text in quoted],
    ).fetchall()
    for message_id, status, payload in candidates:
        if not _quotes(payload, quoted):
            continue
        if status == "pending":  # someone else's message: keep it, without what the person wrote
            conn.execute("UPDATE outbox SET payload = ? WHERE id = ?", (_redacted_payload(payload, quoted), message_id))
        else:
            conn.execute("DELETE FROM outbox WHERE id = ?", (message_id,))


def _scrub_sessions(conn: sqlite3.Connection, quoted: set[str]) -> None:
    """Other people's sessions that show the person (a coordinator's list of actors to introduce)."""
    if not quoted:
        return
    clauses = " OR ".join(contains(conn, "state") for _ in quoted)
    for platform, user_id, state in conn.execute(
        f"SELECT platform, user_id, state FROM sessions WHERE {clauses}", [_json_form(text) for text in quoted]
    ).fetchall():
        redacted = json.dumps(_redact(json.loads(state), quoted), ensure_ascii=False, separators=(",", ":"))
        conn.execute("UPDATE sessions SET state = ? WHERE platform = ? AND user_id = ?", (redacted, platform, user_id))


def _scrub_platform_traces(conn: sqlite3.Connection, identities: list[tuple[str, str]], chats: list[tuple[str, str]]) -> None:
    """Their raw updates still waiting in the inbox (what they typed; a copy being handled is then
    dropped as a redelivery, so nothing is re-created), and the send schedule of their chats."""
    now = iso(utcnow())
    for platform in sorted({key[0] for key in identities} | {chat[0] for chat in chats}):
        user_ids = {user_id for key_platform, user_id in identities if key_platform == platform}
        chat_ids = {chat_id for chat_platform, chat_id in chats if chat_platform == platform}
        inbox.drop_person(conn, platform, user_ids, chat_ids, now)
        for chat_id in sorted(chat_ids):
            conn.execute("DELETE FROM send_pacing WHERE key = ?", (f"{platform}:chat:{chat_id}",))


def erase_person(conn: sqlite3.Connection, actor_id: int | None, platform: str, user_id: str, typed_fields: Collection[str] = ()) -> None:
    """Delete the actor (if any) and the identity ``platform:user_id`` with everything that shows them."""
    if actor_id is not None:
        identities = [(row[0], row[1]) for row in conn.execute("SELECT platform, user_id FROM identities WHERE actor_id = ?", (actor_id,))]
    else:
        identities = []
    if (platform, user_id) not in identities:
        identities.append((platform, user_id))
    chats = [
        (row[0], row[1])
        for key in identities
        for row in conn.execute("SELECT platform, chat_id FROM identities WHERE platform = ? AND user_id = ?", key)
    ]
    quoted = person_values(conn, actor_id, identities, typed_fields)
    _scrub_outbox(conn, actor_id, chats, quoted)
    _scrub_platform_traces(conn, identities, chats)
    for key in identities:
        conn.execute("DELETE FROM sessions WHERE platform = ? AND user_id = ?", key)
        conn.execute("DELETE FROM identities WHERE platform = ? AND user_id = ?", key)
    if actor_id is not None:
        # Meetings they recommended stay the two others', without the recommender's name or reason.
        conn.execute("UPDATE suggestions SET explanation = ? WHERE recommended_by = ?", (ANONYMOUS_RECOMMENDATION, actor_id))
        conn.execute("DELETE FROM actors WHERE id = ?", (actor_id,))
    _scrub_sessions(conn, quoted)
