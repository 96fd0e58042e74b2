"""Zones of action, their overlap, geographic closeness and a small grid index.

A zone is built around an *anchor* commune: the commune itself, its EPCI, its département,
or a disk of ``radius_km`` around the commune's reference point. Conceptually a zone is a
set of communes; overlap is decided without expanding it:

* two administrative zones overlap when they agree at the coarser of their two levels
  (commune < EPCI < département): commune C vs EPCI E ⇔ C ∈ E; EPCI E vs département D ⇔
  E's anchor commune ∈ D; commune vs commune ⇔ same code; and so on;
* a disk (centre P, radius r) and an administrative zone Z overlap when P's commune lies in
  Z, or when Z's anchor commune lies within r of P (exact for a commune zone; for EPCI and
  département zones the anchor stands for the area — a disk that only grazes a far corner
  of a département is not counted);
* two disks overlap when the distance between the centres is ≤ r1 + r2.

An EPCI spanning two départements is compared by its code, so it overlaps the commune zones
of both sides.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from .model import Place

__all__ = [
    "COMMUNE",
    "DEPARTEMENT",
    "EPCI",
    "RADIUS",
    "Grid",
    "Zone",
    "closeness",
    "contains",
    "distance_km",
    "haversine_km",
    "zones_overlap",
]

COMMUNE, EPCI, DEPARTEMENT, RADIUS = 0, 1, 2, 3
LEVELS = {"commune": COMMUNE, "epci": EPCI, "departement": DEPARTEMENT, "radius": RADIUS}
EARTH_RADIUS_KM = 6371.0088  # same as territories.geo
_KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0


class Zone(NamedTuple):
    """A zone of action: its level and the codes/point of its anchor."""

    level: int  # COMMUNE, EPCI, DEPARTEMENT or RADIUS
    commune: str
    epci: str
    departement: str
    lat: float | None
    lon: float | None
    radius_km: float = 0.0

    @classmethod
    def build(cls, zone_kind: str, zone_code: str, radius_km: float | None, anchor: Place) -> Zone:
        """The zone ``zone_kind``/``zone_code`` built around ``anchor``.

        The zone's own code wins over the anchor's for its level (an EPCI zone's EPCI is
        ``zone_code``); unknown kinds are treated as a commune zone on the anchor.
        """
        level = LEVELS.get(zone_kind, COMMUNE)
        commune = anchor.commune_code or ""
        epci = anchor.epci_code or ""
        dep = anchor.departement_code or ""
        if zone_code:
            if level in (COMMUNE, RADIUS):
                commune = commune or zone_code  # the anchor *is* the zone's commune
            elif level == EPCI:
                epci = zone_code
            elif level == DEPARTEMENT:
                dep = zone_code
        radius = float(radius_km or 0.0) if level == RADIUS else 0.0
        return cls(level, commune, epci, dep, anchor.lat, anchor.lon, radius)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_km(a: Zone | Place, b: Zone | Place) -> float | None:
    """Distance between the anchors (None when a coordinate is missing)."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def contains(zone: Zone, commune: str, epci: str, departement: str) -> bool:
    """Whether the administrative ``zone`` contains the commune with these codes."""
    level = zone.level
    if level == COMMUNE:
        return bool(commune) and zone.commune == commune
    if level == EPCI:
        return bool(epci) and zone.epci == epci
    if level == DEPARTEMENT:
        return bool(departement) and zone.departement == departement
    return False


def zones_overlap(a: Zone, b: Zone) -> bool:
    """Whether zones ``a`` and ``b`` share at least one commune (see the module docstring)."""
    if a.level == RADIUS and b.level == RADIUS:
        d = distance_km(a, b)
        return d is not None and d <= a.radius_km + b.radius_km
    if a.level == RADIUS or b.level == RADIUS:
        disk, other = (a, b) if a.level == RADIUS else (b, a)
        if contains(other, disk.commune, disk.epci, disk.departement):
            return True
        d = distance_km(disk, other)
        return d is not None and d <= disk.radius_km
    level = max(a.level, b.level)
    if level == COMMUNE:
        return bool(a.commune) and a.commune == b.commune
    if level == EPCI:
        return bool(a.epci) and a.epci == b.epci
    return bool(a.departement) and a.departement == b.departement


# Closeness of two anchors, best first.
SAME_COMMUNE, SAME_EPCI, SAME_DEPARTEMENT, FARTHER = 0, 1, 2, 3


def closeness(a: Place, b: Place) -> tuple[int, float | None]:
    """(SAME_COMMUNE | SAME_EPCI | SAME_DEPARTEMENT | FARTHER, distance in km or None)."""
    d = distance_km(a, b)
    if a.commune_code and a.commune_code == b.commune_code:
        return SAME_COMMUNE, d
    if a.epci_code and a.epci_code == b.epci_code:
        return SAME_EPCI, d
    if a.departement_code and a.departement_code == b.departement_code:
        return SAME_DEPARTEMENT, d
    return FARTHER, d


class Grid:
    """Items bucketed by cells of ``cell_deg`` degrees around their point."""

    def __init__(self, cell_deg: float = 0.5) -> None:
        self.cell = cell_deg
        self.cells: dict[tuple[int, int], list[int]] = {}

    def add(self, item: int, lat: float, lon: float) -> None:
        key = (math.floor(lat / self.cell), math.floor(lon / self.cell))
        bucket = self.cells.get(key)
        if bucket is None:
            self.cells[key] = [item]
        else:
            bucket.append(item)

    def near(self, lat: float, lon: float, km: float) -> list[list[int]]:
        """The cell lists that may hold points within ``km`` of (lat, lon), nearest cells first."""
        cell = self.cell
        dlat = km / _KM_PER_DEGREE
        dlon = min(km / (_KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01)), 180.0)
        i0, i1 = math.floor((lat - dlat) / cell), math.floor((lat + dlat) / cell)
        j0, j1 = math.floor((lon - dlon) / cell), math.floor((lon + dlon) / cell)
        ci, cj = math.floor(lat / cell), math.floor(lon / cell)
        found = []
        cells = self.cells
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                bucket = cells.get((i, j))
                if bucket:
                    found.append((abs(i - ci) + abs(j - cj), i, j, bucket))
        found.sort(key=lambda item: item[:3])
        return [item[3] for item in found]
