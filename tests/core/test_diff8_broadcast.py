"""A coordinator trying /diffuser and /stats (diff8, 1 Dec 2026): the types of actors said in words
(« juste les assos », "everyone", « tous c bon »), a typed "1" said back, no « Une seule commune de
mon territoire » for a territory that is one commune, the answers recipients get shown in the
preview, « je veux envoyer un message à toutes les assos » at the menu leading to /diffuser, and the
period of /stats read (« le dernier mois », "this year")."""

from __future__ import annotations

import json

import pytest

from core.clock import iso, utcnow
from storage import coordination
from tests.core.people import Person
from tests.core.test_coordination import METROPOLE_LYON, VILLEURBANNE, rows, territory  # noqa: F401  (fixture)

pytestmark = pytest.mark.backends


async def _coordinator(app, people, name: str, language: str, area=VILLEURBANNE) -> Person:  # type: ignore[no-untyped-def]
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", name, area, "test:admin", iso(utcnow())))
    return Person(app.runtime, people["asso"].adapter, name, language)


async def _at_types(marie: Person) -> None:
    await marie.say("/diffuser")
    if not marie.question.multi:  # the area, when there is one to choose
        await marie.press(marie.question.choices[0].label)


# ---------------------------------------------------------------- 1. the types of actors said in words

_TYPES_FR = [
    ("juste les assos", ["association"]),
    ("seulement les entreprises", ["entreprise"]),
    ("les assos et les collectivités", ["association", "collectivite"]),
    ("uniquement les associations c'est bon", ["association"]),
    ("tous c bon", []),
    ("tout le monde", []),
    ("les entreprises et les assos, c'est tout", ["association", "entreprise"]),
    ("juste les assos et les entreprises", ["association", "entreprise"]),  # trial 29: was « Entreprise » alone
    ("les assos seulement", ["association"]),
]
_TYPES_EN = [
    ("just the associations", ["association"]),
    ("only companies", ["entreprise"]),
    ("everyone", []),
    ("the associations and the companies, done", ["association", "entreprise"]),
]


async def _send_with_types(marie: Person, typed: str) -> str:
    await _at_types(marie)
    await marie.say(typed)
    said = marie.text()
    await marie.say("ok")  # every theme
    await marie.say("Qui peut prêter des tables au marché samedi ?")
    await marie.press(marie.question.choices[0].label)  # no answer
    await marie.press(marie.question.choices[0].label)  # send
    return said


@pytest.mark.parametrize(("typed", "kinds"), _TYPES_FR)
async def test_types_said_in_words(territory, typed: str, kinds: list[str]) -> None:
    app, _, people = territory
    said = await _send_with_types(people["marie"], typed)
    assert "reconnu" not in said and "Destinataires :" in said, said
    stored = rows(app, "SELECT actor_kinds FROM broadcasts")
    assert len(stored) == 1 and sorted(json.loads(stored[0][0])) == kinds, stored


@pytest.mark.parametrize(("typed", "kinds"), _TYPES_EN)
async def test_types_said_in_words_in_english(territory, typed: str, kinds: list[str]) -> None:
    app, _, people = territory
    john = await _coordinator(app, people, "john", "en", METROPOLE_LYON)
    said = await _send_with_types(john, typed)
    assert "recognise" not in said.lower() and "Recipients:" in said, said
    stored = rows(app, "SELECT actor_kinds FROM broadcasts")
    assert len(stored) == 1 and sorted(json.loads(stored[0][0])) == kinds, stored


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("1", "Destinataires : les associations"),
        ("1 2", "Destinataires : les associations, les entreprises"),
        ("ok", "Destinataires : tous les types d'acteurs"),
    ],
)
async def test_what_the_types_answer_means_is_said_back(territory, typed: str, said: str) -> None:
    marie = territory[2]["marie"]
    await _at_types(marie)
    await marie.say(typed)
    assert said in marie.text() and "thèmes" in marie.question.text, marie.text()


async def test_what_the_types_answer_means_is_said_back_in_english(territory) -> None:
    app, _, people = territory
    john = await _coordinator(app, people, "john", "en", METROPOLE_LYON)
    await _at_types(john)
    await john.say("1")
    assert "Recipients: associations" in john.text(), john.text()


# ---------------------------------------------------------------- 2. no choice that changes nothing


async def test_one_commune_is_not_offered_when_the_territory_is_one_commune(territory) -> None:
    marie = territory[2]["marie"]
    await marie.say("/diffuser")
    labels = [c.label for c in marie.question.choices]
    assert "Une seule commune de mon territoire" not in labels and "C'est noté : Villeurbanne (69)" in marie.text(), labels


async def test_one_commune_is_still_offered_for_an_intercommunality(territory) -> None:
    app, _, people = territory
    john = await _coordinator(app, people, "claire", "fr", METROPOLE_LYON)
    await john.say("/diffuser")
    assert "Une seule commune de mon territoire" in [c.label for c in john.question.choices]


# ---------------------------------------------------------------- 3. the answers recipients get, in the preview


@pytest.mark.parametrize(
    ("mode", "shown", "language"),
    [
        ("Un bouton « Intéressé·e »", "[Intéressé·e]", "fr"),
        ("Une réponse écrite", "en écrivant", "fr"),
        ("Pas de réponse (information)", "aucune réponse", "fr"),
        ("An “Interested” button", "[Interested]", "en"),
        ("A written answer", "by writing", "en"),
    ],
)
async def test_the_preview_shows_how_recipients_answer(territory, mode: str, shown: str, language: str) -> None:
    app, _, people = territory
    marie = people["marie"] if language == "fr" else await _coordinator(app, people, "john", "en", METROPOLE_LYON)
    await _at_types(marie)
    await marie.say("ok")
    await marie.say("ok")
    await marie.say("Qui peut prêter des tables au marché samedi ?")
    labels = [c.label for c in marie.question.choices]
    assert mode in labels, labels
    await marie.press(mode)
    assert shown.lower() in marie.question.text.lower(), marie.question.text


# ---------------------------------------------------------------- 4. a wish to write to everyone, at the menu


@pytest.mark.parametrize(
    ("typed", "language", "kinds"),
    [
        ("je veux envoyer un message à toutes les assos", "fr", "les associations"),
        ("comment j'envoie un message à toutes les entreprises ?", "fr", "les entreprises"),
        ("je voudrais prévenir tous les acteurs du territoire", "fr", None),
        ("I want to send a message to all the associations", "en", "associations"),
        ("how do I message all the companies?", "en", "companies"),
    ],
)
async def test_a_wish_to_write_to_everyone_leads_to_diffuser(territory, typed: str, language: str, kinds: str | None) -> None:
    app, _, people = territory
    marie = people["marie"] if language == "fr" else await _coordinator(app, people, "john", language)
    await marie.say(typed)
    said = marie.text()
    assert "/diffuser" in said or "/broadcast" in said, said
    assert "/reponses" not in said and "/answers" not in said, said  # not the list of every command
    if kinds is not None:  # the only territory taken and said, the types read: the themes next
        assert (
            "Villeurbanne (69)" in marie.text()
            and kinds in marie.text()
            and ("thèmes" in marie.question.text or "themes" in marie.question.text)
        ), marie.text()


async def test_the_wish_of_someone_who_is_not_a_coordinator_starts_no_call(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    await asso.say("je veux envoyer un message à toutes les assos")
    assert "Pour quels types" not in asso.text() and "territoire s'adresse" not in asso.text(), asso.text()
    assert rows(app, "SELECT COUNT(*) FROM broadcasts") == [(0,)]


# ---------------------------------------------------------------- 5. the period of /stats


@pytest.mark.parametrize(
    ("typed", "days", "language"),
    [
        ("le dernier mois", 30, "fr"),
        ("ce mois-ci", 30, "fr"),
        ("sur l'année", 365, "fr"),
        ("le trimestre", 90, "fr"),
        ("last month", 30, "en"),
        ("this year", 365, "en"),
    ],
)
async def test_the_period_of_stats_is_read(territory, typed: str, days: int, language: str) -> None:
    app, _, people = territory
    marie = people["marie"] if language == "fr" else await _coordinator(app, people, "john", language)
    await marie.say("/stats")
    await marie.say(typed)
    said = marie.text()
    assert (
        "ressemblent" not in said
        and "look like" not in said.lower()
        and "impact.csv" in [r.attachment.filename for r in marie.last if r.attachment]
    ), said


async def test_the_wish_of_a_coordinator_with_a_profile_at_the_menu(territory) -> None:
    app, _, people = territory
    asso = people["asso"]  # an association's profile, and the territory's coordination
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "asso", VILLEURBANNE, "test:admin", iso(utcnow())))
    await asso.say("/menu")
    await asso.say("je veux envoyer un message à toutes les entreprises")
    said = asso.text()  # her only territory taken and said, the types read: the themes next
    assert "/diffuser" in said and "C'est noté : Villeurbanne (69)" in said and "les entreprises" in said, said
    assert "thèmes" in asso.question.text, said


@pytest.mark.parametrize(("typed", "language"), [("derniers trucs", "fr"), ("les deniers jours", "fr"), ("the last days", "en")])
async def test_an_unclear_period_offers_the_periods_in_the_order_of_the_question(territory, typed: str, language: str) -> None:
    app, _, people = territory
    marie = people["marie"] if language == "fr" else await _coordinator(app, people, "john", language)
    await marie.say("/stats")
    await marie.say(typed)
    said = marie.text()
    numbers = [said.find(f"{n}. ") for n in (1, 2, 3) if f"{n}. " in said]
    assert len(numbers) > 1 and numbers == sorted(numbers), said
