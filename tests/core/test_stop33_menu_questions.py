"""A question about one's own listing at the menu (people trying the bot as new users, stop 33):

« est-ce que quelqu'un a vu mon annonce de pain ? », typed at the main menu by someone with a published need, was
read as a new listing (a need about bread declared). A question whose object is the person's own listing (seen,
answered, any news, still online) — or the answers it got (« y a eu des réponses ? ») — is no declaration: it is
answered with that listing's state (the one it names by a word of its description, or the only one), how long it
stays visible, the suggestions and introductions it led to, and /annonces for what to do with it; the person's
listings when it names none of several, or one they do not have; /besoin and /offre when they have none.

Guards: a need asked as a question (« vous auriez quelqu'un pour nous prêter un camion ? », "does anyone have a van
to lend?") is still a new need, as before."""

from __future__ import annotations

import pytest

from conversations import understanding
from tests.backends import connect
from tests.core.people import Person
from tests.core.test_coordination import rows, send_call, territory  # noqa: F401  (fixture)
from tests.core.test_dur9_durations import _english
from tests.core.test_event_listing_defects import publish_need
from tests.core.test_suggestions import clock, last_decision, press_decision, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends

BREAD = {
    "fr": "On cherche des bénévoles pour la distribution de pain du samedi matin",
    "en": "We are looking for volunteers for our bread distribution on Saturday mornings",
}
ROOM = {
    "fr": "On prête notre salle de réunion le lundi soir",
    "en": "We can lend our meeting room on Monday evenings",
}
VISIBLE = {"fr": "visible jusqu'au", "en": "visible until"}
MANAGE = {"fr": "/annonces", "en": "/listings"}
STARTED = ("sur quelle zone", "cherchez, ou que vous proposez", "for which area", "looking for, or something you offer")
"""What a new need or offer being declared asks (its zone, or whether it is a need or an offer)."""


def _listings(app) -> int:  # type: ignore[no-untyped-def]
    return int(rows(app, "SELECT COUNT(*) FROM listings")[0][0])


async def _with(asso: Person, language: str, *texts: str) -> None:
    """``asso`` in ``language``, with a need or an offer published for each of ``texts``."""
    if language == "en":
        await _english(asso)
    for text in texts:
        await publish_need(asso, text)
        await asso.say("/menu")


def _at_menu(asso: Person) -> bool:
    return any(words in asso.question.text for words in ("Que voulez-vous faire", "What would you like to do"))


# ---------------------------------------------------------------- the question about the only listing: its state


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "est-ce que quelqu'un a vu mon annonce de pain ?"),
        ("fr", "Est ce que qqn a vu mon annonce de pain"),
        ("fr", "qqn a vu mon annonce ?"),
        ("fr", "quelqu'un a répondu à mon annonce ?"),
        ("fr", "y a eu des réponses ?"),
        ("fr", "ya eu des reponses ?"),
        ("fr", "j'ai eu des réponses pour le pain ?"),
        ("fr", "g eu des retours pr mon annonce ?"),
        ("fr", "mon besoin de bénévoles est toujours en ligne ?"),
        ("fr", "ça donne quoi mon annonce de bénévoles"),
        ("fr", "où en est mon besoin de bénévoles ?"),
        ("fr", "Bonjour, est-ce que notre demande de bénévoles a été vue ?"),
        ("fr", "personne n'a répondu à mon besoin ?"),
        ("fr", "je voudrais savoir si quelqu'un a vu mon annonce"),
        ("fr", "toujours pas de réponse pour notre besoin de bénévoles ?"),
        ("en", "has anyone seen my bread request?"),
        ("en", "any news about my volunteers request?"),
        ("en", "is my listing still up?"),
        ("en", "did I get any replies?"),
        ("en", "any replies for my bread distribution need?"),
        ("en", "what's happening with my listing?"),
        ("en", "has anyone answered my need"),
    ],
)
async def test_a_question_about_the_only_listing_says_its_state(territory, language: str, typed: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    await _with(asso, language, BREAD[language])
    await asso.say(typed)
    said = asso.text()
    assert _listings(app) == 1, said  # no new need about bread
    assert BREAD[language][:30] in said and VISIBLE[language] in said and MANAGE[language] in said, said
    assert _at_menu(asso) and not any(words in said for words in STARTED), said


# ---------------------------------------------------------------- several listings: the one named, or the list


@pytest.mark.parametrize(
    ("language", "typed", "named", "other"),
    [
        ("fr", "est-ce que quelqu'un a vu mon annonce de pain ?", "bénévoles pour la distribution de pain", "salle de réunion"),
        ("fr", "ça donne quoi mon offre de salle", "salle de réunion", "bénévoles"),
        ("fr", "y a eu des réponses pour la salle ?", "salle de réunion", "bénévoles"),
        ("fr", "mon besoin est toujours en ligne ?", "bénévoles pour la distribution de pain", "salle de réunion"),
        ("en", "has anyone seen my bread listing?", "volunteers for our bread distribution", "meeting room"),
        ("en", "any news about my room offer?", "meeting room", "volunteers"),
    ],
)
async def test_the_listing_named_among_several(territory, language: str, typed: str, named: str, other: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    await _with(asso, language, BREAD[language], ROOM[language])
    assert _listings(app) == 2, asso.text()
    await asso.say(typed)
    said = asso.text()
    assert _listings(app) == 2, said
    assert named in said and other not in said and VISIBLE[language] in said, said
    assert _at_menu(asso), said


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "qqn a vu mon annonce ?"),
        ("fr", "y a eu des réponses ?"),
        ("fr", "mes annonces sont toujours en ligne ?"),
        ("en", "any replies?"),
        ("en", "is my listing still up?"),
    ],
)
async def test_a_question_naming_none_of_several_lists_them(territory, language: str, typed: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    await _with(asso, language, BREAD[language], ROOM[language])
    await asso.say(typed)
    said = asso.text()
    assert _listings(app) == 2, said
    assert BREAD[language][:25] in said and ROOM[language][:25] in said and MANAGE[language] in said, said
    assert _at_menu(asso), said


@pytest.mark.parametrize(
    ("language", "typed", "word"),
    [
        ("fr", "j'ai eu des réponses pour le camion ?", "camion"),
        ("fr", "quelqu'un a vu mon annonce de vélos ?", "vélos"),
        ("en", "any news about my van request?", "van"),
    ],
)
async def test_a_listing_they_do_not_have_is_said_and_theirs_listed(territory, language: str, typed: str, word: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    await _with(asso, language, BREAD[language])
    await asso.say(typed)
    said = asso.text()
    assert _listings(app) == 1, said
    assert f"« {word} »" in said or f"“{word}”" in said, said
    assert BREAD[language][:25] in said and ("/besoin" in said or "/need" in said), said
    assert _at_menu(asso), said


@pytest.mark.parametrize(
    ("language", "typed"),
    [("fr", "quelqu'un a vu mon annonce ?"), ("fr", "y a eu des réponses ?"), ("en", "has anyone answered my listing?")],
)
async def test_no_listing_yet_says_how_to_publish_one(territory, language: str, typed: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    if language == "en":
        await _english(asso)
    await asso.say(typed)
    said = asso.text()
    assert _listings(app) == 0, said
    assert ("pas encore d'annonce" in said and "/besoin" in said) or ("no listing yet" in said and "/offer" in said), said
    assert _at_menu(asso), said


# ---------------------------------------------------------------- closed, paused: said


async def test_a_closed_listing_is_said_closed(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    await _with(asso, "fr", BREAD["fr"])
    with connect(app.config.db) as conn:
        conn.execute("UPDATE listings SET status = 'closed'")
        conn.commit()
    await asso.say("est-ce que quelqu'un a vu mon annonce de pain ?")
    said = asso.text()
    assert "Clôturée" in said and _listings(app) == 1, said


async def test_paused_suggestions_are_said(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    await _with(asso, "fr", BREAD["fr"])
    await asso.say("/pause")
    await asso.say("/menu")
    await asso.say("qqn a vu mon annonce ?")
    said = asso.text()
    assert "en pause" in said and "/reprendre" in said and _listings(app) == 1, said


# ---------------------------------------------------------------- what it led to: suggestions and introductions


async def test_the_suggestions_and_introductions_it_led_to(two_sides) -> None:
    app, alice, bob = two_sides
    await alice.say("/menu")
    await alice.say("quelqu'un a répondu à mon besoin de comptabilité ?")
    assert "Aucune suggestion de partenaire" in alice.text(), alice.text()
    await app.suggestion_round()
    from tests.core.people import deliver

    await deliver(app)
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Me présenter")
    await press_decision(bob, last_decision(bob.adapter, "bob"), "Me présenter")
    await alice.say("/menu")
    await alice.say("quelqu'un a répondu à mon besoin de comptabilité ?")
    said = alice.text()
    assert "Suggestions de partenaires issues de cette annonce : 2 · mises en relation faites : 1" in said, said
    await bob.say("/menu")
    await bob.say("qqn a vu mon offre ?")
    assert "issues de cette annonce : 2 · mises en relation faites : 1" in bob.text(), bob.text()


# ---------------------------------------------------------------- guards: a need asked as a question is still a need


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "vous auriez quelqu'un pour nous prêter un camion ?"),
        ("fr", "quelqu'un aurait un camion à nous prêter samedi ?"),
        ("fr", "Quelqu'un pourrait nous prêter une salle samedi ?"),
        ("fr", "Est-ce que quelqu'un peut nous aider à déménager des tables samedi ?"),
        ("fr", "on a eu des retours sur la distribution, on cherche maintenant une salle ?"),
        ("en", "does anyone have a van to lend?"),
        ("en", "Could someone lend us a van on Saturday?"),
        ("en", "We need volunteers for Saturday, has anyone got some time?"),
    ],
)
async def test_a_need_asked_as_a_question_is_still_a_new_need(territory, language: str, typed: str) -> None:
    _, _, people = territory
    asso = people["asso"]
    await _with(asso, language, BREAD[language])
    await asso.say(typed)
    said = asso.text()
    assert any(words in asso.question.text for words in STARTED), said
    assert VISIBLE[language] not in said, said


@pytest.mark.parametrize(
    "typed",
    [
        "vous auriez quelqu'un pour nous prêter un camion ?",
        "does anyone have a van to lend?",
        "qqn a un camion ?",
        "anyone got a spare van?",
        "qui peut répondre à notre besoin de bénévoles ?",
        "Mon offre : cours de soutien en ligne",
        "Our offer: we read stories to kids and answer their questions",
        "Besoin d'un camion samedi, des réponses ?",
        "We need volunteers, has anyone answered our call?",
        "qui cherche une salle ?",
        "est-ce que quelqu'un a vu les annonces des autres ?",
        "mes annonces",
    ],
)
def test_what_is_no_question_about_ones_listing(typed: str) -> None:
    assert understanding.asks_about_own_listing(typed) is None


@pytest.mark.parametrize(
    ("typed", "kind", "words"),
    [
        ("est-ce que quelqu'un a vu mon annonce de pain ?", None, ("pain",)),
        ("ça donne quoi mon offre de salle", "offer", ("salle",)),
        ("mon besoin de bénévoles est toujours en ligne ?", "need", ("benevoles",)),
        ("j'ai eu des réponses pour le camion ?", None, ("camion",)),
        ("y a eu des réponses ?", None, ()),
        ("has anyone seen my bread offer?", "offer", ("bread",)),
        ("any news about my van request?", "need", ("van",)),
        ("is my listing still up?", None, ()),
        ("des nouvelles pour le camion ?", None, ("camion",)),
        ("how is my offer of a room doing?", "offer", ("room",)),
        ("bonsoir, qqn a répondu à l'annonce du camion ?", None, ("camion",)),
        ("Did anyone reply to my post about the van?", None, ("van",)),
    ],
)
def test_what_a_question_about_ones_listing_names(typed: str, kind: str | None, words: tuple[str, ...]) -> None:
    asked = understanding.asks_about_own_listing(typed)
    assert asked is not None and asked.kind == kind and asked.words == words, asked


async def test_the_question_under_a_waiting_suggestion_is_answered_and_the_suggestion_stays(two_sides) -> None:
    """The same question typed while a suggestion waits on screen: its listing's state, the suggestion shown
    again — never a draft need."""
    from tests.core.people import deliver

    app, alice, _ = two_sides
    await app.suggestion_round()
    await deliver(app)
    await alice.say("quelqu'un a répondu à mon besoin de comptabilité ?")
    said = alice.text()
    assert "Un coup de main pour la comptabilité" in said and "visible jusqu'au" in said, said
    assert "brouillon" not in said and "Partenaire possible : Cabinet Martin" in alice.question.text, said
    assert int(rows(app, "SELECT COUNT(*) FROM listings")[0][0]) == 2, said


@pytest.mark.parametrize("menu", [False, True])
async def test_the_question_while_a_call_waits_for_a_written_answer_is_no_answer(territory, menu: bool) -> None:
    """A coordinator's call waiting for a written answer (on screen, or announced above the menu): the question about
    one's listing gets that listing's state; it is never sent to the coordinator as the answer."""
    app, _, people = territory
    marie, asso = people["marie"], people["asso"]
    await _with(asso, "fr", BREAD["fr"])
    await send_call(app, marie)
    if menu:
        await asso.say("/menu")
    await asso.say("est-ce que quelqu'un a vu mon annonce de pain ?")
    said = asso.text()
    assert "bénévoles pour la distribution de pain" in said and "visible jusqu'au" in said, said
    assert rows(app, "SELECT COUNT(*) FROM broadcast_answers") == [(0,)] and _listings(app) == 1, said
