"""Answers that landed on the wrong question (new-user trial, 30 November 2026): a long free
sentence is never an option because it starts with "oui" or names one; with a call waiting for
a written answer, it is acted on nowhere (the person is asked); "tous" ticks everything; a bare
"1" is not a written answer; previews name their audience."""

from __future__ import annotations

import pytest

from bot.app import App
from conversations import understanding
from conversations.engine import InputError, Option, parse_choice, parse_multi
from tests.core.people import Person
from tests.core.test_coordination import deliver, rows, territory  # noqa: F401 (fixture)

pytestmark = pytest.mark.backends

SUGGESTION = [Option("present", label="Me présenter"), Option("decline", label="Pas intéressé"), Option("later", label="Plus tard")]
KINDS = [
    Option(k, label=label) for k, label in (("association", "Association"), ("entreprise", "Entreprise"), ("collectivite", "Collectivité"))
]


def test_a_long_sentence_starting_with_yes_is_not_the_yes_option() -> None:
    with pytest.raises(InputError):  # a long sentence whose "oui" is taken back is no yes…
        parse_choice("Oui mais on ne peut tenir un stand qu'avec nos légumes du jardin !", SUGGESTION, "fr")
    # …while one that opens with a clear yes nothing takes back is that yes, whatever its length (sugg8)
    assert parse_choice("Oui on peut tenir un stand avec nos légumes du jardin !", SUGGESTION, "fr").value == "present"
    with pytest.raises(InputError):
        parse_choice("Non mais par contre on pourrait venir aider au montage des tables", SUGGESTION, "fr")
    # short answers keep working
    assert parse_choice("oui volontiers", SUGGESTION, "fr").value == "present"
    assert parse_choice("Oui, bien sûr !", SUGGESTION, "fr").value == "present"
    assert parse_choice("non merci", SUGGESTION, "fr").value == "decline"
    assert parse_choice("plus tard", SUGGESTION, "fr").value == "later"
    assert parse_choice("3", SUGGESTION, "fr").value == "later"
    assert parse_choice("me presenteer", SUGGESTION, "fr").value == "present"


def test_a_message_naming_an_option_is_not_that_option() -> None:
    forum = "Forum des associations le 12 décembre : qui veut tenir un stand ? Répondez-moi ici."
    assert understanding.free_sentence(forum)
    with pytest.raises(InputError) as refused:
        parse_multi(forum, KINDS, "fr")
    assert refused.value.key == "error.sentence_not_option"
    with pytest.raises(InputError):
        parse_choice(forum, KINDS, "fr")
    # a short sentence that names its choice is still understood
    assert parse_choice("nous sommes une entreprise", KINDS, "fr").value == "entreprise"
    assert [o.value for o in parse_multi("association et entreprise", KINDS, "fr")] == ["association", "entreprise"]


def test_a_bare_number_or_character_is_not_a_written_answer() -> None:
    bare = understanding.not_an_answer
    assert bare("1") and bare(" 2. ") and bare("?") and bare("42")
    assert not bare("oui") and not bare("Un stand de soupe")


async def test_diffuser_refuses_a_sentence_at_the_types(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    await marie.say("/diffuser")
    assert "C'est noté : Villeurbanne (69)" in marie.text(), marie.text()  # her only territory: taken, and said
    assert "types d'acteurs" in marie.question.text
    await marie.say("Forum des associations le 12 décembre : qui veut tenir un stand ? Répondez-moi ici.")
    assert "phrase libre" in marie.text()
    assert "types d'acteurs" in marie.question.text  # asked again, its options shown
    assert [c.label for c in marie.question.choices][:2] == ["Association", "Entreprise"]


async def test_tous_keeps_every_type_and_theme_and_the_preview_says_so(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    await marie.say("/diffuser")
    assert "C'est noté : Villeurbanne (69)" in marie.text(), marie.text()  # her only territory: taken, and said
    await marie.say("tous")
    assert "thèmes" in marie.question.text.lower()
    await marie.say("toutes")
    await marie.say("Forum des associations le 12 décembre : qui veut tenir un stand ? Répondez-moi ici.")
    await marie.press("Une réponse écrite")
    preview = marie.question.text
    assert "Destinataires : 2 acteurs" in preview  # the association and the company: nobody narrowed out
    assert "Public : tous les types d'acteurs · thèmes : tous · zone : Villeurbanne (69)" in preview


async def test_diffuser_preview_names_a_narrowed_audience(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    await marie.say("/diffuser")
    assert "C'est noté : Villeurbanne (69)" in marie.text(), marie.text()  # her only territory: taken, and said
    await marie.say("1")  # associations only
    await marie.say("ok")
    await marie.say("Qui veut tenir un stand au forum ?")
    await marie.press("Une réponse écrite")
    assert "Public : Association · thèmes : tous" in marie.question.text
    assert "Destinataires : 1 acteur" in marie.question.text


def latest(adapter, name: str):  # type: ignore[no-untyped-def]
    """The last question sent to ``name`` (answers or deliveries)."""
    return next(r for r in reversed(adapter.replies_to(name)) if r.prompt_id is not None)


async def send_text_call(app, marie: Person) -> None:  # type: ignore[no-untyped-def]
    await marie.say("/diffuser")
    assert "C'est noté : Villeurbanne (69)" in marie.text(), marie.text()  # her only territory: taken, and said
    await marie.say("ok")
    await marie.say("ok")
    await marie.say("Forum des associations le 12 décembre : qui veut tenir un stand ?")
    await marie.press("Une réponse écrite")
    await marie.press("Envoyer")
    await deliver(app)


async def test_the_waiting_line_shows_what_the_call_says(territory) -> None:
    app, adapter, people = territory
    await app.suggestion_round(force=True)
    await deliver(app)
    assert latest(adapter, "asso").prompt_id.startswith("S")
    before = len(adapter.replies_to("asso"))
    await send_text_call(app, people["marie"])
    waits = [r.text for r in adapter.replies_to("asso")[before:] if "En attente" in r.text]
    assert waits and "« Forum des associations" in waits[0], waits  # the call's first words, not just "Appel de … :"


async def test_a_bare_number_at_a_written_call_is_not_forwarded(territory) -> None:
    app, adapter, people = territory
    asso = people["asso"]
    await send_text_call(app, people["marie"])
    assert "Forum des associations" in latest(adapter, "asso").text
    await asso.say("1")
    assert "ne suffit pas" in asso.text() and "transmise" not in asso.text()
    assert rows(app, "SELECT COUNT(*) FROM broadcast_answers") == [(0,)]
    await asso.say("Oui, un stand de légumes")
    assert "transmise" in asso.text()
    assert rows(app, "SELECT answer FROM broadcast_answers") == [("Oui, un stand de légumes",)]


async def test_a_free_sentence_at_a_suggestion_with_a_call_waiting_is_acted_on_nowhere(territory) -> None:
    app, adapter, people = territory
    asso = people["asso"]
    await app.suggestion_round(force=True)
    await deliver(app)
    suggestion = latest(adapter, "asso")
    assert suggestion.prompt_id.startswith("S"), suggestion
    await send_text_call(app, people["marie"])
    await asso.say("Oui on peut tenir un stand avec nos légumes du jardin !")
    assert "Un autre message attend aussi votre réponse" in asso.text() and "Forum des associations" in asso.text()
    assert latest(adapter, "asso").prompt_id == suggestion.prompt_id  # still the current question
    assert rows(app, "SELECT COUNT(*) FROM introductions") == [(0,)]
    assert rows(app, "SELECT COUNT(*) FROM broadcast_answers") == [(0,)]
    await asso.say("plus tard")  # she answers the suggestion, then the call comes
    assert "Forum des associations" in latest(adapter, "asso").text
    await asso.say("Oui on peut tenir un stand avec nos légumes du jardin !")
    assert "transmise" in asso.text()
    assert rows(app, "SELECT COUNT(*) FROM introductions") == [(0,)]


def test_an_option_saying_not_is_never_chosen_by_a_sentence_saying_the_opposite() -> None:
    for text in ("Je suis intéressée", "intéressé", "ça m'intéresse beaucoup"):  # interest is the yes (reply9), never « Pas intéressé »
        assert parse_choice(text, SUGGESTION, "fr").value == "present"
    with pytest.raises(InputError):
        parse_choice("je ne veux pas me présenter", SUGGESTION, "fr")
    assert parse_choice("Nous ne sommes pas intéressés", SUGGESTION, "fr").value == "decline"
    assert parse_choice("pas interesse", SUGGESTION, "fr").value == "decline"
    assert parse_choice("presenter", SUGGESTION, "fr").value == "present"


async def test_evenement_preview_names_its_audience(territory) -> None:
    from tests.core.test_events import publish

    app, _, people = territory
    await publish(people["marie"])
    assert "Public : tous les types d'acteurs · thèmes : tous · zone : Villeurbanne (69)" in people["marie"].question.text


async def test_a_long_sentence_starting_with_oui_does_not_confirm_a_commune(app: App, person) -> None:
    """New-user check: "Oui mais en fait nous avons déménagé…" at "Villeurbanne (69) — … ?" stored
    Villeurbanne and moved on; every yes/no reading now keeps to short answers."""
    bob: Person = person("bob")
    await bob.say("/start")
    await bob.press("Association")
    await bob.say("Les Amis du Rail")
    await bob.say("villeurbane")
    assert "Villeurbanne" in bob.question.text
    await bob.say("Oui mais en fait nous avons déménagé à Lyon 3e depuis l'an dernier")
    assert "thèmes" not in bob.question.text.lower(), bob.question.text
