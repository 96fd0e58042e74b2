"""Defects reported by people who tried the product as new users (second round): how a yes/no
question says how to answer it, the console's own texts in the person's language, a coordinator
without a profile choosing a language, dates and amounts written the usual ways, call numbers in
/appels, the weekly to-do caught up at start, introductions' texts and plurals."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.rendering import render_plain
from conversations.decisions import decision_reply
from conversations.engine import InputError
from conversations.i18n import translate
from core.decisions import DecisionView
from core.types import Choice, Reply
from tests.core.people import Person

pytestmark = pytest.mark.backends


@pytest.mark.parametrize("wrong", ["peut-être", "4", "Nous verrons bien plus tard, après la réunion du bureau"])
async def test_a_yes_no_question_tells_to_answer_yes_or_no(app: App, person, wrong: str) -> None:
    """A wrong answer at "Villeurbanne (69) — Métropole de Lyon ?" (Oui / Non, retaper) got a
    number-choice hint and "commune not found": it must say to answer yes or no."""
    alice: Person = person()
    await alice.say("/start")
    await alice.press("Association")
    await alice.say("Les Jardins Partagés")
    await alice.say("Villeurbanne")
    asked = alice.question
    rendered = render_plain(asked)
    assert "« oui » ou « non » (ou 1 pour oui, 2 pour non)" in rendered and "Répondez par un numéro." not in rendered, rendered
    await alice.say(wrong)
    refusal = alice.last[0].text
    assert "« oui » ou « non »" in refusal and "1 pour oui, 2 pour non" in refusal, refusal
    await alice.say("oui")
    assert alice.question.text != asked.text  # the answer is taken
    await alice.say("Lyon")  # another commune typed at the confirmation is still searched
    assert alice.question.text != asked.text


async def test_a_yes_no_question_in_english_is_explained_in_english(app: App, person) -> None:
    sam: Person = person("sam", language_code="en")
    await sam.say("/start")
    await sam.press("Association")
    await sam.say("Green Movers")
    await sam.say("Villeurbanne")
    assert "“yes” or “no” (or 1 for yes, 2 for no)" in render_plain(sam.question)
    await sam.say("maybe")
    assert "“yes” or “no” (or 1 for yes, 2 for no)" in sam.last[0].text, sam.text()


def test_yes_no_steps_and_decisions_say_yes_or_no() -> None:
    """Every question whose options are one yes and one no (a flow's Oui/Non, an introduction's
    "Oui, avec plaisir" / "Non merci", a renewal) is explained as yes/no, in its language."""
    from conversations.engine import Option, parse_choice
    from conversations.flows import YES_NO

    for language, expected in (("fr", "« oui » ou « non »"), ("en", "“yes” or “no”")):
        for kind in ("introduction", "renewal"):
            view = DecisionView(token="i1", kind=kind, other=None, listing_text="x", expires="1/12")
            assert expected in render_plain(decision_reply(view, language))
        with pytest.raises(InputError) as refused:
            parse_choice("bof", [*YES_NO, Option("_back", key="common.back")], language)
        assert expected in translate(language, refused.value.key, **refused.value.params)
    three = decision_reply(DecisionView(token="s1", kind="suggestion", other=None, listing_text="x"), "fr")
    assert "Répondez par un numéro." in render_plain(three)  # three answers: not a yes/no question


def test_the_yes_no_hint_survives_the_outbox() -> None:
    from storage.outbox import reply_from_json, reply_to_json

    reply = Reply(
        "?", choices=(Choice("accept", "Oui, avec plaisir"), Choice("refuse", "Non merci")), language="en", meta={"yes_no": (1, 2)}
    )
    assert "“yes” or “no”" in render_plain(reply_from_json(reply_to_json(reply)))


def test_the_console_banner_and_goodbye_follow_the_person_language(tmp_path) -> None:
    """The banner and "À bientôt !" stayed French for someone spoken to in English."""
    from tests.core.test_console import run_chat

    first = run_chat(tmp_path, ["/start", "Company", "Green Movers"], user="sam")
    assert first.returncode == 0, first.stderr
    assert first.stdout.rstrip().endswith("See you soon!"), first.stdout[-300:]
    again = run_chat(tmp_path, ["/help"], user="sam")
    assert again.stdout.startswith("Trait d'union — console conversation (person: sam)"), again.stdout[:200]
    assert again.stdout.rstrip().endswith("See you soon!")
    french = run_chat(tmp_path, ["/start"], user="zoe")  # unknown yet: the configured default (French)
    assert french.stdout.startswith("Trait d'union — conversation en console") and french.stdout.rstrip().endswith("À bientôt !")
