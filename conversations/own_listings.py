"""A question about one's own listings typed at the menu (« est-ce que quelqu'un a vu mon annonce de pain ? »,
"any news about my van request?"): answered with what is known of the listing it names — its state, how long it
stays visible, the suggestions and introductions it led to — never read as a new need or offer.

Pure: reads the person's listings from the context and the counts through ``context.lookup``."""

from __future__ import annotations

import re
from collections.abc import Sequence

from conversations.flows import format_day, listing_label
from conversations.i18n import LANGUAGES, translate
from conversations.model import Context, ListingView
from conversations.understanding import OwnListingQuestion, fold

MIN_PREFIX = 4
"""A word of the question names a word of a listing when one starts the other and both have this many letters
(« camion » and « camionnette », « bénévole » and « bénévoles »); shorter ones must be the same word."""
LISTED_AT_MOST = 6
"""How many listings a question that names none lists (the newest first; /annonces shows them all)."""
STATE_WIDTH = 120
"""How much of its description the state of one listing shows (a list of them, /annonces' 40 characters)."""
_SMALL = frozenset("les des une pour avec sur dans aux par the and for with our your from que qui est".split())


def _words_of(item: ListingView) -> set[str]:
    """The folded words of a listing: its description's, its category's and its skill's in every language."""
    said = [item.description]
    for lang in LANGUAGES:
        said.append(translate(lang, f"category.{item.category}"))
        if item.subcategory:
            said.append(translate(lang, f"skill.{item.subcategory}"))
    words = re.findall(r"\w+", fold(" ".join(said)).replace("’", "'").replace("'", " "))
    return {word for word in words if len(word) >= 3 and word not in _SMALL}


def _same_word(asked: str, own: str) -> bool:
    asked, own = asked.rstrip("s"), own.rstrip("s")
    if asked == own:
        return True
    return min(len(asked), len(own)) >= MIN_PREFIX and (asked.startswith(own) or own.startswith(asked))


def _named(words: Sequence[str], listings: Sequence[ListingView]) -> list[ListingView]:
    """The listings one of ``words`` names (« pain » → the one whose description speaks of bread)."""
    return [item for item in listings if any(_same_word(word, own) for word in words for own in _words_of(item))]


def _typed(words: Sequence[str], text: str) -> str:
    """``words`` as the person typed them (accents kept): « bénévoles » for ``benevoles``."""
    typed = [token for token in re.findall(r"\w+", text) if fold(token) in words]
    return " ".join(dict.fromkeys(typed)) or " ".join(words)


def _line(item: ListingView, context: Context, language: str) -> str:
    label = listing_label(item, language)
    if item.status == "open":
        return translate(language, "own_listing.line_open", listing=label, expires=format_day(item.expires_at, context))
    return translate(language, "own_listing.line", listing=label)


def _listed(listings: Sequence[ListingView], context: Context, language: str) -> str:
    """The person's listings, open ones first, :data:`LISTED_AT_MOST` at most."""
    ordered = sorted(listings, key=lambda item: item.status != "open")[:LISTED_AT_MOST]
    lines = "".join(_line(item, context, language) for item in ordered)
    return translate(language, "own_listing.several", lines=lines)


def _state(item: ListingView, context: Context, language: str) -> str:
    """What is known of one listing: its line and how long it is visible, what it led to, what to do with it."""
    label = listing_label(item, language, width=STATE_WIDTH)
    said = [translate(language, f"own_listing.state.{item.status}", listing=label, expires=format_day(item.expires_at, context))]
    actor = context.actor
    echoes = _echoes(item, context, language)
    if echoes is not None:
        said.append(echoes)
    if actor is not None and item.status == "open" and actor.paused:
        resume = translate(language, "pause.resume_command")
        said.append(translate(language, "own_listing.paused", resume=resume))
    said.append(translate(language, "own_listing.actions"))
    return "\n".join(said)


def own_listing_answer(question: OwnListingQuestion, text: str, context: Context, language: str) -> str:
    """The answer to a question about one's own listings (:func:`conversations.understanding.asks_about_own_listing`):
    the state of the listing it names (by a word of its description, or the only one); the person's listings when it
    names none of several, or names one they do not have; how to publish one when they have none."""
    listings = list(context.listings)
    if not listings:
        return translate(language, "listings.empty")
    of_kind = [item for item in listings if question.kind in (None, item.kind)]
    named = _named(question.words, of_kind) if question.words else []
    if question.words and not named:  # « mon annonce de pain », none of theirs speaks of bread
        missing = translate(language, "own_listing.not_found", words=_typed(question.words, text))
        return missing + "\n" + _listed(listings, context, language)
    if not of_kind:  # « mon offre ? », only needs published
        return translate(language, f"own_listing.no_kind.{question.kind}") + "\n" + _listed(listings, context, language)
    candidates = named or of_kind
    if len(candidates) > 1:
        shown = [item for item in candidates if item.status == "open"]  # the visible ones, when the others are closed
        candidates = shown if len(shown) == 1 else candidates
    if len(candidates) == 1:
        return _state(candidates[0], context, language)
    if named:  # « c'est bon pour le camion ? »: two speak of it — both states, never « nommez-la » again
        naming = [word for word in question.words if _named([word], candidates)]  # « bon camion »: « camion »
        return _states(candidates, _typed(naming or question.words, text), context, language)
    return _listed(candidates, context, language)


def _echoes(item: ListingView, context: Context, language: str) -> str | None:
    """What ``item`` led to: its suggestions and introductions, or that none came of it yet."""
    actor = context.actor
    if actor is None or context.lookup is None:
        return None
    suggestions, introductions = context.lookup.listing_echoes(actor.id).get(item.id, (0, 0))
    if suggestions:
        return translate(language, "own_listing.echoes", suggestions=suggestions, introductions=introductions)
    return translate(language, "own_listing.echoes_none")


def _states(listings: Sequence[ListingView], words: str, context: Context, language: str) -> str:
    """The state of each listing a word names (the open ones first, :data:`LISTED_AT_MOST` at most): its line, what
    it led to, then what to do with them."""
    ordered = sorted(listings, key=lambda item: item.status != "open")[:LISTED_AT_MOST]
    said = [translate(language, "own_listing.named_several", words=words)]
    for item in ordered:
        echoes = _echoes(item, context, language)
        said.append(_line(item, context, language).lstrip("\n") + (f"\n  {echoes}" if echoes else ""))
    actor = context.actor
    if actor is not None and actor.paused and any(item.status == "open" for item in ordered):
        said.append(translate(language, "own_listing.paused", resume=translate(language, "pause.resume_command")))
    said.append(translate(language, "own_listing.actions_several"))
    return "\n".join(said)
