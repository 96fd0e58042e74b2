"""Defects found by testers playing new users on the console (keep5): nothing a person types is
lost, and what they see is true — around suggestions, drafts and settings."""

from __future__ import annotations

import pytest

from core.model import Session
from tests.backends import connect
from tests.core.people import Person, deliver
from tests.core.test_suggestions import clock, count, last_decision, press_decision, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends


async def _to_english(person: Person) -> None:
    await person.say("/reglages")
    await person.press("Langue")
    await person.press("English")


async def _suggested(app, alice: Person, english: bool = False) -> str:
    """The round suggests Cabinet Martin to alice: the token of that suggestion, shown to her."""
    if english:
        await _to_english(alice)
    await app.suggestion_round()
    await deliver(app)
    shown = last_decision(alice.adapter, "alice")
    assert "Cabinet Martin" in shown.text, shown.text
    return str(shown.prompt_id)


# ---------------------------------------------------------------- 1. a sentence typed at a suggestion


@pytest.mark.parametrize(
    ("english", "typed", "kind", "word"),
    [
        (False, "on cherche aussi des tables pour samedi", "besoin", "tables pour samedi"),
        (False, "Nous cherchons des bénévoles pour la distribution de samedi matin", "besoin", "bénévoles"),
        (False, "slt on a besoin dun frigo pour lepicerie solidaire", "besoin", "frigo"),
        (False, "on peut prêter notre camionnette le week-end aux assos", "offre", "camionnette"),
        (True, "we also need some tables for the party on Saturday", "need", "tables for the party"),
    ],
)
async def test_a_need_typed_at_a_suggestion_is_kept_and_the_suggestion_shown_again(
    two_sides, english: bool, typed: str, kind: str, word: str
) -> None:
    """Tester: « on cherche aussi des tables pour samedi » under « Me présenter / Pas intéressé / Plus
    tard » was refused as « une phrase libre » and lost."""
    app, alice, _ = two_sides
    token = await _suggested(app, alice, english)
    await alice.say(typed)
    said = alice.text()
    assert "phrase libre" not in said and "free sentence" not in said, said
    assert word in said and kind in said.lower(), said  # kept, and said
    assert alice.question.prompt_id == token, said  # the suggestion again, still open
    assert count(app, "SELECT COUNT(*) FROM introductions") == 0 and count(app, "SELECT COUNT(*) FROM listings") == 2
    await alice.press("Later" if english else "Plus tard")
    await alice.say("/need" if kind == "need" else f"/{kind}")
    assert word in alice.text(), alice.text()  # taken up


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "c'est quoi me présenter ?"),
        (False, "ça veut dire quoi, plus tard ?"),
        (False, "je comprends pas ce que vous me demandez là"),
        (False, "cé koi ce cabinet martin ?"),
        (True, "what does introduce me mean?"),
        (True, "I don't understand what you are asking me here"),
    ],
)
async def test_a_question_at_a_suggestion_is_answered_with_what_the_buttons_do(two_sides, english: bool, typed: str) -> None:
    app, alice, _ = two_sides
    token = await _suggested(app, alice, english)
    await alice.say(typed)
    said = alice.text()
    assert "phrase libre" not in said and "free sentence" not in said, said
    if english:
        assert "Introduce me" in said and "Later" in said and "Not interested" in said and "contact" in said, said
    else:
        assert "Me présenter" in said and "Plus tard" in said and "Pas intéressé" in said and "contact" in said, said
    assert alice.question.prompt_id == token, said
    assert count(app, "SELECT COUNT(*) FROM introductions") == 0


@pytest.mark.parametrize("typed", ["Me présenter", "oui présentez-moi", "1"])
async def test_the_buttons_typed_still_answer_a_suggestion(two_sides, typed: str) -> None:
    app, alice, _ = two_sides
    await _suggested(app, alice)
    await alice.say(typed)
    assert "J'ai demandé à Cabinet Martin" in alice.text(), alice.text()


# ---------------------------------------------------------------- 2. several drafts, none lost


def test_a_session_reads_the_single_draft_shape_and_keeps_several() -> None:
    one = {"flow": "listing", "step": "confirm", "data": {"kind": "need", "description": "des tables"}, "history": []}
    two = {"flow": "listing", "step": "confirm", "data": {"kind": "offer", "description": "une camionnette"}, "history": []}
    old = Session.from_json({"flow": None, "step": None, "data": {}, "history": [], "prompt_seq": 3, "draft": one})
    assert old.draft == one and old.drafts == (one,)
    both = old.evolve(later_drafts=(two,))
    again = Session.from_json(both.to_json())
    assert again.draft == one and again.drafts == (one, two)
    assert Session.from_json(Session().to_json()).drafts == ()


SENTENCES = (
    ("on cherche des tables pour la fête de samedi", "/besoin", "Oui, publier", "tables"),
    ("nous prêtons notre camionnette le week-end aux associations", "/offre", "", "camionnette"),
)


@pytest.mark.parametrize("where", ["/reglages", "/profil"])
async def test_a_second_need_typed_aside_keeps_the_first_draft(app, person, where: str) -> None:
    """Tester: a second need typed while a first waited as a draft replaced it (one draft slot)."""
    alice: Person = person()
    await alice.onboard()
    await alice.say(where)
    await alice.say("on cherche des tables pour la fête de samedi")
    assert "tables" in alice.text(), alice.text()
    await alice.say("nous prêtons notre camionnette le week-end aux associations")
    assert "camionnette" in alice.text() and "brouillon" in alice.text().lower(), alice.text()
    await alice.say("/besoin")
    assert "tables" in alice.text(), alice.text()
    await alice.press("Reprendre où j'en étais")
    await alice.press(alice.question.choices[0].label)  # the commune: published
    said = alice.text()
    assert "enregistré" in said and "camionnette" in said, said  # the second one offered right after
    await alice.say("/offre")
    assert "camionnette" in alice.text(), alice.text()


async def test_two_needs_typed_at_a_suggestion_are_both_kept(two_sides) -> None:
    app, alice, _ = two_sides
    await _suggested(app, alice)
    await alice.say("on cherche aussi des tables pour samedi")
    await alice.say("et on a besoin d'un vidéoprojecteur pour la réunion de lundi")
    assert "vidéoprojecteur" in alice.text(), alice.text()
    await alice.press("Plus tard")
    await alice.say("/besoin")
    assert "tables" in alice.text(), alice.text()
    await alice.press("Reprendre où j'en étais")
    await alice.press(alice.question.choices[0].label)
    assert "vidéoprojecteur" in alice.text(), alice.text()


# ---------------------------------------------------------------- 3. « publier » at the zone question


async def _at_zone(alice: Person, english: bool = False) -> None:
    await alice.onboard()
    if english:
        await _to_english(alice)
    await alice.say("/settings" if english else "/reglages")
    await alice.say("we are looking for tables for the party on Saturday" if english else "on cherche des tables pour la fête de samedi")
    await alice.say("/need" if english else "/besoin")
    await alice.press("Pick up where I was" if english else "Reprendre où j'en étais")
    assert "zone" in alice.question.text or "area" in alice.question.text, alice.text()


@pytest.mark.parametrize(
    ("english", "typed"),
    [(False, "publier"), (False, "publie"), (False, "ok publie le"), (False, "Publier !"), (True, "publish"), (True, "publish it")],
)
async def test_publish_typed_at_the_zone_question_publishes_at_the_first_zone(app, person, english: bool, typed: str) -> None:
    """Tester: after taking up a kept draft, « publier » at « Je publie cette annonce : sur quelle zone ? »
    was refused as an unknown choice. As « oui » there, it takes the first zone offered (the commune),
    and says which."""
    alice: Person = person()
    await _at_zone(alice, english)
    first = alice.question.choices[0].label
    await alice.say(typed)
    said = alice.text()
    assert "pas reconnu" not in said and "recognise" not in said.lower(), said
    assert count(app, "SELECT COUNT(*) FROM listings") == 1, said
    assert first in said and ("première zone" in said if not english else "first area" in said), said
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT zone_kind FROM listings").fetchone()[0] == "commune"


async def test_another_word_at_the_zone_question_still_publishes_nothing(app, person) -> None:
    alice: Person = person()
    await _at_zone(alice)
    await alice.say("je sais pas trop")
    assert count(app, "SELECT COUNT(*) FROM listings") == 0, alice.text()


# ---------------------------------------------------------------- 5. /reglages says the pause


@pytest.mark.parametrize("english", [False, True])
async def test_the_settings_say_the_pause_and_offer_to_resume(app, person, english: bool) -> None:
    alice: Person = person()
    await alice.onboard()
    if english:
        await _to_english(alice)
    await alice.say("/reglages")
    assert "pause" not in alice.text().lower(), alice.text()
    await alice.say("/pause")
    await alice.say("/settings" if english else "/reglages")
    said = alice.text()
    assert ("paused" in said) if english else ("en pause" in said), said
    resume = "Resume suggestions" if english else "Reprendre les suggestions"
    assert resume in [c.label for c in alice.question.choices], said
    await alice.press(resume)
    assert count(app, "SELECT COUNT(*) FROM actors WHERE paused = FALSE") == 1
    await alice.say("/reglages")
    assert "pause" not in alice.text().lower(), alice.text()


# ---------------------------------------------------------------- 4. a suggestion declined by the other side leaves the list


@pytest.mark.parametrize(("aside", "command"), [(False, "/suggestions"), (True, "/suggestions"), (True, "suggestions")])
async def test_a_suggestion_declined_on_the_other_side_leaves_the_requesters_list(two_sides, aside: bool, command: str) -> None:
    """Tester: Cabinet Martin said « pas intéressé » to its suggestion of the association; the association's
    own suggestion of Cabinet Martin stayed in its /suggestions until pressed. It leaves the list; who
    declined and why are never said."""
    app, alice, bob = two_sides
    await _suggested(app, alice)
    if aside:
        await press_decision(alice, last_decision(alice.adapter, "alice"), "Plus tard")
    await bob.say("pas intéressé, on ne travaille qu'avec les assos de notre quartier")
    assert "je ne vous proposerai plus" in bob.text(), bob.text()
    await alice.say(command)
    said = alice.text()
    assert "Cabinet Martin" not in said and "quartier" not in said, said
    assert "Me présenter" not in [c.label for r in alice.last for c in r.choices], said


async def test_the_other_suggestions_stay_in_the_list(two_sides) -> None:
    app, alice, _ = two_sides
    await _suggested(app, alice)
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Plus tard")
    await alice.say("/suggestions")
    assert "Cabinet Martin" in alice.text(), alice.text()


# ---------------------------------------------------------------- 6. two skills offered no longer look alike


async def _two_skills(alice: Person) -> None:
    await alice.onboard()
    for skill, text in (
        ("Comptabilité", "Nous aidons à tenir la comptabilité des associations"),
        ("Juridique", "Nous relisons vos statuts"),
    ):
        await alice.say("/offre")
        await alice.press("Compétences")
        await alice.tick(skill)
        await alice.say(text)
        await alice.press(alice.question.choices[0].label)


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("fr", ("Offre — Compétences (Comptabilité)", "Offre — Compétences (Juridique)")),
        ("en", ("Offer — Skills (Accounting)", "Offer — Skills (Legal)")),
    ],
)
async def test_the_skill_is_shown_with_the_category_in_the_lists_of_listings(app, person, language: str, shown: tuple[str, ...]) -> None:
    """Tester: two offers « Compétences » (accounting, design) looked alike (« Offre — Compétences ») in
    what a suggestion and /annuaire show of them."""
    from conversations.decisions import their_listings
    from core.model import Area
    from storage.directory import DirectoryFilter, entries
    from storage.introductions import open_listings_of

    alice: Person = person()
    await _two_skills(alice)
    with connect(app.config.db) as conn:
        actor_id, code = conn.execute("SELECT id, commune_code FROM actors").fetchone()
        listed = open_listings_of(conn, [actor_id], "2026-01-01")[actor_id]
        found = entries(conn, DirectoryFilter((Area("commune", code, "Villeurbanne"),)), "2026-01-01")
    for text in (their_listings(listed, language), their_listings(found[0].listings, language)):
        assert all(line in text for line in shown), text


async def test_my_listings_still_show_the_skill(app, person) -> None:
    alice: Person = person()
    await _two_skills(alice)
    await alice.say("/annonces")
    labels = [c.label for c in alice.question.choices]
    assert any("Compétences (Comptabilité)" in label for label in labels) and any("Compétences (Juridique)" in label for label in labels), (
        labels
    )


# ---------------------------------------------------------------- 7. a chat line about who writes is no presentation


def _kept_description(app) -> object:
    with connect(app.config.db) as conn:
        state = conn.execute("SELECT state FROM sessions").fetchone()[0]
    return Session.from_json(__import__("json").loads(state) if isinstance(state, str) else state).data.get("description")


@pytest.mark.parametrize(
    "first",
    [
        "C la tresoriere du club de foot de Villeurbanne",
        "slt c moi la trésorière du FC Villeurbanne",
        "Bonjour, je suis la trésorière du club de foot de Villeurbanne",
        "cc jsuis le président du club de rugby de Bron",
        "hello I'm the treasurer of the Villeurbanne football club",
    ],
)
async def test_a_first_message_saying_who_writes_is_not_the_presentation(app, person, first: str) -> None:
    """Tester: « C la tresoriere du club de foot… » typed before /start became the presentation shown
    to partners. Who writes gives the name, type or commune; never the presentation text."""
    someone: Person = person()
    await someone.say(first)
    await someone.say("/start")
    said = someone.text()
    assert "sera la présentation" not in said and "will be your organisation's presentation" not in said, said
    assert not _kept_description(app), said


@pytest.mark.parametrize(
    "first",
    [
        "Nous sommes une association de jardins partagés à Villeurbanne, nous cultivons des légumes avec les habitants",
        "Je suis la présidente du club, nous sommes une association de foot pour les enfants du quartier",
    ],
)
async def test_a_first_message_presenting_the_structure_is_still_its_presentation(app, person, first: str) -> None:
    someone: Person = person()
    await someone.say(first)
    await someone.say("/start")
    assert "sera la présentation" in someone.text(), someone.text()
    assert "nous" in str(_kept_description(app)).lower() or "Nous" in str(_kept_description(app)), _kept_description(app)
