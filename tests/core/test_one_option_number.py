"""A number out of range at a question of one option names that option, never « entre 1 et 1 »."""

from __future__ import annotations

import pytest

from conversations.engine import InputError, Option, parse_choice
from conversations.i18n import translate


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_number_beyond_the_only_option(language: str) -> None:
    with pytest.raises(InputError) as refused:
        parse_choice("3", [Option("only", label="Vaulx-en-Velin (69)")], language)
    said = translate(language, refused.value.key, **refused.value.params)
    assert "1 et 1" not in said and "1 and 1" not in said and "1" in said, said


def test_several_options_still_say_the_range() -> None:
    with pytest.raises(InputError) as refused:
        parse_choice("5", [Option("a", label="A"), Option("b", label="B")], "fr")
    assert translate("fr", refused.value.key, **refused.value.params).endswith("entre 1 et 2.")
