"""Great-circle distance and a small grid index for radius queries."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

__all__ = ["EARTH_RADIUS_KM", "PointGrid", "haversine_km"]

EARTH_RADIUS_KM = 6371.0088
_KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class PointGrid:
    """Buckets points into cells of ``cell_deg`` degrees to answer "within R km" cheaply."""

    def __init__(self, points: Iterable[tuple[str, float, float]], cell_deg: float = 0.25) -> None:
        self._cell = cell_deg
        self._cells: dict[tuple[int, int], list[tuple[str, float, float]]] = defaultdict(list)
        self._all: list[tuple[str, float, float]] = []
        for key, lat, lon in points:
            self._cells[self._key(lat, lon)].append((key, lat, lon))
            self._all.append((key, lat, lon))
        self._cells = dict(self._cells)

    def _key(self, lat: float, lon: float) -> tuple[int, int]:
        return (math.floor(lat / self._cell), math.floor(lon / self._cell))

    def within(self, lat: float, lon: float, km: float) -> list[tuple[float, str]]:
        """(distance, key) of the points within ``km`` of (lat, lon), nearest first."""
        if not (km >= 0 and math.isfinite(km)):
            return []
        dlat = km / _KM_PER_DEGREE
        coslat = max(math.cos(math.radians(lat)), 0.01)
        dlon = min(km / (_KM_PER_DEGREE * coslat), 180.0)
        lat0, lon0 = self._key(lat - dlat, lon - dlon)
        lat1, lon1 = self._key(lat + dlat, lon + dlon)
        ncells = (lat1 - lat0 + 1) * (lon1 - lon0 + 1)
        if ncells > len(self._cells) or dlon >= 180.0:
            candidates: Iterable[tuple[str, float, float]] = self._all
        else:
            candidates = (point for i in range(lat0, lat1 + 1) for j in range(lon0, lon1 + 1) for point in self._cells.get((i, j), ()))
        found: list[tuple[float, str]] = []
        for key, plat, plon in candidates:
            if abs(plat - lat) <= dlat:
                distance = haversine_km(lat, lon, plat, plon)
                if distance <= km:
                    found.append((distance, key))
        found.sort()
        return found
