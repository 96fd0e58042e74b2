"""Test helpers for the core: a recording adapter and a person who talks to the runtime."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.adapters.base import Handler
from bot.runtime import Runtime
from core.errors import PermanentDeliveryError, TemporaryDeliveryError
from core.types import Incoming, Outcome, Reply

if TYPE_CHECKING:
    from bot.app import App

_ids = itertools.count(1)


@dataclass
class RecordingAdapter:
    """An adapter that records what the core sends; faults can be injected per chat."""

    platform: str = "test"
    sent: list[tuple[str, Reply]] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)
    flaky: dict[str, int] = field(default_factory=dict)
    edits: list[tuple[str, str, Reply]] = field(default_factory=list)
    handler: Handler | None = None

    async def start(self, handler: Handler) -> None:
        self.handler = handler

    async def send(self, chat_id: str, reply: Reply) -> str | None:
        if chat_id in self.blocked:
            raise PermanentDeliveryError("blocked")
        if self.flaky.get(chat_id, 0) > 0:
            self.flaky[chat_id] -= 1
            raise TemporaryDeliveryError("rate limited", retry_after=0.0)
        self.sent.append((chat_id, reply))
        return f"m{len(self.sent)}"

    async def edit(self, chat_id: str, ref: str, reply: Reply) -> None:
        self.edits.append((chat_id, ref, reply))

    async def stop(self) -> None:
        self.handler = None

    def replies_to(self, chat_id: str) -> list[Reply]:
        return [reply for chat, reply in self.sent if chat == chat_id]


@dataclass
class Person:
    """Someone writing to the bot through ``runtime`` on ``adapter``'s platform."""

    runtime: Runtime
    adapter: RecordingAdapter
    user_id: str
    language_code: str | None = "fr"
    last: list[Reply] = field(default_factory=list)
    outcome: Outcome | None = None

    async def send(self, incoming: Incoming) -> list[Reply]:
        before = len(self.adapter.sent)
        self.outcome = await self.runtime.handle(incoming)
        self.last = [reply for chat, reply in self.adapter.sent[before:] if chat == self.user_id]
        return self.last

    def incoming(self, **fields: object) -> Incoming:
        base = dict(
            platform=self.adapter.platform,
            user_id=self.user_id,
            chat_id=self.user_id,
            event_id=f"e{next(_ids)}",
            display_name=self.user_id.title(),
            handle="@" + self.user_id,
            language_code=self.language_code,
        )
        base.update(fields)
        return Incoming(**base)  # type: ignore[arg-type]

    async def say(self, text: str, **fields: object) -> list[Reply]:
        return await self.send(self.incoming(text=text, **fields))

    @property
    def question(self) -> Reply:
        """The last reply that asks something (has a prompt id)."""
        return next(reply for reply in reversed(self.last) if reply.prompt_id is not None)

    async def press(self, label: str) -> list[Reply]:
        """Press the button whose label is ``label`` on the current question."""
        question = self.question
        value = next(c.value for c in question.choices if c.label == label)
        return await self.send(self.incoming(choice=value, prompt_id=question.prompt_id))

    async def tick(self, *labels: str) -> list[Reply]:
        """Validate a multi-select with the options labelled ``labels``."""
        question = self.question
        values = tuple(c.value for c in question.choices if c.label in labels)
        assert len(values) == len(labels), (labels, [c.label for c in question.choices])
        return await self.send(self.incoming(choices=values, prompt_id=question.prompt_id))

    def text(self) -> str:
        return "\n".join(reply.text for reply in self.last)

    async def first_options_until(self, wanted: str, presses: int = 3) -> list[str]:
        """What the bot said, from its last message on, pressing each question's first option until
        ``wanted`` shows (the type asked when not read, then the commune proposed) or ``presses`` ran out."""
        said = [self.text()]
        for _ in range(presses):
            if wanted in said[-1]:
                break
            await self.press(self.question.choices[0].label)
            said.append(self.text())
        return said

    async def onboard(
        self,
        name: str = "Les Jardins Partagés",
        place: str = "Villeurbanne",
        *,
        kind: str = "Association",
        themes: tuple[str, ...] = ("Alimentation", "Environnement"),
        consent: str = "Oui aux deux",
    ) -> None:
        """A profile made by pressing the buttons: ``consent`` is the answer to "suggestions and
        coordinators' calls?" ("Oui aux deux", "Les suggestions seulement", "Ni l'un ni l'autre")."""
        await self.say("/start")
        await self.press(kind)
        await self.say(name)
        if themes[0] in [c.label for c in self.question.choices]:  # « Mairie de Lyon »: its commune taken from the name
            assert place in self.text(), self.text()
        else:
            await self.say(place)
            await self.press("Oui")
        await self.tick(*themes)
        await self.press(self.question.choices[0].label)  # contact: the account they write from
        await self.press(consent)


async def deliver(app: App, seconds: float = 10.0) -> None:
    """Run each outbox worker once: what is queued goes out (the tests run the outbox by hand). A message
    the background worker claimed first is waited for (up to ``seconds``): on a loaded machine it may still
    be on its way when ``run_once`` finds nothing left to take."""
    for worker in app.workers:
        await worker.run_once()

    from core.clock import iso

    def in_flight(conn) -> int:  # type: ignore[no-untyped-def]
        query = "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND claimed_by IS NOT NULL AND lease_until > ?"
        return int(conn.execute(query, (iso(app.runtime.clock()),)).fetchone()[0])

    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while await app.db.run(in_flight) and loop.time() < deadline:
        await asyncio.sleep(0.02)


async def settled(person: Person, seconds: float = 10.0) -> None:
    """Wait until the background outbox worker has sent what is due (invitations queued by someone
    else's step): a test that acts next is not raced by a notice arriving in the middle of its step."""
    from core.clock import iso, utcnow

    def due(conn) -> int:  # type: ignore[no-untyped-def]
        query = "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND not_before <= ?"
        return int(conn.execute(query, (iso(utcnow()),)).fetchone()[0])

    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while await person.runtime.db.run(due) and loop.time() < deadline:
        await asyncio.sleep(0.02)
