"""Shared fixtures: the territory resolver, a fresh app on a temporary database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from territories import Resolver, default_resolver
from tests.core.people import Person, RecordingAdapter


@pytest.fixture(scope="session")
def territories() -> Resolver:
    return default_resolver()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "traitdunion.db"


@pytest.fixture
def adapter() -> RecordingAdapter:
    return RecordingAdapter()


@pytest.fixture
async def app(db_path: Path, adapter: RecordingAdapter, territories: Resolver) -> AsyncIterator[App]:
    application = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories)
    await application.start()
    yield application
    await application.stop()


@pytest.fixture
def person(app: App, adapter: RecordingAdapter) -> Callable[..., Person]:
    def make(user_id: str = "alice", language_code: str | None = "fr") -> Person:
        return Person(app.runtime, adapter, user_id, language_code)

    return make
