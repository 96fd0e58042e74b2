"""Scheduled suggestions and double opt-in introductions, with a controllable clock."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from core.types import Reply
from services.suggestions import current_slot
from storage.suggestions import period_key
from tests.backends import connect, is_pg
from tests.core.people import Person, RecordingAdapter, deliver

pytestmark = pytest.mark.backends

MONDAY_11H_PARIS = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 11:00 in Paris


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def test_slots_and_periods() -> None:
    paris = "Europe/Paris"
    assert current_slot(datetime(2026, 11, 23, 8, 59, tzinfo=UTC), paris, "mon") == date(2026, 11, 16)  # 09:59 local
    assert current_slot(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), paris, "mon") == date(2026, 11, 23)  # 10:00 local
    assert current_slot(datetime(2026, 11, 26, 12, 0, tzinfo=UTC), paris, "thu") == date(2026, 11, 26)
    assert current_slot(datetime(2026, 11, 26, 12, 0, tzinfo=UTC), paris, "fri") == date(2026, 11, 20)
    assert period_key("weekly", date(2026, 11, 23)) == "weekly:2026-W48"
    fortnights = [period_key("biweekly", date(2026, 11, 16) + timedelta(weeks=n)) for n in range(6)]
    changes = [a != b for a, b in itertools.pairwise(fortnights)]
    assert changes in ([True, False, True, False, True], [False, True, False, True, False])  # every other week
    assert period_key("monthly", date(2026, 11, 2)) == period_key("monthly", date(2026, 11, 30)) == "monthly:2026-11"


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_11H_PARIS)


@pytest.fixture
async def two_sides(db_path: Path, territories, clock: Clock):
    """An association (alice, on 'tg') needing accounting help, a company (bob, on 'mx') offering it."""
    app, alice, bob = await open_two_sides(str(db_path), territories, clock)
    yield app, alice, bob
    await app.stop()


async def open_two_sides(db: str, territories, clock: Clock) -> tuple[App, Person, Person]:
    tg, mx = RecordingAdapter(platform="tg"), RecordingAdapter(platform="mx")
    app = await App.open(Config(db=db), adapters=[tg, mx], territories=territories, clock=clock)
    app.run_jobs = False
    await app.start()
    alice, bob = Person(app.runtime, tg, "alice"), Person(app.runtime, mx, "bob")
    await alice.onboard("Les Restos de la Soie", "Villeurbanne")
    await declare(alice, "/besoin", "Un coup de main pour la comptabilité de fin d'année.")
    await bob.say("/start")
    await bob.press("Entreprise")
    await bob.say("Cabinet Martin")
    await bob.say("Lyon")
    await bob.press("Oui")
    await bob.tick("Emploi et insertion")
    await bob.say("mecenat@cabinet-martin.fr")
    await bob.press("Oui aux deux")
    await declare(bob, "/offre", "Du mécénat de compétences en comptabilité pour les associations.")
    return app, alice, bob


async def declare(person: Person, command: str, text: str) -> None:
    await person.say(command)
    await person.press("Compétences")
    await person.press("Comptabilité")
    await person.say(text)
    await person.press(next(c.label for c in person.question.choices if c.value.startswith("epci:")))


def inbox(adapter: RecordingAdapter, chat: str) -> list[Reply]:
    return adapter.replies_to(chat)


def last_decision(adapter: RecordingAdapter, chat: str) -> Reply:
    return next(r for r in reversed(adapter.replies_to(chat)) if r.prompt_id and r.prompt_id[0].isupper())


async def press_decision(person: Person, reply: Reply, label: str) -> None:
    value = next(c.value for c in reply.choices if c.label == label)
    await person.send(person.incoming(choice=value, prompt_id=reply.prompt_id))


def count(app: App, sql: str) -> int:
    with connect(app.config.db) as conn:
        return int(conn.execute(sql).fetchone()[0])


async def introduction_asked(app: App, alice: Person) -> None:
    """The round suggests Cabinet Martin to alice, who presses "Me présenter": bob is asked."""
    await app.suggestion_round()
    await deliver(app)
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Me présenter")
    await deliver(app)


async def request_after_own_suggestion(bob: Person) -> Reply:
    """Bob is on his own suggestion about alice when her request arrives: it waits, not announced
    (his answer to that suggestion may settle it: tester, 1 December), until he answers; "Plus
    tard" puts his suggestion aside and the request comes."""
    last = inbox(bob.adapter, "bob")[-1]
    assert "Partenaire possible : Les Restos de la Soie" in last.text and "aimerait être mis en relation" not in last.text
    await press_decision(bob, last_decision(bob.adapter, "bob"), "Plus tard")
    return bob.question


async def test_yes_yes_introduces_both_with_their_contacts(two_sides) -> None:
    app, alice, bob = two_sides
    report = await app.suggestion_round()
    assert report.digests == 2 and len(report.suggestions) == 2
    await deliver(app)
    suggestion = last_decision(alice.adapter, "alice")
    assert "Cabinet Martin" in suggestion.text and "vous êtes tous deux dans la Métropole de Lyon" in suggestion.text
    assert "comptabilité" in suggestion.text
    assert [c.label for c in suggestion.choices] == ["Me présenter", "Pas intéressé", "Plus tard"]
    assert "mecenat@" not in suggestion.text  # no contact before both agree

    await press_decision(alice, suggestion, "Me présenter")
    assert "J'ai demandé à Cabinet Martin" in alice.text()
    await deliver(app)
    request = await request_after_own_suggestion(bob)
    assert request.prompt_id.startswith("I") and "Les Restos de la Soie" in request.text
    assert "@alice" not in request.text
    assert all("mecenat@" not in r.text for r in inbox(alice.adapter, "alice"))

    await press_decision(bob, request, "Oui, avec plaisir")
    assert "mise en relation acceptée" in bob.text().lower() and "@alice" in bob.text()
    await deliver(app)
    intro = inbox(alice.adapter, "alice")[-1]
    assert "mecenat@cabinet-martin.fr" in intro.text and intro.notice  # across platforms: tg ← mx
    assert count(app, "SELECT COUNT(*) FROM introductions WHERE status = 'accepted'") == 1


async def test_both_press_yes_on_their_own_suggestion(two_sides) -> None:
    app, alice, bob = two_sides
    await app.suggestion_round()
    await deliver(app)
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Me présenter")
    await press_decision(bob, next(r for r in inbox(bob.adapter, "bob") if r.prompt_id and r.prompt_id.startswith("S")), "Me présenter")
    assert "@alice" in bob.text()  # bob's yes completes alice's request
    assert count(app, "SELECT COUNT(*) FROM introductions") == 1


async def test_yes_no_tells_the_requester_and_shares_nothing(two_sides) -> None:
    app, alice, bob = two_sides
    await introduction_asked(app, alice)
    await press_decision(bob, await request_after_own_suggestion(bob), "Non merci")
    await deliver(app)
    assert "pas souhaité donner suite" in inbox(alice.adapter, "alice")[-1].text
    assert all("mecenat@" not in r.text for r in inbox(alice.adapter, "alice"))
    assert all("@alice" not in r.text for r in inbox(bob.adapter, "bob"))


async def test_no_answer_reminder_then_expiry(two_sides, clock: Clock) -> None:
    app, alice, bob = two_sides
    await introduction_asked(app, alice)
    asked = len(inbox(bob.adapter, "bob"))
    clock.advance(days=6)
    assert (await app.maintenance())["reminders"] == 0
    clock.advance(days=2)
    assert (await app.maintenance())["reminders"] == 1
    assert (await app.maintenance())["reminders"] == 0  # one reminder only
    await deliver(app)
    assert len(inbox(bob.adapter, "bob")) == asked + 1 and "rappel" in inbox(bob.adapter, "bob")[-1].text.lower()
    clock.advance(days=8)
    assert (await app.maintenance())["expired"] == 1
    await deliver(app)
    assert "a expiré" in inbox(alice.adapter, "alice")[-1].text
    await bob.send(bob.incoming(choice="accept", prompt_id="I1"))  # a button of the expired request
    assert "n'est plus d'actualité" in bob.text()


async def test_follow_up_after_three_weeks(two_sides, clock: Clock) -> None:
    app, alice, bob = two_sides
    await introduction_asked(app, alice)
    await press_decision(bob, await request_after_own_suggestion(bob), "Oui, avec plaisir")
    clock.advance(days=20)
    assert (await app.maintenance())["followups"] == 0
    clock.advance(days=2)
    assert (await app.maintenance())["followups"] == 1
    await deliver(app)
    question = last_decision(alice.adapter, "alice")
    assert "Est-ce que cela a donné quelque chose" in question.text
    await press_decision(alice, question, "Un partenariat est lancé")
    await alice.say("1")  # typed answer to bob's... no: alice has nothing pending, this is the menu
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT requester_outcome, invitee_outcome FROM introductions").fetchone() == ("launched", None)


async def test_rounds_never_repeat_and_respect_frequency(two_sides, clock: Clock) -> None:
    app, alice, bob = two_sides
    assert (await app.suggestion_round()).digests == 2
    assert (await app.suggestion_round()).digests == 0  # same period: never twice
    await deliver(app)  # the digests go out before bob opens the settings
    await bob.say("/reglages")
    await bob.press("Fréquence des suggestions")
    await bob.press("chaque mois")
    clock.advance(days=7)
    report = await app.suggestion_round()
    assert report.digests == 1  # alice weekly; bob monthly, November already done
    assert report.suggestions == []  # the pair was suggested less than 12 weeks ago
    await alice.say("/pause")
    clock.advance(days=7)
    assert (await app.suggestion_round()).due == 0


async def test_suggestions_command_and_typed_answers(two_sides) -> None:
    app, alice, bob = two_sides
    await alice.say("/suggestions")
    assert "Pas de suggestion en attente" in alice.text()
    await app.suggestion_round()
    await deliver(app)
    await alice.say("3")  # typed: "Plus tard" on the suggestion shown
    assert "retrouvez-la avec /suggestions" in alice.text()
    await alice.say("/suggestions")
    assert "1 suggestion en attente" in alice.text() and "Cabinet Martin" in alice.text()
    await alice.say("9")
    assert "entre 1 et 3" in alice.text()
    await alice.say("2")
    assert "je ne vous proposerai plus Cabinet Martin" in alice.text()


async def test_a_declined_pair_stays_excluded_but_not_every_pairing_with_that_actor(two_sides, clock: Clock) -> None:
    """Issue: "declined pairs stay excluded". "Pas intéressé" on Cabinet Martin's offer for
    alice's need excludes that need ↔ that offer, either way, for good; a new offer of the same
    company may be suggested once the pair is no longer recent (12 weeks)."""
    app, alice, bob = two_sides
    await app.suggestion_round()
    await deliver(app)
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Pas intéressé")
    assert "je ne vous proposerai plus Cabinet Martin pour cette annonce" in alice.text()
    declined = pairs_of(app, "status = 'declined'")
    assert len(declined) == 1
    first_round = count(app, "SELECT MAX(id) FROM suggestions")
    await declare(bob, "/offre", "Un expert-comptable bénévole pour la clôture des comptes des associations.")
    clock.advance(weeks=12, days=2)  # both first listings still open (three months)
    report = await app.suggestion_round()
    again = pairs_of(app, f"id > {first_round}")
    assert declined.isdisjoint(again) and {(b, a) for a, b in declined}.isdisjoint(again)  # never that pair again
    assert any(s.actor == "Les Restos de la Soie" and s.other == "Cabinet Martin" for s in report.suggestions), report.suggestions


async def test_declines_are_remembered_by_pair_of_listings_and_theme_pairs_by_actors(db_path: Path) -> None:
    """What a round reads (:func:`storage.suggestions.history`) and what "Plus tard" keeps: a
    need ↔ offer suggestion declined excludes that pair of listings; a theme pair, or an
    introduction declined (whichever way it was started, :mod:`storage.pairs`), the actors."""
    from storage import suggestions as store
    from storage.database import open_database

    stamp = "2026-11-20T08:00:00+00:00"

    def fill(conn) -> None:
        for actor in (1, 2, 3, 4):
            conn.execute(
                "INSERT INTO actors (id, kind, name, commune_code, place, created_at, updated_at)"
                " VALUES (?, 'association', 'A', '69266', '{}', ?, ?)",
                (actor, stamp, stamp),
            )
        for listing, actor, kind in (
            (10, 1, "need"),
            (11, 1, "need"),
            (20, 2, "offer"),
            (21, 2, "offer"),
            (30, 3, "offer"),
            (31, 3, "offer"),
        ):
            conn.execute(
                "INSERT INTO listings (id, actor_id, kind, category, description, zone_kind, zone_code, zone_label, expires_at,"
                " created_at, updated_at) VALUES (?, ?, ?, 'competences', 'x', 'commune', '69266', 'V', '2027-01-01', ?, ?)",
                (listing, actor, kind, stamp, stamp),
            )
        rows = (  # id, actor, other, kind, mine, theirs, status
            (1, 1, 2, "need_offer", 10, 20, "later"),  # its pair declined by the other side below: dropped
            (2, 1, 2, "need_offer", 11, 21, "later"),  # another pair of the same actors: proposed again
            (3, 2, 1, "offer_need", 20, 10, "declined"),
            (4, 1, 3, "need_offer", 10, 30, "accepted"),  # the introduction it led to is declined below
            (5, 1, 3, "need_offer", 11, 31, "later"),  # another pair, but the two actors' introduction was declined: dropped
            (6, 1, 4, "theme", None, None, "declined"),  # a theme pair: the two actors
            (7, 4, 1, "need_offer", None, None, "later"),  # dropped with it
        )
        for row in rows:
            conn.execute(
                "INSERT INTO suggestions (id, actor_id, other_id, kind, my_listing_id, their_listing_id, score, explanation, status,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, 0.5, '[]', ?, ?)",
                (*row, stamp),
            )
        conn.execute(
            "INSERT INTO introductions (requester_id, invitee_id, suggestion_id, status, created_at) VALUES (1, 3, 4, 'declined', ?)",
            (stamp,),
        )
        conn.execute("INSERT INTO introductions (requester_id, invitee_id, status, created_at) VALUES (2, 3, 'declined', ?)", (stamp,))

    async with open_database(db_path) as db:
        await db.transaction(fill)
        found = await db.run(lambda conn: store.history(conn, datetime(2026, 11, 1, tzinfo=UTC)))
        assert set(found.declined_listings) == {(20, 10)}
        assert set(found.declined) == {(1, 4), (1, 3), (2, 3)}
        again = await db.transaction(lambda conn: store.settle_put_aside_among(conn, [1, 4], stamp))
        assert again == {1: [2]}


def pairs_of(app: App, where: str) -> set[tuple[int, int]]:
    """(my listing, their listing) of the suggestions matching ``where``."""
    with connect(app.config.db) as conn:
        return {(row[0], row[1]) for row in conn.execute(f"SELECT my_listing_id, their_listing_id FROM suggestions WHERE {where}")}


async def test_catch_up_at_start_sends_a_missed_digest_once(db_path: Path, territories, clock: Clock) -> None:
    adapter = RecordingAdapter()
    app = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories, clock=clock)
    app.run_jobs = False
    await app.start()
    for name, kind in (("alice", "Association"), ("bob", "Entreprise")):
        await Person(app.runtime, adapter, name).onboard(f"Structure {name}", kind=kind, themes=("Alimentation",))
    await app.stop()  # the bot is down at Monday 10:00

    clock.advance(days=1)
    adapter = RecordingAdapter()
    app = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories, clock=clock)
    await app.start()  # jobs on: the catch-up runs at start
    for task in list(app._tasks):  # noqa: SLF001
        await task
    await deliver(app)
    assert any("Structure bob" in r.text for r in adapter.replies_to("alice"))
    await app.stop()
    app = await App.open(Config(db=str(db_path)), adapters=[RecordingAdapter()], territories=territories, clock=clock)
    assert (await app.suggestion_round()).digests == 0
    await app.stop()


async def test_blocked_recipient_is_marked_unreachable_by_the_outbox(two_sides) -> None:
    app, alice, bob = two_sides
    alice.adapter.blocked.add("alice")
    bob.adapter.flaky["bob"] = 1
    await app.suggestion_round()
    await deliver(app)
    assert count(app, "SELECT unreachable FROM actors WHERE name = 'Les Restos de la Soie'") == 1
    await deliver(app)  # bob's 429 is retried
    assert any(r.prompt_id and r.prompt_id.startswith("S") for r in inbox(bob.adapter, "bob"))


async def test_my_data_includes_suggestions_and_introductions(two_sides) -> None:
    import json

    app, alice, bob = two_sides
    await app.suggestion_round()
    await deliver(app)
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Me présenter")
    await alice.say("/mesdonnees")
    document = json.loads(next(r.attachment for r in alice.last if r.attachment).data)
    assert [i["platform"] for i in document["identities"]] == ["tg"]
    assert {s["status"] for s in document["suggestions"]} >= {"accepted"}
    assert document["introductions"][0]["status"] == "asked"
    assert len(document["digests"]) == 1


async def test_a_round_writes_in_small_transactions_between_conversations(two_sides, monkeypatch) -> None:
    """The round never holds the writer for all its digests: a step gets in between.

    Nothing is timed (robust to the machine's load): the order is the engine's, never the threads'
    scheduling. SQLite has one writer: the step queued while the first chunk is written runs
    before the next chunk and sees the first one committed. PostgreSQL writes on several
    connections: the step runs while the first chunk is still open (the chunk waits for it,
    bounded: a step blocked by the round would fail the wait) and sees nothing of it yet."""
    import asyncio
    import threading

    import services.suggestions
    from storage import identities
    from storage import suggestions as suggestion_store

    app, alice, bob = two_sides
    carol = Person(app.runtime, alice.adapter, "carol")
    monkeypatch.setattr(services.suggestions, "WRITE_CHUNK", 1, raising=False)
    order: list[str] = []
    committed_at_step: list[int] = []
    stepped = threading.Event()
    several_writers = is_pg(app.config.db)
    loop = asyncio.get_running_loop()
    pending: list[asyncio.Future[object]] = []
    record_digests, mark_processed = suggestion_store.record_digests, identities.mark_processed

    def digest(conn, periods, now):  # runs on a database thread
        first = not order
        order.append("digest")  # recorded before carol's step can start
        if first:  # carol writes while the first digest is being stored
            pending.append(asyncio.run_coroutine_threadsafe(carol.say("/aide"), loop))
            if several_writers:  # her step, on another connection, does not wait for this chunk
                assert stepped.wait(60), "a step waited for the round's chunk"
        return record_digests(conn, periods, now)

    def step(conn, platform, event_id, now):
        order.append("step")
        result = mark_processed(conn, platform, event_id, now)
        committed_at_step.append(int(conn.execute("SELECT COUNT(*) FROM digests").fetchone()[0]))
        stepped.set()
        return result

    monkeypatch.setattr(suggestion_store, "record_digests", digest)
    monkeypatch.setattr(identities, "mark_processed", step)
    report = await app.suggestion_round()
    await asyncio.wrap_future(pending[0])
    assert report.digests == 2
    assert order == ["digest", "step", "digest"]
    assert committed_at_step == ([0] if several_writers else [1])  # SQLite: the first chunk was committed on its own
    assert "/profil" in carol.text()


class CountingConnection:
    """A connection that counts the statements sent through it (both engines)."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.statements = 0

    def execute(self, *args):
        self.statements += 1
        return self.conn.execute(*args)

    def executemany(self, *args):
        self.statements += 1
        return self.conn.executemany(*args)

    def __getattr__(self, name):
        return getattr(self.conn, name)


async def test_a_chunk_of_digests_is_a_few_statements_whatever_its_size(two_sides, monkeypatch) -> None:
    """A chunk is written on the single writer between people's steps: one statement per kind of
    row for all its actors (≈1.5 ms of writer per actor when each digest, suggestion, contact
    and message had its own statements), and its commit does not wait for the disk."""
    import services.suggestions

    app, alice, bob = two_sides
    write, counted, transactions = services.suggestions._write_chunk, [], []

    def counting(conn, **kwargs):
        counter = CountingConnection(conn)
        write(counter, **kwargs)
        counted.append((len(kwargs["chunk"]), counter.statements))

    transaction = app.db.transaction

    async def recording(fn, **kwargs):
        transactions.append(kwargs)
        return await transaction(fn, **kwargs)

    monkeypatch.setattr(services.suggestions, "_write_chunk", counting)
    monkeypatch.setattr(app.db, "transaction", recording)
    report = await app.suggestion_round()
    assert report.digests == 2 and len(report.suggestions) == 2
    assert counted[0][0] == 2  # both actors in one chunk
    assert counted[0][1] <= 10  # eligible, suggestible, listings, digests, put aside, contacts, suggestions, questions, messages, mentions
    assert {"background": True, "durable": False} in transactions
    await deliver(app)
    assert any(r.prompt_id and r.prompt_id.startswith("S") for r in inbox(alice.adapter, "alice"))
    assert any(r.prompt_id and r.prompt_id.startswith("S") for r in inbox(bob.adapter, "bob"))


async def test_a_round_skips_who_left_after_its_snapshot(two_sides, monkeypatch) -> None:
    """The snapshot is read in another process: whoever leaves meanwhile is left out, nothing fails."""
    import services.suggestions

    app, alice, bob = two_sides
    compute = services.suggestions.compute_round

    async def then_bob_leaves(job):
        result = await compute(job)
        await bob.say("/supprimer")
        await bob.press(bob.question.choices[0].label)
        return result

    monkeypatch.setattr(services.suggestions, "compute_round", then_bob_leaves)
    report = await app.suggestion_round()
    assert report.due == 2 and report.digests == 1 and report.suggestions == []
    assert count(app, "SELECT COUNT(*) FROM actors") == 1
    await deliver(app)
    assert not any(r.prompt_id and r.prompt_id.startswith("S") for r in inbox(alice.adapter, "alice"))


async def test_a_round_on_an_in_memory_database(territories, clock: Clock) -> None:
    """No other process can read an in-memory database: the round reads it on the writer and matches in a thread."""
    app, alice, bob = await open_two_sides(":memory:", territories, clock)
    try:
        report = await app.suggestion_round()
        assert report.digests == 2 and len(report.suggestions) == 2
        await deliver(app)
        assert "Cabinet Martin" in last_decision(alice.adapter, "alice").text
    finally:
        await app.stop()


async def test_a_volunteer_need_with_no_answer_is_told_so_once_per_period(db_path: Path, territories, clock: Clock) -> None:
    """Issue 11: an association's volunteer need got no suggestion, and nothing told her."""
    tg = RecordingAdapter(platform="tg")
    app = await App.open(Config(db=str(db_path)), adapters=[tg], territories=territories, clock=clock)
    app.run_jobs = False
    await app.start()
    try:
        alice = Person(app.runtime, tg, "alice")
        await alice.onboard("Les Tables du Cœur", "Villeurbanne")
        await alice.say("/besoin")
        await alice.press("Bénévoles")
        await alice.say("Des bénévoles pour la distribution du mercredi soir.")
        await alice.press(next(c.label for c in alice.question.choices if c.value.startswith("epci:")))
        report = await app.suggestion_round()
        assert report.digests == 1 and not report.suggestions and len(report.nothing) == 1
        await deliver(app)
        told = [r.text for r in inbox(tg, "alice") if r.text.startswith("Pas de suggestion cette fois")]
        assert len(told) == 1
        assert (
            "aucune offre qui réponde vraiment à ce que vous cherchez (« Des bénévoles pour la distribution du mercredi soir. »)" in told[0]
        )
        assert "Métropole de Lyon" in told[0] and "/annonces" in told[0]
        again = await app.suggestion_round()  # same period: not said twice
        assert again.digests == 0 and not again.nothing
    finally:
        await app.stop()


async def declare_material(person: Person, command: str, text: str) -> None:
    await person.say(command)
    await person.press("Matériel")
    await person.say(text)
    await person.press(next(c.label for c in person.question.choices if c.value.startswith("epci:")))


async def test_a_strong_new_offer_reaches_the_need_owner_before_the_digest(db_path: Path, territories, clock: Clock) -> None:
    tg, mx = RecordingAdapter(platform="tg"), RecordingAdapter(platform="mx")
    app = await App.open(Config(db=str(db_path)), adapters=[tg, mx], territories=territories, clock=clock)
    app.run_jobs = False
    await app.start()
    try:
        alice, bob = Person(app.runtime, tg, "alice"), Person(app.runtime, mx, "bob")
        await alice.onboard("Épicerie de la Soie", "Villeurbanne")
        await declare_material(alice, "/besoin", "Un réfrigérateur professionnel pour garder les produits frais de l'épicerie.")
        assert (await app.early_alerts()).digests == 0  # no offer yet
        await bob.onboard("Restaurant du Parc", "Lyon")
        clock.advance(minutes=5)
        await declare_material(bob, "/offre", "Nous donnons deux réfrigérateurs professionnels suite à la rénovation de notre cuisine.")
        clock.advance(minutes=15)
        report = await app.early_alerts()
        assert report.digests == 1 and report.suggestions[0].actor == "Épicerie de la Soie"
        await deliver(app)
        texts = [r.text for r in inbox(tg, "alice")]
        assert any(t.startswith("Une offre vient de paraître qui répond bien à votre besoin") for t in texts)
        assert "réfrigérateurs professionnels" in last_decision(tg, "alice").text

        # At most once a week; and /reglages turns it off.
        await declare_material(bob, "/offre", "Un congélateur coffre en bon état à céder.")
        clock.advance(minutes=15)
        assert (await app.early_alerts()).digests == 0
        await alice.say("/reglages")
        await alice.press("Alertes : une offre qui répond à mon besoin")
        await alice.press("Non, j'attends mes suggestions")
        clock.advance(days=8)
        carol = Person(app.runtime, mx, "carol")  # another company: bob's pair is already suggested
        await carol.onboard("Traiteur des Halles", "Lyon")
        await declare_material(carol, "/offre", "Nous donnons un réfrigérateur professionnel inox, en parfait état.")
        clock.advance(minutes=15)
        assert (await app.early_alerts()).digests == 0
    finally:
        await app.stop()


async def test_a_rounds_records_share_their_repeated_values(two_sides) -> None:
    """1M listings repeat a few statuses, kinds, zones, theme sets and days: each distinct value
    is one object in the round's records (≈1 KiB per listing record when each row had its own)."""
    from storage import suggestions as suggestion_store

    app, alice, bob = two_sides
    listings = await app.db.read(suggestion_store.listing_records)
    assert len(listings) == 2 and {l.kind for l in listings} == {"need", "offer"}
    assert listings[0].status == "open" and listings[0].status is listings[1].status
    assert listings[0].created_at == listings[1].created_at and listings[0].created_at is listings[1].created_at
    actors = await app.db.read(lambda conn: suggestion_store.actor_records(conn, app.runtime.territories))
    assert {a.commune_name for a in actors} == {"Villeurbanne", "Lyon"}
    assert actors[0].departement_code == actors[1].departement_code == "69"
    assert actors[0].departement_code is actors[1].departement_code


async def test_a_chunks_recipients_are_whom_contact_names(two_sides) -> None:
    """The digest's recipients read for a whole chunk at once are those :func:`contact` names
    one by one: the reachable identity with the most recent session."""
    from storage import introductions as intro_store

    app, alice, bob = two_sides

    def arrange(conn) -> int:
        actor_id = conn.execute("SELECT actor_id FROM identities WHERE user_id = 'alice'").fetchone()[0]
        for platform, user, stamp in (("mx", "alice-mx", "2099-01-01T00:00:00+00:00"), ("xx", "alice-x", "2099-06-01T00:00:00+00:00")):
            conn.execute(
                "INSERT INTO identities (platform, user_id, chat_id, actor_id, created_at) VALUES (?, ?, ?, ?, ?)",
                (platform, user, user, actor_id, "2026-01-01T00:00:00+00:00"),
            )
            conn.execute("INSERT INTO sessions (platform, user_id, state, updated_at) VALUES (?, ?, '{}', ?)", (platform, user, stamp))
        conn.execute("UPDATE identities SET unreachable = TRUE WHERE user_id = 'alice-x'")
        return int(actor_id)

    alice_id = await app.db.transaction(arrange)
    ids = await app.db.read(lambda conn: [int(row[0]) for row in conn.execute("SELECT id FROM actors ORDER BY id")])
    found = await app.db.read(lambda conn: intro_store.recipients(conn, [*ids, 999_999]))
    contacts = await app.db.read(lambda conn: {i: intro_store.contact(conn, i) for i in ids})
    assert set(found) == set(ids)
    assert (found[alice_id].platform, found[alice_id].chat_id) == ("mx", "alice-mx")
    for actor_id, contact in contacts.items():
        assert contact is not None
        assert (found[actor_id].name, found[actor_id].language, found[actor_id].platform, found[actor_id].chat_id) == (
            contact.name,
            contact.language,
            contact.platform,
            contact.chat_id,
        )


async def test_a_round_loads_the_embedding_model_off_the_event_loop(two_sides, monkeypatch) -> None:
    """Loading the model takes seconds: on the event loop it stopped every conversation at the
    start of a round. It is loaded in a worker thread, and not at all when nothing is queued."""
    import threading

    import services.embeddings

    app, alice, bob = two_sides
    load, on_loop = services.embeddings.embedder, []

    def recording():
        on_loop.append(threading.current_thread() is threading.main_thread())
        return load()

    monkeypatch.setattr(services.embeddings, "embedder", recording)
    await app.suggestion_round()  # the two listings and profiles are queued (no background worker here)
    assert on_loop == [False]
    await app.suggestion_round(force=True)  # nothing queued any more
    assert on_loop == [False]


async def test_a_theme_suggestion_shows_what_the_other_side_needs_and_offers(two_sides) -> None:
    """New-user trial 30/11/2026 (#4): the food-aid grocery was told about a bakery "sur le même
    thème" without a word about its unsold bread. The digest's question (and /suggestions, read
    again from storage) lists the other side's open listings, as /annuaire does."""
    app, alice, bob = two_sides
    carol = Person(app.runtime, alice.adapter, "carol")
    await carol.onboard("Épicerie du Tonkin", "Villeurbanne")  # same themes, same commune as alice
    await carol.say("/offre")
    await carol.press("Matériel")
    await carol.say("Des cagettes de légumes invendus chaque vendredi.")
    await carol.press(carol.question.choices[0].label)
    report = await app.suggestion_round()
    told = next(s for s in report.suggestions if s.actor == "Les Restos de la Soie" and s.other == "Épicerie du Tonkin")
    assert "Pourquoi : vous agissez tous deux pour l'alimentation et l'environnement à Villeurbanne" in told.text
    assert "Leurs annonces :\n• Offre — Matériel : Des cagettes de légumes invendus chaque vendredi." in told.text
    assert "pas de besoin" not in told.text
    back = next(s for s in report.suggestions if s.actor == "Épicerie du Tonkin")
    assert "• Besoin — Compétences (Comptabilité) : Un coup de main pour la comptabilité" in back.text  # keep5: with its skill
    await deliver(app)
    await alice.say("/suggestions")  # read again from storage: the need ↔ offer pair first, then this one
    await press_decision(alice, last_decision(alice.adapter, "alice"), "Plus tard")
    shown = last_decision(alice.adapter, "alice")
    assert "Épicerie du Tonkin" in shown.text and "• Offre — Matériel : Des cagettes de légumes invendus" in shown.text
