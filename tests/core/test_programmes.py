"""Company programmes (issue 16, item 7): a company declares one, the coordinator gets the
shortlist, ticks needs, every introduction goes at once (double opt-in) and the employees count
in the figures; no match, wrong profile and bad numbers change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from conversations.programmes import SendProgramme
from core.clock import iso, utcnow
from services import programmes
from storage import coordination
from tests import backends
from tests.core.people import Person, RecordingAdapter, deliver

VILLEURBANNE = coordination.Area("commune", "69266", "Villeurbanne (69)")

pytestmark = pytest.mark.backends


def rows(app: App, sql: str, *params: object) -> list[tuple]:
    with backends.connect(app.config.db) as conn:
        return [tuple(row) for row in conn.execute(sql, params).fetchall()]


async def onboard(person: Person, name: str, kind: str = "Association", theme: str = "Alimentation") -> None:
    await person.onboard(name, "Villeurbanne", kind=kind, themes=(theme,))


async def need(person: Person, text: str) -> None:
    await person.say("/besoin")
    await person.press("Bénévoles")
    await person.say(text)
    await person.press(person.question.choices[0].label)


@pytest.fixture
async def territory(db_path: Path, territories):
    adapter = RecordingAdapter()
    app = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories)
    app.run_jobs = False
    await app.start()
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "marie", VILLEURBANNE, "test:admin", iso(utcnow())))
    people = {name: Person(app.runtime, adapter, name) for name in ("marie", "asso", "epicerie", "sport", "boulangerie")}
    await people["marie"].say("/aide")  # the coordinator has written to the bot: it can reach her
    await onboard(people["asso"], "Asso du Tonkin")
    await need(people["asso"], "Des bénévoles pour la collecte alimentaire du samedi matin")
    await onboard(people["epicerie"], "Épicerie Solidaire")
    await need(people["epicerie"], "Trois personnes pour tenir la caisse le mercredi")
    await onboard(people["sport"], "Club de Foot", theme="Sport")
    await onboard(people["boulangerie"], "Boulangerie Gratte-Ciel", kind="Entreprise")
    yield app, adapter, people
    await app.stop()


async def declare(company: Person, theme: str, employees: str = "12") -> None:
    await company.say("/programme")
    await company.press(theme)
    await company.say(employees)
    await company.say("de mars à juin 2027, le jeudi")
    await company.say("passer")


async def test_programme_shortlist_ticks_and_every_introduction_at_once(territory) -> None:
    app, adapter, people = territory
    marie, boulangerie, asso = people["marie"], people["boulangerie"], people["asso"]
    await declare(boulangerie, "Alimentation")
    assert "Programme n° 1 enregistré : 2 besoins" in boulangerie.text() and "coordinateurs de votre territoire" in boulangerie.text()
    await deliver(app)
    notice = adapter.replies_to("marie")[-1].text
    assert "Boulangerie Gratte-Ciel propose 12 salariés" in notice and "/programmes" in notice

    await marie.say("/programmes")
    await marie.press(marie.question.choices[0].label)
    shortlist = [c.label for c in marie.question.choices if not c.value.startswith("_")]
    assert any("Asso du Tonkin" in label for label in shortlist) and any("Épicerie Solidaire" in label for label in shortlist)
    assert all("Club de Foot" not in label for label in shortlist)
    await marie.tick(*[label for label in shortlist if "Asso du Tonkin" in label or "Épicerie" in label])
    assert "2 mises en relation d'un coup" in marie.question.text
    await marie.press("Tout envoyer")
    assert "2 mises en relation proposées pour Boulangerie Gratte-Ciel (12 salariés impliqués)" in marie.text()
    assert rows(app, "SELECT status FROM programmes") == [("sent",)]
    assert sorted(r[0] for r in rows(app, "SELECT employees FROM programme_introductions")) == [6, 6]

    await deliver(app)
    proposal = next(r for r in reversed(adapter.replies_to("asso")) if r.prompt_id and r.prompt_id.startswith("S"))
    assert "programme d'entreprise de Boulangerie Gratte-Ciel" in proposal.text
    assert "@boulangerie" not in proposal.text
    await asso.send(asso.incoming(choice="present", prompt_id=proposal.prompt_id))
    await deliver(app)
    request = next(r for r in reversed(adapter.replies_to("boulangerie")) if r.prompt_id and r.prompt_id.startswith("I"))
    await boulangerie.send(boulangerie.incoming(choice="accept", prompt_id=request.prompt_id))
    assert "@asso" in boulangerie.text()

    again = await app.db.transaction(
        lambda conn: programmes.send(conn, SendProgramme(1, (1,)), (VILLEURBANNE_AREA,), "test:marie", "fr", utcnow())
    )
    assert "déjà parties" in again[0].text

    await marie.say("/stats")
    await marie.press("30 derniers jours")
    assert "Programmes d'entreprise : 1 envoyé, 12 salariés impliqués" in marie.text()


class _Area:
    id, kind, code, label = 1, "commune", "69266", "Villeurbanne (69)"


VILLEURBANNE_AREA = _Area()


async def test_no_match_wrong_profile_and_bad_numbers_change_nothing(territory) -> None:
    app, _, people = territory
    boulangerie, asso = people["boulangerie"], people["asso"]
    await boulangerie.say("/programme")
    await boulangerie.press("Logement")  # nothing fits: said at once, before the other questions
    assert "Aucune association de votre département" in boulangerie.text() and "choisissez un autre thème" in boulangerie.text()
    await boulangerie.say("/annuler")
    await asso.say("/programme")
    assert "réservés aux entreprises" in asso.text()
    await boulangerie.say("/programme")
    await boulangerie.press("Alimentation")
    await boulangerie.say("beaucoup")  # words are read ("douze", "une quinzaine"); this is no number
    assert "écrivez un nombre de salariés" in boulangerie.text()
    await boulangerie.say("0")
    assert "entre 1 et 10 000" in boulangerie.text()
    await boulangerie.say("/annuler")
    await people["marie"].say("/programmes")
    assert "Aucun programme d'entreprise en attente" in people["marie"].text()
    assert rows(app, "SELECT count(*) FROM programmes") == [(0,)]
    outside = await app.db.transaction(
        lambda conn: programmes.send(conn, SendProgramme(99, (1,)), (VILLEURBANNE_AREA,), "test:marie", "en", utcnow())
    )
    assert outside[0].text and rows(app, "SELECT count(*) FROM suggestions WHERE kind = 'programme'") == [(0,)]


async def test_the_already_in_touch_count_is_every_association_not_the_shortlist(territory, monkeypatch) -> None:
    """Trial 11: in a dense département the « already in touch » count of /programme was read from
    the capped shortlist (its first needs): it said fewer associations than were in touch. Counted
    here with a shortlist of one need: both associations in touch are said."""
    from storage import programmes as programme_store

    app, _, people = territory
    monkeypatch.setattr(programme_store, "SHORTLIST_SIZE", 1)
    ids = dict(rows(app, "SELECT name, id FROM actors"))
    now = iso(utcnow())
    with backends.connect(app.config.db) as conn:
        for association in ("Asso du Tonkin", "Épicerie Solidaire"):  # suggested to the company, waiting: in touch
            conn.execute(
                "INSERT INTO suggestions (actor_id, other_id, kind, score, explanation, status, created_at) VALUES (?, ?, 'theme', 0.5, '[]', 'proposed', ?)",
                (ids["Boulangerie Gratte-Ciel"], ids[association], now),
            )
        conn.commit()
    company = people["boulangerie"]
    await company.say("/programme")
    await company.press("Alimentation")
    assert "2 associations de votre département ont un besoin sur le thème Alimentation" in company.text(), company.text()
