"""Trial 7: an event sign-up or the calendar file asked while a yes/no question is current.

"je m'inscris" under the invitation "📅 … Pour vous inscrire : /evenements", or "le fichier
calendrier", belongs to the events (the menu understands them when nothing waits): it goes there,
the question stays open and comes back after, rather than being refused as a wrong yes or no.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from core.clock import iso, utcnow
from storage import coordination
from tests.backends import connect
from tests.core.people import Person, deliver
from tests.core.test_coordination import METROPOLE_LYON
from tests.core.test_suggestions import clock, introduction_asked, request_after_own_suggestion, two_sides  # noqa: F401  (fixtures)


async def _event_published(app, marie: Person) -> None:  # type: ignore[no-untyped-def]
    """Marie, coordinator of the Métropole de Lyon, publishes the Forum des associations (bob is in Lyon)."""
    now = iso(utcnow())
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "tg", "marie", METROPOLE_LYON, "cli", now))
    await marie.say("/evenement")
    await marie.say("Forum des associations")
    when = (app.runtime.clock() + timedelta(days=10)).astimezone(ZoneInfo("Europe/Paris"))
    await marie.say(when.strftime("%d/%m/%Y 18h30"))
    await marie.say("20h")
    await marie.say("Maison des associations, 28 rue du Tonkin")
    await marie.say("10 places")
    # her only territory is taken and said (no question)
    await marie.say("ok")  # every type
    await marie.say("ok")  # every theme
    await marie.press("Publier")
    await deliver(app)


def registered(app) -> int:  # type: ignore[no-untyped-def]
    with connect(app.config.db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM event_people WHERE status = 'registered'").fetchone()[0])


async def test_a_sign_up_typed_at_a_yes_no_question_signs_up_and_the_question_stays(two_sides) -> None:
    app, alice, bob = two_sides
    await introduction_asked(app, alice)
    request = await request_after_own_suggestion(bob)
    assert "aimerait être mis en relation" in request.text
    await _event_published(app, Person(app.runtime, alice.adapter, "marie"))
    invitation = bob.adapter.replies_to("bob")[-1].text
    assert "vous invite" in invitation and "Forum des associations" in invitation, invitation

    await bob.say("je m'inscris")
    assert "« oui » ou « non »" not in bob.text(), bob.text()
    assert registered(app) == 1, bob.text()
    assert "aimerait être mis en relation" in bob.text(), bob.text()  # the question comes back after
    await bob.say("le fichier calendrier")
    assert "« oui » ou « non »" not in bob.text(), bob.text()
    assert "le fichier ci-joint l'ajoute à votre agenda" in bob.text(), bob.text()

    # the introduction request was not answered: still open, and it comes back
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT status FROM introductions").fetchall()[0][0] == "asked"
    assert "aimerait être mis en relation" in bob.text(), bob.text()
    await bob.say("oui")
    assert "mise en relation acceptée" in bob.text().lower(), bob.text()


async def test_a_bare_yes_still_answers_the_question_under_an_invitation(two_sides) -> None:
    app, alice, bob = two_sides
    await introduction_asked(app, alice)
    await request_after_own_suggestion(bob)
    await _event_published(app, Person(app.runtime, alice.adapter, "marie"))
    await bob.say("non merci")
    assert registered(app) == 0
    await deliver(app)
    told = [reply.text for reply in alice.adapter.replies_to("alice")[-3:]]  # then her own question again (her invitation)
    assert any("pas souhaité donner suite" in text for text in told), told
