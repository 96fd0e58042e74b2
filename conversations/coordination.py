"""Flows of coordinators and admins: appoint coordinators, broadcast a call, read the
answers, introduce two actors by hand, impact figures. Who may start them is checked by the
router before any of these flows begins (``réservé aux coordinateurs``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from conversations import exports
from conversations.calls import CALL_COMMANDS, CALL_FLOWS, check_when, scheduled_in, settle_when, show_day, when_iso
from conversations.calls import timezone_of as calls_timezone
from conversations.decisions import CHOICES
from conversations.directory import DIRECTORY
from conversations.engine import Finish, Flow, InputError, Option, Step
from conversations.events import EVENT_FLOWS, audience_line
from conversations.i18n import translate, translate_plural
from conversations.model import (
    AddCoordinator,
    Context,
    MarkAnswersRead,
    ProposeIntroduction,
    RemoveCoordinator,
    Session,
    StartBroadcast,
    language_of,
)
from conversations.periods import period_name, period_span, read_period
from conversations.picker import ActorPicker
from conversations.todo import TODO_COMMANDS, TODO_FLOWS
from conversations.understanding import KIND_WORDS, excerpt, fold
from core import catalog
from core.model import Area
from core.types import Attachment, Reply

BROADCAST_CHOICES: tuple[str, ...] = CHOICES["broadcast"]
IDENTITY_RE = re.compile(r"^(telegram|matrix|console):(\S{1,200})$")
PERIODS_DAYS: tuple[int, ...] = (30, 90, 365)


def _period(text: str, _: Session, context: Context) -> str | None:
    """The period said (:func:`conversations.periods.read_period`): a calendar period in words
    (« cette année » since 1 January, "last month", « l'année 2025 »), a rolling window in days
    (« les 30 derniers jours », "3 months"), a bare 30, 90 or 365; None otherwise (a typed 1, 2 or 3
    is then the option's number). A year to come has no figures yet: said."""
    period = read_period(text, PERIODS_DAYS)
    if period is not None and period_span(period, context.now.date())[0] > context.now.date():
        raise InputError("stats.period_future", period=period_name(period, language_of(context)))
    return period


def _area_value(area: Any) -> str:
    return f"{area.kind}:{area.code}"


def _find_area(context: Context, value: str) -> Any:
    return next(area for area in context.areas if _area_value(area) == value)


def _inside(context: Context, commune_code: str) -> bool:
    return any(
        area.code == commune_code or context.territories.contains(area.kind, area.code, commune_code)  # type: ignore[attr-defined]
        for area in context.areas
    )


def _validate_identity(text: str) -> str | None:
    return None if IDENTITY_RE.match(text.strip()) else "coord.bad_identity"


# ---------------------------------------------------------------- appoint coordinators (admins)


def _finish_coordinator(data: Mapping[str, Any], context: Context) -> Finish:
    action = data["action"]
    if action == "list":
        rows = context.lookup.coordinators() if context.lookup else []
        lines = [f"• {who} — {area} — {code}" for who, area, code in rows]
        text = translate_plural(language_of(context), "coord.list_n", len(rows)) + ("\n" + "\n".join(lines) if lines else "")
        return Finish(extra=(Reply(text=text, language=language_of(context)),))
    platform, _, user_id = data["who"].partition(":")
    if action == "remove":
        return Finish(effects=(RemoveCoordinator(platform, user_id),))
    return Finish(effects=(AddCoordinator(platform, user_id, dict(data["area"])),))


COORDINATOR = Flow(
    "coordinator",
    {
        "action": Step(
            "action",
            "choice",
            "coord.action",
            next=lambda data: None if data.get("action") == "list" else "who",
            options=(Option("add", key="coord.add"), Option("remove", key="coord.remove"), Option("list", key="coord.list_option")),
        ),
        "who": Step(
            "who",
            "text",
            "coord.who",
            next=lambda data: "area" if data.get("action") == "add" else None,
            max_length=220,
            validate=_validate_identity,
        ),
        "area": Step("area", "territory", "coord.area", next=None, territory_kinds=("commune", "arrondissement", "epci", "departement")),
    },
    first="action",
    finish=_finish_coordinator,
    requires_actor=False,
)


# ---------------------------------------------------------------- broadcast a call


def _area_options(_: Session, context: Context) -> list[Option]:
    """The coordinator's areas, and one commune of them only when that is a smaller audience (never
    for a territory that is one commune: a choice that changes nothing is not offered)."""
    options = [Option(_area_value(area), label=area.label) for area in context.areas]
    if any(_divided(area, context) for area in context.areas):
        options.append(Option("commune", key="broadcast.one_commune"))
    return options


def _only_area(session: Session, context: Context) -> Option | None:
    """A coordinator whose territory is one commune (Villeurbanne only) has nothing to choose: it is
    taken, and said (« C'est noté : Villeurbanne (69) »), never asked."""
    options = _area_options(session, context)
    return options[0] if len(options) == 1 else None


def _divided(area: Any, context: Context) -> bool:
    divided = getattr(context.territories, "divided", None)
    return bool(divided(area.kind, area.code)) if divided is not None else area.kind not in ("commune", "arrondissement")


def _after_area(data: Mapping[str, Any]) -> str:
    """The question after the area: the types, unless the coordinator's words already named them."""
    return "themes" if data.get(KINDS_READ) else "kinds"


KINDS_READ = "_kinds_read"
"""Session data: the types of actors were read from what the coordinator typed (« … à toutes les assos »)."""


def kinds_said(session: Session, context: Context, language: str) -> str | None:
    """« Destinataires : les associations »: what the answer to the types means, said back before the
    themes (a typed "1" keeps only the first type), so that a wrong reading is seen and corrected."""
    kinds = tuple(session.data.get("kinds") or ())
    if not kinds:
        return None
    named = (
        translate(language, "audience.all_kinds")
        if set(kinds) >= set(catalog.ACTOR_TYPES)
        else ", ".join(translate(language, f"broadcast.kinds_said.{kind}") for kind in kinds)
    )
    return translate(language, "broadcast.kinds_said", kinds=named)


def answers_line(mode: str, language: str) -> str:
    """How recipients of a call can answer, as they will see it (its buttons, or a written answer)."""
    buttons = " ".join(f"[{translate(language, f'decision.broadcast.{value}')}]" for value in BROADCAST_CHOICES)
    return translate(language, f"broadcast.preview_answers.{mode}", buttons=buttons)


_WHOLE_DEPARTEMENT = re.compile(
    r"^(?:(?:a|pour|sur|dans|to|for|in|on|across)\s+)?(?:(?:tout|toute|l'ensemble|l ensemble|the whole|whole|all|all of|the entire|entire)\s+)"
    r"(?:(?:le|la|l|du|de|des|the|of)\s+|l'\s*)*(?P<what>.+?)$"
)
_DEPARTEMENT_WORD = re.compile(r"^(?:departement|department|dept|dpt)\b\s*(?:(?:du|de|la|des|of|the)\s+|d'\s*)*(?P<name>.*)$")
_AREA_COURTESY = re.compile(r"(?:\s+(?:svp|stp|s'il vous plait|s il vous plait|please|merci|thanks))+$")


def _departement_said(text: str, _: Session, context: Context) -> str | None:
    """« tout le Rhône », « tout le département », "the whole département" at /diffuser's area question:
    the département's option when the coordinator has it; refused, naming the coordinator's territory,
    when it reaches beyond it. None when no whole département is said."""
    words = _AREA_COURTESY.sub("", " ".join(re.sub(r"[,.;!?]+", " ", fold(text).replace("’", "'")).split()))
    found = _WHOLE_DEPARTEMENT.match(words)
    if found is None or not context.areas:
        return None
    named = _DEPARTEMENT_WORD.match(found["what"])
    name = named["name"].strip() if named else found["what"]
    code = _departement_code(name, context) if name else _own_departement(context)
    if code is None:
        return None
    for area in context.areas:  # coordinators are of communes, intercommunalités, départements: never wider
        if area.kind == "departement" and area.code == code:
            return _area_value(area)
    departement = _territory(context, "departement", code)
    label = f"{departement.name} ({code})" if departement is not None else code
    raise InputError("broadcast.departement_outside", departement=label, territory=", ".join(a.label for a in context.areas))


def _territory(context: Context, kind: str, code: str) -> Any:
    area = getattr(context.territories, "area", None)
    return area(kind, code) if area is not None else None


def _departement_code(name: str, context: Context) -> str | None:
    """The département ``name`` names exactly (« rhone », "69"), None when it names none."""
    found = [c for c in context.territories.resolve(name, limit=4) if getattr(c, "kind", "") == "departement" and c.score >= 100]
    return str(found[0].code) if found else None


def _own_departement(context: Context) -> str | None:
    """The département the coordinator's territory lies in, when it lies in one only."""
    codes = set()
    for area in context.areas:
        if area.kind == "departement":
            codes.add(area.code)
            continue
        found = _territory(context, area.kind, area.code) if area.kind != "commune" else context.territories.commune(area.code)
        if found is None or not getattr(found, "departement", None):
            return None
        codes.add(str(found.departement))
    return codes.pop() if len(codes) == 1 else None


def _check_commune(value: Any, _: Session, context: Context) -> str | None:
    return None if _inside(context, value["code"]) else "broadcast.outside"


def _kinds_options(_: Session, __: Context) -> list[Option]:
    return [Option(kind, key=f"actor_type.{kind}", words=KIND_WORDS[kind]) for kind in catalog.ACTOR_TYPES]


def _themes_options(_: Session, __: Context) -> list[Option]:
    return [Option(theme, key=f"theme.{theme}") for theme in catalog.THEME_VALUES]


def broadcast_area(data: Mapping[str, Any], context: Context) -> dict[str, Any]:
    """The targeted area as stored: one of the coordinator's, or a commune inside one."""
    if data.get("area") == "commune":
        place = data["commune"]
        return {"kind": "commune", "code": place["code"], "label": place["label"]}
    area = _find_area(context, data["area"])
    return {"kind": area.kind, "code": area.code, "label": area.label}


def _filters(data: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    kinds = tuple(data.get("kinds") or ())
    themes = tuple(data.get("themes") or ())
    # everything ticked means no filter (new themes or types are not excluded by accident)
    return (() if set(kinds) >= set(catalog.ACTOR_TYPES) else kinds, () if set(themes) >= set(catalog.THEME_VALUES) else themes)


def _preview_params(session: Session, context: Context) -> dict[str, Any]:
    area = broadcast_area(session.data, context)
    kinds, themes = _filters(session.data)
    sender = context.actor.id if context.actor else None  # never a recipient of their own call
    count = context.lookup.audience_size(Area(**area), kinds, themes, sender) if context.lookup else 0
    lang = language_of(context)
    if count:
        question = translate(lang, "broadcast.ask_send")
    else:  # nobody: say why; the call cannot be sent
        reason = context.lookup.empty_reason(Area(**area), kinds, themes) if context.lookup else None
        question = translate(lang, f"broadcast.empty.{reason or 'nobody'}")
    audience = audience_line(kinds, themes, area["label"], lang) + "\n" + answers_line(str(session.data.get("mode") or "none"), lang)
    return {"count": count, "area": area["label"], "message": session.data.get("message", ""), "question": question, "audience": audience}


def _confirm_options(session: Session, context: Context) -> list[Option]:
    """Send now or later when the call reaches someone; otherwise only cancel."""
    if _preview_params(session, context)["count"]:
        values: tuple[str, ...] = ("send", "schedule", "cancel")
    else:
        values = ("cancel",)
    return [Option(value, key=f"broadcast.{value}", words=_CONFIRM_WORDS[value]) for value in values]


_CONFIRM_WORDS: dict[str, tuple[str, ...]] = {
    "send": (
        "envoie", "envoies", "envoyez", "envoie le", "envoyez le", "l envoyer", "maintenant", "tout de suite",
        "immediatement", "des maintenant", "vas y", "allez y", "go", "send it", "send now", "now", "right away",
        "right now", "go ahead", "immediately",
    ),
    "schedule": ("programme", "programmez", "programme le", "plus tard", "later", "schedule it"),
    "cancel": ("annule", "annulez", "abandonne", "cancel it", "drop it"),
}  # fmt: skip
"""Words that choose an answer at the preview (« envoie maintenant stp », « envoie-le tout de suite », "send it now
please", "go ahead and send"); a moment said with them is a schedule (:func:`_schedule_said`, read first)."""


SCHEDULED = "schedule_at"
"""The preview's answer when it named the moment (« programme-le pour demain 9h »): ``{SCHEDULED: ISO UTC}``."""


def _schedule_said(text: str, session: Session, context: Context) -> dict[str, str] | None:
    """At the preview, an instruction that names its moment (« programme-le pour demain 9h »,
    "schedule it for tomorrow 9am", « envoie-le lundi à 10h »): scheduled for then, never asked again
    (:func:`conversations.calls.scheduled_in`, the date question's reader). None without a moment, or
    when the call reaches nobody (nothing can be sent)."""
    if not _preview_params(session, context)["count"]:
        return None
    moment = scheduled_in(text, context)
    return None if moment is None else {SCHEDULED: moment}


def _finish_broadcast(data: Mapping[str, Any], context: Context) -> Finish:
    confirm = data.get("confirm")
    if isinstance(confirm, dict) and confirm.get(SCHEDULED):
        kinds, themes = _filters(data)
        effect = StartBroadcast(broadcast_area(data, context), kinds, themes, data["message"], data["mode"], str(confirm[SCHEDULED]))
        return Finish(effects=(effect,))
    if confirm not in ("send", "schedule"):
        return Finish(message="broadcast.cancelled")
    kinds, themes = _filters(data)
    send_at = when_iso(data["when"], context) if confirm == "schedule" else None
    return Finish(effects=(StartBroadcast(broadcast_area(data, context), kinds, themes, data["message"], data["mode"], send_at),))


BROADCAST = Flow(
    "broadcast",
    {
        "area": Step(
            "area",
            "choice",
            "broadcast.area",
            next=lambda d: "commune" if d.get("area") == "commune" else _after_area(d),
            options=_area_options,
            understand_in=_departement_said,
            auto=_only_area,
        ),
        "commune": Step("commune", "territory", "broadcast.commune", next=_after_area, check=_check_commune),
        "kinds": Step(
            "kinds",
            "multi",
            "broadcast.kinds",
            next="themes",
            options=_kinds_options,
            preselect=lambda s, c: catalog.ACTOR_TYPES,
            ticked_prompt="broadcast.kinds_ticked",
        ),
        "themes": Step(
            "themes",
            "multi",
            "broadcast.themes",
            next="message",
            options=_themes_options,
            preselect=lambda s, c: catalog.THEME_VALUES,
            ticked_prompt="broadcast.themes_ticked",
            arrival=kinds_said,
        ),
        "message": Step("message", "text", "broadcast.message", next="mode", min_length=10, max_length=2000),
        "mode": Step(
            "mode",
            "choice",
            "broadcast.mode",
            next="confirm",
            options=tuple(Option(m, key=f"broadcast.mode.{m}") for m in ("none", "interested", "text")),
        ),
        "confirm": Step(
            "confirm",
            "choice",
            "broadcast.preview_n",
            next=lambda d: "when" if d.get("confirm") == "schedule" else None,
            options=_confirm_options,
            params=_preview_params,
            understand_in=_schedule_said,
        ),
        "when": Step("when", "text", "broadcast.when", next=None, max_length=80, check=check_when, settle=settle_when),
    },
    first="area",
    finish=_finish_broadcast,
    requires_actor=False,
)


# ---------------------------------------------------------------- answers


def _broadcast_options(_: Session, context: Context) -> list[Option]:
    """The calls that have answers to read: one nobody answered yet is never offered (it would open nothing)."""
    rows = context.lookup.broadcasts(context.areas) if context.lookup else []
    lang, zone = language_of(context), calls_timezone(context)
    return [
        Option(
            str(bid),
            label=translate_plural(lang, "answers.line_n", count, id=number, date=show_day(day, zone, lang), message=excerpt(message, 40)),
        )
        for bid, day, message, count, number in rows
        if count
    ]


def _only_answered(session: Session, context: Context) -> Option | None:
    """One call with answers: they are shown at once, never asked « Les réponses de quel appel ? » with a single
    choice (an option without label: nothing said before the answers, whose header names the call)."""
    options = _broadcast_options(session, context)
    return Option(options[0].value) if len(options) == 1 else None


def _delivery_said(delivery: Any, language: str) -> str:
    """How far a call went, each count in its plural form (« 2 reçus », « 1 échec », « 1 en cours d'envoi »); the
    received always, the others only when there are some."""
    parts = [translate_plural(language, "broadcast.sent_n", delivery.sent)]
    parts += [
        translate_plural(language, f"{key}_n", count)
        for key, count in (
            ("broadcast.failed", delivery.failed),
            ("broadcast.unreachable", delivery.unreachable),
            ("answers.pending", delivery.pending),
        )
        if count
    ]
    return ", ".join(parts)


def unanswered_line(broadcast_id: int, context: Context) -> str:
    """What is said of a sent call nobody answered (« Personne n'a encore répondu à votre appel n°1 du 3 déc. 2026
    (« Vos idées… ») : envoyé à 2 acteurs — 2 reçus. »); an information-only call awaits no answer, said so."""
    rows = context.lookup.broadcasts(context.areas) if context.lookup else []
    deliveries = context.lookup.deliveries(context.areas) if context.lookup else {}
    row = next((r for r in rows if r[0] == broadcast_id), None)
    return _unanswered(broadcast_id, row, deliveries.get(broadcast_id), context)


def _unanswered(broadcast_id: int, row: tuple[int, str, str, int, int] | None, delivery: Any, context: Context) -> str:
    """:func:`unanswered_line` of the call's row and delivery, read once by the caller."""
    lang, zone = language_of(context), calls_timezone(context)
    if row is None or delivery is None:  # not among the last ten: its number only
        return translate(lang, "answers.nobody_yet_short", id=shown_number(broadcast_id, context))
    _, day, message, _, number = row
    named = {"id": number, "date": show_day(day, zone, lang), "message": excerpt(message, 40)}
    if delivery.mode == "none":
        return translate_plural(lang, "answers.information_n", delivery.total, **named)
    if delivery.total == 0:
        return translate(lang, "answers.nobody_reached", **named)
    return translate_plural(lang, "answers.nobody_yet_n", delivery.total, delivery=_delivery_said(delivery, lang), **named)


def _no_answers_yet(context: Context) -> Finish:
    """``/reponses`` with no call answered: said plainly, each call with how far it went; never a question."""
    rows = context.lookup.broadcasts(context.areas) if context.lookup else []
    if not rows:
        return Finish(message="answers.none")
    deliveries = context.lookup.deliveries(context.areas) if context.lookup else {}
    lines = [_unanswered(row[0], row, deliveries.get(row[0]), context) for row in rows]
    return Finish(extra=(Reply(text="\n".join(lines), language=language_of(context)),))


def call_by_number(argument: str, context: Context) -> int | None:
    """The sent call a coordinator names by the number shown to them (``/reponses 3``, ``n°3``, ``#3``):
    its broadcast id, or None when none of their last calls has it."""
    found = re.fullmatch(r"\s*(?:n\s*°|no\.?|#)?\s*(\d{1,9})\s*", argument, re.IGNORECASE)
    if found is None or context.lookup is None:
        return None
    wanted = int(found[1])
    return next((bid for bid, _, _, _, number in context.lookup.broadcasts(context.areas) if number == wanted), None)


def shown_number(broadcast_id: int, context: Context) -> int:
    """The number a coordinator sees for one of their calls (its broadcast id only if it is not listed)."""
    rows = context.lookup.broadcasts(context.areas) if context.lookup else []
    return next((number for bid, _, _, _, number in rows if bid == broadcast_id), broadcast_id)


def answer_line(name: str, kind: str, place: str, answer: str, language: str) -> str:
    """One answer to a call as the coordinator reads it (never a contact)."""
    shown = exports.shown_answer(answer, language)
    return f"• {name} ({translate(language, f'actor_type.{kind}')}, {place}) : {shown}"


def answers_csv(rows: list[tuple[str, str, str, str, str]], language: str = "fr", timezone: str = "Europe/Paris") -> bytes:
    """The answers of a broadcast as a spreadsheet-friendly CSV (no contacts; see :mod:`conversations.exports`)."""
    return exports.answers_csv(rows, language, timezone)


csv_cell = exports.csv_cell


def _finish_answers(data: Mapping[str, Any], context: Context) -> Finish:
    lang = language_of(context)
    broadcast_id = int(data["broadcast"])
    rows = context.lookup.answers(broadcast_id, context.areas) if context.lookup else None
    if rows is None:
        return Finish(message="coord.refused")
    if not rows:  # « /reponses 2 » of a call nobody answered yet: said, with how far it went (no empty CSV)
        return Finish(extra=(Reply(text=unanswered_line(broadcast_id, context), language=lang),))
    lines = [answer_line(name, kind, place, answer, lang) for name, kind, place, answer, _ in rows]
    number = shown_number(broadcast_id, context)
    text = translate_plural(lang, "answers.header_n", len(rows), id=number) + ("\n" + "\n".join(lines) if lines else "")
    document = Reply(
        text=translate(lang, "answers.csv"),
        attachment=Attachment(f"reponses-appel-{number}.csv", "text/csv", answers_csv(rows, lang, calls_timezone(context))),
        language=lang,
    )
    return Finish(extra=(Reply(text=text, language=lang), document), effects=(MarkAnswersRead(broadcast_id),))


ANSWERS = Flow(
    "answers",
    {"broadcast": Step("broadcast", "choice", "answers.pick", next=None, options=_broadcast_options, auto=_only_answered)},
    first=lambda session, context: "broadcast" if _broadcast_options(session, context) else None,
    finish=_finish_answers,
    requires_actor=False,
    empty=_no_answers_yet,
)


# ---------------------------------------------------------------- introductions by hand


PICKER = ActorPicker(lambda context: context.areas, none_found="introduce.none_found", pick="introduce.pick")


def _check_different(value: Any, session: Session, _: Context) -> str | None:
    return "introduce.same" if value == session.data.get("first") else None


def _chosen_label(name: str, session: Session, context: Context) -> str:
    """How the actor chosen at step ``name`` is shown ("Asso du Tonkin (Association, Villeurbanne (69))")."""
    chosen = str(session.data.get(name))
    return next((o.render(language_of(context)) for o in PICKER.options(f"{name}_query")(session, context) if o.value == chosen), "?")


def _introduce_params(session: Session, context: Context) -> dict[str, Any]:
    lang = language_of(context)
    why = " ".join(str(session.data.get("why") or "").split())
    return {
        "first": _chosen_label("first", session, context),
        "second": _chosen_label("second", session, context),
        "why": translate(lang, "introduce.confirm_why", why=why) if why else "",
    }


def _finish_introduce(data: Mapping[str, Any], _: Context) -> Finish:
    if data.get("confirm") != "send":
        return Finish(message="introduce.cancelled")
    why = " ".join(str(data.get("why") or "").split()) or None
    return Finish(effects=(ProposeIntroduction(int(data["first"]), int(data["second"]), why),))


INTRODUCE = Flow(
    "introduce",
    {
        **PICKER.steps("first", "introduce.first", then="second_query"),
        **PICKER.steps("second", "introduce.second", then="why", check=_check_different),
        "why": Step("why", "text", "introduce.why", next="confirm", skippable=True, min_length=3, max_length=200, announce_limit=True),
        "confirm": Step(
            "confirm",
            "choice",
            "introduce.confirm",
            next=None,
            options=(Option("send", key="introduce.confirm_send"), Option("cancel", key="introduce.confirm_cancel")),
            params=_introduce_params,
        ),
    },
    first="first_query",
    finish=_finish_introduce,
    requires_actor=False,
)


# ---------------------------------------------------------------- impact figures


def _finish_stats(data: Mapping[str, Any], context: Context) -> Finish:
    lang = language_of(context)
    area = _find_area(context, data["area"]) if data.get("area") else context.areas[0]
    if context.lookup is None:
        return Finish()
    text, figures, csv_bytes = context.lookup.impact(area, str(data["period"]), lang)
    chart = {"render": "impact_png", "figures": figures, "label": area.label}
    return Finish(
        extra=(
            Reply(text=text, language=lang),
            Reply(text=translate(lang, "impact.chart_caption"), language=lang, meta=chart),
            Reply(text=translate(lang, "impact.csv_caption"), attachment=Attachment("impact.csv", "text/csv", csv_bytes), language=lang),
        )
    )


STATS = Flow(
    "stats",
    {
        "area": Step(
            "area",
            "choice",
            "impact.pick_area",
            next="period",
            options=lambda s, c: [Option(_area_value(a), label=a.label) for a in c.areas],
        ),
        "period": Step(
            "period",
            "choice",
            "impact.pick_period",
            next=None,
            options=tuple(Option(str(days), key="impact.days", params={"days": days}) for days in PERIODS_DAYS),
            understand_in=_period,
        ),
    },
    first=lambda session, context: "area" if len(context.areas) > 1 else "period",
    finish=_finish_stats,
    requires_actor=False,
)

COORDINATION_FLOWS: dict[str, Flow] = {flow.id: flow for flow in (COORDINATOR, BROADCAST, ANSWERS, INTRODUCE, STATS)}
COORDINATION_FLOWS.update(CALL_FLOWS)
COORDINATION_FLOWS.update(TODO_FLOWS)
COORDINATION_FLOWS[DIRECTORY.id] = DIRECTORY
COORDINATION_FLOWS.update(EVENT_FLOWS)
COORDINATOR_COMMANDS: dict[str, str] = {"diffuser": "broadcast", "reponses": "answers", "presenter": "introduce", "stats": "stats"}
COORDINATOR_COMMANDS.update(CALL_COMMANDS)
COORDINATOR_COMMANDS.update(TODO_COMMANDS)
COORDINATOR_COMMANDS["evenement"] = "event"
