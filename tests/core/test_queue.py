"""One pending question at a time: the scenarios of issue 10 ("Answers land on the wrong
question", "After a restart…") and "Plus tard" expiring at the next digest (issue 11)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.console import ConsoleAdapter
from bot.app import App
from bot.config import Config
from core.types import Reply
from tests.backends import connect, is_pg
from tests.core.people import Person, RecordingAdapter
from tests.core.test_suggestions import MONDAY_11H_PARIS, Clock, declare, deliver

pytestmark = pytest.mark.backends

COMPANIES = ("Cabinet Martin", "Fiduciaire Dupuis", "Compta Solidaire")


def decisions(replies: list[Reply]) -> list[Reply]:
    """The questions asked outside a flow (suggestions, requests…), by their token."""
    return [r for r in replies if r.prompt_id and r.prompt_id[0].isupper() and r.choices]


def status_of(app: App, name: str) -> str:
    with connect(app.config.db) as conn:
        row = conn.execute(
            "SELECT s.status FROM suggestions s JOIN actors a ON a.id = s.other_id "
            "JOIN actors me ON me.id = s.actor_id WHERE a.name = ? AND me.name = 'Les Restos de la Soie'",
            (name,),
        ).fetchone()
    return row[0]


async def company(person: Person, name: str) -> None:
    await person.say("/start")
    await person.press("Entreprise")
    await person.say(name)
    await person.say("Lyon")
    await person.press("Oui")
    await person.tick("Emploi et insertion")
    await person.press(person.question.choices[0].label)
    await person.press("Oui aux deux")
    await declare(person, "/offre", "Du mécénat de compétences en comptabilité pour les associations.")


async def make_network(app: App, adapter: RecordingAdapter, companies: tuple[str, ...]) -> Person:
    alice = Person(app.runtime, adapter, "alice")
    await alice.onboard("Les Restos de la Soie", "Villeurbanne")
    await declare(alice, "/besoin", "Un coup de main pour la comptabilité de fin d'année.")
    for index, name in enumerate(companies):
        await company(Person(app.runtime, adapter, f"company{index}"), name)
    return alice


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_11H_PARIS)


@contextlib.asynccontextmanager
async def opened_network(db_path: Path, territories, clock: Clock, companies: tuple[str, ...]) -> AsyncIterator[tuple[App, Person]]:
    """The app (jobs off) with an association needing accounting help and ``companies`` offering it."""
    adapter = RecordingAdapter(platform="tg")
    app = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories, clock=clock)
    app.run_jobs = False
    await app.start()
    try:
        yield app, await make_network(app, adapter, companies)
    finally:
        await app.stop()


@pytest.fixture
async def network(db_path: Path, territories, clock: Clock) -> AsyncIterator[tuple[App, Person]]:
    """An association needing accounting help and three companies offering it."""
    async with opened_network(db_path, territories, clock, COMPANIES) as opened:
        yield opened


@pytest.fixture
async def one_company(db_path: Path, territories, clock: Clock) -> AsyncIterator[tuple[App, Person, Person]]:
    """The same association and one company offering it (bob, ``company0``)."""
    async with opened_network(db_path, territories, clock, COMPANIES[:1]) as (app, alice):
        yield app, alice, Person(app.runtime, alice.adapter, "company0")


def received_since(person: Person, before: int) -> list[Reply]:
    return [reply for chat, reply in person.adapter.sent[before:] if chat == person.user_id]


async def test_a_number_answers_the_suggestion_once_an_abandoned_listings_menu_is_closed(network, clock: Clock) -> None:
    """Issue 10, "wrong question" 1: left in /annonces, a digest arrived, "2" went to the old menu."""
    app, alice = network
    await alice.say("/annonces")
    assert alice.question.prompt_id and alice.question.prompt_id[0].islower()
    clock.advance(hours=5)  # she left it there
    await app.suggestion_round()
    before = len(alice.adapter.sent)
    await deliver(app)
    shown = decisions(received_since(alice, before))
    assert len(shown) == 1  # one question at a time, the one she now sees last
    name = next(n for n in COMPANIES if n in shown[0].text)
    await alice.say("2")
    assert f"je ne vous proposerai plus {name}" in alice.text()
    assert status_of(app, name) == "declined"


async def test_a_digest_waits_while_a_flow_is_being_answered(network) -> None:
    """A new item never replaces the question a person is answering: it waits, and comes after."""
    app, alice = network
    await alice.say("/besoin")
    await alice.press("Compétences")
    await app.suggestion_round()
    before = len(alice.adapter.sent)
    await deliver(app)
    arrived = received_since(alice, before)
    assert decisions(arrived) == []  # no buttons that a typed number could be mistaken for
    assert any("En attente" in reply.text for reply in arrived), arrived  # but she is told something waits
    await alice.press("Comptabilité")  # the flow goes on: the answer lands on its own question
    await alice.say("Relire nos comptes annuels avant l'assemblée générale.")
    await alice.press(next(c.label for c in alice.question.choices if c.value.startswith("epci:")))
    assert "Votre besoin est enregistré" in alice.text()
    assert alice.question.prompt_id.startswith("S")  # then the first waiting question
    assert alice.question.text.splitlines()[0].startswith("📌 1/3")


async def test_stacked_suggestions_are_asked_one_at_a_time_and_say_which(network) -> None:
    """Issue 10, "wrong question" 2: three suggestions with the same 1/2/3 stacked."""
    app, alice = network
    await app.suggestion_round()
    before = len(alice.adapter.sent)
    await deliver(app)
    shown = decisions(received_since(alice, before))
    assert len(shown) == 1
    first_line = shown[0].text.splitlines()[0]
    assert first_line.startswith("📌 1/3") and "Partenaire possible" in first_line
    first = next(n for n in COMPANIES if n in first_line)
    await alice.say("1")
    assert f"J'ai demandé à {first}" in alice.text()
    second_line = alice.question.text.splitlines()[0]
    assert second_line.startswith("📌 2/3") and first not in second_line  # the next one, numbered
    second = next(n for n in COMPANIES if n in second_line)
    await alice.say("2")
    assert f"je ne vous proposerai plus {second}" in alice.text()
    assert status_of(app, first) == "accepted" and status_of(app, second) == "declined"


async def test_later_is_not_shown_again_before_the_next_digest_then_once(network, clock: Clock) -> None:
    """Issue 10, "wrong question" 4 and issue 11 item 4: "Plus tard" expires at the next digest."""
    app, alice = network
    await app.suggestion_round()
    before = len(alice.adapter.sent)
    await deliver(app)
    first = next(n for n in COMPANIES if n in decisions(received_since(alice, before))[-1].text.splitlines()[0])
    await alice.say("3")  # Plus tard
    assert "retrouvez-la avec /suggestions" in alice.text()
    await alice.say("2")
    await alice.say("2")
    assert all(first not in reply.text for reply in alice.last)  # not shown again right after
    assert alice.question.prompt_id[0].islower()  # the menu: nothing else waits
    assert status_of(app, first) == "later"

    clock.advance(days=7)
    await app.suggestion_round()
    before = len(alice.adapter.sent)
    await deliver(app)
    assert any(first in reply.text for reply in decisions(received_since(alice, before)))  # re-proposed once
    await alice.say("3")
    clock.advance(days=7)
    await app.suggestion_round()
    before = len(alice.adapter.sent)
    await deliver(app)
    assert all(first not in reply.text for reply in received_since(alice, before))
    assert status_of(app, first) == "expired"  # dropped at the second digest
    await alice.say("/suggestions")
    assert first not in alice.text()


async def test_suggest_counts_a_suggestion_proposed_again_after_later(
    one_company, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    """Tester, 1 December: ``traitdunion suggest --now`` printed « suggestions envoyées : 0 » when
    the only thing sent was a suggestion put aside with "Plus tard" and proposed again. The summary
    counts what is really sent: the suggestion proposed again has its own line, and is listed."""
    from bot.cli import print_round

    app, alice, _ = one_company
    await app.suggestion_round()
    await deliver(app)
    await alice.say("3")  # Plus tard
    assert status_of(app, COMPANIES[0]) == "later"
    clock.advance(days=7)
    report = await app.suggestion_round()
    assert report.suggestions == []  # nothing new: bob was proposed already
    assert [s.other for s in report.reproposed] == [COMPANIES[0]]
    before = len(alice.adapter.sent)
    await deliver(app)
    assert any(COMPANIES[0] in reply.text for reply in decisions(received_since(alice, before)))  # really sent
    capsys.readouterr()
    print_round(report, "fr", dry_run=False)
    out = capsys.readouterr().out
    assert "suggestions envoyées : 0" in out and "proposées à nouveau : 1." in out, out
    assert f"← {COMPANIES[0]} (proposée à nouveau)" in out and "Les messages sont dans la file d'envoi" in out, out
    print_round(report, "en", dry_run=False)
    assert "Suggestions set aside with “Later” and proposed again: 1." in capsys.readouterr().out


@pytest.mark.parametrize("answer", ["1", "2"])
async def test_a_request_about_the_pair_being_answered_is_not_announced(one_company, answer: str) -> None:
    """Tester, 1 December: alice asked to meet bob while bob was on his own suggestion about her;
    bob got « 📬 En attente : … aimerait être mis en relation avec vous » and, on his "1", « 🎉
    Mise en relation acceptée des deux côtés ! ». His answer settles the request: it is not
    announced. Accepted, it never comes; declined (his suggestion: « Pas intéressé » about the same
    need and offer), it never comes either (safety trial, 1 December: a declined pair never reaches
    the side that declined it as a request) and alice hears kindly that bob did not follow up."""
    app, alice, bob = one_company
    await app.suggestion_round()
    await deliver(app)
    shown = alice.adapter.replies_to("company0")[-1]
    assert shown.prompt_id is not None and "Partenaire possible : Les Restos de la Soie" in shown.text  # bob's suggestion about alice
    await alice.say("1")  # alice asks to be introduced to bob
    before = len(alice.adapter.replies_to("company0"))
    await deliver(app)
    assert all("En attente" not in r.text for r in alice.adapter.replies_to("company0")[before:])
    await bob.say(answer)
    await deliver(app)
    said = [r.text for r in alice.adapter.replies_to("company0")[before:]] + [r.text for r in bob.last]
    if answer == "1":
        assert any("Mise en relation acceptée des deux côtés" in t for t in said), said
        assert not any("aimerait être mis en relation" in t for t in said), said
    else:
        assert not any("aimerait être mis en relation avec vous" in t for t in said), said
        assert any("n'a pas souhaité donner suite" in r.text for r in alice.adapter.replies_to("alice")), said


async def test_a_suggestion_resolved_by_the_reciprocal_introduction_leaves_the_queue(one_company) -> None:
    """Issue 10, "wrong question" 4: shown again after the introduction succeeded, and its "1" failed."""
    app, alice, bob = one_company
    adapter = alice.adapter
    await app.suggestion_round()
    await deliver(app)
    await alice.say("1")  # alice asks to be introduced to bob
    await deliver(app)
    await bob.say("1")  # bob says yes to what he sees last (his own suggestion, or alice's request)
    assert "Mise en relation acceptée" in bob.text()
    before = len(adapter.sent)
    await deliver(app)
    after = [*bob.last, *received_since(bob, before)]
    assert all(reply.prompt_id is None or not reply.prompt_id.startswith(("S", "I")) for reply in after)
    await bob.say("1")
    assert "Cette proposition n'est plus d'actualité" not in bob.text()  # "1" is the menu's first entry


async def test_signed_with_the_coordinators_organisation(db_path: Path, territories) -> None:
    """Calls and introductions by a coordinator carry their organisation's name, not only the territory."""
    from core.clock import iso, utcnow
    from storage import coordination
    from tests.core.test_coordination import VILLEURBANNE, broadcast, onboard

    adapter = RecordingAdapter()
    app = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories)
    app.run_jobs = False
    await app.start()
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "marie", VILLEURBANNE, "test:admin", iso(utcnow())))
    marie, asso = Person(app.runtime, adapter, "marie"), Person(app.runtime, adapter, "asso")
    await onboard(marie, "Maison des associations de Villeurbanne", "Villeurbanne")
    await onboard(asso, "Asso du Tonkin", "Villeurbanne")
    await broadcast(marie, "Qui vient au forum ?", "Un bouton « Intéressé·e »")
    await marie.press("Envoyer")
    await deliver(app)
    call = next(r for r in adapter.replies_to("asso") if r.prompt_id and r.prompt_id.startswith("B"))
    assert call.text.startswith("📣 Appel de Maison des associations de Villeurbanne")
    await app.stop()


# ---------------------------------------------------------------- console windows and restarts


def _files_dir(db_path: Path | str) -> Path:
    """Where the console writes files: beside the SQLite file, a temporary folder with PostgreSQL."""
    return Path(tempfile.mkdtemp(prefix="tdu-console-")) if is_pg(db_path) else Path(db_path).parent


class Window:
    """A console chat (``traitdunion chat --user NAME``) run in this process, fed through a pipe."""

    def __init__(self, app: App, adapter: ConsoleAdapter, writer: io.TextIOWrapper, out: io.StringIO) -> None:
        self.app, self.adapter, self.writer, self.out = app, adapter, writer, out

    @classmethod
    async def open(cls, db_path: Path, territories, clock: Clock, user: str, sends_in_background: bool = True) -> Window:
        """``sends_in_background=False``: the window's outbox worker is stopped once started. Two windows of one
        process share its worker id, so each could take over the message the other is sending."""
        read_fd, write_fd = os.pipe()
        out = io.StringIO()
        adapter = ConsoleAdapter(user, stdin=os.fdopen(read_fd, "r", encoding="utf-8"), stdout=out, files_dir=_files_dir(db_path))
        app = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories, clock=clock)
        app.run_jobs = False
        await app.start()
        if not sends_in_background:
            await app.workers[0].stop()
        return cls(app, adapter, os.fdopen(write_fd, "w", encoding="utf-8"), out)

    async def type(self, line: str) -> str:
        """Type one line and return what the window printed in answer."""
        before = len(self.out.getvalue())
        processed = len(self.app.runtime.adapters) and await self._processed_count()
        self.writer.write(line + "\n")
        self.writer.flush()
        for _ in range(2000):  # wait for the step (bounded; not a timing assertion)
            await asyncio.sleep(0.005)
            if await self._processed_count() > processed and len(self.out.getvalue()) > before:
                await asyncio.sleep(0.02)
                break
        return self.out.getvalue()[before:]

    async def _processed_count(self) -> int:
        return await self.app.db.run(lambda conn: conn.execute("SELECT COUNT(*) FROM processed_events").fetchone()[0])

    async def close(self) -> None:
        self.writer.close()
        await asyncio.wait_for(self.adapter.finished.wait(), 10)
        await self.app.stop()


async def test_a_second_window_cannot_answer_a_question_it_never_showed(db_path: Path, territories, clock: Clock) -> None:
    """Issue 10, "wrong question" 3: one window's "2" declined a suggestion only the other showed."""
    setup = await App.open(Config(db=str(db_path)), adapters=[RecordingAdapter(platform="console")], territories=territories, clock=clock)
    setup.run_jobs = False
    await setup.start()
    await make_network(setup, setup.adapters[0], COMPANIES[:1])  # type: ignore[arg-type]
    await setup.stop()

    window_b = await Window.open(db_path, territories, clock, "alice", sends_in_background=False)
    shown_in_b = await window_b.type("/menu")
    assert "Que voulez-vous faire" in shown_in_b or "1." in shown_in_b
    window_a = await Window.open(db_path, territories, clock, "alice")
    await window_a.app.suggestion_round()
    await deliver(window_a.app)
    assert "Cabinet Martin" in window_a.out.getvalue()  # the suggestion shows in window A only
    assert "Cabinet Martin" not in window_b.out.getvalue()

    answer = await window_b.type("2")  # meant for the menu window B shows
    assert status_of(window_b.app, "Cabinet Martin") == "proposed"  # never applied to the unseen suggestion
    assert "Cabinet Martin" in answer and "plus en cours" in answer  # refused, the current question shown
    answer = await window_b.type("2")  # now against the question window B shows
    assert "je ne vous proposerai plus Cabinet Martin" in answer
    await window_b.close()
    await window_a.close()


async def test_reopening_the_console_shows_where_one_was_and_start_keeps_the_draft(db_path: Path, territories, clock: Clock) -> None:
    """Issue 10, "After a restart": the question is shown again; /start drops nothing."""
    window = await Window.open(db_path, territories, clock, "zoe")
    for line in ("/start", "1", "Les Jardins de Zoé", "Villeurbanne", "1", "1", "1", "1"):
        await window.type(line)
    await window.type("/besoin")
    await window.type("2")  # compétences
    await window.type("2")  # the second skill
    await window.close()  # the bot stops while she is about to describe her need

    window = await Window.open(db_path, territories, clock, "zoe")
    await asyncio.sleep(0.05)
    reopened = window.out.getvalue()
    assert "où vous en étiez" in reopened and "Décrivez" in reopened.split("où vous en étiez", 1)[1]
    answer = await window.type("/start")
    assert "Bon retour" in answer and "Décrivez" in answer  # not the menu: the draft is kept
    await window.type("Relire nos comptes annuels avant l'assemblée générale.")
    answer = await window.type("1")  # the zone
    assert "Votre besoin est enregistré" in answer
    await window.close()


async def test_a_need_left_for_another_command_is_kept_as_a_draft_and_offered_back(network) -> None:
    """Opening something else closes the flow; what was typed is offered back by /annonces and /besoin."""
    app, alice = network
    await alice.say("/besoin")
    await alice.press("Bénévoles")
    await alice.say("Des bénévoles pour trier les dons le samedi matin.")
    await alice.say("/annonces")  # she opens something else
    assert "Brouillon gardé : un besoin (« Des bénévoles pour trier les dons le samedi matin. »)" in alice.text()
    await alice.say("/start")
    assert "Bon retour" in alice.text() and "Brouillon gardé" in alice.text()  # /start drops nothing
    await alice.say("/besoin")
    assert "Vous aviez commencé un besoin" in alice.question.text
    await alice.press("Reprendre où j'en étais")
    assert alice.question.choices[0].value.startswith(("commune:", "epci:", "departement:", "radius"))  # the zone, next
    await alice.press(next(c.label for c in alice.question.choices if c.value.startswith("epci:")))
    assert "Votre besoin est enregistré" in alice.text()
    await alice.say("/besoin")  # the draft is gone once used
    assert "Vous aviez commencé" not in alice.text()


async def test_a_flow_left_for_hours_is_closed_into_a_draft_when_a_question_arrives(network, clock: Clock) -> None:
    app, alice = network
    await alice.say("/besoin")
    await alice.press("Bénévoles")
    await alice.say("Des bénévoles pour trier les dons le samedi matin.")
    clock.advance(hours=5)
    await app.suggestion_round()
    before = len(alice.adapter.sent)
    await deliver(app)
    shown = decisions(received_since(alice, before))
    assert len(shown) == 1 and "J'ai mis de côté un besoin" in shown[0].text
    await alice.say("2")  # answers the suggestion she sees, not the zone question she left
    assert "je ne vous proposerai plus" in alice.text()
    await alice.say("/besoin")
    assert "Vous aviez commencé un besoin (« Des bénévoles pour trier" in alice.question.text


async def test_a_question_left_unanswered_for_hours_does_not_block_a_request(one_company, clock: Clock) -> None:
    """A suggestion ignored since the morning stays in the queue, but someone's request is shown."""
    app, alice, bob = one_company
    adapter = alice.adapter
    await app.suggestion_round()
    await deliver(app)  # alice's suggestion is shown; she does not answer
    clock.advance(hours=5)
    await bob.say("1")  # bob asks to be introduced to alice
    before = len(adapter.sent)
    await deliver(app)
    request = decisions(received_since(alice, before))
    assert len(request) == 1 and request[0].prompt_id.startswith("I")
    assert request[0].text.startswith("📌 1/2 · 👋 Cabinet Martin")  # the suggestion still waits behind it
    await alice.say("1")
    assert "Mise en relation acceptée" in alice.text()


async def test_my_data_includes_the_draft(network) -> None:
    import json

    app, alice = network
    await alice.say("/besoin")
    await alice.press("Bénévoles")
    await alice.say("Des bénévoles pour trier les dons le samedi matin.")
    await alice.say("/mesdonnees")
    document = json.loads(next(r.attachment for r in alice.last if r.attachment).data)
    assert document["draft"]["answers"]["description"] == "Des bénévoles pour trier les dons le samedi matin."
