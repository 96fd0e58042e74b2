"""The SQLite writer remembers the latest steps' first read (identity, session, appointments:
:class:`storage.identities.Arrivals`), and never gives back a row that changed since: every
way the row can change is tried here, then the next step must see the change."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.model import Area, Identity, Session
from storage import actors, coordination, database, erasure, identities
from storage.database import Database

NOW = "2026-12-01T10:00:00+01:00"
ALICE = Identity(platform="console", user_id="alice", display_name="Alice", language_code="fr")
BOB = Identity(platform="console", user_id="bob", display_name="Bob", language_code="fr")
Arrival = tuple[int | None, Session, bool]


def _step(identity: Identity, flow: str | None = None, chat_id: str | None = None) -> Callable[[sqlite3.Connection], Arrival]:
    """What a step does with its first read: arrive, then write the session (with ``flow``)."""

    def step(conn: sqlite3.Connection) -> Arrival:
        arrived = identities.arrive(conn, identity, chat_id or identity.user_id, NOW)
        session = arrived[1] if flow is None else Session(flow=flow, step="name", data={"seen": flow})
        identities.save_session(conn, identity.platform, identity.user_id, session, NOW)
        return arrived

    return step


def _actor(conn: sqlite3.Connection, name: str) -> int:
    return actors.create_actor(conn, {"kind": "association", "name": name, "place": {"code": "69266", "label": "Villeurbanne"}}, NOW)


class _Reads:
    """Counts the steps' first reads (:data:`storage.identities.ARRIVE`) on the writer connection."""

    def __init__(self) -> None:
        self.count = 0

    def trace(self, statement: str) -> None:
        if statement.startswith(identities.ARRIVE.split(" i.actor_id")[0]):
            self.count += 1


@pytest.fixture
async def db(tmp_path: Path) -> Any:
    async with Database(tmp_path / "bot.db") as database:
        yield database


async def _reads(db: Database) -> _Reads:
    reads = _Reads()
    await db.run(lambda conn: conn.set_trace_callback(reads.trace))
    return reads


async def _known(db: Database, *people: Identity) -> None:
    """Each person has had two steps (their row is remembered after the second)."""
    for person in people:
        await db.transaction(_step(person, "onboarding"))
        await db.transaction(_step(person, "onboarding"))


async def test_an_unchanged_person_is_not_read_again(db: Database) -> None:
    await _known(db, ALICE)
    reads = await _reads(db)
    for flow in ("a", "b", "c"):
        actor_id, session, coordinates = await db.transaction(_step(ALICE, flow))
        assert (actor_id, coordinates) == (None, False)
    assert reads.count == 0
    assert (await db.transaction(_step(ALICE)))[1].flow == "c"  # the session its previous step wrote


async def test_the_session_written_by_another_path_is_read_again(db: Database) -> None:
    await _known(db, ALICE)

    def elsewhere(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE sessions SET state = ? WHERE platform = ? AND user_id = ?", (json.dumps({"flow": "x"}), "console", "alice"))

    await db.transaction(elsewhere)
    assert (await db.transaction(_step(ALICE)))[1].flow == "x"


async def test_an_erasure_forgets_the_person_and_redacts_the_others(db: Database) -> None:
    await _known(db, ALICE, BOB)
    alice = await db.transaction(lambda conn: _actor(conn, "Les Tilleuls"))
    await db.transaction(lambda conn: identities.link_actor(conn, "console", "alice", alice))
    await db.transaction(_step(ALICE, "profile"))
    await db.transaction(_step(ALICE, "profile"))

    def bob_quotes_alice(conn: sqlite3.Connection) -> Arrival:
        arrived = identities.arrive(conn, BOB, "bob", NOW)
        identities.save_session(conn, "console", "bob", Session(flow="search", data={"query": "Les Tilleuls"}), NOW)
        return arrived

    await db.transaction(bob_quotes_alice)
    await db.transaction(bob_quotes_alice)
    await db.transaction(lambda conn: erasure.erase_person(conn, alice, "console", "alice"))
    actor_id, session, _ = await db.transaction(_step(ALICE))
    assert (actor_id, session.flow) == (None, None)  # a first contact again
    _, bob_session, _ = await db.transaction(lambda conn: identities.arrive(conn, BOB, "bob", NOW))
    assert "Les Tilleuls" not in json.dumps(bob_session.to_json())


async def test_a_deleted_actor_takes_its_identities_with_it(db: Database) -> None:
    await _known(db, ALICE)
    alice = await db.transaction(lambda conn: _actor(conn, "A"))
    await db.transaction(lambda conn: identities.link_actor(conn, "console", "alice", alice))
    assert (await db.transaction(_step(ALICE, "profile")))[0] == alice
    await db.transaction(_step(ALICE, "profile"))
    await db.transaction(lambda conn: conn.execute("DELETE FROM actors WHERE id = ?", (alice,)))  # the cascade, as retention does
    assert (await db.transaction(_step(ALICE)))[:2] == (None, Session())


async def test_a_merge_or_a_new_profile_is_seen(db: Database) -> None:
    await _known(db, ALICE)
    first = await db.transaction(lambda conn: _actor(conn, "A"))
    second = await db.transaction(lambda conn: _actor(conn, "B"))
    await db.transaction(lambda conn: identities.link_actor(conn, "console", "alice", first))
    assert (await db.transaction(_step(ALICE, "a")))[0] == first
    await db.transaction(_step(ALICE, "a"))
    await db.transaction(lambda conn: conn.execute("UPDATE identities SET actor_id = ? WHERE actor_id = ?", (second, first)))  # merged
    assert (await db.transaction(_step(ALICE)))[0] == second


async def test_an_unreachable_person_who_writes_is_reachable_again(db: Database) -> None:
    await _known(db, ALICE)
    await db.transaction(lambda conn: identities.mark_unreachable(conn, "console", "alice"))
    await db.transaction(_step(ALICE))
    flag = await db.read(lambda conn: conn.execute("SELECT unreachable FROM identities WHERE user_id = 'alice'").fetchone()[0])
    assert not flag


async def test_a_language_or_chat_change_is_written(db: Database) -> None:
    await _known(db, ALICE)
    english = Identity(platform="console", user_id="alice", display_name="Alice", language_code="en")
    await db.transaction(_step(english, chat_id="alice-2"))
    row = await db.read(lambda conn: conn.execute("SELECT language_code, chat_id FROM identities WHERE user_id = 'alice'").fetchone())
    assert tuple(row) == ("en", "alice-2")
    await db.transaction(lambda conn: conn.execute("UPDATE identities SET language_code = 'fr' WHERE user_id = 'alice'"))
    await db.transaction(_step(english, chat_id="alice-2"))  # the platform says "en" again: written again
    row = await db.read(lambda conn: conn.execute("SELECT language_code FROM identities WHERE user_id = 'alice'").fetchone())
    assert row[0] == "en"


async def test_an_appointment_is_seen_at_the_next_step(db: Database) -> None:
    await _known(db, ALICE)
    assert (await db.transaction(_step(ALICE)))[2] is False
    area = Area("commune", "69266", "Villeurbanne")
    await db.transaction(lambda conn: coordination.add_coordinator(conn, "console", "alice", area, "admin", NOW))
    assert (await db.transaction(_step(ALICE)))[2] is True
    await db.transaction(_step(ALICE))
    await db.transaction(lambda conn: conn.execute("DELETE FROM coordinators WHERE user_id = 'alice'"))
    assert (await db.transaction(_step(ALICE)))[2] is False


async def test_a_step_rolled_back_leaves_nothing_remembered(db: Database) -> None:
    await _known(db, ALICE)

    def fails(conn: sqlite3.Connection) -> None:
        _step(ALICE, "lost")(conn)
        raise RuntimeError("the step failed")

    with pytest.raises(RuntimeError):
        await db.transaction(fails)
    assert (await db.transaction(_step(ALICE)))[1].flow == "onboarding"


async def test_a_step_rolled_back_inside_a_batch_leaves_nothing_remembered(db: Database) -> None:
    await _known(db, ALICE, BOB)

    def fails(conn: sqlite3.Connection) -> None:
        _step(ALICE, "lost")(conn)
        raise RuntimeError("the step failed")

    # two steps in one commit, as the writer groups them (run(): outside any transaction, as the writer is)
    outcomes = await db.run(lambda conn: database._commit_batch(conn, [_step(BOB, "kept"), fails]))
    assert [ok for ok, _ in outcomes] == [True, False]
    assert (await db.transaction(_step(ALICE)))[1].flow == "onboarding"
    assert (await db.transaction(_step(BOB)))[1].flow == "kept"


async def test_another_connection_s_commit_is_seen(db: Database, tmp_path: Path) -> None:
    """Another process (the command line, a second worker by mistake) changes the file."""
    await _known(db, ALICE)
    other = sqlite3.connect(tmp_path / "bot.db", isolation_level=None)
    try:
        other.execute("UPDATE sessions SET state = ? WHERE user_id = 'alice'", (json.dumps({"flow": "outside"}),))
    finally:
        other.close()
    assert (await db.transaction(_step(ALICE)))[1].flow == "outside"
    other = sqlite3.connect(tmp_path / "bot.db", isolation_level=None)
    try:
        other.execute("PRAGMA foreign_keys = ON")
        other.execute("DELETE FROM identities WHERE user_id = 'alice'")
    finally:
        other.close()
    assert (await db.transaction(_step(ALICE)))[:2] == (None, Session())


async def test_the_rows_kept_are_bounded(db: Database) -> None:
    people = [Identity(platform="console", user_id=f"u{n}") for n in range(12)]
    await db.run(lambda conn: setattr(conn.arrivals, "kept", 5))
    await _known(db, *people)
    kept = await db.run(lambda conn: list(conn.arrivals.rows))
    assert kept == [("console", f"u{n}") for n in range(7, 12)]
