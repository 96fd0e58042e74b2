"""Defects found by testers playing new users on the console (flow7, 2026-11-30): what a person types
is never lost and never lands on the wrong question — a duration typed after publishing while a
suggestion waits, a need typed at a listing's zone, numbers shown twice, a need and an offer in one
first message."""

from __future__ import annotations

import re

import pytest

from bot.rendering import render_plain
from tests.backends import connect
from tests.core.people import Person
from tests.core.test_queue import clock, network  # noqa: F401  (fixtures)
from tests.core.test_suggestions import count, deliver

pytestmark = pytest.mark.backends


async def _waiting_while_publishing(app, alice: Person) -> None:
    """Suggestions delivered while alice writes a need: they wait, and come right after it is published."""
    await alice.say("/besoin")
    await alice.press("Compétences")
    await app.suggestion_round()
    await deliver(app)
    await alice.press("Comptabilité")
    await alice.say("Un bilan annuel pour notre association de quartier")
    await alice.press(next(c.label for c in alice.question.choices if c.value.startswith("epci:")))
    said = alice.text()
    assert "enregistré" in said and "autre durée" in said, said
    assert alice.question.prompt_id.startswith("S"), said  # the suggestion shown after the publication


def _expiries(app) -> list[str]:
    with connect(app.config.db) as conn:
        return [str(row[0]) for row in conn.execute("SELECT expires_at FROM listings ORDER BY id DESC LIMIT 1").fetchall()]


# ---------------------------------------------------------------- 1. a duration typed after publishing, a suggestion shown


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("pour 6 mois", "reste visible jusqu'au"),
        ("6 mois", "reste visible jusqu'au"),
        ("jusqu'en juin", "reste visible jusqu'au"),
        ("pour l'été", "reste visible jusqu'au"),
        ("sans date", "sans date de fin"),
    ],
)
async def test_a_duration_typed_after_publishing_goes_to_the_listing_not_the_suggestion(network, typed: str, said: str) -> None:
    """Tester: « pour 6 mois » right after publishing, a suggestion shown below the hint: « Cette suggestion
    attend votre réponse par l'un de ses boutons » and the end date never set."""
    app, alice = network
    await _waiting_while_publishing(app, alice)
    before = _expiries(app)
    token = alice.question.prompt_id
    await alice.say(typed, prompt_id=token)  # the console sends the prompt it showed last
    text = alice.text()
    assert "attend votre réponse" not in text, text
    assert said in text, text
    assert _expiries(app) != before, text  # the end date changed
    assert alice.question.prompt_id == token, text  # the suggestion still open, shown again
    assert count(app, "SELECT COUNT(*) FROM introductions") == 0


@pytest.mark.parametrize("typed", ["for 3 months", "for 6 months", "until the end of summer"])
async def test_a_duration_in_english_after_publishing_goes_to_the_listing(network, typed: str) -> None:
    app, alice = network
    await alice.say("/settings")
    await alice.press("Langue")
    await alice.press("English")
    await alice.say("/need")
    await alice.press("Skills")
    await app.suggestion_round()
    await deliver(app)
    await alice.press("Accounting")
    await alice.say("Our yearly accounts for the neighbourhood association")
    await alice.press(next(c.label for c in alice.question.choices if c.value.startswith("epci:")))
    assert alice.question.prompt_id.startswith("S"), alice.text()
    token = alice.question.prompt_id
    await alice.say(typed, prompt_id=token)
    assert "visible until" in alice.text() and "waits for your answer" not in alice.text(), alice.text()
    assert alice.question.prompt_id == token, alice.text()


async def test_a_number_after_publishing_still_answers_the_suggestion(network) -> None:
    """Guard: the suggestion's own numbers (and anything that is no duration) still answer it."""
    app, alice = network
    await _waiting_while_publishing(app, alice)
    await alice.say("3", prompt_id=alice.question.prompt_id)  # « Plus tard »
    assert "attend votre réponse" not in alice.text(), alice.text()
    assert "visible jusqu'au" not in alice.text(), alice.text()


# ---------------------------------------------------------------- 2. a need typed at a listing's zone question


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("Nous cherchons aussi un local pour stocker notre matériel", "local pour stocker"),
        ("on a aussi besoin de bénévoles pour la fête du quartier", "bénévoles pour la fête"),
        ("slt on cherche aussi un frigo pr lepicerie", "frigo"),
        ("on peut prêter notre camionnette le week-end", "camionnette"),
        ("we also need a room to store our equipment", "room to store"),
    ],
)
async def test_a_need_typed_at_a_listings_zone_is_kept_and_the_zone_asked_again(app, person, typed: str, word: str) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("on cherche un expert-comptable pour notre bilan annuel")
    zone = alice.question
    assert any(c.value.startswith("epci:") for c in zone.choices), alice.text()
    await alice.say(typed)
    said = alice.text()
    assert "reconnu ce choix" not in said and "recognise" not in said.lower(), said
    assert word in said and ("brouillon" in said or "draft" in said.lower()), said
    assert alice.question.text == zone.text, said  # the zone again
    assert "expert-comptable" in said, said  # this listing goes on
    await alice.press(next(c.label for c in alice.question.choices if c.value.startswith("epci:")))
    assert word in alice.text(), alice.text()  # the draft announced once it is published


async def test_the_listings_free_text_questions_still_take_sentences(app, person) -> None:
    """Guard: the description takes a sentence that reads as a need, as before."""
    alice: Person = person()
    await alice.onboard()
    await alice.say("/besoin")
    await alice.press("Compétences")
    await alice.press("Comptabilité")
    await alice.say("Nous cherchons un local pour stocker les pièces comptables")
    assert "brouillon" not in alice.text(), alice.text()
    assert any(c.value.startswith("epci:") for c in alice.question.choices), alice.text()


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("Nous cherchons aussi un local pour stocker notre matériel", "local pour stocker"),
        ("on a aussi besoin de bénévoles pour la fête du quartier", "bénévoles pour la fête"),
        ("on peut prêter notre camionnette le week-end", "camionnette"),
    ],
)
async def test_a_need_typed_at_a_listings_skills_is_kept_and_the_skills_asked_again(app, person, typed: str, word: str) -> None:
    """The same at the skills of a need of Compétences (a list to tick): a need was refused there too, an offer kept."""
    alice: Person = person()
    await alice.onboard()
    await alice.say("/besoin")
    await alice.press("Compétences")
    skills = alice.question
    await alice.say(typed)
    said = alice.text()
    assert "reconnu" not in said and "phrase libre" not in said, said
    assert word in said and "brouillon" in said, said
    assert alice.question.text == skills.text, said


# ---------------------------------------------------------------- 3. two sets of numbers in one reply


def _numbered_lists(replies) -> int:
    """How many numbered lists the console shows for ``replies`` (a list starts at « 1. »)."""
    return sum(1 for reply in replies for line in render_plain(reply).splitlines() if re.match(r"\s*1\.\s", line))


@pytest.mark.parametrize("typed", ["menu", "/menu", "MENU"])
async def test_menu_with_a_waiting_suggestion_shows_one_set_of_numbers(network, typed: str) -> None:
    """Tester: « menu » with a suggestion waiting showed the menu's 1-7 and the suggestion's 1-3 in one
    reply; « 1 » (meant as « Déclarer un besoin ») asked for an introduction."""
    app, alice = network
    await alice.say("/besoin")
    await alice.press("Compétences")
    await app.suggestion_round()
    await deliver(app)
    await alice.say("/menu")  # in the middle of /besoin: held, the menu's numbers only
    assert _numbered_lists(alice.last) == 1, alice.text()
    await alice.say(typed)  # at the menu: the suggestion is shown
    assert _numbered_lists(alice.last) == 1, alice.text()
    shown = [reply for reply in alice.last if reply.choices]
    assert len(shown) == 1 and shown[0].prompt_id == alice.question.prompt_id, alice.text()
    assert alice.question.prompt_id.startswith("S"), alice.text()
    assert "/besoin" in alice.text(), alice.text()  # the menu, in words
    await alice.say("/besoin")
    assert not alice.question.prompt_id.startswith("S"), alice.text()


# ---------------------------------------------------------------- 4. a need and an offer in one first message

_BOTH = [
    (
        "fr",
        "Bonjour, nous sommes le FC Bron, on cherche des maillots pour nos U11 et on peut prêter nos buts le samedi",
        "maillots",
        "buts",
    ),
    ("fr", "nous sommes le FC Bron, on cherche des maillots pour nos U11, on peut prêter nos buts le samedi", "maillots", "buts"),
    ("fr", "Salut c le club de foot de Bron, on cherche des chasubles et on peut prêter notre minibus le dimanche", "chasubles", "minibus"),
    ("en", "Hello, we are FC Bron, we need jerseys for our U11 team and we can lend our goals on Saturdays", "jerseys", "goals"),
]


def _drafts_said(text: str) -> list[str]:
    """The sentences said kept as drafts: the one « en brouillon » / "as a draft", then each « Gardé aussi » / "Also kept"."""
    kept = []
    for line in text.splitlines():
        quoted = re.findall(r"[«“\"]\s*([^»”\"]+?)\s*[»”\"]", line)
        if ("brouillon" in line or "draft" in line.lower()) and quoted:
            kept.append(quoted[-1])  # after the presentation, if any
        elif ("Gardé aussi" in line or "Also kept" in line) and quoted:
            kept.append(quoted[-1])
    return kept


@pytest.mark.parametrize(("language", "typed", "need", "offer"), _BOTH)
@pytest.mark.parametrize("when", ["before", "after"])
async def test_a_need_and_an_offer_in_a_first_message_make_two_drafts(
    app, person, language: str, typed: str, need: str, offer: str, when: str
) -> None:
    """Tester: « Bonjour, nous sommes le FC Bron, on cherche des maillots pour nos U11 et on peut prêter nos buts
    le samedi » before /start became one « besoin » draft holding the offer (or the need left in the presentation)."""
    someone: Person = person("someone", language)
    if when == "before":
        await someone.say(typed)
        await someone.say("/start")
    else:
        await someone.say("/start")
        await someone.say(typed)
    said = someone.text()
    kept = _drafts_said(said)
    assert len(kept) == 2, said
    assert need in kept[0] and offer not in kept[0], said
    assert offer in kept[1] and need not in kept[1], said
    assert ("offre" in said or "offer" in said) and ("besoin" in said or "need" in said), said


@pytest.mark.parametrize(("language", "typed", "need", "offer"), _BOTH)
async def test_a_need_and_an_offer_at_the_menu_make_two_listings(app, person, language: str, typed: str, need: str, offer: str) -> None:
    alice: Person = person("alice")
    await alice.onboard()
    if language == "en":
        await alice.say("/reglages")
        await alice.press("Langue")
        await alice.press("English")
    await alice.say(typed)
    asked = alice.question.text
    assert need in asked and offer not in asked and "FC Bron" not in asked, alice.text()  # the need first, alone
    if not any(c.value.startswith("epci:") for c in alice.question.choices):  # its category, asked quoting it
        await alice.press(next(c.label for c in alice.question.choices if c.value == "materiel"))
    await alice.press(next(c.label for c in alice.question.choices if c.value.startswith("epci:")))
    assert offer in alice.question.text, alice.text()  # then the offer, asked about
