"""Defects found by the safety trial of 1 December 2026 (helper safety4). Each test failed before its fix."""

from __future__ import annotations

import sqlite3

import pytest

from core.clock import iso
from services.introductions import request_introduction
from tests.backends import connect
from tests.core.people import deliver
from tests.core.test_coordination import territory  # noqa: F401  (fixture)
from tests.core.test_suggestions import clock, count, inbox, last_decision, press_decision, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends  # the suggestions' storage on SQLite and PostgreSQL

# ---------------------------------------------------------------- 2. /delete is as strict in English as /supprimer in French


async def _to_english(person) -> None:
    await person.say("/reglages")
    await person.press("Langue")
    await person.press("English")


def _has_profile(app, user: str) -> bool:
    with connect(app.config.db) as conn:
        return conn.execute("SELECT COUNT(*) FROM identities WHERE user_id = ?", (user,)).fetchone() != (0,)


@pytest.mark.parametrize(
    ("language", "command", "refused", "accepted"),
    [
        ("fr", "/supprimer", ("oui", "Oui !", "yes", "ouais", "oui tout"), "Oui, tout supprimer"),
        ("fr", "/supprimer", ("oui",), "1"),
        ("en", "/delete", ("yes", "Yes!", "y", "yeah", "yes delete", "oui"), "Yes, delete everything"),
        ("en", "/delete", ("yes", "YES"), "1"),
    ],
)
async def test_an_irreversible_deletion_takes_only_its_option_or_number_in_every_language(
    territory, language: str, command: str, refused: tuple[str, ...], accepted: str
) -> None:
    """Tester: « oui » at /supprimer was refused but « yes » at /delete deleted everything at once (the
    option's internal value "yes" was accepted as if it were its label)."""
    app, _, people = territory
    asso = people["asso"]
    if language == "en":
        await _to_english(asso)
    await asso.say(command)
    for answer in refused:
        await asso.say(answer)
        assert _has_profile(app, "asso"), answer
        assert "Toutes vos données" not in asso.text() and "All your data" not in asso.text(), answer
    await asso.say(accepted)
    assert not _has_profile(app, "asso")
    assert "Toutes vos données sont supprimées" in asso.text() or "All your data is deleted" in asso.text(), asso.text()


@pytest.mark.parametrize(("language", "command", "keep"), [("fr", "/supprimer", "non"), ("en", "/delete", "no")])
async def test_no_at_a_deletion_keeps_everything_in_every_language(territory, language: str, command: str, keep: str) -> None:
    """The answer that changes nothing stays accepted in words."""
    app, _, people = territory
    asso = people["asso"]
    if language == "en":
        await _to_english(asso)
    await asso.say(command)
    await asso.say(keep)
    assert _has_profile(app, "asso")
    assert "Rien n'a été supprimé" in asso.text() or "Nothing was deleted" in asso.text(), asso.text()


# ---------------------------------------------------------------- 1. a pair declined by one side never reaches it as a request

REASON = "on ne travaille qu'avec les assos de notre quartier"


def _requests_to_bob(adapter) -> list[str]:
    return [r.text for r in adapter.replies_to("bob") if "aimerait être mis en relation" in r.text or "would like" in r.text]


async def _bob_declines(bob, typed: bool) -> None:
    if typed:  # the tester's way: a sentence with the reason
        await bob.say(f"pas intéressé, {REASON}")
    else:
        await press_decision(
            bob, next(r for r in inbox(bob.adapter, "bob") if r.prompt_id and r.prompt_id.startswith("S")), "Pas intéressé"
        )
    assert "je ne vous proposerai plus" in bob.text(), bob.text()


@pytest.mark.parametrize("typed", [True, False])
@pytest.mark.parametrize("when", ["after_delivery", "before_delivery"])
async def test_a_pair_declined_by_one_side_is_never_asked_of_it_from_the_other_side(two_sides, when: str, typed: bool) -> None:
    """Tester: the Mairie answered « pas intéressé, la salle est réservée… » to its suggestion; the
    association then pressed « Me présenter » on its own suggestion of the same pair and the Mairie
    was asked. The requester is told it is not forwarded (never the reason); nothing is sent."""
    app, alice, bob = two_sides
    await app.suggestion_round()
    if when == "after_delivery":
        await deliver(app)
        await _bob_declines(bob, typed)
    else:  # bob answers at /suggestions before alice's suggestion even reached her
        await bob.say("/suggestions")
        await _bob_declines(bob, typed)
        await deliver(app)
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Me présenter")
    said = alice.text()
    assert "Je ne transmets pas cette demande à Cabinet Martin" in said and "Rien n'a été envoyé" in said, said
    assert REASON not in said and "J'ai demandé" not in said
    await deliver(app)
    assert _requests_to_bob(bob.adapter) == []
    assert count(app, "SELECT COUNT(*) FROM introductions") == 0
    assert all(REASON not in r.text for r in inbox(alice.adapter, "alice"))


async def test_a_suggestion_put_aside_then_declined_by_the_other_side_is_not_asked_either(two_sides) -> None:
    """« Plus tard » first, the other side declines, then « Me présenter » on the put-aside suggestion."""
    app, alice, bob = two_sides
    await app.suggestion_round()
    await deliver(app)
    mine = last_decision(alice.adapter, "alice")
    await press_decision(alice, mine, "Plus tard")
    await _bob_declines(bob, typed=True)
    await press_decision(alice, mine, "Me présenter")
    assert "J'ai demandé" not in alice.text(), alice.text()
    await deliver(app)
    assert _requests_to_bob(bob.adapter) == []
    assert count(app, "SELECT COUNT(*) FROM introductions") == 0


async def test_a_request_made_before_the_other_side_declines_is_not_asked_after_it(two_sides) -> None:
    """The other order: alice asks first, bob then declines his own suggestion of her: her request,
    held while his suggestion waited, is not put to him after his « Pas intéressé »."""
    app, alice, bob = two_sides
    await app.suggestion_round()
    await deliver(app)
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Me présenter")
    await deliver(app)
    await _bob_declines(bob, typed=True)
    await deliver(app)
    assert _requests_to_bob(bob.adapter) == [], _requests_to_bob(bob.adapter)
    assert (
        "Cabinet Martin" in inbox(alice.adapter, "alice")[-1].text and "pas souhaité donner suite" in inbox(alice.adapter, "alice")[-1].text
    )
    assert all(REASON not in r.text for r in inbox(alice.adapter, "alice"))
    assert count(app, "SELECT COUNT(*) FROM introductions WHERE status = 'asked'") == 0


@pytest.mark.parametrize(("kind", "blocked"), [("theme", True), ("need_offer", False)])
async def test_a_directory_request_follows_the_scope_of_the_decline(two_sides, kind: str, blocked: bool) -> None:
    """/annuaire (a request about no listing): a decline of the two actors (a theme pair) stops it;
    a decline of one need and offer does not (the same structure's other listings still may meet)."""
    app, alice, bob = two_sides
    with connect(app.config.db) as conn:
        ids = dict(conn.execute("SELECT user_id, actor_id FROM identities").fetchall())
    stamp = iso(app.runtime.clock())

    def decline_and_ask(conn: sqlite3.Connection) -> list[str]:
        conn.execute(
            "INSERT INTO suggestions (actor_id, other_id, kind, score, explanation, status, created_at, answered_at)"
            " VALUES (?, ?, ?, 0.5, '[]', 'declined', ?, ?)",
            (ids["bob"], ids["alice"], kind, stamp, stamp),
        )
        return [r.text for r in request_introduction(conn, ids["alice"], ids["bob"], "Cabinet Martin", "fr", app.runtime.clock())]

    said = await app.db.transaction(decline_and_ask)
    assert ("Je ne transmets pas cette demande" in said[0]) is blocked, said
    assert count(app, "SELECT COUNT(*) FROM introductions") == (0 if blocked else 1)
