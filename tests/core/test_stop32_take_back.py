"""A mis-tapped « Pas intéressé » on a weekly suggestion, taken back in words (trial 32).

People playing new users pressed « Pas intéressé » on a suggestion by mistake and typed « oups je me suis trompé,
ça m'intéresse en fait », "sorry I meant yes": only a declined *request* could be taken back, so they were told
nothing was declined. Within 24 h, words that take back one's own no to a suggestion bring it back as it was (the
pair no longer excluded), shown again with its buttons, the person told so in their language; the words may name
one of several declined (« oups, c'est oui pour la recyclerie »), else the most recent. After the window, or with
nothing declined, nothing changes and the person is told. The other side never learns of the no nor of its
taking back.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from conversations.understanding import starts_declining, takes_back_no
from core.clock import iso
from tests.core.people import Person, deliver
from tests.core.test_coordination import rows
from tests.core.test_groups import clock  # noqa: F401  (fixture)
from tests.core.test_keep5_defects import _suggested
from tests.core.test_suggestions import declare, inbox, last_decision, press_decision, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends

FRENCH = [
    "oups je me suis trompé, ça m'intéresse en fait",
    "mince mauvais bouton, je voulais dire oui",
    "non attendez, c'est intéressant finalement",
    "je me suis trompée de bouton",
    "erreur de ma part, ça m'intéresse",
]
ENGLISH = [
    "oops wrong button, I am interested",
    "sorry I meant yes",
    "my mistake, I pressed the wrong button",
    "wait, that one is interesting actually",
]
NOT_TAKING_BACK = ["attendez, ça m'intéresse", "wait, I am interested", "attendez, ça ne m'intéresse pas", "wait, not interested"]


@pytest.mark.parametrize("typed", FRENCH + ENGLISH)
def test_the_words_take_back_a_no(typed: str) -> None:
    assert takes_back_no(typed) and not starts_declining(typed)


@pytest.mark.parametrize("typed", NOT_TAKING_BACK)
def test_an_interest_or_a_no_alone_takes_nothing_back(typed: str) -> None:
    """« attendez, ça m'intéresse » is a yes to what is shown; « ça ne m'intéresse pas » a no."""
    assert not takes_back_no(typed)


BUTTONS = {False: ["Me présenter", "Pas intéressé", "Plus tard"], True: ["Introduce me", "Not interested", "Later"]}


async def _declined(app, alice: Person, english: bool) -> str:
    """Alice presses « Pas intéressé » on the suggestion of Cabinet Martin: its token."""
    token = await _suggested(app, alice, english)
    await press_decision(alice, last_decision(alice.adapter, "alice"), BUTTONS[english][1])
    assert rows(app, "SELECT status FROM suggestions WHERE id = ?", int(token[1:])) == [("declined",)]
    return token


def _status(app, token: str) -> str:
    return str(rows(app, "SELECT status FROM suggestions WHERE id = ?", int(token[1:]))[0][0])


@pytest.mark.parametrize(("english", "typed"), [(False, t) for t in FRENCH] + [(True, t) for t in ENGLISH])
async def test_a_mistapped_no_to_a_suggestion_is_taken_back_and_shown_again(two_sides, english: bool, typed: str) -> None:
    app, alice, bob = two_sides
    token = await _declined(app, alice, english)
    await deliver(app)
    bob_before = len(inbox(bob.adapter, "bob"))
    await alice.say(typed)
    said = alice.text()
    assert _status(app, token) == "proposed", said  # as it was before the no: the pair is no longer excluded
    assert alice.question.prompt_id == token, said  # shown again, with its buttons, the question on screen
    assert [c.label for c in alice.question.choices] == BUTTONS[english], said
    assert "Cabinet Martin" in alice.question.text
    assert ("Not interested" in said and "taken back" in said) if english else ("j'annule votre « Pas intéressé »" in said), said
    await deliver(app)
    assert len(inbox(bob.adapter, "bob")) == bob_before  # the other side learns nothing
    await alice.say("1")  # typed « Me présenter » answers the suggestion shown again
    assert _status(app, token) == "accepted" or rows(app, "SELECT COUNT(*) FROM introductions") == [(1,)], alice.text()


async def test_a_taken_back_suggestion_can_be_answered_with_its_buttons(two_sides) -> None:
    app, alice, _ = two_sides
    token = await _declined(app, alice, False)
    await alice.say("oups je me suis trompé")
    await alice.press("Me présenter")
    assert "J'ai demandé à Cabinet Martin" in alice.text(), alice.text()
    assert rows(app, "SELECT status FROM introductions") == [("asked",)]
    assert _status(app, token) == "accepted"


async def _with_recyclerie(app, alice: Person, bob: Person) -> None:
    """A third actor, La Recyclerie du Tonkin, offers accounting help too: alice gets two suggestions."""
    carol = Person(app.runtime, alice.adapter, "carol")
    await carol.onboard("La Recyclerie du Tonkin", "Villeurbanne")
    await declare(carol, "/offre", "Une trésorière bénévole aide les associations pour leur comptabilité de fin d'année.")


async def _both_declined(app, alice: Person, bob: Person) -> dict[str, str]:
    await _with_recyclerie(app, alice, bob)
    await app.suggestion_round()
    await deliver(app)
    tokens: dict[str, str] = {}
    for turn in range(2):
        shown = alice.question if turn else last_decision(alice.adapter, "alice")
        name = "Cabinet Martin" if "Cabinet Martin" in shown.text else "La Recyclerie du Tonkin"
        tokens[name] = str(shown.prompt_id)
        await press_decision(alice, shown, "Pas intéressé")
    assert len(tokens) == 2 and all(_status(app, t) == "declined" for t in tokens.values()), tokens
    return tokens


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("oups, c'est oui pour la recyclerie", "La Recyclerie du Tonkin"),
        ("je me suis trompé pour Cabinet Martin", "Cabinet Martin"),
        ("sorry, I meant yes to the Recyclerie", "La Recyclerie du Tonkin"),
    ],
)
async def test_words_naming_one_of_several_declined_take_back_that_one(two_sides, typed: str, named: str) -> None:
    app, alice, bob = two_sides
    tokens = await _both_declined(app, alice, bob)
    await alice.say(typed)
    assert alice.question.prompt_id == tokens[named], alice.text()
    assert {name: _status(app, t) for name, t in tokens.items()} == {
        name: "proposed" if name == named else "declined" for name in tokens
    }, alice.text()


async def test_without_a_name_the_most_recent_no_is_taken_back(two_sides) -> None:
    app, alice, bob = two_sides
    tokens = await _both_declined(app, alice, bob)
    latest = max(tokens.values(), key=lambda t: int(t[1:]))
    await alice.say("mince, mauvais bouton")
    assert alice.question.prompt_id == latest, alice.text()
    assert sorted(_status(app, t) for t in tokens.values()) == ["declined", "proposed"]


async def test_taken_back_while_another_suggestion_is_on_screen(two_sides) -> None:
    """The first of two declined, the second on screen: the first comes back, the second waits after it."""
    app, alice, bob = two_sides
    await _with_recyclerie(app, alice, bob)
    await app.suggestion_round()
    await deliver(app)
    first = last_decision(alice.adapter, "alice")
    await press_decision(alice, first, "Pas intéressé")
    second = alice.question
    assert second.prompt_id != first.prompt_id and str(second.prompt_id).startswith("S"), alice.text()
    await alice.say("oups je me suis trompé, ça m'intéresse en fait")
    assert alice.question.prompt_id == first.prompt_id, alice.text()
    await alice.press("Plus tard")
    assert alice.question.prompt_id == second.prompt_id, alice.text()  # the one that was on screen comes next


# ---------------------------------------------------------------- guards


@pytest.mark.parametrize("typed", ["pas intéressé", "non merci"])
async def test_a_real_no_stays_a_no(two_sides, typed: str) -> None:
    app, alice, _ = two_sides
    token = await _suggested(app, alice, False)
    await alice.say(typed)
    assert _status(app, token) == "declined", alice.text()
    await alice.say("non merci, vraiment pas")
    assert _status(app, token) == "declined", alice.text()


@pytest.mark.parametrize(("english", "typed"), [(False, "oups je me suis trompé, ça m'intéresse"), (True, "sorry I meant yes")])
async def test_after_the_window_nothing_changes_and_it_is_said(two_sides, english: bool, typed: str) -> None:
    app, alice, bob = two_sides
    token = await _declined(app, alice, english)
    old = iso(app.runtime.clock() - timedelta(days=2))
    await app.db.transaction(lambda conn: conn.execute("UPDATE suggestions SET answered_at = ? WHERE status = 'declined'", (old,)))
    await alice.say(typed)
    said = alice.text()
    assert _status(app, token) == "declined", said
    assert ("/directory" in said) if english else ("/annuaire" in said and "plus de 24 h" in said), said
    assert rows(app, "SELECT COUNT(*) FROM introductions") == [(0,)]


@pytest.mark.parametrize(("english", "typed"), [(False, "oups je me suis trompé"), (True, "sorry I pressed the wrong button")])
async def test_nothing_declined_nothing_changes(two_sides, english: bool, typed: str) -> None:
    app, alice, _ = two_sides
    token = await _suggested(app, alice, english)
    await press_decision(alice, last_decision(alice.adapter, "alice"), BUTTONS[english][2])  # « Plus tard »
    await alice.say("/menu")
    await alice.say(typed)
    said = alice.text()
    assert ("nothing changed" in said) if english else ("rien n'a changé" in said), said
    assert _status(app, token) == "later"
