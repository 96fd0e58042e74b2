"""The matching engine as it was before meaning-aware matching (issue 11), kept for the benchmarks.

A verbatim copy of ``matching/engine.py`` at commit d014df5 (imports made absolute): the
"previous engine" baseline of ``bench/matching_quality.py``. Not used by the bot.
"""

from __future__ import annotations

import functools
import gc
import heapq
import math
from collections.abc import Callable, Collection, Iterable
from datetime import date, timedelta

from matching.geo import (
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
from matching.model import ActorRecord, History, ListingRecord, MatchingConfig, Place, Reason, Suggestion
from matching.text import TextIndex

__all__ = ["CROSS_SECTOR_KINDS", "eligible_actor", "explain", "open_listing", "place_from_resolver", "suggest_round"]

CROSS_SECTOR_KINDS = frozenset({"association", "entreprise", "collectivite"})
SKILLS_CATEGORY = "competences"
KIND_NEED_OFFER, KIND_OFFER_NEED, KIND_THEME = 0, 1, 2
_KIND_NAMES = ("need_offer", "offer_need", "theme")
_GEO_SCORES = {SAME_COMMUNE: 1.0, SAME_EPCI: 0.8, SAME_DEPARTEMENT: 0.6}
_GEO_REASONS = {SAME_COMMUNE: "match.same_commune", SAME_EPCI: "match.same_epci", SAME_DEPARTEMENT: "match.same_departement"}
_MIX = 0x9E3779B1
_SECTORS = {kind: i for i, kind in enumerate(sorted(CROSS_SECTOR_KINDS))}


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
) -> dict[int, list[Suggestion]]:
    """Suggestions of this round, per receiving actor (at most ``max_per_digest`` each, best first).

    ``recipients`` restricts who receives suggestions (e.g. the actors whose digest is due);
    every eligible actor can still be proposed. Same input → same output.
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
    try:
        round_ = _Round(actors, listings, history, cfg, today, recipients)
        round_.need_offer_pairs()
        if cfg.theme_pairs:
            round_.theme_pairs()
        return round_.select()
    finally:
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
    ) -> None:
        self.cfg = cfg
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
        self.pairs_scored = 0
        self._fresh_of: dict[date | None, float] = {}

    def _exclude(self, a: int, b: int) -> None:
        if a in self.actors and b in self.actors:
            lo, width = self.a_lo, self.a_width
            self.excluded.add((a - lo) * width + (b - lo))
            self.excluded.add((b - lo) * width + (a - lo))

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
        cfg, today = self.cfg, self.today
        listings = self.listings
        actors = self.actors
        n = len(listings)
        bits = self.theme_bits
        masks_of: dict[frozenset[str], int] = {}
        fresh_of: dict[date | None, float] = {}
        trig: dict[float, tuple[float, float]] = {}
        # Columns, one entry per listing: the anchor (place) and the zone built around it.
        self.l_actor = l_actor = [0] * n
        self.l_demo = l_demo = [False] * n
        self.p_commune = p_commune = [""] * n
        self.p_epci: list[str | None] = [None] * n
        self.p_dep: list[str | None] = [None] * n
        self.l_lat: list[float | None] = [None] * n
        self.l_lon: list[float | None] = [None] * n
        self.l_phi: list[float] = [0.0] * n
        self.l_cos: list[float] = [0.0] * n
        self.z_level = z_level = [COMMUNE] * n
        self.z_commune = z_commune = [""] * n
        self.z_epci = z_epci = [""] * n
        self.z_dep = z_dep = [""] * n
        self.z_radius = z_radius = [0.0] * n
        self.masks = masks = [0] * n
        self.fresh = fresh = [0.0] * n
        self.l_sector = l_sector = [-1] * n
        p_epci, p_dep, l_lat, l_lon, l_phi, l_cos = self.p_epci, self.p_dep, self.l_lat, self.l_lon, self.l_phi, self.l_cos
        freshness_days = cfg.freshness_days
        for i, listing in enumerate(listings):
            actor = actors[listing.actor_id]
            l_actor[i] = actor.id
            l_demo[i] = actor.is_demo
            l_sector[i] = _SECTORS.get(actor.kind, -1)
            anchor = listing.anchor
            if anchor is None:
                commune, epci, dep, lat, lon = actor.commune_code, actor.epci_code, actor.departement_code, actor.lat, actor.lon
            else:
                commune, epci, dep, lat, lon = anchor.commune_code, anchor.epci_code, anchor.departement_code, anchor.lat, anchor.lon
            p_commune[i], p_epci[i], p_dep[i] = commune, epci, dep
            if lat is not None and lon is not None:
                l_lat[i], l_lon[i] = lat, lon
                t = trig.get(lat)
                if t is None:
                    phi = math.radians(lat)
                    t = trig[lat] = (phi, math.cos(phi))
                l_phi[i], l_cos[i] = t
            # Zone.build, column-wise.
            level = LEVELS.get(listing.zone_kind, COMMUNE)
            zc, ze, zd = commune or "", epci or "", dep or ""
            code = listing.zone_code
            if code:
                if level in (COMMUNE, RADIUS):
                    zc = zc or code
                elif level == EPCI:
                    ze = code
                elif level == DEPARTEMENT:
                    zd = code
            z_level[i], z_commune[i], z_epci[i], z_dep[i] = level, zc, ze, zd
            if level == RADIUS:
                z_radius[i] = float(listing.radius_km or 0.0)
            masks[i] = _cached_mask(listing.themes or actor.themes, bits, masks_of)
            created = listing.created_at
            f = fresh_of.get(created)
            if f is None:
                f = fresh_of[created] = _freshness(created, today, freshness_days)
            fresh[i] = f
        texts: list[str] = [l.description for l in listings]
        actor_list = list(actors.values())
        if cfg.theme_pairs:
            texts.extend(a.description for a in actor_list)
        self.text = TextIndex(texts)
        self.actor_text = {a.id: n + i for i, a in enumerate(actor_list)} if cfg.theme_pairs else {}

        buckets: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
        for i, listing in enumerate(listings):
            sub = (listing.subcategory or "") if listing.category == SKILLS_CATEGORY else ""
            sides = buckets.get((listing.category, sub))
            if sides is None:
                sides = buckets[(listing.category, sub)] = ([], [])
            sides[0 if listing.kind == "need" else 1].append(i)
        for key in sorted(buckets):
            needs, offers = buckets.pop(key)
            if not needs or not offers:
                continue
            need_index, offer_index = self._index(needs), self._index(offers)
            probe = self._probe
            self._found_pairs: set[int] = set()
            for i in needs:
                probe(i, offer_index, True)
            for j in offers:
                probe(j, need_index, False)
            self._found_pairs = set()

    def _index(self, items: list[int]) -> tuple:
        by_commune: dict[str, list[int]] = {}
        by_epci: dict[str, list[int]] = {}
        by_dep: dict[str, list[int]] = {}
        grid = Grid()
        max_radius = 0.0
        z_commune, z_epci, z_dep, z_level, z_radius = self.z_commune, self.z_epci, self.z_dep, self.z_level, self.z_radius
        lats, lons = self.l_lat, self.l_lon
        for i in items:
            by_commune.setdefault(z_commune[i], []).append(i)
            if z_epci[i]:
                by_epci.setdefault(z_epci[i], []).append(i)
            if z_dep[i]:
                by_dep.setdefault(z_dep[i], []).append(i)
            if lats[i] is not None:
                grid.add(i, lats[i], lons[i])
            if z_level[i] == RADIUS and z_radius[i] > max_radius:
                max_radius = z_radius[i]
        return by_commune, by_epci, by_dep, grid, max_radius

    def _probe(self, i: int, index: tuple, is_need: bool) -> None:
        """Examine up to ``probe_per_tier`` listings of the other side per tier; score the overlapping ones.

        (Hot loop: ``zones_overlap`` and ``haversine_km`` are inlined on the columns.)
        """
        by_commune, by_epci, by_dep, grid, max_radius = index
        z_level, z_commune, z_epci, z_dep, z_radius = self.z_level, self.z_commune, self.z_epci, self.z_dep, self.z_radius
        lats, lons, phis, coss = self.l_lat, self.l_lon, self.l_phi, self.l_cos
        my_level = z_level[i]
        tiers: list[list[list[int]]] = []
        code = z_commune[i]
        if code:
            found = by_commune.get(code)
            if found:
                tiers.append([found])
        my_epci = z_epci[i]
        if my_epci:
            found = by_epci.get(my_epci)
            if found:
                tiers.append([found])
        my_dep = z_dep[i]
        if my_dep:
            found = by_dep.get(my_dep)
            if found:
                tiers.append([found])
        my_lat = lats[i]
        # Disks look around them in the grid (other disks and the areas they cover); an
        # administrative zone does not: the disks that reach it find it from their side.
        if my_level == RADIUS and my_lat is not None:
            tiers.append(grid.near(my_lat, lons[i], z_radius[i] + max_radius))
        if not tiers:
            return
        l_actor, l_demo = self.l_actor, self.l_demo
        my_actor = l_actor[i]
        my_demo = l_demo[i]
        excluded = self.excluded
        pair_base = (my_actor - self.a_lo) * self.a_width - self.a_lo
        per_tier = self.cfg.probe_per_tier
        prober = self.listings[i].id
        seed = self.seed
        my_commune, my_radius = z_commune[i], z_radius[i]
        my_lon, my_phi, my_cos = lons[i], phis[i], coss[i]
        radians, sin, asin, sqrt = math.radians, math.sin, math.asin, math.sqrt
        seen: set[int] = set()
        found: list[int] = []
        for tier in tiers:
            examined = 0
            for lst in tier:
                n = len(lst)
                start = ((prober * _MIX + seed) & 0xFFFFFFFF) % n if n > per_tier else 0
                for k in range(n):
                    j = lst[(start + k) % n] if start else lst[k]
                    if j in seen:
                        continue
                    seen.add(j)
                    examined += 1
                    other = l_actor[j]
                    if other != my_actor and pair_base + other not in excluded and l_demo[j] == my_demo:
                        # zones_overlap(zone i, zone j)
                        level = z_level[j]
                        if my_level == RADIUS or level == RADIUS:
                            lat = lats[j]
                            if my_level == RADIUS and level == RADIUS:
                                reach = my_radius + z_radius[j]
                                overlap = False
                            else:
                                if my_level == RADIUS:  # my disk vs its area
                                    reach = my_radius
                                    if level == COMMUNE:
                                        overlap = bool(my_commune) and z_commune[j] == my_commune
                                    elif level == EPCI:
                                        overlap = bool(my_epci) and z_epci[j] == my_epci
                                    else:
                                        overlap = bool(my_dep) and z_dep[j] == my_dep
                                else:  # its disk vs my area
                                    reach = z_radius[j]
                                    if my_level == COMMUNE:
                                        c = z_commune[j]
                                        overlap = bool(c) and my_commune == c
                                    elif my_level == EPCI:
                                        c = z_epci[j]
                                        overlap = bool(c) and my_epci == c
                                    else:
                                        c = z_dep[j]
                                        overlap = bool(c) and my_dep == c
                            if not overlap and my_lat is not None and lat is not None:
                                # haversine_km(disk, other), in that order (bit-identical)
                                if my_level == RADIUS:
                                    h = sin((phis[j] - my_phi) / 2) ** 2 + my_cos * coss[j] * sin(radians(lons[j] - my_lon) / 2) ** 2
                                else:
                                    h = sin((my_phi - phis[j]) / 2) ** 2 + coss[j] * my_cos * sin(radians(my_lon - lons[j]) / 2) ** 2
                                overlap = 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h))) <= reach
                        elif my_level >= level:
                            if my_level == COMMUNE:
                                overlap = bool(my_commune) and my_commune == z_commune[j]
                            elif my_level == EPCI:
                                overlap = bool(my_epci) and my_epci == z_epci[j]
                            else:
                                overlap = bool(my_dep) and my_dep == z_dep[j]
                        elif level == EPCI:
                            overlap = bool(my_epci) and my_epci == z_epci[j]
                        else:
                            overlap = bool(my_dep) and my_dep == z_dep[j]
                        if overlap:
                            found.append(j)
                    if examined >= per_tier:
                        break
                if examined >= per_tier:
                    break
        if found:
            # Both sides probe, so a pair is often found twice; scoring it again could change
            # nothing (same score, same entries; floors only rise): the needs' finds are kept
            # for the bucket and the offers skip them.
            pairs, width = self._found_pairs, len(l_actor)
            if is_need:
                base = i * width
                for j in found:
                    pairs.add(base + j)
            else:
                found = [j for j in found if j * width + i not in pairs]
                if not found:
                    return
            self._score_need_offers(i, found, is_need)

    def _score_need_offers(self, i: int, found: list[int], is_need: bool) -> None:
        """Score listing ``i`` against the overlapping listings ``found`` of the other side.

        The arithmetic is always done need-first, so a pair scores the same (bit for bit)
        whichever side found it. A pair that cannot enter either actor's best candidates,
        even with identical descriptions, is not compared textually. (Hot loop: inlined.)
        """
        cfg = self.cfg
        masks, fresh, l_actor = self.masks, self.fresh, self.l_actor
        communes, epcis, deps, lats, lons, sectors = self.p_commune, self.p_epci, self.p_dep, self.l_lat, self.l_lon, self.l_sector
        phis, coss = self.l_phi, self.l_cos
        docs, w2, norms = self.text.docs, self.text.weight2, self.text.norms
        floors = self.floors
        push = self._push
        my_doc = set(docs[i])
        w_cat, w_theme, w_geo, w_text, w_fresh = (
            cfg.weight_category,
            cfg.weight_theme,
            cfg.weight_geo,
            cfg.weight_text,
            cfg.weight_freshness,
        )
        bonus, scale = cfg.cross_sector_bonus, cfg.distance_scale_km
        my_actor = l_actor[i]
        sqrt, sin, asin, radians = math.sqrt, math.sin, math.asin, math.radians
        s_score, s_other, s_mine = self.s_score, self.s_other, self.s_mine
        a_hi, listing_top = self.a_hi, 2 * len(l_actor)
        my_floor = floors.get(my_actor)  # None: not a recipient
        for j in found:
            b = l_actor[j]
            n, o = (i, j) if is_need else (j, i)
            mn, mo = masks[n], masks[o]
            common = (mn & mo).bit_count()
            theme = common / sqrt(mn.bit_count() * mo.bit_count()) if common else 0.0
            if communes[n] == communes[o]:
                geo = 1.0
            elif epcis[n] and epcis[n] == epcis[o]:
                geo = 0.8
            elif deps[n] and deps[n] == deps[o]:
                geo = 0.6
            elif lats[n] is None or lats[o] is None:
                geo = 0.0
            else:
                # haversine_km(need, offer), inlined
                h = sin((phis[o] - phis[n]) / 2) ** 2 + coss[n] * coss[o] * sin(radians(lons[o] - lons[n]) / 2) ** 2
                d = 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))
                geo = max(0.0, 0.5 * (1.0 - d / scale))
            sn, so = sectors[n], sectors[o]
            partial = (
                w_cat
                + w_theme * theme
                + w_geo * geo
                + w_fresh * ((fresh[n] + fresh[o]) / 2)
                + (bonus if sn != so and sn >= 0 and so >= 0 else 0.0)
            )
            best = partial + w_text
            their_floor = floors.get(b)
            if (my_floor is None or best < my_floor) and (their_floor is None or best < their_floor):
                continue
            self.pairs_scored += 1
            shared = my_doc.intersection(docs[j])
            similarity = sum([w2[t] for t in shared]) / (norms[n] * norms[o]) if shared else 0.0
            score = round(partial + w_text * similarity, 9)
            top = round(score * 1e9) << s_score
            # (score, -other actor, -my listing, -their listing, kind), listings by position:
            # the need's owner gets KIND_NEED_OFFER, the offer's owner KIND_OFFER_NEED.
            if my_floor is not None and score >= my_floor:
                push(
                    my_actor,
                    top
                    | (a_hi - b) << s_other
                    | (listing_top - 2 * i) << s_mine
                    | (listing_top - 2 * j) << 2
                    | (KIND_NEED_OFFER if is_need else KIND_OFFER_NEED),
                )
                my_floor = floors[my_actor]
            if their_floor is not None and score >= their_floor:
                push(
                    b,
                    top
                    | (a_hi - my_actor) << s_other
                    | (listing_top - 2 * j) << s_mine
                    | (listing_top - 2 * i) << 2
                    | (KIND_OFFER_NEED if is_need else KIND_NEED_OFFER),
                )

    # ------------------------------------------------------------------ theme pairs

    def theme_pairs(self) -> None:
        """Actors sharing a theme on the same commune (first) or EPCI: up to ``probe_per_tier`` each."""
        actors = list(self.actors.values())
        bits = self.theme_bits
        cfg = self.cfg
        masks_of: dict[frozenset[str], int] = {}
        self.actor_masks = actor_masks = {}
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
        per_tier = cfg.probe_per_tier
        seed = self.seed + 1
        excluded, a_lo, a_width = self.excluded, self.a_lo, self.a_width
        score_theme = self._score_theme
        for actor in actors:
            my_id = actor.id
            pair_base = (my_id - a_lo) * a_width - a_lo
            seen = {my_id}
            found: list[ActorRecord] = []
            themes = sorted_themes[my_id]
            for index, code in ((by_commune, actor.commune_code), (by_epci, actor.epci_code)):
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
                        if pair_base + other.id not in excluded and other.is_demo == actor.is_demo:
                            found.append(other)
                        if examined >= per_tier:
                            break
                    if examined >= per_tier:
                        break
            for other in found:
                if my_id < other.id:
                    score_theme(actor, other)
                else:
                    score_theme(other, actor)

    def _score_theme(self, a: ActorRecord, b: ActorRecord) -> None:
        cfg = self.cfg
        ma, mb = self.actor_masks[a.id], self.actor_masks[b.id]
        common = (ma & mb).bit_count()
        theme = common / math.sqrt(ma.bit_count() * mb.bit_count())
        geo = 1.0 if a.commune_code == b.commune_code else 0.8  # same EPCI otherwise
        fresh = (self._actor_fresh(a.updated_at) + self._actor_fresh(b.updated_at)) / 2
        partial = (
            cfg.weight_category * cfg.theme_pair_fit
            + cfg.weight_theme * theme
            + cfg.weight_geo * geo
            + cfg.weight_freshness * fresh
            + self._bonus(a, b)
        )
        best = partial + cfg.weight_text
        floors = self.floors
        floor_a, floor_b = floors.get(a.id), floors.get(b.id)
        if (floor_a is None or best < floor_a) and (floor_b is None or best < floor_b):
            return
        self.pairs_scored += 1
        text = self.text.similarity(self.actor_text[a.id], self.actor_text[b.id])
        score = round(partial + cfg.weight_text * text, 9)
        top = round(score * 1e9) << self.s_score | self.no_listing << self.s_mine | self.no_listing << 2 | KIND_THEME
        if floor_a is not None and score >= floor_a:
            self._push(a.id, top | (self.a_hi - b.id) << self.s_other)
        if floor_b is not None and score >= floor_b:
            self._push(b.id, top | (self.a_hi - a.id) << self.s_other)

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
        cfg = self.cfg
        s_score, s_other, s_mine, l_bits, a_bits = self.s_score, self.s_other, self.s_mine, self.l_bits, self.a_bits
        low_mask = (1 << s_score) - 1
        s_actor = s_score + a_bits
        a_lo, a_hi = self.a_lo, self.a_hi
        entries: list[int] = []
        heaps = self.heaps
        self.heaps = {}
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
        a_mask = (1 << a_bits) - 1
        a_width = self.a_width
        for g in entries:
            actor = ((g >> s_score) & a_mask) + a_lo
            mine = taken.get(actor)
            if mine is not None and len(mine) >= per_digest:
                continue
            other = a_hi - (((low_mask - (g & low_mask)) >> s_other) & a_mask)
            pair = (actor - a_lo) * a_width + (other - a_lo)
            if pair in chosen:
                continue
            if window.get(other, 0) + given.get(other, 0) >= cap:
                continue
            chosen.add(pair)
            given[other] = given.get(other, 0) + 1
            if mine is None:
                taken[actor] = [g]
            else:
                mine.append(g)
        del entries, chosen
        self._release_scratch()
        self._cuts: dict[int, tuple[tuple[str, str], tuple[str, str]]] = {}
        self._profiles: dict[int, Reason] = {}
        self._theme_reason_cache: dict[int, list[Reason]] = {}
        self._theme_values = list(self.theme_bits)
        l_mask = (1 << l_bits) - 1
        top = 2 * len(self.listings)
        result: dict[int, list[Suggestion]] = {}
        for actor in sorted(taken):
            out = []
            for g in taken.pop(actor):
                low = low_mask - (g & low_mask)
                other = a_hi - ((low >> s_other) & a_mask)
                mine, theirs = (low >> s_mine) & l_mask, (low >> 2) & l_mask
                kind = low & 3
                score = (-(g >> s_actor)) / 1e9
                if kind == KIND_THEME:
                    out.append(self._suggestion(actor, other, score, kind, -1, -1))
                else:
                    out.append(self._suggestion(actor, other, score, kind, (top - mine) // 2, (top - theirs) // 2))
            result[actor] = out
        return result

    def _release_scratch(self) -> None:
        """Drop what only candidate generation needed, so that the output reuses its memory.

        Kept: the anchors' places, theme masks and listing records (for the reasons) and the
        actors' texts (for "similar descriptions" on theme pairs).
        """
        self.excluded = set()
        self.floors = {}
        for name in ("l_demo", "l_phi", "l_cos", "z_level", "z_commune", "z_epci", "z_dep", "z_radius", "fresh", "l_sector"):
            setattr(self, name, None)
        self.l_actor = None
        if hasattr(self, "text"):
            docs = self.text.docs
            docs[: len(self.listings)] = [()] * len(self.listings)

    def _quoted(self, i: int) -> tuple[tuple[str, str], tuple[str, str]]:
        """``(("mine", cut), ("theirs", cut))`` of listing ``i``'s description, shared by its suggestions."""
        quoted = self._cuts.get(i)
        if quoted is None:
            cut = _cut(self.listings[i].description, self.cfg.description_chars)
            quoted = self._cuts[i] = (("mine", cut), ("theirs", cut))
        return quoted

    def _theme_reasons(self, mask: int) -> list[Reason]:
        """``match.theme`` (one shared theme) or ``match.themes`` (up to 3), shared by all suggestions."""
        found = self._theme_reason_cache.get(mask)
        if found is None:
            shared = _themes_of(mask, self._theme_values)
            if not shared:
                found = []
            elif len(shared) == 1:
                found = [Reason("match.theme", (("theme", shared[0]),))]
            else:
                found = [Reason("match.themes", (("themes", tuple(shared[:3])),))]
            self._theme_reason_cache[mask] = found
        return found

    def _suggestion(self, actor: int, other: int, score: float, kind: int, i: int, j: int) -> Suggestion:
        """The returned suggestion and its reasons (built only for what is returned)."""
        me, them = self.actors[actor], self.actors[other]
        cfg = self.cfg
        reasons: list[Reason] = []
        if kind == KIND_THEME:
            level, d = closeness(me.place, them.place)
            reasons.extend(_geo_reasons(level, d))
            reasons.extend(self._theme_reasons(self.actor_masks[actor] & self.actor_masks[other]))
            reasons.append(_CO_CONSTRUCTION)
            if them.description:
                profile = self._profiles.get(other)
                if profile is None:
                    profile = self._profiles[other] = Reason(
                        "match.their_profile", (("theirs", _cut(them.description, cfg.description_chars)),)
                    )
                reasons.append(profile)
            if self.text.similarity(self.actor_text[actor], self.actor_text[other]) >= cfg.text_reason_threshold:
                reasons.append(Reason("match.similar_text"))
            my_listing = their_listing = None
        else:
            level, d = self._closeness(i, j)
            reasons.extend(_geo_reasons(level, d))
            reasons.extend(self._theme_reasons(self.masks[i] & self.masks[j]))
            key = "match.need_offer" if kind == KIND_NEED_OFFER else "match.offer_need"
            reasons.append(Reason(key, (self._quoted(i)[0], self._quoted(j)[1])))
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
        lats, lons = self.l_lat, self.l_lon
        d = None if lats[i] is None or lats[j] is None else haversine_km(lats[i], lons[i], lats[j], lons[j])
        a, b = self.p_commune[i], self.p_commune[j]
        if a and a == b:
            return SAME_COMMUNE, d
        a, b = self.p_epci[i], self.p_epci[j]
        if a and a == b:
            return SAME_EPCI, d
        a, b = self.p_dep[i], self.p_dep[j]
        if a and a == b:
            return SAME_DEPARTEMENT, d
        return FARTHER, d


def _geo_reasons(level: int, d: float | None) -> list[Reason]:
    if level in _GEO_REASON_OBJECTS:
        return [_GEO_REASON_OBJECTS[level]]
    if d is None:
        return []
    return [_distance_reason(max(1, round(d)))]


@functools.lru_cache(maxsize=1024)
def _distance_reason(km: int) -> Reason:
    return Reason("match.distance", (("km", km),))


_CO_CONSTRUCTION = Reason("match.co_construction")
_GEO_REASON_OBJECTS = {level: Reason(key) for level, key in _GEO_REASONS.items()}


@functools.lru_cache(maxsize=64)
def _cross_sector(mine: str, theirs: str) -> Reason:
    return Reason("match.cross_sector", (("mine_kind", mine), ("their_kind", theirs)))


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


_VOCABULARY_PARAMS = {"theme": "theme", "themes": "theme", "mine_kind": "actor_type", "their_kind": "actor_type"}


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
