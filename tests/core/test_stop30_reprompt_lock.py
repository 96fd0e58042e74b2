"""A scheduled notice reaching someone in the middle of a question brings that question back
(« ↩ Reprenons où vous en étiez ») — but never while their own message is being answered, and not
at all once that answer has shown them what comes next (stop 29's note: the re-shown question was
sent outside the per-person lock and could cross a message being typed)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from core.types import UserKey
from tests.core.people import deliver
from tests.core.test_sugg8_answers import _volunteer_need
from tests.core.test_suggestions import clock  # noqa: F401  (fixture)


async def _until_noticed(adapter, before: int) -> None:  # type: ignore[no-untyped-def]
    """Until the notice went out, then a while more: time for a question re-shown at once to show."""
    for _ in range(200):
        if any(r.text.startswith("Pas de suggestion") for r in adapter.replies_to("alice")[before:]):
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.5)


@pytest.mark.parametrize("platform", ["telegram", "console"])
async def test_no_question_is_shown_again_while_a_step_runs_nor_after_it_moved_on(db_path: Path, territories, clock, platform: str) -> None:
    app, adapter, alice = await _volunteer_need(db_path, territories, clock, platform)
    try:
        await alice.say("/offre")
        before = len(adapter.replies_to("alice"))
        report = await app.suggestion_round()
        assert len(report.nothing) == 1
        held = await app.runtime._locks(UserKey(platform, "alice"))  # alice's message is being answered
        sending = asyncio.create_task(deliver(app))
        await _until_noticed(adapter, before)
        while_held = [r.text for r in adapter.replies_to("alice")[before:]]
        assert not any("Reprenons" in text for text in while_held), while_held
        await app.runtime._handle(alice.incoming(text="Matériel"))  # her step, under her lock: the next question
        await held.__aexit__()
        await asyncio.wait_for(sending, 10)
        texts = [r.text for r in adapter.replies_to("alice")[before:]]
        assert any(text.startswith("Pas de suggestion cette fois") for text in texts), texts
        assert not any("Reprenons" in text for text in texts), texts  # her answer already showed what comes next
        assert adapter.replies_to("alice")[-1].prompt_id is not None, texts
    finally:
        await app.stop()


async def test_the_question_comes_back_once_the_lock_is_free(db_path: Path, territories, clock) -> None:
    app, adapter, alice = await _volunteer_need(db_path, territories, clock, "telegram")
    try:
        await alice.say("/offre")
        asked = alice.question
        before = len(adapter.replies_to("alice"))
        await app.suggestion_round()
        held = await app.runtime._locks(UserKey("telegram", "alice"))
        sending = asyncio.create_task(deliver(app))
        await _until_noticed(adapter, before)
        await held.__aexit__()  # nothing typed meanwhile: the question is shown again after the notice
        await asyncio.wait_for(sending, 10)
        after = adapter.replies_to("alice")[before:]
        assert "Reprenons" in "\n".join(r.text for r in after), [r.text for r in after]
        assert after[-1].text == asked.text
    finally:
        await app.stop()
