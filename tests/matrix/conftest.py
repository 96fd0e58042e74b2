"""Fixtures for the Matrix adapter tests (offline fakes in :mod:`tests.matrix.mx_fakes`)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # plain `pytest` (not `python -m pytest`) must find tests.harness too
    sys.path.insert(0, str(ROOT))

import itertools  # noqa: E402
import os  # noqa: E402
import secrets  # noqa: E402
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator  # noqa: E402

import pytest  # noqa: E402

from bot.adapters.matrix import MatrixAdapter  # noqa: E402
from bot.config import Config, MatrixSettings  # noqa: E402
from tests.harness.synapse import RegisteredUser, Synapse, SynapseUnavailable  # noqa: E402
from tests.matrix.mx_person import Person  # noqa: E402

_names = itertools.count(1)


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    """One throw-away Synapse for the whole session (installed on first use)."""
    try:
        server = Synapse.start(tmp_path_factory.mktemp("synapse"))
    except SynapseUnavailable as exc:
        if os.environ.get("TRAITDUNION_REQUIRE_E2E") == "1":
            pytest.fail(f"TRAITDUNION_REQUIRE_E2E=1 but Synapse is unavailable: {exc}")
        pytest.skip(f"Synapse unavailable, end-to-end Matrix tests skipped: {exc}")
    yield server
    server.stop()


@pytest.fixture
def register(synapse: Synapse) -> Callable[[str], RegisteredUser]:
    """Create a fresh user ("alice" → "@alice7:localhost")."""

    def create(name: str) -> RegisteredUser:
        if not synapse.running:  # a test that restarts the homeserver failed half-way
            synapse.resume()
        return synapse.register(f"{name}{next(_names)}", secrets.token_hex(8))

    return create


class BotRunner:
    """The whole application (App + MatrixAdapter) for one bot account, restartable."""

    def __init__(self, synapse: Synapse, user: RegisteredUser, workdir: Path) -> None:
        self.user = user
        self.config = Config(
            db=str(workdir / "bot.db"),
            matrix=MatrixSettings(homeserver=synapse.url, user_id=user.user_id, password=user.password, rate_per_second=200),
        )
        self.app: object | None = None
        self.adapter: MatrixAdapter | None = None

    async def start(self) -> MatrixAdapter:
        from bot.app import App

        self.adapter = MatrixAdapter.from_config(self.config)
        self.app = await App.open(self.config, adapters=[self.adapter])
        await self.app.start()  # type: ignore[attr-defined]
        return self.adapter

    async def stop(self) -> None:
        if self.app is not None:
            app, self.app = self.app, None
            await app.stop()  # type: ignore[attr-defined]


@pytest.fixture
async def bot(synapse: Synapse, register: Callable[[str], RegisteredUser], tmp_path: Path) -> AsyncIterator[BotRunner]:
    runner = BotRunner(synapse, register("bot"), tmp_path / "bot")
    (tmp_path / "bot").mkdir()
    await runner.start()
    yield runner
    await runner.stop()


@pytest.fixture
async def people(
    synapse: Synapse, register: Callable[[str], RegisteredUser], tmp_path: Path
) -> AsyncIterator[Callable[..., Awaitable[Person]]]:
    """Factory of started persons (``await people("alice", encryption=True)``), stopped at the end."""
    started: list[Person] = []

    async def create(name: str = "alice", encryption: bool = True) -> Person:
        user = register(name)
        person = Person(synapse.url, user, tmp_path / f"person-{user.localpart}", encryption=encryption)
        await person.start()
        started.append(person)
        return person

    yield create
    for person in started:
        await person.stop()
