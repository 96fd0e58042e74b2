"""What introductions and working groups led to: one row per (subject, actor) in ``outcomes``,
the 3-month re-ask of "en discussion", and the aggregates ``/stats`` shows (counts only, plus
the one-line stories their authors agreed to share — never a name or a contact).

Figures, precisely (``start``/``end`` inclusive UTC days, demo actors left out):

* An **introduction counts** when it was accepted within the period and one side is an actor
  of the area (as in :mod:`storage.stats`). It is **launched** when at least one side answered
  "launched"; what was launched (``by_kind``) is the union of both sides' ticks.
* ``by_pair``: launched introductions by the two sides' types, ``association|entreprise`` (the
  two types in vocabulary order); ``by_theme``: each theme of either side counts once.
* A **group** counts when it was formed within the period and its coordinator's area is the
  area or one member is an actor of it; launched and ``by_kind`` as for introductions.
* ``programmes_sent`` / ``programme_employees``: company programmes (company in the area) whose
  introductions were sent within the period, and the employees they involve.
* ``months``: for each calendar month of the period, introductions accepted and launched, calls
  (broadcasts, counted as in :mod:`storage.stats`), deliveries of calls expecting an answer and
  answers, for the actors of the area.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.catalog import ACTOR_TYPES, OUTCOME_KINDS, THEME_VALUES
from storage.dialect import month_of

STATUSES: tuple[str, ...] = ("launched", "discussing", "none")
MAX_STORIES = 5


@dataclass(frozen=True, slots=True)
class MonthFigures:
    """One calendar month of the trend (``month``: ``2026-01``)."""

    month: str
    introductions: int = 0
    launched: int = 0
    calls: int = 0
    delivered_expecting_answer: int = 0
    answers: int = 0

    @property
    def answer_rate(self) -> float | None:
        """Answers / deliveries of calls asking for an answer, None when there were none."""
        return self.answers / self.delivered_expecting_answer if self.delivered_expecting_answer else None


@dataclass(frozen=True, slots=True)
class OutcomeFigures:
    """Outcomes of an area over a period (see the module's docstring)."""

    introductions_launched: int = 0
    groups_launched: int = 0
    by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOME_KINDS, 0))
    by_pair: dict[str, int] = field(default_factory=dict)
    by_theme: dict[str, int] = field(default_factory=dict)
    stories: tuple[str, ...] = ()
    months: tuple[MonthFigures, ...] = ()
    programmes_sent: int = 0
    """Company programmes whose introductions were sent within the period (company in the area)."""
    programme_employees: int = 0
    """Employees those programmes involve."""


def sample_only(table: str, key: str, row: str) -> str:
    """SQL condition: the call, group or event ``row`` (``table``'s rows with ``key`` = it, each with
    an ``actor_id``) involves demo actors only — sample data, left out of every figure, as demo
    actors themselves are (one involving nobody yet, a call that reached no one, still counts)."""
    people = f"SELECT 1 FROM {table} x JOIN actors d ON d.id = x.actor_id WHERE x.{key} = {row}"
    return f"(EXISTS ({people} AND d.is_demo = TRUE) AND NOT EXISTS ({people} AND d.is_demo = FALSE))"


def record(conn: sqlite3.Connection, subject: str, subject_id: int, actor_id: int, status: str, now: str) -> None:
    """Store an actor's answer to a follow-up (what they tick next is added by :func:`set_details`)."""
    if status not in STATUSES:
        raise ValueError(f"unknown outcome {status!r}")
    conn.execute(
        """
        INSERT INTO outcomes (subject, subject_id, actor_id, status, answered_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (subject, subject_id, actor_id) DO UPDATE SET status = excluded.status, answered_at = excluded.answered_at
        """,
        (subject, subject_id, actor_id, status, now),
    )


def set_details(
    conn: sqlite3.Connection,
    subject: str,
    subject_id: int,
    actor_id: int,
    kinds: tuple[str, ...],
    story: str | None,
    shared: bool,
    now: str,
) -> bool:
    """What a launched collaboration produced, and its story; False when no "launched" answer is stored."""
    unknown = set(kinds) - set(OUTCOME_KINDS)
    if unknown:
        raise ValueError(f"unknown outcome kinds {sorted(unknown)}")
    cursor = conn.execute(
        """
        UPDATE outcomes SET kinds = ?, story = ?, story_shared = ?, answered_at = ?
        WHERE subject = ? AND subject_id = ? AND actor_id = ? AND status = 'launched'
        """,
        (json.dumps(sorted(kinds, key=OUTCOME_KINDS.index)), story, bool(shared and story), now, subject, subject_id, actor_id),
    )
    return cursor.rowcount > 0


def status_of(conn: sqlite3.Connection, subject: str, subject_id: int, actor_id: int) -> str | None:
    """The actor's last answer about a subject, None when they never answered."""
    row = conn.execute(
        "SELECT status FROM outcomes WHERE subject = ? AND subject_id = ? AND actor_id = ?", (subject, subject_id, actor_id)
    ).fetchone()
    return None if row is None else str(row[0])


def answer_introduction(conn: sqlite3.Connection, introduction_id: int, actor_id: int, status: str, recheck_due: str, now: str) -> bool:
    """An introduction's follow-up answered by one side; "discussing" schedules the 3-month re-ask
    (``recheck_due``) once. False when the actor is not a side of it."""
    row = conn.execute("SELECT requester_id, invitee_id FROM introductions WHERE id = ?", (introduction_id,)).fetchone()
    if row is None or actor_id not in (row[0], row[1]):
        return False
    column = "requester_outcome" if row[0] == actor_id else "invitee_outcome"
    conn.execute(f"UPDATE introductions SET {column} = ? WHERE id = ?", (status, introduction_id))
    if status == "discussing":
        conn.execute(
            "UPDATE introductions SET recheck_due = ? WHERE id = ? AND recheck_due IS NULL AND recheck_sent_at IS NULL",
            (recheck_due, introduction_id),
        )
    record(conn, "introduction", introduction_id, actor_id, status, now)
    return True


def due_rechecks(conn: sqlite3.Connection, now: str) -> list[tuple[int, list[int]]]:
    """Introductions whose "en discussion" is to be asked again: (id, the sides still discussing).

    Each is marked as asked and those sides' answers are cleared, so the follow-up question
    is open again for them (and only them)."""
    due: list[tuple[int, list[int]]] = []
    for introduction_id, requester_id, invitee_id, mine, theirs in conn.execute(
        """
        SELECT id, requester_id, invitee_id, requester_outcome, invitee_outcome FROM introductions
        WHERE recheck_sent_at IS NULL AND recheck_due <= ? ORDER BY recheck_due
        """,
        (now,),
    ).fetchall():
        sides = [actor for actor, answer in ((requester_id, mine), (invitee_id, theirs)) if answer == "discussing"]
        conn.execute(
            """
            UPDATE introductions SET recheck_sent_at = ?,
                requester_outcome = CASE WHEN requester_outcome = 'discussing' THEN NULL ELSE requester_outcome END,
                invitee_outcome = CASE WHEN invitee_outcome = 'discussing' THEN NULL ELSE invitee_outcome END
            WHERE id = ?
            """,
            (now, introduction_id),
        )
        if sides:
            due.append((int(introduction_id), sides))
    return due


def _months(start: date, end: date) -> list[str]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day.strftime("%Y-%m"))
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _pair(first: str, second: str) -> str:
    order = {kind: index for index, kind in enumerate(ACTOR_TYPES)}
    a, b = sorted((first, second), key=lambda kind: (order.get(kind, len(order)), kind))
    return f"{a}|{b}"


def figures(conn: sqlite3.Connection, area_kind: str, area_code: str, start: date, end: date) -> OutcomeFigures:
    """The outcome figures of an area over a period (see the module's docstring)."""
    from storage.stats import area_condition

    area, area_params = area_condition("a", area_kind, area_code)
    low, high = start.isoformat(), (end + timedelta(days=1)).isoformat()
    months = {month: dict(introductions=0, launched=0, calls=0, delivered_expecting_answer=0, answers=0) for month in _months(start, end)}
    by_kind = dict.fromkeys(OUTCOME_KINDS, 0)
    by_pair: dict[str, int] = {}
    by_theme: dict[str, int] = {}
    stories: list[tuple[str, str]] = []
    launched_introductions = 0
    rows = conn.execute(
        f"""
        SELECT i.id, i.answered_at, r.kind, v.kind, r.themes, v.themes,
               (i.requester_outcome = 'launched' OR i.invitee_outcome = 'launched') FROM introductions i
        JOIN actors r ON r.id = i.requester_id JOIN actors v ON v.id = i.invitee_id
        WHERE i.status = 'accepted' AND i.answered_at >= ? AND i.answered_at < ? AND r.is_demo = FALSE AND v.is_demo = FALSE
          AND EXISTS (SELECT 1 FROM actors a WHERE a.id IN (i.requester_id, i.invitee_id) AND {area})
        ORDER BY i.id
        """,
        (low, high, *area_params),
    ).fetchall()
    answers = _answers(conn, "introduction", [int(row[0]) for row in rows])
    for introduction_id, answered_at, first_kind, second_kind, first_themes, second_themes, launched in rows:
        month = str(answered_at)[:7]
        if month in months:
            months[month]["introductions"] += 1
        given = answers.get(int(introduction_id), [])
        if not (launched or any(status == "launched" for status, _, _, _ in given)):
            continue
        launched_introductions += 1
        if month in months:
            months[month]["launched"] += 1
        for kind in {k for _, kinds, _, _ in given for k in kinds}:
            by_kind[kind] = by_kind.get(kind, 0) + 1
        pair = _pair(first_kind, second_kind)
        by_pair[pair] = by_pair.get(pair, 0) + 1
        for theme in set(json.loads(first_themes or "[]")) | set(json.loads(second_themes or "[]")):
            by_theme[theme] = by_theme.get(theme, 0) + 1
        stories += [(when, story) for _, _, story, when in given if story]
    groups_launched = _groups(conn, area, area_params, area_kind, area_code, low, high, by_kind, by_theme, stories)
    _calls_by_month(conn, area, area_params, area_kind, area_code, low, high, months)
    from storage.programmes import employees_involved

    programmes_sent, programme_employees = employees_involved(conn, area, area_params, low, high)
    order = {theme: index for index, theme in enumerate(THEME_VALUES)}
    return OutcomeFigures(
        programmes_sent=programmes_sent,
        programme_employees=programme_employees,
        introductions_launched=launched_introductions,
        groups_launched=groups_launched,
        by_kind=by_kind,
        by_pair=dict(sorted(by_pair.items(), key=lambda item: (-item[1], item[0]))),
        by_theme=dict(sorted(by_theme.items(), key=lambda item: (-item[1], order.get(item[0], len(order)), item[0]))),
        stories=tuple(story for _, story in sorted(stories, reverse=True)[:MAX_STORIES]),
        months=tuple(MonthFigures(month, **values) for month, values in months.items()),
    )


def _answers(conn: sqlite3.Connection, subject: str, ids: list[int]) -> dict[int, list[tuple[str, list[str], str | None, str]]]:
    """(status, kinds, shared story or None, answered_at) of each subject's answers."""
    found: dict[int, list[tuple[str, list[str], str | None, str]]] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        if not part:
            continue
        marks = ",".join("?" for _ in part)
        for subject_id, status, kinds, story, shared, answered_at in conn.execute(
            f"""
            SELECT o.subject_id, o.status, o.kinds, o.story, o.story_shared, o.answered_at FROM outcomes o
            JOIN actors a ON a.id = o.actor_id
            WHERE o.subject = ? AND o.subject_id IN ({marks}) AND a.is_demo = FALSE ORDER BY o.id
            """,
            (subject, *part),
        ):
            found.setdefault(int(subject_id), []).append(
                (str(status), list(json.loads(kinds or "[]")), str(story) if shared and story else None, str(answered_at))
            )
    return found


def _groups(
    conn: sqlite3.Connection,
    area: str,
    area_params: tuple[str, ...],
    area_kind: str,
    area_code: str,
    low: str,
    high: str,
    by_kind: dict[str, int],
    by_theme: dict[str, int],
    stories: list[tuple[str, str]],
) -> int:
    """Launched working groups of the area; adds what they launched to ``by_kind``, ``by_theme``, ``stories``."""
    exact = "1 = 1" if area_kind == "france" else "(g.area_kind = ? AND g.area_code = ?)"
    exact_params: tuple[str, ...] = () if area_kind == "france" else (area_kind, area_code)
    rows = conn.execute(
        f"""
        SELECT g.id, g.theme FROM working_groups g
        WHERE g.formed_at >= ? AND g.formed_at < ?
          AND ({exact} OR EXISTS (SELECT 1 FROM group_members m JOIN actors a ON a.id = m.actor_id
                                  WHERE m.group_id = g.id AND {area}))
          AND NOT {sample_only("group_members", "group_id", "g.id")}
        ORDER BY g.id
        """,
        (low, high, *exact_params, *area_params),
    ).fetchall()
    answers = _answers(conn, "group", [int(row[0]) for row in rows])
    launched = 0
    for group_id, theme in rows:
        given = answers.get(int(group_id), [])
        if not any(status == "launched" for status, _, _, _ in given):
            continue
        launched += 1
        for kind in {k for _, kinds, _, _ in given for k in kinds}:
            by_kind[kind] = by_kind.get(kind, 0) + 1
        if theme:
            by_theme[str(theme)] = by_theme.get(str(theme), 0) + 1
        stories += [(when, story) for _, _, story, when in given if story]
    return launched


def _calls_by_month(
    conn: sqlite3.Connection,
    area: str,
    area_params: tuple[str, ...],
    area_kind: str,
    area_code: str,
    low: str,
    high: str,
    months: dict[str, dict[str, int]],
) -> None:
    """Calls, deliveries expecting an answer and answers per month (as in :mod:`storage.stats`)."""
    exact = "1 = 1" if area_kind == "france" else "(b.area_kind = ? AND b.area_code = ?)"
    exact_params: tuple[str, ...] = () if area_kind == "france" else (area_kind, area_code)
    for month, count in conn.execute(
        f"""
        SELECT {month_of(conn, "b.created_at")}, count(*) FROM broadcasts b
        WHERE b.created_at >= ? AND b.created_at < ?
          AND ({exact} OR EXISTS (SELECT 1 FROM broadcast_recipients br JOIN actors a ON a.id = br.actor_id
                                  WHERE br.broadcast_id = b.id AND {area}))
          AND NOT {sample_only("broadcast_recipients", "broadcast_id", "b.id")}
        GROUP BY {month_of(conn, "b.created_at")}
        """,
        (low, high, *exact_params, *area_params),
    ):
        if month in months:
            months[month]["calls"] += int(count)
    for month, delivered in conn.execute(
        f"""
        SELECT {month_of(conn, "b.created_at")}, count(*) FROM broadcasts b
        JOIN broadcast_recipients br ON br.broadcast_id = b.id JOIN actors a ON a.id = br.actor_id
        WHERE b.created_at >= ? AND b.created_at < ? AND br.status = 'sent' AND b.answer_mode != 'none' AND {area}
        GROUP BY {month_of(conn, "b.created_at")}
        """,
        (low, high, *area_params),
    ):
        if month in months:
            months[month]["delivered_expecting_answer"] += int(delivered)
    for month, answered in conn.execute(
        f"""
        SELECT {month_of(conn, "b.created_at")}, count(*) FROM broadcasts b
        JOIN broadcast_answers ba ON ba.broadcast_id = b.id JOIN actors a ON a.id = ba.actor_id
        WHERE b.created_at >= ? AND b.created_at < ? AND b.answer_mode != 'none' AND {area}
        GROUP BY {month_of(conn, "b.created_at")}
        """,
        (low, high, *area_params),
    ):
        if month in months:
            months[month]["answers"] += int(answered)


def personal_data(conn: sqlite3.Connection, actor_id: int) -> dict[str, list[dict[str, object]]]:
    """What the alliances store about an actor, for ``/mesdonnees``: their follow-up answers and
    stories, the groups they were invited to, their programmes, the meetings they recommended."""

    def table(sql: str, *params: object) -> list[dict[str, object]]:
        cursor = conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    return {
        "outcomes": table(
            "SELECT subject, subject_id, status, kinds, story, story_shared, answered_at FROM outcomes WHERE actor_id = ? ORDER BY id",
            actor_id,
        ),
        "working_groups": table(
            "SELECT g.id, g.name, m.status, m.answered_at FROM group_members m JOIN working_groups g ON g.id = m.group_id"
            " WHERE m.actor_id = ? ORDER BY g.id",
            actor_id,
        ),
        "programmes": table(
            "SELECT id, theme, employees, period, skills, status, created_at, sent_at FROM programmes WHERE company_id = ? ORDER BY id",
            actor_id,
        ),
        "recommendations_made": table(
            "SELECT id, actor_id, other_id, status, created_at FROM suggestions WHERE recommended_by = ? ORDER BY id", actor_id
        ),
    }
