"""Trial 31a: Paul's need « …chantier plantation du samedi 12 décembre » ended the 13th. After /pause, /reglages and
/reprendre he typed « ah au fait le chantier c'est finalement le samedi 19 décembre » → « Je n'ai pas compris »; in
/annonces, at the listing, « en fait c'est le samedi 19 décembre maintenant » → « Je n'ai pas reconnu ce choix ».
The listing would have gone before the event. A day said again later (at the menu, naming the listing or when it is
the only one dated so, or at the listing's actions) moves it as one said just after publishing does."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.core.people import Person
from tests.core.test_coordination import rows, territory  # noqa: F401  (fixture)
from tests.core.test_event_listing_defects import expiries, publish_need
from tests.core.test_stop30_redate import _at_listing, _description, _english, _event, _sports_day, _weekday

pytestmark = pytest.mark.backends


async def _elsewhere(asso: Person) -> None:
    """Other things done since publishing: the listing is no longer the one just published."""
    await asso.say("/pause")
    await asso.say("/reprendre")
    await asso.say("/reglages")
    await asso.say("/annuler")


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "ah au fait la fête du sport c'est finalement le {wd} {d} juin"),
        (False, "en fait c'est le {d} juin finalement"),
        (False, "la fête du sport est reportée au {wd} {d} juin"),
        (False, "au fait notre fête du sport est repoussée au {wd} {d} juin"),
        (False, "la fête du sport est décalée au {d} juin"),
        (True, "the sports day has been pushed back to June {d}"),
        (True, "sports day rescheduled for {wd_en} June {d}"),
        (False, "pardon, le {wd} {d} juin maintenant pour la fête"),
        (True, "by the way the sports day is actually on {wd_en} June {d}"),
        (True, "actually it's on June {d} now"),
    ],
)
async def test_a_day_said_again_later_at_the_menu(territory, english: bool, typed: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _english(asso)
    event = _event()
    await publish_need(asso, _sports_day(event, english))
    await _elsewhere(asso)
    new = event + timedelta(days=7)
    await asso.say(typed.format(wd=_weekday(new, "fr"), wd_en=_weekday(new, "en"), d=new.day))
    assert expiries(app) == [(new + timedelta(days=1)).isoformat()], asso.text()
    assert f"{new.day} {'June' if english else 'juin'}" in _description(app) or f"June {new.day}" in _description(app)
    assert ("stays visible until" if english else "reste visible jusqu'au") in asso.text(), asso.text()


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        (False, "en fait c'est le {wd} {d} juin maintenant"),
        (False, "finalement le {d} juin"),
        (True, "actually it's on {wd_en} June {d} now"),
    ],
)
async def test_a_day_said_again_at_the_listing_s_actions(territory, english: bool, typed: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _english(asso)
    event = _event()
    await publish_need(asso, _sports_day(event, english))
    await _elsewhere(asso)
    await _at_listing(asso)
    new = event + timedelta(days=7)
    await asso.say(typed.format(wd=_weekday(new, "fr"), wd_en=_weekday(new, "en"), d=new.day))
    assert expiries(app) == [(new + timedelta(days=1)).isoformat()], asso.text()


async def test_a_wrong_weekday_later_is_refused_naming_the_real_day(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    event = _event()
    await publish_need(asso, _sports_day(event, False))
    await _elsewhere(asso)
    before = (expiries(app), _description(app))
    new = event + timedelta(days=7)
    wrong = _weekday(new + timedelta(days=1), "fr")
    await asso.say(f"au fait la fête du sport c'est finalement le {wrong} {new.day} juin")
    assert (expiries(app), _description(app)) == before
    assert _weekday(new, "fr") in asso.text(), asso.text()


@pytest.mark.parametrize(
    "typed",
    [
        "on cherche aussi des bénévoles pour le {wd} {d} juin",  # a new wish, no change said
        "au fait la brocante c'est finalement le {wd} {d} juin",  # names another thing than the listing
    ],
)
async def test_other_sentences_with_a_day_do_not_move_the_listing(territory, typed: str) -> None:
    app, _, people = territory
    asso = people["asso"]
    event = _event()
    await publish_need(asso, _sports_day(event, False))
    await _elsewhere(asso)
    before = (expiries(app), _description(app))
    new = event + timedelta(days=7)
    await asso.say(typed.format(wd=_weekday(new, "fr"), d=new.day))
    assert (expiries(app), _description(app)) == before, asso.text()
