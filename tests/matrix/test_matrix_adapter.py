"""Offline tests of the Matrix adapter: nio events and responses fed to it, a stub client records."""

from __future__ import annotations

import asyncio
import logging
import stat
import struct
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from nio import AsyncClient, AsyncClientConfig, JoinResponse, SyncResponse

from bot.adapters.matrix import MatrixAdapter
from bot.adapters.matrix_format import (
    command_text,
    keycap_number,
    mentions_user,
    plain_to_html,
    strip_reply_fallback,
)
from bot.adapters.matrix_state import AdapterState, Session, load_session, save_session
from bot.config import Config, MatrixSettings
from core.errors import ConfigError, PermanentDeliveryError, TemporaryDeliveryError
from core.types import Attachment, Choice, Incoming, Outcome, Reply
from tests.matrix.mx_fakes import (
    ALICE,
    BOB,
    BOT,
    DM,
    GROUP,
    Core,
    StubClient,
    forbidden,
    invite,
    limit_exceeded,
    make_adapter,
    megolm,
    now_ms,
    reaction,
    settle,
    text,
)

QUESTION = Reply(
    text="Vous êtes <b>quelle</b> structure ?",
    choices=(Choice("association", "Association"), Choice("company", "Entreprise & co"), Choice("other", "Autre")),
    prompt_id="onboarding.kind#1",
)


@pytest.fixture
def client() -> StubClient:
    stub = StubClient()
    stub.room(DM, ALICE)
    stub.room(GROUP, ALICE, BOB)
    return stub


@pytest.fixture
def core() -> Core:
    return Core()


@pytest.fixture
async def adapter(tmp_path: Path, client: StubClient, core: Core):  # type: ignore[no-untyped-def]
    adapter = make_adapter(tmp_path / "store", client, core, room_wait=0.05)
    yield adapter
    await adapter.stop()


# ---------------------------------------------------------------- pure helpers


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("!start", "/start"),
        ("!START", "/start"),
        ("  !besoin  ", "/besoin"),
        ("!start abc123", "/start abc123"),
        ("/aide", "/aide"),
        ("aide", "/aide"),
        ("Menu", "/menu"),
        ("help!", "/help"),
        ("annuler.", "/annuler"),
        ("cancel", "/cancel"),
        ("aide moi", None),
        ("2", None),
        ("1 3", None),
        ("!!!", None),
        ("Bonjour !", None),
    ],
)
def test_command_text(body: str, expected: str | None) -> None:
    assert command_text(body) == expected


def test_keycaps() -> None:
    assert [keycap_number(k) for k in ("1️⃣", "2️⃣", "9️⃣", "🔟", "3\u20e3")] == [1, 2, 9, 10, 3]
    assert keycap_number("👍") is None
    assert keycap_number("0️⃣") is None


def test_html_escapes_text_and_numbers_lists() -> None:
    html = plain_to_html("Titre <script>&\n\n1. A & B\n2. <i>C</i>\n\nRépondez par un numéro.")
    assert html == (
        "<p>Titre &lt;script&gt;&amp;</p><ol><li>A &amp; B</li><li>&lt;i&gt;C&lt;/i&gt;</li></ol><p>Répondez par un numéro.</p>"
    )


def test_mentions() -> None:
    assert mentions_user({"body": "hello", "m.mentions": {"user_ids": [BOT]}}, BOT, None)
    assert mentions_user({"body": "Trait d'union: aide"}, BOT, "Trait d'union")
    assert mentions_user({"body": "bot, help"}, BOT, None)
    assert not mentions_user({"body": "robot talk"}, BOT, None)


def test_reply_fallback_is_stripped() -> None:
    assert strip_reply_fallback("> <@bot:localhost> Question ?\n> 1. A\n\n2") == "2"
    assert strip_reply_fallback("> une citation seule") == "> une citation seule"


def test_session_file_is_private(tmp_path: Path) -> None:
    save_session(tmp_path, Session(BOT, "DEV", "syt_secret"))
    assert stat.S_IMODE((tmp_path / "session.json").stat().st_mode) == 0o600
    loaded = load_session(tmp_path)
    assert loaded == Session(BOT, "DEV", "syt_secret")
    assert "syt_secret" not in repr(loaded)


def test_first_start_is_remembered(tmp_path: Path) -> None:
    first = AdapterState.open(tmp_path)
    stamp = first.first_start_ms()
    first.close()
    again = AdapterState.open(tmp_path)
    assert again.first_start_ms() == stamp
    again.close()


def test_from_config_uses_store_beside_db(tmp_path: Path) -> None:
    config = Config(
        db=str(tmp_path / "bot.db"),
        matrix=MatrixSettings(homeserver="http://hs", user_id=BOT, password="pw", rate_per_second=2.0),
    )
    adapter = MatrixAdapter.from_config(config)
    assert adapter.store == tmp_path / "matrix-store"
    assert adapter.queue.rate_per_second == 2.0
    assert "pw" not in repr(adapter)


# ---------------------------------------------------------------- receiving


async def test_dm_command_goes_to_core(adapter: MatrixAdapter, client: StubClient, core: Core) -> None:
    message = text(ALICE, "!start")
    await adapter._on_message(client.rooms[DM], message)
    await settle(adapter)
    [incoming] = core.incoming
    assert (incoming.platform, incoming.user_id, incoming.chat_id) == ("matrix", ALICE, DM)
    assert incoming.event_id == message.event_id
    assert incoming.text == "/start"
    assert incoming.display_name == "Alice"


async def test_dm_words_and_free_text(adapter: MatrixAdapter, client: StubClient, core: Core) -> None:
    for body in ("aide", "Villeurbanne <3", "1 3"):
        await adapter._on_message(client.rooms[DM], text(ALICE, body))
    await settle(adapter)
    assert [i.text for i in core.incoming] == ["/aide", "Villeurbanne <3", "1 3"]


async def test_own_old_and_edited_messages_are_ignored(adapter: MatrixAdapter, client: StubClient, core: Core) -> None:
    room = client.rooms[DM]
    await adapter._on_message(room, text(BOT, "!start"))
    await adapter._on_message(room, text(ALICE, "!start", ts=adapter._first_start_ms - 1))
    await adapter._on_message(room, text(ALICE, "* 2", **{"m.relates_to": {"rel_type": "m.replace", "event_id": "$x"}}))
    await settle(adapter)
    assert core.incoming == []


async def test_group_room_only_hints(adapter: MatrixAdapter, client: StubClient, core: Core) -> None:
    room = client.rooms[GROUP]
    await adapter._on_message(room, text(ALICE, "bonjour à tous"))
    await settle(adapter)
    assert client.sent == []
    await adapter._on_message(room, text(ALICE, "!besoin"))
    await adapter._on_message(room, text(BOB, "hello", **{"m.mentions": {"user_ids": [BOT]}}))
    await settle(adapter)
    assert core.incoming == []
    assert len(client.sent) == 2
    hint = client.sent[0].content
    assert hint["msgtype"] == "m.notice"
    assert hint["body"] and not hint["body"].startswith("matrix.")  # translated, not the key


async def test_invite_is_joined(adapter: MatrixAdapter, client: StubClient) -> None:
    room = client.room("!new", ALICE)
    await adapter._on_invite(room, invite(ALICE))
    await adapter._on_invite(room, invite(ALICE, invitee=BOB))
    await settle(adapter)
    assert client.joined == ["!new"]


async def test_reaction_on_current_question_is_a_choice(adapter: MatrixAdapter, client: StubClient, core: Core) -> None:
    await adapter.send(DM, QUESTION)
    question_event = "$sent1"
    room = client.rooms[DM]
    await adapter._on_reaction(room, reaction(ALICE, question_event, "2️⃣"))
    await adapter._on_reaction(room, reaction(ALICE, question_event, "4️⃣"))  # only 3 choices
    await adapter._on_reaction(room, reaction(ALICE, question_event, "👍"))
    await adapter._on_reaction(room, reaction(ALICE, "$unknown", "1️⃣"))
    await settle(adapter)
    [incoming] = core.incoming
    assert incoming.text == "2"
    assert incoming.prompt_id == "onboarding.kind#1"
    assert incoming.chat_id == DM and incoming.user_id == ALICE


async def test_reactions_survive_a_restart(tmp_path: Path, client: StubClient, core: Core) -> None:
    first = make_adapter(tmp_path / "store", client, core)
    await first.send(DM, QUESTION)
    await first.stop()
    second = make_adapter(tmp_path / "store", client, core)
    await second._on_reaction(client.rooms[DM], reaction(ALICE, "$sent1", "1️⃣"))
    await settle(second)
    await second.stop()
    assert [(i.text, i.prompt_id) for i in core.incoming] == [("1", "onboarding.kind#1")]


async def test_undecryptable_event_requests_key_and_logs_warning(
    adapter: MatrixAdapter, client: StubClient, core: Core, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await adapter._on_undecrypted(client.rooms[DM], megolm(ALICE, "S1"))
    await settle(adapter)
    assert client.key_requests == ["S1"]
    assert core.incoming == []
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "decrypt" in r.getMessage()]
    assert warnings and "AwgAEnAC" not in warnings[0].getMessage()


async def test_sync_response_dispatches_through_nio_callbacks(tmp_path: Path, core: Core) -> None:
    nio_client = AsyncClient("http://hs.invalid", BOT, config=AsyncClientConfig(encryption_enabled=False))
    nio_client.restore_login(BOT, "BOTDEVICE", "token")
    joined: list[str] = []

    async def join(room_id: str) -> JoinResponse:
        joined.append(room_id)
        return JoinResponse(room_id)

    nio_client.join = join  # type: ignore[method-assign]
    adapter = MatrixAdapter("http://hs.invalid", BOT, tmp_path, password="pw")
    adapter.client = nio_client
    adapter._handler = core
    adapter._register_callbacks(nio_client)
    ts = now_ms()
    adapter._first_start_ms = ts - 60_000  # "$old" predates the bot's first start
    member = {"type": "m.room.member", "content": {"membership": "join"}, "origin_server_ts": ts}
    sync = SyncResponse.from_dict(
        {
            "next_batch": "s1",
            "rooms": {
                "invite": {
                    "!invited": {
                        "invite_state": {
                            "events": [{"type": "m.room.member", "sender": ALICE, "state_key": BOT, "content": {"membership": "invite"}}]
                        }
                    }
                },
                "join": {
                    DM: {
                        "state": {
                            "events": [
                                {**member, "event_id": "$m1", "sender": ALICE, "state_key": ALICE},
                                {**member, "event_id": "$m2", "sender": BOT, "state_key": BOT},
                            ]
                        },
                        "timeline": {
                            "events": [
                                {
                                    "type": "m.room.message",
                                    "event_id": "$old",
                                    "sender": ALICE,
                                    "origin_server_ts": 1000,
                                    "content": {"msgtype": "m.text", "body": "ancien message"},
                                },
                                {
                                    "type": "m.room.message",
                                    "event_id": "$new",
                                    "sender": ALICE,
                                    "origin_server_ts": ts,
                                    "content": {"msgtype": "m.text", "body": "!start"},
                                },
                            ],
                            "limited": False,
                        },
                    }
                },
                "leave": {},
            },
        }
    )
    assert isinstance(sync, SyncResponse)
    await nio_client.receive_response(sync)
    await settle(adapter)
    assert joined == ["!invited"]
    assert [(i.event_id, i.text) for i in core.incoming] == [("$new", "/start")]
    await nio_client.close()


# ---------------------------------------------------------------- sending


async def test_reply_has_plain_and_escaped_html_bodies(adapter: MatrixAdapter, client: StubClient) -> None:
    await adapter.send(DM, QUESTION)
    [sent] = client.sent
    assert sent.message_type == "m.room.message"
    content = sent.content
    assert content["msgtype"] == "m.text"
    assert content["format"] == "org.matrix.custom.html"
    assert content["body"].startswith("Vous êtes <b>quelle</b> structure ?")
    assert "1. Association" in content["body"] and "2. Entreprise & co" in content["body"]
    assert "&lt;b&gt;quelle&lt;/b&gt;" in content["formatted_body"]
    assert "<ol><li>Association</li><li>Entreprise &amp; co</li><li>Autre</li></ol>" in content["formatted_body"]


async def test_notice(adapter: MatrixAdapter, client: StubClient) -> None:
    await adapter.send(DM, Reply(text="Rappel : votre annonce expire demain.", notice=True))
    await adapter.send(DM, Reply(text="Appel n°1 : 3/10 envoyés", chatter=True))
    assert client.sent[0].content["msgtype"] == "m.text"  # addressed to the person: Element notifies it
    assert client.sent[1].content["msgtype"] == "m.notice"  # the bot's own status chatter


def _png(width: int, height: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", width, height) + b"\x08\x06\0\0\0"


async def test_attachments_plain_and_encrypted(adapter: MatrixAdapter, client: StubClient) -> None:
    chart = Attachment("stats.png", "image/png", _png(640, 480))
    await adapter.send(DM, Reply(text="Vos statistiques", attachment=chart))
    text_message, image = client.sent
    assert text_message.content["body"] == "Vos statistiques"
    assert image.content["msgtype"] == "m.image"
    assert image.content["url"] == "mxc://localhost/upload1"
    assert image.content["info"] == {"mimetype": "image/png", "size": len(chart.data), "w": 640, "h": 480}
    assert client.uploads[0]["data"] == chart.data and not client.uploads[0]["encrypt"]

    client.room("!secret", ALICE, encrypted=True)
    export = Attachment("export.csv", "text/csv", b"a;b\n1;2\n")
    await adapter.send("!secret", Reply(text="", attachment=export))
    [csv] = [s for s in client.sent if s.room_id == "!secret"]
    assert csv.content["msgtype"] == "m.file"
    assert "url" not in csv.content
    assert csv.content["file"]["url"] == "mxc://localhost/upload2"
    assert csv.content["file"]["key"] == {"k": "secret"}
    assert client.uploads[1]["encrypt"] is True


async def test_rate_limit_is_waited_out_and_the_same_message_resent(adapter: MatrixAdapter, client: StubClient) -> None:
    client.failures = [limit_exceeded(20), limit_exceeded(20)]
    await adapter.send(DM, QUESTION)
    assert len(client.attempts) == 3
    assert len(client.sent) == 1
    assert {a.tx_id for a in client.attempts} == {client.sent[0].tx_id}
    assert all(a.content == client.sent[0].content for a in client.attempts)


async def test_forbidden_is_permanent(adapter: MatrixAdapter, client: StubClient) -> None:
    client.failures = [forbidden()]
    with pytest.raises(PermanentDeliveryError):
        await adapter.send(DM, QUESTION)


async def test_unknown_or_empty_room_is_permanent(adapter: MatrixAdapter, client: StubClient) -> None:
    with pytest.raises(PermanentDeliveryError):
        await adapter.send("!gone", QUESTION)
    client.room("!alone")
    with pytest.raises(PermanentDeliveryError):
        await adapter.send("!alone", QUESTION)
    assert client.attempts == []


async def test_unreachable_homeserver_is_retried_then_temporary(tmp_path: Path, client: StubClient, core: Core) -> None:
    adapter = make_adapter(tmp_path / "store", client, core, retry_deadline=0.3)
    adapter.queue.backoff_initial = 0.01
    client.failures = [aiohttp.ClientConnectionError("refused")] * 2
    await adapter.send(DM, QUESTION)
    assert len(client.attempts) == 3 and len(client.sent) == 1

    client.failures = [aiohttp.ClientConnectionError("refused")] * 1000
    with pytest.raises(TemporaryDeliveryError):
        await adapter.send(DM, QUESTION)
    await adapter.stop()


async def test_pacing(tmp_path: Path, client: StubClient, core: Core) -> None:
    adapter = make_adapter(tmp_path / "store", client, core, rate_per_second=50)
    loop_time = __import__("time").monotonic
    start = loop_time()
    for _ in range(60):  # burst of 50, then 10 more at 50/s
        await adapter.send(DM, Reply(text="x"))
    assert loop_time() - start >= 0.15
    await adapter.stop()


async def test_no_message_content_logged_at_info(
    adapter: MatrixAdapter, client: StubClient, core: Core, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await adapter._on_message(client.rooms[DM], text(ALICE, "mon secret 0612345678"))
    await settle(adapter)
    client.failures = [limit_exceeded(5)]
    await adapter.send(DM, Reply(text="réponse confidentielle"))
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "0612345678" not in logged and "confidentielle" not in logged and "pw" not in logged.split()


async def test_queue_keeps_room_order_and_runs_rooms_in_parallel() -> None:
    from bot.adapters.matrix_queue import SendQueue

    queue = SendQueue(10_000, workers=3)
    queue.start()
    done: list[str] = []
    release_a = asyncio.Event()

    def delivery(name: str, wait: asyncio.Event | None = None):  # type: ignore[no-untyped-def]
        async def deliver() -> None:
            if wait is not None:
                await wait.wait()
            done.append(name)

        return deliver

    first = asyncio.create_task(queue.submit(delivery("a1", release_a), lane="!a"))
    second = asyncio.create_task(queue.submit(delivery("a2"), lane="!a"))
    other = asyncio.create_task(queue.submit(delivery("b1"), lane="!b"))
    await asyncio.wait_for(other, 1)
    assert done == ["b1"]  # room b is not held up by room a
    release_a.set()
    await asyncio.gather(first, second)
    assert done == ["b1", "a1", "a2"]
    await queue.stop()


async def test_each_room_gets_its_turn_so_a_backlog_does_not_delay_other_rooms() -> None:
    """A room with many messages waiting (one call's deliveries, a group room, a flood's answers) gets
    one delivery in turn with every other room that has messages waiting: the replies to others start
    right after the big room's running delivery, whatever the number of workers (before: the
    shared queue ran the whole backlog first, and with several workers all of them waited on that
    one room's turn). Each room's own messages keep their order."""
    from bot.adapters.matrix_queue import SendQueue

    for workers in (1, 3):
        queue = SendQueue(10_000, workers=workers)
        queue.start()
        started: list[str] = []
        release = asyncio.Event()

        def delivery(name: str, wait: bool = False):  # type: ignore[no-untyped-def]
            async def deliver() -> None:
                started.append(name)
                if wait:
                    await release.wait()

            return deliver

        big = [asyncio.create_task(queue.submit(delivery("big0", wait=True), lane="!big"))]
        await asyncio.sleep(0)
        big += [asyncio.create_task(queue.submit(delivery(f"big{n}"), lane="!big")) for n in range(1, 30)]
        others = [asyncio.create_task(queue.submit(delivery(name), lane=f"!{name}")) for name in ("alice", "bob")]
        for _ in range(5):
            await asyncio.sleep(0)
        release.set()
        await asyncio.wait_for(asyncio.gather(*big, *others), 5)
        await queue.stop()
        assert started.index("alice") <= 1 and started.index("bob") <= 2, (workers, started)
        assert [name for name in started if name.startswith("big")] == [f"big{n}" for n in range(30)]


@pytest.mark.parametrize("content", ['{"user_id": "@bot:localhost", "device_id": "DEV"', "[]", '{"user_id": 1}', "\x00\xff"])
async def test_a_damaged_session_file_is_refused_instead_of_logging_in_as_a_new_device(tmp_path: Path, content: str) -> None:
    (tmp_path / "session.json").write_text(content, encoding="latin-1")
    made: list[str | None] = []

    def factory(device_id: str | None) -> Any:
        made.append(device_id)
        raise AssertionError("no client may be made: logging in would create a new device")

    adapter = MatrixAdapter("http://hs.invalid", BOT, tmp_path, password="pw", client_factory=factory)
    with pytest.raises(ConfigError) as raised:
        await adapter._open_client()  # noqa: SLF001
    assert raised.value.key == "MATRIX_STORE" and "session.json" in raised.value.message
    assert made == []
    assert load_session(tmp_path / "elsewhere") is None  # no file at all: a first login is fine


async def test_a_flood_is_dropped_beyond_a_burst_with_one_notice(adapter: MatrixAdapter, client: StubClient, core: Core) -> None:
    from bot.fairness import BURST, FloodGate
    from conversations.i18n import translate

    adapter.gate = FloodGate(clock=lambda: 0.0)  # every message at the same instant
    for n in range(BURST + 30):
        await adapter._on_message(client.rooms[DM], text(ALICE, f"message {n}"))
    await settle(adapter, lambda: len(client.sent) >= 1)
    assert [i.text for i in core.incoming] == [f"message {n}" for n in range(BURST)]
    notices = [s for s in client.sent if s.content.get("body") == translate("fr", "flood.slow_down")]
    assert len(notices) == 1 and notices[0].room_id == DM


async def test_a_flood_leaves_another_person_served_at_once(tmp_path: Path, client: StubClient) -> None:
    """One person's admitted backlog is handled one event at a time in their room: another person who
    writes once the flood has arrived is answered after a bounded number of the flooder's steps, not
    after all of them."""
    from bot.fairness import BURST, FloodGate

    steps: list[str] = []

    class SlowCore(Core):  # each step takes a moment (the database) and answers
        async def __call__(self, incoming: Incoming) -> Outcome:
            await asyncio.sleep(0.005)
            steps.append(incoming.user_id)
            await adapter.send(incoming.chat_id, Reply(text=f"reçu {incoming.text}"))
            return await super().__call__(incoming)

    client.room("!bob", BOB)
    adapter = make_adapter(tmp_path / "store", client, SlowCore(), room_wait=0.05, rate_per_second=10_000)
    adapter.gate = FloodGate(clock=lambda: 0.0)
    try:
        for n in range(BURST + 30):
            await adapter._on_message(client.rooms[DM], text(ALICE, f"message {n}"))  # noqa: SLF001
        await adapter._on_message(client.rooms["!bob"], text(BOB, "/aide"))  # noqa: SLF001
        await settle(adapter, lambda: steps.count(ALICE) == BURST and BOB in steps, timeout=10)
    finally:
        await adapter.stop()
    assert steps.count(ALICE) == BURST and steps.count(BOB) == 1
    assert steps.index(BOB) <= 2  # served while the flooder's backlog waits
    bob_reply = next(i for i, sent in enumerate(client.sent) if sent.room_id == "!bob")
    assert sum(1 for sent in client.sent[:bob_reply] if sent.room_id == DM) <= 3  # the notice and 1-2 answers
