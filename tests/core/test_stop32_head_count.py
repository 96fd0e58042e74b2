"""Trial 32: a bare head count at an event's invitation (« on sera 4 », « nous serons 4 personnes », « on sera 2 ou
3 ») was refused with « répondez simplement oui ou non », while the bot's own confirmation says to change the number
by answering « on sera 2 ». Said alone at the invitation, a number of people is a yes with that many people."""

from __future__ import annotations

import pytest

from tests.core.test_stop31_invitations import _invited, _people
from tests.core.test_suggestions import clock, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends


@pytest.mark.parametrize(
    ("language", "said", "people"),
    [
        ("fr", "on sera 4", 4),
        ("fr", "nous serons 4 personnes", 4),
        ("fr", "on sera 2 ou 3", 3),
        ("fr", "on sera deux", 2),
        ("en", "there will be 4 of us", 4),
        ("en", "we'll be 3", 3),
    ],
)
async def test_a_head_count_alone_at_the_invitation_signs_up(two_sides, language: str, said: str, people: int) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say(said)
    assert _people(app) == [("registered", people)], bob.text()


@pytest.mark.parametrize(
    ("language", "said"),
    [("fr", "on ne sera pas 4"), ("fr", "on sera 4 à vouloir un stand, on cherche des tables"), ("en", "we won't be 3")],
)
async def test_a_denied_count_or_a_need_is_no_sign_up(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say(said)
    assert ("registered", 1) not in _people(app) and not any(status == "registered" for status, _ in _people(app)), bob.text()
