"""A listing is read by everyone; contact details are given only after a yes on both sides. A phone number or an
e-mail address written in a listing's text is taken out before it is published (or edited), and said (trial 30a:
« …appelez directement Mme Dupont au 06 12 34 56 78 » was shown in /annuaire above « Contacts are only shared if you
both say yes »)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from conversations.understanding import without_contacts
from tests.core.people import Person, RecordingAdapter
from tests.core.test_coordination import rows
from tests.core.test_keep5_defects import _to_english
from tests.core.test_suggestions import clock  # noqa: F401  (fixture)


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        (
            "On cherche des bénévoles pour la fête du sport du 12 juin, appelez directement Mme Dupont au 06 12 34 56 78",
            "On cherche des bénévoles pour la fête du sport du 12 juin",
            "06 12 34 56 78",
        ),
        (
            "Prêt de barnums. Contact : jean@mairie-bron.fr ou 04 78 12 34 56. Disponible le week-end.",
            "Prêt de barnums. Disponible le week-end.",
            "@",
        ),
        ("We can lend our van (call Tom on +33 6 12 34 56 78) for weekend events", "We can lend our van for weekend events", "+33"),
        (
            "Nous prêtons 20 tables, contact 06 11 22 33 44 ou asso@ex.fr, à récupérer sur place",
            "Nous prêtons 20 tables, à récupérer sur place",
            "asso@",
        ),
        ("On cherche un local - tel 0612345678 - pour nos réunions du mardi", "On cherche un local - pour nos réunions du mardi", "0612"),
    ],
)
def test_contacts_are_taken_out_with_their_clause(text: str, kept: str, gone: str) -> None:
    cleaned, removed = without_contacts(text)
    assert cleaned == kept and gone not in cleaned and removed, (cleaned, removed)


@pytest.mark.parametrize(
    "text", ["Des tables pour le 12/06/2026, 200 euros max", "Un minibus de 9 places du 3 au 14 juillet 2027", "Budget 1 500 000 euros"]
)
def test_dates_and_amounts_are_no_contacts(text: str) -> None:
    assert without_contacts(text) == (text, ())


@pytest.mark.parametrize(
    ("language", "description", "said"),
    [
        ("fr", "Des bénévoles pour la fête du sport, appelez directement Mme Dupont au 06 12 34 56 78", "J'ai retiré de l'annonce"),
        ("en", "Volunteers for the sports day, just email tom.b@bron-sport.example", "I took out of the listing"),
    ],
)
async def test_a_listing_is_published_without_the_contacts_it_gives(
    db_path: Path, territories, clock, language: str, description: str, said: str
) -> None:
    adapter = RecordingAdapter(platform="telegram")
    app = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories, clock=clock)
    app.run_jobs = False
    await app.start()
    try:
        alice = Person(app.runtime, adapter, "alice")
        await alice.onboard("Les Tables du Cœur", "Villeurbanne")
        if language == "en":
            await _to_english(alice)
        await alice.say("/besoin" if language == "fr" else "/need")
        await alice.press(alice.question.choices[[c.value for c in alice.question.choices].index("benevoles")].label)
        await alice.say(description)
        await alice.press(next(c.label for c in alice.question.choices if c.value.startswith("epci:")))
        stored = rows(app, "SELECT description FROM listings")
        assert len(stored) == 1 and "06 12" not in stored[0][0] and "@" not in stored[0][0], stored
        assert said in alice.text(), alice.text()
    finally:
        await app.stop()


# ---------------------------------------------------------------- the presentation, read by everyone too


@pytest.mark.parametrize(
    ("language", "typed", "gone", "said"),
    [
        (
            "fr",
            "Nous cultivons un jardin partagé avec les habitants, appelez Julie au 06 12 34 56 78",
            "06 12",
            "retiré de votre présentation",
        ),
        ("en", "We repair bikes with young people. Write to tom@greenbikes.example", "@", "out of your presentation"),
    ],
)
async def test_a_presentation_is_saved_without_the_contacts_it_gives(app, person, language: str, typed: str, gone: str, said: str) -> None:
    from tests.core.test_trial6_understanding import _onboarded

    alice = await _onboarded(person, language)
    await alice.say("/profil")
    await alice.press("Description")
    await alice.say(typed)
    stored = rows(app, "SELECT description FROM actors")
    assert stored and gone not in str(stored[0][0]) and len(str(stored[0][0]).split()) >= 5, stored
    assert said in alice.text(), alice.text()
