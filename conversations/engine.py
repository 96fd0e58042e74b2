"""The pure conversation engine: ``advance(session, user_input, context) -> StepResult``.

No I/O here: the runtime loads the :class:`~conversations.model.Context`, calls
:func:`advance`, then stores the new session and the effects in one transaction before the
replies are sent. Flows are data (:mod:`conversations.flows`); this module only walks them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from conversations.i18n import LANGUAGES, normalise_language, translate, translate_counted
from conversations.model import Context, Effect, Place, Session
from conversations.understanding import (
    ALL_WORDS,
    Exclusion,
    agrees,
    answers_yes_no,
    choice_reading,
    contact_detail,
    contact_spans,
    corrected_place,
    excerpt,
    find_email,
    find_phone,
    fold,
    free_sentence,
    labels_in_sentence,
    list_excluded,
    list_named,
    match_choice,
    means_all,
    means_both,
    negated,
    number_and_label,
    number_list,
    option_number,
    phrases_in_sentence,
    place_after_no,
    place_queries,
    place_said,
    radius_named,
    says_done,
    shorten,
    unfinished,
    without_as_said,
    without_hedges,
    without_place_details,
    word_count,
    yes_no,
)
from core.types import Choice, Reply
from territories.model import namesakes

BACK = "_back"
SKIP = "_skip"
NONE_OF_THESE = "_none"
DECLINED = "_declined_places"
"""Session data: the codes of the communes answered « non » at the commune question, never proposed again by its prefill."""
KEEP_CUT = "_keep"
REWRITE = "_rewrite"
CUT = "_cut"
PREVIOUS = "_previous"
"""Session data: the answer a text question had before "retour" came back to it, offered to keep."""
KEEP_PREVIOUS = "_keep_previous"
SEARCHED = "_searched"
"""Session data: the communes proposed at a commune question were found from what was typed at it (not read in a sentence
nor offered back after "retour"): "retour" then goes back to that question, before the proposal."""
START = "_start"
"""Session data: words typed too short to be a text answer (« /besoin salle »), kept as its start: the question says so, and
the answer typed next is added to them."""
SEEN_PLACES = "_seen_places"
"""Session data: {"codes": [...], "departements": [...]} of the communes shown at the commune question: the person's
territory, whose communes a later search puts before far-away namesakes (« non c vaulx » after Villeurbanne (69))."""
KEPT_CONTACT = "_kept_contact"
"""Session data: an e-mail or a phone typed at a choice of the profile being made (the themes), kept for its contact
question: offered there (« Je reprends kate@… ? ») and taken by a yes."""
PROPOSED = "_proposed"
"""Session data: the single reading the bot just proposed ("Vouliez-vous dire …?"), which a yes takes."""
MAX_INPUT_CHARS = 4000

StepKind = Literal["choice", "multi", "text", "territory"]


@dataclass(frozen=True, slots=True)
class UserInput:
    """What the person sent, platform-neutral: text, or a button press for a prompt."""

    text: str | None = None
    choice: str | None = None
    choices: tuple[str, ...] | None = None
    prompt_id: str | None = None


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a question: a stable value and a label (translation key or literal)."""

    value: str
    key: str | None = None
    label: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    number: int | None = None
    """The number that names it (a call's n°3): typed, it means this option, not the third one."""
    words: tuple[str, ...] = ()
    """Other words that choose this option when typed, in any language ("mairie" for Collectivité)."""
    takes_all: bool = False
    """This option says yes to every other one (« Oui aux deux »): "les deux", "both", "tous" choose it."""

    def render(self, language: str) -> str:
        """The label shown to the person."""
        if self.label is not None:
            return self.label
        return translate(language, self.key or self.value, **self.params)


OptionsSource = Sequence[Option] | Callable[[Session, Context], Sequence[Option]]
NextStep = str | None | Callable[[Mapping[str, Any]], str | None]
Params = Callable[[Session, Context], Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Step:
    """One question of a flow. ``next`` is a step id, None to finish, or a function of the answers."""

    id: str
    kind: StepKind
    prompt: str
    next: NextStep = None
    options: OptionsSource = ()
    params: Params | None = None
    store: str | None = None
    convert: Callable[[Any], Any] | None = None
    skippable: bool = False
    min_length: int = 1
    max_length: int = 280
    validate: Callable[[str], str | None] | None = None
    preselect: Callable[[Session, Context], Sequence[str]] | None = None
    min_selected: int = 1
    typed_adds: bool = False
    """Multi steps: names typed add to what is ticked ("sans …" takes out) instead of replacing it (profile themes)."""
    edit: Callable[[str, Session, Context, str], Answer | None] | None = None
    """Multi steps: the flow reads typed text first (a working group's list: a name ticks or unticks
    an actor, "ajouter …" adds one); None: read as usual (numbers, labels). With ``edit``,
    ``preselect`` says what is ticked now, the step's answer included."""
    asks_yes_no: Callable[[Session], bool] | None = None
    """Multi steps with ``edit``: whether the flow's own yes/no question is pending (a group's « Je
    l'ajoute ? (oui / non) »): a yes or a no then answers it, and never finishes the list."""
    echo: Callable[[Any, str | None, Session, Context, str], str | None] | None = None
    """One short line said once the answer is stored (the value, the text typed or None, the session
    before it, the language): what was noted, and words typed with it that were not used."""
    arrival: Callable[[Session, Context, str], str | None] | None = None
    """A note said once, before the step's question, when the flow arrives at it (the names a search
    did not find); never again when the question is asked again (an error, an edit, "retour")."""
    lines_are_items: bool = False
    """Text steps: each line typed is one item of a list, stored separated by commas."""
    territory_kinds: tuple[str, ...] = ("commune", "arrondissement")
    check: Callable[[Any, Session, Context], str | None] | None = None
    """Refuse an otherwise valid answer (returns a translation key), e.g. a place outside an area."""
    settle: Callable[[Any, Session, Context], Any] | None = None
    """The form stored of a checked answer, read against the step's clock ("demain 9h" → its moment):
    it keeps meaning what it meant when typed, even if the flow ends after midnight."""
    prefill: Callable[[Session, Context], list[dict[str, Any]]] | None = None
    """Territory steps: candidates to propose before anything is typed (e.g. an invitation's commune)."""
    understand: Callable[[str], Any] | None = None
    """Choice steps: a value read from free text (e.g. an e-mail in a sentence), None when there is none;
    may raise :class:`InputError` for text that is almost right (an e-mail without its domain)."""
    understand_in: Callable[[str, Session, Context], Any] | None = None
    """Like ``understand``, reading what the person's data allows ("je m'inscris" at a list of
    events: the only one listed); may raise :class:`InputError` to ask the one question needed."""
    lenient: bool = True
    """Choice steps: accept prefixes, typos and yes/no words; False keeps exact labels and numbers (deletion)."""
    yes_takes_first: bool = False
    """Choice steps: a yes takes the first option, the sensible default ("oui" at « sur quelle zone ? »: the profile's commune)."""
    announce_limit: bool = False
    """Text steps: say the length limit in the question."""
    cut_long: bool = False
    """Text steps: propose the first ``max_length`` characters of an over-long answer instead of refusing it."""
    tidy: Callable[[str], str] | None = None
    """Text steps: what of the answer is kept (a description without its "Bonjour" and "merci")."""
    takes_text: bool = False
    """Choice steps that also understand a written answer (the contact, the menu): text platforms say so."""
    ticked_prompt: str | None = None
    """Multi steps with ``preselect``: the question when what is ticked is not what ``preselect``
    ticks (an answer offered back after « retour »), naming what is (``{ticked}``): the question
    never says « tous sont cochés » of a selection that changed."""
    auto: Callable[[Session, Context], Option | None] | None = None
    """The only possible answer, when there is just one (a search with a single match; an option
    without label: a question with nothing to ask, such as a Telegram link when no member is on
    Telegram); the step is then not asked: it takes that answer, and the next question starts by
    naming it when it has a label."""

    @property
    def field(self) -> str:
        """The key under which the answer is stored in the session data."""
        return self.store or self.id


@dataclass(frozen=True, slots=True)
class Finish:
    """What a flow does once its last step is answered."""

    message: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    effects: tuple[Effect, ...] = ()
    then_menu: bool = True
    language: str | None = None
    reset: bool = False
    extra: tuple[Reply, ...] = ()
    count: int | None = None
    """With a count, ``message`` is a plural message (``msgid_plural``): "Vos 2 offres sont enregistrées"."""


@dataclass(frozen=True, slots=True)
class Flow:
    """A guided conversation: steps by id, the first step, and what to do at the end."""

    id: str
    steps: Mapping[str, Step]
    first: str | Callable[[Session, Context], str | None]
    finish: Callable[[Mapping[str, Any], Context], Finish]
    requires_actor: bool = True
    empty: Callable[[Context], Finish] | None = None

    def first_step(self, session: Session, context: Context) -> str | None:
        """The id of the first step to ask, or None when there is nothing to ask."""
        return self.first(session, context) if callable(self.first) else self.first


class InputError(Exception):
    """The answer does not fit the question; ``key`` is the translated explanation."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


# ---------------------------------------------------------------- text helpers


def language_of(session: Session, context: Context) -> str:
    """The language to answer in: the profile's, the session's, the platform's, the default."""
    if context.actor is not None:
        return context.actor.language
    return session.language or normalise_language(context.identity.language_code) or context.default_language


# ---------------------------------------------------------------- questions


def options_of(step: Step, session: Session, context: Context) -> list[Option]:
    """The options of ``step`` for this person, with back/skip/none added where they apply."""
    base = list(step.options(session, context) if callable(step.options) else step.options)
    if step.kind == "text" and session.data.get(CUT) is not None:
        base = [Option(KEEP_CUT, key="text.keep_cut"), Option(REWRITE, key="text.rewrite")]
    elif step.kind == "text" and isinstance(session.data.get(PREVIOUS), str):  # back here: « Garder « X » »
        base = [Option(KEEP_PREVIOUS, key="text.keep_previous", params={"text": shorten(session.data[PREVIOUS], 40)}), *base]
    if step.kind == "territory":
        base = [Option(c["code"], label=c["label"]) for c in session.data.get("_candidates", [])]
        if base:
            base.append(Option(NONE_OF_THESE, key="territory.none_of_these"))
    if step.skippable:
        base.append(Option(SKIP, key="common.skip"))
    if session.history and step.kind != "multi":
        base.append(Option(BACK, key="common.back"))
    return base


def question(step: Step, session: Session, context: Context, language: str) -> Reply:
    """The message that asks ``step``."""
    params = dict(step.params(session, context)) if step.params else {}
    prompt_key = step.prompt
    if step.kind == "territory" and session.data.get("_candidates"):
        candidates = session.data["_candidates"]
        if len(candidates) == 1:
            prompt_key = "territory.confirm"
            params["place"] = candidates[0]["label"] + (f" — {candidates[0]['parent']}" if candidates[0].get("parent") else "")
        else:
            prompt_key = "territory.pick"
    if step.kind == "text" and session.data.get(CUT) is not None:
        prompt_key = "text.propose_cut"
        params = {"text": excerpt(session.data[CUT]), "maximum": step.max_length}
    elif step.kind == "text" and isinstance(session.data.get(START), str) and not session.data.get(step.field):
        prompt_key = "text.complete_start"  # « /besoin salle »: too short, kept as the start of what comes next
        params = {**params, "text": excerpt(session.data[START], 40), "minimum": step.min_length}
    options = options_of(step, session, context)
    if step.kind == "multi" and step.ticked_prompt is not None and step.preselect is not None and prompt_key == step.prompt:
        ticked = _current_selection(step, session, context)
        if set(ticked) != set(step.preselect(session, context)):  # the header says what is ticked, not the default
            prompt_key = step.ticked_prompt
            named = [o.render(language) for o in options if o.value in ticked]
            params["ticked"] = ", ".join(named) if named else translate(language, "common.nothing_ticked")
    choices = tuple(Choice(o.value, o.render(language), o.number) for o in options)
    if step.kind == "territory" and len(session.data.get("_candidates", [])) == 1:
        choices = tuple(
            Choice(c.value, translate(language, "common.yes"))
            if c.value == session.data["_candidates"][0]["code"]
            else Choice(c.value, translate(language, "territory.retype"))
            if c.value == NONE_OF_THESE
            else c
            for c in choices
        )
    selected = tuple(_current_selection(step, session, context)) if step.kind == "multi" else ()
    meta: dict[str, Any] = {"takes_text": True} if step.takes_text else {}
    if prompt_key == "territory.confirm":  # "Villeurbanne (69) ?": 1. Oui  2. Non, retaper
        meta["yes_no"] = (1, 2)
    elif step.kind == "choice" and step.lenient and (numbers := yes_no_numbers([o.value for o in options])):
        meta["yes_no"] = numbers  # a strict question (deleting a profile) wants the exact label instead
    text = translate_counted(language, prompt_key, **params)
    if step.kind == "text" and step.announce_limit and prompt_key == step.prompt:
        text += "\n" + translate(language, "text.limit", maximum=step.max_length)
    return Reply(
        text=text,
        choices=choices,
        multi=step.kind == "multi",
        selected=selected,
        submit_label=translate(language, "common.submit") if step.kind == "multi" else None,
        prompt_id=session.prompt_id,
        language=language,
        meta=meta,
    )


# ---------------------------------------------------------------- answers


def _labels(option: Option, language: str) -> list[str]:
    return [option.render(language), option.value, *option.words]


def _close_error(close: Sequence[int], options: Sequence[Option], language: str) -> InputError:
    """Ask again with the two or three options the text could mean."""
    listed = ", ".join(f"{i + 1}. {options[i].render(language)}" for i in sorted(close))  # in the order of the question
    return InputError("error.ambiguous", options=listed)


YES_VALUES = frozenset({"yes", "accept", "present", "renew", "join", "on", "send", "publish"})
"""Option values that a typed "oui", "ok", "d'accord"… chooses (yes/no questions, an introduction
request's "Oui, avec plaisir", a suggestion's "Me présenter", a renewal, a working group's "Je rejoins", a setting's "Oui, prévenez-moi", a coordinator's "Envoyer" or
"Publier" — whose "non" is "Annuler")."""
NO_VALUES = frozenset({"no", "refuse", "decline", "close", "off", "cancel"})
FIRST_YES_VALUES = frozenset({"interested", "resume"})
"""Option values that a typed yes chooses when they come first, at a question without a no: a call's
« Intéressé·e » (its only button), « Reprendre où j'en étais » (before « Recommencer »)."""


def yes_no_numbers(values: Sequence[str]) -> tuple[int, int] | None:
    """The numbers (from 1) of the yes and of the no of a yes/no question — exactly one option that
    means yes and one that means no, besides back and skip — else None. Whatever the labels
    ("Oui, avec plaisir", "Renouveler"), such a question is answered "oui"/"non" or by these numbers."""
    if any(value not in YES_VALUES and value not in NO_VALUES and value not in (BACK, SKIP) for value in values):
        return None
    yes = [index for index, value in enumerate(values, start=1) if value in YES_VALUES]
    no = [index for index, value in enumerate(values, start=1) if value in NO_VALUES]
    return (yes[0], no[0]) if len(yes) == 1 and len(no) == 1 else None


def _yes_no_error(error: InputError, options: Sequence[Option]) -> InputError:
    """At a yes/no question, a wrong answer is told to answer yes or no (not "choose a number")."""
    numbers = yes_no_numbers([o.value for o in options])
    if numbers is None or error.key not in YES_NO_ERRORS:
        return error
    return InputError("error.expected_yes_no", yes=numbers[0], no=numbers[1])


YES_NO_ERRORS = frozenset(
    {"error.expected_choice", "error.sentence_not_option", "error.one_choice", "error.out_of_range", "error.out_of_range_one"}
)
"""The generic refusals that become "answer yes or no" at a yes/no question."""
YES_NO_MAX_OPTIONS = 4
"""A question with more options than this (a menu of actions) is not answered by "oui" or "non"."""


def _yes_no_option(text: str, options: Sequence[Option]) -> Option | None:
    """The yes (or no) option a short answer says ("oui volontiers"); None for a longer sentence that
    merely starts with "oui" ("Oui on peut tenir un stand avec nos légumes du jardin !")."""
    said = answers_yes_no(text)  # « Oui ! On sera là avec nos bénévoles »: a yes, whatever its length
    if said is None or len([o for o in options if o.value not in (BACK, SKIP)]) > YES_NO_MAX_OPTIONS:
        return None  # a menu of actions is no yes/no question: "non" at /annonces never closes a listing
    wanted = YES_VALUES if said else NO_VALUES
    found = [o for o in options if o.value in wanted]
    if said and not found and options and options[0].value in FIRST_YES_VALUES:
        return options[0]  # « oui » at a call's « Intéressé·e », at « Reprendre où j'en étais / Recommencer »
    return found[0] if len(found) == 1 else None


def parse_choice(text: str, options: Sequence[Option], language: str, lenient: bool = True) -> Option:
    """One option from typed text: its number, its label or value, a unique prefix, a typo,
    yes/no words when the options are yes and no (``lenient``), else :class:`InputError`.
    Labels in the person's language come first; text that none of them fits is tried against
    the labels of the other languages ("Company" is "Entreprise" whatever the language shown)."""
    try:
        return _parse_choice(text, options, language, lenient)
    except InputError as error:
        for other in LANGUAGES:
            if other != language:
                try:
                    return _parse_choice(text, options, other, lenient)
                except InputError:
                    pass
        raise (_yes_no_error(error, options) if lenient else error) from None


def choice_language(text: str, options: Sequence[Option], language: str, multi: bool = False) -> str | None:
    """The other language whose labels understand ``text`` when those of ``language`` do not."""
    parse = _parse_multi if multi else _parse_choice
    understood = []
    for lang in LANGUAGES:
        try:
            parse(text, options, lang)
            understood.append(lang)
        except InputError:
            pass
    return understood[0] if len(understood) == 1 and understood[0] != language else None


RADIUS_PREFIX = "radius:"
"""The value of a zone option "N km autour de …" is this prefix and N."""
_NAMED_NUMBER = re.compile(r"(?:n\s*°|n[or]\.?|#)?\s*(\d{1,9})")
"""A number as options named by their own number are typed: "3", "n°3", "no 3", "#3"."""


READ_PAST = frozenset({"error.expected_choice", "error.sentence_not_option", "error.did_you_mean", "error.ambiguous"})
"""The refusals after which the option a sentence names is read past the words around it (:func:`choice_reading`)."""


def _parse_choice(text: str, options: Sequence[Option], language: str, lenient: bool = True) -> Option:
    """:func:`_parse_choice_as_typed`, then, refused, the option named without the words around it
    (« je prends chaque mois », « une fois par mois ça suffira », "switch to French please")."""
    try:
        return _parse_choice_as_typed(text, options, language, lenient)
    except InputError as error:
        if not lenient or error.key not in READ_PAST or (free_sentence(text) and "?" in text):
            raise
        radius = radius_named(text)
        around = [o for o in options if radius is not None and o.value == f"{RADIUS_PREFIX}{radius}"]
        if around:  # « 10 km c bien », "within 10 km is fine": the radius offered that it names
            return around[0]
        reading = choice_reading(text)
        if reading is None:
            raise
        try:
            return _parse_choice_as_typed(reading, options, language, lenient)
        except InputError:
            raise error from None


def _parse_choice_as_typed(text: str, options: Sequence[Option], language: str, lenient: bool = True) -> Option:
    folded = option_number(text) or fold(text).strip(" .!?")  # « (1) », « "1" », « 1) »: the number
    numbered = [o for o in options if o.number is not None]
    with_label = number_and_label(text) if not numbered else None
    if with_label is not None and 1 <= with_label[0] <= len(options):  # « 1. Association », « 1 - association »
        try:
            said = _parse_choice_as_typed(with_label[1], options, language, lenient)
        except InputError:
            said = None
        if said is options[with_label[0] - 1]:  # the number and the label agree ("12 bénévoles" is no option 1)
            return said
    named = _NAMED_NUMBER.fullmatch(folded) if numbered else None
    if named is not None:  # the list shows the options' own numbers: a typed number means one of them
        found = [o for o in numbered if o.number == int(named[1])]
        if found:
            return found[0]
        raise InputError("error.no_such_number", numbers=", ".join(str(o.number) for o in numbered))
    if folded.isdigit():
        index = int(folded)
        if 1 <= index <= len(options):
            return options[index - 1]
        distance = [o for o in options if o.value == f"{RADIUS_PREFIX}{index}"]
        if distance:  # "35" at a zone question whose options go to 7: the 35 km around, not a number of the list
            return distance[0]
        raise InputError("error.out_of_range" if len(options) > 1 else "error.out_of_range_one", count=len(options))
    # an option's value is an internal code ("yes"), never what a strict step accepts: « yes » at /delete
    # is as refused as « oui » at /supprimer, only the label shown or its number confirm what cannot be undone
    exact = [o for o in options if folded == fold(o.render(language)) or (lenient and folded == fold(o.value))]
    if len(exact) == 1 or not lenient:
        if exact:
            return exact[0]
        safe = next((o for o in options if o.value == "no"), None)
        if safe is not None and yes_no(text) is False:  # the answer that changes nothing is never refused ("non")
            return safe
        raise InputError("error.expected_choice" if lenient else "error.strict_choice")
    if free_sentence(text):  # a message of its own: never an option because it names one
        opened = _yes_no_option(text, options) if agrees(text) else None
        if opened is not None:  # …unless it opens with a clear yes nothing takes back, or says its interest
            return opened
        raise InputError("error.sentence_not_option")
    every = [o for o in options if o.takes_all]
    if len(every) == 1 and (means_both(text) or means_all(text)):  # "les 2", "both", "tous": « Oui aux deux »
        return every[0]
    option = _yes_no_option(text, options)
    if option is not None:
        return option
    match = match_choice(text, [_labels(o, language) for o in options])
    if match.index is not None:
        return options[match.index]
    if len(match.close) > 1:
        raise _close_error(match.close, options, language)
    if len(match.close) == 1:
        proposed = options[match.close[0]]  # kept by the router: "oui" then chooses it, "non" asks again
        raise InputError("error.did_you_mean", option=f"{match.close[0] + 1}. {proposed.render(language)}", proposed=proposed.value)
    if number_list(re.sub(r"\b(?:ou|or)\b", " ", text, flags=re.IGNORECASE)):  # « 2 3 », « 2 et 3 », « 2 ou 3 »
        raise InputError("error.one_choice")
    raise InputError("error.expected_choice")


def parse_multi(text: str, options: Sequence[Option], language: str) -> list[Option]:
    """Several options from typed text: numbers ("1 3 5", "1,3", "2 et 3") or labels separated by
    commas or "et", in the person's language, else in another one."""
    try:
        return _parse_multi(text, options, language)
    except InputError as error:
        for other in LANGUAGES:
            if other != language:
                try:
                    return _parse_multi(text, options, other)
                except InputError:
                    pass
        raise error


def _parse_multi(text: str, options: Sequence[Option], language: str) -> list[Option]:
    numbers = number_list(text)
    tokens: list[str]
    if numbers is not None:
        tokens = [str(n) for n in numbers]
    else:
        tokens = [t for t in re.split(r"[,;/]|\s+(?:et|and|&|\+)\s+", text) if t.strip()]
    chosen: list[Option] = []
    try:
        for token in tokens:
            option = _parse_choice(token, options, language)
            if option not in chosen:
                chosen.append(option)
    except InputError:
        named = _named_in_sentence(text, options, language) if numbers is None else []
        if not named:
            if free_sentence(text):
                raise InputError("error.sentence_not_option") from None
            raise
        chosen = [options[i] for i in named]
    if not chosen:
        raise InputError("error.expected_choice")
    return chosen


def _named_in_sentence(text: str, options: Sequence[Option], language: str) -> list[int]:
    """The options a sentence names as a whole, however many "et" and commas it has ("On est une boite
    de services informatiques et comptables, on s'engage sur l'insertion et le numérique"); none for
    a question or a sentence that denies ("on ne fait pas de sport")."""
    if "?" in text or negated(fold(text)):
        return []
    labels = [_labels(o, language) for o in options]
    whole = phrases_in_sentence(text, [[fold(label) for label in option if label] for option in labels])
    return sorted(set(labels_in_sentence(text, labels)) | set(whole))


def _text_answer(step: Step, text: str) -> str:
    value = " ".join(text.split())
    if step.min_length > 1 and value and not any(ch.isalnum() for ch in value):  # « 👍👍👍 », « !!!! »: signs say nothing
        raise InputError("error.no_words")
    if len(value) < step.min_length:
        raise InputError("error.too_short", minimum=step.min_length)
    if len(value) > step.max_length:
        raise InputError("error.too_long", length=len(value), maximum=step.max_length)
    if step.validate is not None:
        error = step.validate(value)
        if error:
            raise InputError(error)
    return value


def candidate_dict(candidate: Any) -> dict[str, Any]:
    """A territory candidate as kept in the session while the person confirms it."""
    return {
        "code": candidate.code,
        "label": candidate.label,
        "kind": candidate.kind,
        "parent": getattr(candidate, "parent_label", None) or candidate.epci_name,
        "epci": candidate.epci,
        "epci_name": candidate.epci_name,
        "departement": candidate.departement,
        "departement_name": candidate.departement_name,
    }


def place_from_candidate(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The stored form of a chosen territory candidate."""
    return Place(
        code=raw["code"],
        label=raw["label"],
        kind=raw.get("kind") or "commune",
        epci=raw.get("epci"),
        epci_name=raw.get("epci_name"),
        departement=raw.get("departement"),
        departement_name=raw.get("departement_name"),
    ).to_json()


MISSPELT_MIN_SCORE = 80.0
"""The least score of a misspelt commune's likeness (« villeurbane » → Villeurbanne, 86) read as that commune."""
MISSPELT_MIN_CHARS = 5


def communes_named(query: str, territories: Any, misspelt: bool = False) -> list[Any]:
    """The communes (or arrondissements) ``query``, read inside a sentence or a name, names: those
    bearing that name, former name or postcode, or the one commune whose name it starts up to a
    hyphen ("Caluire" → Caluire-et-Cuire; « Villefranche » starts several: none); [] when it names
    none that way (a fuzzy likeness is no commune said). The one reader of a commune named in
    passing: a first message, a name (« Club Photo de Caluire »), what follows a name. With
    ``misspelt`` (words said as a place, « a villeurbane »), the one commune the resolver's likeness
    finds plainly ahead of any other, at a small misspelling."""
    found = [c for c in territories.resolve(query, limit=8) if c.kind in ("commune", "arrondissement")]
    if not found or found[0].matched in ("name", "postcode", "former_name"):
        return found
    plain = misspelt and len(fold(query)) >= MISSPELT_MIN_CHARS and is_clear(found)  # « a caluir », « a villeurbane »
    if found[0].matched == "fuzzy":
        return found[:1] if plain and found[0].score >= MISSPELT_MIN_SCORE else []
    if found[0].matched == "prefix" and plain and len(found) == 1:  # « caluir »: Caluire-et-Cuire, the one commune starting so
        return found[:1]
    if found[0].matched != "prefix":
        return []
    said = fold(query).strip()
    starting = [c for c in found if c.matched == "prefix" and fold(c.name).startswith(said + "-")]
    return starting if len(starting) == 1 else []


def proposed_communes(found: Sequence[Any]) -> list[dict[str, Any]]:
    """The candidates :func:`communes_named` found, as proposed at the commune question: the one
    plainly meant, or its namesakes to choose from."""
    return [candidate_dict(c) for c in ([found[0]] if is_clear(found) else namesakes(found)[:6] or found[:6])]


def is_clear(candidates: Sequence[Any]) -> bool:
    """Whether the first of ``candidates`` is plainly the place meant (no namesake, clearly ahead)."""
    if len(candidates) == 1:
        return True
    if len(namesakes(candidates)) > 1:  # "naussac": Naussac (12) and Naussac-Fontanes (48), formerly Naussac
        return False
    top, second = candidates[0], candidates[1]
    if top.matched == "fuzzy":
        return top.score - second.score >= 8
    return second.score < top.score


@dataclass(frozen=True, slots=True)
class Answer:
    """The outcome of answering one step: a value to store, a navigation, or a sub-question."""

    value: Any = None
    navigation: str | None = None  # BACK, SKIP
    reask: Session | None = None  # the same step asked again with new sub-state
    note: str | None = None  # said before the question asked again (what an edit did)
    also: Mapping[str, Any] | None = None  # other answers the same words give (« autre - mécanique vélo »: the description)


def answer_step(step: Step, session: Session, user_input: UserInput, context: Context, language: str) -> Answer:
    """Interpret ``user_input`` as the answer to ``step`` or raise :class:`InputError`. "retour" with
    nothing before (the first question of the profile) says so, unless an option is called so."""
    try:
        return _answer_step(step, session, user_input, context, language)
    except InputError:
        typed = user_input.text if user_input.choice is None and user_input.choices is None else None
        if typed is not None and not session.history and fold(typed).strip(" .!?") in ("retour", "back"):
            raise InputError("error.nothing_before") from None
        raise


def _answer_step(step: Step, session: Session, user_input: UserInput, context: Context, language: str) -> Answer:
    options = options_of(step, session, context)
    values = {o.value for o in options}
    if user_input.choices is not None:
        if step.kind != "multi":
            raise InputError("error.stale")
        if any(v not in values for v in user_input.choices):
            raise InputError("error.invalid_choice")
        picked = [v for v in user_input.choices if v not in (BACK, SKIP)]
        if len(picked) < step.min_selected:
            raise InputError("error.select_at_least_n", count=step.min_selected)
        return Answer(value=picked)
    if user_input.choice is not None:
        if user_input.choice not in values:
            raise InputError("error.invalid_choice")
        option = next(o for o in options if o.value == user_input.choice)
        if step.kind == "multi" and option.value not in (BACK, SKIP):
            if step.min_selected > 1:  # one option pressed where several are needed (a group's members)
                raise InputError("error.select_at_least_n", count=step.min_selected)
            return Answer(value=[option.value])
        return _answer_with_option(step, session, option)
    text = (user_input.text or "").strip()
    if not text:
        raise InputError("error.empty")
    if len(text) > MAX_INPUT_CHARS:
        raise InputError("error.too_long", length=len(text), maximum=step.max_length)
    nav = fold(text).strip(" .!?")
    if nav in ("retour", "back") and session.history:
        return Answer(navigation=BACK)
    if nav in ("retour", "back") and step.kind == "text":  # never a name nor a description: nothing before
        raise InputError("error.nothing_before")
    if nav in ("passer", "skip") and step.skippable:
        return Answer(navigation=SKIP)
    if step.kind == "choice":
        kept = session.data.get(KEPT_CONTACT)
        if step.takes_text and step.understand is not None and isinstance(kept, str) and kept and answers_yes_no(text) is True:
            understood = step.understand(kept)  # « Je reprends kate@… ? » — « oui »: the contact typed at the themes
            if understood is not None:
                return Answer(value=understood)
        if step.understand is not None:
            understood = step.understand(text)
            if understood is not None:
                return Answer(value=understood)
        if step.understand_in is not None:
            understood = step.understand_in(text, session, context)
            if understood is not None:
                return Answer(value=understood)
        kept_contact = _refuse_contact(step, text, session, language)
        if kept_contact is not None:
            return kept_contact
        try:
            return _answer_with_option(step, session, _hedged(parse_choice, text, options, language, step.lenient))
        except InputError as error:
            said = answers_yes_no(text) if error.key == "error.expected_choice" else None
            if said is True and step.yes_takes_first and options:
                return _answer_with_option(step, session, options[0])
            if said is not None:  # "oui" at a list of options that are no yes and no: say what is wanted
                raise InputError("error.yes_no_not_choice", answer=excerpt(text, 40), first=options[0].render(language)) from None
            raise
    if step.kind == "multi":
        kept_contact = _refuse_contact(step, text, session, language)
        if kept_contact is not None:
            return kept_contact
        pending = step.asks_yes_no is not None and step.asks_yes_no(session) and answers_yes_no(text) is not None
        if not pending and (says_done(text) or nav == fold(translate(language, "common.submit"))):  # « oui », « c'est bon », "done"
            kept = _current_selection(step, session, context)
            if len(kept) >= step.min_selected:
                return Answer(value=kept)
            raise InputError("error.select_at_least_n", count=step.min_selected)
        offered = [o.value for o in options if o.value not in (BACK, SKIP)]
        excluded = list_excluded(text)
        if excluded is None and (nav in ALL_WORDS or means_all(text) or (len(offered) == 2 and means_both(text))):  # "tous", "les deux"
            return Answer(value=offered)
        if step.edit is not None:
            edited = step.edit(text, session, context, language)
            if edited is not None:
                return edited
        text = without_add_words(text)  # « ajoute aussi le 5 », "add 5 too": the options named, added
        if step.typed_adds and _current_selection(step, session, context):
            return Answer(value=_edit_selection(step, session, context, text, options, language))
        if excluded is not None:  # « tous sauf les collectivités », "everyone except companies": all but those
            left = _all_but(excluded, offered, options, language, step.min_selected)
            if left is not None:
                return Answer(value=left)
        parsed: list[Option] | None = None
        named = (
            "" if free_sentence(text) or excluded is not None else list_named(text)
        )  # « juste les assos », « tous c bon », "only companies, done"
        if named and named != fold(text).strip(" .!?"):  # the options named, read without the words around them
            if named in ALL_WORDS:
                return Answer(value=offered)
            try:
                parsed = parse_multi(named, options, language)
            except InputError:
                parsed = None  # read as typed
        if parsed is None:
            parsed = _hedged(parse_multi, text, options, language)
        picked = [o.value for o in parsed if o.value not in (BACK, SKIP)]
        if len(picked) < step.min_selected:
            raise InputError("error.select_at_least_n", count=step.min_selected)
        return Answer(value=picked)
    if step.kind == "territory":
        placed = _place_apart(step, session, text, context, language)
        if placed is not None:
            return placed
        text = without_as_said(text)  # « st priest jlai dit »: the commune's words alone
        text = without_place_details(text)  # « villeurbanne, près du métro », « bron, pas lyon »: the commune alone
        text = without_as_said(text)  # « Bron comme j'ai dit, pas Lyon »: said again once the denied commune is off
        candidates = session.data.get("_candidates")
        if candidates:
            by_postcode = _by_postcode(step, session, text, candidates, context)
            if by_postcode is not None:  # « 69120 » at « Vaulx-en-Velin (69) ? »: its postcode is a yes, another one a correction
                return by_postcode
        if candidates and corrected_place(text) is not None:  # "Lille ? — non, c'est Roubaix": the commune it names last
            return _territory_search(step, session, text, context)
        if candidates:
            by_departement = _candidate_by_departement(text, candidates) if len(candidates) > 1 else None
            if by_departement is not None:  # "69", "celle du Rhône": the line that shows that département
                return Answer(value=place_from_candidate(by_departement))
            if nav.isdigit():
                try:
                    return _answer_with_option(step, session, parse_choice(nav, options, language))
                except InputError:
                    if len(candidates) == 1:
                        raise InputError("territory.confirm_yes_no", yes=1, no=2) from None
                    raise
            said = answers_yes_no(text)  # « oui c'est bien ça, on est à Bron »: the commune proposed
            if said is True and len(candidates) == 1:
                return _answer_with_option(step, session, options[0])
            if said is False:
                other = place_after_no(text)  # « non, l'arbresle »: the commune it names instead, proposed
                if other is not None and _names_a_place(step, other, context):  # those proposed: declined
                    declined = [*(session.data.get(DECLINED) or ()), *(c["code"] for c in candidates)]
                    return _territory_search(step, session.evolve(data={**session.data, DECLINED: declined}), other, context)
                return _answer_with_option(step, session, next(o for o in options if o.value == NONE_OF_THESE))
            if said is True:  # "oui" at a list: which one? (never a search for "Ouistreham")
                raise InputError("territory.pick_number", count=len(candidates))
            shown = match_choice(text, [[str(c["label"])] for c in candidates])
            if shown.index is not None:  # "naussac" just after "Naussac-Fontanes (48)" was listed: that one
                return Answer(value=place_from_candidate(candidates[shown.index]))
            if len(candidates) == 1:  # neither yes, no nor a place: say how to answer the confirmation
                if not _plausible_place(step, text, context):  # « sport », « merci »: never searched (Port, Mercin-et-Vaux)
                    raise InputError("territory.confirm_yes_no", yes=1, no=2)
                try:
                    return _territory_search(step, session, text, context)
                except InputError:
                    raise InputError("territory.confirm_yes_no", yes=1, no=2) from None
        return _territory_search(step, session, text, context)
    if session.data.get(CUT) is not None:
        said = True if nav == "1" else False if nav == "2" else yes_no(text)
        if said is not None:
            return _answer_with_option(step, session, options[0] if said else options[1])
        if word_count(text) <= 1:  # "xyz", "hmm": no new text, the question again with its choices
            raise InputError("text.cut_yes_no", keep=options[0].render(language), rewrite=options[1].render(language))
    kept_contact = _contact_for_later(step, text, session, language)
    if kept_contact is not None:
        return kept_contact
    # free text: a typed number never goes back ("1" is what someone answering the previous list types
    # again); text platforms show "retour" and "passer" as words to type (bot/rendering.py). Only when
    # the choices are shown numbered (« Garder « X » » after "retour") does a number keep or skip.
    numbered = any(o.value == KEEP_PREVIOUS for o in options)
    if numbered and nav.isdigit() and 1 <= int(nav) <= len(options) and options[int(nav) - 1].value in (KEEP_PREVIOUS, SKIP):
        return _answer_with_option(step, session, options[int(nav) - 1])
    if step.lines_are_items:
        text = ", ".join(line for line in (" ".join(part.split()) for part in text.splitlines()) if line)
    text, kept = _name_apart(step, text, session)
    also = {KEPT_CONTACT: _with_kept(session.data, kept)} if kept else None
    value = " ".join(text.split())
    if step.tidy is not None:
        value = step.tidy(value)
    start = session.data.get(START)
    if isinstance(start, str) and start and not session.data.get(step.field) and fold(start) not in fold(value):
        value = start[:1].upper() + start[1:] + " " + value  # « salle » then « pour 30 personnes samedi »: one description
    if step.cut_long and len(value) > step.max_length:
        return Answer(reask=session.evolve(data={**session.data, **(also or {}), CUT: shorten(value, step.max_length)}))
    return Answer(value=_text_answer(step, value), also=also)


REMOVE_WORDS = re.compile(
    r"^\s*(?:sans|sauf|retirer|retire|enlever|enleve|supprimer|pas|without|except|remove|not|no more|-)\b\s*", re.IGNORECASE
)
"""Words before option names that take them out of a selection ("sans solidarité", "remove sport")."""


_ADD_BEFORE = re.compile(
    r"^\s*(?:(?:et|and|puis|then)\s+)?(?:(?:ajoute|ajouter|ajoutez|rajoute|rajouter|rajoutez|mets|mettez|mettre|coche|cocher|cochez|"
    r"add|also|tick|include|with|avec)\s+)+(?:(?:aussi|egalement|également|en plus|also)\s+)?"
    r"|^\s*(?:et|and)\s+(?=.*\b(?:aussi|egalement|également|too|also|as well|en plus)[\s.!]*$)",
    re.IGNORECASE,
)
_ADD_AFTER = re.compile(
    r"\s+(?:aussi|egalement|également|too|also|as well|en plus|stp|svp|please)(?:\s+(?:stp|svp|please))?[\s.!]*$", re.IGNORECASE
)
_ADD_ARTICLE = re.compile(r"^(?:le|la|les|l'|l’|the|number|numero|numéro|n°|no\.)\s*(?=\S)", re.IGNORECASE)


def without_add_words(text: str) -> str:
    """The options typed to add, without the words that say so (« ajoute aussi le 5 », « et le 3 aussi »,
    "add 5 too" → "5"); ``text`` itself when it says no adding."""
    found = _ADD_BEFORE.match(text)
    rest = text[found.end() :] if found else text
    after = _ADD_AFTER.search(rest)
    if found is None and after is None:
        return text
    rest = rest[: after.start()] if after else rest
    return _ADD_ARTICLE.sub("", rest.strip()).strip() or text


def _edit_selection(step: Step, session: Session, context: Context, text: str, options: Sequence[Option], language: str) -> list[str]:
    """What is ticked, with the options typed added ("alimentation") or taken out ("sans solidarité")."""
    kept = _current_selection(step, session, context)
    removing = REMOVE_WORDS.match(text)
    named = [o.value for o in parse_multi(text[removing.end() :] if removing else text, options, language) if o.value not in (BACK, SKIP)]
    if removing:
        kept = [value for value in kept if value not in named]
    else:
        kept += [value for value in named if value not in kept]
    if len(kept) < step.min_selected:
        raise InputError("error.select_at_least_n", count=step.min_selected)
    return kept


def _all_but(excluded: Exclusion, offered: list[str], options: Sequence[Option], language: str, at_least: int) -> list[str] | None:
    """Every option offered but those ``excluded`` names; None when it names none (« je ne sais pas »:
    read as typed), but « tous sauf … » naming nothing known is asked again — never read as all, nor as
    the options it names."""
    try:
        named = {o.value for o in parse_multi(excluded.named, options, language) if o.value in offered} if excluded.named else set()
    except InputError:
        named = set()
    left = [value for value in offered if value not in named]
    if not named:
        if excluded.from_all:
            raise InputError("error.expected_choice")
        return None
    if len(left) < max(1, at_least):
        raise InputError("error.select_at_least_n", count=max(1, at_least))
    return left


def _current_selection(step: Step, session: Session, context: Context) -> list[str]:
    if step.edit is not None and step.preselect is not None:  # the flow reads what is ticked itself (its answer included)
        return list(step.preselect(session, context))
    current = session.data.get(step.field)
    if current is None and step.preselect is not None:
        current = list(step.preselect(session, context))
    return list(current or ())


def _answer_with_option(step: Step, session: Session, option: Option) -> Answer:
    if option.value in (BACK, SKIP):
        return Answer(navigation=option.value)
    if step.kind == "text" and option.value in (KEEP_CUT, REWRITE):
        data = {k: v for k, v in session.data.items() if k != CUT}
        if option.value == REWRITE:
            return Answer(reask=session.evolve(data=data))
        return Answer(value=session.data[CUT])
    if step.kind == "text" and option.value == KEEP_PREVIOUS and isinstance(session.data.get(PREVIOUS), str):
        return Answer(value=session.data[PREVIOUS])
    if step.kind == "territory":
        if option.value == NONE_OF_THESE:  # never proposed again by the step's prefill (a first message's commune)
            declined = [*(session.data.get(DECLINED) or ()), *(c["code"] for c in session.data.get("_candidates", []))]
            data = {**{k: v for k, v in session.data.items() if k not in ("_candidates", SEARCHED)}, DECLINED: declined}
            return Answer(reask=session.evolve(data=data))
        candidate = next(c for c in session.data.get("_candidates", []) if c["code"] == option.value)
        return Answer(value=place_from_candidate(candidate))
    if step.kind == "text":
        raise InputError("error.expected_text")
    return Answer(value=option.value)


def _territory_search(step: Step, session: Session, text: str, context: Context) -> Answer:
    if len(text) > 120:
        raise InputError("territory.not_found")
    corrected = corrected_place(text)  # "lille... actually our office is in villeneuve d ascq sorry": the last one named
    if corrected is not None:
        text = corrected
    other = place_after_no(text)  # « non, l'arbresle » at the question asked again: that commune
    if other is not None and _names_a_place(step, other, context):
        text = other
    if yes_no(text) is not None:  # "oui", "non merci": an answer, never a place (Ouistreham, Nontron)
        raise InputError("territory.yes_no_not_place")
    seen_codes, home = _seen_places(session, context)
    found = _close_enough(context.territories.resolve(text, limit=8), step, text, home)
    if not found or found[0].matched == "fuzzy":  # "Je suis à Saint-Étienne": the place inside the sentence
        for query in [*place_queries(text), place_said(text) or ""]:
            if not query:
                continue
            inside = _close_enough(context.territories.resolve(query, limit=8), step, query, home)
            if inside and (not found or inside[0].matched != "fuzzy"):
                found = inside
                break
    if context.invite_area is not None and session.flow == "onboarding":  # invited for an area: its communes first
        found = _inside_area(context, text, step, context.invite_area) or found
    if not found:
        raise InputError("territory.not_found")
    if found[0].matched == "postcode":  # « 69290 »: the communes of that postcode, not Saint-Priest whose INSEE code it is
        found = [c for c in found if c.matched == "postcode"]
    declined = set(session.data.get(DECLINED) or ())
    found, alone = _territory_first(found, seen_codes, home, declined)
    if not alone and not is_clear(found) and context.lookup is not None:  # namesakes: the bot's territory first (read only then)
        served = _departements_of(context, context.lookup.coordinated_areas())
        if served - home:
            found, alone = _territory_first(found, seen_codes, home | served, declined)
    shown = found[:1] if alone or is_clear(found) else found[:6]
    data = dict(session.data)
    data["_candidates"] = [candidate_dict(c) for c in shown]
    data[SEARCHED] = True
    data[SEEN_PLACES] = {
        "codes": list(dict.fromkeys([*seen_codes, *(c.code for c in shown)]))[-SEEN_PLACES_KEPT:],
        "departements": list(dict.fromkeys([*home, *(c.departement for c in shown[:1] if c.departement)]))[-SEEN_PLACES_KEPT:],
    }
    return Answer(reask=session.evolve(data=data))


SEEN_PLACES_KEPT = 12
"""How many communes (and départements) shown at the commune question are remembered as the person's territory."""
LIKENESS_SIZEABLE_MIN = 78.0
"""The least score of a likeness to a sizeable commune, or one of the person's territory (« vilerbanne » → Villeurbanne, 82;
« nanes » → Nantes, 82), below :data:`CONFIRM_FUZZY_MIN`."""
SIZEABLE_POPULATION = 10_000
"""A commune this populous is plausibly meant by a near likeness; a village (Port, 832 inhabitants, for « sport ») is not."""
SHORT_QUERY = 6
"""Up to this many letters, a word starting a longer name inside one of its words (« santé » → Santes, « asso » → Asson)
is no commune said, unless the commune is sizeable or of the person's territory."""


def _close_enough(found: Sequence[Any], step: Step, query: str, home: set[str]) -> list[Any]:
    """The candidates of ``step``'s kinds the typed ``query`` plainly names or plausibly misspells: a name, a postcode,
    a start up to a word, a close likeness (:data:`CONFIRM_FUZZY_MIN`), or a near one of a sizeable commune or of a
    département the person already saw (``home``). A common word only like a small commune (« sport » → Port,
    « culture » → Cultures, « merci » → Mercin-et-Vaux) names none."""

    def close(candidate: Any) -> bool:
        near = candidate.population >= SIZEABLE_POPULATION or candidate.departement in home
        if candidate.matched == "fuzzy":
            return candidate.score >= CONFIRM_FUZZY_MIN or (candidate.score >= LIKENESS_SIZEABLE_MIN and near)
        if candidate.matched == "prefix" and candidate.score < PREFIX_WORD_SCORE and len(fold(query)) <= SHORT_QUERY:
            return near
        return True

    return [c for c in found if c.kind in step.territory_kinds and close(c)]


def _seen_places(session: Session, context: Context) -> tuple[list[str], set[str]]:
    """The codes of the communes already shown to the person at the commune question (those on screen included), and
    the départements of their territory: those communes', the commune of their profile, their invitation's (the bot's
    own territory, the areas its coordinators animate, is read only when namesakes are found)."""
    seen = session.data.get(SEEN_PLACES) or {}
    codes = [str(code) for code in seen.get("codes", ())]
    home = {str(dep) for dep in seen.get("departements", ())}
    shown = session.data.get("_candidates") or ()
    codes += [str(c["code"]) for c in shown if c.get("code")]
    home |= {str(c["departement"]) for c in shown[:1] if c.get("departement")}
    if context.actor is not None and context.actor.place.departement:
        home.add(str(context.actor.place.departement))
    if context.invite_area is not None and context.invite_area[0] == "departement":
        home.add(context.invite_area[1])
    return codes, home


def _departements_of(context: Context, areas: Sequence[tuple[str, str]]) -> set[str]:
    """The départements of these areas (a commune's, an intercommunalité's; a région is too wide to say a territory)."""
    found: set[str] = set()
    for kind, code in areas:
        if kind == "departement":
            found.add(code)
            continue
        place = context.territories.commune(code) if kind in ("commune", "arrondissement") else None
        if place is None and kind == "epci":
            area = getattr(context.territories, "area", None)
            place = area(kind, code) if callable(area) else None
        if place is not None and getattr(place, "departement", None):
            found.add(str(place.departement))
    return found


def _territory_first(found: list[Any], seen: Sequence[str], home: set[str], declined: set[str]) -> tuple[list[Any], bool]:
    """``found`` with the communes the person already saw, then those of their territory's départements, before far-away
    namesakes (« vaulx » after Villeurbanne (69): Vaulx-en-Velin before Vaulx (74)), likenesses left where they are; and
    whether the first is then plainly the one meant (alone of its rank, not declined)."""
    if not seen and not home:
        return found, False

    def rank(candidate: Any) -> int:
        return 0 if candidate.code in seen else 1 if candidate.departement in home else 2

    said = [c for c in found if c.matched != "fuzzy"]
    best = min((rank(c) for c in said), default=2)
    if best == 2:
        return found, False
    first = [c for c in said if rank(c) == best]
    return first + [c for c in found if c not in first], len(first) == 1 and first[0].code not in declined


_POSTCODE_SAID = re.compile(r"(?<!\d)(\d{5})(?!\d)")
_WITH_A_POSTCODE = frozenset(
    "oui ouais yes yep yeah ok c est cest bien le la notre our my mon code postal cp postcode post zip it s its is "
    "that on nous sommes we re are a au en in at exactement exactly correct".split()
)
"""Words that may go with a postcode answering a commune proposed (« oui 69120 », « c'est bien 69100 », "yes, 69120")."""


def _by_postcode(step: Step, session: Session, text: str, candidates: Sequence[Mapping[str, Any]], context: Context) -> Answer | None:
    """A postcode typed at the communes proposed, alone or with a yes (« 69120 », « oui 69120 », « c'est bien 69100 »):
    the commune proposed that has it, taken; when none has it, the communes of that postcode searched and proposed
    (a correction, as at the commune question). None when no lone postcode is typed, or with a no (read as a no is)."""
    codes = _POSTCODE_SAID.findall(text)
    if len(codes) != 1:
        return None
    postcode = codes[0]
    words = re.findall(r"[a-z]+", fold(text.replace(postcode, " ")))
    if any(word not in _WITH_A_POSTCODE for word in words):
        return None
    holders = []
    for candidate in candidates:
        place = context.territories.commune(str(candidate.get("code", "")))
        if place is not None and postcode in (getattr(place, "postcodes", None) or ()):
            holders.append(candidate)
    if len(holders) == 1:
        return Answer(value=place_from_candidate(holders[0]))
    if holders:  # one postcode of several communes listed: those
        return Answer(reask=session.evolve(data={**session.data, "_candidates": holders}))
    declined = [*(session.data.get(DECLINED) or ()), *(str(c["code"]) for c in candidates)]
    return _territory_search(step, session.evolve(data={**session.data, DECLINED: declined}), postcode, context)


CONFIRM_FUZZY_MIN = 85.0
"""The least score of a likeness searched at a commune's yes/no confirmation (« vaulx en velain », 87):
a one-letter slip of a short common word (« sport » → Port, 80; « culture » → Cultures, 84) is none."""
PREFIX_WORD_SCORE = 85.0
"""The resolver's score of a name started up to one of its words (« caluire » → Caluire-et-Cuire), not
inside one (« merci » → Mercin-et-Vaux, « santé » → Santes: 82)."""


def _plausible_place(step: Step, text: str, context: Context) -> bool:
    """Whether ``text``, typed at a commune's yes/no confirmation, may name another commune: a name,
    a postcode, a former name, the start of a name up to a word, a clear likeness of a long enough word
    — alone or inside a sentence (« c'est à Bron »). A common word (a theme, « merci ») is none."""
    if contact_detail(text) is not None:
        return False
    for query in (text, *place_queries(text), place_said(text) or ""):
        if not query:
            continue
        found = [c for c in context.territories.resolve(query, limit=8) if c.kind in step.territory_kinds]
        if not found:
            continue
        top = found[0]
        if top.matched in ("name", "postcode", "former_name", "code"):
            return True
        if top.matched == "prefix" and top.score >= PREFIX_WORD_SCORE:
            return True
        if top.matched == "fuzzy" and top.score >= CONFIRM_FUZZY_MIN and len(fold(query)) > MISSPELT_MIN_CHARS and is_clear(found):
            return True
    return False


def _refuse_contact(step: Step, text: str, session: Session, language: str) -> Answer | None:
    """An e-mail address, a phone number or a web address typed at a choice is no option, whatever its
    words (« sarah.k@acme-digital.example » is no theme « Numérique »): said, and the question asked again.
    When the profile being made asks the contact later, the e-mail or the phone is kept for that question
    (offered there, taken by a yes) and said so; None when ``text`` is no contact detail."""
    kind = None if step.takes_text else contact_detail(text)  # the menu, the contact question: read as they read text
    if kind is None:
        return None
    later = session.flow == "onboarding" and "contact" not in session.data and kind != "url"
    what = translate(language, f"contact.kind.{kind}")
    detail = (find_email(text) or find_phone(text)) if later else None
    if detail is None:
        raise InputError("error.contact_asked_later" if later else "error.contact_not_option", what=what)
    note = translate(language, "contact.kept_for_later", what=what, detail=detail)
    return Answer(reask=session.evolve(data={**session.data, KEPT_CONTACT: _with_kept(session.data, text)}), note=note)


_CONTACT_WORDS = re.compile(
    r"\b(?:mon|ma|notre|my|our|le|la|the|mail|e mail|email|adresse|address|tel|tél|telephone|téléphone|phone|portable|mobile|"
    r"numero|numéro|number|c est|cest|voici|here s|here is|is|est)\b|[^\w]",
    re.IGNORECASE,
)


def _contact_for_later(step: Step, text: str, session: Session, language: str) -> Answer | None:
    """An e-mail address or a phone number alone typed at the profile's name or commune (« nadia.basket@orange.fr »,
    « 06 12 34 56 78 », « mon mail : … »): no name, no commune, and never lost — kept for the contact question (offered
    there, taken by a yes), said, and the question asked again. None for anything else."""
    at_place = step.kind == "territory"
    if (step.field != "name" and not at_place) or session.flow != "onboarding" or "contact" in session.data:
        return None
    kind = contact_detail(text)
    detail = find_email(text) if kind == "email" else find_phone(text) if kind == "phone" else None
    if detail is None:
        return None
    left = text.replace(detail, " ") if kind == "email" else re.sub(r"[\d+().\s-]{9,}", " ", text)
    if _CONTACT_WORDS.sub("", left.lower()).strip():  # « Basket Club Bron, nadia@… »: a name with it (_name_apart)
        return None
    what = translate(language, f"contact.kind.{kind}")
    note = translate(language, "contact.kept_at_place" if at_place else "contact.kept_at_name", what=what, detail=detail)
    return Answer(reask=session.evolve(data={**session.data, KEPT_CONTACT: _with_kept(session.data, text)}), note=note)


_NAME_EDGE = re.compile(
    r"^(?:[\s,;:/|()\-–—.]|\b(?:mon|ma|notre|my|our|mail|e-?mail|courriel|tel|tél|telephone|téléphone|phone|"
    r"portable|mobile|contact|n°|num|numero|numéro|number)\b)+|(?:[\s,;:/|()\-–—]|\b(?:mon|ma|notre|my|our|mail|"
    r"e-?mail|courriel|tel|tél|telephone|téléphone|phone|portable|mobile|contact|n°|num|numero|numéro|number|et|and)\b)+$",
    re.IGNORECASE,
)


def _name_apart(step: Step, text: str, session: Session) -> tuple[str, str | None]:
    """The profile's name typed with an e-mail address or a phone number (« Basket Club Bron 06 12 34 56 78 »,
    « Les Jardins de Bron - contact@jardins.fr »): the name alone, and the details kept for the contact question
    (offered there, taken by a yes). ``text`` unchanged, with None, for anything else."""
    if step.field != "name" or session.flow not in ("onboarding", "profile"):
        return text, None
    if session.flow == "onboarding" and "contact" in session.data:
        return text, None
    return _contact_apart(text)  # in /profil too: a name is public, a contact goes after a double yes


def _contact_apart(text: str) -> tuple[str, str | None]:
    """``text`` without the e-mail addresses and phone numbers it gives, and those details; ``text`` and None when
    it gives none, or nothing else (then :func:`_contact_for_later` reads it)."""
    # a phone starts with 0, + or a bracket, as contact_detail reads one: « Acme 123 456 789 » keeps its number
    spans = [(a, b) for a, b in contact_spans(text) if "@" in text[a:b] or text[a:b].strip()[:1] in "0+("]
    if not spans:
        return text, None
    details = " ".join(" ".join(text[a:b].split()) for a, b in spans)
    name = text
    for a, b in reversed(spans):
        name = name[:a] + " " + name[b:]
    name = _NAME_EDGE.sub("", " ".join(name.split())).strip()
    return (name, details) if name else (text, None)


def _with_kept(data: Mapping[str, Any], detail: str) -> str:
    """The contact details kept for the contact question with ``detail`` added: a phone typed at the name and an
    e-mail typed at the themes are both offered there, the later never in the place of the earlier."""
    detail = " ".join(detail.split())
    kept = data.get(KEPT_CONTACT)
    if not isinstance(kept, str) or not kept or fold(detail) in fold(kept):
        return detail
    return f"{kept} {detail}"


def _place_apart(step: Step, session: Session, text: str, context: Context, language: str) -> Answer | None:
    """An e-mail address or a phone number typed at the profile's commune: kept for the contact question (offered
    there, taken by a yes), as at the name. Alone (« fay@example.org », « mon tel 06 12 34 56 78 »), said and the
    commune asked again; with a commune (« Bron, fay@example.org »), that commune read. None for anything else."""
    if session.flow != "onboarding" or "contact" in session.data:
        return None
    alone = _contact_for_later(step, text, session, language)
    if alone is not None:
        return alone
    place, kept = _contact_apart(text)
    if kept is None:
        return None
    kept = _with_kept(session.data, kept)
    keeping = session.evolve(data={**session.data, KEPT_CONTACT: kept})
    answer = _answer_step(step, keeping, UserInput(text=place), context, language)
    return answer if answer.value is None else dataclasses.replace(answer, also={**(answer.also or {}), KEPT_CONTACT: kept})


def _hedged(parse: Callable[..., Any], text: str, *args: Any) -> Any:
    """``parse`` of ``text``, or, when it is refused, of ``text`` without the words that only hedge it
    (« environnement et alimentation je dirais ? », "I guess education and environment?"); the first
    refusal when neither reads."""
    try:
        return parse(text, *args)
    except InputError:
        plain = without_hedges(text)
        if not plain or plain == text:
            raise
        try:
            return parse(plain, *args)
        except InputError:
            pass
        raise


def _names_a_place(step: Step, words: str, context: Context) -> bool:
    """Whether ``words`` name a place of ``step`` plainly (its name, a prefix, a postcode), not by likeness."""
    found = [c for c in context.territories.resolve(words, limit=8) if c.kind in step.territory_kinds]
    return bool(found) and found[0].matched != "fuzzy"


_DEPARTEMENT_CODE = re.compile(r"(?<!\w)(\d{2,3}|2a|2b)(?!\w)")


def _candidate_by_departement(text: str, candidates: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The one listed commune whose département ``text`` names: its code as shown in the list ("69",
    "celle du 69"; a number that is a list index stays an index, unless written "07"), or its name
    ("celle du Rhône", "ardeche"); None when it names none, several, or a département shared by
    several lines."""
    folded = fold(text).strip(" .!?()")
    codes = [str(c.get("departement") or "").lower() for c in candidates]
    said = {m.lower() for m in _DEPARTEMENT_CODE.findall(folded)}
    if folded.isdigit() and 1 <= int(folded) <= len(candidates) + 2 and not folded.startswith("0"):
        said = set()  # "2": the second line (or "back"), not the Aisne
    names = [[fold(str(c.get("departement_name") or ""))] for c in candidates]
    named = {codes[i] for i in phrases_in_sentence(text, names)} if not folded.isdigit() else set()
    wanted = (said & set(codes)) | named
    if len(wanted) != 1:
        return None
    lines = [c for c, code in zip(candidates, codes, strict=True) if code in wanted]
    return lines[0] if len(lines) == 1 else None


def _inside_area(context: Context, text: str, step: Step, area: tuple[str, str]) -> list[Any]:
    """The candidates for ``text`` that lie in ``area`` (an EPCI or a département), best first."""
    kind, code = area
    field = {"epci": "epci", "departement": "departement"}.get(kind)
    if field is None:
        return []
    return [c for c in context.territories.resolve(text, limit=60) if c.kind in step.territory_kinds and getattr(c, field, None) == code][
        :8
    ]


# ---------------------------------------------------------------- navigation


def next_step_id(step: Step, data: Mapping[str, Any]) -> str | None:
    """Where to go after ``step`` given the answers so far."""
    return step.next(data) if callable(step.next) else step.next


def ask(flow: Flow, step_id: str, session: Session, context: Context, language: str) -> tuple[Session, Reply]:
    """Move to ``step_id`` with a fresh prompt id and build its question."""
    session = session.evolve(flow=flow.id, step=step_id, prompt_seq=session.prompt_seq + 1)
    step = flow.steps[step_id]
    if step.kind == "territory" and step.prefill is not None and not session.data.get("_candidates"):
        declined = set(session.data.get(DECLINED) or ())
        prefilled = [c for c in step.prefill(session, context) if c.get("code") not in declined]
        if prefilled:
            session = session.evolve(data={**session.data, "_candidates": prefilled})
    return session, question(step, session, context, language)


def back_to(step: Step, session: Session) -> Session:
    """``session`` going back to ``step`` ("retour"): the answer it had is offered back — « Garder
    « Les Jardins Partagés » » at a text question, « Est-ce bien Villeurbanne ? » at a commune."""
    previous = session.data.get(step.field)
    if step.kind == "text" and isinstance(previous, str) and previous and not unfinished(previous):
        # a sentence cut in two (« on cherche qqn pour ») is never offered to keep as it is
        return session.evolve(data={**session.data, PREVIOUS: previous})
    if step.kind == "territory" and isinstance(previous, dict) and previous.get("code") and previous.get("label"):
        candidate = {
            "code": previous["code"],
            "label": previous["label"],
            "kind": previous.get("kind") or "commune",
            "parent": previous.get("epci_name"),
            "epci": previous.get("epci"),
            "epci_name": previous.get("epci_name"),
            "departement": previous.get("departement"),
            "departement_name": previous.get("departement_name"),
        }
        return session.evolve(data={**session.data, "_candidates": [candidate]})
    return session


def current_question(flows: Mapping[str, Flow], session: Session, context: Context, language: str) -> Reply | None:
    """The question currently asked (same prompt id), or None when idle."""
    if session.flow is None or session.step is None or session.flow not in flows:
        return None
    flow = flows[session.flow]
    if session.step not in flow.steps:
        return None
    return question(flow.steps[session.step], session, context, language)
