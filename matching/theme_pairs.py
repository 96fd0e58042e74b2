"""Theme pairs (two actors on the same theme and place, no need and offer answering each other):
which pairs are worth proposing, how each side's open listings rank them, and their reasons in words.

Kept apart from the engine's need ↔ offer scoring (``matching.engine`` calls these): a theme
pair is proposed below every need ↔ offer pair, so these rules only order and filter the
weakest suggestions of a digest.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date

from .facets import text_object_bits
from .geo import SAME_COMMUNE, SAME_DEPARTEMENT, SAME_EPCI, Zone, closeness, zones_overlap
from .model import ActorRecord, History, ListingRecord, MatchingConfig, Reason, Suggestion

__all__ = [
    "ListingKinds",
    "authority_territory",
    "listing_kinds",
    "listing_pairs_behind_themes",
    "same_object",
    "theme_pair_allowed",
    "theme_pair_fit",
    "theme_pair_reasons",
]

COMPANY = "entreprise"
LOCAL_AUTHORITY = "collectivite"

ListingKinds = dict[int, int]
"""Per actor: the categories of its open needs (low bits) and offers (shifted by ``OFFER_SHIFT``), as bits."""
OFFER_SHIFT = 16


def listing_kinds(listings: Iterable[ListingRecord]) -> ListingKinds:
    """The categories each actor needs and offers, from the round's open listings (one small int
    per actor: the round may hold a million listings)."""
    bits: dict[str, int] = {}
    kinds: ListingKinds = {}
    for listing in listings:
        bit = bits.get(listing.category)
        if bit is None:
            bit = bits[listing.category] = 1 << (len(bits) % OFFER_SHIFT)
        kinds[listing.actor_id] = kinds.get(listing.actor_id, 0) | (bit if listing.kind == "need" else bit << OFFER_SHIFT)
    return kinds


def theme_pair_allowed(a: ActorRecord, b: ActorRecord, cfg: MatchingConfig) -> bool:
    """Whether two actors sharing a theme nearby may be proposed to each other.

    Two companies are not (``theme_pairs_between_companies``: the product joins sectors, and
    two firms on "emploi et insertion" read as a sales lead); a local authority acts for its own
    territory — its commune (a Villeurbanne municipal service is no partner for a Saint-Priest
    association), or the whole intercommunalité or département it governs (``territory``) —, so
    it is paired beyond it only when ``theme_pairs_authority_commune_only`` is off. Two
    authorities are paired when one's territory holds the other (the Métropole and a town of it).
    """
    if not cfg.theme_pairs_between_companies and a.kind == COMPANY and b.kind == COMPANY:
        return False
    if a.commune_code == b.commune_code or not cfg.theme_pairs_authority_commune_only:
        return True
    if a.kind == LOCAL_AUTHORITY and b.kind == LOCAL_AUTHORITY:
        return inside(b, a.territory) or inside(a, b.territory)
    if a.kind == LOCAL_AUTHORITY:
        return inside(b, a.territory)
    return b.kind != LOCAL_AUTHORITY or inside(a, b.territory)


def inside(actor: ActorRecord, territory: tuple[str, str] | None) -> bool:
    """Whether ``actor``'s commune lies in ``territory`` (None: a commune's own, never beyond it)."""
    if territory is None:
        return False
    kind, code = territory
    return bool(code) and (actor.epci_code if kind == "epci" else actor.departement_code if kind == "departement" else None) == code


def _words(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split()) + " "


_EPCI_WORDS = re.compile(
    r" (?:communaute (?:de communes|d agglomeration|urbaine)|agglomeration|agglo|metropole|intercommunalite|intercommunal|epci|"
    r"cc|ca|cu|cdc|cda|grand) "
)
_EPCI_PREFIX = re.compile(
    r"^ (?:(?:communaute (?:de communes|d agglomeration|urbaine)|agglomeration|agglo|metropole|eurometropole|cc|ca|cu|grand)\s+)"
    r"(?:(?:du|de la|de l|des|de|d|l|la|le)\s+)?"
)
_DEPARTEMENT_WORDS = re.compile(r" (?:departement|departemental|departementale|conseil general|collectivite europeenne|cd ?\d\w?) ")


def authority_territory(
    name: str,
    epci: tuple[str | None, str],
    departement: tuple[str | None, str],
    coordinated: tuple[tuple[str, str], ...] = (),
) -> tuple[str, str] | None:
    """The territory a local authority governs beyond its commune, from what it is: the area of a
    coordinator appointment held by the same person (a département's associative-life team), or
    its name when it names its own intercommunalité ("Communauté de communes du Pays de Gex",
    "Métropole de Lyon") or département ("Conseil départemental du Rhône", "Département de la
    Gironde"). ``epci`` and ``departement`` are the (code, name) of its commune's; None: its commune."""
    (epci_code, epci_name), (dep_code, dep_name) = epci, departement
    areas = {kind: code for kind, code in coordinated}
    if dep_code and areas.get("departement") == dep_code:
        return ("departement", dep_code)
    if epci_code and areas.get("epci") == epci_code:
        return ("epci", epci_code)
    said = _words(name)
    if dep_code and _DEPARTEMENT_WORDS.search(said):
        named = _words(dep_name).strip()
        code = dep_code.lower()
        if (named and f" {named} " in said) or f" {code} " in said or f" cd{code} " in said:
            return ("departement", dep_code)
    if epci_code and epci_name:
        whole = _words(epci_name)
        distinctive = _EPCI_PREFIX.sub(" ", whole).strip()
        if whole.strip() in said or (len(distinctive) >= 3 and f" {distinctive} " in said and _EPCI_WORDS.search(said)):
            return ("epci", epci_code)
    return None


def theme_pair_fit(mine: int | None, theirs: int | None) -> int:
    """How the other side's open listings fit the receiver's (``listing_kinds`` values): 1, -1 or 0.

    1: they offer a category the receiver needs, or need one it offers (a rugby club looking
    for premises ↔ a town hall lending rooms, even when the texts did not make a pair);
    -1: the receiver has needs and they offer only other things (a club that asked for no
    money ↔ a bank's sponsorship); 0 otherwise (nothing known on one side).
    """
    if not mine or not theirs:
        return 0
    low = (1 << OFFER_SHIFT) - 1
    my_needs, my_offers = mine & low, mine >> OFFER_SHIFT
    their_needs, their_offers = theirs & low, theirs >> OFFER_SHIFT
    if my_needs & their_offers or my_offers & their_needs:
        return 1
    if my_needs and their_offers:
        return -1
    return 0


def theme_pair_reasons(level: int, me: ActorRecord, shared: list[str]) -> list[Reason]:
    """ "vous agissez tous deux pour l'alimentation dans la Métropole de Lyon, de quoi monter un
    projet ensemble": the shared themes and the area both are in, named (the commune when it is
    the same one, else the intercommunality), said positively."""
    names = {SAME_COMMUNE: me.commune_name, SAME_EPCI: me.epci_name, SAME_DEPARTEMENT: me.departement_name}
    return [*_together(level, names.get(level) or "", tuple(shared[:3])), _JOINT_PROJECT]


@functools.lru_cache(maxsize=4096)
def _together(level: int, name: str, themes: tuple[str, ...]) -> tuple[Reason, ...]:
    """The first reason of a theme pair, shared by every suggestion that says the same (a round may make 100k)."""
    if not themes:
        return ()
    place = {SAME_COMMUNE: "commune", SAME_DEPARTEMENT: "departement"}.get(level, "epci")  # theme pairs: one commune, EPCI or département
    if name:
        return (Reason(f"match.together_in_{place}", (("themes_the", themes), (place, name))),)
    return (Reason(f"match.together_same_{place}", (("themes_the", themes),)),)


_JOINT_PROJECT = Reason("match.joint_project")


SKILL_CATEGORY = "competences"
PICKED_SKILLS = frozenset({"juridique", "comptabilite", "communication", "numerique", "gestion_projet"})
"""The skills picked from the menu (``core.catalog.SKILLS`` but "autre")."""


_SKILL_REASONS = {skill: (Reason("match.skill", (("skill", skill),)),) for skill in sorted(PICKED_SKILLS)}


def skill_reasons(mine: ListingRecord, theirs: ListingRecord) -> tuple[Reason, ...]:
    """``match.skill`` ("compétence : comptabilité") when both listings are in ``competences`` with
    the same skill picked from the menu: the quoted descriptions may not name it; else nothing."""
    if mine.category != SKILL_CATEGORY or theirs.category != SKILL_CATEGORY or mine.subcategory != theirs.subcategory:
        return ()
    return _SKILL_REASONS.get(mine.subcategory or "", ())


def same_object(need: ListingRecord, offer: ListingRecord) -> bool:
    """Whether a need and an offer are about the same thing, read from what both sides chose or
    named rather than from the sentence model: in ``competences`` the same skill picked from the
    menu (accounting help ↔ accounting skills, whatever the words around them); elsewhere the
    same known object facets (``matching.facets``: laptops ↔ ordinateurs, nothing else named)."""
    if need.kind != "need" or offer.kind != "offer" or need.category != offer.category:
        return False
    if need.category == SKILL_CATEGORY:
        return need.subcategory in PICKED_SKILLS and need.subcategory == offer.subcategory
    bits = text_object_bits(need.category, need.description)
    return bits != 0 and bits == text_object_bits(offer.category, offer.description)


def listing_pairs_behind_themes(
    found: Mapping[int, list[Suggestion]],
    actors: Iterable[ActorRecord],
    listings: Iterable[ListingRecord],
    history: History | None,
    today: date,
    description_chars: int = 90,
) -> dict[int, list[Suggestion]]:
    """``found`` with each chosen theme pair that hides a need ↔ offer relation presented as that pair.

    A theme pair says "vous agissez tous deux pour l'emploi et l'insertion"; when the receiver
    has an open need and the other an open offer (or the reverse) about the same object
    (:func:`same_object`), whose zones overlap and that were never declined together, the
    suggestion says so ("vous cherchez … ; ils proposent …", kind ``need_offer`` or
    ``offer_need``, with both listings) — it is the same actor, the reason is the real one.
    Its score and rank stay those of the theme pair (below the digest's other need ↔ offer
    pairs): the sentence model did not rank the two texts as close.
    """
    themed = {(s.for_actor, s.other_actor) for found_ in found.values() for s in found_ if s.kind == "theme"}
    if not themed:
        return dict(found)
    wanted = {a for pair in themed for a in pair}
    by_id = {a.id: a for a in actors if a.id in wanted}
    open_of: dict[int, list[ListingRecord]] = {}
    for listing in listings:
        if listing.actor_id in wanted and listing.status == "open" and listing.expires_at >= today and listing.kind in ("need", "offer"):
            open_of.setdefault(listing.actor_id, []).append(listing)
    declined = set(history.declined_listings) if history is not None else set()
    out: dict[int, list[Suggestion]] = {}
    for actor_id, suggestions in found.items():
        out[actor_id] = [_as_listing_pair(s, by_id, open_of, declined, description_chars) if s.kind == "theme" else s for s in suggestions]
    return out


def _as_listing_pair(
    s: Suggestion,
    actors: Mapping[int, ActorRecord],
    open_of: Mapping[int, list[ListingRecord]],
    declined: set[tuple[int, int]],
    chars: int,
) -> Suggestion:
    me, them = actors.get(s.for_actor), actors.get(s.other_actor)
    if me is None or them is None:
        return s
    for mine in sorted(open_of.get(me.id, ()), key=lambda l: (l.kind != "need", -l.id)):  # the newest needs first
        for theirs in sorted(open_of.get(them.id, ()), key=lambda l: -l.id):
            need, offer = (mine, theirs) if mine.kind == "need" else (theirs, mine)
            if (need.id, offer.id) in declined or (offer.id, need.id) in declined or not same_object(need, offer):
                continue
            if not zones_overlap(_zone(need, actors[need.actor_id]), _zone(offer, actors[offer.actor_id])):
                continue
            level, _ = closeness(me.place, them.place)
            name = {SAME_COMMUNE: me.commune_name, SAME_EPCI: me.epci_name, SAME_DEPARTEMENT: me.departement_name}.get(level, "")
            place = [_PLACE_REASON[level](name)] if name and level in _PLACE_REASON else []
            key = "match.you_seek" if mine.kind == "need" else "match.you_offer"
            said = Reason(key, (("mine", _cut(mine.description, chars)), ("theirs", _cut(theirs.description, chars))))
            rest = [r for r in s.reasons if r.key == "match.alliance"]
            return dataclasses.replace(
                s,
                reasons=(*place, said, *skill_reasons(mine, theirs), *rest),
                kind="need_offer" if mine.kind == "need" else "offer_need",
                my_listing_id=mine.id,
                their_listing_id=theirs.id,
            )
    return s


_PLACE_REASON = {
    SAME_COMMUNE: lambda name: Reason("match.in_commune", (("commune", name),)),
    SAME_EPCI: lambda name: Reason("match.in_epci", (("epci", name),)),
    SAME_DEPARTEMENT: lambda name: Reason("match.in_departement", (("departement", name),)),
}


def _zone(listing: ListingRecord, owner: ActorRecord) -> Zone:
    return Zone.build(listing.zone_kind, listing.zone_code, listing.radius_km, listing.anchor or owner.place)


def _cut(text: str | None, n: int) -> str:
    """The description shortened at a word to ``n`` characters, as the engine quotes it."""
    joined = " ".join((text or "").split())
    if len(joined) <= n:
        return joined
    cut = joined[: n - 1]
    space = cut.rfind(" ")
    if space >= n // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"
