"""One pending question at a time: which question is current, what waits, drafts of left flows.

A person always has one current question: the step of the flow they are in, or one open
decision (a suggestion, an introduction request, a follow-up, a renewal, a coordinator's call).
Every other open decision waits, in the order storage lists them (someone waiting for an
answer first, then calls, follow-ups, renewals and suggestions, oldest first); a suggestion
put aside with "Plus tard" waits outside the queue until the next digest. Pure functions
only: storage loads the decisions, the router and the outbox decide with them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from conversations.commands import command_name
from conversations.decisions import DecisionView, decision_reply
from conversations.engine import CUT, Finish, Flow, Option, Step, language_of
from conversations.flows import MORE, MORE_FLOW
from conversations.i18n import has_key, translate, translate_plural
from conversations.model import Context, Session
from conversations.understanding import shorten
from core.types import Reply

DECISION_FLOW = "decision"
IDLE_FLOWS = (None, "menu")
ABANDONED_AFTER = timedelta(hours=3)
"""A flow left without an answer this long is closed (kept as a draft) when something else arrives."""
TOPIC_WORDS = 60
"""How many characters of a call's message its topic shows ("📬 En attente : 📣 Appel de … : « … »")."""
DRAFT_FLOWS = ("listing",)
"""Flows whose answers are worth keeping when the person leaves them half-way."""


def waiting(views: Sequence[DecisionView]) -> list[DecisionView]:
    """The open decisions in queue order, without the suggestions put aside until the next digest nor
    those the other side declined meanwhile (``withdrawn``: no longer offered)."""
    return [view for view in views if not view.extra.get("later") and not view.extra.get("withdrawn")]


def current_token(session: Session) -> str | None:
    """The decision the person is answering, if they are on one."""
    if session.flow != DECISION_FLOW:
        return None
    token = session.data.get("token")
    return str(token) if token else None


def current_prompt(session: Session) -> str | None:
    """The prompt id of the question shown as current (a decision's token, or the flow step's id)."""
    if session.flow == DECISION_FLOW:
        return current_token(session)
    if session.flow is None or session.step is None:
        return None
    return session.prompt_id


def in_flow(session: Session) -> bool:
    """Whether the person is in the middle of a guided flow (not idle, at the menu, or on a decision)."""
    return session.flow not in (*IDLE_FLOWS, DECISION_FLOW) and session.step is not None


def abandoned(updated_at: str | None, now: datetime) -> bool:
    """Whether a session last touched at ``updated_at`` counts as left."""
    if not updated_at:
        return True
    return datetime.fromisoformat(updated_at) <= now - ABANDONED_AFTER


def question_open(session: Session, updated_at: str | None, now: datetime) -> bool:
    """Whether the person is answering a question — a flow's step or a decision shown — left less than
    :data:`ABANDONED_AFTER` ago, whose numbers they may be typing: a scheduled message reaching them then is
    followed by that question again, an event's invitation comes without its numbers (:func:`invitation_during`)."""
    return (in_flow(session) or current_token(session) is not None) and not abandoned(updated_at, now)


def numbered(reply: Reply, position: int, total: int, language: str) -> Reply:
    """``reply`` with "📌 2/3 · " before its first line when several questions wait."""
    if total <= 1:
        return reply
    prefix = translate(language, "queue.position", position=position, total=total)
    return replace(reply, text=f"{prefix} {reply.text}")


def shown(view: DecisionView, views: Sequence[DecisionView], session: Session, language: str, notice: bool = False) -> Reply:
    """The message of ``view`` as the current question, numbered among the waiting ones."""
    done = int(session.data.get("done") or 0) if current_token(session) == view.token else 0
    others = len([other for other in waiting(views) if other.token != view.token])
    return numbered(decision_reply(view, language, notice=notice), done + 1, done + 1 + others, language)


def present(
    view: DecisionView, views: Sequence[DecisionView], session: Session, language: str, done: int = 0, notice: bool = False
) -> tuple[Session, Reply]:
    """Make ``view`` the current question; its message says which of the waiting ones it is."""
    queue = waiting(views)
    others = len([other for other in queue if other.token != view.token])
    total = done + 1 + others
    reply = numbered(decision_reply(view, language, notice=notice), done + 1, total, language)
    session = session.evolve(
        flow=DECISION_FLOW,
        step="answer",
        data={"token": view.token, "done": done, "total": total},
        history=(),
        prompt_seq=session.prompt_seq + 1,
    )
    return session, reply


def topic(view: DecisionView, language: str) -> str:
    """The first line of a decision's message: what it is about (after "Petit rappel :" for a reminder),
    with the first words of the next line when the first ends with ":" ("📣 Appel de … : « Forum… »")."""
    lines = [line.strip() for line in decision_reply(replace(view, reminder=False), language).text.splitlines() if line.strip()]
    line = lines[0] if lines else ""
    if line.endswith(":") and len(lines) > 1:  # "📣 Appel de … :" says nothing alone: its first words
        line = translate(language, "queue.topic_with_text", topic=line, text=shorten(lines[1], TOPIC_WORDS))
    return f"{translate(language, 'decision.reminder')} {line}" if view.reminder else line


def keep_draft(session: Session) -> Session:
    """Close the current flow, keeping what was typed so far as a draft when it is worth it (first of
    the drafts: the one being written; the others kept stay after it)."""
    if session.flow in DRAFT_FLOWS and session.step is not None and _typed(session.data):
        draft = {"flow": session.flow, "step": session.step, "data": dict(session.data), "history": list(session.history)}
        return add_draft(session, draft, first=True)
    if session.flow == MORE_FLOW and session.step is not None:
        return add_draft(session, more_draft(session.data))
    return session


def add_draft(session: Session, draft: dict[str, Any] | None, first: bool = False) -> Session:
    """``draft`` kept besides the drafts already kept — after them (``first``: before them), never in
    their place; a draft of the same sentence is replaced by it."""
    if draft is None:
        return session
    others = [kept for kept in session.drafts if not _same_draft(kept, draft)]
    drafts = [draft, *others] if first else [*others, draft]
    return session.evolve(draft=drafts[0], later_drafts=tuple(drafts[1:]))


def without_draft(session: Session) -> Session:
    """``session`` without its first draft: the next one kept, if any, comes first."""
    later = session.later_drafts
    return session.evolve(draft=later[0] if later else None, later_drafts=tuple(later[1:]))


def first_of_kind(session: Session, kind: str | None) -> Session:
    """``session`` with its first draft of a listing of ``kind`` (a need, an offer) put first — /offre
    takes up the offer kept, even after a need kept before it; unchanged without one."""
    drafts = session.drafts
    if not kind or not drafts or (drafts[0].get("data") or {}).get("kind") == kind:
        return session
    found = next((d for d in drafts if d.get("flow") == "listing" and (d.get("data") or {}).get("kind") == kind), None)
    if found is None:
        return session
    rest = tuple(d for d in drafts if d is not found)
    return session.evolve(draft=found, later_drafts=rest)


def _same_draft(one: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    said, also = one.get("data") or {}, other.get("data") or {}
    text = said.get("description") or said.get(CUT)
    return one.get("flow") == other.get("flow") and bool(text) and text == (also.get("description") or also.get(CUT))


def more_draft(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """The other need or offer of a sentence, whose « Je l'enregistre aussi ? » was left unanswered
    (a command typed instead): a draft of a listing, to publish with /besoin or /offre; the
    sentence's further ones (if any) asked about once it is published."""
    listing = dict(data.get("listing") or {})
    if not _typed(listing):
        return None
    rest = list(data.get(MORE) or ())
    if rest:
        listing[MORE] = rest
    if not listing.get("kind"):
        step = "which"
    elif not listing.get("category"):
        step = "category_of"
    else:
        step = "confirm"
    return {"flow": "listing", "step": step, "data": listing, "history": []}


def _typed(data: Mapping[str, Any]) -> bool:
    """Whether ``data`` holds an answer worth keeping: more than the kind (a text too long to keep whole counts)."""
    if isinstance(data.get(CUT), str) and data[CUT].strip():
        return True
    return any(not key.startswith("_") and key != "kind" and value not in (None, "", [], ()) for key, value in data.items())


def resume_command(kind: object, language: str) -> str | None:
    """The one command that takes up a kept draft of ``kind``: "/besoin" for a need, "/offre" for an
    offer ("/need", "/offer" in English); None when the kind is not known yet (either will do)."""
    if kind not in ("need", "offer"):
        return None
    return "/" + command_name("besoin" if kind == "need" else "offre", language)


def draft_summary(draft: Mapping[str, Any], language: str) -> str:
    """ "un besoin (« Des bénévoles le samedi… »)": what a draft is about, in a few words; with the other needs or offers
    its sentence named (« … et un besoin (« Un prêt de camion… ») »), asked about once the first is published."""
    data = draft.get("data") or {}
    said = [_listing_summary(data, language)]
    said += [_listing_summary(part, language) for part in data.get(MORE) or () if isinstance(part, Mapping)]
    if len(said) == 1:
        return said[0]
    return translate(language, "list.and", first=", ".join(said[:-1]), last=said[-1])


def _listing_summary(data: Mapping[str, Any], language: str) -> str:
    """One need or offer of a draft in a few words: its kind, and its text or its category."""
    kind = translate(language, f"queue.draft_kind.{data.get('kind') or 'need'}")
    description = str(data.get("description") or data.get(CUT) or "").strip()  # a text too long: its first part
    if description:
        short = description if len(description) <= 60 else description[:59].rstrip() + "…"
        return translate(language, "queue.draft_with_text", kind=kind, text=short)
    if data.get("category"):  # a category chosen, nothing written: never announced as if complete
        category = translate(language, f"category.{data['category']}")
        return translate(language, "queue.draft_without_text", kind=kind, category=category)
    return kind


def where_line(session: Session, views: Sequence[DecisionView], language: str) -> str | None:
    """ "Vous en étiez à : …", naming the current question, or None when idle."""
    token = current_token(session)
    if token is not None:
        view = next((v for v in views if v.token == token), None)
        return None if view is None else translate(language, "queue.where_decision")
    if session.flow is None or session.flow == "menu" or session.step is None:
        return None
    kind = session.data.get("kind") if session.flow == "listing" else None
    key = f"queue.flow.{session.flow}" + (f".{kind}" if kind else "")
    if not has_key(language, key):  # a flow without a name of its own
        return translate(language, "queue.where_generic")
    return translate(language, "queue.where", what=translate(language, key))


# ---------------------------------------------------------------- the draft question


def _draft_params(session: Session, context: Context) -> dict[str, Any]:
    return {"draft": draft_summary(session.draft or {}, language_of(session, context))}


def _never_finished(_: Mapping[str, Any], __: Context) -> Finish:
    raise RuntimeError("the draft question is answered by the router")


def _draft_flow() -> Flow:
    step = Step(
        "resume",
        "choice",
        "queue.draft_prompt",
        options=(
            Option("resume", key="queue.draft_resume"),
            Option("restart", key="queue.draft_restart"),
            Option("delete", key="queue.draft_delete"),  # a draft kept by mistake (« oui !! … »): thrown away
        ),
        params=_draft_params,
    )
    confirm = Step(
        RESTART_CONFIRM,
        "choice",
        "queue.draft_restart_confirm",
        options=(Option("yes", key="queue.draft_restart_yes"), Option("no", key="queue.draft_restart_no")),
        params=_draft_params,
    )
    return Flow("draft", {"resume": step, RESTART_CONFIRM: confirm}, first="resume", finish=_never_finished)


RESTART_CONFIRM = "restart_confirm"
"""The step that asks before "Recommencer" drops what was written: one word never loses it ("non" resumes it)."""


DRAFT = _draft_flow()
""""You had started a need: resume where you were, or start again?" (answered by the router)."""


# ---------------------------------------------------------------- decisions reaching the outbox


class Verdict(Enum):
    """What to do with a decision's message about to be sent."""

    SHOW = "show"
    """Send it: it becomes the current question once sent."""
    WAIT = "wait"
    """Do not send it now: it waits in the queue (``reply``, if any, tells the person so)."""
    DROP = "drop"
    """Resolved meanwhile (answered, expired, withdrawn): never sent."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """The verdict and the message to send instead of the stored one (None: nothing)."""

    verdict: Verdict
    reply: Reply | None
    token: str | None = None
    """With SHOW: the decision that becomes current (the first waiting one, not always this message's)."""


def same_pair(view: DecisionView, other: DecisionView) -> bool:
    """Whether two decisions are about the same other actor (a request from them and one's own
    suggestion about them): answering one settles the other, so the second is never announced."""
    return view.other_id is not None and view.other_id == other.other_id


def before_send(
    session: Session,
    updated_at: str | None,
    views: Sequence[DecisionView],
    reply: Reply,
    now: datetime,
    written_at: str | None = None,
    language: str | None = None,
) -> Delivery:
    """Decide whether the decision message ``reply`` (prompt id = its token) goes out now.

    ``language``: the person's language now (a question written before they switched is shown
    in the new one), else the reply's.

    ``session`` and ``updated_at``: the person's, ``views``: their open decisions (with the call
    being sent, if it is one), ``written_at``: when the message was written (needed when its
    decision is already the current question). Idle, at the menu, or on a flow or a decision left
    for hours, the first waiting decision becomes current and is shown; in the middle of a flow,
    or on another decision being answered, it waits; resolved meanwhile, it is dropped.
    """
    token = str(reply.prompt_id)
    view = next((v for v in views if v.token == token), None)
    if view is None or view.extra.get("later"):
        return Delivery(Verdict.DROP, None)
    language = language or reply.language
    current = current_token(session)
    if current == token:
        if written_at is not None and updated_at is not None and written_at < updated_at:
            return Delivery(Verdict.DROP, None)  # the router showed it since this message was written
        return Delivery(Verdict.SHOW, shown(view, views, session, language, notice=True), token)  # e.g. a reply the platform postponed
    shown_now = next((v for v in views if v.token == current), None) if current else None
    if shown_now is not None and not abandoned(updated_at, now):
        # shown after the one being answered; announced if of another kind (a request, a call)
        others = [v for v in waiting(views) if v.token != current]
        announce = view.kind != shown_now.kind and bool(others) and others[0].token == token and not same_pair(view, shown_now)
        note = translate(language, "queue.waits", topic=topic(view, language)) if announce else None
        return Delivery(Verdict.WAIT, Reply(note, notice=True, language=language) if note else None)
    if in_flow(session) and not abandoned(updated_at, now):
        queue = waiting(views)
        first = bool(queue) and queue[0].token == token
        note = translate(language, "queue.waits", topic=topic(view, language)) if first else None
        return Delivery(Verdict.WAIT, Reply(note, notice=True, language=language) if note else None)
    head = next(iter(waiting(views)), view)  # someone waiting for an answer comes before a suggestion sent earlier
    question = shown(head, views, session.evolve(flow=None, step=None, data={}), language, notice=True)
    drafted = keep_draft(session)
    if in_flow(session) and drafted.draft:
        command = resume_command((drafted.draft.get("data") or {}).get("kind"), language)
        summary = draft_summary(drafted.draft, language)
        kept = (
            translate(language, "queue.draft_kept_command", draft=summary, command=command)
            if command
            else translate(language, "queue.draft_kept", draft=summary)
        )
        question = replace(question, text=f"{question.text}\n\n{kept}")
    return Delivery(Verdict.SHOW, question, head.token)


def digest_header(
    session: Session, updated_at: str | None, views: Sequence[DecisionView], tokens: Collection[str], now: datetime
) -> tuple[int, int] | None:
    """(how many of a digest's suggestions are still open, how many questions wait in all — the
    total its "📌 1/n" counters show), or None when the header would not describe what follows:
    it goes out only when the next question shown is one of the digest's (the person is not on
    another question, nothing else comes first)."""
    queue = waiting(views)
    mine = [view for view in queue if view.token in tokens]
    current = current_token(session)
    busy = (in_flow(session) or any(v.token == current for v in views)) and not abandoned(updated_at, now)
    if not mine or busy or queue[0].token not in tokens:
        return None
    return len(mine), len(queue)


def header_text(language: str, key: str, suggestions: int, total: int) -> str:
    """The line before a run of questions: ``key`` (a plural message) counting the suggestions when
    they are all that waits; else the total the "📌 1/n" counters will show, so that the two agree."""
    if total <= suggestions:
        return translate_plural(language, key, suggestions)
    return translate_plural(language, "queue.header_mixed_n", total, suggestions=suggestions)


def after_send(session: Session, updated_at: str | None, open_tokens: Collection[str], token: str, now: datetime) -> Session | None:
    """The decision ``token`` was shown: the session that makes it the current question
    (``session`` itself when it already is; None when the person's place is kept).

    A flow left for hours is closed first (what was typed is kept as a draft); a flow being
    answered, or another open decision (``open_tokens``), keeps the place (it was shown meanwhile).
    """
    current = current_token(session)
    if current == token:
        return session
    if current is not None and current in open_tokens and not abandoned(updated_at, now):
        return None
    if in_flow(session):
        if not abandoned(updated_at, now):
            return None
        session = keep_draft(session)
    return session.evolve(
        flow=DECISION_FLOW, step="answer", data={"token": token, "done": 0}, history=(), prompt_seq=session.prompt_seq + 1
    )


# ---------------------------------------------------------------- an event's invitation reaching someone on a question


def invitation_during(session: Session, updated_at: str | None, reply: Reply, now: datetime) -> Reply:
    """An event's invitation (``reply``, numbered « 1. Je m'inscris 2. Pas intéressé·e ») about to be
    sent: as written when the person answers nothing; while they answer a question, without its
    numbered choices nor prompt — one numbered question on screen at a time, a typed « 1 » still
    answers the question being read — and with a line that says so (its text names /evenements)."""
    if not question_open(session, updated_at, now):  # numbers typed now answer that question
        return reply
    note = translate(reply.language, "queue.invitation_numbers")
    return replace(reply, text=f"{reply.text}\n{note}", choices=(), prompt_id=None)
