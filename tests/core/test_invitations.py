"""Invitation codes: the welcome names who invited; an unknown or revoked code gets an answer."""

from __future__ import annotations

import re

import pytest

from core.clock import iso, utcnow
from storage import coordination
from tests.core.people import Person
from tests.core.test_coordination import onboard, rows, territory  # noqa: F401  (fixture)

pytestmark = pytest.mark.backends


async def test_the_welcome_names_the_inviting_organisation(territory) -> None:
    app, adapter, people = territory
    marie = people["marie"]
    await onboard(marie, "Maison des Associations de Villeurbanne", "Villeurbanne")
    [(code,)] = rows(app, "SELECT invite_code FROM coordinators WHERE user_id = 'marie'")
    newcomer = Person(app.runtime, adapter, "newcomer")
    replies = await newcomer.say(f"/start {code}")
    assert replies[0].text.startswith(
        "Vous rejoignez Trait d'union à l'invitation de Maison des Associations de Villeurbanne — Villeurbanne (69).\nBienvenue"
    )
    assert not re.search(r"\([^)]*\(", replies[0].text)  # no brackets inside brackets


async def test_the_welcome_names_the_organisation_given_at_appointment(territory) -> None:
    """Trial: appointed with --organisation and no profile, the welcome said "la coordination de …"."""
    from storage import calls

    app, adapter, _people = territory
    await app.db.transaction(lambda conn: calls.set_organisation(conn, "test", "marie", "Maison des associations de Langogne"))
    [(code,)] = rows(app, "SELECT invite_code FROM coordinators WHERE user_id = 'marie'")
    replies = await Person(app.runtime, adapter, "newcomer").say(f"/start {code}")
    assert replies[0].text.startswith(
        "Vous rejoignez Trait d'union à l'invitation de Maison des associations de Langogne — Villeurbanne (69)."
    )


async def test_an_unknown_or_revoked_code_is_answered_and_not_kept(territory) -> None:
    app, adapter, people = territory
    [(code,)] = rows(app, "SELECT invite_code FROM coordinators WHERE user_id = 'marie'")
    await app.db.transaction(lambda conn: coordination.remove_coordinator(conn, "test", "marie", "test:admin", iso(utcnow())))
    for who, typed in (("late", code), ("typo", "ZZZZ9999")):
        person = Person(app.runtime, adapter, who)
        replies = await person.say(f"/start {typed}")
        assert replies[0].text.startswith(f"Le code d'invitation « {typed} » n'existe pas ou n'est plus valable.")
        assert replies[1].text.startswith("Bienvenue")  # onboarding goes on
        await person.press("Association")
        await person.say("Nouvelle Asso " + who)
        assert "Villeurbanne" not in person.question.text  # nothing pre-filled from a dead code
    # an existing actor who types a wrong code is told too, and gets the menu
    replies = await people["asso"].say("/start ZZZZ9999")
    assert "n'existe pas" in replies[0].text and len(replies) >= 2


async def test_an_invitation_for_an_intercommunalite_finds_the_commune_inside_it(territory) -> None:
    app, adapter, people = territory
    metropole = coordination.Area("epci", "200046977", "Métropole de Lyon")
    row = await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "paul", metropole, "test:admin", iso(utcnow())))
    outsider = Person(app.runtime, adapter, "outsider")
    await outsider.say("/start")
    await outsider.press("Association")
    await outsider.say("Asso sans invitation")
    await outsider.say("Sainte-Foy")
    # the bot's territory first (its coordinators serve the Métropole de Lyon), said as a question; a no lists the others
    assert outsider.question.text == "Sainte-Foy-lès-Lyon (69) — Métropole de Lyon ?"
    await outsider.press("Non, retaper")
    await outsider.say("Sainte-Foy")
    assert "Sainte-Foy (85)" in [c.label for c in outsider.question.choices]  # several Sainte-Foy in France

    newcomer = Person(app.runtime, adapter, "newcomer")
    replies = await newcomer.say(f"/start {row.invite_code}")
    assert "à l'invitation de la coordination de Métropole de Lyon" in replies[0].text
    await newcomer.press("Association")
    await newcomer.say("Asso invitée")
    await newcomer.say("Sainte-Foy")
    assert newcomer.question.text == "Sainte-Foy-lès-Lyon (69) — Métropole de Lyon ?"
