"""The value object returned by the resolver."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["KINDS", "NAMED", "Candidate", "namesakes"]

KINDS: tuple[str, ...] = ("commune", "arrondissement", "epci", "departement", "region")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A territory matching a query (or looked up by code), with its parents.

    ``score`` is 0..100 (100 = exact name/code/postcode); ``matched`` says what matched:
    "name", "code", "postcode", "former_name", "prefix" or "fuzzy" ("" for lookups by code).
    For EPCI/département/région, ``lat``/``lon`` are population-weighted centroids of their
    communes and ``postcodes`` is empty.
    """

    kind: str
    code: str
    name: str
    departement: str
    departement_name: str
    region: str
    region_name: str
    epci: str | None
    epci_name: str | None
    postcodes: tuple[str, ...]
    population: int
    lat: float | None
    lon: float | None
    score: float = 0.0
    matched: str = ""
    matched_name: str = ""
    parent: str | None = None
    """For an arrondissement, the code of its commune (Paris, Lyon, Marseille)."""
    parent_name: str | None = None

    @property
    def label(self) -> str:
        """Short French label: "Tourcoing (59)", "Rhône (69)", "Métropole de Lyon (EPCI)"."""
        if self.kind in ("commune", "arrondissement", "departement"):
            return f"{self.name} ({self.departement})"
        if self.kind == "epci":
            return f"{self.name} (EPCI)"
        return f"{self.name} (région)"

    @property
    def parent_label(self) -> str:
        """The enclosing territory a user knows best: EPCI, commune, département or région."""
        if self.kind == "commune":
            return self.epci_name or self.departement_name
        if self.kind == "arrondissement":  # « Lyon 3e Arrondissement (69) — Métropole de Lyon », never « — Lyon » again
            return self.epci_name or self.parent_name or self.departement_name
        if self.kind == "epci":
            return self.departement_name
        if self.kind == "departement":
            return self.region_name
        return "France"


NAMED = frozenset(("name", "former_name"))
"""How a candidate matched when the text typed is one of its names, today's or a former one."""


def namesakes(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates of the first one's kind that bear the typed text as a whole name, today's or a
    former one ("naussac": Naussac (12), and Naussac-Fontanes (48), formerly Naussac); more than
    one means the name alone does not say which place is meant: ask."""
    if not candidates or candidates[0].matched not in NAMED:
        return list(candidates[:1])
    first = candidates[0]
    return [c for c in candidates if c.matched in NAMED and c.kind == first.kind]
