"""The directory (``/annuaire``): coordinators browse every actor of their territory; actors browse
the profiles that accept introductions in their département, with their open needs and offers.
Filters by type, theme, category or commune, or a name typed; pages of :data:`PAGE`; each entry offers "Me
présenter" — the usual double opt-in, contacts only after both say yes. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conversations.decisions import listing_lines
from conversations.engine import Finish, Flow, InputError, Option, Step
from conversations.i18n import translate
from conversations.model import Context, Session, language_of
from conversations.picker import actor_label
from conversations.understanding import KIND_WORDS, excerpt, fold, match_choice, option_number, word_count
from core import catalog

PAGE = 8
"""Entries per page."""


@dataclass(frozen=True, slots=True)
class DirectoryIntroduce:
    """An actor asks to be introduced to an actor found in the directory (double opt-in)."""

    other_id: int


DIRECTORY_EFFECTS = (DirectoryIntroduce,)


def _filters(data: Mapping[str, Any]) -> dict[str, str]:
    which = data.get("filter")
    if which == "commune" and data.get("commune"):
        return {"commune": data["commune"]["code"]}
    if which in ("kind", "theme", "category") and data.get(which):
        return {which: str(data[which])}
    return {}


def _entries(session: Session, context: Context) -> list[Any]:
    lookup = context.lookup
    if lookup is None or not hasattr(lookup, "directory"):
        return []
    found = list(lookup.directory(context.areas, context.actor, tuple(sorted(_filters(session.data).items()))))
    said = session.data.get("filter")
    if isinstance(said, Mapping) and said.get(NAME):  # « boulangerie martin » typed at the filters
        return [entry for entry in found if _named(str(said[NAME]), entry.name)]
    return found


NAME = "name"
"""The filter step's answer when a name was typed (« Boulangerie Martin », « martin »): ``{NAME: the words}``."""


def _name_words(text: str) -> list[str]:
    """The words of a name, folded (case and accents aside), its punctuation out (« Gratte-Ciel » → gratte, ciel)."""
    return re.findall(r"[^\W_]+", fold(text))


def _named(typed: str, name: str) -> bool:
    """Whether every word typed starts a word of ``name`` (« boulangerie martin », « Martin », « boulang gratte »),
    an article aside (« la boulangerie martin », "the bakery")."""
    own = _name_words(name)
    words = [word for word in _name_words(typed) if word not in _ARTICLES or word in own]
    return bool(words) and all(any(word.startswith(typed_word) for word in own) for typed_word in words)


NAME_MAX_WORDS = 6
"""Longer than this, a text typed at the filters is a sentence, not a name."""
_ARTICLES = frozenset("le la les l un une de du des d the a an".split())


_FILTERS = tuple(Option(value, key=f"directory.filter.{value}") for value in ("all", "kind", "theme", "category", "commune"))


def _name_said(text: str, session: Session, context: Context) -> dict[str, str] | None:
    """A name typed at the filters instead of a choice (« Boulangerie Martin », « martin »): the actors of the directory
    (what this person may see there, nothing else) whose name has those words, case and accents aside. None for a
    filter chosen (« par thème », « 2 »); nobody of that name: said, and the filters asked again."""
    language = language_of(context)
    labels = [[option.render(language), option.value] for option in _FILTERS]
    chosen = match_choice(text, labels)
    if option_number(text) is not None or chosen.index is not None or chosen.close or not 0 < word_count(text) <= NAME_MAX_WORDS:
        return None  # a choice, or a sentence of its own (« on cherche un local »): read as before
    lookup = context.lookup
    if lookup is None or not hasattr(lookup, "directory"):
        return None
    everyone = lookup.directory(context.areas, context.actor, ())
    if not any(_named(text, entry.name) for entry in everyone):
        raise InputError("directory.no_name", name=excerpt(text, 60))
    return {NAME: text.strip()}


def _pages(session: Session, context: Context) -> int:
    return max(1, -(-len(_entries(session, context)) // PAGE))


def _entry_label(entry: Any, language: str) -> str:
    return actor_label(entry.name, entry.kind, entry.place, language)


def _entry_options(session: Session, context: Context) -> list[Option]:
    lang = language_of(context)
    page = int(session.data.get("page") or 1)
    found = _entries(session, context)
    options = [Option(str(e.id), label=_entry_label(e, lang)) for e in found[(page - 1) * PAGE : page * PAGE]]
    if len(found) > PAGE:
        options.append(Option("pages", key="directory.other_pages"))
    options.append(Option("again", key="directory.new_search"))
    return options


def _entry_params(session: Session, context: Context) -> dict[str, Any]:
    total = len(_entries(session, context))
    return {"count": total, "page": int(session.data.get("page") or 1), "pages": _pages(session, context)}


def _chosen(session: Session, context: Context) -> Any:
    return next((e for e in _entries(session, context) if str(e.id) == str(session.data.get("entry"))), None)


def _detail_params(session: Session, context: Context) -> dict[str, Any]:
    lang = language_of(context)
    entry = _chosen(session, context)
    if entry is None:
        return {"entry": "", "themes": "", "listings": ""}
    themes = ", ".join(translate(lang, f"theme.{theme}") for theme in entry.themes) or "—"
    listings = "".join("\n• " + line for line in listing_lines(entry.listings, lang))  # one line per listing, its skills named
    return {"entry": _entry_label(entry, lang), "themes": themes, "listings": listings or "\n• " + translate(lang, "directory.no_listing")}


def _detail_options(session: Session, context: Context) -> list[Option]:
    entry = _chosen(session, context)
    options = []
    if entry is not None and entry.consent and context.actor is not None and entry.id != context.actor.id:
        options.append(Option("introduce", key="directory.introduce"))
    options.append(Option("back", key="directory.back"))
    return options


def _check_commune(value: Any, _: Session, context: Context) -> str | None:
    if not context.areas:
        return None  # an actor: any commune (the list stays inside their département)
    inside = any(
        area.code == value["code"] or context.territories.contains(area.kind, area.code, value["code"])  # type: ignore[attr-defined]
        for area in context.areas
    )
    return None if inside else "broadcast.outside"


def _finish(data: Mapping[str, Any], context: Context) -> Finish:
    if data.get("detail") == "introduce":
        return Finish(effects=(DirectoryIntroduce(int(data["entry"])),))
    return Finish(message="directory.closed")


DIRECTORY = Flow(
    "directory",
    {
        "filter": Step(
            "filter",
            "choice",
            "directory.filter",
            next=lambda d: {"kind": "kind", "theme": "theme", "category": "category", "commune": "commune"}.get(
                str(d.get("filter")), "entry"
            ),
            options=_FILTERS,
            understand_in=_name_said,
        ),
        "kind": Step(
            "kind",
            "choice",
            "directory.pick_kind",
            next="entry",
            options=tuple(Option(k, key=f"actor_type.{k}", words=KIND_WORDS[k]) for k in catalog.ACTOR_TYPES),
        ),
        "theme": Step(
            "theme",
            "choice",
            "directory.pick_theme",
            next="entry",
            options=tuple(Option(t, key=f"theme.{t}") for t in catalog.THEME_VALUES),
        ),
        "category": Step(
            "category",
            "choice",
            "directory.pick_category",
            next="entry",
            options=tuple(Option(c, key=f"category.{c}") for c in catalog.CATEGORIES),
        ),
        "commune": Step("commune", "territory", "directory.pick_commune", next="entry", check=_check_commune),
        "entry": Step(
            "entry",
            "choice",
            "directory.list_n",
            next=lambda d: {"pages": "page", "again": "filter"}.get(str(d.get("entry")), "detail"),
            options=_entry_options,
            params=_entry_params,
        ),
        "page": Step(
            "page",
            "choice",
            "directory.pick_page",
            next="entry",
            options=lambda s, c: [Option(str(n), key="directory.page", params={"page": n}) for n in range(1, _pages(s, c) + 1)],
        ),
        "detail": Step(
            "detail",
            "choice",
            "directory.detail",
            next=lambda d: "entry" if d.get("detail") == "back" else None,
            options=_detail_options,
            params=_detail_params,
        ),
    },
    first="filter",
    finish=_finish,
    requires_actor=False,
)
