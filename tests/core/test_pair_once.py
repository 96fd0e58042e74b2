"""A pair already introduced, being asked, or where one declined — whichever way it was started
(/annuaire, a suggestion, a coordinator, a programme, a recommendation) and in either direction —
is never suggested nor asked again (trial of 1 Dec 2026: Novatek and Jeunes en Mouvement, introduced
through /annuaire, were suggested and asked again by the next round). Each test failed before the fix."""

from __future__ import annotations

import pytest

from conversations.alliances import RecommendMeeting
from conversations.directory import DirectoryIntroduce
from core.clock import utcnow
from services import alliances, directory
from storage import actors
from tests.core.test_coordination import deliver, rows, territory  # noqa: F401  (fixture)

pytestmark = pytest.mark.backends


def _ids(app) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    found = dict(rows(app, "SELECT name, id FROM actors"))
    return found["Asso du Tonkin"], found["Boulangerie Gratte-Ciel"], found["Asso Silencieuse"]


async def _ask(app, asker: int, other: int) -> str:  # type: ignore[no-untyped-def]
    """``asker`` presses « Me présenter » on ``other`` in the directory; the text answered."""

    def apply(conn):  # type: ignore[no-untyped-def]
        me = actors.load_actor(conn, asker)
        return directory.apply(conn, DirectoryIntroduce(other), me, (), "fr", utcnow())

    replies = await app.db.transaction(apply)
    return "\n".join(reply.text for reply in replies)


def _between(app, first: int, second: int, table: str = "introductions") -> list[tuple]:  # type: ignore[no-untyped-def]
    one, two = ("requester_id", "invitee_id") if table == "introductions" else ("actor_id", "other_id")
    return rows(
        app,
        f"SELECT id, status FROM {table} WHERE ({one} = ? AND {two} = ?) OR ({one} = ? AND {two} = ?) ORDER BY id",
        first,
        second,
        second,
        first,
    )


async def _answer_request(app, adapter, person, choice: str) -> None:  # type: ignore[no-untyped-def]
    await deliver(app)
    request = next(r for r in reversed(adapter.replies_to(person.user_id)) if r.prompt_id and r.prompt_id.startswith("I"))
    await person.send(person.incoming(choice=choice, prompt_id=request.prompt_id))


async def test_a_pair_introduced_through_the_directory_is_neither_suggested_nor_asked_again(territory) -> None:
    app, adapter, people = territory
    asso, boulangerie, _ = _ids(app)
    await _ask(app, asso, boulangerie)
    await _answer_request(app, adapter, people["boulangerie"], "accept")
    assert [status for _, status in _between(app, asso, boulangerie)] == ["accepted"]
    report = await app.suggestion_round(force=True)
    pair = {"Asso du Tonkin", "Boulangerie Gratte-Ciel"}
    assert not [s for s in report.suggestions if {s.actor, s.other} == pair]
    assert _between(app, asso, boulangerie, "suggestions") == []
    for asker, other in ((asso, boulangerie), (boulangerie, asso)):  # either direction
        text = await _ask(app, asker, other)
        assert "déjà" in text and "en relation" in text, text
    assert [status for _, status in _between(app, asso, boulangerie)] == ["accepted"]  # no second request


async def test_a_pair_being_asked_is_not_suggested_meanwhile(territory) -> None:
    app, _, _ = territory
    asso, boulangerie, _ = _ids(app)
    await _ask(app, boulangerie, asso)
    report = await app.suggestion_round(force=True)
    assert not [s for s in report.suggestions if {s.actor, s.other} == {"Asso du Tonkin", "Boulangerie Gratte-Ciel"}]
    text = await _ask(app, boulangerie, asso)
    assert "déjà demandé" in text
    assert [status for _, status in _between(app, asso, boulangerie)] == ["asked"]


async def test_a_declined_introduction_is_never_proposed_nor_asked_again_whoever_starts_it(territory) -> None:
    app, adapter, people = territory
    asso, boulangerie, silent = _ids(app)
    first = await app.suggestion_round(force=True)  # a suggestion of the pair waits for the association
    assert [s for s in first.suggestions if (s.actor, s.other) == ("Asso du Tonkin", "Boulangerie Gratte-Ciel")]
    await _ask(app, asso, boulangerie)
    await _answer_request(app, adapter, people["boulangerie"], "refuse")
    assert [status for _, status in _between(app, asso, boulangerie)] == ["declined"]
    # the suggestion that waited: « Me présenter » asks nobody again
    waiting = rows(app, "SELECT id FROM suggestions WHERE actor_id = ? AND other_id = ? ORDER BY id", asso, boulangerie)
    await people["asso"].send(people["asso"].incoming(choice="present", prompt_id=f"S{waiting[-1][0]}"))
    # the directory: the side that was declined cannot ask again (the one who declined may take back their own no: below)
    text = await _ask(app, asso, boulangerie)
    assert "décliné" in text, text
    # a recommendation by a third actor
    replies = await app.db.transaction(lambda conn: alliances.recommend(conn, silent, RecommendMeeting(asso, boulangerie), "fr", utcnow()))
    assert "déjà" in replies[0].text, replies[0].text
    assert [status for _, status in _between(app, asso, boulangerie)] == ["declined"]
    assert not [status for _, status in _between(app, asso, boulangerie, "suggestions") if status in ("proposed", "later")]
    # nor by the next rounds (the window of 12 weeks past as well)
    later = await app.suggestion_round(force=True)
    assert not [s for s in later.suggestions if {s.actor, s.other} == {"Asso du Tonkin", "Boulangerie Gratte-Ciel"}]
    # the one who declined, from the directory, within a day: their own no taken back, both introduced (undo31)
    text = await _ask(app, boulangerie, asso)
    assert "finalement oui" in text and "décliné" not in text, text
    assert [status for _, status in _between(app, asso, boulangerie)] == ["accepted"]
