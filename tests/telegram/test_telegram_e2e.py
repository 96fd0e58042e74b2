"""End to end over HTTP: the real App, adapter and PTB/httpx stack against the local Bot API
emulator (tests/harness/botapi_emulator.py), with a person pressing buttons and typing."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.app import App
from bot.config import Config, load_config
from conversations.commands import menu_commands
from conversations.i18n import translate
from core.types import Attachment, Choice, Incoming, Outcome, Reply
from tests.harness.botapi_emulator import BotAPIEmulator, Group, Person
from tests.telegram.tg_people import Someone, buttons

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]


def make_config(emulator: BotAPIEmulator, db: Path, **extra: str) -> Config:
    environ = {
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_API_URL": emulator.url,
        "TRAITDUNION_DB": str(db),
        "TRAITDUNION_LANGUAGE": "fr",
        "TRAITDUNION_TIMEZONE": "Europe/Paris",
        "TELEGRAM_RATE_PER_CHAT": "100",  # pacing is tested offline; keep these tests fast
    }
    return load_config(environ=environ | extra)


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as server:
        yield server


@pytest.fixture
async def running(emulator: BotAPIEmulator, tmp_path: Path) -> AsyncIterator[Callable[[], Awaitable[App]]]:
    """Start ``App`` on the emulator (several times for restart tests); stopped at the end."""
    apps: list[App] = []

    async def start() -> App:
        config = make_config(emulator, tmp_path / "traitdunion.db")
        app = await App.open(config, adapters=[TelegramAdapter.from_config(config)])
        await app.start()
        apps.append(app)
        return app

    yield start
    for app in apps:
        if app.adapters and app.adapters[0].application.running:  # type: ignore[attr-defined]
            await app.stop()


def query(app_db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(app_db) as conn:
        return conn.execute(sql, args).fetchall()


async def test_person_onboards_and_declares_a_need_in_french(
    emulator: BotAPIEmulator, running: Callable[[], Awaitable[App]], tmp_path: Path
) -> None:
    await running()
    assert emulator.commands["fr"] == [{"command": c, "description": d} for c, d in menu_commands("fr")]
    assert emulator.commands[None] == emulator.commands["fr"]
    assert emulator.commands["en"] == [{"command": c, "description": d} for c, d in menu_commands("en")]

    camille = Someone(emulator, Person(5001, "Camille", "Martin", "camille", "fr"))
    replies = await camille.says("/start")
    question = replies[-1]
    assert buttons(question) == ["Association", "Entreprise", "Collectivité", "Autre structure"]
    await camille.presses("Association")
    assert emulator.message(5001, question["message_id"])["text"].endswith("\n→ Association")
    assert "reply_markup" not in emulator.message(5001, question["message_id"])

    await camille.says("Les <b>Amis</b> & Co")  # HTML-looking text must come back verbatim
    replies = await camille.says("Villeurbanne")
    assert "Villeurbanne" in replies[-1]["text"]
    replies = await camille.presses("Oui")
    themes = replies[-1]
    assert "Valider" in buttons(themes)
    await camille.presses("Culture")
    await camille.presses("Solidarité")
    assert [b for b in buttons(emulator.message(5001, themes["message_id"])) if b.startswith("✅")] == [
        "✅ Culture",
        "✅ Solidarité et action sociale",
    ]
    await camille.presses("Valider")
    assert emulator.message(5001, themes["message_id"])["text"].endswith("→ Culture, Solidarité et action sociale")
    await camille.presses("Mon compte")
    replies = await camille.presses("Oui aux deux")
    assert any("« Les <b>Amis</b> & Co »" in m.get("text", "") for m in replies)

    await camille.says("/besoin")
    await camille.presses("Bénévoles")
    replies = await camille.says("Deux bénévoles pour la fête de quartier du 14 juin")
    await camille.presses(buttons(replies[-1])[0])  # zone: the first proposal

    db = tmp_path / "traitdunion.db"
    assert query(db, "SELECT kind, name FROM actors") == [("association", "Les <b>Amis</b> & Co")]
    assert query(db, "SELECT kind, category, description FROM listings") == [
        ("need", "benevoles", "Deux bénévoles pour la fête de quartier du 14 juin")
    ]
    # every button press was answered exactly once, and no call was refused by the server
    assert all(len(emulator.answers_for(q)) == 1 for q in camille.queries)
    assert emulator.count("answerCallbackQuery") == len(camille.queries)


async def test_rate_limited_reply_is_retried_and_arrives_once(emulator: BotAPIEmulator, running: Callable[[], Awaitable[App]]) -> None:
    await running()
    emulator.fail_next("sendMessage", chat_id=5002, status=429, retry_after=1)
    someone = Someone(emulator, Person(5002))
    await emulator.send_text(someone.person, "/start")
    await emulator.wait_until(lambda: any(buttons(m) for m in emulator.messages_for(5002)))
    replies = await someone.new_messages()
    texts = [m["text"] for m in replies]
    assert len(texts) == len(set(texts)) >= 2
    assert emulator.count("sendMessage", 5002) == len(replies) + 1
    assert buttons(replies[-1]) == ["Association", "Entreprise", "Collectivité", "Autre structure"]


async def test_blocked_bot_marks_the_person_unreachable(
    emulator: BotAPIEmulator, running: Callable[[], Awaitable[App]], tmp_path: Path
) -> None:
    await running()
    person = Person(5003)
    someone = Someone(emulator, person)
    await someone.says("/start")
    emulator.block(person)
    await someone.says("/aide")
    assert query(tmp_path / "traitdunion.db", "SELECT unreachable FROM identities WHERE user_id = '5003'") == [(1,)]


async def test_restart_neither_repeats_nor_loses_updates(emulator: BotAPIEmulator, running: Callable[[], Awaitable[App]]) -> None:
    first = await running()
    someone = Someone(emulator, Person(5004))
    welcome = await someone.says("/start")
    await first.stop()

    await emulator.send_text(someone.person, "/aide")  # arrives while the bot is down
    await emulator.redeliver(1)  # and the server forgets that /start was confirmed
    assert [u["message"]["text"] for u in emulator.state.pending] == ["/start", "/aide"]

    await running()
    replies = await someone.new_messages()
    assert replies, "the update sent while the bot was down was not answered"
    assert not any(m["text"] == welcome[0]["text"] for m in replies), "/start was answered twice"
    assert emulator.state.pending == []


async def test_forged_button_gets_a_polite_answer(emulator: BotAPIEmulator, running: Callable[[], Awaitable[App]]) -> None:
    await running()
    someone = Someone(emulator, Person(5005, language_code="en"))
    question = (await someone.says("/start"))[-1]
    for data in ("1|nope|c|association", "garbage", "1|" + "x" * 40 + "|ok"):
        query_id = await emulator.send_callback(someone.person, question["message_id"], data)
        await emulator.settle()
        assert emulator.answers_for(query_id) == [{"callback_query_id": query_id, "text": translate("en", "telegram.button_invalid")}]
    assert await someone.new_messages() == []
    assert buttons(emulator.message(5005, question["message_id"]))  # keyboard untouched


async def test_group_command_gets_a_private_hint(emulator: BotAPIEmulator, running: Callable[[], Awaitable[App]]) -> None:
    await running()
    group = Group(-1001234)
    await emulator.send_text(Person(5006), "/start@TraitDUnionBot", chat=group)
    await emulator.send_text(Person(5006), "bonjour tout le monde", chat=group)
    await emulator.settle()
    (hint,) = emulator.messages_for(group.id)
    assert hint["text"] == translate("fr", "telegram.private_only", link="https://t.me/TraitDUnionBot")
    assert emulator.messages_for(5006) == []


async def test_adapter_sends_files_long_texts_and_keyboards_over_http(emulator: BotAPIEmulator) -> None:
    adapter = TelegramAdapter(emulator.token, emulator.url, rate_per_chat=100)
    person = Person(5007)
    received: list[Incoming] = []

    async def handler(incoming: Incoming) -> Outcome:
        received.append(incoming)
        return Outcome.ACCEPTED

    await adapter.start(handler)
    try:
        await emulator.send_text(person, "/start")  # the chat exists once the person wrote
        await emulator.wait_until(lambda: received)
        await adapter.send("5007", Reply("Graphique <1>", attachment=Attachment("stats.png", "image/png", b"PNG!")))
        await adapter.send("5007", Reply("x", attachment=Attachment("export.csv", "text/csv", b"a;b\n1;2\n")))
        long = "\n".join(f"ligne {i} " + "é" * 100 for i in range(60))
        await adapter.send("5007", Reply(long, choices=(Choice("a", "A & B"),), prompt_id="p"))
        photo, document, *parts = emulator.messages_for(5007)
        assert photo["caption"] == "Graphique <1>" and emulator.upload(5007, photo["message_id"]).data == b"PNG!"
        upload = emulator.upload(5007, document["message_id"])
        assert (upload.filename, upload.data) == ("export.csv", b"a;b\n1;2\n")
        assert "\n".join(p["text"] for p in parts) == long
        assert [buttons(p) for p in parts] == [[]] * (len(parts) - 1) + [["A & B"]]
    finally:
        await adapter.stop()


async def test_webhook_refuses_a_wrong_secret(emulator: BotAPIEmulator) -> None:
    pytest.importorskip("tornado", reason="webhook mode needs python-telegram-bot[webhooks]")
    import socket

    import aiohttp

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/telegram"
    adapter = TelegramAdapter(
        emulator.token, emulator.url, webhook_url=url, webhook_port=port, webhook_secret="s3cret-token", webhook_listen="127.0.0.1"
    )
    received: list[Incoming] = []

    async def handler(incoming: Incoming) -> Outcome:
        received.append(incoming)
        return Outcome.ACCEPTED

    await adapter.start(handler)
    try:
        assert emulator.state.webhook_url == url
        (params,) = [p for m, p in emulator.calls if m == "setWebhook"]
        assert params["secret_token"] == "s3cret-token"
        message = await emulator.send_text(Person(5008), "Bonjour")
        update = {"update_id": 900, "message": message}
        async with aiohttp.ClientSession() as session:
            for secret in (None, "wrong"):
                headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
                async with session.post(url, json=update, headers=headers) as response:
                    assert response.status == 403
            assert received == []
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
            async with session.post(url, json=update, headers=headers) as response:
                assert response.status == 200
        await emulator.wait_until(lambda: received)
        assert received[0].text == "Bonjour"
    finally:
        await adapter.stop()
