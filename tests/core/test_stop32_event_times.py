"""Trial 32: an event's end in plain words was refused — « jusqu'à 21h », « jusqu'à 21h environ », "until 9pm" at
« Jusqu'à quelle heure ? » (only « 21h » worked), and « jeudi 17 décembre à partir de 18h30 jusqu'à 21h » at « Quand ? »."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.clock import utcnow
from tests.core.test_coordination import rows, territory  # noqa: F401  (fixture)

pytestmark = pytest.mark.backends

PARIS = ZoneInfo("Europe/Paris")


def _day() -> datetime:
    return (utcnow() + timedelta(days=10)).astimezone(PARIS)


async def _publish(marie, when: str, end: str | None) -> None:  # type: ignore[no-untyped-def]
    await marie.say("/evenement")
    await marie.say("Apéro des bénévoles")
    await marie.say(when)
    if end is not None:
        assert "Jusqu'à quelle heure" in marie.text(), marie.text()
        await marie.say(end)
    assert "Où" in marie.text() or "lieu" in marie.text().lower(), marie.text()
    await marie.say("Maison des associations, 28 rue du Tonkin")
    await marie.say("30")
    await marie.say("ok")
    await marie.say("ok")
    await marie.press("Publier")
    assert "publié" in marie.text(), marie.text()


def _end_hour(app) -> str:  # type: ignore[no-untyped-def]
    [(ends_at,)] = rows(app, "SELECT ends_at FROM events")
    return datetime.fromisoformat(ends_at).astimezone(PARIS).strftime("%H:%M")


@pytest.mark.parametrize("end", ["jusqu'à 21h", "jusqu'à 21h environ", "on finit vers 21h", "21h", "until 9pm", "till 9 pm roughly"])
async def test_the_end_in_words(territory, end: str) -> None:
    app, _, people = territory
    await _publish(people["marie"], _day().strftime("%d/%m/%Y 18h30"), end)
    assert _end_hour(app) == "21:00"


@pytest.mark.parametrize("words", ["à partir de 18h30 jusqu'à 21h", "dès 18h30 jusqu'à 21h"])
async def test_a_range_said_from_and_until(territory, words: str) -> None:
    app, _, people = territory
    await _publish(people["marie"], f"{_day().strftime('%d/%m/%Y')} {words}", None)
    assert _end_hour(app) == "21:00"
