"""Defects found by people trying the product (entry8, 2026-12-01): a short phone number at the contact
question read as two option numbers, the phone shown twice, food refused at the category, « annuler »
at « Je garde les 1000 premiers ? » losing the text, answers not echoed (and words typed with them
dropped silently), a draft with only a category announced as complete, abbreviated weekdays, the
duplicate warning missing for the later parts of a cut sentence."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from conversations.contacts import contact_lines
from conversations.expiry import read_expiry
from conversations.moments import WrongWeekday, read_moment, read_span
from tests.core.people import Person
from tests.core.test_coordination import rows, territory  # noqa: F401  (fixture)

pytestmark = pytest.mark.backends


async def _english(someone: Person) -> None:
    await someone.say("/reglages")
    await someone.press(next(c.label for c in someone.question.choices if "angue" in c.label))
    await someone.press("English")


async def _to_contact(alice: Person, english: bool = False) -> None:
    """A profile made up to its contact question (French or English buttons)."""
    await alice.say("/start")
    await alice.press("Company" if english else "Association")
    await alice.say("Les Jardins")
    await alice.say("Villeurbanne")
    await alice.press("Yes" if english else "Oui")
    await alice.tick("Food" if english else "Alimentation")


# ---------------------------------------------------------------- 1. a phone number at the contact question


@pytest.mark.parametrize(
    ("english", "typed"), [(False, "06 12"), (False, "0612"), (False, "06 12 34"), (False, "+33 6 12"), (True, "06 12"), (True, "+44 7700")]
)
async def test_a_short_phone_number_is_said_incomplete(app, person, english: bool, typed: str) -> None:
    """Tester: « 06 12 » at « comment vous joindre ? » answered « Une seule réponse ici : choisissez un numéro »."""
    alice: Person = person(language_code="en" if english else "fr")
    await _to_contact(alice, english)
    contact = alice.question.text
    await alice.say(typed)
    said = alice.text()
    assert "10 chiffres" in said or "10 digits" in said, said  # incomplete: what a whole number is
    assert "choisissez un numéro" not in said and "aucun choix" not in said and alice.question.text == contact, said
    assert rows(app, "SELECT id FROM actors") == [], said


@pytest.mark.parametrize("typed", ["06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "06.12.34.56.78"])
async def test_a_whole_phone_number_is_the_contact_and_said(app, person, typed: str) -> None:
    alice: Person = person()
    await _to_contact(alice)
    await alice.say(typed)
    said = alice.text()
    assert "C'est noté : contact téléphone +33 6 12 34 56 78" in said and "Acceptez-vous" in alice.question.text, said
    await alice.press("Oui aux deux")
    [(phone,)] = rows(app, "SELECT contact_phone FROM actors")
    assert phone is not None and sum(ch.isdigit() for ch in phone) >= 10, phone


# ---------------------------------------------------------------- 2. the phone shown once


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_phone_is_written_once(language: str) -> None:
    [line] = contact_lines(language, platform=None, handle=None, email=None, phone="06 12 34 56 78")
    assert line.count("12 34 56 78") == 1 and "tel:" not in line and "+33612345678" not in line, line


async def test_the_profile_shows_the_phone_once(app, person) -> None:
    alice: Person = person()
    await _to_contact(alice)
    await alice.say("06 12 34 56 78")
    await alice.press("Oui aux deux")
    await alice.say("/profil")
    line = next(line for line in alice.text().splitlines() if "Contact" in line)
    assert line.count("12 34 56 78") == 1 and "tel:" not in line, line


# ---------------------------------------------------------------- 3. food at the category question


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "its food, bread"),
        (False, "de la nourriture"),
        (False, "des denrées alimentaires"),
        (False, "des invendus de pain"),
        (False, "des repas"),
        (True, "food donations"),
        (True, "its food, bread"),
        (True, "unsold bread"),
    ],
)
async def test_food_at_the_category_goes_to_goods_in_kind_and_says_so(app, person, english: bool, typed: str) -> None:
    """Tester: « de la nourriture » at « de quoi s'agit-il ? »: « Je n'ai pas reconnu ce choix »."""
    alice: Person = person()
    await alice.onboard()
    if english:
        await _english(alice)
    await alice.say("/offre" if not english else "/offer")
    await alice.say(typed)
    said = alice.text()
    assert "reconnu" not in said and "recognise" not in said, said
    assert ("Matériel (la nourriture" in said) or ("Equipment (food" in said), said
    await alice.say("Invendus de pain et viennoiseries chaque soir" if not english else "Unsold bread and pastries every evening")
    await alice.press(alice.question.choices[0].label)
    assert rows(app, "SELECT kind, category FROM listings") == [("offer", "materiel")], alice.text()


@pytest.mark.parametrize("typed", ["un camion", "un frigo", "a van"])
async def test_a_thing_at_the_category_is_its_category(app, person, typed: str) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/besoin")
    await alice.say(typed)
    said = alice.text()
    assert "C'est noté : Matériel." in said and "Décrivez" in alice.question.text, said


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "On donne nos invendus de pain chaque soir"),
        (False, "Nous pouvons donner des denrées alimentaires chaque semaine"),
        (True, "We can give food donations every week"),
    ],
)
async def test_a_food_sentence_is_filed_under_goods_in_kind_in_the_recap(app, person, english: bool, typed: str) -> None:
    alice: Person = person()
    await alice.onboard()
    if english:
        await _english(alice)
    await alice.say(typed)
    recap = alice.question.text
    assert "Matériel (la nourriture" in recap or "Equipment (food" in recap, alice.text()
    await alice.press(alice.question.choices[0].label)
    assert rows(app, "SELECT kind, category FROM listings") == [("offer", "materiel")], alice.text()


# ---------------------------------------------------------------- 4. « annuler » at a text too long


@pytest.mark.parametrize(("english", "cancel"), [(False, "annuler"), (False, "/annuler"), (True, "cancel"), (True, "/cancel")])
async def test_cancel_at_a_text_too_long_keeps_it_as_a_draft(app, person, english: bool, cancel: str) -> None:
    """Tester: 3,000 characters, « Je garde les 1000 premiers ? », « annuler »: the whole text gone."""
    alice: Person = person()
    await alice.onboard()
    if english:
        await _english(alice)
    await alice.say("/besoin" if not english else "/need")
    await alice.press("Matériel" if not english else "Equipment")
    await alice.say(
        ("On cherche un camion pour le déménagement de la ressourcerie. " if not english else "We need a van to move our shop. ") * 50
    )
    assert "1000" in alice.question.text, alice.text()
    await alice.say(cancel)
    said = alice.text()
    assert ("Brouillon gardé" in said and "/besoin" in said) or ("Draft kept" in said and "/need" in said), said
    assert "rien n'a été enregistré" not in said and "nothing was saved" not in said, said
    await alice.say("/besoin" if not english else "/need")
    assert "camion" in alice.text() or "van" in alice.text(), alice.text()


# ---------------------------------------------------------------- 5. answers echoed, nothing dropped silently


async def test_the_themes_and_the_contact_are_echoed(app, person) -> None:
    alice: Person = person()
    await _to_contact(alice)
    assert "C'est noté : thèmes Alimentation" in alice.text(), alice.text()
    await alice.press(alice.question.choices[0].label)
    assert "C'est noté : contact" in alice.text() and "@alice" in alice.text(), alice.text()


@pytest.mark.parametrize(
    ("english", "typed", "left"),
    [
        (False, "06 12 34 56 78 le soir", "le soir"),
        (False, "mon numéro c'est le 06 12 34 56 78, plutôt le soir", "le soir"),
        (False, "joignable au 06 12 34 56 78 après 18h", "après 18h"),
        (True, "my phone is 06 12 34 56 78, evenings only", "evenings only"),
    ],
)
async def test_words_typed_with_the_contact_are_not_dropped_silently(app, person, english: bool, typed: str, left: str) -> None:
    """Tester: « le soir » typed with the phone at the contact question vanished without a word."""
    alice: Person = person(language_code="en" if english else "fr")
    await _to_contact(alice, english)
    await alice.say(typed)
    said = alice.text()
    assert "+33 6 12 34 56 78" in said and f"{left}" in said, said
    assert "ne répond pas à cette question" in said or "does not answer this question" in said, said


@pytest.mark.parametrize(("typed", "left"), [("sport le soir", "le soir"), ("Sport, surtout le week-end", "le week-end")])
async def test_words_typed_with_the_themes_are_not_dropped_silently(app, person, typed: str, left: str) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/profil")
    await alice.press("Thèmes")
    await alice.say(typed)
    said = alice.text()
    assert "Sport" in said and f"« {left} » ne répond pas" in said, said


@pytest.mark.parametrize("typed", ["sport et culture", "1 3"])
async def test_themes_alone_say_nothing_more(app, person, typed: str) -> None:
    alice: Person = person()
    await alice.onboard()
    await alice.say("/profil")
    await alice.press("Thèmes")
    await alice.say(typed)
    assert "ne répond pas" not in alice.text(), alice.text()


# ---------------------------------------------------------------- 6. a draft with only a category


@pytest.mark.parametrize("english", [False, True])
async def test_a_draft_without_description_says_it_is_missing(app, person, english: bool) -> None:
    alice: Person = person()
    await alice.onboard()
    if english:
        await _english(alice)
    await alice.say("/besoin" if not english else "/need")
    await alice.press("Matériel" if not english else "Equipment")
    await alice.say("/menu")
    await alice.say("/start")
    note = next(line for line in alice.text().splitlines() if "📝" in line)
    if english:
        assert "Equipment" in note and "description is still missing" in note and "/need" in note, note
    else:
        assert "Matériel" in note and "description manque" in note and "/besoin" in note, note


# ---------------------------------------------------------------- 7. abbreviated weekdays

_NOW = datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("sam 10 avril", date(2027, 4, 10)),
        ("sam. 10 avril à 14h", date(2027, 4, 10)),
        ("sam. 10/04", date(2027, 4, 10)),
        ("dim 2 mai", date(2027, 5, 2)),
        ("mer. 14/04 de 10h à 12h", date(2027, 4, 14)),
        ("lun 12 avril", date(2027, 4, 12)),
        ("mar 13 avril", date(2027, 4, 13)),
        ("Sat 10 April", date(2027, 4, 10)),
        ("Sun 2 May 10am", date(2027, 5, 2)),
        ("Wed. 14/04", date(2027, 4, 14)),
    ],
)
def test_an_abbreviated_weekday_is_read(typed: str, day: date) -> None:
    """Tester: « sam 12 avril » refused « je n'ai pas compris cette date »."""
    read = read_span(typed, _NOW)
    assert read is not None and read[0].date() == day, read


@pytest.mark.parametrize("typed", ["sam 12 avril", "sam. 12/04", "dim 3 mai", "Sat 12 April", "Sun. 3/5"])
def test_an_abbreviated_weekday_that_is_not_the_dates_is_refused(typed: str) -> None:
    with pytest.raises(WrongWeekday):
        read_moment(typed, _NOW)


def test_march_12_stays_march() -> None:
    read = read_moment("Mar 12", _NOW)
    assert read is not None and (read.month, read.day) == (3, 12), read


@pytest.mark.parametrize(("typed", "day"), [("jusqu'au sam 10 avril", date(2027, 4, 10)), ("until Sat 10 April", date(2027, 4, 10))])
def test_an_end_date_with_an_abbreviated_weekday(typed: str, day: date) -> None:
    read = read_expiry(typed, _NOW.date())
    assert read is not None and read.day == day, read
    with pytest.raises(WrongWeekday):
        read_expiry(typed.replace("10", "12"), _NOW.date())


# ---------------------------------------------------------------- 8. the duplicate warning for every part


@pytest.mark.parametrize(
    ("english", "first", "both"),
    [
        (
            False,
            "On cherche un local pour stocker nos colis",
            "On cherche des bénévoles pour samedi matin et on cherche un local pour stocker nos colis",
        ),
        (
            False,
            "On cherche un local pour stocker nos colis",
            "Il nous faut des bras pour samedi matin. On cherche aussi un local pour stocker nos colis",
        ),
        (
            True,
            "We are looking for a room to store our parcels",
            "We need volunteers on Saturday morning and we are looking for a room to store our parcels",
        ),
    ],
)
async def test_the_later_part_of_a_cut_sentence_is_checked_for_a_duplicate(territory, english: bool, first: str, both: str) -> None:
    """Tester: a message with two needs, the second one already open: published twice without a word."""
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _english(asso)
    await asso.say(first)
    await asso.press(asso.question.choices[0].label)
    await asso.say("/menu")
    await asso.say(both)
    for _ in range(3):  # the first part's zone, then « Je l'enregistre aussi ? » → Oui
        if "déjà cette annonce" in asso.text() or "already have this listing" in asso.text():
            break
        await asso.press(asso.question.choices[0].label)
    assert "déjà cette annonce" in asso.text() or "already have this listing" in asso.text(), asso.text()
    await asso.press(asso.question.choices[0].label)  # keep the one already open
    assert len(rows(app, "SELECT id FROM listings WHERE category = 'locaux' AND status = 'open'")) == 1, asso.text()
    assert len(rows(app, "SELECT id FROM listings WHERE category = 'benevoles'")) == 1, asso.text()


async def test_words_typed_with_a_listings_themes_are_not_dropped_silently(app, person) -> None:
    """/annonces, a listing's themes: « sport le soir » adds Sport and says « le soir » was not used."""
    alice: Person = person()
    await alice.onboard()
    await alice.say("/besoin")
    await alice.press("Matériel")
    await alice.say("Un camion pour déménager la ressourcerie")
    await alice.press(alice.question.choices[0].label)
    await alice.say("/annonces")
    await alice.press(alice.question.choices[0].label)
    await alice.press(next(c.label for c in alice.question.choices if "hème" in c.label))
    await alice.say("sport le soir")
    said = alice.text()
    assert "« le soir » ne répond pas" in said, said
    assert "sport" in rows(app, "SELECT themes FROM listings")[0][0], said
