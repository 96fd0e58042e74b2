"""The directory (/annuaire): actors see consenting profiles of their département with their
listings, coordinators every actor of their territory with filters and pages; "Me présenter"
goes through the double opt-in; nothing outside one's reach."""

from __future__ import annotations

import json

import pytest

from conversations.directory import DirectoryIntroduce
from core.clock import iso, utcnow
from services import directory
from tests.core.test_coordination import deliver, rows, territory  # noqa: F401  (fixture)

pytestmark = pytest.mark.backends


async def test_an_actor_browses_and_asks_to_be_introduced(territory) -> None:
    app, adapter, people = territory
    asso, boulangerie = people["asso"], people["boulangerie"]
    await asso.say("/annuaire")
    await asso.press("Tout le monde")
    labels = [c.label for c in asso.question.choices]
    assert "Boulangerie Gratte-Ciel (Entreprise, Villeurbanne (69))" in labels
    assert not any("Tonkin" in label or "Lilloise" in label for label in labels)  # not oneself, not another département
    await asso.press("Boulangerie Gratte-Ciel (Entreprise, Villeurbanne (69))")
    detail = asso.question.text
    assert "Thèmes : Alimentation" in detail and "@boulangerie" not in detail
    await asso.press("Me présenter")
    await deliver(app)
    request = next(r for r in reversed(adapter.replies_to("boulangerie")) if r.prompt_id and r.prompt_id.startswith("I"))
    assert "@asso" not in request.text  # no contact before both say yes
    await boulangerie.send(boulangerie.incoming(choice="accept", prompt_id=request.prompt_id))
    assert "@asso" in boulangerie.text()
    assert rows(app, "SELECT status FROM introductions") == [("accepted",)]


async def test_a_coordinator_filters_and_pages_through_the_territory(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    now = iso(utcnow())
    place = json.dumps({"code": "69266", "label": "Villeurbanne (69)", "kind": "commune", "epci": "200046977", "departement": "69"})

    def more(conn) -> None:  # type: ignore[no-untyped-def]
        for index in range(10):
            conn.execute(
                "INSERT INTO actors (kind, name, commune_code, place, epci_code, departement_code, themes, consent_matching,"
                " created_at, updated_at) VALUES ('association', ?, '69266', ?, '200046977', '69', '[\"culture\"]', FALSE, ?, ?)",
                (f"Club {index:02d}", place, now, now),
            )

    await app.db.transaction(more)
    await marie.say("/annuaire")
    await marie.press("Par type d'acteur")
    await marie.press("Entreprise")
    assert "1 acteur —" in marie.question.text
    assert next(c.label for c in marie.question.choices) == "Boulangerie Gratte-Ciel (Entreprise, Villeurbanne (69))"
    await marie.press("Nouvelle recherche")
    await marie.press("Tout le monde")
    assert "13 acteurs — page 1 sur 2" in marie.question.text  # every actor of the territory, consenting or not
    await marie.press("Autres pages…")
    await marie.press("Page 2")
    labels = [c.label for c in marie.question.choices]
    assert "page 2 sur 2" in marie.question.text and any("Club 09" in label for label in labels)
    await marie.press(next(label for label in labels if "Club 09" in label))
    assert "Me présenter" not in [c.label for c in marie.question.choices]  # no profile, and this club refuses introductions
    await marie.press("Retour à la liste")
    await marie.press("Nouvelle recherche")
    await marie.press("Par commune")
    await marie.say("Lille")
    await marie.press("Oui")
    assert "hors de votre territoire" in marie.text()  # a coordinator stays inside their territory


async def test_nobody_outside_ones_reach_can_be_asked(territory) -> None:
    app, _, people = territory
    await people["asso"].say("/menu")
    lille = rows(app, "SELECT id FROM actors WHERE name = 'Asso Lilloise'")[0][0]

    def ask(conn) -> list:  # type: ignore[no-untyped-def,type-arg]
        from storage import actors

        asso = actors.load_actor(conn, rows(app, "SELECT id FROM actors WHERE name = 'Asso du Tonkin'")[0][0])
        return directory.apply(conn, DirectoryIntroduce(lille), asso, (), "fr", utcnow())

    replies = await app.db.transaction(ask)
    assert "pas sur votre territoire" in replies[0].text
    assert rows(app, "SELECT COUNT(*) FROM introductions") == [(0,)]


async def test_help_lists_the_directory_and_the_coordinators_commands(territory) -> None:
    _, _, people = territory
    await people["asso"].say("/aide")
    assert "/annuaire" in people["asso"].text() and "/evenements" in people["asso"].text()
    await people["marie"].say("/aide")
    assert "/appels" in people["marie"].text() and "/evenement " in people["marie"].text()
