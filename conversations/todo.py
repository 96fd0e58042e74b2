"""A coordinator's weekly to-do as text, the ``/relancer`` flow for silent actors, and the to-do's
opt-out (in ``/reglages``). Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from conversations.engine import Finish, Flow, Option, Step
from conversations.i18n import translate, translate_plural
from conversations.model import Context, Session, language_of
from conversations.understanding import shorten

SHOWN = 5
"""Names listed per line of the to-do (the rest is counted)."""


@dataclass(frozen=True, slots=True)
class SetWeeklyTodo:
    """A coordinator keeps or stops the weekly to-do."""

    on: bool


@dataclass(frozen=True, slots=True)
class Relaunch:
    """A coordinator relaunches actors of their territory who have been silent."""

    actor_ids: tuple[int, ...]


TODO_EFFECTS = (SetWeeklyTodo, Relaunch)


@dataclass(frozen=True, slots=True)
class TodoSummary:
    """What a coordinator could act on this week."""

    new_actors: tuple[str, ...] = ()
    lonely_needs: tuple[tuple[str, str], ...] = ()
    silent: tuple[str, ...] = ()
    waiting: tuple[tuple[str, str], ...] = ()
    answers: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def empty(self) -> bool:
        """Nothing to do this week."""
        return not (self.new_actors or self.lonely_needs or self.silent or self.waiting or self.answers)


def _names(names: tuple[str, ...], language: str) -> str:
    shown = ", ".join(names[:SHOWN])
    return shown + (translate_plural(language, "todo.and_more_n", len(names) - SHOWN) if len(names) > SHOWN else "")


def todo_text(summary: TodoSummary, language: str) -> str:
    """The weekly to-do: one line per kind of task, each with the command that acts on it."""
    lines = [translate(language, "todo.header")]
    if summary.new_actors:
        lines.append(translate_plural(language, "todo.new_actors_n", len(summary.new_actors), names=_names(summary.new_actors, language)))
    if summary.lonely_needs:
        needs = tuple(f"{name} ({shorten(description, 40)})" for name, description in summary.lonely_needs)
        lines.append(translate_plural(language, "todo.lonely_needs_n", len(needs), names=_names(needs, language)))
    if summary.silent:
        lines.append(translate_plural(language, "todo.silent_n", len(summary.silent), names=_names(summary.silent, language)))
    if summary.waiting:
        pairs = tuple(f"{first} → {second}" for first, second in summary.waiting)
        lines.append(translate_plural(language, "todo.waiting_n", len(pairs), names=_names(pairs, language)))
    if summary.answers:
        lines.append(translate_plural(language, "todo.answers_n", summary.answers))
    lines.append(translate(language, "todo.footer"))
    return "\n".join(lines)


def _silent(context: Context) -> list[tuple[int, str]]:
    lookup = context.lookup
    return list(lookup.silent_actors(context.areas)) if lookup is not None and hasattr(lookup, "silent_actors") else []


RELAUNCH = Flow(
    "relaunch",
    {
        "actors": Step(
            "actors",
            "multi",
            "relaunch.pick",
            next=None,
            options=lambda session, context: [Option(str(actor_id), label=name) for actor_id, name in _silent(context)],
            preselect=lambda session, context: [str(actor_id) for actor_id, _ in _silent(context)],
        )
    },
    first=lambda session, context: "actors" if _silent(context) else None,
    finish=lambda data, context: Finish(effects=(Relaunch(tuple(int(value) for value in data["actors"])),)),
    requires_actor=False,
    empty=lambda context: Finish(message="relaunch.none"),
)

TODO_FLOWS: dict[str, Flow] = {RELAUNCH.id: RELAUNCH}
TODO_COMMANDS: dict[str, str] = {"relancer": "relaunch"}


def settings_option(session: Session, context: Context) -> list[Option]:
    """The to-do line of ``/reglages``, for coordinators only, saying whether it is on (with a
    profile of their own or without: the same line)."""
    return [Option("todo", key="settings.todo_state", params=_state_params(session, context))] if context.areas else []


def _state_params(session: Session, context: Context) -> dict[str, Any]:
    """The to-do's current state (on unless the coordinator turned it off)."""
    on = all(area.weekly_todo for area in context.areas)
    return {"todo": translate(language_of(context, session), f"settings.todo.state.{'on' if on else 'off'}")}


def _coordinator_params(session: Session, context: Context) -> dict[str, Any]:
    """The language and the to-do's state of a coordinator without a profile."""
    language = language_of(context, session)
    return {**_state_params(session, context), "language": translate(language, f"language.{language}")}


COORDINATOR_SETTING = Step(
    "coordinator",
    "choice",
    "settings.pick_coordinator_language",
    next=lambda data: data.get("setting"),
    options=lambda session, context: [Option("language", key="settings.language"), *settings_option(session, context)],
    params=_coordinator_params,
    store="setting",
)
"""``/reglages`` of a coordinator who has no profile of their own: the language and the weekly to-do."""


TODO_SETTING = Step(
    "todo",
    "choice",
    "settings.todo_prompt",
    next=None,
    options=(Option("on", key="settings.todo.on"), Option("off", key="settings.todo.off")),
)


def finish_setting(data: Mapping[str, Any]) -> Finish:
    """The opt-out (or back in) chosen in ``/reglages``."""
    return Finish(message=f"settings.todo_set.{data['todo']}", effects=(SetWeeklyTodo(data["todo"] == "on"),))
