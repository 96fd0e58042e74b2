"""Cross-signing of the bot's own device, so that Element can show it verified.

matrix-nio 0.26 has no cross-signing API (its issue #229), so this module follows the Matrix
specification ("Cross-signing") directly:

1. three ed25519 keys — master, self-signing, user-signing — are generated once and kept in
   ``cross_signing.json`` in the store directory (mode 0600, beside nio's crypto store). The
   key pairs are vodozemac ``Account`` objects used only for their ed25519 key: vodozemac is
   already what nio encrypts with, and its Python binding exposes no bare ed25519 key;
2. their public halves are uploaded with ``POST /_matrix/client/v3/keys/device_signing/upload``
   (the self-signing and user-signing keys signed by the master key), answering the
   homeserver's user-interactive authentication with the bot's password when it asks;
3. the bot's device keys, as the homeserver holds them, are signed with the self-signing key
   and uploaded with ``POST /_matrix/client/v3/keys/signatures/upload``.

Every start checks what the homeserver publishes and only does what is missing (a new device
after a new login is signed again; keys the homeserver no longer has are uploaded again).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import vodozemac

__all__ = ["CrossSigningError", "CrossSigningKeys", "bootstrap", "canonical_json"]

log = logging.getLogger(__name__)

KEYS_FILE = "cross_signing.json"
USAGES = ("master", "self_signing", "user_signing")


class CrossSigningError(Exception):
    """The homeserver refused or could not be reached; the bot works on, unverified."""


def canonical_json(value: Any) -> bytes:
    """Matrix canonical JSON: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _signable(value: dict[str, Any]) -> bytes:
    return canonical_json({k: v for k, v in value.items() if k not in ("signatures", "unsigned")})


@dataclass
class CrossSigningKeys:
    """The bot's master, self-signing and user-signing key pairs."""

    master: vodozemac.Account
    self_signing: vodozemac.Account
    user_signing: vodozemac.Account

    @classmethod
    def generate(cls) -> CrossSigningKeys:
        """Three fresh key pairs."""
        return cls(vodozemac.Account(), vodozemac.Account(), vodozemac.Account())

    def pair(self, usage: str) -> vodozemac.Account:
        """The key pair for ``usage`` (``master``, ``self_signing``, ``user_signing``)."""
        return {"master": self.master, "self_signing": self.self_signing, "user_signing": self.user_signing}[usage]

    def public(self, usage: str) -> str:
        """The unpadded base64 public key for ``usage``."""
        return str(self.pair(usage).ed25519_key.to_base64())

    def key_object(self, user_id: str, usage: str) -> dict[str, Any]:
        """The cross-signing key object to upload; the non-master keys are signed by the master key."""
        public = self.public(usage)
        value: dict[str, Any] = {"user_id": user_id, "usage": [usage], "keys": {f"ed25519:{public}": public}}
        if usage != "master":
            signature = self.master.sign(_signable(value)).to_base64()
            value["signatures"] = {user_id: {f"ed25519:{self.public('master')}": signature}}
        return value

    def sign_device(self, user_id: str, device_keys: dict[str, Any]) -> dict[str, Any]:
        """``device_keys`` with the self-signing key's signature added."""
        signature = self.self_signing.sign(_signable(device_keys)).to_base64()
        signed = {k: v for k, v in device_keys.items() if k != "unsigned"}
        signatures = {u: dict(s) for u, s in (device_keys.get("signatures") or {}).items()}
        signatures.setdefault(user_id, {})[f"ed25519:{self.public('self_signing')}"] = signature
        signed["signatures"] = signatures
        return signed

    def save(self, store: Path) -> None:
        """Write the key pairs to the store (mode 0600)."""
        pickle_key = secrets.token_bytes(32)
        document = {"pickle_key": pickle_key.hex()} | {usage: self.pair(usage).pickle(pickle_key) for usage in USAGES}
        path = store / KEYS_FILE
        temporary = path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(document, handle)
        os.replace(temporary, path)

    @classmethod
    def load(cls, store: Path) -> CrossSigningKeys | None:
        """The saved key pairs, or None when there are none (or the file is unreadable)."""
        try:
            document = json.loads((store / KEYS_FILE).read_text(encoding="utf-8"))
            pickle_key = bytes.fromhex(document["pickle_key"])
            pairs = [vodozemac.Account.from_pickle(document[usage], pickle_key) for usage in USAGES]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, vodozemac.PickleException) as exc:
            log.warning("Matrix: unreadable cross-signing keys (%s); new ones will be made", type(exc).__name__)
            return None
        return cls(*pairs)


class _Api:
    """The few client-server calls cross-signing needs (aiohttp, the bot's access token)."""

    def __init__(self, http: aiohttp.ClientSession, homeserver: str, token: str) -> None:
        self.http = http
        self.base = homeserver.rstrip("/") + "/_matrix/client/v3"
        self.headers = {"Authorization": f"Bearer {token}"}

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        try:
            async with self.http.post(self.base + path, json=body, headers=self.headers) as response:
                try:
                    data = await response.json(content_type=None)
                except (json.JSONDecodeError, aiohttp.ContentTypeError):
                    data = {}
                return response.status, data if isinstance(data, dict) else {}
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise CrossSigningError(f"homeserver unreachable ({type(exc).__name__})") from exc


async def bootstrap(
    http: aiohttp.ClientSession,
    homeserver: str,
    user_id: str,
    device_id: str,
    access_token: str,
    store: Path,
    password: str | None,
) -> str:
    """Make sure the bot's cross-signing keys are published and its device signed; return the
    master key (what a person compares when verifying the bot)."""
    api = _Api(http, homeserver, access_token)
    keys = CrossSigningKeys.load(store)
    status, published = await api.post("/keys/query", {"device_keys": {user_id: [device_id]}})
    if status != 200:
        raise CrossSigningError(f"keys/query answered {status}")
    master_on_server = _public_of((published.get("master_keys") or {}).get(user_id))
    if keys is None or master_on_server != keys.public("master"):
        keys = keys if keys is not None and master_on_server is None else CrossSigningKeys.generate()
        await _upload_keys(api, keys, user_id, password)
        keys.save(store)
        log.info("Matrix: cross-signing keys published (master key %s)", keys.public("master"))
    device = ((published.get("device_keys") or {}).get(user_id) or {}).get(device_id)
    if device is None:
        raise CrossSigningError("the homeserver does not know this device's keys yet")
    signer = f"ed25519:{keys.public('self_signing')}"
    if signer not in ((device.get("signatures") or {}).get(user_id) or {}):
        signed = {user_id: {device_id: keys.sign_device(user_id, device)}}
        status, answer = await api.post("/keys/signatures/upload", signed)
        failures = answer.get("failures") or {}
        if status != 200 or failures:
            raise CrossSigningError(f"signatures/upload answered {status} {json.dumps(failures)[:200]}")
        log.info("Matrix: device %s signed with the self-signing key", device_id)
    return keys.public("master")


def _public_of(key_object: dict[str, Any] | None) -> str | None:
    if not key_object:
        return None
    values = list((key_object.get("keys") or {}).values())
    return str(values[0]) if values else None


async def _upload_keys(api: _Api, keys: CrossSigningKeys, user_id: str, password: str | None) -> None:
    body: dict[str, Any] = {
        "master_key": keys.key_object(user_id, "master"),
        "self_signing_key": keys.key_object(user_id, "self_signing"),
        "user_signing_key": keys.key_object(user_id, "user_signing"),
    }
    status, answer = await api.post("/keys/device_signing/upload", body)
    if status == 401 and "flows" in answer:  # user-interactive authentication
        log.debug("Matrix: the homeserver asks for the password to publish cross-signing keys")
        if not password:
            raise CrossSigningError("the homeserver asks for the password (set MATRIX_PASSWORD)")
        body["auth"] = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": user_id},
            "password": password,
            "session": answer.get("session"),
        }
        status, answer = await api.post("/keys/device_signing/upload", body)
    if status != 200:
        raise CrossSigningError(f"device_signing/upload answered {status} {answer.get('errcode', '')}")
