"""/reponses tried by a coordinator without a structure profile (trial 36), after one call with written answers:

1. with one call, « Les réponses de quel appel ? 1. n°1 du 3 déc. 2026 — « Vos idées… » (2 réponses) » was asked:
   a question with one possible answer. The answers of the only call answered are shown at once; the choice stays
   when several calls have answers;
2. with no answer yet, the bot offered to open the call marked « (0 réponse) »: a question leading nowhere (then an
   empty CSV). It says plainly that nobody has answered yet, with how far the call was delivered (received, failed,
   still being sent, each count in its plural form), in the person's language, and asks nothing;
3. at « Les réponses de quel appel ? », « y a eu des réponses ? » or « des nouvelles de mon appel ? » was refused as
   « Votre message ressemble à une phrase libre » although it asks exactly what the question is about: it is taken as
   asking for it (the question again, with why); « menu » printed the coordinator's welcome and kept the question
   open: it leaves it and shows the commands.

Each failed before its fix.
"""

from __future__ import annotations

import re

import pytest

from tests.core.people import Person, deliver
from tests.core.test_coordination import broadcast, send_call, territory  # noqa: F401  (fixture)
from tests.core.test_small7_defects import _english

pytestmark = pytest.mark.backends

PICK = {"fr": "Les réponses de quel appel ?", "en": "Answers to which call?"}
FREE_SENTENCE = ("phrase libre", "free sentence", "reconnu", "recognise")
IDEAS = "Vos idées pour la fête des associations ?"
BAR = "Qui veut tenir la buvette de la fête ?"


async def _in(language: str, marie: Person) -> None:
    if language == "en":
        await _english(marie)


async def _second_call(app, marie: Person) -> None:  # type: ignore[no-untyped-def]
    await broadcast(marie, BAR, "Une réponse écrite")
    await marie.press("Envoyer")
    await deliver(app)


def _asked(person: Person) -> bool:
    return any(reply.prompt_id is not None for reply in person.last)


def _csv(person: Person) -> bool:
    return any(reply.attachment is not None for reply in person.last)


# ---------------------------------------------------------------- 1. one call: its answers at once


@pytest.mark.parametrize(
    ("language", "header"),
    [("fr", "Appel n°1 : 2 réponses."), ("en", "Call #1: 2 answers.")],
)
async def test_the_answers_of_the_only_call_are_shown_without_a_question(territory, language: str, header: str) -> None:
    app, _, people = territory
    marie = people["marie"]
    await send_call(app, marie)
    await people["asso"].say("On peut tenir un stand de crêpes")
    await people["boulangerie"].say("Nous offrons les croissants du matin")
    await _in(language, marie)
    await marie.say("/reponses" if language == "fr" else "/answers")
    said = marie.text()
    assert PICK[language] not in said and not _asked(marie), said
    assert header in said and "On peut tenir un stand de crêpes" in said and "Nous offrons les croissants du matin" in said, said
    assert _csv(marie), said


async def test_several_calls_answered_are_still_a_choice_and_one_nobody_answered_is_not_offered(territory) -> None:
    app, _, people = territory
    marie, asso = people["marie"], people["asso"]
    await send_call(app, marie)
    await asso.say("On peut tenir un stand de crêpes")
    await _second_call(app, marie)
    await marie.say("/reponses")  # the second call has no answer: the first one's answers, at once
    assert not _asked(marie) and "Appel n°1 : 1 réponse." in marie.text() and _csv(marie), marie.text()
    await asso.say("Nous, pour la buvette")
    await marie.say("/reponses")
    assert PICK["fr"] in marie.question.text, marie.text()
    labels = [choice.label for choice in marie.question.choices]
    assert len(labels) == 2 and labels[0].startswith("n°2 ") and labels[1].startswith("n°1 "), labels


# ---------------------------------------------------------------- 2. no answer yet: said plainly, with the delivery


NOBODY = {
    "fr": r"Personne n'a encore répondu à votre appel n°1 du [^(]+ \(« Vos idées pour la fête des associations… »\) : ",
    "en": r"Nobody has answered your call #1 of [^(]+ \(“Vos idées pour la fête des associations…”\) yet: ",
}


@pytest.mark.parametrize(
    ("language", "delivery"),
    [
        ("fr", "envoyé à 2 acteurs — 2 reçus."),
        ("en", "sent to 2 actors — 2 delivered."),
    ],
)
async def test_no_answer_yet_is_said_plainly_with_the_delivery(territory, language: str, delivery: str) -> None:
    app, _, people = territory
    marie = people["marie"]
    await send_call(app, marie)
    await _in(language, marie)
    await marie.say("/reponses" if language == "fr" else "/answers")
    said = marie.text()
    assert re.search(NOBODY[language] + re.escape(delivery), said), said
    assert not _asked(marie) and not _csv(marie), said
    assert "0 réponse" not in said and "0 answer" not in said and PICK[language] not in said, said
    await marie.say("/reponses 1" if language == "fr" else "/answers 1")  # the call named: the same, never an empty CSV
    assert re.search(NOBODY[language] + re.escape(delivery), marie.text()) and not _csv(marie), marie.text()


@pytest.mark.parametrize(
    ("language", "delivery"),
    [
        ("fr", "envoyé à 2 acteurs — 1 reçu, 1 injoignable."),
        ("en", "sent to 2 actors — 1 delivered, 1 unreachable."),
    ],
)
async def test_a_delivery_that_failed_is_counted_in_its_own_plural_form(territory, language: str, delivery: str) -> None:
    app, adapter, people = territory
    marie = people["marie"]
    adapter.blocked.add("boulangerie")
    await send_call(app, marie)
    await _in(language, marie)
    await marie.say("/reponses" if language == "fr" else "/answers")
    assert re.search(NOBODY[language] + re.escape(delivery), marie.text()), marie.text()


@pytest.mark.parametrize(
    ("language", "delivery"),
    [("fr", "envoyé à 2 acteurs — 0 reçu, 2 en cours d'envoi."), ("en", "sent to 2 actors — 0 delivered, 2 still being sent.")],
)
async def test_a_call_still_being_sent_says_so(territory, language: str, delivery: str) -> None:
    _, _, people = territory
    marie = people["marie"]
    await _in(language, marie)
    await marie.say("/diffuser" if language == "fr" else "/broadcast")
    for typed in ("ok", "ok", IDEAS):  # her only territory taken; every type, every theme
        await marie.say(typed)
    await marie.press("Une réponse écrite" if language == "fr" else "A written answer")
    await marie.press("Envoyer" if language == "fr" else "Send")  # not delivered yet: the tests run the outbox by hand
    await marie.say("/reponses" if language == "fr" else "/answers")
    assert re.search(NOBODY[language] + re.escape(delivery), marie.text()), marie.text()
    assert not _asked(marie), marie.text()


async def test_several_calls_nobody_answered_are_each_said_and_nothing_asked(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    await send_call(app, marie)
    await _second_call(app, marie)
    await marie.say("/reponses")
    said = marie.text()
    assert not _asked(marie) and not _csv(marie), said
    assert "Personne n'a encore répondu à votre appel n°2 du " in said and "Personne n'a encore répondu à votre appel n°1 du " in said, said
    assert said.count("envoyé à 2 acteurs — 2 reçus.") == 2, said


# ---------------------------------------------------------------- 3. at the question: asking for it, and « menu »


async def _two_answered(app, people) -> Person:  # type: ignore[no-untyped-def]
    marie, asso = people["marie"], people["asso"]
    await send_call(app, marie)
    await asso.say("On peut tenir un stand de crêpes")
    await _second_call(app, marie)
    await asso.say("Nous, pour la buvette")
    return marie


@pytest.mark.parametrize(
    ("language", "typed", "why"),
    [
        ("fr", "y a eu des réponses ?", "Plusieurs de vos appels ont reçu des réponses"),
        ("fr", "des nouvelles de mon appel ?", "Plusieurs de vos appels ont reçu des réponses"),
        ("fr", "est-ce que des gens ont répondu ?", "Plusieurs de vos appels ont reçu des réponses"),
        ("en", "any replies to my call?", "Several of your calls have answers"),
    ],
)
async def test_asking_for_answers_at_the_question_asks_it_again_kindly(territory, language: str, typed: str, why: str) -> None:
    app, _, people = territory
    marie = await _two_answered(app, people)
    await _in(language, marie)
    await marie.say("/reponses" if language == "fr" else "/answers")
    assert PICK[language] in marie.question.text, marie.text()
    await marie.say(typed)
    said = marie.text()
    assert not any(words in said for words in FREE_SENTENCE), said
    assert why in said and PICK[language] in marie.question.text and len(marie.question.choices) == 2, said
    await marie.say("1")  # the question asked again answers as usual
    assert ("Appel n°2 : 1 réponse." if language == "fr" else "Call #2: 1 answer.") in marie.text() and _csv(marie), marie.text()


@pytest.mark.parametrize(
    ("language", "typed", "commands"),
    [
        ("fr", "menu", "Voici vos commandes"),
        ("fr", "/menu", "Voici vos commandes"),
        ("en", "menu", "Here are your commands"),
    ],
)
async def test_menu_at_the_question_leaves_it_and_shows_the_commands(territory, language: str, typed: str, commands: str) -> None:
    app, _, people = territory
    marie = await _two_answered(app, people)
    await _in(language, marie)
    await marie.say("/reponses" if language == "fr" else "/answers")
    await marie.say(typed)
    said = marie.text()
    assert commands in said and ("/diffuser" in said or "/broadcast" in said), said
    assert "Bonjour" not in said and "Hello" not in said and PICK[language] not in said and not _asked(marie), said
    await marie.say("1")  # the question was left: « 1 » opens no call
    assert not _csv(marie) and "n°2" not in marie.text() and "#2" not in marie.text(), marie.text()
