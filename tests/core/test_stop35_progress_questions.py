"""« c'est bon pour le camion ? des nouvelles ? » at the menu (trial 33, people playing new users) was taken for a new
listing (« Est-ce quelque chose que vous cherchez, ou que vous proposez ? »): a question asking how a thing named with
an article goes (« ça avance pour le camion ? », « et pour le camion, du nouveau ? », "how is it going with the
van?") asks about the person's own listing, as « des nouvelles pour le camion ? » already did; answered with that
listing's state, never a new one. Failed before its fix."""

from __future__ import annotations

import pytest

from conversations.understanding import asks_about_own_listing
from tests.core.people import Person
from tests.core.test_coordination import send_call, territory  # noqa: F401  (fixture)
from tests.core.test_event_listing_defects import publish_need
from tests.core.test_stop33_menu_questions import MANAGE, STARTED, VISIBLE, _at_menu, _listings, _with

pytestmark = pytest.mark.backends

VAN = {"fr": "On cherche un camion pour déménager nos stocks", "en": "We are looking for a van to move our stock"}


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "c'est bon pour le camion ? des nouvelles ?"),
        ("fr", "alors, ça avance pour le camion ?"),
        ("fr", "ça avance le camion ?"),
        ("fr", "et pour le camion, du nouveau ?"),
        ("fr", "toujours rien pour le camion ?"),
        ("fr", "rien de neuf pour le camion ?"),
        ("fr", "Bonjour, où ça en est pour notre camion ?"),
        ("en", "so, how is it going with the van?"),
        ("en", "any update on the van?"),
        ("en", "anything new about the van?"),
    ],
)
async def test_how_it_goes_with_a_thing_asks_about_that_listing(territory, language: str, typed: str) -> None:
    app, _, people = territory
    asso: Person = people["asso"]
    await _with(asso, language, VAN[language])
    await asso.say(typed)
    said = asso.text()
    assert _listings(app) == 1, said  # no new listing about a van
    assert VAN[language][:25] in said and VISIBLE[language] in said and MANAGE[language] in said, said
    assert _at_menu(asso) and not any(words in said for words in STARTED), said


@pytest.mark.parametrize(
    "text",
    [
        "quelqu'un aurait un camion pour samedi ?",
        "on cherche un camion, c'est pour le déménagement",
        "c'est bon pour le camion, merci",
        "does anyone have a van for the move?",
        "we need a van, how is it going to work?",
    ],
)
def test_a_need_or_a_thanks_is_no_question_about_progress(text: str) -> None:
    assert asks_about_own_listing(text) is None


# ---------------------------------------------------------------- a coordinator asking whether answers came: /reponses


@pytest.mark.parametrize(
    "typed",
    [
        "y a eu des réponses ?",
        "des nouvelles de mon appel ?",
        "qqn a répondu à mon appel ?",
        "est-ce que des gens ont répondu ?",
        "des réponses à mon appel ?",
    ],
)
async def test_a_coordinator_asking_for_answers_gets_the_answers_to_their_calls(territory, typed: str) -> None:
    """Marie coordinates Villeurbanne without a profile and sent a call: her question was answered with the list of
    her commands (no listing of hers to speak of); it opens /reponses, as the command does."""
    app, _, people = territory
    marie, asso = people["marie"], people["asso"]
    await send_call(app, marie)
    await asso.say("On peut tenir un stand de crêpes")
    await marie.say("/reponses")
    expected = marie.text()
    await marie.say("/annuler")
    await marie.say(typed)
    assert marie.text() == expected, marie.text()


async def test_a_coordinator_with_a_listing_asking_about_a_call_gets_its_answers(territory) -> None:
    app, _, people = territory
    marie, asso = people["marie"], people["asso"]
    await marie.onboard("Maison des associations", "Villeurbanne")
    await publish_need(marie, VAN["fr"])
    await send_call(app, marie)
    await asso.say("On peut tenir un stand de crêpes")
    await marie.say("/reponses")
    expected = marie.text()
    await marie.say("/annuler")
    await marie.say("des nouvelles de mon appel ?")
    assert marie.text() == expected, marie.text()
    await marie.say("/annuler")
    await marie.say("des nouvelles pour le camion ?")  # her own need: its state, as anyone's
    assert VAN["fr"][:25] in marie.text() and VISIBLE["fr"] in marie.text(), marie.text()
