"""Trial 32: an event's invitation answered while a suggestion is the question on screen. Words that name the event
(a word of its title, its day, « l'événement », « la soirée ») or that only an invitation's answer says (« je viens »,
« on sera là », « inscrivez-moi », an unavailability) are the invitation's answer: registered (with the number of
people said) or declined, said back; the suggestion stays open and is shown again. What fits the suggestion (its yes,
its no, « plus tard ») stays the suggestion's, and a bare « oui » answers the question on screen, as before."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from core.clock import iso, utcnow
from storage import coordination
from tests.backends import connect
from tests.core.people import Person, deliver, settled
from tests.core.test_coordination import METROPOLE_LYON
from tests.core.test_stop30_invitations import _english, _status
from tests.core.test_suggestions import clock, last_decision, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends

SUGGESTION = {"fr": "Partenaire possible : Les Restos de la Soie", "en": "Possible partner: Les Restos de la Soie"}


async def _publish(app, title: str) -> None:  # type: ignore[no-untyped-def]
    """Marie, coordinator of the Métropole de Lyon, publishes ``title`` on Saturday 5 December 2026 (the clock is on
    Monday 23 November), 18:30 to 20:00, at the Maison des associations; its invitations are sent before we go on."""
    marie = Person(app.runtime, next(a for a in app.adapters if a.platform == "tg"), "marie")
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "tg", "marie", METROPOLE_LYON, "cli", iso(utcnow())))
    await marie.say("/evenement")
    await marie.say(title)
    when = (app.runtime.clock() + timedelta(days=12)).astimezone(ZoneInfo("Europe/Paris"))
    assert when.weekday() == 5  # a Saturday
    await marie.say(when.strftime("%d/%m/%Y 18h30"))
    await marie.say("20h")
    await marie.say("Maison des associations, 28 rue du Tonkin")
    await marie.say("30 places")
    await marie.say("ok")  # every type
    await marie.say("ok")  # every theme
    await marie.press("Publier")
    await deliver(app)
    await settled(marie)
    await deliver(app)


async def _suggestion_then_invitation(app, bob: Person, language: str, title: str) -> None:  # type: ignore[no-untyped-def]
    """Bob's suggestion (Les Restos de la Soie) is on screen when the invitation to ``title`` arrives."""
    if language == "en":
        await _english(bob)
    await app.suggestion_round()
    await deliver(app)
    assert SUGGESTION[language] in _last(bob), _last(bob)
    await _publish(app, title)
    assert title in _last(bob), _last(bob)  # the invitation, while the suggestion is on screen
    assert _status(app) == "invited"


async def _invitation_then_suggestion(app, bob: Person, language: str, title: str) -> None:  # type: ignore[no-untyped-def]
    """Bob's invitation to ``title`` arrives; he goes to the menu, his suggestions come, he opens them with /suggestions."""
    if language == "en":
        await _english(bob)
    await _publish(app, title)
    assert bob.adapter.replies_to("bob")[-1].prompt_id == "event-1", bob.text()
    await bob.say("menu")
    await app.suggestion_round()
    await deliver(app)
    await bob.say("/suggestions")
    assert SUGGESTION[language] in bob.text(), bob.text()
    assert _status(app) == "invited"


def _last(bob: Person) -> str:
    return bob.adapter.replies_to("bob")[-1].text


def _people(app) -> int:  # type: ignore[no-untyped-def]
    with connect(app.config.db) as conn:
        sql = "SELECT p.people FROM event_people p JOIN identities i ON i.actor_id = p.actor_id WHERE i.user_id = 'bob'"
        return int(conn.execute(sql).fetchone()[0])


def _suggestion_status(app) -> str:  # type: ignore[no-untyped-def]
    with connect(app.config.db) as conn:
        sql = "SELECT s.status FROM suggestions s JOIN identities i ON i.actor_id = s.actor_id WHERE i.user_id = 'bob'"
        return str(conn.execute(sql).fetchone()[0])


FORUM = "Forum des associations"
FETE = "Fête des assos"
APERO = "Apéro des bénévoles"

JOINS = [
    ("fr", FORUM, "oui je viens au forum", 1),
    ("fr", FETE, "on sera là samedi pour la fête des assos", 1),
    ("fr", APERO, "inscrivez-moi à l'apéro des bénévoles", 1),
    ("fr", FORUM, "on sera là samedi avec 3 bénévoles", 3),
    ("fr", FORUM, "je viendrai à la soirée avec deux collègues", 3),
    ("fr", FORUM, "ok pour l'événement, on sera 4", 4),
    ("fr", FETE, "je viens", 1),
    ("en", FORUM, "count me in for the forum", 1),
    ("en", FORUM, "we'll be there on Saturday", 1),
    ("en", FORUM, "yes to the event, there will be 2 of us", 2),
    ("en", FETE, "sign me up for the party", 1),
]


@pytest.mark.parametrize(("language", "title", "said", "people"), JOINS)
async def test_a_sign_up_at_a_suggestion_answers_the_invitation(two_sides, language: str, title: str, said: str, people: int) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _suggestion_then_invitation(app, bob, language, title)
    await bob.say(said)
    assert _status(app) == "registered", bob.text()
    assert _people(app) == people, bob.text()
    assert ("Inscrit·e" if language == "fr" else "Signed up") in bob.text(), bob.text()
    assert _suggestion_status(app) == "proposed", bob.text()
    assert SUGGESTION[language] in bob.text(), bob.text()  # the suggestion, shown again
    await bob.say("plus tard" if language == "fr" else "later")
    assert _suggestion_status(app) == "later", bob.text()
    assert _status(app) == "registered", bob.text()


DECLINES = [
    ("fr", FORUM, "pas dispo pour le forum désolé"),
    ("fr", FETE, "on ne pourra pas venir samedi"),
    ("fr", APERO, "désolé, on sera pas là pour l'apéro"),
    ("fr", FORUM, "non merci pour la soirée"),
    ("en", FORUM, "can't make it to the forum, sorry"),
    ("en", FORUM, "we won't be there on Saturday"),
]


@pytest.mark.parametrize(("language", "title", "said"), DECLINES)
async def test_an_unavailability_at_a_suggestion_declines_the_invitation(two_sides, language: str, title: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _suggestion_then_invitation(app, bob, language, title)
    await bob.say(said)
    assert _status(app) == "declined", bob.text()
    assert _suggestion_status(app) == "proposed", bob.text()  # never the suggestion's no
    assert SUGGESTION[language] in bob.text(), bob.text()


@pytest.mark.parametrize(
    ("language", "said", "status"),
    [
        ("fr", "oui je viens au forum", "registered"),
        ("fr", "pas dispo pour le forum désolé", "declined"),
        ("en", "count me in for the forum", "registered"),
    ],
)
async def test_the_suggestion_shown_after_the_invitation(two_sides, language: str, said: str, status: str) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _invitation_then_suggestion(app, bob, language, FORUM)
    await bob.say(said)
    assert _status(app) == status, bob.text()
    assert _suggestion_status(app) == "proposed", bob.text()
    assert SUGGESTION[language] in bob.text(), bob.text()


SUGGESTION_WORDS = [
    ("fr", "oui", "accepted"),
    ("fr", "non merci", "declined"),
    ("fr", "plus tard", "later"),
    ("fr", "non merci, pas intéressé par ce partenaire", "declined"),
    ("en", "yes", "accepted"),
    ("en", "no thanks", "declined"),
]


@pytest.mark.parametrize(("language", "said", "status"), SUGGESTION_WORDS)
async def test_the_suggestions_own_words_stay_the_suggestions(two_sides, language: str, said: str, status: str) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _suggestion_then_invitation(app, bob, language, FORUM)
    await bob.say(said)
    assert _suggestion_status(app) == status, bob.text()
    assert _status(app) == "invited", bob.text()


@pytest.mark.parametrize(
    ("language", "said", "status"),
    [
        ("fr", "oui, et on cherche aussi des tables pour samedi", "accepted"),
        ("fr", "on cherche des bénévoles pour samedi", "proposed"),
        ("fr", "non merci, on cherche plutôt des bénévoles pour samedi", "declined"),
        ("en", "yes please, and we also need tables for Saturday", "accepted"),
    ],
)
async def test_words_of_any_question_leave_the_invitation_waiting(two_sides, language: str, said: str, status: str) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _suggestion_then_invitation(app, bob, language, FORUM)
    await bob.say(said)
    assert _status(app) == "invited", bob.text()
    assert _suggestion_status(app) == status, bob.text()


SATURDAY = "2026-12-05T17:30:00+00:00"
READINGS = [
    ("oui je viens au forum", "join"),
    ("on sera là samedi pour la fête", "join"),
    ("inscrivez-moi au forum", "join"),
    ("oui pour le forum !", "join"),
    ("ok pour samedi, on sera 3", "join"),
    ("avec plaisir pour la soirée", "join"),
    ("pas dispo pour le forum désolé", "decline"),
    ("on ne pourra malheureusement pas venir", "decline"),
    ("non merci pour l'événement", "decline"),
    ("count me in for the forum", "join"),
    ("we'll be there on Saturday", "join"),
    ("sure, see you at the event", "join"),
    ("sorry, can't make it on Saturday", "decline"),
    ("no thanks to the event", "decline"),
    ("oui", None),
    ("yes", None),
    ("non merci", None),
    ("plus tard", None),
    ("pas maintenant", None),
    ("oui ça m'intéresse", None),
    ("I'm in", None),
    ("on cherche des bénévoles pour samedi", None),
    ("oui, et on cherche aussi des tables pour samedi", None),
    ("on peut prêter des tables", None),
    ("pas dispo en ce moment", None),
    ("pas dispo pour les rencontrer", None),
    ("not available right now", None),
    ("pas dispo en ce moment, et pas pour le forum non plus", "decline"),
]


@pytest.mark.parametrize(("said", "answer"), READINGS)
def test_what_answers_a_waiting_invitation(said: str, answer: str | None) -> None:
    from conversations.events import invitation_answer

    assert invitation_answer(said, "Forum des associations", SATURDAY, "Europe/Paris") == answer
