"""Telegram end to end through the Bot API emulator: invitations (the admin gets a deep link, the
person who follows it is welcomed with the name of who invited, a wrong code gets an answer);
the contact choice names the network; a person who blocks the bot is logged once, by actor id."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.app import App
from tests.harness.botapi_emulator import BotAPIEmulator, Person
from tests.telegram.test_telegram_e2e import make_config, query
from tests.telegram.tg_people import Someone

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as server:
        yield server


@pytest.fixture
async def app(emulator: BotAPIEmulator, tmp_path: Path) -> AsyncIterator[App]:
    config = make_config(emulator, tmp_path / "traitdunion.db", TRAITDUNION_ADMINS="telegram:6001")
    application = await App.open(config, adapters=[TelegramAdapter.from_config(config)])
    await application.start()
    yield application
    await application.stop()


async def test_admin_gets_a_deep_link_and_the_newcomer_is_welcomed_by_who_invited(
    emulator: BotAPIEmulator, app: App, tmp_path: Path
) -> None:
    admin = Someone(emulator, Person(6001, "Ada", "Admin", "ada_admin", "fr"))
    await admin.says("/coordinateur")
    await admin.presses("Nommer un coordinateur")
    await admin.says("telegram:6002")
    await admin.says("Villeurbanne")
    replies = await admin.presses("Oui")
    added = next(m["text"] for m in replies if "coordonne désormais" in m.get("text", ""))
    [code] = query(tmp_path / "traitdunion.db", "SELECT invite_code FROM coordinators")[0]
    assert f"https://t.me/{emulator.username}?start={code}" in added

    newcomer = Someone(emulator, Person(6003, "Nina", "Nouvelle", "nina_asso", "fr"))
    replies = await newcomer.says(f"/start {code}")  # what Telegram sends when the link is opened
    texts = "\n".join(m.get("text", "") for m in replies)
    assert "à l'invitation de la coordination de Villeurbanne (69)" in texts

    stranger = Someone(emulator, Person(6004, "Sam", "Stranger", "sam_s", "fr"))
    replies = await stranger.says("/start NOPE1234")
    texts = "\n".join(m.get("text", "") for m in replies)
    assert "« NOPE1234 » n'existe pas ou n'est plus valable" in texts
    assert re.search(r"Bienvenue", texts)  # the onboarding still starts
    [(state,)] = query(tmp_path / "traitdunion.db", "SELECT state FROM sessions WHERE user_id = '6004'")
    assert "NOPE1234" not in state  # the wrong code is not kept


async def test_blocking_the_bot_is_logged_once_by_actor_id(
    emulator: BotAPIEmulator, app: App, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    camille = Someone(emulator, Person(5003, "Camille", "Martin", "camille_asso", "fr"))
    await camille.says("/start")
    await camille.presses("Association")
    await camille.says("Les Amis du Quartier")
    await camille.says("Villeurbanne")
    await camille.presses("Oui")
    await camille.presses("Culture")
    replies = await camille.presses("Valider")
    assert "Mon compte Telegram (@camille_asso)" in [b["text"] for row in replies[-1]["reply_markup"]["inline_keyboard"] for b in row]
    await camille.presses("Mon compte Telegram")
    await camille.presses("Oui aux deux")
    [(actor_id,)] = query(tmp_path / "traitdunion.db", "SELECT id FROM actors")
    caplog.set_level(logging.INFO)
    emulator.block(camille.person)
    await camille.says("/aide")
    await camille.says("/menu")
    lines = [r.getMessage() for r in caplog.records if "reachable" in r.getMessage()]
    assert lines[0] == f"actor {actor_id} unreachable on telegram"
    assert all(
        "5003" not in r.getMessage() and "camille" not in r.getMessage().lower() for r in caplog.records if r.levelno >= logging.INFO
    )


async def test_before_start_telegram_shows_what_the_bot_does(emulator: BotAPIEmulator, app: App) -> None:
    """Telegram tells a bot nothing when someone opens its chat: the description is the greeting."""
    for language in (None, "fr"):
        assert "met en relation les associations" in emulator.descriptions[("long", language)]
        assert "« Démarrer »" in emulator.descriptions[("long", language)]
        assert emulator.descriptions[("short", language)]
    assert "Press “Start”" in emulator.descriptions[("long", "en")]
