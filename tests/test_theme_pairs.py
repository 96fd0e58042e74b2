"""Theme pairs (same theme, same place, no need ↔ offer answering): which are proposed, in which
order, and how they read (new-user trial 30/11/2026, #4 and "Suggestions checked")."""

from __future__ import annotations

from dataclasses import replace

from conversations.decisions import DecisionView, OtherActor, decision_reply, explanation
from conversations.i18n import translate
from matching import History, MatchingConfig, explain, suggest_round
from tests.test_matching import LYON, TODAY, VILLEURBANNE, actor, listing, places  # noqa: F401  (fixture)


def _theme_round(actors, listings=(), **config):
    return suggest_round(actors, list(listings), History(), MatchingConfig(**config), TODAY)


def test_two_companies_are_not_proposed_to_each_other_on_a_theme(places):
    """Cabinet Martin ↔ Banque Coopérative, both companies in Lyon, "emploi et insertion"."""
    firm, bank = actor(1, places[LYON], "entreprise"), actor(2, places[LYON], "entreprise")
    assert not _theme_round([firm, bank])
    assert _theme_round([firm, replace(bank, kind="association")])
    assert _theme_round([firm, bank], theme_pairs_between_companies=True)


def test_a_local_authority_is_a_theme_partner_on_its_own_commune_only(places):
    """Ville de Villeurbanne's associative service was proposed to a Saint-Priest association
    ("c'est pas notre ville"); on Villeurbanne it still is."""
    town = actor(1, places[VILLEURBANNE], "collectivite")
    elsewhere, local = actor(2, places[LYON]), actor(3, places[VILLEURBANNE])
    found = _theme_round([town, elsewhere, local])
    assert {s.other_actor for s in found[1]} == {3}
    assert 2 not in found or all(s.other_actor != 1 for s in found[2])


def test_the_other_sides_listings_order_theme_partners(places):
    """A rugby club that needs premises and asked for no money was first offered a bank's
    sponsorship on the theme "sport": the town hall lending rooms comes first, the bank last."""
    where = places[VILLEURBANNE]
    sport = frozenset({"sport"})
    club = actor(1, where, themes=sport)
    bank = actor(2, where, "entreprise", themes=sport)
    town = actor(3, where, "collectivite", themes=sport)
    other_club = actor(4, where, themes=sport)
    listings = [
        listing(10, club, "need", "locaux", themes=sport, description="Un terrain ou un gymnase le mardi soir"),
        listing(20, bank, "offer", "financement", themes=sport, description="Mécénat pour les clubs sportifs"),
        listing(30, town, "offer", "benevoles", themes=sport, description="Des agents pour vos événements"),
        listing(31, town, "offer", "locaux", themes=sport, description="Réunions en salle polyvalente le jeudi matin"),
    ]
    found = _theme_round([club, bank, town, other_club], listings)
    order = [s.other_actor for s in found[1] if s.kind == "theme"]
    assert order[0] == 3 and order[-1] == 2, order
    # without the listings' fit, the bank (a cross-sector alliance) came before the other club
    plain = _theme_round([club, bank, town, other_club], listings, weight_listing_fit=0.0)
    assert [s.other_actor for s in plain[1] if s.kind == "theme"].index(2) < [s.other_actor for s in plain[1]].index(4)


def test_a_theme_pair_names_what_both_act_for_and_the_shared_area_positively(places):
    """« pas de besoin et d'offre qui se répondent, mais le même thème au même endroit » read as
    "this does not fit you", and "au même endroit" was said of Saint-Priest and Villeurbanne."""
    grocery = replace(actor(1, places[LYON]), commune_name="Lyon", epci_name="Métropole de Lyon")
    bakery = replace(actor(2, places[VILLEURBANNE], "entreprise"), commune_name="Villeurbanne", epci_name="Métropole de Lyon")
    neighbour = replace(actor(3, places[LYON]), commune_name="Lyon", epci_name="Métropole de Lyon")
    found = _theme_round([grocery, bakery, neighbour])
    texts = {s.other_actor: explain(s, translate, "fr") for s in found[1]}
    assert texts[2].startswith("vous agissez tous deux pour l'alimentation dans la Métropole de Lyon, de quoi monter un projet ensemble")
    assert texts[3].startswith("vous agissez tous deux pour l'alimentation à Lyon")
    english = explain(next(s for s in found[1] if s.other_actor == 2), translate, "en")
    assert english.startswith("you both work for food in the Métropole de Lyon")
    for text in texts.values():
        assert "pas de besoin" not in text and "même endroit" not in text


def test_a_theme_suggestion_shows_the_other_sides_open_listings():
    """The bakery's open offer « Invendus de pain… » is what a food-aid treasurer wants: the
    suggestion shows it, as /annuaire does, cut short."""
    bakery = OtherActor(
        "Boulangerie des Gratte-Ciel",
        "entreprise",
        "Villeurbanne (69)",
        listings=(("offer", "materiel", "Invendus de pain et viennoiseries chaque soir, à récupérer avant 20 h. " * 3),),
    )
    reasons = (("match.together_in_epci", {"themes_the": ("alimentation",), "epci": "Métropole de Lyon"}), ("match.joint_project", {}))
    text = decision_reply(DecisionView("S1", "suggestion", bakery, reasons), "fr").text
    assert "Pourquoi : vous agissez tous deux pour l'alimentation dans la Métropole de Lyon, de quoi monter un projet ensemble." in text
    assert "Leurs annonces :\n• Offre — Matériel : Invendus de pain et viennoiseries chaque soir" in text
    line = next(line for line in text.splitlines() if line.startswith("• Offre"))
    assert len(line) < 120 and line.endswith("…")
    english = decision_reply(DecisionView("S1", "suggestion", bakery, reasons), "en").text
    assert "Their listings:\n• Offer — Equipment" in english or "Their listings:\n• Offer — " in english
    assert explanation(reasons, "en").startswith("you both work for food in the Métropole de Lyon")
    plain = decision_reply(DecisionView("S1", "suggestion", replace(bakery, listings=()), reasons), "fr").text
    assert "Leurs annonces" not in plain
