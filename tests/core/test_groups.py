"""Working groups (issue 16, item 1) on recording adapters: a coordinator's group from a
selection or a call's answers, each member's opt-in, the place to talk per network (Matrix
room, Telegram link, contacts), refusals that change nothing, follow-ups recorded as outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from conversations.groups import CreateGroup
from core.clock import iso
from services import groups
from storage import coordination
from tests import backends
from tests.core.people import Person, RecordingAdapter, deliver
from tests.core.test_suggestions import MONDAY_11H_PARIS, Clock

VILLEURBANNE = coordination.Area("commune", "69266", "Villeurbanne (69)")
LINK = "https://t.me/+AbCdEf123456"

pytestmark = pytest.mark.backends


@dataclass
class FakeMatrix(RecordingAdapter):
    """A Matrix-like recording adapter that can open group rooms."""

    platform: str = "matrix"
    rooms: list[tuple[str, str, list[str]]] = field(default_factory=list)
    invites: list[tuple[str, list[str]]] = field(default_factory=list)

    async def create_group_room(self, name: str, topic: str, invite: list[str]) -> str:
        self.rooms.append((name, topic, list(invite)))
        return f"!room{len(self.rooms)}"

    async def invite_to_group_room(self, room_id: str, users: list[str]) -> None:
        self.invites.append((room_id, list(users)))


def rows(app: App, sql: str, *params: object) -> list[tuple]:
    with backends.connect(app.config.db) as conn:
        return [tuple(row) for row in conn.execute(sql, params).fetchall()]


async def onboard(person: Person, name: str, place: str = "Villeurbanne", kind: str = "Association") -> None:
    await person.onboard(name, place, kind=kind, themes=("Alimentation",))


def invitation(adapter: RecordingAdapter, chat: str):
    return next(r for r in reversed(adapter.replies_to(chat)) if r.prompt_id and r.prompt_id.startswith("G"))


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_11H_PARIS)


@pytest.fixture
async def territory(db_path: Path, territories, clock: Clock):
    console, telegram, matrix = RecordingAdapter(), RecordingAdapter(platform="telegram"), FakeMatrix()
    app = await App.open(Config(db=str(db_path)), adapters=[console, telegram, matrix], territories=territories, clock=clock)
    app.run_jobs = False
    await app.start()
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "marie", VILLEURBANNE, "test:admin", iso(clock())))
    people = {
        "marie": Person(app.runtime, console, "marie"),
        "asso": Person(app.runtime, console, "asso"),
        "boulangerie": Person(app.runtime, telegram, "boulangerie"),
        "jardins": Person(app.runtime, matrix, "@jardins:localhost"),
        "ferme": Person(app.runtime, matrix, "@ferme:localhost"),
        "lille": Person(app.runtime, console, "lille"),
    }
    await onboard(people["asso"], "Asso du Tonkin")
    await onboard(people["boulangerie"], "Boulangerie Gratte-Ciel", kind="Entreprise")
    await onboard(people["jardins"], "Jardins Partagés")
    await onboard(people["ferme"], "Ferme Urbaine")
    await onboard(people["lille"], "Asso Lilloise", "Lille")
    yield app, (console, telegram, matrix), people
    await app.stop()


async def make_group(marie: Person, query: str, name: str, link: str | None) -> None:
    await marie.say("/groupe")
    await marie.press("Des acteurs que je choisis")
    await marie.say(query)
    await marie.say("ok")  # everyone proposed stays ticked
    await marie.say(name)
    if "groupe Telegram" in marie.question.text:  # asked only when a member is on Telegram
        await marie.say(link or "passer")


async def test_group_double_opt_in_then_a_place_per_network(territory) -> None:
    app, (console, telegram, matrix), people = territory
    marie = people["marie"]
    await make_group(marie, "tonkin, gratte, jardins, ferme", "Ceinture alimentaire", LINK)
    preview = marie.question.text
    assert "4 acteurs invités" in preview and "Ferme Urbaine" in preview
    await marie.press("Envoyer les invitations")
    assert "j'ai invité 4 acteurs" in marie.text()
    await deliver(app)
    asked = invitation(console, "asso")
    assert "Ceinture alimentaire" in asked.text and "Villeurbanne" in asked.text and "@" not in asked.text
    assert [c.label for c in asked.choices] == ["Je rejoins le groupe", "Non merci"]

    await people["asso"].send(people["asso"].incoming(choice="join", prompt_id=asked.prompt_id))
    assert "dès qu'un autre membre accepte" in people["asso"].text()
    await deliver(app)
    assert all("@boulangerie" not in r.text for r in console.replies_to("asso"))  # nobody else has said yes

    for name, adapter in (("boulangerie", telegram), ("jardins", matrix), ("ferme", matrix)):
        person = people[name]
        chat = person.user_id
        await person.send(person.incoming(choice="join", prompt_id=invitation(adapter, chat).prompt_id))
        assert "Bienvenue dans le groupe" in person.text()
    await deliver(app)

    telegram_place = "\n".join(r.text for r in telegram.replies_to("boulangerie"))
    assert LINK in telegram_place and "• Asso du Tonkin\ntest @asso" in telegram_place
    assert "• Jardins Partagés" in telegram_place and "• Ferme Urbaine" in telegram_place  # on another network
    matrix_place = "\n".join(r.text for r in matrix.replies_to("@ferme:localhost"))
    assert "salon Matrix chiffré" in matrix_place and LINK not in matrix_place
    assert "• Asso du Tonkin" in matrix_place and "https://t.me/boulangerie" in matrix_place
    assert "• Jardins Partagés" not in matrix_place  # they meet in the room, no need for contacts
    first_on_matrix = "\n".join(r.text for r in matrix.replies_to("@jardins:localhost"))
    assert "• Asso du Tonkin" in first_on_matrix and "• Ferme Urbaine" not in first_on_matrix
    console_place = "\n".join(r.text for r in console.replies_to("asso"))
    assert "https://t.me/boulangerie" in console_place and "• Jardins Partagés" in console_place and "• Ferme Urbaine" in console_place
    assert LINK not in console_place
    assert "a accepté" in "\n".join(r.text for r in console.replies_to("marie"))

    assert await app.group_rooms() == 2
    assert matrix.rooms == [("Ceinture alimentaire", matrix.rooms[0][1], ["@jardins:localhost", "@ferme:localhost"])]
    assert await app.group_rooms() == 0  # once
    await deliver(app)
    assert "salon chiffré du groupe" in matrix.replies_to("@ferme:localhost")[-1].text
    assert rows(app, "SELECT room_id, status FROM working_groups") == [("!room1", "formed")]


async def test_decline_shares_nothing_and_contacts_stay_among_yes(territory) -> None:
    app, (console, telegram, matrix), people = territory
    marie = people["marie"]
    await make_group(marie, "tonkin, gratte, jardins", "Repair café", None)
    await marie.press("Envoyer les invitations")
    await deliver(app)
    jardins = people["jardins"]
    await jardins.send(jardins.incoming(choice="decline", prompt_id=invitation(matrix, "@jardins:localhost").prompt_id))
    assert "vous ne rejoignez pas" in jardins.text()
    for name, adapter in (("asso", console), ("boulangerie", telegram)):
        person = people[name]
        await person.send(person.incoming(choice="join", prompt_id=invitation(adapter, person.user_id).prompt_id))
    await deliver(app)
    everything = "\n".join(r.text for _, r in console.sent + telegram.sent + matrix.sent)
    assert "• Jardins Partagés\n" not in everything  # the one who declined: her contact never shared
    assert "• Asso du Tonkin\ntest @asso" in "\n".join(r.text for r in telegram.replies_to("boulangerie"))  # no link: contacts
    assert "https://t.me/boulangerie" in "\n".join(r.text for r in console.replies_to("asso"))
    assert all("https://t.me/boulangerie" not in r.text for r in matrix.replies_to("@jardins:localhost"))


async def test_refusals_change_nothing(territory) -> None:
    app, _, people = territory
    marie, asso = people["marie"], people["asso"]
    await asso.say("/groupe")
    assert "réservé aux coordinateurs" in asso.text().lower() or "coordinat" in asso.text()
    await marie.say("/groupe")
    await marie.press("Des acteurs que je choisis")
    await marie.say("tonkin")  # one actor: said at once, not after the confirmation (fourth trial)
    assert "au moins 2 acteurs : je n'ai trouvé que Asso du Tonkin" in marie.text(), marie.text()
    await marie.say("tonkin, gratte")
    await marie.press(next(c.label for c in marie.question.choices if "Tonkin" in c.label))  # one ticked out of two
    assert "au moins 2" in marie.text() and marie.question.multi, marie.text()
    await marie.say("/annuler")
    await marie.say("/groupe")
    await marie.press("Des acteurs que je choisis")
    await marie.say("Lilloise")  # outside her territory
    assert "Je n'ai trouvé personne pour « Lilloise » dans votre territoire" in marie.text()
    await marie.say("/annuler")
    await make_group(marie, "tonkin, gratte", "Avec un mauvais lien", None)
    await marie.say("/annuler")
    await marie.say("/groupe")
    await marie.press("Des acteurs que je choisis")
    await marie.say("tonkin, gratte")
    await marie.say("ok")
    await marie.say("Groupe au lien faux")
    await marie.say("https://example.org/groupe")
    assert "pas un lien d'invitation Telegram" in marie.text()
    await marie.say("/annuler")
    assert rows(app, "SELECT count(*) FROM working_groups") == [(0,)]

    too_many = CreateGroup(
        {"kind": "commune", "code": "69266", "label": "Villeurbanne"}, "Trop", None, "selection", None, tuple(range(1, 32)), None
    )
    outside = CreateGroup({"kind": "commune", "code": "69266", "label": "Villeurbanne"}, "Hors", None, "selection", None, (1, 5), None)
    owner = (1, "Villeurbanne (69)")
    now = app.runtime.clock()
    texts = await app.db.transaction(
        lambda conn: [
            groups.create_group(conn, too_many, owner, ("test", "marie"), "fr", now)[0].text,
            groups.create_group(conn, outside, owner, ("test", "marie"), "en", now)[0].text,
        ]
    )
    assert ("au plus 30 acteurs (ici : 31)" in texts[0] and "refused" in texts[1].lower()) or "territory" in texts[1].lower()
    assert rows(app, "SELECT count(*) FROM working_groups") == [(0,)]


async def test_group_from_a_call_and_its_follow_ups(territory, clock: Clock) -> None:
    app, (console, telegram, matrix), people = territory
    marie = people["marie"]
    await marie.say("/diffuser")
    assert "C'est noté : Villeurbanne (69)" in marie.text(), marie.text()  # her only territory: taken, and said
    await marie.say("ok")
    await marie.say("ok")
    await marie.say("Qui veut travailler sur une ceinture alimentaire ?")
    await marie.press("Un bouton « Intéressé·e »")
    await marie.press("Envoyer")
    await deliver(app)
    for name, adapter in (("asso", console), ("boulangerie", telegram)):
        person = people[name]
        call = next(r for r in reversed(adapter.replies_to(person.user_id)) if r.prompt_id and r.prompt_id.startswith("B"))
        await person.send(person.incoming(choice="interested", prompt_id=call.prompt_id))
    await marie.say("/groupe")
    await marie.press("Les acteurs qui ont répondu à un appel")
    await marie.press(marie.question.choices[0].label)
    await marie.say("ok")  # both respondents stay ticked
    await marie.say("Ceinture alimentaire")
    await marie.say("passer")
    assert "2 acteurs invités" in marie.question.text
    await marie.press("Envoyer les invitations")
    await deliver(app)
    for name, adapter in (("asso", console), ("boulangerie", telegram)):
        person = people[name]
        await person.send(person.incoming(choice="join", prompt_id=invitation(adapter, person.user_id).prompt_id))
    assert rows(app, "SELECT source, status FROM working_groups") == [("call", "formed")]

    clock.advance(days=22)
    assert (await app.maintenance())["group_followups"] == 2
    assert (await app.maintenance())["group_followups"] == 0
    await deliver(app)
    asso = people["asso"]
    question = next(r for r in reversed(console.replies_to("asso")) if r.prompt_id and r.prompt_id.startswith("H"))
    assert "le groupe « Ceinture alimentaire » s'est formé" in question.text
    await asso.send(asso.incoming(choice="launched", prompt_id=question.prompt_id))
    await asso.tick("Projet commun", "Locaux")
    await asso.say("Une légumerie solidaire ouvre au printemps.")
    await asso.press("Oui, elle peut être partagée")
    assert rows(app, "SELECT subject, status, kinds, story_shared FROM outcomes") == [("group", "launched", '["premises", "project"]', 1)]
    clock.advance(days=70)
    assert (await app.maintenance())["group_followups"] == 2  # three months on: asked again
    await deliver(app)
    again = next(r for r in reversed(console.replies_to("asso")) if r.prompt_id and r.prompt_id.startswith("H"))
    assert "depuis trois mois" in again.text

    from storage.stats import impact

    day = clock().date()
    figures = await app.db.run(lambda conn: impact(conn, "commune", "69266", day - timedelta(days=120), day))
    assert figures.outcomes.groups_launched == 1
    assert figures.outcomes.by_kind["project"] == 1 and figures.outcomes.stories == ("Une légumerie solidaire ouvre au printemps.",)


async def listing(person: Person, command: str, text: str) -> None:
    await person.say(command)
    await person.press("Bénévoles")
    await person.say(text)
    await person.press(person.question.choices[0].label)


async def test_the_bot_proposes_a_cluster_with_needs_and_offers_that_fit(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    await marie.say("/groupe")
    await marie.press("Un groupe que le bot propose")
    assert "Je ne trouve pas encore" in marie.text()  # nothing fits yet: said at once
    await marie.say("/annuler")
    await listing(people["asso"], "/besoin", "Des bénévoles pour la collecte alimentaire du samedi")
    await listing(people["jardins"], "/besoin", "Des bras pour les jardins partagés au printemps")
    await listing(people["boulangerie"], "/offre", "Nos salariés peuvent donner deux heures par mois")
    await marie.say("/groupe")
    await marie.press("Un groupe que le bot propose")
    (cluster,) = [c.label for c in marie.question.choices if "acteurs" in c.label]
    assert cluster == "Alimentation — Villeurbanne (69) : 3 acteurs (2 besoins, 1 offre)"
    await marie.press(cluster)
    await marie.say("ok")  # all three stay ticked
    await marie.say("Ceinture alimentaire")
    await marie.say("passer")
    preview = marie.question.text
    assert "3 acteurs invités" in preview and "Asso du Tonkin" in preview and "Ferme Urbaine" not in preview
    await marie.press("Envoyer les invitations")
    assert rows(app, "SELECT source, theme FROM working_groups") == [("cluster", "alimentation")]


async def test_the_coordinator_unticks_some_of_those_proposed(territory) -> None:
    """First trial: « les acteurs qui ont répondu » (and a cluster) invited everyone, with no way
    to leave one out. They are listed ticked; the coordinator unticks before sending."""
    app, _, people = territory
    marie = people["marie"]
    await listing(people["asso"], "/besoin", "Des bénévoles pour la collecte alimentaire du samedi")
    await listing(people["jardins"], "/besoin", "Des bras pour les jardins partagés au printemps")
    await listing(people["boulangerie"], "/offre", "Nos salariés peuvent donner deux heures par mois")
    await marie.say("/groupe")
    await marie.press("Un groupe que le bot propose")
    await marie.press(next(c.label for c in marie.question.choices if "acteurs" in c.label))
    proposed = [c.label for c in marie.question.choices if "(" in c.label]
    assert len(proposed) == 3 and set(marie.question.selected) == {c.value for c in marie.question.choices if "(" in c.label}
    kept = [label for label in proposed if "Tonkin" not in label]
    await marie.tick(*kept)
    await marie.say("Ceinture alimentaire")
    await marie.say("passer")
    preview = marie.question.text
    assert "2 acteurs invités" in preview and "Asso du Tonkin" not in preview, preview
    await marie.press("Envoyer les invitations")
    tonkin = rows(app, "SELECT id FROM actors WHERE name = 'Asso du Tonkin'")[0][0]
    invited = [actor for (actor,) in rows(app, "SELECT actor_id FROM group_members ORDER BY actor_id")]
    assert len(invited) == 2 and tonkin not in invited


async def test_the_telegram_link_is_asked_only_when_a_member_is_on_telegram(territory) -> None:
    """New-user trial: /groupe asked for a Telegram link when every member was on the console or
    on Matrix; it asks only for what the members' networks need."""
    app, _, people = territory
    marie = people["marie"]
    await marie.say("/groupe")
    await marie.press("Des acteurs que je choisis")
    await marie.say("tonkin, jardins, ferme")  # the console and Matrix
    await marie.say("ok")
    await marie.say("Console et Matrix")
    assert "Telegram" not in marie.question.text and "Envoyer les invitations" in [c.label for c in marie.question.choices]
    await marie.say("retour")
    assert "nom" in marie.question.text.lower()  # back to the name typed, not to a link never asked
    await marie.say("/annuler")
    await marie.say("/groupe")
    await marie.press("Des acteurs que je choisis")
    await marie.say("tonkin, gratte")  # the bakery is on Telegram
    await marie.say("ok")
    await marie.say("Avec Telegram")
    assert "groupe Telegram" in marie.question.text


async def test_names_are_found_without_accents_or_capitals_and_the_missing_ones_are_said(territory) -> None:
    """New-user trial: "épicerie" did not find "Épicerie solidaire de la Soie" (SQLite folds ASCII
    letters only; PostgreSQL's ILIKE keeps accents), and a name found nowhere was dropped in silence."""
    app, (console, _, _), people = territory
    await onboard(Person(app.runtime, console, "epicerie"), "Épicerie solidaire de la Soie")
    marie = people["marie"]
    await marie.say("/groupe")
    await marie.press("Des acteurs que je choisis")
    await marie.say("épicerie, jardins partages, GRATTE ciel, mairie")
    asked = marie.question
    labels = [choice.label for choice in asked.choices]
    assert any(label.startswith("Épicerie solidaire de la Soie") for label in labels), labels
    assert any(label.startswith("Jardins Partagés") for label in labels), labels
    assert any(label.startswith("Boulangerie Gratte-Ciel") for label in labels), labels
    assert "Je n'ai trouvé personne pour « mairie »" in marie.text()  # said once, before the list
    await marie.say("/annuler")
    await marie.say("/groupe")
    await marie.press("Des acteurs que je choisis")
    await marie.say("mairie, lilloise")
    assert "Je n'ai trouvé personne pour « mairie », « lilloise »" in marie.text()
    found = await app.db.run(lambda conn: coordination.actors_in_area(conn, VILLEURBANNE, "EPICERIE"))
    assert [row[1] for row in found] == ["Épicerie solidaire de la Soie"]


async def test_a_typed_yes_joins_the_group(territory) -> None:
    """Trial: "oui" at "1. Je rejoins le groupe 2. Non merci" was refused."""
    app, (console, _telegram, _matrix), people = territory
    await make_group(people["marie"], "tonkin, ferme", "Ceinture alimentaire", None)
    await people["marie"].press("Envoyer les invitations")
    await deliver(app)
    asso = people["asso"]
    await asso.say("oui")
    assert "dès qu'un autre membre accepte" in asso.text(), asso.text()


async def test_oui_sends_the_invitations_and_non_cancels_them(territory) -> None:
    """« J'envoie les invitations ? » is a yes/no question: "non" cancels, "oui" sends (second trial:
    both were "Je n'ai pas reconnu ce choix")."""
    app, _, people = territory
    marie = people["marie"]
    await make_group(marie, "tonkin, gratte", "Ceinture alimentaire", LINK)
    await marie.say("non")
    assert "reconnu" not in marie.text() and "j'ai invité" not in marie.text(), marie.text()
    await make_group(marie, "tonkin, gratte", "Ceinture alimentaire", LINK)
    await marie.say("oui")
    assert "j'ai invité 2 acteurs" in marie.text(), marie.text()


async def test_the_coordinator_gets_the_contacts_the_members_agreed_to_share(territory) -> None:
    """First trial: the coordinator who formed a group got no member's contact. The invitation now
    says the coordinator gets the contact of those who join; the coordinator gets it, never the
    contact of someone who declined."""
    app, (console, telegram, matrix), people = territory
    marie = people["marie"]
    await make_group(marie, "tonkin, gratte", "Ceinture alimentaire", LINK)
    await marie.press("Envoyer les invitations")
    await deliver(app)
    asked = invitation(console, "asso")
    assert "avec Villeurbanne (69), qui anime le groupe" in asked.text and "qu'avec eux" not in asked.text
    await people["asso"].send(people["asso"].incoming(choice="join", prompt_id=asked.prompt_id))
    declined = invitation(telegram, "boulangerie")
    await people["boulangerie"].send(people["boulangerie"].incoming(choice="decline", prompt_id=declined.prompt_id))
    await deliver(app)
    told = "\n".join(r.text for r in console.replies_to("marie"))
    assert "Asso du Tonkin — Association, Villeurbanne (69) a accepté (1 membre à ce jour). Ses coordonnées :" in told, told
    assert "asso" in told.split("Ses coordonnées :", 1)[1]  # the account Asso du Tonkin shares
    assert "@boulangerie" not in told and "Boulangerie Gratte-Ciel — Entreprise, Villeurbanne (69) a décliné" in told
