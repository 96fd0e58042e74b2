"""Chatter around a long message is no listing (trial 30a: « Je sais pas si c le bon endroit pour demander tout ca… bonne
journee » was offered as a Locaux need, « …merci d'avance 🙏🙏 ah » ended a need's description)."""

from __future__ import annotations

import pytest

from conversations.understanding import guess_listing, without_courtesy


@pytest.mark.parametrize(
    "text",
    [
        "Je sais pas si c le bon endroit pour demander tout ca… bonne journee",
        "je ne sais pas si je suis au bon endroit pour poser la question",
        "pas sûr que ce soit le bon endroit pour ça",
        "not sure this is the right place to ask, have a nice day",
    ],
)
def test_talk_about_asking_here_names_no_category(text: str) -> None:
    assert guess_listing(text).categories == (), guess_listing(text)


@pytest.mark.parametrize(
    "text",
    ["on cherche un endroit pour stocker nos tables", "il nous faut un endroit pour nos réunions", "we need a room for our meetings"],
)
def test_a_place_sought_is_still_premises(text: str) -> None:
    assert "locaux" in guess_listing(text).categories, guess_listing(text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("on cherche une salle pour notre AG, merci d'avance 🙏🙏 ah", "on cherche une salle pour notre AG"),
        ("on a besoin de chaises pour samedi, bref", "on a besoin de chaises pour samedi"),
        ("we need a van on Saturday, thanks in advance lol", "we need a van on Saturday"),
    ],
)
def test_an_interjection_closing_a_message_goes_with_the_thanks(text: str, kept: str) -> None:
    assert without_courtesy(text) == kept


def test_an_interjection_inside_stays() -> None:
    assert without_courtesy("on cherche un local, bah oui, pour nos réunions") == "on cherche un local, bah oui, pour nos réunions"
