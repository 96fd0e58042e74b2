"""/pause, /reglages and skills, as people trying the bot wrote them (stop 33):

1. /pause had no end: « /pause jusqu'au 15 janvier », « pause pendant 2 semaines », « je fais une pause jusqu'à la
   rentrée », "pause until January 15", "pause for two weeks" paused for good (or were not understood): the pause now
   has an end, said in the confirmation (in the person's language) and in /reglages, and suggestions start again by
   themselves after it (the hourly maintenance and the round end it); /pause alone still lasts until /reprendre, which
   clears the end; a day past or words read as no day get a clear answer and change nothing;
2. the new-offer alerts were not said at the top of /reglages: their value is said there, and naming it there
   (« désactiver les alertes », "turn alerts off") applies it;
3. at the skills of a « compétences » listing, « other - bike mechanics » was refused and « autre - mécanique vélo »
   lost its words: « autre »/"other" and a free description is the « autre » skill with that description.

Guards: what worked stays as it was (/pause alone, /reprendre, the frequency named at /reglages, « autre » alone)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from tests.core.people import Person, RecordingAdapter
from tests.core.test_conversations import rows
from tests.core.test_keep5_defects import _to_english
from tests.core.test_suggestions import Clock

pytestmark = pytest.mark.backends

WEDNESDAY = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
"""Today in these tests: Wednesday 2 December 2026, 11:00 in Paris."""


@pytest.fixture
def clock() -> Clock:
    return Clock(WEDNESDAY)


@pytest.fixture
async def clocked(db_path: Path, adapter: RecordingAdapter, territories, clock: Clock) -> AsyncIterator[App]:
    application = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories, clock=clock)
    await application.start()
    yield application
    await application.stop()


async def _someone(app: App, adapter: RecordingAdapter, english: bool = False, name: str = "alice") -> Person:
    someone = Person(app.runtime, adapter, name)
    await someone.onboard(f"Structure {name}", "Villeurbanne")
    if english:
        await _to_english(someone)
    return someone


# ---------------------------------------------------------------- 1. a pause with an end


@pytest.mark.parametrize(
    ("english", "typed", "last_day", "resume", "until"),
    [
        (False, "/pause jusqu'au 15 janvier", "15 janvier 2027", "16 janvier 2027", "2027-01-15T23:00:00+00:00"),
        (False, "/pause jusqu’au 15 janvier", "15 janvier 2027", "16 janvier 2027", "2027-01-15T23:00:00+00:00"),
        (False, "pause pendant 2 semaines", "16 décembre 2026", "17 décembre 2026", "2026-12-16T23:00:00+00:00"),
        (False, "je fais une pause jusqu'à la rentrée", "1er septembre 2027", "2 septembre 2027", "2027-09-01T22:00:00+00:00"),
        (False, "mettez-moi en pause jusqu'au 3 janvier", "3 janvier 2027", "4 janvier 2027", "2027-01-03T23:00:00+00:00"),
        (False, "pause pdt 3 semaines", "23 décembre 2026", "24 décembre 2026", "2026-12-23T23:00:00+00:00"),
        (False, "on fait une petite pause jusqu'à fin janvier", "31 janvier 2027", "1er février 2027", "2027-01-31T23:00:00+00:00"),
        (False, "/pause 10 jours", "12 décembre 2026", "13 décembre 2026", "2026-12-12T23:00:00+00:00"),
        (
            False,
            "je voudrais faire une pause des suggestions jusqu'au 10/01",
            "10 janvier 2027",
            "11 janvier 2027",
            "2027-01-10T23:00:00+00:00",
        ),
        (False, "pause 2 sem", "16 décembre 2026", "17 décembre 2026", "2026-12-16T23:00:00+00:00"),
        (False, "on part en vacances, pause jusqu'au 4 janvier", "4 janvier 2027", "5 janvier 2027", "2027-01-04T23:00:00+00:00"),
        (False, "Pause jusqu’à fin février svp", "28 février 2027", "1er mars 2027", "2027-02-28T23:00:00+00:00"),
        (True, "pause until January 15", "January 15, 2027", "January 16, 2027", "2027-01-15T23:00:00+00:00"),
        (True, "can you pause my suggestions until Jan 15th", "January 15, 2027", "January 16, 2027", "2027-01-15T23:00:00+00:00"),
        (True, "pause for 2 wks", "December 16, 2026", "December 17, 2026", "2026-12-16T23:00:00+00:00"),
        (True, "pause for two weeks", "December 16, 2026", "December 17, 2026", "2026-12-16T23:00:00+00:00"),
        (True, "/pause until Jan 15", "January 15, 2027", "January 16, 2027", "2027-01-15T23:00:00+00:00"),
        (True, "I'd like to take a break until Christmas", "December 24, 2026", "December 25, 2026", "2026-12-24T23:00:00+00:00"),
        (True, "/pause for 3 weeks", "December 23, 2026", "December 24, 2026", "2026-12-23T23:00:00+00:00"),
    ],
)
async def test_a_pause_with_an_end_is_said_and_kept(
    clocked: App, adapter: RecordingAdapter, english: bool, typed: str, last_day: str, resume: str, until: str
) -> None:
    alice = await _someone(clocked, adapter, english)
    await alice.say(typed)
    assert last_day in alice.text() and resume in alice.text(), alice.text()
    assert ("/resume" if english else "/reprendre") in alice.text(), alice.text()
    assert rows(clocked, "SELECT paused, paused_until FROM actors") == [(1, until)], alice.text()
    await alice.say("/settings" if english else "/reglages")
    assert last_day in alice.text(), alice.text()


async def test_suggestions_start_again_by_themselves_after_the_pause(clocked: App, adapter: RecordingAdapter, clock: Clock) -> None:
    alice = await _someone(clocked, adapter)
    await alice.say("/pause pendant 2 semaines")
    clock.advance(days=14)  # 16 December, 11:00: still paused
    await clocked.maintenance()
    assert rows(clocked, "SELECT paused FROM actors") == [(1,)]
    assert (await clocked.suggestion_round(force=True)).due == 0
    clock.advance(days=1)  # 17 December: the pause is over
    await clocked.maintenance()
    assert rows(clocked, "SELECT paused, paused_until FROM actors") == [(0, None)]
    await alice.say("/reglages")
    assert "chaque semaine" in alice.text(), alice.text()


async def test_the_round_ends_a_pause_whose_end_has_come(clocked: App, adapter: RecordingAdapter, clock: Clock) -> None:
    alice = await _someone(clocked, adapter)
    await alice.say("/pause 10 jours")
    clock.advance(days=12)  # the hourly maintenance has not run: the round itself ends the pause
    report = await clocked.suggestion_round(force=True)
    assert report.due == 1
    assert rows(clocked, "SELECT paused, paused_until FROM actors") == [(0, None)]


@pytest.mark.parametrize(
    ("english", "typed", "said"),
    [
        (False, "/pause jusqu'au 01/01/2020", "déjà passée"),
        (False, "/pause jusqu'à hier", "déjà passée"),
        (False, "pause jusqu'au 2 mars 2025", "déjà passée"),
        (False, "/pause jusqu'au truc", "pas compris jusqu'à quand"),
        (False, "/pause pendant longtemps", "pas compris jusqu'à quand"),
        (False, "/pause jusqu'au 1er mars 2029", "plus d'un an"),
        (False, "pause pendant 18 mois", "plus d'un an"),
        (True, "/pause for 2 years", "more than a year"),
        (True, "/pause until yesterday", "already passed"),
        (True, "/pause until whenever", "did not understand until when"),
    ],
)
async def test_a_pause_end_past_or_unread_changes_nothing(
    clocked: App, adapter: RecordingAdapter, english: bool, typed: str, said: str
) -> None:
    alice = await _someone(clocked, adapter, english)
    await alice.say(typed)
    assert said in alice.text(), alice.text()
    assert rows(clocked, "SELECT paused, paused_until FROM actors") == [(0, None)], alice.text()


async def test_a_wrong_end_keeps_the_pause_as_it_was(clocked: App, adapter: RecordingAdapter) -> None:
    alice = await _someone(clocked, adapter)
    await alice.say("/pause jusqu'au 15 janvier")
    await alice.say("/pause jusqu'à hier")
    assert "déjà passée" in alice.text(), alice.text()
    assert rows(clocked, "SELECT paused, paused_until FROM actors") == [(1, "2027-01-15T23:00:00+00:00")]


@pytest.mark.parametrize("resume", ["/reprendre", "/resume"])
async def test_resuming_clears_the_end(clocked: App, adapter: RecordingAdapter, resume: str) -> None:
    alice = await _someone(clocked, adapter)
    await alice.say("/pause jusqu'au 15 janvier")
    await alice.say(resume)
    assert "C'est reparti" in alice.text(), alice.text()
    assert rows(clocked, "SELECT paused, paused_until FROM actors") == [(0, None)]


async def test_resuming_from_the_settings_clears_the_end(clocked: App, adapter: RecordingAdapter) -> None:
    alice = await _someone(clocked, adapter)
    await alice.say("/pause jusqu'au 15 janvier")
    await alice.say("/reglages")
    await alice.press("Reprendre les suggestions")
    assert rows(clocked, "SELECT paused, paused_until FROM actors") == [(0, None)], alice.text()


@pytest.mark.parametrize("typed", ["/pause", "pause", "je fais une pause", "/pause jusqu'à nouvel ordre"])
async def test_a_pause_without_an_end_lasts_until_resumed(clocked: App, adapter: RecordingAdapter, typed: str) -> None:
    alice = await _someone(clocked, adapter)
    await alice.say("/pause jusqu'au 15 janvier")
    await alice.say(typed)
    assert "jusqu'à ce que vous tapiez /reprendre" in alice.text(), alice.text()
    assert rows(clocked, "SELECT paused, paused_until FROM actors") == [(1, None)], alice.text()
    await alice.say("/reglages")
    assert "vous les aviez arrêtées ; /reprendre" in alice.text(), alice.text()


@pytest.mark.parametrize(
    "typed",
    [
        "comment je fais une pause ?",
        "pause déjeuner offerte aux bénévoles le samedi",
        "on cherche une salle pour la pause de midi",
        "atelier, réunion, pause",
        "on prête une salle, pause café offerte",
    ],
)
async def test_words_about_a_pause_that_ask_no_pause_change_nothing(clocked: App, adapter: RecordingAdapter, typed: str) -> None:
    alice = await _someone(clocked, adapter)
    await alice.say(typed)
    assert rows(clocked, "SELECT paused FROM actors") == [(0,)], alice.text()


async def test_pause_at_a_question_is_still_that_questions_answer(clocked: App, adapter: RecordingAdapter) -> None:
    alice = await _someone(clocked, adapter)
    await alice.say("/reglages")
    await alice.press("Fréquence des suggestions")
    await alice.say("pause")  # « En pause »: the pause, as /pause (stop 33: one pause), the frequency kept for after it
    assert rows(clocked, "SELECT paused, frequency FROM actors") == [(1, "weekly")], alice.text()


# ---------------------------------------------------------------- 2. the alerts at the top of /reglages


@pytest.mark.parametrize(("english", "said"), [(False, "alertes de nouvelles offres activées"), (True, "alerts about new offers on")])
async def test_the_settings_say_the_alerts(clocked: App, adapter: RecordingAdapter, english: bool, said: str) -> None:
    alice = await _someone(clocked, adapter, english)
    await alice.say("/settings" if english else "/reglages")
    assert said in alice.text(), alice.text()


@pytest.mark.parametrize(
    ("english", "typed", "said", "on"),
    [
        (False, "désactiver les alertes", "plus d'alerte", 0),
        (False, "plus d'alertes svp", "plus d'alerte", 0),
        (False, "pas d'alertes merci", "plus d'alerte", 0),
        (False, "je ne veux plus d'alertes", "plus d'alerte", 0),
        (False, "coupez les notifications", "plus d'alerte", 0),
        (False, "alertes off", "plus d'alerte", 0),
        (True, "turn alerts off", "no more alerts", 0),
        (True, "no more alerts please", "no more alerts", 0),
        (True, "disable alerts", "no more alerts", 0),
        (True, "i don't want alerts", "no more alerts", 0),
    ],
)
async def test_alerts_named_at_the_settings_menu_are_applied(
    clocked: App, adapter: RecordingAdapter, english: bool, typed: str, said: str, on: int
) -> None:
    alice = await _someone(clocked, adapter, english)
    await alice.say("/settings" if english else "/reglages")
    await alice.say(typed)
    assert said in alice.text(), alice.text()
    assert rows(clocked, "SELECT early_alerts, frequency FROM actors") == [(on, "weekly")], alice.text()
    await alice.say("/settings" if english else "/reglages")
    assert ("alerts about new offers off" if english else "alertes de nouvelles offres désactivées") in alice.text(), alice.text()


@pytest.mark.parametrize(
    ("english", "typed", "said"),
    [
        (False, "réactiver les alertes", "je vous préviens"),
        (False, "remettre les alertes svp", "je vous préviens"),
        (True, "turn alerts back on", "I will tell you"),
        (True, "enable alerts", "I will tell you"),
    ],
)
async def test_alerts_turned_on_again_at_the_settings_menu(
    clocked: App, adapter: RecordingAdapter, english: bool, typed: str, said: str
) -> None:
    alice = await _someone(clocked, adapter, english)
    await alice.say("/settings" if english else "/reglages")
    await alice.say("turn alerts off" if english else "désactiver les alertes")
    await alice.say("/settings" if english else "/reglages")
    await alice.say(typed)
    assert said in alice.text(), alice.text()
    assert rows(clocked, "SELECT early_alerts FROM actors") == [(1,)], alice.text()


@pytest.mark.parametrize(("typed", "on"), [("non", 0), ("désactivez-les", 0), ("Non, j'attends mes suggestions", 0), ("oui", 1), ("2", 0)])
async def test_the_alerts_question_one_level_down(clocked: App, adapter: RecordingAdapter, typed: str, on: int) -> None:
    alice = await _someone(clocked, adapter)
    await alice.say("/reglages")
    await alice.say("alertes")  # the menu's own option: its question
    assert "voulez-vous être prévenu" in alice.question.text, alice.text()
    await alice.say(typed)
    assert rows(clocked, "SELECT early_alerts FROM actors") == [(on,)], alice.text()


@pytest.mark.parametrize(("typed", "frequency"), [("moins souvent svp", "biweekly"), ("une fois par mois ça suffira", "monthly")])
async def test_a_frequency_named_at_the_settings_menu_still_applies(
    clocked: App, adapter: RecordingAdapter, typed: str, frequency: str
) -> None:
    alice = await _someone(clocked, adapter)
    await alice.say("/reglages")
    await alice.say(typed)
    assert rows(clocked, "SELECT frequency, early_alerts FROM actors") == [(frequency, 1)], alice.text()


# ---------------------------------------------------------------- 3. « autre » and what it is, at the skills


async def _at_skills(someone: Person, english: bool) -> None:
    await someone.say("/offer" if english else "/offre")
    await someone.say("Skills" if english else "Compétences")
    assert {"Other skill", "Autre compétence"} & {c.label for c in someone.question.choices}, someone.text()


async def _published(someone: Person) -> None:
    for _ in range(3):  # the zone, and whatever is asked before publishing
        if someone.question.choices and not any(w in someone.text() for w in ("enregistrée", "published", "saved")):
            await someone.press(someone.question.choices[0].label)


@pytest.mark.parametrize(
    ("english", "typed", "description"),
    [
        (False, "autre - mécanique vélo", "Mécanique vélo"),
        (False, "autre : mécanique vélo", "Mécanique vélo"),
        (False, "Autre : réparation de vélos", "Réparation de vélos"),
        (False, "autre mécanique vélo", "Mécanique vélo"),
        (False, "autres (mécanique vélo)", "Mécanique vélo"),
        (False, "autre compétence : mécanique vélo", "Mécanique vélo"),
        (False, "other - bike mechanics", "Bike mechanics"),
        (True, "other - bike mechanics", "Bike mechanics"),
        (True, "Other: bike repair workshops", "Bike repair workshops"),
        (True, "other skill - bike mechanics", "Bike mechanics"),
    ],
)
async def test_other_and_its_description_at_the_skills(
    clocked: App, adapter: RecordingAdapter, english: bool, typed: str, description: str
) -> None:
    alice = await _someone(clocked, adapter, english)
    await _at_skills(alice, english)
    await alice.say(typed)
    assert alice.outcome is not None and alice.outcome.value == "accepted", alice.text()
    await _published(alice)
    assert rows(clocked, "SELECT category, subcategory, description FROM listings") == [("competences", "autre", description)], alice.text()


@pytest.mark.parametrize(
    ("english", "typed", "skills"),
    [
        (False, "1 et autre : mécanique vélo", ["autre", "juridique"]),
        (False, "comptabilité, autre - mécanique vélo", ["autre", "comptabilite"]),
        (True, "legal and other: bike mechanics", ["autre", "juridique"]),
    ],
)
async def test_options_then_other_and_its_description(
    clocked: App, adapter: RecordingAdapter, english: bool, typed: str, skills: list[str]
) -> None:
    alice = await _someone(clocked, adapter, english)
    await _at_skills(alice, english)
    await alice.say(typed)
    await _published(alice)
    found = rows(clocked, "SELECT subcategory, description FROM listings ORDER BY subcategory")
    assert [row[0] for row in found] == skills, alice.text()
    assert all("echanic" in row[1] or "écanique" in row[1] for row in found), found


async def test_other_and_too_few_words_begin_the_description(clocked: App, adapter: RecordingAdapter) -> None:
    alice = await _someone(clocked, adapter)
    await _at_skills(alice, False)
    await alice.say("autre - vélo")
    assert "vélo" in alice.text() and "suite" in alice.text(), alice.text()
    await alice.say("réparation le samedi matin")
    await _published(alice)
    assert rows(clocked, "SELECT subcategory, description FROM listings") == [("autre", "Vélo réparation le samedi matin")], alice.text()


@pytest.mark.parametrize(
    ("typed", "skills"),
    [
        ("autre", ["autre"]),
        ("6", ["autre"]),
        ("Autre compétence", ["autre"]),
        ("autre, 2", ["comptabilite", "autre"]),
        ("autre et comptabilité", ["comptabilite", "autre"]),
    ],
)
async def test_other_alone_or_with_options_is_read_as_before(
    clocked: App, adapter: RecordingAdapter, typed: str, skills: list[str]
) -> None:
    alice = await _someone(clocked, adapter)
    await _at_skills(alice, False)
    await alice.say(typed)
    assert "Décrivez votre offre" in alice.question.text, alice.text()
    await alice.say("Atelier de réparation de vélos le samedi")
    await _published(alice)
    assert sorted(r[0] for r in rows(clocked, "SELECT subcategory FROM listings")) == sorted(skills), alice.text()
