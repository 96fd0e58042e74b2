"""Coordinators' actions as state changes plus messages: appointments, broadcasts and their
delivery reports, answers forwarded in groups, introductions by hand, impact figures.

Like :mod:`services.introductions`, everything runs in the caller's transaction on the database
thread; messages go through the outbox.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.config import Config
from services.groups import GroupLookup
from services.programmes import ProgrammeLookup
from services.introductions import open_decision, send_to_actor
from core.types import Reply
from conversations.decisions import decision_reply, describe_other
from conversations.coordination import answer_line
from conversations.engine import candidate_dict
from conversations.i18n import translate
from conversations.model import (
    AddCoordinator,
    Identity,
    MarkAnswersRead,
    ProposeIntroduction,
    RemoveCoordinator,
    StartBroadcast,
)
from storage import coordination as store
from storage import introductions as intro_store
from storage import outbox
from storage import outcomes as outcome_store
from core.clock import iso
from storage.coordination import Area, AudienceSpec

CALL_WINDOW = timedelta(days=7)
MAX_LINES_PER_FORWARD = 20
STATUS_EDIT_EVERY = timedelta(seconds=3)
"""A broadcast's status message is edited at most this often (it shares the coordinator's chat limit)."""


def commune_level(kind: str) -> str:
    """An arrondissement of Paris, Lyon or Marseille is appointed as a commune-level area of its own."""
    return "commune" if kind == "arrondissement" else kind


def who(identity: Identity) -> str:
    """How a person appears in the audit log."""
    return f"{identity.platform}:{identity.user_id}"


class HeavyRead(Exception):
    """A step needs an aggregate that must not run inside the write transaction.

    The runtime rolls the step back, runs ``read`` on the read-only connection (off the
    writer), and runs the step again with the result in :attr:`StoreLookup.prefetched`.
    """

    def __init__(self, key: tuple[Any, ...], read: Callable[[sqlite3.Connection], Any]) -> None:
        super().__init__(key[0])
        self.key = key
        self.read = read


@dataclass
class StoreLookup(GroupLookup, ProgrammeLookup):
    """The read-only queries coordinator flows make during a step (see :class:`conversations.model.Lookup`).

    Reads over a whole area or broadcast (the audience preview, impact figures, the search
    for an actor, a call's answers) are *heavy*: with
    ``prefetched`` given, they are read off the writer (see :class:`HeavyRead`); without it
    (the command line), they run on ``conn``.
    """

    conn: sqlite3.Connection
    config: Config
    territories: Any
    now: datetime
    prefetched: dict[tuple[Any, ...], Any] | None = field(default=None)

    def _heavy(self, key: tuple[Any, ...], read: Callable[[sqlite3.Connection], Any]) -> Any:
        if self.prefetched is None:
            return read(self.conn)
        if key not in self.prefetched:
            raise HeavyRead(key, read)
        return self.prefetched[key]

    def audience_size(self, area: Area, kinds: tuple[str, ...], themes: tuple[str, ...]) -> int:
        since = iso(self.now - CALL_WINDOW)
        spec = AudienceSpec(area, kinds, themes)
        calls = self.config.calls_per_week
        return int(
            self._heavy(
                ("audience_size", repr(area), kinds, themes),
                lambda conn: store.audience_size(conn, spec, since, calls),
            )
        )

    def actors_in(self, areas: tuple[Area, ...], query: str) -> list[tuple[int, str, str, str]]:
        def search(conn: sqlite3.Connection) -> list[tuple[int, str, str, str]]:
            found: dict[int, tuple[int, str, str, str]] = {}
            for area in areas:
                for row in store.actors_in_area(conn, area, query):
                    found[row[0]] = row
            return sorted(found.values(), key=lambda row: row[1])[:8]

        return list(self._heavy(("actors_in", repr(areas), query), search))

    def broadcasts(self, areas: tuple[Area, ...]) -> list[tuple[int, str, str, int]]:
        return [
            (row[0], row[1], row[2], row[3])
            for row in self.conn.execute(
                f"""
                SELECT b.id, b.created_at, b.message, (SELECT COUNT(*) FROM broadcast_answers w WHERE w.broadcast_id = b.id)
                FROM broadcasts b JOIN coordinators c ON c.id = b.coordinator_id
                WHERE c.id IN ({",".join("?" for _ in areas)}) ORDER BY b.id DESC LIMIT 10
                """,
                [area.id for area in areas],
            )
        ]

    def answers(self, broadcast_id: int, areas: tuple[Area, ...]) -> list[tuple[str, str, str, str, str]] | None:
        row = store.broadcast(self.conn, broadcast_id)
        if row is None or row["coordinator_id"] not in {area.id for area in areas}:
            return None
        return list(self._heavy(("answers", broadcast_id), lambda conn: store.answers(conn, broadcast_id)))

    def coordinators(self) -> list[tuple[str, str, str]]:
        return [
            (f"{row.platform}:{row.user_id}", row.area.label, row.invite_code) for row in store.coordinators(self.conn)
        ]

    def invitation(self, code: str) -> tuple[str | None, str] | None:
        return store.invitation(self.conn, code)

    def personal_data(self, actor_id: int) -> dict[str, Any]:
        """What else is stored about an actor, for ``/mesdonnees``: identities, suggestions,
        introductions, digests, calls received and answers given."""

        def table(sql: str, *params: Any) -> list[dict[str, Any]]:
            cursor = self.conn.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

        return {
            "identities": table(
                "SELECT platform, user_id, handle, display_name, language_code, created_at FROM identities WHERE actor_id = ?",
                actor_id,
            ),
            "suggestions": table(
                "SELECT id, actor_id, other_id, kind, status, created_at, answered_at FROM suggestions"
                " WHERE actor_id = ? OR other_id = ? ORDER BY id",
                actor_id,
                actor_id,
            ),
            "introductions": table(
                "SELECT id, requester_id, invitee_id, status, created_at, answered_at, requester_outcome, invitee_outcome"
                " FROM introductions WHERE requester_id = ? OR invitee_id = ? ORDER BY id",
                actor_id,
                actor_id,
            ),
            "digests": table("SELECT period, created_at FROM digests WHERE actor_id = ? ORDER BY id", actor_id),
            "calls_received": table(
                "SELECT b.id, b.message, b.created_at, r.status FROM broadcast_recipients r"
                " JOIN broadcasts b ON b.id = r.broadcast_id WHERE r.actor_id = ? ORDER BY b.id",
                actor_id,
            ),
            "answers": table(
                "SELECT broadcast_id, answer, created_at FROM broadcast_answers WHERE actor_id = ? ORDER BY id", actor_id
            ),
            **outcome_store.personal_data(self.conn, actor_id),  # outcomes, groups, programmes, recommendations
        }

    def impact(self, area: Area, days: int, language: str) -> tuple[str, Any, bytes]:
        """Text, figures (the chart is drawn later, off the database thread) and CSV of an area."""
        from services.impact import impact_csv, impact_text
        from storage.stats import impact

        end = self.now.date()
        start = end - timedelta(days=days)
        figures = self._heavy(
            ("impact", area.kind, area.code, days), lambda conn: impact(conn, area.kind, area.code, start, end)
        )
        return impact_text(figures, language, area.label), figures, impact_csv(figures)


@dataclass(frozen=True, slots=True)
class CoordinatorArea:
    """An appointment as the conversations see it (an :class:`Area` with its appointment id)."""

    id: int
    kind: str
    code: str
    label: str


def areas_of(conn: sqlite3.Connection, platform: str, user_id: str) -> tuple[CoordinatorArea, ...]:
    """The areas this person coordinates."""
    return tuple(CoordinatorArea(row.id, row.area.kind, row.area.code, row.area.label) for row in store.areas_of(conn, platform, user_id))


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
    config: Config,
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
        return [Reply(translate(language, "coord.removed", who=f"{effect.platform}:{effect.user_id}", count=removed), language=language)]
    if isinstance(effect, StartBroadcast):
        return start_broadcast(conn, effect, identity, chat_id, language, areas, config, now)
    if isinstance(effect, MarkAnswersRead):
        conn.execute("UPDATE broadcast_answers SET forwarded_at = ? WHERE broadcast_id = ? AND forwarded_at IS NULL", (stamp, effect.broadcast_id))
        return []
    return propose_introduction(conn, effect, identity, language, areas, now)


def _owner(areas: tuple[CoordinatorArea, ...], area: Area) -> CoordinatorArea | None:
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
    config: Config,
    now: datetime,
) -> list[Reply]:
    """Create the broadcast, pick its recipients and queue one message each (in this transaction)."""
    stamp = iso(now)
    area = Area(effect.area["kind"], effect.area["code"], effect.area["label"])
    owner = _owner(areas, area)
    if owner is None:  # the router already refused; never broadcast without an appointment
        return [Reply(translate(language, "coord.coordinators_only"), language=language)]
    recipients = store.audience(conn, AudienceSpec(area, effect.kinds, effect.themes), iso(now - CALL_WINDOW), config.calls_per_week)
    cursor = conn.execute(
        """
        INSERT INTO broadcasts (coordinator_id, area_kind, area_code, area_label, actor_kinds, themes, message, answer_mode,
                                status, requester_platform, requester_chat, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            owner.id,
            area.kind,
            area.code,
            area.label,
            json.dumps(list(effect.kinds)),
            json.dumps(list(effect.themes)),
            effect.message,
            effect.mode,
            "sending" if recipients else "done",
            identity.platform,
            chat_id,
            stamp,
        ),
    )
    broadcast_id = int(cursor.lastrowid or 0)
    store.audit(conn, who(identity), "broadcast.start", stamp, broadcast=broadcast_id, area=f"{area.kind}:{area.code}", recipients=len(recipients))
    if recipients:  # the status message, edited in place as deliveries go (where the platform can edit)
        counts = {"pending": len(recipients), "sent": 0, "failed": 0, "unreachable": 0}
        status = Reply(_status_text(language, broadcast_id, counts), notice=True, chatter=True, language=language)
        status_id = outbox.enqueue(conn, identity.platform, chat_id, status, stamp)
        conn.execute("UPDATE broadcasts SET status_outbox_id = ? WHERE id = ?", (status_id, broadcast_id))
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
        conn.execute("UPDATE outbox SET broadcast_id = ? WHERE id = ?", (broadcast_id, outbox_id))
        conn.execute(
            "INSERT INTO broadcast_recipients (broadcast_id, actor_id, outbox_id) VALUES (?, ?, ?)",
            (broadcast_id, actor_id, outbox_id),
        )
        queued += 1
    conn.execute(
        "UPDATE broadcasts SET recipients_total = ?, status = CASE WHEN ? = 0 THEN 'done' ELSE status END WHERE id = ?",
        (queued, queued, broadcast_id),
    )
    return [Reply(translate(language, "broadcast.started", id=broadcast_id, count=len(recipients)), language=language)]


def record_answer(conn: sqlite3.Connection, actor_id: int, broadcast_id: int, answer: str, language: str, now: datetime) -> list[Reply]:
    """Store an answer to a call (forwarded to the coordinator later, grouped)."""
    conn.execute(
        "INSERT OR IGNORE INTO broadcast_answers (broadcast_id, actor_id, answer, created_at) VALUES (?, ?, ?, ?)",
        (broadcast_id, actor_id, answer, iso(now)),
    )
    return [Reply(translate(language, "broadcast.answer_thanks"), language=language)]


def on_delivery(conn: sqlite3.Connection, outbox_id: int, status: str, now: str) -> None:
    """A broadcast message was sent, failed, or met an unreachable person: count it, report the end."""
    row = conn.execute(
        "SELECT broadcast_id FROM broadcast_recipients WHERE outbox_id = ? AND status = 'pending'", (outbox_id,)
    ).fetchone()
    if row is None:  # not a broadcast message, or already counted (a resend after a crash)
        return
    broadcast_id = int(row[0])
    conn.execute("UPDATE broadcast_recipients SET status = ? WHERE outbox_id = ?", (status, outbox_id))
    conn.execute(f"UPDATE broadcasts SET {status}_count = {status}_count + 1 WHERE id = ?", (broadcast_id,))
    info = store.broadcast(conn, broadcast_id)  # O(1): counters, not a recount of every recipient
    if info is None or info["status"] != "sending":
        return
    counts = {key: info[f"{key}_count"] for key in ("sent", "failed", "unreachable")}
    counts["pending"] = max(0, info["recipients_total"] - sum(counts.values()))
    total = info["recipients_total"]
    if info.get("status_outbox_id"):
        language = _requester_language(conn, info)
        status = Reply(_status_text(language, broadcast_id, counts), notice=True, chatter=True, language=language)
        finished = counts["pending"] == 0  # the last figures are shown at once
        spaced = now if finished else iso(datetime.fromisoformat(now) + STATUS_EDIT_EVERY)
        outbox.set_status_edit(conn, int(info["status_outbox_id"]), status, now, spaced)
    if counts["pending"] == 0:
        conn.execute("UPDATE broadcasts SET status = 'done', finished_at = ? WHERE id = ?", (now, broadcast_id))
        _notify_requester(conn, info, "broadcast.report", now, id=broadcast_id, total=total, **counts)


def withdraw_calls(conn: sqlite3.Connection, actor_id: int, now: str) -> int:
    """The actor paused or no longer accepts calls: calls not delivered yet are not sent to them."""
    rows = conn.execute(
        "SELECT id FROM outbox WHERE actor_id = ? AND status = 'pending' AND broadcast_id IS NOT NULL", (actor_id,)
    ).fetchall()
    for (outbox_id,) in rows:
        outbox.mark_failed(conn, outbox_id, now, "cancelled: the recipient paused or withdrew consent")
        on_delivery(conn, outbox_id, "failed", now)
    return len(rows)


def _status_text(language: str, broadcast_id: int, counts: dict[str, int]) -> str:
    total = sum(counts.values())
    return translate(language, "broadcast.progress", id=broadcast_id, done=total - counts["pending"], total=total, **counts)


def _notify_requester(conn: sqlite3.Connection, info: dict[str, Any], key: str, now: str, **params: Any) -> None:
    language = _requester_language(conn, info)
    reply = Reply(translate(language, key, **params), notice=True, language=language)
    outbox.enqueue(conn, info["requester_platform"], info["requester_chat"], reply, now)


def _requester_language(conn: sqlite3.Connection, info: dict[str, Any]) -> str:
    row = conn.execute(
        """
        SELECT a.language FROM identities i JOIN actors a ON a.id = i.actor_id
        WHERE i.platform = ? AND i.chat_id = ?
        """,
        (info["requester_platform"], info["requester_chat"]),
    ).fetchone()
    return row[0] if row else "fr"


def forward_answers(conn: sqlite3.Connection, now: datetime) -> int:
    """Send coordinators the answers not forwarded yet, one message per broadcast; return how many answers."""
    stamp = iso(now)
    forwarded = 0
    for (broadcast_id,) in conn.execute(
        "SELECT DISTINCT broadcast_id FROM broadcast_answers WHERE forwarded_at IS NULL ORDER BY broadcast_id"
    ).fetchall():
        info = store.broadcast(conn, broadcast_id)
        rows = conn.execute(
            """
            SELECT a.id, a.name, a.kind, json_extract(a.place, '$.label'), w.answer FROM broadcast_answers w
            JOIN actors a ON a.id = w.actor_id WHERE w.broadcast_id = ? AND w.forwarded_at IS NULL ORDER BY w.id
            """,
            (broadcast_id,),
        ).fetchall()
        conn.execute("UPDATE broadcast_answers SET forwarded_at = ? WHERE broadcast_id = ? AND forwarded_at IS NULL", (stamp, broadcast_id))
        if info is None or info["coordinator_id"] is None:  # the appointment was removed: they may no longer read them
            continue
        language = _requester_language(conn, info)
        lines = [answer_line(name, kind, place, answer, language) for _, name, kind, place, answer in rows[:MAX_LINES_PER_FORWARD]]
        if len(rows) > MAX_LINES_PER_FORWARD:
            lines.append(translate(language, "answers.more", count=len(rows) - MAX_LINES_PER_FORWARD))
        text = translate(language, "answers.forward", id=broadcast_id, count=len(rows)) + "\n" + "\n".join(lines)
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
    cursor = conn.execute(
        """
        INSERT INTO suggestions (actor_id, other_id, kind, score, explanation, created_at)
        VALUES (?, ?, 'coordinator', 1.0, ?, ?)
        """,
        (effect.first, effect.second, json.dumps([["match.coordinator", {"origin": origin}]], ensure_ascii=False), stamp),
    )
    suggestion_id = int(cursor.lastrowid or 0)
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

