"""Company programmes, the conversation side: ``/programme`` — a company declares what its
employees can give (theme, how many, when, skills); ``/programmes`` — a coordinator picks one of
their territory's programmes, ticks association needs from its shortlist, and sends every
introduction at once. Pure: reads ``context.lookup``, ends with effects."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conversations.engine import Finish, Flow, InputError, Option, Step
from conversations.i18n import translate, translate_plural
from conversations.model import Context, Session, language_of
from conversations.moments import read_number
from conversations.understanding import fold, shorten
from core import catalog

MAX_EMPLOYEES = 10_000


@dataclass(frozen=True, slots=True)
class DeclareProgramme:
    """A company's programme of employee involvement."""

    theme: str
    employees: int
    period: str
    skills: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SendProgramme:
    """A coordinator sends the introductions of a programme to the ticked association needs."""

    programme_id: int
    listings: tuple[int, ...]


_EMPLOYEES = re.compile(
    r"^\s*(.+?)\s*(?:salarie(?:e|s|es)?|employe(?:e|s|es)?|collaborat(?:eur|eurs|rice|rices)|personnes?|benevoles?|"
    r"employees?|people|persons?|staff|volunteers?|colleagues?)?(?:\s+(?:disponibles?|available))?\s*$"
)


def employees_of(text: str) -> int | None:
    """The number of employees typed: ``12``, ``15 salariés``, ``quinze``, ``une quinzaine (de
    salariés)``, ``environ 20 personnes``, "about 30 employees"; None when no number is read."""
    found = _EMPLOYEES.match(fold(text))
    return None if found is None else read_number(found[1])


def _employees(text: str) -> str | None:
    value = employees_of(text)
    if value is None:
        return "programme.employees_not_a_number"
    return None if 1 <= value <= MAX_EMPLOYEES else "programme.bad_employees"


def _theme_has_needs(value: Any, _: Session, context: Context) -> str | None:
    """Asked before the other questions: a theme no association need fits says so at once."""
    if context.actor is None or context.lookup is None:
        return None
    if context.lookup.programme_matches(context.actor.id, str(value)):
        return None
    theme = translate(language_of(context), f"theme.{value}")
    in_touch = context.lookup.programme_matches(context.actor.id, str(value), in_touch=True)
    if in_touch:  # not "none": the fitting ones already know the company
        raise InputError("programme.theme_in_touch_n", count=in_touch, theme=theme)
    raise InputError("programme.no_match_theme", theme=theme)


def _first(_: Session, context: Context) -> str | None:
    return "theme" if context.actor is not None and context.actor.kind == "entreprise" else None


PROGRAMME = Flow(
    "programme",
    {
        "theme": Step(
            "theme",
            "choice",
            "programme.theme",
            next="employees",
            options=tuple(Option(theme, key=f"theme.{theme}") for theme in catalog.THEME_VALUES),
            check=_theme_has_needs,
        ),
        "employees": Step("employees", "text", "programme.employees", next="period", max_length=60, validate=_employees),
        "period": Step("period", "text", "programme.period", next="skills", min_length=3, max_length=80),
        "skills": Step(
            "skills",
            "multi",
            "programme.skills",
            next=None,
            skippable=True,
            options=tuple(Option(skill, key=f"skill.{skill}") for skill in catalog.SKILLS),
        ),
    },
    first=_first,
    finish=lambda data, context: Finish(
        effects=(
            DeclareProgramme(
                str(data["theme"]), employees_of(str(data["employees"])) or 1, str(data["period"]), tuple(data.get("skills") or ())
            ),
        )
    ),
    empty=lambda context: Finish(message="programme.companies_only"),
)


def _programme_options(_: Session, context: Context) -> list[Option]:
    rows = context.lookup.programmes(context.areas) if context.lookup else []
    lang = language_of(context)
    return [
        Option(
            str(pid),
            label=translate(
                lang,
                "programmes.line",
                company=company,
                theme=translate(lang, f"theme.{theme}"),
                employees=translate_plural(lang, "programme.employees_n", int(employees)),
                period=period,
            ),
        )
        for pid, company, theme, employees, period in rows
    ]


def _shortlist_options(session: Session, context: Context) -> list[Option]:
    rows = context.lookup.programme_shortlist(int(session.data["programme"]), context.areas) if context.lookup else None
    return [Option(str(row["listing"]), label=f"{row['name']} ({row['place']}) : {shorten(row['description'], 80)}") for row in rows or []]


def _check_shortlist(value: Any, session: Session, context: Context) -> str | None:
    probe = session.evolve(data={**session.data, "programme": value})
    return None if _shortlist_options(probe, context) else "programme.no_match_now"


def _finish_send(data: Mapping[str, Any], _: Context) -> Finish:
    if data.get("confirm") != "send":
        return Finish(message="programmes.cancelled")
    return Finish(effects=(SendProgramme(int(data["programme"]), tuple(int(v) for v in data.get("needs") or ())),))


def _preview(session: Session, _: Context) -> dict[str, Any]:
    return {"count": len(session.data.get("needs") or ())}


PROGRAMMES = Flow(
    "programmes",
    {
        "programme": Step("programme", "choice", "programmes.pick", next="needs", options=_programme_options, check=_check_shortlist),
        "needs": Step("needs", "multi", "programmes.shortlist", next="confirm", options=_shortlist_options),
        "confirm": Step(
            "confirm",
            "choice",
            "programmes.preview_n",
            next=None,
            params=_preview,
            options=(Option("send", key="programmes.send"), Option("cancel", key="broadcast.cancel")),
        ),
    },
    first=lambda session, context: "programme" if _programme_options(session, context) else None,
    finish=_finish_send,
    requires_actor=False,
    empty=lambda context: Finish(message="programmes.none"),
)

PROGRAMME_FLOWS: dict[str, Flow] = {flow.id: flow for flow in (PROGRAMME, PROGRAMMES)}
