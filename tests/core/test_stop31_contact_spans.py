"""One reading of contact details for the two places that take them out of a text: a listing's or a
presentation's text (:func:`without_contacts`, the clause that gives them) and an answer read at a choice
(:func:`without_contact_details`, so that « acme-digital.fr » never picks the theme Digital). The second
read phones by their normalised text and missed one written with two spaces (« 06  12 34 56 78 »)."""

from __future__ import annotations

import pytest

from conversations.understanding import without_contact_details, without_contacts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("écrivez au 06  12 34 56 78 svp", "écrivez au svp"),
        ("numéro 06.12.34.56.78 ou 04 72  00 00 00", "numéro ou"),
        ("kate@acme-digital.fr, www.acme-digital.fr", ","),
        ("call +33 6 12 34 56 78 or jo@ex.org", "call or"),
        ("environnement et culture", "environnement et culture"),
        ("0612345678@sms.example", ""),
    ],
)
def test_contact_details_are_all_taken_out_of_an_answer(text: str, expected: str) -> None:
    assert without_contact_details(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "On prête des tables pour vos fêtes, appelez Mme Dupont au 06  12 34 56 78.",
        "We lend tables for your events, write to jo@ex.org or call +33 6 12 34 56 78.",
    ],
)
def test_a_listing_keeps_no_contact_detail(text: str) -> None:
    cleaned, removed = without_contacts(text)
    assert removed and "12 34" not in cleaned and "@" not in cleaned, cleaned
    assert cleaned.startswith(("On prête des tables", "We lend tables")), cleaned
