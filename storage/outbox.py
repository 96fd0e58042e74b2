"""The outbox: messages that are not direct replies (job notifications, retries), sent by a worker.

A message is written in the same transaction as the state that caused it, then sent and
marked ``sent`` once the platform accepted it. After a crash, pending messages are sent once
(the one in flight at the crash may be sent twice).

The direct replies of a conversation step are written *held* (``not_before`` = :data:`HELD`)
in the step's transaction: the worker leaves them (and what follows them in the same chat)
alone while the runtime sends them, then the runtime deletes them. :func:`release_held`
hands those a crash interrupted to the worker at the next start.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from core.types import Attachment, Choice, Reply
from storage.dialect import indexed_by, is_postgres, json_without, least, not_in, write_unread
from storage.jsontext import compact


def reply_to_json(reply: Reply) -> str:
    """Serialise a reply for storage (fields at their default are left out: :func:`reply_from_json`
    reads them back as such; every step writes one such payload per reply)."""
    return compact(_document(reply))


def _document(reply: Reply) -> dict[str, Any]:
    """:func:`reply_to_json`'s document."""
    document: dict[str, Any] = {"text": reply.text}
    if reply.choices:
        document["choices"] = [[c.value, c.label] if c.number is None else [c.value, c.label, c.number] for c in reply.choices]
    if reply.multi:
        document["multi"] = True
    if reply.selected:
        document["selected"] = list(reply.selected)
    if reply.submit_label is not None:
        document["submit_label"] = reply.submit_label
    if reply.prompt_id is not None:
        document["prompt_id"] = reply.prompt_id
    if reply.notice:
        document["notice"] = True
    if reply.chatter:
        document["chatter"] = True
    document["language"] = reply.language
    if reply.meta.get("digest"):  # a digest's header: the tokens it announces (written again when sent)
        document["digest"] = list(reply.meta["digest"])
    if reply.meta.get("yes_no"):  # a yes/no question: the numbers of its yes and no (the hint of text platforms)
        document["yes_no"] = list(reply.meta["yes_no"])
    if reply.attachment is not None:
        document["attachment"] = {
            "filename": reply.attachment.filename,
            "mime_type": reply.attachment.mime_type,
            "data": base64.b64encode(reply.attachment.data).decode("ascii"),
        }
    return document


def held_replies(chat_id: str, actor_id: int | None, replies: Sequence[Reply]) -> str:
    """A step's direct replies as its session row keeps them until they are sent (SQLite:
    ``sessions.held``, written by :func:`storage.identities.save_step` with the step): the chat
    and the actor they go to and their payloads (:func:`reply_to_json`'s documents)."""
    return compact({"chat": chat_id, "actor": actor_id, "replies": [_document(reply) for reply in replies]})


def keep_held(
    conn: sqlite3.Connection,
    platform: str,
    chat_id: str,
    actor_id: int | None,
    replies: Sequence[Reply],
    now: str,
    postponed: tuple[str, str] | None = None,
) -> list[int]:
    """Replies a step kept in its session row that the runtime could not send: to the worker, in
    order (``postponed``: the first one failed, (when to try again, the error); the others wait
    behind it). Their ids."""
    ids = [enqueue(conn, platform, chat_id, reply, now, actor_id) for reply in replies]
    if postponed is not None and ids:
        retry_later(conn, ids[0], postponed[0], postponed[1])
    return ids


def release_session_replies(conn: sqlite3.Connection, now: str, platform: str, chat_id: str | None = None) -> int:
    """At start (SQLite): replies a stopped process kept in session rows and may not have sent
    go to the outbox, in order (the one in flight at the stop may arrive twice); how many.

    ``chat_id`` (a console): only that chat's (other consoles open on the same file are live).
    """
    if chat_id is None:
        rows = conn.execute("SELECT user_id, held FROM sessions WHERE platform = ? AND held IS NOT NULL", (platform,)).fetchall()
    else:
        rows = conn.execute(
            "SELECT s.user_id, s.held FROM identities i JOIN sessions s ON s.platform = i.platform AND s.user_id = i.user_id"
            " WHERE i.platform = ? AND i.chat_id = ? AND s.held IS NOT NULL",
            (platform, chat_id),
        ).fetchall()
    count = 0
    for user_id, held in rows:
        document = json.loads(held)
        for reply in document["replies"]:
            conn.execute(ENQUEUE, (platform, document["chat"], document["actor"], compact(reply), now, now, None, None))
            count += 1
        conn.execute("UPDATE sessions SET held = NULL WHERE platform = ? AND user_id = ?", (platform, user_id))
    return count


def reply_from_json(raw: str) -> Reply:
    """Rebuild a reply written by :func:`reply_to_json`."""
    document = json.loads(raw)
    attachment = document.get("attachment")
    return Reply(
        text=document["text"],
        choices=tuple(Choice(*choice) for choice in document.get("choices", [])),
        multi=bool(document.get("multi")),
        selected=tuple(document.get("selected", [])),
        submit_label=document.get("submit_label"),
        prompt_id=document.get("prompt_id"),
        notice=bool(document.get("notice")),
        chatter=bool(document.get("chatter")),
        language=document.get("language", "fr"),
        meta={
            **({"digest": document["digest"]} if document.get("digest") else {}),
            **({"yes_no": tuple(document["yes_no"])} if document.get("yes_no") else {}),
        },
        attachment=None
        if attachment is None
        else Attachment(attachment["filename"], attachment["mime_type"], base64.b64decode(attachment["data"])),
    )


ENQUEUE = (
    "INSERT INTO outbox (platform, chat_id, actor_id, payload, not_before, created_at, claimed_by, lease_until)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
HELD = "9999-12-31T23:59:59+00:00"
"""``not_before`` of a direct reply the runtime is sending itself (later than any real time)."""


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A pending message as read from the outbox."""

    id: int
    platform: str
    chat_id: str
    actor_id: int | None
    reply: Reply
    attempts: int
    edit_of: int | None = None
    """This message replaces the text of an earlier one (a status), instead of being a new one."""


def enqueue(
    conn: sqlite3.Connection,
    platform: str,
    chat_id: str,
    reply: Reply,
    now: str,
    actor_id: int | None = None,
    not_before: str | None = None,
    about: Iterable[int | None] = (),
    claimed_by: str | None = None,
    lease_until: str | None = None,
) -> int:
    """Add a message to send; call it inside the transaction that caused the message.

    ``about``: the other actors the message shows (name, description, contact): when one of
    them deletes their data, the message is cancelled if still pending, erased if sent.
    ``claimed_by``/``lease_until``: a held reply's sender, until when (then it is released).
    """
    params = (platform, chat_id, actor_id, reply_to_json(reply), not_before or now, now, claimed_by, lease_until)
    if is_postgres(conn):
        message_id = int(conn.execute(f"{ENQUEUE} RETURNING id", params).fetchone()[0])
    else:  # the new rowid, without RETURNING's result table (a step writes one such row per reply)
        rowid = conn.execute(ENQUEUE, params).lastrowid
        if rowid is None:
            raise sqlite3.DatabaseError("outbox row not inserted")
        message_id = rowid
    mentions = [(message_id, other) for other in set(about) if other is not None]
    if mentions:
        conn.executemany("INSERT INTO outbox_mentions (outbox_id, actor_id) VALUES (?, ?) ON CONFLICT DO NOTHING", mentions)
    return message_id


def due(
    conn: sqlite3.Connection,
    platform: str,
    now: str,
    limit: int = 100,
    chat_id: str | None = None,
    skip_chats: frozenset[str] = frozenset(),
) -> list[OutboxMessage]:
    """Pending messages of ``platform`` (of one chat, if given) whose time has come.

    Status edits come first (so that a long broadcast's status moves as it goes), then the
    oldest messages. A chat's messages are returned only up to its first one that must still
    wait, so that a postponed message is never overtaken by a later one to the same chat.
    """
    skipped = sorted(skip_chats)
    # The plan is pinned on the small partial indexes of pending messages (``outbox_pending``: not the
    # held replies, whose literal HELD the query repeats for SQLite to use it): with statistics
    # (ANALYZE), SQLite once preferred a rowid range over every sent message for the NOT
    # EXISTS below, one per candidate (quadratic). ``+w.id`` keeps the rowid out of it.
    # (PostgreSQL has no planner pins: ``indexed_by`` is empty there, and ``+w.id`` is just ``w.id``.)
    chat_params: tuple[str, ...]
    if chat_id is None:
        source, chat_filter, chat_params = f"outbox o {indexed_by(conn, 'outbox_pending')}", "", ()
    else:
        source, chat_filter, chat_params = f"outbox o {indexed_by(conn, 'outbox_pending_chat')}", "AND o.chat_id = ?", (chat_id,)
    rows = conn.execute(
        f"""
        SELECT o.id, o.platform, o.chat_id, o.actor_id, o.payload, o.attempts, o.edit_of FROM {source}
        WHERE o.platform = ? AND o.status = 'pending' AND o.not_before <= ? AND o.not_before != '{HELD}' {chat_filter}
          AND {not_in("o.chat_id", len(skipped))}
          AND NOT EXISTS (
              SELECT 1 FROM outbox w {indexed_by(conn, "outbox_pending_chat")}
              WHERE w.platform = o.platform AND w.chat_id = o.chat_id AND w.status = 'pending'
                AND +w.id < o.id AND w.not_before > ? AND w.edit_of IS NULL
          )
        ORDER BY o.edit_of IS NULL, o.id LIMIT ?
        """,
        (platform, now, *chat_params, *skipped, now, limit),
    ).fetchall()
    return [OutboxMessage(r[0], r[1], r[2], r[3], reply_from_json(r[4]), r[5], r[6]) for r in rows]


def claim(
    conn: sqlite3.Connection,
    platform: str,
    now: str,
    worker: str,
    lease_until: str,
    limit: int = 50,
    chat_id: str | None = None,
    skip_chats: frozenset[str] = frozenset(),
) -> list[OutboxMessage]:
    """Claim the due messages of ``platform`` for ``worker`` until ``lease_until``; return them.

    Same choice and order as :func:`due`, among messages nobody holds: unclaimed, claimed by
    ``worker`` itself, or whose lease expired (their worker died: taken over). A chat whose
    earlier message another worker holds is left to that worker, which keeps the chat's order.
    One statement: on PostgreSQL the candidates are locked ``FOR UPDATE SKIP LOCKED``, so two
    workers claiming at once get different rows; on SQLite (one process) the same statement
    without it. Call it in a transaction of its own.
    """
    skipped = sorted(skip_chats)
    index = "outbox_pending" if chat_id is None else "outbox_pending_chat"  # pinned plans, as in due()
    chat_filter, chat_params = ("", ()) if chat_id is None else ("AND o.chat_id = ?", (chat_id,))
    lock = "FOR UPDATE OF o SKIP LOCKED" if is_postgres(conn) else ""
    rows = conn.execute(
        f"""
        UPDATE outbox SET claimed_by = ?, lease_until = ? WHERE id IN (
            SELECT o.id FROM outbox o {indexed_by(conn, index)}
            WHERE o.platform = ? AND o.status = 'pending' AND o.not_before <= ? AND o.not_before != '{HELD}' {chat_filter}
              AND (o.claimed_by IS NULL OR o.claimed_by = ? OR o.lease_until <= ?)
              AND {not_in("o.chat_id", len(skipped))}
              AND NOT EXISTS (
                  SELECT 1 FROM outbox w {indexed_by(conn, "outbox_pending_chat")}
                  WHERE w.platform = o.platform AND w.chat_id = o.chat_id AND w.status = 'pending'
                    AND +w.id < o.id AND w.edit_of IS NULL
                    AND (w.not_before > ? OR (w.claimed_by != ? AND w.lease_until > ?))
              )
            ORDER BY o.edit_of IS NULL, o.id LIMIT ? {lock}
        )
        RETURNING id, platform, chat_id, actor_id, payload, attempts, edit_of
        """,
        (worker, lease_until, platform, now, *chat_params, worker, now, *skipped, now, worker, now, limit),
    ).fetchall()
    messages = [OutboxMessage(r[0], r[1], r[2], r[3], reply_from_json(r[4]), r[5], r[6]) for r in rows]
    return sorted(messages, key=lambda m: (m.edit_of is None, m.id))


def release_expired(conn: sqlite3.Connection, now: str, platform: str, chat_id: str | None = None) -> int:
    """Held replies whose sender's lease expired (that worker died mid-step): the worker sends them.

    ``chat_id``: a console's worker, which looks only at its own person's (another console's
    replies, slow step or not, are that live console's).
    """
    chat, chat_params = ("", ()) if chat_id is None else (" AND chat_id = ?", (chat_id,))
    return conn.execute(  # HELD written out: the partial index outbox_held matches it
        "UPDATE outbox SET not_before = ?, claimed_by = NULL, lease_until = NULL"
        f" WHERE platform = ? AND status = 'pending' AND not_before = '{HELD}' AND lease_until <= ?{chat}",
        (now, platform, now, *chat_params),
    ).rowcount


def sent_ref(conn: sqlite3.Connection, message_id: int) -> tuple[str, str | None]:
    """(status, platform message reference) of an outbox message."""
    row = conn.execute("SELECT status, platform_ref FROM outbox WHERE id = ?", (message_id,)).fetchone()
    return ("failed", None) if row is None else (row[0], row[1])


def set_status_edit(conn: sqlite3.Connection, status_id: int, reply: Reply, now: str, not_before: str) -> None:
    """Queue the replacement text of the status message ``status_id``, or update the one queued.

    Edits are coalesced (one pending at a time) and spaced by ``not_before``, so that they stay
    far below the coordinator's per-chat limit and never hold up the deliveries themselves.
    """
    payload = reply_to_json(reply)
    cursor = conn.execute(
        f"UPDATE outbox SET payload = ?, not_before = {least(conn, 'not_before', '?')} WHERE edit_of = ? AND status = 'pending'",
        (payload, not_before, status_id),
    )
    if cursor.rowcount:
        return
    conn.execute(
        """
        INSERT INTO outbox (platform, chat_id, actor_id, payload, not_before, created_at, edit_of)
        SELECT platform, chat_id, actor_id, ?, ?, ?, id FROM outbox WHERE id = ?
        """,
        (payload, not_before, now, status_id),
    )


def _without_file(conn: sqlite3.Connection) -> str:
    """The payload without its file: a ``/mesdonnees`` export or an answers CSV is not kept once the platform has it."""
    return json_without(conn, "payload", "attachment")


def _claimant(worker: str | None) -> tuple[str, tuple[str, ...]]:
    """The condition that keeps a worker to the rows it still holds (none without a worker)."""
    return ("", ()) if worker is None else (" AND claimed_by = ? AND status = 'pending'", (worker,))


def mark_sent(conn: sqlite3.Connection, message_id: int, now: str, ref: str | None = None, worker: str | None = None) -> bool:
    """The platform accepted the message (``ref``: its id there, for later edits).

    With ``worker``: only if that worker still holds it; False when another worker took it
    over meanwhile (its lease expired), which then owns the row.
    """
    claimant, params = _claimant(worker)
    return (
        conn.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, platform_ref = ?,"
            f" payload = {_without_file(conn)} WHERE id = ?{claimant}",
            (now, ref, message_id, *params),
        ).rowcount
        == 1
    )


def retry_later(conn: sqlite3.Connection, message_id: int, not_before: str, error: str, worker: str | None = None) -> bool:
    """A temporary failure: try again after ``not_before`` (by any worker: the claim is dropped)."""
    claimant, params = _claimant(worker)
    return (
        conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, not_before = ?, error = ?, claimed_by = NULL, lease_until = NULL"
            f" WHERE id = ?{claimant}",
            (not_before, error[:500], message_id, *params),
        ).rowcount
        == 1
    )


def mark_failed(conn: sqlite3.Connection, message_id: int, now: str, error: str, worker: str | None = None) -> bool:
    """A permanent failure: give up on this message."""
    claimant, params = _claimant(worker)
    return (
        conn.execute(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, sent_at = ?, error = ?,"
            f" payload = {_without_file(conn)} WHERE id = ?{claimant}",
            (now, error[:500], message_id, *params),
        ).rowcount
        == 1
    )


def pending_count(conn: sqlite3.Connection, platform: str | None = None) -> int:
    """How many messages wait to be sent."""
    if platform is None:
        return int(conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetchone()[0])
    return int(conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND platform = ?", (platform,)).fetchone()[0])


def prune_done(conn: sqlite3.Connection, before: str) -> int:
    """Forget messages sent (or given up) before ``before``; return how many."""
    return forget(conn, "status != 'pending' AND sent_at < ?", (before,))


def forget(conn: sqlite3.Connection, condition: str, params: Sequence[Any] = ()) -> int:
    """Delete the outbox messages matching ``condition`` (SQL over ``outbox``'s columns) and what
    points at them; return how many matched.

    No foreign key points at outbox rows (migration 100: their actions made the DELETE of every
    step's held reply twice as dear), so this does what they did: the messages' mentions go, their
    pending edits go (a status message's), and a call whose status message it was keeps none.
    Ids are never left behind: SQLite may give a deleted row's id to the next message. A step's
    held replies, which nothing points at, are deleted by :func:`delete`.
    """
    ids = [int(row[0]) for row in conn.execute(f"SELECT id FROM outbox WHERE {condition}", tuple(params)).fetchall()]
    found = len(ids)
    while ids:
        chunk, ids = ids[:DELETE_CHUNK], ids[DELETE_CHUNK:]
        marks = ", ".join("?" * len(chunk))
        edits = conn.execute(f"SELECT id FROM outbox WHERE edit_of IS NOT NULL AND edit_of IN ({marks})", chunk).fetchall()
        ids.extend(int(row[0]) for row in edits if int(row[0]) not in chunk)
        conn.execute(f"DELETE FROM outbox_mentions WHERE outbox_id IN ({marks})", chunk)
        conn.execute(  # pinned: after ANALYZE a few calls are scanned rather than looked up
            f"UPDATE broadcasts {indexed_by(conn, 'broadcasts_status_outbox')} SET status_outbox_id = NULL WHERE status_outbox_id IS NOT NULL AND status_outbox_id IN ({marks})",
            chunk,
        )
        conn.execute(f"DELETE FROM outbox WHERE id IN ({marks})", chunk)
    return found


DELETE_CHUNK = 256
"""Most ids one ``DELETE`` of :func:`delete` names (SQLite allows 32,766 parameters)."""


def delete(conn: sqlite3.Connection, message_ids: Sequence[int]) -> None:
    """Forget a step's held replies the runtime delivered (or that the platform refused for good).

    Nothing points at those rows (no mention, edit or call status): anything else goes through
    :func:`forget`.

    One statement per :data:`DELETE_CHUNK` ids, not one per row (a statement's setup, with the
    foreign-key actions outbox rows had before migration 100, was half of a held reply's DELETE).
    The list is padded to a power of two with its last id, so that only a few texts are prepared
    (a chunk of 1, 2, 4… ids).
    """
    for start in range(0, len(message_ids), DELETE_CHUNK):
        chunk = list(message_ids[start : start + DELETE_CHUNK])
        size = 1 << (len(chunk) - 1).bit_length()
        chunk.extend(chunk[-1:] * (size - len(chunk)))
        write_unread(conn, f"DELETE FROM outbox WHERE id IN ({', '.join('?' * size)})", chunk)


def release(conn: sqlite3.Connection, message_ids: Sequence[int], now: str) -> None:
    """Hand held messages to the worker: due now, behind any earlier message of their chat."""
    conn.executemany(
        "UPDATE outbox SET not_before = ?, claimed_by = NULL, lease_until = NULL WHERE id = ? AND status = 'pending'",
        [(now, message_id) for message_id in message_ids],
    )


def release_held(conn: sqlite3.Connection, now: str, platform: str, worker: str | None = None, chat_id: str | None = None) -> int:
    """At start: every reply of ``platform`` held by no live worker was interrupted by a stop; the worker sends it.

    Replies held by another live worker (lease not expired) stay with it. ``worker`` None: the
    claims left are all a stopped process's, voided at once. ``chat_id`` (a console, the one
    process serving that person): only that chat's rows; other consoles open on the same file
    are live workers, whose claims and held replies are theirs.
    """
    claimant = "" if worker is None else " AND (claimed_by IS NULL OR claimed_by = ? OR lease_until <= ?)"
    chat, chat_params = ("", ()) if chat_id is None else (" AND chat_id = ?", (chat_id,))
    if worker is None:  # the only worker (SQLite) of these chats: claims left by a stopped process are void
        conn.execute(
            "UPDATE outbox SET claimed_by = NULL, lease_until = NULL"
            f" WHERE platform = ? AND status = 'pending' AND claimed_by IS NOT NULL{chat}",
            (platform, *chat_params),
        )
    return conn.execute(
        "UPDATE outbox SET not_before = ?, claimed_by = NULL, lease_until = NULL"
        f" WHERE platform = ? AND status = 'pending' AND not_before = ?{claimant}{chat}",
        (now, platform, HELD, *(() if worker is None else (worker, now)), *chat_params),
    ).rowcount


def pending_calls(conn: sqlite3.Connection, actor_id: int) -> list[int]:
    """Ids of the coordinators' calls to ``actor_id`` not delivered yet."""
    rows = conn.execute(
        "SELECT id FROM outbox WHERE actor_id = ? AND status = 'pending' AND broadcast_id IS NOT NULL", (actor_id,)
    ).fetchall()
    return [int(row[0]) for row in rows]


def later_pending(conn: sqlite3.Connection, platform: str, chat_id: str, message_id: int) -> bool:
    """Whether a message written after outbox ``message_id`` still waits to go to that chat."""
    row = conn.execute(
        "SELECT 1 FROM outbox WHERE platform = ? AND chat_id = ? AND status = 'pending' AND id > ? LIMIT 1", (platform, chat_id, message_id)
    ).fetchone()
    return row is not None


def written_at(conn: sqlite3.Connection, message_id: int | None) -> str | None:
    """When an outbox message was written (None: no such message)."""
    if message_id is None:
        return None
    row = conn.execute("SELECT created_at FROM outbox WHERE id = ?", (message_id,)).fetchone()
    return None if row is None else str(row[0])


def enqueue_many(
    conn: sqlite3.Connection, messages: Sequence[tuple[str, str, int | None, Reply, Iterable[int | None]]], now: str
) -> list[int]:
    """:func:`enqueue` for several messages at once — (platform, chat id, actor, reply, the
    other actors it shows) — in two statements; their ids, in order (a chat's messages are
    sent in id order, so they go out in the order given)."""
    if not messages:
        return []
    values = ", ".join("(?, ?, ?, ?, ?, ?)" for _ in messages)
    params = [
        value
        for platform, chat_id, actor_id, reply, _ in messages
        for value in (platform, chat_id, actor_id, reply_to_json(reply), now, now)
    ]
    rows = conn.execute(
        f"INSERT INTO outbox (platform, chat_id, actor_id, payload, not_before, created_at) VALUES {values} RETURNING id", params
    ).fetchall()
    ids = sorted(int(row[0]) for row in rows)  # given in the order of the VALUES rows, whatever RETURNING's order
    mentions = [
        (message_id, other) for message_id, (*_, about) in zip(ids, messages, strict=True) for other in set(about) if other is not None
    ]
    if mentions:
        conn.executemany("INSERT INTO outbox_mentions (outbox_id, actor_id) VALUES (?, ?) ON CONFLICT DO NOTHING", mentions)
    return ids
