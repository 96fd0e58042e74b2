"""Defect 3 of the safety trial of 1 December 2026 (helper safety4): the other side of a suggestion of
the round is never told that nothing was found. Each test failed before its fix (but the reader's)."""

from __future__ import annotations

import pytest

from matching import Suggestion
from services import suggestions
from services.round_worker import RoundResult, write_result
from tests.backends import connect
from tests.core.people import deliver
from tests.core.test_suggestions import clock, inbox, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends  # the rounds' storage on SQLite and PostgreSQL

# ---------------------------------------------------------------- 3. no "nothing" notice to the other side of a suggestion of the round


@pytest.mark.parametrize(("chunk", "kind"), [(1, "need_offer"), (4, "theme"), (1, "theme")])
async def test_the_other_side_of_a_suggestion_of_the_round_is_not_told_nothing_was_found(
    two_sides, monkeypatch: pytest.MonkeyPatch, chunk: int, kind: str
) -> None:
    """Tester: brightpixel (offer) got « Pas de suggestion cette fois… » while kev (need) got
    « Partenaire possible : brightpixel » in the same round (the relevance rule kept the pair for
    kev only; brightpixel's digest was written in an earlier chunk, or the pair was about no listing)."""
    app, alice, bob = two_sides
    with connect(app.config.db) as conn:
        ids = dict(conn.execute("SELECT i.user_id, i.actor_id FROM identities i").fetchall())
        need = conn.execute("SELECT id FROM listings WHERE actor_id = ?", (ids["alice"],)).fetchone()[0]
        offer = conn.execute("SELECT id FROM listings WHERE actor_id = ?", (ids["bob"],)).fetchone()[0]
    listed = {"my_listing_id": need, "their_listing_id": offer} if kind == "need_offer" else {}
    only_alice = Suggestion(ids["alice"], ids["bob"], 0.5, (), kind, **listed)
    rows = [(ids["bob"], "weekly:2026-W48", []), (ids["alice"], "weekly:2026-W48", [only_alice])]  # bob's digest first

    async def one_sided(job: object) -> RoundResult:
        return RoundResult(len(rows), rows=rows)

    monkeypatch.setattr(suggestions, "compute_round", one_sided)
    monkeypatch.setattr(suggestions, "WRITE_CHUNK", chunk)
    for dry_run in (True, False):
        report = await app.suggestion_round(force=True, dry_run=dry_run)
        assert [(s.actor, s.other) for s in report.suggestions] == [("Les Restos de la Soie", "Cabinet Martin")]
        assert report.nothing == [], [s.text for s in report.nothing]
    await deliver(app)
    assert "Partenaire possible : Cabinet Martin" in "\n".join(r.text for r in inbox(alice.adapter, "alice"))
    assert not [r.text for r in inbox(bob.adapter, "bob") if "Pas de suggestion" in r.text]


async def test_an_actor_proposed_to_nobody_is_still_told_nothing_was_found(two_sides, monkeypatch: pytest.MonkeyPatch) -> None:
    """The notice stays for whoever is on no side of any suggestion of the round."""
    app, _, bob = two_sides
    with connect(app.config.db) as conn:
        ids = dict(conn.execute("SELECT i.user_id, i.actor_id FROM identities i").fetchall())
    rows = [(ids["bob"], "weekly:2026-W48", []), (ids["alice"], "weekly:2026-W48", [])]

    async def empty(job: object) -> RoundResult:
        return RoundResult(len(rows), rows=rows)

    monkeypatch.setattr(suggestions, "compute_round", empty)
    report = await app.suggestion_round(force=True)
    assert {s.actor for s in report.nothing} == {"Les Restos de la Soie", "Cabinet Martin"}, report.nothing


def test_a_round_result_file_names_every_other_side(tmp_path) -> None:
    """The result the child process writes: its other sides read without building the suggestions."""
    path = str(tmp_path / "round.pickle")
    found = {1: [Suggestion(1, 7, 0.4, (), "theme"), Suggestion(1, 8, 0.3, (), "theme")], 9: [Suggestion(9, 1, 0.2, (), "theme")]}
    write_result(path, {1: "weekly:x", 2: "weekly:x", 9: "weekly:x"}, found)
    result = RoundResult(3, path=path)
    assert result.other_sides() == {7, 8, 1}
    assert [actor for actor, _, _ in result] == [1, 2, 9]  # still read in full afterwards
    assert RoundResult(1, rows=[(1, "weekly:x", found[1])]).other_sides() == {7, 8}
