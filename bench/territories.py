#!/usr/bin/env python3
"""Benchmark of the territory resolver: load time, memory, query latency and hit rate.

Run on demand (never part of the test suite)::

    .venv/bin/python bench/territories.py [--queries 3000] [--seed 7] [--loads 5]

* load: ``import territories`` + ``default_resolver()`` in fresh subprocesses (median of
  ``--loads`` runs; interpreter start-up excluded), and the resident memory it adds (VmRSS).
* queries: realistic inputs generated from the data itself (seeded): commune names as
  typed (accents dropped, "St" abbreviations, lower case) with one typo injected in a third
  of them, postcodes, département numbers and names, arrondissements, EPCI names, and
  junk. Reports median/p95/p99/max latency and how often the expected territory is first /
  in the top 5.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from territories import Resolver, default_resolver  # noqa: E402
from territories.normalize import strip_accents  # noqa: E402

LOAD_SNIPPET = """
import json, time
def rss_kib():
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
before = rss_kib()
t0 = time.perf_counter()
from territories import default_resolver
resolver = default_resolver()
t1 = time.perf_counter()
resolver.resolve("Tourcong")
t2 = time.perf_counter()
print(json.dumps({"load_ms": (t1 - t0) * 1000, "first_query_ms": (t2 - t1) * 1000,
                  "rss_delta_mib": (rss_kib() - before) / 1024}))
"""


def measure_load(runs: int) -> dict[str, float]:
    """Median load time and RSS delta over ``runs`` fresh interpreters."""
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", LOAD_SNIPPET],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        results.append(json.loads(out.stdout))
    return {key: statistics.median(r[key] for r in results) for key in results[0]} | {"load_ms_max": max(r["load_ms"] for r in results)}


def typo(rng: random.Random, word: str) -> str:
    """Inject one typo: deletion, substitution, insertion or transposition (not in the first letter)."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("delete", "substitute", "insert", "swap"))
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if op == "delete":
        return word[:i] + word[i + 1 :]
    if op == "substitute":
        return word[:i] + letter + word[i + 1 :]
    if op == "insert":
        return word[:i] + letter + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def as_typed(rng: random.Random, name: str) -> str:
    """How people type a name: maybe no accents, lower case, St/Ste, spaces for hyphens."""
    if rng.random() < 0.5:
        name = strip_accents(name)
    if rng.random() < 0.5:
        name = name.lower()
    if rng.random() < 0.5:
        name = name.replace("Saint-", "St ").replace("Sainte-", "Ste ").replace("saint-", "st ").replace("sainte-", "ste ")
    if rng.random() < 0.3:
        name = name.replace("-", " ")
    return name


def generate(resolver: Resolver, count: int, seed: int) -> list[tuple[str, str, set[str]]]:
    """(category, query, acceptable codes) triples; empty set = any answer, [] expected for junk."""
    rng = random.Random(seed)
    data = resolver._data
    communes = sorted(data.communes.values(), key=lambda a: a.code)
    weights = [a.population + 1 for a in communes]
    postcodes = sorted({pc for a in communes for pc in a.postcodes})
    deps = sorted(data.departements.values(), key=lambda a: a.code)
    arrs = sorted(data.arrondissements.values(), key=lambda a: a.code)
    epcis = sorted(data.epcis.values(), key=lambda a: a.code)
    by_key: dict[str, set[str]] = {}
    for a in communes:
        by_key.setdefault(a.key, set()).add(a.code)
    junk = ["", "  ", "12345678", "00000", "azertyuiop", "'; DROP TABLE actors;--", "🎉🎉", "x" * 300, "?", "1"]
    queries: list[tuple[str, str, set[str]]] = []
    while len(queries) < count:
        roll = rng.random()
        if roll < 0.25:  # a commune where people live (population-weighted)
            area = rng.choices(communes, weights)[0]
            queries.append(("commune (pop.-weighted)", as_typed(rng, area.name), by_key[area.key]))
        elif roll < 0.40:  # any commune
            area = rng.choice(communes)
            queries.append(("commune (uniform)", as_typed(rng, area.name), by_key[area.key]))
        elif roll < 0.60:  # with a typo
            area = rng.choices(communes, weights)[0] if rng.random() < 0.5 else rng.choice(communes)
            queries.append(("commune with a typo", typo(rng, as_typed(rng, area.name)), by_key[area.key]))
        elif roll < 0.75:
            queries.append(("postcode", rng.choice(postcodes), set()))
        elif roll < 0.85:
            dep = rng.choice(deps)
            query = dep.code if rng.random() < 0.5 else as_typed(rng, dep.name)
            queries.append(("département", query, {dep.code}))
        elif roll < 0.90:
            arr = rng.choice(arrs)
            city, number = arr.name.split()[:2]
            queries.append(("arrondissement", f"{city} {number.rstrip('er').rstrip('e')}", {arr.code}))
        elif roll < 0.95:
            epci = rng.choice(epcis)
            queries.append(("EPCI", as_typed(rng, epci.name), {epci.code}))
        else:
            queries.append(("junk", rng.choice(junk), {"<none>"}))
    return queries


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args(argv)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    load = measure_load(args.loads)
    print(
        f"load (fresh process, median of {args.loads}): {load['load_ms']:.0f} ms (max {load['load_ms_max']:.0f} ms); "
        f"first fuzzy query {load['first_query_ms']:.1f} ms; RSS +{load['rss_delta_mib']:.1f} MiB"
    )

    resolver = default_resolver()
    queries = generate(resolver, args.queries, args.seed)
    for _, query, _ in queries[:200]:  # warm-up
        resolver.resolve(query)
    timings: dict[str, list[float]] = {}
    top1: dict[str, int] = {}
    top5: dict[str, int] = {}
    all_ms: list[float] = []
    for category, query, expected in queries:
        t0 = time.perf_counter()
        results = resolver.resolve(query)
        elapsed = (time.perf_counter() - t0) * 1000
        all_ms.append(elapsed)
        timings.setdefault(category, []).append(elapsed)
        found = [c.code for c in results]
        if expected == {"<none>"}:
            ok1 = ok5 = not found
        elif not expected:
            ok1 = ok5 = bool(found)
        else:
            ok1 = bool(found) and found[0] in expected
            ok5 = bool(expected & set(found[:5]))
        top1[category] = top1.get(category, 0) + ok1
        top5[category] = top5.get(category, 0) + ok5

    print(
        f"{len(all_ms)} queries: median {statistics.median(all_ms):.2f} ms, p95 {percentile(all_ms, 95):.2f} ms, "
        f"p99 {percentile(all_ms, 99):.2f} ms, max {max(all_ms):.2f} ms"
    )
    print(f"{'category':26} {'n':>5} {'median ms':>10} {'p99 ms':>8} {'top-1':>7} {'top-5':>7}")
    for category, values in timings.items():
        n = len(values)
        print(
            f"{category:26} {n:5d} {statistics.median(values):10.2f} {percentile(values, 99):8.2f} "
            f"{top1[category] / n:7.1%} {top5[category] / n:7.1%}"
        )

    codes = sorted(resolver._data.communes)
    rng = random.Random(args.seed)
    sample = [rng.choice(codes) for _ in range(500)]
    t0 = time.perf_counter()
    resolver.within_radius(sample[0], 35)  # builds the grid index
    grid_ms = (time.perf_counter() - t0) * 1000
    radius_ms = []
    sizes = []
    for code in sample:
        t0 = time.perf_counter()
        sizes.append(len(resolver.within_radius(code, 35)))
        radius_ms.append((time.perf_counter() - t0) * 1000)
    print(
        f"within_radius(35 km): first call {grid_ms:.0f} ms (builds the grid), then median "
        f"{statistics.median(radius_ms):.2f} ms, p99 {percentile(radius_ms, 99):.2f} ms "
        f"(median {statistics.median(sizes):.0f} communes returned)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
