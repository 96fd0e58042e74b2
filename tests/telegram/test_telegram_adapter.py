"""The Telegram adapter offline: updates in, exact Bot API calls out (recording request)."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest
from telegram import Update

from bot.adapters.telegram import TelegramAdapter, split_text
from bot.adapters.telegram_keyboards import TICK
from bot.adapters.telegram_sender import SendQueue
from conversations.commands import menu_commands
from conversations.i18n import translate
from core.errors import ConfigError, PermanentDeliveryError
from core.types import Attachment, Choice, Incoming, Outcome, Reply
from tests.telegram.tg_fakes import (
    BOT_USERNAME,
    TOKEN,
    FakeClock,
    FakeCore,
    Harness,
    RecordingRequest,
    group_chat,
    person,
)

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TYPES = Reply(
    "Quel type de structure représentez-vous ?",
    choices=(Choice("association", "Association"), Choice("company", "Entreprise")),
    prompt_id="onb.kind",
)
THEMES = Reply(
    "Vos thèmes ?",
    choices=(Choice("006", "Culture"), Choice("011", "Sports"), Choice("024", "Environnement")),
    multi=True,
    selected=("011",),
    submit_label="Valider",
    prompt_id="onb.themes",
)


def buttons(params: dict[str, Any]) -> list[tuple[str, str]]:
    return [(b["text"], b["callback_data"]) for row in params["reply_markup"]["inline_keyboard"] for b in row]


async def ask(harness: Harness, reply: Reply) -> dict[str, Any]:
    """Make the bot send ``reply`` and return the message as the person received it."""
    await harness.adapter.send("1001", reply)
    message = harness.request.messages()[-1]
    harness.request.clear()
    return message


def answers(request: RecordingRequest) -> list[dict[str, Any]]:
    return request.of("answerCallbackQuery")


# -- start -------------------------------------------------------------------------------------


async def test_start_connects_and_publishes_the_commands_menu(core: FakeCore) -> None:
    request = RecordingRequest()
    adapter = TelegramAdapter(TOKEN, receive=False, request=request)
    core.adapter = adapter
    await adapter.start(core)
    try:
        assert request.methods()[0] == "getMe"
        published = request.of("setMyCommands")
        assert [p.get("language_code") for p in published] == [None, "fr", "en"]
        for params, language in zip(published, ["fr", "fr", "en"], strict=True):
            expected = [{"command": c, "description": d} for c, d in menu_commands(language)]
            assert params["commands"] == expected
        assert any(c["command"] == "need" for c in published[2]["commands"])
    finally:
        await adapter.stop()


async def test_a_refused_token_is_a_config_error(core: FakeCore) -> None:
    request = RecordingRequest()
    request.fail("getMe", 401, "Unauthorized")
    adapter = TelegramAdapter(TOKEN, receive=False, request=request)
    with pytest.raises(ConfigError) as info:
        await adapter.start(core)
    assert info.value.key == "TELEGRAM_BOT_TOKEN"
    await adapter.stop()


async def test_api_url_is_a_server_root(core: FakeCore) -> None:
    adapter = TelegramAdapter(TOKEN, "http://127.0.0.1:8081/", receive=False, request=RecordingRequest())
    assert adapter.application.bot.base_url == f"http://127.0.0.1:8081/bot{TOKEN}"
    assert adapter.application.bot.base_file_url == f"http://127.0.0.1:8081/file/bot{TOKEN}"


# -- incoming messages -----------------------------------------------------------------------------


async def test_private_text_becomes_an_incoming(harness: Harness) -> None:
    await harness.feed(harness.text_update("Bonjour", user=person(1001, "en-GB"), message_id=77))
    assert harness.core.received == [
        Incoming(
            platform="telegram",
            user_id="1001",
            chat_id="1001",
            event_id="tg:m:1001:77",
            text="Bonjour",
            display_name="Camille Martin",
            handle="camille1001",
            language_code="en-GB",
        )
    ]


async def test_redelivered_update_keeps_its_event_id(harness: Harness) -> None:
    raw = harness.text_update("Bonjour")
    await harness.feed(raw)
    await harness.feed(raw)
    first, second = harness.core.received
    assert first.event_id == second.event_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/start", "/start"),
        ("/start invite-42", "/start invite-42"),
        (f"/besoin@{BOT_USERNAME}", "/besoin"),
        (f"/start@{BOT_USERNAME.lower()} abc", "/start abc"),
    ],
)
async def test_commands_pass_through_without_the_bot_name(harness: Harness, text: str, expected: str) -> None:
    await harness.send_text(text)
    assert [i.text for i in harness.core.received] == [expected]


async def test_command_for_another_bot_is_ignored(harness: Harness) -> None:
    await harness.send_text("/start@SomeOtherBot")
    assert harness.core.received == []
    assert harness.request.calls == []


async def test_group_commands_get_a_hint_and_never_reach_the_core(harness: Harness) -> None:
    chat = group_chat(-100200)
    await harness.send_text("Bonjour à tous", chat=chat)
    assert harness.request.calls == []
    await harness.send_text("/start", chat=chat, user=person(1001, "en"))
    assert harness.core.received == []
    (params,) = harness.request.of("sendMessage")
    assert params["chat_id"] == -100200
    link = f"https://t.me/{BOT_USERNAME}"
    assert params["text"] == translate("en", "telegram.private_only", link=link)


async def test_non_text_message_gets_a_hint(harness: Harness) -> None:
    raw = harness.text_update("x")
    del raw["message"]["text"]
    raw["message"]["sticker"] = {
        "file_id": "s",
        "file_unique_id": "s",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    await harness.feed(raw)
    assert harness.core.received == []
    (params,) = harness.request.of("sendMessage")
    assert params["text"] == translate("fr", "telegram.text_only")


async def test_edited_messages_are_ignored(harness: Harness) -> None:
    raw = harness.text_update("modifié")
    raw["edited_message"] = raw.pop("message")
    raw["edited_message"]["edit_date"] = raw["edited_message"]["date"] + 5
    await harness.feed(raw)
    assert harness.core.received == []


# -- outgoing text -------------------------------------------------------------------------------


async def test_text_is_escaped_for_html(harness: Harness) -> None:
    await harness.adapter.send("1001", Reply("<b>Café & co</b> > 3"))
    (params,) = harness.request.of("sendMessage")
    assert params == {"chat_id": 1001, "text": "&lt;b&gt;Café &amp; co&lt;/b&gt; &gt; 3", "parse_mode": "HTML"}


async def test_long_messages_are_split_on_lines_with_the_keyboard_last(harness: Harness) -> None:
    lines = [f"Ligne {i:04d} " + "x" * 90 for i in range(90)]  # ~9,000 characters
    await harness.adapter.send("1001", Reply("\n".join(lines), choices=TYPES.choices, prompt_id="p"))
    sent = harness.request.of("sendMessage")
    assert len(sent) == 3
    assert all(len(p["text"]) <= 4096 for p in sent)
    assert "\n".join(p["text"] for p in sent) == "\n".join(lines)
    assert [("reply_markup" in p) for p in sent] == [False, False, True]


def test_split_text_cuts_a_single_long_line_at_spaces() -> None:
    text = " ".join(["mot"] * 3000)
    parts = split_text(text, limit=100)
    assert all(len(p) <= 100 for p in parts)
    assert " ".join(parts) == text
    assert split_text("a" * 250, limit=100) == ["a" * 100, "a" * 100, "a" * 50]
    assert split_text("court") == ["court"]


async def test_notices_are_sent_like_any_message(harness: Harness) -> None:
    await harness.adapter.send("1001", Reply("Nouvelle suggestion", notice=True))
    (params,) = harness.request.of("sendMessage")
    assert "disable_notification" not in params


async def test_png_goes_as_photo_with_caption(harness: Harness) -> None:
    chart = Attachment("stats.png", "image/png", b"\x89PNG...")
    await harness.adapter.send("1001", Reply("Vos <stats>", attachment=chart))
    assert harness.request.methods() == ["sendPhoto"]
    (params,) = harness.request.of("sendPhoto")
    assert params["caption"] == "Vos &lt;stats&gt;"
    ((_, files),) = harness.request.files
    assert any(value[0] == "stats.png" and value[1] == b"\x89PNG..." for value in files.values())


async def test_long_text_goes_before_the_document(harness: Harness) -> None:
    export = Attachment("donnees.csv", "text/csv", b"a;b\n1;2\n")
    await harness.adapter.send("1001", Reply("x" * 2000, attachment=export))
    assert harness.request.methods() == ["sendMessage", "sendDocument"]
    assert "caption" not in harness.request.of("sendDocument")[0]


# -- delivery errors -------------------------------------------------------------------------------


async def test_rate_limited_message_is_retried_not_lost(harness: Harness) -> None:
    harness.request.fail("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    await harness.adapter.send("1001", Reply("Bonjour"))
    first, second = harness.request.of("sendMessage")
    assert first == second
    assert 3 in harness.clock.sleeps
    assert len(harness.request.messages()) == 1


async def test_blocked_bot_raises_permanent_delivery_error(harness: Harness) -> None:
    harness.request.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(PermanentDeliveryError):
        await harness.adapter.send("1001", Reply("Bonjour"))
    harness.core.script = lambda incoming: [Reply("Bienvenue")]
    harness.request.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await harness.send_text("/start")
    assert [type(e) for e in harness.core.errors] == [PermanentDeliveryError]


# -- single choice -------------------------------------------------------------------------------------


async def test_single_choice_buttons_and_press(harness: Harness) -> None:
    await harness.adapter.send("1001", TYPES)
    (params,) = harness.request.of("sendMessage")
    assert buttons(params) == [("Association", "1|onb.kind|c|association"), ("Entreprise", "1|onb.kind|c|company")]
    message = harness.request.messages()[-1]
    harness.request.clear()

    await harness.press(message, "Entreprise", query_id="q-1")
    (incoming,) = harness.core.received
    assert (incoming.choice, incoming.prompt_id, incoming.text, incoming.event_id) == ("company", "onb.kind", None, "tg:cb:q-1")
    assert answers(harness.request) == [{"callback_query_id": "q-1"}]
    (edit,) = harness.request.of("editMessageText")
    assert edit == {
        "chat_id": 1001,
        "message_id": message["message_id"],
        "text": "Quel type de structure représentez-vous ?\n→ Entreprise",
        "parse_mode": "HTML",
    }


async def test_chosen_line_is_escaped(harness: Harness) -> None:
    message = await ask(harness, Reply("A & B ?", choices=(Choice("x", "<X>"),), prompt_id="p"))
    await harness.press(message, "<X>")
    (edit,) = harness.request.of("editMessageText")
    assert edit["text"] == "A &amp; B ?\n→ &lt;X&gt;"


@pytest.mark.parametrize("outcome", [Outcome.REJECTED, Outcome.DUPLICATE])
async def test_rejected_or_duplicate_press_changes_nothing(harness: Harness, outcome: Outcome) -> None:
    message = await ask(harness, TYPES)
    harness.core.outcome = outcome
    await harness.press(message, "Association")
    assert len(harness.core.received) == 1
    assert harness.request.methods() == ["answerCallbackQuery"]


# -- multi-select ------------------------------------------------------------------------------------


async def test_multi_select_toggles_edit_only_the_keyboard(harness: Harness) -> None:
    await harness.adapter.send("1001", THEMES)
    (params,) = harness.request.of("sendMessage")
    assert buttons(params) == [
        ("Culture", "1|onb.themes|t|006"),
        (TICK + "Sports", "1|onb.themes|t|011"),
        ("Environnement", "1|onb.themes|t|024"),
        ("Valider", "1|onb.themes|ok"),
    ]
    message = harness.request.messages()[-1]
    harness.request.clear()

    await harness.press(message, "Culture")
    await harness.press(message | {"reply_markup": harness.request.of("editMessageReplyMarkup")[-1]["reply_markup"]}, TICK + "Sports")
    assert harness.core.received == []
    assert harness.request.methods() == ["answerCallbackQuery", "editMessageReplyMarkup"] * 2
    markup = harness.request.of("editMessageReplyMarkup")[-1]["reply_markup"]
    assert [b["text"] for row in markup["inline_keyboard"] for b in row] == [TICK + "Culture", "Sports", "Environnement", "Valider"]
    harness.request.clear()

    await harness.press(message | {"reply_markup": markup}, "Valider", query_id="q-ok")
    (incoming,) = harness.core.received
    assert (incoming.choices, incoming.prompt_id, incoming.event_id) == (("006",), "onb.themes", "tg:cb:q-ok")
    assert answers(harness.request) == [{"callback_query_id": "q-ok"}]
    (edit,) = harness.request.of("editMessageText")
    assert edit["text"] == "Vos thèmes ?\n→ Culture"
    assert "reply_markup" not in edit


async def test_multi_select_submit_with_several_and_with_none(harness: Harness) -> None:
    message = await ask(
        harness, Reply("Thèmes ?", choices=THEMES.choices, multi=True, selected=("006", "024"), submit_label="Valider", prompt_id="t")
    )
    await harness.press(message, "Valider")
    assert harness.core.received[-1].choices == ("006", "024")
    assert harness.request.of("editMessageText")[-1]["text"] == "Thèmes ?\n→ Culture, Environnement"
    message = await ask(harness, Reply("Thèmes ?", choices=THEMES.choices, multi=True, prompt_id="t2"))
    await harness.press(message, translate("fr", "telegram.submit"))
    assert harness.core.received[-1].choices == ()
    assert harness.request.of("editMessageText")[-1]["text"] == "Thèmes ?\n→ —"


# -- forged, stale and malformed callbacks ------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "garbage",
        "2|onb.kind|c|association",  # unknown version
        "1|onb.kind|c|admin",  # a value that is not on this message
        "1|other|c|association",  # a prompt that is not on this message
        "1|onb.kind|t|association",  # a toggle on a single-choice message
        "1|onb.kind|ok",  # a submit on a single-choice message
        "1|onb.kind|c|" + "x" * 60,
    ],
)
async def test_forged_callback_data_gets_a_polite_answer(harness: Harness, data: str) -> None:
    message = await ask(harness, TYPES)
    await harness.feed(harness.callback_update(data, message, user=person(1001, "en"), query_id="q-bad"))
    assert harness.core.received == []
    assert harness.request.calls == [
        ("answerCallbackQuery", {"callback_query_id": "q-bad", "text": translate("en", "telegram.button_invalid")})
    ]


async def test_callback_without_message_or_data_or_in_a_group(harness: Harness) -> None:
    message = await ask(harness, TYPES)
    raw = harness.callback_update("1|onb.kind|c|association", message)
    del raw["callback_query"]["message"]
    raw["callback_query"]["inline_message_id"] = "inline-1"
    await harness.feed(raw)
    raw = harness.callback_update("1|onb.kind|c|association", message)
    del raw["callback_query"]["data"]
    raw["callback_query"]["game_short_name"] = "jeu"
    await harness.feed(raw)
    await harness.feed(harness.callback_update("1|onb.kind|c|association", message | {"chat": group_chat()}))
    assert harness.core.received == []
    assert harness.request.methods() == ["answerCallbackQuery"] * 3
    assert all(p["text"] == translate("fr", "telegram.button_invalid") for p in answers(harness.request))


async def test_every_callback_query_is_answered_exactly_once(harness: Harness) -> None:
    single = await ask(harness, TYPES)
    multi = await ask(harness, THEMES)
    presses = [
        (single, "1|onb.kind|c|association"),
        (single, "nope"),
        (multi, "1|onb.themes|t|006"),
        (multi, "1|onb.themes|t|999"),
        (multi, "1|onb.themes|ok"),
    ]
    for index, (message, data) in enumerate(presses):
        harness.core.outcome = [Outcome.ACCEPTED, Outcome.REJECTED][index % 2]
        await harness.feed(harness.callback_update(data, message, query_id=f"q{index}"))
    counts = Counter(p["callback_query_id"] for p in answers(harness.request))
    assert counts == {f"q{i}": 1 for i in range(len(presses))}


async def test_answer_failure_does_not_break_the_press(harness: Harness) -> None:
    message = await ask(harness, TYPES)
    harness.request.fail("answerCallbackQuery", 400, "Bad Request: query is too old and response timeout expired")
    await harness.press(message, "Association")
    assert len(harness.core.received) == 1
    assert harness.request.of("editMessageText")


async def test_updates_of_one_person_are_processed_in_order(core: FakeCore) -> None:
    """Through the real update queue (concurrent processor), with a slow paced chat."""
    request = RecordingRequest()
    clock = FakeClock()
    adapter = TelegramAdapter(TOKEN, receive=False, request=request, queue=SendQueue(10_000, 10_000, clock=clock, sleep=clock.sleep))
    core.adapter = adapter
    core.script = lambda incoming: [Reply(f"reçu {incoming.text}")]
    h = Harness(adapter, request, core, clock)
    await adapter.start(core)
    try:
        for i in range(20):
            for user in (1001, 1002):
                raw = h.text_update(f"{user}-{i}", user=person(user))
                await adapter.application.update_queue.put(Update.de_json(raw, adapter.application.bot))
        async with asyncio.timeout(5):
            while len(core.received) < 40:
                await asyncio.sleep(0.01)
    finally:
        await adapter.stop()
    for user in ("1001", "1002"):
        texts = [i.text for i in core.received if i.user_id == user]
        assert texts == [f"{user}-{i}" for i in range(20)]
    assert len(request.of("sendMessage")) == 40


async def test_a_conversation_is_not_paced_but_unsolicited_sends_are(recording: RecordingRequest, core: FakeCore) -> None:
    """Default per-chat pacing (1/s after a burst of 3): each answer's two messages go at once."""
    clock = FakeClock()
    adapter = TelegramAdapter(TOKEN, receive=False, request=recording, queue=SendQueue(30, 1, chat_burst=3, clock=clock, sleep=clock.sleep))
    core.adapter = adapter
    core.script = lambda incoming: (Reply("C'est noté."), TYPES)
    harness = Harness(adapter, recording, core, clock)
    await adapter.start(core)
    try:
        for step in range(10):
            await harness.send_text(f"réponse {step}")
            await harness.press(recording.messages()[-1], "Association")
            clock.now += 0.5
        assert len(recording.of("sendMessage")) == 40
        assert clock.sleeps == []  # nothing held back: a reply follows what the person wrote
        core.script = lambda incoming: ()
        await harness.adapter.send("1001", THEMES)  # sent on the bot's own: may wait for the chat's pace
        clock.sleeps.clear()
        themes = recording.messages()[-1]
        for label in ("Culture", "✅ Sports", "Sports", "Environnement", "✅ Culture"):  # quick toggles
            await harness.press(themes, label)
            themes = {**themes, "reply_markup": recording.of("editMessageReplyMarkup")[-1]["reply_markup"]}
        assert clock.sleeps == []  # ticking options in a row is not held back either
        for i in range(5):  # notifications the bot sends on its own
            await adapter.send("1001", Reply(f"Rappel {i}"))
        assert clock.sleeps and max(clock.sleeps) <= 1.0 + 1e-9
    finally:
        await adapter.stop()
