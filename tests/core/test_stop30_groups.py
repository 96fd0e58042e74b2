"""Working groups seen by coordinators (trial 30): /stats said « 0 groupe de travail formé » after a
member accepted an invitation (a group is formed once two members accepted: the one waiting for a
second yes is now said, with its member), and a coordinator without a profile who speaks English got
the join and leave notices in French (the language of a chat without a profile is its conversation's)."""

from __future__ import annotations

import pytest

from core.clock import iso
from storage import coordination
from tests.core.people import Person, deliver
from tests.core.test_groups import VILLEURBANNE, clock, invitation, make_group, territory  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends


async def _english_coordinator(app, console, clock) -> Person:  # type: ignore[no-untyped-def]
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "john", VILLEURBANNE, "test:admin", iso(clock())))
    return Person(app.runtime, console, "john", "en")


async def _english_group(john: Person, query: str) -> None:
    await john.say("/group")
    await john.press("Actors I choose")
    await john.say(query)
    await john.say("ok")
    await john.say("Food belt")
    await john.press("Send the invitations")


@pytest.mark.parametrize("answer", ["join", "decline"])
async def test_a_coordinator_without_a_profile_gets_notices_in_their_language(territory, clock, answer: str) -> None:
    app, (console, _, _), people = territory
    john = await _english_coordinator(app, console, clock)
    await _english_group(john, "tonkin, jardins")
    assert "invited 2" in john.text(), john.text()
    await deliver(app)
    asso = people["asso"]
    await asso.send(asso.incoming(choice=answer, prompt_id=invitation(console, "asso").prompt_id))
    await deliver(app)
    notice = console.replies_to("john")[-1].text
    said = "accepted" if answer == "join" else "declined"
    assert 'Group "Food belt"' in notice and said in notice, notice


async def test_a_member_who_leaves_is_told_to_a_coordinator_in_their_language(territory, clock) -> None:
    app, (console, _, matrix), people = territory
    john = await _english_coordinator(app, console, clock)
    await _english_group(john, "tonkin, jardins")
    await deliver(app)
    for name, adapter in (("asso", console), ("jardins", matrix)):
        person = people[name]
        await person.send(person.incoming(choice="join", prompt_id=invitation(adapter, person.user_id).prompt_id))
    await deliver(app)
    asso = people["asso"]
    await asso.say("/supprimer")
    await asso.press(asso.question.choices[0].label)
    await deliver(app)
    notice = console.replies_to("john")[-1].text
    assert "Food belt" in notice and "left" in notice.lower() and "a quitté" not in notice, notice


@pytest.mark.parametrize(("language", "typed", "formed", "forming"), [
    ("fr", "30 jours", "0 groupe de travail formé", "1 autre groupe de travail en cours de constitution : 1 membre a accepté"),
    ("en", "30 days", "0 working groups formed", "1 more working group being formed: 1 member accepted"),
])  # fmt: skip
async def test_stats_say_the_group_a_member_accepted(territory, clock, language: str, typed: str, formed: str, forming: str) -> None:
    app, (console, _, _), people = territory
    marie = people["marie"]
    await make_group(marie, "tonkin, jardins, ferme", "Ceinture alimentaire", None)
    await marie.press("Envoyer les invitations")
    await deliver(app)
    asso = people["asso"]
    await asso.send(asso.incoming(choice="join", prompt_id=invitation(console, "asso").prompt_id))
    await deliver(app)
    coordinator = marie if language == "fr" else await _english_coordinator(app, console, clock)
    await coordinator.say("/stats")
    await coordinator.say(typed)
    said = coordinator.text()
    assert formed in said and forming in said, said
    csv = next(r.attachment for r in coordinator.last if r.attachment and r.attachment.filename.endswith(".csv")).data.decode("utf-8-sig")
    assert ("En cours de constitution" if language == "fr" else "Being formed") in csv, csv


async def test_stats_count_a_group_formed_at_the_second_yes_and_no_longer_as_forming(territory, clock) -> None:
    app, (console, _, matrix), people = territory
    marie = people["marie"]
    await make_group(marie, "tonkin, jardins, ferme", "Ceinture alimentaire", None)
    await marie.press("Envoyer les invitations")
    await deliver(app)
    for name, adapter in (("asso", console), ("jardins", matrix)):
        person = people[name]
        await person.send(person.incoming(choice="join", prompt_id=invitation(adapter, person.user_id).prompt_id))
    await deliver(app)
    await marie.say("/stats")
    await marie.say("30 jours")
    said = marie.text()
    assert "1 groupe de travail formé (2 membres)" in said and "en cours de constitution" not in said, said
