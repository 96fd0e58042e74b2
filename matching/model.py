"""Inputs and outputs of the matching engine: plain frozen dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "ActorRecord",
    "History",
    "ListingRecord",
    "MatchingConfig",
    "Place",
    "Reason",
    "Suggestion",
]


@dataclass(frozen=True, slots=True)
class Place:
    """A commune with what the engine needs to know about it (see ``place_from_resolver``)."""

    commune_code: str
    epci_code: str | None = None
    departement_code: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class ActorRecord:
    """One actor (row of ``actors``) as the engine sees it."""

    id: int
    kind: str  # "association" | "entreprise" | "collectivite" | "autre"
    commune_code: str
    epci_code: str | None = None
    departement_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    themes: frozenset[str] = frozenset()
    description: str = ""
    consent_matching: bool = True
    paused: bool = False
    unreachable: bool = False
    is_demo: bool = False
    updated_at: date | None = None
    """Last profile change; used for the freshness of theme pairs (neutral when unknown)."""
    commune_name: str = ""
    epci_name: str = ""
    departement_name: str = ""
    """Names of the actor's places, for explanations in words ("vous êtes tous deux à Villeurbanne")."""
    territory: tuple[str, str] | None = None
    """A local authority's own territory when wider than its commune: ``("epci", code)`` (a
    communauté de communes, a métropole) or ``("departement", code)``; None: its commune
    (see ``matching.theme_pairs.authority_territory``)."""

    @property
    def place(self) -> Place:
        return Place(self.commune_code, self.epci_code, self.departement_code, self.lat, self.lon)


@dataclass(frozen=True, slots=True)
class ListingRecord:
    """One need or offer (row of ``listings``).

    The zone is ``zone_kind``/``zone_code`` (``radius_km`` for radius zones, centred on the
    commune ``zone_code``). Zones are built around a commune, the *anchor*: by default the
    actor's commune (that is how the conversation builds them); pass ``anchor`` when the
    listing's zone was built around another commune (e.g. the actor moved since).
    """

    id: int
    actor_id: int
    kind: str  # "need" | "offer"
    category: str
    subcategory: str | None = None
    themes: frozenset[str] = frozenset()
    description: str = ""
    zone_kind: str = "commune"  # "commune" | "epci" | "departement" | "radius"
    zone_code: str = ""
    radius_km: float | None = None
    created_at: date = date.min
    expires_at: date = date.max
    status: str = "open"  # "open" | "closed"
    anchor: Place | None = None


@dataclass(frozen=True, slots=True)
class History:
    """What happened before this round.

    ``suggested``: (for_actor, other_actor, day) — ``other_actor`` was proposed to
    ``for_actor`` on ``day``. ``declined``: (actor, other_actor) pairs declined as such (a
    theme pair, an introduction asked without listings), in either direction: those two actors
    are never suggested to each other again. ``declined_listings``: (listing, listing) pairs
    declined (that need ↔ that offer), in either direction: that pair is never suggested again,
    other pairings of the same actors still may be.
    """

    suggested: tuple[tuple[int, int, date], ...] = ()
    declined: tuple[tuple[int, int], ...] = ()
    declined_listings: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class MatchingConfig:
    """Tunables of a suggestion round (defaults are the product's)."""

    max_per_digest: int = 3
    """Suggestions per actor and round."""
    fairness_cap: int = 5
    """An actor is proposed to others at most this many times per fairness window."""
    fairness_window_days: int = 7
    recent_weeks: int = 12
    """A pair suggested (either way) in the last ``recent_weeks`` weeks is not suggested again."""
    theme_pairs: bool = True
    """Also suggest actors sharing a theme on the same commune or EPCI."""
    # Score = weighted sum of components in [0, 1] (+ cross-sector bonus). Meaning first.
    weight_meaning: float = 0.60
    """Need ↔ offer: calibrated relevance of the two descriptions (see ``meaning_low``/``meaning_high``)."""
    meaning_low: float = 0.0
    meaning_high: float = 0.06
    """Meaning (cosine minus the mean hubness of the two texts) mapped linearly to relevance 0 → 1."""
    relevance_floor: float = -0.005
    """Below this meaning, a need and an offer are not presented as answering each other."""
    relevance_margin: float = 0.007
    """Nor when the meaning is more than this below the listing's best overlapping candidate."""
    own_right_pairs: bool = True
    """A pair also passes the margin rule for one side when it is within ``mutual_margin`` of the
    *other* side's best: the Mairie de Saint-Priest's rooms, whose best need is a Repair Café's
    workshop premises, reach that need although it has a slightly closer offer elsewhere (while
    the need has free slots, a second offer relevant in its own right is suggested too). The
    floor, the support of weak pairs and the facets still apply (see docs/matching.md)."""
    relevance_sure: float = 0.02
    mutual_margin: float = 0.003
    """Below ``relevance_sure``, a pair must also be within ``mutual_margin`` of the *other*
    side's best candidate (mutual: the offer's best needs include this one). e5 scores cluster:
    a weak pair is only trusted when neither side has a clearly better partner. Chosen on the
    labelled set 1 (pooled over 10 placements), checked on the held-out set 2
    (``bench/matching_quality.py --seeds 10``): a sure bar of 0.01 let through pairs such as a
    meeting room ↔ a sports hall "le soir" (0.011), whose offer has a clearly better need of its
    own; a mutual margin of 0.003 rather than 0.005 turns down more of those (see docs/matching.md)."""
    weak_pairs_need_support: bool = True
    """Below ``relevance_sure``, a pair must also share a theme or a content word (a stem's
    first 5 letters) with the other listing: weak meaning alone is not trusted. In a sparse
    place the rank rules above compare a listing with 2–3 candidates, and a misread text's best
    wrong candidate passes them (a vestiaire's clothes need ↔ a bike shop's tools, 0.008,
    mutual). Chosen on set 1 (pooled over 10 placements), checked on the held-out set 2 (see
    docs/matching.md)."""
    facets: bool = True
    """Read each listing's object and time facets (``matching.facets``, a bilingual lexicon):
    known but disjoint object facets (a van ↔ bread) are never a need ↔ offer pair; a shared one
    lifts the pair over ``relevance_floor``, supports it when weak and adds ``weight_facet``; days or
    parts of the day known on both sides and disjoint (samedi ↔ mardi et jeudi) cost
    ``time_conflict_penalty`` and drop the pair when it is weak (see docs/matching.md, "Facets")."""
    weight_facet: float = 0.15
    time_conflict_penalty: float = 0.5
    neutral_relevance: float = 0.3
    """Relevance of a pair where one description has no vector (empty, emoji only, not embedded yet)."""
    weight_category: float = 0.30
    weight_theme: float = 0.20
    weight_geo: float = 0.25
    weight_text: float = 0.15
    """Theme pairs: relevance of the two profiles' descriptions."""
    weight_freshness: float = 0.10
    cross_sector_bonus: float = 0.15
    theme_pairs_between_companies: bool = False
    """Theme pairs between two companies (off: see ``matching.theme_pairs.theme_pair_allowed``)."""
    theme_pairs_authority_commune_only: bool = True
    """A local authority is a theme partner on its own commune only."""
    weight_listing_fit: float = 0.2
    """Theme pairs: added when the other side offers what the receiver needs (or needs what it
    offers), taken off when the receiver has needs and the other offers only other things
    (``matching.theme_pairs.theme_pair_fit``): a rugby club meets the town hall lending rooms
    before the bank."""
    theme_pair_epci_geo: float = 0.5
    """Place component of a theme pair on the same EPCI but not the same commune (1 on the
    same commune): a partner in one's own commune first."""
    theme_pair_fit: float = 0.4
    """Category-fit component of a theme pair; its whole score is then scaled below
    ``weight_category``, the lowest score of a need ↔ offer pair, so it never outranks one."""
    distance_scale_km: float = 100.0
    """Beyond the département, geo score = 0.5 × (1 − distance / scale), floored at 0."""
    freshness_days: int = 120
    """A listing's freshness falls linearly from 1 (created today) to 0 at this age."""
    text_reason_threshold: float = 0.5
    """Profiles' relevance from which "similar presentations" is given as a reason."""
    probe_per_tier: int = 4
    """Theme pairs: actors examined per actor on its commune, then on its EPCI."""
    candidates_per_actor: int = 8
    """Best candidates kept per actor before the fairness pass."""
    description_chars: int = 90
    """Descriptions quoted in explanations are cut to this length."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One translatable piece of explanation: a catalog key and its parameters.

    Parameter values are plain strings or numbers; ``theme``/``themes``/``mine_kind``/
    ``their_kind`` hold vocabulary values that :func:`matching.explain` translates.
    """

    key: str
    params: tuple[tuple[str, object], ...] = ()

    def as_dict(self) -> dict[str, object]:
        return dict(self.params)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """``other_actor`` proposed to ``for_actor``."""

    for_actor: int
    other_actor: int
    score: float
    reasons: tuple[Reason, ...]
    kind: str  # "need_offer" | "offer_need" | "theme"
    my_listing_id: int | None = None
    their_listing_id: int | None = None
