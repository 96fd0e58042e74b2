"""Resolve free text ("St Etienne", "59200", "Lyon 3e", "rhone") to French territories, offline."""

from __future__ import annotations

import bisect
import functools
import gc
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from rapidfuzz import fuzz, process

from .geo import PointGrid, haversine_km
from .model import KINDS, Candidate
from .normalize import normalize
from .store import Area, Dataset, Table, load_dataset

__all__ = ["Resolver", "default_resolver"]

MAX_QUERY_CHARS = 200
MAX_KEY_CHARS = 100
# Scores (0..100). Exact matches always outrank prefixes, which outrank fuzzy matches.
EXACT = 100.0
POSTCODE_PARENT = 99.0  # Paris/Lyon/Marseille for one of their arrondissement postcodes
INSEE_CODE = 97.0
ALIAS = 96.0  # EPCI name without its "CC"/"CA"/"CU" prefix
ARTICLE_ALIAS = 92.0  # "Rochelle" for La Rochelle, "Réunion" for La Réunion
FORMER = 95.0
PREFIX_WORD = 85.0
PREFIX = 82.0
TOWN_POPULATION = 10_000
TOWN_OVER_VILLAGE = 10
"""A town named by its first word (« vaulx ») ranks with the villages of that exact name when this large (see ``_rank``)."""
FUZZY_WEIGHT = 0.9  # fuzzy score = ratio × 0.9 (< 90)
PREFIX_SCAN_LIMIT = 4000
QUALIFIER_SLACK = 10.0  # a "(59)"/"59200" qualifier may demote the best match by this much

_KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}
_KIND_LETTER = {"commune": "c", "arrondissement": "a", "epci": "e", "departement": "d", "region": "r"}
_KIND_OF_LETTER = {letter: kind for kind, letter in _KIND_LETTER.items()}
# How a name-index entry matched: exact name, EPCI alias, name without article, former name.
_ENTRY_SCORES = {"N": (EXACT, "name"), "A": (ALIAS, "name"), "T": (ARTICLE_ALIAS, "name"), "F": (FORMER, "former_name")}
_ARRONDISSEMENT = re.compile(r"^(paris|lyon|marseille) (\d{1,2}) ?(?:e|er|ere|eme|ieme|em|me|d)?(?: ?arr(?:ondissement|t)?)?$")
_DIGITS = re.compile(r"^\d+$")
_KIND_PREFIX = re.compile(
    r"^(?P<kind>commune|arrondissement|epci|d[ée]partement|r[ée]gion)\s*[:\s]\s*(?P<code>\d[0-9AaBb]{1,8}|2[AaBb]\d{0,3})$", re.IGNORECASE
)
_KINDS = {"commune": "commune", "arrondissement": "commune", "epci": "epci", "departement": "departement", "region": "region"}
"""A territory typed with its kind before its code, as the command line prints it."""
_INSEE = re.compile(r"^(?:\d{5}|2[ab]\d{3})$")
_TRAILING_QUALIFIER = re.compile(r"^(?P<name>.*?\D)[\s,(-]*(?P<q>\d{5}|\d{2,3}|2[ab])\)?\s*$", re.IGNORECASE)
_LEADING_POSTCODE = re.compile(r"^\s*(?P<q>\d{5})[\s,-]+(?P<name>\D.*)$")
_EPCI_PREFIXES = {
    "cc": "communaute de communes",
    "ca": "communaute d agglomeration",
    "cu": "communaute urbaine",
}
_ARTICLES = ("des ", "du ", "de ", "d ")  # "de la rochelle" → "la rochelle", like the commune

# A hit: (kind, code) → (score, matched, matched_name)
_Hits = dict[tuple[str, str], tuple[float, str, str]]


_ARTICLE_PREFIXES = ("la ", "le ", "les ", "l ")
_ARTICLE_STARTS = frozenset(a[:2] for a in _ARTICLE_PREFIXES)


def _without_article(key: str) -> str:
    """ "la rochelle" → "rochelle"; "" when the name has no leading article (or would be too short)."""
    for article in _ARTICLE_PREFIXES:
        if key.startswith(article) and len(key) - len(article) >= 4:
            return key[len(article) :]
    return ""


def _epci_aliases(key: str) -> list[str]:
    """Alternative keys for an EPCI: "cc du ternois" → "ternois", "communaute de communes du ternois"."""
    first, _, rest = key.partition(" ")
    if first not in _EPCI_PREFIXES or not rest:
        return []
    aliases = [f"{_EPCI_PREFIXES[first]} {rest}", rest]
    for article in _ARTICLES:
        if rest.startswith(article) and len(rest) > len(article) + 2:
            aliases.append(rest[len(article) :])
            break
    return aliases


class Resolver:
    """In-memory territory resolver. Build with :meth:`load` or :func:`default_resolver`."""

    def __init__(self, data: Dataset) -> None:
        self._data = data
        self._tables: dict[str, Table] = {
            "commune": data.communes,
            "arrondissement": data.arrondissements,
            "epci": data.epcis,
            "departement": data.departements,
            "region": data.regions,
        }
        # normalized key → space-separated entries "<how><kind><code>" (see _ENTRY_SCORES).
        # Plain strings rather than tuples: no containers for the cyclic GC to track, a
        # faster load and less memory; entries are decoded for the few keys a query touches.
        names: dict[str, str] = {}
        get = names.get

        def add(key: str, entry: str) -> None:
            previous = get(key)
            if previous is None:
                names[key] = entry
            elif entry not in previous.split():
                names[key] = f"{previous} {entry}"

        for kind, table in self._tables.items():
            exact, alias_prefix, article_prefix = (
                "N" + _KIND_LETTER[kind],
                "A" + _KIND_LETTER[kind],
                "T" + _KIND_LETTER[kind],
            )
            for key, code in zip(table.keys_, table.codes):
                previous = get(key)
                names[key] = exact + code if previous is None else f"{previous} {exact}{code}"
                if kind == "epci":
                    for alias in _epci_aliases(key):
                        add(alias, alias_prefix + code)
                elif key[:2] in _ARTICLE_STARTS and kind != "arrondissement":
                    alias = _without_article(key)
                    if alias:
                        add(alias, article_prefix + code)
        self._former_display: dict[str, str] = {}
        for _code, name, key, current in data.former_names:
            if current in data.communes:
                add(key, "Fc" + current)
                self._former_display.setdefault(key, name)
        self._names = names
        self._sorted_keys = tuple(sorted(self._names))
        # Keys ordered by length, so that fuzzy matching only scans plausible lengths.
        self._keys_by_length = tuple(sorted(self._names, key=len))
        self._length_starts = [bisect.bisect_left(self._keys_by_length, length, key=len) for length in range(MAX_KEY_CHARS + 2)]
        postcodes: dict[str, list[str]] = defaultdict(list)
        for kind in ("commune", "arrondissement"):
            table = self._tables[kind]
            letter = _KIND_LETTER[kind]
            for code, joined in zip(table.codes, table.postcodes):
                for postcode in joined.split():
                    postcodes[postcode].append(letter + code)
        self._postcodes: dict[str, str] = {postcode: " ".join(refs) for postcode, refs in postcodes.items()}
        arrondissements = data.arrondissements
        # (postcode, commune) pairs where an arrondissement is the more precise answer.
        self._split_postcodes = {
            (pc, parent) for parent, joined in zip(arrondissements.parents, arrondissements.postcodes) for pc in joined.split()
        }
        self._arrondissements: dict[tuple[str, int], str] = {}
        for key, code in zip(arrondissements.keys_, arrondissements.codes):
            match = re.match(r"^(\w+) (\d+)", key)
            if match:
                self._arrondissements[(match.group(1), int(match.group(2)))] = code

    @functools.cached_property
    def _grid(self) -> PointGrid:
        """Spatial index of the communes, built on the first radius query (~30 ms)."""
        table = self._data.communes
        return PointGrid(
            (code, lat, lon) for code, lat, lon in zip(table.codes, table.lats, table.lons) if not (math.isnan(lat) or math.isnan(lon))
        )

    # ------------------------------------------------------------------ construction

    @classmethod
    def load(cls, path: Path | str | None = None) -> Resolver:
        """Load the packaged data file (or ``path``) and index it."""
        # The load allocates ~100k short-lived containers (split rows): pausing the cyclic
        # GC avoids repeated passes over them. What stays (strings, str→str dicts, arrays,
        # a few big tuples) is untracked by the GC after one pass.
        paused = gc.isenabled()
        gc.disable()
        try:
            resolver = cls(load_dataset(path))
        finally:
            if paused:
                gc.enable()
        gc.collect()  # ~5 ms: untracks the big tuples of strings once, not during a query
        return resolver

    @property
    def header(self) -> list[str]:
        """Header lines of the data file: sources, versions, licences, counts."""
        return list(self._data.header)

    # ------------------------------------------------------------------ lookups by code

    def _area(self, kind: str, code: str) -> Area | None:
        table = self._tables.get(kind)
        if table is None or not isinstance(code, str):
            return None
        code = code.strip().upper()
        return table.get(code)

    def _candidate(self, area: Area, score: float = 0.0, matched: str = "", matched_name: str = "") -> Candidate:
        dep = self._data.departements.get(area.departement)
        region = self._data.regions.get(area.region)
        epci = self._data.epcis.get(area.epci) if area.kind in ("commune", "arrondissement") else None
        parent = self._data.communes.get(area.parent) if area.parent else None
        return Candidate(
            kind=area.kind,
            code=area.code,
            name=area.name,
            departement=area.departement,
            departement_name=dep.name if dep else "",
            region=area.region,
            region_name=region.name if region else "",
            epci=epci.code if epci else None,
            epci_name=epci.name if epci else None,
            postcodes=area.postcodes,
            population=area.population,
            lat=area.lat,
            lon=area.lon,
            score=round(score, 1),
            matched=matched,
            matched_name=matched_name,
            parent=parent.code if parent else None,
            parent_name=parent.name if parent else None,
        )

    def commune(self, code_insee: str) -> Candidate | None:
        """The commune (or municipal arrondissement) with this code INSEE."""
        area = self._area("commune", code_insee) or self._area("arrondissement", code_insee)
        return self._candidate(area) if area else None

    def divided(self, kind: str, code: str) -> bool:
        """Whether territory ``kind``/``code`` holds several communes (or arrondissements): one of them
        is then a smaller audience (never so for a commune without arrondissements)."""
        if kind == "arrondissement":
            return False
        if kind == "commune":
            return code.strip().upper() in set(self._data.arrondissements.parents)
        return True

    def area(self, kind: str, code: str) -> Candidate | None:
        """The territory of ``kind`` ("commune", "arrondissement", "epci", "departement", "region")."""
        area = self._area(kind, code)
        return self._candidate(area) if area else None

    def _point_area(self, code: str) -> Area | None:
        return self._area("commune", code) or self._area("arrondissement", code)

    def contains(self, kind: str, code: str, commune_code: str) -> bool:
        """Whether the commune (or arrondissement) ``commune_code`` lies in territory ``kind``/``code``."""
        place = self._point_area(commune_code)
        if place is None or self._area(kind, code) is None:
            return False
        code = code.strip().upper()
        if kind == "commune":
            return code in (place.code, place.parent)
        if kind == "arrondissement":
            return code == place.code
        if kind == "epci":
            return code == place.epci
        if kind == "departement":
            return code == place.departement
        return code == place.region

    def distance_km(self, code_a: str, code_b: str) -> float | None:
        """Great-circle distance between two communes/arrondissements (their reference points)."""
        a, b = self._point_area(code_a), self._point_area(code_b)
        if a is None or b is None or a.lat is None or a.lon is None or b.lat is None or b.lon is None:
            return None
        return haversine_km(a.lat, a.lon, b.lat, b.lon)

    def within_radius(self, code: str, km: float) -> list[str]:
        """Codes of the communes within ``km`` of commune/arrondissement ``code``, nearest first."""
        origin = self._point_area(code)
        if origin is None or origin.lat is None or origin.lon is None:
            return []
        try:
            radius = float(km)
        except (TypeError, ValueError):
            return []
        return [found for _, found in self._grid.within(origin.lat, origin.lon, radius)]

    # ------------------------------------------------------------------ free-text resolution

    def resolve(self, text: str, limit: int = 8) -> list[Candidate]:
        """Rank the territories matching ``text``, best first; [] when nothing sensible."""
        if not isinstance(text, str) or limit <= 0 or len(text) > MAX_QUERY_CHARS:
            return []
        text = text.strip()
        if not text:
            return []
        prefixed = _KIND_PREFIX.match(text)
        if prefixed:  # "epci:200046977", "commune 69266": the form `traitdunion coordinator list` prints
            kind = _KINDS.get(normalize(prefixed["kind"]), "")
            code = prefixed["code"].upper()
            place = self._point_area(code) if kind == "commune" else self._area(kind, code)
            found: _Hits = {}
            if place is not None:
                self._add(found, place.kind, place.code, EXACT, "code")
            return self._rank(found, limit)
        hits = self._qualified(text, limit)
        if hits is None:
            hits = self._hits(text, limit)
        return self._rank(hits, limit)

    def _qualified(self, text: str, limit: int) -> _Hits | None:
        """Handle "Tourcoing (59)", "Saint-Denis 974", "59200 Tourcoing"; None when not qualified."""
        match = _LEADING_POSTCODE.match(text) or _TRAILING_QUALIFIER.match(text)
        if not match:
            return None
        name, qualifier = match.group("name"), match.group("q").upper()
        if not normalize(name) or self._arrondissement_code(normalize(text)):
            return None
        by_name = self._hits(name, max(limit, 50))
        if len(qualifier) == 5 and qualifier in self._postcodes:
            keep = {key: hit for key, hit in by_name.items() if qualifier in self._tables[key[0]][key[1]].postcodes}
            for kind, code in self._refs(self._postcodes[qualifier]):  # "75011 Paris" → Paris 11e first
                parent = ("commune", self._tables[kind][code].parent)
                if kind == "arrondissement" and parent in keep:
                    score, matched, matched_name = keep[parent]
                    keep[(kind, code)] = (score, matched, matched_name)
                    keep[parent] = (score - 1, matched, matched_name)
        elif qualifier in self._data.departements:
            keep = {key: hit for key, hit in by_name.items() if self._tables[key[0]][key[1]].departement == qualifier}
        else:
            return None
        best_kept = max((hit[0] for hit in keep.values()), default=0.0)
        best = max((hit[0] for hit in by_name.values()), default=0.0)
        # A bare number may be no qualifier ("Marseille 17": only fuzzy neighbours in dep 17
        # must not hide Marseille); a postcode or a "(62)" is trusted.
        trusted = len(qualifier) == 5 or "(" in text
        return keep if keep and (trusted or best_kept >= best - QUALIFIER_SLACK) else by_name

    def _hits(self, text: str, limit: int) -> _Hits:
        """All hits for an unqualified query."""
        hits: _Hits = {}
        compact = text.replace(" ", "")
        if _DIGITS.match(compact) or _INSEE.match(compact.lower()):
            self._code_hits(compact.upper(), hits)
            return hits
        key = normalize(text)
        if not key or len(key) > MAX_KEY_CHARS:
            return hits
        if key in ("2a", "2b"):
            self._add(hits, "departement", key.upper(), EXACT, "code")
            return hits
        code = self._arrondissement_code(key)
        if code:
            self._add(hits, "arrondissement", code, EXACT, "name")
            return hits
        for score, matched, kind, code in self._entries(key):
            self._add(hits, kind, code, score, matched, self._former_display[key] if matched == "former_name" else "")
        if len(key) >= 3:
            self._prefix_hits(key, hits)
        if len(key) >= 4 and sum(1 for hit in hits.values() if hit[0] >= EXACT * FUZZY_WEIGHT) < limit:
            self._fuzzy_hits(key, hits)
        return hits

    def _arrondissement_code(self, key: str) -> str | None:
        """ "lyon 3e", "paris 11", "marseille 1er arrondissement" → code INSEE of the arrondissement."""
        match = _ARRONDISSEMENT.match(key)
        return self._arrondissements.get((match.group(1), int(match.group(2)))) if match else None

    def _code_hits(self, digits: str, hits: _Hits) -> None:
        """Numeric queries: département number, postcode, code INSEE."""
        if len(digits) in (2, 3):
            if digits in self._data.departements:
                self._add(hits, "departement", digits, EXACT, "code")
            elif digits == "20":  # Corse before 1976; still the postcode prefix
                self._add(hits, "departement", "2A", EXACT, "code")
                self._add(hits, "departement", "2B", EXACT, "code")
        elif len(digits) == 9:  # the SIREN of an intercommunalité (EPCI)
            if self._area("epci", digits):
                self._add(hits, "epci", digits, EXACT, "code")
        elif len(digits) == 5:
            for kind, code in self._refs(self._postcodes.get(digits, "")):
                shared = (digits, code) in self._split_postcodes
                self._add(hits, kind, code, POSTCODE_PARENT if shared else EXACT, "postcode")
            area = self._point_area(digits)
            if area:
                self._add(hits, area.kind, area.code, INSEE_CODE, "code")

    def _prefix_hits(self, key: str, hits: _Hits) -> None:
        """Names starting with the query ("aix" → Aix-en-Provence, Aix-les-Bains…)."""
        keys = self._sorted_keys
        start = bisect.bisect_right(keys, key)  # the exact key itself is already handled
        stop = bisect.bisect_left(keys, key + "\x7f", lo=start)
        if stop - start > PREFIX_SCAN_LIMIT:
            stop = start + PREFIX_SCAN_LIMIT
        for name in keys[start:stop]:
            score = PREFIX_WORD if name[len(key)] == " " else PREFIX
            for _base, matched, kind, code in self._entries(name):
                if matched == "name":
                    self._add(hits, kind, code, score, "prefix")

    def _fuzzy_hits(self, key: str, hits: _Hits) -> None:
        """Typos: rapidfuzz ``ratio`` over the normalized names of plausible length."""
        cutoff = 80.0 if len(key) >= 6 else 85.0
        # ratio = 2·matches / (len_a + len_b) ≥ cutoff bounds the other name's length.
        c = cutoff / 100.0
        shortest = max(1, int(len(key) * c / (2 - c)))
        longest = min(MAX_KEY_CHARS + 1, int(len(key) * (2 - c) / c) + 1)
        choices = self._keys_by_length[self._length_starts[shortest] : self._length_starts[longest]]
        for name, ratio, _ in process.extract(key, choices, scorer=fuzz.ratio, limit=25, score_cutoff=cutoff):
            if name == key:
                continue
            for base, matched, kind, code in self._entries(name):
                former = self._former_display[name] if matched == "former_name" else ""
                self._add(hits, kind, code, ratio * FUZZY_WEIGHT * base / EXACT, "fuzzy", former)

    def _entries(self, key: str) -> Iterator[tuple[float, str, str, str]]:
        """Decode the index entries of ``key``: (base score, matched, kind, code)."""
        for entry in self._names.get(key, "").split():
            score, matched = _ENTRY_SCORES[entry[0]]
            yield score, matched, _KIND_OF_LETTER[entry[1]], entry[2:]

    @staticmethod
    def _refs(joined: str) -> Iterator[tuple[str, str]]:
        """Decode "c59599 a75111" into (kind, code) pairs."""
        for ref in joined.split():
            yield _KIND_OF_LETTER[ref[0]], ref[1:]

    def _towns_before_villages(self, hits: _Hits) -> _Hits:
        """A town whose name starts with the word typed ranks with the villages named exactly so when it is
        ``TOWN_OVER_VILLAGE`` times as large as the largest of them and has ``TOWN_POPULATION`` people or more
        (« vaulx »: Vaulx-en-Velin, 50,000, before the villages Vaulx (74) and Vaulx (62); « villeneuve »:
        Villeneuve-d'Ascq before the Villeneuves); population then orders them."""
        exact = [self._tables[kind].population(code) for (kind, code), hit in hits.items() if hit[0] == EXACT and kind == "commune"]
        if not exact:
            return hits
        largest = max(exact)
        promoted = dict(hits)
        for (kind, code), (score, matched, name) in hits.items():
            if kind != "commune" or score != PREFIX_WORD:
                continue
            people = self._tables[kind].population(code)
            if people >= TOWN_POPULATION and people >= TOWN_OVER_VILLAGE * largest:
                promoted[(kind, code)] = (EXACT, matched, name)
        return promoted

    @staticmethod
    def _add(hits: _Hits, kind: str, code: str, score: float, matched: str, matched_name: str = "") -> None:
        previous = hits.get((kind, code))
        if previous is None or score > previous[0]:
            hits[(kind, code)] = (score, matched, matched_name)

    def _rank(self, hits: _Hits, limit: int) -> list[Candidate]:
        """Sort by score, then population, then kind; build the candidates."""
        hits = self._towns_before_villages(hits)
        ordered = sorted(
            hits.items(),
            key=lambda item: (
                -item[1][0],
                -self._tables[item[0][0]].population(item[0][1]),
                _KIND_ORDER[item[0][0]],
                item[0][1],
            ),
        )
        return [
            self._candidate(self._tables[kind][code], score, matched, matched_name)
            for (kind, code), (score, matched, matched_name) in ordered[:limit]
        ]


@functools.lru_cache(maxsize=1)
def default_resolver() -> Resolver:
    """The shared resolver over the packaged data, loaded on first use."""
    return Resolver.load()
