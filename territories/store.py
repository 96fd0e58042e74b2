"""Parse the packaged data file (built by ``scripts/build_territories.py``) into plain records."""

from __future__ import annotations

import gzip
from array import array
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from collections.abc import Iterator, Mapping
from typing import NamedTuple

__all__ = ["Area", "Dataset", "Table", "DATA_FILE", "load_dataset"]

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


_NAN = float("nan")


def _coordinate(value: float) -> float | None:
    return None if value != value else value  # NaN → None


class Table(Mapping[str, Area]):
    """Read-only ``code → Area`` mapping stored column-wise; an ``Area`` is built on access.

    Columns keep the load fast (no per-row object) and the memory small; the resolver reads
    the columns directly in its hot loops.
    """

    def __init__(self, kind: str, rows: list[list[str]], columns: tuple[str, ...]) -> None:
        self.kind = kind
        n = len(rows)
        values: dict[str, tuple[str, ...]] = dict(zip(columns, zip(*rows))) if rows else {c: () for c in columns}
        self.codes: tuple[str, ...] = values["code"]
        self.names: tuple[str, ...] = values["name"]
        self.keys_: tuple[str, ...] = values["key"]
        # Arrays, not lists: 8 bytes per value and invisible to the cyclic GC. NaN = unknown.
        self.populations = array("q", map(int, values["population"]))
        self.lats = array("d", [float(v) if v else _NAN for v in values["lat"]])
        self.lons = array("d", [float(v) if v else _NAN for v in values["lon"]])
        # Repeated values share one string object (saves ~6 MiB on the communes).
        self.departements: tuple[str, ...] = tuple(map(sys.intern, values.get("departement", ("",) * n)))
        self.regions: tuple[str, ...] = tuple(map(sys.intern, values.get("region", ("",) * n)))
        self.epcis: tuple[str, ...] = tuple(map(sys.intern, values.get("epci", ("",) * n)))
        self.postcodes: tuple[str, ...] = tuple(map(sys.intern, values.get("postcodes", ("",) * n)))
        """Space-separated postcodes (split on access)."""
        self.parents: tuple[str, ...] = tuple(map(sys.intern, values.get("parent", ("",) * n)))
        self.index: dict[str, int] = {code: i for i, code in enumerate(self.codes)}

    def row(self, i: int) -> Area:
        """The ``Area`` at row ``i``."""
        return Area(
            self.kind, self.codes[i], self.names[i], self.keys_[i], self.departements[i], self.regions[i],
            self.epcis[i], self.populations[i], _coordinate(self.lats[i]), _coordinate(self.lons[i]),
            tuple(self.postcodes[i].split()),
            self.parents[i],
        )

    def __getitem__(self, code: str) -> Area:
        return self.row(self.index[code])

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, code: object) -> bool:
        return code in self.index

    def population(self, code: str) -> int:
        """Population of ``code`` without building an ``Area``."""
        return self.populations[self.index[code]]


@dataclass
class Dataset:
    """Everything in the data file, keyed by kind then code."""

    regions: Table
    departements: Table
    epcis: Table
    communes: Table
    arrondissements: Table
    former_names: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(former code, former name, its normalized key, current commune code)."""
    header: list[str] = field(default_factory=list)


_COLUMNS = {
    "R": ("tag", "code", "name", "key", "population", "lat", "lon"),
    "D": ("tag", "code", "name", "key", "region", "population", "lat", "lon"),
    "E": ("tag", "code", "name", "key", "type", "departement", "population", "lat", "lon"),
    "C": ("tag", "code", "name", "key", "departement", "epci", "population", "lat", "lon", "postcodes"),
    "A": ("tag", "code", "name", "key", "parent", "population", "lat", "lon", "postcodes"),
    "F": ("tag", "code", "name", "key", "current"),
}


def parse(text: str) -> Dataset:
    """Parse the TSV text of the data file."""
    header: list[str] = []
    rows: dict[str, list[list[str]]] = {tag: [] for tag in _COLUMNS}
    for line in text.splitlines():
        tag = line[:1]
        if tag in rows:
            rows[tag].append(line.split("\t"))
        elif tag == "#":
            header.append(line[1:].strip())
    if not header or not header[0].endswith(f"format {FORMAT_VERSION}"):
        raise ValueError("unsupported territories data file format")
    widths = {tag: len(columns) for tag, columns in _COLUMNS.items()}
    for tag, tagged in rows.items():
        if set(map(len, tagged)) - {widths[tag]}:
            raise ValueError(f"malformed {tag} row in the territories data file")

    region_of = {row[1]: row[4] for row in rows["D"]}
    # Derived columns: région of communes/EPCI (from their département); arrondissements
    # inherit département, région and EPCI from their commune.
    for row in rows["D"]:
        row.append(row[1])  # departement = itself
    for row in rows["E"]:
        row.extend((region_of.get(row[5], ""), row[1]))  # region, epci = itself
    for row in rows["C"]:
        row.append(region_of.get(row[4], ""))
    commune_row = {row[1]: row for row in rows["C"]}
    for row in rows["A"]:
        owner = commune_row[row[4]]
        row.extend((owner[4], owner[10], owner[5]))  # departement, region, epci
    for row in rows["R"]:
        row.append(row[1])  # region = itself
    return Dataset(
        regions=Table("region", rows["R"], _COLUMNS["R"] + ("region",)),
        departements=Table("departement", rows["D"], _COLUMNS["D"] + ("departement",)),
        epcis=Table("epci", rows["E"], _COLUMNS["E"] + ("region", "epci")),
        communes=Table("commune", rows["C"], _COLUMNS["C"] + ("region",)),
        arrondissements=Table("arrondissement", rows["A"], _COLUMNS["A"] + ("departement", "region", "epci")),
        former_names=[(row[1], row[2], row[3], row[4]) for row in rows["F"]],
        header=header,
    )


def load_dataset(path: Path | str | None = None) -> Dataset:
    """Load the packaged data file (or ``path``)."""
    if path is None:
        raw = resources.files("territories").joinpath("data", DATA_FILE).read_bytes()
    else:
        raw = Path(path).read_bytes()
    return parse(gzip.decompress(raw).decode("utf-8"))
