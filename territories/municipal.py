"""Paris, Lyon and Marseille: communes divided into municipal arrondissements (loi PLM, 1982).

People register in "Lyon 3e" (code INSEE 69383) as often as in "Lyon" (69123): a territory
of Lyon must include its arrondissements, and an arrondissement is a territory of its own.
The list is fixed by law; ``tests/test_territories.py`` checks it against the packaged data.
"""

from __future__ import annotations

ARRONDISSEMENTS: dict[str, tuple[str, ...]] = {
    "75056": tuple(f"751{n:02d}" for n in range(1, 21)),  # Paris
    "69123": tuple(f"6938{n}" for n in range(1, 10)),  # Lyon
    "13055": tuple(f"132{n:02d}" for n in range(1, 17)),  # Marseille
}


def commune_codes(code: str) -> tuple[str, ...]:
    """The codes an actor of commune ``code`` may be stored with: itself and its arrondissements."""
    return (code, *ARRONDISSEMENTS.get(code, ()))
