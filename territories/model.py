"""The value object returned by the resolver."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KINDS", "Candidate"]

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
        if self.kind == "arrondissement":
            return self.parent_name or self.departement_name
        if self.kind == "epci":
            return self.departement_name
        if self.kind == "departement":
            return self.region_name
        return "France"
