"""Outcomes in the impact figures (issue 16, item 3): exact counts by kind, sector pair, theme
and month from the known dataset of ``test_impact``, shared stories only, and the chart's size."""

from __future__ import annotations

import json
import sqlite3
import struct
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.impact import CHART_HEIGHT_INCHES, impact_csv, impact_png, impact_rows, impact_text
from storage.database import Database
from storage.outcomes import MonthFigures, OutcomeFigures
from storage.stats import impact
from tests.test_impact import END, LYON, START, _insert

# introduction, actor, status, kinds, story, shared
OUTCOMES = [
    (1, 1, "launched", ["volunteers", "skills"], "Dix salariés viennent trier les dons chaque mois.", 1),
    (1, 2, "launched", ["skills", "premises"], "Une histoire que nous gardons pour nous.", 0),
    (3, 1, "launched", ["funding"], None, 0),
    (2, 1, "none", [], None, 0),
    (8, 1, "launched", ["equipment"], "Une histoire de démo.", 1),  # demo introduction: never counted
]


def _insert_outcomes(conn: sqlite3.Connection) -> None:
    _insert(conn)
    for introduction_id, actor_id, status, kinds, story, shared in OUTCOMES:
        conn.execute(
            "INSERT INTO outcomes (subject, subject_id, actor_id, status, kinds, story, story_shared, answered_at)"
            " VALUES ('introduction', ?, ?, ?, ?, ?, ?, '2026-03-20T08:00:00+00:00')",
            (introduction_id, actor_id, status, json.dumps(kinds), story, shared),
        )


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "outcomes.db") as database:
        await database.transaction(_insert_outcomes)
        yield database


async def test_outcome_figures_of_an_epci(db: Database) -> None:
    figures = (await db.run(lambda conn: impact(conn, "epci", LYON, START, END))).outcomes
    assert figures == OutcomeFigures(
        introductions_launched=2,  # introductions 1 and 3 (2: nothing; 7: outside; 8: demo)
        groups_launched=0,
        by_kind={"volunteers": 1, "skills": 1, "premises": 1, "equipment": 0, "project": 0, "funding": 1},
        by_pair={"association|entreprise": 2},
        by_theme={"culture": 2, "solidarite_social": 2, "environnement": 1},
        stories=("Dix salariés viennent trier les dons chaque mois.",),
        months=(
            MonthFigures("2026-01", introductions=1, launched=1),
            MonthFigures("2026-02", introductions=1, calls=2, delivered_expecting_answer=2, answers=1),
            MonthFigures("2026-03", introductions=2, launched=1, calls=2, delivered_expecting_answer=1, answers=1),
        ),
    )
    assert [m.answer_rate for m in figures.months] == [None, 0.5, 1.0]


async def test_outcomes_in_text_csv_and_chart(db: Database) -> None:
    figures = await db.run(lambda conn: impact(conn, "epci", LYON, START, END))
    text = impact_text(figures, "fr", "Métropole de Lyon")
    assert "Collaborations lancées : 2 mises en relation, 0 groupe de travail" in text
    assert "Ce qui a été lancé : Bénévoles 1, Compétences 1, Locaux 1, Financement 1" in text
    assert "Par secteurs : Association ↔ Entreprise 2" in text
    assert "Par thème : Culture 2" in text
    assert "« Dix salariés viennent trier les dons chaque mois. »" in text
    assert "gardons pour nous" not in text and "histoire de démo" not in text  # private and demo stories stay out
    assert "févr. 2026 : 1 mise en relation dont 0 lancée ; 2 appels, 50\u00a0% de réponses" in text
    english = impact_text(figures, "en", "Lyon")
    assert "By sectors: Association ↔ Company 2" in english and "Feb 2026: 1 introduction, 0 launched; 2 calls, 50% answered" in english
    rows = impact_rows(figures)  # the stored identifiers; the CSV translates them (French Excel friendly)
    assert ("outcomes_by_pair", "association|entreprise", "2") in rows and ("month_2026-02", "answer_rate", "0.5000") in rows
    assert impact_csv(figures).startswith(b"\xef\xbb\xbfRubrique;")
    png = impact_png(figures, "fr", "Métropole de Lyon")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert (width, height) == (1050, CHART_HEIGHT_INCHES * 150)
    assert len(png) > 100_000  # nine panels drawn, not an empty canvas


async def test_an_area_with_nothing_still_draws(db: Database) -> None:
    figures = await db.run(lambda conn: impact(conn, "commune", "75056", START, END))
    assert figures.outcomes.introductions_launched == 0 and all(m.calls == 0 for m in figures.outcomes.months)
    png = impact_png(figures, "en")
    assert struct.unpack(">II", png[16:24]) == (1050, CHART_HEIGHT_INCHES * 150)
