"""A role named with its department (« responsable RSE », "the CSR manager") says who writes, never the presentation.

Trial 40: "I'm the CSR manager at Rhône Audit & Conseil, we're based in Lyon 3e" before /start was announced as
« will be your organisation's public presentation ».
"""

from __future__ import annotations

import pytest

from tests.core.people import Person


@pytest.mark.parametrize(
    "typed",
    ["I'm the CSR manager at Rhône Audit & Conseil, we're based in Lyon 3e", "Hi, I'm the HR director of Novatek in Lyon"],
)
async def test_who_writes_with_a_department_is_no_presentation(app, person, typed: str) -> None:
    claire: Person = person("claire", "en")
    await claire.say(typed)
    await claire.say("/start")
    assert "public presentation" not in claire.text(), claire.text()


@pytest.mark.parametrize(
    "typed",
    ["I'm the CSR manager at Rhône Audit & Conseil, we're based in Lyon 3e", "je suis la responsable RSE de Dupont & Fils, on est à Lyon"],
)
async def test_who_writes_with_a_department_at_the_type_question_is_no_presentation(app, person, typed: str) -> None:
    claire: Person = person("claire", "en" if typed.startswith("I") else "fr")
    await claire.say("/start")
    await claire.say(typed)
    assert "public presentation" not in claire.text() and "sera la présentation" not in claire.text(), claire.text()
