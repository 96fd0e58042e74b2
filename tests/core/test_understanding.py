"""The pure text understanding: choices, yes and no, contacts and places in sentences, guesses."""

from __future__ import annotations

import pytest

from conversations.understanding import (
    Match,
    find_email,
    find_phone,
    guess_listing,
    labels_in_sentence,
    match_choice,
    number_list,
    place_queries,
    shorten,
    yes_no,
)

KINDS = [["Association", "association"], ["Entreprise", "entreprise"], ["Collectivité", "collectivite"], ["Autre structure", "autre"]]
THEMES = [
    [label]
    for label in (
        "Alimentation",
        "Santé",
        "Environnement",
        "Emploi et insertion",
        "Éducation et jeunesse",
        "Culture",
        "Sport",
        "Solidarité et action sociale",
        "Numérique",
        "Logement",
        "Mobilité",
        "Citoyenneté",
    )
]
ZONES = [
    ["La commune : Tourcoing (59)"],
    ["L'intercommunalité : Métropole Européenne de Lille"],
    ["Le département : Nord (59)"],
    ["10 km autour de Tourcoing (59)"],
    ["35 km autour de Tourcoing (59)"],
]


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("asso", 0),
        ("ASSOCIATION", 0),
        ("Assocation", 0),
        ("entrep", 1),
        ("collectivite", 2),
        ("2", 1),
        ("autre", 3),
        ("Collectivité.", 2),
    ],
)
def test_choices_by_number_label_prefix_and_typo(text: str, index: int) -> None:
    assert match_choice(text, KINDS) == Match(index)


@pytest.mark.parametrize(
    ("text", "index"),
    [("environement", 2), ("Envirronement", 2), ("sante", 1), ("solidarite", 7), ("insertion", 3), ("jeunesse", 4)],
)
def test_themes_with_typos_and_without_accents(text: str, index: int) -> None:
    assert match_choice(text, THEMES) == Match(index)


def test_a_zone_typed_as_text() -> None:
    assert match_choice("Métropole Européenne de Lille", ZONES) == Match(1)
    assert match_choice("metropole europeene de lile", ZONES) == Match(1)
    assert match_choice("le nord", ZONES) == Match(2)


def test_nothing_or_several_close_options() -> None:
    assert match_choice("banane", KINDS) == Match()
    assert match_choice("9", KINDS) == Match()
    assert match_choice("a", KINDS) == Match()
    close = match_choice("tourcoing", ZONES).close
    assert 2 <= len(close) <= 3 and 0 in close


@pytest.mark.parametrize(
    "text", ["oui", "Oui, bien sûr !", "ok", "OK", "d'accord", "volontiers", "avec plaisir", "yes please", "sure", "👍", "Ouais"]
)
def test_yes(text: str) -> None:
    assert yes_no(text) is True


@pytest.mark.parametrize("text", ["non", "Non merci", "pas du tout", "surtout pas", "no thanks", "nope", "Nan", "👎"])
def test_no(text: str) -> None:
    assert yes_no(text) is False


@pytest.mark.parametrize(
    "text",
    ["banane", "oui non", "", "peut-être", "Oui mais en fait nous avons déménagé à Lyon 3e depuis l'an dernier"],
)
def test_neither_yes_nor_no(text: str) -> None:
    assert yes_no(text) is None


@pytest.mark.parametrize(("text", "numbers"), [("2 3", [2, 3]), ("2,3", [2, 3]), ("2 et 3", [2, 3]), ("2 and 3", [2, 3]), ("1", [1])])
def test_number_lists(text: str, numbers: list[int]) -> None:
    assert number_list(text) == numbers


def test_not_number_lists() -> None:
    assert number_list("deux") is None and number_list("2 pommes") is None and number_list("") is None


def test_contacts_inside_sentences() -> None:
    assert find_email("Joignez-moi à Thomas.Martin@exemple.fr, merci.") == "thomas.martin@exemple.fr"
    assert find_phone("appelez le 06 12 34 56 78 ou écrivez à thomas@exemple.fr") == "06 12 34 56 78"
    assert find_phone("+33 6 12 34 56 78") == "+33 6 12 34 56 78"
    assert find_phone("nous sommes 12 bénévoles depuis 2015") is None
    assert find_email("pas d'adresse") is None


def test_places_inside_sentences() -> None:
    assert place_queries("à Tourcoing (59200)")[0] == "Tourcoing (59200)"
    assert "Tourcoing (59200)" in place_queries("On est installés à Tourcoing (59200) depuis 2010")
    assert place_queries("nous sommes à Villeurbanne") == ["Villeurbanne"]
    assert "59200" in place_queries("code postal 59200")
    assert place_queries("Villeurbanne") == []


@pytest.mark.parametrize(
    ("text", "kind", "category"),
    [
        ("on cherche des bénévoles le samedi matin", "need", "benevoles"),
        ("nous pouvons prêter une salle", "offer", "locaux"),
        ("Nous avons besoin d'une camionnette pour les collectes", "need", "materiel"),
        ("we can lend a van for the weekend", "offer", "materiel"),
        ("We are looking for volunteers on Saturday", "need", "benevoles"),
    ],
)
def test_guess_a_listing_from_a_sentence(text: str, kind: str, category: str) -> None:
    guess = guess_listing(text)
    assert (guess.kind, guess.category) == (kind, category)


def test_guess_skills_and_nothing() -> None:
    guess = guess_listing("Nous cherchons un comptable et un graphiste pour la communication")
    assert guess.category == "competences" and guess.skills == ("comptabilite", "communication")
    assert not guess_listing("bonjour").is_listing
    assert not guess_listing("hello there friend").is_listing


def test_shorten_at_a_word() -> None:
    text = "mot " * 200
    cut = shorten(text.strip(), 280)
    assert len(cut) <= 280 and cut.endswith("mot…")
    assert shorten("court", 280) == "court"


def test_options_named_in_a_sentence() -> None:
    said = labels_in_sentence("Nous agissons surtout pour l'insertion professionnelle et le numérique.", THEMES)
    assert said == [3, 8]
    assert match_choice("Bonjour, nous sommes une entreprise de services numériques.", KINDS) == Match(1)
    assert match_choice("Nous sommes une association et une entreprise", KINDS).index is None


@pytest.mark.parametrize(
    ("text", "kind", "category"),
    [
        # offers typed the way companies write them (new-user trial): giving verbs and forms
        ("Nous pouvons prêter notre camion le week-end", "offer", "materiel"),
        ("Notre cabinet peut offrir des heures de conseil juridique", "offer", "competences"),
        ("Notre entreprise peut accompagner votre bilan annuel", "offer", "competences"),
        ("Nous mettons à disposition une salle le mardi soir", "offer", "locaux"),
        ("Des chaises et des tables à donner", "offer", "materiel"),
        ("Si vous avez besoin d'un camion, nous pouvons prêter le nôtre", "offer", "materiel"),
        ("We have a van to lend at weekends", "offer", "materiel"),
        ("we can offer accounting help", "offer", "competences"),
        # needs stay needs, also when an offer verb is received by the speaker
        ("Nous cherchons un local pour nos réunions", "need", "locaux"),
        ("Il nous faut un coup de main pour la compta", "need", "competences"),
        ("Qui pourrait nous prêter un camion samedi ?", "need", "materiel"),
        ("Des données à ranger, nous cherchons un informaticien", "need", "competences"),
        ("we need someone for our website", "need", "competences"),
        ("compta… perdu avec les factures", "need", "competences"),
    ],
)
def test_need_or_offer_from_the_words_people_use(text: str, kind: str, category: str) -> None:
    guess = guess_listing(text)
    assert (guess.kind, guess.category) == (kind, category)


def test_a_sentence_saying_both_or_neither_is_not_guessed() -> None:
    assert guess_listing("Nous donnons des légumes mais nous cherchons un camion").kind is None
    assert guess_listing("Un camion pour le week-end").kind is None


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("compta… perdu avec les factures", "comptabilite"),
        ("aide pour nos fiches de paie", "comptabilite"),
        ("quelqu'un pour relire notre bilan", "comptabilite"),
        ("un coup de main juridique pour nos statuts", "juridique"),
        ("refaire notre site web", "numerique"),
        ("de l'aide pour la com' de la fête", "communication"),
    ],
)
def test_common_words_and_abbreviations_name_the_skill(text: str, skill: str) -> None:
    guess = guess_listing(text)
    assert guess.category == "competences" and skill in guess.skills, guess


def _fold_reference(text: str) -> str:
    """fold() as it was written first (every text decomposed): the fast paths must agree with it."""
    import re
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", stripped).strip().lower()


def test_fold_agrees_with_its_reference_on_ascii_accents_and_odd_whitespace() -> None:
    from conversations.understanding import fold

    texts = [
        "",
        "1",
        "  Les   amis de 5 ",
        "retour",
        "Asso\tdes\nPentes\r\n",
        "A\x0bB\x0cC\x1cD\x1dE\x1eF\x1fG",  # every ASCII character Python counts as whitespace
        "ÉCOLE  Sainte-Thérèse",
        "Collectivité ou établissement public",
        "ﬁnance ½ ²",  # compatibility forms (NFKD)
        "Oui\u00a0!\u2003merci",  # non-breaking and em spaces
        "İstanbul ß",
        "".join(chr(c) for c in range(128)),
    ]
    for text in texts:
        assert fold(text) == _fold_reference(text), repr(text)
        assert fold(text) == _fold_reference(text), repr(text)  # again: from the cache
