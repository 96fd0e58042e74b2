"""Facets: what a listing is about within its category, and when — a small bilingual lexicon.

The sentence model (multilingual-e5-small) cannot tell a van from bread in two short texts
about food aid (meaning 0.010 and 0.015, see docs/matching.md, 30/11/2026 "Facets"). Within a
category, the *object* of a listing (in ``materiel``: a vehicle, food, computers…; in
``locaux``: a meeting room, storage, a kitchen…; in ``financement``: the funder's focus) and
its *time* (days of the week, part of the day) are read here from a small explicit table,
French and English words side by side:

- an object facet is a set of word stems: a listing has the facet when its description
  contains every stem of one of its entries ("chambre froide" needs both words);
- the object is read before the first purpose word ("pour", "afin", "for", "to"): « un camion pour
  aller chercher les dons de la banque alimentaire » is a vehicle, not food (the whole text
  when nothing is found before it; financement reads the whole text, its focus follows "pour");
- words are read as :func:`matching.text.stems` reads them (accents folded, Snowball French
  stems; an English word goes through the same stemmer, so the lexicon and the texts agree);
  each single word also stands for its plural (``word + "s"``);
- time facets are read on the folded text with patterns (a day, "week-end", "en semaine",
  "du lundi au vendredi", "le soir", their English forms), a day preceded by "sauf", "hors",
  "pas", "except" or "not" is taken out ("tous les jours sauf le dimanche").

Financement: the funder's focus is read from its description; a need's themes also count as
its focus (a sponsor of "projets de mobilité douce" meets a bike association's "un mécène
pour l'outillage"). A shared facet also lifts a pair over ``relevance_floor`` (the model's
meaning of two money texts says little). No word of a labelled evaluation set is special-cased:
the entries are the common words of each kind of object.

:func:`facet_codes` gives one listing's ``(object bits, time bits)``, two small ints the engine
stores once per listing (``matching.engine``). What the engine does with them (docs/matching.md):
known but disjoint object facets are never a need ↔ offer pair; a shared one supports a weak
pair and adds ``weight_facet`` to the score; days (or parts of the day) known on both sides and
disjoint demote the pair by ``time_conflict_penalty`` and drop it when it is weak.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable

from .model import ListingRecord
from .text import fold, stems

__all__ = [
    "FOCUS_OF_THEME",
    "OBJECT_FACETS",
    "TIME_ALL_DAYS",
    "TIME_PART_SHIFT",
    "facet_codes",
    "facet_names",
    "implied_room_offers",
    "object_bits",
    "text_object_bits",
    "theme_bits",
    "time_bits",
]

# Category → facet → entries, comma-separated ("chambre froide": both words). French, then English.
# Left out on purpose: words that mean something else in the other language or in French
# ("car" is also "because", "stage" an internship, "terrain" a plot of land, "invendu" any unsold goods).
OBJECT_FACETS: dict[str, dict[str, str]] = {
    "materiel": {
        "vehicle": "camion, camionnette, utilitaire, fourgon, fourgonnette, vehicule, voiture, minibus, remorque, chauffeur, "
        "van, truck, lorry, minivan, vehicle, trailer, driver",
        "food": "denree, pain, viennoiserie, baguette, repas, nourriture, aliment, alimentaire, legume, fruit, conserve, "
        "epicerie, produit frais, date limite, food, meal, bread, groceries, produce",
        "computers": "ordinateur, ordi, informatique, tablette, ecran, imprimante, smartphone, telephone, clavier, pc, portable reconditionne, "
        "laptop, computer, tablet, printer, screen, monitor, keyboard",
        "furniture": "meuble, mobilier, armoire, etagere, canape, bureau, lit, furniture, shelf, shelves, desk, sofa, wardrobe",
        "tools": "outil, outillage, perceuse, visseuse, scie, etabli, tool, toolkit, drill, workbench",
        "cold": "refrigerateur, frigo, frigidaire, congelateur, refrigere, refrigeree, chambre froide, "
        "fridge, freezer, refrigerator, refrigerated, cold room, cold storage",
        "sports_gear": "ballon, maillot, raquette, crampon, chasuble, equipement sportif, ball, jersey, racket, sports equipment",
        "event_gear": "barnum, tente, sono, sonorisation, chapiteau, podium, estrade, chaise, table, projecteur, "
        "gazebo, marquee, tent, chair, speaker, projector",
        "clothes": "vetement, chaussure, blouson, manteau, textile, clothes, clothing, shoe, coat, jacket",
    },
    "locaux": {
        "meeting_room": "reunion, conference, salle municipale, meeting",
        "storage": "stockage, entrepot, entreposer, entreposage, depot, hangar, garage, cave, storage, warehouse",
        "kitchen": "cuisine, kitchen",
        "office": "bureau, coworking, office",
        "sports_hall": "gymnase, stade, terrain de sport, terrain de foot, dojo, piscine, complexe sportif, salle de sport, gym, stadium, pitch, sports hall",
        "cold": "refrigere, refrigeree, chambre froide, froid, frigorifique, refrigerated, cold room, cold storage",
    },
}

# Financement: the funder's stated focus, read from its description; the needer's focus is
# read from its description and from its themes (FOCUS_OF_THEME). Facet names are theme values.
FUNDING_FOCUS: dict[str, str] = {
    "mobilite": "mobilite, velo, cycle, cyclable, transport, covoiturage, mobility, bike, bicycle, cycling",
    "sante": "sante, soin, prevention, medical, medico, handicap, health, healthcare, disability",
    "sport": "sport, sportif, sportive, club, football, basket, rugby, maillot, athletic",
    "education_jeunesse": "education, educatif, educative, jeune, jeunesse, ecole, scolaire, enfant, devoir, youth, school, children, young",
    "culture": "culture, culturel, culturelle, art, artistique, musique, theatre, festival, patrimoine, music, arts, heritage",
    "environnement": "environnement, ecologie, ecologique, climat, biodiversite, jardin, recyclage, reparation, dechet, "
    "environment, ecology, climate, garden, recycling, repair",
    "alimentation": "alimentation, alimentaire, nourriture, repas, food, meal",
    "solidarite_social": "solidarite, social, sociale, precarite, pauvrete, exclusion, solidarity, poverty",
    "emploi_insertion": "emploi, insertion, chomage, employment, job",
    "numerique": "numerique, informatique, digital, computer",
    "logement": "logement, habitat, hebergement, housing, shelter",
    "citoyennete": "citoyennete, citoyen, democratie, civic, citizenship",
}
OBJECT_FACETS["financement"] = FUNDING_FOCUS
FOCUS_OF_THEME: dict[str, str] = {theme: theme for theme in FUNDING_FOCUS}
"""A needer's theme counts as its focus (financement only): a sponsor's focus meets the club's theme."""

# Time: 7 day bits (Monday first), then 3 parts of the day.
_DAYS = {
    "lundi": 0, "monday": 0, "mardi": 1, "tuesday": 1, "mercredi": 2, "wednesday": 2, "jeudi": 3, "thursday": 3,
    "vendredi": 4, "friday": 4, "samedi": 5, "saturday": 5, "dimanche": 6, "sunday": 6,
}  # fmt: skip
TIME_ALL_DAYS = 0x7F
_WEEKDAYS = 0x1F
_WEEKEND = 0x60
TIME_PART_SHIFT = 7
_MORNING, _AFTERNOON, _EVENING = 1 << 7, 1 << 8, 1 << 9
_DAY = "|".join(sorted(_DAYS, key=len, reverse=True))
_NEG = r"(?:sauf|hors|pas|jamais|except|not|never|no)\s+(?:le\s+|les\s+|on\s+|the\s+)?"
_TIME_WORDS: tuple[tuple[str, int], ...] = (
    (r"en semaine|jours? de (?:la )?semaine|jours? ouvres?|during the week|weekdays?", _WEEKDAYS),
    (r"week[- ]?ends?|fins? de semaine", _WEEKEND),
    (r"matin(?:ee)?s?|mornings?", _MORNING),
    (r"apres[- ]midis?|afternoons?", _AFTERNOON),
    (r"soir(?:ee)?s?|evenings?|nights?", _EVENING),
    (r"tous les jours|chaque jour|7 ?j ?/ ?7|every ?day|daily", TIME_ALL_DAYS),
)
# One pass over the text: a range of days, a day, or one of the words above, maybe negated.
_TIME = re.compile(
    rf"\b(?P<neg>{_NEG})?(?:(?P<range>(?:du |de |from )?(?:{_DAY})s? (?:au|a|to|-) (?:{_DAY})s?)|(?P<day>{_DAY})s?"
    + "".join(f"|(?P<w{k}>{words})" for k, (words, _) in enumerate(_TIME_WORDS))
    + r")\b"
)
_DAY_IN = re.compile(rf"{_DAY}")
_TIME_TRIGGERS = (
    frozenset(_DAYS)
    | {day + "s" for day in _DAYS}
    | frozenset(
        "week weekend weekends semaine ouvre ouvres matin matins matinee midi midis soir soirs soiree soirees morning mornings "
        "afternoon afternoons evening evenings night nights jour jours day days daily everyday weekday weekdays 7j".split()
    )
)
"""Words without which a text names no time (most texts): the patterns are skipped."""
_WORD = re.compile(r"[a-z0-9]+")
_PURPOSE_WORDS = frozenset({"pour", "afin", "for", "to"})


def _entries(words: str) -> list[frozenset[str]]:
    out: list[frozenset[str]] = []
    for entry in (w.strip() for w in words.split(",")):
        found = stems(entry)
        if found:
            out.append(frozenset(found))
            if " " not in entry:  # the plural reads the same
                plural = stems(entry + "s")
                if plural and plural != found:
                    out.append(frozenset(plural))
    return out


@functools.cache
def _lexicon(category: str) -> tuple[tuple[str, ...], dict[str, tuple[tuple[int, frozenset[str]], ...]]]:
    """(facet names, first stem → its (bit, stems) entries) of ``category``, built once."""
    facets = OBJECT_FACETS.get(category, {})
    names = tuple(facets)
    by_stem: dict[str, list[tuple[int, frozenset[str]]]] = {}
    for k, name in enumerate(names):
        for entry in _entries(facets[name]):
            by_stem.setdefault(min(entry), []).append((1 << k, entry))
    return names, {stem: tuple(found) for stem, found in by_stem.items()}


def object_bits(category: str, text: str | None, themes: Iterable[str] = ()) -> int:
    """Object facets of a listing of ``category`` (bit k: the k-th facet of the category; 0: none known).

    ``themes`` count as focus facets (financement only; pass the needer's themes).
    """
    bits = text_object_bits(category, text)
    return bits | theme_bits(category, themes) if themes else bits


def text_object_bits(category: str, text: str | None) -> int:
    """Object facets named in ``text`` (read before the first purpose word when it names one)."""
    _, by_stem = _lexicon(category)
    if not by_stem or not text:
        return 0
    found = _stems_in_order(text)
    if category != "financement":  # the object, not its purpose: "un camion pour … alimentaire"
        cut = next((k for k, stem in enumerate(found) if stem is None), len(found))
        if cut < len(found):
            bits = _bits_of(by_stem, found[:cut])
            if bits:
                return bits
    return _bits_of(by_stem, found)


_word_stem: dict[str, str | None] = {}


def _stems_in_order(text: str) -> list[str | None]:
    """The stems of ``text``'s words in order; a purpose word is ``None`` (stop-words left out)."""
    out: list[str | None] = []
    cache = _word_stem
    for word in _WORD.findall(fold(text)):
        stem = cache.get(word, "")
        if stem == "":
            if word in _PURPOSE_WORDS:
                stem = None
            else:
                found = stems(word)
                stem = found[0] if found else ""
            if len(cache) < 200_000:
                cache[word] = stem
        if stem != "":
            out.append(stem)
    return out


def theme_bits(category: str, themes: Iterable[str]) -> int:
    """A needer's themes as focus facets (financement only; 0 elsewhere)."""
    if category != "financement":
        return 0
    names, _ = _lexicon(category)
    bits = 0
    for theme in themes:
        facet = FOCUS_OF_THEME.get(theme)
        if facet is not None:
            bits |= 1 << names.index(facet)
    return bits


def _bits_of(by_stem: dict[str, tuple[tuple[int, frozenset[str]], ...]], found: list[str | None]) -> int:
    words: set[str | None] | None = None
    bits = 0
    for stem in found:
        for bit, entry in by_stem.get(stem, ()) if stem is not None else ():
            if len(entry) == 1:
                bits |= bit
            else:
                if words is None:
                    words = set(found)
                if entry <= words:
                    bits |= bit
    return bits


def time_bits(text: str | None) -> int:
    """Days (bits 0–6, Monday first) and parts of the day (7: morning, 8: afternoon, 9: evening) named in ``text``."""
    if not text:
        return 0
    folded = fold(text)
    if _TIME_TRIGGERS.isdisjoint(_WORD.findall(folded)):  # most descriptions name no time
        return 0
    bits = excluded = 0  # "sauf le dimanche", "not on weekends": taken out of what is named
    for match in _TIME.finditer(folded):
        kind = match.lastgroup
        if kind == "range":
            first, last = (_DAYS[d] for d in _DAY_IN.findall(match.group("range"))[:2])
            found = 0
            for d in range(first, (last if last >= first else last + 7) + 1):
                found |= 1 << (d % 7)
        elif kind == "day":
            found = 1 << _DAYS[match.group("day")]
        else:
            found = _TIME_WORDS[int(kind[1:])][1] if kind else 0
        if match.group("neg"):
            excluded |= found
        else:
            bits |= found
    return bits & ~(excluded & TIME_ALL_DAYS)


def facet_codes(category: str, kind: str, text: str | None, themes: Iterable[str] = ()) -> tuple[int, int]:
    """``(object bits, time bits)`` of one listing; a need's themes count as focus in financement."""
    return object_bits(category, text, themes if kind == "need" else ()), time_bits(text)


def facet_names(category: str, bits: int) -> list[str]:
    """The names of the object facets in ``bits`` (for tests and docs)."""
    names, _ = _lexicon(category)
    return [name for k, name in enumerate(names) if bits >> k & 1]


ROOM_CATEGORY = "locaux"
_ROOM = r"(?:salles?|locaux|local|lieu|espace|salle des fetes|room|rooms|venue|premises|space)"
_DET = r"(?:(?:la|le|les|l|une|un|des|notre|nos|leur|leurs|the|a|our)\s+)?"
PROVIDES_ROOM = re.compile(
    r"\b(?:on|nous|we)\s+(?:vous\s+|leur\s+|lui\s+|can\s+|will\s+)?"
    r"(?:fourni\w*|fournit|fournissons|pret\w*|prete\w*|met\w*\s+a\s+disposition|mettons\s+a\s+disposition|offr\w*|"
    r"accueill\w*|provide|lend|offer|host)\s+"
    + _DET
    + _ROOM
    + r"\b"
    + r"|\b"
    + _ROOM
    + r"\s+(?:est\s+|sont\s+|is\s+)?(?:fourni\w*|offert\w*|pret\w*|mis\w*\s+a\s+disposition|provided)\b"
)
"""A listing of another category that says its author provides a room ("on fournit la salle et
la com", "nous prêtons nos locaux", "salle mise à disposition", "we provide the venue")."""


def implied_room_offers(listings: Iterable[ListingRecord]) -> list[ListingRecord]:
    """The room offers said inside listings of other categories, as offers of ``locaux``.

    A collectivité's partnership need « On cherche des assos pour animer un repair café mensuel
    à la salle des fêtes, on fournit la salle et la com. » also offers a room: an association
    that needs one monthly should meet it. Each is a copy of its listing (same owner, zone,
    themes, text, dates) of kind ``offer`` and category ``locaux``, whose id is the listing's
    id negated (the caller maps suggestions back to the listing). Only open needs and offers
    outside ``locaux`` are read (a room offer is already one).
    """
    found = []
    for listing in listings:
        if listing.category == ROOM_CATEGORY or listing.kind not in ("need", "offer") or not listing.description:
            continue
        if PROVIDES_ROOM.search(fold(listing.description)):
            found.append(dataclasses.replace(listing, id=-listing.id, kind="offer", category=ROOM_CATEGORY, subcategory=None))
    return found
