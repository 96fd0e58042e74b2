"""Impact figures (issue 7): exact counts on a known dataset, area and period filters, and the
text, PNG and CSV renderings. No name or contact ever reaches a figure."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import warnings
from collections.abc import AsyncIterator
from dataclasses import fields, replace
from datetime import date
from pathlib import Path

import pytest

from services.impact import CSV_HEADER, impact_csv, impact_png, impact_rows, impact_text
from storage.database import Database
from storage.outcomes import OutcomeFigures
from storage.stats import ImpactFigures, impact

LYON, VILLEFRANCHE, GRENOBLE = "200046977", "200040590", "200040715"  # EPCI codes
START, END = date(2026, 1, 1), date(2026, 3, 31)
SECRET = ("Secret Asso", "secret@example.org", "+33600000000")

# id, kind, commune, epci, departement, themes, created_at, is_demo
ACTORS = [
    (1, "association", "69123", LYON, "69", ["culture", "solidarite_social"], "2025-06-01T08:00:00+00:00", 0),
    (2, "entreprise", "69266", LYON, "69", ["environnement"], "2026-02-10T08:00:00+00:00", 0),
    (3, "collectivite", "69123", LYON, "69", [], "2026-03-31T23:59:59+00:00", 0),  # last second of the period
    (4, "association", "69123", LYON, "69", ["culture"], "2026-04-01T00:00:00+00:00", 0),  # after the period
    (5, "association", "69264", VILLEFRANCHE, "69", ["sport"], "2025-01-01T08:00:00+00:00", 0),  # other EPCI
    (6, "entreprise", "38185", GRENOBLE, "38", ["culture"], "2025-01-01T08:00:00+00:00", 0),  # other département
    (7, "association", "69123", LYON, "69", ["culture"], "2025-01-01T08:00:00+00:00", 1),  # demo
]
# id, actor, kind, category, status, expires_at, created_at
LISTINGS = [
    (1, 1, "need", "benevoles", "open", "2026-06-01", "2026-01-05T08:00:00+00:00"),
    (2, 1, "offer", "locaux", "open", "2026-03-31", "2025-12-01T08:00:00+00:00"),  # expires on the last day
    (3, 2, "need", "benevoles", "open", "2026-03-30", "2026-02-10T09:00:00+00:00"),  # expired before the end
    (4, 2, "need", "financement", "closed", "2026-06-01", "2026-02-10T09:00:00+00:00"),
    (5, 2, "offer", "competences", "open", "2026-07-01", "2026-04-02T08:00:00+00:00"),  # created after the end
    (6, 3, "need", "financement", "open", "2026-07-01", "2026-03-31T23:59:59+00:00"),
    (7, 5, "need", "benevoles", "open", "2026-07-01", "2026-01-05T08:00:00+00:00"),  # other EPCI
    (8, 7, "need", "benevoles", "open", "2026-07-01", "2026-01-05T08:00:00+00:00"),  # demo
]
# id, receiver, proposed, status, created_at
SUGGESTIONS = [
    (1, 1, 2, "accepted", "2026-01-10T08:00:00+00:00"),
    (2, 2, 1, "declined", "2026-02-01T08:00:00+00:00"),
    (3, 1, 5, "proposed", "2026-03-31T22:00:00+00:00"),
    (4, 1, 2, "accepted", "2025-12-31T23:59:59+00:00"),  # before the period
    (5, 5, 1, "accepted", "2026-02-01T08:00:00+00:00"),  # receiver in another EPCI
    (6, 1, 7, "accepted", "2026-02-01T08:00:00+00:00"),  # demo
]
# id, requester, invitee, status, answered_at, requester_outcome, invitee_outcome
INTRODUCTIONS = [
    (1, 1, 2, "accepted", "2026-01-15T08:00:00+00:00", "launched", "launched"),  # one partnership, not two
    (2, 5, 1, "accepted", "2026-02-15T08:00:00+00:00", "discussing", "none"),  # invitee in the area
    (3, 1, 6, "accepted", "2026-03-01T08:00:00+00:00", "launched", "discussing"),  # launched wins
    (4, 2, 1, "declined", "2026-02-01T08:00:00+00:00", None, None),
    (5, 1, 2, "asked", None, None, None),
    (6, 1, 2, "accepted", "2026-04-02T08:00:00+00:00", "launched", None),  # after the period
    (7, 5, 6, "accepted", "2026-02-01T08:00:00+00:00", "launched", None),  # neither side in Lyon
    (8, 1, 7, "accepted", "2026-02-01T08:00:00+00:00", "launched", None),  # demo
    (9, 2, 3, "accepted", "2026-03-10T08:00:00+00:00", None, None),
]
# id, area kind, area code, answer mode, status, created_at, recipients {actor: status}, answers {actor: text}
BROADCASTS = [
    (1, "epci", LYON, "interested", "done", "2026-02-01T08:00:00+00:00", {1: "sent", 2: "sent", 3: "failed"}, {1: "interested"}),
    (2, "departement", "69", "text", "done", "2026-03-01T08:00:00+00:00", {1: "sent", 5: "sent"}, {1: "volontiers", 5: "d'accord"}),
    (3, "epci", LYON, "none", "done", "2026-02-15T08:00:00+00:00", {2: "sent"}, {}),
    (4, "epci", LYON, "interested", "done", "2025-12-01T08:00:00+00:00", {1: "sent"}, {1: "interested"}),
    (5, "epci", GRENOBLE, "interested", "done", "2026-02-01T08:00:00+00:00", {6: "sent"}, {}),
    (6, "epci", LYON, "text", "cancelled", "2026-03-15T08:00:00+00:00", {}, {}),  # nobody reached yet
]


def _insert(conn: sqlite3.Connection) -> None:
    name, email, phone = SECRET
    for actor_id, kind, commune, epci, dep, themes, created, demo in ACTORS:
        conn.execute(
            """
            INSERT INTO actors (id, kind, name, commune_code, place, epci_code, departement_code, themes,
                                contact_email, contact_phone, is_demo, created_at, updated_at)
            VALUES (?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (actor_id, kind, f"{name} {actor_id}", commune, epci, dep, json.dumps(themes), email, phone, demo, created, created),
        )
    for listing_id, actor_id, kind, category, status, expires, created in LISTINGS:
        conn.execute(
            """
            INSERT INTO listings (id, actor_id, kind, category, description, zone_kind, zone_code, zone_label,
                                  expires_at, status, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, 'commune', '69123', 'Lyon', ?, ?, ?, ?)
            """,
            (listing_id, actor_id, kind, category, f"description by {name}", expires, status, created, created),
        )
    for suggestion_id, receiver, other, status, created in SUGGESTIONS:
        conn.execute(
            """
            INSERT INTO suggestions (id, actor_id, other_id, kind, score, explanation, status, created_at)
            VALUES (?, ?, ?, 'need_offer', 1.0, '[]', ?, ?)
            """,
            (suggestion_id, receiver, other, status, created),
        )
    for intro_id, requester, invitee, status, answered, r_outcome, i_outcome in INTRODUCTIONS:
        conn.execute(
            """
            INSERT INTO introductions (id, requester_id, invitee_id, status, created_at, answered_at,
                                       requester_outcome, invitee_outcome)
            VALUES (?, ?, ?, ?, '2026-01-01T00:00:00+00:00', ?, ?, ?)
            """,
            (intro_id, requester, invitee, status, answered, r_outcome, i_outcome),
        )
    for broadcast_id, area_kind, area_code, mode, status, created, recipients, answers in BROADCASTS:
        conn.execute(
            """
            INSERT INTO broadcasts (id, area_kind, area_code, area_label, message, answer_mode, status,
                                    requester_platform, requester_chat, created_at)
            VALUES (?, ?, ?, 'label', 'message', ?, ?, 'console', 'coord', ?)
            """,
            (broadcast_id, area_kind, area_code, mode, status, created),
        )
        for actor_id, recipient_status in recipients.items():
            conn.execute(
                "INSERT INTO broadcast_recipients (broadcast_id, actor_id, status) VALUES (?, ?, ?)",
                (broadcast_id, actor_id, recipient_status),
            )
        for actor_id, answer in answers.items():
            conn.execute(
                "INSERT INTO broadcast_answers (broadcast_id, actor_id, answer, created_at) VALUES (?, ?, ?, ?)",
                (broadcast_id, actor_id, answer, created),
            )


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "impact.db") as database:
        await database.transaction(_insert)
        yield database


async def _impact(db: Database, kind: str, code: str, start: date = START, end: date = END) -> ImpactFigures:
    return await db.run(lambda conn: impact(conn, kind, code, start, end))


KINDS0 = {"association": 0, "entreprise": 0, "collectivite": 0, "autre": 0}
THEMES0 = dict.fromkeys(
    [
        "alimentation",
        "sante",
        "environnement",
        "emploi_insertion",
        "education_jeunesse",
        "culture",
        "sport",
        "solidarite_social",
        "numerique",
        "logement",
        "mobilite",
        "citoyennete",
    ],
    0,
)
CATEGORIES0 = dict.fromkeys(["benevoles", "competences", "financement", "locaux", "materiel", "partenariat", "autre"], 0)


async def test_every_figure_of_an_epci(db: Database) -> None:
    figures = await _impact(db, "epci", LYON)
    assert figures.outcomes.introductions_launched == figures.partnerships_launched  # detailed in test_outcomes.py
    assert replace(figures, outcomes=OutcomeFigures()) == ImpactFigures(
        area_kind="epci",
        area_code=LYON,
        start=START,
        end=END,
        actors_total=3,
        actors_new=2,
        actors_by_kind={**KINDS0, "association": 1, "entreprise": 1, "collectivite": 1},
        actors_by_theme={**THEMES0, "culture": 1, "solidarite_social": 1, "environnement": 1},
        needs_by_category={**CATEGORIES0, "benevoles": 1, "financement": 1},
        offers_by_category={**CATEGORIES0, "locaux": 1},
        suggestions_sent=3,
        suggestions_accepted=1,
        introductions_made=4,
        partnerships_launched=2,
        partnerships_discussing=1,
        broadcasts=4,
        broadcast_recipients=5,
        broadcast_delivered=4,
        broadcast_delivered_expecting_answer=3,
        broadcast_answers=2,
        demo_actors=1,  # actor 7, left out of every other figure: said
    )
    assert list(figures.actors_by_kind) == list(KINDS0)  # vocabulary order, zeros included
    assert (figures.open_needs, figures.open_offers) == (2, 1)
    assert figures.acceptance_rate == pytest.approx(1 / 3)
    assert figures.answer_rate == pytest.approx(2 / 3)


async def test_a_departement_includes_its_other_epcis(db: Database) -> None:
    figures = await _impact(db, "departement", "69")
    assert (figures.actors_total, figures.actors_new) == (4, 2)
    assert figures.actors_by_kind["association"] == 2
    assert figures.actors_by_theme["sport"] == 1
    assert figures.needs_by_category["benevoles"] == 2
    assert (figures.suggestions_sent, figures.suggestions_accepted) == (4, 2)
    assert (figures.introductions_made, figures.partnerships_launched, figures.partnerships_discussing) == (5, 3, 1)
    # Broadcast 6 was addressed to an EPCI and reached nobody: not the département's.
    assert (figures.broadcasts, figures.broadcast_recipients, figures.broadcast_delivered) == (3, 6, 5)
    assert (figures.broadcast_delivered_expecting_answer, figures.broadcast_answers) == (4, 3)


async def test_another_epci_sees_only_its_own_actors(db: Database) -> None:
    figures = await _impact(db, "epci", GRENOBLE)
    assert figures.actors_total == 1
    assert figures.actors_by_kind == {**KINDS0, "entreprise": 1}
    assert figures.actors_by_theme == {**THEMES0, "culture": 1}
    assert figures.open_needs == figures.open_offers == 0
    assert (figures.suggestions_sent, figures.suggestions_accepted) == (0, 0)
    # Introductions 3 (with Lyon) and 7 (with Villefranche) involve a Grenoble actor.
    assert (figures.introductions_made, figures.partnerships_launched, figures.partnerships_discussing) == (2, 2, 0)
    assert (figures.broadcasts, figures.broadcast_recipients, figures.broadcast_delivered) == (1, 1, 1)
    assert figures.broadcast_answers == 0 and figures.answer_rate == 0.0

    villefranche = await _impact(db, "epci", VILLEFRANCHE)
    assert villefranche.actors_total == 1  # the Lyon actors are not counted
    assert villefranche.broadcasts == 1 and villefranche.broadcast_recipients == 1  # only its own recipient of broadcast 2


async def test_a_commune_and_all_of_france(db: Database) -> None:
    commune = await _impact(db, "commune", "69123")
    assert commune.actors_total == 2  # actors 1 and 3 (4 is too late, 7 is a demo)
    assert commune.actors_by_kind == {**KINDS0, "association": 1, "collectivite": 1}
    assert (commune.suggestions_sent, commune.introductions_made) == (2, 4)

    france = await _impact(db, "france", "")
    assert france.area_code == ""
    assert france.actors_total == 5
    assert (france.suggestions_sent, france.suggestions_accepted) == (4, 2)
    assert (france.introductions_made, france.partnerships_launched, france.partnerships_discussing) == (5, 3, 1)
    assert (france.broadcasts, france.broadcast_recipients, france.broadcast_delivered, france.broadcast_answers) == (5, 7, 6, 3)


async def test_the_period_filter(db: Database) -> None:
    figures = await _impact(db, "epci", LYON, date(2025, 1, 1), date(2025, 12, 31))
    assert (figures.actors_total, figures.actors_new) == (1, 1)
    assert figures.open_needs == 0 and figures.offers_by_category["locaux"] == 1
    assert (figures.suggestions_sent, figures.suggestions_accepted) == (1, 1)
    assert figures.introductions_made == 0
    assert (figures.broadcasts, figures.broadcast_delivered, figures.broadcast_answers) == (1, 1, 1)
    assert figures.answer_rate == 1.0

    one_day = await _impact(db, "epci", LYON, END, END)  # bounds are inclusive, whole UTC days
    assert one_day.actors_new == 1 and one_day.suggestions_sent == 1
    assert one_day.needs_by_category["financement"] == 1

    later = await _impact(db, "epci", LYON, date(2026, 4, 1), date(2026, 4, 30))
    assert later.actors_total == 4 and later.introductions_made == 1 and later.partnerships_launched == 1
    assert later.suggestions_sent == later.broadcasts == 0
    assert later.acceptance_rate is None and later.answer_rate is None
    assert later.offers_by_category["competences"] == 1 and later.offers_by_category["locaux"] == 0


async def test_bad_arguments_are_refused(db: Database) -> None:
    with pytest.raises(ValueError):
        await _impact(db, "epci", LYON, END, START)
    with pytest.raises(ValueError):
        await _impact(db, "region", "84")
    with pytest.raises(ValueError):
        await _impact(db, "epci", "")
    with pytest.raises(ValueError):
        await _impact(db, "epci; DROP TABLE actors", LYON)


async def test_figures_hold_no_name_nor_contact(db: Database) -> None:
    figures = await _impact(db, "france", "")
    strings = [getattr(figures, f.name) for f in fields(figures) if isinstance(getattr(figures, f.name), str)]
    assert strings == ["france", ""]
    outputs = [impact_text(figures, "fr"), impact_text(figures, "en"), impact_csv(figures).decode("utf-8")]
    for output in outputs:
        for secret in SECRET:
            assert secret not in output
        assert "volontiers" not in output  # a free-text answer is not a figure


async def test_french_and_english_text(db: Database) -> None:
    figures = await _impact(db, "epci", LYON)
    french = impact_text(figures, "fr", "Métropole de Lyon")
    assert french.splitlines()[:2] == ["📊 Bilan — Métropole de Lyon", "Du 1er janvier 2026 au 31 mars 2026"]
    assert "Acteurs inscrits : 3 (dont 2 sur la période)" in french
    assert "• Par type : Association 1, Entreprise 1, Collectivité 1" in french
    assert "• Par thème : Environnement 1, Culture 1, Solidarité et action sociale 1" in french
    assert "Annonces ouvertes au 31 mars 2026 : 2 besoins, 1 offre" in french
    assert "• Bénévoles : 1 besoin, 0 offre" in french
    assert "• Locaux : 0 besoin, 1 offre" in french
    assert "Compétences" not in french  # empty categories are left out
    assert "Suggestions envoyées : 3, suivies d'une mise en relation (oui des deux côtés) : 1 (33\xa0%)" in french
    assert "Mises en relation : 4" in french
    assert "Partenariats lancés : 2, en discussion : 1" in french
    assert "Diffusions : 4 — 5 destinataires, 4 messages remis, 2 réponses" in french
    assert "Taux de réponse : 67\xa0%" in french
    assert "(s)" not in french  # gettext plurals, never "besoin(s)"

    english = impact_text(figures, "en", "Métropole de Lyon")
    assert english.splitlines()[:2] == ["📊 Impact — Métropole de Lyon", "From January 1, 2026 to March 31, 2026"]
    assert "Registered actors: 3 (2 in the period)" in english
    assert "• By type: Association 1, Company 1, Local authority 1" in english
    assert "Open listings on March 31, 2026: 2 needs, 1 offer" in english
    assert "• Volunteers: 1 need, 0 offers" in english
    assert "Suggestions sent: 3, followed by an introduction (yes on both sides): 1 (33%)" in english
    assert "Introductions made: 4" in english
    assert "Partnerships launched: 2, under discussion: 1" in english
    assert "Broadcasts: 4 — 5 recipients, 4 messages delivered, 2 answers" in english
    assert "Answer rate: 67%" in english
    assert "stats." not in french + english  # every key is translated
    assert "(s)" not in english


def test_text_of_an_empty_area() -> None:
    empty = ImpactFigures("france", "", START, END)
    french = impact_text(empty, "fr")
    assert french.startswith("📊 Bilan — France entière")
    assert "• Par type : aucun" in french and "Taux de réponse" not in french and "%" not in french
    assert impact_text(empty, "en").startswith("📊 Impact — All of France")
    assert impact_text(ImpactFigures("epci", LYON, START, END), "de").startswith(f"📊 Bilan — {LYON}")  # French fallback


async def test_csv_round_trip(db: Database) -> None:
    figures = await _impact(db, "epci", LYON)
    rows = [CSV_HEADER, *impact_rows(figures)]  # the stored identifiers (the file people open is translated)
    assert all(len(row) == 3 for row in rows)
    table = {(section, key): value for section, key, value in rows[1:]}
    assert len(table) == len(rows) - 1  # one row per (section, key)
    assert table[("period", "area_kind")] == "epci"
    assert table[("period", "area_code")] == LYON
    assert (table[("period", "start")], table[("period", "end")]) == ("2026-01-01", "2026-03-31")
    assert table[("actors", "total")] == "3" and table[("actors", "new")] == "2"
    for section, counts in (
        ("actors_by_kind", figures.actors_by_kind),
        ("actors_by_theme", figures.actors_by_theme),
        ("open_needs_by_category", figures.needs_by_category),
        ("open_offers_by_category", figures.offers_by_category),
    ):
        assert {key: int(value) for (s, key), value in table.items() if s == section} == counts
    assert table[("suggestions", "sent")] == "3" and table[("suggestions", "accepted")] == "1"
    assert float(table[("suggestions", "acceptance_rate")]) == pytest.approx(1 / 3, abs=1e-4)
    assert table[("introductions", "made")] == "4"
    assert (table[("partnerships", "launched")], table[("partnerships", "discussing")]) == ("2", "1")
    assert [table[("broadcasts", k)] for k in ("count", "recipients", "delivered", "delivered_expecting_answer", "answers")] == [
        "4",
        "5",
        "4",
        "3",
        "2",
    ]
    assert float(table[("broadcasts", "answer_rate")]) == pytest.approx(2 / 3, abs=1e-4)
    empty = dict(((s, k), v) for s, k, v in impact_rows(ImpactFigures("france", "", START, END)))
    assert empty[("broadcasts", "answer_rate")] == "" and empty[("suggestions", "acceptance_rate")] == ""


async def test_png_chart(db: Database) -> None:
    from PIL import Image

    figures = await _impact(db, "epci", LYON)
    for language in ("fr", "en"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a missing glyph would be a warning
            png = impact_png(figures, language, "Métropole de Lyon")
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(png) > 5_000
        with Image.open(io.BytesIO(png)) as image:
            image.load()
            assert image.format == "PNG"
            assert image.size[0] >= 900 and image.size[1] >= 1500  # readable on a phone
            colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
            assert colours is not None and len(colours) > 50  # bars, text, antialiasing: not a blank image
    assert impact_png(figures, "fr", "Métropole de Lyon") == impact_png(figures, "fr", "Métropole de Lyon")  # deterministic

    empty = impact_png(ImpactFigures("france", "", START, END), "en")
    assert empty.startswith(b"\x89PNG\r\n\x1a\n") and len(empty) > 5_000


async def test_csv_files_open_in_french_and_english_spreadsheets(db: Database) -> None:
    """French: BOM, semicolons, French labels, dates and decimal commas; English: BOM, commas, English labels."""
    figures = await _impact(db, "epci", LYON)
    french = impact_csv(figures, "fr")
    assert french.startswith(b"\xef\xbb\xbf") and french.decode("utf-8-sig").startswith("Rubrique;\xc9l\xe9ment;Valeur\r\n")
    table = list(csv.reader(io.StringIO(french.decode("utf-8-sig"), newline=""), delimiter=";"))
    cells = {(section, key): value for section, key, value in table[1:]}
    assert cells[("Période", "Début")] == "01/01/2026" and cells[("Période", "Type de territoire")] == "Intercommunalité"
    assert cells[("Acteurs par type", "Association")] == str(figures.actors_by_kind["association"])
    assert cells[("Appels", "Taux de réponse")] == "0,6667"
    assert cells[("Suggestions", "Taux d'acceptation")] == "0,3333"
    english = impact_csv(figures, "en")
    assert english.startswith(b"\xef\xbb\xbf") and english.decode("utf-8-sig").startswith("Section,Item,Value\r\n")
    rows = {(s, k): v for s, k, v in list(csv.reader(io.StringIO(english.decode("utf-8-sig"), newline="")))[1:]}
    assert rows[("Period", "Start")] == "2026-01-01" and rows[("Calls", "Answer rate")] == "0.6667"


def test_no_row_of_the_exports_shows_an_identifier() -> None:
    """Every label of the French and English CSV is translated: no ``outcomes_by_kind;volunteers``,
    ``month_2026-11;calls`` (first trial, #13), whatever section has figures."""
    from storage.outcomes import MonthFigures

    outcomes = OutcomeFigures(
        introductions_launched=2,
        groups_launched=1,
        by_kind={"volunteers": 1, "skills": 1},
        by_pair={"association|entreprise": 2},
        by_theme={"culture": 1},
        months=(MonthFigures("2026-11", introductions=2, launched=1, calls=1, delivered_expecting_answer=2, answers=1),),
        programmes_sent=1,
        programme_employees=12,
    )
    figures = replace(ImpactFigures("epci", LYON, START, END), groups_formed=1, group_members=3, events=1, event_registrations=2)
    figures = replace(figures, outcomes=outcomes)
    raw = impact_rows(figures)
    identifier = re.compile(r"^[a-z0-9]+([_|-][a-z0-9]+)+$|^[a-z]+$")
    for language, delimiter in (("fr", ";"), ("en", ",")):
        text = impact_csv(figures, language).decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))[1:]
        assert len(table) == len(raw)
        for (section, key, _), (raw_section, raw_key, _) in zip(table, raw, strict=True):
            for shown, stored in ((section, raw_section), (key, raw_key)):
                if raw_section == "period" and raw_key == "area_code":
                    continue
                assert not identifier.match(shown) and shown != stored, (language, section, key)
    french = impact_csv(figures, "fr").decode("utf-8-sig")
    assert "Groupes de travail;Formés;1" in french and "Événements;Inscrits;2" in french
    assert "Mois : nov. 2026;Appels;1" in french
