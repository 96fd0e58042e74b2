"""Command line: ``python -m territories.cli QUERY`` (wired as ``traitdunion territory QUERY``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from .model import Candidate
from .resolver import default_resolver

__all__ = ["format_candidate", "main"]

COLUMNS = ("code", "nom", "departement", "epci", "lat", "lon", "type", "correspondance", "score")


def _coordinate(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def format_candidate(candidate: Candidate) -> str:
    """One tab-separated line: code, name, département, EPCI name, lat, lon, kind, matched, score."""
    matched = candidate.matched + (f" ({candidate.matched_name})" if candidate.matched_name else "")
    return "\t".join(
        (
            candidate.code,
            candidate.name,
            candidate.departement,
            candidate.epci_name or "",
            _coordinate(candidate.lat),
            _coordinate(candidate.lon),
            candidate.kind,
            matched,
            f"{candidate.score:g}",
        )
    )


def main(argv: list[str] | None = None, not_found: Callable[[str], str] | None = None) -> int:
    """Print the territories matching the query; 0 when found, 1 otherwise (``not_found``: the
    message then, in the language of the caller — ``traitdunion territory`` passes its catalog's)."""
    parser = argparse.ArgumentParser(
        prog="traitdunion territory",
        description="Trouver une commune, un arrondissement, un EPCI, un département ou une région (hors ligne).",
    )
    parser.add_argument("query", nargs="+", help='nom, code postal, numéro de département… ex. "St Etienne", 59200, 2A')
    parser.add_argument("-n", "--limit", type=int, default=8, help="nombre maximal de résultats (défaut : 8)")
    parser.add_argument("--header", action="store_true", help="afficher une ligne d'en-tête")
    args = parser.parse_args(argv)
    query = " ".join(args.query)
    candidates = default_resolver().resolve(query, limit=args.limit)
    if not candidates and not_found is not None:
        print(not_found(query), file=sys.stderr)
        return 1
    if not candidates:
        print(
            f"Aucun territoire trouvé pour « {query} ». Essayez un nom de commune, un code postal (59200), "
            "un numéro de département (69, 2A, 974) ou le nom d'un EPCI ou d'une région.",
            file=sys.stderr,
        )
        return 1
    if args.header:
        print("\t".join(COLUMNS))
    for candidate in candidates:
        print(format_candidate(candidate))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
