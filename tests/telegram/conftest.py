"""Fixtures for the Telegram adapter tests (fakes in :mod:`tests.telegram.tg_fakes`)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # plain `pytest` (not `python -m pytest`) must find tests.harness too
    sys.path.insert(0, str(ROOT))

from bot.adapters.telegram import TelegramAdapter  # noqa: E402
from bot.adapters.telegram_sender import SendQueue  # noqa: E402
from tests.telegram.tg_fakes import TOKEN, FakeClock, FakeCore, Harness, RecordingRequest  # noqa: E402


@pytest.fixture
def recording() -> RecordingRequest:
    return RecordingRequest()


@pytest.fixture
def core() -> FakeCore:
    return FakeCore()


@pytest.fixture
async def harness(recording: RecordingRequest, core: FakeCore) -> AsyncIterator[Harness]:
    clock = FakeClock()
    queue = SendQueue(10_000, 10_000, chat_burst=10_000, clock=clock, sleep=clock.sleep)
    adapter = TelegramAdapter(TOKEN, receive=False, request=recording, queue=queue)
    core.adapter = adapter
    h = Harness(adapter, recording, core, clock)

    async def collect(update: object, context: Any) -> None:
        h.errors.append(context.error)

    adapter.application.add_error_handler(collect)
    await adapter.start(core)
    recording.clear()
    yield h
    await adapter.stop()
    assert not h.errors, h.errors
