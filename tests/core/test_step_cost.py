"""What one conversation step writes: nothing it does not change (the engine benchmark's per-step cost)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from bot.app import App
from tests.backends import connect
from tests.core.people import Person, RecordingAdapter

pytestmark = pytest.mark.backends


def _identity(app: App, user_id: str) -> tuple[object, ...]:
    with connect(app.config.db) as conn:
        row = conn.execute(
            "SELECT chat_id, display_name, handle, language_code, unreachable FROM identities WHERE user_id = ?", (user_id,)
        ).fetchone()
    return tuple(row)


async def test_a_known_identity_is_refreshed_only_when_something_changed(app: App, adapter: RecordingAdapter) -> None:
    alice = Person(app.runtime, adapter, "alice")
    await alice.say("/start")
    assert _identity(app, "alice")[:4] == ("alice", "Alice", "@alice", "fr")
    await alice.say("1", display_name=None, handle=None, language_code=None)  # unknown: what is stored stays
    assert _identity(app, "alice")[:4] == ("alice", "Alice", "@alice", "fr")
    await alice.say("retour", chat_id="alice-2", display_name="Alice B.", handle="@alice_b", language_code="en")
    assert _identity(app, "alice")[:4] == ("alice-2", "Alice B.", "@alice_b", "en")
    with connect(app.config.db) as conn:
        conn.execute("UPDATE identities SET unreachable = ? WHERE user_id = 'alice'", (True,))
        conn.commit()
    await alice.say("Asso des Pentes", chat_id="alice-2", display_name="Alice B.", handle="@alice_b", language_code="en")
    assert not _identity(app, "alice")[4]  # writing again makes the chat reachable again


@pytest.mark.sqlite_only  # statements are counted with SQLite's trace callback
async def test_a_step_of_a_known_identity_does_not_rewrite_it(app: App, adapter: RecordingAdapter) -> None:
    alice = Person(app.runtime, adapter, "alice")
    await alice.say("/start")
    statements: list[str] = []

    def trace(conn: sqlite3.Connection) -> None:
        conn.set_trace_callback(statements.append)

    await app.db.run(trace)
    try:
        await alice.say("1")
    finally:
        await app.db.run(lambda conn: conn.set_trace_callback(None))
    writes = [s for s in statements if "identities" in s and s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == []
    assert any("identities" in s for s in statements)  # it was read


@pytest.mark.sqlite_only  # statements are counted with SQLite's trace callback
async def test_a_step_reads_the_identity_and_its_session_in_one_statement(app: App, adapter: RecordingAdapter) -> None:
    alice = Person(app.runtime, adapter, "alice")
    await alice.say("/start")
    statements: list[str] = []
    await app.db.run(lambda conn: conn.set_trace_callback(statements.append))
    try:
        await alice.say("1")
    finally:
        await app.db.run(lambda conn: conn.set_trace_callback(None))
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and ("identities" in s or "sessions" in s)]
    assert len(reads) == 1, reads
    assert "sessions" in reads[0] and "identities" in reads[0]
    with connect(app.config.db) as conn:  # the step went on from the session it read: "1" chose the kind
        state = json.loads(conn.execute("SELECT state FROM sessions WHERE user_id = 'alice'").fetchone()[0])
    assert (state["data"].get("kind"), state["step"]) == ("association", "name")


@pytest.mark.sqlite_only  # statements are counted with SQLite's trace callback
async def test_only_a_coordinators_step_reads_their_areas(app: App, adapter: RecordingAdapter) -> None:
    from core.clock import iso, utcnow
    from storage import coordination

    alice, marie = Person(app.runtime, adapter, "alice"), Person(app.runtime, adapter, "marie")
    await alice.say("/start")
    await marie.say("/start")
    area = coordination.Area("commune", "69266", "Villeurbanne (69)")
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "marie", area, "test:admin", iso(utcnow())))
    statements: list[str] = []
    await app.db.run(lambda conn: conn.set_trace_callback(statements.append))
    try:
        await alice.say("1")
        await marie.say("1")
    finally:
        await app.db.run(lambda conn: conn.set_trace_callback(None))
    areas_read = [s for s in statements if s.startswith("SELECT id, platform, user_id, area_kind") and "FROM coordinators" in s]
    assert not [s for s in areas_read if "'alice'" in s]  # known to coordinate nothing: the step's first read said so
    assert len([s for s in areas_read if "'marie'" in s]) == 1
