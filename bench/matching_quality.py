"""Do suggestions make sense? Need ↔ offer precision on the labelled French set, against baselines.

    python bench/matching_quality.py [--seed 7] [--seeds 10] [--set 1|2|both] [--show-errors] [--config FIELD=VALUE]

The kinds of ``bench/data/matching_fr.py`` are placed on two territories:

* **dense**: the Métropole de Lyon; every need and every offer phrasing is one actor
  (associations need; companies and collectivités offer), zones mostly the intercommunalité
  (so everything overlaps: only meaning can tell);
* **sparse**: a rural département (Creuse); the same needs, but offers for one kind in two,
  one phrasing each, zones a 35 km disk, the département or the commune.

Needs carry their kind's themes (an association knows its field); offers carry them one time
in two, a random theme otherwise (companies tick broad themes). For each engine, every need
owner's digest is computed (``suggest_round``, theme pairs on, default settings) and its
need ↔ offer suggestions are checked against the labels:

* precision: share of need ↔ offer suggestions whose offer is of the need's kind;
* first right: share of need owners with at least one, whose first one is right;
* none: share of need owners without any need ↔ offer suggestion (in the sparse territory,
  "none" is the right answer for the kinds that have no offer: printed beside).

A suggestion is right when its offer is of the need's kind, or of a kind that the need's own
words also ask for (``ALSO`` in the data files, each entry with its reason; the column "via
ALSO" counts the suggestions right only through it). ``--seeds N`` pools N placements of the
same texts (actors' communes, zones, offers' themes drawn again): a sparse territory has ~15
suggestions per placement, so one placement moves by 0.06 for one pair.

Engines: the meaning-aware engine (``matching``, vectors from the real model), the previous
engine (``bench/legacy_engine.py``), and a random offer of the same category and skill.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import date

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from bench.data import matching_fr, matching_fr_2
from bench.legacy_engine import suggest_round as legacy_round
from core import catalog
from matching import ActorRecord, ListingRecord, MatchingConfig, Suggestion, Vectors, place_from_resolver, suggest_round
from territories import default_resolver

TODAY = date(2026, 6, 1)
DENSE = ("69123", "69266", "69259", "69029", "69256", "69034")
SPARSE = ("23096", "23008", "23176", "23030", "23031", "23076", "23079")
THEMES = catalog.THEME_VALUES


class Scenario:
    """Actors and listings of one territory, with the kind of each listing."""

    def __init__(
        self,
        name: str,
        communes: tuple[str, ...],
        sparse: bool,
        rng: random.Random,
        kinds: tuple = matching_fr.KINDS,
        also: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        resolver = default_resolver()
        self.also = also or {}
        self.name = name
        self.actors: list[ActorRecord] = []
        self.listings: list[ListingRecord] = []
        self.kind_of: dict[int, str] = {}  # listing id → kind name
        self.need_owner: dict[int, int] = {}  # actor id → its need's listing id
        self.offer_kinds: set[str] = set()
        self.texts: dict[int, str] = {}
        places = [place_from_resolver(resolver, code) for code in communes]
        ident = 0
        for index, kind in enumerate(kinds):
            offers = () if sparse and index % 2 else (kind.offers[:1] if sparse else kind.offers)
            if offers:
                self.offer_kinds.add(kind.name)
            for side, texts in (("need", kind.needs), ("offer", offers)):
                for text in texts:
                    ident += 1
                    place = rng.choice(places)
                    if side == "need":
                        actor_kind, themes = "association", frozenset(kind.themes)
                    else:
                        actor_kind = rng.choice(("entreprise", "entreprise", "collectivite"))
                        themes = frozenset(kind.themes) if rng.random() < 0.5 else frozenset({rng.choice(THEMES)})
                    self.actors.append(
                        ActorRecord(
                            id=ident,
                            kind=actor_kind,
                            commune_code=place.commune_code,
                            epci_code=place.epci_code,
                            departement_code=place.departement_code,
                            lat=place.lat,
                            lon=place.lon,
                            themes=themes,
                            description="",
                            updated_at=TODAY,
                        )
                    )
                    if sparse:
                        zone = rng.choice(("radius", "radius", "departement", "commune"))
                    else:
                        zone = rng.choice(("epci", "epci", "epci", "departement", "commune"))
                    code = {
                        "commune": place.commune_code,
                        "radius": place.commune_code,
                        "epci": place.epci_code,
                        "departement": place.departement_code,
                    }[zone]
                    self.listings.append(
                        ListingRecord(
                            id=ident,
                            actor_id=ident,
                            kind=side,
                            category=kind.category,
                            subcategory=kind.skill,
                            themes=themes,
                            description=text,
                            zone_kind=zone,
                            zone_code=code,
                            radius_km=35.0 if zone == "radius" else None,
                            created_at=TODAY,
                        )
                    )
                    self.kind_of[ident] = kind.name
                    self.texts[ident] = text
                    if side == "need":
                        self.need_owner[ident] = ident


def random_engine(scenario: Scenario, rng: random.Random) -> dict[int, list[Suggestion]]:
    """A random offer of the same category and skill (anywhere in the territory) for each need."""
    out: dict[int, list[Suggestion]] = {}
    offers = [l for l in scenario.listings if l.kind == "offer"]
    for need in scenario.listings:
        if need.kind != "need":
            continue
        same = [o for o in offers if o.category == need.category and o.subcategory == need.subcategory]
        if same:
            offer = rng.choice(same)
            out[need.actor_id] = [Suggestion(need.actor_id, offer.actor_id, 0.0, (), "need_offer", need.id, offer.id)]
    return out


def right_pair(scenario: Scenario, need_id: int, offer_id: int) -> bool:
    """Whether the offer answers the need: of its kind, or of a kind its words also ask for (``ALSO``)."""
    kind = scenario.kind_of[offer_id]
    return kind == scenario.kind_of[need_id] or kind in scenario.also.get(scenario.texts[need_id], ())


def measure(scenario: Scenario, found: dict[int, list[Suggestion]]) -> dict[str, int]:
    """Counts for precision, first right, none (and, where no offer exists, right "none"): see :func:`rates`."""
    counts = dict.fromkeys(("pairs", "right", "owners_with", "first_right", "none", "none_right", "also", "owners"), 0)
    for owner, need_id in scenario.need_owner.items():
        counts["owners"] += 1
        pairs = [s for s in found.get(owner, []) if s.kind == "need_offer"]
        kind = scenario.kind_of[need_id]
        if not pairs:
            counts["none"] += 1
            counts["none_right"] += kind not in scenario.offer_kinds
            continue
        counts["owners_with"] += 1
        ok = [right_pair(scenario, need_id, s.their_listing_id) for s in pairs]
        counts["also"] += sum(scenario.kind_of[s.their_listing_id] != kind for s, good in zip(pairs, ok, strict=True) if good)
        counts["pairs"] += len(ok)
        counts["right"] += sum(ok)
        counts["first_right"] += ok[0]
    return counts


def rates(counts: dict[str, int]) -> dict[str, float]:
    """Precision (right pairs / pairs), first right (/ owners with one), none and right none (/ owners, / none)."""
    c = counts
    return {
        "precision": c["right"] / c["pairs"] if c["pairs"] else float("nan"),
        "first": c["first_right"] / c["owners_with"] if c["owners_with"] else float("nan"),
        "none": c["none"] / c["owners"] if c["owners"] else float("nan"),
        "none_right": c["none_right"] / c["none"] if c["none"] else float("nan"),
    }


def embed_all(scenarios: list[Scenario]) -> Callable[[Scenario], Vectors]:
    """Vectors of every listing, from the real model (timed)."""
    from bot.embeddings import vectors_for
    from matching.vectors import decode_blob

    texts = sorted({t for s in scenarios for t in s.texts.values()})
    started = time.perf_counter()
    blobs = dict(zip(texts, vectors_for(texts), strict=True))
    elapsed = time.perf_counter() - started
    print(f"embedded {len(texts)} descriptions in {elapsed:.2f} s ({len(texts) / elapsed:.0f}/s, batch)")

    def build(scenario: Scenario) -> Vectors:
        found = {}
        for ident, text in scenario.texts.items():
            decoded = decode_blob(blobs[text])
            if decoded is not None:
                found[ident] = decoded
        return Vectors.from_arrays(found)

    return build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--seeds",
        type=int,
        default=1,
        help="pool this many placements (seeds --seed, --seed+1, …): steadier figures for the sparse territory",
    )
    parser.add_argument("--show-errors", action="store_true", help="print the wrong suggestions and the misses of the new engine")
    parser.add_argument(
        "--config", action="append", default=[], metavar="FIELD=VALUE", help="a MatchingConfig field for the new engine (calibration runs)"
    )
    parser.add_argument(
        "--set",
        choices=("1", "2", "both"),
        default="both",
        help="labelled set: 1 (bench/data/matching_fr.py), 2 (the held-out bench/data/matching_fr_2.py) or both",
    )
    args = parser.parse_args()
    config = MatchingConfig(**dict(config_field(item) for item in args.config))
    print(f"load average at start: {os.getloadavg()}")
    sets = {"1": (matching_fr.KINDS, matching_fr.ALSO), "2": (matching_fr_2.KINDS, matching_fr_2.ALSO)}
    seeds = list(range(args.seed, args.seed + args.seeds))
    groups: list[tuple[str, list[Scenario]]] = []
    for label in ("1", "2") if args.set == "both" else (args.set,):
        kinds, also = sets[label]
        print(
            f"set {label}: {len(kinds)} kinds, {len({k.category for k in kinds})} categories, {len({k.skill for k in kinds if k.skill})} skills"
        )
        dense, sparse = [], []
        for seed in seeds:
            rng = random.Random(seed)
            dense.append(Scenario(f"set {label} dense (Lyon)", DENSE, False, rng, kinds, also))
            sparse.append(Scenario(f"set {label} sparse (Creuse)", SPARSE, True, rng, kinds, also))
        groups += [(dense[0].name, dense), (sparse[0].name, sparse)]
    vectors_of = embed_all([s for _, group in groups for s in group])
    print(f"seeds {seeds[0]}–{seeds[-1]} pooled" if len(seeds) > 1 else f"seed {seeds[0]}")
    header = (
        f"{'territory':26} {'engine':22} {'precision':>9} {'first right':>11} {'none':>6} {'pairs':>6} {'none right':>10} {'via ALSO':>8}"
    )
    print(header)
    print("-" * len(header))
    names = ("meaning (new)", "previous engine", "random same category")
    for title, group in groups:
        pooled = {
            name: dict.fromkeys(("pairs", "right", "owners_with", "first_right", "none", "none_right", "also", "owners"), 0)
            for name in names
        }
        for seed, scenario in zip(seeds, group, strict=True):
            recipients = set(scenario.need_owner)
            engines = {
                names[0]: suggest_round(
                    scenario.actors, scenario.listings, None, config, TODAY, recipients=recipients, vectors=vectors_of(scenario)
                ),
                names[1]: legacy_round(scenario.actors, scenario.listings, None, None, TODAY, recipients=recipients),
                names[2]: random_engine(scenario, random.Random(seed)),
            }
            for name, found in engines.items():
                for key, value in measure(scenario, found).items():
                    pooled[name][key] += value
            if args.show_errors:
                show_errors(scenario, engines[names[0]], f"seed {seed}" if len(seeds) > 1 else "")
        for name in names:
            c, m = pooled[name], rates(pooled[name])
            print(
                f"{title:26} {name:22} {m['precision']:9.3f} {m['first']:11.3f} {m['none']:6.3f} {c['pairs']:6d} {m['none_right']:10.3f} {c['also']:8d}"
            )
    print(f"load average at end: {os.getloadavg()}")


def config_field(item: str) -> tuple[str, object]:
    """``FIELD=VALUE`` as a MatchingConfig field with a value of its type."""
    name, value = item.split("=", 1)
    current = getattr(MatchingConfig(), name)
    if isinstance(current, bool):
        return name, value.lower() in ("1", "true", "yes")
    return name, type(current)(value)


def show_errors(scenario: Scenario, found: dict[int, list[Suggestion]], label: str) -> None:
    """Every wrong need ↔ offer suggestion (✗) and every need owner left without one although its kind is offered (∅)."""
    for owner, need_id in scenario.need_owner.items():
        pairs = [s for s in found.get(owner, []) if s.kind == "need_offer"]
        for s in pairs:
            if not right_pair(scenario, need_id, s.their_listing_id):
                print(f"    {scenario.name} {label} ✗ {scenario.texts[need_id]!r} ↔ {scenario.texts[s.their_listing_id]!r} ({s.score:.3f})")
        if not pairs and scenario.kind_of[need_id] in scenario.offer_kinds:
            print(f"    {scenario.name} {label} ∅ {scenario.texts[need_id]!r}")


if __name__ == "__main__":
    main()
