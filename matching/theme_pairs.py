"""Theme pairs (two actors on the same theme and place, no need and offer answering each other):
which pairs are worth proposing, how each side's open listings rank them, and their reasons in words.

Kept apart from the engine's need ↔ offer scoring (``matching.engine`` calls these): a theme
pair is proposed below every need ↔ offer pair, so these rules only order and filter the
weakest suggestions of a digest.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from .geo import SAME_COMMUNE, SAME_EPCI
from .model import ActorRecord, ListingRecord, MatchingConfig, Reason

__all__ = ["ListingKinds", "listing_kinds", "theme_pair_allowed", "theme_pair_fit", "theme_pair_reasons"]

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
    two firms on "emploi et insertion" read as a sales lead); a local authority's service acts
    for its own commune, so it is paired beyond it only when ``theme_pairs_authority_commune_only``
    is off (a Villeurbanne municipal service is no partner for a Saint-Priest association).
    """
    if not cfg.theme_pairs_between_companies and a.kind == COMPANY and b.kind == COMPANY:
        return False
    local = a.commune_code == b.commune_code
    return local or not (cfg.theme_pairs_authority_commune_only and LOCAL_AUTHORITY in (a.kind, b.kind))


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
    name = me.commune_name if level == SAME_COMMUNE else me.epci_name if level == SAME_EPCI else ""
    return [*_together(level, name, tuple(shared[:3])), _JOINT_PROJECT]


@functools.lru_cache(maxsize=4096)
def _together(level: int, name: str, themes: tuple[str, ...]) -> tuple[Reason, ...]:
    """The first reason of a theme pair, shared by every suggestion that says the same (a round may make 100k)."""
    if not themes:
        return ()
    if name:
        key, param = ("match.together_in_commune", "commune") if level == SAME_COMMUNE else ("match.together_in_epci", "epci")
        return (Reason(key, (("themes_the", themes), (param, name))),)
    key = "match.together_same_commune" if level == SAME_COMMUNE else "match.together_same_epci"  # theme pairs: one commune or EPCI
    return (Reason(key, (("themes_the", themes),)),)


_JOINT_PROJECT = Reason("match.joint_project")
