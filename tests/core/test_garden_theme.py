"""Gardening is Environment at the themes question.

Trial 40: « sport et jardinage, social aussi » ticked Sport and Solidarity and said « « jardinage » ne répond pas
à cette question ».
"""

from __future__ import annotations

from tests.core.people import Person
from tests.core.test_stop38_trial import _at_themes


async def test_gardening_ticks_environment(app, person) -> None:
    ana: Person = person("ana", "fr")
    await _at_themes(ana, "Les Jardins du Mas", "Vaulx-en-Velin")
    await ana.say("sport et jardinage, social aussi")
    said = ana.text()
    assert "ne répond pas" not in said and "Environnement" in said, said
