"""« tous sauf les collectivités » at /diffuser's types (trial 29b, 1 December 2026): diff8's reading of
types named in words kept exactly the type the coordinator excluded (« Destinataires : les
collectivités »), and « pas les collectivités » was refused. A list answer that excludes options means
every option but those; one whose exclusion names nothing known is asked again, nothing chosen."""

from __future__ import annotations

import json

import pytest

from tests.core.test_coordination import METROPOLE_LYON, rows, territory  # noqa: F401  (fixture)
from tests.core.test_diff8_broadcast import _at_types, _coordinator, _send_with_types

pytestmark = pytest.mark.backends

ALL = ["association", "autre", "collectivite", "entreprise"]


@pytest.mark.parametrize(
    ("typed", "left_out"),
    [
        ("en fait tout le monde sauf les collectivités", ["collectivite"]),
        ("tous sauf les entreprises", ["entreprise"]),
        ("pas les collectivités", ["collectivite"]),
        ("tous sauf les entreprises et les collectivités", ["collectivite", "entreprise"]),
        ("tout sauf les collectivites stp", ["collectivite"]),
        ("toutes les structures à part les entreprises", ["entreprise"]),
    ],
)
async def test_all_but_some_types(territory, typed: str, left_out: list[str]) -> None:
    app, _, people = territory
    said = await _send_with_types(people["marie"], typed)
    assert "Destinataires :" in said, said
    stored = rows(app, "SELECT actor_kinds FROM broadcasts")
    assert len(stored) == 1 and sorted(json.loads(stored[0][0])) == [k for k in ALL if k not in left_out], (stored, said)


@pytest.mark.parametrize(
    ("typed", "left_out"),
    [
        ("everyone except the local authorities", ["collectivite"]),
        ("all but companies", ["entreprise"]),
        ("not the companies", ["entreprise"]),
    ],
)
async def test_all_but_some_types_in_english(territory, typed: str, left_out: list[str]) -> None:
    app, _, people = territory
    john = await _coordinator(app, people, "john", "en", METROPOLE_LYON)
    said = await _send_with_types(john, typed)
    assert "Recipients:" in said, said
    stored = rows(app, "SELECT actor_kinds FROM broadcasts")
    assert len(stored) == 1 and sorted(json.loads(stored[0][0])) == [k for k in ALL if k not in left_out], (stored, said)


async def test_an_exclusion_of_nothing_known_is_asked_again(territory) -> None:
    marie = territory[2]["marie"]
    await _at_types(marie)
    asked = marie.question.text
    await marie.say("tous sauf les trucs bizarres")
    assert "Destinataires" not in marie.text() and marie.question.text == asked, marie.text()
