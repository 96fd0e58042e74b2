"""Trial 32 (people playing new users): a registered person who cannot come any more said so in words while a
suggestion was on screen (« finalement je pourrai pas venir au forum », "sorry, can't make it to the forum after all"),
or at /evenements' list: the words were not read as cancelling the registration. The coordinator who published an
event could not see who registered. A console reopened showed a waiting invitation twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.config import Config
from core.clock import iso, utcnow
from storage import coordination
from tests.backends import connect
from tests.core.people import Person, RecordingAdapter, deliver, settled
from tests.core.test_coordination import METROPOLE_LYON
from tests.core.test_stop30_invitations import _english
from tests.core.test_stop32_invitation_at_suggestion import SUGGESTION, _suggestion_status
from tests.core.test_suggestions import clock, declare, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends

FORUM = "Forum des associations"
APERO = "Apéro des bénévoles"


async def _publish(app, title: str, days: int = 12, coordinator: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Marie, coordinator of the Métropole de Lyon, publishes ``title`` ``days`` days ahead (12: a Saturday), 18:30 to
    20:00; its invitations are sent before we go on."""
    marie = Person(app.runtime, next(a for a in app.adapters if a.platform == "tg"), "marie")
    if coordinator:
        await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "tg", "marie", METROPOLE_LYON, "cli", iso(utcnow())))
    await marie.say("/evenement")
    await marie.say(title)
    when = (app.runtime.clock() + timedelta(days=days)).astimezone(ZoneInfo("Europe/Paris"))
    await marie.say(when.strftime("%d/%m/%Y 18h30"))
    await marie.say("20h")
    await marie.say("Maison des associations, 28 rue du Tonkin")
    await marie.say("30 places")
    await marie.say("ok")  # every type
    await marie.say("ok")  # every theme
    await marie.press("Publier")
    await deliver(app)
    await settled(marie)
    await deliver(app)


def _statuses(app, user: str = "bob") -> dict[str, str]:  # type: ignore[no-untyped-def]
    with connect(app.config.db) as conn:
        sql = (
            "SELECT e.title, p.status FROM event_people p JOIN events e ON e.id = p.event_id "
            "JOIN identities i ON i.actor_id = p.actor_id WHERE i.user_id = ?"
        )
        return {str(title): str(status) for title, status in conn.execute(sql, (user,)).fetchall()}


async def _registered_then_suggestion(app, bob: Person, language: str, titles: tuple[str, ...] = (FORUM,)) -> None:  # type: ignore[no-untyped-def]
    """Bob says yes to the invitation of each of ``titles``; then his suggestion (Les Restos de la Soie) is on screen."""
    if language == "en":
        await _english(bob)
    for number, title in enumerate(titles):
        await _publish(app, title, days=12 + number, coordinator=number == 0)
        assert bob.adapter.replies_to("bob")[-1].prompt_id == f"event-{number + 1}", bob.text()
        await bob.say("oui" if language == "fr" else "yes")
        assert _statuses(app)[title] == "registered", bob.text()
    await app.suggestion_round()
    await deliver(app)
    assert SUGGESTION[language] in bob.adapter.replies_to("bob")[-1].text, bob.text()


# ---------------------------------------------------------------- 1. a registration cancelled in words at a suggestion

CANCELS = [
    ("fr", "finalement je pourrai pas venir au forum"),
    ("fr", "désolé on annule pour samedi, on ne viendra pas"),
    ("fr", "dsl on pourra pas venir au forum finalement"),
    ("fr", "annulez mon inscription au forum svp"),
    ("fr", "je me désinscris du forum"),
    ("fr", "on ne sera pas là samedi finalement"),
    ("fr", "finalement je pourrai pas venir"),
    ("fr", "empêchée pour le forum, désolée"),
    ("fr", "dsl jpourrai pas venir au forum"),
    ("fr", "plus dispo samedi dsl"),
    ("fr", "j'annule ma participation au forum"),
    ("fr", "retirez-moi de la liste du forum"),
    ("fr", "desole on viendra pas au forum"),
    ("en", "sorry, can't make it to the forum after all"),
    ("en", "please cancel my registration for the forum"),
    ("en", "we won't be there on Saturday after all"),
    ("en", "cant make it to the event sorry"),
    ("en", "unfortunately we can no longer come"),
    ("en", "I won't be able to come to the forum"),
]


@pytest.mark.parametrize(("language", "said"), CANCELS)
async def test_a_cancellation_at_a_suggestion_cancels_the_registration(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _registered_then_suggestion(app, bob, language)
    await bob.say(said)
    assert _statuses(app)[FORUM] == "left", bob.text()
    assert ("Désinscription de « Forum des associations »" if language == "fr" else "no longer signed up") in bob.text(), bob.text()
    assert _suggestion_status(app) == "proposed", bob.text()  # never the suggestion's no
    assert SUGGESTION[language] in bob.text(), bob.text()  # the suggestion, shown again


@pytest.mark.parametrize(
    ("language", "said", "left"),
    [
        ("fr", "finalement on pourra pas venir à l'apéro", APERO),
        ("fr", "désolé je pourrai pas venir au forum", FORUM),
        ("en", "sorry, can't make it to the apéro after all", APERO),
    ],
)
async def test_the_event_named_is_the_one_cancelled(two_sides, language: str, said: str, left: str) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _registered_then_suggestion(app, bob, language, (FORUM, APERO))
    await bob.say(said)
    kept = APERO if left == FORUM else FORUM
    assert _statuses(app) == {left: "left", kept: "registered"}, bob.text()
    assert _suggestion_status(app) == "proposed", bob.text()


@pytest.mark.parametrize(("language", "said"), [("fr", "finalement je pourrai pas venir"), ("en", "sorry, can't make it after all")])
async def test_two_registrations_none_named_asks_which(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _registered_then_suggestion(app, bob, language, (FORUM, APERO))
    await bob.say(said)
    assert _statuses(app) == {FORUM: "registered", APERO: "registered"}, bob.text()
    assert ("Plusieurs événements peuvent correspondre" if language == "fr" else "Several events could be meant") in bob.text(), bob.text()
    assert _suggestion_status(app) == "proposed", bob.text()
    assert SUGGESTION[language] in bob.adapter.replies_to("bob")[-1].text, bob.text()


@pytest.mark.parametrize(("language", "said"), [("fr", "finalement je pourrai pas venir au forum"), ("en", "can't make it to the forum")])
async def test_a_cancellation_by_someone_not_registered_is_said(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    if language == "en":
        await _english(bob)
    await _publish(app, FORUM)
    await bob.say("non merci" if language == "fr" else "no thanks")
    assert _statuses(app)[FORUM] == "declined", bob.text()
    await app.suggestion_round()
    await deliver(app)
    await bob.say(said)
    assert _statuses(app)[FORUM] == "declined", bob.text()
    assert ("pas inscrit·e à « Forum des associations »" if language == "fr" else "not signed up for “Forum") in bob.text(), bob.text()
    assert _suggestion_status(app) == "proposed", bob.text()


SUGGESTION_ANSWERS = [
    ("fr", "non merci", "declined"),
    ("fr", "plus tard", "later"),
    ("fr", "oui", "accepted"),
    ("en", "no thanks", "declined"),
]


@pytest.mark.parametrize(("language", "said", "status"), SUGGESTION_ANSWERS)
async def test_guard_the_suggestions_answers_keep_the_registration(two_sides, language: str, said: str, status: str) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _registered_then_suggestion(app, bob, language)
    await bob.say(said)
    assert _suggestion_status(app) == status, bob.text()
    assert _statuses(app)[FORUM] == "registered", bob.text()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", "je peux pas venir vous voir cette semaine"),
        ("fr", "pas dispo"),
        ("fr", "on a annulé notre stand"),
        ("fr", "pas dispo en ce moment"),
        ("en", "we can't meet them right now"),
    ],
)
async def test_guard_words_about_the_suggestion_keep_the_registration(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _registered_then_suggestion(app, bob, language)
    await bob.say(said)
    assert _statuses(app)[FORUM] == "registered", bob.text()
    assert "Désinscription" not in bob.text() and "no longer signed up" not in bob.text(), bob.text()


@pytest.mark.parametrize(("language", "said"), [("fr", "finalement je pourrai pas venir au forum"), ("en", "can't make it after all")])
async def test_a_cancellation_at_the_menu_cancels(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    if language == "en":
        await _english(bob)
    await _publish(app, FORUM)
    await bob.say("oui" if language == "fr" else "yes")
    await bob.say("menu")
    await bob.say(said)
    assert _statuses(app)[FORUM] == "left", bob.text()
    assert ("Désinscription" if language == "fr" else "no longer signed up") in bob.text(), bob.text()


@dataclass(frozen=True)
class _Event:
    id: int
    title: str
    starts_at: str
    mine: str | None


_FORUM = _Event(1, FORUM, "2026-12-05T17:30:00+00:00", "registered")  # a Saturday
_APERO = _Event(2, APERO, "2026-12-06T17:30:00+00:00", "registered")
_INVITED = _Event(3, "Fête des assos", "2026-12-07T17:30:00+00:00", None)
READINGS = [
    ("finalement je pourrai pas venir au forum", [_FORUM, _APERO], ("leave", 1)),
    ("on annule pour samedi, on ne viendra pas", [_FORUM, _APERO], ("leave", 1)),
    ("finalement je pourrai pas venir", [_FORUM], ("leave", 1)),
    ("finalement je pourrai pas venir", [_FORUM, _APERO], ("which", None)),
    ("can't make it to the fête after all", [_FORUM, _INVITED], ("not_registered", 3)),
    ("sorry, can't make it after all", [_INVITED], ("not_registered", None)),
    ("on pourra pas venir samedi", [_FORUM, _Event(4, "Fête des assos", "2026-12-05T19:30:00+00:00", None)], ("which", None)),
    ("on pourra pas venir au forum samedi", [_FORUM, _Event(4, "Fête des assos", "2026-12-05T19:30:00+00:00", None)], ("leave", 1)),
    ("pas dispo", [_FORUM], None),
    ("non merci", [_FORUM], None),
    ("on annule", [_FORUM], None),
    ("je viens au forum", [_FORUM], None),
    ("pas dispo pour les rencontrer", [_FORUM], None),
]


@pytest.mark.parametrize(("said", "events", "meant"), READINGS)
def test_what_a_place_given_back_means(said: str, events: list[_Event], meant: tuple[str, int | None] | None) -> None:
    from conversations.events import leave_meant  # imported here: the other rows run on a base without it

    found = leave_meant(said, events, "Europe/Paris")
    assert (None if found is None else (found.kind, None if found.event is None else found.event.id)) == meant


@pytest.mark.parametrize(
    ("language", "said", "status"),
    [
        ("fr", "pas dispo pour le forum désolé", "declined"),
        ("fr", "oui je viens au forum", "registered"),
        ("en", "can't make it to the forum, sorry", "declined"),
    ],
)
async def test_guard_a_waiting_invitation_is_still_answered_at_a_suggestion(two_sides, language: str, said: str, status: str) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    if language == "en":
        await _english(bob)
    await app.suggestion_round()
    await deliver(app)
    await _publish(app, FORUM)
    await bob.say(said)
    assert _statuses(app)[FORUM] == status, bob.text()
    assert _suggestion_status(app) == "proposed", bob.text()


async def test_guard_an_invitation_named_is_declined_not_the_registration(two_sides) -> None:  # type: ignore[no-untyped-def]
    """Registered to the forum, invited to the apéro (waiting): « pas dispo pour l'apéro » declines the apéro only."""
    app, _, bob = two_sides
    await _publish(app, FORUM)
    await bob.say("oui")
    await app.suggestion_round()
    await deliver(app)
    await _publish(app, APERO, days=13, coordinator=False)
    await bob.say("désolé, on sera pas là pour l'apéro")
    assert _statuses(app) == {FORUM: "registered", APERO: "declined"}, bob.text()


# ---------------------------------------------------------------- 1b. the same words at /evenements' list


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", "finalement je pourrai pas venir au forum"),
        ("fr", "annulez mon inscription svp"),
        ("en", "sorry, can't make it to the forum after all"),
    ],
)
async def test_a_cancellation_at_the_list_of_events_cancels(two_sides, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    if language == "en":
        await _english(bob)
    await _publish(app, FORUM)
    await bob.say("oui" if language == "fr" else "yes")
    await bob.say("/evenements" if language == "fr" else "/events")
    await bob.say(said)
    assert _statuses(app)[FORUM] == "left", bob.text()
    assert ("Désinscription" if language == "fr" else "no longer signed up") in bob.text(), bob.text()


async def test_a_cancellation_at_the_list_by_someone_not_registered_is_said(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _publish(app, FORUM)
    await bob.say("/evenements")
    await bob.say("finalement je pourrai pas venir au forum")
    assert _statuses(app)[FORUM] == "invited", bob.text()
    assert "pas inscrit·e à « Forum des associations »" in bob.text(), bob.text()


async def test_guard_a_sign_up_at_the_list_still_signs_up(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, _, bob = two_sides
    await _publish(app, FORUM)
    await bob.say("/evenements")
    await bob.say("je viens au forum")
    assert _statuses(app)[FORUM] == "registered", bob.text()


# ---------------------------------------------------------------- 2. the coordinator sees who registered


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("fr", "Inscrits (2 inscriptions, 4 personnes) : Cabinet Martin (3), Les Restos de la Soie (1)"),
        ("en", "Signed up (2 registrations, 4 people): Cabinet Martin (3), Les Restos de la Soie (1)"),
    ],
)
async def test_the_coordinator_sees_who_registered(two_sides, language: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _publish(app, FORUM)
    await bob.say("oui ! on sera là avec 3 bénévoles")
    await alice.say("oui")
    assert _statuses(app, "alice")[FORUM] == "registered", alice.text()
    marie = Person(app.runtime, alice.adapter, "marie")
    if language == "en":
        await _english(marie)
    await marie.say("/evenements" if language == "fr" else "/events")
    assert shown in marie.text(), marie.text()


async def test_demo_registrations_are_marked(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _publish(app, FORUM)
    await bob.say("oui")
    await alice.say("oui")
    with connect(app.config.db) as conn:
        conn.execute("UPDATE actors SET is_demo = TRUE WHERE name = 'Les Restos de la Soie'")
        conn.commit()
    marie = Person(app.runtime, alice.adapter, "marie")
    await marie.say("/evenements")
    assert "Cabinet Martin (1), Les Restos de la Soie (1, démo)" in marie.text(), marie.text()


async def test_ordinary_users_never_see_who_registered(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, alice, bob = two_sides
    await _publish(app, FORUM)
    await bob.say("oui ! on sera là avec 3 bénévoles")
    await alice.say("oui")
    for person in (alice, bob):
        before = len(person.adapter.replies_to(person.user_id))
        await person.say("/evenements")
        shown = "\n".join(r.text for r in person.adapter.replies_to(person.user_id)[before:])
        assert "Inscrits" not in shown and "Cabinet Martin (" not in shown and "Les Restos de la Soie (" not in shown, shown


async def test_guard_no_registration_says_none(two_sides) -> None:  # type: ignore[no-untyped-def]
    app, alice, _ = two_sides
    await _publish(app, FORUM)
    marie = Person(app.runtime, alice.adapter, "marie")
    await marie.say("/evenements")
    assert "0 inscrit" in marie.text() and "Inscrits (" not in marie.text(), marie.text()


# ---------------------------------------------------------------- 3. a console reopened shows a waiting invitation once


@pytest.mark.parametrize("suggested", [True, False], ids=["after_a_suggestion", "alone"])
async def test_a_console_reopened_shows_a_waiting_invitation_once(db_path, territories, clock, suggested: bool) -> None:  # type: ignore[no-untyped-def]
    """While the console was closed, a suggestion then an invitation were queued for bob: reopened, the queue showed the
    invitation first (« 📌 1/2 ») and its own message went out after it, the same invitation again. Guard (``alone``):
    an invitation queued alone is shown once, with its choices, as before."""

    @dataclass
    class Console(RecordingAdapter):
        """What the app sees of a console: one person's window, input opened once pending messages are shown."""

        only_chat: str = "bob"

        def resume_input(self) -> None:
            pass

    async def opened(*adapters: RecordingAdapter) -> App:
        app = await App.open(Config(db=str(db_path)), adapters=list(adapters), territories=territories, clock=clock)
        app.run_jobs = False
        await app.start()
        return app

    console, others = Console(platform="mx"), RecordingAdapter(platform="tg")
    app = await opened(console, others)
    bob = Person(app.runtime, console, "bob")
    for step in ("/start", "Entreprise", "Cabinet Martin", "Lyon", "Oui"):
        await bob.say(step)
    await bob.tick("Emploi et insertion")
    await bob.say("mecenat@cabinet-martin.fr")
    await bob.press("Oui aux deux")
    await declare(bob, "/offre", "Du mécénat de compétences en comptabilité pour les associations.")
    await app.stop()  # the console closes at the menu

    others = RecordingAdapter(platform="tg")
    app = await opened(others)  # the bot, without the console: what is for bob waits in the outbox
    if suggested:
        carol = Person(app.runtime, others, "carol")
        for step in ("/start", "Association", "Les Restos de la Soie", "Villeurbanne", "Oui"):
            await carol.say(step)
        await carol.tick("Emploi et insertion")
        await carol.say("carol@example.org")
        await carol.press("Oui aux deux")
        await declare(carol, "/besoin", "Un coup de main pour la comptabilité de fin d'année.")
        await app.suggestion_round()
    await _publish(app, FORUM)
    await app.stop()

    reopened = Console(platform="mx")
    app = await opened(reopened)
    try:
        shown = reopened.replies_to("bob")
        assert sum(FORUM in reply.text for reply in shown) == 1, [r.text for r in shown]
        assert any(FORUM in reply.text and reply.choices for reply in shown), [r.text for r in shown]
        person = Person(app.runtime, reopened, "bob")
        await person.say("oui")  # the invitation shown is the question answered
        assert _statuses(app)[FORUM] == "registered", person.text()
        if suggested:
            assert SUGGESTION["fr"] in person.text(), person.text()  # then the suggestion, in its turn
    finally:
        await app.stop()
