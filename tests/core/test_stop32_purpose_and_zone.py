"""Trial 32 (a new user, fresh clone): « ah et c'est pour la fête du quartier le samedi 12 juin » right after publishing
an undated need added only « (samedi 12 juin) » — « pour la fête du quartier » was lost, and « la fête est décalée au
samedi 19 juin » was not understood later; « juste villeurbanne, c'est à emporter à pied de toute façon » at the zone
question asked the zone again and put the remark in the public description."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.core.people import Person
from tests.core.test_conversations import rows
from tests.core.test_coordination import territory  # noqa: F401  (fixture)
from tests.core.test_event_listing_defects import expiries, publish_need
from tests.core.test_stop30_redate import _description, _english, _event, _weekday
from tests.core.test_stop31_choices import _at_the_zone

pytestmark = pytest.mark.backends


# ---------------------------------------------------------------- 1. what a date added says of the listing

TABLES = "On cherche des tables pour notre comité"
TABLES_EN = "We need tables for our committee"

PURPOSES = [
    (False, "ah et c'est pour la fête du quartier le {wd} {d} juin", "pour la fête du quartier le {wd} {d} juin"),
    (False, "au fait c'est pour la fête du quartier le {d} juin", "pour la fête du quartier le {wd} {d} juin"),
    (False, "ah oui c'est le {wd} {d} juin, pour la fête du quartier", "pour la fête du quartier le {wd} {d} juin"),
    (True, "oh and it's for the street party on {wd} June {d}", "for the street party on {wd}, June {d}"),
    (True, "btw it's on {wd} June {d}, for the street party", "for the street party on {wd}, June {d}"),
]


@pytest.mark.parametrize(("english", "typed", "added"), PURPOSES)
async def test_the_purpose_said_with_a_date_is_added_then_the_event_moves(territory, english: bool, typed: str, added: str) -> None:  # type: ignore[no-untyped-def]
    app, _, people = territory
    helene: Person = people["asso"]
    language = "en" if english else "fr"
    if english:
        await _english(helene)
    await publish_need(helene, TABLES_EN if english else TABLES)
    event = _event()
    await helene.say(typed.format(wd=_weekday(event, language), d=event.day))
    phrase = added.format(wd=_weekday(event, language), d=event.day)
    assert _description(app) == f"{TABLES_EN if english else TABLES}, {phrase}", _description(app)
    assert phrase in helene.text(), helene.text()
    assert expiries(app) == [(event + timedelta(days=1)).isoformat()], helene.text()
    moved = event + timedelta(days=7)
    if english:
        await helene.say(f"the party has been moved to {_weekday(moved, 'en')} June {moved.day}")
    else:
        await helene.say(f"la fête est décalée au {_weekday(moved, 'fr')} {moved.day} juin")
    assert expiries(app) == [(moved + timedelta(days=1)).isoformat()], helene.text()
    assert f"{moved.day}" in _description(app) and f" {event.day} " not in f"{_description(app)} ", _description(app)
    assert ("party" if english else "fête") in _description(app), _description(app)


async def test_a_date_whose_purpose_is_already_described_adds_the_day_only(territory) -> None:  # type: ignore[no-untyped-def]
    """Guard: « c'est pour la fête du quartier le 12 juin » after a need that names the fête du quartier: the day alone."""
    app, _, people = territory
    asso: Person = people["asso"]
    described = "On cherche des bénévoles pour la buvette de la fête du quartier"
    await publish_need(asso, described)
    event = _event()
    await asso.say(f"ah et c'est pour la fête du quartier le {event.day} juin")
    assert _description(app) == f"{described} ({_weekday(event, 'fr')} {event.day} juin)", _description(app)


# ---------------------------------------------------------------- 2. the step's own option named, with a remark

DESCRIBED = "Une salle de réunion libre le mardi soir."
DESCRIBED_EN = "A meeting room, free on Tuesday evenings."


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "juste villeurbanne, c'est à emporter à pied de toute façon"),
        ("fr", "seulement sur villeurbanne ça suffit"),
        ("fr", "dans la commune c'est bien, c'est à pied"),
        ("fr", "uniquement Villeurbanne, on ne livre pas"),
        ("fr", "juste la commune, les gens viennent à pied"),
        ("en", "just the town, it's walking distance"),
        ("en", "only Villeurbanne, it's takeaway anyway"),
        ("en", "just Villeurbanne is enough"),
    ],
)
async def test_the_commune_named_with_a_remark_is_that_zone(app, person, language: str, typed: str) -> None:  # type: ignore[no-untyped-def]
    baker: Person = person("baker")
    await _at_the_zone(baker, language)
    await baker.say(typed)
    assert rows(app, "SELECT zone_kind, description FROM listings") == [("commune", DESCRIBED_EN if language == "en" else DESCRIBED)], (
        baker.text()
    )


@pytest.mark.parametrize(("language", "typed"), [("fr", "il faut aussi un permis B"), ("en", "the key is collected from the caretaker")])
async def test_a_real_precision_at_the_zone_is_still_more_description(app, person, language: str, typed: str) -> None:  # type: ignore[no-untyped-def]
    """Guard: a precision that names no zone, at the zone question: added to the description as before."""
    someone: Person = person("someone")
    await _at_the_zone(someone, language)
    await someone.say(typed)
    assert "description" in someone.text(), someone.text()
    assert any(c.value == "radius:10" for c in someone.question.choices), someone.text()
    assert not rows(app, "SELECT id FROM listings")
