"""Defects found by the seventh new-user trial (30 Nov 2026). Each test failed before its fix."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.config import Config
from services import demo

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
