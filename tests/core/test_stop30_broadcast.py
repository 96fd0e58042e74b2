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
