"""Dates tried by people (trial 31, 2 December 2026): a listing whose description wrote a day of the week that is
not its date's (« samedi 5 septembre 2027 », a Sunday) was refused as its end — and the correction typed right after
(« non c'est le dimanche 5 septembre pardon », « pardon, c'est le samedi 4 », "sorry, I meant Saturday the 4th") was
not taken; « demain 9h » typed at 00:40 meant the day after the coming morning; « envoie maintenant stp », "send it
now please" at a call's preview were not understood while « envoyer » was."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conversations.expiry import event_redated
from conversations.moments import WrongWeekday, moment_in, read_moment
from conversations.understanding import negated
from core.clock import utcnow
from tests.core.people import Person
from tests.core.test_coordination import rows, territory  # noqa: F401  (fixture)
from tests.core.test_diff8_broadcast import _coordinator
from tests.core.test_event_listing_defects import expiries, publish_need

pytestmark = pytest.mark.backends
PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 12, 2)
DEFAULT_END = date(2027, 3, 2)  # three months: the end a listing gets when its description's date was refused
FAIR = "On cherche des bénévoles pour la fête du village le samedi 5 septembre 2027, merci"  # 5 September 2027: a Sunday
FAIR_EN = "We need volunteers for the village fair on Saturday, September 5, 2027"


# ---------------------------------------------------------------- 1. the correction of a refused weekday (pure)


@pytest.mark.parametrize(
    ("description", "typed", "day", "written"),
    [
        (FAIR, "non c'est le dimanche 5 septembre pardon", date(2027, 9, 5), "dimanche 5 septembre 2027"),
        (FAIR, "pardon, c'est le samedi 4", date(2027, 9, 4), "samedi 4 septembre 2027"),
        (FAIR, "ah oui pardon, le 5 septembre", date(2027, 9, 5), "dimanche 5 septembre 2027"),
        (FAIR, "oups, c'est bien le dimanche 5", date(2027, 9, 5), "dimanche 5 septembre 2027"),
        (FAIR, "sorry, I meant Saturday the 4th", date(2027, 9, 4), "samedi 4 septembre 2027"),
        (FAIR, "my bad, it's Sunday September 5", date(2027, 9, 5), "dimanche 5 septembre 2027"),
        (FAIR_EN, "sorry, I meant Saturday the 4th", date(2027, 9, 4), "Saturday, September 4, 2027"),
        (FAIR_EN, "oops, it's on Sunday the 5th", date(2027, 9, 5), "Sunday, September 5, 2027"),
    ],
)
def test_a_correction_after_a_refused_weekday_is_the_date(description: str, typed: str, day: date, written: str) -> None:
    read = event_redated(typed, description, DEFAULT_END, TODAY)
    assert read is not None, typed
    assert (read.day, read.end, read.written) == (day, day + timedelta(days=1), written), typed
    assert written in read.description and read.said in description, read.description


@pytest.mark.parametrize(
    ("typed", "real"),
    [
        ("non c'est le samedi 5 septembre", "dimanche"),
        ("pardon, c'est le lundi 4", "samedi"),
        ("sorry, I meant Friday the 4th", "samedi"),
    ],
)
def test_a_correction_still_wrong_is_refused_with_the_real_day(typed: str, real: str) -> None:
    with pytest.raises(WrongWeekday) as wrong:
        event_redated(typed, FAIR, DEFAULT_END, TODAY)
    assert wrong.value.params("fr")["weekday"] == real


@pytest.mark.parametrize("typed", ["merci beaucoup", "pour 6 mois", "d'accord"])
def test_other_words_after_a_refused_weekday_are_no_date(typed: str) -> None:
    assert event_redated(typed, FAIR, DEFAULT_END, TODAY) is None


def test_a_right_weekday_still_needs_an_end_drawn_from_it() -> None:
    """Guard: a description whose weekday is its date's, its end not drawn from it, stays as it was."""
    right = FAIR.replace("samedi 5", "dimanche 5")
    assert event_redated("c'est le dimanche 5 septembre", right, DEFAULT_END, TODAY) is None


# ---------------------------------------------------------------- 1. in the conversation


def _pin(app, moment: datetime) -> None:  # type: ignore[no-untyped-def]
    """The app's clock starting at ``moment`` (and running on from there)."""
    started = utcnow()
    app.runtime.clock = lambda: moment.astimezone(UTC) + (utcnow() - started)


def _description(app) -> str:  # type: ignore[no-untyped-def]
    return str(rows(app, "SELECT description FROM listings ORDER BY id")[-1][0])


@pytest.mark.parametrize(
    ("typed", "day", "written"),
    [
        ("non c'est le dimanche 5 septembre pardon", date(2027, 9, 5), "dimanche 5 septembre 2027"),
        ("pardon, c'est le samedi 4", date(2027, 9, 4), "samedi 4 septembre 2027"),
        ("sorry, I meant Saturday the 4th", date(2027, 9, 4), "samedi 4 septembre 2027"),
    ],
)
async def test_the_correction_after_the_refusal_dates_the_listing(territory, typed: str, day: date, written: str) -> None:
    app, _, people = territory
    _pin(app, datetime(2026, 12, 2, 10, 0, tzinfo=PARIS))
    asso = people["asso"]
    await publish_need(asso, FAIR)
    assert "dimanche" in asso.text() and expiries(app) == [DEFAULT_END.isoformat()], asso.text()
    await asso.say(typed)
    assert expiries(app) == [(day + timedelta(days=1)).isoformat()], asso.text()
    assert written in _description(app) and "samedi 5 septembre" not in _description(app), _description(app)
    assert written in asso.text(), asso.text()


async def test_a_correction_still_wrong_is_refused_then_the_right_one_taken(territory) -> None:
    app, _, people = territory
    _pin(app, datetime(2026, 12, 2, 10, 0, tzinfo=PARIS))
    asso = people["asso"]
    await publish_need(asso, FAIR)
    before = (expiries(app), _description(app))
    await asso.say("non c'est le lundi 5 septembre")
    assert (expiries(app), _description(app)) == before
    assert "dimanche" in asso.text() and "lundi" in asso.text(), asso.text()
    await asso.say("pardon, le dimanche 5 septembre")
    assert expiries(app) == ["2027-09-06"], asso.text()


# ---------------------------------------------------------------- 2. « demain » after midnight

NIGHT = datetime(2026, 12, 2, 0, 40, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("typed", "now", "expected"),
    [
        ("demain 9h", NIGHT, datetime(2026, 12, 2, 9, 0)),
        ("demain matin", NIGHT, datetime(2026, 12, 2, 9, 0)),
        ("demain à 14h30", NIGHT.replace(hour=4, minute=59), datetime(2026, 12, 2, 14, 30)),
        ("tomorrow 9am", NIGHT, datetime(2026, 12, 2, 9, 0)),
        ("tomorrow morning", NIGHT.replace(hour=2), datetime(2026, 12, 2, 9, 0)),
        ("après-demain 10h", NIGHT, datetime(2026, 12, 3, 10, 0)),
        ("demain 0h15", NIGHT, datetime(2026, 12, 3, 0, 15)),  # already past this night: the calendar's tomorrow
        ("demain 9h", NIGHT.replace(hour=5, minute=0), datetime(2026, 12, 3, 9, 0)),  # morning: as the calendar says
        ("demain 9h", NIGHT.replace(hour=23), datetime(2026, 12, 3, 9, 0)),
        ("aujourd'hui 18h", NIGHT, datetime(2026, 12, 2, 18, 0)),
    ],
)
def test_demain_in_the_night_is_the_coming_morning(typed: str, now: datetime, expected: datetime) -> None:
    assert read_moment(typed, now) == expected.replace(tzinfo=PARIS), typed


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("programme-le pour demain 9h", datetime(2026, 12, 2, 9, 0)),
        ("send it tomorrow at 10am", datetime(2026, 12, 2, 10, 0)),
    ],
)
def test_demain_in_an_instruction_in_the_night(typed: str, expected: datetime) -> None:
    assert moment_in(typed, NIGHT) == expected.replace(tzinfo=PARIS), typed


async def _at_preview(coordinator: Person, language: str) -> None:
    await coordinator.say("/diffuser" if language == "fr" else "/broadcast")
    await coordinator.say("ok")  # every type
    await coordinator.say("ok")  # every theme
    await coordinator.say("Qui peut prêter des tables au marché samedi ?")
    await coordinator.press(coordinator.question.choices[0].label)  # no answer expected


@pytest.mark.parametrize(
    ("typed", "language", "said"),
    [("programme-le pour demain 9h", "fr", "02/12/2026 09:00"), ("schedule it for tomorrow 9am", "en", "Wed 2 Dec 2026, 09:00")],
)
async def test_a_call_scheduled_for_demain_in_the_night(territory, typed: str, language: str, said: str) -> None:
    app, _, people = territory
    _pin(app, NIGHT)
    coordinator = people["marie"] if language == "fr" else await _coordinator(app, people, "john", language)
    await _at_preview(coordinator, language)
    await coordinator.say(typed)
    [(send_at,)] = rows(app, "SELECT send_at FROM scheduled_calls")
    assert datetime.fromisoformat(str(send_at)).astimezone(PARIS) == datetime(2026, 12, 2, 9, 0, tzinfo=PARIS), coordinator.text()
    assert said in coordinator.text(), coordinator.text()  # the exact date said back


# ---------------------------------------------------------------- 3. « envoie maintenant » at the preview


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("envoie maintenant stp", "fr"),
        ("envoie-le tout de suite", "fr"),
        ("vas-y envoie", "fr"),
        ("tu peux l'envoyer maintenant", "fr"),
        ("Envoyer", "fr"),
        ("send it now please", "en"),
        ("go ahead and send", "en"),
        ("send it right away", "en"),
    ],
)
async def test_send_now_said_in_words_sends_the_call(territory, typed: str, language: str) -> None:
    app, _, people = territory
    coordinator = people["marie"] if language == "fr" else await _coordinator(app, people, "john", language)
    await _at_preview(coordinator, language)
    await coordinator.say(typed)
    assert rows(app, "SELECT COUNT(*) FROM broadcasts") == [(1,)], coordinator.text()
    assert rows(app, "SELECT COUNT(*) FROM scheduled_calls") == [(0,)], coordinator.text()


@pytest.mark.parametrize(
    ("typed", "language"), [("envoie demain 9h", "fr"), ("envoie-le demain à 9h stp", "fr"), ("send it tomorrow 9am", "en")]
)
async def test_send_with_a_moment_schedules_it(territory, typed: str, language: str) -> None:
    app, _, people = territory
    coordinator = people["marie"] if language == "fr" else await _coordinator(app, people, "john", language)
    await _at_preview(coordinator, language)
    await coordinator.say(typed)
    assert rows(app, "SELECT COUNT(*) FROM broadcasts") == [(0,)], coordinator.text()
    assert rows(app, "SELECT COUNT(*) FROM scheduled_calls") == [(1,)], coordinator.text()


@pytest.mark.parametrize("typed", ["n'envoie pas maintenant", "don't send it now"])
async def test_a_send_denied_sends_nothing(territory, typed: str) -> None:
    app, _, people = territory
    marie = people["marie"]
    await _at_preview(marie, "fr")
    await marie.say(typed)
    assert rows(app, "SELECT COUNT(*) FROM broadcasts") == [(0,)], marie.text()


# ---------------------------------------------------------------- 4. a name typed at /annuaire's filters


@pytest.mark.parametrize(
    ("who", "typed", "found"),
    [
        ("marie", "Boulangerie Gratte-Ciel", ["Boulangerie Gratte-Ciel"]),
        ("marie", "gratte ciel", ["Boulangerie Gratte-Ciel"]),
        ("marie", "BOULANGERIE", ["Boulangerie Gratte-Ciel"]),
        ("marie", "tonkin", ["Asso du Tonkin"]),
        ("marie", "asso silencieuse", ["Asso Silencieuse"]),
        ("asso", "la boulangerie gratte ciel", ["Boulangerie Gratte-Ciel"]),  # an article aside
        ("asso", "la boulangerie Martin", None),
        ("asso", "boulangerie gratte-ciel", ["Boulangerie Gratte-Ciel"]),
        ("asso", "gratté", ["Boulangerie Gratte-Ciel"]),  # accents aside
    ],
)
async def test_a_name_typed_at_the_directory_s_filters_searches_it(territory, who: str, typed: str, found: list[str] | None) -> None:
    _, _, people = territory
    person = people[who]
    await person.say("/annuaire")
    asked = person.question.text
    await person.say(typed)
    if found is None:
        assert "Personne dans l'annuaire ne s'appelle" in person.text() and person.question.text == asked, person.text()
        return
    labels = [c.label for c in person.question.choices]
    names = [label.split(" (")[0] for label in labels if " (" in label]
    assert names == found, person.text()


@pytest.mark.parametrize("typed", ["Asso Lilloise", "lilloise", "boulangerie martin", "xyz"])
async def test_a_name_outside_one_s_directory_is_nobody(territory, typed: str) -> None:
    """Another département's actor (or nobody): the same answer, nothing of theirs shown."""
    _, _, people = territory
    asso = people["asso"]
    await asso.say("/annuaire")
    asked = asso.question.text
    await asso.say(typed)
    assert f"Personne dans l'annuaire ne s'appelle « {typed} »" in asso.text() and asso.question.text == asked, asso.text()
    assert "Lilloise (" not in asso.text()


@pytest.mark.parametrize(("typed", "asked"), [("par thème", "thème"), ("tout le monde", "acteur"), ("2", "type")])
async def test_the_filters_are_still_chosen_in_words(territory, typed: str, asked: str) -> None:
    _, _, people = territory
    marie = people["marie"]
    await marie.say("/annuaire")
    await marie.say(typed)
    assert asked in marie.question.text, marie.text()


async def test_a_name_in_english(territory) -> None:
    app, _, people = territory
    john = await _coordinator(app, people, "john", "en")
    await john.say("/directory")
    await john.say("no such bakery")
    assert "Nobody in the directory is called “no such bakery”" in john.text(), john.text()
    await john.say("gratte")
    assert any(c.label.startswith("Boulangerie Gratte-Ciel") for c in john.question.choices), john.text()


async def test_a_sentence_at_the_filters_is_no_name(territory) -> None:
    """Guard: a sentence of its own (a need said there) is read as before, never answered « nobody is called »."""
    _, _, people = territory
    asso = people["asso"]
    await asso.say("/annuaire")
    await asso.say("bonjour on cherche un local pour stocker nos affaires cet hiver")
    assert "ne s'appelle" not in asso.text(), asso.text()


# ---------------------------------------------------------------- 5. a coordinator's own events at /evenements


async def _publish_event(marie: Person, title: str, when: str) -> None:
    await marie.say("/evenement")
    await marie.say(title)
    await marie.say(when)
    await marie.say("passer")  # no end time
    await marie.say("Maison des associations")
    await marie.say("une vingtaine")
    await marie.say("ok")  # every type
    await marie.say("ok")  # every theme
    await marie.press(marie.question.choices[0].label)  # publish


@pytest.mark.parametrize(("command", "language"), [("/evenements", "fr"), ("/events", "en")])
async def test_a_coordinator_finds_their_own_events(territory, command: str, language: str) -> None:
    app, _, people = territory
    marie = people["marie"]
    await _publish_event(marie, "Forum des associations", "le 10 juin à 14h")
    assert rows(app, "SELECT COUNT(*) FROM events") == [(1,)], marie.text()
    if language == "en":
        marie = await _coordinator(app, people, "marie", "en")
        await marie.say("/reglages")
        await marie.press(next(c.label for c in marie.question.choices if "angue" in c.label))
        await marie.press("English")
    await marie.say(command)
    said = marie.text()
    assert "Forum des associations" in said and "Maison des associations" in said, said
    assert ("/broadcast" if language == "en" else "/diffuser") in said, said  # how to tell its invitees of a change
    assert ("/event" if language == "en" else "/evenement") in said, said


async def test_a_coordinator_without_events_is_told_how_to_publish_one(territory) -> None:
    _, _, people = territory
    marie = people["marie"]
    await marie.say("/evenements")
    assert "aucun événement à venir" in marie.text() and "/evenement" in marie.text(), marie.text()


async def test_an_actor_s_evenements_is_unchanged(territory) -> None:
    """Guard: an actor who coordinates nothing sees the events they were invited to, as before."""
    _, _, people = territory
    asso = people["asso"]
    await asso.say("/evenements")
    assert "Vous avez publié" not in asso.text() and "Votre événement" not in asso.text(), asso.text()


@pytest.mark.parametrize(
    ("words", "denied"),
    [
        ("don t send it now", True),
        ("it doesnt matter", True),
        ("i cannot", True),
        ("les assos dont on parle", False),
        ("send it now", False),
    ],
)
def test_english_short_negations_never_the_french_dont(words: str, denied: bool) -> None:
    assert negated(words) is denied, words
