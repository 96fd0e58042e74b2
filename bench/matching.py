#!/usr/bin/env python3
"""Benchmark of the matching engine: one full suggestion round on synthetic France-wide data.

Run on demand (never part of the test suite)::

    .venv/bin/python bench/matching.py [--sizes 10000,100000,300000] [--seed 7] [--repeat 1]

Each size runs in a fresh subprocess, so that the peak RSS is the size's own. The data:
``size / 3`` actors placed on real communes drawn in proportion to their population (the
territory resolver's data: code, EPCI, département, coordinates), 3 listings each (needs and
offers over the 7 categories and 6 skills, zones commune / EPCI / département / 10-35 km),
French descriptions drawn from a domain vocabulary, some paused / non-consenting /
unreachable actors, closed and expired listings, and a history of past suggestions and
declined pairs. With ``--repeat``, the sizes take turns (one run of each size per repeat), so
that a machine slowing down for a while slows every size alike; the median of each size and the
ratio of each repeat's consecutive runs are printed. Only ``suggest_round`` is timed (data generation is not; wall time and the process's CPU time, which a busy machine inflates less). Prints a table and
the growth exponent between successive sizes (time ∝ n^k).

With ``--instructions``, each size runs once under valgrind's callgrind, its instrumentation on only
while ``suggest_round`` runs (a 10-line C helper built with the machine's gcc and valgrind headers, loaded
with ctypes, toggles it): the round's machine instructions are counted, a figure that does not depend on
what else the machine is doing (a round takes ~50 times longer so; memory stalls are not counted, so the
times above stay the figure of record). Prints each size's count and the growth between sizes.

Meaning vectors are **synthetic** (``--no-vectors`` leaves them out): each listing belongs to
one of 30 topics of its category, its vector is the topic's random direction plus as much
random noise, stored as the bot stores them (int8 rows, 384 dimensions, with a hubness), and
so is each actor's profile. Their memory is in the "RSS before" and peak figures. The engine's
work does not depend on what the vectors say, only on how many pairs overlap and pass the
relevance floor (here: those of the same topic, ~1/30 of a category's).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 6, 1)

WORDS = """
aide alimentaire accompagnement scolaire atelier jardin partagé potager compost épicerie solidaire
distribution colis repas seniors jeunes enfants familles quartier insertion emploi formation
numérique ordinateurs tablettes initiation internet démarches administratives juridique statuts
comptabilité bilan trésorerie subvention mécénat financement projet communication site web réseaux
sociaux affiches graphisme vidéo local salle réunion stockage entrepôt camion véhicule transport
mobilité vélo réparation recyclerie réemploi vêtements meubles électroménager théâtre musique
concert festival exposition bibliothèque lecture écriture sport football basket natation randonnée
santé prévention dépistage handicap inclusion accessibilité logement hébergement urgence migrants
réfugiés langue française alphabétisation soutien parentalité crèche périscolaire environnement
biodiversité nettoyage rivière forêt énergie rénovation isolation climat citoyenneté démocratie
participation conseil habitants maraude sans abri précarité pauvreté chômeurs bénévoles dimanche
samedi soir matin hebdomadaire mensuel ponctuel régulier encadrement animation coordination gestion
planning logistique bricolage peinture menuiserie électricité plomberie cuisine traiteur restauration
agriculture producteurs circuit court marché ferme apiculture école collège lycée étudiants stage
alternance apprentissage tutorat mentorat entreprises salariés mécénat compétences fondation
collectivité mairie commune intercommunalité département région territoire rural urbain
""".split()


def synthetic_vectors(listings: list, actors: list, seed: int):
    """int8 vectors: a topic direction per (category, skill, topic) plus noise; hubness 0.25."""
    import numpy as np

    from matching import Vectors
    from matching.vectors import DIM

    rng = np.random.default_rng(seed)
    keys: dict = {}
    topic = np.empty(len(listings), dtype=np.int64)
    for i, listing in enumerate(listings):
        key = (listing.category, listing.subcategory, listing.id * 2654435761 % 30)
        topic[i] = keys.setdefault(key, len(keys))
    centers = rng.standard_normal((len(keys), DIM)).astype(np.float32)
    centers /= np.linalg.norm(centers, axis=1, keepdims=True)

    def rows(topics: np.ndarray) -> np.ndarray:
        """In chunks, so that the generator's peak memory stays below the round's."""
        out = np.empty((len(topics), DIM), dtype=np.int8)
        for start in range(0, len(topics), 4096):
            chosen = topics[start : start + 4096]
            part = centers[chosen] + rng.standard_normal((len(chosen), DIM)).astype(np.float32) / np.sqrt(DIM)
            out[start : start + len(part)] = np.clip(np.rint(part / np.abs(part).max(axis=1, keepdims=True) * 127), -127, 127)
        return out

    listing_rows = rows(topic)
    del topic
    actor_rows = rows(rng.integers(0, len(keys), len(actors)))
    return Vectors(
        np.array([l.id for l in listings], dtype=np.int64),
        listing_rows,
        np.full(len(listings), 0.25, dtype=np.float32),
        np.array([a.id for a in actors], dtype=np.int64),
        actor_rows,
        np.full(len(actors), 0.25, dtype=np.float32),
    )


def child(size: int, seed: int, with_vectors: bool = True) -> dict:
    import gc
    import resource

    from core.catalog import ACTOR_TYPES, CATEGORIES, SKILLS, THEME_VALUES
    from matching import ActorRecord, History, ListingRecord, MatchingConfig, suggest_round
    from territories import default_resolver

    rng = random.Random(seed)
    communes = default_resolver()._data.communes  # bench only: the columns of the data file
    rows = [
        i
        for i in range(len(communes.codes))
        if communes.populations[i] > 0 and not math.isnan(communes.lats[i]) and not math.isnan(communes.lons[i])
    ]
    weights = [communes.populations[i] for i in rows]
    n_actors = max(1, size // 3)
    picks = rng.choices(rows, weights=weights, k=n_actors)
    # Values a storage layer shares too (a theme set, a day, a commune's coordinates are the
    # same object wherever they repeat): the records stay lean and the measured RSS is the
    # round's, not the generator's duplicates.
    shared: dict = {}

    def share(value):
        return shared.setdefault(value, value)  # noqa: F821 - deleted once the records are built

    coords = {row: (communes.lats[row], communes.lons[row]) for row in set(picks)}
    actors = []
    for actor_id, row in enumerate(picks, start=1):
        roll = rng.random()
        actors.append(
            ActorRecord(
                id=actor_id,
                kind=rng.choices(ACTOR_TYPES, weights=(60, 25, 10, 5))[0],
                commune_code=communes.codes[row],
                epci_code=communes.epcis[row] or None,
                departement_code=communes.departements[row],
                lat=coords[row][0],
                lon=coords[row][1],
                themes=share(frozenset(rng.sample(THEME_VALUES, rng.randint(1, 3)))),
                description=" ".join(rng.choices(WORDS, k=rng.randint(5, 14))),
                consent_matching=roll > 0.04,
                paused=0.04 <= roll < 0.07,
                unreachable=0.07 <= roll < 0.08,
                updated_at=share(TODAY - timedelta(days=rng.randint(0, 400))),
            )
        )
    listings = []
    listing_id = 0
    for actor in actors:
        for _ in range(3):
            listing_id += 1
            category = rng.choices(CATEGORIES, weights=(25, 25, 12, 10, 12, 12, 4))[0]
            zone_kind = rng.choices(("commune", "epci", "departement", "radius"), weights=(30, 35, 15, 20))[0]
            zone_code = {
                "commune": actor.commune_code,
                "epci": actor.epci_code or actor.commune_code,
                "departement": actor.departement_code,
                "radius": actor.commune_code,
            }[zone_kind]
            if zone_kind == "epci" and not actor.epci_code:
                zone_kind = "commune"
            created = share(TODAY - timedelta(days=rng.randint(0, 150)))
            listings.append(
                ListingRecord(
                    id=listing_id,
                    actor_id=actor.id,
                    kind=rng.choice(("need", "offer")),
                    category=category,
                    subcategory=rng.choice(SKILLS) if category == "competences" else None,
                    themes=share(frozenset(rng.sample(sorted(actor.themes), rng.randint(1, len(actor.themes))))),
                    description=" ".join(rng.choices(WORDS, k=rng.randint(4, 12))),
                    zone_kind=zone_kind,
                    zone_code=zone_code,
                    radius_km=rng.choice((10, 35)) if zone_kind == "radius" else None,
                    created_at=created,
                    expires_at=share(created + timedelta(days=rng.choice((30, 90, 180, 365)))),
                    status="closed" if rng.random() < 0.05 else "open",
                )
            )
    suggested = []
    for _ in range(n_actors // 2):
        a, b = rng.randint(1, n_actors), rng.randint(1, n_actors)
        suggested.append((a, b, share(TODAY - timedelta(days=rng.randint(1, 120)))))
    declined = [(rng.randint(1, n_actors), rng.randint(1, n_actors)) for _ in range(n_actors // 20)]
    history = History(tuple(suggested), tuple(declined))
    del shared, coords, picks, rows, weights
    vectors = [synthetic_vectors(listings, actors, seed)] if with_vectors else [None]
    vector_mib = vectors[0].nbytes / 2**20 if vectors[0] is not None else 0.0
    gc.collect()
    rss_before = _rss_kib()
    counting = _instrumentation()
    t0 = time.perf_counter()
    c0 = time.process_time()
    counting.cg_start()
    # Handed over (the round lets the listings' vectors go once the need ↔ offer pass is done).
    result = suggest_round(actors, listings, history, MatchingConfig(), TODAY, vectors=vectors.pop())
    counting.cg_stop()
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    total = sum(len(v) for v in result.values())
    eligible = sum(1 for a in actors if a.consent_matching and not a.paused and not a.unreachable)
    kinds: dict[str, int] = {}
    for items in result.values():
        for s in items:
            kinds[s.kind] = kinds.get(s.kind, 0) + 1
    return {
        "listings": len(listings),
        "actors": len(actors),
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "rss_before_mib": rss_before / 1024,
        "peak_rss_mib": peak / 1024,
        "actors_served": len(result),
        "eligible_actors": eligible,
        "suggestions": total,
        "kinds": kinds,
        "vector_mib": vector_mib,
    }


_CALLGRIND_C = """#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void cg_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; }
"""


class _NoCounting:
    """Outside valgrind: nothing to toggle."""

    def cg_start(self) -> None:
        pass

    def cg_stop(self) -> None:
        pass


def _instrumentation():
    """The callgrind toggles when this child runs under ``--instructions`` (the helper's path in the
    environment), no-ops otherwise."""
    library = os.environ.get("TRAITDUNION_BENCH_CALLGRIND_LIB")
    if not library:
        return _NoCounting()
    import ctypes

    return ctypes.CDLL(library)


def _callgrind_library(folder: Path) -> Path:
    """Build the callgrind toggles (gcc, valgrind's headers) into ``folder``."""
    source, library = folder / "cg.c", folder / "libcg.so"
    source.write_text(_CALLGRIND_C)
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    return library


def _count_instructions(sizes: list[int], seed: int, no_vectors: bool) -> None:
    """Each size once under callgrind, instructions counted during the round only; the growth between sizes."""
    import re
    import tempfile

    counts: list[tuple[int, int]] = []
    with tempfile.TemporaryDirectory() as folder:
        env = dict(
            os.environ,
            TRAITDUNION_BENCH_CALLGRIND_LIB=str(_callgrind_library(Path(folder))),
            PYTHONHASHSEED="0",  # the same sets and dicts in the same order: the same count, run after run
            OPENBLAS_NUM_THREADS="1",  # no worker threads spinning while they wait (counted otherwise)
            OMP_NUM_THREADS="1",
        )
        for size in sizes:
            out = subprocess.run(
                ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={folder}/out.%p"]
                + [sys.executable, __file__, "--child", str(size), "--seed", str(seed)]
                + (["--no-vectors"] if no_vectors else []),
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
                env=env,
            )
            found = re.search(r"Collected : (\d+)", out.stderr)
            if found is None:
                raise SystemExit(f"callgrind printed no count:\n{out.stderr[-2000:]}")
            r = json.loads(out.stdout)
            counts.append((r["listings"], int(found[1])))
            print(f"{r['listings']:>9} listings: {int(found[1]):,} instructions in the round ({r['suggestions']} suggestions)", flush=True)
    for (n_a, i_a), (n_b, i_b) in itertools.pairwise(counts):
        k = math.log(i_b / i_a) / math.log(n_b / n_a)
        nlogn = (n_b * math.log(n_b)) / (n_a * math.log(n_a))
        print(f"growth {n_a}→{n_b}: instructions ∝ n^{k:.2f}, ratio {i_b / i_a:.2f} (n log n: ratio {nlogn:.2f})")


def _rss_kib() -> int:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,300000", help="numbers of listings, comma-separated")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (the median time is reported)")
    parser.add_argument("--no-vectors", action="store_true", help="run without meaning vectors")
    parser.add_argument(
        "--instructions", action="store_true", help="count the round's instructions under valgrind's callgrind instead of timing it"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.seed, not args.no_vectors)))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.instructions:
        print(f"# matching bench, instructions — Python {platform.python_version()}, seed {args.seed}, valgrind callgrind")
        _count_instructions(sizes, args.seed, args.no_vectors)
        return
    print(f"# matching bench — Python {platform.python_version()}, {os.cpu_count()} CPUs, seed {args.seed}")
    print(f"# load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{'listings':>9} {'actors':>7} {'round s':>8} {'(min-max)':>13} {'RSS before MiB':>15} {'peak RSS MiB':>13} "
        f"{'served':>7} {'sugg.':>7}"
    )
    # Sizes interleaved (each repeat runs every size once, in turn): a machine whose speed drifts
    # (other processes, a neighbour on the host) slows every size alike, not the last one only.
    runs_of: dict[int, list[dict]] = {size: [] for size in sizes}
    for _ in range(args.repeat):
        for size in sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(size), "--seed", str(args.seed)] + (["--no-vectors"] if args.no_vectors else []),
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            runs_of[size].append(json.loads(out.stdout))
    results = []
    for size in sizes:
        runs = sorted(runs_of[size], key=lambda r: r["seconds"])
        r = dict(runs[len(runs) // 2])
        r["peak_rss_mib"] = sorted(x["peak_rss_mib"] for x in runs)[len(runs) // 2]  # median too
        r["cpu_seconds"] = sorted(x["cpu_seconds"] for x in runs)[len(runs) // 2]
        results.append(r)
        spread = f"{runs[0]['seconds']:.2f}-{runs[-1]['seconds']:.2f}"
        in_order = ", ".join(f"{x['seconds']:.2f}" for x in runs_of[size])
        print(
            f"{r['listings']:>9} {r['actors']:>7} {r['seconds']:>8.2f} {spread:>13} {r['rss_before_mib']:>15.0f} "
            f"{r['peak_rss_mib']:>13.0f} {r['actors_served']:>7} {r['suggestions']:>7}  {r['kinds']} vectors {r['vector_mib']:.0f} MiB, "
            f"CPU {r['cpu_seconds']:.1f} s; runs in order: {in_order}",
            flush=True,
        )
    for (size_a, a), (size_b, b) in itertools.pairwise(zip(sizes, results, strict=True)):
        k = math.log(b["seconds"] / a["seconds"]) / math.log(b["listings"] / a["listings"])
        nlogn = math.log((b["listings"] * math.log(b["listings"])) / (a["listings"] * math.log(a["listings"]))) / math.log(
            b["listings"] / a["listings"]
        )
        k_cpu = math.log(b["cpu_seconds"] / a["cpu_seconds"]) / math.log(b["listings"] / a["listings"])
        print(
            f"growth {a['listings']}→{b['listings']}: time ∝ n^{k:.2f}, ratio {b['seconds'] / a['seconds']:.2f} "
            f"(CPU n^{k_cpu:.2f}, ratio {b['cpu_seconds'] / a['cpu_seconds']:.2f}; "
            f"n log n would be n^{nlogn:.2f}, ratio {math.exp(nlogn * math.log(b['listings'] / a['listings'])):.2f})"
        )
        if args.repeat > 1:  # each repeat's two sizes ran one after the other: their ratio shares the machine's moment
            paired = sorted(y["seconds"] / x["seconds"] for x, y in zip(runs_of[size_a], runs_of[size_b], strict=True))
            print(f"  ratio of each repeat's pair: {', '.join(f'{v:.2f}' for v in paired)} (median {paired[len(paired) // 2]:.2f})")
    print(f"# load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
