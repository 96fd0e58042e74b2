"""Theme pairs (two actors on the same theme and place, no need and offer answering each other):
which pairs are worth proposing, how each side's open listings rank them, and their reasons in words.

Kept apart from the engine's need ↔ offer scoring (``matching.engine`` calls these): a theme
pair is proposed below every need ↔ offer pair, so these rules only order and filter the
weakest suggestions of a digest.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from .geo import SAME_COMMUNE, SAME_DEPARTEMENT, SAME_EPCI
from .model import ActorRecord, ListingRecord, MatchingConfig, Reason

__all__ = [
    "ListingKinds",
    "authority_territory",
    "listing_kinds",
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
