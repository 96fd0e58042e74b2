"""One pause (stop 33, a new-user trial in the console): /pause and /reglages → Fréquence → « En pause » were two
notions (``actors.paused`` and the frequency ``'paused'``), read differently by each part of the bot:

1. Karim paused with « /pause jusqu'au 15 janvier », then again at /reglages' frequency question, then typed
   /reprendre: the bot said « C'est reparti » while /reglages and /annonces still said the suggestions were paused;
2. a pause chosen in /reglages still let coordinators' event invitations, calls and working groups through;
3. « en pause jusqu'au 15 janvier svp » at the frequency question dropped its end without a word.

Now a pause is one field (``actors.paused``, its end ``actors.paused_until``): the frequency question's « En pause »
sets it (with its end, said), the frequency is kept for after the pause, /reprendre and « Reprendre les
suggestions » end it whichever way it was set, choosing a frequency ends it (said), and databases where the
frequency said « paused » are moved to the one field (migration 113)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.app import App
from storage import migrations
from tests.core.people import Person, RecordingAdapter, deliver
from tests.core.test_conversations import rows
from tests.core.test_coordination import broadcast, onboard, territory  # noqa: F401  (fixture)
from tests.core.test_events import publish
from tests.core.test_stop33_settings import _someone, clock, clocked  # noqa: F401  (fixtures)
from tests.core.test_suggestions import Clock

pytestmark = pytest.mark.backends

UNTIL_JAN_15 = "2027-01-15T23:00:00+00:00"


async def _pause_in_settings(someone: Person, typed: str = "en pause", english: bool = False) -> None:
    await someone.say("/settings" if english else "/reglages")
    await someone.press("Suggestion frequency" if english else "Fréquence des suggestions")
    await someone.say(typed)


def _state(app: App) -> list[tuple[object, ...]]:
    return rows(app, "SELECT paused, paused_until, frequency FROM actors")


# ---------------------------------------------------------------- 1. /reprendre ends the pause, however it was set


@pytest.mark.parametrize("resume", ["/reprendre", "/resume", "Reprendre les suggestions"])
async def test_karim_resumes_after_pausing_both_ways(clocked: App, adapter: RecordingAdapter, resume: str) -> None:
    karim = await _someone(clocked, adapter, name="karim")
    await karim.say("/pause jusqu'au 15 janvier")
    await _pause_in_settings(karim, "pause jusqu'au 15 janvier")
    if resume == "Reprendre les suggestions":
        await karim.say("/reglages")
        await karim.press(resume)
    else:
        await karim.say(resume)
    assert "C'est reparti" in karim.text(), karim.text()
    assert _state(clocked) == [(0, None, "weekly")], karim.text()
    await karim.say("/reglages")
    assert "en pause" not in karim.text() and "chaque semaine" in karim.text(), karim.text()


@pytest.mark.parametrize(("english", "resume"), [(False, "/reprendre"), (True, "/resume"), (False, "settings")])
async def test_a_pause_chosen_in_the_settings_ends_with_resume(clocked: App, adapter: RecordingAdapter, english: bool, resume: str) -> None:
    alice = await _someone(clocked, adapter, english)
    await alice.say("/settings" if english else "/reglages")
    await alice.say("une fois par mois ça suffira")  # the frequency before the pause: kept for after it
    await _pause_in_settings(alice, "paused" if english else "en pause", english)
    assert _state(clocked) == [(1, None, "monthly")], alice.text()
    assert ("/resume" if english else "/reprendre") in alice.text(), alice.text()
    if resume == "settings":
        await alice.say("/reglages")
        await alice.press("Reprendre les suggestions")
    else:
        await alice.say(resume)
    assert ("Back on" if english else "C'est reparti") in alice.text(), alice.text()
    assert _state(clocked) == [(0, None, "monthly")], alice.text()


async def test_the_listing_status_agrees_after_resuming(clocked: App, adapter: RecordingAdapter) -> None:
    alice = await _someone(clocked, adapter)
    await alice.say("/besoin")
    await alice.say("1")
    await alice.say("On cherche des bénévoles pour la banque alimentaire le samedi matin")
    await alice.say("1")
    await _pause_in_settings(alice)
    await alice.say("/menu")
    await alice.say("qqn a vu mon annonce ?")
    assert "Vos suggestions sont en pause" in alice.text() and "tapez /reprendre" in alice.text(), alice.text()
    await alice.say("/reprendre")
    await alice.say("/menu")
    await alice.say("qqn a vu mon annonce ?")
    assert "Bénévoles" in alice.text() and "en pause" not in alice.text(), alice.text()


@pytest.mark.parametrize(("english", "typed"), [(False, "en pause"), (False, "jamais"), (False, "plus jamais"), (True, "never")])
async def test_a_pause_in_the_settings_is_the_pause(clocked: App, adapter: RecordingAdapter, english: bool, typed: str) -> None:
    alice = await _someone(clocked, adapter, english)
    await _pause_in_settings(alice, typed, english)
    assert _state(clocked) == [(1, None, "weekly")], alice.text()
    await alice.say("/settings" if english else "/reglages")
    assert ("Resume suggestions" if english else "Reprendre les suggestions") in [c.label for c in alice.question.choices], alice.text()
    assert (await clocked.suggestion_round(force=True)).due == 0


@pytest.mark.parametrize(
    ("english", "typed", "said"), [(False, "tous les mois", "chaque mois"), (True, "every two weeks", "every two weeks")]
)
async def test_choosing_a_frequency_while_paused_ends_the_pause_and_says_so(
    clocked: App, adapter: RecordingAdapter, english: bool, typed: str, said: str
) -> None:
    alice = await _someone(clocked, adapter, english)
    await alice.say("/pause")
    await _pause_in_settings(alice, typed, english)
    assert said in alice.text() and ("pause is over" if english else "pause est terminée") in alice.text(), alice.text()
    assert rows(clocked, "SELECT paused, paused_until FROM actors") == [(0, None)], alice.text()


async def test_a_frequency_chosen_unpaused_is_said_as_before(clocked: App, adapter: RecordingAdapter) -> None:
    alice = await _someone(clocked, adapter)
    await _pause_in_settings(alice, "tous les mois")
    assert "C'est noté : suggestions chaque mois." in alice.text() and "pause" not in alice.text(), alice.text()
    assert _state(clocked) == [(0, None, "monthly")]


# ---------------------------------------------------------------- 3. the end typed at the frequency question


@pytest.mark.parametrize(
    ("english", "typed", "day", "until"),
    [
        (False, "en pause jusqu'au 15 janvier svp", "15 janvier 2027", UNTIL_JAN_15),
        (False, "pause jusqu'au 15 janvier", "15 janvier 2027", UNTIL_JAN_15),
        (False, "pause jusqu’au 15/01", "15 janvier 2027", UNTIL_JAN_15),
        (False, "en pause pendant 2 semaines", "16 décembre 2026", "2026-12-16T23:00:00+00:00"),
        (False, "pause pdt 3 semaines", "23 décembre 2026", "2026-12-23T23:00:00+00:00"),
        (True, "pause until January 15", "January 15, 2027", UNTIL_JAN_15),
        (True, "paused until Jan 15th please", "January 15, 2027", UNTIL_JAN_15),
        (True, "pause for two weeks", "December 16, 2026", "2026-12-16T23:00:00+00:00"),
    ],
)
async def test_a_pause_end_at_the_frequency_question_is_kept_and_said(
    clocked: App, adapter: RecordingAdapter, english: bool, typed: str, day: str, until: str
) -> None:
    alice = await _someone(clocked, adapter, english)
    await _pause_in_settings(alice, typed, english)
    assert day in alice.text(), alice.text()
    assert _state(clocked) == [(1, until, "weekly")], alice.text()
    await alice.say("/settings" if english else "/reglages")
    assert day in alice.text(), alice.text()


@pytest.mark.parametrize(("english", "typed"), [(False, "pause jusqu'au 15 janvier"), (True, "pause until January 15")])
async def test_a_pause_end_named_at_the_settings_menu_is_kept(clocked: App, adapter: RecordingAdapter, english: bool, typed: str) -> None:
    alice = await _someone(clocked, adapter, english)
    await alice.say("/settings" if english else "/reglages")
    await alice.say(typed)
    assert ("January 15, 2027" if english else "15 janvier 2027") in alice.text(), alice.text()
    assert _state(clocked) == [(1, UNTIL_JAN_15, "weekly")], alice.text()


@pytest.mark.parametrize(("typed", "said"), [("pause jusqu'à hier", "déjà passée"), ("pause pendant 18 mois", "plus d'un an")])
async def test_a_wrong_pause_end_at_the_frequency_question_changes_nothing(
    clocked: App, adapter: RecordingAdapter, typed: str, said: str
) -> None:
    alice = await _someone(clocked, adapter)
    await _pause_in_settings(alice, typed)
    assert said in alice.text(), alice.text()
    assert _state(clocked) == [(0, None, "weekly")], alice.text()


@pytest.mark.parametrize("english", [False, True])
async def test_pause_then_settings_shows_its_end(clocked: App, adapter: RecordingAdapter, english: bool) -> None:
    alice = await _someone(clocked, adapter, english)
    await alice.say("/pause until January 15" if english else "/pause jusqu'au 15 janvier")
    await alice.say("/settings" if english else "/reglages")
    assert ("January 15, 2027" if english else "15 janvier 2027") in alice.text(), alice.text()


async def test_a_settings_pause_with_an_end_ends_by_itself(clocked: App, adapter: RecordingAdapter, clock: Clock) -> None:
    alice = await _someone(clocked, adapter)
    await _pause_in_settings(alice, "pause pendant 2 semaines")
    clock.advance(days=15)
    await clocked.maintenance()
    assert _state(clocked) == [(0, None, "weekly")]
    assert (await clocked.suggestion_round(force=True)).due == 1


# ---------------------------------------------------------------- 2. what /pause holds, a pause in /reglages holds


async def _paused_in_settings(people: dict[str, Person]) -> None:
    asso = people["asso"]
    await asso.say("/reglages")
    await asso.press("Fréquence des suggestions")
    await asso.say("en pause")


async def test_a_settings_pause_is_not_invited_to_an_event(territory) -> None:  # type: ignore[no-untyped-def]
    app, adapter, people = territory
    await _paused_in_settings(people)
    marie = people["marie"]
    await publish(marie)
    assert "1 acteur sera invité" in marie.question.text, marie.question.text  # the bakery only


async def test_a_settings_pause_is_sent_no_call(territory) -> None:  # type: ignore[no-untyped-def]
    app, adapter, people = territory
    await _paused_in_settings(people)
    marie = people["marie"]
    await broadcast(marie, "Réunion de préparation du forum, qui vient ?", "Pas de réponse (information)")
    assert "Destinataires : 1 acteur " in marie.question.text, marie.question.text
    await marie.press("Envoyer")
    await deliver(app)
    assert not any(r.text.startswith("📣") for r in adapter.replies_to("asso"))


async def test_a_call_queued_before_a_settings_pause_is_not_delivered(territory, request) -> None:  # type: ignore[no-untyped-def]
    if "postgresql" in request.node.name:  # PostgreSQL's outbox workers may send the call before the pause is stored (a race
        pytest.skip("of the test, seen once in stop 33's run): SQLite's single outbox holds it until deliver()")
    app, adapter, people = territory
    marie = people["marie"]
    await broadcast(marie, "Réunion de préparation du forum, qui vient ?", "Pas de réponse (information)")
    await marie.press("Envoyer")
    await _paused_in_settings(people)
    await deliver(app)
    assert not any(r.text.startswith("📣") for r in adapter.replies_to("asso"))


# ---------------------------------------------------------------- databases where the frequency said « paused »


def test_sqlite_a_frequency_paused_becomes_the_pause(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", [m for m in migrations.MIGRATIONS if m[0] <= 112])
        migrations.migrate(conn)
    for name, frequency, paused in (("a", "paused", 0), ("b", "monthly", 0), ("c", "paused", 1), ("d", "weekly", 1)):
        conn.execute(
            "INSERT INTO actors (kind, name, commune_code, place, themes, frequency, paused, created_at, updated_at)"
            " VALUES ('association', ?, '69266', '{}', '[]', ?, ?, '2026-01-01', '2026-01-01')",
            (name, frequency, paused),
        )
    migrations.migrate(conn)
    found = conn.execute("SELECT name, frequency, paused FROM actors ORDER BY name").fetchall()
    assert found == [("a", "weekly", 1), ("b", "monthly", 0), ("c", "weekly", 1), ("d", "weekly", 1)], found
    conn.close()
