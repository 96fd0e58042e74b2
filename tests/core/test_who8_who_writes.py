"""Who writes is read in one place (:func:`conversations.understanding.writes_oneself`), the router asks it: the
phrasings the first-message tests use (intro7, t19a, trial8, trial19…), French and English, pinned row by row; with what
follows of the structure (:func:`conversations.understanding.structure_part`). A phrasing moved from one answer to the
other is a change of behaviour, never a refactoring."""

from __future__ import annotations

import pytest

import conversations.router as router
from conversations.understanding import structure_part, writes_oneself

# a person says who writes: a role, a first name — never the structure's presentation
SAYS_WHO_WRITES = [
    # French, a role
    "Ici la présidente de l'asso Les Potes du Jardin à Villeurbanne",
    "coucou ici la secrétaire de l'asso Les Mains Vertes a caluir",
    "Bonjour, je suis trésorier du FC Bron",
    "je suis la trésorière",
    "je suis trésorière bénévole",
    "Je suis trésorière du club de foot US Villeurbanne",
    "je suis président de la chorale de st priest",
    "Bonjour, je suis la secrétaire du FC Bron, nous cherchons des bénévoles pour le tournoi du 14 juin",
    "Bonjour, je suis bénévole dans le club Les Canuts à Lyon",
    "Bonjour, je suis bénévole à l'asso Les Potes du Jardin à Bron",
    "Bonjour, je suis chargée RSE chez Dupont & Fils, une PME de 80 salariés à Vénissieux.",
    "bjr jsuis chargée RSE chez Octalis a bron",
    "bjr jsuis tresorier de l'asso les p'tits crampons a venissieux, faudrait un minibus pour les matchs",
    "slt jsuis coach à l'US Villeurbanne, on a besoin de maillots",
    "je suis responsable RSE chez Decathlon Lyon et on voudrait soutenir des associations",
    "C la tresoriere du club de foot de Bron",
    "c lanimatrice du club de foot",  # « l'animatrice », its apostrophe left out
    "moi c'est Karim, président du club de boxe de vaulx en velin, on cherche des gants",
    # French, a first name
    "slt c Karim du club Vélo Pour Tous a villeurbane",
    "slt c moi karim du club de boxe de vaulx en velin on cherche des gants",
    "salut c Karim de l'asso Vélo Pour Tous",
    "Bonjour, ici Julie de l'association Lire Ensemble à Lyon",
    "moi c'est Paul, de l'asso Les Canuts Solidaires à Lyon",
    "Paul ici, de l'amicale laïque de Bron. On cherche des bénévoles",
    "Bonjour, Paul de l association Les Jardins partagés à Vaulx-en-Velin, on cherche des bénévoles",
    "je suis Paul du Repair Café ici",
    "Je suis Marie et je cherche un local pour mon asso à Bron",
    "c karim, on cherche des tables",
    "C'est Inès, on cherche un local",
    # English, a role
    "hi, I'm the treasurer of FC Bron, we need volunteers for our tournament on June 14",
    "hey i'm the secretary of the blue river choir in villeurbanne, we need a room for rehearsals",
    "Hi, I'm Jo, volunteer at the Caluire food bank. We would like to find drivers for our rounds.",
    # English, a first name
    "I'm Sarah from Bike Kitchen Lyon in Villeurbanne, we're a non profit",
    "I am Sarah from the Green Bikes Club",
    "Hello, this is Emma from Riverside Food Bank in Lille",
    "this is Tom from Acme Consulting in Lyon. We can offer pro bono legal advice.",
    "Hi, Tom here from the Green Wheels club in Lyon, we're a charity",
    "hey, Julia from the Lille Repair Cafe here",
    "It's Sam, from the Green Bikes",
    "its Tom.",
    "Sarah here from Green Bikes",
    "Hi! Emma here, CSR at Boulangerie Dupont in Villeurbanne.",
    "  je suis la trésorière du club",  # spaces before: still who writes
]

# the structure speaks, or what is asked: nobody says who writes
SAYS_NOBODY = [
    "Nous sommes l asso Les Jardins partagés à Lyon 4e, on cherche des bénévoles le samedi",
    "nous sommes la commune de Vaulx-en-Velin nous proposons un minibus le week-end",
    "on est une asso de quartier à Bron et on cherche des bénévoles pour la fête",
    "c'est la chorale de bron ici, on cherche une salle",
    "je fais partie de l'amicale laïque de bron nous aurions besoin d'un barnum",
    "on aurait besoin d'une machine à pop-corn pour nos soirées",
    "Bonjour à tous, on cherche des bénévoles pour la collecte svp",
    "nous proposons du mécénat de compétences en informatique et en gestion de projet",
    "Bonjour, est-ce que des assos cherchent une salle le samedi ?",
    "C'est quoi ce truc ?",
    "je viens chercher des infos sur les subventions",
    "we need volunteers for the tournament and we can lend our goals and balls",
    "we are looking for volunteers on Saturday",
    "We can lend our van",
    "Hi, we're a small company in Lyon. We can lend a van",
    "I already told you",
    # how things are, not a first name (« urgent », "important" after « c'est » / "it's": stop 29's note)
    "It's urgent, we need a van",
    "it s simple, we need chairs",
    "This is urgent: we need chairs",
    "c urgent, on cherche un camion",
    "c important. on cherche des bénévoles",
    "c pressé!",
    "c bon, on cherche des tables",
    "ici urgent, besoin de tables",
    "c compliqué, on cherche un local",
    "It's great, we need a projector",
]


@pytest.mark.parametrize("text", SAYS_WHO_WRITES)
def test_who_writes_is_read(text: str) -> None:
    assert writes_oneself(text), text


@pytest.mark.parametrize("text", SAYS_NOBODY)
def test_nobody_said_is_not_who_writes(text: str) -> None:
    assert not writes_oneself(text), text


@pytest.mark.parametrize(
    ("text", "structure"),
    [
        ("je suis la présidente du club, nous sommes une asso de foot pour les enfants", "Nous sommes une asso de foot pour les enfants"),
        (
            "Bonjour, je suis chargée RSE chez Dupont & Fils, une PME de 80 salariés à Vénissieux.",
            "Dupont & Fils, une PME de 80 salariés à Vénissieux.",
        ),
        (
            "Ici la présidente de l'asso Les Potes du Jardin, nous cultivons des légumes avec les habitants",
            "Nous cultivons des légumes avec les habitants",
        ),
        (
            "I'm Sarah from Bike Kitchen Lyon, we're a non profit that repairs bikes with young people",
            "We're a non profit that repairs bikes with young people",
        ),
        ("I'm Sarah from Bike Kitchen Lyon in Villeurbanne, we're a non profit", ""),  # a type, read apart
        ("Bonjour, je suis trésorier du FC Bron", ""),
        ("Hello, this is Emma from Riverside Food Bank in Lille", ""),
    ],
)
def test_what_follows_who_writes_about_the_structure(text: str, structure: str) -> None:
    assert structure_part(text) == structure


def test_the_router_reads_no_writer_itself() -> None:
    """One reading: the router asks understanding, it has no pattern of its own about who writes."""
    assert not hasattr(router, "_the_writer") and not hasattr(router, "_WRITER") and not hasattr(router, "_structure_part")
    assert router.writes_oneself is writes_oneself and router.structure_part is structure_part
