"""The suggestion round: candidate pairs, scores, exclusions, fairness cap (pure, deterministic).

Work is bounded per listing: candidates are looked up in indexes by geographic tier (same
commune, same EPCI, same département, then grid cells within reach of a disk), and at most
``probe_per_tier`` candidates are examined per tier, starting at a position that depends on
the prober's id and the day (so that, in a dense place, different listings look at different
candidates and every listing gets looked at). The best ``candidates_per_actor`` pairs of each
actor are kept in a small heap; a final greedy pass, best score first, gives each actor at
most ``max_per_digest`` suggestions while proposing no actor more than ``fairness_cap`` times
in the fairness window. Total work is O(n log n) in the number of listings.
"""

from __future__ import annotations

import functools
import heapq
import math
from collections.abc import Callable, Collection, Iterable
from datetime import date, timedelta

from .geo import (
    COMMUNE,
    FARTHER,
    RADIUS,
    SAME_COMMUNE,
    SAME_DEPARTEMENT,
    SAME_EPCI,
    Grid,
    Zone,
    closeness,
    haversine_km,
    zones_overlap,
)
from .model import ActorRecord, History, ListingRecord, MatchingConfig, Place, Reason, Suggestion
from .text import TextIndex

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


def _themes_of(mask: int, values: list[str]) -> list[str]:
    return [values[i] for i in range(mask.bit_length()) if mask >> i & 1]


def _rotation(prober: int, seed: int, n: int) -> int:
    return ((prober * _MIX + seed) & 0xFFFFFFFF) % n


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
    round_ = _Round(actors, listings, history, cfg, today, recipients)
    round_.need_offer_pairs()
    if cfg.theme_pairs:
        round_.theme_pairs()
    return round_.select()


class _Round:
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
        # Exclusions: declined pairs, and pairs suggested (either way) in the last recent_weeks.
        self.excluded: dict[int, set[int]] = {}
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
        self.heaps: dict[int, list[tuple]] = {}
        self.floors: dict[int, float] = {actor: -1.0 for actor in self.recipients}
        self.pairs_scored = 0

    def _exclude(self, a: int, b: int) -> None:
        self.excluded.setdefault(a, set()).add(b)
        self.excluded.setdefault(b, set()).add(a)

    # ------------------------------------------------------------------ keeping the best

    def _push(self, actor: int, entry: tuple) -> None:
        """Offer ``entry`` to ``actor``'s best candidates (a min-heap; ``floors`` = its worst score when full)."""
        floor = self.floors.get(actor)
        if floor is None or entry[0] < floor:  # not a recipient, or cannot enter
            return
        heap = self.heaps.get(actor)
        if heap is None:
            self.heaps[actor] = [entry]
        elif entry in heap:
            return
        elif len(heap) < self.cfg.candidates_per_actor:
            heapq.heappush(heap, entry)
        elif entry > heap[0]:
            heapq.heapreplace(heap, entry)
        else:
            return
        if len(self.heaps[actor]) >= self.cfg.candidates_per_actor:
            self.floors[actor] = self.heaps[actor][0][0]

    # ------------------------------------------------------------------ need ↔ offer

    def need_offer_pairs(self) -> None:
        cfg, today = self.cfg, self.today
        listings = self.listings
        actors = self.actors
        n = len(listings)
        self.places: list[Place] = []
        self.zones: list[Zone] = []
        self.masks: list[int] = []
        self.fresh: list[float] = []
        bits = self.theme_bits
        for listing in listings:
            actor = actors[listing.actor_id]
            place = listing.anchor or actor.place
            self.places.append(place)
            self.zones.append(Zone.build(listing.zone_kind, listing.zone_code, listing.radius_km, place))
            self.masks.append(_theme_bits(sorted(listing.themes or actor.themes), bits))
            self.fresh.append(_freshness(listing.created_at, today, cfg.freshness_days))
        self.l_commune = [p.commune_code for p in self.places]
        self.l_epci = [p.epci_code for p in self.places]
        self.l_dep = [p.departement_code for p in self.places]
        self.l_lat = [None if p.lon is None else p.lat for p in self.places]
        self.l_lon = [p.lon for p in self.places]
        self.l_sector = [_SECTORS.get(actors[l.actor_id].kind, -1) for l in listings]
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
            needs, offers = buckets[key]
            if not needs or not offers:
                continue
            need_index, offer_index = self._index(needs), self._index(offers)
            for i in needs:
                self._probe(i, offer_index, True)
            for j in offers:
                self._probe(j, need_index, False)

    def _index(self, items: list[int]) -> tuple:
        by_commune: dict[str, list[int]] = {}
        by_epci: dict[str, list[int]] = {}
        by_dep: dict[str, list[int]] = {}
        grid = Grid()
        max_radius = 0.0
        zones = self.zones
        for i in items:
            zone = zones[i]
            by_commune.setdefault(zone.commune, []).append(i)
            if zone.epci:
                by_epci.setdefault(zone.epci, []).append(i)
            if zone.departement:
                by_dep.setdefault(zone.departement, []).append(i)
            if zone.lat is not None and zone.lon is not None:
                grid.add(i, zone.lat, zone.lon)
            if zone.level == RADIUS and zone.radius_km > max_radius:
                max_radius = zone.radius_km
        return by_commune, by_epci, by_dep, grid, max_radius

    def _probe(self, i: int, index: tuple, is_need: bool) -> None:
        """Examine up to ``probe_per_tier`` listings of the other side per tier; score the overlapping ones."""
        by_commune, by_epci, by_dep, grid, max_radius = index
        zone = self.zones[i]
        tiers: list[list[list[int]]] = []
        for lists, code in ((by_commune, zone.commune), (by_epci, zone.epci), (by_dep, zone.departement)):
            found = lists.get(code) if code else None
            if found:
                tiers.append([found])
        # Disks look around them in the grid (other disks and the areas they cover); an
        # administrative zone does not: the disks that reach it find it from their side.
        if zone.level == RADIUS and zone.lat is not None and zone.lon is not None:
            tiers.append(grid.near(zone.lat, zone.lon, zone.radius_km + max_radius))
        listings, zones, actors = self.listings, self.zones, self.actors
        me = listings[i]
        my_actor = me.actor_id
        my_demo = actors[my_actor].is_demo
        excluded = self.excluded.get(my_actor, ())
        per_tier = self.cfg.probe_per_tier
        prober = me.id
        seed = self.seed
        seen: set[int] = set()
        found: list[int] = []
        for tier in tiers:
            examined = 0
            for lst in tier:
                n = len(lst)
                start = _rotation(prober, seed, n) if n > per_tier else 0
                for k in range(n):
                    j = lst[(start + k) % n] if start else lst[k]
                    if j in seen:
                        continue
                    seen.add(j)
                    examined += 1
                    other = listings[j].actor_id
                    if (
                        other != my_actor
                        and other not in excluded
                        and actors[other].is_demo == my_demo
                        and zones_overlap(zone, zones[j])
                    ):
                        found.append(j)
                    if examined >= per_tier:
                        break
                if examined >= per_tier:
                    break
        if found:
            self._score_need_offers(i, found, is_need)

    def _geo(self, a: Place, b: Place) -> tuple[int, float]:
        if a.commune_code and a.commune_code == b.commune_code:
            return SAME_COMMUNE, 1.0
        if a.epci_code and a.epci_code == b.epci_code:
            return SAME_EPCI, 0.8
        if a.departement_code and a.departement_code == b.departement_code:
            return SAME_DEPARTEMENT, 0.6
        if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
            return FARTHER, 0.0
        d = haversine_km(a.lat, a.lon, b.lat, b.lon)
        return FARTHER, max(0.0, 0.5 * (1.0 - d / self.cfg.distance_scale_km))

    def _score_need_offers(self, i: int, found: list[int], is_need: bool) -> None:
        """Score listing ``i`` against the overlapping listings ``found`` of the other side.

        The arithmetic is always done need-first, so a pair scores the same (bit for bit)
        whichever side found it. A pair that cannot enter either actor's best candidates,
        even with identical descriptions, is not compared textually. (Hot loop: inlined.)
        """
        cfg = self.cfg
        listings, masks, fresh = self.listings, self.masks, self.fresh
        communes, epcis, deps, lats, lons, sectors = self.l_commune, self.l_epci, self.l_dep, self.l_lat, self.l_lon, self.l_sector
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
        me = listings[i]
        my_actor = me.actor_id
        inf = math.inf
        for j in found:
            other = listings[j]
            b = other.actor_id
            n, o = (i, j) if is_need else (j, i)
            mn, mo = masks[n], masks[o]
            common = (mn & mo).bit_count()
            theme = common / math.sqrt(mn.bit_count() * mo.bit_count()) if common else 0.0
            if communes[n] == communes[o]:
                geo = 1.0
            elif epcis[n] and epcis[n] == epcis[o]:
                geo = 0.8
            elif deps[n] and deps[n] == deps[o]:
                geo = 0.6
            elif lats[n] is None or lats[o] is None:
                geo = 0.0
            else:
                d = haversine_km(lats[n], lons[n], lats[o], lons[o])
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
            if best < floors.get(my_actor, inf) and best < floors.get(b, inf):
                continue
            self.pairs_scored += 1
            shared = my_doc.intersection(docs[j])
            similarity = sum([w2[t] for t in shared]) / (norms[n] * norms[o]) if shared else 0.0
            score = round(partial + w_text * similarity, 9)
            if is_need:
                push(my_actor, (score, -b, -me.id, -other.id, KIND_NEED_OFFER))
                push(b, (score, -my_actor, -other.id, -me.id, KIND_OFFER_NEED))
            else:
                push(b, (score, -my_actor, -other.id, -me.id, KIND_NEED_OFFER))
                push(my_actor, (score, -b, -me.id, -other.id, KIND_OFFER_NEED))

    def _bonus(self, a: int, b: int) -> float:
        ka, kb = self.actors[a].kind, self.actors[b].kind
        return self.cfg.cross_sector_bonus if ka != kb and ka in CROSS_SECTOR_KINDS and kb in CROSS_SECTOR_KINDS else 0.0

    # ------------------------------------------------------------------ theme pairs

    def theme_pairs(self) -> None:
        """Actors sharing a theme on the same commune (first) or EPCI: up to ``probe_per_tier`` each."""
        actors = list(self.actors.values())
        bits = self.theme_bits
        self.actor_masks = {a.id: _theme_bits(sorted(a.themes), bits) for a in actors}
        self.actor_places = {a.id: a.place for a in actors}
        by_commune: dict[tuple[str, str], list[ActorRecord]] = {}
        by_epci: dict[tuple[str, str], list[ActorRecord]] = {}
        for actor in actors:
            for theme in sorted(actor.themes):
                by_commune.setdefault((theme, actor.commune_code), []).append(actor)
                if actor.epci_code:
                    by_epci.setdefault((theme, actor.epci_code), []).append(actor)
        per_tier = self.cfg.probe_per_tier
        seed = self.seed + 1
        for actor in actors:
            excluded = self.excluded.get(actor.id, ())
            seen = {actor.id}
            found: list[ActorRecord] = []
            themes = sorted(actor.themes)
            for index, code in ((by_commune, actor.commune_code), (by_epci, actor.epci_code)):
                if not code:
                    continue
                examined = 0
                for theme in themes:
                    lst = index.get((theme, code))
                    if not lst:
                        continue
                    n = len(lst)
                    start = _rotation(actor.id, seed, n) if n > per_tier else 0
                    for k in range(n):
                        other = lst[(start + k) % n]
                        if other.id in seen:
                            continue
                        seen.add(other.id)
                        examined += 1
                        if other.id not in excluded and other.is_demo == actor.is_demo:
                            found.append(other)
                        if examined >= per_tier:
                            break
                    if examined >= per_tier:
                        break
            for other in found:
                if actor.id < other.id:
                    self._score_theme(actor, other)
                else:
                    self._score_theme(other, actor)

    def _score_theme(self, a: ActorRecord, b: ActorRecord) -> None:
        cfg = self.cfg
        ma, mb = self.actor_masks[a.id], self.actor_masks[b.id]
        common = (ma & mb).bit_count()
        theme = common / math.sqrt(ma.bit_count() * mb.bit_count())
        geo = 1.0 if a.commune_code == b.commune_code else 0.8  # same EPCI otherwise
        days = cfg.freshness_days
        fresh = (_freshness(a.updated_at, self.today, days) + _freshness(b.updated_at, self.today, days)) / 2
        partial = (
            cfg.weight_category * cfg.theme_pair_fit
            + cfg.weight_theme * theme
            + cfg.weight_geo * geo
            + cfg.weight_freshness * fresh
            + self._bonus(a.id, b.id)
        )
        inf = math.inf
        best = partial + cfg.weight_text
        if best < self.floors.get(a.id, inf) and best < self.floors.get(b.id, inf):
            return
        self.pairs_scored += 1
        text = self.text.similarity(self.actor_text[a.id], self.actor_text[b.id])
        score = round(partial + cfg.weight_text * text, 9)
        self._push(a.id, (score, -b.id, 0, 0, KIND_THEME))
        self._push(b.id, (score, -a.id, 0, 0, KIND_THEME))

    # ------------------------------------------------------------------ selection

    def select(self) -> dict[int, list[Suggestion]]:
        cfg = self.cfg
        entries = []
        for actor, heap in self.heaps.items():
            for score, neg_other, neg_mine, neg_theirs, kind in heap:
                entries.append((-score, actor, -neg_other, -neg_mine, -neg_theirs, kind))
        entries.sort()
        taken: dict[int, list[tuple]] = {}
        given: dict[int, int] = {}
        chosen: set[tuple[int, int]] = set()
        cap, per_digest = cfg.fairness_cap, cfg.max_per_digest
        window = self.proposed_in_window
        for entry in entries:
            _, actor, other, _, _, _ = entry
            mine = taken.get(actor)
            if mine is not None and len(mine) >= per_digest:
                continue
            if (actor, other) in chosen:
                continue
            if window.get(other, 0) + given.get(other, 0) >= cap:
                continue
            chosen.add((actor, other))
            given[other] = given.get(other, 0) + 1
            taken.setdefault(actor, []).append(entry)
        by_id = {listing.id: i for i, listing in enumerate(self.listings)}
        self._cuts: dict[tuple[str, int], str] = {}
        self._theme_reason_cache: dict[int, list[Reason]] = {}
        self._theme_values = list(self.theme_bits)
        result: dict[int, list[Suggestion]] = {}
        for actor in sorted(taken):
            result[actor] = [self._suggestion(entry, by_id) for entry in taken[actor]]
        return result

    def _cut(self, kind: str, ident: int, text: str) -> str:
        key = (kind, ident)
        cut = self._cuts.get(key)
        if cut is None:
            cut = self._cuts[key] = _cut(text, self.cfg.description_chars)
        return cut

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

    def _suggestion(self, entry: tuple, by_id: dict[int, int]) -> Suggestion:
        neg_score, actor, other, mine, theirs, kind = entry
        me, them = self.actors[actor], self.actors[other]
        cfg = self.cfg
        reasons: list[Reason] = []
        if kind == KIND_THEME:
            level, d = closeness(me.place, them.place)
            reasons.extend(_geo_reasons(level, d))
            reasons.extend(self._theme_reasons(self.actor_masks[actor] & self.actor_masks[other]))
            reasons.append(_CO_CONSTRUCTION)
            if them.description:
                reasons.append(Reason("match.their_profile", (("theirs", self._cut("a", other, them.description)),)))
            if self.text.similarity(self.actor_text[actor], self.actor_text[other]) >= cfg.text_reason_threshold:
                reasons.append(Reason("match.similar_text"))
            my_listing = their_listing = None
        else:
            i, j = by_id[mine], by_id[theirs]
            level, d = closeness(self.places[i], self.places[j])
            reasons.extend(_geo_reasons(level, d))
            reasons.extend(self._theme_reasons(self.masks[i] & self.masks[j]))
            key = "match.need_offer" if kind == KIND_NEED_OFFER else "match.offer_need"
            mine_text = self._cut("l", mine, self.listings[i].description)
            theirs_text = self._cut("l", theirs, self.listings[j].description)
            reasons.append(Reason(key, (("mine", mine_text), ("theirs", theirs_text))))
            my_listing, their_listing = mine, theirs
        if me.kind != them.kind and me.kind in CROSS_SECTOR_KINDS and them.kind in CROSS_SECTOR_KINDS:
            reasons.append(_cross_sector(me.kind, them.kind))
        return Suggestion(
            for_actor=actor,
            other_actor=other,
            score=round(-neg_score, 6),
            reasons=tuple(reasons),
            kind=_KIND_NAMES[kind],
            my_listing_id=my_listing,
            their_listing_id=their_listing,
        )


def _geo_reasons(level: int, d: float | None) -> list[Reason]:
    if level in _GEO_REASON_OBJECTS:
        return [_GEO_REASON_OBJECTS[level]]
    if d is None:
        return []
    return [Reason("match.distance", (("km", max(1, round(d))),))]


_CO_CONSTRUCTION = Reason("match.co_construction")
_GEO_REASON_OBJECTS = {level: Reason(key) for level, key in _GEO_REASONS.items()}


@functools.lru_cache(maxsize=64)
def _cross_sector(mine: str, theirs: str) -> Reason:
    return Reason("match.cross_sector", (("mine_kind", mine), ("their_kind", theirs)))


def _cut(text: str, n: int) -> str:
    text = " ".join((text or "").split())
    if len(text) <= n:
        return text
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
