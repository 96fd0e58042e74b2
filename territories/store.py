"""Parse the packaged data file (built by ``scripts/build_territories.py``) into plain records."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import NamedTuple

__all__ = ["Area", "Dataset", "DATA_FILE", "load_dataset"]

DATA_FILE = "territories.tsv.gz"
FORMAT_VERSION = "2"


class Area(NamedTuple):
    """One territory as stored: communes, arrondissements, EPCI, départements, régions."""

    kind: str
    code: str
    name: str
    key: str
    """``normalize(name)``, precomputed at build time."""
    departement: str
    region: str
    epci: str
    population: int
    lat: float | None
    lon: float | None
    postcodes: tuple[str, ...] = ()
    parent: str = ""


@dataclass
class Dataset:
    """Everything in the data file, keyed by kind then code."""

    regions: dict[str, Area] = field(default_factory=dict)
    departements: dict[str, Area] = field(default_factory=dict)
    epcis: dict[str, Area] = field(default_factory=dict)
    communes: dict[str, Area] = field(default_factory=dict)
    arrondissements: dict[str, Area] = field(default_factory=dict)
    former_names: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(former code, former name, its normalized key, current commune code)."""
    header: list[str] = field(default_factory=list)


def parse(text: str) -> Dataset:
    """Parse the TSV text of the data file (hot path of the load: kept flat on purpose)."""
    data = Dataset()
    region_of: dict[str, str] = {}
    new = tuple.__new__
    communes, arrondissements = data.communes, data.arrondissements
    for line in text.splitlines():
        tag = line[:1]
        if tag == "C":
            _, code, name, key, dep, epci, pop, lat, lon, postcodes = line.split("\t")
            communes[code] = new(Area, (
                "commune", code, name, key, dep, region_of.get(dep, ""), epci, int(pop),
                float(lat) if lat else None, float(lon) if lon else None, tuple(postcodes.split()), "",
            ))
        elif tag == "F":
            _, code, name, key, current = line.split("\t")
            data.former_names.append((code, name, key, current))
        elif tag == "A":
            _, code, name, key, parent, pop, lat, lon, postcodes = line.split("\t")
            owner = communes[parent]
            arrondissements[code] = Area(
                "arrondissement", code, name, key, owner.departement, owner.region, owner.epci,
                int(pop), float(lat) if lat else None, float(lon) if lon else None, tuple(postcodes.split()), parent,
            )
        elif tag == "E":
            _, code, name, key, _type, dep, pop, lat, lon = line.split("\t")
            data.epcis[code] = Area(
                "epci", code, name, key, dep, region_of.get(dep, ""), code, int(pop),
                float(lat) if lat else None, float(lon) if lon else None,
            )
        elif tag == "D":
            _, code, name, key, region, pop, lat, lon = line.split("\t")
            region_of[code] = region
            data.departements[code] = Area(
                "departement", code, name, key, code, region, "", int(pop),
                float(lat) if lat else None, float(lon) if lon else None,
            )
        elif tag == "R":
            _, code, name, key, pop, lat, lon = line.split("\t")
            data.regions[code] = Area(
                "region", code, name, key, "", code, "", int(pop), float(lat) if lat else None, float(lon) if lon else None
            )
        elif tag == "#":
            data.header.append(line[1:].strip())
    if not data.header or not data.header[0].endswith(f"format {FORMAT_VERSION}"):
        raise ValueError("unsupported territories data file format")
    return data


def load_dataset(path: Path | str | None = None) -> Dataset:
    """Load the packaged data file (or ``path``)."""
    if path is None:
        raw = resources.files("territories").joinpath("data", DATA_FILE).read_bytes()
    else:
        raw = Path(path).read_bytes()
    return parse(gzip.decompress(raw).decode("utf-8"))
