"""Trial 32: closing a console while a scheduled job ran logged « Job "App.send_due_calls" raised an exception » with
a CancelledError traceback: the bot's own shutdown cancelling it, not a failure. A job cut short by stop() is logged
at debug; a job that fails for real is still an error with its traceback."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from tests.core.people import RecordingAdapter


async def _app(db_path: Path, territories) -> App:  # type: ignore[no-untyped-def]
    app = await App.open(Config(db=str(db_path)), adapters=[RecordingAdapter()], territories=territories)
    app.run_jobs = False
    await app.start()
    return app


async def test_a_job_cut_short_by_the_shutdown_is_no_error(db_path: Path, territories, caplog: pytest.LogCaptureFixture) -> None:
    app = await _app(db_path, territories)
    started = asyncio.Event()

    async def long_job() -> None:
        started.set()
        await asyncio.sleep(3600)

    app.scheduler.add_job(long_job, "date", run_date=datetime.now(app.scheduler.timezone), id="long")
    await asyncio.wait_for(started.wait(), 10)
    with caplog.at_level(logging.DEBUG):
        await app.stop()
        await asyncio.sleep(0.05)  # the executor's done-callback runs on the loop
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [(r.name, r.getMessage()) for r in errors]
    assert any("cut short by the shutdown" in r.getMessage() for r in caplog.records)


async def test_a_job_that_fails_is_still_an_error(db_path: Path, territories, caplog: pytest.LogCaptureFixture) -> None:
    app = await _app(db_path, territories)
    done = asyncio.Event()

    async def failing_job() -> None:
        done.set()
        raise RuntimeError("boom")

    try:
        app.scheduler.add_job(failing_job, "date", run_date=datetime.now(app.scheduler.timezone), id="failing")
        await asyncio.wait_for(done.wait(), 10)
        await asyncio.sleep(0.05)
    finally:
        await app.stop()
    assert any(r.levelno >= logging.ERROR and r.exc_info for r in caplog.records), caplog.records
