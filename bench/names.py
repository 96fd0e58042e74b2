"""Actor-name lookup cost: :func:`core.text.names_match` over one area's names, as
``storage.coordination.actors_in_area`` does for each name typed (/groupe, /presenter, /recommander).

Run from a tree and from the base side by side, alternating (the machine is shared; process time):
``PYTHONPATH=. python bench/names.py`` prints the CPU milliseconds per query over 20,000 synthetic
names (best of 3 runs of 6 queries: a town hall's other name, a word in many names, a whole name, an
acronym, a name with "et", words in another order).
"""

from __future__ import annotations

import random
import time

from core.text import names_match

WORDS = (
    "association sportive club jardins partages restos coeur ville villeurbanne lyon epicerie solidaire centre "
    "communal action sociale amicale laique ferme urbaine boulangerie gratte ciel tennis badminton maison jeunes culture"
).split()
QUERIES = ("mairie de villeurbanne", "asso", "restos du coeur", "ccas lyon", "tennis et badminton", "jardins partages villeurbanne")


def main(count: int = 20_000, runs: int = 3) -> None:
    rng = random.Random(1)
    names = [" ".join(rng.choice(WORDS).title() for _ in range(rng.randint(2, 6))) + f" {i}" for i in range(count)]
    best = []
    for _ in range(runs):
        start = time.process_time()
        for query in QUERIES:
            [name for name in names if names_match(query, name)]
        best.append((time.process_time() - start) / len(QUERIES) * 1000)
    print(f"names_match: {min(best):.1f} ms CPU per query over {count:,} names (best of {runs})")


if __name__ == "__main__":
    main()
