"""/diffuser tried by coordinators (trial 30): the territory asked of a coordinator who has one only
(taken and said), the header of the types saying « tous sont cochés » after « retour » when the
selection had changed (it says what is ticked), and « programme-le pour demain 9h » at the preview
asking the date again (the date and time read in the instruction itself)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conversations.moments import NIGHT_ENDS
from core.clock import utcnow
from storage import coordination
from tests.core.people import Person
from tests.core.test_coordination import METROPOLE_LYON, rows, territory  # noqa: F401  (fixture)
from tests.core.test_diff8_broadcast import _coordinator

pytestmark = pytest.mark.backends
PARIS = ZoneInfo("Europe/Paris")
LILLE = coordination.Area("commune", "59350", "Lille (59)")


# ---------------------------------------------------------------- 5. one territory: taken, and said


@pytest.mark.parametrize(
    ("command", "language", "area", "said"),
    [
        ("/diffuser", "fr", None, "C'est noté : Villeurbanne (69)"),
        ("/broadcast", "en", LILLE, "Noted: Lille (59)"),
        ("/diffuser", "fr", LILLE, "C'est noté : Lille (59)"),
    ],
)
async def test_a_single_territory_is_taken_and_said(territory, command: str, language: str, area, said: str) -> None:  # type: ignore[no-untyped-def]
    app, _, people = territory
    coordinator = people["marie"] if area is None else await _coordinator(app, people, "luc", language, area)
    await coordinator.say(command)
    assert said in coordinator.text(), coordinator.text()
    assert coordinator.question.multi and "territoire" not in coordinator.question.text, coordinator.text()  # the types, at once
    await coordinator.say("retour")  # nothing before the types: said, the types asked again
    assert coordinator.question.multi, coordinator.text()


async def test_two_territories_are_still_asked(territory) -> None:
    app, _, people = territory
    claire = await _coordinator(app, people, "claire", "fr", METROPOLE_LYON)  # the Métropole, or one commune of it
    await claire.say("/diffuser")
    assert "C'est noté" not in claire.text() and not claire.question.multi, claire.text()


# ---------------------------------------------------------------- 4. the header says what is ticked


@pytest.mark.parametrize(
    ("typed", "language", "ticked"),
    [
        ("juste les assos", "fr", "(cochés : Association ;"),
        ("1", "fr", "(cochés : Association ;"),
        ("les entreprises et les collectivités", "fr", "(cochés : Entreprise, Collectivité ;"),
        ("tous sauf les entreprises", "fr", "(cochés : Association, Collectivité, Autre structure ;"),
        ("only companies", "en", "(ticked: Company;"),
        ("the associations and the local authorities", "en", "(ticked: Association, Local authority;"),
    ],
)
async def test_back_at_the_types_the_header_says_what_is_ticked(territory, typed: str, language: str, ticked: str) -> None:
    app, _, people = territory
    marie = people["marie"] if language == "fr" else await _coordinator(app, people, "john", language)
    await marie.say("/diffuser" if language == "fr" else "/broadcast")
    assert "tous sont cochés" in marie.question.text or "all are ticked" in marie.question.text, marie.question.text
    await marie.say(typed)
    await marie.say("retour" if language == "fr" else "back")
    header = marie.question.text
    assert marie.question.multi and ticked in header, header
    assert "tous sont cochés" not in header and "all are ticked" not in header, header
    assert {c.label for c in marie.question.choices if c.value in marie.question.selected} == set(
        ticked.split(": ", 1)[1].rstrip(" ;").split(", ")
    ), marie.question


async def test_back_at_the_themes_the_header_says_what_is_ticked_and_all_ticked_says_all(territory) -> None:
    _, _, people = territory
    marie = people["marie"]
    await marie.say("/diffuser")
    await marie.say("ok")  # every type
    await marie.say("Alimentation et Sport")
    await marie.say("retour")
    header = marie.question.text
    assert "(cochés : " in header and "Alimentation" in header and "tous sont cochés" not in header, header
    await marie.say("retour")  # the types: all still ticked, said so
    assert "tous sont cochés" in marie.question.text, marie.question.text


async def test_the_event_types_say_what_is_ticked_after_back(territory) -> None:
    _, _, people = territory
    marie = people["marie"]
    await marie.say("/evenement")
    await marie.say("Forum des associations")
    await marie.say("demain 18h")
    await marie.say("passer")
    await marie.say("Maison des associations")
    await marie.say("une vingtaine")
    await marie.say("juste les assos")
    await marie.say("retour")
    header = marie.question.text
    assert "(cochés : Association ;" in header and "tous sont cochés" not in header, header


# ---------------------------------------------------------------- 3. the moment said at the preview


async def _at_preview(coordinator: Person, language: str) -> None:
    await coordinator.say("/diffuser" if language == "fr" else "/broadcast")
    await coordinator.say("ok")  # every type
    await coordinator.say("ok")  # every theme
    await coordinator.say("Qui peut prêter des tables au marché samedi ?")
    await coordinator.press(coordinator.question.choices[0].label)  # no answer expected


def _local(days: int, weekday: int | None = None, hour: int = 0, minute: int = 0) -> datetime:
    """The moment expected at ``hour:minute`` in Paris: today plus ``days`` (« demain » counted as people mean it
    at night), or the next ``weekday`` (0: Monday) — today when it is that day and the time is still ahead
    (conversations.moments.read_moment)."""
    now = utcnow().astimezone(PARIS)
    today = now.date()
    if days and weekday is None and now.hour < NIGHT_ENDS:  # « demain » in the night: the coming day (stop31)
        days -= 1
    if weekday is None:
        day = today + timedelta(days=days)
    else:
        ahead = (weekday - today.weekday()) % 7
        if ahead == 0 and (now.hour, now.minute) >= (hour, minute):
            ahead = 7
        day = today + timedelta(days=ahead)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("typed", "language", "days", "weekday", "hour", "minute"),
    [
        ("programme-le pour demain 9h", "fr", 1, None, 9, 0),
        ("programmez l'envoi pour demain à 9h30", "fr", 1, None, 9, 30),
        ("envoie-le lundi à 10h", "fr", 0, 0, 10, 0),
        ("à envoyer jeudi 14h", "fr", 0, 3, 14, 0),
        ("plutôt demain matin", "fr", 1, None, 9, 0),
        ("envoie-le à 10h lundi", "fr", 0, 0, 10, 0),
        ("schedule it for tomorrow 9am", "en", 1, None, 9, 0),
        ("send it on Monday at 10am", "en", 0, 0, 10, 0),
        ("schedule it for 9am tomorrow", "en", 1, None, 9, 0),
        ("please post it on Friday at 6pm", "en", 0, 4, 18, 0),
    ],
)
async def test_the_moment_said_at_the_preview_schedules_the_call(
    territory, typed: str, language: str, days: int, weekday: int | None, hour: int, minute: int
) -> None:
    app, _, people = territory
    coordinator = people["marie"] if language == "fr" else await _coordinator(app, people, "john", language)
    await _at_preview(coordinator, language)
    await coordinator.say(typed)
    said = coordinator.text()
    assert "⏰" in said, said
    assert "Quand" not in said and "When should" not in said, said  # the date is not asked again
    [(send_at, status)] = rows(app, "SELECT send_at, status FROM scheduled_calls")
    local = datetime.fromisoformat(str(send_at)).astimezone(PARIS)
    expected = _local(days, weekday, hour, minute)
    assert (local.date(), local.hour, local.minute, status) == (expected.date(), hour, minute, "scheduled"), said
    assert rows(app, "SELECT COUNT(*) FROM broadcasts") == [(0,)]  # nothing sent now


@pytest.mark.parametrize(("typed", "language"), [("programmer", "fr"), ("Programmer l'envoi", "fr"), ("schedule it", "en")])
async def test_a_schedule_without_its_moment_asks_it_once(territory, typed: str, language: str) -> None:
    app, _, people = territory
    coordinator = people["marie"] if language == "fr" else await _coordinator(app, people, "john", language)
    await _at_preview(coordinator, language)
    await coordinator.say(typed)
    assert "Quand" in coordinator.question.text or "When should" in coordinator.question.text, coordinator.text()
    await coordinator.say(
        "programme-le pour demain 9h" if language == "fr" else "schedule it for tomorrow 9am"
    )  # the instruction again: read
    [(send_at,)] = rows(app, "SELECT send_at FROM scheduled_calls")
    assert datetime.fromisoformat(str(send_at)).astimezone(PARIS).hour == 9, coordinator.text()


@pytest.mark.parametrize("typed", ["annule, pas demain 9h", "non pas lundi"])
async def test_a_moment_in_a_sentence_that_says_something_else_schedules_nothing(territory, typed: str) -> None:
    app, _, people = territory
    marie = people["marie"]
    await _at_preview(marie, "fr")
    await marie.say(typed)
    assert rows(app, "SELECT COUNT(*) FROM scheduled_calls") == [(0,)], marie.text()


async def test_a_moment_past_at_the_preview_is_said_and_nothing_is_scheduled(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    await _at_preview(marie, "fr")
    asked = marie.question.text
    await marie.say("programme-le pour le 1er janvier 2020 à 9h")
    assert "déjà passée" in marie.text() and marie.question.text == asked, marie.text()
    assert rows(app, "SELECT COUNT(*) FROM scheduled_calls") == [(0,)]
