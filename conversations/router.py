"""The entry point of the conversations: commands, the main menu and the current flow.

:func:`advance` is pure: given the stored session, what the person sent and a snapshot of
their data, it returns the new session, the replies and the effects to store.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any, cast

from conversations.alliances import ACTOR_COMMANDS, ALLIANCE_FLOWS, OUTCOME_DECISIONS
from conversations.calls import call_by_number as listed_call
from conversations.calls import timezone_of
from conversations.commands import COMMANDS, closest_command, command_language, command_name, parse_command
from conversations.coordination import COORDINATION_FLOWS, COORDINATOR_COMMANDS, KINDS_READ
from conversations.coordination import call_by_number as answers_call
from conversations.decisions import (
    CALL_DECLINED,
    DEFAULT_TIMEZONE,
    DecisionView,
    about,
    decision_reply,
    describe_other,
    interested_call,
    is_token,
    takes_free_text,
    token,
)
from conversations.engine import (
    BACK,
    CUT,
    FIRST_YES_VALUES,
    MAX_INPUT_CHARS,
    NO_VALUES,
    PREVIOUS,
    PROPOSED,
    SEARCHED,
    SKIP,
    START,
    YES_VALUES,
    Answer,
    Finish,
    Flow,
    InputError,
    Option,
    Step,
    UserInput,
    answer_step,
    ask,
    back_to,
    candidate_dict,
    choice_language,
    communes_named,
    current_question,
    is_clear,
    language_of,
    next_step_id,
    options_of,
    parse_choice,
    place_from_candidate,
    proposed_communes,
)
from conversations.events import (
    INVITATION_CHOICES,
    CalendarFile,
    SignUp,
    calendar_request,
    event_meant,
    invitation_answer,
    invitation_choice,
    invited_to,
    join_tail,
    leave_meant,
    named_events,
    open_events,
    own_events_text,
    says_companions,
)
from conversations.expiry import (
    Dated,
    Redated,
    end_named_in,
    event_dated,
    event_redated,
    expiry_and_named,
    expiry_and_rest,
    expiry_rest_and_every,
    format_day_in,
)
from conversations.flows import (
    CATEGORY_CHOSEN,
    DUPLICATE,
    FLOWS,
    FOUND_PLACES,
    GIVEN,
    LANGUAGE_KEY,
    MENU_ENTRIES,
    MORE,
    MORE_FLOW,
    READ_PLACE,
    RESUMED,
    UNTIL,
    UNTIL_EVERY,
    WHO_WRITES,
    about_to_publish,
    duplicate_of,
    listing_kind,
    pause_said,
    profile_summary,
    unanswered,
    validate_name,
)
from conversations.groups import GROUP_COMMANDS, GROUP_FLOWS
from conversations.i18n import LANGUAGES, has_key, normalise_language, translate, translate_counted, translate_plural
from conversations.model import (
    AddToCallAnswer,
    Context,
    CreateActor,
    CreateListing,
    Decide,
    ListingView,
    Session,
    StepResult,
    TakeBack,
    UpdateActor,
    UpdateListing,
)
from conversations.moments import WrongWeekday
from conversations.own_listings import own_listing_answer
from conversations.pauses import pause_until, pause_wish, read_pause_end
from conversations.programmes import employees_of
from conversations.queue import (
    DECISION_FLOW,
    DRAFT,
    DRAFT_FLOWS,
    RESTART_CONFIRM,
    add_draft,
    current_prompt,
    current_token,
    draft_summary,
    first_of_kind,
    header_text,
    in_flow,
    keep_draft,
    present,
    resume_command,
    shown,
    topic,
    waiting,
    where_line,
    without_draft,
)
from conversations.understanding import (
    INTENT_TOPICS,
    QUESTION_TOPICS,
    YES_NO_MAX_WORDS,
    Guess,
    OwnListingQuestion,
    Part,
    added_detail,
    affirmed_after_denial,
    answer_besides_request,
    answers_yes_no,
    asides_of,
    asks_about_listings,
    asks_about_own_listing,
    asks_about_the_bot,
    asks_about_them,
    asks_erasure,
    asks_something,
    asks_to_join,
    asks_who_needs_or_offers,
    authority_commune,
    broadcast_wish,
    business_named,
    clauses_by_category,
    company_then_name,
    completed,
    defers,
    denies_previous,
    describing_part,
    excerpt,
    fold,
    free_sentence,
    greeting_only,
    guess_listing,
    introduced,
    is_question,
    joining_lead,
    kind_named,
    labels_in_sentence,
    language_requested,
    listing_wish,
    means_all,
    name_and_rest,
    name_given,
    name_in_answer,
    name_with_commune_spelt,
    negated,
    no_longer_needed,
    not_an_answer,
    not_now,
    number_list,
    only_asks,
    only_contact,
    people_coming,
    people_range_said,
    phrases_in_sentence,
    place_in_rest,
    plainly_written,
    precision_of,
    presents_itself,
    profile_field_and_value,
    question_about_the_question,
    question_topic,
    question_topics,
    reads_as_sentence,
    retracted,
    role_only,
    said_beyond_yes,
    says_listing_meant,
    says_not_a_listing,
    says_only_the_name,
    self_corrected,
    several_listings,
    shares_subject,
    shorten,
    starts_asking,
    starts_declining,
    structure_part,
    taken_back_name,
    takes_back_no,
    takes_up,
    type_alone,
    unfinished,
    unsure,
    what_is_asked,
    who_we_are,
    wish_after_refusal,
    wish_after_yes,
    wish_besides,
    without_aside,
    without_contact_details,
    without_correction,
    without_courtesy,
    without_here,
    without_linking,
    without_town_parts,
    word_count,
    writer_kind,
    writes_oneself,
    written_language,
    yes_for_later,
    yes_no,
    yes_taken_back,
    yes_then_question,
)
from core import catalog
from core.clock import iso
from core.types import Attachment, Reply
from territories.model import namesakes


def _answered_by_the_router(_: Mapping[str, Any], __: Context) -> Finish:
    raise RuntimeError("answered by the router")


KEPT_PROFILE = Flow(
    "kept_profile",
    {
        "resume": Step(
            "resume",
            "choice",
            "start.kept_prompt",
            options=(Option("resume", key="start.kept_resume"), Option("restart", key="start.kept_restart")),
        ),
        RESTART_CONFIRM: Step(
            RESTART_CONFIRM,
            "choice",
            "start.kept_restart_confirm",
            options=(Option("yes", key="start.kept_restart_yes"), Option("no", key="start.kept_restart_no")),
        ),
    },
    first="resume",
    finish=_answered_by_the_router,
    requires_actor=False,
)
"""/start after /annuler stopped a profile under way: "Reprendre où j'en étais / Recommencer"."""

ALL_FLOWS: dict[str, Flow] = {
    **FLOWS,
    **COORDINATION_FLOWS,
    **ALLIANCE_FLOWS,
    **GROUP_FLOWS,
    DRAFT.id: DRAFT,
    KEPT_PROFILE.id: KEPT_PROFILE,
}

COMMAND_FLOWS: dict[str, tuple[str, dict[str, Any]]] = {
    "besoin": ("listing", {"kind": "need"}),
    "offre": ("listing", {"kind": "offer"}),
    "annonces": ("listings", {}),
    "profil": ("profile", {"_edit": True}),
    "reglages": ("settings", {}),
    "supprimer": ("delete", {}),
}


def advance(session: Session, user_input: UserInput, context: Context, flows: Mapping[str, Flow] = ALL_FLOWS) -> StepResult:
    """Process one input and return the new state, the replies and the effects.

    The language answered in is sticky. A profile's language, the platform's, or one chosen (in
    /reglages, or by an explicit request in a message: "en français svp", "can we speak
    English?") is kept whatever is typed, until another explicit request. Otherwise the first
    message showing a language (a word such as "hello", a label such as "Company", a command
    such as "/help") decides it; once the person has shown it (such a message, or an answer to a
    question asked in it) it is settled, and only an explicit request or a statement plainly in
    the other language (:func:`conversations.understanding.plainly_written`: three of its small words, none of the
    current one's, and not a question) moves it. A question in the other language ("why do you
    need my contact?") has that one reply in its language; names, e-mails, lists of themes,
    "oui", never move it. The profile is saved in the settled language."""
    if user_input.text is not None and user_input.choice is None and user_input.choices is None:
        requested = _language_request(session, user_input.text, context, flows)
        if requested is not None:
            return requested
    language = language_of(session, context)
    written = _written_in(session, user_input, context, flows, language)
    text = user_input.text or ""
    if written is not None and written != language:
        plain = None if _short_answer_at_choice(session, flows, text) else plainly_written(text)
        if session.language_settled and plain != written:  # « oui aux deux » at a choice: an answer, no language
            if asks_something(text):  # that one reply in the question's language; the conversation's is kept
                answered_there = _advance(session, user_input, context, flows, written)
                if not answered_there.accepted:  # an explanation, a refusal: nothing else changed
                    return answered_there
        else:  # no profile yet: answered in the language written
            switched = _advance(session.evolve(language=written), user_input, context, flows, written)
            plainly = user_input.text is not None and written_language(user_input.text, strong=True) == written
            if switched.accepted or session.language is None or plainly:
                return _settled(switched)
            # an answer refused ("association" read in the other language's labels, then refused) is no
            # evidence: the refusal is in the language the person has been using
    result = _advance(session, user_input, context, flows, language)
    answered = result.accepted and session.flow is not None and not text.lstrip().startswith("/")
    return _settled(result) if written == language or answered else result


CHOICE_ANSWER_MAX_WORDS = 5
"""An answer this short at a question with options (« oui aux deux », « les deux svp ») says which option,
never which language: only an explicit request or a longer statement moves a settled language."""


def _short_answer_at_choice(session: Session, flows: Mapping[str, Flow], text: str) -> bool:
    """Whether ``text`` is a short answer (:data:`CHOICE_ANSWER_MAX_WORDS`) at a question with options: a
    step's choices, or a suggestion, a request or a call waiting for its buttons."""
    if word_count(text) > CHOICE_ANSWER_MAX_WORDS:
        return False
    if session.flow == DECISION_FLOW:
        return True
    flow = flows.get(session.flow) if session.flow is not None else None
    step = flow.steps.get(session.step) if flow is not None and session.step is not None else None
    return step is not None and step.kind in ("choice", "multi")


def _settled(result: StepResult) -> StepResult:
    """``result`` with its language settled (shown by the person), when it has one."""
    if result.session.language is None or result.session.language_settled:
        return result
    return replace(result, session=result.session.evolve(language_settled=True))


def _language_request(session: Session, text: str, context: Context, flows: Mapping[str, Flow]) -> StepResult | None:
    """An explicit request for a language ("en français svp", « je peux écrire en français ? »,
    "English please"), at any question: the language is chosen (the profile's too, as in
    /reglages), said in it, and the question asked again in it — or answered, when the message
    answered it before asking (« Transports Delmotte, ah pardon je peux écrire en français ? »
    keeps the name). None when the message asks for no language."""
    if text.lstrip().startswith("/") or (session.flow == "settings" and session.step == "language"):
        return None
    target = language_requested(text)
    if target is None or target not in LANGUAGES:
        return None
    if context.actor is not None and context.actor.language == target:
        return None  # nothing to change: « je peux écrire en français ? » gets the usual answer (/reglages)
    effects: tuple[Any, ...] = ()
    if context.actor is not None:
        effects = (UpdateActor({"language": target}),) if context.actor.language != target else ()
        context = replace(context, actor=replace(context.actor, language=target))
    else:
        context = replace(context, default_language=target)
    switched = session.evolve(language=target, language_chosen=True, language_settled=True)
    note = Reply(text=translate(target, "settings.language_set"), language=target)
    besides = answer_besides_request(text) if session.flow not in (None, "menu") else None
    if besides is not None:
        result = _advance(switched, UserInput(text=besides), context, flows, target)
        if result.accepted:
            return replace(result, replies=(note, *result.replies), effects=(*effects, *result.effects))
    current = _current(switched, context, target, flows)
    if current is None and context.actor is None:
        return StepResult(switched, (note, Reply(text=_not_registered(context, target), language=target)), effects)
    if current is None:
        switched, current = ask(flows["menu"], "main", switched.evolve(flow=None, step=None, data={}, history=()), context, target)
    return StepResult(switched, (note, current), effects)


def _advance(session: Session, user_input: UserInput, context: Context, flows: Mapping[str, Flow], language: str) -> StepResult:
    """:func:`advance` once the language to answer in is known."""
    if session.language is None:
        session = session.evolve(language=language)
    if context.actor is None and context.default_language != language:
        # No profile (a coordinator, someone onboarding): the texts the flows build for them (a
        # call's line, an event's date) take their language, which is the default for them.
        context = replace(context, default_language=language)
    if PROPOSED in session.data:  # the bot's proposal holds for the next message only (a button press forgets it too)
        session, user_input, answered = _answer_proposal(session, user_input, context, language, flows)
        if answered is not None:
            return answered
    invited = invited_to(user_input.prompt_id)
    if invited is not None:  # an invitation's button, or its number typed on the console (which sends the prompt it showed last)
        said = user_input.choice if user_input.text is None else invitation_choice(user_input.text, language)
        if said in INVITATION_CHOICES:
            return _invitation_answered(invited, str(said), session, context, language, flows)
        user_input = replace(user_input, prompt_id=None)  # any other line: read as typed, the current question answers it
    if user_input.text is not None and user_input.choice is None and user_input.choices is None:
        parsed = parse_command(user_input.text) or _bare_command(user_input.text, session, context, flows)
        if parsed is not None:
            return _command(parsed[0], parsed[1], session, context, language, flows)
        if session.flow != "delete" and asks_erasure(
            user_input.text
        ):  # "effacez toutes mes données (RGPD)": the commands that do it, nothing deleted
            return _pointed(session, context, language, flows, "question.erasure")
        asked = current_prompt(session)
        gone = is_token(user_input.prompt_id) and all(view.token != user_input.prompt_id for view in context.decisions)
        if user_input.prompt_id is not None and asked is not None and user_input.prompt_id != asked and not gone:
            # typed in a window that shows an older question (another one moved on): never applied to the current one
            return _rejected(session, context, language, flows, "queue.not_current")
    if COMPLETE_PUBLISHED in session.data:  # we asked whether to add a precision to the listings just published
        held = session.data[COMPLETE_PUBLISHED]
        session = session.evolve(data={k: v for k, v in session.data.items() if k != COMPLETE_PUBLISHED})
        completed = _complete_published(held, user_input, session, context, language, flows)
        if completed is not None:
            return completed
    if EXPIRY_OF in session.data and session.flow in ("menu", DECISION_FLOW):  # held while nothing else is asked
        count = int(session.data[EXPIRY_OF] or 0)
        before = session
        session = session.evolve(data={k: v for k, v in session.data.items() if k != EXPIRY_OF})
        if user_input.text is not None and user_input.choice is None and user_input.choices is None and count:
            # « pour 6 mois » under the hint, a suggestion shown after it: the duration asked about wins
            changed = _expiry_changed(user_input.text, count, session, context, language, flows)
            if changed is not None:
                return changed
            precised = precision_of(user_input.text)
            offered = _offer_to_complete(precised, count, session, context, language) if precised is not None else None
            if offered is not None:  # « oh and to be precise: … » just after publishing: about that listing, asked
                return offered
        result = _advance_on(session, user_input, context, flows, language)
        return _still_about_published(before, result, count)
    return _advance_on(session, user_input, context, flows, language)


COMPLETE_PUBLISHED = "_complete_published"
"""Session data: a precision typed just after publishing (« oh and to be precise: … ») and the listings it may
complete, until the person says whether to add it to them."""


def _offer_to_complete(precision: str, count: int, session: Session, context: Context, language: str) -> StepResult | None:
    """« Je l'ajoute à votre offre « … » ? » for a precision typed just after publishing ``count`` listings (one
    sentence published as several listings: all of them), the precision held until the answer; None when none."""
    published = _open_listings(context)[:count]
    if not published:
        return None
    first = published[0]
    asked = translate_plural(
        language, f"listing.complete_published.{first.kind}", len(published), description=excerpt(first.description, 80), text=precision
    )
    held = {"ids": [item.id for item in published], "text": precision, "count": count}
    return StepResult(session.evolve(data={**session.data, COMPLETE_PUBLISHED: held}), (Reply(text=asked, language=language),))


def _offer_addition_to_chosen(
    text: str, step: Step, chosen: Sequence[ListingView], session: Session, context: Context, language: str
) -> StepResult | None:
    """« Je l'ajoute à la description de votre besoin « … » ? » for a detail typed in words at a listing's actions
    (« en fait il faut aussi un permis B », "also it needs to be available on Sundays"), held until the answer as a
    precision just after publishing is (:func:`_complete_published`); None for an action named, or no addition."""
    if len(chosen) != 1 or chosen[0].status != "open":
        return None
    options = options_of(step, session, context)
    try:
        parse_choice(text, options, language)
        return None  # « modifier la description », « clôturer »: the action itself
    except InputError:
        pass
    if labels_in_sentence(text, [[o.render(language)] for o in options if o.value not in (BACK, SKIP)]):
        return None  # « je voudrais aussi modifier la zone »: an action named in a sentence, read as usual
    added = added_detail(text)
    if added is None:
        return None
    listing = chosen[0]
    asked = translate(language, f"listing.complete_chosen.{listing.kind}", description=excerpt(listing.description, 80), text=added)
    held = {"ids": [listing.id], "text": added, "count": 1, "chosen": True}
    return StepResult(session.evolve(data={**session.data, COMPLETE_PUBLISHED: held}), (Reply(text=asked, language=language),))


def _complete_published(
    held: Mapping[str, Any], user_input: UserInput, session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """The answer to :func:`_offer_to_complete`: a yes adds the precision to the listings just published (said with
    the new description), a no reads it as a new need or offer; anything else is read as usual (None)."""
    said = answers_yes_no(user_input.text) if user_input.text is not None and user_input.choice is None else None
    precision = str(held.get("text") or "")
    if said is False and held.get("chosen"):  # at a listing's actions: left as it was, its actions asked again
        told = Reply(text=translate(language, "listing.complete_chosen.no"), language=language)
        flow, step_id = flows.get(session.flow or ""), session.step
        if flow is None or step_id is None or step_id not in flow.steps:
            return StepResult(session, (told,))
        asked_again, again = ask(flow, step_id, session, context, language)
        return StepResult(asked_again, (told, again))
    if said is False:
        return _listing_from_sentence(precision, session, context, language, flows) or StepResult(
            session, (Reply(text=translate(language, "listing.complete_published.no"), language=language),)
        )
    if said is not True:
        return None
    ids = {int(i) for i in held.get("ids") or ()}
    items = [item for item in context.listings if item.id in ids and item.status == "open"]
    limit = flows["listing"].steps["description"].max_length
    effects: list[UpdateListing] = []
    shown = ""
    for item in items:
        before = item.description.rstrip()
        joined = f"{before} {precision}" if before.endswith((".", "!", "…", ";")) else f"{before}. {precision}"
        if len(joined) <= limit and fold(precision) not in fold(before):
            effects.append(UpdateListing(item.id, {"description": joined}))
            shown = shown or joined
    menu_session, menu = ask(flows["menu"], "main", session.evolve(data={}, history=()), context, language)
    if not effects:
        return StepResult(menu_session, (Reply(text=translate(language, "listing.complete_published.too_long"), language=language), menu))
    told = Reply(text=translate(language, "listing.complete_published.done", description=excerpt(shown, 300)), language=language)
    return StepResult(menu_session, (told, menu), tuple(effects))


def _still_about_published(before: Session, result: StepResult, count: int) -> StepResult:
    """``result``, still holding the listings just published (:data:`EXPIRY_OF`) when nothing else was
    asked meanwhile: the menu shown again (a message not understood, a thanks) or the same decision
    still open, nothing changed. A duration typed next (« ah non jusqu'à fin juin ») is still theirs."""
    after = result.session
    quiet = not result.effects and not after.data
    same_menu = before.flow == "menu" and after.flow == "menu" and after.step == "main"
    same_decision = before.flow == DECISION_FLOW and after.flow == DECISION_FLOW and current_token(after) == current_token(before)
    if count and ((same_menu and quiet) or (same_decision and not result.effects)):
        return replace(result, session=after.evolve(data={**after.data, EXPIRY_OF: count}))
    return result


def _advance_on(session: Session, user_input: UserInput, context: Context, flows: Mapping[str, Flow], language: str) -> StepResult:
    """:func:`_advance` once a duration for the listings just published is ruled out."""
    if is_token(user_input.prompt_id):
        return _decide(str(user_input.prompt_id), user_input, session, context, language, flows)
    if session.flow == DECISION_FLOW:
        pending = current_token(session)
        if pending is None:
            session = session.evolve(flow=None, step=None, data={})
        elif user_input.prompt_id is not None:  # a button of an older flow question
            return _rejected(session, context, language, flows, "error.stale")
        else:
            return _decide(pending, user_input, session, context, language, flows)
    flow = flows.get(session.flow) if session.flow is not None else None
    if flow is not None and session.step is not None and session.step not in flow.steps:
        return _resume_moved(flow, session, context, language, flows)
    if session.flow is None or session.flow not in flows or session.step not in flows[session.flow].steps:
        return _idle(session, user_input, context, language, flows)
    if user_input.prompt_id is not None and user_input.prompt_id != session.prompt_id:
        return _rejected(session, context, language, flows, "error.stale")
    if user_input.prompt_id is None and (user_input.choice is not None or user_input.choices is not None):
        return _rejected(session, context, language, flows, "error.stale")
    flow = flows[session.flow]
    step = flow.steps[session.step]  # type: ignore[index]
    if user_input.text is not None and in_flow(session) and flow.id not in COORDINATION_FLOWS:
        signed = _sign_up_in_flow(user_input.text, session, context, language, flows)
        if signed is not None:
            return signed
    if flow.id == "menu" and user_input.text is not None and ANSWER_OR_LISTING not in session.data:
        entry = _draft_entry(user_input.text, session, context, language)
        if entry is not None:  # « oui », « publie le » under « 📝 Brouillon gardé : … »: the option that takes it up
            user_input = UserInput(choice=entry, prompt_id=session.prompt_id)
    just_answered_call: Any = None
    if flow.id == "menu" and ANSWERED_CALL in session.data:  # held for one message only
        just_answered = just_answered_call = session.data[ANSWERED_CALL]
        session = session.evolve(data={k: v for k, v in session.data.items() if k != ANSWERED_CALL})
        if user_input.text is not None and isinstance(just_answered, dict):
            added = _more_of_call_answer(just_answered, user_input.text, session, context, language, flows)
            if added is not None:  # « il nous faudrait une table et 2 chaises » just after « oui on veut bien un stand ! »
                return added
    if flow.id == "menu" and user_input.text is not None and isinstance(session.data.get(ADDED_TO_CALL), dict):
        held_answer = session.data[ADDED_TO_CALL]
        session = session.evolve(data={k: v for k, v in session.data.items() if k != ADDED_TO_CALL})
        if says_listing_meant(user_input.text):  # « non c'est une annonce »: taken back from the answer, a listing started
            started = _listing_from_sentence(str(held_answer["text"]), session, context, language, flows, after_command=True)
            if started is not None:
                removed = AddToCallAnswer(int(held_answer["id"]), str(held_answer["text"]), remove=True)
                return replace(started, effects=(*started.effects, removed))
    if flow.id == "listing" and user_input.text is not None and says_not_a_listing(user_input.text):
        # « non c pour le forum ça, pas une annonce » at a listing's question: no listing, the text to the call answered
        return _not_a_listing(session, context, language, flows)
    if flow.id == "menu" and user_input.text is not None:
        held = session.data.get(ANSWER_OR_LISTING)
        if isinstance(held, dict):  # we asked: an answer to the call (1), or a new need or offer (2)?
            session = session.evolve(data={k: v for k, v in session.data.items() if k != ANSWER_OR_LISTING})
            picked = user_input.text.strip(" .!?")
            if picked == "1":
                return _decide(str(held["call"]), UserInput(text=str(held["text"])), session, context, language, flows)
            if picked == "2":
                started = _listing_from_sentence(str(held["text"]), session, context, language, flows)
                if started is not None:
                    return started
        head = next(iter(waiting(context.decisions)), None)
        if (head is None or not takes_free_text(head)) and _sign_up_events(user_input.text, context) is not None:
            # « je m'inscris » at the menu, no question on screen: the events' (asked which, when several)
            wished = _event_wish(user_input.text, session, context, language, flows)
            if wished is not None:
                return wished
        taken_back = _taking_back(user_input.text, session, context, language, flows)
        if taken_back is not None:  # « finalement oui pour la mairie »: an earlier no taken back, never a new answer
            return taken_back
        asked = _yes_no_waiting(user_input.text, context, language) or _label_of_waiting(user_input.text, context, language)
        aside = _said_to_waiting(user_input.text, session, context, language, flows) if asked is None else None
        if aside is not None:  # « oui mais plutôt en janvier », « c'est qui ? »: the waiting question's later, or what is known of them
            return aside
        if asked is None and fold(user_input.text).strip(" .!") in LATER_WORDS:  # "plus tard", nothing waiting: fine
            return StepResult(session, (Reply(text=translate(language, "menu.later"), language=language),))
        if asked is not None:  # "oui" at the menu, an invitation waiting: the invitation's yes
            whole = answers_yes_no(user_input.text) is not None  # « Cela nous intéresse beaucoup »: read whole
            declined = None if whole else _declined_at_menu(asked, user_input.text, context, language)
            if declined is not None:  # « pas dispo ce jour-là désolé »: its no, an offer said after it kept
                return _declined_keeping(asked, declined, user_input.text, session, context, language, flows)
            typed = user_input.text if whole else _first_clause(user_input.text)
            wish = None if whole or context.actor is None else wish_besides(user_input.text)
            if wish is not None:  # « ok pour moi !! on cherche aussi des tables »: the first clause answers, the need kept
                return _answered_keeping(asked, UserInput(text=typed), wish, session, context, language, flows)
            return _decide(asked, UserInput(text=typed), session, context, language, flows)
        own = len(user_input.text) <= MAX_INPUT_CHARS and asks_about_own_listing(user_input.text) is not None  # never a call's answer
        call = None if own else _call_answered_at_menu(user_input.text, session, step, context, language)
        if call is not None:  # the menu said a written answer waits: this text is it, unless it reads as a listing
            which = _answer_or_listing(call, user_input.text, session, context, language)
            return which or _decide(call, user_input, session, context, language, flows)
        moved = _event_moved(user_input.text, _open_listings(context), session, context, language, flows)
        if moved is not None:  # « ah au fait le chantier c'est finalement le samedi 19 décembre », any day after publishing
            return moved
        wished = _event_wish(user_input.text, session, context, language, flows) or _broadcast_wish(
            user_input.text, session, context, language, flows
        )
        if wished is not None:
            return wished
        answered = _question_for_the_bot(user_input.text, session, context, language, flows, menu_step=step)
        if answered is not None:
            return answered
        started = _listing_from_sentence(user_input.text, session, context, language, flows, menu_step=step)
        if started is not None:
            if isinstance(just_answered_call, dict):  # a call answered just before: « pas une annonce » gives the text to it
                started = replace(started, session=started.session.evolve(data={**started.session.data, ANSWERED_CALL: just_answered_call}))
            return started
    if (flow.id, step.id) == ("listings", "action") and user_input.text is not None:
        the_listing = [item for item in context.listings if str(item.id) == session.data.get("listing")]
        moved = _event_moved(user_input.text, the_listing, session, context, language, flows)
        if moved is not None:  # « en fait c'est le samedi 19 décembre maintenant » at the listing's actions
            return moved
        offered = _offer_addition_to_chosen(user_input.text, step, the_listing, session, context, language)
        if offered is not None:  # « en fait il faut aussi un permis B »: added to its description, once asked
            return offered
    if user_input.text is not None and step.kind in ("choice", "multi", "territory"):
        continued = _fragment_continued(flow, step, session, user_input, context, language, flows)
        if continued is not None:  # « on cherche qqn pour », then « tondre la pelouse »: one sentence
            return continued
    if flow.id == "listing" and user_input.text is not None and step.id != "description" and session.data.get("description"):
        precised = precision_of(user_input.text)
        if precised is not None:  # « attendez je veux préciser : … » at the zone: the description completed, never a second draft
            completed_here = _described_more(precised, session, context, language, flows)
            if completed_here is not None:
                return completed_here
    if flow.id == "listing" and step.id != "which" and user_input.text is not None:
        switched = _kind_corrected(flow, step, session, user_input.text, context, language)
        if switched is not None:
            return switched
    if (flow.id, step.id) == (MORE_FLOW, "more") and user_input.text is not None:
        dated = _more_with_duration(flow, session, user_input.text, context, language, flows)
        if dated is not None:
            return dated
    if user_input.text is not None and flow.id in EXPLAINED_FLOWS:
        explained = _explained(flow, step, session, user_input.text, context, language, flows)
        if explained is not None:
            return explained
    if user_input.text is not None and flow.id == "listing" and session.data.get("kind") == "need" and no_longer_needed(user_input.text):
        # « ah non en fait on a trouvé, c bon on en a plus besoin »: nothing recorded, no draft kept, said
        left = session.evolve(flow=None, step=None, data={}, history=())
        return _menu(left, context, language, flows, "listing.not_needed", keep=False)
    if user_input.text is not None and step.kind == "text" and session.history:
        instead = retracted(user_input.text)
        if instead is not None:  # « en fait non laisse tomber, plutôt changer la zone »: never this question's answer
            return _taken_back(flow, session, instead, context, language, flows)
    if (flow.id, step.id) == ("profile", "field") and user_input.text is not None:
        edited = _field_with_value(flow, session, user_input.text, context, language, flows)
        if edited is not None:  # « mettez plutôt X comme nom »: the field chosen, X its answer
            return edited
    if (flow.id, step.id) == ("listing", "category") and user_input.text is not None and "description" not in session.data:
        # "des bras pour la distribution du samedi" at "Besoin : de quoi s'agit-il ?": category and description at once
        described_here = _described_at_category(step, session, user_input.text, context, language, flows)
        if described_here is not None:
            return described_here
    if user_input.text is not None and flow.id == "onboarding":
        introduced_here = _introduced_in_onboarding(flow, step, session, user_input.text, context, language, flows)
        if introduced_here is not None:
            return introduced_here
        authority = _authority_named(flow, step, session, user_input.text, context, language)
        if authority is not None:
            return authority
        said_more = _onboarding_said_more(flow, step, session, user_input.text, context, language)
        if said_more is not None:
            return said_more
    text = user_input.text or ""
    if (flow.id, step.id) == ("programme", "theme") and not text.strip().isdigit() and employees_of(text) is not None:
        # "about 30 employees" at the theme: a count, never the theme "Employment and inclusion"
        return _rejected(session, context, language, flows, "programme.theme_not_employees")
    if user_input.text is not None and step.id == "themes" and flow.id in THEMES_PICKED and means_all(user_input.text):
        # "un peu tout", "a bit of everything": never every theme ticked silently, a few asked (why said)
        return _rejected(session, context, language, flows, "themes.pick_a_few")
    if user_input.text is not None and step.kind == "choice":
        place = _place_at_type_question(flow, step, session, user_input.text, context, language, flows)
        if place is not None:
            return place
    if user_input.text is not None:
        kept = _keep_listing_sentence(flow, step, session, user_input.text, context, language, flows)
        if kept is not None:
            return kept
    published_at: Reply | None = None
    if user_input.text is not None and flow.id == "listing" and step.yes_takes_first and _says_publish(user_input.text):
        # « publier » at « Je publie cette annonce : sur quelle zone ? »: as a yes, the first zone, said
        first = next(iter(options_of(step, session, context)), None)
        if first is not None:
            user_input = UserInput(choice=first.value, prompt_id=session.prompt_id)
            said = translate(language, "listing.published_first_zone", zone=first.render(language))
            published_at = Reply(text=said, language=language)
    if user_input.text is not None and flow.id == "listing" and step.id == "category":
        split = _categories_split(step, session, user_input.text, context, language)
        if split is not None:  # « les 2 : bénévoles et matériel »: one listing each, the first now, the others offered after
            session, user_input, published_at = split
    typed_input = user_input  # what was typed, kept whole for what reads a refused answer (a need kept as a draft)
    if user_input.text is not None and step.id == "kind" and flow.id in ("onboarding", "profile"):
        # « dans le centre-ville de Bron », "near the town centre": a place, no local authority
        user_input = replace(user_input, text=without_town_parts(user_input.text) or user_input.text)
    business = user_input.text is not None and _business_at_type_question(flow, step, session, user_input, context, language)
    if business:  # « on est une boulangerie », « Boulangerie Chez Lulu »: a shop or a trade is a company
        user_input = UserInput(choice="entreprise", prompt_id=session.prompt_id)
    try:
        answer = answer_step(step, session, user_input, context, language)
        if step.check is not None and answer.value is not None and answer.navigation is None:
            refusal = step.check(answer.value, session, context)
            if refusal:
                raise InputError(refusal)
    except InputError as error:
        user_input = typed_input
        again = _sent_again(flow, session, text, context, language, flows)
        if again is not None:  # « Zed Logistique » twice: the second lands on the commune question, never refused there
            return again
        if error.key == "error.too_long" and step.settle is not None and step.check is not None and user_input.text:
            # A moment read from the text (a time, a date): an address typed there is not a time,
            # whatever its length; say what is expected, not how long the message was.
            try:
                refusal = step.check(" ".join(user_input.text.split()), session, context)
            except InputError as said:  # a refusal with its details (a day of the week that is not the date's)
                refusal, error = None, said
            if refusal:
                error = InputError(refusal)
        if "proposed" in error.params:  # "Vouliez-vous dire « 1. Association » ?": a yes chooses it
            session = session.evolve(
                data={**session.data, PROPOSED: {"choice": error.params["proposed"], "option": error.params["option"]}}
            )
        if error.key in REFUSED_AS_SENTENCE and step.kind in ("choice", "multi") and greeting_only(text):
            # « re bonjour », "hello again" back at a pending question: greeted back and asked it again, no refusal
            current = _current(session, context, language, flows)
            greeted = Reply(text=translate(language, "question.greeted_again"), language=language)
            return StepResult(session, (greeted, *((current,) if current is not None else ())), accepted=False)
        asked_here = _asks_what_is_asked(flow, session, text, context, language, flows) if error.key in REFUSED_AS_SENTENCE else None
        if asked_here is not None:  # « y a eu des réponses ? » at « Les réponses de quel appel ? »: asking for it, not refused
            return asked_here
        if flow.id == "menu" and text.strip() and not any(ch.isalnum() for ch in text):
            return _rejected(session, context, language, flows, "menu.only_signs")  # « 👍 », « 🙂 », « ❤️ »: one kind answer, the menu
        limit = flows["listing"].steps["description"].max_length if flow.id == "menu" and "listing" in flows else None
        if limit is not None and len(" ".join(text.split())) > limit:  # never « pas compris » alone: the limit, and what to do
            return _rejected(session, context, language, flows, "menu.too_long", length=len(" ".join(text.split())), maximum=limit)
        if flow.id == "menu" and error.key in ("error.expected_choice", "error.sentence_not_option"):
            stopping = CANCEL_WORDS.match(re.sub(r"[^\w]+", " ", fold(text)).strip()) is not None
            return _rejected(session, context, language, flows, "menu.stop" if stopping else "menu.not_understood")  # « stop »
        if flow.id == "listing" and error.key in ("error.sentence_not_option", "error.expected_choice") and user_input.text is not None:
            # a sentence refused there and reading as a listing is kept: at the questions that say what this
            # listing is (its category, need or offer) only one of the other kind; at the others (zone, skills,
            # duration) the listing's own sentence is already written, so any need or offer is another one
            other = session.data.get("kind") if error.key == "error.expected_choice" and step.id in LISTING_WHAT else None
            kept = _keep_refused_sentence(session, user_input.text, context, language, flows, other_than=other)
            if kept is not None:
                return kept
            more_words = step.id != "zone" or _ZONE_TALK.search(fold(user_input.text)) is None  # « 10 bornes autour ca ira »
            if step.id != "description" and session.data.get("description") and more_words and _reads_as_more_description(user_input.text):
                # « à prix coûtant, commande 1 semaine avant » at the zone: more of the description, never lost
                more = _described_more(" ".join(user_input.text.split()), session, context, language, flows)
                if more is not None:
                    return more
        if error.key in REFUSED_AS_SENTENCE and user_input.text is not None and flow.id not in ("menu", "listing"):
            # a need or an offer typed at a choice question (the type asked after /start, /profil's fields): never lost
            read_first = _first_message_at_kind(flow, step, session, user_input.text, context, language, flows)
            if read_first is not None:
                return read_first
            kept_aside = (
                _keep_refused_sentence(session, user_input.text, context, language, flows) if step.kind in ("choice", "multi") else None
            )
            if kept_aside is not None:
                return kept_aside
        if flow.id in EXPLAINED_FLOWS and "proposed" not in error.params and _asks_back(text):
            # "c'est pour quoi faire, ça ?" refused as an answer: a question, explained; the question again
            explained = _explained(flow, step, session, text, context, language, flows, about="what")
            if explained is not None:
                return explained
        return _rejected(session, context, language, flows, error.key, **error.params)
    applied = _apply_answer(flow, session, answer, context, language, flows)
    echoed = step.echo(answer.value, user_input.text, session, context, language) if step.echo and _stored(answer) else None
    if echoed:  # what was noted, said in one line before what comes next — and before a step answered alone after it
        alone = any(reply.meta.get("chosen") for reply in applied.replies)  # « 60 places », then « Villeurbanne (69) »
        noted = Reply(text=echoed, language=language, meta={"chosen": True} if alone else {})
        applied = replace(applied, replies=(noted, *applied.replies))
    if published_at is not None:
        applied = replace(applied, replies=(published_at, *applied.replies))
    if (
        step.id == "kind"
        and flow.id in ("onboarding", "profile")
        and answer.navigation is None
        and (business or word_count(text) >= SAID_BACK_WORDS)
    ):
        # "I work in CSR at Novatek" read as Company: the option taken from a sentence is said back
        chosen = next((o for o in options_of(step, session, context) if o.value == answer.value), None)
        if chosen is not None and fold(text).strip(" .!?") not in (fold(chosen.render(language)), fold(chosen.value)):
            note = Reply(text=translate(language, "picker.chosen", choice=chosen.render(language)), language=language)
            applied = replace(applied, replies=(note, *applied.replies))
    return applied


def _categories_split(step: Step, session: Session, text: str, context: Context, language: str) -> tuple[Session, UserInput, Reply] | None:
    """An answer to a listing's category that names several (« les 2 : bénévoles et matériel », « 1 et 5 »): the first
    chosen for this listing (Compétences first: its skills are asked now), one more listing of the same description for
    each other, offered once this one is published (as the other needs of a sentence), said; None when it names one."""
    options = [option.value for option in options_of(step, session, context)]
    typed = " ".join(text.split())
    said: list[str] = []
    numbers = number_list(typed)  # « 1 et 5 », « 1, 5 » (never « 2 ou 3 »)
    if numbers:
        said = [options[n - 1] for n in numbers if 0 < n <= len(options)]
    elif len(typed) <= MAX_INPUT_CHARS:
        said = [category for category in guess_listing(typed).categories if category in options]
    chosen = list(dict.fromkeys(said))
    if len(chosen) < 2:
        return None
    if "competences" in chosen:
        chosen.remove("competences")
        chosen.insert(0, "competences")
    first, *others = chosen
    kind = str(session.data.get("kind") or "need")
    description = session.data.get("description") or None  # none yet (« /besoin » asks the category first): this one's, later
    more = [{"kind": kind, "description": description, "category": category, CATEGORY_CHOSEN: True} for category in others]
    split = session.evolve(data={**session.data, MORE: [*more, *list(session.data.get(MORE) or ())]})
    names = [translate(language, "listing.category_quoted", category=translate(language, f"category.{c}")) for c in chosen]
    rest = names[1] if len(names) == 2 else translate(language, "list.and", first=", ".join(names[1:-1]), last=names[-1])
    note = Reply(text=translate(language, "listing.one_category_each", first=names[0], others=rest), language=language)
    return split, UserInput(choice=first, prompt_id=session.prompt_id), note


def _business_at_type_question(flow: Flow, step: Step, session: Session, user_input: UserInput, context: Context, language: str) -> bool:
    """Whether a text at the type of structure that chooses no option names a shop or a trade
    (:func:`~conversations.understanding.business_named`): the company, said back."""
    if step.id != "kind" or flow.id not in ("onboarding", "profile") or user_input.text is None or not business_named(user_input.text):
        return False
    if not any(o.value == "entreprise" for o in options_of(step, session, context)):
        return False
    try:
        answer_step(step, session, user_input, context, language)
    except InputError:
        return True
    return False


MORE_DESCRIPTION_WORDS = 4
"""A sentence refused at a choice question of a listing this long at least is read as more of its description."""


_ZONE_TALK = re.compile(
    r"\b(?:\d+\s*(?:km|kms|bornes?)|km|kms|kilometres?|bornes|rayon|autour|alentours?|environs|coin|secteur|quartiers?|ville|"
    r"commune|metropole|departement|region|partout|around|within|miles?|area|city|region|nearby|local|whole|everywhere)\b"
)
"""What, at the zone question, speaks of the zone (a distance, « autour », « la métropole »): never more of the description."""


def _reads_as_more_description(text: str) -> bool:
    """Whether ``text``, refused as an option of a listing's choice question, reads as more of its description
    (« à prix coûtant, commande 1 semaine avant »): a few words, no question, no yes or no, no doubt."""
    typed = " ".join(text.split())
    if word_count(typed) < MORE_DESCRIPTION_WORDS or len(typed) > MAX_INPUT_CHARS or "?" in typed:
        return False
    return answers_yes_no(typed) is None and not unsure(typed) and not _asks_back(typed)


def _described_more(addition: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult | None:
    """``addition`` put at the end of the description of the listing under way, said, and the current
    question asked again (it shows the new description); None when the whole would be too long."""
    before = " ".join(str(session.data.get("description") or "").split())
    addition = without_courtesy(addition) or addition
    if not addition or fold(addition) in fold(before):
        return None
    joined = f"{before} {addition}" if before.endswith((".", "!", "…", ";")) else f"{before}. {addition[0].upper()}{addition[1:]}"
    if len(joined) > flows["listing"].steps["description"].max_length:
        return None
    # one listing's description, as the person completed it: never cut into other listings when it is published
    completed = session.evolve(data={**session.data, "description": joined, MORE: list(session.data.get(MORE) or ())})
    said = Reply(text=translate(language, "listing.description_completed", description=excerpt(joined, 200)), language=language)
    current = _current(completed, context, language, flows)
    return StepResult(completed, (said, *((current,) if current else ())))


ANSWERED_CALL = "_answered_call"
"""Session data: the call just answered (its id, when, its message), for the next message — more of that answer — or
for the listing that message started (« pas une annonce » at its question gives the text to that answer)."""
ADDED_TO_CALL = "_added_to_call"
"""Menu session data: the text just added to a call's answer, until the next message (« c'est une annonce » takes it back)."""
CALL_FOLLOW_UP = timedelta(minutes=10)
"""How long after answering a call a message may still be more of that answer."""
ASKS_DETAILS = re.compile(
    r"\b(?:dites[- ]nous|dites[- ]moi|pr[ée]cisez|indiquez|de quoi|quels?|quelles?|combien|besoin|tell us|let us know|what|which|how many|need)\b",
    re.IGNORECASE,
)
"""What, in a call, asks the people who answer it for details."""
NEW_SUBJECT = re.compile(
    r"\b(?:aussi|également|egalement|par ailleurs|autre chose|sinon|en plus|d'ailleurs|also|too|btw|by the way|another thing|besides)\b",
    re.IGNORECASE,
)
"""Words that open another subject than the answer just given (« on cherche aussi des barnums »)."""
GOES_ON = re.compile(r"^(?:(?:ah|oh|euh|ok|et puis)\s+)?(?:et|and|plus|\+|avec|with)\s")
"""A message that goes on with the one before (« et on aura qqn pour conduire », "and we can drive it there")."""


def _more_of_call_answer(
    answered: Mapping[str, Any], text: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """A message typed at the menu a few minutes after answering a call, reading as more of that answer (the call
    asks for details, or the message takes up its words; no other subject, no question, no yes or no): added to
    the answer — the coordinator reads it —, said, with the way to make it a listing instead. None otherwise."""
    try:
        at = datetime.fromisoformat(str(answered.get("at")))
    except ValueError:
        return None
    typed = " ".join(text.split())
    call = str(answered.get("call") or "")
    if context.actor is None or not call or context.now - at > CALL_FOLLOW_UP or word_count(typed) < 3 or len(typed) > MAX_INPUT_CHARS:
        return None
    if "?" in typed or NEW_SUBJECT.search(fold(typed)) or answers_yes_no(typed) is not None or unsure(typed):
        return None
    shared = {w for w in re.findall(r"\w{4,}", fold(call))} & {w for w in re.findall(r"\w{4,}", fold(typed))}
    if not (ASKS_DETAILS.search(fold(call)) or shared or GOES_ON.match(fold(typed))):
        return None
    kept = {"id": int(answered["id"]), "text": typed}
    said = translate(language, "broadcast.answer_completed", text=excerpt(typed, 120), call=excerpt(call, 80))
    menu_session, menu = ask(flows["menu"], "main", session.evolve(data={}, history=()), context, language)
    return StepResult(
        menu_session.evolve(data={**menu_session.data, ADDED_TO_CALL: kept}),
        (Reply(text=said, language=language), menu),
        (AddToCallAnswer(int(answered["id"]), typed),),
    )


def _not_a_listing(session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    """« pas une annonce », "not a listing" at a listing's question: the listing under way is dropped (never kept as
    a draft); its text goes to the answer of the call just answered, when there is one — said either way."""
    answered = session.data.get(ANSWERED_CALL)
    description = " ".join(str(session.data.get("description") or session.data.get(START) or "").split())
    menu_session, menu = ask(flows["menu"], "main", session.evolve(flow=None, step=None, data={}, history=()), context, language)
    if isinstance(answered, dict) and description:
        said = translate(language, "listing.not_a_listing_to_call", text=excerpt(description, 120))
        effect = AddToCallAnswer(int(answered["id"]), description)
        return StepResult(menu_session, (Reply(text=said, language=language), menu), (effect,))
    return StepResult(menu_session, (Reply(text=translate(language, "listing.not_a_listing"), language=language), menu))


def _says_publish(text: str) -> bool:
    """« publier », « publie le », "publish it" (never a bare yes, nor « reprendre »)."""
    return takes_up(text) and re.search(r"publi|post", fold(text)) is not None


SAID_BACK_WORDS = 3
"""A type read in a sentence this long at least is said back ("C'est noté : Entreprise.")."""


THEMES_PICKED = frozenset(("onboarding", "profile", "listing", "listings"))
"""The flows whose themes say what someone works on (a coordinator's audience may well be "all")."""


def _answer_proposal(
    session: Session, user_input: UserInput, context: Context, language: str, flows: Mapping[str, Flow]
) -> tuple[Session, UserInput, StepResult | None]:
    """The answer to the single reading the bot proposed ("Vouliez-vous dire « 1. Association » ?",
    "Vouliez-vous dire /besoin ?"): a yes takes it — as if it had been typed —, a no asks the question
    again; anything else is read as usual. The proposal is forgotten after one message either way."""
    proposed = session.data[PROPOSED]
    session = session.evolve(data={k: v for k, v in session.data.items() if k != PROPOSED})
    if user_input.text is None or user_input.choice is not None or user_input.choices is not None:
        return session, user_input, None
    text = user_input.text
    said = None if parse_command(text) is not None else answers_yes_no(text)  # « oui c'est bien ça ! »
    if said is None or not isinstance(proposed, dict):
        return session, user_input, None
    rest = without_correction(text)
    if not said and rest and rest != text.strip() and yes_no(rest) is None and without_courtesy(rest):
        return session, UserInput(text=rest), None  # "no its a company, Novatek": the correction, read as usual
    if not said:
        key = "error.command_proposal_declined" if "command" in proposed else "error.proposal_declined"
        return session, user_input, _rejected(session, context, language, flows, key, option=proposed.get("option", ""))
    if "command" in proposed:
        return session, UserInput(text=str(proposed["command"])), None
    flow = flows.get(session.flow) if session.flow is not None else None
    step = flow.steps.get(session.step) if flow is not None and session.step is not None else None
    if step is None:
        return session, user_input, None
    if step.kind == "multi":  # typed as its label: added to what is ticked where typing adds (profile themes)
        option = next((o for o in options_of(step, session, context) if o.value == proposed.get("choice")), None)
        return session, UserInput(text=option.render(language)) if option is not None else user_input, None
    return session, UserInput(choice=str(proposed.get("choice")), prompt_id=session.prompt_id), None


def _written_in(session: Session, user_input: UserInput, context: Context, flows: Mapping[str, Flow], language: str) -> str | None:
    """The language someone without a profile (so without a chosen language) writes in: the name of
    a command ("/help"), the labels of another language at a choice ("Company"), or the small
    words of a sentence ("we are looking for…"). Names and descriptions typed at a text step say
    nothing (an English speaker may run "Les Restos du Cœur"). A platform that tells the person's
    language (Telegram) is believed instead."""
    text = user_input.text
    if context.actor is not None or text is None or user_input.choice is not None or user_input.choices is not None:
        return None
    if session.language_chosen:  # chosen in /reglages (a coordinator without a profile): kept
        return None
    if normalise_language(context.identity.language_code) is not None:
        return None
    if text.strip().startswith("/"):
        return command_language(text)
    flow = flows.get(session.flow) if session.flow is not None else None
    step = flow.steps.get(session.step) if flow is not None and session.step is not None else None
    if step is not None and session.flow != DECISION_FLOW:
        if step.kind not in ("choice", "multi"):
            return None
        options = options_of(step, session, context)
        said = choice_language(text, options, language, multi=step.kind == "multi")
        if said is not None:
            return said
    # the first message says the language with a word ("hello"); afterwards a short or mixed answer
    # ("sports club, non profit") does not move it away from the one the person has been using
    return written_language(text, strong=session.language is not None)


def _decide(
    tok: str, user_input: UserInput, session: Session, context: Context, language: str, flows: Mapping[str, Flow], besides: bool = True
) -> StepResult:
    """Answer the open decision ``tok`` (a button on its message, or typed text when it is current).

    ``besides``: a need or an offer typed with the answer (« oui, et on cherche aussi des tables », a call's
    answer « … et on cherche aussi des barnums ») is kept as a draft and said, the answer still taken."""
    view = next((d for d in context.decisions if d.token == tok), None)
    current = current_token(session)
    if view is None:
        if current == tok:  # resolved elsewhere meanwhile: it leaves the queue, the next one comes
            gone = Reply(text=translate(language, "decision.gone"), language=language)
            return StepResult(session.evolve(flow=None, step=None, data={}), (gone,), accepted=False, next_question=0)
        return _rejected(session, context, language, flows, "decision.gone")
    question = decision_reply(view, language)
    asked_too: str | None = None
    try:
        if user_input.choice is not None:
            if user_input.choice not in {c.value for c in question.choices} and not (
                user_input.choice == CALL_DECLINED and interested_call(view)
            ):
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
                if not_an_answer(text):  # "1", "?", "42": an option number, not a written answer
                    raise InputError("decision.broadcast.too_short")
                stated = _own_listing_asked(text, session, context, language, flows) if current == tok else None
                if stated is not None:  # « y a eu des réponses à mon annonce ? »: about their listing, never the call's answer
                    return stated
                if only_asks(text):  # « c'est pour quelle période exactement ? »: a question, never sent as the answer
                    return _asked_at_call(view, session, context, language, flows)
                value = " ".join(text.split())
                wish = wish_besides(text, aside=True) if besides else None
                if wish is not None:  # « … et on cherche aussi des barnums »: the whole answer sent, the need kept too
                    return _answered_keeping(tok, UserInput(text=text), wish, session, context, language, flows)
            else:
                if view.kind == "event" and current == tok and _another_event_meant(text, tok, context):
                    wished = _event_wish(text, session, context, language, flows)  # which one, or the one it names
                    if wished is not None:
                        return wished
                left = (
                    _registration_left(text, session, context, language, flows, view.kind == "event")
                    if current == tok and view.kind != "broadcast"  # a call's answer may speak of the event it is about
                    else None
                )
                if left is not None:  # « finalement je pourrai pas venir au forum » at a suggestion: that place given back
                    return left
                aside = _invitation_aside(text, view, session, context, language, flows) if current == tok else None
                if aside is not None:  # « oui je viens au forum » at a suggestion: the invitation's; this question stays
                    return aside
                options = [Option(c.value, label=c.label) for c in question.choices]
                behind = _text_call_waiting(view, context)
                call = topic(behind, language) if behind is not None else None
                long_enough = free_sentence(text) or word_count(text) > YES_NO_MAX_WORDS
                if behind is not None and long_enough and not _answers_here(text, options, behind, language):
                    raise InputError("decision.which_one", call=call)  # never acted on the wrong question
                if current == tok and context.actor is not None and takes_back_no(text):
                    yes = _named_yes(text, view, language)
                    if yes is not None:  # « finalement oui pour Les Restos » at the request of Les Restos: its yes
                        return _decide(tok, UserInput(choice=yes, prompt_id=tok), session, context, language, flows)
                    # « ah non attendez je me suis trompée, oui pour la mairie finalement »: an earlier no taken back;
                    # the question on screen stays open, unanswered, and is shown again after what was done
                    done_here = int(session.data.get("done") or 0)
                    return StepResult(session, (), (TakeBack(taken_back_name(text)),), next_question=done_here)
                if yes_for_later(text):  # « oui mais pas tout de suite, plutôt en janvier »: never its yes nor its no
                    put_off = _put_off(tok, text, options, session, context, language, flows)
                    if put_off is not None:
                        return put_off
                if interested_call(view):  # a call's only button, « Intéressé·e »: a no, a not now or a doubt said in words
                    said = _said_at_call(tok, text, options, session, context, language, flows)
                    if said is not None:
                        return said
                split = yes_then_question(text) if view.kind == "suggestion" and current == tok else None
                if split is not None:  # « ah oui grave ça m'intéresse, c'est gratuit ? »: the yes, and its question answered
                    text, asked_too = split
                head_count = view.kind == "event" and current == tok and _head_count_only(text, options, language)
                try:  # « on sera 4 », « nous serons 2 ou 3 » at an invitation: a yes with its people (the bot asks for it so)
                    value = "join" if head_count else parse_choice(text, options, language).value
                    if view.kind == "broadcast" and value in FIRST_YES_VALUES and said_beyond_yes(text):
                        value = " ".join(text.split())[:1000]  # « Oui ! On viendra à deux »: the coordinator reads it
                    if not besides:
                        wish = None
                    elif view.kind == "broadcast":  # « Intéressé·e » in words: only what is said besides the answer
                        wish = wish_besides(text, aside=True)
                    else:
                        wish = wish_after_yes(text) if value in YES_VALUES else None
                    if wish is not None:  # « oui, et on cherche aussi des tables »: its yes, and the need kept as a draft
                        return _answered_keeping(tok, UserInput(text=text), wish, session, context, language, flows)
                except InputError as error:
                    put_off = _put_off(tok, text, options, session, context, language, flows) if current == tok else None
                    if put_off is not None:  # « peut-être plus tard », "not right now sorry": never a draft
                        return put_off
                    if current == tok and asks_about_them(text):  # « qu'est-ce qu'ils cherchent ? »: what is known of them
                        return _about_them(view, session, context, language, flows)
                    declined = _declined_with(text, options) if current == tok else None
                    if declined is not None:  # « non merci, on ne fait pas de compta »: its no; « non mais on cherche… »: a draft too
                        return _declined_keeping(tok, declined, text, session, context, language, flows)
                    if call is not None and error.key in ("error.expected_choice", "error.sentence_not_option", "error.expected_yes_no"):
                        raise InputError("decision.which_one", call=call) from None
                    wished = _event_wish(text, session, context, language, flows) if current == tok else None
                    if wished is not None:
                        return wished  # "je m'inscris", "le fichier calendrier": the events'; this question stays open
                    worded = re.search(r"[^\W\d_]", text) is not None  # a number out of range stays refused as such
                    aside = _said_aside(view, text, session, context, language, flows) if current == tok and worded else None
                    if aside is None:
                        raise
                    return aside
    except InputError as error:
        refusal = translate(language, error.key, **error.params) + "\n" + translate(language, "help.how_to_leave")
        reply = Reply(text=refusal, language=language)  # every refusal says how to leave the question
        again = _current(session, context, language, flows) if current == tok else question
        return StepResult(session, (reply, again or question), accepted=False)
    effects: tuple[Any, ...] = (Decide(tok, value),)
    if view.kind == "event":  # an event's invitation: signed up (or its « Pas intéressé·e »), as by its buttons
        coming = people_coming(user_input.text) if user_input.text and value == "join" else None  # « oui ! on sera 3 »
        ranged = coming is not None and people_range_said(user_input.text or "")
        effects = (SignUp(int(tok[1:]), decline=value != "join", people=coming, ranged=ranged),)
    result = _decided(tok, value, view, effects, session, context, language, flows)
    if asked_too is not None and value in YES_VALUES:  # what the bot cannot know (a price), said honestly
        note = Reply(text=translate(language, "decision.question_after_yes", question=excerpt(asked_too, 120)), language=language)
        result = replace(result, replies=(note, *result.replies))
    return result


def _decided(
    tok: str,
    value: str,
    view: DecisionView,
    effects: tuple[Any, ...],
    session: Session,
    context: Context,
    language: str,
    flows: Mapping[str, Flow],
) -> StepResult:
    """What follows the answer ``value`` to the decision ``tok``: the flow's question again, the next one, a story, the menu."""
    current = current_token(session)
    done = int(session.data.get("done") or 0) if current is not None else 0
    if in_flow(session):  # a button on an earlier message: the flow's question stays the current one
        flow_question = current_question(flows, session, context, language)
        return StepResult(session, (flow_question,) if flow_question else (), effects)
    if current is not None and current != tok:  # an older message's button: the current one stays (if still open)
        return StepResult(session, (), effects, next_question=done)
    if value == "launched" and view.kind in OUTCOME_DECISIONS:  # what was launched, and a story to share
        fresh = session.evolve(flow=None, step=None, data={}, history=())
        return replace(_start_flow("outcome", {"token": tok}, fresh, context, language, flows), effects=effects)
    menu_session, menu = ask(flows["menu"], "main", session.evolve(data={}, history=()), context, language)
    if view.kind == "broadcast" and value != CALL_DECLINED:  # more of that answer may follow: held for the next message
        answered = {"id": int(tok[1:]), "at": context.now.isoformat(), "call": str(view.extra.get("message") or "")}
        menu_session = menu_session.evolve(data={**menu_session.data, ANSWERED_CALL: answered})
    return StepResult(menu_session, (menu,), effects, next_question=done + 1 if current == tok else 0)


def _another_event_meant(text: str, tok: str, context: Context) -> bool:
    """Whether a sign-up typed at the invitation ``tok`` may mean another event: it names another one, or it
    names none while other invitations wait too (each shown when it came) — then asked, never guessed."""
    events = _sign_up_events(text, context)
    if events is None:
        return False
    named = named_events(join_tail(text) or "", events)
    if named:
        return any(token("event", event.id) != tok for event in named)
    return len([view for view in waiting(context.decisions) if view.kind == "event"]) > 1


def _said_at_call(
    tok: str, text: str, options: Sequence[Option], session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """What is typed at a call answered by its only button, « Intéressé·e », that is no yes: a no (« non merci »,
    "nah not for us sorry", « pas cette fois ») answers it « Pas intéressé·e » — the coordinator reads it, it is
    not asked again, the next question comes; a doubt (« bof je sais pas », "skip", "not sure") leaves it waiting,
    said so; a question for the coordinator (« c'est où ? faut payer ? ») is told that the bot does not pass
    questions on and how to answer. None for anything else (a yes, a need, a later: read as usual)."""
    this_time = not_now(text) and not defers(text) and re.search(r"\b(?:cette fois|this time)\b", fold(text)) is not None
    if starts_declining(text) or yes_no(text) is False or this_time:  # a call comes once: « pas cette fois » is its no
        return _declined_keeping(tok, CALL_DECLINED, text, session, context, language, flows)
    if unsure(text):
        note = Reply(text=translate(language, "decision.broadcast.unsure"), language=language)
        result = _menu_keeping_waiting(session, context, language, flows)
        return replace(result, replies=(note, *result.replies), accepted=False)
    worded = re.search(r"[^\W\d_]{2}", text) is not None  # « ? » alone asks what to do: the help, as elsewhere
    if worded and is_question(text) and not asks_about_them(text) and current_token(session) == tok:
        view = next(v for v in context.decisions if v.token == tok)
        return _asked_at_call(view, session, context, language, flows)
    return None


def _asked_at_call(view: Any, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    """A question typed at a coordinator's call (« c'est pour quelle période exactement ? », "what dates is this
    for?"): the bot passes no question on, says so honestly and who to ask (the organisation that signs the call:
    the directory shows no contact details, so where to find them); nothing is answered, the call stays waiting."""
    origin = str(view.extra.get("origin") or "")
    key = "decision.broadcast.question_written" if takes_free_text(view) else "decision.broadcast.question_from"
    said = Reply(text=translate(language, key, origin=origin), language=language)
    if current_token(session) == view.token:
        current = _current(session, context, language, flows)
        return StepResult(session, (said, *((current,) if current else ())), accepted=False)
    result = _menu_keeping_waiting(session, context, language, flows)
    return replace(result, replies=(said, *result.replies), accepted=False)


_GENERIC_NAME_WORDS = frozenset(
    (
        *("asso", "assos", "association", "club", "mairie", "ville", "commune", "entreprise", "societe", "cabinet", "collectif"),
        *("groupe", "company", "charity", "town", "hall", "city", "council", "group", "est", "nord", "sud", "ouest", "les", "des", "aux"),
    )
)
"""Words of many names (a kind of structure, a point of the compass): naming one of them names nobody in particular."""


def _names_shown(text: str, view: DecisionView) -> bool:
    """Whether a taking back names the other side of the question on screen (« oups, oui pour Les Restos » at
    the request of Les Restos): then it answers that question, as typed."""
    hint = set(taken_back_name(text).split())
    name = view.other.name if view.other is not None else ""
    named = {word for word in fold(name).replace("'", " ").replace("-", " ").split() if len(word) >= 3}
    return bool((hint & named) - _GENERIC_NAME_WORDS)  # « l'asso d'aide aux devoirs » names no « Asso du Tonkin »


def _named_yes(text: str, view: DecisionView, language: str) -> str | None:
    """The one yes of ``view`` when a taking back names its other side (:func:`_names_shown`), else None."""
    if not _names_shown(text, view):
        return None
    yes = [choice.value for choice in decision_reply(view, language).choices if choice.value in YES_VALUES]
    return yes[0] if len(yes) == 1 else None


def _taking_back(text: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult | None:
    """An earlier no taken back at the menu or when idle (« finalement oui pour Ville de Villeurbanne », « je me suis
    trompée, oui pour la mairie », "actually yes to the town hall"): the request declined is re-opened and accepted
    (:class:`TakeBack`, said back), then the first waiting question or the menu. None for anything else."""
    if context.actor is None or len(text) > MAX_INPUT_CHARS or not takes_back_no(text):
        return None
    queue = waiting(context.decisions)
    yes = _named_yes(text, queue[0], language) if queue and not takes_free_text(queue[0]) else None
    if yes is not None:  # « finalement oui pour Les Restos » while their request waits: its yes
        return _decide(queue[0].token, UserInput(choice=yes, prompt_id=queue[0].token), session, context, language, flows)
    menu_session, menu = ask(flows["menu"], "main", session.evolve(flow=None, step=None, data={}, history=()), context, language)
    return StepResult(menu_session, (menu,), (TakeBack(taken_back_name(text)),), next_question=0)


def _declined_with(text: str, options: Sequence[Option]) -> str | None:
    """The value of the one "no" button (« Pas intéressé », "Not interested", « Non ») a message starting with
    a refusal answers (« non merci, on ne fait pas de compta », "no thanks, we don't do accounting", "not for
    us"), whatever follows it; None when it starts with none, or the question has no single no."""
    noes = [option.value for option in options if option.value in NO_VALUES]
    return noes[0] if len(noes) == 1 and starts_declining(text) else None


def _put_off(
    tok: str, text: str, options: Sequence[Option], session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """A question put off in words: a later or a maybe (« peut-être plus tard, je dois voir avec mon bureau »,
    "let me check with my manager") takes its « Plus tard » where it has one, else the question stays waiting
    and the person is told so; a no for now (« pas pour le moment », "not right now sorry") takes its later,
    else its no. None for anything else: never a draft of a need."""
    deferred, refused = defers(text), not_now(text)
    if not deferred and not refused:
        return None
    values = [option.value for option in options]
    wish = wish_besides(text) if context.actor is not None else None  # « plus tard, mais on cherche aussi des tables »
    if "later" in values:
        if wish is not None:
            return _answered_keeping(tok, UserInput(choice="later"), wish, session, context, language, flows)
        return _decide(tok, UserInput(choice="later"), session, context, language, flows)
    noes = [value for value in values if value in NO_VALUES]
    if refused and len(noes) == 1:
        return _declined_keeping(tok, noes[0], text, session, context, language, flows)
    said: tuple[Reply, ...] = ()
    if wish is not None:
        session, kept = _also_kept(wish, session, language, flows)
        said = (Reply(text=kept, language=language),)
    note = Reply(text=translate(language, "decision.kept_waiting"), language=language)
    result = _menu_keeping_waiting(session, context, language, flows)
    return replace(result, replies=(*said, note, *result.replies), accepted=False)


def _about_them(view: Any, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    """A question about the other side of a waiting question (« qu'est-ce qu'ils cherchent exactement ? », "who
    are they?"): what is known of them (their presentation, their listings, quoted), then the question again —
    what is known said once: when the question shows it already, the answer points to it."""
    known = about(view.other, language, view.listing_text).strip() if view.other is not None else ""
    current = _current(session, context, language, flows)
    lines = [line.strip().rstrip(".") for line in known.splitlines() if line.strip()]
    if view.kind == "group":  # who is in it already: the names of the organisations that said yes, nothing more
        names = list(view.extra.get("members") or ())
        said = (
            translate_plural(language, "decision.group.members_n", len(names), names=", ".join(names))
            if names
            else translate(language, "decision.group.no_members_yet")
        )
    elif lines and current is not None and all(line in current.text for line in lines):  # the question shows it: once is enough
        said = translate(language, "decision.about_them_below", other=describe_other(view.other, language))
    elif known:
        said = translate(language, "decision.about_them", other=describe_other(view.other, language), about=known)
    else:
        said = translate(language, "decision.about_unknown")
    return StepResult(session, (Reply(text=said, language=language), *((current,) if current else ())), accepted=False)


def _own_listing_asked(text: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult | None:
    """A question about the person's own listing (« quelqu'un a vu mon annonce de pain ? ») typed while a question
    waits on screen: that listing's state, then the question again; never a draft, an answer or a new listing."""
    own = asks_about_own_listing(text) if len(text) <= MAX_INPUT_CHARS else None
    if own is None:
        return None
    stated = Reply(text=own_listing_answer(own, text, context, language), language=language)
    current = _current(session, context, language, flows)
    return StepResult(session, (stated, *((current,) if current else ())), accepted=False)


def _said_aside(view: Any, text: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult | None:
    """A sentence typed at a question answered by its buttons (a suggestion) that is none of them: a need
    or an offer (« on cherche aussi des tables pour samedi ») is kept as a draft, as at the menu; at a
    suggestion, anything else (« c'est quoi me présenter ? ») is answered with what each button does.
    Either way the question stays open and is shown again; nothing typed is lost nor taken for an answer."""
    if len(text) <= MAX_INPUT_CHARS and (asks_who_needs_or_offers(text) or asks_about_listings(text)):
        # « qui cherche des bénévoles ? », "which charities need volunteers?": /annuaire, as at the menu; never a draft
        pointed = Reply(text=translate(language, "question.who_needs_or_offers"), language=language)
        current = _current(session, context, language, flows)
        return StepResult(session, (pointed, *((current,) if current else ())), accepted=False)
    stated = _own_listing_asked(text, session, context, language, flows)
    if stated is not None:  # « quelqu'un a répondu à mon besoin ? » under a suggestion: that listing's state; never a draft
        return stated
    continued = _last_draft_continued(text, session, context, language, flows) if context.actor is not None else None
    if continued is not None:  # « on cherche aussi qqn pour », then « faire la compta de l'asso »: one draft
        return continued
    guess = guess_listing(text)
    if context.actor is not None and word_count(text) >= 4 and len(text) <= MAX_INPUT_CHARS and guess.is_listing:
        return _kept_as_draft(guess, text, session, context, language, flows)
    if view.kind != "suggestion":
        return None
    labels = {value: translate(language, f"decision.suggestion.{value}") for value in ("present", "decline", "later")}
    said = translate(language, "decision.suggestion.buttons", **labels) + "\n" + translate(language, "help.how_to_leave")
    explained = Reply(text=said, language=language)
    current = _current(session, context, language, flows)
    return StepResult(session, (explained, *((current,) if current else ())), accepted=False)


def _call_answered_at_menu(text: str, session: Session, step: Step, context: Context, language: str) -> str | None:
    """The call a text typed at the menu answers: the question the menu announced as waiting
    ("📬 Une question vous attend : 📣 Appel…") expects a written answer, and the text is one:
    a sentence of its own (more words than a menu entry takes, as at a decision), or short words
    that are no menu entry; None otherwise."""
    queue = waiting(context.decisions)
    if not queue or not takes_free_text(queue[0]) or not_an_answer(text) or len(text) > MAX_INPUT_CHARS:
        return None
    if not free_sentence(text) and word_count(text) <= YES_NO_MAX_WORDS:
        try:
            answer_step(step, session, UserInput(text=text), context, language)
            return None  # a menu entry ("besoin", "2", "je veux déclarer un besoin")
        except InputError:
            pass
    return queue[0].token


def _yes_no_waiting(text: str, context: Context, language: str) -> str | None:
    """The decision a bare yes or no typed at the menu answers: the first one waiting, when it is
    a yes/no question (a group's invitation, an introduction request) — the menu has no yes nor no
    of its own. None otherwise."""
    queue = waiting(context.decisions)
    said = _menu_yes_no(text)
    if said is None and queue and (interested_call(queue[0]) or queue[0].kind == "event") and starts_declining(text):
        said = False  # « pas pour nous » while a call waits: its « Pas intéressé·e »; « pas dispo ce jour-là » at an invitation
    if not queue or takes_free_text(queue[0]) or said is None:
        return None
    values = [choice.value for choice in decision_reply(queue[0], language).choices]
    # one yes and one no besides others (a suggestion's "Plus tard"): "oui" is its yes
    yes, no = [v for v in values if v in YES_VALUES], [v for v in values if v in NO_VALUES]
    if not yes and not no and values and values[0] in FIRST_YES_VALUES and (said is True or interested_call(queue[0])):
        return queue[0].token  # a call's only button, « Intéressé·e »: a yes takes it, a no is its « Pas intéressé·e »
    return queue[0].token if len(yes) == 1 and len(no) == 1 else None


def _said_to_waiting(text: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult | None:
    """A later (« laissez-moi réfléchir », « oui mais pas tout de suite, plutôt en janvier », "let me think about it")
    or a question about the other side (« c'est qui ? », "who are they?") typed at the menu while a question answered
    by its buttons waits — the menu says « tapez oui ou non pour y répondre »: read as typed at that question, which
    becomes the current one. None for anything else."""
    queue = waiting(context.decisions)
    if not queue or takes_free_text(queue[0]) or len(text) > MAX_INPUT_CHARS:
        return None
    if not (yes_for_later(text) or defers(text) or asks_about_them(text)):
        return None
    presented, _ = present(queue[0], context.decisions, session.evolve(flow=None, step=None), language)
    return _decide(queue[0].token, UserInput(text=text), presented, context, language, flows)


def _declined_at_menu(tok: str, text: str, context: Context, language: str) -> str | None:
    """The no of the waiting question ``tok`` that a refusal or an unavailability typed at the menu gives (« pas dispo
    ce jour-là désolé », "can't make it that day sorry"), or None."""
    view = next((d for d in context.decisions if d.token == tok), None)
    if view is None or not starts_declining(text):
        return None
    options = [Option(c.value, label=c.label) for c in decision_reply(view, language).choices]
    return _declined_with(text, options) or (CALL_DECLINED if interested_call(view) else None)


def _menu_yes_no(text: str) -> bool | None:
    """A yes or a no typed at the menu, read as at the question itself (:func:`answers_yes_no`: « Cela nous
    intéresse beaucoup », « Oui ! On sera là »), else from its first clause when short (« oui ça m'intéresse !!
    c'est gratuit ? »); never a yes taken back (« oui, mais pas ce mois-ci »)."""
    said = answers_yes_no(text)
    if said is not None or yes_taken_back(text):
        return said
    first = _first_clause(text)
    return yes_no(first) if word_count(first) <= YES_NO_MAX_WORDS else None


def _draft_entry(text: str, session: Session, context: Context, language: str) -> str | None:
    """The menu's entry that takes up the draft the menu says is kept (« besoin » for a need), when ``text``
    is a yes or « publie le »; None without such a draft, or when a yes answers a question waiting."""
    kind = (session.draft or {}).get("data", {}).get("kind") if session.draft else None
    if kind not in ("need", "offer") or not takes_up(text) or _yes_no_waiting(text, context, language) is not None:
        return None
    return "besoin" if kind == "need" else "offre"


LATER_WORDS = frozenset(("plus tard", "a plus tard", "later", "not now", "pas maintenant", "une autre fois"))
"""What "plus tard" at the menu means when no question waits: nothing to do now."""


def _label_of_waiting(text: str, context: Context, language: str) -> str | None:
    """The waiting decision whose option is typed in words at the menu ("plus tard", "pas intéressé"
    while a suggestion is held): the menu's own entries and numbers never are."""
    queue = waiting(context.decisions)
    if not queue or takes_free_text(queue[0]) or fold(text).strip(" .!").isdigit():
        return None
    options = [Option(c.value, label=c.label) for c in decision_reply(queue[0], language).choices]
    try:
        parse_choice(text, options, language, lenient=False)
    except InputError:
        return None
    return queue[0].token


def _first_clause(text: str) -> str:
    """What comes before the first punctuation ("oui ça m'intéresse !! c'est gratuit ?" → its yes)."""
    return re.split(r"[!?.,;]", text, maxsplit=1)[0].strip() or text


def _call_answers_asked(
    asked: OwnListingQuestion | None, session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """A coordinator asking whether answers came (« y a eu des réponses ? », « des nouvelles de mon appel ? », "any replies
    to my call?"): the answers to their calls (/reponses), when the question names a call or they have no listing of
    their own to ask about. None otherwise: anyone else's question is about their listings."""
    if asked is None or not context.areas or "answers" not in flows or asked.kind is not None or asked.words:
        return None
    if not (asked.call or (asked.answers and not context.listings)):
        return None
    return _start_flow("answers", {}, session.evolve(flow=None, step=None, data={}, history=()), context, language, flows)


def _asks_what_is_asked(
    flow: Flow, session: Session, text: str, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """A question typed at a flow's question that asks for what that flow gives (« y a eu des réponses ? », « des
    nouvelles de mon appel ? », "any replies?" at « Les réponses de quel appel ? »): taken as asking for it, never
    refused as a free sentence. The flow starts again: what it shows when there is nothing to choose (a single call
    answered: its answers), else its question once more, after a line saying why it is asked. None for anything else."""
    if flow.id != "answers" or not text.strip():
        return None
    asked = asks_about_own_listing(text)
    if asked is None or not (asked.answers or asked.call) or asked.kind is not None or asked.words:
        return None
    again = _start_flow(flow.id, {}, session.evolve(flow=None, step=None, data={}, history=()), context, language, flows)
    if again.session.flow != flow.id:  # shown at once: nothing left to choose
        return again
    note = Reply(text=translate(language, "answers.pick_again"), language=language)
    return replace(again, replies=(note, *again.replies))


def _question_for_the_bot(
    text: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow], menu_step: Step | None = None
) -> StepResult | None:
    """A question typed at the menu or when idle ("comment je fais pour changer de ville ?", "je peux
    écrire en français ?"): answered with the command that does it, then the menu; never a listing
    description. A question naming something to exchange ("qui pourrait nous prêter un camion ?") is
    a need or an offer, and left to them; so is a menu entry."""
    if len(text) > MAX_INPUT_CHARS:
        return None
    own = asks_about_own_listing(text)
    answers = _call_answers_asked(own, session, context, language, flows)
    if answers is not None:
        return answers
    if own is not None:  # « quelqu'un a vu mon annonce de pain ? »: that listing's state, never a new listing
        answer = Reply(text=own_listing_answer(own, text, context, language), language=language)
        menu_session, menu = ask(flows["menu"], "main", session.evolve(flow=None, step=None, data={}, history=()), context, language)
        return StepResult(menu_session, (answer, menu))
    if asks_who_needs_or_offers(text) or asks_about_listings(text):  # "qui cherche une salle ?", "les besoins des assos ?": /annuaire
        answer = Reply(text=translate(language, "question.who_needs_or_offers"), language=language)
        menu_session, menu = ask(flows["menu"], "main", session.evolve(flow=None, step=None, data={}, history=()), context, language)
        return StepResult(menu_session, (answer, menu))
    if guess_listing(text).category is not None:
        return None
    topic = question_topic(text)
    if not is_question(text) and (topic not in INTENT_TOPICS or free_sentence(text)):
        return None  # a wish that a command does ("je veux m'inscrire au forum") is answered like a question
    if menu_step is not None and word_count(text) <= YES_NO_MAX_WORDS:
        try:
            answer_step(menu_step, session, UserInput(text=text), context, language)
            return None  # a menu entry ("mes annonces ?")
        except InputError:
            pass
    said = "\n\n".join(translate(language, f"question.{subject}") for subject in question_topics(text) or ["other"])
    answer = Reply(text=said, language=language)  # "how long …? and who will see my email?": each subject answered
    menu_session, menu = ask(flows["menu"], "main", session.evolve(flow=None, step=None, data={}, history=()), context, language)
    return StepResult(menu_session, (answer, menu))


def _sign_up_events(text: str, context: Context) -> list[Any] | None:
    """The events open to the person that a sign-up phrase (« je m'inscris », "count me in") may
    mean: all of them, or those it names; None when the text says no sign-up or names no open event
    ("je participe à un projet de jardin")."""
    if context.actor is None or len(text) > 300:
        return None
    tail = join_tail(text)
    if tail is None:
        return None
    events = open_events(context)
    if not events:
        return None
    if tail and not named_events(tail, events) and not says_companions(tail):
        first = join_tail(_first_clause(text))  # « count me in!! we'll bring 3 colleagues »: its first clause says it
        if first is None or (first and not named_events(first, events) and not says_companions(first)):
            return None
    return events


def _event_wish(text: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult | None:
    """An event wish typed at the menu: "le fichier calendrier", "add to my calendar" sends the
    calendar file of the events one is registered to (or says how to get one); "je m'inscris",
    "je viens au forum", "count me in" signs up to the event it can only mean, or asks which one
    (never a listing, never "Vouliez-vous dire …"). None for anything else."""
    if context.actor is None or len(text) > 300:
        return None
    fresh = session.evolve(flow=None, step=None, data={}, history=())
    if calendar_request(text) and guess_listing(text).kind is None:
        return _conclude(Finish(effects=(CalendarFile(),)), fresh, context, language, flows)
    left = _registration_left(text, session, context, language, flows) if session.flow in (None, "menu") else None
    if left is not None:  # « finalement je pourrai pas venir au forum » at the menu
        return left
    if _sign_up_events(text, context) is None:
        return _people_changed(text, session, context, language, flows)
    started = _start_flow("events", {}, fresh, context, language, flows)
    if started.session.flow != "events":
        return None
    return _with_people(advance(started.session, UserInput(text=text, prompt_id=None), context, flows), text)


def _head_count_only(text: str, options: Sequence[Option], language: str) -> bool:
    """Whether ``text`` at an event's invitation says how many come and nothing the options read (« on sera 4 »,
    « nous serons 4 personnes », « on sera 2 ou 3 »): no option of its own, no negation, no listing, said briefly."""
    if (people_coming(text) or 0) <= 0 or word_count(text) > PEOPLE_CHANGE_MAX_WORDS or negated(fold(text)):
        return False
    if guess_listing(text).is_listing or not any(o.value == "join" for o in options):
        return False
    try:
        parse_choice(text, options, language)
    except InputError:
        return True
    return False  # « oui, on sera 4 », « 1 »: the options' own reading


PEOPLE_CHANGE_MAX_WORDS = 10
"""« finalement on sera 4 », "there'll be 3 of us in the end": a new number of people said this briefly at most."""


def _people_changed(text: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult | None:
    """A new number of people said alone (« finalement on sera 4 », "we'll be 2 in the end") by someone registered to
    one upcoming event: that registration's number, changed (or refused when it makes no sense). None otherwise."""
    coming = people_coming(text)
    if coming is None or word_count(text) > PEOPLE_CHANGE_MAX_WORDS or guess_listing(text).is_listing:
        return None
    signed_up = [event for event in open_events(context) if event.mine == "registered"]
    if len(signed_up) != 1:
        return None
    return StepResult(
        session, _still_asked(session, context, language, flows), (SignUp(signed_up[0].id, people=coming, ranged=people_range_said(text)),)
    )


def _with_people(result: StepResult, text: str) -> StepResult:
    """``result`` with the number of people ``text`` says are coming (« inscrivez-nous, on sera 3 ») on its sign-up."""
    coming = people_coming(text)
    if coming is None:
        return result
    ranged = people_range_said(text)
    effects = tuple(
        replace(e, people=coming, ranged=ranged) if isinstance(e, SignUp) and not e.leave and not e.decline else e for e in result.effects
    )
    return replace(result, effects=effects)


def _broadcast_wish(text: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult | None:
    """A coordinator's wish to write to the actors of their territory typed at the menu (« je veux
    envoyer un message à toutes les assos », "how do I message all the companies?"): /diffuser is
    started, said, with the types of actors the words name already read. None for anyone else."""
    if not context.areas or len(text) > 300 or "broadcast" not in flows:
        return None
    kinds = broadcast_wish(text)
    if kinds is None:
        return None
    data: dict[str, Any] = {"kinds": list(kinds), KINDS_READ: True} if kinds else {}
    started = _start_flow("broadcast", data, session.evolve(flow=None, step=None, data={}, history=()), context, language, flows)
    said = Reply(text=translate(language, "broadcast.wish"), language=language)
    return replace(started, replies=(said, *started.replies))


def _still_asked(session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> tuple[Reply, ...]:
    """The question being asked (a command's step, or the decision being answered), to ask again
    after something answered aside; nothing at the menu."""
    if not in_flow(session) and current_token(session) is None:
        return ()
    again = _current(session, context, language, flows)
    return (again,) if again is not None else ()


def _invitation_answered(
    event_id: int, value: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult:
    """An event invitation's « Je m'inscris » (signed up, or on the waiting list, with the file) or
    « Pas intéressé·e » (the decline stored and acknowledged; the invitation can still be taken up
    in /evenements), whatever is being asked meanwhile: that question stays, and is asked again after."""
    tok = token("event", event_id)
    if any(view.token == tok for view in context.decisions):  # still waiting: answered as the question it is
        return _decide(tok, UserInput(choice=value), session, context, language, flows)
    event = next((e for e in open_events(context) if e.id == event_id), None)
    again = _still_asked(session, context, language, flows)
    if event is None:
        return StepResult(session, (Reply(text=translate(language, "events.gone"), language=language), *again), accepted=False)
    return StepResult(session, again, (SignUp(event_id, decline=value != "join"),))


def _invitation_aside(
    text: str, view: DecisionView, session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """What is typed at the question on screen ``view`` (a suggestion, a request) while an event's invitation waits, when
    it can only answer that invitation (:func:`invitation_answer`: « oui je viens au forum », « on sera là samedi avec 3
    bénévoles », « pas dispo pour le forum désolé », "count me in for the forum"): signed up with the number of people said,
    or declined, said back; the question on screen stays open and is shown again. None when it answers no invitation, or
    several alike (then asked as before); never at an invitation nor at a call (which may be about the event itself)."""
    if view.kind in ("event", "broadcast"):
        return None
    found = []
    for invitation in waiting(context.decisions):
        if invitation.kind != "event" or invitation.token == view.token:
            continue
        timezone = str(invitation.extra.get("timezone") or DEFAULT_TIMEZONE)
        title, starts_at = str(invitation.extra.get("title") or ""), str(invitation.extra.get("starts_at") or "")
        value = invitation_answer(text, title, starts_at, timezone)
        if value is not None:
            found.append((invitation, value))
    if len(found) != 1:
        return None
    invitation, value = found[0]
    result = _invitation_answered(int(invitation.token[1:]), value, session, context, language, flows)
    return _with_people(result, text) if value == "join" else result


def _registration_left(
    text: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow], at_invitation: bool = False
) -> StepResult | None:
    """Words that give back one's place at an upcoming event (:func:`leave_meant`: « finalement je pourrai pas venir au
    forum », « désolé on annule pour samedi », "sorry, can't make it to the forum after all") typed at a question that is
    no event's (a suggestion, the menu): the registration (or the waiting place) left, said; several and none named,
    which one is asked; none, said — nothing changed. The question on screen stays and is shown again. None when the
    words name an invitation still waiting, or say nothing of the kind (the question on screen reads them);
    ``at_invitation``: only a registration named leaves (« je ne pourrai pas venir » answers the invitation on screen)."""
    events = open_events(context) if context.actor is not None else []
    found = leave_meant(text, events, timezone_of(context)) if events else None
    if found is None or (at_invitation and not (found.kind == "leave" and found.named)):
        return None
    invited = {view.token for view in waiting(context.decisions) if view.kind == "event"}
    if found.kind == "not_registered" and (token("event", found.event.id) in invited if found.event is not None else bool(invited)):
        return None  # an invitation still waiting: its own answer (declined)
    again = _still_asked(session, context, language, flows)
    if found.kind == "leave" and found.event is not None and (found.named or not invited):
        return StepResult(session, again, (SignUp(found.event.id, leave=True),))
    if found.kind == "not_registered":
        said = (
            translate(language, "events.not_registered_to", title=found.event.title)
            if found.event is not None
            else translate(language, "events.not_registered_any")
        )
    else:  # several registrations (or one and an invitation waiting), none named
        said = translate(language, "events.which_to_leave")
    return StepResult(session, (Reply(text=said, language=language), *again), accepted=False)


def _sign_up_in_flow(text: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult | None:
    """« je m'inscris », « je viens au forum », "count me in" typed inside another command's questions
    (/profil's, a listing's): when it clearly says a sign-up and names an event open to the person
    (or there is only one), the sign-up is made and the question stays, asked again; with several
    events and none named, how to name it is said. None for anything else: the step reads it."""
    events = _sign_up_events(text, context)
    if events is None:
        return None
    again = _still_asked(session, context, language, flows)
    meant = event_meant(text, events)
    invited = [v for v in waiting(context.decisions) if v.kind == "event"]
    if meant is None and len(invited) == 1 and not named_events(join_tail(text) or "", events):
        meant = next((e for e in events if token("event", e.id) == invited[0].token), None)  # the one invitation waiting
    if meant is None:
        said = Reply(text=translate(language, "events.which_in_flow"), language=language)
        return StepResult(session, (said, *again), accepted=False)
    return StepResult(session, again, (SignUp(meant.id, people=people_coming(text), ranged=people_range_said(text)),))


ANSWER_OR_LISTING = "_answer_or_listing"
"""Menu session data: a sentence that could answer the waiting call or start a listing, until the person says which."""


def _answer_or_listing(call: str, text: str, session: Session, context: Context, language: str) -> StepResult | None:
    """Ask, rather than guess, when a sentence typed at the menu while a call waits for a written
    answer also reads as a listing: it asks for something ("on cherche un apprenti boulanger pour
    janvier") or names a category of listing. Sent to the coordinator it would be no listing; made a
    listing, no answer. Offers of help without a category ("je peux offrir les croissants") are the
    usual answers to a call: they go to it."""
    guess = guess_listing(text)
    view = next((v for v in context.decisions if v.token == call), None)
    if context.actor is None or view is None or not guess.is_listing or guess.kind is None:
        return None
    besides = wish_besides(text, aside=True)
    answer = text.rstrip()[: len(text.rstrip()) - len(besides)] if besides is not None else ""
    if besides is not None and guess_listing(answer).kind != "need":  # an answer, then « on cherche aussi … »: both taken
        return None
    if guess.kind != "need" and guess.category is None:
        return None
    kind = translate(language, f"listing.kind_inline.{guess.kind}")
    reply = Reply(translate(language, "menu.answer_or_listing", call=topic(view, language), kind=kind), language=language)
    return StepResult(session.evolve(data={**session.data, ANSWER_OR_LISTING: {"call": call, "text": text}}), (reply,))


def _text_call_waiting(view: Any, context: Context) -> Any | None:
    """A call waiting behind ``view`` that expects a written answer (a free sentence typed at ``view`` may be
    meant for it), or None."""
    return next((v for v in waiting(context.decisions) if v.token != view.token and takes_free_text(v)), None)


def _answers_here(text: str, options: Sequence[Option], behind: Any, language: str) -> bool:
    """Whether a sentence typed at a question answered by its buttons, while the call ``behind`` waits for a
    written answer, answers the question on screen: a yes or interest (« Oui avec plaisir, mettez-nous en
    relation », "We'd be delighted to talk to them"), a no (« non merci, pas pour nous cette fois »), a later,
    a question about them — and says nothing of what the call asks (« Oui on peut tenir un stand » under a call
    "qui veut tenir un stand ?" is asked about). The question on screen is answered first; the call comes after."""
    if shares_subject(text, str(behind.extra.get("message") or "")):
        return False
    try:
        parse_choice(text, options, language)
        return True
    except InputError:
        return starts_declining(text) or defers(text) or not_now(text) or asks_about_them(text)


def settle(result: StepResult, context: Context, flows: Mapping[str, Flow] = ALL_FLOWS, shown_first: str | None = None) -> StepResult:
    """Once a step's effects are stored, show the next waiting question (``context`` loaded after them).

    The current decision stays current while it is open; otherwise the first waiting one
    replaces the menu the step ended on; with nothing waiting, the menu stays. ``shown_first``: the
    token of a decision the effects brought back (a suggestion whose no was taken back), shown now
    while it waits, counted as not answered; the current one waits after it.
    """
    if result.next_question is None or context.actor is None:
        return result
    session = result.session
    language = language_of(session, context)
    token = current_token(session)
    view = next((v for v in context.decisions if v.token == token), None) if token else None
    done = int(session.data.get("done") or 0)  # the current decision stays current while open
    queue = waiting(context.decisions)
    if view is None and queue:  # numbered after the ones answered; what left the queue meanwhile leaves the total
        view, done = queue[0], result.next_question  # "2/4" then "3/3" when one answer settled two, never "4/4"
    restored = next((v for v in queue if v.token == shown_first), None) if shown_first else None
    if restored is not None:  # a no taken back is an answer undone: it takes its place again in « 📌 n/total »
        view, done = restored, max(done - 1, 0)
    on_menu = session.flow == "menu"
    replies = [r for r in result.replies if not (on_menu and r.prompt_id == session.prompt_id)]
    if view is None:
        if on_menu:
            return replace(result, next_question=None)
        menu_session, menu = ask(flows["menu"], "main", session.evolve(data={}, history=()), context, language)
        return replace(result, session=menu_session, replies=(*replies, menu), next_question=None)
    presented, reply = present(view, context.decisions, session.evolve(flow=None, step=None), language, done)
    if on_menu and EXPIRY_OF in session.data:  # a duration typed next still goes to the listings just published
        presented = presented.evolve(data={**presented.data, EXPIRY_OF: session.data[EXPIRY_OF]})
    return replace(result, session=presented, replies=(*replies, reply), next_question=None)


def resume(session: Session, context: Context, flows: Mapping[str, Flow] = ALL_FLOWS, waiting_only: bool = False) -> StepResult:
    """What to show someone coming back (the console reopened): where they were and that question;
    with ``waiting_only`` (once new messages are delivered), the first waiting question if none is current."""
    language = language_of(session, context)
    current = _current(session, context, language, flows)
    if current is not None and session.flow != "menu":
        if waiting_only:
            return StepResult(session, ())
        where = where_line(session, context.decisions, language)
        lines = (Reply(text=where, language=language),) if where else ()
        return StepResult(session, (*lines, current))
    queue = waiting(context.decisions) if context.actor is not None and waiting_only else []
    if queue:
        note = Reply(text=translate_plural(language, "queue.where_waiting_n", len(queue)), language=language)
        presented, reply = present(queue[0], context.decisions, session, language)
        return StepResult(presented, (note, reply))
    return StepResult(session, ())


def _current(session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> Reply | None:
    """The question currently asked (a flow step, or the open decision being answered), or None."""
    token = current_token(session)
    if token is None:
        return current_question(flows, session, context, language)
    view = next((v for v in context.decisions if v.token == token), None)
    return None if view is None else shown(view, context.decisions, session, language)


def _draft_note(session: Session, language: str, deletable: bool = False) -> tuple[Reply, ...]:
    """ "📝 Brouillon gardé : …" when a listing was left half-way; ``deletable`` (``/annonces``, the
    list of what one has): how to delete it too (« Supprimer ce brouillon », at /besoin or /offre)."""
    if not session.draft:
        return ()
    command = resume_command((session.draft.get("data") or {}).get("kind"), language)
    if command is not None:  # the one command that resumes it (/offre starts an offer, whatever waits)
        text = translate(language, "queue.draft_waiting_command", draft=draft_summary(session.draft, language), command=command)
    else:
        text = translate(language, "queue.draft_waiting", draft=draft_summary(session.draft, language))
    kinds = [(session.draft.get("data") or {}).get("kind")]
    for later in session.later_drafts:  # each one kept after it, named, and how it comes: never forgotten
        kind = (later.get("data") or {}).get("kind")
        again = resume_command(kind, language)
        key = "queue.draft_also" if again is None else "queue.draft_also_after" if kind in kinds else "queue.draft_also_command"
        text += "\n" + translate(language, key, draft=draft_summary(later, language), command=again or "")
        kinds.append(kind)
    if deletable:
        text += "\n" + translate_plural(
            language,
            "queue.draft_delete_how_n",
            1 + len(session.later_drafts),
            command=command or translate(language, "queue.either_command"),
            delete=translate(language, "queue.draft_delete"),
        )
    return (Reply(text=text, language=language),)


ANNOUNCED = "_announced"
"""Draft key: the question (its prompt number) shown with the note announcing the draft; answering
that question with the draft's kind resumes it at once."""


def _typed_listing(data: Mapping[str, Any]) -> bool:
    return any(not key.startswith("_") and key != "kind" and value not in (None, "", [], ()) for key, value in data.items())


TYPED = "_typed"
"""Draft question data: what the person had just typed to start a listing (its sentence, guessed category)."""


def _offer_draft(data: dict[str, Any], session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    """/besoin or /offre — or a sentence — while a listing was left half-way: resume it, or start
    again; what was just typed is kept for either answer."""
    asking = session.evolve(flow=DRAFT.id, step=None, data={"kind": data.get("kind"), TYPED: dict(data)}, history=())
    asking, reply = ask(flows[DRAFT.id], "resume", asking, context, language)
    return StepResult(asking, (reply,))


def _draft_answer(value: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    """Resume the draft (a sentence just typed becomes the draft in its place, said), or start again
    with what was just typed ("Start again" after "we need a van…": the van, not an empty need)."""
    draft = session.draft or {}
    kind = session.data.get("kind")
    typed = dict(session.data.get(TYPED) or {})
    flow = flows.get(str(draft.get("flow")))
    if value == "restart" and _written(draft.get("data") or {}, ("description", CUT)):  # never lost by one word: asked first
        return _confirm_restart(flows[DRAFT.id], session, context, language)
    value = {"yes": "restart", "no": "resume"}.get(value, value)  # the confirmation's answer
    if value == "delete":  # « Supprimer ce brouillon »: thrown away, said; a sentence just typed is started instead
        return _draft_deleted(draft, typed, kind, session, context, language, flows)
    if value == "resume" and flow is not None and draft.get("step") in flow.steps:
        sentence = typed.get("description") or typed.get(CUT)
        kept = None
        notes: tuple[Reply, ...] = ()
        if sentence:  # never lost: the new sentence waits as the draft
            step = flows["listing"].first_step(Session(data=typed), context) or "category"
            kept = {"flow": "listing", "step": step, "data": typed, "history": []}
            typed_kind = typed.get("kind") or kind or "need"
            what = translate(language, f"queue.draft_kind.{typed_kind}")
            command = "/" + command_name("besoin" if typed_kind == "need" else "offre", language)  # the one that resumes it
            said = translate(language, "queue.typed_kept", text=excerpt(str(sentence), 80), kind=what, command=command)
            notes = (Reply(text=said, language=language),)
        restored = session.evolve(
            flow=flow.id, step=None, data=dict(draft.get("data") or {}), history=tuple(draft.get("history") or ()), draft=kept
        )
        restored, reply = ask(flow, str(draft["step"]), restored, context, language)
        return StepResult(restored, (*notes, reply))
    fresh = session.evolve(flow=None, step=None, data={}, history=(), draft=None)
    started = _start_flow("listing", typed or {"kind": kind or "need"}, fresh, context, language, flows)
    if not draft.get("data"):
        return started
    dropped = Reply(text=translate(language, "queue.draft_dropped", draft=draft_summary(draft, language)), language=language)
    return replace(started, replies=(dropped, *started.replies))


def _draft_deleted(
    draft: Mapping[str, Any],
    typed: Mapping[str, Any],
    kind: Any,
    session: Session,
    context: Context,
    language: str,
    flows: Mapping[str, Flow],
) -> StepResult:
    """The draft offered back deleted (« Supprimer ce brouillon »): said; what was just typed with it (a need
    described) is started as a listing, else the menu, naming the drafts still kept."""
    dropped = Reply(text=translate(language, "queue.draft_dropped", draft=draft_summary(draft, language)), language=language)
    left = without_draft(session).evolve(flow=None, step=None, data={}, history=())
    if _written(typed, ("description", CUT)):
        started = _start_flow("listing", dict(typed), left, context, language, flows)
        return replace(started, replies=(dropped, *started.replies))
    result = _menu(left, context, language, flows, None)
    return replace(result, replies=(dropped, *_draft_note(left, language), *result.replies))


def _written(data: Mapping[str, Any], fields: Sequence[str]) -> bool:
    """Whether ``data`` holds something the person wrote (a description, a name), not only options tapped."""
    return any(isinstance(data.get(name), str) and data[name].strip() for name in fields)


def _confirm_restart(flow: Flow, session: Session, context: Context, language: str) -> StepResult:
    """ "Recommencer" at a question offering back what was written (a draft listing, a profile under
    way): asked again before it is dropped — « oui » starts again, « non » resumes it, « retour »
    offers both again."""
    asking, reply = ask(flow, RESTART_CONFIRM, session.evolve(history=("resume",)), context, language)
    return StepResult(asking, (reply,))


def _suggestions(session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    views = [
        view for view in context.decisions if view.kind == "suggestion" and not view.extra.get("withdrawn")
    ]  # declined on the other side: gone
    if not views:
        return _menu(session, context, language, flows, "suggestions.none")
    queued = {view.token for view in waiting(context.decisions)} | {views[0].token}  # what the "📌 1/n" count
    offered = sum(1 for view in views if view.token in queued)
    header = Reply(text=header_text(language, "suggestions.header_n", offered, len(queued)), language=language)
    session, question = present(views[0], context.decisions, keep_draft(session), language)
    return StepResult(session, (header, question))


def _stored(answer: Answer) -> bool:
    """Whether ``answer`` stores a value (not a navigation, not the question asked again)."""
    return answer.navigation is None and answer.reask is None and answer.value is not None


def _taken_back(flow: Flow, session: Session, instead: str, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    """A change of mind at a text question: nothing stored; what is asked instead (« changer la zone ») answers
    the question before it when that is a choice (the listing's or the profile's actions), else that question
    is asked again; nothing asked instead (« ah non oublie ça »): cancelled, as « laisse tomber »."""
    if not instead:
        return _command("annuler", "", session, context, language, flows)
    back = _apply_answer(flow, session, Answer(navigation=BACK), context, language, flows)
    previous = flows[flow.id].steps.get(back.session.step or "") if back.session.flow == flow.id else None
    if previous is None or previous.kind != "choice":
        return back
    return _advance_on(back.session, UserInput(text=instead), context, flows, language)


def _field_with_value(
    flow: Flow, session: Session, text: str, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """/profil's « Que voulez-vous modifier ? » answered with a field and its new value (« le nom c'est X »,
    « changez la commune pour Bron »): the field chosen, then the value read as typed at its question (checked,
    searched, refused there as it would be); the field's question is not asked first."""
    found = profile_field_and_value(text)
    if found is None:
        return None
    field, value = found
    chosen = _apply_answer(flow, session, Answer(value=field), context, language, flows)
    if chosen.session.flow != flow.id or chosen.session.step != field:
        return None
    return _advance_on(chosen.session, UserInput(text=value), context, flows, language)


def _apply_answer(flow: Flow, session: Session, answer: Answer, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    step = flow.steps[session.step]  # type: ignore[index]
    if answer.reask is not None:
        reasked, reply = ask(flow, step.id, answer.reask, context, language)
        edited = (Reply(text=answer.note, language=language),) if answer.note else ()
        return StepResult(reasked, (*edited, reply))
    if answer.navigation == BACK and step.kind == "territory" and session.data.get(SEARCHED) and session.data.get("_candidates"):
        # « Vaulx-en-Velin (69) ? » found from what was typed at this question: back one step, to the question itself
        data = {k: v for k, v in session.data.items() if k not in ("_candidates", SEARCHED, PREVIOUS)}
        back, reply = ask(flow, step.id, session.evolve(data=data), context, language)
        return StepResult(back, (reply,))
    if answer.navigation == BACK:
        previous, history = _back_from(flow, session)
        back = session.evolve(history=history, data={k: v for k, v in session.data.items() if k not in (CUT, PREVIOUS)})
        back, reply = ask(flow, previous, back_to(flow.steps[previous], back), context, language)
        return StepResult(back, (reply,))
    data = dict(session.data)
    data.pop("_candidates", None)
    data.pop(SEARCHED, None)
    data.pop(PREVIOUS, None)
    if step.kind == "text":
        data.pop(CUT, None)
    if answer.navigation == SKIP:
        data[step.field] = None
    else:
        data[step.field] = step.convert(answer.value) if step.convert else answer.value
        if step.settle is not None:
            data[step.field] = step.settle(data[step.field], session, context)
        data.update(answer.also or {})
    if flow.id == "menu":
        return _command(str(answer.value), "", session.evolve(flow=None, step=None, data={}), context, language, flows)
    if flow.id == DRAFT.id:
        return _draft_answer(str(answer.value), session, context, language, flows)
    if flow.id == KEPT_PROFILE.id:
        return _kept_profile_answer(str(answer.value), session, context, language, flows)
    following = next_step_id(step, data)
    session = session.evolve(data=data, history=(*session.history, step.id))
    session, following, notes = _answer_alone(flow, following, session, context, language)
    if following is None:
        result = _finish(flow, session, context, language, flows)
        return replace(result, replies=(*notes, *result.replies))
    arrival = flow.steps[following].arrival
    arriving = arrival(session, context, language) if arrival is not None else None
    if arriving:  # said once, on arriving at the step (never with the question asked again)
        notes = (*notes, Reply(text=arriving, language=language))
    session, reply = ask(
        flow, following, back_to(flow.steps[following], session), context, language
    )  # answered before a "retour": offered back
    return StepResult(session, (*notes, reply))


def _back_from(flow: Flow, session: Session) -> tuple[str, tuple[str, ...]]:
    """Where "retour" goes, and the history left before it: the question last answered, or, when
    answers read from a sentence skipped questions after it (the name and the commune of « on est
    l'association … à … » typed at the type), the last of those — what the person saw said back and
    may change — with the ones before it kept in the history. A question answered alone
    (:func:`_answer_alone`: one possible answer) is never gone back to."""
    history = session.history
    given = session.data.get(GIVEN) or ()
    asked_all = {k: v for k, v in session.data.items() if k != GIVEN}  # the way through every question, given or not
    skipped: list[str] = []
    following = next_step_id(flow.steps[history[-1]], asked_all) if history[-1] in flow.steps else None
    while following is not None and following != session.step and following in flow.steps and len(skipped) < len(flow.steps):
        skipped.append(following)
        following = next_step_id(flow.steps[following], asked_all)
    changeable = [step_id for step_id in skipped if step_id in given and flow.steps[step_id].field in session.data]
    if following != session.step or not changeable:
        return history[-1], history[:-1]
    return changeable[-1], (*history, *changeable[:-1])


def _answer_alone(
    flow: Flow, following: str | None, session: Session, context: Context, language: str
) -> tuple[Session, str | None, tuple[Reply, ...]]:
    """Steps with a single possible answer (:attr:`Step.auto`) take it without being asked; each
    is named in a note ("C'est noté : Cabinet Martin…") before the next question. Such a step is
    not kept in the history: "retour" goes back to the question the person answered."""
    notes: list[Reply] = []
    while following is not None and flow.steps[following].auto is not None:
        step = flow.steps[following]
        asked = session.evolve(step=following)
        option = step.auto(asked, context)  # type: ignore[misc]
        if option is None or (step.check is not None and step.check(option.value, asked, context)):
            break
        session = session.evolve(data={**session.data, step.field: option.value})
        if option.label or option.key:  # an answer that names something (not a question skipped)
            chosen = translate(language, "picker.chosen", choice=option.render(language))
            notes.append(Reply(text=chosen, language=language, meta={"chosen": True}))  # said before what the step's effects say
        following = next_step_id(step, session.data)
    return session, following, tuple(notes)


def _finish(flow: Flow, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    data = session.data
    if flow.id == "onboarding" and session.language:  # the profile keeps the language the person wrote in
        data = {**data, LANGUAGE_KEY: session.language}
    more: list[dict[str, Any]] = []
    publishing = flow.id == "listing" or (flow.id == MORE_FLOW and data.get("more") == "yes")  # every part of a cut sentence too
    if (
        publishing
        and DUPLICATE in flow.steps
        and DUPLICATE not in data
        and duplicate_of(about_to_publish(flow.id, data), context.listings) is not None
    ):
        # the same need or offer already open: keep it, or publish this one anyway? (asked before anything is published)
        asked, question = ask(flow, DUPLICATE, session.evolve(history=(*session.history, str(session.step))), context, language)
        return StepResult(asked, (question,))
    if flow.id == "listing":
        data, more = _other_listings(data, chosen="category_of" in session.history)
    elif flow.id == MORE_FLOW:
        more = list(data.get(MORE) or ())
    finish = flow.finish(data, context)
    back = data.get(ONBOARDING_BACK)
    if flow.id == "delete" and isinstance(back, dict) and not finish.reset:  # "non" at /supprimer: the profile goes on
        kept = _conclude(finish, session, context, language, flows)
        onboarding = flows["onboarding"]
        if back.get("step") in onboarding.steps:
            restored = kept.session.evolve(
                flow=onboarding.id, step=None, data=dict(back.get("data") or {}), history=tuple(back.get("history") or ())
            )
            restored, reply = ask(onboarding, str(back["step"]), restored, context, language)
            return StepResult(restored, (*kept.replies, reply), kept.effects)
        return kept
    listings = flow.id in ("listing", MORE_FLOW)
    together = int(data.get(PUBLISHED_TOGETHER) or 0) + (len(finish.effects) if listings else 0)
    if not more:
        published = listings and bool(finish.effects)
        if published:  # until when it stays visible was said: another duration may be typed next
            hint = Reply(text=translate(language, "listing.expiry_hint"), language=language)
            finish = replace(finish, extra=(*finish.extra, hint))  # after the date its text named, if any
        result = _conclude(finish, session, context, language, flows)
        if listings and together and result.session.flow == "menu":  # all those of one sentence: a duration is for each
            result = replace(result, session=result.session.evolve(data={**result.session.data, EXPIRY_OF: together}))
        return result
    # the sentence named other needs or offers: once this one is published, each is asked about in turn
    concluded = _conclude(replace(finish, then_menu=False), session, context, language, flows)
    shared = {key: data.get(key) for key in ("zone", "expiry", "themes", UNTIL_EVERY)}  # « … pour les deux »: the next ones too
    shared[PUBLISHED_TOGETHER] = together
    if flow.id == "listing":
        shared["zone"] = data.get("zone") or data.get("confirm")
        ends = [effect.fields["expires_at"] for effect in finish.effects if isinstance(effect, CreateListing)]
        if (
            ends
            and not shared[UNTIL_EVERY]
            and not data.get("expiry")
            and end_named_in(str(data.get("description") or ""), context.now.date())
        ):
            shared[UNTIL_EVERY] = ends[0]  # « … le samedi 13 février, et des tables »: « même durée » is that day for each
    asking = concluded.session.evolve(data={"listing": more[0], MORE: more[1:], **shared}, history=())
    asking, reply = ask(flows[MORE_FLOW], "more", asking, context, language)
    return StepResult(asking, (*concluded.replies, reply), concluded.effects)


def _more_with_duration(
    flow: Flow, session: Session, text: str, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """A duration said at « Je l'enregistre aussi (même zone, même durée) ? » (« oui ! et c jusqu'à fin juin en
    fait », "yes, until the end of June", « ah non jusqu'à fin juin pour les deux, et on cherche aussi un
    camion »): the listing asked about is published until then — the ones published before it of the same
    sentence too when the words say both (« pour les deux », "both of them"), the next ones asked about as well —,
    what was set is said, and a need or an offer said after it is kept as a draft, said. A day past or too far, or
    a day of the week that is not the date's, is refused and the question stays; None for other text."""
    try:
        read, rest, every = expiry_rest_and_every(text, context.now.date())
    except WrongWeekday as wrong:  # « oui, jusqu'au samedi 12 avril », a Monday: the real day said, nothing published
        return _rejected(session, context, language, flows, "when.wrong_weekday", **wrong.params(language))
    if read is None:
        return _more_with_wish(flow, session, text, context, language, flows)
    if read.error is not None or read.day is None:
        return _rejected(session, context, language, flows, read.error or "when.past")
    until = read.day.isoformat()
    data: dict[str, Any] = {**session.data, "more": "yes", UNTIL: until}
    if every:
        data[UNTIL_EVERY] = until
    earlier = int(session.data.get(PUBLISHED_TOGETHER) or 0) if every else 0
    before = _open_listings(context)[:earlier]
    result = _finish(flow, session.evolve(data=data, history=(*session.history, "more")), context, language, flows)
    effects = tuple(UpdateListing(item.id, {"expires_at": until}) for item in before)
    count = len(before) + sum(isinstance(effect, CreateListing) for effect in result.effects)
    told: list[Reply] = []
    if count > 1:  # « vos 2 annonces restent visibles jusqu'au 30 juin 2027 »
        told.append(
            Reply(
                text=translate_plural(language, "listing.expiry_changed_n", count, expires=format_day_in(until, language)),
                language=language,
            )
        )
    elif before:  # the ones before changed, this one not published yet (the same as one already open: asked first)
        told.append(
            Reply(
                text=translate_plural(language, "listing.expiry_changed_n", len(before), expires=format_day_in(until, language)),
                language=language,
            )
        )
    after = result.session
    wish = listing_wish(rest) if rest else None
    if wish is not None:  # « …, et on cherche aussi un camion »: kept as a draft, said
        after, note = _also_kept(wish, after, language, flows)
        told.append(Reply(text=note, language=language))
    replies = (*result.replies[:1], *told, *result.replies[1:])
    return StepResult(after, replies, (*effects, *result.effects))


def _more_with_wish(
    flow: Flow, session: Session, text: str, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """A yes or a no at « Je l'enregistre aussi ? » that goes on with another need or offer (« oui, et on cherche
    aussi un camion », « non merci, par contre on cherche un camion », "yes, and we also need a van"): the answer
    taken, the need kept as a draft and said — never dropped silently. None for other text."""
    wish, value = wish_after_yes(text), "yes"
    if wish is None:
        wish, value = wish_after_refusal(text), "no"
    if wish is None:
        return None
    answered = _advance_on(session, UserInput(choice=value, prompt_id=session.prompt_id), context, flows, language)
    if not answered.accepted:
        return None
    kept, note = _also_kept(wish, answered.session, language, flows)
    replies = (*answered.replies[:1], Reply(text=note, language=language), *answered.replies[1:])
    return replace(answered, session=kept, replies=replies)


PUBLISHED_TOGETHER = "_published_together"
"""Listing data of the other needs and offers of one sentence: how many of them were published so far."""
EXPIRY_OF = "_expiry_of"
"""Menu session data, for the next message only: how many listings were just published, whose
duration a sentence such as "jusqu'à fin mars" or "for 3 months" then changes."""


def _expiry_changed(
    text: str, count: int, session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """Another duration typed just after publishing ("jusqu'à fin mars", "pour 6 mois", "sans date"):
    the listings just published stay visible until then, said with the date in the person's
    language. A date past or too far is refused (and may be typed again); None for other text."""
    published = _open_listings(context)[:count]
    try:
        redated = _event_redated(text, published, context)
    except WrongWeekday as wrong:  # « c'est le dimanche 19 juin », a Saturday: the real day said, typed again
        kept = session.evolve(data={**session.data, EXPIRY_OF: count})
        return _rejected(kept, context, language, flows, "when.wrong_weekday", **wrong.params(language))
    if redated:  # « ah non c'est le 19 juin finalement »: the event moved, its listing's end and description follow
        told = Reply(text="\n".join(dict.fromkeys(redated_note(new, language) for _, new in redated)), language=language)
        effects = tuple(
            UpdateListing(item.id, {"expires_at": new.end.isoformat(), "description": new.description}) for item, new in redated
        )
        current = _current(session, context, language, flows) if session.flow == DECISION_FLOW else None
        if current is not None:
            return StepResult(session.evolve(data={**session.data, EXPIRY_OF: count}), (told, current), effects)
        menu_session, menu = ask(flows["menu"], "main", session.evolve(data={}, history=()), context, language)
        return StepResult(menu_session.evolve(data={**menu_session.data, EXPIRY_OF: count}), (told, menu), effects)
    try:
        read, rest = expiry_and_rest(text, context.now.date())
        named = expiry_and_named(text, context.now.date()) if read is None and len(published) > 1 else None
    except WrongWeekday as wrong:  # « jusqu'au samedi 12 avril », a Monday: the real day said, typed again
        kept = session.evolve(data={**session.data, EXPIRY_OF: count})
        return _rejected(kept, context, language, flows, "when.wrong_weekday", **wrong.params(language))
    if named is not None:  # « la salle pour 6 mois »: that one only, when the words name it alone
        one = [item for item in published if _names_listing(named[1], item)]
        read, published = (named[0], one) if len(one) == 1 else (None, published)
    if read is None:  # « ah et la fête c'est le samedi 12 juin »: the day of an undated listing's event, added
        return _event_dated(text, published, count, session, context, language, flows)
    if read.error is not None or read.day is None:
        kept = session.evolve(data={**session.data, EXPIRY_OF: count})
        return _rejected(kept, context, language, flows, read.error or "when.past")
    if not published:
        return None
    until = read.day.isoformat()
    effects = tuple(UpdateListing(item.id, {"expires_at": until}) for item in published)
    key = "listing.expiry_open_ended_n" if read.open_ended else "listing.expiry_changed_n"
    told = Reply(text=translate_plural(language, key, len(published), expires=format_day_in(until, language)), language=language)
    wish = listing_wish(rest) if rest else None
    if wish is not None:  # « pour 6 mois, on cherche aussi un local »: the rest kept as a draft, said
        session, note = _also_kept(wish, session, language, flows)
        told = replace(told, text=f"{told.text}\n{note}")
    current = _current(session, context, language, flows) if session.flow == DECISION_FLOW else None
    if current is not None:  # the question shown after the publication stays open, shown again
        return StepResult(session.evolve(data={**session.data, EXPIRY_OF: count}), (told, current), effects)
    menu_session, menu = ask(flows["menu"], "main", session.evolve(data={}, history=()), context, language)
    # still the listings just published: « ah non, plutôt jusqu'à fin juin » changes them again
    return StepResult(menu_session.evolve(data={**menu_session.data, EXPIRY_OF: count}), (told, menu), effects)


def _event_dated(
    text: str, published: Sequence[ListingView], count: int, session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """The day of the event said just after publishing listings whose description named none (« ah et la fête c'est le
    samedi 12 juin », "oh and the party is on Saturday June 12"): as if the description had said it — each ends the
    day after, the day is added to its description, both said (:func:`~conversations.expiry.event_dated`). A day of
    the week not the date's is said, typed again. None for another text, or a new need or offer (« on cherche aussi des
    tables pour le 12 juin »)."""
    if listing_wish(text) is not None or guess_listing(text).is_listing:
        return None
    found: list[tuple[ListingView, Dated]] = []
    for item in published:
        try:
            dated = event_dated(text, item.description, context.now.date())
        except WrongWeekday as wrong:  # « ah et la fête c'est le dimanche 12 juin », a Saturday: the real day said
            kept = session.evolve(data={**session.data, EXPIRY_OF: count})
            return _rejected(kept, context, language, flows, "when.wrong_weekday", **wrong.params(language))
        if dated is not None:
            found.append((item, dated))
    if not found:
        return None
    said = (
        translate(language, "listing.event_dated", day=dated.written, expires=format_day_in(dated.end.isoformat(), language))
        for _, dated in found
    )
    told = Reply(text="\n".join(dict.fromkeys(said)), language=language)
    effects = tuple(
        UpdateListing(item.id, {"expires_at": dated.end.isoformat(), "description": dated.description}) for item, dated in found
    )
    current = _current(session, context, language, flows) if session.flow == DECISION_FLOW else None
    if current is not None:
        return StepResult(session.evolve(data={**session.data, EXPIRY_OF: count}), (told, current), effects)
    menu_session, menu = ask(flows["menu"], "main", session.evolve(data={}, history=()), context, language)
    return StepResult(menu_session.evolve(data={**menu_session.data, EXPIRY_OF: count}), (told, menu), effects)


def _event_redated(text: str, published: Sequence[ListingView], context: Context) -> list[tuple[ListingView, Redated]]:
    """The listings just published whose end came from the date in their description, with that date said again
    in ``text`` (:func:`~conversations.expiry.event_redated`). Raises :class:`WrongWeekday`."""
    found: list[tuple[ListingView, Redated]] = []
    for item in published:
        try:
            expires = date.fromisoformat(item.expires_at[:10])
        except ValueError:
            continue
        redated = event_redated(text, item.description, expires, context.now.date())
        if redated is not None:
            found.append((item, redated))
    return found


_MOVED_WORDS = frozenset(
    fold(word)
    for word in (
        *("ah", "oh", "au", "fait", "en", "finalement", "pardon", "désolé", "désolée", "c'est", "cest", "est", "sera", "aura"),
        *("lieu", "plutôt", "bien", "donc", "alors", "maintenant", "désormais", "date", "jour", "le", "la", "les", "l", "du"),
        *("notre", "nos", "votre", "mon", "ma", "pour", "changé", "change", "changement", "reporté", "déplacé", "nouvelle"),
        *("actually", "sorry", "oops", "now", "it", "it's", "its", "is", "will", "be", "the", "our", "my", "date", "day"),
        *("moved", "changed", "new", "then", "instead", "by", "way", "btw", "so", "has", "been", "was", "pushed", "back"),
        *("rescheduled", "postponed", "brought", "forward", "for", "reporté", "reportée", "repoussé", "repoussée", "décalé"),
        *("décalée", "déplacé", "déplacée", "avancé", "avancée", "été", "a"),
    )
)
"""Words around a moved event's new day that name no listing (« ah au fait … c'est finalement … maintenant »)."""


_MOVED_MARKER = re.compile(
    r"\b(?:finalement|en fait|au fait|pardon|desolee?|change|changee|reporte|reportee|deplace|deplacee|repousse|repoussee|"
    r"decale|decalee|avance|avancee|rescheduled|postponed|pushed back|brought forward|plutot|maintenant|"
    r"desormais|c est|c'est|ce sera|actually|sorry|moved|changed|now|instead|it s|it's|it is|it will be)\b"
)
"""What says a day is said again, changed (« finalement », « en fait c'est », "actually it's")."""


_MOVED_TO = re.compile(
    r"\b(report[ée]e?s?|repouss[ée]e?s?|d[ée]plac[ée]e?s?|d[ée]cal[ée]e?s?|avanc[ée]e?s?|moved|postponed|pushed back|rescheduled|"
    r"brought forward)\s+(au|à|a|to|until|for)\b",
    re.IGNORECASE,
)
"""« reporté au samedi 19 juin », "moved to June 19": the day it is now (« reporté le … »)."""


_MOVED_MOST_WORDS = 25
"""Beyond this, a message is more than a day said again."""


def _open_listings(context: Context) -> list[ListingView]:
    return [item for item in context.listings if item.status == "open"]


def _event_moved(
    text: str, listings: Sequence[ListingView], session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """The day of a listing's event said again any time after publishing (« ah au fait le chantier c'est finalement le
    samedi 19 décembre », at the menu or at the listing's actions in /annonces): its end and description follow, as
    just after publishing (:func:`_expiry_changed`). The words before the day must name that listing (a word of its
    description) or only lead in, when it is the one listing dated so; None otherwise — the text is read as before."""
    if _MOVED_MARKER.search(fold(text)) is None:  # « on cherche des bras pour le samedi 19 décembre »: a new wish
        return None
    text = _MOVED_TO.sub(lambda m: f"{m.group(1)} {'the' if m.group(2).lower() in ('to', 'until') else 'le'}", text)
    words = text.strip(" .!?…").split()
    while words and fold(words[-1]).strip(" .!?,") in ("maintenant", "desormais", "now", "alors", "then", "finalement"):
        words = words[:-1]
    if len(words) > _MOVED_MOST_WORDS:
        return None
    described = [fold(item.description) for item in listings]  # once, not at every window
    windows = [(start, size) for size in range(min(len(words), 8), 1, -1) for start in range(len(words) - size, -1, -1)]
    for start, size in windows:  # the day where it is said; the other words name the listing (before or after it)
        tail = " ".join(words[start : start + size])
        named = [fold(word).strip(" ,;:'’") for word in words[:start] + words[start + size :]]
        content = [word for word in named if len(word) >= 4 and word not in _MOVED_WORDS]
        found: list[tuple[ListingView, Redated]] = []
        wrong: WrongWeekday | None = None
        for item, folded in zip(listings, described, strict=True):
            named_here = all(word in folded for word in content) and (bool(content) or len(listings) == 1)
            try:
                redated = _event_redated(tail, [item], context)
            except WrongWeekday as refused:  # « c'est le dimanche 19 décembre », a Saturday: the real day said
                wrong = refused if named_here else wrong
                continue
            if redated and all(word in folded for word in content):
                found += redated
        if wrong is not None and not found:
            return _rejected(session, context, language, flows, "when.wrong_weekday", **wrong.params(language))
        if len(found) > 1 and not content:  # two listings dated so, none named: not guessed
            return None
        if found:
            told = Reply(text="\n".join(dict.fromkeys(redated_note(new, language) for _, new in found)), language=language)
            effects = tuple(
                UpdateListing(item.id, {"expires_at": new.end.isoformat(), "description": new.description}) for item, new in found
            )
            menu_session, menu = ask(flows["menu"], "main", session.evolve(data={}, history=()), context, language)
            return StepResult(menu_session, (told, menu), effects)
    return None


def redated_note(redated: Redated, language: str) -> str:
    """What is said when an event's date was said again: the description's date replaced, and the new end."""
    expires = format_day_in(redated.end.isoformat(), language)
    return translate(language, "listing.event_redated", old=redated.said, new=redated.written, expires=expires)


def _names_listing(words: Sequence[str], item: ListingView) -> bool:
    """Whether every word of ``words`` (« salle », "room") is one of the listing's: its description,
    its category or skill said in either language (a plural's final s aside)."""
    said = [item.description]
    for lang in LANGUAGES:
        said.append(translate(lang, f"category.{item.category}"))
        if item.subcategory:
            said.append(translate(lang, f"skill.{item.subcategory}"))
    own = {
        word.rstrip("s") for word in re.findall(r"[\w']+", fold(" ".join(said)).replace("’", "'")) for word in (word, word.split("'")[-1])
    }
    return bool(words) and all(word.rstrip("s") in own for word in words)


def _chosen_categories_cut(data: dict[str, Any], more: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The listing and those of the categories chosen beside its own (:data:`CATEGORY_CHOSEN`), each with the part of the
    description that names its category (« des gens pour bêcher …, et des outils … »: the people for Bénévoles, the
    tools for Matériel); the whole description where none does (written before or after the choice)."""
    description = str(data.get("description") or "")
    chosen = [part for part in more if part.get(CATEGORY_CHOSEN)]
    if not chosen or not description:
        return data, more
    wanted = [str(part.get("category")) for part in chosen]
    parts: dict[str, str] = {part.category: part.text for part in several_listings(description) if part.category}
    if not all(parts.get(category) for category in wanted):
        parts = clauses_by_category(description, str(data.get("category") or ""), wanted)
    cut = [{**part, "description": parts.get(str(part.get("category"))) or part.get("description") or description} for part in more]
    own = parts.get(str(data.get("category")))
    if own and all(parts.get(category) for category in wanted):  # each its own part: this one too
        data = {**data, "description": own}
    return data, cut


def _other_listings(data: Mapping[str, Any], chosen: bool = False) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The listing about to be published, and the other needs or offers its sentence named: the parts
    set aside when it was typed (:data:`MORE`), or else those of its description ("des bras pour
    samedi et un local pour stocker" typed at the description of a need of Bénévoles: the local).
    A sentence naming several categories that cannot be cut ("une salle pour nos bénévoles") offers
    the others with the same sentence — unless the person chose its category at the question quoting
    it (``chosen``): the same sentence offered again reads as a duplicate. Never published unasked,
    never kept silently."""
    if MORE in data:
        return _chosen_categories_cut({k: v for k, v in data.items() if k != MORE}, list(data[MORE] or ()))
    description = str(data.get("description") or "")
    guess = guess_listing(description)
    parts = several_listings(description)
    if not parts and len(guess.categories) < 2:
        return dict(data), []
    kind, category = listing_kind(data), data.get("category")
    mine = [part for part in parts if part.category == category and (part.kind or kind) == kind]
    if parts and len(mine) == 1:
        others = [_part_listing(part, kind, other=True) for part in parts if part is not mine[0]]
        return {**data, "description": mine[0].text}, others
    if chosen:  # not cut: the category the person picked for this very sentence is its one
        return dict(data), []
    return dict(data), [{"kind": kind, "category": other, "description": description} for other in guess.categories if other != category]


def _part_listing(part: Part, kind: str | None, other: bool = False) -> dict[str, Any]:
    """The listing data of one part of a sentence (its kind, or the sentence's). A part naming no category
    is asked its category when it is the one started now, and is « Autre » among the ``other`` ones, asked
    about once the first is published (« Nous pouvons offrir le repas »: said, never lost)."""
    listing: dict[str, Any] = {"kind": part.kind or kind or "need", "description": part.text}
    if part.category is not None or other:
        listing["category"] = part.category or "autre"
    if part.skills:
        listing["skill"] = list(part.skills)
    return listing


def _conclude(finish: Finish, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    language = finish.language or language
    replies: list[Reply] = []
    if finish.message:
        params = dict(finish.params)
        if "frequency_key" in params:
            params["frequency"] = translate(language, f"frequency.{params.pop('frequency_key')}")
        if finish.count is not None:
            text = translate_plural(language, finish.message, finish.count, **params)
        else:
            text = translate(language, finish.message, **params)
        replies.append(Reply(text=text, language=language))
    replies.extend(finish.extra)
    chosen = session.language_chosen or (finish.language is not None and context.actor is None)  # /reglages without a profile
    interrupted = session.data.get(INTERRUPTED)
    session = session.evolve(flow=None, step=None, data={}, history=(), language=language, language_chosen=chosen)
    back = _back_to_interrupted(interrupted, session, tuple(replies), finish.effects, context, language, flows)
    if back is not None and not finish.reset:  # the settings changed in the middle of a need or an offer: its question again
        return back
    if finish.reset:
        session = Session(language=language, prompt_seq=session.prompt_seq + 1)
    elif finish.then_menu and (context.actor is not None or any(isinstance(e, CreateActor) for e in finish.effects)):
        # the profile is made, or a listing published: a need kept on the way (the next one kept) is said here
        announced = context.actor is None or any(isinstance(e, CreateListing) for e in finish.effects)
        if announced:
            replies.extend(_draft_note(session, language))
        session, menu = ask(flows["menu"], "main", session, context, language)
        if context.actor is None and session.draft:  # announced with this menu: its need or offer entry resumes it
            session = session.evolve(draft={**session.draft, ANNOUNCED: session.prompt_seq})
        replies.append(menu)
        return StepResult(session, tuple(replies), finish.effects, next_question=0)  # or what waited meanwhile
    return StepResult(session, tuple(replies), finish.effects)


def _back_to_interrupted(
    interrupted: Any,
    session: Session,
    replies: tuple[Reply, ...],
    effects: tuple[Any, ...],
    context: Context,
    language: str,
    flows: Mapping[str, Flow],
) -> StepResult | None:
    """Back to the need or offer whose question was on screen when /reglages was typed (``interrupted``: its
    step, kept as the first draft meanwhile), said with « ↩ Reprenons où vous en étiez : … » after ``replies``;
    None when it is not that draft (nothing was typed in it)."""
    draft = session.draft or {}
    if not interrupted or draft.get("flow") not in flows or draft.get("step") != interrupted:
        return None
    flow = flows[str(draft["flow"])]
    restored = without_draft(session).evolve(
        flow=flow.id, step=None, data=dict(draft.get("data") or {}), history=tuple(draft.get("history") or ())
    )
    restored, question = ask(flow, str(interrupted), restored, context, language)
    where = where_line(restored, context.decisions, language)
    lines = (Reply(text=where, language=language),) if where else ()
    return StepResult(restored, (*replies, *lines, question), effects)


def _rejected(session: Session, context: Context, language: str, flows: Mapping[str, Flow], key: str, **params: Any) -> StepResult:
    text = translate_counted(language, key, **params)
    current = _current(session, context, language, flows)
    if current is not None and session.flow != "menu":
        text += "\n" + translate(language, "help.how_to_leave" if context.actor else "help.how_to_leave_onboarding")
    replies = [Reply(text=text, language=language)]
    if current is not None:
        replies.append(current)
    return StepResult(session, tuple(replies), accepted=False)


def _not_registered(context: Context, language: str, session: Session | None = None) -> str:
    """What someone without an actor profile hears: how to create one (how to resume the one stopped half-way), or a
    coordinator's commands."""
    if context.areas:  # a coordinator may work without a profile of their own
        return _coordinator_commands("idle.coordinator_no_profile", language)
    kept = session is not None and isinstance(session.data.get(ONBOARDING_KEPT), dict)
    return translate(language, "idle.profile_kept" if kept else "idle.not_registered")


def _coordinator_commands(lead: str, language: str) -> str:
    """Every coordinator's command, as /aide lists them, after the line ``lead`` (what just happened, for a coordinator
    without a profile of their own)."""
    keys = (lead, "help.coordinators", "help.alliances_coordinators", "help.coordinators_also")
    return "\n".join(translate(language, key) for key in keys)


def _idle(session: Session, user_input: UserInput, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    if context.actor is None:
        wished = _broadcast_wish(user_input.text, session, context, language, flows) if user_input.text is not None else None
        if wished is None and user_input.text is not None and len(user_input.text) <= MAX_INPUT_CHARS:
            wished = _call_answers_asked(asks_about_own_listing(user_input.text), session, context, language, flows)
        if wished is not None:
            return wished
        text = _not_registered(context, language, session)
        kept, notes = session.evolve(flow=None, step=None), cast(tuple[Reply, ...], ())
        told = bool(session.data.get(START_TOLD))
        if user_input.text is not None and not context.areas:
            kept, notes = _keep_before_start(user_input.text, kept, context, language)
            if asks_about_the_bot(user_input.text):  # "c'est pour quoi ce bot ?": what it does, then how to start
                notes = (*notes, Reply(text=translate(language, "idle.what_the_bot_does"), language=language))
            if told:  # a second line before /start: never the same greeting again, word for word
                kept_now = kept.data.get(BEFORE_START) != session.data.get(BEFORE_START)  # its note says /start already
                text = "" if kept_now else translate(language, "idle.not_registered_again")
            kept = kept.evolve(data={**kept.data, START_TOLD: True})
        said = (*notes, *((Reply(text=text, language=language),) if text else ()))
        return StepResult(kept, said, accepted=False)
    if user_input.text is not None:
        taken_back = _taking_back(user_input.text, session, context, language, flows)
        if taken_back is not None:
            return taken_back
        wished = _event_wish(user_input.text, session, context, language, flows)
        if wished is not None:
            return wished
        answered = _question_for_the_bot(user_input.text, session, context, language, flows)
        if answered is not None:
            return answered
        started = _listing_from_sentence(user_input.text, session, context, language, flows)
        if started is not None:
            return started
    key = "error.stale" if user_input.text is None else "idle.not_understood"
    menu_session, menu = ask(flows["menu"], "main", session.evolve(data={}, history=()), context, language)
    return StepResult(menu_session, (Reply(text=translate(language, key), language=language), menu), accepted=False)


ONBOARDING_BACK = "_onboarding_back"
"""Session data of /supprimer typed during onboarding: the profile under way, asked again after "non"."""
ONBOARDING_KEPT = "_onboarding_kept"
"""Session data: the answers of a profile under way when /annuler stopped it, until /start resumes them."""


def _answered(data: Mapping[str, Any]) -> bool:
    return any(not key.startswith("_") and value not in (None, "", [], ()) for key, value in data.items())


def _resume_onboarding(session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult | None:
    """/start after /annuler stopped a profile under way: resume it, or start again?"""
    kept = session.data.get(ONBOARDING_KEPT)
    if not isinstance(kept, dict) or kept.get("step") not in flows["onboarding"].steps:
        return None
    asking = session.evolve(flow=KEPT_PROFILE.id, step=None, data={ONBOARDING_KEPT: kept}, history=())
    asking, reply = ask(flows[KEPT_PROFILE.id], "resume", asking, context, language)
    return StepResult(asking, (reply,))


def _kept_profile_answer(value: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    """Resume: the answers are back and the question it stopped at is asked again ("retour" goes
    over the earlier ones, each offered back). Restart: a fresh profile, the kept answers dropped."""
    kept = session.data.get(ONBOARDING_KEPT)
    flow = flows["onboarding"]
    if value == "restart" and isinstance(kept, dict) and _written(kept.get("data") or {}, ("name", "description")):  # asked first
        return _confirm_restart(flows[KEPT_PROFILE.id], session, context, language)
    value = {"yes": "restart", "no": "resume"}.get(value, value)  # the confirmation's answer
    if value == "resume" and isinstance(kept, dict) and kept.get("step") in flow.steps:
        restored = session.evolve(flow=flow.id, step=None, data=dict(kept.get("data") or {}), history=tuple(kept.get("history") or ()))
        restored, reply = ask(flow, str(kept["step"]), restored, context, language)
        note = Reply(text=translate(language, "start.onboarding_resumed"), language=language)
        return StepResult(restored, (note, reply))
    fresh = session.evolve(flow=None, step=None, data={}, history=())
    welcome = Reply(text=translate(language, "onboarding.welcome"), language=language)
    result = _start_flow("onboarding", {}, fresh, context, language, flows)
    return replace(result, replies=(welcome, *result.replies))


BEFORE_START = "_before_start"
"""Session data: the introduction someone typed before /start, used once the profile is begun."""
START_TOLD = "_start_told"
"""Session data: someone without a profile was already told to type /start (a later line is not greeted again)."""
INVITE_CODE = re.compile(r"(?<![\w-])[a-hj-km-np-z2-9]{8}(?![\w-])")
"""What an invitation code looks like (8 characters of ``storage.coordination.INVITE_ALPHABET``)."""
INVITE_LOOKUPS = 3
INTRODUCTION_MIN_WORDS = 4


def _keep_before_start(text: str, session: Session, context: Context, language: str) -> tuple[Session, tuple[Reply, ...]]:
    """What is typed before /start is not lost: an invitation code inside it ("Hi! … gave me this
    code: s2zrrhh3") is taken, and a sentence that introduces the structure ("Bonjour, je suis
    chargée RSE chez Dupont & Fils…") is kept for the profile /start begins; both are said."""
    notes: list[Reply] = []
    if session.invite is None and len(text) <= MAX_INPUT_CHARS:
        tokens = sorted(INVITE_CODE.findall(text.lower()), key=lambda token: not any(c.isdigit() for c in token))
        for token in tokens[:INVITE_LOOKUPS]:
            invited = _invitation(token, context)
            if invited is not None:
                by, area = invited
                key = "start.code_kept_by" if by else "start.code_kept"
                notes.append(Reply(text=translate(language, key, code=token, by=by or "", area=area), language=language))
                session = session.evolve(invite=token)
                text = re.sub(re.escape(token), " ", text, flags=re.IGNORECASE)
                break
    before = session.data.get(BEFORE_START)
    if isinstance(before, str) and unfinished(before) and _goes_on(text):  # « salut on cherche qqn pour », then its end
        whole = completed(before, text)
        if len(whole) <= MAX_INPUT_CHARS:
            session = session.evolve(data={**session.data, BEFORE_START: whole})
            key = "start.fragment_kept" if unfinished(whole) else "start.sentence_completed"
            notes.append(Reply(text=translate(language, key, text=excerpt(whole, 120)), language=language))
            return session, tuple(notes)
    sentence = describing_part(text)  # "Hi! … gave me this code:" describes nothing
    if asks_to_join(sentence):  # « Bonjour, je voudrais m'inscrire »: what /start does, no presentation
        return session, tuple(notes)
    if word_count(sentence) >= INTRODUCTION_MIN_WORDS and not is_question(sentence) and len(sentence) <= MAX_INPUT_CHARS:
        kept = sentence
        if isinstance(before, str) and before.strip() and not _same_words(before, sentence):
            # a second message before /start adds to the first (« Nous sommes le club de Bron. » « On cherche des bénévoles. »)
            joined = before.rstrip() + ("" if before.rstrip()[-1:] in ".!?…" else ".") + " " + sentence
            kept = joined if len(joined) <= MAX_INPUT_CHARS else sentence
        session = session.evolve(data={**session.data, BEFORE_START: kept})
        key = "start.fragment_kept" if unfinished(sentence) else "start.sentence_kept"  # its end awaited, said
        notes.append(Reply(text=translate(language, key, text=excerpt(sentence, 80)), language=language))
    return session, tuple(notes)


def _goes_on(text: str) -> bool:
    """Whether ``text`` may be the end of a sentence cut in two: words, no command, no question, no yes or no."""
    return (
        re.search(r"[^\W\d_]{2}", text) is not None
        and parse_command(text) is None
        and not is_question(text)
        and yes_no(text) is None
        and len(text) <= MAX_INPUT_CHARS
    )


def _introduction(
    session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> tuple[dict[str, Any], Session, tuple[Reply, ...]]:
    """At /start, the introduction typed before it: the structure's presentation (the profile's
    description), and a draft listing when it asks or offers something ("Nous souhaitons proposer du
    mécénat de compétences"), both said."""
    sentence = session.data.get(BEFORE_START)
    session = session.evolve(data={k: v for k, v in session.data.items() if k not in (BEFORE_START, START_TOLD)})
    if not isinstance(sentence, str) or not sentence:
        return {}, session, ()
    given, said = _given_by_introduction(sentence, {}, context, language, places_alone=True)  # "Bonjour, Paul de …": before "Bonjour" goes
    sentence = without_courtesy(sentence) or sentence
    limit = flows["onboarding"].steps["description"].max_length
    asked = what_is_asked(sentence)  # "…, we need volunteers": the need, not who asks
    asked = asked[:1].upper() + asked[1:]  # « on aurait besoin … » typed alone: a description, as when cut
    presentation = without_here(sentence)  # « collectif … ici »: who writes, as on the phone
    data: dict[str, Any] = dict(given)
    listing = _first_message_listing(sentence, asked) if not session.draft else None
    key = "start.sentence_used"
    also: tuple[Reply, ...] = ()
    if listing is not None:
        listing, others = _split_kinds(listing)
        if others:  # a need and an offer: two drafts, the first one quoted alone
            asked = str(listing.get("description") or asked)
        if len(asked) > flows["listing"].steps["description"].max_length:
            listing[CUT] = shorten(listing.pop("description"), flows["listing"].steps["description"].max_length)
        session, also = _keep_drafts(listing, others, session, context, language, flows)
        presentation = who_we_are(sentence)  # "Nous sommes …, une asso de …": not the need, kept as a draft
        key = f"start.presentation_and_draft.{listing['kind']}" if presentation else f"start.draft_only.{listing['kind']}"
    writer = bool(presentation) and (
        writes_oneself(presentation) or writes_oneself(sentence)
    )  # « C la tresoriere du club de foot … », "I'm Sarah from …": who writes
    if writer:  # « je suis la présidente de …, nous sommes une asso de … »: the structure's part alone, if any
        presentation = structure_part(presentation)
    name_only = bool(presentation) and isinstance(given.get("name"), str) and says_only_the_name(presentation, given["name"])
    joining = joining_lead(presentation) if presentation else None
    joining_only = joining is not None and not joining[1]  # « c'est pour inscrire notre asso de foot … »: facts, no presentation
    if joining is not None and joining[1]:  # « on voudrait s'inscrire, on est une asso de foot »: the clause that presents
        presentation = joining[0][:1].upper() + joining[0][1:]
    if role_only(presentation) or (writer and not presentation) or name_only or joining_only:  # « Je m'occupe de la RSE chez … »
        if writer or joining_only:  # its themes still read (« … du club de foot » → Sport), never shown
            data[WHO_WRITES] = shorten(without_here(sentence), limit)
        presentation = ""
        key = "start.draft_only." + listing["kind"] if listing is not None else "start.role_read"
    if presentation:
        data["description"] = shorten(presentation, limit)
    shown = {"text": excerpt(presentation, 80), "asked": excerpt(asked, 80)}
    notes = [*said, Reply(text=translate(language, key, **shown), language=language), *also]
    kind_step = flows["onboarding"].steps["kind"]
    options = [o for o in options_of(kind_step, session, context) if o.value not in (BACK, SKIP)]
    named = writer_kind(sentence, [(o.value, [fold(o.render(language)), fold(o.value), *o.words]) for o in options])
    if kind_step.kind == "choice" and named is not None:  # "I run a small rugby club", "CSR at Boulangerie Dupont": proposed
        option = f"{named + 1}. {options[named].render(language)}"
        data[PROPOSED] = {"choice": options[named].value, "option": option}
        notes.append(Reply(text=translate(language, "start.kind_from_sentence", option=option), language=language))
    return data, session, tuple(notes)


def _first_message_listing(sentence: str, asked: str) -> dict[str, Any] | None:
    """The draft listing a first message makes when it asks or offers apart from who writes (« Bonjour,
    je suis la trésorière de l'amicale laïque de Bron, on aurait besoin d'une machine à pop-corn »): the one
    :func:`_drafted_listing` reads, or, when no category is read, its kind and sentence alone (the
    category asked when the draft is taken up, quoting it) — never lost, never the presentation.
    None when it asks or offers nothing, or does not say so apart from who writes (« Nous sommes une
    asso qui propose des ateliers » presents itself)."""
    listing = _drafted_listing(asked)
    if listing is not None or not (who_we_are(sentence) or starts_asking(asked) or unfinished(asked)):
        return listing  # a sentence cut in two (« we're looking for someone to ») is no presentation: its kind is enough
    guess = guess_listing(asked)
    return {"kind": guess.kind, "description": asked} if guess.kind is not None else None


def _split_kinds(listing: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A first message's draft listing, and the listings of the other kind its sentence also named
    (« on cherche des maillots … et on peut prêter nos buts »): a need and an offer are two drafts,
    never one need holding the offer. Other parts of the same kind stay with it (asked about once it
    is published)."""
    more = list(listing.get(MORE) or ())
    others = [item for item in more if item.get("kind") not in (None, listing.get("kind"))]
    if not others:
        return listing, []
    first = {key: value for key, value in listing.items() if key != MORE}
    same = [item for item in more if item not in others]
    if same:
        first[MORE] = same
    return first, others


def _keep_drafts(
    listing: dict[str, Any], others: Sequence[dict[str, Any]], session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> tuple[Session, tuple[Reply, ...]]:
    """``listing`` kept as the draft, each of ``others`` as a draft after it (« 📝 Gardé aussi : une offre (« … »). »)."""
    step = flows["listing"].first_step(Session(data=listing), context) or "confirm"  # no category read: asked, quoting it
    session = session.evolve(draft={"flow": "listing", "step": step, "data": listing, "history": []})
    notes: list[Reply] = []
    for other in others:
        other_step = flows["listing"].first_step(Session(data=other), context) or "confirm"
        draft = {"flow": "listing", "step": other_step, "data": dict(other), "history": []}
        session = add_draft(session, draft)
        notes.append(Reply(text=translate(language, "queue.draft_also", draft=draft_summary(draft, language)), language=language))
    return session, tuple(notes)


def _drafted_listing(asked: str) -> dict[str, Any] | None:
    """The draft listing the part of a first message that asks or offers makes: its kind, category
    and skills, the sentence as description; several categories ("skills based volunteering (IT,
    project mgmt) and a meeting room") make one listing each, the others asked about once the first
    is published. None when it does not say both what and whether asked or offered."""
    guess = guess_listing(asked)
    parts = several_listings(asked)  # « on cherche des bénévoles, on peut prêter notre salle »: as much asked as given
    if not parts and (guess.kind is None or not guess.categories):
        return None
    if parts and (parts[0].category is not None or parts[0].kind is not None):  # a part naming no category: asked, quoting it
        first = _part_listing(parts[0], guess.kind)
        # a part of the other kind becomes a draft of its own (its category asked when taken up, if none was read)
        others = [_part_listing(part, first["kind"], other=part.kind in (None, first["kind"])) for part in parts[1:]]
        return {**first, MORE: others}
    if guess.category is None:
        return None
    listing: dict[str, Any] = {"kind": guess.kind, "category": guess.category, "description": asked}
    if guess.skills:
        listing["skill"] = list(guess.skills)
    return listing


def _given_by_introduction(
    sentence: str, data: Mapping[str, Any], context: Context, language: str, kind: str | None = None, places_alone: bool = False
) -> tuple[dict[str, Any], tuple[Reply, ...]]:
    """The onboarding answers a message introducing its writer gives ("Hi, I'm Sarah from the Green
    Bikes workshop in Villeurbanne…": the name, the commune — found plainly, one commune bearing that
    name), those not answered yet, marked as given (their questions are not asked), and the notes
    that say so ("Merci Sarah ! C'est noté : Green Bikes workshop — Villeurbanne (69)."). Nothing
    when the message introduces no one."""
    who = introduced(sentence)
    if who.organisation is not None and _a_commune_alone(who.organisation, context):  # "a charity from Villeurbanne": where, not who
        who = replace(who, organisation=None, places=(who.organisation, *who.places))
    introducing = who.organisation is not None or who.person is not None or presents_itself(sentence)
    if not introducing and not places_alone:  # a commune named by no introduction is only proposed, before /start
        return {}, ()
    given: dict[str, Any] = {}
    if who.organisation and "name" not in data and validate_name(who.organisation) is None:
        given["name"] = who.organisation
    places: list[dict[str, Any]] = []
    read: dict[str, Any] | None = None
    spelt: tuple[str, str] | None = None
    if "place" not in data:
        # A word of the organisation's name (« Les Potes du Quartier ») is no place when the message says where
        # (« … a villeurbanne »): Le Quartier (63) is not taken for it. Alone, it is (« Comité des fêtes de Bron »).
        # A word of the organisation's name (« Les Potes du Quartier ») is no place taken silently when the message says
        # where (« … a villeurbanne »): what is said after « à / a / in » is looked up first, then the name's words, only
        # proposed. Alone, it is the place (« Comité des fêtes de Bron »).
        said, guessed = list(who.places), list(who.guessed)
        if who.located:
            named_in = fold(who.organisation or "")
            inside = [query for query in said if fold(query) in named_in]
            said = [query for query in said if query not in inside]
            guessed = sorted(
                [*guessed, *(query for query in inside if query not in guessed)],
                key=lambda query: 0 if query in who.located else 1 if fold(query) in named_in else 2,
            )
        queries = [*((query, True) for query in said[:INVITE_LOOKUPS]), *((query, False) for query in guessed[:INVITE_LOOKUPS])]
        for query, plain in queries:
            found = communes_named(query, context.territories, misspelt=query in who.located)  # « a villeurbane »
            if not found or (query.isdigit() and not _POSTCODE_SAID.search(sentence.replace(query, "\0"))):
                continue  # « 15000 euros », « nous avons 10000 adhérents »: a number, no postcode said
            if plain and found[0].matched in ("name", "postcode") and is_clear(found) and not query[:1].islower() and introducing:
                given["place"] = place_from_candidate(candidate_dict(found[0]))
                read = {"text": query, "codes": [found[0].code]}
                spelt = (query, found[0].name)
                break
            if found[0].matched == "postcode":  # « (69290) »: the communes of that postcode, to choose from
                found = [commune for commune in found if commune.matched == "postcode"]
            if found[0].matched in ("name", "prefix", "postcode", "fuzzy") and not places:  # "Saint-Priest", "Caluire": proposed, one tap
                places = proposed_communes(found)
                read = {"text": query, "codes": [c["code"] for c in places]}
                spelt = (query, _as_typed(query, found[0])) if found[0].matched in ("name", "prefix") else None
    if "name" in given and spelt is not None:  # « Comité des fêtes de saint-genis-laval »: the commune's own spelling
        given["name"] = _commune_spelt(given["name"], *spelt)
    if not given and not places:
        return {}, ()
    if places and "place" not in given:
        given[FOUND_PLACES] = places
    shown = " — ".join(
        [*((kind,) if kind else ()), *(str(v if k == "name" else v["label"]) for k, v in given.items() if k != FOUND_PLACES)]
    )
    text = translate(language, "picker.chosen", choice=shown)
    if who.person:
        text = translate(language, "start.hello_person", person=who.person) + " " + text
    given[GIVEN] = [*(data.get(GIVEN) or ()), *(key for key in given if key != FOUND_PLACES)]
    if read is not None:
        given[READ_PLACE] = read
    return given, ((Reply(text=text, language=language),) if shown else ())


_POSTCODE_SAID = re.compile(r"[(\-–—,]\s*\0|\b(?:à|a|au|dans le|sur le|cp|code postal|postcode)\s+\0|\0\s*(?:\)|$)", re.IGNORECASE)
"""A number of five digits written as a postcode (« (69290) », « - 69290 », « code postal 69290 », at the end), its place marked
by a NUL; never a count or an amount (« 15000 euros », « 10000 adhérents »)."""


def _as_typed(query: str, commune: Any) -> str:
    """The commune's own spelling of the words ``query`` typed: its whole name, or only the part
    typed when the name starts with it (« décines » → « Décines », never « Décines-Charpieu »)."""
    if commune.matched != "prefix":
        return str(commune.name)
    words = re.split(r"([\s\-'’]+)", str(commune.name))
    said = " ".join(fold(query).replace("-", " ").split())
    for end in range(1, len(words) + 1, 2):
        part = "".join(words[:end])
        if " ".join(fold(part).replace("-", " ").split()) == said:
            return part
    return query[:1].upper() + query[1:]


def _commune_spelt(name: str, query: str, commune: str) -> str:
    """A name that ends with a commune as typed (« Comité des fêtes de st genis laval »), ending with
    the commune's own spelling (« … de Saint-Genis-Laval »); the name unchanged otherwise."""
    if not query[:1].islower() or len(query) < 2:
        return name  # « Decathlon Lyon »: written as its writer wants
    ending = re.search(r"(?:^|\s)(" + re.escape(query) + r")$", name, re.IGNORECASE)
    return name[: ending.start(1)] + commune if ending else name


def _a_commune_alone(name: str, context: Context) -> bool:
    """Whether a name read in a first message is only a commune's ("We are a little charity from
    Villeurbanne"): a place, never the structure's name."""
    found = communes_named(name, context.territories) if len(name.split()) <= 4 else []
    return bool(found) and found[0].matched == "name" and fold(found[0].name) == fold(name)


def _introduced_in_onboarding(
    flow: Flow, step: Step, session: Session, text: str, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """A message introducing its writer typed at a question of the profile being made ("Bonjour,
    Paul de l'association Les Jardins partagés à Vaulx-en-Velin, on cherche des bénévoles…" at the
    type of structure): every piece is taken — the type it names at the type question, the name,
    the commune, the presentation — and the need kept as a draft; the next question not answered
    yet is asked."""
    if flow.id != "onboarding" or context.actor is not None or len(text) > MAX_INPUT_CHARS:
        return None
    text = without_contact_details(text)  # « write to me at jo@company-association.example »: no type read inside
    if word_count(text) < INTRODUCTION_MIN_WORDS:
        return None
    if step.kind == "text" and not reads_as_sentence(text):  # a name ("Maison des associations de Villeurbanne") is the answer
        return None
    sentence = without_courtesy(text) or " ".join(text.split())
    taken: dict[str, Any] = {}
    label = None
    if step.id == "kind" and "kind" not in session.data and not negated(fold(sentence)):
        options = [o for o in options_of(step, session, context) if o.value not in (BACK, SKIP)]
        named = writer_kind(sentence, [(o.value, [fold(o.render(language)), fold(o.value), *o.words]) for o in options])
        if named is not None:  # "de l'association …", « c'est le garage Martin »: the question asked is answered too
            taken["kind"], label = options[named].value, options[named].render(language)
    given, said = _given_by_introduction(text, session.data, context, language, kind=label)
    presented = presents_itself(sentence) and (taken or _drafted_listing(what_is_asked(sentence)))
    if not given and not presented and not (taken and _presents_as(sentence, taken["kind"], options_of(step, session, context), language)):
        return None  # "Hi, we're a small company. We can lend…" / "on est une asso de quartier et on cherche…"
    if not said and label is not None:  # the type read in the sentence, said back
        said = (Reply(text=translate(language, "picker.chosen", choice=label), language=language),)
    data = {**{k: v for k, v in session.data.items() if k != "_candidates"}, **taken, **given}
    history = [*session.history, *taken]
    asked = what_is_asked(sentence)  # "…, on cherche des bénévoles": the need, not who asks ("Jardins partagés" offers nothing)
    presentation = who_we_are(sentence) or ("" if _drafted_listing(asked) else without_here(sentence))  # never what is asked
    if presentation and (
        writes_oneself(presentation) or writes_oneself(sentence)
    ):  # « Ici la présidente de l'asso … »: who writes; what follows of the structure
        presentation = structure_part(presentation)
    if (
        presentation
        and data.get("name")
        and (fold(name_in_answer(presentation)) == fold(str(data["name"])) or says_only_the_name(presentation, str(data["name"])))
    ):
        presentation = ""  # « C'est l'Amicale laïque de Cusset. », « la médiathèque de meyzieu »: its name, nothing of what it does
    if (
        "description" not in data and presentation and not role_only(presentation) and not type_alone(presentation)
    ):  # who they are, not what they ask (« On est l'asso …, on aurait besoin … »); « it's a charity »: a type, said back
        data["description"] = shorten(presentation, flows["onboarding"].steps["description"].max_length)
    notes = list(said)
    if data.get("description") and "description" not in session.data:  # public: said, with how to change it
        text_shown = excerpt(str(data["description"]), 80)
        notes.append(Reply(text=translate(language, "onboarding.presentation_taken", text=text_shown), language=language))
    listing = _first_message_listing(sentence, asked) if not session.draft else None
    kept = session
    guess = guess_listing(asked)
    if listing is None and not given and not session.draft and guess.kind is not None and guess.categories:
        # "…, il nous manque un local pour ranger le matériel": several categories, asked when taken up
        listing = {"kind": guess.kind, "description": asked}
    if listing is not None:  # a category not read (« on aurait besoin d'une machine à pop-corn »): asked when taken up
        listing, others = _split_kinds(listing)
        if others:  # a need and an offer: two drafts, the first one quoted alone
            asked = str(listing.get("description") or asked)
        kept, also = _keep_drafts(listing, others, session, context, language, flows)
        kind = translate(language, f"queue.draft_kind.{listing['kind']}")
        notes.append(
            Reply(text=translate(language, "queue.sentence_kept_onboarding", text=excerpt(asked, 80), kind=kind), language=language)
        )
        notes.extend(also)
    target = unanswered(step.id if step.field not in data else next_step_id(step, data), data)
    if target is None:
        return None
    asked_session, reply = ask(flow, target, kept.evolve(data=data, history=tuple(history)), context, language)
    return StepResult(asked_session, (*notes, reply))


def _authority_named(flow: Flow, step: Step, session: Session, text: str, context: Context, language: str) -> StepResult | None:
    """A local authority's name at the name question that says its commune (« Ville de Villeurbanne »,
    « Mairie de Bron », « Métropole de Lyon »: its seat): the name taken, and the commune with it —
    given when one commune bears that name, proposed at the commune question otherwise (« Mairie
    de Saint-Priest »: which one?). None for any other name, or once the commune is known."""
    if flow.id != "onboarding" or step.id != "name" or context.actor is not None or "place" in session.data:
        return None
    name = " ".join(text.split()).strip(" .!")
    words = authority_commune(name) if len(name) <= step.max_length else None
    if words is None or validate_name(name) is not None:
        return None
    found = communes_named(words, context.territories)
    if not found:
        return None
    data = {k: v for k, v in session.data.items() if k not in ("_candidates", FOUND_PLACES)}
    data["name"] = name[:1].upper() + name[1:]
    if found[0].matched in ("name", "postcode") and is_clear(found):  # « mairie de rillieux-la-pape »: the commune's spelling
        data["name"] = name_with_commune_spelt(data["name"], found[0].name)
    shown = [data["name"]]
    if found[0].matched in ("name", "postcode") and is_clear(found):
        data["place"] = place_from_candidate(candidate_dict(found[0]))
        data[GIVEN] = [*(data.get(GIVEN) or ()), "place"]
        shown.append(str(data["place"]["label"]))
    else:
        data[FOUND_PLACES] = proposed_communes(found)
    target = unanswered(next_step_id(step, data), data)
    if target is None:
        return None
    note = Reply(text=translate(language, "picker.chosen", choice=" — ".join(shown)), language=language)
    asked, reply = ask(flow, target, session.evolve(data=data, history=(*session.history, step.id)), context, language)
    return StepResult(asked, (note, reply))


def _presents_as(sentence: str, kind: str, options: Sequence[Option], language: str) -> bool:
    """Whether the part of ``sentence`` saying who writes, before what it asks or offers (the whole
    sentence when it asks nothing), names the type ``kind`` ("on est une asso de quartier" before "et
    on cherche des bénévoles"); a type named in what is asked ("on cherche une entreprise pour nous
    aider") is none, and a correction is left to :func:`_onboarding_said_more`."""
    who = who_we_are(sentence)
    if not who:  # nothing asked: the whole sentence presents, unless it corrects a type ("no its a company, Novatek")
        if guess_listing(sentence).kind is not None or without_correction(sentence) != sentence.strip() or company_then_name(sentence):
            return False
        who = sentence
    chosen = [o for o in options if o.value == kind]
    labels = [[fold(o.render(language)), fold(o.value), *o.words] for o in chosen]
    return bool(chosen) and phrases_in_sentence(who, labels) == [0]


PLACE_AT_TYPE_MAX_WORDS = 4
"""A commune's name typed at the type of structure is short ("lille", "Lyon 4e", "Saint-Priest (69)")."""


def _place_at_type_question(
    flow: Flow, step: Step, session: Session, text: str, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """A commune typed at the question about the type of structure ("lille", "Agen", "Sète") is no
    type, however close to a word of one (« ville », « agence »): said, and the question asked again.
    While the profile is being made and its commune not given yet, it is kept to be proposed at the
    commune question ("Est-ce bien Lille (59) ?"). A type's own word that a commune bears too
    (« ville », « école ») stays the type; None for anything that does not name a commune."""
    folded = fold(text).strip(" .!?")
    if word_count(text) > PLACE_AT_TYPE_MAX_WORDS or (folded.isdigit() and len(folded) != 5):  # a number, not a postcode
        return None
    options = [o for o in options_of(step, session, context) if o.value not in (BACK, SKIP)]
    if not set(catalog.ACTOR_TYPES) <= {o.value for o in options}:
        return None
    said = {folded, fold(re.sub(r"[^\w' ]+", " ", text)).strip()}
    if any(said & {fold(label) for label in (*(o.render(lang) for lang in LANGUAGES), o.value, *o.words)} for o in options):
        return None  # « ville », « école »: the type it names
    found = [c for c in context.territories.resolve(text, limit=8) if c.kind in ("commune", "arrondissement")]
    if not found or found[0].matched not in ("name", "postcode", "former_name"):
        return None
    places = [candidate_dict(c) for c in ([found[0]] if is_clear(found) else namesakes(found)[:6])]
    shown = places[0]["label"] if len(places) == 1 else text.strip()
    keep = flow.id == "onboarding" and "place" not in session.data and context.actor is None
    if not keep:
        return _rejected(session, context, language, flows, "onboarding.kind_not_a_place", place=shown)
    kept = session.evolve(data={**session.data, FOUND_PLACES: places})
    note = Reply(text=translate(language, "onboarding.kind_place_kept", place=shown), language=language)
    current = _current(kept, context, language, flows)
    return StepResult(kept, (note, *((current,) if current is not None else ())))


def _onboarding_said_more(flow: Flow, step: Step, session: Session, text: str, context: Context, language: str) -> StepResult | None:
    """What a profile question's answer says beyond it, or instead of it: a name that goes on in a
    sentence ("US St Martin foot, on est a st martin en haut (69)": the name, its commune proposed at
    the commune question), a type corrected with the name ("no its a company, Novatek" at the type
    question: Company, and Novatek never asked), a name given outright at another question ("the
    name is Novatek"). Each piece is said back ("C'est noté : …"); None for an answer as usual."""
    if flow.id != "onboarding" or context.actor is not None or len(text) > MAX_INPUT_CHARS:
        return None
    typed = " ".join(text.split())
    data = {k: v for k, v in session.data.items() if k != "_candidates"}
    shown: list[str] = []
    given: list[str] = []
    notes: list[Reply] = []
    corrected = _kind_correction(flow, step, data, typed, context, language) if step.id != "kind" else None
    if corrected is not None:  # "no it's a company, Decathlon Roubaix" at the name: the type changed, the rest kept
        data, shown, given = corrected
        target = unanswered(step.id if step.field not in data else next_step_id(step, data), data)
        if target is None:
            return None
        if given:
            data[GIVEN] = [*(data.get(GIVEN) or ()), *given]
        note = Reply(text=translate(language, "picker.chosen", choice=" — ".join(shown)), language=language)
        history = (*session.history, step.id) if target != step.id else session.history
        asked, reply = ask(flow, target, session.evolve(data=data, history=history), context, language)
        return StepResult(asked, (note, reply))
    if step.id == "name" and "kind" in data and "name" not in data and denies_previous(typed) and "kind" in flow.steps:
        # « non c pas ça », "no that's wrong" just after « C'est noté : Collectivité. »: the type asked again, no name
        kind_step = flow.steps["kind"]
        was = next((o for o in options_of(kind_step, session, context) if o.value == data["kind"]), None)
        data.pop("kind")
        shown_kind = was.render(language) if was is not None else ""
        note = Reply(text=translate(language, "onboarding.kind_denied", kind=shown_kind), language=language)
        history = tuple(h for h in session.history if h != "kind")
        asked, reply = ask(flow, "kind", session.evolve(data=data, history=history), context, language)
        return StepResult(asked, (note, reply))
    if step.id == "name":
        if asides_of(typed) and without_aside(typed) == name_in_answer(typed):
            return None  # « Vélo Cité (enfin je crois que c'est le nom officiel) »: the name alone, its aside said by the step
        name, rest = name_and_rest(without_aside(typed))
        place = place_in_rest(rest) if rest else None
        if not rest and ", " in typed:  # "Collectif du Lundi, Villeurbanne": a commune alone after the comma
            head, _, tail = typed.rpartition(", ")
            found = [c for c in context.territories.resolve(tail, limit=8) if c.kind in ("commune", "arrondissement")]
            if len(tail.split()) <= 5 and found and found[0].matched in ("name", "postcode"):
                name, rest, place = head.strip(), tail, tail
        if not rest or validate_name(name) is not None:
            return None
        data["name"] = name
        shown.append(name)
        found = communes_named(place, context.territories) if place else []
        if found and "place" not in data:  # proposed at the commune question, confirmed there
            data[FOUND_PLACES] = proposed_communes(found)
        guess = guess_listing(rest)
        if guess.kind is not None and guess.category is not None and not session.draft:  # "…, on cherche un frigo": kept
            listing: dict[str, Any] = {"kind": guess.kind, "category": guess.category, "description": rest[:1].upper() + rest[1:]}
            if guess.skills:
                listing["skill"] = list(guess.skills)
            session = session.evolve(draft={"flow": "listing", "step": "confirm", "data": listing, "history": []})
            kind = translate(language, f"queue.draft_kind.{guess.kind}")
            notes.append(
                Reply(text=translate(language, "queue.sentence_kept_onboarding", text=excerpt(rest, 80), kind=kind), language=language)
            )
    elif step.id == "kind" and name_given(typed) is None:
        kept = without_correction(typed)
        options = [o for o in options_of(step, session, context) if o.value not in (BACK, SKIP)]
        named = phrases_in_sentence(kept, [[fold(o.render(language)), fold(o.value), *o.words] for o in options])
        if len(named) != 1 or negated(fold(kept)) or (kept == typed and company_then_name(typed) is None):
            return None  # "Entreprise", "c'est une asso": read as usual
        data["kind"] = options[named[0]].value
        shown.append(options[named[0]].render(language))
        called = company_then_name(typed)
        if called is not None and validate_name(called) is None:
            data["name"] = called
            given.append("name")
            shown.append(called)
    else:
        named_here = name_given(typed)
        if named_here is None or validate_name(named_here) is not None:
            return None
        data["name"] = named_here
        given.append("name")
        note = Reply(text=translate(language, "picker.chosen", choice=named_here), language=language)
        asked, reply = ask(flow, step.id, session.evolve(data={**data, GIVEN: [*(data.get(GIVEN) or ()), *given]}), context, language)
        return StepResult(asked, (note, reply))
    if given:
        data[GIVEN] = [*(data.get(GIVEN) or ()), *given]
    target = unanswered(next_step_id(step, data), data)
    note = Reply(text=translate(language, "picker.chosen", choice=" — ".join(shown)), language=language)
    moved = session.evolve(data=data, history=(*session.history, step.id))
    if target is None:
        return None
    asked, reply = ask(flow, target, moved, context, language)
    return StepResult(asked, (note, *notes, reply))


def _kind_correction(
    flow: Flow, step: Step, data: Mapping[str, Any], typed: str, context: Context, language: str
) -> tuple[dict[str, Any], list[str], list[str]] | None:
    """A correction of the type typed at a later question of the profile ("non c'est une entreprise",
    "actually we're a charity", "no it's a company, Decathlon Roubaix"): the data with that type, the
    name that follows it (at the name question, or when none was given), its commune proposed at the
    commune question; what to say back, the fields given. None for anything else."""
    kept = without_correction(typed)
    protest = denies_previous(typed)  # « c'est pas une collectivité, on est une entreprise »: a correction too
    if "kind" not in data or (kept == typed.strip() and not protest) or not kept or "kind" not in flow.steps:
        return None
    if step.id == "place" and _POSTCODE_SAID.search(re.sub(r"\b\d{5}\b", "\0", typed)):
        return None  # « Non loin de l'hôtel de ville, 69100 Villeurbanne »: an address answers the commune question
    kind_step = flow.steps["kind"]
    options = [o for o in options_of(kind_step, Session(data=dict(data)), context) if o.value not in (BACK, SKIP)]
    lead = re.split(r"[,:;]", kept, maxsplit=1)[0]  # "it's a company" of "it's a company, Decathlon Roubaix"
    if protest or negated(fold(lead)):  # « non c pas une collectivite on est une entreprise !! »: what it says instead
        lead = affirmed_after_denial(kept)
        lead = re.split(r"[,:;]", lead, maxsplit=1)[0]
    named = phrases_in_sentence(lead, [[fold(o.render(language)), fold(o.value), *o.words] for o in options])
    if len(named) != 1 or not lead or negated(fold(lead)) or guess_listing(kept).kind is not None:
        return None
    changed = {**data, "kind": options[named[0]].value}
    shown = [options[named[0]].render(language)]
    given: list[str] = []
    called = company_then_name(typed)
    if called is not None and validate_name(called) is None and (step.id == "name" or "name" not in data):
        changed["name"] = called
        given.append("name")
        shown.append(called)
        words = called.split()
        for size in (3, 2, 1):  # "Decathlon Roubaix": Roubaix, proposed at the commune question
            if "place" in changed or len(words) <= size:
                continue
            found = [c for c in context.territories.resolve(" ".join(words[-size:]), limit=8) if c.kind in ("commune", "arrondissement")]
            if found and found[0].matched == "name" and is_clear(found):
                changed[FOUND_PLACES] = [candidate_dict(found[0])]
                break
    return changed, shown, given


BARE_COMMANDS: dict[str, str] = {
    "aide": "aide",
    "help": "aide",
    "menu": "menu",
    "annuler": "annuler",
    "cancel": "annuler",
}
BACK_WORDS = ("retour", "back")


CANCEL_WORDS = re.compile(
    r"^(?:(?:bon|ok|okay|non|nan|oh|ah|euh|heu|hmm+|hum+|finalement|en fait|no|nope|oh well|well|wait|actually|sorry|desole|"
    r"pardon|oups|oops|merci|thanks|thank you|please|svp|stp|je prefere|on prefere|i d rather|let s|let us)\s+)*"
    r"(?:stop|stoppe|stopper|arrete|arretez|arreter|on arrete|j arrete|laisse tomber|laissez tomber|on laisse tomber|"
    r"abandon|abandonner|j abandonne|annule|annulez|annuler|on annule|j annule|annule tout|tant pis|never mind|nevermind|"
    r"forget it|forget about it|forget that|stop it|quit|give up|i give up|cancel|cancel it|cancel that|cancel this|cancel everything)"
    r"(?:\s+(?:finalement|alors|merci|svp|stp|tout|ca|cela|tout ca|c est bon|please|thanks|then|after all|that|this|it|everything))*$"
)
"""Everyday ways of saying "cancel" ("stop", "laisse tomber finalement", "arrête", "never mind"): /annuler, inside a flow."""


def _bare_command(text: str, session: Session, context: Context, flows: Mapping[str, Flow]) -> tuple[str, str] | None:
    """ "aide", "menu", "annuler", "help", "cancel" typed without a slash, and everyday ways of
    cancelling at a question ("stop", "laisse tomber", "never mind"); "retour" on a first step → the menu."""
    word = fold(text).strip(" .!?")
    if word in BARE_COMMANDS:
        return BARE_COMMANDS[word], ""
    asking = session.flow is not None and session.flow != "menu" and session.step is not None
    if asking and len(text) <= 80 and CANCEL_WORDS.match(re.sub(r"[^\w]+", " ", word).strip()):
        return "annuler", ""
    if word in BACK_WORDS and not session.history and context.actor is not None and session.flow in flows and session.flow != DECISION_FLOW:
        return "menu", ""
    if not asking and context.actor is not None:  # « pause pendant 2 semaines », "I'd like a break until January 15"
        end = pause_wish(text)
        if end is not None:
            return "pause", end
    return None


def _listing_from_sentence(
    text: str,
    session: Session,
    context: Context,
    language: str,
    flows: Mapping[str, Flow],
    menu_step: Step | None = None,
    kind: str | None = None,
    after_command: bool = False,
) -> StepResult | None:
    """A sentence typed at the menu or when idle ("on cherche des bénévoles le samedi matin")
    starts a need or an offer with the guessed category and the sentence as its description.
    With ``kind`` (a need or an offer already chosen) only a sentence naming a category counts,
    unless it was typed ``after_command`` (« /besoin un camion pour samedi »): it is the description
    whatever it says, its category asked about it when none is read."""
    if context.actor is None or (len(text) > MAX_INPUT_CHARS and not after_command):
        return None
    text = text[:MAX_INPUT_CHARS]  # « /besoin » and 5,000 characters: its beginning proposed, never dropped
    correcting = self_corrected(text)
    if correcting is not None:  # « un coach pour les enfants, ah non pardon c'est pour les ados »: the corrected words only
        text = correcting[0]
    guess = guess_listing(text)
    description = without_courtesy(text) or " ".join(text.split())  # "Bonjour, …, merci !": what it says
    if guess.is_listing and (presents_itself(description) or introduced(description).organisation is not None):
        # "Nous sommes X, une asso de Y. On cherche…", "Hi, we're a small company. We can lend…": what is asked
        description = what_is_asked(description)
    parts = several_listings(description)  # "des bénévoles … et un local …", « on cherche … Nous pouvons prêter … »
    if not parts and guess.is_listing:  # « c le club de foot de Bron, on cherche … et on peut prêter … »: who writes set aside
        asked = what_is_asked(description)
        cut = several_listings(asked) if asked != description else []
        if cut:
            description, parts = asked, cut
    if parts:
        guess = replace(guess, category=parts[0].category)
    if not after_command and (
        not (guess.is_listing or any(part.kind for part in parts))
        or (kind is not None and (guess.category is None or len(text.split()) < 4))
    ):  # « on cherche des maillots et on peut prêter nos buts »: a need and an offer, the first naming no category
        return None
    if menu_step is not None and guess.category is None:
        try:
            answer_step(menu_step, session, UserInput(text=text), context, language)
            return None  # a menu entry ("déclarer un besoin"): the menu answers it
        except InputError:
            pass
    data: dict[str, Any] = {"description": description}
    if kind or guess.kind:  # neither: the flow asks whether it is a need or an offer
        data["kind"] = kind or guess.kind
    if guess.category:
        data["category"] = guess.category
    if guess.skills:
        data["skill"] = list(guess.skills)
    if parts and (kind is None or parts[0].kind in (None, kind)):
        # "des bénévoles … et un local …": the first one now, each other one asked about once it is published
        first = _part_listing(parts[0], kind or guess.kind)
        if not (parts[0].kind or kind or guess.kind):  # says neither need nor offer: asked
            first.pop("kind")
        data = {**first, MORE: [_part_listing(part, first.get("kind"), other=True) for part in parts[1:]]}
    limit = flows["listing"].steps["description"].max_length
    notes: list[Reply] = []  # said before the flow's first question
    if len(description) > limit:  # too long: its first characters are proposed at the description step
        data[CUT] = shorten(data.pop("description"), limit)
    elif only_contact(str(data.get("description") or "")):  # « /offre fay@example.org »: a listing never shows it
        data.pop("description")
        notes.append(Reply(text=translate(language, "listing.contact_never_shown"), language=language))
    elif len(data.get("description") or "") < flows["listing"].steps["description"].min_length:
        data[START] = data.pop("description")  # « /besoin salle »: too short to be understood, completed at the description question
    started = _start_flow("listing", data, session.evolve(flow=None, step=None, data={}, history=()), context, language, flows)
    if correcting is not None:
        said = translate(language, "listing.corrected", replaced=excerpt(correcting[1], 80), correction=excerpt(correcting[2], 80))
        notes.insert(0, Reply(text=said, language=language))
    return replace(started, replies=(*notes, *started.replies)) if notes else started


def _described_at_category(
    step: Step, session: Session, text: str, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """A sentence typed at a fresh need's or offer's category question (« on peut prêter notre camion le week-end »,
    « je peux donner des cours de guitare », "we can lend our van at weekends"): this listing's description, its
    category inferred (confirmed with the zone) or asked about it, the flow going on — never a separate draft, never
    « not recognised ». A sentence that plainly says the other kind and what (« on cherche un camion » at /offre)
    makes the listing that kind, said (« C'est plutôt une offre » at the confirmation takes it back); one that names
    no category stays the kind chosen. A question keeps its reading of before: a need asked (« qui pourrait nous
    prêter un camion ? ») is this need, one of the other kind is kept as a draft. None for what reads as no listing
    (« je veux revenir au menu »), a short answer (« Matériel »), or a doubt."""
    kind = session.data.get("kind")
    guess = guess_listing(text)
    if is_question(text):
        if kind and guess.kind not in (None, kind):
            kept = _keep_refused_sentence(session, text, context, language, flows)
            if kept is not None:
                return kept
        return _listing_from_sentence(text, session, context, language, flows, kind=kind)
    correcting = self_corrected(text)  # « un coach pour les enfants, ah non pardon c'est pour les ados »: a description
    if correcting is not None:
        guess = guess_listing(correcting[0])
    if not (guess.is_listing or correcting) or word_count(text) < 4 or unsure(text) or len(text) > MAX_INPUT_CHARS:
        return None  # « je veux revenir au menu », « Matériel »: not a listing's sentence, read as before
    said_kind = guess.kind if kind and guess.category and guess.kind not in (None, kind) else None
    started = _listing_from_sentence(text, session, context, language, flows, kind=said_kind or kind, after_command=True)
    if started is None or said_kind is None:
        return started
    shown = translate(language, f"queue.draft_kind.{said_kind}")
    note = Reply(text=translate(language, "listing.kind_read", kind=shown), language=language)
    return replace(started, replies=(note, *started.replies))


def _kind_corrected(flow: Flow, step: Step, session: Session, text: str, context: Context, language: str) -> StepResult | None:
    """ "en fait c'est un besoin", "actually it's an offer" at any question of a listing under way
    (its category, skills, description, zone): the listing becomes that kind, said, and the same
    question is asked again in its words ("Besoin : de quoi s'agit-il ?")."""
    kind = kind_named(text)
    if kind is None:
        return None
    data = {k: v for k, v in session.data.items() if k != "_candidates"}
    data["kind"] = kind
    if data.get("confirm") == "switch":
        data.pop("confirm")
    note = Reply(text=translate(language, "listing.kind_set", kind=translate(language, f"queue.draft_kind.{kind}")), language=language)
    asked, reply = ask(flow, step.id, session.evolve(data=data), context, language)
    return StepResult(asked, (note, reply))


EXPLAINED_FLOWS = frozenset(("onboarding", "profile", "settings", "listings", "listing", MORE_FLOW))
"""The flows of someone making their profile or a listing, where a question about the question
("c'est quoi une offre ?", "pourquoi vous demandez ça ?") is answered rather than taken as the answer."""
WHY_KEYS = {"onboarding": "explain.why.profile", "profile": "explain.why.profile", "listing": "explain.why.listing"}
EXPLAINED_AS = {"profile": "onboarding"}
"""Flows whose questions are the onboarding's (same step ids), explained by its ``explain.onboarding.*``."""


ASKS_BACK_MIN_WORDS = 3
"""A refused answer ending with "?" is a question of its own from this many words ("Saint Pryest ?" is a commune misspelt)."""


def _asks_back(text: str) -> bool:
    """Whether a message refused as an answer is a question of its own ("c'est pour quoi faire ?",
    "ça sert à quoi ?", "vous faites quoi ici ?"): a few words ending with a question mark."""
    return text.rstrip().endswith("?") and word_count(text) >= ASKS_BACK_MIN_WORDS and len(text) <= 200


def _explained(
    flow: Flow,
    step: Step,
    session: Session,
    text: str,
    context: Context,
    language: str,
    flows: Mapping[str, Flow],
    about: str | None = None,
) -> StepResult | None:
    """A question about the question being asked ("c'est quoi une offre ?", "what do you mean?",
    "pourquoi vous demandez ça ?") typed at a question of a profile or a listing: explained, and the
    same question asked again; nothing is recorded. A need asked as a question ("qui pourrait nous
    prêter un camion ?") is none: it is the answer."""
    about = about or question_about_the_question(text)
    if about is None:
        return None
    current = _current(session, context, language, flows)
    if current is None:
        return None
    family = "listing" if flow.id in ("listing", "listings", MORE_FLOW) else flow.id
    elsewhere = _other_subject_explained(flow, step, text, context, language, family)
    if elsewhere is not None:  # « c quoi le contact ? c public ? » at the themes: the contact's answer, the themes again
        return StepResult(session, (Reply(text=elsewhere, language=language), current))
    if about == "kinds":
        explanation = translate(language, "explain.kinds")
    elif about == "why" and family in WHY_KEYS:
        explanation = translate(language, WHY_KEYS[family])
    else:  # the profile asks the onboarding's questions again ("place", "description"): their explanations
        keys = [f"explain.{flow.id}.{step.id}", f"explain.{EXPLAINED_AS.get(family, family)}.{step.id}"]
        explanation = next((translate(language, key) for key in keys if has_key(language, key)), None) or question_help(
            current, language, _onboarding(session, context)
        )
    return StepResult(session, (Reply(text=explanation, language=language), current))


SUBJECT_STEPS = {"contact": "contact", "place": "place"}
"""The subjects a question may be about (:data:`QUESTION_TOPICS`) that a question of the profile asks."""


def _other_subject_explained(flow: Flow, step: Step, text: str, context: Context, language: str, family: str) -> str | None:
    """The answer to a question about another subject than the question asked (« c quoi le contact ?
    c public ? », "is my e-mail shown to everyone?" at the themes): that subject's explanation in this
    flow, or what the bot says of it to someone with a profile; None when it is about this question."""
    words = f" {re.sub(r'[^a-z0-9@]+', ' ', fold(text))} "
    subject = next(
        (topic for topic in SUBJECT_STEPS if any(f" {marker}" in words for marker in QUESTION_TOPICS[topic] if marker != "numero")),
        None,
    )
    if subject is None or SUBJECT_STEPS[subject] == step.id:
        return None
    target = SUBJECT_STEPS[subject]
    for key in (f"explain.{flow.id}.{target}", f"explain.{EXPLAINED_AS.get(family, family)}.{target}"):
        if has_key(language, key):
            return translate(language, key)
    if context.actor is not None and has_key(language, f"question.{subject}"):
        return translate(language, f"question.{subject}")
    return None


SHORT_ANSWER = 120
"""A text question whose answers are this long at most (a name) expects no sentence of its own."""
KEEPING_FLOWS = frozenset(("onboarding", "profile", "settings", "listings"))
"""The flows of someone who has, or is making, a profile, whose questions expect no listing: a need
typed there is kept as a draft (the listing flow takes it itself; coordinators have no listings)."""


def _keep_listing_sentence(
    flow: Flow, step: Step, session: Session, text: str, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """A need or an offer typed at a question expecting a short answer ("on cherche un frigo pour
    notre épicerie solidaire" at the themes, the kind of structure, the commune, the name) is never
    taken for that answer by a word inside it, nor lost: it is kept as a draft of a listing — to
    publish with /besoin or /offre, once the profile exists during onboarding — and the question
    is asked again. Descriptions and the listing's own questions take sentences: not here."""
    if flow.id not in KEEPING_FLOWS or (step.kind == "text" and step.max_length > SHORT_ANSWER):
        return None
    if word_count(text) < 4 or len(text) > MAX_INPUT_CHARS:
        return None
    guess = guess_listing(text)
    if guess.category is None:
        return None
    if step.kind == "text" and not reads_as_sentence(text):  # a name such as « Prêt de matériel solidaire »
        return None
    refused = False
    if step.understand is not None:
        try:
            if step.understand(text) is not None:  # "joignez-nous au 06…": the answer is inside
                return None
        except InputError:  # refused as that answer ("17h-18h30" is no phone number): the listing it names is kept
            refused = True
    if guess.kind is None and not refused:  # clearly a listing: it says what, and whether asked or given
        return None
    first = _first_message_at_kind(flow, step, session, text, context, language, flows)
    if first is not None:  # « Léa ici, bénévole au …. On aimerait proposer … » just after /start: read as before it
        return first
    return _kept_as_draft(guess, text, session, context, language, flows)


def _fragment_continued(
    flow: Flow, step: Step, session: Session, user_input: UserInput, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """A message that goes on with a need or an offer cut in two (« on cherche qqn pour », then « nous aider
    à faire la compta »), typed at a choice question it does not answer: the end of that sentence — of the
    listing under way, or of the draft kept last during onboarding — joined to it, said, and the question asked again (a
    listing's category read from the whole sentence when it names one). None for an answer, a command,
    a question to the bot, or when no sentence waits for its end."""
    text = user_input.text or ""
    if not text.strip() or parse_command(text) is not None or is_question(text) or yes_no(text) is not None:
        return None
    if flow.id == "settings" and session.data.get(INTERRUPTED):
        return _interrupted_continued(step, session, user_input, context, language, flows)
    drafts = session.drafts
    if flow.id == "listing":
        fragment = str(session.data.get("description") or "")
    elif flow.id == "onboarding" and drafts and drafts[-1].get("flow") == "listing" and word_count(text) >= 2:
        fragment = str((drafts[-1].get("data") or {}).get("description") or "")
    else:
        return None
    if not fragment or not unfinished(fragment):
        return None
    what = (flow.id == "listing" and step.id in LISTING_WHAT) or (flow.id, step.id) == ("onboarding", "kind")
    if not (what and word_count(text) >= CONTINUATION_WORDS):  # « réparer les vélos de l'asso » at the type: no Association
        try:  # « paint our community hall » at the category: the sentence goes on, « hall » is no answer
            answer_step(step, session, user_input, context, language)
            return None  # an answer to the question on screen
        except InputError:
            pass
    whole = completed(fragment, text)[:MAX_INPUT_CHARS]
    note = Reply(text=translate(language, "listing.fragment_completed", text=excerpt(whole, 120)), language=language)
    if flow.id == "listing":
        data = {**session.data, "description": whole}
        if step.id in LISTING_WHAT and not data.get("category"):
            rest = {k: v for k, v in session.data.items() if k != "description"}
            started = _listing_from_sentence(whole, session.evolve(data=rest), context, language, flows, kind=data.get("kind"))
            if started is not None:
                return started
        joined = session.evolve(data=data)
    else:
        joined = _draft_completed(session, len(drafts) - 1, whole, context, flows)
    current = _current(joined, context, language, flows)
    return StepResult(joined, (note, *((current,) if current else ())), accepted=False)


def _interrupted_continued(
    step: Step, session: Session, user_input: UserInput, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """The end of a need or an offer cut in two (« on cherche qqn pour ») typed at the settings opened in the
    middle of it (« réparer les vélos de l'asso » at /reglages): its sentence made whole, said, and back to it
    (its next question when the one on screen was its description). None for an answer to the settings."""
    text = user_input.text or ""
    interrupted = str(session.data.get(INTERRUPTED) or "")
    draft = session.draft or {}
    fragment = str((draft.get("data") or {}).get("description") or "")
    if draft.get("flow") != "listing" or draft.get("step") != interrupted or not fragment or not unfinished(fragment):
        return None
    if not _goes_on(text) or interrupted not in flows["listing"].steps:
        return None
    try:
        answer_step(step, session, user_input, context, language)
        return None  # « la langue », « 2 »: the settings' own answer
    except InputError:
        pass
    whole = completed(fragment, text)[:MAX_INPUT_CHARS]
    data = {**(draft.get("data") or {}), "description": whole}
    target = interrupted
    if interrupted == "description":  # the description asked again: its next question, now that it is whole
        target = next_step_id(flows["listing"].steps["description"], data) or interrupted
    completed_draft = {**draft, "data": data, "step": target}
    updated = session.evolve(draft=completed_draft)
    note = Reply(text=translate(language, "listing.fragment_completed", text=excerpt(whole, 120)), language=language)
    return _back_to_interrupted(target, updated, (note,), (), context, language, flows)


def _draft_completed(session: Session, index: int, whole: str, context: Context, flows: Mapping[str, Flow]) -> Session:
    """``session`` whose draft at ``index`` (a listing whose description was cut in two) has ``whole`` as its
    description: its category read from the whole sentence when none was, and, when nothing was answered in it
    yet, its first question the one the whole sentence leaves (no longer its end)."""
    drafts = list(session.drafts)
    last = drafts[index]
    data = {**(last.get("data") or {}), "description": whole}
    if not data.get("category"):  # « on cherche qqn pour » + « faire la compta » : what it is, read from the whole
        guess = guess_listing(whole)
        if guess.category is not None:
            data["category"] = guess.category
            if guess.skills:
                data["skill"] = list(guess.skills)
        if not data.get("kind") and guess.kind is not None:
            data["kind"] = guess.kind
    draft = {**last, "data": data}
    if not last.get("history"):
        draft["step"] = flows["listing"].first_step(Session(data=data), context) or last.get("step")
    drafts[index] = draft
    return session.evolve(draft=drafts[0], later_drafts=tuple(drafts[1:]))


def _last_draft_continued(text: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult | None:
    """A message that goes on with the need or offer just kept as a draft while it was cut in two (« on cherche
    aussi qqn pour » typed at a suggestion, then « faire la compta de l'asso »): one draft, the whole sentence,
    said, and the question on screen asked again. None when the last draft is whole or ``text`` is no end."""
    drafts = session.drafts
    if not drafts or drafts[-1].get("flow") != "listing" or not _goes_on(text) or word_count(text) < 2:
        return None
    fragment = str((drafts[-1].get("data") or {}).get("description") or "")
    if not fragment or not unfinished(fragment):
        return None
    whole = completed(fragment, text)[:MAX_INPUT_CHARS]
    joined = _draft_completed(session, len(drafts) - 1, whole, context, flows)
    note = Reply(text=translate(language, "listing.fragment_completed", text=excerpt(whole, 120)), language=language)
    current = _current(joined, context, language, flows)
    return StepResult(joined, (note, *((current,) if current else ())), accepted=False)


CONTINUATION_WORDS = 3
"""At the question of what a listing cut in two is, this many words go on with its sentence, whatever they name."""
INTERRUPTED = "_interrupted"
"""The settings' data: the step of the need or offer they were opened in the middle of (/reglages at its zone)."""

LISTING_WHAT = ("category", "category_of", "which")
"""The listing's questions that say what it is: a sentence of its own kind typed there may be about it."""

REFUSED_AS_SENTENCE = ("error.sentence_not_option", "error.expected_choice")
"""The refusals of a choice question that a sentence of its own gets."""


def _first_message_at_kind(
    flow: Flow, step: Step, session: Session, text: str, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult | None:
    """A first message typed at the type question just after /start (on Telegram /start is sent before
    anyone types) and refused as a choice (« slt c la tresoriere du FC Bron, on cherche des bénévoles … et
    on peut prêter nos buts »): read as when typed before /start — its need and offer kept as drafts and
    said, what it says of who writes used (name, commune, type proposed) — and the type asked again.
    None for anything else, or once something was answered or drafted."""
    if flow.id != "onboarding" or step.id != "kind" or context.actor is not None or session.draft or session.history:
        return None
    sentence = describing_part(text)
    if word_count(sentence) < INTRODUCTION_MIN_WORDS or is_question(sentence) or len(sentence) > MAX_INPUT_CHARS:
        return None
    cleaned = without_courtesy(sentence) or sentence
    if _first_message_listing(cleaned, what_is_asked(cleaned)) is None:
        return None
    data, introduced, notes = _introduction(session.evolve(data={**session.data, BEFORE_START: sentence}), context, language, flows)
    merged = {**introduced.data, **data}
    target = unanswered(step.id, merged) or step.id
    asked, reply = ask(flow, target, introduced.evolve(data=merged), context, language)
    return StepResult(asked, (*notes, reply), accepted=False)


def _keep_refused_sentence(
    session: Session, text: str, context: Context, language: str, flows: Mapping[str, Flow], other_than: str | None = None
) -> StepResult | None:
    """A need or an offer typed at a choice question of a listing under way and refused as a free
    sentence (« on cherche une asso pour accueillir nos salariés » at « Offre : de quoi s'agit-il ? »):
    never lost, kept as a draft to publish once this listing is done, and the question asked again.
    With ``other_than`` (the kind being made) only a sentence of the other kind is kept."""
    if word_count(text) < 4 or len(text) > MAX_INPUT_CHARS:
        return None
    guess = guess_listing(text)
    if not guess.is_listing or (other_than is not None and guess.kind in (None, other_than)):
        return None
    return _kept_as_draft(guess, text, session, context, language, flows)


def _kept_as_draft(guess: Guess, text: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    """``text``, read as ``guess``, kept as the draft of a listing (said), and the current question asked again."""
    draft, description = _draft_of(guess, text, flows)
    command = resume_command(guess.kind, language)
    key = "queue.sentence_kept_onboarding" if context.actor is None else "queue.sentence_kept_command" if command else "queue.sentence_kept"
    kind = translate(language, f"queue.draft_kind.{guess.kind or 'listing'}")
    note = translate(language, key, text=excerpt(description, 80), kind=kind, command=command or "")
    kept = add_draft(session, draft)  # never in the place of a draft already kept
    current = _current(kept, context, language, flows)
    return StepResult(kept, (Reply(text=note, language=language), *((current,) if current else ())), accepted=False)


def _declined_keeping(
    tok: str, declined: str, text: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult:
    """A suggestion declined by a message whose no is followed by a need or an offer of its own (« non mais
    on cherche aussi des tables », "no thanks, what we need is a van"): the no answers the suggestion, the
    rest is kept as a draft as at the menu, and both are said in the same answer."""
    wish = (wish_after_refusal(text) or wish_besides(text)) if context.actor is not None else None
    if wish is None:  # « non merci, on ne fait pas de compta »: only its no
        return _decide(tok, UserInput(choice=declined), session, context, language, flows)
    return _answered_keeping(tok, UserInput(choice=declined), wish, session, context, language, flows)


def _answered_keeping(
    tok: str, answer: UserInput, wish: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult:
    """The decision ``tok`` answered by ``answer`` (the option read, or the text typed) in a message that goes on
    with a need or an offer of its own (``wish``: « on cherche aussi des tables » after a no, a yes, a later or
    a call's written answer): the need kept as a draft as at the menu, both said in the same answer. Nothing is
    kept when the answer is refused (the message stays to be typed again, whole)."""
    if context.actor is None:
        return _decide(tok, answer, session, context, language, flows, besides=False)
    kept, note = _also_kept(wish, session, language, flows)
    answered = _decide(tok, answer, kept, context, language, flows, besides=False)
    if not answered.effects:
        return _decide(tok, answer, session, context, language, flows, besides=False)
    return replace(answered, replies=(Reply(text=note, language=language), *answered.replies))


def _also_kept(wish: str, session: Session, language: str, flows: Mapping[str, Flow]) -> tuple[Session, str]:
    """``wish`` (a need or an offer said beside another answer) kept as a draft in ``session``, and the line
    that says so (« 📝 Et « … » : c'est un besoin ; je garde ce texte en brouillon. Tapez /besoin pour le publier. »)."""
    guess = guess_listing(wish)
    draft, description = _draft_of(guess, wish, flows)
    command = resume_command(guess.kind, language)
    kind = translate(language, f"queue.draft_kind.{guess.kind or 'listing'}")
    key = "queue.declined_kept_command" if command else "queue.declined_kept"
    return add_draft(session, draft), translate(language, key, text=excerpt(description, 80), kind=kind, command=command or "")


def _sent_again(flow: Flow, session: Session, text: str, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult | None:
    """A message refused at the current question that says again what was just answered (the previous question's
    answer, or the description of the listing under way): a double send, or a nudge — said as already noted, and the
    current question asked again, never « not a commune » or « not one of the choices ». None for anything else."""
    said = [session.data.get("description")]
    if session.history and session.history[-1] in flow.steps:
        said.append(session.data.get(flow.steps[session.history[-1]].field))
    typed = (text, without_courtesy(text))  # « slt on cherche … » kept as « on cherche … »
    if not re.search(r"[^\W\d_]{2}", text) or not any(isinstance(v, str) and any(_same_words(v, t) for t in typed) for v in said):
        return None
    current = _current(session, context, language, flows)
    noted = Reply(text=translate(language, "question.sent_again", answer=excerpt(text, 80)), language=language)
    return StepResult(session, (noted, *((current,) if current else ())), accepted=False)


def _same_words(one: str, other: str) -> bool:
    """Whether two texts say the same words, whatever their case, accents, punctuation and spaces."""
    return re.findall(r"\w+", fold(one)) == re.findall(r"\w+", fold(other))


def _draft_of(guess: Guess, text: str, flows: Mapping[str, Flow]) -> tuple[dict[str, Any], str]:
    """The draft of a listing that ``text``, read as ``guess``, is kept as, and its description."""
    description = without_courtesy(text) or " ".join(text.split())
    description = without_linking(description)  # « On cherche aussi un camion », said after something else: « On cherche un camion »
    description = description[:1].upper() + description[1:]
    data: dict[str, Any] = {"description": description}
    if guess.category is not None:  # else asked when the draft is taken up, quoting the sentence
        data["category"] = guess.category
    if guess.kind is not None:  # else asked when the draft is taken up: need or offer?
        data["kind"] = guess.kind
    if guess.skills:
        data["skill"] = list(guess.skills)
    limit = flows["listing"].steps["description"].max_length
    if len(description) > limit:
        data[CUT] = shorten(data.pop("description"), limit)
    if guess.kind is None:
        step_id = "which"
    elif guess.category is None:
        step_id = "category_of"
    else:
        step_id = "description" if CUT in data else "confirm"
    draft: dict[str, Any] = {"flow": "listing", "step": step_id, "data": data, "history": []}
    return draft, description


def _resume_moved(flow: Flow, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    """A saved session on a step this version no longer has: the flow starts again, answers kept."""
    session = session.evolve(history=tuple(h for h in session.history if h in flow.steps))
    target = flow.first_step(session, context)
    note = Reply(text=translate(language, "session.moved"), language=language)
    if target is None or target not in flow.steps:
        result = (
            _menu(session, context, language, flows, None)
            if context.actor
            else _idle(session.evolve(flow=None, step=None), UserInput(), context, language, flows)
        )
        return replace(result, replies=(note, *result.replies), accepted=False)
    moved, reply = ask(flow, target, session, context, language)
    return StepResult(moved, (note, reply), accepted=False)


def _start_flow(
    flow_id: str, data: dict[str, Any], session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult:
    flow = flows[flow_id]
    session = keep_draft(session)
    if flow_id == "listing":  # /offre: the offer kept, even after a need kept before it
        session = first_of_kind(session, data.get("kind"))
    draft = session.draft or {}
    if flow_id == "listing" and draft.get("flow") == "listing":
        waiting_kind = (draft.get("data") or {}).get("kind")
        if data.get("kind") and waiting_kind and data["kind"] != waiting_kind:
            # /offre while a need waits: the offer asked for starts, the need stays a draft (said)
            fresh = session.evolve(flow=None, step=None, data={}, history=())
            started = _start_flow(flow_id, data, fresh.evolve(draft=None, later_drafts=()), context, language, flows)
            kept = replace(started, session=started.session.evolve(draft=draft, later_drafts=session.later_drafts))
            return replace(kept, replies=(*_draft_note(kept.session, language), *kept.replies))
        if draft.get(ANNOUNCED) == session.prompt_seq and data.get("kind") == waiting_kind and not _typed_listing(data):
            # the draft announced with the question just answered ("Brouillon gardé : un besoin …" and
            # the menu): "Déclarer un besoin" or /besoin picks it up, never asked again
            return _draft_answer("resume", session.evolve(data={"kind": waiting_kind}), context, language, flows)
        return _offer_draft(dict(data), session, context, language, flows)
    fresh = session.evolve(flow=flow_id, step=None, data=dict(data), history=())
    first = flow.first_step(fresh, context)
    if first is None:
        finish = flow.empty(context) if flow.empty else Finish()
        return _conclude(finish, fresh, context, language, flows)
    # a first question with one possible answer (/diffuser's territory for a coordinator of one commune): taken, and said
    fresh, following, notes = _answer_alone(flow, first, fresh, context, language)
    if following is None:
        result = _finish(flow, fresh, context, language, flows)
        return replace(result, replies=(*notes, *result.replies))
    # said before the first question too when it asks the end of a sentence cut in two (« on cherche qqn pour »)
    arrival = flow.steps[following].arrival if following != first or (flow.id, first) == ("listing", "description") else None
    arriving = arrival(fresh, context, language) if arrival is not None else None
    if arriving:  # « Destinataires : les associations », read from the words that started the flow
        notes = (*notes, Reply(text=arriving, language=language))
    fresh, reply = ask(flow, following, fresh, context, language)
    return StepResult(fresh, (*notes, reply))


def _invitation(code: str, context: Context) -> tuple[str | None, str] | None:
    """Who invites with ``code`` (see :meth:`conversations.model.Lookup.invitation`)."""
    if not code or context.lookup is None:
        return None
    return context.lookup.invitation(code[:64])


SHOWING_DRAFT = frozenset(("besoin", "offre", "annonces", "start"))
"""Commands whose answer already names the draft waiting (offered back, or « 📝 Brouillon gardé »)."""


def _command(name: str, args: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    """A command; one typed at « Je l'enregistre aussi ? » (the other need or offer of a sentence)
    keeps that listing as a draft, said in one line, before it runs: never lost silently."""
    if session.flow != MORE_FLOW or name == "aide" or session.draft:
        return _command_run(name, args, session, context, language, flows)
    kept = keep_draft(session)
    if not kept.draft:
        return _command_run(name, args, session, context, language, flows)
    left = kept.evolve(flow=None, step=None, data={}, history=())
    if name == "annuler":  # that question is cancelled, not the listing it offered: kept, said
        result = _menu(left, context, language, flows, None)
    else:
        result = _command_run(name, args, left, context, language, flows)
    if name in SHOWING_DRAFT:
        return result
    return replace(result, replies=(*_draft_note(left, language), *result.replies))


def _command_run(name: str, args: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    if name.startswith("?"):
        meant = closest_command(name[1:], language)
        canonical = next((known for known, names in COMMANDS.items() if meant in names), None) if meant else None
        if canonical is not None and context.actor is None and session.flow == "onboarding" and canonical not in DURING_ONBOARDING:
            return _meant_after_profile(name[1:], canonical, session, context, language, flows)
        if meant is not None:  # "/besion": did you mean /besoin? ("oui" runs it)
            session = session.evolve(data={**session.data, PROPOSED: {"command": "/" + meant}})
            return _rejected(session, context, language, flows, "error.unknown_command_meant", command="/" + name[1:], meant="/" + meant)
        return _rejected(session, context, language, flows, "error.unknown_command", command="/" + name[1:])
    if name == "aide":
        current = _current(session, context, language, flows)
        if current is not None and session.flow != "menu":  # in the middle of a flow: help on this question
            helped = question_help(current, language, _onboarding(session, context))
            return StepResult(session, (Reply(text=helped, language=language), current))
        text = help_text(language)
        if context.areas:  # each command once: /annuaire is in the coordinators' lines
            if context.actor is not None:
                text += "\n" + translate(language, "help.directory_events_coordinators")
            text += "\n" + translate(language, "help.coordinators") + "\n" + translate(language, "help.alliances_coordinators")
            text += "\n" + translate(language, "help.coordinators_also")
        elif context.actor is not None:
            text += "\n" + translate(language, "help.directory_events")
        if context.is_admin:
            text += "\n" + translate(language, "help.admins")
        replies = [Reply(text=text, language=language)]
        current = _current(session, context, language, flows)
        if current is not None:
            replies.append(current)
        return StepResult(session, tuple(replies))
    if name == "start":
        if not args and session.invite and context.actor is None:  # a code typed before /start, kept
            args = str(session.invite)
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
                key = "invite.welcome_by_in" if by else "invite.welcome_area"  # "X — Villeurbanne (69)": no nested brackets
                welcome = replace(welcome, text=translate(language, key, by=by or "", area=area) + "\n" + welcome.text)
            resumed = _resume_onboarding(session, context, language, flows)
            if resumed is not None:
                return replace(resumed, replies=(*notes, *resumed.replies))
            data, session, introduced = _introduction(session, context, language, flows)
            result = _start_flow("onboarding", data, session, context, language, flows)
            return replace(result, replies=(*notes, welcome, *introduced, *result.replies))
        hello = Reply(text=translate(language, "menu.welcome_back", name=context.actor.name), language=language)
        current = _current(session, context, language, flows)
        if current is not None and session.flow != "menu":  # nothing typed so far is dropped
            where = where_line(session, context.decisions, language)
            lines = (Reply(text=where, language=language),) if where else ()
            return StepResult(session, (*notes, hello, *_draft_note(session, language), *lines, current))
        menu = _menu(session, context, language, flows, None)
        return replace(menu, replies=(*notes, hello, *_draft_note(menu.session, language), *menu.replies), next_question=0)
    if name == "annuler":
        if context.actor is None:
            if session.flow == "onboarding" and session.step is not None and _answered(session.data):
                # the answers so far are kept: /start resumes where the person stopped
                kept = {"step": session.step, "data": dict(session.data), "history": list(session.history)}
                stopped = session.evolve(flow=None, step=None, data={ONBOARDING_KEPT: kept}, history=())
                return StepResult(stopped, (Reply(text=translate(language, "cancel.onboarding_kept"), language=language),))
            cleared = session.evolve(flow=None, step=None, data={}, history=())
            if context.areas:  # a coordinator without a profile: not "/start", what they can do
                lead = "cancel.nothing_open" if session.flow in (None, "menu") else "cancel.coordinator_no_profile"
                return StepResult(cleared, (Reply(text=_coordinator_commands(lead, language), language=language),))
            return StepResult(cleared, (Reply(text=translate(language, "cancel.not_registered"), language=language),))
        left_flow = in_flow(session)
        if session.flow == "settings":  # « annuler » in /reglages opened in the middle of a need: the settings only
            cancelled_note = Reply(text=translate(language, "cancel.done"), language=language)
            interrupted = session.data.get(INTERRUPTED)
            returned = _back_to_interrupted(interrupted, session, (cancelled_note,), (), context, language, flows)
            if returned is not None:
                return returned
        if session.flow in DRAFT_FLOWS and session.step is not None and _written(session.data, (CUT,)):
            # « annuler » at « Je garde les 1000 premiers ? »: the text typed is never lost, kept as a draft
            drafted = _menu(session, context, language, flows, "cancel.draft_kept")
            note = _draft_note(drafted.session, language)
            drafted = replace(drafted, replies=(drafted.replies[0], *note, *drafted.replies[1:]))
            return replace(drafted, next_question=0) if left_flow else drafted
        cancelled = _menu(session, context, language, flows, _cancelled_key(session, context), keep=False)
        return replace(cancelled, next_question=0) if left_flow else cancelled
    if name == "coordinateur":
        if not context.is_admin:
            return _rejected(session, context, language, flows, "coord.admins_only")
        return _start_flow("coordinator", {}, session, context, language, flows)
    if name == "annuaire" and (context.areas or context.actor is not None):  # coordinators and actors alike
        return _start_flow("directory", {}, session, context, language, flows)
    own = own_events_text(context) if name == "evenements" else None
    if own is not None:  # a coordinator's own events first (and how to change one), then those they were invited to
        own_told = Reply(text=own, language=language)
        if context.actor is not None:
            listed = _start_flow("events", {}, session, context, language, flows)
            return replace(listed, replies=(own_told, *listed.replies))
        current = _current(session, context, language, flows)
        return StepResult(session, (own_told, *((current,) if current else ())))
    if name == "evenements" and context.actor is not None:  # the events one was invited to
        return _start_flow("events", {}, session, context, language, flows)
    if name in COORDINATOR_COMMANDS or name in GROUP_COMMANDS:
        if not context.areas:
            return _rejected(session, context, language, flows, "coord.coordinators_only")
        flow_id = {**COORDINATOR_COMMANDS, **GROUP_COMMANDS}[name]
        if args.strip() and name in ("appels", "reponses"):
            return _call_command(name, flow_id, args, session, context, language, flows)
        return _start_flow(flow_id, {}, session, context, language, flows)
    if context.actor is None and name == "supprimer":  # what an unfinished onboarding stored
        back = {"step": session.step, "data": dict(session.data), "history": list(session.history)}
        data = {ONBOARDING_BACK: back} if session.flow == "onboarding" and session.step is not None else {}
        return _start_flow("delete", data, session.evolve(flow=None, step=None, data={}, history=()), context, language, flows)
    if name == "mesdonnees":
        current = _current(session, context, language, flows) if session.flow == "onboarding" else None
        return StepResult(session, (_export(session, context, language), *((current,) if current else ())))
    if context.actor is None and name == "reglages" and context.areas:  # a coordinator's own settings
        return _start_flow("settings", {}, session, context, language, flows)
    if context.actor is None:
        kind = {"besoin": "need", "offre": "offer"}.get(name)
        if kind and _worded(args) and session.flow == "onboarding" and session.step is not None and not session.draft:
            # « /besoin un camion… » while making the profile: the need kept as a draft, the question asked again
            return _kept_as_draft(replace(guess_listing(args), kind=kind), args, session, context, language, flows)
        if session.flow == "onboarding" and session.step is not None:  # not "type /start": it is under way
            return _onboarding_under_way(session, context, language, flows)
        if context.areas and name == "menu":  # a coordinator without a profile: the open question left, their commands
            left = session.evolve(flow=None, step=None, data={}, history=())
            return StepResult(left, (Reply(text=_coordinator_commands("menu.coordinator_no_profile", language), language=language),))
        if context.areas and name == "programme":  # the companies' command: point to the coordinators' one
            return StepResult(session, (Reply(text=translate(language, "programme.for_companies"), language=language),), accepted=False)
        if context.areas:
            return StepResult(session, (Reply(text=_not_registered(context, language), language=language),), accepted=False)
        profile_stopped = isinstance(session.data.get(ONBOARDING_KEPT), dict)  # « stop » at the name, then /besoin: /start resumes it
        return _rejected(session, context, language, flows, "idle.profile_kept" if profile_stopped else "idle.not_registered")
    if name == "menu":
        return _menu_keeping_waiting(session, context, language, flows)
    if name in ACTOR_COMMANDS:
        return _start_flow(ACTOR_COMMANDS[name], {}, session, context, language, flows)
    if name in COMMAND_FLOWS:
        flow_id, data = COMMAND_FLOWS[name]
        if flow_id == "settings" and session.flow in DRAFT_FLOWS and session.step is not None and in_flow(session):
            data = {**data, INTERRUPTED: session.step}  # /reglages in the middle of a need: its question comes back after
        if name in ("besoin", "offre") and _worded(args):  # « /besoin un camion pour samedi »: typed once, never twice
            typed = _listing_from_sentence(args, session, context, language, flows, kind=data["kind"], after_command=True)
            if typed is not None:
                return typed
        result = _start_flow(flow_id, data, session, context, language, flows)
        if INTERRUPTED in data and (result.session.draft or {}).get("step") == data[INTERRUPTED]:
            return replace(result, replies=(_interrupted_kept(result.session.draft or {}, language), *result.replies))
        if name == "annonces":  # the drafts too, and how to delete them
            return replace(result, replies=(*_draft_note(result.session, language, deletable=True), *result.replies))
        if name == "profil":
            summary = Reply(text=profile_summary(context), language=language)
            return replace(result, replies=(summary, *result.replies))
        return result
    if name == "suggestions":
        return _suggestions(session, context, language, flows)
    if name in ("pause", "reprendre"):
        key, params, effects = "resume.done", {}, (UpdateActor(dict(RESUMED)),)
        if name == "pause":  # « /pause jusqu'au 15 janvier », « /pause pendant 2 semaines »: its end, said
            end = read_pause_end(args, context.now.date())
            if end.error is not None:  # a day past, or words read as no end: said, nothing changed
                return _rejected(session, context, language, flows, end.error)
            until = iso(pause_until(end.day, context.now)) if end.day is not None else None
            said = pause_said(until, context.now, language)  # as « En pause » in /reglages: one pause
            key, params, effects = said["message"], said["params"], said["effects"]
        current = _current(session, context, language, flows) if session.flow in DRAFT_FLOWS and in_flow(session) else None
        if current is not None:  # /pause in the middle of a need or an offer: done, and its question comes back
            where = where_line(session, context.decisions, language)
            paused_lines = (translate(language, key, **params), where)
            told: tuple[Reply, ...] = tuple(Reply(text=line, language=language) for line in paused_lines if line)
            return StepResult(session, (*told, current), effects)
        return _menu(session, context, language, flows, key, effects=effects, **params)
    return _rejected(session, context, language, flows, "error.unknown_command", command="/" + name)


def _interrupted_kept(draft: Mapping[str, Any], language: str) -> Reply:
    """What /reglages opened in the middle of a need or an offer says first: it is kept, and how it comes back
    (and, its sentence cut in two, that its end typed here goes on with it)."""
    description = str((draft.get("data") or {}).get("description") or "")
    key = "settings.listing_kept_unfinished" if description and unfinished(description) else "settings.listing_kept"
    return Reply(text=translate(language, key, draft=draft_summary(draft, language)), language=language)


def _worded(text: str) -> bool:
    """Whether the text after a command says something (three letters at least), not a stray sign."""
    return sum(ch.isalpha() for ch in text) >= 3


def _call_command(
    name: str, flow_id: str, args: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult:
    """``/appels 3``, ``/reponses 3``: the call a coordinator names by the number shown to them
    (also ``n°3`` or ``#3``); a number none of their calls has: said, then the list."""
    if name == "reponses":
        broadcast_id = answers_call(args, context)
        if broadcast_id is not None:
            fresh = keep_draft(session).evolve(flow=flow_id, step=None, data={"broadcast": str(broadcast_id)}, history=())
            return _finish(flows[flow_id], fresh, context, language, flows)
    else:
        value = listed_call(args, context)
        if value is not None:
            return _start_flow(flow_id, {"call": value}, session, context, language, flows)
    unknown = Reply(text=translate(language, "calls.unknown_number", number=args.strip()[:20]), language=language)
    result = _start_flow(flow_id, {}, session, context, language, flows)
    return replace(result, replies=(unknown, *result.replies))


def _pointed(session: Session, context: Context, language: str, flows: Mapping[str, Flow], key: str) -> StepResult:
    """An answer pointing to the commands that do what was asked, then the current question (or the
    menu, or how to start): nothing changes."""
    current = _current(session, context, language, flows)
    if current is None and context.actor is not None:
        return _menu(session, context, language, flows, key)
    after = (current,) if current is not None else (Reply(text=_not_registered(context, language), language=language),)
    return StepResult(session, (Reply(text=translate(language, key), language=language), *after), accepted=False)


DURING_ONBOARDING = frozenset(("aide", "annuler", "mesdonnees", "supprimer", "start"))
"""The commands that work while a profile is being made (the others wait for it)."""


def _meant_after_profile(
    typed: str, meant: str, session: Session, context: Context, language: str, flows: Mapping[str, Flow]
) -> StepResult:
    """ "/besion" (``meant``: the canonical name) during onboarding: never a correction that would then be refused. /besoin or /offre
    is kept as a draft that the end of the profile announces (and /besoin resumes); another command
    is said to come once the profile is made."""
    command, wanted = "/" + typed, command_name(meant, language)
    kind = {"besoin": "need", "offre": "offer"}.get(meant)
    if kind is not None and not session.draft:
        session = session.evolve(draft={"flow": "listing", "step": "category", "data": {"kind": kind}, "history": []})
        return _rejected(session, context, language, flows, "error.unknown_command_kept", command=command, meant="/" + wanted)
    return _rejected(session, context, language, flows, "error.unknown_command_after_profile", command=command, meant="/" + wanted)


def _cancelled_key(session: Session, context: Context) -> str:
    """What « annuler » says it did: nothing deleted (/supprimer), the question still waiting (a
    suggestion, a call: only left for now), else nothing saved."""
    if session.flow == "delete":
        return "cancel.nothing_deleted"
    if session.flow in (None, "menu"):  # « /annuler » at the menu: nothing was under way, nothing to reassure about
        return "cancel.nothing_open"
    token = current_token(session) if session.flow == DECISION_FLOW else None
    view = next((d for d in context.decisions if d.token == token), None) if token is not None else None
    if view is not None:
        return "cancel.suggestion_kept" if view.kind == "suggestion" else "cancel.question_kept"
    return "cancel.done"


def _onboarding(session: Session, context: Context) -> bool:
    """Whether the profile is being made: « menu » and the commands wait until it is (« annuler » stops)."""
    return context.actor is None and session.flow == "onboarding"


def _onboarding_under_way(session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    """A command that needs a profile, typed while creating it: say so and ask the current question again."""
    text = translate(language, "onboarding.in_progress", cancel=command_name("annuler", language))
    current = _current(session, context, language, flows)
    return StepResult(session, (Reply(text=text, language=language), *((current,) if current else ())), accepted=False)


def _menu_keeping_waiting(session: Session, context: Context, language: str, flows: Mapping[str, Flow]) -> StepResult:
    """``menu``: the menu, after a note naming the question that waits (with its buttons, still answerable).

    The waiting question is the decision being answered, or else the first one of the queue; it stays
    open and comes back as the current question once the person is done with what they pick. Idle or
    already at the menu (no flow under way, no question being answered), nothing would bring it back:
    the first waiting one is shown at once, after the menu, as the current question (a call answered
    by typing is shown whole in the note, as before: what is typed next answers it).
    """
    result = _menu(session, context, language, flows, None)
    token = current_token(session)
    view = next((v for v in context.decisions if v.token == token), None) if token else None
    if view is None:
        queue = waiting(context.decisions)
        if queue and token is None and not in_flow(session) and not takes_free_text(queue[0]):
            presented, reply = present(queue[0], context.decisions, result.session, language)
            # one set of numbers per reply: the question's, shown last; the menu in words (its commands)
            return replace(result, session=presented, replies=(_menu_in_words(language), reply))
        view = queue[0] if queue else None
    if view is None:
        return result
    question = decision_reply(view, language)
    if takes_free_text(view):  # answered by typing here: the question whole, never cut
        text = translate(language, "queue.waiting_note_whole", question=question.text)
    else:
        text = translate(language, "queue.waiting_note", topic=topic(view, language))
        text += "\n" + translate(language, "queue.waiting_held")
    # held, without its choices: the menu's numbers are the only ones live ("1" is never the question's)
    note = Reply(text=text, language=language)
    return replace(result, replies=(note, *result.replies))


def _menu_in_words(language: str) -> Reply:
    """The menu as its commands, without numbers: shown above a question whose numbers are the only live ones."""
    entries = ", ".join(
        translate(language, "menu.in_words_entry", command="/" + command_name(entry, language), label=translate(language, f"menu.{entry}"))
        for entry in MENU_ENTRIES
    )
    return Reply(text=translate(language, "menu.in_words", entries=entries), language=language)


def _menu(
    session: Session,
    context: Context,
    language: str,
    flows: Mapping[str, Flow],
    message: str | None,
    effects: tuple[Any, ...] = (),
    keep: bool = True,
    **params: Any,
) -> StepResult:
    if keep:
        session = keep_draft(session)
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


def question_help(current: Reply, language: str, onboarding: bool = False) -> str:
    """``aide`` typed while ``current`` is asked: what it expects (its options), how to leave it,
    and where the list of commands is — while the profile is being made (``onboarding``), only what
    works then: « annuler », never « menu » (there is none yet)."""
    choices = [choice for choice in current.choices if choice.value not in (BACK, SKIP)]  # "↩ Retour": not an answer
    options = ", ".join(choice.label for choice in choices)
    if not choices:
        expects = translate(language, "help.question_text")
    elif current.multi:
        expects = translate(language, "help.question_multi", options=options)
    else:
        expects = translate(language, "help.question_choice", options=options)
        if current.meta.get("takes_text"):
            expects += " " + translate(language, "help.question_or_text")
        if current.meta.get("no_in_words"):  # a call's only button, « Intéressé·e »: its no is typed
            expects += " " + translate(language, "help.question_or_no")
    suffix = "_onboarding" if onboarding else ""
    leave, commands = translate(language, f"help.question_leave{suffix}"), translate(language, f"help.question_commands{suffix}")
    return "\n".join((expects, leave, commands))


def help_text(language: str) -> str:
    """The list of commands with a line each, in ``language``."""
    lines = [translate(language, "help.intro")]
    for name in (
        "start",
        "menu",
        "besoin",
        "offre",
        "suggestions",
        "recommander",
        "programme",
        "annonces",
        "profil",
        "reglages",
        "pause",
        "reprendre",
        "mesdonnees",
        "supprimer",
        "annuler",
        "aide",
    ):
        lines.append(f"/{command_name(name, language)} — {translate(language, f'command.{name}')}")
    lines.append(translate(language, "help.outro"))
    return "\n".join(lines)


def export_json(context: Context, session: Session | None = None) -> str:
    """Everything stored about the person, as indented JSON (answers of an unfinished flow, and a
    listing left half-way as a draft, included)."""
    actor = context.actor
    in_progress = {} if session is None else {"conversation": {"flow": session.flow, "step": session.step, "data": session.data}}
    draft = keep_draft(session).draft if session is not None else None
    if actor is None:
        identity = context.identity
        document: dict[str, Any] = {
            "actor": None,
            "identities": [
                {
                    "platform": identity.platform,
                    "user_id": identity.user_id,
                    "display_name": identity.display_name,
                    "handle": identity.handle,
                }
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
        **(
            {"draft": {"flow": draft.get("flow"), "answers": {k: v for k, v in (draft.get("data") or {}).items() if not k.startswith("_")}}}
            if draft
            else {}
        ),
        **(
            {
                "later_drafts": [
                    {"flow": later.get("flow"), "answers": {k: v for k, v in (later.get("data") or {}).items() if not k.startswith("_")}}
                    for later in session.later_drafts
                ]
            }
            if session is not None and session.later_drafts
            else {}
        ),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
