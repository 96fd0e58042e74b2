"""Matching engine: rules, exclusions, zones, explanations, fairness cap, determinism."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from matching import (
    REASON_KEYS,
    ActorRecord,
    History,
    ListingRecord,
    MatchingConfig,
    Place,
    Zone,
    explain,
    fold,
    place_from_resolver,
    stems,
    suggest_round,
    zones_overlap,
)
from matching.facets import facet_names, object_bits, time_bits
from matching.geo import EARTH_RADIUS_KM, haversine_km
from matching.text import TextIndex
from territories import default_resolver

TODAY = date(2026, 6, 1)
LYON, VILLEURBANNE, TOURCOING, LILLE = "69123", "69266", "59599", "59350"
METROPOLE_LYON = "200046977"
MIRIBEL = "01249"


@pytest.fixture(scope="module")
def places() -> dict[str, Place]:
    resolver = default_resolver()
    found = {code: place_from_resolver(resolver, code) for code in (LYON, VILLEURBANNE, TOURCOING, LILLE, "69091", MIRIBEL)}
    assert all(found.values())
    return found  # type: ignore[return-value]


def actor(ident: int, place: Place, kind: str = "association", **kw) -> ActorRecord:
    return ActorRecord(
        id=ident,
        kind=kind,
        commune_code=place.commune_code,
        epci_code=place.epci_code,
        departement_code=place.departement_code,
        lat=place.lat,
        lon=place.lon,
        themes=kw.pop("themes", frozenset({"alimentation"})),
        description=kw.pop("description", "Association de quartier"),
        **kw,
    )


def listing(ident: int, owner: ActorRecord, kind: str, category: str = "benevoles", **kw) -> ListingRecord:
    zone_kind = kw.pop("zone_kind", "commune")
    code = {
        "commune": owner.commune_code,
        "epci": owner.epci_code,
        "departement": owner.departement_code,
        "radius": owner.commune_code,
    }[zone_kind]
    return ListingRecord(
        id=ident,
        actor_id=owner.id,
        kind=kind,
        category=category,
        subcategory=kw.pop("subcategory", None),
        themes=kw.pop("themes", frozenset({"alimentation"})),
        description=kw.pop("description", "Distribution de colis alimentaires le samedi"),
        zone_kind=zone_kind,
        zone_code=kw.pop("zone_code", code),
        radius_km=kw.pop("radius_km", None),
        created_at=kw.pop("created_at", TODAY - timedelta(days=3)),
        expires_at=kw.pop("expires_at", TODAY + timedelta(days=60)),
        status=kw.pop("status", "open"),
    )


def run(actors, listings, history=None, config=None, **kw):
    return suggest_round(actors, listings, history or History(), config or MatchingConfig(theme_pairs=False), TODAY, **kw)


def pairs(result) -> set[tuple[int, int]]:
    return {(s.for_actor, s.other_actor) for items in result.values() for s in items}


# ---------------------------------------------------------------- need ↔ offer


def test_need_and_offer_of_the_same_category_in_overlapping_zones_match_both_ways(places):
    a = actor(1, places[VILLEURBANNE])
    b = actor(2, places[LYON], kind="entreprise")
    result = run([a, b], [listing(10, a, "need", zone_kind="epci"), listing(20, b, "offer", zone_kind="epci")])
    (mine,) = result[1]
    assert (mine.other_actor, mine.kind, mine.my_listing_id, mine.their_listing_id) == (2, "need_offer", 10, 20)
    (theirs,) = result[2]
    assert (theirs.other_actor, theirs.kind, theirs.my_listing_id, theirs.their_listing_id) == (1, "offer_need", 20, 10)
    assert mine.score == theirs.score


def test_different_category_or_same_kind_do_not_match(places):
    a, b = actor(1, places[LYON]), actor(2, places[LYON])
    assert run([a, b], [listing(10, a, "need", "locaux"), listing(20, b, "offer", "materiel")]) == {}
    assert run([a, b], [listing(10, a, "need"), listing(20, b, "need")]) == {}
    assert run([a, b], [listing(10, a, "offer"), listing(20, b, "offer")]) == {}


def test_skills_must_share_the_subcategory(places):
    a, b = actor(1, places[LYON]), actor(2, places[LYON])
    need = listing(10, a, "need", "competences", subcategory="juridique")
    assert run([a, b], [need, listing(20, b, "offer", "competences", subcategory="comptabilite")]) == {}
    assert pairs(run([a, b], [need, listing(20, b, "offer", "competences", subcategory="juridique")])) == {(1, 2), (2, 1)}
    # Outside the skills category the sub-category plays no part.
    assert pairs(run([a, b], [listing(11, a, "need", "locaux", subcategory="x"), listing(21, b, "offer", "locaux")]))


def test_zones_that_do_not_overlap_do_not_match(places):
    a, b = actor(1, places[LYON]), actor(2, places[TOURCOING])
    assert run([a, b], [listing(10, a, "need", zone_kind="departement"), listing(20, b, "offer", zone_kind="departement")]) == {}
    c = actor(3, places[VILLEURBANNE])  # same EPCI as Lyon, but two commune zones
    assert run([a, c], [listing(10, a, "need"), listing(30, c, "offer")]) == {}


# ---------------------------------------------------------------- zones


def zone(kind: str, place: Place, code: str | None = None, radius: float | None = None) -> Zone:
    code = (
        code
        or {"commune": place.commune_code, "epci": place.epci_code, "departement": place.departement_code, "radius": place.commune_code}[
            kind
        ]
    )
    return Zone.build(kind, code, radius, place)


def test_zone_overlap_rules(places):
    resolver = default_resolver()
    lyon, villeurbanne, lille, tourcoing = places[LYON], places[VILLEURBANNE], places[LILLE], places[TOURCOING]
    assert lyon.epci_code == villeurbanne.epci_code == METROPOLE_LYON
    assert resolver.contains("epci", METROPOLE_LYON, VILLEURBANNE)
    # commune ⊂ EPCI ⊂ département
    assert zones_overlap(zone("commune", lyon), zone("commune", lyon))
    assert not zones_overlap(zone("commune", lyon), zone("commune", villeurbanne))
    assert zones_overlap(zone("commune", villeurbanne), zone("epci", lyon))
    assert zones_overlap(zone("epci", villeurbanne), zone("epci", lyon))
    assert zones_overlap(zone("commune", villeurbanne), zone("departement", lyon))
    assert zones_overlap(zone("epci", lille), zone("departement", tourcoing))
    assert not zones_overlap(zone("epci", lille), zone("epci", lyon))
    assert not zones_overlap(zone("departement", lille), zone("commune", lyon))
    # disks: distance between centres ≤ r1 + r2; a point (commune zone) within r
    d = resolver.distance_km(LILLE, TOURCOING)
    assert 10 < d < 20
    assert not zones_overlap(zone("radius", lille, radius=5), zone("radius", tourcoing, radius=5))
    assert zones_overlap(zone("radius", lille, radius=10), zone("radius", tourcoing, radius=10))
    assert not zones_overlap(zone("radius", lille, radius=10), zone("commune", tourcoing))
    assert zones_overlap(zone("radius", lille, radius=35), zone("commune", tourcoing))
    # a disk whose centre lies in the area overlaps it, whatever the radius
    assert zones_overlap(zone("radius", lyon, radius=1), zone("epci", villeurbanne))
    assert zones_overlap(zone("radius", lyon, radius=1), zone("departement", villeurbanne))
    assert not zones_overlap(zone("radius", lyon, radius=35), zone("departement", lille))
    # symmetric
    assert zones_overlap(zone("commune", tourcoing), zone("radius", lille, radius=35))


def test_radius_zones_match_across_departements(places):
    # Lyon (69) and Miribel (01249, Ain) are ~11 km apart.
    a, b = actor(1, places[LYON]), actor(2, places[MIRIBEL])
    assert a.departement_code != b.departement_code
    need = listing(10, a, "need", zone_kind="radius", radius_km=10)
    assert run([a, b], [need, listing(20, b, "offer", zone_kind="radius", radius_km=10)])
    assert not run([a, b], [replace(need, radius_km=1), listing(20, b, "offer", zone_kind="radius", radius_km=1)])


def test_a_disks_reach_is_its_great_circle_distance_at_the_border_of_the_radius():
    """The round's vectorised reach test agrees with zones_overlap on pairs placed just inside and outside."""
    rng = random.Random(11)
    checked = 0
    for case in range(240):
        lat, lon = rng.uniform(42.5, 50.5), rng.uniform(-4.0, 7.5)
        need_radius = rng.choice((1, 5, 10, 35, 80))
        other_kind = rng.choice(("radius", "commune"))
        offer_radius = rng.choice((1, 10, 35)) if other_kind == "radius" else None
        reach = need_radius + (offer_radius or 0)
        km = reach * rng.choice((0.0, rng.uniform(0.97, 1.03)))
        bearing = math.radians(rng.uniform(0, 360))
        # The point km away on that bearing (spherical destination formula).
        d = km / EARTH_RADIUS_KM
        phi1, lam1 = math.radians(lat), math.radians(lon)
        phi2 = math.asin(math.sin(phi1) * math.cos(d) + math.cos(phi1) * math.sin(d) * math.cos(bearing))
        lam2 = lam1 + math.atan2(math.sin(bearing) * math.sin(d) * math.cos(phi1), math.cos(d) - math.sin(phi1) * math.sin(phi2))
        same_departement = case % 2 == 0  # the département's block, or the pass across borders
        here = Place(f"9{case:04d}", None, "98" if same_departement else "97", lat, lon)
        there = Place(f"8{case:04d}", None, "98", math.degrees(phi2), math.degrees(lam2))
        expected = zones_overlap(
            Zone.build("radius", here.commune_code, need_radius, here), Zone.build(other_kind, there.commune_code, offer_radius, there)
        )
        if abs(haversine_km(lat, lon, there.lat, there.lon) - reach) < 0.01:
            continue  # within 10 m of the edge: rounding may go either way
        a, b = actor(1, here), actor(2, there, kind="entreprise")
        found = run(
            [a, b],
            [
                listing(10, a, "need", zone_kind="radius", radius_km=need_radius),
                listing(20, b, "offer", zone_kind=other_kind, radius_km=offer_radius),
            ],
        )
        assert bool(found) == expected, (case, km, reach, other_kind)
        checked += 1
    assert checked > 200


# ---------------------------------------------------------------- theme pairs


def test_theme_pairs_on_the_same_commune_or_epci(places):
    a = actor(1, places[LYON], themes=frozenset({"culture", "sport"}))
    b = actor(2, places[VILLEURBANNE], themes=frozenset({"culture"}), kind="entreprise")
    c = actor(3, places[TOURCOING], themes=frozenset({"culture"}))
    d = actor(4, places[LYON], themes=frozenset({"sante"}))
    result = suggest_round([a, b, c, d], [], History(), MatchingConfig(), TODAY)
    assert pairs(result) == {(1, 2), (2, 1)}
    assert result[1][0].kind == "theme" and result[1][0].my_listing_id is None
    keys = [r.key for found in result.values() for s in found for r in s.reasons]
    assert keys.count("match.joint_project") == 2  # labelled as a theme pair, never as "you seek ↔ they offer"
    assert "match.you_seek" not in keys and "match.you_offer" not in keys
    assert not suggest_round([a, b], [], History(), MatchingConfig(theme_pairs=False), TODAY)


# ---------------------------------------------------------------- scores


def test_closer_scores_higher_same_commune_then_epci_then_departement_then_distance(places):
    resolver = default_resolver()
    me = actor(1, places[LYON])
    others = [
        actor(2, places[LYON]),
        actor(3, places[VILLEURBANNE]),
        actor(4, place_from_resolver(resolver, "69091")),  # Givors: Métropole de Lyon too
        actor(5, place_from_resolver(resolver, "69264")),  # Villefranche-sur-Saône: Rhône, other EPCI
        actor(6, places[MIRIBEL]),  # Miribel, Ain
    ]
    listings = [listing(10, me, "need", zone_kind="radius", radius_km=100)]
    listings += [listing(20 + o.id, o, "offer", zone_kind="radius", radius_km=100) for o in others]
    config = MatchingConfig(theme_pairs=False, max_per_digest=10)
    scores = {s.other_actor: s.score for s in run([me, *others], listings, config=config)[1]}
    assert scores[2] > scores[3] >= scores[4] > scores[5] > scores[6]


def test_cross_sector_bonus(places):
    me = actor(1, places[LYON])
    same = actor(2, places[LYON], kind="association")
    company = actor(3, places[LYON], kind="entreprise")
    listings = [listing(10, me, "need"), listing(20, same, "offer"), listing(30, company, "offer")]
    result = run([me, same, company], listings)
    first, second = result[1]
    assert first.other_actor == 3
    assert first.score == pytest.approx(second.score + MatchingConfig().cross_sector_bonus)
    assert any(r.key == "match.alliance" for r in first.reasons)
    assert not any(r.key == "match.cross_sector" for r in second.reasons)


def test_theme_overlap_and_freshness_raise_the_score(places):
    """(Meaning is measured with the real model in tests/test_meaning.py; without vectors it counts for nothing.)"""
    me = actor(1, places[LYON])
    others = [actor(i, places[LYON]) for i in (2, 3, 4, 5)]
    base = dict(description="Prêt de camion pour déménagement", themes=frozenset({"sport"}), created_at=TODAY - timedelta(days=100))
    listings = [listing(10, me, "need", description="Nous cherchons des bénévoles pour la précarité alimentaire")]
    listings.append(listing(20, others[0], "offer", **base))
    listings.append(listing(30, others[1], "offer", **{**base, "themes": frozenset({"alimentation"})}))
    listings.append(listing(40, others[2], "offer", **{**base, "description": "Bénévoles disponibles contre la precarite alimentaire"}))
    listings.append(listing(50, others[3], "offer", **{**base, "created_at": TODAY}))
    config = MatchingConfig(theme_pairs=False, max_per_digest=10)
    scores = {s.other_actor: s.score for s in run([me, *others], listings, config=config)[1]}
    assert scores[3] > scores[2] and scores[5] > scores[2] and scores[4] == scores[2]


def test_french_text_is_accent_insensitive_and_stemmed():
    assert fold("Précarité Œuvre") == "precarite oeuvre"
    assert stems("précarités alimentaires") == stems("precarite alimentaire")
    assert stems("le la les des pour") == []
    index = TextIndex(["Aide aux devoirs des enfants", "aide aux devoirs", "location de camion"])
    assert index.similarity(0, 1) > 0.5 and index.similarity(0, 2) == 0.0


# ---------------------------------------------------------------- exclusions


@pytest.fixture
def duo(places):
    a = actor(1, places[LYON])
    b = actor(2, places[LYON], kind="entreprise")
    return a, b, [listing(10, a, "need"), listing(20, b, "offer")]


def test_never_the_actor_itself(places):
    a = actor(1, places[LYON])
    assert run([a], [listing(10, a, "need"), listing(11, a, "offer")]) == {}


@pytest.mark.parametrize("change", [{"paused": True}, {"unreachable": True}, {"consent_matching": False}])
def test_paused_unreachable_or_non_consenting_actors_are_excluded(duo, change):
    a, b, listings = duo
    assert pairs(run([a, b], listings)) == {(1, 2), (2, 1)}
    assert run([a, replace(b, **change)], listings) == {}


@pytest.mark.parametrize("change", [{"status": "closed"}, {"expires_at": TODAY - timedelta(days=1)}])
def test_closed_or_expired_listings_are_excluded(duo, change):
    a, b, (need, offer) = duo
    assert run([a, b], [need, replace(offer, **change)]) == {}
    assert run([a, b], [need, replace(offer, expires_at=TODAY)])  # valid through its last day


def test_pairs_suggested_in_the_last_12_weeks_either_way_are_excluded(duo):
    a, b, listings = duo
    for day, excluded in ((TODAY - timedelta(weeks=11), True), (TODAY - timedelta(weeks=12), False)):
        for entry in ((1, 2, day), (2, 1, day)):
            result = run([a, b], listings, History(suggested=(entry,)))
            assert (result == {}) is excluded, (entry, excluded)


def test_declined_pairs_are_excluded_forever(duo):
    a, b, listings = duo
    assert run([a, b], listings, History(declined=((2, 1),))) == {}


@pytest.mark.parametrize("theme_pairs", [False, True])
def test_a_declined_listing_pair_is_excluded_forever_and_only_that_pair(duo, theme_pairs):
    """Need 10 ↔ offer 20 declined (either way round): never that pair again, neither as a
    need ↔ offer pair nor behind a theme pair; the same actors' other listings still meet."""
    a, b, listings = duo
    more = [*listings, listing(11, a, "need", description="Distribution de colis alimentaires le dimanche")]
    config = MatchingConfig(theme_pairs=theme_pairs)
    for declined in ((10, 20), (20, 10)):
        found = run([a, b], more, History(declined_listings=(declined,)), config)
        assert {(s.my_listing_id, s.their_listing_id) for s in found[1]} == {(11, 20)}
        assert {(s.my_listing_id, s.their_listing_id) for s in found[2]} == {(20, 11)}
        alone = run([a, b], listings, History(declined_listings=(declined,)), config)
        assert all(s.my_listing_id is None and s.their_listing_id is None for items in alone.values() for s in items), alone


def test_demo_actors_only_meet_demo_actors(duo):
    a, b, listings = duo
    assert run([a, replace(b, is_demo=True)], listings) == {}
    assert pairs(run([replace(a, is_demo=True), replace(b, is_demo=True)], listings)) == {(1, 2), (2, 1)}


def test_recipients_restricts_who_receives(duo):
    a, b, listings = duo
    assert pairs(run([a, b], listings, recipients={2})) == {(2, 1)}


# ---------------------------------------------------------------- digest size, fairness


def crowd(places, n_needers: int, n_offerers: int):
    actors, listings = [], []
    for i in range(1, n_needers + 1):
        actors.append(actor(i, places[LYON]))
        listings.append(listing(100 + i, actors[-1], "need", zone_kind="epci"))
    for k in range(n_offerers):
        i = 1000 + k
        actors.append(actor(i, places[VILLEURBANNE], kind="entreprise"))
        listings.append(listing(10_000 + i, actors[-1], "offer", zone_kind="epci"))
    return actors, listings


def test_at_most_max_per_digest_per_actor_and_one_suggestion_per_other_actor(places):
    actors, listings = crowd(places, 1, 6)
    extra = [listing(500 + k, actors[1 + k], "offer", "benevoles", zone_kind="epci", description="autre offre") for k in range(3)]
    result = run(actors, listings + extra)
    assert len(result[1]) == 3
    assert len({s.other_actor for s in result[1]}) == 3
    assert len(run(actors, listings, config=MatchingConfig(theme_pairs=False, max_per_digest=5))[1]) == 5


def test_fairness_cap_counts_this_round_and_the_week_history(places):
    actors, listings = crowd(places, 8, 1)  # one offer wanted by 8 needs

    def proposed(result):
        return sum(1 for items in result.values() for s in items if s.other_actor == 1000)

    assert proposed(run(actors, listings)) == 5
    assert proposed(run(actors, listings, config=MatchingConfig(theme_pairs=False, fairness_cap=2))) == 2
    week = tuple((900 + k, 1000, TODAY - timedelta(days=k + 1)) for k in range(3))
    assert proposed(run(actors, listings, History(suggested=week))) == 2
    older = tuple((900 + k, 1000, TODAY - timedelta(days=8 + k)) for k in range(3))
    assert proposed(run(actors, listings, History(suggested=older))) == 5
    # the offerer itself still gets its 3 suggestions
    assert len(run(actors, listings)[1000]) == 3


# ---------------------------------------------------------------- explanations


def fake_translate(language: str, key: str, **params) -> str:
    texts = {
        "match.same_epci": "même intercommunalité",
        "match.theme": "thème {theme}",
        "match.need_offer": "votre besoin « {mine} » ↔ leur offre « {theirs} »",
        "match.cross_sector": "alliance {mine_kind} ↔ {their_kind}",
        "match.you_seek": "vous cherchez « {mine} » ; ils proposent « {theirs} »",
        "match.both_theme": "vous agissez tous les deux pour : {theme}",
        "match.alliance": "une alliance entre {mine_kind} et {their_kind}",
        "theme.alimentation": "Alimentation",
        "actor_type.association": "Association",
        "actor_type.entreprise": "Entreprise",
    }
    return texts.get(key, key).format(**params)


def test_explanation_names_place_theme_and_both_listings(places):
    a = actor(1, places[VILLEURBANNE])
    b = actor(2, places[LYON], kind="entreprise")
    long = "Nous cherchons des bénévoles pour distribuer des colis alimentaires chaque samedi matin au centre social"
    result = run(
        [a, b],
        [
            listing(10, a, "need", zone_kind="epci", description=long),
            listing(20, b, "offer", zone_kind="epci", description="Salariés bénévoles"),
        ],
    )
    suggestion = result[1][0]
    assert [r.key for r in suggestion.reasons] == ["match.same_epci", "match.you_seek", "match.both_theme", "match.alliance"]
    text = explain(suggestion, fake_translate, "fr")
    assert text.startswith("même intercommunalité, vous cherchez « Des bénévoles pour distribuer")  # not « Nous cherchons » again
    assert "…» ; ils proposent « Salariés bénévoles »" in text.replace("… »", "…»")
    assert text.endswith("vous agissez tous les deux pour : alimentation, une alliance entre association et entreprise")
    mine = dict(suggestion.reasons[1].params)["mine"]
    assert len(mine) <= MatchingConfig().description_chars and mine.endswith("…")
    assert all(r.key in REASON_KEYS for r in suggestion.reasons)
    other = result[2][0]
    assert [r.key for r in other.reasons][1] == "match.you_offer"


def test_explanation_with_the_project_catalogs(places):
    """Every key resolves in the project's translate() once the lead has added them."""
    from conversations.i18n import translate

    a, b = actor(1, places[LYON]), actor(2, places[LYON], kind="collectivite")
    suggestion = run([a, b], [listing(10, a, "need"), listing(20, b, "offer")])[1][0]
    assert explain(suggestion, translate, "en")  # keys missing from the catalogs come back as keys


def test_distance_reason_beyond_the_departement(places):
    a, b = actor(1, places[LYON]), actor(2, places[MIRIBEL])
    result = run(
        [a, b], [listing(10, a, "need", zone_kind="radius", radius_km=35), listing(20, b, "offer", zone_kind="radius", radius_km=35)]
    )
    first = result[1][0].reasons[0]
    assert first.key == "match.distance" and 10 <= dict(first.params)["km"] <= 25


# ---------------------------------------------------------------- determinism


def test_same_input_same_output_whatever_the_order(places):
    resolver = default_resolver()
    rng = random.Random(3)
    codes = [LYON, VILLEURBANNE, "69091", "69264", MIRIBEL, LILLE, TOURCOING]
    themes = ["alimentation", "culture", "sport", "sante"]
    actors, listings = [], []
    for i in range(1, 80):
        place = place_from_resolver(resolver, rng.choice(codes))
        actors.append(
            actor(i, place, kind=rng.choice(["association", "entreprise", "collectivite"]), themes=frozenset(rng.sample(themes, 2)))
        )
        for k in range(3):
            zone_kind = rng.choice(["commune", "epci", "departement", "radius"])
            listings.append(
                listing(
                    i * 10 + k,
                    actors[-1],
                    rng.choice(["need", "offer"]),
                    rng.choice(["benevoles", "locaux"]),
                    zone_kind=zone_kind,
                    radius_km=35 if zone_kind == "radius" else None,
                    description=rng.choice(["colis alimentaires", "salle de réunion", "bénévoles le samedi"]),
                )
            )
    config = MatchingConfig(probe_per_tier=3, fairness_cap=3)
    first = suggest_round(actors, listings, History(), config, TODAY)
    shuffled_a, shuffled_l = actors[:], listings[:]
    rng.shuffle(shuffled_a)
    rng.shuffle(shuffled_l)
    assert suggest_round(shuffled_a, shuffled_l, History(), config, TODAY) == first
    assert sum(len(v) for v in first.values()) > 50
    counts: dict[int, int] = {}
    for items in first.values():
        assert len(items) <= 3
        assert [s.score for s in items] == sorted((s.score for s in items), reverse=True)
        for s in items:
            counts[s.other_actor] = counts.get(s.other_actor, 0) + 1
    assert max(counts.values()) <= 3


def test_today_is_required():
    with pytest.raises(ValueError):
        suggest_round([], [], History(), MatchingConfig(), None)


def _random_round_inputs(seed: int = 5):
    resolver = default_resolver()
    rng = random.Random(seed)
    codes = [LYON, VILLEURBANNE, "69091", "69264", MIRIBEL, LILLE, TOURCOING]
    themes = ["alimentation", "culture", "sport", "sante"]
    actors, listings = [], []
    for i in range(1, 60):
        place = place_from_resolver(resolver, rng.choice(codes))
        actors.append(actor(i, place, kind=rng.choice(["association", "entreprise"]), themes=frozenset(rng.sample(themes, 2))))
        for k in range(3):
            zone_kind = rng.choice(["commune", "epci", "departement", "radius"])
            listings.append(
                listing(
                    i * 10 + k,
                    actors[-1],
                    rng.choice(["need", "offer"]),
                    "benevoles",
                    zone_kind=zone_kind,
                    radius_km=20 if zone_kind == "radius" else None,
                    description=rng.choice(["colis alimentaires", "salle de réunion", "bénévoles le samedi"]),
                )
            )
    history = History(suggested=((1, 2, TODAY - timedelta(days=3)), (5, 9, TODAY - timedelta(days=1))), declined=((3, 4),))
    return actors, listings, history


def test_large_ids_give_the_same_round():
    """Candidates are encoded as ints sized on the ids: 64-bit-and-beyond ids work the same."""
    actors, listings, history = _random_round_inputs()
    config = MatchingConfig(probe_per_tier=3, fairness_cap=3)
    small = suggest_round(actors, listings, history, config, TODAY)
    a_off, l_off = 2**40, 2**41  # multiples of 2**32: the probing rotation is unchanged
    big_actors = [replace(a, id=a.id + a_off) for a in actors]
    big_listings = [replace(l, id=l.id + l_off, actor_id=l.actor_id + a_off) for l in listings]
    big_history = History(
        suggested=tuple((a + a_off, b + a_off, d) for a, b, d in history.suggested),
        declined=tuple((a + a_off, b + a_off) for a, b in history.declined),
    )
    big = suggest_round(big_actors, big_listings, big_history, config, TODAY)
    assert sum(len(v) for v in small.values()) > 30
    shifted = {
        k + a_off: [
            replace(
                s,
                for_actor=s.for_actor + a_off,
                other_actor=s.other_actor + a_off,
                my_listing_id=None if s.my_listing_id is None else s.my_listing_id + l_off,
                their_listing_id=None if s.their_listing_id is None else s.their_listing_id + l_off,
            )
            for s in v
        ]
        for k, v in small.items()
    }
    assert big == shifted


def test_garbage_collector_state_is_restored():
    import gc

    actors, listings, history = _random_round_inputs()
    assert gc.isenabled()
    suggest_round(actors, listings, history, MatchingConfig(), TODAY)
    assert gc.isenabled()
    gc.disable()
    try:
        suggest_round(actors, listings, history, MatchingConfig(), TODAY)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_block_scored_in_slices_gives_the_same_round(places, monkeypatch):
    """A (needs × offers) block larger than BLOCK_CELLS is scored in slices; the relevance rule
    compares each pair with both sides' best over the whole block, so the round is the same."""
    import numpy as np

    from matching import Vectors, engine

    rng = random.Random(3)
    where = [places[LYON], places[VILLEURBANNE], places["69091"]]
    actors, listings, found = [], [], {}
    topics = np.random.default_rng(5).normal(size=(6, 384))
    base = np.random.default_rng(6).normal(size=384) * 12  # e5-like: every cosine close to the others
    for ident in range(1, 121):
        owner = actor(ident, where[ident % 3], kind=("association", "entreprise")[ident % 2])
        actors.append(owner)
        listings.append(listing(ident, owner, ("need", "offer")[ident % 2], "materiel", zone_kind=rng.choice(("commune", "epci"))))
        vector = base + topics[rng.randrange(6)] + np.random.default_rng(ident).normal(size=384)
        found[ident] = (vector, 0.985 + rng.uniform(-0.003, 0.003))
    vectors = Vectors.from_arrays(found)
    whole = suggest_round(actors, listings, None, None, TODAY, vectors=vectors)
    monkeypatch.setattr(engine, "BLOCK_CELLS", 97)
    sliced = suggest_round(actors, listings, None, None, TODAY, vectors=vectors)
    assert sum(s.kind != "theme" for found in whole.values() for s in found) > 20
    assert sliced == whole
    # The need ↔ offer candidates merged into each actor's best many times over (not only once,
    # at the end), and the facets read again for every listing: still the same round.
    monkeypatch.setattr(engine._Top, "FLUSH", 1)
    monkeypatch.setattr(engine, "FACETS_CACHE", 1)
    assert suggest_round(actors, listings, None, None, TODAY, vectors=vectors) == whole


def test_vectors_handed_over_are_moved_into_each_bucket_and_give_the_same_round(places, monkeypatch):
    """Vectors that only the round holds are moved, a few rows at a time, into one matrix per
    bucket (the handed matrix shrinking as they go); vectors the caller keeps are only read.
    Both give the same round, and the caller's vectors are left as they were."""
    import numpy as np

    from matching import Vectors, engine

    rng = random.Random(4)
    where = [places[LYON], places[VILLEURBANNE], places["69091"]]
    actors, listings, found = [], [], {}
    topics = np.random.default_rng(7).normal(size=(5, 384))
    for ident in range(1, 91):
        owner = actor(ident, where[ident % 3], kind=("association", "entreprise")[ident % 2])
        actors.append(owner)
        category = ("materiel", "locaux", "benevoles")[ident % 3]
        listings.append(listing(ident, owner, ("need", "offer")[ident // 3 % 2], category, zone_kind=rng.choice(("commune", "epci"))))
        if ident % 11:  # some listings have no vector
            found[ident] = (topics[rng.randrange(5)] + np.random.default_rng(ident).normal(size=384) / 2, 0.1)
    kept = Vectors.from_arrays(found)
    before = kept.listing_rows.copy()
    held = suggest_round(actors, listings, None, None, TODAY, vectors=kept)
    assert np.array_equal(kept.listing_rows, before)
    monkeypatch.setattr(engine, "VECTOR_CHUNK", 7)
    moved: list[bool] = []
    split = engine._Round._vector_parts

    def spy(self, box, rows, members):  # type: ignore[no-untyped-def]
        parts = split(self, box, rows, members)
        moved.append(len({id(m) for m, _ in parts.values()}) == len(parts) > 1)
        return parts

    monkeypatch.setattr(engine._Round, "_vector_parts", spy)
    handed = suggest_round(actors, listings, None, None, TODAY, vectors=Vectors.from_arrays(found))
    assert moved == [True]
    assert sum(s.kind != "theme" for items in held.values() for s in items) > 10
    assert handed == held


def test_the_production_round_hands_the_snapshots_vectors_over_to_the_engine(places, monkeypatch):
    """The real round's child (``services.round_worker.compute``) takes the vectors out of its
    snapshot and hands them over: the engine moves them into one matrix per bucket and frees
    each once scored, as ``bench/matching.py`` does; a snapshot that kept them held every
    listing's vector for the whole round (only read). Same suggestions either way."""
    import numpy as np

    from matching import MatchingConfig, Vectors, engine
    from services import round_worker

    where = [places[LYON], places[VILLEURBANNE], places["69091"]]
    actors, listings, found = [], [], {}
    topics = np.random.default_rng(3).normal(size=(4, 384))
    for ident in range(1, 61):
        owner = actor(ident, where[ident % 3], kind=("association", "entreprise")[ident % 2])
        actors.append(owner)
        listings.append(listing(ident, owner, ("need", "offer")[ident // 2 % 2], ("materiel", "locaux")[ident % 2], zone_kind="epci"))
        found[ident] = (topics[ident % 4] + np.random.default_rng(ident).normal(size=384) / 2, 0.1)
    moved: list[bool] = []
    split = engine._Round._vector_parts

    def spy(self, box, rows, members):  # type: ignore[no-untyped-def]
        parts = split(self, box, rows, members)
        moved.append(len({id(m) for m, _ in parts.values()}) == len(parts) > 1)
        return parts

    monkeypatch.setattr(engine._Round, "_vector_parts", spy)
    due = {a.id: "2026-W23" for a in actors}
    kept = round_worker.Snapshot(actors, listings, History(), due, Vectors.from_arrays(found))
    read = round_worker.match(kept, MatchingConfig(), TODAY)
    assert moved == [False]
    snapshot, handed = round_worker.hand_over(round_worker.Snapshot(actors, listings, History(), due, Vectors.from_arrays(found)))
    assert snapshot.vectors is None
    assert round_worker.match(snapshot, MatchingConfig(), TODAY, handed=handed) == read
    assert moved == [False, True] and handed == []
    assert sum(s.kind != "theme" for items in read.values() for s in items) > 10


def test_stored_vectors_are_streamed_into_one_matrix_without_an_object_per_row():
    """Loading a round's vectors keeps no list of rows: the peak stays near the matrix itself."""
    import tracemalloc

    import numpy as np

    from matching.vectors import DIM, Vectors, encode_blob

    rng = np.random.default_rng(2)
    blobs = [encode_blob(rng.normal(size=DIM), 0.01) for _ in range(64)]
    n = 20_000

    def rows(order=1):  # one corrupt; read once, like a database cursor (ORDER BY id)
        for i in range(1, n + 1)[::order]:
            yield i, (b"corrupt" if i == 7 else blobs[i % 64])

    tracemalloc.start()
    try:
        vectors = Vectors.from_blobs(rows(), (), sizes=(n, 0))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(vectors.listing_ids) == n - 1 and list(vectors.listing_ids[:3]) == [1, 2, 3]
    assert bytes(vectors.listing_rows[4].tobytes()) == blobs[5][-DIM:]
    assert peak < 1.5 * n * DIM  # the int8 matrix (7.7 MB) and little else
    grown = Vectors.from_blobs(rows(-1), ())  # unordered, no count: grows by doubling, same result
    assert np.array_equal(grown.listing_ids, vectors.listing_ids) and np.array_equal(grown.listing_rows, vectors.listing_rows)


def _kept_for_one_side(places):
    """A seeker (1), a company (2) and a closer needer (3), all in Villeurbanne on one theme: the
    company's offer (20) answers the closer's need (30) better than the seeker's (10). The texts
    name no object (matching.facets): a need naming the offer's very object is a pair for its owner."""
    themes = frozenset({"numerique"})
    where = places[VILLEURBANNE]
    seeker, company, closer = actor(1, where, themes=themes), actor(2, where, "entreprise", themes=themes), actor(3, where, themes=themes)
    text = "Du matériel pour notre projet"
    listings = [
        listing(10, seeker, "need", "materiel", themes=themes, description=text),
        listing(20, company, "offer", "materiel", themes=themes, description=text),
        listing(30, closer, "need", "materiel", themes=themes, description=text),
    ]
    return [seeker, company, closer], listings


def _kept_for_one_side_vectors():
    """Meanings with the offer: 0.010 for need 30, 0.0056 for need 10 (both below relevance_sure):
    need 10 is within relevance_margin of the offer's best (kept for the offer's owner) but not
    within mutual_margin (not kept for the need's owner as a need ↔ offer pair)."""
    import numpy as np

    from matching import Vectors

    def row(*head: int) -> np.ndarray:
        vector = np.zeros(384, dtype=np.int8)
        vector[: len(head)] = head
        return vector

    hub = 127 / np.hypot(127, 40) - 0.010
    return Vectors.from_arrays({10: (row(127, 0, 42), hub), 20: (row(127), hub), 30: (row(127, 40), hub)})


def test_a_need_offer_pair_kept_for_one_side_is_explained_as_such_to_the_other(places):
    """New-user trial (``traitdunion suggest --now --dry-run`` after ``traitdunion demo``): the offer's
    owner was told "vous proposez … ; ils cherchent …" while the need's owner, for whom the relevance
    rule did not keep the pair (another need is closer to that offer: not mutual), got the same
    actor as a theme pair, "pas de besoin et d'offre qui se répondent". Both sides now read the pair."""
    result = suggest_round(*_kept_for_one_side(places), None, MatchingConfig(), TODAY, vectors=_kept_for_one_side_vectors())
    told_company = {s.other_actor: s for s in result[2]}
    assert (told_company[1].kind, told_company[1].my_listing_id, told_company[1].their_listing_id) == ("offer_need", 20, 10)
    told_seeker = {s.other_actor: s for s in result[1]}
    assert (told_seeker[2].kind, told_seeker[2].my_listing_id, told_seeker[2].their_listing_id) == ("need_offer", 10, 20)
    keys = [reason.key for reason in told_seeker[2].reasons]
    assert "match.you_seek" in keys and "match.theme_pair" not in keys


def test_the_greedy_pass_keeps_the_need_offer_entries_of_chosen_theme_pairs_only(places, monkeypatch):
    """Memory at 300k listings: the map that explains a chosen theme pair as the other side's need ↔
    offer pair held every kept need ↔ offer candidate (246k at 300k) while the suggestions were
    built; it holds only the pairs of actors behind a chosen theme pair (the same scenario as above)."""
    from matching.engine import _Round

    kept: list[dict[tuple[int, int], int]] = []
    listed_for_themes = _Round._listed_for_themes

    def spy(self: _Round, entries: list[int], taken: dict[int, list[int]]) -> dict[tuple[int, int], int]:
        kept.append(listed_for_themes(self, entries, taken))
        return kept[-1]

    monkeypatch.setattr(_Round, "_listed_for_themes", spy)
    result = suggest_round(*_kept_for_one_side(places), None, MatchingConfig(), TODAY, vectors=_kept_for_one_side_vectors())
    # The company kept need ↔ offer candidates with both needers; only its pair with the seeker
    # (a theme pair for the seeker) is kept for the explanations, not its pair with the closer.
    assert {s.other_actor for s in result[2]} == {1, 3}
    assert [set(found) for found in kept] == [{(2, 1)}]


def _weak_pair_round(
    places,
    need_text: str,
    offer_text: str,
    meaning: float,
    need_themes: set[str],
    offer_themes: set[str],
    category: str = "materiel",
    **config,
):
    """One need, one offer (the only candidates of each other: mutual), whose meaning is ``meaning``."""
    import numpy as np

    from matching import Vectors

    def row(*head: int) -> np.ndarray:
        vector = np.zeros(384, dtype=np.int8)
        vector[: len(head)] = head
        return vector

    where = places[VILLEURBANNE]
    seeker = actor(1, where, themes=frozenset(need_themes))
    company = actor(2, where, "entreprise", themes=frozenset(offer_themes))
    listings = [
        listing(10, seeker, "need", category, themes=frozenset(need_themes), description=need_text),
        listing(20, company, "offer", category, themes=frozenset(offer_themes), description=offer_text),
    ]
    hub = 127 / np.hypot(127, 40) - meaning
    vectors = Vectors.from_arrays({10: (row(127, 40), hub), 20: (row(127), hub)})
    return run([seeker, company], listings, config=MatchingConfig(theme_pairs=False, **config), vectors=vectors)


CLOTHES = "Notre vestiaire manque de vêtements d'homme, surtout des chaussures"
VESTIAIRE = "Notre vestiaire solidaire manque de tout cet hiver"  # no object facet: clothes ↔ tools are never a pair
BIKE_TOOLS = "Nous cédons l'outillage complet de notre ancien magasin de cycles."


def test_a_weak_pair_with_no_shared_theme_nor_word_is_not_presented_as_need_and_offer(places):
    """Sparse territory (set 1, 30/11/2026): a clothes need and a bike shop's tools, the only
    candidates of each other, at a weak meaning (0.008, mutual) passed every rank rule and were
    presented as "vous cherchez … ; ils proposent …". Weak meaning now needs a second signal."""
    result = _weak_pair_round(places, CLOTHES, BIKE_TOOLS, 0.008, {"solidarite_social"}, {"mobilite"}, facets=False)
    assert pairs(result) == set()
    # the former rule (meaning and ranks only) presented it (facets off: clothes ↔ tools are known apart, see below)
    former = _weak_pair_round(
        places, CLOTHES, BIKE_TOOLS, 0.008, {"solidarite_social"}, {"mobilite"}, weak_pairs_need_support=False, facets=False
    )
    assert pairs(former) == {(1, 2), (2, 1)}


@pytest.mark.parametrize(
    ("need_text", "offer_text", "need_themes", "offer_themes", "meaning"),
    [
        (VESTIAIRE, "Nous cédons le stock de notre ancien magasin.", {"mobilite"}, {"mobilite"}, 0.008),  # a shared theme
        ("Des outils pour notre atelier vélo", BIKE_TOOLS, {"solidarite_social"}, {"mobilite"}, 0.008),  # outil(s) ~ outillage
        ("Une armoire réfrigérée pour les dons", "Deux réfrigérateurs à donner", {"culture"}, {"mobilite"}, 0.008),  # refrigere ~ refriger
        (
            VESTIAIRE,
            "Nous cédons le stock de notre ancien magasin.",
            {"solidarite_social"},
            {"mobilite"},
            0.03,
        ),  # a sure meaning needs no support
    ],
)
def test_a_weak_pair_supported_by_a_theme_or_a_word_is_still_a_need_offer_pair(
    places, need_text, offer_text, need_themes, offer_themes, meaning
):
    result = _weak_pair_round(places, need_text, offer_text, meaning, need_themes, offer_themes)
    assert pairs(result) == {(1, 2), (2, 1)}
    assert {s.kind for found in result.values() for s in found} == {"need_offer", "offer_need"}


def test_a_pair_without_vectors_needs_no_support(places):
    """A description not embedded yet (or that says nothing) is judged on category, themes and place."""
    where = places[VILLEURBANNE]
    seeker, company = actor(1, where, themes=frozenset({"culture"})), actor(2, where, "entreprise", themes=frozenset({"sport"}))
    listings = [
        listing(10, seeker, "need", "materiel", themes=frozenset({"culture"}), description=VESTIAIRE),
        listing(20, company, "offer", "materiel", themes=frozenset({"sport"}), description=BIKE_TOOLS),
    ]
    assert pairs(run([seeker, company], listings)) == {(1, 2), (2, 1)}


# ---------------------------------------------------------------- facets (matching.facets)

VAN_NEED = "on cherche un camion pour aller chercher les dons de la banque alimentaire le samedi"
VAN_EN = "we also have a utility van we can lend on weekends, with a driver if needed"
BREAD = "Invendus de pain et viennoiseries chaque soir, à récupérer avant 20 h."


@pytest.mark.parametrize(
    ("category", "text", "names"),
    [
        ("materiel", VAN_NEED, ["vehicle"]),  # the object, not its purpose ("pour … alimentaire")
        ("materiel", VAN_EN, ["vehicle"]),
        ("materiel", "Un camion utilitaire prêté le week-end avec chauffeur", ["vehicle"]),
        ("materiel", BREAD, ["food"]),
        ("materiel", "We need a fridge to keep fresh food for our pantry", ["cold"]),
        ("materiel", "Surplus food from our canteen", ["food"]),
        ("materiel", "Des ordinateurs portables reconditionnés pour nos ateliers.", ["computers"]),
        ("materiel", "Une chambre froide", ["cold"]),
        ("materiel", "Un barnum et des chaises pour la fête de quartier", ["event_gear"]),
        ("locaux", "Une salle de réunion de 20 places libre le mardi et le jeudi.", ["meeting_room"]),
        ("locaux", "A storage room for our donations", ["storage"]),
        ("locaux", "Un local pour nos ateliers du samedi après-midi", []),
        ("financement", "Fondation : soutien à des projets de mobilité douce et de santé.", ["mobilite", "sante"]),
        ("benevoles", "Des bras pour le camion", []),  # no lexicon: nothing known
    ],
)
def test_object_facets_are_read_in_french_and_english(category, text, names):
    assert facet_names(category, object_bits(category, text)) == names


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("le samedi", {5}),
        ("libre le mardi et le jeudi", {1, 3}),
        ("le week-end", {5, 6}),
        ("on weekends", {5, 6}),
        ("Prêt de salles aux associations, en semaine.", {0, 1, 2, 3, 4}),
        ("du lundi au vendredi", {0, 1, 2, 3, 4}),
        ("Monday to Wednesday", {0, 1, 2}),
        ("tous les jours sauf le dimanche", {0, 1, 2, 3, 4, 5}),
        ("not on weekends, Monday to Friday", {0, 1, 2, 3, 4}),
        ("every day except Sunday", {0, 1, 2, 3, 4, 5}),
        ("trois fois par semaine", set()),
    ],
)
def test_days_are_read_in_french_and_english(text, days):
    assert {d for d in range(7) if time_bits(text) >> d & 1} == days


def test_a_van_need_and_a_bread_offer_are_never_a_need_offer_pair(places):
    """Trial 30/11/2026: a van need ↔ a bakery's bread, weak meaning, shared theme (alimentation):
    presented as "vous cherchez … camion ; ils proposent … pain". Known, disjoint objects now
    forbid it even at a sure meaning."""
    for meaning in (0.008, 0.03):
        result = _weak_pair_round(places, VAN_NEED, BREAD, meaning, {"alimentation"}, {"alimentation"})
        assert pairs(result) == set()
    former = _weak_pair_round(places, VAN_NEED, BREAD, 0.008, {"alimentation"}, {"alimentation"}, facets=False)
    assert pairs(former) == {(1, 2), (2, 1)}


def test_a_shared_object_facet_supports_a_weak_pair_across_languages(places):
    """« un camion » ↔ "a utility van": no theme, no word in common; the vehicle facet supports it."""
    result = _weak_pair_round(places, VAN_NEED, VAN_EN, 0.008, {"alimentation"}, {"numerique"})
    assert pairs(result) == {(1, 2), (2, 1)}
    assert pairs(_weak_pair_round(places, VAN_NEED, VAN_EN, 0.008, {"alimentation"}, {"numerique"}, facets=False)) == set()


def _one_need_two_offers(places, category: str, need_text: str, first: str, second: str, meaning: float, **config):
    """One need; two offers of the same meaning to it (``first`` has the smaller ids, wins ties)."""
    import numpy as np

    from matching import Vectors

    def row(*head: int) -> np.ndarray:
        vector = np.zeros(384, dtype=np.int8)
        vector[: len(head)] = head
        return vector

    where = places[VILLEURBANNE]
    seeker = actor(1, where, themes=frozenset({"solidarite_social"}))
    companies = [
        actor(2, where, "entreprise", themes=frozenset({"solidarite_social"})),
        actor(3, where, "entreprise", themes=frozenset({"solidarite_social"})),
    ]
    listings = [
        listing(10, seeker, "need", category, description=need_text),
        listing(20, companies[0], "offer", category, description=first),
        listing(30, companies[1], "offer", category, description=second),
    ]
    hub = 127 / np.hypot(127, 40) - meaning
    vectors = Vectors.from_arrays({10: (row(127, 40), hub), 20: (row(127), hub), 30: (row(127), hub)})
    result = run([seeker, *companies], listings, config=MatchingConfig(theme_pairs=False, **config), vectors=vectors)
    return [(s.other_actor, s.kind) for s in result.get(1, [])]


def test_a_shared_object_facet_ranks_a_pair_above_one_without_it(places):
    found = _one_need_two_offers(places, "materiel", VAN_NEED, "Du matériel à donner, à récupérer sur place", VAN_EN, 0.03)
    assert found == [(3, "need_offer"), (2, "need_offer")]
    assert _one_need_two_offers(places, "materiel", VAN_NEED, "Du matériel à donner, à récupérer sur place", VAN_EN, 0.03, facets=False)[
        0
    ] == (2, "need_offer")


SATURDAY_ROOM = "Un local pour nos ateliers du samedi après-midi, une fois par mois."
TUESDAY_ROOM = "Une salle de réunion de 20 places libre le mardi et le jeudi."
WEEKEND_ROOM = "Salles municipales prêtées aux associations le week-end."


def test_incompatible_days_drop_a_weak_pair(places):
    """Trial 30/11/2026: a Saturday need ↔ a room free on Tuesdays and Thursdays."""
    assert (
        pairs(_weak_pair_round(places, SATURDAY_ROOM, TUESDAY_ROOM, 0.008, {"environnement"}, {"environnement"}, category="locaux"))
        == set()
    )
    before = _weak_pair_round(
        places, SATURDAY_ROOM, TUESDAY_ROOM, 0.008, {"environnement"}, {"environnement"}, category="locaux", facets=False
    )
    assert pairs(before) == {(1, 2), (2, 1)}
    # days that meet (samedi ↔ week-end) keep it
    kept = _weak_pair_round(places, SATURDAY_ROOM, WEEKEND_ROOM, 0.008, {"environnement"}, {"environnement"}, category="locaux")
    assert pairs(kept) == {(1, 2), (2, 1)}


def test_a_day_named_on_both_sides_supports_a_weak_pair(places):
    """Demo: the Repair Café's Saturday workshops ↔ the town's rooms "le week-end": no theme, no
    word in common, a weak meaning; the day both name is the second signal."""
    kept = _weak_pair_round(places, SATURDAY_ROOM, WEEKEND_ROOM, 0.008, {"environnement"}, {"citoyennete"}, category="locaux")
    assert pairs(kept) == {(1, 2), (2, 1)}
    assert (
        pairs(
            _weak_pair_round(
                places, SATURDAY_ROOM, WEEKEND_ROOM, 0.008, {"environnement"}, {"citoyennete"}, category="locaux", facets=False
            )
        )
        == set()
    )


def test_incompatible_days_demote_a_sure_pair_below_a_compatible_one(places):
    found = _one_need_two_offers(places, "locaux", SATURDAY_ROOM, TUESDAY_ROOM, WEEKEND_ROOM, 0.03)
    assert found == [(3, "need_offer"), (2, "need_offer")]
    assert _one_need_two_offers(places, "locaux", SATURDAY_ROOM, TUESDAY_ROOM, WEEKEND_ROOM, 0.03, facets=False)[0] == (2, "need_offer")
    english = _one_need_two_offers(
        places, "locaux", "A room for our workshops on Saturday afternoons", "Meeting room free on weekdays", WEEKEND_ROOM, 0.03
    )
    assert english[0] == (3, "need_offer")


def test_a_funder_whose_focus_meets_the_needers_theme_is_a_need_offer_pair(places):
    """Trial 30/11/2026: « Un mécène pour acheter l'outillage de l'atelier » (a bike association,
    theme mobilite) ↔ « Fondation : … mobilité douce et santé »: weak meaning, below the floor."""
    need, funder = "Un mécène pour acheter l'outillage de l'atelier.", "Fondation : soutien à des projets de mobilité douce et de santé."
    result = _weak_pair_round(places, need, funder, -0.01, {"mobilite"}, {"sante"}, category="financement")
    assert pairs(result) == {(1, 2), (2, 1)}
    assert pairs(_weak_pair_round(places, need, funder, -0.01, {"mobilite"}, {"sante"}, category="financement", facets=False)) == set()
    # a focus elsewhere (education) is never a need ↔ offer pair, even at a sure meaning
    education = "Notre fondation soutient uniquement des projets éducatifs pour les jeunes."
    assert pairs(_weak_pair_round(places, need, education, 0.03, {"mobilite"}, {"sante"}, category="financement")) == set()


def test_a_pair_without_vectors_on_other_days_is_demoted_not_lost(places):
    """No vector (relevance 0.3): the time penalty takes the score below 0 in a far place, and a
    negative score is how a block leaves a pair out; the pair is demoted, not dropped."""
    near, far = places[VILLEURBANNE], places[TOURCOING]
    seeker = actor(1, near, themes=frozenset({"culture"}))
    company = actor(2, far, "entreprise", themes=frozenset({"sport"}))
    listings = [
        listing(
            10, seeker, "need", "locaux", themes=frozenset({"culture"}), description=SATURDAY_ROOM, zone_kind="radius", radius_km=400.0
        ),
        listing(20, company, "offer", "locaux", themes=frozenset({"sport"}), description=TUESDAY_ROOM, zone_kind="radius", radius_km=400.0),
    ]
    cfg = MatchingConfig(theme_pairs=False, freshness_days=1, cross_sector_bonus=0.0)
    assert pairs(run([seeker, company], listings, config=cfg)) == {(1, 2), (2, 1)}


def test_a_second_offer_relevant_in_its_own_right_reaches_a_need_with_free_slots(places):
    """New-user trial (30/11/2026, #2): the Mairie de Saint-Priest's rooms (written without accents)
    never reached the Repair Café's need, whose closest offer was Villeurbanne's rooms, although
    the need had a free slot: the Mairie's offer was not within ``relevance_margin`` of the need's
    best. The need is the Mairie offer's best: the pair is now suggested, on both sides."""
    import numpy as np

    from matching import Vectors

    def row(*head: int) -> np.ndarray:
        vector = np.zeros(384, dtype=np.int8)
        vector[: len(head)] = head
        return vector

    where = places[VILLEURBANNE]
    seeker = actor(1, where)
    closer, second = actor(2, where, "collectivite"), actor(3, where, "collectivite")
    listings = [listing(10, seeker, "need", "locaux"), listing(20, closer, "offer", "locaux"), listing(30, second, "offer", "locaux")]
    cos = 127 / np.hypot(127, 40)
    hub = cos - 0.010  # meaning with the closer offer: 0.010; with the second: 0.002 (both weak)
    vectors = Vectors.from_arrays({10: (row(127, 40), hub), 20: (row(127), hub), 30: (row(127), 2 * (cos - 0.002) - hub)})
    result = run([seeker, closer, second], listings, vectors=vectors)
    assert [s.other_actor for s in result[1]] == [2, 3]  # the closer offer first
    assert [(s.other_actor, s.kind) for s in result[3]] == [(1, "offer_need")]
    assert [(s.other_actor, s.kind) for s in result[2]] == [(1, "offer_need")]
    before = run([seeker, closer, second], listings, vectors=vectors, config=MatchingConfig(theme_pairs=False, own_right_pairs=False))
    assert [s.other_actor for s in before[1]] == [2] and 3 not in before


@pytest.mark.parametrize(("language", "skill"), [("fr", "juridique"), ("en", "legal")])
def test_a_skills_pair_names_the_skill_chosen_on_both_sides(places, language, skill):
    """New-user trial: a suggestion quoting a Compétences need ("vous cherchez « Relire nos statuts »")
    did not say which skill was chosen from the menu; both sides now read it, in their language."""
    from conversations.i18n import translate

    a, b = actor(1, places[LYON]), actor(2, places[LYON], kind="entreprise")
    need = listing(10, a, "need", "competences", subcategory="juridique", description="Relire nos statuts avant l'assemblée")
    offer = listing(20, b, "offer", "competences", subcategory="juridique", description="Nos salariés donnent du temps")
    result = run([a, b], [need, offer])
    for told in (result[1][0], result[2][0]):
        assert told.kind in ("need_offer", "offer_need")
        assert skill in explain(told, translate, language)
    # Outside the skills category nothing of the kind is said.
    other = run([a, b], [listing(11, a, "need", "locaux", subcategory="x"), listing(21, b, "offer", "locaux")])
    assert "compétence" not in explain(other[1][0], translate, "fr")


def _large_block(places, n: int = 400, topics: int = 12):
    """One département's block of ``n`` listings (needs and offers of one category), e5-like
    vectors: a shared direction, one of ``topics`` topic directions and noise; a few without a vector."""
    import numpy as np

    from matching import Vectors

    rng = random.Random(11)
    where = [places[LYON], places[VILLEURBANNE], places["69091"]]
    centers = np.random.default_rng(12).normal(size=(topics, 384))
    base = np.random.default_rng(13).normal(size=384) * 3
    actors, listings, found = [], [], {}
    for ident in range(1, n + 1):
        owner = actor(ident, where[ident % 3], kind=("association", "entreprise", "collectivite")[ident % 3])
        actors.append(owner)
        zone_kind = rng.choice(("commune", "epci", "departement", "radius"))
        listings.append(
            listing(
                ident, owner, ("need", "offer")[ident % 2], "materiel", zone_kind=zone_kind, radius_km=20 if zone_kind == "radius" else None
            )
        )
        if ident % 37:
            found[ident] = (base + centers[rng.randrange(topics)] * 2 + np.random.default_rng(ident).normal(size=384), 0.9)
    return actors, listings, Vectors.from_arrays(found)


def test_a_block_below_the_exact_size_compares_every_pair(places, monkeypatch):
    """Up to ``EXACT_CELLS`` a block compares every need with every offer (the quality sets'
    blocks, far below it, are read exactly as before): no meaning clusters are made."""
    from matching import engine

    actors, listings, vectors = _large_block(places, n=200)
    called: list[int] = []
    split = engine._Round._retrieval_parts

    def spy(self, needs, offers):  # type: ignore[no-untyped-def]
        called.append(len(needs) * len(offers))
        return split(self, needs, offers)

    monkeypatch.setattr(engine._Round, "_retrieval_parts", spy)
    exact = suggest_round(actors, listings, None, MatchingConfig(theme_pairs=False), TODAY, vectors=vectors)
    assert called == []
    assert sum(len(v) for v in exact.values()) > 50


def test_a_block_above_the_exact_size_is_read_by_meaning_clusters_with_the_same_best_pairs(places, monkeypatch):
    """Above ``EXACT_CELLS`` a need meets only the offers of its nearest meaning clusters: far
    fewer pairs are compared, and the suggestions are those of the exact reading (recall ≥ 95 %
    of the exact need ↔ offer suggestions on this clustered block; same input, same output)."""
    from matching import engine

    actors, listings, vectors = _large_block(places)
    config = MatchingConfig(theme_pairs=False)
    exact_round = engine._Round(actors, listings, History(), config, TODAY, None, vectors)
    exact_round.need_offer_pairs()
    exact = suggest_round(actors, listings, None, config, TODAY, vectors=vectors)
    monkeypatch.setattr(engine, "EXACT_CELLS", 1000)
    monkeypatch.setattr(engine, "CLUSTER_SIZE", 24)
    called: list[int] = []
    split = engine._Round._retrieval_parts

    def spy(self, needs, offers):  # type: ignore[no-untyped-def]
        parts = split(self, needs, offers)
        called.append(len(parts))
        seen = [(int(n), int(o)) for part_needs, part_offers in parts for n in part_needs for o in part_offers]
        assert len(seen) == len(set(seen))  # each pair at most once
        return parts

    monkeypatch.setattr(engine._Round, "_retrieval_parts", spy)
    clustered_round = engine._Round(actors, listings, History(), config, TODAY, None, vectors)
    clustered_round.need_offer_pairs()
    assert called and max(called) > 5
    assert clustered_round.pairs_scored < exact_round.pairs_scored / 2
    clustered = suggest_round(actors, listings, None, config, TODAY, vectors=vectors)
    assert suggest_round(actors, listings, None, config, TODAY, vectors=vectors) == clustered

    def listing_pairs(result):  # type: ignore[no-untyped-def]
        return {(s.for_actor, s.my_listing_id, s.their_listing_id) for items in result.values() for s in items}

    wanted = listing_pairs(exact)
    assert len(wanted) > 100
    assert len(wanted & listing_pairs(clustered)) >= 0.95 * len(wanted)


def test_theme_scores_in_nanos_are_pythons_rounding_of_each_score():
    """The theme pairs' scores are rounded as columns (``_nanos``): the same integers, and the same
    comparisons with a bar, as Python's ``round(round(v, 9) * 1e9)`` pair by pair — also for values
    whose ninth decimal is a half (where a plain ``rint(v * 1e9)`` may round the other way)."""
    import numpy as np

    from matching import engine

    rng = random.Random(11)
    values = [rng.random() * rng.choice((0.01, 0.5, 1.0, 1.7)) for _ in range(200_000)]
    values += [(rng.randrange(10**9) + 0.5) / 1e9 for _ in range(20_000)]  # halves, as near as a double gets
    values += [0.0, 1e-10, 5e-10, 1.5e-9, 0.1234567885, 0.9999999995]
    nanos = engine._nanos(np.array(values)).tolist()
    assert nanos == [round(round(v, 9) * 1e9) for v in values]
    bars = [rng.choice((-math.inf, math.inf, round(v, 9), round(v, 9) + 1e-9, round(v, 9) - 1e-9)) for v in values]
    assert [n / 1e9 >= bar for n, bar in zip(nanos, bars)] == [round(v, 9) >= bar for v, bar in zip(values, bars)]
