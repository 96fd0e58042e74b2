"""The suggestion round: candidate pairs, meaning, scores, exclusions, fairness cap (pure, deterministic).

Need ↔ offer pairs: every need and offer of one category whose zones overlap are compared, in
numpy blocks per département (disks also across borders), meaning first (the cosine of their
vectors corrected for hubness, see ``matching.vectors``), then place, themes, freshness and
the cross-sector bonus; a pair below the calibrated relevance floor, or a weak pair that is
not among both sides' best (mutual) or that shares neither a theme nor a content word, is not a
need ↔ offer pair. Theme pairs (same theme, same commune or EPCI) are sampled, ``probe_per_tier`` per tier,
and score below every need ↔ offer pair. The best ``candidates_per_actor`` pairs of each
actor are kept in a small heap; a final greedy pass, best score first, gives each actor at
most ``max_per_digest`` suggestions while proposing no actor more than ``fairness_cap`` times
in the fairness window. See ``docs/matching.md``.
"""

from __future__ import annotations

import functools
import gc
import heapq
import math
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

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
    closeness,
    haversine_km,
)
from .model import ActorRecord, History, ListingRecord, MatchingConfig, Place, Reason, Suggestion
from .text import fold, stems
from .theme_pairs import listing_kinds, theme_pair_allowed, theme_pair_fit, theme_pair_reasons
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
PENDING_LIMIT = 1 << 20
FACETS_CACHE = 1 << 16
"""Distinct (category, description) whose facets are remembered at once while the columns are built."""
"""Need ↔ offer candidates noted before they are reduced to each actor's best (~29 MiB)."""
"""Rows of one side made float32 at once for the dot products (1.5 MiB), to bound the round's memory."""


@dataclass(frozen=True, slots=True)
class _Columns:
    """Per-listing numpy columns of a round (positions as in ``_Round.listings``)."""

    actor: np.ndarray
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
    mask: np.ndarray
    fresh: np.ndarray
    rows: np.ndarray  # row in the vectors (-1: none)
    has_vec: np.ndarray
    hub: np.ndarray
    norm: np.ndarray  # norm of the int8 row (1 when none)
    obj: np.ndarray  # object facets (matching.facets; 0: none known)
    time: np.ndarray  # days and parts of the day (matching.facets; 0: none named)


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
        round_._heap_up()
        if cfg.theme_pairs:
            round_.theme_pairs()
        return round_.select()
    finally:
        blas.restore_original_limits()
        if collecting:
            gc.enable()


class _Round:
    """One round's state, stored column-wise (one list per field, indexed by listing position).

    Candidates are kept as plain ints that encode (score, other actor, listing positions, kind)
    so that the comparisons, the heaps and the final sort work on machine-friendly values and
    the round allocates one small object per kept candidate, not a tuple of five.
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
        self.recipients = set(self.actors) if recipients is None else {a for a in recipients if a in self.actors}
        self.listings: list[ListingRecord] = sorted(
            (l for l in listings if l.actor_id in self.actors and open_listing(l, today)), key=lambda l: l.id
        )
        self.theme_bits: dict[str, int] = {}
        ids = list(self.actors)
        self.a_lo = a_lo = min(0, ids[0]) if ids else 0
        self.a_hi = max(0, ids[-1]) if ids else 0
        self.a_width = self.a_hi - a_lo + 1
        # Exclusions: declined pairs, and pairs suggested (either way) in the last recent_weeks,
        # as one set of ints (pair keys) between eligible actors (the others never meet).
        self.excluded: set[int] = set()
        self._excluded_pairs: list[tuple[int, int]] = []
        recent_from = today - timedelta(weeks=cfg.recent_weeks)
        window_from = today - timedelta(days=cfg.fairness_window_days)
        self.proposed_in_window: dict[int, int] = {}
        for for_actor, other, day in history.suggested:
            if day > recent_from:
                self._exclude(for_actor, other)
            if window_from < day <= today:
                self.proposed_in_window[other] = self.proposed_in_window.get(other, 0) + 1
        for a, b in history.declined:
            self._exclude(a, b)
        # The same pairs as numpy keys on the actors' ranks (ids may be large): see _offer_best.
        self._actor_ids = np.array(ids, dtype=np.int64)
        self._excluded_keys = np.unique(self._pair_keys(np.array(self._excluded_pairs, dtype=np.int64).reshape(-1, 2)))
        del self._excluded_pairs
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
        self.heaps: dict[int, list[int]] = {}
        self.floors: dict[int, float] = {actor: -math.inf for actor in self.recipients}
        self._pending: list[tuple[np.ndarray, ...]] = []  # need ↔ offer candidates, see _collect
        self._pending_count = self._pending_kept = 0
        self.pairs_scored = 0
        self._best = np.zeros(0, dtype=np.float32)  # per listing: its best meaning in the block being read
        self._fresh_of: dict[date | None, float] = {}
        self._words_of: dict[int, frozenset[str]] = {}
        self.weak_pairs_checked = 0

    def _exclude(self, a: int, b: int) -> None:
        if a in self.actors and b in self.actors:
            lo, width = self.a_lo, self.a_width
            self.excluded.add((a - lo) * width + (b - lo))
            self.excluded.add((b - lo) * width + (a - lo))
            self._excluded_pairs.append((a, b))
            self._excluded_pairs.append((b, a))

    def _listing_pairs(self, pairs: Iterable[tuple[int, int]]) -> set[int]:
        """Listing pairs (ids), either way, as keys of their positions: ``mine * n + theirs``."""
        n = len(self.listings)
        position = {listing.id: i for i, listing in enumerate(self.listings)}
        keys: set[int] = set()
        for a, b in pairs:
            i, j = position.get(a), position.get(b)
            if i is not None and j is not None:
                keys.update((i * n + j, j * n + i))
        return keys

    # ------------------------------------------------------------------ keeping the best

    def _push(self, actor: int, entry: int) -> None:
        """Offer ``entry`` to recipient ``actor``'s best candidates, a min-heap.

        The caller has checked that the entry's score is not below ``floors[actor]`` (the
        worst score kept once the heap is full; -inf before; no floor: not a recipient).
        """
        heap = self.heaps.get(actor)
        if heap is None:
            heap = self.heaps[actor] = [entry]
        elif entry in heap:
            return
        elif len(heap) < self.cfg.candidates_per_actor:
            heapq.heappush(heap, entry)
        elif entry > heap[0]:
            heapq.heapreplace(heap, entry)
        else:
            return
        if len(heap) >= self.cfg.candidates_per_actor:
            self.floors[actor] = (heap[0] >> self.s_score) / 1e9

    # ------------------------------------------------------------------ need ↔ offer

    def need_offer_pairs(self) -> None:
        """Every need ↔ offer pair of the same category whose zones overlap, scored in blocks.

        Listings of a bucket (category, skill) are grouped by the département of their zone;
        each (needs × offers) block of a département is scored at once with numpy (meaning,
        overlap, place, themes, freshness, sector), and each listing keeps its best
        ``TOP_PER_LISTING`` pairs for its owner. Disks reach across département borders: their
        pairs with the grid cells within reach in other départements are a second pass.
        """
        cfg, today = self.cfg, self.today
        listings = self.listings
        actors = self.actors
        n = len(listings)
        bits = self.theme_bits
        masks_of: dict[frozenset[str], int] = {}
        fresh_of: dict[date | None, float] = {}
        codes: dict[str, int] = {"": 0}

        def code_of(value: str | None) -> int:
            if not value:
                return 0
            found = codes.get(value)
            if found is None:
                found = codes[value] = len(codes)
            return found

        actor_arr = np.zeros(n, dtype=np.int64)
        self.masks = masks = [0] * n
        # Bucket (category, skill) and side of each listing, for the blocks.
        bucket_of: dict[tuple[str, str], int] = {}
        bucket = np.zeros(n, dtype=np.int32)
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
        # Facets are read once per distinct (category, description), a needer's focus once per theme set.
        facets_of: dict[tuple[str, str | None], tuple[int, int]] = {}
        focus_of: dict[frozenset[str], int] = {}
        for i, listing in enumerate(listings):
            actor = actors[listing.actor_id]
            actor_arr[i] = actor.id
            sub = (listing.subcategory or "") if listing.category == SKILLS_CATEGORY else ""
            bucket[i] = bucket_of.setdefault((listing.category, sub), len(bucket_of))
            is_need[i] = listing.kind == "need"
            demo[i] = actor.is_demo
            sector[i] = _SECTORS.get(actor.kind, -1)
            anchor = listing.anchor
            if anchor is None:
                commune, epci, dep, la, lo = actor.commune_code, actor.epci_code, actor.departement_code, actor.lat, actor.lon
            else:
                commune, epci, dep, la, lo = anchor.commune_code, anchor.epci_code, anchor.departement_code, anchor.lat, anchor.lon
            pc[i], pe[i], pd[i] = code_of(commune), code_of(epci), code_of(dep)
            if la is not None and lo is not None:
                lat[i], lon[i] = la, lo
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
            level[i], zc[i], ze[i], zd[i] = lv, code_of(c), code_of(e), code_of(d)
            if lv == RADIUS:
                radius[i] = float(listing.radius_km or 0.0)
            themes = listing.themes or actor.themes
            masks[i] = _cached_mask(themes, bits, masks_of)
            if cfg.facets:
                facet_key = (listing.category, listing.description)
                codes_found = facets_of.get(facet_key)
                if codes_found is None:
                    if len(facets_of) >= FACETS_CACHE:  # bounded: descriptions rarely repeat, and 1M keys took ~200 MiB
                        facets_of.clear()
                    text = fold(listing.description) if listing.description else None  # folded once for both readings
                    codes_found = facets_of[facet_key] = (text_object_bits(listing.category, text), time_bits(text))
                obj[i], time[i] = codes_found
                if listing.kind == "need" and listing.category == FUNDING_CATEGORY:  # the needer's themes are its focus
                    themes_key = frozenset(themes)
                    focus = focus_of.get(themes_key)
                    if focus is None:
                        focus = focus_of[themes_key] = theme_bits(FUNDING_CATEGORY, themes_key)
                    obj[i] |= focus
            created = listing.created_at
            f = fresh_of.get(created)
            if f is None:
                f = fresh_of[created] = _freshness(created, today, freshness_days)
            fresh[i] = f
        mask_arr = np.array([m if m < 1 << 62 else m & ((1 << 62) - 1) for m in masks], dtype=np.int64)
        # Meaning: each listing's int8 row (as exact float32) and its norm and hubness.
        rows = rows_for(self.vectors.listing_ids, (l.id for l in listings)) if n else np.zeros(0, dtype=np.int64)
        has_vec = rows >= 0
        self.has_vec = has_vec
        hub = np.zeros(n, dtype=np.float32)
        hub[has_vec] = self.vectors.listing_hub[rows[has_vec]]
        norm = np.ones(n, dtype=np.float32)
        matrix = self.vectors.listing_rows
        for start in range(0, n if len(matrix) else 0, MEANING_ROWS):
            part = rows[start : start + MEANING_ROWS]
            found = matrix[np.maximum(part, 0)].astype(np.float32)
            norms = np.sqrt(np.einsum("ij,ij->i", found, found).astype(np.float64))
            norm[start : start + len(part)] = np.where((part >= 0) & (norms > 0), norms, 1.0)
        # Kept after the columns, for the places and distances in explanations.
        self.lat, self.lon, self.pc, self.pe, self.pd = lat, lon, pc, pe, pd
        self.cols = _Columns(
            actor=actor_arr,
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
            mask=mask_arr,
            fresh=fresh,
            rows=rows,
            has_vec=has_vec,
            hub=hub,
            norm=norm,
            obj=obj,
            time=time,
        )
        del facets_of, focus_of
        floors = self.floors
        self.receives = np.fromiter((a in floors for a in actor_arr.tolist()), dtype=bool, count=n)
        self._best = np.full(n, -np.inf, dtype=np.float32)
        positions = np.arange(n, dtype=np.int64)
        for key in sorted(bucket_of):
            members = positions[bucket == bucket_of[key]]
            needs, offers = members[is_need[members]], members[~is_need[members]]
            if not len(needs) or not len(offers):
                continue
            self._bucket(needs, offers)

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
                near: set[int] = set()
                for i in members.tolist():
                    if math.isnan(cols.lat[i]):
                        continue
                    for cell in grid.near(float(cols.lat[i]), float(cols.lon[i]), float(cols.radius[i]) + reach_other):
                        near.update(cell)
                if not near:
                    continue
                found = np.array(sorted(near), dtype=np.int64)
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
        step = max(1, BLOCK_CELLS // max(1, len(offers)))
        floor, margin = cfg.relevance_floor, cfg.relevance_margin
        kept: list[tuple[np.ndarray, ...]] = []
        touched: list[np.ndarray] = []
        for start in range(0, len(needs), step):
            found = self._overlap(needs[start : start + step], offers)
            if found is None:
                continue
            n_, o_, valid = found
            touched.append(n_)
            touched.append(o_)
            self.pairs_scored += int(np.count_nonzero(valid))
            meaning, both = self._raw_meaning(n_, o_)
            shared, disjoint, clash = self._facets(n_, o_)
            judged = np.where(valid & both & ~(disjoint | clash), meaning, -np.inf)
            row_best = judged.max(axis=1)
            best[n_] = row_best
            col_best = np.maximum(best[o_], judged.max(axis=0))
            best[o_] = col_best
            del judged
            # A superset of the pairs the rule may keep: the offers' bests can only rise.
            near = (meaning >= row_best[:, None] - margin) | (meaning >= col_best[None, :] - margin)
            keep = valid & ~disjoint & (~both | (((meaning >= floor) | shared) & near))
            rows, cols = np.nonzero(keep)
            if len(rows):
                kept.append((n_[rows], o_[cols], meaning[rows, cols], both[rows, cols], shared[rows, cols], clash[rows, cols]))
        try:
            if kept:
                self._score_kept(*(np.concatenate(part) for part in zip(*kept, strict=True)))
        finally:
            for positions in touched:
                best[positions] = -np.inf

    def _overlap(self, needs: np.ndarray, offers: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(needs, offers, valid) of the needs and offers whose zones overlap something (None: nothing)."""
        c = self.cols
        # Zones overlap (matching.zones_overlap, vectorised): compared at the coarser level
        # of two areas; a disk reaches an area it touches or whose anchor is within its radius.
        ln, lo_ = c.level[needs][:, None], c.level[offers][None, :]
        n_disk, o_disk = ln == RADIUS, lo_ == RADIUS
        area_level = np.where(n_disk, lo_, np.where(o_disk, ln, np.maximum(ln, lo_)))
        same = np.where(
            area_level == COMMUNE,
            (c.zc[needs][:, None] == c.zc[offers][None, :]) & (c.zc[needs][:, None] > 0),
            np.where(
                area_level == EPCI,
                (c.ze[needs][:, None] == c.ze[offers][None, :]) & (c.ze[needs][:, None] > 0),
                (c.zd[needs][:, None] == c.zd[offers][None, :]) & (c.zd[needs][:, None] > 0),
            ),
        )
        rows_disk, cols_disk = n_disk[:, 0], o_disk[0, :]
        if rows_disk.any() or cols_disk.any():
            same &= ~(n_disk & o_disk)
            # Distances only where a disk is involved: disk needs × all offers, other needs × disk offers.
            r = np.nonzero(rows_disk)[0]
            if len(r):
                reach = np.where(cols_disk[None, :], c.radius[needs[r]][:, None] + c.radius[offers][None, :], c.radius[needs[r]][:, None])
                same[r] |= self._distances(needs[r], offers) <= reach
            r, k = np.nonzero(~rows_disk)[0], np.nonzero(cols_disk)[0]
            if len(r) and len(k):
                same[np.ix_(r, k)] |= self._distances(needs[r], offers[k]) <= c.radius[offers[k]][None, :]
        valid = same & (c.actor[needs][:, None] != c.actor[offers][None, :]) & (c.demo[needs][:, None] == c.demo[offers][None, :])
        # Only the needs and offers that overlap something are compared by meaning (disks
        # across borders bring many candidates that overlap none of the group).
        keep_rows, keep_cols = valid.any(axis=1), valid.any(axis=0)
        if not keep_rows.any():
            return None
        if not keep_rows.all() or not keep_cols.all():
            needs, offers = needs[keep_rows], offers[keep_cols]
            valid = valid[keep_rows][:, keep_cols]
        return needs, offers, valid

    def _distances(self, needs: np.ndarray, offers: np.ndarray) -> np.ndarray:
        """Great-circle distances (km) between the anchors of needs (rows) and offers (columns)."""
        c = self.cols
        return _haversine(
            c.phi[needs][:, None],
            c.lon[needs][:, None],
            c.cos[needs][:, None],
            c.phi[offers][None, :],
            c.lon[offers][None, :],
            c.cos[offers][None, :],
        )

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
            found[rest] = [not words(i).isdisjoint(words(j)) for i, j in zip(needs[rest].tolist(), offers[rest].tolist(), strict=True)]
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
        matrix = self.vectors.listing_rows
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

        Kept as numpy columns until the need ↔ offer pass is over (see :meth:`_collect`).
        """
        picked = np.nonzero(allowed & self.receives[mine])[0]
        if not len(picked):
            return
        # Grouped by listing, best score first (ties: the order the block read them in).
        order = picked[np.lexsort((-score[picked], mine[picked]))]
        listing = mine[order]
        starts = np.flatnonzero(np.r_[True, listing[1:] != listing[:-1]])
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        order = order[rank < TOP_PER_LISTING]
        actor = self.cols.actor
        me, other = actor[mine[order]], actor[theirs[order]]
        allowed_pairs = ~_sorted_contains(self._excluded_keys, self._pair_keys(np.stack([me, other], axis=1)))
        if len(self._declined_keys):  # a declined need ↔ offer pair, not the whole other actor
            listing_keys = mine[order].astype(np.int64) * len(self.listings) + theirs[order]
            allowed_pairs &= ~_sorted_contains(self._declined_keys, listing_keys)
        if not allowed_pairs.all():
            order, me, other = order[allowed_pairs], me[allowed_pairs], other[allowed_pairs]
        if len(order):
            kind = np.full(len(order), KIND_NEED_OFFER if is_need else KIND_OFFER_NEED, dtype=np.int8)
            self._collect(me, np.rint(score[order] * 1e9).astype(np.int64), other, mine[order], theirs[order], kind)

    def _pair_keys(self, pairs: np.ndarray) -> np.ndarray:
        """One int64 per (actor, other) row of ``pairs`` (eligible actors' ids), from their ranks."""
        ids = self._actor_ids
        return np.searchsorted(ids, pairs[:, 0]) * len(ids) + np.searchsorted(ids, pairs[:, 1])

    def _collect(self, *columns: np.ndarray) -> None:
        """Note candidates (actor, score in 1e-9, other actor, my listing, their listing, kind), reduced
        to each actor's best ``candidates_per_actor`` once many are noted: 29 bytes a candidate, where a
        heap holds ~50 (the round's peak memory is in the need ↔ offer pass, beside every vector)."""
        self._pending.append(columns)
        self._pending_count += len(columns[0])
        if self._pending_count > max(PENDING_LIMIT, 2 * self._pending_kept):
            self._reduce_pending()
            self._pending_kept = self._pending_count  # what is kept waits for as many new ones (no sort per block)

    def _reduce_pending(self) -> None:
        """Each actor's best distinct candidates among those noted, in the order of the heaps' entries."""
        if not self._pending:
            return
        actor, score, other, mine, theirs, kind = (np.concatenate(c) for c in zip(*self._pending, strict=True))
        order = np.lexsort((-kind, theirs, mine, other, -score, actor))
        actor, score, other, mine, theirs, kind = actor[order], score[order], other[order], mine[order], theirs[order], kind[order]
        fresh = np.r_[True, (actor[1:] != actor[:-1]) | (score[1:] != score[:-1]) | (other[1:] != other[:-1])]
        fresh[1:] |= (mine[1:] != mine[:-1]) | (theirs[1:] != theirs[:-1]) | (kind[1:] != kind[:-1])
        actor, score, other, mine, theirs, kind = actor[fresh], score[fresh], other[fresh], mine[fresh], theirs[fresh], kind[fresh]
        starts = np.flatnonzero(np.r_[True, actor[1:] != actor[:-1]])
        rank = np.arange(len(actor)) - np.repeat(starts, np.diff(np.r_[starts, len(actor)]))
        top = rank < self.cfg.candidates_per_actor
        self._pending = [(actor[top], score[top], other[top], mine[top], theirs[top], kind[top])]
        self._pending_count = int(np.count_nonzero(top))

    def _heap_up(self) -> None:
        """Move the noted candidates into the actors' heaps (after the listings' vectors are let go)."""
        self._reduce_pending()
        if not self._pending:
            return
        (actor, score, other, mine, theirs, kind) = self._pending.pop()
        self._pending_count = 0
        s_score, s_other, s_mine, a_hi = self.s_score, self.s_other, self.s_mine, self.a_hi
        listing_top = 2 * len(self.listings)
        push = self._push
        for start in range(0, len(actor), MEANING_ROWS * 64):  # by chunks: a Python int per column and candidate
            part = slice(start, start + MEANING_ROWS * 64)
            columns = (actor[part], score[part], other[part], mine[part], theirs[part], kind[part])
            for me, value, o, i, j, k in zip(*(c.tolist() for c in columns), strict=True):
                push(me, value << s_score | (a_hi - o) << s_other | (listing_top - 2 * i) << s_mine | (listing_top - 2 * j) << 2 | k)

    # ------------------------------------------------------------------ theme pairs

    def theme_pairs(self) -> None:
        """Actors sharing a theme on the same commune (first) or EPCI: up to ``probe_per_tier`` each."""
        self._heap_up()
        actors = list(self.actors.values())
        bits = self.theme_bits
        cfg = self.cfg
        masks_of: dict[frozenset[str], int] = {}
        self.actor_masks: dict[int, int] = {}
        actor_masks = self.actor_masks
        for a in actors:
            actor_masks[a.id] = _cached_mask(a.themes, bits, masks_of)
        by_commune: dict[tuple[str, str], list[ActorRecord]] = {}
        by_epci: dict[tuple[str, str], list[ActorRecord]] = {}
        sorted_themes: dict[int, list[str]] = {}  # per actor id, shared between equal theme sets
        shared: dict[frozenset[str], list[str]] = {}
        for actor in actors:
            themes = shared.get(actor.themes) if type(actor.themes) is frozenset else None
            if themes is None:
                themes = sorted(actor.themes)
                if type(actor.themes) is frozenset:
                    shared[actor.themes] = themes
            sorted_themes[actor.id] = themes
            for theme in themes:
                by_commune.setdefault((theme, actor.commune_code), []).append(actor)
                if actor.epci_code:
                    by_epci.setdefault((theme, actor.epci_code), []).append(actor)
        # a local authority governing a département looks for theme partners across it (usually none: no index)
        wide = {a.territory[1] for a in actors if a.territory is not None and a.territory[0] == "departement"}
        by_departement: dict[tuple[str, str], list[ActorRecord]] = {}
        if wide:
            for actor in actors:
                if actor.departement_code in wide:
                    for theme in sorted_themes[actor.id]:
                        by_departement.setdefault((theme, actor.departement_code), []).append(actor)
        per_tier = cfg.probe_per_tier
        self._listing_kinds = listing_kinds(self.listings)
        seed = self.seed + 1
        excluded, a_lo, a_width = self.excluded, self.a_lo, self.a_width
        pairs: list[tuple[ActorRecord, ActorRecord]] = []
        for actor in actors:
            my_id = actor.id
            pair_base = (my_id - a_lo) * a_width - a_lo
            seen = {my_id}
            found: list[ActorRecord] = []
            themes = sorted_themes[my_id]
            tiers = [(by_commune, actor.commune_code), (by_epci, actor.epci_code)]
            if actor.territory is not None and actor.territory[0] == "departement":
                tiers.append((by_departement, actor.territory[1]))
            for index, code in tiers:
                if not code:
                    continue
                examined = 0
                for theme in themes:
                    lst = index.get((theme, code))
                    if not lst:
                        continue
                    n = len(lst)
                    start = ((my_id * _MIX + seed) & 0xFFFFFFFF) % n if n > per_tier else 0
                    for k in range(n):
                        other = lst[(start + k) % n]
                        if other.id in seen:
                            continue
                        seen.add(other.id)
                        examined += 1
                        if (
                            pair_base + other.id not in excluded
                            and other.is_demo == actor.is_demo
                            and theme_pair_allowed(actor, other, cfg)
                        ):
                            found.append(other)
                        if examined >= per_tier:
                            break
                    if examined >= per_tier:
                        break
            for other in found:
                pairs.append((actor, other) if my_id < other.id else (other, actor))
            if len(pairs) >= 8192:
                self._score_themes(pairs)
                pairs = []
        self._score_themes(pairs)

    def _score_themes(self, pairs: list[tuple[ActorRecord, ActorRecord]]) -> None:
        """Score theme pairs, their profiles' relevance computed for the whole batch at once."""
        if not pairs:
            return
        relevance = self._profile_relevances([a.id for a, _ in pairs], [b.id for _, b in pairs])
        for (a, b), text in zip(pairs, relevance.tolist()):
            self._score_theme(a, b, text)

    def _score_theme(self, a: ActorRecord, b: ActorRecord, text: float) -> None:
        """A theme pair's score, scaled into ``[0, weight_category)``: below every need ↔ offer pair."""
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
        scale = cfg.weight_category / (
            cfg.weight_category * cfg.theme_pair_fit
            + cfg.weight_theme
            + cfg.weight_geo
            + cfg.weight_freshness
            + cfg.cross_sector_bonus
            + cfg.weight_text
            + cfg.weight_listing_fit
            + 1e-6
        )
        # Each side's open listings (see matching.theme_pairs.theme_pair_fit): the pair scores per direction.
        kinds = self._listing_kinds
        fit_a = cfg.weight_listing_fit * theme_pair_fit(kinds.get(a.id), kinds.get(b.id))
        fit_b = cfg.weight_listing_fit * theme_pair_fit(kinds.get(b.id), kinds.get(a.id))
        best = (partial + cfg.weight_text + max(fit_a, fit_b)) * scale
        floors = self.floors
        floor_a, floor_b = floors.get(a.id), floors.get(b.id)
        if (floor_a is None or best < floor_a) and (floor_b is None or best < floor_b):
            return
        self.pairs_scored += 1
        base = partial + cfg.weight_text * text
        rest = self.no_listing << self.s_mine | self.no_listing << 2 | KIND_THEME
        for me, other, floor, fit in ((a, b, floor_a, fit_a), (b, a, floor_b, fit_b)):
            score = round(max(0.0, base + fit) * scale, 9)
            if floor is not None and score >= floor:
                self._push(me.id, round(score * 1e9) << self.s_score | (self.a_hi - other.id) << self.s_other | rest)

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

        The kept candidates are re-encoded as one int each whose natural order is that of the
        pass — (-score, actor, other, my listing, their listing) — and sorted in place.
        """
        self._heap_up()
        cfg = self.cfg
        s_score, s_other, s_mine, l_bits, a_bits = self.s_score, self.s_other, self.s_mine, self.l_bits, self.a_bits
        low_mask = (1 << s_score) - 1
        s_actor = s_score + a_bits
        a_lo, a_hi = self.a_lo, self.a_hi
        entries: list[int] = []
        heaps = self.heaps
        self.heaps = {}
        a_mask = (1 << a_bits) - 1
        while heaps:
            actor, heap = heaps.popitem()
            rank = (actor - a_lo) << s_score
            for entry in heap:
                entries.append(-(entry >> s_score) << s_actor | rank | (low_mask - (entry & low_mask)))
        del heaps
        entries.sort()
        taken: dict[int, list[int]] = {}
        given: dict[int, int] = {}
        chosen: set[int] = set()
        cap, per_digest = cfg.fairness_cap, cfg.max_per_digest
        window = self.proposed_in_window
        a_width = self.a_width
        for g in entries:
            actor = ((g >> s_score) & a_mask) + a_lo
            kept = taken.get(actor)
            if kept is not None and len(kept) >= per_digest:
                continue
            other = a_hi - (((low_mask - (g & low_mask)) >> s_other) & a_mask)
            pair = (actor - a_lo) * a_width + (other - a_lo)
            if pair in chosen:
                continue
            if window.get(other, 0) + given.get(other, 0) >= cap:
                continue
            chosen.add(pair)
            given[other] = given.get(other, 0) + 1
            if kept is None:
                taken[actor] = [g]
            else:
                kept.append(g)
        del chosen
        listed = self._listed_for_themes(entries, taken)
        del entries
        self._release_scratch()
        self._cuts: dict[int, tuple[tuple[str, str], tuple[str, str]]] = {}
        self._profiles: dict[int, Reason] = {}
        self._theme_reason_cache: dict[int, list[Reason]] = {}
        self._theme_values = list(self.theme_bits)
        l_mask = (1 << l_bits) - 1
        top = 2 * len(self.listings)
        themed = [
            (actor, a_hi - (((low_mask - (g & low_mask)) >> s_other) & a_mask))
            for actor, kept in taken.items()
            for g in kept
            if (low_mask - (g & low_mask)) & 3 == KIND_THEME
        ]
        similar = self._profile_relevances([a for a, _ in themed], [b for _, b in themed]) >= cfg.text_reason_threshold
        self._similar_profiles = {pair for pair, yes in zip(themed, similar.tolist()) if yes}
        del themed, similar
        result: dict[int, list[Suggestion]] = {}
        for actor in sorted(taken):
            out = []
            for g in taken.pop(actor):
                low = low_mask - (g & low_mask)
                other = a_hi - ((low >> s_other) & a_mask)
                mine, theirs = (low >> s_mine) & l_mask, (low >> 2) & l_mask
                kind = low & 3
                score = (-(g >> s_actor)) / 1e9
                theirs_entry = listed.get((other, actor)) if kind == KIND_THEME else None
                if theirs_entry is not None:  # the other side's need ↔ offer pair, seen from here
                    their_i, their_j = (top - ((theirs_entry >> s_mine) & l_mask)) // 2, (top - ((theirs_entry >> 2) & l_mask)) // 2
                    mirrored = KIND_OFFER_NEED if theirs_entry & 3 == KIND_NEED_OFFER else KIND_NEED_OFFER
                    out.append(self._suggestion(actor, other, score, mirrored, their_j, their_i))
                elif kind == KIND_THEME:
                    out.append(self._suggestion(actor, other, score, kind, -1, -1))
                else:
                    out.append(self._suggestion(actor, other, score, kind, (top - mine) // 2, (top - theirs) // 2))
            result[actor] = out
        return result

    def _listed_for_themes(self, entries: list[int], taken: dict[int, list[int]]) -> dict[tuple[int, int], int]:
        """The need ↔ offer pairs behind the chosen theme pairs: ``(owner, other)`` → the owner's best entry.

        The relevance rule may keep a pair for the offer's owner and not for the need's (not
        mutual), who may then meet the same actor as a theme pair — which must still read as the
        need ↔ offer pair. Only the pairs of actors of a chosen theme pair are kept (not every
        kept candidate's: at 300k listings that was a quarter of a million tuples while the
        suggestions are built). ``entries`` are the re-encoded candidates of :meth:`select`.
        """
        if not self.cfg.theme_pairs:
            return {}
        s_score, s_other, a_lo, a_hi = self.s_score, self.s_other, self.a_lo, self.a_hi
        s_actor = s_score + self.a_bits
        low_mask, a_mask = (1 << s_score) - 1, (1 << self.a_bits) - 1
        wanted = {
            (a_hi - (((low_mask - (g & low_mask)) >> s_other) & a_mask), actor)
            for actor, kept in taken.items()
            for g in kept
            if (low_mask - (g & low_mask)) & 3 == KIND_THEME
        }
        listed: dict[tuple[int, int], int] = {}
        if not wanted:
            return listed
        for g in entries:
            low = low_mask - (g & low_mask)
            if low & 3 == KIND_THEME:
                continue
            key = (((g >> s_score) & a_mask) + a_lo, a_hi - ((low >> s_other) & a_mask))
            if key in wanted:
                entry = -(g >> s_actor) << s_score | low
                if listed.get(key, -1) < entry:
                    listed[key] = entry
        return listed

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
        self.floors = {}
        self.cols = None  # type: ignore[assignment]  # freed: not read after candidate generation
        self.receives = None  # type: ignore[assignment]

    def _quoted(self, i: int) -> tuple[tuple[str, str], tuple[str, str]]:
        """``(("mine", cut), ("theirs", cut))`` of listing ``i``'s description, shared by its suggestions."""
        quoted = self._cuts.get(i)
        if quoted is None:
            cut = _cut(self.listings[i].description, self.cfg.description_chars)
            quoted = self._cuts[i] = (("mine", cut), ("theirs", cut))
        return quoted

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

        In plain words: the place ("à Villeurbanne comme vous"), what each side looks for or
        offers, quoted, the shared themes; a theme pair says that it is one. The other's
        presentation is not repeated here (the suggestion's message shows it).
        """
        me, them = self.actors[actor], self.actors[other]
        reasons: list[Reason] = []
        if kind == KIND_THEME:
            level, _ = closeness(me.place, them.place)
            reasons.extend(theme_pair_reasons(level, me, _themes_of(self.actor_masks[actor] & self.actor_masks[other], self._theme_values)))
            if (actor, other) in self._similar_profiles:
                reasons.append(_SIMILAR_PROFILES)
            my_listing = their_listing = None
        else:
            level, d = self._closeness(i, j)
            anchor = self.listings[i].anchor
            reasons.extend(_place_reasons(level, d, me if anchor is None else None))
            key = "match.you_seek" if kind == KIND_NEED_OFFER else "match.you_offer"
            reasons.append(Reason(key, (self._quoted(i)[0], self._quoted(j)[1])))
            reasons.extend(self._theme_reasons(self.masks[i] & self.masks[j]))
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
        """``closeness`` of the anchors of listings ``i`` and ``j`` (from the columns)."""
        lats, lons = self.lat, self.lon
        d = (
            None
            if math.isnan(lats[i]) or math.isnan(lats[j])
            else haversine_km(float(lats[i]), float(lons[i]), float(lats[j]), float(lons[j]))
        )
        for codes, level in ((self.pc, SAME_COMMUNE), (self.pe, SAME_EPCI), (self.pd, SAME_DEPARTEMENT)):
            if codes[i] and codes[i] == codes[j]:  # 0: none
                return level, d
        return FARTHER, d


def _geo_reasons(level: int, d: float | None) -> list[Reason]:
    if level in _GEO_REASON_OBJECTS:
        return [_GEO_REASON_OBJECTS[level]]
    if d is None:
        return []
    return [_distance_reason(max(1, round(d)))]


def _place_reasons(level: int, d: float | None, me: ActorRecord | None) -> list[Reason]:
    """The place named in words: "à Villeurbanne comme vous", "dans la Métropole de Lyon", "à 12 km".

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


_VOCABULARY_PARAMS = {"theme": "theme", "themes": "theme", "themes_the": "theme.the", "mine_kind": "actor_type", "their_kind": "actor_type"}


def explain(suggestion: Suggestion, translate: Callable[..., str], language: str) -> str:
    """The suggestion's reasons as one sentence: ``translate(language, key, **params)`` for each, joined by ", ".

    Works with ``conversations.i18n.translate``. Vocabulary values in the parameters
    (themes, actor types) are translated first through their ``theme.<value>`` /
    ``actor_type.<value>`` keys; several themes are joined by ", ".
    """
    parts = []
    for reason in suggestion.reasons:
        params: dict[str, object] = {}
        for name, value in reason.params:
            prefix = _VOCABULARY_PARAMS.get(name)
            if prefix is None:
                params[name] = value
            elif isinstance(value, tuple):
                params[name] = ", ".join(translate(language, f"{prefix}.{v}").lower() for v in value)
            else:
                params[name] = translate(language, f"{prefix}.{value}").lower()
        parts.append(translate(language, reason.key, **params))
    return ", ".join(part for part in parts if part)
