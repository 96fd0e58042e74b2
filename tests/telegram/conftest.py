"""Fixtures for the Telegram adapter tests (fakes in :mod:`tests.telegram.tg_fakes`)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # plain `pytest` (not `python -m pytest`) must find tests.harness too
    sys.path.insert(0, str(ROOT))

from tests.telegram.tg_fakes import FakeCore, Harness, RecordingRequest, offline  # noqa: E402


@pytest.fixture
def recording() -> RecordingRequest:
    return RecordingRequest()


@pytest.fixture
def core() -> FakeCore:
    return FakeCore()


@pytest.fixture
async def harness(recording: RecordingRequest, core: FakeCore) -> AsyncIterator[Harness]:
    h = offline(recording, core)
    adapter = core.adapter = h.adapter
    await adapter.start(core)
    recording.clear()
    yield h
    await adapter.stop()
    assert not h.errors, h.errors
