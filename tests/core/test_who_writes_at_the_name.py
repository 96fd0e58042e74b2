"""Who writes is never the structure's name nor its presentation.

Trial 40: at the name question, « bjr c nadia la tresoriere de lasso Les Jardins du Mas a vaulx » was stored as
the public name (« le profil de « Bjr c nadia la tresoriere … » est enregistré »); even « bonjour c'est nadia, la
trésorière de l'asso Les Jardins du Mas à Vaulx » was. The English "I'm the CSR manager at …" was understood.
"""

from __future__ import annotations

import json

import pytest

from tests.core.people import Person
from tests.core.test_coordination import rows


def name_in_session(app) -> object:
    [(state,)] = rows(app, "SELECT state FROM sessions")
    return json.loads(state)["data"].get("name")


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("bonjour c'est nadia, la trésorière de l'asso Les Jardins du Mas à Vaulx", "Les Jardins du Mas"),
        ("bjr c nadia la tresoriere de l'asso Les Jardins du Mas a vaulx", "Les Jardins du Mas"),
        ("bjr c nadia la tresoriere de lasso Les Jardins du Mas a vaulx", None),
    ],
)
async def test_who_writes_typed_at_the_name_is_not_the_name(app, person, typed: str, name: str | None) -> None:
    nadia: Person = person("nadia", "fr")
    await nadia.say("/start")
    await nadia.say("1")
    await nadia.say(typed)
    stored = name_in_session(app)
    assert stored is None or "nadia" not in str(stored).lower(), (stored, nadia.text())
    if name is not None:
        assert stored == name, (stored, nadia.text())
    else:
        assert nadia.question.text.startswith("Quel est le nom"), nadia.text()


async def test_who_writes_before_start_is_not_the_presentation(app, person) -> None:
    nadia: Person = person("nadia", "fr")
    await nadia.say("bjr c nadia la tresoriere de lasso Les Jardins du Mas a vaulx")
    await nadia.say("/start")
    assert "sera la présentation" not in nadia.text(), nadia.text()
