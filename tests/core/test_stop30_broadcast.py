"""/diffuser tried by coordinators (trial 30): the territory asked of a coordinator who has one only
(taken and said), the header of the types saying « tous sont cochés » after « retour » when the
selection had changed (it says what is ticked), and « programme-le pour demain 9h » at the preview
asking the date again (the date and time read in the instruction itself)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from storage import coordination
from tests.core.test_coordination import METROPOLE_LYON, rows, territory  # noqa: F401  (fixture)
from tests.core.test_diff8_broadcast import _coordinator

pytestmark = pytest.mark.backends
PARIS = ZoneInfo("Europe/Paris")
LILLE = coordination.Area("commune", "59350", "Lille (59)")


# ---------------------------------------------------------------- 5. one territory: taken, and said


@pytest.mark.parametrize(
    ("command", "language", "area", "said"),
    [
        ("/diffuser", "fr", None, "C'est noté : Villeurbanne (69)"),
        ("/broadcast", "en", LILLE, "Noted: Lille (59)"),
        ("/diffuser", "fr", LILLE, "C'est noté : Lille (59)"),
    ],
)
async def test_a_single_territory_is_taken_and_said(territory, command: str, language: str, area, said: str) -> None:  # type: ignore[no-untyped-def]
    app, _, people = territory
    coordinator = people["marie"] if area is None else await _coordinator(app, people, "luc", language, area)
    await coordinator.say(command)
    assert said in coordinator.text(), coordinator.text()
    assert coordinator.question.multi and "territoire" not in coordinator.question.text, coordinator.text()  # the types, at once
    await coordinator.say("retour")  # nothing before the types: said, the types asked again
    assert coordinator.question.multi, coordinator.text()


async def test_two_territories_are_still_asked(territory) -> None:
    app, _, people = territory
    claire = await _coordinator(app, people, "claire", "fr", METROPOLE_LYON)  # the Métropole, or one commune of it
    await claire.say("/diffuser")
    assert "C'est noté" not in claire.text() and not claire.question.multi, claire.text()


# ---------------------------------------------------------------- 4. the header says what is ticked


@pytest.mark.parametrize(
    ("typed", "language", "ticked"),
    [
        ("juste les assos", "fr", "(cochés : Association ;"),
        ("1", "fr", "(cochés : Association ;"),
        ("les entreprises et les collectivités", "fr", "(cochés : Entreprise, Collectivité ;"),
        ("tous sauf les entreprises", "fr", "(cochés : Association, Collectivité, Autre structure ;"),
        ("only companies", "en", "(ticked: Company;"),
        ("the associations and the local authorities", "en", "(ticked: Association, Local authority;"),
    ],
)
async def test_back_at_the_types_the_header_says_what_is_ticked(territory, typed: str, language: str, ticked: str) -> None:
    app, _, people = territory
    marie = people["marie"] if language == "fr" else await _coordinator(app, people, "john", language)
    await marie.say("/diffuser" if language == "fr" else "/broadcast")
    assert "tous sont cochés" in marie.question.text or "all are ticked" in marie.question.text, marie.question.text
    await marie.say(typed)
    await marie.say("retour" if language == "fr" else "back")
    header = marie.question.text
    assert marie.question.multi and ticked in header, header
    assert "tous sont cochés" not in header and "all are ticked" not in header, header
    assert {c.label for c in marie.question.choices if c.value in marie.question.selected} == set(
        ticked.split(": ", 1)[1].rstrip(" ;").split(", ")
    ), marie.question


async def test_back_at_the_themes_the_header_says_what_is_ticked_and_all_ticked_says_all(territory) -> None:
    _, _, people = territory
    marie = people["marie"]
    await marie.say("/diffuser")
    await marie.say("ok")  # every type
    await marie.say("Alimentation et Sport")
    await marie.say("retour")
    header = marie.question.text
    assert "(cochés : " in header and "Alimentation" in header and "tous sont cochés" not in header, header
    await marie.say("retour")  # the types: all still ticked, said so
    assert "tous sont cochés" in marie.question.text, marie.question.text


async def test_the_event_types_say_what_is_ticked_after_back(territory) -> None:
    _, _, people = territory
    marie = people["marie"]
    await marie.say("/evenement")
    await marie.say("Forum des associations")
    await marie.say("demain 18h")
    await marie.say("passer")
    await marie.say("Maison des associations")
    await marie.say("une vingtaine")
    await marie.say("juste les assos")
    await marie.say("retour")
    header = marie.question.text
    assert "(cochés : Association ;" in header and "tous sont cochés" not in header, header
