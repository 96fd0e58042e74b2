"""/groupe as people tried it on the console (evening of 2026-11-30): several names in one message,
typing names at the ticked list, a warning said once, a name that matches many actors, counts as
plurals, what the texts say is shared, and the names a town hall goes by."""

from __future__ import annotations

import re

import pytest

from conversations.i18n import catalog, plurals
from core.text import name_score, names_match
from storage import coordination
from tests.core.people import Person, deliver
from tests.core.test_groups import VILLEURBANNE, clock, invitation, onboard, rows, territory  # noqa: F401

pytestmark = pytest.mark.backends

MORE = (
    ("restos", "Restos du Cœur", "Association"),
    ("restos2", "Restos du Cœur — antenne Charpennes", "Association"),
    ("ville", "Ville de Villeurbanne — vie associative", "Collectivité"),
    ("decathlon", "Decathlon Villeurbanne", "Entreprise"),
    ("tennis", "Tennis et Badminton Club", "Association"),
    ("ccas", "Centre communal d'action sociale de Villeurbanne", "Collectivité"),
    ("amicale", "Amicale Laïque des Buers", "Association"),
    ("sportive", "Association Sportive Croix-Luizet", "Association"),
)


@pytest.fixture
async def town(territory):
    app, adapters, people = territory
    console = adapters[0]
    for user, name, kind in MORE:
        people[user] = Person(app.runtime, console, user)
        await onboard(people[user], name, kind=kind)
    return app, adapters, people


async def choose(marie: Person, names: str) -> None:
    await marie.say("/groupe")
    await marie.press("Des acteurs que je choisis")
    await marie.say(names)


def ticked(person: Person) -> list[str]:
    question = person.question
    return sorted(c.label.split(" (")[0] for c in question.choices if c.value in question.selected)


def listed(person: Person) -> list[str]:
    return sorted(c.label.split(" (")[0] for c in person.question.choices if not c.value.startswith("_"))


# 1. several names in one message


@pytest.mark.parametrize(
    "typed",
    [
        "Restos du Cœur, la Mairie de Villeurbanne et Decathlon",
        "restos du coeur et mairie de villeurbanne et decathlon",
        "Restos du Cœur\nMairie de Villeurbanne\nDecathlon",
        "restos du coeur; town hall of villeurbanne and decathlon",
        "Restos du Cœur + Ville de Villeurbanne & Decathlon",
    ],
)
async def test_every_actor_named_in_one_message_is_found(town, typed: str) -> None:
    app, _, people = town
    marie = people["marie"]
    await choose(marie, typed)
    assert ticked(marie) == ["Decathlon Villeurbanne", "Restos du Cœur", "Ville de Villeurbanne — vie associative"], marie.text()


async def test_a_name_with_et_in_it_stays_one_name(town) -> None:
    app, _, people = town
    marie = people["marie"]
    await choose(marie, "tennis et badminton et tonkin")
    assert ticked(marie) == ["Asso du Tonkin", "Tennis et Badminton Club"], marie.text()
    await marie.say("/annuler")
    await choose(marie, "Tennis et Badminton Club\nGratte-Ciel et Jardins")
    assert ticked(marie) == ["Boulangerie Gratte-Ciel", "Jardins Partagés", "Tennis et Badminton Club"], marie.text()


# 2. names typed at the ticked list


async def test_a_typed_name_ticks_or_unticks_it_and_says_so(town) -> None:
    app, _, people = town
    marie = people["marie"]
    await choose(marie, "tonkin, gratte, jardins")
    await marie.say("Tonkin")
    assert "Décoché : Asso du Tonkin" in marie.text() and ticked(marie) == ["Boulangerie Gratte-Ciel", "Jardins Partagés"]
    await marie.say("asso du tonkin")
    assert "Coché : Asso du Tonkin" in marie.text() and "Asso du Tonkin" in ticked(marie)
    await marie.say("sans jardins partagés")
    assert "Décoché : Jardins Partagés" in marie.text() and "Jardins Partagés" not in ticked(marie)
    await marie.say("ok")
    await marie.say("Trois et pas plus")
    await marie.say("passer")  # the bakery is on Telegram: the link is asked
    preview = marie.question.text
    assert "Asso du Tonkin" in preview and "Jardins Partagés" not in preview


async def test_an_actor_not_in_the_list_is_offered_and_added(town) -> None:
    app, _, people = town
    marie = people["marie"]
    await choose(marie, "tonkin, gratte")
    await marie.say("ferme")  # not in the list, but of her territory
    assert "« ferme » n'est pas dans la liste" in marie.text() and "Ferme Urbaine" in marie.text()
    assert "Ferme Urbaine" in listed(marie) and "Ferme Urbaine" not in ticked(marie)  # offered, not ticked yet
    await marie.say("oui")
    assert "Ferme Urbaine" in ticked(marie), marie.text()
    await marie.say("ajouter decathlon et Restos du Cœur")
    assert "Ajouté" in marie.text() and {"Decathlon Villeurbanne", "Restos du Cœur"} <= set(ticked(marie)), marie.text()
    await marie.say("ajouter Lilloise")  # outside her territory: nothing changes
    assert "Je n'ai trouvé personne pour « Lilloise »" in marie.text() and "Asso Lilloise" not in listed(marie)
    await marie.say("amicale")
    await marie.say("non")
    assert "je n'ajoute pas Amicale Laïque des Buers" in marie.text() and "Amicale Laïque des Buers" not in listed(marie)
    await marie.say("ok")
    await marie.say("Cinq")
    await marie.say("passer")
    await marie.press("Envoyer les invitations")
    names = [r[0] for r in rows(app, "SELECT a.name FROM group_members m JOIN actors a ON a.id = m.actor_id ORDER BY a.name")]
    assert names == ["Asso du Tonkin", "Boulangerie Gratte-Ciel", "Decathlon Villeurbanne", "Ferme Urbaine", "Restos du Cœur"]


async def test_adding_to_the_answers_of_a_call_in_english(town) -> None:
    app, (console, telegram, _), people = town
    marie = Person(app.runtime, console, "marie", language_code="en")  # no profile: her platform's language
    await marie.say("/broadcast")
    assert "Noted: Villeurbanne (69)" in marie.text(), marie.text()  # her only territory: taken, and said
    await marie.say("ok")
    await marie.say("ok")
    await marie.say("Who wants to work on a food belt?")
    await marie.press(marie.question.choices[1].label)
    await marie.press(marie.question.choices[0].label)
    await deliver(app)
    for name in ("asso", "restos"):
        person = people[name]
        call = next(r for r in reversed(console.replies_to(person.user_id)) if r.prompt_id and r.prompt_id.startswith("B"))
        await person.send(person.incoming(choice="interested", prompt_id=call.prompt_id))
    await marie.say("/group")
    await marie.press("The actors who answered a call")
    await marie.press(marie.question.choices[0].label)
    assert ticked(marie) == ["Asso du Tonkin", "Restos du Cœur"], marie.text()
    await marie.say("add town hall of villeurbanne")
    assert "Added to the list and ticked: Ville de Villeurbanne — vie associative" in marie.text(), marie.text()
    await marie.say("remove restos du coeur")
    assert "Unticked: Restos du Cœur" in marie.text()
    await marie.say("ok")
    await marie.say("Food belt")
    preview = marie.question.text
    assert "2 actors invited" in preview and "Ville de Villeurbanne" in preview and "Restos" not in preview, preview


# 3. the not-found warning said once


async def test_a_name_found_nowhere_is_said_once(town) -> None:
    app, _, people = town
    marie = people["marie"]
    await choose(marie, "tonkin, zorglub, gratte")
    assert marie.text().count("zorglub") == 1, marie.text()
    for typed in ("jardins", "oui", "xyzzy frobnicate", "tonkin"):
        await marie.say(typed)
        assert "zorglub" not in marie.text(), (typed, marie.text())
    await marie.say("retour")
    await marie.say("tonkin, gratte")  # typed again without the name: no warning either
    assert "personne" not in marie.text()


# 4. a name that matches many actors


async def test_a_name_matching_many_asks_which_one(town) -> None:
    app, _, people = town
    marie = people["marie"]
    await choose(marie, "asso, gratte")  # Asso du Tonkin, Association Sportive, vie associative…
    text = marie.question.text
    assert "Pour « asso », plusieurs acteurs correspondent : lequel" in text, text
    assert ticked(marie) == ["Boulangerie Gratte-Ciel"]  # none of the many ticked
    shown = [c.label for c in marie.question.choices if not c.value.startswith("_")]
    assert 2 <= len(shown) <= 5 and sum("Asso" in label or "asso" in label for label in shown) >= 2
    number = next(i for i, label in enumerate(shown, start=1) if label.startswith("Asso du Tonkin"))
    await marie.say(str(number))
    assert ticked(marie) == ["Asso du Tonkin", "Boulangerie Gratte-Ciel"], marie.text()
    assert "plusieurs acteurs correspondent" not in marie.question.text  # answered: not asked again


async def test_an_actor_another_name_designates_is_no_candidate(town) -> None:
    app, _, people = town
    marie = people["marie"]
    await choose(marie, "mairie de villeurbanne, asso, gratte")  # "asso" is also in "vie associative", already chosen
    assert "Pour « asso », plusieurs acteurs correspondent" in marie.question.text, marie.text()
    assert ticked(marie) == ["Boulangerie Gratte-Ciel", "Ville de Villeurbanne — vie associative"]
    await marie.say("/annuler")
    await choose(marie, "town hall of villeurbanne, sportive et asso")  # the one left for "asso": no question
    assert ticked(marie) == ["Asso du Tonkin", "Association Sportive Croix-Luizet", "Ville de Villeurbanne — vie associative"]
    assert "plusieurs" not in marie.question.text


async def test_a_whole_name_is_not_ambiguous_and_a_word_is(town) -> None:
    app, _, people = town
    marie = people["marie"]
    await choose(marie, "Restos du Cœur, villeurbanne")  # a whole name; a word in many names
    assert ticked(marie) == ["Restos du Cœur"], marie.text()
    assert "Pour « villeurbanne », plusieurs acteurs correspondent" in marie.question.text
    await marie.say("/annuler")
    await choose(marie, "asso")  # only one name, matching several: they are listed, none ticked
    assert ticked(marie) == [] and len(listed(marie)) >= 2, marie.text()


# 5. counts are plurals


async def test_counts_are_gettext_plurals(town) -> None:
    app, (console, telegram, _), people = town
    marie = people["marie"]
    await choose(marie, "tonkin, gratte")
    await marie.say("ok")
    await marie.say("Deux")
    await marie.say("passer")
    assert "2 acteurs invités" in marie.question.text and "(s)" not in marie.question.text
    await marie.press("Envoyer les invitations")
    assert "j'ai invité 2 acteurs." in marie.text() and "(s)" not in marie.text()
    await deliver(app)
    asso = people["asso"]
    await asso.send(asso.incoming(choice="join", prompt_id=invitation(console, "asso").prompt_id))
    await deliver(app)
    told = "\n".join(r.text for r in console.replies_to("marie"))
    assert "(1 membre à ce jour)" in told and "(s)" not in told, told
    for language, one, two in (("fr", "1 membre à ce jour", "2 membres à ce jour"), ("en", "1 member so far", "2 members so far")):
        from conversations.i18n import translate_plural

        assert one in translate_plural(language, "group.member_joined_contact_n", 1, name="G", member="M", contact="c")
        assert two in translate_plural(language, "group.member_joined_contact_n", 2, name="G", member="M", contact="c")
        assert translate_plural(language, "group.invited_n", 1) in ("1 acteur invité", "1 actor invited")
    rule_fr, _ = plurals("fr")
    assert rule_fr(0) == 0 and rule_fr(1) == 0 and rule_fr(2) == 1  # French: "0 acteur invité"


def test_no_text_counts_with_s_in_brackets() -> None:
    """ "acteur(s)", "nouvel(s)", "member(s)": every count is a gettext plural, in both catalogs."""
    for language in ("fr", "en"):
        texts = dict(catalog(language))
        texts.update({key: " ".join(forms) for key, forms in plurals(language)[1].items()})
        bracketed = sorted(key for key, text in texts.items() if re.search(r"\w\((?:s|e|es|x)\)", text))
        assert len(texts) > 500 and bracketed == [], (language, bracketed)


@pytest.mark.parametrize(
    ("language", "key", "one", "many"),
    [
        ("fr", "todo.new_actors_n", "• 1 nouvel acteur : A —", "• 3 nouveaux acteurs : A —"),
        ("en", "todo.new_actors_n", "• 1 new actor: A —", "• 3 new actors: A —"),
        ("fr", "error.select_at_least_n", "au moins 1 élément.", "au moins 3 éléments."),
        ("fr", "broadcast.sent_n", "1 reçu", "3 reçus"),
        ("fr", "programmes.sent_n", "1 mise en relation proposée", "3 mises en relation proposées"),
        ("en", "relaunch.done_n", "to 1 actor.", "to 3 actors."),
    ],
)
def test_counts_take_their_plural_form(language: str, key: str, one: str, many: str) -> None:
    from conversations.i18n import translate_counted, translate_plural

    params = {"names": "A", "company": "C", "employees": "E"}
    assert one in translate_plural(language, key, 1, **params) and many in translate_plural(language, key, 3, **params)
    assert translate_counted(language, key, count=3, **params) == translate_plural(language, key, 3, **params)  # prompts, refusals


# 6. what the texts say is shared


async def test_both_texts_say_the_coordinator_and_the_members_who_accept_get_the_contact(town) -> None:
    app, (console, telegram, _), people = town
    marie = people["marie"]
    await choose(marie, "tonkin, gratte, restos du coeur")
    await marie.say("ok")
    await marie.say("Partage")
    await marie.say("passer")
    preview = marie.question.text
    assert "vous sont transmises" in preview and "autres membres qui acceptent" in preview and "qu'entre ceux" not in preview
    await marie.press("Envoyer les invitations")
    await deliver(app)
    asked = invitation(console, "asso").text
    assert "Villeurbanne (69), qui anime le groupe" in asked and "autres membres qui acceptent" in asked, asked
    assert "Si vous déclinez, rien n'est partagé" in asked
    for language in ("fr", "en"):
        assert "{origin}" in catalog(language)["decision.group.text_with_coordinator"]
    english = catalog("en")["group.preview"]
    assert "sent to you" in english and "other members who accept" in english and "only among" not in english
    # and the code does what they say: the coordinator gets the contact of who accepts, never of who declines
    await people["asso"].send(people["asso"].incoming(choice="join", prompt_id=invitation(console, "asso").prompt_id))
    await people["restos"].send(people["restos"].incoming(choice="decline", prompt_id=invitation(console, "restos").prompt_id))
    await deliver(app)
    told = "\n".join(r.text for r in console.replies_to("marie"))
    assert "Asso du Tonkin" in told and "@asso" in told.split("Ses coordonnées :", 1)[1], told
    assert "@restos" not in told and "Restos du Cœur — Association, Villeurbanne (69) a décliné" in told


# 7. the names a town hall goes by


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("mairie de villeurbanne", "Ville de Villeurbanne — vie associative"),
        ("Mairie de Villeurbanne", "Ville de Villeurbanne"),
        ("commune de villeurbanne", "Mairie de Villeurbanne"),
        ("town hall villeurbanne", "Ville de Villeurbanne"),
        ("City of Villeurbanne", "Mairie de Villeurbanne"),
        ("hôtel de ville de Bron", "Mairie de Bron"),
        ("VILLE-DE-VILLEURBANNE", "Ville de Villeurbanne — vie associative"),
        ("CCAS de Lyon", "Centre communal d'action sociale de Lyon"),
        ("centre communal d'action sociale de lyon", "CCAS de Lyon"),
        ("MJC Villeurbanne", "Maison des jeunes et de la culture de Villeurbanne"),
    ],
)
def test_a_town_hall_and_an_acronym_are_found(typed: str, name: str) -> None:
    assert names_match(typed, name)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("mairie de lyon", "Ville de Villeurbanne"),
        ("mairie", "Jardins de la Soie"),
        ("ccas de lyon", "Centre communal d'action sociale de Villeurbanne"),
        ("city of lyon", "Lyon Basket Club"),  # "city of" is the authority, not any actor of the city
        ("ab", "Amicale des Buers"),  # two letters are no acronym
    ],
)
def test_equivalences_do_not_overreach(typed: str, name: str) -> None:
    assert not names_match(typed, name)


def test_the_whole_name_scores_best() -> None:
    assert name_score("Mairie de Villeurbanne", "Ville de Villeurbanne") == 3
    assert name_score("restos du coeur", "Restos du Cœur") == 3
    assert name_score("restos du coeur", "Restos du Cœur — antenne Charpennes") == 2
    assert name_score("resto", "Restos du Cœur") == 1


async def test_the_lookup_finds_the_town_hall_on_both_engines(town) -> None:
    app, _, _ = town
    found = await app.db.run(lambda conn: coordination.actors_in_area(conn, VILLEURBANNE, "la mairie de villeurbanne"))
    assert [row[1] for row in found] == ["Ville de Villeurbanne — vie associative"]
    found = await app.db.run(lambda conn: coordination.actors_in_area(conn, VILLEURBANNE, "CCAS Villeurbanne"))
    assert [row[1] for row in found] == ["Centre communal d'action sociale de Villeurbanne"]
    found = await app.db.run(lambda conn: coordination.actors_in_area(conn, VILLEURBANNE, "restos du coeur"))
    assert [row[1] for row in found] == ["Restos du Cœur", "Restos du Cœur — antenne Charpennes"]  # the whole name first


async def test_after_retour_and_other_names_the_former_ticks_are_forgotten(town) -> None:
    app, _, people = town
    marie = people["marie"]
    await choose(marie, "tonkin, jardins")
    await marie.say("ajouter ferme urbaine")
    await marie.say("sans jardins")
    await marie.say("ok")
    await marie.say("retour")  # back at the list: as she left it
    assert ticked(marie) == ["Asso du Tonkin", "Ferme Urbaine"], marie.text()
    await marie.say("retour")
    await marie.say("restos du coeur, decathlon")
    assert ticked(marie) == ["Decathlon Villeurbanne", "Restos du Cœur"] and listed(marie) == ticked(marie), marie.text()


# 8. the coordinator in the group's Matrix room


async def test_the_coordinator_on_matrix_is_invited_to_the_group_room(town) -> None:
    app, (console, telegram, matrix), people = town
    claire_id = "@claire:localhost"
    await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "matrix", claire_id, VILLEURBANNE, "test:admin", "2026-11-30"))
    claire = Person(app.runtime, matrix, claire_id)
    await choose(claire, "jardins, ferme, tonkin")
    await claire.say("ok")
    await claire.say("Salon avec la coordinatrice")
    await claire.press("Envoyer les invitations")
    await deliver(app)
    for name in ("jardins", "ferme"):
        person = people[name]
        await person.send(person.incoming(choice="join", prompt_id=invitation(matrix, person.user_id).prompt_id))
    await deliver(app)
    assert await app.group_rooms() == 2
    assert matrix.rooms[0][2] == ["@jardins:localhost", "@ferme:localhost", claire_id]  # invited like the members
    await deliver(app)
    assert "que vous animez" in matrix.replies_to(claire_id)[-1].text
    assert await app.group_rooms() == 0 and matrix.invites == []  # once

    # a room made before (its coordinator not invited then): the coordinator is invited at the next run, once
    await app.db.transaction(lambda conn: conn.execute("UPDATE working_groups SET coordinator_invited_at = NULL"))
    assert await app.group_rooms() == 0  # no member invited…
    assert matrix.invites == [("!room1", [claire_id])]  # …but the coordinator is
    await app.group_rooms()
    assert matrix.invites == [("!room1", [claire_id])]


async def test_a_coordinator_not_on_matrix_is_not_invited(town) -> None:
    app, (console, telegram, matrix), people = town
    marie = people["marie"]
    await choose(marie, "jardins, ferme")
    await marie.say("ok")
    await marie.say("Sans la coordinatrice")
    await marie.press("Envoyer les invitations")
    await deliver(app)
    for name in ("jardins", "ferme"):
        person = people[name]
        await person.send(person.incoming(choice="join", prompt_id=invitation(matrix, person.user_id).prompt_id))
    assert await app.group_rooms() == 2
    assert matrix.rooms[0][2] == ["@jardins:localhost", "@ferme:localhost"]
    assert rows(app, "SELECT coordinator_invited_at FROM working_groups") == [(None,)]
