"""A collectivité governing an intercommunalité or a département gets theme partners across its
territory, not only in the commune of its seat (console trial, 30/11/2026 evening); a town hall
still only in its commune."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conversations.i18n import translate
from matching import History, MatchingConfig, explain, suggest_round
from matching.model import Place
from matching.theme_pairs import authority_territory
from territories import default_resolver
from tests.test_matching import LYON, METROPOLE_LYON, MIRIBEL, TODAY, VILLEURBANNE, actor

VILLEFRANCHE = "69264"  # Rhône, outside the Métropole de Lyon
GIVORS = "69091"  # Métropole de Lyon


@pytest.fixture(scope="module")
def where() -> dict[str, Place]:
    resolver = default_resolver()
    found = {code: resolver.commune(code) for code in (LYON, VILLEURBANNE, VILLEFRANCHE, GIVORS, MIRIBEL)}
    return {code: Place(c.code, c.epci, c.departement, c.lat, c.lon) for code, c in found.items()}  # type: ignore[union-attr]


def partners(found: dict, me: int) -> set[int]:  # type: ignore[type-arg]
    return {s.other_actor for s in found.get(me, []) if s.kind == "theme"}


def test_an_intercommunality_pairs_across_its_communes_a_town_hall_only_in_its_own(where) -> None:
    metropole = replace(actor(1, where[LYON], "collectivite"), territory=("epci", METROPOLE_LYON), epci_name="Métropole de Lyon")
    villeurbanne, givors = actor(2, where[VILLEURBANNE]), actor(3, where[GIVORS])
    villefranche = actor(4, where[VILLEFRANCHE])
    found = suggest_round([metropole, villeurbanne, givors, villefranche], [], History(), MatchingConfig(), TODAY)
    assert partners(found, 1) == {2, 3}  # the Métropole: its communes, never Villefranche
    assert 1 in partners(found, 2) and 1 in partners(found, 3) and 1 not in partners(found, 4)
    text = explain(next(s for s in found[2] if s.other_actor == 1), translate, "fr")
    assert "Métropole de Lyon" in text or "même intercommunalité" in text, text
    town = actor(1, where[LYON], "collectivite")  # the same without a territory: the commune of Lyon only
    found = suggest_round([town, villeurbanne, givors, villefranche], [], History(), MatchingConfig(), TODAY)
    assert partners(found, 1) == set()


def test_a_departement_pairs_across_it_and_says_so(where) -> None:
    rhone = replace(actor(1, where[LYON], "collectivite"), territory=("departement", "69"), departement_name="Rhône")
    villefranche, givors, miribel = actor(2, where[VILLEFRANCHE]), actor(3, where[GIVORS]), actor(4, where[MIRIBEL])
    found = suggest_round([rhone, villefranche, givors, miribel], [], History(), MatchingConfig(), TODAY)
    assert partners(found, 1) == {2, 3}  # Miribel is in the Ain
    assert 1 in partners(found, 2) and 1 not in partners(found, 4)
    fr = explain(next(s for s in found[1] if s.other_actor == 2), translate, "fr")
    en = explain(next(s for s in found[1] if s.other_actor == 2), translate, "en")
    assert "dans le département Rhône" in fr and "in the département Rhône" in en, (fr, en)
    assert "même intercommunalité" not in fr


def test_two_authorities_pair_when_one_governs_the_other(where) -> None:
    metropole = replace(actor(1, where[LYON], "collectivite"), territory=("epci", METROPOLE_LYON))
    town = actor(2, where[VILLEURBANNE], "collectivite")
    found = suggest_round([metropole, town], [], History(), MatchingConfig(), TODAY)
    assert partners(found, 1) == {2} and partners(found, 2) == {1}
    other_town = actor(3, where[GIVORS], "collectivite")
    found = suggest_round([town, other_town], [], History(), MatchingConfig(), TODAY)
    assert not found.get(2) and not found.get(3)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Métropole de Lyon", ("epci", METROPOLE_LYON)),
        ("Grand Lyon — direction de la vie associative", ("epci", METROPOLE_LYON)),
        ("Conseil départemental du Rhône", ("departement", "69")),
        ("Département du Rhône", ("departement", "69")),
        ("CD69", ("departement", "69")),
        ("Mairie de Villeurbanne", None),
        ("Ville de Lyon", None),
        ("Service jeunesse", None),
    ],
)
def test_the_territory_an_authority_governs_from_its_name(name: str, expected: tuple[str, str] | None) -> None:
    assert authority_territory(name, (METROPOLE_LYON, "Métropole de Lyon"), ("69", "Rhône")) == expected


def test_the_territory_from_a_coordinator_appointment_and_other_intercommunalities() -> None:
    gex = ("200040673", "CC du Pays de Gex")
    assert authority_territory("Communauté de communes du Pays de Gex", gex, ("01", "Ain")) == ("epci", "200040673")
    assert authority_territory("Mairie de Ferney", gex, ("01", "Ain"), (("departement", "01"),)) == ("departement", "01")
    assert authority_territory("Mairie de Ferney", gex, ("01", "Ain"), (("epci", "200040673"),)) == ("epci", "200040673")
    assert authority_territory("Mairie de Ferney", gex, ("01", "Ain"), (("departement", "69"),)) is None  # not its own
