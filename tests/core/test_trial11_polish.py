"""Defects found by the eleventh new-user trial (1 Dec 2026), each test failed before its fix."""

from __future__ import annotations

import pytest

from tests.core.people import deliver
from tests.core.test_suggestions import (  # noqa: F401  (fixtures)
    Clock,
    clock,
    inbox,
    last_decision,
    press_decision,
    request_after_own_suggestion,
    two_sides,
)

pytestmark = pytest.mark.backends


# ---------------------------------------------------------------- 1. no "nothing answers your offer" after an introduction


async def test_no_nothing_notice_to_the_offer_owner_after_an_accepted_introduction(two_sides, clock: Clock) -> None:
    app, alice, bob = two_sides
    await app.suggestion_round()
    await deliver(app)
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Me présenter")
    await deliver(app)
    await press_decision(bob, await request_after_own_suggestion(bob), "Oui, avec plaisir")
    for weeks in (1, 13):
        clock.advance(weeks=weeks)
        report = await app.suggestion_round(force=True)
        assert not [n.text for n in report.nothing if n.actor in ("Cabinet Martin", "Les Restos de la Soie")], [
            n.text for n in report.nothing
        ]


async def test_no_nothing_notice_after_an_introduction_asked_from_the_directory(two_sides, clock: Clock) -> None:
    """Trial: alice found Cabinet Martin in /annuaire, both agreed; the next round told Cabinet
    Martin « aucun besoin auquel réponde vraiment ce que vous proposez » (and alice the same about her need)."""
    from conversations.directory import DirectoryIntroduce
    from services import directory
    from storage.actors import load_actor

    app, alice, bob = two_sides

    def ask(conn):
        ids = {name: int(i) for i, name in conn.execute("SELECT id, name FROM actors")}
        me = load_actor(conn, ids["Les Restos de la Soie"])
        return directory.apply(conn, DirectoryIntroduce(ids["Cabinet Martin"]), me, (), "fr", clock())

    await app.db.transaction(ask)
    await deliver(app)
    await press_decision(bob, last_decision(bob.adapter, "bob"), "Oui, avec plaisir")
    for weeks in (0, 1, 13):
        clock.advance(weeks=weeks, minutes=5)
        report = await app.suggestion_round(force=True)
        assert not [n.text for n in report.nothing if n.actor in ("Cabinet Martin", "Les Restos de la Soie")], [
            n.text for n in report.nothing
        ]


# ---------------------------------------------------------------- 2. « Pas intéressé·e » to an event invitation is stored


def _event_statuses(app) -> list[str]:  # type: ignore[no-untyped-def]
    from tests.backends import connect

    with connect(app.config.db) as conn:
        return [str(row[0]) for row in conn.execute("SELECT status FROM event_people ORDER BY actor_id")]


@pytest.mark.parametrize("how", ["press", "2", "pas intéressé"])
async def test_not_interested_in_an_event_is_stored_and_acknowledged(two_sides, how: str) -> None:
    """Trial: « Pas intéressé·e » under an invitation answered but stored nothing (the invitation
    stayed 'invited', as if never answered). It is stored, said, and a sign-up stays possible."""
    from tests.core.people import Person
    from tests.core.test_event_wish_at_a_question import _event_published, registered

    app, alice, bob = two_sides
    await _event_published(app, Person(app.runtime, alice.adapter, "marie"))
    invitation = next(reply for reply in reversed(bob.adapter.replies_to("bob")) if "vous invite" in reply.text)
    bob.last = [invitation]
    if how == "press":
        await bob.press("Pas intéressé·e")
    else:
        await bob.say(how, prompt_id=invitation.prompt_id)
    assert "pas d'inscription à « Forum des associations »" in bob.text(), bob.text()
    assert "declined" in _event_statuses(app)
    bob.last = [invitation]  # changing one's mind later
    await bob.press("Je m'inscris")
    assert registered(app) == 1 and "declined" not in _event_statuses(app), bob.text()


# ---------------------------------------------------------------- 8. an erasure finds a coordinator's suggestions by index


@pytest.mark.sqlite_only  # (the PostgreSQL test databases start at the latest schema; checked by hand there)
async def test_migrations_101_102_link_the_earlier_suggestions_and_audit_lines_to_their_coordinator(db_path, monkeypatch) -> None:
    """Suggestions a coordinator proposed before migration 101 get ``proposed_by`` from the audit
    line that tells of them; one the audit log no longer tells of (or an erased author's) stays
    unlinked. An appointment's audit line gets its subject (migration 102)."""
    import storage.migrations as migrations
    from storage.database import open_database
    from tests.backends import connect

    everything = list(migrations.MIGRATIONS)
    monkeypatch.setattr(migrations, "MIGRATIONS", [m for m in everything if m[0] < 101])
    db = await open_database(str(db_path)).open()
    await db.close()
    now = "2026-11-30T10:00:00+00:00"
    with connect(db_path) as conn:
        ids = []
        for name in ("Asso du Tonkin", "Boulangerie"):
            row = conn.execute(
                "INSERT INTO actors (kind, name, commune_code, place, created_at, updated_at)"
                " VALUES ('association', ?, '69266', '{}', ?, ?) RETURNING id",
                (name, now, now),
            ).fetchone()
            ids.append(int(row[0]))
        suggestions = [
            int(
                conn.execute(
                    "INSERT INTO suggestions (actor_id, other_id, kind, score, explanation, created_at)"
                    " VALUES (?, ?, 'coordinator', 1.0, '[]', ?) RETURNING id",
                    (ids[0], ids[1], now),
                ).fetchone()[0]
            )
            for _ in range(3)
        ]
        conn.execute(
            "INSERT INTO audit_log (at, who, action, details) VALUES (?, 'cli', 'coordinator.add', ?)",
            (now, '{"area": "commune:69266", "coordinator": "telegram:42"}'),
        )
        for who, suggestion in (("telegram:42", suggestions[0]), ("erased", suggestions[1])):
            conn.execute(
                "INSERT INTO audit_log (at, who, action, details) VALUES (?, ?, 'introduction.propose', ?)",
                (now, who, f'{{"first": {ids[0]}, "second": {ids[1]}, "suggestion": {suggestion}}}'),
            )
        if hasattr(conn, "commit"):
            conn.commit()
    monkeypatch.setattr(migrations, "MIGRATIONS", everything)
    db = await open_database(str(db_path)).open()
    await db.close()
    with connect(db_path) as conn:
        linked = [tuple(row) for row in conn.execute("SELECT id, proposed_by FROM suggestions ORDER BY id")]
        subjects = [tuple(row) for row in conn.execute("SELECT action, subject FROM audit_log ORDER BY id")]
    assert linked == [(suggestions[0], "telegram:42"), (suggestions[1], None), (suggestions[2], None)]
    assert subjects == [("coordinator.add", "telegram:42"), ("introduction.propose", None), ("introduction.propose", None)]
