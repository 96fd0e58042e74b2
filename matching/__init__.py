"""Matching engine: who to suggest to whom, and why (pure, deterministic, no I/O).

>>> from matching import suggest_round, MatchingConfig, History
>>> suggest_round(actors, listings, History(), MatchingConfig(), today)  # doctest: +SKIP
{actor_id: [Suggestion(...), ...], ...}

See ``docs/matching.md`` for the rules, the scores and the translation keys.
"""

from .engine import CROSS_SECTOR_KINDS, eligible_actor, explain, open_listing, place_from_resolver, suggest_round, with_current_quotes
from .geo import Zone, closeness, zones_overlap
from .model import ActorRecord, History, ListingRecord, MatchingConfig, Place, Reason, Suggestion
from .text import TextIndex, fold, stems
from .vectors import Vectors, decode_blob, encode_blob, meaningful_text

REASON_KEYS: tuple[str, ...] = (
    "match.same_commune",
    "match.same_epci",
    "match.same_departement",
    "match.distance",
    "match.theme",
    "match.themes",
    "match.need_offer",
    "match.offer_need",
    "match.co_construction",
    "match.their_profile",
    "match.similar_text",
    "match.cross_sector",
    "match.in_commune",
    "match.in_epci",
    "match.in_departement",
    "match.you_seek",
    "match.you_offer",
    "match.both_theme",
    "match.both_themes",
    "match.theme_pair",
    "match.similar_profiles",
    "match.alliance",
    "match.together_in_commune",
    "match.together_in_epci",
    "match.together_same_commune",
    "match.together_same_epci",
    "match.together_in_departement",
    "match.together_same_departement",
    "match.joint_project",
    "match.skill",
)

__all__ = [
    "CROSS_SECTOR_KINDS",
    "REASON_KEYS",
    "ActorRecord",
    "History",
    "ListingRecord",
    "MatchingConfig",
    "Place",
    "Reason",
    "Suggestion",
    "TextIndex",
    "Vectors",
    "Zone",
    "closeness",
    "decode_blob",
    "eligible_actor",
    "encode_blob",
    "explain",
    "fold",
    "meaningful_text",
    "open_listing",
    "place_from_resolver",
    "stems",
    "suggest_round",
    "with_current_quotes",
    "zones_overlap",
]
