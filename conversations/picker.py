"""Choosing an actor by name ("Lequel ?"), shared by ``/recommander`` and ``/presenter``: a text
step where the person types part of a name, then a choice among the actors of their reach whose
name contains it. A search with a single match asks nothing more: that actor is taken, and the
next question starts by naming it (:attr:`conversations.engine.Step.auto`). Pure: no I/O."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conversations.engine import Option, Step
from conversations.i18n import translate
from conversations.model import Context, Session, language_of
from core.model import CoordinatorArea

Check = Callable[[Any, Session, Context], str | None]


def actor_label(name: str, kind: str, place: str, lang: str) -> str:
    """How an actor is shown in a list: "Cabinet Martin (Entreprise, Lyon 3e (69))"."""
    return f"{name} ({translate(lang, f'actor_type.{kind}')}, {place})"


@dataclass(frozen=True, slots=True)
class ActorPicker:
    """Where to search (``reach``: the areas an actor of the list must be in), the key said when
    nothing matches, and the prompt of the choice."""

    reach: Callable[[Context], tuple[CoordinatorArea, ...]]
    none_found: str
    pick: str

    def options(self, query_key: str) -> Callable[[Session, Context], list[Option]]:
        """The actors whose name contains what was typed at ``query_key``."""

        def options(session: Session, context: Context) -> list[Option]:
            query = session.data.get(query_key, "")
            rows = context.lookup.actors_in(self.reach(context), query) if context.lookup else []
            lang = language_of(context)
            return [Option(str(actor_id), label=actor_label(name, kind, place, lang)) for actor_id, name, kind, place in rows]

        return options

    def found(self, query_key: str) -> Check:
        """Refuse a name that matches nobody (the search is typed again)."""
        options = self.options(query_key)

        def check(value: Any, session: Session, context: Context) -> str | None:
            probe = session.evolve(data={**session.data, query_key: value})
            return None if options(probe, context) else self.none_found

        return check

    def steps(self, name: str, prompt: str, then: str | None, check: Check | None = None) -> dict[str, Step]:
        """The two steps: ``{name}_query`` (the name typed, asked with ``prompt``) and ``name`` (the
        actor chosen, stored as its id; taken at once when only one matches), then ``then``."""
        query_key = f"{name}_query"
        options = self.options(query_key)

        def only(session: Session, context: Context) -> Option | None:
            found = options(session, context)
            return found[0] if len(found) == 1 else None

        return {
            query_key: Step(query_key, "text", prompt, next=name, min_length=2, max_length=80, check=self.found(query_key)),
            name: Step(name, "choice", self.pick, next=then, options=options, check=check, auto=only),
        }
