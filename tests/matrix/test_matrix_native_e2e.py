"""End to end against a real Synapse: what a person on Element sees (greeting, !commands,
notifications that Element's default push rules do not silence, contacts as matrix.to links)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from core.clock import iso, utcnow
from storage import coordination
from tests.harness.synapse import Synapse
from tests.matrix.mx_person import Person, Received, fr, onboard

if TYPE_CHECKING:
    from tests.matrix.conftest import BotRunner

pytestmark = pytest.mark.e2e

PeopleFactory = Callable[..., Awaitable[Person]]
SLASH_COMMAND = re.compile(r"""(?:^|[\s(«"'“‘\[])/[^\W\d_]""")


async def push_rules(synapse: Synapse, person: Person) -> dict[str, Any]:
    """The person's push rules, as their Element client reads them from the homeserver."""
    async with (
        aiohttp.ClientSession() as http,
        http.get(
            f"{synapse.url}/_matrix/client/v3/pushrules/",
            headers={"Authorization": f"Bearer {person.client.access_token}"},
        ) as response,
    ):
        assert response.status == 200
        return dict(await response.json())


def silenced_by(rules: dict[str, Any], message: Received) -> list[str]:
    """The enabled override rules that match ``message`` and do not notify (Element's evaluation
    of ``event_match`` conditions on the decrypted content)."""
    content = message.event.source.get("content", {})
    silenced = []
    for rule in rules["global"].get("override", []):
        if not rule.get("enabled", True) or "notify" in rule.get("actions", []):
            continue
        conditions = rule.get("conditions", [])
        if not conditions:
            continue
        matched = all(
            condition.get("kind") == "event_match"
            and condition.get("key", "").startswith("content.")
            and content.get(condition["key"].removeprefix("content.")) == condition.get("pattern")
            for condition in conditions
        )
        if matched:
            silenced.append(rule["rule_id"])
    return silenced


async def test_invited_to_a_direct_chat_the_bot_greets_with_bang_start(bot: BotRunner, people: PeopleFactory) -> None:
    alice = await people("alice", encryption=True)
    room = await alice.open_dm(bot.user.user_id, encrypted=True)
    greeting = await alice.expect(room, fr("matrix.welcome").replace("/start", "!start"))
    assert greeting.encrypted and greeting.msgtype == "m.text"
    await alice.say(room, "!start")
    welcome = await alice.expect(room, "Bienvenue")
    assert "!annuler" in welcome.body and not SLASH_COMMAND.search(welcome.body)
    await alice.say(room, "!aide")  # during a question: help on that question, and where the commands are
    help_text = await alice.expect(room, "Cette question attend")
    assert "!aide liste toutes les commandes" in help_text.body and not SLASH_COMMAND.search(help_text.body)


async def test_introductions_notify_and_give_matrix_to_links(bot: BotRunner, people: PeopleFactory, synapse: Synapse) -> None:
    alice = await people("alice", encryption=True)
    bob = await people("bob", encryption=True)
    coord = await people("coord", encryption=False)
    rooms = {}
    for person, name in ((alice, "Jardins de la Doua"), (bob, "Boulangerie Gratte-Ciel")):
        rooms[person] = await person.open_dm(bot.user.user_id, encrypted=True)
        await onboard(person, rooms[person], name)
    rooms[coord] = await coord.open_dm(bot.user.user_id, encrypted=False)
    app: Any = bot.app
    area = coordination.Area("commune", "69266", "Villeurbanne (69)")
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "matrix", coord.client.user_id, area, "test", iso(utcnow())))
    for line, expected in (
        ("!presenter", fr("introduce.first")),
        ("Jardins", fr("introduce.second")),  # one match each: taken at once
        ("Boulangerie", "pourquoi les mettre en relation"),
        ("passer", "J'envoie ?"),  # no reason; then the confirmation
        ("1", "Je propose la mise en relation"),
    ):
        await coord.say(rooms[coord], line)
        await coord.expect(rooms[coord], expected)

    request = await alice.expect(rooms[alice], "Boulangerie Gratte-Ciel")
    await alice.say(rooms[alice], "1")
    asked = await bob.expect(rooms[bob], "Jardins de la Doua")
    await bob.say(rooms[bob], "1")
    made_bob = await bob.expect(rooms[bob], "Mise en relation acceptée")
    made_alice = await alice.expect(rooms[alice], "Mise en relation acceptée")
    assert f"https://matrix.to/#/{alice.client.user_id}" in made_bob.body
    assert f"Matrix {bob.client.user_id} — https://matrix.to/#/{bob.client.user_id}" in made_alice.body

    for person in (alice, bob):
        rules = await push_rules(synapse, person)
        assert any(r["rule_id"] == ".m.rule.suppress_notices" for r in rules["global"]["override"])
        for message in person.in_room(rooms[person]):
            assert message.msgtype == "m.text", message.body[:80]
            assert not silenced_by(rules, message), (message.body[:80], silenced_by(rules, message))
            assert not SLASH_COMMAND.search(message.body), message.body[:200]
    assert request.msgtype == asked.msgtype == "m.text"


async def query_keys(synapse: Synapse, person: Person, user_id: str) -> dict[str, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{synapse.url}/_matrix/client/v3/keys/query",
            json={"device_keys": {user_id: []}},
            headers={"Authorization": f"Bearer {person.client.access_token}"},
        ) as response,
    ):
        assert response.status == 200
        return dict(await response.json())


async def test_the_bot_cross_signs_its_device_once(bot: BotRunner, people: PeopleFactory, synapse: Synapse) -> None:
    import vodozemac

    from bot.adapters.matrix_crosssign import canonical_json

    alice = await people("alice", encryption=False)
    bot_id = bot.user.user_id
    assert bot.adapter is not None and bot.adapter.master_key
    device_id = bot.adapter.device_id
    published = await query_keys(synapse, alice, bot_id)  # what Element reads about the bot
    master = published["master_keys"][bot_id]
    self_signing = published["self_signing_keys"][bot_id]
    [master_public] = master["keys"].values()
    [ssk_public] = self_signing["keys"].values()
    assert master_public == bot.adapter.master_key and master["usage"] == ["master"]

    def verify(signer: str, obj: dict[str, Any]) -> None:
        signature = obj["signatures"][bot_id][f"ed25519:{signer}"]
        payload = canonical_json({k: v for k, v in obj.items() if k not in ("signatures", "unsigned")})
        vodozemac.Ed25519PublicKey.from_base64(signer).verify_signature(payload, vodozemac.Ed25519Signature.from_base64(signature))

    verify(master_public, self_signing)  # the self-signing key is vouched for by the master key
    verify(ssk_public, published["device_keys"][bot_id][device_id])  # and it signs the bot's device

    await bot.stop()  # a restart keeps the same identity: nothing to verify again
    await bot.start()
    assert bot.adapter.master_key == master_public
    again = await query_keys(synapse, alice, bot_id)
    assert list(again["master_keys"][bot_id]["keys"].values()) == [master_public]

    await bot.stop()  # the store's keys lost: new ones replace them (the homeserver asks for the password)
    (bot.adapter.store / "cross_signing.json").unlink()
    await bot.start()
    assert bot.adapter.master_key and bot.adapter.master_key != master_public
    replaced = await query_keys(synapse, alice, bot_id)
    assert list(replaced["master_keys"][bot_id]["keys"].values()) == [bot.adapter.master_key]
    [new_ssk] = replaced["self_signing_keys"][bot_id]["keys"].values()
    verify(new_ssk, replaced["device_keys"][bot_id][device_id])
