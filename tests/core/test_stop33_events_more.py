"""Trial 33 (a new user on the console), events: someone who finished her profile after an event was published was
told at /evenements « Aucun événement à venir pour vous »; a registered person's new head count in words (« finalement
on sera que 2 », « en fait je viendrai seule », « on sera 2 » at the event's card) was not read; a coordinator's
/evenements listed her events then said « Aucun événement à venir pour vous »; « 60 à peu près » at « Combien de
places ? » was answered « C'est noté : Vaulx-en-Velin (69). » (the only territory, taken) before any word of the places."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.backends import connect
from tests.core.people import Person, deliver
from tests.core.test_coordination import territory  # noqa: F401  (fixture)
from tests.core.test_stop30_invitations import _english
from tests.core.test_stop33_events import FORUM, _publish, _statuses
from tests.core.test_suggestions import clock, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends


def _people(app, user: str = "bob") -> dict[str, tuple[str, int]]:  # type: ignore[no-untyped-def]
    with connect(app.config.db) as conn:
        sql = (
            "SELECT e.title, p.status, COALESCE(p.people, 1) FROM event_people p JOIN events e ON e.id = p.event_id "
            "JOIN identities i ON i.actor_id = p.actor_id WHERE i.user_id = ?"
        )
        return {str(title): (str(status), int(people)) for title, status, people in conn.execute(sql, (user,)).fetchall()}


def _shown(person: Person) -> str:
    """What the bot said last, with the labels of its buttons (the events listed)."""
    return "\n".join([person.text(), *(choice.label for reply in person.last for choice in reply.choices)])


# ---------------------------------------------------------------- 1. someone who joins after the event was published


async def _late(app, place: str = "Villeurbanne", consent: str = "Oui aux deux") -> Person:  # type: ignore[no-untyped-def]
    """Amina finishes her profile in ``place`` after the forum was published."""
    amina = Person(app.runtime, next(a for a in app.adapters if a.platform == "tg"), "amina")
    await amina.onboard("Asso Amina", place, consent=consent)
    return amina


@pytest.mark.parametrize("join", ["je m'inscris", "1"])
async def test_a_later_comer_of_the_territory_sees_the_event_and_registers(two_sides, join: str) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = two_sides
    await _publish(app, FORUM)
    amina = await _late(app)
    await amina.say("/evenements")
    assert FORUM in _shown(amina) and "Aucun événement" not in amina.text(), _shown(amina)
    await amina.say(join)
    if join == "1":  # the event's card, then its « Je m'inscris »
        await amina.say("je m'inscris")
    assert _statuses(app, "amina") == {FORUM: "registered"}, amina.text()
    assert "Inscrit·e" in amina.text(), amina.text()


async def test_a_later_comer_signs_up_in_words_at_the_menu(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = two_sides
    await _publish(app, FORUM)
    amina = await _late(app)
    await amina.say("je viens au forum, on sera 3")
    assert _people(app, "amina") == {FORUM: ("registered", 3)}, amina.text()


@pytest.mark.parametrize(
    ("place", "consent"),
    [("Lille", "Oui aux deux"), ("Villeurbanne", "Les suggestions seulement")],
)
async def test_guard_a_later_comer_outside_the_audience_does_not_see_it(two_sides, place: str, consent: str) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = two_sides
    await _publish(app, FORUM)
    amina = await _late(app, place, consent)
    await amina.say("/evenements")
    assert FORUM not in _shown(amina) and "Aucun événement à venir pour vous" in amina.text(), _shown(amina)
    await amina.say("je m'inscris au forum")
    assert _statuses(app, "amina") == {}, amina.text()


async def test_guard_a_paused_later_comer_is_not_invited(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = two_sides
    await _publish(app, FORUM)
    amina = await _late(app)
    with connect(app.config.db) as conn:
        conn.execute("UPDATE actors SET paused = TRUE WHERE name = 'Asso Amina'")
        conn.commit()
    await amina.say("/evenements")
    assert FORUM not in _shown(amina), _shown(amina)
    await amina.say("je m'inscris au forum")
    assert _statuses(app, "amina") == {}, amina.text()


# ---------------------------------------------------------------- 2. a new head count in words


async def _registered_three(app, bob: Person, language: str) -> None:  # type: ignore[no-untyped-def]
    if language == "en":
        await _english(bob)
    await _publish(app, FORUM)
    await bob.say("oui, on sera 3" if language == "fr" else "yes, there will be 3 of us")
    assert _people(app) == {FORUM: ("registered", 3)}, bob.text()


CHANGES = [
    ("fr", "finalement on sera que 2", 2),
    ("fr", "en fait je viendrai seule", 1),
    ("fr", "finalement je viendrai seule au forum", 1),
    ("fr", "on ne sera que 2 finalement", 2),
    ("fr", "ce sera juste moi finalement", 1),
    ("fr", "jviendrai seul en fait", 1),
    ("fr", "finalement on sera plus que 2", 2),
    ("en", "just me in the end", 1),
    ("en", "actually only 2 of us", 2),
    ("en", "it'll just be me", 1),
    ("en", "we'll only be 2 after all", 2),
    ("en", "I'll come alone actually", 1),
]


@pytest.mark.parametrize(("language", "said", "people"), CHANGES)
async def test_a_new_head_count_in_words_changes_it(two_sides, language: str, said: str, people: int) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _registered_three(app, bob, language)
    await bob.say(said)
    assert _people(app) == {FORUM: ("registered", people)}, bob.text()
    assert ("vous serez" if language == "fr" else "you will be") in bob.text(), bob.text()


@pytest.mark.parametrize(
    ("language", "said", "people"),
    [("fr", "on sera 2", 2), ("fr", "finalement je viendrai seule", 1), ("en", "there'll be 2 of us", 2)],
)
async def test_a_head_count_at_the_events_card_changes_it(two_sides, language: str, said: str, people: int) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _registered_three(app, bob, language)
    await bob.say("/evenements" if language == "fr" else "/events")
    await bob.say("1")  # the event's card
    await bob.say(said)
    assert _people(app) == {FORUM: ("registered", people)}, bob.text()


async def test_a_head_count_at_the_list_changes_it(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _registered_three(app, bob, "fr")
    await bob.say("/evenements")
    await bob.say("finalement on sera que 2")
    assert _people(app) == {FORUM: ("registered", 2)}, bob.text()


@pytest.mark.parametrize(
    ("language", "said", "people"),
    [
        ("fr", "bon finalement on pourra venir, on sera 2", 2),
        ("fr", "en fait on viendra, on sera 4", 4),
        ("en", "actually we can come after all, there'll be 2 of us", 2),
    ],
)
async def test_a_decline_taken_back_with_a_head_count_at_the_card(two_sides, language: str, said: str, people: int) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    if language == "en":
        await _english(bob)
    await _publish(app, FORUM)
    await bob.say("non merci" if language == "fr" else "no thanks")
    assert _statuses(app) == {FORUM: "declined"}, bob.text()
    await bob.say("/evenements" if language == "fr" else "/events")
    await bob.say("1")
    await bob.say(said)
    assert _people(app) == {FORUM: ("registered", people)}, bob.text()
    assert "reconnu" not in bob.text() and "recognise" not in bob.text(), bob.text()


@pytest.mark.parametrize(
    ("language", "said"),
    [("fr", "on ne sera pas 4"), ("fr", "je suis seul à gérer l'asso"), ("fr", "oui merci"), ("en", "we won't be 2")],
)
async def test_guard_no_head_count_keeps_the_number(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _registered_three(app, bob, language)
    await bob.say(said)
    assert _people(app) == {FORUM: ("registered", 3)}, bob.text()


async def test_guard_no_thanks_at_the_card_changes_nothing(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _registered_three(app, bob, "fr")
    await bob.say("/evenements")
    await bob.say("1")
    await bob.say("non merci")
    assert _people(app) == {FORUM: ("registered", 3)}, bob.text()


# ---------------------------------------------------------------- 3. a coordinator's own events, then none for her


async def test_a_coordinators_own_events_are_not_contradicted(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = two_sides
    marie = Person(app.runtime, next(a for a in app.adapters if a.platform == "tg"), "marie")
    await marie.onboard("Maison des Assos", "Lyon")
    await _publish(app, FORUM)
    await marie.say("/evenements")
    assert FORUM in marie.text(), marie.text()
    assert "Aucun événement à venir pour vous" not in marie.text(), marie.text()
    assert "Quel événement" not in marie.text(), marie.text()  # never her own event as an invitation to herself


async def test_guard_a_coordinator_without_events_is_told_none(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = two_sides
    marie = Person(app.runtime, next(a for a in app.adapters if a.platform == "tg"), "marie")
    await marie.onboard("Maison des Assos", "Lyon")
    from core.clock import iso, utcnow
    from storage import coordination
    from tests.core.test_coordination import METROPOLE_LYON

    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "tg", "marie", METROPOLE_LYON, "cli", iso(utcnow())))
    await marie.say("/evenements")
    assert "aucun événement à venir" in marie.text() and "Aucun événement à venir pour vous" in marie.text(), marie.text()


# ---------------------------------------------------------------- 4. the places said back, not the territory alone


async def _to_capacity(app, marie: Person) -> None:  # type: ignore[no-untyped-def]
    await marie.say("/evenement")
    await marie.say("Forum des associations")
    when = (app.runtime.clock() + timedelta(days=12)).astimezone(ZoneInfo("Europe/Paris"))
    await marie.say(when.strftime("%d/%m/%Y 18h30"))
    await marie.say("20h")
    await marie.say("Maison des associations")


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("fr", "60 à peu près", "C'est noté : 60 places."),
        ("fr", "environ 40 personnes", "C'est noté : 40 places."),
        ("fr", "une vingtaine", "C'est noté : 20 places."),
        ("fr", "1 seule place", "C'est noté : 1 place."),
        ("en", "about 60", "Noted: 60 places."),
    ],
)
async def test_the_places_are_said_back(territory, language: str, typed: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, _, people = territory
    marie = people["marie"]
    if language == "en":
        await _english(marie)
    await _to_capacity(app, marie)
    await marie.say(typed)
    shown = marie.text()
    territory_said = "C'est noté : Villeurbanne (69)" if language == "fr" else "Noted: Villeurbanne (69)"
    assert said in shown and territory_said in shown, shown
    assert shown.index(said) < shown.index(territory_said), shown  # the answer first, then the territory taken


async def test_guard_a_bad_capacity_is_refused_without_echo(territory) -> None:  # type: ignore[no-untyped-def]
    app, _, people = territory
    marie = people["marie"]
    await _to_capacity(app, marie)
    await marie.say("beaucoup")
    assert "entre 1 et 10000" in marie.text() and "C'est noté" not in marie.text(), marie.text()
    await deliver(app)
