"""Questions asked outside a flow: answer a suggestion, an introduction request, a follow-up,
a listing renewal. Each is identified by a token (``S12``: suggestion 12, ``I5``: introduction
5, ``F5``: follow-up of introduction 5, ``R7``: renewal of listing 7) used as the prompt id of
its message, so that a button press or a reaction on an old message still reaches it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from conversations.engine import yes_no_numbers
from conversations.expiry import format_day_in
from conversations.i18n import has_key, translate
from core.decisions import TOKEN_KINDS, DecisionView, OtherActor, is_token, token
from core.types import Choice, Reply

__all__ = ["TOKEN_KINDS", "DecisionView", "OtherActor", "is_token", "token"]  # re-exported from core.decisions

CHOICES: dict[str, tuple[str, ...]] = {
    "suggestion": ("present", "decline", "later"),
    "introduction": ("accept", "refuse"),
    "followup": ("launched", "discussing", "none"),
    "renewal": ("renew", "close"),
    "broadcast": ("interested",),
    "group": ("join", "decline"),
    "groupfollowup": ("launched", "discussing", "none"),
    "event": ("join", "decline"),
}
LABELS = {"event": "event.invitation"}
"""The decisions whose texts and buttons are those of another message (an event's invitation: « Je m'inscris »)."""
DEFAULT_TIMEZONE = "Europe/Paris"
"""The time zone an event's date is shown in when the decision was loaded without one (:func:`in_timezone`)."""


def in_timezone(views: Sequence[DecisionView], timezone: str) -> tuple[DecisionView, ...]:
    """``views``, the events' among them knowing the time zone their dates are shown in (the bot's)."""
    return tuple(replace(view, extra={**view.extra, "timezone": timezone}) if view.kind == "event" else view for view in views)


def describe_other(other: OtherActor, language: str) -> str:
    """ "Les Restos du Cœur — Association, Villeurbanne (69)"."""
    kind = translate(language, f"actor_type.{other.kind}")
    return translate(language, "decision.other", name=other.name, kind=kind, place=other.place)


def _unstopped(name: str, value: Any) -> Any:
    """A description quoted inside the sentence, without its own final full stop (never "….”.")."""
    if name in ("mine", "theirs") and isinstance(value, str) and value.endswith(".") and not value.endswith(".."):
        return value[:-1]
    return value


def explanation(reasons: tuple[tuple[str, dict[str, Any]], ...], language: str, mine: str | None = None, theirs: str | None = None) -> str:
    """The stored reasons of a suggestion as one sentence in ``language``; with ``mine`` and ``theirs`` (the two
    listings' descriptions now), the need ↔ offer quote gives them, never words edited away since."""
    from matching import Reason, Suggestion, explain, with_current_quotes

    reasons = with_current_quotes(reasons, mine, theirs)

    suggestion = Suggestion(
        for_actor=0,
        other_actor=0,
        score=0.0,
        reasons=tuple(Reason(key, tuple((name, _unstopped(name, value)) for name, value in params.items())) for key, params in reasons),
        kind="theme",
    )
    return explain(suggestion, translate, language)


def presentation(description: str | None, language: str) -> str:
    """ "Leur présentation : …" and a line break, or nothing for an actor without a description
    (never an empty "Leur présentation : —" line, nor a lone "—")."""
    text = (description or "").strip()
    return translate(language, "decision.presentation", description=text) if text else ""


def category_label(category: str, language: str, skills: Sequence[str] = ()) -> str:
    """ "Compétences (Comptabilité)" for « competences:comptabilite » (a category with its skill, as
    storage lists them), "Compétences (Comptabilité, Communication)" with ``skills``, "Matériel" for « materiel »."""
    main, _, skill = category.partition(":")
    label = translate(language, f"category.{main}")
    named = [translate(language, f"skill.{name}") for name in (*([skill] if skill else ()), *skills) if has_key(language, f"skill.{name}")]
    if named:
        label += f" ({', '.join(dict.fromkeys(named))})"
    return label


LISTING_CHARS = 80
"""Their listings shown with a theme-only suggestion are cut to this length."""


def listing_lines(listings: Sequence[tuple[str, str, str]], language: str, chars: int | None = None) -> list[str]:
    """ "Offre — Compétences (Comptabilité, Communication) : …" for each listing of ``listings`` (need/offer, category
    as storage lists it, description): the rows of one listing of several skills (a row each, the same description)
    on one line naming its skills; each description cut to ``chars`` when given."""
    skills: dict[tuple[str, str, str], list[str]] = {}
    for kind, category, description in listings:
        main, _, skill = category.partition(":")
        found = skills.setdefault((kind, main, " ".join(description.split())), [])
        if skill and skill not in found:
            found.append(skill)
    return [
        translate(
            language,
            f"directory.{kind}",
            category=category_label(main, language, named),
            description=textwrap.shorten(description, chars, placeholder="…") if chars else description,
        )
        for (kind, main, description), named in skills.items()
    ]


def their_listings(listings: tuple[tuple[str, str, str], ...], language: str) -> str:
    """ "Leurs annonces : \n• Offre — Alimentation : Invendus de pain…" and a line break, as
    ``/annuaire`` shows them, or nothing when there is none."""
    if not listings:
        return ""
    lines = [translate(language, "decision.their_listing", listing=line) for line in listing_lines(listings, language, LISTING_CHARS)]
    return translate(language, "decision.their_listings", listings="".join(lines))


def about(other: OtherActor, language: str, listing_text: str | None = None) -> str:
    """What another actor does, one line each ending with a line break: their presentation, then
    their open listings (else the listing the request is about, else their themes). Nothing is
    left empty: a line without content is not written."""
    lines = [presentation(other.description, language)]
    if other.listings:
        lines.append(their_listings(other.listings, language))
    elif (listing_text or "").strip():
        lines.append(f"{(listing_text or '').strip()}\n")
    elif other.themes:
        themes = ", ".join(translate(language, f"theme.{theme}") for theme in other.themes)
        lines.append(translate(language, "decision.their_themes", themes=themes) + "\n")
    return "".join(lines)


def _introduction_text(view: DecisionView, params: dict[str, Any], language: str) -> str:
    """An introduction request: who proposed it (a coordinator, signed; an actor), who asks and
    what they do, then the question; no empty line where something is missing."""
    head: list[str] = []
    if view.extra.get("proposed_by"):
        head.append(translate(language, "decision.proposed_by", origin=view.extra["proposed_by"]))
        if view.extra.get("proposed_why"):
            head.append(translate(language, "decision.proposed_why", why=view.extra["proposed_why"]))
    elif view.extra.get("recommended_by"):
        head.append(translate(language, "decision.recommended_by", name=view.extra["recommended_by"]))
    context = about(view.other, language, view.listing_text) if view.other is not None else ""
    body = translate(language, "decision.introduction.ask", other=params.get("other", ""), about=context)
    return "\n".join([*head, body])


def decision_reply(view: DecisionView, language: str, notice: bool = False) -> Reply:
    """The message asking ``view``: its text and its buttons, with the decision's token."""
    params: dict[str, Any] = {}
    if view.other is not None:
        params["other"] = describe_other(view.other, language)
        params["presentation"] = presentation(view.other.description, language) + their_listings(view.other.listings, language)
    if view.kind == "suggestion":  # the two listings quoted as they are now (edited since the round: never the old words)
        params["why"] = explanation(view.reasons, language, view.my_listing_text, view.listing_text)
    params["listing"] = view.listing_text or ""
    params["expires"] = format_day_in(view.expires, language) if view.expires else ""  # "28 février 2027", never 2027-02-28
    params.update({k: v for k, v in view.extra.items() if isinstance(v, str)})
    key = f"decision.{view.kind}.text"
    if view.kind in ("followup", "groupfollowup") and view.extra.get("recheck"):  # three months on: asked again
        key = f"decision.{view.kind}.recheck_text"
    if view.kind == "group":
        if view.extra.get("coordinator_contacts"):
            key = "decision.group.text_with_coordinator"
        theme = view.extra.get("theme_key")
        params["theme"] = translate(language, "decision.group.theme", theme=translate(language, f"theme.{theme}")) if theme else ""
    if view.kind == "broadcast":
        key = f"decision.broadcast.message_{view.extra.get('mode', 'none')}"
    if view.kind == "event":  # the invitation as it was sent: who invites, to what, when, where
        from conversations.events import show_span

        timezone = str(view.extra.get("timezone") or DEFAULT_TIMEZONE)
        when = show_span(str(view.extra["starts_at"]), str(view.extra.get("ends_at") or "") or None, timezone, language)
        params["when"] = when
        key = LABELS["event"]
    if view.kind == "suggestion" and view.other is not None and (view.other.listings or view.other.themes):
        params["presentation"] = about(view.other, language)  # a coordinator's proposal: what the other side does
    if view.kind == "introduction":
        text = _introduction_text(view, params, language)
    else:
        text = translate(language, key, **params)
    if view.reminder:
        text = translate(language, "decision.reminder") + "\n" + text
    values = CHOICES[view.kind] if not (view.kind == "broadcast" and view.extra.get("mode") != "interested") else ()
    labels = LABELS.get(view.kind, f"decision.{view.kind}")
    choices = tuple(Choice(value, translate(language, f"{labels}.{value}")) for value in values)
    numbers = yes_no_numbers(values)  # "Oui, avec plaisir" / "Non merci": answered yes or no
    meta: dict[str, Any] = {"yes_no": numbers} if numbers is not None else {}
    if interested_call(view):  # its only button is the yes: « non » is typed (the help says so)
        meta["no_in_words"] = True
    return Reply(text=text, choices=choices, prompt_id=view.token, notice=notice, language=language, meta=meta)


CALL_DECLINED = "not_interested"
"""The answer stored when a call answered by « Intéressé·e » is declined in words (« non merci », "not for us"):
the coordinator reads « Pas intéressé·e »; there is no button for it."""


def interested_call(view: DecisionView) -> bool:
    """Whether the decision is a call answered by its one button, « Intéressé·e »."""
    return view.kind == "broadcast" and view.extra.get("mode") == "interested"


def takes_free_text(view: DecisionView) -> bool:
    """Whether the decision is answered by typing a message (a call asking for a written answer)."""
    return view.kind == "broadcast" and view.extra.get("mode") == "text"
