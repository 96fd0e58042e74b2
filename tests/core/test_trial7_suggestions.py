"""Defects found by the seventh new-user trial (30 Nov 2026). Each test failed before its fix."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.config import Config
from core.clock import iso, utcnow
from services import demo
from tests.core.test_coordination import territory  # noqa: F401  (fixture)
from tests.core.test_trial6_coordinator import actor_id, declare, execute, metropole, rows  # noqa: F401  (fixture)

pytestmark = pytest.mark.backends  # the rounds' storage on SQLite and PostgreSQL

# ---------------------------------------------------------------- 1. the same skill picked on both sides is a need ↔ offer pair

MAINS_VERTES = (
    "on est l'asso Les Mains Vertes à Wattrelos (jardin partagé), on aurait besoin d'un coup de main juridique pour refaire nos statuts"
)


def _association(skill: str) -> demo.DemoActor:
    return demo.DemoActor(
        "demo-mains-vertes",
        "association",
        "Les Mains Vertes",
        "59650",  # Wattrelos, Métropole Européenne de Lille
        ("environnement", "alimentation"),
        MAINS_VERTES,
        (("need", "competences", skill, ("environnement", "alimentation"), MAINS_VERTES, "epci"),),
    )


async def test_a_chatty_legal_need_meets_the_legal_offer_even_when_the_offer_is_already_suggested_elsewhere(
    db_path, territories, monkeypatch
) -> None:
    """Trial: Les Mains Vertes (Compétences › Juridique, « …refaire nos statuts », MEL) got three
    theme pairs (scores 0.11–0.20) and never Cabinet Delcourt (Compétences › Juridique « Conseil
    juridique pro bono : statuts… », MEL): meaning −0.023 (the garden and the town dilute the
    sentence) was below the floor, and the offer's best need was Jeunes en Mouvement's (already
    suggested), so the pair was not "mutual" either. The skill both picked is the pair."""
    monkeypatch.setattr(demo, "ACTORS", (*demo.ACTORS, _association("juridique")))
    app = await App.open(Config(db=str(db_path)), adapters=[], territories=territories)
    app.run_jobs = False
    await app.start()
    try:
        await app.db.transaction(lambda conn: demo.load(conn, territories, app.runtime.clock()))
        first = await app.suggestion_round(force=True)
        assert [s for s in first.suggestions if s.actor == "Jeunes en Mouvement Lille-Sud" and s.other == "Cabinet Delcourt Avocats"]
        told = [s for s in first.suggestions if s.actor == "Les Mains Vertes" and s.other == "Cabinet Delcourt Avocats"]
        assert told, [(s.actor, s.other) for s in first.suggestions if s.actor == "Les Mains Vertes"]
        assert (
            "vous cherchez « on est l'asso Les Mains Vertes" in told[0].text
            and "ils proposent « Conseil juridique pro bono" in told[0].text
        )
        mine = [s.other for s in first.suggestions if s.actor == "Les Mains Vertes"]
        assert mine[0] == "Cabinet Delcourt Avocats"  # the best first, before any theme pair
    finally:
        await app.stop()


async def test_another_skill_is_not_paired_by_the_menu(db_path, territories, monkeypatch) -> None:
    """The rule is the same skill picked on both sides: a communication need does not get the lawyers."""
    monkeypatch.setattr(demo, "ACTORS", (*demo.ACTORS, _association("communication")))
    app = await App.open(Config(db=str(db_path)), adapters=[], territories=territories)
    app.run_jobs = False
    await app.start()
    try:
        await app.db.transaction(lambda conn: demo.load(conn, territories, app.runtime.clock()))
        report = await app.suggestion_round(force=True, dry_run=True)
        assert not [s for s in report.suggestions if s.actor == "Les Mains Vertes" and s.other == "Cabinet Delcourt Avocats"]
    finally:
        await app.stop()


# ---------------------------------------------------------------- 3, 4. /evenement: an address at the end time, one territory


async def test_an_address_at_the_end_time_is_told_it_is_not_a_time_and_one_territory_is_taken(territory) -> None:
    """Trial: « Maison des associations, 15 rue Francis de Pressensé » at « Jusqu'à quelle heure ? »
    got « Votre message est trop long (52 caractères) : 40 au maximum ici »; then « Pour quel
    territoire ? » offered a single territory and refused a description typed there."""
    _, _, people = territory
    marie = people["marie"]
    await marie.say("/evenement")
    await marie.say("Forum des associations")
    when = (utcnow() + timedelta(days=10)).astimezone(ZoneInfo("Europe/Paris"))
    await marie.say(when.strftime("%d/%m/%Y 18h30"))
    await marie.say("Maison des associations, 15 rue Francis de Pressensé")
    assert "trop long" not in marie.text() and "Je n'ai pas compris l'heure de fin" in marie.text(), marie.text()
    assert "« 17h »" in marie.text()  # an example of what is expected
    await marie.say("20h")
    await marie.say("Maison des associations, 15 rue Francis de Pressensé")
    await marie.say("30")
    assert "C'est noté : Villeurbanne (69)" in marie.text(), marie.text()  # her only territory
    assert "Pour quel territoire" not in marie.text()
    await marie.say("ok")
    await marie.say("ok")
    assert "Villeurbanne" in marie.question.text
    await marie.press("Publier")
    assert "publié" in marie.text(), marie.text()


# ---------------------------------------------------------------- 6. /supprimer without a profile: the keep button fits


@pytest.mark.parametrize(
    ("command", "keep", "wrong"),
    [("/supprimer", "Non, ne rien supprimer", "garder mon profil"), ("/delete", "No, delete nothing", "keep my profile")],
)
async def test_a_coordinator_without_profile_is_not_offered_to_keep_a_profile(territory, command, keep, wrong) -> None:
    _, _, people = territory
    marie = people["marie"]
    if command == "/delete":
        await marie.say("/reglages")
        await marie.press("Langue")
        await marie.press("English")
    await marie.say(command)
    labels = [c.label for c in marie.question.choices]
    assert not [label for label in labels if wrong in label] and keep in labels, labels
    await marie.press(keep)
    assert "Rien n'a été supprimé" in marie.text() or "Nothing was deleted" in marie.text(), marie.text()
    # an actor with a profile keeps « garder mon profil »
    asso = people["asso"]
    await asso.say("/supprimer")
    assert "Non, garder mon profil" in [c.label for c in asso.question.choices]


# ---------------------------------------------------------------- 5. a coordinator without a profile: /programme, /annuler


async def test_a_coordinator_without_profile_is_pointed_to_programmes_and_told_her_commands_on_cancel(metropole) -> None:
    """Trial: /programme typed by a coordinator without a profile repeated the whole welcome, and
    /annuler in /programmes said « Tapez /start quand vous voulez reprendre »."""
    _, _, people = metropole
    claire = people["claire"]
    await claire.say("/programme")
    assert "/programmes" in claire.text() and "entreprises" in claire.text(), claire.text()
    assert "Bonjour" not in claire.text()  # not the welcome again
    await declare(people["brochier"])
    await claire.say("/programmes")
    await claire.say("/annuler")
    said = claire.text()
    assert "/start quand vous voulez reprendre" not in said and "annulé" in said, said
    assert "/programmes" in said and "/diffuser" in said, said  # her commands


# ---------------------------------------------------------------- 2. /programme: a count of employees at the theme question


@pytest.mark.parametrize(("typed", "said"), [("about 30 employees", "thème de votre programme"), ("une trentaine de salariés", "thème")])
async def test_a_count_of_employees_at_the_theme_question_is_not_a_theme(metropole, typed, said) -> None:
    """Trial: « about 30 employees » at « Sur quel thème ? » was read as « Emploi et insertion »."""
    app, _, people = metropole
    brochier = people["brochier"]
    await brochier.say("/programme")
    await brochier.say(typed)
    text = brochier.text()
    assert said in text and "Emploi et insertion" not in text.split("\n")[0], text
    assert "salariés vous sera demandé" in text
    await brochier.press("Culture")  # the theme question is still the one asked
    await brochier.say("30")
    await brochier.say("de janvier à juin 2027")
    await brochier.say("passer")
    assert rows(app, "SELECT theme, employees FROM programmes") == [("culture", 30)]


async def test_a_theme_whose_fitting_associations_are_already_in_touch_says_so_not_none(metropole) -> None:
    """Trial: « Aucune association de votre département n'a … sur le thème X » when the only fitting
    association was already introduced to the company: say they are in touch (with their count)."""
    app, _, people = metropole
    execute(app, "UPDATE actors SET themes = ? WHERE name = ?", '["culture", "logement"]', "Théâtre du Tonkin")
    brochier, tonkin = actor_id(app, "Brochier Conseil"), actor_id(app, "Théâtre du Tonkin")
    execute(
        app,
        "INSERT INTO suggestions (actor_id, other_id, kind, score, explanation, status, created_at) VALUES (?, ?, 'theme', 0.5, '[]', 'proposed', ?)",
        tonkin,
        brochier,
        iso(utcnow()),
    )
    company = people["brochier"]
    await company.say("/programme")
    await company.press("Logement")
    text = company.text()
    assert "Aucune association" not in text and "1 association de votre département" in text and "déjà en contact" in text, text
    assert rows(app, "SELECT count(*) FROM programmes") == [(0,)]
    await company.press("Culture")  # another theme goes on
    assert "Combien de salariés" in company.text()
