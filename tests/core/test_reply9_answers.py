"""Answers to a waiting question read wrong by people trying the product (reply9): « peut-être plus tard,
je dois voir avec mon bureau », "not right now sorry", "what do they need exactly?" at an introduction
request or a group invitation were filed as need drafts or refused; « Cela nous intéresse beaucoup »,
"We'd be interested in talking to them" at a suggestion were no yes; « oui, et on cherche aussi des
tables » took the yes and lost the need. Each test failed before its fix."""

from __future__ import annotations

import pytest

from conversations.engine import Option, parse_choice
from conversations.understanding import asks_about_them, defers, not_now
from tests.core.people import Person, deliver
from tests.core.test_groups import clock, invitation, make_group, rows, territory  # noqa: F401  (fixtures)
from tests.core.test_keep5_defects import _suggested, _to_english
from tests.core.test_suggestions import count, last_decision, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends


async def _introduction_to_bob(app, alice: Person, bob: Person, english: bool) -> str:
    """Alice asks to be introduced to Cabinet Martin: the token of the request bob is shown."""
    if english:
        await _to_english(bob)
    await _suggested(app, alice)
    await alice.say("Me présenter")
    await deliver(app)
    held = last_decision(bob.adapter, "bob")  # the round suggested Les Restos to bob too: later
    assert held.prompt_id and held.prompt_id.startswith("S"), held.text
    await bob.send(bob.incoming(choice="later", prompt_id=held.prompt_id))
    await deliver(app)
    asked = last_decision(bob.adapter, "bob")
    assert asked.prompt_id and asked.prompt_id.startswith("I"), bob.text()
    return str(asked.prompt_id)


# ---------------------------------------------------------------- 1. later, no in words, a question about them

LATER_AT_INTRODUCTION = [
    (False, "peut-être plus tard, je dois voir avec mon bureau"),
    (False, "je dois en parler à ma directrice d'abord"),
    (False, "laissez-moi vérifier avec l'équipe"),
    (True, "maybe later, I need to check with my manager first"),
    (True, "let me check with the team"),
]


@pytest.mark.parametrize(("english", "typed"), LATER_AT_INTRODUCTION)
async def test_a_later_at_an_introduction_keeps_it_waiting_and_says_so(two_sides, english: bool, typed: str) -> None:
    app, alice, bob = two_sides
    token = await _introduction_to_bob(app, alice, bob, english)
    await bob.say(typed)
    said = bob.text()
    assert "draft" not in said and "brouillon" not in said, said
    assert ("waiting" in said) if english else ("en attente" in said), said
    assert count(app, "SELECT COUNT(*) FROM introductions WHERE status = 'asked'") == 1, said
    assert bob.question.prompt_id != token or "?" in said  # never refused as no answer


NO_IN_WORDS = [
    (False, "pas pour le moment"),
    (False, "non merci pas cette fois"),
    (False, "pas maintenant désolé"),
    (True, "not right now sorry"),
    (True, "not at the moment, thanks"),
]


@pytest.mark.parametrize(("english", "typed"), NO_IN_WORDS)
async def test_a_no_in_words_at_an_introduction_refuses_it(two_sides, english: bool, typed: str) -> None:
    app, alice, bob = two_sides
    await _introduction_to_bob(app, alice, bob, english)
    await bob.say(typed)
    said = bob.text()
    assert "understand" not in said and "compris" not in said, said
    assert count(app, "SELECT COUNT(*) FROM introductions WHERE status = 'asked'") == 0, said


@pytest.mark.parametrize(("english", "typed"), [(False, "pas pour le moment"), (True, "not right now sorry"), (True, "maybe later")])
async def test_a_not_now_at_a_suggestion_is_its_later(two_sides, english: bool, typed: str) -> None:
    app, alice, _ = two_sides
    token = await _suggested(app, alice, english)
    await alice.say(typed)
    said = alice.text()
    assert count(app, "SELECT COUNT(*) FROM suggestions WHERE status = 'declined'") == 0, said
    assert "draft" not in said and "brouillon" not in said, said
    assert alice.question.prompt_id != token, said  # answered: Later


QUESTIONS_ABOUT_THEM = [
    (False, "qu'est-ce qu'ils cherchent exactement ?"),
    (False, "hmm ils ont besoin de combien de bénévoles ?"),
    (False, "c'est qui exactement cette asso ?"),
    (True, "hmm what do they need exactly? how many volunteers?"),
    (True, "who are they exactly?"),
]


@pytest.mark.parametrize(("english", "typed"), QUESTIONS_ABOUT_THEM)
async def test_a_question_about_them_is_answered_with_what_is_known(two_sides, english: bool, typed: str) -> None:
    app, alice, bob = two_sides
    token = await _introduction_to_bob(app, alice, bob, english)
    await bob.say(typed)
    said = bob.text()
    assert "draft" not in said and "brouillon" not in said, said
    assert "comptabilité" in said, said  # their listing, quoted
    assert bob.question.prompt_id == token, said  # and the question again
    assert count(app, "SELECT COUNT(*) FROM introductions WHERE status = 'asked'") == 1


@pytest.mark.parametrize(
    "typed",
    [
        "peut-être qu'on pourrait leur prêter des tables le samedi",
        "ça veut dire quoi, plus tard ?",
        "on cherche un camion pour samedi",
        "Oui ! On sera là avec nos bénévoles",
        "we could maybe lend them our van on Sundays",
    ],
)
def test_an_offer_a_question_or_a_yes_is_no_later(typed: str) -> None:
    assert not defers(typed) and not not_now(typed)


@pytest.mark.parametrize("typed", ["on cherche un camion, vous en avez ?", "c'est quoi me présenter ?", "what does later mean?"])
def test_a_question_about_the_buttons_or_ones_own_need_is_not_about_them(typed: str) -> None:
    assert not asks_about_them(typed)


async def test_a_need_of_ones_own_at_an_introduction_is_still_a_draft(two_sides) -> None:
    app, alice, bob = two_sides
    token = await _introduction_to_bob(app, alice, bob, False)
    await bob.say("on cherche un camion pour samedi")
    said = bob.text()
    assert "brouillon" in said and "camion" in said, said
    assert bob.question.prompt_id == token


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "peut-être plus tard, je dois voir avec mon responsable"),
        (True, "maybe later, I need to check with my manager first"),
        (False, "pas pour le moment"),
        (True, "not right now sorry"),
    ],
)
async def test_a_later_or_no_at_a_group_invitation_is_no_draft(territory, english: bool, typed: str) -> None:
    app, (console, _, _), people = territory
    asso = people["asso"]
    if english:
        await _to_english(asso)
    await make_group(people["marie"], "tonkin, gratte", "Ceinture alimentaire", None)
    await people["marie"].press("Envoyer les invitations")
    await deliver(app)
    invitation(console, "asso")
    await asso.say(typed)
    said = asso.text()
    assert "draft" not in said and "brouillon" not in said, said
    assert "understand" not in said and "compris" not in said, said


# ---------------------------------------------------------------- 2. interest is the yes

SUGGESTION = [Option("present", label="Me présenter"), Option("decline", label="Pas intéressé"), Option("later", label="Plus tard")]
INTEREST = [
    "Nous serions effectivement intéressés par un échange avec cette épicerie solidaire.",
    "Cela nous intéresse beaucoup",
    "ça nous intéresse !",
    "Très intéressant, mettez-nous en relation",
    "We'd be interested in talking to them",
    "sounds great, please connect us",
    "We are very interested",
]
NOT_INTEREST = [
    "Pas intéressé",
    "ça ne nous intéresse pas",
    "Nous serions intéressés si c'était gratuit",
    "not interested, thanks",
    "we would be interested but not this year",
    "is it interesting for us?",
]


@pytest.mark.parametrize("typed", INTEREST)
def test_interest_is_the_yes(typed: str) -> None:
    assert parse_choice(typed, SUGGESTION, "fr").value == "present"


@pytest.mark.parametrize("typed", NOT_INTEREST)
def test_interest_denied_or_conditional_is_no_yes(typed: str) -> None:
    try:
        chosen = parse_choice(typed, SUGGESTION, "fr").value
    except Exception:  # noqa: BLE001  (asked again)
        chosen = None
    assert chosen != "present"


@pytest.mark.parametrize(
    ("english", "typed"),
    [(False, "Cela nous intéresse beaucoup"), (True, "We'd be interested in talking to them"), (True, "sounds great, please connect us")],
)
async def test_interest_at_a_suggestion_asks_the_introduction(two_sides, english: bool, typed: str) -> None:
    app, alice, _ = two_sides
    await _suggested(app, alice, english)
    await alice.say(typed)
    assert count(app, "SELECT COUNT(*) FROM introductions") == 1, alice.text()


# ---------------------------------------------------------------- 3. a yes then a need


@pytest.mark.parametrize(
    ("english", "typed", "word", "command"),
    [
        (False, "oui, et on cherche aussi des tables", "tables", "besoin"),
        (False, "Oui ! Par ailleurs on a besoin d'un camion pour samedi", "camion", "besoin"),
        (True, "yes! and we also need a van", "van", "need"),
        (True, "sure, we're also looking for volunteers for Saturday", "volunteers", "need"),
    ],
)
async def test_a_yes_then_a_need_keeps_the_draft(two_sides, english: bool, typed: str, word: str, command: str) -> None:
    app, alice, _ = two_sides
    await _suggested(app, alice, english)
    await alice.say(typed)
    said = alice.text()
    assert count(app, "SELECT COUNT(*) FROM introductions") == 1, said
    assert word in said and ("draft" in said if english else "brouillon" in said), said
    await alice.say(f"/{command}")
    assert word in alice.text(), alice.text()


async def test_a_long_yes_without_a_need_keeps_no_draft(two_sides) -> None:
    app, alice, _ = two_sides
    await _suggested(app, alice)
    await alice.say("oui avec plaisir, on peut les voir mardi ou jeudi")
    said = alice.text()
    assert count(app, "SELECT COUNT(*) FROM introductions") == 1 and "brouillon" not in said, said


# ---------------------------------------------------------------- 4. the same yes where the old rule read it


@pytest.mark.parametrize(
    ("english", "typed", "accepted"),
    [
        (False, "Cela nous intéresse beaucoup", True),
        (True, "We'd be interested in talking to them", True),
        (False, "oui, mais pas ce mois-ci", False),
        (True, "yes, but not this month", False),
    ],
)
async def test_a_yes_typed_at_the_menu_to_a_waiting_request_reads_as_at_the_request(
    two_sides, english: bool, typed: str, accepted: bool
) -> None:
    app, alice, bob = two_sides
    await _introduction_to_bob(app, alice, bob, english)
    await bob.say("menu")
    assert count(app, "SELECT COUNT(*) FROM introductions WHERE status = 'asked'") == 1
    await bob.say(typed)
    said = bob.text()
    assert count(app, "SELECT COUNT(*) FROM introductions WHERE status = 'accepted'") == int(accepted), said


@pytest.mark.parametrize(("english", "typed"), [(False, "Oui ! On s'y remet tout de suite"), (True, "Yes! Let's finish it now")])
async def test_a_long_yes_takes_up_the_draft_the_menu_names(two_sides, english: bool, typed: str) -> None:
    app, alice, _ = two_sides
    await _suggested(app, alice, english)
    await alice.say("no, but we're looking for tables" if english else "non mais on cherche aussi des tables")
    assert ("draft" if english else "brouillon") in alice.text()
    await alice.say(typed)
    said = alice.text()
    assert "tables" in said and alice.question.choices, said  # the draft taken up: its next question


# ---------------------------------------------------------------- 5. a draft thrown away


@pytest.mark.parametrize(
    ("english", "label", "command"), [(False, "Supprimer ce brouillon", "besoin"), (True, "Delete this draft", "need")]
)
async def test_a_draft_kept_by_mistake_can_be_deleted(two_sides, english: bool, label: str, command: str) -> None:
    app, alice, _ = two_sides
    await _suggested(app, alice, english)
    await alice.say("no, but we're looking for tables" if english else "non mais on cherche aussi des tables")
    await alice.say(f"/{command}")
    assert label in [choice.label for choice in alice.question.choices], alice.text()
    await alice.press(label)
    said = alice.text()
    assert "🗑" in said and "tables" in said, said
    await alice.say("/annonces")
    assert "tables" not in alice.text(), alice.text()
    await alice.say(f"/{command}")
    assert label not in [choice.label for choice in alice.question.choices], alice.text()  # no draft offered back
    assert "tables" not in alice.text(), alice.text()


@pytest.mark.parametrize(
    ("language", "name", "typed", "next_word"),
    [
        ("fr", "Les Amis du Quartier", "Oui ! c'est bien là qu'on est", "thèmes"),
        ("fr", "Les Amis du Quartier", "Oui, tout à fait, on est basés là-bas", "thèmes"),
        ("en", "Friends of the Neighbourhood", "Yes! that's where we are", "themes"),
    ],
)
async def test_a_long_yes_confirms_the_commune_proposed(app, person, language: str, name: str, typed: str, next_word: str) -> None:
    someone: Person = person("someone", language)
    await someone.say("/start")
    await someone.say("Villeurbanne")
    await someone.say("1")
    await someone.say(name)
    assert "Villeurbanne (69)" in someone.question.text, someone.text()
    await someone.say(typed)
    assert next_word in someone.question.text, someone.text()


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "peut-être, je dois voir avec mon bureau"),
        (True, "maybe later, I need to check with my manager first"),
        (True, "not right now sorry"),
    ],
)
async def test_a_later_at_a_call_keeps_it_waiting(territory, english: bool, typed: str) -> None:
    from tests.core.test_coordination import broadcast

    app, _, people = territory
    asso = people["asso"]
    if english:
        await _to_english(asso)
    await broadcast(people["marie"], "Qui participe au forum des associations ?", "Un bouton « Intéressé·e »")
    await people["marie"].press("Envoyer")
    await deliver(app)
    await asso.say(typed)
    said = asso.text()
    assert "draft" not in said and "brouillon" not in said, said
    assert ("waiting" in said) if english else ("en attente" in said), said
    assert rows(app, "SELECT COUNT(*) FROM broadcast_answers") == [(0,)], said
