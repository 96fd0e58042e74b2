"""A suggestion quoted a need or an offer with the verb its author wrote it with (testers, 1 Dec 2026): « vous
cherchez « on cherche des tables… » », « ils proposent « Nous proposons des tables » ». The quote now goes
without its own need or offer verb phrase, capitalised; other descriptions are quoted as written. Failed before."""

from __future__ import annotations

import pytest

from matching.engine import explain
from matching.model import Reason, Suggestion


def _fake(language: str, key: str, **params: object) -> str:
    texts = {
        "match.you_seek": "vous cherchez « {mine} » ; ils proposent « {theirs} »",
        "match.you_offer": "vous proposez « {mine} » ; ils cherchent « {theirs} »",
    }
    return texts.get(key, key).format(**params)


def _said(key: str, mine: str, theirs: str) -> str:
    suggestion = Suggestion(
        for_actor=1, other_actor=2, score=1.0, reasons=(Reason(key, (("mine", mine), ("theirs", theirs))),), kind="need_offer"
    )
    return explain(suggestion, _fake, "fr")


@pytest.mark.parametrize(
    ("mine", "quoted"),
    [
        ("on cherche des tables pour la fête", "Des tables pour la fête"),
        ("Nous cherchons des bénévoles le samedi", "Des bénévoles le samedi"),
        ("Recherche un local pour stocker", "Un local pour stocker"),
        ("nous recherchons une salle", "Une salle"),
        ("On a besoin d'un camion", "Un camion"),
        ("Nous avons besoin de bénévoles", "Bénévoles"),
        ("we are looking for volunteers on Saturdays", "Volunteers on Saturdays"),
        ("We need a van", "A van"),
    ],
)
def test_the_quoted_need_drops_its_verb(mine: str, quoted: str) -> None:
    text = _said("match.you_seek", mine, "Nous proposons des tables")
    assert f"vous cherchez « {quoted} »" in text, text
    assert "ils proposent « Des tables »" in text, text


@pytest.mark.parametrize(
    ("mine", "quoted"),
    [
        ("Nous proposons des ateliers de couture", "Des ateliers de couture"),
        ("on peut prêter notre camion le lundi", "Notre camion le lundi"),
        ("Nous pouvons mettre à disposition une salle", "Une salle"),
        ("we can lend our van", "Our van"),
    ],
)
def test_the_quoted_offer_drops_its_verb(mine: str, quoted: str) -> None:
    text = _said("match.you_offer", mine, "On cherche un camion")
    assert f"vous proposez « {quoted} »" in text and "ils cherchent « Un camion »" in text, text


@pytest.mark.parametrize("mine", ["Des tables pour la fête", "Recherche de bénévoles", "Camion 20 m3", "on cherche"])
def test_a_description_without_a_verb_is_quoted_as_written(mine: str) -> None:
    assert f"« {mine} »" in _said("match.you_seek", mine, "x")


def test_only_the_verb_of_the_listings_own_side_goes() -> None:
    """An offer written « On cherche des assos pour… » (a company looking for whom to help) keeps its words."""
    text = _said("match.you_offer", "On cherche des assos pour accueillir nos salariés", "Nous proposons des tables")
    assert "vous proposez « On cherche des assos pour accueillir nos salariés »" in text, text
    assert "ils cherchent « Nous proposons des tables »" in text, text


@pytest.mark.parametrize(
    ("language", "mine", "theirs", "said"),
    [
        (
            "fr",
            "on cherche des tables pour la fête",
            "Nous pouvons prêter 20 tables",
            "vous cherchez « Des tables pour la fête » ; ils proposent « 20 tables »",
        ),
        (
            "en",
            "we are looking for a van on Saturdays",
            "We can lend our minibus",
            "you are looking for “A van on Saturdays”; they offer “Our minibus”",
        ),
    ],
)
def test_the_catalogs_quote_what_is_sought(language: str, mine: str, theirs: str, said: str) -> None:
    from conversations.i18n import translate

    suggestion = Suggestion(1, 2, 1.0, (Reason("match.you_seek", (("mine", mine), ("theirs", theirs))),), "need_offer")
    assert explain(suggestion, translate, language) == said


@pytest.mark.parametrize(("mine", "theirs"), [("Des tables pour la fête", ""), ("", "Des tables"), ("Des tables", "  ")])
def test_an_empty_description_is_never_quoted(mine: str, theirs: str) -> None:
    """Trial 38: an offer published with an empty description (its only text a contact, taken out) was quoted
    « ils proposent «  » ». A quote with nothing in it is no reason: left out (older listings may still be empty)."""
    assert "«  »" not in _said("match.you_seek", mine, theirs)
    assert _said("match.you_seek", mine, theirs) == ""
