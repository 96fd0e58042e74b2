"""Trial 37 (a fresh clone, people playing a handball club's volunteer, a youth club, someone who found the bot by
chance, an IT company's CSR lead in English, a basket club): each row failed before its fix.

- After publishing a need dated « le samedi 13 février », a bare menu number (« 4 ») was read as a new day:
  « « samedi 13 février » devient « jeudi 4 février » » — the description and the end rewritten.
- « on peut donner un baby-foot et des jeux de societe a une asso du quartier » typed at the themes question was read
  as themes (Sport, Citoyenneté) and then said « ne répond pas à cette question » — the offer lost; « on cherche un
  baby foot pour le local des jeunes » was Locaux.
- « c quoi ce truc » typed before /start became the structure's public presentation.
- "…, a small IT services company. We're in lyon 3e." made "We're in lyon 3e." the presentation.
- An e-mail address or a phone number typed at the name question was refused and forgotten (« Un nom ne peut pas
  être seulement un nombre ») while the README says it is offered back at the contact question.
- « ah non en fait c'est pour mars », « le tournoi c en mars finalement pas février » after a need dated « le samedi
  13 février » were not understood (only a day with its month was).
- « et maintenant il se passe quoi ? » and "how long will it stay online? and who will see my email?" got « Je ne
  sais pas encore répondre… »; « stop » at the menu « Je n'ai pas compris »; /besoin after « stop » during the
  profile « Bonjour ! Tapez /start pour créer le profil » as if nothing had been answered."""

from __future__ import annotations

from datetime import date

import pytest

from conversations.expiry import event_redated
from conversations.understanding import asks_about_the_bot, guess_listing, is_question, question_topics, structure_part
from tests.core.people import Person
from tests.core.test_coordination import rows, territory  # noqa: F401  (fixture)
from tests.core.test_stop31_followups import _call_answered_yes
from tests.core.test_stop33_menu_questions import _at_menu

pytestmark = pytest.mark.backends


# ---------------------------------------------------------------- a menu number is no day


@pytest.mark.parametrize("typed", ["4", "1", " 7 ", "2 3"])
def test_a_bare_number_is_no_new_day_of_the_event(typed: str) -> None:
    description = "On cherche des bénévoles pour la buvette du tournoi le samedi 13 février"
    today = date(2026, 12, 3)
    assert event_redated(typed, description, date(2027, 2, 14), today) is None
    assert event_redated("le 14", description, date(2027, 2, 14), today) is not None  # a day said so still is one


async def test_a_menu_number_after_a_dated_need_opens_that_menu_entry(territory) -> None:
    app, _, people = territory
    asso: Person = people["asso"]
    await asso.say("on cherche des bénévoles pour la buvette du tournoi le samedi 13 février")
    await asso.press(asso.question.choices[0].label)  # the commune
    [(before, ends)] = rows(app, "SELECT description, expires_at FROM listings")
    await asso.say("4")  # « Mes annonces »
    said = asso.text()
    assert "devient" not in said and "Laquelle voulez-vous gérer" in said, said
    assert rows(app, "SELECT description, expires_at FROM listings") == [(before, ends)]


# ---------------------------------------------------------------- games and toys are things


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("on peut donner un baby-foot et des jeux de societe a une asso du quartier", "offer"),
        ("on cherche un baby foot pour le local des jeunes", "need"),
        ("we can give a foosball table and board games", "offer"),
        ("on cherche des jouets pour le noël des enfants", "need"),
        ("on cherche des tatamis pour le club de judo", "need"),
    ],
)
def test_games_and_toys_are_equipment(typed: str, kind: str) -> None:
    guess = guess_listing(typed)
    assert (guess.kind, guess.category) == (kind, "materiel"), guess


@pytest.mark.parametrize(
    "typed", ["on cherche des bénévoles pour animer des jeux de société", "on cherche des bénévoles pour monter les barnums"]
)
def test_volunteers_for_a_task_are_volunteers_whatever_the_task_handles(typed: str) -> None:
    assert guess_listing(typed).category == "benevoles", guess_listing(typed)


async def test_an_offer_typed_at_the_themes_is_kept_and_the_themes_asked_again(app, person) -> None:
    mjc: Person = person("mjc", "fr")
    await mjc.say("/start")
    await mjc.press("Association")
    await mjc.say("MJC Laennec")
    await mjc.say("Villeurbanne")
    await mjc.press("Oui")
    await mjc.say("on peut donner un baby-foot et des jeux de societe a une asso du quartier")
    said = mjc.text()
    assert "brouillon" in said and "ne répond pas" not in said and "C'est noté : thèmes" not in said, said
    assert "Sur quels thèmes" in mjc.question.text, mjc.question.text


# ---------------------------------------------------------------- a question before /start is no presentation


@pytest.mark.parametrize("typed", ["c quoi ce truc", "salut c koi", "ça sert à quoi", "c'est quoi trait d'union"])
def test_what_is_this_is_asked_about_the_bot(typed: str) -> None:
    assert asks_about_the_bot(typed) and is_question(typed)


@pytest.mark.parametrize("typed", ["on cherche de quoi nourrir les familles", "c'est quoi votre numéro", "on cherche des bénévoles"])
def test_what_asks_for_something_is_not_about_the_bot(typed: str) -> None:
    assert not asks_about_the_bot(typed)


async def test_a_question_before_start_is_answered_and_never_the_presentation(app, person) -> None:
    curious: Person = person("curieux", "fr")
    await curious.say("😀😀👍")
    await curious.say("c quoi ce truc")
    said = curious.text()
    assert "met en relation" in said and "J'ai gardé votre message" not in said, said
    await curious.say("/start")
    assert "présentation" not in curious.text(), curious.text()


@pytest.mark.parametrize(
    ("typed", "presentation"),
    [
        ("I'm Tom, CSR lead at GreenByte, a small IT services company. We're in lyon 3e.", "GreenByte, a small IT services company."),
        (
            "Je suis Léa, chargée RSE chez Dupont & Fils, une PME de 80 salariés. On est basés à Lyon.",
            "Dupont & Fils, une PME de 80 salariés.",
        ),
        ("je suis Léa, on est à Villeurbanne", ""),
    ],
)
def test_where_a_structure_is_is_no_presentation(typed: str, presentation: str) -> None:
    assert structure_part(typed) == presentation


# ---------------------------------------------------------------- a contact typed at the name


@pytest.mark.parametrize(("typed", "shared"), [("nadia.basket@orange.fr", "nadia.basket@orange.fr"), ("06 12 34 56 78", "06 12 34 56 78")])
async def test_a_contact_typed_at_the_name_is_kept_for_the_contact_question(app, person, typed: str, shared: str) -> None:
    nadia: Person = person("nadia", "fr")
    await nadia.say("/start")
    await nadia.press("Association")
    await nadia.say(typed)
    said = nadia.text()
    assert "pas un nom" in said and "je garde" in said and "Quel est le nom" in nadia.question.text, said
    await nadia.say("Basket Club Bron")
    await nadia.say("Villeurbanne")
    await nadia.press("Oui")
    await nadia.tick("Sport")
    assert typed in nadia.text(), nadia.text()  # offered back
    await nadia.say("oui")
    await nadia.press("Oui aux deux")
    assert _at_menu(nadia), nadia.text()
    [(email, phone)] = rows(app, "SELECT contact_email, contact_phone FROM actors")
    assert shared in (email, phone), (email, phone)


# ---------------------------------------------------------------- the event moved to another month, its day unknown


@pytest.mark.parametrize(
    ("typed", "description", "written", "end"),
    [
        (
            "ah non en fait c'est pour mars",
            "Des bénévoles pour la buvette du tournoi le samedi 13 février",
            "du tournoi en mars",
            date(2027, 3, 31),
        ),
        (
            "le tournoi c en mars finalement pas fevrier",
            "Des bénévoles pour le tournoi le samedi 13 février",
            "le tournoi en mars",
            date(2027, 3, 31),
        ),
        ("finalement ce sera en avril", "Des tables pour la fête du 13 février", "la fête d'avril", date(2027, 4, 30)),
        ("actually it's in March", "Volunteers for the tournament on Saturday, February 13", "tournament in March", date(2027, 3, 31)),
    ],
)
def test_a_month_said_alone_moves_the_event_to_that_month(typed: str, description: str, written: str, end: date) -> None:
    moved = event_redated(typed, description, date(2027, 2, 14), date(2026, 12, 3))
    assert moved is not None and written in moved.description and moved.end == end, moved


@pytest.mark.parametrize("typed", ["on cherche aussi des tables pour mars", "jusqu'à fin mars", "pour février", "mars ou avril, on verra"])
def test_what_moves_no_event_to_a_month(typed: str) -> None:
    assert event_redated(typed, "Des tables pour la fête du 13 février", date(2027, 2, 14), date(2026, 12, 3)) is None


async def test_a_month_said_after_a_dated_need_moves_it(territory) -> None:
    app, _, people = territory
    asso: Person = people["asso"]
    await asso.say("on cherche des bénévoles pour la buvette du tournoi le samedi 13 février")
    await asso.press(asso.question.choices[0].label)  # the commune
    await asso.say("ah non en fait c'est pour mars")
    said = asso.text()
    assert "« le samedi 13 février » devient « en mars »" in said, said
    [(description, ends)] = rows(app, "SELECT description, expires_at FROM listings")
    assert description.endswith("du tournoi en mars") and ends[5:10] == "03-31", (description, ends)


# ---------------------------------------------------------------- questions and « stop » at the menu


@pytest.mark.parametrize(
    ("typed", "topics"),
    [
        ("et maintenant il se passe quoi ?", ["next"]),
        ("what happens next?", ["next"]),
        ("how long will it stay online? and who will see my email?", ["duration", "contact"]),
        ("combien de temps reste mon annonce ?", ["duration"]),
    ],
)
def test_each_subject_of_a_question_is_read(typed: str, topics: list[str]) -> None:
    assert question_topics(typed) == topics


async def test_two_questions_at_the_menu_get_two_answers(territory) -> None:
    _, _, people = territory
    asso: Person = people["asso"]
    await asso.say("how long will it stay online? and who will see my email?")
    said = asso.text()
    assert "3 mois" in said and "un oui des deux côtés" in said and "Je ne sais pas encore" not in said, said
    await asso.say("et maintenant il se passe quoi ?")
    assert "/suggestions" in asso.text() and "Je ne sais pas encore" not in asso.text(), asso.text()


async def test_stop_at_the_menu_says_how_to_pause_or_delete(territory) -> None:
    _, _, people = territory
    asso: Person = people["asso"]
    await asso.say("stop")
    said = asso.text()
    assert "/pause" in said and "/supprimer" in said and "pas compris" not in said, said
    assert _at_menu(asso)


async def test_a_command_after_stopping_the_profile_says_how_to_resume_it(app, person) -> None:
    new: Person = person("nouvelle", "fr")
    await new.say("/start")
    await new.press("Association")
    await new.say("stop")
    await new.say("/besoin")
    assert "reprendre là où vous en étiez" in new.text(), new.text()
    await new.say("bonjour")
    assert "reprendre là où vous en étiez" in new.text(), new.text()


# ---------------------------------------------------------------- smaller things the trial met


async def test_too_after_a_theme_is_no_word_left_over(app, person) -> None:
    kate: Person = person("kate", "en")
    await kate.say("/start")
    await kate.press("Company")
    await kate.say("Acme Digital")
    await kate.say("Villeurbanne")
    await kate.press("Yes")
    await kate.say("digital and employment, maybe education too")
    said = kate.text()
    assert "Digital, Employment and inclusion, Education and youth" in said and "does not answer" not in said, said


async def test_a_directory_with_no_one_else_says_so_in_words(app, person) -> None:
    alone: Person = person("seule", "fr")
    await alone.onboard("Asso Seule", "Villeurbanne")
    await alone.say("/annuaire")
    await alone.press(alone.question.choices[0].label)  # everyone
    said = alone.text()
    assert "Personne d'autre n'est inscrit" in said and "0 acteur" not in said, said


async def test_the_other_listing_of_a_dated_sentence_ends_the_same_day(territory) -> None:
    app, _, people = territory
    asso: Person = people["asso"]
    await asso.say("on cherche des bénévoles pour la buvette du tournoi le samedi 13 février et des tables")
    await asso.press(asso.question.choices[0].label)  # the commune
    assert "même durée" in asso.text(), asso.text()
    await asso.say("oui")
    ends = {end[:10] for (end,) in rows(app, "SELECT expires_at FROM listings")}
    assert len(rows(app, "SELECT id FROM listings")) == 2 and len(ends) == 1, ends


# ---------------------------------------------------------------- more of a call's answer, opened by « et »

MINIBUS = "Sortie au lac le 20 : qui peut prêter un minibus ?"


@pytest.mark.parametrize(
    ("english", "typed", "word"),
    [(False, "et on aura qqn pour conduire", "conduire"), (True, "and we can drive it there ourselves", "drive")],
)
async def test_a_message_going_on_with_a_call_answer_goes_to_it(territory, english: bool, typed: str, word: str) -> None:
    app, _, people = territory
    asso = await _call_answered_yes(app, people, MINIBUS, english)
    await asso.say(typed)
    said = asso.text()
    assert ("your answer to the call" in said) if english else ("votre réponse à l'appel" in said), said
    assert rows(app, "SELECT COUNT(*) FROM listings") == [(0,)], said
    ((answer,),) = rows(app, "SELECT answer FROM broadcast_answers")
    assert word in answer, answer


async def test_each_draft_kept_says_the_command_that_takes_it_up(territory) -> None:
    _, _, people = territory
    asso: Person = people["asso"]
    await asso.say("on cherche des bénévoles pour la collecte")
    for typed in (
        "on cherche aussi un camion pour le transport",
        "on peut prêter notre cuisine le lundi",
        "on cherche aussi des tables pliantes",
    ):
        await asso.say(typed)  # at the zone question: each kept as a draft
    await asso.say("/annuler")
    await asso.say("/annonces")
    said = asso.text()
    assert "Tapez /besoin pour le reprendre" in said and "cuisine le lundi ») — /offre pour le reprendre" in said, said
    assert "tables pliantes ») — /besoin encore, une fois le premier publié" in said, said
