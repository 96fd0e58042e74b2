"""Synthetic France-wide population written straight into a migrated database (bench helper).

``populate(path, actors, listings_per_actor)`` inserts actors on real communes drawn in
proportion to their population, each with a Telegram-like identity on platform ``bench``
(user id and chat id ``p<actor id>``) and its listings (needs and offers over the real
categories, zones commune / EPCI / département / radius, French descriptions), with
``executemany`` in one transaction, then ``ANALYZE``. Everyone agreed to matching, weekly.
Every listing and actor also gets a stored meaning vector, synthetic like ``bench/matching.py``'s
(a direction per category, skill and one of 30 topics, plus noise, as int8 blobs): without them
the round would first compute every vector with the real model, which is not what is measured.
"""

from __future__ import annotations

import json
import math
import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from core.catalog import ACTOR_TYPES, CATEGORIES, SKILLS, THEME_VALUES
from territories import default_resolver

WORDS = """
aide alimentaire accompagnement scolaire atelier jardin partagé potager compost épicerie solidaire
distribution colis repas seniors jeunes enfants familles quartier insertion emploi formation
numérique ordinateurs démarches administratives comptabilité subvention mécénat financement
communication site web local salle réunion stockage camion transport vélo réparation recyclerie
théâtre musique festival bibliothèque sport santé prévention handicap logement migrants langue
environnement biodiversité énergie rénovation citoyenneté bénévoles planning logistique bricolage
cuisine agriculture producteurs école étudiants tutorat entreprises compétences mairie territoire
""".split()
PLATFORM = "bench"
STAMP = "2026-05-01T08:00:00+00:00"


def populate(path: Path, actors: int, listings_per_actor: int = 3, seed: int = 7, today: date = date(2026, 6, 1)) -> None:
    """Fill the (already migrated) database at ``path``."""
    rng = random.Random(seed)
    communes = default_resolver()._data.communes  # bench only: the columns of the data file
    rows = [
        i
        for i in range(len(communes.codes))
        if communes.populations[i] > 0 and not math.isnan(communes.lats[i]) and not math.isnan(communes.lons[i])
    ]
    picks = rng.choices(rows, weights=[communes.populations[i] for i in rows], k=actors)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    base = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM actors").fetchone()[0])
    actor_rows, identity_rows, listing_rows = [], [], []
    for offset, row in enumerate(picks, start=1):
        actor_id = base + offset
        code, epci, dep = communes.codes[row], communes.epcis[row] or None, communes.departements[row]
        themes = rng.sample(THEME_VALUES, rng.randint(1, 3))
        place = json.dumps({"code": code, "label": code, "kind": "commune", "epci": epci, "departement": dep})
        actor_rows.append(
            (
                actor_id,
                rng.choices(ACTOR_TYPES, weights=(60, 25, 10, 5))[0],
                f"Structure {actor_id}",
                code,
                place,
                epci,
                dep,
                json.dumps(themes),
                " ".join(rng.choices(WORDS, k=rng.randint(5, 14))),
                STAMP,
                STAMP,
            )
        )
        identity_rows.append((PLATFORM, f"p{actor_id}", f"p{actor_id}", actor_id, STAMP))
        for _ in range(listings_per_actor):
            category = rng.choices(CATEGORIES, weights=(25, 25, 12, 10, 12, 12, 4))[0]
            zone_kind = rng.choices(("commune", "epci", "departement", "radius"), weights=(30, 35, 15, 20))[0]
            if zone_kind == "epci" and not epci:
                zone_kind = "commune"
            zone_code = {"commune": code, "epci": epci, "departement": dep, "radius": code}[zone_kind]
            created = today - timedelta(days=rng.randint(0, 150))
            listing_rows.append(
                (
                    actor_id,
                    rng.choice(("need", "offer")),
                    category,
                    rng.choice(SKILLS) if category == "competences" else None,
                    json.dumps(rng.sample(themes, rng.randint(1, len(themes)))),
                    " ".join(rng.choices(WORDS, k=rng.randint(4, 12))),
                    zone_kind,
                    zone_code,
                    zone_code,
                    rng.choice((10, 35)) if zone_kind == "radius" else None,
                    (created + timedelta(days=365)).isoformat(),
                    created.isoformat() + "T08:00:00+00:00",
                    STAMP,
                )
            )
    conn.executemany(
        """INSERT INTO actors (id, kind, name, commune_code, place, epci_code, departement_code, themes, description,
           consent_matching, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)""",
        actor_rows,
    )
    conn.executemany("INSERT INTO identities (platform, user_id, chat_id, actor_id, created_at) VALUES (?, ?, ?, ?, ?)", identity_rows)
    conn.executemany(
        """INSERT INTO listings (actor_id, kind, category, subcategory, themes, description, zone_kind, zone_code,
           zone_label, radius_km, expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        listing_rows,
    )
    _synthetic_vectors(conn, base, seed)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def _synthetic_vectors(conn: sqlite3.Connection, base: int, seed: int) -> None:
    """Store a synthetic vector for the listings and actors just written (ids above ``base``)."""
    import numpy as np

    from matching.vectors import DIM, encode_blob

    rng = np.random.default_rng(seed)
    centers: dict[tuple[str, str, int], np.ndarray] = {}

    def vector(key: tuple[str, str, int]) -> bytes:
        if key not in centers:
            center = rng.standard_normal(DIM).astype(np.float32)
            centers[key] = center / np.linalg.norm(center)
        noisy = centers[key] + rng.standard_normal(DIM).astype(np.float32) / np.sqrt(DIM)
        return encode_blob(noisy / np.linalg.norm(noisy), 0.25)

    listings = conn.execute("SELECT id, category, COALESCE(subcategory, '') FROM listings WHERE actor_id > ?", (base,)).fetchall()
    rows = [("listing", lid, vector((category, sub, lid * 2654435761 % 30))) for lid, category, sub in listings]
    keys = list(centers) or [("profile", "", topic) for topic in range(30)]  # no listings: profiles alone
    actors = conn.execute("SELECT id FROM actors WHERE id > ?", (base,)).fetchall()
    rows += [("actor", aid, vector(keys[int(rng.integers(len(keys)))])) for (aid,) in actors]
    conn.executemany("INSERT OR REPLACE INTO embeddings (owner, owner_id, vector) VALUES (?, ?, ?)", rows)
    # the insert triggers queued every new description for the model: their vectors are written
    conn.executemany("DELETE FROM embedding_queue WHERE owner = ? AND owner_id = ?", [(owner, owner_id) for owner, owner_id, _ in rows])


def load_line() -> str:
    """The load average, as printed beside each figure."""
    import os

    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
