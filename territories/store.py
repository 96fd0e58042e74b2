"""Parse the packaged data file (built by ``scripts/build_territories.py``) into plain records."""

from __future__ import annotations

import gzip
import math
import sys
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import NamedTuple

__all__ = ["COLUMNS", "DATA_FILE", "Area", "Dataset", "Table", "load_dataset"]

DATA_FILE = "territories.tsv.gz"
FORMAT_VERSION = "3"


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
    return None if math.isnan(value) else value


class Table(Mapping[str, Area]):
    """Read-only ``code → Area`` mapping stored column-wise; an ``Area`` is built on access.

    Columns keep the load fast (no per-row object) and the memory small; the resolver reads
    the columns directly in its hot loops.
    """

    def __init__(self, kind: str, values: Mapping[str, Sequence[str]]) -> None:
        self.kind = kind
        n = len(values["code"])
        self.codes: Sequence[str] = values["code"]
        self.names: Sequence[str] = values["name"]
        self.keys_: Sequence[str] = values["key"]
        # Arrays, not lists: 8 bytes per value and invisible to the cyclic GC. NaN = unknown.
        self.populations = array("q", map(int, values["population"]))
        self.lats = array("d", [float(v) if v else _NAN for v in values["lat"]])
        self.lons = array("d", [float(v) if v else _NAN for v in values["lon"]])
        # Repeated values share one string object (saves ~6 MiB on the communes).
        self.departements: tuple[str, ...] = tuple(map(sys.intern, values.get("departement", ("",) * n)))
        self.regions: tuple[str, ...] = tuple(map(sys.intern, values.get("region", ("",) * n)))
        self.epcis: tuple[str, ...] = tuple(map(sys.intern, values.get("epci", ("",) * n)))
        self.postcodes: Sequence[str] = values.get("postcodes", ("",) * n)
        """Space-separated postcodes (split on access)."""
        self.parents: Sequence[str] = values.get("parent", ("",) * n)
        self.index: dict[str, int] = {code: i for i, code in enumerate(self.codes)}

    def row(self, i: int) -> Area:
        """The ``Area`` at row ``i``."""
        return Area(
            self.kind,
            self.codes[i],
            self.names[i],
            self.keys_[i],
            self.departements[i],
            self.regions[i],
            self.epcis[i],
            self.populations[i],
            _coordinate(self.lats[i]),
            _coordinate(self.lons[i]),
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


COLUMNS: dict[str, tuple[str, ...]] = {
    "R": ("code", "name", "key", "population", "lat", "lon"),
    "D": ("code", "name", "key", "region", "population", "lat", "lon"),
    "E": ("code", "name", "key", "type", "departement", "population", "lat", "lon"),
    "C": ("code", "name", "key", "departement", "epci", "population", "lat", "lon", "postcodes"),
    "A": ("code", "name", "key", "parent", "population", "lat", "lon", "postcodes"),
    "F": ("code", "name", "key", "current"),
}
"""The columns of each kind of line of the packaged data file (written by ``scripts/build_territories.py``)."""


def parse(text: str) -> Dataset:
    """Parse the data file: header comments, then one ``TAG:column<TAB>values…`` line per column."""
    header: list[str] = []
    columns: dict[str, dict[str, list[str]]] = {tag: {} for tag in COLUMNS}
    counts: dict[str, int] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            header.append(line[1:].strip())
            continue
        head, _, rest = line.partition("\t")
        tag, _, column = head.partition(":")
        if tag not in columns:
            continue
        if column == "count":
            counts[tag] = int(rest)
        else:
            columns[tag][column] = rest.split("\t") if counts.get(tag) else []
    if not header or not header[0].endswith(f"format {FORMAT_VERSION}"):
        raise ValueError("unsupported territories data file format")
    for tag, names in COLUMNS.items():
        table = columns[tag]
        if set(table) != set(names) or any(len(v) != counts.get(tag) for v in table.values()):
            raise ValueError(f"malformed {tag} section in the territories data file")

    # Derived columns: région of communes/EPCI (from their département); arrondissements
    # inherit département, région and EPCI from their commune.
    dep, epci, commune, arr, region = columns["D"], columns["E"], columns["C"], columns["A"], columns["R"]
    region_of = dict(zip(dep["code"], dep["region"]))
    dep["departement"] = dep["code"]
    region["region"] = region["code"]
    epci["region"] = [region_of.get(code, "") for code in epci["departement"]]
    epci["epci"] = epci["code"]
    commune["region"] = [region_of.get(code, "") for code in commune["departement"]]
    row_of = {code: i for i, code in enumerate(commune["code"])}
    owners = [row_of[code] for code in arr["parent"]]
    for name in ("departement", "region", "epci"):
        arr[name] = [commune[name][i] for i in owners]
    former = columns["F"]
    return Dataset(
        regions=Table("region", region),
        departements=Table("departement", dep),
        epcis=Table("epci", epci),
        communes=Table("commune", commune),
        arrondissements=Table("arrondissement", arr),
        former_names=list(zip(former["code"], former["name"], former["key"], former["current"])),
        header=header,
    )


def load_dataset(path: Path | str | None = None) -> Dataset:
    """Load the packaged data file (or ``path``)."""
    if path is None:
        raw = resources.files("territories").joinpath("data", DATA_FILE).read_bytes()
    else:
        raw = Path(path).read_bytes()
    return parse(gzip.decompress(raw).decode("utf-8"))
