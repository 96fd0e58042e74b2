"""Defects of newcomers played on a fresh clone (trial 19): a self-introduction by a person ("Emma
here, CSR at …", « c Karim du club … ») followed by a wish to offer or ask with no category read
("We'd like to offer unsold bread …", « on voudrait donner des maillots ») lost the offer — no draft
kept; a refusal typed at a suggestion (« non merci, on ne fait pas de compta », "no thanks, we don't do
accounting") was kept as a need draft; SMS filler around a duration (« ah et c jusqu'a fin juin en
fait ») and "no end date, it's ongoing" were not read. Each test failed before its fix."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from conversations.expiry import Expiry, open_end, read_expiry
from conversations.understanding import what_is_asked, who_we_are
from core.clock import utcnow
from tests.core.people import Person
from tests.core.test_coordination import territory  # noqa: F401  (fixture)
from tests.core.test_event_listing_defects import _month_end, expiries, publish_need
from tests.core.test_first_message_introductions import _to_the_kind
from tests.core.test_keep5_defects import _suggested
from tests.core.test_suggestions import clock, count, two_sides  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends

# ---------------------------------------------------------------- 1. the offer after a self-introduction is a draft

INTRODUCED = [
    (
        "en",
        "Hi! Emma here, CSR at Boulangerie Dupont in Villeurbanne. We'd like to offer unsold bread to local food banks every evening.",
        "We'd like to offer unsold bread to local food banks every evening.",
        "offer",
    ),
    (
        "en",
        "Hello, Tom here from Green Bikes in Lyon. We would like to give our old bikes to families.",
        "We would like to give our old bikes to families.",
        "offer",
    ),
    (
        "en",
        "Hi, Sarah here, treasurer of the Bron rugby club. We can lend our minibus on Sundays.",
        "We can lend our minibus on Sundays.",
        "offer",
    ),
    (
        "en",
        "Hi, I'm Jo, volunteer at the Caluire food bank. We would like to find drivers for our rounds.",
        "We would like to find drivers for our rounds.",
        "need",
    ),
    (
        "fr",
        "Bonjour, ici Paul, trésorier de l'amicale de Bron. Nous aimerions proposer des cours de couture.",
        "Nous aimerions proposer des cours de couture.",
        "offer",
    ),
    ("fr", "slt c Karim du club de foot de Bron, on voudrait donner des maillots", "On voudrait donner des maillots", "offer"),
    (
        "fr",
        "Bonjour, Léa ici, bénévole au comité des fêtes de Bron. On aimerait proposer des animations pour les enfants.",
        "On aimerait proposer des animations pour les enfants.",
        "offer",
    ),
]


@pytest.mark.parametrize(("language", "first", "asked", "kind"), INTRODUCED)
def test_what_a_person_offers_after_saying_who_they_are_is_cut_from_who_writes(language: str, first: str, asked: str, kind: str) -> None:
    assert what_is_asked(first) == asked and who_we_are(first), (what_is_asked(first), who_we_are(first))


@pytest.mark.parametrize("after_start", [False, True])
@pytest.mark.parametrize(("language", "first", "asked", "kind"), INTRODUCED)
async def test_the_offer_after_a_self_introduction_is_kept_as_a_draft(
    app, person, after_start: bool, language: str, first: str, asked: str, kind: str
) -> None:
    someone: Person = person("someone", language)
    await _to_the_kind(someone, first, after_start)
    said = someone.text()
    quoted = f"« {asked} »" if language == "fr" else f"“{asked}”"
    kind_said = {"fr": {"offer": "offre", "need": "besoin"}, "en": {"offer": "offer", "need": "need"}}[language][kind]
    assert quoted in said and ("brouillon" in said or "draft" in said) and kind_said in said, said


# ---------------------------------------------------------------- 2. a refusal typed at a suggestion is its "no"

DECLINING = [
    (False, "non merci, on ne fait pas de compta"),
    (False, "non, on ne fait pas de compta"),
    (False, "Non merci on n'a pas besoin d'un expert-comptable"),
    (False, "pas intéressé, on a déjà un comptable bénévole"),
    (False, "ça ne nous intéresse pas, on a déjà quelqu'un pour les comptes"),
    (True, "no thanks, we don't do accounting"),
    (True, "not for us, we already have an accountant"),
    (True, "no, we don't need help with our accounts"),
    (True, "Not interested, we have a volunteer accountant already"),
]


@pytest.mark.parametrize(("english", "typed"), DECLINING)
async def test_a_refusal_typed_at_a_suggestion_declines_it_and_keeps_no_draft(two_sides, english: bool, typed: str) -> None:
    app, alice, _ = two_sides
    token = await _suggested(app, alice, english)
    await alice.say(typed)
    said = alice.text()
    assert "brouillon" not in said and "draft" not in said, said
    assert count(app, "SELECT COUNT(*) FROM suggestions WHERE status = 'declined'") == 1, said
    assert count(app, "SELECT COUNT(*) FROM introductions") == 0 and count(app, "SELECT COUNT(*) FROM listings") == 2
    assert alice.question.prompt_id != token, said  # answered: not shown again
    await alice.say("/need" if english else "/besoin")
    assert "compta" not in alice.text() and "account" not in alice.text(), alice.text()  # no draft taken up


@pytest.mark.parametrize(
    ("english", "typed", "word"),
    [
        (False, "on cherche aussi des tables pour samedi", "tables pour samedi"),
        (False, "nos bénévoles cherchent un local pour stocker des denrées", "local"),
        (True, "now we also need some tables for Saturday", "tables"),
    ],
)
async def test_a_listing_typed_at_a_suggestion_is_still_a_draft(two_sides, english: bool, typed: str, word: str) -> None:
    app, alice, _ = two_sides
    token = await _suggested(app, alice, english)
    await alice.say(typed)
    said = alice.text()
    assert word in said and ("brouillon" in said or "draft" in said), said
    assert alice.question.prompt_id == token and count(app, "SELECT COUNT(*) FROM suggestions WHERE status = 'declined'") == 0


# ---------------------------------------------------------------- 3. fillers around a duration, no end said in words

TODAY = date(2026, 12, 1)

AROUND = [
    ("ah et c jusqu'a fin juin en fait", date(2027, 6, 30)),
    ("ah et c'est jusqu'à fin juin en fait", date(2027, 6, 30)),
    ("c'est plutôt jusqu'à fin mars", date(2027, 3, 31)),
    ("finalement pour 6 mois", date(2027, 6, 1)),  # calendar months (dur9), as the default ones
    ("et en fait pour 3 mois", date(2027, 3, 1)),
    ("oh it's until the end of June actually", date(2027, 6, 30)),
    ("actually for 3 months", date(2027, 3, 1)),
    ("it is until the end of March", date(2027, 3, 31)),
]
NO_END = [
    "no end date, it's ongoing",
    "ongoing",
    "it's ongoing",
    "no end date",
    "pas de date de fin",
    "sans fin",
    "en continu",
    "c'est en continu",
    "ah c'est permanent en fait",
]


@pytest.mark.parametrize(("typed", "day"), AROUND)
def test_fillers_around_a_duration_are_not_it(typed: str, day: date) -> None:
    assert read_expiry(typed, TODAY) == Expiry(day), typed


@pytest.mark.parametrize("typed", NO_END)
def test_no_end_said_in_words_is_read(typed: str) -> None:
    assert read_expiry(typed, TODAY) == Expiry(open_end(TODAY), open_ended=True), typed


@pytest.mark.parametrize("typed", ["ah", "et c", "en fait", "it's fine", "ok merci", "c'est bon", "continue", "actually"])
def test_fillers_alone_say_no_duration(typed: str) -> None:
    assert read_expiry(typed, TODAY) is None, typed


@pytest.mark.parametrize(
    ("english", "typed", "month"),
    [
        (False, "ah et c jusqu'a fin juin en fait", 6),
        (False, "c plutot jusqu'a fin mars", 3),
        (True, "oh it's until the end of June actually", 6),
    ],
)
async def test_a_duration_with_fillers_just_after_publishing_changes_it(territory, english: bool, typed: str, month: int) -> None:
    app, _, people = territory
    asso = people["asso"]
    if english:
        await asso.say("/reglages")
        await asso.press(next(c.label for c in asso.question.choices if "angue" in c.label))
        await asso.press("English")
        await publish_need(asso, "We are looking for volunteers to hand out food on Saturday mornings")
    else:
        await publish_need(asso)
    await asso.say(typed)
    assert expiries(app) == [_month_end(month)], asso.text()


@pytest.mark.parametrize(("english", "typed"), [(True, "no end date, it's ongoing"), (True, "it's ongoing"), (False, "c'est en continu")])
async def test_no_end_in_words_just_after_publishing_is_the_longest(territory, english: bool, typed: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    if english:
        await asso.say("/reglages")
        await asso.press(next(c.label for c in asso.question.choices if "angue" in c.label))
        await asso.press("English")
        await publish_need(asso, "We are looking for volunteers to hand out food on Saturday mornings")
    else:
        await publish_need(asso)
    await asso.say(typed)
    today = utcnow().astimezone(ZoneInfo("Europe/Paris")).date()
    assert expiries(app) == [open_end(today).isoformat()], asso.text()  # 12 calendar months (dur9)
