"""Every statement of a step, a delivery, a round and the daily jobs stays on an index once
SQLite has statistics (``ANALYZE``) of a realistically sized database.

The statements are captured (with their values) while a real scenario runs; the database is
then filled with a few thousand rows per table, analysed, and each statement's
``EXPLAIN QUERY PLAN`` is checked: no scan of a table that grows, no rowid range, no index
search that would visit a large share of a table (estimated from ``sqlite_stat1``).
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import App
from bot.config import Config
from services.suggestions import current_slot
from storage import suggestions as suggestion_store
from tests.core.people import Person, RecordingAdapter
from tests.core.test_coordination import territory  # noqa: F401 - fixture
from tests.core.test_privacy import _a_coordinator_uses_everything
from tests.core.test_suggestions import Clock, declare, deliver, last_decision, press_decision

MONDAY_11H_PARIS = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
GROWING = {
    "actors",
    "identities",
    "sessions",
    "listings",
    "processed_events",
    "outbox",
    "digests",
    "suggestions",
    "introductions",
    "broadcast_recipients",
    "broadcast_answers",
    "audit_log",
    "send_pacing",
}
WHOLE_TABLE_BY_DESIGN = tuple(
    re.compile(pattern)
    for pattern in (
        # the round's snapshot (its own process and read-only connection): the matching engine
        # needs every actor and every open listing
        r"SELECT a\.id, a\.kind, a\.commune_code, .* FROM actors a",
        r"SELECT id, actor_id, kind, category, .* FROM listings WHERE status = 'open'",
        # the round: every actor who may be due (one pass, once a week)
        r"SELECT id, frequency FROM actors WHERE consent_matching = TRUE AND .*",
        # the round's pairs closed for good (storage.pairs): most introductions (asked, made or declined)
        r"SELECT n\.requester_id, n\.invitee_id FROM introductions n WHERE .* UNION SELECT s\.actor_id, s\.other_id FROM suggestions s WHERE .*",
    )
)
ROWS = 4000


async def _scenario(app: App, tg: RecordingAdapter, mx: RecordingAdapter, clock: Clock) -> None:
    """Steps of two people, a round, deliveries, answers, the periodic jobs."""
    alice, bob = Person(app.runtime, tg, "alice"), Person(app.runtime, mx, "bob")
    await alice.onboard("Les Restos de la Soie", "Villeurbanne")
    await declare(alice, "/besoin", "Un coup de main pour la comptabilité de fin d'année.")
    await bob.onboard("Cabinet Martin", "Lyon")
    await declare(bob, "/offre", "Du mécénat de compétences en comptabilité pour les associations.")
    await app.suggestion_round()
    await deliver(app)
    await press_decision(alice, last_decision(tg, "alice"), "Me présenter")
    await deliver(app)
    await press_decision(
        bob, last_decision(mx, "bob"), "Me présenter"
    )  # his own suggestion (alice's request waits behind it): both said yes
    await deliver(app)
    await alice.say("/suggestions")
    await alice.say("/aide")
    mx.blocked.add("bob")
    clock.advance(days=22)
    await app.maintenance()
    await deliver(app)  # bob blocked the bot: marked unreachable by the outbox
    await app.forward_answers()
    await app.prune_processed_events()
    await app.retention()  # the daily deletes, on their indexes too


def _fill(path: Path) -> None:
    """A few thousand rows per growing table, spread like real data (then ANALYZE)."""
    rnd = random.Random(13)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    base = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM actors").fetchone()[0]) + 1
    ids = list(range(base, base + ROWS))
    stamp = "2026-10-01T08:00:00+00:00"
    conn.executemany(
        """INSERT INTO actors (id, kind, name, commune_code, place, epci_code, departement_code, themes,
           consent_matching, created_at, updated_at) VALUES (?, 'association', ?, '69266', '{}', '200046977', '69',
           '[]', 1, ?, ?)""",
        ((i, f"A{i}", stamp, stamp) for i in ids),
    )
    platforms = ("tg", "mx", "console")
    conn.executemany(
        "INSERT INTO identities (platform, user_id, chat_id, actor_id, created_at) VALUES (?, ?, ?, ?, ?)",
        ((platforms[i % 3], f"u{i}", f"c{i}", i, stamp) for i in ids),
    )
    conn.executemany(
        "INSERT INTO sessions (platform, user_id, state, updated_at) VALUES (?, ?, '{}', ?)",
        ((platforms[i % 3], f"u{i}", stamp) for i in ids),
    )
    conn.executemany(
        """INSERT INTO listings (actor_id, kind, category, description, zone_kind, zone_code, zone_label, expires_at,
           status, created_at, updated_at) VALUES (?, ?, 'skills', 'x', 'epci', '200046977', 'x', '2027-01-01', ?, ?, ?)""",
        ((i, rnd.choice(("need", "offer")), "open" if rnd.random() < 0.7 else "closed", stamp, stamp) for i in ids),
    )
    conn.executemany(
        "INSERT INTO processed_events (platform, event_id, processed_at) VALUES (?, ?, ?)",
        ((platforms[n % 3], f"ev{n}", f"2026-{9 + n % 3:02d}-{1 + n % 28:02d}T00:00:00") for n in range(ROWS * 3)),
    )
    conn.executemany(
        """INSERT INTO outbox (platform, chat_id, actor_id, payload, status, not_before, created_at, sent_at)
           VALUES (?, ?, ?, '{}', 'sent', ?, ?, ?)""",
        ((platforms[i % 3], f"c{i}", i, stamp, stamp, stamp) for i in ids for _ in range(3)),
    )
    conn.executemany(
        """INSERT INTO outbox (platform, chat_id, actor_id, payload, not_before, created_at)
           VALUES (?, ?, ?, '{"text":"x"}', ?, ?)""",
        ((platforms[i % 3], f"c{i}", i, "2030-01-01", stamp) for i in ids[:100]),
    )
    mondays = [datetime(2026, 6, 1) + timedelta(weeks=n) for n in range(24)]
    conn.executemany(
        "INSERT INTO digests (actor_id, period, created_at) VALUES (?, ?, ?)",
        ((i, suggestion_store.period_key("weekly", day.date()), day.isoformat()) for i in ids for day in mondays[i % 4 :: 4]),
    )
    digests = [row[0] for row in conn.execute("SELECT id FROM digests")]
    conn.executemany(
        """INSERT INTO suggestions (actor_id, other_id, digest_id, kind, score, explanation, status, created_at)
           VALUES (?, ?, ?, 'need_offer', 0.5, '[]', ?, ?)""",
        (
            (i, rnd.choice(ids), rnd.choice(digests), rnd.choice(("proposed", "declined", "expired", "accepted")), stamp)
            for i in ids
            for _ in range(2)
        ),
    )
    conn.executemany(
        "INSERT INTO introductions (requester_id, invitee_id, status, created_at) VALUES (?, ?, ?, ?)",
        (  # asked ones expire within two weeks: few are open at any time
            (i, rnd.choice(ids), rnd.choices(("asked", "accepted", "declined", "expired"), (2, 40, 30, 28))[0], stamp) for i in ids[:1500]
        ),
    )
    # the coordinators' and admins' audit lines: a few authors, each with many lines; appointments name their subject
    authors = [f"{platforms[n % 3]}:coord{n}" for n in range(40)]
    conn.executemany(
        "INSERT INTO audit_log (at, who, action, details, subject) VALUES (?, ?, ?, '{}', ?)",
        (
            (stamp, rnd.choice([*authors, "cli"]), action, subject)
            for n in range(ROWS)
            for action, subject in [("broadcast.start", None) if n % 10 else ("coordinator.add", authors[n % 40])]
        ),
    )
    # one send schedule per chat the bot wrote to: most long past, a few still ahead (the prune keeps them)
    conn.executemany(
        "INSERT INTO send_pacing (key, tat) VALUES (?, ?)",
        ((f"{platforms[i % 3]}:chat:c{i}", 1.7e9 + (i if i % 50 else 1e8)) for i in ids),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def _estimates(conn: sqlite3.Connection) -> dict[str, tuple[int, list[int]]]:
    """Per index: rows in it and average rows per equality prefix (``sqlite_stat1``)."""
    stats: dict[str, tuple[int, list[int]]] = {}
    for _table, index, stat in conn.execute("SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx IS NOT NULL"):
        numbers = [int(n) for n in stat.split()[: 1 + 8] if n.isdigit()]
        stats[index] = (numbers[0], numbers[1:])
    return stats


def _pk_index(conn: sqlite3.Connection, table: str) -> str | None:
    if conn.execute("SELECT 1 FROM sqlite_stat1 WHERE idx = ?", (table,)).fetchone():
        return table  # a WITHOUT ROWID table: its primary key is the table itself
    row = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name LIKE 'sqlite_autoindex_%_1'", (table,)
    ).fetchone()
    return None if row is None else row[0]


SEARCH = re.compile(
    r"^(?:SEARCH|SCAN) (\w+)(?: AS \w+)?(?: USING (?:COVERING )?(INDEX (\w+)|PRIMARY KEY|INTEGER PRIMARY KEY)(?: \((.*)\))?)?"
)


def plan_problems(conn: sqlite3.Connection, sql: str, growing: Collection[str] = GROWING) -> list[str]:
    """What is wrong with the plan of ``sql`` (empty when every access to a ``growing`` table is bounded)."""
    sizes = {t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in growing}
    stats = _estimates(conn)
    partial = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'")}
    problems: list[str] = []
    aliases = dict(re.findall(r"\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)\s+(?:AS\s+)?(\w+)", sql, re.IGNORECASE))
    for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"):
        line = row[3]
        match = SEARCH.match(line)
        if match is None:
            continue
        name, _, index, constraint = match.groups()
        table = name if name in growing else next((t for t, a in aliases.items() if a == name and t in growing), None)
        if table is None:
            continue
        if any(pattern.fullmatch(sql) for pattern in WHOLE_TABLE_BY_DESIGN):
            continue
        if line.startswith("SCAN"):
            if index not in partial:  # a partial index holds only the rows asked for (pending messages…)
                problems.append(line)
            continue
        if constraint and re.search(r"\browid[<>]", constraint):
            problems.append(f"{line} (a rowid range)")
            continue
        index = index or (_pk_index(conn, table) if "PRIMARY KEY" in line and "INTEGER" not in line else None)
        equalities = len(re.findall(r"\w+=\?", constraint or ""))
        if index in stats and equalities:
            rows, per_prefix = stats[index]
            expected = per_prefix[min(equalities, len(per_prefix)) - 1]
            if expected > max(100, sizes[table] // 20):
                problems.append(f"{line} (~{expected} of {sizes[table]} rows)")
    return problems


def _statements(log: list[str]) -> list[str]:
    kept: dict[str, str] = {}
    for sql in log:
        text = " ".join(sql.split())
        head = text.split(" ", 1)[0].upper()
        if head not in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "REPLACE"):
            continue
        kept.setdefault(re.sub(r"'[^']*'|\b\d+\b", "?", text), text)
    return list(kept.values())


async def test_every_statement_stays_on_an_index_after_analyze(db_path: Path, territories) -> None:
    clock = Clock(MONDAY_11H_PARIS)
    tg, mx = RecordingAdapter(platform="tg"), RecordingAdapter(platform="mx")
    app = await App.open(Config(db=str(db_path)), adapters=[tg, mx], territories=territories, clock=clock)
    app.run_jobs = False
    await app.start()
    log: list[str] = []
    try:
        await app.db.run(lambda conn: conn.set_trace_callback(log.append))
        await _scenario(app, tg, mx, clock)
        await app.db.run(lambda conn: conn.set_trace_callback(None))
    finally:
        await app.stop()
    with sqlite3.connect(db_path) as reader:  # the round's reads, as its own process makes them
        reader.set_trace_callback(log.append)
        suggestion_store.due_actors(reader, current_slot(clock(), "Europe/Paris", "mon"))
        suggestion_store.actor_records(reader, territories)
        suggestion_store.listing_records(reader)
        suggestion_store.history(reader, clock() - timedelta(weeks=8))
    statements = _statements(log)
    assert len(statements) > 40  # the scenario went through steps, a round, deliveries and jobs
    _fill(db_path)
    conn = sqlite3.connect(db_path)
    try:
        problems = {sql: found for sql in statements if (found := plan_problems(conn, sql))}
    finally:
        conn.close()
    assert not problems, "\n\n".join(f"{sql}\n  -> {'; '.join(found)}" for sql, found in problems.items())


TEXT_SEARCHES = tuple(
    re.compile(pattern)
    for pattern in (
        # what the person wrote, quoted where no id points at them: found by its text, in every row
        # (bounded by retention: outbox 14 days once sent, audit 2 years, suggestions 1 year)
        r"SELECT id, status, payload FROM outbox WHERE instr\(payload, .*",
        r"SELECT platform, user_id, state, held FROM sessions WHERE instr\(state, .*",
        # (the audit lines: by author and by subject, both indexed, since migration 102)
        # (the explanations a coordinator signed: by ``proposed_by``, and the older ones among the
        # coordinators' suggestions only, on their partial index — no longer a search of every row)
    )
)


COORDINATION = {"coordinators", "broadcasts", "scheduled_calls", "working_groups", "events", "relaunches"}
"""Tables that grow with the coordinators' work (a few rows a week each), filled for the erasure's plans."""


def _fill_coordination(path: Path) -> None:
    """Coordinators (of another platform) with their calls, scheduled calls, groups, events, relaunches."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    stamp = "2026-10-01T08:00:00+00:00"
    area = ("commune", "69266", "Villeurbanne (69)")
    conn.executemany(
        "INSERT INTO coordinators (platform, user_id, area_kind, area_code, area_label, invite_code, created_at, created_by)"
        " VALUES ('fill', ?, ?, ?, ?, ?, ?, ?)",
        ((f"k{n}", *area, f"INV{n}", stamp, f"fill:k{n // 10}") for n in range(300)),  # appointed by other coordinators
    )
    ids = [row[0] for row in conn.execute("SELECT id FROM coordinators WHERE platform = 'fill'")]
    conn.executemany(
        "INSERT INTO broadcasts (coordinator_id, area_kind, area_code, area_label, message, answer_mode, requester_platform,"
        " requester_chat, created_at) VALUES (?, ?, ?, ?, 'x', 'text', 'fill', ?, ?)",
        ((ids[n % 300], *area, f"k{n % 300}", stamp) for n in range(3000)),
    )
    conn.executemany(
        "INSERT INTO scheduled_calls (coordinator_id, area_kind, area_code, area_label, message, answer_mode, requester_platform,"
        " requester_chat, send_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'x', 'text', 'fill', ?, ?, ?, ?)",
        ((ids[n % 300], *area, f"k{n % 300}", stamp, stamp, stamp) for n in range(1000)),
    )
    conn.executemany(
        "INSERT INTO working_groups (coordinator_id, area_kind, area_code, name, source, requester_platform, requester_chat,"
        " created_at) VALUES (?, ?, ?, 'g', 'chosen', 'fill', ?, ?)",
        ((ids[n % 300], *area[:2], f"k{n % 300}", stamp) for n in range(1000)),
    )
    conn.executemany(
        "INSERT INTO events (coordinator_id, title, starts_at, place, capacity, area_kind, area_code, area_label, requester_platform,"
        " requester_chat, created_at) VALUES (?, 'e', ?, 'p', 10, ?, ?, ?, 'fill', ?, ?)",
        ((ids[n % 300], stamp, *area, f"k{n % 300}", stamp) for n in range(1000)),
    )
    actors = [row[0] for row in conn.execute("SELECT id FROM actors LIMIT 1000")]
    conn.executemany(
        "INSERT INTO relaunches (coordinator_id, actor_id, at) VALUES (?, ?, ?)",
        ((ids[n % 300], actors[n % len(actors)], stamp) for n in range(2000)),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


async def test_every_statement_of_an_erasure_is_index_backed_after_analyze(territory) -> None:
    """A coordinator who used everything deletes their data: every statement (and every foreign key it
    follows) reaches its rows through an index, on every table, once the database has statistics —
    except the two searches for what they wrote (:data:`TEXT_SEARCHES`). Before: the outbox was scanned
    three times (by actor, by chat, for ``DELETE FROM actors``'s foreign key) and a dozen small tables."""
    app, adapter, people = territory
    await _a_coordinator_uses_everything(app, adapter, people)
    log: list[str] = []
    await app.db.run(lambda conn: conn.set_trace_callback(log.append))
    await people["marie"].say("/supprimer")
    await people["marie"].press("Oui, tout supprimer")
    await app.db.run(lambda conn: conn.set_trace_callback(None))
    statements = _statements(log)
    assert any(sql.startswith("DELETE FROM actors") for sql in statements) and any("broadcasts" in sql for sql in statements)
    searches = [sql for sql in statements if any(pattern.fullmatch(sql) for pattern in TEXT_SEARCHES)]
    assert len({sql.split(" FROM ")[1].split()[0] for sql in searches}) == 2  # the patterns still name real statements
    assert any("FROM suggestions WHERE proposed_by IN" in sql for sql in statements)
    assert any("FROM audit_log WHERE subject IN" in sql for sql in statements)
    path = Path(app.config.db)
    _fill(path)
    _fill_coordination(path)
    conn = sqlite3.connect(path)
    try:
        problems = {sql: found for sql in statements if sql not in searches and (found := plan_problems(conn, sql, GROWING | COORDINATION))}
    finally:
        conn.close()
    assert not problems, "\n\n".join(f"{sql}\n  -> {'; '.join(found)}" for sql, found in problems.items())


def test_the_checker_sees_a_scan_and_a_wide_search(tmp_path: Path) -> None:
    """The checker itself: an unindexed lookup and a lookup by platform alone are reported."""
    path = tmp_path / "t.db"
    sqlite3.connect(path).close()
    import asyncio

    from storage.database import Database

    async def migrate() -> None:
        async with Database(path):
            pass

    asyncio.run(migrate())
    _fill(path)
    conn = sqlite3.connect(path)
    assert plan_problems(conn, "SELECT 1 FROM outbox WHERE payload = 'x'")
    assert plan_problems(conn, "SELECT 1 FROM identities WHERE platform = 'tg' AND display_name = 'x'")
    assert not plan_problems(conn, "SELECT 1 FROM identities WHERE platform = 'tg' AND chat_id = 'c5'")
    conn.close()
