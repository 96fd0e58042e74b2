"""Answers read wrong by people trying the product (sugg8): at a suggestion, « non mais on cherche aussi des
tables » declined it and LOST the need; a yes of more than six words (« Oui ! On sera là avec nos bénévoles »,
"Yes! We'll be there with two volunteers") was no yes; a scheduled « Pas de suggestion cette fois … »
reaching someone in the middle of a question (/annonces) left that question unseen. Each test failed
before its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from conversations.engine import InputError, Option, parse_choice
from tests.core.people import Person, RecordingAdapter, deliver
from tests.core.test_coordination import broadcast, rows, territory  # noqa: F401  (fixture)
from tests.core.test_keep5_defects import _suggested, _to_english
from tests.core.test_suggestions import clock, count, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends

# ---------------------------------------------------------------- 1. a no followed by a need or an offer

DECLINED_KEEPING = [
    (False, "non mais on cherche aussi des tables", "tables", "besoin"),
    (False, "non, on cherche plutôt des tables pour samedi", "tables", "besoin"),
    (False, "Non merci, par contre on pourrait prêter notre camionnette le week-end", "camionnette", "offre"),
    (False, "pas pour nous, mais il nous faut un local pour stocker des denrées", "local", "besoin"),
    (True, "no, but we're looking for tables", "tables", "need"),
    (True, "no thanks, what we need is a van", "van", "need"),
    (True, "Not for us, but we could lend our minibus on Sundays", "minibus", "offer"),
]


@pytest.mark.parametrize(("english", "typed", "word", "command"), DECLINED_KEEPING)
async def test_a_no_then_a_need_declines_the_suggestion_and_keeps_the_draft(
    two_sides, english: bool, typed: str, word: str, command: str
) -> None:
    app, alice, _ = two_sides
    token = await _suggested(app, alice, english)
    await alice.say(typed)
    said = alice.text()
    assert count(app, "SELECT COUNT(*) FROM suggestions WHERE status = 'declined'") == 1, said  # its no answered
    assert ("won't suggest" in said) if english else ("je ne vous proposerai plus" in said), said
    assert word in said and ("draft" in said if english else "brouillon" in said), said  # both said in this answer
    assert alice.question.prompt_id != token, said
    assert count(app, "SELECT COUNT(*) FROM introductions") == 0 and count(app, "SELECT COUNT(*) FROM listings") == 2
    await alice.say(f"/{command}")  # the draft taken up as a sentence typed at the menu would be
    assert word in alice.text(), alice.text()


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "non merci"),
        (False, "non merci, on ne fait pas de compta"),
        (True, "no thanks, we don't do accounting"),
        (True, "no thanks"),
    ],
)
async def test_a_plain_no_still_only_declines(two_sides, english: bool, typed: str) -> None:
    app, alice, _ = two_sides
    await _suggested(app, alice, english)
    await alice.say(typed)
    said = alice.text()
    assert count(app, "SELECT COUNT(*) FROM suggestions WHERE status = 'declined'") == 1, said
    assert "brouillon" not in said and "draft" not in said, said


# ---------------------------------------------------------------- 2. a long yes is a yes

SUGGESTION = [Option("present", label="Me présenter"), Option("decline", label="Pas intéressé"), Option("later", label="Plus tard")]
LONG_YES = [
    "Oui ! On sera là avec nos bénévoles",
    "oui avec plaisir, on viendra à deux",
    "Ouais, on passera vers 10h avec la camionnette",
    "Bien sûr, nous serons trois bénévoles ce jour-là",
    "Volontiers, on a justement du temps ce mois-ci pour ça",
    "Yes! We'll be there with two volunteers",
    "Sure, count us in with three people from the club",
    "yep, we would love to meet them next week",
]
NOT_YES = ["oui mais pas ce mois-ci, on est débordés", "oui enfin non", "yes but not now", "oui ?", "Oui, mais c'est quand exactement ?"]


@pytest.mark.parametrize("typed", LONG_YES)
def test_a_long_answer_opening_with_yes_is_the_yes(typed: str) -> None:
    assert parse_choice(typed, SUGGESTION, "fr").value == "present"
    assert parse_choice(typed, SUGGESTION, "en").value == "present"


@pytest.mark.parametrize("typed", NOT_YES)
def test_a_yes_taken_back_or_asked_is_no_yes(typed: str) -> None:
    try:
        chosen = parse_choice(typed, SUGGESTION, "fr").value
    except InputError:
        chosen = None
    assert chosen != "present"


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "Oui ! On sera ravis de les rencontrer la semaine prochaine"),
        (False, "oui avec plaisir, on peut les voir mardi ou jeudi"),
        (True, "Yes! We'd be glad to meet them next week"),
        (True, "sure, we can meet them on Tuesday or Thursday"),
    ],
)
async def test_a_long_yes_at_a_suggestion_asks_the_introduction(two_sides, english: bool, typed: str) -> None:
    app, alice, _ = two_sides
    token = await _suggested(app, alice, english)
    await alice.say(typed)
    assert count(app, "SELECT COUNT(*) FROM introductions") == 1, alice.text()
    assert count(app, "SELECT COUNT(*) FROM suggestions WHERE status = 'accepted'") == 1
    assert alice.question.prompt_id != token


@pytest.mark.parametrize("english", [False, True])
async def test_a_yes_taken_back_at_a_suggestion_is_no_yes(two_sides, english: bool) -> None:
    """A yes taken back is never the yes; taken back by when (« pas ce mois-ci », stop30), it is the
    suggestion's « Plus tard » — it comes back with the next suggestions — rather than the question again."""
    app, alice, _ = two_sides
    token = await _suggested(app, alice, english)
    await alice.say("yes but not now, we're busy this month" if english else "oui mais pas ce mois-ci, on est débordés")
    assert count(app, "SELECT COUNT(*) FROM introductions") == 0, alice.text()
    assert count(app, "SELECT COUNT(*) FROM suggestions WHERE status = 'accepted'") == 0
    assert count(app, "SELECT COUNT(*) FROM suggestions WHERE status = 'later'") == 1, alice.text()
    assert alice.question.prompt_id != token, alice.text()


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "Oui ! On sera là avec nos bénévoles"),
        (False, "oui avec plaisir, on viendra à deux"),
        (True, "Yes! We'll be there with two volunteers"),
        (True, "Sure, count us in with three people from the club"),
    ],
)
async def test_a_long_yes_at_an_interested_call_is_its_answer_with_the_words(territory, english: bool, typed: str) -> None:
    app, adapter, people = territory
    asso = people["asso"]
    if english:
        await _to_english(asso)
    await broadcast(people["marie"], "Qui participe au forum des associations ?", "Un bouton « Intéressé·e »")
    await people["marie"].press("Envoyer")
    await deliver(app)
    await asso.say(typed)
    assert ("passed on" in asso.text()) if english else ("transmise" in asso.text()), asso.text()
    assert rows(app, "SELECT answer FROM broadcast_answers") == [(" ".join(typed.split()),)]  # the coordinator reads how many


async def test_a_short_yes_at_an_interested_call_stays_interested(territory) -> None:
    app, _, people = territory
    await broadcast(people["marie"], "Qui participe au forum des associations ?", "Un bouton « Intéressé·e »")
    await people["marie"].press("Envoyer")
    await deliver(app)
    await people["asso"].say("oui avec plaisir !")
    assert rows(app, "SELECT answer FROM broadcast_answers") == [("interested",)]


async def test_a_yes_taken_back_at_an_interested_call_is_no_answer(territory) -> None:
    app, _, people = territory
    await broadcast(people["marie"], "Qui participe au forum des associations ?", "Un bouton « Intéressé·e »")
    await people["marie"].press("Envoyer")
    await deliver(app)
    await people["asso"].say("oui mais pas cette fois, on n'a personne de dispo")
    assert rows(app, "SELECT COUNT(*) FROM broadcast_answers") == [(0,)], people["asso"].text()


# ---------------------------------------------------------------- 3. a scheduled notice in the middle of a question


async def _volunteer_need(db_path: Path, territories, clock, platform: str) -> tuple[App, RecordingAdapter, Person]:
    adapter = RecordingAdapter(platform=platform)
    app = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories, clock=clock)
    app.run_jobs = False
    await app.start()
    alice = Person(app.runtime, adapter, "alice")
    await alice.onboard("Les Tables du Cœur", "Villeurbanne")
    await alice.say("/besoin")
    await alice.press("Bénévoles")
    await alice.say("Des bénévoles pour la distribution du mercredi soir.")
    await alice.press(next(c.label for c in alice.question.choices if c.value.startswith("epci:")))
    return app, adapter, alice


@pytest.mark.parametrize("platform", ["telegram", "matrix", "console"])
@pytest.mark.parametrize("command", ["/annonces", "/offre"])
async def test_a_notice_during_a_question_is_followed_by_that_question(
    db_path: Path, territories, clock, platform: str, command: str
) -> None:
    app, adapter, alice = await _volunteer_need(db_path, territories, clock, platform)
    try:
        await alice.say(command)
        asked = alice.question
        before = len(adapter.replies_to("alice"))
        report = await app.suggestion_round()
        assert len(report.nothing) == 1
        await deliver(app)
        after = adapter.replies_to("alice")[before:]
        texts = [r.text for r in after]
        assert texts and texts[0].startswith("Pas de suggestion cette fois"), texts
        assert "Reprenons" in "\n".join(texts[1:]), texts  # told that this is where they were
        assert after[-1].prompt_id is not None and after[-1].text == asked.text, texts  # the open question, again
    finally:
        await app.stop()


async def test_a_notice_at_the_menu_is_not_followed_by_a_question(db_path: Path, territories, clock) -> None:
    app, adapter, alice = await _volunteer_need(db_path, territories, clock, "telegram")
    try:
        before = len(adapter.replies_to("alice"))
        await app.suggestion_round()
        await deliver(app)
        texts = [r.text for r in adapter.replies_to("alice")[before:]]
        assert len(texts) == 1 and texts[0].startswith("Pas de suggestion cette fois"), texts
    finally:
        await app.stop()


@pytest.mark.parametrize(
    "typed", ["Oui ! On sera là avec nos bénévoles", "oui avec plaisir, on viendra à deux", "Yes! We'll be there with two volunteers"]
)
async def test_a_long_yes_at_an_event_signs_up(territory, typed: str) -> None:
    from tests.core.test_event_listing_defects import publish

    app, _, people = territory
    asso = people["asso"]
    await publish(people["marie"], title="Forum des associations")
    await asso.say("/evenements")
    if "M'inscrire" not in [choice.label for choice in asso.question.choices]:  # the list first: the event
        await asso.say("1")
    assert "M'inscrire" in [choice.label for choice in asso.question.choices], asso.text()
    await asso.say(typed)
    registered = "SELECT COUNT(*) FROM event_people WHERE status = 'registered'"
    assert rows(app, registered) == [(1,)], asso.text()


@pytest.mark.parametrize("platform", ["telegram", "console"])
async def test_a_reply_the_platform_postponed_is_not_followed_by_its_question_again(
    db_path: Path, territories, clock, platform: str
) -> None:
    """Only a notice (a job's message, not an answer) brings the open question back: the step's own
    question, rate-limited and sent later by the worker, is shown once."""
    app, adapter, alice = await _volunteer_need(db_path, territories, clock, platform)
    try:
        adapter.flaky["alice"] = 1  # the platform refuses the next message once (a rate limit)
        await alice.say("/offre")
        await deliver(app)
        texts = [r.text for r in adapter.replies_to("alice")]
        assert not any("Reprenons" in text for text in texts), texts
        assert texts[-1].startswith("Offre :") and texts.count(texts[-1]) == 1, texts  # the question shown once
    finally:
        await app.stop()
