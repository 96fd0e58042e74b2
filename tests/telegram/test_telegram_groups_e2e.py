"""End to end on the Telegram Bot API emulator (issue 16, item 1): a coordinator forms a working
group and gives a Telegram group link (a bot cannot create groups); the bot sends that link to the
members who said yes, and only to them."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.app import App
from core.clock import iso, utcnow
from storage import coordination
from tests.harness.botapi_emulator import BotAPIEmulator, Person
from tests.telegram.test_telegram_e2e import emulator, make_config  # noqa: F401  (fixture)
from tests.telegram.tg_people import Someone, buttons

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]
LINK = "https://t.me/+GroupeCeinture42"


async def onboard(someone: Someone, name: str, kind: str = "Association") -> None:
    await someone.says("/start")
    await someone.presses(kind)
    await someone.says(name)
    await someone.says("Villeurbanne")
    await someone.presses("Oui")
    await someone.presses("Alimentation")
    await someone.presses("Valider")
    await someone.presses("Mon compte")
    await someone.presses("Oui aux deux")


async def arrives(someone: Someone, text: str, timeout: float = 10.0) -> dict:
    """The first message to ``someone`` containing ``text`` (the outbox worker sends them)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        await someone.emulator.settle()
        found = next((m for m in someone.emulator.messages_for(someone.person.id) if text in m.get("text", "")), None)
        if found is not None:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{text!r} never reached {someone.person.first_name}")
        await asyncio.sleep(0.05)


async def test_the_group_link_reaches_the_members_who_said_yes(emulator: BotAPIEmulator, tmp_path: Path) -> None:
    config = make_config(emulator, tmp_path / "traitdunion.db")
    app = await App.open(config, adapters=[TelegramAdapter.from_config(config)])
    app.run_jobs = False  # no suggestion round in between: the invitation is the next question
    await app.start()
    try:
        await app.db.transaction(
            lambda conn: coordination.add_coordinator(
                conn, "telegram", "6000", coordination.Area("commune", "69266", "Villeurbanne (69)"), "test", iso(utcnow())
            )
        )
        marie = Someone(emulator, Person(6000, "Marie", "Coord", "marie", "fr"))
        asso = Someone(emulator, Person(6001, "Ana", "Asso", "tonkin", "fr"))
        shop = Someone(emulator, Person(6002, "Bob", "Boulanger", "gratteciel", "fr"))
        late = Someone(emulator, Person(6003, "Lou", "Jardins", "jardins", "fr"))
        await onboard(asso, "Asso du Tonkin")
        await onboard(shop, "Boulangerie Gratte-Ciel", kind="Entreprise")
        await onboard(late, "Jardins Partagés")

        await marie.says("/groupe")
        await marie.presses("Des acteurs que je choisis")
        await marie.says("tonkin, gratte, jardins")
        await marie.presses("Valider")
        await marie.says("Ceinture alimentaire")
        replies = await marie.says(LINK)
        assert "3 acteurs invités" in replies[-1]["text"]
        await marie.presses("Envoyer les invitations")

        for someone in (asso, shop):
            invitation = await arrives(someone, "groupe de travail « Ceinture alimentaire »")
            assert LINK not in invitation["text"]
            asked = [m for m in emulator.messages_for(someone.person.id) if buttons(m) == ["Je rejoins le groupe", "Non merci"]]
            assert asked, [m.get("text") for m in emulator.messages_for(someone.person.id)][-3:]
            await someone.presses("Je rejoins le groupe")
        await arrives(late, "groupe de travail « Ceinture alimentaire »")
        await late.presses("Non merci")

        for someone in (asso, shop):
            place = await arrives(someone, LINK)
            assert "Rejoignez le groupe Telegram" in place["text"]
        await asyncio.sleep(0.3)
        await late.new_messages()
        assert all(LINK not in m.get("text", "") for m in emulator.messages_for(6003))  # said no: no link
        with sqlite3.connect(tmp_path / "traitdunion.db") as conn:
            assert conn.execute("SELECT status, invite_link FROM working_groups").fetchall() == [("formed", LINK)]
            assert conn.execute("SELECT count(*) FROM group_members WHERE place_sent_at IS NOT NULL").fetchone() == (2,)
    finally:
        await app.stop()


async def test_a_recommendation_over_telegram_names_who_suggested_it(emulator: BotAPIEmulator, tmp_path: Path) -> None:
    """Issue 16, item 6: /recommander end to end; contacts only after both yes, never to the recommender."""
    config = make_config(emulator, tmp_path / "traitdunion.db")
    app = await App.open(config, adapters=[TelegramAdapter.from_config(config)])
    app.run_jobs = False
    await app.start()
    try:
        lea = Someone(emulator, Person(7000, "Léa", "Centre", "lea", "fr"))
        asso = Someone(emulator, Person(7001, "Ana", "Asso", "tonkin", "fr"))
        shop = Someone(emulator, Person(7002, "Bob", "Boulanger", "gratteciel", "fr"))
        await onboard(lea, "Centre social Léa")
        await onboard(asso, "Asso du Tonkin")
        await onboard(shop, "Boulangerie Gratte-Ciel", kind="Entreprise")
        await lea.says("/recommander")
        replies = await lea.says("tonkin")  # one match: taken at once, named
        assert any("C'est noté : Asso du Tonkin" in m.get("text", "") for m in replies)
        replies = await lea.says("gratte")
        assert any("C'est noté : Boulangerie Gratte-Ciel" in m.get("text", "") for m in replies)
        replies = await lea.says("Elles luttent toutes deux contre le gaspillage.")
        assert any("l'idée vient de vous" in m.get("text", "") for m in replies)

        proposal = await arrives(asso, "recommandé par Centre social Léa")
        assert "gaspillage" in proposal["text"] and "@gratteciel" not in proposal["text"]
        await asso.presses("Me présenter")
        request = await arrives(shop, "Rencontre suggérée par Centre social Léa")
        assert "@tonkin" not in request["text"]
        await shop.presses("Oui")
        await arrives(asso, "@gratteciel")
        await arrives(shop, "@tonkin")
        await asyncio.sleep(0.3)
        await lea.new_messages()
        assert all("@tonkin" not in m.get("text", "") and "@gratteciel" not in m.get("text", "") for m in emulator.messages_for(7000))
    finally:
        await app.stop()
