"""``/groupe``: a coordinator makes a working group of 2–30 actors of their territory from the
answers to a call, a selection, or a cluster the bot proposes; each member is then asked
(double opt-in). Pure: reads ``context.lookup``, ends with a :class:`CreateGroup` effect."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from conversations.calls import show_day, timezone_of
from conversations.engine import Answer, Finish, Flow, InputError, Option, Step, parse_choice
from conversations.i18n import translate, translate_plural
from conversations.model import Context, Session, language_of
from conversations.picker import actor_label
from conversations.understanding import answers_yes_no, excerpt, number_list, without_choice_lead
from core.text import name_key, name_score

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


def _label(context: Context, row: tuple[int, str, str, str] | list[Any]) -> str:
    _, name, kind, place = row
    return actor_label(name, kind, place, language_of(context))


def _call_options(_: Session, context: Context) -> list[Option]:
    rows = context.lookup.broadcasts(context.areas) if context.lookup else []
    lang, zone = language_of(context), timezone_of(context)
    return [
        Option(
            str(bid),
            label=translate_plural(lang, "answers.line_n", count, id=number, date=show_day(day, zone, lang), message=excerpt(message, 40)),
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
                needs=translate_plural(lang, "group.needs_n", int(c["needs"])),
                offers=translate_plural(lang, "group.offers_n", int(c["offers"])),
            ),
        )
        for c in _clusters(context)
    ]


Row = tuple[int, str, str, str]
"""An actor as the lookups give it: (id, name, type, commune)."""

SEPARATORS = re.compile(r"[,;\n]+")
CONJUNCTION = re.compile(r"\s+(?:et|and|&|\+)\s+", re.IGNORECASE)
LEADING_CONJUNCTION = re.compile(r"^(?:et|and|&|\+)\s+", re.IGNORECASE)
ADD_WORDS = re.compile(r"^\s*(?:ajouter|ajoute|ajoutez|rajouter|rajoute|inviter|invite|invitez|add|plus|avec|with|\+)\b\s*", re.IGNORECASE)
REMOVE_WORDS = re.compile(
    r"^\s*(?:sans|sauf|retirer|retire|retirez|enlever|enleve|enlevez|supprimer|supprime|decocher|décocher|without|except|remove|untick|-)\b\s*",
    re.IGNORECASE,
)
SHOWN = 4
"""The best matches listed for a name that matches several actors."""
OFFERED = "offered"
"""Session data: actors put in the list after it was first shown ([id, name, type, commune]), ticked or not."""
OFFER = "_offer"
"""Session data: the ids of the actors just offered for adding ("Je l'ajoute ?"), which a yes ticks."""
BASIS = "_list_of"
"""Session data: what the list edited was made from (the names typed, the call, the cluster): after
"retour" and other names, the actors ticked and offered for the former ones are forgotten."""


def _basis(session: Session) -> str:
    data = session.data
    return f"{data.get('source')}:{data.get('query') or data.get('call') or data.get('cluster') or ''}"


def _search(context: Context, name: str) -> list[Row]:
    """The actors of the coordinator's territory ``name`` designates, the best match first."""
    if len(name_key(name)) < 2 or context.lookup is None:
        return []
    return [tuple(row) for row in context.lookup.actors_in(context.areas, name)]  # type: ignore[misc]


def _names(text: str, context: Context) -> list[tuple[str, list[Row]]]:
    """Each name typed and the actors it designates. Names are separated by commas, semicolons, new
    lines, "et", "and", "&" or "+" — except where the words around an "et" are together an actor's
    name ("Tennis et Badminton Club"): the longest run of words that names someone is one name."""
    found: list[tuple[str, list[Row]]] = []
    for chunk in SEPARATORS.split(without_choice_lead(text)):  # « je choisis : la boulangerie, … »: the names
        chunk = LEADING_CONJUNCTION.sub("", chunk.strip()).strip()
        if not chunk:
            continue
        pieces, joins = CONJUNCTION.split(chunk), CONJUNCTION.findall(chunk)
        start = 0
        while start < len(pieces):
            for end in range(len(pieces), start, -1):
                name = pieces[start] + "".join(joins[i] + pieces[i + 1] for i in range(start, end - 1))
                rows = _search(context, name)
                if end == start + 1:
                    break
                if any(name_score(name, row[1]) >= 2 for row in rows):  # its words as they stand in a name
                    break
            if name.strip():
                found.append((name.strip(), rows))
            start = end
    return found


def _one(name: str, rows: list[Row]) -> Row | None:
    """The actor a name designates: the only one found, or the only one it names whole."""
    if len(rows) == 1:
        return rows[0]
    whole = [row for row in rows if name_score(name, row[1]) == 3]
    return whole[0] if len(whole) == 1 else None


@dataclass(frozen=True, slots=True)
class Found:
    """What the names typed at ``query`` designate: one actor each, several (the best few listed,
    none ticked: the coordinator says which), or nobody (said once)."""

    one: list[Row]
    several: list[tuple[str, list[Row]]]
    missing: list[str]


def _found(session: Session, context: Context) -> Found:
    one: dict[int, Row] = {}
    several: list[tuple[str, list[Row]]] = []
    missing: list[str] = []
    for name, rows in _names(str(session.data.get("query", "")), context):
        actor = _one(name, rows)
        if not rows:
            missing.append(name)
        elif actor is not None:
            one.setdefault(actor[0], actor)
        else:
            several.append((name, rows))
    left: list[tuple[str, list[Row]]] = []
    for name, rows in several:  # an actor another name designates is no candidate ("asso" after "mairie")
        others = [row for row in rows if row[0] not in one]
        if len(others) == 1:
            one.setdefault(others[0][0], others[0])
        elif others:
            left.append((name, others[:SHOWN]))
    return Found(list(one.values())[:MAX_MEMBERS], left, missing)


def _offered(session: Session) -> list[Row]:
    if session.data.get(BASIS) != _basis(session):
        return []
    return [(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in session.data.get(OFFERED) or ()]


def _pool(session: Session, context: Context, base: list[Row]) -> list[Row]:
    """``base`` then the actors offered since, once each."""
    rows: dict[int, Row] = {}
    for row in (*base, *_offered(session)):
        rows.setdefault(row[0], row)
    return list(rows.values())


def _picked_rows(session: Session, context: Context) -> list[Row]:
    found = _found(session, context)
    return _pool(session, context, [*found.one, *(row for _, rows in found.several for row in rows)])


def _proposed_rows(session: Session, context: Context) -> list[Row]:
    return _pool(session, context, _proposed(session.data, context)[0])


def _options_of(rows: Callable[[Session, Context], list[Row]]) -> Callable[[Session, Context], list[Option]]:
    def options(session: Session, context: Context) -> list[Option]:
        return [Option(str(row[0]), label=_label(context, row), words=(row[1],)) for row in rows(session, context)]

    return options


def _quoted(parts: list[str], language: str) -> str:
    return translate(language, "group.quote_separator").join(translate(language, "group.quoted", name=part) for part in parts)


def _check_found(value: Any, session: Session, context: Context) -> str | None:
    probe = session.evolve(data={**session.data, "query": value})
    found = _found(probe, context)
    if not found.one and not found.several:
        raise InputError("group.nobody_found", names=_quoted(found.missing, language_of(context)))
    possible = len(found.one) + sum(len(rows) for _, rows in found.several)
    if possible < MIN_MEMBERS:  # said before anything else is asked, not after the confirmation
        what = _label(context, found.one[0]) if found.one else _quoted([found.several[0][0]], language_of(context))
        raise InputError("group.too_few_found", minimum=MIN_MEMBERS, found=what)
    return None


def _missing_note(session: Session, context: Context, language: str) -> str | None:
    """The names typed that match nobody: said once, when the list is first shown."""
    missing = _found(session, context).missing
    return translate(language, "group.not_found", names=_quoted(missing, language)) if missing else None


def _pick_params(session: Session, context: Context) -> dict[str, Any]:
    """``{which}``: each name that matches several actors, while none of them is ticked."""
    lang = language_of(context)
    ticked = {str(v) for v in _selection(session, context, "pick")}
    lines = [
        translate(lang, "group.which", name=_quoted([name], lang), shown=len(rows)) + "\n"
        for name, rows in _found(session, context).several
        if not any(str(row[0]) in ticked for row in rows)
    ]
    return {"which": "".join(lines)}


def _selection(session: Session, context: Context, field: str) -> list[str]:
    """The actors ticked in the list ``field``: as the coordinator left them, else those proposed."""
    current = session.data.get(field)
    if current is not None:
        shown = {str(row[0]) for row in (_picked_rows if field == "pick" else _proposed_rows)(session, context)}
        kept = [str(v) for v in current if str(v) in shown]
        if session.data.get(BASIS) == _basis(session) or kept:  # not a list of former names
            return kept
    if field == "pick":
        return [str(row[0]) for row in _found(session, context).one]
    return [str(row[0]) for row in _proposed(session.data, context)[0]]


def _edit(field: str, rows_of: Callable[[Session, Context], list[Row]]) -> Callable[[str, Session, Context, str], Answer | None]:
    """What a message typed at a list of actors to invite does: a name in the list ticks or unticks
    it ("sans …" unticks, "ajouter …" ticks) and says so; a name not in the list but of the territory
    is offered for adding ("ajouter …" adds it at once); numbers that are all unticked tick them.
    None: read as usual (numbers that give the whole selection)."""

    def edit(text: str, session: Session, context: Context, language: str) -> Answer | None:
        rows = rows_of(session, context)
        selected = _selection(session, context, field)
        data = {key: value for key, value in session.data.items() if key != OFFER}
        if data.get(BASIS) != _basis(session):
            data = {**data, BASIS: _basis(session), OFFERED: []}
        offer = [str(v) for v in session.data.get(OFFER) or ()]
        said = answers_yes_no(text)  # « Oui ! Ajoute-la, elles font la même chose que nous »: a yes
        if offer and said is not None:
            if said:
                selected += [v for v in offer if v not in selected]
            else:
                data[OFFERED] = [r for r in data.get(OFFERED) or () if str(r[0]) not in offer]
            names = [row[1] for row in rows if str(row[0]) in offer]
            note = translate(language, "group.ticked" if said else "group.not_added", names=_listed(names, language))
            return Answer(reask=session.evolve(data={**data, field: selected}), note=note)
        numbers = number_list(text)
        if numbers is not None:
            if not all(1 <= n <= len(rows) and str(rows[n - 1][0]) not in selected for n in numbers):
                return None
            added = [rows[n - 1] for n in numbers]
            selected += [str(row[0]) for row in added if str(row[0]) not in selected]
            note = translate(language, "group.ticked", names=_listed([row[1] for row in added], language))
            return Answer(reask=session.evolve(data={**data, field: selected}), note=note)
        mode, rest = "toggle", text
        if (adding := ADD_WORDS.match(text)) is not None:
            mode, rest = "add", text[adding.end() :]
        elif (removing := REMOVE_WORDS.match(text)) is not None:
            mode, rest = "remove", text[removing.end() :]
        typed = _names(rest, context)
        if not typed:
            return None
        notes: list[str] = []
        offered = [list(r) for r in data.get(OFFERED) or ()]
        offering: list[str] = []
        for name, found in typed:
            listed = [row for row in rows if name_score(name, row[1])]
            if listed:
                row = _one(name, sorted(listed, key=lambda r: -name_score(name, r[1])))
                if row is None:
                    notes.append(translate(language, "group.several_listed", name=_quoted([name], language)))
                    continue
                value = str(row[0])
                tick = mode == "add" or (mode == "toggle" and value not in selected)
                if tick and value not in selected:
                    selected.append(value)
                elif not tick and value in selected:
                    selected.remove(value)
                notes.append(translate(language, "group.ticked" if tick else "group.unticked", names=row[1]))
                continue
            if mode == "remove" or not found:
                key = "group.not_listed" if found else "group.not_found_one"
                notes.append(translate(language, key, name=_quoted([name], language)))
                continue
            actor = _one(name, found)
            shown = [actor] if actor is not None else found[:SHOWN]
            offered += [list(row) for row in shown if all(int(r[0]) != row[0] for r in offered)]
            if actor is not None and mode == "add":
                selected.append(str(actor[0]))
                notes.append(translate(language, "group.added", names=actor[1]))
            elif actor is not None:
                offering.append(str(actor[0]))
                notes.append(translate(language, "group.offer_add", name=_quoted([name], language), actor=_label(context, actor)))
            else:
                notes.append(translate(language, "group.several_found", name=_quoted([name], language), shown=len(shown)))
        data = {**data, OFFERED: offered, field: selected}
        if offering:
            data[OFFER] = offering
        return Answer(reask=session.evolve(data=data), note="\n".join(notes))

    return edit


def _listed(names: list[str], language: str) -> str:
    return translate(language, "group.quote_separator").join(names)


def _check_call(value: Any, session: Session, context: Context) -> str | None:
    """A call answered by fewer actors than a group needs: said at once."""
    members, _ = members_of({**session.data, "call": value}, context)
    return "group.call_too_few" if len(members) < MIN_MEMBERS else None


def _check_source(value: Any, session: Session, context: Context) -> str | None:
    """Nothing to pick from: say so at once (no call answered yet, no cluster found)."""
    if value == "call" and not _call_options(session, context):
        return "group.no_call"
    if value == "cluster" and not _cluster_options(session, context):
        return "group.no_cluster"
    return None


SOURCES = (
    Option("call", key="group.from_call"),
    Option("selection", key="group.from_selection"),
    Option("cluster", key="group.from_cluster"),
)


def _chosen_names(text: str) -> str | None:
    """« je choisis : la boulangerie, les jardins… » at who to bring together: actors the coordinator
    chooses (« Des acteurs que je choisis »), unless what follows the lead-in is another source."""
    rest = without_choice_lead(text)
    if rest == text or "?" in text:  # « je veux savoir ce que c'est ? »: a question, never a choice
        return None
    try:
        return parse_choice(rest, SOURCES, "fr").value
    except InputError:
        return "selection"


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


def _proposed(data: Mapping[str, Any], context: Context) -> tuple[list[Row], str | None]:
    """Who a call's answers or a cluster proposes, and the cluster's theme."""
    if data.get("source") == "call" and data.get("call") and context.lookup is not None:
        rows = context.lookup.call_members(int(data["call"]), context.areas) or []
        return [(row[0], row[1], row[2], row[3]) for row in rows], None
    if data.get("source") == "cluster":
        cluster = next((c for c in _clusters(context) if f"{c['theme']}:{c['commune']}" == data.get("cluster")), None)
        if cluster is None:
            return [], None
        return [(row[0], row[1], row[2], row[3]) for row in cluster["rows"]], str(cluster["theme"])
    return [], None


def members_of(data: Mapping[str, Any], context: Context) -> tuple[list[tuple[int, str]], str | None]:
    """The chosen members (id, label) and the group's theme, from the answers so far: those a
    call or a cluster proposes that the coordinator kept ticked, or the actors they picked (and
    those they added to either list)."""
    session = Session(data=dict(data))
    if data.get("source") in ("call", "cluster"):
        theme = _proposed(data, context)[1]
        rows, field = _proposed_rows(session, context), "kept"
    else:
        theme, rows, field = None, _picked_rows(session, context), "pick"
    labels = {str(row[0]): _label(context, row) for row in rows}
    if field == "pick":  # in the order they were ticked
        return [(int(m), labels[m]) for m in _selection(session, context, "pick") if data.get("pick") is not None], theme
    kept = set(_selection(session, context, "kept"))
    return [(row[0], labels[str(row[0])]) for row in rows if str(row[0]) in kept], theme


def _preview(session: Session, context: Context) -> dict[str, Any]:
    """The group's name, who is chosen, and how many of them will be invited: those who do not accept
    coordinators' calls or paused are not (counted, never named, as a call's preview does)."""
    members, _ = members_of(session.data, context)
    language = language_of(context)
    reasons = list(context.lookup.left_out(tuple(m for m, _ in members)).values()) if context.lookup is not None and members else []
    lines = [f"• {label}" for _, label in members] + left_out_lines(language, reasons)
    return {
        "invited": translate_plural(language, "group.invited_n", len(members) - len(reasons)),
        "name": session.data.get("name", ""),
        "members": "\n".join(lines),
    }


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


def _members_step(step_id: str, prompt: str, rows: Callable[[Session, Context], list[Row]], **extra: Any) -> Step:
    """A list of actors to invite, those proposed ticked at first; untick some, add others, at least two stay."""
    return Step(
        step_id,
        "multi",
        prompt,
        next="name",
        options=_options_of(rows),
        preselect=lambda s, c: _selection(s, c, step_id),
        min_selected=MIN_MEMBERS,
        edit=_edit(step_id, rows),
        asks_yes_no=lambda s: bool(s.data.get(OFFER)),  # « Je l'ajoute ? »: « oui » adds, it does not finish
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
            options=SOURCES,
            understand=_chosen_names,
        ),
        "call": Step("call", "choice", "group.pick_call", next="kept", options=_call_options, check=_check_call),
        "cluster": Step("cluster", "choice", "group.pick_cluster", next="kept", options=_cluster_options),
        "kept": _members_step("kept", "group.pick_kept", _proposed_rows),
        "query": Step("query", "text", "group.query", next="pick", min_length=2, max_length=400, check=_check_found, lines_are_items=True),
        "pick": _members_step("pick", "group.pick", _picked_rows, params=_pick_params, arrival=_missing_note),
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


def left_out_lines(language: str, reasons: list[str]) -> list[str]:
    """How many chosen actors were not invited and why (no names, as a call's preview counts those it
    does not reach): not accepting coordinators' calls, paused."""
    return [
        translate_plural(language, f"group.left_out.{reason}_n", reasons.count(reason))
        for reason in ("calls", "pause")
        if reason in reasons
    ]
