"""``/groupe``: a coordinator makes a working group of 2–30 actors of their territory from the
answers to a call, a selection, or a cluster the bot proposes; each member is then asked
(double opt-in). Pure: reads ``context.lookup``, ends with a :class:`CreateGroup` effect."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from conversations.calls import show_day, timezone_of
from conversations.engine import Finish, Flow, InputError, Option, Step
from conversations.i18n import translate
from conversations.model import Context, Session, language_of
from conversations.picker import actor_label

MIN_MEMBERS, MAX_MEMBERS = 2, 30
TELEGRAM_LINK = re.compile(r"^https://t\.me/(\+|joinchat/)[A-Za-z0-9_-]{5,64}$")


@dataclass(frozen=True, slots=True)
class CreateGroup:
    """Create the group, ask each member whether they join."""

    area: dict[str, Any]
    name: str
    theme: str | None
    source: str
    broadcast_id: int | None
    members: tuple[int, ...]
    invite_link: str | None


def _label(context: Context, row: tuple[int, str, str, str]) -> str:
    _, name, kind, place = row
    return actor_label(name, kind, place, language_of(context))


def _call_options(_: Session, context: Context) -> list[Option]:
    rows = context.lookup.broadcasts(context.areas) if context.lookup else []
    lang, zone = language_of(context), timezone_of(context)
    return [
        Option(
            str(bid), label=translate(lang, "answers.line", id=number, date=show_day(day, zone, lang), message=message[:40], count=count)
        )
        for bid, day, message, count, number in rows
        if count
    ]


def _clusters(context: Context) -> list[dict[str, Any]]:
    return list(context.lookup.clusters(context.areas)) if context.lookup else []


def _cluster_options(_: Session, context: Context) -> list[Option]:
    lang = language_of(context)
    return [
        Option(
            f"{c['theme']}:{c['commune']}",
            label=translate(
                lang,
                "group.cluster_line",
                theme=translate(lang, f"theme.{c['theme']}"),
                place=c["label"],
                count=len(c["members"]),
                needs=c["needs"],
                offers=c["offers"],
            ),
        )
        for c in _clusters(context)
    ]


def _parts(session: Session) -> list[str]:
    """The names typed at ``query``, one per comma-separated part."""
    return [part.strip() for part in str(session.data.get("query", "")).split(",") if part.strip()]


def _found(session: Session, context: Context) -> tuple[list[Option], list[str]]:
    """The actors matching each part of the query (up to 8 each, 30 in all), and the parts that
    match nobody (said to the coordinator, never dropped in silence)."""
    found: dict[int, Option] = {}
    missing: list[str] = []
    for part in _parts(session):
        rows = context.lookup.actors_in(context.areas, part) if len(part) >= 2 and context.lookup is not None else []
        if not rows:
            missing.append(part)
        for row in rows:
            found.setdefault(row[0], Option(str(row[0]), label=_label(context, row)))
    return list(found.values())[:MAX_MEMBERS], missing


def _matches(session: Session, context: Context) -> list[Option]:
    return _found(session, context)[0]


def _quoted(parts: list[str], language: str) -> str:
    return translate(language, "group.quote_separator").join(translate(language, "group.quoted", name=part) for part in parts)


def _check_found(value: Any, session: Session, context: Context) -> str | None:
    probe = session.evolve(data={**session.data, "query": value})
    found, missing = _found(probe, context)
    if not found:
        raise InputError("group.nobody_found", names=_quoted(missing, language_of(context)))
    if len(found) < MIN_MEMBERS:  # said before anything else is asked, not after the confirmation
        raise InputError("group.too_few_found", minimum=MIN_MEMBERS, found=found[0].label or "")
    return None


def _check_call(value: Any, session: Session, context: Context) -> str | None:
    """A call answered by fewer actors than a group needs: said at once."""
    members, _ = members_of({**session.data, "call": value}, context)
    return "group.call_too_few" if len(members) < MIN_MEMBERS else None


def _pick_params(session: Session, context: Context) -> dict[str, Any]:
    """``{missing}``: the names typed that match nobody, said before the choice."""
    missing = _found(session, context)[1]
    lang = language_of(context)
    return {"missing": translate(lang, "group.not_found", names=_quoted(missing, lang)) + "\n" if missing else ""}


def _check_source(value: Any, session: Session, context: Context) -> str | None:
    """Nothing to pick from: say so at once (no call answered yet, no cluster found)."""
    if value == "call" and not _call_options(session, context):
        return "group.no_call"
    if value == "cluster" and not _cluster_options(session, context):
        return "group.no_cluster"
    return None


def _source_next(data: Mapping[str, Any]) -> str:
    return {"call": "call", "selection": "query", "cluster": "cluster"}[str(data.get("source"))]


def _no_link_needed(session: Session, context: Context) -> Option | None:
    """Only members on Telegram can be sent a Telegram group's link: with none there, the link is
    not asked (members on the console or on Matrix get the introductions only)."""
    members, _ = members_of(session.data, context)
    if context.lookup is None or not members:
        return None
    return None if "telegram" in context.lookup.networks(tuple(m for m, _ in members)) else Option("")


def _validate_link(text: str) -> str | None:
    return None if TELEGRAM_LINK.match(text.strip()) else "group.bad_link"


def _proposed(data: Mapping[str, Any], context: Context) -> tuple[list[tuple[int, str]], str | None]:
    """Who a call's answers or a cluster proposes (id, label), and the cluster's theme."""
    if data.get("source") == "call" and data.get("call") and context.lookup is not None:
        rows = context.lookup.call_members(int(data["call"]), context.areas) or []
        return [(row[0], _label(context, row)) for row in rows], None
    if data.get("source") == "cluster":
        cluster = next((c for c in _clusters(context) if f"{c['theme']}:{c['commune']}" == data.get("cluster")), None)
        if cluster is None:
            return [], None
        return [(row[0], _label(context, row)) for row in cluster["rows"]], str(cluster["theme"])
    return [], None


def _proposed_options(session: Session, context: Context) -> list[Option]:
    return [Option(str(actor_id), label=label) for actor_id, label in _proposed(session.data, context)[0]]


def members_of(data: Mapping[str, Any], context: Context) -> tuple[list[tuple[int, str]], str | None]:
    """The chosen members (id, label) and the group's theme, from the answers so far: those a
    call or a cluster proposes that the coordinator kept ticked, or the actors they picked."""
    if data.get("source") in ("call", "cluster"):
        proposed, theme = _proposed(data, context)
        if data.get("kept") is not None:  # the coordinator may untick some before sending
            kept = {str(value) for value in data["kept"]}
            proposed = [(actor_id, label) for actor_id, label in proposed if str(actor_id) in kept]
        return proposed, theme
    labels = {option.value: option.label for option in _matches(Session(data=dict(data)), context)}
    return [(int(m), labels.get(str(m)) or str(m)) for m in data.get("pick") or []], None


def _preview(session: Session, context: Context) -> dict[str, Any]:
    members, _ = members_of(session.data, context)
    return {"count": len(members), "name": session.data.get("name", ""), "members": "\n".join(f"• {label}" for _, label in members)}


def _finish(data: Mapping[str, Any], context: Context) -> Finish:
    if data.get("confirm") != "send":
        return Finish(message="group.cancelled")
    members, theme = members_of(data, context)
    if len(members) < MIN_MEMBERS:
        return Finish(message="group.too_small", params={"count": len(members)})
    if len(members) > MAX_MEMBERS:
        return Finish(message="group.too_big", params={"count": len(members)})
    area = context.areas[0]
    link = str(data.get("link") or "").strip() or None
    source = str(data["source"])
    broadcast_id = int(data["call"]) if source == "call" else None
    effect = CreateGroup(
        {"kind": area.kind, "code": area.code, "label": area.label},
        str(data["name"]),
        theme,
        source,
        broadcast_id,
        tuple(m for m, _ in members),
        link,
    )
    return Finish(effects=(effect,))


def _members_step(step_id: str, prompt: str, options: Callable[[Session, Context], list[Option]], **extra: Any) -> Step:
    """A list of actors to invite, all ticked at first; untick some, at least two stay."""
    return Step(
        step_id,
        "multi",
        prompt,
        next="name",
        options=options,
        preselect=lambda s, c: [o.value for o in options(s, c)],
        min_selected=MIN_MEMBERS,
        **extra,
    )


GROUP = Flow(
    "group",
    {
        "source": Step(
            "source",
            "choice",
            "group.source",
            next=_source_next,
            check=_check_source,
            options=(
                Option("call", key="group.from_call"),
                Option("selection", key="group.from_selection"),
                Option("cluster", key="group.from_cluster"),
            ),
        ),
        "call": Step("call", "choice", "group.pick_call", next="kept", options=_call_options, check=_check_call),
        "cluster": Step("cluster", "choice", "group.pick_cluster", next="kept", options=_cluster_options),
        "kept": _members_step("kept", "group.pick_kept", _proposed_options),
        "query": Step("query", "text", "group.query", next="pick", min_length=2, max_length=400, check=_check_found),
        "pick": _members_step("pick", "group.pick", _matches, params=_pick_params),
        "name": Step("name", "text", "group.name", next="link", min_length=3, max_length=80),
        "link": Step(
            "link",
            "text",
            "group.link",
            next="confirm",
            skippable=True,
            max_length=120,
            validate=_validate_link,
            auto=_no_link_needed,
        ),
        "confirm": Step(
            "confirm",
            "choice",
            "group.preview",
            next=None,
            options=(Option("send", key="group.send"), Option("cancel", key="broadcast.cancel")),
            params=_preview,
        ),
    },
    first="source",
    finish=_finish,
    requires_actor=False,
)

GROUP_FLOWS: dict[str, Flow] = {GROUP.id: GROUP}
GROUP_COMMANDS: dict[str, str] = {"groupe": "group", "programmes": "programmes"}
"""Coordinators' commands of the alliances beyond pairs (groups, company programmes)."""
