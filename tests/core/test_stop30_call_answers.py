"""A coordinator's call answered by its one button, « Intéressé·e », read wrong by a person playing a new user
(stop30):

1. a no (« non merci », "nah not for us sorry", « pas cette fois ») was refused (« Je n'ai pas reconnu ce choix »),
   the call could never be declined and the questions queued behind it were never reached: the no is stored as
   « Pas intéressé·e » (the coordinator reads it in /reponses and the CSV, the person is not asked again, never
   put in a group formed from the call) and the next question comes; a doubt (« bof je sais pas », "skip") leaves
   the call waiting, said so; a question for the coordinator is told the bot does not pass questions on;
2. the words said with the yes (« oui on viendra à 2 🌻 ») were lost: only « Intéressé·e » was stored.
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.core.people import Person, deliver
from tests.core.test_coordination import broadcast, rows, territory  # noqa: F401  (fixture)
from tests.core.test_keep5_defects import _to_english

pytestmark = pytest.mark.backends

FIRST = "Qui participe au forum des associations ?"
SECOND = "Qui veut tenir la buvette de la fête ?"


async def _two_calls(app, people, english: bool) -> Person:
    """Two calls with an « Intéressé·e » button waiting for the association (📌 1/2 then 2/2)."""
    asso = people["asso"]
    if english:
        await _to_english(asso)
    for message in (FIRST, SECOND):
        await broadcast(people["marie"], message, "Un bouton « Intéressé·e »")
        await people["marie"].press("Envoyer")
    await deliver(app)
    shown = asso.adapter.replies_to("asso")[-1]
    assert FIRST in shown.text, shown.text  # the first call, delivered as the current question
    return asso


async def _answers_read(marie: Person, call: int | None) -> tuple[str, list[list[str]]]:
    """The answers of the ``call``-th call of those with answers; None: the only call answered, shown at once (stop 36)."""
    await marie.say("/reponses")
    if call is None:
        assert not any(r.prompt_id for r in marie.last), marie.text()
    else:
        await marie.press(marie.question.choices[call].label)
    document = next(r.attachment for r in marie.last if r.attachment)
    table = list(csv.reader(io.StringIO(document.data.decode("utf-8-sig")), delimiter=";"))
    return "\n".join(r.text for r in marie.last), table


DECLINES = [
    (False, "non"),
    (False, "non merci"),
    (False, "Non merci, pas pour nous cette fois"),
    (False, "pas intéressés, désolés"),
    (False, "bof non, ce n'est pas notre truc"),
    (False, "pas cette fois"),
    (True, "no"),
    (True, "no thanks"),
    (True, "nah not for us sorry"),
    (True, "not interested"),
    (True, "nope, we can't make it"),
    (True, "not this time"),
]


@pytest.mark.parametrize(("english", "typed"), DECLINES)
async def test_a_no_at_an_interested_call_declines_it_and_the_next_question_comes(territory, english: bool, typed: str) -> None:
    app, _, people = territory
    asso = await _two_calls(app, people, english)
    await asso.say(typed)
    said = asso.text()
    assert "reconnu" not in said and "recognise" not in said, said
    assert ("not interested" in said) if english else ("pas intéressé·e" in said), said
    assert rows(app, "SELECT answer FROM broadcast_answers") == [("not_interested",)], said
    assert SECOND in asso.question.text, said  # the question queued behind it, reached
    await asso.say("oui")  # and answered as usual
    assert rows(app, "SELECT answer FROM broadcast_answers ORDER BY id") == [("not_interested",), ("interested",)]
    shown, table = await _answers_read(people["marie"], call=1)  # the first call (the newest is listed first)
    assert "Pas intéressé·e" in shown, shown
    assert table[1][3] == "Pas intéressé·e", table


@pytest.mark.parametrize(("english", "typed"), [(False, "non merci"), (True, "no thanks"), (False, "pas pour nous")])
async def test_a_no_at_the_menu_is_the_waiting_calls(territory, english: bool, typed: str) -> None:
    """The menu's note says « tapez « oui » ou « non » pour y répondre » : the no is taken too."""
    app, _, people = territory
    asso = await _two_calls(app, people, english)
    await asso.say("/menu")
    await asso.say(typed)
    assert rows(app, "SELECT answer FROM broadcast_answers") == [("not_interested",)], asso.text()


async def test_a_declined_call_is_not_a_member_of_a_group_formed_from_it(territory) -> None:
    from storage import groups

    app, _, people = territory
    asso = await _two_calls(app, people, False)
    await asso.say("non merci")
    (broadcast_id,) = rows(app, "SELECT id FROM broadcasts WHERE message = ?", FIRST)[0]
    assert await app.db.read(lambda conn: groups.call_members(conn, broadcast_id)) == []


UNSURE = [
    (False, "bof je sais pas 🤷"),
    (False, "je sais pas"),
    (False, "euh aucune idée"),
    (False, "je passe"),
    (True, "skip"),
    (True, "not sure"),
    (True, "dunno"),
    (True, "I don't know yet"),
]


@pytest.mark.parametrize(("english", "typed"), UNSURE)
async def test_a_doubt_at_an_interested_call_leaves_it_waiting(territory, english: bool, typed: str) -> None:
    app, _, people = territory
    asso = await _two_calls(app, people, english)
    await asso.say(typed)
    said = asso.text()
    assert "reconnu" not in said and "recognise" not in said and "compris" not in said and "understand" not in said, said
    assert ("stays waiting" in said) if english else ("reste en attente" in said), said
    assert rows(app, "SELECT COUNT(*) FROM broadcast_answers") == [(0,)], said


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "c'est où le forum ? faut payer ?"),
        (False, "Il faut s'inscrire avant quelle date ?"),
        (True, "where is it? do we have to pay?"),
        (True, "What time does it start?"),
    ],
)
async def test_a_question_at_an_interested_call_says_it_is_not_passed_on(territory, english: bool, typed: str) -> None:
    app, _, people = territory
    asso = await _two_calls(app, people, english)
    await asso.say(typed)
    said = asso.text()
    assert ("can't pass questions on" in said) if english else ("pas transmettre de question" in said), said
    assert FIRST in said, said  # the call still asked
    assert rows(app, "SELECT COUNT(*) FROM broadcast_answers") == [(0,)], said


WITH_WORDS = [
    (False, "oui on viendra à 2 🌻"),
    (False, "Oui, on sera 3"),
    (False, "oui, on amène des gâteaux"),
    (False, "oui on veut un stand !"),
    (True, "yes, 3 of us"),
    (True, "sure we'll bring cakes"),
]


@pytest.mark.parametrize(("english", "typed"), WITH_WORDS)
async def test_the_words_said_with_the_yes_are_kept_and_shown(territory, english: bool, typed: str) -> None:
    app, _, people = territory
    asso = await _two_calls(app, people, english)
    await asso.say(typed)
    assert rows(app, "SELECT answer FROM broadcast_answers") == [(" ".join(typed.split()),)], asso.text()
    shown, table = await _answers_read(people["marie"], call=None)  # the second call has no answer: never offered
    assert typed in shown, shown
    assert table[1][3] == typed, table


@pytest.mark.parametrize("typed", ["oui", "Oui !", "oui avec plaisir !", "oui ça nous intéresse", "yes count us in", "OK, partants"])
async def test_a_yes_saying_nothing_more_stays_interested(territory, typed: str) -> None:
    app, _, people = territory
    asso = await _two_calls(app, people, False)
    await asso.say(typed)
    assert rows(app, "SELECT answer FROM broadcast_answers") == [("interested",)], asso.text()


@pytest.mark.parametrize(("english", "typed"), [(False, "aide"), (True, "help"), (False, "Aide !")])
async def test_the_help_at_an_interested_call_says_how_to_decline(territory, english: bool, typed: str) -> None:
    app, _, people = territory
    asso = await _two_calls(app, people, english)
    await asso.say(typed)
    said = asso.text()
    assert ("type “no”" in said) if english else ("tapez « non »" in said), said
    await asso.say("later" if english else "plus tard")  # what the help says works
    assert rows(app, "SELECT COUNT(*) FROM broadcast_answers") == [(0,)], asso.text()
    assert "reconnu" not in asso.text() and "recognise" not in asso.text(), asso.text()
