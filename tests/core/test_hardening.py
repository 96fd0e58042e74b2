"""Invariants that hold under ``python -O``, translations that fall back, local dates."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from conversations import i18n
from services import introductions
from tests.backends import connect
from tests.core.people import Person, RecordingAdapter
from tests.core.test_suggestions import (  # noqa: F401 - fixtures
    Clock,
    clock,
    declare,
    deliver,
    last_decision,
    press_decision,
    two_sides,
)

pytestmark = pytest.mark.backends


async def test_only_the_invitee_answers_an_introduction_even_without_asserts(two_sides) -> None:
    app, alice, bob = two_sides
    await app.suggestion_round()
    await deliver(app)
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Me présenter")
    with connect(app.config.db) as conn:
        (intro_id,) = conn.execute("SELECT id FROM introductions").fetchone()
        (alice_id,) = conn.execute("SELECT id FROM actors WHERE name = 'Les Restos de la Soie'").fetchone()
    # alice forges the answer to the question asked to bob (the check is explicit, not an assert)
    replies = await app.db.transaction(lambda conn: introductions.answer(conn, alice_id, f"I{intro_id}", "accept", app.runtime.clock()))
    assert "n'est plus d'actualité" in replies[0].text
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT status FROM introductions").fetchone() == ("asked",)
    unknown = await app.db.transaction(lambda conn: introductions.answer(conn, alice_id, "S999", "present", app.runtime.clock()))
    assert "n'est plus d'actualité" in unknown[0].text


def test_a_translation_that_does_not_format_falls_back_to_french_and_is_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    broken = dict(i18n.catalog("en"))
    broken["suggestion.declined"] = "Noted: {nom} will not be suggested again."  # misspelt placeholder
    real = i18n.catalog
    monkeypatch.setattr(i18n, "catalog", lambda language: broken if language == "en" else real(language))
    with caplog.at_level(logging.ERROR, logger="conversations.i18n"):
        text = i18n.translate("en", "suggestion.declined", name="Cabinet Martin")
    assert "Cabinet Martin" in text and "{" not in text
    assert "suggestion.declined" in caplog.text
    broken["suggestion.declined"] = "Noted: {name} {"  # and the French one broken too
    french = dict(real("fr"))
    french["suggestion.declined"] = "{nom}"
    monkeypatch.setattr(i18n, "catalog", lambda language: broken if language == "en" else french)
    assert "{" in i18n.translate("en", "suggestion.declined", name="X")  # logged, never raises


async def test_dates_are_those_of_the_configured_time_zone(db_path: Path, territories) -> None:
    clock = Clock(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))  # already 1 December in Paris
    adapter = RecordingAdapter()
    app = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories, clock=clock)
    app.run_jobs = False
    await app.start()
    try:
        alice = Person(app.runtime, adapter, "alice")
        await alice.onboard("Les Restos de la Soie", "Villeurbanne")
        await declare(alice, "/besoin", "Un coup de main pour la comptabilité de fin d'année.")
        with connect(app.config.db) as conn:
            (expires,) = conn.execute("SELECT expires_at FROM listings").fetchone()
        assert expires == "2027-03-01"  # 1 December + 90 days, not 30 November + 90 days
        with connect(app.config.db) as conn:
            conn.execute("UPDATE listings SET expires_at = '2026-11-30'")  # yesterday in Paris
        await alice.say("/annonces")
        assert any("expirée" in choice.label for choice in alice.question.choices)
    finally:
        await app.stop()
