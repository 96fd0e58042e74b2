"""Answers to a waiting question read wrong by people playing new users (stop30):

1. a need or an offer said with the answer (« Cela nous intéresse beaucoup. Nous pourrions par ailleurs mettre
   une salle municipale à leur disposition. », "please connect us! btw we can also lend our meeting room", a
   call's written answer « … et on cherche aussi des barnums ») was lost: the answer is taken and it is kept as
   a draft, said once;
2. a yes or a no at an introduction request, a call asking for a written answer waiting behind it, was refused
   (« Votre message ressemble à une réponse écrite… »): the question on screen is answered first;
3. « oui mais pas tout de suite, plutôt en janvier » explained the buttons instead of being « Plus tard »; "let
   me …" was always a later (« laissez-moi leur écrire », "let me know who they are");
4. « c'est qui ? », "who are they?" showed the other side's card twice.
"""

from __future__ import annotations

import pytest

from conversations.understanding import asks_about_them, defers, wish_after_yes, wish_besides
from tests.core.people import Person, deliver
from tests.core.test_coordination import broadcast, rows, territory  # noqa: F401  (fixtures)
from tests.core.test_groups import clock  # noqa: F401  (fixture)
from tests.core.test_keep5_defects import _suggested, _to_english
from tests.core.test_reply9_answers import _introduction_to_bob
from tests.core.test_suggestions import count, last_decision, press_decision, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends

CALL = "Qui peut tenir un stand au forum des associations samedi ?"


# ---------------------------------------------------------------- 1. what is said besides the answer

BESIDES_A_YES = [
    (
        "Cela nous intéresse beaucoup. Nous pourrions par ailleurs mettre une salle municipale à leur disposition.",
        "salle municipale",
    ),
    ("please connect us! btw we can also lend our meeting room", "meeting room"),
    ("sounds great, we could also offer our van on Sundays", "van on Sundays"),
    ("Avec plaisir ! On a aussi une camionnette à prêter le week-end", "camionnette"),
    ("Oui merci, nous pouvons également leur fournir des cartons de déménagement", "cartons"),
    ("We would be interested. We could also host their volunteers in our premises.", "host their volunteers"),
    ("oui, et on cherche aussi des tables", "tables"),
    ("yes we also need a van", "van"),
]
NOTHING_BESIDES = [
    "oui avec plaisir, on peut les voir mardi ou jeudi",
    "Oui ! On sera là avec nos bénévoles",
    "Très intéressant, mettez-nous en relation",
    "Yes! We'd be glad to meet them next week",
    "oui mais on cherche un camion",  # a yes taken back: no yes to keep anything beside
]


@pytest.mark.parametrize(("typed", "word"), BESIDES_A_YES)
def test_a_need_or_an_offer_said_besides_a_yes_is_read(typed: str, word: str) -> None:
    wish = wish_after_yes(typed)
    assert wish is not None and word in wish, wish
    assert not typed.startswith(wish[:12]), wish  # never the answer's own first words


@pytest.mark.parametrize("typed", NOTHING_BESIDES)
def test_nothing_besides_a_plain_yes(typed: str) -> None:
    assert wish_after_yes(typed) is None


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("Oui on sera là avec deux bénévoles, et on cherche aussi des barnums", "barnums"),
        ("On peut tenir la buvette. Par ailleurs nous cherchons des tables pliantes pour notre fête", "tables pliantes"),
        ("We'll bring two volunteers. By the way, we also need a van for our own event", "van"),
    ],
)
def test_a_call_answer_keeps_only_what_is_said_besides(typed: str, word: str) -> None:
    wish = wish_besides(typed, aside=True)
    assert wish is not None and word in wish, wish


@pytest.mark.parametrize(
    "typed",
    [
        "désolé on travaille le samedi matin, mais je peux offrir les croissants",  # the answer itself: an offer to the call
        "on cherche deux tables et des chaises pour le forum",
        "Un stand de soupe, et on peut prêter deux tables",
        "maybe later, I need to check with my manager first",
    ],
)
def test_a_call_answer_offering_or_asking_by_itself_keeps_nothing_besides(typed: str) -> None:
    assert wish_besides(typed, aside=True) is None


INTRODUCTION_WITH_MORE = [
    (
        False,
        "Cela nous intéresse beaucoup. Nous pourrions par ailleurs mettre une salle municipale à leur disposition.",
        "salle municipale",
        "offre",
    ),
    (False, "Oui avec plaisir ! Par ailleurs on peut leur prêter notre salle de réunion le samedi", "salle de réunion", "offre"),
    (True, "We'd be interested in talking to them. We could also lend them our van on Sundays", "van", "offer"),
    (True, "Yes please, and btw we are looking for volunteers for our food drive", "volunteers", "need"),
]


@pytest.mark.parametrize(("english", "typed", "word", "command"), INTRODUCTION_WITH_MORE)
async def test_a_yes_with_an_offer_at_an_introduction_takes_both(two_sides, english: bool, typed: str, word: str, command: str) -> None:
    app, alice, bob = two_sides
    await _introduction_to_bob(app, alice, bob, english)
    await bob.say(typed)
    said = bob.text()
    assert count(app, "SELECT COUNT(*) FROM introductions WHERE status = 'accepted'") == 1, said
    assert word in said and ("draft" in said if english else "brouillon" in said), said
    assert said.count(word) == 1, said  # said once
    await bob.say(f"/{command}")
    assert word in bob.text(), bob.text()


@pytest.mark.parametrize(
    ("english", "typed", "word", "command"),
    [
        (True, "please connect us! btw we can also lend our meeting room", "meeting room", "offer"),
        (True, "sounds great, we could also offer our van on Sundays", "van", "offer"),
        (False, "Mettez-nous en relation ! On peut aussi prêter notre salle de réunion le soir", "salle de réunion", "offre"),
        (False, "Ça nous intéresse, et nous recherchons également des bénévoles pour la collecte", "bénévoles", "besoin"),
    ],
)
async def test_a_yes_with_an_offer_at_a_suggestion_takes_both(two_sides, english: bool, typed: str, word: str, command: str) -> None:
    app, alice, _ = two_sides
    await _suggested(app, alice, english)
    await alice.say(typed)
    said = alice.text()
    assert count(app, "SELECT COUNT(*) FROM introductions") == 1, said
    assert word in said and ("draft" in said if english else "brouillon" in said), said
    await alice.say(f"/{command}")
    assert word in alice.text(), alice.text()


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "peut-être plus tard, mais on cherche aussi des tables pour samedi"),
        (True, "maybe later, but we also need tables for Saturday"),
    ],
)
async def test_a_later_with_a_need_keeps_both(two_sides, english: bool, typed: str) -> None:
    app, alice, bob = two_sides
    await _introduction_to_bob(app, alice, bob, english)
    await bob.say(typed)
    said = bob.text()
    assert count(app, "SELECT COUNT(*) FROM introductions WHERE status = 'asked'") == 1, said
    assert ("waiting" in said) if english else ("en attente" in said), said
    assert "tables" in said and ("draft" in said if english else "brouillon" in said), said


CALL_WITH_MORE = [
    (False, "Oui on sera là avec deux bénévoles, et on cherche aussi des barnums", "barnums", "besoin"),
    (False, "On peut tenir la buvette. Par ailleurs nous cherchons des tables pliantes pour notre fête", "tables pliantes", "besoin"),
    (True, "We'll bring two volunteers. By the way, we also need a van for our own event", "van", "need"),
]


async def _text_call(app, people, english: bool) -> Person:  # type: ignore[no-untyped-def]
    asso = people["asso"]
    if english:
        await _to_english(asso)
    await broadcast(people["marie"], CALL, "Une réponse écrite")
    await people["marie"].press("Envoyer")
    await deliver(app)
    return asso


@pytest.mark.parametrize(("english", "typed", "word", "command"), CALL_WITH_MORE)
async def test_a_call_answer_with_a_need_sends_the_answer_and_keeps_the_need(
    territory, english: bool, typed: str, word: str, command: str
) -> None:
    app, _, people = territory
    asso = await _text_call(app, people, english)
    await asso.say(typed)
    said = asso.text()
    # the whole answer goes to the coordinator, as written: they asked, and may help with the need too
    assert rows(app, "SELECT answer FROM broadcast_answers") == [(typed,)], said
    assert word in said and ("draft" in said if english else "brouillon" in said), said
    await asso.say(f"/{command}")
    assert word in asso.text(), asso.text()


@pytest.mark.parametrize(("english", "typed", "word", "command"), CALL_WITH_MORE[:2])
async def test_a_call_answer_with_a_need_typed_at_the_menu_takes_both_without_asking(
    territory, english: bool, typed: str, word: str, command: str
) -> None:
    app, _, people = territory
    asso = people["asso"]
    await asso.say("/annonces")  # busy elsewhere when the call arrives
    await _text_call(app, people, english)
    await asso.say("menu")
    await asso.say(typed)
    said = asso.text()
    assert "Tapez 1" not in said, said
    assert rows(app, "SELECT answer FROM broadcast_answers") == [(typed,)], said
    assert word in said and "brouillon" in said, said


# ---------------------------------------------------------------- 2. the question on screen first


async def _request_with_a_call_behind(app, adapter, people, english: bool) -> Person:  # type: ignore[no-untyped-def]
    """The round suggests the bakery and the association to each other; the bakery asks, the association puts
    her own suggestion aside: the request is on screen; then a call asking for a written answer arrives."""
    asso, bakery = people["asso"], people["boulangerie"]
    if english:
        await _to_english(asso)
    await app.suggestion_round(force=True)
    await deliver(app)
    await press_decision(bakery, last_decision(adapter, "boulangerie"), "Me présenter")
    await deliver(app)
    held = last_decision(adapter, "asso")
    await press_decision(asso, held, "Later" if english else "Plus tard")
    await deliver(app)
    assert str(last_decision(adapter, "asso").prompt_id).startswith("I")
    await broadcast(people["marie"], CALL, "Une réponse écrite")
    await people["marie"].press("Envoyer")
    await deliver(app)
    assert str(last_decision(adapter, "asso").prompt_id).startswith("I")  # the call waits behind
    return asso


ANSWERS_ON_SCREEN = [
    (False, "Oui avec plaisir, mettez-nous en relation", "accepted"),
    (False, "Cela nous intéresse beaucoup, merci de nous mettre en contact", "accepted"),
    (False, "non merci, pas pour nous cette fois", "declined"),
    (True, "Yes, we would be delighted to talk to them", "accepted"),
    (True, "no thanks, not for us this time", "declined"),
]


@pytest.mark.parametrize(("english", "typed", "status"), ANSWERS_ON_SCREEN)
async def test_a_yes_or_no_at_a_request_with_a_call_behind_answers_the_request(territory, english: bool, typed: str, status: str) -> None:
    app, adapter, people = territory
    asso = await _request_with_a_call_behind(app, adapter, people, english)
    await asso.say(typed)
    said = asso.text()
    assert rows(app, "SELECT status FROM introductions") == [(status,)], said
    assert rows(app, "SELECT COUNT(*) FROM broadcast_answers") == [(0,)], said
    assert str(asso.question.prompt_id).startswith("B"), said  # the call comes after
    await asso.say("On tiendra un stand de soupe")
    assert rows(app, "SELECT answer FROM broadcast_answers") == [("On tiendra un stand de soupe",)], asso.text()


async def test_a_sentence_about_the_call_at_the_request_is_still_asked_about(territory) -> None:
    app, adapter, people = territory
    asso = await _request_with_a_call_behind(app, adapter, people, False)
    await asso.say("Oui on peut tenir un stand avec nos légumes du jardin !")
    said = asso.text()
    assert "Un autre message attend aussi votre réponse" in said, said
    assert rows(app, "SELECT status FROM introductions") == [("asked",)], said


# ---------------------------------------------------------------- 3. a later, and what "let me …" means

LATER = [
    (True, "yes but not right now, maybe in january"),
    (False, "oui mais pas tout de suite, plutôt en janvier"),
    (False, "ça nous intéresse, mais pas avant la rentrée"),
    (True, "sounds good but next month"),
    (False, "laissez-moi réfléchir"),
    (True, "let me think about it"),
    (False, "laisse-moi y réfléchir un peu"),
]
NO_LATER = [
    "let me know who they are",
    "laissez-moi leur écrire",
    "let me write to them first",
    "oui, on a un événement en janvier",
    "on cherche des tables pour la fête en juin",
]


@pytest.mark.parametrize(("english", "typed"), LATER)
def test_a_later_is_read(english: bool, typed: str) -> None:
    assert defers(typed)


@pytest.mark.parametrize("typed", NO_LATER)
def test_let_me_alone_is_no_later(typed: str) -> None:
    assert not defers(typed)


@pytest.mark.parametrize(("english", "typed"), LATER)
async def test_a_later_at_a_suggestion_is_its_later(two_sides, english: bool, typed: str) -> None:
    app, alice, _ = two_sides
    token = await _suggested(app, alice, english)
    await alice.say(typed)
    said = alice.text()
    assert count(app, "SELECT COUNT(*) FROM suggestions WHERE status = 'later'") == 1, said
    assert count(app, "SELECT COUNT(*) FROM introductions") == 0, said
    assert alice.question.prompt_id != token, said


@pytest.mark.parametrize(
    ("english", "typed"), [(True, "yes but not right now, maybe in january"), (False, "oui mais pas tout de suite, plutôt en janvier")]
)
async def test_a_later_at_an_introduction_keeps_it_waiting(two_sides, english: bool, typed: str) -> None:
    app, alice, bob = two_sides
    await _introduction_to_bob(app, alice, bob, english)
    await bob.say(typed)
    said = bob.text()
    assert ("waiting" in said) if english else ("en attente" in said), said
    assert count(app, "SELECT COUNT(*) FROM introductions WHERE status = 'asked'") == 1, said


@pytest.mark.parametrize(("english", "typed"), [(True, "let me know who they are"), (False, "laissez-moi leur écrire")])
async def test_let_me_at_a_suggestion_is_no_later(two_sides, english: bool, typed: str) -> None:
    app, alice, _ = two_sides
    token = await _suggested(app, alice, english)
    await alice.say(typed)
    said = alice.text()
    assert count(app, "SELECT COUNT(*) FROM suggestions WHERE status = 'later'") == 0, said
    assert alice.question.prompt_id == token, said  # asked again


# ---------------------------------------------------------------- 4. what is known of them, once

ABOUT_THEM = [
    (False, "c'est qui ?"),
    (False, "dites-moi qui c'est"),
    (False, "qu'est-ce qu'ils cherchent exactement ?"),
    (True, "who are they?"),
    (True, "let me know who they are"),
    (True, "who is it?"),
]


@pytest.mark.parametrize(("english", "typed"), ABOUT_THEM)
def test_a_question_about_them_is_read(english: bool, typed: str) -> None:
    assert asks_about_them(typed)


@pytest.mark.parametrize(("english", "typed"), ABOUT_THEM)
async def test_a_question_about_them_at_a_request_shows_their_card_once(two_sides, english: bool, typed: str) -> None:
    app, alice, bob = two_sides
    token = await _introduction_to_bob(app, alice, bob, english)
    await bob.say(typed)
    said = bob.text()
    assert said.count("comptabilité de fin d'année") == 1, said
    assert "compris" not in said and "understand" not in said, said  # answered, not refused
    assert bob.question.prompt_id == token, said
    assert count(app, "SELECT COUNT(*) FROM introductions WHERE status = 'asked'") == 1, said


@pytest.mark.parametrize(("english", "typed"), [(True, "who are they?"), (False, "c'est qui ?")])
async def test_a_question_about_them_at_a_suggestion_shows_what_is_known_once(two_sides, english: bool, typed: str) -> None:
    app, alice, _ = two_sides
    token = await _suggested(app, alice, english)
    await alice.say(typed)
    said = alice.text()
    assert said.count("mécénat de compétences en comptabilité") == 1, said
    assert alice.question.prompt_id == token, said


# ---------------------------------------------------------------- 3 and 4 typed at the menu, the question waiting


@pytest.mark.parametrize(("english", "typed"), [(True, "yes but not right now, maybe in january"), (False, "laissez-moi réfléchir")])
async def test_a_later_typed_at_the_menu_is_the_waiting_suggestions_later(two_sides, english: bool, typed: str) -> None:
    app, alice, _ = two_sides
    await _suggested(app, alice, english)
    await alice.say("menu")
    await alice.say(typed)
    said = alice.text()
    assert count(app, "SELECT COUNT(*) FROM suggestions WHERE status = 'later'") == 1, said
    assert "understand" not in said and "compris" not in said, said


@pytest.mark.parametrize(("english", "typed"), [(False, "c'est qui ?"), (True, "who are they?")])
async def test_a_question_about_them_typed_at_the_menu_shows_the_waiting_request(two_sides, english: bool, typed: str) -> None:
    app, alice, bob = two_sides
    token = await _introduction_to_bob(app, alice, bob, english)
    await bob.say("menu")
    await bob.say(typed)
    said = bob.text()
    assert said.count("comptabilité de fin d'année") == 1, said
    assert bob.question.prompt_id == token, said


@pytest.mark.parametrize(
    ("english", "typed", "word"),
    [
        (False, "Oui, on sera là ! Par ailleurs on cherche aussi des barnums pour notre fête", "barnums"),
        (True, "Yes we'll be there! btw we also need a van for our own event", "van"),
    ],
)
async def test_a_yes_to_an_interested_call_with_a_need_takes_both(territory, english: bool, typed: str, word: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _to_english(asso)
    await broadcast(people["marie"], "Qui participe au forum des associations ?", "Un bouton « Intéressé·e »")
    await people["marie"].press("Envoyer")
    await deliver(app)
    await asso.say(typed)
    said = asso.text()
    assert rows(app, "SELECT COUNT(*) FROM broadcast_answers") == [(1,)], said
    assert word in said and ("draft" in said if english else "brouillon" in said), said
