"""A newcomer who reads French first is told, in English, that English is there (trial 40: the welcome was
French only and never said so; the console sends no language code)."""

from __future__ import annotations

from conversations.i18n import translate
from tests.core.people import Person


def test_the_console_banner_offers_english() -> None:
    assert "English" in translate("fr", "console.banner", user="zed")


async def test_the_first_answer_before_start_offers_english(app, person) -> None:
    zed: Person = person("zed", None)
    await zed.say("bonjour")
    assert "English" in zed.text(), zed.text()
    await zed.say("Hello, I'd like to join")
    await zed.say("/start")
    assert "What kind of organisation do you represent?" in zed.text(), zed.text()  # taken up: the sign-up in English
