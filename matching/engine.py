"""The suggestion round: candidate pairs, meaning, scores, exclusions, fairness cap (pure, deterministic).

Need ↔ offer pairs: every need and offer of one category whose zones overlap are compared, in
numpy blocks per département (disks also across borders), meaning first (the cosine of their
vectors corrected for hubness, see ``matching.vectors``), then place, themes, freshness and
the cross-sector bonus; a pair below the calibrated relevance floor, or a weak pair that is
not among both sides' best (mutual) or that shares neither a theme nor a content word, is not a
need ↔ offer pair. Theme pairs (same theme, same commune or EPCI) are sampled, ``probe_per_tier`` per tier,
and score below every need ↔ offer pair. The best ``candidates_per_actor`` pairs of each
actor are kept in fixed numpy rows (``_Top``); a final greedy pass, best score first, gives each actor at
most ``max_per_digest`` suggestions while proposing no actor more than ``fairness_cap`` times
in the fairness window. See ``docs/matching.md``.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import math
import re
import sys
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from .facets import TIME_ALL_DAYS, TIME_PART_SHIFT, text_object_bits, theme_bits, time_bits
from .geo import (
    COMMUNE,
    DEPARTEMENT,
    EARTH_RADIUS_KM,
    EPCI,
    FARTHER,
    LEVELS,
    RADIUS,
    SAME_COMMUNE,
    SAME_DEPARTEMENT,
    SAME_EPCI,
    Grid,
    haversine_km,
)
from .model import ActorRecord, History, ListingRecord, MatchingConfig, Place, Reason, Suggestion
from .text import fold, stems
from .theme_pairs import (
    COMPANY,
    LOCAL_AUTHORITY,
    OFFER_SHIFT,
    PICKED_SKILLS,
    listing_kinds,
    skill_reasons,
    theme_pair_allowed,
    theme_pair_fit,
    theme_pair_reasons,
)
from .vectors import Vectors, rows_for

__all__ = ["CROSS_SECTOR_KINDS", "eligible_actor", "explain", "open_listing", "place_from_resolver", "suggest_round"]

CROSS_SECTOR_KINDS = frozenset({"association", "entreprise", "collectivite"})
SKILLS_CATEGORY = "competences"
FUNDING_CATEGORY = "financement"
KIND_NEED_OFFER, KIND_OFFER_NEED, KIND_THEME = 0, 1, 2
_KIND_NAMES = ("need_offer", "offer_need", "theme")
_GEO_SCORES = {SAME_COMMUNE: 1.0, SAME_EPCI: 0.8, SAME_DEPARTEMENT: 0.6}
_GEO_REASONS = {SAME_COMMUNE: "match.same_commune", SAME_EPCI: "match.same_epci", SAME_DEPARTEMENT: "match.same_departement"}
_MIX = 0x9E3779B1
_SECTORS = {kind: i for i, kind in enumerate(sorted(CROSS_SECTOR_KINDS))}
TOP_PER_LISTING = 10
"""Best pairs of each listing offered to its owner's candidates (excluded pairs are skipped)."""
WORD_PREFIX = 5
"""Letters of a stem that make a content word, for the support of weak pairs (see ``_Round._words``)."""
BLOCK_CELLS = 1 << 18
"""Pairs scored at once (a larger block is scored in slices), to bound the round's memory."""
MEANING_ROWS = 1024
"""Rows of one side made float32 at once for the dot products (1.5 MiB), to bound the round's memory."""
VECTOR_CHUNK = 1 << 14
"""Rows of the handed listings' vectors moved at once into the buckets' matrices (6 MiB)."""
FACETS_CACHE = 1 << 16
"""Distinct (category, description) whose facets are remembered at once while the columns are built."""
REACH_SLACK = 1e-12
"""Slack on the dot products of unit vectors when a disk's reach is checked (~9 mm: a point is within 0 km of itself)."""
EXACT_CELLS = 1 << 20
"""A (needs × offers) block of at most this many cells compares every pair (exact); a larger one
is read by meaning clusters (see ``_Round._retrieval_parts``): ~ its side × ``CLUSTER_PROBES`` ×
``CLUSTER_SIZE`` pairs compared, instead of its area. 2^20: every block of the quality sets and of
a round of 300k listings (the largest, 814k pairs) is exact."""
CLUSTER_SIZE = 256
"""Listings per meaning cluster of a block above ``EXACT_CELLS`` (see ``_Round._retrieval_parts``)."""
CLUSTER_PROBES = 3
"""Clusters a need of a block above ``EXACT_CELLS`` is compared with: its nearest centroids."""
CLUSTER_ROUNDS = 1
"""k-means rounds of a block above ``EXACT_CELLS`` (centroids from evenly spaced listings, moved to
their members' mean): a second round cost more than it saved at 1M listings (docs/matching.md)."""


@dataclass(frozen=True, slots=True)
class _Columns:
    """Per-listing numpy columns of one bucket's listings (``pos``: their positions in ``_Round.listings``)."""

    pos: np.ndarray
    need: np.ndarray
    actor: np.ndarray  # the owner's rank (position in the sorted eligible ids)
    receives: np.ndarray  # the owner receives suggestions this round
    demo: np.ndarray
    sector: np.ndarray
    level: np.ndarray
    zc: np.ndarray  # zone codes (commune, EPCI, département) as ints; 0: none
    ze: np.ndarray
    zd: np.ndarray
    pc: np.ndarray  # anchor codes
    pe: np.ndarray
    pd: np.ndarray
    radius: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    phi: np.ndarray
    cos: np.ndarray
    xyz: np.ndarray  # the anchors as unit vectors (float64; NaN: no anchor), for the disks' reach
    mask: np.ndarray
    fresh: np.ndarray
    matrix: np.ndarray  # int8 rows of the listings' vectors
    rows: np.ndarray  # row in ``matrix`` (-1: none)
    has_vec: np.ndarray
    hub: np.ndarray
    norm: np.ndarray  # norm of the int8 row (1 when none)
    obj: np.ndarray  # object facets (matching.facets; 0: none known)
    time: np.ndarray  # days and parts of the day (matching.facets; 0: none named)


class _Top:
    """Each actor's best ``k`` distinct need ↔ offer candidates, as numpy rows (by actor rank).

    A candidate is two int64 words whose lexicographic order is the heaps' order: ``hi`` =
    1 + (score in 1e-9 << rank bits | last rank − other's rank), ``lo`` = the low bits of a
    heap entry (listing positions and kind, see ``_Round.__init__``); 0 is an empty slot. Each
    row is sorted best first, so its last slot is the bar a new candidate must pass. 16 bytes
    a slot: at 1M listings 41 MiB for every actor's best, where candidates noted as columns
    and reduced now and then peaked at several hundred MiB. The kept set (each actor's best
    ``k`` distinct) does not depend on the order candidates come in.
    """

    FLUSH = 1 << 15
    """Candidates gathered before they are merged into the rows."""

    def __init__(self, actors: int, k: int, low_bits: int) -> None:
        self.k = k
        self.r_bits = max(1, actors.bit_length())
        self.last = actors - 1
        self.low_bits = low_bits
        self.hi = np.zeros((actors, k), dtype=np.int64)
        self.lo = np.zeros((actors, k), dtype=np.int64)
        self._waiting: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._count = 0

    def add(self, actor: np.ndarray, score: np.ndarray, other: np.ndarray, low: np.ndarray) -> None:
        """Offer candidates: actor ranks, scores (int64, 1e-9), other actors' ranks, low words."""
        if not len(actor):
            return
        if int(score.max()) >= 1 << (62 - self.r_bits):
            raise ValueError("score out of range")
        hi = (score << self.r_bits | (self.last - other)) + 1
        # Only what beats the actor's current last slot (a candidate equal to it is that one).
        bar_hi, bar_lo = self.hi[actor, -1], self.lo[actor, -1]
        better = (hi > bar_hi) | ((hi == bar_hi) & (low > bar_lo))
        if not better.all():
            actor, hi, low = actor[better], hi[better], low[better]
        if not len(actor):
            return
        self._waiting.append((actor, hi, low))
        self._count += len(actor)
        if self._count >= self.FLUSH:
            self.flush()

    def flush(self) -> None:
        """Merge the gathered candidates into the rows of their actors."""
        if not self._waiting:
            return
        actor, hi, low = (np.concatenate(part) for part in zip(*self._waiting, strict=True))
        self._waiting, self._count = [], 0
        k = self.k
        touched = np.unique(actor)
        actor = np.concatenate([np.repeat(touched, k), actor])
        hi = np.concatenate([self.hi[touched].ravel(), hi])
        low = np.concatenate([self.lo[touched].ravel(), low])
        order = np.lexsort((-low, -hi, actor))
        actor, hi, low = actor[order], hi[order], low[order]
        keep = np.r_[True, (actor[1:] != actor[:-1]) | (hi[1:] != hi[:-1]) | (low[1:] != low[:-1])] & (hi > 0)
        actor, hi, low = actor[keep], hi[keep], low[keep]
        starts = np.flatnonzero(np.r_[True, actor[1:] != actor[:-1]])
        rank = np.arange(len(actor)) - np.repeat(starts, np.diff(np.r_[starts, len(actor)]))
        top = rank < k
        self.hi[touched] = 0
        self.lo[touched] = 0
        self.hi[actor[top], rank[top]] = hi[top]
        self.lo[actor[top], rank[top]] = low[top]

    def bar_scores(self, actor: np.ndarray, recipient: np.ndarray) -> np.ndarray:
        """:meth:`bars` as floats: +inf when not a recipient (nothing passes it)."""
        last = self.hi[actor, -1]
        bars = np.where(last > 0, ((last - 1) >> self.r_bits) / 1e9, -np.inf)
        return np.where(recipient[actor], bars, np.inf)

    def bars(self, actor: np.ndarray, recipient: np.ndarray) -> list[float | None]:
        """Each actor's bar as a score: its last kept score when full, -inf before, None when not a recipient."""
        last = self.hi[actor, -1]
        bars = np.where(last > 0, ((last - 1) >> self.r_bits) / 1e9, -np.inf)
        return [bar if wanted else None for bar, wanted in zip(bars.tolist(), recipient[actor].tolist(), strict=True)]

    def entries(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(actor ranks, scores, other actors' ranks, low words) of every kept candidate, by actor."""
        self.flush()
        actor, slot = np.nonzero(self.hi)
        hi = self.hi[actor, slot] - 1
        low = self.lo[actor, slot]
        self.hi = self.lo = np.zeros((0, self.k), dtype=np.int64)
        del slot
        other = self.last - (hi & ((1 << self.r_bits) - 1))
        return actor, hi >> self.r_bits, other, low


def _fit(mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    """``matching.theme_pairs.theme_pair_fit`` of columns of ``listing_kinds`` values (0: none)."""
    low = (1 << OFFER_SHIFT) - 1
    my_needs, my_offers = mine & low, mine >> OFFER_SHIFT
    their_needs, their_offers = theirs & low, theirs >> OFFER_SHIFT
    known = (mine != 0) & (theirs != 0)
    answers = ((my_needs & their_offers) != 0) | ((my_offers & their_needs) != 0)
    return np.where(known & answers, 1, np.where(known & (my_needs != 0) & (their_offers != 0), -1, 0))


def _give_back() -> None:
    """Return the C heap's free pages to the system (glibc's ``malloc_trim``; nothing elsewhere).

    numpy buffers below glibc's mmap threshold (which grows up to 32 MiB as large buffers are
    freed) live in the C heap; once freed they stay in the process's memory, where Python's own
    objects (allocated in separate arenas) never reuse them. At 1M listings the pass's and the
    greedy pass's buffers left ~100 MiB there while the output was built.
    """
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, OSError):
        pass


def _group(items: np.ndarray, keys: np.ndarray) -> dict[int, np.ndarray]:
    """``items`` grouped by ``keys`` (each group keeps the items' order)."""
    order = np.argsort(keys, kind="stable")
    items, keys = items[order], keys[order]
    cuts = np.nonzero(np.diff(keys))[0] + 1
    return {int(group_keys[0]): group for group, group_keys in zip(np.split(items, cuts), np.split(keys, cuts)) if len(group)}


def _haversine(phi1: np.ndarray, lon1: np.ndarray, cos1: np.ndarray, phi2: np.ndarray, lon2: np.ndarray, cos2: np.ndarray) -> np.ndarray:
    """Great-circle distances (km) between points given as latitude (radians), longitude (degrees), cos(latitude)."""
    with np.errstate(invalid="ignore"):
        h = np.sin((phi2 - phi1) / 2) ** 2 + cos1 * cos2 * np.sin(np.radians(lon2 - lon1) / 2) ** 2
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points given in degrees as unit vectors (n × 3, float64; NaN where a coordinate is missing)."""
    phi, lam = np.radians(lat.astype(np.float64)), np.radians(lon.astype(np.float64))
    cos_phi = np.cos(phi)
    return np.stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)], axis=1)


def _sorted_contains(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Whether each of ``keys`` is in ``sorted_keys`` (binary search: ``np.isin`` sorts both every call)."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[at] == keys


def eligible_actor(actor: ActorRecord) -> bool:
    """An actor may be suggested and receive suggestions: consent given, not paused, reachable."""
    return bool(actor.consent_matching) and not actor.paused and not actor.unreachable


def open_listing(listing: ListingRecord, today: date) -> bool:
    """A listing takes part in the round: open, not expired (still valid on ``expires_at``)."""
    return listing.status == "open" and listing.expires_at >= today and listing.kind in ("need", "offer")


def place_from_resolver(resolver: object, commune_code: str) -> Place | None:
    """The :class:`Place` of a commune from a ``territories`` resolver (None if unknown)."""
    found = resolver.commune(commune_code)  # type: ignore[attr-defined]
    if found is None:
        return None
    return Place(found.code, found.epci, found.departement, found.lat, found.lon)


def _theme_bits(themes: Iterable[str], bits: dict[str, int]) -> int:
    mask = 0
    for theme in themes:
        bit = bits.get(theme)
        if bit is None:
            bit = bits[theme] = 1 << len(bits)
        mask |= bit
    return mask


def _cached_mask(themes: Iterable[str], bits: dict[str, int], cache: dict[frozenset[str], int]) -> int:
    """``_theme_bits(sorted(themes))``, computed once per distinct frozenset."""
    if type(themes) is not frozenset:
        return _theme_bits(sorted(themes), bits)
    mask = cache.get(themes)
    if mask is None:
        mask = cache[themes] = _theme_bits(sorted(themes), bits)
    return mask


def _themes_of(mask: int, values: list[str]) -> list[str]:
    return [values[i] for i in range(mask.bit_length()) if mask >> i & 1]


def _nanos(values: np.ndarray) -> np.ndarray:
    """``round(round(v, 9) * 1e9)`` of each float (Python's ``round``: the score in 1e-9 the
    pair-by-pair code kept), as int64, vectorised.

    ``rint(v * 1e9)`` is that integer unless ``v * 1e9`` lies within a rounding error of a
    half (``v * 1e9`` is off by at most half an ulp, ~6e-8 below 1e9): those few go through
    Python's ``round``, which rounds the exact decimal value. And ``n / 1e9`` is the double
    ``round(v, 9)`` returns (both the double nearest to n·10⁻⁹), so comparing it with a bar is
    comparing the rounded score.
    """
    scaled = values * 1e9
    nanos = np.rint(scaled)
    halves = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    for k in halves.tolist():
        nanos[k] = round(round(float(values[k]), 9) * 1e9)
    return nanos.astype(np.int64)


def _freshness(created: date | None, today: date, days: int) -> float:
    if created is None:
        return 0.5
    age = (today - created).days
    return max(0.0, min(1.0, 1.0 - age / days)) if days > 0 else 1.0


def suggest_round(
    actors: Iterable[ActorRecord],
    listings: Iterable[ListingRecord],
    history: History | None = None,
    config: MatchingConfig | None = None,
    today: date | None = None,
    *,
    recipients: Collection[int] | None = None,
    vectors: Vectors | None = None,
) -> dict[int, list[Suggestion]]:
    """Suggestions of this round, per receiving actor (at most ``max_per_digest`` each, best first).

    ``recipients`` restricts who receives suggestions (e.g. the actors whose digest is due);
    every eligible actor can still be proposed. ``vectors`` are the meaning vectors of the
    listings and profiles (see ``matching.vectors``); without them, descriptions count for
    nothing and pairs are judged on category, themes and place. Same input → same output.
    """
    if today is None:
        raise ValueError("today is required (the engine never reads the clock)")
    history = history or History()
    cfg = config or MatchingConfig()
    # The round allocates millions of small objects and creates no reference cycles: the
    # cyclic collector would only re-scan the (large) live data over and over. Paused for the
    # round, restored after (whatever happens).
    collecting = gc.isenabled()
    gc.disable()
    # One BLAS thread: the products are small (≤ MEANING_ROWS rows a side), a second thread
    # spins more than it helps, and on a busy machine it tripled the round's CPU time (and
    # took it from the bot's process).
    blas = threadpool_limits(limits=1, user_api="blas")
    try:
        round_ = _Round(actors, listings, history, cfg, today, recipients, vectors or Vectors.empty())
        vectors = None  # the round holds them, and lets the listings' rows go once they are used
        round_.need_offer_pairs()
        round_.release_listing_vectors()
        _give_back()
        if cfg.theme_pairs:
            round_.theme_pairs()
        return round_.select()
    finally:
        blas.restore_original_limits()
        if collecting:
            gc.enable()


class _Round:
    """One round's state, stored column-wise (numpy columns per bucket of listings, arrays per actor rank).

    Candidates are encoded as integers (score, other actor, listing positions, kind) whose
    natural order is the round's, kept as two int64 words each in each recipient's rows
    (``_Top``): no Python object per candidate until the chosen ones become suggestions.
    """

    def __init__(
        self,
        actors: Iterable[ActorRecord],
        listings: Iterable[ListingRecord],
        history: History,
        cfg: MatchingConfig,
        today: date,
        recipients: Collection[int] | None,
        vectors: Vectors,
    ) -> None:
        self.cfg = cfg
        self.vectors = vectors
        self.today = today
        self.seed = today.toordinal() * 40503
        self.actors: dict[int, ActorRecord] = {}
        for actor in sorted(actors, key=lambda a: a.id):
            if eligible_actor(actor):
                self.actors[actor.id] = actor
        ids = list(self.actors)
        # Per-actor state of the need ↔ offer pass is kept by rank (position in the sorted ids).
        self._actor_ids = np.array(ids, dtype=np.int64)
        self._recipient = (
            np.ones(len(ids), dtype=bool)
            if recipients is None
            else _sorted_contains(np.unique(np.fromiter(recipients, dtype=np.int64)), self._actor_ids)
        )
        self.listings: list[ListingRecord] = sorted(
            (l for l in listings if l.actor_id in self.actors and open_listing(l, today)), key=lambda l: l.id
        )
        self.theme_bits: dict[str, int] = {}
        self.a_lo = a_lo = min(0, ids[0]) if ids else 0
        self.a_hi = max(0, ids[-1]) if ids else 0
        self.a_width = self.a_hi - a_lo + 1
        # Exclusions: declined pairs, and pairs suggested (either way) in the last recent_weeks,
        # between eligible actors (the others never meet), as sorted int64 keys on the actors'
        # ranks (see _offer_best); the theme pairs' set of ints is made from them once the
        # listings' vectors are let go (see _excluded_set).
        recent_from = today - timedelta(weeks=cfg.recent_weeks)
        window_from = today - timedelta(days=cfg.fairness_window_days)
        self.proposed_in_window: dict[int, int] = {}
        firsts: list[int] = []
        seconds: list[int] = []
        for for_actor, other, day in history.suggested:
            if day > recent_from:
                firsts.append(for_actor)
                seconds.append(other)
            if window_from < day <= today:
                self.proposed_in_window[other] = self.proposed_in_window.get(other, 0) + 1
        for a, b in history.declined:
            firsts.append(a)
            seconds.append(b)
        first, second = np.array(firsts, dtype=np.int64), np.array(seconds, dtype=np.int64)
        del firsts, seconds
        both = _sorted_contains(self._actor_ids, first) & _sorted_contains(self._actor_ids, second)
        ra, rb = np.searchsorted(self._actor_ids, first[both]), np.searchsorted(self._actor_ids, second[both])
        width = len(ids)
        self._excluded_keys = np.unique(np.concatenate([ra * width + rb, rb * width + ra]))
        del first, second, both, ra, rb
        self.excluded: set[int] = set()  # see _excluded_set
        # Declined need ↔ offer pairs: listing pairs (positions), either way, as sorted int64 keys.
        self._declined_keys = np.array(sorted(self._listing_pairs(history.declined_listings)), dtype=np.int64)
        # Candidate encoding: score (as an integer of 1e-9), other actor, my listing, their
        # listing, kind — bigger is better, exactly as the tuple (score, -other, -mine_id,
        # -theirs_id, kind) would compare. Listings are encoded by position (sorted by id): a
        # theme pair's "no listing" sits where id 0 would.
        n = len(self.listings)
        below = sum(1 for l in self.listings if l.id < 0)
        zero = below < n and self.listings[below].id == 0
        self.no_listing = 2 * (n - below) + (0 if zero else 1)
        self.l_bits = (2 * n + 2).bit_length()
        self.a_bits = self.a_width.bit_length()
        self.s_theirs = 2
        self.s_mine = 2 + self.l_bits
        self.s_other = 2 + 2 * self.l_bits
        self.s_score = self.s_other + self.a_bits
        # Candidates: each recipient's best ``candidates_per_actor``, two int64 words each (see
        # _Top), need ↔ offer pairs first, then theme pairs; read by the greedy pass (select).
        self._top: _Top | None = _Top(len(ids), cfg.candidates_per_actor, self.s_other)
        self.pairs_scored = 0
        self._best = np.zeros(0, dtype=np.float32)  # per listing of a bucket: its best meaning in the block being read
        self._same_skill = False  # the bucket being read is one skill picked from the menu (see _judge)
        self._fresh_of: dict[date | None, float] = {}
        self._words_of: dict[int, frozenset[str]] = {}
        self._mask_of: dict[frozenset[str], int] = {}
        self.weak_pairs_checked = 0
        self._theme_cols: tuple[np.ndarray, ...] | None = None  # see _theme_columns

    def _listing_pairs(self, pairs: Iterable[tuple[int, int]]) -> set[int]:
        """Listing pairs (ids), either way, as keys of their positions: ``mine * n + theirs``."""
        keys: set[int] = set()
        if not pairs:
            return keys
        n = len(self.listings)
        position = {listing.id: i for i, listing in enumerate(self.listings)}
        for a, b in pairs:
            i, j = position.get(a), position.get(b)
            if i is not None and j is not None:
                keys.update((i * n + j, j * n + i))
        return keys

    # ------------------------------------------------------------------ keeping the best

    # ------------------------------------------------------------------ need ↔ offer

    def need_offer_pairs(self) -> None:
        """Every need ↔ offer pair of the same category whose zones overlap, scored in blocks.

        Listings of a bucket (category, skill) are grouped by the département of their zone;
        each (needs × offers) block of a département is scored at once with numpy (meaning,
        overlap, place, themes, freshness, sector), and each listing keeps its best
        ``TOP_PER_LISTING`` pairs for its owner. Disks reach across département borders: their
        pairs with the grid cells within reach in other départements are a second pass.

        One bucket at a time, smallest first: its columns are made for it and dropped after.
        When the round owns the listings' vectors (handed over), their rows are first moved
        into one matrix per bucket while the handed matrix shrinks (see :meth:`_vector_parts`),
        and each bucket's matrix is let go once the bucket is scored: the pass's memory falls
        as it goes instead of holding every vector to its end.
        """
        listings, actors = self.listings, self.actors
        n = len(listings)
        bits, masks_of = self.theme_bits, self._mask_of
        bucket_of: dict[tuple[str, str], int] = {}
        bucket = np.zeros(n, dtype=np.int32)
        for i, listing in enumerate(listings):
            sub = (listing.subcategory or "") if listing.category == SKILLS_CATEGORY else ""
            bucket[i] = bucket_of.setdefault((listing.category, sub), len(bucket_of))
            # Theme bits in the listings' order (explanations name shared themes in that order).
            _cached_mask(listing.themes or actors[listing.actor_id].themes, bits, masks_of)
        members = _group(np.arange(n, dtype=np.int32), bucket) if n else {}
        del bucket
        vectors = self.vectors
        rows = rows_for(vectors.listing_ids, (l.id for l in listings)).astype(np.int32) if n else np.zeros(0, dtype=np.int32)
        hubs = vectors.listing_hub
        box = [vectors.listing_rows]  # the matrix is handed on, not held here (see _vector_parts)
        empty = vectors.listing_rows[:0].copy()
        self.vectors = Vectors(vectors.listing_ids[:0], empty, hubs[:0], vectors.actor_ids, vectors.actor_rows, vectors.actor_hub)
        del vectors
        parts = self._vector_parts(box, rows, members)
        self._codes: dict[str, int] = {"": 0}
        self._facets_of: dict[tuple[str, str | None], tuple[int, int]] = {}
        self._focus_of: dict[frozenset[str], int] = {}
        self._listing_fresh: dict[date | None, float] = {}
        for key in sorted(bucket_of, key=lambda k: (len(members[bucket_of[k]]), k)):
            b = bucket_of[key]
            positions = members.pop(b)
            own, local_rows = parts.pop(b)
            # A skill picked from the menu on both sides (the bucket: same category and skill)
            # lets a need reach its best offers below the floor (see _judge).
            self._same_skill = key[0] == SKILLS_CATEGORY and key[1] in PICKED_SKILLS
            self.cols = self._columns(positions, rows[positions], local_rows, own, hubs)
            is_need = self.cols.need
            needs, offers = np.flatnonzero(is_need), np.flatnonzero(~is_need)
            if len(needs) and len(offers):
                self._best = np.full(len(positions), -np.inf, dtype=np.float32)
                self._bucket(needs, offers)
            self.cols = None  # type: ignore[assignment]
            del own, local_rows
        del self._facets_of, self._focus_of, self._codes

    def _vector_parts(
        self, box: list[np.ndarray], rows: np.ndarray, members: dict[int, np.ndarray]
    ) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Per bucket: (int8 matrix, row of each member in it, -1: none).

        ``box`` holds the handed matrix (taken out here). When nothing else holds it, each
        bucket gets its own matrix, filled from the handed one's last rows backwards while that
        one shrinks (``ndarray.resize``, which checks that no one else refers to it): the rows
        are never held twice. Otherwise every bucket reads the handed matrix.
        """
        matrix = box.pop()
        owned = sys.getrefcount(matrix) <= 2 and matrix.flags.owndata and matrix.flags.c_contiguous and matrix.base is None
        if not owned or not len(matrix):
            return {b: (matrix, rows[m]) for b, m in members.items()}
        dim = matrix.shape[1]
        local = np.zeros(len(rows), dtype=np.int32)
        owner = np.zeros(len(rows), dtype=np.int32)
        parts: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for b, m in members.items():
            local[m] = np.arange(len(m), dtype=np.int32)
            owner[m] = b
            parts[b] = (np.empty((len(m), dim), dtype=np.int8), np.where(rows[m] >= 0, local[m], -1).astype(np.int32))
        found = np.flatnonzero(rows >= 0).astype(np.int32)
        found = found[np.argsort(rows[found], kind="stable")]
        source = rows[found]
        end = len(matrix)
        while end > 0:
            start = max(0, end - VECTOR_CHUNK)
            first, last = np.searchsorted(source, (start, end))
            picked = found[first:last]
            if len(picked):
                owners = owner[picked]
                for b in np.unique(owners).tolist():
                    mine = picked[owners == b]
                    parts[b][0][local[mine]] = matrix[rows[mine]]
            try:
                matrix.resize((start, dim), refcheck=True)  # the copied rows are given back
            except ValueError:  # held elsewhere after all: copied, not moved
                pass
            end = start
        return parts

    def _columns(self, positions: np.ndarray, rows: np.ndarray, local_rows: np.ndarray, matrix: np.ndarray, hubs: np.ndarray) -> _Columns:
        """The numpy columns of one bucket's listings (``positions`` in ``self.listings``).

        ``rows``: each listing's row in the handed vectors (for its hubness), ``local_rows`` its
        row in ``matrix`` (-1: none).
        """
        cfg, today = self.cfg, self.today
        listings, actors = self.listings, self.actors
        n = len(positions)
        codes = self._codes

        def code_of(value: str | None) -> int:
            if not value:
                return 0
            found = codes.get(value)
            if found is None:
                found = codes[value] = len(codes)
            return found

        actor_arr = np.zeros(n, dtype=np.int64)
        is_need = np.zeros(n, dtype=bool)
        demo = np.zeros(n, dtype=bool)
        sector = np.full(n, -1, dtype=np.int8)
        level = np.zeros(n, dtype=np.int8)
        zc = np.zeros(n, dtype=np.int32)
        ze = np.zeros(n, dtype=np.int32)
        zd = np.zeros(n, dtype=np.int32)
        pc = np.zeros(n, dtype=np.int32)
        pe = np.zeros(n, dtype=np.int32)
        pd = np.zeros(n, dtype=np.int32)
        # float32 where it is enough (the round's memory at 300k listings matters).
        radius = np.zeros(n, dtype=np.float32)
        lat = np.full(n, np.nan)
        lon = np.full(n, np.nan)
        fresh = np.zeros(n, dtype=np.float32)
        freshness_days = cfg.freshness_days
        obj = np.zeros(n, dtype=np.int32)
        time = np.zeros(n, dtype=np.int16)
        mask_arr = np.zeros(n, dtype=np.int64)
        bits, masks_of = self.theme_bits, self._mask_of
        ids = self._actor_ids
        # Facets are read once per distinct (category, description), a needer's focus once per theme set.
        facets_of, focus_of, fresh_of = self._facets_of, self._focus_of, self._listing_fresh
        for k, i in enumerate(positions.tolist()):
            listing = listings[i]
            actor = actors[listing.actor_id]
            actor_arr[k] = actor.id
            is_need[k] = listing.kind == "need"
            demo[k] = actor.is_demo
            sector[k] = _SECTORS.get(actor.kind, -1)
            anchor = listing.anchor
            if anchor is None:
                commune, epci, dep, la, lo = actor.commune_code, actor.epci_code, actor.departement_code, actor.lat, actor.lon
            else:
                commune, epci, dep, la, lo = anchor.commune_code, anchor.epci_code, anchor.departement_code, anchor.lat, anchor.lon
            pc[k], pe[k], pd[k] = code_of(commune), code_of(epci), code_of(dep)
            if la is not None and lo is not None:
                lat[k], lon[k] = la, lo
            lv = LEVELS.get(listing.zone_kind, COMMUNE)
            c, e, d = commune or "", epci or "", dep or ""
            code = listing.zone_code
            if code:
                if lv in (COMMUNE, RADIUS):
                    c = c or code
                elif lv == EPCI:
                    e = code
                elif lv == DEPARTEMENT:
                    d = code
            level[k], zc[k], ze[k], zd[k] = lv, code_of(c), code_of(e), code_of(d)
            if lv == RADIUS:
                radius[k] = float(listing.radius_km or 0.0)
            themes = listing.themes or actor.themes
            m = _cached_mask(themes, bits, masks_of)
            mask_arr[k] = m if m < 1 << 62 else m & ((1 << 62) - 1)
            if cfg.facets:
                facet_key = (listing.category, listing.description)
                codes_found = facets_of.get(facet_key)
                if codes_found is None:
                    if len(facets_of) >= FACETS_CACHE:  # bounded: descriptions rarely repeat, and 1M keys took ~200 MiB
                        facets_of.clear()
                    text = fold(listing.description) if listing.description else None  # folded once for both readings
                    codes_found = facets_of[facet_key] = (text_object_bits(listing.category, text), time_bits(text))
                obj[k], time[k] = codes_found
                if listing.kind == "need" and listing.category == FUNDING_CATEGORY:  # the needer's themes are its focus
                    themes_key = frozenset(themes)
                    focus = focus_of.get(themes_key)
                    if focus is None:
                        focus = focus_of[themes_key] = theme_bits(FUNDING_CATEGORY, themes_key)
                    obj[k] |= focus
            created = listing.created_at
            f = fresh_of.get(created)
            if f is None:
                f = fresh_of[created] = _freshness(created, today, freshness_days)
            fresh[k] = f
        ranks = np.searchsorted(ids, actor_arr).astype(np.int32)
        # Meaning: each listing's int8 row (as exact float32) and its norm and hubness.
        has_vec = rows >= 0
        hub = np.zeros(n, dtype=np.float32)
        hub[has_vec] = hubs[rows[has_vec]]
        norm = np.ones(n, dtype=np.float32)
        for start in range(0, n if len(matrix) else 0, MEANING_ROWS):
            part = local_rows[start : start + MEANING_ROWS]
            found = matrix[np.maximum(part, 0)].astype(np.float32)
            norms = np.sqrt(np.einsum("ij,ij->i", found, found).astype(np.float64))
            norm[start : start + len(part)] = np.where((part >= 0) & (norms > 0), norms, 1.0)
        return _Columns(
            pos=positions,
            need=is_need,
            actor=ranks,
            receives=self._recipient[ranks],
            demo=demo,
            sector=sector,
            level=level,
            zc=zc,
            ze=ze,
            zd=zd,
            pc=pc,
            pe=pe,
            pd=pd,
            radius=radius,
            lat=lat,
            lon=lon,
            phi=np.radians(lat).astype(np.float32),
            cos=np.cos(np.radians(lat)).astype(np.float32),
            xyz=_unit_vectors(lat, lon),
            mask=mask_arr,
            fresh=fresh,
            matrix=matrix,
            rows=local_rows,
            has_vec=has_vec,
            hub=hub,
            norm=norm,
            obj=obj,
            time=time,
        )

    def _bucket(self, needs: np.ndarray, offers: np.ndarray) -> None:
        """Score one bucket: blocks per département, then disks across borders."""
        cols = self.cols
        by_dep_n = _group(needs, cols.zd[needs])
        by_dep_o = _group(offers, cols.zd[offers])
        for dep in sorted(set(by_dep_n) & set(by_dep_o)):
            self._block(by_dep_n[dep], by_dep_o[dep])
        # Disks across département borders: a disk need against the offers of other
        # départements within reach; a disk offer against the non-disk needs of others.
        for side, other, other_is_offer in ((needs, offers, True), (offers, needs, False)):
            disks = side[cols.level[side] == RADIUS]
            if not len(disks):
                continue
            pool = other if other_is_offer else other[cols.level[other] != RADIUS]
            if not len(pool):
                continue
            grid = Grid()
            located = pool[~np.isnan(cols.lat[pool])]
            for j, la, lo in zip(located.tolist(), cols.lat[located].tolist(), cols.lon[located].tolist()):
                grid.add(j, la, lo)
            reach_other = float(cols.radius[pool].max()) if other_is_offer else 0.0
            # Disks grouped by département: each group is scored against the listings of
            # other départements in the cells within reach of any of its members (those that
            # overlap none of them are dropped before meaning is computed).
            for dep, members in sorted(_group(disks, cols.zd[disks]).items()):
                # Each cell within reach once (a dense département's disks reach the same cells:
                # their members were gathered again for every disk, a cost growing with the
                # square of the density).
                reached: dict[int, list[int]] = {}
                for i in members.tolist():
                    if math.isnan(cols.lat[i]):
                        continue
                    for cell in grid.near(float(cols.lat[i]), float(cols.lon[i]), float(cols.radius[i]) + reach_other):
                        reached[id(cell)] = cell
                if not reached:
                    continue
                found = np.unique(np.concatenate([np.array(cell, dtype=np.int64) for cell in reached.values()]))
                found = found[cols.zd[found] != dep]
                if not len(found):
                    continue
                if other_is_offer:
                    self._block(members, found)
                else:
                    self._block(found, members)

    def _block(self, needs: np.ndarray, offers: np.ndarray) -> None:
        """Score needs × offers (positions) and offer each listing's best pairs to its owner.

        The block is read once, by slices of needs against all the offers (at most
        ``BLOCK_CELLS`` cells at a time): zones, meaning and facets of every pair; each need's
        best meaning (complete within its slice) and each offer's (growing slice by slice) are
        noted, and only the pairs that may still pass the relevance rule — near a side's best,
        or without a vector — are kept. Once every slice is read, both sides' bests over the
        whole block are known: the rule is applied to the kept pairs (see :meth:`_judge`), and
        only those are scored and offered, each listing's best ``TOP_PER_LISTING`` to its owner.
        """
        cfg = self.cfg
        best = self._best
        floor, margin = cfg.relevance_floor, cfg.relevance_margin
        kept: list[tuple[np.ndarray, ...]] = []
        touched: list[np.ndarray] = []
        # Every pair of a block up to EXACT_CELLS; above, the pairs of its meaning clusters
        # (each pair once: a need meets the offers of the clusters it probes).
        parts = [(needs, offers)] if len(needs) * len(offers) <= EXACT_CELLS else self._retrieval_parts(needs, offers)
        for part_needs, part_offers in parts:
            step = max(1, BLOCK_CELLS // max(1, len(part_offers)))
            for start in range(0, len(part_needs), step):
                found = self._overlap(part_needs[start : start + step], part_offers)
                if found is None:
                    continue
                n_, o_, valid = found
                touched.append(n_)
                touched.append(o_)
                self.pairs_scored += int(np.count_nonzero(valid))
                meaning, both = self._raw_meaning(n_, o_)
                shared, disjoint, clash = self._facets(n_, o_)
                judged = np.where(valid & both & ~(disjoint | clash), meaning, -np.inf)
                # Both sides' bests grow part by part (an exact block has one part, where each
                # need's slice holds all its offers).
                row_best = np.maximum(best[n_], judged.max(axis=1))
                best[n_] = row_best
                col_best = np.maximum(best[o_], judged.max(axis=0))
                best[o_] = col_best
                del judged
                # A superset of the pairs the rule may keep: the bests can only rise.
                near = (meaning >= row_best[:, None] - margin) | (meaning >= col_best[None, :] - margin)
                keep = valid & ~disjoint & (~both | ((self._same_skill | (meaning >= floor) | shared) & near))
                rows, cols = np.nonzero(keep)
                if len(rows):
                    kept.append((n_[rows], o_[cols], meaning[rows, cols], both[rows, cols], shared[rows, cols], clash[rows, cols]))
        try:
            if kept:
                self._score_kept(*(np.concatenate(part) for part in zip(*kept, strict=True)))
        finally:
            for positions in touched:
                best[positions] = -np.inf

    def _retrieval_parts(self, needs: np.ndarray, offers: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """The (needs, offers) parts of a block above ``EXACT_CELLS``: each pair at most once.

        The block's listings with a vector are clustered by meaning (spherical k-means on the
        unit int8 rows, ``CLUSTER_SIZE`` listings a cluster, ``CLUSTER_ROUNDS`` rounds, started
        from evenly spaced listings: same input, same clusters); each offer joins its nearest centroid, each
        need is compared with the offers of its ``CLUSTER_PROBES`` nearest. A listing without
        a vector (neutral relevance, judged on place and themes) is compared with every
        listing of the other side, as in an exact block. The pairs compared are ~ needs ×
        probes × offers a cluster, where an exact block compares needs × offers; a pair whose offer lies in a cluster its need does not probe is not seen — the
        rule's pairs are near each side's best meaning, which the nearest clusters hold.
        """
        c = self.cols
        parts: list[tuple[np.ndarray, np.ndarray]] = []
        with_n, with_o = c.has_vec[needs], c.has_vec[offers]
        if not with_n.all():
            parts.append((needs[~with_n], offers))
        vn, vo = needs[with_n], offers[with_o]
        if not with_o.all() and len(vn):
            parts.append((vn, offers[~with_o]))
        if not len(vn) or not len(vo):
            return parts
        clusters = max(1, round((len(vn) + len(vo)) / CLUSTER_SIZE))
        if clusters < 2 * CLUSTER_PROBES:  # too few clusters to pay for themselves
            parts.append((vn, vo))
            return parts
        points = np.concatenate([vn, vo])
        # Centroids: evenly spaced listings first (positions are sorted by id), then k-means.
        centroids = self._unit_rows(points[np.linspace(0, len(points) - 1, clusters).astype(np.int64)])
        for _ in range(CLUSTER_ROUNDS):
            sums = np.zeros_like(centroids)
            for start in range(0, len(points), MEANING_ROWS):
                unit = self._unit_rows(points[start : start + MEANING_ROWS])
                member = np.zeros((len(unit), clusters), dtype=np.float32)
                member[np.arange(len(unit)), (unit @ centroids.T).argmax(axis=1)] = 1.0
                sums += member.T @ unit
            norms = np.linalg.norm(sums, axis=1)
            empty = norms == 0
            centroids = np.where(empty[:, None], centroids, sums / np.where(empty, 1.0, norms)[:, None]).astype(np.float32)
        probes = np.empty((len(vn), CLUSTER_PROBES), dtype=np.int64)
        for start in range(0, len(vn), MEANING_ROWS):
            sims = self._unit_rows(vn[start : start + MEANING_ROWS]) @ centroids.T
            probes[start : start + len(sims)] = np.argpartition(-sims, CLUSTER_PROBES - 1, axis=1)[:, :CLUSTER_PROBES]
        home = np.empty(len(vo), dtype=np.int64)
        for start in range(0, len(vo), MEANING_ROWS):
            home[start : start + MEANING_ROWS] = (self._unit_rows(vo[start : start + MEANING_ROWS]) @ centroids.T).argmax(axis=1)
        offers_of = _group(vo, home)
        probe_flat = probes.ravel()
        need_flat = np.repeat(vn, CLUSTER_PROBES)
        for cluster, members in _group(need_flat, probe_flat).items():
            found = offers_of.get(cluster)
            if found is not None:
                parts.append((members, found))
        return parts

    def _unit_rows(self, positions: np.ndarray) -> np.ndarray:
        """The unit float32 rows of listings (positions in the bucket's columns; each has a vector)."""
        c = self.cols
        return c.matrix[c.rows[positions]].astype(np.float32) / c.norm[positions][:, None]

    def _overlap(self, needs: np.ndarray, offers: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(needs, offers, valid) of the needs and offers whose zones overlap something (None: nothing).

        The needs and offers come back sorted by the level of their zone: each (need level, offer
        level) part of the block is then one slice compared one way (matching.zones_overlap,
        vectorised): two areas at the coarser of their levels; a disk reaches an area it touches
        or whose anchor is within its radius, another disk when their radii together reach.
        """
        c = self.cols
        by_level = np.argsort(c.level[needs], kind="stable")
        needs = needs[by_level]
        by_level = np.argsort(c.level[offers], kind="stable")
        offers = offers[by_level]
        levels = np.arange(RADIUS + 2)
        n_cut = np.searchsorted(c.level[needs], levels).tolist()
        o_cut = np.searchsorted(c.level[offers], levels).tolist()
        codes = {COMMUNE: c.zc, EPCI: c.ze, DEPARTEMENT: c.zd}
        same = np.zeros((len(needs), len(offers)), dtype=bool)
        for ln in range(RADIUS + 1):
            n0, n1 = n_cut[ln], n_cut[ln + 1]
            if n0 == n1:
                continue
            part_n = needs[n0:n1]
            for lo in range(RADIUS + 1):
                o0, o1 = o_cut[lo], o_cut[lo + 1]
                if o0 == o1:
                    continue
                part_o = offers[o0:o1]
                part = same[n0:n1, o0:o1]
                if ln != RADIUS or lo != RADIUS:  # areas, compared at the coarser level (a disk: at the other's)
                    code = codes[lo if ln == RADIUS else ln if lo == RADIUS else max(ln, lo)]
                    mine = code[part_n]
                    np.equal(mine[:, None], code[part_o][None, :], out=part)
                    if not (mine > 0).all():
                        part &= (mine > 0)[:, None]
                if ln == RADIUS or lo == RADIUS:
                    part |= self._within(part_n, part_o, ln == RADIUS, lo == RADIUS)
        valid = same
        valid &= c.actor[needs][:, None] != c.actor[offers][None, :]
        demo_n, demo_o = c.demo[needs], c.demo[offers]
        if demo_n.any() or demo_o.any():  # demonstration listings meet only each other
            valid &= demo_n[:, None] == demo_o[None, :]
        # Only the needs and offers that overlap something are compared by meaning (disks
        # across borders bring many candidates that overlap none of the group).
        keep_rows, keep_cols = valid.any(axis=1), valid.any(axis=0)
        if not keep_rows.any():
            return None
        if not keep_rows.all() or not keep_cols.all():
            needs, offers = needs[keep_rows], offers[keep_cols]
            valid = valid[keep_rows][:, keep_cols]
        return needs, offers, valid

    def _within(self, needs: np.ndarray, offers: np.ndarray, need_disk: bool, offer_disk: bool) -> np.ndarray:
        """Whether the anchors of needs (rows) and offers (columns) are within reach: a disk's radius, or both radii.

        Compared as angles through the dot product of the anchors' unit vectors (float64: the
        great-circle distance is ``R·acos(dot)``, and ``dot ≥ cos(reach / R)`` says it is
        within reach), three products a pair instead of a haversine's sines and arcsine.
        """
        c = self.cols
        dots = c.xyz[needs] @ c.xyz[offers].T
        rows = c.radius[needs].astype(np.float64) / EARTH_RADIUS_KM
        cols = c.radius[offers].astype(np.float64) / EARTH_RADIUS_KM
        if need_disk and offer_disk:  # cos(a + b), the two radii together
            bar = np.cos(rows)[:, None] * np.cos(cols)[None, :] - np.sin(rows)[:, None] * np.sin(cols)[None, :]
        elif need_disk:
            bar = np.cos(rows)[:, None]
        else:
            bar = np.cos(cols)[None, :]
        with np.errstate(invalid="ignore"):
            return dots >= bar - REACH_SLACK

    def _score_kept(
        self, needs: np.ndarray, offers: np.ndarray, meaning: np.ndarray, both: np.ndarray, shared: np.ndarray, clash: np.ndarray
    ) -> None:
        """Judge the kept pairs of a block (one need, one offer each), score those that pass, offer the best."""
        cfg, c = self.cfg, self.cols
        for_need, for_offer = self._judge(needs, offers, meaning, both, shared, clash)
        chosen = for_need | for_offer
        if not chosen.any():
            return
        if not chosen.all():
            needs, offers, meaning, both, shared, clash = (
                needs[chosen],
                offers[chosen],
                meaning[chosen],
                both[chosen],
                shared[chosen],
                clash[chosen],
            )
            for_need, for_offer = for_need[chosen], for_offer[chosen]
        rel = np.where(both, np.clip((meaning - cfg.meaning_low) / (cfg.meaning_high - cfg.meaning_low), 0.0, 1.0), cfg.neutral_relevance)
        # Place: same commune > same EPCI > same département > by distance.
        pcn, pco, pen, peo, pdn, pdo = c.pc[needs], c.pc[offers], c.pe[needs], c.pe[offers], c.pd[needs], c.pd[offers]
        geo = np.where(
            pcn == pco,
            1.0,
            np.where((pen == peo) & (pen > 0), 0.8, np.where((pdn == pdo) & (pdn > 0), 0.6, 0.0)),
        )
        far = np.nonzero((pcn != pco) & ~((pen == peo) & (pen > 0)) & ~((pdn == pdo) & (pdn > 0)))[0]
        if len(far):
            dist = _haversine(
                c.phi[needs[far]], c.lon[needs[far]], c.cos[needs[far]], c.phi[offers[far]], c.lon[offers[far]], c.cos[offers[far]]
            )
            geo[far] = np.nan_to_num(np.maximum(0.0, 0.5 * (1.0 - dist / cfg.distance_scale_km)), nan=0.0)
        mn, mo = c.mask[needs], c.mask[offers]
        common = np.bitwise_count(mn & mo).astype(np.float64)
        sizes = np.sqrt(np.bitwise_count(mn).astype(np.float64) * np.bitwise_count(mo).astype(np.float64))
        theme = np.divide(common, sizes, out=np.zeros_like(common), where=sizes > 0)
        sn, so = c.sector[needs], c.sector[offers]
        score = (
            cfg.weight_category
            + cfg.weight_meaning * rel
            + cfg.weight_theme * theme
            + cfg.weight_geo * geo
            + cfg.weight_freshness * ((c.fresh[needs] + c.fresh[offers]) / 2)
            + np.where((sn != so) & (sn >= 0) & (so >= 0), cfg.cross_sector_bonus, 0.0)
            + cfg.weight_facet * shared
            - cfg.time_conflict_penalty * clash
        )
        # Demoted, never negative.
        score = np.round(np.maximum(score, 0.0), 9)
        self._offer_best(needs, offers, score, for_need, True)
        self._offer_best(offers, needs, score, for_offer, False)

    def _judge(
        self, needs: np.ndarray, offers: np.ndarray, meaning: np.ndarray, both: np.ndarray, shared: np.ndarray, clash: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(pair allowed for the need's owner, for the offer's owner) of pairs whose zones overlap.

        Meaning is the cosine of the two descriptions minus their mean hubness. It is
        calibrated twice: mapped linearly from ``meaning_low`` (relevance 0) to
        ``meaning_high`` (1) for the score; and a pair is a need ↔ offer pair for one side only
        when its meaning reaches ``relevance_floor`` *and* lies within ``relevance_margin`` of
        that listing's best overlapping candidate (ranking, not a raw threshold: e5 scores
        cluster high); below ``relevance_sure`` it must also lie within ``mutual_margin`` of
        the other listing's best (mutual) and be supported by a second signal (see
        :meth:`_supported`). ``self._best`` holds both sides' bests over the whole block. A
        listing without a vector (empty description, not embedded yet) gets
        ``neutral_relevance`` and is judged on category, themes and place. Pairs whose object
        facets are known and disjoint were left out before (a van is not bread).
        """
        cfg = self.cfg
        row_best, col_best = self._best[needs], self._best[offers]
        ok = (meaning >= cfg.relevance_floor) | shared
        sure = meaning >= cfg.relevance_sure
        # A pair is a need ↔ offer pair for one side when it is among that side's best; a
        # pair below ``relevance_sure`` must also be among the other side's best (mutual).
        offers_best = meaning >= col_best - cfg.mutual_margin  # the need is among the offer's best needs
        # A need naming exactly the offer's object (facets: laptops ~ ordinateurs) need not be the
        # offer's best need: chatty words around the object do not hide it from its offer.
        same = (self.cols.obj[needs] == self.cols.obj[offers]) & (self.cols.obj[needs] != 0)
        for_need = ok & (meaning >= row_best - cfg.relevance_margin) & (sure | offers_best | same)
        for_offer = ok & (meaning >= col_best - cfg.relevance_margin) & (sure | (meaning >= row_best - cfg.mutual_margin))
        if cfg.own_right_pairs:  # an offer's best need hears of it, and the offer of it, whatever else the need has
            for_need |= ok & offers_best
            for_offer |= ok & offers_best
        if cfg.weak_pairs_need_support:
            weak = np.nonzero((for_need | for_offer) & ~sure & both)[0]
            if len(weak):
                unsupported = weak[~self._supported(needs[weak], offers[weak])]
                for_need[unsupported] = False
                for_offer[unsupported] = False
        if self._same_skill:
            # The same skill picked from the menu on both sides (juridique ↔ juridique) and a
            # content word of both texts (« statuts ») make a pair for the need's owner among the
            # need's best offers, below the floor and whatever better need the offer has elsewhere
            # (an offer may serve several needs): « on est l'asso … (jardin partagé), on aurait
            # besoin d'un coup de main juridique pour refaire nos statuts » ↔ « Conseil juridique
            # pro bono : statuts… » (meaning −0.023: the garden and the town dilute the sentence).
            # So does a mutual pair (each among the other's best) without a word in common: the skill
            # is the object, whatever language each side wrote in (trial 40: « un coup de main pr le
            # bilan annuel » ↔ "Pro bono accounting help …: annual accounts", meaning −0.002, no shared
            # theme: « Pas de suggestion » to both); the offer's owner then hears of it too.
            mutual = offers_best & (meaning >= row_best - cfg.mutual_margin)
            near = np.nonzero(~for_need & (meaning >= row_best - cfg.relevance_margin))[0]
            if len(near):
                words, pos = self._words, self.cols.pos
                for_need[near] = mutual[near] | np.array(
                    [not words(i).isdisjoint(words(j)) for i, j in zip(pos[needs[near]].tolist(), pos[offers[near]].tolist(), strict=True)],
                    dtype=bool,
                )
            for_offer |= mutual & (meaning >= col_best - cfg.relevance_margin)
        # A weak pair on other days is dropped.
        wrong = clash & ~sure & both
        return (for_need | ~both) & ~wrong, (for_offer | ~both) & ~wrong

    def _facets(self, needs: np.ndarray, offers: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(shared object facet, object facets known on both sides and disjoint, times in conflict) per pair.

        Times conflict when both sides name days and none is common, or both name parts of the
        day and none is common (``matching.facets``, bits 0–6 days, 7–9 parts of the day).
        """
        c = self.cols
        on, oo = c.obj[needs][:, None], c.obj[offers][None, :]
        common = (on & oo) != 0
        disjoint = (on != 0) & (oo != 0) & ~common
        tn, to = c.time[needs][:, None], c.time[offers][None, :]
        dn, do, pn, po = tn & TIME_ALL_DAYS, to & TIME_ALL_DAYS, tn >> TIME_PART_SHIFT, to >> TIME_PART_SHIFT
        clash = ((dn != 0) & (do != 0) & ((dn & do) == 0)) | ((pn != 0) & (po != 0) & ((pn & po) == 0))
        return common, disjoint, clash

    def _supported(self, needs: np.ndarray, offers: np.ndarray) -> np.ndarray:
        """Whether each weak pair (``needs[k]``, ``offers[k]``) has a second, independent signal.

        A weak meaning alone is not trusted: the two listings must also share a theme, an object
        facet (``matching.facets``: "camion" and "van" are both a vehicle), a day both name
        ("samedi" and "le week-end"), or their
        descriptions a content word (:meth:`_words`). Asked only of the few weak pairs that
        passed the rank rules, so the words of most listings are never computed.
        """
        c = self.cols
        found = (c.mask[needs] & c.mask[offers]) != 0
        found |= (c.obj[needs] & c.obj[offers]) != 0  # an object facet: camion ~ van
        found |= (c.time[needs] & c.time[offers] & TIME_ALL_DAYS) != 0  # a day named on both sides: samedi ~ week-end
        self.weak_pairs_checked += len(found)
        rest = np.nonzero(~found)[0]
        if len(rest):
            words = self._words
            found[rest] = [
                not words(i).isdisjoint(words(j)) for i, j in zip(c.pos[needs[rest]].tolist(), c.pos[offers[rest]].tolist(), strict=True)
            ]
        return found

    def _words(self, i: int) -> frozenset[str]:
        """Listing ``i``'s content words: its description's stems cut to ``WORD_PREFIX`` letters.

        Cut, because Snowball's French stems of one word family differ ("réfrigérée" →
        ``refrigere``, "réfrigérateurs" → ``refriger``; "outils" → ``outil``, "outillage" →
        ``outillag``). Computed once per listing, when first asked.
        """
        found = self._words_of.get(i)
        if found is None:
            found = self._words_of[i] = frozenset(stem[:WORD_PREFIX] for stem in stems(self.listings[i].description))
        return found

    def _raw_meaning(self, needs: np.ndarray, offers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(meaning of each pair: cosine minus the two texts' mean hubness, both sides have a vector)."""
        c = self.cols
        hn, ho = c.has_vec[needs], c.has_vec[offers]
        both = hn[:, None] & ho[None, :]
        if not hn.any() or not ho.any():
            return np.zeros(both.shape, dtype=np.float32), both
        matrix = c.matrix
        rows_n, rows_o = np.maximum(c.rows[needs], 0), np.maximum(c.rows[offers], 0)
        # Exact float32 copies of the int8 rows, by chunks of MEANING_ROWS (a whole side of a
        # large block as float32 was 17 MiB at 300k listings, made again for every slice).
        if len(needs) <= MEANING_ROWS and len(offers) <= MEANING_ROWS:  # most blocks: one product
            dots = matrix[rows_n].astype(np.float32) @ matrix[rows_o].astype(np.float32).T
            return dots / c.norm[needs][:, None] / c.norm[offers][None, :] - (c.hub[needs][:, None] + c.hub[offers][None, :]) / 2, both
        dots = np.empty((len(needs), len(offers)), dtype=np.float32)
        for i in range(0, len(needs), MEANING_ROWS):
            a = matrix[rows_n[i : i + MEANING_ROWS]].astype(np.float32)
            for j in range(0, len(offers), MEANING_ROWS):
                b = matrix[rows_o[j : j + MEANING_ROWS]].astype(np.float32)
                dots[i : i + MEANING_ROWS, j : j + MEANING_ROWS] = a @ b.T  # exact: integer products, partial sums below 2**24
        meaning = dots / c.norm[needs][:, None] / c.norm[offers][None, :] - (c.hub[needs][:, None] + c.hub[offers][None, :]) / 2
        return meaning, both

    def _offer_best(self, mine: np.ndarray, theirs: np.ndarray, score: np.ndarray, allowed: np.ndarray, is_need: bool) -> None:
        """Offer the best ``TOP_PER_LISTING`` allowed pairs of each of ``mine`` (one pair per item) to its owner.

        Kept as each actor's best rows until the need ↔ offer pass is over (see :class:`_Top`).
        """
        c = self.cols
        picked = np.nonzero(allowed & c.receives[mine])[0]
        if not len(picked):
            return
        # Grouped by listing, best score first (ties: the order the block read them in).
        order = picked[np.lexsort((-score[picked], mine[picked]))]
        listing = mine[order]
        starts = np.flatnonzero(np.r_[True, listing[1:] != listing[:-1]])
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        order = order[rank < TOP_PER_LISTING]
        me, other = c.actor[mine[order]].astype(np.int64), c.actor[theirs[order]].astype(np.int64)
        allowed_pairs = ~_sorted_contains(self._excluded_keys, me * len(self._actor_ids) + other)
        my_pos, their_pos = c.pos[mine[order]].astype(np.int64), c.pos[theirs[order]].astype(np.int64)
        if len(self._declined_keys):  # a declined need ↔ offer pair, not the whole other actor
            allowed_pairs &= ~_sorted_contains(self._declined_keys, my_pos * len(self.listings) + their_pos)
        if not allowed_pairs.all():
            order, me, other = order[allowed_pairs], me[allowed_pairs], other[allowed_pairs]
            my_pos, their_pos = my_pos[allowed_pairs], their_pos[allowed_pairs]
        if len(order) and self._top is not None:
            top = 2 * len(self.listings)
            low = (top - 2 * my_pos) << self.s_mine | (top - 2 * their_pos) << 2 | (KIND_NEED_OFFER if is_need else KIND_OFFER_NEED)
            self._top.add(me, np.rint(score[order] * 1e9).astype(np.int64), other, low)

    def _excluded_set(self) -> set[int]:
        """The excluded pairs as a set of ints ``(a - a_lo) * a_width + (b - a_lo)`` (for the theme pairs)."""
        keys = self._excluded_keys
        width = len(self._actor_ids)
        first, second = self._actor_ids[keys // width] - self.a_lo, self._actor_ids[keys % width] - self.a_lo
        return set((first * self.a_width + second).tolist())

    # ------------------------------------------------------------------ theme pairs

    def theme_pairs(self) -> None:
        """Actors sharing a theme on the same commune (first) or EPCI: up to ``probe_per_tier`` each."""
        actors = list(self.actors.values())
        bits = self.theme_bits
        cfg = self.cfg
        masks_of: dict[frozenset[str], int] = {}
        self.actor_masks: dict[int, int] = {}
        actor_masks = self.actor_masks
        for a in actors:
            actor_masks[a.id] = _cached_mask(a.themes, bits, masks_of)
        # The probing below reads compact per-rank lists (an actor's rank: its position in id
        # order), not the records: at 1M listings the records are ~190 MiB read at random, these
        # lists a few MiB (the same pairs, probed in the same order).
        by_commune: dict[tuple[str, str], list[int]] = {}
        by_epci: dict[tuple[str, str], list[int]] = {}
        sorted_themes: list[list[str]] = []  # per rank, shared between equal theme sets
        shared: dict[frozenset[str], list[str]] = {}
        for rank, actor in enumerate(actors):
            themes = shared.get(actor.themes) if type(actor.themes) is frozenset else None
            if themes is None:
                themes = sorted(actor.themes)
                if type(actor.themes) is frozenset:
                    shared[actor.themes] = themes
            sorted_themes.append(themes)
            for theme in themes:
                by_commune.setdefault((theme, actor.commune_code), []).append(rank)
                if actor.epci_code:
                    by_epci.setdefault((theme, actor.epci_code), []).append(rank)
        # a local authority governing a département looks for theme partners across it (usually none: no index)
        wide = {a.territory[1] for a in actors if a.territory is not None and a.territory[0] == "departement"}
        by_departement: dict[tuple[str, str], list[int]] = {}
        if wide:
            for rank, actor in enumerate(actors):
                if actor.departement_code in wide:
                    for theme in sorted_themes[rank]:
                        by_departement.setdefault((theme, actor.departement_code), []).append(rank)
        per_tier = cfg.probe_per_tier
        self._listing_kinds = listing_kinds(self.listings)
        self._theme_columns(actors)
        seed = self.seed + 1
        self.excluded = excluded = self._excluded_set()
        a_lo, a_width = self.a_lo, self.a_width
        ids = [a.id for a in actors]
        demo = [a.is_demo for a in actors]
        communes = [a.commune_code for a in actors]
        # theme_pair_allowed's cases, per rank: two companies; a local authority (its territory
        # decides, read from the records: rare); anyone else on the same commune or EPCI.
        companies = [a.kind == COMPANY for a in actors] if not cfg.theme_pairs_between_companies else [False] * len(actors)
        authorities = [a.kind == LOCAL_AUTHORITY for a in actors] if cfg.theme_pairs_authority_commune_only else [False] * len(actors)
        firsts: list[int] = []
        seconds: list[int] = []
        for me, actor in enumerate(actors):
            my_id = ids[me]
            pair_base = (my_id - a_lo) * a_width - a_lo
            seen = {me}
            found: list[int] = []
            my_demo, my_commune, my_company, my_authority = demo[me], communes[me], companies[me], authorities[me]
            tiers = [(by_commune, actor.commune_code), (by_epci, actor.epci_code)]
            if actor.territory is not None and actor.territory[0] == "departement":
                tiers.append((by_departement, actor.territory[1]))
            for index, code in tiers:
                if not code:
                    continue
                examined = 0
                for theme in sorted_themes[me]:
                    lst = index.get((theme, code))
                    if not lst:
                        continue
                    n = len(lst)
                    start = ((my_id * _MIX + seed) & 0xFFFFFFFF) % n if n > per_tier else 0
                    for k in range(n):
                        other = lst[(start + k) % n]
                        if other in seen:
                            continue
                        seen.add(other)
                        examined += 1
                        if (
                            pair_base + ids[other] not in excluded
                            and demo[other] == my_demo
                            and not (my_company and companies[other])
                            and (
                                communes[other] == my_commune
                                or not (my_authority or authorities[other])
                                or theme_pair_allowed(actor, actors[other], cfg)
                            )
                        ):
                            found.append(other)
                        if examined >= per_tier:
                            break
                    if examined >= per_tier:
                        break
            for other in found:
                if me < other:
                    firsts.append(me)
                    seconds.append(other)
                else:
                    firsts.append(other)
                    seconds.append(me)
            if len(firsts) >= 8192:
                self._score_themes(firsts, seconds)
                firsts, seconds = [], []
        self._score_themes(firsts, seconds)
        self._theme_cols = None  # not read after: freed before the output is built

    def _score_themes(self, firsts: list[int], seconds: list[int]) -> None:
        """Score theme pairs (``firsts[k] < seconds[k]``: actor ranks), their profiles' relevance computed for the whole batch at once.

        Each side's bar is its kept candidates' last score when they are full (-inf before; not a
        recipient: none), read once per batch: bars only rise, so an older bar prunes less, never
        wrongly. What passes joins the actors' best in :class:`_Top`.
        """
        if not firsts or self._top is None:
            return
        top = self._top
        top.flush()
        ids = self._actor_ids
        ranks_a, ranks_b = np.array(firsts, dtype=np.int64), np.array(seconds, dtype=np.int64)
        if self._theme_cols is None:  # masks beyond 62 bits: one pair at a time
            relevance = self._profile_relevances(ids[ranks_a].tolist(), ids[ranks_b].tolist())
            actors = list(self.actors.values())
            pairs = [(actors[a], actors[b]) for a, b in zip(firsts, seconds, strict=True)]
            self._score_themes_one_by_one(pairs, relevance, ranks_a, ranks_b)
            return
        mask, commune, fresh, sector, kinds = self._theme_cols
        cfg = self.cfg
        # The scores of matching.engine._Round._score_theme, as columns (the same operations in
        # the same order: the same floats).
        ma, mb = mask[ranks_a], mask[ranks_b]
        theme = np.bitwise_count(ma & mb).astype(np.float64) / np.sqrt(
            (np.bitwise_count(ma).astype(np.int64) * np.bitwise_count(mb).astype(np.int64)).astype(np.float64)
        )
        geo = np.where(commune[ranks_a] == commune[ranks_b], 1.0, cfg.theme_pair_epci_geo)
        sa, sb = sector[ranks_a], sector[ranks_b]
        bonus = np.where((sa != sb) & (sa >= 0) & (sb >= 0), cfg.cross_sector_bonus, 0.0)
        partial = (
            cfg.weight_category * cfg.theme_pair_fit
            + cfg.weight_theme * theme
            + cfg.weight_geo * geo
            + cfg.weight_freshness * ((fresh[ranks_a] + fresh[ranks_b]) / 2)
            + bonus
        )
        scale = self._theme_scale()
        ka, kb = kinds[ranks_a], kinds[ranks_b]
        fit_a, fit_b = cfg.weight_listing_fit * _fit(ka, kb), cfg.weight_listing_fit * _fit(kb, ka)
        best = (partial + cfg.weight_text + np.maximum(fit_a, fit_b)) * scale
        bar_a, bar_b = top.bar_scores(ranks_a, self._recipient), top.bar_scores(ranks_b, self._recipient)
        live = np.flatnonzero(~((best < bar_a) & (best < bar_b)))  # a side without a bar (not a recipient): +inf
        self.pairs_scored += len(live)
        # The profiles' relevance only of the pairs that may pass a bar (their vectors are read at random).
        relevance = self._profile_relevances(ids[ranks_a[live]].tolist(), ids[ranks_b[live]].tolist())
        base = partial[live] + cfg.weight_text * relevance
        mine: list[np.ndarray] = []
        scores: list[np.ndarray] = []
        others: list[np.ndarray] = []
        for me, other, fit, bar in (
            (ranks_a[live], ranks_b[live], fit_a[live], bar_a[live]),
            (ranks_b[live], ranks_a[live], fit_b[live], bar_b[live]),
        ):
            nano = _nanos(np.maximum(0.0, base + fit) * scale)
            passed = nano / 1e9 >= bar
            mine.append(me[passed])
            scores.append(nano[passed])
            others.append(other[passed])
        self._add_themes(np.concatenate(mine), np.concatenate(scores), np.concatenate(others))

    def _score_themes_one_by_one(
        self, pairs: list[tuple[ActorRecord, ActorRecord]], relevance: np.ndarray, ranks_a: np.ndarray, ranks_b: np.ndarray
    ) -> None:
        """:meth:`_score_themes` one pair at a time (theme masks wider than an int64)."""
        top = self._top
        assert top is not None
        bars_a, bars_b = top.bars(ranks_a, self._recipient), top.bars(ranks_b, self._recipient)
        mine: list[int] = []
        scores: list[int] = []
        others: list[int] = []
        for (a, b), text, ra, rb, floor_a, floor_b in zip(
            pairs, relevance.tolist(), ranks_a.tolist(), ranks_b.tolist(), bars_a, bars_b, strict=True
        ):
            for me, score, other in self._score_theme(a, b, text, floor_a, floor_b, ra, rb):
                mine.append(me)
                scores.append(score)
                others.append(other)
        self._add_themes(mine, scores, others)

    def _add_themes(self, mine: list[int] | np.ndarray, scores: list[int] | np.ndarray, others: list[int] | np.ndarray) -> None:
        """Offer scored theme pairs (receiver's rank, score in 1e-9, other's rank) to the receivers' best."""
        if len(mine) and self._top is not None:
            rest = self.no_listing << self.s_mine | self.no_listing << 2 | KIND_THEME
            self._top.add(
                np.asarray(mine, dtype=np.int64),
                np.asarray(scores, dtype=np.int64),
                np.asarray(others, dtype=np.int64),
                np.full(len(mine), rest, dtype=np.int64),
            )

    def _theme_columns(self, actors: list[ActorRecord]) -> None:
        """Per actor rank: theme mask, commune, freshness, sector, open listings' kinds (None: masks too wide)."""
        masks = [self.actor_masks[a.id] for a in actors]
        if max(masks, default=0) >= 1 << 62:
            self._theme_cols = None
            return
        communes: dict[str | None, int] = {}
        kinds = self._listing_kinds
        self._theme_cols = (
            np.array(masks, dtype=np.int64),
            np.array([communes.setdefault(a.commune_code, len(communes)) for a in actors], dtype=np.int32),
            np.array([self._actor_fresh(a.updated_at) for a in actors], dtype=np.float64),
            np.array([_SECTORS.get(a.kind, -1) for a in actors], dtype=np.int8),
            np.array([kinds.get(a.id, 0) for a in actors], dtype=np.int64),
        )

    def _theme_scale(self) -> float:
        """A theme pair's scale: its best possible score just below ``weight_category``."""
        cfg = self.cfg
        return cfg.weight_category / (
            cfg.weight_category * cfg.theme_pair_fit
            + cfg.weight_theme
            + cfg.weight_geo
            + cfg.weight_freshness
            + cfg.cross_sector_bonus
            + cfg.weight_text
            + cfg.weight_listing_fit
            + 1e-6
        )

    def _score_theme(
        self, a: ActorRecord, b: ActorRecord, text: float, floor_a: float | None, floor_b: float | None, ra: int, rb: int
    ) -> list[tuple[int, int, int]]:
        """A theme pair's scores, scaled into ``[0, weight_category)``: below every need ↔ offer pair.

        ``(receiver's rank, score in 1e-9, other's rank)`` for each side whose bar it may pass
        (``floor_*``: see :meth:`_score_themes`).
        """
        cfg = self.cfg
        ma, mb = self.actor_masks[a.id], self.actor_masks[b.id]
        common = (ma & mb).bit_count()
        theme = common / math.sqrt(ma.bit_count() * mb.bit_count())
        geo = 1.0 if a.commune_code == b.commune_code else cfg.theme_pair_epci_geo  # same EPCI otherwise
        fresh = (self._actor_fresh(a.updated_at) + self._actor_fresh(b.updated_at)) / 2
        partial = (
            cfg.weight_category * cfg.theme_pair_fit
            + cfg.weight_theme * theme
            + cfg.weight_geo * geo
            + cfg.weight_freshness * fresh
            + self._bonus(a, b)
        )
        scale = self._theme_scale()
        # Each side's open listings (see matching.theme_pairs.theme_pair_fit): the pair scores per direction.
        kinds = self._listing_kinds
        fit_a = cfg.weight_listing_fit * theme_pair_fit(kinds.get(a.id), kinds.get(b.id))
        fit_b = cfg.weight_listing_fit * theme_pair_fit(kinds.get(b.id), kinds.get(a.id))
        best = (partial + cfg.weight_text + max(fit_a, fit_b)) * scale
        if (floor_a is None or best < floor_a) and (floor_b is None or best < floor_b):
            return []
        self.pairs_scored += 1
        base = partial + cfg.weight_text * text
        found = []
        for me, other, floor, fit in ((ra, rb, floor_a, fit_a), (rb, ra, floor_b, fit_b)):
            score = round(max(0.0, base + fit) * scale, 9)
            if floor is not None and score >= floor:
                found.append((me, round(score * 1e9), other))
        return found

    def _profile_relevances(self, first: list[int], second: list[int]) -> np.ndarray:
        """:meth:`_profile_relevance` of many pairs of actors at once (by chunks, to bound memory)."""
        if len(first) > MEANING_ROWS:
            step = MEANING_ROWS
            return np.concatenate([self._profile_relevances(first[k : k + step], second[k : k + step]) for k in range(0, len(first), step)])
        vectors, cfg = self.vectors, self.cfg
        ra, rb = rows_for(vectors.actor_ids, first), rows_for(vectors.actor_ids, second)
        both = (ra >= 0) & (rb >= 0)
        out = np.zeros(len(first), dtype=np.float64)
        if not both.any():
            return out
        ra, rb = ra[both], rb[both]
        va = vectors.actor_rows[ra].astype(np.float32)
        vb = vectors.actor_rows[rb].astype(np.float32)
        dots = np.einsum("ij,ij->i", va, vb).astype(np.float64)
        norms = np.sqrt(np.einsum("ij,ij->i", va, va).astype(np.float64) * np.einsum("ij,ij->i", vb, vb).astype(np.float64))
        norms[norms == 0] = 1.0
        meaning = dots / norms - (vectors.actor_hub[ra].astype(np.float64) + vectors.actor_hub[rb]) / 2
        out[both] = np.clip((meaning - cfg.meaning_low) / (cfg.meaning_high - cfg.meaning_low), 0.0, 1.0)
        return out

    def _actor_fresh(self, updated: date | None) -> float:
        f = self._fresh_of.get(updated)
        if f is None:
            f = self._fresh_of[updated] = _freshness(updated, self.today, self.cfg.freshness_days)
        return f

    def _bonus(self, a: ActorRecord, b: ActorRecord) -> float:
        ka, kb = a.kind, b.kind
        return self.cfg.cross_sector_bonus if ka != kb and ka in CROSS_SECTOR_KINDS and kb in CROSS_SECTOR_KINDS else 0.0

    # ------------------------------------------------------------------ selection

    def select(self) -> dict[int, list[Suggestion]]:
        """The greedy pass, best score first (ties: receiving actor, other actor, listing ids).

        The kept candidates are numpy columns (actor and other as ranks, score in 1e-9, low word),
        sorted once in the pass's order — (-score, actor, other, then the low word descending:
        my listing, their listing, kind) — and read by chunks. Only the first (best) candidate of
        each (actor, other) pair can be chosen (a later one meets the same full digest, the same
        fairness cap or the pair already chosen), so the others are dropped before the pass.
        """
        cfg = self.cfg
        top = self._top
        self._top = None
        empty = np.zeros(0, dtype=np.int64)
        actor, score, other, low = top.entries() if top is not None else (empty, empty, empty, empty)
        del top
        order = np.lexsort((-low, other, actor, -score))
        actor, score, other, low = actor[order], score[order], other[order], low[order]
        del order
        width = len(self._actor_ids)
        first = np.zeros(len(actor), dtype=bool)
        first[np.unique(actor * width + other, return_index=True)[1]] = True
        actor, score, other, low = actor[first], score[first], other[first], low[first]
        del first
        given = [self.proposed_in_window.get(a, 0) for a in self._actor_ids.tolist()]
        counts = bytearray(width)
        chosen = bytearray(len(actor))
        cap, per_digest = cfg.fairness_cap, min(cfg.max_per_digest, 255)
        step = MEANING_ROWS * 64
        for start in range(0, len(actor), step):
            for k, a, o in zip(range(start, start + step), actor[start : start + step].tolist(), other[start : start + step].tolist()):
                if counts[a] >= per_digest or given[o] >= cap:
                    continue
                counts[a] += 1
                given[o] += 1
                chosen[k] = 1
        del counts, given
        picked = np.flatnonzero(np.frombuffer(chosen, dtype=np.uint8))
        del chosen
        kind = low & 3
        behind = self._listed_for_themes((actor, other, kind), picked)
        # From here on only the chosen candidates (and the need ↔ offer pairs behind chosen theme
        # pairs) are read, grouped by receiving actor (in rank order: by id), best first.
        picked = picked[np.argsort(actor[picked], kind="stable")]
        behind_at = {key: k for key, k in behind.items()}
        extra = np.array(sorted(set(behind_at.values())), dtype=np.int64)
        rows = np.concatenate([picked, extra])
        actor, score, other, low, kind = actor[rows], score[rows], other[rows], low[rows], kind[rows]
        position = {k: len(picked) + n for n, k in enumerate(extra.tolist())}
        behind_at = {key: position[k] for key, k in behind_at.items()}
        count = len(picked)
        del rows, picked, extra, position, behind
        self._release_scratch()
        self._profiles: dict[int, Reason] = {}
        self._theme_reason_cache: dict[int, list[Reason]] = {}
        self._theme_values = list(self.theme_bits)
        l_mask = (1 << self.l_bits) - 1
        listing_top = 2 * len(self.listings)
        mine_at = (listing_top - ((low >> self.s_mine) & l_mask)) // 2
        theirs_at = (listing_top - ((low >> 2) & l_mask)) // 2
        del low
        ids = self._actor_ids
        themed = np.flatnonzero(kind[:count] == KIND_THEME)
        first_ids, second_ids = ids[actor[themed]].tolist(), ids[other[themed]].tolist()
        similar = self._profile_relevances(first_ids, second_ids) >= cfg.text_reason_threshold
        self._similar_profiles = {pair for pair, yes in zip(zip(first_ids, second_ids), similar.tolist(), strict=True) if yes}
        del themed, first_ids, second_ids, similar
        # The profiles' vectors are not read after this: let them go before the output is built
        # (freed when the round was handed them: 122 MiB at 1M listings).
        self.vectors = Vectors.empty()
        _give_back()
        result: dict[int, list[Suggestion]] = {}
        out: list[Suggestion] = []
        current = None
        for start in range(0, count, step):
            part = slice(start, min(count, start + step))
            for me, o, value, k, i, j in zip(
                ids[actor[part]].tolist(),
                ids[other[part]].tolist(),
                score[part].tolist(),
                kind[part].tolist(),
                mine_at[part].tolist(),
                theirs_at[part].tolist(),
                strict=True,
            ):
                if me != current:
                    current, out = me, []
                    result[me] = out
                b = behind_at.get((o, me)) if k == KIND_THEME else None
                if b is not None:  # the other side's need ↔ offer pair, seen from here
                    mirrored = KIND_OFFER_NEED if int(kind[b]) == KIND_NEED_OFFER else KIND_NEED_OFFER
                    out.append(self._suggestion(me, o, value / 1e9, mirrored, int(theirs_at[b]), int(mine_at[b])))
                elif k == KIND_THEME:
                    out.append(self._suggestion(me, o, value / 1e9, KIND_THEME, -1, -1))
                else:
                    out.append(self._suggestion(me, o, value / 1e9, k, i, j))
        return result

    def _listed_for_themes(self, columns: tuple[np.ndarray, np.ndarray, np.ndarray], picked: np.ndarray) -> dict[tuple[int, int], int]:
        """The need ↔ offer pairs behind the chosen theme pairs: ``(owner, other)`` (ids) → the owner's best candidate.

        The relevance rule may keep a pair for the offer's owner and not for the need's (not
        mutual), who may then meet the same actor as a theme pair — which must still read as the
        need ↔ offer pair. Only the pairs of actors of a chosen theme pair are looked for.
        ``columns`` (actor ranks, other ranks, kinds) are the candidates of :meth:`select`, one
        per (actor, other) pair, the best (a need ↔ offer pair outranks a theme pair);
        ``picked`` the chosen ones (positions in them).
        """
        if not self.cfg.theme_pairs:
            return {}
        actor, other, kind = columns
        width = len(self._actor_ids)
        themed = picked[kind[picked] == KIND_THEME]
        if not len(themed):
            return {}
        wanted = np.unique(other[themed] * width + actor[themed])
        found = np.flatnonzero((kind != KIND_THEME) & _sorted_contains(wanted, actor * width + other))
        ids = self._actor_ids
        return {
            (owner, counterpart): k
            for owner, counterpart, k in zip(ids[actor[found]].tolist(), ids[other[found]].tolist(), found.tolist(), strict=True)
        }

    def release_listing_vectors(self) -> None:
        """The listings' vectors are not needed after the need ↔ offer pass (profiles' still are)."""
        v = self.vectors
        self.vectors = Vectors(v.listing_ids[:0], v.listing_rows[:0].copy(), v.listing_hub[:0], v.actor_ids, v.actor_rows, v.actor_hub)
        self.cols = None  # type: ignore[assignment]  # freed: not read after the need-offer pass
        self._words_of = {}
        self._best = np.zeros(0, dtype=np.float32)

    def _release_scratch(self) -> None:
        """Drop what only candidate generation needed, so that the output reuses its memory.

        Kept: the anchors' places, theme masks and listing records (for the reasons).
        """
        self.excluded = set()
        self._excluded_keys = self._excluded_keys[:0]
        self._declined_keys = self._declined_keys[:0]
        self.cols = None  # type: ignore[assignment]  # freed: not read after candidate generation

    def _quoted(self, i: int, side: str) -> tuple[str, str]:
        """``(side, cut)`` of listing ``i``'s description (made per suggestion: a cache per listing held more than it saved)."""
        return (side, _cut(self.listings[i].description, self.cfg.description_chars))

    def _mask(self, i: int) -> int:
        """Listing ``i``'s theme mask (its themes, else its owner's)."""
        listing = self.listings[i]
        return _cached_mask(listing.themes or self.actors[listing.actor_id].themes, self.theme_bits, self._mask_of)

    def _theme_reasons(self, mask: int) -> list[Reason]:
        """``match.both_theme`` (one shared theme) or ``match.both_themes`` (up to 3), shared by all suggestions."""
        found = self._theme_reason_cache.get(mask)
        if found is None:
            shared = _themes_of(mask, self._theme_values)
            if not shared:
                found = []
            elif len(shared) == 1:
                found = [Reason("match.both_theme", (("theme", shared[0]),))]
            else:
                found = [Reason("match.both_themes", (("themes", tuple(shared[:3])),))]
            self._theme_reason_cache[mask] = found
        return found

    def _suggestion(self, actor: int, other: int, score: float, kind: int, i: int, j: int) -> Suggestion:
        """The returned suggestion and its reasons (built only for what is returned).

        In plain words: the place ("vous êtes tous deux à Villeurbanne"), what each side looks for or
        offers, quoted, the shared themes; a theme pair says that it is one. The other's
        presentation is not repeated here (the suggestion's message shows it).
        """
        me, them = self.actors[actor], self.actors[other]
        reasons: list[Reason] = []
        if kind == KIND_THEME:
            level = _level((me.commune_code, me.epci_code, me.departement_code), (them.commune_code, them.epci_code, them.departement_code))
            reasons.extend(theme_pair_reasons(level, me, _themes_of(self.actor_masks[actor] & self.actor_masks[other], self._theme_values)))
            if (actor, other) in self._similar_profiles:
                reasons.append(_SIMILAR_PROFILES)
            my_listing = their_listing = None
        else:
            level, d = self._closeness(i, j)
            anchor = self.listings[i].anchor
            reasons.extend(_place_reasons(level, d, me if anchor is None else None))
            key = "match.you_seek" if kind == KIND_NEED_OFFER else "match.you_offer"
            reasons.append(Reason(key, (self._quoted(i, "mine"), self._quoted(j, "theirs"))))
            reasons.extend(skill_reasons(self.listings[i], self.listings[j]))
            reasons.extend(self._theme_reasons(self._mask(i) & self._mask(j)))
            my_listing, their_listing = self.listings[i].id, self.listings[j].id
        if me.kind != them.kind and me.kind in CROSS_SECTOR_KINDS and them.kind in CROSS_SECTOR_KINDS:
            reasons.append(_cross_sector(me.kind, them.kind))
        return Suggestion(
            for_actor=me.id,
            other_actor=them.id,
            score=round(score, 6),
            reasons=tuple(reasons),
            kind=_KIND_NAMES[kind],
            my_listing_id=my_listing,
            their_listing_id=their_listing,
        )

    def _closeness(self, i: int, j: int) -> tuple[int, float | None]:
        """``closeness`` of the anchors of listings ``i`` and ``j`` (an anchor: the listing's, else its owner's commune)."""
        a, b = self._anchor(i), self._anchor(j)
        level = _level(a, b)
        if level != FARTHER:  # the distance is said only beyond the département
            return level, None
        d = None if a[3] is None or a[4] is None or b[3] is None or b[4] is None else haversine_km(a[3], a[4], b[3], b[4])
        return FARTHER, d

    def _anchor(self, i: int) -> tuple[str | None, str | None, str | None, float | None, float | None]:
        """(commune, EPCI, département, latitude, longitude) of listing ``i``'s anchor (no latitude: unknown place)."""
        listing = self.listings[i]
        p = listing.anchor
        if p is None:
            actor = self.actors[listing.actor_id]
            found = (actor.commune_code, actor.epci_code, actor.departement_code, actor.lat, actor.lon)
        else:
            found = (p.commune_code, p.epci_code, p.departement_code, p.lat, p.lon)
        if found[3] is None or found[4] is None:
            return found[0], found[1], found[2], None, None
        return found[0], found[1], found[2], float(found[3]), float(found[4])


def _level(a: tuple[str | float | None, ...], b: tuple[str | float | None, ...]) -> int:
    """``matching.geo.closeness``'s level of two places given as (commune, EPCI, département, …) codes."""
    if a[0] and a[0] == b[0]:
        return SAME_COMMUNE
    if a[1] and a[1] == b[1]:
        return SAME_EPCI
    if a[2] and a[2] == b[2]:
        return SAME_DEPARTEMENT
    return FARTHER


def _geo_reasons(level: int, d: float | None) -> list[Reason]:
    if level in _GEO_REASON_OBJECTS:
        return [_GEO_REASON_OBJECTS[level]]
    if d is None:
        return []
    return [_distance_reason(max(1, round(d)))]


def _place_reasons(level: int, d: float | None, me: ActorRecord | None) -> list[Reason]:
    """The place named in words: "vous êtes tous deux à Villeurbanne", "dans la Métropole de Lyon", "à 12 km".

    ``me`` gives the names of the receiver's commune, EPCI and département (None, or names
    unknown: the generic "même commune", "même intercommunalité"…).
    """
    name = None
    if me is not None:
        name = {SAME_COMMUNE: me.commune_name, SAME_EPCI: me.epci_name, SAME_DEPARTEMENT: me.departement_name}.get(level)
    if name:
        return [_named_place(level, name)]
    return _geo_reasons(level, d)


@functools.lru_cache(maxsize=4096)
def _named_place(level: int, name: str) -> Reason:
    key, param = {
        SAME_COMMUNE: ("match.in_commune", "commune"),
        SAME_EPCI: ("match.in_epci", "epci"),
        SAME_DEPARTEMENT: ("match.in_departement", "departement"),
    }[level]
    return Reason(key, ((param, name),))


@functools.lru_cache(maxsize=1024)
def _distance_reason(km: int) -> Reason:
    return Reason("match.distance", (("km", km),))


_SIMILAR_PROFILES = Reason("match.similar_profiles")
_GEO_REASON_OBJECTS = {level: Reason(key) for level, key in _GEO_REASONS.items()}


@functools.lru_cache(maxsize=64)
def _cross_sector(mine: str, theirs: str) -> Reason:
    return Reason("match.alliance", (("mine_kind", mine), ("their_kind", theirs)))


def _cut(text: str, n: int) -> str:
    joined = " ".join((text or "").split())
    if len(joined) <= n:
        return text if joined == text else joined  # the record's own string when already clean
    text = joined
    cut = text[: n - 1]
    space = cut.rfind(" ")
    if space >= n // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


_VOCABULARY_PARAMS = {
    "skill": "skill",
    "theme": "theme",
    "themes": "theme",
    "themes_the": "theme.the",
    "mine_kind": "actor_type",
    "their_kind": "actor_type",
}


_WE = r"(?:nous\s+|on\s+|je\s+|j['’ ]\s*)"
_ALSO = r"(?:(?:aussi|également|egalement|vraiment|bien|vous|also|really|still)\s+)*"
_OWN_VERB = {
    "need": re.compile(
        r"^\s*(?:"
        + _WE
        + r"(?:re)?cherch\w*|(?:re)?cherche(?!\s+(?:de|d['’]|du|des)\b)\w*|"
        + _WE
        + r"(?:avons|a|ai|aurions|aurait|aurais)\s+"
        + _ALSO
        + r"besoin\s+(?:de|d['’ ])|"
        r"besoin\s+(?:de|d['’ ])|il\s+(?:nous|me)\s+(?:faut|faudrait|manque)|(?:il\s+)?faudrait|"
        r"(?:we|i)(?:['’]re|['’]m|\s+are|\s+am)?\s+(?:looking|searching)\s+for|(?:we|i)(?:['’]re|\s+are|\s+am|['’]m)\s+seeking|"
        r"(?:we|i)\s+" + _ALSO + r"need|looking\s+for|seeking)(?:\s+|(?<=['’ ]))" + _ALSO,
        re.IGNORECASE,
    ),
    "offer": re.compile(
        r"^\s*(?:"
        + _WE
        + r"(?:pouvons|peut|peux|pourrions|pourrait|pourrais)\s+"
        + _ALSO
        + r"(?:prêter|preter|proposer|offrir|donner|fournir|partager|mettre\s+[àa]\s+disposition)|"
        + _WE
        + r"(?:proposons|propose|offrons|offre|prêtons|pretons|prête|prete|donnons|donne|fournissons|"
        r"mettons\s+[àa]\s+disposition|met\s+[àa]\s+disposition)|"
        r"(?:we|i)\s+" + _ALSO + r"(?:(?:can|could)\s+" + _ALSO + r")?(?:lend|offer|provide|give|donate|share)|"
        r"(?:we|i)(?:['’]re|\s+are|\s+am|['’]m)\s+offering)\s+" + _ALSO,
        re.IGNORECASE,
    ),
}
"""The verb phrase a need or an offer starts with in its author's words (« on cherche », « nous avons besoin d' »,
"we are looking for", « on peut prêter », "we can lend"): a quote of the listing in an explanation that already
says « vous cherchez » / « ils proposent » goes without it."""
_QUOTED_SIDES = {
    "match.you_seek": ("need", "offer"),
    "match.need_offer": ("need", "offer"),
    "match.you_offer": ("offer", "need"),
    "match.offer_need": ("offer", "need"),
}
"""The reasons that quote both listings after saying which is sought and which offered: (mine's kind, theirs')."""


def _without_own_verb(description: str, kind: str) -> str:
    """``description`` quoted without the need or offer verb it starts with (« on cherche des tables » →
    « Des tables »), capitalised; as written when it starts with none, or would be left with nothing."""
    found = _OWN_VERB[kind].match(description)
    if found is None:
        return description
    rest = description[found.end() :].lstrip(" ,:")
    if not any(character.isalnum() for character in rest):
        return description
    return rest[:1].upper() + rest[1:]


_DEFAULT_CONFIG = MatchingConfig()


def with_current_quotes(
    reasons: tuple[tuple[str, dict[str, Any]], ...], mine: str | None, theirs: str | None
) -> tuple[tuple[str, dict[str, Any]], ...]:
    """Stored reasons whose need ↔ offer quote gives the two listings' descriptions as they are now, cut as a
    round cuts them: a listing edited since the round that found the pair is never quoted in its old words. A
    side whose listing is gone (``None``) keeps the quote it had."""
    now = {"mine": mine, "theirs": theirs}

    def quoted(name: str, value: Any) -> Any:
        text = now.get(name)
        return value if text is None else _cut(text, _DEFAULT_CONFIG.description_chars)

    return tuple((key, {n: quoted(n, v) for n, v in params.items()}) if key in _QUOTED_SIDES else (key, params) for key, params in reasons)


def explain(suggestion: Suggestion, translate: Callable[..., str], language: str) -> str:
    """The suggestion's reasons as one sentence: ``translate(language, key, **params)`` for each, joined by ", ".

    Works with ``conversations.i18n.translate``. Vocabulary values in the parameters
    (themes, actor types) are translated first through their ``theme.<value>`` /
    ``actor_type.<value>`` keys; several themes are joined by ", ", or the language's way in a sentence
    (``themes_the``: « l'environnement et la mobilité », "the environment and mobility", key ``list.and``).
    """
    parts = []
    for reason in suggestion.reasons:
        params: dict[str, object] = {}
        sides = _QUOTED_SIDES.get(reason.key)
        if sides is not None and any(name in ("mine", "theirs") and not str(value).strip() for name, value in reason.params):
            continue  # an empty description (an older listing whose only text was a contact): nothing to quote
        for name, value in reason.params:
            prefix = _VOCABULARY_PARAMS.get(name)
            if sides is not None and name in ("mine", "theirs") and isinstance(value, str):  # « vous cherchez « Des tables » »
                params[name] = _without_own_verb(value, sides[name == "theirs"])
            elif prefix is None:
                params[name] = value
            elif isinstance(value, (tuple, list)) and prefix.endswith(".the") and len(value) > 1:  # in a sentence: « a, b et c »
                words = [translate(language, f"{prefix}.{v}").lower() for v in value]
                params[name] = translate(language, "list.and", first=", ".join(words[:-1]), last=words[-1])
            elif isinstance(value, (tuple, list)):
                params[name] = ", ".join(translate(language, f"{prefix}.{v}").lower() for v in value)
            else:
                params[name] = translate(language, f"{prefix}.{value}").lower()
        parts.append(translate(language, reason.key, **params))
    return ", ".join(part for part in parts if part)
