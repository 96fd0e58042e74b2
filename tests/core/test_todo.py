"""The coordinator's weekly to-do: its lines (new actors, lonely needs, silent actors, waiting
introductions, answers), once a week, the opt-out in /reglages, and one-tap relaunches."""

from __future__ import annotations

from datetime import timedelta

from conversations.model import Identity
from conversations.todo import Relaunch
from core.clock import iso, utcnow
from services import todo
from services.coordination import CoordinatorArea
from tests.core.test_coordination import deliver, onboard, rows, send_call, territory  # noqa: F401  (fixture)


async def test_weekly_todo_lists_what_to_act_on_once_a_week(territory) -> None:
    app, adapter, people = territory
    marie, _asso, boulangerie = people["marie"], people["asso"], people["boulangerie"]
    long_ago, three_weeks = iso(utcnow() - timedelta(days=120)), iso(utcnow() - timedelta(days=20))

    def age(conn) -> None:  # type: ignore[no-untyped-def]
        silent = conn.execute("SELECT id FROM actors WHERE name = 'Asso Silencieuse'").fetchone()[0]
        conn.execute("UPDATE actors SET created_at = ? WHERE id = ?", (long_ago, silent))
        conn.execute("UPDATE sessions SET updated_at = ? WHERE user_id = 'refus'", (long_ago,))
        tonkin = conn.execute("SELECT id FROM actors WHERE name = 'Asso du Tonkin'").fetchone()[0]
        conn.execute(
            "INSERT INTO listings (actor_id, kind, category, description, zone_kind, zone_code, zone_label, expires_at,"
            " created_at, updated_at) VALUES (?, 'need', 'benevoles', 'Des bras pour la distribution du samedi',"
            " 'commune', '69266', 'Villeurbanne (69)', '2099-01-01', ?, ?)",
            (tonkin, three_weeks, three_weeks),
        )

    await app.db.transaction(age)
    await marie.say("/presenter")
    await marie.say("gratte")  # one match each: taken at once
    await marie.say("tonkin")
    await marie.say("passer")  # no reason
    await marie.press("Oui, envoyer")
    await deliver(app)
    proposal = next(r for r in reversed(adapter.replies_to("boulangerie")) if r.prompt_id and r.prompt_id.startswith("S"))
    await boulangerie.send(boulangerie.incoming(choice="present", prompt_id=proposal.prompt_id))
    await app.db.transaction(lambda conn: conn.execute("UPDATE introductions SET created_at = ?", (three_weeks,)))
    await send_call(app, marie)
    call = next(r for r in adapter.replies_to("boulangerie") if r.prompt_id and r.prompt_id.startswith("B"))
    await boulangerie.send(boulangerie.incoming(text="Des viennoiseries.", prompt_id=call.prompt_id))

    before = len(adapter.replies_to("marie"))
    assert await app.weekly_todo() == 1
    assert await app.weekly_todo() == 0  # once a week, even if the job runs again (a restart)
    await deliver(app)
    [summary] = [r.text for r in adapter.replies_to("marie")[before:] if r.text.startswith("🗒")]
    assert (
        "2 nouveaux acteurs : Boulangerie Gratte-Ciel, Asso du Tonkin" in summary  # newest first, whatever the second
        and "Boulangerie Gratte-Ciel" in summary
        and "/presenter" in summary
    )
    assert "1 besoin sans partenaire après deux tournées : Asso du Tonkin (Des bras pour la distribution" in summary
    assert "1 acteur silencieux depuis 3 mois : Asso Silencieuse — /relancer" in summary
    assert "1 mise en relation en attente d'une réponse : Boulangerie Gratte-Ciel → Asso du Tonkin" in summary
    assert "1 réponse à vos appels cette semaine — /reponses" in summary
    assert "Lilloise" not in summary  # another territory


async def test_relaunch_in_one_tap_and_only_inside_the_territory(territory) -> None:
    app, adapter, people = territory
    marie = people["marie"]
    long_ago = iso(utcnow() - timedelta(days=120))
    await app.db.transaction(lambda conn: conn.execute("UPDATE actors SET created_at = ?", (long_ago,)))
    await app.db.transaction(lambda conn: conn.execute("UPDATE sessions SET updated_at = ? WHERE user_id != 'marie'", (long_ago,)))
    lille = rows(app, "SELECT id FROM actors WHERE name = 'Asso Lilloise'")[0][0]
    areas = (CoordinatorArea(1, "commune", "69266", "Villeurbanne (69)"),)
    refused = await app.db.transaction(lambda conn: todo.apply(conn, Relaunch((lille,)), Identity("test", "marie"), "fr", areas, utcnow()))
    assert "pas sur votre territoire" in refused[0].text and rows(app, "SELECT COUNT(*) FROM relaunches") == [(0,)]

    await marie.say("/relancer")
    assert "Qui relancer ?" in marie.question.text
    assert {c.label for c in marie.question.choices} >= {"Asso du Tonkin", "Boulangerie Gratte-Ciel", "Asso Silencieuse"}
    await marie.say("ok")  # all ticked
    assert "Relance envoyée à 3 acteurs" in marie.text()
    await deliver(app)
    assert any("prend de vos nouvelles" in r.text and "Villeurbanne (69)" in r.text for r in adapter.replies_to("refus"))
    assert not any("prend de vos nouvelles" in r.text for r in adapter.replies_to("lille"))
    await marie.say("/relancer")
    assert "Aucun acteur silencieux" in marie.text()  # not proposed again for 30 days


async def test_the_weekly_todo_can_be_turned_off_in_settings(territory) -> None:
    app, adapter, people = territory
    marie = people["marie"]
    await onboard(marie, "Maison des associations de Villeurbanne", "Villeurbanne")
    await marie.say("/reglages")
    await marie.press("Récapitulatif hebdomadaire du coordinateur : activé")
    await marie.press("Non")
    assert "plus de récapitulatif hebdomadaire" in marie.text()
    assert await app.weekly_todo() == 0
    assert rows(app, "SELECT weekly_todo FROM coordinators") == [(0,)]
    await people["asso"].say("/reglages")  # not a coordinator: no such line
    assert "Récapitulatif hebdomadaire" not in " ".join(c.label for c in people["asso"].question.choices)


async def test_a_coordinator_without_a_profile_reaches_the_todo_setting(territory) -> None:
    """A coordinator need not describe a structure of their own: /reglages still offers the
    weekly to-do, saying whether it is on, and the language; nothing else (the rest belongs to a profile)."""
    app, adapter, people = territory
    marie = people["marie"]
    await marie.say("/reglages")
    labels = [c.label for c in marie.question.choices]
    assert labels == ["Langue", "Récapitulatif hebdomadaire du coordinateur : activé"], labels
    assert "récapitulatif hebdomadaire : activé" in marie.question.text.lower()
    await marie.press("Récapitulatif hebdomadaire du coordinateur : activé")
    await marie.press("Non")
    assert "plus de récapitulatif hebdomadaire" in marie.text()
    assert rows(app, "SELECT weekly_todo FROM coordinators") == [(0,)]


async def test_a_coordinator_without_a_profile_is_shown_their_commands_not_sent_to_start(territory) -> None:
    """Free text or a command that needs a profile: a coordinator hears their own commands and
    that a profile is optional, not only "type /start to create your structure's profile"."""
    _app, _adapter, people = territory
    marie = people["marie"]
    for said in ("bonjour, je voudrais voir les réponses à mon appel", "/annonces"):
        await marie.say(said)
        told = marie.text()
        assert "sans profil de structure" in told and "/diffuser" in told and "/reponses" in told, told
    await people["asso"].say("/diffuser")  # an actor, not a coordinator: nothing of this
    assert "sans profil de structure" not in people["asso"].text()


async def test_the_todo_setting_says_its_state_with_a_profile_as_without(territory) -> None:
    """New-user trial: with a profile of their own, /reglages listed the to-do without saying
    whether it was on; the line is now the same with a profile and without."""
    app, adapter, people = territory
    marie = people["marie"]
    await marie.say("/reglages")
    without_profile = [c.label for c in marie.question.choices]
    await marie.say("/annuler")
    await onboard(marie, "Maison des associations de Villeurbanne", "Villeurbanne")
    await marie.say("/reglages")
    labels = [c.label for c in marie.question.choices]
    assert "Récapitulatif hebdomadaire du coordinateur : activé" in labels, labels
    assert set(without_profile) <= set(labels)
    await marie.press("Récapitulatif hebdomadaire du coordinateur : activé")
    await marie.press("Non")
    await marie.say("/reglages")
    assert "Récapitulatif hebdomadaire du coordinateur : désactivé" in [c.label for c in marie.question.choices]
