"""A complete first message followed by one that adds detail or corrects, read wrong by people trying the
product (stop31):

1. a call asking for details was answered (« oui on veut bien un stand ! »), the details that came next (« il nous
   faudrait une table et 2 chaises ») started a listing, and « non c pour le forum ça, pas une annonce » at its
   question was refused: a message right after answering a call, that reads as more of that answer, is added to it
   (the coordinator reads it), said, with a way to make it a listing instead; « pas une annonce » at a listing's
   question drops that draft and gives its text to the call answer;
2. « attendez je veux preciser : … » at the zone question of /besoin was kept as a second draft and the vague first
   description published: a precision completes the description under way, said, the question asked again;
3. « oh and to be precise: … » just after publishing an offer created three new offers starting with that preamble:
   it is offered as an addition to the listing just published, and a preamble never heads a description;
4. « à prix coûtant, commande 1 semaine avant » at a choice question of /offre was « pas reconnu », the detail lost:
   more description is added to it, said, and the question asked again.
"""

from __future__ import annotations

import pytest

from conversations.understanding import precision_of, without_courtesy
from tests.core.people import Person, deliver
from tests.core.test_coordination import broadcast, rows, territory  # noqa: F401  (fixture)
from tests.core.test_keep5_defects import _to_english

pytestmark = pytest.mark.backends


# ---------------------------------------------------------------- 2. a precision during a listing flow

PRECISIONS = [
    (False, "attendez je veux preciser : on a besoin de qqn pour le bilan comptable et le budget previsionnel", "bilan comptable"),
    (False, "plus précisément, il nous faut quelqu'un pour le bilan annuel", "bilan annuel"),
    (False, "Pour préciser : c'est pour le bilan et le budget prévisionnel", "budget prévisionnel"),
    (False, "ah et je précise que c'est pour la clôture des comptes", "clôture des comptes"),
    (False, "petite précision : surtout le budget de la fête", "budget de la fête"),
    (True, "to be precise: we need someone for the annual accounts", "annual accounts"),
    (True, "let me clarify, we need help with the yearly budget", "yearly budget"),
    (True, "oh wait, more precisely we need a treasurer for two hours a month", "treasurer"),
]


async def _need_at_zone(asso: Person, english: bool) -> None:
    if english:
        await _to_english(asso)
    await asso.say("/need" if english else "/besoin")
    await asso.say("We struggle with the accounts" if english else "On galere avec la compta")
    assert ("which area" in asso.question.text) if english else ("quelle zone" in asso.question.text), asso.text()


@pytest.mark.parametrize(("english", "typed", "word"), PRECISIONS)
async def test_a_precision_in_a_listing_flow_completes_its_description(territory, english: bool, typed: str, word: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    await _need_at_zone(asso, english)
    await asso.say(typed)
    said = asso.text()
    assert word in said and ("Added to the description" in said if english else "ajouté à la description" in said), said
    assert "draft" not in said and "brouillon" not in said, said  # never a second draft
    assert word in asso.question.text, said  # the zone asked again, showing the description completed
    await asso.press(asso.question.choices[0].label)
    listed = rows(app, "SELECT description FROM listings")
    assert len(listed) == 1 and word in listed[0][0], listed
    assert "compta" in listed[0][0] or "accounts" in listed[0][0], listed
    assert "préci" not in listed[0][0].lower() and "precis" not in listed[0][0].lower() and "clarif" not in listed[0][0], listed
    await asso.say("/besoin" if not english else "/need")
    assert "Reprendre" not in asso.text() and "Resume" not in asso.text(), asso.text()  # no draft left behind


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("oh and to be precise: our staff can help with accounting", "Our staff can help with accounting"),
        ("ah et pour préciser : on peut prêter notre salle le samedi", "On peut prêter notre salle le samedi"),
        ("on cherche un camion", None),
        ("précisément ce qu'il nous faut", None),
    ],
)
def test_a_preamble_of_precision_is_read_and_never_heads_a_description(typed: str, kept: str | None) -> None:
    assert precision_of(typed) == kept
    if kept is not None:
        assert without_courtesy(typed) == kept
        assert without_courtesy(f"Bonjour, {typed}") == kept


# ---------------------------------------------------------------- 4. more description at a choice question

MORE_DETAIL = [
    (False, "à prix coûtant, commande 1 semaine avant", "prix coûtant"),
    (False, "uniquement le samedi, pour 50 personnes maximum", "50 personnes"),
    (False, "sans gluten possible si on nous prévient", "si on nous prévient"),
    (True, "at cost price, order one week ahead", "cost price"),
    (True, "gluten free is possible if you tell us early", "tell us early"),
]


@pytest.mark.parametrize(("english", "typed", "word"), MORE_DETAIL)
async def test_more_description_at_a_choice_question_is_added(territory, english: bool, typed: str, word: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _to_english(asso)
    await asso.say("/offer" if english else "/offre")
    await asso.press("Other" if english else "Autre")
    await asso.say(
        "we can bake cakes and quiches for your events" if english else "on peut faire des gâteaux et des quiches pour vos évènements"
    )
    question = asso.question.text
    await asso.say(typed)
    said = asso.text()
    assert "reconnu" not in said and "recognise" not in said, said
    assert word in said and ("Added to the description" in said if english else "ajouté à la description" in said), said
    assert asso.question.text.splitlines()[-1] == question.splitlines()[-1], said  # the same question again
    await asso.press(asso.question.choices[0].label)
    listed = rows(app, "SELECT description FROM listings")
    assert len(listed) == 1 and word in listed[0][0] and ("quiches" in listed[0][0]), listed


@pytest.mark.parametrize("typed", ["blabla", "euh je sais pas trop", "c'est quoi la différence ?"])
async def test_what_is_not_more_description_is_still_refused(territory, typed: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    await asso.say("/offre")
    await asso.press("Autre")
    await asso.say("on peut faire des gâteaux et des quiches pour vos évènements")
    await asso.say(typed)
    assert "ajouté à la description" not in asso.text(), asso.text()
    assert rows(app, "SELECT COUNT(*) FROM listings") == [(0,)]


# ---------------------------------------------------------------- 3. a precision just after publishing

JUST_PUBLISHED = [
    (False, "ah et pour préciser : elle fait 40 places et il y a un vidéoprojecteur", "40 places"),
    (False, "je voulais préciser qu'elle est accessible aux fauteuils roulants", "fauteuils roulants"),
    (False, "Plus précisément : le samedi de 9h à 18h, ménage à faire après", "ménage à faire"),
    (True, "oh and to be precise: it seats 40 people and has a projector", "seats 40 people"),
    (True, "let me clarify: it is wheelchair accessible, with a kitchen", "wheelchair accessible"),
]


async def _room_published(asso: Person, english: bool) -> None:
    if english:
        await _to_english(asso)
    await asso.say("we can lend our meeting room on Saturdays" if english else "on peut prêter notre salle de réunion le samedi")
    await asso.press(asso.question.choices[0].label)  # the commune
    assert ("is saved" in asso.text()) if english else ("enregistrée" in asso.text()), asso.text()


@pytest.mark.parametrize(("english", "typed", "word"), JUST_PUBLISHED)
async def test_a_precision_just_after_publishing_is_offered_to_that_listing(territory, english: bool, typed: str, word: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    await _room_published(asso, english)
    await asso.say(typed)
    said = asso.text()
    assert ("your offer" in said) if english else ("votre offre" in said), said
    assert rows(app, "SELECT COUNT(*) FROM listings") == [(1,)], said  # no new listing
    await asso.say("yes" if english else "oui")
    said = asso.text()
    (description,) = rows(app, "SELECT description FROM listings")[0]
    assert rows(app, "SELECT COUNT(*) FROM listings") == [(1,)], said
    assert word in description and ("meeting room" in description or "salle de réunion" in description), description
    assert "préci" not in description.lower() and "precise" not in description and "clarify" not in description, description
    assert word in said, said  # the new description said


@pytest.mark.parametrize("english", [False, True])
async def test_a_precision_refused_as_an_addition_becomes_a_new_listing(territory, english: bool) -> None:
    app, _, people = territory
    asso = people["asso"]
    await _room_published(asso, english)
    await asso.say(
        "to be precise: we also need volunteers on Sundays" if english else "pour préciser : on cherche aussi des bénévoles le dimanche"
    )
    await asso.say("no" if english else "non")
    assert rows(app, "SELECT description FROM listings WHERE description LIKE '%dimanche%' OR description LIKE '%Sundays%'") == [], (
        asso.text()
    )
    assert ("volunteers" in asso.text()) if english else ("bénévoles" in asso.text()), asso.text()  # a new listing under way
    await asso.press(asso.question.choices[0].label)
    described = [d for (d,) in rows(app, "SELECT description FROM listings")]
    assert len(described) == 2 and not any("préci" in d or "precise" in d for d in described), described


# ---------------------------------------------------------------- 1. more of a call's answer

STAND = "Qui souhaite tenir un stand ? Dites-nous aussi de quoi vous auriez besoin (table, électricité...)"
FORUM = "Forum des associations le 12 : qui tient un stand ?"

MORE_OF_THE_ANSWER = [
    (False, STAND, "il nous faudrait une table et 2 chaises, pas besoin d'électricité", "2 chaises"),
    (False, STAND, "Il faudrait une prise électrique et un grand barnum", "barnum"),
    (False, FORUM, "on tiendra le stand à deux, avec nos grilles d'exposition", "grilles d'exposition"),
    (True, STAND, "we would need a table and two chairs, no electricity", "two chairs"),
    (True, STAND, "a power socket and a gazebo would be great", "gazebo"),
]


async def _call_answered_yes(app, people, call: str, english: bool) -> Person:
    asso = people["asso"]
    if english:
        await _to_english(asso)
    await broadcast(people["marie"], call, "Un bouton « Intéressé·e »")
    await people["marie"].press("Envoyer")
    await deliver(app)
    await asso.say("yes we'd like a stand!" if english else "oui on veut bien un stand !")
    assert rows(app, "SELECT COUNT(*) FROM broadcast_answers") == [(1,)], asso.text()
    return asso


@pytest.mark.parametrize(("english", "call", "typed", "word"), MORE_OF_THE_ANSWER)
async def test_more_of_a_call_answer_goes_to_it(territory, english: bool, call: str, typed: str, word: str) -> None:
    app, _, people = territory
    asso = await _call_answered_yes(app, people, call, english)
    await asso.say(typed)
    said = asso.text()
    assert ("your answer to the call" in said) if english else ("votre réponse à l'appel" in said), said
    assert rows(app, "SELECT COUNT(*) FROM listings") == [(0,)], said
    ((answer,),) = rows(app, "SELECT answer FROM broadcast_answers")
    assert word in answer and "stand" in answer, answer
    marie = people["marie"]
    await marie.say("/reponses")  # her only call: its answers at once (stop 36)
    assert word in marie.text(), marie.text()  # the coordinator reads it


@pytest.mark.parametrize("english", [False, True])
async def test_more_of_a_call_answer_can_be_made_a_listing(territory, english: bool) -> None:
    app, _, people = territory
    asso = await _call_answered_yes(app, people, STAND, english)
    typed = "we need a van to move our chairs and tables" if english else "il nous faudrait un camion pour transporter nos chaises"
    await asso.say(typed)
    await asso.say("listing" if english else "annonce")
    ((answer,),) = rows(app, "SELECT answer FROM broadcast_answers")
    assert "van" not in answer and "camion" not in answer, answer  # taken back from the answer
    assert ("van" in asso.text()) if english else ("camion" in asso.text()), asso.text()  # a listing under way
    await asso.press(asso.question.choices[0].label)
    assert len(rows(app, "SELECT id FROM listings")) == 1, asso.text()


@pytest.mark.parametrize(
    "typed",
    ["on cherche aussi des bénévoles pour notre épicerie solidaire", "c'est où le forum exactement ?", "merci beaucoup !"],
)
async def test_another_subject_after_a_call_answer_is_read_as_usual(territory, typed: str) -> None:
    app, _, people = territory
    asso = await _call_answered_yes(app, people, STAND, False)
    await asso.say(typed)
    assert rows(app, "SELECT answer FROM broadcast_answers") == [("oui on veut bien un stand !",)], asso.text()


NOT_A_LISTING = [
    (False, "non c pour le forum ça, pas une annonce"),
    (False, "c'est une réponse à l'appel, pas à publier"),
    (True, "no that's for the event, not a listing"),
    (True, "it was for the call, don't publish it"),
]


@pytest.mark.parametrize(("english", "typed"), NOT_A_LISTING)
async def test_not_a_listing_at_a_listing_question_gives_the_text_to_the_call(territory, english: bool, typed: str) -> None:
    app, _, people = territory
    asso = await _call_answered_yes(app, people, STAND, english)
    await asso.say(
        "Another thing: we're looking for a van for Sunday" if english else "Autre chose : on cherche aussi un camion pour dimanche"
    )
    assert rows(app, "SELECT answer FROM broadcast_answers") == [("yes we'd like a stand!" if english else "oui on veut bien un stand !",)]
    await asso.say(typed)
    said = asso.text()
    assert "reconnu" not in said and "recognise" not in said, said
    ((answer,),) = rows(app, "SELECT answer FROM broadcast_answers")
    assert ("van" in answer) if english else ("camion" in answer), answer
    await asso.say("/need" if english else "/besoin")
    assert "Reprendre" not in asso.text() and "Resume" not in asso.text(), asso.text()  # the draft dropped
    assert rows(app, "SELECT COUNT(*) FROM listings") == [(0,)]
