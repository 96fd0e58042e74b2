"""Trial 32: the « 📌 n/total » counter of waiting questions grew each time a mis-tapped « Pas intéressé » was taken
back (« 📌 2/3 » on the suggestion brought back, then « 📌 3/3 »…): a no taken back is an answer undone, so the
suggestion brought back takes its place again in the count, which never grows past the questions there are."""

from __future__ import annotations

import re

import pytest

from tests.core.people import Person, deliver
from tests.core.test_groups import clock  # noqa: F401  (fixture)
from tests.core.test_stop32_take_back import _with_recyclerie
from tests.core.test_suggestions import declare, last_decision, press_decision, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends

_COUNTER = re.compile(r"📌 (\d+)/(\d+)")


def _counter(alice: Person) -> tuple[int, int] | None:
    found = _COUNTER.search(alice.question.text)
    return (int(found[1]), int(found[2])) if found else None


async def test_a_no_taken_back_does_not_grow_the_count(two_sides) -> None:
    app, alice, bob = two_sides
    await _with_recyclerie(app, alice, bob)
    await app.suggestion_round()
    await deliver(app)
    first = last_decision(alice.adapter, "alice")
    assert _COUNTER.search(first.text) and _COUNTER.search(first.text)[0] == "📌 1/2", first.text
    await press_decision(alice, first, "Pas intéressé")
    assert _counter(alice) == (2, 2), alice.text()
    await alice.say("oups je me suis trompé, ça m'intéresse en fait")
    assert alice.question.prompt_id == first.prompt_id, alice.text()
    assert _counter(alice) == (1, 2), alice.text()  # the first of two again, not « 3/3 »
    await alice.press("Plus tard")
    assert _counter(alice) == (2, 2), alice.text()


async def test_taken_back_after_the_last_no_it_is_the_only_one_waiting(two_sides) -> None:
    app, alice, bob = two_sides
    await _with_recyclerie(app, alice, bob)
    await app.suggestion_round()
    await deliver(app)
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Pas intéressé")
    second = alice.question
    await press_decision(alice, second, "Pas intéressé")
    await alice.say("mince, mauvais bouton")
    assert alice.question.prompt_id == second.prompt_id, alice.text()
    assert _counter(alice) is None, alice.text()  # one question waits: no counter, never « 3/3 »
