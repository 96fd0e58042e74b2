"""New-user trial of 1 Dec 2026: /stats said « Diffusions : 1 — 0 destinataire, 0 message remis,
0 réponse » for a call a demo actor answered (/reponses showed the answer), while its groups and
events counted demo members and registrations. Demo data is sample data: left out of every figure
alike, and said. Failed before the fix."""

from __future__ import annotations

from datetime import date

import pytest

from services.impact import impact_rows, impact_text
from storage.database import open_database
from storage.stats import impact

pytestmark = pytest.mark.backends

STAMP = "2026-11-20T08:00:00+00:00"
VILLEURBANNE = ("commune", "69266")


def _fill(conn) -> None:  # type: ignore[no-untyped-def]
    for actor_id, demo in ((1, False), (2, True), (3, True)):  # one real actor, two demo actors, all in Villeurbanne
        conn.execute(
            "INSERT INTO actors (id, kind, name, commune_code, place, epci_code, departement_code, themes, is_demo, created_at,"
            " updated_at) VALUES (?, 'association', ?, '69266', '{}', '200046977', '69', '[]', ?, ?, ?)",
            (actor_id, f"A{actor_id}", demo, STAMP, STAMP),
        )
    for broadcast_id, people in ((1, (2,)), (2, (1, 2))):  # a call to a demo actor only, one to both
        conn.execute(
            "INSERT INTO broadcasts (id, area_kind, area_code, area_label, message, answer_mode, status, requester_platform,"
            " requester_chat, created_at) VALUES (?, 'commune', '69266', 'Villeurbanne', 'm', 'interested', 'done', 'console',"
            " 'marie', ?)",
            (broadcast_id, STAMP),
        )
        for actor_id in people:
            conn.execute(
                "INSERT INTO broadcast_recipients (broadcast_id, actor_id, status) VALUES (?, ?, 'sent')", (broadcast_id, actor_id)
            )
            conn.execute(
                "INSERT INTO broadcast_answers (broadcast_id, actor_id, answer, created_at) VALUES (?, ?, 'interested', ?)",
                (broadcast_id, actor_id, STAMP),
            )
    for group_id, people in ((1, (2, 3)), (2, (1, 2))):  # a group of demo actors only, a group of both
        conn.execute(
            "INSERT INTO working_groups (id, area_kind, area_code, name, source, status, requester_platform, requester_chat,"
            " created_at, formed_at) VALUES (?, 'commune', '69266', 'G', 'selection', 'formed', 'console', 'marie', ?, ?)",
            (group_id, STAMP, STAMP),
        )
        for actor_id in people:
            conn.execute("INSERT INTO group_members (group_id, actor_id, status) VALUES (?, ?, 'accepted')", (group_id, actor_id))
    for event_id, people in ((1, (2, 3)), (2, (1, 2))):  # an event of demo registrations only, one of both
        conn.execute(
            "INSERT INTO events (id, title, starts_at, place, capacity, area_kind, area_code, area_label, requester_platform,"
            " requester_chat, created_at) VALUES (?, 'E', ?, 'Salle', 40, 'commune', '69266', 'Villeurbanne (69)', 'console',"
            " 'marie', ?)",
            (event_id, STAMP, STAMP),
        )
        for actor_id in people:
            conn.execute(
                "INSERT INTO event_people (event_id, actor_id, status, updated_at) VALUES (?, ?, 'registered', ?)",
                (event_id, actor_id, STAMP),
            )


async def test_demo_actors_are_left_out_of_every_figure_alike_and_it_is_said(db_path) -> None:
    async with open_database(db_path) as db:
        await db.transaction(_fill)
        figures = await db.run(lambda conn: impact(conn, *VILLEURBANNE, date(2026, 11, 1), date(2026, 11, 30)))
    assert figures.actors_total == 1
    assert (figures.broadcasts, figures.broadcast_recipients, figures.broadcast_delivered, figures.broadcast_answers) == (1, 1, 1, 1)
    assert (figures.groups_formed, figures.group_members) == (1, 1)
    assert (figures.events, figures.event_registrations) == (1, 1)
    assert figures.outcomes.months and sum(month.calls for month in figures.outcomes.months) == 1
    assert figures.demo_actors == 2
    text = impact_text(figures, "fr", "Villeurbanne (69)")
    assert "2 acteurs de démonstration" in text
    assert ("actors", "demo_left_out", "2") in impact_rows(figures)
