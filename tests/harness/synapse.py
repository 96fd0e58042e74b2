"""A throw-away Synapse homeserver for end-to-end tests.

Synapse never goes into the project's virtualenv: it runs from the interpreter named by
``$TRAITDUNION_SYNAPSE_PYTHON`` or from a cached virtualenv at
``${XDG_CACHE_HOME:-~/.cache}/traitdunion/synapse-venv``, created on first use with
``pip install matrix-synapse`` (about 20 s). Each server lives in a temporary directory with
SQLite, listens on a free port of 127.0.0.1, has rate limits high enough for tests, and is
stopped with SIGTERM.

Usage::

    server = Synapse.start(tmp_dir)
    alice = server.register("alice", "secret")
    ...
    server.restart()   # same port, same data (or server.stop() ... server.resume())
    server.stop()
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.harness.ports import server_port

__all__ = ["RegisteredUser", "Synapse", "SynapseUnavailable", "synapse_python"]

SYNAPSE_REQUIREMENT = "matrix-synapse>=1.100,<2"
READY_MARKER = ".traitdunion-ready"
RATE_LIMITED = (
    "rc_message",
    "rc_registration",
    "rc_room_creation",
    "rc_admin_redaction",
    "rc_3pid_validation",
    "rc_third_party_invite",
    "rc_media_create",
    "rc_key_requests",
    "rc_joins_per_room",
    "rc_delayed_event_mgmt",
    "rc_reports",
    "rc_user_directory",
    "rc_profile",
)
RATE_LIMITED_NESTED = {
    "rc_login": ("address", "account", "failed_attempts"),
    "rc_joins": ("local", "remote"),
    "rc_invites": ("per_room", "per_user", "per_issuer"),
    "rc_presence": ("per_user",),
}


class SynapseUnavailable(RuntimeError):
    """Synapse could not be installed or started here."""


@dataclass(frozen=True, slots=True)
class RegisteredUser:
    """A user created through the shared-secret registration API."""

    user_id: str
    localpart: str
    password: str
    access_token: str
    device_id: str


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "traitdunion"


def synapse_python() -> Path:
    """The interpreter that has Synapse installed, installing it in the cached venv if needed."""
    explicit = os.environ.get("TRAITDUNION_SYNAPSE_PYTHON")
    if explicit:
        path = Path(explicit)
        if not path.exists():
            raise SynapseUnavailable(f"TRAITDUNION_SYNAPSE_PYTHON={explicit} does not exist")
        return path
    cache = _cache_dir()
    venv = cache / "synapse-venv"
    python = venv / "bin" / "python"
    if (venv / READY_MARKER).exists() and python.exists():
        return python
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "synapse-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another test process may be installing it
        if (venv / READY_MARKER).exists() and python.exists():
            return python
        shutil.rmtree(venv, ignore_errors=True)
        log = cache / "synapse-install.log"
        try:
            with log.open("w") as out:
                subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, stdout=out, stderr=out)
                subprocess.run(
                    [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", SYNAPSE_REQUIREMENT],
                    check=True,
                    stdout=out,
                    stderr=out,
                    timeout=900,
                )
        except (OSError, subprocess.SubprocessError) as exc:
            tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
            raise SynapseUnavailable(f"could not install {SYNAPSE_REQUIREMENT} into {venv}: {exc}\n{tail}") from exc
        (venv / READY_MARKER).write_text(SYNAPSE_REQUIREMENT + "\n")
    return python


def _free_port() -> int:
    return server_port()


def _unlimited() -> dict[str, object]:
    limit = {"per_second": 10000, "burst_count": 10000}
    config: dict[str, object] = {name: dict(limit) for name in RATE_LIMITED}
    for name, keys in RATE_LIMITED_NESTED.items():
        config[name] = {key: dict(limit) for key in keys}
    return config


class Synapse:
    """One running Synapse process and its data directory."""

    def __init__(self, workdir: Path, python: Path, port: int) -> None:
        self.workdir = workdir
        self.python = python
        self.port = port
        self.server_name = "localhost"
        self.shared_secret = secrets.token_hex(16)
        self.process: subprocess.Popen[bytes] | None = None
        self._write_config()

    @property
    def url(self) -> str:
        """The client-server API base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        """Synapse's own log (warnings and errors)."""
        return self.workdir / "homeserver.log"

    @classmethod
    def start(cls, workdir: Path, python: Path | None = None, attempts: int = 3) -> Synapse:
        """Install if needed, configure in ``workdir`` and start on a free port."""
        python = python or synapse_python()
        workdir.mkdir(parents=True, exist_ok=True)
        last: Exception | None = None
        for _ in range(attempts):
            server = cls(workdir, python, _free_port())
            try:
                server._launch()
                return server
            except SynapseUnavailable as exc:  # e.g. the port was taken meanwhile
                last = exc
                server.stop()
        raise SynapseUnavailable(f"Synapse did not start: {last}")

    def _write_config(self) -> None:
        work = self.workdir
        key = work / "localhost.signing.key"
        if not key.exists():  # what `--generate-keys` writes, without paying a Synapse start
            seed = base64.b64encode(secrets.token_bytes(32)).decode().rstrip("=")
            key.write_text(f"ed25519 a_{secrets.token_hex(2)} {seed}\n")
        logging_config = {
            "version": 1,
            "formatters": {"plain": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}},
            "handlers": {"file": {"class": "logging.FileHandler", "filename": str(self.log_path), "formatter": "plain"}},
            "root": {"level": "WARNING", "handlers": ["file"]},
            "disable_existing_loggers": False,
        }
        (work / "log.config").write_text(json.dumps(logging_config))
        config: dict[str, object] = {
            "server_name": self.server_name,
            "pid_file": str(work / "homeserver.pid"),
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {"name": "sqlite3", "args": {"database": str(work / "homeserver.db")}},
            "log_config": str(work / "log.config"),
            "media_store_path": str(work / "media"),
            "signing_key_path": str(key),
            "registration_shared_secret": self.shared_secret,
            "bcrypt_rounds": 4,  # test accounts: registering and logging in cost no seconds of CPU under load
            "macaroon_secret_key": secrets.token_hex(16),
            "form_secret": secrets.token_hex(16),
            "report_stats": False,
            "enable_registration": False,
            "trusted_key_servers": [],
            "federation_domain_whitelist": [],
            "presence": {"enabled": False},
            "suppress_key_server_warning": True,
            **_unlimited(),
        }
        (work / "homeserver.yaml").write_text(json.dumps(config, indent=1))  # JSON is YAML

    def _launch(self, timeout: float = 60.0) -> None:
        out = (self.workdir / "stdout.log").open("ab")
        self.process = subprocess.Popen(
            [str(self.python), "-m", "synapse.app.homeserver", "-c", str(self.workdir / "homeserver.yaml")],
            cwd=self.workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = (self.workdir / "stdout.log").read_text(errors="replace")[-1500:]
                raise SynapseUnavailable(f"Synapse exited with {self.process.returncode}:\n{tail}")
            try:
                with urllib.request.urlopen(f"{self.url}/_matrix/client/versions", timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        raise SynapseUnavailable(f"Synapse did not answer on {self.url} within {timeout:.0f}s")

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM, then SIGKILL if it does not exit within ``timeout`` seconds."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def restart(self) -> None:
        """Stop and start again on the same port with the same data."""
        self.stop()
        self._launch()

    def resume(self) -> None:
        """Start again after :meth:`stop` (same port, same data)."""
        if not self.running:
            self._launch()

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        return self.process is not None and self.process.poll() is None

    def _request(self, method: str, path: str, body: dict[str, object] | None = None) -> dict[str, object]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:  # a loaded CI machine: 10 s timed out once
            result: dict[str, object] = json.loads(response.read())
            return result

    def register(self, localpart: str, password: str, admin: bool = False) -> RegisteredUser:
        """Create a user with the shared-secret admin API."""
        nonce = str(self._request("GET", "/_synapse/admin/v1/register")["nonce"])
        mac = hmac.new(self.shared_secret.encode(), digestmod=hashlib.sha1)
        mac.update(b"\x00".join([nonce.encode(), localpart.encode(), password.encode(), b"admin" if admin else b"notadmin"]))
        result = self._request(
            "POST",
            "/_synapse/admin/v1/register",
            {"nonce": nonce, "username": localpart, "password": password, "admin": admin, "mac": mac.hexdigest()},
        )
        return RegisteredUser(
            user_id=str(result["user_id"]),
            localpart=localpart,
            password=password,
            access_token=str(result["access_token"]),
            device_id=str(result["device_id"]),
        )
