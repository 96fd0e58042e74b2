"""Defects reported by people who tried the product as new users (second round): how a yes/no
question says how to answer it, the console's own texts in the person's language, a coordinator
without a profile choosing a language, dates and amounts written the usual ways, call numbers in
/appels, the weekly to-do caught up at start, introductions' texts and plurals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from bot.app import App
from bot.rendering import render_plain
from conversations.calls import parse_when
from conversations.decisions import decision_reply
from conversations.engine import InputError
from conversations.events import capacity_of
from conversations.i18n import first_of_month, translate
from conversations.moments import NIGHT_ENDS
from core.clock import iso, utcnow
from core.decisions import DecisionView
from core.types import Choice, Reply
from tests.core.people import Person
from tests.core.test_coordination import rows, territory  # noqa: F401  (fixture)
from tests.core.test_queue import clock, network  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends


@pytest.mark.parametrize("wrong", ["peut-être", "4", "Nous verrons bien plus tard, après la réunion du bureau"])
async def test_a_yes_no_question_tells_to_answer_yes_or_no(app: App, person, wrong: str) -> None:
    """A wrong answer at "Villeurbanne (69) — Métropole de Lyon ?" (Oui / Non, retaper) got a
    number-choice hint and "commune not found": it must say to answer yes or no."""
    alice: Person = person()
    await alice.say("/start")
    await alice.press("Association")
    await alice.say("Les Jardins Partagés")
    await alice.say("Villeurbanne")
    asked = alice.question
    rendered = render_plain(asked)
    assert "« oui » ou « non » (ou 1 pour oui, 2 pour non)" in rendered and "Répondez par un numéro." not in rendered, rendered
    await alice.say(wrong)
    refusal = alice.last[0].text
    assert "« oui » ou « non »" in refusal and "1 pour oui, 2 pour non" in refusal, refusal
    await alice.say("oui")
    assert alice.question.text != asked.text  # the answer is taken
    await alice.say("Lyon")  # another commune typed at the confirmation is still searched
    assert alice.question.text != asked.text


async def test_a_yes_no_question_in_english_is_explained_in_english(app: App, person) -> None:
    sam: Person = person("sam", language_code="en")
    await sam.say("/start")
    await sam.press("Association")
    await sam.say("Green Movers")
    await sam.say("Villeurbanne")
    assert "“yes” or “no” (or 1 for yes, 2 for no)" in render_plain(sam.question)
    await sam.say("maybe")
    assert "“yes” or “no” (or 1 for yes, 2 for no)" in sam.last[0].text, sam.text()


def test_yes_no_steps_and_decisions_say_yes_or_no() -> None:
    """Every question whose options are one yes and one no (a flow's Oui/Non, an introduction's
    "Oui, avec plaisir" / "Non merci", a renewal) is explained as yes/no, in its language."""
    from conversations.engine import Option, parse_choice
    from conversations.flows import YES_NO

    for language, expected in (("fr", "« oui » ou « non »"), ("en", "“yes” or “no”")):
        for kind in ("introduction", "renewal"):
            view = DecisionView(token="i1", kind=kind, other=None, listing_text="x", expires="1/12")
            assert expected in render_plain(decision_reply(view, language))
        with pytest.raises(InputError) as refused:
            parse_choice("bof", [*YES_NO, Option("_back", key="common.back")], language)
        assert expected in translate(language, refused.value.key, **refused.value.params)
    three = decision_reply(DecisionView(token="s1", kind="suggestion", other=None, listing_text="x"), "fr")
    assert "Répondez par un numéro." in render_plain(three)  # three answers: not a yes/no question


def test_the_yes_no_hint_survives_the_outbox() -> None:
    from storage.outbox import reply_from_json, reply_to_json

    reply = Reply(
        "?", choices=(Choice("accept", "Oui, avec plaisir"), Choice("refuse", "Non merci")), language="en", meta={"yes_no": (1, 2)}
    )
    assert "“yes” or “no”" in render_plain(reply_from_json(reply_to_json(reply)))


def test_the_console_banner_and_goodbye_follow_the_person_language(tmp_path) -> None:
    """The banner and "À bientôt !" stayed French for someone spoken to in English."""
    from tests.core.test_console import run_chat

    first = run_chat(tmp_path, ["/start", "Company", "Green Movers"], user="sam")
    assert first.returncode == 0, first.stderr
    assert first.stdout.rstrip().endswith("See you soon!"), first.stdout[-300:]
    again = run_chat(tmp_path, ["/help"], user="sam")
    assert again.stdout.startswith("Trait d'union — console conversation (person: sam)"), again.stdout[:200]
    assert again.stdout.rstrip().endswith("See you soon!")
    french = run_chat(tmp_path, ["/start"], user="zoe")  # unknown yet: the configured default (French)
    assert french.stdout.startswith("Trait d'union — conversation en console") and french.stdout.rstrip().endswith("À bientôt !")


async def test_a_coordinator_without_a_profile_chooses_the_language(territory) -> None:
    """/reglages of a coordinator without a profile offered only the to-do: no language choice.
    The language chosen is kept for what they type next (even French words) and for what the
    bot sends them on its own (the weekly to-do)."""
    from tests.core.test_coordination import deliver

    app, adapter, people = territory
    marie: Person = people["marie"]
    marie.language_code = None  # the console: no platform language
    await marie.say("/reglages")
    assert "Langue" in [c.label for c in marie.question.choices]
    assert "langue Français" in marie.question.text
    await marie.press("Langue")
    await marie.press("English")
    assert "I will write to you in English" in marie.text()
    await marie.say("/aide")  # a French command: the chosen language stays
    assert "/help" in marie.text() and "/aide" not in marie.text(), marie.text()
    await marie.say("/reglages")
    assert "Coordinator settings: language English, weekly summary: on" in marie.question.text, marie.question.text
    await app.db.transaction(lambda conn: conn.execute("UPDATE actors SET created_at = ?", (iso(utcnow()),)))
    before = len(adapter.replies_to("marie"))
    assert await app.weekly_todo() == 1
    await deliver(app)
    assert any(r.text.startswith("🗒 Your coordination week") for r in adapter.replies_to("marie")[before:])


PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2026, 11, 30, 15, 0, tzinfo=PARIS)  # a Monday afternoon


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("demain 9h", "2026-12-01 09:00"),
        ("le 10 décembre à 18h", "2026-12-10 18:00"),
        ("mardi prochain 14h30", "2026-12-01 14:30"),
        ("lundi prochain", "2026-12-07 09:00"),
        ("lundi 16h", "2026-11-30 16:00"),  # today, still ahead
        ("lundi 14h", "2026-12-07 14:00"),  # today's has passed: next week's
        ("vendredi à midi", "2026-12-04 12:00"),
        ("18 h", "2026-11-30 18:00"),
        ("ce soir", "2026-11-30 18:00"),
        ("demain matin", "2026-12-01 09:00"),
        ("après-demain 9 heures 30", "2026-12-02 09:30"),
        ("dans trois jours à 10h", "2026-12-03 10:00"),
        ("1er décembre 9h", "2026-12-01 09:00"),
        ("le mardi 8 décembre à 9h", "2026-12-08 09:00"),
        ("10 janvier", "2027-01-10 09:00"),  # the next one to come
        ("tomorrow 2 pm", "2026-12-01 14:00"),
        ("next Friday at 2:30 pm", "2026-12-04 14:30"),
        ("December 10th at 6 pm", "2026-12-10 18:00"),
        ("in two weeks", "2026-12-14 09:00"),
        ("03/12/2026 9h30", "2026-12-03 09:30"),
        ("3/12 18:00", "2026-12-03 18:00"),
        ("2026-12-03 09:30", "2026-12-03 09:30"),
    ],
)
def test_dates_are_read_the_ways_people_write_them(typed: str, expected: str) -> None:
    """Where the bot asks for a date (an event, a scheduled call), "demain 9h", "le 10 décembre à
    18h", "mardi prochain 14h30" were refused: only 03/12/2026 9h30 was understood."""
    moment = parse_when(typed, MONDAY.astimezone(UTC), "Europe/Paris")
    assert isinstance(moment, datetime), (typed, moment)
    assert moment.astimezone(PARIS).strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize(("typed", "key"), [("hier 9h", "when.past"), ("à midi", "when.past"), ("2 pm", "when.past"),
                                            ("31/02/2027", "when.unclear"), ("25h", "when.unclear"), ("bientôt", "when.unclear")])  # fmt: skip
def test_past_and_impossible_dates_are_refused_clearly(typed: str, key: str) -> None:
    assert parse_when(typed, MONDAY.astimezone(UTC), "Europe/Paris") == key
    assert "demain 9h" in translate("fr", "when.unclear") and "tomorrow 9am" in translate("en", "when.unclear")


@pytest.mark.parametrize(
    ("typed", "places"),
    [("30", 30), ("30 places", 30), ("trente", 30), ("une vingtaine", 20), ("une vingtaine de personnes", 20),
     ("environ 40 personnes", 40), ("vingt-cinq", 25), ("soixante-dix", 70), ("forty two", 42), ("a dozen", 12),
     ("beaucoup", None), ("0", None)],
)  # fmt: skip
def test_amounts_are_read_in_words_too(typed: str, places: int | None) -> None:
    assert capacity_of(typed) == places


async def test_an_event_and_a_stats_period_in_words_through_the_bot(territory) -> None:
    """The whole way: "demain 18h" and "une vingtaine" publish an event for tomorrow 18:00 with 20
    places; "30 jours" picks the 30-day figures of /stats."""
    app, adapter, people = territory
    marie: Person = people["marie"]
    await marie.say("/evenement")
    await marie.say("Forum des associations")
    now = utcnow().astimezone(PARIS)
    tomorrow = (now + timedelta(days=0 if now.hour < NIGHT_ENDS else 1)).date()  # in the night: the coming day
    await marie.say("demain 18h")
    await marie.say("passer")  # no end time: two hours assumed, and said
    await marie.say("Maison des associations")
    await marie.say("une vingtaine")
    assert "C'est noté : Villeurbanne (69)" in marie.text(), marie.text()  # its only territory: taken, and said
    await marie.say("ok")
    await marie.say("ok")
    assert f"{tomorrow:%d/%m/%Y} 18:00" in marie.question.text, marie.question.text
    await marie.press("Publier")
    [(starts_at, capacity)] = rows(app, "SELECT starts_at, capacity FROM events")
    assert datetime.fromisoformat(str(starts_at)).astimezone(PARIS).strftime("%Y-%m-%d %H:%M") == f"{tomorrow:%Y-%m-%d} 18:00"
    assert capacity == 20
    await marie.say("/stats")
    await marie.say("30 jours")
    assert marie.outcome is not None and marie.outcome.name != "REJECTED", marie.text()
    today = utcnow().astimezone(PARIS).date()  # the period ends today where people live, starts 30 days before, and is said in words
    start = today - timedelta(days=30)
    period = f"Les 30 derniers jours : du {first_of_month(format_date(start, format='long', locale='fr'), start.day, 'fr')} au {first_of_month(format_date(today, format='long', locale='fr'), today.day, 'fr')}"
    assert period in marie.text(), marie.text()


async def test_a_number_typed_in_the_calls_list_is_the_call_number(territory) -> None:
    """/appels listed "1. ⏰ Programmé n°2 …  2. ⏰ Programmé n°3 …" and a typed 2 took the second
    line (n°3). The list now shows each call under its own number, and a typed number means it."""
    from tests.core.test_calls import later
    from tests.core.test_coordination import broadcast

    app, adapter, people = territory
    marie: Person = people["marie"]
    await broadcast(marie, "Pour information : le forum est reporté.", "Pas de réponse (information)")
    await marie.press("Envoyer")  # n°1: no answers awaited, so not listed
    for message in ("Réunion de préparation du forum, qui vient ?", "Qui peut prêter des tables pour le forum ?"):
        await broadcast(marie, message, "Un bouton « Intéressé·e »")
        await marie.press("Programmer")
        await marie.say(later(app).astimezone(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y 9h30"))
    await marie.say("/appels")
    shown = render_plain(marie.question)
    assert "\n2. ⏰ Programmé n°2" in shown and "\n3. ⏰ Programmé n°3" in shown and "\n1. " not in shown, shown
    await marie.say("1")
    assert "2, 3" in marie.last[0].text, marie.text()  # no call n°1 in the list: the numbers shown
    await marie.say("2")
    assert "Réunion de préparation" in marie.question.text, marie.question.text  # n°2, not the second line
    await marie.press("Modifier le message")
    await marie.say("Réunion de préparation du forum jeudi soir, qui vient ?")
    assert "Appel programmé n°2 modifié" in marie.text()
    await marie.say("/appels")
    await marie.say("n°3")
    assert "prêter des tables" in marie.question.text


def test_the_number_of_a_choice_survives_the_outbox() -> None:
    from storage.outbox import reply_from_json, reply_to_json

    reply = Reply("Quel appel ?", choices=(Choice("s:4", "⏰ Programmé n°3", 3), Choice("_back", "Retour")), language="fr")
    assert reply_from_json(reply_to_json(reply)).choices == reply.choices
    assert "\n3. ⏰ Programmé n°3\n• Retour" in render_plain(reply)


async def test_the_weekly_todo_catches_up_at_start_when_monday_passed_while_down(db_path, territories) -> None:
    """Suggestion rounds catch up at start (App._catch_up), the weekly to-do did not: a bot down on
    Monday at 9:00 sent nothing that week. It now catches up — only for coordinators appointed
    before the slot (a coordinator appointed since, as in every other test, gets nothing at start),
    and only once."""
    from bot.app import App
    from bot.config import Config
    from storage import coordination
    from tests.core.people import RecordingAdapter
    from tests.core.test_coordination import VILLEURBANNE, deliver, onboard

    wednesday = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # the week's Monday 9:00 (Paris) has passed
    last_week = iso(datetime(2026, 11, 25, 10, 0, tzinfo=UTC))

    async def session(run_jobs: bool, moment: datetime) -> tuple[App, RecordingAdapter]:
        adapter = RecordingAdapter()
        app = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories, clock=lambda: moment)
        app.run_jobs = run_jobs
        await app.start()
        return app, adapter

    app, adapter = await session(False, wednesday)
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "marie", VILLEURBANNE, "cli", last_week))
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "paul", VILLEURBANNE, "cli", iso(wednesday)))
    for name in ("marie", "paul"):
        await Person(app.runtime, adapter, name).say("/aide")
    await onboard(Person(app.runtime, adapter, "asso"), "Asso du Tonkin", "Villeurbanne")  # new this week
    await app.stop()

    for restart in range(2):
        app, adapter = await session(True, wednesday)
        for task in list(app._tasks):  # the catch-up runs beside the start
            await task
        await deliver(app)
        todos = {chat: reply.text for chat, reply in adapter.sent if reply.text.startswith("🗒")}
        assert todos.keys() == ({"marie"} if restart == 0 else set()), todos  # paul was appointed after Monday 9:00; once a week
        await app.stop()

    monday_early = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # next Monday 8:00 in Paris: not due yet
    app, adapter = await session(True, monday_early)
    for task in list(app._tasks):
        await task
    await deliver(app)
    assert not [reply for _, reply in adapter.sent if reply.text.startswith("🗒")]
    await app.stop()


async def test_queue_counters_agree_and_no_lone_dash_after_a_mutual_yes(network) -> None:
    """ "Vous avez 3 suggestions en attente." came before "📌 1/4" (a request waited too), the
    counter then went 1/4 → 2/3 when one answer settled two questions, and the contact shared
    after a mutual yes had a lone "—" line for an actor without a description."""
    from tests.core.test_queue import received_since
    from tests.core.test_suggestions import deliver

    app, alice = network
    await app.suggestion_round()
    before = len(alice.adapter.sent)
    await deliver(app)
    shown = received_since(alice, before)[-1].text
    first = next(name for name in ("Cabinet Martin", "Fiduciaire Dupuis", "Compta Solidaire") if name in shown)
    await alice.say("1")  # Me présenter: the company is asked
    company = Person(app.runtime, alice.adapter, f"company{('Cabinet Martin', 'Fiduciaire Dupuis', 'Compta Solidaire').index(first)}")
    await deliver(app)
    await company.say("/suggestions")
    header, question = company.last[0].text, company.question.text.splitlines()[0]
    # The suggestion of Les Restos de la Soie and their request (no company ↔ company theme pairs
    # since the trial of 2026-11-30: the companies' theme suggestions of each other are gone).
    assert question.startswith("📌 1/2") and "Les Restos de la Soie" in question, question
    assert "2 questions" in header, header  # the header counts what the counters count
    await company.say("1")  # yes to Les Restos de la Soie: their request for the same pair is settled too
    assert "🎉" in company.text()
    assert "📌" not in company.text(), company.text()  # both settled by one answer: nothing left to count
    before = len(alice.adapter.sent)
    await deliver(app)
    [made] = [r.text for r in received_since(alice, before) if r.text.startswith("🎉")]
    assert "\n—\n" not in made and "Contact :" in made, made
    await alice.say("/suggestions")
    later_header, later_question = alice.last[0].text, alice.question.text.splitlines()[0]
    count = later_question.split("/")[1].split(" ")[0]
    assert f" {count} " in f" {later_header} ", (later_header, later_question)


async def test_the_language_a_coordinator_without_a_profile_chose_reaches_every_text(territory) -> None:
    """The flows' own texts (an event's date in its preview) followed the configured default, not
    the language chosen in /reglages."""
    app, adapter, people = territory
    marie: Person = people["marie"]
    await marie.say("/reglages")
    await marie.press("Langue")
    await marie.press("English")
    await marie.say("/evenement")
    await marie.say("Forum des associations")
    when = (utcnow() + timedelta(days=10)).astimezone(PARIS).replace(hour=18, minute=30)
    await marie.say(when.strftime("%d/%m/%Y 18h30"))
    await marie.say("skip")  # no end time
    await marie.say("Maison des associations")
    await marie.say("30")
    assert "Noted: Villeurbanne (69)" in marie.text(), marie.text()  # its only territory: taken, and said
    await marie.say("ok")
    await marie.say("ok")
    english = f"{when:%a} {when.day} {when:%b} {when.year}, 18:30"  # unambiguous: "Sat 12 Dec 2026, 18:30"
    assert english in marie.question.text and "assumed to last 2 hours" in marie.question.text, marie.question.text


async def test_a_settings_yes_no_question_is_answered_yes_or_no(app: App, person) -> None:
    """ "Prévenez-moi tout de suite ?" (Oui, prévenez-moi / Non, j'attends) is a yes/no question too:
    its hint says so and a typed "non" answers it."""
    alice: Person = person()
    await alice.onboard()
    await alice.say("/reglages")
    await alice.press("Alertes : une offre qui répond à mon besoin")
    assert "« oui » ou « non » (ou 1 pour oui, 2 pour non)" in render_plain(alice.question)
    await alice.say("bof")
    assert "« oui » ou « non »" in alice.last[0].text, alice.text()
    await alice.say("non")
    assert "plus d'alerte" in alice.text(), alice.text()


def test_a_relative_date_keeps_its_meaning_when_the_flow_ends_after_midnight() -> None:
    """ "demain 9h" typed at 23:59 is stored as the moment it meant, not read again at 00:01."""
    from conversations.calls import settle_when, when_iso
    from conversations.model import Context, Identity, Session

    def context(moment: datetime) -> Context:
        return Context(moment, Identity("test", "marie"), None, (), "fr", None)  # type: ignore[arg-type]

    before_midnight = datetime(2026, 12, 1, 23, 59, tzinfo=PARIS).astimezone(UTC)
    stored = settle_when("demain 9h", Session(), context(before_midnight))
    after_midnight = context(before_midnight + timedelta(minutes=2))
    assert datetime.fromisoformat(when_iso(stored, after_midnight)).astimezone(PARIS).strftime("%Y-%m-%d %H:%M") == "2026-12-02 09:00"
