"""The entry point of the conversations: commands, the main menu and the current flow.

:func:`advance` is pure: given the stored session, what the person sent and a snapshot of
their data, it returns the new session, the replies and the effects to store.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot.types import Attachment, Reply
from conversations.commands import command_name, parse_command
from conversations.decisions import decision_reply, is_token, takes_free_text
from conversations.engine import (
    BACK,
    CUT,
    MAX_INPUT_CHARS,
    SKIP,
    Answer,
    Step,
    Finish,
    Flow,
    InputError,
    Option,
    UserInput,
    answer_step,
    ask,
    current_question,
    language_of,
    next_step_id,
    parse_choice,
)
from conversations.understanding import fold, guess_listing, shorten
from conversations.coordination import COORDINATION_FLOWS, COORDINATOR_COMMANDS
from conversations.flows import FLOWS, profile_summary
from conversations.i18n import translate
from conversations.model import Context, CreateActor, Decide, Session, StepResult, UpdateActor

DECISION_FLOW = "decision"
ALL_FLOWS: dict[str, Flow] = {**FLOWS, **COORDINATION_FLOWS}

COMMAND_FLOWS: dict[str, tuple[str, dict[str, Any]]] = {
    "besoin": ("listing", {"kind": "need"}),
    "offre": ("listing", {"kind": "offer"}),
    "annonces": ("listings", {}),
    "profil": ("profile", {"_edit": True}),
    "reglages": ("settings", {}),
    "supprimer": ("delete", {}),
}


def advance(session: Session, user_input: UserInput, context: Context, flows: Mapping[str, Flow] = ALL_FLOWS) -> StepResult:
    """Process one input and return the new state, the replies and the effects."""
    language = language_of(session, context)
    if session.language is None:
        session = session.evolve(language=language)
    if user_input.text is not None and user_input.choice is None and user_input.choices is None:
        parsed = parse_command(user_input.text) or _bare_command(user_input.text, session, context, flows)
        if parsed is not None:
            return _command(parsed[0], parsed[1], session, context, language, flows)
    if is_token(user_input.prompt_id):
        return _decide(str(user_input.prompt_id), user_input, session, context, language, flows)
    if session.flow == DECISION_FLOW and user_input.prompt_id is None:
        pending = session.data.get("token")
        if any(view.token == pending for view in context.decisions):
            return _decide(str(pending), user_input, session, context, language, flows)
        session = session.evolve(flow=None, step=None, data={})
    if session.flow in flows and session.step is not None and session.step not in flows[session.flow].steps:
        return _resume_moved(flows[session.flow], session, context, language, flows)
    if session.flow is None or session.flow not in flows or session.step not in flows[session.flow].steps:
        return _idle(session, user_input, context, language, flows)
    if user_input.prompt_id is not None and user_input.prompt_id != session.prompt_id:
        return _rejected(session, context, language, flows, "error.stale")
    if user_input.prompt_id is None and (user_input.choice is not None or user_input.choices is not None):
        return _rejected(session, context, language, flows, "error.stale")
    flow = flows[session.flow]
    step = flow.steps[session.step]  # type: ignore[index]
    if flow.id == "menu" and user_input.text is not None:
        started = _listing_from_sentence(user_input.text, session, context, language, flows, menu_step=step)
        if started is not None:
            return started
    if (flow.id, step.id) == ("listing", "category") and user_input.text is not None and "description" not in session.data:
        # "des bras pour la distribution du samedi" at "Besoin : de quoi s'agit-il ?": category and description at once
        started = _listing_from_sentence(user_input.text, session, context, language, flows, kind=session.data.get("kind"))
        if started is not None:
            return started
    try:
        answer = answer_step(step, session, user_input, context, language)
        if step.check is not None and answer.value is not None and answer.navigation is None:
            refusal = step.check(answer.value, session, context)
            if refusal:
                raise InputError(refusal)
    except InputError as error:
        if flow.id == "menu" and error.key == "error.expected_choice":
            return _rejected(session, context, language, flows, "menu.not_understood")
        return _rejected(session, context, language, flows, error.key, **error.params)
    return _apply_answer(flow, session, answer, context, language, flows)


def _decide(
    tok: str, user_input: UserInput, session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult:
    """Answer the open decision ``tok`` (a button on its message, or typed text when it is current)."""
    view = next((d for d in context.decisions if d.token == tok), None)
    if view is None:
        return _rejected(session, context, language, flows, "decision.gone")
    question = decision_reply(view, language)
    try:
        if user_input.choice is not None:
            if user_input.choice not in {c.value for c in question.choices}:
                raise InputError("error.invalid_choice")
            value = user_input.choice
        elif user_input.choices is not None:
            raise InputError("error.invalid_choice")
        else:
            text = (user_input.text or "").strip()
            if not text:
                raise InputError("error.empty")
            if len(text) > MAX_INPUT_CHARS:
                raise InputError("error.too_long", length=len(text), maximum=MAX_INPUT_CHARS)
            if takes_free_text(view):
                if len(text) > 1000:
                    raise InputError("error.too_long", length=len(text), maximum=1000)
                value = " ".join(text.split())
            else:
                options = [Option(c.value, label=c.label) for c in question.choices]
                value = parse_choice(text, options, language).value
    except InputError as error:
        reply = Reply(text=translate(language, error.key, **error.params), language=language)
        return StepResult(session, (reply, question), accepted=False)
    remaining = [d for d in context.decisions if d.token != tok]
    effects = (Decide(tok, value),)
    if remaining:
        following = remaining[0]
        session = session.evolve(
            flow=DECISION_FLOW, step="answer", data={"token": following.token}, history=(), prompt_seq=session.prompt_seq + 1
        )
        return StepResult(session, (decision_reply(following, language),), effects)
    menu_session, menu = ask(flows["menu"], "main", session.evolve(data={}, history=()), context, language)
    return StepResult(menu_session, (menu,), effects)


def _suggestions(session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    views = [view for view in context.decisions if view.kind == "suggestion"]
    if not views:
        return _menu(session, context, language, flows, "suggestions.none")
    header = Reply(text=translate(language, "suggestions.header", count=len(views)), language=language)
    session = session.evolve(
        flow=DECISION_FLOW, step="answer", data={"token": views[0].token}, history=(), prompt_seq=session.prompt_seq + 1
    )
    return StepResult(session, (header, decision_reply(views[0], language)))


def _apply_answer(
    flow: Flow, session: Session, answer: Answer, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult:
    step = flow.steps[session.step]  # type: ignore[index]
    if answer.reask is not None:
        reasked, reply = ask(flow, step.id, answer.reask, context, language)
        return StepResult(reasked, (reply,))
    if answer.navigation == BACK:
        previous = session.history[-1]
        back = session.evolve(history=session.history[:-1], data={k: v for k, v in session.data.items() if k != CUT})
        back, reply = ask(flow, previous, back, context, language)
        return StepResult(back, (reply,))
    data = dict(session.data)
    data.pop("_candidates", None)
    if step.kind == "text":
        data.pop(CUT, None)
    if answer.navigation == SKIP:
        data[step.field] = None
    else:
        data[step.field] = step.convert(answer.value) if step.convert else answer.value
    if flow.id == "menu":
        return _command(str(answer.value), "", session.evolve(flow=None, step=None, data={}), context, language, flows)
    following = next_step_id(step, data)
    session = session.evolve(data=data, history=(*session.history, step.id))
    if following is None:
        return _finish(flow, session, context, language, flows)
    session, reply = ask(flow, following, session, context, language)
    return StepResult(session, (reply,))


def _finish(flow: Flow, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    finish = flow.finish(session.data, context)
    return _conclude(finish, session, context, language, flows)


def _conclude(finish: Finish, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    language = finish.language or language
    replies: list[Reply] = []
    if finish.message:
        params = dict(finish.params)
        if "frequency_key" in params:
            params["frequency"] = translate(language, f"frequency.{params.pop('frequency_key')}")
        replies.append(Reply(text=translate(language, finish.message, **params), language=language))
    replies.extend(finish.extra)
    session = session.evolve(flow=None, step=None, data={}, history=(), language=language)
    if finish.reset:
        session = Session(language=language, prompt_seq=session.prompt_seq + 1)
    elif finish.then_menu and (context.actor is not None or any(isinstance(e, CreateActor) for e in finish.effects)):
        session, menu = ask(flows["menu"], "main", session, context, language)
        replies.append(menu)
    return StepResult(session, tuple(replies), finish.effects)


def _rejected(
    session: Session, context: Context, language: str, flows: Mapping[str, Flow], key: str, **params: Any
) -> StepResult:
    text = translate(language, key, **params)
    current = current_question(flows, session, context, language)
    if current is not None and session.flow != "menu":
        text += "\n" + translate(language, "help.how_to_leave" if context.actor else "help.how_to_leave_onboarding")
    replies = [Reply(text=text, language=language)]
    if current is not None:
        replies.append(current)
    return StepResult(session, tuple(replies), accepted=False)


def _idle(
    session: Session, user_input: UserInput, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult:
    if context.actor is None:
        text = translate(language, "idle.not_registered")
        return StepResult(session.evolve(flow=None, step=None), (Reply(text=text, language=language),), accepted=False)
    if user_input.text is not None:
        started = _listing_from_sentence(user_input.text, session, context, language, flows)
        if started is not None:
            return started
    key = "error.stale" if user_input.text is None else "idle.not_understood"
    menu_session, menu = ask(flows["menu"], "main", session.evolve(data={}, history=()), context, language)
    return StepResult(menu_session, (Reply(text=translate(language, key), language=language), menu), accepted=False)


BARE_COMMANDS: dict[str, str] = {
    "aide": "aide", "help": "aide", "menu": "menu", "annuler": "annuler", "cancel": "annuler",
}
BACK_WORDS = ("retour", "back")


def _bare_command(
    text: str, session: Session, context: Context, flows: Mapping[str, Flow]
) -> tuple[str, str] | None:
    """"aide", "menu", "annuler", "help", "cancel" typed without a slash; "retour" on a first step → the menu."""
    word = fold(text).strip(" .!?")
    if word in BARE_COMMANDS:
        return BARE_COMMANDS[word], ""
    if word in BACK_WORDS and not session.history and context.actor is not None:
        if session.flow in flows and session.flow != DECISION_FLOW:
            return "menu", ""
    return None


def _listing_from_sentence(
    text: str,
    session: Session,
    context: Context,
    language: str,
    flows: Mapping[str, Flow],
    menu_step: Step | None = None,
    kind: str | None = None,
) -> StepResult | None:
    """A sentence typed at the menu or when idle ("on cherche des bénévoles le samedi matin")
    starts a need or an offer with the guessed category and the sentence as its description.
    With ``kind`` (a need or an offer already chosen) only a sentence naming a category counts."""
    if context.actor is None or len(text) > MAX_INPUT_CHARS:
        return None
    guess = guess_listing(text)
    if not guess.is_listing or (kind is not None and (guess.category is None or len(text.split()) < 4)):
        return None
    if menu_step is not None and guess.category is None:
        try:
            answer_step(menu_step, session, UserInput(text=text), context, language)
            return None  # a menu entry ("déclarer un besoin"): the menu answers it
        except InputError:
            pass
    description = " ".join(text.split())
    data: dict[str, Any] = {"kind": kind or guess.kind or "need", "description": description}
    if guess.category:
        data["category"] = guess.category
    if guess.skills:
        data["skill"] = list(guess.skills)
    limit = flows["listing"].steps["description"].max_length
    if len(description) > limit:  # too long: its first characters are proposed at the description step
        data[CUT] = shorten(data.pop("description"), limit)
    return _start_flow("listing", data, session.evolve(flow=None, step=None, data={}, history=()), context, language, flows)


def _resume_moved(
    flow: Flow, session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult:
    """A saved session on a step this version no longer has: the flow starts again, answers kept."""
    session = session.evolve(history=tuple(h for h in session.history if h in flow.steps))
    target = flow.first_step(session, context)
    note = Reply(text=translate(language, "session.moved"), language=language)
    if target is None or target not in flow.steps:
        result = _menu(session, context, language, flows, None) if context.actor else _idle(
            session.evolve(flow=None, step=None), UserInput(), context, language, flows
        )
        return replace(result, replies=(note, *result.replies), accepted=False)
    moved, reply = ask(flow, target, session, context, language)
    return StepResult(moved, (note, reply), accepted=False)


def _start_flow(
    flow_id: str, data: dict[str, Any], session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult:
    flow = flows[flow_id]
    fresh = session.evolve(flow=flow_id, step=None, data=dict(data), history=())
    first = flow.first_step(fresh, context)
    if first is None:
        finish = flow.empty(context) if flow.empty else Finish()
        return _conclude(finish, fresh, context, language, flows)
    fresh, reply = ask(flow, first, fresh, context, language)
    return StepResult(fresh, (reply,))


def _invitation(code: str, context: Context) -> tuple[str | None, str] | None:
    """Who invites with ``code`` (see :meth:`conversations.model.Lookup.invitation`)."""
    if not code or context.lookup is None:
        return None
    return context.lookup.invitation(code[:64])


def _command(
    name: str, args: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult:
    if name.startswith("?"):
        return _rejected(session, context, language, flows, "error.unknown_command", command="/" + name[1:])
    if name == "aide":
        text = help_text(language)
        if context.areas:
            text += "\n" + translate(language, "help.coordinators")
        if context.is_admin:
            text += "\n" + translate(language, "help.admins")
        replies = [Reply(text=text, language=language)]
        current = current_question(flows, session, context, language)
        if current is not None:
            replies.append(current)
        return StepResult(session, tuple(replies))
    if name == "start":
        invited = _invitation(args, context)
        if args and invited is None:  # unknown or revoked code: say so, go on without it
            unknown = translate(language, "invite.unknown", code=args[:64])
            notes: tuple[Reply, ...] = (Reply(text=unknown, language=language),)
        else:
            notes = ()
        if invited is not None:
            session = session.evolve(invite=args[:64])
        if context.actor is None:
            welcome = Reply(text=translate(language, "onboarding.welcome"), language=language)
            if invited is not None:
                by, area = invited
                key = "invite.welcome_by" if by else "invite.welcome_area"
                welcome = replace(welcome, text=translate(language, key, by=by or "", area=area) + "\n" + welcome.text)
            result = _start_flow("onboarding", {}, session, context, language, flows)
            return replace(result, replies=(*notes, welcome, *result.replies))
        result = _menu(session, context, language, flows, "menu.welcome_back", name=context.actor.name)
        return replace(result, replies=(*notes, *result.replies))
    if name == "annuler":
        if context.actor is None:
            cleared = session.evolve(flow=None, step=None, data={}, history=())
            return StepResult(cleared, (Reply(text=translate(language, "cancel.not_registered"), language=language),))
        return _menu(session, context, language, flows, "cancel.done")
    if name == "coordinateur":
        if not context.is_admin:
            return _rejected(session, context, language, flows, "coord.admins_only")
        return _start_flow("coordinator", {}, session, context, language, flows)
    if name in COORDINATOR_COMMANDS:
        if not context.areas:
            return _rejected(session, context, language, flows, "coord.coordinators_only")
        return _start_flow(COORDINATOR_COMMANDS[name], {}, session, context, language, flows)
    if context.actor is None and name == "supprimer":  # what an unfinished onboarding stored
        return _start_flow("delete", {}, session.evolve(flow=None, step=None, data={}, history=()), context, language, flows)
    if name == "mesdonnees":
        return StepResult(session, (_export(session, context, language),))
    if context.actor is None:
        return _rejected(session, context, language, flows, "idle.not_registered")
    if name == "menu":
        return _menu(session, context, language, flows, None)
    if name in COMMAND_FLOWS:
        flow_id, data = COMMAND_FLOWS[name]
        result = _start_flow(flow_id, data, session, context, language, flows)
        if name == "profil":
            summary = Reply(text=profile_summary(context), language=language)
            return replace(result, replies=(summary, *result.replies))
        return result
    if name == "suggestions":
        return _suggestions(session, context, language, flows)
    if name == "pause":
        return _menu(session, context, language, flows, "pause.done", effects=(UpdateActor({"paused": True}),))
    if name == "reprendre":
        return _menu(session, context, language, flows, "resume.done", effects=(UpdateActor({"paused": False}),))
    return _rejected(session, context, language, flows, "error.unknown_command", command="/" + name)


def _menu(
    session: Session,
    context: Context,
    language: str,
    flows: Mapping[str, Flow],
    message: str | None,
    effects: tuple[Any, ...] = (),
    **params: Any,
) -> StepResult:
    replies: list[Reply] = []
    if message:
        replies.append(Reply(text=translate(language, message, **params), language=language))
    menu_session, menu = ask(flows["menu"], "main", session.evolve(data={}, history=()), context, language)
    replies.append(menu)
    return StepResult(menu_session, tuple(replies), effects)


def _export(session: Session, context: Context, language: str) -> Reply:
    """``/mesdonnees``: everything stored about the person, as a JSON file."""
    name = context.actor.id if context.actor is not None else context.identity.user_id
    return Reply(
        text=translate(language, "mydata.caption"),
        attachment=Attachment(
            filename=f"traitdunion-{name}.json".replace("/", "_"),
            mime_type="application/json",
            data=export_json(context, session).encode("utf-8"),
        ),
        language=language,
    )


def help_text(language: str) -> str:
    """The list of commands with a line each, in ``language``."""
    lines = [translate(language, "help.intro")]
    for name in ("start", "menu", "besoin", "offre", "suggestions", "annonces", "profil", "reglages", "pause", "reprendre", "mesdonnees", "supprimer", "annuler", "aide"):
        lines.append(f"/{command_name(name, language)} — {translate(language, f'command.{name}')}")
    lines.append(translate(language, "help.outro"))
    return "\n".join(lines)


def export_json(context: Context, session: Session | None = None) -> str:
    """Everything stored about the person, as indented JSON (answers of an unfinished flow included)."""
    actor = context.actor
    in_progress = {} if session is None else {"conversation": {"flow": session.flow, "step": session.step, "data": session.data}}
    if actor is None:
        identity = context.identity
        document: dict[str, Any] = {
            "actor": None,
            "identities": [
                {"platform": identity.platform, "user_id": identity.user_id, "display_name": identity.display_name, "handle": identity.handle}
            ],
            **in_progress,
        }
        return json.dumps(document, ensure_ascii=False, indent=2)
    document = {
        "actor": {
            "id": actor.id,
            "kind": actor.kind,
            "name": actor.name,
            "place": actor.place.to_json(),
            "themes": list(actor.themes),
            "description": actor.description,
            "contact": {"handle": actor.contact_handle, "email": actor.contact_email, "phone": actor.contact_phone},
            "consent_matching": actor.consent_matching,
            "consent_calls": actor.consent_calls,
            "language": actor.language,
            "frequency": actor.frequency,
            "paused": actor.paused,
            "created_at": actor.created_at,
        },
        "identities": [{"platform": context.identity.platform, "user_id": context.identity.user_id}],
        **(context.lookup.personal_data(actor.id) if context.lookup else {}),
        "listings": [
            {
                "id": item.id,
                "kind": item.kind,
                "category": item.category,
                "subcategory": item.subcategory,
                "themes": list(item.themes),
                "description": item.description,
                "zone": {"kind": item.zone_kind, "code": item.zone_code, "label": item.zone_label, "radius_km": item.radius_km},
                "expires_at": item.expires_at,
                "status": item.status,
                "created_at": item.created_at,
            }
            for item in context.listings
        ],
        **in_progress,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
