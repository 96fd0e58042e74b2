"""Erasing a person: their profile and everything that shows what they wrote, everywhere.

``/supprimer`` deletes the actor (listings, suggestions, introductions, digests, answers and
the messages addressed to them go with it through foreign keys), their identities and
sessions — also for someone who never finished onboarding — and the outbox messages to
others that show them: pending ones are cancelled (a queued "Contact : …" is never
delivered after the person left), sent ones are erased. A message that quotes something
they wrote without being tagged as about them (a reply kept for later, a forwarded answer)
is found by its text: erased if sent, redacted if still pending. Their raw updates still
waiting in the inbox (a flood being handled) are erased and marked processed, so that none
re-creates their data afterwards; the send schedules of their chats and of their arrivals go too.

A coordinator (or a former one) leaves no trace of their role either (:func:`_erase_roles`): their
appointments and scheduled calls go, the calls still being delivered stop (as at a removal), and
what others still need stays without them: a sent call keeps its territory, counts and the answers
people gave, but not its author, the chat its reports went to, nor its text (the copies delivered
are erased); groups and events stay their members', signed by their territory instead of the
coordinator's organisation; the audit log keeps each action, its author replaced by
:data:`ERASED`; their weekly to-do runs go. The database runs with
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
from storage import coordination, inbox, outbox, pacing
from storage.dialect import contains, one_of

MIN_QUOTED_CHARS = 4
"""Shorter values (a 2-letter name) are only erased through the rows that reference the person."""

REDACTED = "…"

ERASED = "erased"
"""Who an audit line, or an appointment made by them, names once that person erased their data."""


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
        outbox.forget(conn, "id IN (SELECT outbox_id FROM outbox_mentions WHERE actor_id = ?)", (actor_id,))
        conn.execute("DELETE FROM outbox_mentions WHERE actor_id = ?", (actor_id,))
        outbox.forget(conn, "actor_id = ?", (actor_id,))
    for platform, chat_id in chats:  # replies kept for them before they had a profile (pending and done: one index each)
        outbox.forget(conn, "platform = ? AND chat_id = ? AND status = 'pending'", (platform, chat_id))
        outbox.forget(conn, "platform = ? AND chat_id = ? AND status != 'pending'", (platform, chat_id))
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
            outbox.forget(conn, "id = ?", (message_id,))


def _scrub_sessions(conn: sqlite3.Connection, quoted: set[str]) -> None:
    """Other people's sessions that show the person (a coordinator's list of actors to introduce),
    and the replies a step kept in them (SQLite: ``held``, being sent or sent and not cleared yet),
    as the outbox rows of those replies were."""
    if not quoted:
        return
    clauses = " OR ".join([contains(conn, "state") for _ in quoted] + [contains(conn, "held") for _ in quoted])
    values = [_json_form(text) for text in quoted]
    for platform, user_id, state, held in conn.execute(
        f"SELECT platform, user_id, state, held FROM sessions WHERE {clauses}", values + values
    ).fetchall():
        redacted = json.dumps(_redact(json.loads(state), quoted), ensure_ascii=False, separators=(",", ":"))
        kept = None if held is None else json.dumps(_redact(json.loads(held), quoted), ensure_ascii=False, separators=(",", ":"))
        conn.execute("UPDATE sessions SET state = ?, held = ? WHERE platform = ? AND user_id = ?", (redacted, kept, platform, user_id))


def _scrub_platform_traces(conn: sqlite3.Connection, identities: list[tuple[str, str]], chats: list[tuple[str, str]]) -> None:
    """Their raw updates still waiting in the inbox (what they typed; a copy being handled is then
    dropped as a redelivery, so nothing is re-created), and the send schedule of their chats."""
    now = iso(utcnow())
    for platform in sorted({key[0] for key in identities} | {chat[0] for chat in chats}):
        user_ids = {user_id for key_platform, user_id in identities if key_platform == platform}
        chat_ids = {chat_id for chat_platform, chat_id in chats if chat_platform == platform}
        inbox.drop_person(conn, platform, user_ids, chat_ids, now)
        keys = [f"{platform}:chat:{chat_id}" for chat_id in sorted(chat_ids)] + [pacing.person_key(platform, u) for u in sorted(user_ids)]
        for key in keys:  # their chats' send schedules and their arrivals' (the flood gate of several workers)
            conn.execute("DELETE FROM send_pacing WHERE key = ?", (key,))


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
    quoted = person_values(conn, actor_id, identities, typed_fields) | _organisations(conn, identities)
    _erase_roles(conn, identities, chats, quoted)
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


def _organisations(conn: sqlite3.Connection, identities: list[tuple[str, str]]) -> set[str]:
    """The organisation names that signed the person's calls, groups, events and introductions."""
    names: set[str] = set()
    for key in identities:
        names.update(
            str(row[0]) for row in conn.execute("SELECT organisation FROM coordinators WHERE platform = ? AND user_id = ?", key) if row[0]
        )
    return {name.strip() for name in names if len(name.strip()) >= MIN_QUOTED_CHARS}


def _erase_roles(conn: sqlite3.Connection, identities: list[tuple[str, str]], chats: list[tuple[str, str]], quoted: set[str]) -> None:
    """What the person did as a coordinator (now, or before a removal), without them (module docstring)."""
    now = iso(utcnow())
    appointments = [
        int(row[0]) for key in identities for row in conn.execute("SELECT id FROM coordinators WHERE platform = ? AND user_id = ?", key)
    ]
    if appointments:
        conn.execute(f"DELETE FROM scheduled_calls WHERE {one_of('coordinator_id', len(appointments))}", appointments)
    for platform, user_id in identities:  # their calls still being delivered stop; the appointments go
        coordination.remove_coordinator(conn, platform, user_id, ERASED, now)
    # each term on its index (coordinator, requester); no constant term, which would keep the OR off them
    terms = ([one_of("coordinator_id", len(appointments))] if appointments else []) + [
        "(requester_platform = ? AND requester_chat = ?)" for _ in chats
    ]
    where, params = " OR ".join(terms) or "1 = 0", [*appointments, *(value for chat in chats for value in chat)]
    calls = [int(row[0]) for row in conn.execute(f"SELECT id FROM broadcasts WHERE {where}", params)]
    if calls:  # the copies delivered to others (those not sent were cancelled just above)
        outbox.forget(conn, f"status != 'pending' AND {one_of('broadcast_id', len(calls))}", calls)
    conn.execute(
        f"UPDATE broadcasts SET coordinator_id = NULL, requester_platform = '', requester_chat = '', message = ? WHERE {where}",
        [REDACTED, *params],
    )
    conn.execute(f"DELETE FROM scheduled_calls WHERE {where}", params)
    for table, columns in (("working_groups", ("name",)), ("events", ("title", "place"))):
        for row in conn.execute(f"SELECT id, {', '.join(columns)} FROM {table} WHERE {where}", params).fetchall():
            texts = [_redact(value, quoted) if value else value for value in row[1:]]
            assignments = ", ".join(f"{column} = ?" for column in columns)
            conn.execute(
                f"UPDATE {table} SET coordinator_id = NULL, requester_platform = '', requester_chat = '', {assignments} WHERE id = ?",
                [*texts, row[0]],
            )
    if appointments:
        conn.execute(f"UPDATE relaunches SET coordinator_id = NULL WHERE {one_of('coordinator_id', len(appointments))}", appointments)
    for key in identities:
        conn.execute("DELETE FROM todo_runs WHERE platform = ? AND user_id = ?", key)
    names = sorted({f"{platform}:{value}" for platform, value in [*identities, *chats]})
    conn.execute(f"UPDATE coordinators SET created_by = ? WHERE {one_of('created_by', len(names))}", [ERASED, *names])
    _scrub_audit(conn, names, quoted)
    _scrub_explanations(conn, names, quoted)


def _anonymous(value: Any, names: list[str], quoted: set[str]) -> Any:
    """``value`` (a JSON document) with the person's names replaced and what they wrote redacted."""
    if isinstance(value, str):
        return ERASED if value in names else _redact(value, quoted)
    if isinstance(value, dict):
        return {key: _anonymous(item, names, quoted) for key, item in value.items()}
    if isinstance(value, list):
        return [_anonymous(item, names, quoted) for item in value]
    return value


def _scrub_audit(conn: sqlite3.Connection, names: list[str], quoted: set[str]) -> None:
    """Audit lines they wrote (``who``) or that are about them (``subject``: their appointment,
    their removal), both indexed: the action stays, they do not. No other line quotes a person:
    the others name actors, calls, groups and events by id (:func:`storage.coordination.audit`)."""
    rows = conn.execute(
        f"SELECT id, who, subject, CAST(details AS TEXT) FROM audit_log WHERE {one_of('who', len(names))}"
        f" UNION SELECT id, who, subject, CAST(details AS TEXT) FROM audit_log WHERE {one_of('subject', len(names))}",
        [*names, *names],
    ).fetchall()
    for audit_id, who, subject, details in rows:
        anonymous = json.dumps(_anonymous(json.loads(details), names, quoted), ensure_ascii=False, sort_keys=True)
        conn.execute(
            "UPDATE audit_log SET who = ?, subject = ?, details = ? WHERE id = ?",
            (ERASED if who in names else who, ERASED if subject in names else subject, anonymous, audit_id),
        )


def _scrub_explanations(conn: sqlite3.Connection, names: list[str], quoted: set[str]) -> None:
    """Introductions they proposed stay the two others', signed by nobody (as a recommender's,
    above) and without the « pourquoi » they typed: found by who proposed them (``proposed_by``,
    indexed). Those proposed before it was recorded (migration 101) are looked for by their text
    among the coordinators' suggestions only (their own partial index)."""
    if names:
        for suggestion_id, explanation in conn.execute(
            f"SELECT id, CAST(explanation AS TEXT) FROM suggestions WHERE {one_of('proposed_by', len(names))}", names
        ).fetchall():
            reasons = json.dumps(_unsigned(json.loads(explanation), None), ensure_ascii=False)
            conn.execute("UPDATE suggestions SET explanation = ?, proposed_by = NULL WHERE id = ?", (reasons, suggestion_id))
    if not quoted:
        return
    clauses = " OR ".join(contains(conn, "CAST(explanation AS TEXT)") for _ in quoted)
    rows = conn.execute(
        f"SELECT id, CAST(explanation AS TEXT) FROM suggestions WHERE kind = 'coordinator' AND proposed_by IS NULL AND ({clauses})",
        [_json_form(text) for text in quoted],
    ).fetchall()
    for suggestion_id, explanation in rows:
        reasons = json.dumps(_unsigned(json.loads(explanation), quoted), ensure_ascii=False)
        conn.execute("UPDATE suggestions SET explanation = ? WHERE id = ?", (reasons, suggestion_id))


def _unsigned(value: Any, quoted: set[str] | None) -> Any:
    """``value`` (reasons as JSON) with every string showing the person replaced by "—" (``quoted``
    None: every parameter of the reasons, their keys kept: the reasons are the person's)."""
    if isinstance(value, list) and value and isinstance(value[0], str) and len(value) == 2 and isinstance(value[1], dict):
        return [value[0], _unsigned(value[1], quoted)]  # a reason: [its catalog key, its parameters]
    if isinstance(value, str):
        return "—" if quoted is None or _redact(value, quoted) != value else value
    if isinstance(value, dict):
        return {key: _unsigned(item, quoted) for key, item in value.items()}
    if isinstance(value, list):
        return [_unsigned(item, quoted) for item in value]
    return value
