"""Trial 31: answers to invitations and calls read as people write them. An unavailability in words at an event's
invitation (« pas dispo ce jour la desolé », "can't make it that day sorry") is its no, never an offer draft;
« oui ! on sera là avec 3 bénévoles » registers three people, said back, counted for the coordinator, changed by
answering again; a question typed at a call waiting for a written answer is no answer; the organisation's public
contact is given where the bot cannot pass a question on; a sign-up said in a longer sentence at the menu signs up."""

from __future__ import annotations

import pytest

from conversations.understanding import starts_declining
from tests.backends import connect
from tests.core.people import Person
from tests.core.test_coordination import territory  # noqa: F401  (fixture)
from tests.core.test_event_wish_at_a_question import registered
from tests.core.test_stop30_invitations import LISTING_QUESTIONS, _invited, _status
from tests.core.test_suggestions import clock, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends

UNAVAILABLE = [
    ("fr", "pas dispo ce jour la desolé"),
    ("fr", "on pourra pas venir"),
    ("fr", "ce sera sans nous"),
    ("fr", "Désolée, on ne pourra malheureusement pas venir"),
    ("fr", "merci pour l'invitation mais on sera pas là"),
    ("fr", "nous sommes absents cette semaine-là"),
    ("fr", "je ne serai pas disponible, bonne soirée à vous"),
    ("fr", "on est pris ailleurs ce soir-là"),
    ("en", "can't make it that day sorry"),
    ("en", "we won't be able to come"),
    ("en", "sorry, we're not available that evening"),
    ("en", "thanks for the invite but I'll have to pass"),
]


@pytest.mark.parametrize(("language", "said"), UNAVAILABLE)
async def test_an_unavailability_at_an_invitation_declines_it(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say(said)
    assert _status(app) == "declined", bob.text()
    assert not any(words in bob.text() for words in (*LISTING_QUESTIONS, "c'est une offre", "an offer", "brouillon")), bob.text()
    await bob.say("/offre" if language == "fr" else "/offer")
    assert said not in bob.text() and said[:1].upper() + said[1:] not in bob.text(), bob.text()  # no draft of it resumed


@pytest.mark.parametrize(("language", "said"), [("fr", "pas dispo ce jour la desolé"), ("en", "can't make it that day sorry")])
async def test_an_unavailability_at_the_menu_while_the_invitation_waits(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say("menu")
    await bob.say(said)
    assert _status(app) == "declined", bob.text()
    assert not any(words in bob.text() for words in ("c'est une offre", "an offer")), bob.text()


STILL_OFFERS = [
    "on peut prêter des tables ce jour-là",
    "on est dispo pour tenir un stand",
    "we can lend tables that day",
    "we are available to help set up",
]


@pytest.mark.parametrize("said", STILL_OFFERS)
def test_an_offer_is_no_unavailability(said: str) -> None:
    assert not starts_declining(said)


async def test_an_unavailability_and_an_offer_keeps_the_offer(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, "fr")
    await bob.say("on n'est pas dispo ce soir-là mais on peut prêter des tables pour le forum")
    assert _status(app) == "declined", bob.text()
    assert "prêter des tables" in bob.text(), bob.text()  # the offer kept as a draft, said


ORGANISATION = "Maison des Associations de Villeurbanne"


async def _call_sent(app, people, english: bool, mode: str) -> Person:  # type: ignore[no-untyped-def]
    """Marie (signing as :data:`ORGANISATION`) sends a call answered in ``mode``; the association gets it."""
    from storage import calls
    from tests.core.people import deliver
    from tests.core.test_coordination import broadcast
    from tests.core.test_keep5_defects import _to_english

    await app.db.transaction(lambda conn: calls.set_organisation(conn, "test", "marie", ORGANISATION))
    asso = people["asso"]
    if english:
        await _to_english(asso)
    await broadcast(people["marie"], "Qui peut tenir un stand à la fête des associations ?", mode)
    await people["marie"].press("Envoyer")
    await deliver(app)
    assert "fête des associations" in asso.adapter.replies_to("asso")[-1].text
    return asso


def _answers(app) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    with connect(app.config.db) as conn:
        return [tuple(row) for row in conn.execute("SELECT answer FROM broadcast_answers ORDER BY id").fetchall()]


QUESTIONS = [
    (False, "c'est pour quelle période exactement ?"),
    (False, "c'est pour quelle période exactement"),
    (False, "Bonjour, il faut amener quoi ? merci"),
    (False, "quand est-ce que ça a lieu"),
    (False, "Combien de bénévoles il vous faut ?"),
    (True, "what dates is this for?"),
    (True, "do we need to bring our own tables"),
    (True, "Hi! When does it start? Thanks"),
]


@pytest.mark.parametrize(("english", "typed"), QUESTIONS)
async def test_a_question_at_a_written_call_is_no_answer(territory, english: bool, typed: str) -> None:  # type: ignore[no-untyped-def]
    app, _, people = territory
    asso = await _call_sent(app, people, english, "Une réponse écrite")
    await asso.say(typed)
    said = asso.text()
    assert _answers(app) == [], said
    assert ("not an answer" in said) if english else ("pas une réponse" in said), said
    assert ORGANISATION in said, said  # who to ask, by name
    await asso.say("We can hold a crêpes stand" if english else "On peut tenir un stand de crêpes")
    assert _answers(app) == [("We can hold a crêpes stand" if english else "On peut tenir un stand de crêpes",)], asso.text()


@pytest.mark.parametrize("typed", ["On peut tenir un stand. Il faut apporter des tables ?", "On peut venir samedi, ça vous va ?"])
async def test_an_answer_that_also_asks_is_an_answer(territory, typed: str) -> None:  # type: ignore[no-untyped-def]
    app, _, people = territory
    asso = await _call_sent(app, people, False, "Une réponse écrite")
    await asso.say(typed)
    assert _answers(app) == [(typed,)], asso.text()


@pytest.mark.parametrize(("english", "typed"), [(False, "c'est où le forum ? faut payer ?"), (True, "What time does it start?")])
async def test_a_question_at_an_interested_call_names_who_to_ask(territory, english: bool, typed: str) -> None:  # type: ignore[no-untyped-def]
    app, _, people = territory
    asso = await _call_sent(app, people, english, "Un bouton « Intéressé·e »")
    await asso.say(typed)
    said = asso.text()
    assert _answers(app) == [], said
    assert ORGANISATION in said, said
    assert ("directory" in said) if english else ("annuaire" in said), said  # where its details are (not)


def _people(app) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    with connect(app.config.db) as conn:
        sql = "SELECT p.status, p.people FROM event_people p JOIN identities i ON i.actor_id = p.actor_id WHERE i.user_id = 'bob'"
        return [(str(r[0]), int(r[1])) for r in conn.execute(sql).fetchall()]


COUNTED = [
    ("fr", "oui ! on sera là avec 3 bénévoles", 3, "3 personnes"),
    ("fr", "on viendra à 4", 4, "4 personnes"),
    ("fr", "avec plaisir, on viendra à deux", 2, "2 personnes"),
    ("fr", "Oui super, je viendrai avec deux collègues", 3, "3 personnes"),
    ("fr", "oui, on sera cinq", 5, "5 personnes"),
    ("en", "yes, 3 of us will come", 3, "3 people"),
    ("en", "yes! we'll be there with 2 volunteers", 2, "2 people"),
    ("en", "sure, I'll bring two colleagues", 3, "3 people"),
]


@pytest.mark.parametrize(("language", "said", "people", "shown"), COUNTED)
async def test_the_number_coming_is_kept_and_said(two_sides, language: str, said: str, people: int, shown: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say(said)
    assert _people(app) == [("registered", people)], bob.text()
    assert shown in bob.text() and "Forum des associations" in bob.text(), bob.text()


@pytest.mark.parametrize(("language", "said"), [("fr", "oui"), ("fr", "je m'inscris"), ("en", "count me in")])
async def test_no_number_is_one(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say(said)
    assert _people(app) == [("registered", 1)], bob.text()
    assert "personnes" not in bob.text() and "people" not in bob.text(), bob.text()


@pytest.mark.parametrize(
    ("language", "said", "words"),
    [
        ("fr", "oui, on sera 0", "ne peut pas être un nombre"),
        ("fr", "oui pour 500 personnes", "n'accueille que 10 personnes"),
        ("fr", "oui, on sera -2", "ne peut pas être un nombre"),
        ("en", "yes, 40 of us will come", "only has room for 10 people"),
    ],
)
async def test_a_nonsense_number_is_refused_and_nothing_changes(two_sides, language: str, said: str, words: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say(said)
    assert words in bob.text(), bob.text()
    assert _people(app) == [("invited", 1)], bob.text()


@pytest.mark.parametrize(
    ("language", "first", "again", "people"),
    [("fr", "oui on sera 3", "inscrivez-nous, finalement on sera 5", 5), ("en", "yes, 3 of us", "count us in, 2 of us in the end", 2)],
)
async def test_the_number_changes_by_answering_again(two_sides, language: str, first: str, again: str, people: int) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say(first)
    await bob.say(again)
    assert _people(app) == [("registered", people)], bob.text()
    assert (f"vous serez {people} personnes" if language == "fr" else f"you will be {people} people") in bob.text(), bob.text()
    assert registered(app) == 1


async def test_the_coordinators_figures_count_the_people_coming(two_sides) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from services.impact import impact_rows, impact_text
    from storage.stats import impact

    app, alice, bob = two_sides
    await _invited(app, alice, bob, "fr")
    await bob.say("oui ! on sera là avec 3 bénévoles")
    today = app.runtime.clock().date()
    figures = await app.db.run(lambda conn: impact(conn, "epci", "200046977", today - timedelta(days=1), today + timedelta(days=1)))
    assert (figures.event_registrations, figures.event_people) == (1, 3)
    assert "1 inscrit, 3 personnes" in impact_text(figures, "fr", "Métropole de Lyon"), impact_text(figures, "fr", "Métropole de Lyon")
    assert ("events", "people", "3") in impact_rows(figures)


@pytest.mark.parametrize(
    ("language", "said", "people"),
    [("fr", "finalement on sera 4", 4), ("fr", "en fait on viendra à 2", 2), ("en", "there will be 5 of us in the end", 5)],
)
async def test_a_new_number_said_alone_changes_the_registration(two_sides, language: str, said: str, people: int) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say("oui" if language == "fr" else "yes")
    await bob.say(said)
    assert _people(app) == [("registered", people)], bob.text()


LONGER_SIGN_UPS = [
    ("fr", "finalement on viendra au forum des assos, inscrivez-nous"),
    ("fr", "bon finalement on sera là au forum, inscrivez-nous"),
    ("fr", "en fait on a réfléchi, inscrivez-nous au forum des associations"),
    ("fr", "tout compte fait je viens au forum"),
    ("en", "actually we'll come to the forum des assos, count me in"),
    ("en", "in the end we'll come to the forum, sign us up"),
]


@pytest.mark.parametrize(("language", "said"), LONGER_SIGN_UPS)
async def test_a_longer_sign_up_at_the_menu_signs_up(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _invited(app, alice, bob, language)
    await bob.say("menu")
    await bob.say(said)
    assert _status(app) == "registered", bob.text()
    assert ("Inscrit·e" if language == "fr" else "Signed up") in bob.text(), bob.text()
