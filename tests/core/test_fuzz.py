"""A seeded fuzz of the runtime: many people, every command, hostile Unicode, forged and stale
buttons, duplicate deliveries, clock jumps and jobs interleaved, with the properties that must
hold after every step.

``TRAITDUNION_FUZZ_STEPS`` (default 3,000) and ``TRAITDUNION_FUZZ_SEED`` (default 12) choose the
walk; a failure names its seed and step, so that it can be replayed. Properties:

- no internal error (no "un problème technique" reply, no error logged);
- ``PRAGMA integrity_check`` and ``foreign_key_check`` stay clean;
- nobody is stuck: ``/annuler`` then ``/menu`` always gives the menu (or, without a profile,
  the invitation to ``/start``);
- nobody sees another actor's contact before both said yes;
- nothing a deleted person typed is left in the database files (db, WAL, shared memory).
"""

from __future__ import annotations

import logging
import os
import random
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from core.clock import iso
from core.types import Incoming, Outcome
from storage import coordination
from tests.core.people import Person, RecordingAdapter
from tests.files_on_disk import database_files

STEPS = int(os.environ.get("TRAITDUNION_FUZZ_STEPS", "3000"))
SEED = int(os.environ.get("TRAITDUNION_FUZZ_SEED", "12"))
PEOPLE = 12
INTERNAL_ERROR = "problème technique"
CONTACT = re.compile(r"([a-z0-9]+)@fuzz\.example")
PLACES = ("Villeurbanne", "Lyon 3e", "Vaulx-en-Velin", "Bron", "Lyon")
COMMANDS = (
    "/start", "/menu", "/annuler", "/aide", "/besoin", "/offre", "/annonces", "/profil", "/reglages", "/pause",
    "/reprendre", "/suggestions", "/mesdonnees", "/supprimer", "/diffuser", "/reponses", "/presenter", "/stats",
    "/coordinateur", "/need", "/cancel", "/help", "/inconnue", "!start", "/start@traitdunion_bot", "/START",
)  # fmt: skip
HOSTILE = (
    "", " ", "\n\n", "1", "2", "0", "-1", "99", "1 2 3", "1,3", "oui", "non", "retour", "back", "ok", "\u200b",
    "Zo\ud83d", "\udfff\ud800", "Cafe\u0301", "\u202eevil\u202c", "<b>gras</b> & <script>", "{name} {0} %s %(x)s",
    "=HYPERLINK(\"http://x\")", "@everyone", "'; DROP TABLE actors; --", "\x00nul", "🏳️‍🌈👨‍👩‍👧", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "a" * 5000, "é" * 281, "Villeurbane", "69003", "St Etienne", "tout le monde",
)  # fmt: skip


class Clock:
    """A clock the walk moves forwards."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Fuzzer:
    """The state of one walk: people, what each has typed, what each was shown."""

    app: App
    adapter: RecordingAdapter
    clock: Clock
    rng: random.Random
    people: list[Person] = field(default_factory=list)
    tags: dict[str, set[str]] = field(default_factory=dict)
    """Every marker tag a user id has used (their own contact is theirs to see)."""
    current: dict[str, str] = field(default_factory=dict)
    """The tag of each user's latest profile."""
    erased: set[str] = field(default_factory=set)
    """Values typed by people who deleted their data since."""
    last_incoming: Incoming | None = None
    step: int = 0
    serial: int = 0

    def where(self) -> str:
        return f"seed {SEED}, step {self.step}"

    def fresh_tag(self, user_id: str) -> str:
        self.serial += 1
        tag = f"t{self.serial}x{self.rng.randrange(10**6)}"
        self.tags.setdefault(user_id, set()).add(tag)
        self.current[user_id] = tag
        return tag

    # -------------------------------------------------------------- scripted parts

    async def pick(self, person: Person, wanted: str | None = None, prefix: str | None = None) -> None:
        """Press the option of the current question by value (whatever the person's language)."""
        question = person.question
        if wanted is None and prefix is None:
            value = question.choices[0].value
        else:
            value = next(c.value for c in question.choices if c.value == wanted or (prefix and c.value.startswith(prefix)))
        if question.multi:
            await person.send(person.incoming(choices=(value,), prompt_id=question.prompt_id))
        else:
            await person.send(person.incoming(choice=value, prompt_id=question.prompt_id))

    async def onboard(self, person: Person) -> None:
        """A complete profile with unique markers, and one listing."""
        tag = self.fresh_tag(person.user_id)
        await person.say("/start")
        await self.restart_if_asked(person)  # a profile cancelled half-way
        await self.pick(person, self.rng.choice(["association", "entreprise", "collectivite"]))
        await person.say(f"Fuzz {tag}")
        await person.say(self.rng.choice(PLACES))
        await self.pick(person)  # the commune found first
        await self.pick(person, "alimentation")
        await person.say(f"Joignez-nous à {tag}@fuzz.example")  # the contact, inside a sentence
        await self.pick(person, "yes")  # suggestions and calls
        await person.say("/profil")
        await self.pick(person, "description")
        await person.say(f"Description {tag} solidaire.")
        await person.say(self.rng.choice(["/besoin", "/offre"]))
        await self.restart_if_asked(person)  # a listing left half-way earlier in the walk
        await self.pick(person, "competences")
        await self.pick(person, "comptabilite")
        await person.say(f"Annonce {tag} de comptabilité associative.")
        await self.pick(person, prefix="epci:")

    async def restart_if_asked(self, person: Person) -> None:
        """Something was left half-way: start it again (« Recommencer », confirmed since trial 12)."""
        if any(c.value == "restart" for c in person.question.choices):
            await self.pick(person, "restart")
            if any(c.value == "yes" for c in person.question.choices):
                await self.pick(person, "yes")

    async def delete(self, person: Person) -> None:
        """``/supprimer`` then yes: every marker the person typed must be gone from the files."""
        typed = self.typed_values(person.user_id)
        await person.say("/supprimer")
        if person.last and person.last[-1].choices:
            await self.pick(person, "yes")
        self.current.pop(person.user_id, None)
        self.erased |= typed
        self.check_erased()

    def typed_values(self, user_id: str) -> set[str]:
        values: set[str] = set()
        for tag in self.tags.get(user_id, ()):
            values |= {
                f"Fuzz {tag}",
                f"Description {tag} solidaire.",
                f"{tag}@fuzz.example",
                f"Annonce {tag} de comptabilité associative.",
                f"Réponse {tag} à l'appel.",
            }
        return values

    async def call(self) -> None:
        """The coordinator sends a call that takes written answers; some people answer it at once."""
        coordinator = self.people[1]
        await coordinator.say("/annuler")
        await coordinator.say("/diffuser")
        if not coordinator.last or not any(c.value.startswith("epci:") for c in coordinator.last[-1].choices):
            return  # not a coordinator (any more: /supprimer ends the appointment with the rest)
        await self.pick(coordinator, prefix="epci:")
        await coordinator.say("ok")
        await coordinator.say("ok")
        await coordinator.say(f"Appel numéro {self.step} du fuzz, répondez-moi.")
        await self.pick(coordinator, "text")
        if not any(choice.value == "send" for choice in coordinator.question.choices):
            await self.pick(coordinator, "cancel")  # nobody to reach: the preview says why and only cancels
            return
        await self.pick(coordinator, "send")
        await self.job()
        for person in self.people:
            call = next((r for r in reversed(self.adapter.replies_to(person.user_id)) if r.prompt_id and r.prompt_id[0] == "B"), None)
            tag = self.current.get(person.user_id)
            if call is not None and tag is not None and self.rng.random() < 0.6:
                await self.send(person, person.incoming(text=f"Réponse {tag} à l'appel.", prompt_id=call.prompt_id))

    # -------------------------------------------------------------- random steps

    def hostile(self) -> str:
        text = self.rng.choice(HOSTILE)
        if self.rng.random() < 0.3:
            text += "".join(
                chr(
                    self.rng.choice(
                        [self.rng.randrange(32, 0x2FF), self.rng.randrange(0xD800, 0xE000), self.rng.randrange(0x1F300, 0x1F6FF)]
                    )
                )
                for _ in range(self.rng.randrange(1, 12))
            )
        return text

    def tokens(self) -> list[str]:
        with sqlite3.connect(self.app.config.db) as conn:
            rows = conn.execute(
                "SELECT 'S' || id FROM suggestions UNION ALL SELECT 'I' || id FROM introductions "
                "UNION ALL SELECT 'B' || id FROM broadcasts UNION ALL SELECT 'F' || id FROM introductions "
                "UNION ALL SELECT 'R' || id FROM listings"
            ).fetchall()
        return [row[0] for row in rows] + ["S0", "I999999", "Zz", "b", "1"]

    async def random_step(self) -> None:
        person = self.rng.choice(self.people)
        roll = self.rng.random()
        if roll < 0.22:
            await self.send(person, person.incoming(text=self.rng.choice(COMMANDS)))
        elif roll < 0.40:
            await self.send(person, person.incoming(text=self.hostile()))
        elif roll < 0.62:
            question = next((r for r in reversed(self.adapter.replies_to(person.user_id)) if r.prompt_id and r.choices), None)
            if question is None:
                return
            if question.multi:
                picked = tuple(c.value for c in question.choices if self.rng.random() < 0.4) or (question.choices[0].value,)
                await self.send(person, person.incoming(choices=picked, prompt_id=question.prompt_id))
            else:
                await self.send(person, person.incoming(choice=self.rng.choice(question.choices).value, prompt_id=question.prompt_id))
        elif roll < 0.70:  # forged: someone else's token, a made-up value
            forged = person.incoming(
                choice=self.rng.choice(["present", "accept", "decline", "interested", "yes", "renew", "x" * 70, "\ud800"]),
                prompt_id=self.rng.choice(self.tokens()),
            )
            await self.send(person, forged)
        elif roll < 0.74 and self.last_incoming is not None:  # a duplicate delivery
            before = len(self.adapter.sent)
            outcome = await self.app.runtime.handle(self.last_incoming)
            assert outcome is Outcome.DUPLICATE and len(self.adapter.sent) == before, self.where()
        elif roll < 0.80:
            await self.job()
        elif roll < 0.84:
            self.clock.now += timedelta(minutes=self.rng.choice([1, 30, 60 * 5, 60 * 24, 60 * 24 * 8, 60 * 24 * 40]))
        elif roll < 0.855:
            await self.delete(person)
        elif roll < 0.86:
            await self.call()
        elif roll < 0.88:
            await self.onboard_if_new(person)
        elif roll < 0.90:
            await self.recovers(person)
        else:
            await self.send(person, person.incoming(text=self.rng.choice(["1", "2", "3", "oui", "Oui, avec plaisir", "Me présenter"])))

    async def onboard_if_new(self, person: Person) -> None:
        with sqlite3.connect(self.app.config.db) as conn:
            has_profile = conn.execute("SELECT 1 FROM identities WHERE user_id = ? AND actor_id IS NOT NULL", (person.user_id,)).fetchone()
        if not has_profile:
            before = len(self.adapter.sent)
            await person.say("/annuler")
            await self.onboard(person)
            self.check_sent(before)

    async def job(self) -> None:
        which = self.rng.choice(["round", "maintenance", "forward", "deliver", "deliver"])
        if which == "round":
            await self.app.suggestion_round(force=True)
        elif which == "maintenance":
            await self.app.maintenance()
        elif which == "forward":
            await self.app.forward_answers()
        before = len(self.adapter.sent)
        for worker in self.app.workers:
            await worker.run_once()
        self.check_sent(before)

    async def send(self, person: Person, incoming: Incoming) -> None:
        before = len(self.adapter.sent)
        self.last_incoming = incoming
        await person.send(incoming)
        self.check_sent(before)

    # -------------------------------------------------------------- properties

    def check_sent(self, before: int) -> None:
        """No internal error; no contact of another actor unless both said yes."""
        with sqlite3.connect(self.app.config.db) as conn:
            for chat, reply in self.adapter.sent[before:]:
                assert INTERNAL_ERROR not in reply.text, (self.where(), chat, reply.text)
                for tag in CONTACT.findall(reply.text):
                    if tag in self.tags.get(chat, set()):
                        continue
                    other = conn.execute("SELECT id FROM actors WHERE contact_email = ?", (f"{tag}@fuzz.example",)).fetchone()
                    me = conn.execute("SELECT actor_id FROM identities WHERE chat_id = ?", (chat,)).fetchone()
                    assert other is not None and me is not None and me[0] is not None, (self.where(), chat, reply.text)
                    agreed = conn.execute(
                        "SELECT 1 FROM introductions WHERE status = 'accepted' AND "
                        "((requester_id = ? AND invitee_id = ?) OR (requester_id = ? AND invitee_id = ?))",
                        (me[0], other[0], other[0], me[0]),
                    ).fetchone()
                    assert agreed, (self.where(), "contact shown before a double yes", chat, reply.text)

    def check_database(self) -> None:
        with sqlite3.connect(self.app.config.db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], self.where()
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], self.where()

    def check_erased(self) -> None:
        files = database_files(self.app.config.db)
        left = [value for value in self.erased if any(value.encode("utf-8") in content for content in files.values())]
        where = [name for name, content in files.items() for value in left if value.encode("utf-8") in content]
        assert not left, (self.where(), "left after deletion", left, where, self.rows_with(left))

    def rows_with(self, values: list[str]) -> list[tuple[str, str]]:
        """Where the values still are, if in a live row (else in free space or the WAL)."""
        found: list[tuple[str, str]] = []
        with sqlite3.connect(self.app.config.db) as conn:
            tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                for row in conn.execute(f"SELECT * FROM {table}"):  # noqa: S608 - test diagnostics
                    text = repr(row)
                    found += [(table, text[:300]) for value in values if value in text]
        content = database_files(self.app.config.db).get(Path(self.app.config.db).name, b"")
        for value in values:
            offset = content.find(value.encode("utf-8"))
            if offset >= 0:
                page = offset // 4096 + 1
                found.append(("page", f"{page} type {content[(page - 1) * 4096]} around {content[offset - 80 : offset + 60]!r}"))
        return found

    async def recovers(self, person: Person) -> None:
        """``/annuler`` then ``/menu`` always brings the person back somewhere they can go on."""
        await self.send(person, person.incoming(text="/annuler"))
        replies = await person.say("/menu")
        assert replies, self.where()
        with sqlite3.connect(self.app.config.db) as conn:
            registered = conn.execute("SELECT 1 FROM identities WHERE user_id = ? AND actor_id IS NOT NULL", (person.user_id,)).fetchone()
        if registered:
            assert replies[-1].prompt_id and replies[-1].choices, (self.where(), person.user_id, [r.text for r in replies])
        else:
            assert "/start" in replies[-1].text, (self.where(), person.user_id, replies[-1].text)


async def test_fuzz_the_runtime(db_path: Path, territories, caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    adapter = RecordingAdapter()
    config = Config(db=str(db_path), admins=(("test", "p0"),))
    app = await App.open(config, adapters=[adapter], territories=territories, clock=clock)
    app.run_jobs = False
    await app.start()
    for worker in app.workers:  # the walk decides when messages go out
        await worker.stop()
    fuzzer = Fuzzer(app, adapter, clock, random.Random(SEED))
    caplog.set_level(logging.ERROR)
    try:
        await app.db.transaction(
            lambda conn: coordination.add_coordinator(
                conn, "test", "p1", coordination.Area("epci", "200046977", "Métropole de Lyon"), "test:p0", iso(clock())
            )
        )
        fuzzer.people = [Person(app.runtime, adapter, f"p{n}") for n in range(PEOPLE)]
        for person in fuzzer.people[: PEOPLE * 2 // 3]:
            await fuzzer.onboard(person)
        for fuzzer.step in range(STEPS):
            await fuzzer.random_step()
            if fuzzer.step % 250 == 0:
                fuzzer.check_database()
                fuzzer.check_erased()
        fuzzer.step = STEPS
        await fuzzer.job()
        for person in fuzzer.people:
            await fuzzer.recovers(person)
        fuzzer.check_database()
        fuzzer.check_erased()
        errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
        assert errors == [], (fuzzer.where(), errors[:5])
    finally:
        await app.stop()
