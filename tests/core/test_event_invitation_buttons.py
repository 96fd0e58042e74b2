"""New-user trials: an event invitation has buttons (« Je m'inscris » / « Pas intéressé·e », numbered
choices on the console), and « je m'inscris » reaches the events inside another command's questions
(/profil's), the question staying and asked again; typed answers keep working."""

from __future__ import annotations

from core.types import Reply
from tests.core.people import Person
from tests.core.test_event_wish_at_a_question import _event_published, registered
from tests.core.test_suggestions import clock, two_sides  # noqa: F401  (fixtures)


def _invitation(bob: Person) -> Reply:
    return next(reply for reply in reversed(bob.adapter.replies_to("bob")) if "vous invite" in reply.text)


async def test_an_invitation_has_buttons_to_sign_up_or_not(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _event_published(app, Person(app.runtime, alice.adapter, "marie"))
    invitation = _invitation(bob)
    assert [c.label for c in invitation.choices] == ["Je m'inscris", "Pas intéressé·e"], invitation
    assert invitation.prompt_id and invitation.notice
    bob.last = [invitation]
    await bob.press("Pas intéressé·e")
    assert registered(app) == 0 and "Forum des associations" in bob.text(), bob.text()
    bob.last = [invitation]  # an earlier message's button: changing one's mind
    await bob.press("Je m'inscris")
    assert registered(app) == 1, bob.text()
    assert "Inscrit·e" in bob.text() and any(reply.attachment for reply in bob.last), bob.text()


async def test_an_invitation_in_english_has_english_buttons(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await bob.say("/settings")
    await bob.say("language")
    await bob.say("English")
    await _event_published(app, Person(app.runtime, alice.adapter, "marie"))
    invitation = next(reply for reply in reversed(bob.adapter.replies_to("bob")) if "invites you" in reply.text)
    assert [c.label for c in invitation.choices] == ["Sign me up", "Not interested"], invitation


async def test_a_button_pressed_inside_profile_questions_keeps_the_question(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _event_published(app, Person(app.runtime, alice.adapter, "marie"))  # idle: with its buttons (queue9: not beside a question)
    invitation = _invitation(bob)
    await bob.say("/profil")
    asked = bob.question
    bob.last = [invitation]
    await bob.press("Je m'inscris")
    assert registered(app) == 1, bob.text()
    assert bob.question.prompt_id == asked.prompt_id and bob.question.text == asked.text, bob.text()


async def test_the_console_answers_an_invitation_by_its_number_and_other_lines_go_on(two_sides) -> None:  # type: ignore[no-untyped-def]
    """The console sends each typed line with the prompt it printed last: the invitation's number
    answers it; a line that is not one of its choices goes to the current question as usual."""
    app, alice, bob = two_sides
    await _event_published(app, Person(app.runtime, alice.adapter, "marie"))  # idle: numbered (queue9: not beside a question)
    prompt = _invitation(bob).prompt_id
    await bob.say("/profil")  # a window still showing the invitation last
    asked = bob.question
    await bob.say("1", prompt_id=prompt)
    assert registered(app) == 1, bob.text()
    assert bob.question.prompt_id == asked.prompt_id, bob.text()  # /profil's question, asked again
    await bob.say("description", prompt_id=prompt)  # not one of the invitation's choices: /profil's answer
    assert "(280 caractères au plus)" in bob.question.text, bob.text()
    await bob.say("/annuler", prompt_id=prompt)
    assert registered(app) == 1 and "Pas intéressé·e" not in bob.text()


async def test_a_sign_up_typed_inside_profile_questions_signs_up_and_the_question_stays(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _event_published(app, Person(app.runtime, alice.adapter, "marie"))
    await bob.say("/profil")
    asked = bob.question
    await bob.say("je m'inscris au forum")
    assert registered(app) == 1, bob.text()
    assert "Inscrit·e" in bob.text(), bob.text()
    assert bob.question.prompt_id == asked.prompt_id and bob.question.text == asked.text, bob.text()
    await bob.say("count me in")  # already registered: said, the file again, the question still there
    assert registered(app) == 1 and bob.question.prompt_id == asked.prompt_id, bob.text()
    await bob.say("je viens de Lyon")  # not a sign-up: the question reads it as usual
    assert registered(app) == 1
