"""``traitdunion doctor`` against a real Synapse: login (whoami), device and crypto store, admins;
and the faults it names (crypto store lost, token revoked, unknown admin). No login is made."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.doctor import checks
from tests.harness.synapse import RegisteredUser, Synapse
from tests.matrix.conftest import BotRunner

pytestmark = pytest.mark.e2e


def by_subject(found: list) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for check in found:
        grouped.setdefault(check.subject, []).append(check)
    return grouped


async def test_doctor_on_a_bot_that_ran_then_lost_its_crypto_store(
    synapse: Synapse, register: Callable[[str], RegisteredUser], tmp_path: Path
) -> None:
    admin = register("admin")
    runner = BotRunner(synapse, register("bot"), tmp_path / "bot")
    (tmp_path / "bot").mkdir()
    await runner.start()  # the first start logs in, creates the device and its crypto store
    device = runner.adapter.device_id  # type: ignore[union-attr]
    await runner.stop()
    config = dataclasses.replace(runner.config, admins=(("matrix", admin.user_id), ("matrix", "@nobody:localhost")))

    found = by_subject(await checks(config))
    assert [c.status for c in found["matrix"]] == ["OK"]
    assert [c.status for c in found["matrix login"]] == ["OK"] and device in found["matrix login"][0].detail
    assert [c.status for c in found["matrix crypto store"]] == ["OK"]
    statuses = {c.detail.split()[0]: c.status for c in found["admin"]}
    assert statuses == {f"matrix:{admin.user_id}": "OK", "matrix:@nobody:localhost": "FAIL"}

    store = config.matrix_store
    crypto = store / f"{config.matrix.user_id}_{device}.db"
    crypto.rename(store / "elsewhere.db")  # the store was not backed up with the session
    found = by_subject(await checks(config))
    assert found["matrix crypto store"][0].status == "FAIL"
    assert "nouvel appareil, non vérifié" in found["matrix crypto store"][0].detail  # in the configured language (French)
    crypto.with_name("elsewhere.db").rename(crypto)

    no_password = dataclasses.replace(config.matrix, password=None, access_token="syt_revoked_token_value")
    session = store / "session.json"
    saved = session.read_text()
    session.write_text(saved.replace(__import__("json").loads(saved)["access_token"], "syt_revoked_token_value"))
    found = by_subject(await checks(dataclasses.replace(config, matrix=no_password)))
    assert found["matrix login"][0].status == "FAIL" and "M_UNKNOWN_TOKEN" in found["matrix login"][0].detail
    found = by_subject(await checks(config))  # with the password the bot logs in again, same device
    assert found["matrix login"][0].status == "WARN"
    session.write_text(saved)
