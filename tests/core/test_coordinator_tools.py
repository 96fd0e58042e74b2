"""Coordinators' tools after the first trial with new users (report of 30/11/2026): introduction
requests that say who asks and why, /presenter signed on both sides with an optional reason and
a confirmation, and the actor search by words."""

from __future__ import annotations

import pytest

from conversations.decisions import OtherActor, decision_reply
from core.clock import iso, utcnow
from core.decisions import DecisionView
from core.text import names_match
from tests.core.test_coordination import deliver, rows, territory  # noqa: F401  (the fixture)

pytestmark = pytest.mark.backends


def _add_offer(app, name: str, description: str) -> None:
    now = iso(utcnow())

    def add(conn) -> None:
        actor_id = conn.execute("SELECT id FROM actors WHERE name = ?", (name,)).fetchone()[0]
        conn.execute(
            "INSERT INTO listings (actor_id, kind, category, description, zone_kind, zone_code, zone_label, expires_at,"
            " created_at, updated_at) VALUES (?, 'offer', 'materiel', ?, 'commune', '69266', 'Villeurbanne', '2099-01-01', ?, ?)",
            (actor_id, description, now, now),
        )

    return app.db.transaction(add)


async def test_presenter_asks_a_reason_and_a_confirmation_and_signs_both_sides(territory) -> None:
    app, adapter, people = territory
    marie, asso = people["marie"], people["asso"]
    await _add_offer(app, "Boulangerie Gratte-Ciel", "Invendus de pain chaque soir")
    await _add_offer(app, "Asso du Tonkin", "Des bénévoles pour vos fêtes de quartier")
    await marie.say("/presenter")
    await marie.say("tonkin")
    await marie.say("gratte")
    texts = [reply.text for reply in marie.last]
    # the second actor is named before anything else, then the optional reason is asked
    assert texts[0].startswith("C'est noté : Boulangerie Gratte-Ciel"), texts
    assert "Je propose la mise en relation" not in marie.text()
    await marie.say("Ils luttent tous deux contre le gaspillage")
    assert "Asso du Tonkin" in marie.question.text and "Boulangerie Gratte-Ciel" in marie.question.text
    assert "gaspillage" in marie.question.text
    assert rows(app, "SELECT COUNT(*) FROM suggestions") == [(0,)]  # nothing sent before the confirmation
    await marie.press(marie.question.choices[0].label)
    assert "Je propose la mise en relation" in marie.text()
    await deliver(app)
    proposal = next(r for r in reversed(adapter.replies_to("asso")) if r.prompt_id and r.prompt_id.startswith("S"))
    assert "proposé par Villeurbanne (69)" in proposal.text and "gaspillage" in proposal.text
    assert "Invendus de pain chaque soir" in proposal.text  # what the other side offers
    await asso.send(asso.incoming(choice="present", prompt_id=proposal.prompt_id))
    await deliver(app)
    request = next(r for r in reversed(adapter.replies_to("boulangerie")) if r.prompt_id and r.prompt_id.startswith("I"))
    assert "Villeurbanne (69)" in request.text.split("\n")[0]  # signed: the coordinator proposed it
    assert "gaspillage" in request.text
    assert "Des bénévoles pour vos fêtes de quartier" in request.text  # who asks, and what they offer
    assert "\n\n" not in request.text and "—\n" not in request.text


async def test_presenter_reason_can_be_skipped_and_the_introduction_cancelled(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    await marie.say("/presenter")
    await marie.say("tonkin")
    await marie.say("gratte")
    await marie.say("passer")
    assert "Asso du Tonkin" in marie.question.text
    await marie.press(marie.question.choices[1].label)  # "Non, annuler"
    assert rows(app, "SELECT COUNT(*) FROM suggestions") == [(0,)]


def test_a_request_without_listings_or_description_shows_themes_and_no_empty_line() -> None:
    other = OtherActor("Epicerie solidaire du Mas", "association", "Saint-Priest (69)", themes=("alimentation", "solidarite"))
    for language in ("fr", "en"):
        text = decision_reply(DecisionView("I1", "introduction", other), language).text
        assert "\n\n" not in text and "—\n" not in text and not text.endswith("—"), text
        assert ("Alimentation" in text) if language == "fr" else ("Food" in text), text


def test_a_request_lists_the_asker_open_listings() -> None:
    other = OtherActor(
        "Epicerie solidaire du Mas",
        "association",
        "Saint-Priest (69)",
        listings=(("need", "materiel", "Un frigo professionnel"),),
    )
    text = decision_reply(DecisionView("I1", "introduction", other), "fr").text
    assert "Besoin — Matériel : Un frigo professionnel" in text and "\n\n" not in text


@pytest.mark.parametrize(
    ("typed", "name", "found"),
    [
        ("epicerie du mas", "Epicerie solidaire du Mas", True),
        ("Mas épicerie", "Epicerie solidaire du Mas", True),
        ("epic sol", "Épicerie solidaire du Mas", True),
        ("EPICERIE DE MAS", "Epicerie solidaire du Mas", True),  # a wrong little word is not decisive
        ("epicerie", "Épicerie solidaire de la Soie", True),
        ("gratte-ciel", "Boulangerie des Gratte-Ciel", True),
        ("epicerie du mas", "Épicerie solidaire de la Soie", False),
        ("boulangerie mas", "Epicerie solidaire du Mas", False),
    ],
)
def test_names_are_matched_on_words(typed: str, name: str, found: bool) -> None:
    assert names_match(typed, name) is found


async def test_presenter_finds_an_actor_by_its_words(territory) -> None:
    _, _, people = territory
    marie = people["marie"]
    await marie.say("/presenter")
    await marie.say("tonkin asso")
    assert "C'est noté : Asso du Tonkin" in marie.text()
    await marie.say("asso villeurbanne")  # no actor has both words: refused, asked again
    assert "Aucun acteur" in marie.text()
    await marie.say("asso")  # several: a numbered list
    labels = [choice.label for choice in marie.question.choices]
    assert any("Asso Silencieuse" in label for label in labels), labels


async def test_stats_count_working_groups_and_events_of_the_period(territory) -> None:
    """First trial, #12: a group formed (3 joined, 1 declined) and an event (2 registered) appear in
    /stats and in its CSV; a group formed before the period does not."""
    app, _, people = territory
    marie = people["marie"]
    now, old = iso(utcnow()), "2020-01-01T10:00:00+00:00"

    def populate(conn) -> None:
        ids = [row[0] for row in conn.execute("SELECT id FROM actors WHERE commune_code = '69266' ORDER BY id")]
        for formed, members in ((now, ids[:3]), (old, ids[:2])):
            group = conn.execute(
                "INSERT INTO working_groups (area_kind, area_code, name, source, status, requester_platform, requester_chat,"
                " created_at, formed_at) VALUES ('commune', '69266', 'Groupe', 'selection', 'formed', 'test', 'marie', ?, ?)"
                " RETURNING id",
                (formed, formed),
            ).fetchone()[0]
            for actor_id in members:
                conn.execute("INSERT INTO group_members (group_id, actor_id, status) VALUES (?, ?, 'accepted')", (group, actor_id))
        group_declined = conn.execute("SELECT max(id) FROM working_groups WHERE formed_at = ?", (now,)).fetchone()[0]
        lille = conn.execute("SELECT id FROM actors WHERE commune_code != '69266'").fetchone()[0]
        conn.execute("INSERT INTO group_members (group_id, actor_id, status) VALUES (?, ?, 'declined')", (group_declined, lille))
        event = conn.execute(
            "INSERT INTO events (title, starts_at, place, capacity, area_kind, area_code, area_label, requester_platform,"
            " requester_chat, created_at) VALUES ('Forum', ?, 'Salle', 40, 'commune', '69266', 'Villeurbanne (69)', 'test',"
            " 'marie', ?) RETURNING id",
            (now, now),
        ).fetchone()[0]
        for actor_id, status in zip(ids, ("registered", "registered", "invited"), strict=False):
            conn.execute(
                "INSERT INTO event_people (event_id, actor_id, status, updated_at) VALUES (?, ?, ?, ?)", (event, actor_id, status, now)
            )

    await app.db.transaction(populate)
    await marie.say("/stats")
    await marie.press("30 derniers jours")
    text = marie.text()
    assert "1 groupe de travail formé (3 membres)" in text and "1 événement publié (2 inscrits)" in text, text
    exported = next(r.attachment for r in marie.last if r.attachment and r.attachment.mime_type == "text/csv").data.decode("utf-8-sig")
    assert "Groupes de travail;Formés;1" in exported and "Groupes de travail;Membres;3" in exported
    assert "Événements;Publiés;1" in exported and "Événements;Inscrits;2" in exported


async def test_help_names_each_command_once(territory) -> None:
    """First trial: the coordinators' /aide listed /annuaire twice. Every command is listed once,
    for a coordinator with a profile, without one, and for an actor."""
    import re
    from collections import Counter

    from conversations.i18n import translate
    from tests.core.people import Person

    app, _, people = territory
    await app.db.transaction(
        lambda conn: conn.execute(
            "INSERT INTO identities (platform, user_id, chat_id, actor_id, created_at)"
            " SELECT 'test', 'marie2', 'marie2', id, ? FROM actors WHERE name = 'Asso du Tonkin'",
            (iso(utcnow()),),
        )
    )
    from storage import coordination

    await app.db.transaction(
        lambda conn: coordination.add_coordinator(
            conn, "test", "marie2", coordination.Area("commune", "69266", "Villeurbanne (69)"), "test", iso(utcnow())
        )
    )
    with_profile = Person(app.runtime, people["asso"].adapter, "marie2")
    for person in (people["marie"], with_profile, people["asso"]):
        await person.say("/aide")
        listed = person.text().replace(translate("fr", "help.outro"), "")  # the closing how-to mentions /annuler again
        counts = Counter(re.findall(r"(?<![\w/])/([a-z]+)\b", listed))
        assert all(count == 1 for count in counts.values()), (person.user_id, counts)
    assert "/annuaire" in with_profile.text() and "/evenements" in with_profile.text()


async def test_a_coordinator_erasing_their_data_takes_the_reason_they_typed_out_of_their_introductions(territory) -> None:
    """Trial 11 (erasure): the « pourquoi » a coordinator typed for /presenter stayed in the two
    actors' suggestion after the coordinator's /supprimer: the erasure looked for it by text among
    what their session still held, and it was typed long before. The suggestion now names who
    proposed it (indexed): found by that, it stays the two others', without signature nor reason."""
    app, _, people = territory
    marie = people["marie"]
    await marie.say("/presenter")
    await marie.say("tonkin")
    await marie.say("gratte")
    await marie.say("Ils luttent tous deux contre le gaspillage")
    await marie.press(marie.question.choices[0].label)
    assert rows(app, "SELECT proposed_by FROM suggestions") == [("test:marie",)]
    await marie.say("/aide")  # her session moved on: the reason is no longer in it
    await marie.say("/supprimer")
    await marie.press("Oui, tout supprimer")
    left = rows(app, "SELECT CAST(explanation AS TEXT), proposed_by FROM suggestions")
    assert len(left) == 1 and left[0][1] is None, left  # the suggestion stays the two actors'
    assert "gaspillage" not in left[0][0] and "match.coordinator_why" in left[0][0], left
    # her appointment's audit line, written by whoever appointed her, is found by its subject (migration 102)
    appointed = rows(app, "SELECT who, subject, CAST(details AS TEXT) FROM audit_log WHERE action = 'coordinator.add'")
    assert appointed and all(row[1] == "erased" and "marie" not in row[2] and row[0] != "test:marie" for row in appointed), appointed
