"""Matrix conventions, offline (real MatrixAdapter on the stub nio client, real App): commands
shown as ``!command``, no "Valider" where there is no such button, "ok" keeps a ticked
multi-choice, ``m.text`` for everything addressed to a person, no mentions."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from bot.config import Config
from conversations.i18n import LANGUAGES, catalog
from core.clock import iso, utcnow
from core.types import Choice, Reply
from storage import coordination
from tests.matrix.mx_fakes import DM, StubClient, make_adapter
from tests.matrix.test_matrix_broadcast import VILLEURBANNE, MxUser

SLASH_COMMAND = re.compile(r"""(?:^|[\s(«"'“‘\[\u00a0\u202f])/[^\W\d_]""")
"""A ``/command`` as Element would intercept it, or as a person would copy it."""
SUBMIT_WORDING = re.compile(r"validez|valider|then confirm", re.IGNORECASE)
BUTTON_ONLY_KEYS = ("telegram.", "common.submit")
"""Catalog entries used only on Telegram (its "Valider" button and its own hints)."""


class Blank(dict[str, Any]):
    """Fills any ``{placeholder}`` with a sample value (a code, as in "/start {code}")."""

    def __missing__(self, key: str) -> str:
        return "ABC123"


def _catalog_texts() -> list[tuple[str, str, str]]:
    return [
        (language, key, message.format_map(Blank()) if "{" in message else message)
        for language in LANGUAGES
        for key, message in catalog(language).items()
        if key
    ]


@pytest.fixture
async def adapter(tmp_path: Path):  # type: ignore[no-untyped-def]
    client = StubClient()
    client.room(DM, "@alice:localhost")
    adapter = make_adapter(tmp_path / "store", client, None, room_wait=0.05, rate_per_second=100_000)  # type: ignore[arg-type]
    yield adapter, client
    await adapter.stop()


async def test_no_catalog_message_shows_a_slash_command_on_matrix(adapter) -> None:  # type: ignore[no-untyped-def]
    matrix, client = adapter
    texts = _catalog_texts()
    assert sum(1 for _, _, text in texts if SLASH_COMMAND.search(text)) > 10  # the catalogs do name commands
    for language, _key, text in texts:
        await matrix.send(DM, Reply(text=text, language=language))
        await matrix.send(DM, Reply(text=text, choices=(Choice("a", text[:40] or "a"),), language=language))
    shown = defaultdict(list)
    for (language, key, _), sent in zip([t for t in texts for _ in (0, 1)], client.sent, strict=True):
        for field in ("body", "formatted_body"):
            if SLASH_COMMAND.search(sent.content[field]):
                shown[f"{language}:{key}"].append(sent.content[field][:120])
    assert not shown, dict(shown)
    assert any("!besoin" in sent.content["body"] for sent in client.sent)


def test_no_catalog_message_asks_to_press_valider_outside_telegram() -> None:
    wrong = [
        f"{language}:{key}: {text}"
        for language, key, text in _catalog_texts()
        if SUBMIT_WORDING.search(text) and not key.startswith(BUTTON_ONLY_KEYS)
    ]
    assert not wrong, wrong


async def test_urls_paths_and_dates_keep_their_slashes(adapter) -> None:  # type: ignore[no-untyped-def]
    matrix, client = adapter
    text = "Voir https://t.me/traitdunion_bot?start=AB12, /start AB12, (/aide), et/ou 24/7, ~/notes/besoin.txt"
    await matrix.send(DM, Reply(text=text))
    assert client.sent[0].content["body"] == (
        "Voir https://t.me/traitdunion_bot?start=AB12, !start AB12, (!aide), et/ou 24/7, ~/notes/besoin.txt"
    )


async def test_messages_mention_nobody(adapter) -> None:  # type: ignore[no-untyped-def]
    matrix, client = adapter
    await matrix.send(DM, Reply(text="Partenaire possible : @room — Alice", notice=True))
    content = client.sent[0].content
    assert content["m.mentions"] == {}  # Element's legacy @room / display-name rules do not fire
    assert "<a " not in content["formatted_body"]  # no pill
    assert content["msgtype"] == "m.text"  # a notification is still addressed to the person


@pytest.fixture
async def world(tmp_path: Path, territories) -> AsyncIterator[tuple[App, StubClient, dict[str, MxUser]]]:
    client = StubClient()
    adapter = make_adapter(tmp_path / "store", client, None, room_wait=0.05, rate_per_second=10_000)  # type: ignore[arg-type]

    async def start(handler: Any) -> None:
        adapter._handler = handler

    adapter.start = start  # type: ignore[method-assign]
    app = await App.open(Config(db=str(tmp_path / "bot.db")), adapters=[adapter], territories=territories)
    app.run_jobs = False
    await app.start()
    for worker in app.workers:
        await worker.stop()
    people = {
        name: MxUser(adapter, client, user_id, room)
        for name, (user_id, room) in {
            "coord": ("@coord:localhost", "!coord"),
            "alice": ("@alice:localhost", "!alice"),
            "bob": ("@bob:localhost", "!bob"),
        }.items()
    }
    await people["alice"].onboard("Les Jardins de la Doua", "1", "Villeurbanne")
    await people["bob"].onboard("Boulangerie Gratte-Ciel", "2", "Villeurbanne")
    await app.db.transaction(
        lambda conn: coordination.add_coordinator(conn, "matrix", "@coord:localhost", VILLEURBANNE, "test", iso(utcnow()))
    )
    yield app, client, people
    await app.stop()


async def test_help_and_prompts_use_bang_commands(world) -> None:  # type: ignore[no-untyped-def]
    _, client, people = world
    alice = people["alice"]
    alice.new_texts()
    await alice.says("!aide")
    help_text = alice.new_texts()
    assert "!besoin — Déclarer un besoin" in help_text and "!annuler" in help_text
    assert not SLASH_COMMAND.search(help_text)
    await alice.says("!pause")
    assert "!reprendre" in alice.new_texts()


async def test_ok_keeps_a_ticked_multi_choice(world) -> None:  # type: ignore[no-untyped-def]
    _, _, people = world
    alice = people["alice"]
    alice.new_texts()
    for line in ("!profil", "Thèmes"):  # the profile's themes come ticked
        await alice.says(line)
    themes = alice.new_texts()
    assert "✅" in themes
    assert "Répondez « ok » pour garder ce qui est coché." in themes and "valid" not in themes.lower()
    await alice.says("ok")
    assert "C'est modifié." in alice.new_texts()


async def test_introductions_reach_people_as_m_text(world) -> None:  # type: ignore[no-untyped-def]
    app, client, people = world
    coord, alice, bob = people["coord"], people["alice"], people["bob"]
    await coord.says("!presenter")
    await coord.says("Jardins")  # one match each: taken at once
    await coord.says("Boulangerie")
    await coord.says("passer")  # no reason
    await coord.says("1")  # "Oui, envoyer"
    assert "Je propose la mise en relation" in coord.new_texts()
    await app.workers[0].run_once()
    [request] = [c for _, c in alice.received() if "1. " in c["body"] and "Boulangerie" in c["body"]][-1:]
    assert request["msgtype"] == "m.text"
    await alice.says("1")
    await app.workers[0].run_once()
    bob_request = [c for _, c in bob.received() if "Jardins" in c["body"]][-1]
    assert bob_request["msgtype"] == "m.text"
    await bob.says("1")
    await app.workers[0].run_once()
    made = [c for _, c in alice.received() if "Mise en relation acceptée" in c["body"]]
    assert made and made[-1]["msgtype"] == "m.text"
    assert "Matrix @bob:localhost — https://matrix.to/#/@bob:localhost" in made[-1]["body"]
    person_bound = [s.content for s in client.sent if s.room_id in ("!alice", "!bob")]
    assert all(content["msgtype"] != "m.notice" for content in person_bound)


async def test_an_appointment_carries_a_link_to_the_bot(adapter) -> None:  # type: ignore[no-untyped-def]
    matrix, client = adapter
    await matrix.send(DM, Reply(text="console:paul coordonne désormais Villeurbanne (69).", meta={"invite_code": "ab12cd34"}))
    body = client.sent[0].content["body"]
    assert body.endswith("Lien vers le robot à transmettre : https://matrix.to/#/@bot:localhost (puis taper « !start ab12cd34 »)")


def test_cross_signing_keys_are_saved_privately_and_sign_verifiably(tmp_path: Path) -> None:
    import stat

    import vodozemac

    from bot.adapters.matrix_crosssign import CrossSigningKeys, canonical_json

    keys = CrossSigningKeys.generate()
    keys.save(tmp_path)
    assert stat.S_IMODE((tmp_path / "cross_signing.json").stat().st_mode) == 0o600
    loaded = CrossSigningKeys.load(tmp_path)
    assert loaded is not None and [loaded.public(u) for u in ("master", "self_signing", "user_signing")] == [
        keys.public(u) for u in ("master", "self_signing", "user_signing")
    ]
    device = {
        "user_id": "@bot:localhost",
        "device_id": "DEV",
        "algorithms": ["m.megolm.v1.aes-sha2"],
        "keys": {"ed25519:DEV": "x"},
        "signatures": {"@bot:localhost": {"ed25519:DEV": "self"}},
        "unsigned": {"device_display_name": "Trait d'union"},
    }
    signed = loaded.sign_device("@bot:localhost", device)
    assert "unsigned" not in signed and signed["signatures"]["@bot:localhost"]["ed25519:DEV"] == "self"
    ssk = loaded.public("self_signing")
    payload = canonical_json({k: v for k, v in device.items() if k not in ("signatures", "unsigned")})
    vodozemac.Ed25519PublicKey.from_base64(ssk).verify_signature(
        payload, vodozemac.Ed25519Signature.from_base64(signed["signatures"]["@bot:localhost"][f"ed25519:{ssk}"])
    )
    (tmp_path / "cross_signing.json").write_text("{broken")
    assert CrossSigningKeys.load(tmp_path) is None  # a damaged file means new keys, not a crash
