"""Trial (menu6): a question waiting while the person is idle or at the menu is shown at once,
never « held for later » with nothing in progress to come back after (it never came back)."""

from __future__ import annotations

import pytest

from tests.core.test_queue import clock, network  # noqa: F401  (fixtures)
from tests.core.test_suggestions import deliver

pytestmark = pytest.mark.backends


async def _waiting_during_a_need(app, alice) -> None:
    """A round delivered while alice is in the middle of /besoin: the suggestions wait."""
    await alice.say("/besoin")
    await alice.press("Compétences")
    await app.suggestion_round()
    await deliver(app)
    assert not alice.question.prompt_id.startswith("S"), alice.text()


@pytest.mark.parametrize("typed", ["/menu", "menu", "MENU", "/Menu"])
async def test_menu_typed_at_the_menu_shows_the_waiting_question(network, typed: str) -> None:
    app, alice = network
    await _waiting_during_a_need(app, alice)
    await alice.say("/menu")  # in the middle of /besoin: held for after, as before
    assert "garde pour après" in alice.text(), alice.text()
    await alice.say(typed)  # now at the menu, nothing in progress: the question is shown
    assert "garde pour après" not in alice.text(), alice.text()
    assert alice.question.prompt_id.startswith("S"), alice.text()
    assert "Cabinet Martin" in alice.question.text or "Fiduciaire" in alice.question.text or "Compta" in alice.question.text


async def test_menu_twice_after_leaving_the_suggestion_shows_it_again(network) -> None:
    """On the suggestion, « menu » holds it (the menu wanted); « menu » again, at the menu: shown."""
    app, alice = network
    await _waiting_during_a_need(app, alice)
    await alice.say("/annuler")  # the first waiting suggestion is shown
    assert alice.question.prompt_id.startswith("S"), alice.text()
    await alice.say("menu")
    assert "garde pour après" in alice.text(), alice.text()
    await alice.say("/menu")
    assert "garde pour après" not in alice.text(), alice.text()
    assert alice.question.prompt_id.startswith("S"), alice.text()
    await alice.say("oui")
    assert alice.question.prompt_id.startswith("S") and "2/3" in alice.question.text, alice.text()


async def test_menu_in_the_middle_of_a_need_still_holds_the_question(network) -> None:
    """Guard: with a flow under way, the menu's note holds the question (its numbers are the menu's)."""
    app, alice = network
    await _waiting_during_a_need(app, alice)
    await alice.say("menu")
    assert "garde pour après" in alice.text(), alice.text()
    assert not alice.question.prompt_id.startswith("S"), alice.text()
