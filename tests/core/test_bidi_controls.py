"""Text direction overrides never reach storage nor another person's screen.

Trial 40 (hostile user): U+202E (RIGHT-TO-LEFT OVERRIDE) typed in a name and a listing was stored and echoed
back (« ZQXMARKER 🙂‮ﷺ ‹img… »); shown to partners in suggestions, it reverses what follows it on their screen
(spoofing: a name can be made to read as something else). Arabic and Hebrew are kept as typed.
"""

from __future__ import annotations

import pytest

from core.types import Incoming, clean_text
from tests.core.people import Person
from tests.core.test_coordination import rows

OVERRIDES = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize("control", list(OVERRIDES))
def test_every_embedding_override_and_isolate_is_taken_out(control: str) -> None:
    assert clean_text(f"Asso{control} des Jardins") == "Asso des Jardins"


def test_right_to_left_writing_is_kept() -> None:
    assert clean_text("جمعية الحدائق") == "جمعية الحدائق"
    assert clean_text("עמותת הגנים\u200f") == "עמותת הגנים\u200f"  # a right-to-left mark is no override


def test_an_incoming_message_is_cleaned_of_them() -> None:
    incoming = Incoming("test", "u", "u", "e1", text="\u202eevil\u202c", display_name="Bob\u202egnp.exe")
    assert incoming.text == "evil" and incoming.display_name == "Bobgnp.exe"


async def test_a_name_typed_with_an_override_is_stored_without_it(app, person) -> None:
    ana: Person = person("ana", "fr")
    await ana.onboard(name="Les Jardins \u202eelbicirp\u202c Partagés")
    [(name,)] = rows(app, "SELECT name FROM actors")
    assert not set(name) & set(OVERRIDES), repr(name)
