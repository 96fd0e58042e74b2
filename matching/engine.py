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
        self.pairs_scored = 0

    def _exclude(self, a: int, b: int) -> None:
        self.excluded.setdefault(a, set()).add(b)
        self.excluded.setdefault(b, set()).add(a)

    # ------------------------------------------------------------------ keeping the best

    def _push(self, actor: int, entry: tuple) -> None:
        if actor not in self.recipients:
            return
        heap = self.heaps.get(actor)
        if heap is None:
            self.heaps[actor] = [entry]
        elif len(heap) < self.cfg.candidates_per_actor:
            if entry not in heap:
                heapq.heappush(heap, entry)
        elif entry > heap[0] and entry not in heap:
            heapq.heapreplace(heap, entry)

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
        by_commune, by_epci, by_dep, grid, max_radius = index
        zone = self.zones[i]
        tiers: list[list[list[int]]] = []
        for lists, code in ((by_commune, zone.commune), (by_epci, zone.epci), (by_dep, zone.departement)):
            found = lists.get(code) if code else None
            if found:
                tiers.append([found])
        reach = (zone.radius_km if zone.level == RADIUS else 0.0) + max_radius
        if reach > 0 and zone.lat is not None and zone.lon is not None:
            tiers.append(grid.near(zone.lat, zone.lon, reach))
        listings, zones = self.listings, self.zones
        me = listings[i]
        my_actor = me.actor_id
        my_demo = self.actors[my_actor].is_demo
        excluded = self.excluded.get(my_actor, ())
        per_tier = self.cfg.probe_per_tier
        prober = me.id
        seed = self.seed
        seen: set[int] = set()
        actors = self.actors
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
                        if is_need:
                            self._score_need_offer(i, j)
                        else:
                            self._score_need_offer(j, i)
                    if examined >= per_tier:
                        break
                if examined >= per_tier:
                    break

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

    def _score_need_offer(self, i: int, j: int) -> None:
        """Score need ``i`` ↔ offer ``j`` (always in this order: the float result is canonical)."""
        cfg = self.cfg
        self.pairs_scored += 1
        need, offer = self.listings[i], self.listings[j]
        a, b = need.actor_id, offer.actor_id
        mi, mj = self.masks[i], self.masks[j]
        common = (mi & mj).bit_count()
        theme = common / math.sqrt(mi.bit_count() * mj.bit_count()) if common else 0.0
        _, geo = self._geo(self.places[i], self.places[j])
        text = self.text.similarity(i, j)
        fresh = (self.fresh[i] + self.fresh[j]) / 2
        score = (
            cfg.weight_category
            + cfg.weight_theme * theme
            + cfg.weight_geo * geo
            + cfg.weight_text * text
            + cfg.weight_freshness * fresh
            + self._bonus(a, b)
        )
        score = round(score, 9)
        self._push(a, (score, -b, -need.id, -offer.id, KIND_NEED_OFFER))
        self._push(b, (score, -a, -offer.id, -need.id, KIND_OFFER_NEED))

    def _bonus(self, a: int, b: int) -> float:
        ka, kb = self.actors[a].kind, self.actors[b].kind
        return self.cfg.cross_sector_bonus if ka != kb and ka in CROSS_SECTOR_KINDS and kb in CROSS_SECTOR_KINDS else 0.0

    # ------------------------------------------------------------------ theme pairs

    def theme_pairs(self) -> None:
        actors = list(self.actors.values())
        bits = self.theme_bits
        self.actor_masks = {a.id: _theme_bits(sorted(a.themes), bits) for a in actors}
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
            for theme in sorted(actor.themes):
                for lst in (by_commune.get((theme, actor.commune_code)), by_epci.get((theme, actor.epci_code))):
                    if not lst:
                        continue
                    n = len(lst)
                    start = _rotation(actor.id, seed, n) if n > per_tier else 0
                    examined = 0
                    for k in range(n):
                        other = lst[(start + k) % n]
                        if other.id in seen:
                            continue
                        seen.add(other.id)
                        examined += 1
                        if other.id not in excluded and other.is_demo == actor.is_demo:
                            if actor.id < other.id:
                                self._score_theme(actor, other)
                            else:
                                self._score_theme(other, actor)
                        if examined >= per_tier:
                            break

    def _score_theme(self, a: ActorRecord, b: ActorRecord) -> None:
        cfg = self.cfg
        self.pairs_scored += 1
        ma, mb = self.actor_masks[a.id], self.actor_masks[b.id]
        common = (ma & mb).bit_count()
        theme = common / math.sqrt(ma.bit_count() * mb.bit_count())
        _, geo = self._geo(a.place, b.place)
        text = self.text.similarity(self.actor_text[a.id], self.actor_text[b.id])
        days = cfg.freshness_days
        fresh = (_freshness(a.updated_at, self.today, days) + _freshness(b.updated_at, self.today, days)) / 2
        score = (
            cfg.weight_category * cfg.theme_pair_fit
            + cfg.weight_theme * theme
            + cfg.weight_geo * geo
            + cfg.weight_text * text
            + cfg.weight_freshness * fresh
            + self._bonus(a.id, b.id)
        )
        score = round(score, 9)
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
        result: dict[int, list[Suggestion]] = {}
        for actor in sorted(taken):
            result[actor] = [self._suggestion(entry, by_id) for entry in taken[actor]]
        return result

    def _suggestion(self, entry: tuple, by_id: dict[int, int]) -> Suggestion:
        neg_score, actor, other, mine, theirs, kind = entry
        me, them = self.actors[actor], self.actors[other]
        cfg = self.cfg
        reasons: list[Reason] = []
        if kind == KIND_THEME:
            level, d = closeness(me.place, them.place)
            reasons.extend(_geo_reasons(level, d))
            reasons.extend(_theme_reasons(self.actor_masks[actor] & self.actor_masks[other], self))
            reasons.append(Reason("match.co_construction"))
            if them.description:
                reasons.append(Reason("match.their_profile", (("theirs", _cut(them.description, cfg.description_chars)),)))
            if self.text.similarity(self.actor_text[actor], self.actor_text[other]) >= cfg.text_reason_threshold:
                reasons.append(Reason("match.similar_text"))
            my_listing = their_listing = None
        else:
            i, j = by_id[mine], by_id[theirs]
            level, d = closeness(self.places[i], self.places[j])
            reasons.extend(_geo_reasons(level, d))
            reasons.extend(_theme_reasons(self.masks[i] & self.masks[j], self))
            key = "match.need_offer" if kind == KIND_NEED_OFFER else "match.offer_need"
            n = cfg.description_chars
            reasons.append(
                Reason(key, (("mine", _cut(self.listings[i].description, n)), ("theirs", _cut(self.listings[j].description, n))))
            )
            my_listing, their_listing = mine, theirs
        if me.kind != them.kind and me.kind in CROSS_SECTOR_KINDS and them.kind in CROSS_SECTOR_KINDS:
            reasons.append(Reason("match.cross_sector", (("mine_kind", me.kind), ("their_kind", them.kind))))
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
    if level in _GEO_REASONS:
        return [Reason(_GEO_REASONS[level])]
    if d is None:
        return []
    return [Reason("match.distance", (("km", max(1, round(d))),))]


def _theme_reasons(mask: int, round_: _Round) -> list[Reason]:
    values = list(round_.theme_bits)  # bit i ↔ i-th theme seen
    shared = _themes_of(mask, values)
    if not shared:
        return []
    if len(shared) == 1:
        return [Reason("match.theme", (("theme", shared[0]),))]
    return [Reason("match.themes", (("themes", tuple(shared[:3])),))]


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
