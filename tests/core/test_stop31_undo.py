"""A no taken back, a question with a suggestion waiting, what /stats counts (trial 31):

1. Sophie mis-tapped « 2 » at an introduction request; her « ah non attendez je me suis trompée, oui pour la mairie
   finalement » at the next question declined that one instead, and /annuaire then refused the partner she had
   declined for good: a slip or a change of mind with a yes is never a no to what is on screen; the person takes
   back their own no (the request re-opened and accepted within 24 h: the requester was told of the no; later, the
   requester is asked again); /annuaire's « Me présenter » does the same for a pair only they declined.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from conversations.understanding import starts_declining, takes_back_no
from core.clock import iso
from services import introductions as intro_service
from tests.core.people import Person, deliver
from tests.core.test_coordination import rows, territory  # noqa: F401  (fixtures)
from tests.core.test_groups import clock  # noqa: F401  (fixture)
from tests.core.test_keep5_defects import _to_english
from tests.core.test_reply9_answers import _introduction_to_bob
from tests.core.test_suggestions import count, last_decision, press_decision, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends

# ---------------------------------------------------------------- 1a. a slip or a change of mind is no refusal

TAKING_BACK = [
    "ah non attendez je me suis trompée, oui pour la mairie finalement",
    "finalement oui pour Ville de Villeurbanne",
    "non non je me suis trompé de bouton",
    "oups, mauvais bouton, je voulais dire oui",
    "non attendez, c'était oui pour eux",
    "erreur de ma part, oui pour la mairie",
    "actually yes to the town hall",
    "sorry I pressed the wrong button",
    "no wait, my mistake, yes to them",
    "oops, I meant yes to Les Restos",
    "no no, wrong button, yes please",
]
PLAIN_NOES = ["non merci", "non, on ne fait pas de compta", "pas intéressé", "no thanks", "not for us", "nope, wrong field for us"]


@pytest.mark.parametrize("typed", TAKING_BACK)
def test_a_slip_or_a_change_of_mind_is_no_refusal(typed: str) -> None:
    assert takes_back_no(typed)
    assert not starts_declining(typed)


@pytest.mark.parametrize("typed", PLAIN_NOES)
def test_a_plain_no_stays_a_no(typed: str) -> None:
    assert starts_declining(typed)
    assert not takes_back_no(typed)


@pytest.mark.parametrize("typed", ["ok pour moi finalement", "finalement oui", "oui avec plaisir", "actually yes"])
def test_a_late_yes_to_the_question_on_screen_is_no_taking_back(typed: str) -> None:
    assert not takes_back_no(typed)


# ---------------------------------------------------------------- 1b. the no taken back at the next question, at the menu


async def _second_request_to_bob(app, alice: Person) -> None:
    """A third actor, Secours Solidaire (carol), asks to be introduced to Cabinet Martin: bob's next question."""
    carol = Person(app.runtime, alice.adapter, "carol")
    await carol.onboard("Secours Solidaire", "Villeurbanne")

    def ask(conn) -> None:  # type: ignore[no-untyped-def]
        ids = dict(conn.execute("SELECT name, id FROM actors").fetchall())
        now = app.runtime.clock()
        intro_service.request_introduction(conn, ids["Secours Solidaire"], ids["Cabinet Martin"], "Cabinet Martin", "fr", now)

    await app.db.transaction(ask)


AT_THE_NEXT_QUESTION = [
    (False, "ah non attendez je me suis trompé, oui pour les restos finalement"),
    (False, "finalement oui pour Les Restos de la Soie"),
    (False, "oups mauvais bouton, je voulais dire oui aux Restos"),
    (False, "non non erreur de ma part, oui pour la Soie"),
    (True, "sorry I pressed the wrong button, yes to Les Restos"),
    (True, "no wait, my mistake, I meant yes to the Restos"),
    (True, "actually yes to Les Restos de la Soie"),
]


@pytest.mark.parametrize(("english", "typed"), AT_THE_NEXT_QUESTION)
async def test_a_no_taken_back_at_the_next_question_accepts_it_and_leaves_the_question_open(two_sides, english: bool, typed: str) -> None:
    app, alice, bob = two_sides
    token = await _introduction_to_bob(app, alice, bob, english)
    await _second_request_to_bob(app, alice)
    await bob.send(bob.incoming(choice="refuse", prompt_id=token))
    await deliver(app)
    assert "Secours Solidaire" in bob.question.text, bob.text()  # the next request is on screen
    await bob.say(typed)
    said = bob.text()
    states = dict(rows(app, "SELECT a.name, n.status FROM introductions n JOIN actors a ON a.id = n.requester_id"))
    assert states == {"Les Restos de la Soie": "accepted", "Secours Solidaire": "asked"}, said
    assert ("after all" in said) if english else ("finalement oui pour Les Restos de la Soie" in said), said
    assert "Secours Solidaire" in bob.question.text, said  # the question on screen stays open, asked again
    await deliver(app)
    assert any("Cabinet Martin" in r.text and "🎉" in r.text for r in alice.adapter.replies_to("alice")), "alice gets the contact"


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "finalement oui pour les Restos de la Soie"),
        (False, "je me suis trompé tout à l'heure, c'était oui"),
        (True, "my mistake earlier, yes to Les Restos after all"),
    ],
)
async def test_a_no_taken_back_at_the_menu(two_sides, english: bool, typed: str) -> None:
    app, alice, bob = two_sides
    token = await _introduction_to_bob(app, alice, bob, english)
    await bob.send(bob.incoming(choice="refuse", prompt_id=token))
    await bob.say("/menu")
    await bob.say(typed)
    assert count(app, "SELECT COUNT(*) FROM introductions WHERE status = 'accepted'") == 1, bob.text()
    assert "mecenat" not in bob.text() and "Restos de la Soie" in bob.text(), bob.text()


async def test_nothing_to_take_back_is_said_and_changes_nothing(two_sides) -> None:
    app, alice, bob = two_sides
    await _introduction_to_bob(app, alice, bob, False)
    await bob.say("/menu")
    await bob.say("je me suis trompé, oui pour la mairie")
    assert "rien n'a changé" in bob.text(), bob.text()
    assert rows(app, "SELECT status FROM introductions") == [("asked",)]


async def test_the_requester_cannot_take_back_the_others_no(two_sides) -> None:
    app, alice, bob = two_sides
    token = await _introduction_to_bob(app, alice, bob, False)
    await bob.send(bob.incoming(choice="refuse", prompt_id=token))
    await alice.say("/menu")
    await alice.say("finalement oui pour Cabinet Martin")
    assert rows(app, "SELECT status FROM introductions") == [("declined",)], alice.text()


# ---------------------------------------------------------------- 1c. /annuaire: one's own no is one's own to take back


async def _declined_by_boulangerie(app, adapter, people) -> None:
    """Asso du Tonkin asks Boulangerie Gratte-Ciel from /annuaire; the bakery says no."""
    asso, boulangerie = people["asso"], people["boulangerie"]
    await asso.say("/annuaire")
    await asso.press("Tout le monde")
    await asso.press("Boulangerie Gratte-Ciel (Entreprise, Villeurbanne (69))")
    await asso.press("Me présenter")
    await deliver(app)
    request = next(r for r in reversed(adapter.replies_to("boulangerie")) if r.prompt_id and r.prompt_id.startswith("I"))
    await boulangerie.send(boulangerie.incoming(choice="refuse", prompt_id=request.prompt_id))
    assert rows(app, "SELECT status FROM introductions") == [("declined",)]


async def _introduce_me_to_asso(person: Person) -> None:
    await person.say("/annuaire")
    await person.press(person.question.choices[0].label)  # « Tout le monde », "Everyone"
    await person.press(next(c.label for c in person.question.choices if c.label.startswith("Asso du Tonkin")))
    await person.press(person.question.choices[0].label)  # « Me présenter », "Introduce me"


async def test_my_own_no_taken_back_from_the_directory(territory) -> None:
    app, adapter, people = territory
    await _declined_by_boulangerie(app, adapter, people)
    await _introduce_me_to_asso(people["boulangerie"])
    said = people["boulangerie"].text()
    assert "finalement oui pour Asso du Tonkin" in said and "déjà été déclinée" not in said, said
    assert rows(app, "SELECT status FROM introductions") == [("accepted",)]


async def test_my_own_no_of_long_ago_asks_them_again(territory) -> None:
    app, adapter, people = territory
    await _declined_by_boulangerie(app, adapter, people)
    old = iso(app.runtime.clock() - timedelta(days=3))
    await app.db.transaction(lambda conn: conn.execute("UPDATE introductions SET answered_at = ?", (old,)))
    await _introduce_me_to_asso(people["boulangerie"])
    said = people["boulangerie"].text()
    assert "je lui redemande" in said, said
    assert sorted(rows(app, "SELECT status FROM introductions")) == [("asked",), ("declined",)]
    await deliver(app)
    asked = next(r for r in reversed(adapter.replies_to("asso")) if r.prompt_id and r.prompt_id.startswith("I"))
    assert "Boulangerie Gratte-Ciel" in asked.text


async def test_the_one_declined_is_still_not_let_ask_again(territory) -> None:
    app, adapter, people = territory
    await _declined_by_boulangerie(app, adapter, people)
    asso = people["asso"]
    await asso.say("/annuaire")
    await asso.press("Tout le monde")
    await asso.press("Boulangerie Gratte-Ciel (Entreprise, Villeurbanne (69))")
    await asso.press("Me présenter")
    assert "déjà été déclinée" in asso.text(), asso.text()
    assert rows(app, "SELECT status FROM introductions") == [("declined",)]


async def test_english_directory_says_it_back(territory) -> None:
    app, adapter, people = territory
    await _declined_by_boulangerie(app, adapter, people)
    await _to_english(people["boulangerie"])
    await _introduce_me_to_asso(people["boulangerie"])
    said = people["boulangerie"].text()
    assert "after all" in said, said


# ---------------------------------------------------------------- 2. a question is never a draft, whatever waits

QUESTIONS_ABOUT_WHO = [
    (True, "which charities around here need volunteers?"),
    (True, "who is looking for a meeting room?"),
    (True, "who offers meeting rooms around here?"),
    (False, "quelles entreprises proposent du mécénat ?"),
    (False, "qui cherche des bénévoles ?"),
    (False, "est-ce que vous pouvez me montrer les assos qui cherchent une salle ?"),
    (False, "quelles associations du coin ont besoin de bénévoles ?"),
]


@pytest.mark.parametrize("at_menu", [True, False])
@pytest.mark.parametrize(("english", "typed"), QUESTIONS_ABOUT_WHO)
async def test_a_question_about_who_needs_points_to_the_directory_with_a_suggestion_waiting(
    two_sides, english: bool, typed: str, at_menu: bool
) -> None:
    from tests.core.test_keep5_defects import _suggested

    app, alice, _ = two_sides
    await _suggested(app, alice, english)
    if at_menu:
        await alice.say("/menu")
    await alice.say(typed)
    said = alice.text()
    assert ("/directory" in said) if english else ("/annuaire" in said), said
    assert "draft" not in said and "brouillon" not in said.lower(), said
    await alice.say("/need" if english else "/besoin")
    assert "Reprendre" not in alice.text() and "Resume" not in alice.text(), alice.text()
    assert count(app, "SELECT COUNT(*) FROM suggestions WHERE status = 'proposed'") >= 1  # the suggestion still waits


# ---------------------------------------------------------------- 3. /stats: a suggestion declined is not accepted


async def test_a_suggestion_whose_request_was_declined_is_not_counted_accepted(two_sides) -> None:
    from datetime import date

    from storage.stats import impact

    app, alice, bob = two_sides
    token = await _introduction_to_bob(app, alice, bob, False)  # alice said « Me présenter »
    await bob.send(bob.incoming(choice="refuse", prompt_id=token))
    today = app.runtime.clock().date()

    def figures(conn):  # type: ignore[no-untyped-def]
        return impact(conn, "commune", "69266", date(today.year, 1, 1), today)

    declined = await app.db.run(figures)
    assert declined.suggestions_sent >= 1 and declined.suggestions_accepted == 0, declined
    await bob.say("/menu")
    await bob.say("finalement oui pour Les Restos de la Soie")  # now introduced: counted
    introduced = await app.db.run(figures)
    assert introduced.suggestions_accepted == 1, introduced


@pytest.mark.parametrize("at_menu", [False, True])
@pytest.mark.parametrize(
    ("english", "typed"),
    [(False, "finalement oui pour Les Restos de la Soie"), (True, "actually yes to Les Restos after all")],
)
async def test_a_late_yes_naming_the_request_waiting_answers_it(two_sides, english: bool, typed: str, at_menu: bool) -> None:
    app, alice, bob = two_sides
    await _introduction_to_bob(app, alice, bob, english)
    if at_menu:
        await bob.say("/menu")
    await bob.say(typed)
    assert rows(app, "SELECT status FROM introductions") == [("accepted",)], bob.text()


# ---------------------------------------------------------------- trial 31b: a slip naming someone else than the one on screen


@pytest.mark.parametrize(
    ("typed", "shown", "names_it"),
    [
        # the request declined was Réussir Ensemble's; the suggestion on screen is the Régie's: « c'est » named its « Est »
        ("oups mauvais bouton, c'est oui pour l'asso d'aide aux devoirs", "Régie de quartier Villeurbanne Est", False),
        ("my mistake, it's a yes for the homework club", "Club de foot de Villeurbanne", False),
        ("je me suis trompée, oui pour l'asso", "Asso du Tonkin", False),  # a kind of structure names nobody in particular
        ("oups, oui pour les Restos finalement", "Les Restos de la Soie", True),
        ("my mistake, yes to Réussir Ensemble", "Réussir Ensemble", True),
    ],
)
def test_a_taking_back_names_the_one_on_screen_only_by_a_word_of_its_own(typed: str, shown: str, names_it: bool) -> None:
    from types import SimpleNamespace

    from conversations.router import _names_shown

    assert _names_shown(typed, SimpleNamespace(other=SimpleNamespace(name=shown))) is names_it  # type: ignore[arg-type]
