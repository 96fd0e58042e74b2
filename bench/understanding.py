#!/usr/bin/env python3
"""Benchmark of the free-sentence guess (``conversations.understanding.guess_listing``), which runs on
most messages: CPU (process time) for a few everyday sentences × ``--rounds``, best of ``--repeat``.

Run on demand (never part of the test suite), from a worktree and from the base side by side::

    PYTHONPATH=$PWD .venv/bin/python bench/understanding.py [--rounds 3000] [--repeat 5]

Target: within +20 % of the base it is compared with (trial 6: +2 to +15 % on a loaded machine).
"""

from __future__ import annotations

import argparse
import os
import time

from conversations.understanding import guess_listing

SENTENCES = (
    "on cherche des bénévoles le samedi matin",
    "Nous pouvons prêter notre camion le week-end",
    "Bonjour, je voudrais changer de ville",
    "Les Jardins Partagés",
    "oui",
    "We need volunteers for our food bank on Saturdays",
    "Notre cabinet peut offrir des heures de conseil juridique aux associations du quartier",
    "On cherche des bénévoles pour la distribution du samedi et un local pour stocker les denrées",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    best = float("inf")
    for _ in range(args.repeat):
        start = time.process_time()
        for _ in range(args.rounds):
            for sentence in SENTENCES:
                guess_listing(sentence)
        best = min(best, time.process_time() - start)
    count = args.rounds * len(SENTENCES)
    print(f"{os.getcwd()}: {best * 1000:.0f} ms CPU for {count} guesses ({best / count * 1e6:.1f} µs each), load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
