"""A Telegram display name with a lone UTF-16 surrogate (valid JSON, invalid text) breaks nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from tests.telegram.tg_fakes import RecordingRequest, offline

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

# What the Bot API may send: JSON escapes for half of an emoji in the user's first name.
RAW_USER = '{"id": 4242, "is_bot": false, "first_name": "Zo\\ud83d", "last_name": "\\udfffé", "language_code": "fr"}'


async def test_a_lone_surrogate_in_a_telegram_name_does_not_break_every_message(tmp_path: Path, territories) -> None:
    request = RecordingRequest()
    harness = offline(request)
    app = await App.open(Config(db=str(tmp_path / "bot.db")), adapters=[harness.adapter], territories=territories)
    app.run_jobs = False
    await app.start()
    user = json.loads(RAW_USER)
    try:
        for text in ("/start", "/aide", "/annuler", "/start"):
            request.clear()
            await harness.send_text(text, user=user)
            texts = [message["text"] for message in request.messages()]
            assert texts, text
            assert not any("problème technique" in t for t in texts), texts
        assert any("Quel type de structure" in t for t in texts)
        with sqlite3.connect(app.config.db) as conn:
            (name,) = conn.execute("SELECT display_name FROM identities").fetchone()
        assert "\ufffd" in name and name.startswith("Zo")
    finally:
        await app.stop()
    assert not harness.errors, harness.errors
