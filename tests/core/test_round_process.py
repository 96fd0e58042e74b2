"""A suggestion round's process (services/round_worker.py): the bot's own start method (``spawn``)
and the test suite's (``forkserver``) give the same round; a child that fails says why in the
bot's process and leaves no result file; a round cancelled when the bot stops ends its child."""

from __future__ import annotations

import asyncio
import multiprocessing
import sqlite3
import tempfile
from datetime import date
from pathlib import Path

import pytest

from services import round_worker
from services.round_worker import RoundJob, compute_round
from tests.backends import connect
from tests.core.test_suggestions import MONDAY_11H_PARIS, Clock, open_two_sides

pytestmark = pytest.mark.backends


def _job(db: str, **fields: object) -> RoundJob:
    return RoundJob(db, date(2026, 11, 23), MONDAY_11H_PARIS, 3, True, **fields)  # type: ignore[arg-type]


def _left_results(folder: Path) -> list[Path]:
    return sorted(folder.glob("traitdunion-round-*"))


async def test_each_start_method_computes_the_same_round(db_path: Path | str, territories, monkeypatch: pytest.MonkeyPatch) -> None:
    app, _, _ = await open_two_sides(str(db_path), territories, Clock(MONDAY_11H_PARIS))
    await app.stop()
    rounds = {}
    for method in ("spawn", "forkserver"):
        monkeypatch.setattr(round_worker, "START_METHOD", method)
        result = await compute_round(_job(str(db_path)))
        try:
            rows = list(result)
        finally:
            result.discard()
        assert result.due == 2
        rounds[method] = [
            (actor, [(s.other_actor, s.kind, s.my_listing_id, s.their_listing_id) for s in found]) for actor, _, found in rows
        ]
    assert rounds["spawn"] == rounds["forkserver"]
    kinds = sorted(kind for _, found in rounds["spawn"] for _, kind, _, _ in found)
    assert kinds == ["need_offer", "offer_need"], rounds  # the need of one side, the offer of the other


async def test_a_failing_round_raises_its_error_and_leaves_no_file(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    missing = tmp_path / "nowhere" / "traitdunion.db"  # the child cannot open it
    with pytest.raises(sqlite3.OperationalError):
        await compute_round(_job(str(missing)))
    assert _left_results(tmp_path) == []


@pytest.mark.sqlite_only
async def test_a_relative_database_path_is_the_bots_not_the_servers(
    backend: str, db_path: Path, territories, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _, _ = await open_two_sides(str(db_path), territories, Clock(MONDAY_11H_PARIS))
    await app.stop()
    (await compute_round(_job(str(db_path)))).discard()  # the fork server starts (if not yet) in another folder
    monkeypatch.chdir(db_path.parent)
    result = await compute_round(_job(db_path.name))
    result.discard()
    assert result.due == 2


@pytest.mark.postgresql_only
@pytest.mark.parametrize("method", ["spawn", "forkserver"])
async def test_a_cancelled_round_ends_its_child(
    method: str, backend: str, db_path: str, territories, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _, _ = await open_two_sides(db_path, territories, Clock(MONDAY_11H_PARIS))
    await app.stop()
    monkeypatch.setattr(round_worker, "START_METHOD", method)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with connect(db_path) as holder:
        holder.execute("BEGIN")
        holder.execute("LOCK TABLE actors IN ACCESS EXCLUSIVE MODE")  # the child's snapshot waits for it
        before = {p.pid for p in multiprocessing.active_children()}
        task = asyncio.create_task(compute_round(_job(db_path)))
        for _ in range(600):  # its process is started
            children = [p for p in multiprocessing.active_children() if p.pid not in before]
            if children:
                break
            await asyncio.sleep(0.05)
        assert children, "the round's process did not start"
        await asyncio.sleep(1.0)
        assert children[0].is_alive() and not task.done()  # waiting on the lock
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert not children[0].is_alive()
        holder.execute("ROLLBACK")
    assert _left_results(tmp_path) == []
